// MuSig2 (BIP-327) nonces: generation, the public and aggregate forms, and
// the secret nonce.
//
// What: PubNonce (two points, 66 bytes), AggNonce (two points either of which
// may be infinity, 66 bytes with 33 zero bytes for infinity), SecNonce (the
// signer's k1, k2 and its individual public key), nonce_gen (BIP NonceGen
// with every optional input) and nonce_agg (BIP NonceAgg: one
// secp256k1_ec_pubkey_combine per half over the already-parsed points).
//
// SecNonce rules: move-only; no API copies or serializes it; a move leaves
// the source wiped; signing takes it by rvalue and wipes it; destruction
// wipes it. A wiped nonce fails to sign ("musig.secnonce-invalid"), which is
// how reuse shows. Secret nonces are never persisted (DESIGN §3.3): a restart
// means fresh nonces.
//
// Thread-safety: PubNonce/AggNonce are immutable values. A SecNonce belongs
// to one thread at a time.
//
// Failure: parse errors are "musig.invalid-contribution" with Error::what set
// by the caller ("pubnonce", "aggothernonce", "aggnonce") and Error::index the
// signer (-1 when the aggregator is to blame). nonce_gen fails only if a
// derived nonce is zero ("musig.nonce-zero", probability ~2^-256).
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "crypto/musig_keyagg.h"
#include "crypto/secp.h"

namespace ladder::crypto::musig {

using Bytes66 = std::array<uint8_t, 66>;

class PubNonce {
 public:
  PubNonce(const PubKey& r1, const PubKey& r2) : r1_(r1), r2_(r2) {}
  // 66 bytes: two compressed points, neither infinity.
  static Expected<PubNonce> parse(ByteView bytes, int signer = -1, std::string_view what = "pubnonce");

  // 130 bytes: both points uncompressed. Not BIP-327's encoding; a
  // transport form that parses without square roots (an aggregator of many
  // nonces saves two decompressions per nonce). Same blame rules as parse.
  static Expected<PubNonce> parse_uncompressed(ByteView bytes, int signer = -1, std::string_view what = "pubnonce");
  const PubKey& r1() const { return r1_; }
  const PubKey& r2() const { return r2_; }
  Bytes66 bytes() const;
  std::array<uint8_t, 130> uncompressed_bytes() const;
  bool operator==(const PubNonce&) const = default;

 private:
  PubKey r1_, r2_;
};

class AggNonce {
 public:
  AggNonce(const std::optional<PubKey>& r1, const std::optional<PubKey>& r2) : r1_(r1), r2_(r2) {}
  // 66 bytes: cbytes_ext(R1) || cbytes_ext(R2).
  static Expected<AggNonce> parse(ByteView bytes, std::string_view what = "aggnonce");

  const std::optional<PubKey>& r1() const { return r1_; }
  const std::optional<PubKey>& r2() const { return r2_; }
  Bytes66 bytes() const;
  bool operator==(const AggNonce&) const = default;

 private:
  std::optional<PubKey> r1_, r2_;
};

class SecNonce {
 public:
  SecNonce(SecNonce&& other) noexcept;
  SecNonce& operator=(SecNonce&& other) noexcept;
  SecNonce(const SecNonce&) = delete;
  SecNonce& operator=(const SecNonce&) = delete;
  ~SecNonce();

  // BIP-327's 97-byte form k1 || k2 || pk, accepted only to run the BIP's
  // signing vectors and to interoperate with an external nonce source.
  // Importing the same bytes twice reuses a nonce and leaks the key.
  static SecNonce import_bip327(std::span<const uint8_t, 97> bytes);

  // The individual public key the nonce is bound to (public data).
  const Bytes33& pubkey() const { return pk_; }
  // The matching public nonce; std::nullopt once wiped or if imported
  // values are out of range.
  const std::optional<PubNonce>& pubnonce() const { return pubnonce_; }

 private:
  friend class Session;
  SecNonce() : k1_{}, k2_{}, pk_{} {}
  void wipe();

  Bytes32 k1_, k2_;  // raw, as generated or imported; checked at signing
  Bytes33 pk_;
  std::optional<PubNonce> pubnonce_;
};

struct NoncePair {
  SecNonce secnonce;
  PubNonce pubnonce;
};

// NonceGen's optional inputs. Views must outlive the call.
struct NonceGenOptions {
  const SecretKey* sk = nullptr;           // the signing key, if known
  std::optional<Bytes32> aggpk = {};       // x-only aggregate key, if known
  std::optional<ByteView> msg = {};        // the message, if known
  std::optional<ByteView> extra_in = {};   // any further auxiliary input
  // rand' — only for reproducing test vectors or a caller-owned CSPRNG;
  // repeating it with equal other inputs repeats the nonce. Default: fresh
  // OpenSSL randomness.
  std::optional<Bytes32> rand = {};
};

// NonceGen(sk, pk, aggpk, m, extra_in) for the signer whose individual
// public key is `pk`.
Expected<NoncePair> nonce_gen(const PubKey& pk, const NonceGenOptions& opts = {});

// NonceAgg over parsed public nonces ("musig.no-nonces" when empty).
Expected<AggNonce> nonce_agg(std::span<const PubNonce> pubnonces);

}  // namespace ladder::crypto::musig
