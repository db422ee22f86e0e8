#include "crypto/musig_keyagg.h"

#include <algorithm>

#include "crypto/hash.h"

namespace ladder::crypto::musig {

std::vector<PubKey> key_sort(std::span<const PubKey> pubkeys) {
  std::vector<PubKey> out(pubkeys.begin(), pubkeys.end());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Bytes33> key_sort(std::span<const Bytes33> pubkeys) {
  std::vector<Bytes33> out(pubkeys.begin(), pubkeys.end());
  std::sort(out.begin(), out.end());
  return out;
}

Expected<std::vector<PubKey>> parse_pubkeys(std::span<const Bytes33> pubkeys) {
  std::vector<PubKey> out;
  out.reserve(pubkeys.size());
  for (size_t i = 0; i < pubkeys.size(); ++i) {
    auto p = PubKey::parse(pubkeys[i]);
    if (!p) return make_culprit_error(kInvalidContribution, static_cast<int>(i), "pubkey", p.error().message);
    out.push_back(*p);
  }
  return out;
}

Expected<KeyAggContext> KeyAggContext::create(std::span<const Bytes33> pubkeys) {
  LADDER_ASSIGN(auto keys, parse_pubkeys(pubkeys));
  return create(keys);
}

Expected<KeyAggContext> KeyAggContext::create(std::span<const PubKey> pubkeys) {
  if (pubkeys.empty()) return make_error("musig.no-keys", "key aggregation needs at least one public key");
  static const Sha256 kListTag = Sha256::tagged("KeyAgg list");
  static const Sha256 kCoefTag = Sha256::tagged("KeyAgg coefficient");

  auto signers = std::make_shared<Signers>();
  signers->pubkeys.assign(pubkeys.begin(), pubkeys.end());
  signers->coefficients.reserve(pubkeys.size());

  Sha256 list = kListTag;  // HashKeys
  for (const auto& pk : pubkeys) list.write(pk.bytes());
  Bytes32 l = list.finalize();
  Sha256 coef_prefix = kCoefTag;
  coef_prefix.write(l);

  // GetSecondKey: the first key different from the first one.
  const PubKey* second = nullptr;
  for (const auto& pk : pubkeys)
    if (pk != pubkeys[0]) {
      second = &pk;
      break;
    }

  std::vector<PubKey> terms;  // a_i·P_i
  terms.reserve(pubkeys.size());
  for (const auto& pk : pubkeys) {
    if (second && pk == *second) {
      signers->coefficients.push_back(Scalar::one());
      terms.push_back(pk);
      continue;
    }
    Sha256 h = coef_prefix;
    Scalar a = Scalar::reduce(h.write(pk.bytes()).finalize());
    signers->coefficients.push_back(a);
    if (auto t = point_mul(pk, a)) terms.push_back(*t);  // a = 0 adds nothing
  }
  std::vector<const secp256k1_pubkey*> ptrs;
  ptrs.reserve(terms.size());
  for (const auto& t : terms) ptrs.push_back(&t.raw());
  auto q = point_sum(ptrs);
  if (!q) return make_error("musig.aggregate-infinity", "the aggregate public key is the point at infinity");

  signers->sorted_index.reserve(pubkeys.size());
  for (size_t i = 0; i < pubkeys.size(); ++i) signers->sorted_index.emplace_back(pubkeys[i].bytes(), static_cast<uint32_t>(i));
  std::sort(signers->sorted_index.begin(), signers->sorted_index.end());  // ties: lowest index first
  return KeyAggContext(std::move(signers), *q, false, Scalar());
}

std::optional<size_t> KeyAggContext::index_of(const PubKey& pubkey) const {
  const auto& idx = keys_->sorted_index;
  auto it = std::lower_bound(idx.begin(), idx.end(), std::make_pair(pubkey.bytes(), uint32_t{0}));
  if (it == idx.end() || it->first != pubkey.bytes()) return std::nullopt;
  return it->second;
}

Expected<KeyAggContext> KeyAggContext::apply_tweak(const Tweak& tweak) const {
  bool negate = tweak.is_xonly && !q_.has_even_y();
  auto t = Scalar::parse(tweak.tweak);
  if (!t) return make_error("musig.tweak-out-of-range", "The tweak must be less than n.");
  auto q = point_add_generator_mul(negate ? q_.negated() : q_, *t);
  if (!q) return make_error("musig.tweak-infinity", "The result of tweaking cannot be infinity.");
  Scalar tacc = *t + (negate ? -tacc_ : tacc_);
  return KeyAggContext(keys_, *q, gacc_negated_ != negate, tacc);
}

Expected<KeyAggContext> KeyAggContext::apply_tweaks(std::span<const Tweak> tweaks) const {
  KeyAggContext ctx = *this;
  for (const auto& t : tweaks) {
    LADDER_ASSIGN(ctx, ctx.apply_tweak(t));
  }
  return ctx;
}

}  // namespace ladder::crypto::musig
