#include "wire/noise_crypto.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <secp256k1_ecdh.h>

#include <climits>
#include <memory>
#include <stdexcept>

#include "util/secure.h"

namespace ladder::wire::noise {
namespace {

[[noreturn]] void openssl_failed(const char* what) { throw std::runtime_error(std::string("OpenSSL failed: ") + what); }

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};

// Fetched once: passing EVP_chacha20_poly1305() to every init would make
// OpenSSL 3 look the implementation up again on each call.
const EVP_CIPHER* chacha20_poly1305() {
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  if (!cipher) openssl_failed("EVP_CIPHER_fetch(ChaCha20-Poly1305)");
  return cipher;
}

// Per-thread cipher contexts, one per direction, bound to the cipher once;
// each operation installs its own key and nonce, overwriting the previous.
EVP_CIPHER_CTX* cipher_ctx(bool encrypt) {
  struct Contexts {
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> enc{EVP_CIPHER_CTX_new()};
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> dec{EVP_CIPHER_CTX_new()};
    Contexts() {
      if (!enc || !dec) openssl_failed("EVP_CIPHER_CTX_new");
      if (EVP_EncryptInit_ex2(enc.get(), chacha20_poly1305(), nullptr, nullptr, nullptr) != 1 ||
          EVP_DecryptInit_ex2(dec.get(), chacha20_poly1305(), nullptr, nullptr, nullptr) != 1)
        openssl_failed("ChaCha20-Poly1305 context");
    }
  };
  thread_local Contexts contexts;
  return encrypt ? contexts.enc.get() : contexts.dec.get();
}

std::array<unsigned char, 12> noise_nonce(uint64_t n) {
  std::array<unsigned char, 12> iv{};
  for (int i = 0; i < 8; ++i) iv[4 + i] = static_cast<unsigned char>(n >> (8 * i));
  return iv;
}

int checked_len(size_t n) {
  if (n > static_cast<size_t>(INT_MAX)) throw std::invalid_argument("noise: AEAD input too large");
  return static_cast<int>(n);
}

}  // namespace

HkdfPair hkdf2(ByteView salt, ByteView ikm) {
  static EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (!kdf) openssl_failed("EVP_KDF_fetch(HKDF)");
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(EVP_KDF_CTX_new(kdf));
  if (!ctx) openssl_failed("EVP_KDF_CTX_new");
  char digest[] = "SHA256";
  // OpenSSL rejects a missing key but accepts an empty one; the pointer must
  // be non-null even when the length is zero.
  unsigned char empty = 0;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                        ikm.empty() ? &empty : const_cast<uint8_t*>(ikm.data()), ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<uint8_t*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_end(),
  };
  std::array<uint8_t, 64> okm;
  if (EVP_KDF_derive(ctx.get(), okm.data(), okm.size(), params) != 1) openssl_failed("HKDF derive");
  HkdfPair out;
  std::copy(okm.begin(), okm.begin() + 32, out.first.begin());
  std::copy(okm.begin() + 32, okm.end(), out.second.begin());
  secure_wipe(okm.data(), okm.size());
  return out;
}

void aead_encrypt(const Bytes32& key, uint64_t nonce, ByteView ad, ByteView plaintext, Bytes& out) {
  EVP_CIPHER_CTX* ctx = cipher_ctx(true);
  auto iv = noise_nonce(nonce);
  if (EVP_EncryptInit_ex2(ctx, nullptr, key.data(), iv.data(), nullptr) != 1) openssl_failed("ChaCha20-Poly1305 init");
  int len = 0;
  if (!ad.empty() && EVP_EncryptUpdate(ctx, nullptr, &len, ad.data(), checked_len(ad.size())) != 1)
    openssl_failed("ChaCha20-Poly1305 AD");
  const size_t start = out.size();
  out.resize(start + plaintext.size() + kTagSize);
  if (!plaintext.empty() &&
      EVP_EncryptUpdate(ctx, out.data() + start, &len, plaintext.data(), checked_len(plaintext.size())) != 1)
    openssl_failed("ChaCha20-Poly1305 encrypt");
  if (EVP_EncryptFinal_ex(ctx, out.data() + start + plaintext.size(), &len) != 1)
    openssl_failed("ChaCha20-Poly1305 final");
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, kTagSize, out.data() + start + plaintext.size()) != 1)
    openssl_failed("ChaCha20-Poly1305 tag");
}

Status aead_decrypt(const Bytes32& key, uint64_t nonce, ByteView ad, ByteView sealed, Bytes& out) {
  if (sealed.size() < kTagSize) return make_error("noise.bad-tag", "sealed data shorter than a tag");
  const size_t ct_len = sealed.size() - kTagSize;
  EVP_CIPHER_CTX* ctx = cipher_ctx(false);
  auto iv = noise_nonce(nonce);
  if (EVP_DecryptInit_ex2(ctx, nullptr, key.data(), iv.data(), nullptr) != 1) openssl_failed("ChaCha20-Poly1305 init");
  int len = 0;
  if (!ad.empty() && EVP_DecryptUpdate(ctx, nullptr, &len, ad.data(), checked_len(ad.size())) != 1)
    openssl_failed("ChaCha20-Poly1305 AD");
  const size_t start = out.size();
  out.resize(start + ct_len);
  if (ct_len > 0 && EVP_DecryptUpdate(ctx, out.data() + start, &len, sealed.data(), checked_len(ct_len)) != 1)
    openssl_failed("ChaCha20-Poly1305 decrypt");
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, kTagSize, const_cast<uint8_t*>(sealed.data() + ct_len)) != 1)
    openssl_failed("ChaCha20-Poly1305 set tag");
  if (EVP_DecryptFinal_ex(ctx, out.data() + start, &len) != 1) {
    secure_wipe(out.data() + start, ct_len);
    out.resize(start);
    return make_error("noise.bad-tag", "authentication failed");
  }
  return ok();
}

Bytes32 ecdh(const crypto::PubKey& point, const crypto::SecretKey& secret) {
  const crypto::Scalar d = secret.scalar();
  Bytes32 out;
  // A null hash function selects libsecp256k1's default: SHA-256 of the
  // compressed shared point, exactly BOLT #8's ECDH.
  if (secp256k1_ecdh(crypto::secp_context(), out.data(), &point.raw(), d.bytes().data(), nullptr, nullptr) != 1)
    throw std::logic_error("secp256k1_ecdh failed on a valid key");
  return out;
}

}  // namespace ladder::wire::noise
