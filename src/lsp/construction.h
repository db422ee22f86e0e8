// L's side of one factory's construction (DESIGN §3.3): the two-round
// ceremony over the whole tree (factory::Coordinator plus L's own Signer)
// and, interleaved with it, the open of every client's channel on its leaf
// output, so that each client holds its first commitment before it
// acknowledges. The factory is complete when every client acknowledged the
// ceremony and its channel is open; only then may its funding be broadcast.
//
// Stages, each waiting for every client (missing() names who owes it):
//   nonces    Proposal + OpenChannel out; NonceBatch and AcceptChannel in
//   partials  AggNonceBatch out (FundingSigned answers each AcceptChannel);
//             PartialBatch in
//   acks      SignatureBatch out, once L's tree holds every verified
//             signature; ChannelReady and CeremonyAck in
// A stage that fails (a bad contribution) or times out (the host decides)
// ends this attempt: the host starts a new one without the culprits, over a
// new funding outpoint if released_partials() (DESIGN §3.3).
//
// Messages go to the caller's Outbox; the caller persists before it
// releases them (persist before reveal). Thread-safety: single-threaded.
// Failure: factory and channel errors, "lsp.unexpected-message".
#pragma once

#include <optional>
#include <vector>

#include "channel/channel.h"
#include "core/outbox.h"
#include "factory/coordinator.h"
#include "factory/signer.h"
#include "lsp/keys.h"

namespace ladder::lsp {

class Construction {
 public:
  enum class Stage : uint8_t { nonces, partials, acks, complete };

  // Proposes `terms` (funding outpoint set) as attempt `attempt` to `peers`
  // (one per client, in terms order) and opens their channels.
  static Expected<Construction> start(const factory::FactoryTerms& terms, std::vector<core::PeerId> peers,
                                      uint32_t attempt, const crypto::SecretKey& lsp_key, const LspKeys& keys,
                                      const channel::ChannelParams& channel_params, uint32_t height,
                                      factory::GuardTable& guard, factory::GuardStore& guard_store, core::Outbox& out);

  Construction(Construction&&) noexcept = default;
  Construction& operator=(Construction&&) noexcept = default;

  // A ceremony or channel message from client `who`, at chain height `height`.
  Status on_message(uint32_t who, const migrate::PeerMessage& m, uint32_t height, core::Outbox& out);

  Stage stage() const { return stage_; }
  bool complete() const { return stage_ == Stage::complete; }
  // The height at which the current stage began.
  uint32_t stage_height() const { return stage_height_; }
  // Clients that still owe the current stage.
  std::vector<uint32_t> missing() const;
  bool released_partials() const { return coord_.released_partials(); }
  // Clients named by a failed aggregation.
  const std::vector<uint32_t>& culprits() const { return coord_.culprits(); }

  uint64_t factory_id() const { return coord_.ref().factory_id; }
  uint32_t attempt() const { return coord_.ref().attempt; }
  const std::vector<core::PeerId>& peers() const { return peers_; }
  std::optional<uint32_t> index_of(const core::PeerId& peer) const;
  factory::Tree& tree() { return coord_.tree(); }
  // L's side of each client's channel (open once complete()).
  std::vector<std::optional<channel::Channel>>& channels() { return channels_; }

 private:
  Construction(factory::Coordinator coord, factory::Signer signer, std::vector<core::PeerId> peers, uint32_t height)
      : coord_(std::move(coord)), signer_(std::move(signer)), peers_(std::move(peers)), stage_height_(height) {}
  Status on_nonces(uint32_t who, const factory::NonceBatch& b, core::Outbox& out);
  Status on_partials(uint32_t who, const factory::PartialBatch& b, core::Outbox& out);
  Status on_ack(uint32_t who, const factory::CeremonyAck& a);
  Status on_channel(uint32_t who, const channel::Message& m, core::Outbox& out);
  void enter(Stage s);

  factory::Coordinator coord_;
  factory::Signer signer_;
  std::vector<core::PeerId> peers_;
  std::vector<std::optional<channel::Channel>> channels_;
  std::vector<bool> accepted_, ready_, acked_;
  Stage stage_ = Stage::nonces;
  uint32_t stage_height_ = 0;
  uint32_t height_ = 0;
};

}  // namespace ladder::lsp
