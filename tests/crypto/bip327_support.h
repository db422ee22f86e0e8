// Helpers shared by the BIP-327 vector tests: selecting vector entries by
// index lists and checking an Error against a vector's error object.
#pragma once

#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "crypto/musig.h"
#include "vector_files.h"

namespace ladder::crypto::musig::test {

using nlohmann::json;

template <size_t N>
std::vector<std::array<uint8_t, N>> fixed_list(const json& hex_list) {
  std::vector<std::array<uint8_t, N>> out;
  for (const auto& h : hex_list) out.push_back(hex_fixed_or_throw<N>(h.get<std::string>()));
  return out;
}

template <class T>
std::vector<T> pick(const std::vector<T>& all, const json& indices) {
  std::vector<T> out;
  for (const auto& i : indices) out.push_back(all.at(i.get<size_t>()));
  return out;
}

// Tweaks selected by `tweak_indices` (or taken in order) with their modes.
inline std::vector<Tweak> tweak_list(const std::vector<Bytes32>& all, const json& indices, const json& is_xonly) {
  std::vector<Tweak> out;
  for (size_t j = 0; j < is_xonly.size(); ++j)
    out.push_back(Tweak{all.at(indices.is_null() ? j : indices[j].get<size_t>()), is_xonly[j].get<bool>()});
  return out;
}

// Parses public nonces, blaming the position of the first invalid one.
inline Expected<std::vector<PubNonce>> parse_pubnonces(const std::vector<Bytes66>& raw) {
  std::vector<PubNonce> out;
  for (size_t i = 0; i < raw.size(); ++i) {
    LADDER_ASSIGN(PubNonce n, PubNonce::parse(raw[i], static_cast<int>(i)));
    out.push_back(n);
  }
  return out;
}

// Ladder's error code for each value error the BIP's vectors name.
inline std::string value_error_code(const std::string& bip_message) {
  static const std::map<std::string, std::string> codes = {
      {"The tweak must be less than n.", "musig.tweak-out-of-range"},
      {"The result of tweaking cannot be infinity.", "musig.tweak-infinity"},
      {"The signer's pubkey must be included in the list of pubkeys.", "musig.signer-not-in-keys"},
      {"first secnonce value is out of range.", "musig.secnonce-invalid"},
  };
  auto it = codes.find(bip_message);
  if (it == codes.end()) throw std::runtime_error("unmapped BIP-327 value error: " + bip_message);
  return it->second;
}

// The error must be exactly the one the vector names: same culprit signer
// (null = -1) and contribution, or the mapped value error with the BIP's text.
inline void expect_bip_error(const Error& e, const json& expected) {
  if (expected["type"] == "invalid_contribution") {
    EXPECT_EQ(e.code, kInvalidContribution) << e.to_string();
    EXPECT_EQ(e.what, expected["contrib"].get<std::string>()) << e.to_string();
    EXPECT_EQ(e.index, expected["signer"].is_null() ? -1 : expected["signer"].get<int>()) << e.to_string();
  } else {
    ASSERT_EQ(expected["type"], "value");
    std::string message = expected["message"].get<std::string>();
    EXPECT_EQ(e.code, value_error_code(message)) << e.to_string();
    EXPECT_EQ(e.message, message);
  }
}

template <class T>
void expect_error(const Expected<T>& r, const json& expected) {
  ASSERT_FALSE(r.has_value()) << "expected an error";
  expect_bip_error(r.error(), expected);
}

inline void report(const std::string& file, int valid, int errors) {
  std::cout << "bip327/" << file << ": " << valid + errors << " cases checked (" << valid << " valid, " << errors
            << " error)\n";
}

}  // namespace ladder::crypto::musig::test
