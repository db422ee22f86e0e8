#include "store/support/faulty_vfs.h"

#include <sqlite3.h>

#include <stdexcept>

namespace ladder::store::testing {
namespace {

sqlite3_vfs* g_real = nullptr;
FaultyVfs* g_ctl = nullptr;

// SQLite allocates szOsFile bytes per file: ours, then the real VFS's file.
struct File {
  sqlite3_file base;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real(); }
const sqlite3_io_methods& m(sqlite3_file* f) { return *real(f)->pMethods; }

int x_close(sqlite3_file* f) { return m(f).xClose(real(f)); }
int x_read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) { return m(f).xRead(real(f), p, n, off); }
int x_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
  return g_ctl->next_fails() ? SQLITE_IOERR_WRITE : m(f).xWrite(real(f), p, n, off);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return g_ctl->next_fails() ? SQLITE_IOERR_TRUNCATE : m(f).xTruncate(real(f), size);
}
int x_sync(sqlite3_file* f, int flags) { return g_ctl->next_fails() ? SQLITE_IOERR_FSYNC : m(f).xSync(real(f), flags); }
int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return m(f).xFileSize(real(f), size); }
int x_lock(sqlite3_file* f, int level) { return m(f).xLock(real(f), level); }
int x_unlock(sqlite3_file* f, int level) { return m(f).xUnlock(real(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) { return m(f).xCheckReservedLock(real(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) { return m(f).xFileControl(real(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return m(f).xSectorSize(real(f)); }
int x_device(sqlite3_file* f) { return m(f).xDeviceCharacteristics(real(f)); }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return m(f).xShmMap(real(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) { return m(f).xShmLock(real(f), offset, n, flags); }
void x_shm_barrier(sqlite3_file* f) { m(f).xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return m(f).xShmUnmap(real(f), del); }

const sqlite3_io_methods kMethods = {2,          x_close,         x_read,      x_write,        x_truncate,
                                     x_sync,     x_file_size,     x_lock,      x_unlock,       x_check_reserved,
                                     x_file_control, x_sector_size, x_device, x_shm_map,      x_shm_lock,
                                     x_shm_barrier,  x_shm_unmap,   nullptr,  nullptr};

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* file = reinterpret_cast<File*>(f);
  int rc = g_real->xOpen(g_real, name, file->real(), flags, out_flags);
  file->base.pMethods = file->real()->pMethods ? &kMethods : nullptr;
  return rc;
}
int x_delete(sqlite3_vfs*, const char* name, int sync) { return g_real->xDelete(g_real, name, sync); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_real->xAccess(g_real, name, flags, out); }
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* x_dlopen(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void x_dlerror(sqlite3_vfs*, int n, char* msg) { g_real->xDlError(g_real, n, msg); }
void (*x_dlsym(sqlite3_vfs*, void* h, const char* sym))(void) { return g_real->xDlSym(g_real, h, sym); }
void x_dlclose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int x_current_time(sqlite3_vfs*, double* t) { return g_real->xCurrentTime(g_real, t); }
int x_last_error(sqlite3_vfs*, int n, char* out) { return g_real->xGetLastError(g_real, n, out); }
int x_current_time64(sqlite3_vfs*, sqlite3_int64* t) { return g_real->xCurrentTimeInt64(g_real, t); }

}  // namespace

FaultyVfs& FaultyVfs::install() {
  static FaultyVfs ctl;
  static sqlite3_vfs vfs = [] {
    g_real = sqlite3_vfs_find(nullptr);
    if (!g_real || g_real->iVersion < 2) throw std::runtime_error("FaultyVfs: no suitable default VFS");
    sqlite3_vfs v{};
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(sizeof(File)) + g_real->szOsFile;
    v.mxPathname = g_real->mxPathname;
    v.zName = kName;
    v.xOpen = x_open;
    v.xDelete = x_delete;
    v.xAccess = x_access;
    v.xFullPathname = x_full_pathname;
    v.xDlOpen = x_dlopen;
    v.xDlError = x_dlerror;
    v.xDlSym = x_dlsym;
    v.xDlClose = x_dlclose;
    v.xRandomness = x_randomness;
    v.xSleep = x_sleep;
    v.xCurrentTime = x_current_time;
    v.xGetLastError = x_last_error;
    v.xCurrentTimeInt64 = x_current_time64;
    return v;
  }();
  static const bool registered = [] {
    g_ctl = &ctl;
    if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) throw std::runtime_error("FaultyVfs: register failed");
    return true;
  }();
  (void)registered;
  return ctl;
}

}  // namespace ladder::store::testing
