// Channel messages of live factories: delivered to L's side of the channel,
// replies sent back, commitments signed whenever L has changes to sign.
#include "channel/dispatch.h"
#include "lsp/lsp.h"

namespace ladder::lsp {

namespace {
const channel::ChannelId& channel_id_of(const channel::Message& m) {
  return std::visit([](const auto& v) -> const channel::ChannelId& { return v.channel_id; }, m);
}
}  // namespace

Member* Lsp::member_by_channel(const channel::ChannelId& id, LiveFactory** f) {
  auto it = channel_index_.find(id);
  if (it == channel_index_.end()) return nullptr;
  LiveFactory* lf = factory(it->second.first);
  if (!lf) return nullptr;
  if (f) *f = lf;
  return &lf->members.at(it->second.second);
}

Status Lsp::on_channel_message(const core::PeerId& from, const channel::Message& m) {
  LiveFactory* f = nullptr;
  Member* member = member_by_channel(channel_id_of(m), &f);
  if (!member || !member->channel || member->peer != from)
    return make_error("lsp.unknown-channel", "no channel with that id for this peer");
  channel::Channel& ch = *member->channel;
  ch.set_height(height_);
  LADDER_ASSIGN(auto replies, channel::deliver(ch, m));
  for (auto& r : replies) pending_.send(from, migrate::from_channel_message(std::move(r)));
  mark("lsp/channel", Bytes(ch.id().begin(), ch.id().end()));
  LADDER_TRY(on_channel_events(*f, *member));
  return sign_if_needed(*member);
}

Status Lsp::sign_if_needed(Member& member) {
  channel::Channel& ch = *member.channel;
  if (!ch.can_sign_commitment()) return ok();
  LADDER_ASSIGN(auto sig, ch.sign_commitment());
  pending_.send(member.peer, std::move(sig));
  mark("lsp/channel", Bytes(ch.id().begin(), ch.id().end()));
  return ok();
}

}  // namespace ladder::lsp
