// L signing as departed clients (DESIGN §6): with only the present client of
// a leaf online, L and that client give the leaf a new state in which the
// departed client's channel value is L-stock; children-first with the
// channel re-bound; the old state loses the Decker-Wattenhofer race on chain.
#include "departed_fixture.h"
#include "factory/exit_planner.h"
#include "factory/fees.h"
#include "migrate/sweep.h"
#include "btc/standard_scripts.h"
#include "channel/enforcement.h"

namespace ladder::migrate {
namespace {

using factory::TxKind;
using factory::kNodeInput;
using test::DepartedWorld;
using test::must;

class Reallocate : public DepartedWorld {};

TEST_F(Reallocate, WithBAloneTheDepartedChannelBecomesLStock) {
  build(4);
  open_channels();
  auto keys = depart(0);
  const uint32_t leaf = lsp_tree().shape().leaf_of(0);
  const btc::Amount cap_a = lsp_tree().capacity(0), cap_b = lsp_tree().capacity(1);
  const btc::Amount lstock_before = lsp_tree().lstock_value(leaf);
  const btc::Amount b_balance = channels.at(1).client.latest_spec().to_holder;
  // What B's agent learns before signing: its capacity stays; its leaf-level
  // L-stock share grows by half of A's channel, but the distributions above
  // the leaf are unchanged and cap Insured(B), which does not grow with it.
  auto preview = must(propose_reallocation(lsp_tree(), keys, 1, leaf));
  auto review = must(review_reallocation(h->client_tree(1), preview, 1));
  EXPECT_EQ(review.expect.own_capacity, cap_b);
  EXPECT_GE(review.leaf_payout_after - review.leaf_payout_before, cap_a / 2 - 1'000);
  EXPECT_EQ(review.insured_before, std::min(review.path_payout, review.leaf_payout_before));
  EXPECT_EQ(review.insured_after, std::min(review.path_payout, review.leaf_payout_after));
  EXPECT_LE(review.insured_after, review.path_payout);
  EXPECT_LT(review.insured_after - review.insured_before, (review.leaf_payout_after - review.leaf_payout_before) / 10);

  auto p = reallocate(leaf, 1);
  EXPECT_EQ(p, preview);
  EXPECT_EQ(p.node, leaf);
  EXPECT_EQ(p.new_index, 1u);
  EXPECT_EQ(lsp_tree().capacity(0), 0);
  EXPECT_EQ(lsp_tree().capacity(1), cap_b);
  // A's whole channel is L-stock now, plus the fee of the output that went away.
  const auto& params = lsp_tree().params();
  const btc::Amount saved = factory::fee_for(factory::keypath_tx_vsize_p2tr(3), params.fee_rate_sat_per_kvb) -
                            factory::fee_for(factory::keypath_tx_vsize_p2tr(2), params.fee_rate_sat_per_kvb);
  EXPECT_EQ(lsp_tree().lstock_value(leaf), lstock_before + cap_a + saved);
  // B's channel moved to its new outpoint with its balance unchanged; B's
  // tree is complete and agrees with L's.
  const auto b_binding = must(channel_binding(h->client_tree(1), 1));
  EXPECT_EQ(channels.at(1).client.binding(), b_binding);
  EXPECT_EQ(channels.at(1).lsp.binding(), b_binding);
  EXPECT_EQ(channels.at(1).client.latest_spec().to_holder, b_balance);
  EXPECT_EQ(h->client_tree(1).insured(1), review.insured_after);
  EXPECT_TRUE(h->client_tree(1).signed_tx({TxKind::state, leaf, kNodeInput}));
  EXPECT_EQ(h->client_tree(1).signed_tx({TxKind::state, leaf, kNodeInput}).value().txid(),
            lsp_tree().signed_tx({TxKind::state, leaf, kNodeInput}).value().txid());
  // Every distribution on B's path is still the one that was signed (the
  // ones above the leaf's outputs are never re-signed).
  for (uint32_t id : lsp_tree().shape().path_to(leaf))
    EXPECT_TRUE(h->client_tree(1).signed_tx({TxKind::distribution, id, kNodeInput})) << id;
  // Nobody outside the leaf took part.
  EXPECT_EQ(h->client_tree(2).state_index(leaf), 0u);
}

TEST_F(Reallocate, UsesTheReservedLastLeafIndex) {
  build(4);
  const uint32_t leaf = lsp_tree().shape().leaf_of(0);
  sale(leaf, 1'000);
  sale(leaf, 1'000);
  ASSERT_EQ(lsp_tree().state_index(leaf), 2u);
  // Ordinary updates have no index left in this leaf.
  EXPECT_NE(h->leaf_update(leaf, {lsp_tree().capacity(0), lsp_tree().capacity(1)}).node, leaf);
  open_channels();
  depart(1);
  auto p = reallocate(leaf, 1);
  EXPECT_EQ(p.node, leaf);
  EXPECT_EQ(p.new_index, lsp_tree().state_count(leaf) - 1);
  EXPECT_EQ(lsp_tree().capacity(1), 0);
  EXPECT_EQ(channels.at(0).lsp.binding(), must(channel_binding(lsp_tree(), 0)));
}

TEST_F(Reallocate, AnExhaustedLeafAdvancesItsParentAndLSignsForEveryDepartedClient) {
  build(4);
  const uint32_t leaf = lsp_tree().shape().leaf_of(0), other = lsp_tree().shape().leaf_of(2);
  const uint32_t parent = static_cast<uint32_t>(lsp_tree().shape().node(leaf).parent);
  sale(leaf, 1'000);
  sale(leaf, 1'000);
  open_channels();
  depart(0);
  reallocate(leaf, 1);  // the reserved index
  depart(1);
  depart(3);
  const btc::Amount cap_c = lsp_tree().capacity(2);
  auto p = reallocate(leaf, 2);
  EXPECT_EQ(p.node, parent);
  ASSERT_EQ(p.leaves.size(), 2u);  // the other leaf sheds D's channel too
  EXPECT_EQ(lsp_tree().state_index(parent), 1u);
  EXPECT_EQ(lsp_tree().state_index(leaf), 0u);
  EXPECT_EQ(lsp_tree().capacity(1), 0);
  EXPECT_EQ(lsp_tree().capacity(3), 0);
  EXPECT_EQ(lsp_tree().capacity(2), cap_c);
  // Every client of the first leaf departed: its whole subtree is L's alone.
  EXPECT_TRUE(departed_only(lsp_tree(), keys(), {OutputRole::node_input, leaf, 0}));
  // C, the only present signer, holds the new subtree and its re-bound
  // channel; its exit and commitment work on chain.
  EXPECT_EQ(h->client_tree(2).state_index(parent), 1u);
  ladder::test::execute_exit(chain, wallet, h->client_tree(2), 2);
  const auto op = must(channel_binding(h->client_tree(2), 2)).outpoint;
  ASSERT_NE(chain.coin(op), nullptr);
  EXPECT_EQ(chain.coin(op)->out.value, cap_c);
  EXPECT_EQ(other, lsp_tree().shape().leaf_of(3));
  auto commit = must(channels.at(2).client.signed_commitment_tx());
  EXPECT_EQ(commit.vin[0].prevout, op);
  EXPECT_TRUE(chain.submit(commit));
}

TEST_F(Reallocate, AWithheldRebindingBlocksTheLeafUpdate) {
  build(4);
  open_channels();
  auto keys = depart(0);
  const uint32_t leaf = lsp_tree().shape().leaf_of(0);
  auto run_to_top = [&](uint64_t id, int withhold) {
    auto r = must(Reallocation::start(lsp_tree(), keys, h->lsp_key, id, leaf, *h->guards.back(), *h->stores.back(),
                                      nothing_seen()));
    EXPECT_EQ(r.present(), (std::vector<uint32_t>{1}));
    auto review = must(review_reallocation(h->client_tree(1), r.proposal(), 1));
    factory::UpdateSigner b(h->client_keys[1], 1u, *h->guards[1], *h->stores[1]);
    must(r.on_nonces(1, must(b.on_proposal(h->client_tree(1), r.proposal(), review.expect, nothing_seen()))));
    must(r.on_descendant_partials(1, must(b.on_aggnonces(must(r.aggnonces_for(1))))));
    rebind(channels.at(1), review.new_binding, withhold);
    return std::make_tuple(std::move(r), std::move(b), review.new_binding);
  };
  auto& pair = channels.at(1);
  {
    // L withholds rebind_complete: B never releases its top partial, so the
    // new state cannot be aggregated.
    auto [r, b, binding] = run_to_top(1, 3);
    must(r.sign_top(require_rebound({{&pair.lsp, binding}})));
    auto top = b.on_descendant_signatures(must(r.descendant_signatures_for(1)), require_rebound({{&pair.client, binding}}));
    ASSERT_FALSE(top);
    EXPECT_EQ(top.error().code, "migrate.not-rebound");
    EXPECT_EQ(r.missing(), (std::vector<uint32_t>{1}));
    EXPECT_FALSE(r.finish());
    must(pair.client.on_channel_ready(must(pair.lsp.abandon_rebind())));
    must(pair.lsp.on_channel_ready(must(pair.client.abandon_rebind())));
    must(pair.lsp.resume());
    must(pair.client.resume());
  }
  {
    // B withholds rebind_signed: L's own channel is not re-bound, so L
    // signs no top (neither for itself nor as A).
    auto [r, b, binding] = run_to_top(2, 2);
    auto refused = r.sign_top(require_rebound({{&pair.lsp, binding}}));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "migrate.not-rebound");
    EXPECT_EQ(r.sign_top(nullptr).error().code, "migrate.not-rebound");
    EXPECT_FALSE(r.finish());
  }
  EXPECT_EQ(pair.client.binding(), must(channel_binding(h->client_tree(1), 1)));
}

TEST_F(Reallocate, RefusedWithoutADepartedChannelOrWithAChangedCapacity) {
  build(4);
  open_channels();
  auto keys = depart(0);
  const uint32_t other_leaf = lsp_tree().shape().leaf_of(2);
  auto none = propose_reallocation(lsp_tree(), keys, 1, other_leaf);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "migrate.nothing-to-reallocate");
  // A present client refuses a "reallocation" that moves its own capacity.
  auto p = must(propose_reallocation(lsp_tree(), keys, 1, lsp_tree().shape().leaf_of(0)));
  p.leaves[0].capacities[1] -= 1'000;
  auto r = review_reallocation(h->client_tree(1), p, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "migrate.capacity-changed");
  EXPECT_EQ(review_reallocation(h->client_tree(2), p, 2).error().code, "migrate.not-a-signer");
}

TEST_F(Reallocate, TheOldLeafStateLosesTheRaceAndBsChannelClosesToTheSatoshi) {
  build(4);
  open_channels();
  depart(0);
  const uint32_t leaf = lsp_tree().shape().leaf_of(0);
  factory::Tree old = lsp_tree();
  reallocate(leaf, 1);
  factory::Tree& now = h->client_tree(1);
  std::vector<btc::Transaction> txs;
  auto confirm = [&](const btc::Transaction& tx) {
    auto r = chain.submit(tx);
    ASSERT_TRUE(r) << r.error().to_string() << " for tx #" << txs.size();
    wallet.mine_empty(1);
    txs.push_back(tx);
  };
  // L publishes the OLD path down to the leaf's kickoff (the txs above the
  // leaf state are the same in both versions).
  auto conf = [&](const btc::Txid& id) { return ladder::test::confirmed_height(chain, id); };
  for (;;) {
    auto plan = must(factory::plan_to_node(old, leaf, height(), conf));
    ASSERT_FALSE(plan.empty());
    if (plan.front().key.kind == TxKind::state && plan.front().key.node == leaf) break;
    if (height() + 1 < plan.front().valid_at) wallet.mine_empty(static_cast<int>(plan.front().valid_at - height() - 1));
    confirm(plan.front().tx);
    if (HasFatalFailure()) return;
  }
  const auto old_state = must(old.signed_tx({TxKind::state, leaf, kNodeInput}));
  const auto new_state = must(now.signed_tx({TxKind::state, leaf, kNodeInput}));
  ASSERT_LT(new_state.vin[0].sequence, old_state.vin[0].sequence);
  // The newest state (B's, or its tower's) matures first and confirms; the
  // old one is not final before it and has no input after it.
  wallet.mine_empty(static_cast<int>(new_state.vin[0].sequence) - 1);
  EXPECT_EQ(chain.submit(old_state).error().code, "non-BIP68-final");
  confirm(new_state);
  wallet.mine_empty(static_cast<int>(old_state.vin[0].sequence));
  EXPECT_EQ(chain.submit(old_state).error().code, "bad-txns-inputs-missingorspent");

  // B closes its re-bound channel with its latest commitment; both sides
  // claim; L takes the L-stock (A's former channel) after its CSV.
  auto& pair = channels.at(1);
  const btc::Amount b_balance = pair.client.latest_spec().to_holder, l_balance = pair.lsp.latest_spec().to_holder;
  const auto commit = must(pair.client.signed_commitment_tx());
  EXPECT_EQ(commit.vin[0].prevout, must(channel_binding(now, 1)).outpoint);
  confirm(commit);
  const Bytes b_dest = ladder::test::p2tr_of(h->client_keys[1].pubkey());
  const auto l_claim = must(channel::claim_to_remote(pair.lsp, must(channel::identify_commitment(pair.lsp, commit)),
                                                     {lsp_wallet, 2000}));
  confirm(l_claim);
  wallet.mine_empty(static_cast<int>(pair.client.params().to_self_delay));
  const auto b_claim = must(channel::claim_to_local(pair.client, must(channel::identify_commitment(pair.client, commit)),
                                                    {b_dest, 2000}));
  confirm(b_claim);
  const auto lstock = must(build_sweep({must(lstock_input(lsp_tree(), leaf, h->lsp_key))}, {}, lsp_wallet, 2000));
  confirm(lstock);
  if (HasFatalFailure()) return;

  // Conservation: everything that left the funding output is in someone's
  // output or paid as a fee; B has its balance minus its own claim's fee.
  const uint32_t other_leaf = lsp_tree().shape().leaf_of(2);
  const Bytes in_factory = must(lsp_tree().input_txout(other_leaf)).script_pubkey;
  auto owner = [&](const btc::TxOut& o) -> std::string {
    if (o.script_pubkey == b_dest) return "B";
    if (o.script_pubkey == lsp_wallet) return "L";
    if (o.script_pubkey == btc::p2a_script()) return "anchors";
    if (o.script_pubkey == in_factory) return "C and D, still in the factory";
    return "?";
  };
  const auto ledger = test::account(chain, txs, owner);
  EXPECT_EQ(test::put_in(chain, txs), lsp_tree().funding_value());
  EXPECT_EQ(ledger.total(), lsp_tree().funding_value());
  EXPECT_EQ(ledger.by_owner.count("?"), 0u);
  EXPECT_EQ(ledger.by_owner.at("B"), b_balance - channel::fee_for_vsize(b_claim.vsize(), 2000));
  EXPECT_EQ(l_claim.vout[0].value, l_balance - channel::commitment_fee(pair.lsp.params(), 0) -
                                       pair.lsp.params().anchor_value - channel::fee_for_vsize(l_claim.vsize(), 2000));
  EXPECT_EQ(ledger.by_owner.at("L"), l_claim.vout[0].value + lstock.vout[0].value);
  EXPECT_EQ(ledger.by_owner.at("C and D, still in the factory"), lsp_tree().input_value(other_leaf));
}

}  // namespace
}  // namespace ladder::migrate
