// Every entry of Bitcoin Core's script_tests.json, run the way Core's
// script_tests.cpp runs it: a crediting transaction paying the scriptPubKey,
// a spending transaction carrying the scriptSig and witness, verify_script
// with the entry's flags; the verdict and Core's error name must match.
// Like Core, each entry is also re-run with 256 random flag sets: removing
// flags from a passing entry or adding flags to a failing one must not
// change its verdict.
#include <gtest/gtest.h>

#include <cmath>

#include "btc/interpreter.h"
#include "btc/sighash.h"
#include "btc/taproot.h"
#include "core_vectors_support.h"
#include "vectors.h"

namespace ladder::btc {
namespace {

using nlohmann::json;

// Core's key0 (secret key 1): its x-only public key is the generator's x.
const Bytes32 kInternalKey =
    hex_fixed_or_throw<32>("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");

struct ScriptCase {
  Bytes script_sig;
  Bytes script_pubkey;
  Witness witness;
  Amount value = 0;
  uint32_t flags = 0;
  ScriptError expected = ScriptError::OK;
};

// Witness elements: hex, "#SCRIPT# <asm>", or "#CONTROLBLOCK#" (the control
// block of a one-leaf tree over the preceding script, internal key kInternalKey).
Status parse_witness(const json& arr, ScriptCase& c, std::optional<TaprootOutput>& taproot) {
  for (size_t i = 0; i + 1 < arr.size(); ++i) {
    const std::string el = arr[i].get<std::string>();
    if (el.starts_with("#SCRIPT#")) {
      LADDER_ASSIGN(Bytes s, test::parse_script_asm(el.substr(8)));
      c.witness.push_back(std::move(s));
    } else if (el == "#CONTROLBLOCK#") {
      if (c.witness.empty()) return make_error("vector.bad", "#CONTROLBLOCK# without a script");
      auto leaf = TapTree::leaf(TapLeaf{TAPROOT_LEAF_TAPSCRIPT, c.witness.back()});
      LADDER_ASSIGN(TaprootOutput out, taproot_output(kInternalKey, leaf));
      Bytes control{static_cast<uint8_t>(TAPROOT_LEAF_TAPSCRIPT | (out.output_parity ? 1 : 0))};
      append(control, kInternalKey);
      c.witness.push_back(std::move(control));
      taproot = out;
    } else {
      LADDER_ASSIGN(Bytes b, from_hex(el));
      c.witness.push_back(std::move(b));
    }
  }
  c.value = static_cast<Amount>(std::llround(arr.back().get<double>() * 1e8));
  return ok();
}

Expected<ScriptCase> parse_case(const json& e) {
  ScriptCase c;
  size_t pos = 0;
  std::optional<TaprootOutput> taproot;
  if (e[0].is_array()) LADDER_TRY(parse_witness(e[pos++], c, taproot));
  if (e.size() < pos + 4) return make_error("vector.bad", "too few fields");
  LADDER_ASSIGN(c.script_sig, test::parse_script_asm(e[pos++].get<std::string>()));
  const std::string spk = e[pos++].get<std::string>();
  if (spk == "0x51 0x20 #TAPROOTOUTPUT#") {
    if (!taproot) return make_error("vector.bad", "#TAPROOTOUTPUT# without #CONTROLBLOCK#");
    c.script_pubkey = taproot->script_pubkey();
  } else {
    LADDER_ASSIGN(c.script_pubkey, test::parse_script_asm(spk));
  }
  LADDER_ASSIGN(c.flags, parse_script_flags(e[pos++].get<std::string>()));
  LADDER_ASSIGN(c.expected, parse_script_error_test_name(e[pos++].get<std::string>()));
  return c;
}

// Core's DoTest. Returns "" when every check agrees with Core, else what differed.
std::string run_case(ScriptCase c, test::FlagRng& rng) {
  if (c.flags & SCRIPT_VERIFY_CLEANSTACK) c.flags |= SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS;
  const Transaction credit = test::crediting_tx(c.script_pubkey, c.value);
  const Transaction spend = test::spending_tx(c.script_sig, c.witness, credit);
  const PrecomputedTxData txdata = precompute_tx_data(spend, {credit.vout[0]});
  const TransactionSignatureChecker checker(spend, 0, c.value, txdata);
  const ScriptError got = verify_script(c.script_sig, c.script_pubkey, &c.witness, c.flags, checker);
  if (got != c.expected)
    return std::string("got ") + std::string(script_error_test_name(got)) + ", Core says " +
           std::string(script_error_test_name(c.expected));
  const bool expect_ok = c.expected == ScriptError::OK;
  for (int i = 0; i < 256; ++i) {
    const uint32_t extra = rng.next();
    const uint32_t flags = expect_ok ? (c.flags & ~extra) : (c.flags | extra);
    if ((flags & SCRIPT_VERIFY_CLEANSTACK) && (~flags & (SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS))) continue;
    if ((flags & SCRIPT_VERIFY_WITNESS) && !(flags & SCRIPT_VERIFY_P2SH)) continue;
    const bool ok_now = verify_script(c.script_sig, c.script_pubkey, &c.witness, flags, checker) == ScriptError::OK;
    if (ok_now != expect_ok) return "verdict changes with flags " + format_script_flags(flags);
  }
  return "";
}

TEST(CoreVectors, ScriptTests) {
  const json tests = test::load_json_vectors("bitcoin-core/script_tests.json");
  test::FlagRng rng(20240521);
  test::VectorTally tally("script_tests.json");
  for (const json& e : tests) {
    if (e.size() == 1) continue;  // a comment
    if (auto c = parse_case(e)) tally.record(run_case(*c, rng), e.dump());
    else tally.skip("cannot parse: " + c.error().to_string(), e.dump());
  }
  tally.finish();
  EXPECT_EQ(tally.total(), 1222u) << "script_tests.json changed: update the expected count";
}

}  // namespace
}  // namespace ladder::btc
