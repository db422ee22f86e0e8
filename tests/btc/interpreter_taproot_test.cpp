// Taproot and tapscript with real signatures: key-path spends and their
// failure modes, the annex, script paths with CHECKSIG / CHECKSIGADD,
// OP_CODESEPARATOR, the validation-weight budget, OP_SUCCESSx, unknown leaf
// versions and key types, and P2A.
#include <gtest/gtest.h>

#include "btc/script.h"
#include "btc/standard_scripts.h"
#include "btc/taproot.h"
#include "interpreter_sig_test_util.h"

namespace ladder::btc {
namespace {

using test::verdict;

constexpr uint32_t kConsensus = MANDATORY_SCRIPT_VERIFY_FLAGS;
constexpr uint32_t kStandard = STANDARD_SCRIPT_VERIFY_FLAGS;

Bytes32 xonly(const crypto::SecretKey& k) { return k.xonly_pubkey().bytes(); }

struct KeyPath {
  crypto::SecretKey internal = test::key(77);
  TaprootOutput out = taproot_output(xonly(internal), std::nullopt).value();
  crypto::SecretKey tweaked = taproot_tweak_secret_key(internal, std::nullopt).value();
  Transaction tx = test::spending(2);
  std::vector<TxOut> spent{TxOut{10'000, out.script_pubkey()}, TxOut{20'000, out.script_pubkey()}};

  Bytes sign(size_t input, uint8_t hash_type, const std::optional<Bytes>& annex = {}) const {
    const PrecomputedTxData txdata = precompute_tx_data(tx, spent);
    const Bytes32 h = taproot_sighash(tx, input, hash_type, txdata, annex, nullptr).value();
    return test::schnorr_sign(tweaked, h, hash_type == SIGHASH_DEFAULT ? std::nullopt : std::optional(hash_type));
  }
};

TEST(InterpreterTaproot, KeyPath) {
  KeyPath k;
  k.tx.vin[0].witness = {k.sign(0, SIGHASH_DEFAULT)};
  k.tx.vin[1].witness = {k.sign(1, SIGHASH_ALL | SIGHASH_ANYONECANPAY)};
  EXPECT_EQ(verdict(k.tx, k.spent, 0, kStandard), ScriptError::OK);
  EXPECT_EQ(verdict(k.tx, k.spent, 1, kStandard), ScriptError::OK);
  // Signatures commit to every spent amount (BIP-341), ANYONECANPAY only to its own.
  auto other = k.spent;
  other[1].value += 1;
  EXPECT_EQ(verdict(k.tx, other, 0, kConsensus), ScriptError::SCHNORR_SIG);
  other = k.spent;
  other[0].value += 1;
  EXPECT_EQ(verdict(k.tx, other, 1, kConsensus), ScriptError::OK);
}

TEST(InterpreterTaproot, KeyPathFailures) {
  KeyPath k;
  const Bytes good = k.sign(0, SIGHASH_DEFAULT);
  auto with = [&](Witness w, uint32_t flags = kConsensus) {
    k.tx.vin[0].witness = std::move(w);
    return verdict(k.tx, k.spent, 0, flags);
  };
  Bytes flipped = good;
  flipped[10] ^= 1;
  EXPECT_EQ(with({flipped}), ScriptError::SCHNORR_SIG);
  EXPECT_EQ(with({Bytes(good.begin(), good.end() - 1)}), ScriptError::SCHNORR_SIG_SIZE);
  Bytes explicit_default = good;
  explicit_default.push_back(SIGHASH_DEFAULT);  // two encodings of one signature
  EXPECT_EQ(with({explicit_default}), ScriptError::SCHNORR_SIG_HASHTYPE);
  Bytes bad_type = good;
  bad_type.push_back(0x04);
  EXPECT_EQ(with({bad_type}), ScriptError::SCHNORR_SIG_HASHTYPE);
  EXPECT_EQ(with({}), ScriptError::WITNESS_PROGRAM_WITNESS_EMPTY);
  EXPECT_EQ(with({{}}), ScriptError::SCHNORR_SIG_SIZE);
  // Before taproot a 32-byte v1 program is anyone-can-spend, and (as in
  // Core) not even discouraged: it is not an "unknown" program.
  EXPECT_EQ(with({flipped}, SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS), ScriptError::OK);
  EXPECT_EQ(with({flipped}, SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS |
                                SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM),
            ScriptError::OK);
}

TEST(InterpreterTaproot, SighashSingleNeedsAnOutput) {
  KeyPath k;  // two inputs, one output: input 1 has no matching output
  k.tx.vin[1].witness = {test::schnorr_sign(k.tweaked, Bytes32{}, SIGHASH_SINGLE)};
  EXPECT_EQ(verdict(k.tx, k.spent, 1, kConsensus), ScriptError::SCHNORR_SIG_HASHTYPE);
  k.tx.vin[0].witness = {k.sign(0, SIGHASH_SINGLE)};
  EXPECT_EQ(verdict(k.tx, k.spent, 0, kConsensus), ScriptError::OK);
}

TEST(InterpreterTaproot, AnnexIsCommittedTo) {
  KeyPath k;
  const Bytes annex = {0x50, 0x01, 0x02};
  k.tx.vin[0].witness = {k.sign(0, SIGHASH_DEFAULT, annex), annex};
  EXPECT_EQ(verdict(k.tx, k.spent, 0, kConsensus), ScriptError::OK);
  k.tx.vin[0].witness = {k.sign(0, SIGHASH_DEFAULT), annex};
  EXPECT_EQ(verdict(k.tx, k.spent, 0, kConsensus), ScriptError::SCHNORR_SIG);
  // A lone element starting with 0x50 is a signature, not an annex.
  k.tx.vin[0].witness = {annex};
  EXPECT_EQ(verdict(k.tx, k.spent, 0, kConsensus), ScriptError::SCHNORR_SIG_SIZE);
}

// A one-or-more-leaf tree over `leaves` with internal key 99; spends input 0.
struct ScriptPath {
  crypto::SecretKey internal = test::key(99);
  std::vector<TapLeafPath> leaves;
  TaprootOutput out;
  Transaction tx = test::spending(1);
  std::vector<TxOut> spent;

