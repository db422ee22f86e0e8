// eval_script: the main loop (reading opcodes, limits, flow control) and the
// dispatch to the opcode families in the other interpreter_*.cpp files.
#include "btc/interpreter_internal.h"
#include "btc/script.h"

namespace ladder::btc {
namespace detail {

const Bytes kTrue{1};
const Bytes kFalse{};

bool cast_to_bool(ByteView v) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != 0) return !(i == v.size() - 1 && v[i] == 0x80);
  }
  return false;
}

bool read_num(const EvalState& st, ByteView v, int64_t& out, size_t max_size) {
  auto n = script_num_decode(v, max_size, st.require_minimal());
  if (!n) return false;
  out = *n;
  return true;
}

bool is_op_success(uint8_t op) {
  return op == 80 || op == 98 || (op >= 126 && op <= 129) || (op >= 131 && op <= 134) || (op >= 137 && op <= 138) ||
         (op >= 141 && op <= 142) || (op >= 149 && op <= 153) || (op >= 187 && op <= 254);
}

namespace {

// Opcodes disabled since 2010 (CVE-2010-5137); they fail even unexecuted.
bool is_disabled(uint8_t op) {
  switch (op) {
    case OP_CAT: case OP_SUBSTR: case OP_LEFT: case OP_RIGHT:
    case OP_INVERT: case OP_AND: case OP_OR: case OP_XOR:
    case OP_2MUL: case OP_2DIV: case OP_MUL: case OP_DIV: case OP_MOD:
    case OP_LSHIFT: case OP_RSHIFT:
      return true;
    default:
      return false;
  }
}

// IF / NOTIF: pops the condition when executing; checks MINIMALIF rules.
ScriptError op_if(EvalState& st, uint8_t opcode, bool executing) {
  bool value = false;
  if (executing) {
    if (st.stack.empty()) return ScriptError::INVALID_STACK_OPERATION;
    const Bytes& v = st.top(-1);
    const bool minimal = v.empty() || (v.size() == 1 && v[0] == 1);
    // Consensus in tapscript; policy (MINIMALIF) in witness v0 only.
    if (st.sigversion == SigVersion::TAPSCRIPT && !minimal) return ScriptError::TAPSCRIPT_MINIMALIF;
    if (st.sigversion == SigVersion::WITNESS_V0 && (st.flags & SCRIPT_VERIFY_MINIMALIF) && !minimal)
      return ScriptError::MINIMALIF;
    value = cast_to_bool(v);
    if (opcode == OP_NOTIF) value = !value;
    st.pop();
  }
  st.exec.push_back(value);
  return ScriptError::OK;
}

// Opcodes that are looked at even inside an unexecuted branch.
ScriptError op_flow(EvalState& st, uint8_t opcode, bool executing) {
  switch (opcode) {
    case OP_IF:
    case OP_NOTIF:
      return op_if(st, opcode, executing);
    case OP_ELSE:
      if (st.exec.empty()) return ScriptError::UNBALANCED_CONDITIONAL;
      st.exec.toggle_top();
      return ScriptError::OK;
    case OP_ENDIF:
      if (st.exec.empty()) return ScriptError::UNBALANCED_CONDITIONAL;
      st.exec.pop_back();
      return ScriptError::OK;
    default:  // OP_VERIF, OP_VERNOTIF: invalid even when not executed
      return ScriptError::BAD_OPCODE;
  }
}

ScriptError op_codeseparator(EvalState& st, size_t next_offset) {
  st.codehash_begin = next_offset;
  st.execdata.codesep_pos = st.opcode_pos;
  return ScriptError::OK;
}

// One executed non-push opcode other than flow control.
ScriptError execute(EvalState& st, uint8_t opcode, size_t next_offset) {
  if (opcode == OP_1NEGATE || (opcode >= OP_1 && opcode <= OP_16)) {
    st.stack.push_back(script_num_encode(static_cast<int>(opcode) - static_cast<int>(OP_1 - 1)));
    return ScriptError::OK;
  }
  switch (opcode) {
    case OP_NOP:
      return ScriptError::OK;
    case OP_VERIFY:
      if (st.stack.empty()) return ScriptError::INVALID_STACK_OPERATION;
      if (!cast_to_bool(st.top(-1))) return ScriptError::VERIFY;
      st.pop();
      return ScriptError::OK;
    case OP_RETURN:
      return ScriptError::OP_RETURN;
    case OP_CODESEPARATOR:
      return op_codeseparator(st, next_offset);
    case OP_NOP1: case OP_CHECKLOCKTIMEVERIFY: case OP_CHECKSEQUENCEVERIFY: case OP_NOP4: case OP_NOP5:
    case OP_NOP6: case OP_NOP7: case OP_NOP8: case OP_NOP9: case OP_NOP10:
      return op_locktime(st, opcode);
    case OP_RIPEMD160: case OP_SHA1: case OP_SHA256: case OP_HASH160: case OP_HASH256:
      return op_hash(st, opcode);
    case OP_CHECKSIG: case OP_CHECKSIGVERIFY: case OP_CHECKSIGADD:
      return op_checksig(st, opcode);
    case OP_CHECKMULTISIG: case OP_CHECKMULTISIGVERIFY:
      return op_checkmultisig(st, opcode);
    default:
      break;
  }
  if ((opcode >= OP_TOALTSTACK && opcode <= OP_TUCK) || opcode == OP_SIZE || opcode == OP_EQUAL ||
      opcode == OP_EQUALVERIFY)
    return op_stack(st, opcode);
  if (opcode >= OP_1ADD && opcode <= OP_WITHIN) return op_arith(st, opcode);
  return ScriptError::BAD_OPCODE;  // OP_RESERVED, OP_VER, OP_RESERVED1/2, unknown
}

// Everything that happens for one opcode read from the script.
ScriptError step(EvalState& st, const ScriptOp& op, size_t next_offset) {
  const uint8_t opcode = op.opcode;
  const bool executing = st.exec.all_true();
  if (op.data.size() > MAX_SCRIPT_ELEMENT_SIZE) return ScriptError::PUSH_SIZE;
  // OP_RESERVED (0x50) does not count towards the limit.
  if (st.pre_tapscript() && opcode > OP_16 && ++st.op_count > MAX_OPS_PER_SCRIPT) return ScriptError::OP_COUNT;
  if (is_disabled(opcode)) return ScriptError::DISABLED_OPCODE;
  if (opcode == OP_CODESEPARATOR && st.sigversion == SigVersion::BASE && (st.flags & SCRIPT_VERIFY_CONST_SCRIPTCODE))
    return ScriptError::OP_CODESEPARATOR;
  if (executing && opcode <= OP_PUSHDATA4) {
    if (st.require_minimal() && !is_minimal_push(opcode, op.data)) return ScriptError::MINIMALDATA;
    st.stack.emplace_back(op.data.begin(), op.data.end());
    return ScriptError::OK;
  }
  if (opcode >= OP_IF && opcode <= OP_ENDIF) return op_flow(st, opcode, executing);
  if (!executing) return ScriptError::OK;
  return execute(st, opcode, next_offset);
}

}  // namespace
}  // namespace detail

ScriptError eval_script(ScriptStack& stack, ByteView script, uint32_t flags, const SignatureChecker& checker,
                        SigVersion sigversion, ScriptExecutionData& execdata) {
  using detail::EvalState;
  if ((sigversion == SigVersion::BASE || sigversion == SigVersion::WITNESS_V0) && script.size() > MAX_SCRIPT_SIZE)
    return ScriptError::SCRIPT_SIZE;
  execdata.codesep_pos = 0xffffffff;
  EvalState st{stack, {}, {}, script, 0, 0, 0, flags, checker, sigversion, execdata};
  ScriptReader reader(script);
  for (; !reader.done(); ++st.opcode_pos) {
    auto op = reader.next();
    if (!op) return ScriptError::BAD_OPCODE;  // a push running past the end
    if (ScriptError e = detail::step(st, *op, reader.position()); e != ScriptError::OK) return e;
    if (stack.size() + st.altstack.size() > MAX_STACK_SIZE) return ScriptError::STACK_SIZE;
  }
  if (!st.exec.empty()) return ScriptError::UNBALANCED_CONDITIONAL;
  return ScriptError::OK;
}

}  // namespace ladder::btc
