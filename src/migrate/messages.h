// Migration messages: plain value structs, one per protocol step of the four
// ways out of a dying factory (DESIGN §6) and of the key handover.
//
// The locks themselves travel as ordinary channel messages (channel/
// messages.h) on the old and the new channel; these messages carry what the
// channels do not: the request and its terms (legs, fee, batch height), the
// on-chain output's claim sessions, and the handover. Each names the
// migration by the 32-byte id the client chose at random for it.
//
// Flows (A = client, L = LSP):
//   option 1  A→L MigrateRequest; L→A MigrateTerms; HTLC A→L on the old
//             channel, L→A on the new one (channel messages); A settles the
//             new one; L settles the old one; A→L Handover (if A agrees);
//             L→A HandoverAck.
//   option 2  Request/Terms; HTLC A→L; L→A SwapFunded (O's outpoint, once
//             the batch is frozen); O confirms; either A claims by script
//             path with the preimage, or A→L SwapClaimRequest (preimage +
//             A's nonce) and L→A SwapClaimSig (L's nonce and partial) for a
//             key-path claim; Handover as in option 1.
//   option 3  Request/Terms; PTLC A→L (point = A's old factory key); per
//             claim version: L→A ClaimOffer (O, claim fee, L's nonce);
//             A→L ClaimPartial (A's nonce and partial); L verifies it, then
//             L→A ClaimAdaptorPartial, which A pre-verifies; L funds O; A
//             claims on chain (revealing the key). A→L ClaimResign asks for
//             a new version at a new fee rate. A's partial goes first so
//             that L never releases its adaptor partial for an output it
//             would fund without holding A's: from L's partial and A's, A
//             could complete a claim that L cannot extract the key from
//             (docs/migrate-ways.md).
//   option 3b Request/Terms; PTLC A→L on the old channel, PTLC L→A on the
//             new one with the same point; A settles the new one with its key.
// Either side may send MigrateReject at any point before the reveal. The
// client sends RevealBlocked when its reveal conditions fail on a quiescent
// old channel (legs.h), so that both sides leave quiescence to fix it.
//
// Secrets: only Handover (the old factory key, the protocol's reveal) and
// SwapClaimRequest (the preimage) carry one; secret nonces never appear.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "btc/tx.h"
#include "channel/messages.h"
#include "crypto/musig.h"
#include "migrate/legs.h"

