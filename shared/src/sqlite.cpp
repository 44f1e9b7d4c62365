#include "lwc/sqlite.h"

#include <cerrno>
#include <filesystem>
#include <mutex>
#include <utility>

namespace lwc::sql {

namespace {
// True when SQLite failed because the disk is full: SQLITE_FULL, or an I/O error whose system
// error is ENOSPC (a completely full disk fails the WAL index or the journal before any page).
bool disk_full(sqlite3* db, int rc) {
  if ((rc & 0xff) == SQLITE_FULL) return true;
  return db && (rc & 0xff) == SQLITE_IOERR && sqlite3_system_errno(db) == ENOSPC;
}

Status disk_full_status(sqlite3* db, std::string_view what) {
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  const std::string path = file && *file ? file : "the data folder";
  const std::string folder = std::filesystem::path(path).parent_path().string();
  return Status(
      Code::kDiskFull,
      std::string(what) + ": disk full — " + path +
          " cannot grow. Nothing saved before was lost; free space on the disk that holds " +
          (folder.empty() ? path : folder) +
          " (at least a few MB: delete or move files, empty the recycle bin), then try again");
}

Status status_from(sqlite3* db, int rc, std::string_view what) {
  if (disk_full(db, rc)) return disk_full_status(db, what);
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Status(Code::kIo, msg);
}

// SQLite counts every allocation under a global mutex unless told not to; nothing here reads those
// counts. Possible only before SQLite initializes, so it is done before the process's first open.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}
}  // namespace

Stmt::Stmt(Stmt&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)),
      stmt_(std::exchange(o.stmt_, nullptr)),
      status_(o.status_) {}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = std::exchange(o.db_, nullptr);
    stmt_ = std::exchange(o.stmt_, nullptr);
    status_ = o.status_;
  }
  return *this;
}

Stmt::~Stmt() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Stmt& Stmt::bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::bind_ref(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = status_from(db_, rc, "step");
  return false;
}

Status Stmt::run() {
  status_ = {};
  while (step()) {
  }
  Status s = status_;
  reset();
  return s;
}

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Stmt::col_text(int i) const {
  return std::string(col_view(i));
}

std::string_view Stmt::col_view(int i) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  if (!p) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, i))};
}

Result<Db> Db::open(const std::string& path, bool durable) {
  configure_sqlite_once();
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return status_from(raw, rc, "open " + path);
  sqlite3_busy_timeout(raw, 5000);
  if (path != ":memory:") LWC_RETURN_IF_ERROR(db.exec("PRAGMA journal_mode=WAL"));
  LWC_RETURN_IF_ERROR(db.exec(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  LWC_RETURN_IF_ERROR(db.exec("PRAGMA foreign_keys=ON"));
  // 64 MiB page cache: random 128-bit keys touch the whole B-tree; the default 2 MiB thrashes.
  LWC_RETURN_IF_ERROR(db.exec("PRAGMA cache_size=-65536"));
  return db;
}

Db::Db(Db&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(o.db_, nullptr);
  }
  return *this;
}

Db::~Db() {
  if (db_) sqlite3_close_v2(db_);
}

Status Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    if (disk_full(db_, rc)) return disk_full_status(db_, "exec");
    return Status(Code::kIo, "exec: " + msg);
  }
  return {};
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return status_from(db_, rc, "prepare");
  return Stmt(db_, stmt);
}

Status Db::error(std::string_view what) const {
  return status_from(db_, sqlite3_errcode(db_), what);
}

Txn::Txn(Db& db) : db_(db) {
  status_ = db_.exec("BEGIN IMMEDIATE");
  open_ = status_.ok();
}

Txn::~Txn() {
  if (open_) (void)db_.exec("ROLLBACK");
}

Status Txn::commit() {
  if (!open_) return status_.ok() ? Status(Code::kInternal, "transaction not open") : status_;
  Status s = db_.exec("COMMIT");
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace lwc::sql
