// Real I/O failures under SqliteStore, through FaultyVfs: each write, sync
// and truncate of a step's commit fails in turn. Whatever the position, the
// step reports a "store.io" error or succeeds, the connection carries on,
// and the file holds the whole step or none of it.
#include <gtest/gtest.h>

#include "record_store_fixture.h"
#include "store/support/faulty_vfs.h"

namespace ladder::store::testing {
namespace {

constexpr int kRecords = 8;
constexpr size_t kValueSize = 3000;  // spans overflow pages: many WAL frames per step

Status write_version(RecordStore& s, uint8_t v) {
  return s.step([&](StepWriter& w) -> Status {
    for (uint8_t i = 0; i < kRecords; ++i) LADDER_TRY(w.put("k", Bytes{i}, Bytes(kValueSize, v)));
    LADDER_TRY(w.append("log", Bytes{v}));
    return ok();
  });
}

// The version every record holds, or -1 if they disagree (a torn step).
int version_of(RecordStore& s) {
  auto list = s.list("k");
  auto last = s.last_seq("log");
  if (!list || !last || list->size() != kRecords) return -1;
  uint8_t v = (*list)[0].record.value[0];
  for (const auto& e : *list)
    if (e.record.value != Bytes(kValueSize, v)) return -1;
  if (*last != v) return -1;  // version v is the v-th append
  return v;
}

TEST(SqliteFaults, IoFailureAtEveryPositionOfACommitIsAtomic) {
  FaultyVfs& vfs = FaultyVfs::install();
  TempDir dir;
  auto open = [&](bool faulty) {
    SqliteStoreOptions opts;
    if (faulty) opts.database.vfs = FaultyVfs::kName;
    auto s = SqliteStore::open(dir.path("f.db"), std::move(opts));
    if (!s) throw std::runtime_error(s.error().to_string());
    return std::move(s).value();
  };
  ASSERT_TRUE(write_version(*open(false), 1));

  int covered = 0, failed_steps = 0;
  for (uint64_t n = 1; n < 1000; ++n) {
    auto s = open(true);
    const int before = version_of(*s);
    ASSERT_GT(before, 0) << "position " << n;
    const auto next = static_cast<uint8_t>(before + 1);
    const uint64_t faults = vfs.faults();
    vfs.fail_io(n);
    Status st = write_version(*s, next);
    vfs.fail_io(0);
    if (vfs.faults() == faults) {  // n is past the step's last I/O call
      ASSERT_TRUE(st) << st.error().to_string();
      break;
    }
    ++covered;
    const int seen = version_of(*s);
    if (st) {
      EXPECT_EQ(seen, next) << "position " << n;
    } else {
      ++failed_steps;
      EXPECT_EQ(st.error().code, "store.io") << st.error().to_string();
      EXPECT_TRUE(seen == before || seen == next) << "position " << n << ": torn state " << seen;
    }
    // The same connection carries on.
    const auto retry = static_cast<uint8_t>(std::max(seen, before) + 1);
    Status again = write_version(*s, retry);
    ASSERT_TRUE(again) << "position " << n << ": " << again.error().to_string();
    s.reset();
    auto clean = open(false);
    ASSERT_TRUE(clean->database().check_integrity());
    EXPECT_EQ(version_of(*clean), retry) << "position " << n;
  }
  std::printf("I/O fault positions covered: %d (%d failed the step)\n", covered, failed_steps);
  EXPECT_GE(covered, 2);
  EXPECT_GE(failed_steps, 1);
}

}  // namespace
}  // namespace ladder::store::testing
