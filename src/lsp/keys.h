// The LSP's keys, all derived from its one seed (a secret record in its
// store): a factory key per factory (hardened, at the factory's id), a
// channel seed per channel (independent of the factory key, DESIGN §1), and
// the wallet key.
//
// Secrets: nothing here is printable; keys wipe themselves. Thread-safety:
// immutable after creation. Failure: key derivation errors ("keys.*").
#pragma once

#include "crypto/factory_keys.h"

namespace ladder::lsp {

class LspKeys {
 public:
  static Expected<LspKeys> from_seed(const Bytes32& seed, crypto::KeyNetwork network);

  Expected<crypto::SecretKey> factory_key(uint64_t factory_id) const;
  // The seed of L's side of the channel of `client` in `factory_id`.
  Bytes32 channel_seed(uint64_t factory_id, uint32_t client) const;
  const crypto::SecretKey& wallet_key() const { return wallet_; }
  // L's key in the on-chain output O of one migration (options 2/3).
  crypto::SecretKey migration_key(const Bytes32& migration_id) const;

 private:
  LspKeys(crypto::FactoryKeyChain chain, const Bytes32& seed, crypto::SecretKey wallet)
      : chain_(std::move(chain)), seed_(seed), wallet_(std::move(wallet)) {}
  crypto::FactoryKeyChain chain_;
  Bytes32 seed_;
  crypto::SecretKey wallet_;
};

}  // namespace ladder::lsp
