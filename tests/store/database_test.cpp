#include "store/database.h"

#include <gtest/gtest.h>

#include <fstream>
#include <limits>

#include "store/support/temp_dir.h"
#include "store/transaction.h"

namespace ladder::store {
namespace {

using testing::TempDir;

std::unique_ptr<Database> open_or_die(const std::string& path, OpenOptions opts = {}) {
  auto db = Database::open(path, opts);
  if (!db) throw std::runtime_error(db.error().to_string());
  return std::move(db).value();
}

std::string pragma(Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  EXPECT_TRUE(st) << st.error().to_string();
  EXPECT_TRUE(*st->step());
  if (auto t = st->text(0)) return *t;
  return std::to_string(*st->int64(0));
}

int64_t count(Database& db, const std::string& table) {
  auto st = db.prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(st && *st->step());
  return *st->int64(0);
}

TEST(Database, OpensInWalWithFullSyncAndForeignKeys) {
  TempDir dir;
  auto db = open_or_die(dir.path("a.db"));
  EXPECT_EQ(pragma(*db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(pragma(*db, "PRAGMA synchronous"), "2");
  EXPECT_EQ(pragma(*db, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(pragma(*db, "PRAGMA busy_timeout"), "5000");
  ASSERT_TRUE(db->check_integrity());
}

TEST(Database, TypedBindsAndReadsRoundTrip) {
  TempDir dir;
  auto db = open_or_die(dir.path("a.db"));
  ASSERT_TRUE(db->exec("CREATE TABLE t (i INTEGER, b BLOB, s TEXT, n BLOB)"));
  const Bytes blob = {0x00, 0xff, 0x00, 0x01};
  const std::string text("h\xc3\xa9llo\0world", 12);
  for (int64_t v : {std::numeric_limits<int64_t>::min(), int64_t{-1}, int64_t{0}, std::numeric_limits<int64_t>::max()}) {
    auto ins = db->prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
    ASSERT_TRUE(ins);
    ASSERT_TRUE(ins->bind(1, v).bind(2, blob).bind_text(3, text).bind_null(4).run());
  }
  auto empty = db->prepare("INSERT INTO t VALUES (0, ?1, ?2, NULL)");
  ASSERT_TRUE(empty && empty->bind(1, Bytes{}).bind_text(2, "").run());

  auto sel = db->prepare("SELECT i, b, s, n FROM t ORDER BY rowid");
  ASSERT_TRUE(sel);
  ASSERT_TRUE(*sel->step());
  EXPECT_EQ(*sel->int64(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(*sel->blob(1), blob);
  EXPECT_EQ(*sel->text(2), text);
  EXPECT_TRUE(sel->is_null(3));
  EXPECT_FALSE(sel->is_null(1));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(*sel->step());
  EXPECT_EQ(*sel->int64(0), std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(*sel->step());
  EXPECT_EQ(*sel->blob(1), Bytes{});  // X'' is a BLOB, not NULL
  EXPECT_EQ(*sel->text(2), "");
  EXPECT_FALSE(*sel->step());
}

TEST(Database, ReadingTheWrongTypeIsAnError) {
  TempDir dir;
  auto db = open_or_die(dir.path("a.db"));
  auto st = db->prepare("SELECT 1, X'01', 'a', NULL");
  ASSERT_TRUE(st && *st->step());
  EXPECT_EQ(st->blob(0).error().code, "store.type");
  EXPECT_EQ(st->int64(1).error().code, "store.type");
  EXPECT_EQ(st->int64(2).error().code, "store.type");
  EXPECT_EQ(st->blob(3).error().code, "store.type");
  EXPECT_EQ(st->text(3).error().code, "store.type");
}

TEST(Database, BadSqlIsAValueNotACrash) {
  TempDir dir;
  auto db = open_or_die(dir.path("a.db"));
  EXPECT_EQ(db->prepare("SELEC 1").error().code, "store.sql");
  EXPECT_EQ(db->prepare("SELECT 1; SELECT 2").error().code, "store.sql");
  EXPECT_EQ(db->exec("CREATE TABLE").error().code, "store.sql");
  auto st = db->prepare("SELECT ?1");
  ASSERT_TRUE(st);
  st->bind(7, int64_t{1});  // no parameter 7
  EXPECT_EQ(st->step().error().code, "store.sql");
  auto row = db->prepare("SELECT 1");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->run().error().code, "store.sql");  // run() expects no rows
}

TEST(Database, ConstraintViolationsAreReported) {
  TempDir dir;
  auto db = open_or_die(dir.path("a.db"));
  ASSERT_TRUE(db->exec("CREATE TABLE p (id INTEGER PRIMARY KEY);"
                       "CREATE TABLE c (p INTEGER NOT NULL REFERENCES p(id))"));
  auto child = db->prepare("INSERT INTO c VALUES (42)");
  ASSERT_TRUE(child);
  EXPECT_EQ(child->run().error().code, "store.constraint");  // foreign keys are on
  ASSERT_TRUE(db->exec("INSERT INTO p VALUES (1)"));
  EXPECT_EQ(db->exec("INSERT INTO p VALUES (1)").error().code, "store.constraint");
}

TEST(Database, CachedStatementsAreReusedAndMayNest) {
  TempDir dir;
  auto db = open_or_die(dir.path("a.db"));
  ASSERT_TRUE(db->exec("CREATE TABLE t (i INTEGER); INSERT INTO t VALUES (1), (2), (3)"));
  const std::string sql = "SELECT i FROM t WHERE i >= ?1 ORDER BY i";
  int64_t sum = 0;
  {
    auto outer = db->prepare(sql);
    ASSERT_TRUE(outer);
    outer->bind(1, int64_t{1});
    while (*outer->step()) {
      // Same SQL while the cached statement is lent out: a private copy.
      auto inner = db->prepare(sql);
      ASSERT_TRUE(inner);
      inner->bind(1, *outer->int64(0));
      while (*inner->step()) sum += *inner->int64(0);
    }
  }
  EXPECT_EQ(sum, (1 + 2 + 3) + (2 + 3) + 3);
  // Returned to the cache reset, with bindings cleared (NULL matches nothing).
  auto again = db->prepare(sql);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again->step());
}

TEST(Database, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  auto db = open_or_die(dir.path("a.db"));
  ASSERT_TRUE(db->exec("CREATE TABLE t (i INTEGER)"));
  {
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (1)"));
    EXPECT_TRUE(db->in_transaction());
    EXPECT_EQ(Transaction::begin(*db).error().code, "store.sql");  // no nesting
  }
  EXPECT_FALSE(db->in_transaction());
  EXPECT_EQ(count(*db, "t"), 0);
  {
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (2)"));
    ASSERT_TRUE(tx->commit());
    EXPECT_FALSE(tx->active());
    EXPECT_EQ(tx->commit().error().code, "store.sql");
  }
  EXPECT_EQ(count(*db, "t"), 1);
  // Survives closing and reopening.
  db.reset();
  db = open_or_die(dir.path("a.db"));
  EXPECT_EQ(count(*db, "t"), 1);
}

TEST(Database, GarbageFileIsReportedCorrupt) {
  TempDir dir;
  std::string path = dir.path("garbage.db");
  {
    std::ofstream f(path, std::ios::binary);
    for (int i = 0; i < 4096; ++i) f.put(static_cast<char>(i * 7 + 3));
  }
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, "store.corrupt") << db.error().to_string();
}

TEST(Database, DamagedPageIsReportedCorrupt) {
  TempDir dir;
  std::string path = dir.path("a.db");
  {
    auto db = open_or_die(path);
    ASSERT_TRUE(db->exec("CREATE TABLE t (i INTEGER PRIMARY KEY, v BLOB);"
                         "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200)"
                         " INSERT INTO t (v) SELECT randomblob(200) FROM n"));
  }  // closing checkpoints the WAL into the main file
  {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(4096 * 3 + 16);  // inside the fourth page, a b-tree page of t
    for (int i = 0; i < 2000; ++i) f.put(static_cast<char>(0xff));
  }
  auto db = Database::open(path);
  Status verdict = db ? (*db)->check_integrity() : Status(db.error());
  ASSERT_FALSE(verdict);
  EXPECT_EQ(verdict.error().code, "store.corrupt") << verdict.error().to_string();
}

TEST(Database, LockedDatabaseIsBusyNotStuck) {
  TempDir dir;
  OpenOptions quick;
  quick.busy_timeout_ms = 50;
  auto a = open_or_die(dir.path("a.db"), quick);
  auto b = open_or_die(dir.path("a.db"), quick);
  ASSERT_TRUE(a->exec("CREATE TABLE t (i INTEGER)"));
  auto tx = Transaction::begin(*a);
  ASSERT_TRUE(tx);
  auto blocked = Transaction::begin(*b);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, "store.busy");
  // Readers are not blocked by a writer in WAL mode.
  EXPECT_EQ(count(*b, "t"), 0);
  ASSERT_TRUE(tx->commit());
  auto now = Transaction::begin(*b);
  EXPECT_TRUE(now);
}

TEST(Database, ExclusiveOpenLocksOutOtherConnections) {
  TempDir dir;
  OpenOptions exclusive;
  exclusive.exclusive = true;
  exclusive.busy_timeout_ms = 50;
  auto owner = open_or_die(dir.path("a.db"), exclusive);
  ASSERT_TRUE(owner->exec("CREATE TABLE t (i INTEGER)"));
  OpenOptions quick;
  quick.busy_timeout_ms = 50;
  auto second = Database::open(dir.path("a.db"), quick);
  Status s = second ? (*second)->exec("SELECT count(*) FROM t") : Status(second.error());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.busy") << s.error().to_string();
  owner.reset();
  auto after = open_or_die(dir.path("a.db"), quick);
  EXPECT_EQ(count(*after, "t"), 0);
}

TEST(Database, MissingFileWithoutCreateFailsToOpen) {
  TempDir dir;
  OpenOptions no_create;
  no_create.create = false;
  auto db = Database::open(dir.path("absent.db"), no_create);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, "store.open");
  auto nodir = Database::open(dir.path("no/such/dir.db"));
  ASSERT_FALSE(nodir);
  EXPECT_EQ(nodir.error().code, "store.open");
}

}  // namespace
}  // namespace ladder::store
