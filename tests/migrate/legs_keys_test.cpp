// Handed-over and extracted keys (DESIGN §1, §5, §6 (R)): the vault keeps
// them encrypted at rest and refuses to use one outside its factory; the
// client hands over only with an empty, quiescent old channel and then
// refuses any factory containing that key; factory key indexes are never
// reused.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "channel_fixture.h"
#include "crypto/factory_keys.h"
#include "crypto/hash.h"
#include "migrate/handover.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "support/factory_harness.h"
#include "store/support/temp_dir.h"

namespace ladder::migrate {
namespace {

using channel::test::must;

std::string code(const Status& s) { return s ? std::string("ok") : s.error().code; }
template <class T>
std::string code(const Expected<T>& e) { return e ? std::string("ok") : e.error().code; }

TEST(KeyVault, KeysAreScopedToTheirFactory) {
  store::MemoryStore store;
  KeyVault vault(store);
  const auto a = crypto::SecretKey::generate();
  const auto b = crypto::SecretKey::generate();
  ASSERT_EQ(code(vault.put(5, a)), "ok");
  ASSERT_EQ(code(vault.put(5, a)), "ok");  // idempotent
  ASSERT_EQ(code(vault.put(6, b)), "ok");
  EXPECT_EQ(vault.key_for(5, a.pubkey()).value().reveal(), a.reveal());
  // Using a handed-over key outside its factory is refused.
  EXPECT_EQ(code(vault.key_for(6, a.pubkey())), "migrate.key-out-of-scope");
  EXPECT_EQ(code(vault.key_for(5, b.pubkey())), "migrate.key-out-of-scope");
  EXPECT_EQ(code(vault.put(7, a)), "migrate.key-other-factory");
  EXPECT_EQ(code(vault.key_for(5, crypto::SecretKey::generate().pubkey())), "migrate.unknown-key");
  EXPECT_TRUE(vault.holds(5, a.pubkey()));
  EXPECT_FALSE(vault.holds(6, a.pubkey()));
  const auto five = vault.departed(5).value();
  ASSERT_EQ(five.size(), 1u);
  EXPECT_EQ(five[0], a.pubkey());
}

TEST(KeyVault, KeysAreEncryptedAtRest) {
  store::testing::TempDir dir;
  const auto key = crypto::SecretKey::generate();
  const auto file_key = store::KeySource::create_key_file(dir.path("key")).value();
  {
    store::SqliteStoreOptions o;
    o.key = file_key.clone();
    auto db = store::SqliteStore::open(dir.path("lsp.db"), std::move(o)).value();
    KeyVault vault(*db);
    ASSERT_TRUE(vault.put(9, key));
  }
  // Neither the secret nor its bytes in any order appear in the files.
  const Bytes32 secret = key.reveal();
  for (const char* name : {"lsp.db", "lsp.db-wal"}) {
    std::ifstream f(dir.path(name), std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content.find(std::string(secret.begin(), secret.end())), std::string::npos) << name;
    const Bytes32 rev = reversed(secret);
    EXPECT_EQ(content.find(std::string(rev.begin(), rev.end())), std::string::npos) << name;
  }
  store::SqliteStoreOptions o;
  o.key = file_key.clone();
  auto db = store::SqliteStore::open(dir.path("lsp.db"), std::move(o)).value();
  KeyVault vault(*db);
  EXPECT_EQ(vault.key_for(9, key.pubkey()).value().reveal(), secret);
  EXPECT_EQ(code(vault.key_for(10, key.pubkey())), "migrate.key-out-of-scope");
}

TEST(ClientKeyLedger, IndexesAreTheClientsChoiceAndNeverReused) {
  store::MemoryStore store;
  ClientKeyLedger ledger(store);
  const Bytes seed(32, 0x42);
  auto chain = crypto::FactoryKeyChain::from_seed(seed, crypto::KeyNetwork::test).value();
  ASSERT_EQ(code(ledger.reserve_index(3)), "ok");
  EXPECT_EQ(code(ledger.reserve_index(3)), "migrate.index-reused");
  EXPECT_EQ(ledger.reserve_next_index().value(), 0u);
  EXPECT_EQ(ledger.reserve_next_index().value(), 1u);
  EXPECT_EQ(ledger.reserve_next_index().value(), 2u);
  EXPECT_EQ(ledger.reserve_next_index().value(), 4u);
  EXPECT_TRUE(ledger.index_used(4));
  EXPECT_FALSE(ledger.index_used(5));
  std::set<Bytes33> keys;
  for (uint32_t i = 0; i < 5; ++i) keys.insert(chain.factory_key(i).value().pubkey().bytes());
  EXPECT_EQ(keys.size(), 5u);
}

struct HandoverFixture {
  channel::test::Pair p = channel::test::open_pair({});
  channel::test::Link link{p.lsp, p.client};
  crypto::SecretKey factory_key = crypto::SecretKey::generate();
  store::MemoryStore client_store, lsp_store;
  ClientKeyLedger ledger{client_store};
  KeyVault vault{lsp_store};
  MigrationId id = crypto::random_bytes32();

