// secp256k1 keys, scalars and points on top of Debian's libsecp256k1 0.2.
//
// What: one process-wide context; value types for the things Bitcoin and
// MuSig2 (BIP-327) trade in: Scalar (an integer mod the group order n, zero
// allowed), SecretKey (1 <= d < n), PubKey (a point, compressed 33-byte
// form), XOnlyPubKey (BIP-340 32-byte form, even-y point), and the few point
// operations the protocols need (sum, multiply, add a multiple of G,
// negate). No curve arithmetic is done here; every point operation is a
// libsecp256k1 public-API call.
//
// Invariants: a PubKey / XOnlyPubKey always holds a valid point (never
// infinity); operations whose result may be the point at infinity return
// std::optional and std::nullopt means infinity. A SecretKey is never zero.
// Each type keeps both the parsed libsecp256k1 form and the serialized bytes,
// so hot loops neither re-parse nor re-serialize.
//
// Secrets: Scalar and SecretKey wipe their memory on destruction. SecretKey
// has no operator<< and no hex conversion; reveal() exists for the two
// legitimate uses (handover to the LSP and encrypted storage) and is named so
// that a reviewer sees it.
//
// Thread-safety: the context is created and randomized once (thread-safe
// static initialization) and afterwards only used for read-only operations,
// so every function here may be called from any thread. Objects are plain
// values: concurrent reads are safe, concurrent writes to one object are not.
//
// Failure: parsers return Expected with codes "crypto.pubkey-length",
// "crypto.pubkey-invalid", "crypto.xonly-length", "crypto.xonly-invalid",
// "crypto.scalar-length", "crypto.scalar-overflow", "crypto.seckey-length",
// "crypto.seckey-invalid". Nothing reads outside the given view.
#pragma once

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>

#include <compare>
#include <optional>
#include <span>

#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::crypto {

using Bytes65 = std::array<uint8_t, 65>;

// The process-wide randomized context (never destroyed).
const secp256k1_context* secp_context();

// Cryptographically secure random bytes (OpenSSL RAND_bytes). A failing
// system RNG is unrecoverable and throws std::runtime_error.
void fill_random(std::span<uint8_t> out);
Bytes32 random_bytes32();

// An integer modulo n, the secp256k1 group order. Zero is a valid value.
// Arithmetic is constant-time in the values (addition and negation are done
// here with masks; multiplication is libsecp256k1's scalar multiplication).
class Scalar {
 public:
  Scalar() : be_{} {}
  Scalar(const Scalar&) = default;
  Scalar& operator=(const Scalar&) = default;
  ~Scalar();

  // Exactly 32 big-endian bytes below n.
  static Expected<Scalar> parse(ByteView bytes);
  // int(bytes) mod n, as BIP-340/327 do with hash outputs.
  static Scalar reduce(const Bytes32& bytes);
  static Scalar from_u64(uint64_t v);
  static Scalar one() { return from_u64(1); }

  bool is_zero() const;
  // Big-endian bytes(32, x).
  const Bytes32& bytes() const { return be_; }

  Scalar operator+(const Scalar& o) const;
  Scalar operator-(const Scalar& o) const { return *this + (-o); }
  Scalar operator-() const;
  Scalar operator*(const Scalar& o) const;
  Scalar& operator+=(const Scalar& o) { return *this = *this + o; }
  // Constant-time equality.
  bool operator==(const Scalar& o) const;

 private:
  friend class SecretKey;  // copies its secret straight into a Scalar
  Bytes32 be_;
};

class XOnlyPubKey;

// A valid secp256k1 point; serialized compressed (33 bytes).
class PubKey {
 public:
  // Exactly 33 bytes, 0x02/0x03 prefix, x on the curve and below p.
  static Expected<PubKey> parse(ByteView bytes);
  static PubKey from_raw(const secp256k1_pubkey& raw);
  // Exactly 65 bytes, 0x04 || x || y, on the curve. Parsing needs no square
  // root, so protocols that move many points may carry them uncompressed.
  static Expected<PubKey> parse_uncompressed(ByteView bytes);
  Bytes65 uncompressed() const;

  const Bytes33& bytes() const { return bytes_; }
  const secp256k1_pubkey& raw() const { return raw_; }
  bool has_even_y() const { return bytes_[0] == 0x02; }
  XOnlyPubKey xonly() const;
  PubKey negated() const;

  bool operator==(const PubKey& o) const { return bytes_ == o.bytes_; }
  std::strong_ordering operator<=>(const PubKey& o) const { return bytes_ <=> o.bytes_; }

 private:
  PubKey(const secp256k1_pubkey& raw, const Bytes33& bytes) : raw_(raw), bytes_(bytes) {}
  secp256k1_pubkey raw_;
  Bytes33 bytes_;
};

// A BIP-340 public key: the x coordinate of the point with even y.
class XOnlyPubKey {
 public:
  // Exactly 32 bytes, an x coordinate below p that is on the curve.
  static Expected<XOnlyPubKey> parse(ByteView bytes);

  const Bytes32& bytes() const { return bytes_; }
  const secp256k1_xonly_pubkey& raw() const { return xonly_; }
  // lift_x: the point with this x and even y.
  const PubKey& point() const { return even_; }

  bool operator==(const XOnlyPubKey& o) const { return bytes_ == o.bytes_; }
  std::strong_ordering operator<=>(const XOnlyPubKey& o) const { return bytes_ <=> o.bytes_; }

 private:
  friend class PubKey;
  explicit XOnlyPubKey(const PubKey& even);
  PubKey even_;
  secp256k1_xonly_pubkey xonly_;
  Bytes32 bytes_;
};

// A secret key 1 <= d < n with its public key computed once.
// Copyable (every copy wipes itself); never printable.
class SecretKey {
 public:
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  // Exactly 32 bytes, 0 < int(bytes) < n.
  static Expected<SecretKey> parse(ByteView bytes);
  static Expected<SecretKey> from_scalar(const Scalar& d);
  static SecretKey generate();

  const PubKey& pubkey() const { return pub_; }
  const XOnlyPubKey& xonly_pubkey() const { return xonly_; }
  Scalar scalar() const;
  const secp256k1_keypair& keypair() const { return keypair_; }
  // The 32 secret bytes: only for handover and encrypted storage.
  Bytes32 reveal() const;

 private:
  explicit SecretKey(const secp256k1_keypair& kp);
  secp256k1_keypair keypair_;
  PubKey pub_;
  XOnlyPubKey xonly_;
};

// Point operations. std::nullopt means the point at infinity.
std::optional<PubKey> point_sum(std::span<const secp256k1_pubkey* const> points);
std::optional<PubKey> point_add(const PubKey& a, const PubKey& b);
// k·P
std::optional<PubKey> point_mul(const PubKey& p, const Scalar& k);
// k·G
std::optional<PubKey> generator_mul(const Scalar& k);
// P + k·G
std::optional<PubKey> point_add_generator_mul(const PubKey& p, const Scalar& k);

}  // namespace ladder::crypto
