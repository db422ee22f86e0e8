// KeySource: what the host hands the store to unlock secret columns, and
// KdfParams: how a database turns it into the AES-256-GCM key.
//
// A key source is either the contents of a key file (32 to 4096 bytes, made
// by create_key_file() from the system CSPRNG, readable by its owner only)
// or a passphrase. Each database keeps its own random 32-byte salt and the
// KDF it was created with (in plaintext: neither is secret):
//   key file   -> HKDF-SHA256(ikm = file, salt, info = "ladder/store/v1 aes-256-gcm")
//   passphrase -> scrypt(passphrase, salt, N = 2^log2_n, r, p)
// so the same key file yields unrelated keys for two databases, and a
// database made with a passphrase cannot be opened with a key file or the
// other way round ("store.wrong-key").
//
// Errors: "store.key-file" (missing, unreadable, wrong size, or readable by
// group/others), "store.wrong-key" (source kind does not match the
// database's KDF), "store.corrupt" (stored KDF parameters malformed or out
// of the accepted range), "store.crypto" (OpenSSL failed).
// Thread-safety: immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/secret.h"

namespace ladder::store {

struct ScryptParams {
  uint8_t log2_n = 15;  // 32 MiB and ~0.1 s per derivation with r = 8
  uint32_t r = 8;
  uint32_t p = 1;
};

struct KdfParams {
  enum class Kind : uint8_t { hkdf_sha256 = 1, scrypt = 2 };
  Kind kind = Kind::hkdf_sha256;
  Bytes salt;
  ScryptParams scrypt;  // for Kind::scrypt

  Bytes encode() const;
  static Expected<KdfParams> decode(ByteView data);
};

class KeySource {
 public:
  static Expected<KeySource> read_key_file(const std::string& path);
  // Writes 32 fresh random bytes to `path` (mode 0600, fsynced); fails with
  // "store.key-file" if the file already exists.
  static Expected<KeySource> create_key_file(const std::string& path);
  static KeySource passphrase(std::string_view passphrase, ScryptParams params = {});

  KeySource(KeySource&&) = default;
  KeySource& operator=(KeySource&&) = default;
  KeySource clone() const { return KeySource(material_.clone(), kind_, scrypt_); }

  // Parameters for a new database: this source's KDF with a fresh salt.
  Expected<KdfParams> new_params() const;
  // The cipher for a database created with `params`.
  Expected<Cipher> derive(const KdfParams& params) const;

 private:
  KeySource(SecretBytes material, KdfParams::Kind kind, ScryptParams scrypt)
      : material_(std::move(material)), kind_(kind), scrypt_(scrypt) {}
  SecretBytes material_;
  KdfParams::Kind kind_;
  ScryptParams scrypt_;
};

// The two KDFs, exposed for their known-answer tests (RFC 5869, RFC 7914).
Expected<SecretBytes> hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, size_t length);
Expected<SecretBytes> scrypt(ByteView passphrase, ByteView salt, const ScryptParams& params, size_t length);

}  // namespace ladder::store
