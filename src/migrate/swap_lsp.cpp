// Option 2, L's side (swap.h).
#include <stdexcept>

#include "crypto/hash.h"
#include "migrate/flow_steps.h"
#include "migrate/swap.h"

namespace ladder::migrate {

namespace {
Error out_of_order(const char* what) { return make_error("migrate.out-of-order", what); }
}  // namespace

Expected<std::pair<SwapLsp, MigrateTerms>> SwapLsp::accept(SwapLspConfig config, const MigrateRequest& req,
                                                            uint32_t tip, uint32_t batch_height) {
  if (!config.old_channel || !config.vault) throw std::invalid_argument("SwapLsp needs its old channel and a vault");
  if (req.option != MigrationOption::onchain_swap || req.old_channel != config.old_channel->id() ||
      req.old_factory != config.old_factory)
    return make_error("migrate.bad-request", "not an option-2 migration of this channel");
  LADDER_ASSIGN(auto terms, propose_terms(req, config.old_channel->latest_spec().to_counterparty, config.policy,
                                          config.legs, tip, batch_height, config.lsp_key.pubkey()));
  LADDER_ASSIGN(auto output,
                ClaimOutput::swap(*req.fresh_key, config.lsp_key.pubkey(), req.payment_hash, *terms.legs.t_on));
  SwapLsp l(std::move(config), req, terms, std::move(output));
  l.tip_ = tip;
  return std::pair<SwapLsp, MigrateTerms>{std::move(l), std::move(terms)};
}

Expected<FlowOutput> SwapLsp::on_old_channel_event(const channel::ChannelEvent& e) {
  FlowOutput out;
  const channel::Lock& lock = e.lock;
  if (e.kind == channel::ChannelEvent::Kind::incoming_locked && lock.kind == channel::LockKind::htlc &&
      lock.payment_hash == request_.payment_hash && !htlc_id_) {
    LADDER_ASSIGN(const bool agreed, accept_old_lock(*cfg_.old_channel, lock, request_.amount, terms_.legs.t_in, out));
    if (!agreed) return out;
    htlc_id_ = lock.id;
    out.event(FlowEventKind::leg_locked);
  } else if (e.kind == channel::ChannelEvent::Kind::incoming_removed && htlc_id_ && lock.id == *htlc_id_) {
    removed_ = true;
    out.event(preimage_ ? FlowEventKind::settled : FlowEventKind::failed);
  }
  return out;
}

std::optional<BatchOutput> SwapLsp::batch_output() const {
  if (!htlc_id_ || removed_) return std::nullopt;
  return BatchOutput{BatchOutputKind::swap, 0, request_.id, output_.txout(terms_.out_amount)};
}

Expected<FlowOutput> SwapLsp::funded(const Batch& batch) {
  if (!htlc_id_) return make_error("migrate.not-locked", "the client's HTLC is not locked in");
  LADDER_ASSIGN(const btc::OutPoint op, batch.outpoint_of_migration(request_.id));
  if (!(batch.outputs().at(op.n).out == output_.txout(terms_.out_amount)))
    return make_error("migrate.claim-mismatch", "the batch's output is not this migration's O");
  o_outpoint_ = op;
  FlowOutput out;
  out.to_peer.push_back(SwapFunded{request_.id, op, terms_.out_amount});
  out.watch_txids.push_back(op.txid);
  out.watch_outpoints.push_back(op);
  return out;
}

FlowOutput SwapLsp::resolve_htlc(bool settle) {
  FlowOutput out;
  if (!htlc_id_ || removed_ || resolution_sent_) return out;
  channel::Channel& old = *cfg_.old_channel;
  if (old.is_quiescent()) (void)old.resume();
  if (settle) {
    if (auto m = old.settle(*htlc_id_, *preimage_)) out.channel.push_back({old.id(), channel::Message(std::move(*m))});
  } else if (auto m = old.fail(*htlc_id_, "migrate.refunded")) {
    out.channel.push_back({old.id(), channel::Message(std::move(*m))});
  }
  resolution_sent_ = !out.channel.empty();  // else retried on the next tip
  return out;
}

FlowOutput SwapLsp::learn(const Bytes32& preimage) {
  if (preimage_) return FlowOutput{};
  preimage_ = preimage;
  return resolve_htlc(true);
}

Expected<FlowOutput> SwapLsp::on_swap_claim_request(const SwapClaimRequest& msg) {
  if (msg.id != request_.id) return make_error("migrate.wrong-migration", "for another migration");
  if (!o_outpoint_) return out_of_order("O is not funded");
  if (crypto::sha256(msg.preimage) != request_.payment_hash)
    return make_error("migrate.bad-preimage", "the preimage does not hash to H");
  // O went back to L: the client must not lose both O and its balance.
  if (refund_sent_) return make_error("migrate.refunded", "O was refunded");
  FlowOutput out = learn(msg.preimage);
  LADDER_ASSIGN(auto claim, output_.claim(*o_outpoint_, terms_.out_amount, request_.claim_script, msg.fee_rate));
  crypto::musig::NonceGenOptions opts;
  opts.sk = &cfg_.lsp_key;
  opts.msg = ByteView(claim.sighash);
  LADDER_ASSIGN(auto nonce, crypto::musig::nonce_gen(cfg_.lsp_key.pubkey(), opts));
  const std::vector<crypto::musig::PubNonce> nonces{nonce.pubnonce, msg.client_nonce};
  LADDER_ASSIGN(auto aggnonce, crypto::musig::nonce_agg(nonces));
  LADDER_ASSIGN(auto session, crypto::musig::Session::create(output_.keyagg(), aggnonce, claim.sighash));
  const crypto::musig::PubNonce pub = nonce.pubnonce;
  LADDER_ASSIGN(auto psig, session.sign(std::move(nonce.secnonce), cfg_.lsp_key));
  out.to_peer.push_back(SwapClaimSig{request_.id, pub, psig});
  return out;
}

Expected<FlowOutput> SwapLsp::on_handover(const Handover& msg) {
  if (!removed_ || !preimage_) return out_of_order("a handover comes after the HTLC is settled");
  LADDER_ASSIGN(auto out, take_handover(msg, request_.id, cfg_.old_factory, cfg_.client_key, *cfg_.vault));
  handed_over_ = true;
  return out;
}

Expected<FlowOutput> SwapLsp::on_reveal_blocked(const RevealBlocked& msg) {
  return leave_quiescence(msg, request_.id, *cfg_.old_channel);
}

FlowOutput SwapLsp::on_tx(const btc::Transaction& tx, std::optional<uint32_t> height) {
  FlowOutput out;
  if (o_outpoint_ && tx.txid() == o_outpoint_->txid && height) o_height_ = height;
  for (const auto& in : tx.vin) {
    if (!o_outpoint_ || in.prevout != *o_outpoint_) continue;
    if (output_.is_refund(in)) {
      if (height) refund_height_ = height;
      continue;
    }
    claimed_ = true;
    // A hashlock claim shows the preimage: learned when first seen.
    if (auto p = output_.preimage_of(in)) out.append(learn(*p));
  }
  return out;
}

FlowOutput SwapLsp::on_tx_unconfirmed(const btc::Txid& txid) {
  if (o_outpoint_ && txid == o_outpoint_->txid) o_height_.reset();
  if (refund_height_ && !o_height_) refund_height_.reset();
  return FlowOutput{};
}

FlowOutput SwapLsp::on_tip(uint32_t tip) {
  tip_ = tip;
  FlowOutput out;
  const uint32_t c = cfg_.legs.cutoff;
  if (preimage_) {
    out.append(resolve_htlc(true));
    if (!removed_) raise_lsp_deadline(out, enforce_raised_, tip, cfg_.legs, terms_.legs.t_in);
  }
  if (o_height_ && tip >= *terms_.legs.t_on && !claimed_ && !refund_height_) {
    auto refund = output_.refund(*o_outpoint_, terms_.out_amount, cfg_.refund_script, cfg_.refund_fee_rate,
                                 cfg_.lsp_key);
    if (refund) {
      refund_sent_ = true;
      out.broadcast.push_back(std::move(*refund));
    }
  }
  if (refund_height_ && tip + 1 >= *refund_height_ + c && !preimage_ && !resolution_sent_) {
    out.event(FlowEventKind::refunded);
    out.append(resolve_htlc(false));
  }
  return out;
}

}  // namespace ladder::migrate
