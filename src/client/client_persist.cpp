// The client's records in its RecordStore (one step per input, client.cpp):
//   client/seed   (secret) its wallet seed
//   client/meta   the channel index counter (factory key indexes: migrate::ClientKeyLedger)
#include "client/client.h"
#include "util/serialize.h"

namespace ladder::client {

Status Client::persist_dirty(store::StepWriter& w) {
  for (const auto& [kind, id] : dirty_) {
    if (kind == "client/meta") {
      Writer m;
      m.u32le(next_channel_index_);
      LADDER_TRY(w.put(kind, id, m.data()));
    }
  }
  return ok();
}

Status Client::restore() {
  LADDER_ASSIGN(auto meta, host_.store.get("client/meta", {}));
  if (meta) {
    Reader r(meta->value);
    LADDER_ASSIGN(next_channel_index_, r.u32le());
  }
  return ok();
}

Expected<std::unique_ptr<Client>> Client::load(core::Host host, ClientConfig config) {
  LADDER_ASSIGN(auto seed, host.store.get_secret("client/seed", Bytes{0}));
  if (!seed || seed->size() != 32) return make_error("client.no-seed", "the store holds no wallet");
  Bytes32 s{};
  std::copy(seed->view().begin(), seed->view().end(), s.begin());
  LADDER_ASSIGN(auto keys, ClientKeys::from_seed(s, config.network));
  std::unique_ptr<Client> c(new Client(host, std::move(config), std::move(keys)));
  LADDER_ASSIGN(auto guard, factory::GuardTable::load(*c->guard_store_));
  c->guard_ = std::move(guard);
  LADDER_TRY(c->restore());
  LADDER_ASSIGN(auto tip, host.chain.tip_height());
  c->height_ = tip;
  return c;
}

}  // namespace ladder::client
