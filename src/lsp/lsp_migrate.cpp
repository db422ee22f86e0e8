// Migrations on L's side (DESIGN §6): each request starts the option's flow
// on the client's old channel; the flow's output is applied here (messages,
// channel updates with their commitments, O for the next batch, txs,
// watches); the channels' events and the chain feed the flows; a learned or
// handed-over key makes the client departed.
#include "crypto/hash.h"
#include "lsp/lsp.h"
#include "migrate/handover.h"

namespace ladder::lsp {

namespace {
std::string flow_word(migrate::FlowEventKind k) { return migrate::to_string(k); }
}  // namespace

migrate::LegContext Lsp::leg_context(const LiveFactory& f) const {
  migrate::LegContext c;
  const auto& h = f.heights();
  c.old_timeout = h.timeout;
  c.x_old = h.x;
  c.cutoff = f.tree->params().reveal_cutoff;
  c.max_depth = f.tree->params().max_client_depth;
  return c;
}

migrate::LspPolicy Lsp::migration_policy() {
  migrate::LspPolicy p;
  p.base_fee = config_.migration_fee_base;
  p.fee_ppm = config_.migration_fee_ppm;
  p.claim_fee_rate = fee_rate();
  p.dust_limit = config_.params.dust_limit;
  return p;
}

Status Lsp::on_migration_message(const core::PeerId& from, const migrate::Message& msg) {
  if (auto* req = std::get_if<migrate::MigrateRequest>(&msg)) return on_migrate_request(from, *req);
  auto it = migrations_.find(migrate::id_of(msg));
  if (it == migrations_.end() || it->second.peer != from)
    return make_error("lsp.unknown-migration", "no such migration of this peer");
  LspMigration& m = it->second;
  if (auto* h = std::get_if<migrate::Handover>(&msg)) return on_handover(m, *h);
  if (m.ptlc_exit) {
    auto& flow = *m.ptlc_exit;
    PendingBatch* pb = m.batch ? &pending_batches_.at(*m.batch) : nullptr;
    if (auto* p = std::get_if<migrate::ClaimPartial>(&msg)) {
      if (!pb) return make_error("lsp.no-batch", "no frozen batch holds this migration's output");
      LADDER_ASSIGN(auto out, flow.on_claim_partial(*p, pb->batch));
      LADDER_TRY(apply_flow(m, std::move(out)));
      return maybe_broadcast(*m.batch);
    }
    if (auto* r = std::get_if<migrate::ClaimResign>(&msg)) {
      if (!pb) return make_error("lsp.no-batch", "the batch holding O was broadcast; L keeps its versions");
      LADDER_ASSIGN(auto out, flow.on_claim_resign(*r, pb->batch));
      return apply_flow(m, std::move(out));
    }
    if (auto* b = std::get_if<migrate::RevealBlocked>(&msg)) {
      LADDER_ASSIGN(auto out, flow.on_reveal_blocked(*b));
      return apply_flow(m, std::move(out));
    }
  }
  return make_error("lsp.unexpected-message", std::string("migration message ") + std::to_string(msg.index()));
}

Status Lsp::on_migrate_request(const core::PeerId& from, const migrate::MigrateRequest& req) {
  auto reject = [&](std::string code, std::string text) -> Status {
    pending_.send(from, migrate::MigrateReject{req.id, code, text});
    return make_error(code, text);
  };
  if (migrations_.count(req.id)) return reject("lsp.duplicate-migration", "that migration id is taken");
  LiveFactory* f = nullptr;
  Member* member = member_by_channel(req.old_channel, &f);
  if (!member || member->peer != from || f->id != req.old_factory)
    return reject("lsp.unknown-channel", "no such channel of this peer in that factory");
  if (f->phase != LiveFactory::Phase::dying)
    return reject("lsp.not-dying", "migrations happen in the factory's dying period");
  if (member->state != Member::State::active) return reject("lsp.busy", "a migration of this channel is in flight");
  LspMigration m;
  m.id = req.id;
  m.peer = from;
  m.factory = f->id;
  m.client = channel_index_.at(req.old_channel).second;
  m.option = req.option;
  migrate::MigrateTerms terms;
  switch (req.option) {
    case migrate::MigrationOption::ptlc_exit: {
      LADDER_ASSIGN(auto client_key, crypto::PubKey::parse(f->tree->terms().clients.at(m.client).key));
      migrate::PtlcExitLspConfig cfg{.old_factory = f->id,
                                     .old_channel = &*member->channel,
                                     .client_key = client_key,
                                     .lsp_key = keys_.migration_key(req.id),
                                     .refund_script = wallet_.script(),
                                     .policy = migration_policy(),
                                     .legs = leg_context(*f),
                                     .refund_fee_rate = fee_rate(),
                                     .store = &host_.store,
                                     .vault = &vault_};
      auto accepted = migrate::PtlcExitLsp::accept(cfg, req, height_, promised_batch_height());
      if (!accepted) return reject(accepted.error().code, accepted.error().message);
      m.ptlc_exit.emplace(std::move(accepted->first));
      terms = std::move(accepted->second);
      break;
    }
    default: return reject("lsp.option-unavailable", std::string("option ") + migrate::to_string(req.option));
  }
  member->state = Member::State::migrating;
  pending_.send(from, terms);
  event("migration.started", f->id, from, req.amount, migrate::to_string(req.option));
  migrations_.emplace(req.id, std::move(m));
  mark("lsp/migration", Bytes(req.id.begin(), req.id.end()));
  return ok();
}

Status Lsp::on_handover(LspMigration& m, const migrate::Handover& h) {
  LiveFactory* f = factory(m.factory);
  LADDER_ASSIGN(auto client_key, crypto::PubKey::parse(f->tree->terms().clients.at(m.client).key));
  LADDER_ASSIGN(auto ack, migrate::accept_handover(h, m.factory, client_key, vault_));
  pending_.send(m.peer, ack);
  depart(*f, m.client);
  return ok();
}

void Lsp::depart(LiveFactory& f, uint32_t client) {
  Member& member = f.members.at(client);
  if (member.state == Member::State::departed) return;
  member.state = Member::State::departed;
  event("client.departed", f.id, member.peer, 0, "L holds the key of client " + std::to_string(client));
  mark("lsp/factory", be64(f.id));
}

// Routes a channel event of `member`'s channel to the migration on it.
Status Lsp::on_channel_events(LiveFactory& f, Member& member) {
  auto events = member.channel->drain_events();
  if (events.empty()) return ok();
  for (auto& [id, m] : migrations_) {
    if (m.finished || m.factory != f.id || &f.members.at(m.client) != &member) continue;
    for (const auto& e : events) {
      if (m.ptlc_exit) {
        LADDER_ASSIGN(auto out, m.ptlc_exit->on_old_channel_event(e));
        LADDER_TRY(apply_flow(m, std::move(out)));
      }
    }
    if (m.ptlc_exit && m.ptlc_exit->batch_output()) LADDER_TRY(queue_output(m));
  }
  return ok();
}

Status Lsp::apply_flow(LspMigration& m, migrate::FlowOutput out) {
  for (auto& msg : out.to_peer) pending_.send(m.peer, migrate::from_migration_message(std::move(msg)));
  for (auto& cs : out.channel) {
    LiveFactory* f = nullptr;
    Member* member = member_by_channel(cs.channel, &f);
    if (!member) return make_error("lsp.unknown-channel", "a flow named a channel L does not have");
    pending_.send(member->peer, migrate::from_channel_message(std::move(cs.message)));
    mark("lsp/channel", Bytes(cs.channel.begin(), cs.channel.end()));
    LADDER_TRY(sign_if_needed(*member));
  }
  for (auto& tx : out.broadcast) pending_.broadcast(std::move(tx), std::string("migration-") + migrate::to_string(m.option), m.factory);
  for (const auto& op : out.watch_outpoints) pending_.watch_outpoint(op);
  for (const auto& txid : out.watch_txids) pending_.watch_txid(txid);
  for (const auto& e : out.events) {
    event("migration." + flow_word(e.kind), m.factory, m.peer, 0, e.code);
    if (e.kind == migrate::FlowEventKind::key_learned) {
      if (LiveFactory* f = factory(m.factory)) depart(*f, m.client);
    }
    if (e.kind == migrate::FlowEventKind::done) {
      m.finished = true;
      LiveFactory* f = factory(m.factory);
      if (f && f->members.at(m.client).state == Member::State::migrating)
        f->members.at(m.client).state = Member::State::active;
    }
  }
  mark("lsp/migration", Bytes(m.id.begin(), m.id.end()));
  return ok();
}

// The chain for the flows: every tip, and each tx they watch.
Status Lsp::migrations_on_tip() {
  for (auto& [id, m] : migrations_) {
    if (m.finished || !m.ptlc_exit) continue;
    LADDER_TRY(apply_flow(m, m.ptlc_exit->on_tip(height_)));
  }
  return ok();
}

Status Lsp::migrations_on_tx(const btc::Transaction& tx, std::optional<uint32_t> height) {
  for (auto& [id, m] : migrations_) {
    if (m.finished || !m.ptlc_exit) continue;
    LADDER_TRY(apply_flow(m, m.ptlc_exit->on_tx(tx, height)));
  }
  return ok();
}

}  // namespace ladder::lsp