  explicit ScriptPath(const std::vector<TapLeaf>& leaf_list) {
    std::vector<TapTree> nodes;
    for (const TapLeaf& l : leaf_list) nodes.push_back(TapTree::leaf(l));
    TapTree tree = nodes[0];
    for (size_t i = 1; i < nodes.size(); ++i) tree = TapTree::branch(tree, nodes[i]);
    leaves = tree.leaves();
    out = taproot_output(xonly(internal), tree).value();
    spent = {TxOut{50'000, out.script_pubkey()}};
  }
  const TapLeafPath& leaf(const Bytes& script) const {
    for (const auto& l : leaves)
      if (l.leaf.script == script) return l;
    throw std::logic_error("no such leaf");
  }
  Bytes control(const Bytes& script) const { return make_control_block(out, leaf(script)).value().serialize(); }
  Bytes sign(const crypto::SecretKey& k, const Bytes& script, uint32_t codesep = 0xffffffff) const {
    const PrecomputedTxData txdata = precompute_tx_data(tx, spent);
    const TapScriptExt ext{leaf(script).leaf_hash, codesep};
    return test::schnorr_sign(k, taproot_sighash(tx, 0, SIGHASH_DEFAULT, txdata, std::nullopt, &ext).value());
  }
  ScriptError spend(Witness stack, const Bytes& script, uint32_t flags = kStandard) {
    stack.push_back(script);
    stack.push_back(control(script));
    tx.vin[0].witness = std::move(stack);
    return verdict(tx, spent, 0, flags);
  }
};

Bytes checksig_leaf(const crypto::SecretKey& k) {
  ScriptBuilder b;
  b.push(xonly(k)).op(OP_CHECKSIG);
  return b.take();
}

TEST(InterpreterTaproot, ScriptPathChecksig) {
  const auto a = test::key(1), b = test::key(2);
  const Bytes leaf_a = checksig_leaf(a), leaf_b = checksig_leaf(b);
  ScriptPath sp({TapLeaf{TAPROOT_LEAF_TAPSCRIPT, leaf_a}, TapLeaf{TAPROOT_LEAF_TAPSCRIPT, leaf_b}});
  EXPECT_EQ(sp.spend({sp.sign(a, leaf_a)}, leaf_a), ScriptError::OK);
  EXPECT_EQ(sp.spend({sp.sign(b, leaf_b)}, leaf_b), ScriptError::OK);
  // A signature for the other leaf commits to the other leaf hash.
  EXPECT_EQ(sp.spend({sp.sign(a, leaf_b)}, leaf_a), ScriptError::SCHNORR_SIG);
  // An empty signature is a clean "false".
  EXPECT_EQ(sp.spend({{}}, leaf_a), ScriptError::EVAL_FALSE);
  // A control block from the other leaf does not prove this one.
  sp.tx.vin[0].witness = {sp.sign(a, leaf_a), leaf_a, sp.control(leaf_b)};
  EXPECT_EQ(verdict(sp.tx, sp.spent, 0, kConsensus), ScriptError::WITNESS_PROGRAM_MISMATCH);
  Bytes short_control = sp.control(leaf_a);
  short_control.pop_back();
  sp.tx.vin[0].witness = {sp.sign(a, leaf_a), leaf_a, short_control};
  EXPECT_EQ(verdict(sp.tx, sp.spent, 0, kConsensus), ScriptError::TAPROOT_WRONG_CONTROL_SIZE);
}

TEST(InterpreterTaproot, TwoOfThreeWithChecksigadd) {
  const auto k1 = test::key(11), k2 = test::key(12), k3 = test::key(13);
  ScriptBuilder b;
  b.push(xonly(k1)).op(OP_CHECKSIG).push(xonly(k2)).op(OP_CHECKSIGADD).push(xonly(k3)).op(OP_CHECKSIGADD);
  b.op(OP_2).op(OP_NUMEQUAL);
  const Bytes leaf = b.take();
  ScriptPath sp({TapLeaf{TAPROOT_LEAF_TAPSCRIPT, leaf}});
  // Witness elements are consumed from the top: k1's signature comes last.
  EXPECT_EQ(sp.spend({sp.sign(k3, leaf), {}, sp.sign(k1, leaf)}, leaf), ScriptError::OK);
  EXPECT_EQ(sp.spend({sp.sign(k3, leaf), sp.sign(k2, leaf), {}}, leaf), ScriptError::OK);
  EXPECT_EQ(sp.spend({{}, {}, sp.sign(k1, leaf)}, leaf), ScriptError::EVAL_FALSE);
  // A wrong non-empty signature aborts the script.
  EXPECT_EQ(sp.spend({sp.sign(k2, leaf), {}, sp.sign(k1, leaf)}, leaf), ScriptError::SCHNORR_SIG);
}

TEST(InterpreterTaproot, CodeSeparatorPositionIsSigned) {
  const auto k = test::key(31);
  ScriptBuilder b;
  b.op(OP_CODESEPARATOR).push(xonly(k)).op(OP_CHECKSIG);
  const Bytes leaf = b.take();
  ScriptPath sp({TapLeaf{TAPROOT_LEAF_TAPSCRIPT, leaf}});
  EXPECT_EQ(sp.spend({sp.sign(k, leaf, 0)}, leaf), ScriptError::OK);
  EXPECT_EQ(sp.spend({sp.sign(k, leaf)}, leaf), ScriptError::SCHNORR_SIG);
}

TEST(InterpreterTaproot, ValidationWeightBudget) {
  const auto k = test::key(41);
  // n checks of one signature: the budget grows 36 per check, the cost 50.
  auto leaf_with = [&](int n) {
    ScriptBuilder b;
    for (int i = 0; i < n; ++i) b.op(OP_DUP).push(xonly(k)).op(OP_CHECKSIGVERIFY);
    b.push(xonly(k)).op(OP_CHECKSIG);
    return b.take();
  };
  const Bytes small = leaf_with(5), big = leaf_with(20);
  ScriptPath sp({TapLeaf{TAPROOT_LEAF_TAPSCRIPT, small}, TapLeaf{TAPROOT_LEAF_TAPSCRIPT, big}});
  EXPECT_EQ(sp.spend({sp.sign(k, small)}, small), ScriptError::OK);
  EXPECT_EQ(sp.spend({sp.sign(k, big)}, big), ScriptError::TAPSCRIPT_VALIDATION_WEIGHT);
  // An annex is witness weight too and can pay for the checks.
  const Bytes annex(400, 0x50);
  Witness w = {sp.sign(k, big), big, sp.control(big), annex};
  const PrecomputedTxData txdata = precompute_tx_data(sp.tx, sp.spent);
  const TapScriptExt ext{sp.leaf(big).leaf_hash, 0xffffffff};
  w[0] = test::schnorr_sign(k, taproot_sighash(sp.tx, 0, SIGHASH_DEFAULT, txdata, annex, &ext).value());
  sp.tx.vin[0].witness = w;
  EXPECT_EQ(verdict(sp.tx, sp.spent, 0, kConsensus), ScriptError::OK);
}

TEST(InterpreterTaproot, KeyTypesInTapscript) {
  const Bytes empty_key = {OP_0, OP_CHECKSIG};
  Bytes unknown_key = {0x21};
  unknown_key.insert(unknown_key.end(), 33, 0x07);
  unknown_key.push_back(OP_CHECKSIG);
  ScriptPath sp({TapLeaf{TAPROOT_LEAF_TAPSCRIPT, empty_key}, TapLeaf{TAPROOT_LEAF_TAPSCRIPT, unknown_key}});
  EXPECT_EQ(sp.spend({{0x01}}, empty_key, kConsensus), ScriptError::TAPSCRIPT_EMPTY_PUBKEY);
  // Unknown key types succeed for any non-empty signature (future soft forks).
  EXPECT_EQ(sp.spend({{0x01}}, unknown_key, kConsensus), ScriptError::OK);
  EXPECT_EQ(sp.spend({{0x01}}, unknown_key, kStandard), ScriptError::DISCOURAGE_UPGRADABLE_PUBKEYTYPE);
}

TEST(InterpreterTaproot, OpSuccessAndUnknownLeafVersions) {
  const Bytes success = {OP_RETURN, 0x50};  // OP_SUCCESS80 wins even after OP_RETURN
  const Bytes unknown = {OP_RETURN};
  const Bytes multisig = {OP_0, OP_0, OP_0, OP_CHECKMULTISIG};
  ScriptPath sp({TapLeaf{TAPROOT_LEAF_TAPSCRIPT, success}, TapLeaf{0xc2, unknown},
                 TapLeaf{TAPROOT_LEAF_TAPSCRIPT, multisig}});
  EXPECT_EQ(sp.spend({}, success, kConsensus), ScriptError::OK);
  EXPECT_EQ(sp.spend({}, success, kStandard), ScriptError::DISCOURAGE_OP_SUCCESS);
  EXPECT_EQ(sp.spend({}, unknown, kConsensus), ScriptError::OK);
  EXPECT_EQ(sp.spend({}, unknown, kStandard), ScriptError::DISCOURAGE_UPGRADABLE_TAPROOT_VERSION);
  EXPECT_EQ(sp.spend({}, multisig, kConsensus), ScriptError::TAPSCRIPT_CHECKMULTISIG);
  // An undecodable tapscript fails even with an OP_SUCCESS after the bad push.
  const Bytes truncated = {0x4c};
  ScriptPath bad({TapLeaf{TAPROOT_LEAF_TAPSCRIPT, truncated}});
  EXPECT_EQ(bad.spend({}, truncated, kConsensus), ScriptError::BAD_OPCODE);
}

TEST(InterpreterTaproot, TapscriptInitialStackLimit) {
  const Bytes leaf = {OP_DEPTH};
  ScriptPath sp({TapLeaf{TAPROOT_LEAF_TAPSCRIPT, leaf}});
  EXPECT_EQ(sp.spend(Witness(MAX_STACK_SIZE + 1), leaf, kConsensus), ScriptError::STACK_SIZE);
  EXPECT_EQ(sp.spend(Witness(MAX_STACK_SIZE - 1), leaf, kConsensus), ScriptError::CLEANSTACK);
  EXPECT_EQ(sp.spend({Bytes(MAX_SCRIPT_ELEMENT_SIZE + 1)}, leaf, kConsensus), ScriptError::PUSH_SIZE);
}

TEST(InterpreterTaproot, PayToAnchor) {
  Transaction tx = test::spending(1);
  const std::vector<TxOut> spent = {TxOut{240, p2a_script()}};
  EXPECT_EQ(verdict(tx, spent, 0, kStandard), ScriptError::OK);
  // Wrapped in P2SH it is just an unknown witness program.
  const std::vector<TxOut> wrapped = {TxOut{240, p2sh_script_for(p2a_script())}};
  ScriptBuilder sig;
  sig.push(p2a_script());
  tx.vin[0].script_sig = sig.take();
  EXPECT_EQ(verdict(tx, wrapped, 0, kConsensus), ScriptError::OK);
  EXPECT_EQ(verdict(tx, wrapped, 0, kStandard), ScriptError::DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM);
}

}  // namespace
}  // namespace ladder::btc
