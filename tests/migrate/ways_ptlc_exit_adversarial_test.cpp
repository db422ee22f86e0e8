// Option 3 under attack and under bad luck (issue 6's adversarial list), on
// the embedded chain, every block fed to both flows. Each test ends with the
// satoshis counted.
#include <gtest/gtest.h>

#include "channel/enforcement.h"
#include "migrate/sweep.h"
#include "ways_option3.h"

namespace ladder::migrate::test {
namespace {

uint64_t ptlc_of(const Option3& s) { return s.w.old_pair->client.outgoing_locks().at(0).id; }

// L refunded O after T_on and failed the PTLC back: the client has its whole
// balance again, nothing revealed; L lost only the batch and refund fees.
void expect_refunded_back(Option3& s, const btc::Transaction& refund) {
  EXPECT_FALSE(s.client->claim_tx());
  EXPECT_FALSE(s.vault.holds(1, s.w.client_key().pubkey()));
  EXPECT_FALSE(s.lsp->learned());
  EXPECT_EQ(s.w.old_pair->client.latest_spec().to_holder, s.client_balance);
  EXPECT_TRUE(s.w.old_pair->client.latest_spec().locks.empty());
  EXPECT_EQ(s.w.old_pair->lsp.latest_spec().to_holder, s.lsp_balance);
  const btc::Amount coin = s.batch->inputs()[0].spent.value;
  const btc::Amount change = s.batch_tx->vout.back().value;
  const btc::Amount refund_fee = s.terms().out_amount - refund.vout[0].value;
  EXPECT_EQ(coin, change + refund.vout[0].value + s.batch->fee() + refund_fee);
  EXPECT_EQ(channel_total(s.w.old_pair->lsp), s.client_balance + s.lsp_balance);
}

const btc::Transaction* find_refund(const Option3& s) {
  for (const auto& tx : s.host.accepted)
    if (tx.vin.size() == 1 && tx.vin[0].prevout.txid == s.batch_tx->txid() && tx.vout[0].script_pubkey == s.w.lsp_script)
      return &tx;
  return nullptr;
}

TEST(PtlcExitAdversarial, LNeverFundsOTheKeyStaysSecretAndTheClientRecoversAtTIn) {
  Option3 s;
  s.lock_leg();
  s.run_session();  // L completes the session, then never broadcasts the batch and never answers again
  const auto& legs = s.terms().legs;
  s.host.mine_to(*legs.t_on - s.w.old_legs().cutoff + 1);
  EXPECT_EQ(s.client->stage(), PtlcExitClient::Stage::abandoned);
  s.host.mine_to(legs.t_in);
  ASSERT_TRUE(s.host.client_saw(FlowEventKind::must_enforce));
  // The client goes on chain: its factory path, its commitment, the PTLC's timeout.
  ladder::test::execute_exit(s.w.chain, s.w.wallet, s.w.old_factory->client_tree(0), 0);
  auto& ch = s.w.old_pair->client;
  const auto commitment = must(ch.signed_commitment_tx());
  ASSERT_TRUE(s.w.chain.submit(commitment));
  s.w.wallet.mine_empty(1);
  const auto kc = must(channel::identify_commitment(ch, commitment));
  s.w.wallet.mine_empty(static_cast<int>(ch.params().to_self_delay));
  const Bytes dest = ladder::test::p2tr_of(crypto::SecretKey::generate().pubkey());
  const auto timeout = must(channel::claim_lock_timeout(ch, kc, ptlc_of(s), {dest, 2000}));
  auto accepted = s.w.chain.submit(timeout);
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  s.w.wallet.mine_empty(1);
  // To the satoshi: the PTLC output was the whole balance; the claim paid it
  // minus its own fee. The commitment's outputs and fee are the capacity.
  EXPECT_EQ(timeout.vout[0].value + accepted->fee, s.client_balance);
  btc::Amount outs = 0;
  for (const auto& o : commitment.vout) outs += o.value;
  EXPECT_EQ(outs + kc.held.built.fee, s.w.old_pair->client.binding().value);
  // The key never left the client.
  EXPECT_FALSE(s.client->claim_tx());
  EXPECT_TRUE(s.ledger.handed_over().value().empty());
  EXPECT_FALSE(s.vault.holds(1, s.w.client_key().pubkey()));
}

TEST(PtlcExitAdversarial, TheClientNeverClaimsLRefundsAfterTOnAndThePtlcGoesBack) {
  Option3 s;
  s.lock_leg();
  s.run_session();
  s.host.client_online = false;  // gone for good, presignature in hand
  s.fund();
  const auto& legs = s.terms().legs;
  s.host.mine_to(*legs.t_on);   // the refund is valid in the next block
  s.host.mine(1 + static_cast<int>(s.w.old_legs().cutoff));
  ASSERT_TRUE(s.host.lsp_saw(FlowEventKind::refunded));
  const auto* refund = find_refund(s);
  ASSERT_NE(refund, nullptr);
  EXPECT_GT(s.w.chain.find_tx(refund->txid())->height, static_cast<int>(*legs.t_on));
  s.host.client_online = true;
  s.host.tick();
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::failed));
  expect_refunded_back(s, *refund);
}

