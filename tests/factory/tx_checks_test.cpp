// A signer's checks of every tree tx it signs (DESIGN §3 (R)): each kind of
// non-standard or wrong tx is refused.
#include <gtest/gtest.h>

#include "btc/standard_scripts.h"
#include "factory/tx_checks.h"

namespace ladder::factory {
namespace {

FactoryTerms terms(uint32_t n) {
  FactoryTerms t;
  t.factory_id = 5;
  t.lsp_key = crypto::SecretKey::generate().pubkey().bytes();
  for (uint32_t i = 0; i < n; ++i) t.clients.push_back({crypto::SecretKey::generate().pubkey().bytes(), 150'000, 100'000});
  auto shape = Shape::build(n, t.params).value();
  t.lstock.assign(shape.leaves().size(), 60'000);
  t.heights = compute_heights(t.params, shape.levels(), 100);
  t.funding.txid.bytes[0] = 1;
  return t;
}

class TxChecks : public ::testing::Test {
 protected:
  Tree tree = Tree::create(terms(8)).value();
  SigningTarget target(TxKind kind, uint32_t node, uint32_t slot = kNodeInput) {
    return tree.target({kind, node, slot}).value();
  }
};

TEST_F(TxChecks, EveryTxOfAGoodTreePasses) {
  for (const auto& key : tree.all_txs()) EXPECT_TRUE(check_tree_tx(tree, tree.target(key).value())) << key.to_string();
}

TEST_F(TxChecks, RefusesEachKindOfBadTx) {
  uint32_t leaf = tree.shape().leaf_of(0);
  auto expect = [&](SigningTarget t, const char* code) {
    auto s = check_tree_tx(tree, t);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, code);
  };
  auto t = target(TxKind::state, leaf);
  t.tx.version = 2;
  expect(t, "factory.nonstandard-tx");
  t = target(TxKind::state, leaf);
  t.tx.vout.pop_back();  // the anchor
  expect(t, "factory.nonstandard-tx");
  t = target(TxKind::state, leaf);
  t.tx.vout[0].value = 100;  // dust
  expect(t, "factory.nonstandard-tx");
  t = target(TxKind::state, leaf);
  t.tx.vout.back().value += 1;  // anchor of another value
  expect(t, "factory.bad-tx");
  t = target(TxKind::state, leaf);
  t.tx.vin[0].sequence += 1;  // another DW value
  expect(t, "factory.bad-tx");
  t = target(TxKind::distribution, 0);
  t.tx.locktime -= 1;  // not TO
  expect(t, "factory.bad-tx");
  t = target(TxKind::kickoff, leaf);
  t.tx.vout[0].value -= 50'000;  // value burnt as fee
  expect(t, "factory.bad-tx");
  t = target(TxKind::kickoff, leaf);
  t.tx.vout[0].value += 1'000;  // more out than in
  expect(t, "factory.bad-tx");
  t = target(TxKind::static_tx, 0);
  for (int i = 0; i < 300; ++i) t.tx.vout.insert(t.tx.vout.begin(), {1'000, Bytes(34, 0x51)});
  expect(t, "factory.nonstandard-tx");  // above 10,000 vB
}

}  // namespace
}  // namespace ladder::factory
