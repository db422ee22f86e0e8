// Database: one SQLite connection configured for durable protocol state, and
// Statement: a lent prepared statement with typed binds and reads.
//
// open() puts the file in WAL mode with synchronous=FULL (a commit is on disk
// when it returns, at one WAL fsync per transaction, not per row), turns
// foreign keys on and sets a busy timeout. Statements are prepared once per
// SQL text and cached for the connection's life, because the LSP runs the
// same few statements for every step of thousands of channels; prepare()
// lends the cached statement out and the Statement resets it (and clears its
// bindings) when it goes out of scope. Asking for a statement that is already
// lent out prepares a private copy, so nested use of one SQL text is safe.
// The cache is keyed by the SQL text and never shrinks: pass constant SQL
// with parameters, not SQL built from values.
//
// Errors are values, never exceptions (codes are stable):
//   "store.open"       the file cannot be opened or created;
//   "store.corrupt"    the file is not a SQLite database, or is damaged;
//   "store.busy"       another connection holds the lock past the timeout;
//   "store.io"         the OS failed a read, write or sync;
//   "store.full"       the disk or the database is full;
//   "store.readonly"   the file or directory is not writable;
//   "store.constraint" a UNIQUE / NOT NULL / FOREIGN KEY rule refused a write;
//   "store.type"       a column read as the wrong type (or NULL);
//   "store.sql"        anything else, e.g. malformed SQL (a programmer error
//                      that only shows at run time, so it is still a value).
//
// Ownership: a Statement borrows its Database and must not outlive it
// (destroying a Database with Statements still lent out is a programmer error).
// Thread-safety: a Database and its Statements belong to one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ladder::store {

class Database;

class Statement {
 public:
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Bind parameter `i` (1-based). A failing bind is reported by the next
  // step()/run(), so binds chain: st.bind(1, a).bind(2, b).
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, ByteView v);  // BLOB, copied; an empty view binds X''
  Statement& bind_text(int i, std::string_view v);
  Statement& bind_null(int i);

  // Advances to the next row: true if one is available, false when done.
  Expected<bool> step();
  // Runs a statement that returns no rows ("store.sql" if it returns one).
  Status run();

  // Columns (0-based) of the current row. The typed reads return "store.type"
  // unless the column holds exactly that type.
  bool is_null(int c) const;
  Expected<int64_t> int64(int c) const;
  Expected<Bytes> blob(int c) const;
  Expected<std::string> text(int c) const;

 private:
  friend class Database;
  Statement(Database& db, sqlite3_stmt* stmt, bool* in_use);
  void note_bind(int rc);

  Database* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache slot's flag, or nullptr for a private copy
  int bind_rc_ = 0;
};

struct OpenOptions {
  int busy_timeout_ms = 5000;
  bool create = true;  // create the file if missing ("store.open" otherwise)
  // Hold the file lock for the connection's whole life, so that a second
  // process opening the same file gets "store.busy" at open (one daemon per
  // database).
  bool exclusive = false;
  // The SQLite VFS to use by name; empty for the platform's default. Tests
  // register a VFS that fails chosen writes (tests/store/support).
  std::string vfs;
};

class Database {
 public:
  static Expected<std::unique_ptr<Database>> open(const std::string& path, const OpenOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more ';'-separated statements without parameters or results.
  Status exec(std::string_view sql);
  // Lends the cached prepared statement for `sql` (a single statement).
  Expected<Statement> prepare(std::string_view sql);
  // PRAGMA quick_check over every page: "store.corrupt" with SQLite's first
  // complaint if the file is damaged.
  Status check_integrity();

  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t changes() const;
  // True inside BEGIN ... COMMIT.
  bool in_transaction() const;
  const std::string& path() const { return path_; }

  // The error for SQLite result code `rc`, naming what was being done.
  Error error(int rc, std::string_view doing) const;

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status configure(const OpenOptions& options);
  Expected<std::string> pragma_text(std::string_view sql);

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  sqlite3* db_;
  std::string path_;
  std::map<std::string, std::unique_ptr<Cached>, std::less<>> cache_;
};

// Steps `st` to its end and returns `read_row(st)` of every row, in order;
// `read_row` returns Expected<T>. Stops at the first error.
template <class T, class ReadRow>
Expected<std::vector<T>> collect(Statement& st, ReadRow read_row) {
  std::vector<T> out;
  while (true) {
    LADDER_ASSIGN(bool row, st.step());
    if (!row) return out;
    LADDER_ASSIGN(T value, read_row(st));
    out.push_back(std::move(value));
  }
}

// The Error for a SQLite result code (see the codes above).
Error sqlite_error(int rc, std::string_view doing, std::string_view detail);

}  // namespace ladder::store
