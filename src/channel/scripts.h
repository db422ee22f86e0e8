// Commitment output scripts (DESIGN §4 and its table).
//
// Every commitment output except the anchor is P2TR:
//   to_local   key path: revocation key; leaf <to_self_delay> CSV DROP <delayed> CHECKSIG
//   to_remote  key path: none (BIP-341 NUMS point); leaf <payment> CHECKSIG 1 CSV DROP.
//              DESIGN says "P2TR of the remote's payment key with a 1 CSV
//              leaf"; a key path with that key would bypass the 1 CSV, whose
//              point is that to_remote cannot be spent while the commitment
//              is unconfirmed (the TRUC child slot belongs to the anchor), so
//              the key sits in the leaf and the key path is unspendable.
//   HTLC/PTLC  key path: revocation key; two leaves, success and timeout:
//     offered by the holder:   timeout  <expiry> CLTV DROP <d> CSV DROP <offerer> CHECKSIG
//                              success  HTLC: SIZE 32 EQUALVERIFY SHA256 <H> EQUALVERIFY <receiver> CHECKSIG
//                                       PTLC: <offerer> CHECKSIGVERIFY <receiver> CHECKSIG
//     offered to the holder:   timeout  <expiry> CLTV DROP <offerer> CHECKSIG
//                              success  HTLC: SIZE 32 EQUALVERIFY SHA256 <H> EQUALVERIFY <d> CSV DROP <receiver> CHECKSIG
//                                       PTLC: <d> CSV DROP <offerer> CHECKSIGVERIFY <receiver> CHECKSIG
//   with d = to_self_delay and the offerer's / receiver's lock keys of that
//   commitment. The holder thus waits d on every claim of its own.
//
// OutputScript keeps the taproot output and its leaves with their Merkle
// paths. Internal keys are tweaked from their parsed points (no square
// root). Thread-safety: immutable values. Failure: taproot errors;
// "channel.no-lock-keys" for lock_output with keys derived without lock keys.
#pragma once

#include <optional>
#include <vector>

#include "btc/taproot.h"
#include "channel/keys.h"
#include "channel/lock.h"

namespace ladder::channel {

struct OutputScript {
  btc::TaprootOutput output;
  std::vector<btc::TapLeafPath> leaves;  // see the *_output functions for the order
  Bytes script_pubkey;
};

// BIP-341's provably unspendable internal key H.
const Bytes32& nums_point();

Bytes to_local_leaf(uint32_t to_self_delay, const crypto::PubKey& delayed);
Bytes to_remote_leaf(const crypto::PubKey& payment);
Bytes lock_timeout_leaf(uint32_t expiry, std::optional<uint32_t> csv, const crypto::PubKey& offerer);
Bytes htlc_success_leaf(const Bytes32& payment_hash, std::optional<uint32_t> csv, const crypto::PubKey& receiver);
Bytes ptlc_success_leaf(std::optional<uint32_t> csv, const crypto::PubKey& offerer, const crypto::PubKey& receiver);

// leaves[0] = the CSV leaf.
Expected<OutputScript> to_local_output(const crypto::PubKey& revocation, uint32_t to_self_delay,
                                       const crypto::PubKey& delayed);
// leaves[0] = the payment leaf.
Expected<OutputScript> to_remote_output(const crypto::PubKey& payment);

inline constexpr size_t kSuccessLeaf = 0;
inline constexpr size_t kTimeoutLeaf = 1;
// leaves[kSuccessLeaf], leaves[kTimeoutLeaf].
Expected<OutputScript> lock_output(const Lock& lock, bool offered_by_holder, const CommitmentKeys& keys,
                                   uint32_t to_self_delay);

}  // namespace ladder::channel
