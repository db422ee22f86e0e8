#include "lsp/construction.h"

namespace ladder::lsp {

namespace {
Error unexpected(const char* what) { return make_error("lsp.unexpected-message", what); }
}  // namespace

Expected<Construction> Construction::start(const factory::FactoryTerms& terms, std::vector<core::PeerId> peers,
                                           uint32_t attempt, const crypto::SecretKey& lsp_key, const LspKeys& keys,
                                           const channel::ChannelParams& channel_params, uint32_t height,
                                           factory::GuardTable& guard, factory::GuardStore& guard_store,
                                           core::Outbox& out) {
  if (peers.size() != terms.clients.size()) throw std::logic_error("Construction: one peer per client");
  factory::Proposal proposal{terms, attempt};
  LADDER_ASSIGN(auto coord, factory::Coordinator::create(proposal));
  auto signer = factory::Signer::lsp(lsp_key, guard, guard_store);
  LADDER_ASSIGN(auto own_nonces, signer.on_proposal(proposal));
  LADDER_TRY(coord.on_nonces(factory::kLsp, own_nonces));
  Construction c(std::move(coord), std::move(signer), std::move(peers), height);
  const size_t n = c.peers_.size();
  c.channels_.resize(n);
  c.accepted_.assign(n, false);
  c.ready_.assign(n, false);
  c.acked_.assign(n, false);
  c.height_ = height;
  factory::Tree& tree = c.coord_.tree();
  const channel::Deadlines deadlines{terms.heights.timeout, terms.heights.x};
  for (uint32_t i = 0; i < n; ++i) {
    const auto& ct = terms.clients[i];
    LADDER_ASSIGN(auto client_key, crypto::PubKey::parse(ct.key));
    const uint32_t leaf = tree.shape().leaf_of(i);
    LADDER_ASSIGN(auto outpoint, tree.leaf_outpoint(leaf, tree.shape().slot_in_leaf(i)));
    channel::ChannelConfig cfg{channel::Role::lsp,
                               lsp_key,
                               client_key,
                               keys.channel_seed(terms.factory_id, i),
                               channel_params,
                               deadlines,
                               channel::Binding{outpoint, tree.capacity(i)},
                               ct.lsp_balance,
                               height};
    LADDER_ASSIGN(auto opened, channel::Channel::open(std::move(cfg)));
    c.channels_[i].emplace(std::move(opened.first));
    out.send(c.peers_[i], proposal);
    out.send(c.peers_[i], std::move(opened.second));
  }
  return c;
}

std::optional<uint32_t> Construction::index_of(const core::PeerId& peer) const {
  for (uint32_t i = 0; i < peers_.size(); ++i)
    if (peers_[i] == peer) return i;
  return std::nullopt;
}

void Construction::enter(Stage s) {
  stage_ = s;
  stage_height_ = height_;
}

Status Construction::on_message(uint32_t who, const migrate::PeerMessage& m, uint32_t height, core::Outbox& out) {
  if (who >= peers_.size()) throw std::logic_error("Construction: client index out of range");
  height_ = height;
  if (auto* b = std::get_if<factory::NonceBatch>(&m)) return on_nonces(who, *b, out);
  if (auto* b = std::get_if<factory::PartialBatch>(&m)) return on_partials(who, *b, out);
  if (auto* a = std::get_if<factory::CeremonyAck>(&m)) return on_ack(who, *a);
  if (auto cm = migrate::as_channel_message(m)) return on_channel(who, *cm, out);
  return unexpected("not a construction message");
}

Status Construction::on_nonces(uint32_t who, const factory::NonceBatch& b, core::Outbox& out) {
  if (stage_ != Stage::nonces) return unexpected("nonces outside the nonce stage");
  LADDER_TRY(coord_.on_nonces(who, b));
  if (!coord_.missing_nonces().empty()) return ok();
  for (uint32_t i = 0; i < peers_.size(); ++i) {
    LADDER_ASSIGN(auto agg, coord_.aggnonces_for(i));
    out.send(peers_[i], std::move(agg));
  }
  enter(Stage::partials);
  return ok();
}

Status Construction::on_partials(uint32_t who, const factory::PartialBatch& b, core::Outbox& out) {
  if (stage_ != Stage::partials) return unexpected("partials outside the partial stage");
  LADDER_TRY(coord_.on_partials(who, b));
  auto missing = coord_.missing_partials();
  if (missing.size() != 1 || missing[0] != factory::kLsp) return ok();
  // Every client signed: L signs last, so that it never releases anything
  // for an attempt a client did not complete.
  LADDER_ASSIGN(auto own_agg, coord_.aggnonces_for(factory::kLsp));
  LADDER_ASSIGN(auto own, signer_.on_aggnonces(own_agg));
  LADDER_TRY(coord_.on_partials(factory::kLsp, own));
  LADDER_TRY(coord_.finalize());
  LADDER_ASSIGN(auto own_sigs, coord_.signatures_for(factory::kLsp));
  LADDER_ASSIGN(auto own_ack, signer_.on_signatures(own_sigs));
  LADDER_TRY(coord_.on_ack(factory::kLsp, own_ack));
  for (uint32_t i = 0; i < peers_.size(); ++i) {
    LADDER_ASSIGN(auto sigs, coord_.signatures_for(i));
    out.send(peers_[i], std::move(sigs));
  }
  enter(Stage::acks);
  return ok();
}

Status Construction::on_ack(uint32_t who, const factory::CeremonyAck& a) {
  if (stage_ != Stage::acks) return unexpected("ack outside the ack stage");
  if (!ready_[who]) return make_error("lsp.channel-not-ready", "ack before the client's channel is ready");
  LADDER_TRY(coord_.on_ack(who, a));
  acked_[who] = true;
  if (coord_.all_acked()) enter(Stage::complete);
  return ok();
}

Status Construction::on_channel(uint32_t who, const channel::Message& m, core::Outbox& out) {
  auto& ch = channels_[who];
  if (auto* a = std::get_if<channel::AcceptChannel>(&m)) {
    if (accepted_[who]) return unexpected("second accept_channel");
    LADDER_ASSIGN(auto signed_msg, ch->on_accept_channel(*a));
    accepted_[who] = true;
    out.send(peers_[who], std::move(signed_msg));
    return ok();
  }
  if (auto* r = std::get_if<channel::ChannelReady>(&m)) {
    if (!accepted_[who] || ready_[who]) return unexpected("channel_ready out of order");
    LADDER_TRY(ch->on_channel_ready(*r));
    ready_[who] = true;
    return ok();
  }
  return unexpected("channel message during the construction");
}

std::vector<uint32_t> Construction::missing() const {
  std::vector<uint32_t> out;
  auto clients_only = [&](std::vector<uint32_t> v) {
    for (uint32_t w : v)
      if (w != factory::kLsp) out.push_back(w);
  };
  switch (stage_) {
    case Stage::nonces:
      clients_only(coord_.missing_nonces());
      for (uint32_t i = 0; i < peers_.size(); ++i)
        if (!accepted_[i] && std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
      break;
    case Stage::partials: clients_only(coord_.missing_partials()); break;
    case Stage::acks:
      for (uint32_t i = 0; i < peers_.size(); ++i)
        if (!acked_[i]) out.push_back(i);
      break;
    case Stage::complete: break;
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ladder::lsp
