// Bad input: each gets a clear error and leaves the channel on its last good
// state — shown by delivering the correct message afterwards.
#include <gtest/gtest.h>

#include "channel_fixture.h"
#include "crypto/hash.h"

namespace ladder::channel {
namespace {

using namespace test;

template <class T>
std::string code_of(const Expected<T>& r) {
  return r ? std::string() : r.error().code;
}

struct Snapshot {
  uint64_t local, remote;
  CommitmentSpec latest;
  explicit Snapshot(const Channel& c)
      : local(c.local_commitment().number), remote(c.remote_commitment().number), latest(c.latest_spec()) {}
  bool operator==(const Snapshot&) const = default;
};

TEST(BadInput, WrongPartialSignatureThenTheRightOne) {
  auto p = open_pair({});
  auto add = must(p.client.add_htlc(10'000, random32(), 200));
  must(p.lsp.on_update_add(add));
  auto cs = must(p.client.sign_commitment());
  Snapshot before(p.lsp);
  auto bad = cs;
  bad.sig->psig = crypto::musig::PartialSig(bad.sig->psig.s() + crypto::Scalar::one());
  EXPECT_EQ(code_of(p.lsp.on_commitment_signed(bad)), "channel.bad-signature");
  EXPECT_TRUE(Snapshot(p.lsp) == before);
  auto reply = must(p.lsp.on_commitment_signed(cs));
  EXPECT_TRUE(std::holds_alternative<RevokeAndAck>(reply));
}

TEST(BadInput, RevocationSecretThatDoesNotMatch) {
  auto p = open_pair({});
  must(p.lsp.on_update_add(must(p.client.add_htlc(10'000, random32(), 200))));
  auto raa = std::get<RevokeAndAck>(must(p.lsp.on_commitment_signed(must(p.client.sign_commitment()))));
  Snapshot before(p.client);
  auto bad = raa;
  bad.secret = random32();
  EXPECT_EQ(code_of(p.client.on_revoke_and_ack(bad)), "channel.bad-revocation-secret");
  bad = raa;
  bad.revoked_number = 7;
  EXPECT_EQ(code_of(p.client.on_revoke_and_ack(bad)), "channel.bad-revocation-number");
  EXPECT_TRUE(Snapshot(p.client) == before);
  EXPECT_TRUE(p.client.on_revoke_and_ack(raa));
  EXPECT_EQ(p.client.revoked().size(), 1u);
}

TEST(BadInput, OutOfOrderMessages) {
  auto p = open_pair({});
  auto add = must(p.client.add_htlc(10'000, random32(), 200));
  auto skipped = add;
  skipped.lock.id = 1;
  EXPECT_EQ(code_of(p.lsp.on_update_add(skipped)), "channel.bad-lock-id");
  must(p.lsp.on_update_add(add));
  auto cs = must(p.client.sign_commitment());
  auto wrong_number = cs;
  wrong_number.number = 5;
  EXPECT_EQ(code_of(p.lsp.on_commitment_signed(wrong_number)), "channel.bad-commitment-number");
  EXPECT_EQ(code_of(p.client.sign_commitment()), "channel.awaiting-revocation");
  RevokeAndAck early{p.lsp.id(), 0, random32(), p.lsp.secrets().basepoints().payment, cs.sig->nonce};
  EXPECT_EQ(code_of(p.lsp.on_revoke_and_ack(early)), "channel.unexpected-revoke");
  EXPECT_EQ(code_of(p.lsp.settle(0, random32())), "channel.lock-not-committed");
  auto raa = std::get<RevokeAndAck>(must(p.lsp.on_commitment_signed(cs)));
  EXPECT_EQ(code_of(p.lsp.on_commitment_signed(cs)), "channel.bad-commitment-number");
  must(p.client.on_revoke_and_ack(raa));
  EXPECT_EQ(code_of(p.client.sign_commitment()), "channel.nothing-to-sign");
  auto lsp_cs = must(p.lsp.sign_commitment());
  must(p.client.on_commitment_signed(lsp_cs));
  // The same commitment again carries no change.
  lsp_cs.number += 1;
  EXPECT_EQ(code_of(p.client.on_commitment_signed(lsp_cs)), "channel.commitment-without-changes");
}

TEST(BadInput, ExpiryTooCloseOrPastTheFactoryDeadline) {
  PairSetup s;
  s.deadlines = {1000, 100};  // TO = 1000, X = 100
  s.height = 300;
  auto p = open_pair(s);
  EXPECT_EQ(code_of(p.client.add_htlc(10'000, random32(), 399)), "channel.expiry-too-soon");
  EXPECT_EQ(code_of(p.client.add_htlc(10'000, random32(), 901)), "channel.expiry-after-deadline");
  EXPECT_EQ(code_of(p.lsp.add_ptlc(10'000, crypto::SecretKey::generate().pubkey(), 901)),
            "channel.expiry-after-deadline");
  EXPECT_TRUE(p.client.add_htlc(10'000, random32(), 400));
  EXPECT_TRUE(p.client.add_htlc(10'000, random32(), 900));
  // The receiver checks too, at its own height.
  UpdateAddLock forged{p.client.id(), {LockKind::htlc, 0, 10'000, 350, random32(), std::nullopt}, std::nullopt};
  EXPECT_EQ(code_of(p.lsp.on_update_add(forged)), "channel.expiry-too-soon");
  p.lsp.set_height(820);
  forged.lock.expiry = 900;
  EXPECT_EQ(code_of(p.lsp.on_update_add(forged)), "channel.expiry-too-soon");
}

TEST(BadInput, AmountsOverBalanceInFlightDustOrReserve) {
  PairSetup s;
  s.params.funder_reserve = 100'000;
  auto p = open_pair(s);
  Snapshot before(p.client);
  EXPECT_EQ(code_of(p.client.add_htlc(400'001, random32(), 200)), "channel.insufficient-balance");
  EXPECT_EQ(code_of(p.client.add_htlc(0, random32(), 200)), "channel.amount-too-small");
  EXPECT_TRUE(Snapshot(p.client) == before);
  // L keeps its reserve (plus the fee and anchor); the client keeps none.
  EXPECT_EQ(code_of(p.lsp.add_htlc(500'000, random32(), 200)), "channel.insufficient-balance");
  EXPECT_TRUE(p.client.add_htlc(399'000, random32(), 200));
  // Trimmed locks are capped by the dust exposure (5,000 in test_params).
  auto q = open_pair({});
  const btc::Amount small = lock_trim_threshold(q.client.params()) - 1;
  btc::Amount dust = 0;
  while (dust + small <= 5'000) {
    ASSERT_TRUE(q.client.add_htlc(small, random32(), 200));
    dust += small;
  }
  EXPECT_EQ(code_of(q.client.add_htlc(small, random32(), 200)), "channel.dust-exposure");
  // max_in_flight: 900,000 per direction.
  PairSetup rich;
  rich.client_balance = 950'000;
  auto r = open_pair(rich);
  EXPECT_TRUE(r.client.add_htlc(899'000, random32(), 200));
  EXPECT_EQ(code_of(r.client.add_htlc(2'000, random32(), 200)), "channel.max-in-flight");
}

TEST(BadInput, WrongPreimageScalarOrAdaptorSignature) {
  auto p = open_pair({});
  Link link(p.lsp, p.client);
  const Bytes32 pre = random32();
  auto htlc = must(p.client.add_htlc(10'000, crypto::sha256(pre), 200));
  link.to_a(htlc);
  link.run();
  auto point = crypto::SecretKey::generate();
  auto ptlc = must(p.lsp.add_ptlc(20'000, point.pubkey(), 200));
  // The LSP signs the client's commitment with its PTLC: tamper with the presig.
  must(p.client.on_update_add(ptlc));
  auto cs = must(p.lsp.sign_commitment());
  ASSERT_EQ(cs.presigs.size(), 1u);
  auto bad = cs;
  bad.presigs[0] = crypto::adaptor::PreSignature(bad.presigs[0].nonce(), bad.presigs[0].s() + crypto::Scalar::one());
  Snapshot before(p.client);
  EXPECT_EQ(code_of(p.client.on_commitment_signed(bad)), "channel.bad-adaptor-signature");
  EXPECT_TRUE(Snapshot(p.client) == before);
  link.to_b(cs);
  link.run();
  EXPECT_EQ(code_of(p.lsp.settle(htlc.lock.id, random32())), "channel.bad-preimage");
  EXPECT_EQ(code_of(p.client.settle(ptlc.lock.id, crypto::SecretKey::generate().reveal())), "channel.bad-scalar");
  UpdateSettleLock forged{p.lsp.id(), htlc.lock.id, random32()};
  EXPECT_EQ(code_of(p.client.on_update_settle(forged)), "channel.bad-preimage");
  link.to_b(must(p.lsp.settle(htlc.lock.id, pre)));
  link.to_a(must(p.client.settle(ptlc.lock.id, point.reveal())));
  link.run();
  EXPECT_EQ(p.client.local_commitment().spec.locks.size(), 0u);
  EXPECT_EQ(p.client.local_commitment().spec.to_holder, 400'000 - 10'000 + 20'000);
}

}  // namespace
}  // namespace ladder::channel
