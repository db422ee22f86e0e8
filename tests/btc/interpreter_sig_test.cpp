// Real-signature tests of the interpreter for legacy and witness v0 spends:
// P2PK(H), P2SH multisig, P2WPKH, P2SH-P2WSH, the ECDSA encoding rules, the
// lock-time opcodes against a real transaction, and verify_input's errors.
#include <gtest/gtest.h>

#include "btc/script.h"
#include "btc/standard_scripts.h"
#include "crypto/hash.h"
#include "interpreter_sig_test_util.h"

namespace ladder::btc {
namespace {

using test::verdict;

constexpr uint32_t kConsensus = MANDATORY_SCRIPT_VERIFY_FLAGS;
constexpr uint32_t kStandard = STANDARD_SCRIPT_VERIFY_FLAGS;

Bytes push(Bytes script, ByteView data) {
  ScriptBuilder b;
  b.raw(script).push(data);
  return b.take();
}

Bytes p2pkh_for(const Bytes& pub) { return p2pkh_script(crypto::hash160(pub)); }

struct P2pkh {
  crypto::SecretKey k = test::key(11);
  Transaction tx = test::spending(1);
  std::vector<TxOut> spent;

  explicit P2pkh(bool compressed = true, bool high_s = false, uint8_t hash_type = SIGHASH_ALL) {
    const Bytes pub = compressed ? test::pubkey33(k) : test::pubkey65(k);
    spent = {TxOut{5000, p2pkh_for(pub)}};
    const Bytes sig = test::ecdsa_sign(k, legacy_sighash(tx, 0, spent[0].script_pubkey, hash_type), hash_type, high_s);
    tx.vin[0].script_sig = push(push({}, sig), pub);
  }
};

TEST(InterpreterSig, P2pkh) {
  P2pkh p;
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kStandard), ScriptError::OK);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, SCRIPT_VERIFY_NONE), ScriptError::OK);
  P2pkh uncompressed(false);
  EXPECT_EQ(verdict(uncompressed.tx, uncompressed.spent, 0, kStandard), ScriptError::OK);
  // Any change to what the signature commits to breaks it.
  p.tx.vout[0].value += 1;
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kConsensus), ScriptError::EVAL_FALSE);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kStandard), ScriptError::SIG_NULLFAIL);
}

TEST(InterpreterSig, HighSIsConsensusValidButNotStandard) {
  P2pkh p(true, true);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kConsensus), ScriptError::OK);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kStandard), ScriptError::SIG_HIGH_S);
}

TEST(InterpreterSig, UndefinedHashTypeOnlyFailsStrictEnc) {
  P2pkh p(true, false, 0x21);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kConsensus), ScriptError::OK);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kConsensus | SCRIPT_VERIFY_STRICTENC), ScriptError::SIG_HASHTYPE);
}

TEST(InterpreterSig, LaxDerBeforeBip66) {
  P2pkh p;
  // Re-encode the signature with a superfluous leading zero in R: OpenSSL
  // (and so pre-BIP-66 consensus) accepted it, strict DER does not.
  ScriptReader r(p.tx.vin[0].script_sig);
  Bytes sig = to_bytes(r.next()->data);
  const Bytes pub = to_bytes(r.next()->data);
  sig.insert(sig.begin() + 4, 0x00);
  sig[3] += 1;
  sig[1] += 1;
  p.tx.vin[0].script_sig = push(push({}, sig), pub);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, SCRIPT_VERIFY_P2SH), ScriptError::OK);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kConsensus), ScriptError::SIG_DER);
}

