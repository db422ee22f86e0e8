// Joiners and the day's factory: terms, ceremony (with the channel opens),
// retries, and the deposits collected once the construction completed.
#include <algorithm>

#include "btc/sighash.h"
#include "crypto/schnorr.h"
#include "factory/fees.h"
#include "lsp/lsp.h"

namespace ladder::lsp {

btc::Amount Lsp::fee_rate() {
  auto r = host_.chain.fee_rate(6);
  return r ? std::max<btc::Amount>(*r, 1000) : config_.fallback_fee_rate;
}

uint32_t Lsp::next_ceremony_height() const {
  const uint32_t day_start = height_ - height_ % config_.blocks_per_day;
  const uint32_t today = day_start + config_.ceremony_offset;
  return height_ < today ? today : today + config_.blocks_per_day;
}

Status Lsp::on_join(const core::PeerId& from, const migrate::JoinRequest& r) {
  auto reject = [&](std::string code, std::string msg) -> Status {
    pending_.send(from, migrate::JoinReject{r.id, code, msg});
    return make_error(code, msg);
  };
  if (!crypto::PubKey::parse(r.factory_key)) return reject("lsp.bad-key", "the factory key does not parse");
  btc::Amount client_balance = 0, fee = 0;
  if (r.deposit) {
    // The coin must exist and be unspent: a bogus deposit would stall the batch.
    LADDER_ASSIGN(auto coins, host_.chain.unspent(r.deposit->out.script_pubkey));
    const bool found = std::any_of(coins.begin(), coins.end(), [&](const chain::Utxo& u) {
      return u.outpoint == r.deposit->outpoint && u.out == r.deposit->out && u.height >= 0;
    });
    if (!found) return reject("lsp.bad-deposit", "the deposit is not a confirmed unspent output");
    fee = factory::fee_for(core::kKeyPathInputVsize, fee_rate()) + config_.join_fee;
    client_balance = r.deposit->out.value - fee;
    if (client_balance < 0) return reject("lsp.deposit-too-small", "the deposit does not cover its fees");
  }
  const btc::Amount lsp_balance = std::max(r.inbound, config_.min_inbound);
  if (client_balance + lsp_balance < config_.params.min_channel_capacity)
    return reject("lsp.channel-too-small", "below the minimum channel capacity");
  if (building_ && std::any_of(building_->joiners.begin(), building_->joiners.end(),
                               [&](const Joiner& j) { return j.peer == from; }))
    return reject("lsp.busy", "already in the factory under construction");
  std::erase_if(joiners_, [&](const Joiner& j) { return j.peer == from; });
  joiners_.push_back({from, r, client_balance, lsp_balance, fee});
  mark("lsp/joiners", {});
  pending_.send(from, migrate::JoinOffer{r.id, next_factory_id_, next_ceremony_height(), client_balance, lsp_balance, fee});
  return ok();
}

Expected<factory::FactoryTerms> Lsp::draft_terms(uint64_t factory_id, const std::vector<Joiner>& joiners) {
  factory::FactoryTerms t;
  t.factory_id = factory_id;
  t.params = config_.params;
  LADDER_ASSIGN(auto key, keys_.factory_key(factory_id));
  t.lsp_key = key.pubkey().bytes();
  for (const auto& j : joiners) t.clients.push_back({j.request.factory_key, j.client_balance, j.lsp_balance});
  LADDER_ASSIGN(auto shape, factory::Shape::build(static_cast<uint32_t>(joiners.size()), t.params));
  t.lstock.assign(shape.leaves().size(), config_.lstock_per_leaf);
  t.heights = factory::compute_heights(t.params, shape.levels(), height_);
  return t;
}

// The joiners that are online now, up to a factory's size, leave the queue.
std::vector<Joiner> Lsp::take_joiners() {
  std::vector<Joiner> out;
  if (building_) return out;  // yesterday's factory is still being built
  for (auto& j : joiners_) {
    if (out.size() >= config_.max_clients) break;
    if (connected_.count(j.peer)) out.push_back(j);
  }
  std::erase_if(joiners_, [&](const Joiner& j) {
    return std::any_of(out.begin(), out.end(), [&](const Joiner& x) { return x.peer == j.peer; });
  });
  if (!out.empty()) mark("lsp/joiners", {});
  return out;
}

Status Lsp::propose(Building& b, uint32_t attempt) {
  std::vector<core::PeerId> peers;
  for (const auto& j : b.joiners) peers.push_back(j.peer);
  LADDER_ASSIGN(auto key, keys_.factory_key(b.factory_id));
  LADDER_ASSIGN(auto c, Construction::start(b.terms, std::move(peers), attempt, key, keys_, config_.channel, height_,
                                            guard_, *guard_store_, pending_));
  b.construction.emplace(std::move(c));
  b.deposit_sigs.clear();
  const auto& batch = pending_batches_.at(b.batch_id).batch;
  event("factory.proposed", b.factory_id, std::nullopt, batch.unsigned_tx().vout.at(b.terms.funding.n).value,
        std::to_string(b.joiners.size()) + " clients, attempt " + std::to_string(attempt));
  return ok();
}

Status Lsp::on_construction_message(uint32_t who, const migrate::PeerMessage& m) {
  Building& b = *building_;
  Status s = b.construction->on_message(who, m, height_, pending_);
  if (!s) {
    // A bad contribution ends the attempt; the culprits are dropped.
    auto culprits = b.construction->culprits();
    if (culprits.empty() && s.error().index >= 0) culprits.push_back(static_cast<uint32_t>(s.error().index));
    if (culprits.empty()) culprits.push_back(who);
    Status r = retry_construction(culprits);
    if (!r) fail(r.error());
    return s;
  }
  mark("lsp/building", {});
  if (b.construction->complete()) return construction_completed();
  return ok();
}

Status Lsp::construction_completed() {
  Building& b = *building_;
  b.constructed = true;
  PendingBatch& pb = pending_batches_.at(b.batch_id);
  LADDER_TRY(pb.batch.construction_completed(b.factory_id));
  event("factory.constructed", b.factory_id, std::nullopt, 0, std::to_string(b.joiners.size()) + " clients acked");
  const auto& tx = pb.batch.unsigned_tx();
  std::vector<btc::TxOut> spent;
  for (const auto& i : pb.batch.inputs()) spent.push_back(i.spent);
  for (uint32_t c = 0; c < b.joiners.size(); ++c) {
    const auto& dep = b.joiners[c].request.deposit;
    if (!dep) continue;
    for (uint32_t i = 0; i < tx.vin.size(); ++i)
      if (tx.vin[i].prevout == dep->outpoint)
        pending_.send(b.joiners[c].peer, migrate::DepositSignRequest{b.factory_id, tx, spent, i});
  }
  // Claim sessions on the batch may begin only now (DESIGN §6 batching rules).
  LADDER_TRY(start_claims(pb));
  return maybe_broadcast(b.batch_id);
}

Status Lsp::on_deposit_sig(const core::PeerId& from, const migrate::DepositSig& s) {
  if (!building_ || !building_->constructed || building_->factory_id != s.factory_id)
    return make_error("lsp.unexpected-message", "no deposit is being collected for that factory");
  Building& b = *building_;
  auto who = b.construction->index_of(from);
  if (!who || !b.joiners[*who].request.deposit) return make_error("lsp.unexpected-message", "no deposit of that peer");
  const auto& dep = *b.joiners[*who].request.deposit;
  const auto& pb = pending_batches_.at(b.batch_id);
  const auto& tx = pb.batch.unsigned_tx();
  std::vector<btc::TxOut> spent;
  for (const auto& i : pb.batch.inputs()) spent.push_back(i.spent);
  size_t index = 0;
  while (index < tx.vin.size() && tx.vin[index].prevout != dep.outpoint) ++index;
  auto data = btc::precompute_tx_data(tx, spent);
  LADDER_ASSIGN(auto sighash, btc::taproot_sighash(tx, index, btc::SIGHASH_DEFAULT, data, std::nullopt, nullptr));
  auto program = btc::witness_program(dep.out.script_pubkey);
  if (!program || program->program.size() != 32) return make_error("lsp.bad-deposit", "the deposit is not P2TR");
  LADDER_ASSIGN(auto key, crypto::XOnlyPubKey::parse(program->program));
  if (!crypto::schnorr_verify(crypto::SchnorrSig(s.sig), sighash, key))
    return make_error("lsp.bad-deposit-signature", "the deposit signature does not verify");
  b.deposit_sigs[*who] = s.sig;
  mark("lsp/building", {});
  return maybe_broadcast(b.batch_id);
}

// The factory's funding went out with its batch: it is live from L's side.
void Lsp::factory_funded(const btc::Transaction& batch_tx) {
  Building& b = *building_;
  LiveFactory f;
  f.id = b.factory_id;
  f.tree.emplace(std::move(b.construction->tree()));
  f.batch_id = b.batch_id;
  f.funding_txid = batch_tx.txid();
  auto& chans = b.construction->channels();
  for (uint32_t c = 0; c < b.joiners.size(); ++c) {
    Member m;
    m.peer = b.joiners[c].peer;
    m.channel = std::move(chans[c]);
    channel_index_[m.channel->id()] = {f.id, c};
    mark("lsp/channel", Bytes(m.channel->id().begin(), m.channel->id().end()));
    f.members.push_back(std::move(m));
  }
  event("factory.born", f.id, std::nullopt, batch_tx.vout.at(b.terms.funding.n).value,
        std::to_string(f.members.size()) + " clients, funding " + batch_tx.txid().hex());
  mark("lsp/factory", be64(f.id));
  factories_.emplace(f.id, std::move(f));
  building_.reset();
  mark("lsp/building", {});
}

Status Lsp::retry_construction(const std::vector<uint32_t>& drop) {
  Building& b = *building_;
  for (uint32_t who : drop)
    pending_.send(b.joiners.at(who).peer, migrate::JoinReject{b.joiners[who].request.id, "lsp.dropped",
                                                              "did not complete the ceremony in time"});
  std::vector<Joiner> keep;
  std::vector<btc::OutPoint> dropped_deposits;
  for (uint32_t c = 0; c < b.joiners.size(); ++c) {
    if (std::find(drop.begin(), drop.end(), c) == drop.end()) keep.push_back(b.joiners[c]);
    else if (b.joiners[c].request.deposit) dropped_deposits.push_back(b.joiners[c].request.deposit->outpoint);
  }
  event("factory.retry", b.factory_id, std::nullopt, 0, std::to_string(drop.size()) + " dropped");
  const uint32_t attempt = b.construction->attempt() + 1;
  b.construction.reset();
  b.joiners = std::move(keep);
  mark("lsp/building", {});
  if (!b.joiners.empty()) {
    LADDER_ASSIGN(b.terms, draft_terms(b.factory_id, b.joiners));
  }
  // The new batch spends the abandoned one's inputs again (so at most one of
  // them can ever confirm), minus the dropped clients' deposits.
  LADDER_ASSIGN(auto next, rebuild_batch(b.batch_id, b.factory_id, dropped_deposits,
                                         b.joiners.empty() ? nullptr : &b));
  if (b.joiners.empty()) {
    building_.reset();
    return ok();
  }
  b.batch_id = next;
  return propose(b, attempt);
}

void Lsp::check_construction_timeout() {
  if (!building_ || !building_->construction || building_->constructed) return;
  Building& b = *building_;
  if (height_ < b.construction->stage_height() + config_.stage_timeout) return;
  auto missing = b.construction->missing();
  if (missing.empty()) return;
  Status s = retry_construction(missing);
  if (!s) fail(s.error());
}

}  // namespace ladder::lsp
