// kill -9 a process in the middle of a stream of steps: on reopen the file
// is intact, holds whole steps only, and holds every step whose success the
// writer had already revealed to the outside (here: written to a pipe after
// step() returned ok, STYLE.md §7 "persist before reveal").
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>

#include "record_store_fixture.h"
#include "util/serialize.h"

namespace ladder::store::testing {
namespace {

constexpr int kRecords = 6;

Bytes value_for(uint32_t version) {
  Writer w;
  w.u32le(version);
  w.bytes(Bytes(600, static_cast<uint8_t>(version)));
  return w.take();
}

Status write_version(RecordStore& s, uint32_t v) {
  return s.step([&](StepWriter& w) -> Status {
    for (uint8_t i = 0; i < kRecords; ++i) LADDER_TRY(w.put("k", Bytes{i}, value_for(v)));
    LADDER_TRY(w.append("log", value_for(v)));
    return ok();
  });
}

// The version all records and the log agree on, or -1.
int64_t version_of(RecordStore& s) {
  auto list = s.list("k");
  auto last = s.last_seq("log");
  if (!list || !last || list->size() != kRecords) return -1;
  Reader r((*list)[0].record.value);
  auto v = r.u32le();
  if (!v) return -1;
  for (const auto& e : *list)
    if (e.record.value != value_for(*v)) return -1;
  return *last == *v ? int64_t{*v} : -1;
}

// The child: steps forever, reporting each committed version on `fd`.
[[noreturn]] void writer(const std::string& path, int fd) {
  auto s = SqliteStore::open(path);
  if (!s) _exit(2);
  int64_t v = version_of(**s);
  if (v < 0) _exit(3);
  for (auto next = static_cast<uint32_t>(v + 1);; ++next) {
    if (!write_version(**s, next)) _exit(4);
    if (::write(fd, &next, sizeof next) != sizeof next) _exit(5);
  }
}

TEST(SqliteCrash, KilledWriterLeavesWholeStepsAndEverythingItRevealed) {
  TempDir dir;
  const std::string path = dir.path("crash.db");
  {
    auto s = SqliteStore::open(path);
    ASSERT_TRUE(s);
    ASSERT_TRUE(write_version(**s, 1));
  }
  std::mt19937 rng(7);
  uint32_t revealed = 1;
  constexpr int kRounds = 6;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      writer(path, fds[1]);
    }
    ::close(fds[1]);
    ::usleep(20000 + rng() % 100000);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited early with " << WEXITSTATUS(status);
    uint32_t v = 0;
    while (::read(fds[0], &v, sizeof v) == sizeof v) revealed = v;
    ::close(fds[0]);

    auto s = SqliteStore::open(path);
    ASSERT_TRUE(s) << s.error().to_string();
    ASSERT_TRUE((*s)->database().check_integrity());
    int64_t on_disk = version_of(**s);
    ASSERT_GE(on_disk, 0) << "round " << round << ": torn step";
    EXPECT_GE(on_disk, revealed) << "round " << round << ": a revealed step was lost";
    EXPECT_LE(on_disk, int64_t{revealed} + 1) << "round " << round;
    revealed = static_cast<uint32_t>(on_disk);
  }
  std::printf("%d kill -9 rounds, %u steps committed in all\n", kRounds, revealed);
  EXPECT_GT(revealed, static_cast<uint32_t>(kRounds));
}

}  // namespace
}  // namespace ladder::store::testing
