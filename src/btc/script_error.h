// Script errors: why a script failed, one value per Bitcoin Core
// SCRIPT_ERR_* reason, so verdicts can be compared with Core's test vectors.
//
// Inside the interpreter an error is a cheap enum; at the module boundary it
// becomes an ladder::Error with the stable code "script.<name>" (Core's enum
// name, lower-case, '_' → '-': "script.eval-false", "script.sig-der").
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/expected.h"

namespace ladder::btc {

enum class ScriptError : uint8_t {
  OK,
  UNKNOWN_ERROR,
  EVAL_FALSE,
  OP_RETURN,
  // Size limits
  SCRIPT_SIZE,
  PUSH_SIZE,
  OP_COUNT,
  STACK_SIZE,
  SIG_COUNT,
  PUBKEY_COUNT,
  // Failed *VERIFY operations
  VERIFY,
  EQUALVERIFY,
  CHECKMULTISIGVERIFY,
  CHECKSIGVERIFY,
  NUMEQUALVERIFY,
  // Logic and format
  BAD_OPCODE,
  DISABLED_OPCODE,
  INVALID_STACK_OPERATION,
  INVALID_ALTSTACK_OPERATION,
  UNBALANCED_CONDITIONAL,
  // CLTV / CSV
  NEGATIVE_LOCKTIME,
  UNSATISFIED_LOCKTIME,
  // Malleability
  SIG_HASHTYPE,
  SIG_DER,
  MINIMALDATA,
  SIG_PUSHONLY,
  SIG_HIGH_S,
  SIG_NULLDUMMY,
  PUBKEYTYPE,
  CLEANSTACK,
  MINIMALIF,
  SIG_NULLFAIL,
  // Soft-fork safety
  DISCOURAGE_UPGRADABLE_NOPS,
  DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM,
  DISCOURAGE_UPGRADABLE_TAPROOT_VERSION,
  DISCOURAGE_OP_SUCCESS,
  DISCOURAGE_UPGRADABLE_PUBKEYTYPE,
  // Segregated witness
  WITNESS_PROGRAM_WRONG_LENGTH,
  WITNESS_PROGRAM_WITNESS_EMPTY,
  WITNESS_PROGRAM_MISMATCH,
  WITNESS_MALLEATED,
  WITNESS_MALLEATED_P2SH,
  WITNESS_UNEXPECTED,
  WITNESS_PUBKEYTYPE,
  // Taproot
  SCHNORR_SIG_SIZE,
  SCHNORR_SIG_HASHTYPE,
  SCHNORR_SIG,
  TAPROOT_WRONG_CONTROL_SIZE,
  TAPSCRIPT_VALIDATION_WEIGHT,
  TAPSCRIPT_CHECKMULTISIG,
  TAPSCRIPT_MINIMALIF,
  TAPSCRIPT_EMPTY_PUBKEY,
  // Constant scriptCode
  OP_CODESEPARATOR,
  SIG_FINDANDDELETE,
  // A number operand too long or (under MINIMALDATA) not minimally encoded
  SCRIPTNUM,
};

// Core's enum name without the SCRIPT_ERR_ prefix ("EVAL_FALSE", "SIG_NULLFAIL").
std::string_view script_error_name(ScriptError e);

// The stable error code: "script." + lower-case dashed name ("script.eval-false").
std::string script_error_code(ScriptError e);

// A short human explanation.
std::string_view script_error_message(ScriptError e);

// The Error for input `input_index` failing with `e` (Error::index = input_index).
Error make_script_error(ScriptError e, int input_index);

// The name Bitcoin Core's script_tests.json uses for `e` ("NULLFAIL" for
// SIG_NULLFAIL, otherwise script_error_name).
std::string_view script_error_test_name(ScriptError e);

// Parses a name as script_error_test_name prints it. Error "script-error.unknown".
Expected<ScriptError> parse_script_error_test_name(std::string_view name);

}  // namespace ladder::btc
