// The in-process world of the "migrate" benchmark suite (migrate_bench.cpp
// only): a dying factory with every key, the channels on its leaves, L's
// wallet, a meter of L's CPU time, and a Lane — one migration's two flows
// and their channels, moved as a host moves them (migration messages,
// channel messages with the commitment dance, broadcasts, tips).
//
// Nothing here runs a chain: a tx a flow broadcasts is fed back to both
// flows (mempool), and a block is a height given to tick(). Every failure is
// an exception (a benchmark that cannot run stops with the error).
#pragma once

#include <time.h>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <vector>

#include "btc/standard_scripts.h"
#include "channel/channel.h"
#include "channel/dispatch.h"
#include "crypto/schnorr.h"
#include "factory/close.h"
#include "migrate/departed_keys.h"
#include "migrate/flow.h"
#include "migrate/reallocation_channels.h"
#include "migrate/sweep.h"

namespace ladder::bench::migrate_world {

template <class T>
T must(Expected<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(r).value();
}
inline void must(Status s) {
  if (!s) throw std::runtime_error(s.error().to_string());
}

inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Accumulates the CPU time of the calls made inside measure().
struct CpuMeter {
  double seconds = 0;
  template <class F>
  decltype(auto) measure(F&& f) {
    struct Stop {
      CpuMeter* m;
      double t0;
      ~Stop() { m->seconds += thread_cpu_seconds() - t0; }
    } stop{this, thread_cpu_seconds()};
    return f();
  }
};

// A factory of n clients (k = 2, inverted mode) born at `birth`, with every
// key, and its aggregate keys computed once.
struct Factory {
  factory::FactoryTerms terms;
  crypto::SecretKey lsp_key = crypto::SecretKey::generate();
  std::vector<crypto::SecretKey> keys;
  std::optional<factory::Tree> tree;

  Factory(uint32_t n, uint64_t id, uint32_t birth = 1000, btc::Amount client_balance = 200'000,
          btc::Amount lsp_balance = 100'000) {
    terms.factory_id = id;
    terms.lsp_key = lsp_key.pubkey().bytes();
    for (uint32_t i = 0; i < n; ++i) {
      keys.push_back(crypto::SecretKey::generate());
      terms.clients.push_back({keys.back().pubkey().bytes(), client_balance, lsp_balance});
    }
    auto shape = must(factory::Shape::build(n, terms.params));
    terms.lstock.assign(shape.leaves().size(), 50'000);
    terms.heights = factory::compute_heights(terms.params, shape.levels(), birth);
    terms.funding.txid.bytes = crypto::random_bytes32();
    tree.emplace(must(factory::Tree::create(terms)));
    for (uint32_t node = 0; node < tree->shape().nodes().size(); ++node) {
      must(tree->input_key(node));
      if (tree->shape().node(node).is_dw()) must(tree->kickoff_key(node));
      if (tree->shape().node(node).is_leaf()) must(tree->lstock_key(node));
    }
    for (uint32_t c = 0; c < n; ++c) must(tree->channel_key(c));
  }
  migrate::DepartedKeys departed(const std::vector<uint32_t>& clients) const {
    std::map<uint32_t, crypto::SecretKey> k;
    for (uint32_t c : clients) k.emplace(c, keys[c]);
    return must(migrate::DepartedKeys::create(*tree, std::move(k)));
  }
  // Signs every tx of the tree with the aggregate secret of its signers (the
  // benchmark holds every key): the state a completed ceremony leaves, made
  // without its rounds.
  void sign_all() {
    for (const auto& key : tree->all_txs()) {
      auto t = must(tree->target(key));
      auto [first, count] = tree->signer_range(key);
      std::vector<crypto::SecretKey> secrets(keys.begin() + first, keys.begin() + first + count);
      secrets.push_back(lsp_key);
      auto sk = must(factory::aggregate_secret(t.agg->tweaked, secrets));
      must(tree->add_signature(factory::SigningRef::of(t), crypto::schnorr_sign(sk, t.sighash)));
    }
  }
};

// L's and the client's sides of one channel on the client's channel output.
struct ChannelPair {
  std::unique_ptr<channel::Channel> lsp, client;
};

inline ChannelPair open_channel(Factory& f, uint32_t c, uint32_t height) {
  const auto binding = must(migrate::channel_binding(*f.tree, c));
  const channel::Deadlines d{f.terms.heights.timeout, f.terms.heights.x};
  const auto& ct = f.terms.clients[c];
  channel::ChannelConfig lc{channel::Role::lsp, f.lsp_key, f.keys[c].pubkey(), crypto::random_bytes32(), {}, d, binding,
                            ct.lsp_balance, height};
  channel::ChannelConfig cc{channel::Role::client, f.keys[c], f.lsp_key.pubkey(), crypto::random_bytes32(), {}, d,
                            binding, ct.client_balance, height};
  auto [l, open] = must(channel::Channel::open(lc));
  auto [cl, accept] = must(channel::Channel::accept(cc, open));
  must(l.on_channel_ready(must(cl.on_funding_signed(must(l.on_accept_channel(accept))))));
  return {std::make_unique<channel::Channel>(std::move(l)), std::make_unique<channel::Channel>(std::move(cl))};
}

// L's wallet coin that funds a batch (its P2TR output key is the key itself).
struct Wallet {
  crypto::SecretKey key = crypto::SecretKey::generate();
  Bytes script = btc::p2tr_script(key.xonly_pubkey().bytes());
  migrate::BatchInput coin(btc::Amount value) const { return {{btc::Txid{crypto::random_bytes32()}, 0}, {value, script}}; }
  btc::Transaction sign(const migrate::Batch& batch) const {
    btc::Transaction tx = batch.unsigned_tx();
    std::vector<btc::TxOut> spent;
    for (const auto& in : batch.inputs()) spent.push_back(in.spent);
    for (size_t i = 0; i < spent.size(); ++i) {
      migrate::SweepInput in{tx.vin[i].prevout, spent[i], migrate::SweepInput::Path::key, tx.vin[i].sequence,
                             key, {}, {}, "wallet"};
      must(migrate::sign_input(tx, i, spent, in));
    }
    return tx;
  }
};

// One migration as a host moves it. L's side is metered.
struct Lane {
  using Out = Expected<migrate::FlowOutput>;
  std::vector<ChannelPair> ch;  // 0: the old channel, 1: the new one (options 1, 3b)
  CpuMeter* lsp_meter = nullptr;
  std::function<Out(const migrate::Message&)> client_msg, lsp_msg;
  std::function<Out(size_t, const channel::ChannelEvent&)> client_event, lsp_event;
  std::function<migrate::FlowOutput(const btc::Transaction&, std::optional<uint32_t>)> client_tx, lsp_tx;
  std::function<migrate::FlowOutput(uint32_t)> client_tip, lsp_tip;
  std::vector<btc::Transaction> client_broadcasts;  // the client's txs, each once

