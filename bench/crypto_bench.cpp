// Benchmark suite "crypto": raw libsecp256k1 / OpenSSL operations and the
// Ladder operations built on them (MuSig2, adaptor signatures, Schnorr
// wrappers, BIP-341 sighash), measured in one run so each Ladder operation's
// floor (the sum of the raw operations it performs) comes from the same
// machine state. Floors count point and scalar operations; hashing inside
// MuSig2/adaptor operations (< 3% of each) is left out of their floors, so
// their ratios include it.
#include <benchmark/benchmark.h>
#include <openssl/sha.h>
#include <secp256k1_schnorrsig.h>

#include <functional>
#include <memory>

#include "bench/runner.h"
#include "crypto/adaptor.h"
#include "crypto/musig.h"
#include "crypto/schnorr.h"
#if __has_include("btc/sighash.h")
#include "btc/sighash.h"
#define LADDER_BENCH_SIGHASH 1
#endif

namespace ladder::bench {
namespace {

using namespace ladder::crypto;
using Counters = std::map<std::string, double>;

void add(const std::string& name, std::function<void(benchmark::State&)> fn) {
  benchmark::RegisterBenchmark(("crypto/" + name).c_str(), std::move(fn))->MinTime(0.2);
}

void set_floor(benchmark::State& st, const Counters& floor) {
  for (const auto& [op, count] : floor) st.counters["floor:" + op] = count;
}

// Everything the cases share, built once when the suite runs.
struct Fixture {
  std::vector<size_t> sizes;
  std::vector<SecretKey> keys;
  std::vector<PubKey> pubkeys;
  std::vector<const secp256k1_pubkey*> raw_points;
  std::vector<musig::PubNonce> pubnonces;
  std::vector<musig::PartialSig> psigs;
  Bytes32 msg = random_bytes32();
  Bytes32 tweak = random_bytes32();