namespace ladder::migrate {

using MigrationId = Bytes32;

enum class MigrationOption : uint8_t {
  ln_payment = 1,    // option 1
  onchain_swap = 2,  // option 2
  ptlc_exit = 3,     // option 3
  ptlc_new = 4,      // option 3b
};
inline const char* to_string(MigrationOption o) {
  switch (o) {
    case MigrationOption::ln_payment: return "ln-payment";
    case MigrationOption::onchain_swap: return "onchain-swap";
    case MigrationOption::ptlc_exit: return "ptlc-exit";
    case MigrationOption::ptlc_new: return "ptlc-new";
  }
  return "?";
}
inline SecondLeg second_leg_of(MigrationOption o) {
  return o == MigrationOption::ln_payment || o == MigrationOption::ptlc_new ? SecondLeg::new_factory
                                                                            : SecondLeg::on_chain;
}

enum class MessageType : uint16_t {
  migrate_request = 33001,
  migrate_terms = 33003,
  migrate_reject = 33005,
  swap_funded = 33007,
  swap_claim_request = 33009,
  swap_claim_sig = 33011,
  claim_offer = 33013,
  claim_adaptor_partial = 33017,
  claim_partial = 33019,
  claim_resign = 33021,
  handover = 33023,
  handover_ack = 33025,
  reveal_blocked = 33027,
};

// A→L: the client opens a migration of its whole old-channel balance.
struct MigrateRequest {
  static constexpr MessageType kType = MessageType::migrate_request;
  MigrationId id{};
  MigrationOption option = MigrationOption::ptlc_exit;
  uint64_t old_factory = 0;
  channel::ChannelId old_channel{};
  btc::Amount amount = 0;  // the client's whole balance in the old channel
  uint32_t depth = 3;      // the client's chosen confirmation depth d
  // Options 1 and 3b: the client's channel in the newer factory.
  uint64_t new_factory = 0;
  channel::ChannelId new_channel{};
  // Option 1 and 2: the payment hash (the client knows the preimage).
  Bytes32 payment_hash{};
  // Options 2 and 3: A's fresh key in O and where its claim pays.
  std::optional<crypto::PubKey> fresh_key;
  Bytes claim_script;
};

// L→A: what L commits to. Both sides check the legs (legs.h).
struct MigrateTerms {
  static constexpr MessageType kType = MessageType::migrate_terms;
  MigrationId id{};
  btc::Amount fee = 0;          // L's advertised fee, taken from the amount
  btc::Amount out_amount = 0;   // the second leg's value: amount − fee
  Legs legs;
  uint32_t start_height = 0;    // `now` of the leg rules
  uint32_t batch_height = 0;    // options 2/3: L's promised batch broadcast height
  std::optional<crypto::PubKey> lsp_key;  // options 2/3: L's key in O
  btc::Amount claim_fee_rate = 0;         // options 2/3: sat/kvB of the first claim version
};

struct MigrateReject {
  static constexpr MessageType kType = MessageType::migrate_reject;
  MigrationId id{};
  std::string code;  // a stable "migrate.*" code
  std::string message;
};

// Option 2, L→A: O is an output of a frozen batch.
struct SwapFunded {
  static constexpr MessageType kType = MessageType::swap_funded;
  MigrationId id{};
  btc::OutPoint outpoint;
  btc::Amount value = 0;
};

// Option 2, A→L: A reveals the preimage off-chain (only while tip + c ≤
// T_on, O being confirmed at A's depth) and asks L to co-sign a key-path
// claim paying `claim_script` at `fee_rate`.
struct SwapClaimRequest {
  static constexpr MessageType kType = MessageType::swap_claim_request;
  MigrationId id{};
  Bytes32 preimage{};
  btc::Amount fee_rate = 0;
  crypto::musig::PubNonce client_nonce;
};

// Option 2, L→A: L's nonce and partial signature on that claim.
struct SwapClaimSig {
  static constexpr MessageType kType = MessageType::swap_claim_sig;
  MigrationId id{};
  crypto::musig::PubNonce lsp_nonce;
  crypto::musig::PartialSig lsp_psig;
};

// Option 3, L→A: opens claim version `version` (0, 1, ...): the claim spends
// `outpoint` (an output of a frozen batch) to the client's claim script at
// `fee_rate`, nSequence 1.
struct ClaimOffer {
  static constexpr MessageType kType = MessageType::claim_offer;
  MigrationId id{};
  uint32_t version = 0;
  btc::OutPoint outpoint;
  btc::Amount value = 0;
  btc::Amount fee_rate = 0;
  crypto::PubKey adaptor_point;  // must be the client's old factory key
  crypto::musig::PubNonce lsp_nonce;
};

// Option 3, A→L: A's nonce and partial signature for that version (the
// session's adaptor point is A's old factory key).
struct ClaimPartial {
  static constexpr MessageType kType = MessageType::claim_partial;
  MigrationId id{};
  uint32_t version = 0;
  crypto::musig::PubNonce client_nonce;
  crypto::musig::PartialSig client_psig;
};

// Option 3, L→A: L's adaptor partial signature, sent once L verified A's.
struct ClaimAdaptorPartial {
  static constexpr MessageType kType = MessageType::claim_adaptor_partial;
  MigrationId id{};
  uint32_t version = 0;
  crypto::musig::PartialSig lsp_psig;
};

// Option 3, A→L: please open a new claim version at this fee rate.
struct ClaimResign {
  static constexpr MessageType kType = MessageType::claim_resign;
  MigrationId id{};
  btc::Amount fee_rate = 0;
};

// A→L: the old factory key, once the client's old channel holds nothing of
// its own (options 1 and 2, if the client agrees).
struct Handover {
  static constexpr MessageType kType = MessageType::handover;
  MigrationId id{};
  uint64_t old_factory = 0;
  Bytes32 factory_secret{};
};

struct HandoverAck {
  static constexpr MessageType kType = MessageType::handover_ack;
  MigrationId id{};
};

// A→L: the client will not reveal its secret until what `code` names is
// resolved (e.g. "migrate.other-lock": L offered a lock after the migration
// leg); both sides leave quiescence on the old channel so that it can be
// resolved, and the client asks for quiescence again afterwards.
struct RevealBlocked {
  static constexpr MessageType kType = MessageType::reveal_blocked;
  MigrationId id{};
  std::string code;
};

using Message = std::variant<MigrateRequest, MigrateTerms, MigrateReject, SwapFunded, SwapClaimRequest, SwapClaimSig,
                             ClaimOffer, ClaimPartial, ClaimAdaptorPartial, ClaimResign, Handover,
                             HandoverAck, RevealBlocked>;

inline MessageType type(const Message& m) {
  return std::visit([](const auto& v) { return std::decay_t<decltype(v)>::kType; }, m);
}
inline const MigrationId& id_of(const Message& m) {
  return std::visit([](const auto& v) -> const MigrationId& { return v.id; }, m);
}

}  // namespace ladder::migrate
