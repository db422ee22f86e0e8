// RecordStore: the persistence interface the protocol cores write through,
// without SQL. Implemented by SqliteStore (daemons) and MemoryStore
// (simulator, tests); both pass the same conformance suite.
//
// Three kinds of data, each addressed by a short `kind` / `log` name that a
// core chooses (e.g. "channel", "guard/<factory>"):
//   records  (kind, id) -> value, with a revision that starts at 1 and grows
//            by one on every put (erase forgets it: a later put starts at 1);
//   secrets  (kind, id) -> secret value, kept apart from records, encrypted
//            at rest by SqliteStore (cell-bound AES-256-GCM, see secret.h);
//   logs     append-only sequences of entries, numbered 1, 2, 3, ... per log
//            (events to replay, guard records).
// Ids are compared as byte strings (shorter prefix first).
//
// Writes happen only inside step(fn): everything fn writes commits
// atomically, and durably, before step() returns ok — the "persist before
// reveal" rule (STYLE.md §7): a core releases a signature, secret or key only
// after the step that recorded it returned ok. If fn returns an error, throws,
// or any write inside it fails, nothing of the step remains and step()
// returns that error; once one write of a step failed, the step is doomed
// (later writes return the same error). A failed step freezes the caller's
// progress, like LDK's failed persist: it must not reveal anything and may
// retry the whole step later.
//
// Cost: a SqliteStore step is one transaction and one WAL fsync (~4 ms on
// the reference disk) however many rows it writes (1,024 records: ~13 ms);
// so a core should make one step per protocol round of a factory, not one
// per client message.
//
// Reads (on the store or on the writer) see the writes of the step in
// progress. Steps do not nest: calling step() inside fn is a programmer error
// (std::logic_error).
//
// Errors: those of the backend ("store.io", "store.full", "store.busy", ...,
// see database.h), "store.no-key" (a secret operation on a store opened
// without a key source), "store.decrypt" (a secret that does not
// authenticate). Not thread-safe: one store per host thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "store/secret.h"

namespace ladder::store {

struct Record {
  uint64_t revision = 0;
  Bytes value;
  bool operator==(const Record&) const = default;
};

struct RecordEntry {
  Bytes id;
  Record record;
  bool operator==(const RecordEntry&) const = default;
};

struct SecretEntry {
  Bytes id;
  SecretBytes value;
};

struct LogEntry {
  uint64_t seq = 0;
  Bytes value;
  bool operator==(const LogEntry&) const = default;
};

// The read side, shared by the store and the writer of a step.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  virtual Expected<std::optional<Record>> get(std::string_view kind, ByteView id) = 0;
  virtual Expected<std::optional<SecretBytes>> get_secret(std::string_view kind, ByteView id) = 0;
};

// The writes of one step. Public calls record the first failure (see the
// header comment); backends implement the do_* hooks. Reads go to `reads`,
// which sees the step's writes (the store itself, or a wrapped writer).
class StepWriter : public RecordReader {
 public:
  explicit StepWriter(RecordReader& reads) : reads_(reads) {}

  Expected<std::optional<Record>> get(std::string_view kind, ByteView id) final { return reads_.get(kind, id); }
  Expected<std::optional<SecretBytes>> get_secret(std::string_view kind, ByteView id) final {
    return reads_.get_secret(kind, id);
  }

  // Stores `value` under (kind, id); returns the new revision.
  Expected<uint64_t> put(std::string_view kind, ByteView id, ByteView value);
  // Removes the record; returns whether it existed.
  Expected<bool> erase(std::string_view kind, ByteView id);
  Status put_secret(std::string_view kind, ByteView id, ByteView secret);
  Expected<bool> erase_secret(std::string_view kind, ByteView id);
  // Appends to `log`; returns the entry's sequence number.
  Expected<uint64_t> append(std::string_view log, ByteView value);

  // The first write error of this step, if any.
  const std::optional<Error>& failure() const { return failure_; }

 protected:
  virtual Expected<uint64_t> do_put(std::string_view kind, ByteView id, ByteView value) = 0;
  virtual Expected<bool> do_erase(std::string_view kind, ByteView id) = 0;
  virtual Status do_put_secret(std::string_view kind, ByteView id, ByteView secret) = 0;
  virtual Expected<bool> do_erase_secret(std::string_view kind, ByteView id) = 0;
  virtual Expected<uint64_t> do_append(std::string_view log, ByteView value) = 0;

 private:
  template <class T>
  Expected<T> guard(Expected<T> r);
  RecordReader& reads_;
  std::optional<Error> failure_;
};

using StepFn = std::function<Status(StepWriter&)>;

class RecordStore : public RecordReader {
 public:
  // Runs `fn` as one atomic, durable write (see the header comment).
  virtual Status step(const StepFn& fn) = 0;

  // Every record / secret of `kind`, ordered by id.
  virtual Expected<std::vector<RecordEntry>> list(std::string_view kind) = 0;
  virtual Expected<std::vector<SecretEntry>> list_secrets(std::string_view kind) = 0;
  // The entries of `log` with seq > after, in order.
  virtual Expected<std::vector<LogEntry>> read_log(std::string_view log, uint64_t after = 0) = 0;
  // The last sequence number of `log` (0 if empty).
  virtual Expected<uint64_t> last_seq(std::string_view log) = 0;
};

// Runs a step's function and folds its writer's failure into the result:
// what every backend's step() does between begin and commit.
Status run_step_fn(const StepFn& fn, StepWriter& writer);

}  // namespace ladder::store