TEST(PtlcExitAdversarial, PastTheRevealCutoffTheClientAbandonsAndGetsItsBalanceBack) {
  Option3 s;
  s.lock_leg();
  s.run_session();
  s.host.client_online = false;
  s.fund();
  s.host.mine(1);
  const auto& legs = s.terms().legs;
  const uint32_t c = s.w.old_legs().cutoff;
  // Back one block past the cutoff, with O deep and the presignature ready.
  s.host.mine_to(*legs.t_on - c + 1);
  s.host.client_online = true;
  s.host.tick();
  EXPECT_EQ(s.client->stage(), PtlcExitClient::Stage::abandoned);
  EXPECT_FALSE(s.client->claim_tx());
  s.host.mine_to(*legs.t_on + 1 + c);
  const auto* refund = find_refund(s);
  ASSERT_NE(refund, nullptr);
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::failed));
  expect_refunded_back(s, *refund);
}

TEST(PtlcExitAdversarial, AClaimJustBeforeTheCutoffIsSettledInTimeByForcingTheFactoryPath) {
  Option3 s;
  s.lock_leg();
  s.run_session();
  s.host.client_online = false;
  s.fund();
  const auto& legs = s.terms().legs;
  const uint32_t c = s.w.old_legs().cutoff;
  s.host.mine_to(*legs.t_on - c);
  // The client comes back at the last block it may claim in, claims, and
  // vanishes before L's settle reaches it.
  auto tip_hook = s.host.client.tip;
  s.host.client.tip = [&s, tip_hook](uint32_t h) {
    FlowOutput out = tip_hook(h);
    if (!out.broadcast.empty()) s.host.client_online = false;
    return out;
  };
  s.host.client_online = true;
  s.host.tick();
  ASSERT_TRUE(s.client->claim_tx());
  ASSERT_TRUE(s.lsp->learned());
  EXPECT_FALSE(s.lsp->removed());
  ASSERT_TRUE(s.host.lsp_saw(FlowEventKind::must_enforce));
  // L forces the client's factory path and sweeps its channel output by key
  // path: it holds both keys now.
  auto& tree = s.w.old_factory->lsp_tree();
  ladder::test::execute_exit(s.w.chain, s.w.wallet, tree, 0);
  const auto keys = must(s.vault.departed_keys(tree));
  const TreeOutput channel_out{OutputRole::channel, tree.shape().leaf_of(0), tree.shape().slot_in_leaf(0)};
  const auto input = must(departed_input(tree, keys, s.w.old_factory->lsp_key, channel_out));
  const auto sweep = must(build_sweep({input}, {}, s.w.lsp_script, 2000));
  auto accepted = s.w.chain.submit(sweep);
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  s.w.wallet.mine_empty(1);
  const auto swept = s.w.chain.find_tx(sweep.txid());
  ASSERT_TRUE(swept && swept->height > 0);
  EXPECT_LT(static_cast<uint32_t>(swept->height), legs.t_in);  // before the client could time the PTLC out
  // The client's claim confirmed too; every satoshi of the channel is L's
  // (the client was paid on chain), minus the sweep's fee.
  const auto claim = s.w.chain.find_tx(s.client->claim_tx()->txid());
  ASSERT_TRUE(claim && claim->height > 0);
  EXPECT_EQ(sweep.vout[0].value + accepted->fee, s.w.old_pair->lsp.binding().value);
  const btc::Amount claim_fee = s.terms().out_amount - s.client->claim_tx()->vout[0].value;
  EXPECT_EQ(s.client->claim_tx()->vout[0].value + claim_fee + s.terms().fee, s.client_balance);
}

