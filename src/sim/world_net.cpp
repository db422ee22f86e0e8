// The world's network and chain plumbing: what each core emitted is routed
// (messages in order, notices in-protocol, txs to the chain, watches to the
// backend) and the backend's events go to whoever watches.
#include "btc/standard_scripts.h"
#include "sim/world.h"

namespace ladder::sim {

namespace {
constexpr size_t kMaxMessagesPerDrain = 50'000'000;
}

Status World::drain(PartyId from, core::Outbox& out) {
  for (auto& w : out.drain_watches()) {
    if (w.kind == core::WatchRequest::Kind::txid) {
      auto& v = txid_watchers_[w.txid];
      if (w.add) {
        if (std::find(v.begin(), v.end(), from) == v.end()) v.push_back(from);
        backend_->watch_txid(w.txid);
      } else {
        std::erase(v, from);
      }
    } else {
      auto& v = outpoint_watchers_[w.outpoint];
      if (w.add) {
        if (std::find(v.begin(), v.end(), from) == v.end()) v.push_back(from);
        backend_->watch_outpoint(w.outpoint);
      } else {
        std::erase(v, from);
      }
    }
  }
  for (auto& b : out.drain_broadcasts()) LADDER_TRY(submit(from, std::move(b)));
  for (auto& m : out.drain_messages()) {
    auto to = party_of(m.to);
    if (!to) return make_error("sim.unknown-peer", "a core sent a message to an unknown peer");
    network_.emplace_back(from, *to, std::move(m.message));
  }
  for (auto& n : out.drain_notifications()) {
    auto to = party_of(n.to);
    if (to) network_.emplace_back(from, *to, migrate::PeerMessage{std::move(n.notice)});
  }
  for (auto& e : out.drain_events()) {
    if (on_event) on_event(e);
    events_.push_back(std::move(e));
  }
  return ok();
}

Status World::submit(PartyId from, core::Broadcast b) {
  if (from == kLspParty && lsp_broadcast_filter) lsp_broadcast_filter(b);
  if (b.tx.vin.empty()) return ok();  // filtered out
  // The fee the tx pays: its inputs' values from the chain (confirmed or mempool).
  btc::Amount in = 0;
  for (const auto& i : b.tx.vin) {
    LADDER_ASSIGN(auto parent, backend_->get_tx(i.prevout.txid));
    if (!parent || i.prevout.n >= parent->tx.vout.size())
      return make_error("sim.tx-rejected", b.purpose + " " + b.tx.txid().hex() + ": unknown input");
    in += parent->tx.vout[i.prevout.n].value;
  }
  auto r = backend_->broadcast(b.tx);
  if (!r) {
    if (r.error().code == "txn-already-in-mempool" || r.error().code == "txn-already-known") return ok();
    return make_error("sim.tx-rejected", b.purpose + " " + b.tx.txid().hex() + ": " + r.error().to_string());
  }
  TxRecord rec;
  rec.txid = *r;
  rec.purpose = b.purpose;
  rec.party = from;
  rec.factory = b.factory;
  rec.height = height();
  rec.fee = in - b.tx.total_out();
  rec.vsize = b.tx.vsize();
  rec.raw = b.tx.serialize();
  books_.fees += rec.fee;
  for (uint32_t v = 0; v < b.tx.vout.size(); ++v)
    if (btc::is_p2a(b.tx.vout[v].script_pubkey)) anchors_.push_back({rec.txid, v});
  if (on_tx) on_tx(rec);
  txs_.push_back(std::move(rec));
  return ok();
}

Status World::route_chain_events() {
  LADDER_ASSIGN(auto events, backend_->poll());
  for (const auto& e : events) {
    switch (e.kind) {
      case chain::EventKind::block_connected:
      case chain::EventKind::block_disconnected:
        lsp_->on_chain_event(e);
        for (auto& t : towers_) t.core->on_chain_event(e);
        for (auto& [id, c] : clients_)
          if (c.online) c.core->on_chain_event(e);
        break;
      case chain::EventKind::tx_confirmed:
      case chain::EventKind::tx_reorged_out: {
        auto it = txid_watchers_.find(e.txid);
        if (it == txid_watchers_.end()) break;
        for (PartyId p : std::vector<PartyId>(it->second)) deliver_event(p, e);
        break;
      }
      default: {
        auto it = outpoint_watchers_.find(e.outpoint);
        if (it == outpoint_watchers_.end()) break;
        for (PartyId p : std::vector<PartyId>(it->second)) deliver_event(p, e);
        break;
      }
    }
  }
  LADDER_TRY(drain(kLspParty, lsp_->outbox()));
  for (size_t i = 0; i < towers_.size(); ++i) LADDER_TRY(drain(static_cast<PartyId>(i + 1), towers_[i].core->outbox()));
  for (auto& [id, c] : clients_)
    if (c.online) LADDER_TRY(drain(id, c.core->outbox()));
  return ok();
}

void World::deliver_event(PartyId to, const chain::ChainEvent& e) {
  if (to == kLspParty) {
    lsp_->on_chain_event(e);
  } else if (to <= towers_.size()) {
    towers_[to - 1].core->on_chain_event(e);
  } else {
    auto& c = clients_.at(to);
    if (c.online) c.core->on_chain_event(e);
    else c.chain_inbox.push_back(e);
  }
}

Status World::deliver_message(PartyId from, PartyId to, const migrate::PeerMessage& m) {
  const core::PeerId& sender = peers_.at(from);
  if (to == kLspParty) {
    Status s = lsp_->on_message(sender, m);
    if (!s) events_.push_back({height(), "sim.refused-by-lsp", 0, sender, 0, s.error().to_string()});
    return drain(kLspParty, lsp_->outbox());
  }
  if (to <= towers_.size()) {
    auto& t = *towers_[to - 1].core;
    Status s = t.on_message(sender, m);
    if (!s) events_.push_back({height(), "sim.refused-by-tower", 0, sender, 0, s.error().to_string()});
    return drain(to, t.outbox());
  }
  auto& c = clients_.at(to);
  if (!c.online) {
    c.inbox.emplace_back(from, m);
    return ok();
  }
  Status s = c.core->on_message(sender, m);
  if (!s) events_.push_back({height(), "sim.refused-by-client", 0, peers_.at(to), 0, s.error().to_string()});
  return drain(to, c.core->outbox());
}

Status World::deliver_all() {
  for (size_t n = 0; !network_.empty(); ++n) {
    if (n > kMaxMessagesPerDrain) return make_error("sim.stuck", "the network does not settle");
    auto [from, to, m] = std::move(network_.front());
    network_.pop_front();
    LADDER_TRY(deliver_message(from, to, m));
  }
  return ok();
}

}  // namespace ladder::sim
