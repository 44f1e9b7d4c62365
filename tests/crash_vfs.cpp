#include "crash_vfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace lwc::test {

namespace {
constexpr const char* kVfsName = "lwc-crash";
bool g_registered = false;  // one CrashVfs at a time

// POSIX helpers for power_off(), on files no connection has open.
void write_at(int fd, const std::vector<char>& bytes, int64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done,
                         static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("CrashVfs: cannot write " + path);
    done += static_cast<size_t>(n);
  }
}

void resize(int fd, int64_t size, const std::string& path) {
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    throw std::runtime_error("CrashVfs: cannot resize " + path);
  }
}
}  // namespace

// The callbacks. A shim file handle is a File, followed in the same allocation (at kRealOffset) by
// the real VFS's handle.
struct CrashShim {
  struct File {
    sqlite3_file base;           // base.pMethods = &kMethods once the real file is open
    CrashVfs* vfs;               // the owner
    CrashVfs::FileState* state;  // nullptr: a temporary file, not tracked
    sqlite3_file* real;          // the real VFS's handle
  };
  static constexpr size_t kRealOffset = (sizeof(File) + alignof(std::max_align_t) - 1) /
                                        alignof(std::max_align_t) * alignof(std::max_align_t);

  static CrashVfs& owner(sqlite3_vfs* vfs) { return *static_cast<CrashVfs*>(vfs->pAppData); }
  static File& file(sqlite3_file* f) { return *reinterpret_cast<File*>(f); }
  static sqlite3_file* real(sqlite3_file* f) { return file(f).real; }
  static const sqlite3_io_methods& real_methods(sqlite3_file* f) { return *real(f)->pMethods; }
  static bool dead(sqlite3_file* f) { return file(f).vfs->crashed_; }

  // Reads the file's size and the bytes of [from, to) that exist: what an operation changes.
  static int pre_image(sqlite3_file* f, int64_t from, int64_t to, CrashVfs::Op& op) {
    sqlite3_int64 size = 0;
    int rc = real_methods(f).xFileSize(real(f), &size);
    if (rc != SQLITE_OK) return rc;
    op.size_before = size;
    const int64_t end = to < size ? to : size;
    if (end <= from) return SQLITE_OK;
    op.before.resize(static_cast<size_t>(end - from));
    return real_methods(f).xRead(real(f), op.before.data(), static_cast<int>(end - from), from);
  }

