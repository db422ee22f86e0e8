#include "wire/bigsize.h"

namespace ladder::wire {

size_t bigsize_len(uint64_t v) {
  if (v < 0xfd) return 1;
  if (v <= 0xffff) return 3;
  if (v <= 0xffffffff) return 5;
  return 9;
}

void write_bigsize(Writer& w, uint64_t v) {
  if (v < 0xfd) {
    w.u8(static_cast<uint8_t>(v));
  } else if (v <= 0xffff) {
    w.u8(0xfd);
    w.u16be(static_cast<uint16_t>(v));
  } else if (v <= 0xffffffff) {
    w.u8(0xfe);
    w.u32be(static_cast<uint32_t>(v));
  } else {
    w.u8(0xff);
    w.u64be(v);
  }
}

Expected<uint64_t> read_bigsize(Reader& r) {
  auto prefix = r.u8();
  if (!prefix) return make_error("bigsize.truncated", "no bytes left");
  uint64_t v = *prefix;
  uint64_t min = 0;
  size_t width = 0;
  switch (*prefix) {
    case 0xfd: width = 2, min = 0xfd; break;
    case 0xfe: width = 4, min = 0x10000; break;
    case 0xff: width = 8, min = 0x100000000; break;
    default: return v;
  }
  if (r.remaining() < width)
    return make_error("bigsize.truncated",
                      "need " + std::to_string(width) + " bytes after the prefix, " + std::to_string(r.remaining()) +
                          " left");
  v = width == 2 ? r.u16be().value() : width == 4 ? r.u32be().value() : r.u64be().value();
  if (v < min) return make_error("bigsize.non-canonical", "value " + std::to_string(v) + " has a shorter encoding");
  return v;
}

}  // namespace ladder::wire
