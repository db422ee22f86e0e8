#include "store/key_source.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/serialize.h"

namespace ladder::store {
namespace {

constexpr size_t kMinKeyFile = 32;
constexpr size_t kMaxKeyFile = 4096;
constexpr size_t kSaltSize = 32;
constexpr uint8_t kMaxLog2N = 22;
constexpr uint32_t kMaxR = 32;
constexpr uint32_t kMaxP = 16;
constexpr uint64_t kScryptMaxMem = uint64_t{1} << 31;

Error key_file_error(const std::string& path, const std::string& why) {
  return make_error("store.key-file", path + ": " + why);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Expected<SecretBytes> hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
  EVP_KDF_free(kdf);
  if (!ctx) return make_error("store.crypto", "HKDF unavailable");
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(ikm.data()), ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<uint8_t*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<uint8_t*>(info.data()), info.size()),
      OSSL_PARAM_construct_end()};
  SecretBytes out(length);
  int rc = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (rc != 1) return make_error("store.crypto", "HKDF-SHA256 failed");
  return out;
}

Expected<SecretBytes> scrypt(ByteView passphrase, ByteView salt, const ScryptParams& params, size_t length) {
  SecretBytes out(length);
  if (EVP_PBE_scrypt(reinterpret_cast<const char*>(passphrase.data()), passphrase.size(), salt.data(), salt.size(),
                     uint64_t{1} << params.log2_n, params.r, params.p, kScryptMaxMem, out.data(), out.size()) != 1)
    return make_error("store.crypto", "scrypt failed (parameters too large?)");
  return out;
}

Bytes KdfParams::encode() const {
  Writer w;
  w.u8(static_cast<uint8_t>(kind));
  w.var_bytes(salt);
  if (kind == Kind::scrypt) {
    w.u8(scrypt.log2_n);
    w.u32le(scrypt.r);
    w.u32le(scrypt.p);
  }
  return w.take();
}

Expected<KdfParams> KdfParams::decode(ByteView data) {
  auto corrupt = [](const std::string& why) { return make_error("store.corrupt", "KDF parameters: " + why); };
  Reader r(data);
  KdfParams p;
  auto kind = r.u8();
  auto salt = r.var_bytes(64);
  if (!kind || !salt) return corrupt("truncated");
  if (*kind != 1 && *kind != 2) return corrupt("unknown KDF " + std::to_string(*kind));
  p.kind = static_cast<Kind>(*kind);
  p.salt = std::move(salt).value();
  if (p.salt.size() < 16) return corrupt("salt too short");
  if (p.kind == Kind::scrypt) {
    auto n = r.u8();
    auto rr = r.u32le();
    auto pp = r.u32le();
    if (!n || !rr || !pp) return corrupt("truncated");
    if (*n < 1 || *n > kMaxLog2N || *rr < 1 || *rr > kMaxR || *pp < 1 || *pp > kMaxP)
      return corrupt("scrypt parameters out of range");
    p.scrypt = {*n, *rr, *pp};
  }
  if (!r.expect_end()) return corrupt("trailing bytes");
  return p;
}

Expected<KeySource> KeySource::read_key_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return key_file_error(path, std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return key_file_error(path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return key_file_error(path, "not a regular file");
  if (st.st_mode & 077) return key_file_error(path, "readable by group or others (chmod 600)");
  auto size = static_cast<size_t>(st.st_size);
  if (size < kMinKeyFile || size > kMaxKeyFile)
    return key_file_error(path, "must hold 32 to 4096 bytes, holds " + std::to_string(size));
  SecretBytes material(size);
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd.get(), material.data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return key_file_error(path, n < 0 ? std::strerror(errno) : "file shrank while reading");
    got += static_cast<size_t>(n);
  }
  return KeySource(std::move(material), KdfParams::Kind::hkdf_sha256, {});
}

Expected<KeySource> KeySource::create_key_file(const std::string& path) {
  LADDER_ASSIGN(SecretBytes material, random_secret(kMinKeyFile));
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return key_file_error(path, std::strerror(errno));
  size_t done = 0;
  while (done < material.size()) {
    ssize_t n = ::write(fd.get(), material.view().data() + done, material.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return key_file_error(path, std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return key_file_error(path, std::strerror(errno));
  return KeySource(std::move(material), KdfParams::Kind::hkdf_sha256, {});
}

KeySource KeySource::passphrase(std::string_view passphrase, ScryptParams params) {
  SecretBytes material(ByteView(reinterpret_cast<const uint8_t*>(passphrase.data()), passphrase.size()));
  return KeySource(std::move(material), KdfParams::Kind::scrypt, params);
}

Expected<KdfParams> KeySource::new_params() const {
  LADDER_ASSIGN(SecretBytes salt, random_secret(kSaltSize));
  KdfParams p;
  p.kind = kind_;
  p.salt = to_bytes(salt.view());
  p.scrypt = scrypt_;
  return p;
}

Expected<Cipher> KeySource::derive(const KdfParams& params) const {
  if (params.kind != kind_)
    return make_error("store.wrong-key", params.kind == KdfParams::Kind::scrypt
                                             ? "this database's secrets are protected by a passphrase"
                                             : "this database's secrets are protected by a key file");
  static constexpr std::string_view kInfo = "ladder/store/v1 aes-256-gcm";
  auto key = kind_ == KdfParams::Kind::hkdf_sha256
                 ? hkdf_sha256(material_.view(), params.salt,
                               ByteView(reinterpret_cast<const uint8_t*>(kInfo.data()), kInfo.size()), Cipher::kKeySize)
                 : scrypt(material_.view(), params.salt, params.scrypt, Cipher::kKeySize);
  if (!key) return key.error();
  return Cipher(std::move(key).value());
}

}  // namespace ladder::store
