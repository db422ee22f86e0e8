#include "store/secret.h"

#include <gtest/gtest.h>

#include "store/database.h"
#include "store/support/temp_dir.h"

namespace ladder::store {
namespace {

Cipher random_cipher() { return Cipher(*random_secret(Cipher::kKeySize)); }

ByteView text(std::string_view s) { return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

TEST(Secret, SealOpenRoundTripWithFreshNonces) {
  Cipher c = random_cipher();
  Bytes aad = cell_aad("t", "c", text("row"));
  for (size_t n : {0, 1, 32, 1000}) {
    Bytes plain(n, 0x5a);
    auto a = c.seal(plain, aad);
    auto b = c.seal(plain, aad);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->size(), Cipher::kOverhead + n);
    EXPECT_NE(*a, *b);  // fresh random nonce each time
    auto opened = c.open(*a, aad);
    ASSERT_TRUE(opened) << opened.error().to_string();
    EXPECT_TRUE(opened->equals(plain));
  }
}

TEST(Secret, WrongKeyFailsToOpen) {
  Bytes aad = cell_aad("t", "c", text("row"));
  auto sealed = random_cipher().seal(text("seed"), aad);
  ASSERT_TRUE(sealed);
  auto r = random_cipher().open(*sealed, aad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "store.decrypt");
}

TEST(Secret, EveryAlteredByteFailsToOpen) {
  Cipher c = random_cipher();
  Bytes aad = cell_aad("t", "c", text("row"));
  auto sealed = c.seal(text("revocation secret"), aad);
  ASSERT_TRUE(sealed);
  for (size_t i = 0; i < sealed->size(); ++i) {
    Bytes bad = *sealed;
    bad[i] ^= 0x01;
    auto r = c.open(bad, aad);
    ASSERT_FALSE(r) << "byte " << i;
    EXPECT_EQ(r.error().code, "store.decrypt");
  }
  for (size_t len : {size_t{0}, size_t{1}, Cipher::kOverhead - 1, sealed->size() - 1}) {
    auto r = c.open(ByteView(sealed->data(), len), aad);
    ASSERT_FALSE(r) << "length " << len;
    EXPECT_EQ(r.error().code, "store.decrypt");
  }
}

TEST(Secret, ValuesAreBoundToTheirCell) {
  Cipher c = random_cipher();
  auto sealed = c.seal(text("key"), cell_aad("handover", "key", text("row-1")));
  ASSERT_TRUE(sealed);
  EXPECT_TRUE(c.open(*sealed, cell_aad("handover", "key", text("row-1"))));
  EXPECT_FALSE(c.open(*sealed, cell_aad("handover", "key", text("row-2"))));
  EXPECT_FALSE(c.open(*sealed, cell_aad("handover", "seed", text("row-1"))));
  EXPECT_FALSE(c.open(*sealed, cell_aad("seeds", "key", text("row-1"))));
  // Length prefixes keep the parts apart.
  EXPECT_NE(cell_aad("ab", "c", text("")), cell_aad("a", "bc", text("")));
  EXPECT_NE(cell_aad("a", "b", text("c")), cell_aad("a", "", text("bc")));
}

// The brief's attack: an attacker with write access to the file swaps two
// rows' ciphertexts; neither row opens.
TEST(Secret, SwappingTwoRowsCiphertextsFailsToDecrypt) {
  testing::TempDir dir;
  auto db = Database::open(dir.path("a.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->exec("CREATE TABLE handover (client BLOB PRIMARY KEY, key BLOB NOT NULL)"));
  Cipher c = random_cipher();
  SecretColumn column(c, "handover", "key");
  const Bytes alice = {0xa1}, bob = {0xb0};
  for (const Bytes* who : {&alice, &bob}) {
    auto sealed = column.seal(*who, Bytes(32, (*who)[0]));
    ASSERT_TRUE(sealed);
    auto st = (*db)->prepare("INSERT INTO handover VALUES (?1, ?2)");
    ASSERT_TRUE(st && st->bind(1, *who).bind(2, *sealed).run());
  }
  auto read = [&](const Bytes& who) -> Expected<SecretBytes> {
    LADDER_ASSIGN(Statement st, (*db)->prepare("SELECT key FROM handover WHERE client = ?1"));
    LADDER_ASSIGN(bool row, st.bind(1, who).step());
    if (!row) return make_error("test.missing");
    LADDER_ASSIGN(Bytes sealed, st.blob(0));
    return column.open(who, sealed);
  };
  ASSERT_TRUE(read(alice) && read(alice)->equals(Bytes(32, 0xa1)));
  auto sealed_of = [&](const Bytes& who) {
    auto st = (*db)->prepare("SELECT key FROM handover WHERE client = ?1");
    EXPECT_TRUE(st && *st->bind(1, who).step());
    return *st->blob(0);
  };
  auto store_sealed = [&](const Bytes& who, const Bytes& sealed) {
    auto st = (*db)->prepare("UPDATE handover SET key = ?1 WHERE client = ?2");
    return st && st->bind(1, sealed).bind(2, who).run();
  };
  Bytes sealed_a = sealed_of(alice), sealed_b = sealed_of(bob);
  ASSERT_TRUE(store_sealed(alice, sealed_b));
  ASSERT_TRUE(store_sealed(bob, sealed_a));
  auto a = read(alice);
  auto b = read(bob);
  ASSERT_FALSE(a);
  ASSERT_FALSE(b);
  EXPECT_EQ(a.error().code, "store.decrypt");
  EXPECT_EQ(b.error().code, "store.decrypt");
}

TEST(Secret, SecretBytesMovesAndComparesInConstantTimeShape) {
  SecretBytes a(text("abc"));
  SecretBytes b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_TRUE(b.equals(text("abc")));
  EXPECT_FALSE(b.equals(text("abd")));
  EXPECT_FALSE(b.equals(text("ab")));
  SecretBytes c = b.clone();
  b = SecretBytes(text("x"));
  EXPECT_TRUE(c.equals(text("abc")));
  EXPECT_TRUE(b.equals(text("x")));
  auto r = random_secret(32);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 32u);
  EXPECT_FALSE(r->equals(Bytes(32, 0)));
}

}  // namespace
}  // namespace ladder::store
