// Factory parameters, the enforcement time X, the timeout TO and the
// lifecycle heights (DESIGN §2, §10).
//
// FactoryParams is a plain value agreed at construction; every client
// receives it with the heights and recomputes both (check_heights) before it
// signs anything. validate() rejects shapes DESIGN calls unsafe: X above
// 2016 blocks, an inconsistent lifecycle, sub-dust or empty channels.
// All heights are absolute block heights; durations are in blocks.
#pragma once

#include <cstdint>
#include <string>

#include "btc/amount.h"
#include "util/expected.h"

namespace ladder::factory {

enum class TimeoutMode : uint8_t {
  clients = 0,  // inverted timeout (default): distribution txs pay clients at TO
  lsp = 1,      // classic timeout tree: <TO> CLTV DROP <L> CHECKSIG leaves
};

std::string to_string(TimeoutMode m);
Expected<TimeoutMode> parse_timeout_mode(std::string_view s);

struct FactoryParams {
  // Shape.
  uint32_t clients_per_leaf = 2;      // k
  uint32_t interior_arity = 2;        // a_i: children of an interior DW node
  uint32_t interior_dw_levels = 1;    // DW levels above the leaf level
  uint32_t static_arity = 4;          // a_s: outputs of a static tx
  // DW state counts and the nSequence step.
  uint32_t leaf_states = 4;
  uint32_t interior_states = 4;
  uint32_t step = 144;
  // Lifetimes.
  uint32_t active_blocks = 4320;
  uint32_t dying_blocks = 432;
  // Enforcement allowances (X) and migration windows (TO).
  uint32_t confirm_allowance = 6;     // a: blocks allowed per tx to confirm
  uint32_t fee_bump_allowance = 36;   // f
  uint32_t margin = 36;               // m
  uint32_t reveal_cutoff = 36;        // c
  uint32_t max_client_depth = 6;      // d_max: largest depth a client may choose
  uint32_t batch_wait = 144;          // B: L's longest batch wait
  uint32_t max_target_x = 0;          // X_new; 0 = this factory's own X
  uint32_t to_self_delay = 144;       // channel CSV on one's own claims
  uint32_t lstock_csv = 144;          // L-stock script-path CSV
  TimeoutMode mode = TimeoutMode::clients;
  // Fees and dust.
  btc::Amount fee_rate_sat_per_kvb = 2000;  // endogenous fee of pre-signed txs
  btc::Amount anchor_value = 240;           // P2A anchor on every pre-signed tx
  btc::Amount dust_limit = 330;             // P2TR dust
  btc::Amount min_channel_capacity = 10'000;

  bool operator==(const FactoryParams&) const = default;

  // Defaults scaled down for test chains (DESIGN §10 "test chains" column).
  static FactoryParams test_chain();
};

// Number of tree levels of each kind on every path (the tree is balanced).
struct LevelCounts {
  uint32_t static_levels = 0;
  uint32_t dw_levels = 0;  // interior DW levels + the leaf level
};

// X = Σ_DW levels step·(S−1) + a·(tree txs on a path + commitment + claim)
//     + max(to_self_delay, lstock_csv) + f + m          (DESIGN §2)
uint32_t enforcement_time(const FactoryParams& p, const LevelCounts& levels);

// The lifecycle of one factory.
struct Heights {
  uint32_t birth = 0;
  uint32_t end_active = 0;  // dying period starts
  uint32_t end_dying = 0;   // gone: L resolves whoever is left
  uint32_t timeout = 0;     // TO
  uint32_t x = 0;           // this factory's enforcement time
  bool operator==(const Heights&) const = default;
};

// TO = end of dying + 2·X_old + max(X_new, B + d_max + c) + m.
Heights compute_heights(const FactoryParams& p, const LevelCounts& levels, uint32_t birth);

inline constexpr uint32_t kMaxEnforcementTime = 2016;

// Rejects unsafe or unusable parameters ("factory.bad-params") and an X above
// 2016 blocks ("factory.x-too-large").
Status validate(const FactoryParams& p, const LevelCounts& levels);

// A client's check of the heights it was given (DESIGN §2 (R)): each must be
// what the parameters imply ("factory.bad-heights").
Status check_heights(const FactoryParams& p, const LevelCounts& levels, const Heights& given);

}  // namespace ladder::factory
