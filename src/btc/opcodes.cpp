#include "btc/opcodes.h"

#include <array>
#include <cstdio>

namespace ladder::btc {

std::string opcode_name(uint8_t op) {
  static const std::array<const char*, 256> names = [] {
    std::array<const char*, 256> n{};
    n[OP_0] = "0";
    n[OP_PUSHDATA1] = "PUSHDATA1";
    n[OP_PUSHDATA2] = "PUSHDATA2";
    n[OP_PUSHDATA4] = "PUSHDATA4";
    n[OP_1NEGATE] = "1NEGATE";
    n[OP_RESERVED] = "RESERVED";
    static const char* digits[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"};
    for (int i = 0; i < 16; ++i) n[OP_1 + i] = digits[i];
    const char* rest[] = {"NOP", "VER", "IF", "NOTIF", "VERIF", "VERNOTIF", "ELSE", "ENDIF", "VERIFY", "RETURN",
                          "TOALTSTACK", "FROMALTSTACK", "2DROP", "2DUP", "3DUP", "2OVER", "2ROT", "2SWAP", "IFDUP",
                          "DEPTH", "DROP", "DUP", "NIP", "OVER", "PICK", "ROLL", "ROT", "SWAP", "TUCK", "CAT", "SUBSTR",
                          "LEFT", "RIGHT", "SIZE", "INVERT", "AND", "OR", "XOR", "EQUAL", "EQUALVERIFY", "RESERVED1",
                          "RESERVED2", "1ADD", "1SUB", "2MUL", "2DIV", "NEGATE", "ABS", "NOT", "0NOTEQUAL", "ADD",
                          "SUB", "MUL", "DIV", "MOD", "LSHIFT", "RSHIFT", "BOOLAND", "BOOLOR", "NUMEQUAL",
                          "NUMEQUALVERIFY", "NUMNOTEQUAL", "LESSTHAN", "GREATERTHAN", "LESSTHANOREQUAL",
                          "GREATERTHANOREQUAL", "MIN", "MAX", "WITHIN", "RIPEMD160", "SHA1", "SHA256", "HASH160",
                          "HASH256", "CODESEPARATOR", "CHECKSIG", "CHECKSIGVERIFY", "CHECKMULTISIG",
                          "CHECKMULTISIGVERIFY", "NOP1", "CHECKLOCKTIMEVERIFY", "CHECKSEQUENCEVERIFY", "NOP4", "NOP5",
                          "NOP6", "NOP7", "NOP8", "NOP9", "NOP10", "CHECKSIGADD"};
    int code = OP_NOP;
    for (const char* r : rest) n[code++] = r;
    n[OP_INVALIDOPCODE] = "INVALIDOPCODE";
    return n;
  }();
  if (names[op]) return names[op];
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", op);
  return buf;
}

}  // namespace ladder::btc
