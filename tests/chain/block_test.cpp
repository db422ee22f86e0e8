// Blocks: serialization round trips, merkle roots, proof of work, BIP-34
// heights, witness commitments, and TxFacts agreeing with Transaction.
#include <gtest/gtest.h>

#include "btc/opcodes.h"
#include "chain/block.h"
#include "chain/consensus.h"
#include "crypto/hash.h"
#include "test_wallet.h"

namespace ladder::chain {
namespace {

TEST(Block, MerkleRootPairsTheLastLeafWithItself) {
  Bytes32 a{1}, b{2}, c{3};
  EXPECT_EQ(merkle_root({}), Bytes32{});
  EXPECT_EQ(merkle_root({a}), a);
  auto h = [](const Bytes32& x, const Bytes32& y) {
    Bytes buf(x.begin(), x.end());
    buf.insert(buf.end(), y.begin(), y.end());
    return crypto::sha256d(buf);
  };
  EXPECT_EQ(merkle_root({a, b}), h(a, b));
  EXPECT_EQ(merkle_root({a, b, c}), h(h(a, b), h(c, c)));
}

TEST(Block, ProofOfWorkAgainstCompactTargets) {
  Bytes32 zero{};
  Bytes32 max;
  max.fill(0xff);
  EXPECT_TRUE(check_proof_of_work(zero, 0x207fffff));
  EXPECT_FALSE(check_proof_of_work(max, 0x207fffff));
  Bytes32 half{};
  half[31] = 0x7f;  // just below the regtest target's top byte
  EXPECT_TRUE(check_proof_of_work(half, 0x207fffff));
  half[31] = 0x80;
  EXPECT_FALSE(check_proof_of_work(half, 0x207fffff));
  EXPECT_FALSE(check_proof_of_work(zero, 0x20800000)) << "negative target";
  EXPECT_FALSE(check_proof_of_work(zero, 0x23000001)) << "overflowing target";
}

TEST(Block, CoinbaseCarriesHeightAndCommitment) {
  for (int h : {0, 1, 16, 17, 127, 128, 255, 256, 65536, 1'000'000}) {
    auto cb = make_coinbase(h, 50 * btc::COIN, Bytes{btc::OP_TRUE});
    EXPECT_TRUE(cb.is_coinbase());
    auto got = coinbase_height(cb);
    ASSERT_TRUE(got) << h;
    EXPECT_EQ(*got, h);
    EXPECT_GE(cb.vin[0].script_sig.size(), 2u) << "consensus needs a 2..100 byte coinbase scriptSig";
  }
  auto cb = make_coinbase(5, btc::COIN, Bytes{btc::OP_TRUE});
  Bytes32 c{9};
  set_witness_commitment(cb, c);
  EXPECT_EQ(find_witness_commitment(cb), c);
  btc::Transaction plain = cb;
  plain.vout.pop_back();
  EXPECT_FALSE(find_witness_commitment(plain));
  EXPECT_THROW(set_witness_commitment(plain, c), std::logic_error);
}

TEST(Block, SerializationRoundTripAndMalformedInput) {
  EmbeddedChain chain;
  testing::TestWallet w(14);
  w.mine(chain, 101);
  auto tx = w.spend({w.coinbase_at(chain, 1)}, {btc::TxOut{btc::COIN, w.script()}});
  ASSERT_TRUE(chain.submit(tx));
  w.mine(chain, 1);
  const Block& b = *chain.tip().block;
  Bytes raw = b.serialize();
  auto parsed = parse_block(raw);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->header.hash(), chain.tip().hash);
  EXPECT_EQ(parsed->txs, b.txs);
  EXPECT_EQ(parsed->weight(), b.weight());
  for (size_t cut : {size_t{0}, size_t{79}, size_t{80}, size_t{81}, raw.size() / 2, raw.size() - 1})
    EXPECT_FALSE(parse_block(ByteView(raw).first(cut))) << cut;
  Bytes trailing = raw;
  trailing.push_back(0);
  EXPECT_FALSE(parse_block(trailing));
  Bytes huge_count(raw.begin(), raw.begin() + 80);
  for (uint8_t x : {0xfe, 0xff, 0xff, 0xff, 0x7f}) huge_count.push_back(x);
  EXPECT_FALSE(parse_block(huge_count));
  EXPECT_EQ(parse_block_hash_hex(block_hash_hex(chain.tip().hash)).value(), chain.tip().hash);
}

TEST(TxFacts, AgreeWithTheTransactionsOwnHashesAndSizes) {
  testing::TestWallet w(15);
  btc::Transaction legacy;
  legacy.vin.push_back(btc::TxIn{btc::OutPoint{btc::Txid{Bytes32{3}}, 1}, Bytes{0x51}, 7, {}});
  legacy.vout.push_back(btc::TxOut{1000, w.script()});
  btc::Transaction segwit = legacy;
  segwit.vin[0].witness = {Bytes(64, 1), Bytes{}, Bytes(300, 2)};
  segwit.vin.push_back(btc::TxIn{btc::OutPoint{btc::Txid{Bytes32{4}}, 0}, {}, 1, {}});
  for (const auto& tx : {legacy, segwit}) {
    TxFacts f = tx_facts(tx);
    EXPECT_EQ(f.txid, tx.txid());
    EXPECT_EQ(f.wtxid, tx.wtxid());
    EXPECT_EQ(f.base_size, tx.base_size());
    EXPECT_EQ(f.total_size, tx.total_size());
    EXPECT_EQ(f.weight, tx.weight());
    EXPECT_EQ(f.vsize, tx.vsize());
  }
}

}  // namespace
}  // namespace ladder::chain
