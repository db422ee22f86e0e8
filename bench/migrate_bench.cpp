// Benchmark suite "migrate": what a dying factory of N clients costs L, in
// one process, every participant's code running for real.
//
//   migrate/reallocation/N  every leaf of an N-client factory (k = 2) loses
//       one client, who departed; L (signing for itself and, with the
//       handed-over key, for the departed client) and the remaining client
//       give the leaf its departure state (migrate/reallocation.h): the
//       leaf's new state and the distribution txs of its new outputs, the
//       present client's channel re-bound to its new outpoint first
//       (quiescence, both commitments re-signed), children-first. items =
//       reallocations; lsp_cpu_seconds = the CPU time of L's calls alone.
//       Floor per reallocation (inverted mode): 3 MuSig2 sessions with 8
//       signer-sessions (leaf state: A, B, L; B's channel distribution: B,
//       L; the L-stock distribution: A, B, L) — 2 nonce points per signer-
//       session, the nonce coefficient multiplication and one verification
//       per session — and the 2 re-bound commitments (2-of-2 each, the same
//       operations): pubkey_create 24, pubkey_tweak_mul 5, schnorr_verify 5.
//   migrate/sweep/N  a factory whose N clients all departed, swept in ONE
//       tx spending its funding output by key path and funding the next
//       factory (migrate/sweep.h). Floor: the aggregate secret's N + 1
//       scalar products (a_i·d_i), its public key (the check that it is the
//       output key) and one BIP-340 signature: seckey_tweak_mul N + 1,
//       pubkey_create 1, schnorr_sign 1. Counters: txs, vbytes.
//   migrate/option3/N  every client of a dying N-client factory leaves by
//       option 3, the PTLC assisted exit (migrate/ptlc_exit.h), all in one
//       day's batch: the PTLC on the old channel (its commitment dance with
//       the adaptor signatures), the claim's MuSig2 adaptor session, the
//       batch funding every O, each client's claim and L's extraction of the
//       client's old factory key, its vault write and the PTLC's settlement.
//       items = migrations; lsp_cpu_seconds = L's calls alone (target: 500
//       per second of LSP work). vbytes_per_client = the batch's vsize / N
//       (O and its share of the batch) + the claim's vsize. At the end every
//       key is in L's vault and the factory is swept in one tx (sweep_txs,
//       sweep_vbytes). Floor per
//       migration (every side): on the old channel, the PTLC's add and
//       settle sign 4 commitments (per commitment: 2 + 2 nonce points, the
//       nonce coefficient on both sides, the peer partial's check and the
//       aggregate's verification), 4 revocation points, the offerer's 2
//       adaptor pre-signatures (1 nonce point each) and their 2
//       pre-verifications, the scalar check at settlement; the claim
//       session's 4 nonce points, 2 nonce coefficients, L's check of the
//       client's partial, the client's pre-verification of L's adaptor
//       partial and of the aggregate, and L's check a·G = P_A:
//       pubkey_create 16 + 4 + 2 + 1 + 4 + 1 = 28, pubkey_tweak_mul 8 + 2 =
//       10, schnorr_verify 8 + 2 + 3 = 13.
// Key aggregation of the tree's outputs is done at set-up (a factory
// aggregates each key set once in its life; the ceremony suite measures
// it) and is outside every floor and timing.
#include <benchmark/benchmark.h>
#include <secp256k1_schnorrsig.h>
#include <time.h>

#include <deque>
#include <memory>

#include "bench/runner.h"
#include "channel/channel.h"
#include "channel/dispatch.h"
#include "crypto/schnorr.h"
#include "factory/aggregate_key.h"
#include "migrate/handover.h"
#include "migrate/ptlc_exit.h"
#include "migrate/reallocation.h"
#include "migrate/reallocation_channels.h"
#include "migrate/sweep.h"
#include "store/memory_store.h"

