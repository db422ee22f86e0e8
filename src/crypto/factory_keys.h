// Factory keys: a client's key for one factory, derived from its seed with
// hardened derivation only (DESIGN §1, §5).
//
// What: HardenedKeyNode is a BIP-32 extended private key that can only derive
// hardened children (CKDpriv with i >= 2^31, HMAC-SHA512); there is no
// public-key derivation and no non-hardened step anywhere in this API. A
// hardened child is HMAC(chain code, 0x00 || parent key || i), so a child
// secret key — which a client hands to the LSP after migrating — together
// with any public data reveals nothing about its parent or its siblings.
//
// FactoryKeyChain fixes the path m / 1279345732' / network' / index' (the
// purpose 1279345732 is "LADD" in ASCII; network 0 = mainnet, 1 = test
// networks, as in SLIP-44). The client chooses `index`, persists it before
// sending the public key, and never reuses it. Being standard BIP-32, the
// keys can be recovered by any BIP-32 wallet that knows the path.
//
// Secrets: chain codes and keys are wiped on destruction; nothing is printable.
// Thread-safety: immutable values; derivation is a pure function.
// Failure: "keys.seed-length" (BIP-32 seeds are 16..64 bytes),
// "keys.invalid-seed" / "keys.invalid-child" (the ~2^-127 case where BIP-32
// says the key is invalid: choose another seed / index),
// "keys.index-out-of-range" (index >= 2^31).
#pragma once

#include "crypto/secp.h"

namespace ladder::crypto {

class HardenedKeyNode {
 public:
  HardenedKeyNode(const HardenedKeyNode&) = default;
  HardenedKeyNode& operator=(const HardenedKeyNode&) = default;
  ~HardenedKeyNode();

  // BIP-32 master node: HMAC-SHA512("Bitcoin seed", seed).
  static Expected<HardenedKeyNode> master(ByteView seed);
  // CKDpriv(this, index + 2^31); index < 2^31.
  Expected<HardenedKeyNode> child(uint32_t index) const;

  const SecretKey& key() const { return key_; }
  const Bytes32& chain_code() const { return chain_code_; }

 private:
  HardenedKeyNode(const SecretKey& key, const Bytes32& chain_code) : key_(key), chain_code_(chain_code) {}
  static Expected<HardenedKeyNode> from_hmac(const std::array<uint8_t, 64>& i, const Scalar& add, const char* invalid_code);
  SecretKey key_;
  Bytes32 chain_code_;
};

enum class KeyNetwork : uint32_t { mainnet = 0, test = 1 };

inline constexpr uint32_t kFactoryKeyPurpose = 0x4C414444;  // "LADD"

class FactoryKeyChain {
 public:
  static Expected<FactoryKeyChain> from_seed(ByteView seed, KeyNetwork network);
  // The factory key at m / purpose' / network' / index'.
  Expected<SecretKey> factory_key(uint32_t index) const;

 private:
  explicit FactoryKeyChain(const HardenedKeyNode& account) : account_(account) {}
  HardenedKeyNode account_;
};

}  // namespace ladder::crypto
