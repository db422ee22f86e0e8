// Handover: the client gives L its old factory key once its old channel
// holds nothing of its own (options 1 and 2, DESIGN §6), and the client's
// ledger of factory keys that makes such a key unusable in any later
// factory (DESIGN §1, §5 (R)).
//
// Client side: make_handover() refuses unless the client agrees (its policy
// or its user) and the reveal conditions hold on its old channel — quiescent,
// zero own balance, no HTLC/PTLC at all (legs.h) — then records the public
// key as handed over, durably, and only then returns the message carrying
// the secret (persist before reveal). A client that refuses stays a present
// client of the old factory and keeps its passive protection.
//
// ClientKeyLedger: the derivation indexes the client chose for its factory
// keys (crypto/factory_keys.h: m/LADD'/network'/index'), each persisted
// before the public key is sent and never reused, and the public keys it
// revealed. fill() puts the latter into factory::ClientExpectations, whose
// Signer refuses any factory containing one ("factory.handed-over-key").
//
// LSP side: accept_handover() checks the secret against the client's key in
// that factory and stores it in the KeyVault, scoped to the factory.
//
// Borrows the store / vault. Not thread-safe. Failure:
// "migrate.handover-declined", "migrate.wrong-factory",
// "migrate.bad-handover-key", "migrate.index-reused", those of
// check_reveal_conditions, KeyVault and the store.
#pragma once

#include <optional>
#include <set>

#include "factory/signer.h"
#include "migrate/key_vault.h"
#include "migrate/legs.h"
#include "migrate/messages.h"
#include "store/record_store.h"

namespace ladder::migrate {

class ClientKeyLedger {
 public:
  explicit ClientKeyLedger(store::RecordStore& store) : store_(store) {}

  // Persists `index` as used; "migrate.index-reused" if it already was.
  Status reserve_index(uint32_t index);
  // Chooses the lowest index never used and reserves it.
  Expected<uint32_t> reserve_next_index();
  bool index_used(uint32_t index);

  // Records a public key as handed over (inside a caller's step, or its own).
  static Status record_handover_in(store::StepWriter& w, const crypto::PubKey& key);
  Status record_handover(const crypto::PubKey& key);
  Expected<std::set<Bytes33>> handed_over();
  // Adds every handed-over key to `expect.handed_over_keys`.
  Status fill(factory::ClientExpectations& expect);

 private:
  store::RecordStore& store_;
};

// Client side (see the header comment).
Expected<Handover> make_handover(const MigrationId& id, uint64_t old_factory, const channel::Channel& old_channel,
                                 const crypto::SecretKey& factory_key, bool client_agrees, ClientKeyLedger& ledger);

// LSP side: `factory` and `client_key` are the old factory and the client's
// key in it, as L knows them.
Expected<HandoverAck> accept_handover(const Handover& msg, uint64_t factory, const crypto::PubKey& client_key,
                                      KeyVault& vault);

}  // namespace ladder::migrate
