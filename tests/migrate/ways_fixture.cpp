#include "ways_fixture.h"

#include <stdexcept>

#include "channel/dispatch.h"

namespace ladder::migrate::test {

namespace {

channel::test::Pair open_on_leaf(ladder::test::FactoryHarness& h, btc::Amount client_balance, uint32_t height) {
  auto& tree = h.client_tree(0);
  const auto op = must(tree.leaf_outpoint(tree.shape().leaf_of(0), tree.shape().slot_in_leaf(0)), "leaf outpoint");
  const btc::Amount capacity = tree.capacity(0);
  channel::test::PairSetup s;
  s.capacity = capacity;
  s.client_balance = client_balance;
  s.binding = channel::Binding{op, capacity};
  s.lsp_key = h.lsp_key;
  s.client_key = h.client_keys[0];
  s.deadlines = {h.terms.heights.timeout, h.terms.heights.x};
  s.height = height;
  s.params.to_self_delay = h.setup.params.to_self_delay;
  return channel::test::open_pair(s);
}

}  // namespace

World::World(WorldSetup setup) : lsp_script(ladder::test::p2tr_of(lsp_wallet.pubkey())) {
  wallet.mine_coins(5);
  auto fund = wallet.fund({{1'000'000, lsp_script}, {1'000'000, lsp_script}, {1'000'000, lsp_script}});
  wallet.confirm(fund);
  for (uint32_t i = 0; i < 3; ++i) lsp_coins.push_back({{fund.txid(), i}, fund.vout[i]});
  ladder::test::FactorySetup fs;
  fs.clients = setup.clients;
  fs.client_balance = setup.client_balance;
  fs.lsp_balance = setup.lsp_balance;
  fs.factory_id = 1;
  old_factory = std::make_unique<ladder::test::FactoryHarness>(chain, wallet, fs);
  old_factory->run_ceremony();
  old_factory->confirm_funding();
  old_pair.emplace(open_on_leaf(*old_factory, setup.client_balance, tip()));
  if (setup.new_factory) {
    fs.factory_id = 2;
    fs.client_balance = 0;
    fs.lsp_balance = 300'000;
    new_factory = std::make_unique<ladder::test::FactoryHarness>(chain, wallet, fs);
    new_factory->run_ceremony();
    new_factory->confirm_funding();
    new_pair.emplace(open_on_leaf(*new_factory, 0, tip()));
  }
}

LegContext World::old_legs() const {
  LegContext c;
  const auto& t = old_factory->terms;
  c.old_timeout = t.heights.timeout;
  c.x_old = t.heights.x;
  c.cutoff = t.params.reveal_cutoff;
  c.max_depth = t.params.max_client_depth;
  c.depth = 1;
  return c;
}

LegContext World::new_legs() const {
  LegContext c = old_legs();
  c.x_new = new_factory->terms.heights.x;
  c.new_timeout = new_factory->terms.heights.timeout;
  return c;
}

btc::Transaction World::sign_lsp(btc::Transaction tx, const std::vector<BatchInput>& inputs) const {
  std::vector<btc::TxOut> spent;
  for (const auto& i : inputs) spent.push_back(i.spent);
  for (size_t i = 0; i < tx.vin.size(); ++i) ladder::test::TestWallet::sign_keypath(tx, i, spent, lsp_wallet);
  return tx;
}

Batch World::frozen_batch(uint64_t id, const std::vector<BatchOutput>& outputs) {
  Batch b(id, tip() + 1, 2000, lsp_script);
  must(b.add_input(lsp_coins.at(id % lsp_coins.size())), "batch input");
  for (const auto& o : outputs) must(b.add_output(o), "batch output");
  must(b.freeze(), "freeze");
  return b;
}

btc::Transaction World::broadcast_batch(Batch& batch) {
  must(batch.set_signed(sign_lsp(batch.unsigned_tx(), batch.inputs())), "sign batch");
  return must(batch.broadcast(), "broadcast batch");
}

Host::Host(World& world) : world_(world), client_synced_(world.tip()) {
  links_.push_back({&world.old_pair->client, &world.old_pair->lsp, {}, {}});
  if (world.new_pair) links_.push_back({&world.new_pair->client, &world.new_pair->lsp, {}, {}});
}

Host::LinkQ& Host::link_of(const channel::ChannelId& id) {
  for (auto& l : links_)
    if (l.client->id() == id) return l;
  throw std::runtime_error("no such channel");
}

void Host::send(bool from_client, FlowOutput out) {
  for (auto& m : out.to_peer) (from_client ? to_lsp_ : to_client_).push_back(std::move(m));
  for (auto& cs : out.channel) {
    auto& l = link_of(cs.channel);
    (from_client ? l.to_lsp : l.to_client).push_back(std::move(cs.message));
  }
  for (const auto& e : out.events) (from_client ? client_events : lsp_events).push_back(e);
  for (const auto& tx : out.broadcast) {
    if (!world_.chain.submit(tx)) continue;  // already there, not final yet, or conflicting: the flow retries
    accepted.push_back(tx);
    feed(tx, std::nullopt);
  }
}

void Host::feed(const btc::Transaction& tx, std::optional<uint32_t> height) {
  if (lsp.tx) send(false, lsp.tx(tx, height));
  if (client_online && client.tx) send(true, client.tx(tx, height));
}

bool Host::step() {
  auto deliver_msg = [&](std::deque<Message>& q, Side& side, std::vector<Error>& errors, bool to_client) {
    Message m = std::move(q.front());
    q.pop_front();
    if (!side.message) return;
    auto r = side.message(m);
    if (r) send(to_client, std::move(*r));
    else errors.push_back(r.error());
  };
  if (!to_lsp_.empty()) {
    deliver_msg(to_lsp_, lsp, lsp_errors, false);
    return true;
  }
  if (client_online && !to_client_.empty()) {
    deliver_msg(to_client_, client, client_errors, true);
    return true;
  }
  for (auto& l : links_) {
    if (!l.to_lsp.empty()) {
      auto m = std::move(l.to_lsp.front());
      l.to_lsp.pop_front();
      for (auto& r : must(channel::deliver(*l.lsp, m), "L's channel")) l.to_client.push_back(std::move(r));
      return true;
    }
    if (client_online && !l.to_client.empty()) {
      auto m = std::move(l.to_client.front());
      l.to_client.pop_front();
      for (auto& r : must(channel::deliver(*l.client, m), "client's channel")) l.to_lsp.push_back(std::move(r));
      return true;
    }
    if (l.lsp->can_sign_commitment()) {
      l.to_client.push_back(must(l.lsp->sign_commitment(), "L signs"));
      return true;
    }
    if (client_online && l.client->can_sign_commitment()) {
      l.to_lsp.push_back(must(l.client->sign_commitment(), "client signs"));
      return true;
    }
  }
  bool moved = false;
  for (size_t i = 0; i < links_.size(); ++i) {
    for (const auto& e : links_[i].lsp->drain_events()) {
      moved = true;
      if (!lsp.channel_event) continue;
      auto r = lsp.channel_event(i, e);
      if (r) send(false, std::move(*r));
      else lsp_errors.push_back(r.error());
    }
    if (!client_online) continue;
    for (const auto& e : links_[i].client->drain_events()) {
      moved = true;
      if (!client.channel_event) continue;
      auto r = client.channel_event(i, e);
      if (r) send(true, std::move(*r));
      else client_errors.push_back(r.error());
    }
  }
  return moved;
}

void Host::run() {
  for (int guard = 0; guard < 100'000; ++guard)
    if (!step()) return;
  throw std::runtime_error("host did not settle");
}

void Host::tick() {
  const uint32_t h = world_.tip();
  if (client_online && client.tx)
    for (uint32_t missed = client_synced_ + 1; client_synced_ != 0 && missed < h; ++missed) {
      const auto* block = world_.chain.at_height(static_cast<int>(missed));
      for (size_t t = 1; t < block->block->txs.size(); ++t) send(true, client.tx(block->block->txs[t], missed));
    }
  if (client_online) client_synced_ = h;
  for (auto& l : links_) {
    l.lsp->set_height(h);
    if (client_online) l.client->set_height(h);
  }
  // Twice: a flow that asked for something this block (quiescence) acts on
  // the answer in the same block.
  for (int round = 0; round < 2; ++round) {
    if (lsp.tip) send(false, lsp.tip(h));
    if (client_online && client.tip) send(true, client.tip(h));
    run();
  }
}

void Host::mine(int n) {
  for (int i = 0; i < n; ++i) {
    world_.wallet.mine_empty(1);
    const auto* block = world_.chain.at_height(world_.chain.height());
    for (size_t t = 1; t < block->block->txs.size(); ++t) feed(block->block->txs[t], world_.tip());
    tick();
  }
}

void Host::disconnect(int depth) {
  std::vector<btc::Txid> gone;
  for (int d = 0; d < depth; ++d) {
    const auto* block = world_.chain.at_height(world_.chain.height() - d);
    for (size_t t = 1; t < block->block->txs.size(); ++t) gone.push_back(block->block->txs[t].txid());
  }
  must(world_.chain.invalidate(depth), "invalidate");
  for (const auto& txid : gone) {
    if (lsp.unconfirmed) send(false, lsp.unconfirmed(txid));
    if (client_online && client.unconfirmed) send(true, client.unconfirmed(txid));
  }
  tick();
}

bool Host::client_saw(FlowEventKind k) const {
  for (const auto& e : client_events)
    if (e.kind == k) return true;
  return false;
}

bool Host::lsp_saw(FlowEventKind k) const {
  for (const auto& e : lsp_events)
    if (e.kind == k) return true;
  return false;
}

btc::Amount channel_total(const channel::Channel& ch) {
  const auto& s = ch.latest_spec();
  btc::Amount t = s.to_holder + s.to_counterparty;
  for (const auto& l : s.locks) t += l.lock.amount;
  return t;
}

}  // namespace ladder::migrate::test
