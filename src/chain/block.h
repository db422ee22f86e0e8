// Blocks and block headers: the one serialization definition used to encode
// and decode them, header hashes, merkle roots, proof of work against a
// compact target, and the coinbase a miner builds (BIP-34 height, BIP-141
// witness commitment).
//
// Blocks are plain values. Parsing is bounds-checked and returns errors
// ("block.*", "serialize.*", "tx.*"); it never reads outside its input.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "btc/tx.h"
#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::chain {

struct BlockHeader {
  int32_t version = 0x20000000;
  Bytes32 prev_hash{};     // internal byte order
  Bytes32 merkle_root{};
  uint32_t time = 0;
  uint32_t bits = 0;
  uint32_t nonce = 0;

  Bytes serialize() const;  // 80 bytes
  Bytes32 hash() const;     // double SHA-256 of the 80 bytes (internal order)
};

struct Block {
  BlockHeader header;
  std::vector<btc::Transaction> txs;  // txs[0] is the coinbase

  Bytes serialize(bool with_witness = true) const;
  int64_t weight() const;
};

Expected<BlockHeader> read_block_header(Reader& r);
Expected<Block> parse_block(ByteView data);

// Merkle root of `leaves` as Bitcoin computes it (the last leaf of an odd
// level is paired with itself). An empty list gives all zeros.
Bytes32 merkle_root(std::vector<Bytes32> leaves);

// True if `hash` (internal order, i.e. little-endian number) is at or below
// the target encoded by `bits`. An invalid or negative compact target is false.
bool check_proof_of_work(const Bytes32& hash, uint32_t bits);

// The hex shown for a block hash (reversed, as Bitcoin displays it).
std::string block_hash_hex(const Bytes32& hash);
Expected<Bytes32> parse_block_hash_hex(std::string_view hex);

// The coinbase of a block at `height` paying `value` to `script_pubkey`,
// with the BIP-34 height push and (for the witness commitment) the 32-byte
// zero witness reserved value. Its second output, the witness commitment, is
// filled in by set_witness_commitment once the block's other txs are known.
btc::Transaction make_coinbase(int height, btc::Amount value, ByteView script_pubkey);

// The BIP-141 witness commitment for a block whose txs have these wtxids
// (wtxids[0], the coinbase's, is taken as zero): SHA256d(witness merkle root
// || 32-byte zero reserved value).
Bytes32 compute_witness_commitment(std::vector<Bytes32> wtxids);

// Writes `commitment` into the coinbase's commitment output (the one
// make_coinbase adds). Throws std::logic_error if it has none.
void set_witness_commitment(btc::Transaction& coinbase, const Bytes32& commitment);

// The witness commitment a coinbase carries (its last output starting
// 0x6a24aa21a9ed), if any.
std::optional<Bytes32> find_witness_commitment(const btc::Transaction& coinbase);

// The height a coinbase's scriptSig commits to (BIP-34), or an error
// ("block.bad-cb-height") if its first push is not a number.
Expected<int64_t> coinbase_height(const btc::Transaction& coinbase);

}  // namespace ladder::chain
