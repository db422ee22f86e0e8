#include "wire/frame.h"

namespace ladder::wire {

Expected<Frame> parse_frame(ByteView message, size_t max_size) {
  if (message.size() > max_size)
    return make_error("frame.too-large", std::to_string(message.size()) + " bytes > " + std::to_string(max_size));
  if (message.size() < 2)
    return make_error("frame.truncated", std::to_string(message.size()) + " bytes, no room for a message type");
  return Frame{static_cast<uint16_t>(message[0] << 8 | message[1]), message.subspan(2)};
}

Expected<Bytes> write_frame(uint16_t type, ByteView payload, size_t max_size) {
  if (payload.size() + 2 > max_size)
    return make_error("frame.too-large",
                      std::to_string(payload.size() + 2) + " bytes > " + std::to_string(max_size));
  Writer w;
  w.reserve(payload.size() + 2);
  w.u16be(type);
  w.bytes(payload);
  return w.take();
}

}  // namespace ladder::wire
