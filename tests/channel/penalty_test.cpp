// Publishing a revoked commitment (R, DESIGN §4): the other side takes every
// output — to_local, to_remote, HTLCs and PTLCs both ways — with one justice
// tx built beforehand from stored data (as a tower would), confirmed before
// any of the cheater's CSV-delayed claims becomes valid.
#include "crypto/hash.h"
#include "onchain_fixture.h"

namespace ladder::channel {
namespace {

using namespace test;
using crypto::SecretKey;

class PenaltyOnChain : public OnChain, public ::testing::WithParamInterface<bool> {};

TEST_P(PenaltyOnChain, RevokedCommitmentLosesEveryOutputBeforeAnyDelayedClaim) {
  const bool client_cheats = GetParam();
  auto p = open();
  Link link(p.lsp, p.client);
  const uint32_t expiry = height() + 30;
  const Bytes32 pa = random32(), pc = random32();
  const SecretKey sp = SecretKey::generate(), sr = SecretKey::generate();
  auto A = must(p.client.add_htlc(21'000, crypto::sha256(pa), expiry));
  auto P = must(p.client.add_ptlc(25'000, sp.pubkey(), expiry));
  auto C = must(p.lsp.add_htlc(23'000, crypto::sha256(pc), expiry));
  auto R = must(p.lsp.add_ptlc(27'000, sr.pubkey(), expiry));
  link.to_a(A);
  link.to_a(P);
  link.to_b(C);
  link.to_b(R);
  link.run();

  Channel& cheater = client_cheats ? p.client : p.lsp;
  Channel& victim = client_cheats ? p.lsp : p.client;
  const Bytes& victim_dest = client_cheats ? dest_lsp : dest_client;
  const auto old = must(cheater.signed_commitment_tx());
  const auto old_kc = must(identify_commitment(cheater, old));
  const uint64_t old_number = cheater.local_commitment().number;
  // Every output kind is on it: to_local, to_remote, 4 locks, the anchor.
  ASSERT_EQ(old.vout.size(), 7u);

  // A newer state revokes it.
  link.to_b(must(p.lsp.settle(A.lock.id, pa)));
  link.run();
  ASSERT_GT(cheater.local_commitment().number, old_number);

  // The victim prepares the justice tx from what it stored, before any cheating.
  auto stored = must(revoked_commitment(victim, old_number, victim.binding()));
  const auto justice = must(justice_tx(victim, stored, to(victim_dest)));

  confirm(old);
  if (HasFatalFailure()) return;
  const auto seen = must(identify_commitment(victim, old));
  EXPECT_TRUE(seen.revoked);
  EXPECT_EQ(must(justice_tx(victim, seen, to(victim_dest))).txid(), justice.txid());

  // The cheater's own claims all wait to_self_delay: none is valid now.
  const auto cheat_to_local = must(claim_to_local(cheater, old_kc, to(dest_client)));
  EXPECT_EQ(verdict(cheat_to_local), "non-BIP68-final");
  const auto cheat_success = client_cheats ? must(claim_htlc_success(cheater, old_kc, C.lock.id, pc, to(dest_client)))
                                           : must(claim_htlc_success(cheater, old_kc, A.lock.id, pa, to(dest_lsp)));
  EXPECT_EQ(verdict(cheat_success), "non-BIP68-final");
  const auto cheat_ptlc = client_cheats ? must(claim_ptlc_success(cheater, old_kc, R.lock.id, sr))
                                        : must(claim_ptlc_success(cheater, old_kc, P.lock.id, sp));
  EXPECT_EQ(verdict(cheat_ptlc), "non-BIP68-final");

  confirm(justice);
  if (HasFatalFailure()) return;
  EXPECT_EQ(justice.vin.size(), old.vout.size() - 1);
  btc::Amount taken = 0;
  for (const auto& in : justice.vin) taken += old.vout.at(in.prevout.n).value;
  EXPECT_EQ(taken, old.total_out() - p.lsp.params().anchor_value);
  EXPECT_EQ(justice.vout[0].value, taken - fee_for_vsize(justice.vsize(), 2000));
  // Later, the cheater's claims have nothing left to spend.
  mine_until_next_is(height() + p.lsp.params().to_self_delay + 1);
  EXPECT_EQ(verdict(cheat_to_local), "bad-txns-inputs-missingorspent");
  EXPECT_EQ(verdict(cheat_ptlc), "bad-txns-inputs-missingorspent");
}

INSTANTIATE_TEST_SUITE_P(EitherCheater, PenaltyOnChain, ::testing::Values(true, false),
                         [](const auto& i) { return i.param ? "ClientCheats" : "LspCheats"; });

}  // namespace
}  // namespace ladder::channel
