// What SqliteStore adds to the RecordStore contract: durability, secrets
// encrypted at rest, keys, and its own schema.
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "record_store_fixture.h"

namespace ladder::store::testing {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = KeySource::create_key_file(dir_.path("store.key"));
    ASSERT_TRUE(key);
  }
  std::string db_path() const { return dir_.path("store.db"); }
  KeySource key() const { return *KeySource::read_key_file(dir_.path("store.key")); }

  Expected<std::unique_ptr<SqliteStore>> open(std::optional<KeySource> key) {
    SqliteStoreOptions opts;
    opts.key = std::move(key);
    return SqliteStore::open(db_path(), std::move(opts));
  }
  std::unique_ptr<SqliteStore> open_with_key() {
    auto s = open(key());
    if (!s) throw std::runtime_error(s.error().to_string());
    return std::move(s).value();
  }

  // Every byte of the database's files (main file, WAL, shared memory).
  Bytes file_bytes() const {
    Bytes all;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.dir())) {
      if (entry.path().filename().string().rfind("store.db", 0) != 0) continue;
      std::ifstream f(entry.path(), std::ios::binary);
      all.insert(all.end(), std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    return all;
  }
  bool file_contains(ByteView needle) const {
    Bytes hay = file_bytes();
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
  }

  TempDir dir_;
};

TEST_F(SqliteStoreTest, EverythingSurvivesReopening) {
  {
    auto s = open_with_key();
    ASSERT_TRUE(s->step([&](StepWriter& w) -> Status {
      LADDER_TRY(w.put("channel", text("a"), text("v1")));
      LADDER_TRY(w.put("channel", text("a"), text("v2")));
      LADDER_TRY(w.put_secret("seed", text("a"), text("seed-a")));
      LADDER_TRY(w.append("events", text("e1")));
      return ok();
    }));
  }
  auto s = open_with_key();
  EXPECT_EQ(*s->get("channel", text("a")), (Record{2, bytes("v2")}));
  EXPECT_TRUE((*s->get_secret("seed", text("a")))->equals(text("seed-a")));
  EXPECT_EQ(*s->read_log("events"), (std::vector<LogEntry>{{1, bytes("e1")}}));
  EXPECT_EQ(*schema_version(s->database(), "records"), static_cast<int64_t>(SqliteStore::migrations().size()));
}

TEST_F(SqliteStoreTest, SecretsNeedTheRightKey) {
  {
    auto s = open_with_key();
    ASSERT_TRUE(s->step([&](StepWriter& w) { return w.put_secret("seed", text("a"), text("seed-a")); }));
  }
  {  // Without a key: records are readable, secrets are not.
    auto s = open(std::nullopt);
    ASSERT_TRUE(s);
    EXPECT_FALSE((*s)->has_key());
    EXPECT_EQ((*s)->get_secret("seed", text("a")).error().code, "store.no-key");
    EXPECT_EQ((*s)->list_secrets("seed").error().code, "store.no-key");
    Status put = (*s)->step([&](StepWriter& w) { return w.put_secret("seed", text("b"), text("x")); });
    EXPECT_EQ(put.error().code, "store.no-key");
  }
  auto other = KeySource::create_key_file(dir_.path("other.key"));
  ASSERT_TRUE(other);
  auto wrong = open(std::move(other).value());
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, "store.wrong-key");
  auto pass = open(KeySource::passphrase("pw", ScryptParams{10, 8, 1}));
  ASSERT_FALSE(pass);
  EXPECT_EQ(pass.error().code, "store.wrong-key");
  // The right key still works after the failed attempts.
  EXPECT_TRUE((*open_with_key()->get_secret("seed", text("a")))->equals(text("seed-a")));
}

TEST_F(SqliteStoreTest, PassphraseProtectedDatabaseReopensWithItsPassphrase) {
  std::filesystem::remove(dir_.path("store.key"));
  constexpr ScryptParams kFast{10, 8, 1};
  {
    auto s = open(KeySource::passphrase("hunter2", kFast));
    ASSERT_TRUE(s) << s.error().to_string();
    ASSERT_TRUE((*s)->step([&](StepWriter& w) { return w.put_secret("seed", text("a"), text("s")); }));
  }
  // The stored parameters win over the caller's defaults on reopen.
  auto s = open(KeySource::passphrase("hunter2"));
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_TRUE((*(*s)->get_secret("seed", text("a")))->equals(text("s")));
  EXPECT_EQ(open(KeySource::passphrase("hunter3", kFast)).error().code, "store.wrong-key");
}

