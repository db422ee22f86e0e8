#include "factory/signer.h"

#include "factory/crypto_cache.h"
#include "factory/tx_checks.h"

namespace ladder::factory {

Signer::Signer(crypto::SecretKey key, bool is_lsp, ClientExpectations expect, GuardTable& guard, GuardStore& store)
    : key_(std::move(key)), is_lsp_(is_lsp), expect_(std::move(expect)), guard_(&guard), store_(&store) {}

Signer Signer::client(crypto::SecretKey key, ClientExpectations expect, GuardTable& guard, GuardStore& store) {
  return Signer(std::move(key), false, std::move(expect), guard, store);
}

Signer Signer::lsp(crypto::SecretKey key, GuardTable& guard, GuardStore& store) {
  return Signer(std::move(key), true, {}, guard, store);
}

GuardRecord guard_record(const SigningTarget& t) {
  GuardRecord r;
  r.outpoint = t.tx.vin.at(0).prevout;
  r.sighash = t.sighash;
  switch (t.key.kind) {
    case TxKind::static_tx:
    case TxKind::kickoff: r.kind = GuardKind::spend; break;
    case TxKind::distribution: r.kind = GuardKind::distribution; break;
    case TxKind::state:
      r.kind = GuardKind::state;
      r.sequence = t.tx.vin.at(0).sequence;
      break;
  }
  return r;
}

Status Signer::check_proposal(const FactoryTerms& terms) {
  const Bytes33& me = key_.pubkey().bytes();
  if (is_lsp_) {
    if (terms.lsp_key != me) return make_error("factory.bad-terms", "the terms do not use this LSP key");
    return ok();
  }
  if (!(terms.params == expect_.params))
    return make_error("factory.params-mismatch", "the proposed parameters differ from the agreed ones");
  if (terms.heights.birth < expect_.min_birth || terms.heights.birth > expect_.max_birth)
    return make_error("factory.birth-window", "birth height " + std::to_string(terms.heights.birth) +
                                                  " is outside the agreed window");
  if (expect_.handed_over_keys.count(terms.lsp_key))
    return make_error("factory.handed-over-key", "the factory uses a key this client has handed over");
  for (size_t i = 0; i < terms.clients.size(); ++i) {
    const auto& c = terms.clients[i];
    if (expect_.handed_over_keys.count(c.key))
      return make_error("factory.handed-over-key", "the factory uses a key this client has handed over");
    if (c.key != me) continue;
    if (index_) return make_error("factory.bad-terms", "this client's key appears twice");
    index_ = static_cast<uint32_t>(i);
  }
  if (!index_) return make_error("factory.bad-terms", "this client's key is not in the factory");
  const auto& mine = terms.clients[*index_];
  if (mine.client_balance != expect_.client_balance || mine.lsp_balance != expect_.lsp_balance)
    return make_error("factory.channel-mismatch", "own channel is " + std::to_string(mine.client_balance) + "/" +
                                                      std::to_string(mine.lsp_balance) + ", agreed " +
                                                      std::to_string(expect_.client_balance) + "/" +
                                                      std::to_string(expect_.lsp_balance));
  return ok();
}

Status Signer::check_ref(const CeremonyRef& ref) const {
  if (!(ref == ref_)) return make_error("factory.wrong-ceremony", "message belongs to another ceremony or attempt");
  return ok();
}

Expected<NonceBatch> Signer::on_proposal(const Proposal& proposal) {
  if (stage_ != Stage::fresh) return make_error("factory.out-of-order", "proposal after the ceremony started");
  LADDER_TRY(check_proposal(proposal.terms));
  LADDER_ASSIGN(auto tree, Tree::create(proposal.terms));
  tree_.emplace(std::move(tree));
  if (!is_lsp_) {
    uint32_t leaf = tree_->shape().leaf_of(*index_);
    btc::Amount share = tree_->lstock_value(leaf) / tree_->shape().node(leaf).client_count;
    if (share < expect_.min_lstock_share)
      return make_error("factory.lstock-too-small", "L-stock share " + std::to_string(share) + " below the agreed " +
                                                        std::to_string(expect_.min_lstock_share));
  }
  ref_ = {proposal.terms.factory_id, proposal.attempt, tree_->layout().terms_hash};
  txs_ = is_lsp_ ? tree_->all_txs() : tree_->txs_of_client(*index_);
  targets_.reserve(txs_.size());
  secnonces_.reserve(txs_.size());
  NonceBatch out{ref_, {}};
  out.nonces.reserve(txs_.size());
  for (const auto& key : txs_) {
    LADDER_ASSIGN(auto t, tree_->target(key));
    LADDER_TRY(check_tree_tx(*tree_, t));
    if (!is_lsp_ && key.kind == TxKind::state && tree_->shape().node(key.node).is_leaf()) {
      // Our own channel output: the agreed capacity, MuSig2(our key, L).
      LADDER_ASSIGN(auto ch, tree_->channel_key(*index_));
      bool found = false;
      for (const auto& o : t.tx.vout) found |= o.script_pubkey == ch->script && o.value == tree_->capacity(*index_);
      if (!found) return make_error("factory.channel-mismatch", "own channel output missing from the leaf state");
    }
    crypto::musig::NonceGenOptions opts;
    opts.sk = &key_;
    opts.aggpk = t.agg->output.output_key;
    opts.msg = ByteView(t.sighash);
    LADDER_ASSIGN(auto pair, crypto::musig::nonce_gen(key_.pubkey(), opts));
    out.nonces.push_back(pair.pubnonce.bytes());
    secnonces_.push_back(std::move(pair.secnonce));
    targets_.push_back(std::move(t));
  }
  stage_ = Stage::nonces_sent;
  return out;
}

Expected<PartialBatch> Signer::on_aggnonces(const AggNonceBatch& batch) {
  if (stage_ != Stage::nonces_sent) return make_error("factory.out-of-order", "aggregate nonces before our nonces");
  LADDER_TRY(check_ref(batch.ref));
  if (batch.aggnonces.size() != txs_.size())
    return make_error("factory.bad-batch", "expected " + std::to_string(txs_.size()) + " aggregate nonces");
  std::vector<crypto::musig::AggNonce> aggs;
  aggs.reserve(txs_.size());
  for (const auto& b : batch.aggnonces) {
    LADDER_ASSIGN(auto a, crypto::musig::AggNonce::parse(b, "aggnonce"));
    aggs.push_back(std::move(a));
  }
  std::vector<GuardRecord> records;
  records.reserve(targets_.size());
  for (const auto& t : targets_) records.push_back(guard_record(t));
  LADDER_TRY(guard_->check_and_persist(records, *store_));
  stage_ = Stage::signed_;  // from here on, this attempt counts as signed
  PartialBatch out{ref_, {}};
  out.psigs.reserve(txs_.size());
  for (size_t i = 0; i < txs_.size(); ++i) {
    LADDER_ASSIGN(auto session, CryptoCache::shared().session(targets_[i].agg->tweaked, aggs[i], targets_[i].sighash));
    LADDER_ASSIGN(auto psig, session->sign(std::move(secnonces_[i]), key_));
    out.psigs.push_back(psig.bytes());
  }
  secnonces_.clear();
  return out;
}

Expected<CeremonyAck> Signer::on_signatures(const SignatureBatch& batch) {
  if (stage_ != Stage::signed_) return make_error("factory.out-of-order", "signatures before our partial signatures");
  LADDER_TRY(check_ref(batch.ref));
  if (batch.sigs.size() != txs_.size())
    return make_error("factory.bad-batch", "expected " + std::to_string(txs_.size()) + " signatures");
  for (size_t i = 0; i < txs_.size(); ++i)
    LADDER_TRY(tree_->add_signature(targets_[i], crypto::SchnorrSig(batch.sigs[i])));
  targets_.clear();
  stage_ = Stage::done;
  return CeremonyAck{ref_};
}

}  // namespace ladder::factory
