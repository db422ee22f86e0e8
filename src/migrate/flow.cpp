#include "migrate/flow.h"

#include <algorithm>
#include <iterator>

namespace ladder::migrate {

const char* to_string(FlowEventKind k) {
  switch (k) {
    case FlowEventKind::leg_locked: return "leg-locked";
    case FlowEventKind::second_leg_locked: return "second-leg-locked";
    case FlowEventKind::revealed: return "revealed";
    case FlowEventKind::key_learned: return "key-learned";
    case FlowEventKind::settled: return "settled";
    case FlowEventKind::handed_over: return "handed-over";
    case FlowEventKind::reveal_blocked: return "reveal-blocked";
    case FlowEventKind::abandoned: return "abandoned";
    case FlowEventKind::refunded: return "refunded";
    case FlowEventKind::failed: return "failed";
    case FlowEventKind::must_enforce: return "must-enforce";
    case FlowEventKind::done: return "done";
  }
  return "?";
}

namespace {
template <class T>
void move_into(std::vector<T>& to, std::vector<T>& from) {
  std::move(from.begin(), from.end(), std::back_inserter(to));
}
}  // namespace

void FlowOutput::append(FlowOutput o) {
  move_into(to_peer, o.to_peer);
  move_into(channel, o.channel);
  move_into(broadcast, o.broadcast);
  move_into(watch_outpoints, o.watch_outpoints);
  move_into(watch_txids, o.watch_txids);
  move_into(events, o.events);
}

bool FlowOutput::has(FlowEventKind k) const {
  return std::any_of(events.begin(), events.end(), [k](const FlowEvent& e) { return e.kind == k; });
}

FlowOutput RevealGate::check(channel::Channel& old, const std::optional<MigrationLock>& leg, const MigrationId& id,
                             bool& ready) {
  FlowOutput out;
  ready = false;
  const bool quiet = old.is_quiescent();
  auto blocked = [&](const Error& e) {
    if (requested_ || quiet) {
      (void)old.resume();
      requested_ = false;
      out.to_peer.push_back(RevealBlocked{id, e.code});
    }
    out.event(FlowEventKind::reveal_blocked, e.code);
    return out;
  };
  if (auto pre = check_reveal_preconditions(old, leg); !pre) return blocked(pre.error());
  if (!requested_ && !quiet) {
    auto stfu = old.request_quiescence();
    if (stfu) out.channel.push_back({old.id(), channel::Message(std::move(*stfu))});
    requested_ = true;
    return out;
  }
  if (!quiet) return out;
  if (auto s = check_reveal_conditions(old, leg); !s) return blocked(s.error());
  ready = true;
  return out;
}

void RevealGate::release(channel::Channel& old) {
  if (requested_ || old.is_quiescent()) (void)old.resume();
  requested_ = false;
}

}  // namespace ladder::migrate
