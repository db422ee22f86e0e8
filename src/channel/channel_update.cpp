// Channel: adding, settling and failing HTLCs and PTLCs (both directions).
#include "channel/channel_state.h"

namespace ladder::channel {

namespace {

Status require_updatable(const State& st, bool local) {
  if (st.phase != State::Phase::open) return make_error("channel.not-open", "the channel is not open");
  if (st.rebind) return make_error("channel.rebinding", "no updates while the channel is being re-bound");
  if (local && (st.sent_stfu || st.recv_stfu))
    return make_error("channel.quiescing", "no new updates once quiescence was requested");
  if (!local && st.recv_stfu) return make_error("channel.update-after-stfu", "the peer sent an update after stfu");
  return ok();
}

// The checks every new lock passes, on both sides (by_us: we offer it).
Status check_add(const Fixed& fx, const State& st, const Lock& lock, bool by_us, uint32_t height,
                 CommitmentSpec& latest_out) {
  const ChannelParams& p = fx.params;
  if (lock.amount < p.min_lock_amount)
    return make_error("channel.amount-too-small", "lock amount " + std::to_string(lock.amount) + " is below " +
                                                      std::to_string(p.min_lock_amount));
  if (lock.kind == LockKind::ptlc && !lock.point) return make_error("channel.bad-lock", "a PTLC needs a payment point");
  if (lock.kind == LockKind::htlc && lock.point) return make_error("channel.bad-lock", "an HTLC has no payment point");
  LADDER_TRY(check_expiry(fx.deadlines, height, lock.expiry));
  CommitmentSpec latest = st.latest;
  if (!apply(latest, AddUpdate{lock, std::nullopt}, by_us))
    return make_error("channel.insufficient-balance", "lock amount " + std::to_string(lock.amount) +
                                                          " exceeds the offerer's balance");
  btc::Amount in_flight = 0, dust = 0;
  size_t count = 0, untrimmed = 0;
  for (const auto& l : latest.locks) {
    if (is_trimmed(l.lock, p)) dust += l.lock.amount;
    else ++untrimmed;
    if (l.offered_by_holder != by_us) continue;
    in_flight += l.lock.amount;
    ++count;
  }
  if (in_flight > p.max_in_flight)
    return make_error("channel.max-in-flight", "pending locks would total " + std::to_string(in_flight) +
                                                   " > max_in_flight " + std::to_string(p.max_in_flight));
  if (count > p.max_locks) return make_error("channel.too-many-locks", "more than max_locks pending locks");
  if (dust > p.max_dust_exposure)
    return make_error("channel.dust-exposure", "trimmed locks would total " + std::to_string(dust) +
                                                   " > max_dust_exposure " + std::to_string(p.max_dust_exposure));
  const bool we_fund = fx.role == Role::lsp;
  const btc::Amount funder = we_fund ? latest.to_holder : latest.to_counterparty;
  const btc::Amount need = commitment_fee(p, untrimmed) + p.anchor_value;
  const bool funder_offers = by_us == we_fund;
  if (funder_offers && funder < need + p.funder_reserve)
    return make_error("channel.insufficient-balance", "the funder must keep fee " + std::to_string(need) +
                                                          " and reserve " + std::to_string(p.funder_reserve));
  if (!funder_offers && funder < need)
    return make_error("channel.funder-cannot-pay-fee", "the funder cannot pay the commitment fee with this lock");
  latest_out = std::move(latest);
  return ok();
}

// A lock offered by `offered_by_us` that is on both commitments and not yet
// being removed.
Expected<Lock> cross_signed(const State& st, bool offered_by_us, uint64_t id) {
  const CommitmentRecord& their = st.remote_next ? *st.remote_next : *st.remote;
  const SpecLock* in_local = st.local->spec.find(offered_by_us, id);
  const SpecLock* in_remote = their.spec.find(!offered_by_us, id);
  if (!in_local || !in_remote)
    return make_error("channel.lock-not-committed", "lock " + std::to_string(id) + " is not on both commitments");
  if (!st.latest.find(offered_by_us, id))
    return make_error("channel.lock-already-removed", "lock " + std::to_string(id) + " is already being removed");
  return in_local->lock;
}

}  // namespace

Expected<UpdateAddLock> Channel::add_htlc(btc::Amount amount, const Bytes32& payment_hash, uint32_t expiry,
                                          std::optional<ForwardRequest> forward) {
  LADDER_TRY(require_updatable(*st_, true));
  Lock lock{LockKind::htlc, st_->next_local_id, amount, expiry, payment_hash, std::nullopt};
  CommitmentSpec latest;
  LADDER_TRY(check_add(*fx_, *st_, lock, true, height_, latest));
  st_->latest = std::move(latest);
  st_->local_changes.proposed.push_back(AddUpdate{lock, forward});
  ++st_->next_local_id;
  return UpdateAddLock{fx_->id, lock, forward};
}

Expected<UpdateAddLock> Channel::add_ptlc(btc::Amount amount, const crypto::PubKey& point, uint32_t expiry,
                                          std::optional<ForwardRequest> forward) {
  LADDER_TRY(require_updatable(*st_, true));
  Lock lock{LockKind::ptlc, st_->next_local_id, amount, expiry, {}, point};
  CommitmentSpec latest;
  LADDER_TRY(check_add(*fx_, *st_, lock, true, height_, latest));
  st_->latest = std::move(latest);
  st_->local_changes.proposed.push_back(AddUpdate{lock, forward});
  ++st_->next_local_id;
  return UpdateAddLock{fx_->id, lock, forward};
}

Status Channel::on_update_add(const UpdateAddLock& msg) {
  if (msg.channel_id != fx_->id) return make_error("channel.bad-channel-id", "channel id mismatch");
  LADDER_TRY(require_updatable(*st_, false));
  if (msg.lock.id != st_->next_remote_id)
    return make_error("channel.bad-lock-id", "expected lock id " + std::to_string(st_->next_remote_id) + ", got " +
                                                 std::to_string(msg.lock.id));
  CommitmentSpec latest;
  LADDER_TRY(check_add(*fx_, *st_, msg.lock, false, height_, latest));
  st_->latest = std::move(latest);
  st_->remote_changes.proposed.push_back(AddUpdate{msg.lock, msg.forward});
  ++st_->next_remote_id;
  return ok();
}

Expected<UpdateSettleLock> Channel::settle(uint64_t id, const Bytes32& secret) {
  LADDER_TRY(require_updatable(*st_, true));
  LADDER_ASSIGN(auto lock, cross_signed(*st_, false, id));
  LADDER_TRY(check_secret(lock, secret));
  SettleUpdate u{id, secret};
  LADDER_TRY(apply(st_->latest, u, true));
  st_->local_changes.proposed.push_back(u);
  return UpdateSettleLock{fx_->id, id, secret};
}

Expected<UpdateFailLock> Channel::fail(uint64_t id, std::string reason) {
  LADDER_TRY(require_updatable(*st_, true));
  LADDER_TRY(cross_signed(*st_, false, id));
  FailUpdate u{id, reason};
  LADDER_TRY(apply(st_->latest, u, true));
  st_->local_changes.proposed.push_back(u);
  return UpdateFailLock{fx_->id, id, std::move(reason)};
}

Status Channel::on_update_settle(const UpdateSettleLock& msg) {
  if (msg.channel_id != fx_->id) return make_error("channel.bad-channel-id", "channel id mismatch");
  if (st_->phase != State::Phase::open) return make_error("channel.not-open", "the channel is not open");
  if (st_->rebind) return make_error("channel.rebinding", "no updates while the channel is being re-bound");
  LADDER_ASSIGN(auto lock, cross_signed(*st_, true, msg.id));
  LADDER_TRY(check_secret(lock, msg.secret));
  SettleUpdate u{msg.id, msg.secret};
  LADDER_TRY(apply(st_->latest, u, false));
  st_->remote_changes.proposed.push_back(u);
  events_.push_back({ChannelEvent::Kind::outgoing_settled, lock, msg.secret, std::nullopt, {}});
  return ok();
}

Status Channel::on_update_fail(const UpdateFailLock& msg) {
  if (msg.channel_id != fx_->id) return make_error("channel.bad-channel-id", "channel id mismatch");
  if (st_->phase != State::Phase::open) return make_error("channel.not-open", "the channel is not open");
  if (st_->rebind) return make_error("channel.rebinding", "no updates while the channel is being re-bound");
  LADDER_TRY(cross_signed(*st_, true, msg.id));
  FailUpdate u{msg.id, msg.reason};
  LADDER_TRY(apply(st_->latest, u, false));
  st_->remote_changes.proposed.push_back(u);
  return ok();
}

}  // namespace ladder::channel
