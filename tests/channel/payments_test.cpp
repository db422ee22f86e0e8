// Payments through L: two hops A → L → B for HTLCs and PTLCs, atomic, with
// forwarding only after lock-in and expiry deltas enforced; and 1,000 random
// payments between 16 clients of two factories checked against a ledger.
#include <deque>
#include <iostream>
#include <random>

#include "crypto/hash.h"
#include "hub.h"
#include "onchain_fixture.h"

namespace ladder::channel {
namespace {

using namespace test;
using crypto::SecretKey;

struct Secret {
  Bytes32 preimage{};
  std::optional<SecretKey> scalar;
};

// A adds a lock to L asking it to forward `amount` to `to` at `expiry_out`.
UpdateAddLock pay(Channel& a, const Channel& to, LockKind kind, const Secret& s, btc::Amount amount_in,
                  btc::Amount amount_out, uint32_t expiry_in, uint32_t expiry_out) {
  ForwardRequest f{to.id(), amount_out, expiry_out};
  return kind == LockKind::htlc ? must(a.add_htlc(amount_in, crypto::sha256(s.preimage), expiry_in, f))
                                : must(a.add_ptlc(amount_in, s.scalar->pubkey(), expiry_in, f));
}

Secret make_secret() { return {crypto::random_bytes32(), SecretKey::generate()}; }
Bytes32 reveal(const Secret& s, LockKind k) { return k == LockKind::htlc ? s.preimage : s.scalar->reveal(); }

class TwoHop : public ::testing::TestWithParam<LockKind> {};

TEST_P(TwoHop, BothHopsSettleOrBothFail) {
  const LockKind kind = GetParam();
  PairSetup fa, fb;  // two factories: different TO
  fa.deadlines = {5000, 100};
  fb.deadlines = {6000, 120};
  auto a = open_pair(fa), b = open_pair(fb);
  Hub hub({12, 10, 0});
  const size_t ia = hub.add(a), ib = hub.add(b);
  // Settled: A pays 50,010, B receives 50,000, L keeps 10.
  auto s1 = make_secret();
  hub.from_client(ia, pay(a.client, b.lsp, kind, s1, 50'010, 50'000, 1000, 900));
  hub.run();
  auto ev = hub.take_client_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].first, ib);
  EXPECT_EQ(ev[0].second.kind, ChannelEvent::Kind::incoming_locked);
  EXPECT_EQ(ev[0].second.lock.amount, 50'000);
  EXPECT_EQ(hub.forwarder.in_flight(), 1u);
  hub.from_client(ib, must(b.client.settle(ev[0].second.lock.id, reveal(s1, kind))));
  hub.run();
  EXPECT_EQ(hub.forwarder.in_flight(), 0u);
  bool a_settled = false;
  for (const auto& [i, e] : hub.take_client_events())
    a_settled |= i == ia && e.kind == ChannelEvent::Kind::outgoing_settled && e.secret == reveal(s1, kind);
  EXPECT_TRUE(a_settled);
  EXPECT_EQ(a.client.local_commitment().spec.to_holder, 400'000 - 50'010);
  EXPECT_EQ(b.client.local_commitment().spec.to_holder, 400'000 + 50'000);
  EXPECT_EQ(a.lsp.local_commitment().spec.to_holder + b.lsp.local_commitment().spec.to_holder, 1'200'000 + 10);
  EXPECT_TRUE(a.client.local_commitment().spec.locks.empty());
  // Failed at B: both hops fail, nothing moves.
  auto s2 = make_secret();
  hub.from_client(ia, pay(a.client, b.lsp, kind, s2, 30'010, 30'000, 1000, 900));
  hub.run();
  ev = hub.take_client_events();
  ASSERT_EQ(ev.size(), 1u);
  hub.from_client(ib, must(b.client.fail(ev[0].second.lock.id, "unknown payment")));
  hub.run();
  EXPECT_EQ(a.client.local_commitment().spec.to_holder, 400'000 - 50'010);
  EXPECT_TRUE(a.lsp.local_commitment().spec.locks.empty());
  EXPECT_TRUE(b.lsp.local_commitment().spec.locks.empty());
  bool failed = false;
  for (const auto& [i, e] : hub.take_client_events()) failed |= i == ia && e.kind == ChannelEvent::Kind::outgoing_failed;
  EXPECT_TRUE(failed);
}

TEST_P(TwoHop, ForwardsOnlyOnceTheIncomingLockIsLockedIn) {
  const LockKind kind = GetParam();
  auto a = open_pair({}), b = open_pair({});
  Forwarder fwd({});
  fwd.add_channel(a.lsp);
  fwd.add_channel(b.lsp);
  auto feed = [&] {
    std::vector<Outbound> out;
    for (const auto& e : a.lsp.drain_events())
      for (auto& o : must(fwd.on_event(a.lsp.id(), e))) out.push_back(std::move(o));
    return out;
  };
  auto s = make_secret();
  std::deque<std::pair<bool, Message>> q;  // (to L?, message)
  q.emplace_back(true, pay(a.client, b.lsp, kind, s, 10'000, 10'000, 300, 200));
  q.emplace_back(true, must(a.client.sign_commitment()));
  bool l_committed_before_forward = false;
  std::vector<Outbound> out;
  while (out.empty()) {
    if (q.empty()) {
      ASSERT_TRUE(a.lsp.can_sign_commitment());
      q.emplace_back(false, must(a.lsp.sign_commitment()));
    }
    auto [to_l, m] = std::move(q.front());
    q.pop_front();
    for (auto& r : must(deliver(to_l ? a.lsp : a.client, m))) q.emplace_back(!to_l, std::move(r));
    out = feed();
    if (out.empty() && !a.lsp.local_commitment().spec.locks.empty()) l_committed_before_forward = true;
  }
  // L's own commitment held the lock well before it forwarded: it waited for lock-in.
  EXPECT_TRUE(l_committed_before_forward);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].channel, b.lsp.id());
  // At that moment the lock is on both commitments and the client revoked the older ones.
  EXPECT_EQ(a.lsp.local_commitment().spec.locks.size(), 1u);
  EXPECT_EQ(a.lsp.remote_commitment().spec.locks.size(), 1u);
  EXPECT_EQ(a.lsp.remote_pending_commitment(), nullptr);
  if (kind == LockKind::ptlc) {
    // L holds the client's adaptor signatures for the success txs of both commitments.
    auto own = must(identify_commitment(a.lsp, must(a.lsp.signed_commitment_tx())));
    EXPECT_TRUE(own.held.presigs.at(must(find_lock(own, false, 0))).has_value());
    EXPECT_TRUE(a.lsp.remote_commitment().by_binding.begin()->second.presigs.at(0).has_value());
  }
}

