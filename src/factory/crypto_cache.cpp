#include "factory/crypto_cache.h"

#include <cstring>

#include "crypto/hash.h"

namespace ladder::factory {

namespace {
constexpr size_t kMaxVerified = 1 << 20;
}

CryptoCache& CryptoCache::shared() {
  static CryptoCache cache;
  return cache;
}

size_t CryptoCache::Hash::operator()(const Bytes32& b) const {
  size_t h;
  std::memcpy(&h, b.data(), sizeof h);
  return h;
}

Bytes32 CryptoCache::session_id(const crypto::musig::KeyAggContext& keyagg, ByteView aggnonce, ByteView msg,
                                const std::optional<crypto::PubKey>& adaptor) {
  crypto::Sha256 h;
  h.write(keyagg.aggregate_pubkey().bytes());
  h.write_u8(keyagg.gacc_negated() ? 1 : 0);
  h.write(keyagg.tacc().bytes());
  // Q, gacc and tacc determine b, R and e; the list's size and first key
  // keep distinct signer lists from sharing one Session's coefficient table.
  h.write_u64le(keyagg.size());
  h.write(keyagg.pubkeys().front().bytes());
  h.write(aggnonce);
  h.write_u64le(msg.size());
  h.write(msg);
  if (adaptor) h.write(adaptor->bytes());
  return h.finalize();
}

std::shared_ptr<const crypto::musig::Session> CryptoCache::lookup(const Bytes32& id) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.lock();
}

void CryptoCache::remember(const Bytes32& id, const std::shared_ptr<const crypto::musig::Session>& sp) {
  std::lock_guard lock(mu_);
  sessions_[id] = sp;
  if (++session_inserts_ > 8192 && session_inserts_ > sessions_.size()) {
    std::erase_if(sessions_, [](const auto& kv) { return kv.second.expired(); });
    session_inserts_ = 0;
  }
}

Expected<std::shared_ptr<const crypto::musig::Session>> CryptoCache::session(
    const crypto::musig::KeyAggContext& keyagg, const crypto::musig::AggNonce& aggnonce, ByteView msg,
    const std::optional<crypto::PubKey>& adaptor) {
  auto bytes = aggnonce.bytes();
  Bytes32 id = session_id(keyagg, bytes, msg, adaptor);
  if (auto sp = lookup(id)) return sp;
  LADDER_ASSIGN(auto s, crypto::musig::Session::create(keyagg, aggnonce, msg, adaptor));
  auto sp = std::make_shared<const crypto::musig::Session>(std::move(s));
  remember(id, sp);
  return sp;
}

Expected<std::shared_ptr<const crypto::musig::Session>> CryptoCache::session(const crypto::musig::KeyAggContext& keyagg,
                                                                             const std::array<uint8_t, 66>& aggnonce,
                                                                             ByteView msg) {
  Bytes32 id = session_id(keyagg, aggnonce, msg, std::nullopt);
  if (auto sp = lookup(id)) return sp;
  LADDER_ASSIGN(auto parsed, crypto::musig::AggNonce::parse(aggnonce, "aggnonce"));
  LADDER_ASSIGN(auto s, crypto::musig::Session::create(keyagg, parsed, msg));
  auto sp = std::make_shared<const crypto::musig::Session>(std::move(s));
  remember(id, sp);
  return sp;
}

bool CryptoCache::verify(const crypto::SchnorrSig& sig, ByteView msg, const crypto::XOnlyPubKey& key) {
  crypto::Sha256 h;
  h.write(sig.bytes()).write(key.bytes()).write_u64le(msg.size()).write(msg);
  Bytes32 id = h.finalize();
  {
    std::lock_guard lock(mu_);
    if (verified_.count(id)) return true;
  }
  if (!crypto::schnorr_verify(sig, msg, key)) return false;
  std::lock_guard lock(mu_);
  if (verified_.size() >= kMaxVerified) verified_.clear();
  verified_.insert(id);
  return true;
}

}  // namespace ladder::factory
