// An in-process star network for tests: L's side of each channel, the
// clients' sides, a Forwarder, and in-order queues per channel and direction.
// run() delivers messages, signs commitments whenever a side can, and feeds
// L's channel events to the forwarder until nothing moves.
#pragma once

#include <deque>
#include <map>
#include <vector>

#include "channel/forwarder.h"
#include "channel_fixture.h"

namespace ladder::channel::test {

class Hub {
 public:
  explicit Hub(ForwardPolicy policy = {}) : forwarder(policy) {}
  size_t add(Pair& p);
  void from_client(size_t i, Message m) { links_.at(i).to_lsp.push_back(std::move(m)); }
  void from_lsp(size_t i, Message m) { links_.at(i).to_client.push_back(std::move(m)); }
  // Delivers everything; throws on any channel error.
  void run();
  // Client-side events seen so far (client index, event), drained.
  std::vector<std::pair<size_t, ChannelEvent>> take_client_events();
  Pair& pair(size_t i) { return *links_.at(i).pair; }

  Forwarder forwarder;

 private:
  struct LinkQ {
    Pair* pair = nullptr;
    std::deque<Message> to_lsp, to_client;
  };
  bool deliver_one();
  bool sign_any();
  void route_events();
  std::vector<LinkQ> links_;
  std::map<ChannelId, size_t> index_;
  std::vector<std::pair<size_t, ChannelEvent>> client_events_;
};

}  // namespace ladder::channel::test
