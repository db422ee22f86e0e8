#include "crypto/musig_nonce.h"

#include <vector>

#include "crypto/hash.h"
#include "util/secure.h"

namespace ladder::crypto::musig {

namespace {

constexpr Bytes33 kInfinity{};  // cbytes_ext(infinity): 33 zero bytes

Bytes66 concat(const Bytes33& a, const Bytes33& b) {
  Bytes66 out;
  std::copy(a.begin(), a.end(), out.begin());
  std::copy(b.begin(), b.end(), out.begin() + 33);
  return out;
}

Error nonce_error(int signer, std::string_view what, std::string message) {
  return make_culprit_error(kInvalidContribution, signer, std::string(what), std::move(message));
}

void write_be(Sha256& h, uint64_t v, int bytes) {
  uint8_t b[8];
  for (int i = 0; i < bytes; ++i) b[i] = static_cast<uint8_t>(v >> (8 * (bytes - 1 - i)));
  h.write(ByteView(b, static_cast<size_t>(bytes)));
}

}  // namespace

// ---- PubNonce / AggNonce ----

Expected<PubNonce> PubNonce::parse(ByteView bytes, int signer, std::string_view what) {
  if (bytes.size() != 66)
    return nonce_error(signer, what, "public nonce must be 66 bytes, got " + std::to_string(bytes.size()));
  auto r1 = PubKey::parse(bytes.first(33));
  if (!r1) return nonce_error(signer, what, "first nonce point: " + r1.error().message);
  auto r2 = PubKey::parse(bytes.subspan(33));
  if (!r2) return nonce_error(signer, what, "second nonce point: " + r2.error().message);
  return PubNonce(*r1, *r2);
}

Bytes66 PubNonce::bytes() const { return concat(r1_.bytes(), r2_.bytes()); }

Expected<PubNonce> PubNonce::parse_uncompressed(ByteView bytes, int signer, std::string_view what) {
  if (bytes.size() != 130)
    return nonce_error(signer, what, "uncompressed public nonce must be 130 bytes, got " + std::to_string(bytes.size()));
  auto r1 = PubKey::parse_uncompressed(bytes.first(65));
  if (!r1) return nonce_error(signer, what, "first nonce point: " + r1.error().message);
  auto r2 = PubKey::parse_uncompressed(bytes.subspan(65));
  if (!r2) return nonce_error(signer, what, "second nonce point: " + r2.error().message);
  return PubNonce(*r1, *r2);
}

std::array<uint8_t, 130> PubNonce::uncompressed_bytes() const {
  std::array<uint8_t, 130> out;
  auto a = r1_.uncompressed(), b = r2_.uncompressed();
  std::copy(a.begin(), a.end(), out.begin());
  std::copy(b.begin(), b.end(), out.begin() + 65);
  return out;
}

Expected<AggNonce> AggNonce::parse(ByteView bytes, std::string_view what) {
  if (bytes.size() != 66)
    return nonce_error(-1, what, "aggregate nonce must be 66 bytes, got " + std::to_string(bytes.size()));
  std::optional<PubKey> r[2];
  for (int j = 0; j < 2; ++j) {
    ByteView half = bytes.subspan(33 * j, 33);
    if (std::equal(half.begin(), half.end(), kInfinity.begin())) continue;  // cpoint_ext: infinity
    auto p = PubKey::parse(half);
    if (!p) return nonce_error(-1, what, (j == 0 ? "first" : "second") + std::string(" nonce point: ") + p.error().message);
    r[j] = *p;
  }
  return AggNonce(r[0], r[1]);
}

Bytes66 AggNonce::bytes() const {
  return concat(r1_ ? r1_->bytes() : kInfinity, r2_ ? r2_->bytes() : kInfinity);
}

// ---- SecNonce ----

SecNonce::SecNonce(SecNonce&& other) noexcept
    : k1_(other.k1_), k2_(other.k2_), pk_(other.pk_), pubnonce_(std::move(other.pubnonce_)) {
  other.wipe();
}

SecNonce& SecNonce::operator=(SecNonce&& other) noexcept {
  if (this != &other) {
    wipe();
    k1_ = other.k1_;
    k2_ = other.k2_;
    pk_ = other.pk_;
    pubnonce_ = std::move(other.pubnonce_);
    other.wipe();
  }
  return *this;
}

SecNonce::~SecNonce() { wipe(); }

void SecNonce::wipe() {
  secure_wipe(k1_);
  secure_wipe(k2_);
  pk_.fill(0);
  pubnonce_.reset();
}

SecNonce SecNonce::import_bip327(std::span<const uint8_t, 97> bytes) {
  SecNonce n;
  std::copy(bytes.begin(), bytes.begin() + 32, n.k1_.begin());
  std::copy(bytes.begin() + 32, bytes.begin() + 64, n.k2_.begin());
  std::copy(bytes.begin() + 64, bytes.end(), n.pk_.begin());
  auto k1 = Scalar::parse(n.k1_), k2 = Scalar::parse(n.k2_);
  if (k1 && k2) {
    auto r1 = generator_mul(*k1), r2 = generator_mul(*k2);
    if (r1 && r2) n.pubnonce_ = PubNonce(*r1, *r2);
  }
  return n;
}

// ---- NonceGen / NonceAgg ----

Expected<NoncePair> nonce_gen(const PubKey& pk, const NonceGenOptions& opts) {
  static const Sha256 kAuxTag = Sha256::tagged("MuSig/aux");
  static const Sha256 kNonceTag = Sha256::tagged("MuSig/nonce");

  Bytes32 rand = opts.rand ? *opts.rand : random_bytes32();
  if (opts.sk) {
    Sha256 aux = kAuxTag;
    Bytes32 mask = aux.write(rand).finalize();
    Bytes32 sk = opts.sk->reveal();
    for (size_t i = 0; i < 32; ++i) rand[i] = sk[i] ^ mask[i];
    secure_wipe(sk);
  }
  Sha256 prefix = kNonceTag;
  prefix.write(rand);
  secure_wipe(rand);
  prefix.write_u8(33).write(pk.bytes());
  if (opts.aggpk) prefix.write_u8(32).write(*opts.aggpk);
  else prefix.write_u8(0);
  if (opts.msg) {
    prefix.write_u8(1);
    write_be(prefix, opts.msg->size(), 8);
    prefix.write(*opts.msg);
  } else {
    prefix.write_u8(0);
  }
  ByteView extra = opts.extra_in ? *opts.extra_in : ByteView();
  write_be(prefix, extra.size(), 4);
  prefix.write(extra);

  std::array<uint8_t, 97> raw;
  for (uint8_t i = 0; i < 2; ++i) {
    Sha256 h = prefix;
    Bytes32 digest = h.write_u8(i).finalize();
    Bytes32 k = Scalar::reduce(digest).bytes();
    std::copy(k.begin(), k.end(), raw.begin() + 32 * i);
    secure_wipe(digest);
    secure_wipe(k);
  }
  std::copy(pk.bytes().begin(), pk.bytes().end(), raw.begin() + 64);
  SecNonce sec = SecNonce::import_bip327(raw);
  secure_wipe(raw);
  if (!sec.pubnonce()) return make_error("musig.nonce-zero", "derived nonce is zero");
  PubNonce pub = *sec.pubnonce();
  return NoncePair{std::move(sec), pub};
}

Expected<AggNonce> nonce_agg(std::span<const PubNonce> pubnonces) {
  if (pubnonces.empty()) return make_error("musig.no-nonces", "nonce aggregation needs at least one public nonce");
  std::vector<const secp256k1_pubkey*> first, second;
  first.reserve(pubnonces.size());
  second.reserve(pubnonces.size());
  for (const auto& n : pubnonces) {
    first.push_back(&n.r1().raw());
    second.push_back(&n.r2().raw());
  }
  return AggNonce(point_sum(first), point_sum(second));
}

}  // namespace ladder::crypto::musig
