// The Noise message decryptor. The first bit picks a mode:
//   raw: input bytes are the ciphertext stream, fed in input-chosen chunks;
//   structured: input-chosen messages are encrypted (after an input-chosen
//     number of earlier messages, to reach key rotations), at most one byte
//     is corrupted, and the stream is fed in input-chosen chunks.
// Properties: no crash; once failed the decryptor stays failed; in the
// structured mode every message before a corrupted packet comes out intact,
// the corrupted packet fails authentication, and an untouched stream yields
// exactly the messages sent.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "wire/noise.h"

namespace {

using ladder::Bytes;
using namespace ladder::wire;

const ladder::Bytes32 kKey{1, 2, 3};
const ladder::Bytes32 kCk{4, 5, 6};

// Feeds `stream` in input-chosen chunks, collecting messages until an error.
std::vector<Bytes> drain(FuzzedDataProvider& in, Decryptor& dec, const Bytes& stream, bool& failed) {
  std::vector<Bytes> out;
  failed = false;
  size_t pos = 0;
  while (pos < stream.size() && !failed) {
    const size_t n = std::min(stream.size() - pos, in.ConsumeIntegralInRange<size_t>(1, 4096));
    dec.feed(ladder::ByteView(stream).subspan(pos, n));
    pos += n;
    for (;;) {
      auto m = dec.next();
      if (!m) {
        failed = true;
        auto again = dec.next();
        FUZZ_CHECK(!again && again.error().code == "noise.failed");
        break;
      }
      if (!m->has_value()) break;
      out.push_back(std::move(**m));
    }
  }
  return out;
}

void structured(FuzzedDataProvider& in) {
  Encryptor enc{CipherState(kKey, kCk)};
  Decryptor dec{CipherState(kKey, kCk)};
  // One input in eight starts just before the first key rotation (500
  // packets); the skipped packets are what makes those inputs slow.
  const bool near_rotation = in.ConsumeIntegralInRange<int>(0, 7) == 0;
  for (size_t skip = near_rotation ? in.ConsumeIntegralInRange<size_t>(470, 500) : 0; skip > 0; --skip) {
    dec.feed(enc.encrypt({}).value());
    FUZZ_CHECK(dec.next().value().has_value());
  }
  std::vector<Bytes> sent;
  std::vector<size_t> starts;  // packet boundaries in `stream`
  Bytes stream;
  for (size_t n = in.ConsumeIntegralInRange<size_t>(1, 16); n > 0 && in.remaining_bytes() > 0; --n) {
    sent.push_back(in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(0, 3000)));
    starts.push_back(stream.size());
    ladder::append(stream, enc.encrypt(sent.back()).value());
  }
  std::optional<size_t> corrupted_packet;
  if (in.ConsumeBool() && !stream.empty()) {
    const size_t pos = in.ConsumeIntegralInRange<size_t>(0, stream.size() - 1);
    stream[pos] ^= in.ConsumeIntegralInRange<uint8_t>(1, 255);
    corrupted_packet = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), pos) - starts.begin()) - 1;
  }
  bool failed = false;
  std::vector<Bytes> got = drain(in, dec, stream, failed);
  const size_t intact = corrupted_packet.value_or(sent.size());
  FUZZ_CHECK(got.size() == intact);
  for (size_t i = 0; i < got.size(); ++i) FUZZ_CHECK(got[i] == sent[i]);
  FUZZ_CHECK(failed == corrupted_packet.has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeBool()) {
    structured(in);
    return 0;
  }
  Decryptor dec{CipherState(kKey, kCk), in.ConsumeIntegralInRange<size_t>(0, kNoiseMaxMessage)};
  const Bytes stream = in.ConsumeRemainingBytes<uint8_t>();
  bool failed = false;
  (void)drain(in, dec, stream, failed);
  return 0;
}
