#include "store/database.h"

#include <sqlite3.h>

namespace ladder::store {

Error sqlite_error(int rc, std::string_view doing, std::string_view detail) {
  const char* code = "store.sql";
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: code = "store.corrupt"; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: code = "store.busy"; break;
    case SQLITE_IOERR: code = "store.io"; break;
    case SQLITE_CANTOPEN: code = "store.open"; break;
    case SQLITE_FULL: code = "store.full"; break;
    case SQLITE_READONLY: code = "store.readonly"; break;
    case SQLITE_CONSTRAINT: code = "store.constraint"; break;
    default: break;
  }
  std::string msg(doing);
  msg += ": ";
  msg += detail.empty() ? std::string_view(sqlite3_errstr(rc)) : detail;
  return make_error(code, std::move(msg));
}

// ---------------------------------------------------------------- Statement

Statement::Statement(Database& db, sqlite3_stmt* stmt, bool* in_use) : db_(&db), stmt_(stmt), in_use_(in_use) {}

Statement::Statement(Statement&& o) noexcept
    : db_(o.db_), stmt_(o.stmt_), in_use_(o.in_use_), bind_rc_(o.bind_rc_) {
  o.stmt_ = nullptr;
  o.in_use_ = nullptr;
}

Statement::~Statement() {
  if (!stmt_) return;
  if (in_use_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind(int i, int64_t v) {
  note_bind(sqlite3_bind_int64(stmt_, i, v));
  return *this;
}

Statement& Statement::bind(int i, ByteView v) {
  // A null pointer would bind NULL; bind a zero-length blob instead.
  static const uint8_t kEmpty = 0;
  const void* p = v.empty() ? &kEmpty : v.data();
  note_bind(sqlite3_bind_blob64(stmt_, i, p, v.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind_text(int i, std::string_view v) {
  note_bind(sqlite3_bind_text64(stmt_, i, v.empty() ? "" : v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_null(int i) {
  note_bind(sqlite3_bind_null(stmt_, i));
  return *this;
}

Expected<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) return db_->error(bind_rc_, "binding a parameter");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = db_->error(rc, "executing statement");
  sqlite3_reset(stmt_);
  return e;
}

Status Statement::run() {
  LADDER_ASSIGN(bool row, step());
  if (row) return make_error("store.sql", "statement returned a row where none was expected");
  return ok();
}

bool Statement::is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }

namespace {
Error type_error(int c, int actual, const char* expected) {
  static const char* const kNames[] = {"?", "INTEGER", "REAL", "TEXT", "BLOB", "NULL"};
  const char* name = actual >= 1 && actual <= 5 ? kNames[actual] : kNames[0];
  return make_error("store.type",
                    "column " + std::to_string(c) + " holds " + name + ", expected " + expected);
}
}  // namespace

Expected<int64_t> Statement::int64(int c) const {
  int t = sqlite3_column_type(stmt_, c);
  if (t != SQLITE_INTEGER) return type_error(c, t, "INTEGER");
  return static_cast<int64_t>(sqlite3_column_int64(stmt_, c));
}

Expected<Bytes> Statement::blob(int c) const {
  int t = sqlite3_column_type(stmt_, c);
  if (t != SQLITE_BLOB) return type_error(c, t, "BLOB");
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, c));
  int n = sqlite3_column_bytes(stmt_, c);
  return p ? Bytes(p, p + n) : Bytes{};
}

Expected<std::string> Statement::text(int c) const {
  int t = sqlite3_column_type(stmt_, c);
  if (t != SQLITE_TEXT) return type_error(c, t, "TEXT");
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
  int n = sqlite3_column_bytes(stmt_, c);
  return p ? std::string(p, static_cast<size_t>(n)) : std::string{};
}

// ----------------------------------------------------------------- Database

Expected<std::unique_ptr<Database>> Database::open(const std::string& path, const OpenOptions& options) {
  sqlite3* handle = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (options.create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string detail = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    Error e = sqlite_error(rc, "opening " + path, detail);
    if (e.code == "store.sql") e.code = "store.open";
    return e;
  }
  std::unique_ptr<Database> db(new Database(handle, path));
  LADDER_TRY(db->configure(options));
  return db;
}

Database::~Database() {
  for (auto& [sql, slot] : cache_) sqlite3_finalize(slot->stmt);
  sqlite3_close_v2(db_);
}

Error Database::error(int rc, std::string_view doing) const {
  return sqlite_error(rc, std::string(doing) + " (" + path_ + ")", sqlite3_errmsg(db_));
}

Expected<std::string> Database::pragma_text(std::string_view sql) {
  LADDER_ASSIGN(Statement st, prepare(sql));
  LADDER_ASSIGN(bool row, st.step());
  if (!row) return make_error("store.sql", std::string(sql) + " returned nothing");
  if (auto t = st.text(0)) return std::move(t).value();
  LADDER_ASSIGN(int64_t v, st.int64(0));
  return std::to_string(v);
}

Status Database::configure(const OpenOptions& options) {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  if (options.exclusive) LADDER_TRY(exec("PRAGMA locking_mode=EXCLUSIVE"));
  LADDER_ASSIGN(std::string mode, pragma_text("PRAGMA journal_mode=WAL"));
  if (mode != "wal") return make_error("store.open", path_ + ": cannot use WAL (journal_mode is " + mode + ")");
  LADDER_TRY(exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON"));
  LADDER_ASSIGN(std::string sync, pragma_text("PRAGMA synchronous"));
  LADDER_ASSIGN(std::string fk, pragma_text("PRAGMA foreign_keys"));
  if (sync != "2" || fk != "1") return make_error("store.open", path_ + ": SQLite refused synchronous=FULL or foreign keys");
  // In exclusive mode the lock is taken by the first write and then kept.
  if (options.exclusive) LADDER_TRY(exec("BEGIN EXCLUSIVE; COMMIT"));
  return ok();
}

Status Database::exec(std::string_view sql) {
  std::string s(sql);
  char* msg = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &msg);
  if (rc == SQLITE_OK) return ok();
  std::string detail = msg ? msg : sqlite3_errmsg(db_);
  sqlite3_free(msg);
  return sqlite_error(rc, "executing SQL (" + path_ + ")", detail);
}

Expected<Statement> Database::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second->in_use) {
    it->second->in_use = true;
    return Statement(*this, it->second->stmt, &it->second->in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  bool cache = it == cache_.end();
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), cache ? SQLITE_PREPARE_PERSISTENT : 0,
                              &stmt, &tail);
  if (rc != SQLITE_OK) return error(rc, "preparing \"" + std::string(sql) + "\"");
  if (!stmt) return make_error("store.sql", "no statement in \"" + std::string(sql) + "\"");
  for (const char* p = tail; p && p < sql.data() + sql.size(); ++p) {
    if (*p != ' ' && *p != '\n' && *p != '\t' && *p != ';') {
      sqlite3_finalize(stmt);
      return make_error("store.sql", "more than one statement in \"" + std::string(sql) + "\"");
    }
  }
  if (!cache) return Statement(*this, stmt, nullptr);
  auto slot = std::make_unique<Cached>();
  slot->stmt = stmt;
  slot->in_use = true;
  bool* flag = &slot->in_use;
  cache_.emplace(std::string(sql), std::move(slot));
  return Statement(*this, stmt, flag);
}

Status Database::check_integrity() {
  LADDER_ASSIGN(Statement st, prepare("PRAGMA quick_check"));
  LADDER_ASSIGN(bool row, st.step());
  if (!row) return make_error("store.corrupt", path_ + ": quick_check returned nothing");
  LADDER_ASSIGN(std::string verdict, st.text(0));
  if (verdict != "ok") return make_error("store.corrupt", path_ + ": " + verdict);
  return ok();
}

int64_t Database::changes() const { return sqlite3_changes64(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace ladder::store
