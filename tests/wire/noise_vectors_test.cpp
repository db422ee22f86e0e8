// Every handshake and message-encryption vector in BOLT #8 Appendix A
// (lightning/bolts 08-transport.md), including each failure case.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wire/noise.h"
#include "wire/noise_crypto.h"

namespace ladder::wire {
namespace {

crypto::SecretKey key(const char* hex) { return crypto::SecretKey::parse(hex_or_throw(hex)).value(); }
crypto::PubKey point(const char* hex) { return crypto::PubKey::parse(hex_or_throw(hex)).value(); }

const crypto::SecretKey kInitiatorStatic = key("1111111111111111111111111111111111111111111111111111111111111111");
const crypto::SecretKey kInitiatorEphemeral = key("1212121212121212121212121212121212121212121212121212121212121212");
const crypto::SecretKey kResponderStatic = key("2121212121212121212121212121212121212121212121212121212121212121");
const crypto::SecretKey kResponderEphemeral = key("2222222222222222222222222222222222222222222222222222222222222222");
const crypto::PubKey kInitiatorPub = point("034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa");
const crypto::PubKey kResponderPub = point("028d7500dd4c12685d1f568b4c2b5048e8534b873319f3a8daa612b469132ec7f7");

const char* const kActOne =
    "00036360e856310ce5d294e8be33fc807077dc56ac80d95d9cd4ddbd21325eff73f70df6086551151f58b8afe6c195782c6a";
const char* const kActTwo =
    "0002466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f276e2470b93aac583c9ef6eafca3f730ae";
const char* const kActThree =
    "00b9e3a702e93e3a9948c2ed6e5fd7590a6e1c3a0344cfc9d5b57357049aa22355361aa02e55a8fc28fef5bd6d71ad0c38228dc68b1c46"
    "6263b47fdf31e560e139ba";
// Final keys of the successful handshake (also the inputs of the message test).
const Bytes32 kCk = hex_fixed_or_throw<32>("919219dbb2920afa8db80f9a51787a840bcf111ed8d588caf9ab4be716e42b01");
const Bytes32 kSk = hex_fixed_or_throw<32>("969ab31b4d288cedf6218839b27a3e2140827047f2c0f01bf5c04435d43511a9");
const Bytes32 kRk = hex_fixed_or_throw<32>("bb9020b8965f4df047e07f955f3c4b88418984aadc5cdb35096b9ea8fa5c3442");

int g_cases = 0;

Bytes hello() { return Bytes{'h', 'e', 'l', 'l', 'o'}; }

NoiseInitiator initiator() { return NoiseInitiator(kInitiatorStatic, kResponderPub, kInitiatorEphemeral); }
NoiseResponder responder() { return NoiseResponder(kResponderStatic, kResponderEphemeral); }

// A session's send key is `key` iff its packets equal a reference encryptor's.
void expect_send_key(Encryptor& enc, const Bytes32& key) {
  Encryptor reference{CipherState(key, kCk)};
  EXPECT_EQ(to_hex(enc.encrypt(hello()).value()), to_hex(reference.encrypt(hello()).value()));
}

// A session's receive key is `key` iff it opens a reference encryptor's packet.
void expect_recv_key(Decryptor& dec, const Bytes32& key) {
  Encryptor reference{CipherState(key, kCk)};
  dec.feed(reference.encrypt(hello()).value());
  auto got = dec.next();
  ASSERT_TRUE(got) << got.error().to_string();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, hello());
}

TEST(NoiseVectors, InitiatorSuccessfulHandshake) {
  NoiseInitiator ini = initiator();
  EXPECT_EQ(to_hex(ini.act_one()), kActOne);
  auto done = ini.read_act_two(hex_or_throw(kActTwo));
  ASSERT_TRUE(done) << done.error().to_string();
  EXPECT_EQ(to_hex(done->act_three), kActThree);
  EXPECT_EQ(done->session.remote_static, kResponderPub);
  expect_send_key(done->session.encryptor, kSk);
  expect_recv_key(done->session.decryptor, kRk);
  ++g_cases;
}

TEST(NoiseVectors, ResponderSuccessfulHandshake) {
  NoiseResponder resp = responder();
  auto act_two = resp.read_act_one(hex_or_throw(kActOne));
  ASSERT_TRUE(act_two) << act_two.error().to_string();
  EXPECT_EQ(to_hex(*act_two), kActTwo);
  auto session = resp.read_act_three(hex_or_throw(kActThree));
  ASSERT_TRUE(session) << session.error().to_string();
  EXPECT_EQ(session->remote_static, kInitiatorPub);
  expect_send_key(session->encryptor, kRk);
  expect_recv_key(session->decryptor, kSk);
  ++g_cases;
}

struct FailureVector {
  const char* name;
  const char* input;
  const char* code;
};

TEST(NoiseVectors, InitiatorActTwoFailures) {
  const std::vector<FailureVector> cases = {
      {"act2 short read",
       "0002466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f276e2470b93aac583c9ef6eafca3f730",
       "noise.act-length"},
      {"act2 bad version",
       "0102466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f276e2470b93aac583c9ef6eafca3f730ae",
       "noise.bad-version"},
      {"act2 bad key serialization",
       "0004466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f276e2470b93aac583c9ef6eafca3f730ae",
       "noise.bad-pubkey"},
      {"act2 bad MAC",
       "0002466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f276e2470b93aac583c9ef6eafca3f730af",
       "noise.bad-tag"},
  };
  for (const auto& c : cases) {
    NoiseInitiator ini = initiator();
    EXPECT_EQ(to_hex(ini.act_one()), kActOne) << c.name;
    auto r = ini.read_act_two(hex_or_throw(c.input));
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().to_string();
    ++g_cases;
  }
}

TEST(NoiseVectors, ResponderActOneFailures) {
  const std::vector<FailureVector> cases = {
      {"act1 short read",
       "00036360e856310ce5d294e8be33fc807077dc56ac80d95d9cd4ddbd21325eff73f70df6086551151f58b8afe6c195782c",
       "noise.act-length"},
      {"act1 bad version",
       "01036360e856310ce5d294e8be33fc807077dc56ac80d95d9cd4ddbd21325eff73f70df6086551151f58b8afe6c195782c6a",
       "noise.bad-version"},
      {"act1 bad key serialization",
       "00046360e856310ce5d294e8be33fc807077dc56ac80d95d9cd4ddbd21325eff73f70df6086551151f58b8afe6c195782c6a",
       "noise.bad-pubkey"},
      {"act1 bad MAC",
       "00036360e856310ce5d294e8be33fc807077dc56ac80d95d9cd4ddbd21325eff73f70df6086551151f58b8afe6c195782c6b",
       "noise.bad-tag"},
  };
  for (const auto& c : cases) {
    NoiseResponder resp = responder();
    auto r = resp.read_act_one(hex_or_throw(c.input));
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().to_string();
    ++g_cases;
  }
}

TEST(NoiseVectors, ResponderActThreeFailures) {
  const std::vector<FailureVector> cases = {
      {"act3 bad version",
       "01b9e3a702e93e3a9948c2ed6e5fd7590a6e1c3a0344cfc9d5b57357049aa22355361aa02e55a8fc28fef5bd6d71ad0c38228dc68b1c46"
       "6263b47fdf31e560e139ba",
       "noise.bad-version"},
      {"act3 short read",
       "00b9e3a702e93e3a9948c2ed6e5fd7590a6e1c3a0344cfc9d5b57357049aa22355361aa02e55a8fc28fef5bd6d71ad0c38228dc68b1c46"
       "6263b47fdf31e560e139",
       "noise.act-length"},
      {"act3 bad MAC for ciphertext",
       "00c9e3a702e93e3a9948c2ed6e5fd7590a6e1c3a0344cfc9d5b57357049aa22355361aa02e55a8fc28fef5bd6d71ad0c38228dc68b1c46"
       "6263b47fdf31e560e139ba",
       "noise.bad-ciphertext"},
      {"act3 bad rs",
       "00bfe3a702e93e3a9948c2ed6e5fd7590a6e1c3a0344cfc9d5b57357049aa2235536ad09a8ee351870c2bb7f78b754a26c6cef79a98d25"
       "139c856d7efd252c2ae73c",
       "noise.bad-pubkey"},
      {"act3 bad MAC",
       "00b9e3a702e93e3a9948c2ed6e5fd7590a6e1c3a0344cfc9d5b57357049aa22355361aa02e55a8fc28fef5bd6d71ad0c38228dc68b1c46"
       "6263b47fdf31e560e139bb",
       "noise.bad-tag"},
  };
  for (const auto& c : cases) {
    NoiseResponder resp = responder();
    auto act_two = resp.read_act_one(hex_or_throw(kActOne));
    ASSERT_TRUE(act_two) << c.name;
    EXPECT_EQ(to_hex(*act_two), kActTwo) << c.name;
    auto r = resp.read_act_three(hex_or_throw(c.input));
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().to_string();
    ++g_cases;
  }
}

TEST(NoiseVectors, HkdfIntermediateValues) {
  // The HKDF steps the vectors' comments spell out (act one, act two, act
  // three, first and second key rotation).
  struct Step {
    const char *salt, *ikm, *first, *second;
  };
  const std::vector<Step> steps = {
      {"2640f52eebcd9e882958951c794250eedb28002c05d7dc2ea0f195406042caf1",
       "1e2fb3c8fe8fb9f262f649f64d26ecf0f2c0a805a767cf02dc2d77a6ef1fdcc3",
       "b61ec1191326fa240decc9564369dbb3ae2b34341d1e11ad64ed89f89180582f",
       "e68f69b7f096d7917245f5e5cf8ae1595febe4d4644333c99f9c4a1282031c9f"},
      {"b61ec1191326fa240decc9564369dbb3ae2b34341d1e11ad64ed89f89180582f",
       "c06363d6cc549bcb7913dbb9ac1c33fc1158680c89e972000ecd06b36c472e47",
       "e89d31033a1b6bf68c07d22e08ea4d7884646c4b60a9528598ccb4ee2c8f56ba",
       "908b166535c01a935cf1e130a5fe895ab4e6f3ef8855d87e9b7581c4ab663ddc"},
      {"e89d31033a1b6bf68c07d22e08ea4d7884646c4b60a9528598ccb4ee2c8f56ba",
       "b36b6d195982c5be874d6d542dc268234379e1ae4ff1709402135b7de5cf0766",
       "919219dbb2920afa8db80f9a51787a840bcf111ed8d588caf9ab4be716e42b01",
       "981a46c820fb7a241bc8184ba4bb1f01bcdfafb00dde80098cb8c38db9141520"},
      {"919219dbb2920afa8db80f9a51787a840bcf111ed8d588caf9ab4be716e42b01", "",
       "969ab31b4d288cedf6218839b27a3e2140827047f2c0f01bf5c04435d43511a9",
       "bb9020b8965f4df047e07f955f3c4b88418984aadc5cdb35096b9ea8fa5c3442"},
      {"919219dbb2920afa8db80f9a51787a840bcf111ed8d588caf9ab4be716e42b01",
       "969ab31b4d288cedf6218839b27a3e2140827047f2c0f01bf5c04435d43511a9",
       "cc2c6e467efc8067720c2d09c139d1f77731893aad1defa14f9bf3c48d3f1d31",
       "3fbdc101abd1132ca3a0ae34a669d8d9ba69a587e0bb4ddd59524541cf4813d8"},
      {"cc2c6e467efc8067720c2d09c139d1f77731893aad1defa14f9bf3c48d3f1d31",
       "3fbdc101abd1132ca3a0ae34a669d8d9ba69a587e0bb4ddd59524541cf4813d8",
       "728366ed68565dc17cf6dd97330a859a6a56e87e2beef3bd828a4c4a54d8df06",
       "9e0477f9850dca41e42db0e4d154e3a098e5a000d995e421849fcd5df27882bd"},
  };
  for (const auto& s : steps) {
    auto out = noise::hkdf2(hex_or_throw(s.salt), hex_or_throw(s.ikm));
    EXPECT_EQ(to_hex(out.first), s.first);
    EXPECT_EQ(to_hex(out.second), s.second);
    ++g_cases;
  }
}

TEST(NoiseVectors, EcdhIntermediateValues) {
  // ss of acts one, two and three from the vectors' comments.
  EXPECT_EQ(to_hex(noise::ecdh(kResponderPub, kInitiatorEphemeral)),
            "1e2fb3c8fe8fb9f262f649f64d26ecf0f2c0a805a767cf02dc2d77a6ef1fdcc3");
  const crypto::PubKey responder_e = point("02466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f27");
  EXPECT_EQ(to_hex(noise::ecdh(responder_e, kInitiatorEphemeral)),
            "c06363d6cc549bcb7913dbb9ac1c33fc1158680c89e972000ecd06b36c472e47");
  EXPECT_EQ(to_hex(noise::ecdh(responder_e, kInitiatorStatic)),
            "b36b6d195982c5be874d6d542dc268234379e1ae4ff1709402135b7de5cf0766");
  EXPECT_EQ(kInitiatorEphemeral.pubkey(),
            point("036360e856310ce5d294e8be33fc807077dc56ac80d95d9cd4ddbd21325eff73f7"));
  EXPECT_EQ(kResponderEphemeral.pubkey(), responder_e);
  EXPECT_EQ(kInitiatorStatic.pubkey(), kInitiatorPub);
  EXPECT_EQ(kResponderStatic.pubkey(), kResponderPub);
  g_cases += 7;
}

TEST(NoiseVectors, MessageEncryption) {
  // The initiator sends "hello" 1001 times; outputs 0, 1, 500, 501, 1000 and
  // 1001 are given (two key rotations). The responder opens every packet.
  const std::vector<std::pair<int, const char*>> outputs = {
      {0, "cf2b30ddf0cf3f80e7c35a6e6730b59fe802473180f396d88a8fb0db8cbcf25d2f214cf9ea1d95"},
      {1, "72887022101f0b6753e0c7de21657d35a4cb2a1f5cde2650528bbc8f837d0f0d7ad833b1a256a1"},
      {500, "178cb9d7387190fa34db9c2d50027d21793c9bc2d40b1e14dcf30ebeeeb220f48364f7a4c68bf8"},
      {501, "1b186c57d44eb6de4c057c49940d79bb838a145cb528d6e8fd26dbe50a60ca2c104b56b60e45bd"},
      {1000, "4a2f3cc3b5e78ddb83dcb426d9863d9d9a723b0337c89dd0b005d89f8d3c05c52b76b29b740f09"},
      {1001, "2ecd8c8a5629d0d02ab457a0fdd0f7b90a192cd46be5ecb6ca570bfc5e268338b1a16cf4ef2d36"},
  };
  Encryptor enc{CipherState(kSk, kCk)};
  Decryptor dec{CipherState(kSk, kCk)};
  size_t next_output = 0;
  for (int i = 0; i <= 1001; ++i) {
    Bytes packet = enc.encrypt(hello()).value();
    if (next_output < outputs.size() && outputs[next_output].first == i) {
      EXPECT_EQ(to_hex(packet), outputs[next_output].second) << "output " << i;
      ++next_output;
      ++g_cases;
    }
    dec.feed(packet);
    auto got = dec.next();
    ASSERT_TRUE(got) << "message " << i << ": " << got.error().to_string();
    ASSERT_TRUE(got->has_value());
    ASSERT_EQ(**got, hello()) << "message " << i;
  }
  EXPECT_EQ(next_output, outputs.size());
}

class CountReporter : public ::testing::Environment {
 public:
  void TearDown() override { std::printf("BOLT #8 vectors checked: %d\n", g_cases); }
};
const auto* const kReporter = ::testing::AddGlobalTestEnvironment(new CountReporter);

}  // namespace
}  // namespace ladder::wire
