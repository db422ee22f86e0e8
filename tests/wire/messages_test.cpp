// Connection-level messages, framing and negotiation.
#include <gtest/gtest.h>

#include "wire/frame.h"
#include "wire/messages_base.h"

namespace ladder::wire {
namespace {

Bytes32 chain(uint8_t b) {
  Bytes32 h{};
  h.fill(b);
  return h;
}

Init sample_init() {
  FeatureBits f;
  f.set(1);
  f.set(12);
  Init m = make_init({1, 3}, f, std::vector<Bytes32>{chain(0xaa), chain(0xbb)});
  m.tlvs.remote_addr = Bytes{1, 127, 0, 0, 1, 0x26, 0x07};
  m.tlvs.unknown.push_back(TlvRecord{0xc9, {0x2a}});
  return m;
}

template <WireMessage M>
void expect_round_trip(const M& m, const std::string& hex = {}) {
  auto bytes = encode_message(m);
  ASSERT_TRUE(bytes) << bytes.error().to_string();
  if (!hex.empty()) {
    EXPECT_EQ(to_hex(*bytes), hex);
  }
  auto back = decode_message<M>(*bytes);
  ASSERT_TRUE(back) << M::kName << ": " << back.error().to_string();
  EXPECT_EQ(*back, m);
  auto any = BaseMessages::decode(*bytes);
  ASSERT_TRUE(any && any->has_value());
  EXPECT_EQ(std::get<M>(**any), m);
}

TEST(Messages, RoundTripEach) {
  expect_round_trip(sample_init());
  expect_round_trip(Init{});
  expect_round_trip(ErrorMessage{chain(7), {'b', 'a', 'd'}},
                    "0011" + to_hex(chain(7)) + "0003626164");
  expect_round_trip(ErrorMessage{});
  expect_round_trip(WarningMessage{chain(0), {'h', 'm'}}, "0001" + to_hex(chain(0)) + "0002686d");
  expect_round_trip(Ping{4, Bytes(3, 0)}, "0012" "0004" "0003" "000000");
  expect_round_trip(Pong{Bytes(2, 0)}, "0013" "0002" "0000");
  expect_round_trip(Ping{65531, Bytes(kMaxMessageSize - 6, 0)});
}

TEST(Messages, InitLayoutMatchesBolt1) {
  Init m;
  m.features = {0x02};
  m.tlvs.protocol = ProtocolVersions{1, 2};
  // type 16, gflen 0, flen 1, features 02, record 65537 (fe00010001), length 4, 0001 0002
  EXPECT_EQ(to_hex(encode_message(m).value()), "0010" "0000" "0001" "02" "fe00010001" "04" "00010002");
}

TEST(Messages, EveryTruncationIsRejected) {
  // Messages without a TLV stream fail at every cut; an init may only be cut
  // between whole TLV records (BOLT #1 allows a shorter extension).
  std::vector<Bytes> strict = {encode_message(ErrorMessage{chain(1), Bytes(10, 'x')}).value(),
                               encode_message(Ping{3, Bytes(5, 0)}).value(),
                               encode_message(Pong{Bytes(7, 0)}).value()};
  for (const Bytes& full : strict)
    for (size_t n = 0; n < full.size(); ++n)
      EXPECT_FALSE(BaseMessages::decode(ByteView(full).first(n))) << to_hex(full) << " cut at " << n;
  Bytes init = encode_message(sample_init()).value();
  int accepted = 0;
  for (size_t n = 0; n < init.size(); ++n) {
    auto r = decode_message<Init>(ByteView(init).first(n));
    if (r) {
      ++accepted;
      EXPECT_EQ(encode_message(*r).value(), Bytes(init.begin(), init.begin() + static_cast<std::ptrdiff_t>(n)));
    }
  }
  EXPECT_EQ(accepted, 4);  // before the TLV stream and after each of its first three records
}

TEST(Messages, TrailingGarbageAndOversizedCountsAreRejected) {
  Bytes ping = encode_message(Ping{1, {}}).value();
  ping.push_back(0);
  EXPECT_EQ(decode_message<Ping>(ping).error().code, "wire.trailing");
  // pong claims 9 ignored bytes but carries 2
  EXPECT_EQ(decode_message<Pong>(hex_or_throw("0013" "0009" "0000")).error().code, "wire.truncated");
  // networks record: 33 bytes is not a whole number of chain hashes
  Bytes bad_networks = hex_or_throw("0010" "0000" "0000" "0121" + std::string(66, '0'));
  EXPECT_EQ(decode_message<Init>(bad_networks).error().code, "tlv.bad-length");
  // protocol record with 3 bytes instead of 4
  EXPECT_EQ(decode_message<Init>(hex_or_throw("0010" "0000" "0000" "fe00010001" "03" "000100")).error().code,
            "tlv.bad-length");
}

struct Counted {
  std::vector<Bytes32> hashes;
  template <class Io, class Self>
  static void fields(Io& io, Self& m) {
    io(m.hashes);
  }
  bool operator==(const Counted&) const = default;
};

TEST(Codec, OversizedCountIsRejectedBeforeAllocating) {
  // 65535 hashes announced, 64 bytes present.
  Bytes in = hex_or_throw("ffff" + std::string(128, '1'));
  EXPECT_EQ(decode<Counted>(in).error().code, "wire.oversized-count");
  Counted big;
  big.hashes.resize(65536);
  EXPECT_EQ(encode(big).error().code, "wire.too-long");
}

struct FieldAfterTlv {
  InitTlvs tlvs;
  uint8_t after = 0;
  template <class Io, class Self>
  static void fields(Io& io, Self& m) {
    io(m.tlvs, m.after);
  }
};

TEST(Codec, DefinitionMistakesAreProgrammerErrors) {
  EXPECT_THROW((void)encode(FieldAfterTlv{}), std::logic_error);
  EXPECT_THROW((void)decode<FieldAfterTlv>(Bytes{}), std::logic_error);
  InitTlvs clash;
  clash.networks = std::vector<Bytes32>{};
  clash.unknown.push_back(TlvRecord{1, {}});
  EXPECT_THROW((void)encode(clash), std::logic_error);
}

TEST(Frame, ParseAndLimits) {
  EXPECT_EQ(parse_frame(Bytes{0x00}).error().code, "frame.truncated");
  EXPECT_EQ(parse_frame(Bytes(kMaxMessageSize + 1)).error().code, "frame.too-large");
  const Bytes msg{0x12, 0x34, 0x56};
  auto f = parse_frame(msg).value();  // views into msg
  EXPECT_EQ(f.type, 0x1234);
  EXPECT_EQ(to_hex(f.payload), "56");
  EXPECT_EQ(write_frame(7, Bytes(kMaxMessageSize - 1)).error().code, "frame.too-large");
  EXPECT_EQ(write_frame(7, Bytes(kMaxMessageSize - 2)).value().size(), kMaxMessageSize);
  EXPECT_EQ(encode_message(Pong{Bytes(kMaxMessageSize - 3, 0)}).error().code, "frame.too-large");
  EXPECT_EQ(decode_message<Ping>(encode_message(Pong{}).value()).error().code, "frame.wrong-type");
  // A smaller limit applies on both sides.
  EXPECT_EQ(encode_message(Pong{Bytes(10, 0)}, 13).error().code, "frame.too-large");
  EXPECT_EQ(BaseMessages::decode(encode_message(Pong{Bytes(10, 0)}).value(), 13).error().code, "frame.too-large");
}

TEST(Frame, UnknownTypesFollowItsOkToBeOdd) {
  auto odd = BaseMessages::decode(hex_or_throw("8001" "ffff"));
  ASSERT_TRUE(odd);
  EXPECT_FALSE(odd->has_value());
  EXPECT_EQ(BaseMessages::decode(hex_or_throw("8000")).error().code, "frame.unknown-even-type");
  EXPECT_EQ(BaseMessages::name(18), "ping");
  EXPECT_EQ(BaseMessages::name(100), "unknown");
  static_assert(BaseMessages::contains(16) && !BaseMessages::contains(32));
  // A known type with a bad payload names the message.
  auto bad = BaseMessages::decode(hex_or_throw("0012" "00"));
  EXPECT_EQ(bad.error().code, "wire.truncated");
  EXPECT_NE(bad.error().message.find("ping"), std::string::npos);
}

TEST(Messages, AnswerPing) {
  EXPECT_EQ(answer_ping(Ping{5, {}})->ignored, Bytes(5, 0));
  EXPECT_EQ(answer_ping(Ping{65531, {}})->ignored.size(), 65531u);
  EXPECT_FALSE(answer_ping(Ping{65532, {}}));
  EXPECT_FALSE(answer_ping(Ping{65535, {}}));
}

TEST(Messages, PrintableErrorData) {
  EXPECT_EQ(printable(Bytes{'o', 'k', ' ', '~'}), "ok ~");
  EXPECT_EQ(printable(Bytes{'a', '\n'}), "hex:610a");
  EXPECT_EQ(printable(Bytes{}), "");
}

TEST(Features, WireFormAndPairs) {
  FeatureBits f;
  f.set(0);
  f.set(9);
  EXPECT_EQ(to_hex(f.to_wire()), "0201");
  EXPECT_EQ(FeatureBits::from_wire(hex_or_throw("00000201")), f);  // padding is not significant
  EXPECT_TRUE(f.offers(1));
  EXPECT_TRUE(f.offers(8));
  EXPECT_FALSE(f.offers(2));
  EXPECT_EQ(f.bits(), (std::vector<size_t>{0, 9}));
  FeatureBits g;
  g.set(20);
  EXPECT_EQ((f | g).bits(), (std::vector<size_t>{0, 9, 20}));
  EXPECT_EQ(FeatureBits().to_wire(), Bytes{});
  EXPECT_THROW(f.set(kMaxFeatureBit + 1), std::logic_error);
}

Init init_with(ProtocolVersions v, std::vector<size_t> bits, std::optional<std::vector<Bytes32>> nets = {}) {
  FeatureBits f;
  for (size_t b : bits) f.set(b);
  return make_init(v, f, std::move(nets));
}

TEST(Negotiation, AgreesOnHighestCommonVersionAndSharedFeatures) {
  auto r = negotiate(init_with({1, 4}, {1, 4, 9}), init_with({2, 3}, {0, 5, 9}));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->version, 3);
  // pair 0/1 (we optional, they required) and 8/9 are common; 4/5 too.
  EXPECT_EQ(r->features.bits(), (std::vector<size_t>{0, 4, 8}));
  // Symmetric.
  auto s = negotiate(init_with({2, 3}, {0, 5, 9}), init_with({1, 4}, {1, 4, 9}));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->version, 3);
  EXPECT_EQ(s->features, r->features);
  // Global features count too.
  Init legacy = init_with({1, 1}, {});
  legacy.global_features = FeatureBits::from_wire(Bytes{0x02}).to_wire();  // bit 1
  EXPECT_EQ(negotiate(init_with({1, 1}, {0}), legacy)->features.bits(), std::vector<size_t>{0});
}

