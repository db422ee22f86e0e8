// The client's reveal conditions (DESIGN §6 (R)): a client reveals its old
// factory key only when its old channel is quiescent and both irrevocably
// committed commitments show zero own balance and no lock but the migration
// leg. One test per condition, each on real channels.
#include <gtest/gtest.h>

#include "channel_fixture.h"
#include "crypto/hash.h"
#include "migrate/legs.h"

namespace ladder::migrate {
namespace {

using namespace channel;
using namespace channel::test;

std::string code(const Status& s) { return s ? std::string("ok") : s.error().code; }

struct Fixture {
  Pair p = open_pair({});
  Link link{p.lsp, p.client};
  crypto::SecretKey factory_key = crypto::SecretKey::generate();  // the client's old factory key
  uint32_t expiry = 100 + 40;

  void quiesce() {
    auto stfu = must(p.client.request_quiescence());
    auto reply = must(p.lsp.on_stfu(stfu));
    ASSERT_TRUE(reply.has_value());
    ASSERT_FALSE(must(p.client.on_stfu(*reply)).has_value());
  }
  void resume() {
    must(p.client.resume());
    must(p.lsp.resume());
  }
  // The migration PTLC of the client's whole balance, locked in.
  MigrationLock lock_leg() {
    auto add = must(p.client.add_ptlc(p.client.latest_spec().to_holder, factory_key.pubkey(), expiry));
    link.to_a(add);
    link.run();
    return {LockKind::ptlc, add.lock.id};
  }
};

TEST(RevealConditions, RefusedWhileNotQuiescent) {
  Fixture f;
  const auto leg = f.lock_leg();
  EXPECT_EQ(code(check_reveal_conditions(f.p.client, leg)), "migrate.not-quiescent");
  f.quiesce();
  EXPECT_EQ(code(check_reveal_conditions(f.p.client, leg)), "ok");
}

TEST(RevealConditions, RefusedWithAnyOwnBalance) {
  Fixture f;
  // 1 sat short of the whole balance in the leg.
  auto add = must(f.p.client.add_ptlc(f.p.client.latest_spec().to_holder - 1, f.factory_key.pubkey(), f.expiry));
  f.link.to_a(add);
  f.link.run();
  f.quiesce();
  EXPECT_EQ(code(check_reveal_conditions(f.p.client, MigrationLock{LockKind::ptlc, add.lock.id})),
            "migrate.own-balance");
}

TEST(RevealConditions, RefusedWithAnIncomingLockBesidesTheLeg) {
  Fixture f;
  const auto leg = f.lock_leg();
  // L routes a new HTLC to the client after the migration PTLC is locked.
  const Bytes32 pre = random32();
  auto add = must(f.p.lsp.add_htlc(5'000, crypto::sha256(pre), f.expiry));
  f.link.to_b(add);
  f.link.run();
  f.quiesce();
  EXPECT_EQ(code(check_reveal_conditions(f.p.client, leg)), "migrate.other-lock");
  // Resolved (failed back by the client): the reveal is allowed again.
  f.resume();
  f.link.to_a(must(f.p.client.fail(add.lock.id, "migrating")));
  f.link.run();
  f.quiesce();
  EXPECT_EQ(code(check_reveal_conditions(f.p.client, leg)), "ok");
}

TEST(RevealConditions, RefusedWithAnotherOutgoingLockOrAWrongLeg) {
  Fixture f;
  const btc::Amount all = f.p.client.latest_spec().to_holder;
  auto htlc = must(f.p.client.add_htlc(10'000, crypto::sha256(random32()), f.expiry));
  auto ptlc = must(f.p.client.add_ptlc(all - 10'000, f.factory_key.pubkey(), f.expiry));
  f.link.to_a(htlc);
  f.link.to_a(ptlc);
  f.link.run();
  f.quiesce();
  EXPECT_EQ(code(check_reveal_conditions(f.p.client, MigrationLock{LockKind::ptlc, ptlc.lock.id})),
            "migrate.other-lock");
  // Naming the HTLC as the leg does not excuse the PTLC either.
  EXPECT_EQ(code(check_reveal_conditions(f.p.client, MigrationLock{LockKind::htlc, htlc.lock.id})),
            "migrate.other-lock");
}

TEST(RevealConditions, HandoverNeedsAnEmptyChannelAndALegNeedsToBeCommitted) {
  Fixture f;
  // Pay everything to L (option 1/2's end state): no leg may remain.
  const Bytes32 pre = random32();
  auto add = must(f.p.client.add_htlc(f.p.client.latest_spec().to_holder, crypto::sha256(pre), f.expiry));
  f.link.to_a(add);
  f.link.run();
  f.quiesce();
  EXPECT_EQ(code(check_reveal_conditions(f.p.client, std::nullopt)), "migrate.other-lock");  // still pending
  f.resume();
  f.link.to_b(must(f.p.lsp.settle(add.lock.id, pre)));
  f.link.run();
  f.quiesce();
  EXPECT_EQ(code(check_reveal_conditions(f.p.client, std::nullopt)), "ok");
  // A leg that is not on the commitments is not a reason to reveal.
  EXPECT_EQ(code(check_reveal_conditions(f.p.client, MigrationLock{LockKind::ptlc, 7})), "migrate.leg-not-committed");
}

TEST(PtlcPresigs, LReliesOnTheMigrationPtlcOnlyWithTheAdaptorSignaturesForBothCommitments) {
  Fixture f;
  auto add = must(f.p.client.add_ptlc(f.p.client.latest_spec().to_holder, f.factory_key.pubkey(), f.expiry));
  must(f.p.lsp.on_update_add(add));
  // Proposed, not committed: nothing held yet.
  EXPECT_EQ(code(check_ptlc_presigs_held(f.p.lsp, add.lock.id)), "migrate.presig-missing");
  f.link.run();
  EXPECT_EQ(code(check_ptlc_presigs_held(f.p.lsp, add.lock.id)), "ok");
  EXPECT_EQ(code(check_ptlc_presigs_held(f.p.lsp, add.lock.id + 1)), "migrate.presig-missing");
  // An HTLC has no adaptor signature to hold.
  auto htlc = must(f.p.lsp.add_htlc(1'000, crypto::sha256(random32()), f.expiry));
  f.link.to_b(htlc);
  f.link.run();
  EXPECT_EQ(code(check_ptlc_presigs_held(f.p.client, htlc.lock.id)), "migrate.presig-missing");
}

}  // namespace
}  // namespace ladder::migrate
