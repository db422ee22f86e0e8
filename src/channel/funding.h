// The channel output and its binding (DESIGN §3, §3.3).
//
// FundingKey: the channel output's key, MuSig2 (BIP-327) over the two
// factory keys (sorted), made a BIP-341 output key with the taproot tweak of
// an empty script tree — exactly the channel output of a factory leaf
// (factory::Tree::channel_key) and usable for a channel on an on-chain
// output alike. Commitments spend it by key path with a 2-of-2 MuSig2
// signature.
//
// Binding: which outpoint (and value) the channel's commitments currently
// spend. A tree update gives the channel output a new outpoint; the channel
// is then re-bound (channel.h: rebind) with the same commitment numbers.
//
// Thread-safety: immutable values. Failure: "channel.bad-funding-key" when
// the keys do not aggregate (equal keys are allowed by BIP-327 but refused
// here: a channel needs two parties).
#pragma once

#include "btc/taproot.h"
#include "btc/tx.h"
#include "crypto/musig.h"

namespace ladder::channel {

struct FundingKey {
  crypto::musig::KeyAggContext internal;  // untweaked aggregate (taproot internal key)
  crypto::musig::KeyAggContext tweaked;   // signs key-path spends
  btc::TaprootOutput output;
  Bytes script_pubkey;

  static Expected<FundingKey> create(const crypto::PubKey& a, const crypto::PubKey& b);
};

struct Binding {
  btc::OutPoint outpoint;
  btc::Amount value = 0;
  bool operator==(const Binding&) const = default;
};

}  // namespace ladder::channel
