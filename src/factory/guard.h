// The double-sign guard (DESIGN §3.3 (R)): what a signer has signed for each
// spent outpoint of a factory tree, recorded and persisted BEFORE any
// partial signature on it is released, never rolled back.
//
// Rules, per spent outpoint:
//   - at most one kickoff-or-static tx, ever;
//   - at most one distribution tx, ever;
//   - a DW state tx only if its nSequence is strictly below every nSequence
//     already signed for that outpoint;
//   - re-signing a byte-identical tx (same sighash) with fresh nonces is
//     always allowed (a retry).
// Channel commitments are outside the guard (revocation protects them).
//
// GuardTable is the pure rule set; GuardStore is where the host persists the
// records (SQLite in the daemons, memory in tests and the simulator). A
// signer calls check() for every tx of a round, then record() for all of
// them in one store write, and only then signs.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <vector>

#include "btc/tx.h"
#include "util/expected.h"

namespace ladder::factory {

enum class GuardKind : uint8_t { spend = 0 /* kickoff or static */, distribution = 1, state = 2 };

struct GuardRecord {
  btc::OutPoint outpoint;
  GuardKind kind = GuardKind::spend;
  uint32_t sequence = 0;  // state txs
  Bytes32 sighash{};
  bool operator==(const GuardRecord&) const = default;
};

// Persistence of guard records: an append-only log.
class GuardStore {
 public:
  virtual ~GuardStore() = default;
  // Durably appends the records (all or none). Only after this returns ok may
  // a partial signature on any of them be released.
  virtual Status append(const std::vector<GuardRecord>& records) = 0;
  // Every record ever appended (to rebuild the table after a restart).
  virtual Expected<std::vector<GuardRecord>> load() = 0;
};

class MemoryGuardStore : public GuardStore {
 public:
  Status append(const std::vector<GuardRecord>& records) override;
  Expected<std::vector<GuardRecord>> load() override { return records_; }
  size_t size() const { return records_.size(); }

 private:
  std::vector<GuardRecord> records_;
};

class GuardTable {
 public:
  // "factory.double-sign" if signing `r` would break a rule.
  Status check(const GuardRecord& r) const;
  // Adds a record (no check).
  void add(const GuardRecord& r);
  // True if exactly this record is already in the table.
  bool contains(const GuardRecord& r) const;
  size_t size() const { return entries_.size(); }

  // Checks every record (and that they do not conflict among themselves),
  // appends the new ones to `store`, then adds them. Nothing changes on error.
  Status check_and_persist(const std::vector<GuardRecord>& records, GuardStore& store);

  static Expected<GuardTable> load(GuardStore& store);

 private:
  struct Entry {
    std::optional<Bytes32> spend;
    std::optional<Bytes32> distribution;
    std::optional<uint32_t> min_sequence;
    std::set<Bytes32> state_sighashes;
  };
  std::map<btc::OutPoint, Entry> entries_;
};

}  // namespace ladder::factory
