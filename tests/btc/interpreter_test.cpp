// Unit tests of eval_script, one opcode family at a time, with the base
// SignatureChecker (which rejects every signature and lock time) or a
// checker that accepts chosen lock times.
#include <gtest/gtest.h>

#include "btc/interpreter.h"
#include "btc/script.h"
#include "core_vectors_support.h"

namespace ladder::btc {
namespace {

Bytes script(std::string_view text) { return test::parse_script_asm(text).value(); }

struct Run {
  ScriptError error;
  ScriptStack stack;
};

Run run(std::string_view text, uint32_t flags = 0, SigVersion sv = SigVersion::BASE,
        const SignatureChecker& checker = SignatureChecker()) {
  Run r{ScriptError::OK, {}};
  ScriptExecutionData execdata;
  r.error = eval_script(r.stack, script(text), flags, checker, sv, execdata);
  return r;
}

// The stack as script numbers, bottom first.
std::vector<int64_t> nums(const ScriptStack& stack) {
  std::vector<int64_t> out;
  for (const Bytes& b : stack) out.push_back(script_num_decode(b, 8).value());
  return out;
}

using V = std::vector<int64_t>;

void expect_stack(std::string_view text, const V& expected) {
  Run r = run(text);
  ASSERT_EQ(r.error, ScriptError::OK) << text << ": " << script_error_name(r.error);
  EXPECT_EQ(nums(r.stack), expected) << text;
}

void expect_error(std::string_view text, ScriptError e, uint32_t flags = 0, SigVersion sv = SigVersion::BASE) {
  EXPECT_EQ(run(text, flags, sv).error, e) << text << " gave " << script_error_name(run(text, flags, sv).error);
}

TEST(Interpreter, PushesOfEveryEncodingAgree) {
  for (std::string_view s : {"0x01 0x5a", "0x4c 0x01 0x5a", "0x4d 0x0100 0x5a", "0x4e 0x01000000 0x5a"})
    expect_stack(s, {0x5a});
  expect_stack("0 -1 1 16", {0, -1, 1, 16});
}

TEST(Interpreter, TruncatedPushesAreBadOpcodes) {
  for (std::string_view s : {"0x01", "0x02 0x00", "0x4c", "0x4c 0x02 0x00", "0x4d 0x01", "0x4d 0x0200 0x00",
                             "0x4e 0x010000", "0x4e 0x02000000 0x00"})
    expect_error(s, ScriptError::BAD_OPCODE);
}

TEST(Interpreter, MinimalDataRules) {
  expect_error("0x01 0x05", ScriptError::MINIMALDATA, SCRIPT_VERIFY_MINIMALDATA);       // should be OP_5
  expect_error("0x4c 0x01 0x07", ScriptError::MINIMALDATA, SCRIPT_VERIFY_MINIMALDATA);  // should be direct
  expect_error("0x01 0x81", ScriptError::MINIMALDATA, SCRIPT_VERIFY_MINIMALDATA);       // OP_1NEGATE
  expect_error("0x02 0x0100 1ADD", ScriptError::SCRIPTNUM, SCRIPT_VERIFY_MINIMALDATA);  // padded number
  expect_error("0x01 0x80 NOT", ScriptError::SCRIPTNUM, SCRIPT_VERIFY_MINIMALDATA);     // negative zero
  EXPECT_EQ(run("0x02 0x0100 1ADD").error, ScriptError::OK);
  // Unexecuted pushes are not checked.
  EXPECT_EQ(run("0 IF 0x01 0x05 ENDIF", SCRIPT_VERIFY_MINIMALDATA).error, ScriptError::OK);
}

TEST(Interpreter, StackOpcodes) {
  expect_stack("1 2 DUP", {1, 2, 2});
  expect_stack("1 2 2DUP", {1, 2, 1, 2});
  expect_stack("1 2 3 3DUP", {1, 2, 3, 1, 2, 3});
  expect_stack("1 2 3 4 2OVER", {1, 2, 3, 4, 1, 2});
  expect_stack("1 2 3 4 5 6 2ROT", {3, 4, 5, 6, 1, 2});
  expect_stack("1 2 3 4 2SWAP", {3, 4, 1, 2});
  expect_stack("0 IFDUP 1 IFDUP", {0, 1, 1});
  expect_stack("7 7 DEPTH", {7, 7, 2});
  expect_stack("1 2 DROP", {1});
  expect_stack("1 2 2DROP", {});
  expect_stack("1 2 NIP", {2});
  expect_stack("1 2 OVER", {1, 2, 1});
  expect_stack("5 6 7 2 PICK", {5, 6, 7, 5});
  expect_stack("5 6 7 2 ROLL", {6, 7, 5});
  expect_stack("5 6 7 0 ROLL", {5, 6, 7});
  expect_stack("1 2 3 ROT", {2, 3, 1});
  expect_stack("1 2 SWAP", {2, 1});
  expect_stack("1 2 TUCK", {2, 1, 2});
  expect_stack("1 2 TOALTSTACK 3 FROMALTSTACK", {1, 3, 2});
  expect_stack("'abc' SIZE", {0x636261, 3});
  expect_stack("1 1 EQUAL 1 2 EQUAL", {1, 0});
  expect_stack("2 2 EQUALVERIFY", {});
}

TEST(Interpreter, StackOpcodesNeedEnoughItems) {
  for (std::string_view s : {"DUP", "1 2DUP", "1 2 3DUP", "1 2 3 2OVER", "1 2 3 4 5 2ROT", "1 2 3 2SWAP", "IFDUP",
                             "DROP", "1 2DROP", "1 NIP", "1 OVER", "1 PICK", "1 2 ROLL", "1 2 ROT", "1 SWAP",
                             "1 TUCK", "SIZE", "1 EQUAL", "TOALTSTACK", "0 PICK", "-1 PICK 1"})
    expect_error(s, ScriptError::INVALID_STACK_OPERATION);
  expect_error("FROMALTSTACK", ScriptError::INVALID_ALTSTACK_OPERATION);
  expect_error("1 2 EQUALVERIFY", ScriptError::EQUALVERIFY);
}

TEST(Interpreter, Arithmetic) {
  expect_stack("5 1ADD 5 1SUB 5 NEGATE -5 ABS", {6, 4, -5, 5});
  expect_stack("0 NOT 7 NOT 0 0NOTEQUAL -3 0NOTEQUAL", {1, 0, 0, 1});
  expect_stack("2 3 ADD 2 3 SUB", {5, -1});
  expect_stack("1 0 BOOLAND 1 0 BOOLOR", {0, 1});
  expect_stack("3 3 NUMEQUAL 3 4 NUMNOTEQUAL", {1, 1});
  expect_stack("3 4 LESSTHAN 3 4 GREATERTHAN 4 4 LESSTHANOREQUAL 3 4 GREATERTHANOREQUAL", {1, 0, 1, 0});
  expect_stack("3 4 MIN 3 4 MAX", {3, 4});
  expect_stack("2 1 3 WITHIN 3 1 3 WITHIN 0 1 3 WITHIN", {1, 0, 0});
  expect_stack("2147483647 2147483647 ADD", {4294967294});  // results may exceed 4 bytes
  expect_stack("0x01 0x80 NOT", {1});                       // negative zero is zero
  expect_error("2147483647 2147483647 ADD 1ADD", ScriptError::SCRIPTNUM);  // but are not operands
  expect_error("0x05 0x0000000000 1ADD", ScriptError::SCRIPTNUM);
  expect_error("3 4 NUMEQUALVERIFY", ScriptError::NUMEQUALVERIFY);
  expect_error("1ADD", ScriptError::INVALID_STACK_OPERATION);
  expect_error("1 ADD", ScriptError::INVALID_STACK_OPERATION);
  expect_error("1 2 WITHIN", ScriptError::INVALID_STACK_OPERATION);
}

TEST(Interpreter, DisabledOpcodesFailEvenUnexecuted) {
  for (std::string_view op : {"CAT", "SUBSTR", "LEFT", "RIGHT", "INVERT", "AND", "OR", "XOR", "2MUL", "2DIV", "MUL",
                              "DIV", "MOD", "LSHIFT", "RSHIFT"})
    expect_error("0 IF " + std::string(op) + " ENDIF", ScriptError::DISABLED_OPCODE);
}

TEST(Interpreter, FlowControl) {
  expect_stack("1 IF 2 ELSE 3 ENDIF", {2});
  expect_stack("0 IF 2 ELSE 3 ENDIF", {3});
  expect_stack("0 NOTIF 2 ENDIF", {2});
  expect_stack("1 IF 0 IF 5 ELSE 6 ENDIF ENDIF", {6});
  expect_stack("1 IF 2 ELSE 3 ELSE 4 ENDIF", {2, 4});  // ELSE toggles, any number of times
  expect_stack("0 IF RETURN VER RESERVED ENDIF", {});  // only executed opcodes can fail...
  expect_error("0 IF VERIF ENDIF", ScriptError::BAD_OPCODE);     // ...except these two
  expect_error("0 IF VERNOTIF ENDIF", ScriptError::BAD_OPCODE);
  expect_error("1 IF", ScriptError::UNBALANCED_CONDITIONAL);
  expect_error("ELSE", ScriptError::UNBALANCED_CONDITIONAL);
  expect_error("ENDIF", ScriptError::UNBALANCED_CONDITIONAL);
  expect_error("IF ENDIF", ScriptError::INVALID_STACK_OPERATION);
  expect_error("RETURN", ScriptError::OP_RETURN);
  expect_error("0 VERIFY", ScriptError::VERIFY);
  expect_error("VERIFY", ScriptError::INVALID_STACK_OPERATION);
  expect_error("VER", ScriptError::BAD_OPCODE);
  expect_error("RESERVED", ScriptError::BAD_OPCODE);
  expect_error("0xba", ScriptError::BAD_OPCODE);  // OP_CHECKSIGADD outside tapscript
  expect_error("0xff", ScriptError::BAD_OPCODE);
}

TEST(Interpreter, MinimalIf) {
  // Policy in witness v0, consensus in tapscript, nothing in legacy scripts.
  EXPECT_EQ(run("2 IF ENDIF", SCRIPT_VERIFY_MINIMALIF).error, ScriptError::OK);
  expect_error("2 IF ENDIF", ScriptError::MINIMALIF, SCRIPT_VERIFY_MINIMALIF, SigVersion::WITNESS_V0);
  expect_error("0x01 0x00 IF ENDIF", ScriptError::MINIMALIF, SCRIPT_VERIFY_MINIMALIF, SigVersion::WITNESS_V0);
  EXPECT_EQ(run("2 IF ENDIF", 0, SigVersion::WITNESS_V0).error, ScriptError::OK);
  expect_error("2 IF ENDIF", ScriptError::TAPSCRIPT_MINIMALIF, 0, SigVersion::TAPSCRIPT);
  EXPECT_EQ(run("1 IF ENDIF 0 NOTIF ENDIF", 0, SigVersion::TAPSCRIPT).error, ScriptError::OK);
}

TEST(Interpreter, HashOpcodes) {
  auto top_hex = [](std::string_view text) { return to_hex(run(text).stack.back()); };
  EXPECT_EQ(top_hex("0 SHA256"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(top_hex("0 SHA1"), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(top_hex("0 RIPEMD160"), "9c1185a5c5e9fc54612808977ee8f548b2258d31");
  EXPECT_EQ(top_hex("0 HASH160"), "b472a266d0bd89c13706a4132ccfb16f7c3b9fcb");
  EXPECT_EQ(top_hex("0 HASH256"), "5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456");
  for (std::string_view op : {"SHA256", "SHA1", "RIPEMD160", "HASH160", "HASH256"})
    expect_error(op, ScriptError::INVALID_STACK_OPERATION);
}

// Accepts lock times and sequences up to a bound, as a transaction would.
class LockChecker : public SignatureChecker {
 public:
  bool check_lock_time(int64_t t) const override { return t <= 100; }
  bool check_sequence(int64_t s) const override { return s <= 10; }
};

TEST(Interpreter, LockTimeOpcodes) {
  const LockChecker checker;
  const uint32_t cltv = SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY, csv = SCRIPT_VERIFY_CHECKSEQUENCEVERIFY;
  EXPECT_EQ(run("100 CHECKLOCKTIMEVERIFY", cltv, SigVersion::BASE, checker).error, ScriptError::OK);
  EXPECT_EQ(run("101 CHECKLOCKTIMEVERIFY", cltv, SigVersion::BASE, checker).error, ScriptError::UNSATISFIED_LOCKTIME);
  EXPECT_EQ(run("-1 CHECKLOCKTIMEVERIFY", cltv, SigVersion::BASE, checker).error, ScriptError::NEGATIVE_LOCKTIME);
  EXPECT_EQ(run("CHECKLOCKTIMEVERIFY", cltv, SigVersion::BASE, checker).error, ScriptError::INVALID_STACK_OPERATION);
  // 5-byte operands are allowed (times past 2038), 6-byte ones are not.
  EXPECT_EQ(run("0x05 0xffffffff00 CHECKLOCKTIMEVERIFY", cltv, SigVersion::BASE, checker).error,
            ScriptError::UNSATISFIED_LOCKTIME);
  EXPECT_EQ(run("0x06 0xffffffff0000 CHECKLOCKTIMEVERIFY", cltv, SigVersion::BASE, checker).error,
            ScriptError::SCRIPTNUM);
  EXPECT_EQ(run("10 CHECKSEQUENCEVERIFY", csv, SigVersion::BASE, checker).error, ScriptError::OK);
  EXPECT_EQ(run("11 CHECKSEQUENCEVERIFY", csv, SigVersion::BASE, checker).error, ScriptError::UNSATISFIED_LOCKTIME);
  EXPECT_EQ(run("-1 CHECKSEQUENCEVERIFY", csv, SigVersion::BASE, checker).error, ScriptError::NEGATIVE_LOCKTIME);
  // The disable flag in the operand makes CSV a NOP (room for future rules).
  EXPECT_EQ(run("0x05 0x0000008000 CHECKSEQUENCEVERIFY", csv, SigVersion::BASE, checker).error, ScriptError::OK);
  // Without their flags they are NOP2/NOP3 and never discouraged.
  const uint32_t discourage = SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS;
  EXPECT_EQ(run("CHECKLOCKTIMEVERIFY CHECKSEQUENCEVERIFY", discourage).error, ScriptError::OK);
  EXPECT_EQ(run("NOP1 NOP4 NOP10").error, ScriptError::OK);
  expect_error("NOP5", ScriptError::DISCOURAGE_UPGRADABLE_NOPS, discourage);
}

TEST(Interpreter, CodeSeparatorUnderConstScriptCode) {
  EXPECT_EQ(run("CODESEPARATOR 1").error, ScriptError::OK);
  expect_error("0 IF CODESEPARATOR ENDIF", ScriptError::OP_CODESEPARATOR, SCRIPT_VERIFY_CONST_SCRIPTCODE);
  EXPECT_EQ(run("CODESEPARATOR", SCRIPT_VERIFY_CONST_SCRIPTCODE, SigVersion::WITNESS_V0).error, ScriptError::OK);
}

TEST(Interpreter, SignatureOpcodesWithRejectingChecker) {
  expect_stack("0 0 CHECKSIG", {0});
  expect_error("0 0 CHECKSIGVERIFY", ScriptError::CHECKSIGVERIFY);
  expect_error("0 CHECKSIG", ScriptError::INVALID_STACK_OPERATION);
  expect_stack("0 0 0 CHECKMULTISIG", {1});  // 0-of-0
  expect_stack("0 0 0x21 0x020000000000000000000000000000000000000000000000000000000000000001 1 CHECKMULTISIG", {1});
  expect_error("1 0 0 CHECKMULTISIG", ScriptError::SIG_NULLDUMMY, SCRIPT_VERIFY_NULLDUMMY);
  expect_error("0 0 CHECKMULTISIG", ScriptError::INVALID_STACK_OPERATION);
  expect_error("0 1 0 CHECKMULTISIG", ScriptError::SIG_COUNT);
  expect_error("0 0 -1 CHECKMULTISIG", ScriptError::PUBKEY_COUNT);
  expect_error("0 0 0 CHECKMULTISIG", ScriptError::TAPSCRIPT_CHECKMULTISIG, 0, SigVersion::TAPSCRIPT);
  // A failed check with a non-empty signature under NULLFAIL.
  expect_error("0x01 0x01 0 CHECKSIG", ScriptError::SIG_NULLFAIL, SCRIPT_VERIFY_NULLFAIL);
  expect_error("0 0x01 0x01 1 0x01 0x02 1 CHECKMULTISIG", ScriptError::SIG_NULLFAIL, SCRIPT_VERIFY_NULLFAIL);
}

}  // namespace
}  // namespace ladder::btc
