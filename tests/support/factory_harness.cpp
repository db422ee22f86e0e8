#include "support/factory_harness.h"

#include <stdexcept>

#include "factory/tree.h"

namespace ladder::test {

namespace {
template <class T>
T must(Expected<T> r, const std::string& step) {
  if (!r) throw std::runtime_error(step + ": " + r.error().to_string());
  return std::move(r).value();
}
void must(Status s, const std::string& step) {
  if (!s) throw std::runtime_error(step + ": " + s.error().to_string());
}
}  // namespace

FactoryHarness::FactoryHarness(chain::EmbeddedChain& chain, TestWallet& wallet, FactorySetup s)
    : lsp_key(crypto::SecretKey::generate()), setup(s), chain_(chain), wallet_(wallet) {
  terms.factory_id = s.factory_id;
  terms.params = s.params;
  terms.lsp_key = lsp_key.pubkey().bytes();
  for (uint32_t i = 0; i < s.clients; ++i) {
    client_keys.push_back(crypto::SecretKey::generate());
    terms.clients.push_back({client_keys.back().pubkey().bytes(), s.client_balance, s.lsp_balance});
  }
  auto shape = must(factory::Shape::build(s.clients, s.params), "shape");
  terms.lstock.assign(shape.leaves().size(), s.lstock);
  terms.heights = factory::compute_heights(s.params, shape.levels(), static_cast<uint32_t>(chain.height() + 1));
  // The funding output's script and value do not depend on the outpoint.
  auto draft = must(factory::Tree::create(terms), "draft tree");
  auto key = must(draft.funding_key(), "funding key");
  funding_tx = wallet.fund({{draft.funding_value(), key->script}});
  terms.funding = {funding_tx.txid(), 0};
  for (uint32_t i = 0; i <= s.clients; ++i) {
    stores.push_back(std::make_unique<factory::MemoryGuardStore>());
    guards.push_back(std::make_unique<factory::GuardTable>());
  }
}

factory::ClientExpectations FactoryHarness::expectations(uint32_t client) const {
  factory::ClientExpectations e;
  e.params = setup.params;
  e.client_balance = terms.clients.at(client).client_balance;
  e.lsp_balance = terms.clients.at(client).lsp_balance;
  return e;
}

void FactoryHarness::run_ceremony() {
  factory::Proposal proposal{terms, 0};
  coordinator.emplace(must(factory::Coordinator::create(proposal), "coordinator"));
  signers.clear();
  for (uint32_t c = 0; c < setup.clients; ++c)
    signers.push_back(factory::Signer::client(client_keys[c], expectations(c), *guards[c], *stores[c]));
  lsp_signer.emplace(factory::Signer::lsp(lsp_key, *guards.back(), *stores.back()));

  for (uint32_t c = 0; c < setup.clients; ++c)
    must(coordinator->on_nonces(c, must(signers[c].on_proposal(proposal), "client nonces")), "collect nonces");
  must(coordinator->on_nonces(factory::kLsp, must(lsp_signer->on_proposal(proposal), "lsp nonces")), "collect nonces");
  for (uint32_t c = 0; c < setup.clients; ++c)
    must(coordinator->on_partials(c, must(signers[c].on_aggnonces(must(coordinator->aggnonces_for(c), "agg")), "sign")),
         "collect partials");
  must(coordinator->on_partials(
           factory::kLsp,
           must(lsp_signer->on_aggnonces(must(coordinator->aggnonces_for(factory::kLsp), "agg")), "lsp sign")),
       "collect partials");
  must(coordinator->finalize(), "finalize");
  for (uint32_t c = 0; c < setup.clients; ++c)
    must(coordinator->on_ack(c, must(signers[c].on_signatures(must(coordinator->signatures_for(c), "sigs")), "verify")),
         "ack");
  must(coordinator->on_ack(factory::kLsp, must(lsp_signer->on_signatures(must(coordinator->signatures_for(factory::kLsp),
                                                                               "sigs")),
                                                "lsp verify")),
       "ack");
  if (!coordinator->all_acked()) throw std::runtime_error("not every participant acked");
  lsp_tree_.emplace(coordinator->tree());
  client_trees_.clear();
  for (auto& s : signers) client_trees_.push_back(s.tree());
}

factory::UpdateProposal FactoryHarness::leaf_update(uint32_t leaf, std::vector<btc::Amount> caps, bool departure) {
  return must(factory::propose_leaf_update(lsp_tree(), next_update_id_++, leaf, std::move(caps), departure), "propose");
}

void FactoryHarness::run_update(const factory::UpdateProposal& update) {
  auto seen_fn = [this](const btc::Txid& id) { return seen.count(id) > 0; };
  auto coord = must(factory::UpdateCoordinator::create(lsp_tree(), update), "update coordinator");
  auto next = must(factory::apply_update(lsp_tree(), update), "apply");
  std::vector<uint32_t> who = coord.participants();
  std::vector<factory::UpdateSigner> us;
  for (uint32_t w : who) {
    if (w == factory::kLsp) us.emplace_back(lsp_key, std::nullopt, *guards.back(), *stores.back());
    else us.emplace_back(client_keys[w], w, *guards[w], *stores[w]);
  }
  for (size_t i = 0; i < who.size(); ++i) {
    const factory::Tree& current = who[i] == factory::kLsp ? lsp_tree() : client_tree(who[i]);
    factory::UpdateExpectations e;
    if (who[i] != factory::kLsp) e.own_capacity = next.capacity(who[i]);
    must(coord.on_nonces(who[i], must(us[i].on_proposal(current, update, e, seen_fn), "update nonces")), "collect");
  }
  for (size_t i = 0; i < who.size(); ++i)
    must(coord.on_descendant_partials(who[i], must(us[i].on_aggnonces(must(coord.aggnonces_for(who[i]), "agg")),
                                                   "descendant partials")),
         "collect");
  must(coord.finalize_descendants(), "finalize descendants");
  for (size_t i = 0; i < who.size(); ++i)
    must(coord.on_top_partial(who[i], must(us[i].on_descendant_signatures(
                                              must(coord.descendant_signatures_for(who[i]), "sigs"), nullptr),
                                          "top partial")),
         "collect top");
  must(coord.finalize_top(), "finalize top");
  auto top = must(coord.top_signature(), "top sig");
  for (size_t i = 0; i < who.size(); ++i) {
    must(us[i].on_top_signature(top), "accept top");
    if (who[i] == factory::kLsp) lsp_tree_.emplace(us[i].updated());
    else client_trees_[who[i]] = us[i].updated();
  }
}

void FactoryHarness::confirm_funding() { wallet_.confirm(funding_tx); }

}  // namespace ladder::test

