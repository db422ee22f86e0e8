// Test fixtures for channels: open an LSP/client pair in-process, pass
// messages between them in order, and check commitments with the script
// interpreter or on the embedded chain.
#pragma once

#include <deque>
#include <optional>
#include <stdexcept>
#include <string>

#include "channel/dispatch.h"
#include "channel/enforcement.h"

namespace ladder::channel::test {

template <class T>
T must(Expected<T> r, const std::string& what = "step") {
  if (!r) throw std::runtime_error(what + ": " + r.error().to_string());
  return std::move(r).value();
}
inline void must(Status s, const std::string& what = "step") {
  if (!s) throw std::runtime_error(what + ": " + s.error().to_string());
}

ChannelParams test_params();

struct PairSetup {
  btc::Amount capacity = 1'000'000;
  btc::Amount client_balance = 400'000;
  ChannelParams params = test_params();
  Deadlines deadlines{std::nullopt, 20};
  uint32_t height = 100;
  std::optional<crypto::SecretKey> lsp_key, client_key;
  std::optional<Binding> binding;  // default: a made-up outpoint
};

struct Pair {
  Channel lsp;
  Channel client;
};

// The channel output script two factory keys make.
Bytes funding_script(const crypto::PubKey& a, const crypto::PubKey& b);
// Runs the whole open handshake; throws on any failure.
Pair open_pair(PairSetup setup);

// In-order delivery between two channels.
class Link {
 public:
  Link(Channel& a, Channel& b) : a_(a), b_(b) {}
  void to_a(Message m) { qa_.push_back(std::move(m)); }
  void to_b(Message m) { qb_.push_back(std::move(m)); }
  // Delivers everything, signing commitments whenever a side can, until
  // nothing is pending. Throws on any error.
  void run();
  bool idle() const { return qa_.empty() && qb_.empty(); }

 private:
  void deliver_one(Channel& to, std::deque<Message>& q, std::deque<Message>& back);
  Channel& a_;
  Channel& b_;
  std::deque<Message> qa_, qb_;
};

// Verifies input 0 of `tx` spending `spent` under standard script flags.
Status verify_spend(const btc::Transaction& tx, const std::vector<btc::TxOut>& spent);

Bytes32 random32();

}  // namespace ladder::channel::test
