// The on-chain output O of options 2/3 on the embedded chain: its hashlock is
// the channel's, its claims need O confirmed (nSequence 1), its refund waits
// for T_on, a key-path claim is a MuSig2 of A_fresh and L, and a claim can be
// bumped by a child on the client's own output.
#include <gtest/gtest.h>

#include "channel/scripts.h"
#include "crypto/hash.h"
#include "migrate/batch.h"
#include "migrate/claim_output.h"
#include "support/wallet.h"

namespace ladder::migrate {
namespace {

struct ClaimFixture {
  chain::EmbeddedChain chain;
  test::TestWallet wallet{chain};
  crypto::SecretKey fresh = crypto::SecretKey::generate();
  crypto::SecretKey lsp = crypto::SecretKey::generate();
  crypto::SecretKey dest_key = crypto::SecretKey::generate();
  Bytes dest = test::p2tr_of(dest_key.pubkey());
  Bytes32 preimage = crypto::random_bytes32();

  ClaimFixture() { wallet.mine_coins(2); }
  uint32_t tip() const { return static_cast<uint32_t>(chain.height()); }
  // O funded (unconfirmed): returns its outpoint.
  btc::OutPoint fund(const ClaimOutput& o, btc::Amount value) {
    auto tx = wallet.fund({o.txout(value)});
    EXPECT_TRUE(chain.submit(tx));
    return {tx.txid(), 0};
  }
};

TEST(ClaimOutput, TheHashlockChecksAreTheChannelsByteForByte) {
  const Bytes32 h = crypto::sha256(crypto::random_bytes32());
  const auto key = crypto::SecretKey::generate().pubkey();
  const Bytes ours = hashlock_leaf(h, key.xonly());
  const Bytes channel = channel::htlc_success_leaf(h, std::nullopt, key);
  const size_t checks = 1 + 2 + 1 + 1 + 33 + 1;  // SIZE <32> EQUALVERIFY SHA256 <H> EQUALVERIFY
  ASSERT_GT(ours.size(), checks);
  EXPECT_TRUE(std::equal(ours.begin(), ours.begin() + checks, channel.begin()));
}

TEST(ClaimOutput, ClaimsNeedAConfirmedOAndTheRefundWaitsForTOn) {
  ClaimFixture f;
  const uint32_t t_on = f.tip() + 20;
  auto o = ClaimOutput::swap(f.fresh.pubkey(), f.lsp.pubkey(), crypto::sha256(f.preimage), t_on).value();
  const auto op = f.fund(o, 100'000);
  auto claim = o.claim(op, 100'000, f.dest, 2000, ClaimPath::hashlock).value();
  EXPECT_EQ(claim.tx.vin[0].sequence, 1u);
  auto signed_claim = o.sign_hashlock(claim, f.fresh, f.preimage).value();
  EXPECT_FALSE(f.chain.submit(signed_claim));  // O unconfirmed
  f.wallet.mine_empty(1);
  // A wrong preimage fails the script; the right one goes through.
  auto wrong = o.sign_hashlock(claim, f.fresh, crypto::random_bytes32()).value();
  EXPECT_FALSE(f.chain.submit(wrong));
  auto refund = o.refund(op, 100'000, f.dest, 2000, f.lsp).value();
  EXPECT_FALSE(f.chain.submit(refund));  // before T_on
  ASSERT_TRUE(f.chain.submit(signed_claim));
  EXPECT_EQ(o.preimage_of(signed_claim.vin[0]), f.preimage);
  EXPECT_FALSE(o.is_refund(signed_claim.vin[0]));
  f.wallet.mine_empty(1);
  // A second O, never claimed: L takes it back in the first block after T_on.
  auto op2 = f.fund(o, 50'000);
  f.wallet.mine_empty(static_cast<int>(t_on - f.tip()) - 1);
  auto refund2 = o.refund(op2, 50'000, f.dest, 2000, f.lsp).value();
  EXPECT_FALSE(f.chain.submit(refund2));  // the next block is T_on itself
  f.wallet.mine_empty(1);
  auto accepted = f.chain.submit(refund2);
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  EXPECT_TRUE(o.is_refund(refund2.vin[0]));
}

TEST(ClaimOutput, AKeyPathClaimIsAMuSig2OfBothKeysAndCanBeBumpedByItsOwnOutput) {
  ClaimFixture f;
  auto o = ClaimOutput::ptlc_exit(f.fresh.pubkey(), f.lsp.pubkey(), f.tip() + 50).value();
  EXPECT_FALSE(o.has_hashlock());
  const auto op = f.fund(o, 200'000);
  f.wallet.mine_empty(1);
  auto claim = o.claim(op, 200'000, f.dest, 1000).value();
  auto na = crypto::musig::nonce_gen(f.fresh.pubkey()).value();
  auto nl = crypto::musig::nonce_gen(f.lsp.pubkey()).value();
  const std::vector<crypto::musig::PubNonce> nonces{na.pubnonce, nl.pubnonce};
  auto session =
      crypto::musig::Session::create(o.keyagg(), crypto::musig::nonce_agg(nonces).value(), claim.sighash).value();
  const std::vector<crypto::musig::PartialSig> psigs{session.sign(std::move(na.secnonce), f.fresh).value(),
                                                     session.sign(std::move(nl.secnonce), f.lsp).value()};
  auto sig = session.aggregate(psigs).value();
  EXPECT_EQ(o.with_key_sig(claim, crypto::SchnorrSig(Bytes64{})).error().code, "migrate.bad-signature");
  auto tx = o.with_key_sig(claim, sig).value();
  EXPECT_EQ(ClaimOutput::key_sig_of(tx.vin[0]), sig);
  auto accepted = f.chain.submit(tx);
  ASSERT_TRUE(accepted) << accepted.error().to_string();
  // The client bumps its claim by a child on its own output.
  EXPECT_EQ(cpfp_child(tx, 0, accepted->fee, f.dest, 1000).error().code, "migrate.fee-not-higher");
  auto child = cpfp_child(tx, 0, accepted->fee, f.dest, 20'000).value();
  test::TestWallet::sign_keypath(child, 0, {tx.vout[0]}, f.dest_key);
  auto bumped = f.chain.submit(child);
  ASSERT_TRUE(bumped) << bumped.error().to_string();
  EXPECT_GE((accepted->fee + bumped->fee) * 1000, 20'000 * (tx.vsize() + child.vsize()));
  f.wallet.mine_empty(1);
  EXPECT_EQ(f.chain.find_tx(tx.txid())->confirmations, 1);
}

}  // namespace
}  // namespace ladder::migrate
