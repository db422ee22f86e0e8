// A client's keys, all from its wallet seed: a factory key per factory at
// an index the client chooses (hardened, never reused: DESIGN §1), a channel
// seed per channel (independent of the factory key), and its on-chain
// wallet key.
//
// Secrets: nothing here is printable. Thread-safety: immutable after
// creation. Failure: derivation errors ("keys.*").
#pragma once

#include "crypto/factory_keys.h"

namespace ladder::client {

class ClientKeys {
 public:
  static Expected<ClientKeys> from_seed(const Bytes32& seed, crypto::KeyNetwork network);

  Expected<crypto::SecretKey> factory_key(uint32_t index) const { return chain_.factory_key(index); }
  Bytes32 channel_seed(uint32_t index) const;
  const crypto::SecretKey& wallet_key() const { return wallet_; }

 private:
  ClientKeys(crypto::FactoryKeyChain chain, const Bytes32& seed, crypto::SecretKey wallet)
      : chain_(std::move(chain)), seed_(seed), wallet_(std::move(wallet)) {}
  crypto::FactoryKeyChain chain_;
  Bytes32 seed_;
  crypto::SecretKey wallet_;
};

}  // namespace ladder::client
