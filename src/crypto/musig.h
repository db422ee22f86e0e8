// MuSig2 (BIP-327) for Ladder: the umbrella header.
//
// Typical flow for one transaction of a factory tree:
//   auto keyagg = KeyAggContext::create(sorted_keys)          // once per signer set
//                   ->apply_tweak({taproot_tweak, true});      // shared, cheap to copy
//   auto [secnonce, pubnonce] = *nonce_gen(my_pk, {.sk = &my_sk, .msg = sighash});
//   ... exchange pubnonces; aggregator: auto aggnonce = nonce_agg(all_pubnonces);
//   auto session = Session::create(*keyagg, *aggnonce, sighash);   // once
//   auto psig = session->sign(std::move(secnonce), my_sk);        // per local signer
//   session->verify(their_psig, their_pubnonce, their_index);     // when relied on
//   auto sig = session->aggregate(all_psigs);                     // then schnorr_verify
// See musig_keyagg.h, musig_nonce.h and musig_session.h for the contracts.
#pragma once

#include "crypto/musig_keyagg.h"
#include "crypto/musig_nonce.h"
#include "crypto/musig_session.h"
