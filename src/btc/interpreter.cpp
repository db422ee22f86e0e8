// verify_script: scriptSig then scriptPubKey, P2SH, and witness programs
// (v0 key/script hash, v1 taproot key and script path, P2A, future versions).
#include "btc/interpreter.h"


#include "btc/interpreter_internal.h"
#include "btc/script.h"
#include "btc/sighash.h"
#include "btc/standard_scripts.h"
#include "btc/taproot.h"
#include "crypto/hash.h"
#include "util/serialize.h"

namespace ladder::btc {
namespace {

using detail::cast_to_bool;

constexpr uint8_t ANNEX_TAG = 0x50;

bool is_p2sh(ByteView spk) {
  return spk.size() == 23 && spk[0] == OP_HASH160 && spk[1] == 0x14 && spk[22] == OP_EQUAL;
}

// Push-only: every opcode is a push or OP_1NEGATE / OP_RESERVED / OP_1..OP_16.
bool is_push_only(ByteView script) {
  ScriptReader reader(script);
  while (!reader.done()) {
    auto op = reader.next();
    if (!op || op->opcode > OP_16) return false;
  }
  return true;
}

size_t witness_serialized_size(const Witness& witness) {
  size_t n = compact_size_len(witness.size());
  for (const Bytes& item : witness) n += compact_size_len(item.size()) + item.size();
  return n;
}

// Runs a witness script on the witness stack; it must leave exactly one true element.
ScriptError execute_witness_script(std::span<const Bytes> items, ByteView script, uint32_t flags,
                                   SigVersion sigversion, const SignatureChecker& checker,
                                   ScriptExecutionData& execdata) {
  if (sigversion == SigVersion::TAPSCRIPT) {
    // OP_SUCCESSx anywhere makes the script succeed, overriding every other rule.
    ScriptReader reader(script);
    while (!reader.done()) {
      auto op = reader.next();
      if (!op) return ScriptError::BAD_OPCODE;
      if (detail::is_op_success(op->opcode)) {
        return (flags & SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS) ? ScriptError::DISCOURAGE_OP_SUCCESS : ScriptError::OK;
      }
    }
    if (items.size() > MAX_STACK_SIZE) return ScriptError::STACK_SIZE;
  }
  for (const Bytes& item : items) {
    if (item.size() > MAX_SCRIPT_ELEMENT_SIZE) return ScriptError::PUSH_SIZE;
  }
  ScriptStack stack(items.begin(), items.end());
  if (ScriptError e = eval_script(stack, script, flags, checker, sigversion, execdata); e != ScriptError::OK) return e;
  if (stack.size() != 1) return ScriptError::CLEANSTACK;
  if (!cast_to_bool(stack.back())) return ScriptError::EVAL_FALSE;
  return ScriptError::OK;
}

ScriptError verify_witness_v0(const Witness& witness, ByteView program, uint32_t flags,
                              const SignatureChecker& checker) {
  ScriptExecutionData execdata;
  std::span<const Bytes> items(witness);
  if (program.size() == 32) {  // P2WSH: program = SHA256(witness script)
    if (items.empty()) return ScriptError::WITNESS_PROGRAM_WITNESS_EMPTY;
    const Bytes& script = items.back();
    const Bytes32 hash = crypto::sha256(script);
    if (!std::equal(hash.begin(), hash.end(), program.begin())) return ScriptError::WITNESS_PROGRAM_MISMATCH;
    return execute_witness_script(items.first(items.size() - 1), script, flags, SigVersion::WITNESS_V0, checker,
                                  execdata);
  }
  if (program.size() == 20) {  // P2WPKH: program = HASH160(pubkey)
    if (items.size() != 2) return ScriptError::WITNESS_PROGRAM_MISMATCH;
    Bytes script = {OP_DUP, OP_HASH160, 20};
    append(script, program);
    script.push_back(OP_EQUALVERIFY);
    script.push_back(OP_CHECKSIG);
    return execute_witness_script(items, script, flags, SigVersion::WITNESS_V0, checker, execdata);
  }
  return ScriptError::WITNESS_PROGRAM_WRONG_LENGTH;
}

// BIP-341 script path: items = [stack..., script, control block].
ScriptError verify_taproot_script_path(const Witness& witness, std::span<const Bytes> items, ByteView program,
                                       uint32_t flags, const SignatureChecker& checker,
                                       ScriptExecutionData& execdata) {
  const Bytes& control = items.back();
  const Bytes& script = items[items.size() - 2];
  const size_t path_bytes = control.size() - std::min(control.size(), TAPROOT_CONTROL_BASE_SIZE);
  if (control.size() < TAPROOT_CONTROL_BASE_SIZE || path_bytes % TAPROOT_CONTROL_NODE_SIZE != 0 ||
      path_bytes / TAPROOT_CONTROL_NODE_SIZE > TAPROOT_CONTROL_MAX_NODE_COUNT)
    return ScriptError::TAPROOT_WRONG_CONTROL_SIZE;
  const uint8_t leaf_version = control[0] & TAPROOT_LEAF_MASK;
  Bytes32 output_key;
  std::copy(program.begin(), program.end(), output_key.begin());
  if (!verify_taproot_commitment(control, output_key, script)) return ScriptError::WITNESS_PROGRAM_MISMATCH;
  execdata.tapleaf_hash = tapleaf_hash(leaf_version, script);
  if (leaf_version != TAPROOT_LEAF_TAPSCRIPT) {
    // Unknown leaf versions are anyone-can-spend until a soft fork defines them.
    return (flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION)
               ? ScriptError::DISCOURAGE_UPGRADABLE_TAPROOT_VERSION
               : ScriptError::OK;
  }
  // BIP-342 budget: the whole witness (annex, script and control block included).
  execdata.validation_weight_left = static_cast<int64_t>(witness_serialized_size(witness)) + VALIDATION_WEIGHT_OFFSET;
  return execute_witness_script(items.first(items.size() - 2), script, flags, SigVersion::TAPSCRIPT, checker,
                                execdata);
}

ScriptError verify_taproot(const Witness& witness, ByteView program, uint32_t flags, const SignatureChecker& checker) {
  std::span<const Bytes> items(witness);
  if (items.empty()) return ScriptError::WITNESS_PROGRAM_WITNESS_EMPTY;
  ScriptExecutionData execdata;
  if (items.size() >= 2 && !items.back().empty() && items.back()[0] == ANNEX_TAG) {
    execdata.annex = items.back();
    items = items.first(items.size() - 1);
  }
  if (items.size() == 1) {  // key path
    ScriptError e = ScriptError::OK;
    if (!checker.check_schnorr_signature(items[0], program, SigVersion::TAPROOT, execdata, &e)) return e;
    return ScriptError::OK;
  }
  return verify_taproot_script_path(witness, items, program, flags, checker, execdata);
}

ScriptError verify_witness_program(const Witness& witness, const WitnessProgram& wp, uint32_t flags,
                                   const SignatureChecker& checker, bool p2sh) {
  if (wp.version == 0) return verify_witness_v0(witness, wp.program, flags, checker);
  if (wp.version == 1 && wp.program.size() == 32 && !p2sh) {
    if (!(flags & SCRIPT_VERIFY_TAPROOT)) return ScriptError::OK;
    return verify_taproot(witness, wp.program, flags, checker);
  }
  // P2A (OP_1 <0x4e73>): anyone can spend it.
  if (wp.version == 1 && !p2sh && wp.program.size() == 2 && wp.program[0] == 0x4e && wp.program[1] == 0x73)
    return ScriptError::OK;
  // Other versions and sizes stay anyone-can-spend for future soft forks.
  return (flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM)
             ? ScriptError::DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM
             : ScriptError::OK;
}

// The scriptSig of a P2SH-wrapped witness program must be exactly the one
// direct push of it (a witness program is at most 42 bytes).
bool is_single_push_of(ByteView script_sig, ByteView program_script) {
  return script_sig.size() == program_script.size() + 1 && script_sig[0] == program_script.size() &&
         std::equal(program_script.begin(), program_script.end(), script_sig.begin() + 1);
}

// BIP-16: run the redeem script (the last scriptSig push) on the rest of the stack.
ScriptError verify_p2sh(ByteView script_sig, ScriptStack& stack, const Witness& witness, uint32_t flags,
                        const SignatureChecker& checker, bool& had_witness) {
  if (!is_push_only(script_sig)) return ScriptError::SIG_PUSHONLY;
  // The stack is non-empty: HASH160 <h> EQUAL succeeded on it.
  const Bytes redeem = std::move(stack.back());
  stack.pop_back();
  ScriptExecutionData execdata;
  if (ScriptError e = eval_script(stack, redeem, flags, checker, SigVersion::BASE, execdata); e != ScriptError::OK)
    return e;
  if (stack.empty() || !cast_to_bool(stack.back())) return ScriptError::EVAL_FALSE;
  if (flags & SCRIPT_VERIFY_WITNESS) {
    if (auto wp = witness_program(redeem)) {
      had_witness = true;
      if (!is_single_push_of(script_sig, redeem)) return ScriptError::WITNESS_MALLEATED_P2SH;
      if (ScriptError e = verify_witness_program(witness, *wp, flags, checker, true); e != ScriptError::OK) return e;
      stack.resize(1);  // the witness program's stack is not the scriptSig's
    }
  }
  return ScriptError::OK;
}

}  // namespace

ScriptError verify_script(ByteView script_sig, ByteView script_pubkey, const Witness* witness_in, uint32_t flags,
                          const SignatureChecker& checker) {
  static const Witness kEmptyWitness;
  const Witness& witness = witness_in ? *witness_in : kEmptyWitness;
  bool had_witness = false;
  if ((flags & SCRIPT_VERIFY_SIGPUSHONLY) && !is_push_only(script_sig)) return ScriptError::SIG_PUSHONLY;

  // scriptSig and scriptPubKey run one after the other on one stack, never
  // concatenated (CVE-2010-5141).
  ScriptStack stack;
  ScriptExecutionData execdata;
  if (ScriptError e = eval_script(stack, script_sig, flags, checker, SigVersion::BASE, execdata); e != ScriptError::OK)
    return e;
  const bool p2sh = (flags & SCRIPT_VERIFY_P2SH) && is_p2sh(script_pubkey);
  ScriptStack stack_copy;
  if (p2sh) stack_copy = stack;
  if (ScriptError e = eval_script(stack, script_pubkey, flags, checker, SigVersion::BASE, execdata);
      e != ScriptError::OK)
    return e;
  if (stack.empty() || !cast_to_bool(stack.back())) return ScriptError::EVAL_FALSE;

  if (flags & SCRIPT_VERIFY_WITNESS) {
    if (auto wp = witness_program(script_pubkey)) {
      had_witness = true;
      // Any scriptSig would make the spend malleable.
      if (!script_sig.empty()) return ScriptError::WITNESS_MALLEATED;
      if (ScriptError e = verify_witness_program(witness, *wp, flags, checker, false); e != ScriptError::OK) return e;
      stack.resize(1);
    }
  }
  if (p2sh) {
    stack = std::move(stack_copy);
    if (ScriptError e = verify_p2sh(script_sig, stack, witness, flags, checker, had_witness); e != ScriptError::OK)
      return e;
  }
  // After P2SH and witness evaluation: their inputs legitimately stay behind before.
  if ((flags & SCRIPT_VERIFY_CLEANSTACK) && stack.size() != 1) return ScriptError::CLEANSTACK;
  if ((flags & SCRIPT_VERIFY_WITNESS) && !had_witness && !witness.empty()) return ScriptError::WITNESS_UNEXPECTED;
  return ScriptError::OK;
}

Status verify_input(const Transaction& tx, size_t input_index, const PrecomputedTxData& txdata, uint32_t flags) {
  const int index = static_cast<int>(input_index);
  if (input_index >= tx.vin.size() || input_index >= txdata.spent_outputs.size())
    return make_culprit_error("script.missing-spent-output", index, "input",
                              "no spent output known for input " + std::to_string(input_index));
  const TxIn& in = tx.vin[input_index];
  const TxOut& spent = txdata.spent_outputs[input_index];
  TransactionSignatureChecker checker(tx, input_index, spent.value, txdata);
  ScriptError e = verify_script(in.script_sig, spent.script_pubkey, &in.witness, flags, checker);
  if (e != ScriptError::OK) return make_script_error(e, index);
  return ok();
}

std::string core_script_error_name(const Error& e) {
  for (int i = 0; i <= static_cast<int>(ScriptError::SCRIPTNUM); ++i) {
    const auto se = static_cast<ScriptError>(i);
    if (script_error_code(se) == e.code) return std::string(script_error_test_name(se));
  }
  return "UNKNOWN_ERROR";
}

}  // namespace ladder::btc
