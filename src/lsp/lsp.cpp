#include "lsp/lsp.h"

#include "factory/guard_store_log.h"

namespace ladder::lsp {

namespace {
constexpr const char* kSeedKind = "lsp/seed";
const Bytes kSeedId = {0};
}  // namespace

Lsp::Lsp(core::Host host, LspConfig config, LspKeys keys)
    : host_(host),
      config_(std::move(config)),
      keys_(std::move(keys)),
      wallet_(keys_.wallet_key()),
      guard_store_(std::make_unique<factory::LogGuardStore>(host.store, "lsp/guard")),
      vault_(host.store) {}

Lsp::~Lsp() = default;

Expected<std::unique_ptr<Lsp>> Lsp::create(core::Host host, LspConfig config, const Bytes32& seed) {
  LADDER_ASSIGN(auto existing, host.store.get_secret(kSeedKind, kSeedId));
  if (existing) return make_error("lsp.already-created", "the store already holds an LSP; load it instead");
  LADDER_ASSIGN(auto keys, LspKeys::from_seed(seed, config.network));
  LADDER_TRY(host.store.step([&](store::StepWriter& w) { return w.put_secret(kSeedKind, kSeedId, seed); }));
  std::unique_ptr<Lsp> lsp(new Lsp(host, std::move(config), std::move(keys)));
  LADDER_ASSIGN(auto tip, host.chain.tip_height());
  lsp->height_ = tip;
  return lsp;
}

LiveFactory* Lsp::factory(uint64_t id) {
  auto it = factories_.find(id);
  return it == factories_.end() ? nullptr : &it->second;
}

std::optional<uint64_t> Lsp::constructing() const {
  if (!building_) return std::nullopt;
  return building_->factory_id;
}

void Lsp::fail(const Error& e) {
  last_error_ = e;
  host_.log.log(core::LogLevel::warn, "lsp", e.to_string());
}

void Lsp::event(std::string kind, uint64_t factory, std::optional<core::PeerId> peer, btc::Amount amount,
                std::string detail) {
  pending_.event({height_, std::move(kind), factory, peer, amount, std::move(detail)});
}

Status Lsp::on_message(const core::PeerId& from, const migrate::PeerMessage& m) {
  Status s = dispatch(from, m);
  if (!s) fail(s.error());
  Status f = flush();
  if (!f) return f;
  return s;
}

void Lsp::on_connected(const core::PeerId& peer) { connected_.insert(peer); }
void Lsp::on_disconnected(const core::PeerId& peer) { connected_.erase(peer); }

void Lsp::on_chain_event(const chain::ChainEvent& e) {
  Status s = ok();
  switch (e.kind) {
    case chain::EventKind::block_connected: on_block(static_cast<uint32_t>(e.height)); break;
    case chain::EventKind::block_disconnected: height_ = static_cast<uint32_t>(e.height) - 1; break;
    case chain::EventKind::tx_confirmed: {
      on_tx_confirmed(e.txid, static_cast<uint32_t>(e.height));
      auto st = host_.chain.tx_status(e.txid);
      if (st && *st) s = migrations_on_tx((*st)->tx, static_cast<uint32_t>(e.height));
      break;
    }
    case chain::EventKind::outpoint_spent:
      if (e.spending_tx) s = migrations_on_tx(*e.spending_tx, static_cast<uint32_t>(e.height));
      break;
    case chain::EventKind::outpoint_spent_in_mempool:
      if (e.spending_tx) s = migrations_on_tx(*e.spending_tx, std::nullopt);
      break;
    default: break;
  }
  if (!s) fail(s.error());
  (void)flush();
}

void Lsp::on_tick() {
  check_construction_timeout();
  (void)flush();
}

Status Lsp::dispatch(const core::PeerId& from, const migrate::PeerMessage& m) {
  if (auto* j = std::get_if<migrate::JoinRequest>(&m)) return on_join(from, *j);
  if (auto* d = std::get_if<migrate::DepositSig>(&m)) return on_deposit_sig(from, *d);
  if (building_ && building_->construction && !building_->constructed) {
    if (auto who = building_->construction->index_of(from)) {
      const bool ceremony = std::holds_alternative<factory::NonceBatch>(m) ||
                            std::holds_alternative<factory::PartialBatch>(m) ||
                            std::holds_alternative<factory::CeremonyAck>(m) ||
                            std::holds_alternative<channel::AcceptChannel>(m) ||
                            std::holds_alternative<channel::ChannelReady>(m);
      if (ceremony) return on_construction_message(*who, m);
    }
  }
  if (auto cm = migrate::as_channel_message(m)) return on_channel_message(from, *cm);
  if (auto mm = migrate::as_migration_message(m)) return on_migration_message(from, *mm);
  return make_error("lsp.unexpected-message", std::string("message ") + std::to_string(m.index()) + " not expected");
}

Status Lsp::flush() {
  if (!dirty_.empty()) {
    Status s = host_.store.step([&](store::StepWriter& w) { return persist_dirty(w); });
    if (!s) {
      fail(s.error());
      return s;
    }
    dirty_.clear();
  }
  for (auto& m : pending_.drain_messages()) out_.send(m.to, std::move(m.message));
  for (auto& b : pending_.drain_broadcasts()) out_.broadcast(std::move(b.tx), std::move(b.purpose), b.factory);
  for (auto& w : pending_.drain_watches()) {
    if (w.kind == core::WatchRequest::Kind::txid) out_.watch_txid(w.txid, w.add);
    else out_.watch_outpoint(w.outpoint, w.add);
  }
  for (auto& n : pending_.drain_notifications()) out_.notify(n.to, std::move(n.notice));
  for (auto& e : pending_.drain_events()) out_.event(std::move(e));
  return ok();
}

}  // namespace ladder::lsp
