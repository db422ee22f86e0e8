#include "wire/noise.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "crypto/hash.h"
#include "util/secure.h"
#include "wire/noise_crypto.h"

namespace ladder::wire {
namespace {

constexpr std::string_view kProtocolName = "Noise_XK_secp256k1_ChaChaPoly_SHA256";
constexpr std::string_view kPrologue = "lightning";
constexpr uint8_t kHandshakeVersion = 0;

ByteView ascii(std::string_view s) { return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

void mix_hash(Bytes32& h, ByteView data) { h = crypto::Sha256().write(h).write(data).finalize(); }

// ck, k = HKDF(ck, ikm): the chaining key advances, the second half is returned.
Bytes32 mix_key(Bytes32& ck, ByteView ikm) {
  auto [next_ck, k] = noise::hkdf2(ck, ikm);
  ck = next_ck;
  secure_wipe(next_ck);
  return k;
}

// h = SHA256(SHA256(protocolName) || prologue) || responder static key), ck = SHA256(protocolName).
void initialize(detail::HandshakeState& hs, const crypto::PubKey& responder_static) {
  hs.h = crypto::sha256(ascii(kProtocolName));
  hs.ck = hs.h;
  mix_hash(hs.h, ascii(kPrologue));
  mix_hash(hs.h, responder_static.bytes());
}

Status check_act(ByteView act, size_t size, const char* name) {
  if (act.size() != size)
    return make_error("noise.act-length", std::string(name) + ": expected " + std::to_string(size) + " bytes, got " +
                                              std::to_string(act.size()));
  if (act[0] != kHandshakeVersion)
    return make_error("noise.bad-version", std::string(name) + ": unknown handshake version " + std::to_string(act[0]));
  return ok();
}

// Parses `version || e || c` (acts one and two): mixes the peer's ephemeral
// key and the DH with `secret`, then checks the tag. Returns temp_k.
Expected<Bytes32> read_ephemeral_act(detail::HandshakeState& hs, ByteView act, const crypto::SecretKey& secret,
                                     const char* name) {
  static_assert(kNoiseActOneSize == kNoiseActTwoSize);
  LADDER_TRY(check_act(act, kNoiseActOneSize, name));
  ByteView e = act.subspan(1, 33);
  auto re = crypto::PubKey::parse(e);
  if (!re) return make_error("noise.bad-pubkey", std::string(name) + ": ephemeral key is not a valid point");
  hs.remote_ephemeral = *re;
  mix_hash(hs.h, e);
  Bytes32 ss = noise::ecdh(*re, secret);
  Bytes32 temp_k = mix_key(hs.ck, ss);
  secure_wipe(ss);
  Bytes empty;
  ByteView tag = act.subspan(34);
  if (!noise::aead_decrypt(temp_k, 0, hs.h, tag, empty))
    return make_error("noise.bad-tag", std::string(name) + ": MAC check failed");
  mix_hash(hs.h, tag);
  return temp_k;
}

// Builds `version || e.pub || c` (acts one and two) with ss = ECDH(remote, e);
// returns the act and stores temp_k in `temp_k`.
Bytes write_ephemeral_act(detail::HandshakeState& hs, const crypto::PubKey& remote, Bytes32& temp_k) {
  const Bytes33& e = hs.ephemeral.pubkey().bytes();
  mix_hash(hs.h, e);
  Bytes32 ss = noise::ecdh(remote, hs.ephemeral);
  temp_k = mix_key(hs.ck, ss);
  secure_wipe(ss);
  Bytes act;
  act.reserve(kNoiseActOneSize);
  act.push_back(kHandshakeVersion);
  append(act, e);
  noise::aead_encrypt(temp_k, 0, hs.h, {}, act);
  mix_hash(hs.h, ByteView(act).subspan(34));
  return act;
}

NoiseSession make_session(const crypto::PubKey& remote_static, const Bytes32& ck, const Bytes32& send_key,
                          const Bytes32& recv_key) {
  return NoiseSession{remote_static, Encryptor(CipherState(send_key, ck)), Decryptor(CipherState(recv_key, ck))};
}

void require_step(const detail::HandshakeState& hs, detail::HandshakeState::Step want, const char* call) {
  if (hs.step != want) throw std::logic_error(std::string("noise: ") + call + " called out of order");
}

// Runs one act that must start at `want`; success moves to `next`, any
// error ends the handshake.
template <class Act>
auto run_act(detail::HandshakeState& hs, detail::HandshakeState::Step want, detail::HandshakeState::Step next,
             const char* call, Act&& act) {
  require_step(hs, want, call);
  auto r = act();
  hs.step = r ? next : detail::HandshakeState::Step::kFailed;
  return r;
}

}  // namespace

// --- CipherState ---------------------------------------------------------

CipherState::CipherState(CipherState&& other) noexcept : key_(other.key_), ck_(other.ck_), nonce_(other.nonce_) {
  other.wipe();
}

CipherState& CipherState::operator=(CipherState&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    ck_ = other.ck_;
    nonce_ = other.nonce_;
    other.wipe();
  }
  return *this;
}

CipherState::~CipherState() { wipe(); }

void CipherState::wipe() {
  secure_wipe(key_);
  secure_wipe(ck_);
}

void CipherState::advance() {
  if (++nonce_ < kNoiseRotationInterval) return;
  auto [ck, k] = noise::hkdf2(ck_, key_);
  ck_ = ck;
  key_ = k;
  nonce_ = 0;
  secure_wipe(ck);
  secure_wipe(k);
}

void CipherState::encrypt(ByteView plaintext, Bytes& out) {
  noise::aead_encrypt(key_, nonce_, {}, plaintext, out);
  advance();
}

Status CipherState::decrypt(ByteView sealed, Bytes& out) {
  Status s = noise::aead_decrypt(key_, nonce_, {}, sealed, out);
  advance();
  return s;
}

// --- Encryptor / Decryptor -------------------------------------------------

Expected<Bytes> Encryptor::encrypt(ByteView message) {
  if (message.size() > kNoiseMaxMessage)
    return make_error("noise.message-too-large", std::to_string(message.size()) + " bytes > 65535");
  const uint8_t len[2] = {static_cast<uint8_t>(message.size() >> 8), static_cast<uint8_t>(message.size())};
  Bytes packet;
  packet.reserve(kNoiseHeaderSize + message.size() + noise::kTagSize);
  cs_.encrypt(len, packet);
  cs_.encrypt(message, packet);
  return packet;
}

void Decryptor::feed(ByteView bytes) {
  // Drop consumed bytes before growing, so the buffer stays about one packet.
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  append(buf_, bytes);
}

Expected<std::optional<Bytes>> Decryptor::next() {
  if (failed_) return make_error("noise.failed", "the stream failed earlier");
  auto fail = [this](Error e) -> Error {
    failed_ = true;
    return e;
  };
  if (!body_len_) {
    if (buffered() < kNoiseHeaderSize) return std::optional<Bytes>();
    Bytes len;
    if (auto s = cs_.decrypt(ByteView(buf_).subspan(pos_, kNoiseHeaderSize), len); !s)
      return fail(make_error("noise.bad-tag", "length prefix failed authentication"));
    pos_ += kNoiseHeaderSize;
    const uint16_t n = static_cast<uint16_t>(len[0] << 8 | len[1]);
    if (n > max_message_)
      return fail(make_error("noise.oversized",
                             "declared length " + std::to_string(n) + " > " + std::to_string(max_message_)));
    body_len_ = n;
  }
  const size_t sealed = *body_len_ + noise::kTagSize;
  if (buffered() < sealed) return std::optional<Bytes>();
  Bytes message;
  message.reserve(*body_len_);
  if (auto s = cs_.decrypt(ByteView(buf_).subspan(pos_, sealed), message); !s)
    return fail(make_error("noise.bad-tag", "message failed authentication"));
  pos_ += sealed;
  body_len_.reset();
  return std::optional<Bytes>(std::move(message));
}

// --- Handshake ---------------------------------------------------------------

namespace detail {
HandshakeState::~HandshakeState() {
  secure_wipe(ck);
  secure_wipe(h);
  secure_wipe(temp_k2);
}
}  // namespace detail

using Step = detail::HandshakeState::Step;

NoiseInitiator::NoiseInitiator(const crypto::SecretKey& local_static, const crypto::PubKey& remote_static,
                               const crypto::SecretKey& ephemeral)
    : hs_(local_static, ephemeral) {
  hs_.remote_static = remote_static;
  initialize(hs_, remote_static);
}

Bytes NoiseInitiator::act_one() {
  require_step(hs_, Step::kStart, "act_one");
  Bytes32 temp_k1;
  Bytes act = write_ephemeral_act(hs_, *hs_.remote_static, temp_k1);
  secure_wipe(temp_k1);
  hs_.step = Step::kAfterActOne;
  return act;
}

Expected<NoiseInitiator::Completion> NoiseInitiator::read_act_two(ByteView act_two) {
  return run_act(hs_, Step::kAfterActOne, Step::kDone, "read_act_two", [&] { return complete(act_two); });
}

Expected<NoiseInitiator::Completion> NoiseInitiator::complete(ByteView act_two) {
  LADDER_ASSIGN(hs_.temp_k2, read_ephemeral_act(hs_, act_two, hs_.ephemeral, "act two"));
  // Act three: -> s, se
  Bytes act;
  act.reserve(kNoiseActThreeSize);
  act.push_back(kHandshakeVersion);
  noise::aead_encrypt(hs_.temp_k2, 1, hs_.h, hs_.local_static.pubkey().bytes(), act);
  mix_hash(hs_.h, ByteView(act).subspan(1));
  Bytes32 ss = noise::ecdh(*hs_.remote_ephemeral, hs_.local_static);
  Bytes32 temp_k3 = mix_key(hs_.ck, ss);
  noise::aead_encrypt(temp_k3, 0, hs_.h, {}, act);
  auto [sk, rk] = noise::hkdf2(hs_.ck, {});
  Completion done{std::move(act), make_session(*hs_.remote_static, hs_.ck, sk, rk)};
  secure_wipe(ss);
  secure_wipe(temp_k3);
  secure_wipe(sk);
  secure_wipe(rk);
  return done;
}

NoiseResponder::NoiseResponder(const crypto::SecretKey& local_static, const crypto::SecretKey& ephemeral)
    : hs_(local_static, ephemeral) {
  initialize(hs_, local_static.pubkey());
}

Expected<Bytes> NoiseResponder::read_act_one(ByteView act_one) {
  return run_act(hs_, Step::kStart, Step::kAfterActOne, "read_act_one", [&] { return answer(act_one); });
}

Expected<Bytes> NoiseResponder::answer(ByteView act_one) {
  LADDER_ASSIGN(Bytes32 temp_k1, read_ephemeral_act(hs_, act_one, hs_.local_static, "act one"));
  secure_wipe(temp_k1);
  // Act two: <- e, ee
  return write_ephemeral_act(hs_, *hs_.remote_ephemeral, hs_.temp_k2);
}

Expected<NoiseSession> NoiseResponder::read_act_three(ByteView act_three) {
  return run_act(hs_, Step::kAfterActOne, Step::kDone, "read_act_three", [&] { return complete(act_three); });
}

Expected<NoiseSession> NoiseResponder::complete(ByteView act_three) {
  LADDER_TRY(check_act(act_three, kNoiseActThreeSize, "act three"));
  ByteView c = act_three.subspan(1, 33 + noise::kTagSize);
  ByteView t = act_three.subspan(1 + c.size());
  Bytes rs;
  if (!noise::aead_decrypt(hs_.temp_k2, 1, hs_.h, c, rs))
    return make_error("noise.bad-ciphertext", "act three: static key failed authentication");
  auto remote = crypto::PubKey::parse(rs);
  if (!remote) return make_error("noise.bad-pubkey", "act three: static key is not a valid point");
  hs_.remote_static = *remote;
  mix_hash(hs_.h, c);
  Bytes32 ss = noise::ecdh(*remote, hs_.ephemeral);
  Bytes32 temp_k3 = mix_key(hs_.ck, ss);
  secure_wipe(ss);
  Bytes empty;
  Status tag_ok = noise::aead_decrypt(temp_k3, 0, hs_.h, t, empty);
  secure_wipe(temp_k3);
  if (!tag_ok) return make_error("noise.bad-tag", "act three: MAC check failed");
  auto [rk, sk] = noise::hkdf2(hs_.ck, {});
  NoiseSession session = make_session(*remote, hs_.ck, sk, rk);
  secure_wipe(rk);
  secure_wipe(sk);
  return session;
}

}  // namespace ladder::wire
