// Benchmark suite "payments": payments per second through L in one process —
// A → L → B, both hops, every side signing and verifying its own part — and
// the ratio to the floor of the raw libsecp256k1 operations those
// signatures and verifications need, measured in the same run.
//
// The floor counts signatures and verifications only. One payment = the add
// round and the settle round on both channels: four commitments signed per
// channel, each a MuSig2 2-of-2 —
//   signer: a fresh nonce (2 generator multiplications), the session (b·R2),
//           its partial signature with BIP-327's self-check (the partial
//           leaves the process, and only the holder verifies it);
//   holder: the session, verification of the signer's partial, its own
//           partial without self-check (it verifies the aggregate anyway),
//           aggregation, BIP-340 verification of the aggregate and a fresh
//           verification nonce —
// and four revocations checked (secret·G). A PTLC payment adds, per channel,
// the offerer's adaptor pre-signatures on both commitments, the receiver's
// pre-verification of each, and the peer's scalar check at settlement.
// Everything else is overhead and lands in the ratio: per-commitment points
// and keys (revocation, delayed and lock keys), taproot tweaks of the
// commitment outputs, sighashes, hashing and bookkeeping.
#include <benchmark/benchmark.h>
#include <secp256k1_schnorrsig.h>

#include <deque>
#include <functional>
#include <memory>

#include "bench/runner.h"
#include "channel/dispatch.h"
#include "channel/forwarder.h"
#include "crypto/hash.h"
#include "crypto/schnorr.h"

namespace ladder::bench {
namespace {

using namespace ladder::channel;
using Counters = std::map<std::string, double>;

template <class T>
T must(Expected<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(r).value();
}

void add(const std::string& name, std::function<void(benchmark::State&)> fn) {
  benchmark::RegisterBenchmark(("payments/" + name).c_str(), std::move(fn))->MinTime(0.3);
}

// Two channels to L and L's forwarder, pumped in order.
struct Star {
  struct Side {
    std::unique_ptr<Channel> lsp, client;
    std::deque<Message> to_lsp, to_client;
  };
  std::vector<Side> sides;
  Forwarder fwd{ForwardPolicy{}};

  Star() {
    for (int i = 0; i < 2; ++i) {
      auto lk = crypto::SecretKey::generate(), ck = crypto::SecretKey::generate();
      Binding b{{btc::Txid{crypto::random_bytes32()}, 0}, 10'000'000};
      ChannelParams p;
      p.max_in_flight = 9'000'000;
      ChannelConfig lc{Role::lsp, lk, ck.pubkey(), crypto::random_bytes32(), p, {std::nullopt, 20}, b, 5'000'000, 0};
      ChannelConfig cc{Role::client, ck, lk.pubkey(), crypto::random_bytes32(), p, {std::nullopt, 20}, b, 5'000'000, 0};
      auto [l, open] = must(Channel::open(lc));
      auto [c, accept] = must(Channel::accept(cc, open));
      auto ready = must(c.on_funding_signed(must(l.on_accept_channel(accept))));
      if (!l.on_channel_ready(ready)) throw std::runtime_error("open");
      Side s;
      s.lsp = std::make_unique<Channel>(std::move(l));
      s.client = std::make_unique<Channel>(std::move(c));
      sides.push_back(std::move(s));
    }
    for (auto& s : sides) fwd.add_channel(*s.lsp);
  }

  // Pumps until quiet; returns the payee's incoming lock id, if one arrived.
  std::optional<uint64_t> run() {
    std::optional<uint64_t> incoming;
    for (bool moved = true; moved;) {
      moved = false;
      for (size_t i = 0; i < sides.size(); ++i) {
        auto& s = sides[i];
        for (const auto& e : s.lsp->drain_events())
          for (auto& o : must(fwd.on_event(s.lsp->id(), e)))
            for (auto& t : sides)
              if (t.lsp->id() == o.channel) {
                t.to_client.push_back(std::move(o.message));
                moved = true;
              }
        for (const auto& e : s.client->drain_events()) {
          if (e.kind == ChannelEvent::Kind::incoming_locked) incoming = e.lock.id;
          else if (e.kind == ChannelEvent::Kind::outgoing_failed) throw std::runtime_error("failed: " + e.reason); }
        while (!s.to_lsp.empty() || !s.to_client.empty()) {
          moved = true;
          auto& q = s.to_lsp.empty() ? s.to_client : s.to_lsp;
          Channel& to = s.to_lsp.empty() ? *s.client : *s.lsp;
          auto& back = s.to_lsp.empty() ? s.to_lsp : s.to_client;
          Message m = std::move(q.front());
          q.pop_front();
          for (auto& r : must(deliver(to, m))) back.push_back(std::move(r));
        }
        if (s.lsp->can_sign_commitment()) s.to_client.push_back(must(s.lsp->sign_commitment())), moved = true;
        if (s.client->can_sign_commitment()) s.to_lsp.push_back(must(s.client->sign_commitment())), moved = true;
      }
    }
    return incoming;
  }

