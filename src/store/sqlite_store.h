// SqliteStore: the RecordStore in one SQLite file, for the daemons.
//
// Tables (component "records" of schema_version, see migrations()):
//   records(kind, id, revision, value)   plain records;
//   secrets(kind, id, sealed)            AES-256-GCM, bound to (kind, id);
//   log_entries(log, seq, value)         append-only logs;
//   store_meta(name, value)              KDF salt/parameters, key check.
// A step is one BEGIN IMMEDIATE ... COMMIT transaction with
// synchronous=FULL: one WAL fsync per step, whatever its number of rows, and
// the statements are prepared once per connection.
//
// Secrets need a KeySource at open. The first open with a key stores a
// fresh salt, the KDF and a sealed check value; later opens derive the key
// the same way and fail with "store.wrong-key" if the check value does not
// open, before anything else is read. Without a key source the store still
// opens (e.g. for status tools) and secret operations fail "store.no-key".
//
// Errors: see database.h, migration.h, key_source.h and record_store.h.
// Owns its Database. Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>

#include "store/database.h"
#include "store/key_source.h"
#include "store/migration.h"
#include "store/record_store.h"

namespace ladder::store {

struct SqliteStoreOptions {
  OpenOptions database;
  std::optional<KeySource> key;
};

class SqliteStore : public RecordStore {
 public:
  // Opens or creates the file, applies pending migrations, unlocks secrets.
  static Expected<std::unique_ptr<SqliteStore>> open(const std::string& path, SqliteStoreOptions options = {});
  // The record store's schema, append-only (component "records").
  static std::span<const Migration> migrations();

  // For a host's own tables (with their own migration component).
  Database& database() { return *db_; }
  bool has_key() const { return cipher_.has_value(); }

  Status step(const StepFn& fn) override;
  Expected<std::optional<Record>> get(std::string_view kind, ByteView id) override;
  Expected<std::optional<SecretBytes>> get_secret(std::string_view kind, ByteView id) override;
  Expected<std::vector<RecordEntry>> list(std::string_view kind) override;
  Expected<std::vector<SecretEntry>> list_secrets(std::string_view kind) override;
  Expected<std::vector<LogEntry>> read_log(std::string_view log, uint64_t after = 0) override;
  Expected<uint64_t> last_seq(std::string_view log) override;

 private:
  class Writer;
  explicit SqliteStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  Status unlock(const KeySource& key);
  Expected<std::optional<Bytes>> meta(std::string_view name);
  Status set_meta(std::string_view name, ByteView value);
  Expected<const Cipher*> cipher() const;

  std::unique_ptr<Database> db_;
  std::optional<Cipher> cipher_;
  bool in_step_ = false;
};

// The row key a secret's ciphertext is bound to (the AAD's row part).
Bytes secret_row_key(std::string_view kind, ByteView id);

}  // namespace ladder::store
