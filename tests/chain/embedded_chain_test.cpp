// Mining, maturity, double spends, missing inputs, fees, duplicates and
// chains of unconfirmed transactions on the embedded chain.
#include <gtest/gtest.h>

#include "btc/opcodes.h"
#include "chain/embedded_chain.h"
#include "test_wallet.h"

namespace ladder::chain {
namespace {

using testing::Spend;
using testing::TestWallet;

btc::TxOut pay(const Bytes& script, btc::Amount v) { return btc::TxOut{v, script}; }

struct ChainTest : ::testing::Test {
  EmbeddedChain chain;
  TestWallet w{1};
  TestWallet other{2};
  // Coinbases of blocks 1 and 2 are spendable in the next block (102).
  void SetUp() override { w.mine(chain, 101); }
  Spend coin(int h) { return w.coinbase_at(chain, h); }
  Spend out(const btc::Transaction& tx, uint32_t n) { return Spend{btc::OutPoint{tx.txid(), n}, tx.vout[n]}; }
};

TEST_F(ChainTest, MiningPaysSubsidyAndAdvancesTime) {
  EXPECT_EQ(chain.height(), 101);
  EXPECT_EQ(coin(1).out.value, 50 * btc::COIN);
  EXPECT_GT(chain.tip().block->header.time, chain.at_height(100)->block->header.time);
  EXPECT_GT(chain.median_time_past(), chain.at_height(90)->mtp);
  // Subsidy halves every 150 blocks on the test chain.
  w.mine(chain, 50);
  EXPECT_EQ(coin(150).out.value, 25 * btc::COIN);
  EXPECT_EQ(coin(149).out.value, 50 * btc::COIN);
}

TEST_F(ChainTest, CoinbaseMaturity) {
  auto tx = w.spend({coin(3)}, {pay(w.script(), 49 * btc::COIN)});
  auto r = chain.submit(tx);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "bad-txns-premature-spend-of-coinbase");
  EXPECT_TRUE(chain.submit(w.spend({coin(1)}, {pay(w.script(), 49 * btc::COIN)})));
  w.mine(chain, 1);
  EXPECT_TRUE(chain.submit(tx)) << "mature after one more block";
}

TEST_F(ChainTest, SpendConfirmsAndFeeGoesToMiner) {
  auto tx = w.spend({coin(1)}, {pay(other.script(), 49 * btc::COIN)});
  auto r = chain.submit(tx);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->fee, btc::COIN);
  auto loc = chain.find_tx(tx.txid());
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->height, -1);
  w.mine(chain, 1);
  loc = chain.find_tx(tx.txid());
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->height, chain.height());
  EXPECT_EQ(loc->confirmations, 1);
  EXPECT_EQ(chain.tip().block->txs[0].vout[0].value, chain.params().subsidy(chain.height()) + btc::COIN);
  EXPECT_EQ(chain.mempool().size(), 0u);
  EXPECT_TRUE(chain.coin(btc::OutPoint{tx.txid(), 0}));
  EXPECT_FALSE(chain.coin(coin(1).outpoint));
  auto utxos = chain.unspent_outputs(other.script());
  ASSERT_EQ(utxos.size(), 1u);
  EXPECT_EQ(utxos[0].out.value, 49 * btc::COIN);
}

TEST_F(ChainTest, MissingInputsAndNegativeFee) {
  Spend ghost{btc::OutPoint{btc::Txid{Bytes32{7}}, 0}, pay(w.script(), btc::COIN)};
  auto r = chain.submit(w.spend({ghost}, {pay(w.script(), btc::COIN / 2)}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "bad-txns-inputs-missingorspent");
  auto neg = chain.submit(w.spend({coin(1)}, {pay(w.script(), 51 * btc::COIN)}));
  ASSERT_FALSE(neg);
  EXPECT_EQ(neg.error().code, "bad-txns-in-belowout");
}

TEST_F(ChainTest, DoubleSpendNeedsAHigherFeeToReplace) {
  auto a = w.spend({coin(1)}, {pay(other.script(), 49 * btc::COIN)});
  auto b = w.spend({coin(1)}, {pay(w.script(), 49 * btc::COIN)});  // same fee
  ASSERT_TRUE(chain.submit(a));
  auto r = chain.submit(b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "insufficient fee");
  // With replace-by-fee disabled the conflict itself is the reason.
  ChainParams p;
  p.full_rbf = false;
  EmbeddedChain strict(p);
  w.mine(strict, 101);
  auto sa = w.spend({w.coinbase_at(strict, 1)}, {pay(other.script(), 49 * btc::COIN)}, 2, 0, 0xffffffff);
  auto sb = w.spend({w.coinbase_at(strict, 1)}, {pay(w.script(), 48 * btc::COIN)}, 2, 0, 0xffffffff);
  ASSERT_TRUE(strict.submit(sa));
  EXPECT_EQ(strict.submit(sb).error().code, "txn-mempool-conflict");
  // Once a is mined, b spends a spent coin.
  w.mine(chain, 1);
  EXPECT_EQ(chain.submit(b).error().code, "bad-txns-inputs-missingorspent");
}

TEST_F(ChainTest, ReplacementPayingMoreEvictsTheOriginalAndItsChild) {
  auto a = w.spend({coin(1)}, {pay(w.script(), 49 * btc::COIN)});
  ASSERT_TRUE(chain.submit(a));
  auto child = w.spend({out(a, 0)}, {pay(w.script(), 48 * btc::COIN)});
  ASSERT_TRUE(chain.submit(child));
  auto b = w.spend({coin(1)}, {pay(other.script(), 47 * btc::COIN)});
  auto r = chain.submit(b);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->replaced.size(), 2u);
  EXPECT_FALSE(chain.find_tx(a.txid()));
  EXPECT_FALSE(chain.find_tx(child.txid()));
}

