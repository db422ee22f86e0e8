#include "migrate/departed_keys.h"

namespace ladder::migrate {

namespace {
Error out_of_scope(std::string m) { return make_error("migrate.key-out-of-scope", std::move(m)); }
}  // namespace

Expected<DepartedKeys> DepartedKeys::create(const factory::Tree& tree, std::map<uint32_t, crypto::SecretKey> keys) {
  const auto& client_keys = tree.layout().client_keys;
  for (const auto& [client, key] : keys) {
    if (client >= client_keys.size())
      return out_of_scope("factory " + std::to_string(tree.terms().factory_id) + " has no client " +
                          std::to_string(client));
    if (!(key.pubkey() == client_keys[client]))
      return make_culprit_error("migrate.key-out-of-scope", static_cast<int>(client), "key",
                                "not client " + std::to_string(client) + "'s key in factory " +
                                    std::to_string(tree.terms().factory_id));
  }
  DepartedKeys d;
  d.factory_id_ = tree.terms().factory_id;
  d.terms_hash_ = tree.layout().terms_hash;
  d.keys_ = std::move(keys);
  return d;
}

bool DepartedKeys::all_departed(uint32_t first, uint32_t count) const {
  if (count == 0) return false;
  for (uint32_t c = first; c < first + count; ++c)
    if (!departed(c)) return false;
  return true;
}

std::vector<uint32_t> DepartedKeys::clients() const {
  std::vector<uint32_t> out;
  out.reserve(keys_.size());
  for (const auto& kv : keys_) out.push_back(kv.first);
  return out;
}

Status DepartedKeys::check_scope(const factory::Tree& tree) const {
  if (tree.layout().terms_hash != terms_hash_)
    return out_of_scope("keys handed over in factory " + std::to_string(factory_id_) +
                        " may not sign for factory " + std::to_string(tree.terms().factory_id));
  return ok();
}

Expected<crypto::SecretKey> DepartedKeys::key(const factory::Tree& tree, uint32_t client) const {
  LADDER_TRY(check_scope(tree));
  auto it = keys_.find(client);
  if (it == keys_.end())
    return make_culprit_error("migrate.not-departed", static_cast<int>(client), "key",
                              "no key held for client " + std::to_string(client));
  return it->second;
}

Expected<std::vector<crypto::SecretKey>> DepartedKeys::keys(const factory::Tree& tree, uint32_t first,
                                                            uint32_t count) const {
  std::vector<crypto::SecretKey> out;
  out.reserve(count);
  for (uint32_t c = first; c < first + count; ++c) {
    LADDER_ASSIGN(auto k, key(tree, c));
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace ladder::migrate