  template <class F>
  decltype(auto) lsp(F&& f) { return lsp_meter->measure(std::forward<F>(f)); }

  void take(bool from_client, migrate::FlowOutput out) {
    for (auto& m : out.to_peer) (from_client ? to_lsp_ : to_client_).push_back(std::move(m));
    for (auto& c : out.channel) {
      auto& q = (from_client ? to_lsp_ch_ : to_client_ch_);
      q.emplace_back(index_of(c.channel), std::move(c.message));
    }
    for (auto& tx : out.broadcast)
      if (fed_.insert(tx.txid()).second) {
        if (from_client) client_broadcasts.push_back(tx);
        feed(tx, std::nullopt);
      }
    for (const auto& e : out.events)
      if (e.kind == migrate::FlowEventKind::failed || e.kind == migrate::FlowEventKind::abandoned)
        throw std::runtime_error("migration did not complete: " + e.code);
  }
  // A tx seen in the mempool (height nullopt) or in a block, to both flows.
  void feed(const btc::Transaction& tx, std::optional<uint32_t> height) {
    if (lsp_tx) take(false, lsp([&] { return lsp_tx(tx, height); }));
    if (client_tx) take(true, client_tx(tx, height));
  }
  void run() {
    for (int guard = 0; guard < 100'000; ++guard)
      if (!step()) return;
    throw std::runtime_error("lane did not settle");
  }
  // A block at height h: both flows' tips, twice (a flow that asked for
  // quiescence acts on the answer in the same block).
  void tick(uint32_t h) {
    for (auto& c : ch) {
      c.lsp->set_height(h);
      c.client->set_height(h);
    }
    for (int round = 0; round < 2; ++round) {
      if (lsp_tip) take(false, lsp([&] { return lsp_tip(h); }));
      if (client_tip) take(true, client_tip(h));
      run();
    }
  }

 private:
  size_t index_of(const channel::ChannelId& id) const {
    for (size_t i = 0; i < ch.size(); ++i)
      if (ch[i].lsp->id() == id) return i;
    throw std::runtime_error("no such channel in this lane");
  }
  bool step() {
    if (!to_lsp_.empty()) {
      auto m = std::move(to_lsp_.front());
      to_lsp_.pop_front();
      take(false, lsp([&] { return must(lsp_msg(m)); }));
      return true;
    }
    if (!to_client_.empty()) {
      auto m = std::move(to_client_.front());
      to_client_.pop_front();
      take(true, must(client_msg(m)));
      return true;
    }
    for (size_t i = 0; i < ch.size(); ++i) {
      auto& c = ch[i];
      if (deliver(to_lsp_ch_, i, *c.lsp, to_client_ch_, true) || deliver(to_client_ch_, i, *c.client, to_lsp_ch_, false))
        return true;
      if (lsp([&] { return c.lsp->can_sign_commitment(); })) {
        to_client_ch_.emplace_back(i, lsp([&] { return must(c.lsp->sign_commitment()); }));
        return true;
      }
      if (c.client->can_sign_commitment()) {
        to_lsp_ch_.emplace_back(i, must(c.client->sign_commitment()));
        return true;
      }
    }
    bool moved = false;
    for (size_t i = 0; i < ch.size(); ++i) {
      for (const auto& e : lsp([&] { return ch[i].lsp->drain_events(); })) {
        moved = true;
        take(false, lsp([&] { return must(lsp_event(i, e)); }));
      }
      for (const auto& e : ch[i].client->drain_events()) {
        moved = true;
        take(true, must(client_event(i, e)));
      }
    }
    return moved;
  }
  // Delivers the first queued message for channel i to `to`, if any.
  bool deliver(std::deque<std::pair<size_t, channel::Message>>& q, size_t i, channel::Channel& to,
               std::deque<std::pair<size_t, channel::Message>>& back, bool to_lsp) {
    for (auto it = q.begin(); it != q.end(); ++it) {
      if (it->first != i) continue;
      auto m = std::move(it->second);
      q.erase(it);
      auto replies = to_lsp ? lsp([&] { return must(channel::deliver(to, m)); }) : must(channel::deliver(to, m));
      for (auto& r : replies) back.emplace_back(i, std::move(r));
      return true;
    }
    return false;
  }

  std::deque<migrate::Message> to_client_, to_lsp_;
  std::deque<std::pair<size_t, channel::Message>> to_client_ch_, to_lsp_ch_;
  std::set<btc::Txid> fed_;
};

}  // namespace ladder::bench::migrate_world
