// nLockTime by height and by time (BIP-113: against median time past) and
// BIP-68 relative locks by height and by time, in the mempool and in blocks.
#include <gtest/gtest.h>

#include "btc/opcodes.h"
#include "btc/script.h"
#include "chain/embedded_chain.h"
#include "test_wallet.h"

namespace ladder::chain {
namespace {

using testing::Spend;
using testing::TestWallet;

struct LockTest : ::testing::Test {
  EmbeddedChain chain;
  TestWallet w{3};
  void SetUp() override { w.mine(chain, 110); }
  Spend coin(int h) { return w.coinbase_at(chain, h); }
  btc::TxOut to_me(btc::Amount v) { return btc::TxOut{v, w.script()}; }
  // Confirms an output paying to the P2WSH "anyone" script; returns it and its height.
  Spend confirmed_anyone_output(int coinbase_height) {
    auto fund = w.spend({coin(coinbase_height)}, {btc::TxOut{49 * btc::COIN, testing::p2wsh_of(testing::op_true_script())}});
    EXPECT_TRUE(chain.submit(fund));
    w.mine(chain, 1);
    return Spend{btc::OutPoint{fund.txid(), 0}, fund.vout[0]};
  }
};

TEST_F(LockTest, LockTimeByHeight) {
  int next = chain.height() + 1;
  auto at_next = w.spend({coin(1)}, {to_me(49 * btc::COIN)}, 2, static_cast<uint32_t>(next - 1));
  auto too_early = w.spend({coin(2)}, {to_me(49 * btc::COIN)}, 2, static_cast<uint32_t>(next));
  EXPECT_TRUE(chain.submit(at_next));
  auto r = chain.submit(too_early);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "non-final");
  EXPECT_EQ(chain.mine_block_with({too_early}, w.script()).error().code, "bad-txns-nonfinal");
  w.mine(chain, 1);
  EXPECT_TRUE(chain.submit(too_early));
  // All-final sequences disable nLockTime.
  auto disabled = w.spend({coin(3)}, {to_me(49 * btc::COIN)}, 2, 1'000'000, btc::SEQUENCE_FINAL);
  EXPECT_TRUE(chain.submit(disabled));
}

TEST_F(LockTest, LockTimeByTimeUsesMedianTimePast) {
  // Between the median time past and the tip's own timestamp: final by the
  // tip's clock, not by BIP-113's.
  uint32_t lock = chain.tip().block->header.time - 1;
  ASSERT_GT(static_cast<int64_t>(lock), chain.median_time_past());
  auto tx = w.spend({coin(1)}, {to_me(49 * btc::COIN)}, 2, lock);
  auto r = chain.submit(tx);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "non-final");
  EXPECT_NE(r.error().message.find("BIP-113"), std::string::npos);
  int mined = 0;
  while (chain.median_time_past() <= static_cast<int64_t>(lock)) {
    EXPECT_FALSE(chain.submit(tx));
    w.mine(chain, 1);
    ++mined;
  }
  EXPECT_GE(mined, 5) << "the median of 11 timestamps lags the tip by about 5 blocks";
  EXPECT_TRUE(chain.submit(tx));
}

TEST_F(LockTest, RelativeLockByHeight) {
  Spend c = confirmed_anyone_output(1);
  int coin_height = chain.height();
  auto tx = w.spend({c}, {to_me(48 * btc::COIN)}, 2, 0, 5);  // 5 blocks
  for (int next = chain.height() + 1; next < coin_height + 5; next = chain.height() + 1) {
    auto r = chain.submit(tx);
    ASSERT_FALSE(r) << next;
    EXPECT_EQ(r.error().code, "non-BIP68-final");
    EXPECT_NE(r.error().message.find("can be mined from height " + std::to_string(coin_height + 5)), std::string::npos)
        << r.error().message;
    w.mine(chain, 1);
  }
  EXPECT_TRUE(chain.submit(tx));
  // nVersion 1 has no relative locks; the disable flag turns it off.
  Spend c2 = confirmed_anyone_output(2);
  EXPECT_TRUE(chain.submit(w.spend({c2}, {to_me(48 * btc::COIN)}, 1, 0, 100)));
  Spend c3 = confirmed_anyone_output(3);
  EXPECT_TRUE(chain.submit(w.spend({c3}, {to_me(48 * btc::COIN)}, 2, 0, btc::SEQUENCE_LOCKTIME_DISABLE_FLAG | 100)));
}

TEST_F(LockTest, RelativeLockByHeightInBlocks) {
  Spend c = confirmed_anyone_output(1);
  auto tx = w.spend({c}, {to_me(48 * btc::COIN)}, 2, 0, 3);
  int coin_height = chain.height();
  EXPECT_EQ(chain.mine_block_with({tx}, w.script()).error().code, "bad-txns-nonfinal");
  w.mine(chain, 1);
  EXPECT_EQ(chain.mine_block_with({tx}, w.script()).error().code, "bad-txns-nonfinal");
  w.mine(chain, 1);
  ASSERT_EQ(chain.height() + 1, coin_height + 3);
  EXPECT_TRUE(chain.mine_block_with({tx}, w.script()));
}

TEST_F(LockTest, RelativeLockByTimeUsesTheCoinsBlockMedianTime) {
  Spend c = confirmed_anyone_output(1);
  int coin_height = chain.height();
  const int64_t coin_time = chain.at_height(coin_height - 1)->mtp;
  const uint32_t units = 4;  // 4 × 512 s
  auto tx = w.spend({c}, {to_me(48 * btc::COIN)}, 2, 0, btc::SEQUENCE_LOCKTIME_TYPE_FLAG | units);
  int rejected = 0;
  while (chain.median_time_past() <= coin_time + units * 512 - 1) {
    auto r = chain.submit(tx);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "non-BIP68-final");
    EXPECT_NE(r.error().message.find("relative time lock of 2048 s"), std::string::npos) << r.error().message;
    w.mine(chain, 1);
    ++rejected;
  }
  EXPECT_GE(rejected, 3);
  auto r = chain.submit(tx);
  EXPECT_TRUE(r) << r.error().to_string();
}

TEST_F(LockTest, CheckSequenceVerifyInScriptsAgreesWithBip68) {
  Bytes csv_script = btc::ScriptBuilder().push_int(3).op(btc::OP_CHECKSEQUENCEVERIFY).take();
  w.add_witness_script(csv_script);
  auto fund = w.spend({coin(1)}, {btc::TxOut{49 * btc::COIN, testing::p2wsh_of(csv_script)}});
  ASSERT_TRUE(chain.submit(fund));
  w.mine(chain, 1);
  Spend c{btc::OutPoint{fund.txid(), 0}, fund.vout[0]};
  // nSequence below the script's requirement fails in the script.
  auto weak = w.spend({c}, {to_me(48 * btc::COIN)}, 2, 0, 1);
  auto r = chain.submit(weak);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "mandatory-script-verify-flag-failed");
  auto tx = w.spend({c}, {to_me(48 * btc::COIN)}, 2, 0, 3);
  EXPECT_EQ(chain.submit(tx).error().code, "non-BIP68-final");
  w.mine(chain, 2);
  EXPECT_TRUE(chain.submit(tx));
}

}  // namespace
}  // namespace ladder::chain
