// Bitcoin-style binary serialization: little-endian integers, CompactSize,
// length-prefixed byte strings.
//
// Writer appends to an owned buffer and cannot fail. Reader is bounds-checked:
// every read past the end returns an error ("serialize.truncated") and never
// touches memory outside the view. A Reader does not own its bytes; the
// caller keeps them alive.
#pragma once

#include <cstdint>
#include <string>

#include "util/bytes.h"

namespace ladder {

class Writer {
 public:
  void u8(uint8_t v) { buf_.push_back(v); }
  void u16le(uint16_t v) { le(v, 2); }
  void u32le(uint32_t v) { le(v, 4); }
  void u64le(uint64_t v) { le(v, 8); }
  void i64le(int64_t v) { le(static_cast<uint64_t>(v), 8); }
  void u16be(uint16_t v) { be(v, 2); }
  void u32be(uint32_t v) { be(v, 4); }
  void u64be(uint64_t v) { be(v, 8); }
  void compact_size(uint64_t n);
  void bytes(ByteView v) { buf_.insert(buf_.end(), v.begin(), v.end()); }
  // CompactSize length followed by the bytes.
  void var_bytes(ByteView v) {
    compact_size(v.size());
    bytes(v);
  }
  void reserve(size_t n) { buf_.reserve(n); }
  size_t size() const { return buf_.size(); }
  const Bytes& data() const { return buf_; }
  Bytes take() { return std::move(buf_); }

 private:
  void le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) buf_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void be(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) buf_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  Bytes buf_;
};

// Number of bytes compact_size(n) writes.
size_t compact_size_len(uint64_t n);

class Reader {
 public:
  explicit Reader(ByteView v) : v_(v) {}

  Expected<uint8_t> u8();
  Expected<uint16_t> u16le();
  Expected<uint32_t> u32le();
  Expected<uint64_t> u64le();
  Expected<int64_t> i64le();
  Expected<uint16_t> u16be();
  Expected<uint32_t> u32be();
  Expected<uint64_t> u64be();
  // Rejects non-canonical encodings and values above `max`
  // ("serialize.non-canonical", "serialize.oversized").
  Expected<uint64_t> compact_size(uint64_t max = 0x02000000);
  Expected<ByteView> bytes(size_t n);
  Expected<Bytes> var_bytes(uint64_t max = 0x02000000);
  template <size_t N>
  Expected<std::array<uint8_t, N>> array() {
    auto b = bytes(N);
    if (!b) return b.error();
    std::array<uint8_t, N> out;
    std::copy(b->begin(), b->end(), out.begin());
    return out;
  }

  size_t remaining() const { return v_.size() - pos_; }
  size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }
  // "serialize.trailing" if unread bytes remain.
  Status expect_end() const;

 private:
  Expected<uint64_t> le(int n);
  Expected<uint64_t> be(int n);
  ByteView v_;
  size_t pos_ = 0;
};

}  // namespace ladder
