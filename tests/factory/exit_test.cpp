// Unilateral exits, distribution txs at TO, the classic timeout path, the
// cooperative close and the sweep — all mined on the embedded chain.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "btc/sighash.h"
#include "crypto/musig.h"
#include "factory/close.h"
#include "factory/exit_planner.h"
#include "support/factory_harness.h"

namespace ladder::factory {
namespace {

using test::FactoryHarness;
using test::FactorySetup;
using test::TestWallet;

class Exit : public ::testing::Test {
 protected:
  chain::EmbeddedChain chain;
  TestWallet wallet{chain};
  void SetUp() override { wallet.mine_coins(6); }

  bool on_chain(const btc::Transaction& tx) { return test::confirmed_height(chain, tx.txid()).has_value(); }
  btc::Amount fee_of(const btc::Transaction& tx) {
    btc::Amount in = 0;
    for (const auto& i : tx.vin) in += chain.find_tx(i.prevout.txid)->tx->vout.at(i.prevout.n).value;
    return in - tx.total_out();
  }
};

// Property: in a 64-client factory, any clients exit on their own and each
// gets its channel output; subtrees nobody exited through stay off-chain.
TEST_F(Exit, RandomClientsOfA64ClientFactoryEachExit) {
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    for (auto mode : {TimeoutMode::clients, TimeoutMode::lsp}) {
      FactorySetup s;
      s.clients = 64;
      s.params.mode = mode;
      s.factory_id = seed * 10 + static_cast<uint32_t>(mode);
      FactoryHarness h(chain, wallet, s);
      h.run_ceremony();
      h.confirm_funding();
      std::mt19937 rng(seed);
      std::set<uint32_t> exited;
      while (exited.size() < 5) exited.insert(rng() % 64);
      std::set<uint32_t> touched;  // nodes on an exited path
      for (uint32_t c : exited) {
        test::execute_exit(chain, wallet, h.client_tree(c), c);
        Tree& t = h.client_tree(c);
        auto out = t.leaf_outpoint(t.shape().leaf_of(c), t.shape().slot_in_leaf(c)).value();
        ASSERT_NE(chain.coin(out), nullptr) << "seed " << seed << " client " << c;
        EXPECT_EQ(chain.coin(out)->out.value, s.client_balance + s.lsp_balance);
        for (uint32_t n : t.shape().path_to(t.shape().leaf_of(c))) touched.insert(n);
      }
      Tree& lt = h.lsp_tree();
      for (uint32_t id = 0; id < lt.shape().nodes().size(); ++id) {
        if (touched.count(id)) continue;
        TxKind first = lt.shape().node(id).is_dw() ? TxKind::kickoff : TxKind::static_tx;
        EXPECT_FALSE(on_chain(lt.build({first, id, kNodeInput}).value())) << "node " << id << " published needlessly";
      }
    }
  }
}

TEST_F(Exit, PlannerGivesOrderedTxsAndHeights) {
  FactorySetup s;
  s.clients = 16;
  FactoryHarness h(chain, wallet, s);
  h.run_ceremony();
  h.confirm_funding();
  auto conf = [&](const btc::Txid& id) { return test::confirmed_height(chain, id); };
  auto plan = plan_exit(h.client_tree(3), 3, chain.height(), conf).value();
  // 16 clients: root static, interior DW pair, leaf DW pair.
  ASSERT_EQ(plan.size(), 5u);
  EXPECT_EQ(plan[0].key.kind, TxKind::static_tx);
  EXPECT_EQ(plan[0].valid_at, static_cast<uint32_t>(chain.height()) + 1);
  for (size_t i = 1; i < plan.size(); ++i) {
    EXPECT_EQ(plan[i].tx.vin[0].prevout.txid, plan[i - 1].tx.txid());
    uint32_t lock = plan[i].key.kind == TxKind::state ? plan[i].tx.vin[0].sequence : 1;
    EXPECT_EQ(plan[i].valid_at, plan[i - 1].valid_at + lock);
  }
}

TEST_F(Exit, DistributionTxsPayClientsAtTimeoutAndLspNothing) {
  FactorySetup s;  // inverted mode by default
  FactoryHarness h(chain, wallet, s);
  h.run_ceremony();
  h.confirm_funding();
  Tree& t = h.client_tree(0);
  ASSERT_TRUE(t.has_distribution(0));
  auto dist = t.signed_tx({TxKind::distribution, 0, kNodeInput}).value();
  // nLockTime = TO: final once the tip has reached TO (for block TO + 1).
  uint32_t to = t.terms().heights.timeout;
  wallet.mine_empty(static_cast<int>(to - chain.height() - 1));
  ASSERT_EQ(static_cast<uint32_t>(chain.height()), to - 1);
  auto early = chain.submit(dist);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, "non-final");
  wallet.mine_empty(1);
  ASSERT_TRUE(chain.submit(dist)) << "at TO";
  wallet.mine_empty(1);
  // Every client gets at least its channel capacity plus its L-stock share;
  // nothing goes to L's key.
  btc::Amount paid = 0;
  for (uint32_t c = 0; c < s.clients; ++c) {
    Bytes script = t.payout_script(c);
    btc::Amount got = 0;
    for (const auto& o : dist.vout) got += o.script_pubkey == script ? o.value : 0;
    btc::Amount share = t.lstock_value(t.shape().leaf_of(c)) / t.shape().node(t.shape().leaf_of(c)).client_count;
    EXPECT_GE(got, t.capacity(c) + share) << c;
    EXPECT_GE(got, t.insured(c));
    paid += got;
  }
  Bytes lsp_script = test::p2tr_of(h.lsp_key.pubkey());
  Bytes lsp_raw = btc::p2tr_script(h.lsp_key.xonly_pubkey().bytes());
  for (const auto& o : dist.vout) {
    EXPECT_NE(o.script_pubkey, lsp_script);
    EXPECT_NE(o.script_pubkey, lsp_raw);
  }
  EXPECT_EQ(t.funding_value(), paid + s.params.anchor_value + fee_of(dist));
}

