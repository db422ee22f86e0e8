// Shared helpers of the Channel: keys, commitment building, PTLC adaptor
// signatures and the MuSig2 signing steps.
#include <algorithm>
#include <array>

#include "channel/channel_state.h"

namespace ladder::channel {

using crypto::musig::NoncePair;
using crypto::musig::PubNonce;

Error protocol_error(const std::string& code, const std::string& message) { return make_error(code, message); }

Expected<crypto::PubKey> own_point(const Fixed& fx, State& st, uint64_t number) {
  for (const auto& [n, point] : st.own_points)
    if (n == number) return point;
  LADDER_ASSIGN(auto point, fx.secrets.per_commitment_point(number));
  st.own_points.emplace_back(number, point);
  return point;
}

void forget_own_points(State& st) {
  const uint64_t latest = st.local->number;
  std::erase_if(st.own_points, [latest](const auto& e) { return e.first <= latest; });
}

Expected<CommitmentKeys> local_keys(const Fixed& fx, State& st, uint64_t number, const CommitmentSpec& spec) {
  LADDER_ASSIGN(auto point, own_point(fx, st, number));
  return CommitmentKeys::local(fx.secrets, number, point, *st.peer_basepoints, !spec.locks.empty());
}

Expected<CommitmentKeys> remote_keys(const Fixed& fx, const State& st, const crypto::PubKey& point,
                                     const CommitmentSpec& spec) {
  return CommitmentKeys::remote(fx.secrets, point, *st.peer_basepoints, !spec.locks.empty());
}

Expected<BuiltCommitment> build_for(const Fixed& fx, const State& st, bool local_holder, const Binding& binding,
                                    uint64_t number, const CommitmentSpec& spec, const CommitmentKeys& keys) {
  const bool we_fund = fx.role == Role::lsp;
  CommitmentTemplate t{binding,
                       fx.funding->script_pubkey,
                       number,
                       st.obscuring,
                       local_holder ? we_fund : !we_fund,
                       fx.params,
                       keys,
                       local_holder ? *st.to_remote_on_local : *st.to_remote_on_remote};
  return build_commitment(spec, t);
}

std::vector<size_t> ptlc_order(const CommitmentSpec& spec, const BuiltCommitment& built, bool local_holder, bool ours) {
  std::vector<std::pair<uint32_t, size_t>> v;
  for (size_t i = 0; i < spec.locks.size(); ++i) {
    const auto& sl = spec.locks[i];
    const bool offered_by_us = sl.offered_by_holder == local_holder;
    if (sl.lock.kind != LockKind::ptlc || offered_by_us != ours || !built.lock_vout[i]) continue;
    v.emplace_back(*built.lock_vout[i], i);
  }
  std::sort(v.begin(), v.end());
  std::vector<size_t> out;
  out.reserve(v.size());
  for (const auto& [vout, i] : v) out.push_back(i);
  return out;
}

Expected<std::vector<PreSignature>> make_presigs(const Fixed& fx, const State& st, const CommitmentSpec& spec,
                                                 const CommitmentKeys& keys, bool local_holder, HeldCommitment& held) {
  std::vector<PreSignature> out;
  const auto order = ptlc_order(spec, held.built, local_holder, true);
  if (order.empty()) return out;
  LADDER_ASSIGN(auto our_lock, derive_secret(fx.secrets.lock_base(), keys.per_commitment_point));
  held.presigs.resize(spec.locks.size());
  for (size_t i : order) {
    LADDER_ASSIGN(auto tx, build_ptlc_success(held.built, spec, i, st.ptlc_payout_to_peer, fx.params));
    LADDER_ASSIGN(auto pre, crypto::adaptor::presign(our_lock, tx.sighash, *spec.locks[i].lock.point));
    held.presigs[i] = pre;
    out.push_back(pre);
  }
  return out;
}

Status accept_presigs(const Fixed& fx, const State& st, const CommitmentSpec& spec, const CommitmentKeys& keys,
                      bool local_holder, const std::vector<PreSignature>& presigs, HeldCommitment& held) {
  const auto order = ptlc_order(spec, held.built, local_holder, false);
  if (order.size() != presigs.size())
    return make_error("channel.bad-adaptor-signature", "expected " + std::to_string(order.size()) +
                                                           " PTLC adaptor signatures, got " +
                                                           std::to_string(presigs.size()));
  if (!order.empty() && (!keys.holder_lock || !keys.counterparty_lock))
    return make_error("channel.no-lock-keys", "the commitment's keys were derived without lock keys");
  held.presigs.resize(spec.locks.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    const auto& sl = spec.locks[i];
    const crypto::PubKey& offerer = sl.offered_by_holder ? *keys.holder_lock : *keys.counterparty_lock;
    LADDER_ASSIGN(auto tx, build_ptlc_success(held.built, spec, i, st.ptlc_payout_to_us, fx.params));
    if (!crypto::adaptor::pre_verify(presigs[k], tx.sighash, offerer.xonly(), *sl.lock.point))
      return make_error("channel.bad-adaptor-signature",
                        "adaptor signature for PTLC " + std::to_string(sl.lock.id) + " does not verify");
    held.presigs[i] = presigs[k];
  }
  return ok();
}

Expected<NoncePair> fresh_nonce(const Fixed& fx) {
  const Bytes32 aggpk = fx.funding->tweaked.xonly_pubkey().bytes();
  return crypto::musig::nonce_gen(fx.funding_secret.pubkey(), {.sk = &fx.funding_secret, .aggpk = aggpk});
}

Expected<NonceAndPsig> sign_for_peer(const Fixed& fx, const BuiltCommitment& built, const PubNonce& peer_nonce) {
  const Bytes32 aggpk = fx.funding->tweaked.xonly_pubkey().bytes();
  LADDER_ASSIGN(auto pair, crypto::musig::nonce_gen(fx.funding_secret.pubkey(),
                                                    {.sk = &fx.funding_secret, .aggpk = aggpk, .msg = built.sighash}));
  const std::array<PubNonce, 2> nonces{peer_nonce, pair.pubnonce};
  LADDER_ASSIGN(auto agg, crypto::musig::nonce_agg(nonces));
  LADDER_ASSIGN(auto session, crypto::musig::Session::create(fx.funding->tweaked, agg, built.sighash));
  LADDER_ASSIGN(auto psig, session.sign(std::move(pair.secnonce), fx.funding_secret));
  return NonceAndPsig{pair.pubnonce, psig};
}

namespace {
Expected<crypto::musig::Session> own_session(const Fixed& fx, const BuiltCommitment& built, const NonceAndPsig& peer,
                                             const PubNonce& our_nonce) {
  const std::array<PubNonce, 2> nonces{our_nonce, peer.nonce};
  auto agg = crypto::musig::nonce_agg(nonces);
  if (!agg) return make_error("channel.bad-signature", "peer nonce: " + agg.error().to_string());
  auto session = crypto::musig::Session::create(fx.funding->tweaked, *agg, built.sighash);
  if (!session) return make_error("channel.bad-signature", "session: " + session.error().to_string());
  return session;
}
}  // namespace

Expected<crypto::musig::Session> check_peer_psig(const Fixed& fx, const BuiltCommitment& built,
                                                 const NonceAndPsig& peer, const PubNonce& our_nonce) {
  LADDER_ASSIGN(auto session, own_session(fx, built, peer, our_nonce));
  if (!session.verify(peer.psig, peer.nonce, fx.peer_index))
    return make_error("channel.bad-signature", "the peer's partial signature on our commitment does not verify");
  return session;
}

Expected<crypto::SchnorrSig> complete_own(const Fixed& fx, const crypto::musig::Session& session,
                                          const BuiltCommitment& built, const NonceAndPsig& peer,
                                          NoncePair&& our_nonce) {
  LADDER_ASSIGN(auto own, session.sign(std::move(our_nonce.secnonce), fx.funding_secret,
                                       crypto::musig::Session::SelfCheck::skip));
  std::array<crypto::musig::PartialSig, 2> psigs{own, peer.psig};
  LADDER_ASSIGN(auto sig, session.aggregate(psigs));
  if (!crypto::schnorr_verify(sig, built.sighash, fx.funding->tweaked.xonly_pubkey()))
    return make_error("channel.bad-signature", "aggregate commitment signature does not verify");
  return sig;
}

}  // namespace ladder::channel
