#include "channel/dispatch.h"

namespace ladder::channel {

namespace {

template <class T>
Expected<std::vector<Message>> one(Expected<T> r) {
  if (!r) return r.error();
  return std::vector<Message>{Message(std::move(*r))};
}

Expected<std::vector<Message>> none(Status s) {
  if (!s) return s.error();
  return std::vector<Message>{};
}

}  // namespace

Expected<std::vector<Message>> deliver(Channel& ch, const Message& msg) {
  return std::visit(
      [&](const auto& m) -> Expected<std::vector<Message>> {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, AcceptChannel>) return one(ch.on_accept_channel(m));
        else if constexpr (std::is_same_v<T, FundingSigned>) return one(ch.on_funding_signed(m));
        else if constexpr (std::is_same_v<T, ChannelReady>) return none(ch.on_channel_ready(m));
        else if constexpr (std::is_same_v<T, UpdateAddLock>) return none(ch.on_update_add(m));
        else if constexpr (std::is_same_v<T, UpdateSettleLock>) return none(ch.on_update_settle(m));
        else if constexpr (std::is_same_v<T, UpdateFailLock>) return none(ch.on_update_fail(m));
        else if constexpr (std::is_same_v<T, CommitmentSigned>) {
          auto r = ch.on_commitment_signed(m);
          if (!r) return r.error();
          return std::visit([](auto& v) { return std::vector<Message>{Message(std::move(v))}; }, *r);
        } else if constexpr (std::is_same_v<T, PtlcPresigs>) return one(ch.on_ptlc_presigs(m));
        else if constexpr (std::is_same_v<T, CommitmentPsig>) return one(ch.on_commitment_psig(m));
        else if constexpr (std::is_same_v<T, RevokeAndAck>) return none(ch.on_revoke_and_ack(m));
        else if constexpr (std::is_same_v<T, Stfu>) {
          auto r = ch.on_stfu(m);
          if (!r) return r.error();
          std::vector<Message> out;
          if (*r) out.emplace_back(**r);
          return out;
        } else if constexpr (std::is_same_v<T, RebindPropose>) return one(ch.on_rebind_propose(m));
        else if constexpr (std::is_same_v<T, RebindSigned>) return one(ch.on_rebind_signed(m));
        else if constexpr (std::is_same_v<T, RebindComplete>) return none(ch.on_rebind_complete(m));
        else return make_error("channel.unexpected-message", "open_channel is handled by Channel::accept");
      },
      msg);
}

}  // namespace ladder::channel
