// Script-verification flags: composable bits selecting which rules the
// interpreter enforces, with Bitcoin Core's names and semantics.
//
// Consensus is MANDATORY_SCRIPT_VERIFY_FLAGS (what a block must satisfy once
// every soft fork up to taproot is active); STANDARD_SCRIPT_VERIFY_FLAGS adds
// Core's relay policy. Core requires WITNESS to come with P2SH and CLEANSTACK
// with both (it asserts otherwise); this interpreter accepts every
// combination and applies each set flag literally, so callers that want
// Core's semantics should pass only the combinations Core allows.
//
// Pure values and functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/expected.h"

namespace ladder::btc {

enum ScriptVerifyFlag : uint32_t {
  SCRIPT_VERIFY_NONE = 0,
  SCRIPT_VERIFY_P2SH = 1u << 0,                 // BIP-16
  SCRIPT_VERIFY_STRICTENC = 1u << 1,            // defined hash types, valid pubkey encodings
  SCRIPT_VERIFY_DERSIG = 1u << 2,               // BIP-66 strict DER
  SCRIPT_VERIFY_LOW_S = 1u << 3,                // policy: S ≤ n/2
  SCRIPT_VERIFY_NULLDUMMY = 1u << 4,            // BIP-147
  SCRIPT_VERIFY_SIGPUSHONLY = 1u << 5,          // scriptSig is push-only
  SCRIPT_VERIFY_MINIMALDATA = 1u << 6,          // minimal pushes and numbers
  SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS = 1u << 7,
  SCRIPT_VERIFY_CLEANSTACK = 1u << 8,           // exactly one element left
  SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY = 1u << 9,  // BIP-65
  SCRIPT_VERIFY_CHECKSEQUENCEVERIFY = 1u << 10, // BIP-112
  SCRIPT_VERIFY_WITNESS = 1u << 11,             // BIP-141/143
  SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM = 1u << 12,
  SCRIPT_VERIFY_MINIMALIF = 1u << 13,           // IF/NOTIF argument empty or 0x01 (witness v0)
  SCRIPT_VERIFY_NULLFAIL = 1u << 14,            // failing signature checks need empty signatures
  SCRIPT_VERIFY_WITNESS_PUBKEYTYPE = 1u << 15,  // compressed keys only in witness v0
  SCRIPT_VERIFY_CONST_SCRIPTCODE = 1u << 16,    // no OP_CODESEPARATOR / FindAndDelete in legacy
  SCRIPT_VERIFY_TAPROOT = 1u << 17,             // BIP-341/342
  SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION = 1u << 18,
  SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS = 1u << 19,
  SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE = 1u << 20,
};

// Number of defined flag bits (the highest is 1 << (COUNT - 1)).
inline constexpr int SCRIPT_VERIFY_FLAG_BITS = 21;

inline constexpr uint32_t MANDATORY_SCRIPT_VERIFY_FLAGS =
    SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_NULLDUMMY | SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY |
    SCRIPT_VERIFY_CHECKSEQUENCEVERIFY | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_TAPROOT;

inline constexpr uint32_t STANDARD_SCRIPT_VERIFY_FLAGS =
    MANDATORY_SCRIPT_VERIFY_FLAGS | SCRIPT_VERIFY_STRICTENC | SCRIPT_VERIFY_MINIMALDATA |
    SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS | SCRIPT_VERIFY_CLEANSTACK | SCRIPT_VERIFY_MINIMALIF |
    SCRIPT_VERIFY_NULLFAIL | SCRIPT_VERIFY_LOW_S | SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM |
    SCRIPT_VERIFY_WITNESS_PUBKEYTYPE | SCRIPT_VERIFY_CONST_SCRIPTCODE |
    SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION | SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS |
    SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE;

// Parses Core's comma-separated flag names without the SCRIPT_VERIFY_ prefix
// ("P2SH,WITNESS"); "" and "NONE" give 0. Error "script-flags.unknown" names
// the first unknown flag.
Expected<uint32_t> parse_script_flags(std::string_view comma_separated);

// The inverse: names of the set bits in bit order, comma-separated ("" for 0).
std::string format_script_flags(uint32_t flags);

}  // namespace ladder::btc