  // --- sqlite3_io_methods ---
  static int close(sqlite3_file* f) {
    File& shim = file(f);
    int rc = real_methods(f).xClose(shim.real);
    --shim.vfs->open_files_;
    return rc;
  }
  static int read(sqlite3_file* f, void* buf, int n, sqlite3_int64 offset) {
    if (dead(f)) return SQLITE_IOERR_READ;
    return real_methods(f).xRead(real(f), buf, n, offset);
  }
  static int write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 offset) {
    File& shim = file(f);
    if (shim.vfs->crashed_) return SQLITE_IOERR_WRITE;
    if (!shim.state) return real_methods(f).xWrite(shim.real, buf, n, offset);
    CrashVfs::Op op;
    op.offset = offset;
    const char* bytes = static_cast<const char*>(buf);
    op.data.assign(bytes, bytes + n);
    int rc = pre_image(f, offset, offset + n, op);
    if (rc != SQLITE_OK) return rc;
    rc = real_methods(f).xWrite(shim.real, buf, n, offset);
    if (rc != SQLITE_OK) return rc;
    shim.state->unsynced.push_back(std::move(op));
    shim.vfs->count_op();
    return SQLITE_OK;
  }
  static int truncate(sqlite3_file* f, sqlite3_int64 size) {
    File& shim = file(f);
    if (shim.vfs->crashed_) return SQLITE_IOERR_TRUNCATE;
    if (!shim.state) return real_methods(f).xTruncate(shim.real, size);
    CrashVfs::Op op;
    op.truncate = true;
    op.offset = size;
    int rc = pre_image(f, size, INT64_MAX, op);
    if (rc != SQLITE_OK) return rc;
    rc = real_methods(f).xTruncate(shim.real, size);
    if (rc != SQLITE_OK) return rc;
    shim.state->unsynced.push_back(std::move(op));
    shim.vfs->count_op();
    return SQLITE_OK;
  }
  // Durable by the model's word: the unsynced operations are forgotten; the disk is not asked.
  static int sync(sqlite3_file* f, int /*flags*/) {
    File& shim = file(f);
    if (shim.vfs->crashed_) return SQLITE_IOERR_FSYNC;
    if (!shim.state) return SQLITE_OK;
    shim.state->unsynced.clear();
    shim.vfs->count_op();
    return SQLITE_OK;
  }
  static int file_size(sqlite3_file* f, sqlite3_int64* size) {
    if (dead(f)) return SQLITE_IOERR_FSTAT;
    return real_methods(f).xFileSize(real(f), size);
  }
  static int lock(sqlite3_file* f, int level) {
    if (dead(f)) return SQLITE_IOERR_LOCK;
    return real_methods(f).xLock(real(f), level);
  }
  static int unlock(sqlite3_file* f, int level) { return real_methods(f).xUnlock(real(f), level); }
  static int check_reserved_lock(sqlite3_file* f, int* out) {
    if (dead(f)) return SQLITE_IOERR_CHECKRESERVEDLOCK;
    return real_methods(f).xCheckReservedLock(real(f), out);
  }
  static int file_control(sqlite3_file* f, int op, void* arg) {
    if (op == SQLITE_FCNTL_SIZE_HINT || op == SQLITE_FCNTL_CHUNK_SIZE) return SQLITE_NOTFOUND;
    if (dead(f)) return SQLITE_IOERR;
    return real_methods(f).xFileControl(real(f), op, arg);
  }
  static int sector_size(sqlite3_file* f) { return real_methods(f).xSectorSize(real(f)); }
  // Only powersafe overwrite (a write leaves the bytes around it alone) holds in the model; it
  // promises no atomic or ordered (sequential, safe-append) writes.
  static int device_characteristics(sqlite3_file* f) {
    return real_methods(f).xDeviceCharacteristics(real(f)) & SQLITE_IOCAP_POWERSAFE_OVERWRITE;
  }
  static int shm_map(sqlite3_file* f, int page, int page_size, int extend, void volatile** out) {
    if (dead(f) || real_methods(f).iVersion < 2) return SQLITE_IOERR_SHMMAP;
    return real_methods(f).xShmMap(real(f), page, page_size, extend, out);
  }
  static int shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    if (real_methods(f).iVersion < 2) return SQLITE_IOERR_SHMLOCK;
    if (dead(f) && !(flags & SQLITE_SHM_UNLOCK)) return SQLITE_IOERR_SHMLOCK;
    return real_methods(f).xShmLock(real(f), offset, n, flags);
  }
  static void shm_barrier(sqlite3_file* f) {
    if (real_methods(f).iVersion >= 2) real_methods(f).xShmBarrier(real(f));
  }
  static int shm_unmap(sqlite3_file* f, int delete_flag) {
    if (real_methods(f).iVersion < 2) return SQLITE_OK;
    return real_methods(f).xShmUnmap(real(f), delete_flag);
  }

  static constexpr sqlite3_io_methods kMethods = {
      .iVersion = 2,  // no xFetch/xUnfetch: no memory-mapped I/O past the model
      .xClose = close,
      .xRead = read,
      .xWrite = write,
      .xTruncate = truncate,
      .xSync = sync,
      .xFileSize = file_size,
      .xLock = lock,
      .xUnlock = unlock,
      .xCheckReservedLock = check_reserved_lock,
      .xFileControl = file_control,
      .xSectorSize = sector_size,
      .xDeviceCharacteristics = device_characteristics,
      .xShmMap = shm_map,
      .xShmLock = shm_lock,
      .xShmBarrier = shm_barrier,
      .xShmUnmap = shm_unmap,
  };

  // --- sqlite3_vfs ---
  static int open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    CrashVfs& self = owner(vfs);
    File& shim = file(f);
    shim.base.pMethods = nullptr;
    shim.vfs = &self;
    shim.state = nullptr;
    shim.real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kRealOffset);
    shim.real->pMethods = nullptr;
    if (self.crashed_) return SQLITE_CANTOPEN;
    int rc = self.real_->xOpen(self.real_, name, shim.real, flags, out_flags);
    if (!shim.real->pMethods) return rc;  // SQLite calls xClose exactly when pMethods is set
    shim.base.pMethods = &kMethods;
    ++self.open_files_;
    if (rc == SQLITE_OK && name && !(flags & SQLITE_OPEN_DELETEONCLOSE)) {
      shim.state = &self.files_[name];
      if (flags & SQLITE_OPEN_MAIN_DB) self.main_dbs_.insert(name);
    }
    return rc;
  }
  // The file is gone at once, with whatever it held (directory entries are not modelled).
  static int remove(sqlite3_vfs* vfs, const char* name, int /*sync_dir*/) {
    CrashVfs& self = owner(vfs);
    if (self.crashed_) return SQLITE_IOERR_DELETE;
    int rc = self.real_->xDelete(self.real_, name, 0);
    if (auto it = self.files_.find(name); it != self.files_.end()) it->second.unsynced.clear();
    self.count_op();
    return rc;
  }
  static int access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
    CrashVfs& self = owner(vfs);
    if (self.crashed_) return SQLITE_IOERR_ACCESS;
    return self.real_->xAccess(self.real_, name, flags, out);
  }
  static int full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
    sqlite3_vfs* r = owner(vfs).real_;
    return r->xFullPathname(r, name, n, out);
  }
  static void* dl_open(sqlite3_vfs* vfs, const char* name) {
    sqlite3_vfs* r = owner(vfs).real_;
    return r->xDlOpen(r, name);
  }
  static void dl_error(sqlite3_vfs* vfs, int n, char* out) {
    sqlite3_vfs* r = owner(vfs).real_;
    r->xDlError(r, n, out);
  }
  static void (*dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
    sqlite3_vfs* r = owner(vfs).real_;
    return r->xDlSym(r, handle, symbol);
  }
  static void dl_close(sqlite3_vfs* vfs, void* handle) {
    sqlite3_vfs* r = owner(vfs).real_;
    r->xDlClose(r, handle);
  }
  static int randomness(sqlite3_vfs* vfs, int n, char* out) {
    sqlite3_vfs* r = owner(vfs).real_;
    return r->xRandomness(r, n, out);
  }
  static int sleep(sqlite3_vfs* vfs, int us) {
    sqlite3_vfs* r = owner(vfs).real_;
    return r->xSleep(r, us);
  }
  static int current_time(sqlite3_vfs* vfs, double* out) {
    sqlite3_vfs* r = owner(vfs).real_;
    return r->xCurrentTime(r, out);
  }
  static int last_error(sqlite3_vfs* vfs, int n, char* out) {
    sqlite3_vfs* r = owner(vfs).real_;
    return r->xGetLastError ? r->xGetLastError(r, n, out) : 0;
  }
  static int current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    sqlite3_vfs* r = owner(vfs).real_;
    if (r->iVersion >= 2 && r->xCurrentTimeInt64) return r->xCurrentTimeInt64(r, out);
    double days = 0;
    int rc = r->xCurrentTime(r, &days);
    *out = static_cast<sqlite3_int64>(days * 86400000.0);
    return rc;
  }
};

