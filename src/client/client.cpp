#include "client/client.h"

#include "crypto/hash.h"
#include "factory/guard_store_log.h"

namespace ladder::client {

namespace {
constexpr const char* kSeedKind = "client/seed";
const Bytes kSeedId = {0};
}  // namespace

btc::Amount ClientHoldings::total() const {
  btc::Amount t = 0;
  for (const auto& p : places) t += p.amount;
  return t;
}

Client::Client(core::Host host, ClientConfig config, ClientKeys keys)
    : host_(host),
      config_(std::move(config)),
      keys_(std::move(keys)),
      wallet_(keys_.wallet_key()),
      guard_store_(std::make_unique<factory::LogGuardStore>(host.store, "client/guard")),
      ledger_(host.store) {}

Client::~Client() = default;

Expected<std::unique_ptr<Client>> Client::create(core::Host host, ClientConfig config, const Bytes32& seed) {
  LADDER_ASSIGN(auto existing, host.store.get_secret(kSeedKind, kSeedId));
  if (existing) return make_error("client.already-created", "the store already holds a wallet; load it instead");
  LADDER_ASSIGN(auto keys, ClientKeys::from_seed(seed, config.network));
  LADDER_TRY(host.store.step([&](store::StepWriter& w) { return w.put_secret(kSeedKind, kSeedId, seed); }));
  std::unique_ptr<Client> c(new Client(host, std::move(config), std::move(keys)));
  LADDER_ASSIGN(auto tip, host.chain.tip_height());
  c->height_ = tip;
  return c;
}

void Client::fail(const Error& e) {
  last_error_ = e;
  host_.log.log(core::LogLevel::warn, "client", e.to_string());
}

void Client::event(std::string kind, uint64_t factory, btc::Amount amount, std::string detail) {
  pending_.event({height_, std::move(kind), factory, std::nullopt, amount, std::move(detail)});
}

Status Client::on_message(const core::PeerId& from, const migrate::PeerMessage& m) {
  Status s = (from == config_.lsp || (config_.tower && from == *config_.tower))
                 ? dispatch(from, m)
                 : Status(make_error("client.unknown-peer", "message from a peer that is neither its LSP nor its tower"));
  if (!s) fail(s.error());
  Status f = flush();
  if (!f) return f;
  return s;
}

Status Client::dispatch(const core::PeerId& from, const migrate::PeerMessage& m) {
  if (config_.tower && from == *config_.tower) {
    if (auto* a = std::get_if<migrate::TowerAck>(&m)) return on_tower_ack(*a);
    return make_error("client.unexpected-message", "the tower sends only acks");
  }
  if (auto* o = std::get_if<migrate::JoinOffer>(&m)) return on_join_offer(*o);
  if (auto* r = std::get_if<migrate::JoinReject>(&m)) return on_join_reject(*r);
  if (auto* p = std::get_if<factory::Proposal>(&m)) return on_proposal(*p);
  if (std::holds_alternative<factory::AggNonceBatch>(m) || std::holds_alternative<factory::SignatureBatch>(m))
    return on_ceremony(m);
  if (auto* o = std::get_if<channel::OpenChannel>(&m)) return on_open_channel(*o);
  if (auto* d = std::get_if<migrate::DepositSignRequest>(&m)) return on_deposit_request(*d);
  if (auto* n = std::get_if<migrate::Notice>(&m)) return on_notice(*n);
  if (auto cm = migrate::as_channel_message(m)) return on_channel_message(*cm);
  if (auto mm = migrate::as_migration_message(m)) return on_migration_message(*mm);
  return make_error("client.unexpected-message", "message not expected");
}

void Client::send_to_lsp(migrate::PeerMessage m) {
  // Nothing goes to L while the tower has not acknowledged an update
  // (DESIGN §7a (R)); order is kept.
  if (!tower_unacked_.empty() || !held_for_tower_.empty()) held_for_tower_.push_back(std::move(m));
  else pending_.send(config_.lsp, std::move(m));
}

Status Client::on_tower_ack(const migrate::TowerAck& a) {
  tower_unacked_.erase(a.seq);
  if (joining_ && joining_->tower_seq == a.seq) joining_->tower_seq = 0;
  LADDER_TRY(maybe_ack());
  if (!tower_unacked_.empty()) return ok();
  auto held = std::move(held_for_tower_);
  held_for_tower_.clear();
  for (auto& m : held) pending_.send(config_.lsp, std::move(m));
  return ok();
}

Status Client::flush() {
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

void Client::on_chain_event(const chain::ChainEvent& e) {
  Status s = ok();
  switch (e.kind) {
    case chain::EventKind::block_connected: on_block(static_cast<uint32_t>(e.height)); break;
    case chain::EventKind::block_disconnected: height_ = static_cast<uint32_t>(e.height) - 1; break;
    case chain::EventKind::tx_confirmed: {
      for (auto& [id, m] : memberships_) {
        if (m.funding_height || m.tree->terms().funding.txid != e.txid) continue;
        m.funding_height = static_cast<uint32_t>(e.height);
        mark("client/membership", {});
      }
      auto st = host_.chain.tx_status(e.txid);
      if (st && *st) s = migration_on_tx((*st)->tx, static_cast<uint32_t>(e.height));
      break;
    }
    case chain::EventKind::outpoint_spent:
      if (e.spending_tx) s = migration_on_tx(*e.spending_tx, static_cast<uint32_t>(e.height));
      break;
    case chain::EventKind::outpoint_spent_in_mempool:
      if (e.spending_tx) s = migration_on_tx(*e.spending_tx, std::nullopt);
      break;
    default: break;
  }
  if (!s) fail(s.error());
  (void)flush();
}

bool Client::busy() const { return joining_.has_value() || migration_.has_value() || !tower_unacked_.empty(); }

Status Client::migrate(uint64_t factory_id, migrate::MigrationOption option) {
  Status s = start_migration(factory_id, option);
  Status f = flush();
  if (!f) return f;
  return s;
}

void Client::on_block(uint32_t height) {
  height_ = height;
  for (auto& [id, m] : memberships_) {
    if (m.phase == Membership::Phase::constructed && m.funding_height &&
        height + 1 >= *m.funding_height + config_.policy.depth) {
      m.phase = Membership::Phase::live;
      event("client.factory-live", id, 0, "funding " + std::to_string(height + 1 - *m.funding_height) + " deep");
      mark("client/membership", {});
    }
  }
  Status s = migration_on_tip();
  if (!s) fail(s.error());
}

void Client::on_wake() {
  auto tip = host_.chain.tip_height();
  if (tip) height_ = *tip;
  maybe_migrate();
  maybe_rejoin();
  (void)flush();
}

// After an on-chain exit (or a forced resolution) the policy may bring the
// coin back into the next factory.
void Client::maybe_rejoin() {
  if (!config_.policy.rejoin || joining_ || migration_) return;
  for (const auto& [fid, m] : memberships_)
    if (m.channel) return;  // still in a factory
  auto coins = wallet_.coins(host_.chain, false);
  if (!coins || coins->empty()) return;
  const auto& c = coins->front();
  Status s = join(migrate::Deposit{c.outpoint, c.out});
  if (!s) fail(s.error());
}

void Client::on_tick() { (void)flush(); }

}  // namespace ladder::client
