// The channel side of a departure reallocation (DESIGN §3.3, §6): which
// outpoint each surviving channel moves to, the RebindCheck that keeps a
// signer's top partial until its channel is re-bound (R: children-first),
// and the present client's review of a reallocation it is asked to sign.
//
// Sequence per surviving channel with a present client, both sides driving
// channel::Channel (channel.h): L request_quiescence → client on_stfu →
// L on_stfu; L propose_rebind(new binding) → client on_rebind_propose →
// L on_rebind_signed → client on_rebind_complete. Each side's RebindCheck
// then accepts; after the top signature both call activate_rebind() and
// resume(). A re-binding that is withheld leaves that side's check failing,
// so it never releases its top partial and the new leaf state cannot exist.
//
// Insured amount (§3.2): the reallocated value goes to the L-stock, whose
// leaf-level distributions pay a share of it to the present client, but the
// distributions of the outputs above the leaf's were signed earlier and are
// never re-signed (R), so Insured(C) — the least C is paid by any
// distribution on its path — stays capped by them and does not grow with
// the reallocated value. The review gives the client's agent every figure.
//
// Thread-safety: pure functions; the RebindCheck holds raw channel pointers
// the caller keeps alive until the update ends. Failure:
// "migrate.not-rebound", "migrate.capacity-changed", "migrate.not-a-signer",
// factory errors.
#pragma once

#include <vector>

#include "channel/channel.h"
#include "factory/update.h"

namespace ladder::migrate {

// Where `client`'s channel sits in `tree` (its current state).
Expected<channel::Binding> channel_binding(factory::Tree& tree, uint32_t client);

struct ExpectedRebind {
  const channel::Channel* channel = nullptr;
  channel::Binding binding;  // the outpoint and value the update gives it
};

// Accepts only when every channel holds its complete re-binding for exactly
// its new binding ("migrate.not-rebound" naming the first that does not).
factory::RebindCheck require_rebound(std::vector<ExpectedRebind> channels);

// What a present client checks and learns before signing a reallocation.
struct ReallocationReview {
  factory::UpdateExpectations expect;  // its capacity stays as it is
  channel::Binding new_binding;        // its channel's outpoint in the new state
  btc::Amount insured_before = 0;      // Insured(C) now
  btc::Amount insured_after = 0;       // and in the new state: min(path_payout, leaf_payout_after)
  btc::Amount path_payout = 0;         // least paid to C by the distributions above the leaf's outputs (unchanged)
  btc::Amount leaf_payout_before = 0;  // what the leaf's output distributions pay C now
  btc::Amount leaf_payout_after = 0;   // and after (its L-stock share grows)
};

// "migrate.not-a-signer" if `self` is not below the updated node;
// "migrate.capacity-changed" if its channel's capacity would change.
Expected<ReallocationReview> review_reallocation(const factory::Tree& current, const factory::UpdateProposal& p,
                                                 uint32_t self);

}  // namespace ladder::migrate
