// Every peer message of the Ladder protocol in one variant, PeerMessage:
// what the Lsp, Client and Tower cores take as input and emit as output, and
// what the daemons give a wire encoding (a type number and a TLV extension
// per alternative). Plain value structs only: no pointers, no secrets other
// than those the protocol reveals on purpose (a handed-over key, a preimage,
// a lock's scalar, a revoked commitment's secret); secret nonces never.
//
// The alternatives, by protocol:
//   ceremony  factory/ceremony_msgs.h   L ↔ client, two signing rounds + acks
//   update    factory/update.h          L ↔ clients of a subtree, children-first
//   channel   channel/messages.h        L ↔ client, one channel each (channel id)
//   migration migrate/messages.h        L ↔ client, options 1/2/3/3b + handover
//   session   below                     L ↔ client: joining a factory, the
//                                       deposit of an on-chain coin, notices
//   tower     below                     client ↔ its tower (DESIGN §7a)
//
// Session flow (joining the next factory of the ladder):
//   client → L  JoinRequest     a fresh factory key (persisted by the client
//                               before sending), the inbound liquidity asked
//                               for, optionally a deposit (an on-chain coin
//                               of the client's that the day's batch spends)
//   L → client  JoinOffer       the factory and the balances L will propose
//               | JoinReject
//   ... the ceremony (Proposal ...) and the channel open (OpenChannel ...) ...
//   L → client  DepositSignRequest  once every participant acknowledged the
//                               construction: the frozen batch tx; the client
//                               checks it funds the factory it just signed
//   client → L  DepositSig      its key-path signature on its deposit input
//   L → client  Notice          dying period (with the window's heights),
//                               migration done, forced resolution, funds
//                               on-chain, balance above the insured amount
// Tower flow: client → tower TowerUpdate (newest signed path txs, latest
// commitment, justice txs for newly revoked L commitments, the exit height),
// tower → client TowerAck. The client neither revokes nor pays before the
// ack (DESIGN §7a (R)).
//
// Type numbers: each struct's kType, distinct across the variant (the
// session and tower messages use 34001+ and 34101+, odd: "it's ok to be odd").
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "btc/tx.h"
#include "channel/messages.h"
#include "factory/ceremony_msgs.h"
#include "factory/update.h"
#include "migrate/messages.h"

