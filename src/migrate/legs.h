// Migration legs: the timeout arithmetic every migration is checked against,
// the reveal cutoff, and the client's reveal conditions (DESIGN §6, all (R)).
//
// A migration moves a client's old-channel balance through two legs: the
// old-factory leg (an HTLC or PTLC A→L in the client's old channel, expiry
// T_in) and a second leg — a lock L→A in the client's channel in a newer
// factory (expiry T_new, options 1 and 3b) or an on-chain output O whose
// refund to L opens at T_on (options 2 and 3). The rules:
//   T_new ≥ now + X_new
//   T_on  ≥ promised batch height + d + c        (1 ≤ d ≤ d_max)
//   T_in  ≥ max(T_on, T_new) + X_old   and   T_in ≤ TO_old − X_old
// where `now` is the height the migration starts (option 3b: the height at
// which the new factory's funding has the client's depth and the client
// holds its exit path there). L proposes legs (earliest_legs), the client
// checks them (check_legs) and L checks again whatever a client offers, so
// both sides refuse violations with the same error.
//
// Reveal cutoff: the receiver of a leg reveals its preimage or scalar only
// while it still has time to enforce the leg — in-factory: tip + X + c ≤ T;
// on-chain: tip + c ≤ T_on. Past it, the receiver abandons and recovers at
// T_in.
//
// Reveal conditions: a client reveals its old factory key (handover, or a
// claim whose adaptor point is that key) only when the latest irrevocably
// committed commitments of its old channel — its own and the peer's current
// one, nothing pending — show zero own balance and no HTLC/PTLC other than
// the migration leg, and the channel is quiescent (both sides sent stfu).
//
// Thread-safety: pure functions over values. Failure codes:
// "migrate.bad-depth", "migrate.leg-missing", "migrate.leg-unexpected",
// "migrate.t-new-too-early", "migrate.t-new-too-late", "migrate.t-on-too-early",
// "migrate.t-in-too-early", "migrate.t-in-too-late", "migrate.past-reveal-cutoff",
// "migrate.not-quiescent", "migrate.own-balance",
// "migrate.other-lock", "migrate.leg-not-committed", "migrate.presig-missing".
#pragma once

#include <cstdint>
#include <optional>

#include "channel/channel.h"

namespace ladder::migrate {

// Which kind of second leg a migration has.
enum class SecondLeg : uint8_t {
  new_factory,  // options 1 and 3b: a lock L→A in a newer factory, expiry T_new
  on_chain,     // options 2 and 3: an output O, refund to L at T_on
};

struct LegContext {
  SecondLeg second = SecondLeg::on_chain;
  uint32_t now = 0;             // the height the migration starts
  uint32_t old_timeout = 0;     // TO of the old factory
  uint32_t x_old = 0;           // X of the old factory
  uint32_t x_new = 0;           // X of the new factory (new_factory only)
  std::optional<uint32_t> new_timeout;  // TO of the new factory: T_new ≤ TO_new − X_new
  uint32_t batch_height = 0;    // L's promised batch broadcast height (on_chain only)
  uint32_t depth = 3;           // the client's chosen confirmation depth d
  uint32_t max_depth = 6;       // d_max
  uint32_t cutoff = 36;         // c
};

struct Legs {
  std::optional<uint32_t> t_new;
  std::optional<uint32_t> t_on;
  uint32_t t_in = 0;
  bool operator==(const Legs&) const = default;
};

// The earliest legs that satisfy every rule and leave the receiver of the
// second leg a block to reveal in: T_new = now + X_new + c (the rule's
// minimum now + X_new alone would put `now` past the reveal cutoff), T_on =
// batch height + d + c, T_in = max(T_on, T_new) + X_old. Or the error naming
// the rule no legs can satisfy (e.g. "migrate.t-in-too-late" when the old
// factory is too close to TO for any migration).
Expected<Legs> earliest_legs(const LegContext& ctx);

// Checks `legs` against every rule.
Status check_legs(const LegContext& ctx, const Legs& legs);

// The reveal cutoff for an in-factory leg of expiry `expiry` in a factory of
// enforcement time `x`: tip + x + c ≤ expiry.
bool may_reveal_in_factory(uint32_t tip, uint32_t x, uint32_t cutoff, uint32_t expiry);
// The reveal cutoff for an on-chain output refundable at t_on: tip + c ≤ t_on.
bool may_reveal_on_chain(uint32_t tip, uint32_t cutoff, uint32_t t_on);
// The same as Status: "migrate.past-reveal-cutoff".
Status check_reveal_in_factory(uint32_t tip, uint32_t x, uint32_t cutoff, uint32_t expiry);
Status check_reveal_on_chain(uint32_t tip, uint32_t cutoff, uint32_t t_on);

// The migration leg in the client's old channel: a lock the client offered.
struct MigrationLock {
  channel::LockKind kind = channel::LockKind::ptlc;
  uint64_t id = 0;
};

// The client's reveal conditions (R), checked on the client's side of its
// old channel. `leg` is the migration lock that may remain (options 3/3b);
// when given it must be on both irrevocably committed commitments
// ("migrate.leg-not-committed"). Options 1 and 2 (handover) pass none.
Status check_reveal_conditions(const channel::Channel& old_channel, const std::optional<MigrationLock>& leg);

// The balance and lock conditions on the channel's latest state (every known
// update applied), which a client checks before it asks for quiescence: a
// failure here means there is something to resolve first. Not a substitute
// for check_reveal_conditions.
Status check_reveal_preconditions(const channel::Channel& old_channel, const std::optional<MigrationLock>& leg);

// L's side, before it relies on an incoming migration PTLC (options 3/3b):
// the PTLC `lock_id` the peer offered is on both current commitments for the
// active binding and L holds the offerer's verified adaptor signature for
// its success tx on each ("migrate.presig-missing"), so that L can take the
// PTLC on chain once it knows the scalar, whichever commitment is published.
Status check_ptlc_presigs_held(const channel::Channel& lsp_side, uint64_t lock_id);

}  // namespace ladder::migrate
