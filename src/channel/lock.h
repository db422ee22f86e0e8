// HTLCs and PTLCs: the conditional payments a commitment can hold.
//
// A Lock is what both sides agree on when one offers it: an id (per
// offering side, consecutive from 0), the amount, an absolute expiry height
// and the condition — a SHA-256 payment hash (HTLC: the receiver reveals a
// 32-byte preimage) or a payment point P (PTLC: the receiver reveals the
// scalar p with p·G = P, off-chain in a settle message or on-chain through
// the adaptor signature it completes).
//
// Thread-safety: plain values. Failure: check_secret returns
// "channel.bad-preimage" / "channel.bad-scalar".
#pragma once

#include <cstdint>
#include <optional>

#include "btc/amount.h"
#include "crypto/secp.h"

namespace ladder::channel {

enum class LockKind : uint8_t { htlc = 0, ptlc = 1 };

struct Lock {
  LockKind kind = LockKind::htlc;
  uint64_t id = 0;
  btc::Amount amount = 0;
  uint32_t expiry = 0;
  Bytes32 payment_hash{};                // HTLC
  std::optional<crypto::PubKey> point;   // PTLC
  bool operator==(const Lock&) const = default;
};

// The secret that settles a lock: a preimage (HTLC) or a scalar (PTLC), as
// 32 bytes.
Status check_secret(const Lock& lock, const Bytes32& secret);

}  // namespace ladder::channel
