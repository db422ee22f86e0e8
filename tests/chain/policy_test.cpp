// Relay policy: what Bitcoin Core 28/29 refuses to relay, the embedded
// chain refuses too, with Core's reject strings.
#include <gtest/gtest.h>

#include "btc/opcodes.h"
#include "btc/standard_scripts.h"
#include "chain/embedded_chain.h"
#include "chain/policy.h"
#include "test_wallet.h"

namespace ladder::chain {
namespace {

using testing::Spend;
using testing::TestWallet;

struct PolicyTest : ::testing::Test {
  EmbeddedChain chain;
  TestWallet w{4};
  void SetUp() override { w.mine(chain, 120); }
  Spend coin(int h) { return w.coinbase_at(chain, h); }
  btc::TxOut to_me(btc::Amount v) { return btc::TxOut{v, w.script()}; }
  static Spend out(const btc::Transaction& tx, uint32_t n) { return Spend{btc::OutPoint{tx.txid(), n}, tx.vout[n]}; }
  std::string reject(const btc::Transaction& tx) {
    auto r = chain.submit(tx);
    return r ? std::string("accepted") : r.error().code;
  }
};

TEST_F(PolicyTest, DustLimits) {
  EXPECT_EQ(dust_threshold(btc::TxOut{0, btc::p2a_script()}, 3000), 240);
  EXPECT_EQ(dust_threshold(btc::TxOut{0, w.script()}, 3000), 330);
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(49 * btc::COIN), btc::TxOut{239, btc::p2a_script()}})), "dust");
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(49 * btc::COIN), btc::TxOut{329, w.script()}})), "dust");
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(49 * btc::COIN), btc::TxOut{240, btc::p2a_script()}})), "accepted");
}

TEST_F(PolicyTest, VersionsOneToThreeOnly) {
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(49 * btc::COIN)}, 4)), "version");
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(49 * btc::COIN)}, 0)), "version");
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(49 * btc::COIN)}, 1)), "accepted");
}

TEST_F(PolicyTest, OutputTypes) {
  Bytes op_return_80 = {btc::OP_RETURN, btc::OP_PUSHDATA1, 80};
  op_return_80.resize(83, 0xaa);
  Bytes op_return_81 = {btc::OP_RETURN, btc::OP_PUSHDATA1, 81};
  op_return_81.resize(84, 0xaa);
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(49 * btc::COIN), btc::TxOut{0, op_return_81}})), "scriptpubkey");
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(49 * btc::COIN), btc::TxOut{0, op_return_80}, btc::TxOut{0, op_return_80}})),
            "multi-op-return");
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(49 * btc::COIN), btc::TxOut{1000, Bytes{btc::OP_TRUE}}})), "scriptpubkey");
  Bytes wit_v2 = btc::witness_program_script(2, Bytes(32, 1));
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(49 * btc::COIN), btc::TxOut{1000, wit_v2}, btc::TxOut{0, op_return_80}})),
            "accepted");
}

TEST_F(PolicyTest, SizeAndFee) {
  EXPECT_EQ(reject(w.spend({coin(1)}, {btc::TxOut{0, Bytes{btc::OP_RETURN}}})), "tx-size-small");
  EXPECT_EQ(reject(w.spend({coin(1)}, {to_me(50 * btc::COIN)})), "min relay fee not met");
  std::vector<btc::TxOut> many(2400, to_me(1000));
  EXPECT_EQ(reject(w.spend({coin(1)}, many)), "tx-size");
}

