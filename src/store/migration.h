// Schema migrations: an append-only, numbered list per component.
//
// A component (the record store, a daemon's own tables, ...) owns a list of
// migrations; migration i of the list (0-based) is schema version i+1. Once
// shipped, a migration is never edited or removed; changes are new entries
// at the end. migrate() applies the missing ones in order, each in its own
// transaction together with its row in `schema_version`, so a crash leaves
// the database at some whole version, and the next open resumes from there.
//
// Each migration is a SQL script and, optionally, a C++ step run after the
// script inside the same transaction (to rewrite values SQL cannot, e.g.
// re-encode blobs). Both see the database as of the previous version.
//
// Errors:
//   "store.schema-too-new"  the database has versions this code does not
//                           know (written by a newer Ladder): refuse to touch;
//   "store.schema-mismatch" a recorded version has another name than the
//                           code's migration of that number (a database of
//                           another program or branch);
//   any error of the failing script or step, its message prefixed with the
//   migration's number and name; that migration is rolled back.
// Not thread-safe (uses the Database).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "store/database.h"

namespace ladder::store {

struct Migration {
  std::string name;                        // recorded; never renamed once shipped
  std::string sql;                         // may be empty if `step` does the work
  std::function<Status(Database&)> step;   // optional
};

// Brings `component` up to migrations.size(). Returns the number applied.
Expected<size_t> migrate(Database& db, std::string_view component, std::span<const Migration> migrations);

// The highest applied version of `component` (0 if none).
Expected<int64_t> schema_version(Database& db, std::string_view component);

}  // namespace ladder::store
