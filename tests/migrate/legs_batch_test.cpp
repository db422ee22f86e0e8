// The day's batch (DESIGN §6 Batching (R)): one test per rule, on the
// embedded chain where a rule is about what can confirm.
#include <gtest/gtest.h>

#include "btc/standard_scripts.h"
#include "migrate/batch.h"
#include "support/wallet.h"

namespace ladder::migrate {
namespace {

std::string code(const Status& s) { return s ? std::string("ok") : s.error().code; }
template <class T>
std::string code(const Expected<T>& e) { return e ? std::string("ok") : e.error().code; }

MigrationId mid(uint8_t b) {
  MigrationId m{};
  m[0] = b;
  return m;
}

struct BatchFixture {
  chain::EmbeddedChain chain;
  test::TestWallet wallet{chain};
  crypto::SecretKey lsp_wallet = crypto::SecretKey::generate();
  Bytes lsp_script = test::p2tr_of(lsp_wallet.pubkey());
  std::vector<BatchInput> coins;

  BatchFixture() {
    wallet.mine_coins(2);
    auto tx = wallet.fund({{1'000'000, lsp_script}, {1'000'000, lsp_script}, {1'000'000, lsp_script}});
    wallet.confirm(tx);
    for (uint32_t i = 0; i < 3; ++i) coins.push_back({{tx.txid(), i}, tx.vout[i]});
  }
  Batch make(uint64_t id, btc::Amount rate = 2000) { return Batch(id, static_cast<uint32_t>(chain.height() + 1), rate, lsp_script); }
  static BatchOutput funding(uint64_t factory, btc::Amount v = 400'000) {
    return {BatchOutputKind::factory_funding, factory, {}, {v, test::p2tr_of(crypto::SecretKey::generate().pubkey())}};
  }
  static BatchOutput exit_output(uint8_t m, btc::Amount v = 100'000) {
    return {BatchOutputKind::ptlc_exit, 0, mid(m), {v, test::p2tr_of(crypto::SecretKey::generate().pubkey())}};
  }
  btc::Transaction sign(const btc::Transaction& unsigned_tx, const std::vector<BatchInput>& ins) {
    btc::Transaction tx = unsigned_tx;
    std::vector<btc::TxOut> spent;
    for (const auto& i : ins) spent.push_back(i.spent);
    for (size_t i = 0; i < tx.vin.size(); ++i) test::TestWallet::sign_keypath(tx, i, spent, lsp_wallet);
    return tx;
  }
  btc::Transaction sign(Batch& b) { return sign(b.unsigned_tx(), b.inputs()); }
};

TEST(Batch, FrozenBeforeAnythingUsesItsTxid) {
  BatchFixture f;
  Batch b = f.make(1);
  ASSERT_EQ(code(b.add_input(f.coins[0])), "ok");
  // A departed factory's sweep joins as an input like a wallet coin.
  BatchInput sweep = f.coins[1];
  sweep.source = BatchInput::Source::sweep;
  sweep.swept_factory = 3;
  ASSERT_EQ(code(b.add_input(sweep)), "ok");
  ASSERT_EQ(code(b.add_output(BatchFixture::funding(7))), "ok");
  ASSERT_EQ(code(b.add_output(BatchFixture::exit_output(1))), "ok");
  EXPECT_EQ(code(b.outpoint_of_factory(7)), "migrate.batch-not-frozen");
  EXPECT_EQ(code(b.outpoint_of_migration(mid(1))), "migrate.batch-not-frozen");
  EXPECT_EQ(code(b.begin_claim_session(mid(1))), "migrate.batch-not-frozen");
  EXPECT_EQ(code(b.construction_completed(7)), "migrate.batch-not-frozen");
  const btc::Txid txid = b.freeze().value();
  // Late migrants go to the next batch.
  EXPECT_EQ(code(b.add_output(BatchFixture::exit_output(2))), "migrate.batch-frozen");
  EXPECT_EQ(code(b.add_input(f.coins[2])), "migrate.batch-frozen");
  EXPECT_EQ(b.outpoint_of_factory(7).value(), (btc::OutPoint{txid, 0}));
  EXPECT_EQ(b.outpoint_of_migration(mid(1)).value(), (btc::OutPoint{txid, 1}));
  EXPECT_EQ(b.change_outpoint().value(), (btc::OutPoint{txid, 2}));
  EXPECT_EQ(b.unsigned_tx().txid(), txid);
}

TEST(Batch, ClaimSessionsWaitForEveryFactoryConstruction) {
  BatchFixture f;
  Batch b = f.make(1);
  ASSERT_TRUE(b.add_input(f.coins[0]));
  ASSERT_TRUE(b.add_output(BatchFixture::funding(7)));
  ASSERT_TRUE(b.add_output(BatchFixture::funding(8)));
  ASSERT_TRUE(b.add_output(BatchFixture::exit_output(1)));
  ASSERT_TRUE(b.freeze());
  EXPECT_EQ(code(b.begin_claim_session(mid(1))), "migrate.batch-construction-pending");
  ASSERT_TRUE(b.construction_completed(7));
  EXPECT_EQ(code(b.begin_claim_session(mid(1))), "migrate.batch-construction-pending");
  ASSERT_TRUE(b.construction_completed(8));
  EXPECT_EQ(code(b.begin_claim_session(mid(1))), "ok");
  EXPECT_EQ(code(b.claim_session_completed(mid(2))), "migrate.batch-unknown-output");
  EXPECT_EQ(code(b.claim_session_completed(mid(1))), "ok");
}

TEST(Batch, AFailedConstructionRebuildsSpendingAnInputOfTheAbandonedBatch) {
  BatchFixture f;
  Batch b = f.make(1);
  ASSERT_TRUE(b.add_input(f.coins[0]));
  ASSERT_TRUE(b.add_input(f.coins[1]));
  ASSERT_TRUE(b.add_output(BatchFixture::funding(7)));
  ASSERT_TRUE(b.add_output(BatchFixture::funding(8)));
  ASSERT_TRUE(b.add_output(BatchFixture::exit_output(1)));
  ASSERT_TRUE(b.freeze());
  ASSERT_TRUE(b.construction_completed(8));
  EXPECT_EQ(code(b.rebuild_without(8, 2)), "migrate.batch-constructed");
  const btc::Transaction abandoned = f.sign(b);
  Batch next = b.rebuild_without(7, 2).value();
  EXPECT_EQ(b.phase(), Batch::Phase::abandoned);
  EXPECT_EQ(code(b.outpoint_of_factory(8)), "migrate.batch-abandoned");
  EXPECT_EQ(code(b.set_signed(abandoned)), "migrate.batch-abandoned");
  ASSERT_TRUE(next.freeze());
  EXPECT_EQ(code(next.outpoint_of_factory(7)), "migrate.batch-unknown-output");
  ASSERT_TRUE(next.outpoint_of_factory(8));
  // Factory 8's funding outpoint changed: its construction must run again.
  EXPECT_EQ(code(next.begin_claim_session(mid(1))), "migrate.batch-construction-pending");
  bool shares_input = false;
  for (const auto& in : next.unsigned_tx().vin)
    for (const auto& old : abandoned.vin) shares_input |= in.prevout == old.prevout;
  EXPECT_TRUE(shares_input);
  // At most one of them can ever confirm.
  ASSERT_TRUE(next.set_signed(f.sign(next)));
  f.wallet.confirm(next.broadcast().value());
  EXPECT_EQ(code(f.chain.submit(abandoned)), "bad-txns-inputs-missingorspent");
}

TEST(Batch, ABatchWithACompletedClaimSessionIsBroadcastUnchanged) {
  BatchFixture f;
  Batch b = f.make(1);
  ASSERT_TRUE(b.add_input(f.coins[0]));
  ASSERT_TRUE(b.add_output(BatchFixture::funding(7)));
  ASSERT_TRUE(b.add_output(BatchFixture::exit_output(1)));
  const btc::Txid txid = b.freeze().value();
  ASSERT_TRUE(b.construction_completed(7));
  ASSERT_TRUE(b.begin_claim_session(mid(1)));
  Batch b2 = f.make(3);
  ASSERT_TRUE(b2.add_input(f.coins[1]));
  ASSERT_TRUE(b2.add_output(BatchFixture::funding(9)));
  ASSERT_TRUE(b2.add_output(BatchFixture::exit_output(1)));
  const btc::Txid txid2 = b2.freeze().value();
  ASSERT_NE(txid, txid2);
  ASSERT_TRUE(b2.construction_completed(9));
  ASSERT_TRUE(b2.begin_claim_session(mid(1)));
  ASSERT_TRUE(b2.claim_session_completed(mid(1)));
  EXPECT_EQ(code(b2.rebuild_without(9, 4)), "migrate.batch-claims-completed");
  EXPECT_EQ(code(b2.broadcast()), "migrate.batch-unsigned");
  btc::Transaction tampered = f.sign(b2);
  tampered.vout.back().value -= 1;
  EXPECT_EQ(code(b2.set_signed(tampered)), "migrate.batch-txid-changed");
  EXPECT_EQ(code(b2.set_signed(b2.unsigned_tx())), "migrate.batch-unsigned");
  ASSERT_TRUE(b2.set_signed(f.sign(b2)));
  const btc::Transaction out = b2.broadcast().value();
  EXPECT_EQ(out.txid(), txid2);
  f.wallet.confirm(out);
}

TEST(Batch, BumpedOnlyByCpfpOnTheChangeNeverByRbf) {
  BatchFixture f;
  Batch b = f.make(1, 1000);
  ASSERT_TRUE(b.add_input(f.coins[0]));
  ASSERT_TRUE(b.add_output(BatchFixture::exit_output(1)));
  const btc::Txid txid = b.freeze().value();
  for (const auto& in : b.unsigned_tx().vin) EXPECT_GE(in.sequence, 0xfffffffeu);  // no replaceability signal
  EXPECT_EQ(code(b.cpfp_child(5000)), "migrate.batch-not-broadcast");
  ASSERT_TRUE(b.set_signed(f.sign(b)));
  const auto parent = b.broadcast().value();
  ASSERT_TRUE(f.chain.submit(parent));
  EXPECT_EQ(code(b.rebuild_without(1, 2)), "migrate.batch-broadcast");
  EXPECT_EQ(code(b.cpfp_child(1000)), "migrate.fee-not-higher");
  btc::Transaction child = b.cpfp_child(20'000).value();
  child = f.sign(child, {BatchInput{b.change_outpoint().value(), parent.vout.back()}});
  auto accepted = f.chain.submit(child);
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  // The package pays at least the asked rate; the parent keeps its txid.
  const btc::Amount package_fee = b.fee() + accepted->fee;
  EXPECT_GE(package_fee * 1000, 20'000 * (parent.vsize() + child.vsize()));
  f.wallet.mine_empty(1);
  EXPECT_EQ(f.chain.find_tx(txid)->confirmations, 1);
  EXPECT_EQ(f.chain.find_tx(child.txid())->confirmations, 1);
}

TEST(Batch, SegwitInputsOnlyAndSaneAmounts) {
  BatchFixture f;
  Batch b = f.make(1);
  BatchInput legacy = f.coins[0];
  legacy.spent.script_pubkey = btc::p2pkh_script(crypto::Bytes20{});
  EXPECT_EQ(code(b.add_input(legacy)), "migrate.batch-not-segwit");
  legacy.spent.script_pubkey = btc::p2sh_script(crypto::Bytes20{});
  EXPECT_EQ(code(b.add_input(legacy)), "migrate.batch-not-segwit");
  EXPECT_EQ(code(b.freeze()), "migrate.batch-empty");
  ASSERT_TRUE(b.add_input(f.coins[0]));
  EXPECT_EQ(code(b.add_input(f.coins[0])), "migrate.batch-duplicate");
  EXPECT_EQ(code(b.add_output(BatchFixture::exit_output(1, 329))), "migrate.batch-dust");
  ASSERT_TRUE(b.add_output(BatchFixture::exit_output(1, 999'500)));
  EXPECT_EQ(code(b.add_output(BatchFixture::exit_output(1))), "migrate.batch-duplicate");
  EXPECT_EQ(code(b.freeze()), "migrate.batch-insufficient-funds");
}

}  // namespace
}  // namespace ladder::migrate
