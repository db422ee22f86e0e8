// Opcode families without arithmetic or signatures: stack manipulation,
// SIZE / EQUAL, hashing, and the lock-time opcodes and upgradable NOPs.
#include <algorithm>

#include "btc/interpreter_internal.h"
#include "btc/script.h"
#include "crypto/hash.h"

namespace ladder::btc::detail {
namespace {

// Minimum stack depth each stack opcode needs.
size_t needed_depth(uint8_t opcode) {
  switch (opcode) {
    case OP_2ROT: return 6;
    case OP_2OVER: case OP_2SWAP: return 4;
    case OP_3DUP: case OP_ROT: return 3;
    case OP_2DROP: case OP_2DUP: case OP_NIP: case OP_OVER: case OP_PICK: case OP_ROLL: case OP_SWAP:
    case OP_TUCK: case OP_EQUAL: case OP_EQUALVERIFY:
      return 2;
    case OP_DEPTH: case OP_FROMALTSTACK: return 0;
    default: return 1;
  }
}

ScriptError op_pick_roll(EvalState& st, uint8_t opcode) {
  int64_t n = 0;
  if (!read_num(st, st.top(-1), n)) return ScriptError::SCRIPTNUM;
  st.pop();
  if (n < 0 || n >= static_cast<int64_t>(st.stack.size())) return ScriptError::INVALID_STACK_OPERATION;
  const int i = -static_cast<int>(n) - 1;
  if (opcode == OP_ROLL) {
    Bytes v = std::move(st.top(i));
    st.stack.erase(st.stack.end() + i);
    st.stack.push_back(std::move(v));
  } else {
    st.stack.push_back(st.top(i));
  }
  return ScriptError::OK;
}

ScriptError op_equal(EvalState& st, uint8_t opcode) {
  const bool equal = st.top(-2) == st.top(-1);
  st.pop();
  st.pop();
  if (opcode == OP_EQUALVERIFY) return equal ? ScriptError::OK : ScriptError::EQUALVERIFY;
  st.stack.push_back(equal ? kTrue : kFalse);
  return ScriptError::OK;
}

}  // namespace

ScriptError op_stack(EvalState& st, uint8_t opcode) {
  ScriptStack& s = st.stack;
  if (opcode == OP_FROMALTSTACK) {
    if (st.altstack.empty()) return ScriptError::INVALID_ALTSTACK_OPERATION;
    s.push_back(std::move(st.altstack.back()));
    st.altstack.pop_back();
    return ScriptError::OK;
  }
  if (s.size() < needed_depth(opcode)) return ScriptError::INVALID_STACK_OPERATION;
  switch (opcode) {
    case OP_TOALTSTACK: st.altstack.push_back(std::move(s.back())); s.pop_back(); break;
    case OP_2DROP: s.pop_back(); s.pop_back(); break;
    case OP_2DUP: { Bytes a = st.top(-2), b = st.top(-1); s.push_back(std::move(a)); s.push_back(std::move(b)); break; }
    case OP_3DUP: {
      Bytes a = st.top(-3), b = st.top(-2), c = st.top(-1);
      s.push_back(std::move(a)); s.push_back(std::move(b)); s.push_back(std::move(c));
      break;
    }
    case OP_2OVER: { Bytes a = st.top(-4), b = st.top(-3); s.push_back(std::move(a)); s.push_back(std::move(b)); break; }
    case OP_2ROT: std::rotate(s.end() - 6, s.end() - 4, s.end()); break;
    case OP_2SWAP: std::swap(st.top(-4), st.top(-2)); std::swap(st.top(-3), st.top(-1)); break;
    case OP_IFDUP: if (cast_to_bool(st.top(-1))) s.push_back(st.top(-1)); break;
    case OP_DEPTH: s.push_back(script_num_encode(static_cast<int64_t>(s.size()))); break;
    case OP_DROP: s.pop_back(); break;
    case OP_DUP: s.push_back(st.top(-1)); break;
    case OP_NIP: s.erase(s.end() - 2); break;
    case OP_OVER: s.push_back(st.top(-2)); break;
    case OP_PICK: case OP_ROLL: return op_pick_roll(st, opcode);
    case OP_ROT: std::swap(st.top(-3), st.top(-2)); std::swap(st.top(-2), st.top(-1)); break;
    case OP_SWAP: std::swap(st.top(-2), st.top(-1)); break;
    case OP_TUCK: { Bytes v = st.top(-1); s.insert(s.end() - 2, std::move(v)); break; }
    case OP_SIZE: s.push_back(script_num_encode(static_cast<int64_t>(st.top(-1).size()))); break;
    case OP_EQUAL: case OP_EQUALVERIFY: return op_equal(st, opcode);
    default: return ScriptError::BAD_OPCODE;
  }
  return ScriptError::OK;
}

ScriptError op_hash(EvalState& st, uint8_t opcode) {
  if (st.stack.empty()) return ScriptError::INVALID_STACK_OPERATION;
  const Bytes& in = st.top(-1);
  Bytes out;
  switch (opcode) {
    case OP_RIPEMD160: { auto h = crypto::ripemd160(in); out.assign(h.begin(), h.end()); break; }
    case OP_SHA1: { auto h = crypto::sha1(in); out.assign(h.begin(), h.end()); break; }
    case OP_SHA256: { auto h = crypto::sha256(in); out.assign(h.begin(), h.end()); break; }
    case OP_HASH160: { auto h = crypto::hash160(in); out.assign(h.begin(), h.end()); break; }
    default: { auto h = crypto::sha256d(in); out.assign(h.begin(), h.end()); break; }  // OP_HASH256
  }
  st.top(-1) = std::move(out);
  return ScriptError::OK;
}

ScriptError op_locktime(EvalState& st, uint8_t opcode) {
  const bool cltv = opcode == OP_CHECKLOCKTIMEVERIFY && (st.flags & SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY);
  const bool csv = opcode == OP_CHECKSEQUENCEVERIFY && (st.flags & SCRIPT_VERIFY_CHECKSEQUENCEVERIFY);
  if (!cltv && !csv) {
    // A NOP until a soft fork gives it meaning; policy may refuse to rely on that.
    if (opcode != OP_CHECKLOCKTIMEVERIFY && opcode != OP_CHECKSEQUENCEVERIFY &&
        (st.flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS))
      return ScriptError::DISCOURAGE_UPGRADABLE_NOPS;
    return ScriptError::OK;
  }
  if (st.stack.empty()) return ScriptError::INVALID_STACK_OPERATION;
  // Lock times above 2^31 need 5 bytes; the operand is not popped.
  int64_t value = 0;
  if (!read_num(st, st.top(-1), value, 5)) return ScriptError::SCRIPTNUM;
  if (value < 0) return ScriptError::NEGATIVE_LOCKTIME;
  if (cltv) return st.checker.check_lock_time(value) ? ScriptError::OK : ScriptError::UNSATISFIED_LOCKTIME;
  // CSV with the disable flag in the operand is a NOP, reserved for future soft forks.
  if (value & SEQUENCE_LOCKTIME_DISABLE_FLAG) return ScriptError::OK;
  return st.checker.check_sequence(value) ? ScriptError::OK : ScriptError::UNSATISFIED_LOCKTIME;
}

}  // namespace ladder::btc::detail
