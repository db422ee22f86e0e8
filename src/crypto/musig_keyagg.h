// MuSig2 (BIP-327) key sorting, key aggregation and tweaking.
//
// What: KeyAggContext is BIP-327's KeyAgg Context (Q, gacc, tacc) together
// with the signer list and every signer's key-aggregation coefficient, so
// sessions never recompute them. It is an immutable value: the signer list
// and coefficients live behind a shared_ptr, so copying a context (e.g. once
// per transaction of a factory tree) costs a pointer copy and ~130 bytes, and
// applying a tweak shares the list with the untweaked context.
//
// Cost: create() with n parsed keys does n-1 point multiplications (the
// second distinct key has coefficient 1, BIP-327's optimization) and one
// n-point sum; creating from bytes adds n point decompressions.
//
// Thread-safety: immutable after construction; share freely across threads.
//
// Failure (Expected): "musig.invalid-contribution" with Error::index = the
// signer's position and Error::what = "pubkey" for a key that does not parse;
// "musig.no-keys"; "musig.aggregate-infinity" (Q is the point at infinity);
// "musig.tweak-out-of-range" (BIP: "The tweak must be less than n.");
// "musig.tweak-infinity" (BIP: "The result of tweaking cannot be infinity.").
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "crypto/secp.h"

namespace ladder::crypto::musig {

inline constexpr const char* kInvalidContribution = "musig.invalid-contribution";

// One tweak of the aggregate key: plain (Q + t·G) or x-only (with_even_y(Q) + t·G).
struct Tweak {
  Bytes32 tweak;
  bool is_xonly = false;
};

// KeySort: lexicographic order of the 33-byte serializations.
std::vector<PubKey> key_sort(std::span<const PubKey> pubkeys);
std::vector<Bytes33> key_sort(std::span<const Bytes33> pubkeys);

// Parses BIP-327 individual public keys (33-byte compressed), blaming the
// first invalid one: "musig.invalid-contribution", index = its position,
// what = "pubkey".
Expected<std::vector<PubKey>> parse_pubkeys(std::span<const Bytes33> pubkeys);

class KeyAggContext {
 public:
  // KeyAgg over the keys in the given order (callers that want
  // order-independence sort first with key_sort).
  static Expected<KeyAggContext> create(std::span<const PubKey> pubkeys);
  static Expected<KeyAggContext> create(std::span<const Bytes33> pubkeys);

  // ApplyTweak; returns a new context sharing this one's signer list.
  Expected<KeyAggContext> apply_tweak(const Tweak& tweak) const;
  Expected<KeyAggContext> apply_tweaks(std::span<const Tweak> tweaks) const;

  // Q, the (tweaked) aggregate point: GetPlainPubkey / GetXonlyPubkey.
  const PubKey& aggregate_pubkey() const { return q_; }
  XOnlyPubKey xonly_pubkey() const { return q_.xonly(); }

  size_t size() const { return keys_->pubkeys.size(); }
  const std::vector<PubKey>& pubkeys() const { return keys_->pubkeys; }
  // KeyAggCoeff of the signer at `index` (< size()).
  const Scalar& coefficient(size_t index) const { return keys_->coefficients.at(index); }
  // Position of the first occurrence of `pubkey`, if it is a signer.
  std::optional<size_t> index_of(const PubKey& pubkey) const;

  // gacc = -1 (true) or 1 (false); tacc, the accumulated tweak.
  bool gacc_negated() const { return gacc_negated_; }
  const Scalar& tacc() const { return tacc_; }

 private:
  struct Signers {
    std::vector<PubKey> pubkeys;
    std::vector<Scalar> coefficients;
    std::vector<std::pair<Bytes33, uint32_t>> sorted_index;  // for index_of
  };
  KeyAggContext(std::shared_ptr<const Signers> keys, const PubKey& q, bool gacc_negated, const Scalar& tacc)
      : keys_(std::move(keys)), q_(q), gacc_negated_(gacc_negated), tacc_(tacc) {}

  std::shared_ptr<const Signers> keys_;
  PubKey q_;
  bool gacc_negated_;
  Scalar tacc_;
};

}  // namespace ladder::crypto::musig