namespace ladder::bench {
namespace {

using namespace ladder::factory;
using migrate::DepartedKeys;

template <class T>
T must(Expected<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(r).value();
}
void must(Status s) {
  if (!s) throw std::runtime_error(s.error().to_string());
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Accumulates the CPU time of the calls made inside measure().
struct CpuMeter {
  double seconds = 0;
  template <class F>
  decltype(auto) measure(F&& f) {
    const double t0 = thread_cpu_seconds();
    struct Stop {
      CpuMeter* m;
      double t0;
      ~Stop() { m->seconds += thread_cpu_seconds() - t0; }
    } stop{this, t0};
    return f();
  }
};

// A dying factory of n clients (k = 2, inverted mode), its keys, and its
// aggregate keys computed once.
struct Factory {
  FactoryTerms terms;
  crypto::SecretKey lsp_key = crypto::SecretKey::generate();
  std::vector<crypto::SecretKey> keys;
  std::optional<Tree> tree;

  Factory(uint32_t n, uint64_t id) {
    terms.factory_id = id;
    terms.lsp_key = lsp_key.pubkey().bytes();
    for (uint32_t i = 0; i < n; ++i) {
      keys.push_back(crypto::SecretKey::generate());
      terms.clients.push_back({keys.back().pubkey().bytes(), 200'000, 100'000});
    }
    auto shape = must(Shape::build(n, terms.params));
    terms.lstock.assign(shape.leaves().size(), 50'000);
    terms.heights = compute_heights(terms.params, shape.levels(), 1000);
    terms.funding.txid.bytes = crypto::random_bytes32();
    tree.emplace(must(Tree::create(terms)));
    for (uint32_t id2 = 0; id2 < tree->shape().nodes().size(); ++id2) {
      must(tree->input_key(id2));
      if (tree->shape().node(id2).is_dw()) must(tree->kickoff_key(id2));
      if (tree->shape().node(id2).is_leaf()) must(tree->lstock_key(id2));
    }
    for (uint32_t c = 0; c < n; ++c) must(tree->channel_key(c));
  }
  DepartedKeys departed(const std::vector<uint32_t>& clients) const {
    std::map<uint32_t, crypto::SecretKey> k;
    for (uint32_t c : clients) k.emplace(c, keys[c]);
    return must(DepartedKeys::create(*tree, std::move(k)));
  }
};

// L's and the client's sides of one channel on the client's channel output.
struct ChannelPair {
  std::unique_ptr<channel::Channel> lsp, client;
};

ChannelPair open_channel(Factory& f, uint32_t c) {
  const auto binding = must(migrate::channel_binding(*f.tree, c));
  const channel::Deadlines d{f.terms.heights.timeout, f.terms.heights.x};
  const auto& ct = f.terms.clients[c];
  channel::ChannelConfig lc{channel::Role::lsp, f.lsp_key, f.keys[c].pubkey(), crypto::random_bytes32(), {}, d, binding,
                            ct.lsp_balance, 1000};
  channel::ChannelConfig cc{channel::Role::client, f.keys[c], f.lsp_key.pubkey(), crypto::random_bytes32(), {}, d,
                            binding, ct.client_balance, 1000};
  auto [l, open] = must(channel::Channel::open(lc));
  auto [cl, accept] = must(channel::Channel::accept(cc, open));
  must(l.on_channel_ready(must(cl.on_funding_signed(must(l.on_accept_channel(accept))))));
  return {std::make_unique<channel::Channel>(std::move(l)), std::make_unique<channel::Channel>(std::move(cl))};
}

// One leaf's departure reallocation, both sides in-process; L's calls are
// metered. Throws on any failure.
void reallocate_leaf(Factory& f, const DepartedKeys& keys, uint32_t leaf, ChannelPair& ch, GuardTable& lsp_guard,
                     MemoryGuardStore& lsp_store, CpuMeter& lsp) {
  auto none = [](const btc::Txid&) { return false; };
  const uint32_t b = f.tree->shape().node(leaf).first_client + 1;
  GuardTable guard;
  MemoryGuardStore store;
  auto r = lsp.measure(
      [&] { return must(migrate::Reallocation::start(*f.tree, keys, f.lsp_key, leaf, leaf, lsp_guard, lsp_store, none)); });
  auto review = must(migrate::review_reallocation(*f.tree, r.proposal(), b));
  UpdateSigner signer(f.keys[b], b, guard, store);
  auto nonces = must(signer.on_proposal(*f.tree, r.proposal(), review.expect, none));
  lsp.measure([&] { must(r.on_nonces(b, nonces)); });
  auto agg = lsp.measure([&] { return must(r.aggnonces_for(b)); });
  auto partials = must(signer.on_aggnonces(agg));
  lsp.measure([&] { must(r.on_descendant_partials(b, partials)); });
  // The channel's re-binding: quiescence, then both commitments re-signed.
  auto stfu = lsp.measure([&] { return must(ch.lsp->request_quiescence()); });
  auto answer = must(ch.client->on_stfu(stfu));
  lsp.measure([&] { must(ch.lsp->on_stfu(*answer)); });
  auto propose = lsp.measure([&] { return must(ch.lsp->propose_rebind(review.new_binding)); });
  auto signed_msg = must(ch.client->on_rebind_propose(propose));
  auto complete = lsp.measure([&] { return must(ch.lsp->on_rebind_signed(signed_msg)); });
  must(ch.client->on_rebind_complete(complete));
  auto sigs = lsp.measure([&] {
    must(r.sign_top(migrate::require_rebound({{ch.lsp.get(), review.new_binding}})));
    return must(r.descendant_signatures_for(b));
  });
  auto top = must(signer.on_descendant_signatures(sigs, migrate::require_rebound({{ch.client.get(), review.new_binding}})));
  auto top_sig = lsp.measure([&] {
    must(r.on_top_partial(b, top));
    auto t = must(r.finish());
    must(ch.lsp->activate_rebind());
    must(ch.lsp->resume());
    return t;
  });
  must(signer.on_top_signature(top_sig));
  must(ch.client->activate_rebind());
  must(ch.client->resume());
}

// One migration as a host moves it: the two flows' outputs (migration
// messages, channel messages with the commitment dance, broadcasts) between
// the client and L over the old channel. L's side is metered.
struct Lane {
  ChannelPair ch;
  CpuMeter* lsp_meter = nullptr;
  std::function<Expected<migrate::FlowOutput>(const migrate::Message&)> client_msg, lsp_msg;
  std::function<Expected<migrate::FlowOutput>(const channel::ChannelEvent&)> client_event, lsp_event;
  std::deque<migrate::Message> to_client, to_lsp;
  std::deque<channel::Message> ch_to_client, ch_to_lsp;
  std::vector<btc::Transaction> client_broadcasts;

  void take(bool from_client, migrate::FlowOutput out) {
    for (auto& m : out.to_peer) (from_client ? to_lsp : to_client).push_back(std::move(m));
    for (auto& c : out.channel) (from_client ? ch_to_lsp : ch_to_client).push_back(std::move(c.message));
    if (from_client)
      for (auto& tx : out.broadcast) client_broadcasts.push_back(std::move(tx));
    for (const auto& e : out.events)
      if (e.kind == migrate::FlowEventKind::failed) throw std::runtime_error("migration failed: " + e.code);
  }
  template <class F>
  decltype(auto) lsp(F&& f) { return lsp_meter->measure(std::forward<F>(f)); }
  bool step() {
    if (!to_lsp.empty()) {
      auto m = std::move(to_lsp.front());
      to_lsp.pop_front();
      take(false, lsp([&] { return must(lsp_msg(m)); }));
      return true;
    }
    if (!to_client.empty()) {
      auto m = std::move(to_client.front());
      to_client.pop_front();
      take(true, must(client_msg(m)));
      return true;
    }
    if (!ch_to_lsp.empty()) {
      auto m = std::move(ch_to_lsp.front());
      ch_to_lsp.pop_front();
      for (auto& r : lsp([&] { return must(channel::deliver(*ch.lsp, m)); })) ch_to_client.push_back(std::move(r));
      return true;
    }
    if (!ch_to_client.empty()) {
      auto m = std::move(ch_to_client.front());
      ch_to_client.pop_front();
      for (auto& r : must(channel::deliver(*ch.client, m))) ch_to_lsp.push_back(std::move(r));
      return true;
    }
    if (lsp([&] { return ch.lsp->can_sign_commitment(); })) {
      ch_to_client.push_back(lsp([&] { return must(ch.lsp->sign_commitment()); }));
      return true;
    }
    if (ch.client->can_sign_commitment()) {
      ch_to_lsp.push_back(must(ch.client->sign_commitment()));
      return true;
    }
    bool moved = false;
    for (const auto& e : lsp([&] { return ch.lsp->drain_events(); })) {
      moved = true;
      take(false, lsp([&] { return must(lsp_event(e)); }));
    }
    for (const auto& e : ch.client->drain_events()) {
      moved = true;
      take(true, must(client_event(e)));
    }
    return moved;
  }
  void run() {
    for (int guard = 0; guard < 100'000; ++guard)
      if (!step()) return;
    throw std::runtime_error("lane did not settle");
  }
};

// L's wallet coin that funds a batch (its P2TR output key is the key itself).
struct Wallet {
  crypto::SecretKey key = crypto::SecretKey::generate();
  Bytes script = btc::p2tr_script(key.xonly_pubkey().bytes());
  migrate::BatchInput coin(btc::Amount value) const {
    return {{btc::Txid{crypto::random_bytes32()}, 0}, {value, script}};
  }
  btc::Transaction sign(const migrate::Batch& batch) const {
    btc::Transaction tx = batch.unsigned_tx();
    std::vector<btc::TxOut> spent;
    for (const auto& in : batch.inputs()) spent.push_back(in.spent);
    for (size_t i = 0; i < spent.size(); ++i) {
      migrate::SweepInput in{tx.vin[i].prevout, spent[i], migrate::SweepInput::Path::key, tx.vin[i].sequence, key, {}, {}, "wallet"};
      must(migrate::sign_input(tx, i, spent, in));
    }
    return tx;
  }
};

// The client's key ledger, for the flow versions that record the key they
// reveal (the option-3 client does from the flow that takes one).
template <class Config>
void set_ledger(Config& c, migrate::ClientKeyLedger* ledger) {
  if constexpr (requires { c.ledger; }) c.ledger = ledger;
}

migrate::LegContext old_legs(const Factory& f) {
  migrate::LegContext c;
  c.old_timeout = f.terms.heights.timeout;
  c.x_old = f.terms.heights.x;
  c.cutoff = f.terms.params.reveal_cutoff;
  c.max_depth = f.terms.params.max_client_depth;
  c.depth = 1;
  return c;
}

// The old channels, stores and wallets of a dying factory's migrations,
// set up before the clock starts.
struct Migrations {
  Factory& f;
  uint32_t n, tip;
  store::MemoryStore lsp_store;
  migrate::KeyVault vault{lsp_store};
  Wallet wallet;
  std::vector<std::unique_ptr<store::MemoryStore>> client_stores;
  std::vector<std::unique_ptr<migrate::ClientKeyLedger>> ledgers;
  std::vector<std::unique_ptr<Lane>> lanes;

  Migrations(Factory& factory, CpuMeter& meter)
      : f(factory), n(static_cast<uint32_t>(factory.keys.size())), tip(factory.terms.heights.end_active + 1) {
    for (uint32_t i = 0; i < n; ++i) {
      client_stores.push_back(std::make_unique<store::MemoryStore>());
      ledgers.push_back(std::make_unique<migrate::ClientKeyLedger>(*client_stores.back()));
      lanes.push_back(std::make_unique<Lane>());
      lanes.back()->ch = open_channel(f, i);
      lanes.back()->ch.lsp->set_height(tip);
      lanes.back()->ch.client->set_height(tip);
      lanes.back()->lsp_meter = &meter;
    }
  }
};

// Every client exits by option 3 in one batch; returns the vbytes on chain
// per client.
double run_option3(Migrations& world, CpuMeter& meter) {
  Factory& f = world.f;
  const uint32_t n = world.n, tip = world.tip;
  auto& wallet = world.wallet;
  std::vector<std::optional<migrate::PtlcExitClient>> clients(n);
  std::vector<std::optional<migrate::PtlcExitLsp>> lsps(n);
  auto& lanes = world.lanes;
  migrate::ClientPolicy policy;
  policy.depth = 1;
  for (uint32_t i = 0; i < n; ++i) {
    Lane& lane = *lanes[i];
    migrate::PtlcExitClientConfig cc{crypto::random_bytes32(), f.terms.factory_id, lane.ch.client.get(), f.keys[i],
                                     crypto::SecretKey::generate(), wallet.script, policy, old_legs(f)};
    set_ledger(cc, world.ledgers[i].get());
    auto [client, request] = must(migrate::PtlcExitClient::start(cc));
    clients[i].emplace(std::move(client));
    migrate::PtlcExitLspConfig lc{.old_factory = f.terms.factory_id, .old_channel = lane.ch.lsp.get(),
                                  .client_key = f.keys[i].pubkey(), .lsp_key = crypto::SecretKey::generate(),
                                  .refund_script = wallet.script, .policy = {}, .legs = old_legs(f),
                                  .refund_fee_rate = 2'000, .store = &world.lsp_store, .vault = &world.vault};
    auto accepted = lane.lsp([&] { return must(migrate::PtlcExitLsp::accept(lc, request, tip, tip + 1)); });
    lsps[i].emplace(std::move(accepted.first));
    auto* c = &*clients[i];
    auto* l = &*lsps[i];
    lane.client_event = [c](const channel::ChannelEvent& e) -> Expected<migrate::FlowOutput> { return c->on_old_channel_event(e); };
    lane.lsp_event = [l](const channel::ChannelEvent& e) { return l->on_old_channel_event(e); };
    lane.client_msg = [c, tip](const migrate::Message& m) -> Expected<migrate::FlowOutput> {
      if (auto* t = std::get_if<migrate::MigrateTerms>(&m)) return c->on_terms(*t, tip);
      if (auto* o = std::get_if<migrate::ClaimOffer>(&m)) return c->on_claim_offer(*o);
      if (auto* a = std::get_if<migrate::ClaimAdaptorPartial>(&m)) return c->on_adaptor_partial(*a);
      return make_error("bench.unexpected", "client got an unexpected message");
    };
    migrate::FlowOutput terms;
    terms.to_peer.push_back(accepted.second);
    lane.take(false, std::move(terms));
    lane.run();  // the PTLC is locked in
  }
  // The day's batch: every O, funded by one wallet coin.
  migrate::Batch batch(1, tip + 1, 2000, wallet.script);
  meter.measure([&] {
    btc::Amount total = 0;
    for (auto& l : lsps) {
      auto out = l->batch_output();
      if (!out) throw std::runtime_error("O not ready");
      total += out->out.value;
      must(batch.add_output(*out));
    }
    must(batch.add_input(wallet.coin(total + 10'000'000)));
    must(batch.freeze());
  });
  for (uint32_t i = 0; i < n; ++i) {
    auto* l = &*lsps[i];
    lanes[i]->lsp_msg = [l, &batch](const migrate::Message& m) -> Expected<migrate::FlowOutput> {
      if (auto* p = std::get_if<migrate::ClaimPartial>(&m)) return l->on_claim_partial(*p, batch);
      return make_error("bench.unexpected", "L got an unexpected message");
    };
    lanes[i]->take(false, lanes[i]->lsp([&] { return must(l->start_claim(batch)); }));
    lanes[i]->run();
  }
  const auto batch_tx = meter.measure([&] {
    for (auto& l : lsps)
      if (!l->may_fund()) throw std::runtime_error("a claim session did not complete");
    must(batch.set_signed(wallet.sign(batch)));
    return must(batch.broadcast());
  });
  // The batch confirms at tip + 1; each client claims at its depth; L sees
  // the claim in the mempool, learns the key and settles the old PTLC.
  const uint32_t h = tip + 1;
  int64_t claim_vbytes = 0;
  for (uint32_t i = 0; i < n; ++i) {
    Lane& lane = *lanes[i];
    auto* c = &*clients[i];
    auto* l = &*lsps[i];
    lane.ch.lsp->set_height(h);
    lane.ch.client->set_height(h);
    lane.take(false, lane.lsp([&] { return l->on_tx(batch_tx, h); }));
    lane.take(true, c->on_tx(batch_tx, h));
    for (int round = 0; round < 2; ++round) {
      lane.take(false, lane.lsp([&] { return l->on_tip(h); }));
      lane.take(true, c->on_tip(h));
      lane.run();
    }
    if (lane.client_broadcasts.empty()) throw std::runtime_error("the client did not claim");
    const auto claim = lane.client_broadcasts.front();
    claim_vbytes += claim.vsize();
    lane.take(false, lane.lsp([&] { return l->on_tx(claim, std::nullopt); }));
    lane.run();
    lane.take(false, lane.lsp([&] { return l->on_tip(h); }));
    lane.run();
    if (!l->learned() || !l->removed()) throw std::runtime_error("L did not settle the old PTLC");
  }
  return static_cast<double>(batch.vsize() + claim_vbytes) / n;
}

void add(const std::string& name, std::function<void(benchmark::State&)> fn, bool once = false) {
  auto* b = benchmark::RegisterBenchmark(("migrate/" + name).c_str(), std::move(fn));
  if (once) b->Iterations(1)->Unit(benchmark::kMillisecond);
  else b->MinTime(0.2);
}

void register_raw() {
  const secp256k1_context* ctx = crypto::secp_context();
  auto key = std::make_shared<crypto::SecretKey>(crypto::SecretKey::generate());
  auto msg = std::make_shared<Bytes32>(crypto::random_bytes32());
  auto tweak = std::make_shared<Bytes32>(crypto::Scalar::reduce(crypto::random_bytes32()).bytes());
  add("raw/pubkey_create", [=](benchmark::State& st) {
    secp256k1_pubkey out;
    for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_pubkey_create(ctx, &out, tweak->data()));
  });
  add("raw/pubkey_tweak_mul", [=](benchmark::State& st) {
    for (auto _ : st) {
      secp256k1_pubkey p = key->pubkey().raw();
      benchmark::DoNotOptimize(secp256k1_ec_pubkey_tweak_mul(ctx, &p, tweak->data()));
    }
  });
  add("raw/schnorr_verify", [=](benchmark::State& st) {
    auto sig = crypto::schnorr_sign(*key, *msg);
    for (auto _ : st)
      benchmark::DoNotOptimize(
          secp256k1_schnorrsig_verify(ctx, sig.bytes().data(), msg->data(), 32, &key->xonly_pubkey().raw()));
  });
  add("raw/seckey_tweak_mul", [=](benchmark::State& st) {
    Bytes32 d = key->reveal();
    for (auto _ : st) benchmark::DoNotOptimize(secp256k1_ec_seckey_tweak_mul(ctx, d.data(), tweak->data()));
  });
  add("raw/schnorr_sign", [=](benchmark::State& st) {
    unsigned char sig[64];
    for (auto _ : st)
      benchmark::DoNotOptimize(secp256k1_schnorrsig_sign32(ctx, sig, msg->data(), &key->keypair(), nullptr));
  });
}

void register_reallocation(int n) {
  add("reallocation/" + std::to_string(n), [n](benchmark::State& st) {
    const uint32_t leaves = static_cast<uint32_t>(n) / 2;
    for (auto _ : st) {
      st.PauseTiming();
      Factory f(static_cast<uint32_t>(n), 100 + static_cast<uint64_t>(n));
      std::vector<uint32_t> gone;
      std::vector<ChannelPair> channels;
      for (uint32_t c = 0; c < static_cast<uint32_t>(n); c += 2) {
        gone.push_back(c);
        channels.push_back(open_channel(f, c + 1));
      }
      auto keys = f.departed(gone);
      GuardTable guard;
      MemoryGuardStore store;
      CpuMeter lsp;
      const auto leaf_ids = f.tree->shape().leaves();
      st.ResumeTiming();
      for (uint32_t i = 0; i < leaves; ++i) reallocate_leaf(f, keys, leaf_ids[i], channels[i], guard, store, lsp);
      st.counters["lsp_cpu_seconds"] = lsp.seconds;
      st.counters["lsp_per_second"] = leaves / lsp.seconds;
    }
    st.counters["items"] = leaves;
    st.counters["floor:pubkey_create"] = 24.0 * leaves;
    st.counters["floor:pubkey_tweak_mul"] = 5.0 * leaves;
    st.counters["floor:schnorr_verify"] = 5.0 * leaves;
  }, true);
}

void register_sweep(int n) {
  auto f = std::make_shared<Factory>(static_cast<uint32_t>(n), 200 + static_cast<uint64_t>(n));
  std::vector<uint32_t> all(static_cast<size_t>(n));
  for (uint32_t c = 0; c < all.size(); ++c) all[c] = c;
  auto keys = std::make_shared<DepartedKeys>(f->departed(all));
  add("sweep/" + std::to_string(n), [f, keys](benchmark::State& st) {
    const Bytes next = must(KeyCache::shared().get({crypto::SecretKey::generate().pubkey()}, std::nullopt))->script;
    const Bytes change = btc::p2tr_script(f->lsp_key.xonly_pubkey().bytes());
    btc::Transaction tx;
    for (auto _ : st)
      tx = must(migrate::sweep_factory(*f->tree, *keys, f->lsp_key, {{f->tree->funding_value() / 2, next}}, change, 2000));
    st.counters["txs"] = 1;
    st.counters["inputs"] = static_cast<double>(tx.vin.size());
    st.counters["signatures"] = static_cast<double>(tx.vin.at(0).witness.size());
    st.counters["vbytes"] = static_cast<double>(tx.vsize());
    st.counters["floor:schnorr_sign"] = 1;
    st.counters["floor:pubkey_create"] = 1;
    st.counters["floor:seckey_tweak_mul"] = static_cast<double>(f->keys.size() + 1);
  });
}

// The end of the day: every client departed, L sweeps the factory with the
// keys its vault holds, in ONE tx that funds the next factory.
btc::Transaction sweep_departed(Factory& f, migrate::KeyVault& vault) {
  auto keys = must(vault.departed_keys(*f.tree));
  if (keys.size() != f.keys.size()) throw std::runtime_error("not every client departed");
  const Bytes next = must(KeyCache::shared().get({crypto::SecretKey::generate().pubkey()}, std::nullopt))->script;
  return must(migrate::sweep_factory(*f.tree, keys, f.lsp_key, {{f.tree->funding_value() / 2, next}},
                                     btc::p2tr_script(f.lsp_key.xonly_pubkey().bytes()), 2000));
}

void register_option3(int n) {
  add("option3/" + std::to_string(n), [n](benchmark::State& st) {
    for (auto _ : st) {
      st.PauseTiming();
      Factory f(static_cast<uint32_t>(n), 300 + static_cast<uint64_t>(n));
      CpuMeter lsp;
      Migrations m(f, lsp);
      st.ResumeTiming();
      st.counters["vbytes_per_client"] = run_option3(m, lsp);
      st.counters["lsp_cpu_seconds"] = lsp.seconds;
      st.counters["lsp_per_second"] = n / lsp.seconds;
      // Every key is in L's vault now: the factory is swept in one tx.
      const auto sweep = sweep_departed(f, m.vault);
      st.counters["sweep_txs"] = 1;
      st.counters["sweep_vbytes"] = static_cast<double>(sweep.vsize());
    }
    st.counters["items"] = n;
    st.counters["floor:pubkey_create"] = 28.0 * n;
    st.counters["floor:pubkey_tweak_mul"] = 10.0 * n;
    st.counters["floor:schnorr_verify"] = 13.0 * n;
  }, true);
}

void register_suite(const Options& opts) {
  register_raw();
  std::vector<int> sizes = opts.clients.empty() ? std::vector<int>{1024} : opts.clients;
  for (int n : sizes) {
    register_reallocation(n);
    register_sweep(n);
    register_option3(n);
  }
}

const bool registered = add_suite("migrate", "a dying factory of N clients: migrations, reallocations, the sweep",
                                  register_suite);

}  // namespace
}  // namespace ladder::bench
