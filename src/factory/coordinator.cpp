#include "factory/coordinator.h"

#include <algorithm>

#include "factory/crypto_cache.h"

namespace ladder::factory {

Expected<Coordinator> Coordinator::create(const Proposal& proposal) {
  LADDER_ASSIGN(auto tree, Tree::create(proposal.terms));
  Coordinator c(std::move(tree));
  c.ref_ = {proposal.terms.factory_id, proposal.attempt, c.tree_.layout().terms_hash};
  auto keys = c.tree_.all_txs();
  std::map<TxKey, uint32_t> index;
  c.txs_.reserve(keys.size());
  for (const auto& key : keys) {
    LADDER_ASSIGN(auto t, c.tree_.target(key));
    TxState s;
    s.key = key;
    s.sighash = t.sighash;
    s.agg = t.agg;
    std::tie(s.first, s.count) = c.tree_.signer_range(key);
    s.nonces.resize(s.count + 1);
    s.psigs.resize(s.count + 1);
    index[key] = static_cast<uint32_t>(c.txs_.size());
    c.all_tx_indices_.push_back(static_cast<uint32_t>(c.txs_.size()));
    c.txs_.push_back(std::move(s));
  }
  uint32_t n = c.tree_.client_count();
  c.client_txs_.resize(n);
  for (uint32_t client = 0; client < n; ++client)
    for (const auto& key : c.tree_.txs_of_client(client)) c.client_txs_[client].push_back(index.at(key));
  c.have_nonces_.assign(n + 1, false);
  c.have_partials_.assign(n + 1, false);
  c.have_acks_.assign(n + 1, false);
  return c;
}

size_t Coordinator::session_signer_total() const {
  size_t total = 0;
  for (const auto& t : txs_) total += t.count + 1;
  return total;
}

const std::vector<uint32_t>& Coordinator::txs_of(uint32_t who) const {
  return who == kLsp ? all_tx_indices_ : client_txs_.at(who);
}

Status Coordinator::check_sender(uint32_t who, const CeremonyRef& ref, size_t items) const {
  if (who != kLsp && who >= client_txs_.size())
    return make_error("factory.unknown-participant", "participant " + std::to_string(who) + " is not in this factory");
  if (!(ref == ref_))
    return make_culprit_error("factory.wrong-ceremony", blame(who), "batch", "message for another ceremony or attempt");
  if (items != txs_of(who).size())
    return make_culprit_error("factory.bad-batch", blame(who), "batch",
                              "expected " + std::to_string(txs_of(who).size()) + " items, got " + std::to_string(items));
  return ok();
}

std::vector<uint32_t> Coordinator::missing(const std::vector<bool>& have) const {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i + 1 < have.size(); ++i)
    if (!have[i]) out.push_back(i);
  if (!have.back()) out.push_back(kLsp);
  return out;
}

std::vector<uint32_t> Coordinator::missing_nonces() const { return missing(have_nonces_); }
std::vector<uint32_t> Coordinator::missing_partials() const { return missing(have_partials_); }
std::vector<uint32_t> Coordinator::missing_acks() const { return missing(have_acks_); }
bool Coordinator::all_acked() const { return missing_acks().empty(); }

static size_t slot(uint32_t who, size_t clients) { return who == kLsp ? clients : who; }

Status Coordinator::on_nonces(uint32_t who, const NonceBatch& batch) {
  LADDER_TRY(check_sender(who, batch.ref, batch.nonces.size()));
  if (aggnonces_sent_) return make_culprit_error("factory.out-of-order", blame(who), "batch", "nonces after round one");
  const auto& mine = txs_of(who);
  std::vector<crypto::musig::PubNonce> parsed;
  parsed.reserve(mine.size());
  for (const auto& b : batch.nonces) {
    auto p = crypto::musig::PubNonce::parse(b, blame(who), "pubnonce");
    if (!p) return make_culprit_error("factory.bad-nonce", blame(who), "nonce", p.error().message);
    parsed.push_back(std::move(*p));
  }
  for (size_t i = 0; i < mine.size(); ++i) {
    TxState& t = txs_[mine[i]];
    t.nonces[position(t, who)] = std::move(parsed[i]);
  }
  have_nonces_[slot(who, client_txs_.size())] = true;
  return ok();
}