TEST(InterpreterSig, P2shMultisigTwoOfThree) {
  const auto k1 = test::key(1), k2 = test::key(2), k3 = test::key(3);
  ScriptBuilder ms;
  ms.op(OP_2).push(test::pubkey33(k1)).push(test::pubkey33(k2)).push(test::pubkey33(k3)).op(OP_3).op(OP_CHECKMULTISIG);
  const Bytes redeem = ms.take();
  Transaction tx = test::spending(1);
  const std::vector<TxOut> spent = {TxOut{5000, p2sh_script_for(redeem)}};
  const Bytes32 h = legacy_sighash(tx, 0, redeem, SIGHASH_ALL);
  auto script_sig = [&](const crypto::SecretKey& a, const crypto::SecretKey& b) {
    Bytes s = {OP_0};
    s = push(push(s, test::ecdsa_sign(a, h, SIGHASH_ALL)), test::ecdsa_sign(b, h, SIGHASH_ALL));
    return push(s, redeem);
  };
  tx.vin[0].script_sig = script_sig(k1, k3);
  EXPECT_EQ(verdict(tx, spent, 0, kStandard), ScriptError::OK);
  tx.vin[0].script_sig = script_sig(k3, k1);  // signatures out of key order
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::EVAL_FALSE);
  // Without P2SH only the hash is checked.
  EXPECT_EQ(verdict(tx, spent, 0, SCRIPT_VERIFY_NONE), ScriptError::OK);
}

// A P2WPKH output of 7,000 sat and a transaction spending it with a valid signature.
struct P2wpkh {
  Transaction tx = test::spending(1);
  std::vector<TxOut> spent;

  explicit P2wpkh(bool compressed) {
    const auto k = test::key(5);
    const Bytes pub = compressed ? test::pubkey33(k) : test::pubkey65(k);
    spent = {TxOut{7000, p2wpkh_script(crypto::hash160(pub))}};
    const PrecomputedTxData txdata = precompute_tx_data(tx, spent);
    const Bytes32 h = segwit_v0_sighash(tx, 0, p2pkh_for(pub), 7000, SIGHASH_ALL, txdata);
    tx.vin[0].witness = {test::ecdsa_sign(k, h, SIGHASH_ALL), pub};
  }
};

TEST(InterpreterSig, P2wpkh) {
  P2wpkh p(true);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kStandard), ScriptError::OK);
  // The amount is committed to.
  EXPECT_EQ(verdict(p.tx, {TxOut{7001, p.spent[0].script_pubkey}}, 0, kConsensus), ScriptError::EVAL_FALSE);
  // Before segwit the output is anyone-can-spend; after, the scriptSig must be empty.
  EXPECT_EQ(verdict(p.tx, p.spent, 0, SCRIPT_VERIFY_P2SH), ScriptError::OK);
  p.tx.vin[0].script_sig = {OP_0};
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kConsensus), ScriptError::WITNESS_MALLEATED);
  p.tx.vin[0].script_sig.clear();
  p.tx.vin[0].witness.push_back({});
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kConsensus), ScriptError::WITNESS_PROGRAM_MISMATCH);
}

TEST(InterpreterSig, P2wpkhUncompressedKeyIsNonStandard) {
  P2wpkh p(false);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kConsensus), ScriptError::OK);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kStandard), ScriptError::WITNESS_PUBKEYTYPE);
}

TEST(InterpreterSig, P2shP2wshMultisig) {
  const auto k1 = test::key(21), k2 = test::key(22);
  ScriptBuilder ms;
  ms.op(OP_1).push(test::pubkey33(k1)).push(test::pubkey33(k2)).op(OP_2).op(OP_CHECKMULTISIG);
  const Bytes witness_script = ms.take();
  const Bytes program = p2wsh_script_for(witness_script);
  Transaction tx = test::spending(1);
  const std::vector<TxOut> spent = {TxOut{9000, p2sh_script_for(program)}};
  const PrecomputedTxData txdata = precompute_tx_data(tx, spent);
  const Bytes32 h = segwit_v0_sighash(tx, 0, witness_script, 9000, SIGHASH_ALL, txdata);
  tx.vin[0].script_sig = push({}, program);
  tx.vin[0].witness = {{}, test::ecdsa_sign(k2, h, SIGHASH_ALL), witness_script};
  EXPECT_EQ(verdict(tx, spent, 0, kStandard), ScriptError::OK);
  // The scriptSig must be exactly the push of the program.
  tx.vin[0].script_sig = push(Bytes{OP_0}, program);
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::WITNESS_MALLEATED_P2SH);
  tx.vin[0].script_sig = push({}, program);
  tx.vin[0].witness.back().push_back(OP_NOP);
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::WITNESS_PROGRAM_MISMATCH);
  tx.vin[0].witness.clear();
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::WITNESS_PROGRAM_WITNESS_EMPTY);
}

