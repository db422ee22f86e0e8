#include "store/migration.h"

#include "store/transaction.h"

namespace ladder::store {
namespace {

constexpr std::string_view kVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
    " PRIMARY KEY (component, version)) WITHOUT ROWID";

Status check_recorded(Database& db, std::string_view component, std::span<const Migration> migrations) {
  LADDER_ASSIGN(Statement st, db.prepare("SELECT version, name FROM schema_version WHERE component = ?1 ORDER BY version"));
  st.bind_text(1, component);
  int64_t expected = 1;
  while (true) {
    LADDER_ASSIGN(bool row, st.step());
    if (!row) break;
    LADDER_ASSIGN(int64_t version, st.int64(0));
    LADDER_ASSIGN(std::string name, st.text(1));
    std::string where = std::string(component) + " version " + std::to_string(version);
    if (version > static_cast<int64_t>(migrations.size()))
      return make_error("store.schema-too-new", db.path() + ": " + where + " (\"" + name +
                                                    "\") is newer than this program, which knows " +
                                                    std::to_string(migrations.size()));
    if (version != expected) return make_error("store.schema-mismatch", db.path() + ": versions of " +
                                                   std::string(component) + " are not contiguous at " + where);
    const Migration& m = migrations[static_cast<size_t>(version - 1)];
    if (name != m.name)
      return make_error("store.schema-mismatch",
                        db.path() + ": " + where + " is \"" + name + "\" but this program's is \"" + m.name + "\"");
    ++expected;
  }
  return ok();
}

Expected<int64_t> current_version(Database& db, std::string_view component) {
  LADDER_ASSIGN(Statement st, db.prepare("SELECT coalesce(max(version), 0) FROM schema_version WHERE component = ?1"));
  st.bind_text(1, component);
  LADDER_ASSIGN(bool row, st.step());
  if (!row) return make_error("store.sql", "max(version) returned no row");
  return st.int64(0);
}

// Applies `m` as `version`; false if it was already there.
Expected<bool> apply(Database& db, std::string_view component, int64_t version, const Migration& m) {
  LADDER_ASSIGN(auto tx, Transaction::begin(db));
  // Another connection may have applied it since we looked (we hold the
  // write lock now).
  LADDER_ASSIGN(int64_t current, current_version(db, component));
  if (current >= version) return false;
  if (!m.sql.empty()) LADDER_TRY(db.exec(m.sql));
  if (m.step) LADDER_TRY(m.step(db));
  LADDER_ASSIGN(Statement st, db.prepare("INSERT INTO schema_version (component, version, name) VALUES (?1, ?2, ?3)"));
  LADDER_TRY(st.bind_text(1, component).bind(2, version).bind_text(3, m.name).run());
  LADDER_TRY(tx.commit());
  return true;
}

}  // namespace

Expected<int64_t> schema_version(Database& db, std::string_view component) {
  LADDER_TRY(db.exec(kVersionTable));
  return current_version(db, component);
}

Expected<size_t> migrate(Database& db, std::string_view component, std::span<const Migration> migrations) {
  LADDER_ASSIGN(int64_t current, schema_version(db, component));
  LADDER_TRY(check_recorded(db, component, migrations));
  size_t applied = 0;
  for (auto v = static_cast<size_t>(current); v < migrations.size(); ++v) {
    const Migration& m = migrations[v];
    auto r = apply(db, component, static_cast<int64_t>(v + 1), m);
    if (!r) {
      Error e = r.error();
      e.message = std::string(component) + " migration " + std::to_string(v + 1) + " (\"" + m.name + "\"): " +
                  e.message;
      return e;
    }
    if (*r) ++applied;
  }
  return applied;
}

}  // namespace ladder::store
