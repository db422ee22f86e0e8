// Channel messages: plain value structs, one per protocol step.
//
// These are what two Channel state machines exchange; the wire layer will
// give each one an encoding (one definition for encode and decode) keyed by
// type(). Each carries the channel id. Secrets travel only where the
// protocol reveals them (a revoked commitment's secret, a lock's preimage or
// scalar); secret nonces never appear here.
//
// Signature material:
//   NonceAndPsig: a MuSig2 partial signature on a commitment with the
//     signer's fresh public nonce; the holder's own nonce is the
//     "verification nonce" it announced earlier (open, funding_signed,
//     channel_ready, revoke_and_ack, rebind), so signing needs no extra round.
//   presigs: single-signer adaptor signatures, locked to the payment point,
//     by a PTLC's offerer on the success tx of that PTLC's output, listed in
//     the commitment's output order (vout ascending) over the PTLCs the
//     sender offered on that commitment.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "channel/funding.h"
#include "channel/keys.h"
#include "channel/lock.h"
#include "channel/params.h"
#include "crypto/adaptor.h"
#include "crypto/musig.h"

namespace ladder::channel {

using ChannelId = Bytes32;
using crypto::adaptor::PreSignature;

enum class MessageType : uint16_t {
  stfu = 2,
  open_channel = 32,
  accept_channel = 33,
  funding_signed = 35,
  channel_ready = 36,
  update_add_lock = 128,
  update_settle_lock = 130,
  update_fail_lock = 131,
  commitment_signed = 132,
  revoke_and_ack = 133,
  ptlc_presigs = 32801,
  commitment_psig = 32803,
  rebind_propose = 32805,
  rebind_signed = 32807,
  rebind_complete = 32809,
};

struct NonceAndPsig {
  crypto::musig::PubNonce nonce;
  crypto::musig::PartialSig psig;
};

// No onion routing (DESIGN): the payer tells L where to forward.
struct ForwardRequest {
  ChannelId next_channel{};
  btc::Amount amount = 0;
  uint32_t expiry = 0;
  bool operator==(const ForwardRequest&) const = default;
};

struct OpenChannel {
  static constexpr MessageType kType = MessageType::open_channel;
  ChannelId channel_id{};
  Binding binding;
  btc::Amount funder_balance = 0;
  btc::Amount fundee_balance = 0;
  ChannelParams params;
  Deadlines deadlines;
  crypto::PubKey funding_key;
  Basepoints basepoints;
  crypto::PubKey first_point, second_point;  // commitments 0 and 1
  crypto::musig::PubNonce verification_nonce;
};

struct AcceptChannel {
  static constexpr MessageType kType = MessageType::accept_channel;
  ChannelId channel_id{};
  Basepoints basepoints;
  crypto::PubKey first_point, second_point;
  crypto::musig::PubNonce verification_nonce;
  NonceAndPsig funder_commitment_sig;  // on the funder's commitment 0
};

struct FundingSigned {
  static constexpr MessageType kType = MessageType::funding_signed;
  ChannelId channel_id{};
  NonceAndPsig fundee_commitment_sig;  // on the fundee's commitment 0
  crypto::musig::PubNonce next_nonce;
};

struct ChannelReady {
  static constexpr MessageType kType = MessageType::channel_ready;
  ChannelId channel_id{};
  crypto::musig::PubNonce next_nonce;
};

struct UpdateAddLock {
  static constexpr MessageType kType = MessageType::update_add_lock;
  ChannelId channel_id{};
  Lock lock;
  std::optional<ForwardRequest> forward;
};

struct UpdateSettleLock {
  static constexpr MessageType kType = MessageType::update_settle_lock;
  ChannelId channel_id{};
  uint64_t id = 0;
  Bytes32 secret{};  // preimage or scalar
};

struct UpdateFailLock {
  static constexpr MessageType kType = MessageType::update_fail_lock;
  ChannelId channel_id{};
  uint64_t id = 0;
  std::string reason;
};

struct CommitmentSigned {
  static constexpr MessageType kType = MessageType::commitment_signed;
  ChannelId channel_id{};
  uint64_t number = 0;
  // Absent when the holder's new commitment holds PTLCs the holder offered:
  // the holder first sends its presigs (PtlcPresigs), then gets the psig
  // (CommitmentPsig), so the receiver never signs a commitment on which it
  // could not claim a PTLC's success path.
  std::optional<NonceAndPsig> sig;
  std::vector<PreSignature> presigs;  // PTLCs the signer offered, on the holder's commitment
};

struct PtlcPresigs {
  static constexpr MessageType kType = MessageType::ptlc_presigs;
  ChannelId channel_id{};
  uint64_t number = 0;
  std::vector<PreSignature> presigs;  // PTLCs the holder offered, on its own new commitment
};

struct CommitmentPsig {
  static constexpr MessageType kType = MessageType::commitment_psig;
  ChannelId channel_id{};
  uint64_t number = 0;
  NonceAndPsig sig;
};

struct RevokeAndAck {
  static constexpr MessageType kType = MessageType::revoke_and_ack;
  ChannelId channel_id{};
  uint64_t revoked_number = 0;
  Bytes32 secret{};
  crypto::PubKey next_point;  // for commitment revoked_number + 2
  crypto::musig::PubNonce next_nonce;
};

struct Stfu {
  static constexpr MessageType kType = MessageType::stfu;
  ChannelId channel_id{};
};

struct RebindPropose {
  static constexpr MessageType kType = MessageType::rebind_propose;
  ChannelId channel_id{};
  Binding binding;
  std::vector<PreSignature> presigs_on_proposer;  // the proposer's PTLCs, on its own commitment
  std::vector<PreSignature> presigs_on_responder; // the proposer's PTLCs, on the responder's commitment
};

struct RebindSigned {
  static constexpr MessageType kType = MessageType::rebind_signed;
  ChannelId channel_id{};
  Binding binding;
  std::vector<PreSignature> presigs_on_responder;  // the responder's PTLCs, on its own commitment
  std::vector<PreSignature> presigs_on_proposer;   // the responder's PTLCs, on the proposer's commitment
  NonceAndPsig proposer_commitment_sig;
  crypto::musig::PubNonce next_nonce;  // replaces the responder's nonce once rebind_complete is used
};

struct RebindComplete {
  static constexpr MessageType kType = MessageType::rebind_complete;
  ChannelId channel_id{};
  NonceAndPsig responder_commitment_sig;
  crypto::musig::PubNonce next_nonce;
};

using Message = std::variant<OpenChannel, AcceptChannel, FundingSigned, ChannelReady, UpdateAddLock, UpdateSettleLock,
                             UpdateFailLock, CommitmentSigned, PtlcPresigs, CommitmentPsig, RevokeAndAck, Stfu,
                             RebindPropose, RebindSigned, RebindComplete>;

inline MessageType type(const Message& m) {
  return std::visit([](const auto& v) { return std::decay_t<decltype(v)>::kType; }, m);
}

}  // namespace ladder::channel