namespace ladder::migrate {

enum class SessionType : uint16_t {
  join_request = 34001,
  join_offer = 34003,
  join_reject = 34005,
  deposit_sign_request = 34007,
  deposit_sig = 34009,
  notice = 34011,
  tower_update = 34101,
  tower_ack = 34103,
};

// An on-chain coin the client brings into a factory (P2TR key path of the
// client's wallet key).
struct Deposit {
  btc::OutPoint outpoint;
  btc::TxOut out;
  bool operator==(const Deposit&) const = default;
};

struct JoinRequest {
  static constexpr SessionType kType = SessionType::join_request;
  Bytes32 id{};               // chosen by the client, names the join in the replies
  Bytes33 factory_key{};      // the client's fresh factory key (compressed)
  btc::Amount inbound = 0;    // L's side of the new channel the client asks for
  std::optional<Deposit> deposit;
  uint64_t migrating_from = 0;  // the factory the client leaves by option 1/3b (0: none)
};

struct JoinOffer {
  static constexpr SessionType kType = SessionType::join_offer;
  Bytes32 id{};
  uint64_t factory_id = 0;
  uint32_t ceremony_height = 0;   // when L proposes the factory
  btc::Amount client_balance = 0; // the client's side at open (its deposit minus fees)
  btc::Amount lsp_balance = 0;
  btc::Amount fee = 0;            // what L charges for the join, taken from the deposit
};

struct JoinReject {
  static constexpr SessionType kType = SessionType::join_reject;
  Bytes32 id{};
  std::string code;  // a stable "lsp.*" code
  std::string message;
};

struct DepositSignRequest {
  static constexpr SessionType kType = SessionType::deposit_sign_request;
  uint64_t factory_id = 0;
  btc::Transaction tx;             // the frozen batch, unsigned
  std::vector<btc::TxOut> spent;   // every input's spent output, in input order
  uint32_t input = 0;              // the client's deposit
};

struct DepositSig {
  static constexpr SessionType kType = SessionType::deposit_sig;
  uint64_t factory_id = 0;
  Bytes64 sig{};
};

enum class NoticeKind : uint8_t {
  factory_dying = 1,      // the window's heights are set
  migration_done = 2,
  forced_resolution = 3,  // L resolved the client after the window
  funds_onchain = 4,      // `outputs` hold the client's money
  above_insured = 5,      // the client's balance exceeds Insured(C)
  wake = 6,               // L needs the client for a step (ceremony, claim session)
};

struct Notice {
  static constexpr SessionType kType = SessionType::notice;
  Bytes32 id{};  // idempotency key: a redelivered notice has the same id
  NoticeKind kind = NoticeKind::factory_dying;
  uint64_t factory_id = 0;
  uint32_t end_active = 0, end_dying = 0, timeout = 0;  // factory_dying
  btc::Amount amount = 0;
  std::vector<btc::OutPoint> outputs;
  std::string text;
};

struct TowerUpdate {
  static constexpr SessionType kType = SessionType::tower_update;
  uint64_t seq = 0;         // per client, increasing; the ack names it
  uint64_t factory_id = 0;
  // The signed static, kickoff and newest state txs of the client's path,
  // root first (replaces what the tower held for this factory when non-empty).
  std::vector<btc::Transaction> path;
  std::optional<btc::Transaction> commitment;  // the client's latest signed commitment
  std::vector<btc::Transaction> justice;       // for newly revoked L commitments
  // Publish the exit path at this height unless the factory was resolved
  // (its funding output spent) before; 0: do not.
  uint32_t exit_height = 0;
  bool forget = false;  // the client left the factory: drop everything of it
};

struct TowerAck {
  static constexpr SessionType kType = SessionType::tower_ack;
  uint64_t seq = 0;
};

using PeerMessage = std::variant<
    // ceremony
    factory::Proposal, factory::NonceBatch, factory::AggNonceBatch, factory::PartialBatch, factory::SignatureBatch,
    factory::CeremonyAck,
    // update
    factory::UpdateProposal, factory::UpdateNonces, factory::UpdateAggNonces, factory::DescendantPartials,
    factory::DescendantSignatures, factory::TopPartial, factory::TopSignature,
    // channel
    channel::OpenChannel, channel::AcceptChannel, channel::FundingSigned, channel::ChannelReady,
    channel::UpdateAddLock, channel::UpdateSettleLock, channel::UpdateFailLock, channel::CommitmentSigned,
    channel::PtlcPresigs, channel::CommitmentPsig, channel::RevokeAndAck, channel::Stfu, channel::RebindPropose,
    channel::RebindSigned, channel::RebindComplete,
    // migration
    MigrateRequest, MigrateTerms, MigrateReject, SwapFunded, SwapClaimRequest, SwapClaimSig, ClaimOffer, ClaimPartial,
    ClaimAdaptorPartial, ClaimResign, Handover, HandoverAck, RevealBlocked,
    // session and tower
    JoinRequest, JoinOffer, JoinReject, DepositSignRequest, DepositSig, Notice, TowerUpdate, TowerAck>;

namespace detail {
template <class T, class V>
struct IsAlternative;
template <class T, class... Ts>
struct IsAlternative<T, std::variant<Ts...>> : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};
}  // namespace detail

// The channel message inside a PeerMessage, if it is one.
inline std::optional<channel::Message> as_channel_message(const PeerMessage& m) {
  return std::visit(
      [](const auto& v) -> std::optional<channel::Message> {
        using T = std::decay_t<decltype(v)>;
        if constexpr (detail::IsAlternative<T, channel::Message>::value) return channel::Message{v};
        else return std::nullopt;
      },
      m);
}
inline PeerMessage from_channel_message(channel::Message m) {
  return std::visit([](auto&& v) -> PeerMessage { return PeerMessage{std::move(v)}; }, std::move(m));
}

// The migration message inside a PeerMessage, if it is one.
inline std::optional<Message> as_migration_message(const PeerMessage& m) {
  return std::visit(
      [](const auto& v) -> std::optional<Message> {
        using T = std::decay_t<decltype(v)>;
        if constexpr (detail::IsAlternative<T, Message>::value) return Message{v};
        else return std::nullopt;
      },
      m);
}
inline PeerMessage from_migration_message(Message m) {
  return std::visit([](auto&& v) -> PeerMessage { return PeerMessage{std::move(v)}; }, std::move(m));
}

inline const char* to_string(NoticeKind k) {
  switch (k) {
    case NoticeKind::factory_dying: return "factory-dying";
    case NoticeKind::migration_done: return "migration-done";
    case NoticeKind::forced_resolution: return "forced-resolution";
    case NoticeKind::funds_onchain: return "funds-onchain";
    case NoticeKind::above_insured: return "above-insured";
    case NoticeKind::wake: return "wake";
  }
  return "?";
}

}  // namespace ladder::migrate
