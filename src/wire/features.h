// Feature bits (BOLT #9 convention): features come in pairs, the even bit
// 2k meaning "required" and the odd bit 2k+1 "optional". On the wire a set is
// a big-endian bitfield whose last byte holds bits 0..7.
//
// FeatureBits is a plain value (no trailing zero storage, so equal sets
// compare equal whatever their wire padding). Bits above kMaxFeatureBit
// cannot appear in a 65535-byte message; setting one is a programmer error.
#pragma once

#include <cstddef>
#include <vector>

#include "util/bytes.h"

namespace ladder::wire {

inline constexpr size_t kMaxFeatureBit = 65535 * 8 - 1;

class FeatureBits {
 public:
  FeatureBits() = default;

  static FeatureBits from_wire(ByteView bytes);
  // Minimal big-endian form: no leading zero bytes.
  Bytes to_wire() const;

  void set(size_t bit);
  bool test(size_t bit) const;
  // Whether either bit of `bit`'s pair is set.
  bool offers(size_t bit) const { return test(bit & ~size_t{1}) || test(bit | 1); }
  // The set bits, ascending.
  std::vector<size_t> bits() const;

  FeatureBits operator|(const FeatureBits& o) const;
  bool operator==(const FeatureBits&) const = default;

 private:
  void trim();
  std::vector<uint8_t> le_;  // le_[i] holds bits 8i..8i+7; last byte non-zero
};

}  // namespace ladder::wire
