// chain::Backend over the embedded chain: broadcast verdicts, lookups, and
// watch events across blocks and reorgs.
#include <gtest/gtest.h>

#include "chain/embedded_backend.h"
#include "event_kinds.h"
#include "test_wallet.h"

namespace ladder::chain {
namespace {

using testing::kinds;
using testing::Spend;
using testing::TestWallet;

struct BackendTest : ::testing::Test {
  EmbeddedChain chain;
  EmbeddedBackend backend{chain};
  TestWallet w{7};
  void SetUp() override {
    w.mine(chain, 101);
    ASSERT_TRUE(backend.poll());
  }
  Spend coin(int h) { return w.coinbase_at(chain, h); }
  btc::TxOut to_me(btc::Amount v) { return btc::TxOut{v, w.script()}; }
};

TEST_F(BackendTest, BroadcastAndLookups) {
  auto tx = w.spend({coin(1)}, {to_me(49 * btc::COIN)});
  auto r = backend.broadcast(tx);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, tx.txid());
  EXPECT_TRUE(backend.broadcast(tx)) << "re-broadcast of a mempool tx succeeds";
  auto st = backend.get_tx(tx.txid());
  ASSERT_TRUE(st && st->has_value());
  EXPECT_EQ((*st)->confirmations, 0);
  ASSERT_TRUE(backend.mine(3, w.script()));
  st = backend.get_tx(tx.txid());
  EXPECT_EQ((*st)->confirmations, 3);
  EXPECT_EQ((*st)->height, 102);
  EXPECT_EQ(backend.broadcast(tx).error().code, "txn-already-known");
  auto missing = backend.get_tx(btc::Txid{Bytes32{9}});
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  auto t = backend.tip();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->height, 104);
  EXPECT_EQ(t->median_time_past, chain.median_time_past());
  auto utxos = backend.unspent_outputs(w.script());
  ASSERT_TRUE(utxos);
  EXPECT_EQ(utxos->size(), 104u) << "103 coinbases + the tx output (coinbase 1 spent)";
  auto fee = backend.estimate_fee_per_kvb(6);
  ASSERT_TRUE(fee);
  EXPECT_GE(*fee, 1000);
  EXPECT_EQ(backend.broadcast(w.spend({coin(1)}, {to_me(48 * btc::COIN)})).error().code, "bad-txns-inputs-missingorspent");
}

TEST_F(BackendTest, WatchEventsAcrossAReorg) {
  Spend c = coin(1);
  auto tx = w.spend({c}, {to_me(49 * btc::COIN)});
  backend.watch_txid(tx.txid());
  backend.watch_outpoint(c.outpoint);
  ASSERT_TRUE(backend.broadcast(tx));
  auto ev = backend.poll();
  ASSERT_TRUE(ev);
  EXPECT_EQ(kinds(*ev), std::vector<std::string>{"outpoint_spent_in_mempool"});
  EXPECT_EQ((*ev)[0].txid, tx.txid());
  ASSERT_TRUE((*ev)[0].spending_tx);
  EXPECT_EQ(*(*ev)[0].spending_tx, tx);
  EXPECT_TRUE(backend.poll()->empty()) << "the same mempool spend is reported once";

  ASSERT_TRUE(backend.mine(1, w.script()));
  ev = backend.poll();
  ASSERT_TRUE(ev);
  EXPECT_EQ(kinds(*ev), (std::vector<std::string>{"block_connected", "tx_confirmed", "outpoint_spent"}));
  EXPECT_EQ((*ev)[1].height, 102);

  // A competing branch confirms a different spend of the same coin.
  auto rival = w.spend({c}, {to_me(48 * btc::COIN)});
  ASSERT_TRUE(chain.reorg(1, {{rival}, {}}, w.script()));
  ev = backend.poll();
  ASSERT_TRUE(ev);
  EXPECT_EQ(kinds(*ev), (std::vector<std::string>{"tx_reorged_out", "outpoint_spend_reorged_out", "block_disconnected",
                                                  "block_connected", "outpoint_spent", "block_connected"}));
  EXPECT_EQ((*ev)[4].txid, rival.txid());
  EXPECT_EQ(backend.get_tx(tx.txid())->has_value(), false) << "the original was dropped";
}

TEST_F(BackendTest, InvalidateReturnsTheTxAndItIsReportedAgain) {
  auto tx = w.spend({coin(1)}, {to_me(49 * btc::COIN)});
  ASSERT_TRUE(backend.broadcast(tx));
  ASSERT_TRUE(backend.mine(1, w.script()));
  ASSERT_TRUE(backend.poll());
  // Watched after it confirmed: the tx is reported; the earlier spend of the
  // outpoint is not (spends are seen from registration on).
  backend.watch_txid(tx.txid());
  backend.watch_outpoint(coin(1).outpoint);
  auto ev = backend.poll();
  ASSERT_TRUE(ev);
  EXPECT_EQ(kinds(*ev), std::vector<std::string>{"tx_confirmed"});
  ASSERT_TRUE(chain.invalidate(1));
  ev = backend.poll();
  ASSERT_TRUE(ev);
  EXPECT_EQ(kinds(*ev), (std::vector<std::string>{"tx_reorged_out", "block_disconnected", "outpoint_spent_in_mempool"}));
  ASSERT_TRUE(backend.mine(1, w.script()));
  ev = backend.poll();
  EXPECT_EQ(kinds(*ev), (std::vector<std::string>{"block_connected", "tx_confirmed", "outpoint_spent"}));
}

TEST_F(BackendTest, ReorgDeeperThanTheWatchersMemory) {
  ChainWatcher small(3);
  struct Src : BlockSource {
    EmbeddedChain& c;
    explicit Src(EmbeddedChain& ch) : c(ch) {}
    Expected<int> source_height() override { return c.height(); }
    Expected<Bytes32> source_block_hash(int h) override { return c.at_height(h)->hash; }
    Expected<std::shared_ptr<const Block>> source_block(const Bytes32& hash) override { return c.find_block(hash)->block; }
    Expected<std::optional<btc::Transaction>> source_mempool_spender(const btc::OutPoint&) override { return std::optional<btc::Transaction>{}; }
    Expected<std::optional<TxStatus>> source_tx(const btc::Txid&) override { return std::optional<TxStatus>{}; }
  } src(chain);
  ASSERT_TRUE(small.sync(src));
  ASSERT_TRUE(chain.mine(5, w.script()));
  ASSERT_TRUE(small.sync(src));
  ASSERT_TRUE(chain.reorg(4, {{}, {}, {}, {}, {}}, w.script()));
  auto r = small.sync(src);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "chain.reorg-too-deep");
  EXPECT_TRUE(small.sync(src)) << "restarted from the tip";
}

}  // namespace
}  // namespace ladder::chain