TEST(InterpreterSig, WitnessOnANonWitnessOutput) {
  P2pkh p;
  p.tx.vin[0].witness = {{0x01}};
  EXPECT_EQ(verdict(p.tx, p.spent, 0, kConsensus), ScriptError::WITNESS_UNEXPECTED);
  EXPECT_EQ(verdict(p.tx, p.spent, 0, SCRIPT_VERIFY_P2SH), ScriptError::OK);
}

TEST(InterpreterSig, CheckLockTimeVerifyAgainstTheTransaction) {
  const Bytes spk = {0x01, 100, OP_CHECKLOCKTIMEVERIFY, OP_DROP, OP_1};
  const std::vector<TxOut> spent = {TxOut{1, spk}};
  Transaction tx = test::spending(1);
  tx.locktime = 99;
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::UNSATISFIED_LOCKTIME);
  tx.locktime = 100;
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::OK);
  tx.vin[0].sequence = SEQUENCE_FINAL;  // a final input disables nLockTime
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::UNSATISFIED_LOCKTIME);
  tx.vin[0].sequence = 0;
  tx.locktime = LOCKTIME_THRESHOLD + 1;  // a time cannot satisfy a height
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::UNSATISFIED_LOCKTIME);
}

TEST(InterpreterSig, CheckSequenceVerifyAgainstTheTransaction) {
  const Bytes spk = {OP_10, OP_CHECKSEQUENCEVERIFY, OP_DROP, OP_1};
  const std::vector<TxOut> spent = {TxOut{1, spk}};
  Transaction tx = test::spending(1);
  tx.vin[0].sequence = 10;
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::OK);
  tx.vin[0].sequence = 9;
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::UNSATISFIED_LOCKTIME);
  tx.vin[0].sequence = 10 | SEQUENCE_LOCKTIME_TYPE_FLAG;  // time-based cannot satisfy block-based
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::UNSATISFIED_LOCKTIME);
  tx.vin[0].sequence = 10 | SEQUENCE_LOCKTIME_DISABLE_FLAG;
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::UNSATISFIED_LOCKTIME);
  tx.vin[0].sequence = 10;
  tx.version = 1;  // BIP-68 needs version 2
  EXPECT_EQ(verdict(tx, spent, 0, kConsensus), ScriptError::UNSATISFIED_LOCKTIME);
  EXPECT_EQ(verdict(tx, spent, 0, SCRIPT_VERIFY_P2SH), ScriptError::OK);  // NOP3 before BIP-112
}

TEST(InterpreterSig, VerifyInputErrors) {
  P2pkh p;
  p.tx.vin.push_back(p.tx.vin[0]);
  const PrecomputedTxData txdata = precompute_tx_data(p.tx, p.spent);  // one spent output for two inputs
  Status s = verify_input(p.tx, 1, txdata, kConsensus);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "script.missing-spent-output");
  EXPECT_EQ(s.error().index, 1);
  EXPECT_EQ(core_script_error_name(s.error()), "UNKNOWN_ERROR");
  const std::vector<TxOut> spent = {p.spent[0], TxOut{0, {OP_0}}};
  const PrecomputedTxData both = precompute_tx_data(p.tx, spent);
  s = verify_input(p.tx, 1, both, kConsensus);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "script.eval-false");
  EXPECT_EQ(s.error().index, 1);
  EXPECT_EQ(core_script_error_name(s.error()), "EVAL_FALSE");
}

}  // namespace
}  // namespace ladder::btc
