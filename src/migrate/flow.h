// What a migration flow gives its host, and what the host tells it about
// the chain: the shared vocabulary of the option 1/2/3/3b flows (ln_migration.h,
// swap.h, ptlc_exit.h, ptlc_new.h).
//
// A flow is one side (client or LSP) of one migration. It is sans-IO: it
// drives the channel::Channel objects it was given (adding, settling and
// failing its locks, quiescence on the old channel) and returns, from every
// call, a FlowOutput — migration messages for the peer, channel messages to
// send on a named channel (the host then runs the commitment dance as for
// any update), transactions to broadcast, outpoints and txids to watch, and
// events. The host feeds it:
//   on_tx(tx, height)        a tx it was asked to watch (a watched txid, or a
//                            spend of a watched outpoint), seen in the
//                            mempool (height = nullopt) or in a block;
//                            repeated reports are harmless;
//   on_tx_unconfirmed(txid)  a block holding that tx was disconnected;
//   on_tip(height)           after each block's txs were reported;
//   the peer's migration messages and the channel events of its channels.
// Broadcasts are idempotent: a flow re-emits a tx it still needs confirmed
// on later tips (re-broadcast after a reorg or an eviction).
//
// Persist before reveal: a flow output that reveals a secret — a claim that
// completes an adaptor signature with the old factory key, a settle
// carrying it, a handover — is returned only after the flow's own store
// step (when it has a store) committed; the host persists its own record of
// the flow before sending or broadcasting it.
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "btc/tx.h"
#include "channel/messages.h"
#include "migrate/messages.h"

namespace ladder::migrate {

struct ChannelSend {
  channel::ChannelId channel{};
  channel::Message message;
};

enum class FlowEventKind : uint8_t {
  leg_locked,      // the old-factory leg is irrevocably committed
  second_leg_locked,  // the second leg is committed (new channel) or O is funded
  revealed,        // the client revealed its preimage or key (claim, settle, handover)
  key_learned,     // L holds the client's old factory key (vault)
  settled,         // both legs settled: the client's funds moved
  handed_over,     // handover done (options 1/2)
  reveal_blocked,  // the client will not reveal yet: `code` says why
  abandoned,       // past the reveal cutoff: the client recovers at T_in
  refunded,        // L took O back after T_on
  failed,          // the migration ended without moving the funds
  must_enforce,    // L holds the key but the old leg is unresolved near its deadline
  done,            // nothing more to do
};
const char* to_string(FlowEventKind k);

struct FlowEvent {
  FlowEventKind kind = FlowEventKind::done;
  std::string code;  // an error code for reveal_blocked / failed, else empty
};

struct FlowOutput {
  std::vector<Message> to_peer;
  std::vector<ChannelSend> channel;
  std::vector<btc::Transaction> broadcast;
  std::vector<btc::OutPoint> watch_outpoints;
  std::vector<btc::Txid> watch_txids;
  std::vector<FlowEvent> events;

  void event(FlowEventKind k, std::string code = {}) { events.push_back({k, std::move(code)}); }
  void append(FlowOutput o);
  bool has(FlowEventKind k) const;
};

// The client's way to a reveal on its old channel (legs.h): first the
// conditions on the channel's latest state, then quiescence (stfu), then the
// conditions on the irrevocably committed commitments. check() is called
// again on every tip (or after channel traffic) until `ready`; whenever
// something blocks the reveal it leaves any quiescence and, if it had asked
// for it, sends RevealBlocked so that L leaves it too.
class RevealGate {
 public:
  FlowOutput check(channel::Channel& old_channel, const std::optional<MigrationLock>& leg, const MigrationId& id,
                   bool& ready);
  // Leaves quiescence (after the reveal, or when the client gives up).
  void release(channel::Channel& old_channel);

 private:
  bool requested_ = false;
};

}  // namespace ladder::migrate
