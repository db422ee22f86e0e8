// Migration terms: L's proposal for a client's MigrateRequest and the
// client's check of it, shared by every option (DESIGN §6).
//
// L (propose_terms) checks the request against its own view of the old
// channel — the amount must be the client's whole balance there — and
// proposes the earliest legs (legs.h) from `now` = its tip + start_slack
// (room for the messages' round trip) and, for options 2/3, its promised
// batch height. The client (check_terms) checks that the terms answer its
// request, that the fee and the waits are within its policy, and the legs
// against its own view: the old factory's TO and X, the new factory's, its
// depth, and its tip. Both sides thus refuse legs that break the rules with
// the same codes.
//
// Thread-safety: pure functions. Failure: "migrate.wrong-migration",
// "migrate.bad-request", "migrate.amount-mismatch", "migrate.amount-too-small",
// "migrate.fee-too-high", "migrate.stale-terms", "migrate.batch-too-late",
// "migrate.claim-fee-rate", and the leg errors of legs.h.
#pragma once

#include "migrate/legs.h"
#include "migrate/messages.h"

namespace ladder::migrate {

struct ClientPolicy {
  btc::Amount max_fee = 10'000;        // the most L may take for a migration
  uint32_t depth = 3;                  // d: confirmations the client waits for
  uint32_t max_wait = 144;             // latest start / batch height, from the client's tip
  btc::Amount max_claim_fee_rate = 100'000;  // sat/kvB a claim may spend from O
  bool handover = true;                // agrees to hand its old factory key over (options 1/2)
};

struct LspPolicy {
  btc::Amount base_fee = 1'000;
  uint32_t fee_ppm = 1'000;
  uint32_t start_slack = 3;            // `now` = tip + start_slack
  btc::Amount claim_fee_rate = 2'000;  // of the first claim version (options 2/3)
  btc::Amount dust_limit = 330;
  btc::Amount fee_for(btc::Amount amount) const { return base_fee + amount * fee_ppm / 1'000'000; }
};

// `ctx` carries the factories' heights (old TO and X, new TO and X, c,
// d_max); propose_terms fills the rest. `client_balance` is the client's
// balance in L's view of the old channel; `batch_height` is L's promise
// (options 2/3); `lsp_key` L's key in O (options 2/3).
Expected<MigrateTerms> propose_terms(const MigrateRequest& req, btc::Amount client_balance, const LspPolicy& policy,
                                     LegContext ctx, uint32_t tip, uint32_t batch_height,
                                     const std::optional<crypto::PubKey>& lsp_key);

Status check_terms(const MigrateRequest& req, const MigrateTerms& terms, const ClientPolicy& policy, LegContext ctx,
                   uint32_t tip);

// The leg context the terms were computed in (ctx's factory fields kept).
LegContext leg_context(const MigrateRequest& req, const MigrateTerms& terms, LegContext ctx);

}  // namespace ladder::migrate
