// Byte buffers and hex: the currency every layer trades in.
//
// Bytes is an owning buffer; ByteView a non-owning view. Fixed-size values
// (hashes, keys, signatures) use std::array so their size is part of the type.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.h"

namespace ladder {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
using Bytes32 = std::array<uint8_t, 32>;
using Bytes33 = std::array<uint8_t, 33>;
using Bytes64 = std::array<uint8_t, 64>;

// Lower-case hex of `data`.
std::string to_hex(ByteView data);

// Parses hex (either case, even length, no prefix). Error code "hex.invalid".
Expected<Bytes> from_hex(std::string_view hex);

// Parses exactly N bytes of hex. Error code "hex.invalid" or "hex.length".
template <size_t N>
Expected<std::array<uint8_t, N>> from_hex_fixed(std::string_view hex) {
  auto b = from_hex(hex);
  if (!b) return b.error();
  if (b->size() != N)
    return make_error("hex.length", "expected " + std::to_string(N) + " bytes, got " + std::to_string(b->size()));
  std::array<uint8_t, N> out{};
  std::copy(b->begin(), b->end(), out.begin());
  return out;
}

// Hex that must be valid: for constants in code and tests. Throws
// std::invalid_argument on bad input (a programmer error).
Bytes hex_or_throw(std::string_view hex);

template <size_t N>
std::array<uint8_t, N> hex_fixed_or_throw(std::string_view hex) {
  auto r = from_hex_fixed<N>(hex);
  if (!r) throw std::invalid_argument(r.error().to_string());
  return *r;
}

inline Bytes to_bytes(ByteView v) { return Bytes(v.begin(), v.end()); }

inline void append(Bytes& out, ByteView v) { out.insert(out.end(), v.begin(), v.end()); }

// Byte-reversed copy (Bitcoin displays hashes reversed).
template <size_t N>
std::array<uint8_t, N> reversed(const std::array<uint8_t, N>& a) {
  std::array<uint8_t, N> r;
  for (size_t i = 0; i < N; ++i) r[i] = a[N - 1 - i];
  return r;
}

}  // namespace ladder
