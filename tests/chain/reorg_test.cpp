// Reorgs: disconnected txs return to the mempool when still valid and are
// dropped when the new chain conflicts with them or makes them invalid; the
// UTXO set is restored exactly.
#include <gtest/gtest.h>

#include <map>

#include "chain/embedded_chain.h"
#include "test_wallet.h"

namespace ladder::chain {
namespace {

using testing::Spend;
using testing::TestWallet;

struct ReorgTest : ::testing::Test {
  EmbeddedChain chain;
  TestWallet w{5};
  TestWallet other{6};
  void SetUp() override { w.mine(chain, 101); }
  Spend coin(int h) { return w.coinbase_at(chain, h); }
  btc::TxOut to(const TestWallet& x, btc::Amount v) { return btc::TxOut{v, x.script()}; }
  static Spend out(const btc::Transaction& tx, uint32_t n) { return Spend{btc::OutPoint{tx.txid(), n}, tx.vout[n]}; }
  std::map<btc::OutPoint, Coin> snapshot() const {
    return std::map<btc::OutPoint, Coin>(chain.utxos().all().begin(), chain.utxos().all().end());
  }
};

TEST_F(ReorgTest, InvalidateRestoresUtxosAndReturnsTxsToTheMempool) {
  auto before = snapshot();
  auto a = w.spend({coin(1)}, {to(other, 49 * btc::COIN)});
  auto b = other.spend({out(a, 0)}, {to(other, 48 * btc::COIN)});
  ASSERT_TRUE(chain.submit(a));
  ASSERT_TRUE(chain.submit(b));
  Bytes32 mined = w.mine(chain, 1)[0];
  ASSERT_EQ(chain.find_tx(b.txid())->confirmations, 1);
  ASSERT_TRUE(chain.invalidate(1));
  EXPECT_EQ(chain.height(), 101);
  EXPECT_FALSE(chain.is_active(mined));
  ASSERT_NE(chain.find_block(mined), nullptr) << "stale blocks stay retrievable";
  EXPECT_EQ(chain.find_tx(a.txid())->height, -1);
  EXPECT_EQ(chain.find_tx(b.txid())->height, -1);
  EXPECT_EQ(chain.mempool().size(), 2u);
  // Only the coinbase of the disconnected block differs from the UTXO set.
  auto after = snapshot();
  EXPECT_EQ(after, before);
  w.mine(chain, 1);
  EXPECT_EQ(chain.find_tx(b.txid())->height, 102);
}

TEST_F(ReorgTest, ConflictingBranchDropsTheOriginalAndItsChildren) {
  auto a = w.spend({coin(1)}, {to(other, 49 * btc::COIN)});
  auto child = other.spend({out(a, 0)}, {to(other, 48 * btc::COIN)});
  auto keep = w.spend({coin(2)}, {to(w, 49 * btc::COIN)});
  ASSERT_TRUE(chain.submit(a));
  ASSERT_TRUE(chain.submit(keep));
  w.mine(chain, 1);
  ASSERT_TRUE(chain.submit(child));
  auto double_spend = w.spend({coin(1)}, {to(w, 49 * btc::COIN)});
  ASSERT_TRUE(chain.reorg(1, {{double_spend}, {}}, w.script()));
  EXPECT_EQ(chain.height(), 103);
  EXPECT_FALSE(chain.find_tx(a.txid()));
  EXPECT_FALSE(chain.find_tx(child.txid()));
  EXPECT_EQ(chain.find_tx(double_spend.txid())->height, 102);
  EXPECT_EQ(chain.find_tx(keep.txid())->height, -1) << "the unrelated tx is back in the mempool";
}

TEST_F(ReorgTest, TxsThatBecomeImmatureOrNonFinalAreDropped) {
  // Spends the coinbase of block 2 in block 102 (depth exactly 100).
  auto spend_cb = w.spend({coin(2)}, {to(w, 49 * btc::COIN)});
  ASSERT_TRUE(chain.submit(spend_cb));
  auto timelocked = w.spend({coin(1)}, {to(w, 49 * btc::COIN)}, 2, 101);
  ASSERT_TRUE(chain.submit(timelocked));
  w.mine(chain, 1);
  ASSERT_EQ(chain.find_tx(spend_cb.txid())->height, 102);
  // Disconnect blocks 102 and 101: the next block is 101, where the coinbase
  // is immature and nLockTime 101 is not final.
  ASSERT_TRUE(chain.invalidate(2));
  EXPECT_EQ(chain.height(), 100);
  EXPECT_FALSE(chain.find_tx(spend_cb.txid()));
  EXPECT_FALSE(chain.find_tx(timelocked.txid()));
  EXPECT_EQ(chain.mempool().size(), 0u);
}

TEST_F(ReorgTest, InvalidNewBranchKeepsWhatWasMinedAndTheMempoolConsistent) {
  auto a = w.spend({coin(1)}, {to(other, 49 * btc::COIN)});
  ASSERT_TRUE(chain.submit(a));
  w.mine(chain, 1);
  auto bad = w.spend({coin(4)}, {to(w, 49 * btc::COIN)});  // immature at height 103
  auto r = chain.reorg(1, {{}, {bad}}, w.script());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "bad-txns-premature-spend-of-coinbase");
  EXPECT_EQ(chain.height(), 102);
  EXPECT_EQ(chain.find_tx(a.txid())->height, -1);
  EXPECT_EQ(chain.invalidate(500).error().code, "chain.reorg-too-deep");
}

}  // namespace
}  // namespace ladder::chain
