// Benchmark suite "wire": the BOLT #8 transport and the message codec.
// Raw costs are direct OpenSSL / libsecp256k1 calls; the Ladder operations
// state how many of them they perform, so each ratio shows the overhead of
// the state machines and buffers around the primitives.
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <secp256k1_ecdh.h>

#include <functional>
#include <map>
#include <stdexcept>

#include "bench/runner.h"
#include "crypto/secp.h"
#include "wire/messages_base.h"
#include "wire/noise.h"

namespace ladder::bench {
namespace {

using namespace ladder::wire;

void add(const std::string& name, std::function<void(benchmark::State&)> fn) {
  benchmark::RegisterBenchmark(("wire/" + name).c_str(), std::move(fn))->MinTime(0.2);
}

void set_floor(benchmark::State& st, const std::map<std::string, double>& floor) {
  for (const auto& [op, count] : floor) st.counters["floor:" + op] = count;
}

void register_raw() {
  add("raw/ecdh", [](benchmark::State& st) {
    const auto a = crypto::SecretKey::generate();
    const auto b = crypto::SecretKey::generate().pubkey();
    const Bytes32 sec = a.reveal();
    Bytes32 out;
    for (auto _ : st)
      benchmark::DoNotOptimize(secp256k1_ecdh(crypto::secp_context(), out.data(), &b.raw(), sec.data(), nullptr, nullptr));
  });
  add("raw/aead_seal_64", [](benchmark::State& st) {
    EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    if (!cipher || !ctx || EVP_EncryptInit_ex2(ctx, cipher, nullptr, nullptr, nullptr) != 1)
      throw std::runtime_error("OpenSSL ChaCha20-Poly1305 unavailable");
    const Bytes32 key = crypto::random_bytes32();
    const uint8_t iv[12] = {};
    uint8_t in[64] = {}, out[64], tag[16];
    int len = 0;
    for (auto _ : st) {
      EVP_EncryptInit_ex2(ctx, nullptr, key.data(), iv, nullptr);
      EVP_EncryptUpdate(ctx, out, &len, in, sizeof in);
      EVP_EncryptFinal_ex(ctx, out, &len);
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, sizeof tag, tag);
      benchmark::DoNotOptimize(tag);
    }
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(cipher);
  });
  add("raw/hkdf", [](benchmark::State& st) {
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    if (!kdf) throw std::runtime_error("OpenSSL HKDF unavailable");
    Bytes32 salt = crypto::random_bytes32(), ikm = crypto::random_bytes32();
    char digest[] = "SHA256";
    uint8_t okm[64];
    for (auto _ : st) {
      EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
      OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
                             OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ikm.data(), ikm.size()),
                             OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt.data(), salt.size()),
                             OSSL_PARAM_construct_end()};
      EVP_KDF_derive(ctx, okm, sizeof okm, params);
      EVP_KDF_CTX_free(ctx);
      benchmark::DoNotOptimize(okm);
    }
    EVP_KDF_free(kdf);
  });
}

void register_transport() {
  // Both sides of a handshake: 6 ECDH, 8 HKDF, 8 AEAD operations (acts one
  // and two seal and open one tag each; act three two).
  add("noise_handshake", [](benchmark::State& st) {
    const auto ini_key = crypto::SecretKey::generate();
    const auto resp_key = crypto::SecretKey::generate();
    const auto e1 = crypto::SecretKey::generate();
    const auto e2 = crypto::SecretKey::generate();
    for (auto _ : st) {
      NoiseInitiator ini(ini_key, resp_key.pubkey(), e1);
      NoiseResponder resp(resp_key, e2);
      auto done = ini.read_act_two(resp.read_act_one(ini.act_one()).value()).value();
      benchmark::DoNotOptimize(resp.read_act_three(done.act_three).value());
    }
    set_floor(st, {{"ecdh", 6}, {"hkdf", 8}, {"aead_seal_64", 8}});
  });
  // One 64-byte message through the Encryptor and the Decryptor: two seals
  // and two opens (length prefix and body).
  add("noise_message_64", [](benchmark::State& st) {
    const Bytes32 key = crypto::random_bytes32(), ck = crypto::random_bytes32();
    Encryptor enc{CipherState(key, ck)};
    Decryptor dec{CipherState(key, ck)};
    const Bytes msg(64, 7);
    for (auto _ : st) {
      dec.feed(enc.encrypt(msg).value());
      benchmark::DoNotOptimize(dec.next().value());
    }
    set_floor(st, {{"aead_seal_64", 4}});
  });
}

void register_codec() {
  Init init = make_init({1, 1}, FeatureBits::from_wire(Bytes{0x02, 0x0a}), std::vector<Bytes32>{Bytes32{1}});
  init.tlvs.unknown.push_back(TlvRecord{0xc9, Bytes(40, 1)});
  add("encode_init", [init](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(encode_message(init).value());
  });
  const Bytes bytes = encode_message(init).value();
  add("decode_frame_init", [bytes](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(BaseMessages::decode(bytes).value());
  });
}

void register_suite(const Options&) {
  register_raw();
  register_transport();
  register_codec();
}

const bool kRegistered =
    add_suite("wire", "BOLT #8 handshake and message transport vs raw ECDH/AEAD/HKDF; message codec", register_suite);

}  // namespace
}  // namespace ladder::bench
