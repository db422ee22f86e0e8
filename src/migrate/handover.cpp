#include "migrate/handover.h"

#include <string>

#include "util/serialize.h"

namespace ladder::migrate {

namespace {

constexpr std::string_view kIndexKind = "client/factory-index";
constexpr std::string_view kHandedOverKind = "client/handed-over-key";

Bytes index_id(uint32_t index) {
  Writer w;
  w.u32be(index);
  return w.take();
}

}  // namespace

bool ClientKeyLedger::index_used(uint32_t index) {
  auto rec = store_.get(kIndexKind, index_id(index));
  return !rec || rec->has_value();  // a read error counts as used: never risk reuse
}

Status ClientKeyLedger::reserve_index(uint32_t index) {
  return store_.step([&](store::StepWriter& w) -> Status {
    LADDER_ASSIGN(auto rec, w.get(kIndexKind, index_id(index)));
    if (rec) return make_error("migrate.index-reused", "factory key index " + std::to_string(index) + " was used");
    LADDER_TRY(w.put(kIndexKind, index_id(index), Bytes{1}));
    return ok();
  });
}

Expected<uint32_t> ClientKeyLedger::reserve_next_index() {
  LADDER_ASSIGN(auto used, store_.list(kIndexKind));
  // Ids are big-endian, so the list is in index order: take the first gap.
  uint32_t next = 0;
  for (const auto& e : used) {
    Reader r(e.id);
    LADDER_ASSIGN(const uint32_t i, r.u32be());
    if (i != next) break;
    ++next;
  }
  LADDER_TRY(reserve_index(next));
  return next;
}

Status ClientKeyLedger::record_handover_in(store::StepWriter& w, const crypto::PubKey& key) {
  LADDER_TRY(w.put(kHandedOverKind, key.bytes(), Bytes{1}));
  return ok();
}

Status ClientKeyLedger::record_handover(const crypto::PubKey& key) {
  return store_.step([&](store::StepWriter& w) { return record_handover_in(w, key); });
}

Expected<std::set<Bytes33>> ClientKeyLedger::handed_over() {
  LADDER_ASSIGN(auto entries, store_.list(kHandedOverKind));
  std::set<Bytes33> out;
  for (const auto& e : entries) {
    if (e.id.size() != 33) return make_error("migrate.key-corrupt", "bad handed-over record");
    Bytes33 k;
    std::copy(e.id.begin(), e.id.end(), k.begin());
    out.insert(k);
  }
  return out;
}

Status ClientKeyLedger::fill(factory::ClientExpectations& expect) {
  LADDER_ASSIGN(auto keys, handed_over());
  expect.handed_over_keys.insert(keys.begin(), keys.end());
  return ok();
}

Expected<Handover> make_handover(const MigrationId& id, uint64_t old_factory, const channel::Channel& old_channel,
                                 const crypto::SecretKey& factory_key, bool client_agrees, ClientKeyLedger& ledger) {
  if (!client_agrees) return make_error("migrate.handover-declined", "the client keeps its old factory key");
  LADDER_TRY(check_reveal_conditions(old_channel, std::nullopt));
  LADDER_TRY(ledger.record_handover(factory_key.pubkey()));
  return Handover{id, old_factory, factory_key.reveal()};
}

Expected<HandoverAck> accept_handover(const Handover& msg, uint64_t factory, const crypto::PubKey& client_key,
                                      KeyVault& vault) {
  if (msg.old_factory != factory)
    return make_error("migrate.wrong-factory", "handover for factory " + std::to_string(msg.old_factory));
  auto key = crypto::SecretKey::parse(msg.factory_secret);
  if (!key || !(key->pubkey() == client_key))
    return make_error("migrate.bad-handover-key", "the secret is not the client's factory key");
  LADDER_TRY(vault.put(factory, *key));
  return HandoverAck{msg.id};
}

}  // namespace ladder::migrate
