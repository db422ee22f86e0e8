#include "channel/enforcement.h"

#include "btc/sighash.h"
#include "crypto/schnorr.h"

namespace ladder::channel {

using crypto::SecretKey;

namespace {

constexpr uint32_t kNoRelativeLock = 0xfffffffd;  // not final, no BIP-68 lock
constexpr uint32_t kLocktimeOnly = 0xfffffffe;

// One input of a claim: the output, how it is spent and by whom.
struct Spend {
  btc::OutPoint prevout;
  btc::TxOut spent;
  uint32_t sequence = kNoRelativeLock;
  const OutputScript* script = nullptr;
  std::optional<size_t> leaf;   // none: key path
  std::optional<SecretKey> signer;  // already tweaked for the key path
  std::vector<Bytes> above_sig; // witness items above the signature (e.g. a preimage)
};

Bytes control_block(const OutputScript& s, size_t leaf) {
  return btc::make_control_block(s.output, s.leaves.at(leaf)).value().serialize();
}

// Bottom to top: the signature (checked last by every leaf here), the items
// the script consumes first (a preimage), then script and control block.
btc::Witness witness_for(const Spend& sp, ByteView sig) {
  btc::Witness w{Bytes(sig.begin(), sig.end())};
  for (const auto& item : sp.above_sig) w.push_back(item);
  if (sp.leaf) {
    w.push_back(sp.script->leaves.at(*sp.leaf).leaf.script);
    w.push_back(control_block(*sp.script, *sp.leaf));
  }
  return w;
}

Expected<btc::Transaction> build_sweep(std::vector<Spend> spends, const ClaimOptions& o, uint32_t locktime,
                                       btc::Amount dust_limit) {
  btc::Transaction tx;
  tx.version = 2;
  tx.locktime = locktime;
  btc::Amount total = 0;
  std::vector<btc::TxOut> spent;
  for (const auto& s : spends) {
    tx.vin.push_back({s.prevout, {}, s.sequence, {}});
    spent.push_back(s.spent);
    total += s.spent.value;
  }
  tx.vout.push_back({total, o.destination});
  btc::Transaction sized = tx;
  const Bytes64 dummy{};
  for (size_t i = 0; i < spends.size(); ++i) sized.vin[i].witness = witness_for(spends[i], dummy);
  const btc::Amount fee = fee_for_vsize(sized.vsize(), o.fee_rate_sat_per_kvb);
  if (total - fee < dust_limit)
    return make_error("channel.claim-below-dust", "claim of " + std::to_string(total) + " sat cannot pay fee " +
                                                      std::to_string(fee));
  tx.vout[0].value = total - fee;
  auto data = btc::precompute_tx_data(tx, spent);
  for (size_t i = 0; i < spends.size(); ++i) {
    const auto& s = spends[i];
    std::optional<btc::TapScriptExt> ext;
    if (s.leaf) ext = btc::TapScriptExt{s.script->leaves.at(*s.leaf).leaf_hash};
    LADDER_ASSIGN(auto sighash,
                  btc::taproot_sighash(tx, i, btc::SIGHASH_DEFAULT, data, std::nullopt, ext ? &*ext : nullptr));
    tx.vin[i].witness = witness_for(s, crypto::schnorr_sign(s.signer.value(), sighash).bytes());
  }
  return tx;
}

Expected<Spend> output_spend(const KnownCommitment& kc, OutputKind kind, std::optional<size_t> lock_index) {
  const auto& b = kc.held.built;
  for (uint32_t v = 0; v < b.outputs.size(); ++v) {
    const auto& out = b.outputs[v];
    if (out.kind != kind || (lock_index && out.lock_index != *lock_index)) continue;
    Spend s{{b.tx.txid(), v}, b.tx.vout[v], kNoRelativeLock, &*out.script, std::nullopt, std::nullopt, {}};
    return s;
  }
  return make_error("channel.no-such-output", "the commitment has no such output (trimmed or absent)");
}

KnownCommitment from_record(const CommitmentRecord& r, const btc::OutPoint& op, const Binding& b, bool ours) {
  return KnownCommitment{ours, false, r.number, b, r.spec, r.keys, r.by_binding.at(op), {}};
}

}  // namespace

Expected<KnownCommitment> revoked_commitment(const Channel& ch, uint64_t number, const Binding& binding) {
  for (const auto& r : ch.revoked()) {
    if (r.number != number) continue;
    LADDER_ASSIGN(auto to_remote, to_remote_output(ch.secrets().basepoints().payment));
    CommitmentTemplate t{binding, ch.funding_key().script_pubkey, number, ch.obscuring(), !ch.is_funder(),
                         ch.params(), r.keys, std::move(to_remote)};
    LADDER_ASSIGN(auto built, build_commitment(r.spec, t));
    KnownCommitment kc{false, true, number, binding, r.spec, r.keys, {}, r.secret};
    kc.held.built = std::move(built);
    return kc;
  }
  return make_error("channel.not-revoked", "commitment " + std::to_string(number) + " was not revoked");
}

Expected<KnownCommitment> identify_commitment(const Channel& ch, const btc::Transaction& tx) {
  if (tx.vin.size() != 1) return make_error("channel.unknown-commitment", "a commitment has one input");
  const auto& op = tx.vin[0].prevout;
  const Binding* binding = nullptr;
  for (const auto& b : ch.bindings())
    if (b.outpoint == op) binding = &b;
  if (!binding) return make_error("channel.unknown-commitment", "does not spend a channel output of this channel");
  const auto txid = tx.txid();
  auto matches = [&](const CommitmentRecord& r) {
    auto it = r.by_binding.find(op);
    return it != r.by_binding.end() && it->second.built.tx.txid() == txid;
  };
  if (matches(ch.local_commitment())) return from_record(ch.local_commitment(), op, *binding, true);
  if (matches(ch.remote_commitment())) return from_record(ch.remote_commitment(), op, *binding, false);
  if (const auto* p = ch.remote_pending_commitment(); p && matches(*p)) return from_record(*p, op, *binding, false);
  auto kc = revoked_commitment(ch, decode_commitment_number(tx, ch.obscuring()), *binding);
  if (kc && kc->held.built.tx.txid() == txid) return kc;
  return make_error("channel.unknown-commitment", "not a commitment this side can act on");
}

Expected<size_t> find_lock(const KnownCommitment& kc, bool offered_by_us, uint64_t id) {
  for (size_t i = 0; i < kc.spec.locks.size(); ++i) {
    const auto& l = kc.spec.locks[i];
    if ((l.offered_by_holder == kc.ours) == offered_by_us && l.lock.id == id) return i;
  }
  return make_error("channel.no-such-output", "no lock " + std::to_string(id) + " on this commitment");
}

Expected<btc::Transaction> claim_to_local(const Channel& ch, const KnownCommitment& kc, const ClaimOptions& o) {
  if (!kc.ours) return make_error("channel.not-ours-to-claim", "to_local of the peer's commitment");
  LADDER_ASSIGN(auto s, output_spend(kc, OutputKind::to_local, std::nullopt));
  LADDER_ASSIGN(s.signer, derive_secret(ch.secrets().delayed_base(), kc.keys.per_commitment_point));
  s.leaf = 0;
  s.sequence = ch.params().to_self_delay;
  return build_sweep({std::move(s)}, o, 0, ch.params().dust_limit);
}

Expected<btc::Transaction> claim_to_remote(const Channel& ch, const KnownCommitment& kc, const ClaimOptions& o) {
  if (kc.ours) return make_error("channel.not-ours-to-claim", "to_remote of our own commitment is the peer's");
  LADDER_ASSIGN(auto s, output_spend(kc, OutputKind::to_remote, std::nullopt));
  s.signer = ch.secrets().payment();
  s.leaf = 0;
  s.sequence = 1;
  return build_sweep({std::move(s)}, o, 0, ch.params().dust_limit);
}

Expected<btc::Transaction> claim_htlc_success(const Channel& ch, const KnownCommitment& kc, uint64_t lock_id,
                                              const Bytes32& preimage, const ClaimOptions& o) {
  LADDER_ASSIGN(size_t i, find_lock(kc, false, lock_id));
  LADDER_TRY(check_secret(kc.spec.locks[i].lock, preimage));
  LADDER_ASSIGN(auto s, output_spend(kc, OutputKind::lock, i));
  LADDER_ASSIGN(s.signer, derive_secret(ch.secrets().lock_base(), kc.keys.per_commitment_point));
  s.leaf = kSuccessLeaf;
  s.sequence = kc.ours ? ch.params().to_self_delay : kNoRelativeLock;
  s.above_sig = {Bytes(preimage.begin(), preimage.end())};
  return build_sweep({std::move(s)}, o, 0, ch.params().dust_limit);
}

Expected<btc::Transaction> claim_lock_timeout(const Channel& ch, const KnownCommitment& kc, uint64_t lock_id,
                                              const ClaimOptions& o) {
  LADDER_ASSIGN(size_t i, find_lock(kc, true, lock_id));
  LADDER_ASSIGN(auto s, output_spend(kc, OutputKind::lock, i));
  LADDER_ASSIGN(s.signer, derive_secret(ch.secrets().lock_base(), kc.keys.per_commitment_point));
  s.leaf = kTimeoutLeaf;
  s.sequence = kc.ours ? ch.params().to_self_delay : kLocktimeOnly;
  return build_sweep({std::move(s)}, o, kc.spec.locks[i].lock.expiry, ch.params().dust_limit);
}

Expected<btc::Transaction> claim_ptlc_success(const Channel& ch, const KnownCommitment& kc, uint64_t lock_id,
                                              const SecretKey& scalar) {
  LADDER_ASSIGN(size_t i, find_lock(kc, false, lock_id));
  if (kc.held.presigs.size() <= i || !kc.held.presigs[i])
    return make_error("channel.no-presig", "no adaptor signature held for PTLC " + std::to_string(lock_id));
  LADDER_ASSIGN(auto payout, ptlc_payout_script(ch.secrets().basepoints().payment));
  LADDER_ASSIGN(auto s, build_ptlc_success(kc.held.built, kc.spec, i, payout, ch.params()));
  const bool offered_by_holder = kc.spec.locks[i].offered_by_holder;
  const auto& offerer = offered_by_holder ? kc.keys.holder_lock : kc.keys.counterparty_lock;
  if (!offerer) return make_error("channel.no-lock-keys", "the commitment's keys were derived without lock keys");
  const auto offerer_sig = crypto::adaptor::adapt(*kc.held.presigs[i], scalar);
  if (!crypto::schnorr_verify(offerer_sig, s.sighash, offerer->xonly()))
    return make_error("channel.bad-adaptor-signature", "the completed offerer signature does not verify");
  LADDER_ASSIGN(auto own_key, derive_secret(ch.secrets().lock_base(), kc.keys.per_commitment_point));
  const auto own_sig = crypto::schnorr_sign(own_key, s.sighash);
  const auto& script = *kc.held.built.outputs.at(*kc.held.built.lock_vout[i]).script;
  s.tx.vin[0].witness = {Bytes(own_sig.bytes().begin(), own_sig.bytes().end()),
                         Bytes(offerer_sig.bytes().begin(), offerer_sig.bytes().end()), s.leaf.leaf.script,
                         control_block(script, kSuccessLeaf)};
  return s.tx;
}

Expected<crypto::SecretKey> extract_ptlc_scalar(const KnownCommitment& kc, const btc::Transaction& success_tx) {
  if (success_tx.vin.size() != 1 || success_tx.vin[0].witness.size() != 4)
    return make_error("channel.not-a-success-tx", "a PTLC success tx has one input with a 4-item witness");
  const auto& in = success_tx.vin[0];
  if (in.prevout.txid != kc.held.built.tx.txid()) return make_error("channel.not-a-success-tx", "spends another tx");
  for (size_t i = 0; i < kc.spec.locks.size(); ++i) {
    if (kc.held.built.lock_vout[i] != in.prevout.n) continue;
    if (kc.held.presigs.size() <= i || !kc.held.presigs[i])
      return make_error("channel.no-presig", "no adaptor signature recorded for that PTLC");
    LADDER_ASSIGN(auto sig, crypto::SchnorrSig::parse(in.witness[1]));
    return crypto::adaptor::extract(*kc.held.presigs[i], sig, *kc.spec.locks[i].lock.point);
  }
  return make_error("channel.not-a-success-tx", "spends no PTLC output of this commitment");
}

Expected<btc::Transaction> justice_tx(const Channel& ch, const KnownCommitment& kc, const ClaimOptions& o) {
  if (!kc.revoked) return make_error("channel.not-revoked", "justice only for a revoked commitment");
  LADDER_ASSIGN(auto pcs, SecretKey::parse(kc.revocation_secret));
  LADDER_ASSIGN(auto revocation, derive_revocation_secret(ch.secrets().revocation_base(), pcs));
  std::vector<Spend> spends;
  const auto& b = kc.held.built;
  const auto txid = b.tx.txid();
  for (uint32_t v = 0; v < b.outputs.size(); ++v) {
    const auto& out = b.outputs[v];
    if (out.kind == OutputKind::anchor) continue;
    Spend s{{txid, v}, b.tx.vout[v], kNoRelativeLock, &*out.script, std::nullopt, ch.secrets().payment(), {}};
    if (out.kind == OutputKind::to_remote) {
      s.leaf = 0;
      s.sequence = 1;
    } else {
      LADDER_ASSIGN(s.signer, btc::taproot_tweak_secret_key(revocation, out.script->output.merkle_root));
    }
    spends.push_back(std::move(s));
  }
  if (spends.empty()) return make_error("channel.no-such-output", "nothing to claim");
  return build_sweep(std::move(spends), o, 0, ch.params().dust_limit);
}

}  // namespace ladder::channel
