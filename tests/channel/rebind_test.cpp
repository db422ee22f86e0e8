// Re-binding (DESIGN §3.3): while quiescent, both sides re-sign the current
// commitment and every PTLC adaptor signature for a new channel outpoint,
// with the same commitment numbers; the factory layer sees when this side
// holds the re-bound signatures, and a withheld re-binding leaves the old
// binding in force.
#include "crypto/hash.h"
#include "onchain_fixture.h"

namespace ladder::channel {
namespace {

using namespace test;
using crypto::SecretKey;

class Rebind : public OnChain {
 protected:
  // Quiescence: both send stfu (the LSP asks, the client answers).
  void quiesce(Pair& p) {
    auto stfu = must(p.lsp.request_quiescence());
    auto answer = must(p.client.on_stfu(stfu));
    ASSERT_TRUE(answer.has_value());
    ASSERT_FALSE(must(p.lsp.on_stfu(*answer)).has_value());
    ASSERT_TRUE(p.lsp.is_quiescent());
    ASSERT_TRUE(p.client.is_quiescent());
  }
};

TEST_F(Rebind, BothSidesResignForTheNewOutpointAndCloseThere) {
  auto p = open();
  Link link(p.lsp, p.client);
  const uint32_t expiry = height() + 30;
  const SecretKey to_client = SecretKey::generate(), to_lsp = SecretKey::generate();
  auto R = must(p.lsp.add_ptlc(27'000, to_client.pubkey(), expiry));
  auto P = must(p.client.add_ptlc(25'000, to_lsp.pubkey(), expiry));
  link.to_b(R);
  link.to_a(P);
  link.run();
  const Binding old = p.lsp.binding();
  const uint64_t lsp_number = p.lsp.local_commitment().number;
  const Binding next = fund_output(1'000'000);
  quiesce(p);
  if (HasFatalFailure()) return;
  auto refused = p.lsp.add_htlc(1000, random32(), expiry);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "channel.quiescing");

  auto propose = must(p.lsp.propose_rebind(next));
  EXPECT_EQ(p.lsp.rebind_status(), RebindStatus::in_progress);
  auto signed_msg = must(p.client.on_rebind_propose(propose));
  EXPECT_EQ(p.client.rebind_status(), RebindStatus::in_progress);
  auto complete = must(p.lsp.on_rebind_signed(signed_msg));
  EXPECT_EQ(p.lsp.rebind_status(), RebindStatus::complete);
  must(p.client.on_rebind_complete(complete));
  EXPECT_EQ(p.client.rebind_status(), RebindStatus::complete);
  // Same commitment numbers on the new outpoint, old binding still in force until activation.
  EXPECT_EQ(p.lsp.binding(), old);
  must(p.lsp.activate_rebind());
  must(p.client.activate_rebind());
  EXPECT_EQ(p.lsp.binding(), next);
  EXPECT_EQ(p.lsp.local_commitment().number, lsp_number);
  must(p.lsp.resume());
  must(p.client.resume());

  // Both bindings' commitments are valid on chain (the old leaf state could still confirm).
  const auto on_old = must(p.client.signed_commitment_tx(old.outpoint));
  const auto on_new = must(p.client.signed_commitment_tx(next.outpoint));
  EXPECT_EQ(verdict(on_old), "");
  EXPECT_EQ(verdict(on_new), "");
  EXPECT_EQ(on_old.vin[0].prevout, old.outpoint);

  // Updates continue on the new binding.
  const Bytes32 pre = random32();
  auto add = must(p.client.add_htlc(10'000, crypto::sha256(pre), expiry));
  link.to_a(add);
  link.run();
  link.to_b(must(p.lsp.settle(add.lock.id, pre)));
  link.run();
  EXPECT_EQ(must(p.lsp.signed_commitment_tx()).vin[0].prevout, next.outpoint);

  // Close on the new outpoint; both re-bound PTLC presigs work.
  const auto commit = must(p.client.signed_commitment_tx());
  confirm(commit);
  const auto kc_client = must(identify_commitment(p.client, commit));
  const auto kc_lsp = must(identify_commitment(p.lsp, commit));
  const auto success_p = must(claim_ptlc_success(p.lsp, kc_lsp, P.lock.id, to_lsp));
  confirm(success_p);
  EXPECT_EQ(must(extract_ptlc_scalar(kc_client, success_p)).reveal(), to_lsp.reveal());
  mine_until_next_is(height() + p.lsp.params().to_self_delay);
  confirm(must(claim_ptlc_success(p.client, kc_client, R.lock.id, to_client)));
}

TEST_F(Rebind, WithheldRebindingLeavesTheOldBindingInForce) {
  auto p = open();
  Link link(p.lsp, p.client);
  const Binding old = p.lsp.binding();
  const Binding next = fund_output(1'000'000);
  quiesce(p);
  if (HasFatalFailure()) return;
  auto propose = must(p.lsp.propose_rebind(next));
  auto signed_msg = must(p.client.on_rebind_propose(propose));
  must(p.lsp.on_rebind_signed(signed_msg));  // RebindComplete is withheld from the client
  EXPECT_EQ(p.client.rebind_status(), RebindStatus::in_progress);
  auto r = p.client.activate_rebind();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "channel.rebind-incomplete");
  EXPECT_EQ(p.client.binding(), old);
  EXPECT_FALSE(p.client.signed_commitment_tx(next.outpoint));
  EXPECT_EQ(verdict(must(p.client.signed_commitment_tx())), "");
  // Not even resuming is possible before the re-binding is dropped.
  EXPECT_EQ(p.client.resume().error().code, "channel.rebinding");
  // The factory layer abandons it: both keep the old binding and go on.
  auto ready_c = must(p.client.abandon_rebind());
  auto ready_l = must(p.lsp.abandon_rebind());
  must(p.lsp.on_channel_ready(ready_c));
  must(p.client.on_channel_ready(ready_l));
  must(p.lsp.resume());
  must(p.client.resume());
  const Bytes32 pre = random32();
  link.to_a(must(p.client.add_htlc(10'000, crypto::sha256(pre), height() + 30)));
  link.run();
  link.to_b(must(p.lsp.settle(0, pre)));
  link.run();
  EXPECT_EQ(p.client.binding(), old);
  EXPECT_EQ(verdict(must(p.lsp.signed_commitment_tx())), "");
}

TEST_F(Rebind, RefusedUnlessQuiescent) {
  auto p = open();
  Link link(p.lsp, p.client);
  auto r = p.lsp.propose_rebind(fund_output(1'000'000));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "channel.not-quiescent");
  // A pending update keeps the channel from quiescence until it is committed.
  link.to_a(must(p.client.add_htlc(10'000, random32(), height() + 30)));
  auto stfu = must(p.lsp.request_quiescence());
  link.to_b(stfu);
  link.run();
  EXPECT_TRUE(p.lsp.is_quiescent());
  EXPECT_EQ(p.lsp.local_commitment().spec.locks.size(), 1u);
}

}  // namespace
}  // namespace ladder::channel
