// Option 3, the client's side (ptlc_exit.h).
#include <stdexcept>

#include "migrate/flow_steps.h"
#include "migrate/ptlc_exit.h"

namespace ladder::migrate {

namespace {

Error out_of_order(const char* what) { return make_error("migrate.out-of-order", what); }

}  // namespace

Expected<std::pair<PtlcExitClient, MigrateRequest>> PtlcExitClient::start(PtlcExitClientConfig config) {
  if (!config.old_channel || !config.ledger)
    throw std::invalid_argument("PtlcExitClient needs its old channel and its key ledger");
  const btc::Amount amount = config.old_channel->latest_spec().to_holder;
  if (amount <= 0) return make_error("migrate.nothing-to-migrate", "the old channel holds nothing of the client's");
  MigrateRequest r;
  r.id = config.id;
  r.option = MigrationOption::ptlc_exit;
  r.old_factory = config.old_factory;
  r.old_channel = config.old_channel->id();
  r.amount = amount;
  r.depth = config.policy.depth;
  r.fresh_key = config.fresh_key.pubkey();
  r.claim_script = config.claim_script;
  PtlcExitClient c(std::move(config));
  c.request_ = r;
  return std::pair<PtlcExitClient, MigrateRequest>{std::move(c), std::move(r)};
}

Expected<FlowOutput> PtlcExitClient::on_terms(const MigrateTerms& terms, uint32_t tip) {
  if (stage_ != Stage::requested || terms_) return out_of_order("terms already received");
  LADDER_TRY(check_terms(request_, terms, cfg_.policy, cfg_.legs, tip));
  LADDER_ASSIGN(auto output, ClaimOutput::ptlc_exit(cfg_.fresh_key.pubkey(), *terms.lsp_key, *terms.legs.t_on));
  LADDER_ASSIGN(auto add, cfg_.old_channel->add_ptlc(request_.amount, cfg_.factory_key.pubkey(), terms.legs.t_in));
  terms_ = terms;
  output_ = std::move(output);
  ptlc_id_ = add.lock.id;
  next_fee_rate_ = terms.claim_fee_rate;
  stage_ = Stage::offered;
  tip_ = tip;
  FlowOutput out;
  out.channel.push_back({cfg_.old_channel->id(), channel::Message(std::move(add))});
  return out;
}

Expected<FlowOutput> PtlcExitClient::on_claim_offer(const ClaimOffer& offer) {
  if (stage_ != Stage::offered) return out_of_order("no claim session in this stage");
  if (offer.id != cfg_.id) return make_error("migrate.wrong-migration", "offer for another migration");
  if (offer.version != versions_.size())
    return make_error("migrate.claim-version", "expected version " + std::to_string(versions_.size()));
  if (!(offer.adaptor_point == cfg_.factory_key.pubkey()))
    return make_error("migrate.wrong-adaptor-point", "the adaptor point is not the client's old factory key");
  if (offer.value != terms_->out_amount || offer.fee_rate != next_fee_rate_ ||
      (o_outpoint_ && *o_outpoint_ != offer.outpoint))
    return make_error("migrate.claim-mismatch", "the offered claim is not the agreed one");
  LADDER_ASSIGN(auto claim, output_->claim(offer.outpoint, offer.value, cfg_.claim_script, offer.fee_rate));
  crypto::musig::NonceGenOptions opts;
  opts.sk = &cfg_.fresh_key;
  opts.aggpk = output_->keyagg().xonly_pubkey().bytes();
  opts.msg = ByteView(claim.sighash);
  LADDER_ASSIGN(auto nonce, crypto::musig::nonce_gen(cfg_.fresh_key.pubkey(), opts));
  const std::vector<crypto::musig::PubNonce> nonces{offer.lsp_nonce, nonce.pubnonce};
  LADDER_ASSIGN(auto aggnonce, crypto::musig::nonce_agg(nonces));
  LADDER_ASSIGN(auto session, crypto::musig::Session::create(output_->keyagg(), aggnonce, claim.sighash,
                                                              cfg_.factory_key.pubkey()));
  LADDER_ASSIGN(auto psig, session.sign(std::move(nonce.secnonce), cfg_.fresh_key));
  Version v{std::move(claim), offer.fee_rate, offer.lsp_nonce, nonce.pubnonce, psig, std::move(session), std::nullopt};
  versions_.emplace(offer.version, std::move(v));
  o_outpoint_ = offer.outpoint;
  FlowOutput out;
  out.to_peer.push_back(ClaimPartial{cfg_.id, offer.version, nonce.pubnonce, psig});
  out.watch_outpoints.push_back(offer.outpoint);
  out.watch_txids.push_back(offer.outpoint.txid);
  return out;
}

Expected<FlowOutput> PtlcExitClient::on_adaptor_partial(const ClaimAdaptorPartial& msg) {
  if (msg.id != cfg_.id) return make_error("migrate.wrong-migration", "partial for another migration");
  auto it = versions_.find(msg.version);
  if (it == versions_.end() || it->second.presig) return out_of_order("no claim version awaiting L's partial");
  Version& v = it->second;
  // Pre-verification: L's adaptor partial on the claim this client built.
  if (!v.session->verify(msg.lsp_psig, v.lsp_nonce, output_->lsp_index()))
    return make_error("migrate.bad-adaptor-partial", "L's adaptor partial does not verify on this claim and point");
  const std::vector<crypto::musig::PartialSig> psigs{v.own_psig, msg.lsp_psig};
  LADDER_ASSIGN(auto presig, v.session->aggregate_presig(psigs));
  if (!crypto::adaptor::pre_verify(presig, v.claim.sighash, output_->output_key(), cfg_.factory_key.pubkey()))
    return make_error("migrate.bad-adaptor-partial", "the aggregate pre-signature does not pre-verify");
  v.presig = presig;
  return poll();
}

Expected<ClaimResign> PtlcExitClient::ask_resign(btc::Amount fee_rate) {
  if (stage_ != Stage::offered) return out_of_order("no claim to re-sign");
  if (fee_rate <= 0 || fee_rate > cfg_.policy.max_claim_fee_rate)
    return make_error("migrate.claim-fee-rate", "fee rate " + std::to_string(fee_rate));
  next_fee_rate_ = fee_rate;
  return ClaimResign{cfg_.id, fee_rate};
}

const PtlcExitClient::Version* PtlcExitClient::best_ready() const {
  for (auto it = versions_.rbegin(); it != versions_.rend(); ++it)
    if (it->second.presig) return &it->second;
  return nullptr;
}

FlowOutput PtlcExitClient::on_old_channel_event(const channel::ChannelEvent& e) {
  FlowOutput out;
  if (!ptlc_id_ || e.lock.id != *ptlc_id_ || e.lock.kind != channel::LockKind::ptlc) return out;
  if (e.kind == channel::ChannelEvent::Kind::outgoing_settled) {
    out.event(FlowEventKind::settled);
  } else if (e.kind == channel::ChannelEvent::Kind::outgoing_failed && stage_ != Stage::claimed &&
             stage_ != Stage::done) {
    stage_ = Stage::failed;  // the balance is back in the old channel
    out.event(FlowEventKind::failed, "migrate.leg-failed");
  }
  return out;
}

FlowOutput PtlcExitClient::on_tx(const btc::Transaction& tx, std::optional<uint32_t> height) {
  if (o_outpoint_ && tx.txid() == o_outpoint_->txid && height) o_height_ = height;
  for (const auto& in : tx.vin) {
    if (!o_outpoint_ || in.prevout != *o_outpoint_) continue;
    if (output_->is_refund(in)) refunded_ = true;
    for (const auto& [n, v] : versions_)
      if (claim_ && tx.txid() == v.claim.tx.txid()) claim_ = tx;  // the version that made it (an older one may win)
    if (claim_ && tx.txid() == claim_->txid() && height) claim_height_ = height;
  }
  return poll();
}

FlowOutput PtlcExitClient::on_tx_unconfirmed(const btc::Txid& txid) {
  if (o_outpoint_ && txid == o_outpoint_->txid) o_height_.reset();
  if (claim_ && txid == claim_->txid()) claim_height_.reset();
  return poll();
}

FlowOutput PtlcExitClient::on_tip(uint32_t tip) {
  tip_ = tip;
  return poll();
}

FlowOutput PtlcExitClient::abandon() {
  FlowOutput out;
  stage_ = Stage::abandoned;
  gate_.release(*cfg_.old_channel);
  out.event(FlowEventKind::abandoned, "migrate.past-reveal-cutoff");
  return out;
}

FlowOutput PtlcExitClient::poll() {
  FlowOutput out;
  const uint32_t c = cfg_.legs.cutoff;
  switch (stage_) {
    case Stage::claimed:
      if (claim_height_ && tip_ + 1 >= *claim_height_ + c) {
        stage_ = Stage::done;
        out.event(FlowEventKind::done);
      } else {
        out.broadcast.push_back(*claim_);  // until c deep, after reorgs and evictions too
      }
      return out;
    case Stage::offered: {
      if (!may_reveal_on_chain(tip_, c, *terms_->legs.t_on)) return abandon();
      const Version* v = best_ready();
      if (!v || !o_height_ || refunded_ || tip_ + 1 < *o_height_ + cfg_.policy.depth) return out;
      return try_reveal(*v);
    }
    case Stage::abandoned:
      raise_client_deadline(out, enforce_raised_, tip_, terms_->legs.t_in, *cfg_.old_channel);
      return out;
    case Stage::requested:
    case Stage::done:
    case Stage::failed:
      return out;
  }
  return out;
}

FlowOutput PtlcExitClient::try_reveal(const Version& v) {
  channel::Channel& old = *cfg_.old_channel;
  bool ready = false;
  FlowOutput out = gate_.check(old, MigrationLock{channel::LockKind::ptlc, *ptlc_id_}, cfg_.id, ready);
  if (!ready) return out;
  // Persist before reveal: the key counts as handed over from now on.
  if (auto s = cfg_.ledger->record_handover(cfg_.factory_key.pubkey()); !s) {
    out.event(FlowEventKind::reveal_blocked, s.error().code);
    return out;
  }
  auto tx = output_->with_key_sig(v.claim, crypto::adaptor::adapt(*v.presig, cfg_.factory_key));
  if (!tx) {
    out.event(FlowEventKind::reveal_blocked, tx.error().code);
    return out;
  }
  claim_ = *tx;
  stage_ = Stage::claimed;
  gate_.release(old);  // so that L can settle the PTLC with what it learns
  out.broadcast.push_back(*tx);
  out.event(FlowEventKind::revealed);
  return out;
}

}  // namespace ladder::migrate
