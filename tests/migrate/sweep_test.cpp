// What L sweeps with handed-over keys (DESIGN §6): a fully departed factory
// in ONE tx that joins the day's batch and funds the next factory; outputs
// exposed on chain whose every signer departed, each by one key-path
// signature; and never anything outside the keys' own factory (R).
#include "btc/standard_scripts.h"
#include "departed_fixture.h"
#include "factory/aggregate_key.h"
#include "factory/fees.h"
#include "migrate/batch.h"
#include "migrate/sweep.h"

namespace ladder::migrate {
namespace {

using factory::TxKind;
using factory::kNodeInput;
using test::must;

class Sweep : public test::DepartedWorld {
 protected:
  // A funding script for "the next factory" (a MuSig2 key of fresh keys).
  Bytes next_factory_script() {
    std::vector<crypto::PubKey> keys{crypto::SecretKey::generate().pubkey(), crypto::SecretKey::generate().pubkey()};
    return must(factory::KeyCache::shared().get(keys, std::nullopt))->script;
  }
  std::map<uint32_t, crypto::SecretKey> all_keys(ladder::test::FactoryHarness& f) {
    std::map<uint32_t, crypto::SecretKey> k;
    for (uint32_t c = 0; c < f.setup.clients; ++c) k.emplace(c, f.client_keys[c]);
    return k;
  }
};

TEST_F(Sweep, AFullyDepartedFactoryIsOneBatchTxThatFundsTheNextFactory) {
  build(8);
  open_channels();
  for (uint32_t c = 0; c < 8; ++c) depart(c);
  auto keys = this->keys();
  factory::Tree& tree = lsp_tree();
  const btc::Amount value = tree.funding_value();

  // On its own: one tx, one input, one 64-byte signature.
  const Bytes next = next_factory_script();
  auto alone = must(sweep_factory(tree, keys, h->lsp_key, {{value / 2, next}}, lsp_wallet, 2000));
  ASSERT_EQ(alone.vin.size(), 1u);
  ASSERT_EQ(alone.vin[0].witness.size(), 1u);
  EXPECT_EQ(alone.vin[0].witness[0].size(), 64u);
  EXPECT_TRUE(chain.test_accept(alone));

  // In the day's batch, next to the next factory's funding.
  auto sweep = must(departed_input(tree, keys, h->lsp_key, {OutputRole::node_input, 0, 0}));
  Batch batch(1, height() + 1, 2000, lsp_wallet);
  must(batch.add_input(must(batch_input(sweep, tree.terms().factory_id))));
  must(batch.add_output({BatchOutputKind::factory_funding, 2, {}, {value - 100'000, next}}));
  must(batch.freeze());
  btc::Transaction tx = batch.unsigned_tx();
  std::vector<btc::TxOut> spent;
  for (const auto& in : batch.inputs()) spent.push_back(in.spent);
  must(sign_sweeps(tx, spent, {sweep}));
  must(batch.set_signed(tx));
  const auto signed_tx = must(batch.broadcast());
  EXPECT_EQ(signed_tx.vsize(), batch.vsize());
  ASSERT_TRUE(chain.submit(signed_tx));
  wallet.mine_empty(1);
  ASSERT_TRUE(ladder::test::confirmed_height(chain, signed_tx.txid()));
  // Conservation: the factory's value is the next factory's funding, L's change and the fee.
  auto ledger = test::account(chain, {signed_tx}, [&](const btc::TxOut& o) {
    return o.script_pubkey == next ? std::string("next factory") : o.script_pubkey == lsp_wallet ? "L" : "?";
  });
  EXPECT_EQ(ledger.total(), value);
  EXPECT_EQ(ledger.by_owner.at("next factory"), value - 100'000);
  EXPECT_EQ(ledger.fees, batch.fee());
  EXPECT_EQ(ledger.by_owner.count("?"), 0u);
  // A CSV-locked input cannot join a batch (the batch fixes nSequence).
  EXPECT_EQ(batch_input(must(lstock_input(tree, tree.shape().leaves()[0], h->lsp_key)), 1).error().code,
            "migrate.bad-input");
}

TEST_F(Sweep, DepartedOnlyOutputsExposedOnChainTakeOneSignatureEach) {
  build(16);  // a static root with four interior DW nodes of four clients
  open_channels();
  for (uint32_t c : {0u, 1u, 2u, 3u, 5u, 8u, 9u, 10u, 11u}) depart(c);
  auto keys = this->keys();
  factory::Tree& tree = lsp_tree();
  const auto& shape = tree.shape();
  const uint32_t first = shape.node(0).children[0], third = shape.node(0).children[2];
  const uint32_t leaf45 = shape.leaf_of(4);
  EXPECT_EQ(departed_subtrees(tree, keys, 0),
            (std::vector<TreeOutput>{{OutputRole::node_input, first, 0},
                                     {OutputRole::channel, leaf45, 1},
                                     {OutputRole::node_input, third, 0}}));
  // Client 4 exits on its own, exposing its siblings; someone also publishes
  // the third subtree's kickoff.
  auto txs = ladder::test::execute_exit(chain, wallet, h->client_tree(4), 4);
  const auto kickoff = must(tree.signed_tx({TxKind::kickoff, third, kNodeInput}));
  wallet.confirm(kickoff);
  txs.push_back(kickoff);
  // Outputs with a present signer are not L's to sweep.
  EXPECT_EQ(departed_input(tree, keys, h->lsp_key, {OutputRole::lstock, leaf45, 0}).error().code, "migrate.signer-present");
  EXPECT_EQ(departed_input(tree, keys, h->lsp_key, {OutputRole::node_input, shape.node(0).children[3], 0}).error().code,
            "migrate.signer-present");
  std::vector<SweepInput> inputs;
  for (TreeOutput out : {TreeOutput{OutputRole::node_input, first, 0}, TreeOutput{OutputRole::kickoff, third, 0},
                         TreeOutput{OutputRole::channel, leaf45, 1}}) {
    EXPECT_TRUE(departed_only(tree, keys, out));
    inputs.push_back(must(departed_input(tree, keys, h->lsp_key, out)));
    ASSERT_NE(chain.coin(inputs.back().outpoint), nullptr) << inputs.back().what;
  }
  const auto recovery = must(build_sweep(inputs, {}, lsp_wallet, 2000));
  for (const auto& in : recovery.vin) EXPECT_EQ(in.witness.size(), 1u);
  wallet.confirm(recovery);
  txs.push_back(recovery);
  // Conservation over everything published: what stays in the tree is
  // named by the output it sits in.
  std::map<Bytes, std::string> named{{lsp_wallet, "L"}, {btc::p2a_script(), "anchors"}};
  named[must(tree.channel_key(4))->script] = "client 4's channel";
  named[must(tree.lstock_key(leaf45))->script] = "L-stock of client 4's leaf";
  named[must(tree.input_txout(shape.leaf_of(6))).script_pubkey] = "clients 6 and 7";
  named[must(tree.input_txout(shape.node(0).children[3])).script_pubkey] = "clients 12..15";
  auto ledger = test::account(chain, txs, [&](const btc::TxOut& o) {
    auto it = named.find(o.script_pubkey);
    return it == named.end() ? std::string("?") : it->second;
  });
  EXPECT_EQ(test::put_in(chain, txs), tree.funding_value());
  EXPECT_EQ(ledger.total(), tree.funding_value());
  EXPECT_EQ(ledger.by_owner.count("?"), 0u);
  // L recovers the three outputs' whole value less the recovery tx's own fee.
  const btc::Amount swept = tree.input_value(first) + tree.kickoff_value(third) + tree.capacity(5);
  EXPECT_EQ(ledger.by_owner.at("L"), swept - factory::fee_for(recovery.vsize(), 2000));
}

TEST_F(Sweep, HandedOverKeysNeverSignOutsideTheirFactory) {
  build(4);
  auto mine = must(DepartedKeys::create(lsp_tree(), all_keys(*h)));
  // Another factory of L's, and a copy of this one's terms under another id
  // (same client keys, which honest clients never allow, R §5): both refused.
  ladder::test::FactorySetup s;
  s.clients = 4;
  s.factory_id = 2;
  ladder::test::FactoryHarness other(chain, wallet, s);
  other.run_ceremony();
  auto copy_terms = h->terms;
  copy_terms.factory_id = 99;
  auto copy = must(factory::Tree::create(copy_terms));
  for (factory::Tree* t : {&other.lsp_tree(), &copy}) {
    EXPECT_EQ(mine.key(*t, 0).error().code, "migrate.key-out-of-scope");
    EXPECT_EQ(departed_input(*t, mine, h->lsp_key, {OutputRole::node_input, 0, 0}).error().code,
              "migrate.key-out-of-scope");
    EXPECT_EQ(sweep_factory(*t, mine, h->lsp_key, {}, lsp_wallet, 2000).error().code, "migrate.key-out-of-scope");
    EXPECT_EQ(reallocated_capacities(*t, mine, t->shape().leaves()[0]).error().code, "migrate.key-out-of-scope");
    EXPECT_EQ(Reallocation::start(*t, mine, h->lsp_key, 1, t->shape().leaves()[0], *h->guards.back(), *h->stores.back(),
                                  nothing_seen())
                  .error()
                  .code,
              "migrate.key-out-of-scope");
    EXPECT_EQ(payout_input(*t, mine, 0, {}, {1000, t->payout_script(0)}).error().code, "migrate.key-out-of-scope");
  }
  // A key that is not the factory's own client key is refused at once.
  auto wrong = must(DepartedKeys::create(other.lsp_tree(), all_keys(other)));
  EXPECT_EQ(DepartedKeys::create(lsp_tree(), all_keys(other)).error().code, "migrate.key-out-of-scope");
  EXPECT_TRUE(wrong.check_scope(other.lsp_tree()));
  // Without every signer's key the aggregate cannot be formed.
  auto some = must(DepartedKeys::create(lsp_tree(), {{0, h->client_keys[0]}}));
  EXPECT_EQ(some.key(lsp_tree(), 1).error().code, "migrate.not-departed");
  EXPECT_EQ(sweep_factory(lsp_tree(), some, h->lsp_key, {}, lsp_wallet, 2000).error().code, "migrate.signer-present");
  // L's own key is needed too.
  EXPECT_EQ(departed_input(lsp_tree(), mine, crypto::SecretKey::generate(), {OutputRole::node_input, 0, 0}).error().code,
            "factory.missing-key");
}

}  // namespace
}  // namespace ladder::migrate
