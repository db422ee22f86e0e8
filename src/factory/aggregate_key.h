// Aggregate keys of factory outputs: MuSig2 (BIP-327) over the sorted keys
// of an output's signers, made a BIP-341 output key by the taproot tweak
// (with the output's script tree, or none).
//
// AggregateKey bundles the untweaked context (the taproot internal key), the
// tweaked context signers sign with, and the taproot output. It is
// immutable and shared.
//
// KeyCache is a process-wide, content-addressed cache of AggregateKeys:
// every signer hosted in one process (the LSP and, in the simulator, all the
// clients) aggregates each distinct signer set once. Entries are held weakly
// and disappear when no tree uses them. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "btc/taproot.h"
#include "crypto/musig.h"

namespace ladder::factory {

struct AggregateKey {
  crypto::musig::KeyAggContext internal;  // untweaked: the taproot internal key
  crypto::musig::KeyAggContext tweaked;   // with the taproot tweak: signs key-path spends
  btc::TaprootOutput output;

  Bytes script;  // the P2TR scriptPubKey
  crypto::XOnlyPubKey output_xonly;  // the output key, parsed once (signatures verify against it)
  // Keeps the shared untweaked context alive while any output uses it.
  std::shared_ptr<const crypto::musig::KeyAggContext> internal_owner;
};

class KeyCache {
 public:
  static KeyCache& shared();

  // The aggregate key of `keys` (any order; sorted here, BIP-327 KeySort)
  // committing to `merkle_root`. Errors: those of KeyAgg and the tweak.
  Expected<std::shared_ptr<const AggregateKey>> get(std::vector<crypto::PubKey> keys,
                                                    const std::optional<Bytes32>& merkle_root);

  size_t size() const;

 private:
  struct Hash {
    size_t operator()(const Bytes32& b) const;
  };
  mutable std::mutex mu_;
  std::unordered_map<Bytes32, std::weak_ptr<const AggregateKey>, Hash> map_;
  std::unordered_map<Bytes32, std::weak_ptr<const crypto::musig::KeyAggContext>, Hash> internal_;
  size_t inserts_since_purge_ = 0;
};

}  // namespace ladder::factory