// Scans the raw files for the plaintext, with a plain record as the control
// that the scan can find what is there.
TEST_F(SqliteStoreTest, SecretPlaintextNeverReachesTheFile) {
  auto secret = random_secret(48);
  ASSERT_TRUE(secret);
  const Bytes marker = bytes("plain-record-marker-0123456789");
  {
    auto s = open_with_key();
    ASSERT_TRUE(s->step([&](StepWriter& w) -> Status {
      LADDER_TRY(w.put_secret("seed", text("client"), secret->view()));
      LADDER_TRY(w.put("channel", text("client"), marker));
      return ok();
    }));
    // While open: the commit sits in the WAL.
    EXPECT_TRUE(file_contains(marker));
    EXPECT_FALSE(file_contains(secret->view()));
  }
  // After close: checkpointed into the main file.
  EXPECT_TRUE(file_contains(marker));
  EXPECT_FALSE(file_contains(secret->view()));
  EXPECT_FALSE(file_contains(ByteView(secret->view().data(), 16)));
}

TEST_F(SqliteStoreTest, SwappedOrAlteredSecretCiphertextsFailToDecrypt) {
  auto s = open_with_key();
  ASSERT_TRUE(s->step([&](StepWriter& w) -> Status {
    LADDER_TRY(w.put_secret("revocation", text("1"), text("secret one")));
    LADDER_TRY(w.put_secret("revocation", text("2"), text("secret two")));
    LADDER_TRY(w.put_secret("handover", text("1"), text("handed over")));
    return ok();
  }));
  Database& db = s->database();
  // Swap the two revocation rows' ciphertexts.
  Bytes one, two;
  {
    auto sel = db.prepare("SELECT id, sealed FROM secrets WHERE kind = 'revocation' ORDER BY id");
    ASSERT_TRUE(sel && *sel->step());
    one = *sel->blob(1);
    ASSERT_TRUE(*sel->step());
    two = *sel->blob(1);
  }
  ASSERT_NE(one, two);
  auto swap = [&](std::string_view id, const Bytes& sealed) {
    auto up = db.prepare("UPDATE secrets SET sealed = ?1 WHERE kind = 'revocation' AND id = ?2");
    return up && up->bind(1, sealed).bind(2, text(id)).run();
  };
  ASSERT_TRUE(swap("1", two));
  ASSERT_TRUE(swap("2", one));
  EXPECT_EQ(s->get_secret("revocation", text("1")).error().code, "store.decrypt");
  EXPECT_EQ(s->get_secret("revocation", text("2")).error().code, "store.decrypt");
  EXPECT_EQ(s->list_secrets("revocation").error().code, "store.decrypt");
  // Move a ciphertext to another kind with the same id.
  ASSERT_TRUE(db.exec("UPDATE secrets SET kind = 'seed' WHERE kind = 'handover'"));
  EXPECT_EQ(s->get_secret("seed", text("1")).error().code, "store.decrypt");
}

TEST_F(SqliteStoreTest, ANewerSchemaIsRefused) {
  {
    auto s = open_with_key();
    ASSERT_TRUE(s->database().exec(
        "INSERT INTO schema_version (component, version, name) VALUES ('records', 1000, 'from the future')"));
  }
  auto s = open(key());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.schema-too-new");
}

TEST_F(SqliteStoreTest, ASecondExclusiveOwnerIsRefused) {
  SqliteStoreOptions first;
  first.database.exclusive = true;
  first.database.busy_timeout_ms = 50;
  auto owner = SqliteStore::open(db_path(), std::move(first));
  ASSERT_TRUE(owner) << owner.error().to_string();
  SqliteStoreOptions second;
  second.database.exclusive = true;
  second.database.busy_timeout_ms = 50;
  auto intruder = SqliteStore::open(db_path(), std::move(second));
  ASSERT_FALSE(intruder);
  EXPECT_EQ(intruder.error().code, "store.busy");
}

TEST_F(SqliteStoreTest, NotADatabaseIsRefused) {
  std::ofstream(db_path(), std::ios::binary) << std::string(8192, 'x');
  auto s = open(key());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.corrupt");
}

}  // namespace
}  // namespace ladder::store::testing
