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

#include <unordered_map>
#include <optional>
#include <vector>

#include "crypto/musig.h"
#include "factory/ceremony_msgs.h"
#include "factory/signing_set.h"
#include "factory/tree.h"

namespace ladder::factory {

class Coordinator {
 public:
  static Expected<Coordinator> create(const Proposal& proposal);

  const CeremonyRef& ref() const { return ref_; }
  Tree& tree() { return tree_; }
  size_t tx_count() const { return set_.size(); }
  size_t session_signer_total() const { return set_.session_signer_total(); }

  Status on_nonces(uint32_t who, const NonceBatch& batch);
  std::vector<uint32_t> missing_nonces() const;
  // The aggregate nonces of `who`'s txs; all nonces must be in.
  Expected<AggNonceBatch> aggnonces_for(uint32_t who);
  bool released_partials() const { return set_.aggregated(); }

  Status on_partials(uint32_t who, const PartialBatch& batch);
  std::vector<uint32_t> missing_partials() const;
  // Aggregates and verifies every signature; stores them in tree().
  // "factory.bad-partial" naming the first culprit; culprits() lists all.
  Status finalize();
  const std::vector<uint32_t>& culprits() const { return set_.culprits(); }

  Expected<SignatureBatch> signatures_for(uint32_t who);
  Status on_ack(uint32_t who, const CeremonyAck& ack);
  bool all_acked() const;
  std::vector<uint32_t> missing_acks() const;

 private:
  Coordinator(Tree tree, SigningSet set) : tree_(std::move(tree)), set_(std::move(set)) {}
  Status check_ref(uint32_t who, const CeremonyRef& ref) const;

  CeremonyRef ref_;
  Tree tree_;
  SigningSet set_;
  std::vector<uint32_t> all_;  // every tx index of the set
  std::unordered_map<uint32_t, bool> partials_in_, acks_;
  bool finalized_ = false;
};

}  // namespace ladder::factory
