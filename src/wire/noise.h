// BOLT #8 transport: the Noise_XK_secp256k1_ChaChaPoly_SHA256 handshake and
// the encrypted, length-prefixed message stream that follows it.
//
// Sans-IO: nothing here touches a socket, a clock or randomness. The host
// moves bytes: it sends `NoiseInitiator::act_one()`, feeds the 50 bytes it
// reads back to `read_act_two()`, sends the returned act three, and so on.
// The ephemeral key is an input (the host draws it from its randomness
// service, e.g. crypto::SecretKey::generate(); the BOLT #8 vectors fix it).
//
// Peers are identified by their static public keys: the initiator must know
// the responder's key up front; the responder learns the initiator's key from
// act three (`NoiseSession::remote_static`).
//
// Failure: every malformed or forged act or packet yields an error value
// (codes "noise.act-length", "noise.bad-version", "noise.bad-pubkey",
// "noise.bad-tag", "noise.bad-ciphertext", "noise.oversized",
// "noise.message-too-large", "noise.failed"). A handshake that failed stays
// failed; the host must drop the connection. Calling the acts out of order is
// a programmer error (std::logic_error).
//
// Ownership and threads: each object owns its key material, is move-only and
// wipes its secrets when destroyed. No internal locking; an Encryptor and a
// Decryptor of one session may live on different threads.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "crypto/secp.h"
#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::wire {

inline constexpr size_t kNoiseActOneSize = 50;
inline constexpr size_t kNoiseActTwoSize = 50;
inline constexpr size_t kNoiseActThreeSize = 66;
inline constexpr size_t kNoiseMaxMessage = 65535;       // BOLT #8: a 2-byte length
inline constexpr size_t kNoiseHeaderSize = 2 + 16;      // encrypted length + its tag
inline constexpr uint64_t kNoiseRotationInterval = 1000;  // nonces per key

// One direction of the transport: key, chaining key and nonce. The key is
// rotated (ck', k' = HKDF(ck, k); nonce reset) once its nonce reaches 1000.
class CipherState {
 public:
  CipherState(const Bytes32& key, const Bytes32& chaining_key) : key_(key), ck_(chaining_key) {}
  CipherState(CipherState&& other) noexcept;
  CipherState& operator=(CipherState&& other) noexcept;
  CipherState(const CipherState&) = delete;
  CipherState& operator=(const CipherState&) = delete;
  ~CipherState();

  // Appends the sealed `plaintext` (empty AD) to `out`; uses one nonce.
  void encrypt(ByteView plaintext, Bytes& out);
  // Appends the opened plaintext to `out`; uses one nonce, even on failure.
  // Error: "noise.bad-tag".
  Status decrypt(ByteView sealed, Bytes& out);

 private:
  void advance();
  void wipe();
  Bytes32 key_;
  Bytes32 ck_;
  uint64_t nonce_ = 0;
};

class Encryptor {
 public:
  explicit Encryptor(CipherState cs) : cs_(std::move(cs)) {}

  // The packet for one message: its length (2 bytes, big-endian) sealed,
  // then the message sealed; 18 + size + 16 bytes. Error
  // "noise.message-too-large" (more than 65535 bytes; no nonce is used).
  Expected<Bytes> encrypt(ByteView message);

 private:
  CipherState cs_;
};

// Reassembles and opens packets from a byte stream cut at arbitrary points.
class Decryptor {
 public:
  explicit Decryptor(CipherState cs, size_t max_message = kNoiseMaxMessage)
      : cs_(std::move(cs)), max_message_(max_message) {}

  // Appends bytes received from the peer. The host bounds how much it reads
  // ahead; next() drains complete packets.
  void feed(ByteView bytes);

  // The next message, std::nullopt if more bytes are needed, or an error:
  // "noise.bad-tag" (length or body forged), "noise.oversized" (a declared
  // length above max_message). After an error every call returns
  // "noise.failed": the stream cannot be resynchronized.
  Expected<std::optional<Bytes>> next();

  size_t buffered() const { return buf_.size() - pos_; }

 private:
  CipherState cs_;
  size_t max_message_;
  Bytes buf_;
  size_t pos_ = 0;
  std::optional<uint16_t> body_len_;  // set once the length prefix is open
  bool failed_ = false;
};

// The outcome of a completed handshake.
struct NoiseSession {
  crypto::PubKey remote_static;
  Encryptor encryptor;
  Decryptor decryptor;
};

namespace detail {
// Handshake variables shared by both roles (BOLT #8 "Handshake State").
struct HandshakeState {
  enum class Step { kStart, kAfterActOne, kDone, kFailed };
  HandshakeState(const crypto::SecretKey& local, const crypto::SecretKey& eph) : local_static(local), ephemeral(eph) {}
  HandshakeState(HandshakeState&&) = default;
  HandshakeState& operator=(HandshakeState&&) = delete;
  ~HandshakeState();

  Step step = Step::kStart;
  Bytes32 ck{};
  Bytes32 h{};
  Bytes32 temp_k2{};
  crypto::SecretKey local_static;
  crypto::SecretKey ephemeral;
  std::optional<crypto::PubKey> remote_ephemeral;
  std::optional<crypto::PubKey> remote_static;
};
}  // namespace detail

class NoiseInitiator {
 public:
  // The initiator knows the responder's identity `remote_static` up front.
  NoiseInitiator(const crypto::SecretKey& local_static, const crypto::PubKey& remote_static,
                 const crypto::SecretKey& ephemeral);

  // Act one (50 bytes). Must be the first call.
  Bytes act_one();

  // Consumes act two (exactly 50 bytes); returns act three (66 bytes) to send
  // and the established session. Must follow act_one().
  struct Completion {
    Bytes act_three;
    NoiseSession session;
  };
  Expected<Completion> read_act_two(ByteView act_two);

 private:
  Expected<Completion> complete(ByteView act_two);
  detail::HandshakeState hs_;
};

class NoiseResponder {
 public:
  NoiseResponder(const crypto::SecretKey& local_static, const crypto::SecretKey& ephemeral);

  // Consumes act one (exactly 50 bytes); returns act two (50 bytes) to send.
  Expected<Bytes> read_act_one(ByteView act_one);

  // Consumes act three (exactly 66 bytes); returns the session, whose
  // remote_static is the initiator's authenticated identity.
  Expected<NoiseSession> read_act_three(ByteView act_three);

 private:
  Expected<Bytes> answer(ByteView act_one);
  Expected<NoiseSession> complete(ByteView act_three);
  detail::HandshakeState hs_;
};

}  // namespace ladder::wire
