// Tree updates (DESIGN §3.1 odometer, §3.3 children-first signing).
//
// An update advances one DW node to a higher state index, resets every DW
// node below it to index 0, and may change leaves' channel capacities. Only
// the signers of that subtree take part. Its txs are the node's new state
// tx (the "top") and everything below it that changed: kickoffs and states
// of descendants and the distribution txs of every new output.
//
// Children-first (R): round 1 nonces for all; round 2 partials for the
// descendants only, which L aggregates and returns; a signer releases its
// partial on the top only after it verified every descendant signature it
// needs and (for a leaf) its channel was re-bound to the new channel
// outpoint; L then aggregates the top. An LSP that withholds descendants
// never obtains the top.
//
// Odometer: a leaf advances by one; its last index is reserved for departure
// reallocation (§6). An exhausted leaf advances its DW parent instead (and
// the whole subtree is re-signed from index 0); an exhausted top DW node is
// "factory.exhausted".
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "factory/ceremony_msgs.h"
#include "factory/guard.h"
#include "factory/signing_set.h"
#include "factory/tree.h"

namespace ladder::factory {

struct LeafCapacities {
  uint32_t leaf = 0;
  std::vector<btc::Amount> capacities;  // slot order; 0 removes a channel
  bool operator==(const LeafCapacities&) const = default;
};

struct UpdateProposal {
  uint64_t factory_id = 0;
  uint64_t update_id = 0;  // L's counter, names the update in messages
  uint32_t node = 0;       // the DW node that advances
  uint32_t new_index = 0;
  std::vector<LeafCapacities> leaves;
  bool operator==(const UpdateProposal&) const = default;
};

// Which node advances, and to which index, to give `leaf` a new state.
// `departure` allows the reserved last leaf index.
Expected<std::pair<uint32_t, uint32_t>> plan_advance(const Tree& tree, uint32_t leaf, bool departure);

// A proposal giving `leaf` the capacities `caps` (plan_advance decides the node).
Expected<UpdateProposal> propose_leaf_update(const Tree& tree, uint64_t update_id, uint32_t leaf,
                                             std::vector<btc::Amount> caps, bool departure);

// Applies an update to a copy of `tree` ("factory.bad-update" if it is not a
// forward move of a DW node, or touches a leaf outside its subtree).
Expected<Tree> apply_update(const Tree& tree, const UpdateProposal& update);

// The update's txs in `updated` (the tree after apply_update): the top first.
std::vector<TxKey> update_txs(const Tree& updated, uint32_t node);

// True if the host saw this txid broadcast (mempool or chain).
using SeenBroadcast = std::function<bool(const btc::Txid&)>;
// Checks that a node may get a new state: neither its kickoff nor any DW
// kickoff or state above it was seen broadcast (R). "factory.path-published".
Status check_not_published(Tree& tree, uint32_t node, const SeenBroadcast& seen);

// Messages of an update.
struct UpdateRef {
  uint64_t factory_id = 0;
  uint64_t update_id = 0;
  bool operator==(const UpdateRef&) const = default;
};
struct UpdateNonces { UpdateRef ref; std::vector<WireNonce> nonces; };
struct UpdateAggNonces { UpdateRef ref; std::vector<Bytes66> aggnonces; };
struct DescendantPartials { UpdateRef ref; std::vector<Bytes32> psigs; };
struct DescendantSignatures { UpdateRef ref; std::vector<Bytes64> sigs; };
struct TopPartial { UpdateRef ref; Bytes32 psig{}; };
struct TopSignature { UpdateRef ref; Bytes64 sig{}; };

// What a client accepts in an update (anything else is refused).
struct UpdateExpectations {
  std::optional<btc::Amount> own_capacity;  // the capacity it agreed to; nullopt: unchanged
};

// Whether the channel(s) this signer is a party to are re-bound to their new
// outpoints in the updated tree (the channel layer answers).
using RebindCheck = std::function<Status(const Tree& updated)>;

class UpdateSigner {
 public:
  // `client` = nullopt for L (or for L signing as a departed client, give
  // that client's index and key).
  UpdateSigner(crypto::SecretKey key, std::optional<uint32_t> client, GuardTable& guard, GuardStore& store);

  // Round 1. Errors: "factory.bad-update", "factory.path-published",
  // "factory.capacity-mismatch", those of check_tree_tx.
  Expected<UpdateNonces> on_proposal(const Tree& current, const UpdateProposal& update, const UpdateExpectations& expect,
                                     const SeenBroadcast& seen);
  Expected<DescendantPartials> on_aggnonces(const UpdateAggNonces& msg);
  // Verifies every descendant signature and the re-binding, then signs the top.
  Expected<TopPartial> on_descendant_signatures(const DescendantSignatures& msg, const RebindCheck& rebound);
  Status on_top_signature(const TopSignature& msg);

  // The updated tree: valid (its descendants held) from on_descendant_signatures
  // on, complete once the top signature arrived.
  Tree& updated() { return *updated_; }
  bool complete() const { return done_; }

 private:
  Status check_ref(const UpdateRef& ref) const;
  crypto::SecretKey key_;
  std::optional<uint32_t> client_;
  GuardTable* guard_;
  GuardStore* store_;
  UpdateRef ref_;
  std::optional<Tree> updated_;
  std::optional<SignerSession> session_;
  int stage_ = 0;
  bool done_ = false;
};

class UpdateCoordinator {
 public:
  static Expected<UpdateCoordinator> create(const Tree& current, const UpdateProposal& update);

  std::vector<uint32_t> participants() const { return set_.participants(); }
  Status on_nonces(uint32_t who, const UpdateNonces& msg);
  Expected<UpdateAggNonces> aggnonces_for(uint32_t who);
  Status on_descendant_partials(uint32_t who, const DescendantPartials& msg);
  // Aggregates the descendants (culprits named as in SigningSet).
  Status finalize_descendants();
  Expected<DescendantSignatures> descendant_signatures_for(uint32_t who);
  Status on_top_partial(uint32_t who, const TopPartial& msg);
  Status finalize_top();
  Expected<TopSignature> top_signature() const;
  std::vector<uint32_t> missing() const;  // who owes the current round
  const std::vector<uint32_t>& culprits() const { return set_.culprits(); }
  Tree& updated() { return updated_; }

 private:
  UpdateCoordinator(Tree updated, SigningSet set) : updated_(std::move(updated)), set_(std::move(set)) {}
  Status check(uint32_t who, const UpdateRef& ref) const;
  UpdateRef ref_;
  Tree updated_;
  SigningSet set_;
  std::vector<uint32_t> descendants_;
  int round_ = 0;
};

}  // namespace ladder::factory
