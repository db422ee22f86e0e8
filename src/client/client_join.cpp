// Joining a factory: the request, the ceremony with the channel open on the
// client's leaf, the tower update before the ack, and the deposit signature.
#include "btc/sighash.h"
#include "client/client.h"
#include "crypto/schnorr.h"

namespace ladder::client {

Status Client::join(std::optional<migrate::Deposit> deposit) {
  if (joining_) return make_error("client.busy", "already joining a factory");
  // The index is never reused: the ledger persists it before the key is sent.
  LADDER_ASSIGN(auto index, ledger_.reserve_next_index());
  LADDER_ASSIGN(auto key, keys_.factory_key(index));
  Joining j;
  j.key_index = index;
  j.request.id = host_.random.bytes32();
  j.request.factory_key = key.pubkey().bytes();
  j.request.inbound = config_.policy.inbound;
  j.request.deposit = std::move(deposit);
  send_to_lsp(j.request);
  joining_.emplace(std::move(j));
  event("client.join-requested", 0);
  return flush();
}

Status Client::on_join_offer(const migrate::JoinOffer& o) {
  if (!joining_ || joining_->request.id != o.id) return make_error("client.unexpected-message", "no such join");
  const auto& dep = joining_->request.deposit;
  const btc::Amount max_fee = config_.policy.max_fee_base;
  if (dep && dep->out.value - o.client_balance > max_fee) {
    joining_.reset();
    return make_error("client.fee-too-high", "the join would cost " + std::to_string(dep->out.value - o.client_balance));
  }
  if (o.lsp_balance < config_.policy.inbound) {
    joining_.reset();
    return make_error("client.inbound-too-small", "L offers less inbound liquidity than asked for");
  }
  joining_->offer = o;
  return ok();
}

Status Client::on_join_reject(const migrate::JoinReject& r) {
  if (!joining_ || joining_->request.id != r.id) return make_error("client.unexpected-message", "no such join");
  event("client.join-rejected", joining_->offer ? joining_->offer->factory_id : 0, 0, r.code);
  if (joining_->factory_id) memberships_.erase(joining_->factory_id);
  joining_.reset();
  return ok();
}

Status Client::on_proposal(const factory::Proposal& p) {
  if (!joining_ || !joining_->offer || p.terms.factory_id != joining_->offer->factory_id)
    return make_error("client.unexpected-message", "a proposal for a factory this client did not ask to join");
  if (joining_->factory_id) return make_error("client.unexpected-message", "the ceremony already completed");
  const auto& offer = *joining_->offer;
  factory::ClientExpectations e;
  e.params = config_.params;
  e.client_balance = offer.client_balance;
  e.lsp_balance = offer.lsp_balance;
  e.min_birth = offer.ceremony_height > 6 ? offer.ceremony_height - 6 : 0;
  e.max_birth = offer.ceremony_height + 144;
  LADDER_TRY(ledger_.fill(e));
  LADDER_ASSIGN(auto key, keys_.factory_key(joining_->key_index));
  // A new attempt starts from a fresh signer (fresh nonces; the guard keeps what was signed).
  joining_->signer.emplace(factory::Signer::client(key, std::move(e), guard_, *guard_store_));
  joining_->channel.reset();
  joining_->channel_ready = false;
  LADDER_ASSIGN(auto nonces, joining_->signer->on_proposal(p));
  send_to_lsp(std::move(nonces));
  return ok();
}

Status Client::on_open_channel(const channel::OpenChannel& m) {
  if (!joining_ || !joining_->signer || !joining_->signer->client_index())
    return make_error("client.unexpected-message", "open_channel outside a ceremony");
  auto& signer = *joining_->signer;
  factory::Tree& tree = signer.tree();
  const uint32_t idx = *signer.client_index();
  const auto& terms = tree.terms();
  LADDER_ASSIGN(auto lsp_key, crypto::PubKey::parse(terms.lsp_key));
  LADDER_ASSIGN(auto key, keys_.factory_key(joining_->key_index));
  LADDER_ASSIGN(auto outpoint, tree.leaf_outpoint(tree.shape().leaf_of(idx), tree.shape().slot_in_leaf(idx)));
  const uint32_t channel_index = next_channel_index_++;
  mark("client/meta", {});
  channel::ChannelConfig cfg{channel::Role::client,
                             key,
                             lsp_key,
                             keys_.channel_seed(channel_index),
                             config_.channel,
                             channel::Deadlines{terms.heights.timeout, terms.heights.x},
                             channel::Binding{outpoint, tree.capacity(idx)},
                             joining_->offer->client_balance,
                             height_};
  LADDER_ASSIGN(auto accepted, channel::Channel::accept(std::move(cfg), m));
  joining_->channel.emplace(std::move(accepted.first));
  send_to_lsp(std::move(accepted.second));
  return ok();
}

Status Client::on_ceremony(const migrate::PeerMessage& m) {
  if (!joining_ || !joining_->signer) return make_error("client.unexpected-message", "no ceremony in progress");
  auto& signer = *joining_->signer;
  if (auto* a = std::get_if<factory::AggNonceBatch>(&m)) {
    LADDER_ASSIGN(auto psigs, signer.on_aggnonces(*a));
    send_to_lsp(std::move(psigs));
    return ok();
  }
  const auto& sigs = std::get<factory::SignatureBatch>(m);
  if (!joining_->channel_ready) return make_error("client.channel-not-ready", "signatures before the first commitment");
  LADDER_ASSIGN(auto ack, signer.on_signatures(sigs));
  // The factory is now signed on the client's whole path: it becomes a membership.
  Membership mb;
  mb.tree.emplace(signer.tree());
  mb.factory_id = mb.tree->terms().factory_id;
  mb.index = *signer.client_index();
  mb.key_index = joining_->key_index;
  mb.channel = std::move(joining_->channel);
  mb.deposit = joining_->request.deposit;
  mb.insured = mb.tree->insured(mb.index);
  joining_->signer.reset();
  joining_->factory_id = mb.factory_id;
  joining_->held_ack = ack;
  pending_.watch_txid(mb.tree->terms().funding.txid);
  auto [it, inserted] = memberships_.insert_or_assign(mb.factory_id, std::move(mb));
  mark("client/membership", {});
  event("client.signed", it->first, 0, "path signed, channel " + to_hex(it->second.channel->id()).substr(0, 12));
  if (config_.tower) joining_->tower_seq = update_tower(it->second, true, {});
  return maybe_ack();
}

Status Client::maybe_ack() {
  if (!joining_ || !joining_->held_ack || joining_->tower_seq != 0) return ok();
  const uint64_t fid = joining_->factory_id;
  send_to_lsp(*joining_->held_ack);
  joining_.reset();
  event("client.joined", fid, memberships_.at(fid).channel->latest_spec().to_holder);
  return ok();
}

Status Client::on_deposit_request(const migrate::DepositSignRequest& r) {
  auto it = memberships_.find(r.factory_id);
  if (it == memberships_.end() || !it->second.deposit)
    return make_error("client.unexpected-message", "no deposit of this client for that factory");
  Membership& m = it->second;
  const auto& dep = *m.deposit;
  const auto& funding = m.tree->terms().funding;
  LADDER_ASSIGN(auto fkey, m.tree->funding_key());
  if (r.tx.txid() != funding.txid || funding.n >= r.tx.vout.size() ||
      r.tx.vout[funding.n] != btc::TxOut{m.tree->funding_value(), fkey->script})
    return make_error("client.bad-batch", "the batch does not fund the factory this client signed");
  if (r.input >= r.tx.vin.size() || r.spent.size() != r.tx.vin.size() || r.tx.vin[r.input].prevout != dep.outpoint ||
      r.spent[r.input] != dep.out)
    return make_error("client.bad-batch", "the batch does not spend this client's deposit as stated");
  btc::Transaction tx = r.tx;
  LADDER_TRY(wallet_.sign(tx, r.input, r.spent));
  Bytes64 sig{};
  std::copy(tx.vin[r.input].witness.at(0).begin(), tx.vin[r.input].witness.at(0).end(), sig.begin());
  m.deposit.reset();
  mark("client/membership", {});
  send_to_lsp(migrate::DepositSig{r.factory_id, sig});
  return ok();
}

}  // namespace ladder::client
