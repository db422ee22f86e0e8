// Signature hashes: the message a signature commits to, for the three
// signature versions Bitcoin has — legacy (pre-segwit, Bitcoin Core's
// SignatureHash for SigVersion::BASE), segwit v0 (BIP-143) and taproot
// (BIP-341 key path, BIP-342 script path).
//
// PrecomputedTxData holds the per-transaction midhashes every input's
// sighash shares, so hashing n inputs costs O(n) and not O(n²). It is a plain
// value computed once per transaction; it must describe the very transaction
// it is used with (a mismatch is a programmer error this module cannot
// detect). All functions are pure and thread-safe.
//
// Failure behaviour: legacy and segwit v0 sighashes are total functions of
// their arguments, reproducing Bitcoin Core's quirks (the "one" hash).
// An input index past the inputs is a programmer error for segwit v0
// (std::out_of_range). The taproot sighash returns an error value for the
// cases consensus treats as a failed signature check:
//   "sighash.invalid-hash-type"        hash_type not in {0,1,2,3,0x81,0x82,0x83}
//   "sighash.single-without-output"    SIGHASH_SINGLE and no output at input_index
//   "sighash.missing-spent-outputs"    txdata lacks the spent outputs
//   "sighash.input-out-of-range"       input_index >= number of inputs
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "btc/tx.h"
#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::btc {

enum SigHashType : uint8_t {
  SIGHASH_DEFAULT = 0,
  SIGHASH_ALL = 1,
  SIGHASH_NONE = 2,
  SIGHASH_SINGLE = 3,
  SIGHASH_ANYONECANPAY = 0x80,
};

// Per-transaction midhashes. BIP-143 ones are double SHA-256, BIP-341 ones
// single SHA-256 (BIP-143's hash_x == SHA256(sha_x)).
struct PrecomputedTxData {
  // BIP-143
  Bytes32 hash_prevouts{};
  Bytes32 hash_sequence{};
  Bytes32 hash_outputs{};
  // BIP-341
  Bytes32 sha_prevouts{};
  Bytes32 sha_amounts{};
  Bytes32 sha_scriptpubkeys{};
  Bytes32 sha_sequences{};
  Bytes32 sha_outputs{};
  // The outputs the inputs spend, in input order; empty when unknown.
  std::vector<TxOut> spent_outputs;
  bool bip143_ready = false;  // the BIP-143 fields are set
  bool bip341_ready = false;  // the BIP-341 fields are set (needs one spent output per input)
};

// Computes the midhashes of `tx`. The BIP-341 part is computed only when
// `spent_outputs` has exactly one entry per input; otherwise bip341_ready is
// false and spent_outputs is kept as given.
PrecomputedTxData precompute_tx_data(const Transaction& tx, std::vector<TxOut> spent_outputs);

// Legacy (SigVersion BASE) sighash, exactly Bitcoin Core's SignatureHash.
// `script_code` is the already-prepared subscript (the interpreter applies
// consensus' FindAndDelete and OP_CODESEPARATOR cut); this function strips the
// remaining OP_CODESEPARATORs as Core's CTransactionSignatureSerializer does.
// Returns the "one" hash (uint256 1, i.e. byte 0x01 then 31 zero bytes) when
// SIGHASH_SINGLE has no output at input_index, and likewise when input_index
// is past the inputs (Core's consensus behaviour before that case became an
// assertion).
Bytes32 legacy_sighash(const Transaction& tx, size_t input_index, ByteView script_code, int32_t hash_type);

// BIP-143 segwit v0 sighash. Uses txdata's BIP-143 fields when bip143_ready,
// else computes them. Throws std::out_of_range if input_index is past the
// inputs.
Bytes32 segwit_v0_sighash(const Transaction& tx, size_t input_index, ByteView script_code, Amount amount,
                          int32_t hash_type, const PrecomputedTxData& txdata);

// Script-path extension of the BIP-341 sighash (BIP-342).
struct TapScriptExt {
  Bytes32 tapleaf_hash{};
  uint32_t codesep_pos = 0xffffffff;  // opcode position of the last executed OP_CODESEPARATOR
};

// BIP-341/342 sighash. `ext` is nullptr for a key-path spend. `annex` is the
// annex including its 0x50 prefix, if the witness has one. Errors: see the
// file comment.
Expected<Bytes32> taproot_sighash(const Transaction& tx, size_t input_index, uint8_t hash_type,
                                  const PrecomputedTxData& txdata, const std::optional<Bytes>& annex,
                                  const TapScriptExt* ext);

// The message taproot_sighash hashes with the "TapSighash" tag: the epoch
// byte 0x00 followed by BIP-341's SigMsg (and BIP-342's extension). Same
// arguments and errors as taproot_sighash.
Expected<Bytes> taproot_sighash_preimage(const Transaction& tx, size_t input_index, uint8_t hash_type,
                                         const PrecomputedTxData& txdata, const std::optional<Bytes>& annex,
                                         const TapScriptExt* ext);

}  // namespace ladder::btc
