#include "store/transaction.h"

namespace ladder::store {

Expected<Transaction> Transaction::begin(Database& db) {
  if (db.in_transaction()) return make_error("store.sql", "a transaction is already open on " + db.path());
  LADDER_TRY(db.exec("BEGIN IMMEDIATE"));
  return Transaction(db);
}

Status Transaction::commit() {
  if (!db_) return make_error("store.sql", "commit of a finished transaction");
  Status s = db_->exec("COMMIT");
  if (s) {
    db_ = nullptr;
    return ok();
  }
  rollback();
  return s;
}

void Transaction::rollback() {
  if (!db_) return;
  // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL).
  if (db_->in_transaction()) (void)db_->exec("ROLLBACK");
  db_ = nullptr;
}

}  // namespace ladder::store
