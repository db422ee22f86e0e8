#include "departed_fixture.h"

#include "crypto/hash.h"
#include "factory/exit_planner.h"

namespace ladder::migrate::test {

using channel::test::Link;

void DepartedWorld::build(uint32_t clients, factory::FactoryParams params) {
  ladder::test::FactorySetup s;
  s.clients = clients;
  s.params = params;
  h.emplace(chain, wallet, s);
  h->run_ceremony();
  h->confirm_funding();
}

void DepartedWorld::open_channels() {
  for (uint32_t c = 0; c < h->setup.clients; ++c) {
    auto& tree = h->client_tree(c);
    channel::test::PairSetup s;
    s.binding = must(channel_binding(tree, c));
    s.capacity = s.binding->value;
    s.client_balance = h->setup.client_balance;
    s.lsp_key = h->lsp_key;
    s.client_key = h->client_keys[c];
    s.deadlines = {h->terms.heights.timeout, h->terms.heights.x};
    s.height = height();
    s.params.to_self_delay = h->setup.params.to_self_delay;
    channels.insert_or_assign(c, channel::test::open_pair(s));
  }
}

DepartedKeys DepartedWorld::depart(uint32_t c) {
  auto& p = channels.at(c);
  Link link(p.lsp, p.client);
  const Bytes32 pre = channel::test::random32();
  const btc::Amount balance = p.client.latest_spec().to_holder;
  auto add = must(p.client.add_htlc(balance, crypto::sha256(pre), height() + h->terms.heights.x + 5));
  link.to_a(add);
  link.run();
  link.to_b(must(p.lsp.settle(add.lock.id, pre)));
  link.run();
  EXPECT_EQ(p.client.latest_spec().to_holder, 0);
  departed.insert(c);
  must(vault.put(h->terms.factory_id, h->client_keys[c]));
  return keys();
}

DepartedKeys DepartedWorld::keys() { return must(vault.departed_keys(h->lsp_tree())); }

void DepartedWorld::rebind(channel::test::Pair& p, const channel::Binding& b, int withhold) {
  auto stfu = must(p.lsp.request_quiescence());
  auto answer = must(p.client.on_stfu(stfu));
  ASSERT_FALSE(must(p.lsp.on_stfu(*answer)).has_value());
  auto propose = must(p.lsp.propose_rebind(b));
  if (withhold <= 1) return;
  auto signed_msg = must(p.client.on_rebind_propose(propose));
  if (withhold <= 2) return;
  auto complete = must(p.lsp.on_rebind_signed(signed_msg));
  if (withhold <= 3) return;
  must(p.client.on_rebind_complete(complete));
}

factory::UpdateProposal DepartedWorld::reallocate(uint32_t leaf, uint64_t update_id) {
  auto& guard = *h->guards.back();
  auto& store = *h->stores.back();
  auto r = must(Reallocation::start(lsp_tree(), keys(), h->lsp_key, update_id, leaf, guard, store, nothing_seen()));
  std::map<uint32_t, factory::UpdateSigner> signers;
  std::map<uint32_t, ReallocationReview> reviews;
  for (uint32_t c : r.present()) {
    reviews.emplace(c, must(review_reallocation(h->client_tree(c), r.proposal(), c)));
    signers.emplace(c, factory::UpdateSigner(h->client_keys[c], c, *h->guards[c], *h->stores[c]));
    must(r.on_nonces(c, must(signers.at(c).on_proposal(h->client_tree(c), r.proposal(), reviews.at(c).expect,
                                                       nothing_seen()))));
  }
  for (uint32_t c : r.present())
    must(r.on_descendant_partials(c, must(signers.at(c).on_aggnonces(must(r.aggnonces_for(c))))));
  std::vector<ExpectedRebind> lsp_side;
  for (const auto& [c, b] : r.rebinds()) {
    EXPECT_EQ(b, reviews.at(c).new_binding);
    rebind(channels.at(c), b);
    lsp_side.push_back({&channels.at(c).lsp, b});
  }
  must(r.sign_top(require_rebound(lsp_side)));
  for (uint32_t c : r.present()) {
    std::vector<ExpectedRebind> mine;
    if (channels.count(c) && reviews.at(c).new_binding.value > 0)
      mine.push_back({&channels.at(c).client, reviews.at(c).new_binding});
    must(r.on_top_partial(c, must(signers.at(c).on_descendant_signatures(must(r.descendant_signatures_for(c)),
                                                                         require_rebound(mine)))));
  }
  auto top = must(r.finish());
  for (uint32_t c : r.present()) {
    must(signers.at(c).on_top_signature(top));
    h->client_tree(c) = signers.at(c).updated();
  }
  lsp_tree() = r.updated();
  for (const auto& [c, b] : r.rebinds()) {
    auto& p = channels.at(c);
    must(p.lsp.activate_rebind());
    must(p.client.activate_rebind());
    must(p.lsp.resume());
    must(p.client.resume());
  }
  return r.proposal();
}

void DepartedWorld::sale(uint32_t leaf, btc::Amount amount) {
  std::vector<btc::Amount> caps;
  const auto& n = lsp_tree().shape().node(leaf);
  for (uint32_t c = n.first_client; c < n.first_client + n.client_count; ++c) caps.push_back(lsp_tree().capacity(c));
  caps[0] += amount;
  h->run_update(h->leaf_update(leaf, caps));
}

btc::Amount Ledger::total() const {
  btc::Amount sum = fees;
  for (const auto& kv : by_owner) sum += kv.second;
  return sum;
}

namespace {
btc::TxOut prevout_of(const chain::EmbeddedChain& chain, const std::map<btc::Txid, const btc::Transaction*>& created,
                      const btc::OutPoint& op) {
  auto it = created.find(op.txid);
  if (it != created.end()) return it->second->vout.at(op.n);
  auto loc = chain.find_tx(op.txid);
  if (!loc) throw std::runtime_error("unknown prevout " + op.to_string());
  return loc->tx->vout.at(op.n);
}
}  // namespace

btc::Amount put_in(const chain::EmbeddedChain& chain, const std::vector<btc::Transaction>& txs) {
  std::map<btc::Txid, const btc::Transaction*> created;
  for (const auto& tx : txs) created[tx.txid()] = &tx;
  btc::Amount sum = 0;
  for (const auto& tx : txs)
    for (const auto& in : tx.vin)
      if (!created.count(in.prevout.txid)) sum += prevout_of(chain, created, in.prevout).value;
  return sum;
}

Ledger account(const chain::EmbeddedChain& chain, const std::vector<btc::Transaction>& txs,
               const std::function<std::string(const btc::TxOut&)>& owner) {
  std::map<btc::Txid, const btc::Transaction*> created;
  std::set<btc::OutPoint> spent;
  for (const auto& tx : txs) {
    created[tx.txid()] = &tx;
    for (const auto& in : tx.vin) spent.insert(in.prevout);
  }
  Ledger l;
  for (const auto& tx : txs) {
    btc::Amount in = 0;
    for (const auto& i : tx.vin) in += prevout_of(chain, created, i.prevout).value;
    l.fees += in - tx.total_out();
    for (uint32_t v = 0; v < tx.vout.size(); ++v)
      if (!spent.count({tx.txid(), v})) l.by_owner[owner(tx.vout[v])] += tx.vout[v].value;
  }
  return l;
}

}  // namespace ladder::migrate::test
