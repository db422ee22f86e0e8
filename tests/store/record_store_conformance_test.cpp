// The RecordStore contract (record_store.h), checked against every backend.
#include <gtest/gtest.h>

#include <stdexcept>

#include "record_store_fixture.h"
#include "store/support/faulty_store.h"

namespace ladder::store::testing {
namespace {

class RecordStoreConformance : public ::testing::TestWithParam<BackendKind> {
 protected:
  void SetUp() override { backend_ = make_backend(GetParam()); }
  RecordStore& store() { return backend_->store(); }

  Status put(std::string_view kind, std::string_view id, std::string_view value) {
    return store().step([&](StepWriter& w) -> Status {
      LADDER_TRY(w.put(kind, text(id), text(value)));
      return ok();
    });
  }
  Bytes value_of(std::string_view kind, std::string_view id) {
    auto r = store().get(kind, text(id));
    EXPECT_TRUE(r) << r.error().to_string();
    return r && *r ? (*r)->value : Bytes{};
  }
  bool exists(std::string_view kind, std::string_view id) {
    auto r = store().get(kind, text(id));
    return r && r->has_value();
  }

  std::unique_ptr<Backend> backend_;
};

TEST_P(RecordStoreConformance, EmptyStoreHasNothing) {
  auto r = store().get("channel", text("a"));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());
  auto s = store().get_secret("seed", text("a"));
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->has_value());
  EXPECT_TRUE(store().list("channel")->empty());
  EXPECT_TRUE(store().list_secrets("seed")->empty());
  EXPECT_TRUE(store().read_log("events")->empty());
  EXPECT_EQ(*store().last_seq("events"), 0u);
}

TEST_P(RecordStoreConformance, PutCountsRevisionsPerRecord) {
  std::vector<uint64_t> revisions;
  ASSERT_TRUE(store().step([&](StepWriter& w) -> Status {
    for (const char* v : {"one", "two", "three"}) {
      LADDER_ASSIGN(uint64_t rev, w.put("channel", text("a"), text(v)));
      revisions.push_back(rev);
    }
    LADDER_ASSIGN(uint64_t other, w.put("channel", text("b"), text("x")));
    revisions.push_back(other);
    LADDER_ASSIGN(uint64_t other_kind, w.put("factory", text("a"), text("y")));
    revisions.push_back(other_kind);
    return ok();
  }));
  EXPECT_EQ(revisions, (std::vector<uint64_t>{1, 2, 3, 1, 1}));
  auto rec = store().get("channel", text("a"));
  ASSERT_TRUE(rec && *rec);
  EXPECT_EQ(**rec, (Record{3, bytes("three")}));
  EXPECT_EQ(value_of("factory", "a"), bytes("y"));
  // The next step continues the count.
  ASSERT_TRUE(put("channel", "a", "four"));
  EXPECT_EQ((*store().get("channel", text("a")))->revision, 4u);
}

TEST_P(RecordStoreConformance, EraseForgetsTheRecordAndItsRevision) {
  ASSERT_TRUE(put("channel", "a", "one"));
  ASSERT_TRUE(put("channel", "a", "two"));
  std::vector<bool> erased;
  ASSERT_TRUE(store().step([&](StepWriter& w) -> Status {
    LADDER_ASSIGN(bool first, w.erase("channel", text("a")));
    LADDER_ASSIGN(bool second, w.erase("channel", text("a")));
    LADDER_ASSIGN(bool never, w.erase("nothing", text("a")));
    erased = {first, second, never};
    return ok();
  }));
  EXPECT_EQ(erased, (std::vector<bool>{true, false, false}));
  EXPECT_FALSE(exists("channel", "a"));
  ASSERT_TRUE(put("channel", "a", "again"));
  EXPECT_EQ((*store().get("channel", text("a")))->revision, 1u);
}