TEST_F(Exit, LeafDistributionsPayChannelAndLStockAfterAnExit) {
  FactorySetup s;
  s.clients = 16;
  FactoryHarness h(chain, wallet, s);
  h.run_ceremony();
  h.confirm_funding();
  Tree& t = h.client_tree(5);
  test::execute_exit(chain, wallet, t, 5);
  uint32_t leaf = t.shape().leaf_of(5);
  uint32_t slot = t.shape().slot_in_leaf(5);
  auto ch = t.signed_tx({TxKind::distribution, leaf, slot}).value();
  auto ls = t.signed_tx({TxKind::distribution, leaf, t.shape().node(leaf).client_count}).value();
  wallet.mine_empty(static_cast<int>(t.terms().heights.timeout - chain.height()));
  wallet.confirm(ch);
  wallet.confirm(ls);
  btc::Amount got = 0;
  for (const auto* tx : {&ch, &ls})
    for (const auto& o : tx->vout) got += o.script_pubkey == t.payout_script(5) ? o.value : 0;
  EXPECT_EQ(got, t.insured(5));
  EXPECT_GE(got + 2 * s.params.dust_limit, t.capacity(5));
  // The client spends its payout with its factory key.
  uint32_t vout = 0;
  while (ch.vout[vout].script_pubkey != t.payout_script(5)) ++vout;
  btc::Transaction spend = key_path_spend({ch.txid(), vout}, {{ch.vout[vout].value - 500, test::p2tr_of(h.client_keys[5].pubkey())}});
  TestWallet::sign_keypath(spend, 0, {ch.vout[vout]}, h.client_keys[5], false);
  wallet.confirm(spend);
}

