// Numeric opcodes. Operands are script numbers of at most 4 bytes (so every
// result fits an int64_t); results are pushed minimally encoded.
#include "btc/interpreter_internal.h"
#include "btc/script.h"

namespace ladder::btc::detail {
namespace {

int arity(uint8_t opcode) {
  if (opcode >= OP_1ADD && opcode <= OP_0NOTEQUAL) return 1;
  if (opcode == OP_WITHIN) return 3;
  return 2;
}

int64_t unary(uint8_t opcode, int64_t a) {
  switch (opcode) {
    case OP_1ADD: return a + 1;
    case OP_1SUB: return a - 1;
    case OP_NEGATE: return -a;
    case OP_ABS: return a < 0 ? -a : a;
    case OP_NOT: return a == 0;
    default: return a != 0;  // OP_0NOTEQUAL
  }
}

int64_t binary(uint8_t opcode, int64_t a, int64_t b) {
  switch (opcode) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_BOOLAND: return a != 0 && b != 0;
    case OP_BOOLOR: return a != 0 || b != 0;
    case OP_NUMEQUAL: case OP_NUMEQUALVERIFY: return a == b;
    case OP_NUMNOTEQUAL: return a != b;
    case OP_LESSTHAN: return a < b;
    case OP_GREATERTHAN: return a > b;
    case OP_LESSTHANOREQUAL: return a <= b;
    case OP_GREATERTHANOREQUAL: return a >= b;
    case OP_MIN: return a < b ? a : b;
    default: return a > b ? a : b;  // OP_MAX
  }
}

}  // namespace

ScriptError op_arith(EvalState& st, uint8_t opcode) {
  const int n = arity(opcode);
  if (st.stack.size() < static_cast<size_t>(n)) return ScriptError::INVALID_STACK_OPERATION;
  int64_t v[3] = {0, 0, 0};
  for (int i = 0; i < n; ++i) {
    if (!read_num(st, st.top(i - n), v[i])) return ScriptError::SCRIPTNUM;
  }
  int64_t result = 0;
  if (n == 1) result = unary(opcode, v[0]);
  else if (n == 2) result = binary(opcode, v[0], v[1]);
  else result = v[1] <= v[0] && v[0] < v[2];  // OP_WITHIN: min <= x < max
  for (int i = 0; i < n; ++i) st.pop();
  st.stack.push_back(script_num_encode(result));
  if (opcode == OP_NUMEQUALVERIFY) {
    if (!cast_to_bool(st.top(-1))) return ScriptError::NUMEQUALVERIFY;
    st.pop();
  }
  return ScriptError::OK;
}

}  // namespace ladder::btc::detail