Expected<AggNonceBatch> Coordinator::aggnonces_for(uint32_t who) {
  if (!missing_nonces().empty()) return make_error("factory.out-of-order", "not every nonce is in");
  if (!aggnonces_sent_) {
    std::vector<crypto::musig::PubNonce> all;
    for (auto& t : txs_) {
      all.clear();
      for (auto& n : t.nonces) all.push_back(*n);
      LADDER_ASSIGN(auto agg, crypto::musig::nonce_agg(all));
      t.aggnonce = std::move(agg);
    }
    aggnonces_sent_ = true;
  }
  AggNonceBatch out{ref_, {}};
  for (uint32_t i : txs_of(who)) out.aggnonces.push_back(txs_[i].aggnonce->bytes());
  return out;
}

Status Coordinator::on_partials(uint32_t who, const PartialBatch& batch) {
  LADDER_TRY(check_sender(who, batch.ref, batch.psigs.size()));
  if (!aggnonces_sent_) return make_culprit_error("factory.out-of-order", blame(who), "batch", "partials before round two");
  const auto& mine = txs_of(who);
  std::vector<crypto::musig::PartialSig> parsed;
  parsed.reserve(mine.size());
  for (const auto& b : batch.psigs) {
    auto p = crypto::musig::PartialSig::parse(b, blame(who));
    if (!p) return make_culprit_error("factory.bad-partial", blame(who), "psig", p.error().message);
    parsed.push_back(*p);
  }
  for (size_t i = 0; i < mine.size(); ++i) {
    TxState& t = txs_[mine[i]];
    t.psigs[position(t, who)] = parsed[i];
  }
  have_partials_[slot(who, client_txs_.size())] = true;
  return ok();
}

Status Coordinator::finalize() {
  if (!missing_partials().empty()) return make_error("factory.out-of-order", "not every partial signature is in");
  culprits_.clear();
  std::vector<crypto::musig::PartialSig> psigs;
  for (auto& t : txs_) {
    psigs.clear();
    for (auto& p : t.psigs) psigs.push_back(*p);
    LADDER_ASSIGN(auto session, CryptoCache::shared().session(t.agg->tweaked, *t.aggnonce, t.sighash));
    auto sig = session->aggregate(psigs);
    auto xonly = crypto::XOnlyPubKey::parse(t.agg->output.output_key);
    if (sig && xonly && CryptoCache::shared().verify(*sig, t.sighash, *xonly)) {
      t.sig = *sig;
      continue;
    }
    // Name whoever signed wrongly.
    for (uint32_t pos = 0; pos <= t.count; ++pos) {
      uint32_t who = pos == t.count ? kLsp : t.first + pos;
      crypto::PubKey pk = who == kLsp ? tree_.layout().lsp_key : tree_.layout().client_keys[who];
      auto index = t.agg->tweaked.index_of(pk);
      if (!index || !session->verify(*t.psigs[pos], *t.nonces[pos], *index))
        if (std::find(culprits_.begin(), culprits_.end(), who) == culprits_.end()) culprits_.push_back(who);
    }
  }
  if (!culprits_.empty())
    return make_culprit_error("factory.bad-partial", blame(culprits_.front()), "psig",
                              std::to_string(culprits_.size()) + " participant(s) sent invalid partial signatures");
  for (auto& t : txs_) {
    LADDER_ASSIGN(auto target, tree_.target(t.key));
    LADDER_TRY(tree_.add_signature(target, *t.sig));
  }
  finalized_ = true;
  return ok();
}

Expected<SignatureBatch> Coordinator::signatures_for(uint32_t who) {
  if (!finalized_) return make_error("factory.out-of-order", "signatures are not complete");
  SignatureBatch out{ref_, {}};
  for (uint32_t i : txs_of(who)) out.sigs.push_back(txs_[i].sig->bytes());
  return out;
}

Status Coordinator::on_ack(uint32_t who, const CeremonyAck& ack) {
  if (who != kLsp && who >= client_txs_.size())
    return make_error("factory.unknown-participant", "participant " + std::to_string(who) + " is not in this factory");
  if (!(ack.ref == ref_)) return make_culprit_error("factory.wrong-ceremony", blame(who), "batch", "ack for another ceremony");
  if (!finalized_) return make_culprit_error("factory.out-of-order", blame(who), "batch", "ack before signatures");
  have_acks_[slot(who, client_txs_.size())] = true;
  return ok();
}

}  // namespace ladder::factory
