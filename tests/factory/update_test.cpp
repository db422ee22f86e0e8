// Tree updates: the odometer, children-first signing, the DW race on chain.
#include <gtest/gtest.h>

#include "factory/exit_planner.h"
#include "support/factory_harness.h"

namespace ladder::factory {
namespace {

using test::FactoryHarness;
using test::FactorySetup;
using test::TestWallet;

// L and the two clients of client 0's leaf, driven through an update's first
// two rounds (nonces; descendant partials aggregated by L).
struct LeafRound {
  UpdateCoordinator coord;
  UpdateSigner lsp, a, b;

  LeafRound(FactoryHarness& h, const Tree& l_tree, const Tree& a_tree, const Tree& b_tree, const UpdateProposal& update)
      : coord(UpdateCoordinator::create(l_tree, update).value()),
        lsp(h.lsp_key, std::nullopt, *h.guards.back(), *h.stores.back()),
        a(h.client_keys[0], 0u, *h.guards[0], *h.stores[0]),
        b(h.client_keys[1], 1u, *h.guards[1], *h.stores[1]) {
    auto none = [](const btc::Txid&) { return false; };
    auto next = apply_update(l_tree, update).value();
    EXPECT_TRUE(coord.on_nonces(kLsp, lsp.on_proposal(l_tree, update, {}, none).value()));
    EXPECT_TRUE(coord.on_nonces(0, a.on_proposal(a_tree, update, {next.capacity(0)}, none).value()));
    EXPECT_TRUE(coord.on_nonces(1, b.on_proposal(b_tree, update, {next.capacity(1)}, none).value()));
    for (auto [who, s] : {std::pair<uint32_t, UpdateSigner*>{kLsp, &lsp}, {0u, &a}, {1u, &b}})
      EXPECT_TRUE(coord.on_descendant_partials(who, s->on_aggnonces(coord.aggnonces_for(who).value()).value()));
  }
};

class Update : public ::testing::Test {
 protected:
  chain::EmbeddedChain chain;
  TestWallet wallet{chain};
  void SetUp() override { wallet.mine_coins(4); }
  FactorySetup setup(uint32_t clients = 8) {
    FactorySetup s;
    s.clients = clients;
    return s;
  }
  // A liquidity sale: move `amount` of L-stock into client 0's channel.
  std::vector<btc::Amount> sale(FactoryHarness& h, uint32_t leaf, btc::Amount amount) {
    std::vector<btc::Amount> caps;
    const Node& n = h.lsp_tree().shape().node(leaf);
    for (uint32_t c = n.first_client; c < n.first_client + n.client_count; ++c) caps.push_back(h.lsp_tree().capacity(c));
    caps[0] += amount;
    return caps;
  }
};

TEST_F(Update, LeafUpdateMovesLStockIntoAChannel) {
  FactoryHarness h(chain, wallet, setup());
  h.run_ceremony();
  uint32_t leaf = h.lsp_tree().shape().leaf_of(0);
  btc::Amount lstock_before = h.lsp_tree().lstock_value(leaf);
  h.run_update(h.leaf_update(leaf, sale(h, leaf, 20'000)));
  EXPECT_EQ(h.lsp_tree().state_index(leaf), 1u);
  EXPECT_EQ(h.client_tree(0).capacity(0), h.setup.client_balance + h.setup.lsp_balance + 20'000);
  EXPECT_EQ(h.lsp_tree().lstock_value(leaf), lstock_before - 20'000);
  // Clients elsewhere did not take part and keep their trees.
  EXPECT_EQ(h.client_tree(7).state_index(leaf), 0u);
}

TEST_F(Update, DistributionsOfSurvivingOutputsKeepTheirSignedPayouts) {
  FactoryHarness h(chain, wallet, setup());
  h.run_ceremony();
  h.confirm_funding();
  uint32_t leaf = h.lsp_tree().shape().leaf_of(0);
  h.run_update(h.leaf_update(leaf, sale(h, leaf, 20'000)));
  // The funding, static and interior outputs survive a leaf update: their
  // distribution txs are the signed ones (never re-signed, R), so the tree
  // still holds them and they pay the amounts they were signed with.
  Tree& t = h.client_tree(0);
  for (uint32_t id : t.shape().path_to(leaf)) {
    ASSERT_TRUE(t.has_distribution(id));
    EXPECT_TRUE(t.signed_tx({TxKind::distribution, id, kNodeInput})) << "node " << id;
  }
  auto dist = t.signed_tx({TxKind::distribution, 0, kNodeInput}).value();
  wallet.mine_empty(static_cast<int>(t.terms().heights.timeout - chain.height()));
  wallet.confirm(dist);
}

TEST_F(Update, NewestStateWinsTheDeckerWattenhoferRace) {
  FactoryHarness h(chain, wallet, setup());
  h.run_ceremony();
  uint32_t leaf = h.lsp_tree().shape().leaf_of(0);
  Tree old_tree = h.lsp_tree();
  h.run_update(h.leaf_update(leaf, sale(h, leaf, 20'000)));
  h.confirm_funding();
  Tree& tree = h.client_tree(0);
  // Publish down to the leaf's kickoff.
  auto conf = [&](const btc::Txid& id) { return test::confirmed_height(chain, id); };
  for (;;) {
    auto plan = plan_exit(tree, 0, chain.height(), conf).value();
    ASSERT_FALSE(plan.empty());
    if (plan.front().key.kind == TxKind::state && plan.front().key.node == leaf) break;
    if (static_cast<uint32_t>(chain.height()) + 1 < plan.front().valid_at)
      wallet.mine_empty(plan.front().valid_at - chain.height() - 1);
    wallet.confirm(plan.front().tx);
  }
  auto old_state = old_tree.signed_tx({TxKind::state, leaf, kNodeInput}).value();
  auto new_state = tree.signed_tx({TxKind::state, leaf, kNodeInput}).value();
  ASSERT_LT(new_state.vin[0].sequence, old_state.vin[0].sequence);
  // The newest state matures first; the old one is not yet final.
  wallet.mine_empty(static_cast<int>(new_state.vin[0].sequence) - 1);
  EXPECT_EQ(chain.submit(old_state).error().code, "non-BIP68-final");
  ASSERT_TRUE(chain.submit(new_state));
  wallet.mine_empty(1);
  // Once the old one would be mature, its input is gone.
  wallet.mine_empty(static_cast<int>(old_state.vin[0].sequence));
  auto r = chain.submit(old_state);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "bad-txns-inputs-missingorspent");
  EXPECT_TRUE(test::confirmed_height(chain, new_state.txid()));
}

TEST_F(Update, ExhaustedLeafAdvancesItsParentAndResetsTheSubtree) {
  FactoryHarness h(chain, wallet, setup());
  h.run_ceremony();
  uint32_t leaf = h.lsp_tree().shape().leaf_of(0);
  uint32_t parent = static_cast<uint32_t>(h.lsp_tree().shape().node(leaf).parent);
  ASSERT_TRUE(h.lsp_tree().shape().node(parent).is_dw());
  // Leaf indices 1 and 2 are ordinary; 3 is reserved for departures.
  h.run_update(h.leaf_update(leaf, sale(h, leaf, 1'000)));
  h.run_update(h.leaf_update(leaf, sale(h, leaf, 1'000)));
  EXPECT_EQ(h.lsp_tree().state_index(leaf), 2u);
  auto next = h.leaf_update(leaf, sale(h, leaf, 1'000));
  EXPECT_EQ(next.node, parent);
  h.run_update(next);
  EXPECT_EQ(h.lsp_tree().state_index(parent), 1u);
  EXPECT_EQ(h.lsp_tree().state_index(leaf), 0u);
  // The sibling leaf's clients took part (same parent) and hold the new subtree.
  uint32_t sibling_client = h.lsp_tree().shape().node(parent).first_client + h.setup.params.clients_per_leaf;
  EXPECT_EQ(h.client_tree(sibling_client).state_index(parent), 1u);
  // The re-signed subtree works on chain.
  h.confirm_funding();
  test::execute_exit(chain, wallet, h.client_tree(0), 0);
  auto out = h.client_tree(0).leaf_outpoint(leaf, 0).value();
  ASSERT_NE(chain.coin(out), nullptr);
  EXPECT_EQ(chain.coin(out)->out.value, h.setup.client_balance + h.setup.lsp_balance + 3'000);
}

TEST_F(Update, TopDwNodeExhaustedFreezesTheSubtree) {
  FactorySetup s = setup(2);  // one leaf: the leaf is the top DW node
  s.params.interior_dw_levels = 0;
  FactoryHarness h(chain, wallet, s);
  h.run_ceremony();
  uint32_t leaf = h.lsp_tree().shape().leaf_of(0);
  h.run_update(h.leaf_update(leaf, sale(h, leaf, 1'000)));
  h.run_update(h.leaf_update(leaf, sale(h, leaf, 1'000)));
  auto p = propose_leaf_update(h.lsp_tree(), 99, leaf, sale(h, leaf, 1'000), false);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, "factory.exhausted");
  // The reserved last index is still available to a departure reallocation.
  EXPECT_TRUE(propose_leaf_update(h.lsp_tree(), 99, leaf, sale(h, leaf, 1'000), true));
}

TEST_F(Update, AnLspThatWithholdsDescendantsNeverGetsTheNewState) {
  FactoryHarness h(chain, wallet, setup());
  h.run_ceremony();
  uint32_t leaf = h.lsp_tree().shape().leaf_of(0);
  auto update = h.leaf_update(leaf, sale(h, leaf, 5'000));
  LeafRound r0(h, h.lsp_tree(), h.client_tree(0), h.client_tree(1), update);
  auto& coord = r0.coord;
  auto& a = r0.a;
  auto& lsp = r0.lsp;
  ASSERT_TRUE(coord.finalize_descendants());
  // L withholds the descendants' signatures: the clients have no call that
  // signs the top without them, and a forged batch is refused.
  auto real = coord.descendant_signatures_for(0).value();
  auto forged = real;
  forged.sigs.at(0)[5] ^= 1;
  auto r = a.on_descendant_signatures(forged, nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "factory.bad-signature");
  // Only L's own partial is in: the top cannot be aggregated.
  ASSERT_TRUE(coord.on_top_partial(kLsp, lsp.on_descendant_signatures(coord.descendant_signatures_for(kLsp).value(),
                                                                      nullptr)
                                             .value()));
  auto fin = coord.finalize_top();
  ASSERT_FALSE(fin);
  EXPECT_EQ(fin.error().code, "factory.out-of-order");
  EXPECT_EQ(coord.missing(), (std::vector<uint32_t>{0, 1}));
}

TEST_F(Update, ChannelNotReboundBlocksTheTop) {
  FactoryHarness h(chain, wallet, setup());
  h.run_ceremony();
  uint32_t leaf = h.lsp_tree().shape().leaf_of(0);
  auto update = h.leaf_update(leaf, sale(h, leaf, 5'000));
  LeafRound round(h, h.lsp_tree(), h.client_tree(0), h.client_tree(1), update);
  auto& coord = round.coord;
  auto& b = round.b;
  ASSERT_TRUE(coord.finalize_descendants());
  auto not_rebound = [](const Tree&) -> Status { return make_error("channel.not-rebound", "withheld"); };
  auto r = b.on_descendant_signatures(coord.descendant_signatures_for(1).value(), not_rebound);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "channel.not-rebound");
}

TEST_F(Update, NoNewStateOncePathWasSeenBroadcast) {
  FactoryHarness h(chain, wallet, setup());
  h.run_ceremony();
  uint32_t leaf = h.lsp_tree().shape().leaf_of(0);
  auto kickoff = h.client_tree(0).build({TxKind::kickoff, leaf, kNodeInput}).value();
  h.seen.insert(kickoff.txid());
  try {
    h.run_update(h.leaf_update(leaf, sale(h, leaf, 5'000)));
    FAIL() << "update signed over a published kickoff";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("factory.path-published"), std::string::npos) << e.what();
  }
  // A static tx above does not block.
  h.seen.clear();
  h.seen.insert(h.client_tree(0).build({TxKind::static_tx, 0, kNodeInput}).value().txid());
  h.run_update(h.leaf_update(leaf, sale(h, leaf, 5'000)));
}

TEST_F(Update, GuardRefusesADifferentStateAtAnIndexAlreadySigned) {
  FactoryHarness h(chain, wallet, setup());
  h.run_ceremony();
  uint32_t leaf = h.lsp_tree().shape().leaf_of(0);
  auto first = h.leaf_update(leaf, sale(h, leaf, 5'000));
  Tree before = h.client_tree(1);
  h.run_update(first);
  // L rolls its own tree back and proposes other amounts at the same index.
  auto other = first;
  other.update_id = 77;
  other.leaves[0].capacities[0] += 1'000;
  LeafRound round(h, before, before, before, other);
  auto& coord = round.coord;
  auto& b = round.b;
  ASSERT_TRUE(coord.finalize_descendants());
  auto top = b.on_descendant_signatures(coord.descendant_signatures_for(1).value(), nullptr);
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().code, "factory.double-sign");
}

TEST_F(Update, ClientRefusesACapacityItDidNotAgreeTo) {
  FactoryHarness h(chain, wallet, setup());
  h.run_ceremony();
  uint32_t leaf = h.lsp_tree().shape().leaf_of(0);
  auto caps = sale(h, leaf, 5'000);
  caps[1] -= 1'000;  // client 1's channel shrinks
  auto update = h.leaf_update(leaf, caps);
  UpdateSigner b(h.client_keys[1], 1u, *h.guards[1], *h.stores[1]);
  auto r = b.on_proposal(h.client_tree(1), update, {}, [](const btc::Txid&) { return false; });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "factory.capacity-mismatch");
}

}  // namespace
}  // namespace ladder::factory
