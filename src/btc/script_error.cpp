#include "btc/script_error.h"

#include <array>

namespace ladder::btc {
namespace {

struct ErrorInfo {
  std::string_view name;
  std::string_view message;
};

constexpr size_t kErrorCount = static_cast<size_t>(ScriptError::SCRIPTNUM) + 1;

// Indexed by ScriptError.
constexpr std::array<ErrorInfo, kErrorCount> kErrors = {{
    {"OK", "no error"},
    {"UNKNOWN_ERROR", "unknown error"},
    {"EVAL_FALSE", "script evaluated without error but finished with a false/empty top stack element"},
    {"OP_RETURN", "OP_RETURN was encountered"},
    {"SCRIPT_SIZE", "script is too big"},
    {"PUSH_SIZE", "push value size limit exceeded"},
    {"OP_COUNT", "operation limit exceeded"},
    {"STACK_SIZE", "stack size limit exceeded"},
    {"SIG_COUNT", "signature count negative or greater than pubkey count"},
    {"PUBKEY_COUNT", "pubkey count negative or limit exceeded"},
    {"VERIFY", "script failed an OP_VERIFY operation"},
    {"EQUALVERIFY", "script failed an OP_EQUALVERIFY operation"},
    {"CHECKMULTISIGVERIFY", "script failed an OP_CHECKMULTISIGVERIFY operation"},
    {"CHECKSIGVERIFY", "script failed an OP_CHECKSIGVERIFY operation"},
    {"NUMEQUALVERIFY", "script failed an OP_NUMEQUALVERIFY operation"},
    {"BAD_OPCODE", "opcode missing or not understood"},
    {"DISABLED_OPCODE", "attempted to use a disabled opcode"},
    {"INVALID_STACK_OPERATION", "operation not valid with the current stack size"},
    {"INVALID_ALTSTACK_OPERATION", "operation not valid with the current altstack size"},
    {"UNBALANCED_CONDITIONAL", "invalid OP_IF construction"},
    {"NEGATIVE_LOCKTIME", "negative locktime"},
    {"UNSATISFIED_LOCKTIME", "locktime requirement not satisfied"},
    {"SIG_HASHTYPE", "signature hash type missing or not understood"},
    {"SIG_DER", "non-canonical DER signature"},
    {"MINIMALDATA", "data push larger than necessary"},
    {"SIG_PUSHONLY", "only push operators allowed in signatures"},
    {"SIG_HIGH_S", "non-canonical signature: S value is unnecessarily high"},
    {"SIG_NULLDUMMY", "dummy CHECKMULTISIG argument must be zero"},
    {"PUBKEYTYPE", "public key is neither compressed nor uncompressed"},
    {"CLEANSTACK", "stack size must be exactly one after execution"},
    {"MINIMALIF", "OP_IF/NOTIF argument must be minimal"},
    {"SIG_NULLFAIL", "signature must be zero for failed CHECK(MULTI)SIG operation"},
    {"DISCOURAGE_UPGRADABLE_NOPS", "NOPx reserved for soft-fork upgrades"},
    {"DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM", "witness version reserved for soft-fork upgrades"},
    {"DISCOURAGE_UPGRADABLE_TAPROOT_VERSION", "taproot version reserved for soft-fork upgrades"},
    {"DISCOURAGE_OP_SUCCESS", "OP_SUCCESSx reserved for soft-fork upgrades"},
    {"DISCOURAGE_UPGRADABLE_PUBKEYTYPE", "public key version reserved for soft-fork upgrades"},
    {"WITNESS_PROGRAM_WRONG_LENGTH", "witness program has incorrect length"},
    {"WITNESS_PROGRAM_WITNESS_EMPTY", "witness program was passed an empty witness"},
    {"WITNESS_PROGRAM_MISMATCH", "witness program hash mismatch"},
    {"WITNESS_MALLEATED", "witness requires empty scriptSig"},
    {"WITNESS_MALLEATED_P2SH", "witness requires only-redeemscript scriptSig"},
    {"WITNESS_UNEXPECTED", "witness provided for non-witness script"},
    {"WITNESS_PUBKEYTYPE", "using non-compressed keys in segwit"},
    {"SCHNORR_SIG_SIZE", "invalid Schnorr signature size"},
    {"SCHNORR_SIG_HASHTYPE", "invalid Schnorr signature hash type"},
    {"SCHNORR_SIG", "invalid Schnorr signature"},
    {"TAPROOT_WRONG_CONTROL_SIZE", "invalid taproot control block size"},
    {"TAPSCRIPT_VALIDATION_WEIGHT", "too much signature validation relative to witness weight"},
    {"TAPSCRIPT_CHECKMULTISIG", "OP_CHECKMULTISIG(VERIFY) is not available in tapscript"},
    {"TAPSCRIPT_MINIMALIF", "OP_IF/NOTIF argument must be minimal in tapscript"},
    {"TAPSCRIPT_EMPTY_PUBKEY", "empty public key in tapscript"},
    {"OP_CODESEPARATOR", "using OP_CODESEPARATOR in non-witness script"},
    {"SIG_FINDANDDELETE", "signature is found in scriptCode"},
    {"SCRIPTNUM", "script number overflow or non-minimal encoding"},
}};

const ErrorInfo& info(ScriptError e) { return kErrors[static_cast<size_t>(e)]; }

}  // namespace

std::string_view script_error_name(ScriptError e) { return info(e).name; }

std::string_view script_error_message(ScriptError e) { return info(e).message; }

std::string script_error_code(ScriptError e) {
  std::string code = "script.";
  for (char c : info(e).name) code += c == '_' ? '-' : static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return code;
}

Error make_script_error(ScriptError e, int input_index) {
  return make_culprit_error(script_error_code(e), input_index, "input",
                            "input " + std::to_string(input_index) + ": " + std::string(info(e).message));
}

std::string_view script_error_test_name(ScriptError e) {
  return e == ScriptError::SIG_NULLFAIL ? std::string_view("NULLFAIL") : info(e).name;
}

Expected<ScriptError> parse_script_error_test_name(std::string_view name) {
  for (size_t i = 0; i < kErrorCount; ++i) {
    auto e = static_cast<ScriptError>(i);
    if (script_error_test_name(e) == name) return e;
  }
  return make_error("script-error.unknown", "unknown script error " + std::string(name));
}

}  // namespace ladder::btc
