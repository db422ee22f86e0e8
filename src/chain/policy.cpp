#include "chain/policy.h"

#include "btc/opcodes.h"
#include "btc/script.h"
#include "btc/standard_scripts.h"
#include "chain/script_type.h"
#include "util/serialize.h"

namespace ladder::chain {

namespace {

constexpr size_t kMaxScriptSigSize = 1650;
constexpr unsigned kMaxP2shSigops = 15;
constexpr size_t kMaxP2wshScriptSize = 3600;
constexpr size_t kMaxP2wshStackItems = 100;
constexpr size_t kMaxP2wshItemSize = 80;
constexpr size_t kMaxTapscriptItemSize = 80;

bool is_standard_output(ByteView script, const ChainParams& params, OutputType& type) {
  int m = 0, n = 0;
  type = classify(script, &m, &n);
  switch (type) {
    case OutputType::nonstandard: return false;
    case OutputType::multisig: return n >= 1 && n <= 3 && m >= 1 && m <= n;
    case OutputType::null_data: return script.size() <= params.max_op_return_relay;
    default: return true;
  }
}

// The last element a push-only scriptSig pushes (the P2SH redeem script).
std::optional<Bytes> last_push(ByteView script_sig) {
  std::optional<Bytes> last;
  btc::ScriptReader r(script_sig);
  while (!r.done()) {
    auto op = r.next();
    if (!op || op->opcode > btc::OP_16) return std::nullopt;
    if (op->opcode <= btc::OP_PUSHDATA4) last = to_bytes(op->data);
    else if (op->opcode == btc::OP_1NEGATE) last = Bytes{0x81};
    else last = btc::script_num_encode(op->opcode == btc::OP_0 ? 0 : op->opcode - btc::OP_1 + 1);
  }
  return last;
}

}  // namespace

btc::Amount fee_for(int64_t per_kvb, int64_t vsize) {
  // CFeeRate::GetFee rounds up.
  if (per_kvb <= 0 || vsize <= 0) return 0;
  return (per_kvb * vsize + 999) / 1000;
}

bool fee_rate_greater(btc::Amount a_fee, int64_t a_vsize, btc::Amount b_fee, int64_t b_vsize) {
  __extension__ typedef __int128 wide;
  return static_cast<wide>(a_fee) * b_vsize > static_cast<wide>(b_fee) * a_vsize;
}

btc::Amount dust_threshold(const btc::TxOut& out, int64_t dust_relay_fee_per_kvb) {
  if (is_unspendable(out.script_pubkey)) return 0;
  int64_t size = 8 + static_cast<int64_t>(compact_size_len(out.script_pubkey.size()) + out.script_pubkey.size());
  // The size of the input that will spend it: outpoint, scriptSig length,
  // sequence, plus a P2PKH signature or a witness discounted by 4.
  if (witness_program_view(out.script_pubkey)) size += 32 + 4 + 1 + (107 / btc::WITNESS_SCALE_FACTOR) + 4;
  else size += 32 + 4 + 1 + 107 + 4;
  return fee_for(dust_relay_fee_per_kvb, size);
}

Status check_standard_tx(const btc::Transaction& tx, const TxFacts& facts, const ChainParams& params) {
  if (tx.version < 1 || tx.version > TRUC_VERSION)
    return make_error("version", "nVersion " + std::to_string(tx.version) + " is not 1, 2 or 3");
  if (facts.weight > params.max_standard_tx_weight)
    return make_error("tx-size", "weight " + std::to_string(facts.weight) + " > " + std::to_string(params.max_standard_tx_weight));
  for (size_t i = 0; i < tx.vin.size(); ++i) {
    if (tx.vin[i].script_sig.size() > kMaxScriptSigSize)
      return make_culprit_error("scriptsig-size", static_cast<int>(i), "input");
    if (!is_push_only(tx.vin[i].script_sig)) return make_culprit_error("scriptsig-not-pushonly", static_cast<int>(i), "input");
  }
  int data_outputs = 0;
  for (size_t i = 0; i < tx.vout.size(); ++i) {
    const auto& out = tx.vout[i];
    OutputType type;
    if (!is_standard_output(out.script_pubkey, params, type))
      return make_culprit_error("scriptpubkey", static_cast<int>(i), "output", "output " + std::to_string(i) + " has a non-standard scriptPubKey");
    if (type == OutputType::null_data) {
      ++data_outputs;
    } else if (btc::Amount limit = dust_threshold(out, params.dust_relay_fee_per_kvb); out.value < limit) {
      return make_culprit_error("dust", static_cast<int>(i), "output",
                                "output " + std::to_string(i) + " (" + output_type_name(type) + ") pays " +
                                    std::to_string(out.value) + " sat, below its dust limit " + std::to_string(limit));
    }
  }
  if (data_outputs > 1) return make_error("multi-op-return", "more than one OP_RETURN output");
  return ok();
}

Status check_standard_inputs(const btc::Transaction& tx, std::span<const Coin* const> coins) {
  for (size_t i = 0; i < tx.vin.size(); ++i) {
    const auto& prev = coins[i]->out.script_pubkey;
    OutputType type = classify(prev);
    if (type == OutputType::nonstandard || type == OutputType::witness_unknown)
      return make_culprit_error("bad-txns-nonstandard-inputs", static_cast<int>(i), "input",
                                "input " + std::to_string(i) + " spends a " + output_type_name(type) + " output");
    if (type == OutputType::scripthash) {
      auto redeem = last_push(tx.vin[i].script_sig);
      if (!redeem) return make_culprit_error("bad-txns-nonstandard-inputs", static_cast<int>(i), "input", "P2SH input without a redeem script");
      if (sigop_count(*redeem, true) > kMaxP2shSigops)
        return make_culprit_error("bad-txns-nonstandard-inputs", static_cast<int>(i), "input", "P2SH redeem script has more than 15 sigops");
    }
  }
  return ok();
}

Status check_witness_standard(const btc::Transaction& tx, std::span<const Coin* const> coins) {
  auto fail = [](size_t i, const std::string& why) {
    return make_culprit_error("bad-witness-nonstandard", static_cast<int>(i), "input", "input " + std::to_string(i) + ": " + why);
  };
  for (size_t i = 0; i < tx.vin.size(); ++i) {
    const auto& wit = tx.vin[i].witness;
    if (wit.empty()) continue;
    ByteView prev = coins[i]->out.script_pubkey;
    if (btc::is_p2a(prev)) return fail(i, "witness on a P2A spend");
    bool p2sh = false;
    std::optional<Bytes> redeem;
    if (is_pay_to_script_hash(prev)) {
      redeem = last_push(tx.vin[i].script_sig);
      if (!redeem) return fail(i, "P2SH witness spend without a redeem script");
      prev = *redeem;
      p2sh = true;
    }
    auto wp = witness_program_view(prev);
    if (!wp) return fail(i, "witness on a non-witness output");
    if (wp->version == 0 && wp->program.size() == 32) {
      if (wit.back().size() > kMaxP2wshScriptSize) return fail(i, "P2WSH script larger than 3600 bytes");
      if (wit.size() - 1 > kMaxP2wshStackItems) return fail(i, "P2WSH stack has more than 100 items");
      for (size_t j = 0; j + 1 < wit.size(); ++j)
        if (wit[j].size() > kMaxP2wshItemSize) return fail(i, "P2WSH stack item larger than 80 bytes");
    }
    if (wp->version == 1 && wp->program.size() == 32 && !p2sh) {
      size_t n = wit.size();
      if (n >= 2 && !wit.back().empty() && wit.back()[0] == 0x50) return fail(i, "taproot annex");
      if (n >= 2) {
        const Bytes& control = wit[n - 1];
        if (control.empty()) return fail(i, "empty control block");
        if ((control[0] & 0xfe) == 0xc0) {
          for (size_t j = 0; j + 2 < n; ++j)
            if (wit[j].size() > kMaxTapscriptItemSize) return fail(i, "tapscript stack item larger than 80 bytes");
        }
      }
    }
  }
  return ok();
}

}  // namespace ladder::chain
