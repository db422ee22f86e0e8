// The Lsp's day: joiners, the day's factory (terms, batch, ceremony), the
// deposits, and the broadcast of the batch once the construction completed.
#include <algorithm>

#include "btc/sighash.h"
#include "crypto/schnorr.h"
#include "factory/fees.h"
#include "lsp/lsp.h"

namespace ladder::lsp {

namespace {
Bytes id_of(uint64_t v) {
  Bytes b(8);
  for (int i = 0; i < 8; ++i) b[static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (56 - 8 * i));
  return b;
}
}  // namespace

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

void Lsp::on_day_block(uint32_t offset) {
  if (offset != config_.ceremony_offset || building_ || joiners_.empty()) return;
  Status s = start_construction();
  if (!s) fail(s.error());
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

Status Lsp::start_construction() {
  Building b;
  b.factory_id = next_factory_id_++;
  mark("lsp/meta", {});
  for (auto& j : joiners_) {
    if (b.joiners.size() >= config_.max_clients) break;
    if (connected_.count(j.peer)) b.joiners.push_back(j);
  }
  if (b.joiners.empty()) return ok();
  std::erase_if(joiners_, [&](const Joiner& j) {
    return std::any_of(b.joiners.begin(), b.joiners.end(), [&](const Joiner& x) { return x.peer == j.peer; });
  });
  mark("lsp/joiners", {});
  LADDER_ASSIGN(b.terms, draft_terms(b.factory_id, b.joiners));
  LADDER_TRY(freeze_batch(b, std::nullopt));
  building_.emplace(std::move(b));
  mark("lsp/building", {});
  return propose(*building_, 0);
}

// Adds the funding of `b`'s factory (and its deposits and wallet coins) to a
// new batch, or to `rebuilt` after a failed attempt, and freezes it.
Status Lsp::freeze_batch(Building& b, std::optional<migrate::Batch> rebuilt) {
  LADDER_ASSIGN(auto draft, factory::Tree::create(b.terms));
  LADDER_ASSIGN(auto funding_key, draft.funding_key());
  const btc::Amount rate = fee_rate();
  migrate::Batch batch = rebuilt ? std::move(*rebuilt)
                                 : migrate::Batch(next_batch_id_++, height_ + config_.stage_timeout * 3, rate,
                                                  wallet_.script(), config_.params.dust_limit);
  LADDER_TRY(batch.add_output({migrate::BatchOutputKind::factory_funding, b.factory_id, {},
                               btc::TxOut{draft.funding_value(), funding_key->script}}));
  btc::Amount in = 0, out = 0;
  int64_t vsize = 11 + core::kP2trOutputVsize;  // skeleton and change
  for (const auto& i : batch.inputs()) {
    in += i.spent.value;
    vsize += core::kKeyPathInputVsize;
  }
  if (!rebuilt) {
    for (const auto& j : b.joiners) {
      if (!j.request.deposit) continue;
      LADDER_TRY(batch.add_input({j.request.deposit->outpoint, j.request.deposit->out}));
      in += j.request.deposit->out.value;
      vsize += core::kKeyPathInputVsize;
    }
  }
  for (const auto& o : batch.outputs()) {
    out += o.out.value;
    vsize += core::kP2trOutputVsize;
  }
  const btc::Amount need = out + factory::fee_for(vsize, rate) + config_.params.dust_limit - in;
  if (need > 0) {
    LADDER_ASSIGN(auto coins, wallet_.select(host_.chain, need, rate, true));
    for (const auto& c : coins) {
      LADDER_TRY(batch.add_input({c.outpoint, c.out}));
      wallet_.reserve(c.outpoint);
    }
  }
  LADDER_TRY(batch.freeze());
  LADDER_ASSIGN(b.terms.funding, batch.outpoint_of_factory(b.factory_id));
  b.batch.emplace(std::move(batch));
  return ok();
}

Status Lsp::propose(Building& b, uint32_t attempt) {
  std::vector<core::PeerId> peers;
  for (const auto& j : b.joiners) peers.push_back(j.peer);
  LADDER_ASSIGN(auto key, keys_.factory_key(b.factory_id));
  LADDER_ASSIGN(auto c, Construction::start(b.terms, std::move(peers), attempt, key, keys_, config_.channel, height_,
                                            guard_, *guard_store_, pending_));
  b.construction.emplace(std::move(c));
  b.deposit_sigs.clear();
  event("factory.proposed", b.factory_id, std::nullopt, b.batch->unsigned_tx().vout.at(b.terms.funding.n).value,
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
  LADDER_TRY(b.batch->construction_completed(b.factory_id));
  event("factory.constructed", b.factory_id, std::nullopt, 0, std::to_string(b.joiners.size()) + " clients acked");
  const auto& tx = b.batch->unsigned_tx();
  std::vector<btc::TxOut> spent;
  for (const auto& i : b.batch->inputs()) spent.push_back(i.spent);
  for (uint32_t c = 0; c < b.joiners.size(); ++c) {
    const auto& dep = b.joiners[c].request.deposit;
    if (!dep) continue;
    for (uint32_t i = 0; i < tx.vin.size(); ++i)
      if (tx.vin[i].prevout == dep->outpoint)
        pending_.send(b.joiners[c].peer, migrate::DepositSignRequest{b.factory_id, tx, spent, i});
  }
  return maybe_broadcast_batch();
}

Status Lsp::on_deposit_sig(const core::PeerId& from, const migrate::DepositSig& s) {
  if (!building_ || !building_->constructed || building_->factory_id != s.factory_id)
    return make_error("lsp.unexpected-message", "no deposit is being collected for that factory");
  Building& b = *building_;
  auto who = b.construction->index_of(from);
  if (!who || !b.joiners[*who].request.deposit) return make_error("lsp.unexpected-message", "no deposit of that peer");
  const auto& dep = *b.joiners[*who].request.deposit;
  const auto& tx = b.batch->unsigned_tx();
  std::vector<btc::TxOut> spent;
  for (const auto& i : b.batch->inputs()) spent.push_back(i.spent);
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
  return maybe_broadcast_batch();
}

Status Lsp::maybe_broadcast_batch() {
  Building& b = *building_;
  btc::Transaction tx = b.batch->unsigned_tx();
  std::vector<btc::TxOut> spent;
  for (const auto& i : b.batch->inputs()) spent.push_back(i.spent);
  for (uint32_t c = 0; c < b.joiners.size(); ++c) {
    const auto& dep = b.joiners[c].request.deposit;
    if (!dep) continue;
    auto sig = b.deposit_sigs.find(c);
    if (sig == b.deposit_sigs.end()) return ok();  // still waiting
    for (auto& in : tx.vin)
      if (in.prevout == dep->outpoint) in.witness = {Bytes(sig->second.begin(), sig->second.end())};
  }
  for (size_t i = 0; i < tx.vin.size(); ++i)
    if (spent[i].script_pubkey == wallet_.script()) LADDER_TRY(wallet_.sign(tx, i, spent));
  LADDER_TRY(b.batch->set_signed(tx));
  LADDER_ASSIGN(auto signed_tx, b.batch->broadcast());
  pending_.broadcast(signed_tx, "batch", b.factory_id);
  pending_.watch_txid(signed_tx.txid());

  LiveFactory f;
  f.id = b.factory_id;
  f.tree.emplace(std::move(b.construction->tree()));
  f.batch_id = b.batch->id();
  f.funding_txid = signed_tx.txid();
  auto& chans = b.construction->channels();
  for (uint32_t c = 0; c < b.joiners.size(); ++c) {
    Member m;
    m.peer = b.joiners[c].peer;
    m.channel = std::move(chans[c]);
    channel_index_[m.channel->id()] = {f.id, c};
    mark("lsp/channel", Bytes(m.channel->id().begin(), m.channel->id().end()));
    f.members.push_back(std::move(m));
  }
  event("factory.born", f.id, std::nullopt, signed_tx.vout.at(b.terms.funding.n).value,
        std::to_string(f.members.size()) + " clients, funding " + signed_tx.txid().hex());
  mark("lsp/factory", id_of(f.id));
  batches_.emplace(b.batch->id(), BatchRecord{std::move(*b.batch), std::nullopt});
  mark("lsp/batch", id_of(f.batch_id));
  factories_.emplace(f.id, std::move(f));
  building_.reset();
  mark("lsp/building", {});
  return ok();
}

Status Lsp::retry_construction(const std::vector<uint32_t>& drop) {
  Building& b = *building_;
  for (uint32_t who : drop)
    pending_.send(b.joiners.at(who).peer, migrate::JoinReject{b.joiners[who].request.id, "lsp.dropped",
                                                              "did not complete the ceremony in time"});
  std::vector<Joiner> keep;
  for (uint32_t c = 0; c < b.joiners.size(); ++c)
    if (std::find(drop.begin(), drop.end(), c) == drop.end()) keep.push_back(b.joiners[c]);
  event("factory.retry", b.factory_id, std::nullopt, 0, std::to_string(drop.size()) + " dropped");
  const uint32_t attempt = b.construction->attempt() + 1;
  // The new batch spends the abandoned one's inputs again (so at most one
  // of them can ever confirm), except the deposits of dropped clients.
  LADDER_ASSIGN(auto rebuilt, b.batch->rebuild_without(b.factory_id, next_batch_id_++));
  migrate::Batch next(rebuilt.id(), rebuilt.promised_height(), fee_rate(), wallet_.script(), config_.params.dust_limit);
  for (const auto& in : rebuilt.inputs()) {
    const bool dropped_deposit = std::any_of(drop.begin(), drop.end(), [&](uint32_t who) {
      const auto& dep = b.joiners[who].request.deposit;
      return dep && dep->outpoint == in.outpoint;
    });
    if (!dropped_deposit) LADDER_TRY(next.add_input(in));
  }
  for (const auto& o : rebuilt.outputs()) LADDER_TRY(next.add_output(o));
  b.construction.reset();
  b.joiners = std::move(keep);
  mark("lsp/building", {});
  if (b.joiners.empty()) {
    for (const auto& i : next.inputs()) wallet_.release(i.outpoint);
    building_.reset();
    return ok();
  }
  LADDER_ASSIGN(b.terms, draft_terms(b.factory_id, b.joiners));
  LADDER_TRY(freeze_batch(b, std::move(next)));
  return propose(b, attempt);
}

void Lsp::check_construction_timeout() {
  if (!building_ || !building_->construction) return;
  Building& b = *building_;
  if (height_ < b.construction->stage_height() + config_.stage_timeout) return;
  auto missing = b.construction->missing();
  if (b.constructed) return;  // deposits: handled by the batch's own deadline
  if (missing.empty()) return;
  Status s = retry_construction(missing);
  if (!s) fail(s.error());
}

}  // namespace ladder::lsp
