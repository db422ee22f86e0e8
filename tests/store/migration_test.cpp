#include "store/migration.h"

#include <gtest/gtest.h>

#include "store/support/temp_dir.h"

namespace ladder::store {
namespace {

using testing::TempDir;

std::unique_ptr<Database> open_or_die(const std::string& path) {
  auto db = Database::open(path);
  if (!db) throw std::runtime_error(db.error().to_string());
  return std::move(db).value();
}

// A small history: a table, then a column whose values a C++ step derives
// from existing rows, then an index.
std::vector<Migration> people_history() {
  return {
      {"people", "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", {}},
      {"people.handle", "ALTER TABLE people ADD COLUMN handle TEXT",
       [](Database& db) -> Status {
         // Stand-in for a re-encoding SQL cannot express.
         std::vector<std::pair<int64_t, std::string>> rows;
         {
           LADDER_ASSIGN(Statement sel, db.prepare("SELECT id, name FROM people"));
           while (true) {
             LADDER_ASSIGN(bool row, sel.step());
             if (!row) break;
             LADDER_ASSIGN(int64_t id, sel.int64(0));
             LADDER_ASSIGN(std::string name, sel.text(1));
             rows.emplace_back(id, name);
           }
         }
         for (auto& [id, name] : rows) {
           std::string handle = "@";
           for (char c : name) handle += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
           LADDER_ASSIGN(Statement up, db.prepare("UPDATE people SET handle = ?1 WHERE id = ?2"));
           LADDER_TRY(up.bind_text(1, handle).bind(2, id).run());
         }
         return ok();
       }},
      {"people.by-handle", "CREATE UNIQUE INDEX people_handle ON people (handle)", {}},
  };
}

std::vector<std::string> handles(Database& db) {
  std::vector<std::string> out;
  auto st = db.prepare("SELECT name, handle FROM people ORDER BY id");
  EXPECT_TRUE(st);
  while (*st->step()) out.push_back(*st->text(0) + "=" + (st->is_null(1) ? "NULL" : *st->text(1)));
  return out;
}

TEST(Migration, UpgradingAnOlderDatabaseKeepsItsData) {
  TempDir dir;
  auto all = people_history();
  {
    auto db = open_or_die(dir.path("a.db"));
    auto applied = migrate(*db, "people", std::span(all).first(1));  // an "older" program
    ASSERT_TRUE(applied);
    EXPECT_EQ(*applied, 1u);
    ASSERT_TRUE(db->exec("INSERT INTO people (name) VALUES ('Alice'), ('BOB')"));
  }
  auto db = open_or_die(dir.path("a.db"));
  EXPECT_EQ(*schema_version(*db, "people"), 1);
  auto applied = migrate(*db, "people", all);
  ASSERT_TRUE(applied) << applied.error().to_string();
  EXPECT_EQ(*applied, 2u);
  EXPECT_EQ(*schema_version(*db, "people"), 3);
  EXPECT_EQ(handles(*db), (std::vector<std::string>{"Alice=@alice", "BOB=@bob"}));
  // The last migration's index exists: a duplicate handle is refused.
  EXPECT_EQ(db->exec("INSERT INTO people (name, handle) VALUES ('x', '@bob')").error().code, "store.constraint");
  // Running again applies nothing.
  EXPECT_EQ(*migrate(*db, "people", all), 0u);
}

TEST(Migration, ADatabaseFromANewerProgramIsRefused) {
  TempDir dir;
  auto all = people_history();
  auto db = open_or_die(dir.path("a.db"));
  ASSERT_TRUE(migrate(*db, "people", all));
  auto older = migrate(*db, "people", std::span(all).first(2));
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error().code, "store.schema-too-new");
  EXPECT_EQ(*schema_version(*db, "people"), 3);
}

TEST(Migration, ARenamedHistoryIsRefused) {
  TempDir dir;
  auto all = people_history();
  auto db = open_or_die(dir.path("a.db"));
  ASSERT_TRUE(migrate(*db, "people", std::span(all).first(1)));
  auto other = all;
  other[0].name = "persons";
  auto r = migrate(*db, "people", other);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "store.schema-mismatch");
  EXPECT_EQ(*schema_version(*db, "people"), 1);
}

TEST(Migration, AFailingMigrationRollsBackOnlyItself) {
  TempDir dir;
  auto all = people_history();
  auto broken = all;
  broken[1].step = [](Database&) -> Status { return make_error("test.step-failed", "cannot convert"); };
  auto db = open_or_die(dir.path("a.db"));
  ASSERT_TRUE(migrate(*db, "people", std::span(all).first(1)));
  ASSERT_TRUE(db->exec("INSERT INTO people (name) VALUES ('Carol')"));
  auto r = migrate(*db, "people", broken);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "test.step-failed");
  EXPECT_NE(r.error().message.find("migration 2 (\"people.handle\")"), std::string::npos) << r.error().message;
  EXPECT_EQ(*schema_version(*db, "people"), 1);
  // The ALTER TABLE of the failed migration is gone with it.
  EXPECT_EQ(db->prepare("SELECT handle FROM people").error().code, "store.sql");
  // The fixed program upgrades the same file.
  ASSERT_TRUE(migrate(*db, "people", all));
  EXPECT_EQ(handles(*db), (std::vector<std::string>{"Carol=@carol"}));
}

TEST(Migration, ComponentsHaveIndependentHistories) {
  TempDir dir;
  auto db = open_or_die(dir.path("a.db"));
  auto people = people_history();
  std::vector<Migration> pets = {{"pets", "CREATE TABLE pets (name TEXT)", {}}};
  ASSERT_TRUE(migrate(*db, "people", people));
  ASSERT_TRUE(migrate(*db, "pets", pets));
  EXPECT_EQ(*schema_version(*db, "people"), 3);
  EXPECT_EQ(*schema_version(*db, "pets"), 1);
  EXPECT_EQ(*schema_version(*db, "nobody"), 0);
}

}  // namespace
}  // namespace ladder::store
