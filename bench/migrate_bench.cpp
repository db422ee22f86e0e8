// Benchmark suite "migrate": what a dying factory of N clients costs L, in
// one process, every participant's code running for real.
//
//   migrate/day/N  the headline: every client of a dying N-client factory
//       migrates, by a mix of the four options (per ten clients: four by
//       option 3, three by 3b, two by 1, one by 2), with every on-chain
//       output in the day's one batch, and at the end the fully departed
//       factory is swept in ONE tx (migrate_bench_day.h). items =
//       migrations; per option: <option>_migrations, <option>_lsp_per_second
//       (migrations per second of L's CPU in that option's flows and
//       channels), <option>_vbytes_per_client (its outputs and claims, and
//       its share of the batch's own bytes; 0 for options 1 and 3b, which
//       broadcast nothing); lsp_per_second overall; sweep_txs, sweep_vbytes.
//   migrate/option3/N  the same day with every client leaving by option 3,
//       the PTLC assisted exit (target: 500 per second of L's work).
//   Floors per migration, every side: a lock added and settled on a channel
//       signs 4 commitments (per commitment: 2 + 2 nonce points, the nonce
//       coefficient on both sides, the peer partial's check and the
//       aggregate's verification) and checks 4 revocation points —
//       pubkey_create 20, pubkey_tweak_mul 8, schnorr_verify 8 — and a PTLC
//       adds the offerer's 2 adaptor pre-signatures (1 nonce point each),
//       their 2 pre-verifications and the scalar check at settlement
//       (pubkey_create +3, schnorr_verify +2). Option 3 = one PTLC + the
//       claim's adaptor session (4 nonce points, 2 nonce coefficients, L's
//       check of the client's partial, the client's pre-verification of L's
//       adaptor partial and of the aggregate) + L's check a·G = P_A: 28 /
//       10 / 13. Option 3b = two PTLCs: 46 / 16 / 20. Option 1 = two HTLCs +
//       the handed-over key's check: 41 / 16 / 16. Option 2 = one HTLC + the
//       co-signed claim (4 nonce points, 2 nonce coefficients, the client's
//       check of L's partial, the aggregate's verification) + the handed-
//       over key's check: 25 / 10 / 10.
//   migrate/reallocation/N  every leaf of an N-client factory (k = 2) loses
//       one client, who departed; L (signing for itself and, with the
//       handed-over key, for the departed client) and the remaining client
//       give the leaf its departure state (migrate/reallocation.h): the
//       leaf's new state and the distribution txs of its new outputs, the
//       present client's channel re-bound to its new outpoint first
//       (quiescence, both commitments re-signed), children-first. items =
//       reallocations; lsp_cpu_seconds = the CPU time of L's calls alone.
//       Floor per reallocation (inverted mode): 3 MuSig2 sessions with 8
//       signer-sessions (leaf state: A, B, L; B's channel distribution: B,
//       L; the L-stock distribution: A, B, L) — 2 nonce points per signer-
//       session, the nonce coefficient multiplication and one verification
//       per session — and the 2 re-bound commitments (2-of-2 each, the same
//       operations): pubkey_create 24, pubkey_tweak_mul 5, schnorr_verify 5.
//   migrate/sweep/N  a factory whose N clients all departed, swept in ONE
//       tx spending its funding output by key path and funding the next
//       factory (migrate/sweep.h). Floor: the aggregate secret's N + 1
//       scalar products (a_i·d_i), its public key (the check that it is the
//       output key) and one BIP-340 signature: seckey_tweak_mul N + 1,
//       pubkey_create 1, schnorr_sign 1. Counters: txs, vbytes.
// Key aggregation of the trees' outputs, the channels' opening and the new
// factory's signatures are set-up (measured by the ceremony and payments
// suites), outside every floor and timing.
#include <benchmark/benchmark.h>
#include <secp256k1_schnorrsig.h>

#include <memory>

#include "bench/migrate_bench_day.h"
#include "bench/runner.h"
#include "migrate/reallocation.h"
#include "migrate/reallocation_channels.h"

