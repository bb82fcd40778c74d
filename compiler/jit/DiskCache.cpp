// DiskCache: the entry format, atomic installation and LRU eviction.
//
// An entry file <digest>.rko is
//   "RAVELKO1"            8 bytes of magic
//   key length            u64, little-endian (the host's order: an entry is
//   object length         u64   only ever read on the machine that wrote it)
//   checksum              u64, xxh3 of key bytes followed by object bytes
//   key, object           the bytes themselves
// and is valid only if its size is exactly the header plus both lengths, the
// checksum matches and the key equals the one asked for.
#include "compiler/jit/DiskCache.h"

#include <llvm/Support/xxhash.h>

#include <dirent.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace ravel::jit {

namespace {

constexpr char kMagic[8] = {'R', 'A', 'V', 'E', 'L', 'K', 'O', '1'};
constexpr size_t kHeaderBytes = 8 + 3 * sizeof(uint64_t);
constexpr const char* kEntrySuffix = ".rko";
constexpr const char* kSubdirectory = "kernels-v1";
constexpr uint64_t kDefaultCapMiB = 256;

/// Eviction leaves this fraction of the cap, so a full cache is not scanned
/// again on the very next store.
constexpr double kEvictionTarget = 0.8;

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

/// mkdir -p; true if `path` is a directory afterwards.
bool makeDirectories(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string prefix = path.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool readWholeFile(const std::string& path, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (ok) {
    out.resize(size_t(st.st_size));
    size_t done = 0;
    while (ok && done < out.size()) {
      ssize_t n = ::read(fd, out.data() + done, out.size() - done);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) done += size_t(n);
    }
  }
  ::close(fd);
  return ok;
}

bool writeAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= size_t(n);
  }
  return true;
}

uint64_t checksum(const std::string& key, const char* object, size_t objectBytes) {
  std::string both;
  both.reserve(key.size() + objectBytes);
  both.append(key).append(object, objectBytes);
  return llvm::xxh3_64bits(llvm::StringRef(both));
}

bool isEntryName(const char* name) {
  size_t n = std::strlen(name), s = std::strlen(kEntrySuffix);
  return n > s && std::strcmp(name + n - s, kEntrySuffix) == 0;
}

/// A store's temporary file ("tmp.<pid>.<random>", never an entry's suffix,
/// so a half-written file is never listed, counted or loaded as an entry).
bool isTemporaryName(const char* name) {
  return std::strncmp(name, "tmp.", 4) == 0;
}

struct EntryFile {
  std::string path;
  uint64_t bytes;
  struct timespec used;
};

std::vector<EntryFile> listEntries(const std::string& dir) {
  std::vector<EntryFile> entries;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return entries;
  while (struct dirent* e = ::readdir(d)) {
    if (!isEntryName(e->d_name)) continue;
    std::string path = dir + "/" + e->d_name;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue; // evicted meanwhile
    entries.push_back({path, uint64_t(st.st_size), st.st_mtim});
  }
  ::closedir(d);
  return entries;
}

} // namespace

std::string DiskCache::defaultDirectory() {
  std::string base;
  if (const char* d = env("RAVEL_CACHE_DIR")) return d;
  if (const char* x = env("XDG_CACHE_HOME"))
    base = std::string(x) + "/ravel";
  else if (const char* h = env("HOME"))
    base = std::string(h) + "/.cache/ravel";
  else
    return "";
  return base;
}

uint64_t DiskCache::defaultCapBytes() {
  uint64_t mib = kDefaultCapMiB;
  if (const char* v = env("RAVEL_CACHE_MAX_MB")) {
    char* end = nullptr;
    unsigned long long n = std::strtoull(v, &end, 10);
    if (end && *end == '\0') mib = n;
  }
  return mib << 20;
}

std::unique_ptr<DiskCache> DiskCache::openDefault() {
  if (const char* off = env("RAVEL_NO_CACHE"); off && std::strcmp(off, "0") != 0) return nullptr;
  std::string dir = defaultDirectory();
  if (dir.empty()) return nullptr;
  return open(dir, defaultCapBytes());
}

std::unique_ptr<DiskCache> DiskCache::open(const std::string& directory, uint64_t capBytes) {
  std::string dir = directory;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  dir += std::string("/") + kSubdirectory;
  if (!makeDirectories(dir) || ::access(dir.c_str(), W_OK | X_OK) != 0) return nullptr;
  return std::unique_ptr<DiskCache>(new DiskCache(std::move(dir), capBytes));
}

std::string DiskCache::digest(const std::string& key) {
  llvm::XXH128_hash_t h =
      llvm::xxh3_128bits(llvm::ArrayRef(reinterpret_cast<const uint8_t*>(key.data()), key.size()));
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (uint64_t word : {h.high64, h.low64})
    for (int shift = 60; shift >= 0; shift -= 4) out += hex[(word >> shift) & 15];
  return out;
}

std::string DiskCache::pathOf(const std::string& key) const {
  return dir_ + "/" + digest(key) + kEntrySuffix;
}

