// Channel: quiescence and re-binding to a new channel outpoint (DESIGN §3.3).
#include "channel/channel_state.h"

namespace ladder::channel {

namespace {

Status check_id(const ChannelId& a, const ChannelId& b) {
  if (a != b) return make_error("channel.bad-channel-id", "channel id mismatch");
  return ok();
}

// Our and the peer's current commitments built for `binding`.
Status build_rebound(const Fixed& fx, const State& st, const Binding& binding, HeldCommitment& local,
                     HeldCommitment& remote) {
  LADDER_ASSIGN(local.built, build_for(fx, st, true, binding, st.local->number, st.local->spec, st.local->keys));
  LADDER_ASSIGN(remote.built, build_for(fx, st, false, binding, st.remote->number, st.remote->spec, st.remote->keys));
  return ok();
}

Status require_rebindable(const State& st, const Binding& binding, bool quiescent) {
  if (st.phase != State::Phase::open) return make_error("channel.not-open", "the channel is not open");
  if (!quiescent) return make_error("channel.not-quiescent", "re-binding needs a quiescent channel");
  if (st.rebind) return make_error("channel.rebinding", "a re-binding is already in progress");
  if (binding.outpoint == st.binding.outpoint) return make_error("channel.same-binding", "already bound there");
  if (binding.value != st.binding.value)
    return make_error("channel.bad-binding", "the new channel output must have the channel's capacity");
  return ok();
}

}  // namespace

Expected<Stfu> Channel::request_quiescence() {
  if (st_->phase != State::Phase::open) return make_error("channel.not-open", "the channel is not open");
  if (st_->sent_stfu) return make_error("channel.already-quiescing", "stfu already sent");
  st_->sent_stfu = true;
  return Stfu{fx_->id};
}

Expected<std::optional<Stfu>> Channel::on_stfu(const Stfu& msg) {
  LADDER_TRY(check_id(fx_->id, msg.channel_id));
  if (st_->phase != State::Phase::open) return make_error("channel.not-open", "the channel is not open");
  st_->recv_stfu = true;
  if (st_->sent_stfu) return std::optional<Stfu>();
  st_->sent_stfu = true;
  return std::optional<Stfu>(Stfu{fx_->id});
}

bool Channel::is_quiescent() const {
  const State& st = *st_;
  return st.phase == State::Phase::open && st.sent_stfu && st.recv_stfu && st.local_changes.empty() &&
         st.remote_changes.empty() && !st.remote_next && !st.local_pending;
}

Status Channel::resume() {
  if (st_->rebind) return make_error("channel.rebinding", "activate or abandon the re-binding first");
  st_->sent_stfu = st_->recv_stfu = false;
  return ok();
}

Expected<RebindPropose> Channel::propose_rebind(const Binding& binding) {
  LADDER_TRY(require_rebindable(*st_, binding, is_quiescent()));
  State st = *st_;
  State::Rebind rb{binding, true, std::nullopt, {}, {}, false};
  LADDER_TRY(build_rebound(*fx_, st, binding, rb.local_unsigned, rb.remote));
  LADDER_ASSIGN(auto on_ours, make_presigs(*fx_, st, st.local->spec, st.local->keys, true, rb.local_unsigned));
  LADDER_ASSIGN(auto on_theirs, make_presigs(*fx_, st, st.remote->spec, st.remote->keys, false, rb.remote));
  st.rebind = std::move(rb);
  *st_ = std::move(st);
  return RebindPropose{fx_->id, binding, std::move(on_ours), std::move(on_theirs)};
}

Expected<RebindSigned> Channel::on_rebind_propose(const RebindPropose& msg) {
  LADDER_TRY(check_id(fx_->id, msg.channel_id));
  LADDER_TRY(require_rebindable(*st_, msg.binding, is_quiescent()));
  State st = *st_;
  State::Rebind rb{msg.binding, false, std::nullopt, {}, {}, true};
  LADDER_TRY(build_rebound(*fx_, st, msg.binding, rb.local_unsigned, rb.remote));
  LADDER_TRY(accept_presigs(*fx_, st, st.local->spec, st.local->keys, true, msg.presigs_on_responder, rb.local_unsigned));
  LADDER_TRY(accept_presigs(*fx_, st, st.remote->spec, st.remote->keys, false, msg.presigs_on_proposer, rb.remote));
  LADDER_ASSIGN(auto on_ours, make_presigs(*fx_, st, st.local->spec, st.local->keys, true, rb.local_unsigned));
  LADDER_ASSIGN(auto on_theirs, make_presigs(*fx_, st, st.remote->spec, st.remote->keys, false, rb.remote));
  LADDER_ASSIGN(auto sig, sign_for_peer(*fx_, rb.remote.built, *st.remote_nonce));
  LADDER_ASSIGN(auto next, fresh_nonce(*fx_));
  st.remote_nonce.reset();
  st.rebind = std::move(rb);
  RebindSigned reply{fx_->id, msg.binding, std::move(on_ours), std::move(on_theirs), sig, next.pubnonce};
  nonces_->next_verification.emplace(std::move(next));
  *st_ = std::move(st);
  return reply;
}

Expected<RebindComplete> Channel::on_rebind_signed(const RebindSigned& msg) {
  LADDER_TRY(check_id(fx_->id, msg.channel_id));
  if (!st_->rebind || !st_->rebind->proposer || st_->rebind->local)
    return make_error("channel.unexpected-message", "no re-binding awaits rebind_signed");
  if (!(msg.binding == st_->rebind->binding)) return make_error("channel.bad-binding", "rebind_signed for another output");
  State st = *st_;
  auto& rb = *st.rebind;
  LADDER_TRY(accept_presigs(*fx_, st, st.local->spec, st.local->keys, true, msg.presigs_on_proposer, rb.local_unsigned));
  LADDER_TRY(accept_presigs(*fx_, st, st.remote->spec, st.remote->keys, false, msg.presigs_on_responder, rb.remote));
  LADDER_ASSIGN(auto session, check_peer_psig(*fx_, rb.local_unsigned.built, msg.proposer_commitment_sig,
                                              nonces_->verification->pubnonce));
  LADDER_ASSIGN(auto sig, sign_for_peer(*fx_, rb.remote.built, *st.remote_nonce));
  LADDER_ASSIGN(auto next, fresh_nonce(*fx_));
  HeldCommitment held = rb.local_unsigned;
  LADDER_ASSIGN(held.sig, complete_own(*fx_, session, held.built, msg.proposer_commitment_sig,
                                       std::move(*nonces_->verification)));
  nonces_->verification.emplace(std::move(next));
  rb.local = std::move(held);
  rb.remote_signed = true;
  st.remote_nonce = msg.next_nonce;
  *st_ = std::move(st);
  return RebindComplete{fx_->id, sig, nonces_->verification->pubnonce};
}

Status Channel::on_rebind_complete(const RebindComplete& msg) {
  LADDER_TRY(check_id(fx_->id, msg.channel_id));
  if (!st_->rebind || st_->rebind->proposer || st_->rebind->local)
    return make_error("channel.unexpected-message", "no re-binding awaits rebind_complete");
  State st = *st_;
  auto& rb = *st.rebind;
  LADDER_ASSIGN(auto session, check_peer_psig(*fx_, rb.local_unsigned.built, msg.responder_commitment_sig,
                                              nonces_->verification->pubnonce));
  HeldCommitment held = rb.local_unsigned;
  LADDER_ASSIGN(held.sig, complete_own(*fx_, session, held.built, msg.responder_commitment_sig,
                                       std::move(*nonces_->verification)));
  nonces_->verification = std::move(nonces_->next_verification);
  nonces_->next_verification.reset();
  rb.local = std::move(held);
  st.remote_nonce = msg.next_nonce;
  *st_ = std::move(st);
  return ok();
}

RebindStatus Channel::rebind_status() const {
  if (!st_->rebind) return RebindStatus::none;
  return st_->rebind->local ? RebindStatus::complete : RebindStatus::in_progress;
}

std::optional<Binding> Channel::pending_binding() const {
  if (!st_->rebind) return std::nullopt;
  return st_->rebind->binding;
}

Status Channel::activate_rebind() {
  if (rebind_status() != RebindStatus::complete)
    return make_error("channel.rebind-incomplete", "this side does not hold its re-bound signatures");
  State& st = *st_;
  auto& rb = *st.rebind;
  st.local->by_binding.emplace(rb.binding.outpoint, std::move(*rb.local));
  st.remote->by_binding.emplace(rb.binding.outpoint, std::move(rb.remote));
  st.binding = rb.binding;
  st.bindings.push_back(rb.binding);
  st.rebind.reset();
  return ok();
}

Expected<ChannelReady> Channel::abandon_rebind() {
  if (st_->phase != State::Phase::open) return make_error("channel.not-open", "the channel is not open");
  LADDER_ASSIGN(auto fresh, fresh_nonce(*fx_));
  st_->rebind.reset();
  nonces_->verification.emplace(std::move(fresh));
  nonces_->next_verification.reset();
  return ChannelReady{fx_->id, nonces_->verification->pubnonce};
}

}  // namespace ladder::channel
