// Channel: one side of a sans-IO two-party Poon-Dryja channel with taproot
// commitments, HTLCs and PTLCs, on a channel output that lives in a factory
// leaf or on-chain (DESIGN §4).
//
// What it does: nothing unless called. Inputs are peer messages (on_*),
// local requests (add_htlc, add_ptlc, settle, fail, sign_commitment,
// request_quiescence, propose_rebind, ...) and the block height
// (set_height); outputs are the messages these calls return and the events
// drained with drain_events(). The caller delivers messages in order.
//
// Roles: L (Role::lsp) funds the channel and pays commitment fees and
// anchors; the client keeps no reserve, L keeps params.funder_reserve. The
// funding key pair is the two factory keys (MuSig2, key path only); all
// other keys come from the channel seed (keys.h).
//
// Protocol (BOLT #2's dance, taproot-style nonces):
//   open:    L open() → OpenChannel → client accept() → AcceptChannel →
//            L on_accept_channel() → FundingSigned → client
//            on_funding_signed() → ChannelReady → L on_channel_ready().
//            Both then hold a fully signed commitment 0.
//   update:  add_htlc / add_ptlc / settle / fail → Update* → on_update_*.
//   commit:  sign_commitment() → CommitmentSigned → on_commitment_signed()
//            → RevokeAndAck (or, when the holder's new commitment holds
//            PTLCs the holder offered: PtlcPresigs → on_ptlc_presigs() →
//            CommitmentPsig → on_commitment_psig() → RevokeAndAck) →
//            on_revoke_and_ack(). A commitment is completed (own partial
//            signature, aggregate, BIP-340 verification) as soon as the
//            peer's partial arrives, so each side always holds a signed,
//            enforceable latest commitment and the secrets that revoke the
//            peer's older ones. Each side's next verification nonce rides on
//            the message that consumed the previous one; secret nonces live
//            only in memory, are used once, and are never persisted.
//   rebind:  (quiescent) propose_rebind() → RebindPropose →
//            on_rebind_propose() → RebindSigned → on_rebind_signed() →
//            RebindComplete → on_rebind_complete(); then the factory layer
//            calls activate_rebind() once the tree update completed, or
//            abandon_rebind().
// PTLCs: the offerer's adaptor signatures for the success txs on both
// commitments reach the receiver before the receiver's partial signature can
// complete a commitment holding that PTLC; an incoming lock is reported
// locked in (forwardable) only when it is irrevocably on both commitments
// and, for a PTLC, both adaptor signatures are verified in hand.
//
// Failure: every on_* and request returns an Error with a stable
// "channel.*" code and leaves the channel exactly as it was before the call
// (state is computed on a copy and committed at the end; a secret nonce is
// consumed only after every check passed).
//
// Thread-safety: none; one owner drives a Channel.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "channel/commitment.h"
#include "channel/messages.h"
#include "channel/updates.h"

namespace ladder::channel {

enum class Role : uint8_t { lsp = 0, client = 1 };

struct ChannelConfig {
  Role role = Role::client;
  crypto::SecretKey funding_secret;  // this side's factory key
  crypto::PubKey peer_funding_key;   // the other side's factory key
  Bytes32 seed{};                    // channel seed (keys.h), independent of the factory key
  ChannelParams params;              // the funder proposes; the fundee requires equality
  Deadlines deadlines;               // TO and X
  Binding binding;                   // the channel output
  btc::Amount own_balance = 0;       // what this side expects to hold at open
  uint32_t height = 0;
};

struct ChannelEvent {
  enum class Kind : uint8_t {
    incoming_locked,   // a lock offered to us is irrevocably committed (forwardable)
    outgoing_settled,  // the peer settled a lock we offered: secret learned
    outgoing_failed,   // a lock we offered is irrevocably failed
    incoming_removed,  // a lock offered to us is irrevocably settled or failed by us
  };
  Kind kind = Kind::incoming_locked;
  Lock lock;
  std::optional<Bytes32> secret;
  std::optional<ForwardRequest> forward;
  std::string reason;
};

enum class RebindStatus : uint8_t {
  none,          // no re-binding pending
  in_progress,   // started; this side does not yet hold the re-bound signatures
  complete,      // this side holds its re-bound commitment and every PTLC presig
};

// This side's own commitment on one binding, fully signed.
struct HeldCommitment {
  BuiltCommitment built;
  crypto::SchnorrSig sig{Bytes64{}};
  std::vector<std::optional<PreSignature>> presigs;  // per spec lock: the PTLC offerer's
};

struct CommitmentRecord {
  uint64_t number = 0;
  CommitmentSpec spec;
  CommitmentKeys keys;
  std::map<btc::OutPoint, HeldCommitment> by_binding;  // sig unused for the peer's commitments
};

struct RevokedCommitment {
  uint64_t number = 0;
  CommitmentSpec spec;
  CommitmentKeys keys;
  Bytes32 secret{};
  std::vector<Binding> bindings;  // every outpoint it was signed for
};

class Channel {
 public:
  // ---- open ------------------------------------------------------------------
  static Expected<std::pair<Channel, OpenChannel>> open(ChannelConfig config);
  static Expected<std::pair<Channel, AcceptChannel>> accept(ChannelConfig config, const OpenChannel& msg);
  Expected<FundingSigned> on_accept_channel(const AcceptChannel& msg);
  Expected<ChannelReady> on_funding_signed(const FundingSigned& msg);
  Status on_channel_ready(const ChannelReady& msg);

