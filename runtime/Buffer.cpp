// Buffer: aligned allocation under a memory budget (a limit, and the memory
// the system has available), with freed large blocks kept warm for reuse
// (see LargeBlockCache), zero-filled large buffers taken untouched from the
// system (anonymous mappings), borrowed memory for zero-copy embedding, and
// adopted memory released by its owner's function (file mappings).
#include "runtime/Array.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <unistd.h>
#include <utility>

namespace ravel {
// ---------------------------------------------------------------------------
// Allocation
// ---------------------------------------------------------------------------

namespace {

std::atomic<int64_t> gLimit{0}; // <= 0: the default (physical RAM)
std::atomic<int64_t> gAllocated{0};
std::atomic<int64_t> gAvailableOverride{-1};

/// Buffers from this size on (not found in the LargeBlockCache) are fresh
/// anonymous mappings marked for huge pages, whether or not they must be
/// zero-filled (untouched zero pages need no clearing). NumPy's allocator
/// likewise asks for huge pages from 4 MiB on. With 4 KiB pages every 4 KiB
/// of a streamed array costs a TLB miss, dear on a virtual machine (nested
/// page walks): sum() of random.rand(10**8) took 64-93 ms instead of 48-63,
/// sqrt(sum(a**2)) of 10**7 float64 5.8-8.6 ms instead of 4.4-5.6. While
/// transparent huge pages are in `madvise` mode, aligned_alloc's memory
/// gets none.
constexpr size_t kMapFrom = size_t(2) << 20;
/// Transparent huge pages: 2 MiB on x86-64. Mappings are aligned to it so
/// the system can back them with huge pages (first touch twice as fast).
constexpr size_t kHugePage = size_t(2) << 20;
static_assert(kMapFrom >= kHugePage, "every mapped block spans a huge page (mapZeroed)");

int64_t physicalMemory() {
  static const int64_t bytes = [] {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    int64_t r;
    if (pages <= 0 || page <= 0 || __builtin_mul_overflow(int64_t(pages), int64_t(page), &r))
      return INT64_MAX;
    return r;
  }();
  return bytes;
}

[[noreturn]] void throwCannotAllocate(int64_t nbytes, const Shape& shape,
                                      std::optional<DType> dtype, const std::string& why = "") {
  std::string msg = "cannot allocate " + formatByteSize(nbytes) + " for an array with shape " +
                    formatShape(shape);
  if (dtype) msg += " and data type " + std::string(dtypeName(*dtype));
  throw RuntimeError(ErrorKind::Memory, msg + why);
}

/// A block of owned memory and how it was obtained.
struct Block {
  void* data = nullptr;
  size_t size = 0;
  bool mapped = false;
  /// Mapped: bytes of the mapping before `data`. The mapping is
  /// [data - head, data - head + size + kHugePage) (see mapZeroed).
  size_t head = 0;
};

void freeBlock(const Block& b) {
  if (b.mapped)
    ::munmap(static_cast<char*>(b.data) - b.head, b.size + kHugePage);
  else
    std::free(b.data);
}

/// `bytes` (a multiple of the huge page size) of a fresh anonymous mapping:
/// zero pages, resident only once touched, starting at a huge page boundary
/// and marked for transparent huge pages. The mapping is kept whole, one
/// huge page longer than asked, `head` bytes of it before the data: trimming
/// its ends costs two munmaps, and marking part of it splits it, together a
/// third of a fresh `zeros`. Empty when the system refuses.
Block mapZeroed(size_t bytes) {
  const size_t span = bytes + kHugePage;
  void* p = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return {};
  ::madvise(p, span, MADV_HUGEPAGE);
  const auto begin = reinterpret_cast<uintptr_t>(p);
  const uintptr_t aligned = (begin + kHugePage - 1) & ~uintptr_t(kHugePage - 1);
  return {reinterpret_cast<void*>(aligned), bytes, true, aligned - begin};
}

/// Large arrays are allocated and freed over and over (a loop of whole-array
/// expressions). glibc maps every block above 32 MiB afresh and unmaps it on
/// free, so each use pays a page fault per 4 KiB plus the kernel's zeroing:
/// for 80 MB that costs more than the arithmetic. Freed large blocks wait in
/// this small cache and are handed out again warm. A cached block holds
/// whatever its last array left in it: a zero-filled request clears it.
class LargeBlockCache {
public:
  static constexpr size_t kMinBlock = size_t(1) << 20;  // smaller blocks: malloc is fine
  static constexpr size_t kMaxCached = size_t(1) << 30; // bytes kept at most
  static constexpr size_t kMaxBlocks = 8;