TEST_P(TwoHop, ExpiryDeltaAndDeadlinesAreEnforced) {
  const LockKind kind = GetParam();
  PairSetup fb;
  fb.deadlines = {700, 100};  // B's factory: TO − X = 600
  auto a = open_pair({}), b = open_pair(fb);
  Hub hub({12, 0, 0});
  const size_t ia = hub.add(a);
  hub.add(b);
  // Outgoing expiry within the delta of the incoming one.
  hub.from_client(ia, pay(a.client, b.lsp, kind, make_secret(), 10'000, 10'000, 500, 490));
  hub.run();
  auto ev = hub.take_client_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].second.kind, ChannelEvent::Kind::outgoing_failed);
  EXPECT_EQ(ev[0].second.reason, "router.expiry-delta");
  // Outgoing expiry past B's factory deadline: B's channel refuses it, A is failed back.
  hub.from_client(ia, pay(a.client, b.lsp, kind, make_secret(), 10'000, 10'000, 800, 650));
  hub.run();
  ev = hub.take_client_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].second.reason, "channel.expiry-after-deadline");
  EXPECT_EQ(a.client.local_commitment().spec.to_holder, 400'000);
  EXPECT_TRUE(b.client.local_commitment().spec.locks.empty());
}

INSTANTIATE_TEST_SUITE_P(HtlcAndPtlc, TwoHop, ::testing::Values(LockKind::htlc, LockKind::ptlc),
                         [](const auto& i) { return i.param == LockKind::htlc ? "Htlc" : "Ptlc"; });

class ManyPayments : public OnChain {};