  Channel(Channel&&) noexcept;
  Channel& operator=(Channel&&) noexcept;
  ~Channel();

  // ---- updates -----------------------------------------------------------------
  Expected<UpdateAddLock> add_htlc(btc::Amount amount, const Bytes32& payment_hash, uint32_t expiry,
                                   std::optional<ForwardRequest> forward = std::nullopt);
  Expected<UpdateAddLock> add_ptlc(btc::Amount amount, const crypto::PubKey& point, uint32_t expiry,
                                   std::optional<ForwardRequest> forward = std::nullopt);
  Expected<UpdateSettleLock> settle(uint64_t incoming_id, const Bytes32& secret);
  Expected<UpdateFailLock> fail(uint64_t incoming_id, std::string reason);
  Status on_update_add(const UpdateAddLock& msg);
  Status on_update_settle(const UpdateSettleLock& msg);
  Status on_update_fail(const UpdateFailLock& msg);

  // ---- commit / revoke ------------------------------------------------------------
  // True when this side has changes the peer has not signed yet and may sign now.
  bool can_sign_commitment() const;
  Expected<CommitmentSigned> sign_commitment();
  Expected<std::variant<RevokeAndAck, PtlcPresigs>> on_commitment_signed(const CommitmentSigned& msg);
  Expected<CommitmentPsig> on_ptlc_presigs(const PtlcPresigs& msg);
  Expected<RevokeAndAck> on_commitment_psig(const CommitmentPsig& msg);
  Status on_revoke_and_ack(const RevokeAndAck& msg);

  // ---- quiescence and re-binding (DESIGN §3.3) --------------------------------------
  Expected<Stfu> request_quiescence();
  // Returns this side's Stfu when it had not sent one yet.
  Expected<std::optional<Stfu>> on_stfu(const Stfu& msg);
  // Both sides sent stfu and nothing is pending: no proposed, unsigned or
  // unrevoked change on either side.
  bool is_quiescent() const;
  // Leaves quiescence (after the tree update, or when it is abandoned).
  Status resume();
  Expected<RebindPropose> propose_rebind(const Binding& binding);
  Expected<RebindSigned> on_rebind_propose(const RebindPropose& msg);
  Expected<RebindComplete> on_rebind_signed(const RebindSigned& msg);
  Status on_rebind_complete(const RebindComplete& msg);
  RebindStatus rebind_status() const;
  std::optional<Binding> pending_binding() const;
  // The new binding becomes the one future commitments are signed for;
  // "channel.rebind-incomplete" unless rebind_status() == complete.
  Status activate_rebind();
  // Drops a pending re-binding; the current binding stays in force. Both
  // sides call it and exchange the returned ChannelReady, which carries a
  // fresh verification nonce (the re-binding may have used the old one).
  Expected<ChannelReady> abandon_rebind();

  // ---- chain ---------------------------------------------------------------------
  void set_height(uint32_t height) { height_ = height; }
  uint32_t height() const { return height_; }

  // ---- inspection -----------------------------------------------------------------
  const ChannelId& id() const;
  Role role() const;
  bool is_funder() const { return role() == Role::lsp; }
  bool is_open() const;
  const ChannelParams& params() const;
  const Deadlines& deadlines() const;
  const Binding& binding() const;
  const std::vector<Binding>& bindings() const;  // every binding ever in force or pending
  const FundingKey& funding_key() const;
  const ChannelSecrets& secrets() const;
  const Basepoints& peer_basepoints() const;
  uint64_t obscuring() const;
  // This side's latest commitment, and the peer's latest that we signed
  // (current, and pending while we await its revocation).
  const CommitmentRecord& local_commitment() const;
  const CommitmentRecord& remote_commitment() const;
  const CommitmentRecord* remote_pending_commitment() const;
  const std::vector<RevokedCommitment>& revoked() const { return revoked_; }
  // The balances and locks with every known update applied (this side's view).
  const CommitmentSpec& latest_spec() const;
  // Pending locks this side can still settle or fail / that it offered.
  std::vector<Lock> incoming_locks() const;
  std::vector<Lock> outgoing_locks() const;
  // The latest commitment with its aggregated signature for the active (or
  // given) binding, ready to broadcast. "channel.no-commitment" if none.
  Expected<btc::Transaction> signed_commitment_tx() const;
  Expected<btc::Transaction> signed_commitment_tx(const btc::OutPoint& binding) const;

  std::vector<ChannelEvent> drain_events();

  struct Fixed;
  struct State;
  struct Nonces;

 private:
  explicit Channel(std::unique_ptr<Fixed> fixed);

  std::unique_ptr<Fixed> fx_;
  std::unique_ptr<State> st_;
  std::unique_ptr<Nonces> nonces_;
  std::vector<RevokedCommitment> revoked_;
  std::vector<ChannelEvent> events_;
  std::vector<ChannelEvent> pending_events_;  // released when a pending commitment completes
  uint32_t height_ = 0;

};

}  // namespace ladder::channel
