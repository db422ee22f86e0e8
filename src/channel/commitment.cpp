#include "channel/commitment.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "btc/sighash.h"
#include "btc/standard_scripts.h"

namespace ladder::channel {

namespace {

constexpr uint32_t kLocktimeTag = 0x20u << 24;
constexpr uint32_t kSequenceTag = 0x80u << 24;
constexpr uint64_t kMask48 = (uint64_t{1} << 48) - 1;

size_t varint_size(uint64_t n) { return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9; }

}  // namespace

const SpecLock* CommitmentSpec::find(bool offered_by_holder, uint64_t id) const {
  for (const auto& l : locks)
    if (l.offered_by_holder == offered_by_holder && l.lock.id == id) return &l;
  return nullptr;
}

btc::Amount fee_for_vsize(int64_t vsize, btc::Amount rate) { return (vsize * rate + 999) / 1000; }

int64_t commitment_vsize(size_t p2tr_outputs) {
  // version, input count, one input (outpoint, empty scriptSig, sequence),
  // output count, P2TR outputs, the anchor (8 + 1 + 4), locktime; the witness
  // (marker, flag, item count, 64-byte signature) is 68 weight units.
  const int64_t base = 4 + 1 + 41 + static_cast<int64_t>(varint_size(p2tr_outputs + 1)) +
                       static_cast<int64_t>(p2tr_outputs) * (8 + 1 + 34) + 13 + 4;
  return (base * btc::WITNESS_SCALE_FACTOR + 68 + 3) / 4;
}

btc::Amount lock_trim_threshold(const ChannelParams& p) {
  return p.dust_limit + p.anchor_value + fee_for_vsize(kPtlcSuccessVsize, p.fee_rate_sat_per_kvb);
}

bool is_trimmed(const Lock& lock, const ChannelParams& p) { return lock.amount < lock_trim_threshold(p); }

btc::Amount commitment_fee(const ChannelParams& p, size_t untrimmed_locks) {
  return fee_for_vsize(commitment_vsize(2 + untrimmed_locks), p.fee_rate_sat_per_kvb);
}

Expected<BuiltCommitment> build_commitment(const CommitmentSpec& spec, const CommitmentTemplate& t) {
  const ChannelParams& p = t.params;
  size_t untrimmed = 0;
  for (const auto& l : spec.locks) untrimmed += !is_trimmed(l.lock, p);
  if (untrimmed > 2 * static_cast<size_t>(p.max_locks))
    return make_error("channel.too-many-outputs", std::to_string(untrimmed) + " lock outputs");
  const btc::Amount fee = commitment_fee(p, untrimmed);
  btc::Amount to_holder = spec.to_holder, to_cp = spec.to_counterparty;
  btc::Amount& funder = t.holder_is_funder ? to_holder : to_cp;
  funder -= fee + p.anchor_value;
  if (funder < 0)
    return make_error("channel.funder-cannot-pay-fee", "the funder's balance does not cover fee " + std::to_string(fee) +
                                                           " + anchor " + std::to_string(p.anchor_value));

  struct Entry {
    btc::TxOut out;
    CommitmentOutput info;
    uint32_t expiry = 0;
    bool offered = false;
    uint64_t id = 0;
  };
  std::vector<Entry> entries;
  entries.reserve(untrimmed + 3);
  if (to_holder >= p.dust_limit) {
    LADDER_ASSIGN(auto s, to_local_output(t.keys.revocation, p.to_self_delay, t.keys.holder_delayed));
    entries.push_back({{to_holder, s.script_pubkey}, {OutputKind::to_local, 0, std::move(s)}});
  }
  if (to_cp >= p.dust_limit)
    entries.push_back({{to_cp, t.to_remote.script_pubkey}, {OutputKind::to_remote, 0, t.to_remote}});
  for (size_t i = 0; i < spec.locks.size(); ++i) {
    const auto& sl = spec.locks[i];
    if (is_trimmed(sl.lock, p)) continue;
    LADDER_ASSIGN(auto s, lock_output(sl.lock, sl.offered_by_holder, t.keys, p.to_self_delay));
    entries.push_back({{sl.lock.amount, s.script_pubkey}, {OutputKind::lock, i, std::move(s)}, sl.lock.expiry,
                       sl.offered_by_holder, sl.lock.id});
  }
  entries.push_back({{p.anchor_value, btc::p2a_script()}, {OutputKind::anchor, 0, std::nullopt}});
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.out.value, a.out.script_pubkey, a.info.kind, a.expiry, a.offered, a.id) <
           std::tie(b.out.value, b.out.script_pubkey, b.info.kind, b.expiry, b.offered, b.id);
  });

  BuiltCommitment c;
  c.spent = {t.binding.value, t.funding_script};
  const uint64_t obscured = (t.number ^ t.obscuring_factor) & kMask48;
  c.tx.version = 3;
  c.tx.locktime = kLocktimeTag | static_cast<uint32_t>(obscured & 0xffffff);
  c.tx.vin.push_back({t.binding.outpoint, {}, kSequenceTag | static_cast<uint32_t>(obscured >> 24), {}});
  c.lock_vout.assign(spec.locks.size(), std::nullopt);
  for (auto& e : entries) {
    if (e.info.kind == OutputKind::lock) c.lock_vout[e.info.lock_index] = static_cast<uint32_t>(c.tx.vout.size());
    c.tx.vout.push_back(std::move(e.out));
    c.outputs.push_back(std::move(e.info));
  }
  c.fee = t.binding.value - c.tx.total_out();
  auto data = btc::precompute_tx_data(c.tx, {c.spent});
  LADDER_ASSIGN(c.sighash, btc::taproot_sighash(c.tx, 0, btc::SIGHASH_DEFAULT, data, std::nullopt, nullptr));
  return c;
}

