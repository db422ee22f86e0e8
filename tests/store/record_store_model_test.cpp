// Randomized: the same random protocol steps (some of them failing half-way)
// run on MemoryStore and SqliteStore must give the same results, op by op,
// and leave the same contents after every step (LevelDB's ModelDB idea,
// with the memory store as the model).
#include <gtest/gtest.h>

#include <random>

#include "record_store_fixture.h"

namespace ladder::store::testing {
namespace {

struct Op {
  enum Kind { put, erase, put_secret, erase_secret, append } kind;
  std::string name;  // kind or log
  Bytes id;
  Bytes value;
};

struct Step {
  std::vector<Op> ops;
  size_t fail_after = SIZE_MAX;  // return an error after this many ops
};

const char* const kKinds[] = {"channel", "factory"};
const char* const kLogs[] = {"events", "guard"};

Step random_step(std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  Step s;
  size_t n = 1 + pick(6);
  for (size_t i = 0; i < n; ++i) {
    Op op;
    op.kind = static_cast<Op::Kind>(pick(5));
    op.name = op.kind == Op::append ? kLogs[pick(2)] : kKinds[pick(2)];
    op.id = Bytes(pick(3), static_cast<uint8_t>(pick(3)));  // few distinct ids, some empty
    op.value = Bytes(pick(40), static_cast<uint8_t>(rng()));
    s.ops.push_back(std::move(op));
  }
  if (pick(4) == 0) s.fail_after = pick(n + 1);
  return s;
}

// Runs `step` on `store`; returns the op results as numbers (revision,
// erased flag, sequence, or 0 for put_secret) and the step's status.
std::pair<std::vector<uint64_t>, bool> run(RecordStore& store, const Step& step) {
  std::vector<uint64_t> results;
  Status s = store.step([&](StepWriter& w) -> Status {
    for (size_t i = 0; i < step.ops.size(); ++i) {
      if (i == step.fail_after) return make_error("test.abort");
      const Op& op = step.ops[i];
      switch (op.kind) {
        case Op::put: {
          LADDER_ASSIGN(uint64_t rev, w.put(op.name, op.id, op.value));
          results.push_back(rev);
          break;
        }
        case Op::erase: {
          LADDER_ASSIGN(bool erased, w.erase(op.name, op.id));
          results.push_back(erased);
          break;
        }
        case Op::put_secret:
          LADDER_TRY(w.put_secret(op.name, op.id, op.value));
          results.push_back(0);
          break;
        case Op::erase_secret: {
          LADDER_ASSIGN(bool erased, w.erase_secret(op.name, op.id));
          results.push_back(erased);
          break;
        }
        case Op::append: {
          LADDER_ASSIGN(uint64_t seq, w.append(op.name, op.value));
          results.push_back(seq);
          break;
        }
      }
    }
    return step.fail_after == step.ops.size() ? make_error("test.abort") : ok();
  });
  EXPECT_TRUE(s || s.error().code == "test.abort") << s.error().to_string();
  return {results, s.has_value()};
}

// Everything in the store, flattened for comparison.
std::vector<Bytes> contents(RecordStore& store) {
  std::vector<Bytes> out;
  for (const char* kind : kKinds) {
    auto records = store.list(kind);
    auto secrets = store.list_secrets(kind);
    EXPECT_TRUE(records && secrets);
    if (!records || !secrets) return out;
    for (const auto& e : *records) {
      out.push_back(e.id);
      out.push_back(e.record.value);
      out.push_back(Bytes{static_cast<uint8_t>(e.record.revision)});
    }
    out.push_back({0xee});
    for (const auto& e : *secrets) {
      out.push_back(e.id);
      out.push_back(to_bytes(e.value.view()));
    }
    out.push_back({0xef});
  }
  for (const char* log : kLogs) {
    auto entries = store.read_log(log);
    EXPECT_TRUE(entries);
    if (!entries) return out;
    for (const auto& e : *entries) {
      out.push_back(Bytes{static_cast<uint8_t>(e.seq)});
      out.push_back(e.value);
    }
  }
  return out;
}

TEST(RecordStoreModel, SqliteMatchesMemoryOverRandomSteps) {
  MemoryBackend model;
  SqliteBackend sqlite;
  std::mt19937_64 rng(20240801);
  constexpr int kSteps = 300;
  int committed = 0;
  for (int i = 0; i < kSteps; ++i) {
    Step step = random_step(rng);
    auto expected = run(model.store(), step);
    auto actual = run(sqlite.store(), step);
    ASSERT_EQ(actual, expected) << "step " << i;
    ASSERT_EQ(contents(sqlite.store()), contents(model.store())) << "after step " << i;
    committed += expected.second;
  }
  // The run exercised both outcomes.
  EXPECT_GT(committed, kSteps / 2);
  EXPECT_LT(committed, kSteps);
  std::printf("%d random steps, %d committed, %d rolled back\n", kSteps, committed, kSteps - committed);
}

}  // namespace
}  // namespace ladder::store::testing
