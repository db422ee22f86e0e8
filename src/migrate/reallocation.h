// Departure reallocation (DESIGN §6 "What L does with handed-over keys"):
// L signs as departed clients so that, with only the present clients of a
// subtree online, a leaf gets a new state in which every departed client's
// channel output is gone and its value is L-stock — "without A ever talking
// to the LSP again".
//
// The update is a factory tree update (factory/update.h) run children-first
// exactly as any other: L coordinates; L's own signer and one signer per
// departed client (keys from DepartedKeys, scoped to this factory) run inside
// this object; the present clients sign with their own UpdateSigner. The
// leaf uses its reserved last index if it has to (departure = true); a leaf
// already at its last index advances its DW parent instead, and then every
// client below that parent signs — present ones themselves, departed ones by
// L — and every leaf below it drops its departed clients' channels too.
//
// Channels (R, §3.3): a new leaf state gives every surviving channel below
// the updated node a new outpoint. L releases its top partial only after
// each of its channels with a present client holds its re-bound commitment
// for that outpoint (sign_top's RebindCheck, see reallocation_channels.h);
// each present client does the same with its own channel. A departed
// client's channel needs no re-binding: L holds both of its keys.
//
// Protocol (sans-IO, the host moves messages):
//   start() → proposal() to every client of present()
//   on_nonces(c) for each; then aggnonces_for(c) to each
//   on_descendant_partials(c) for each; then descendant_signatures_for(c)
//   channels re-bound (rebinds() lists them), then sign_top(check)
//   on_top_partial(c) for each; then finish() → TopSignature to each;
//   then every re-bound channel activates its new binding.
// L's and the departed clients' guard records go to L's guard (they sign
// byte-identical txs, which the guard allows).
//
// Thread-safety: single-threaded, one owner. Failure: "migrate.*" codes
// below, factory update errors ("factory.bad-update", "factory.exhausted",
// "factory.path-published", "factory.bad-partial" with culprits(), ...),
// "migrate.not-rebound" from the RebindCheck. A failed step leaves the
// reallocation unusable (start again with a new update id).
#pragma once

#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "channel/funding.h"
#include "factory/update.h"
#include "migrate/departed_keys.h"

namespace ladder::migrate {

// The leaf capacities after dropping every departed client's channel of
// `leaf` (their value becomes L-stock). "migrate.nothing-to-reallocate" when
// no departed client of the leaf still has a channel.
Expected<std::vector<btc::Amount>> reallocated_capacities(const factory::Tree& tree, const DepartedKeys& keys,
                                                          uint32_t leaf);

// The update that reallocates `leaf` (and, when a DW parent advances, every
// other leaf below it that holds departed clients' channels).
Expected<factory::UpdateProposal> propose_reallocation(const factory::Tree& tree, const DepartedKeys& keys,
                                                       uint64_t update_id, uint32_t leaf);

class Reallocation {
 public:
  // Proposes the update and runs the nonce round of L and of every departed
  // signer. `seen` tells whether a tx was seen broadcast (R: no new state
  // over a published path).
  static Expected<Reallocation> start(const factory::Tree& current, const DepartedKeys& keys,
                                      const crypto::SecretKey& lsp_key, uint64_t update_id, uint32_t leaf,
                                      factory::GuardTable& guard, factory::GuardStore& store,
                                      const factory::SeenBroadcast& seen);

  Reallocation(Reallocation&&) noexcept = default;
  Reallocation& operator=(Reallocation&&) noexcept = default;

  const factory::UpdateProposal& proposal() const { return proposal_; }
  // Clients that sign themselves (below the updated node, not departed).
  const std::vector<uint32_t>& present() const { return present_; }
  // The channels L must re-bind before sign_top: (client, new binding).
  const std::vector<std::pair<uint32_t, channel::Binding>>& rebinds() const { return rebinds_; }
  // Present clients that still owe the current round.
  std::vector<uint32_t> missing() const;

  Status on_nonces(uint32_t client, const factory::UpdateNonces& msg);
  Expected<factory::UpdateAggNonces> aggnonces_for(uint32_t client);
  Status on_descendant_partials(uint32_t client, const factory::DescendantPartials& msg);
  Expected<factory::DescendantSignatures> descendant_signatures_for(uint32_t client);
  // L's and the departed clients' top partials; `lsp_rebound` must accept
  // L's channels (every entry of rebinds()).
  Status sign_top(const factory::RebindCheck& lsp_rebound);
  Status on_top_partial(uint32_t client, const factory::TopPartial& msg);
  // Aggregates the top; the updated tree is then complete.
  Expected<factory::TopSignature> finish();

  // The updated tree (complete after finish()).
  factory::Tree& updated() { return coord_.updated(); }
  const std::vector<uint32_t>& culprits() const { return coord_.culprits(); }

 private:
  struct Internal {
    uint32_t who;  // kLsp or a departed client
    factory::UpdateSigner signer;
  };
  enum class Round : uint8_t { nonces, partials, descendants_signed, top, done };

  Reallocation(factory::UpdateCoordinator coord, factory::UpdateProposal proposal)
      : coord_(std::move(coord)), proposal_(std::move(proposal)) {}
  Status require_present(uint32_t client) const;
  // Records `client`'s part of the current round; runs the internal
  // signers' part of the next one once every present client's is in.
  Status delivered(uint32_t client);
  Status internal_partials();

  factory::UpdateCoordinator coord_;
  factory::UpdateProposal proposal_;
  std::vector<Internal> internal_;
  std::vector<uint32_t> present_;
  std::vector<std::pair<uint32_t, channel::Binding>> rebinds_;
  std::set<uint32_t> delivered_;  // present clients done with the current round
  Round round_ = Round::nonces;
};

}  // namespace ladder::migrate
