// Lsp: the LSP's sans-IO core (DESIGN §8, §9). It owns the ladder — one
// factory born per day from that day's joiners (newcomers with a deposit,
// migrants), each client's channel opened on its leaf before the funding is
// broadcast — notifies every client when its factory enters the dying
// period, runs migrations as clients come, resolves the absent after the
// window, sweeps what departed clients left, batches the day's on-chain
// outputs into as few transactions as possible, and keeps L's wallet.
//
// Inputs: on_message (a peer message), on_connected / on_disconnected,
// on_chain_event (the host forwards its backend's events for the watches the
// core asked for, and every block_connected / block_disconnected), on_tick.
// Outputs: outbox() — messages, transactions with their purpose, watch
// requests, notifications, events — drained by the host after each input.
// Nothing happens unless an input arrives.
//
// Persistence (persist before reveal): every input's state changes are
// written in one RecordStore step before any message it produced is
// released to the outbox; a failed step keeps the messages back and the
// next input or tick retries it. Secret nonces are never written. load()
// rebuilds the core from its store after a restart.
//
// Ownership: the host owns the services (core::Host) and keeps them alive
// as long as the Lsp. Thread-safety: single-threaded. Failure: on_message
// returns the error of the step that refused the message ("lsp.*",
// "factory.*", "channel.*", "migrate.*"); the core's state is then as if
// the message had not arrived, except that a construction or migration a
// peer broke is abandoned.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "core/outbox.h"
#include "core/wallet.h"
#include "factory/guard.h"
#include "lsp/config.h"
#include "lsp/keys.h"
#include "lsp/state.h"
#include "migrate/key_vault.h"

namespace ladder::lsp {

// What L holds, for the simulator's conservation check and the demo.
struct LspHoldings {
  btc::Amount wallet = 0;            // confirmed and unconfirmed wallet coins
  btc::Amount channels = 0;          // L's side of every channel it has (latest state)
  btc::Amount factory_reserve = 0;   // L-stock, tree fees and anchors inside unpublished trees
  btc::Amount onchain_other = 0;     // swap/exit outputs not yet claimed, L's outputs of published trees
  btc::Amount total() const { return wallet + channels + factory_reserve + onchain_other; }
};

class Lsp {
 public:
  // First start: stores `seed` as the LSP's secret and starts empty.
  static Expected<std::unique_ptr<Lsp>> create(core::Host host, LspConfig config, const Bytes32& seed);
  // Restart: rebuilds everything from the store.
  static Expected<std::unique_ptr<Lsp>> load(core::Host host, LspConfig config);
  ~Lsp();

  // ---- inputs ----
  Status on_message(const core::PeerId& from, const migrate::PeerMessage& m);
  void on_connected(const core::PeerId& peer);
  void on_disconnected(const core::PeerId& peer);
  void on_chain_event(const chain::ChainEvent& e);
  void on_tick();

  // ---- outputs ----
  core::Outbox& outbox() { return out_; }

  // ---- inspection ----
  const LspConfig& config() const { return config_; }
  uint32_t height() const { return height_; }
  const Bytes& wallet_script() const { return wallet_.script(); }
  const std::map<uint64_t, LiveFactory>& factories() const { return factories_; }
  const std::map<migrate::MigrationId, LspMigration>& migrations() const { return migrations_; }
  LiveFactory* factory(uint64_t id);
  std::optional<uint64_t> constructing() const;
  LspHoldings holdings();
  // The last error a peer or the store caused (for logs).
  const std::optional<Error>& last_error() const { return last_error_; }

 private:
  Lsp(core::Host host, LspConfig config, LspKeys keys);
  friend class LspAccess;

  // lsp.cpp: dispatch and the persist-before-release discipline.
  Status dispatch(const core::PeerId& from, const migrate::PeerMessage& m);
  Status flush();
  void fail(const Error& e);
  void mark(std::string kind, Bytes id) { dirty_.insert({std::move(kind), std::move(id)}); }

  // lsp_persist.cpp: the records of the store.
  Status persist_dirty(store::StepWriter& w);
  Status restore();

