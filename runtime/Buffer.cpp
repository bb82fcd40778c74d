// Buffer: aligned allocation under a memory budget, with freed large blocks
// kept warm for reuse (see LargeBlockCache), borrowed memory for zero-copy
// embedding, and adopted memory released by its owner's function (mappings).
#include "runtime/Array.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unistd.h>

namespace ravel {
// ---------------------------------------------------------------------------
// Allocation
// ---------------------------------------------------------------------------

namespace {

std::atomic<int64_t> gLimit{0}; // <= 0: the default (physical RAM)
std::atomic<int64_t> gAllocated{0};

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
                                      std::optional<DType> dtype) {
  std::string msg = "cannot allocate " + formatByteSize(nbytes) + " for an array with shape " +
                    formatShape(shape);
  if (dtype) msg += " and data type " + std::string(dtypeName(*dtype));
  throw RuntimeError(ErrorKind::Memory, msg);
}

/// Large arrays are allocated and freed over and over (a loop of whole-array
/// expressions). glibc maps every block above 32 MiB afresh and unmaps it on
/// free, so each use pays a page fault per 4 KiB plus the kernel's zeroing:
/// for 80 MB that costs more than the arithmetic. Freed large blocks wait in
/// this small cache and are handed out again warm.
class LargeBlockCache {
public:
  static constexpr size_t kMinBlock = size_t(1) << 20;  // smaller blocks: malloc is fine
  static constexpr size_t kMaxCached = size_t(1) << 30; // bytes kept at most
  static constexpr size_t kMaxBlocks = 8;

  /// A cached block of at least `bytes` (and not wastefully larger), or null.
  void* take(size_t bytes) {
    if (bytes < kMinBlock) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < blocks_.size(); ++i) {
      if (blocks_[i].size >= bytes && blocks_[i].size <= bytes + bytes / 4) {
        void* p = blocks_[i].data;
        cached_ -= blocks_[i].size;
        blocks_.erase(blocks_.begin() + long(i));
        return p;
      }
    }
    return nullptr;
  }

  /// Keeps a freed block if it is large and there is room; else frees it.
  void give(void* p, size_t bytes) {
    if (bytes >= kMinBlock) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (blocks_.size() < kMaxBlocks && cached_ + bytes <= kMaxCached) {
        blocks_.push_back({p, bytes});
        cached_ += bytes;
        return;
      }
    }
    std::free(p);
  }

private:
  struct Block {
    void* data;
    size_t size;
  };
  std::mutex mutex_;
  std::vector<Block> blocks_;
  size_t cached_ = 0;
};

LargeBlockCache& largeBlocks() {
  static LargeBlockCache* cache = new LargeBlockCache; // outlives static Arrays
  return *cache;
}

size_t roundedSize(int64_t nbytes) {
  return size_t(std::max<int64_t>(nbytes, 1) + kBufferAlignment - 1) &
         ~size_t(kBufferAlignment - 1);
}

/// Checks the budget, then asks for 64-byte aligned memory (at least one
/// cache line, so even an empty array has a valid, unique data pointer).
char* allocateBytes(int64_t nbytes, const Shape& shape, std::optional<DType> dtype) {
  RAVEL_CHECK(nbytes >= 0, "negative allocation size");
  const int64_t limit = allocationLimit();
  if (nbytes > INT64_MAX - kBufferAlignment || nbytes > limit || gAllocated.load() > limit - nbytes)
    throwCannotAllocate(nbytes, shape, dtype);
  size_t rounded = roundedSize(nbytes);
  void* p = largeBlocks().take(rounded);
  if (!p) p = std::aligned_alloc(size_t(kBufferAlignment), rounded);
  if (!p) throwCannotAllocate(nbytes, shape, dtype);
  gAllocated.fetch_add(nbytes);
  return static_cast<char*>(p);
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
  char* p = allocateBytes(nbytes, forShape, std::nullopt);
  return std::shared_ptr<Buffer>(new Buffer(p, nbytes, true));
}

std::shared_ptr<Buffer> Buffer::allocate(int64_t nbytes, const Shape& forShape, DType dtype) {
  char* p = allocateBytes(nbytes, forShape, dtype);
  return std::shared_ptr<Buffer>(new Buffer(p, nbytes, true));
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
    largeBlocks().give(data_, roundedSize(nbytes_));
    gAllocated.fetch_sub(nbytes_);
  }
}

} // namespace ravel