  // One payment from client `from` to the other client.
  void pay(size_t from, LockKind kind, const crypto::SecretKey& scalar, const Bytes32& preimage) {
    const size_t to = 1 - from;
    ForwardRequest f{sides[to].lsp->id(), 1'000, 200};
    auto add = kind == LockKind::htlc ? sides[from].client->add_htlc(1'000, crypto::sha256(preimage), 220, f)
                                      : sides[from].client->add_ptlc(1'000, scalar.pubkey(), 220, f);
    sides[from].to_lsp.push_back(must(std::move(add)));
    auto id = run();
    if (!id) throw std::runtime_error("payment did not arrive");
    const Bytes32 secret = kind == LockKind::htlc ? preimage : scalar.reveal();
    sides[to].to_lsp.push_back(must(sides[to].client->settle(*id, secret)));
    run();
  }
};

void register_raw() {
  const secp256k1_context* ctx = crypto::secp_context();
  auto key = std::make_shared<crypto::SecretKey>(crypto::SecretKey::generate());
  auto msg = std::make_shared<Bytes32>(crypto::random_bytes32());
  auto tweak = std::make_shared<Bytes32>(crypto::Scalar::reduce(crypto::random_bytes32()).bytes());
  add("raw/schnorr_verify", [=](benchmark::State& st) {
    auto sig = crypto::schnorr_sign(*key, *msg);
    for (auto _ : st)
      benchmark::DoNotOptimize(secp256k1_schnorrsig_verify(ctx, sig.bytes().data(), msg->data(), 32,
                                                           &key->xonly_pubkey().raw()));
  });
  add("raw/pubkey_create", [=](benchmark::State& st) {
    secp256k1_pubkey out;
    for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_pubkey_create(ctx, &out, tweak->data()));
  });
  add("raw/pubkey_tweak_mul", [=](benchmark::State& st) {
    for (auto _ : st) {
      secp256k1_pubkey p = key->pubkey().raw();
      benchmark::DoNotOptimize(secp256k1_ec_pubkey_tweak_mul(ctx, &p, tweak->data()));
    }
  });
  add("raw/pubkey_tweak_add", [=](benchmark::State& st) {
    for (auto _ : st) {
      secp256k1_pubkey p = key->pubkey().raw();
      benchmark::DoNotOptimize(secp256k1_ec_pubkey_tweak_add(ctx, &p, tweak->data()));
    }
  });
  auto other = std::make_shared<crypto::SecretKey>(crypto::SecretKey::generate());
  add("raw/pubkey_combine_2", [=](benchmark::State& st) {
    const secp256k1_pubkey* pts[2] = {&key->pubkey().raw(), &other->pubkey().raw()};
    secp256k1_pubkey out;
    for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_pubkey_combine(ctx, &out, pts, 2));
  });
  add("raw/seckey_tweak_mul", [=](benchmark::State& st) {
    for (auto _ : st) {
      Bytes32 r = key->reveal();
      benchmark::DoNotOptimize(secp256k1_ec_seckey_tweak_mul(ctx, r.data(), tweak->data()));
    }
  });
  add("raw/seckey_tweak_add", [=](benchmark::State& st) {
    for (auto _ : st) {
      Bytes32 r = key->reveal();
      benchmark::DoNotOptimize(secp256k1_ec_seckey_tweak_add(ctx, r.data(), tweak->data()));
    }
  });
}

// Raw ops of one MuSig2 commitment signature, both parties (see the file comment).
Counters commitment_floor() {
  Counters c;
  auto plus = [&](const Counters& more, double times = 1) {
    for (const auto& [k, v] : more) c[k] += v * times;
  };
  const Counters nonce_gen{{"pubkey_create", 2}};
  const Counters session{{"pubkey_tweak_mul", 1}, {"pubkey_combine_2", 3}};  // NonceAgg (2 sums), R1 + b·R2
  const Counters partial_sign{{"seckey_tweak_mul", 3}, {"seckey_tweak_add", 2}};
  const Counters partial_verify{{"pubkey_tweak_mul", 2}, {"pubkey_tweak_add", 1}, {"pubkey_combine_2", 1},
                                {"seckey_tweak_mul", 1}};
  const Counters aggregate{{"seckey_tweak_add", 2}, {"seckey_tweak_mul", 1}};
  plus(nonce_gen, 2);
  plus(session, 2);
  plus(partial_sign, 2);
  plus(partial_verify, 2);  // the holder's check of the signer's partial, the signer's self-check
  plus(aggregate);
  c["schnorr_verify"] += 1;
  return c;
}

Counters payment_floor(LockKind kind) {
  Counters c;
  const Counters per_commitment = commitment_floor();
  constexpr double kCommitments = 8, kRevocations = 8;  // 2 rounds × 2 commitments × 2 channels
  for (const auto& [k, v] : per_commitment) c[k] += v * kCommitments;
  c["pubkey_create"] += kRevocations;
  if (kind == LockKind::ptlc) {
    // Per channel: 2 adaptor pre-signatures and 2 pre-verifications, 1 scalar check.
    c["pubkey_create"] += 2 * (2 + 1);
    c["pubkey_combine_2"] += 2 * (2 + 2);
    c["seckey_tweak_mul"] += 2 * 2;
    c["pubkey_tweak_mul"] += 2 * 2;
    c["pubkey_tweak_add"] += 2 * 2;
  }
  return c;
}

void register_payments() {
  for (LockKind kind : {LockKind::htlc, LockKind::ptlc}) {
    const std::string name = kind == LockKind::htlc ? "htlc_payment_two_hops" : "ptlc_payment_two_hops";
    add(name, [kind](benchmark::State& st) {
      Star star;
      auto scalar = crypto::SecretKey::generate();
      const Bytes32 preimage = crypto::random_bytes32();
      size_t n = 0;
      for (auto _ : st) star.pay(n++ % 2, kind, scalar, preimage);
      for (const auto& [op, count] : payment_floor(kind)) st.counters["floor:" + op] = count;
    });
  }
}

void register_suite(const Options&) {
  register_raw();
  register_payments();
}

const bool kRegistered = add_suite("payments",
                                   "two-hop HTLC/PTLC payments through L (both channels, both sides) vs the raw "
                                   "libsecp256k1 ops their MuSig2 and adaptor signatures need",
                                   register_suite);

}  // namespace
}  // namespace ladder::bench
