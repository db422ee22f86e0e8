#include "btc/taproot.h"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>

#include <algorithm>
#include <queue>
#include <stdexcept>

#include "crypto/hash.h"
#include "util/serialize.h"

namespace ladder::btc {

namespace {

const secp256k1_context* ctx() { return secp256k1_context_static; }

Expected<secp256k1_xonly_pubkey> parse_xonly(const Bytes32& key) {
  secp256k1_xonly_pubkey pk;
  if (!secp256k1_xonly_pubkey_parse(ctx(), &pk, key.data()))
    return make_error("taproot.invalid-internal-key", "not an x-only public key: " + to_hex(key));
  return pk;
}

}  // namespace

Bytes32 tapleaf_hash(uint8_t leaf_version, ByteView script) {
  Writer w;
  w.reserve(1 + 9 + script.size());
  w.u8(leaf_version);
  w.var_bytes(script);
  return crypto::tagged_hash("TapLeaf", w.data());
}

Bytes32 tapbranch_hash(const Bytes32& a, const Bytes32& b) {
  const auto& lo = std::min(a, b);
  const auto& hi = std::max(a, b);
  return crypto::Sha256::tagged("TapBranch").write(lo).write(hi).finalize();
}

TapTree TapTree::leaf(TapLeaf leaf) {
  if (leaf.version & ~TAPROOT_LEAF_MASK) throw std::invalid_argument("TapTree::leaf: odd leaf version");
  TapTree t;
  t.hash_ = tapleaf_hash(leaf);
  t.leaf_ = std::move(leaf);
  return t;
}

TapTree TapTree::branch(TapTree left, TapTree right) {
  TapTree t;
  t.hash_ = tapbranch_hash(left.hash_, right.hash_);
  t.children_.reserve(2);
  t.children_.push_back(std::move(left));
  t.children_.push_back(std::move(right));
  return t;
}

Expected<TapTree> TapTree::huffman(std::vector<std::pair<uint64_t, TapLeaf>> weighted_leaves) {
  if (weighted_leaves.empty()) return make_error("taproot.empty-tree", "a Huffman tree needs at least one leaf");
  // (weight, index into `nodes`): a min-heap; indices grow with creation, so
  // ties go to the older node.
  using Entry = std::pair<uint64_t, size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  std::vector<std::optional<TapTree>> nodes;
  for (auto& [weight, leaf] : weighted_leaves) {
    heap.emplace(weight, nodes.size());
    nodes.emplace_back(TapTree::leaf(std::move(leaf)));
  }
  while (heap.size() > 1) {
    auto [wa, ia] = heap.top();
    heap.pop();
    auto [wb, ib] = heap.top();
    heap.pop();
    // Saturate: weights are relative priorities, an overflow must not reorder them.
    const uint64_t sum = wa > UINT64_MAX - wb ? UINT64_MAX : wa + wb;
    heap.emplace(sum, nodes.size());
    nodes.emplace_back(TapTree::branch(std::move(*nodes[ia]), std::move(*nodes[ib])));
  }
  return std::move(*nodes[heap.top().second]);
}

std::vector<TapLeafPath> TapTree::leaves() const {
  std::vector<TapLeafPath> out;
  collect(out);
  return out;
}

void TapTree::collect(std::vector<TapLeafPath>& out) const {
  if (leaf_) {
    out.push_back(TapLeafPath{*leaf_, hash_, {}});
    return;
  }
  for (size_t side = 0; side < 2; ++side) {
    const size_t first = out.size();
    children_[side].collect(out);
    for (size_t i = first; i < out.size(); ++i) out[i].path.push_back(children_[1 - side].hash_);
  }
}

Bytes32 taproot_tweak_hash(const Bytes32& internal_key, const std::optional<Bytes32>& merkle_root) {
  auto h = crypto::Sha256::tagged("TapTweak");
  h.write(internal_key);
  if (merkle_root) h.write(*merkle_root);
  return h.finalize();
}

namespace {

Expected<TaprootOutput> tweak_output(const secp256k1_xonly_pubkey& internal, const Bytes32& internal_key,
                                     const std::optional<Bytes32>& merkle_root) {
  TaprootOutput out;
  out.internal_key = internal_key;
  out.merkle_root = merkle_root;
  out.tweak = taproot_tweak_hash(internal_key, merkle_root);
  secp256k1_pubkey tweaked;
  if (!secp256k1_xonly_pubkey_tweak_add(ctx(), &tweaked, &internal, out.tweak.data()))
    return make_error("taproot.tweak-failed", "taproot tweak out of range");
  secp256k1_xonly_pubkey xonly;
  int parity = 0;
  // Neither can fail for a valid public key.
  if (!secp256k1_xonly_pubkey_from_pubkey(ctx(), &xonly, &parity, &tweaked) ||
      !secp256k1_xonly_pubkey_serialize(ctx(), out.output_key.data(), &xonly))
    throw std::logic_error("libsecp256k1 rejected a valid public key");
  out.output_parity = parity != 0;
  return out;
}

}  // namespace

Expected<TaprootOutput> taproot_output(const Bytes32& internal_key, const std::optional<Bytes32>& merkle_root) {
  LADDER_ASSIGN(secp256k1_xonly_pubkey internal, parse_xonly(internal_key));
  return tweak_output(internal, internal_key, merkle_root);
}

Expected<TaprootOutput> taproot_output(const crypto::XOnlyPubKey& internal_key, const std::optional<Bytes32>& merkle_root) {
  return tweak_output(internal_key.raw(), internal_key.bytes(), merkle_root);
}

Expected<crypto::SecretKey> taproot_tweak_secret_key(const crypto::SecretKey& internal,
                                                     const std::optional<Bytes32>& merkle_root) {
  const Bytes32 tweak = taproot_tweak_hash(internal.xonly_pubkey().bytes(), merkle_root);
  auto t = crypto::Scalar::parse(tweak);
  if (!t) return make_error("taproot.tweak-failed", "taproot tweak out of range");
  const crypto::Scalar d = internal.pubkey().has_even_y() ? internal.scalar() : -internal.scalar();
  auto tweaked = crypto::SecretKey::from_scalar(d + *t);
  if (!tweaked) return make_error("taproot.tweak-failed", "tweaked secret key is zero");
  return tweaked;
}

Bytes ControlBlock::serialize() const {
  Bytes out;
  out.reserve(TAPROOT_CONTROL_BASE_SIZE + TAPROOT_CONTROL_NODE_SIZE * path.size());
  out.push_back(static_cast<uint8_t>((leaf_version & TAPROOT_LEAF_MASK) | (output_parity ? 1 : 0)));
  append(out, internal_key);
  for (const auto& node : path) append(out, node);
  return out;
}

Expected<ControlBlock> ControlBlock::parse(ByteView data) {
  if (data.size() < TAPROOT_CONTROL_BASE_SIZE ||
      (data.size() - TAPROOT_CONTROL_BASE_SIZE) % TAPROOT_CONTROL_NODE_SIZE != 0 ||
      (data.size() - TAPROOT_CONTROL_BASE_SIZE) / TAPROOT_CONTROL_NODE_SIZE > TAPROOT_CONTROL_MAX_NODE_COUNT)
    return make_error("taproot.bad-control-block", "control block of " + std::to_string(data.size()) + " bytes");
  ControlBlock cb;
  cb.leaf_version = data[0] & TAPROOT_LEAF_MASK;
  cb.output_parity = (data[0] & 1) != 0;
  std::copy_n(data.begin() + 1, 32, cb.internal_key.begin());
  for (size_t off = TAPROOT_CONTROL_BASE_SIZE; off < data.size(); off += TAPROOT_CONTROL_NODE_SIZE) {
    Bytes32 node;
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(off), 32, node.begin());
    cb.path.push_back(node);
  }
  return cb;
}

