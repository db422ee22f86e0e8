#include "channel/forwarder.h"

namespace ladder::channel {

btc::Amount Forwarder::fee_for(btc::Amount outgoing) const {
  return policy_.base_fee + outgoing * static_cast<btc::Amount>(policy_.fee_ppm) / 1'000'000;
}

Expected<std::vector<Outbound>> Forwarder::fail_back(const ChannelId& in, uint64_t id, const std::string& reason) {
  auto it = channels_.find(in);
  if (it == channels_.end()) return make_error("router.unknown-channel", "incoming channel not registered");
  LADDER_ASSIGN(auto msg, it->second->fail(id, reason));
  return std::vector<Outbound>{{in, Message(std::move(msg))}};
}

Expected<std::vector<Outbound>> Forwarder::forward(const ChannelId& from, const ChannelEvent& e) {
  const ForwardRequest& f = *e.forward;
  auto out = channels_.find(f.next_channel);
  if (out == channels_.end() || f.next_channel == from)
    return fail_back(from, e.lock.id, "router.unknown-channel");
  if (f.amount <= 0 || f.amount + fee_for(f.amount) > e.lock.amount)
    return fail_back(from, e.lock.id, "router.fee-too-low");
  if (static_cast<uint64_t>(f.expiry) + policy_.expiry_delta > e.lock.expiry)
    return fail_back(from, e.lock.id, "router.expiry-delta");
  Channel& next = *out->second;
  auto add = e.lock.kind == LockKind::htlc ? next.add_htlc(f.amount, e.lock.payment_hash, f.expiry)
                                           : next.add_ptlc(f.amount, *e.lock.point, f.expiry);
  if (!add) return fail_back(from, e.lock.id, add.error().code);
  by_outgoing_[{next.id(), add->lock.id}] = Hop{from, e.lock.id};
  return std::vector<Outbound>{{next.id(), Message(std::move(*add))}};
}

Expected<std::vector<Outbound>> Forwarder::on_event(const ChannelId& from, const ChannelEvent& e) {
  switch (e.kind) {
    case ChannelEvent::Kind::incoming_locked:
      if (!e.forward) return std::vector<Outbound>{};  // a payment to L itself: the host's business
      return forward(from, e);
    case ChannelEvent::Kind::outgoing_settled:
    case ChannelEvent::Kind::outgoing_failed: {
      auto it = by_outgoing_.find({from, e.lock.id});
      if (it == by_outgoing_.end()) return std::vector<Outbound>{};  // not a forward
      const Hop hop = it->second;
      by_outgoing_.erase(it);
      if (e.kind == ChannelEvent::Kind::outgoing_failed) return fail_back(hop.in, hop.in_id, e.reason);
      auto in = channels_.find(hop.in);
      if (in == channels_.end()) return make_error("router.unknown-channel", "incoming channel not registered");
      LADDER_ASSIGN(auto msg, in->second->settle(hop.in_id, *e.secret));
      return std::vector<Outbound>{{hop.in, Message(std::move(msg))}};
    }
    case ChannelEvent::Kind::incoming_removed:
      return std::vector<Outbound>{};
  }
  return std::vector<Outbound>{};
}

}  // namespace ladder::channel
