// factory::LogGuardStore over both RecordStore backends: the first concrete
// consumer of the store, and the "persist failed => nothing signed" check.
#include "factory/guard_store_log.h"

#include <gtest/gtest.h>

#include "record_store_fixture.h"
#include "store/support/faulty_store.h"

namespace ladder::factory {
namespace {

using store::testing::BackendKind;
using store::testing::FaultyStore;
using store::testing::TempDir;

btc::OutPoint outpoint(uint8_t b, uint32_t n = 0) {
  btc::OutPoint o;
  o.txid.bytes.fill(b);
  o.n = n;
  return o;
}
Bytes32 sighash(uint8_t b) {
  Bytes32 h;
  h.fill(b);
  h[31] = static_cast<uint8_t>(~b);
  return h;
}

std::vector<GuardRecord> round_records() {
  return {{outpoint(1, 0), GuardKind::spend, 0, sighash(1)},
          {outpoint(1, 1), GuardKind::state, 0xfffffffe, sighash(2)},
          {outpoint(2, 0xffffffff), GuardKind::distribution, 0, sighash(3)}};
}

class LogGuardStoreTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  void SetUp() override { backend_ = store::testing::make_backend(GetParam()); }
  store::RecordStore& records() { return backend_->store(); }
  std::unique_ptr<store::testing::Backend> backend_;
};

TEST_P(LogGuardStoreTest, AppendedRecordsLoadBackInOrder) {
  LogGuardStore guard(records());
  EXPECT_TRUE(guard.load()->empty());
  auto batch = round_records();
  ASSERT_TRUE(guard.append({batch[0]}));
  ASSERT_TRUE(guard.append({batch[1], batch[2]}));
  EXPECT_EQ(*guard.load(), batch);
  // Separate logs do not mix.
  LogGuardStore other(records(), "factory.guard.other");
  EXPECT_TRUE(other.load()->empty());
}

TEST_P(LogGuardStoreTest, FailedAppendLeavesNothingAndSignsNothing) {
  FaultyStore faulty(records());
  LogGuardStore guard(faulty);
  GuardTable table;
  auto batch = round_records();
  faulty.fail_write(2);  // the second record of the round
  Status s = table.check_and_persist(batch, guard);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.injected");
  EXPECT_TRUE(guard.load()->empty());
  EXPECT_EQ(table.size(), 0u);
  for (const auto& r : batch) EXPECT_FALSE(table.contains(r));
  // A commit that fails is no different.
  faulty.fail_commit(1);
  ASSERT_FALSE(table.check_and_persist(batch, guard));
  EXPECT_TRUE(guard.load()->empty());
  // The retry goes through.
  ASSERT_TRUE(table.check_and_persist(batch, guard));
  EXPECT_EQ(*guard.load(), batch);
}

TEST_P(LogGuardStoreTest, GuardRecordsCommitWithTheRoundState) {
  auto batch = round_records();
  auto round = [&](bool accept) {
    return records().step([&](store::StepWriter& w) -> Status {
      LADDER_TRY(w.put("round", store::testing::text("factory-1"), store::testing::text("signed")));
      LADDER_TRY(LogGuardStore::write(w, LogGuardStore::kDefaultLog, batch));
      return accept ? ok() : make_error("test.abort");
    });
  };
  ASSERT_FALSE(round(false));
  LogGuardStore guard(records());
  EXPECT_TRUE(guard.load()->empty());
  EXPECT_FALSE(records().get("round", store::testing::text("factory-1"))->has_value());
  ASSERT_TRUE(round(true));
  EXPECT_EQ(*guard.load(), batch);
}

INSTANTIATE_TEST_SUITE_P(Backends, LogGuardStoreTest, ::testing::Values(BackendKind::memory, BackendKind::sqlite),
                         store::testing::backend_name);

TEST(LogGuardStore, TableRebuiltAfterRestartStillRefusesADoubleSign) {
  TempDir dir;
  auto open = [&] {
    auto s = store::SqliteStore::open(dir.path("guard.db"));
    if (!s) throw std::runtime_error(s.error().to_string());
    return std::move(s).value();
  };
  {
    auto db = open();
    LogGuardStore guard(*db);
    GuardTable table;
    ASSERT_TRUE(table.check_and_persist(round_records(), guard));
  }
  auto db = open();
  LogGuardStore guard(*db);
  auto table = GuardTable::load(guard);
  ASSERT_TRUE(table);
  EXPECT_EQ(table->size(), 3u);
  auto twice = table->check({outpoint(1, 0), GuardKind::spend, 0, sighash(9)});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "factory.double-sign");
  EXPECT_TRUE(table->check(round_records()[0]));  // a byte-identical retry
}

TEST(LogGuardStore, EncodingRoundTripsAndRejectsDamage) {
  for (const auto& r : round_records()) {
    Bytes e = encode_guard_record(r);
    EXPECT_EQ(e.size(), 74u);
    EXPECT_EQ(*decode_guard_record(e), r);
  }
  Bytes good = encode_guard_record(round_records()[1]);
  auto rejects = [](Bytes b) {
    auto r = decode_guard_record(b);
    return !r && r.error().code == "store.corrupt";
  };
  EXPECT_TRUE(rejects({}));
  EXPECT_TRUE(rejects(Bytes(good.begin(), good.end() - 1)));
  Bytes longer = good;
  longer.push_back(0);
  EXPECT_TRUE(rejects(longer));
  Bytes bad_format = good;
  bad_format[0] = 2;
  EXPECT_TRUE(rejects(bad_format));
  Bytes bad_kind = good;
  bad_kind[1 + 32 + 4] = 3;
  EXPECT_TRUE(rejects(bad_kind));

  store::MemoryStore mem;
  ASSERT_TRUE(mem.step([&](store::StepWriter& w) -> Status {
    LADDER_TRY(w.append(LogGuardStore::kDefaultLog, good));
    LADDER_TRY(w.append(LogGuardStore::kDefaultLog, bad_kind));
    return ok();
  }));
  auto loaded = LogGuardStore(mem).load();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, "store.corrupt");
  EXPECT_NE(loaded.error().message.find("entry 2"), std::string::npos);
}

}  // namespace
}  // namespace ladder::factory
