// The Bitcoin Script interpreter: consensus rules for legacy scripts, P2SH
// (BIP-16), witness v0 (BIP-141/143: P2WPKH, P2WSH), witness v1 (BIP-341
// key and script path, BIP-342 tapscript with OP_CHECKSIGADD, OP_SUCCESSx,
// the validation-weight budget and the annex), CLTV/CSV (BIP-65/112) and P2A
// (`OP_1 <0x4e73>`, spendable with an empty witness), with every rule that
// Bitcoin Core makes optional selectable by ScriptVerifyFlag bits.
//
// Verdicts and error reasons match Bitcoin Core's (checked against its
// script_tests.json, tx_valid.json and tx_invalid.json). Transaction-level
// rules (finality, BIP-68 sequence locks, amounts, sigop budgets of blocks)
// are the caller's; see btc/tx_check.h for CheckTransaction.
//
// Limits: scripts ≤ 10,000 bytes (legacy, v0), pushes ≤ 520 bytes, ≤ 201
// non-push opcodes (legacy, v0), stack + altstack ≤ 1,000 elements, ≤ 20
// keys per CHECKMULTISIG. Malformed scripts fail with an error; nothing is
// ever read outside the given bytes.
//
// All functions are pure given their arguments and thread-safe; the
// transaction and PrecomputedTxData are only read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "btc/script_error.h"
#include "btc/script_flags.h"
#include "btc/sigcheck.h"
#include "btc/tx.h"
#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::btc {

struct PrecomputedTxData;  // btc/sighash.h

inline constexpr size_t MAX_SCRIPT_ELEMENT_SIZE = 520;
inline constexpr int MAX_OPS_PER_SCRIPT = 201;
inline constexpr int MAX_PUBKEYS_PER_MULTISIG = 20;
inline constexpr size_t MAX_SCRIPT_SIZE = 10'000;
inline constexpr size_t MAX_STACK_SIZE = 1'000;
// BIP-342: each executed signature check costs this much of a budget of
// (witness size + VALIDATION_WEIGHT_OFFSET).
inline constexpr int64_t VALIDATION_WEIGHT_PER_SIGOP_PASSED = 50;
inline constexpr int64_t VALIDATION_WEIGHT_OFFSET = 50;

using ScriptStack = std::vector<Bytes>;

// Runs `script` on `stack` (Core's EvalScript). On failure the stack holds
// whatever it held when execution stopped.
ScriptError eval_script(ScriptStack& stack, ByteView script, uint32_t flags, const SignatureChecker& checker,
                        SigVersion sigversion, ScriptExecutionData& execdata);

// Verifies a scriptSig / scriptPubKey / witness triple (Core's VerifyScript).
// `witness` may be null (treated as empty).
ScriptError verify_script(ByteView script_sig, ByteView script_pubkey, const Witness* witness, uint32_t flags,
                          const SignatureChecker& checker);

// Verifies input `input_index` of `tx` spending txdata.spent_outputs[input_index]
// under `flags`. Errors: "script.<reason>" (see script_error.h) with
// Error::index = input_index; "script.missing-spent-output" if txdata holds no
// spent output for the input (a programmer error upstream, reported as a value).
Status verify_input(const Transaction& tx, size_t input_index, const PrecomputedTxData& txdata, uint32_t flags);

// Core's script_tests.json name of a verify_input error ("EVAL_FALSE",
// "NULLFAIL", ...); "UNKNOWN_ERROR" for codes that are not script errors.
std::string core_script_error_name(const Error& e);

}  // namespace ladder::btc
