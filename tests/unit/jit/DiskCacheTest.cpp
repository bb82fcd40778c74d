// The persistent kernel cache: entries round-trip, anything not whole is a
// miss and is overwritten, the size cap evicts the least recently used, two
// processes' worth of stores race safely, an unusable directory turns the
// cache off, and a KernelJit reads back what another one compiled.
#include "JitTestSupport.h"

#include "compiler/jit/DiskCache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace ravel::jittest {
namespace {

/// A fresh directory under the test's temporary directory, removed after.
class TempDir {
public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/ravel-cache-test.XXXXXX";
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
    EXPECT_FALSE(path_.empty());
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

std::vector<std::string> filesIn(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (struct dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') names.push_back(e->d_name);
    ::closedir(d);
  }
  return names;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string entryPath(const jit::DiskCache& cache, const std::string& key) {
  return cache.directory() + "/" + jit::DiskCache::digest(key) + ".rko";
}

TEST(DiskCache, StoresAndLoadsByExactKey) {
  TempDir tmp;
  auto cache = jit::DiskCache::open(tmp.path(), 1 << 20);
  ASSERT_TRUE(cache);
  EXPECT_FALSE(cache->load("k1"));
  std::string object("obj\0ect", 7); // binary-safe
  cache->store("k1", object);
  ASSERT_TRUE(cache->load("k1"));
  EXPECT_EQ(*cache->load("k1"), object);
  EXPECT_FALSE(cache->load("k2"));
  EXPECT_EQ(cache->usage().entries, 1);
  // A second handle on the same directory (another process) sees it.
  auto other = jit::DiskCache::open(tmp.path(), 1 << 20);
  ASSERT_TRUE(other);
  EXPECT_EQ(*other->load("k1"), object);
  // No temporary files are left behind.
  for (const std::string& name : filesIn(cache->directory()))
    EXPECT_TRUE(name.size() > 4 && name.substr(name.size() - 4) == ".rko") << name;
}

TEST(DiskCache, DamagedOrForeignEntriesAreMissesAndGetOverwritten) {
  TempDir tmp;
  auto cache = jit::DiskCache::open(tmp.path(), 1 << 20);
  ASSERT_TRUE(cache);
  const std::string key = "the kernel", object(300, 'x');
  cache->store(key, object);
  const std::string path = entryPath(*cache, key);
  const std::string whole = readFile(path);
  ASSERT_EQ(whole.size(), 32 + key.size() + object.size());

  std::vector<std::pair<std::string, std::string>> damaged = {
      {"empty", ""},
      {"truncated header", whole.substr(0, 20)},
      {"truncated object", whole.substr(0, whole.size() - 1)},
      {"trailing bytes", whole + "!"},
      {"bad magic", "X" + whole.substr(1)},
      {"flipped object byte",
       whole.substr(0, whole.size() - 5) + "y" + whole.substr(whole.size() - 4)},
      {"huge lengths", whole.substr(0, 8) + std::string(16, '\xff') + whole.substr(24)},
  };
  // Another key whose digest was forced onto this file name (a collision):
  // the full key in the header does not match.
  {
    auto impostor = jit::DiskCache::open(tmp.path() + "/other", 1 << 20);
    ASSERT_TRUE(impostor);
    impostor->store("a different kernel", object);
    damaged.push_back({"foreign key", readFile(entryPath(*impostor, "a different kernel"))});
  }
  for (const auto& [what, bytes] : damaged) {
    SCOPED_TRACE(what);
    writeFile(path, bytes);
    EXPECT_FALSE(cache->load(key));
    cache->store(key, object); // what KernelJit does after compiling
    ASSERT_TRUE(cache->load(key));
    EXPECT_EQ(*cache->load(key), object);
  }
}

TEST(DiskCache, CapEvictsLeastRecentlyUsed) {
  TempDir tmp;
  const std::string object(10000, 'o');
  const uint64_t entryBytes = 32 + 2 + object.size();
  auto cache = jit::DiskCache::open(tmp.path(), 5 * entryBytes);
  ASSERT_TRUE(cache);
  auto age = [&](const std::string& key, int secondsAgo) {
    struct timespec times[2];
    ::clock_gettime(CLOCK_REALTIME, &times[0]);
    times[0].tv_sec -= secondsAgo;
    times[1] = times[0];
    ASSERT_EQ(::utimensat(AT_FDCWD, entryPath(*cache, key).c_str(), times, 0), 0);
  };
  for (int i = 0; i < 5; ++i) {
    cache->store("k" + std::to_string(i), object);
    age("k" + std::to_string(i), 100 - i); // k0 oldest
  }
  EXPECT_EQ(cache->usage().entries, 5);
  ASSERT_TRUE(cache->load("k0")); // a hit makes k0 the most recently used
  cache->store("k5", object);     // over the cap: evict to 80% = 4 entries
  EXPECT_EQ(cache->usage().entries, 4);
  EXPECT_LE(cache->usage().bytes, 5 * entryBytes);
  EXPECT_TRUE(cache->load("k0"));
  EXPECT_FALSE(cache->load("k1"));
  EXPECT_FALSE(cache->load("k2"));
  EXPECT_TRUE(cache->load("k3"));
  EXPECT_TRUE(cache->load("k5"));
  EXPECT_EQ(cache->clear(), 4);
  EXPECT_EQ(cache->usage().entries, 0);
  EXPECT_FALSE(cache->load("k0"));
}

TEST(DiskCache, ConcurrentStoresOfOneKeyLeaveAWholeEntry) {
  TempDir tmp;
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&, t] {
      auto cache = jit::DiskCache::open(tmp.path(), 1 << 24);
      ASSERT_TRUE(cache);
      for (int i = 0; i < 50; ++i) {
        cache->store("shared", std::string(4096 + i, 'a'));
        cache->store("own" + std::to_string(t), std::string(100, char('0' + t)));
        std::optional<std::string> got = cache->load("shared");
        // Whichever store was renamed last wins; it is always whole.
        ASSERT_TRUE(got);
        EXPECT_GE(got->size(), 4096u);
        EXPECT_EQ(got->find_first_not_of('a'), std::string::npos);
      }
    });
  for (std::thread& w : writers) w.join();
  auto cache = jit::DiskCache::open(tmp.path(), 1 << 24);
  EXPECT_EQ(cache->usage().entries, 5);
  EXPECT_EQ(filesIn(cache->directory()).size(), 5u); // no temporaries left
}

TEST(DiskCache, UnusableDirectoryTurnsTheCacheOff) {
  TempDir tmp;
  writeFile(tmp.path() + "/file", "not a directory");
  EXPECT_FALSE(jit::DiskCache::open(tmp.path() + "/file", 1 << 20));
  EXPECT_FALSE(jit::DiskCache::open(tmp.path() + "/file/below", 1 << 20));
  if (::geteuid() != 0) { // root writes anywhere
    ::mkdir((tmp.path() + "/readonly").c_str(), 0555);
    EXPECT_FALSE(jit::DiskCache::open(tmp.path() + "/readonly", 1 << 20));
  }
  ::setenv("RAVEL_NO_CACHE", "1", 1);
  ::setenv("RAVEL_CACHE_DIR", tmp.path().c_str(), 1);
  EXPECT_FALSE(jit::DiskCache::openDefault());
  ::unsetenv("RAVEL_NO_CACHE");
  auto cache = jit::DiskCache::openDefault();
  ASSERT_TRUE(cache);
  EXPECT_EQ(cache->directory(), tmp.path() + "/kernels-v1");
  ::unsetenv("RAVEL_CACHE_DIR");
}

Kernel scaledSum(double scale) {
  KB kb;
  DType f = DType::Float64;
  int x = kb.input(f), y = kb.input(f);
  return kb.out(kb.op(KOp::Add, f, kb.op(KOp::Mul, f, x, kb.constF(f, scale)), y));
}

void expectScaledSum(InnerLoopFn fn, double scale) {
  double x[5] = {1, 2, 3, 4, 5}, y[5] = {10, 20, 30, 40, 50}, out[5] = {};
  char* ptrs[] = {reinterpret_cast<char*>(x), reinterpret_cast<char*>(y),
                  reinterpret_cast<char*>(out)};
  int64_t strides[] = {8, 8, 8};
  fn(5, ptrs, strides, nullptr);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(out[i], x[i] * scale + y[i]);
}

TEST(DiskCache, ASecondJitLinksWhatTheFirstCompiled) {
  TempDir tmp;
  ::setenv("RAVEL_CACHE_DIR", tmp.path().c_str(), 1);
  {
    auto first = jit::KernelJit::create(3, /*persistent=*/true);
    expectScaledSum(first->compile(scaledSum(2.5)), 2.5);
    EXPECT_EQ(first->stats().compiled, 1);
    EXPECT_EQ(first->stats().diskHits, 0);
  }
  auto second = jit::KernelJit::create(3, true);
  expectScaledSum(second->compile(scaledSum(2.5)), 2.5);
  EXPECT_EQ(second->stats().compiled, 0);
  EXPECT_EQ(second->stats().diskHits, 1);
  // Another constant is another kernel; another optimisation level is
  // another object.
  expectScaledSum(second->compile(scaledSum(-1.0)), -1.0);
  EXPECT_EQ(second->stats().compiled, 1);
  auto unoptimized = jit::KernelJit::create(0, true);
  expectScaledSum(unoptimized->compile(scaledSum(2.5)), 2.5);
  EXPECT_EQ(unoptimized->stats().compiled, 1);

  // Evicted from memory and asked for again: linked from disk under the same
  // symbol, which the eviction freed.
  second->setCacheCapacity(1);
  expectScaledSum(second->compile(scaledSum(2.5)), 2.5);
  expectScaledSum(second->compile(scaledSum(-1.0)), -1.0);
  expectScaledSum(second->compile(scaledSum(2.5)), 2.5);
  EXPECT_EQ(second->stats().compiled, 1);
  EXPECT_EQ(second->stats().diskHits, 4); // 2.5 at first, then all three

  // Every entry damaged: compiled again, correct, and the entries repaired.
  auto cache = jit::DiskCache::open(tmp.path(), 1 << 30);
  for (const std::string& name : filesIn(cache->directory()))
    writeFile(cache->directory() + "/" + name, "garbage");
  auto third = jit::KernelJit::create(3, true);
  expectScaledSum(third->compile(scaledSum(2.5)), 2.5);
  EXPECT_EQ(third->stats().compiled, 1);
  auto fourth = jit::KernelJit::create(3, true);
  expectScaledSum(fourth->compile(scaledSum(2.5)), 2.5);
  EXPECT_EQ(fourth->stats().diskHits, 1);
  ::unsetenv("RAVEL_CACHE_DIR");
}

} // namespace
} // namespace ravel::jittest
