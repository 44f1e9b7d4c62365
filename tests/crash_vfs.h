// A fault-injecting SQLite VFS for power-loss tests: a disk with a volatile write cache whose power
// is cut at a chosen moment, in the manner of SQLite's own crash tests.
//
// A CrashVfs object registers the shim "lwc-crash" over the default VFS and makes it the default
// for its lifetime (Db::open, Store::open then go through it); its destructor unregisters it and
// makes the previous default the default again. One CrashVfs may exist at a time, and only one
// thread may use it.
//
// Modelled:
//  * Unsynced writes. Every xWrite and xTruncate of a named file since that file's last xSync is
//    unsynced. An xSync (any flags) through any handle of the file makes all of them durable, as
//    fsync() does for an inode. The real fsync() is never called: the model, not the disk, decides
//    what survives a crash (and rounds stay fast).
//  * The crash point. The counted operations are xWrite, xTruncate and xSync on named files and
//    xDelete; after crash_after(n) the n-th of them is the last that happens, or crash_now() stops
//    at once. From then on every call that reads or changes a file fails with an SQLITE_IOERR code
//    (xOpen fails with SQLITE_CANTOPEN) — the process is dead as far as SQLite can tell. Only what
//    releases resources still passes through (xClose, xUnlock, xShmUnmap, unlocking xShmLock,
//    xShmBarrier), so the test can destroy the dead connections.
//  * Power loss. power_off(), once every file of the shim is closed: each unsynced operation of
//  each
//    file independently reached the disk or not (probability 1/2, from the seed), and the real
//    files are set to exactly that outcome — all unsynced operations are undone from their
//    pre-images (the bytes they overwrote or cut off, and the file size before), newest first, then
//    the ones that reached the disk are done again, oldest first. The -shm file of every main
//    database opened is deleted: shared memory does not survive a reboot, and SQLite rebuilds the
//    WAL index from the WAL.
// Not modelled:
//  * torn writes: one xWrite reaches the disk whole or not at all (SQLite writes a WAL frame's
//    header and its page with two calls, so a frame does tear);
//  * directory entries: creating and deleting a file are durable at once; the directory sync
//    SQLite asks for (xDelete's syncDir, a new journal's first xSync) is a no-op;
//  * the shared memory itself: xShm* pass through to the real VFS while the process lives;
//  * memory-mapped I/O: the shim offers version-2 io methods (no xFetch), so SQLite does all file
//    I/O through xRead and xWrite;
//  * files opened without a name or delete-on-close (temporary files): passed through, neither
//    tracked nor counted;
//  * SQLITE_FCNTL_SIZE_HINT and SQLITE_FCNTL_CHUNK_SIZE are refused (SQLITE_NOTFOUND): they would
//    grow a file behind the model's back.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace lwc::test {

class CrashVfs {
 public:
  // Registers the shim and makes it the default VFS. `seed` drives power_off()'s choices.
  explicit CrashVfs(uint64_t seed);
  ~CrashVfs();
  CrashVfs(const CrashVfs&) = delete;
  CrashVfs& operator=(const CrashVfs&) = delete;

  // The n-th counted operation (n >= 1, counted from the start) is the last that happens; 0: never.
  void crash_after(int64_t n) { crash_at_ = n; }
  // Stops all I/O now.
  void crash_now() { crashed_ = true; }
  bool crashed() const { return crashed_; }
  // Counted operations that happened so far.
  int64_t ops() const { return ops_; }

  struct PowerLoss {
    int64_t unsynced = 0;  // unsynced writes and truncates at the crash
    int64_t dropped = 0;   // of which did not reach the disk
  };
  // Cuts the power (stopping I/O, if the crash point has not come) and sets the real files to what
  // the disk holds afterwards, as described above. Throws std::logic_error while a file of the
  // shim is open, std::runtime_error when a real file cannot be changed.
  PowerLoss power_off();

 private:
  // One unsynced xWrite or xTruncate.
  struct Op {
    bool truncate = false;
    int64_t offset = 0;        // write: where it starts; truncate: the new size
    std::vector<char> data;    // write: the bytes written
    int64_t size_before = 0;   // the file size before the operation
    std::vector<char> before;  // the bytes it overwrote or cut off, starting at `offset`
  };
  struct FileState {
    std::vector<Op> unsynced;  // oldest first
  };
  friend struct CrashShim;  // the sqlite3_vfs and sqlite3_io_methods callbacks (crash_vfs.cpp)

  // Called after a counted operation happened: reaching the crash point stops all I/O.
  void count_op() {
    ++ops_;
    if (crash_at_ > 0 && ops_ >= crash_at_) crashed_ = true;
  }

  sqlite3_vfs vfs_{};
  sqlite3_vfs* real_ = nullptr;
  std::mt19937_64 rng_;
  int64_t ops_ = 0;
  int64_t crash_at_ = 0;
  bool crashed_ = false;
  int open_files_ = 0;
  std::map<std::string, FileState> files_;  // by path; entries stay while the shim lives
  std::set<std::string> main_dbs_;          // paths opened as SQLITE_OPEN_MAIN_DB
};

}  // namespace lwc::test
