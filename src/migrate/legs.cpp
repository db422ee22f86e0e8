#include "migrate/legs.h"

#include <algorithm>
#include <string>

namespace ladder::migrate {

namespace {

Error leg_error(const char* code, const std::string& what, uint64_t got, uint64_t bound) {
  return make_error(code, what + " (" + std::to_string(got) + " vs " + std::to_string(bound) + ")");
}

Status check_depth(const LegContext& ctx) {
  if (ctx.depth < 1 || ctx.depth > ctx.max_depth)
    return make_error("migrate.bad-depth", "depth " + std::to_string(ctx.depth) + " outside [1, " +
                                               std::to_string(ctx.max_depth) + "]");
  return ok();
}

uint64_t min_t_new(const LegContext& ctx) { return uint64_t{ctx.now} + ctx.x_new; }
uint64_t min_t_on(const LegContext& ctx) { return uint64_t{ctx.batch_height} + ctx.depth + ctx.cutoff; }
// TO_new − X_new, or no bound.
std::optional<uint64_t> max_t_new(const LegContext& ctx) {
  if (!ctx.new_timeout) return std::nullopt;
  return *ctx.new_timeout >= ctx.x_new ? uint64_t{*ctx.new_timeout} - ctx.x_new : 0;
}
uint64_t max_t_in(const LegContext& ctx) {
  return ctx.old_timeout >= ctx.x_old ? uint64_t{ctx.old_timeout} - ctx.x_old : 0;
}

}  // namespace

Expected<Legs> earliest_legs(const LegContext& ctx) {
  LADDER_TRY(check_depth(ctx));
  Legs legs;
  uint64_t second = 0;
  if (ctx.second == SecondLeg::new_factory) {
    // The rule's minimum now + X_new would leave the receiver no block in
    // which the reveal cutoff (tip + X_new + c ≤ T_new) allows a reveal:
    // propose c more, so it may reveal up to `now` itself.
    second = min_t_new(ctx) + ctx.cutoff;
    if (auto hi = max_t_new(ctx); hi && second > *hi)
      return leg_error("migrate.t-new-too-late", "T_new above TO_new - X_new", second, *hi);
    legs.t_new = static_cast<uint32_t>(second);
  } else {
    second = min_t_on(ctx);
    legs.t_on = static_cast<uint32_t>(second);
  }
  const uint64_t t_in = second + ctx.x_old;
  if (t_in > max_t_in(ctx)) return leg_error("migrate.t-in-too-late", "T_in above TO - X_old", t_in, max_t_in(ctx));
  legs.t_in = static_cast<uint32_t>(t_in);
  return legs;
}

Status check_legs(const LegContext& ctx, const Legs& legs) {
  LADDER_TRY(check_depth(ctx));
  const bool new_factory = ctx.second == SecondLeg::new_factory;
  const std::optional<uint32_t>& expected = new_factory ? legs.t_new : legs.t_on;
  const std::optional<uint32_t>& unexpected = new_factory ? legs.t_on : legs.t_new;
  if (!expected) return make_error("migrate.leg-missing", new_factory ? "no T_new" : "no T_on");
  if (unexpected) return make_error("migrate.leg-unexpected", new_factory ? "T_on given" : "T_new given");
  if (new_factory) {
    if (*legs.t_new < min_t_new(ctx))
      return leg_error("migrate.t-new-too-early", "T_new below now + X_new", *legs.t_new, min_t_new(ctx));
    if (auto hi = max_t_new(ctx); hi && *legs.t_new > *hi)
      return leg_error("migrate.t-new-too-late", "T_new above TO_new - X_new", *legs.t_new, *hi);
  } else if (*legs.t_on < min_t_on(ctx)) {
    return leg_error("migrate.t-on-too-early", "T_on below batch height + d + c", *legs.t_on, min_t_on(ctx));
  }
  const uint64_t lo = uint64_t{*expected} + ctx.x_old;
  if (legs.t_in < lo) return leg_error("migrate.t-in-too-early", "T_in below max(T_on, T_new) + X_old", legs.t_in, lo);
  if (legs.t_in > max_t_in(ctx))
    return leg_error("migrate.t-in-too-late", "T_in above TO - X_old", legs.t_in, max_t_in(ctx));
  return ok();
}

bool may_reveal_in_factory(uint32_t tip, uint32_t x, uint32_t cutoff, uint32_t expiry) {
  return uint64_t{tip} + x + cutoff <= expiry;
}

bool may_reveal_on_chain(uint32_t tip, uint32_t cutoff, uint32_t t_on) { return uint64_t{tip} + cutoff <= t_on; }

Status check_reveal_in_factory(uint32_t tip, uint32_t x, uint32_t cutoff, uint32_t expiry) {
  if (may_reveal_in_factory(tip, x, cutoff, expiry)) return ok();
  return leg_error("migrate.past-reveal-cutoff", "tip + X + c above the leg's expiry", uint64_t{tip} + x + cutoff,
                   expiry);
}

Status check_reveal_on_chain(uint32_t tip, uint32_t cutoff, uint32_t t_on) {
  if (may_reveal_on_chain(tip, cutoff, t_on)) return ok();
  return leg_error("migrate.past-reveal-cutoff", "tip + c above T_on", uint64_t{tip} + cutoff, t_on);
}

namespace {

// Checks one commitment's content from the client's side: `client_is_holder`
// tells whose commitment it is. Returns whether the leg is on it.
Expected<bool> check_commitment(const channel::CommitmentSpec& spec, bool client_is_holder,
                                const std::optional<MigrationLock>& leg) {
  const btc::Amount own = client_is_holder ? spec.to_holder : spec.to_counterparty;
  if (own != 0) return make_error("migrate.own-balance", "own balance " + std::to_string(own) + " on a commitment");
  bool found = false;
  for (const auto& sl : spec.locks) {
    const bool offered_by_client = sl.offered_by_holder == client_is_holder;
    if (leg && offered_by_client && sl.lock.kind == leg->kind && sl.lock.id == leg->id) {
      found = true;
      continue;
    }
    return make_error("migrate.other-lock", std::string(offered_by_client ? "outgoing" : "incoming") + " lock " +
                                                std::to_string(sl.lock.id) + " besides the migration leg");
  }
  return found;
}

}  // namespace

Status check_reveal_conditions(const channel::Channel& old_channel, const std::optional<MigrationLock>& leg) {
  // Quiescent means nothing proposed, unsigned or unrevoked on either side:
  // the two current commitments are the irrevocably committed ones.
  if (!old_channel.is_quiescent()) return make_error("migrate.not-quiescent", "the old channel is not quiescent");
  LADDER_ASSIGN(const bool on_local, check_commitment(old_channel.local_commitment().spec, true, leg));
  LADDER_ASSIGN(const bool on_remote, check_commitment(old_channel.remote_commitment().spec, false, leg));
  if (leg && !(on_local && on_remote))
    return make_error("migrate.leg-not-committed", "the migration leg is not on both commitments");
  return ok();
}

Status check_reveal_preconditions(const channel::Channel& old_channel, const std::optional<MigrationLock>& leg) {
  LADDER_ASSIGN(const bool found, check_commitment(old_channel.latest_spec(), true, leg));
  if (leg && !found) return make_error("migrate.leg-not-committed", "the migration leg is not in the channel");
  return ok();
}

namespace {

// Whether `record` (held by `lsp_is_holder`'s side) carries the offerer's
// presig for the peer's lock `lock_id` on the binding `outpoint`.
bool presig_held(const channel::CommitmentRecord& record, bool lsp_is_holder, uint64_t lock_id,
                 const btc::OutPoint& outpoint) {
  const auto held = record.by_binding.find(outpoint);
  if (held == record.by_binding.end()) return false;
  const auto& locks = record.spec.locks;
  for (size_t i = 0; i < locks.size(); ++i) {
    const bool offered_by_peer = locks[i].offered_by_holder != lsp_is_holder;
    if (offered_by_peer && locks[i].lock.id == lock_id && locks[i].lock.kind == channel::LockKind::ptlc)
      return i < held->second.presigs.size() && held->second.presigs[i].has_value();
  }
  return false;
}

}  // namespace

Status check_ptlc_presigs_held(const channel::Channel& lsp_side, uint64_t lock_id) {
  const btc::OutPoint& op = lsp_side.binding().outpoint;
  if (!presig_held(lsp_side.local_commitment(), true, lock_id, op) ||
      !presig_held(lsp_side.remote_commitment(), false, lock_id, op))
    return make_error("migrate.presig-missing", "no verified adaptor signature for the PTLC on both commitments");
  return ok();
}

}  // namespace ladder::migrate
