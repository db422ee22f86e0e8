#include "channel_fixture.h"

#include "btc/interpreter.h"
#include "btc/script_flags.h"
#include "btc/sighash.h"

namespace ladder::channel::test {

ChannelParams test_params() {
  ChannelParams p;
  p.to_self_delay = 10;
  p.max_in_flight = 900'000;
  p.max_locks = 20;
  p.max_dust_exposure = 5'000;
  return p;
}

Bytes32 random32() { return crypto::random_bytes32(); }

Bytes funding_script(const crypto::PubKey& a, const crypto::PubKey& b) {
  return must(FundingKey::create(a, b), "funding key").script_pubkey;
}

Pair open_pair(PairSetup s) {
  crypto::SecretKey lk = s.lsp_key ? *s.lsp_key : crypto::SecretKey::generate();
  crypto::SecretKey ck = s.client_key ? *s.client_key : crypto::SecretKey::generate();
  Binding binding = s.binding ? *s.binding : Binding{{btc::Txid{random32()}, 1}, s.capacity};
  ChannelConfig lc{Role::lsp, lk, ck.pubkey(), random32(), s.params, s.deadlines, binding,
                   binding.value - s.client_balance, s.height};
  ChannelConfig cc{Role::client, ck, lk.pubkey(), random32(), s.params, s.deadlines, binding, s.client_balance,
                   s.height};
  auto [lsp, open] = must(Channel::open(lc), "open");
  auto [client, accept] = must(Channel::accept(cc, open), "accept");
  auto funding_signed = must(lsp.on_accept_channel(accept), "accept_channel");
  auto ready = must(client.on_funding_signed(funding_signed), "funding_signed");
  must(lsp.on_channel_ready(ready), "channel_ready");
  return Pair{std::move(lsp), std::move(client)};
}

void Link::deliver_one(Channel& to, std::deque<Message>& q, std::deque<Message>& back) {
  Message m = std::move(q.front());
  q.pop_front();
  auto replies = must(deliver(to, m), "deliver type " + std::to_string(static_cast<int>(type(m))));
  for (auto& r : replies) back.push_back(std::move(r));
}

void Link::run() {
  for (int guard = 0; guard < 100'000; ++guard) {
    if (!qa_.empty()) {
      deliver_one(a_, qa_, qb_);
      continue;
    }
    if (!qb_.empty()) {
      deliver_one(b_, qb_, qa_);
      continue;
    }
    if (a_.can_sign_commitment()) {
      qb_.push_back(must(a_.sign_commitment(), "sign"));
      continue;
    }
    if (b_.can_sign_commitment()) {
      qa_.push_back(must(b_.sign_commitment(), "sign"));
      continue;
    }
    return;
  }
  throw std::runtime_error("link did not settle");
}

Status verify_spend(const btc::Transaction& tx, const std::vector<btc::TxOut>& spent) {
  auto data = btc::precompute_tx_data(tx, spent);
  for (size_t i = 0; i < tx.vin.size(); ++i) LADDER_TRY(btc::verify_input(tx, i, data, btc::STANDARD_SCRIPT_VERIFY_FLAGS));
  return ok();
}

}  // namespace ladder::channel::test
