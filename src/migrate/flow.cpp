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

}  // namespace ladder::migrate
