// Test-only reference computations of transaction serialization and the
// three signature hashes, written straight from the BIP texts (BIP-143,
// BIP-341/342) and Core's legacy algorithm: bytes are appended one by one,
// CompactSize is written by hand, and no midhash is cached. The production
// code (btc/tx, btc/sighash) must agree with these on every input; they
// share nothing with it but SHA-256.
//
// Limitation: ref_legacy_sighash assumes the script code contains no
// OP_CODESEPARATOR (the vector test covers that case against Core's data).
#pragma once

#include <optional>
#include <string_view>

#include "btc/tx.h"

namespace ladder::test {

// CompactSize, written from its definition.
void ref_compact_size(Bytes& out, uint64_t n);
// The serialization of `tx` (BIP-144 extended form when `with_witness` and
// any witness is present).
Bytes ref_serialize(const btc::Transaction& tx, bool with_witness);

Bytes32 ref_legacy_sighash(const btc::Transaction& tx, size_t index, ByteView script_code, int32_t hash_type);
Bytes32 ref_bip143_sighash(const btc::Transaction& tx, size_t index, ByteView script_code, btc::Amount amount,
                           int32_t hash_type);
// BIP-341 SigMsg with the epoch byte in front; `leaf_hash` set for a
// BIP-342 script-path spend. Preconditions (valid hash type, matching
// output for SINGLE) are the caller's.
Bytes ref_bip341_preimage(const btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent,
                          uint8_t hash_type, const std::optional<Bytes>& annex,
                          const std::optional<Bytes32>& leaf_hash, uint32_t codesep_pos);
Bytes32 ref_tagged_hash(std::string_view tag, ByteView msg);

}  // namespace ladder::test
