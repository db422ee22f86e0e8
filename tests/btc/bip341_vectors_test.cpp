// BIP-341 wallet test vectors: every scriptPubKey case (trees, leaf hashes,
// merkle roots, tweaks, output keys, scriptPubKeys, addresses, control
// blocks) and every key-path spending case (midhashes, sigMsg, sighash,
// tweaked keys and the final signatures).
#include <gtest/gtest.h>

#include "btc/address.h"
#include "btc/sighash.h"
#include "btc/taproot.h"
#include "btc/tx.h"
#include "crypto/schnorr.h"
#include "vectors.h"

namespace ladder::btc {
namespace {

using nlohmann::json;

// Builds the tree of a vector's "scriptTree" (a leaf object or a two-element
// array), recording the leaf ids in depth-first, left-to-right order.
TapTree tree_from_json(const json& j, std::vector<int>& dfs_ids) {
  if (j.is_array()) {
    EXPECT_EQ(j.size(), 2u);
    TapTree left = tree_from_json(j[0], dfs_ids);
    TapTree right = tree_from_json(j[1], dfs_ids);
    return TapTree::branch(std::move(left), std::move(right));
  }
  dfs_ids.push_back(j["id"].get<int>());
  return TapTree::leaf(TapLeaf{j["leafVersion"].get<uint8_t>(), hex_or_throw(j["script"].get<std::string>())});
}

TEST(Bip341Vectors, ScriptPubKey) {
  auto vectors = test::load_json_vectors("bip341-wallet-test-vectors.json");
  size_t cases = 0, control_blocks = 0;
  for (const auto& c : vectors["scriptPubKey"]) {
    SCOPED_TRACE("case " + std::to_string(cases));
    const auto& given = c["given"];
    const auto& inter = c["intermediary"];
    const auto& expected = c["expected"];
    const auto internal = hex_fixed_or_throw<32>(given["internalPubkey"].get<std::string>());

    std::optional<TapTree> tree;
    std::vector<int> ids;
    if (!given["scriptTree"].is_null()) tree = tree_from_json(given["scriptTree"], ids);
    std::optional<Bytes32> root;
    if (tree) root = tree->hash();
    if (inter["merkleRoot"].is_null()) EXPECT_FALSE(root.has_value());
    else EXPECT_EQ(to_hex(*root), inter["merkleRoot"].get<std::string>());

    auto out = taproot_output(internal, root);
    ASSERT_TRUE(out) << out.error().to_string();
    EXPECT_EQ(to_hex(out->tweak), inter["tweak"].get<std::string>());
    EXPECT_EQ(to_hex(out->output_key), inter["tweakedPubkey"].get<std::string>());
    EXPECT_EQ(to_hex(out->script_pubkey()), expected["scriptPubKey"].get<std::string>());
    auto addr = address_from_script(Network::mainnet, out->script_pubkey());
    ASSERT_TRUE(addr);
    EXPECT_EQ(*addr, expected["bip350Address"].get<std::string>());
    auto back = script_from_address(Network::mainnet, *addr);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, out->script_pubkey());

    if (tree) {
      const auto leaves = tree->leaves();
      ASSERT_EQ(leaves.size(), ids.size());
      ASSERT_EQ(inter["leafHashes"].size(), leaves.size());
      ASSERT_EQ(expected["scriptPathControlBlocks"].size(), leaves.size());
      for (size_t i = 0; i < leaves.size(); ++i) {
        const size_t id = static_cast<size_t>(ids[i]);
        EXPECT_EQ(to_hex(leaves[i].leaf_hash), inter["leafHashes"][id].get<std::string>());
        auto cb = make_control_block(*out, leaves[i]);
        ASSERT_TRUE(cb);
        const Bytes cb_bytes = cb->serialize();
        EXPECT_EQ(to_hex(cb_bytes), expected["scriptPathControlBlocks"][id].get<std::string>());
        EXPECT_EQ(merkle_root_from_path(leaves[i].leaf_hash, leaves[i].path), *root);
        auto parsed = ControlBlock::parse(cb_bytes);
        ASSERT_TRUE(parsed);
        EXPECT_EQ(parsed->serialize(), cb_bytes);
        EXPECT_TRUE(verify_taproot_commitment(cb_bytes, out->output_key, leaves[i].leaf.script));
        ++control_blocks;
      }
    }
    ++cases;
  }
  EXPECT_EQ(cases, 7u);
  std::printf("bip341 scriptPubKey: %zu cases, %zu control blocks checked\n", cases, control_blocks);
}

TEST(Bip341Vectors, KeyPathSpending) {
  auto vectors = test::load_json_vectors("bip341-wallet-test-vectors.json");
  size_t inputs_checked = 0;
  for (const auto& c : vectors["keyPathSpending"]) {
    auto tx = parse_transaction_hex(c["given"]["rawUnsignedTx"].get<std::string>());
    ASSERT_TRUE(tx) << tx.error().to_string();
    std::vector<TxOut> spent;
    for (const auto& u : c["given"]["utxosSpent"])
      spent.push_back(TxOut{u["amountSats"].get<Amount>(), hex_or_throw(u["scriptPubKey"].get<std::string>())});
    const auto txdata = precompute_tx_data(*tx, spent);
    ASSERT_TRUE(txdata.bip341_ready);
    const auto& mid = c["intermediary"];
    EXPECT_EQ(to_hex(txdata.sha_amounts), mid["hashAmounts"].get<std::string>());
    EXPECT_EQ(to_hex(txdata.sha_outputs), mid["hashOutputs"].get<std::string>());
    EXPECT_EQ(to_hex(txdata.sha_prevouts), mid["hashPrevouts"].get<std::string>());
    EXPECT_EQ(to_hex(txdata.sha_scriptpubkeys), mid["hashScriptPubkeys"].get<std::string>());
    EXPECT_EQ(to_hex(txdata.sha_sequences), mid["hashSequences"].get<std::string>());

    auto signed_tx = parse_transaction_hex(c["auxiliary"]["fullySignedTx"].get<std::string>());
    ASSERT_TRUE(signed_tx) << signed_tx.error().to_string();
    EXPECT_EQ(to_hex(signed_tx->serialize()), c["auxiliary"]["fullySignedTx"].get<std::string>());
    Transaction stripped = *signed_tx;
    for (auto& in : stripped.vin) {
      in.script_sig.clear();
      in.witness.clear();
    }
    EXPECT_EQ(stripped, *tx);  // the signed tx differs only in scriptSigs and witnesses

    for (const auto& in : c["inputSpending"]) {
      const auto& given = in["given"];
      const auto& inter = in["intermediary"];
      const size_t index = given["txinIndex"].get<size_t>();
      SCOPED_TRACE("input " + std::to_string(index));
      const uint8_t hash_type = given["hashType"].get<uint8_t>();
      std::optional<Bytes32> root;
      if (!given["merkleRoot"].is_null()) root = hex_fixed_or_throw<32>(given["merkleRoot"].get<std::string>());

      auto sk = crypto::SecretKey::parse(hex_or_throw(given["internalPrivkey"].get<std::string>()));
      ASSERT_TRUE(sk);
      const Bytes32 internal = sk->xonly_pubkey().bytes();
      EXPECT_EQ(to_hex(internal), inter["internalPubkey"].get<std::string>());
      auto out = taproot_output(internal, root);
      ASSERT_TRUE(out);
      EXPECT_EQ(to_hex(out->tweak), inter["tweak"].get<std::string>());
      EXPECT_EQ(out->script_pubkey(), spent[index].script_pubkey);
      auto tweaked = taproot_tweak_secret_key(*sk, root);
      ASSERT_TRUE(tweaked);
      EXPECT_EQ(to_hex(tweaked->reveal()), inter["tweakedPrivkey"].get<std::string>());
      EXPECT_EQ(tweaked->xonly_pubkey().bytes(), out->output_key);

      auto msg = taproot_sighash_preimage(*tx, index, hash_type, txdata, std::nullopt, nullptr);
      ASSERT_TRUE(msg) << msg.error().to_string();
      EXPECT_EQ(to_hex(*msg), inter["sigMsg"].get<std::string>());
      auto sighash = taproot_sighash(*tx, index, hash_type, txdata, std::nullopt, nullptr);
      ASSERT_TRUE(sighash);
      EXPECT_EQ(to_hex(*sighash), inter["sigHash"].get<std::string>());

      // BIP-340 with all-zero auxiliary randomness, as the vectors were made.
      const auto sig = crypto::schnorr_sign(*tweaked, *sighash, Bytes32{});
      EXPECT_TRUE(crypto::schnorr_verify(sig, *sighash, tweaked->xonly_pubkey()));
      Bytes witness_sig = to_bytes(sig.bytes());
      if (hash_type != SIGHASH_DEFAULT) witness_sig.push_back(hash_type);
      ASSERT_EQ(in["expected"]["witness"].size(), 1u);
      EXPECT_EQ(to_hex(witness_sig), in["expected"]["witness"][0].get<std::string>());
      EXPECT_EQ(signed_tx->vin[index].witness, Witness{witness_sig});
      ++inputs_checked;
    }
  }
  EXPECT_EQ(inputs_checked, 7u);
  std::printf("bip341 keyPathSpending: %zu inputs checked (midhashes, sigMsg, sighash, signature)\n", inputs_checked);
}

}  // namespace
}  // namespace ladder::btc