  explicit Fixture(std::vector<size_t> s) : sizes(std::move(s)) {
    size_t max = *std::max_element(sizes.begin(), sizes.end());
    for (size_t i = 0; i < max; ++i) {
      keys.push_back(SecretKey::generate());
      pubkeys.push_back(keys.back().pubkey());
      raw_points.push_back(&pubkeys.back().raw());
      pubnonces.push_back(musig::nonce_gen(pubkeys.back())->pubnonce);
      psigs.emplace_back(Scalar::reduce(random_bytes32()));
    }
    raw_points.clear();  // pubkeys is final now: take stable addresses
    for (const auto& p : pubkeys) raw_points.push_back(&p.raw());
  }
};

void register_raw(const std::shared_ptr<Fixture>& f) {
  const secp256k1_context* ctx = secp_context();
  add("raw/schnorr_sign", [f, ctx](benchmark::State& st) {
    Bytes64 sig;
    for (auto _ : st)
      benchmark::DoNotOptimize(secp256k1_schnorrsig_sign32(ctx, sig.data(), f->msg.data(), &f->keys[0].keypair(), f->tweak.data()));
  });
  add("raw/schnorr_verify", [f, ctx](benchmark::State& st) {
    auto sig = schnorr_sign(f->keys[0], f->msg);
    for (auto _ : st)
      benchmark::DoNotOptimize(secp256k1_schnorrsig_verify(ctx, sig.bytes().data(), f->msg.data(), 32, &f->keys[0].xonly_pubkey().raw()));
  });
  add("raw/pubkey_create", [ctx](benchmark::State& st) {
    Bytes32 sk = Scalar::reduce(random_bytes32()).bytes();
    secp256k1_pubkey out;
    for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_pubkey_create(ctx, &out, sk.data()));
  });
  add("raw/pubkey_parse", [f, ctx](benchmark::State& st) {
    secp256k1_pubkey out;
    for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_pubkey_parse(ctx, &out, f->pubkeys[0].bytes().data(), 33));
  });
  add("raw/pubkey_tweak_mul", [f, ctx](benchmark::State& st) {
    for (auto _ : st) {
      secp256k1_pubkey p = f->pubkeys[0].raw();
      benchmark::DoNotOptimize(secp256k1_ec_pubkey_tweak_mul(ctx, &p, f->tweak.data()));
    }
  });
  add("raw/pubkey_tweak_add", [f, ctx](benchmark::State& st) {
    for (auto _ : st) {
      secp256k1_pubkey p = f->pubkeys[0].raw();
      benchmark::DoNotOptimize(secp256k1_ec_pubkey_tweak_add(ctx, &p, f->tweak.data()));
    }
  });
  add("raw/xonly_tweak_add", [f, ctx](benchmark::State& st) {
    secp256k1_pubkey out;
    for (auto _ : st)
      benchmark::DoNotOptimize(secp256k1_xonly_pubkey_tweak_add(ctx, &out, &f->keys[0].xonly_pubkey().raw(), f->tweak.data()));
  });
  for (size_t n : f->sizes) {
    add("raw/pubkey_combine_" + std::to_string(n), [f, ctx, n](benchmark::State& st) {
      secp256k1_pubkey out;
      for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_pubkey_combine(ctx, &out, f->raw_points.data(), n));
    });
  }
  add("raw/seckey_tweak_add", [ctx](benchmark::State& st) {
    Bytes32 a = Scalar::reduce(random_bytes32()).bytes(), b = Scalar::reduce(random_bytes32()).bytes();
    for (auto _ : st) {
      Bytes32 r = a;
      benchmark::DoNotOptimize(secp256k1_ec_seckey_tweak_add(ctx, r.data(), b.data()));
      benchmark::DoNotOptimize(r);
    }
  });
  add("raw/seckey_tweak_mul", [ctx](benchmark::State& st) {
    Bytes32 a = Scalar::reduce(random_bytes32()).bytes(), b = Scalar::reduce(random_bytes32()).bytes();
    for (auto _ : st) {
      Bytes32 r = a;
      benchmark::DoNotOptimize(secp256k1_ec_seckey_tweak_mul(ctx, r.data(), b.data()));
      benchmark::DoNotOptimize(r);
    }
  });
  add("raw/sha256_block", [](benchmark::State& st) {
    // One compression: a whole 64-byte block fed to a running hash (the
    // one-shot SHA256() would add its init/finalize to every block).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    SHA256_CTX c;
    SHA256_Init(&c);
    uint8_t block[64] = {1};
    for (auto _ : st) SHA256_Update(&c, block, sizeof(block));
#pragma GCC diagnostic pop
    benchmark::DoNotOptimize(c);
  });
}

void register_schnorr_and_keyagg(const std::shared_ptr<Fixture>& f) {
  add("schnorr_sign", [f](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(schnorr_sign(f->keys[0], f->msg));
    set_floor(st, {{"schnorr_sign", 1}});
  });
  add("schnorr_verify", [f](benchmark::State& st) {
    auto sig = schnorr_sign(f->keys[0], f->msg);
    for (auto _ : st) benchmark::DoNotOptimize(schnorr_verify(sig, f->msg, f->keys[0].xonly_pubkey()));
    set_floor(st, {{"schnorr_verify", 1}});
  });
  for (size_t n : f->sizes) {
    add("musig_keyagg/" + std::to_string(n), [f, n](benchmark::State& st) {
      std::span<const PubKey> keys(f->pubkeys.data(), n);
      for (auto _ : st) benchmark::DoNotOptimize(musig::KeyAggContext::create(keys));
      // The second distinct key has coefficient 1: n - 1 multiplications.
      set_floor(st, {{"pubkey_tweak_mul", static_cast<double>(n - 1)}, {"pubkey_combine_" + std::to_string(n), 1}});
    });
  }
  add("musig_xonly_tweak", [f](benchmark::State& st) {
    auto ctx = *musig::KeyAggContext::create(std::span<const PubKey>(f->pubkeys.data(), 2));
    for (auto _ : st) benchmark::DoNotOptimize(ctx.apply_tweak({f->tweak, true}));
    set_floor(st, {{"pubkey_tweak_add", 1}});
  });
}

