// The frame decoder with the connection's message set: any input either
// fails cleanly, is an ignored odd type, or is a message whose encoding is
// exactly the input.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_check.h"
#include "wire/messages_base.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ladder::wire;
  const ladder::ByteView in(data, size);
  auto frame = parse_frame(in);
  auto r = BaseMessages::decode(in);
  if (!frame) {
    FUZZ_CHECK(!r && r.error().code == frame.error().code);
    return 0;
  }
  if (!r) return 0;
  if (!r->has_value()) {
    FUZZ_CHECK(!BaseMessages::contains(frame->type) && unknown_type_rule(frame->type) == UnknownTypeRule::kIgnore);
    return 0;
  }
  auto again = BaseMessages::encode(**r);
  FUZZ_CHECK(again && *again == ladder::Bytes(in.begin(), in.end()));
  return 0;
}
