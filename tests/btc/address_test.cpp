// Bech32/bech32m strings and segwit addresses: every valid and invalid
// example of BIP-173 and BIP-350, plus round trips on all four networks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "btc/address.h"
#include "btc/bech32.h"

namespace ladder::btc {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(Bech32, Bip173And350ValidStrings) {
  const std::pair<const char*, Bech32Encoding> valid[] = {
      {"A12UEL5L", Bech32Encoding::bech32},
      {"a12uel5l", Bech32Encoding::bech32},
      {"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
       Bech32Encoding::bech32},
      {"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", Bech32Encoding::bech32},
      {"11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
       Bech32Encoding::bech32},
      {"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", Bech32Encoding::bech32},
      {"?1ezyfcl", Bech32Encoding::bech32},
      {"A1LQFN3A", Bech32Encoding::bech32m},
      {"a1lqfn3a", Bech32Encoding::bech32m},
      {"an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
       Bech32Encoding::bech32m},
      {"abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", Bech32Encoding::bech32m},
      {"11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
       Bech32Encoding::bech32m},
      {"split1checkupstagehandshakeupstreamerranterredcaperredlc445v", Bech32Encoding::bech32m},
      {"?1v759aa", Bech32Encoding::bech32m},
  };
  for (const auto& [str, encoding] : valid) {
    auto d = bech32_decode(str);
    ASSERT_TRUE(d) << str << ": " << d.error().to_string();
    EXPECT_EQ(d->encoding, encoding) << str;
    // Re-encoding gives the lower-case form.
    EXPECT_EQ(bech32_encode(d->encoding, d->hrp, d->data), lower(str));
  }
  std::printf("bech32/bech32m: %zu valid strings\n", std::size(valid));
}

TEST(Bech32, Bip173And350InvalidStrings) {
  const std::pair<std::string, const char*> invalid[] = {
      // BIP-173
      {std::string("\x20") + "1nwldj5", "bech32.bad-char"},
      {std::string("\x7f") + "1axkwrx", "bech32.bad-char"},
      {std::string("\x80") + "1eym55h", "bech32.bad-char"},
      {"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", "bech32.too-long"},
      {"pzry9x0s0muk", "bech32.no-separator"},
      {"1pzry9x0s0muk", "bech32.bad-hrp"},
      {"x1b4n0q5v", "bech32.bad-char"},
      {"li1dgmt3", "bech32.too-short"},
      {std::string("de1lg7wt") + "\xff", "bech32.bad-char"},
      {"A1G7SGD8", "bech32.bad-checksum"},
      {"10a06t8", "bech32.bad-hrp"},
      {"1qzzfhee", "bech32.bad-hrp"},
      // BIP-350
      {std::string("\x20") + "1xj0phk", "bech32.bad-char"},
      {std::string("\x7f") + "1g6xzxy", "bech32.bad-char"},
      {std::string("\x80") + "1vctc34", "bech32.bad-char"},
      {"an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4", "bech32.too-long"},
      {"qyrz8wqd2c9m", "bech32.no-separator"},
      {"1qyrz8wqd2c9m", "bech32.bad-hrp"},
      {"y1b0jsk6g", "bech32.bad-char"},
      {"lt1igcx5c0", "bech32.bad-char"},
      {"in1muywd", "bech32.too-short"},
      {"mm1crxm3i", "bech32.bad-char"},
      {"au1s5cgom", "bech32.bad-char"},
      {"M1VUXWEZ", "bech32.bad-checksum"},
      {"16plkw9", "bech32.bad-hrp"},
      {"1p2gdwpf", "bech32.bad-hrp"},
      // Mixed case (BIP-173's a12uel5l in mixed case).
      {"a12UEL5L", "bech32.mixed-case"},
  };
  for (const auto& [str, code] : invalid) {
    auto d = bech32_decode(str);
    ASSERT_FALSE(d) << str;
    EXPECT_EQ(d.error().code, code) << str;
  }
  std::printf("bech32/bech32m: %zu invalid strings\n", std::size(invalid));
}

TEST(SegwitAddress, ValidExamples) {
  struct Case {
    const char* address;
    const char* hrp;
    const char* script;
  };
  const Case valid[] = {
      // BIP-350 (supersedes BIP-173's v1+ examples; its v0 ones are repeated here)
      {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc", "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "tb",
       "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
      {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "bc",
       "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"BC1SW50QGDZ25J", "bc", "6002751e"},
      {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "bc", "5210751e76e8199196d454941c45d1b3a323"},
      {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "tb",
       "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
      {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "tb",
       "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bc",
       "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
  };
  for (const auto& c : valid) {
    auto wp = decode_segwit_address(c.hrp, c.address);
    ASSERT_TRUE(wp) << c.address << ": " << wp.error().to_string();
    EXPECT_EQ(to_hex(witness_program_script(wp->version, wp->program)), c.script);
    EXPECT_EQ(encode_segwit_address(c.hrp, wp->version, wp->program).value(), lower(c.address));
    // The other network's hrp is refused.
    EXPECT_EQ(decode_segwit_address(std::string(c.hrp) == "bc" ? "tb" : "bc", c.address).error().code,
              "address.wrong-hrp");
  }
  std::printf("segwit addresses: %zu valid examples\n", std::size(valid));
}

TEST(SegwitAddress, InvalidExamples) {
  const std::pair<const char*, const char*> invalid[] = {
      // BIP-350
      {"tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", "address.wrong-hrp"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "address.wrong-checksum-variant"},
      {"tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", "address.wrong-checksum-variant"},
      {"BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "address.wrong-checksum-variant"},
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "address.wrong-checksum-variant"},
      {"tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47", "address.wrong-checksum-variant"},
      {"bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "address.bad-char"},
      {"BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "address.bad-version"},
      {"bc1pw5dgrnzv", "address.bad-program-length"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav", "address.bad-program-length"},
      {"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "address.bad-program-length"},
      {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "address.mixed-case"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "address.bad-padding"},
      {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", "address.bad-padding"},
      {"bc1gmk9yu", "address.empty-data"},
      // BIP-173
      {"tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", "address.wrong-hrp"},
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "address.bad-checksum"},
      {"BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", "address.bad-version"},
      {"bc1rw5uspcuh", nullptr},  // v3 program of 1 byte, with a bech32 checksum
      {"bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90", nullptr},
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", "address.mixed-case"},
      {"bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", nullptr},  // v2 with bech32; also over-long padding
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv", "address.bad-padding"},
      // BIP-173's valid v1+ examples use bech32, which BIP-350 now forbids.
      {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx", "address.wrong-checksum-variant"},
      {"BC1SW50QA3JX3S", "address.wrong-checksum-variant"},
      {"bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj", "address.wrong-checksum-variant"},
  };
  for (const auto& [address, code] : invalid) {
    for (const char* hrp : {"bc", "tb"}) {
      auto wp = decode_segwit_address(hrp, address);
      ASSERT_FALSE(wp) << address << " under " << hrp;
      // The named reason shows when decoding under the address's own hrp.
      if (code && lower(address).starts_with(std::string(hrp) + "1")) {
        EXPECT_EQ(wp.error().code, code) << address;
      }
      EXPECT_TRUE(wp.error().code.starts_with("address.")) << wp.error().code;
    }
  }
  std::printf("segwit addresses: %zu invalid examples\n", std::size(invalid));
}

TEST(SegwitAddress, NetworksAndScripts) {
  EXPECT_EQ(segwit_hrp(Network::mainnet), "bc");
  EXPECT_EQ(segwit_hrp(Network::testnet), "tb");
  EXPECT_EQ(segwit_hrp(Network::signet), "tb");
  EXPECT_EQ(segwit_hrp(Network::regtest), "bcrt");
  const Bytes32 key = hex_fixed_or_throw<32>("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  for (Network net : {Network::mainnet, Network::testnet, Network::signet, Network::regtest}) {
    for (const Bytes& spk : {p2tr_script(key), p2wsh_script(key), p2wpkh_script(crypto::hash160(key)), p2a_script()}) {
      auto addr = address_from_script(net, spk);
      ASSERT_TRUE(addr);
      EXPECT_TRUE(addr->starts_with(std::string(segwit_hrp(net)) + "1"));
      EXPECT_EQ(script_from_address(net, *addr).value(), spk);
    }
  }
  EXPECT_EQ(address_from_script(Network::regtest, p2a_script()).value(), "bcrt1pfeesnyr2tx");
  EXPECT_EQ(address_from_script(Network::mainnet, p2pkh_script(crypto::hash160(key))).error().code,
            "address.not-segwit");
  EXPECT_EQ(encode_segwit_address("bc", 17, Bytes(20)).error().code, "address.bad-version");
  EXPECT_EQ(encode_segwit_address("bc", 0, Bytes(21)).error().code, "address.bad-program-length");
  EXPECT_EQ(encode_segwit_address("bc", 1, Bytes(41)).error().code, "address.bad-program-length");
  EXPECT_EQ(encode_segwit_address("bc", 1, Bytes(1)).error().code, "address.bad-program-length");
}

}  // namespace
}  // namespace ladder::btc