#include "factory/exit_planner.h"

namespace ladder::test {

std::optional<uint32_t> confirmed_height(const chain::EmbeddedChain& chain, const btc::Txid& txid) {
  auto loc = chain.find_tx(txid);
  if (!loc || loc->height < 0) return std::nullopt;
  return static_cast<uint32_t>(loc->height);
}

std::vector<btc::Transaction> execute_to_node(chain::EmbeddedChain& chain, TestWallet& wallet, factory::Tree& tree,
                                              uint32_t node) {
  std::vector<btc::Transaction> sent;
  auto conf = [&](const btc::Txid& id) { return confirmed_height(chain, id); };
  for (int guard = 0; guard < 10'000; ++guard) {
    auto plan = must(factory::plan_to_node(tree, node, static_cast<uint32_t>(chain.height()), conf), "plan exit");
    if (plan.empty()) return sent;
    const auto& step = plan.front();
    if (static_cast<uint32_t>(chain.height()) + 1 < step.valid_at) {
      wallet.mine_empty(static_cast<int>(step.valid_at - chain.height() - 1));
      continue;
    }
    auto r = chain.submit(step.tx);
    if (!r) throw std::runtime_error("exit step " + step.key.to_string() + " rejected: " + r.error().to_string());
    sent.push_back(step.tx);
    wallet.mine_empty(1);
  }
  throw std::runtime_error("exit did not finish");
}

std::vector<btc::Transaction> execute_exit(chain::EmbeddedChain& chain, TestWallet& wallet, factory::Tree& tree,
                                           uint32_t client) {
  return execute_to_node(chain, wallet, tree, tree.shape().leaf_of(client));
}

}  // namespace ladder::test