TEST_P(RecordStoreConformance, ListOrdersIdsAsByteStrings) {
  const std::vector<Bytes> ids = {{0x02}, {0x01, 0xff}, {}, {0x01}, {0x01, 0x00}, {0xff, 0x00, 0x00}};
  ASSERT_TRUE(store().step([&](StepWriter& w) -> Status {
    for (size_t i = 0; i < ids.size(); ++i) LADDER_TRY(w.put("k", ids[i], Bytes(i, static_cast<uint8_t>(i))));
    LADDER_TRY(w.put("other", ids[0], text("not listed")));
    return ok();
  }));
  auto list = store().list("k");
  ASSERT_TRUE(list);
  std::vector<Bytes> got;
  for (const auto& e : *list) got.push_back(e.id);
  EXPECT_EQ(got, (std::vector<Bytes>{{}, {0x01}, {0x01, 0x00}, {0x01, 0xff}, {0x02}, {0xff, 0x00, 0x00}}));
  // Values, including the empty one, come back intact.
  EXPECT_EQ((*list)[0].record.value, Bytes(2, 2));
  EXPECT_EQ((*list)[4].record.value, Bytes{});
}

TEST_P(RecordStoreConformance, LargeAndBinaryValuesRoundTrip) {
  Bytes big(1 << 20);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 131 + (i >> 8));
  Bytes zeros(100, 0);
  ASSERT_TRUE(store().step([&](StepWriter& w) -> Status {
    LADDER_TRY(w.put("blob", text("big"), big));
    LADDER_TRY(w.put("blob", zeros, zeros));
    return ok();
  }));
  EXPECT_EQ(value_of("blob", "big"), big);
  EXPECT_EQ((*store().get("blob", zeros))->value, zeros);
}

TEST_P(RecordStoreConformance, SecretsRoundTripApartFromRecords) {
  const Bytes seed(32, 0xa5);
  ASSERT_TRUE(store().step([&](StepWriter& w) -> Status {
    LADDER_TRY(w.put_secret("seed", text("client-7"), seed));
    LADDER_TRY(w.put_secret("seed", text("client-3"), text("three")));
    LADDER_TRY(w.put_secret("seed", text("empty"), Bytes{}));
    return ok();
  }));
  auto got = store().get_secret("seed", text("client-7"));
  ASSERT_TRUE(got && *got) << (got ? "missing" : got.error().to_string());
  EXPECT_TRUE((*got)->equals(seed));
  EXPECT_FALSE(exists("seed", "client-7"));  // not a plain record
  auto all = store().list_secrets("seed");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, bytes("client-3"));
  EXPECT_TRUE((*all)[0].value.equals(text("three")));
  EXPECT_EQ((*all)[2].id, bytes("empty"));
  EXPECT_TRUE((*all)[2].value.empty());

  std::vector<bool> erased;
  ASSERT_TRUE(store().step([&](StepWriter& w) -> Status {
    LADDER_TRY(w.put_secret("seed", text("client-7"), text("rotated")));
    LADDER_ASSIGN(bool a, w.erase_secret("seed", text("client-3")));
    LADDER_ASSIGN(bool b, w.erase_secret("seed", text("client-3")));
    erased = {a, b};
    return ok();
  }));
  EXPECT_EQ(erased, (std::vector<bool>{true, false}));
  EXPECT_TRUE((*store().get_secret("seed", text("client-7")))->equals(text("rotated")));
  EXPECT_FALSE(store().get_secret("seed", text("client-3"))->has_value());
}