  void quiesce() {
    auto reply = must(p.lsp.on_stfu(must(p.client.request_quiescence())));
    ASSERT_FALSE(must(p.client.on_stfu(*reply)).has_value());
  }
  void resume() {
    must(p.client.resume());
    must(p.lsp.resume());
  }
  // The client pays everything it has to L (option 1/2's old leg), unsettled.
  channel::UpdateAddLock pay_all(const Bytes32& pre) {
    auto add = must(p.client.add_htlc(p.client.latest_spec().to_holder, crypto::sha256(pre), 140));
    link.to_a(add);
    link.run();
    return add;
  }
};

TEST(Handover, RefusedWithAPendingHtlcThenGivenOnceTheChannelIsEmpty) {
  HandoverFixture f;
  const Bytes32 pre = channel::test::random32();
  auto add = f.pay_all(pre);
  f.quiesce();
  // A handover attempted with a pending HTLC is refused by the client.
  EXPECT_EQ(code(make_handover(f.id, 1, f.p.client, f.factory_key, true, f.ledger)), "migrate.other-lock");
  EXPECT_TRUE(f.ledger.handed_over().value().empty());
  f.resume();
  f.link.to_b(must(f.p.lsp.settle(add.lock.id, pre)));
  f.link.run();
  EXPECT_EQ(code(make_handover(f.id, 1, f.p.client, f.factory_key, true, f.ledger)), "migrate.not-quiescent");
  f.quiesce();
  EXPECT_EQ(code(make_handover(f.id, 1, f.p.client, f.factory_key, false, f.ledger)), "migrate.handover-declined");
  const Handover h = make_handover(f.id, 1, f.p.client, f.factory_key, true, f.ledger).value();
  EXPECT_EQ(f.ledger.handed_over().value().count(f.factory_key.pubkey().bytes()), 1u);
  // L checks the key against the client's key in that factory.
  Handover forged = h;
  forged.factory_secret = crypto::SecretKey::generate().reveal();
  EXPECT_EQ(code(accept_handover(forged, 1, f.factory_key.pubkey(), f.vault)), "migrate.bad-handover-key");
  EXPECT_EQ(code(accept_handover(h, 2, f.factory_key.pubkey(), f.vault)), "migrate.wrong-factory");
  EXPECT_EQ(accept_handover(h, 1, f.factory_key.pubkey(), f.vault).value().id, f.id);
  EXPECT_EQ(f.vault.key_for(1, f.factory_key.pubkey()).value().reveal(), f.factory_key.reveal());
}

TEST(Handover, RefusedWithAnyOwnBalance) {
  HandoverFixture f;
  f.quiesce();
  EXPECT_EQ(code(make_handover(f.id, 1, f.p.client, f.factory_key, true, f.ledger)), "migrate.own-balance");
}

TEST(Handover, AClientRefusesAFactoryContainingAKeyItHandedOver) {
  chain::EmbeddedChain chain;
  test::TestWallet wallet(chain);
  wallet.mine_coins(2);
  test::FactorySetup fs;
  fs.clients = 2;
  test::FactoryHarness h(chain, wallet, fs);
  store::MemoryStore store;
  ClientKeyLedger ledger(store);
  // Client 0 handed its key over in an older factory; L puts it in a new one.
  ASSERT_TRUE(ledger.record_handover(h.client_keys[0].pubkey()));
  factory::ClientExpectations e = h.expectations(0);
  ASSERT_TRUE(ledger.fill(e));
  auto signer = factory::Signer::client(h.client_keys[0], e, *h.guards[0], *h.stores[0]);
  EXPECT_EQ(code(signer.on_proposal(factory::Proposal{h.terms, 0})), "factory.handed-over-key");
  // Its neighbour, who handed nothing over, accepts the same proposal.
  store::MemoryStore other_store;
  ClientKeyLedger other_ledger(other_store);
  factory::ClientExpectations e1 = h.expectations(1);
  ASSERT_TRUE(other_ledger.fill(e1));
  auto other = factory::Signer::client(h.client_keys[1], e1, *h.guards[1], *h.stores[1]);
  EXPECT_EQ(code(other.on_proposal(factory::Proposal{h.terms, 0})), "ok");
}

}  // namespace
}  // namespace ladder::migrate