Expected<ControlBlock> make_control_block(const TaprootOutput& output, const TapLeafPath& leaf) {
  if (leaf.path.size() > TAPROOT_CONTROL_MAX_NODE_COUNT)
    return make_error("taproot.tree-too-deep", "leaf at depth " + std::to_string(leaf.path.size()));
  return ControlBlock{leaf.leaf.version, output.output_parity, output.internal_key, leaf.path};
}

Bytes32 merkle_root_from_path(const Bytes32& leaf_hash, std::span<const Bytes32> path) {
  Bytes32 k = leaf_hash;
  for (const auto& node : path) k = tapbranch_hash(k, node);
  return k;
}

Status verify_taproot_commitment(ByteView control_block, const Bytes32& output_key, ByteView script) {
  LADDER_ASSIGN(ControlBlock cb, ControlBlock::parse(control_block));
  LADDER_ASSIGN(secp256k1_xonly_pubkey internal, parse_xonly(cb.internal_key));
  const Bytes32 root = merkle_root_from_path(tapleaf_hash(cb.leaf_version, script), cb.path);
  const Bytes32 tweak = taproot_tweak_hash(cb.internal_key, root);
  if (!secp256k1_xonly_pubkey_tweak_add_check(ctx(), output_key.data(), cb.output_parity ? 1 : 0, &internal,
                                              tweak.data()))
    return make_error("taproot.commitment-mismatch", "control block does not commit the script to the output key");
  return ok();
}

}  // namespace ladder::btc
