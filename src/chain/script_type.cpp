#include "chain/script_type.h"

#include "btc/opcodes.h"
#include "btc/script.h"
#include "btc/standard_scripts.h"

namespace ladder::chain {

using namespace btc;

const char* output_type_name(OutputType t) {
  switch (t) {
    case OutputType::nonstandard: return "nonstandard";
    case OutputType::pubkey: return "pubkey";
    case OutputType::pubkeyhash: return "pubkeyhash";
    case OutputType::scripthash: return "scripthash";
    case OutputType::multisig: return "multisig";
    case OutputType::null_data: return "nulldata";
    case OutputType::witness_v0_keyhash: return "witness_v0_keyhash";
    case OutputType::witness_v0_scripthash: return "witness_v0_scripthash";
    case OutputType::witness_v1_taproot: return "witness_v1_taproot";
    case OutputType::anchor: return "anchor";
    case OutputType::witness_unknown: return "witness_unknown";
  }
  return "nonstandard";
}

std::optional<WitnessProgramView> witness_program_view(ByteView s) {
  if (s.size() < 4 || s.size() > 42) return std::nullopt;
  if (s[0] != OP_0 && (s[0] < OP_1 || s[0] > OP_16)) return std::nullopt;
  if (static_cast<size_t>(s[1]) + 2 != s.size()) return std::nullopt;
  return WitnessProgramView{s[0] == OP_0 ? 0 : s[0] - OP_1 + 1, s.subspan(2)};
}

bool is_pay_to_script_hash(ByteView s) {
  return s.size() == 23 && s[0] == OP_HASH160 && s[1] == 0x14 && s[22] == OP_EQUAL;
}

bool is_push_only(ByteView script) {
  ScriptReader r(script);
  while (!r.done()) {
    auto op = r.next();
    if (!op || op->opcode > OP_16) return false;
  }
  return true;
}

namespace {

bool valid_pubkey_size(ByteView k) {
  if (k.size() == 33) return k[0] == 0x02 || k[0] == 0x03;
  if (k.size() == 65) return k[0] == 0x04 || k[0] == 0x06 || k[0] == 0x07;
  return false;
}

int small_int(uint8_t op) { return op == OP_0 ? 0 : (op >= OP_1 && op <= OP_16 ? op - OP_1 + 1 : -1); }

OutputType classify_multisig(ByteView s, int* required, int* keys) {
  ScriptReader r(s);
  auto first = r.next();
  if (!first) return OutputType::nonstandard;
  int m = small_int(first->opcode);
  if (m < 1) return OutputType::nonstandard;
  int n = 0;
  while (!r.done()) {
    auto op = r.next();
    if (!op) return OutputType::nonstandard;
    if (op->opcode >= OP_1 && op->opcode <= OP_16) {
      int declared = small_int(op->opcode);
      auto last = r.next();
      if (!last || last->opcode != OP_CHECKMULTISIG || !r.done()) return OutputType::nonstandard;
      if (declared != n || m > n) return OutputType::nonstandard;
      if (required) *required = m;
      if (keys) *keys = n;
      return OutputType::multisig;
    }
    if (!valid_pubkey_size(op->data) || op->opcode > OP_PUSHDATA4) return OutputType::nonstandard;
    ++n;
  }
  return OutputType::nonstandard;
}

}  // namespace

OutputType classify(ByteView s, int* required, int* keys) {
  if (is_pay_to_script_hash(s)) return OutputType::scripthash;
  if (auto wp = witness_program_view(s)) {
    if (wp->version == 0 && wp->program.size() == 20) return OutputType::witness_v0_keyhash;
    if (wp->version == 0 && wp->program.size() == 32) return OutputType::witness_v0_scripthash;
    if (wp->version == 1 && wp->program.size() == 32) return OutputType::witness_v1_taproot;
    if (is_p2a(s)) return OutputType::anchor;
    if (wp->version != 0) return OutputType::witness_unknown;
    return OutputType::nonstandard;
  }
  if (!s.empty() && s[0] == OP_RETURN && is_push_only(s.subspan(1))) return OutputType::null_data;
  if ((s.size() == 35 && s[0] == 33 && s[34] == OP_CHECKSIG && valid_pubkey_size(s.subspan(1, 33))) ||
      (s.size() == 67 && s[0] == 65 && s[66] == OP_CHECKSIG && valid_pubkey_size(s.subspan(1, 65))))
    return OutputType::pubkey;
  if (s.size() == 25 && s[0] == OP_DUP && s[1] == OP_HASH160 && s[2] == 0x14 && s[23] == OP_EQUALVERIFY &&
      s[24] == OP_CHECKSIG)
    return OutputType::pubkeyhash;
  if (!s.empty() && s.back() == OP_CHECKMULTISIG) return classify_multisig(s, required, keys);
  return OutputType::nonstandard;
}

unsigned sigop_count(ByteView script, bool accurate) {
  unsigned n = 0;
  uint8_t last = OP_INVALIDOPCODE;
  ScriptReader r(script);
  while (!r.done()) {
    auto op = r.next();
    if (!op) break;
    if (op->opcode == OP_CHECKSIG || op->opcode == OP_CHECKSIGVERIFY) {
      ++n;
    } else if (op->opcode == OP_CHECKMULTISIG || op->opcode == OP_CHECKMULTISIGVERIFY) {
      n += (accurate && last >= OP_1 && last <= OP_16) ? static_cast<unsigned>(last - OP_1 + 1) : 20;
    }
    last = op->opcode;
  }
  return n;
}

}  // namespace ladder::chain