CrashVfs::CrashVfs(uint64_t seed) : rng_(seed) {
  if (g_registered) throw std::logic_error("CrashVfs: one at a time");
  real_ = sqlite3_vfs_find(nullptr);
  if (!real_) throw std::runtime_error("CrashVfs: no default VFS");
  vfs_.iVersion = 2;
  vfs_.szOsFile = static_cast<int>(CrashShim::kRealOffset) + real_->szOsFile;
  vfs_.mxPathname = real_->mxPathname;
  vfs_.zName = kVfsName;
  vfs_.pAppData = this;
  vfs_.xOpen = CrashShim::open;
  vfs_.xDelete = CrashShim::remove;
  vfs_.xAccess = CrashShim::access;
  vfs_.xFullPathname = CrashShim::full_pathname;
  vfs_.xDlOpen = CrashShim::dl_open;
  vfs_.xDlError = CrashShim::dl_error;
  vfs_.xDlSym = CrashShim::dl_sym;
  vfs_.xDlClose = CrashShim::dl_close;
  vfs_.xRandomness = CrashShim::randomness;
  vfs_.xSleep = CrashShim::sleep;
  vfs_.xCurrentTime = CrashShim::current_time;
  vfs_.xGetLastError = CrashShim::last_error;
  vfs_.xCurrentTimeInt64 = CrashShim::current_time_int64;
  if (sqlite3_vfs_register(&vfs_, 1) != SQLITE_OK) {
    throw std::runtime_error("CrashVfs: cannot register the shim");
  }
  g_registered = true;
}

CrashVfs::~CrashVfs() {
  sqlite3_vfs_unregister(&vfs_);
  sqlite3_vfs_register(real_, 1);  // unregistering the default picks an arbitrary one
  g_registered = false;
}

CrashVfs::PowerLoss CrashVfs::power_off() {
  crashed_ = true;
  if (open_files_ != 0) {
    throw std::logic_error("CrashVfs::power_off: " + std::to_string(open_files_) +
                           " file(s) still open; close every connection first");
  }
  PowerLoss loss;
  std::bernoulli_distribution reached(0.5);
  for (auto& [path, state] : files_) {
    if (state.unsynced.empty()) continue;
    const int fd = ::open(path.c_str(), O_RDWR);
    if (fd < 0) throw std::runtime_error("CrashVfs: cannot open " + path);
    // Back to the synced state, newest first...
    for (auto op = state.unsynced.rbegin(); op != state.unsynced.rend(); ++op) {
      write_at(fd, op->before, op->offset, path);
      resize(fd, op->size_before, path);
    }
    // ...then what reached the disk, in order.
    for (const Op& op : state.unsynced) {
      ++loss.unsynced;
      if (!reached(rng_)) {
        ++loss.dropped;
        continue;
      }
      if (op.truncate) {
        resize(fd, op.offset, path);
      } else {
        write_at(fd, op.data, op.offset, path);
      }
    }
    ::close(fd);
    state.unsynced.clear();
  }
  for (const std::string& db : main_dbs_) {
    std::error_code ec;
    std::filesystem::remove(db + "-shm", ec);
  }
  return loss;
}

}  // namespace lwc::test
