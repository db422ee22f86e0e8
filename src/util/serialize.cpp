#include "util/serialize.h"

namespace ladder {

namespace {
Error truncated(size_t want, size_t have) {
  return make_error("serialize.truncated",
                    "need " + std::to_string(want) + " bytes, " + std::to_string(have) + " left");
}
}  // namespace

void Writer::compact_size(uint64_t n) {
  if (n < 253) {
    u8(static_cast<uint8_t>(n));
  } else if (n <= 0xffff) {
    u8(253);
    u16le(static_cast<uint16_t>(n));
  } else if (n <= 0xffffffff) {
    u8(254);
    u32le(static_cast<uint32_t>(n));
  } else {
    u8(255);
    u64le(n);
  }
}

size_t compact_size_len(uint64_t n) {
  if (n < 253) return 1;
  if (n <= 0xffff) return 3;
  if (n <= 0xffffffff) return 5;
  return 9;
}

Expected<uint64_t> Reader::le(int n) {
  if (remaining() < static_cast<size_t>(n)) return truncated(n, remaining());
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(v_[pos_ + i]) << (8 * i);
  pos_ += n;
  return v;
}

Expected<uint64_t> Reader::be(int n) {
  if (remaining() < static_cast<size_t>(n)) return truncated(n, remaining());
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = v << 8 | v_[pos_ + i];
  pos_ += n;
  return v;
}

Expected<uint8_t> Reader::u8() {
  LADDER_ASSIGN(auto v, le(1));
  return static_cast<uint8_t>(v);
}
Expected<uint16_t> Reader::u16le() {
  LADDER_ASSIGN(auto v, le(2));
  return static_cast<uint16_t>(v);
}
Expected<uint32_t> Reader::u32le() {
  LADDER_ASSIGN(auto v, le(4));
  return static_cast<uint32_t>(v);
}
Expected<uint64_t> Reader::u64le() { return le(8); }
Expected<int64_t> Reader::i64le() {
  LADDER_ASSIGN(auto v, le(8));
  return static_cast<int64_t>(v);
}
Expected<uint16_t> Reader::u16be() {
  LADDER_ASSIGN(auto v, be(2));
  return static_cast<uint16_t>(v);
}
Expected<uint32_t> Reader::u32be() {
  LADDER_ASSIGN(auto v, be(4));
  return static_cast<uint32_t>(v);
}
Expected<uint64_t> Reader::u64be() { return be(8); }

Expected<uint64_t> Reader::compact_size(uint64_t max) {
  LADDER_ASSIGN(uint8_t first, u8());
  uint64_t n = first;
  uint64_t min = 0;
  if (first == 253) {
    LADDER_ASSIGN(n, le(2));
    min = 253;
  } else if (first == 254) {
    LADDER_ASSIGN(n, le(4));
    min = 0x10000;
  } else if (first == 255) {
    LADDER_ASSIGN(n, le(8));
    min = 0x100000000ULL;
  }
  if (n < min) return make_error("serialize.non-canonical", "non-canonical CompactSize");
  if (n > max) return make_error("serialize.oversized", "size " + std::to_string(n) + " exceeds " + std::to_string(max));
  return n;
}

Expected<ByteView> Reader::bytes(size_t n) {
  if (remaining() < n) return truncated(n, remaining());
  ByteView out = v_.subspan(pos_, n);
  pos_ += n;
  return out;
}

Expected<Bytes> Reader::var_bytes(uint64_t max) {
  LADDER_ASSIGN(uint64_t n, compact_size(max));
  LADDER_ASSIGN(ByteView b, bytes(static_cast<size_t>(n)));
  return to_bytes(b);
}

Status Reader::expect_end() const {
  if (remaining() != 0)
    return make_error("serialize.trailing", std::to_string(remaining()) + " unread bytes after the end");
  return ok();
}

}  // namespace ladder
