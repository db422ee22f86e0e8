// Property tests: for random messages decode(encode(m)) == m, and for random
// bytes the decoders either fail cleanly or accept a canonical encoding.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <set>

#include "wire/frame.h"
#include "wire/messages_base.h"

namespace ladder::wire {
namespace {

rc::Gen<Bytes> bytes() { return rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>()); }

rc::Gen<Bytes32> bytes32() {
  return rc::gen::map(rc::gen::container<Bytes>(32, rc::gen::arbitrary<uint8_t>()), [](const Bytes& b) {
    Bytes32 out;
    std::copy(b.begin(), b.end(), out.begin());
    return out;
  });
}

template <class T>
std::optional<T> maybe(const rc::Gen<T>& g) {
  if (*rc::gen::arbitrary<bool>()) return *g;
  return std::nullopt;
}

InitTlvs random_init_tlvs() {
  InitTlvs t;
  t.networks = maybe(rc::gen::container<std::vector<Bytes32>>(bytes32()));
  t.remote_addr = maybe(bytes());
  t.protocol = maybe(rc::gen::build<ProtocolVersions>(rc::gen::set(&ProtocolVersions::min_version),
                                                      rc::gen::set(&ProtocolVersions::max_version)));
  // Unknown records: odd types the stream does not define, any values.
  auto types = *rc::gen::container<std::set<uint64_t>>(
      rc::gen::map(rc::gen::arbitrary<uint64_t>(), [](uint64_t v) { return v | 1; }));
  for (uint64_t known : {uint64_t{1}, uint64_t{3}, kProtocolVersionsTlv}) types.erase(known);
  for (uint64_t type : types) t.unknown.push_back(TlvRecord{type, *bytes()});
  return t;
}

template <WireMessage M>
void check_round_trip(const M& m) {
  auto enc = encode_message(m);
  RC_ASSERT(enc.has_value());
  auto dec = decode_message<M>(*enc);
  RC_ASSERT(dec.has_value());
  RC_ASSERT(*dec == m);
  auto any = BaseMessages::decode(*enc);
  RC_ASSERT(any.has_value() && any->has_value());
  RC_ASSERT(std::get<M>(**any) == m);
}

RC_GTEST_PROP(WireProperties, InitRoundTrips, ()) {
  Init m{*bytes(), *bytes(), random_init_tlvs()};
  check_round_trip(m);
}

RC_GTEST_PROP(WireProperties, ErrorAndWarningRoundTrip, ()) {
  check_round_trip(ErrorMessage{*bytes32(), *bytes()});
  check_round_trip(WarningMessage{*bytes32(), *bytes()});
}

RC_GTEST_PROP(WireProperties, PingPongRoundTrip, (uint16_t num_pong_bytes)) {
  check_round_trip(Ping{num_pong_bytes, *bytes()});
  check_round_trip(Pong{*bytes()});
  auto pong = answer_ping(Ping{num_pong_bytes, {}});
  RC_ASSERT(pong.has_value() == (num_pong_bytes < 65532));
  if (pong) check_round_trip(*pong);
}

RC_GTEST_PROP(WireProperties, TlvStreamRoundTrips, ()) {
  InitTlvs t = random_init_tlvs();
  auto enc = encode(t);
  RC_ASSERT(enc.has_value());
  auto dec = decode<InitTlvs>(*enc);
  RC_ASSERT(dec.has_value());
  RC_ASSERT(*dec == t);
}

// Whatever a peer sends: an error, an ignored odd type, or a message whose
// encoding is exactly the input (no two encodings of one message).
RC_GTEST_PROP(WireProperties, RandomFramesDecodeCanonicallyOrFail, (uint16_t type)) {
  Bytes msg = write_frame(type % 24, *bytes()).value();  // mostly known types
  auto r = BaseMessages::decode(msg);
  if (!r || !r->has_value()) return;
  RC_ASSERT(BaseMessages::encode(**r).value() == msg);
}

// A mutated valid message still decodes canonically or fails.
RC_GTEST_PROP(WireProperties, MutatedMessagesDecodeCanonicallyOrFail, ()) {
  Init m{*bytes(), *bytes(), random_init_tlvs()};
  Bytes msg = encode_message(m).value();
  const auto pos = *rc::gen::inRange<size_t>(0, msg.size());
  msg[pos] ^= *rc::gen::inRange<uint8_t>(1, 255);
  auto r = BaseMessages::decode(msg);
  if (!r || !r->has_value()) return;
  RC_ASSERT(BaseMessages::encode(**r).value() == msg);
}

}  // namespace
}  // namespace ladder::wire
