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
  auto keys = is_lsp_ ? tree_->all_txs() : tree_->txs_of_client(*index_);
  if (!is_lsp_) {
    // Our own channel output in our leaf's state: the agreed capacity, MuSig2(our key, L).
    uint32_t leaf = tree_->shape().leaf_of(*index_);
    LADDER_ASSIGN(auto state, tree_->build({TxKind::state, leaf, kNodeInput}));
    LADDER_ASSIGN(auto ch, tree_->channel_key(*index_));
    bool found = false;
    for (const auto& o : state.vout) found |= o.script_pubkey == ch->script && o.value == tree_->capacity(*index_);
    if (!found) return make_error("factory.channel-mismatch", "own channel output missing from the leaf state");
  }
  LADDER_ASSIGN(auto session, SignerSession::start(*tree_, key_, keys));
  session_.emplace(std::move(session));
  stage_ = Stage::nonces_sent;
  return NonceBatch{ref_, session_->pubnonces()};
}

Expected<PartialBatch> Signer::on_aggnonces(const AggNonceBatch& batch) {
  if (stage_ != Stage::nonces_sent) return make_error("factory.out-of-order", "aggregate nonces before our nonces");
  LADDER_TRY(check_ref(batch.ref));
  LADDER_TRY(session_->set_aggnonces(batch.aggnonces));
  auto positions = all_positions(session_->keys().size());
  auto psigs = session_->sign(positions, key_, *guard_, *store_);
  // Once anything may have been persisted as signed, this attempt counts as signed.
  stage_ = Stage::signed_;
  if (!psigs) return psigs.error();
  return PartialBatch{ref_, std::move(*psigs)};
}

Expected<CeremonyAck> Signer::on_signatures(const SignatureBatch& batch) {
  if (stage_ != Stage::signed_) return make_error("factory.out-of-order", "signatures before our partial signatures");
  LADDER_TRY(check_ref(batch.ref));
  LADDER_TRY(session_->accept_signatures(*tree_, all_positions(session_->keys().size()), batch.sigs));
  session_.reset();
  stage_ = Stage::done;
  return CeremonyAck{ref_};
}

}  // namespace ladder::factory
