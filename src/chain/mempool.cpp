#include "chain/mempool.h"

#include "chain/policy.h"

#include <algorithm>
#include <stdexcept>

namespace ladder::chain {

const MempoolEntry* Mempool::find(const btc::Txid& txid) const {
  auto it = entries_.find(txid);
  return it == entries_.end() ? nullptr : &it->second;
}

const btc::Txid* Mempool::spender(const btc::OutPoint& op) const {
  auto it = spenders_.find(op);
  return it == spenders_.end() ? nullptr : &it->second;
}

const btc::TxOut* Mempool::output(const btc::OutPoint& op) const {
  const MempoolEntry* e = find(op.txid);
  if (!e || op.n >= e->tx->vout.size()) return nullptr;
  return &e->tx->vout[op.n];
}

void Mempool::add(MempoolEntry e) {
  const btc::Txid txid = e.facts.txid;
  if (entries_.count(txid)) throw std::logic_error("Mempool::add: duplicate tx");
  for (const auto& in : e.tx->vin) {
    if (spenders_.count(in.prevout)) throw std::logic_error("Mempool::add: input already spent in the mempool");
  }
  e.parents.clear();
  e.children.clear();
  for (const auto& in : e.tx->vin) {
    spenders_.emplace(in.prevout, txid);
    auto p = entries_.find(in.prevout.txid);
    if (p != entries_.end()) {
      e.parents.insert(in.prevout.txid);
      p->second.children.insert(txid);
    }
  }
  e.sequence = next_sequence_++;
  total_vsize_ += e.facts.vsize;
  total_fee_ += e.fee;
  entries_.emplace(txid, std::move(e));
}

void Mempool::erase(const btc::Txid& txid) {
  auto it = entries_.find(txid);
  if (it == entries_.end()) return;
  const MempoolEntry& e = it->second;
  for (const auto& in : e.tx->vin) spenders_.erase(in.prevout);
  for (const auto& p : e.parents) {
    auto pit = entries_.find(p);
    if (pit != entries_.end()) pit->second.children.erase(txid);
  }
  for (const auto& c : e.children) {
    auto cit = entries_.find(c);
    if (cit != entries_.end()) cit->second.parents.erase(txid);
  }
  total_vsize_ -= e.facts.vsize;
  total_fee_ -= e.fee;
  entries_.erase(it);
}

std::vector<btc::Txid> Mempool::remove_with_descendants(const btc::Txid& txid) {
  if (!entries_.count(txid)) return {};
  std::set<btc::Txid> all = descendants(txid);
  all.insert(txid);
  std::vector<const MempoolEntry*> ordered;
  for (const auto& t : all) ordered.push_back(&entries_.at(t));
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->sequence < b->sequence; });
  std::vector<btc::Txid> removed;
  for (auto* e : ordered) removed.push_back(e->facts.txid);
  for (const auto& t : removed) erase(t);
  return removed;
}

void Mempool::remove_mined(const btc::Txid& txid) { erase(txid); }

void Mempool::clear() {
  entries_.clear();
  spenders_.clear();
  total_vsize_ = 0;
  total_fee_ = 0;
}

std::set<btc::Txid> Mempool::ancestors_of(const std::set<btc::Txid>& parents) const {
  std::set<btc::Txid> out;
  std::vector<btc::Txid> todo(parents.begin(), parents.end());
  while (!todo.empty()) {
    btc::Txid t = todo.back();
    todo.pop_back();
    if (!out.insert(t).second) continue;
    if (const MempoolEntry* e = find(t))
      for (const auto& p : e->parents) todo.push_back(p);
  }
  return out;
}

std::set<btc::Txid> Mempool::descendants(const btc::Txid& txid) const {
  std::set<btc::Txid> out;
  std::vector<btc::Txid> todo;
  if (const MempoolEntry* e = find(txid)) todo.assign(e->children.begin(), e->children.end());
  while (!todo.empty()) {
    btc::Txid t = todo.back();
    todo.pop_back();
    if (!out.insert(t).second) continue;
    if (const MempoolEntry* e = find(t))
      for (const auto& c : e->children) todo.push_back(c);
  }
  return out;
}

std::vector<const MempoolEntry*> Mempool::in_arrival_order() const {
  std::vector<const MempoolEntry*> v;
  v.reserve(entries_.size());
  for (const auto& [_, e] : entries_) v.push_back(&e);
  std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->sequence < b->sequence; });
  return v;
}

std::vector<const MempoolEntry*> Mempool::select_for_block(int64_t max_weight) const {
  struct Score {
    const MempoolEntry* e;
    btc::Amount fee;
    int64_t vsize;
  };
  // Ancestor-package fee rate of every entry, computed in arrival order
  // (parents first) when the entry has no ancestors, else by walking them.
  std::vector<Score> scores;
  scores.reserve(entries_.size());
  for (const auto& [txid, e] : entries_) {
    btc::Amount fee = e.fee;
    int64_t vsize = e.facts.vsize;
    if (!e.parents.empty()) {
      for (const auto& a : ancestors_of(e.parents)) {
        const MempoolEntry& ae = entries_.at(a);
        fee += ae.fee;
        vsize += ae.facts.vsize;
      }
    }
    scores.push_back({&e, fee, vsize});
  }
  std::sort(scores.begin(), scores.end(), [](const Score& a, const Score& b) {
    // a.fee/a.vsize > b.fee/b.vsize, ties by arrival.
    if (fee_rate_greater(a.fee, a.vsize, b.fee, b.vsize)) return true;
    if (fee_rate_greater(b.fee, b.vsize, a.fee, a.vsize)) return false;
    return a.e->sequence < b.e->sequence;
  });
  // Only an entry with children can be taken before its own turn (as an
  // ancestor of a better package), so only those are remembered as chosen.
  std::unordered_set<btc::Txid, TxidHasher> chosen;
  std::vector<const MempoolEntry*> out;
  out.reserve(scores.size());
  int64_t weight = 0;
  std::vector<const MempoolEntry*> package;
  for (const auto& s : scores) {
    if (!s.e->children.empty() && chosen.count(s.e->facts.txid)) continue;
    package.clear();
    if (!s.e->parents.empty()) {
      for (const auto& a : ancestors_of(s.e->parents))
        if (!chosen.count(a)) package.push_back(&entries_.at(a));
    }
    package.push_back(s.e);
    std::sort(package.begin(), package.end(), [](auto* a, auto* b) { return a->sequence < b->sequence; });
    int64_t w = 0;
    for (auto* p : package) w += p->facts.weight;
    if (weight + w > max_weight) continue;
    weight += w;
    for (auto* p : package) {
      if (!p->children.empty()) chosen.insert(p->facts.txid);
      out.push_back(p);
    }
  }
  return out;
}

}  // namespace ladder::chain
