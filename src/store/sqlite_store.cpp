#include "store/sqlite_store.h"

#include <stdexcept>

#include "store/transaction.h"
#include "util/serialize.h"

namespace ladder::store {
namespace {

constexpr std::string_view kComponent = "records";
constexpr std::string_view kKeyCheck = "ladder store key check v1";

ByteView as_bytes(std::string_view s) { return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

SecretColumn secrets_column(const Cipher& c) { return SecretColumn(c, "secrets", "sealed"); }

}  // namespace

Bytes secret_row_key(std::string_view kind, ByteView id) {
  Writer w;
  w.var_bytes(as_bytes(kind));
  w.bytes(id);
  return w.take();
}

// ------------------------------------------------------------------- writer

class SqliteStore::Writer final : public StepWriter {
 public:
  explicit Writer(SqliteStore& s) : StepWriter(s), s_(s) {}

 protected:
  Expected<uint64_t> do_put(std::string_view kind, ByteView id, ByteView value) override {
    LADDER_ASSIGN(Statement st, s_.db_->prepare(
        "INSERT INTO records (kind, id, revision, value) VALUES (?1, ?2, 1, ?3)"
        " ON CONFLICT (kind, id) DO UPDATE SET revision = revision + 1, value = excluded.value"
        " RETURNING revision"));
    LADDER_ASSIGN(bool row, st.bind_text(1, kind).bind(2, id).bind(3, value).step());
    if (!row) return make_error("store.sql", "upsert returned no revision");
    LADDER_ASSIGN(int64_t revision, st.int64(0));
    LADDER_TRY(finish(st));
    return static_cast<uint64_t>(revision);
  }

  Expected<bool> do_erase(std::string_view kind, ByteView id) override {
    LADDER_ASSIGN(Statement st, s_.db_->prepare("DELETE FROM records WHERE kind = ?1 AND id = ?2"));
    LADDER_TRY(st.bind_text(1, kind).bind(2, id).run());
    return s_.db_->changes() > 0;
  }

  Status do_put_secret(std::string_view kind, ByteView id, ByteView secret) override {
    LADDER_ASSIGN(const Cipher* cipher, s_.cipher());
    LADDER_ASSIGN(Bytes sealed, secrets_column(*cipher).seal(secret_row_key(kind, id), secret));
    LADDER_ASSIGN(Statement st, s_.db_->prepare(
        "INSERT INTO secrets (kind, id, sealed) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (kind, id) DO UPDATE SET sealed = excluded.sealed"));
    return st.bind_text(1, kind).bind(2, id).bind(3, sealed).run();
  }

  Expected<bool> do_erase_secret(std::string_view kind, ByteView id) override {
    LADDER_ASSIGN(Statement st, s_.db_->prepare("DELETE FROM secrets WHERE kind = ?1 AND id = ?2"));
    LADDER_TRY(st.bind_text(1, kind).bind(2, id).run());
    return s_.db_->changes() > 0;
  }

  Expected<uint64_t> do_append(std::string_view log, ByteView value) override {
    LADDER_ASSIGN(Statement st, s_.db_->prepare(
        "INSERT INTO log_entries (log, seq, value)"
        " VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM log_entries WHERE log = ?1), ?2)"
        " RETURNING seq"));
    LADDER_ASSIGN(bool row, st.bind_text(1, log).bind(2, value).step());
    if (!row) return make_error("store.sql", "append returned no sequence number");
    LADDER_ASSIGN(int64_t seq, st.int64(0));
    LADDER_TRY(finish(st));
    return static_cast<uint64_t>(seq);
  }

 private:
  // A RETURNING statement does its write as it is stepped to the end.
  static Status finish(Statement& st) {
    LADDER_ASSIGN(bool more, st.step());
    if (more) return make_error("store.sql", "RETURNING produced more than one row");
    return ok();
  }
  SqliteStore& s_;
};

// --------------------------------------------------------------- open, step

Expected<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, SqliteStoreOptions options) {
  LADDER_ASSIGN(auto db, Database::open(path, options.database));
  LADDER_TRY(migrate(*db, kComponent, migrations()));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  if (options.key) LADDER_TRY(store->unlock(*options.key));
  return store;
}

Status SqliteStore::unlock(const KeySource& key) {
  LADDER_ASSIGN(auto tx, Transaction::begin(*db_));
  LADDER_ASSIGN(auto stored, meta("kdf"));
  KdfParams params;
  if (stored) {
    LADDER_ASSIGN(params, KdfParams::decode(*stored));
  } else {
    LADDER_ASSIGN(params, key.new_params());
    LADDER_TRY(set_meta("kdf", params.encode()));
  }
  LADDER_ASSIGN(Cipher cipher, key.derive(params));
  SecretColumn column(cipher, "store_meta", "value");
  LADDER_ASSIGN(auto check, meta("key-check"));
  if (check) {
    auto opened = column.open(as_bytes("key-check"), *check);
    if (!opened || !opened->equals(as_bytes(kKeyCheck)))
      return make_error("store.wrong-key", db_->path() + ": the key does not open this database's secrets");
  } else {
    LADDER_ASSIGN(Bytes sealed, column.seal(as_bytes("key-check"), as_bytes(kKeyCheck)));
    LADDER_TRY(set_meta("key-check", sealed));
  }
  LADDER_TRY(tx.commit());
  cipher_.emplace(std::move(cipher));
  return ok();
}

Expected<std::optional<Bytes>> SqliteStore::meta(std::string_view name) {
  LADDER_ASSIGN(Statement st, db_->prepare("SELECT value FROM store_meta WHERE name = ?1"));
  LADDER_ASSIGN(bool row, st.bind_text(1, name).step());
  if (!row) return std::optional<Bytes>{};
  LADDER_ASSIGN(Bytes value, st.blob(0));
  return std::optional<Bytes>{std::move(value)};
}

Status SqliteStore::set_meta(std::string_view name, ByteView value) {
  LADDER_ASSIGN(Statement st, db_->prepare("INSERT INTO store_meta (name, value) VALUES (?1, ?2)"));
  return st.bind_text(1, name).bind(2, value).run();
}

Expected<const Cipher*> SqliteStore::cipher() const {
  if (!cipher_) return make_error("store.no-key", db_->path() + ": opened without a key, secrets are unavailable");
  return &*cipher_;
}

Status SqliteStore::step(const StepFn& fn) {
  if (in_step_) throw std::logic_error("store: step() called inside a step");
  in_step_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_step_};
  LADDER_ASSIGN(auto tx, Transaction::begin(*db_));
  Writer w(*this);
  LADDER_TRY(run_step_fn(fn, w));
  return tx.commit();
}