TEST_F(ChainTest, DuplicatesAreRejected) {
  auto tx = w.spend({coin(1)}, {pay(w.script(), 49 * btc::COIN)});
  ASSERT_TRUE(chain.submit(tx));
  EXPECT_EQ(chain.submit(tx).error().code, "txn-already-in-mempool");
  w.mine(chain, 1);
  EXPECT_EQ(chain.submit(tx).error().code, "txn-already-known");
}

TEST_F(ChainTest, ChainsOfUnconfirmedTransactionsAreMinedInOrder) {
  auto a = w.spend({coin(1)}, {pay(w.script(), 49 * btc::COIN)});
  auto b = w.spend({out(a, 0)}, {pay(w.script(), 48 * btc::COIN)});
  auto c = w.spend({out(b, 0)}, {pay(w.script(), 47 * btc::COIN)});
  ASSERT_TRUE(chain.submit(a));
  ASSERT_TRUE(chain.submit(b));
  ASSERT_TRUE(chain.submit(c));
  // An unrelated tx paying a higher rate goes first; the chain keeps its order.
  auto d = w.spend({coin(2)}, {pay(w.script(), 40 * btc::COIN)});
  ASSERT_TRUE(chain.submit(d));
  w.mine(chain, 1);
  ASSERT_EQ(chain.mempool().size(), 0u);
  EXPECT_EQ(chain.find_tx(c.txid())->height, chain.height());
  const auto& txs = chain.tip().block->txs;
  ASSERT_EQ(txs.size(), 5u);
  EXPECT_EQ(txs[1].txid(), d.txid());
  EXPECT_EQ(txs[2].txid(), a.txid());
  EXPECT_EQ(txs[4].txid(), c.txid());
}

TEST_F(ChainTest, PackageLimitOf25) {
  auto prev = w.spend({coin(1)}, {pay(w.script(), 49 * btc::COIN)});
  ASSERT_TRUE(chain.submit(prev));
  for (int i = 1; i < 25; ++i) {
    auto next = w.spend({out(prev, 0)}, {pay(w.script(), prev.vout[0].value - 10'000)});
    ASSERT_TRUE(chain.submit(next)) << i;
    prev = next;
  }
  auto r = chain.submit(w.spend({out(prev, 0)}, {pay(w.script(), prev.vout[0].value - 10'000)}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "too-long-mempool-chain");
}

TEST_F(ChainTest, BadSignaturesFailScriptChecks) {
  auto tx = w.spend({coin(1)}, {pay(w.script(), 49 * btc::COIN)});
  tx.vin[0].witness[0][5] ^= 1;
  auto r = chain.submit(tx);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "mandatory-script-verify-flag-failed");
  // A policy-only failure: an upgradable NOP is valid by consensus but
  // discouraged by relay policy.
  Bytes nop_script = {btc::OP_NOP10, btc::OP_TRUE};
  TestWallet nop_wallet(1);
  nop_wallet.add_witness_script(nop_script);
  auto fund = w.spend({coin(2)}, {pay(testing::p2wsh_of(nop_script), 49 * btc::COIN)});
  ASSERT_TRUE(chain.submit(fund));
  w.mine(chain, 1);
  auto spend = nop_wallet.spend({out(fund, 0)}, {pay(w.script(), 48 * btc::COIN)});
  auto p = chain.submit(spend);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, "non-mandatory-script-verify-flag");
  // A block may still include it.
  auto mined = chain.mine_block_with({spend}, w.script());
  EXPECT_TRUE(mined) << mined.error().to_string();
}

TEST_F(ChainTest, BlocksWithInvalidTxsAreRejectedWithoutChange) {
  auto good = w.spend({coin(1)}, {pay(w.script(), 49 * btc::COIN)});
  auto bad = w.spend({coin(2)}, {pay(w.script(), 49 * btc::COIN)});
  bad.vin[0].witness[0][0] ^= 1;
  int h = chain.height();
  auto r = chain.mine_block_with({good, bad}, w.script());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "mandatory-script-verify-flag-failed");
  EXPECT_EQ(chain.height(), h);
  EXPECT_TRUE(chain.coin(coin(1).outpoint)) << "the good tx's spend was rolled back";
  EXPECT_FALSE(chain.coin(btc::OutPoint{good.txid(), 0}));
  auto over = w.spend({coin(1)}, {pay(w.script(), 51 * btc::COIN)});
  EXPECT_EQ(chain.mine_block_with({over}, w.script()).error().code, "bad-txns-in-belowout");
}

TEST_F(ChainTest, ExternalBlocksAreValidated) {
  Block b = *chain.tip().block;
  EXPECT_EQ(chain.connect_block(b).error().code, "bad-prevblk");
  b.header.prev_hash = chain.tip().hash;
  b.header.time = static_cast<uint32_t>(chain.median_time_past());
  while (!check_proof_of_work(b.header.hash(), b.header.bits)) ++b.header.nonce;
  EXPECT_EQ(chain.connect_block(b).error().code, "time-too-old");
}

}  // namespace
}  // namespace ladder::chain
