// Taproot trees, tweaks and control blocks beyond the BIP-341 vectors:
// Huffman trees, many and deep leaves, every way a control block can be
// wrong; and the standard output scripts.
#include <gtest/gtest.h>

#include "btc/standard_scripts.h"
#include "btc/taproot.h"
#include "crypto/schnorr.h"

namespace ladder::btc {
namespace {

const Bytes32 kKey = hex_fixed_or_throw<32>("d6889cb081036e0faefa3a35157ad71086b123b2b144b649798b494c300a961d");

TapLeaf leaf_n(int n) { return TapLeaf{TAPROOT_LEAF_TAPSCRIPT, {static_cast<uint8_t>(0x51 + n % 16), 0x75, static_cast<uint8_t>(n), 0x51}}; }

// Every leaf's control block verifies, and names the tree's root.
void expect_all_leaves_spendable(const TapTree& tree) {
  auto out = taproot_output(kKey, tree);
  ASSERT_TRUE(out);
  for (const auto& l : tree.leaves()) {
    EXPECT_EQ(merkle_root_from_path(l.leaf_hash, l.path), tree.hash());
    auto cb = make_control_block(*out, l);
    ASSERT_TRUE(cb);
    EXPECT_TRUE(verify_taproot_commitment(cb->serialize(), out->output_key, l.leaf.script));
  }
}

TEST(TapTree, BranchHashIsOrderIndependentAndLeavesAreDepthFirst) {
  auto a = TapTree::leaf(leaf_n(1)), b = TapTree::leaf(leaf_n(2)), c = TapTree::leaf(leaf_n(3));
  EXPECT_EQ(TapTree::branch(a, b).hash(), TapTree::branch(b, a).hash());
  EXPECT_EQ(tapbranch_hash(a.hash(), b.hash()), tapbranch_hash(b.hash(), a.hash()));
  auto t = TapTree::branch(a, TapTree::branch(b, c));
  auto leaves = t.leaves();
  ASSERT_EQ(leaves.size(), 3u);
  EXPECT_EQ(leaves[0].leaf, leaf_n(1));
  EXPECT_EQ(leaves[0].path, (std::vector<Bytes32>{TapTree::branch(b, c).hash()}));
  EXPECT_EQ(leaves[2].leaf, leaf_n(3));
  EXPECT_EQ(leaves[2].path, (std::vector<Bytes32>{b.hash(), a.hash()}));
  EXPECT_TRUE(a.is_leaf());
  EXPECT_FALSE(t.is_leaf());
  expect_all_leaves_spendable(t);
}

TEST(TapTree, HuffmanPutsHeavyLeavesHigh) {
  auto single = TapTree::huffman({{5, leaf_n(0)}});
  ASSERT_TRUE(single);
  EXPECT_EQ(single->hash(), tapleaf_hash(leaf_n(0)));

  auto t = TapTree::huffman({{1, leaf_n(1)}, {1, leaf_n(2)}, {2, leaf_n(3)}});
  ASSERT_TRUE(t);
  auto expected = TapTree::branch(TapTree::leaf(leaf_n(3)), TapTree::branch(TapTree::leaf(leaf_n(1)), TapTree::leaf(leaf_n(2))));
  EXPECT_EQ(t->hash(), expected.hash());
  for (const auto& l : t->leaves()) EXPECT_EQ(l.path.size(), l.leaf == leaf_n(3) ? 1u : 2u);

  // 100 leaves, one very heavy: it sits right under the root.
  std::vector<std::pair<uint64_t, TapLeaf>> many;
  for (int i = 0; i < 100; ++i) many.emplace_back(i == 42 ? 1'000'000 : 1 + i % 3, leaf_n(i));
  auto big = TapTree::huffman(many);
  ASSERT_TRUE(big);
  auto leaves = big->leaves();
  EXPECT_EQ(leaves.size(), 100u);
  for (const auto& l : leaves) {
    if (l.leaf == leaf_n(42)) {
      EXPECT_EQ(l.path.size(), 1u);
    }
  }
  expect_all_leaves_spendable(*big);

  // Weights that would overflow a sum still build a tree.
  EXPECT_TRUE(TapTree::huffman({{UINT64_MAX, leaf_n(1)}, {UINT64_MAX, leaf_n(2)}, {1, leaf_n(3)}}));
  EXPECT_EQ(TapTree::huffman({}).error().code, "taproot.empty-tree");
}

TEST(TapTree, DepthLimitIs128) {
  // A comb: leaf i at depth i+1, the last two at depth 129.
  std::vector<TapTree> leaves;
  for (int i = 0; i < 130; ++i) leaves.push_back(TapTree::leaf(leaf_n(i)));
  TapTree t = TapTree::branch(leaves[128], leaves[129]);
  for (int i = 127; i >= 0; --i) t = TapTree::branch(leaves[static_cast<size_t>(i)], t);
  auto out = taproot_output(kKey, t);
  ASSERT_TRUE(out);
  size_t ok_leaves = 0, too_deep = 0;
  for (const auto& l : t.leaves()) {
    auto cb = make_control_block(*out, l);
    if (l.path.size() <= 128) {
      ASSERT_TRUE(cb);
      EXPECT_TRUE(verify_taproot_commitment(cb->serialize(), out->output_key, l.leaf.script));
      ++ok_leaves;
    } else {
      EXPECT_EQ(cb.error().code, "taproot.tree-too-deep");
      ++too_deep;
    }
  }
  EXPECT_EQ(ok_leaves, 128u);
  EXPECT_EQ(too_deep, 2u);
}

TEST(TapTree, OddLeafVersionIsAProgrammerError) {
  EXPECT_THROW(TapTree::leaf(TapLeaf{0xc1, {0x51}}), std::invalid_argument);
}

TEST(Taproot, KeyOnlyOutputAndBadInternalKey) {
  auto out = taproot_output(kKey, std::nullopt);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->tweak, taproot_tweak_hash(kKey, std::nullopt));
  EXPECT_NE(out->tweak, taproot_tweak_hash(kKey, Bytes32{}));
  EXPECT_EQ(out->script_pubkey().size(), 34u);
  Bytes32 not_a_key;
  not_a_key.fill(0xff);  // x ≥ p
  EXPECT_EQ(taproot_output(not_a_key, std::nullopt).error().code, "taproot.invalid-internal-key");
}

TEST(Taproot, TweakedSecretKeySignsForTheOutputKey) {
  // Both parities of the internal point, with and without a script tree.
  size_t seen_odd = 0, seen_even = 0;
  for (int i = 0; i < 64 && (seen_odd < 2 || seen_even < 2); ++i) {
    const auto sk = crypto::SecretKey::generate();
    (sk.pubkey().has_even_y() ? seen_even : seen_odd)++;
    for (const std::optional<Bytes32>& root : {std::optional<Bytes32>{}, std::optional<Bytes32>{tapleaf_hash(leaf_n(i))}}) {
      auto out = taproot_output(sk.xonly_pubkey().bytes(), root);
      auto tweaked = taproot_tweak_secret_key(sk, root);
      ASSERT_TRUE(out && tweaked);
      EXPECT_EQ(tweaked->xonly_pubkey().bytes(), out->output_key);
      EXPECT_EQ(!tweaked->pubkey().has_even_y(), out->output_parity);
      const Bytes32 msg = tapleaf_hash(leaf_n(i + 1));
      EXPECT_TRUE(crypto::schnorr_verify(crypto::schnorr_sign(*tweaked, msg), msg,
                                         crypto::XOnlyPubKey::parse(out->output_key).value()));
    }
  }
  EXPECT_GE(seen_odd, 2u);
  EXPECT_GE(seen_even, 2u);
}

TEST(ControlBlock, EveryWayToBeWrong) {
  auto a = TapTree::leaf(leaf_n(1)), b = TapTree::leaf(leaf_n(2));
  auto tree = TapTree::branch(a, b);
  auto out = taproot_output(kKey, tree).value();
  const auto leaf = tree.leaves()[0];
  const Bytes good = make_control_block(out, leaf).value().serialize();
  ASSERT_EQ(good.size(), 65u);
  EXPECT_EQ(good[0] & 1, out.output_parity ? 1 : 0);
  ASSERT_TRUE(verify_taproot_commitment(good, out.output_key, leaf.leaf.script));

  auto code = [&](ByteView cb, const Bytes32& key, ByteView script) {
    auto s = verify_taproot_commitment(cb, key, script);
    return s ? std::string("ok") : s.error().code;
  };
  // Another script, another output key.
  EXPECT_EQ(code(good, out.output_key, leaf_n(2).script), "taproot.commitment-mismatch");
  EXPECT_EQ(code(good, kKey, leaf.leaf.script), "taproot.commitment-mismatch");
  // Flipped parity, another leaf version, a corrupted path node or internal key.
  for (size_t pos : {size_t{0}, size_t{1}, size_t{40}, size_t{64}}) {
    for (uint8_t flip : {uint8_t{0x01}, uint8_t{0x02}}) {
      Bytes bad = good;
      bad[pos] ^= flip;
      const std::string c = code(bad, out.output_key, leaf.leaf.script);
      EXPECT_TRUE(c == "taproot.commitment-mismatch" || c == "taproot.invalid-internal-key") << pos << " " << c;
    }
  }
  // Sizes: too short, not 33 + 32m, too many nodes.
  EXPECT_EQ(code(ByteView(good).first(32), out.output_key, leaf.leaf.script), "taproot.bad-control-block");
  EXPECT_EQ(code(ByteView(good).first(64), out.output_key, leaf.leaf.script), "taproot.bad-control-block");
  EXPECT_EQ(code(Bytes(33 + 32 * 129, 0xc0), out.output_key, leaf.leaf.script), "taproot.bad-control-block");
  EXPECT_EQ(ControlBlock::parse(Bytes{}).error().code, "taproot.bad-control-block");
  // A key that is not on the curve.
  Bytes off_curve = good;
  std::fill(off_curve.begin() + 1, off_curve.begin() + 33, 0xff);
  EXPECT_EQ(code(off_curve, out.output_key, leaf.leaf.script), "taproot.invalid-internal-key");
  // 128 nodes is the maximum size that parses.
  auto max = ControlBlock::parse(Bytes(33 + 32 * 128, 0xc0));
  ASSERT_TRUE(max);
  EXPECT_EQ(max->path.size(), 128u);
}

TEST(StandardScripts, Layouts) {
  const crypto::Bytes20 h20 = hex_fixed_or_throw<20>("751e76e8199196d454941c45d1b3a323f1433bd6");
  EXPECT_EQ(to_hex(p2pkh_script(h20)), "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac");
  EXPECT_EQ(to_hex(p2sh_script(h20)), "a914751e76e8199196d454941c45d1b3a323f1433bd687");
  EXPECT_EQ(to_hex(p2wpkh_script(h20)), "0014751e76e8199196d454941c45d1b3a323f1433bd6");
  EXPECT_EQ(to_hex(p2a_script()), "51024e73");
  EXPECT_TRUE(is_p2a(p2a_script()));
  EXPECT_FALSE(is_p2a(p2tr_script(kKey)));
  const Bytes ws = {0x51};
  EXPECT_EQ(p2wsh_script_for(ws), p2wsh_script(crypto::sha256(ws)));
  EXPECT_EQ(p2sh_script_for(ws), p2sh_script(crypto::hash160(ws)));
  EXPECT_EQ(to_hex(p2tr_script(kKey)), "5120" + to_hex(kKey));
}

TEST(StandardScripts, WitnessProgramRecognition) {
  auto wp = witness_program(p2tr_script(kKey));
  ASSERT_TRUE(wp);
  EXPECT_EQ(wp->version, 1);
  EXPECT_EQ(wp->program, to_bytes(kKey));
  EXPECT_EQ(witness_program(hex_or_throw("6002751e"))->version, 16);
  EXPECT_FALSE(witness_program(hex_or_throw("0001aa")));        // 1-byte program
  EXPECT_FALSE(witness_program(hex_or_throw("0003aabb")));      // push longer than the script
  EXPECT_FALSE(witness_program(hex_or_throw("4f02aabb")));      // OP_1NEGATE is no version
  EXPECT_FALSE(witness_program(Bytes{0x51, 41}));               // truncated
  Bytes long_program = {0x51, 41};
  long_program.resize(43, 0);
  EXPECT_FALSE(witness_program(long_program));                  // 41-byte program
  EXPECT_FALSE(witness_program(p2pkh_script(crypto::Bytes20{})));
  EXPECT_THROW(witness_program_script(17, Bytes(20)), std::invalid_argument);
  EXPECT_THROW(witness_program_script(0, Bytes(1)), std::invalid_argument);
}

}  // namespace
}  // namespace ladder::btc
