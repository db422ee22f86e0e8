// Channel messages from L, commitments signed when the client has changes,
// the tower kept up to date (path, latest commitment, justice txs), the
// insured amount watched, notices from L.
#include "channel/dispatch.h"
#include "channel/enforcement.h"
#include "client/client.h"
#include "factory/exit_planner.h"

namespace ladder::client {

namespace {
const channel::ChannelId& channel_id_of(const channel::Message& m) {
  return std::visit([](const auto& v) -> const channel::ChannelId& { return v.channel_id; }, m);
}

// The client's own share of its channel: its balance and the locks it
// offered (a lock belongs to its offerer until it is removed).
btc::Amount own_share(const channel::Channel& ch) {
  const auto& spec = ch.local_commitment().spec;
  btc::Amount v = spec.to_holder;
  for (const auto& l : spec.locks)
    if (l.offered_by_holder) v += l.lock.amount;
  return v;
}
}  // namespace

Status Client::on_channel_message(const channel::Message& m) {
  const auto& id = channel_id_of(m);
  if (joining_ && joining_->channel && joining_->channel->id() == id) {
    auto* fs = std::get_if<channel::FundingSigned>(&m);
    if (!fs || joining_->channel_ready) return make_error("client.unexpected-message", "only funding_signed now");
    LADDER_ASSIGN(auto ready, joining_->channel->on_funding_signed(*fs));
    joining_->channel_ready = true;
    send_to_lsp(std::move(ready));
    return ok();
  }
  for (auto& [key, mb] : memberships_) {
    if (!mb.channel || mb.channel->id() != id) continue;
    const uint64_t fid = key;
    channel::Channel& ch = *mb.channel;
    ch.set_height(height_);
    LADDER_ASSIGN(auto replies, channel::deliver(ch, m));
    mark("client/membership", {});
    // L's revocation and our new commitment go to the tower before anything
    // that revokes or pays leaves (send_to_lsp holds it until the ack).
    const bool new_commitment = !mb.tower_commitment || *mb.tower_commitment != ch.local_commitment().number;
    const bool new_revocation = ch.revoked().size() > mb.tower_justice;
    if (config_.tower && (new_commitment || new_revocation)) update_tower(mb, false, {});
    for (auto& r : replies) send_to_lsp(migrate::from_channel_message(std::move(r)));
    LADDER_TRY(migration_on_channel_events(mb));
    auto again = memberships_.find(fid);  // the migration may have left the factory
    if (again == memberships_.end()) return ok();
    check_insured(again->second);
    return sign_if_needed(again->second);
  }
  return make_error("client.unknown-channel", "no channel with that id");
}

Status Client::sign_if_needed(Membership& m) {
  channel::Channel& ch = *m.channel;
  if (!ch.can_sign_commitment()) return ok();
  LADDER_ASSIGN(auto sig, ch.sign_commitment());
  send_to_lsp(std::move(sig));
  mark("client/membership", {});
  return ok();
}

uint64_t Client::update_tower(Membership& m, bool path, std::vector<btc::Transaction> justice) {
  migrate::TowerUpdate u;
  u.seq = ++tower_seq_;
  u.factory_id = m.factory_id;
  if (path) {
    const uint32_t leaf = m.tree->shape().leaf_of(m.index);
    for (const auto& key : factory::path_txs(*m.tree, leaf)) {
      auto tx = m.tree->signed_tx(key);
      if (tx) u.path.push_back(std::move(*tx));
    }
  }
  if (m.channel) {
    const channel::Channel& ch = *m.channel;
    if (auto c = ch.signed_commitment_tx()) u.commitment = std::move(*c);
    m.tower_commitment = ch.local_commitment().number;
    // One justice tx per newly revoked L commitment per outpoint it was signed for.
    const auto& revoked = ch.revoked();
    for (size_t i = m.tower_justice; i < revoked.size(); ++i) {
      for (const auto& b : revoked[i].bindings) {
        auto kc = channel::revoked_commitment(ch, revoked[i].number, b);
        if (!kc) continue;
        auto j = channel::justice_tx(ch, *kc, {wallet_.script(), config_.channel.fee_rate_sat_per_kvb});
        if (j) u.justice.push_back(std::move(*j));
      }
    }
    m.tower_justice = revoked.size();
  }
  for (auto& j : justice) u.justice.push_back(std::move(j));
  u.exit_height = m.tower_exit_height;
  tower_unacked_.insert(u.seq);
  pending_.send(*config_.tower, std::move(u));
  mark("client/membership", {});
  return tower_seq_;
}

void Client::check_insured(Membership& m) {
  if (!m.channel) return;
  const btc::Amount balance = own_share(*m.channel);
  const double warn_at = config_.policy.warn_insured_fraction * static_cast<double>(m.insured);
  if (!m.warned_insured && static_cast<double>(balance) > warn_at) {
    m.warned_insured = true;
    event("client.insured-warning", m.factory_id, balance,
          "balance " + std::to_string(balance) + " passed " +
              std::to_string(static_cast<int>(config_.policy.warn_insured_fraction * 100)) + "% of Insured(C) " +
              std::to_string(m.insured));
  }
  // Above Insured(C) the tower exits at TO − X unless L resolved the factory by then.
  const auto& h = m.heights();
  const uint32_t exit_height = balance > m.insured ? h.timeout - h.x : 0;
  if (exit_height != m.tower_exit_height && config_.tower) {
    m.tower_exit_height = exit_height;
    update_tower(m, exit_height != 0, {});
  }
}

Status Client::on_notice(const migrate::Notice& n) {
  for (const auto& seen : notices_)
    if (seen.id == n.id) return ok();  // redelivered
  notices_.push_back(n);
  auto it = memberships_.find(n.factory_id);
  if (n.kind == migrate::NoticeKind::factory_dying && it != memberships_.end()) {
    const auto& h = it->second.heights();
    if (n.end_active != h.end_active || n.end_dying != h.end_dying || n.timeout != h.timeout)
      return make_error("client.bad-notice", "the dying notice's heights differ from the factory's");
    it->second.phase = Membership::Phase::dying;
    mark("client/membership", {});
  }
  event(std::string("client.notice.") + migrate::to_string(n.kind), n.factory_id, n.amount, n.text);
  return ok();
}

ClientHoldings Client::holdings() {
  ClientHoldings h;
  for (auto& [fid, m] : memberships_) {
    if (!m.channel || m.phase == Membership::Phase::departed || m.phase == Membership::Phase::resolved) continue;
    // Until the batch funding the factory is out, a deposit is still a wallet coin.
    if (!m.funding_height) {
      auto st = host_.chain.tx_status(m.tree->terms().funding.txid);
      if (!st || !*st) continue;
    }
    h.places.push_back({Place::Kind::channel, fid, own_share(*m.channel), "channel in factory #" + std::to_string(fid)});
  }
  if (auto coins = host_.chain.unspent(wallet_.script())) {
    btc::Amount sum = 0;
    for (const auto& c : *coins) sum += c.out.value;
    if (sum) h.places.push_back({Place::Kind::onchain, 0, sum, "wallet"});
  }
  return h;
}

}  // namespace ladder::client