  /// A cached block of at least `bytes` (and not wastefully larger), or an
  /// empty Block.
  Block take(size_t bytes) {
    if (bytes < kMinBlock) return {};
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < blocks_.size(); ++i) {
      if (blocks_[i].size >= bytes && blocks_[i].size <= bytes + bytes / 4) {
        Block b = blocks_[i];
        cached_ -= b.size;
        blocks_.erase(blocks_.begin() + long(i));
        return b;
      }
    }
    return {};
  }

  /// Keeps a freed block if it is large and there is room; else frees it.
  void give(const Block& b) {
    if (b.size >= kMinBlock) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (blocks_.size() < kMaxBlocks && cached_ + b.size <= kMaxCached) {
        blocks_.push_back(b);
        cached_ += b.size;
        return;
      }
    }
    freeBlock(b);
  }

  /// Frees every cached block (memory is short); returns the bytes freed.
  size_t release() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const Block& b : blocks_) freeBlock(b);
    blocks_.clear();
    return std::exchange(cached_, 0);
  }

private:
  std::mutex mutex_;
  std::vector<Block> blocks_;
  size_t cached_ = 0;
};

/// Small arrays (a scalar read, a statement on a few elements) allocate and
/// free a block per statement. aligned_alloc bypasses malloc's per-thread
/// cache and costs more than the statement's arithmetic, so freed small
/// blocks wait in a per-thread free list per size class (multiples of the
/// alignment) and are handed out again. A block may be freed on another
/// thread than the one that allocated it: it joins that thread's lists.
struct SmallBlockLists {
  static constexpr size_t kMaxBlock = 1024; // larger blocks: aligned_alloc
  static constexpr size_t kClasses = kMaxBlock / size_t(kBufferAlignment);
  static constexpr int kPerClass = 16;
  void* blocks[kClasses][kPerClass];
  int count[kClasses];
  bool closed; // the thread is exiting: its lists were freed
};
// Zero-initialized and trivially destructible: usable while the thread's
// other thread_local objects are destroyed (a static Array freed at exit).
thread_local SmallBlockLists tSmallBlocks;

/// Frees a thread's listed blocks when it exits.
struct SmallBlockFlush {
  ~SmallBlockFlush() {
    SmallBlockLists& l = tSmallBlocks;
    for (size_t c = 0; c < SmallBlockLists::kClasses; ++c)
      for (int i = 0; i < l.count[c]; ++i) std::free(l.blocks[c][i]);
    l = {};
    l.closed = true;
  }
};
thread_local SmallBlockFlush tSmallBlockFlush;

size_t smallClass(size_t rounded) {
  return rounded / size_t(kBufferAlignment) - 1;
}

void* takeSmallBlock(size_t rounded) {
  if (rounded > SmallBlockLists::kMaxBlock) return nullptr;
  SmallBlockLists& l = tSmallBlocks;
  const size_t c = smallClass(rounded);
  return l.count[c] > 0 ? l.blocks[c][--l.count[c]] : nullptr;
}

/// Lists a freed small block; false when it must be freed instead.
bool giveSmallBlock(void* data, size_t size) {
#if defined(__SANITIZE_ADDRESS__)
  return false; // AddressSanitizer sees every use after free
#endif
  if (size > SmallBlockLists::kMaxBlock || size % size_t(kBufferAlignment) != 0) return false;
  SmallBlockLists& l = tSmallBlocks;
  const size_t c = smallClass(size);
  if (l.closed || l.count[c] == SmallBlockLists::kPerClass) return false;
  (void)&tSmallBlockFlush; // registers the flush at thread exit
  l.blocks[c][l.count[c]++] = data;
  return true;
}

