// One message decoder, chosen at compile time (see ladder_fuzz_message in
// CMakeLists.txt): the input is a payload. Properties: decoding never reads
// outside the input or crashes, and an accepted payload re-encodes to exactly
// itself (every accepted encoding is canonical), also through the frame layer.
#include <cstddef>
#include <cstdint>

#include LADDER_FUZZ_HEADER
#include "fuzz/fuzz_check.h"
#include "wire/frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using Message = LADDER_FUZZ_MESSAGE;
  const ladder::ByteView payload(data, size);
  auto m = ladder::wire::decode<Message>(payload);
  if (!m) return 0;
  auto again = ladder::wire::encode(*m);
  FUZZ_CHECK(again && *again == ladder::Bytes(payload.begin(), payload.end()));
  if (auto framed = ladder::wire::encode_message(*m)) {
    auto back = ladder::wire::decode_message<Message>(*framed);
    FUZZ_CHECK(back && *back == *m);
  }
  return 0;
}
