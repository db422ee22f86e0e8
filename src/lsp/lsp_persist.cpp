// The Lsp's records in its RecordStore (one step per input, lsp.cpp):
//   lsp/meta      the counters (next factory id, next batch id)
//   lsp/joiners   clients waiting for the next factory
#include "lsp/lsp.h"
#include "util/serialize.h"

namespace ladder::lsp {

namespace {

void write_join(Writer& w, const Joiner& j) {
  w.bytes(j.peer);
  w.bytes(j.request.id);
  w.bytes(j.request.factory_key);
  w.i64le(j.request.inbound);
  w.u8(j.request.deposit ? 1 : 0);
  if (j.request.deposit) {
    w.bytes(j.request.deposit->outpoint.txid.bytes);
    w.u32le(j.request.deposit->outpoint.n);
    w.i64le(j.request.deposit->out.value);
    w.var_bytes(j.request.deposit->out.script_pubkey);
  }
  w.u64le(j.request.migrating_from);
  w.i64le(j.client_balance);
  w.i64le(j.lsp_balance);
  w.i64le(j.fee);
}

Expected<Joiner> read_join(Reader& r) {
  Joiner j;
  LADDER_ASSIGN(j.peer, r.array<33>());
  LADDER_ASSIGN(j.request.id, r.array<32>());
  LADDER_ASSIGN(j.request.factory_key, r.array<33>());
  LADDER_ASSIGN(j.request.inbound, r.i64le());
  LADDER_ASSIGN(auto has_deposit, r.u8());
  if (has_deposit) {
    migrate::Deposit d;
    LADDER_ASSIGN(d.outpoint.txid.bytes, r.array<32>());
    LADDER_ASSIGN(d.outpoint.n, r.u32le());
    LADDER_ASSIGN(d.out.value, r.i64le());
    LADDER_ASSIGN(d.out.script_pubkey, r.var_bytes());
    j.request.deposit = std::move(d);
  }
  LADDER_ASSIGN(j.request.migrating_from, r.u64le());
  LADDER_ASSIGN(j.client_balance, r.i64le());
  LADDER_ASSIGN(j.lsp_balance, r.i64le());
  LADDER_ASSIGN(j.fee, r.i64le());
  return j;
}

}  // namespace

Status Lsp::persist_dirty(store::StepWriter& w) {
  for (const auto& key : dirty_) {
    if (key.kind == "lsp/meta") {
      Writer m;
      m.u64le(next_factory_id_);
      m.u64le(next_batch_id_);
      LADDER_TRY(w.put(key.kind, key.id, m.data()));
    } else if (key.kind == "lsp/joiners") {
      Writer m;
      m.compact_size(joiners_.size());
      for (const auto& j : joiners_) write_join(m, j);
      LADDER_TRY(w.put(key.kind, key.id, m.data()));
    }
  }
  return ok();
}

Status Lsp::restore() {
  LADDER_ASSIGN(auto meta, host_.store.get("lsp/meta", {}));
  if (meta) {
    Reader r(meta->value);
    LADDER_ASSIGN(next_factory_id_, r.u64le());
    LADDER_ASSIGN(next_batch_id_, r.u64le());
  }
  LADDER_ASSIGN(auto joiners, host_.store.get("lsp/joiners", {}));
  if (joiners) {
    Reader r(joiners->value);
    LADDER_ASSIGN(auto n, r.compact_size());
    for (uint64_t i = 0; i < n; ++i) {
      LADDER_ASSIGN(auto j, read_join(r));
      joiners_.push_back(std::move(j));
    }
  }
  return ok();
}

Expected<std::unique_ptr<Lsp>> Lsp::load(core::Host host, LspConfig config) {
  LADDER_ASSIGN(auto seed, host.store.get_secret("lsp/seed", Bytes{0}));
  if (!seed || seed->size() != 32) return make_error("lsp.no-seed", "the store holds no LSP");
  Bytes32 s{};
  std::copy(seed->view().begin(), seed->view().end(), s.begin());
  LADDER_ASSIGN(auto keys, LspKeys::from_seed(s, config.network));
  std::unique_ptr<Lsp> lsp(new Lsp(host, std::move(config), std::move(keys)));
  LADDER_ASSIGN(auto guard, factory::GuardTable::load(*lsp->guard_store_));
  lsp->guard_ = std::move(guard);
  LADDER_TRY(lsp->restore());
  LADDER_ASSIGN(auto tip, host.chain.tip_height());
  lsp->height_ = tip;
  return lsp;
}

}  // namespace ladder::lsp