TEST(Negotiation, ClearErrors) {
  Init none;
  EXPECT_EQ(negotiate(init_with({1, 1}, {}), none).error().code, "init.no-protocol-version");
  EXPECT_EQ(negotiate(init_with({1, 1}, {}), init_with({3, 2}, {})).error().code, "init.bad-version-range");
  EXPECT_EQ(negotiate(init_with({1, 2}, {}), init_with({3, 4}, {})).error().code, "init.no-common-version");
  auto unknown = negotiate(init_with({1, 1}, {1}), init_with({1, 1}, {1, 6}));
  EXPECT_EQ(unknown.error().code, "init.unknown-required-feature");
  EXPECT_EQ(unknown.error().index, 6);
  // An unknown optional feature is fine.
  EXPECT_TRUE(negotiate(init_with({1, 1}, {}), init_with({1, 1}, {7})));
  auto missing = negotiate(init_with({1, 1}, {2}), init_with({1, 1}, {}));
  EXPECT_EQ(missing.error().code, "init.missing-required-feature");
  EXPECT_EQ(missing.error().index, 2);
  EXPECT_EQ(negotiate(init_with({1, 1}, {}, std::vector{chain(1)}), init_with({1, 1}, {}, std::vector{chain(2)}))
                .error()
                .code,
            "init.no-common-network");
  EXPECT_TRUE(negotiate(init_with({1, 1}, {}, std::vector{chain(1), chain(2)}),
                        init_with({1, 1}, {}, std::vector{chain(2)})));
  EXPECT_TRUE(negotiate(init_with({1, 1}, {}, std::vector{chain(1)}), init_with({1, 1}, {})));
  EXPECT_THROW((void)negotiate(none, init_with({1, 1}, {})), std::logic_error);
}

}  // namespace
}  // namespace ladder::wire