// -------------------------------------------------------------------- reads

Expected<std::optional<Record>> SqliteStore::get(std::string_view kind, ByteView id) {
  LADDER_ASSIGN(Statement st, db_->prepare("SELECT revision, value FROM records WHERE kind = ?1 AND id = ?2"));
  LADDER_ASSIGN(bool row, st.bind_text(1, kind).bind(2, id).step());
  if (!row) return std::optional<Record>{};
  LADDER_ASSIGN(int64_t revision, st.int64(0));
  LADDER_ASSIGN(Bytes value, st.blob(1));
  return std::optional<Record>{Record{static_cast<uint64_t>(revision), std::move(value)}};
}

Expected<std::optional<SecretBytes>> SqliteStore::get_secret(std::string_view kind, ByteView id) {
  LADDER_ASSIGN(const Cipher* cipher, this->cipher());
  LADDER_ASSIGN(Statement st, db_->prepare("SELECT sealed FROM secrets WHERE kind = ?1 AND id = ?2"));
  LADDER_ASSIGN(bool row, st.bind_text(1, kind).bind(2, id).step());
  if (!row) return std::optional<SecretBytes>{};
  LADDER_ASSIGN(Bytes sealed, st.blob(0));
  LADDER_ASSIGN(SecretBytes value, secrets_column(*cipher).open(secret_row_key(kind, id), sealed));
  return std::optional<SecretBytes>{std::move(value)};
}

Expected<std::vector<RecordEntry>> SqliteStore::list(std::string_view kind) {
  LADDER_ASSIGN(Statement st, db_->prepare("SELECT id, revision, value FROM records WHERE kind = ?1 ORDER BY id"));
  st.bind_text(1, kind);
  return collect<RecordEntry>(st, [](Statement& row) -> Expected<RecordEntry> {
    LADDER_ASSIGN(Bytes id, row.blob(0));
    LADDER_ASSIGN(int64_t revision, row.int64(1));
    LADDER_ASSIGN(Bytes value, row.blob(2));
    return RecordEntry{std::move(id), {static_cast<uint64_t>(revision), std::move(value)}};
  });
}

Expected<std::vector<SecretEntry>> SqliteStore::list_secrets(std::string_view kind) {
  LADDER_ASSIGN(const Cipher* cipher, this->cipher());
  LADDER_ASSIGN(Statement st, db_->prepare("SELECT id, sealed FROM secrets WHERE kind = ?1 ORDER BY id"));
  st.bind_text(1, kind);
  SecretColumn column = secrets_column(*cipher);
  return collect<SecretEntry>(st, [&](Statement& row) -> Expected<SecretEntry> {
    LADDER_ASSIGN(Bytes id, row.blob(0));
    LADDER_ASSIGN(Bytes sealed, row.blob(1));
    LADDER_ASSIGN(SecretBytes value, column.open(secret_row_key(kind, id), sealed));
    return SecretEntry{std::move(id), std::move(value)};
  });
}

Expected<std::vector<LogEntry>> SqliteStore::read_log(std::string_view log, uint64_t after) {
  LADDER_ASSIGN(Statement st, db_->prepare("SELECT seq, value FROM log_entries WHERE log = ?1 AND seq > ?2 ORDER BY seq"));
  st.bind_text(1, log).bind(2, static_cast<int64_t>(after));
  return collect<LogEntry>(st, [](Statement& row) -> Expected<LogEntry> {
    LADDER_ASSIGN(int64_t seq, row.int64(0));
    LADDER_ASSIGN(Bytes value, row.blob(1));
    return LogEntry{static_cast<uint64_t>(seq), std::move(value)};
  });
}

Expected<uint64_t> SqliteStore::last_seq(std::string_view log) {
  LADDER_ASSIGN(Statement st, db_->prepare("SELECT coalesce(max(seq), 0) FROM log_entries WHERE log = ?1"));
  LADDER_ASSIGN(bool row, st.bind_text(1, log).step());
  if (!row) return make_error("store.sql", "max(seq) returned no row");
  LADDER_ASSIGN(int64_t seq, st.int64(0));
  return static_cast<uint64_t>(seq);
}

}  // namespace ladder::store
