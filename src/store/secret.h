// Secrets at rest: a wiped byte buffer, AES-256-GCM sealing bound to where a
// value is stored, and a helper for secret columns.
//
// What counts as secret: keys handed over in a migration, seeds, revocation
// secrets: anything whose leak lets someone take funds. MuSig2 secret nonces
// are never stored at all (a restarted signer runs the round again with
// fresh nonces; storing one invites reuse), so nothing here is meant for them.
//
// Sealed value: [0x01 format][12-byte random nonce][ciphertext][16-byte tag].
// The associated data names the cell, "ladder/store/v1" followed by the
// table, the column and the row key, each length-prefixed, so a ciphertext
// copied into another row or column fails to open. A fresh random nonce per
// value keeps a key safe for 2^32 seals (NIST SP 800-38D), far more than a
// node's secrets. Nothing here prevents replacing a cell with an older
// ciphertext of the same cell (a rollback): that needs state outside the file.
//
// Errors: "store.decrypt" (wrong key, tampered or moved value, malformed),
// "store.crypto" (OpenSSL or the system RNG failed).
// Thread-safety: a Cipher is immutable after construction; seal()/open() may
// run concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.h"

namespace ladder::store {

// An owning byte buffer that is wiped when destroyed or overwritten.
// Move-only; clone() copies explicitly. Never printed.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(ByteView v) : v_(v.begin(), v.end()) {}
  explicit SecretBytes(size_t n) : v_(n, 0) {}
  SecretBytes(SecretBytes&& o) noexcept : v_(std::move(o.v_)) { o.v_.clear(); }
  SecretBytes& operator=(SecretBytes&& o) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() { wipe(); }

  SecretBytes clone() const { return SecretBytes(view()); }
  ByteView view() const { return v_; }
  uint8_t* data() { return v_.data(); }
  size_t size() const { return v_.size(); }
  bool empty() const { return v_.empty(); }
  // Constant-time in the contents (not the length).
  bool equals(ByteView other) const;

 private:
  void wipe();
  std::vector<uint8_t> v_;
};

// The associated data that binds a sealed value to its cell.
Bytes cell_aad(std::string_view table, std::string_view column, ByteView row_key);

class Cipher {
 public:
  static constexpr size_t kKeySize = 32;
  static constexpr size_t kOverhead = 1 + 12 + 16;

  // `key` must be kKeySize bytes (a programmer error otherwise).
  explicit Cipher(SecretBytes key);

  // Encrypts under a fresh random nonce.
  Expected<Bytes> seal(ByteView plaintext, ByteView aad) const;
  // Decrypts and authenticates; "store.decrypt" unless `sealed` was made by
  // seal() with this key and this exact `aad`.
  Expected<SecretBytes> open(ByteView sealed, ByteView aad) const;

 private:
  SecretBytes key_;
};

// One secret column of one table: seals and opens values bound to their row.
// Borrows the Cipher, which must outlive it.
class SecretColumn {
 public:
  SecretColumn(const Cipher& cipher, std::string table, std::string column)
      : cipher_(&cipher), table_(std::move(table)), column_(std::move(column)) {}

  Expected<Bytes> seal(ByteView row_key, ByteView plaintext) const {
    return cipher_->seal(plaintext, cell_aad(table_, column_, row_key));
  }
  Expected<SecretBytes> open(ByteView row_key, ByteView sealed) const {
    return cipher_->open(sealed, cell_aad(table_, column_, row_key));
  }

 private:
  const Cipher* cipher_;
  std::string table_;
  std::string column_;
};

// `n` bytes from the system CSPRNG ("store.crypto" if it fails).
Expected<SecretBytes> random_secret(size_t n);

}  // namespace ladder::store