  // lsp_join.cpp: joins and the day's factory.
  Status on_join(const core::PeerId& from, const migrate::JoinRequest& r);
  Status on_deposit_sig(const core::PeerId& from, const migrate::DepositSig& s);
  std::vector<Joiner> take_joiners();
  Expected<factory::FactoryTerms> draft_terms(uint64_t factory_id, const std::vector<Joiner>& joiners);
  Status propose(Building& b, uint32_t attempt);
  Status on_construction_message(uint32_t who, const migrate::PeerMessage& m);
  Status construction_completed();
  Status retry_construction(const std::vector<uint32_t>& drop);
  void factory_funded(const btc::Transaction& batch_tx);
  void check_construction_timeout();
  btc::Amount fee_rate();
  uint32_t next_ceremony_height() const;

  // lsp_batch.cpp: batches.
  Status start_day();
  Expected<uint64_t> new_batch(const std::vector<migrate::MigrationId>& outs, Building* b,
                               const std::vector<migrate::BatchInput>& inputs);
  Expected<uint64_t> rebuild_batch(uint64_t old_id, uint64_t failed_factory,
                                   const std::vector<btc::OutPoint>& dropped_deposits, Building* b);
  Status start_claims(PendingBatch& pb);
  Status queue_output(LspMigration& m);
  Status maybe_broadcast(uint64_t batch_id);
  void check_batch_timeouts();
  uint32_t promised_batch_height() const;

  // lsp_migrate.cpp: migrations.
  Status on_migration_message(const core::PeerId& from, const migrate::Message& msg);
  Status on_migrate_request(const core::PeerId& from, const migrate::MigrateRequest& req);
  Status on_handover(LspMigration& m, const migrate::Handover& h);
  Status apply_flow(LspMigration& m, migrate::FlowOutput out);
  Status migrations_on_tip();
  Status migrations_on_tx(const btc::Transaction& tx, std::optional<uint32_t> height);
  void depart(LiveFactory& f, uint32_t client);
  migrate::LegContext leg_context(const LiveFactory& f) const;
  migrate::LspPolicy migration_policy();

  // lsp_channels.cpp: channel messages of live factories.
  Status on_channel_message(const core::PeerId& from, const channel::Message& m);
  Status sign_if_needed(Member& member);
  // What L does with its channel's events (forwards, migration legs).
  Status on_channel_events(LiveFactory& f, Member& member);
  Member* member_by_channel(const channel::ChannelId& id, LiveFactory** f = nullptr);

  // lsp_life.cpp: the lifecycle of live factories.
  void on_block(uint32_t height);
  void on_tx_confirmed(const btc::Txid& txid, uint32_t height);
  void notify_dying(LiveFactory& f);
  void event(std::string kind, uint64_t factory, std::optional<core::PeerId> peer = std::nullopt,
             btc::Amount amount = 0, std::string detail = {});

  core::Host host_;
  LspConfig config_;
  LspKeys keys_;
  core::Wallet wallet_;
  factory::GuardTable guard_;
  std::unique_ptr<factory::GuardStore> guard_store_;
  core::Outbox out_;      // released
  core::Outbox pending_;  // produced by the current input, released after the step
  std::set<StoreKey> dirty_;
  uint32_t height_ = 0;
  uint64_t next_factory_id_ = 1;
  uint64_t next_batch_id_ = 1;
  std::set<core::PeerId> connected_;
  std::vector<Joiner> joiners_;
  std::optional<Building> building_;
  std::map<uint64_t, PendingBatch> pending_batches_;
  std::vector<migrate::MigrationId> queued_outputs_;
  std::map<migrate::MigrationId, LspMigration> migrations_;
  migrate::KeyVault vault_;
  std::map<uint64_t, LiveFactory> factories_;
  std::map<channel::ChannelId, std::pair<uint64_t, uint32_t>> channel_index_;
  std::map<uint64_t, BatchRecord> batches_;
  std::optional<Error> last_error_;
};

}  // namespace ladder::lsp