TEST_P(RecordStoreConformance, LogsNumberEntriesFromOnePerLog) {
  std::vector<uint64_t> seqs;
  ASSERT_TRUE(store().step([&](StepWriter& w) -> Status {
    for (int i = 0; i < 3; ++i) {
      LADDER_ASSIGN(uint64_t a, w.append("events", Bytes{static_cast<uint8_t>(i)}));
      LADDER_ASSIGN(uint64_t b, w.append("guard", Bytes{static_cast<uint8_t>(10 + i)}));
      seqs.push_back(a);
      seqs.push_back(b);
    }
    return ok();
  }));
  EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 1, 2, 2, 3, 3}));
  ASSERT_TRUE(store().step([&](StepWriter& w) { return as_status(w.append("events", Bytes{})); }));
  EXPECT_EQ(*store().last_seq("events"), 4u);
  EXPECT_EQ(*store().last_seq("guard"), 3u);
  auto tail = store().read_log("events", 2);
  ASSERT_TRUE(tail);
  EXPECT_EQ(*tail, (std::vector<LogEntry>{{3, {2}}, {4, {}}}));
  auto all = store().read_log("guard");
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, (std::vector<LogEntry>{{1, {10}}, {2, {11}}, {3, {12}}}));
  EXPECT_TRUE(store().read_log("events", 4)->empty());
}

TEST_P(RecordStoreConformance, ReadsInsideAStepSeeItsWrites) {
  ASSERT_TRUE(put("channel", "a", "old"));
  ASSERT_TRUE(store().step([&](StepWriter& w) -> Status {
    LADDER_TRY(w.put("channel", text("a"), text("new")));
    LADDER_TRY(w.put_secret("seed", text("a"), text("s")));
    LADDER_ASSIGN(auto via_writer, w.get("channel", text("a")));
    LADDER_ASSIGN(auto via_store, store().get("channel", text("a")));
    LADDER_ASSIGN(auto secret, w.get_secret("seed", text("a")));
    EXPECT_EQ(via_writer, (Record{2, bytes("new")}));
    EXPECT_EQ(via_store, via_writer);
    EXPECT_TRUE(secret && secret->equals(text("s")));
    return ok();
  }));
}

