#include "btc/sigcheck.h"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <cstring>

#include "btc/sighash.h"

namespace ladder::btc {
namespace {

// Verification needs no precomputed context in libsecp256k1 ≥ 0.2.
const secp256k1_context* ctx() { return secp256k1_context_static; }

// Reads a DER length whose first byte has the high bit set, ignoring leading
// zero bytes as OpenSSL did. False if the length does not fit the input or
// needs 4 or more significant bytes.
bool read_long_length(ByteView in, size_t& pos, size_t lenbyte, size_t& out) {
  if (lenbyte > in.size() - pos) return false;
  while (lenbyte > 0 && in[pos] == 0) {
    ++pos;
    --lenbyte;
  }
  if (lenbyte >= 4) return false;
  out = 0;
  for (; lenbyte > 0; --lenbyte) out = (out << 8) + in[pos++];
  return true;
}

// Reads one "02 <len> <bytes>" INTEGER; sets [start, start+len).
bool read_integer(ByteView in, size_t& pos, size_t& start, size_t& len) {
  if (pos == in.size() || in[pos] != 0x02) return false;
  ++pos;
  if (pos == in.size()) return false;
  size_t lenbyte = in[pos++];
  if (lenbyte & 0x80) {
    if (!read_long_length(in, pos, lenbyte - 0x80, len)) return false;
  } else {
    len = lenbyte;
  }
  if (len > in.size() - pos) return false;
  start = pos;
  pos += len;
  return true;
}

// Copies a big-endian integer, without its leading zeros, right-aligned into
// 32 bytes. False if it is longer than 32 bytes.
bool copy_scalar(ByteView in, size_t start, size_t len, uint8_t* out32) {
  while (len > 0 && in[start] == 0) {
    ++start;
    --len;
  }
  if (len > 32) return false;
  std::memcpy(out32 + 32 - len, in.data() + start, len);
  return true;
}

// Core's lax DER parser (the rules OpenSSL applied before BIP-66): any
// sequence-length encoding, long-form integer lengths, leading zeros and
// trailing garbage are tolerated. An R or S that overflows the group order
// yields the (never valid) all-zero signature rather than a parse failure.
bool parse_der_lax(ByteView in, secp256k1_ecdsa_signature* sig) {
  uint8_t compact[64] = {0};
  // Start from a well-formed but invalid signature.
  (void)secp256k1_ecdsa_signature_parse_compact(ctx(), sig, compact);
  size_t pos = 0;
  if (pos == in.size() || in[pos] != 0x30) return false;
  ++pos;
  if (pos == in.size()) return false;
  size_t lenbyte = in[pos++];
  if (lenbyte & 0x80) {
    lenbyte -= 0x80;
    if (lenbyte > in.size() - pos) return false;
    pos += lenbyte;
  }
  size_t rpos = 0, rlen = 0, spos = 0, slen = 0;
  if (!read_integer(in, pos, rpos, rlen)) return false;
  if (!read_integer(in, pos, spos, slen)) return false;
  bool overflow = !copy_scalar(in, rpos, rlen, compact) || !copy_scalar(in, spos, slen, compact + 32);
  if (!overflow) overflow = !secp256k1_ecdsa_signature_parse_compact(ctx(), sig, compact);
  if (overflow) {
    std::memset(compact, 0, sizeof compact);
    (void)secp256k1_ecdsa_signature_parse_compact(ctx(), sig, compact);
  }
  return true;
}

// CPubKey's size check: the first byte fixes the length (2,3 → 33; 4,6,7 → 65).
bool pubkey_size_ok(ByteView pubkey) {
  if (pubkey.empty()) return false;
  switch (pubkey[0]) {
    case 2:
    case 3:
      return pubkey.size() == 33;
    case 4:
    case 6:
    case 7:
      return pubkey.size() == 65;
    default:
      return false;
  }
}

}  // namespace

bool verify_ecdsa_lax(ByteView der_sig, ByteView pubkey, const Bytes32& hash) {
  if (!pubkey_size_ok(pubkey)) return false;
  secp256k1_pubkey pk;
  if (!secp256k1_ec_pubkey_parse(ctx(), &pk, pubkey.data(), pubkey.size())) return false;
  if (der_sig.empty()) return false;
  secp256k1_ecdsa_signature sig;
  if (!parse_der_lax(der_sig, &sig)) return false;
  // libsecp256k1 only accepts low-S; consensus accepts both.
  secp256k1_ecdsa_signature_normalize(ctx(), &sig, &sig);
  return secp256k1_ecdsa_verify(ctx(), &sig, hash.data(), &pk) == 1;
}

bool is_low_s_der(ByteView der_sig) {
  secp256k1_ecdsa_signature sig;
  if (!parse_der_lax(der_sig, &sig)) return false;
  return secp256k1_ecdsa_signature_normalize(ctx(), nullptr, &sig) == 0;
}

bool verify_schnorr(ByteView sig64, ByteView xonly_pubkey, const Bytes32& msg) {
  if (sig64.size() != 64 || xonly_pubkey.size() != 32) return false;
  secp256k1_xonly_pubkey pk;
  if (!secp256k1_xonly_pubkey_parse(ctx(), &pk, xonly_pubkey.data())) return false;
  return secp256k1_schnorrsig_verify(ctx(), sig64.data(), msg.data(), msg.size(), &pk) == 1;
}

bool SignatureChecker::check_ecdsa_signature(ByteView, ByteView, ByteView, SigVersion) const { return false; }

bool SignatureChecker::check_schnorr_signature(ByteView, ByteView, SigVersion, const ScriptExecutionData&,
                                               ScriptError*) const {
  return false;
}

bool SignatureChecker::check_lock_time(int64_t) const { return false; }

bool SignatureChecker::check_sequence(int64_t) const { return false; }

bool TransactionSignatureChecker::check_ecdsa_signature(ByteView sig, ByteView pubkey, ByteView script_code,
                                                        SigVersion sigversion) const {
  if (!pubkey_size_ok(pubkey) || sig.empty()) return false;
  const int32_t hash_type = sig.back();
  ByteView der = sig.first(sig.size() - 1);
  const Bytes32 hash = sigversion == SigVersion::WITNESS_V0
                           ? segwit_v0_sighash(tx_, input_index_, script_code, amount_, hash_type, txdata_)
                           : legacy_sighash(tx_, input_index_, script_code, hash_type);
  return verify_ecdsa_lax(der, pubkey, hash);
}

bool TransactionSignatureChecker::check_schnorr_signature(ByteView sig, ByteView pubkey, SigVersion sigversion,
                                                          const ScriptExecutionData& execdata,
                                                          ScriptError* error) const {
  if (sig.size() != 64 && sig.size() != 65) {
    *error = ScriptError::SCHNORR_SIG_SIZE;
    return false;
  }
  uint8_t hash_type = SIGHASH_DEFAULT;
  if (sig.size() == 65) {
    hash_type = sig[64];
    // An explicit 0x00 would make two encodings of one signature.
    if (hash_type == SIGHASH_DEFAULT) {
      *error = ScriptError::SCHNORR_SIG_HASHTYPE;
      return false;
    }
    sig = sig.first(64);
  }
  TapScriptExt ext;
  const TapScriptExt* ext_ptr = nullptr;
  if (sigversion == SigVersion::TAPSCRIPT) {
    ext.tapleaf_hash = execdata.tapleaf_hash;
    ext.codesep_pos = execdata.codesep_pos;
    ext_ptr = &ext;
  }
  auto hash = taproot_sighash(tx_, input_index_, hash_type, txdata_, execdata.annex, ext_ptr);
  if (!hash) {
    *error = ScriptError::SCHNORR_SIG_HASHTYPE;
    return false;
  }
  if (!verify_schnorr(sig, pubkey, *hash)) {
    *error = ScriptError::SCHNORR_SIG;
    return false;
  }
  return true;
}

bool TransactionSignatureChecker::check_lock_time(int64_t lock_time) const {
  const int64_t tx_lock = tx_.locktime;
  // Height-based and time-based lock times cannot be compared.
  const bool same_kind = (tx_lock < LOCKTIME_THRESHOLD) == (lock_time < LOCKTIME_THRESHOLD);
  if (!same_kind || lock_time > tx_lock) return false;
  // A final input would disable nLockTime and so bypass the check.
  return tx_.vin[input_index_].sequence != SEQUENCE_FINAL;
}

bool TransactionSignatureChecker::check_sequence(int64_t sequence) const {
  const int64_t tx_seq = tx_.vin[input_index_].sequence;
  // BIP-68 applies from version 2 on (version compared unsigned, as Core does).
  if (tx_.version < 2) return false;
  if (tx_seq & SEQUENCE_LOCKTIME_DISABLE_FLAG) return false;
  const int64_t mask = SEQUENCE_LOCKTIME_TYPE_FLAG | SEQUENCE_LOCKTIME_MASK;
  const int64_t tx_masked = tx_seq & mask;
  const int64_t op_masked = sequence & mask;
  const bool same_kind = (tx_masked < SEQUENCE_LOCKTIME_TYPE_FLAG) == (op_masked < SEQUENCE_LOCKTIME_TYPE_FLAG);
  return same_kind && op_masked <= tx_masked;
}

}  // namespace ladder::btc
