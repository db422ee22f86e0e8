#include <gtest/gtest.h>

#include "factory/guard.h"

namespace ladder::factory {
namespace {

btc::OutPoint op(uint8_t b) {
  btc::OutPoint o;
  o.txid.bytes[0] = b;
  return o;
}
Bytes32 h(uint8_t b) {
  Bytes32 x{};
  x[0] = b;
  return x;
}

TEST(Guard, OneKickoffOrStaticPerOutpoint) {
  GuardTable t;
  MemoryGuardStore store;
  ASSERT_TRUE(t.check_and_persist({{op(1), GuardKind::spend, 0, h(1)}}, store));
  // A retry of the byte-identical tx is fine; another tx is not.
  EXPECT_TRUE(t.check({op(1), GuardKind::spend, 0, h(1)}));
  auto s = t.check({op(1), GuardKind::spend, 0, h(2)});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "factory.double-sign");
}

TEST(Guard, OneDistributionPerOutpoint) {
  GuardTable t;
  MemoryGuardStore store;
  ASSERT_TRUE(t.check_and_persist({{op(1), GuardKind::distribution, 0, h(1)}}, store));
  EXPECT_FALSE(t.check({op(1), GuardKind::distribution, 0, h(2)}));
  // Distribution and kickoff of the same outpoint are separate rules.
  EXPECT_TRUE(t.check({op(1), GuardKind::spend, 0, h(3)}));
}

TEST(Guard, StateSequencesStrictlyDecrease) {
  GuardTable t;
  MemoryGuardStore store;
  ASSERT_TRUE(t.check_and_persist({{op(1), GuardKind::state, 18, h(1)}}, store));
  EXPECT_FALSE(t.check({op(1), GuardKind::state, 18, h(2)}));  // same nSequence, other tx
  EXPECT_FALSE(t.check({op(1), GuardKind::state, 24, h(2)}));  // older state
  EXPECT_TRUE(t.check({op(1), GuardKind::state, 18, h(1)}));   // identical retry
  ASSERT_TRUE(t.check_and_persist({{op(1), GuardKind::state, 12, h(3)}}, store));
  EXPECT_FALSE(t.check({op(1), GuardKind::state, 12, h(4)}));
  EXPECT_TRUE(t.check({op(1), GuardKind::state, 6, h(5)}));
}

TEST(Guard, BatchConflictsWithItselfAndLeavesNothingBehind) {
  GuardTable t;
  MemoryGuardStore store;
  auto s = t.check_and_persist({{op(1), GuardKind::spend, 0, h(1)}, {op(1), GuardKind::spend, 0, h(2)}}, store);
  ASSERT_FALSE(s);
  EXPECT_EQ(store.size(), 0u);
  EXPECT_TRUE(t.check({op(1), GuardKind::spend, 0, h(2)}));
}

TEST(Guard, RecordsSurviveRestartAndNeverRollBack) {
  MemoryGuardStore store;
  {
    GuardTable t;
    ASSERT_TRUE(t.check_and_persist({{op(7), GuardKind::state, 6, h(1)}, {op(8), GuardKind::spend, 0, h(2)}}, store));
  }
  auto reloaded = GuardTable::load(store).value();
  EXPECT_FALSE(reloaded.check({op(7), GuardKind::state, 12, h(9)}));
  EXPECT_FALSE(reloaded.check({op(8), GuardKind::spend, 0, h(9)}));
  // Re-persisting known records adds nothing.
  ASSERT_TRUE(reloaded.check_and_persist({{op(8), GuardKind::spend, 0, h(2)}}, store));
  EXPECT_EQ(store.size(), 2u);
}

}  // namespace
}  // namespace ladder::factory
