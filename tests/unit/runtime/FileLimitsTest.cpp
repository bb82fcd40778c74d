// File functions at the system's limits: a path with a NUL byte (Python's
// "embedded null byte", never a shorter path), np.save past the file-size
// limit (ulimit -f: an error, not SIGXFSZ, and no temporary file left), and
// memmap mode 'w+' when the file's blocks cannot be reserved (an error, not
// SIGBUS at the first write).
#include "runtime/Memmap.h"
#include "runtime/Npy.h"
#include "tests/unit/runtime/RuntimeTestUtil.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/resource.h>

using namespace ravel;
using namespace ravel::testutil;

namespace {

class FileLimits : public TempDirTest {
protected:
  /// Lowers the soft file-size limit for one test; restored afterwards.
  void limitFileSize(rlim_t bytes) {
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved_), 0);
    struct rlimit lowered = saved_;
    lowered.rlim_cur = bytes;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &lowered), 0);
    limited_ = true;
  }
  void TearDown() override {
    if (limited_) ::setrlimit(RLIMIT_FSIZE, &saved_);
    TempDirTest::TearDown();
  }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  static std::string errorOf(const std::function<void()>& f, ErrorKind kind) {
    try {
      f();
    } catch (const RuntimeError& e) {
      EXPECT_EQ(e.kind(), kind) << e.what();
      return e.what();
    }
    return "(no error)";
  }

  struct rlimit saved_ {};
  bool limited_ = false;
};

} // namespace

TEST_F(FileLimits, EmbeddedNulByteIsAnErrorForEveryFileFunction) {
  const Array a = Array::full({3}, Scalar::ofFloat(1.5), DType::Float64);
  saveNpy(path("t.npy"), a); // the file the truncated path would name
  const std::string withNul = path("t.npy") + std::string("\0junk", 5);
  const std::string shown = "'" + path("t.npy") + "\\x00junk'";
  EXPECT_EQ(errorOf([&] { loadNpy(withNul); }, ErrorKind::Value),
            "cannot load " + shown + ": embedded null byte");
  EXPECT_EQ(errorOf([&] { mapNpy(withNul, MapMode::ReadOnly); }, ErrorKind::Value),
            "cannot load " + shown + ": embedded null byte");
  EXPECT_EQ(errorOf([&] { saveNpy(withNul, a); }, ErrorKind::Value),
            "cannot save " + shown + ": embedded null byte");
  MapRequest r;
  r.path = withNul;
  r.shape = Shape{3};
  r.mode = MapMode::ReadOnly;
  EXPECT_EQ(errorOf([&] { mapFile(r); }, ErrorKind::Value),
            "cannot memmap " + shown + ": embedded null byte");
  r.mode = MapMode::Create;
  EXPECT_EQ(errorOf([&] { mapFile(r); }, ErrorKind::Value),
            "cannot memmap " + shown + ": embedded null byte");
  EXPECT_EQ(files(), std::vector<std::string>{"t.npy"}); // nothing created, t.npy intact
  EXPECT_EQ(loadNpy(path("t.npy")).shape(), Shape{3});
}

TEST_F(FileLimits, SavePastTheFileSizeLimitIsAFileError) {
  const Array old = Array::full({2}, Scalar::ofInt(7), DType::Int64);
  saveNpy(path("big.npy"), old);
  limitFileSize(64 * 1024);
  const Array a = Array::zeros({125'000}, DType::Float64); // 1,000,000 bytes of data
  EXPECT_EQ(errorOf([&] { saveNpy(path("big.npy"), a); }, ErrorKind::File),
            "cannot save '" + path("big.npy") + "': File too large (writing 1000128 bytes)");
  // No temporary file left, and the old file is untouched.
  EXPECT_EQ(files(), std::vector<std::string>{"big.npy"});
  EXPECT_EQ(loadNpy(path("big.npy")).shape(), Shape{2});
  // Under the limit, saving still works.
  saveNpy(path("small.npy"), Array::zeros({100}, DType::Float64));
  EXPECT_EQ(loadNpy(path("small.npy")).shape(), Shape{100});
}

TEST_F(FileLimits, MemmapCreateReservesItsBlocks) {
  limitFileSize(64 * 1024);
  MapRequest r;
  r.path = path("d.bin");
  r.dtype = DType::Float64;
  r.mode = MapMode::Create;
  r.shape = Shape{1 << 17}; // 1 MiB: more than the limit allows
  EXPECT_EQ(errorOf([&] { mapFile(r); }, ErrorKind::File),
            "cannot memmap '" + path("d.bin") + "': File too large (reserving 1048576 bytes)");
  EXPECT_TRUE(files().empty()); // the file it created is removed
  r.shape = Shape{1024};        // 8 KiB fits: every page is backed, writes are safe
  Array m = mapFile(r);
  for (int64_t i = 0; i < 1024; ++i) reinterpret_cast<double*>(m.data())[i] = double(i);
  EXPECT_EQ(std::filesystem::file_size(path("d.bin")), 8192u);
}
