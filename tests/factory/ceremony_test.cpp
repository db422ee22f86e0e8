// The construction ceremony end to end, on the embedded chain.
#include <gtest/gtest.h>

#include "factory/tx_checks.h"
#include "support/factory_harness.h"

namespace ladder::factory {
namespace {

using test::FactoryHarness;
using test::FactorySetup;
using test::TestWallet;

class Ceremony : public ::testing::TestWithParam<TimeoutMode> {
 protected:
  chain::EmbeddedChain chain;
  TestWallet wallet{chain};
  void SetUp() override { wallet.mine_coins(5); }
  FactorySetup setup(uint32_t clients = 8) {
    FactorySetup s;
    s.clients = clients;
    s.params.mode = GetParam();
    return s;
  }
};

TEST_P(Ceremony, SignsTheWholeTreeInTwoRoundsAndEveryClientHoldsItsPath) {
  FactoryHarness h(chain, wallet, setup(8));
  h.run_ceremony();
  auto& tree = h.lsp_tree();
  for (const auto& key : tree.all_txs()) EXPECT_TRUE(tree.signed_tx(key)) << key.to_string();
  for (uint32_t c = 0; c < 8; ++c) {
    EXPECT_TRUE(h.signers[c].complete());
    for (const auto& key : h.client_tree(c).txs_of_client(c)) EXPECT_TRUE(h.client_tree(c).signed_tx(key));
  }
  // Distribution txs exist only in inverted mode.
  size_t dists = 0;
  for (const auto& key : tree.all_txs()) dists += key.kind == TxKind::distribution;
  EXPECT_EQ(dists > 0, GetParam() == TimeoutMode::clients);
}

TEST_P(Ceremony, FundsAreConservedInEveryTreeTx) {
  FactoryHarness h(chain, wallet, setup(8));
  auto tree = Tree::create(h.terms).value();
  btc::Amount channels = 0, lstock = 0;
  for (uint32_t c = 0; c < 8; ++c) channels += tree.capacity(c);
  for (uint32_t leaf : tree.shape().leaves()) lstock += tree.lstock_value(leaf);
  btc::Amount fees_and_anchors = 0;
  for (const auto& key : tree.all_txs()) {
    if (key.kind == TxKind::distribution) continue;
    auto t = tree.target(key).value();
    EXPECT_TRUE(check_tree_tx(tree, t)) << key.to_string();
    fees_and_anchors += t.spent.value - t.tx.total_out();  // fee
    for (const auto& o : t.tx.vout)
      if (o.value == h.setup.params.anchor_value && o.script_pubkey.size() == 4) fees_and_anchors += o.value;
  }
  EXPECT_EQ(tree.funding_value(), channels + lstock + fees_and_anchors);
}

TEST_P(Ceremony, EveryClientExitsUnilaterallyOnChain) {
  FactoryHarness h(chain, wallet, setup(8));
  h.run_ceremony();
  h.confirm_funding();
  for (uint32_t c = 0; c < 8; ++c) {
    auto sent = test::execute_exit(chain, wallet, h.client_tree(c), c);
    auto out = h.client_tree(c).leaf_outpoint(h.client_tree(c).shape().leaf_of(c), h.client_tree(c).shape().slot_in_leaf(c));
    ASSERT_TRUE(out);
    const auto* coin = chain.coin(*out);
    ASSERT_NE(coin, nullptr) << "client " << c;
    EXPECT_EQ(coin->out.value, h.setup.client_balance + h.setup.lsp_balance);
  }
}

INSTANTIATE_TEST_SUITE_P(BothModes, Ceremony, ::testing::Values(TimeoutMode::clients, TimeoutMode::lsp),
                         [](const auto& param_info) { return to_string(param_info.param); });

}  // namespace
}  // namespace ladder::factory
