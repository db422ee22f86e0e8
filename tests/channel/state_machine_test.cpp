// The channel state machine: open, HTLC/PTLC add/settle/fail in both
// directions, concurrent updates, and the enforceability of every
// commitment each side holds.
#include <gtest/gtest.h>

#include "channel_fixture.h"
#include "crypto/hash.h"

namespace ladder::channel {
namespace {

using namespace test;

btc::Amount total_locks(const CommitmentSpec& s) {
  btc::Amount t = 0;
  for (const auto& l : s.locks) t += l.lock.amount;
  return t;
}

void expect_consistent(const Pair& p) {
  const auto& ls = p.lsp.local_commitment().spec;
  const auto& cs = p.client.local_commitment().spec;
  EXPECT_EQ(ls.to_holder, cs.to_counterparty);
  EXPECT_EQ(ls.to_counterparty, cs.to_holder);
  EXPECT_EQ(ls.locks.size(), cs.locks.size());
  EXPECT_EQ(ls.to_holder + ls.to_counterparty + total_locks(ls), p.lsp.binding().value);
  // Each side's latest commitment verifies against the channel output.
  btc::TxOut funding{p.lsp.binding().value, p.lsp.funding_key().script_pubkey};
  EXPECT_TRUE(verify_spend(must(p.lsp.signed_commitment_tx()), {funding}));
  EXPECT_TRUE(verify_spend(must(p.client.signed_commitment_tx()), {funding}));
}

TEST(ChannelOpen, BothSidesHoldCommitmentZeroSignedByMusig2) {
  auto p = open_pair({});
  EXPECT_TRUE(p.lsp.is_open());
  EXPECT_TRUE(p.client.is_open());
  EXPECT_EQ(p.lsp.id(), p.client.id());
  EXPECT_EQ(p.client.local_commitment().spec.to_holder, 400'000);
  EXPECT_EQ(p.lsp.local_commitment().spec.to_holder, 600'000);
  expect_consistent(p);
  // The LSP funds: its to_local pays the fee and the anchor.
  auto tx = must(p.lsp.signed_commitment_tx());
  EXPECT_EQ(tx.version, 3u);
  btc::Amount client_out = 0;
  for (const auto& o : tx.vout)
    if (o.value == 400'000) client_out = o.value;
  EXPECT_EQ(client_out, 400'000);
}

TEST(ChannelOpen, ClientRefusesUnexpectedTerms) {
  auto lk = crypto::SecretKey::generate(), ck = crypto::SecretKey::generate();
  Binding b{{btc::Txid{random32()}, 0}, 500'000};
  ChannelConfig lc{Role::lsp, lk, ck.pubkey(), random32(), test_params(), {std::nullopt, 20}, b, 300'000, 0};
  auto [lsp, open] = must(Channel::open(lc));
  ChannelConfig cc{Role::client, ck, lk.pubkey(), random32(), test_params(), {std::nullopt, 20}, b, 250'000, 0};
  auto r = Channel::accept(cc, open);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "channel.bad-balance");
  cc.own_balance = 200'000;
  cc.params.to_self_delay = 99;
  r = Channel::accept(cc, open);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "channel.params-mismatch");
}

TEST(ChannelUpdates, HtlcAddAndSettleMovesTheBalance) {
  auto p = open_pair({});
  Link link(p.lsp, p.client);
  const Bytes32 preimage = random32();
  auto add = must(p.client.add_htlc(50'000, crypto::sha256(preimage), 200));
  link.to_a(add);
  link.run();
  expect_consistent(p);
  EXPECT_EQ(p.lsp.local_commitment().spec.locks.size(), 1u);
  auto events = p.lsp.drain_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, ChannelEvent::Kind::incoming_locked);
  link.to_b(must(p.lsp.settle(add.lock.id, preimage)));
  link.run();
  expect_consistent(p);
  EXPECT_EQ(p.client.local_commitment().spec.to_holder, 350'000);
  EXPECT_EQ(p.lsp.local_commitment().spec.to_holder, 650'000);
  auto ce = p.client.drain_events();
  ASSERT_FALSE(ce.empty());
  EXPECT_EQ(ce[0].kind, ChannelEvent::Kind::outgoing_settled);
  EXPECT_EQ(*ce[0].secret, preimage);
}

TEST(ChannelUpdates, PtlcAddSettleAndFailBothDirections) {
  auto p = open_pair({});
  Link link(p.lsp, p.client);
  auto secret = crypto::SecretKey::generate();
  auto add = must(p.lsp.add_ptlc(70'000, secret.pubkey(), 200));
  link.to_b(add);
  link.run();
  expect_consistent(p);
  // The client (receiver) holds the LSP's adaptor signatures for both commitments.
  auto in_client = must(identify_commitment(p.client, must(p.client.signed_commitment_tx())));
  auto idx = must(find_lock(in_client, false, add.lock.id));
  EXPECT_TRUE(in_client.held.presigs.at(idx).has_value());
  const auto& remote = p.client.remote_commitment();
  ASSERT_EQ(remote.spec.locks.size(), 1u);
  EXPECT_TRUE(remote.by_binding.begin()->second.presigs.at(0).has_value());
  link.to_a(must(p.client.settle(add.lock.id, secret.reveal())));
  link.run();
  EXPECT_EQ(p.client.local_commitment().spec.to_holder, 470'000);
  // And a PTLC the client offers, failed by the LSP.
  auto add2 = must(p.client.add_ptlc(20'000, crypto::SecretKey::generate().pubkey(), 150));
  link.to_a(add2);
  link.run();
  link.to_b(must(p.lsp.fail(add2.lock.id, "no route")));
  link.run();
  expect_consistent(p);
  EXPECT_EQ(p.client.local_commitment().spec.to_holder, 470'000);
  bool failed = false;
  for (const auto& e : p.client.drain_events()) failed |= e.kind == ChannelEvent::Kind::outgoing_failed;
  EXPECT_TRUE(failed);
}

TEST(ChannelUpdates, ConcurrentUpdatesFromBothSidesConverge) {
  auto p = open_pair({});
  Link link(p.lsp, p.client);
  std::vector<Bytes32> pre;
  for (int i = 0; i < 4; ++i) {
    pre.push_back(random32());
    link.to_a(must(p.client.add_htlc(10'000 + i, crypto::sha256(pre.back()), 150)));
    pre.push_back(random32());
    link.to_b(must(p.lsp.add_htlc(20'000 + i, crypto::sha256(pre.back()), 150)));
    if (p.lsp.can_sign_commitment()) link.to_b(must(p.lsp.sign_commitment()));
    if (p.client.can_sign_commitment()) link.to_a(must(p.client.sign_commitment()));
  }
  link.run();
  expect_consistent(p);
  EXPECT_EQ(p.lsp.local_commitment().spec.locks.size(), 8u);
}

}  // namespace
}  // namespace ladder::channel