void register_musig_rounds(const std::shared_ptr<Fixture>& f) {
  add("musig_nonce_gen", [f](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(musig::nonce_gen(f->pubkeys[0], {.sk = &f->keys[0], .msg = f->msg}));
    set_floor(st, {{"pubkey_create", 2}});
  });
  for (size_t n : f->sizes) {
    add("musig_nonce_agg/" + std::to_string(n), [f, n](benchmark::State& st) {
      std::span<const musig::PubNonce> nonces(f->pubnonces.data(), n);
      for (auto _ : st) benchmark::DoNotOptimize(musig::nonce_agg(nonces));
      set_floor(st, {{"pubkey_combine_" + std::to_string(n), 2}});
    });
  }
  auto ctx = std::make_shared<musig::KeyAggContext>(*musig::KeyAggContext::create(std::span<const PubKey>(f->pubkeys.data(), 2)));
  auto aggnonce = std::make_shared<musig::AggNonce>(*musig::nonce_agg(std::span<const musig::PubNonce>(f->pubnonces.data(), 2)));
  auto session = std::make_shared<musig::Session>(*musig::Session::create(*ctx, *aggnonce, f->msg));
  add("musig_session_create", [f, ctx, aggnonce](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(musig::Session::create(*ctx, *aggnonce, f->msg));
    set_floor(st, {{"pubkey_tweak_mul", 1}, {"pubkey_combine_2", 1}});
  });
  // Sign and its self-check: k1 + b·k2 + e·a·d, then the verification below.
  add("musig_partial_sign", [f, session](benchmark::State& st) {
    constexpr int kBatch = 64;
    while (st.KeepRunningBatch(kBatch)) {
      st.PauseTiming();
      std::vector<musig::SecNonce> nonces;
      for (int i = 0; i < kBatch; ++i) nonces.push_back(std::move(musig::nonce_gen(f->pubkeys[0])->secnonce));
      st.ResumeTiming();
      for (auto& n : nonces) benchmark::DoNotOptimize(session->sign(std::move(n), f->keys[0]));
    }
    set_floor(st, {{"pubkey_tweak_mul", 2}, {"pubkey_tweak_add", 1}, {"pubkey_combine_2", 1},
                   {"seckey_tweak_mul", 4}, {"seckey_tweak_add", 2}});
  });
  // s·G - e·a·g'·P against R*1 + b·R*2.
  add("musig_partial_verify", [f, session](benchmark::State& st) {
    auto pair = *musig::nonce_gen(f->pubkeys[0]);
    musig::PubNonce pub = pair.pubnonce;
    auto psig = *session->sign(std::move(pair.secnonce), f->keys[0]);
    for (auto _ : st) benchmark::DoNotOptimize(session->verify(psig, pub, 0));
    set_floor(st, {{"pubkey_tweak_mul", 2}, {"pubkey_tweak_add", 1}, {"pubkey_combine_2", 1}, {"seckey_tweak_mul", 1}});
  });
  for (size_t n : f->sizes) {
    add("musig_partial_sig_agg/" + std::to_string(n), [f, session, n](benchmark::State& st) {
      std::span<const musig::PartialSig> psigs(f->psigs.data(), n);
      for (auto _ : st) benchmark::DoNotOptimize(session->aggregate(psigs));
      set_floor(st, {{"seckey_tweak_add", static_cast<double>(n)}, {"seckey_tweak_mul", 1}});
    });
  }
}

