// BOLT #1 test vectors (lightning/bolts 01-messaging.md): Appendix A
// (BigSize), Appendix B (TLV streams in the n1 and n2 namespaces, defined
// here with the codec exactly as the appendix defines them) and Appendix D
// (signed integers) and Appendix C (extensions of `init`).
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "wire/bigsize.h"
#include "wire/codec.h"
#include "wire/messages_base.h"

namespace ladder::wire {
namespace {

int g_cases = 0;

// --- Appendix A ---------------------------------------------------------------

TEST(Bolt1Vectors, BigSizeDecoding) {
  struct Case {
    const char* name;
    uint64_t value;
    const char* hex;
    const char* error;  // nullptr: success
  };
  const std::vector<Case> cases = {
      {"zero", 0, "00", nullptr},
      {"one byte high", 252, "fc", nullptr},
      {"two byte low", 253, "fd00fd", nullptr},
      {"two byte high", 65535, "fdffff", nullptr},
      {"four byte low", 65536, "fe00010000", nullptr},
      {"four byte high", 4294967295, "feffffffff", nullptr},
      {"eight byte low", 4294967296, "ff0000000100000000", nullptr},
      {"eight byte high", 18446744073709551615ULL, "ffffffffffffffffff", nullptr},
      {"two byte not canonical", 0, "fd00fc", "bigsize.non-canonical"},
      {"four byte not canonical", 0, "fe0000ffff", "bigsize.non-canonical"},
      {"eight byte not canonical", 0, "ff00000000ffffffff", "bigsize.non-canonical"},
      {"two byte short read", 0, "fd00", "bigsize.truncated"},
      {"four byte short read", 0, "feffff", "bigsize.truncated"},
      {"eight byte short read", 0, "ffffffffff", "bigsize.truncated"},
      {"one byte no read", 0, "", "bigsize.truncated"},
      {"two byte no read", 0, "fd", "bigsize.truncated"},
      {"four byte no read", 0, "fe", "bigsize.truncated"},
      {"eight byte no read", 0, "ff", "bigsize.truncated"},
  };
  for (const auto& c : cases) {
    Bytes in = hex_or_throw(c.hex);
    Reader r(in);
    auto v = read_bigsize(r);
    if (c.error) {
      ASSERT_FALSE(v) << c.name;
      EXPECT_EQ(v.error().code, c.error) << c.name;
    } else {
      ASSERT_TRUE(v) << c.name << ": " << v.error().to_string();
      EXPECT_EQ(*v, c.value) << c.name;
      EXPECT_TRUE(r.empty()) << c.name;
    }
    ++g_cases;
  }
}

TEST(Bolt1Vectors, BigSizeEncoding) {
  const std::vector<std::pair<uint64_t, const char*>> cases = {
      {0, "00"},
      {252, "fc"},
      {253, "fd00fd"},
      {65535, "fdffff"},
      {65536, "fe00010000"},
      {4294967295, "feffffffff"},
      {4294967296, "ff0000000100000000"},
      {18446744073709551615ULL, "ffffffffffffffffff"},
  };
  for (const auto& [value, hex] : cases) {
    Writer w;
    write_bigsize(w, value);
    EXPECT_EQ(to_hex(w.data()), hex);
    EXPECT_EQ(bigsize_len(value), w.size());
    ++g_cases;
  }
}

// --- Appendix B: the n1 and n2 namespaces ----------------------------------

struct Tlv3 {
  Bytes33 node_id{};
  uint64_t amount_msat_1 = 0;
  uint64_t amount_msat_2 = 0;
  template <class Io, class Self>
  static void fields(Io& io, Self& m) {
    io.point(m.node_id);
    io(m.amount_msat_1, m.amount_msat_2);
  }
  bool operator==(const Tlv3&) const = default;
};

struct N1 {
  std::optional<Tu64> tlv1;      // amount_msat
  std::optional<uint64_t> tlv2;  // short_channel_id
  std::optional<Tlv3> tlv3;
  std::optional<uint16_t> tlv4;  // cltv_delta
  std::vector<TlvRecord> unknown;
  template <class Io, class Self>
  static void records(Io& io, Self& m) {
    io.record(1, m.tlv1);
    io.record(2, m.tlv2);
    io.record(3, m.tlv3);
    io.record(254, m.tlv4);
  }
  bool operator==(const N1&) const = default;
};

struct N2 {
  std::optional<Tu64> tlv1;  // amount_msat
  std::optional<Tu32> tlv2;  // cltv_expiry
  std::vector<TlvRecord> unknown;
  template <class Io, class Self>
  static void records(Io& io, Self& m) {
    io.record(0, m.tlv1);
    io.record(11, m.tlv2);
  }
  bool operator==(const N2&) const = default;
};

struct Invalid {
  std::string hex;
  const char* code;
};

const std::string kValueTruncated = "0ffd0201" + std::string(2 * 258, '0');

// Streams that fail in any namespace.
const std::vector<Invalid> kInvalidAnywhere = {
    {"fd", "tlv.truncated"},           {"fd01", "tlv.truncated"},        {"fd000100", "tlv.non-minimal"},
    {"fd0101", "tlv.truncated"},       {"0ffd", "tlv.truncated"},        {"0ffd26", "tlv.truncated"},
    {"0ffd2602", "tlv.truncated"},     {"0ffd000100", "tlv.non-minimal"}, {kValueTruncated, "tlv.truncated"},
    {"1200", "tlv.unknown-even"},      {"fd010200", "tlv.unknown-even"}, {"fe0100000200", "tlv.unknown-even"},
    {"ff010000000000000200", "tlv.unknown-even"},
};

const std::vector<Invalid> kInvalidN1 = {
    {"0109ffffffffffffffffff", "tlv.bad-length"},
    {"010100", "tlv.non-minimal-value"},
    {"01020001", "tlv.non-minimal-value"},
    {"0103000100", "tlv.non-minimal-value"},
    {"010400010000", "tlv.non-minimal-value"},
    {"01050001000000", "tlv.non-minimal-value"},
    {"0106000100000000", "tlv.non-minimal-value"},
    {"010700010000000000", "tlv.non-minimal-value"},
    {"01080001000000000000", "tlv.non-minimal-value"},
    {"020701010101010101", "tlv.bad-length"},
    {"0209010101010101010101", "tlv.bad-length"},
    {"0321023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb", "tlv.bad-length"},
    {"0329023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb0000000000000001", "tlv.bad-length"},
    {"0330023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb000000000000000100000000000001",
     "tlv.bad-length"},
    {"0331043da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb00000000000000010000000000000002",
     "wire.invalid-point"},
    {"0332023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb0000000000000001000000000000000001",
     "tlv.bad-length"},
    {"fd00fe00", "tlv.bad-length"},
    {"fd00fe0101", "tlv.bad-length"},
    {"fd00fe03010101", "tlv.bad-length"},
    {"0000", "tlv.unknown-even"},
    // TLV Stream Decoding Failure (n1)
    {"02080000000000000226" "01012a", "tlv.out-of-order"},
    {"02080000000000000231" "02080000000000000451", "tlv.out-of-order"},
    {"1f00" "0f012a", "tlv.out-of-order"},
    {"1f00" "1f012a", "tlv.out-of-order"},
};

const std::vector<Invalid> kInvalidN2 = {
    {"ffffffffffffffffff000000", "tlv.out-of-order"},
};

// Streams valid in either namespace, all of whose records are ignored.
const std::vector<std::string> kIgnoredAnywhere = {
    "", "2100", "fd020100", "fd00fd00", "fd00ff00", "fe0200000100", "ff020000000000000100",
};

template <class S>
void expect_invalid(const Invalid& c, const char* ns) {
  auto r = decode<S>(hex_or_throw(c.hex));
  ASSERT_FALSE(r) << ns << " " << c.hex;
  EXPECT_EQ(r.error().code, c.code) << ns << " " << c.hex << ": " << r.error().to_string();
  ++g_cases;
}

// Decodes, checks every record landed in `unknown`, and re-encodes exactly.
template <class S>
void expect_ignored(const std::string& hex, const char* ns) {
  Bytes in = hex_or_throw(hex);
  auto r = decode<S>(in);
  ASSERT_TRUE(r) << ns << " " << hex << ": " << r.error().to_string();
  S empty;
  empty.unknown = r->unknown;
  EXPECT_EQ(*r, empty) << ns << " " << hex;
  EXPECT_EQ(r->unknown.size(), hex.empty() ? 0u : 1u) << ns << " " << hex;
  EXPECT_EQ(to_hex(encode(*r).value()), hex) << ns;
  ++g_cases;
}

TEST(Bolt1Vectors, TlvDecodingFailures) {
  for (const auto& c : kInvalidAnywhere) {
    expect_invalid<N1>(c, "n1");
    expect_invalid<N2>(c, "n2");
  }
  for (const auto& c : kInvalidN1) expect_invalid<N1>(c, "n1");
  for (const auto& c : kInvalidN2) expect_invalid<N2>(c, "n2");
}

TEST(Bolt1Vectors, TlvIgnoredRecords) {
  for (const auto& hex : kIgnoredAnywhere) {
    expect_ignored<N1>(hex, "n1");
    expect_ignored<N2>(hex, "n2");
  }
}

struct ValidN1 {
  std::string hex;
  N1 value;
};

std::vector<ValidN1> valid_n1() {
  auto with = [](auto set) {
    N1 v;
    set(v);
    return v;
  };
  const Bytes33 node = hex_fixed_or_throw<33>("023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb");
  return {
      {"0100", with([](N1& v) { v.tlv1 = Tu64{0}; })},
      {"010101", with([](N1& v) { v.tlv1 = Tu64{1}; })},
      {"01020100", with([](N1& v) { v.tlv1 = Tu64{256}; })},
      {"0103010000", with([](N1& v) { v.tlv1 = Tu64{65536}; })},
      {"010401000000", with([](N1& v) { v.tlv1 = Tu64{16777216}; })},
      {"01050100000000", with([](N1& v) { v.tlv1 = Tu64{4294967296}; })},
      {"0106010000000000", with([](N1& v) { v.tlv1 = Tu64{1099511627776}; })},
      {"010701000000000000", with([](N1& v) { v.tlv1 = Tu64{281474976710656}; })},
      {"01080100000000000000", with([](N1& v) { v.tlv1 = Tu64{72057594037927936}; })},
      {"02080000000000000226", with([](N1& v) { v.tlv2 = 0x226; })},  // scid 0x0x550
      {"0331023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb00000000000000010000000000000002",
       with([&](N1& v) { v.tlv3 = Tlv3{node, 1, 2}; })},
      {"fd00fe020226", with([](N1& v) { v.tlv4 = 550; })},
  };
}

TEST(Bolt1Vectors, TlvN1Values) {
  for (const auto& c : valid_n1()) {
    auto r = decode<N1>(hex_or_throw(c.hex));
    ASSERT_TRUE(r) << c.hex << ": " << r.error().to_string();
    EXPECT_EQ(*r, c.value) << c.hex;
    EXPECT_EQ(to_hex(encode(c.value).value()), c.hex);
    ++g_cases;
  }
}

// The first and last record type of a stream (given as hex).
std::pair<uint64_t, uint64_t> type_range(const std::string& hex) {
  Bytes b = hex_or_throw(hex);
  auto recs = split_tlv_stream(b).value();
  return {recs.front().type, recs.back().type};
}

TEST(Bolt1Vectors, TlvStreamAppending) {
  // "Any appending of an invalid stream to a valid stream should trigger a
  // decoding failure. Any appending of a higher-numbered valid stream to a
  // lower-numbered valid stream should not."
  std::vector<std::string> valid;
  for (const auto& c : valid_n1()) valid.push_back(c.hex);
  for (const auto& hex : kIgnoredAnywhere)
    if (!hex.empty()) valid.push_back(hex);
  int appended = 0;
  for (const auto& a : valid) {
    for (const auto& c : kInvalidAnywhere) EXPECT_FALSE(decode<N1>(hex_or_throw(a + c.hex))) << a << " + " << c.hex;
    for (const auto& c : kInvalidN1) EXPECT_FALSE(decode<N1>(hex_or_throw(a + c.hex))) << a << " + " << c.hex;
    appended += static_cast<int>(kInvalidAnywhere.size() + kInvalidN1.size());
    for (const auto& b : valid) {
      if (type_range(a).second >= type_range(b).first) continue;
      auto r = decode<N1>(hex_or_throw(a + b));
      EXPECT_TRUE(r) << a << " + " << b << ": " << (r ? "" : r.error().to_string());
      if (r) {
        EXPECT_EQ(to_hex(encode(*r).value()), a + b);
      }
      ++appended;
    }
  }
  std::printf("BOLT #1 appended-stream combinations checked: %d\n", appended);
}

// --- Appendix C ---------------------------------------------------------------

TEST(Bolt1Vectors, InitExtensions) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"001000000000", nullptr},
      {"001000000000c9012acb0104", nullptr},
      {"00100000000001", "tlv.truncated"},
      {"001000000000ca012a", "tlv.unknown-even"},
      {"001000000000c90101c90102", "tlv.out-of-order"},
  };
  for (const auto& [hex, error] : cases) {
    auto r = decode_message<Init>(hex_or_throw(hex));
    if (error) {
      ASSERT_FALSE(r) << hex;
      EXPECT_EQ(r.error().code, error) << hex;
    } else {
      ASSERT_TRUE(r) << hex << ": " << r.error().to_string();
      EXPECT_EQ(to_hex(encode_message(*r).value()), hex);  // unknown odd records are kept
    }
    ++g_cases;
  }
}

