// Migrations on the client's side (DESIGN §6): the policy picks the way out
// of a dying factory, the option's flow drives the old channel, its output
// is applied here, and when the flow is done the old factory is left.
#include "client/client.h"

namespace ladder::client {

migrate::LegContext Client::leg_context(const Membership& m) const {
  migrate::LegContext c;
  const auto& h = m.heights();
  c.old_timeout = h.timeout;
  c.x_old = h.x;
  c.cutoff = m.tree->params().reveal_cutoff;
  c.max_depth = m.tree->params().max_client_depth;
  c.depth = config_.policy.depth;
  return c;
}

migrate::ClientPolicy Client::migration_policy() const {
  migrate::ClientPolicy p;
  p.max_fee = config_.policy.max_fee_base;
  p.depth = config_.policy.depth;
  p.max_wait = config_.policy.max_wait;
  p.handover = config_.policy.hand_over;
  return p;
}

Status Client::start_migration(uint64_t factory_id, migrate::MigrationOption option) {
  if (migration_) return make_error("client.busy", "a migration is in flight");
  auto it = memberships_.find(factory_id);
  if (it == memberships_.end() || !it->second.channel) return make_error("client.unknown-factory", "not in that factory");
  Membership& m = it->second;
  LADDER_ASSIGN(auto factory_key, keys_.factory_key(m.key_index));
  ClientMigration cm;
  cm.id = host_.random.bytes32();
  cm.factory = factory_id;
  cm.option = option;
  migrate::MigrateRequest request;
  switch (option) {
    case migrate::MigrationOption::ptlc_exit: {
      LADDER_ASSIGN(auto index, ledger_.reserve_next_index());
      LADDER_ASSIGN(auto fresh, keys_.factory_key(index));
      migrate::PtlcExitClientConfig cfg{cm.id,   factory_id,       &*m.channel,     factory_key, fresh,
                                        wallet_.script(), migration_policy(), leg_context(m), &ledger_};
      LADDER_ASSIGN(auto started, migrate::PtlcExitClient::start(std::move(cfg)));
      cm.ptlc_exit.emplace(std::move(started.first));
      request = std::move(started.second);
      break;
    }
    default: return make_error("client.option-unavailable", std::string("option ") + migrate::to_string(option));
  }
  send_to_lsp(request);
  event("client.migration-requested", factory_id, request.amount, migrate::to_string(option));
  migration_.emplace(std::move(cm));
  mark("client/migration", {});
  return ok();
}

Status Client::on_migration_message(const migrate::Message& msg) {
  if (!migration_ || migrate::id_of(msg) != migration_->id)
    return make_error("client.unknown-migration", "no such migration in flight");
  ClientMigration& cm = *migration_;
  if (auto* r = std::get_if<migrate::MigrateReject>(&msg)) {
    event("client.migration-rejected", cm.factory, 0, r->code + ": " + r->message);
    migration_.reset();
    mark("client/migration", {});
    return ok();
  }
  if (cm.ptlc_exit) {
    auto& flow = *cm.ptlc_exit;
    if (auto* t = std::get_if<migrate::MigrateTerms>(&msg)) {
      LADDER_ASSIGN(auto out, flow.on_terms(*t, height_));
      return apply_flow(std::move(out));
    }
    if (auto* o = std::get_if<migrate::ClaimOffer>(&msg)) {
      LADDER_ASSIGN(auto out, flow.on_claim_offer(*o));
      return apply_flow(std::move(out));
    }
    if (auto* p = std::get_if<migrate::ClaimAdaptorPartial>(&msg)) {
      LADDER_ASSIGN(auto out, flow.on_adaptor_partial(*p));
      return apply_flow(std::move(out));
    }
  }
  return make_error("client.unexpected-message", "migration message not expected now");
}

Status Client::apply_flow(migrate::FlowOutput out) {
  ClientMigration& cm = *migration_;
  for (auto& msg : out.to_peer) send_to_lsp(migrate::from_migration_message(std::move(msg)));
  for (auto& cs : out.channel) {
    send_to_lsp(migrate::from_channel_message(std::move(cs.message)));
    for (auto& [fid, m] : memberships_)
      if (m.channel && m.channel->id() == cs.channel) LADDER_TRY(sign_if_needed(m));
  }
  for (auto& tx : out.broadcast) pending_.broadcast(std::move(tx), "client-claim", cm.factory);
  for (const auto& op : out.watch_outpoints) pending_.watch_outpoint(op);
  for (const auto& txid : out.watch_txids) pending_.watch_txid(txid);
  bool done = false;
  for (const auto& e : out.events) {
    event(std::string("client.migration.") + migrate::to_string(e.kind), cm.factory, 0, e.code);
    done |= e.kind == migrate::FlowEventKind::done;
  }
  mark("client/migration", {});
  if (done) finish_migration();
  return ok();
}

void Client::finish_migration() {
  ClientMigration& cm = *migration_;
  auto it = memberships_.find(cm.factory);
  if (it != memberships_.end() && it->second.channel) {
    Membership& m = it->second;
    const auto& spec = m.channel->local_commitment().spec;
    btc::Amount own = spec.to_holder;
    for (const auto& l : spec.locks)
      if (l.offered_by_holder) own += l.lock.amount;
    if (own == 0) {
      // Nothing of ours is left in the old factory: forget it (and so does the tower).
      if (config_.tower) {
        migrate::TowerUpdate u;
        u.seq = ++tower_seq_;
        u.factory_id = m.factory_id;
        u.forget = true;
        tower_unacked_.insert(u.seq);
        pending_.send(*config_.tower, std::move(u));
      }
      event("client.left-factory", m.factory_id);
      memberships_.erase(it);
    }
  }
  migration_.reset();
  mark("client/migration", {});
}

// The policy's choice when the client finds its factory dying.
void Client::maybe_migrate() {
  if (migration_ || joining_) return;
  for (auto& [fid, m] : memberships_) {
    if (!m.channel || height_ < m.heights().end_active) continue;
    Status s = start_migration(fid, migrate::MigrationOption::ptlc_exit);
    if (!s) fail(s.error());
    return;
  }
}

Status Client::migration_on_tip() {
  if (!migration_ || !migration_->ptlc_exit) return ok();
  return apply_flow(migration_->ptlc_exit->on_tip(height_));
}

Status Client::migration_on_tx(const btc::Transaction& tx, std::optional<uint32_t> height) {
  if (!migration_ || !migration_->ptlc_exit) return ok();
  return apply_flow(migration_->ptlc_exit->on_tx(tx, height));
}

Status Client::migration_on_channel_events(Membership& m) {
  auto events = m.channel->drain_events();
  if (!migration_ || migration_->factory != m.factory_id) return ok();
  for (const auto& e : events) {
    if (!migration_) break;  // finished by an earlier event
    if (migration_->ptlc_exit) LADDER_TRY(apply_flow(migration_->ptlc_exit->on_old_channel_event(e)));
  }
  return ok();
}

}  // namespace ladder::client
