#include "ways_option3.h"

#include <gtest/gtest.h>

namespace ladder::migrate::test {

Option3::Option3(WorldSetup setup) : w(setup), claim_script(ladder::test::p2tr_of(claim_key.pubkey())) {
  client_balance = w.old_pair->client.latest_spec().to_holder;
  lsp_balance = w.old_pair->lsp.latest_spec().to_holder;
  ClientPolicy cp;
  cp.depth = 1;
  PtlcExitClientConfig cc{id, 1, &w.old_pair->client, w.client_key(), fresh, claim_script, cp, w.old_legs(), &ledger};
  auto started = must(PtlcExitClient::start(cc), "client start");
  client.emplace(std::move(started.first));
  request = started.second;
  PtlcExitLspConfig lc{.old_factory = 1,
                       .old_channel = &w.old_pair->lsp,
                       .client_key = w.client_key().pubkey(),
                       .lsp_key = lsp_key,
                       .refund_script = w.lsp_script,
                       .policy = {},
                       .legs = w.old_legs(),
                       .refund_fee_rate = 2'000,
                       .store = &lsp_store,
                       .vault = &vault};
  auto accepted = must(PtlcExitLsp::accept(lc, request, w.tip(), w.tip() + 2), "lsp accept");
  lsp.emplace(std::move(accepted.first));

  host.client.channel_event = [this](size_t i, const channel::ChannelEvent& e) -> Expected<FlowOutput> {
    if (i != 0) return FlowOutput{};
    return client->on_old_channel_event(e);
  };
  host.client.message = [this](const Message& m) -> Expected<FlowOutput> {
    if (auto* t = std::get_if<MigrateTerms>(&m)) return client->on_terms(*t, w.tip());
    if (auto* o = std::get_if<ClaimOffer>(&m)) return client->on_claim_offer(*o);
    if (auto* p = std::get_if<ClaimAdaptorPartial>(&m)) return client->on_adaptor_partial(*p);
    return make_error("test.unexpected", "client got an unexpected message");
  };
  host.client.tx = [this](const btc::Transaction& tx, std::optional<uint32_t> h) { return client->on_tx(tx, h); };
  host.client.unconfirmed = [this](const btc::Txid& t) { return client->on_tx_unconfirmed(t); };
  host.client.tip = [this](uint32_t h) { return client->on_tip(h); };
  host.lsp.channel_event = [this](size_t i, const channel::ChannelEvent& e) -> Expected<FlowOutput> {
    if (i != 0) return FlowOutput{};
    return lsp->on_old_channel_event(e);
  };
  host.lsp.message = [this](const Message& m) -> Expected<FlowOutput> {
    if (auto* p = std::get_if<ClaimPartial>(&m)) return lsp->on_claim_partial(*p, *batch);
    if (auto* r = std::get_if<ClaimResign>(&m)) return lsp->on_claim_resign(*r, *batch);
    if (auto* b = std::get_if<RevealBlocked>(&m)) return lsp->on_reveal_blocked(*b);
    return make_error("test.unexpected", "L got an unexpected message");
  };
  host.lsp.tx = [this](const btc::Transaction& tx, std::optional<uint32_t> h) { return lsp->on_tx(tx, h); };
  host.lsp.unconfirmed = [this](const btc::Txid& t) { return lsp->on_tx_unconfirmed(t); };
  host.lsp.tip = [this](uint32_t h) { return lsp->on_tip(h); };
}

void Option3::lock_leg() {
  FlowOutput terms_out;
  terms_out.to_peer.push_back(lsp->terms());
  host.send(false, std::move(terms_out));
  host.run();
}

void Option3::run_session() {
  batch.emplace(w.frozen_batch(1, {*lsp->batch_output()}));
  host.send(false, must(lsp->start_claim(*batch), "start claim"));
  host.run();
}

void Option3::fund() {
  if (!lsp->may_fund()) throw std::runtime_error("L may not fund O yet");
  batch_tx = w.broadcast_batch(*batch);
  FlowOutput out;
  out.broadcast.push_back(*batch_tx);
  host.send(false, std::move(out));
  host.run();
}

btc::Amount Option3::claim_value() const {
  const auto& c = client->claim_tx();
  if (!c) return 0;
  auto loc = w.chain.find_tx(c->txid());
  return loc && loc->height >= 0 ? c->vout[0].value : 0;
}

// Both legs settled, the key in L's vault, and every satoshi accounted for:
// the client's old balance = what its claim paid + the claim's fee + L's fee;
// L's wallet paid O and the batch fee, and took the client's balance off-chain.
void Option3::expect_migrated() {
  Option3& s = *this;
  const auto& t = s.terms();
  ASSERT_TRUE(s.lsp->learned());
  EXPECT_EQ(s.vault.key_for(1, s.w.client_key().pubkey()).value().reveal(), s.w.client_key().reveal());
  EXPECT_EQ(s.vault.key_for(2, s.w.client_key().pubkey()).error().code, "migrate.key-out-of-scope");
  EXPECT_EQ(s.ledger.handed_over().value().count(s.w.client_key().pubkey().bytes()), 1u);
  const auto& claim = *s.client->claim_tx();
  const btc::Amount claim_fee = t.out_amount - claim.vout[0].value;
  EXPECT_EQ(s.claim_value() + claim_fee + t.fee, s.client_balance);
  // The old channel: nothing of the client's, no lock left, L holds it all.
  const auto& client_view = s.w.old_pair->client.latest_spec();
  EXPECT_EQ(client_view.to_holder, 0);
  EXPECT_TRUE(client_view.locks.empty());
  EXPECT_EQ(s.w.old_pair->lsp.latest_spec().to_holder, s.lsp_balance + s.client_balance);
  // L's wallet: its coin became O + change + the batch fee.
  const btc::Amount coin = s.batch->inputs()[0].spent.value;
  const btc::Amount change = s.batch_tx->vout.back().value;
  EXPECT_EQ(coin, t.out_amount + change + s.batch->fee());
  // The whole: before = after + fees paid to miners.
  const btc::Amount before = s.client_balance + s.lsp_balance + coin;
  const btc::Amount after = channel_total(s.w.old_pair->lsp) + s.claim_value() + change;
  EXPECT_EQ(before, after + s.batch->fee() + claim_fee);
}

void Option3::expect_untouched() {
  EXPECT_FALSE(vault.holds(1, w.client_key().pubkey()));
  EXPECT_FALSE(lsp->learned());
  EXPECT_TRUE(ledger.handed_over().value().empty());
  EXPECT_EQ(claim_value(), 0);
  EXPECT_EQ(w.old_pair->client.latest_spec().to_holder, client_balance);
  EXPECT_TRUE(w.old_pair->client.latest_spec().locks.empty());
  EXPECT_EQ(w.old_pair->lsp.latest_spec().to_holder, lsp_balance);
}

}  // namespace ladder::migrate::test
