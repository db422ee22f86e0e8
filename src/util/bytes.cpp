#include "util/bytes.h"

#include <stdexcept>

namespace ladder {

namespace {
int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string to_hex(ByteView data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.resize(data.size() * 2);
  for (size_t i = 0; i < data.size(); ++i) {
    s[2 * i] = kDigits[data[i] >> 4];
    s[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return s;
}

Expected<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return make_error("hex.invalid", "odd number of hex digits");
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return make_error("hex.invalid", "non-hex character at offset " + std::to_string(2 * i));
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

Bytes hex_or_throw(std::string_view hex) {
  auto r = from_hex(hex);
  if (!r) throw std::invalid_argument(r.error().to_string());
  return std::move(r).value();
}

}  // namespace ladder
