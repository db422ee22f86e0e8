// Noise transport beyond the vectors: two state machines talking over an
// in-memory pipe, and every kind of bad input a peer can send.
#include <gtest/gtest.h>

#include <random>

#include "wire/noise.h"

namespace ladder::wire {
namespace {

struct Pair {
  NoiseSession initiator;
  NoiseSession responder;
};

// Runs the three acts between fresh keys, moving bytes by hand as a host would.
Pair handshake(const crypto::SecretKey& ini_key, const crypto::SecretKey& resp_key) {
  NoiseInitiator ini(ini_key, resp_key.pubkey(), crypto::SecretKey::generate());
  NoiseResponder resp(resp_key, crypto::SecretKey::generate());
  Bytes act_two = resp.read_act_one(ini.act_one()).value();
  auto done = ini.read_act_two(act_two).value();
  NoiseSession responder = resp.read_act_three(done.act_three).value();
  return Pair{std::move(done.session), std::move(responder)};
}

// Feeds `stream` to `dec` in chunks of random size (1..max_chunk) and
// returns every message that came out.
std::vector<Bytes> drain(Decryptor& dec, const Bytes& stream, std::mt19937& rng, size_t max_chunk) {
  std::vector<Bytes> out;
  size_t pos = 0;
  while (pos < stream.size()) {
    size_t n = std::min(stream.size() - pos, std::uniform_int_distribution<size_t>(1, max_chunk)(rng));
    dec.feed(ByteView(stream).subspan(pos, n));
    pos += n;
    for (;;) {
      auto m = dec.next();
      EXPECT_TRUE(m) << m.error().to_string();
      if (!m || !m->has_value()) break;
      out.push_back(std::move(**m));
    }
  }
  return out;
}

TEST(Noise, TwoStateMachinesOverAnInMemoryPipe) {
  const auto ini_key = crypto::SecretKey::generate();
  const auto resp_key = crypto::SecretKey::generate();
  Pair p = handshake(ini_key, resp_key);
  EXPECT_EQ(p.initiator.remote_static, resp_key.pubkey());
  EXPECT_EQ(p.responder.remote_static, ini_key.pubkey());

  std::mt19937 rng(7);
  // 1200 messages each way cross the 1000-nonce rotation twice per direction;
  // sizes include empty and the 65535-byte maximum.
  for (auto [from, to] : {std::pair{&p.initiator, &p.responder}, std::pair{&p.responder, &p.initiator}}) {
    std::vector<Bytes> sent;
    Bytes stream;
    for (int i = 0; i < 1200; ++i) {
      size_t len = i == 5 ? kNoiseMaxMessage : i % 97 == 0 ? 0 : std::uniform_int_distribution<size_t>(1, 300)(rng);
      Bytes m(len);
      for (auto& b : m) b = static_cast<uint8_t>(rng());
      append(stream, from->encryptor.encrypt(m).value());
      sent.push_back(std::move(m));
    }
    std::vector<Bytes> got = drain(to->decryptor, stream, rng, 700);
    ASSERT_EQ(got.size(), sent.size());
    for (size_t i = 0; i < sent.size(); ++i) ASSERT_EQ(got[i], sent[i]) << "message " << i;
    EXPECT_EQ(to->decryptor.buffered(), 0u);
  }
}

TEST(Noise, InitiatorWithTheWrongResponderKeyIsRejectedAtActOne) {
  const auto resp_key = crypto::SecretKey::generate();
  NoiseInitiator ini(crypto::SecretKey::generate(), crypto::SecretKey::generate().pubkey(),
                     crypto::SecretKey::generate());
  NoiseResponder resp(resp_key, crypto::SecretKey::generate());
  auto r = resp.read_act_one(ini.act_one());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "noise.bad-tag");
}

// One recorded handshake with fixed keys; fresh machines replay it with
// altered acts.
struct Transcript {
  crypto::SecretKey ini_key = crypto::SecretKey::generate();
  crypto::SecretKey resp_key = crypto::SecretKey::generate();
  crypto::SecretKey ini_e = crypto::SecretKey::generate();
  crypto::SecretKey resp_e = crypto::SecretKey::generate();
  Bytes act_one, act_two, act_three;

