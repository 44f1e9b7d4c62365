// Thin RAII wrappers over the SQLite C API: Db (a connection), Stmt (a prepared statement) and
// Txn (BEGIN IMMEDIATE ... COMMIT, rolled back on destruction unless committed).
// Failures are Status values with code kIo, or kDiskFull when the disk is full (SQLITE_FULL, or an
// I/O error with ENOSPC), whose message names the file and what to free.
// A Db and its Stmts belong to one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "lwc/status.h"

namespace lwc::sql {

class Db;

class Stmt {
 public:
  Stmt() = default;
  Stmt(Stmt&&) noexcept;
  Stmt& operator=(Stmt&&) noexcept;
  ~Stmt();

  // Binds are 1-based, as in SQLite. They return *this for chaining; a failed bind shows at step().
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, std::string_view v);
  // Binds text without a copy: `v` must stay valid until the statement is reset (run() resets).
  // For the per-change statements, where the copies cost more than the B-tree work.
  Stmt& bind_ref(int i, std::string_view v);
  Stmt& bind_null(int i);
  // Returns true when a row is available, false when done; errors become Status in last_status().
  bool step();
  // Runs to completion; returns the first error.
  Status run();
  void reset();

  int64_t col_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::string col_text(int i) const;
  std::string_view col_view(int i) const;
  bool col_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  const Status& last_status() const { return status_; }

 private:
  friend class Db;
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
};

class Db {
 public:
  // Opens (creating if needed) a database file; ":memory:" for an in-memory one. Sets WAL (for
  // files), synchronous=NORMAL (FULL when durable=true), foreign keys on, and a busy timeout.
  static Result<Db> open(const std::string& path, bool durable = false);

  Db() = default;
  Db(Db&&) noexcept;
  Db& operator=(Db&&) noexcept;
  ~Db();

  Status exec(std::string_view sql);
  Result<Stmt> prepare(std::string_view sql);
  int64_t changes() const { return sqlite3_changes64(db_); }
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  sqlite3* handle() const { return db_; }
  Status error(std::string_view what) const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on construction (check status()), ROLLBACK on destruction unless commit() ran.
class Txn {
 public:
  explicit Txn(Db& db);
  ~Txn();
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  const Status& status() const { return status_; }
  Status commit();

 private:
  Db& db_;
  Status status_;
  bool open_ = false;
};

}  // namespace lwc::sql
