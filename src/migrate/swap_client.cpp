// Option 2, the client's side (swap.h).
#include <stdexcept>

#include "crypto/hash.h"
#include "migrate/flow_steps.h"
#include "migrate/swap.h"

namespace ladder::migrate {

namespace {
Error out_of_order(const char* what) { return make_error("migrate.out-of-order", what); }
}  // namespace

Expected<std::pair<SwapClient, MigrateRequest>> SwapClient::start(SwapClientConfig config) {
  if (!config.old_channel || !config.ledger) throw std::invalid_argument("SwapClient needs its old channel and ledger");
  const btc::Amount amount = config.old_channel->latest_spec().to_holder;
  if (amount <= 0) return make_error("migrate.nothing-to-migrate", "the old channel holds nothing of the client's");
  SwapClient c(std::move(config));
  c.preimage_ = crypto::random_bytes32();
  MigrateRequest& r = c.request_;
  r.id = c.cfg_.id;
  r.option = MigrationOption::onchain_swap;
  r.old_factory = c.cfg_.old_factory;
  r.old_channel = c.cfg_.old_channel->id();
  r.amount = amount;
  r.depth = c.cfg_.policy.depth;
  r.payment_hash = crypto::sha256(c.preimage_);
  r.fresh_key = c.cfg_.fresh_key.pubkey();
  r.claim_script = c.cfg_.claim_script;
  MigrateRequest req = r;
  return std::pair<SwapClient, MigrateRequest>{std::move(c), std::move(req)};
}

Expected<FlowOutput> SwapClient::on_terms(const MigrateTerms& terms, uint32_t tip) {
  if (stage_ != Stage::requested) return out_of_order("terms already received");
  LADDER_TRY(check_terms(request_, terms, cfg_.policy, cfg_.legs, tip));
  LADDER_ASSIGN(auto output,
                ClaimOutput::swap(cfg_.fresh_key.pubkey(), *terms.lsp_key, request_.payment_hash, *terms.legs.t_on));
  LADDER_ASSIGN(auto add, cfg_.old_channel->add_htlc(request_.amount, request_.payment_hash, terms.legs.t_in));
  terms_ = terms;
  output_ = std::move(output);
  htlc_id_ = add.lock.id;
  stage_ = Stage::offered;
  tip_ = tip;
  FlowOutput out;
  out.channel.push_back({cfg_.old_channel->id(), channel::Message(std::move(add))});
  return out;
}

Expected<FlowOutput> SwapClient::on_swap_funded(const SwapFunded& msg) {
  if (msg.id != cfg_.id) return make_error("migrate.wrong-migration", "for another migration");
  if (stage_ != Stage::offered || o_outpoint_) return out_of_order("O already known");
  if (msg.value != terms_->out_amount) return make_error("migrate.claim-mismatch", "O is not worth the agreed amount");
  o_outpoint_ = msg.outpoint;
  FlowOutput out;
  out.watch_txids.push_back(msg.outpoint.txid);
  out.watch_outpoints.push_back(msg.outpoint);
  return out;
}

FlowOutput SwapClient::on_tx(const btc::Transaction& tx, std::optional<uint32_t> height) {
  if (o_outpoint_ && tx.txid() == o_outpoint_->txid) {
    // O must be what the client agreed to, whatever L said.
    o_checked_ = o_outpoint_->n < tx.vout.size() && tx.vout[o_outpoint_->n] == output_->txout(terms_->out_amount);
    if (height && o_checked_) o_height_ = height;
  }
  for (const auto& in : tx.vin) {
    if (!o_outpoint_ || in.prevout != *o_outpoint_) continue;
    if (output_->is_refund(in)) refunded_ = true;
    if (claim_ && tx.txid() == claim_->txid() && height) claim_height_ = height;
  }
  return poll();
}

FlowOutput SwapClient::on_tx_unconfirmed(const btc::Txid& txid) {
  if (o_outpoint_ && txid == o_outpoint_->txid) o_height_.reset();
  if (claim_ && txid == claim_->txid()) claim_height_.reset();
  return poll();
}

FlowOutput SwapClient::on_tip(uint32_t tip) {
  tip_ = tip;
  return poll();
}

FlowOutput SwapClient::broadcast_claim(btc::Transaction tx) {
  FlowOutput out;
  claim_ = std::move(tx);
  stage_ = Stage::claimed;
  coop_nonce_.reset();
  out.broadcast.push_back(*claim_);
  return out;
}

FlowOutput SwapClient::claim_by_script() {
  auto claim = output_->claim(*o_outpoint_, terms_->out_amount, cfg_.claim_script, terms_->claim_fee_rate,
                              ClaimPath::hashlock);
  auto tx = claim ? output_->sign_hashlock(*claim, cfg_.fresh_key, preimage_) : Expected<btc::Transaction>(claim.error());
  if (!tx) {
    FlowOutput out;
    out.event(FlowEventKind::failed, tx.error().code);
    return out;
  }
  return broadcast_claim(std::move(*tx));
}

Expected<FlowOutput> SwapClient::on_swap_claim_sig(const SwapClaimSig& msg) {
  if (msg.id != cfg_.id) return make_error("migrate.wrong-migration", "for another migration");
  if (stage_ != Stage::claiming || !coop_nonce_) return out_of_order("no cooperative claim asked for");
  const std::vector<crypto::musig::PubNonce> nonces{msg.lsp_nonce, coop_nonce_->pubnonce};
  LADDER_ASSIGN(auto aggnonce, crypto::musig::nonce_agg(nonces));
  LADDER_ASSIGN(auto session, crypto::musig::Session::create(output_->keyagg(), aggnonce, coop_claim_->sighash));
  if (!session.verify(msg.lsp_psig, msg.lsp_nonce, output_->lsp_index())) {
    FlowOutput out = claim_by_script();  // L's partial is bad: the hashlock needs nobody
    out.event(FlowEventKind::reveal_blocked, "migrate.bad-partial");
    return out;
  }
  LADDER_ASSIGN(auto own, session.sign(std::move(coop_nonce_->secnonce), cfg_.fresh_key));
  const std::vector<crypto::musig::PartialSig> psigs{own, msg.lsp_psig};
  LADDER_ASSIGN(auto sig, session.aggregate(psigs));
  LADDER_ASSIGN(auto tx, output_->with_key_sig(*coop_claim_, sig));
  return broadcast_claim(std::move(tx));
}

FlowOutput SwapClient::on_old_channel_event(const channel::ChannelEvent& e) {
  FlowOutput out;
  if (!htlc_id_ || e.lock.id != *htlc_id_ || e.lock.kind != channel::LockKind::htlc) return out;
  if (e.kind == channel::ChannelEvent::Kind::outgoing_settled) {
    settled_ = true;
    out.event(FlowEventKind::settled);
    out.append(poll());
  } else if (e.kind == channel::ChannelEvent::Kind::outgoing_failed && !claim_ && stage_ != Stage::claiming) {
    stage_ = Stage::failed;  // the balance is back in the old channel
    out.event(FlowEventKind::failed, "migrate.leg-failed");
  }
  return out;
}

FlowOutput SwapClient::after_settle() {
  if (!settled_ || !cfg_.policy.handover) return FlowOutput{};
  return client_handover(gate_, *cfg_.old_channel, cfg_.id, cfg_.old_factory, cfg_.factory_key, *cfg_.ledger,
                         handover_sent_);
}

Expected<FlowOutput> SwapClient::on_handover_ack(const HandoverAck& ack) {
  if (ack.id != cfg_.id) return make_error("migrate.wrong-migration", "ack for another migration");
  if (!handover_sent_) return out_of_order("no handover in flight");
  handover_done_ = true;
  FlowOutput out;
  out.event(FlowEventKind::handed_over);
  out.append(poll());
  return out;
}

FlowOutput SwapClient::poll() {
  FlowOutput out;
  const uint32_t c = cfg_.legs.cutoff;
  switch (stage_) {
    case Stage::offered: {
      if (!may_reveal_on_chain(tip_, c, *terms_->legs.t_on)) {
        stage_ = Stage::abandoned;
        out.event(FlowEventKind::abandoned, "migrate.past-reveal-cutoff");
        return out;
      }
      if (!o_height_ || refunded_ || tip_ + 1 < *o_height_ + cfg_.policy.depth) return out;
      // Ask L to co-sign a key-path claim, revealing the preimage off-chain:
      // the hashlock leaf remains if it does not.
      auto claim = output_->claim(*o_outpoint_, terms_->out_amount, cfg_.claim_script, terms_->claim_fee_rate);
      crypto::musig::NonceGenOptions opts;
      opts.sk = &cfg_.fresh_key;
      if (claim) opts.msg = ByteView(claim->sighash);
      auto nonce = claim ? crypto::musig::nonce_gen(cfg_.fresh_key.pubkey(), opts)
                         : Expected<crypto::musig::NoncePair>(claim.error());
      if (!nonce) return claim_by_script();
      coop_claim_ = std::move(*claim);
      const crypto::musig::PubNonce pub = nonce->pubnonce;
      coop_nonce_.emplace(std::move(*nonce));
      coop_asked_at_ = tip_;
      stage_ = Stage::claiming;
      out.to_peer.push_back(SwapClaimRequest{cfg_.id, preimage_, terms_->claim_fee_rate, pub});
      out.event(FlowEventKind::revealed);
      return out;
    }
    case Stage::claiming:
      if (tip_ > coop_asked_at_) return claim_by_script();  // L did not answer within the block
      return out;
    case Stage::claimed: {
      const bool deep = claim_height_ && tip_ + 1 >= *claim_height_ + c;
      if (!deep) out.broadcast.push_back(*claim_);  // until c deep, after reorgs and evictions too
      out.append(after_settle());
      if (deep && (handover_done_ || !cfg_.policy.handover) && settled_) {
        stage_ = Stage::done;
        out.event(FlowEventKind::done);
      }
      return out;
    }
    case Stage::abandoned:
      raise_client_deadline(out, enforce_raised_, tip_, terms_->legs.t_in, *cfg_.old_channel);
      return out;
    default:
      return out;
  }
}

}  // namespace ladder::migrate
