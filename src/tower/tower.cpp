#include "tower/tower.h"

#include "btc/standard_scripts.h"
#include "crypto/factory_keys.h"
#include "util/serialize.h"

namespace ladder::tower {

namespace {

constexpr const char* kSeedKind = "tower/seed";
const Bytes kSeedId = {0};

// The blocks the input of `tx` must wait after its parent confirmed (BIP-68, heights).
uint32_t relative_lock(const btc::Transaction& tx) {
  const uint32_t seq = tx.vin.at(0).sequence;
  if (tx.version < 2 || (seq & btc::SEQUENCE_LOCKTIME_DISABLE_FLAG) || (seq & btc::SEQUENCE_LOCKTIME_TYPE_FLAG))
    return 0;
  return seq & btc::SEQUENCE_LOCKTIME_MASK;
}

Bytes key_bytes(const Tower::WatchKey& k) {
  Writer w;
  w.bytes(k.first);
  w.u64le(k.second);
  return w.take();
}

Expected<crypto::SecretKey> wallet_key(const Bytes32& seed) {
  LADDER_ASSIGN(auto master, crypto::HardenedKeyNode::master(seed));
  LADDER_ASSIGN(auto node, master.child(0x54574C54));  // "TWLT"
  return node.key();
}

}  // namespace

Tower::Tower(core::Host host, TowerConfig config, const crypto::SecretKey& key)
    : host_(host), config_(config), wallet_(key) {}
Tower::~Tower() = default;

Expected<std::unique_ptr<Tower>> Tower::create(core::Host host, TowerConfig config, const Bytes32& seed) {
  LADDER_ASSIGN(auto existing, host.store.get_secret(kSeedKind, kSeedId));
  if (existing) return make_error("tower.already-created", "the store already holds a tower; load it instead");
  LADDER_ASSIGN(auto key, wallet_key(seed));
  LADDER_TRY(host.store.step([&](store::StepWriter& w) { return w.put_secret(kSeedKind, kSeedId, seed); }));
  std::unique_ptr<Tower> t(new Tower(host, config, key));
  LADDER_ASSIGN(auto tip, host.chain.tip_height());
  t->height_ = tip;
  return t;
}

Status Tower::on_message(const core::PeerId& from, const migrate::PeerMessage& m) {
  auto* u = std::get_if<migrate::TowerUpdate>(&m);
  if (!u) return make_error("tower.unexpected-message", "a tower takes only updates");
  return on_update(from, *u);
}

Status Tower::on_update(const core::PeerId& from, const migrate::TowerUpdate& u) {
  for (size_t i = 1; i < u.path.size(); ++i)
    if (u.path[i].vin.empty() || u.path[i].vin[0].prevout.txid != u.path[i - 1].txid())
      return make_error("tower.bad-path", "the path's txs do not spend each other in order");
  for (const auto& j : u.justice)
    if (j.vin.empty()) return make_error("tower.bad-justice", "a justice tx without inputs");
  if (!u.path.empty() && u.path[0].vin.empty()) return make_error("tower.bad-path", "a path tx without inputs");
  const WatchKey key{from, u.factory_id};
  if (u.forget) {
    watches_.erase(key);
    auto erased = host_.store.step([&](store::StepWriter& w) -> Status {
      auto r = w.erase("tower/watch", key_bytes(key));
      if (!r) return r.error();
      return ok();
    });
    if (!erased) return erased.error();
    out_.send(from, migrate::TowerAck{u.seq});
    return ok();
  }
  Watch w = watches_.count(key) ? watches_.at(key) : Watch{};
  if (!u.path.empty()) w.path = u.path;
  if (u.commitment) w.commitment = u.commitment;
  for (const auto& j : u.justice) {
    w.justice[j.vin[0].prevout.txid].push_back(j);
    ++stats_.justice_txs;
  }
  w.exit_height = u.exit_height;
  LADDER_TRY(persist(key, w));
  watch_all(w);
  watches_[key] = std::move(w);
  ++stats_.updates;
  out_.send(from, migrate::TowerAck{u.seq});
  return ok();
}

void Tower::watch_all(const Watch& w) {
  for (const auto& tx : w.path) out_.watch_txid(tx.txid());
  if (!w.path.empty()) out_.watch_outpoint(w.path[0].vin[0].prevout);
  for (const auto& [revoked, txs] : w.justice) out_.watch_txid(revoked);
}

Status Tower::persist(const WatchKey& key, const Watch& w) {
  Writer out;
  out.compact_size(w.path.size());
  for (const auto& tx : w.path) out.var_bytes(tx.serialize());
  out.u8(w.commitment ? 1 : 0);
  if (w.commitment) out.var_bytes(w.commitment->serialize());
  out.compact_size(w.justice.size());
  for (const auto& [revoked, txs] : w.justice) {
    out.compact_size(txs.size());
    for (const auto& tx : txs) out.var_bytes(tx.serialize());
  }
  out.u32le(w.exit_height);
  return host_.store.step([&](store::StepWriter& sw) -> Status {
    LADDER_TRY(sw.put("tower/watch", key_bytes(key), out.data()));
    return ok();
  });
}

Expected<std::unique_ptr<Tower>> Tower::load(core::Host host, TowerConfig config) {
  LADDER_ASSIGN(auto seed, host.store.get_secret(kSeedKind, kSeedId));
  if (!seed || seed->size() != 32) return make_error("tower.no-seed", "the store holds no tower");
  Bytes32 s{};
  std::copy(seed->view().begin(), seed->view().end(), s.begin());
  LADDER_ASSIGN(auto wkey, wallet_key(s));
  std::unique_ptr<Tower> t(new Tower(host, config, wkey));
  LADDER_ASSIGN(auto records, host.store.list("tower/watch"));
  for (const auto& rec : records) {
    Reader kr(rec.id);
    WatchKey key;
    LADDER_ASSIGN(key.first, kr.array<33>());
    LADDER_ASSIGN(key.second, kr.u64le());
    Reader r(rec.record.value);
    Watch w;
    auto read_tx = [&]() -> Expected<btc::Transaction> {
      LADDER_ASSIGN(auto raw, r.var_bytes());
      return btc::parse_transaction(raw);
    };
    LADDER_ASSIGN(auto n, r.compact_size());
    for (uint64_t i = 0; i < n; ++i) {
      LADDER_ASSIGN(auto tx, read_tx());
      w.path.push_back(std::move(tx));
    }
    LADDER_ASSIGN(auto has_commitment, r.u8());
    if (has_commitment) {
      LADDER_ASSIGN(auto tx, read_tx());
      w.commitment = std::move(tx);
    }
    LADDER_ASSIGN(auto groups, r.compact_size());
    for (uint64_t g = 0; g < groups; ++g) {
      LADDER_ASSIGN(auto count, r.compact_size());
      for (uint64_t i = 0; i < count; ++i) {
        LADDER_ASSIGN(auto tx, read_tx());
        w.justice[tx.vin.at(0).prevout.txid].push_back(std::move(tx));
      }
    }
    LADDER_ASSIGN(w.exit_height, r.u32le());
    t->watch_all(w);
    t->watches_.emplace(key, std::move(w));
  }
  LADDER_ASSIGN(auto tip, host.chain.tip_height());
  t->height_ = tip;
  return t;
}

void Tower::on_chain_event(const chain::ChainEvent& e) {
  switch (e.kind) {
    case chain::EventKind::block_connected: on_block(static_cast<uint32_t>(e.height)); break;
    case chain::EventKind::block_disconnected: height_ = static_cast<uint32_t>(e.height) - 1; break;
    case chain::EventKind::tx_confirmed: on_confirmed(e.txid, static_cast<uint32_t>(e.height)); break;
    case chain::EventKind::outpoint_spent:
    case chain::EventKind::outpoint_spent_in_mempool: on_spent(e.outpoint, e.txid); break;
    default: break;
  }
}

void Tower::on_tick() {}

void Tower::schedule(const btc::Transaction& tx, uint32_t at) {
  auto [it, inserted] = pending_.try_emplace(tx.txid(), Pending{tx, at, std::nullopt});
  if (!inserted) return;
  out_.watch_txid(tx.txid());
  on_block(height_);
}

void Tower::on_confirmed(const btc::Txid& txid, uint32_t height) {
  pending_.erase(txid);
  for (auto& [key, w] : watches_) {
    for (size_t i = 0; i < w.path.size(); ++i) {
      if (w.path[i].txid() != txid) continue;
      if (i + 1 < w.path.size()) {
        // A kickoff confirmed (its child is a state with a relative lock):
        // the newest state goes out as soon as it matures.
        const btc::Transaction& next = w.path[i + 1];
        if (relative_lock(next) > 0 || w.exiting) schedule(next, height + std::max<uint32_t>(relative_lock(next), 1));
      } else if (w.exiting && w.commitment) {
        schedule(*w.commitment, height + 1);
      }
    }
    auto j = w.justice.find(txid);
    if (j != w.justice.end()) {
      for (const auto& tx : j->second) {
        schedule(tx, height + 1);
        ++stats_.justice_broadcast;
      }
    }
  }
}

void Tower::on_spent(const btc::OutPoint& op, const btc::Txid& spender) {
  for (auto& [key, w] : watches_) {
    if (w.path.empty() || w.path[0].vin[0].prevout != op) continue;
    if (spender != w.path[0].txid()) w.resolved = true;
  }
}

void Tower::on_block(uint32_t height) {
  height_ = height;
  for (auto& [key, w] : watches_) {
    if (w.exit_height == 0 || w.exiting || w.resolved || height < w.exit_height || w.path.empty()) continue;
    w.exiting = true;
    ++stats_.exits;
    schedule(w.path[0], height + 1);
  }
  for (auto& [txid, p] : pending_) {
    if (!p.broadcast_at) {
      if (height + 1 < p.valid_at) continue;
      p.broadcast_at = height;
      if (p.tx.version == 3) ++stats_.states_broadcast;
      out_.broadcast(p.tx, p.tx.version == 3 ? "tower-state" : "tower-justice");
      continue;
    }
    if (height < *p.broadcast_at + config_.bump_after) continue;
    // Not confirmed yet: bump it through its anchor.
    for (uint32_t v = 0; v < p.tx.vout.size(); ++v) {
      if (!btc::is_p2a(p.tx.vout[v].script_pubkey)) continue;
      auto rate = host_.chain.fee_rate(1);
      const btc::Amount package = std::max(rate ? *rate : config_.fallback_fee_rate, config_.min_package_rate);
      auto child = wallet_.cpfp(host_.chain, p.tx, v, 0, package);
      if (child) {
        out_.broadcast(std::move(*child), "tower-cpfp");
        ++stats_.bumps;
      }
      break;
    }
    p.broadcast_at = height;
  }
}

}  // namespace ladder::tower
