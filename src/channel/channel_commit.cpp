// Channel: commitment_signed / revoke_and_ack, with the PTLC presig round.
#include "channel/channel_state.h"

namespace ladder::channel {

namespace {

Status require_open(const State& st, const ChannelId& id, const ChannelId& msg_id) {
  if (msg_id != id) return make_error("channel.bad-channel-id", "channel id mismatch");
  if (st.phase != State::Phase::open) return make_error("channel.not-open", "the channel is not open");
  if (st.rebind) return make_error("channel.rebinding", "no commitments while the channel is being re-bound");
  return ok();
}

// Events for our settles/fails that our new commitment makes irrevocable.
std::vector<ChannelEvent> removal_events(const CommitmentSpec& before, const std::vector<Update>& ours) {
  std::vector<ChannelEvent> out;
  for (const auto& u : ours) {
    auto id = removed_id(u);
    if (!id) continue;
    const SpecLock* l = before.find(false, *id);
    if (!l) continue;
    ChannelEvent e{ChannelEvent::Kind::incoming_removed, l->lock, std::nullopt, std::nullopt, {}};
    if (const auto* s = std::get_if<SettleUpdate>(&u)) e.secret = s->secret;
    else e.reason = std::get<FailUpdate>(u).reason;
    out.push_back(std::move(e));
  }
  return out;
}

// Makes `next` our latest commitment and revokes the previous one: its
// secret and the point of the commitment after `next` (announced now, kept
// for when it comes), with our next verification nonce.
Expected<RevokeAndAck> revoke_previous(const Fixed& fx, State& st, CommitmentRecord next,
                                       const crypto::musig::PubNonce& next_nonce) {
  const uint64_t old = st.local->number;
  st.local = std::move(next);
  LADDER_ASSIGN(const crypto::Scalar secret, fx.secrets.per_commitment_scalar(old));
  LADDER_ASSIGN(auto point, own_point(fx, st, old + 2));
  forget_own_points(st);
  return RevokeAndAck{fx.id, old, secret.bytes(), point, next_nonce};
}

}  // namespace

bool Channel::can_sign_commitment() const {
  const State& st = *st_;
  return st.phase == State::Phase::open && !st.rebind && !st.remote_next &&
         (!st.local_changes.proposed.empty() || !st.remote_changes.acked.empty());
}

Expected<CommitmentSigned> Channel::sign_commitment() {
  LADDER_TRY(require_open(*st_, fx_->id, fx_->id));
  if (st_->remote_next) return make_error("channel.awaiting-revocation", "the peer has not revoked its previous commitment");
  if (st_->local_changes.proposed.empty() && st_->remote_changes.acked.empty())
    return make_error("channel.nothing-to-sign", "no changes to commit");
  State st = *st_;
  LADDER_ASSIGN(auto spec, reduce(st.remote->spec, st.remote_changes.acked, st.local_changes.proposed));
  LADDER_ASSIGN(auto keys, remote_keys(*fx_, st, *st.remote_next_point, spec));
  CommitmentRecord next{st.remote->number + 1, std::move(spec), keys, {}};
  HeldCommitment held;
  LADDER_ASSIGN(held.built, build_for(*fx_, st, false, st.binding, next.number, next.spec, next.keys));
  LADDER_ASSIGN(auto presigs, make_presigs(*fx_, st, next.spec, next.keys, false, held));
  CommitmentSigned msg{fx_->id, next.number, std::nullopt, std::move(presigs)};
  if (ptlc_order(next.spec, held.built, false, false).empty()) {
    LADDER_ASSIGN(msg.sig, sign_for_peer(*fx_, held.built, *st.remote_nonce));
    st.remote_nonce.reset();
  } else {
    st.awaiting_holder_presigs = true;
  }
  next.by_binding.emplace(st.binding.outpoint, std::move(held));
  st.remote_next = std::move(next);
  st.local_changes.signed_ = std::move(st.local_changes.proposed);
  st.local_changes.proposed.clear();
  st.remote_changes.signed_ = std::move(st.remote_changes.acked);
  st.remote_changes.acked.clear();
  *st_ = std::move(st);
  return msg;
}

Expected<std::variant<RevokeAndAck, PtlcPresigs>> Channel::on_commitment_signed(const CommitmentSigned& msg) {
  LADDER_TRY(require_open(*st_, fx_->id, msg.channel_id));
  if (st_->local_pending) return make_error("channel.unexpected-message", "still awaiting the previous commitment_psig");
  if (msg.number != st_->local->number + 1)
    return make_error("channel.bad-commitment-number", "expected commitment " + std::to_string(st_->local->number + 1) +
                                                           ", got " + std::to_string(msg.number));
  if (st_->local_changes.acked.empty() && st_->remote_changes.proposed.empty())
    return make_error("channel.commitment-without-changes", "commitment_signed without any change");
  State st = *st_;
  LADDER_ASSIGN(auto spec, reduce(st.local->spec, st.local_changes.acked, st.remote_changes.proposed));
  LADDER_ASSIGN(auto keys, local_keys(*fx_, st, msg.number, spec));
  CommitmentRecord next{msg.number, std::move(spec), keys, {}};
  HeldCommitment held;
  LADDER_ASSIGN(held.built, build_for(*fx_, st, true, st.binding, next.number, next.spec, next.keys));
  LADDER_TRY(accept_presigs(*fx_, st, next.spec, next.keys, true, msg.presigs, held));
  const bool ours = !ptlc_order(next.spec, held.built, true, true).empty();
  if (ours && msg.sig) return make_error("channel.unexpected-signature", "expected the PTLC presig round first");
  if (!ours && !msg.sig) return make_error("channel.missing-signature", "commitment_signed without a signature");
  std::optional<crypto::musig::Session> session;
  if (!ours) {
    LADDER_ASSIGN(session, check_peer_psig(*fx_, held.built, *msg.sig, nonces_->verification->pubnonce));
  }

  auto events = removal_events(st.local->spec, st.local_changes.acked);
  st.local_changes.acked.clear();
  for (auto& u : st.remote_changes.proposed) st.remote_changes.acked.push_back(std::move(u));
  st.remote_changes.proposed.clear();

  if (ours) {
    LADDER_ASSIGN(auto presigs, make_presigs(*fx_, st, next.spec, next.keys, true, held));
    next.by_binding.emplace(st.binding.outpoint, std::move(held));
    st.local_pending = std::move(next);
    *st_ = std::move(st);
    pending_events_ = std::move(events);
    return PtlcPresigs{fx_->id, msg.number, std::move(presigs)};
  }
  LADDER_ASSIGN(auto next_nonce, fresh_nonce(*fx_));
  LADDER_ASSIGN(held.sig, complete_own(*fx_, *session, held.built, *msg.sig, std::move(*nonces_->verification)));
  nonces_->verification.emplace(std::move(next_nonce));
  next.by_binding.emplace(st.binding.outpoint, std::move(held));
  LADDER_ASSIGN(auto revoke, revoke_previous(*fx_, st, std::move(next), nonces_->verification->pubnonce));
  *st_ = std::move(st);
  for (auto& e : events) events_.push_back(std::move(e));
  return revoke;
}

Expected<CommitmentPsig> Channel::on_ptlc_presigs(const PtlcPresigs& msg) {
  LADDER_TRY(require_open(*st_, fx_->id, msg.channel_id));
  if (!st_->remote_next || !st_->awaiting_holder_presigs)
    return make_error("channel.unexpected-message", "not awaiting PTLC presigs");
  if (msg.number != st_->remote_next->number)
    return make_error("channel.bad-commitment-number", "presigs for another commitment");
  State st = *st_;
  auto& next = *st.remote_next;
  auto& held = next.by_binding.at(st.binding.outpoint);
  LADDER_TRY(accept_presigs(*fx_, st, next.spec, next.keys, false, msg.presigs, held));
  LADDER_ASSIGN(auto sig, sign_for_peer(*fx_, held.built, *st.remote_nonce));
  st.remote_nonce.reset();
  st.awaiting_holder_presigs = false;
  *st_ = std::move(st);
  return CommitmentPsig{fx_->id, msg.number, sig};
}

Expected<RevokeAndAck> Channel::on_commitment_psig(const CommitmentPsig& msg) {
  LADDER_TRY(require_open(*st_, fx_->id, msg.channel_id));
  if (!st_->local_pending) return make_error("channel.unexpected-message", "no commitment awaits a psig");
  if (msg.number != st_->local_pending->number)
    return make_error("channel.bad-commitment-number", "psig for another commitment");
  State st = *st_;
  auto next = std::move(*st.local_pending);
  st.local_pending.reset();
  auto& held = next.by_binding.at(st.binding.outpoint);
  LADDER_ASSIGN(auto session, check_peer_psig(*fx_, held.built, msg.sig, nonces_->verification->pubnonce));
  LADDER_ASSIGN(auto next_nonce, fresh_nonce(*fx_));
  LADDER_ASSIGN(held.sig, complete_own(*fx_, session, held.built, msg.sig, std::move(*nonces_->verification)));
  nonces_->verification.emplace(std::move(next_nonce));
  LADDER_ASSIGN(auto revoke, revoke_previous(*fx_, st, std::move(next), nonces_->verification->pubnonce));
  *st_ = std::move(st);
  for (auto& e : pending_events_) events_.push_back(std::move(e));
  pending_events_.clear();
  return revoke;
}

Status Channel::on_revoke_and_ack(const RevokeAndAck& msg) {
  LADDER_TRY(require_open(*st_, fx_->id, msg.channel_id));
  if (!st_->remote_next || st_->awaiting_holder_presigs)
    return make_error("channel.unexpected-revoke", "no commitment of the peer awaits revocation");
  if (msg.revoked_number != st_->remote->number)
    return make_error("channel.bad-revocation-number", "revocation of commitment " + std::to_string(msg.revoked_number) +
                                                           ", expected " + std::to_string(st_->remote->number));
  auto secret = crypto::SecretKey::parse(msg.secret);
  if (!secret || !(secret->pubkey() == *st_->remote_point))
    return make_error("channel.bad-revocation-secret",
                      "the secret does not match the per-commitment point of commitment " +
                          std::to_string(msg.revoked_number));
  State st = *st_;
  RevokedCommitment r{st.remote->number, st.remote->spec, st.remote->keys, msg.secret, {}};
  for (const auto& b : st.bindings)
    if (st.remote->by_binding.count(b.outpoint)) r.bindings.push_back(b);
  st.remote = std::move(*st.remote_next);
  st.remote_next.reset();
  st.remote_point = st.remote_next_point;
  st.remote_next_point = msg.next_point;
  st.remote_nonce = msg.next_nonce;
  for (auto& u : st.local_changes.signed_) st.local_changes.acked.push_back(std::move(u));
  st.local_changes.signed_.clear();
  std::vector<ChannelEvent> events;
  for (const auto& u : st.remote_changes.signed_) {
    if (const auto* add = std::get_if<AddUpdate>(&u)) {
      events.push_back({ChannelEvent::Kind::incoming_locked, add->lock, std::nullopt, add->forward, {}});
    } else if (const auto* f = std::get_if<FailUpdate>(&u)) {
      const SpecLock* l = st_->local->spec.find(true, f->id);
      const SpecLock* l2 = r.spec.find(false, f->id);
      const Lock lock = l ? l->lock : l2 ? l2->lock : Lock{};
      events.push_back({ChannelEvent::Kind::outgoing_failed, lock, std::nullopt, std::nullopt, f->reason});
    }
  }
  st.remote_changes.signed_.clear();
  revoked_.push_back(std::move(r));
  *st_ = std::move(st);
  for (auto& e : events) events_.push_back(std::move(e));
  return ok();
}

}  // namespace ladder::channel
