// Delivering a message to an open (or opening) Channel: one entry point for
// hosts (the LSP core, the client, tests, benchmarks) that routes a Message
// to its on_* handler and returns the replies the protocol requires.
//
// open_channel / accept_channel are not delivered here: they construct a
// Channel (Channel::accept, Channel::on_accept_channel is routed). Errors are
// the handlers' own; the channel is unchanged on error.
// Thread-safety: as Channel.
#pragma once

#include <vector>

#include "channel/channel.h"

namespace ladder::channel {

Expected<std::vector<Message>> deliver(Channel& ch, const Message& msg);

}  // namespace ladder::channel
