#include "factory/terms_codec.h"

#include <array>

namespace ladder::factory {

namespace {

// The u32 fields of FactoryParams, in encoding order. One list serves both
// directions.
template <class P>
auto u32_fields(P& p) {
  return std::array{&p.clients_per_leaf,  &p.interior_arity,     &p.interior_dw_levels, &p.static_arity,
                    &p.leaf_states,       &p.interior_states,    &p.step,               &p.active_blocks,
                    &p.dying_blocks,      &p.confirm_allowance,  &p.fee_bump_allowance, &p.margin,
                    &p.reveal_cutoff,     &p.max_client_depth,   &p.batch_wait,         &p.max_target_x,
                    &p.to_self_delay,     &p.lstock_csv};
}

template <class P>
auto amount_fields(P& p) {
  return std::array{&p.fee_rate_sat_per_kvb, &p.anchor_value, &p.dust_limit, &p.min_channel_capacity};
}

template <class H>
auto height_fields(H& h) {
  return std::array{&h.birth, &h.end_active, &h.end_dying, &h.timeout, &h.x};
}


constexpr uint64_t kMaxClients = 65536;

}  // namespace

void write_params(Writer& w, const FactoryParams& p) {
  for (auto* f : u32_fields(p)) w.u32le(*f);
  w.u8(static_cast<uint8_t>(p.mode));
  for (auto* f : amount_fields(p)) w.i64le(*f);
}

Expected<FactoryParams> read_params(Reader& r) {
  FactoryParams p;
  for (auto* f : u32_fields(p)) {
    LADDER_ASSIGN(*f, r.u32le());
  }
  LADDER_ASSIGN(uint8_t mode, r.u8());
  if (mode > 1) return make_error("factory.bad-terms", "unknown timeout mode " + std::to_string(mode));
  p.mode = static_cast<TimeoutMode>(mode);
  for (auto* f : amount_fields(p)) {
    LADDER_ASSIGN(*f, r.i64le());
  }
  return p;
}

void write_terms(Writer& w, const FactoryTerms& t) {
  w.u64le(t.factory_id);
  write_params(w, t.params);
  for (auto* f : height_fields(t.heights)) w.u32le(*f);
  w.bytes(t.lsp_key);
  w.compact_size(t.clients.size());
  for (const auto& c : t.clients) {
    w.bytes(c.key);
    w.i64le(c.client_balance);
    w.i64le(c.lsp_balance);
  }
  w.compact_size(t.lstock.size());
  for (auto v : t.lstock) w.i64le(v);
  w.bytes(t.funding.txid.bytes);
  w.u32le(t.funding.n);
}

Expected<FactoryTerms> read_terms(Reader& r) {
  FactoryTerms t;
  LADDER_ASSIGN(t.factory_id, r.u64le());
  LADDER_ASSIGN(t.params, read_params(r));
  for (auto* f : height_fields(t.heights)) {
    LADDER_ASSIGN(*f, r.u32le());
  }
  LADDER_ASSIGN(t.lsp_key, r.array<33>());
  LADDER_ASSIGN(uint64_t n, r.compact_size(kMaxClients));
  if (n > r.remaining() / 49) return make_error("factory.bad-terms", "client count exceeds the data");
  t.clients.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    ClientTerms c;
    LADDER_ASSIGN(c.key, r.array<33>());
    LADDER_ASSIGN(c.client_balance, r.i64le());
    LADDER_ASSIGN(c.lsp_balance, r.i64le());
    t.clients.push_back(c);
  }
  LADDER_ASSIGN(uint64_t leaves, r.compact_size(kMaxClients));
  if (leaves > r.remaining() / 8) return make_error("factory.bad-terms", "leaf count exceeds the data");
  t.lstock.resize(leaves);
  for (auto& v : t.lstock) {
    LADDER_ASSIGN(v, r.i64le());
  }
  LADDER_ASSIGN(t.funding.txid.bytes, r.array<32>());
  LADDER_ASSIGN(t.funding.n, r.u32le());
  return t;
}

Bytes encode_terms(const FactoryTerms& t) {
  Writer w;
  write_terms(w, t);
  return w.take();
}

Expected<FactoryTerms> decode_terms(ByteView data) {
  Reader r(data);
  LADDER_ASSIGN(auto t, read_terms(r));
  LADDER_TRY(r.expect_end());
  return t;
}

}  // namespace ladder::factory
