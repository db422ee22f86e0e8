// One dying factory's migration day for the "migrate" benchmark suite
// (migrate_bench.cpp only): every client leaves by the option a mix assigns
// it — 1 (HTLCs into its channel in the day's new factory, then handover),
// 2 (HTLC → on-chain output O, co-signed claim, handover), 3 (PTLC → O,
// adaptor claim session, the claim reveals the key), 3b (PTLCs into the new
// factory, the new PTLC's scalar is the key) — with the real flows of
// src/migrate, every O in the day's one batch, and at the end L's vault
// holding every key, so the factory is swept in one tx.
//
// Per option: migrations, L's CPU time (its flows' calls, its channel sides,
// the batch), and the on-chain vbytes per migrated client: its O output and
// its claim, plus its share of the batch's own bytes (options 2 and 3); none
// for options 1 and 3b, which broadcast nothing (checked).
#pragma once

#include <array>
#include <map>

#include "bench/migrate_bench_world.h"
#include "factory/aggregate_key.h"
#include "migrate/batch.h"
#include "migrate/handover.h"
#include "migrate/key_vault.h"
#include "migrate/new_leg.h"
#include "migrate/ptlc_exit.h"
#include "migrate/swap.h"
#include "store/memory_store.h"

namespace ladder::bench::migrate_world {

enum class Way : uint8_t { option1 = 0, option2 = 1, option3 = 2, option3b = 3 };
inline constexpr std::array<Way, 4> kWays{Way::option1, Way::option2, Way::option3, Way::option3b};
inline const char* name(Way w) {
  static const char* names[] = {"option1", "option2", "option3", "option3b"};
  return names[static_cast<int>(w)];
}

struct WayFigures {
  uint32_t migrations = 0;
  CpuMeter lsp;             // L's CPU in this option's flows and channels
  int64_t onchain_vbytes = 0;  // O outputs and claims (the batch's own bytes are shared out after)
};

struct DayFigures {
  std::map<Way, WayFigures> ways;
  CpuMeter shared;  // L's work for the day as a whole: the batch
  int64_t batch_vbytes = 0;
  btc::Transaction sweep;
  double lsp_seconds() const {
    double s = shared.seconds;
    for (const auto& [w, f] : ways) s += f.lsp.seconds;
    return s;
  }
  // vbytes per migrated client of option w, the batch's own bytes shared by
  // the migrations with an output in it.
  double vbytes_per_client(Way w) const;
};

// A dying factory, the day's new factory (options 1, 3b), every client's
// channels, stores and keys, set up before the clock starts.
class Day {
 public:
  Day(uint32_t n, uint64_t id, std::function<Way(uint32_t)> mix);
  // Runs every migration, then the sweep; throws if any did not complete.
  DayFigures run();

 private:
  struct Client {
    Way way = Way::option3;
    Lane lane;
    std::unique_ptr<store::MemoryStore> store;
    std::unique_ptr<migrate::ClientKeyLedger> ledger;
    std::optional<migrate::PtlcExitClient> c3;
    std::optional<migrate::PtlcExitLsp> l3;
    std::optional<migrate::SwapClient> c2;
    std::optional<migrate::SwapLsp> l2;
    std::optional<migrate::NewLegClient> cn;
    std::optional<migrate::NewLegLsp> ln;
  };
  migrate::LegContext legs(bool with_new) const;
  migrate::ClientPolicy policy() const;
  void start(uint32_t i, DayFigures& fig);
  void start_on_chain(Client& c, uint32_t i, const migrate::MigrateRequest& req, CpuMeter& m);
  void start_new_leg(Client& c, uint32_t i, const migrate::MigrateRequest& req, CpuMeter& m);
  migrate::Batch build_batch(DayFigures& fig);
  bool complete(const Client& c) const;

