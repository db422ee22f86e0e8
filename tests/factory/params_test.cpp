#include <gtest/gtest.h>

#include "factory/params.h"
#include "factory/shape.h"

namespace ladder::factory {
namespace {

TEST(Params, WorkedExampleOfDesign) {
  // 64 clients, defaults: two static levels, one interior DW level, DW leaves.
  FactoryParams p;
  auto shape = Shape::build(64, p).value();
  EXPECT_EQ(shape.levels().static_levels, 2u);
  EXPECT_EQ(shape.levels().dw_levels, 2u);
  uint32_t x = enforcement_time(p, shape.levels());
  EXPECT_EQ(x, 1128u);  // 2·144·3 + 6·8 + 144 + 36 + 36
  auto h = compute_heights(p, shape.levels(), 1000);
  EXPECT_EQ(h.end_active, 1000u + 4320);
  EXPECT_EQ(h.end_dying, 1000u + 4752);
  // TO = end of dying + 2X + max(X_new, B + d_max + c) + m ≈ birth + 56 days.
  EXPECT_EQ(h.timeout, h.end_dying + 2 * 1128 + 1128 + 36);
  EXPECT_EQ((h.timeout - 1000) / 144, 56u);
  EXPECT_TRUE(validate(p, shape.levels()));
}

TEST(Params, RejectsEnforcementTimeAbove2016) {
  FactoryParams p;
  p.interior_dw_levels = 4;
  auto shape = Shape::build(256, p).value();
  auto s = validate(p, shape.levels());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "factory.x-too-large");
}

TEST(Params, RejectsUnsafeValues) {
  LevelCounts levels{1, 2};
  FactoryParams p;
  p.leaf_states = 1;
  EXPECT_EQ(validate(p, levels).error().code, "factory.bad-params");
  p = {};
  p.min_channel_capacity = 100;
  EXPECT_EQ(validate(p, levels).error().code, "factory.bad-params");
  p = {};
  p.step = 30000;  // step × 3 overflows the 16-bit relative lock
  EXPECT_EQ(validate(p, levels).error().code, "factory.bad-params");
}

TEST(Params, ClientChecksEveryHeight) {
  FactoryParams p;
  LevelCounts levels{2, 2};
  auto h = compute_heights(p, levels, 500);
  EXPECT_TRUE(check_heights(p, levels, h));
  for (int field = 0; field < 4; ++field) {
    Heights bad = h;
    uint32_t* f[] = {&bad.end_active, &bad.end_dying, &bad.timeout, &bad.x};
    *f[field] += 1;
    auto s = check_heights(p, levels, bad);
    ASSERT_FALSE(s) << field;
    EXPECT_EQ(s.error().code, "factory.bad-heights");
  }
}

TEST(Shape, SixtyFourClients) {
  FactoryParams p;
  auto s = Shape::build(64, p).value();
  // 1 root static + 4 static + 16 interior DW + 32 leaves.
  EXPECT_EQ(s.nodes().size(), 53u);
  EXPECT_EQ(s.leaves().size(), 32u);
  for (uint32_t c = 0; c < 64; ++c) {
    auto path = s.path_to(s.leaf_of(c));
    ASSERT_EQ(path.size(), 4u);
    EXPECT_EQ(path.front(), 0u);
    for (uint32_t id : path) EXPECT_TRUE(s.node(id).covers(c));
    EXPECT_EQ(s.slot_in_leaf(c), c % 2);
  }
  EXPECT_EQ(s.node(0).kind, NodeKind::static_node);
  EXPECT_EQ(s.node(0).client_count, 64u);
}

TEST(Shape, OddCountsAndSingleClient) {
  FactoryParams p;
  auto s = Shape::build(7, p).value();
  EXPECT_EQ(s.leaves().size(), 4u);
  EXPECT_EQ(s.node(s.leaf_of(6)).client_count, 1u);
  auto one = Shape::build(1, p).value();
  EXPECT_EQ(one.nodes().size(), 1u);
  EXPECT_TRUE(one.node(0).is_leaf());
  EXPECT_EQ(one.levels().static_levels, 0u);
  EXPECT_FALSE(Shape::build(0, p));
}

}  // namespace
}  // namespace ladder::factory
