// FaultyStore: a RecordStore wrapper that fails on purpose, so higher layers
// can test "persist failed => nothing revealed" (and the store itself can
// test that a failed step leaves nothing behind).
//
// Test-only: this lives under tests/ and is never linked into a shipped
// binary; production code has no switch that makes a store fail.
//
// Faults:
//   fail_write(n)   the n-th write from now (put, erase, put_secret,
//                   erase_secret or append; 1-based, counted across steps)
//                   fails with "store.injected", after the earlier writes of
//                   its step reached the inner store: the inner store must
//                   then roll them back;
//   fail_commit(n)  the n-th step from now runs its function and all its
//                   writes, then fails with "store.injected" at the end, as
//                   if the commit had failed;
//   dead(true)      every write fails, like a disk gone read-only.
// Each one-shot fault fires once. Reads are passed through untouched.
// Borrows the inner store, which must outlive it. Not thread-safe.
#pragma once

#include <cstdint>

#include "store/record_store.h"

namespace ladder::store::testing {

class FaultyStore : public RecordStore {
 public:
  explicit FaultyStore(RecordStore& inner) : inner_(inner) {}

  void fail_write(uint64_t n) { write_countdown_ = n; }
  void fail_commit(uint64_t n) { commit_countdown_ = n; }
  void dead(bool on) { dead_ = on; }
  // Writes and steps attempted so far (including failed ones).
  uint64_t writes() const { return writes_; }
  uint64_t steps() const { return steps_; }
  // Faults that fired so far.
  uint64_t injected() const { return injected_; }

  Status step(const StepFn& fn) override;
  Expected<std::optional<Record>> get(std::string_view kind, ByteView id) override { return inner_.get(kind, id); }
  Expected<std::optional<SecretBytes>> get_secret(std::string_view kind, ByteView id) override {
    return inner_.get_secret(kind, id);
  }
  Expected<std::vector<RecordEntry>> list(std::string_view kind) override { return inner_.list(kind); }
  Expected<std::vector<SecretEntry>> list_secrets(std::string_view kind) override { return inner_.list_secrets(kind); }
  Expected<std::vector<LogEntry>> read_log(std::string_view log, uint64_t after = 0) override {
    return inner_.read_log(log, after);
  }
  Expected<uint64_t> last_seq(std::string_view log) override { return inner_.last_seq(log); }

 private:
  class Writer;
  // True if the write about to happen must fail.
  bool write_fault();
  Error injected_error(const std::string& what);

  RecordStore& inner_;
  uint64_t write_countdown_ = 0;
  uint64_t commit_countdown_ = 0;
  bool dead_ = false;
  uint64_t writes_ = 0;
  uint64_t steps_ = 0;
  uint64_t injected_ = 0;
};

}  // namespace ladder::store::testing