TEST_F(Exit, ClassicTimeoutPathOpensOnlyAtTimeout) {
  FactorySetup s;
  s.params.mode = TimeoutMode::lsp;
  FactoryHarness h(chain, wallet, s);
  h.run_ceremony();
  h.confirm_funding();
  Tree& t = h.lsp_tree();
  auto key = t.funding_key().value();
  Bytes leaf_script = t.timeout_script();
  auto tree = btc::TapTree::leaf({btc::TAPROOT_LEAF_TAPSCRIPT, leaf_script});
  auto cb = btc::make_control_block(key->output, tree.leaves().at(0)).value();
  btc::TxOut spent{t.funding_value(), key->script};
  auto build = [&](uint32_t locktime) {
    btc::Transaction tx = key_path_spend(t.terms().funding, {{t.funding_value() - 2'000, test::p2tr_of(h.lsp_key.pubkey())}});
    tx.locktime = locktime;
    auto data = btc::precompute_tx_data(tx, {spent});
    btc::TapScriptExt ext{btc::tapleaf_hash(btc::TAPROOT_LEAF_TAPSCRIPT, leaf_script)};
    auto sighash = btc::taproot_sighash(tx, 0, btc::SIGHASH_DEFAULT, data, std::nullopt, &ext).value();
    auto sig = crypto::schnorr_sign(h.lsp_key, sighash);
    tx.vin[0].witness = {Bytes(sig.bytes().begin(), sig.bytes().end()), leaf_script, cb.serialize()};
    return tx;
  };
  uint32_t to = t.terms().heights.timeout;
  // A final nLockTime below TO: the CLTV check itself fails.
  auto r1 = chain.submit(build(static_cast<uint32_t>(chain.height())));
  ASSERT_FALSE(r1);
  EXPECT_NE(r1.error().code.find("script-verify-flag"), std::string::npos) << r1.error().to_string();
  // nLockTime = TO before the tip reaches TO: not final yet.
  wallet.mine_empty(static_cast<int>(to - 1 - chain.height()));
  auto r2 = chain.submit(build(to));
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, "non-final");
  wallet.mine_empty(1);
  ASSERT_TRUE(chain.submit(build(to)));
}

TEST_F(Exit, CooperativeCloseIsOneKeyPathTxSignedByEveryone) {
  FactorySetup s;
  FactoryHarness h(chain, wallet, s);
  h.run_ceremony();
  h.confirm_funding();
  Tree& t = h.lsp_tree();
  auto key = t.funding_key().value();
  std::vector<btc::TxOut> outs;
  btc::Amount paid = 0;
  for (uint32_t c = 0; c < s.clients; ++c) {
    outs.push_back({s.client_balance, test::p2tr_of(h.client_keys[c].pubkey())});
    paid += s.client_balance;
  }
  btc::Amount fee = 3'000;
  outs.push_back({t.funding_value() - paid - fee, test::p2tr_of(h.lsp_key.pubkey())});
  auto tx = key_path_spend(t.terms().funding, outs);
  auto sighash = key_path_sighash(tx, 0, {{t.funding_value(), key->script}}).value();
  // Every participant runs its MuSig2 part.
  std::vector<crypto::SecretKey> all = h.client_keys;
  all.push_back(h.lsp_key);
  std::vector<crypto::musig::SecNonce> secs;
  std::vector<crypto::musig::PubNonce> pubs;
  for (const auto& sk : all) {
    auto np = crypto::musig::nonce_gen(sk.pubkey(), {.sk = &sk, .msg = ByteView(sighash)}).value();
    secs.push_back(std::move(np.secnonce));
    pubs.push_back(np.pubnonce);
  }
  auto agg = crypto::musig::nonce_agg(pubs).value();
  auto session = crypto::musig::Session::create(key->tweaked, agg, sighash).value();
  std::vector<crypto::musig::PartialSig> psigs;
  for (size_t i = 0; i < all.size(); ++i) psigs.push_back(session.sign(std::move(secs[i]), all[i]).value());
  auto sig = session.aggregate(psigs).value();
  tx.vin[0].witness = {Bytes(sig.bytes().begin(), sig.bytes().end())};
  wallet.confirm(tx);
  EXPECT_TRUE(on_chain(tx));
  EXPECT_EQ(fee_of(tx), fee);
}

TEST_F(Exit, HolderOfEveryKeySweepsWithOneSignature) {
  FactorySetup s;
  FactoryHarness h(chain, wallet, s);
  h.run_ceremony();
  h.confirm_funding();
  Tree& t = h.lsp_tree();
  // Every client handed its key over: L sweeps the funding output alone.
  std::vector<crypto::SecretKey> all = h.client_keys;
  all.push_back(h.lsp_key);
  auto key = t.funding_key().value();
  auto tx = key_path_spend(t.terms().funding, {{t.funding_value() - 1'000, test::p2tr_of(h.lsp_key.pubkey())}});
  std::vector<crypto::SecretKey> missing_one(all.begin() + 1, all.end());
  EXPECT_EQ(sign_key_path(tx, 0, {{t.funding_value(), key->script}}, *key, missing_one).error().code,
            "factory.missing-key");
  ASSERT_TRUE(sign_key_path(tx, 0, {{t.funding_value(), key->script}}, *key, all));
  ASSERT_EQ(tx.vin[0].witness.size(), 1u);
  wallet.confirm(tx);
  EXPECT_TRUE(on_chain(tx));
}

}  // namespace
}  // namespace ladder::factory