  Factory old_, new_;
  uint32_t tip_;
  store::MemoryStore lsp_store_;
  migrate::KeyVault vault_{lsp_store_};
  Wallet wallet_;
  std::vector<std::unique_ptr<Client>> clients_;
  migrate::Batch* batch_ = nullptr;  // the day's batch, once built
};

// ---- implementation (header-only: the suite is one translation unit) ----

inline double DayFigures::vbytes_per_client(Way w) const {
  auto it = ways.find(w);
  if (it == ways.end() || it->second.migrations == 0) return 0;
  uint32_t on_chain = 0;  // migrations with an output in the batch
  int64_t outputs = 0;    // the batch bytes those outputs take
  for (const auto& [way, f] : ways)
    if (way == Way::option2 || way == Way::option3) on_chain += f.migrations;
  for (const auto& [way, f] : ways) outputs += (way == Way::option2 || way == Way::option3) ? 43 * f.migrations : 0;
  double share = 0;
  if ((w == Way::option2 || w == Way::option3) && on_chain > 0)
    share = static_cast<double>(batch_vbytes - outputs) / on_chain;
  return static_cast<double>(it->second.onchain_vbytes) / it->second.migrations + share;
}

inline Day::Day(uint32_t n, uint64_t id, std::function<Way(uint32_t)> mix)
    : old_(n, id), new_(n, id + 1, old_.terms.heights.end_active, 0, 300'000), tip_(old_.terms.heights.end_active + 1) {
  // The day's new factory (funded a block before the migrations start) is
  // fully signed; each client moving into it has a channel there holding
  // only L's side.
  new_.sign_all();
  for (uint32_t i = 0; i < n; ++i) {
    auto c = std::make_unique<Client>();
    c->way = mix(i);
    c->store = std::make_unique<store::MemoryStore>();
    c->ledger = std::make_unique<migrate::ClientKeyLedger>(*c->store);
    c->lane.ch.push_back(open_channel(old_, i, tip_));
    if (c->way == Way::option1 || c->way == Way::option3b) c->lane.ch.push_back(open_channel(new_, i, tip_));
    clients_.push_back(std::move(c));
  }
}

inline migrate::LegContext Day::legs(bool with_new) const {
  migrate::LegContext c;
  c.old_timeout = old_.terms.heights.timeout;
  c.x_old = old_.terms.heights.x;
  c.cutoff = old_.terms.params.reveal_cutoff;
  c.max_depth = old_.terms.params.max_client_depth;
  c.depth = 1;
  if (with_new) {
    c.x_new = new_.terms.heights.x;
    c.new_timeout = new_.terms.heights.timeout;
  }
  return c;
}

inline migrate::ClientPolicy Day::policy() const {
  migrate::ClientPolicy p;
  p.depth = 1;
  return p;
}

// Options 2 and 3: the old-channel lock, then O in the day's batch.
inline void Day::start_on_chain(Client& c, uint32_t i, const migrate::MigrateRequest& req, CpuMeter& m) {
  auto& lane = c.lane;
  migrate::FlowOutput terms;
  if (c.way == Way::option3) {
    migrate::PtlcExitLspConfig lc{.old_factory = old_.terms.factory_id, .old_channel = lane.ch[0].lsp.get(),
                                  .client_key = old_.keys[i].pubkey(), .lsp_key = crypto::SecretKey::generate(),
                                  .refund_script = wallet_.script, .policy = {}, .legs = legs(false),
                                  .refund_fee_rate = 2'000, .store = &lsp_store_, .vault = &vault_};
    auto accepted = m.measure([&] { return must(migrate::PtlcExitLsp::accept(lc, req, tip_, tip_ + 1)); });
    c.l3.emplace(std::move(accepted.first));
    terms.to_peer.push_back(accepted.second);
    auto* l = &*c.l3;
    auto* cl = &*c.c3;
    lane.lsp_event = [l](size_t, const channel::ChannelEvent& e) { return l->on_old_channel_event(e); };
    lane.lsp_msg = [this, l](const migrate::Message& msg) -> Lane::Out {
      if (auto* p = std::get_if<migrate::ClaimPartial>(&msg)) return l->on_claim_partial(*p, *batch_);
      return make_error("bench.unexpected", "L got an unexpected message");
    };
    lane.lsp_tx = [l](const btc::Transaction& tx, std::optional<uint32_t> h) { return l->on_tx(tx, h); };
    lane.lsp_tip = [l](uint32_t h) { return l->on_tip(h); };
    lane.client_event = [cl](size_t, const channel::ChannelEvent& e) -> Lane::Out { return cl->on_old_channel_event(e); };
    lane.client_msg = [this, cl](const migrate::Message& msg) -> Lane::Out {
      if (auto* t = std::get_if<migrate::MigrateTerms>(&msg)) return cl->on_terms(*t, tip_);
      if (auto* o = std::get_if<migrate::ClaimOffer>(&msg)) return cl->on_claim_offer(*o);
      if (auto* a = std::get_if<migrate::ClaimAdaptorPartial>(&msg)) return cl->on_adaptor_partial(*a);
      return make_error("bench.unexpected", "client got an unexpected message");
    };
    lane.client_tx = [cl](const btc::Transaction& tx, std::optional<uint32_t> h) { return cl->on_tx(tx, h); };
    lane.client_tip = [cl](uint32_t h) { return cl->on_tip(h); };
  } else {
    migrate::SwapLspConfig lc{.old_factory = old_.terms.factory_id, .old_channel = lane.ch[0].lsp.get(),
                              .client_key = old_.keys[i].pubkey(), .lsp_key = crypto::SecretKey::generate(),
                              .refund_script = wallet_.script, .policy = {}, .legs = legs(false),
                              .refund_fee_rate = 2'000, .vault = &vault_};
    auto accepted = m.measure([&] { return must(migrate::SwapLsp::accept(lc, req, tip_, tip_ + 1)); });
    c.l2.emplace(std::move(accepted.first));
    terms.to_peer.push_back(accepted.second);
    auto* l = &*c.l2;
    auto* cl = &*c.c2;
    lane.lsp_event = [l](size_t, const channel::ChannelEvent& e) { return l->on_old_channel_event(e); };
    lane.lsp_msg = [l](const migrate::Message& msg) -> Lane::Out {
      if (auto* r = std::get_if<migrate::SwapClaimRequest>(&msg)) return l->on_swap_claim_request(*r);
      if (auto* h = std::get_if<migrate::Handover>(&msg)) return l->on_handover(*h);
      return make_error("bench.unexpected", "L got an unexpected message");
    };
    lane.lsp_tx = [l](const btc::Transaction& tx, std::optional<uint32_t> h) { return l->on_tx(tx, h); };
    lane.lsp_tip = [l](uint32_t h) { return l->on_tip(h); };
    lane.client_event = [cl](size_t, const channel::ChannelEvent& e) -> Lane::Out { return cl->on_old_channel_event(e); };
    lane.client_msg = [this, cl](const migrate::Message& msg) -> Lane::Out {
      if (auto* t = std::get_if<migrate::MigrateTerms>(&msg)) return cl->on_terms(*t, tip_);
      if (auto* f = std::get_if<migrate::SwapFunded>(&msg)) return cl->on_swap_funded(*f);
      if (auto* s = std::get_if<migrate::SwapClaimSig>(&msg)) return cl->on_swap_claim_sig(*s);
      if (auto* a = std::get_if<migrate::HandoverAck>(&msg)) return cl->on_handover_ack(*a);
      return make_error("bench.unexpected", "client got an unexpected message");
    };
    lane.client_tx = [cl](const btc::Transaction& tx, std::optional<uint32_t> h) { return cl->on_tx(tx, h); };
    lane.client_tip = [cl](uint32_t h) { return cl->on_tip(h); };
  }
  lane.take(false, std::move(terms));
  lane.run();
}

// Options 1 and 3b: a lock on each channel, no on-chain byte.
inline void Day::start_new_leg(Client& c, uint32_t i, const migrate::MigrateRequest& req, CpuMeter& m) {
  auto& lane = c.lane;
  migrate::NewLegLspConfig lc{.old_factory = old_.terms.factory_id, .old_channel = lane.ch[0].lsp.get(),
                              .new_channel = lane.ch[1].lsp.get(), .client_key = old_.keys[i].pubkey(),
                              .policy = {}, .legs = legs(true), .vault = &vault_};
  auto accepted = m.measure([&] { return must(migrate::NewLegLsp::accept(lc, req, tip_)); });
  c.ln.emplace(std::move(accepted.first));
  auto* l = &*c.ln;
  auto* cl = &*c.cn;
  lane.lsp_event = [l](size_t ch, const channel::ChannelEvent& e) {
    return ch == 0 ? l->on_old_channel_event(e) : l->on_new_channel_event(e);
  };
  lane.lsp_msg = [l](const migrate::Message& msg) -> Lane::Out {
    if (auto* h = std::get_if<migrate::Handover>(&msg)) return l->on_handover(*h);
    return make_error("bench.unexpected", "L got an unexpected message");
  };
  lane.lsp_tip = [l](uint32_t h) { return l->on_tip(h); };
  lane.client_event = [cl](size_t ch, const channel::ChannelEvent& e) -> Lane::Out {
    return ch == 0 ? cl->on_old_channel_event(e) : cl->on_new_channel_event(e);
  };
  lane.client_msg = [this, cl](const migrate::Message& msg) -> Lane::Out {
    if (auto* t = std::get_if<migrate::MigrateTerms>(&msg)) return cl->on_terms(*t, tip_);
    if (auto* a = std::get_if<migrate::HandoverAck>(&msg)) return cl->on_handover_ack(*a);
    return make_error("bench.unexpected", "client got an unexpected message");
  };
  lane.client_tx = [cl](const btc::Transaction& tx, std::optional<uint32_t> h) { return cl->on_tx(tx, h); };
  lane.client_tip = [cl](uint32_t h) { return cl->on_tip(h); };
  migrate::FlowOutput terms;
  terms.to_peer.push_back(accepted.second);
  lane.take(false, std::move(terms));
  lane.run();
  lane.tick(tip_);  // the new factory is ready: the client reveals, L settles
}

inline void Day::start(uint32_t i, DayFigures& fig) {
  Client& c = *clients_[i];
  auto& way = fig.ways[c.way];
  ++way.migrations;
  c.lane.lsp_meter = &way.lsp;
  const migrate::MigrationId id = crypto::random_bytes32();
  migrate::MigrateRequest req;
  switch (c.way) {
    case Way::option3: {
      migrate::PtlcExitClientConfig cc{id, old_.terms.factory_id, c.lane.ch[0].client.get(), old_.keys[i],
                                       crypto::SecretKey::generate(), wallet_.script, policy(), legs(false),
                                       c.ledger.get()};
      auto started = must(migrate::PtlcExitClient::start(cc));
      c.c3.emplace(std::move(started.first));
      return start_on_chain(c, i, started.second, way.lsp);
    }
    case Way::option2: {
      migrate::SwapClientConfig cc{id, old_.terms.factory_id, c.lane.ch[0].client.get(), old_.keys[i],
                                   crypto::SecretKey::generate(), wallet_.script, policy(), legs(false), c.ledger.get()};
      auto started = must(migrate::SwapClient::start(cc));
      c.c2.emplace(std::move(started.first));
      return start_on_chain(c, i, started.second, way.lsp);
    }
    case Way::option1:
    case Way::option3b: {
      migrate::NewLegClientConfig cc{id, c.way == Way::option1 ? migrate::MigrationOption::ln_payment
                                                               : migrate::MigrationOption::ptlc_new,
                                     old_.terms.factory_id, c.lane.ch[0].client.get(), c.lane.ch[1].client.get(),
                                     &*new_.tree, i, old_.keys[i], policy(), legs(true), c.ledger.get()};
      auto started = must(migrate::NewLegClient::start(cc, tip_, new_.terms.heights.birth));
      c.cn.emplace(std::move(started.first));
      return start_new_leg(c, i, started.second, way.lsp);
    }
  }
}

inline migrate::Batch Day::build_batch(DayFigures& fig) {
  return fig.shared.measure([&] {
    migrate::Batch batch(1, tip_ + 1, 2000, wallet_.script);
    btc::Amount total = 0;
    for (auto& c : clients_) {
      std::optional<migrate::BatchOutput> out;
      if (c->l3) out = c->l3->batch_output();
      if (c->l2) out = c->l2->batch_output();
      if (!c->l3 && !c->l2) continue;
      if (!out) throw std::runtime_error(std::string("an on-chain output is not ready: ") + name(c->way));
      total += out->out.value;
      must(batch.add_output(*out));
    }
    must(batch.add_input(wallet_.coin(total + 10'000'000)));
    must(batch.freeze());
    return batch;
  });
}

inline bool Day::complete(const Client& c) const {
  switch (c.way) {
    case Way::option3: return c.l3->learned() && c.l3->removed();
    case Way::option2: return c.l2->removed() && c.l2->handed_over();
    case Way::option1:
    case Way::option3b: return c.ln->learned() && c.ln->settled();
  }
  return false;
}

inline DayFigures Day::run() {
  DayFigures fig;
  for (uint32_t i = 0; i < clients_.size(); ++i) start(i, fig);
  // The day's batch: every O; the option-3 claim sessions, then funding.
  migrate::Batch batch = build_batch(fig);
  batch_ = &batch;
  for (auto& c : clients_) {
    if (c->l3) c->lane.take(false, c->lane.lsp([&] { return must(c->l3->start_claim(batch)); }));
    if (c->l2) c->lane.take(false, c->lane.lsp([&] { return must(c->l2->funded(batch)); }));
    c->lane.run();
  }
  const auto batch_tx = fig.shared.measure([&] {
    for (auto& c : clients_)
      if (c->l3 && !c->l3->may_fund()) throw std::runtime_error("a claim session did not complete");
    must(batch.set_signed(wallet_.sign(batch)));
    return must(batch.broadcast());
  });
  fig.batch_vbytes = batch.vsize();
  // The batch confirms; the clients claim at their depth; L learns the keys.
  const uint32_t h = tip_ + 1;
  for (auto& c : clients_) {
    if (!c->l3 && !c->l2) continue;
    c->lane.feed(batch_tx, std::nullopt);
    c->lane.feed(batch_tx, h);
    c->lane.tick(h);
    c->lane.run();
  }
  for (auto& c : clients_) {
    if (!complete(*c)) throw std::runtime_error(std::string(name(c->way)) + " migration did not complete");
    for (const auto& tx : c->lane.client_broadcasts) fig.ways[c->way].onchain_vbytes += tx.vsize() + 43;
    if ((c->way == Way::option1 || c->way == Way::option3b) && !c->lane.client_broadcasts.empty())
      throw std::runtime_error("an off-chain migration broadcast a tx");
  }
  // Every key is in L's vault: the factory is swept in one tx.
  fig.sweep = fig.shared.measure([&] {
    auto keys = must(vault_.departed_keys(*old_.tree));
    if (keys.size() != clients_.size()) throw std::runtime_error("not every client departed");
    const Bytes next = must(factory::KeyCache::shared().get({crypto::SecretKey::generate().pubkey()}, std::nullopt))->script;
    return must(migrate::sweep_factory(*old_.tree, keys, old_.lsp_key, {{old_.tree->funding_value() / 2, next}},
                                       wallet_.script, 2000));
  });
  batch_ = nullptr;
  return fig;
}

}  // namespace ladder::bench::migrate_world
