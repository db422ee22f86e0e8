// Test support for Bitcoin Core's script and transaction vectors: Core's
// script ASM parser (ParseScript), the crediting/spending transaction pair
// of script_tests.cpp, and the flag helpers of transaction_tests.cpp.
// Tests only.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "btc/script_flags.h"
#include "btc/tx.h"
#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::test {

// Parses Core's test-script notation: decimal numbers (pushed as script
// numbers, OP_N where one exists), 0x-prefixed hex inserted raw, 'strings'
// pushed as data, and opcode names with or without "OP_". Words are
// separated by spaces, tabs or newlines. Error "asm.parse" on anything else.
Expected<Bytes> parse_script_asm(std::string_view text);

// CScript << vector: a push that never uses OP_N (unlike minimal pushes).
void push_data(Bytes& script, ByteView data);

// Core's BuildCreditingTransaction / BuildSpendingTransaction.
btc::Transaction crediting_tx(ByteView script_pubkey, btc::Amount value);
btc::Transaction spending_tx(ByteView script_sig, const btc::Witness& witness, const btc::Transaction& credit);

// transaction_tests.cpp: WITNESS needs P2SH, CLEANSTACK needs WITNESS.
uint32_t trim_flags(uint32_t flags);  // drops what the dependencies forbid
uint32_t fill_flags(uint32_t flags);  // adds what the dependencies require

// Run / skipped / passed counts of one vector file. Each mismatch is a test
// failure naming the entry; finish() prints the counts and requires every
// run entry to pass and at least 95% of the entries to run.
class VectorTally {
 public:
  explicit VectorTally(std::string file) : file_(std::move(file)) {}
  void skip(const std::string& reason, const std::string& entry);
  // `diff` is "" when the entry matched Core's verdict, else what differed.
  void record(const std::string& diff, const std::string& entry);
  void finish() const;
  size_t total() const { return run_ + skipped_; }

 private:
  std::string file_;
  size_t run_ = 0, skipped_ = 0, passed_ = 0;
};

// All defined flag bits.
inline constexpr uint32_t kAllFlags = (1u << btc::SCRIPT_VERIFY_FLAG_BITS) - 1;

// Random flag sets for Core's "adding/removing flags does not change the
// verdict" checks; seeded so that runs are reproducible.
class FlagRng {
 public:
  explicit FlagRng(uint64_t seed) : rng_(seed) {}
  uint32_t next() { return static_cast<uint32_t>(rng_()) & kAllFlags; }

 private:
  std::mt19937_64 rng_;
};

}  // namespace ladder::test
