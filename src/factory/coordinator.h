// The LSP's side of the construction ceremony (DESIGN §3.3): collects every
// participant's nonces, aggregates them per tx, collects partial signatures,
// aggregates and verifies every signature, and hands each participant the
// complete signatures of its path. Sans-IO: the host moves the batches.
//
// Failure: a malformed or missing contribution names its sender
// (Error::index = client index, -1 for L; Error::what = "nonce" | "psig" |
// "batch"). A wrong partial signature is found by verifying partials only
// for txs whose aggregate does not verify, and reported by finalize() with
// every culprit in culprits(). The host then aborts or restarts without the
// culprits (a new attempt; if released_partials(), over a new funding
// outpoint). The funding tx is broadcast only after all_acked().
//
// Thread-safety: single-threaded.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "crypto/musig.h"
#include "factory/ceremony_msgs.h"
#include "factory/tree.h"

namespace ladder::factory {

class Coordinator {
 public:
  static Expected<Coordinator> create(const Proposal& proposal);

  const CeremonyRef& ref() const { return ref_; }
  Tree& tree() { return tree_; }
  size_t tx_count() const { return txs_.size(); }
  size_t session_signer_total() const;  // Σ over txs of their signers (sessions × participants)

  Status on_nonces(uint32_t who, const NonceBatch& batch);
  std::vector<uint32_t> missing_nonces() const;
  // The aggregate nonces of `who`'s txs; all nonces must be in.
  Expected<AggNonceBatch> aggnonces_for(uint32_t who);
  bool released_partials() const { return aggnonces_sent_; }

  Status on_partials(uint32_t who, const PartialBatch& batch);
  std::vector<uint32_t> missing_partials() const;
  // Aggregates and verifies every signature; stores them in tree().
  // "factory.bad-partial" naming the first culprit; culprits() lists all.
  Status finalize();
  const std::vector<uint32_t>& culprits() const { return culprits_; }

  Expected<SignatureBatch> signatures_for(uint32_t who);
  Status on_ack(uint32_t who, const CeremonyAck& ack);
  bool all_acked() const;
  std::vector<uint32_t> missing_acks() const;

 private:
  struct TxState {
    TxKey key;
    Bytes32 sighash{};
    std::shared_ptr<const AggregateKey> agg;
    uint32_t first = 0, count = 0;  // signer clients; L is position `count`
    std::vector<std::optional<crypto::musig::PubNonce>> nonces;
    std::optional<crypto::musig::AggNonce> aggnonce;
    std::vector<std::optional<crypto::musig::PartialSig>> psigs;
    std::optional<crypto::SchnorrSig> sig;
  };
  explicit Coordinator(Tree tree) : tree_(std::move(tree)) {}
  Status check_sender(uint32_t who, const CeremonyRef& ref, size_t items) const;
  const std::vector<uint32_t>& txs_of(uint32_t who) const;
  uint32_t position(const TxState& t, uint32_t who) const { return who == kLsp ? t.count : who - t.first; }
  static int blame(uint32_t who) { return who == kLsp ? -1 : static_cast<int>(who); }
  std::vector<uint32_t> missing(const std::vector<bool>& have) const;

  CeremonyRef ref_;
  Tree tree_;
  std::vector<TxState> txs_;
  std::vector<std::vector<uint32_t>> client_txs_;  // per client: indices into txs_
  std::vector<uint32_t> all_tx_indices_;            // L's
  std::vector<bool> have_nonces_, have_partials_, have_acks_;  // clients..., then L at the end
  bool aggnonces_sent_ = false;
  bool finalized_ = false;
  std::vector<uint32_t> culprits_;
};

}  // namespace ladder::factory