LargeBlockCache& largeBlocks() {
  static LargeBlockCache* cache = new LargeBlockCache; // outlives static Arrays
  return *cache;
}

size_t roundedSize(int64_t nbytes) {
  return size_t(std::max<int64_t>(nbytes, 1) + kBufferAlignment - 1) &
         ~size_t(kBufferAlignment - 1);
}

/// The limit: bytes held by live owned buffers.
void checkLimit(int64_t nbytes, const Shape& shape, std::optional<DType> dtype) {
  RAVEL_CHECK(nbytes >= 0, "negative allocation size");
  const int64_t limit = allocationLimit();
  if (nbytes > INT64_MAX - kBufferAlignment || nbytes > limit || gAllocated.load() > limit - nbytes)
    throwCannotAllocate(nbytes, shape, dtype);
}

/// A lower bound on availableMemory() that costs one system call (0.5 us)
/// instead of a read of /proc/meminfo (14 us here, most of a large `zeros`).
/// The kernel's MemAvailable is its free pages minus its reserves
/// (watermarks and lowmem reserves, well under 1/32 of memory) plus
/// reclaimable caches, which only add; so free - total / 32 never exceeds it.
int64_t surelyAvailable() {
  if (int64_t o = gAvailableOverride.load(); o >= 0) return o;
  struct sysinfo info;
  if (::sysinfo(&info) != 0) return 0;
  const auto unit = int64_t(info.mem_unit);
  return int64_t(info.freeram) * unit - int64_t(info.totalram) * unit / 32;
}

/// New memory for a large request must fit in what the system has available
/// (after dropping the cache of warm blocks, if that makes room).
void checkAvailable(int64_t nbytes, const Shape& shape, std::optional<DType> dtype) {
  if (nbytes < kCheckAvailableFrom || surelyAvailable() - kAvailableMargin >= nbytes) return;
  int64_t available = availableMemory();
  if (available - kAvailableMargin >= nbytes) return;
  if (largeBlocks().release() > 0) available = availableMemory();
  if (available - kAvailableMargin < nbytes)
    throwCannotAllocate(nbytes, shape, dtype,
                        " (the system has " + formatByteSize(std::max<int64_t>(available, 0)) +
                            " available)");
}

/// Checks the budget, then finds 64-byte aligned memory (at least one cache
/// line, so even an empty array has a valid, unique data pointer): a warm
/// cached block (cleared for zero-filled requests), a fresh huge-page
/// mapping for other large requests, else a small block from this thread's
/// free lists or aligned_alloc (cleared for zero-filled requests).
Block allocateBlock(int64_t nbytes, const Shape& shape, std::optional<DType> dtype, bool zeroed) {
  checkLimit(nbytes, shape, dtype);
  Block b;
  const size_t rounded = roundedSize(nbytes);
  // A zero-filled request takes a warm block too, cleared: clearing warm
  // memory runs at bandwidth, while fresh zero pages fault on first touch
  // (~0.3 GB/s here), so a function that zero-pads its input on every call
  // (`p = zeros(...); p[1:-1, 1:-1] = board`) would fault its way through
  // every call. Untouched requests larger than the cache's largest block
  // still get fresh zero pages (`zeros((10000, 20000))` costs nothing).
  // Other large requests get fresh huge pages too (kMapFrom).
  b = largeBlocks().take(rounded);
  if (b.data && zeroed) std::memset(b.data, 0, size_t(nbytes));
  if (!b.data) {
    checkAvailable(nbytes, shape, dtype);
    if (rounded >= kMapFrom) {
      b = mapZeroed((rounded + kHugePage - 1) & ~(kHugePage - 1));
    } else {
      b.size = rounded;
      b.data = takeSmallBlock(rounded);
      if (!b.data) b.data = std::aligned_alloc(size_t(kBufferAlignment), b.size);
      if (b.data && zeroed) std::memset(b.data, 0, b.size);
    }
  }
  if (!b.data) throwCannotAllocate(nbytes, shape, dtype);
  gAllocated.fetch_add(nbytes);
  return b;
}

} // namespace

