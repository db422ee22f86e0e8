// L's share of option 3 for many clients at once, off the chain: one batch
// carries every client's O; L accepts each request, runs each claim session
// (verifying the client's partial, signing its adaptor partial, storing the
// version), then extracts each key from its claim and settles. Prints L's
// CPU time per assisted exit (the channel dance of the PTLC is the channel
// layer's and not counted); every key must come out right.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "btc/standard_scripts.h"
#include "channel_fixture.h"
#include "migrate/ptlc_exit.h"
#include "store/memory_store.h"

namespace ladder::migrate {
namespace {

using channel::test::must;

TEST(Throughput, LsShareOfOption3ForManyClients) {
  constexpr int kClients = 64;
  store::MemoryStore lsp_store, client_store;
  KeyVault vault(lsp_store);
  ClientKeyLedger ledger(client_store);
  LegContext legs;
  legs.old_timeout = 5000;
  legs.x_old = 20;
  legs.cutoff = 6;
  legs.max_depth = 1;
  legs.depth = 1;
  ClientPolicy cp;
  cp.depth = 1;
  struct One {
    channel::test::Pair pair;
    crypto::SecretKey key;
    std::optional<PtlcExitClient> client;
    std::optional<PtlcExitLsp> lsp;
  };
  std::vector<std::unique_ptr<One>> all;
  const Bytes wallet = btc::p2tr_script(crypto::random_bytes32());
  Batch batch(1, 110, 2000, wallet);
  ASSERT_TRUE(batch.add_input(
      {{btc::Txid{crypto::random_bytes32()}, 0}, {100 * btc::COIN, wallet}, BatchInput::Source::wallet, 0, 66}));
  std::chrono::duration<double> lsp_time{0};
  auto timed = [&lsp_time](auto&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = f();
    lsp_time += std::chrono::steady_clock::now() - t0;
    return r;
  };
  for (int i = 0; i < kClients; ++i) {
    auto one = std::make_unique<One>(One{channel::test::open_pair({}), crypto::SecretKey::generate(), {}, {}});
    PtlcExitClientConfig cc{crypto::random_bytes32(), 1, &one->pair.client, one->key, crypto::SecretKey::generate(),
                            wallet, cp, legs, &ledger};
    auto [client, req] = must(PtlcExitClient::start(cc));
    one->client.emplace(std::move(client));
    PtlcExitLspConfig lc{.old_factory = 1,
                         .old_channel = &one->pair.lsp,
                         .client_key = one->key.pubkey(),
                         .lsp_key = crypto::SecretKey::generate(),
                         .refund_script = wallet,
                         .policy = {},
                         .legs = legs,
                         .refund_fee_rate = 2'000,
                         .store = &lsp_store,
                         .vault = &vault};
    auto [lsp, terms] = must(timed([&] { return PtlcExitLsp::accept(lc, req, 100, 105); }));
    one->lsp.emplace(std::move(lsp));
    auto add = must(one->client->on_terms(terms, 100));
    channel::test::Link link(one->pair.client, one->pair.lsp);
    link.to_b(add.channel.at(0).message);
    link.run();
    for (const auto& e : one->pair.lsp.drain_events()) must(timed([&] { return one->lsp->on_old_channel_event(e); }));
    ASSERT_TRUE(batch.add_output(*one->lsp->batch_output()));
    all.push_back(std::move(one));
  }
  ASSERT_TRUE(batch.freeze());
  std::vector<btc::Transaction> claims;
  for (auto& one : all) {
    auto offer = must(timed([&] { return one->lsp->start_claim(batch); }));
    auto partial = must(one->client->on_claim_offer(std::get<ClaimOffer>(offer.to_peer.at(0))));
    auto adaptor = must(timed([&] { return one->lsp->on_claim_partial(std::get<ClaimPartial>(partial.to_peer.at(0)), batch); }));
    must(one->client->on_adaptor_partial(std::get<ClaimAdaptorPartial>(adaptor.to_peer.at(0))));
  }
  // Each client claims (its reveal conditions on a quiescent channel).
  for (auto& one : all) {
    auto txs = batch.unsigned_tx();
    one->client->on_tx(txs, 106);
    for (int round = 0; round < 3 && !one->client->claim_tx(); ++round) {
      auto out = one->client->on_tip(106);  // the last block before the cutoff (T_on − c)
      for (auto& cs : out.channel) {
        auto replies = must(channel::deliver(one->pair.lsp, cs.message));
        for (auto& r : replies) must(channel::deliver(one->pair.client, r));
      }
    }
    ASSERT_TRUE(one->client->claim_tx());
    claims.push_back(*one->client->claim_tx());
  }
  for (size_t i = 0; i < all.size(); ++i) {
    auto out = timed([&] { return all[i]->lsp->on_tx(claims[i], std::nullopt); });
    ASSERT_TRUE(all[i]->lsp->learned());
    ASSERT_EQ(out.channel.size(), 1u);  // the settle of the old PTLC
  }
  for (auto& one : all) EXPECT_EQ(must(vault.key_for(1, one->key.pubkey())).reveal(), one->key.reveal());
  const double per = lsp_time.count() / kClients;
  std::cout << "option 3, L's work per assisted exit (accept, claim session, extraction, vault, settle): "
            << per * 1e6 << " us, " << 1.0 / per << " exits/s\n";
}

}  // namespace
}  // namespace ladder::migrate
