#include "sim/world.h"

#include "btc/standard_scripts.h"
#include "chain/embedded_backend.h"
#include "crypto/hash.h"

namespace ladder::sim {

namespace {
Bytes32 derive(uint64_t seed, const char* what, uint64_t i) {
  return crypto::Sha256::tagged("Ladder/sim").write_u64le(seed).write(ByteView(reinterpret_cast<const uint8_t*>(what), strlen(what))).write_u64le(i).finalize();
}
crypto::SecretKey key_from(const Bytes32& b) {
  auto k = crypto::SecretKey::parse(b);
  return k ? *k : crypto::SecretKey::generate();
}
}  // namespace

World::World(Options options, chain::Backend* backend) : opt_(std::move(options)), random_(opt_.seed) {
  if (backend) {
    // A key nobody holds: an external node's miner wants an address.
    burn_script_ = core::Wallet(key_from(derive(opt_.seed, "burn", 0))).script();
    backend_ = backend;
    view_ = std::make_unique<core::BackendView>(*backend_);
  } else {
    burn_script_ = {0x6a};  // OP_RETURN: the simulated miners' coinbases leave no UTXO
    chain_ = std::make_unique<chain::EmbeddedChain>();
    owned_backend_ = std::make_unique<chain::EmbeddedBackend>(*chain_);
    backend_ = owned_backend_.get();
    auto idx = std::make_unique<IndexedView>(*chain_, *backend_);
    index_ = idx.get();
    view_ = std::move(idx);
  }
  core::Logger& log = opt_.logger ? *opt_.logger : null_log_;
  auto node_id = [&](const char* what, uint64_t i) {
    core::PeerId id = key_from(derive(opt_.seed, what, i)).pubkey().bytes();
    party_by_peer_[id] = static_cast<PartyId>(peers_.size());
    peers_.push_back(id);
  };
  lsp_store_ = std::make_unique<store::MemoryStore>();
  lsp_ = lsp::Lsp::create(core::Host{*view_, *lsp_store_, log, random_}, opt_.lsp, derive(opt_.seed, "lsp", 0)).value();
  node_id("lsp-node", 0);
  for (uint32_t i = 0; i < opt_.towers; ++i) {
    TowerSlot t;
    t.store = std::make_unique<store::MemoryStore>();
    t.core = tower::Tower::create(core::Host{*view_, *t.store, log, random_}, opt_.tower, derive(opt_.seed, "tower", i))
                 .value();
    towers_.push_back(std::move(t));
    node_id("tower-node", i);
  }
  faucet_ = std::make_unique<core::Wallet>(key_from(derive(opt_.seed, "faucet", 0)));
}

World::~World() = default;

PartyId World::add_client(std::optional<client::ClientPolicy> policy) {
  const PartyId id = static_cast<PartyId>(peers_.size());
  core::PeerId node = key_from(derive(opt_.seed, "client-node", id)).pubkey().bytes();
  party_by_peer_[node] = id;
  peers_.push_back(node);
  ClientSlot slot;
  slot.store = std::make_unique<store::MemoryStore>();
  client::ClientConfig cfg = opt_.client;
  cfg.lsp = peers_[kLspParty];
  if (!towers_.empty()) cfg.tower = peers_[1 + id % towers_.size()];
  if (policy) cfg.policy = *policy;
  core::Logger& log = opt_.logger ? *opt_.logger : null_log_;
  slot.core = client::Client::create(core::Host{*view_, *slot.store, log, random_}, cfg, derive(opt_.seed, "client", id))
                  .value();
  clients_.emplace(id, std::move(slot));
  return id;
}

client::Client& World::client(PartyId id) { return *clients_.at(id).core; }

std::vector<PartyId> World::clients() const {
  std::vector<PartyId> out;
  for (const auto& [id, c] : clients_) out.push_back(id);
  return out;
}

std::optional<PartyId> World::party_of(const core::PeerId& p) const {
  auto it = party_by_peer_.find(p);
  if (it == party_by_peer_.end()) return std::nullopt;
  return it->second;
}

uint32_t World::height() {
  auto tip = backend_->tip();
  return tip ? static_cast<uint32_t>(tip->height) : 0;
}

Status World::fund_lsp(int blocks) {
  LADDER_ASSIGN(auto before, view_->unspent(lsp_->wallet_script()));
  LADDER_TRY(backend_->mine(blocks, lsp_->wallet_script()));
  LADDER_TRY(backend_->mine(100, burn_script_));
  if (index_) index_->on_block();
  LADDER_ASSIGN(auto after, view_->unspent(lsp_->wallet_script()));
  btc::Amount added = 0;
  for (const auto& u : after) added += u.out.value;
  for (const auto& u : before) added -= u.out.value;
  books_.put_in += added;
  return route_chain_events();
}

Status World::give_coins(const std::vector<std::pair<PartyId, btc::Amount>>& coins) {
  btc::Amount total = 0;
  for (const auto& [p, v] : coins) total += v;
  // The faucet is the outside world: its coinbases and fees are not the parties'.
  for (int guard = 0;; ++guard) {
    LADDER_ASSIGN(auto have, faucet_->balance(*view_, false));
    if (have >= total + btc::COIN) break;
    if (guard == 50) return make_error("sim.faucet-empty", "the chain's subsidy cannot fund the faucet any more");
    LADDER_TRY(backend_->mine(10, faucet_->script()));
    LADDER_TRY(backend_->mine(100, burn_script_));
    if (index_) index_->on_block();
  }
  for (size_t start = 0; start < coins.size(); start += 500) {
    const size_t end = std::min(coins.size(), start + 500);
    btc::Amount want = 0;
    btc::Transaction tx;
    tx.version = 2;
    for (size_t i = start; i < end; ++i) {
      const PartyId p = coins[i].first;
      Bytes script = p == kLspParty ? lsp_->wallet_script()
                     : p <= towers_.size() ? towers_[p - 1].core->wallet_script()
                                           : clients_.at(p).core->wallet_script();
      tx.vout.push_back({coins[i].second, std::move(script)});
      want += coins[i].second;
    }
    LADDER_ASSIGN(auto picked, faucet_->select(*view_, want + 100'000, 2000, true));
    std::vector<btc::TxOut> spent;
    btc::Amount in = 0;
    for (const auto& c : picked) {
      tx.vin.push_back({c.outpoint, {}, 0xfffffffd, {}});
      spent.push_back(c.out);
      in += c.out.value;
      faucet_->reserve(c.outpoint);
    }
    tx.vout.push_back({in - want - 100'000, faucet_->script()});
    for (size_t i = 0; i < tx.vin.size(); ++i) LADDER_TRY(faucet_->sign(tx, i, spent));
    LADDER_TRY(backend_->broadcast(tx));
    books_.put_in += want;
  }
  return mine_block();
}

void World::set_online(PartyId id, bool on) {
  auto& c = clients_.at(id);
  if (c.online == on) return;
  c.online = on;
  if (on) {
    lsp_->on_connected(peers_[id]);
    for (auto& e : std::exchange(c.chain_inbox, {})) c.core->on_chain_event(e);
    auto inbox = std::exchange(c.inbox, {});
    for (auto it = inbox.rbegin(); it != inbox.rend(); ++it) network_.emplace_front(it->first, id, std::move(it->second));
    c.core->on_wake();
    (void)drain(id, c.core->outbox());
  } else {
    lsp_->on_disconnected(peers_[id]);
  }
}

bool World::online(PartyId id) const { return clients_.at(id).online; }

Status World::with_client(PartyId id, const std::function<Status(client::Client&)>& fn) {
  auto& c = clients_.at(id);
  Status s = fn(*c.core);
  LADDER_TRY(drain(id, c.core->outbox()));
  LADDER_TRY(s);
  return deliver_all();
}

Status World::mine_block() {
  LADDER_TRY(backend_->mine(1, burn_script_));
  if (index_) index_->on_block();
  LADDER_TRY(route_chain_events());
  lsp_->on_tick();
  LADDER_TRY(drain(kLspParty, lsp_->outbox()));
  for (size_t i = 0; i < towers_.size(); ++i) {
    towers_[i].core->on_tick();
    LADDER_TRY(drain(static_cast<PartyId>(i + 1), towers_[i].core->outbox()));
  }
  return deliver_all();
}

}  // namespace ladder::sim
