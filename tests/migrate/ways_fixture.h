// An in-process world for the migration flows: the embedded chain, a test
// wallet, L's wallet, the old factory (and, for options 1/3b, a newer one)
// built by the real ceremony, the client's channel on its leaf in each, and
// a Host that moves the flows' outputs — migration messages, channel
// messages (with the commitment dance), broadcasts — and feeds them the
// chain block by block (and the mempool as txs are broadcast).
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "channel_fixture.h"
#include "migrate/batch.h"
#include "migrate/flow.h"
#include "support/factory_harness.h"

namespace ladder::migrate::test {

using channel::test::must;

struct WorldSetup {
  uint32_t clients = 2;
  bool new_factory = false;
  btc::Amount client_balance = 150'000;
  btc::Amount lsp_balance = 100'000;
};

struct World {
  explicit World(WorldSetup setup = {});

  chain::EmbeddedChain chain;
  ladder::test::TestWallet wallet{chain};
  crypto::SecretKey lsp_wallet = crypto::SecretKey::generate();
  Bytes lsp_script;
  std::vector<BatchInput> lsp_coins;  // L's wallet coins, 1,000,000 sat each
  std::unique_ptr<ladder::test::FactoryHarness> old_factory, new_factory;
  std::optional<channel::test::Pair> old_pair, new_pair;  // client 0's channels

  uint32_t tip() const { return static_cast<uint32_t>(chain.height()); }
  // The client's (client 0's) old factory key and its channel's leaf.
  const crypto::SecretKey& client_key() const { return old_factory->client_keys[0]; }
  LegContext old_legs() const;
  LegContext new_legs() const;  // old legs plus X and TO of the new factory
  // L's wallet signs every input of `tx` (each one of its coins).
  btc::Transaction sign_lsp(btc::Transaction tx, const std::vector<BatchInput>& inputs) const;
  // The batch with `outputs`, frozen, funded from L's first coin.
  Batch frozen_batch(uint64_t id, const std::vector<BatchOutput>& outputs);
  // The batch signed by L's wallet and broadcast (returns the tx).
  btc::Transaction broadcast_batch(Batch& batch);
};

// One side's flow, as the host drives it. Unset hooks are ignored.
struct Side {
  std::function<Expected<FlowOutput>(size_t, const channel::ChannelEvent&)> channel_event;  // 0 old, 1 new
  std::function<Expected<FlowOutput>(const Message&)> message;
  std::function<FlowOutput(const btc::Transaction&, std::optional<uint32_t>)> tx;
  std::function<FlowOutput(const btc::Txid&)> unconfirmed;
  std::function<FlowOutput(uint32_t)> tip;
};

class Host {
 public:
  explicit Host(World& world);

  Side client, lsp;
  bool client_online = true;

  // Queues a flow's output (from the client or from L) and runs.
  void send(bool from_client, FlowOutput out);
  // Delivers everything deliverable until nothing moves.
  void run();
  // Mines `n` blocks one at a time, feeding each to the flows.
  void mine(int n);
  void mine_to(uint32_t height) { mine(static_cast<int>(height - world_.tip())); }
  // Disconnects the last `depth` blocks (their txs go back to the mempool
  // when still valid) and tells the flows.
  void disconnect(int depth);
  // Feeds the current tip again; a client back online is first fed the
  // blocks it missed (what its chain backend would report for its watches).
  void tick();

  std::vector<FlowEvent> client_events, lsp_events;
  std::vector<Error> client_errors, lsp_errors;  // errors flows returned on messages
  std::vector<btc::Transaction> accepted;        // broadcasts the chain took
  bool client_saw(FlowEventKind k) const;
  bool lsp_saw(FlowEventKind k) const;
  size_t pending_to_client() const { return to_client_.size(); }

 private:
  struct LinkQ {
    channel::Channel* client;
    channel::Channel* lsp;
    std::deque<channel::Message> to_client, to_lsp;
  };
  bool step();
  void feed(const btc::Transaction& tx, std::optional<uint32_t> height);
  LinkQ& link_of(const channel::ChannelId& id);

  World& world_;
  uint32_t client_synced_ = 0;  // the last block the client was fed
  std::vector<LinkQ> links_;
  std::deque<Message> to_client_, to_lsp_;
};

// Value the client and L hold, for conservation checks: off-chain balances
// of the client's channels (client and L sides, pending locks apart) and
// on-chain outputs the test names.
btc::Amount channel_total(const channel::Channel& ch);

}  // namespace ladder::migrate::test
