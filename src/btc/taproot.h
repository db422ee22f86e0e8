// Taproot outputs (BIP-341): leaf and branch hashes, script trees, the
// tweak of an internal x-only key into an output key, control blocks (build,
// parse, verify) and the P2TR scriptPubKey.
//
// Keys are 32-byte x-only public keys (BIP-340 encoding). A TapTree is an
// immutable value: a leaf or a branch of two subtrees, whose hash is computed
// once at construction; copying copies the tree. Every function is pure and
// thread-safe (libsecp256k1 is used only through its static context, for
// public-key operations).
//
// Errors (stable codes):
//   "taproot.invalid-internal-key"  the internal key is not a valid x-only key
//   "taproot.tweak-failed"          the tweak is out of range (negligible odds)
//   "taproot.bad-control-block"     control block of the wrong size
//   "taproot.tree-too-deep"         a leaf deeper than 128 levels
//   "taproot.commitment-mismatch"   the control block does not commit the
//                                   script to the output key
//   "taproot.empty-tree"            a Huffman tree over no leaves
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "btc/standard_scripts.h"
#include "crypto/secp.h"
#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::btc {

inline constexpr uint8_t TAPROOT_LEAF_TAPSCRIPT = 0xc0;
inline constexpr uint8_t TAPROOT_LEAF_MASK = 0xfe;
inline constexpr size_t TAPROOT_CONTROL_BASE_SIZE = 33;
inline constexpr size_t TAPROOT_CONTROL_NODE_SIZE = 32;
inline constexpr size_t TAPROOT_CONTROL_MAX_NODE_COUNT = 128;

struct TapLeaf {
  uint8_t version = TAPROOT_LEAF_TAPSCRIPT;  // even (low bit clear)
  Bytes script;
  bool operator==(const TapLeaf&) const = default;
};

// tagged_hash("TapLeaf", version || compact_size(len) || script)
Bytes32 tapleaf_hash(uint8_t leaf_version, ByteView script);
inline Bytes32 tapleaf_hash(const TapLeaf& leaf) { return tapleaf_hash(leaf.version, leaf.script); }
// tagged_hash("TapBranch", min(a,b) || max(a,b))
Bytes32 tapbranch_hash(const Bytes32& a, const Bytes32& b);

// A leaf of a tree with its Merkle path: the sibling hashes from the leaf up
// to the root (the order a control block lists them in).
struct TapLeafPath {
  TapLeaf leaf;
  Bytes32 leaf_hash{};
  std::vector<Bytes32> path;
};

class TapTree {
 public:
  // A single leaf. An odd leaf version is a programmer error (std::invalid_argument).
  static TapTree leaf(TapLeaf leaf);
  static TapTree branch(TapTree left, TapTree right);
  // A Huffman tree over weighted leaves: heavier leaves end up nearer the
  // root. Ties are broken by input order, so the result is deterministic.
  static Expected<TapTree> huffman(std::vector<std::pair<uint64_t, TapLeaf>> weighted_leaves);

  // The Merkle root of this (sub)tree: the leaf hash for a leaf.
  const Bytes32& hash() const { return hash_; }
  bool is_leaf() const { return leaf_.has_value(); }
  // Every leaf, depth first, left to right, with its path.
  std::vector<TapLeafPath> leaves() const;

 private:
  TapTree() = default;
  void collect(std::vector<TapLeafPath>& out) const;
  std::optional<TapLeaf> leaf_;
  std::vector<TapTree> children_;  // two for a branch, none for a leaf
  Bytes32 hash_{};
};

// tagged_hash("TapTweak", internal_key || merkle_root), the root omitted
// when there is no script tree.
Bytes32 taproot_tweak_hash(const Bytes32& internal_key, const std::optional<Bytes32>& merkle_root);

struct TaprootOutput {
  Bytes32 internal_key{};
  std::optional<Bytes32> merkle_root;
  Bytes32 tweak{};
  Bytes32 output_key{};
  bool output_parity = false;  // true when the tweaked point has odd y
  Bytes script_pubkey() const { return p2tr_script(output_key); }
};

// Q = P + tweak·G with P the even-y point of `internal_key`.
Expected<TaprootOutput> taproot_output(const Bytes32& internal_key, const std::optional<Bytes32>& merkle_root);
// The same from an already parsed key (no square root to lift x).
Expected<TaprootOutput> taproot_output(const crypto::XOnlyPubKey& internal_key, const std::optional<Bytes32>& merkle_root);
inline Expected<TaprootOutput> taproot_output(const Bytes32& internal_key, const TapTree& tree) {
  return taproot_output(internal_key, tree.hash());
}

// The secret key that signs a key-path spend of
// taproot_output(internal.xonly_pubkey(), merkle_root): the internal secret,
// negated when its point has odd y, plus the tweak. "taproot.tweak-failed"
// when the sum is out of range (negligible odds).
Expected<crypto::SecretKey> taproot_tweak_secret_key(const crypto::SecretKey& internal,
                                                     const std::optional<Bytes32>& merkle_root);

struct ControlBlock {
  uint8_t leaf_version = TAPROOT_LEAF_TAPSCRIPT;
  bool output_parity = false;
  Bytes32 internal_key{};
  std::vector<Bytes32> path;

  Bytes serialize() const;
  // "taproot.bad-control-block" unless 33 + 32·m bytes with m ≤ 128.
  static Expected<ControlBlock> parse(ByteView data);
};

// The control block spending `leaf` of `output`'s tree.
Expected<ControlBlock> make_control_block(const TaprootOutput& output, const TapLeafPath& leaf);

// The root reached from `leaf_hash` through `path`.
Bytes32 merkle_root_from_path(const Bytes32& leaf_hash, std::span<const Bytes32> path);

// BIP-341 script-path check: `control_block` proves that `script` (under
// the control block's leaf version) is committed to in `output_key`.
Status verify_taproot_commitment(ByteView control_block, const Bytes32& output_key, ByteView script);

}  // namespace ladder::btc
