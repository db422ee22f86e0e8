// What a core emits, drained by its host (DESIGN §9): messages to peers,
// transactions to broadcast, watch requests, notifications and events.
//
// A core appends to its Outbox while it handles an input; the host drains
// every queue after each call and acts on it — sends the messages, submits
// the transactions (their purpose goes to logs and the demo's report),
// registers the watches with its chain backend, delivers each notification
// in-protocol (as the Notice peer message) and by webhook, and records the
// events. Draining returns the items in the order they were emitted.
//
// Thread-safety: one owner (the core) appends, its host drains, on one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/host.h"
#include "migrate/peer_message.h"

namespace ladder::core {

struct Outbound {
  PeerId to{};
  migrate::PeerMessage message;
};

struct Broadcast {
  btc::Transaction tx;
  std::string purpose;  // "batch", "eviction-kickoff", "justice", ... (stable words)
  uint64_t factory = 0;
};

struct WatchRequest {
  enum class Kind : uint8_t { txid, outpoint };
  Kind kind = Kind::txid;
  bool add = true;  // false: unwatch
  btc::Txid txid;
  btc::OutPoint outpoint;
};

struct Notification {
  PeerId to{};
  migrate::Notice notice;
};

// Something that happened, for logs, the simulator's counters and the
// demo's timeline. `kind` is a stable dotted word ("factory.born",
// "migration.done", "eviction.closed", ...).
struct Event {
  uint32_t height = 0;
  std::string kind;
  uint64_t factory = 0;
  std::optional<PeerId> peer;
  btc::Amount amount = 0;
  std::string detail;
};

class Outbox {
 public:
  void send(const PeerId& to, migrate::PeerMessage m) { messages_.push_back({to, std::move(m)}); }
  void broadcast(btc::Transaction tx, std::string purpose, uint64_t factory = 0) {
    broadcasts_.push_back({std::move(tx), std::move(purpose), factory});
  }
  void watch_txid(const btc::Txid& id, bool add = true) {
    watches_.push_back({WatchRequest::Kind::txid, add, id, {}});
  }
  void watch_outpoint(const btc::OutPoint& op, bool add = true) {
    watches_.push_back({WatchRequest::Kind::outpoint, add, {}, op});
  }
  void notify(const PeerId& to, migrate::Notice n) { notifications_.push_back({to, std::move(n)}); }
  void event(Event e) { events_.push_back(std::move(e)); }

  std::vector<Outbound> drain_messages() { return take(messages_); }
  std::vector<Broadcast> drain_broadcasts() { return take(broadcasts_); }
  std::vector<WatchRequest> drain_watches() { return take(watches_); }
  std::vector<Notification> drain_notifications() { return take(notifications_); }
  std::vector<Event> drain_events() { return take(events_); }
  bool empty() const {
    return messages_.empty() && broadcasts_.empty() && watches_.empty() && notifications_.empty() && events_.empty();
  }

 private:
  template <class T>
  static std::vector<T> take(std::vector<T>& v) {
    std::vector<T> out;
    out.swap(v);
    return out;
  }
  std::vector<Outbound> messages_;
  std::vector<Broadcast> broadcasts_;
  std::vector<WatchRequest> watches_;
  std::vector<Notification> notifications_;
  std::vector<Event> events_;
};

}  // namespace ladder::core
