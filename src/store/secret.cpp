#include "store/secret.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

#include "util/secure.h"
#include "util/serialize.h"

namespace ladder::store {
namespace {

constexpr uint8_t kFormat = 0x01;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

Error crypto_error(const char* what) { return make_error("store.crypto", std::string("AES-256-GCM: ") + what); }

int as_int(size_t n) {
  if (n > 0x7fffffff) throw std::length_error("store: value too large to seal");
  return static_cast<int>(n);
}

}  // namespace

SecretBytes& SecretBytes::operator=(SecretBytes&& o) noexcept {
  if (this != &o) {
    wipe();
    v_ = std::move(o.v_);
    o.v_.clear();
  }
  return *this;
}

void SecretBytes::wipe() {
  if (!v_.empty()) secure_wipe(v_.data(), v_.size());
}

bool SecretBytes::equals(ByteView other) const {
  return other.size() == v_.size() && CRYPTO_memcmp(v_.data(), other.data(), v_.size()) == 0;
}

Expected<SecretBytes> random_secret(size_t n) {
  SecretBytes out(n);
  if (n > 0 && RAND_bytes(out.data(), as_int(n)) != 1) return make_error("store.crypto", "RAND_bytes failed");
  return out;
}

Bytes cell_aad(std::string_view table, std::string_view column, ByteView row_key) {
  Writer w;
  static constexpr std::string_view kDomain = "ladder/store/v1";
  w.bytes(ByteView(reinterpret_cast<const uint8_t*>(kDomain.data()), kDomain.size()));
  w.var_bytes(ByteView(reinterpret_cast<const uint8_t*>(table.data()), table.size()));
  w.var_bytes(ByteView(reinterpret_cast<const uint8_t*>(column.data()), column.size()));
  w.var_bytes(row_key);
  return w.take();
}

Cipher::Cipher(SecretBytes key) : key_(std::move(key)) {
  if (key_.size() != kKeySize) throw std::invalid_argument("store::Cipher: key must be 32 bytes");
}

Expected<Bytes> Cipher::seal(ByteView plaintext, ByteView aad) const {
  Bytes out(kOverhead + plaintext.size());
  out[0] = kFormat;
  uint8_t* nonce = out.data() + 1;
  uint8_t* body = nonce + kNonceSize;
  if (RAND_bytes(nonce, kNonceSize) != 1) return crypto_error("RAND_bytes failed");
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.view().data(), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), as_int(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), body, &len, plaintext.data(), as_int(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, body + plaintext.size()) != 1)
    return crypto_error("encryption failed");
  return out;
}

Expected<SecretBytes> Cipher::open(ByteView sealed, ByteView aad) const {
  if (sealed.size() < kOverhead || sealed[0] != kFormat)
    return make_error("store.decrypt", "sealed value is malformed (" + std::to_string(sealed.size()) + " bytes)");
  const uint8_t* nonce = sealed.data() + 1;
  const uint8_t* body = nonce + kNonceSize;
  size_t n = sealed.size() - kOverhead;
  SecretBytes plain(n);
  Bytes tag(body + n, body + n + kTagSize);
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.view().data(), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), as_int(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plain.data(), &len, body, as_int(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) != 1)
    return crypto_error("decryption setup failed");
  if (EVP_DecryptFinal_ex(ctx.get(), plain.data() + len, &len) != 1)
    return make_error("store.decrypt", "authentication failed: wrong key, or the value was altered or moved");
  return plain;
}

}  // namespace ladder::store