TEST(PtlcExitAdversarial, AReorgThatRemovesTheClaimMakesTheClientRebroadcastAndLKeepsTheKey) {
  Option3 s;
  s.lock_leg();
  s.run_session();
  s.fund();
  s.host.mine(1);  // O confirms, the client claims
  ASSERT_TRUE(s.client->claim_tx());
  const btc::Txid claim = s.client->claim_tx()->txid();
  s.host.mine(1);  // the claim confirms
  ASSERT_GT(s.w.chain.find_tx(claim)->height, 0);
  ASSERT_TRUE(s.lsp->learned());
  // Both blocks go: O back to the mempool, the claim (nSequence 1) with nowhere to go.
  s.host.disconnect(2);
  EXPECT_FALSE(s.w.chain.find_tx(claim));
  size_t broadcasts_before = 0;
  for (const auto& tx : s.host.accepted) broadcasts_before += tx.txid() == claim;
  s.host.mine(1 + static_cast<int>(s.w.old_legs().cutoff));
  size_t broadcasts_after = 0;
  for (const auto& tx : s.host.accepted) broadcasts_after += tx.txid() == claim;
  EXPECT_GT(broadcasts_after, broadcasts_before);
  EXPECT_GT(s.w.chain.find_tx(claim)->height, 0);
  EXPECT_EQ(s.client->stage(), PtlcExitClient::Stage::done);
  EXPECT_EQ(s.vault.key_for(1, s.w.client_key().pubkey()).value().reveal(), s.w.client_key().reveal());
  EXPECT_TRUE(s.lsp->removed());
  s.expect_migrated();
}

