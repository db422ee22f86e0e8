#include "store/key_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "store/support/temp_dir.h"

namespace ladder::store {
namespace {

using testing::TempDir;

ByteView text(std::string_view s) { return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

// Fast scrypt for tests (the default is 2^15).
constexpr ScryptParams kTestScrypt{10, 8, 1};

// True if `a` seals something `b` opens (same derived key).
bool same_key(const Cipher& a, const Cipher& b) {
  Bytes aad = cell_aad("t", "c", text("r"));
  auto sealed = a.seal(text("probe"), aad);
  return sealed && b.open(*sealed, aad).has_value();
}

TEST(KeySource, HkdfMatchesRfc5869TestCase1) {
  auto okm = hkdf_sha256(Bytes(22, 0x0b), hex_or_throw("000102030405060708090a0b0c"),
                         hex_or_throw("f0f1f2f3f4f5f6f7f8f9"), 42);
  ASSERT_TRUE(okm);
  EXPECT_EQ(to_hex(okm->view()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(KeySource, ScryptMatchesRfc7914) {
  auto dk = scrypt(text("password"), text("NaCl"), ScryptParams{10, 8, 16}, 64);
  ASSERT_TRUE(dk);
  EXPECT_EQ(to_hex(dk->view()),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83"
            "ee6d8360cbdfa2cc0640");
}

TEST(KeySource, KeyFileIsCreatedPrivateAndReadBack) {
  TempDir dir;
  std::string path = dir.path("store.key");
  auto created = KeySource::create_key_file(path);
  ASSERT_TRUE(created) << created.error().to_string();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  // Never overwrites an existing key.
  EXPECT_EQ(KeySource::create_key_file(path).error().code, "store.key-file");

  auto read = KeySource::read_key_file(path);
  ASSERT_TRUE(read);
  auto params = created->new_params();
  ASSERT_TRUE(params);
  auto a = created->derive(*params);
  auto b = read->derive(*params);
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(same_key(*a, *b));
  // Another database (another salt) gets an unrelated key.
  auto other = read->derive(*read->new_params());
  ASSERT_TRUE(other);
  EXPECT_FALSE(same_key(*a, *other));
}

TEST(KeySource, BadKeyFilesAreRefused) {
  TempDir dir;
  EXPECT_EQ(KeySource::read_key_file(dir.path("absent")).error().code, "store.key-file");
  auto write = [&](const std::string& name, size_t size, mode_t mode) {
    std::string path = dir.path(name);
    std::ofstream(path, std::ios::binary) << std::string(size, 'k');
    ::chmod(path.c_str(), mode);
    return path;
  };
  EXPECT_EQ(KeySource::read_key_file(write("short", 31, 0600)).error().code, "store.key-file");
  EXPECT_EQ(KeySource::read_key_file(write("huge", 4097, 0600)).error().code, "store.key-file");
  EXPECT_EQ(KeySource::read_key_file(write("shared", 32, 0640)).error().code, "store.key-file");
  EXPECT_EQ(KeySource::read_key_file(dir.dir()).error().code, "store.key-file");
  EXPECT_TRUE(KeySource::read_key_file(write("good", 64, 0400)));
}

TEST(KeySource, PassphraseDerivesTheSameKeyOnlyForTheSamePassphrase) {
  auto right = KeySource::passphrase("correct horse", kTestScrypt);
  auto params = right.new_params();
  ASSERT_TRUE(params);
  EXPECT_EQ(params->kind, KdfParams::Kind::scrypt);
  auto a = right.derive(*params);
  auto b = KeySource::passphrase("correct horse", kTestScrypt).derive(*params);
  auto wrong = KeySource::passphrase("correct h0rse", kTestScrypt).derive(*params);
  ASSERT_TRUE(a && b && wrong);
  EXPECT_TRUE(same_key(*a, *b));
  EXPECT_FALSE(same_key(*a, *wrong));
}

TEST(KeySource, KindMismatchIsTheWrongKey) {
  TempDir dir;
  auto file = KeySource::create_key_file(dir.path("k"));
  ASSERT_TRUE(file);
  auto pass = KeySource::passphrase("pw", kTestScrypt);
  EXPECT_EQ(file->derive(*pass.new_params()).error().code, "store.wrong-key");
  EXPECT_EQ(pass.derive(*file->new_params()).error().code, "store.wrong-key");
}

TEST(KeySource, KdfParamsRoundTripAndRejectBadValues) {
  auto p = KeySource::passphrase("pw", ScryptParams{14, 8, 2}).new_params();
  ASSERT_TRUE(p);
  auto back = KdfParams::decode(p->encode());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, KdfParams::Kind::scrypt);
  EXPECT_EQ(back->salt, p->salt);
  EXPECT_EQ(back->scrypt.log2_n, 14);
  EXPECT_EQ(back->scrypt.p, 2u);

  auto reject = [](KdfParams bad) {
    auto r = KdfParams::decode(bad.encode());
    return !r && r.error().code == "store.corrupt";
  };
  KdfParams huge = *p;
  huge.scrypt.log2_n = 40;  // a hostile file must not make us allocate terabytes
  EXPECT_TRUE(reject(huge));
  KdfParams zero_r = *p;
  zero_r.scrypt.r = 0;
  EXPECT_TRUE(reject(zero_r));
  KdfParams short_salt = *p;
  short_salt.salt.resize(8);
  EXPECT_TRUE(reject(short_salt));
  Bytes encoded = p->encode();
  encoded[0] = 9;
  EXPECT_EQ(KdfParams::decode(encoded).error().code, "store.corrupt");
  encoded = p->encode();
  encoded.push_back(0);
  EXPECT_EQ(KdfParams::decode(encoded).error().code, "store.corrupt");
  encoded.resize(5);
  EXPECT_EQ(KdfParams::decode(encoded).error().code, "store.corrupt");
}

}  // namespace
}  // namespace ladder::store
