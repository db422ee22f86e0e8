// Channel: construction, the open handshake and inspection.
#include <array>

#include "channel/channel_state.h"
#include "crypto/hash.h"

namespace ladder::channel {

namespace {

ChannelId make_channel_id(const crypto::PubKey& funder, const crypto::PubKey& fundee) {
  return crypto::Sha256::tagged("Ladder/channel-id").write(funder.bytes()).write(fundee.bytes()).finalize();
}

Expected<std::unique_ptr<Fixed>> make_fixed(ChannelConfig& c) {
  LADDER_TRY(validate(c.params));
  auto funding = FundingKey::create(c.funding_secret.pubkey(), c.peer_funding_key);
  if (!funding) return funding.error();
  LADDER_ASSIGN(auto secrets, ChannelSecrets::from_seed(c.seed));
  const bool lsp = c.role == Role::lsp;
  const auto& funder = lsp ? c.funding_secret.pubkey() : c.peer_funding_key;
  const auto& fundee = lsp ? c.peer_funding_key : c.funding_secret.pubkey();
  auto own_index = funding->tweaked.index_of(c.funding_secret.pubkey());
  auto fx = std::unique_ptr<Fixed>(new Fixed{c.role, make_channel_id(funder, fundee), c.params, c.deadlines,
                                             std::make_shared<const FundingKey>(std::move(*funding)),
                                             std::move(secrets), c.funding_secret, *own_index, 1 - *own_index});
  return fx;
}

// Sets what becomes known once both sides' basepoints are.
Status learn_peer(const Fixed& fx, State& st, const Basepoints& peer) {
  st.peer_basepoints = peer;
  const auto& ours = fx.secrets.basepoints();
  st.obscuring = fx.role == Role::lsp ? obscuring_factor(ours.payment, peer.payment)
                                      : obscuring_factor(peer.payment, ours.payment);
  LADDER_ASSIGN(auto on_local, to_remote_output(peer.payment));
  LADDER_ASSIGN(auto on_remote, to_remote_output(ours.payment));
  st.to_remote_on_local = std::move(on_local);
  st.to_remote_on_remote = std::move(on_remote);
  LADDER_ASSIGN(st.ptlc_payout_to_us, ptlc_payout_script(ours.payment));
  LADDER_ASSIGN(st.ptlc_payout_to_peer, ptlc_payout_script(peer.payment));
  return ok();
}

Error not_in_phase(const char* what) { return make_error("channel.unexpected-message", what); }

}  // namespace

Channel::Channel(std::unique_ptr<Fixed> fixed)
    : fx_(std::move(fixed)), st_(std::make_unique<State>()), nonces_(std::make_unique<Nonces>()) {}
Channel::Channel(Channel&&) noexcept = default;
Channel& Channel::operator=(Channel&&) noexcept = default;
Channel::~Channel() = default;

Expected<std::pair<Channel, OpenChannel>> Channel::open(ChannelConfig config) {
  if (config.role != Role::lsp) return make_error("channel.bad-role", "only the LSP (the funder) opens");
  if (config.own_balance < 0 || config.own_balance > config.binding.value)
    return make_error("channel.bad-balance", "funder balance outside the channel capacity");
  LADDER_ASSIGN(auto fx, make_fixed(config));
  Channel ch(std::move(fx));
  ch.height_ = config.height;
  State& st = *ch.st_;
  st.binding = config.binding;
  st.bindings = {config.binding};
  st.latest = {config.own_balance, config.binding.value - config.own_balance, {}};
  LADDER_ASSIGN(auto nonce, fresh_nonce(*ch.fx_));
  LADDER_ASSIGN(auto p0, own_point(*ch.fx_, st, 0));
  LADDER_ASSIGN(auto p1, own_point(*ch.fx_, st, 1));
  OpenChannel msg{ch.fx_->id, config.binding, st.latest.to_holder, st.latest.to_counterparty, config.params,
                  config.deadlines, ch.fx_->funding_secret.pubkey(), ch.fx_->secrets.basepoints(), p0, p1, nonce.pubnonce};
  ch.nonces_->verification.emplace(std::move(nonce));
  return std::pair<Channel, OpenChannel>(std::move(ch), std::move(msg));
}

Expected<std::pair<Channel, AcceptChannel>> Channel::accept(ChannelConfig config, const OpenChannel& msg) {
  if (config.role != Role::client) return make_error("channel.bad-role", "the client accepts");
  if (!(msg.params == config.params)) return make_error("channel.params-mismatch", "channel parameters differ");
  if (!(msg.deadlines == config.deadlines)) return make_error("channel.params-mismatch", "TO / X differ");
  if (!(msg.binding == config.binding)) return make_error("channel.params-mismatch", "channel output differs");
  if (!(msg.funding_key == config.peer_funding_key))
    return make_error("channel.params-mismatch", "the LSP's funding key differs");
  if (msg.fundee_balance != config.own_balance || msg.funder_balance < 0 ||
      msg.funder_balance + msg.fundee_balance != config.binding.value)
    return make_error("channel.bad-balance", "balances do not match the expected split of the capacity");
  LADDER_ASSIGN(auto fx, make_fixed(config));
  if (fx->id != msg.channel_id) return make_error("channel.bad-channel-id", "channel id mismatch");
  Channel ch(std::move(fx));
  ch.height_ = config.height;
  State& st = *ch.st_;
  const Fixed& f = *ch.fx_;
  LADDER_TRY(learn_peer(f, st, msg.basepoints));
  st.binding = config.binding;
  st.bindings = {config.binding};
  st.latest = {msg.fundee_balance, msg.funder_balance, {}};
  st.remote_point = msg.first_point;
  st.remote_next_point = msg.second_point;
  // The funder's commitment 0, signed with its verification nonce.
  const CommitmentSpec remote_spec{msg.funder_balance, msg.fundee_balance, {}};
  LADDER_ASSIGN(auto rkeys, remote_keys(f, st, msg.first_point, remote_spec));
  CommitmentRecord remote{0, remote_spec, rkeys, {}};
  LADDER_ASSIGN(auto built, build_for(f, st, false, st.binding, 0, remote.spec, remote.keys));
  LADDER_ASSIGN(auto sig, sign_for_peer(f, built, msg.verification_nonce));
  remote.by_binding.emplace(st.binding.outpoint, HeldCommitment{std::move(built), crypto::SchnorrSig(Bytes64{}), {}});
  st.remote = std::move(remote);
  LADDER_ASSIGN(auto nonce, fresh_nonce(f));
  LADDER_ASSIGN(auto p0, own_point(f, st, 0));
  LADDER_ASSIGN(auto p1, own_point(f, st, 1));
  AcceptChannel reply{f.id, f.secrets.basepoints(), p0, p1, nonce.pubnonce, sig};
  ch.nonces_->verification.emplace(std::move(nonce));
  st.phase = State::Phase::accepted;
  return std::pair<Channel, AcceptChannel>(std::move(ch), std::move(reply));
}

Expected<FundingSigned> Channel::on_accept_channel(const AcceptChannel& msg) {
  if (st_->phase != State::Phase::opened || fx_->role != Role::lsp) return not_in_phase("accept_channel");
  if (msg.channel_id != fx_->id) return make_error("channel.bad-channel-id", "channel id mismatch");
  State st = *st_;
  LADDER_TRY(learn_peer(*fx_, st, msg.basepoints));
  st.remote_point = msg.first_point;
  st.remote_next_point = msg.second_point;
  LADDER_ASSIGN(auto lkeys, local_keys(*fx_, st, 0, st.latest));
  CommitmentRecord local{0, st.latest, lkeys, {}};
  LADDER_ASSIGN(auto built, build_for(*fx_, st, true, st.binding, 0, local.spec, local.keys));
  LADDER_ASSIGN(auto session,
                check_peer_psig(*fx_, built, msg.funder_commitment_sig, nonces_->verification->pubnonce));
  const CommitmentSpec remote_spec{st.latest.to_counterparty, st.latest.to_holder, {}};
  LADDER_ASSIGN(auto rkeys, remote_keys(*fx_, st, msg.first_point, remote_spec));
  CommitmentRecord remote{0, remote_spec, rkeys, {}};
  LADDER_ASSIGN(auto remote_built, build_for(*fx_, st, false, st.binding, 0, remote.spec, remote.keys));
  LADDER_ASSIGN(auto sig_for_peer, sign_for_peer(*fx_, remote_built, msg.verification_nonce));
  LADDER_ASSIGN(auto next, fresh_nonce(*fx_));
  LADDER_ASSIGN(auto own_sig,
                complete_own(*fx_, session, built, msg.funder_commitment_sig, std::move(*nonces_->verification)));
  local.by_binding.emplace(st.binding.outpoint, HeldCommitment{std::move(built), own_sig, {}});
  remote.by_binding.emplace(st.binding.outpoint, HeldCommitment{std::move(remote_built), crypto::SchnorrSig(Bytes64{}), {}});
  st.local = std::move(local);
  st.remote = std::move(remote);
  st.phase = State::Phase::funded;
  FundingSigned reply{fx_->id, sig_for_peer, next.pubnonce};
  nonces_->verification.emplace(std::move(next));
  *st_ = std::move(st);
  return reply;
}

Expected<ChannelReady> Channel::on_funding_signed(const FundingSigned& msg) {
  if (st_->phase != State::Phase::accepted) return not_in_phase("funding_signed");
  if (msg.channel_id != fx_->id) return make_error("channel.bad-channel-id", "channel id mismatch");
  State st = *st_;
  LADDER_ASSIGN(auto lkeys, local_keys(*fx_, st, 0, st.latest));
  CommitmentRecord local{0, st.latest, lkeys, {}};
  LADDER_ASSIGN(auto built, build_for(*fx_, st, true, st.binding, 0, local.spec, local.keys));
  LADDER_ASSIGN(auto session,
                check_peer_psig(*fx_, built, msg.fundee_commitment_sig, nonces_->verification->pubnonce));
  LADDER_ASSIGN(auto next, fresh_nonce(*fx_));
  LADDER_ASSIGN(auto own_sig,
                complete_own(*fx_, session, built, msg.fundee_commitment_sig, std::move(*nonces_->verification)));
  local.by_binding.emplace(st.binding.outpoint, HeldCommitment{std::move(built), own_sig, {}});
  st.local = std::move(local);
  st.remote_nonce = msg.next_nonce;
  st.phase = State::Phase::open;
  ChannelReady reply{fx_->id, next.pubnonce};
  nonces_->verification.emplace(std::move(next));
  *st_ = std::move(st);
  return reply;
}

Status Channel::on_channel_ready(const ChannelReady& msg) {
  if (msg.channel_id != fx_->id) return make_error("channel.bad-channel-id", "channel id mismatch");
  // Once open, channel_ready refreshes the peer's verification nonce (after
  // an abandoned re-binding).
  if (st_->phase == State::Phase::funded) st_->phase = State::Phase::open;
  else if (st_->phase != State::Phase::open) return not_in_phase("channel_ready");
  st_->remote_nonce = msg.next_nonce;
  return ok();
}

// ---- inspection -------------------------------------------------------------------------

const ChannelId& Channel::id() const { return fx_->id; }
Role Channel::role() const { return fx_->role; }
bool Channel::is_open() const { return st_->phase == State::Phase::open; }
const ChannelParams& Channel::params() const { return fx_->params; }
const Deadlines& Channel::deadlines() const { return fx_->deadlines; }
const Binding& Channel::binding() const { return st_->binding; }
const std::vector<Binding>& Channel::bindings() const { return st_->bindings; }
const FundingKey& Channel::funding_key() const { return *fx_->funding; }
const ChannelSecrets& Channel::secrets() const { return fx_->secrets; }
const Basepoints& Channel::peer_basepoints() const { return st_->peer_basepoints.value(); }
uint64_t Channel::obscuring() const { return st_->obscuring; }
const CommitmentRecord& Channel::local_commitment() const { return st_->local.value(); }
const CommitmentRecord& Channel::remote_commitment() const { return st_->remote.value(); }
const CommitmentRecord* Channel::remote_pending_commitment() const {
  return st_->remote_next ? &*st_->remote_next : nullptr;
}
const CommitmentSpec& Channel::latest_spec() const { return st_->latest; }

std::vector<Lock> Channel::incoming_locks() const {
  std::vector<Lock> out;
  for (const auto& l : st_->latest.locks)
    if (!l.offered_by_holder) out.push_back(l.lock);
  return out;
}

std::vector<Lock> Channel::outgoing_locks() const {
  std::vector<Lock> out;
  for (const auto& l : st_->latest.locks)
    if (l.offered_by_holder) out.push_back(l.lock);
  return out;
}

Expected<btc::Transaction> Channel::signed_commitment_tx() const { return signed_commitment_tx(st_->binding.outpoint); }

Expected<btc::Transaction> Channel::signed_commitment_tx(const btc::OutPoint& outpoint) const {
  const HeldCommitment* held = nullptr;
  if (st_->local) {
    auto it = st_->local->by_binding.find(outpoint);
    if (it != st_->local->by_binding.end()) held = &it->second;
  }
  if (!held && st_->rebind && st_->rebind->binding.outpoint == outpoint && st_->rebind->local)
    held = &*st_->rebind->local;
  if (!held) return make_error("channel.no-commitment", "no signed commitment for " + outpoint.to_string());
  btc::Transaction tx = held->built.tx;
  tx.vin[0].witness = {Bytes(held->sig.bytes().begin(), held->sig.bytes().end())};
  return tx;
}

std::vector<ChannelEvent> Channel::drain_events() {
  std::vector<ChannelEvent> out;
  out.swap(events_);
  return out;
}

}  // namespace ladder::channel
