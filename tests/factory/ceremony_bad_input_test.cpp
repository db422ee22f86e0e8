// The ceremony under tampering, malformed contributions and vanishing
// participants: each is refused or names its culprit, and nothing is funded.
#include <gtest/gtest.h>

#include "support/factory_harness.h"

namespace ladder::factory {
namespace {

using test::FactoryHarness;
using test::FactorySetup;
using test::TestWallet;

class CeremonyBadInput : public ::testing::Test {
 protected:
  chain::EmbeddedChain chain;
  TestWallet wallet{chain};
  void SetUp() override { wallet.mine_coins(3); }

  // Every participant of `h` with round one done on proposal `p`.
  struct RoundOne {
    Coordinator coord;
    std::vector<Signer> clients;
    Signer lsp;
  };
  RoundOne round_one(FactoryHarness& h, const Proposal& p) {
    RoundOne r{Coordinator::create(p).value(), {}, Signer::lsp(h.lsp_key, *h.guards.back(), *h.stores.back())};
    for (uint32_t c = 0; c < h.setup.clients; ++c) {
      r.clients.push_back(Signer::client(h.client_keys[c], h.expectations(c), *h.guards[c], *h.stores[c]));
      EXPECT_TRUE(r.coord.on_nonces(c, r.clients.back().on_proposal(p).value()));
    }
    EXPECT_TRUE(r.coord.on_nonces(kLsp, r.lsp.on_proposal(p).value()));
    return r;
  }

