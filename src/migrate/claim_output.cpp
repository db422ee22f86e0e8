#include "migrate/claim_output.h"

#include "btc/script.h"
#include "btc/sighash.h"

namespace ladder::migrate {

namespace {

btc::Amount fee_for(int64_t vsize, btc::Amount rate) { return (vsize * rate + 999) / 1000; }
constexpr btc::Amount kDust = 330;

// A tx spending one taproot output to `destination`, sized with a witness
// of `witness` shape (element sizes), value = `value` − fee.
Expected<btc::Transaction> draft(const btc::OutPoint& outpoint, btc::Amount value, const Bytes& destination,
                                 btc::Amount fee_rate, uint32_t sequence, uint32_t locktime,
                                 const std::vector<size_t>& witness) {
  btc::Transaction tx;
  tx.version = 2;
  tx.locktime = locktime;
  tx.vin.push_back({outpoint, {}, sequence, {}});
  tx.vout.push_back({0, destination});
  btc::Transaction sized = tx;
  for (size_t n : witness) sized.vin[0].witness.push_back(Bytes(n, 0));
  const btc::Amount out = value - fee_for(sized.vsize(), fee_rate);
  if (out < kDust) return make_error("migrate.claim-below-dust", "O cannot pay the fee at that rate");
  tx.vout[0].value = out;
  return tx;
}

Expected<Bytes32> sighash_of(const btc::Transaction& tx, const btc::TxOut& spent, const btc::TapLeafPath* leaf) {
  const auto data = btc::precompute_tx_data(tx, {spent});
  if (!leaf) return btc::taproot_sighash(tx, 0, btc::SIGHASH_DEFAULT, data, std::nullopt, nullptr);
  btc::TapScriptExt ext{leaf->leaf_hash};
  return btc::taproot_sighash(tx, 0, btc::SIGHASH_DEFAULT, data, std::nullopt, &ext);
}

Bytes sig_bytes(const crypto::SchnorrSig& s) { return Bytes(s.bytes().begin(), s.bytes().end()); }

}  // namespace

Bytes hashlock_leaf(const Bytes32& payment_hash, const crypto::XOnlyPubKey& fresh) {
  btc::ScriptBuilder b;
  b.op(btc::OP_SIZE).push_int(32).op(btc::OP_EQUALVERIFY).op(btc::OP_SHA256).push(payment_hash).op(btc::OP_EQUALVERIFY);
  b.push(fresh.bytes()).op(btc::OP_CHECKSIGVERIFY).push_int(1).op(btc::OP_CHECKSEQUENCEVERIFY);
  return b.take();
}

Bytes refund_leaf(uint32_t t_on, const crypto::XOnlyPubKey& lsp) {
  btc::ScriptBuilder b;
  b.push_int(t_on).op(btc::OP_CHECKLOCKTIMEVERIFY).op(btc::OP_DROP).push(lsp.bytes()).op(btc::OP_CHECKSIG);
  return b.take();
}

Expected<ClaimOutput> ClaimOutput::create(const crypto::PubKey& fresh, const crypto::PubKey& lsp,
                                          const std::optional<Bytes32>& payment_hash, uint32_t t_on) {
  if (fresh == lsp) return make_error("migrate.same-keys", "A_fresh and L's key must differ");
  const btc::TapTree refund = btc::TapTree::leaf({btc::TAPROOT_LEAF_TAPSCRIPT, refund_leaf(t_on, lsp.xonly())});
  const btc::TapTree tree =
      payment_hash ? btc::TapTree::branch(
                         btc::TapTree::leaf({btc::TAPROOT_LEAF_TAPSCRIPT, hashlock_leaf(*payment_hash, fresh.xonly())}),
                         refund)
                   : refund;
  ClaimOutput o;
  LADDER_ASSIGN(o.key_, factory::KeyCache::shared().get({fresh, lsp}, tree.hash()));
  auto leaves = tree.leaves();
  if (payment_hash) o.hashlock_ = leaves.at(0);
  o.refund_ = leaves.back();
  o.fresh_index_ = *o.key_->tweaked.index_of(fresh);
  o.t_on_ = t_on;
  return o;
}

Expected<ClaimOutput> ClaimOutput::swap(const crypto::PubKey& fresh, const crypto::PubKey& lsp,
                                        const Bytes32& payment_hash, uint32_t t_on) {
  return create(fresh, lsp, payment_hash, t_on);
}

Expected<ClaimOutput> ClaimOutput::ptlc_exit(const crypto::PubKey& fresh, const crypto::PubKey& lsp, uint32_t t_on) {
  return create(fresh, lsp, std::nullopt, t_on);
}

Expected<Bytes> ClaimOutput::control_block(const btc::TapLeafPath& leaf) const {
  LADDER_ASSIGN(auto cb, btc::make_control_block(key_->output, leaf));
  return cb.serialize();
}

Expected<ClaimTx> ClaimOutput::claim(const btc::OutPoint& outpoint, btc::Amount value, const Bytes& destination,
                                     btc::Amount fee_rate, ClaimPath path) const {
  std::vector<size_t> witness{64};
  const btc::TapLeafPath* leaf = nullptr;
  if (path == ClaimPath::hashlock) {
    if (!hashlock_) return make_error("migrate.no-hashlock", "this output has no hashlock leaf");
    leaf = &*hashlock_;
    LADDER_ASSIGN(const Bytes cb, control_block(*leaf));
    witness = {64, 32, leaf->leaf.script.size(), cb.size()};
  }
  ClaimTx c;
  LADDER_ASSIGN(c.tx, draft(outpoint, value, destination, fee_rate, 1, 0, witness));
  c.spent = txout(value);
  LADDER_ASSIGN(c.sighash, sighash_of(c.tx, c.spent, leaf));
  c.path = path;
  return c;
}

Expected<btc::Transaction> ClaimOutput::with_key_sig(const ClaimTx& claim, const crypto::SchnorrSig& sig) const {
  if (claim.path != ClaimPath::key || !crypto::schnorr_verify(sig, claim.sighash, key_->output_xonly))
    return make_error("migrate.bad-signature", "the key-path signature does not verify");
  btc::Transaction tx = claim.tx;
  tx.vin[0].witness = {sig_bytes(sig)};
  return tx;
}

Expected<btc::Transaction> ClaimOutput::sign_hashlock(const ClaimTx& claim, const crypto::SecretKey& fresh,
                                                      const Bytes32& preimage) const {
  if (claim.path != ClaimPath::hashlock || !hashlock_)
    return make_error("migrate.no-hashlock", "not a hashlock claim");
  LADDER_ASSIGN(const Bytes cb, control_block(*hashlock_));
  btc::Transaction tx = claim.tx;
  const auto sig = crypto::schnorr_sign(fresh, claim.sighash);
  tx.vin[0].witness = {sig_bytes(sig), Bytes(preimage.begin(), preimage.end()), hashlock_->leaf.script, cb};
  return tx;
}

Expected<btc::Transaction> ClaimOutput::refund(const btc::OutPoint& outpoint, btc::Amount value,
                                               const Bytes& destination, btc::Amount fee_rate,
                                               const crypto::SecretKey& lsp) const {
  LADDER_ASSIGN(const Bytes cb, control_block(refund_));
  LADDER_ASSIGN(auto tx, draft(outpoint, value, destination, fee_rate, 0xfffffffe, t_on_,
                               {64, refund_.leaf.script.size(), cb.size()}));
  LADDER_ASSIGN(const Bytes32 sighash, sighash_of(tx, txout(value), &refund_));
  tx.vin[0].witness = {sig_bytes(crypto::schnorr_sign(lsp, sighash)), refund_.leaf.script, cb};
  return tx;
}

std::optional<crypto::SchnorrSig> ClaimOutput::key_sig_of(const btc::TxIn& in) {
  if (in.witness.size() != 1 || in.witness[0].size() != 64) return std::nullopt;
  Bytes64 b;
  std::copy(in.witness[0].begin(), in.witness[0].end(), b.begin());
  return crypto::SchnorrSig(b);
}

std::optional<Bytes32> ClaimOutput::preimage_of(const btc::TxIn& in) const {
  if (!hashlock_ || in.witness.size() != 4 || in.witness[2] != hashlock_->leaf.script || in.witness[1].size() != 32)
    return std::nullopt;
  Bytes32 p;
  std::copy(in.witness[1].begin(), in.witness[1].end(), p.begin());
  return p;
}

bool ClaimOutput::is_refund(const btc::TxIn& in) const {
  return in.witness.size() == 3 && in.witness[1] == refund_.leaf.script;
}

}  // namespace ladder::migrate
