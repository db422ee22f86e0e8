// The handed-over factory keys of one factory's departed clients, as L may
// use them (DESIGN §6 "What L does with handed-over keys").
//
// What: a set of (client index → factory secret key) bound to ONE factory
// by the hash of its terms. Every key is checked at creation to be exactly
// that client's factory key in those terms; every use names the tree it is
// for and is refused when that tree belongs to another factory (R: keys are
// scoped to their factory, L refuses to use them outside it). Nothing here
// stores keys: the key vault keeps them encrypted at rest and hands a
// DepartedKeys to the code that signs.
//
// Ownership: owns copies of the secret keys (wiped on destruction by
// crypto::SecretKey). Thread-safety: immutable after creation; share freely.
// Failure: "migrate.key-out-of-scope" (a key that is not this factory's
// client key, or a use with another factory's tree), "migrate.not-departed"
// (no key held for that client).
#pragma once

#include <map>
#include <vector>

#include "crypto/secp.h"
#include "factory/tree.h"

namespace ladder::migrate {

class DepartedKeys {
 public:
  // Binds `keys` to the factory of `tree`; each must be its client's key there.
  static Expected<DepartedKeys> create(const factory::Tree& tree, std::map<uint32_t, crypto::SecretKey> keys);

  uint64_t factory_id() const { return factory_id_; }
  size_t size() const { return keys_.size(); }
  bool departed(uint32_t client) const { return keys_.count(client) > 0; }
  // Whether every client of [first, first + count) departed (false for count 0).
  bool all_departed(uint32_t first, uint32_t count) const;
  std::vector<uint32_t> clients() const;

  // Refuses a tree of any other factory ("migrate.key-out-of-scope").
  Status check_scope(const factory::Tree& tree) const;
  // The key of `client` for use in `tree`'s factory.
  Expected<crypto::SecretKey> key(const factory::Tree& tree, uint32_t client) const;
  // The keys of every client of [first, first + count), for `tree`'s factory.
  Expected<std::vector<crypto::SecretKey>> keys(const factory::Tree& tree, uint32_t first, uint32_t count) const;

 private:
  DepartedKeys() = default;
  uint64_t factory_id_ = 0;
  Bytes32 terms_hash_{};
  std::map<uint32_t, crypto::SecretKey> keys_;
};

}  // namespace ladder::migrate
