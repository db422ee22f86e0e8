// Option 2, the off-chain to on-chain swap, on the embedded chain: the
// cooperative key-path claim, the hashlock claim when L does not co-sign,
// L's refund when the client never claims — and the handover after it.
#include <gtest/gtest.h>

#include <iostream>

#include "migrate/swap.h"
#include "store/memory_store.h"
#include "ways_fixture.h"

namespace ladder::migrate::test {
namespace {

struct SwapScenario {
  SwapScenario() {
    client_balance = w.old_pair->client.latest_spec().to_holder;
    lsp_balance = w.old_pair->lsp.latest_spec().to_holder;
    ClientPolicy cp;
    cp.depth = 1;
    SwapClientConfig cc{id, 1, &w.old_pair->client, w.client_key(), fresh, claim_script, cp, w.old_legs(), &ledger};
    auto started = must(SwapClient::start(cc), "start");
    client.emplace(std::move(started.first));
    SwapLspConfig lc{.old_factory = 1,
                     .old_channel = &w.old_pair->lsp,
                     .client_key = w.client_key().pubkey(),
                     .lsp_key = lsp_key,
                     .refund_script = w.lsp_script,
                     .policy = {},
                     .legs = w.old_legs(),
                     .refund_fee_rate = 2'000,
                     .vault = &vault};
    auto accepted = must(SwapLsp::accept(lc, started.second, w.tip(), w.tip() + 2), "accept");
    lsp.emplace(std::move(accepted.first));
    terms = accepted.second;
    host.client.channel_event = [this](size_t, const channel::ChannelEvent& e) -> Expected<FlowOutput> {
      return client->on_old_channel_event(e);
    };
    host.client.message = [this](const Message& m) -> Expected<FlowOutput> {
      if (auto* t = std::get_if<MigrateTerms>(&m)) return client->on_terms(*t, w.tip());
      if (auto* f = std::get_if<SwapFunded>(&m)) return client->on_swap_funded(*f);
      if (auto* s = std::get_if<SwapClaimSig>(&m)) return client->on_swap_claim_sig(*s);
      if (auto* a = std::get_if<HandoverAck>(&m)) return client->on_handover_ack(*a);
      return make_error("test.unexpected", "client got an unexpected message");
    };
    host.client.tx = [this](const btc::Transaction& tx, std::optional<uint32_t> h) { return client->on_tx(tx, h); };
    host.client.unconfirmed = [this](const btc::Txid& t) { return client->on_tx_unconfirmed(t); };
    host.client.tip = [this](uint32_t h) { return client->on_tip(h); };
    host.lsp.channel_event = [this](size_t, const channel::ChannelEvent& e) { return lsp->on_old_channel_event(e); };
    host.lsp.message = [this](const Message& m) -> Expected<FlowOutput> {
      if (auto* r = std::get_if<SwapClaimRequest>(&m)) {
        if (!cosign) return FlowOutput{};  // L keeps silent
        return lsp->on_swap_claim_request(*r);
      }
      if (auto* h = std::get_if<Handover>(&m)) return lsp->on_handover(*h);
      if (auto* b = std::get_if<RevealBlocked>(&m)) return lsp->on_reveal_blocked(*b);
      return make_error("test.unexpected", "L got an unexpected message");
    };
    host.lsp.tx = [this](const btc::Transaction& tx, std::optional<uint32_t> h) { return lsp->on_tx(tx, h); };
    host.lsp.unconfirmed = [this](const btc::Txid& t) { return lsp->on_tx_unconfirmed(t); };
    host.lsp.tip = [this](uint32_t h) { return lsp->on_tip(h); };
  }

  // Terms, the HTLC locked in, O in a frozen batch, the client told, L funds.
  void lock_and_fund() {
    FlowOutput t;
    t.to_peer.push_back(terms);
    host.send(false, std::move(t));
    host.run();
    batch.emplace(w.frozen_batch(1, {*lsp->batch_output()}));
    host.send(false, must(lsp->funded(*batch), "funded"));
    host.run();
    batch_tx = w.broadcast_batch(*batch);
    FlowOutput b;
    b.broadcast.push_back(*batch_tx);
    host.send(false, std::move(b));
    host.run();
  }

