// The allocation budget against the memory the system has available
// (MemAvailable), and zero-filled allocations that take untouched zero
// pages from the system while the warm-block cache keeps serving (dirty)
// blocks to uninitialized allocations only.
#include "runtime/Array.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <unistd.h>

using namespace ravel;

namespace {

/// Resident set size of this process, in bytes.
int64_t residentBytes() {
  std::ifstream f("/proc/self/statm");
  int64_t pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * ::sysconf(_SC_PAGESIZE);
}

/// Restores the system's MemAvailable reading after a test.
struct AvailableOverride {
  explicit AvailableOverride(int64_t bytes) { setAvailableMemoryOverride(bytes); }
  ~AvailableOverride() { setAvailableMemoryOverride(-1); }
};

std::string memoryErrorOf(const Shape& shape) {
  try {
    Array::zeros(shape, DType::Float64);
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Memory);
    return e.what();
  }
  return "(no error)";
}

} // namespace

TEST(AvailableMemory, ParsesMeminfo) {
  EXPECT_EQ(parseMemAvailable("MemTotal:       24683748 kB\nMemFree:        22147520 kB\n"
                              "MemAvailable:   23478780 kB\nBuffers: 6384 kB\n"),
            int64_t(23478780) * 1024);
  EXPECT_EQ(parseMemAvailable("MemTotal: 100 kB\n"), -1);
  EXPECT_EQ(parseMemAvailable("XMemAvailable: 5 kB\n"), -1);
  EXPECT_EQ(parseMemAvailable("MemAvailable: junk\n"), -1);
  // The real file has the line (Linux >= 3.14).
  EXPECT_GT(availableMemory(), 0);
  EXPECT_LT(availableMemory(), INT64_MAX);
}

TEST(AvailableMemory, LargeAllocationsMustFitWhatIsAvailable) {
  // A machine with 1 GiB available: 1.9e9 elements (14.2 GiB) is under
  // physical RAM on a big machine, but must fail at once, not be filled.
  AvailableOverride available(int64_t(1) << 30);
  EXPECT_EQ(memoryErrorOf({1'900'000'000}),
            "cannot allocate 14.2 GiB for an array with shape (1900000000,) and data type "
            "float64 (the system has 1.00 GiB available)");
  // The margin is kept: 1 GiB less 64 MiB is too much, 1 GiB less the margin fits.
  EXPECT_NE(memoryErrorOf({((int64_t(1) << 30) - (int64_t(64) << 20)) / 8}), "(no error)");
  EXPECT_EQ(memoryErrorOf({((int64_t(1) << 30) - kAvailableMargin) / 8}), "(no error)");
  // Small allocations never read MemAvailable.
  setAvailableMemoryOverride(0);
  EXPECT_EQ(Array::zeros({1000}, DType::Float64).size(), 1000);
  EXPECT_EQ(Array::empty({(kCheckAvailableFrom - 8) / 8}, DType::Float64).size(),
            (kCheckAvailableFrom - 8) / 8);
  // (A warm cached block is memory already held: one the size of the empty
  // above would serve kCheckAvailableFrom bytes unchecked, so ask for more.)
  EXPECT_NE(memoryErrorOf({kCheckAvailableFrom / 8 * 2}), "(no error)");
}

TEST(ZeroPages, LargeZerosAreNotTouched) {
  // 1.6 GB of zeros: NumPy's calloc leaves the pages untouched, and so must
  // ravel (a memset would make it all resident and take seconds).
  const int64_t before = residentBytes();
  const auto start = std::chrono::steady_clock::now();
  Array x = Array::zeros({10'000, 20'000}, DType::Float64);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(x.nbytes(), 1'600'000'000);
  EXPECT_LT(residentBytes() - before, int64_t(64) << 20);
  EXPECT_LT(seconds, 0.5);
  const auto* d = reinterpret_cast<const double*>(x.data());
  EXPECT_EQ(d[0], 0.0);
  EXPECT_EQ(d[x.size() / 2], 0.0);
  EXPECT_EQ(d[x.size() - 1], 0.0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(x.data()) % kBufferAlignment, 0u);
}

TEST(ZeroPages, ReusedBlocksAreZeroedAndCachedBlocksStillServeEmpty) {
  for (int64_t n : {int64_t(1) << 17, int64_t(3) << 18, int64_t(5) << 20}) { // 1, 6, 40 MiB
    // A dirty block goes back to the warm cache...
    const char* dirtyData;
    {
      Array dirty = Array::empty({n}, DType::Float64);
      std::memset(dirty.data(), 0xAB, size_t(dirty.nbytes()));
      dirtyData = dirty.data();
    }
    // ...and zeros takes it back warm, cleared (fresh zero pages would
    // fault on first touch: a function zero-padding per call pays that).
    {
      Array z = Array::zeros({n}, DType::Float64);
      const auto* d = reinterpret_cast<const double*>(z.data());
      for (int64_t i = 0; i < n; i += 997) ASSERT_EQ(d[i], 0.0) << n << " at " << i;
      EXPECT_EQ(d[n - 1], 0.0);
      EXPECT_EQ(z.data(), dirtyData) << n;
    }
    // empty() of the same size still reuses the warm block.
    Array again = Array::empty({n}, DType::Float64);
    EXPECT_EQ(again.data(), dirtyData) << n;
  }
  // A freed zero-filled (mapped) block is reused by empty() and freed with
  // munmap on eviction: allocate and drop many to cycle the cache.
  const int64_t before = allocatedBytes();
  for (int i = 0; i < 40; ++i) {
    Array z = Array::zeros({(int64_t(3) + i % 5) << 18}, DType::Float64);
    reinterpret_cast<double*>(z.data())[0] = 1.0;
    Array e = Array::empty({(int64_t(3) + (i + 2) % 5) << 18}, DType::Float64);
    reinterpret_cast<double*>(e.data())[e.size() - 1] = 2.0;
  }
  EXPECT_EQ(allocatedBytes(), before);
}
