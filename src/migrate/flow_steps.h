// Steps every migration flow takes the same way (internal to src/migrate):
// L accepting the client's old-factory lock, L accepting a handover, L
// leaving quiescence on RevealBlocked, and the two on-chain deadlines —
// the client's (its old lock expired unresolved: time it out on chain) and
// L's (it knows the secret but the old lock is unsettled X_old + c before
// T_in: settle it on chain).
//
// Thread-safety: none (they drive the given channel). Failure: channel and
// handover errors, "migrate.wrong-migration".
#pragma once

#include "migrate/flow.h"
#include "migrate/handover.h"

namespace ladder::migrate {

// L's check of the client's lock once it is locked in: the agreed amount and
// expiry, else L fails it back (into `out`) and returns false.
Expected<bool> accept_old_lock(channel::Channel& old_channel, const channel::Lock& lock, btc::Amount amount,
                               uint32_t expiry, FlowOutput& out);

// L's side of a handover: checks and stores the key, acknowledges.
Expected<FlowOutput> take_handover(const Handover& msg, const MigrationId& id, uint64_t factory,
                                   const crypto::PubKey& client_key, KeyVault& vault);

// The client's handover once its old channel holds nothing (options 1/2):
// through the reveal gate, recorded in the ledger (make_handover), sent once.
FlowOutput client_handover(RevealGate& gate, channel::Channel& old_channel, const MigrationId& id, uint64_t factory,
                           const crypto::SecretKey& factory_key, ClientKeyLedger& ledger, bool& sent);

// L leaves quiescence on the old channel when the client's reveal is blocked.
Expected<FlowOutput> leave_quiescence(const RevealBlocked& msg, const MigrationId& id, channel::Channel& old_channel);

// The client's deadline: its old lock still pending at T_in (raised once).
void raise_client_deadline(FlowOutput& out, bool& raised, uint32_t tip, uint32_t t_in,
                           const channel::Channel& old_channel);
// L's deadline: the secret known, the old lock pending, tip + X_old + c ≥ T_in (raised once).
void raise_lsp_deadline(FlowOutput& out, bool& raised, uint32_t tip, const LegContext& legs, uint32_t t_in);

}  // namespace ladder::migrate
