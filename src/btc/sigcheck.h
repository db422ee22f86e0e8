// Signature and lock-time checking for the script interpreter.
//
// The interpreter never looks at a transaction itself: everything that needs
// one (signatures, CLTV, CSV) goes through a SignatureChecker, as in Bitcoin
// Core. SignatureChecker's own methods reject everything, so tests can run
// scripts with no transaction at all (or override one method).
// TransactionSignatureChecker is the real one: ECDSA with Core's lax DER
// parsing (consensus accepts any signature OpenSSL once accepted; the strict
// encoding rules are flags checked by the interpreter before it gets here),
// BIP-340 Schnorr via libsecp256k1, sighashes from btc/sighash.h.
//
// A TransactionSignatureChecker borrows its transaction and precomputed data;
// both must outlive it. Checkers are immutable after construction and safe to
// share between threads.
#pragma once

#include <cstdint>
#include <optional>

#include "btc/amount.h"
#include "btc/script_error.h"
#include "btc/tx.h"
#include "util/bytes.h"

namespace ladder::btc {

struct PrecomputedTxData;  // btc/sighash.h

// Which rules a script runs under: legacy (BASE), BIP-143 witness v0,
// BIP-341 key path (TAPROOT), or BIP-342 script path (TAPSCRIPT).
enum class SigVersion : uint8_t { BASE, WITNESS_V0, TAPROOT, TAPSCRIPT };

// Per-input state of a taproot spend that signatures commit to and that the
// tapscript validation-weight budget consumes.
struct ScriptExecutionData {
  Bytes32 tapleaf_hash{};              // script path: hash of the executed leaf
  uint32_t codesep_pos = 0xffffffff;   // opcode index of the last executed OP_CODESEPARATOR
  std::optional<Bytes> annex;          // the annex (with its 0x50 prefix) if present
  int64_t validation_weight_left = 0;  // tapscript signature budget (BIP-342)
};

class SignatureChecker {
 public:
  virtual ~SignatureChecker() = default;

  // ECDSA (BASE / WITNESS_V0). `sig` ends with its hash-type byte; `pubkey`
  // is in any encoding libsecp256k1 parses; `script_code` is the script the
  // signature commits to. False on any failure (no error detail: Core's
  // interpreter turns it into EVAL_FALSE / NULLFAIL / *VERIFY).
  virtual bool check_ecdsa_signature(ByteView sig, ByteView pubkey, ByteView script_code,
                                     SigVersion sigversion) const;

  // BIP-340 (TAPROOT / TAPSCRIPT). `pubkey` is 32 bytes (caller checks);
  // `sig` is 64 bytes, or 65 with an explicit non-zero hash type. On failure
  // sets *error to SCHNORR_SIG_SIZE, SCHNORR_SIG_HASHTYPE or SCHNORR_SIG.
  virtual bool check_schnorr_signature(ByteView sig, ByteView pubkey, SigVersion sigversion,
                                       const ScriptExecutionData& execdata, ScriptError* error) const;

  // OP_CHECKLOCKTIMEVERIFY / OP_CHECKSEQUENCEVERIFY against the spending
  // transaction (operands already checked non-negative).
  virtual bool check_lock_time(int64_t lock_time) const;
  virtual bool check_sequence(int64_t sequence) const;
};

class TransactionSignatureChecker final : public SignatureChecker {
 public:
  // `amount` is the value of the spent output (BIP-143 commits to it).
  // `txdata` must hold the spent outputs when taproot inputs are checked.
  TransactionSignatureChecker(const Transaction& tx, size_t input_index, Amount amount,
                              const PrecomputedTxData& txdata)
      : tx_(tx), input_index_(input_index), amount_(amount), txdata_(txdata) {}

  bool check_ecdsa_signature(ByteView sig, ByteView pubkey, ByteView script_code,
                             SigVersion sigversion) const override;
  bool check_schnorr_signature(ByteView sig, ByteView pubkey, SigVersion sigversion,
                               const ScriptExecutionData& execdata, ScriptError* error) const override;
  bool check_lock_time(int64_t lock_time) const override;
  bool check_sequence(int64_t sequence) const override;

 private:
  const Transaction& tx_;
  size_t input_index_;
  Amount amount_;
  const PrecomputedTxData& txdata_;
};

// ECDSA verification as consensus does it: `der_sig` (no hash-type byte) is
// parsed leniently (Core's ecdsa_signature_parse_der_lax), normalized to low
// S, and verified against `pubkey` (33 or 65 bytes, hybrid allowed) and the
// 32-byte message hash.
bool verify_ecdsa_lax(ByteView der_sig, ByteView pubkey, const Bytes32& hash);

// BIP-340 verification of a 64-byte signature by a 32-byte x-only key.
bool verify_schnorr(ByteView sig64, ByteView xonly_pubkey, const Bytes32& msg);

// True if S of a lax-parsed DER signature is at most n/2 (LOW_S policy).
bool is_low_s_der(ByteView der_sig);

}  // namespace ladder::btc
