// World: the simulator's host of the sans-IO cores (DESIGN §9) — one Lsp,
// many Clients and a few Towers on one chain (the embedded chain, or any
// chain::Backend), each with its own in-memory store, a clock in blocks,
// and an in-order message network in which a client is reachable only
// while it is online (messages, notices and chain events wait for it).
//
// The world does what a daemon does for a core, in one process: delivers
// messages, submits the transactions a core emits (every one must be
// accepted: a rejection is recorded and fails the run), registers watches
// and routes the backend's events to whoever asked, and records events.
// It also keeps the books of the conservation check: what was put in (the
// coins it gave the parties), the fees every accepted tx of a party paid,
// and the P2A anchors those txs created.
//
// Thread-safety: single-threaded. Failure: step functions return "sim.*"
// errors ("sim.tx-rejected", "sim.not-conserved", "sim.stuck").
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/client.h"
#include "core/host.h"
#include "lsp/lsp.h"
#include "sim/chain_index.h"
#include "store/memory_store.h"
#include "tower/tower.h"

namespace ladder::sim {

using PartyId = uint32_t;  // 0 = L, then towers, then clients
inline constexpr PartyId kLspParty = 0;

// A tx a party broadcast, as the chain accepted it.
struct TxRecord {
  btc::Txid txid;
  std::string purpose;
  PartyId party = 0;
  uint64_t factory = 0;
  uint32_t height = 0;  // tip when broadcast
  btc::Amount fee = 0;
  int64_t vsize = 0;
  Bytes raw;
};

struct Books {
  btc::Amount put_in = 0;  // coins the world gave its parties
  btc::Amount fees = 0;    // paid by the parties' accepted txs
};

class World {
 public:
  struct Options {
    lsp::LspConfig lsp;
    client::ClientConfig client;  // template: lsp/tower peers are filled in per client
    tower::TowerConfig tower;
    uint32_t towers = 1;
    uint64_t seed = 1;
    core::Logger* logger = nullptr;  // default: none
  };

  // Owns an embedded chain when `backend` is null.
  explicit World(Options options, chain::Backend* backend = nullptr);
  ~World();

  // ---- setup ----
  // Mines `blocks` coinbases to L's wallet (and 100 more to mature them).
  Status fund_lsp(int blocks);
  PartyId add_client(std::optional<client::ClientPolicy> policy = std::nullopt);
  // Gives each party its coin (one fan-out tx per 500, mined at once).
  Status give_coins(const std::vector<std::pair<PartyId, btc::Amount>>& coins);

  // ---- running ----
  // Mines one block (with whatever the mempool holds), routes its events,
  // ticks every online core and delivers messages until the network is quiet.
  Status mine_block();
  Status deliver_all();
  void set_online(PartyId client, bool online);
  bool online(PartyId client) const;
  // Runs `fn` on a client's core and routes what it emitted.
  Status with_client(PartyId id, const std::function<Status(client::Client&)>& fn);

  // ---- inspection ----
  chain::Backend& backend() { return *backend_; }
  chain::EmbeddedChain* embedded() { return chain_.get(); }
  uint32_t height();
  lsp::Lsp& lsp() { return *lsp_; }
  client::Client& client(PartyId id);
  tower::Tower& tower(uint32_t i) { return *towers_.at(i).core; }
  size_t tower_count() const { return towers_.size(); }
  std::vector<PartyId> clients() const;
  const core::PeerId& peer(PartyId id) const { return peers_.at(id); }
  std::optional<PartyId> party_of(const core::PeerId& p) const;
  const std::vector<TxRecord>& txs() const { return txs_; }
  const std::vector<core::Event>& events() const { return events_; }
  const Books& books() const { return books_; }
  // Σ unspent P2A anchors created by the parties' txs.
  btc::Amount anchors();
  // What every party holds plus fees plus anchors, against what was put in:
  // "sim.not-conserved" with the breakdown when they differ.
  Status check_conservation();
  // Hooks for the timeline: called for every event and tx as they happen.
  std::function<void(const core::Event&)> on_event;
  std::function<void(const TxRecord&)> on_tx;
  // A test-only interposer on L's broadcasts (a misbehaving LSP).
  std::function<void(core::Broadcast&)> lsp_broadcast_filter;

 private:
  Status drain(PartyId from, core::Outbox& out);
  Status submit(PartyId from, core::Broadcast b);
  Status route_chain_events();
  void deliver_event(PartyId to, const chain::ChainEvent& e);
  Status deliver_message(PartyId from, PartyId to, const migrate::PeerMessage& m);
  core::Host host_for(store::MemoryStore& store);

  Options opt_;
  std::unique_ptr<chain::EmbeddedChain> chain_;
  std::unique_ptr<chain::Backend> owned_backend_;
  chain::Backend* backend_ = nullptr;
  std::unique_ptr<core::ChainView> view_;
  IndexedView* index_ = nullptr;  // view_ when the world owns the chain
  core::NullLogger null_log_;
  core::SeededRandom random_;

  std::unique_ptr<store::MemoryStore> lsp_store_;
  std::unique_ptr<lsp::Lsp> lsp_;
  struct TowerSlot {
    std::unique_ptr<store::MemoryStore> store;
    std::unique_ptr<tower::Tower> core;
  };
  std::vector<TowerSlot> towers_;
  struct ClientSlot {
    std::unique_ptr<store::MemoryStore> store;
    std::unique_ptr<client::Client> core;
    bool online = false;
    std::vector<std::pair<PartyId, migrate::PeerMessage>> inbox;  // waiting while offline
    std::vector<chain::ChainEvent> chain_inbox;
  };
  std::map<PartyId, ClientSlot> clients_;
  std::vector<core::PeerId> peers_;  // by party
  std::map<core::PeerId, PartyId> party_by_peer_;

  std::deque<std::tuple<PartyId, PartyId, migrate::PeerMessage>> network_;
  std::unordered_map<btc::Txid, std::vector<PartyId>, chain::TxidHasher> txid_watchers_;
  std::map<btc::OutPoint, std::vector<PartyId>> outpoint_watchers_;
  std::vector<TxRecord> txs_;
  std::vector<core::Event> events_;
  std::vector<btc::OutPoint> anchors_;
  Books books_;
  Bytes burn_script_;
  std::unique_ptr<core::Wallet> faucet_;
};

}  // namespace ladder::sim