TEST_F(ManyPayments, ThousandRandomPaymentsMatchAnIndependentLedger) {
  constexpr size_t kClients = 16;
  constexpr btc::Amount kCapacity = 500'000, kClientStart = 200'000;
  // Genuine MuSig2 P2TR channel outputs, all funded by one tx on the embedded chain.
  std::vector<SecretKey> keys;
  std::vector<btc::TxOut> outs;
  for (size_t i = 0; i < kClients; ++i) {
    keys.push_back(SecretKey::generate());
    outs.push_back({kCapacity, funding_script(lk.pubkey(), keys.back().pubkey())});
  }
  auto funding = wallet.fund(outs);
  wallet.confirm(funding);
  std::vector<Pair> pairs;
  pairs.reserve(kClients);
  Hub hub({12, 5, 1000});  // fee: 5 sat + 0.1%
  for (size_t i = 0; i < kClients; ++i) {
    PairSetup s;
    s.capacity = kCapacity;
    s.client_balance = kClientStart;
    s.binding = Binding{{funding.txid(), static_cast<uint32_t>(i)}, kCapacity};
    s.lsp_key = lk;
    s.client_key = keys[i];
    s.height = height();
    s.deadlines = {height() + (i < 8 ? 3000u : 4000u), 50};  // two factories
    pairs.push_back(open_pair(s));
  }
  for (auto& p : pairs) hub.add(p);

  std::vector<btc::Amount> ledger(kClients, kClientStart);
  btc::Amount lsp_fees = 0;
  std::mt19937_64 rng(20240601);
  int settled = 0, failed = 0, failed_at_lsp = 0;
  for (int n = 0; n < 1000; ++n) {
    const size_t from = rng() % kClients;
    size_t to = rng() % (kClients - 1);
    if (to >= from) ++to;
    const auto kind = rng() % 2 ? LockKind::htlc : LockKind::ptlc;
    const btc::Amount amount = 1'000 + static_cast<btc::Amount>(rng() % 30'000);
    const btc::Amount fee = hub.forwarder.fee_for(amount);
    const bool fail = rng() % 5 == 0;
    if (ledger[from] < amount + fee) continue;
    auto secret = make_secret();
    const uint32_t out_expiry = height() + 100;
    hub.from_client(from, pay(pairs[from].client, pairs[to].lsp, kind, secret, amount + fee, amount,
                              out_expiry + 20, out_expiry));
    hub.run();
    auto ev = hub.take_client_events();
    ASSERT_EQ(ev.size(), 1u) << "payment " << n;
    if (ev[0].first == from) {  // L could not forward (its side of `to` is spent): failed back
      ASSERT_EQ(ev[0].second.kind, ChannelEvent::Kind::outgoing_failed);
      ++failed_at_lsp;
      continue;
    }
    ASSERT_EQ(ev[0].first, to);
    ASSERT_EQ(ev[0].second.kind, ChannelEvent::Kind::incoming_locked);
    const uint64_t id = ev[0].second.lock.id;
    hub.from_client(to, fail ? Message(must(pairs[to].client.fail(id, "random failure")))
                             : Message(must(pairs[to].client.settle(id, reveal(secret, kind)))));
    hub.run();
    hub.take_client_events();
    if (fail) {
      ++failed;
    } else {
      ++settled;
      ledger[from] -= amount + fee;
      ledger[to] += amount;
      lsp_fees += fee;
    }
  }
  EXPECT_GT(settled, 600);
  EXPECT_GT(failed, 100);
  std::cout << settled << " settled, " << failed << " failed by the payee, " << failed_at_lsp
            << " failed at L (no outbound liquidity)\n";
  btc::Amount lsp_total = 0;
  for (size_t i = 0; i < kClients; ++i) {
    const auto& spec = pairs[i].client.local_commitment().spec;
    EXPECT_EQ(spec.to_holder, ledger[i]) << "client " << i;
    EXPECT_TRUE(spec.locks.empty());
    EXPECT_EQ(pairs[i].lsp.local_commitment().spec.to_counterparty, ledger[i]);
    lsp_total += pairs[i].lsp.local_commitment().spec.to_holder;
    // Every channel's latest commitment, either side's, is valid on the chain.
    EXPECT_EQ(verdict(must(pairs[i].client.signed_commitment_tx())), "") << "client " << i;
    EXPECT_EQ(verdict(must(pairs[i].lsp.signed_commitment_tx())), "") << "lsp " << i;
  }
  EXPECT_EQ(lsp_total, static_cast<btc::Amount>(kClients) * (kCapacity - kClientStart) + lsp_fees);
  // And one of them really closes.
  confirm(must(pairs[3].client.signed_commitment_tx()));
}

}  // namespace
}  // namespace ladder::channel
