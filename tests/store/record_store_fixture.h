// Backends for the RecordStore conformance and model tests: each test case
// runs once per backend (MemoryStore, SqliteStore on a temp file).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "store/support/temp_dir.h"

namespace ladder::store::testing {

// Owns one store and whatever it needs (a temp dir for SQLite).
class Backend {
 public:
  virtual ~Backend() = default;
  virtual RecordStore& store() = 0;
};

class MemoryBackend : public Backend {
 public:
  RecordStore& store() override { return store_; }

 private:
  MemoryStore store_;
};

class SqliteBackend : public Backend {
 public:
  SqliteBackend() {
    SqliteStoreOptions opts;
    auto key = KeySource::create_key_file(dir_.path("store.key"));
    if (!key) throw std::runtime_error(key.error().to_string());
    opts.key = std::move(key).value();
    auto s = SqliteStore::open(dir_.path("store.db"), std::move(opts));
    if (!s) throw std::runtime_error(s.error().to_string());
    store_ = std::move(s).value();
  }
  RecordStore& store() override { return *store_; }

 private:
  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

enum class BackendKind { memory, sqlite };

inline std::unique_ptr<Backend> make_backend(BackendKind kind) {
  if (kind == BackendKind::memory) return std::make_unique<MemoryBackend>();
  return std::make_unique<SqliteBackend>();
}

inline std::string backend_name(const ::testing::TestParamInfo<BackendKind>& info) {
  return info.param == BackendKind::memory ? "Memory" : "Sqlite";
}

inline ByteView text(std::string_view s) { return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }
inline Bytes bytes(std::string_view s) { return to_bytes(text(s)); }

// The error of `r`, or ok: for step functions that only care whether a write worked.
template <class T>
Status as_status(const Expected<T>& r) {
  if (!r) return r.error();
  return ok();
}

}  // namespace ladder::store::testing