namespace ladder::bench {
namespace {

using namespace ladder::factory;
using namespace migrate_world;

// One leaf's departure reallocation, both sides in-process; L's calls are
// metered. Throws on any failure.
void reallocate_leaf(Factory& f, const migrate::DepartedKeys& keys, uint32_t leaf, ChannelPair& ch, GuardTable& lsp_guard,
                     MemoryGuardStore& lsp_store, CpuMeter& lsp) {
  auto none = [](const btc::Txid&) { return false; };
  const uint32_t b = f.tree->shape().node(leaf).first_client + 1;
  GuardTable guard;
  MemoryGuardStore store;
  auto r = lsp.measure(
      [&] { return must(migrate::Reallocation::start(*f.tree, keys, f.lsp_key, leaf, leaf, lsp_guard, lsp_store, none)); });
  auto review = must(migrate::review_reallocation(*f.tree, r.proposal(), b));
  UpdateSigner signer(f.keys[b], b, guard, store);
  auto nonces = must(signer.on_proposal(*f.tree, r.proposal(), review.expect, none));
  lsp.measure([&] { must(r.on_nonces(b, nonces)); });
  auto agg = lsp.measure([&] { return must(r.aggnonces_for(b)); });
  auto partials = must(signer.on_aggnonces(agg));
  lsp.measure([&] { must(r.on_descendant_partials(b, partials)); });
  // The channel's re-binding: quiescence, then both commitments re-signed.
  auto stfu = lsp.measure([&] { return must(ch.lsp->request_quiescence()); });
  auto answer = must(ch.client->on_stfu(stfu));
  lsp.measure([&] { must(ch.lsp->on_stfu(*answer)); });
  auto propose = lsp.measure([&] { return must(ch.lsp->propose_rebind(review.new_binding)); });
  auto signed_msg = must(ch.client->on_rebind_propose(propose));
  auto complete = lsp.measure([&] { return must(ch.lsp->on_rebind_signed(signed_msg)); });
  must(ch.client->on_rebind_complete(complete));
  auto sigs = lsp.measure([&] {
    must(r.sign_top(migrate::require_rebound({{ch.lsp.get(), review.new_binding}})));
    return must(r.descendant_signatures_for(b));
  });
  auto top = must(signer.on_descendant_signatures(sigs, migrate::require_rebound({{ch.client.get(), review.new_binding}})));
  auto top_sig = lsp.measure([&] {
    must(r.on_top_partial(b, top));
    auto t = must(r.finish());
    must(ch.lsp->activate_rebind());
    must(ch.lsp->resume());
    return t;
  });
  must(signer.on_top_signature(top_sig));
  must(ch.client->activate_rebind());
  must(ch.client->resume());
}

void add(const std::string& name, std::function<void(benchmark::State&)> fn, bool once = false) {
  auto* b = benchmark::RegisterBenchmark(("migrate/" + name).c_str(), std::move(fn));
  if (once) b->Iterations(1)->Unit(benchmark::kMillisecond);
  else b->MinTime(0.2);
}

void register_raw() {
  const secp256k1_context* ctx = crypto::secp_context();
  auto key = std::make_shared<crypto::SecretKey>(crypto::SecretKey::generate());
  auto msg = std::make_shared<Bytes32>(crypto::random_bytes32());
  auto tweak = std::make_shared<Bytes32>(crypto::Scalar::reduce(crypto::random_bytes32()).bytes());
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
  add("raw/schnorr_verify", [=](benchmark::State& st) {
    auto sig = crypto::schnorr_sign(*key, *msg);
    for (auto _ : st)
      benchmark::DoNotOptimize(
          secp256k1_schnorrsig_verify(ctx, sig.bytes().data(), msg->data(), 32, &key->xonly_pubkey().raw()));
  });
  add("raw/seckey_tweak_mul", [=](benchmark::State& st) {
    Bytes32 d = key->reveal();
    for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_seckey_tweak_mul(ctx, d.data(), tweak->data()));
  });
  add("raw/schnorr_sign", [=](benchmark::State& st) {
    unsigned char sig[64];
    for (auto _ : st)
      benchmark::DoNotOptimize(secp256k1_schnorrsig_sign32(ctx, sig, msg->data(), &key->keypair(), nullptr));
  });
}

void register_reallocation(int n) {
  add("reallocation/" + std::to_string(n), [n](benchmark::State& st) {
    const uint32_t leaves = static_cast<uint32_t>(n) / 2;
    for (auto _ : st) {
      st.PauseTiming();
      Factory f(static_cast<uint32_t>(n), 100 + static_cast<uint64_t>(n));
      std::vector<uint32_t> gone;
      std::vector<ChannelPair> channels;
      for (uint32_t c = 0; c < static_cast<uint32_t>(n); c += 2) {
        gone.push_back(c);
        channels.push_back(open_channel(f, c + 1, 1000));
      }
      auto keys = f.departed(gone);
      GuardTable guard;
      MemoryGuardStore store;
      CpuMeter lsp;
      const auto leaf_ids = f.tree->shape().leaves();
      st.ResumeTiming();
      for (uint32_t i = 0; i < leaves; ++i) reallocate_leaf(f, keys, leaf_ids[i], channels[i], guard, store, lsp);
      st.counters["lsp_cpu_seconds"] = lsp.seconds;
      st.counters["lsp_per_second"] = leaves / lsp.seconds;
    }
    st.counters["items"] = leaves;
    st.counters["floor:pubkey_create"] = 24.0 * leaves;
    st.counters["floor:pubkey_tweak_mul"] = 5.0 * leaves;
    st.counters["floor:schnorr_verify"] = 5.0 * leaves;
  }, true);
}

void register_sweep(int n) {
  auto f = std::make_shared<Factory>(static_cast<uint32_t>(n), 200 + static_cast<uint64_t>(n));
  std::vector<uint32_t> all(static_cast<size_t>(n));
  for (uint32_t c = 0; c < all.size(); ++c) all[c] = c;
  auto keys = std::make_shared<migrate::DepartedKeys>(f->departed(all));
  add("sweep/" + std::to_string(n), [f, keys](benchmark::State& st) {
    const Bytes next = must(KeyCache::shared().get({crypto::SecretKey::generate().pubkey()}, std::nullopt))->script;
    const Bytes change = btc::p2tr_script(f->lsp_key.xonly_pubkey().bytes());
    btc::Transaction tx;
    for (auto _ : st)
      tx = must(migrate::sweep_factory(*f->tree, *keys, f->lsp_key, {{f->tree->funding_value() / 2, next}}, change, 2000));
    st.counters["txs"] = 1;
    st.counters["inputs"] = static_cast<double>(tx.vin.size());
    st.counters["signatures"] = static_cast<double>(tx.vin.at(0).witness.size());
    st.counters["vbytes"] = static_cast<double>(tx.vsize());
    st.counters["floor:schnorr_sign"] = 1;
    st.counters["floor:pubkey_create"] = 1;
    st.counters["floor:seckey_tweak_mul"] = static_cast<double>(f->keys.size() + 1);
  });
}

struct Floor {
  double pubkey_create = 0, pubkey_tweak_mul = 0, schnorr_verify = 0;
};
Floor floor_of(Way w) {
  switch (w) {
    case Way::option1: return {41, 16, 16};
    case Way::option2: return {25, 10, 10};
    case Way::option3: return {28, 10, 13};
    case Way::option3b: return {46, 16, 20};
  }
  return {};
}

Way mixed(uint32_t i) {
  static constexpr Way kMix[10] = {Way::option3, Way::option3b, Way::option1, Way::option3, Way::option3b,
                                   Way::option2, Way::option3, Way::option3b, Way::option1, Way::option3};
  return kMix[i % 10];
}

void register_day(const std::string& label, int n, std::function<Way(uint32_t)> mix) {
  add(label + "/" + std::to_string(n), [n, mix](benchmark::State& st) {
    std::map<Way, uint32_t> count;
    for (uint32_t i = 0; i < static_cast<uint32_t>(n); ++i) ++count[mix(i)];
    for (auto _ : st) {
      st.PauseTiming();
      Day day(static_cast<uint32_t>(n), 400 + static_cast<uint64_t>(n), mix);
      st.ResumeTiming();
      const DayFigures fig = day.run();
      st.counters["lsp_cpu_seconds"] = fig.lsp_seconds();
      st.counters["lsp_per_second"] = n / fig.lsp_seconds();
      for (const auto& [w, f] : fig.ways) {
        const std::string o = name(w);
        st.counters[o + "_migrations"] = f.migrations;
        st.counters[o + "_lsp_per_second"] = f.migrations / f.lsp.seconds;
        st.counters[o + "_vbytes_per_client"] = fig.vbytes_per_client(w);
      }
      st.counters["batch_vbytes"] = static_cast<double>(fig.batch_vbytes);
      st.counters["sweep_txs"] = 1;
      st.counters["sweep_vbytes"] = static_cast<double>(fig.sweep.vsize());
    }
    st.counters["items"] = n;
    Floor total;
    for (const auto& [w, k] : count) {
      total.pubkey_create += floor_of(w).pubkey_create * k;
      total.pubkey_tweak_mul += floor_of(w).pubkey_tweak_mul * k;
      total.schnorr_verify += floor_of(w).schnorr_verify * k;
    }
    st.counters["floor:pubkey_create"] = total.pubkey_create;
    st.counters["floor:pubkey_tweak_mul"] = total.pubkey_tweak_mul;
    st.counters["floor:schnorr_verify"] = total.schnorr_verify;
  }, true);
}

void register_suite(const Options& opts) {
  register_raw();
  std::vector<int> sizes = opts.clients.empty() ? std::vector<int>{1024} : opts.clients;
  for (int n : sizes) {
    register_day("day", n, mixed);
    register_day("option3", n, [](uint32_t) { return Way::option3; });
    register_reallocation(n);
    register_sweep(n);
  }
}

const bool registered = add_suite("migrate", "a dying factory of N clients: the migration day, reallocations, the sweep",
                                  register_suite);

}  // namespace
}  // namespace ladder::bench
