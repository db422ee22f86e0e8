#include "channel/scripts.h"

#include "btc/script.h"
#include "crypto/hash.h"

namespace ladder::channel {

using btc::ScriptBuilder;
using crypto::PubKey;

namespace {

ScriptBuilder& push_key(ScriptBuilder& b, const PubKey& key) { return b.push(key.xonly().bytes()); }

void maybe_csv(ScriptBuilder& b, std::optional<uint32_t> csv) {
  if (csv) b.push_int(*csv).op(btc::OP_CHECKSEQUENCEVERIFY).op(btc::OP_DROP);
}

Expected<OutputScript> make_output(const crypto::XOnlyPubKey& internal, std::vector<Bytes> leaf_scripts) {
  std::optional<btc::TapTree> tree;
  if (leaf_scripts.size() == 1) {
    tree = btc::TapTree::leaf({btc::TAPROOT_LEAF_TAPSCRIPT, std::move(leaf_scripts[0])});
  } else {
    tree = btc::TapTree::branch(btc::TapTree::leaf({btc::TAPROOT_LEAF_TAPSCRIPT, std::move(leaf_scripts[0])}),
                                btc::TapTree::leaf({btc::TAPROOT_LEAF_TAPSCRIPT, std::move(leaf_scripts[1])}));
  }
  LADDER_ASSIGN(auto output, btc::taproot_output(internal, tree->hash()));
  OutputScript out{output, tree->leaves(), output.script_pubkey()};
  return out;
}

}  // namespace

const Bytes32& nums_point() {
  static const Bytes32 h =
      hex_fixed_or_throw<32>("50929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0");
  return h;
}

Bytes to_local_leaf(uint32_t to_self_delay, const PubKey& delayed) {
  ScriptBuilder b;
  b.push_int(to_self_delay).op(btc::OP_CHECKSEQUENCEVERIFY).op(btc::OP_DROP);
  push_key(b, delayed).op(btc::OP_CHECKSIG);
  return b.take();
}

Bytes to_remote_leaf(const PubKey& payment) {
  ScriptBuilder b;
  push_key(b, payment).op(btc::OP_CHECKSIG).op(btc::OP_1).op(btc::OP_CHECKSEQUENCEVERIFY).op(btc::OP_DROP);
  return b.take();
}

Bytes lock_timeout_leaf(uint32_t expiry, std::optional<uint32_t> csv, const PubKey& offerer) {
  ScriptBuilder b;
  b.push_int(expiry).op(btc::OP_CHECKLOCKTIMEVERIFY).op(btc::OP_DROP);
  maybe_csv(b, csv);
  push_key(b, offerer).op(btc::OP_CHECKSIG);
  return b.take();
}

Bytes htlc_success_leaf(const Bytes32& payment_hash, std::optional<uint32_t> csv, const PubKey& receiver) {
  ScriptBuilder b;
  b.op(btc::OP_SIZE).push_int(32).op(btc::OP_EQUALVERIFY).op(btc::OP_SHA256).push(payment_hash).op(btc::OP_EQUALVERIFY);
  maybe_csv(b, csv);
  push_key(b, receiver).op(btc::OP_CHECKSIG);
  return b.take();
}

Bytes ptlc_success_leaf(std::optional<uint32_t> csv, const PubKey& offerer, const PubKey& receiver) {
  ScriptBuilder b;
  maybe_csv(b, csv);
  push_key(b, offerer).op(btc::OP_CHECKSIGVERIFY);
  push_key(b, receiver).op(btc::OP_CHECKSIG);
  return b.take();
}

Expected<OutputScript> to_local_output(const PubKey& revocation, uint32_t to_self_delay, const PubKey& delayed) {
  return make_output(revocation.xonly(), {to_local_leaf(to_self_delay, delayed)});
}

Expected<OutputScript> to_remote_output(const PubKey& payment) {
  static const crypto::XOnlyPubKey nums = crypto::XOnlyPubKey::parse(nums_point()).value();
  return make_output(nums, {to_remote_leaf(payment)});
}

Expected<OutputScript> lock_output(const Lock& lock, bool offered_by_holder, const CommitmentKeys& keys,
                                   uint32_t to_self_delay) {
  if (!keys.holder_lock || !keys.counterparty_lock)
    return make_error("channel.no-lock-keys", "the commitment's keys were derived without lock keys");
  const PubKey& offerer = offered_by_holder ? *keys.holder_lock : *keys.counterparty_lock;
  const PubKey& receiver = offered_by_holder ? *keys.counterparty_lock : *keys.holder_lock;
  // The holder's own claim waits to_self_delay: its timeout when it offered,
  // its success when it receives.
  const std::optional<uint32_t> timeout_csv = offered_by_holder ? std::optional(to_self_delay) : std::nullopt;
  const std::optional<uint32_t> success_csv = offered_by_holder ? std::nullopt : std::optional(to_self_delay);
  Bytes success = lock.kind == LockKind::htlc ? htlc_success_leaf(lock.payment_hash, success_csv, receiver)
                                              : ptlc_success_leaf(success_csv, offerer, receiver);
  return make_output(keys.revocation.xonly(), {std::move(success), lock_timeout_leaf(lock.expiry, timeout_csv, offerer)});
}

Status check_secret(const Lock& lock, const Bytes32& secret) {
  if (lock.kind == LockKind::htlc) {
    if (crypto::sha256(secret) != lock.payment_hash)
      return make_error("channel.bad-preimage", "SHA256(preimage) is not the payment hash of lock " +
                                                    std::to_string(lock.id));
    return ok();
  }
  auto sk = crypto::SecretKey::parse(secret);
  if (!sk || !lock.point || !(sk->pubkey() == *lock.point))
    return make_error("channel.bad-scalar", "scalar·G is not the payment point of lock " + std::to_string(lock.id));
  return ok();
}

}  // namespace ladder::channel
