#include "btc/bech32.h"

#include <cctype>
#include <stdexcept>

namespace ladder::btc {

namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr uint32_t kBech32Const = 1;
constexpr uint32_t kBech32mConst = 0x2bc830a3;

int8_t charset_index(char c) {
  for (int8_t i = 0; i < 32; ++i)
    if (kCharset[i] == c) return i;
  return -1;
}

uint32_t polymod(const std::vector<uint8_t>& values) {
  static constexpr uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t v : values) {
    const uint32_t top = chk >> 25;
    chk = (chk & 0x1ffffff) << 5 ^ v;
    for (int i = 0; i < 5; ++i)
      if ((top >> i) & 1) chk ^= kGen[i];
  }
  return chk;
}

std::vector<uint8_t> hrp_expand(std::string_view hrp) {
  std::vector<uint8_t> out;
  out.reserve(hrp.size() * 2 + 1);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c) >> 5);
  out.push_back(0);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c) & 31);
  return out;
}

uint32_t encoding_const(Bech32Encoding e) { return e == Bech32Encoding::bech32 ? kBech32Const : kBech32mConst; }

}  // namespace

std::string bech32_encode(Bech32Encoding encoding, std::string_view hrp, const std::vector<uint8_t>& data) {
  if (hrp.empty() || hrp.size() > 83) throw std::invalid_argument("bech32_encode: hrp length");
  for (char c : hrp)
    if (c < 33 || c > 126 || (c >= 'A' && c <= 'Z')) throw std::invalid_argument("bech32_encode: hrp character");
  for (uint8_t v : data)
    if (v > 31) throw std::invalid_argument("bech32_encode: data value above 31");
  std::vector<uint8_t> values = hrp_expand(hrp);
  values.insert(values.end(), data.begin(), data.end());
  values.resize(values.size() + 6, 0);
  const uint32_t mod = polymod(values) ^ encoding_const(encoding);
  std::string out(hrp);
  out.push_back('1');
  for (uint8_t v : data) out.push_back(kCharset[v]);
  for (int i = 0; i < 6; ++i) out.push_back(kCharset[(mod >> (5 * (5 - i))) & 31]);
  return out;
}

Expected<Bech32Decoded> bech32_decode(std::string_view str, size_t max_length) {
  if (str.size() > max_length) return make_error("bech32.too-long", std::to_string(str.size()) + " characters");
  bool lower = false, upper = false;
  for (char c : str) {
    if (c < 33 || c > 126) return make_error("bech32.bad-char", "character outside printable ASCII");
    lower |= c >= 'a' && c <= 'z';
    upper |= c >= 'A' && c <= 'Z';
  }
  if (lower && upper) return make_error("bech32.mixed-case", "mixed upper and lower case");
  const size_t sep = str.rfind('1');
  if (sep == std::string_view::npos) return make_error("bech32.no-separator", "no '1' separator");
  if (sep == 0 || sep > 83) return make_error("bech32.bad-hrp", "human-readable part of " + std::to_string(sep) + " characters");
  if (str.size() - sep - 1 < 6) return make_error("bech32.too-short", "data part shorter than the checksum");
  Bech32Decoded out;
  for (size_t i = 0; i < sep; ++i) out.hrp.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(str[i]))));
  std::vector<uint8_t> values = hrp_expand(out.hrp);
  const size_t first = values.size();
  for (size_t i = sep + 1; i < str.size(); ++i) {
    const int8_t v = charset_index(static_cast<char>(std::tolower(static_cast<unsigned char>(str[i]))));
    if (v < 0) return make_error("bech32.bad-char", std::string("invalid data character '") + str[i] + "'");
    values.push_back(static_cast<uint8_t>(v));
  }
  const uint32_t mod = polymod(values);
  if (mod == kBech32Const) out.encoding = Bech32Encoding::bech32;
  else if (mod == kBech32mConst) out.encoding = Bech32Encoding::bech32m;
  else return make_error("bech32.bad-checksum", "checksum matches neither bech32 nor bech32m");
  out.data.assign(values.begin() + static_cast<std::ptrdiff_t>(first), values.end() - 6);
  return out;
}

Expected<std::vector<uint8_t>> convert_bits(ByteView in, int from, int to, bool pad) {
  uint32_t acc = 0;
  int bits = 0;
  const uint32_t maxv = (1u << to) - 1;
  std::vector<uint8_t> out;
  out.reserve(in.size() * static_cast<size_t>(from) / static_cast<size_t>(to) + 1);
  for (uint8_t v : in) {
    if (v >> from) return make_error("bech32.bad-char", "value wider than " + std::to_string(from) + " bits");
    acc = (acc << from | v) & ((1u << (from + to - 1)) - 1);
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push_back(static_cast<uint8_t>((acc >> bits) & maxv));
    }
  }
  if (pad) {
    if (bits) out.push_back(static_cast<uint8_t>((acc << (to - bits)) & maxv));
  } else if (bits >= from || ((acc << (to - bits)) & maxv)) {
    return make_error("bech32.bad-padding", "non-zero or overlong padding");
  }
  return out;
}

}  // namespace ladder::btc
