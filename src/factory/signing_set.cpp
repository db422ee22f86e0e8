#include "factory/signing_set.h"

#include <algorithm>
#include <numeric>

#include "factory/crypto_cache.h"
#include "factory/tx_checks.h"

namespace ladder::factory {

namespace {
int blame(uint32_t who) { return who == kLsp ? -1 : static_cast<int>(who); }
}  // namespace

std::vector<uint32_t> all_positions(size_t n) {
  std::vector<uint32_t> v(n);
  std::iota(v.begin(), v.end(), 0u);
  return v;
}

GuardRecord guard_record(const SigningRef& t) {
  GuardRecord r;
  r.outpoint = t.prevout;
  r.sighash = t.sighash;
  switch (t.key.kind) {
    case TxKind::static_tx:
    case TxKind::kickoff: r.kind = GuardKind::spend; break;
    case TxKind::distribution: r.kind = GuardKind::distribution; break;
    case TxKind::state:
      r.kind = GuardKind::state;
      r.sequence = t.sequence;
      break;
  }
  return r;
}

// ---- SigningSet ----

Expected<SigningSet> SigningSet::create(Tree& tree, const std::vector<TxKey>& keys) {
  SigningSet s;
  s.keys_ = tree.layout().client_keys;
  s.keys_.push_back(tree.layout().lsp_key);
  s.txs_.reserve(keys.size());
  for (const auto& key : keys) {
    LADDER_ASSIGN(auto t, tree.target(key));
    TxState st;
    st.key = key;
    st.sighash = t.sighash;
    st.agg = t.agg;
    std::tie(st.first, st.count) = tree.signer_range(key);
    st.nonces.resize(st.count + 1);
    st.psigs.resize(st.count + 1);
    uint32_t index = static_cast<uint32_t>(s.txs_.size());
    for (uint32_t c = st.first; c < st.first + st.count; ++c) s.own_[c].push_back(index);
    s.own_[kLsp].push_back(index);
    s.txs_.push_back(std::move(st));
  }
  return s;
}

std::vector<uint32_t> SigningSet::participants() const {
  std::vector<uint32_t> out;
  for (const auto& [who, _] : own_)
    if (who != kLsp) out.push_back(who);
  std::sort(out.begin(), out.end());
  out.push_back(kLsp);
  return out;
}

const std::vector<uint32_t>& SigningSet::txs_of(uint32_t who) const {
  static const std::vector<uint32_t> none;
  auto it = own_.find(who);
  return it == own_.end() ? none : it->second;
}

size_t SigningSet::session_signer_total() const {
  size_t total = 0;
  for (const auto& t : txs_) total += t.count + 1;
  return total;
}

Status SigningSet::check_items(uint32_t who, size_t got, size_t want) const {
  if (!is_participant(who))
    return make_error("factory.unknown-participant", "participant " + std::to_string(who) + " does not sign this set");
  if (got != want)
    return make_culprit_error("factory.bad-batch", blame(who), "batch",
                              "expected " + std::to_string(want) + " items, got " + std::to_string(got));
  return ok();
}

Status SigningSet::add_nonces(uint32_t who, const std::vector<WireNonce>& nonces) {
  LADDER_TRY(check_items(who, nonces.size(), txs_of(who).size()));
  if (aggregated_) return make_culprit_error("factory.out-of-order", blame(who), "batch", "nonces after aggregation");
  std::vector<crypto::musig::PubNonce> parsed;
  parsed.reserve(nonces.size());
  for (const auto& b : nonces) {
    auto p = crypto::musig::PubNonce::parse_uncompressed(b, blame(who), "pubnonce");
    if (!p) return make_culprit_error("factory.bad-nonce", blame(who), "nonce", p.error().message);
    parsed.push_back(std::move(*p));
  }
  const auto& mine = txs_of(who);
  for (size_t i = 0; i < mine.size(); ++i) {
    TxState& t = txs_[mine[i]];
    t.nonces[position(t, who)] = std::move(parsed[i]);
  }
  nonces_in_[who] = true;
  return ok();
}

std::vector<uint32_t> SigningSet::missing_nonces() const {
  std::vector<uint32_t> out;
  for (uint32_t who : participants())
    if (!nonces_in_.count(who)) out.push_back(who);
  return out;
}

Expected<std::vector<Bytes66>> SigningSet::aggnonces_for(uint32_t who) {
  if (!missing_nonces().empty()) return make_error("factory.out-of-order", "not every nonce is in");
  if (!aggregated_) {
    std::vector<crypto::musig::PubNonce> all;
    for (auto& t : txs_) {
      all.clear();
      for (auto& n : t.nonces) all.push_back(*n);
      LADDER_ASSIGN(auto agg, crypto::musig::nonce_agg(all));
      t.aggnonce = std::move(agg);
      LADDER_ASSIGN(t.session, CryptoCache::shared().session(t.agg->tweaked, *t.aggnonce, t.sighash));
    }
    aggregated_ = true;
  }
  std::vector<Bytes66> out;
  for (uint32_t i : txs_of(who)) out.push_back(txs_[i].aggnonce->bytes());
  return out;
}

Status SigningSet::add_partials(uint32_t who, std::span<const uint32_t> positions, const std::vector<Bytes32>& psigs) {
  LADDER_TRY(check_items(who, psigs.size(), positions.size()));
  if (!aggregated_) return make_culprit_error("factory.out-of-order", blame(who), "batch", "partials before nonces");
  const auto& mine = txs_of(who);
  std::vector<crypto::musig::PartialSig> parsed;
  parsed.reserve(psigs.size());
  for (size_t i = 0; i < psigs.size(); ++i) {
    if (positions[i] >= mine.size()) return make_culprit_error("factory.bad-batch", blame(who), "batch", "no such tx");
    auto p = crypto::musig::PartialSig::parse(psigs[i], blame(who));
    if (!p) return make_culprit_error("factory.bad-partial", blame(who), "psig", p.error().message);
    parsed.push_back(*p);
  }
  for (size_t i = 0; i < parsed.size(); ++i) {
    TxState& t = txs_[mine[positions[i]]];
    t.psigs[position(t, who)] = parsed[i];
  }
  return ok();
}

std::vector<uint32_t> SigningSet::missing_partials(std::span<const uint32_t> tx_indices) const {
  std::vector<uint32_t> out;
  auto add = [&](uint32_t who) {
    if (std::find(out.begin(), out.end(), who) == out.end()) out.push_back(who);
  };
  for (uint32_t i : tx_indices) {
    const TxState& t = txs_[i];
    for (uint32_t pos = 0; pos <= t.count; ++pos)
      if (!t.psigs[pos]) add(pos == t.count ? kLsp : t.first + pos);
  }
  return out;
}

Status SigningSet::finalize(std::span<const uint32_t> tx_indices) {
  if (!missing_partials(tx_indices).empty()) return make_error("factory.out-of-order", "partial signatures missing");
  culprits_.clear();
  std::vector<crypto::musig::PartialSig> psigs;
  for (uint32_t i : tx_indices) {
    TxState& t = txs_[i];
    psigs.clear();
    for (auto& p : t.psigs) psigs.push_back(*p);
    const auto& session = t.session;
    auto sig = session->aggregate(psigs);
    if (sig && CryptoCache::shared().verify(*sig, t.sighash, t.agg->output_xonly)) {
      t.sig = *sig;
      continue;
    }
    // Name whoever signed wrongly.
    for (uint32_t pos = 0; pos <= t.count; ++pos) {
      uint32_t who = pos == t.count ? kLsp : t.first + pos;
      const crypto::PubKey& pk = who == kLsp ? keys_.back() : keys_[who];
      auto index = t.agg->tweaked.index_of(pk);
      if (!index || !session->verify(*t.psigs[pos], *t.nonces[pos], *index))
        if (std::find(culprits_.begin(), culprits_.end(), who) == culprits_.end()) culprits_.push_back(who);
    }
  }
  if (!culprits_.empty())
    return make_culprit_error("factory.bad-partial", blame(culprits_.front()), "psig",
                              std::to_string(culprits_.size()) + " participant(s) sent invalid partial signatures");
  return ok();
}

Expected<std::vector<Bytes64>> SigningSet::signatures_for(uint32_t who, std::span<const uint32_t> positions) const {
  const auto& mine = txs_of(who);
  std::vector<Bytes64> out;
  for (uint32_t p : positions) {
    if (p >= mine.size() || !txs_[mine[p]].sig) return make_error("factory.out-of-order", "signature not complete");
    out.push_back(txs_[mine[p]].sig->bytes());
  }
  return out;
}

// ---- SignerSession ----

Expected<SignerSession> SignerSession::start(Tree& tree, const crypto::SecretKey& key, const std::vector<TxKey>& keys) {
  SignerSession s;
  s.keys_ = keys;
  s.targets_.reserve(keys.size());
  s.secnonces_.reserve(keys.size());
  s.pubnonces_.reserve(keys.size());
  for (const auto& k : keys) {
    LADDER_ASSIGN(auto t, tree.target(k));
    LADDER_TRY(check_tree_tx(tree, t));
    crypto::musig::NonceGenOptions opts;
    opts.sk = &key;
    opts.aggpk = t.agg->output.output_key;
    opts.msg = ByteView(t.sighash);
    LADDER_ASSIGN(auto pair, crypto::musig::nonce_gen(key.pubkey(), opts));
    s.pubnonces_.push_back(pair.pubnonce.uncompressed_bytes());
    s.secnonces_.push_back(std::move(pair.secnonce));
    s.targets_.push_back(SigningRef::of(t));
  }
  return s;
}

Status SignerSession::set_aggnonces(const std::vector<Bytes66>& aggnonces) {
  if (aggnonces.size() != keys_.size())
    return make_error("factory.bad-batch", "expected " + std::to_string(keys_.size()) + " aggregate nonces");
  aggnonces_ = aggnonces;  // parsed when signing (a cached session needs no parse)
  return ok();
}

Expected<std::vector<Bytes32>> SignerSession::sign(std::span<const uint32_t> positions, const crypto::SecretKey& key,
                                                   GuardTable& guard, GuardStore& store) {
  if (aggnonces_.size() != keys_.size()) return make_error("factory.out-of-order", "no aggregate nonces yet");
  std::vector<GuardRecord> records;
  for (uint32_t p : positions) {
    if (p >= keys_.size()) return make_error("factory.bad-batch", "no such tx");
    records.push_back(guard_record(targets_[p]));
  }
  LADDER_TRY(guard.check_and_persist(records, store));
  std::vector<Bytes32> out;
  out.reserve(positions.size());
  for (uint32_t p : positions) {
    LADDER_ASSIGN(auto session, CryptoCache::shared().session(targets_[p].agg->tweaked, aggnonces_[p], targets_[p].sighash));
    LADDER_ASSIGN(auto psig, session->sign(std::move(secnonces_[p]), key, crypto::musig::Session::SelfCheck::skip));
    out.push_back(psig.bytes());
  }
  return out;
}

Status SignerSession::accept_signatures(Tree& tree, std::span<const uint32_t> positions,
                                        const std::vector<Bytes64>& sigs) const {
  if (sigs.size() != positions.size())
    return make_error("factory.bad-batch", "expected " + std::to_string(positions.size()) + " signatures");
  for (size_t i = 0; i < positions.size(); ++i) {
    if (positions[i] >= keys_.size()) return make_error("factory.bad-batch", "no such tx");
    LADDER_TRY(tree.add_signature(targets_[positions[i]], crypto::SchnorrSig(sigs[i])));
  }
  return ok();
}

}  // namespace ladder::factory
