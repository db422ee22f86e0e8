// The record store's migrations. Append-only: never edit a shipped entry,
// add a new one at the end (see migration.h).
#include "store/sqlite_store.h"

namespace ladder::store {

std::span<const Migration> SqliteStore::migrations() {
  static const Migration kMigrations[] = {
      {"records, secrets and logs",
       "CREATE TABLE store_meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
       "CREATE TABLE records (kind TEXT NOT NULL, id BLOB NOT NULL, revision INTEGER NOT NULL,"
       " value BLOB NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;"
       "CREATE TABLE secrets (kind TEXT NOT NULL, id BLOB NOT NULL, sealed BLOB NOT NULL,"
       " PRIMARY KEY (kind, id)) WITHOUT ROWID;"
       "CREATE TABLE log_entries (log TEXT NOT NULL, seq INTEGER NOT NULL, value BLOB NOT NULL,"
       " PRIMARY KEY (log, seq)) WITHOUT ROWID;",
       {}},
  };
  return kMigrations;
}

}  // namespace ladder::store
