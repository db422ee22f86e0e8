// Standard output scripts (scriptPubKeys): P2PKH, P2SH, P2WPKH, P2WSH, P2TR
// and the P2A anchor, and recognition of witness programs.
//
// Builders are total functions over fixed-size hashes/keys. Pure and
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "crypto/hash.h"
#include "util/bytes.h"

namespace ladder::btc {

// OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG
Bytes p2pkh_script(const crypto::Bytes20& pubkey_hash);
// OP_HASH160 <20> OP_EQUAL
Bytes p2sh_script(const crypto::Bytes20& script_hash);
// P2SH of a redeem script (HASH160 of it).
Bytes p2sh_script_for(ByteView redeem_script);
// OP_0 <20>
Bytes p2wpkh_script(const crypto::Bytes20& pubkey_hash);
// OP_0 <32>
Bytes p2wsh_script(const Bytes32& script_hash);
// P2WSH of a witness script (SHA-256 of it).
Bytes p2wsh_script_for(ByteView witness_script);
// OP_1 <32>: pay to a taproot output key (x-only).
Bytes p2tr_script(const Bytes32& output_key);
// OP_1 <0x4e73>: pay-to-anchor, spendable by anyone with an empty witness.
Bytes p2a_script();

// A witness program as BIP-141 defines it: a scriptPubKey made of one
// version opcode (OP_0, OP_1..OP_16) and one direct push of 2..40 bytes.
struct WitnessProgram {
  uint8_t version = 0;
  Bytes program;
  bool operator==(const WitnessProgram&) const = default;
};

// The witness program of `script_pubkey`, or nullopt if it is not one.
std::optional<WitnessProgram> witness_program(ByteView script_pubkey);
// scriptPubKey for a witness program (version ≤ 16, 2..40 bytes: a
// programmer error otherwise, std::invalid_argument).
Bytes witness_program_script(uint8_t version, ByteView program);

bool is_p2a(ByteView script_pubkey);

}  // namespace ladder::btc
