// A channel whose output is a real P2TR MuSig2 output on the embedded chain.
#pragma once

#include <gtest/gtest.h>

#include "channel_fixture.h"
#include "support/wallet.h"

namespace ladder::channel::test {

class OnChain : public ::testing::Test {
 protected:
  chain::EmbeddedChain chain;
  ladder::test::TestWallet wallet{chain};
  crypto::SecretKey lk = crypto::SecretKey::generate();
  crypto::SecretKey ck = crypto::SecretKey::generate();
  Bytes dest_client = ladder::test::p2tr_of(crypto::SecretKey::generate().pubkey());
  Bytes dest_lsp = ladder::test::p2tr_of(crypto::SecretKey::generate().pubkey());

  void SetUp() override { wallet.mine_coins(3); }

  // Funds and confirms a channel output of `capacity`; returns its binding.
  Binding fund_output(btc::Amount capacity) {
    auto tx = wallet.fund({{capacity, funding_script(lk.pubkey(), ck.pubkey())}});
    wallet.confirm(tx);
    return {{tx.txid(), 0}, capacity};
  }
  Pair open(btc::Amount capacity = 1'000'000, btc::Amount client_balance = 400'000) {
    PairSetup s;
    s.capacity = capacity;
    s.client_balance = client_balance;
    s.binding = fund_output(capacity);
    s.lsp_key = lk;
    s.client_key = ck;
    s.height = height();
    return open_pair(s);
  }
  uint32_t height() const { return static_cast<uint32_t>(chain.height()); }
  // Submits and mines one block; fails the test on rejection.
  void confirm(const btc::Transaction& tx) {
    auto r = chain.submit(tx);
    ASSERT_TRUE(r) << r.error().to_string();
    wallet.mine_empty(1);
  }
  // The mempool's verdict: "" when accepted, else the reject code.
  std::string verdict(const btc::Transaction& tx) const {
    auto r = chain.test_accept(tx);
    return r ? std::string() : r.error().code;
  }
  // Mines empty blocks until the next block has height `h`.
  void mine_until_next_is(uint32_t h) {
    if (height() + 1 < h) wallet.mine_empty(static_cast<int>(h - height() - 1));
  }
  ClaimOptions to(const Bytes& dest) const { return {dest, 2000}; }
};

// fee a claim tx paid, checked to be exactly its vsize at the rate.
inline btc::Amount claim_fee(const btc::Transaction& tx, btc::Amount in, btc::Amount rate = 2000) {
  EXPECT_EQ(in - tx.total_out(), fee_for_vsize(tx.vsize(), rate));
  return in - tx.total_out();
}

}  // namespace ladder::channel::test
