// Benchmark suite "ceremony": the factory construction ceremony for N clients
// (k = 2, both timeout modes) with every signer in one process — the LSP's
// Coordinator and Signer and every client's Signer, each building and
// checking its own txs. Reported per N and mode: wall time, sessions, partial
// signatures, peak RSS, and the crypto floor: the elliptic-curve operations
// BIP-327 cannot avoid (key-aggregation multiplications and the ApplyTweak
// of each output's BIP-341 tweak, two nonce-point generations per signer and
// session, one nonce-coefficient multiplication per session, one
// verification per signature), priced at the raw libsecp256k1 cost measured
// in the same run.
#include <benchmark/benchmark.h>
#include <secp256k1_schnorrsig.h>

#include <set>

#include "bench/runner.h"
#include "crypto/musig.h"
#include "crypto/schnorr.h"
#include "factory/coordinator.h"
#include "factory/signer.h"

namespace ladder::bench {
namespace {

using namespace ladder::factory;

struct World {
  FactoryTerms terms;
  crypto::SecretKey lsp_key = crypto::SecretKey::generate();
  std::vector<crypto::SecretKey> keys;

  World(uint32_t n, TimeoutMode mode) {
    terms.factory_id = n * 2 + static_cast<uint32_t>(mode);
    terms.params.mode = mode;
    terms.lsp_key = lsp_key.pubkey().bytes();
    for (uint32_t i = 0; i < n; ++i) {
      keys.push_back(crypto::SecretKey::generate());
      terms.clients.push_back({keys.back().pubkey().bytes(), 200'000, 100'000});
    }
    auto shape = Shape::build(n, terms.params).value();
    terms.lstock.assign(shape.leaves().size(), 50'000);
    terms.heights = compute_heights(terms.params, shape.levels(), 1000);
    terms.funding.txid.bytes = crypto::random_bytes32();
  }
};

struct Counts {
  double sessions = 0, signer_sessions = 0, keyagg_mults = 0, output_tweaks = 0;
};

// The unavoidable operation counts: every aggregate key the tree's outputs
// need (KeyAgg: n − 1 multiplications per distinct signer set; ApplyTweak:
// one BIP-341 tweak per distinct output key), and per signed tx its nonces,
// its nonce coefficient and its final verification.
Counts count_ops(const FactoryTerms& terms) {
  auto tree = Tree::create(terms).value();
  Counts c;
  for (const auto& key : tree.all_txs()) {
    c.sessions += 1;
    c.signer_sessions += tree.signer_range(key).second + 1;
  }
  std::set<std::pair<uint32_t, uint32_t>> sets;  // L + a client range
  bool classic = terms.params.mode == TimeoutMode::lsp;
  for (const auto& n : tree.shape().nodes()) {
    sets.insert({n.first_client, n.client_count});
    c.output_tweaks += (classic && n.is_dw()) ? 2 : 1;  // node input, and a kickoff output with another tree
    if (n.is_leaf()) c.output_tweaks += 1;             // the L-stock
  }
  for (uint32_t i = 0; i < tree.client_count(); ++i) sets.insert({i, 1});  // channels
  c.output_tweaks += tree.client_count();
  for (const auto& [first, count] : sets) c.keyagg_mults += count;  // n − 1 with n = count + 1 keys
  return c;
}

// One ceremony, start to finish; returns false on any failure.
bool run_ceremony(const World& w) {
  std::vector<GuardTable> guards(w.keys.size() + 1);
  std::vector<MemoryGuardStore> stores(w.keys.size() + 1);
  Proposal p{w.terms, 0};
  auto coord = Coordinator::create(p);
  if (!coord) return false;
  std::vector<Signer> signers;
  signers.reserve(w.keys.size());
  for (size_t i = 0; i < w.keys.size(); ++i) {
    ClientExpectations e;
    e.params = w.terms.params;
    e.client_balance = w.terms.clients[i].client_balance;
    e.lsp_balance = w.terms.clients[i].lsp_balance;
    signers.push_back(Signer::client(w.keys[i], e, guards[i], stores[i]));
  }
  auto lsp = Signer::lsp(w.lsp_key, guards.back(), stores.back());
  auto step = [](auto&& r) { return static_cast<bool>(r); };
  for (uint32_t i = 0; i < signers.size(); ++i) {
    auto n = signers[i].on_proposal(p);
    if (!n || !step(coord->on_nonces(i, *n))) return false;
  }
  auto ln = lsp.on_proposal(p);
  if (!ln || !coord->on_nonces(kLsp, *ln)) return false;
  for (uint32_t i = 0; i < signers.size(); ++i) {
    auto a = coord->aggnonces_for(i);
    if (!a) return false;
    auto ps = signers[i].on_aggnonces(*a);
    if (!ps || !coord->on_partials(i, *ps)) return false;
  }
  auto la = coord->aggnonces_for(kLsp);
  if (!la) return false;
  auto lp = lsp.on_aggnonces(*la);
  if (!lp || !coord->on_partials(kLsp, *lp) || !coord->finalize()) return false;
  for (uint32_t i = 0; i < signers.size(); ++i) {
    auto s = coord->signatures_for(i);
    if (!s) return false;
    auto ack = signers[i].on_signatures(*s);
    if (!ack || !coord->on_ack(i, *ack)) return false;
  }
  auto ls = coord->signatures_for(kLsp);
  if (!ls) return false;
  auto lack = lsp.on_signatures(*ls);
  return lack && coord->on_ack(kLsp, *lack) && coord->all_acked();
}

void register_suite(const Options& opts) {
  const secp256k1_context* ctx = crypto::secp_context();
  auto sk = std::make_shared<crypto::SecretKey>(crypto::SecretKey::generate());
  auto msg = std::make_shared<Bytes32>(crypto::random_bytes32());
  benchmark::RegisterBenchmark("ceremony/raw/pubkey_create", [ctx, sk](benchmark::State& st) {
    secp256k1_pubkey out;
    for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_pubkey_create(ctx, &out, sk->reveal().data()));
  })->MinTime(0.2);
  benchmark::RegisterBenchmark("ceremony/raw/pubkey_tweak_mul", [ctx, sk, msg](benchmark::State& st) {
    secp256k1_pubkey p = sk->pubkey().raw();
    Bytes32 t = crypto::Scalar::reduce(*msg).bytes();
    for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_pubkey_tweak_mul(ctx, &p, t.data()));
  })->MinTime(0.2);
  benchmark::RegisterBenchmark("ceremony/raw/pubkey_tweak_add", [ctx, sk, msg](benchmark::State& st) {
    secp256k1_pubkey p = sk->pubkey().raw();
    Bytes32 t = crypto::Scalar::reduce(*msg).bytes();
    for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_pubkey_tweak_add(ctx, &p, t.data()));
  })->MinTime(0.2);
  benchmark::RegisterBenchmark("ceremony/raw/schnorr_verify", [ctx, sk, msg](benchmark::State& st) {
    auto sig = crypto::schnorr_sign(*sk, *msg);
    for (auto _ : st)
      benchmark::DoNotOptimize(secp256k1_schnorrsig_verify(ctx, sig.bytes().data(), msg->data(), 32, &sk->xonly_pubkey().raw()));
  })->MinTime(0.2);

