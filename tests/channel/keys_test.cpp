// Channel keys: the derivations each side runs with its own secrets
// (CommitmentKeys::local / remote) give exactly the points of the public
// BOLT #3 derivation, and those points match the secrets that later spend.
#include <gtest/gtest.h>

#include "channel/keys.h"
#include "crypto/hash.h"

namespace ladder::channel {
namespace {

template <class T>
T must(Expected<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(r).value();
}

void expect_same(const CommitmentKeys& a, const CommitmentKeys& b) {
  EXPECT_EQ(a.per_commitment_point, b.per_commitment_point);
  EXPECT_EQ(a.revocation, b.revocation);
  EXPECT_EQ(a.holder_delayed, b.holder_delayed);
  EXPECT_EQ(a.holder_lock, b.holder_lock);
  EXPECT_EQ(a.counterparty_lock, b.counterparty_lock);
  EXPECT_EQ(a.counterparty_payment, b.counterparty_payment);
}

struct Sides {
  ChannelSecrets holder = must(ChannelSecrets::from_seed(crypto::random_bytes32()));
  ChannelSecrets counterparty = must(ChannelSecrets::from_seed(crypto::random_bytes32()));
};

TEST(ChannelKeys, EachSidesDerivationEqualsThePublicOne) {
  Sides s;
  for (uint64_t n : {0, 1, 7, 1000}) {
    const auto point = must(s.holder.per_commitment_point(n));
    const auto expected = must(CommitmentKeys::derive(point, s.holder.basepoints(), s.counterparty.basepoints()));
    ASSERT_TRUE(expected.holder_lock && expected.counterparty_lock);
    expect_same(must(CommitmentKeys::local(s.holder, n, point, s.counterparty.basepoints(), true)), expected);
    expect_same(must(CommitmentKeys::remote(s.counterparty, point, s.holder.basepoints(), true)), expected);
  }
}

TEST(ChannelKeys, LockKeysOnlyWhenAsked) {
  Sides s;
  const auto point = must(s.holder.per_commitment_point(3));
  const auto without = must(CommitmentKeys::local(s.holder, 3, point, s.counterparty.basepoints(), false));
  EXPECT_FALSE(without.holder_lock);
  EXPECT_FALSE(without.counterparty_lock);
  const auto full = must(CommitmentKeys::derive(point, s.holder.basepoints(), s.counterparty.basepoints()));
  EXPECT_EQ(without.revocation, full.revocation);
  EXPECT_EQ(without.holder_delayed, full.holder_delayed);
  EXPECT_FALSE(must(CommitmentKeys::remote(s.counterparty, point, s.holder.basepoints(), false)).holder_lock);
}

TEST(ChannelKeys, DerivedPointsMatchTheSecretsThatSpend) {
  Sides s;
  const uint64_t n = 5;
  const auto point = must(s.holder.per_commitment_point(n));
  const auto keys = must(CommitmentKeys::local(s.holder, n, point, s.counterparty.basepoints(), true));
  // The revealed per-commitment scalar is the secret of the point.
  const auto scalar = must(s.holder.per_commitment_scalar(n));
  const auto secret = must(crypto::SecretKey::from_scalar(scalar));
  EXPECT_EQ(secret.pubkey(), point);
  EXPECT_EQ(secret.reveal(), must(s.holder.per_commitment_secret(n)).reveal());
  // Once revealed, the counterparty's revocation secret matches the key.
  EXPECT_EQ(must(derive_revocation_secret(s.counterparty.revocation_base(), secret)).pubkey(), keys.revocation);
  EXPECT_EQ(must(derive_secret(s.holder.delayed_base(), point)).pubkey(), keys.holder_delayed);
  EXPECT_EQ(must(derive_secret(s.holder.lock_base(), point)).pubkey(), *keys.holder_lock);
  EXPECT_EQ(must(derive_secret(s.counterparty.lock_base(), point)).pubkey(), *keys.counterparty_lock);
}

}  // namespace
}  // namespace ladder::channel
