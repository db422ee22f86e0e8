#include "btc/standard_scripts.h"

#include <stdexcept>

#include "btc/opcodes.h"
#include "btc/script.h"

namespace ladder::btc {

Bytes p2pkh_script(const crypto::Bytes20& pubkey_hash) {
  return ScriptBuilder().op(OP_DUP).op(OP_HASH160).push(pubkey_hash).op(OP_EQUALVERIFY).op(OP_CHECKSIG).take();
}

Bytes p2sh_script(const crypto::Bytes20& script_hash) {
  return ScriptBuilder().op(OP_HASH160).push(script_hash).op(OP_EQUAL).take();
}

Bytes p2sh_script_for(ByteView redeem_script) { return p2sh_script(crypto::hash160(redeem_script)); }

Bytes p2wpkh_script(const crypto::Bytes20& pubkey_hash) { return witness_program_script(0, pubkey_hash); }

Bytes p2wsh_script(const Bytes32& script_hash) { return witness_program_script(0, script_hash); }

Bytes p2wsh_script_for(ByteView witness_script) { return p2wsh_script(crypto::sha256(witness_script)); }

Bytes p2tr_script(const Bytes32& output_key) { return witness_program_script(1, output_key); }

Bytes p2a_script() {
  static const uint8_t kAnchor[] = {0x4e, 0x73};
  return witness_program_script(1, kAnchor);
}

Bytes witness_program_script(uint8_t version, ByteView program) {
  if (version > 16 || program.size() < 2 || program.size() > 40)
    throw std::invalid_argument("witness_program_script: version or program length out of range");
  Bytes s;
  s.reserve(2 + program.size());
  s.push_back(version == 0 ? uint8_t{OP_0} : static_cast<uint8_t>(OP_1 + version - 1));
  s.push_back(static_cast<uint8_t>(program.size()));
  append(s, program);
  return s;
}

std::optional<WitnessProgram> witness_program(ByteView spk) {
  if (spk.size() < 4 || spk.size() > 42) return std::nullopt;
  const uint8_t v = spk[0];
  if (v != OP_0 && (v < OP_1 || v > OP_16)) return std::nullopt;
  if (static_cast<size_t>(spk[1]) + 2 != spk.size()) return std::nullopt;
  WitnessProgram wp;
  wp.version = v == OP_0 ? 0 : static_cast<uint8_t>(v - OP_1 + 1);
  wp.program.assign(spk.begin() + 2, spk.end());
  return wp;
}

bool is_p2a(ByteView spk) { return spk.size() == 4 && spk[0] == OP_1 && spk[1] == 2 && spk[2] == 0x4e && spk[3] == 0x73; }

}  // namespace ladder::btc