  // Client `c` of harness `h` receives `terms` (possibly tampered with).
  Error refusal(FactoryHarness& h, uint32_t c, const FactoryTerms& terms, ClientExpectations e) {
    auto signer = Signer::client(h.client_keys[c], e, *h.guards[c], *h.stores[c]);
    auto r = signer.on_proposal({terms, 0});
    EXPECT_FALSE(r) << "client signed tampered terms";
    return r ? Error{} : r.error();
  }
};

TEST_F(CeremonyBadInput, ClientRefusesEachKindOfTampering) {
  FactoryHarness h(chain, wallet, FactorySetup{});
  const auto& good = h.terms;
  auto e = h.expectations(0);
  {
    auto t = good;
    t.params.step += 1;  // other nSequence values
    EXPECT_EQ(refusal(h, 0, t, e).code, "factory.params-mismatch");
  }
  {
    auto t = good;
    t.params.fee_rate_sat_per_kvb *= 3;  // fees
    EXPECT_EQ(refusal(h, 0, t, e).code, "factory.params-mismatch");
  }
  {
    auto t = good;
    t.clients[0].client_balance -= 1'000;  // own channel amount
    EXPECT_EQ(refusal(h, 0, t, e).code, "factory.channel-mismatch");
  }
  {
    auto t = good;
    t.clients[0].lsp_balance -= 1'000;  // own inbound liquidity
    EXPECT_EQ(refusal(h, 0, t, e).code, "factory.channel-mismatch");
  }
  {
    auto t = good;
    t.heights.timeout += 144;  // TO
    EXPECT_EQ(refusal(h, 0, t, e).code, "factory.bad-heights");
  }
  {
    auto t = good;
    t.clients[0].key = h.client_keys[1].pubkey().bytes();  // own key replaced
    EXPECT_EQ(refusal(h, 0, t, e).code, "factory.bad-terms");
  }
  {
    auto strict = e;
    strict.min_lstock_share = h.setup.lstock;  // more than half of the leaf's L-stock
    EXPECT_EQ(refusal(h, 0, good, strict).code, "factory.lstock-too-small");
  }
  {
    auto strict = e;
    strict.handed_over_keys.insert(h.terms.clients[5].key);
    EXPECT_EQ(refusal(h, 0, good, strict).code, "factory.handed-over-key");
  }
  {
    auto strict = e;
    strict.max_birth = good.heights.birth - 1;
    EXPECT_EQ(refusal(h, 0, good, strict).code, "factory.birth-window");
  }
  {
    auto t = good;
    t.clients[3].lsp_balance = 0;
    t.clients[3].client_balance = 1'000;  // someone else's channel below the minimum
    EXPECT_EQ(refusal(h, 0, t, e).code, "factory.bad-amounts");
  }
}

TEST_F(CeremonyBadInput, MalformedNonceNamesItsSender) {
  FactoryHarness h(chain, wallet, FactorySetup{});
  Proposal p{h.terms, 0};
  auto coord = Coordinator::create(p).value();
  auto signer = Signer::client(h.client_keys[3], h.expectations(3), *h.guards[3], *h.stores[3]);
  auto batch = signer.on_proposal(p).value();
  batch.nonces.at(1)[0] = 0x05;  // not a compressed point
  auto r = coord.on_nonces(3, batch);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "factory.bad-nonce");
  EXPECT_EQ(r.error().index, 3);
  batch.nonces.pop_back();
  EXPECT_EQ(coord.on_nonces(3, batch).error().code, "factory.bad-batch");
  EXPECT_EQ(coord.missing_nonces().size(), 9u);  // 8 clients + L, nobody accepted
}

TEST_F(CeremonyBadInput, WrongPartialSignatureNamesTheCulpritAndNothingIsFunded) {
  FactoryHarness h(chain, wallet, FactorySetup{});
  Proposal p{h.terms, 0};
  auto r1 = round_one(h, p);
  auto& coord = r1.coord;
  auto& signers = r1.clients;
  auto& lsp = r1.lsp;
  for (uint32_t c = 0; c < 8; ++c) {
    auto psigs = signers[c].on_aggnonces(coord.aggnonces_for(c).value()).value();
    if (c == 5) psigs.psigs.back()[31] ^= 1;  // a wrong (but well-formed) partial
    ASSERT_TRUE(coord.on_partials(c, psigs));
  }
  ASSERT_TRUE(coord.on_partials(kLsp, lsp.on_aggnonces(coord.aggnonces_for(kLsp).value()).value()));
  auto fin = coord.finalize();
  ASSERT_FALSE(fin);
  EXPECT_EQ(fin.error().code, "factory.bad-partial");
  EXPECT_EQ(fin.error().index, 5);
  EXPECT_EQ(coord.culprits(), std::vector<uint32_t>{5});
  EXPECT_FALSE(coord.signatures_for(0));
  EXPECT_FALSE(coord.all_acked());
  // The funding tx was never broadcast.
  EXPECT_FALSE(chain.find_tx(h.funding_tx.txid()));
}

TEST_F(CeremonyBadInput, VanishedClientIsNamedAndTheCeremonyRestartsWithoutIt) {
  FactoryHarness h(chain, wallet, FactorySetup{});
  Proposal p{h.terms, 0};
  auto coord = Coordinator::create(p).value();
  for (uint32_t c = 0; c < 8; ++c) {
    if (c == 2) continue;  // vanishes before sending nonces
    auto s = Signer::client(h.client_keys[c], h.expectations(c), *h.guards[c], *h.stores[c]);
    ASSERT_TRUE(coord.on_nonces(c, s.on_proposal(p).value()));
  }
  auto lsp = Signer::lsp(h.lsp_key, *h.guards.back(), *h.stores.back());
  ASSERT_TRUE(coord.on_nonces(kLsp, lsp.on_proposal(p).value()));
  EXPECT_EQ(coord.missing_nonces(), std::vector<uint32_t>{2});
  EXPECT_FALSE(coord.aggnonces_for(0));
  EXPECT_FALSE(coord.released_partials());
  // L restarts without client 2 (new attempt, new funding tx for the new value).
  FactorySetup seven;
  seven.clients = 7;
  seven.factory_id = 2;
  FactoryHarness again(chain, wallet, seven);
  again.run_ceremony();
  again.confirm_funding();
  EXPECT_TRUE(chain.find_tx(again.funding_tx.txid()));
}

TEST_F(CeremonyBadInput, AfterPartialsWereReleasedARetryMustUseANewFundingOutpoint) {
  FactoryHarness h(chain, wallet, FactorySetup{});
  Proposal p{h.terms, 0};
  auto r1 = round_one(h, p);
  auto& coord = r1.coord;
  auto& signers = r1.clients;
  for (uint32_t c = 0; c < 7; ++c)  // client 7 vanishes in round two
    ASSERT_TRUE(coord.on_partials(c, signers[c].on_aggnonces(coord.aggnonces_for(c).value()).value()));
  EXPECT_TRUE(coord.released_partials());
  EXPECT_EQ(coord.missing_partials(), (std::vector<uint32_t>{7, kLsp}));
  // A different tree over the same funding outpoint: client 0 refuses.
  auto changed = h.terms;
  changed.clients[7].client_balance += 1'000;
  auto e0 = h.expectations(0);
  auto retry = Signer::client(h.client_keys[0], e0, *h.guards[0], *h.stores[0]);
  Proposal p2{changed, 1};
  auto coord2 = Coordinator::create(p2).value();
  ASSERT_TRUE(coord2.on_nonces(0, retry.on_proposal(p2).value()));
  for (uint32_t c = 1; c < 8; ++c) {
    auto e = h.expectations(c);
    if (c == 7) e.client_balance += 1'000;
    auto s = Signer::client(h.client_keys[c], e, *h.guards[c], *h.stores[c]);
    ASSERT_TRUE(coord2.on_nonces(c, s.on_proposal(p2).value()));
  }
  auto lsp2 = Signer::lsp(h.lsp_key, *h.guards.back(), *h.stores.back());
  ASSERT_TRUE(coord2.on_nonces(kLsp, lsp2.on_proposal(p2).value()));
  auto r = retry.on_aggnonces(coord2.aggnonces_for(0).value());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "factory.double-sign");
}

}  // namespace
}  // namespace ladder::factory