std::optional<std::string> DiskCache::load(const std::string& key) {
  const std::string path = pathOf(key);
  std::string file;
  if (!readWholeFile(path, file) || file.size() < kHeaderBytes) return std::nullopt;
  if (std::memcmp(file.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
  uint64_t keyBytes, objectBytes, sum;
  std::memcpy(&keyBytes, file.data() + 8, 8);
  std::memcpy(&objectBytes, file.data() + 16, 8);
  std::memcpy(&sum, file.data() + 24, 8);
  // Checked without overflow: each length alone is at most the file size.
  const uint64_t payload = file.size() - kHeaderBytes;
  if (keyBytes > payload || objectBytes != payload - keyBytes || keyBytes != key.size())
    return std::nullopt;
  if (file.compare(kHeaderBytes, keyBytes, key) != 0) return std::nullopt;
  const char* object = file.data() + kHeaderBytes + keyBytes;
  if (checksum(key, object, objectBytes) != sum) return std::nullopt;
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0); // most recently used now
  return std::string(object, objectBytes);
}

void DiskCache::store(const std::string& key, const std::string& object) {
  char header[kHeaderBytes];
  const uint64_t keyBytes = key.size(), objectBytes = object.size();
  const uint64_t sum = checksum(key, object.data(), object.size());
  std::memcpy(header, kMagic, 8);
  std::memcpy(header + 8, &keyBytes, 8);
  std::memcpy(header + 16, &objectBytes, 8);
  std::memcpy(header + 24, &sum, 8);

  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::string temporary =
      dir_ + "/tmp." + std::to_string(::getpid()) + "." + std::to_string(rng());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return;
  bool ok = writeAll(fd, header, sizeof header) && writeAll(fd, key.data(), key.size()) &&
            writeAll(fd, object.data(), object.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(temporary.c_str(), pathOf(key).c_str()) != 0) {
    ::unlink(temporary.c_str());
    return;
  }
  // Measure the directory on the first store of this process, then again only
  // when what this process added could have reached the cap.
  storedSinceScan_ += sizeof header + keyBytes + objectBytes;
  if (!scanned_ || lastScanBytes_ + storedSinceScan_ > cap_) {
    Usage u = usage();
    scanned_ = true;
    storedSinceScan_ = 0;
    lastScanBytes_ = u.bytes;
    if (u.bytes > cap_) {
      evictTo(uint64_t(double(cap_) * kEvictionTarget));
      lastScanBytes_ = usage().bytes;
    }
  }
}

DiskCache::Usage DiskCache::usage() const {
  Usage u;
  for (const EntryFile& e : listEntries(dir_)) {
    ++u.entries;
    u.bytes += e.bytes;
  }
  return u;
}

int64_t DiskCache::clear() {
  int64_t removed = 0;
  for (const EntryFile& e : listEntries(dir_))
    if (::unlink(e.path.c_str()) == 0) ++removed;
  // Temporary files of stores that were killed half-way.
  if (DIR* d = ::opendir(dir_.c_str())) {
    while (struct dirent* e = ::readdir(d))
      if (isTemporaryName(e->d_name)) ::unlink((dir_ + "/" + e->d_name).c_str());
    ::closedir(d);
  }
  return removed;
}

void DiskCache::evictTo(uint64_t bytes) {
  std::vector<EntryFile> entries = listEntries(dir_);
  uint64_t total = 0;
  for (const EntryFile& e : entries) total += e.bytes;
  std::sort(entries.begin(), entries.end(), [](const EntryFile& a, const EntryFile& b) {
    return a.used.tv_sec != b.used.tv_sec ? a.used.tv_sec < b.used.tv_sec
                                          : a.used.tv_nsec < b.used.tv_nsec;
  });
  for (const EntryFile& e : entries) {
    if (total <= bytes) break;
    ::unlink(e.path.c_str()); // may already be gone: another process evicted it
    total -= e.bytes;
  }
}

namespace {

/// The file of the loaded object whose segments hold `address`: a shared
/// library's path, or /proc/self/exe for the main program (whose name
/// dl_iterate_phdr reports as empty).
std::string objectFileHolding(const void* address) {
  struct Search {
    uintptr_t address;
    std::string file;
    bool found = false;
  } search{reinterpret_cast<uintptr_t>(address), {}};
  ::dl_iterate_phdr(
      [](struct dl_phdr_info* info, size_t, void* data) {
        auto* s = static_cast<Search*>(data);
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_LOAD) continue;
          const uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
          if (s->address >= begin && s->address < begin + ph.p_memsz) {
            s->file = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "/proc/self/exe";
            s->found = true;
            return 1;
          }
        }
        return 0;
      },
      &search);
  return search.found ? search.file : std::string();
}

} // namespace

std::string codeGeneratorIdentity() {
  static const std::string identity = [] {
    const std::string path =
        objectFileHolding(reinterpret_cast<const void*>(&codeGeneratorIdentity));
    struct stat st {};
    if (path.empty() || ::stat(path.c_str(), &st) != 0) return std::string();
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
           std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec);
  }();
  return identity;
}

} // namespace ravel::jit
