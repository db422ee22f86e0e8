// Process-wide, content-addressed caches for hosts that run many signers in
// one process (the LSP's ceremony, the simulator): each MuSig2 session's
// values (b, R, e) are computed once however many local signers use them,
// and each (signature, message, key) triple is verified once however many
// local participants check it — Bitcoin Core's signature cache, applied to
// the protocol. Keys are hashes of the full inputs, so a hit can only return
// what recomputation would.
//
// Thread-safe. Sessions are held weakly (freed with their last user);
// verified signatures are kept up to a bound, then the cache is cleared.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "crypto/musig.h"
#include "crypto/schnorr.h"

namespace ladder::factory {

class CryptoCache {
 public:
  static CryptoCache& shared();

  Expected<std::shared_ptr<const crypto::musig::Session>> session(
      const crypto::musig::KeyAggContext& keyagg, const crypto::musig::AggNonce& aggnonce, ByteView msg,
      const std::optional<crypto::PubKey>& adaptor = std::nullopt);

  // The same, keyed by the aggregate nonce's bytes: a hit needs no point
  // decompression. A malformed aggnonce never hits (nothing was created
  // from it) and fails to parse ("musig.invalid-contribution", aggregator blamed).
  Expected<std::shared_ptr<const crypto::musig::Session>> session(const crypto::musig::KeyAggContext& keyagg,
                                                                  const std::array<uint8_t, 66>& aggnonce,
                                                                  ByteView msg);

  // schnorr_verify, remembered when true.
  bool verify(const crypto::SchnorrSig& sig, ByteView msg, const crypto::XOnlyPubKey& key);

 private:
  static Bytes32 session_id(const crypto::musig::KeyAggContext& keyagg, ByteView aggnonce, ByteView msg,
                            const std::optional<crypto::PubKey>& adaptor);
  std::shared_ptr<const crypto::musig::Session> lookup(const Bytes32& id);
  void remember(const Bytes32& id, const std::shared_ptr<const crypto::musig::Session>& s);
  struct Hash {
    size_t operator()(const Bytes32& b) const;
  };
  std::mutex mu_;
  std::unordered_map<Bytes32, std::weak_ptr<const crypto::musig::Session>, Hash> sessions_;
  std::unordered_set<Bytes32, Hash> verified_;
  size_t session_inserts_ = 0;
};

}  // namespace ladder::factory