void setAllocationLimit(int64_t bytes) {
  gLimit.store(bytes);
}

int64_t allocationLimit() {
  int64_t l = gLimit.load();
  return l > 0 ? l : physicalMemory();
}

int64_t allocatedBytes() {
  return gAllocated.load();
}

int64_t parseMemAvailable(const std::string& meminfo) {
  const std::string key = "MemAvailable:";
  size_t at = meminfo.find(key);
  if (at == std::string::npos || (at > 0 && meminfo[at - 1] != '\n')) return -1;
  long long kib = 0;
  if (std::sscanf(meminfo.c_str() + at + key.size(), " %lld kB", &kib) != 1 || kib < 0) return -1;
  return kib > INT64_MAX / 1024 ? INT64_MAX : int64_t(kib) * 1024;
}

int64_t availableMemory() {
  if (int64_t o = gAvailableOverride.load(); o >= 0) return o;
  std::ifstream f("/proc/meminfo");
  const std::string text((std::istreambuf_iterator<char>(f)), {});
  const int64_t bytes = parseMemAvailable(text);
  return bytes < 0 ? INT64_MAX : bytes;
}

void setAvailableMemoryOverride(int64_t bytes) {
  gAvailableOverride.store(bytes);
}

std::string formatByteSize(int64_t bytes) {
  // numpy/core/_exceptions.py: _ArrayMemoryError._size_to_string.
  static const char* const kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 0) bytes = 0;
  int bitLength = bytes == 0 ? 0 : 64 - __builtin_clzll(uint64_t(bytes));
  int unit = std::max(bitLength - 1, 1) / 10;
  double n = std::ldexp(double(bytes), -10 * unit);
  if (std::nearbyint(n) == 1024) { // pick the unit that is right after rounding
    ++unit;
    n /= 1024;
  }
  char buf[64];
  if (unit == 0)
    std::snprintf(buf, sizeof buf, "%.0f %s", n, kUnits[0]);
  else if (std::nearbyint(n) < 1000)
    std::snprintf(buf, sizeof buf, "%#.3g %s", n, kUnits[unit]);
  else
    std::snprintf(buf, sizeof buf, "%#.0f %s", n, kUnits[unit]);
  return buf;
}

std::shared_ptr<Buffer> Buffer::allocate(int64_t nbytes, const Shape& forShape) {
  const Block b = allocateBlock(nbytes, forShape, std::nullopt, false);
  return std::shared_ptr<Buffer>(
      new Buffer(static_cast<char*>(b.data), nbytes, true, b.mapped, b.size, b.head));
}

std::shared_ptr<Buffer> Buffer::allocate(int64_t nbytes, const Shape& forShape, DType dtype) {
  const Block b = allocateBlock(nbytes, forShape, dtype, false);
  return std::shared_ptr<Buffer>(
      new Buffer(static_cast<char*>(b.data), nbytes, true, b.mapped, b.size, b.head));
}

std::shared_ptr<Buffer> Buffer::allocateZeroed(int64_t nbytes, const Shape& forShape, DType dtype) {
  const Block b = allocateBlock(nbytes, forShape, dtype, true);
  return std::shared_ptr<Buffer>(
      new Buffer(static_cast<char*>(b.data), nbytes, true, b.mapped, b.size, b.head));
}

std::shared_ptr<Buffer> Buffer::borrow(void* data, int64_t nbytes) {
  RAVEL_CHECK(nbytes >= 0, "negative borrowed size");
  RAVEL_CHECK(data != nullptr || nbytes == 0, "borrowing a null pointer");
  return std::shared_ptr<Buffer>(new Buffer(static_cast<char*>(data), nbytes, false));
}

void Buffer::setRelease(std::function<void()> release) {
  RAVEL_CHECK(!owned_ && !release_, "setRelease on a buffer that already owns its memory");
  release_ = std::move(release);
}

Buffer::~Buffer() {
  if (release_) release_();
  if (owned_) {
    if (mapped_ || !giveSmallBlock(data_, capacity_))
      largeBlocks().give({data_, capacity_, mapped_, head_});
    gAllocated.fetch_sub(nbytes_);
  }
}

} // namespace ravel
