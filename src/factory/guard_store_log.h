// LogGuardStore: the double-sign guard's records (guard.h) kept in an
// append-only log of a store::RecordStore: SQLite in the daemons, memory in
// the simulator, the same code either way.
//
// Each GuardRecord is one log entry:
//   [format 0x01][txid 32][vout u32le][kind u8][nSequence u32le][sighash 32].
// append() writes a whole batch in one store step, so the records of a
// signing round become durable together, or not at all, before any partial
// signature on them is released. A core that persists its round state
// together with the guard records calls write() inside its own step instead.
//
// Errors: the store's (a failed append leaves no record behind), and
// "store.corrupt" from load() if an entry does not decode.
// Borrows the RecordStore, which must outlive it. Not thread-safe.
#pragma once

#include <string>

#include "factory/guard.h"
#include "store/record_store.h"

namespace ladder::factory {

class LogGuardStore : public GuardStore {
 public:
  static constexpr const char* kDefaultLog = "factory.guard";

  explicit LogGuardStore(store::RecordStore& store, std::string log = kDefaultLog)
      : store_(store), log_(std::move(log)) {}

  Status append(const std::vector<GuardRecord>& records) override;
  Expected<std::vector<GuardRecord>> load() override;

  // Appends `records` to `log` as part of the caller's step.
  static Status write(store::StepWriter& w, std::string_view log, const std::vector<GuardRecord>& records);

 private:
  store::RecordStore& store_;
  std::string log_;
};

Bytes encode_guard_record(const GuardRecord& r);
// "store.corrupt" unless `data` is exactly one encoded record.
Expected<GuardRecord> decode_guard_record(ByteView data);

}  // namespace ladder::factory