uint64_t decode_commitment_number(const btc::Transaction& tx, uint64_t obscuring_factor) {
  if (tx.vin.empty()) return 0;
  const uint64_t obscured = (static_cast<uint64_t>(tx.vin[0].sequence & 0xffffff) << 24) | (tx.locktime & 0xffffff);
  return (obscured ^ obscuring_factor) & kMask48;
}

Expected<Bytes> ptlc_payout_script(const crypto::PubKey& receiver_payment) {
  LADDER_ASSIGN(auto payout, btc::taproot_output(receiver_payment.xonly(), std::nullopt));
  return payout.script_pubkey();
}

Expected<PtlcSuccessTx> build_ptlc_success(const BuiltCommitment& commitment, const CommitmentSpec& spec,
                                           size_t lock_index, ByteView payout_script, const ChannelParams& p) {
  const auto& sl = spec.locks.at(lock_index);
  const auto vout = commitment.lock_vout.at(lock_index);
  if (sl.lock.kind != LockKind::ptlc || !vout) return make_error("channel.no-such-output", "no PTLC output for lock");
  const auto& script = *commitment.outputs.at(*vout).script;
  PtlcSuccessTx s;
  s.spent = commitment.tx.vout[*vout];
  s.leaf = script.leaves.at(kSuccessLeaf);
  s.tx.version = 3;
  const bool holder_receives = !sl.offered_by_holder;
  s.tx.vin.push_back({{commitment.tx.txid(), *vout}, {}, holder_receives ? p.to_self_delay : 0xfffffffdu, {}});
  const btc::Amount value = sl.lock.amount - p.anchor_value - fee_for_vsize(kPtlcSuccessVsize, p.fee_rate_sat_per_kvb);
  s.tx.vout.push_back({value, Bytes(payout_script.begin(), payout_script.end())});
  s.tx.vout.push_back({p.anchor_value, btc::p2a_script()});
  auto data = btc::precompute_tx_data(s.tx, {s.spent});
  btc::TapScriptExt ext{s.leaf.leaf_hash};
  LADDER_ASSIGN(s.sighash, btc::taproot_sighash(s.tx, 0, btc::SIGHASH_DEFAULT, data, std::nullopt, &ext));
  return s;
}

}  // namespace ladder::channel
