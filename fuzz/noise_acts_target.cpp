// The Noise act parsers. The first byte picks a mode:
//   0: raw bytes as act one to a responder
//   1: raw bytes as act two to an initiator (after its act one)
//   2: raw bytes as act three to a responder (after a valid act one)
//   3: a real handshake whose acts are XOR-masked in flight by the input.
// Properties: no crash; in mode 3 the handshake succeeds exactly when no act
// was changed, and then both sessions talk to each other.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_check.h"
#include "fuzz/noise_keys.h"
#include "wire/noise.h"

namespace {

using ladder::Bytes;
using namespace ladder::wire;

NoiseInitiator initiator() {
  return NoiseInitiator(fuzz::initiator_static(), fuzz::responder_static().pubkey(), fuzz::initiator_ephemeral());
}
NoiseResponder responder() { return NoiseResponder(fuzz::responder_static(), fuzz::responder_ephemeral()); }

// XORs input-chosen bytes into `act`; returns whether it changed (edits
// may cancel out).
bool mask(FuzzedDataProvider& in, Bytes& act) {
  const Bytes before = act;
  const size_t edits = in.ConsumeIntegralInRange<size_t>(0, 3);
  for (size_t i = 0; i < edits && in.remaining_bytes() > 0; ++i) {
    const size_t pos = in.ConsumeIntegralInRange<size_t>(0, act.size() - 1);
    act[pos] ^= in.ConsumeIntegral<uint8_t>();
  }
  return act != before;
}

void masked_handshake(FuzzedDataProvider& in) {
  NoiseInitiator ini = initiator();
  NoiseResponder resp = responder();
  Bytes act_one = ini.act_one();
  const bool changed1 = mask(in, act_one);
  auto act_two = resp.read_act_one(act_one);
  FUZZ_CHECK(act_two.has_value() == !changed1);
  if (!act_two) return;
  const bool changed2 = mask(in, *act_two);
  auto done = ini.read_act_two(*act_two);
  FUZZ_CHECK(done.has_value() == !changed2);
  if (!done) return;
  const bool changed3 = mask(in, done->act_three);
  auto session = resp.read_act_three(done->act_three);
  FUZZ_CHECK(session.has_value() == !changed3);
  if (!session) return;
  FUZZ_CHECK(session->remote_static == fuzz::initiator_static().pubkey());
  const Bytes hello{'h', 'i'};
  session->decryptor.feed(done->session.encryptor.encrypt(hello).value());
  auto got = session->decryptor.next();
  FUZZ_CHECK(got && got->has_value() && **got == hello);
  done->session.decryptor.feed(session->encryptor.encrypt(hello).value());
  got = done->session.decryptor.next();
  FUZZ_CHECK(got && got->has_value() && **got == hello);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: {
      const Bytes act = in.ConsumeRemainingBytes<uint8_t>();
      (void)responder().read_act_one(act);
      break;
    }
    case 1: {
      NoiseInitiator ini = initiator();
      (void)ini.act_one();
      const Bytes act = in.ConsumeRemainingBytes<uint8_t>();
      (void)ini.read_act_two(act);
      break;
    }
    case 2: {
      NoiseResponder resp = responder();
      FUZZ_CHECK(resp.read_act_one(initiator().act_one()).has_value());
      const Bytes act = in.ConsumeRemainingBytes<uint8_t>();
      (void)resp.read_act_three(act);
      break;
    }
    default:
      masked_handshake(in);
  }
  return 0;
}
