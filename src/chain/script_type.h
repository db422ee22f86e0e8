// Classifying scriptPubKeys the way Bitcoin Core's Solver does, for relay
// policy: which output types are standard, which inputs are, dust limits.
//
// Pure functions over script bytes; thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "util/bytes.h"

namespace ladder::chain {

enum class OutputType {
  nonstandard,
  pubkey,             // <pubkey> CHECKSIG
  pubkeyhash,         // P2PKH
  scripthash,         // P2SH
  multisig,           // bare m-of-n CHECKMULTISIG
  null_data,          // OP_RETURN followed by pushes
  witness_v0_keyhash,
  witness_v0_scripthash,
  witness_v1_taproot,
  anchor,             // P2A: OP_1 <0x4e73>
  witness_unknown,    // any other witness program
};

const char* output_type_name(OutputType t);  // Core's names ("witness_v1_taproot", "anchor", ...)

// A witness program seen in place (btc::witness_program copies it): the
// version and the program bytes, a view into `script`.
struct WitnessProgramView {
  int version = 0;
  ByteView program;
};
std::optional<WitnessProgramView> witness_program_view(ByteView script);

bool is_pay_to_script_hash(ByteView script);
bool is_push_only(ByteView script);

// Classifies `script`; for multisig sets `*required`/`*keys` when given.
OutputType classify(ByteView script, int* required = nullptr, int* keys = nullptr);

// Legacy signature-operation count of `script` (Core's GetSigOpCount): with
// `accurate`, CHECKMULTISIG counts the preceding OP_n keys, else 20.
unsigned sigop_count(ByteView script, bool accurate);

}  // namespace ladder::chain
