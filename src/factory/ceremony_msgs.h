// Messages of the construction ceremony (DESIGN §3.3): two signing rounds
// for the whole tree, then delivery of complete signatures and acks.
//
//   L → every client   Proposal         the FactoryTerms and the attempt number
//   client → L         NonceBatch       one public nonce per tx the client signs
//   L → client         AggNonceBatch    the aggregate nonce of each of those txs
//   client → L         PartialBatch     one partial signature per tx
//   L → client         SignatureBatch   the complete signature of each tx
//   client → L         CeremonyAck      every signature verified and stored
//
// Batches list their items in the order Tree::txs_of_client (all_txs for L)
// gives; items are raw bytes so that a malformed one is detected, and its
// sender named, by whoever parses it. Every batch names the ceremony it
// belongs to (factory id, attempt, hash of the terms).
#pragma once

#include <cstdint>
#include <vector>

#include "factory/terms.h"
#include "util/bytes.h"

namespace ladder::factory {

using Bytes66 = std::array<uint8_t, 66>;
// Public nonces travel uncompressed (crypto::musig::PubNonce::uncompressed_bytes):
// the coordinator parses tens of thousands per ceremony without square roots.
using WireNonce = std::array<uint8_t, 130>;

// Participant ids: clients are 0..n-1 (their position in the terms).
inline constexpr uint32_t kLsp = 0xffffffff;

struct CeremonyRef {
  uint64_t factory_id = 0;
  uint32_t attempt = 0;
  Bytes32 terms_hash{};
  bool operator==(const CeremonyRef&) const = default;
};

struct Proposal {
  FactoryTerms terms;
  uint32_t attempt = 0;
};

struct NonceBatch {
  CeremonyRef ref;
  std::vector<WireNonce> nonces;
};

struct AggNonceBatch {
  CeremonyRef ref;
  std::vector<Bytes66> aggnonces;
};

struct PartialBatch {
  CeremonyRef ref;
  std::vector<Bytes32> psigs;
};

struct SignatureBatch {
  CeremonyRef ref;
  std::vector<Bytes64> sigs;
};

struct CeremonyAck {
  CeremonyRef ref;
};

}  // namespace ladder::factory
