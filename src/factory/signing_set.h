// The MuSig2 bookkeeping of a set of tree txs signed together, on both
// sides: SigningSet at the coordinator (L) collects nonces and partial
// signatures and aggregates them; SignerSession at each participant holds
// its targets and secret nonces and signs. The construction ceremony signs
// one set in one partial round; a tree update signs the same set in two
// (descendants first, then the updated node, DESIGN §3.3).
//
// Participants are client indices, plus kLsp (ceremony_msgs.h). Items of a
// participant are listed in the order of the set's keys restricted to the
// txs it signs (its "own order"); subsets are given as positions in that
// own order. Malformed or missing contributions name their sender
// (Error::index = client, -1 for L).
//
// Thread-safety: single-threaded.
#pragma once

#include <span>
#include <unordered_map>
#include <vector>

#include "crypto/musig.h"
#include "factory/ceremony_msgs.h"
#include "factory/guard.h"
#include "factory/tree.h"

namespace ladder::factory {

class SigningSet {
 public:
  // Targets are computed from `tree` now; the tree may change afterwards.
  static Expected<SigningSet> create(Tree& tree, const std::vector<TxKey>& keys);

  size_t size() const { return txs_.size(); }
  const TxKey& key(size_t i) const { return txs_.at(i).key; }
  std::vector<uint32_t> participants() const;  // clients ascending, then kLsp
  bool is_participant(uint32_t who) const { return own_.count(who) > 0; }
  // Indices into the set of `who`'s txs, in own order.
  const std::vector<uint32_t>& txs_of(uint32_t who) const;
  size_t session_signer_total() const;

  Status add_nonces(uint32_t who, const std::vector<WireNonce>& nonces);
  std::vector<uint32_t> missing_nonces() const;
  // Aggregate nonces of `who`'s txs (aggregating all on first call).
  Expected<std::vector<Bytes66>> aggnonces_for(uint32_t who);
  bool aggregated() const { return aggregated_; }

  // Partial signatures of `who` for the txs at `positions` of its own order.
  Status add_partials(uint32_t who, std::span<const uint32_t> positions, const std::vector<Bytes32>& psigs);
  // Participants still owing a partial for any of the set txs in `tx_indices`.
  std::vector<uint32_t> missing_partials(std::span<const uint32_t> tx_indices) const;
  // Aggregates and verifies the txs in `tx_indices`; "factory.bad-partial"
  // naming the first culprit, all of them in culprits().
  Status finalize(std::span<const uint32_t> tx_indices);
  const std::vector<uint32_t>& culprits() const { return culprits_; }
  const std::optional<crypto::SchnorrSig>& signature(size_t i) const { return txs_.at(i).sig; }
  // Signatures of `who`'s txs at `positions` of its own order (must be final).
  Expected<std::vector<Bytes64>> signatures_for(uint32_t who, std::span<const uint32_t> positions) const;

 private:
  struct TxState {
    TxKey key;
    Bytes32 sighash{};
    std::shared_ptr<const AggregateKey> agg;
    uint32_t first = 0, count = 0;  // signer clients; L is position `count`
    std::vector<std::optional<crypto::musig::PubNonce>> nonces;
    std::optional<crypto::musig::AggNonce> aggnonce;
    std::shared_ptr<const crypto::musig::Session> session;  // held so local signers share it
    std::vector<std::optional<crypto::musig::PartialSig>> psigs;
    std::optional<crypto::SchnorrSig> sig;
  };
  uint32_t position(const TxState& t, uint32_t who) const { return who == kLsp ? t.count : who - t.first; }
  Status check_items(uint32_t who, size_t got, size_t want) const;

  std::vector<TxState> txs_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> own_;
  std::unordered_map<uint32_t, bool> nonces_in_;
  std::vector<crypto::PubKey> keys_;  // client keys, then L's key last
  bool aggregated_ = false;
  std::vector<uint32_t> culprits_;
};

// A participant's side: its targets and secret nonces (memory only).
class SignerSession {
 public:
  // Computes and checks (check_tree_tx) every target, then draws nonces.
  static Expected<SignerSession> start(Tree& tree, const crypto::SecretKey& key, const std::vector<TxKey>& keys);

  const std::vector<TxKey>& keys() const { return keys_; }
  const SigningRef& target(size_t i) const { return targets_.at(i); }
  const std::vector<WireNonce>& pubnonces() const { return pubnonces_; }
  // "factory.bad-batch" on a wrong count; the aggregator is blamed for a bad nonce.
  Status set_aggnonces(const std::vector<Bytes66>& aggnonces);
  // Persists the guard records of the txs at `positions`, then signs them
  // (each secret nonce is consumed). "factory.double-sign" refuses all.
  Expected<std::vector<Bytes32>> sign(std::span<const uint32_t> positions, const crypto::SecretKey& key,
                                      GuardTable& guard, GuardStore& store);
  // Verifies and stores the signatures of the txs at `positions` in `tree`.
  Status accept_signatures(Tree& tree, std::span<const uint32_t> positions, const std::vector<Bytes64>& sigs) const;

 private:
  std::vector<TxKey> keys_;
  std::vector<SigningRef> targets_;
  std::vector<crypto::musig::SecNonce> secnonces_;
  std::vector<WireNonce> pubnonces_;
  std::vector<Bytes66> aggnonces_;
};

// The guard record for signing `target`.
GuardRecord guard_record(const SigningRef& target);

// 0, 1, ..., n-1: "all of my txs".
std::vector<uint32_t> all_positions(size_t n);

}  // namespace ladder::factory
