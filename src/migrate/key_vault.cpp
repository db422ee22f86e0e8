#include "migrate/key_vault.h"

#include <algorithm>
#include <map>
#include <string>

#include "util/secure.h"
#include "util/serialize.h"

namespace ladder::migrate {

namespace {

constexpr std::string_view kKeyKind = "migrate/departed-key";
constexpr std::string_view kScopeKind = "migrate/key-scope";

Bytes factory_bytes(uint64_t factory) {
  Writer w;
  w.u64be(factory);
  return w.take();
}

Expected<uint64_t> parse_factory(ByteView b) {
  if (b.size() != 8) return make_error("migrate.key-corrupt", "bad scope record");
  Reader r(b);
  return r.u64be();
}

Bytes key_id(uint64_t factory, const crypto::PubKey& pub) {
  Bytes id = factory_bytes(factory);
  append(id, pub.bytes());
  return id;
}

// The factory `pubkey` is scoped to, if any.
Expected<std::optional<uint64_t>> scope_of(store::RecordReader& r, const crypto::PubKey& pubkey) {
  LADDER_ASSIGN(auto rec, r.get(kScopeKind, pubkey.bytes()));
  if (!rec) return std::optional<uint64_t>();
  LADDER_ASSIGN(const uint64_t f, parse_factory(rec->value));
  return std::optional<uint64_t>(f);
}

Error out_of_scope(uint64_t held_for, uint64_t asked) {
  return make_error("migrate.key-out-of-scope", "key held for factory " + std::to_string(held_for) +
                                                    ", refused for factory " + std::to_string(asked));
}

}  // namespace

Status KeyVault::put_in(store::StepWriter& w, uint64_t factory, const crypto::SecretKey& key) {
  LADDER_ASSIGN(const auto scope, scope_of(w, key.pubkey()));
  if (scope && *scope != factory)
    return make_error("migrate.key-other-factory", "the key is already held for factory " + std::to_string(*scope));
  Bytes32 secret = key.reveal();
  Status s = w.put_secret(kKeyKind, key_id(factory, key.pubkey()), secret);
  secure_wipe(secret);
  LADDER_TRY(s);
  LADDER_TRY(w.put(kScopeKind, key.pubkey().bytes(), factory_bytes(factory)));
  return ok();
}

Status KeyVault::put(uint64_t factory, const crypto::SecretKey& key) {
  return store_.step([&](store::StepWriter& w) { return put_in(w, factory, key); });
}

Expected<crypto::SecretKey> KeyVault::key_for(uint64_t factory, const crypto::PubKey& pubkey) {
  LADDER_ASSIGN(const auto scope, scope_of(store_, pubkey));
  if (!scope) return make_error("migrate.unknown-key", "no departed client's key for that public key");
  if (*scope != factory) return out_of_scope(*scope, factory);
  LADDER_ASSIGN(auto secret, store_.get_secret(kKeyKind, key_id(factory, pubkey)));
  if (!secret) return make_error("migrate.key-corrupt", "the scope record has no key");
  LADDER_ASSIGN(auto key, crypto::SecretKey::parse(secret->view()));
  if (!(key.pubkey() == pubkey)) return make_error("migrate.key-corrupt", "the stored key is not that public key's");
  return key;
}

bool KeyVault::holds(uint64_t factory, const crypto::PubKey& pubkey) {
  auto scope = scope_of(store_, pubkey);
  return scope && *scope && **scope == factory;
}

Expected<std::vector<crypto::PubKey>> KeyVault::departed(uint64_t factory) {
  LADDER_ASSIGN(auto entries, store_.list(kScopeKind));
  std::vector<crypto::PubKey> out;
  for (const auto& e : entries) {
    LADDER_ASSIGN(const uint64_t f, parse_factory(e.record.value));
    if (f != factory) continue;
    LADDER_ASSIGN(auto pub, crypto::PubKey::parse(e.id));
    out.push_back(pub);
  }
  return out;
}

Expected<DepartedKeys> KeyVault::departed_keys(const factory::Tree& tree) {
  const uint64_t factory = tree.terms().factory_id;
  LADDER_ASSIGN(auto pubs, departed(factory));
  std::map<uint32_t, crypto::SecretKey> keys;
  const auto& clients = tree.layout().client_keys;
  for (const auto& pub : pubs) {
    const auto it = std::find(clients.begin(), clients.end(), pub);
    if (it == clients.end()) continue;  // a key of this factory id but not of these terms
    LADDER_ASSIGN(auto key, key_for(factory, pub));
    keys.emplace(static_cast<uint32_t>(it - clients.begin()), std::move(key));
  }
  return DepartedKeys::create(tree, std::move(keys));
}

}  // namespace ladder::migrate
