// Every entry of Bitcoin Core's tx_valid.json and tx_invalid.json, checked
// the way Core's transaction_tests.cpp checks them:
// - tx_valid: CheckTransaction passes; every input verifies with all flags
//   except the listed (excluded) ones; it still verifies with any further
//   flag (or random set) removed; and re-enabling any single excluded flag
//   makes it fail (the exclusion list is minimal).
// - tx_invalid: either CheckTransaction fails and the entry says BADTX, or
//   some input fails with the listed flags; it still fails with any flag (or
//   random set) added; and dropping any single listed flag makes it pass.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "btc/interpreter.h"
#include "btc/sighash.h"
#include "btc/tx_check.h"
#include "core_vectors_support.h"
#include "vectors.h"

namespace ladder::btc {
namespace {

using nlohmann::json;

struct TxCase {
  Transaction tx;
  PrecomputedTxData txdata;
  std::string flags_text;
};

Expected<TxCase> parse_case(const json& e) {
  if (e.size() != 3 || !e[1].is_string() || !e[2].is_string()) return make_error("vector.bad", "malformed entry");
  std::map<OutPoint, TxOut> prevouts;
  for (const json& in : e[0]) {
    if (!in.is_array() || in.size() < 3 || in.size() > 4) return make_error("vector.bad", "malformed input");
    OutPoint op;
    LADDER_ASSIGN(op.txid, Txid::from_hex(in[0].get<std::string>()));
    op.n = static_cast<uint32_t>(in[1].get<int64_t>());
    TxOut out;
    LADDER_ASSIGN(out.script_pubkey, test::parse_script_asm(in[2].get<std::string>()));
    if (in.size() == 4) out.value = in[3].get<int64_t>();
    prevouts[op] = std::move(out);
  }
  TxCase c;
  LADDER_ASSIGN(c.tx, parse_transaction_hex(e[1].get<std::string>()));
  std::vector<TxOut> spent;
  for (const TxIn& in : c.tx.vin) {
    auto it = prevouts.find(in.prevout);
    if (it == prevouts.end()) return make_error("vector.bad", "input spends an unlisted outpoint");
    spent.push_back(it->second);
  }
  c.txdata = precompute_tx_data(c.tx, std::move(spent));
  c.flags_text = e[2].get<std::string>();
  return c;
}

// Core's CheckTxScripts: inputs in order until one fails.
bool all_inputs_verify(const TxCase& c, uint32_t flags) {
  for (size_t i = 0; i < c.tx.vin.size(); ++i) {
    if (!verify_input(c.tx, i, c.txdata, flags)) return false;
  }
  return true;
}

// Each single flag removed from `flags`, trimmed to a valid combination.
std::set<uint32_t> exclude_individual_flags(uint32_t flags) {
  std::set<uint32_t> out;
  for (int bit = 0; bit < SCRIPT_VERIFY_FLAG_BITS; ++bit) {
    const uint32_t f = test::trim_flags(flags & ~(1u << bit));
    if (f != flags) out.insert(f);
  }
  return out;
}

// "" if Core's checks of a tx_valid entry all hold, else what failed.
std::string check_valid(const TxCase& c, test::FlagRng& rng) {
  if (Status s = check_transaction(c.tx); !s) return "CheckTransaction failed: " + s.error().to_string();
  auto parsed = parse_script_flags(c.flags_text);
  if (!parsed) return parsed.error().to_string();
  const uint32_t excluded = *parsed;
  if (~excluded != test::fill_flags(~excluded)) return "bad test flags";
  if (!all_inputs_verify(c, ~excluded)) {
    for (size_t i = 0; i < c.tx.vin.size(); ++i)
      if (auto s = verify_input(c.tx, i, c.txdata, ~excluded); !s) return "fails: " + s.error().to_string();
  }
  for (int bit = 0; bit < SCRIPT_VERIFY_FLAG_BITS; ++bit) {
    if (!all_inputs_verify(c, test::trim_flags(~(excluded | (1u << bit)))))
      return "fails with " + format_script_flags(1u << bit) + " unset";
    const uint32_t random = test::trim_flags(~(excluded | rng.next()));
    if (!all_inputs_verify(c, random)) return "fails with random flags " + format_script_flags(random);
  }
  for (uint32_t f : exclude_individual_flags(excluded)) {
    if (all_inputs_verify(c, ~f)) return "still valid with flags " + format_script_flags(~f & test::kAllFlags);
  }
  return "";
}

// "" if Core's checks of a tx_invalid entry all hold, else what failed.
std::string check_invalid(const TxCase& c, test::FlagRng& rng) {
  if (Status s = check_transaction(c.tx); !s)
    return c.flags_text == "BADTX" ? "" : "CheckTransaction failed (" + s.error().code + ") but entry is not BADTX";
  if (c.flags_text == "BADTX") return "entry says BADTX but CheckTransaction passes";
  auto parsed = parse_script_flags(c.flags_text);
  if (!parsed) return parsed.error().to_string();
  const uint32_t flags = *parsed;
  if (flags != test::fill_flags(flags)) return "bad test flags";
  if (all_inputs_verify(c, flags)) return "passes with its flags";
  for (int bit = 0; bit < SCRIPT_VERIFY_FLAG_BITS; ++bit) {
    if (all_inputs_verify(c, test::fill_flags(flags | (1u << bit))))
      return "passes with " + format_script_flags(1u << bit) + " added";
    const uint32_t random = test::fill_flags(flags | rng.next());
    if (all_inputs_verify(c, random)) return "passes with random flags " + format_script_flags(random);
  }
  for (uint32_t f : exclude_individual_flags(flags)) {
    if (!all_inputs_verify(c, f)) return "still invalid with flags " + format_script_flags(f);
  }
  return "";
}

void run_file(const std::string& name, bool valid) {
  const json tests = test::load_json_vectors("bitcoin-core/" + name);
  test::FlagRng rng(valid ? 1 : 2);
  test::VectorTally tally(name);
  for (const json& e : tests) {
    if (!e[0].is_array()) continue;  // a comment
    if (auto c = parse_case(e)) tally.record(valid ? check_valid(*c, rng) : check_invalid(*c, rng), e.dump());
    else tally.skip("cannot parse: " + c.error().to_string(), e.dump());
  }
  tally.finish();
  EXPECT_EQ(tally.total(), valid ? 121u : 93u) << name << " changed: update the expected count";
}

TEST(CoreVectors, TxValid) { run_file("tx_valid.json", true); }

TEST(CoreVectors, TxInvalid) { run_file("tx_invalid.json", false); }

}  // namespace
}  // namespace ladder::btc
