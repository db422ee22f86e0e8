#include <gtest/gtest.h>

#include "util/bytes.h"
#include "util/serialize.h"

namespace ladder {
namespace {

TEST(Hex, RoundTripAndErrors) {
  EXPECT_EQ(to_hex(hex_or_throw("00ffA1")), "00ffa1");
  EXPECT_EQ(from_hex("abc").error().code, "hex.invalid");
  EXPECT_EQ(from_hex("zz").error().code, "hex.invalid");
  EXPECT_EQ(from_hex_fixed<2>("aabbcc").error().code, "hex.length");
}

TEST(CompactSize, BoundariesRoundTrip) {
  for (uint64_t n : {0ULL, 252ULL, 253ULL, 0xffffULL, 0x10000ULL, 0xffffffffULL, 0x100000000ULL}) {
    Writer w;
    w.compact_size(n);
    EXPECT_EQ(w.size(), compact_size_len(n));
    Reader r(w.data());
    auto got = r.compact_size(UINT64_MAX);
    ASSERT_TRUE(got) << n;
    EXPECT_EQ(*got, n);
    EXPECT_TRUE(r.expect_end());
  }
}

TEST(CompactSize, RejectsNonCanonicalAndOversized) {
  Bytes non_canonical = {253, 0x10, 0x00};
  EXPECT_EQ(Reader(non_canonical).compact_size().error().code, "serialize.non-canonical");
  Bytes big = {254, 0, 0, 0, 0x10};
  EXPECT_EQ(Reader(big).compact_size().error().code, "serialize.oversized");
}

TEST(Reader, TruncatedInputNeverOverreads) {
  Bytes data = {1, 2, 3};
  Reader r(data);
  EXPECT_EQ(r.u32le().error().code, "serialize.truncated");
  EXPECT_EQ(r.remaining(), 3u);
  Bytes var = {5, 1, 2};
  EXPECT_EQ(Reader(var).var_bytes().error().code, "serialize.truncated");
  Reader t(data);
  ASSERT_TRUE(t.u8());
  EXPECT_EQ(t.expect_end().error().code, "serialize.trailing");
}

TEST(Writer, Endianness) {
  Writer w;
  w.u32le(0x01020304);
  w.u32be(0x01020304);
  EXPECT_EQ(to_hex(w.data()), "0403020101020304");
}

}  // namespace
}  // namespace ladder
