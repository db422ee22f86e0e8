#include "migrate/terms.h"

#include <string>

namespace ladder::migrate {

namespace {

bool on_chain(MigrationOption o) { return second_leg_of(o) == SecondLeg::on_chain; }

Status check_request(const MigrateRequest& req) {
  const bool needs_new = second_leg_of(req.option) == SecondLeg::new_factory;
  if (needs_new && req.new_factory == req.old_factory)
    return make_error("migrate.bad-request", "the new channel must be in another factory");
  if (on_chain(req.option) && (!req.fresh_key || req.claim_script.empty()))
    return make_error("migrate.bad-request", "an on-chain leg needs a fresh key and a claim script");
  return ok();
}

}  // namespace

LegContext leg_context(const MigrateRequest& req, const MigrateTerms& terms, LegContext ctx) {
  ctx.second = second_leg_of(req.option);
  ctx.now = terms.start_height;
  ctx.batch_height = terms.batch_height;
  ctx.depth = req.depth;
  return ctx;
}

Expected<MigrateTerms> propose_terms(const MigrateRequest& req, btc::Amount client_balance, const LspPolicy& policy,
                                     LegContext ctx, uint32_t tip, uint32_t batch_height,
                                     const std::optional<crypto::PubKey>& lsp_key) {
  LADDER_TRY(check_request(req));
  if (req.amount != client_balance)
    return make_error("migrate.amount-mismatch", "the request must move the whole balance, " +
                                                     std::to_string(client_balance) + " sat");
  MigrateTerms t;
  t.id = req.id;
  t.fee = policy.fee_for(req.amount);
  t.out_amount = req.amount - t.fee;
  if (t.out_amount < policy.dust_limit)
    return make_error("migrate.amount-too-small", "nothing left after L's fee of " + std::to_string(t.fee));
  t.start_height = tip + policy.start_slack;
  if (on_chain(req.option)) {
    if (!lsp_key) return make_error("migrate.bad-request", "L's key in O is missing");
    t.batch_height = batch_height;
    t.lsp_key = lsp_key;
    t.claim_fee_rate = policy.claim_fee_rate;
  }
  LADDER_ASSIGN(t.legs, earliest_legs(leg_context(req, t, ctx)));
  return t;
}

Status check_terms(const MigrateRequest& req, const MigrateTerms& t, const ClientPolicy& policy, LegContext ctx,
                   uint32_t tip) {
  if (t.id != req.id) return make_error("migrate.wrong-migration", "terms for another migration");
  if (t.fee < 0 || t.fee > policy.max_fee)
    return make_error("migrate.fee-too-high", "fee " + std::to_string(t.fee) + " sat");
  if (t.out_amount != req.amount - t.fee) return make_error("migrate.amount-mismatch", "amount minus fee differs");
  if (t.start_height < tip || t.start_height > tip + policy.max_wait)
    return make_error("migrate.stale-terms", "start height " + std::to_string(t.start_height) + " at tip " +
                                                 std::to_string(tip));
  if (on_chain(req.option)) {
    if (t.batch_height < tip || t.batch_height > tip + policy.max_wait)
      return make_error("migrate.batch-too-late", "batch promised at " + std::to_string(t.batch_height));
    if (!t.lsp_key) return make_error("migrate.bad-request", "L's key in O is missing");
    if (t.claim_fee_rate <= 0 || t.claim_fee_rate > policy.max_claim_fee_rate)
      return make_error("migrate.claim-fee-rate", "claim fee rate " + std::to_string(t.claim_fee_rate));
  }
  if (req.depth != policy.depth) return make_error("migrate.bad-request", "the request's depth is not the policy's");
  return check_legs(leg_context(req, t, ctx), t.legs);
}

}  // namespace ladder::migrate
