// Benchmark suite "store": what a protocol step costs on disk. A durable
// step's floor is one fsync (the WAL's, at commit) whatever the number of
// rows, so the ratios show what rows, statements and encryption add on top.
// Files go to $TMPDIR (or /tmp): run it on the disk the daemons will use.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>

#include "bench/runner.h"
#include "factory/guard_store_log.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"

namespace ladder::bench {
namespace {

void add(const std::string& name, std::function<void(benchmark::State&)> fn) {
  benchmark::RegisterBenchmark(("store/" + name).c_str(), std::move(fn))->MinTime(0.3);
}

// A scratch directory for one benchmark case, removed afterwards.
class Scratch {
 public:
  Scratch() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/ladder-bench-XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
};

std::unique_ptr<store::SqliteStore> open_store(const Scratch& s) {
  store::SqliteStoreOptions opts;
  auto key = store::KeySource::create_key_file(s.path("key"));
  if (!key) throw std::runtime_error(key.error().to_string());
  opts.key = std::move(key).value();
  auto st = store::SqliteStore::open(s.path("bench.db"), std::move(opts));
  if (!st) throw std::runtime_error(st.error().to_string());
  return std::move(st).value();
}

void check(const Status& s) {
  if (!s) throw std::runtime_error(s.error().to_string());
}

Bytes id_of(uint64_t i) {
  Bytes id(8);
  for (int b = 0; b < 8; ++b) id[b] = static_cast<uint8_t>(i >> (56 - 8 * b));
  return id;
}

// `rows` records of 300 bytes (a channel state's size) in one step.
void records_step(store::RecordStore& s, uint64_t& n, int rows) {
  const Bytes value(300, 0x42);
  check(s.step([&](store::StepWriter& w) -> Status {
    for (int r = 0; r < rows; ++r) LADDER_TRY(w.put("channel", id_of(n++ % 4096), value));
    return ok();
  }));
}

void register_raw() {
  add("raw/fsync_4k", [](benchmark::State& st) {
    Scratch s;
    int fd = ::open(s.path("raw").c_str(), O_RDWR | O_CREAT, 0600);
    if (fd < 0) throw std::runtime_error("open failed");
    uint8_t page[4096] = {};
    off_t off = 0;
    for (auto _ : st) {
      if (::pwrite(fd, page, sizeof page, off) != static_cast<ssize_t>(sizeof page) || ::fsync(fd) != 0)
        throw std::runtime_error("pwrite/fsync failed");
      off = (off + 4096) % (1 << 20);
    }
    ::close(fd);
  });
  add("raw/aes_gcm_seal_32", [](benchmark::State& st) {
    const uint8_t key[32] = {1}, iv[12] = {2}, in[32] = {3};
    uint8_t out[32], tag[16];
    int len = 0;
    for (auto _ : st) {
      EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
      EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, iv);
      EVP_EncryptUpdate(ctx, out, &len, in, sizeof in);
      EVP_EncryptFinal_ex(ctx, out, &len);
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, sizeof tag, tag);
      EVP_CIPHER_CTX_free(ctx);
      benchmark::DoNotOptimize(tag);
    }
  });
}

void register_steps() {
  for (int rows : {1, 64, 1024}) {
    add("step_" + std::to_string(rows) + "_records", [rows](benchmark::State& st) {
      Scratch s;
      auto db = open_store(s);
      uint64_t n = 0;
      for (auto _ : st) records_step(*db, n, rows);
      st.counters["floor:fsync_4k"] = 1;
      st.counters["rows_per_second"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
    });
  }
  add("step_64_guard_records", [](benchmark::State& st) {
    Scratch s;
    auto db = open_store(s);
    factory::LogGuardStore guard(*db);
    std::vector<factory::GuardRecord> round(64);
    uint32_t n = 0;
    for (auto _ : st) {
      for (auto& r : round) r.outpoint.n = n++;
      check(guard.append(round));
    }
    st.counters["floor:fsync_4k"] = 1;
  });
  add("step_32_secrets", [](benchmark::State& st) {
    Scratch s;
    auto db = open_store(s);
    const Bytes secret(32, 0x77);
    uint64_t n = 0;
    for (auto _ : st)
      check(db->step([&](store::StepWriter& w) -> Status {
        for (int i = 0; i < 32; ++i) LADDER_TRY(w.put_secret("revocation", id_of(n++ % 4096), secret));
        return ok();
      }));
    st.counters["floor:fsync_4k"] = 1;
    st.counters["floor:aes_gcm_seal_32"] = 32;
  });
  add("memory_step_64_records", [](benchmark::State& st) {
    store::MemoryStore mem;
    uint64_t n = 0;
    for (auto _ : st) records_step(mem, n, 64);
  });
  add("get_record", [](benchmark::State& st) {
    Scratch s;
    auto db = open_store(s);
    uint64_t n = 0;
    records_step(*db, n, 1024);
    uint64_t i = 0;
    for (auto _ : st) {
      auto r = db->get("channel", id_of(i++ % 1024));
      if (!r || !*r) throw std::runtime_error("missing record");
      benchmark::DoNotOptimize(r);
    }
  });
}

void register_suite(const Options&) {
  register_raw();
  register_steps();
}

const bool kRegistered =
    add_suite("store", "durable protocol steps (SQLite WAL, one fsync per step) vs raw fsync and AES-GCM", register_suite);

}  // namespace
}  // namespace ladder::bench
