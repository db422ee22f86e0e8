#include "wire/features.h"

#include <stdexcept>

namespace ladder::wire {

FeatureBits FeatureBits::from_wire(ByteView bytes) {
  FeatureBits f;
  f.le_.assign(bytes.rbegin(), bytes.rend());
  f.trim();
  return f;
}

Bytes FeatureBits::to_wire() const { return Bytes(le_.rbegin(), le_.rend()); }

void FeatureBits::set(size_t bit) {
  if (bit > kMaxFeatureBit) throw std::logic_error("feature bit " + std::to_string(bit) + " cannot be encoded");
  if (le_.size() <= bit / 8) le_.resize(bit / 8 + 1, 0);
  le_[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
}

bool FeatureBits::test(size_t bit) const { return bit / 8 < le_.size() && (le_[bit / 8] >> (bit % 8) & 1) != 0; }

std::vector<size_t> FeatureBits::bits() const {
  std::vector<size_t> out;
  for (size_t i = 0; i < le_.size(); ++i)
    for (size_t b = 0; b < 8; ++b)
      if (le_[i] >> b & 1) out.push_back(8 * i + b);
  return out;
}

FeatureBits FeatureBits::operator|(const FeatureBits& o) const {
  FeatureBits out = le_.size() >= o.le_.size() ? *this : o;
  const FeatureBits& other = le_.size() >= o.le_.size() ? o : *this;
  for (size_t i = 0; i < other.le_.size(); ++i) out.le_[i] |= other.le_[i];
  return out;
}

void FeatureBits::trim() {
  while (!le_.empty() && le_.back() == 0) le_.pop_back();
}

}  // namespace ladder::wire
