// Benchmark suite "migrate": what a dying factory of N clients costs L, in
// one process, every participant's code running for real.
//
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
//       factory (migrate/sweep.h). Floor: one BIP-340 signature and the
//       public key of the aggregate secret (the check that it is the output
//       key): schnorr_sign 1, pubkey_create 1. Counters: txs, vbytes.
// Key aggregation of the tree's outputs is done at set-up (a factory
// aggregates each key set once in its life; the ceremony suite measures
// it) and is outside every floor and timing.
#include <benchmark/benchmark.h>
#include <secp256k1_schnorrsig.h>
#include <time.h>

#include <memory>

#include "bench/runner.h"
#include "channel/channel.h"
#include "crypto/schnorr.h"
#include "factory/aggregate_key.h"
#include "migrate/reallocation.h"
#include "migrate/reallocation_channels.h"
#include "migrate/sweep.h"

namespace ladder::bench {
namespace {

using namespace ladder::factory;
using migrate::DepartedKeys;

template <class T>
T must(Expected<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(r).value();
}
void must(Status s) {
  if (!s) throw std::runtime_error(s.error().to_string());
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Accumulates the CPU time of the calls made inside measure().
struct CpuMeter {
  double seconds = 0;
  template <class F>
  decltype(auto) measure(F&& f) {
    const double t0 = thread_cpu_seconds();
    struct Stop {
      CpuMeter* m;
      double t0;
      ~Stop() { m->seconds += thread_cpu_seconds() - t0; }
    } stop{this, t0};
    return f();
  }
};

// A dying factory of n clients (k = 2, inverted mode), its keys, and its
// aggregate keys computed once.
struct Factory {
  FactoryTerms terms;
  crypto::SecretKey lsp_key = crypto::SecretKey::generate();
  std::vector<crypto::SecretKey> keys;
  std::optional<Tree> tree;

  Factory(uint32_t n, uint64_t id) {
    terms.factory_id = id;
    terms.lsp_key = lsp_key.pubkey().bytes();
    for (uint32_t i = 0; i < n; ++i) {
      keys.push_back(crypto::SecretKey::generate());
      terms.clients.push_back({keys.back().pubkey().bytes(), 200'000, 100'000});
    }
    auto shape = must(Shape::build(n, terms.params));
    terms.lstock.assign(shape.leaves().size(), 50'000);
    terms.heights = compute_heights(terms.params, shape.levels(), 1000);
    terms.funding.txid.bytes = crypto::random_bytes32();
    tree.emplace(must(Tree::create(terms)));
    for (uint32_t id2 = 0; id2 < tree->shape().nodes().size(); ++id2) {
      must(tree->input_key(id2));
      if (tree->shape().node(id2).is_dw()) must(tree->kickoff_key(id2));
      if (tree->shape().node(id2).is_leaf()) must(tree->lstock_key(id2));
    }
    for (uint32_t c = 0; c < n; ++c) must(tree->channel_key(c));
  }
  DepartedKeys departed(const std::vector<uint32_t>& clients) const {
    std::map<uint32_t, crypto::SecretKey> k;
    for (uint32_t c : clients) k.emplace(c, keys[c]);
    return must(DepartedKeys::create(*tree, std::move(k)));
  }
};

// L's and the client's sides of one channel on the client's channel output.
struct ChannelPair {
  std::unique_ptr<channel::Channel> lsp, client;
};

ChannelPair open_channel(Factory& f, uint32_t c) {
  const auto binding = must(migrate::channel_binding(*f.tree, c));
  const channel::Deadlines d{f.terms.heights.timeout, f.terms.heights.x};
  const auto& ct = f.terms.clients[c];
  channel::ChannelConfig lc{channel::Role::lsp, f.lsp_key, f.keys[c].pubkey(), crypto::random_bytes32(), {}, d, binding,
                            ct.lsp_balance, 1000};
  channel::ChannelConfig cc{channel::Role::client, f.keys[c], f.lsp_key.pubkey(), crypto::random_bytes32(), {}, d,
                            binding, ct.client_balance, 1000};
  auto [l, open] = must(channel::Channel::open(lc));
  auto [cl, accept] = must(channel::Channel::accept(cc, open));
  must(l.on_channel_ready(must(cl.on_funding_signed(must(l.on_accept_channel(accept))))));
  return {std::make_unique<channel::Channel>(std::move(l)), std::make_unique<channel::Channel>(std::move(cl))};
}

// One leaf's departure reallocation, both sides in-process; L's calls are
// metered. Throws on any failure.
void reallocate_leaf(Factory& f, const DepartedKeys& keys, uint32_t leaf, ChannelPair& ch, GuardTable& lsp_guard,
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
        channels.push_back(open_channel(f, c + 1));
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
  auto keys = std::make_shared<DepartedKeys>(f->departed(all));
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
  });
}

void register_suite(const Options& opts) {
  register_raw();
  std::vector<int> sizes = opts.clients.empty() ? std::vector<int>{1024} : opts.clients;
  for (int n : sizes) {
    register_reallocation(n);
    register_sweep(n);
  }
}

const bool registered = add_suite("migrate", "a dying factory of N clients: migrations, reallocations, the sweep",
                                  register_suite);

}  // namespace
}  // namespace ladder::bench
