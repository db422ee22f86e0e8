// FaultyVfs: a SQLite VFS that forwards to the platform's default VFS but
// can fail the n-th write, sync or truncate with an I/O error, like a disk
// that errors out (LevelDB's fault-injecting Env, for SQLite). Open a
// Database with OpenOptions::vfs = FaultyVfs::kName to use it.
//
// Test-only (under tests/, never linked into a shipped binary). The fault
// counter is process-wide; tests using it must not run concurrently.
#pragma once

#include <cstdint>

namespace ladder::store::testing {

class FaultyVfs {
 public:
  static constexpr const char* kName = "ladder-faulty";

  // Registers the VFS (once) and returns the controller.
  static FaultyVfs& install();

  // The n-th write/sync/truncate from now (1-based) fails; 0 disarms.
  void fail_io(uint64_t n) { countdown_ = n; }
  // Writes, syncs and truncates seen so far, and faults fired.
  uint64_t io_calls() const { return calls_; }
  uint64_t faults() const { return faults_; }

  // Called by the VFS for every write/sync/truncate: true if it must fail.
  bool next_fails() {
    ++calls_;
    if (countdown_ == 0 || --countdown_ != 0) return false;
    ++faults_;
    return true;
  }

 private:
  FaultyVfs() = default;
  uint64_t countdown_ = 0;
  uint64_t calls_ = 0;
  uint64_t faults_ = 0;
};

}  // namespace ladder::store::testing
