// Timeout legs and the reveal cutoff (DESIGN §6 (R)): the earliest legs
// satisfy every rule, and moving any leg one block past its bound is refused
// by the check both sides run, with the rule's own error code.
#include <gtest/gtest.h>

#include "migrate/legs.h"

namespace ladder::migrate {
namespace {

LegContext on_chain_ctx() {
  LegContext c;
  c.second = SecondLeg::on_chain;
  c.now = 1000;
  c.old_timeout = 5000;
  c.x_old = 300;
  c.batch_height = 1010;
  c.depth = 3;
  c.max_depth = 6;
  c.cutoff = 36;
  return c;
}

LegContext new_factory_ctx() {
  LegContext c = on_chain_ctx();
  c.second = SecondLeg::new_factory;
  c.x_new = 250;
  c.new_timeout = 9000;
  return c;
}

std::string code(const Status& s) { return s ? std::string("ok") : s.error().code; }

TEST(Legs, EarliestOnChainLegsMeetEveryBoundExactly) {
  const auto c = on_chain_ctx();
  const Legs legs = earliest_legs(c).value();
  EXPECT_EQ(*legs.t_on, 1010u + 3 + 36);
  EXPECT_EQ(legs.t_in, *legs.t_on + 300);
  EXPECT_FALSE(legs.t_new);
  EXPECT_EQ(code(check_legs(c, legs)), "ok");
}

TEST(Legs, EarliestNewFactoryLegsMeetEveryBoundExactly) {
  const auto c = new_factory_ctx();
  const Legs legs = earliest_legs(c).value();
  EXPECT_EQ(*legs.t_new, 1000u + 250 + 36);
  EXPECT_TRUE(may_reveal_in_factory(c.now, c.x_new, c.cutoff, *legs.t_new));
  EXPECT_EQ(legs.t_in, *legs.t_new + 300);
  EXPECT_EQ(code(check_legs(c, legs)), "ok");
}

TEST(Legs, EachRuleRefusesOneBlockPastItsBound) {
  {
    const auto c = on_chain_ctx();
    Legs legs = earliest_legs(c).value();
    Legs early_on = legs;
    --*early_on.t_on;
    early_on.t_in = *early_on.t_on + c.x_old;  // keep T_in consistent: only T_on is wrong
    EXPECT_EQ(code(check_legs(c, early_on)), "migrate.t-on-too-early");
    Legs early_in = legs;
    --early_in.t_in;
    EXPECT_EQ(code(check_legs(c, early_in)), "migrate.t-in-too-early");
    Legs late_in = legs;
    late_in.t_in = c.old_timeout - c.x_old + 1;
    EXPECT_EQ(code(check_legs(c, late_in)), "migrate.t-in-too-late");
    late_in.t_in = c.old_timeout - c.x_old;
    EXPECT_EQ(code(check_legs(c, late_in)), "ok");
  }
  {
    const auto c = new_factory_ctx();
    Legs legs = earliest_legs(c).value();
    Legs early_new = legs;
    early_new.t_new = c.now + c.x_new;  // the rule's own minimum passes
    EXPECT_EQ(code(check_legs(c, early_new)), "ok");
    --*early_new.t_new;
    EXPECT_EQ(code(check_legs(c, early_new)), "migrate.t-new-too-early");
    Legs late_new = legs;
    late_new.t_new = *c.new_timeout - c.x_new + 1;
    late_new.t_in = c.old_timeout - c.x_old;
    EXPECT_EQ(code(check_legs(c, late_new)), "migrate.t-new-too-late");
  }
}

TEST(Legs, WrongSecondLegAndDepthAreRefused) {
  const auto c = on_chain_ctx();
  Legs legs = earliest_legs(c).value();
  Legs missing = legs;
  missing.t_on.reset();
  EXPECT_EQ(code(check_legs(c, missing)), "migrate.leg-missing");
  Legs extra = legs;
  extra.t_new = legs.t_on;
  EXPECT_EQ(code(check_legs(c, extra)), "migrate.leg-unexpected");
  for (uint32_t d : {0u, 7u}) {
    auto bad = c;
    bad.depth = d;
    EXPECT_EQ(code(check_legs(bad, legs)), "migrate.bad-depth");
    EXPECT_EQ(earliest_legs(bad).error().code, "migrate.bad-depth");
  }
  auto deeper = c;
  deeper.depth = 6;  // a deeper choice pushes T_on out: the old legs no longer do
  EXPECT_EQ(code(check_legs(deeper, legs)), "migrate.t-on-too-early");
}

TEST(Legs, NoLegsFitWhenTheOldFactoryIsTooCloseToItsTimeout) {
  auto c = on_chain_ctx();
  c.old_timeout = 1010 + 3 + 36 + 2 * 300 - 1;
  EXPECT_EQ(earliest_legs(c).error().code, "migrate.t-in-too-late");
  c.old_timeout += 1;
  EXPECT_TRUE(earliest_legs(c));
}

TEST(Legs, RevealCutoffBoundaries) {
  // In-factory: tip + X + c ≤ T.
  EXPECT_TRUE(may_reveal_in_factory(100, 50, 10, 160));
  EXPECT_FALSE(may_reveal_in_factory(101, 50, 10, 160));
  EXPECT_EQ(code(check_reveal_in_factory(101, 50, 10, 160)), "migrate.past-reveal-cutoff");
  // On-chain: tip + c ≤ T_on.
  EXPECT_TRUE(may_reveal_on_chain(100, 10, 110));
  EXPECT_FALSE(may_reveal_on_chain(101, 10, 110));
  EXPECT_EQ(code(check_reveal_on_chain(101, 10, 110)), "migrate.past-reveal-cutoff");
  EXPECT_EQ(code(check_reveal_on_chain(100, 10, 110)), "ok");
}

}  // namespace
}  // namespace ladder::migrate
