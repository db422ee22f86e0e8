// Unilateral close on the embedded chain: every output of the latest
// commitment — to_local, to_remote, HTLCs and PTLCs in both directions —
// resolved by its success or timeout path at the height DESIGN §4's table
// allows and not before, PTLC scalars extracted from the completed adaptor
// signatures, and each side's on-chain total equal to its channel balance
// minus fees, to the satoshi.
#include "crypto/hash.h"
#include "onchain_fixture.h"

namespace ladder::channel {
namespace {

using namespace test;
using crypto::SecretKey;

class CloseOnChain : public OnChain, public ::testing::WithParamInterface<bool> {};

TEST_P(CloseOnChain, EveryOutputResolvesAndBalancesMatchToTheSatoshi) {
  const bool client_closes = GetParam();
  auto p = open();
  const ChannelParams prm = p.lsp.params();
  Link link(p.lsp, p.client);
  const uint32_t expiry = height() + 30;
  const Bytes32 pa = random32(), pb = random32(), pc = random32(), pd = random32();
  const SecretKey sp = SecretKey::generate(), sr = SecretKey::generate();
  // Offered by the client: A (LSP settles on chain), B (times out), P (PTLC, LSP settles), Q (times out).
  auto A = must(p.client.add_htlc(21'000, crypto::sha256(pa), expiry));
  auto B = must(p.client.add_htlc(22'000, crypto::sha256(pb), expiry));
  auto P = must(p.client.add_ptlc(25'000, sp.pubkey(), expiry));
  auto Q = must(p.client.add_ptlc(26'000, SecretKey::generate().pubkey(), expiry));
  // Offered by the LSP: C, D (HTLCs), R, S (PTLCs).
  auto C = must(p.lsp.add_htlc(23'000, crypto::sha256(pc), expiry));
  auto D = must(p.lsp.add_htlc(24'000, crypto::sha256(pd), expiry));
  auto R = must(p.lsp.add_ptlc(27'000, sr.pubkey(), expiry));
  auto S = must(p.lsp.add_ptlc(28'000, SecretKey::generate().pubkey(), expiry));
  for (const auto& m : {A, B, P, Q}) link.to_a(m);
  for (const auto& m : {C, D, R, S}) link.to_b(m);
  link.run();

  Channel& holder = client_closes ? p.client : p.lsp;
  Channel& other = client_closes ? p.lsp : p.client;
  const auto commit = must(holder.signed_commitment_tx());
  EXPECT_EQ(1'000'000 - commit.total_out(), commitment_fee(prm, 8));
  confirm(commit);
  if (HasFatalFailure()) return;
  const uint32_t h0 = height();
  const auto kh = must(identify_commitment(holder, commit));
  const auto ko = must(identify_commitment(other, commit));
  ASSERT_TRUE(kh.ours);
  ASSERT_FALSE(ko.ours);
  const auto& kc_client = client_closes ? kh : ko;
  const auto& kc_lsp = client_closes ? ko : kh;

  btc::Amount got_client = 0, got_lsp = 0, fees_client = 0, fees_lsp = 0;
  auto out_value = [&](const btc::Transaction& claim) {
    const auto& op = claim.vin[0].prevout;
    return commit.vout.at(op.n).value;
  };
  auto take = [&](const btc::Transaction& claim, bool by_client) {
    confirm(claim);
    const btc::Amount fee = claim_fee(claim, out_value(claim));
    (by_client ? got_client : got_lsp) += claim.vout[0].value;
    (by_client ? fees_client : fees_lsp) += fee;
  };
  auto take_ptlc = [&](const btc::Transaction& success, bool by_client) {
    confirm(success);
    EXPECT_LE(success.vsize(), kPtlcSuccessVsize);
    (by_client ? got_client : got_lsp) += success.vout[0].value;
  };
  const bool holder_is_client = client_closes;

  // Immediately: the non-holder's to_remote (1 CSV) and its success claims.
  take(must(claim_to_remote(other, ko, to(holder_is_client ? dest_lsp : dest_client))), !holder_is_client);
  const auto holder_to_local = must(claim_to_local(holder, kh, to(holder_is_client ? dest_client : dest_lsp)));
  EXPECT_EQ(verdict(holder_to_local), "non-BIP68-final");
  // Successes: A and P go to the LSP, C and R to the client.
  auto success_a = must(claim_htlc_success(p.lsp, kc_lsp, A.lock.id, pa, to(dest_lsp)));
  auto success_c = must(claim_htlc_success(p.client, kc_client, C.lock.id, pc, to(dest_client)));
  auto success_p = must(claim_ptlc_success(p.lsp, kc_lsp, P.lock.id, sp));
  auto success_r = must(claim_ptlc_success(p.client, kc_client, R.lock.id, sr));
  // The holder's success claims wait to_self_delay; the other side's do not.
  const auto holder_successes = holder_is_client ? std::vector<btc::Transaction>{success_c, success_r}
                                            : std::vector<btc::Transaction>{success_a, success_p};
  for (const auto& tx : holder_successes) EXPECT_EQ(verdict(tx), "non-BIP68-final");
  if (holder_is_client) {
    take(success_a, false);
    take_ptlc(success_p, false);
  } else {
    take(success_c, true);
    take_ptlc(success_r, true);
  }
  // Timeouts are refused before the expiry.
  auto timeout_b = must(claim_lock_timeout(p.client, kc_client, B.lock.id, to(dest_client)));
  auto timeout_q = must(claim_lock_timeout(p.client, kc_client, Q.lock.id, to(dest_client)));
  auto timeout_d = must(claim_lock_timeout(p.lsp, kc_lsp, D.lock.id, to(dest_lsp)));
  auto timeout_s = must(claim_lock_timeout(p.lsp, kc_lsp, S.lock.id, to(dest_lsp)));
  for (const auto& tx : {timeout_b, timeout_q, timeout_d, timeout_s}) EXPECT_EQ(verdict(tx), "non-final");

  // After to_self_delay: the holder's own claims.
  mine_until_next_is(h0 + prm.to_self_delay - 1);
  EXPECT_EQ(verdict(holder_to_local), "non-BIP68-final");
  wallet.mine_empty(1);
  take(holder_to_local, holder_is_client);
  if (holder_is_client) {
    take(success_c, true);
    take_ptlc(success_r, true);
  } else {
    take(success_a, false);
    take_ptlc(success_p, false);
  }
  // The offerer of each PTLC learns the scalar from the completed signature.
  EXPECT_EQ(must(extract_ptlc_scalar(kc_client, success_p)).reveal(), sp.reveal());
  EXPECT_EQ(must(extract_ptlc_scalar(kc_lsp, success_r)).reveal(), sr.reveal());

  // After the expiry: the timeouts.
  mine_until_next_is(expiry);
  EXPECT_EQ(verdict(timeout_b), "non-final");
  wallet.mine_empty(1);
  take(timeout_b, true);
  take(timeout_q, true);
  take(timeout_d, false);
  take(timeout_s, false);

  // Channel state minus fees, to the satoshi.
  const btc::Amount ptlc_cost = prm.anchor_value + fee_for_vsize(kPtlcSuccessVsize, prm.fee_rate_sat_per_kvb);
  const btc::Amount client_balance = 400'000 - (21'000 + 22'000 + 25'000 + 26'000);
  const btc::Amount lsp_balance = 600'000 - (23'000 + 24'000 + 27'000 + 28'000);
  EXPECT_EQ(got_client, client_balance + 22'000 + 26'000 + 23'000 + (27'000 - ptlc_cost) - fees_client);
  EXPECT_EQ(got_lsp, lsp_balance - commitment_fee(prm, 8) - prm.anchor_value + 21'000 + (25'000 - ptlc_cost) +
                         24'000 + 28'000 - fees_lsp);
}

INSTANTIATE_TEST_SUITE_P(EitherHolder, CloseOnChain, ::testing::Values(true, false),
                         [](const auto& i) { return i.param ? "ClientCloses" : "LspCloses"; });

}  // namespace
}  // namespace ladder::channel
