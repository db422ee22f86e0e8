#include "crypto/hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <map>
#include <mutex>
#include <stdexcept>

// SHA256_* low-level functions are deprecated in OpenSSL 3 but remain the
// fastest way to hash small inputs (no EVP allocation per call).
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace ladder::crypto {

void Sha256::SHA256_Init_wrapper() { SHA256_Init(&ctx_); }

Sha256& Sha256::write(ByteView data) {
  SHA256_Update(&ctx_, data.data(), data.size());
  return *this;
}

Sha256& Sha256::write_u32le(uint32_t v) {
  uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
  return write(b);
}

Sha256& Sha256::write_u64le(uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = uint8_t(v >> (8 * i));
  return write(b);
}

Bytes32 Sha256::finalize() {
  Bytes32 out;
  SHA256_Final(out.data(), &ctx_);
  return out;
}

Sha256 Sha256::tagged(std::string_view tag) {
  // Midstates per tag are cached: tags are few and fixed.
  static std::mutex mu;
  static std::map<std::string, SHA256_CTX, std::less<>> cache;
  Sha256 h;
  {
    std::lock_guard lock(mu);
    auto it = cache.find(tag);
    if (it == cache.end()) {
      Bytes32 th = sha256(ByteView(reinterpret_cast<const uint8_t*>(tag.data()), tag.size()));
      Sha256 seed;
      seed.write(th).write(th);
      it = cache.emplace(std::string(tag), seed.ctx_).first;
    }
    h.ctx_ = it->second;
  }
  return h;
}

// Through the incremental hasher: OpenSSL 3's one-shot SHA256() fetches the
// algorithm and allocates an EVP context on every call.
Bytes32 sha256(ByteView data) { return Sha256().write(data).finalize(); }

Bytes32 sha256d(ByteView data) {
  Bytes32 once = sha256(data);
  return sha256(once);
}

Bytes32 tagged_hash(std::string_view tag, ByteView data) { return Sha256::tagged(tag).write(data).finalize(); }

namespace {
// `md` is fetched once per digest by the caller: a static here would be
// shared by every digest of the same length.
template <size_t N>
std::array<uint8_t, N> evp_digest(const EVP_MD* md, const char* name, ByteView data) {
  if (!md) throw std::runtime_error(std::string("OpenSSL lacks digest ") + name);
  std::array<uint8_t, N> out;
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1 || len != N)
    throw std::runtime_error(std::string("OpenSSL digest failed: ") + name);
  return out;
}
}  // namespace

Bytes20 ripemd160(ByteView data) {
  static thread_local EVP_MD* md = EVP_MD_fetch(nullptr, "RIPEMD160", nullptr);
  return evp_digest<20>(md, "RIPEMD160", data);
}
Bytes20 hash160(ByteView data) { return ripemd160(sha256(data)); }
Bytes20 sha1(ByteView data) {
  static thread_local EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return evp_digest<20>(md, "SHA1", data);
}

std::array<uint8_t, 64> hmac_sha512(ByteView key, ByteView data) {
  std::array<uint8_t, 64> out;
  unsigned int len = 0;
  HMAC(EVP_sha512(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &len);
  return out;
}

Bytes32 hmac_sha256(ByteView key, ByteView data) {
  Bytes32 out;
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &len);
  return out;
}

}  // namespace ladder::crypto
