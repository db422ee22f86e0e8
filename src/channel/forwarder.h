// Forwarder: L's two-hop payment logic over its channels (A → L → B), for
// HTLCs and PTLCs, usable by the LSP core.
//
// It does nothing unless fed: the host passes each event a channel reports
// (Channel::drain_events) with that channel's id, and sends the returned
// messages on the named channels (then signs commitments as usual). Rules:
//   - an incoming lock is forwarded only once it is locked in — irrevocably
//     on both commitments and, for a PTLC, with the offerer's adaptor
//     signatures for both commitments verified — so that L can always claim
//     the incoming lock, on chain if needed, once the outgoing one is settled
//     (L never lets the outbound settle before it can settle the inbound);
//   - the outgoing lock has the same hash or point, amount ≤ incoming −
//     policy fee, and expiry ≤ incoming expiry − expiry_delta; the outgoing
//     channel checks its own deadlines (TO − X, X) as for any lock;
//   - the incoming lock is settled as soon as the outgoing one is (the secret
//     is then known), and failed only once the outgoing failure is
//     irrevocable, or at once when the outgoing lock could not be added.
// Both hops therefore settle or both fail.
//
// Channels are not owned; they must outlive the Forwarder. Thread-safety:
// none. Failure: "router.unknown-channel", "router.fee-too-low",
// "router.expiry-delta" (the incoming lock is failed back), and channel
// errors from settle/fail.
#pragma once

#include <map>
#include <vector>

#include "channel/channel.h"

namespace ladder::channel {

struct ForwardPolicy {
  uint32_t expiry_delta = 12;
  btc::Amount base_fee = 0;
  uint32_t fee_ppm = 0;  // proportional fee, parts per million of the outgoing amount
};

struct Outbound {
  ChannelId channel{};
  Message message;
};

class Forwarder {
 public:
  explicit Forwarder(ForwardPolicy policy) : policy_(policy) {}

  void add_channel(Channel& ch) { channels_[ch.id()] = &ch; }
  // Handles one event of channel `from`; returns what to send.
  Expected<std::vector<Outbound>> on_event(const ChannelId& from, const ChannelEvent& event);
  // Forwards in flight (outgoing added, not yet settled or failed).
  size_t in_flight() const { return by_outgoing_.size(); }
  btc::Amount fee_for(btc::Amount outgoing) const;

 private:
  struct Hop {
    ChannelId in{};
    uint64_t in_id = 0;
  };
  Expected<std::vector<Outbound>> forward(const ChannelId& from, const ChannelEvent& e);
  Expected<std::vector<Outbound>> fail_back(const ChannelId& in, uint64_t id, const std::string& reason);

  ForwardPolicy policy_;
  std::map<ChannelId, Channel*> channels_;
  std::map<std::pair<ChannelId, uint64_t>, Hop> by_outgoing_;
};

}  // namespace ladder::channel
