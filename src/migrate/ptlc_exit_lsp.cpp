// Option 3, L's side (ptlc_exit.h).
#include <algorithm>
#include <stdexcept>

#include "migrate/flow_steps.h"
#include "migrate/ptlc_exit.h"
#include "util/serialize.h"

namespace ladder::migrate {

namespace {

constexpr std::string_view kVersionKind = "migrate/claim-version";

Bytes version_id(const MigrationId& id, uint32_t version) {
  Writer w;
  w.bytes(id);
  w.u32be(version);
  return w.take();
}

// txid || sighash || aggregate nonce || pre-signature.
Bytes encode_version(const ClaimTx& claim, const crypto::musig::AggNonce& aggnonce,
                     const crypto::adaptor::PreSignature& presig) {
  Writer w;
  w.bytes(claim.tx.txid().bytes);
  w.bytes(claim.sighash);
  w.bytes(aggnonce.bytes());
  w.bytes(presig.bytes());
  return w.take();
}

Error out_of_order(const char* what) { return make_error("migrate.out-of-order", what); }

}  // namespace

Expected<std::pair<PtlcExitLsp, MigrateTerms>> PtlcExitLsp::accept(PtlcExitLspConfig config, const MigrateRequest& req,
                                                                    uint32_t tip, uint32_t batch_height) {
  if (!config.old_channel || !config.store || !config.vault)
    throw std::invalid_argument("PtlcExitLsp needs its old channel, a store and a vault");
  if (req.option != MigrationOption::ptlc_exit || req.old_channel != config.old_channel->id() ||
      req.old_factory != config.old_factory)
    return make_error("migrate.bad-request", "not an option-3 migration of this channel");
  LADDER_ASSIGN(auto terms, propose_terms(req, config.old_channel->latest_spec().to_counterparty, config.policy,
                                          config.legs, tip, batch_height, config.lsp_key.pubkey()));
  LADDER_ASSIGN(auto output, ClaimOutput::ptlc_exit(*req.fresh_key, config.lsp_key.pubkey(), *terms.legs.t_on));
  PtlcExitLsp l(std::move(config), req, terms, std::move(output));
  l.tip_ = tip;
  return std::pair<PtlcExitLsp, MigrateTerms>{std::move(l), std::move(terms)};
}

Expected<FlowOutput> PtlcExitLsp::on_old_channel_event(const channel::ChannelEvent& e) {
  FlowOutput out;
  const channel::Lock& lock = e.lock;
  if (e.kind == channel::ChannelEvent::Kind::incoming_locked && lock.kind == channel::LockKind::ptlc &&
      lock.point == cfg_.client_key && !ptlc_id_) {
    LADDER_ASSIGN(const bool agreed, accept_old_lock(*cfg_.old_channel, lock, request_.amount, terms_.legs.t_in, out));
    if (!agreed) return out;
    // Every signature L needs to take the PTLC on chain is verified in hand.
    LADDER_TRY(check_ptlc_presigs_held(*cfg_.old_channel, lock.id));
    ptlc_id_ = lock.id;
    out.event(FlowEventKind::leg_locked);
  } else if (e.kind == channel::ChannelEvent::Kind::incoming_removed && ptlc_id_ && lock.id == *ptlc_id_) {
    removed_ = true;
    out.event(learned_ ? FlowEventKind::settled : FlowEventKind::failed);
    out.event(FlowEventKind::done);
  }
  return out;
}

std::optional<BatchOutput> PtlcExitLsp::batch_output() const {
  if (!ptlc_id_ || removed_) return std::nullopt;
  return BatchOutput{BatchOutputKind::ptlc_exit, 0, request_.id, output_.txout(terms_.out_amount)};
}

Expected<FlowOutput> PtlcExitLsp::offer(Batch& batch, btc::Amount fee_rate) {
  if (!ptlc_id_) return make_error("migrate.not-locked", "the client's PTLC is not locked in");
  if (learned_ || removed_) return out_of_order("the migration is over");
  LADDER_ASSIGN(const btc::OutPoint op, batch.outpoint_of_migration(request_.id));
  if (!(batch.outputs().at(op.n).out == output_.txout(terms_.out_amount)))
    return make_error("migrate.claim-mismatch", "the batch's output is not this migration's O");
  LADDER_ASSIGN(auto claim, output_.claim(op, terms_.out_amount, request_.claim_script, fee_rate));
  crypto::musig::NonceGenOptions opts;
  opts.sk = &cfg_.lsp_key;
  opts.aggpk = output_.keyagg().xonly_pubkey().bytes();
  opts.msg = ByteView(claim.sighash);
  LADDER_ASSIGN(auto nonce, crypto::musig::nonce_gen(cfg_.lsp_key.pubkey(), opts));
  LADDER_TRY(batch.begin_claim_session(request_.id));
  const auto version = static_cast<uint32_t>(versions_.size());
  const crypto::musig::PubNonce pub = nonce.pubnonce;
  versions_.emplace(version, Version{std::move(claim), std::move(nonce), std::nullopt});
  o_outpoint_ = op;
  FlowOutput out;
  out.to_peer.push_back(ClaimOffer{request_.id, version, op, terms_.out_amount, fee_rate, cfg_.client_key, pub});
  out.watch_outpoints.push_back(op);
  out.watch_txids.push_back(op.txid);
  return out;
}

Expected<FlowOutput> PtlcExitLsp::start_claim(Batch& batch) {
  if (!versions_.empty()) return out_of_order("claim sessions already started");
  return offer(batch, terms_.claim_fee_rate);
}

Expected<FlowOutput> PtlcExitLsp::on_claim_resign(const ClaimResign& msg, Batch& batch) {
  if (msg.id != request_.id) return make_error("migrate.wrong-migration", "resign for another migration");
  if (versions_.empty()) return out_of_order("no claim version yet");
  return offer(batch, msg.fee_rate);
}

Expected<FlowOutput> PtlcExitLsp::on_claim_partial(const ClaimPartial& msg, Batch& batch) {
  if (msg.id != request_.id) return make_error("migrate.wrong-migration", "partial for another migration");
  auto it = versions_.find(msg.version);
  if (it == versions_.end() || !it->second.nonce) return out_of_order("no claim version awaiting the client's partial");
  Version& v = it->second;
  const std::vector<crypto::musig::PubNonce> nonces{v.nonce->pubnonce, msg.client_nonce};
  LADDER_ASSIGN(auto aggnonce, crypto::musig::nonce_agg(nonces));
  LADDER_ASSIGN(auto session,
                crypto::musig::Session::create(output_.keyagg(), aggnonce, v.claim.sighash, cfg_.client_key));
  // L verifies the client's partial before releasing anything of its own
  // and before O can be funded.
  if (!session.verify(msg.client_psig, msg.client_nonce, output_.fresh_index()))
    return make_error("migrate.bad-partial", "the client's partial signature does not verify");
  LADDER_ASSIGN(auto lsp_psig, session.sign(std::move(v.nonce->secnonce), cfg_.lsp_key));
  v.nonce.reset();
  const std::vector<crypto::musig::PartialSig> psigs{msg.client_psig, lsp_psig};
  LADDER_ASSIGN(auto presig, session.aggregate_presig(psigs));
  // Persist before reveal: the version L needs to extract the key is stored
  // before its own partial leaves.
  const Bytes record = encode_version(v.claim, aggnonce, presig);
  Status stored = cfg_.store->step([&](store::StepWriter& w) -> Status {
    auto put = w.put(kVersionKind, version_id(request_.id, msg.version), record);
    return put ? ok() : Status(put.error());
  });
  LADDER_TRY(stored);
  LADDER_TRY(batch.claim_session_completed(request_.id));
  v.presig = presig;
  FlowOutput out;
  out.to_peer.push_back(ClaimAdaptorPartial{request_.id, msg.version, lsp_psig});
  return out;
}

Expected<FlowOutput> PtlcExitLsp::on_reveal_blocked(const RevealBlocked& msg) {
  return leave_quiescence(msg, request_.id, *cfg_.old_channel);
}

bool PtlcExitLsp::may_fund() const {
  for (const auto& [n, v] : versions_)
    if (v.presig) return true;
  return false;
}

Expected<FlowOutput> PtlcExitLsp::abandon() {
  if (may_fund()) return make_error("migrate.claim-session-completed", "a claim version completed: O is funded");
  if (!ptlc_id_ || removed_) return out_of_order("no PTLC to fail");
  FlowOutput out = resolve_ptlc(false);
  out.event(FlowEventKind::failed, "migrate.lsp-abandoned");
  return out;
}

FlowOutput PtlcExitLsp::resolve_ptlc(bool settle) {
  FlowOutput out;
  if (!ptlc_id_ || removed_ || resolution_sent_) return out;
  channel::Channel& old = *cfg_.old_channel;
  (void)old.resume();  // the client left quiescence when it claimed or abandoned
  if (settle) {
    auto msg = old.settle(*ptlc_id_, key_->reveal());
    if (msg) out.channel.push_back({old.id(), channel::Message(std::move(*msg))});
  } else {
    auto msg = old.fail(*ptlc_id_, "migrate.refunded");
    if (msg) out.channel.push_back({old.id(), channel::Message(std::move(*msg))});
  }
  resolution_sent_ = !out.channel.empty();  // else retried on the next tip
  return out;
}

FlowOutput PtlcExitLsp::learn(const crypto::SecretKey& a) {
  FlowOutput out;
  if (learned_) return out;
  learned_ = true;
  key_ = a;
  vault_pending_ = !cfg_.vault->put(cfg_.old_factory, a);
  out.event(FlowEventKind::key_learned);
  out.append(resolve_ptlc(true));
  out.append(check_deadline());
  return out;
}

FlowOutput PtlcExitLsp::check_deadline() {
  FlowOutput out;
  if (learned_ && !removed_) raise_lsp_deadline(out, enforce_raised_, tip_, cfg_.legs, terms_.legs.t_in);
  return out;
}

FlowOutput PtlcExitLsp::on_tx(const btc::Transaction& tx, std::optional<uint32_t> height) {
  FlowOutput out;
  if (o_outpoint_ && tx.txid() == o_outpoint_->txid && height) o_height_ = height;
  for (const auto& in : tx.vin) {
    if (!o_outpoint_ || in.prevout != *o_outpoint_) continue;
    if (output_.is_refund(in)) {
      if (height) refund_height_ = height;
      continue;
    }
    const auto sig = ClaimOutput::key_sig_of(in);
    if (!sig) continue;
    // The secret counts as learned the first time it is seen, mempool or block.
    for (const auto& [n, v] : versions_) {
      if (!v.presig || v.claim.tx.txid() != tx.txid()) continue;
      if (auto a = crypto::adaptor::extract(*v.presig, *sig, cfg_.client_key)) out.append(learn(*a));
    }
  }
  return out;
}

FlowOutput PtlcExitLsp::on_tx_unconfirmed(const btc::Txid& txid) {
  if (o_outpoint_ && txid == o_outpoint_->txid) o_height_.reset();
  if (refund_height_ && !o_height_) refund_height_.reset();  // the refund went with O
  return FlowOutput{};
}

FlowOutput PtlcExitLsp::on_tip(uint32_t tip) {
  tip_ = tip;
  FlowOutput out;
  const uint32_t c = cfg_.legs.cutoff;
  if (learned_ && vault_pending_) vault_pending_ = !cfg_.vault->put(cfg_.old_factory, *key_);
  if (learned_) {
    out.append(resolve_ptlc(true));
    out.append(check_deadline());
    return out;
  }
  if (o_height_ && tip >= *terms_.legs.t_on && !refund_height_) {
    auto refund = output_.refund(*o_outpoint_, terms_.out_amount, cfg_.refund_script, cfg_.refund_fee_rate,
                                 cfg_.lsp_key);
    if (refund) out.broadcast.push_back(std::move(*refund));
  }
  if (refund_height_ && tip + 1 >= *refund_height_ + c && !resolution_sent_) {
    out.event(FlowEventKind::refunded);
    out.append(resolve_ptlc(false));
  }
  return out;
}

Expected<std::optional<crypto::SecretKey>> PtlcExitLsp::extract_key(store::RecordStore& store, const MigrationId& id,
                                                                    const btc::Transaction& tx,
                                                                    const crypto::PubKey& point) {
  LADDER_ASSIGN(auto records, store.list(kVersionKind));
  for (const auto& rec : records) {
    if (rec.id.size() != 36 || !std::equal(id.begin(), id.end(), rec.id.begin())) continue;
    Reader r(rec.record.value);
    LADDER_ASSIGN(const auto txid, r.bytes(32));
    if (!std::equal(txid.begin(), txid.end(), tx.txid().bytes.begin())) continue;
    LADDER_TRY(r.bytes(32 + 66));  // sighash, aggregate nonce
    LADDER_ASSIGN(const auto presig_bytes, r.bytes(65));
    LADDER_ASSIGN(const auto presig, crypto::adaptor::PreSignature::parse(presig_bytes));
    for (const auto& in : tx.vin)
      if (auto sig = ClaimOutput::key_sig_of(in))
        if (auto a = crypto::adaptor::extract(presig, *sig, point)) return std::optional<crypto::SecretKey>(*a);
  }
  return std::optional<crypto::SecretKey>();
}

}  // namespace ladder::migrate
