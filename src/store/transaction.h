// Transaction: an RAII write transaction on a Database.
//
//   LADDER_ASSIGN(auto tx, Transaction::begin(db));
//   ... writes ...
//   LADDER_TRY(tx.commit());   // durable once this returns ok
//
// begin() issues BEGIN IMMEDIATE, taking the write lock up front: a database
// locked by another connection fails at begin ("store.busy") instead of
// half-way through a step. A Transaction destroyed without commit() rolls
// back, so an early `return` on error leaves nothing behind. Transactions do
// not nest (beginning one inside another is "store.sql").
//
// Ownership: borrows the Database, which must outlive it. Move-only.
#pragma once

#include "store/database.h"

namespace ladder::store {

class Transaction {
 public:
  static Expected<Transaction> begin(Database& db);
  Transaction(Transaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction() { rollback(); }

  // Commits; on error the transaction is rolled back. Either way it is over.
  Status commit();
  // Undoes every write since begin(). Idempotent.
  void rollback();
  bool active() const { return db_ != nullptr; }

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_;
};

}  // namespace ladder::store
