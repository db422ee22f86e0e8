// Resource limits of the interpreter and its behaviour on malformed and
// random scripts (which must fail cleanly, never read out of bounds: run
// under -DLADDER_SANITIZE=ON to check).
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "btc/interpreter.h"
#include "btc/script.h"
#include "btc/sighash.h"
#include "core_vectors_support.h"

namespace ladder::btc {
namespace {

ScriptError eval(ByteView script, SigVersion sv = SigVersion::BASE, uint32_t flags = 0, ScriptStack stack = {}) {
  ScriptExecutionData execdata;
  return eval_script(stack, script, flags, SignatureChecker(), sv, execdata);
}

Bytes repeat(Bytes prefix, uint8_t op, size_t n) {
  prefix.insert(prefix.end(), n, op);
  return prefix;
}

TEST(InterpreterLimits, ScriptSize) {
  // OP_RESERVED in an unexecuted branch costs neither an operation nor a stack slot.
  Bytes max = repeat({OP_0, OP_IF}, OP_RESERVED, MAX_SCRIPT_SIZE - 3);
  max.push_back(OP_ENDIF);
  ASSERT_EQ(max.size(), MAX_SCRIPT_SIZE);
  Bytes too_big = max;
  too_big.push_back(OP_NOP);
  EXPECT_EQ(eval(max), ScriptError::OK);
  EXPECT_EQ(eval(too_big), ScriptError::SCRIPT_SIZE);
  EXPECT_EQ(eval(too_big, SigVersion::WITNESS_V0), ScriptError::SCRIPT_SIZE);
  // Tapscript has no script size limit.
  EXPECT_EQ(eval(too_big, SigVersion::TAPSCRIPT), ScriptError::OK);
}

TEST(InterpreterLimits, OpCount) {
  EXPECT_EQ(eval(repeat({}, OP_NOP, MAX_OPS_PER_SCRIPT)), ScriptError::OK);
  EXPECT_EQ(eval(repeat({}, OP_NOP, MAX_OPS_PER_SCRIPT + 1)), ScriptError::OP_COUNT);
  EXPECT_EQ(eval(repeat({}, OP_NOP, MAX_OPS_PER_SCRIPT + 1), SigVersion::WITNESS_V0), ScriptError::OP_COUNT);
  EXPECT_EQ(eval(repeat({}, OP_NOP, 5000), SigVersion::TAPSCRIPT), ScriptError::OK);
  // Unexecuted opcodes count too; pushes and OP_RESERVED do not.
  EXPECT_EQ(eval(repeat({OP_0, OP_IF}, OP_NOP, MAX_OPS_PER_SCRIPT)), ScriptError::OP_COUNT);
  EXPECT_EQ(eval(repeat({OP_0, OP_IF}, OP_RESERVED, 500)), ScriptError::UNBALANCED_CONDITIONAL);
  // CHECKMULTISIG counts its keys: 20 keys + the opcode + 181 NOPs = 202.
  Bytes multisig = repeat({}, OP_NOP, 181);
  multisig.insert(multisig.end(), {OP_0, OP_0});  // dummy, no signatures
  multisig.insert(multisig.end(), MAX_PUBKEYS_PER_MULTISIG, OP_0);
  multisig.insert(multisig.end(), {0x01, MAX_PUBKEYS_PER_MULTISIG, OP_CHECKMULTISIG});
  EXPECT_EQ(eval(multisig), ScriptError::OP_COUNT);
  multisig.erase(multisig.begin());  // 201
  EXPECT_EQ(eval(multisig), ScriptError::OK);
}

TEST(InterpreterLimits, PushSize) {
  Bytes ok = {OP_PUSHDATA2, 0x08, 0x02};
  ok.resize(ok.size() + MAX_SCRIPT_ELEMENT_SIZE);
  Bytes big = {OP_PUSHDATA2, 0x09, 0x02};
  big.resize(big.size() + MAX_SCRIPT_ELEMENT_SIZE + 1);
  EXPECT_EQ(eval(ok), ScriptError::OK);
  EXPECT_EQ(eval(big), ScriptError::PUSH_SIZE);
  // Even unexecuted.
  Bytes hidden = {OP_0, OP_IF};
  append(hidden, big);
  hidden.push_back(OP_ENDIF);
  EXPECT_EQ(eval(hidden), ScriptError::PUSH_SIZE);
}

TEST(InterpreterLimits, StackSize) {
  EXPECT_EQ(eval(repeat({}, OP_1, MAX_STACK_SIZE), SigVersion::TAPSCRIPT), ScriptError::OK);
  EXPECT_EQ(eval(repeat({}, OP_1, MAX_STACK_SIZE + 1), SigVersion::TAPSCRIPT), ScriptError::STACK_SIZE);
  // The altstack counts too.
  Bytes alt = repeat({}, OP_1, MAX_STACK_SIZE - 1);
  alt.push_back(OP_TOALTSTACK);
  alt.push_back(OP_1);
  EXPECT_EQ(eval(alt, SigVersion::TAPSCRIPT), ScriptError::OK);
  alt.push_back(OP_1);
  EXPECT_EQ(eval(alt, SigVersion::TAPSCRIPT), ScriptError::STACK_SIZE);
}

TEST(InterpreterLimits, MultisigKeyCount) {
  Bytes s = {OP_0, OP_0};
  for (int i = 0; i < 21; ++i) s.push_back(OP_0);
  s.insert(s.end(), {0x01, 21, OP_CHECKMULTISIG});
  EXPECT_EQ(eval(s), ScriptError::PUBKEY_COUNT);
}

TEST(InterpreterLimits, DeepConditionalsStayFast) {
  // 100,000 nested IFs in an unexecuted branch: linear, not quadratic.
  Bytes s = {OP_0, OP_IF};
  s.insert(s.end(), 100'000, OP_IF);
  s.insert(s.end(), 100'001, OP_ENDIF);
  s.push_back(OP_1);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(eval(s, SigVersion::TAPSCRIPT), ScriptError::OK);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// Random bytes as scriptSig, scriptPubKey, witness script and tapscript,
// under every flag: each run ends with some verdict and stays in bounds.
TEST(InterpreterLimits, RandomScriptsFailCleanly) {
  std::mt19937_64 rng(7);
  auto random_script = [&] {
    Bytes b(rng() % 64);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    return b;
  };
  size_t ok_count = 0;
  for (int i = 0; i < 20'000; ++i) {
    const Bytes sig = random_script(), spk = random_script();
    const Witness witness = {random_script(), random_script()};
    const uint32_t flags = test::fill_flags(static_cast<uint32_t>(rng()) & test::kAllFlags);
    const Transaction credit = test::crediting_tx(spk, 1000);
    const Transaction spend = test::spending_tx(sig, witness, credit);
    const PrecomputedTxData txdata = precompute_tx_data(spend, {credit.vout[0]});
    const TransactionSignatureChecker checker(spend, 0, 1000, txdata);
    if (verify_script(sig, spk, &witness, flags, checker) == ScriptError::OK) ++ok_count;
    for (SigVersion sv : {SigVersion::BASE, SigVersion::WITNESS_V0, SigVersion::TAPSCRIPT}) {
      ScriptStack stack = witness;
      ScriptExecutionData execdata;
      execdata.validation_weight_left = 1000;
      (void)eval_script(stack, spk, flags, checker, sv, execdata);
    }
  }
  EXPECT_GT(ok_count, 0u);  // the generator does reach successful scripts
}

// Every truncation of a script with every push form fails as BAD_OPCODE or
// runs, never reading past the end.
TEST(InterpreterLimits, TruncatedScripts) {
  Bytes full = {0x02, 0xaa, 0xbb, OP_PUSHDATA1, 0x02, 0xaa, 0xbb, OP_PUSHDATA2, 0x02, 0x00, 0xaa, 0xbb,
                OP_PUSHDATA4, 0x02, 0x00, 0x00, 0x00, 0xaa, 0xbb, OP_2DROP, OP_2DROP};
  for (size_t n = 0; n <= full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    // Copy into an exactly-sized heap buffer so ASan sees any overread.
    auto buf = std::make_unique<uint8_t[]>(n + 1);
    std::copy(cut.begin(), cut.end(), buf.get());
    ScriptError e = eval(ByteView(buf.get(), n));
    EXPECT_TRUE(e == ScriptError::OK || e == ScriptError::BAD_OPCODE) << n << ": " << script_error_name(e);
  }
}

}  // namespace
}  // namespace ladder::btc