  std::vector<int> sizes = opts.clients.empty() ? std::vector<int>{8, 64, 256, 1024} : opts.clients;
  for (auto mode : {TimeoutMode::clients, TimeoutMode::lsp}) {
    for (int n : sizes) {
      std::string name = "ceremony/" + to_string(mode) + "/" + std::to_string(n);
      benchmark::RegisterBenchmark(name.c_str(), [n, mode](benchmark::State& st) {
        World w(static_cast<uint32_t>(n), mode);
        Counts c = count_ops(w.terms);
        reset_peak_rss();
        for (auto _ : st) {
          if (!run_ceremony(w)) {
            st.SkipWithError("ceremony failed");
            return;
          }
        }
        st.counters["sessions"] = c.sessions;
        st.counters["partial_signatures"] = c.signer_sessions;
        st.counters["peak_rss_mb"] = peak_rss_mb();
        st.counters["floor:pubkey_create"] = 2 * c.signer_sessions;
        st.counters["floor:pubkey_tweak_mul"] = c.keyagg_mults + c.sessions;
        st.counters["floor:schnorr_verify"] = c.sessions;
        st.counters["floor:pubkey_tweak_add"] = c.output_tweaks;
      })->Iterations(1)->Unit(benchmark::kMillisecond);
    }
  }
}

const bool registered = add_suite("ceremony", "factory construction ceremony, N clients, one process", register_suite);

}  // namespace
}  // namespace ladder::bench
