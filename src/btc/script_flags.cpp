#include "btc/script_flags.h"

#include <array>
#include <utility>

namespace ladder::btc {
namespace {

// Index i names bit 1 << i.
constexpr std::array<std::string_view, SCRIPT_VERIFY_FLAG_BITS> kFlagNames = {
    "P2SH",
    "STRICTENC",
    "DERSIG",
    "LOW_S",
    "NULLDUMMY",
    "SIGPUSHONLY",
    "MINIMALDATA",
    "DISCOURAGE_UPGRADABLE_NOPS",
    "CLEANSTACK",
    "CHECKLOCKTIMEVERIFY",
    "CHECKSEQUENCEVERIFY",
    "WITNESS",
    "DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM",
    "MINIMALIF",
    "NULLFAIL",
    "WITNESS_PUBKEYTYPE",
    "CONST_SCRIPTCODE",
    "TAPROOT",
    "DISCOURAGE_UPGRADABLE_TAPROOT_VERSION",
    "DISCOURAGE_OP_SUCCESS",
    "DISCOURAGE_UPGRADABLE_PUBKEYTYPE",
};

}  // namespace

Expected<uint32_t> parse_script_flags(std::string_view text) {
  uint32_t flags = 0;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view name = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (name.empty() || name == "NONE") continue;
    size_t bit = 0;
    while (bit < kFlagNames.size() && kFlagNames[bit] != name) ++bit;
    if (bit == kFlagNames.size()) return make_error("script-flags.unknown", "unknown script flag " + std::string(name));
    flags |= 1u << bit;
  }
  return flags;
}

std::string format_script_flags(uint32_t flags) {
  std::string out;
  for (size_t bit = 0; bit < kFlagNames.size(); ++bit) {
    if (!(flags & (1u << bit))) continue;
    if (!out.empty()) out += ',';
    out += kFlagNames[bit];
  }
  return out;
}

}  // namespace ladder::btc
