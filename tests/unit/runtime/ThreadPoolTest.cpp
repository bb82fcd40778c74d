// ThreadPool: every part runs exactly once, on repeated and concurrent use,
// and a runElements split covers a loop exactly once.
#include "runtime/ThreadPool.h"
#include "runtime/StridedLoop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <numeric>
#include <thread>
#include <vector>

namespace ravel {
namespace {

TEST(ThreadPool, EveryPartRunsOnce) {
  // Many back-to-back jobs of varying size: a worker still leaving one job
  // must not claim a part of the next (this hung within 200,000 rounds
  // before the ticket carried the part count).
  ThreadPool& pool = ThreadPool::global();
  for (int round = 0; round < 100000; ++round) {
    int parts = 1 + round % 7;
    std::vector<std::atomic<int>> hits(static_cast<size_t>(parts));
    pool.parallelFor(parts, [&](int p) { hits[size_t(p)].fetch_add(1); });
    for (int p = 0; p < parts; ++p) ASSERT_EQ(hits[size_t(p)].load(), 1) << "round " << round;
  }
}

TEST(ThreadPool, LimitCapsUsableOnItsThreadOnly) {
  ThreadPool& pool = ThreadPool::global();
  EXPECT_EQ(pool.usable(), pool.size());
  {
    ThreadPool::Limit one(1);
    EXPECT_EQ(pool.usable(), 1);
    {
      ThreadPool::Limit none(0); // no cap of its own: the outer one holds
      EXPECT_EQ(pool.usable(), 1);
    }
    int other = -1;
    std::thread([&] { other = pool.usable(); }).join();
    EXPECT_EQ(other, pool.size());
    ThreadPool::Limit many(pool.size() + 5); // capped at the pool
    EXPECT_EQ(pool.usable(), pool.size());
  }
  EXPECT_EQ(pool.usable(), pool.size());
}

extern "C" void addOne(int64_t n, char* const* ptrs, const int64_t* strides, void*) {
  for (int64_t i = 0; i < n; ++i) *reinterpret_cast<int64_t*>(ptrs[0] + i * strides[0]) += 1;
}

TEST(StridedLoop, RunElementsCoversEachElementOnce) {
  // A 2-d loop with rows of 7: cut at every possible pair of points.
  std::vector<int64_t> data(5 * 7, 0);
  Shape shape{5, 7};
  for (int64_t b = 0; b <= 35; ++b) {
    for (int64_t e = b; e <= 35; ++e) {
      std::fill(data.begin(), data.end(), 0);
      StridedLoop loop(shape, {{reinterpret_cast<char*>(data.data()), {56, 8}, 8}});
      loop.runElements(addOne, nullptr, 0, b);
      loop.runElements(addOne, nullptr, b, e);
      loop.runElements(addOne, nullptr, e, 35);
      for (int64_t v : data) ASSERT_EQ(v, 1) << b << " " << e;
    }
  }
}

} // namespace
} // namespace ravel
