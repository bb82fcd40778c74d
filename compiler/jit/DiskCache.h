// DiskCache: compiled kernels kept as object code between runs, so a script
// run again (or a host program started again) links its kernels instead of
// compiling them: a hit costs a file read and a link, a miss the whole O3
// pipeline.
//
// Invariants:
//  - An entry is trusted only if it is whole: its header names the exact key
//    it was stored under and carries the length and a checksum of key and
//    object. A truncated, corrupt or foreign file is a miss (and is
//    overwritten by the rebuilt entry), never loaded.
//  - The key says everything the object code depends on: the kernel's own
//    key, the target (CPU, features, vector-math ISA), the optimisation
//    level, the LLVM version and the identity of the binary that holds the
//    code generator (so a rebuilt ravel never reads a stale entry).
//  - Entries are installed atomically (written to a temporary file in the
//    same directory, then renamed): readers see a whole entry or none, and
//    two processes storing the same kernel at once both succeed.
//  - The directory is bounded: when its entries exceed the size cap, the
//    least recently used (oldest modification time; a hit refreshes it) are
//    deleted.
//  - Every failure (unwritable directory, full disk, a file vanishing under
//    a concurrent eviction) degrades to compiling as if there were no cache;
//    nothing here throws.
//
// The directory is $RAVEL_CACHE_DIR, else $XDG_CACHE_HOME/ravel, else
// $HOME/.cache/ravel (entries under kernels-v1/). RAVEL_CACHE_MAX_MB sets
// the cap (default 256 MiB); RAVEL_NO_CACHE=1 turns the cache off.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace ravel::jit {

class DiskCache {
public:
  /// The cache the environment asks for, or null when it is turned off or
  /// its directory cannot be created.
  static std::unique_ptr<DiskCache> openDefault();
  /// A cache in `directory` (created if missing) with a cap in bytes; null
  /// if the directory cannot be created.
  static std::unique_ptr<DiskCache> open(const std::string& directory, uint64_t capBytes);
  /// Where openDefault() keeps entries (even when it is turned off), for
  /// `ravel cache`.
  static std::string defaultDirectory();
  static uint64_t defaultCapBytes();

  /// The object stored under `key`, if a whole entry for exactly that key
  /// exists. Refreshes the entry's place in the LRU order.
  std::optional<std::string> load(const std::string& key);
  /// Installs `object` under `key`, then evicts down to the cap if needed.
  void store(const std::string& key, const std::string& object);

  /// A file-name-safe digest of a key (also the entry's file name stem).
  static std::string digest(const std::string& key);

  struct Usage {
    int64_t entries = 0;
    uint64_t bytes = 0;
  };
  Usage usage() const;
  /// Deletes every entry; returns how many.
  int64_t clear();
  /// Deletes least recently used entries until at most `bytes` remain.
  void evictTo(uint64_t bytes);

  const std::string& directory() const { return dir_; }
  uint64_t capBytes() const { return cap_; }

private:
  DiskCache(std::string dir, uint64_t cap) : dir_(std::move(dir)), cap_(cap) {}
  std::string pathOf(const std::string& key) const;

  std::string dir_;
  uint64_t cap_;
  /// Bytes stored by this process since the directory was last measured; the
  /// directory is scanned (for eviction) when that could have crossed the cap.
  uint64_t storedSinceScan_ = 0;
  bool scanned_ = false;
  uint64_t lastScanBytes_ = 0;
};

/// The identity of the binary that contains ravel's code generator (device,
/// inode, size and modification time of the executable or shared library),
/// or empty if it cannot be determined (then nothing may be cached).
std::string codeGeneratorIdentity();

} // namespace ravel::jit
