// CheckTransaction's reject reasons, and the flag / error name helpers.
#include <gtest/gtest.h>

#include "btc/interpreter.h"
#include "btc/opcodes.h"
#include "btc/tx_check.h"

namespace ladder::btc {
namespace {

Transaction valid_tx() {
  Transaction tx;
  TxIn in;
  in.prevout.txid.bytes[0] = 1;
  tx.vin.push_back(in);
  in.prevout.n = 1;
  tx.vin.push_back(in);
  tx.vout.push_back(TxOut{1000, {OP_1}});
  tx.vout.push_back(TxOut{2000, {OP_1}});
  return tx;
}

std::string reject(const Transaction& tx) {
  Status s = check_transaction(tx);
  return s ? "ok" : s.error().code;
}

TEST(CheckTransaction, RejectReasons) {
  EXPECT_EQ(reject(valid_tx()), "ok");
  Transaction tx = valid_tx();
  tx.vin.clear();
  EXPECT_EQ(reject(tx), "bad-txns-vin-empty");
  tx = valid_tx();
  tx.vout.clear();
  EXPECT_EQ(reject(tx), "bad-txns-vout-empty");
  tx = valid_tx();
  tx.vout[1].value = -1;
  EXPECT_EQ(reject(tx), "bad-txns-vout-negative");
  tx.vout[1].value = MAX_MONEY + 1;
  EXPECT_EQ(reject(tx), "bad-txns-vout-toolarge");
  tx.vout[0].value = MAX_MONEY;
  tx.vout[1].value = 1;
  EXPECT_EQ(reject(tx), "bad-txns-txouttotal-toolarge");
  tx.vout[1].value = 0;
  EXPECT_EQ(reject(tx), "ok");
  tx = valid_tx();
  tx.vin[1].prevout = tx.vin[0].prevout;
  EXPECT_EQ(reject(tx), "bad-txns-inputs-duplicate");
  tx = valid_tx();
  tx.vin[1].prevout = OutPoint{Txid{}, 0xffffffff};
  EXPECT_EQ(reject(tx), "bad-txns-prevout-null");
}

TEST(CheckTransaction, Coinbase) {
  Transaction cb;
  TxIn in;
  in.prevout = OutPoint{Txid{}, 0xffffffff};
  in.script_sig = {0x01};
  cb.vin.push_back(in);
  cb.vout.push_back(TxOut{50 * COIN, {OP_1}});
  EXPECT_EQ(reject(cb), "bad-cb-length");
  cb.vin[0].script_sig = Bytes(2, 0);
  EXPECT_EQ(reject(cb), "ok");
  cb.vin[0].script_sig = Bytes(100, 0);
  EXPECT_EQ(reject(cb), "ok");
  cb.vin[0].script_sig = Bytes(101, 0);
  EXPECT_EQ(reject(cb), "bad-cb-length");
}

TEST(CheckTransaction, Oversize) {
  Transaction tx = valid_tx();
  // One output script that makes the stripped size exactly the limit, then one byte more.
  const size_t limit = MAX_BLOCK_WEIGHT / WITNESS_SCALE_FACTOR;
  tx.vout[0].script_pubkey.resize(limit - tx.base_size() - 3);  // its CompactSize grows from 1 to 5 bytes
  ASSERT_EQ(tx.base_size(), limit);
  EXPECT_EQ(reject(tx), "ok");
  tx.vout[0].script_pubkey.push_back(0);
  EXPECT_EQ(reject(tx), "bad-txns-oversize");
  // The witness does not count.
  tx.vout[0].script_pubkey.pop_back();
  tx.vin[0].witness = {Bytes(1000)};
  EXPECT_EQ(reject(tx), "ok");
}

TEST(ScriptFlags, ParseAndFormat) {
  EXPECT_EQ(parse_script_flags("").value(), 0u);
  EXPECT_EQ(parse_script_flags("NONE").value(), 0u);
  EXPECT_EQ(parse_script_flags("P2SH,WITNESS").value(), uint32_t{SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS});
  EXPECT_EQ(parse_script_flags("P2SH,BOGUS").error().code, "script-flags.unknown");
  EXPECT_EQ(format_script_flags(SCRIPT_VERIFY_TAPROOT | SCRIPT_VERIFY_P2SH), "P2SH,TAPROOT");
  EXPECT_EQ(parse_script_flags(format_script_flags(STANDARD_SCRIPT_VERIFY_FLAGS)).value(),
            STANDARD_SCRIPT_VERIFY_FLAGS);
  EXPECT_EQ(STANDARD_SCRIPT_VERIFY_FLAGS & MANDATORY_SCRIPT_VERIFY_FLAGS, MANDATORY_SCRIPT_VERIFY_FLAGS);
}

TEST(ScriptErrors, CodesAndNames) {
  EXPECT_EQ(script_error_code(ScriptError::EVAL_FALSE), "script.eval-false");
  EXPECT_EQ(script_error_code(ScriptError::WITNESS_PROGRAM_MISMATCH), "script.witness-program-mismatch");
  EXPECT_EQ(script_error_test_name(ScriptError::SIG_NULLFAIL), "NULLFAIL");
  for (int i = 0; i <= static_cast<int>(ScriptError::SCRIPTNUM); ++i) {
    const auto e = static_cast<ScriptError>(i);
    EXPECT_EQ(parse_script_error_test_name(script_error_test_name(e)).value(), e);
    EXPECT_EQ(core_script_error_name(make_script_error(e, 3)), script_error_test_name(e));
    EXPECT_EQ(make_script_error(e, 3).index, 3);
  }
}

}  // namespace
}  // namespace ladder::btc
