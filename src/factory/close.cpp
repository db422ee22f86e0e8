#include "factory/close.h"

#include <map>

#include "btc/sighash.h"

namespace ladder::factory {

btc::Transaction key_path_spend(const btc::OutPoint& spent_outpoint, std::vector<btc::TxOut> outputs) {
  btc::Transaction tx;
  tx.version = 2;
  tx.vin.push_back({spent_outpoint, {}, 0xfffffffd, {}});
  tx.vout = std::move(outputs);
  return tx;
}

Expected<Bytes32> key_path_sighash(const btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent) {
  auto data = btc::precompute_tx_data(tx, spent);
  return btc::taproot_sighash(tx, index, btc::SIGHASH_DEFAULT, data, std::nullopt, nullptr);
}

Expected<crypto::SecretKey> aggregate_secret(const crypto::musig::KeyAggContext& keyagg,
                                             std::span<const crypto::SecretKey> secrets) {
  std::map<Bytes33, const crypto::SecretKey*> by_key;
  for (const auto& s : secrets) by_key[s.pubkey().bytes()] = &s;
  crypto::Scalar sum;
  for (size_t i = 0; i < keyagg.size(); ++i) {
    auto it = by_key.find(keyagg.pubkeys()[i].bytes());
    if (it == by_key.end())
      return make_culprit_error("factory.missing-key", static_cast<int>(i), "key", "no secret for signer " + std::to_string(i));
    sum += keyagg.coefficient(i) * it->second->scalar();
  }
  crypto::Scalar d = (keyagg.gacc_negated() ? -sum : sum) + keyagg.tacc();
  return crypto::SecretKey::from_scalar(d);
}

Status sign_key_path(btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent, const AggregateKey& agg,
                     std::span<const crypto::SecretKey> secrets) {
  LADDER_ASSIGN(auto sighash, key_path_sighash(tx, index, spent));
  LADDER_ASSIGN(auto sk, aggregate_secret(agg.tweaked, secrets));
  if (sk.xonly_pubkey().bytes() != agg.output.output_key)
    return make_error("factory.missing-key", "the aggregate secret does not match the output key");
  auto sig = crypto::schnorr_sign(sk, sighash);
  tx.vin.at(index).witness = {Bytes(sig.bytes().begin(), sig.bytes().end())};
  return ok();
}

}  // namespace ladder::factory