TEST(PtlcExitAdversarial, ANewHtlcFromLAfterTheLockBlocksTheRevealUntilResolved) {
  Option3 s;
  s.lock_leg();
  s.run_session();
  s.fund();
  // L routes a payment to the client's old channel.
  const Bytes32 pre = crypto::random_bytes32();
  FlowOutput add;
  auto htlc = must(s.w.old_pair->lsp.add_htlc(5'000, crypto::sha256(pre), s.terms().legs.t_in));
  add.channel.push_back({s.w.old_pair->lsp.id(), channel::Message(htlc)});
  s.host.send(false, std::move(add));
  s.host.run();
  s.host.mine(1);
  EXPECT_FALSE(s.client->claim_tx());
  ASSERT_FALSE(s.host.client_events.empty());
  EXPECT_EQ(s.host.client_events.back().kind, FlowEventKind::reveal_blocked);
  EXPECT_EQ(s.host.client_events.back().code, "migrate.other-lock");
  // Resolved (the client fails it back): the claim goes out.
  FlowOutput fail;
  fail.channel.push_back({s.w.old_pair->client.id(), channel::Message(must(s.w.old_pair->client.fail(htlc.lock.id, "x")))});
  s.host.send(true, std::move(fail));
  s.host.run();
  s.host.tick();
  ASSERT_TRUE(s.client->claim_tx());
  EXPECT_TRUE(s.lsp->learned());
  s.host.mine(static_cast<int>(s.w.old_legs().cutoff));
  s.expect_migrated();  // the failed HTLC moved nothing
}

TEST(PtlcExitAdversarial, AnHtlcRacingTheClientsStfuMakesItSendRevealBlocked) {
  Option3 s;
  s.lock_leg();
  s.run_session();
  s.fund();
  std::optional<channel::UpdateAddLock> htlc;
  auto tip_hook = s.host.client.tip;
  s.host.client.tip = [&s, &htlc, tip_hook](uint32_t h) {
    FlowOutput out = tip_hook(h);
    for (const auto& cs : out.channel)
      if (std::holds_alternative<channel::Stfu>(cs.message) && !htlc) {
        // L's HTLC leaves before the client's stfu reaches it.
        htlc = must(s.w.old_pair->lsp.add_htlc(5'000, crypto::sha256(crypto::random_bytes32()), s.terms().legs.t_in));
        FlowOutput add;
        add.channel.push_back({s.w.old_pair->lsp.id(), channel::Message(*htlc)});
        s.host.send(false, std::move(add));
      }
    return out;
  };
  s.host.mine(1);
  ASSERT_TRUE(htlc);
  EXPECT_FALSE(s.client->claim_tx());
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::reveal_blocked));
  EXPECT_FALSE(s.w.old_pair->client.is_quiescent());  // both sides resumed on RevealBlocked
  FlowOutput fail;
  fail.channel.push_back(
      {s.w.old_pair->client.id(), channel::Message(must(s.w.old_pair->client.fail(htlc->lock.id, "migrating")))});
  s.host.send(true, std::move(fail));
  s.host.run();
  s.host.tick();
  ASSERT_TRUE(s.client->claim_tx());
  EXPECT_TRUE(s.lsp->learned());
  EXPECT_TRUE(s.lsp->removed());
  s.host.mine(static_cast<int>(s.w.old_legs().cutoff));
  s.expect_migrated();
}

TEST(PtlcExitAdversarial, APresignatureForTheWrongPointOrTheWrongTxIsRefused) {
  Option3 s;
  s.lock_leg();
  s.batch.emplace(s.w.frozen_batch(1, {*s.lsp->batch_output()}));
  const auto& t = s.terms();
  const btc::OutPoint op = must(s.batch->outpoint_of_migration(s.id));
  auto output = must(ClaimOutput::ptlc_exit(s.fresh.pubkey(), s.lsp_key.pubkey(), *t.legs.t_on));
  // A malicious L with its own nonces.
  auto offer_with = [&](uint32_t version, const crypto::PubKey& point, btc::Amount value, crypto::musig::NoncePair& n) {
    return ClaimOffer{s.id, version, op, value, t.claim_fee_rate, point, n.pubnonce};
  };
  auto n0 = must(crypto::musig::nonce_gen(s.lsp_key.pubkey()));
  const auto other = crypto::SecretKey::generate().pubkey();
  EXPECT_EQ(s.client->on_claim_offer(offer_with(0, other, t.out_amount, n0)).error().code, "migrate.wrong-adaptor-point");
  EXPECT_EQ(s.client->on_claim_offer(offer_with(0, s.w.client_key().pubkey(), t.out_amount - 1, n0)).error().code,
            "migrate.claim-mismatch");
  // An adaptor partial over another tx (paying L) / for another point.
  auto bad_partial = [&](uint32_t version, crypto::musig::NoncePair n, bool wrong_tx) {
    auto out = must(s.client->on_claim_offer(offer_with(version, s.w.client_key().pubkey(), t.out_amount, n)));
    const auto& cp = std::get<ClaimPartial>(out.to_peer.at(0));
    const auto claim = must(output.claim(op, t.out_amount, wrong_tx ? s.w.lsp_script : s.claim_script, t.claim_fee_rate));
    const std::vector<crypto::musig::PubNonce> nonces{n.pubnonce, cp.client_nonce};
    const auto session = must(crypto::musig::Session::create(output.keyagg(), must(crypto::musig::nonce_agg(nonces)),
                                                            claim.sighash, wrong_tx ? s.w.client_key().pubkey() : other));
    const auto psig = must(session.sign(std::move(n.secnonce), s.lsp_key));
    return s.client->on_adaptor_partial(ClaimAdaptorPartial{s.id, version, psig});
  };
  EXPECT_EQ(bad_partial(0, std::move(n0), true).error().code, "migrate.bad-adaptor-partial");
  EXPECT_EQ(bad_partial(1, must(crypto::musig::nonce_gen(s.lsp_key.pubkey())), false).error().code,
            "migrate.bad-adaptor-partial");
  // Nothing to claim with: O funded or not, the client never reveals.
  EXPECT_FALSE(s.client->claim_tx());
  EXPECT_FALSE(s.vault.holds(1, s.w.client_key().pubkey()));
  EXPECT_TRUE(s.ledger.handed_over().value().empty());
}

}  // namespace
}  // namespace ladder::migrate::test
