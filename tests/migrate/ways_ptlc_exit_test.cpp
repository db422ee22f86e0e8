// Option 3, the PTLC assisted exit, on the embedded chain: the happy path
// with its on-chain footprint, a re-signed claim, and the checks each side
// makes of the other's signatures before anything is funded or revealed.
#include <gtest/gtest.h>

#include <iostream>

#include "ways_option3.h"

namespace ladder::migrate::test {
namespace {

template <class T>
std::string code(const Expected<T>& e) { return e ? std::string("ok") : e.error().code; }

TEST(PtlcExit, HappyPathRevealsTheKeyByTheClaimAndSettlesBothLegs) {
  Option3 s;
  s.lock_leg();
  ASSERT_TRUE(s.host.lsp_saw(FlowEventKind::leg_locked));
  EXPECT_TRUE(s.lsp->freezes_leaf());
  EXPECT_FALSE(s.lsp->may_fund());
  s.run_session();
  ASSERT_TRUE(s.lsp->may_fund());
  EXPECT_TRUE(s.batch->any_claim_completed());
  EXPECT_EQ(s.host.client_errors.size() + s.host.lsp_errors.size(), 0u);
  s.fund();
  EXPECT_FALSE(s.client->claim_tx());  // O is not confirmed yet
  s.host.mine(1);                      // O at the client's depth: it claims
  ASSERT_TRUE(s.client->claim_tx());
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::revealed));
  // L learned the key from the mempool and settled the old PTLC with it.
  EXPECT_TRUE(s.host.lsp_saw(FlowEventKind::key_learned));
  EXPECT_TRUE(s.lsp->removed());
  EXPECT_FALSE(s.lsp->freezes_leaf());
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::settled));
  s.host.mine(static_cast<int>(s.w.old_legs().cutoff));
  EXPECT_EQ(s.client->stage(), PtlcExitClient::Stage::done);
  s.expect_migrated();
  // Restart-safe extraction from the stored claim versions.
  auto again = PtlcExitLsp::extract_key(s.lsp_store, s.id, *s.client->claim_tx(), s.w.client_key().pubkey());
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->reveal(), s.w.client_key().reveal());
  // On-chain bytes per migrated client: its output in the batch and its claim.
  const int64_t o_bytes = static_cast<int64_t>(8 + 1 + s.batch_tx->vout[0].script_pubkey.size());
  std::cout << "option 3 on-chain vbytes per client: " << o_bytes + s.client->claim_tx()->vsize() << " (O "
            << o_bytes << " + claim " << s.client->claim_tx()->vsize() << ")\n";
  EXPECT_EQ(s.client->claim_tx()->vsize(), 111);
}

TEST(PtlcExit, AResignedClaimAtAHigherFeeRateIsTheOneClaimedAndStillReveals) {
  Option3 s;
  s.lock_leg();
  s.run_session();
  FlowOutput ask;
  ask.to_peer.push_back(s.client->ask_resign(10'000).value());
  s.host.send(true, std::move(ask));
  s.host.run();
  EXPECT_EQ(s.lsp->versions(), 2u);
  s.fund();
  s.host.mine(1);
  ASSERT_TRUE(s.client->claim_tx());
  const btc::Amount fee = s.terms().out_amount - s.client->claim_tx()->vout[0].value;
  EXPECT_EQ(fee, (s.client->claim_tx()->vsize() * 10'000 + 999) / 1000);
  s.host.mine(static_cast<int>(s.w.old_legs().cutoff));
  s.expect_migrated();
}

TEST(PtlcExit, LDetectsABogusPartialBeforeFundingAnything) {
  Option3 s;
  s.lock_leg();
  s.batch.emplace(s.w.frozen_batch(1, {*s.lsp->batch_output()}));
  // The client answers with a tampered partial signature.
  s.host.client.message = [&s](const Message& m) -> Expected<FlowOutput> {
    if (auto* t = std::get_if<MigrateTerms>(&m)) return s.client->on_terms(*t, s.w.tip());
    LADDER_ASSIGN(auto out, s.client->on_claim_offer(std::get<ClaimOffer>(m)));
    auto& p = std::get<ClaimPartial>(out.to_peer.at(0));
    Bytes32 b = p.client_psig.bytes();
    b[31] ^= 1;
    p.client_psig = crypto::musig::PartialSig::parse(b).value();
    return out;
  };
  s.host.send(false, must(s.lsp->start_claim(*s.batch)));
  s.host.run();
  ASSERT_EQ(s.host.lsp_errors.size(), 1u);
  EXPECT_EQ(s.host.lsp_errors[0].code, "migrate.bad-partial");
  // L released nothing and may not fund; the batch may still be rebuilt.
  EXPECT_FALSE(s.lsp->may_fund());
  EXPECT_FALSE(s.batch->any_claim_completed());
  EXPECT_EQ(s.host.pending_to_client(), 0u);
  // L gives up cleanly: the PTLC goes back to the client, nothing revealed.
  s.host.send(false, must(s.lsp->abandon()));
  s.host.run();
  EXPECT_TRUE(s.host.client_saw(FlowEventKind::failed));
  EXPECT_FALSE(s.client->claim_tx());
  s.expect_untouched();
}

}  // namespace
}  // namespace ladder::migrate::test
