// BIP-340: every row of bip340-test-vectors.csv. Signing rows must reproduce
// the exact signature; every row must give the exact verification verdict.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "crypto/schnorr.h"
#include "vector_files.h"

namespace ladder::crypto {
namespace {

struct Row {
  std::string index, seckey, pubkey, aux, msg, sig, result, comment;
};

std::vector<Row> load_rows() {
  std::istringstream in(test::read_vector_file("bip340-test-vectors.csv"));
  std::string line;
  std::getline(in, line);  // header
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f;
    size_t start = 0;
    for (int i = 0; i < 7; ++i) {
      size_t comma = line.find(',', start);
      if (comma == std::string::npos) throw std::runtime_error("malformed BIP-340 row: " + line);
      f.push_back(line.substr(start, comma - start));
      start = comma + 1;
    }
    rows.push_back(Row{f[0], f[1], f[2], f[3], f[4], f[5], f[6], line.substr(start)});
  }
  return rows;
}

TEST(Bip340Vectors, EveryRow) {
  auto rows = load_rows();
  ASSERT_EQ(rows.size(), 19u);
  int signed_rows = 0, verified_rows = 0;
  for (const auto& row : rows) {
    SCOPED_TRACE("row " + row.index + " " + row.comment);
    Bytes msg = hex_or_throw(row.msg);
    Bytes sig_bytes = hex_or_throw(row.sig);
    if (!row.seckey.empty()) {
      auto sk = SecretKey::parse(hex_or_throw(row.seckey));
      ASSERT_TRUE(sk);
      EXPECT_EQ(to_hex(sk->xonly_pubkey().bytes()), to_hex(hex_or_throw(row.pubkey)));
      auto sig = schnorr_sign(*sk, msg, hex_fixed_or_throw<32>(row.aux));
      EXPECT_EQ(to_hex(sig.bytes()), to_hex(sig_bytes));
      ++signed_rows;
    }
    bool expected = row.result == "TRUE";
    auto pk = XOnlyPubKey::parse(hex_or_throw(row.pubkey));
    auto sig = SchnorrSig::parse(sig_bytes);
    ASSERT_TRUE(sig);
    bool verdict = pk && schnorr_verify(*sig, msg, *pk);
    EXPECT_EQ(verdict, expected);
    ++verified_rows;
  }
  EXPECT_EQ(signed_rows, 8);
  std::cout << "bip340: " << rows.size() << " rows checked (" << signed_rows << " signing, " << verified_rows
            << " verification)\n";
}

}  // namespace
}  // namespace ladder::crypto
