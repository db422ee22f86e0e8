// One participant's side of the construction ceremony (DESIGN §3.3): the
// LSP or a client, sans-IO.
//
// A client checks the proposal against what it agreed to (parameters, its
// own channel's balances, its L-stock share, the birth window, keys it has
// handed over) and checks every tx it signs (tx_checks.h) before it sends a
// nonce. It signs only after persisting its double-sign guard records, and
// treats the factory as usable only once every signature of its path has
// been verified (then it acks). Secret nonces live in memory only, in this
// object; a restart means a new attempt.
//
// Contract: on_proposal → on_aggnonces → on_signatures, each at most once
// per Signer; calling out of order is "factory.out-of-order". Any error
// leaves the Signer unusable for this attempt (nothing was released that the
// guard did not record). The Tree it built is the participant's store of its
// signed path.
//
// Thread-safety: single-threaded; the GuardTable/GuardStore must not be used
// concurrently by another Signer of the same participant.
#pragma once

#include <optional>
#include <set>
#include <vector>

#include "crypto/musig.h"
#include "factory/ceremony_msgs.h"
#include "factory/guard.h"
#include "factory/signing_set.h"
#include "factory/tree.h"

namespace ladder::factory {

// What a client agreed to before the ceremony; any difference is refused.
struct ClientExpectations {
  FactoryParams params;
  btc::Amount client_balance = 0;
  btc::Amount lsp_balance = 0;
  btc::Amount min_lstock_share = 0;   // least L-stock share of its leaf it accepts
  uint32_t min_birth = 0, max_birth = 0xffffffff;
  std::set<Bytes33> handed_over_keys;  // keys it revealed; a factory with one is refused (R)
};

class Signer {
 public:
  static Signer client(crypto::SecretKey key, ClientExpectations expect, GuardTable& guard, GuardStore& store);
  static Signer lsp(crypto::SecretKey key, GuardTable& guard, GuardStore& store);

  // Round 1. Errors: "factory.params-mismatch", "factory.bad-terms",
  // "factory.channel-mismatch", "factory.lstock-too-small", "factory.birth-window",
  // "factory.handed-over-key", plus those of Tree::create and check_tree_tx.
  Expected<NonceBatch> on_proposal(const Proposal& proposal);
  // Round 2. Errors: "factory.wrong-ceremony", "factory.bad-batch",
  // "musig.invalid-contribution" (aggregator blamed), "factory.double-sign".
  Expected<PartialBatch> on_aggnonces(const AggNonceBatch& batch);
  // Delivery. Errors: "factory.wrong-ceremony", "factory.bad-batch", "factory.bad-signature".
  Expected<CeremonyAck> on_signatures(const SignatureBatch& batch);

  bool complete() const { return stage_ == Stage::done; }
  // Whether this signer has released any partial signature in this attempt.
  bool released_partials() const { return stage_ >= Stage::signed_; }
  std::optional<uint32_t> client_index() const { return index_; }
  const CeremonyRef& ref() const { return ref_; }
  Tree& tree() { return *tree_; }
  const std::vector<TxKey>& txs() const { return session_->keys(); }

 private:
  enum class Stage { fresh, nonces_sent, signed_, done };
  Signer(crypto::SecretKey key, bool is_lsp, ClientExpectations expect, GuardTable& guard, GuardStore& store);
  Status check_proposal(const FactoryTerms& terms);
  Status check_ref(const CeremonyRef& ref) const;

  crypto::SecretKey key_;
  bool is_lsp_;
  ClientExpectations expect_;
  GuardTable* guard_;
  GuardStore* store_;
  Stage stage_ = Stage::fresh;
  std::optional<uint32_t> index_;
  CeremonyRef ref_;
  std::optional<Tree> tree_;
  std::optional<SignerSession> session_;
};

}  // namespace ladder::factory
