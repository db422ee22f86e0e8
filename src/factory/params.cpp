#include "factory/params.h"

#include <algorithm>

namespace ladder::factory {

std::string to_string(TimeoutMode m) { return m == TimeoutMode::clients ? "clients" : "lsp"; }

Expected<TimeoutMode> parse_timeout_mode(std::string_view s) {
  if (s == "clients" || s == "inverted") return TimeoutMode::clients;
  if (s == "lsp" || s == "classic") return TimeoutMode::lsp;
  return make_error("factory.bad-params", "timeout mode must be 'clients' or 'lsp', got '" + std::string(s) + "'");
}

FactoryParams FactoryParams::test_chain() {
  FactoryParams p;
  p.step = 6;
  p.active_blocks = 144;
  p.dying_blocks = 36;
  p.confirm_allowance = 2;
  p.fee_bump_allowance = 6;
  p.margin = 6;
  p.reveal_cutoff = 6;
  p.max_client_depth = 1;
  p.batch_wait = 6;
  p.to_self_delay = 6;
  p.lstock_csv = 6;
  return p;
}

uint32_t enforcement_time(const FactoryParams& p, const LevelCounts& levels) {
  uint32_t dw_wait = 0;
  if (levels.dw_levels > 0) {
    dw_wait += p.step * (p.leaf_states - 1);
    dw_wait += (levels.dw_levels - 1) * p.step * (p.interior_states - 1);
  }
  // Static txs, each DW level's kickoff and state, the commitment and the claim.
  uint32_t txs = levels.static_levels + 2 * levels.dw_levels + 2;
  return dw_wait + p.confirm_allowance * txs + std::max(p.to_self_delay, p.lstock_csv) + p.fee_bump_allowance +
         p.margin;
}

Heights compute_heights(const FactoryParams& p, const LevelCounts& levels, uint32_t birth) {
  Heights h;
  h.birth = birth;
  h.x = enforcement_time(p, levels);
  h.end_active = birth + p.active_blocks;
  h.end_dying = h.end_active + p.dying_blocks;
  uint32_t x_new = p.max_target_x ? p.max_target_x : h.x;
  uint32_t onchain_leg = p.batch_wait + p.max_client_depth + p.reveal_cutoff;
  h.timeout = h.end_dying + 2 * h.x + std::max(x_new, onchain_leg) + p.margin;
  return h;
}

Status validate(const FactoryParams& p, const LevelCounts& levels) {
  auto bad = [](std::string m) { return make_error("factory.bad-params", std::move(m)); };
  if (p.clients_per_leaf < 1 || p.clients_per_leaf > 16) return bad("clients per leaf must be 1..16");
  if (p.interior_arity < 2 || p.interior_arity > 16) return bad("interior arity must be 2..16");
  if (p.static_arity < 2 || p.static_arity > 64) return bad("static arity must be 2..64");
  if (p.leaf_states < 2 || p.interior_states < 2) return bad("a DW node needs at least 2 states");
  if (p.step < 1) return bad("DW step must be at least 1 block");
  // nSequence height locks hold 16 bits.
  if (uint64_t{p.step} * (std::max(p.leaf_states, p.interior_states) - 1) > 0xffff)
    return bad("step × (states − 1) exceeds the 16-bit relative lock");
  if (p.to_self_delay < 1 || p.to_self_delay > 0xffff || p.lstock_csv < 1 || p.lstock_csv > 0xffff)
    return bad("to_self_delay and L-stock CSV must be 1..65535");
  if (p.active_blocks < 1 || p.dying_blocks < 1) return bad("active and dying periods must be non-empty");
  if (p.fee_rate_sat_per_kvb < 100) return bad("fee rate below 0.1 sat/vB would not relay");
  if (p.anchor_value < 0 || p.dust_limit < 0) return bad("negative anchor or dust limit");
  if (p.min_channel_capacity < p.dust_limit) return bad("minimum channel capacity is below the dust limit");
  uint32_t x = enforcement_time(p, levels);
  if (x > kMaxEnforcementTime)
    return make_error("factory.x-too-large", "enforcement time X = " + std::to_string(x) + " blocks exceeds " +
                                                 std::to_string(kMaxEnforcementTime));
  if (p.max_target_x > kMaxEnforcementTime)
    return make_error("factory.x-too-large", "target factories' X exceeds 2016 blocks");
  return ok();
}

Status check_heights(const FactoryParams& p, const LevelCounts& levels, const Heights& given) {
  Heights want = compute_heights(p, levels, given.birth);
  auto mismatch = [](const char* what, uint32_t got, uint32_t expect) {
    return make_error("factory.bad-heights", std::string(what) + " is " + std::to_string(got) + ", parameters imply " +
                                                 std::to_string(expect));
  };
  if (given.x != want.x) return mismatch("X", given.x, want.x);
  if (given.end_active != want.end_active) return mismatch("end of active period", given.end_active, want.end_active);
  if (given.end_dying != want.end_dying) return mismatch("end of dying period", given.end_dying, want.end_dying);
  if (given.timeout != want.timeout) return mismatch("TO", given.timeout, want.timeout);
  return ok();
}

}  // namespace ladder::factory
