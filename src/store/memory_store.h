// MemoryStore: the RecordStore in memory, for the simulator and tests.
//
// Same semantics as SqliteStore (the conformance suite runs against both),
// minus durability and encryption: it lives and dies with the process.
// A step writes in place and keeps an undo list, so a failed step costs as
// much as its own writes, not a copy of the store.
//
// Errors: none of its own (every operation succeeds); a step returns the
// error of its function. Not thread-safe.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <variant>

#include "store/record_store.h"

namespace ladder::store {

// Orders Bytes and ByteView alike, so maps keyed by Bytes can be searched
// with a view.
struct ByteLess {
  using is_transparent = void;
  bool operator()(ByteView a, ByteView b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
};

class MemoryStore : public RecordStore {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  Status step(const StepFn& fn) override;
  Expected<std::optional<Record>> get(std::string_view kind, ByteView id) override;
  Expected<std::optional<SecretBytes>> get_secret(std::string_view kind, ByteView id) override;
  Expected<std::vector<RecordEntry>> list(std::string_view kind) override;
  Expected<std::vector<SecretEntry>> list_secrets(std::string_view kind) override;
  Expected<std::vector<LogEntry>> read_log(std::string_view log, uint64_t after = 0) override;
  Expected<uint64_t> last_seq(std::string_view log) override;

 private:
  class Writer;
  template <class V>
  using Tables = std::map<std::string, std::map<Bytes, V, ByteLess>, std::less<>>;
  // What a write replaced, to put back if the step fails.
  template <class V>
  struct UndoCell {
    std::string kind;
    Bytes id;
    std::optional<V> old;
  };
  struct UndoAppend {
    std::string log;
  };
  using Undo = std::variant<UndoCell<Record>, UndoCell<SecretBytes>, UndoAppend>;
  // Sets (kind, id) to `value`, or removes it if nullopt; returns what was
  // there before.
  template <class V>
  static std::optional<V> exchange(Tables<V>& tables, std::string_view kind, ByteView id, std::optional<V> value);
  template <class V>
  static const V* find(const Tables<V>& tables, std::string_view kind, ByteView id);
  void roll_back();

  Tables<Record> records_;
  Tables<SecretBytes> secrets_;
  std::map<std::string, std::vector<Bytes>, std::less<>> logs_;
  std::vector<Undo> undo_;
  bool in_step_ = false;
};

}  // namespace ladder::store
