// The lifecycle of L's factories: blocks and confirmations, the dying
// notice, and what L holds.
#include "crypto/hash.h"
#include "lsp/lsp.h"

namespace ladder::lsp {

void Lsp::on_block(uint32_t height) {
  height_ = height;
  if (height % config_.blocks_per_day == config_.ceremony_offset) {
    Status s = start_day();
    if (!s) fail(s.error());
  }
  check_construction_timeout();
  check_batch_timeouts();
  Status s = migrations_on_tip();
  if (!s) fail(s.error());
  for (auto& [id, f] : factories_) {
    if (f.phase == LiveFactory::Phase::live && height >= f.heights().end_active) notify_dying(f);
  }
}

void Lsp::on_tx_confirmed(const btc::Txid& txid, uint32_t height) {
  for (auto& [bid, rec] : batches_) {
    if (rec.batch.unsigned_tx().txid() != txid || rec.confirmed_at) continue;
    rec.confirmed_at = height;
    for (const auto& in : rec.batch.inputs()) wallet_.release(in.outpoint);
    pending_.watch_txid(txid, false);
  }
  for (auto& [id, f] : factories_) {
    if (f.funding_txid != txid || f.funding_height) continue;
    f.funding_height = height;
    f.phase = LiveFactory::Phase::live;
    event("factory.live", f.id, std::nullopt, 0, "funding confirmed at " + std::to_string(height));
    mark("lsp/factory", be64(f.id));
    if (height >= f.heights().end_active) notify_dying(f);
  }
}

void Lsp::notify_dying(LiveFactory& f) {
  f.phase = LiveFactory::Phase::dying;
  const auto& h = f.heights();
  for (const auto& m : f.members) {
    if (m.state != Member::State::active) continue;
    migrate::Notice n;
    n.id = crypto::Sha256::tagged("Ladder/notice").write_u64le(f.id).write_u8(1).write(m.peer).finalize();
    n.kind = migrate::NoticeKind::factory_dying;
    n.factory_id = f.id;
    n.end_active = h.end_active;
    n.end_dying = h.end_dying;
    n.timeout = h.timeout;
    n.text = "Your factory #" + std::to_string(f.id) + " is entering its dying period. Come online to migrate.";
    pending_.notify(m.peer, std::move(n));
  }
  event("factory.dying", f.id, std::nullopt, 0,
        "window " + std::to_string(h.end_active) + ".." + std::to_string(h.end_dying));
  mark("lsp/factory", be64(f.id));
}

LspHoldings Lsp::holdings() {
  LspHoldings h;
  if (auto coins = host_.chain.unspent(wallet_.script()))
    for (const auto& c : *coins) h.wallet += c.out.value;
  for (auto& [id, f] : factories_) {
    if (f.phase == LiveFactory::Phase::closed) continue;
    btc::Amount capacities = 0;
    for (const auto& m : f.members) {
      if (!m.channel) continue;
      const auto& local = m.channel->local_commitment();
      btc::Amount client = local.spec.to_counterparty;
      for (const auto& l : local.spec.locks)
        if (!l.offered_by_holder) client += l.lock.amount;
      h.channels += m.channel->binding().value - client;
      capacities += m.channel->binding().value;
    }
    h.factory_reserve += f.tree->funding_value() - capacities;
  }
  return h;
}

}  // namespace ladder::lsp
