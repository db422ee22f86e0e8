// Ending a factory off the tree: the cooperative close (one key-path tx from
// the funding output, signed by every participant) and the sweep by a party
// that holds every signer's key (L after handovers, DESIGN §6) — one
// signature by the aggregate key, no MuSig2 rounds.
#pragma once

#include <span>
#include <vector>

#include "crypto/musig.h"
#include "crypto/schnorr.h"
#include "factory/tree.h"

namespace ladder::factory {

// An unsigned tx spending `spent_outpoint` (worth `spent.value`) to
// `outputs`; version 2, final. The caller chooses outputs and fee.
btc::Transaction key_path_spend(const btc::OutPoint& spent_outpoint, std::vector<btc::TxOut> outputs);

// The BIP-341 key-path sighash of input `index` (SIGHASH_DEFAULT).
Expected<Bytes32> key_path_sighash(const btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent);

// The secret key of a (tweaked) MuSig2 aggregate: gacc·Σ aᵢ·dᵢ + tacc, so
// that one party holding every dᵢ signs alone. `secrets` must hold the secret
// of every signer of `keyagg` (any order). "factory.missing-key" otherwise.
Expected<crypto::SecretKey> aggregate_secret(const crypto::musig::KeyAggContext& keyagg,
                                             std::span<const crypto::SecretKey> secrets);

// Signs input `index` of `tx` by key path with the aggregate of `agg`.
Status sign_key_path(btc::Transaction& tx, size_t index, const std::vector<btc::TxOut>& spent,
                     const AggregateKey& agg, std::span<const crypto::SecretKey> secrets);

}  // namespace ladder::factory
