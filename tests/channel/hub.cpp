#include "hub.h"

namespace ladder::channel::test {

size_t Hub::add(Pair& p) {
  links_.push_back({&p, {}, {}});
  index_[p.lsp.id()] = links_.size() - 1;
  forwarder.add_channel(p.lsp);
  return links_.size() - 1;
}

bool Hub::deliver_one() {
  for (auto& l : links_) {
    if (!l.to_lsp.empty()) {
      Message m = std::move(l.to_lsp.front());
      l.to_lsp.pop_front();
      for (auto& r : must(deliver(l.pair->lsp, m), "L receives")) l.to_client.push_back(std::move(r));
      return true;
    }
    if (!l.to_client.empty()) {
      Message m = std::move(l.to_client.front());
      l.to_client.pop_front();
      for (auto& r : must(deliver(l.pair->client, m), "client receives")) l.to_lsp.push_back(std::move(r));
      return true;
    }
  }
  return false;
}

bool Hub::sign_any() {
  for (auto& l : links_) {
    if (l.pair->lsp.can_sign_commitment()) {
      l.to_client.push_back(must(l.pair->lsp.sign_commitment(), "L signs"));
      return true;
    }
    if (l.pair->client.can_sign_commitment()) {
      l.to_lsp.push_back(must(l.pair->client.sign_commitment(), "client signs"));
      return true;
    }
  }
  return false;
}

void Hub::route_events() {
  for (size_t i = 0; i < links_.size(); ++i) {
    auto& l = links_[i];
    for (const auto& e : l.pair->lsp.drain_events())
      for (auto& o : must(forwarder.on_event(l.pair->lsp.id(), e), "forward"))
        links_.at(index_.at(o.channel)).to_client.push_back(std::move(o.message));
    for (auto& e : l.pair->client.drain_events()) client_events_.emplace_back(i, std::move(e));
  }
}

void Hub::run() {
  for (;;) {
    route_events();
    if (deliver_one() || sign_any()) continue;
    return;
  }
}

std::vector<std::pair<size_t, ChannelEvent>> Hub::take_client_events() {
  route_events();
  std::vector<std::pair<size_t, ChannelEvent>> out;
  out.swap(client_events_);
  return out;
}

}  // namespace ladder::channel::test