// A step that fails after overwriting, erasing and appending restores every
// earlier value exactly.
TEST_P(RecordStoreConformance, FailedStepLeavesNothingBehind) {
  ASSERT_TRUE(store().step([&](StepWriter& w) -> Status {
    LADDER_TRY(w.put("channel", text("a"), text("a1")));
    LADDER_TRY(w.put("channel", text("b"), text("b1")));
    LADDER_TRY(w.put_secret("seed", text("a"), text("sa")));
    LADDER_TRY(w.put_secret("seed", text("b"), text("sb")));
    LADDER_TRY(w.append("events", text("e1")));
    return ok();
  }));
  Status s = store().step([&](StepWriter& w) -> Status {
    LADDER_TRY(w.put("channel", text("a"), text("a2")));
    LADDER_TRY(w.put("channel", text("a"), text("a3")));
    LADDER_TRY(w.erase("channel", text("b")));
    LADDER_TRY(w.put("channel", text("c"), text("c1")));
    LADDER_TRY(w.put_secret("seed", text("a"), text("changed")));
    LADDER_TRY(w.erase_secret("seed", text("b")));
    LADDER_TRY(w.put_secret("seed", text("c"), text("new")));
    LADDER_TRY(w.append("events", text("e2")));
    LADDER_TRY(w.append("other", text("o1")));
    return make_error("test.refused", "the protocol step was refused");
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "test.refused");
  EXPECT_EQ(*store().get("channel", text("a")), (Record{1, bytes("a1")}));
  EXPECT_EQ(*store().get("channel", text("b")), (Record{1, bytes("b1")}));
  EXPECT_FALSE(exists("channel", "c"));
  EXPECT_TRUE((*store().get_secret("seed", text("a")))->equals(text("sa")));
  EXPECT_TRUE((*store().get_secret("seed", text("b")))->equals(text("sb")));
  EXPECT_FALSE(store().get_secret("seed", text("c"))->has_value());
  EXPECT_EQ(*store().read_log("events"), (std::vector<LogEntry>{{1, bytes("e1")}}));
  EXPECT_EQ(*store().last_seq("other"), 0u);
  // And the store carries on: the next append reuses the freed number.
  ASSERT_TRUE(store().step([&](StepWriter& w) { return as_status(w.append("events", text("e2"))); }));
  EXPECT_EQ(*store().last_seq("events"), 2u);
}

TEST_P(RecordStoreConformance, ExceptionInsideAStepRollsBackAndPropagates) {
  ASSERT_TRUE(put("channel", "a", "kept"));
  EXPECT_THROW((void)store().step([&](StepWriter& w) -> Status {
    LADDER_TRY(w.put("channel", text("a"), text("lost")));
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_EQ(value_of("channel", "a"), bytes("kept"));
  ASSERT_TRUE(put("channel", "a", "next"));
  EXPECT_EQ((*store().get("channel", text("a")))->revision, 2u);
}

TEST_P(RecordStoreConformance, NestedStepIsAProgrammerError) {
  EXPECT_THROW((void)store().step([&](StepWriter&) -> Status { return store().step([](StepWriter&) { return ok(); }); }),
               std::logic_error);
  ASSERT_TRUE(put("channel", "a", "still usable"));
}

// Every write position of a step, failed in turn: the step reports the
// injected error, none of its writes remain, later writes in the same step
// are refused, and a retry without the fault commits everything.
TEST_P(RecordStoreConformance, InjectedWriteFailureAtEveryPositionLeavesNothing) {
  FaultyStore faulty(store());
  ASSERT_TRUE(put("channel", "a", "before"));
  auto protocol_step = [&](StepWriter& w) -> Status {
    LADDER_TRY(w.put("channel", text("a"), text("after")));
    LADDER_TRY(w.put_secret("key", text("a"), text("handed-over")));
    LADDER_TRY(w.append("guard", text("g")));
    LADDER_TRY(w.erase("channel", text("z")));
    LADDER_TRY(w.erase_secret("key", text("z")));
    return ok();
  };
  constexpr int kWrites = 5;
  for (int n = 1; n <= kWrites; ++n) {
    faulty.fail_write(static_cast<uint64_t>(n));
    Status s = faulty.step(protocol_step);
    ASSERT_FALSE(s) << "write " << n;
    EXPECT_EQ(s.error().code, "store.injected");
    EXPECT_EQ(value_of("channel", "a"), bytes("before")) << "write " << n;
    EXPECT_FALSE(store().get_secret("key", text("a"))->has_value());
    EXPECT_EQ(*store().last_seq("guard"), 0u);
  }
  EXPECT_EQ(faulty.injected(), static_cast<uint64_t>(kWrites));

  // A function that ignores a failed write cannot commit the rest.
  faulty.fail_write(1);
  Status ignored = faulty.step([&](StepWriter& w) -> Status {
    (void)w.put("channel", text("a"), text("x"));
    auto later = w.append("guard", text("g"));
    EXPECT_FALSE(later);
    EXPECT_EQ(later.error().code, "store.injected");
    return ok();
  });
  ASSERT_FALSE(ignored);
  EXPECT_EQ(*store().last_seq("guard"), 0u);

  ASSERT_TRUE(faulty.step(protocol_step));
  EXPECT_EQ(value_of("channel", "a"), bytes("after"));
  EXPECT_EQ(*store().last_seq("guard"), 1u);
}

TEST_P(RecordStoreConformance, InjectedCommitFailureLeavesNothing) {
  FaultyStore faulty(store());
  faulty.fail_commit(2);
  auto append = [&](std::string_view v) {
    return faulty.step([&](StepWriter& w) { return as_status(w.append("events", text(v))); });
  };
  ASSERT_TRUE(append("first"));
  Status s = append("second");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.injected");
  ASSERT_TRUE(append("third"));
  EXPECT_EQ(*store().read_log("events"), (std::vector<LogEntry>{{1, bytes("first")}, {2, bytes("third")}}));
  faulty.dead(true);
  EXPECT_FALSE(append("never"));
  EXPECT_EQ(*store().last_seq("events"), 2u);
  EXPECT_EQ(faulty.steps(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordStoreConformance,
                         ::testing::Values(BackendKind::memory, BackendKind::sqlite), backend_name);

}  // namespace
}  // namespace ladder::store::testing