TEST_F(PolicyTest, NonStandardInputsAndWitnesses) {
  // A bare OP_TRUE output can be mined but not spent by a relayed tx.
  auto fund = w.spend({coin(1)}, {to_me(48 * btc::COIN), btc::TxOut{btc::COIN, Bytes{btc::OP_TRUE}},
                                  btc::TxOut{10'000, btc::p2a_script()}});
  ASSERT_TRUE(chain.mine_block_with({fund}, w.script()));
  btc::Transaction bare = w.spend({out(fund, 0)}, {to_me(48 * btc::COIN)});
  bare.vin.push_back(btc::TxIn{btc::OutPoint{fund.txid(), 1}, {}, 0xfffffffd, {}});
  w.sign(bare, {fund.vout[0], fund.vout[1]});
  EXPECT_EQ(reject(bare), "bad-txns-nonstandard-inputs");
  // P2A is spent with an empty witness; anything in it is non-standard.
  auto anchor = w.spend({out(fund, 2), out(fund, 0)}, {to_me(48 * btc::COIN)});
  auto stuffed = anchor;
  stuffed.vin[0].witness = {Bytes{1}};
  EXPECT_EQ(reject(stuffed), "bad-witness-nonstandard");
  EXPECT_EQ(reject(anchor), "accepted");
}

TEST_F(PolicyTest, TrucSizeAndInheritance) {
  std::vector<btc::TxOut> outs(240, to_me(1000));  // ≈ 10.4 kvB
  EXPECT_EQ(reject(w.spend({coin(1)}, outs, 3)), "TRUC-violation");
  auto v3 = w.spend({coin(1)}, {to_me(49 * btc::COIN), btc::TxOut{240, btc::p2a_script()}}, 3);
  auto v2 = w.spend({coin(2)}, {to_me(49 * btc::COIN)}, 2);
  ASSERT_EQ(reject(v3), "accepted");
  ASSERT_EQ(reject(v2), "accepted");
  EXPECT_EQ(reject(w.spend({out(v3, 0)}, {to_me(48 * btc::COIN)}, 2)), "TRUC-violation");
  EXPECT_EQ(reject(w.spend({out(v2, 0)}, {to_me(48 * btc::COIN)}, 3)), "TRUC-violation");
  std::vector<btc::TxOut> child_outs(25, to_me(100'000));
  EXPECT_EQ(reject(w.spend({out(v3, 0)}, child_outs, 3)), "TRUC-violation") << "child over 1,000 vB";
}

TEST_F(PolicyTest, TrucOneChildAndSiblingEviction) {
  auto parent = w.spend({coin(1)}, {to_me(49 * btc::COIN), btc::TxOut{240, btc::p2a_script()}}, 3);
  ASSERT_EQ(reject(parent), "accepted");
  auto child = w.spend({out(parent, 0)}, {to_me(49 * btc::COIN - 1000)}, 3);
  ASSERT_EQ(reject(child), "accepted");
  EXPECT_EQ(reject(w.spend({out(child, 0)}, {to_me(49 * btc::COIN - 2000)}, 3)), "TRUC-violation") << "grandchild";
  // A second child (CPFP through the anchor) must pay enough to evict the first.
  auto cheap = w.spend({out(parent, 1), coin(2)}, {to_me(50 * btc::COIN - 500)}, 3);
  EXPECT_EQ(reject(cheap), "insufficient fee (including sibling eviction)");
  auto rich = w.spend({out(parent, 1), coin(2)}, {to_me(50 * btc::COIN - 100'000)}, 3);
  auto r = chain.submit(rich);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->replaced, std::vector<btc::Txid>{child.txid()});
}

TEST_F(PolicyTest, ReplacementRules) {
  auto a = w.spend({coin(1)}, {to_me(49 * btc::COIN)});
  auto unrelated = w.spend({coin(2)}, {to_me(49 * btc::COIN)});
  ASSERT_EQ(reject(a), "accepted");
  ASSERT_EQ(reject(unrelated), "accepted");
  // Spending the tx it replaces.
  auto self = w.spend({coin(1), out(a, 0)}, {to_me(97 * btc::COIN)});
  EXPECT_EQ(reject(self), "bad-txns-spends-conflicting-tx");
  // Adding a new unconfirmed input.
  auto adds = w.spend({coin(1), out(unrelated, 0)}, {to_me(97 * btc::COIN)});
  EXPECT_EQ(reject(adds), "replacement-adds-unconfirmed");
  // Higher rate but not enough absolute fee to pay for relay.
  auto thin = w.spend({coin(1)}, {to_me(49 * btc::COIN - 50)});
  EXPECT_EQ(reject(thin), "insufficient fee");
}

}  // namespace
}  // namespace ladder::chain