  Transcript() {
    NoiseInitiator ini = initiator();
    NoiseResponder resp = responder();
    act_one = ini.act_one();
    act_two = resp.read_act_one(act_one).value();
    act_three = ini.read_act_two(act_two).value().act_three;
  }
  NoiseInitiator initiator() const { return NoiseInitiator(ini_key, resp_key.pubkey(), ini_e); }
  NoiseResponder responder() const { return NoiseResponder(resp_key, resp_e); }
  // An initiator that has sent act one.
  NoiseInitiator initiator_after_act_one() const {
    NoiseInitiator ini = initiator();
    (void)ini.act_one();
    return ini;
  }
  // A responder that has read act one.
  NoiseResponder responder_after_act_one() const {
    NoiseResponder resp = responder();
    resp.read_act_one(act_one).value();
    return resp;
  }
};

TEST(Noise, TruncatedAndOverlongActsAreRejected) {
  const Transcript t;

  auto cut = [](const Bytes& act, size_t n) {
    Bytes b = act;
    b.resize(n);
    return b;
  };
  for (size_t n = 0; n <= kNoiseActOneSize + 1; ++n) {
    if (n == kNoiseActOneSize) continue;
    EXPECT_EQ(t.responder().read_act_one(cut(t.act_one, n)).error().code, "noise.act-length") << n;
    EXPECT_EQ(t.initiator_after_act_one().read_act_two(cut(t.act_two, n)).error().code, "noise.act-length") << n;
  }
  for (size_t n = 0; n <= kNoiseActThreeSize + 1; ++n) {
    if (n == kNoiseActThreeSize) continue;
    EXPECT_EQ(t.responder_after_act_one().read_act_three(cut(t.act_three, n)).error().code, "noise.act-length")
        << n;
  }
}

TEST(Noise, EveryCorruptedActByteIsRejected) {
  // Every byte of every act is authenticated: flipping any bit fails.
  const Transcript t;
  auto flip = [](const Bytes& act, size_t i) {
    Bytes bad = act;
    bad[i] ^= 0x01;
    return bad;
  };
  for (size_t i = 0; i < t.act_one.size(); ++i) {
    EXPECT_FALSE(t.responder().read_act_one(flip(t.act_one, i))) << "act one byte " << i;
    EXPECT_FALSE(t.initiator_after_act_one().read_act_two(flip(t.act_two, i))) << "act two byte " << i;
  }
  for (size_t i = 0; i < t.act_three.size(); ++i)
    EXPECT_FALSE(t.responder_after_act_one().read_act_three(flip(t.act_three, i))) << "act three byte " << i;
  // The unaltered transcript replays successfully.
  EXPECT_TRUE(t.responder_after_act_one().read_act_three(t.act_three));
}

TEST(Noise, CorruptedLengthMacFailsTheStreamForGood) {
  Pair p = handshake(crypto::SecretKey::generate(), crypto::SecretKey::generate());
  for (size_t i : {0u, 1u, 2u, 17u}) {  // the sealed length and its tag
    Pair q = handshake(crypto::SecretKey::generate(), crypto::SecretKey::generate());
    Bytes packet = q.initiator.encryptor.encrypt(Bytes{1, 2, 3}).value();
    packet[i] ^= 0x04;
    q.responder.decryptor.feed(packet);
    EXPECT_EQ(q.responder.decryptor.next().error().code, "noise.bad-tag") << i;
    EXPECT_EQ(q.responder.decryptor.next().error().code, "noise.failed") << i;
  }
  // A forged body fails too, and nothing decrypts afterwards.
  Bytes packet = p.initiator.encryptor.encrypt(Bytes{1, 2, 3}).value();
  packet[kNoiseHeaderSize + 1] ^= 0x01;
  p.responder.decryptor.feed(packet);
  EXPECT_EQ(p.responder.decryptor.next().error().code, "noise.bad-tag");
  p.responder.decryptor.feed(p.initiator.encryptor.encrypt(Bytes{4}).value());
  EXPECT_EQ(p.responder.decryptor.next().error().code, "noise.failed");
}

TEST(Noise, OversizedLengthsAreRejected) {
  Pair p = handshake(crypto::SecretKey::generate(), crypto::SecretKey::generate());
  EXPECT_EQ(p.initiator.encryptor.encrypt(Bytes(kNoiseMaxMessage + 1)).error().code, "noise.message-too-large");
  // The failed call used no nonce: the next message still decrypts.
  p.responder.decryptor.feed(p.initiator.encryptor.encrypt(Bytes{9}).value());
  EXPECT_EQ(**p.responder.decryptor.next(), Bytes{9});

  // A decryptor with a lower limit rejects a larger declared length as soon
  // as the length prefix opens, before the body arrives.
  Decryptor strict{CipherState(Bytes32{}, Bytes32{})};
  Encryptor sender{CipherState(Bytes32{}, Bytes32{})};
  Decryptor limited{CipherState(Bytes32{}, Bytes32{}), 100};
  Bytes packet = sender.encrypt(Bytes(101)).value();
  limited.feed(ByteView(packet).first(kNoiseHeaderSize));
  EXPECT_EQ(limited.next().error().code, "noise.oversized");
  strict.feed(packet);
  EXPECT_EQ((*strict.next())->size(), 101u);
}

TEST(Noise, ReplayedOrReorderedPacketsFail) {
  Pair p = handshake(crypto::SecretKey::generate(), crypto::SecretKey::generate());
  Bytes a = p.initiator.encryptor.encrypt(Bytes{1}).value();
  p.responder.decryptor.feed(a);
  EXPECT_EQ(**p.responder.decryptor.next(), Bytes{1});
  p.responder.decryptor.feed(a);  // replay
  EXPECT_EQ(p.responder.decryptor.next().error().code, "noise.bad-tag");

  Pair q = handshake(crypto::SecretKey::generate(), crypto::SecretKey::generate());
  (void)q.initiator.encryptor.encrypt(Bytes{1}).value();
  Bytes b = q.initiator.encryptor.encrypt(Bytes{2}).value();
  q.responder.decryptor.feed(b);  // out of order
  EXPECT_EQ(q.responder.decryptor.next().error().code, "noise.bad-tag");
}

TEST(Noise, PartialPacketsWaitForMoreBytes) {
  Pair p = handshake(crypto::SecretKey::generate(), crypto::SecretKey::generate());
  Bytes packet = p.initiator.encryptor.encrypt(Bytes(40, 7)).value();
  for (size_t i = 0; i + 1 < packet.size(); ++i) {
    p.responder.decryptor.feed(ByteView(packet).subspan(i, 1));
    auto m = p.responder.decryptor.next();
    ASSERT_TRUE(m);
    EXPECT_FALSE(m->has_value()) << i;
  }
  p.responder.decryptor.feed(ByteView(packet).last(1));
  EXPECT_EQ(**p.responder.decryptor.next(), Bytes(40, 7));
}

TEST(Noise, ActsOutOfOrderAreProgrammerErrors) {
  const auto resp_key = crypto::SecretKey::generate();
  NoiseInitiator ini(crypto::SecretKey::generate(), resp_key.pubkey(), crypto::SecretKey::generate());
  EXPECT_THROW((void)ini.read_act_two(Bytes(kNoiseActTwoSize)), std::logic_error);
  Bytes act_one = ini.act_one();
  EXPECT_THROW((void)ini.act_one(), std::logic_error);
  NoiseResponder resp(resp_key, crypto::SecretKey::generate());
  EXPECT_THROW((void)resp.read_act_three(Bytes(kNoiseActThreeSize)), std::logic_error);
  // A failed act ends the handshake.
  Bytes bad = act_one;
  bad[0] = 1;
  EXPECT_EQ(resp.read_act_one(bad).error().code, "noise.bad-version");
  EXPECT_THROW((void)resp.read_act_one(act_one), std::logic_error);
}

}  // namespace
}  // namespace ladder::wire