// --- Appendix D ---------------------------------------------------------------

// Encodes v in the smallest signed type that holds it, as the appendix does.
std::string smallest_signed(int64_t v) {
  auto enc = [](auto x) {
    Encoder e;
    e(x);
    return to_hex(std::move(e).finish().value());
  };
  if (v >= std::numeric_limits<int8_t>::min() && v <= std::numeric_limits<int8_t>::max()) return enc(int8_t(v));
  if (v >= std::numeric_limits<int16_t>::min() && v <= std::numeric_limits<int16_t>::max()) return enc(int16_t(v));
  if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) return enc(int32_t(v));
  return enc(v);
}

template <class T>
int64_t decode_signed(const Bytes& b) {
  Decoder d(b);
  T v{};
  d(v);
  EXPECT_TRUE(d.finish());
  return v;
}

TEST(Bolt1Vectors, SignedIntegers) {
  const std::vector<std::pair<int64_t, const char*>> cases = {
      {0, "00"},
      {42, "2a"},
      {-42, "d6"},
      {127, "7f"},
      {-128, "80"},
      {128, "0080"},
      {-129, "ff7f"},
      {15000, "3a98"},
      {-15000, "c568"},
      {32767, "7fff"},
      {-32768, "8000"},
      {32768, "00008000"},
      {-32769, "ffff7fff"},
      {21000000, "01406f40"},
      {-21000000, "febf90c0"},
      {2147483647, "7fffffff"},
      {-2147483648LL, "80000000"},
      {2147483648LL, "0000000080000000"},
      {-2147483649LL, "ffffffff7fffffff"},
      {500000000000LL, "000000746a528800"},
      {-500000000000LL, "ffffff8b95ad7800"},
      {9223372036854775807LL, "7fffffffffffffff"},
      {std::numeric_limits<int64_t>::min(), "8000000000000000"},
  };
  for (const auto& [value, hex] : cases) {
    EXPECT_EQ(smallest_signed(value), hex) << value;
    Bytes b = hex_or_throw(hex);
    int64_t back = b.size() == 1   ? decode_signed<int8_t>(b)
                   : b.size() == 2 ? decode_signed<int16_t>(b)
                   : b.size() == 4 ? decode_signed<int32_t>(b)
                                   : decode_signed<int64_t>(b);
    EXPECT_EQ(back, value) << hex;
    ++g_cases;
  }
}

class CountReporter : public ::testing::Environment {
 public:
  void TearDown() override { std::printf("BOLT #1 vectors checked: %d\n", g_cases); }
};
const auto* const kReporter = ::testing::AddGlobalTestEnvironment(new CountReporter);

}  // namespace
}  // namespace ladder::wire
