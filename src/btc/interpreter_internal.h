// Private to the interpreter (interpreter*.cpp): the state of one script
// execution and the opcode-family handlers eval_script dispatches to.
// Not a public header; nothing outside src/btc/interpreter*.cpp includes it.
#pragma once

#include <cstdint>

#include "btc/interpreter.h"

namespace ladder::btc::detail {

// Nesting of IF/NOTIF/ELSE/ENDIF. Only "is every level true" matters, so the
// stack is a size and the position of its first false entry (Core's O(1)
// representation: long IF chains cannot cost quadratic time).
class ConditionStack {
 public:
  bool empty() const { return size_ == 0; }
  bool all_true() const { return first_false_ == kNoFalse; }
  void push_back(bool v) {
    if (first_false_ == kNoFalse && !v) first_false_ = size_;
    ++size_;
  }
  void pop_back() {
    --size_;
    if (first_false_ == size_) first_false_ = kNoFalse;
  }
  void toggle_top() {
    if (first_false_ == kNoFalse) first_false_ = size_ - 1;
    else if (first_false_ == size_ - 1) first_false_ = kNoFalse;
  }

 private:
  static constexpr uint32_t kNoFalse = 0xffffffff;
  uint32_t size_ = 0;
  uint32_t first_false_ = kNoFalse;
};

struct EvalState {
  ScriptStack& stack;
  ScriptStack altstack;
  ConditionStack exec;
  ByteView script;
  size_t codehash_begin = 0;  // offset just past the last executed OP_CODESEPARATOR
  uint32_t opcode_pos = 0;    // index of the current opcode (BIP-342 codesep_pos)
  int op_count = 0;           // non-push opcodes so far (legacy and witness v0 limit)
  uint32_t flags;
  const SignatureChecker& checker;
  SigVersion sigversion;
  ScriptExecutionData& execdata;

  bool require_minimal() const { return (flags & SCRIPT_VERIFY_MINIMALDATA) != 0; }
  bool pre_tapscript() const { return sigversion == SigVersion::BASE || sigversion == SigVersion::WITNESS_V0; }
  // stack element counted from the top: top(-1) is the topmost.
  Bytes& top(int i) { return stack[stack.size() + i]; }
  void pop() { stack.pop_back(); }
};

// Core's CastToBool: false for any encoding of zero, including negative zero.
bool cast_to_bool(ByteView v);

// Decodes a script number of at most `max_size` bytes, minimal if the flags
// require it. False on failure (the caller reports SCRIPTNUM).
bool read_num(const EvalState& st, ByteView v, int64_t& out, size_t max_size = 4);

extern const Bytes kTrue;   // {0x01}
extern const Bytes kFalse;  // {}

// Opcode families. Each is called only for executed opcodes of its family
// and returns OK or the reason the script fails.
ScriptError op_stack(EvalState& st, uint8_t opcode);       // stack manipulation, SIZE, EQUAL
ScriptError op_arith(EvalState& st, uint8_t opcode);       // numeric opcodes
ScriptError op_hash(EvalState& st, uint8_t opcode);        // RIPEMD160 .. HASH256
ScriptError op_locktime(EvalState& st, uint8_t opcode);    // CLTV, CSV, upgradable NOPs
ScriptError op_checksig(EvalState& st, uint8_t opcode);    // CHECKSIG(VERIFY), CHECKSIGADD
ScriptError op_checkmultisig(EvalState& st, uint8_t opcode);

// True for opcodes BIP-342 reserves as OP_SUCCESSx.
bool is_op_success(uint8_t opcode);

}  // namespace ladder::btc::detail