  // Everything moved: the claim paid the client, L took the balance and its
  // fee, the key handed over; before = after + fees to miners.
  void expect_swapped() {
    const auto& claim = *client->claim_tx();
    const btc::Amount claim_fee = terms.out_amount - claim.vout[0].value;
    EXPECT_EQ(claim.vout[0].value + claim_fee + terms.fee, client_balance);
    EXPECT_EQ(w.old_pair->client.latest_spec().to_holder, 0);
    EXPECT_TRUE(w.old_pair->client.latest_spec().locks.empty());
    EXPECT_EQ(w.old_pair->lsp.latest_spec().to_holder, lsp_balance + client_balance);
    const btc::Amount coin = batch->inputs()[0].spent.value;
    const btc::Amount change = batch_tx->vout.back().value;
    EXPECT_EQ(coin + client_balance + lsp_balance,
              channel_total(w.old_pair->lsp) + claim.vout[0].value + change + batch->fee() + claim_fee);
    EXPECT_TRUE(lsp->handed_over());
    EXPECT_EQ(vault.key_for(1, w.client_key().pubkey()).value().reveal(), w.client_key().reveal());
    EXPECT_EQ(client->stage(), SwapClient::Stage::done);
    const auto o_bytes = static_cast<int64_t>(8 + 1 + batch_tx->vout[0].script_pubkey.size());
    std::cout << "option 2 on-chain vbytes per client: " << o_bytes + claim.vsize() << " (O " << o_bytes
              << " + claim " << claim.vsize() << ")\n";
  }

  World w;
  Host host{w};
  store::MemoryStore lsp_store, client_store;
  KeyVault vault{lsp_store};
  ClientKeyLedger ledger{client_store};
  MigrationId id = crypto::random_bytes32();
  crypto::SecretKey fresh = crypto::SecretKey::generate();
  crypto::SecretKey lsp_key = crypto::SecretKey::generate();
  Bytes claim_script = ladder::test::p2tr_of(crypto::SecretKey::generate().pubkey());
  std::optional<SwapClient> client;
  std::optional<SwapLsp> lsp;
  MigrateTerms terms;
  std::optional<Batch> batch;
  std::optional<btc::Transaction> batch_tx;
  bool cosign = true;
  btc::Amount client_balance = 0, lsp_balance = 0;
};

TEST(Swap, CooperativeKeyPathClaimThenHandover) {
  SwapScenario s;
  s.lock_and_fund();
  s.host.mine(1);  // O at depth: preimage to L, L co-signs, the key-path claim goes out
  ASSERT_TRUE(s.client->claim_tx());
  EXPECT_EQ(s.client->claim_tx()->vin[0].witness.size(), 1u);  // key path
  EXPECT_TRUE(s.lsp->learned_preimage());
  s.host.mine(static_cast<int>(s.w.old_legs().cutoff));
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::handed_over));
  s.expect_swapped();
}

TEST(Swap, WithoutLCoSigningTheClientClaimsByTheHashlockAndLLearnsThePreimage) {
  SwapScenario s;
  s.cosign = false;
  s.lock_and_fund();
  s.host.mine(1);
  EXPECT_FALSE(s.client->claim_tx());  // waiting one block for L
  s.host.mine(1);
  ASSERT_TRUE(s.client->claim_tx());
  EXPECT_EQ(s.client->claim_tx()->vin[0].witness.size(), 4u);  // sig, preimage, leaf, control block
  EXPECT_TRUE(s.lsp->learned_preimage());                      // from the mempool
  s.host.mine(static_cast<int>(s.w.old_legs().cutoff));
  s.expect_swapped();
}

TEST(Swap, TheClientNeverClaimsLRefundsAfterTOnAndFailsTheHtlcBack) {
  SwapScenario s;
  s.host.client_online = false;
  FlowOutput t;
  t.to_peer.push_back(s.terms);
  s.host.client_online = true;
  s.host.send(false, std::move(t));
  s.host.run();
  s.batch.emplace(s.w.frozen_batch(1, {*s.lsp->batch_output()}));
  s.host.send(false, must(s.lsp->funded(*s.batch)));
  s.host.client_online = false;  // gone before O confirms
  s.batch_tx = s.w.broadcast_batch(*s.batch);
  FlowOutput b;
  b.broadcast.push_back(*s.batch_tx);
  s.host.send(false, std::move(b));
  s.host.mine_to(*s.terms.legs.t_on);
  s.host.mine(1 + static_cast<int>(s.w.old_legs().cutoff));
  EXPECT_TRUE(s.host.lsp_saw(FlowEventKind::refunded));
  s.host.client_online = true;
  s.host.tick();
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::abandoned));
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::failed));
  EXPECT_FALSE(s.client->claim_tx());
  EXPECT_EQ(s.w.old_pair->client.latest_spec().to_holder, s.client_balance);
  EXPECT_FALSE(s.vault.holds(1, s.w.client_key().pubkey()));
  // L's wallet: its coin = change + refund + batch fee + refund fee.
  const btc::Transaction* refund = nullptr;
  for (const auto& tx : s.host.accepted)
    if (tx.vin[0].prevout.txid == s.batch_tx->txid()) refund = &tx;
  ASSERT_NE(refund, nullptr);
  const btc::Amount refund_fee = s.terms.out_amount - refund->vout[0].value;
  EXPECT_EQ(s.batch->inputs()[0].spent.value,
            s.batch_tx->vout.back().value + refund->vout[0].value + s.batch->fee() + refund_fee);
}

}  // namespace
}  // namespace ladder::migrate::test