void register_adaptor(const std::shared_ptr<Fixture>& f) {
  // Signer f->keys[0], adaptor secret f->keys[1].
  auto pre = std::make_shared<adaptor::PreSignature>(*adaptor::presign(f->keys[0], f->msg, f->keys[1].pubkey()));
  auto sig = std::make_shared<SchnorrSig>(adaptor::adapt(*pre, f->keys[1]));
  add("adaptor_presign", [f](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(adaptor::presign(f->keys[0], f->msg, f->keys[1].pubkey(), f->tweak));
    set_floor(st, {{"pubkey_create", 1}, {"pubkey_combine_2", 1}, {"seckey_tweak_mul", 1}});
  });
  add("adaptor_pre_verify", [f, pre](benchmark::State& st) {
    for (auto _ : st)
      benchmark::DoNotOptimize(adaptor::pre_verify(*pre, f->msg, f->keys[0].xonly_pubkey(), f->keys[1].pubkey()));
    set_floor(st, {{"pubkey_combine_2", 1}, {"pubkey_tweak_mul", 1}, {"pubkey_tweak_add", 1}});
  });
  add("adaptor_adapt", [f, pre](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(adaptor::adapt(*pre, f->keys[1]));
    set_floor(st, {{"seckey_tweak_add", 1}});
  });
  add("adaptor_extract", [f, pre, sig](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(adaptor::extract(*pre, *sig, f->keys[1].pubkey()));
    set_floor(st, {{"pubkey_create", 1}, {"seckey_tweak_add", 1}});
  });
  auto ctx = *musig::KeyAggContext::create(std::span<const PubKey>(f->pubkeys.data(), 2));
  auto aggnonce = *musig::nonce_agg(std::span<const musig::PubNonce>(f->pubnonces.data(), 2));
  add("musig_adaptor_session_create", [f, ctx, aggnonce](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(musig::Session::create(ctx, aggnonce, f->msg, f->keys[1].pubkey()));
    set_floor(st, {{"pubkey_tweak_mul", 1}, {"pubkey_combine_2", 2}});
  });
}

#ifdef LADDER_BENCH_SIGHASH
// BIP-341 key-path SIGHASH_DEFAULT of a 1-input, 2-output transaction with
// its per-transaction midhashes precomputed: one tagged hash of SigMsg.
void register_sighash() {
  btc::Transaction tx;
  tx.version = 3;
  tx.vin.push_back(btc::TxIn{btc::OutPoint{btc::Txid{random_bytes32()}, 0}, {}, 0xfffffffd, {}});
  Bytes p2tr = {0x51, 0x20};
  append(p2tr, random_bytes32());
  tx.vout = {btc::TxOut{40000, p2tr}, btc::TxOut{240, {0x51, 0x02, 0x4e, 0x73}}};
  auto data = std::make_shared<std::pair<btc::Transaction, btc::PrecomputedTxData>>(
      tx, btc::precompute_tx_data(tx, {btc::TxOut{50000, p2tr}}));
  size_t len = btc::taproot_sighash_preimage(tx, 0, btc::SIGHASH_DEFAULT, data->second, std::nullopt, nullptr)->size();
  add("bip341_sighash", [data, len](benchmark::State& st) {
    for (auto _ : st)
      benchmark::DoNotOptimize(btc::taproot_sighash(data->first, 0, btc::SIGHASH_DEFAULT, data->second, std::nullopt, nullptr));
    // The tag's 64-byte prefix is a cached midstate; SigMsg plus padding.
    set_floor(st, {{"sha256_block", static_cast<double>((len + 9 + 63) / 64)}});
  });
}
#endif

void register_suite(const Options& opts) {
  std::vector<size_t> sizes = {2, 16, 128, 1024};
  if (!opts.clients.empty()) {
    sizes = {2};
    for (int n : opts.clients)
      if (n > 0) sizes.push_back(static_cast<size_t>(n));  // sessions and adaptor cases use two signers
  }
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  auto f = std::make_shared<Fixture>(sizes);
  register_raw(f);
  register_schnorr_and_keyagg(f);
  register_musig_rounds(f);
  register_adaptor(f);
#ifdef LADDER_BENCH_SIGHASH
  register_sighash();
#endif
}

const bool kRegistered = add_suite("crypto",
                                   "libsecp256k1 raw ops vs Ladder's Schnorr, MuSig2 (BIP-327), adaptor signatures, "
                                   "BIP-341 sighash",
                                   register_suite);

}  // namespace
}  // namespace ladder::bench
