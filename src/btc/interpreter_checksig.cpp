// Signature opcodes: CHECKSIG(VERIFY), CHECKSIGADD, CHECKMULTISIG(VERIFY),
// with the encoding rules the flags select (BIP-66 DER, LOW_S, STRICTENC,
// WITNESS_PUBKEYTYPE, NULLFAIL, NULLDUMMY), legacy FindAndDelete, and the
// BIP-342 validation-weight budget.
#include "btc/interpreter_internal.h"
#include "btc/script.h"
#include "btc/sighash.h"

namespace ladder::btc::detail {
namespace {

// BIP-66 strict DER: 0x30 len 0x02 lenR R 0x02 lenS S hashtype, with minimal
// positive integers. `sig` includes the hash-type byte.
bool is_valid_signature_encoding(ByteView sig) {
  if (sig.size() < 9 || sig.size() > 73) return false;
  if (sig[0] != 0x30 || sig[1] != sig.size() - 3) return false;
  const size_t len_r = sig[3];
  if (5 + len_r >= sig.size()) return false;
  const size_t len_s = sig[5 + len_r];
  if (len_r + len_s + 7 != sig.size()) return false;
  if (sig[2] != 0x02 || len_r == 0 || (sig[4] & 0x80)) return false;
  if (len_r > 1 && sig[4] == 0x00 && !(sig[5] & 0x80)) return false;
  if (sig[len_r + 4] != 0x02 || len_s == 0 || (sig[len_r + 6] & 0x80)) return false;
  if (len_s > 1 && sig[len_r + 6] == 0x00 && !(sig[len_r + 7] & 0x80)) return false;
  return true;
}

bool is_defined_hashtype(ByteView sig) {
  if (sig.empty()) return false;
  const uint8_t base = sig.back() & ~SIGHASH_ANYONECANPAY;
  return base >= SIGHASH_ALL && base <= SIGHASH_SINGLE;
}

ScriptError check_signature_encoding(ByteView sig, uint32_t flags) {
  // The empty signature is the compact way to fail a check on purpose.
  if (sig.empty()) return ScriptError::OK;
  if ((flags & (SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_LOW_S | SCRIPT_VERIFY_STRICTENC)) &&
      !is_valid_signature_encoding(sig))
    return ScriptError::SIG_DER;
  if ((flags & SCRIPT_VERIFY_LOW_S) && !is_low_s_der(sig.first(sig.size() - 1))) return ScriptError::SIG_HIGH_S;
  if ((flags & SCRIPT_VERIFY_STRICTENC) && !is_defined_hashtype(sig)) return ScriptError::SIG_HASHTYPE;
  return ScriptError::OK;
}

bool is_compressed_pubkey(ByteView k) { return k.size() == 33 && (k[0] == 0x02 || k[0] == 0x03); }

bool is_compressed_or_uncompressed_pubkey(ByteView k) {
  return is_compressed_pubkey(k) || (k.size() == 65 && k[0] == 0x04);
}

ScriptError check_pubkey_encoding(ByteView key, uint32_t flags, SigVersion sigversion) {
  if ((flags & SCRIPT_VERIFY_STRICTENC) && !is_compressed_or_uncompressed_pubkey(key)) return ScriptError::PUBKEYTYPE;
  if ((flags & SCRIPT_VERIFY_WITNESS_PUBKEYTYPE) && sigversion == SigVersion::WITNESS_V0 && !is_compressed_pubkey(key))
    return ScriptError::WITNESS_PUBKEYTYPE;
  return ScriptError::OK;
}

// The script a legacy signature commits to must not contain the signature
// itself: FindAndDelete removes every occurrence of `sig` pushed the way
// CScript << vector pushes it (never as OP_N), at opcode boundaries.
// Returns the number of occurrences removed.
int find_and_delete(Bytes& script, ByteView sig) {
  // ScriptBuilder pushes minimally; only one-byte values would differ (OP_N).
  Bytes pattern;
  if (sig.size() == 1) {
    pattern = {0x01, sig[0]};
  } else {
    ScriptBuilder b;
    b.push(sig);
    pattern = b.take();
  }
  int found = 0;
  Bytes result;
  size_t pc = 0, kept_from = 0;
  ByteView view(script);
  ScriptReader reader(view);
  while (true) {
    result.insert(result.end(), script.begin() + kept_from, script.begin() + pc);
    while (view.size() - pc >= pattern.size() && std::equal(pattern.begin(), pattern.end(), view.begin() + pc)) {
      pc += pattern.size();
      ++found;
    }
    kept_from = pc;
    reader = ScriptReader(view.subspan(pc));
    if (reader.done() || !reader.next()) break;
    pc += reader.position();
  }
  if (found > 0) {
    result.insert(result.end(), script.begin() + kept_from, script.end());
    script = std::move(result);
  }
  return found;
}

// ECDSA check for BASE / WITNESS_V0; `ok` receives the verdict.
ScriptError checksig_ecdsa(EvalState& st, ByteView sig, ByteView key, bool& ok) {
  ByteView code = st.script.subspan(st.codehash_begin);
  Bytes stripped;
  if (st.sigversion == SigVersion::BASE) {
    stripped.assign(code.begin(), code.end());
    if (find_and_delete(stripped, sig) > 0 && (st.flags & SCRIPT_VERIFY_CONST_SCRIPTCODE))
      return ScriptError::SIG_FINDANDDELETE;
    code = stripped;
  }
  if (ScriptError e = check_signature_encoding(sig, st.flags); e != ScriptError::OK) return e;
  if (ScriptError e = check_pubkey_encoding(key, st.flags, st.sigversion); e != ScriptError::OK) return e;
  ok = st.checker.check_ecdsa_signature(sig, key, code, st.sigversion);
  if (!ok && (st.flags & SCRIPT_VERIFY_NULLFAIL) && !sig.empty()) return ScriptError::SIG_NULLFAIL;
  return ScriptError::OK;
}

// BIP-342 check. The order of the rules below is consensus: the budget is
// charged first, then an empty key fails, then unknown key types succeed.
ScriptError checksig_tapscript(EvalState& st, ByteView sig, ByteView key, bool& ok) {
  ok = !sig.empty();
  if (ok) {
    st.execdata.validation_weight_left -= VALIDATION_WEIGHT_PER_SIGOP_PASSED;
    if (st.execdata.validation_weight_left < 0) return ScriptError::TAPSCRIPT_VALIDATION_WEIGHT;
  }
  if (key.empty()) return ScriptError::TAPSCRIPT_EMPTY_PUBKEY;
  if (key.size() == 32) {
    ScriptError e = ScriptError::OK;
    if (ok && !st.checker.check_schnorr_signature(sig, key, st.sigversion, st.execdata, &e)) return e;
  } else if (st.flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE) {
    return ScriptError::DISCOURAGE_UPGRADABLE_PUBKEYTYPE;
  }
  return ScriptError::OK;
}

ScriptError eval_checksig(EvalState& st, ByteView sig, ByteView key, bool& ok) {
  if (st.sigversion == SigVersion::TAPSCRIPT) return checksig_tapscript(st, sig, key, ok);
  return checksig_ecdsa(st, sig, key, ok);
}

// Drops `count` signatures from the legacy script code (FindAndDelete).
ScriptError strip_multisig_signatures(EvalState& st, Bytes& code, int first_sig, int count) {
  for (int k = 0; k < count; ++k) {
    if (find_and_delete(code, st.top(-first_sig - k)) > 0 && (st.flags & SCRIPT_VERIFY_CONST_SCRIPTCODE))
      return ScriptError::SIG_FINDANDDELETE;
  }
  return ScriptError::OK;
}

}  // namespace

ScriptError op_checksig(EvalState& st, uint8_t opcode) {
  if (opcode == OP_CHECKSIGADD) {
    if (st.pre_tapscript()) return ScriptError::BAD_OPCODE;
    if (st.stack.size() < 3) return ScriptError::INVALID_STACK_OPERATION;
    int64_t n = 0;
    if (!read_num(st, st.top(-2), n)) return ScriptError::SCRIPTNUM;
    bool ok = true;
    if (ScriptError e = eval_checksig(st, st.top(-3), st.top(-1), ok); e != ScriptError::OK) return e;
    st.pop();
    st.pop();
    st.top(-1) = script_num_encode(n + (ok ? 1 : 0));
    return ScriptError::OK;
  }
  if (st.stack.size() < 2) return ScriptError::INVALID_STACK_OPERATION;
  bool ok = true;
  if (ScriptError e = eval_checksig(st, st.top(-2), st.top(-1), ok); e != ScriptError::OK) return e;
  st.pop();
  st.pop();
  if (opcode == OP_CHECKSIGVERIFY) return ok ? ScriptError::OK : ScriptError::CHECKSIGVERIFY;
  st.stack.push_back(ok ? kTrue : kFalse);
  return ScriptError::OK;
}

ScriptError op_checkmultisig(EvalState& st, uint8_t opcode) {
  if (st.sigversion == SigVersion::TAPSCRIPT) return ScriptError::TAPSCRIPT_CHECKMULTISIG;
  // Stack: dummy [sig ...] n_sigs [key ...] n_keys; i counts items from the top.
  int i = 1;
  if (st.stack.size() < static_cast<size_t>(i)) return ScriptError::INVALID_STACK_OPERATION;
  int64_t n_keys = 0;
  if (!read_num(st, st.top(-i), n_keys)) return ScriptError::SCRIPTNUM;
  if (n_keys < 0 || n_keys > MAX_PUBKEYS_PER_MULTISIG) return ScriptError::PUBKEY_COUNT;
  st.op_count += static_cast<int>(n_keys);
  if (st.op_count > MAX_OPS_PER_SCRIPT) return ScriptError::OP_COUNT;
  int ikey = ++i;
  // Position of the last key from the top, for the NULLFAIL clean-up below.
  int ikey2 = static_cast<int>(n_keys) + 2;
  i += static_cast<int>(n_keys);
  if (st.stack.size() < static_cast<size_t>(i)) return ScriptError::INVALID_STACK_OPERATION;
  int64_t n_sigs = 0;
  if (!read_num(st, st.top(-i), n_sigs)) return ScriptError::SCRIPTNUM;
  if (n_sigs < 0 || n_sigs > n_keys) return ScriptError::SIG_COUNT;
  int isig = ++i;
  i += static_cast<int>(n_sigs);
  if (st.stack.size() < static_cast<size_t>(i)) return ScriptError::INVALID_STACK_OPERATION;

  ByteView code = st.script.subspan(st.codehash_begin);
  Bytes stripped;
  if (st.sigversion == SigVersion::BASE) {
    stripped.assign(code.begin(), code.end());
    if (ScriptError e = strip_multisig_signatures(st, stripped, isig, static_cast<int>(n_sigs)); e != ScriptError::OK)
      return e;
    code = stripped;
  }
  bool success = true;
  while (success && n_sigs > 0) {
    const Bytes& sig = st.top(-isig);
    const Bytes& key = st.top(-ikey);
    // Encoding is checked pair by pair, so the evaluation order is observable.
    if (ScriptError e = check_signature_encoding(sig, st.flags); e != ScriptError::OK) return e;
    if (ScriptError e = check_pubkey_encoding(key, st.flags, st.sigversion); e != ScriptError::OK) return e;
    if (st.checker.check_ecdsa_signature(sig, key, code, st.sigversion)) {
      ++isig;
      --n_sigs;
    }
    ++ikey;
    --n_keys;
    // More signatures left than keys: it cannot succeed any more.
    if (n_sigs > n_keys) success = false;
  }
  // Pop the arguments; on failure NULLFAIL wants every signature empty.
  while (i-- > 1) {
    if (!success && (st.flags & SCRIPT_VERIFY_NULLFAIL) && !ikey2 && !st.top(-1).empty())
      return ScriptError::SIG_NULLFAIL;
    if (ikey2 > 0) --ikey2;
    st.pop();
  }
  // The extra "dummy" element (an old off-by-one), required empty by NULLDUMMY.
  if (st.stack.empty()) return ScriptError::INVALID_STACK_OPERATION;
  if ((st.flags & SCRIPT_VERIFY_NULLDUMMY) && !st.top(-1).empty()) return ScriptError::SIG_NULLDUMMY;
  st.pop();
  if (opcode == OP_CHECKMULTISIGVERIFY) return success ? ScriptError::OK : ScriptError::CHECKMULTISIGVERIFY;
  st.stack.push_back(success ? kTrue : kFalse);
  return ScriptError::OK;
}

}  // namespace ladder::btc::detail
