// KeyVault: the factory keys L holds for departed clients — handed over
// (options 1/2) or extracted from a claim (options 3/3b) — encrypted at rest
// and scoped to the one factory each belongs to (DESIGN §6 (R)).
//
// What: each key is a store secret (kind "migrate/departed-key", id = the
// factory id, big-endian, then the 33-byte public key), which SqliteStore
// seals with AES-256-GCM bound to that cell; a plain record
// ("migrate/key-scope", id = the public key) names its factory. A key is
// put once, for one factory: putting it for a second factory is refused, and
// so is asking for it in any factory but its own — L signs as a departed
// client only in that client's old factory. Keys are checked against their
// public key on the way in and on the way out.
//
// Persistence: put() is one store step; put_in() writes inside a caller's
// step, so a core records the key with the rest of its round (and, as
// always, reveals nothing that depends on it before the step committed).
//
// Borrows the store, which must outlive the vault. Not thread-safe (as the
// store). Failure: "migrate.key-other-factory", "migrate.key-out-of-scope",
// "migrate.unknown-key", "migrate.key-corrupt", and store errors.
#pragma once

#include <vector>

#include "crypto/secp.h"
#include "factory/tree.h"
#include "migrate/departed_keys.h"
#include "store/record_store.h"

namespace ladder::migrate {

class KeyVault {
 public:
  explicit KeyVault(store::RecordStore& store) : store_(store) {}

  // Stores `key` as a departed client's key in `factory`; idempotent.
  Status put(uint64_t factory, const crypto::SecretKey& key);
  static Status put_in(store::StepWriter& w, uint64_t factory, const crypto::SecretKey& key);

  // The secret of `pubkey` for use in `factory`.
  Expected<crypto::SecretKey> key_for(uint64_t factory, const crypto::PubKey& pubkey);
  bool holds(uint64_t factory, const crypto::PubKey& pubkey);
  // The public keys held for `factory`, ordered by their bytes.
  Expected<std::vector<crypto::PubKey>> departed(uint64_t factory);
  // Every key held for `tree`'s factory, by client index, for the code that
  // signs as departed clients (reallocation, sweeps).
  Expected<DepartedKeys> departed_keys(const factory::Tree& tree);

 private:
  store::RecordStore& store_;
};

}  // namespace ladder::migrate
