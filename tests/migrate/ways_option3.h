// Option 3 (PTLC assisted exit) wired into the test World/Host: the client's
// and L's flows, L's store and vault, the day's batch, and the steps the
// cores would take (terms, lock-in, batch, claim session, funding).
#pragma once

#include "migrate/ptlc_exit.h"
#include "store/memory_store.h"
#include "ways_fixture.h"

namespace ladder::migrate::test {

struct Option3 {
  explicit Option3(WorldSetup setup = {});

  World w;
  Host host{w};
  store::MemoryStore lsp_store, client_store;
  KeyVault vault{lsp_store};
  ClientKeyLedger ledger{client_store};
  crypto::SecretKey fresh = crypto::SecretKey::generate();
  crypto::SecretKey lsp_key = crypto::SecretKey::generate();
  crypto::SecretKey claim_key = crypto::SecretKey::generate();
  Bytes claim_script;
  MigrationId id = crypto::random_bytes32();
  MigrateRequest request;
  std::optional<PtlcExitClient> client;
  std::optional<PtlcExitLsp> lsp;
  std::optional<Batch> batch;
  std::optional<btc::Transaction> batch_tx;
  btc::Amount client_balance = 0, lsp_balance = 0;  // old channel, before

  // Request, terms, the PTLC locked in.
  void lock_leg();
  // The batch with O frozen and claim version 0 completed.
  void run_session();
  // L funds O (broadcasts the batch).
  void fund();
  const MigrateTerms& terms() const { return lsp->terms(); }
  btc::Amount claim_value() const;  // what the client's claim pays (0 if none confirmed)
  // Both legs settled and the key with L, every satoshi accounted for (gtest checks).
  void expect_migrated();
  // Nothing moved: the client's balance is back (or never left), the key never did.
  void expect_untouched();
};

}  // namespace ladder::migrate::test
