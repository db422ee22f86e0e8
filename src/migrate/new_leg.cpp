// Options 1 and 3b (new_leg.h).
#include "migrate/new_leg.h"

#include <stdexcept>

#include "crypto/hash.h"
#include "factory/exit_planner.h"
#include "migrate/flow_steps.h"

namespace ladder::migrate {

namespace {

Error out_of_order(const char* what) { return make_error("migrate.out-of-order", what); }

bool is_new_leg_option(MigrationOption o) { return o == MigrationOption::ln_payment || o == MigrationOption::ptlc_new; }

// Whether `lock` is this migration's lock: the kind and its condition.
bool matches(const channel::Lock& lock, MigrationOption option, const Bytes32& hash, const crypto::PubKey& point) {
  if (option == MigrationOption::ln_payment) return lock.kind == channel::LockKind::htlc && lock.payment_hash == hash;
  return lock.kind == channel::LockKind::ptlc && lock.point == point;
}

Expected<channel::UpdateAddLock> add_lock(channel::Channel& ch, MigrationOption option, btc::Amount amount,
                                          const Bytes32& hash, const crypto::PubKey& point, uint32_t expiry) {
  return option == MigrationOption::ln_payment ? ch.add_htlc(amount, hash, expiry) : ch.add_ptlc(amount, point, expiry);
}

}  // namespace

// ---- client --------------------------------------------------------------------------------

Expected<std::pair<NewLegClient, MigrateRequest>> NewLegClient::start(NewLegClientConfig config, uint32_t tip,
                                                                      std::optional<uint32_t> funding_height) {
  if (!config.old_channel || !config.new_channel || !config.new_tree || !config.ledger ||
      !is_new_leg_option(config.option))
    throw std::invalid_argument("NewLegClient needs both channels, the new tree, a ledger and option 1 or 3b");
  NewLegClient c(std::move(config));
  c.tip_ = tip;
  c.funding_height_ = funding_height;
  if (!c.new_factory_ready())
    return make_error("migrate.new-factory-not-ready", "the new factory's funding lacks depth or the exit path is incomplete");
  const btc::Amount amount = c.cfg_.old_channel->latest_spec().to_holder;
  if (amount <= 0) return make_error("migrate.nothing-to-migrate", "the old channel holds nothing of the client's");
  MigrateRequest& r = c.request_;
  r.id = c.cfg_.id;
  r.option = c.cfg_.option;
  r.old_factory = c.cfg_.old_factory;
  r.old_channel = c.cfg_.old_channel->id();
  r.amount = amount;
  r.depth = c.cfg_.policy.depth;
  r.new_factory = c.cfg_.new_tree->terms().factory_id;
  r.new_channel = c.cfg_.new_channel->id();
  if (c.cfg_.option == MigrationOption::ln_payment) {
    c.preimage_ = crypto::random_bytes32();
    r.payment_hash = crypto::sha256(c.preimage_);
  }
  MigrateRequest req = r;
  return std::pair<NewLegClient, MigrateRequest>{std::move(c), std::move(req)};
}

bool NewLegClient::new_factory_ready() const {
  if (!funding_height_ || tip_ + 1 < *funding_height_ + cfg_.policy.depth || !cfg_.new_channel->is_open()) return false;
  auto nothing_confirmed = [](const btc::Txid&) { return std::optional<uint32_t>(); };
  return factory::plan_exit(*cfg_.new_tree, cfg_.new_index, tip_, nothing_confirmed).has_value();
}

Expected<FlowOutput> NewLegClient::on_terms(const MigrateTerms& terms, uint32_t tip) {
  if (stage_ != Stage::requested) return out_of_order("terms already received");
  LADDER_TRY(check_terms(request_, terms, cfg_.policy, cfg_.legs, tip));
  LADDER_ASSIGN(auto add, add_lock(*cfg_.old_channel, cfg_.option, request_.amount, request_.payment_hash,
                                   cfg_.factory_key.pubkey(), terms.legs.t_in));
  terms_ = terms;
  old_lock_ = add.lock.id;
  stage_ = Stage::offered;
  tip_ = tip;
  FlowOutput out;
  out.channel.push_back({cfg_.old_channel->id(), channel::Message(std::move(add))});
  out.watch_txids.push_back(cfg_.new_tree->terms().funding.txid);
  return out;
}

FlowOutput NewLegClient::on_new_channel_event(const channel::ChannelEvent& e) {
  FlowOutput out;
  if (e.kind != channel::ChannelEvent::Kind::incoming_locked || !terms_ || new_lock_ ||
      !matches(e.lock, cfg_.option, request_.payment_hash, cfg_.factory_key.pubkey()))
    return out;
  if (e.lock.amount != terms_->out_amount || e.lock.expiry != *terms_->legs.t_new) {
    if (auto fail = cfg_.new_channel->fail(e.lock.id, "migrate.leg-mismatch"))
      out.channel.push_back({cfg_.new_channel->id(), channel::Message(std::move(*fail))});
    return out;
  }
  new_lock_ = e.lock.id;
  out.event(FlowEventKind::second_leg_locked);
  out.append(poll());
  return out;
}

FlowOutput NewLegClient::on_old_channel_event(const channel::ChannelEvent& e) {
  FlowOutput out;
  if (!old_lock_ || e.lock.id != *old_lock_ || e.lock.kind != *kind()) return out;
  if (e.kind == channel::ChannelEvent::Kind::outgoing_settled) {
    out.event(FlowEventKind::settled);
    if (cfg_.option == MigrationOption::ln_payment && cfg_.policy.handover) {
      stage_ = Stage::handover;
      out.append(try_handover());
    } else {
      stage_ = Stage::done;
      out.event(FlowEventKind::done);
    }
  } else if (e.kind == channel::ChannelEvent::Kind::outgoing_failed && stage_ != Stage::revealed) {
    stage_ = Stage::failed;  // the balance is back in the old channel
    out.event(FlowEventKind::failed, "migrate.leg-failed");
  }
  return out;
}

std::optional<channel::LockKind> NewLegClient::kind() const {
  return cfg_.option == MigrationOption::ln_payment ? channel::LockKind::htlc : channel::LockKind::ptlc;
}

Expected<FlowOutput> NewLegClient::on_handover_ack(const HandoverAck& ack) {
  if (ack.id != cfg_.id) return make_error("migrate.wrong-migration", "ack for another migration");
  if (stage_ != Stage::handover) return out_of_order("no handover in flight");
  stage_ = Stage::done;
  FlowOutput out;
  out.event(FlowEventKind::handed_over);
  out.event(FlowEventKind::done);
  return out;
}

FlowOutput NewLegClient::on_tx(const btc::Transaction& tx, std::optional<uint32_t> height) {
  if (tx.txid() == cfg_.new_tree->terms().funding.txid && height) funding_height_ = height;
  return poll();
}

FlowOutput NewLegClient::on_tx_unconfirmed(const btc::Txid& txid) {
  if (txid == cfg_.new_tree->terms().funding.txid) funding_height_.reset();
  return poll();
}

FlowOutput NewLegClient::on_tip(uint32_t tip) {
  tip_ = tip;
  return poll();
}

FlowOutput NewLegClient::poll() {
  FlowOutput out;
  switch (stage_) {
    case Stage::offered:
      if (!may_reveal_in_factory(tip_, cfg_.legs.x_new, cfg_.legs.cutoff, *terms_->legs.t_new)) {
        // Abandon: give the new lock back, so that L fails the old one.
        if (new_lock_)
          if (auto fail = cfg_.new_channel->fail(*new_lock_, "migrate.past-reveal-cutoff"))
            out.channel.push_back({cfg_.new_channel->id(), channel::Message(std::move(*fail))});
        gate_.release(*cfg_.old_channel);
        stage_ = Stage::abandoned;
        out.event(FlowEventKind::abandoned, "migrate.past-reveal-cutoff");
        return out;
      }
      if (new_lock_) return try_reveal();
      return out;
    case Stage::handover:
      return try_handover();
    case Stage::abandoned:
      raise_client_deadline(out, enforce_raised_, tip_, terms_->legs.t_in, *cfg_.old_channel);
      return out;
    default:
      return out;
  }
}

FlowOutput NewLegClient::try_reveal() {
  FlowOutput out;
  if (!new_factory_ready()) {
    out.event(FlowEventKind::reveal_blocked, "migrate.new-factory-not-ready");
    return out;
  }
  Bytes32 secret = preimage_;
  if (cfg_.option == MigrationOption::ptlc_new) {
    bool ready = false;
    out = gate_.check(*cfg_.old_channel, MigrationLock{channel::LockKind::ptlc, *old_lock_}, cfg_.id, ready);
    if (!ready) return out;
    // Persist before reveal: the key counts as handed over from now on.
    if (auto s = cfg_.ledger->record_handover(cfg_.factory_key.pubkey()); !s) {
      out.event(FlowEventKind::reveal_blocked, s.error().code);
      return out;
    }
    secret = cfg_.factory_key.reveal();
  }
  auto settle = cfg_.new_channel->settle(*new_lock_, secret);
  if (!settle) {
    out.event(FlowEventKind::reveal_blocked, settle.error().code);
    return out;
  }
  gate_.release(*cfg_.old_channel);  // L settles the old lock next
  out.channel.push_back({cfg_.new_channel->id(), channel::Message(std::move(*settle))});
  stage_ = Stage::revealed;
  out.event(FlowEventKind::revealed);
  return out;
}

FlowOutput NewLegClient::try_handover() {
  return client_handover(gate_, *cfg_.old_channel, cfg_.id, cfg_.old_factory, cfg_.factory_key, *cfg_.ledger,
                         handover_sent_);
}

// ---- L -----------------------------------------------------------------------------------

Expected<std::pair<NewLegLsp, MigrateTerms>> NewLegLsp::accept(NewLegLspConfig config, const MigrateRequest& req,
                                                                uint32_t tip) {
  if (!config.old_channel || !config.new_channel || !config.vault)
    throw std::invalid_argument("NewLegLsp needs both channels and a vault");
  if (!is_new_leg_option(req.option) || req.old_channel != config.old_channel->id() ||
      req.new_channel != config.new_channel->id() || req.old_factory != config.old_factory)
    return make_error("migrate.bad-request", "not an option-1/3b migration between these channels");
  LADDER_ASSIGN(auto terms, propose_terms(req, config.old_channel->latest_spec().to_counterparty, config.policy,
                                          config.legs, tip, 0, std::nullopt));
  const auto& n = config.new_channel->latest_spec();
  if (n.to_holder - config.new_channel->params().funder_reserve < terms.out_amount)
    return make_error("migrate.no-liquidity", "L's side of the new channel cannot carry the amount");
  NewLegLsp l(std::move(config), req, terms);
  l.tip_ = tip;
  return std::pair<NewLegLsp, MigrateTerms>{std::move(l), std::move(terms)};
}

channel::LockKind NewLegLsp::kind() const {
  return request_.option == MigrationOption::ln_payment ? channel::LockKind::htlc : channel::LockKind::ptlc;
}

Expected<FlowOutput> NewLegLsp::on_old_channel_event(const channel::ChannelEvent& e) {
  FlowOutput out;
  if (e.kind == channel::ChannelEvent::Kind::incoming_locked && !old_lock_ &&
      matches(e.lock, request_.option, request_.payment_hash, cfg_.client_key)) {
    LADDER_ASSIGN(const bool agreed,
                  accept_old_lock(*cfg_.old_channel, e.lock, request_.amount, terms_.legs.t_in, out));
    if (!agreed) return out;
    if (request_.option == MigrationOption::ptlc_new) LADDER_TRY(check_ptlc_presigs_held(*cfg_.old_channel, e.lock.id));
    old_lock_ = e.lock.id;
    out.event(FlowEventKind::leg_locked);
    auto add = add_lock(*cfg_.new_channel, request_.option, terms_.out_amount, request_.payment_hash, cfg_.client_key,
                        *terms_.legs.t_new);
    if (!add) {
      out.append(resolve_old(false));
      out.event(FlowEventKind::failed, add.error().code);
      return out;
    }
    new_lock_ = add->lock.id;
    out.channel.push_back({cfg_.new_channel->id(), channel::Message(std::move(*add))});
  } else if (e.kind == channel::ChannelEvent::Kind::incoming_removed && old_lock_ && e.lock.id == *old_lock_) {
    old_removed_ = true;
    out.event(secret_ ? FlowEventKind::settled : FlowEventKind::failed);
    if (request_.option == MigrationOption::ptlc_new || !secret_) out.event(FlowEventKind::done);
  }
  return out;
}

Expected<FlowOutput> NewLegLsp::on_new_channel_event(const channel::ChannelEvent& e) {
  FlowOutput out;
  if (!new_lock_ || e.lock.id != *new_lock_ || e.lock.kind != kind()) return out;
  if (e.kind == channel::ChannelEvent::Kind::outgoing_settled && e.secret && !secret_) {
    secret_ = *e.secret;
    if (request_.option == MigrationOption::ptlc_new) {
      // The channel checked secret·G = point: this is the client's old key.
      LADDER_ASSIGN(auto key, crypto::SecretKey::parse(*secret_));
      if (!(key.pubkey() == cfg_.client_key)) return make_error("migrate.bad-handover-key", "not the client's key");
      LADDER_TRY(cfg_.vault->put(cfg_.old_factory, key));
      learned_ = true;
      out.event(FlowEventKind::key_learned);
    }
    out.append(resolve_old(true));
  } else if (e.kind == channel::ChannelEvent::Kind::outgoing_failed) {
    out.append(resolve_old(false));
  }
  return out;
}

FlowOutput NewLegLsp::resolve_old(bool settle) {
  FlowOutput out;
  if (!old_lock_ || old_removed_ || resolution_sent_) return out;
  channel::Channel& old = *cfg_.old_channel;
  (void)old.resume();  // the client left quiescence when it revealed or gave up
  if (settle) {
    if (auto m = old.settle(*old_lock_, *secret_)) out.channel.push_back({old.id(), channel::Message(std::move(*m))});
  } else if (auto m = old.fail(*old_lock_, "migrate.new-leg-failed")) {
    out.channel.push_back({old.id(), channel::Message(std::move(*m))});
  }
  resolution_sent_ = !out.channel.empty();
  settle_pending_ = settle && !resolution_sent_;
  fail_pending_ = !settle && !resolution_sent_;
  return out;
}

Expected<FlowOutput> NewLegLsp::on_handover(const Handover& msg) {
  if (request_.option != MigrationOption::ln_payment || !old_removed_)
    return out_of_order("a handover comes after the old HTLC is settled");
  LADDER_ASSIGN(auto out, take_handover(msg, request_.id, cfg_.old_factory, cfg_.client_key, *cfg_.vault));
  learned_ = true;
  out.event(FlowEventKind::done);
  return out;
}

Expected<FlowOutput> NewLegLsp::on_reveal_blocked(const RevealBlocked& msg) {
  return leave_quiescence(msg, request_.id, *cfg_.old_channel);
}

FlowOutput NewLegLsp::on_tip(uint32_t tip) {
  tip_ = tip;
  FlowOutput out;
  if (settle_pending_ || fail_pending_) out.append(resolve_old(settle_pending_));
  if (secret_ && !old_removed_) raise_lsp_deadline(out, enforce_raised_, tip, cfg_.legs, terms_.legs.t_in);
  return out;
}

}  // namespace ladder::migrate
