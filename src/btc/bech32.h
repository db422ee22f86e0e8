// Bech32 and Bech32m strings (BIP-173, BIP-350): human-readable part, '1',
// 5-bit data, 6-character checksum.
//
// Encoding is total for valid input (a programmer error otherwise).
// Decoding checks everything the string format defines (length ≤ limit,
// characters, case, separator, checksum) and returns the variant whose
// checksum matched; what the data means (e.g. a segwit address) is the
// caller's business. Pure and thread-safe.
//
// Errors: "bech32.too-long", "bech32.bad-char", "bech32.mixed-case",
// "bech32.no-separator", "bech32.bad-hrp", "bech32.too-short",
// "bech32.bad-checksum".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::btc {

enum class Bech32Encoding { bech32, bech32m };

struct Bech32Decoded {
  Bech32Encoding encoding = Bech32Encoding::bech32;
  std::string hrp;            // lower case
  std::vector<uint8_t> data;  // 5-bit values, checksum removed
};

inline constexpr size_t BECH32_MAX_LENGTH = 90;

// `hrp` must be 1..83 printable ASCII characters without upper case and
// `data` 5-bit values; otherwise std::invalid_argument. The result is lower case.
std::string bech32_encode(Bech32Encoding encoding, std::string_view hrp, const std::vector<uint8_t>& data);
Expected<Bech32Decoded> bech32_decode(std::string_view str, size_t max_length = BECH32_MAX_LENGTH);

// Regroups bits: 8→5 with padding (`pad` true), or 5→8 without, where
// leftover bits must be fewer than `from` and zero ("bech32.bad-padding").
Expected<std::vector<uint8_t>> convert_bits(ByteView in, int from, int to, bool pad);

}  // namespace ladder::btc
