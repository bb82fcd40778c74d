// np.memmap as a runtime Array: the array's memory is the file's pages
// (zero-copy, writes through r+ reach the file, c keeps them private, r is
// read-only), the mapping lives as long as the last Array using it, and
// every region the file cannot hold is an error that never changes the file.
#include "runtime/Memmap.h"
#include "runtime/Npy.h"
#include "tests/unit/runtime/RuntimeTestUtil.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace ravel;
using namespace ravel::testutil;

namespace {

class MemmapFiles : public TempDirTest {
protected:
  /// A raw file of int64 values.
  std::string writeInts(const std::string& name, const std::vector<int64_t>& v) const {
    std::ofstream(path(name), std::ios::binary)
        .write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * 8));
    return path(name);
  }
  static MapRequest request(const std::string& p, MapMode mode, std::optional<Shape> shape = {},
                            int64_t offset = 0) {
    MapRequest r;
    r.path = p;
    r.dtype = DType::Int64;
    r.mode = mode;
    r.shape = std::move(shape);
    r.offset = offset;
    return r;
  }
  void expectMapError(const MapRequest& r, ErrorKind kind, const std::string& text) const {
    try {
      mapFile(r);
      ADD_FAILURE() << "mapped " << r.path << ", expected: " << text;
    } catch (const RuntimeError& e) {
      EXPECT_EQ(e.kind(), kind) << e.what();
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("'" + r.path + "'"), std::string::npos) << e.what();
    }
  }
};

} // namespace

TEST(MemmapModes, NumPyNames) {
  EXPECT_EQ(parseMapMode("r"), MapMode::ReadOnly);
  EXPECT_EQ(parseMapMode("readonly"), MapMode::ReadOnly);
  EXPECT_EQ(parseMapMode("r+"), MapMode::ReadWrite);
  EXPECT_EQ(parseMapMode("readwrite"), MapMode::ReadWrite);
  EXPECT_EQ(parseMapMode("w+"), MapMode::Create);
  EXPECT_EQ(parseMapMode("write"), MapMode::Create);
  EXPECT_EQ(parseMapMode("c"), MapMode::CopyOnWrite);
  EXPECT_EQ(parseMapMode("copyonwrite"), MapMode::CopyOnWrite);
  EXPECT_EQ(parseMapMode("w"), std::nullopt);
  EXPECT_EQ(parseMapMode("rb"), std::nullopt);
}

TEST_F(MemmapFiles, ReadOnlyIsZeroCopyAndNotWriteable) {
  std::string f = writeInts("r.bin", {10, 11, 12, 13, 14, 15});
  Array m = mapFile(request(f, MapMode::ReadOnly));
  EXPECT_EQ(m.shape(), Shape{6});
  EXPECT_FALSE(m.writeable());
  EXPECT_EQ(values(m), (std::vector<int64_t>{10, 11, 12, 13, 14, 15}));
  // Not counted as allocated memory: the pages belong to the file.
  const int64_t before = allocatedBytes();
  Array again = mapFile(request(f, MapMode::ReadOnly, Shape{2, 2}, 16));
  EXPECT_EQ(allocatedBytes(), before);
  EXPECT_EQ(values(again), (std::vector<int64_t>{12, 13, 14, 15}));
}

TEST_F(MemmapFiles, ReadWriteReachesTheFileAndOutlivesViews) {
  std::string f = writeInts("rw.bin", {1, 2, 3, 4});
  Array view;
  {
    Array m = mapFile(request(f, MapMode::ReadWrite));
    EXPECT_TRUE(m.writeable());
    m.setAt({1}, Scalar::ofInt(20));
    view = m.sliceAxis(0, 2, 1, 2); // keeps the mapping alive after m goes
  }
  view.setAt({1}, Scalar::ofInt(40));
  EXPECT_EQ(values(mapFile(request(f, MapMode::ReadOnly))), (std::vector<int64_t>{1, 20, 3, 40}));
  view = Array(); // last reference: msync + munmap
  std::string bytes = read("rw.bin");
  int64_t last;
  std::memcpy(&last, bytes.data() + 24, 8);
  EXPECT_EQ(last, 40);
}

TEST_F(MemmapFiles, CopyOnWriteKeepsTheFile) {
  std::string f = writeInts("c.bin", {1, 2, 3});
  Array m = mapFile(request(f, MapMode::CopyOnWrite));
  EXPECT_TRUE(m.writeable());
  m.setAt({0}, Scalar::ofInt(99));
  EXPECT_EQ(m.at({0}).i, 99);
  EXPECT_EQ(values(mapFile(request(f, MapMode::ReadOnly))), (std::vector<int64_t>{1, 2, 3}));
}

TEST_F(MemmapFiles, CreateMakesANewZeroFileAndNeverReplaces) {
  MapRequest r = request(path("new.bin"), MapMode::Create, Shape{2, 3});
  r.fortranOrder = true;
  Array m = mapFile(r);
  EXPECT_EQ(m.strides(), (Strides{8, 16}));
  EXPECT_EQ(values(m), (std::vector<int64_t>(6, 0)));
  m.setAt({1, 0}, Scalar::ofInt(5)); // F order: the second element in the file
  EXPECT_EQ(std::filesystem::file_size(path("new.bin")), 48u);
  EXPECT_EQ(values(mapFile(request(path("new.bin"), MapMode::ReadOnly))),
            (std::vector<int64_t>{0, 5, 0, 0, 0, 0}));
  std::string before = read("new.bin");
  expectMapError(request(path("new.bin"), MapMode::Create, Shape{1}), ErrorKind::File,
                 "the file exists; mode 'w+' never replaces a file");
  EXPECT_EQ(read("new.bin"), before);
  expectMapError(request(path("noshape.bin"), MapMode::Create), ErrorKind::Value,
                 "shape must be given for mode 'w+'");
  EXPECT_FALSE(std::filesystem::exists(path("noshape.bin")));
}

TEST_F(MemmapFiles, RegionErrorsNeverTouchTheFile) {
  std::string f = writeInts("s.bin", {1, 2, 3});
  for (MapMode mode : {MapMode::ReadOnly, MapMode::ReadWrite, MapMode::CopyOnWrite})
    expectMapError(request(f, mode, Shape{4}), ErrorKind::Value,
                   "the file has 24 bytes; shape (4,) of int64 at offset 0 needs 32");
  EXPECT_EQ(std::filesystem::file_size(f), 24u); // r+ did not extend it
  expectMapError(request(f, MapMode::ReadOnly, std::nullopt, 32), ErrorKind::Value,
                 "offset 32 is past the end of the file (24 bytes)");
  expectMapError(request(f, MapMode::ReadOnly, std::nullopt, 4), ErrorKind::Value,
                 "size of available data (20 bytes) is not a multiple of the data-type size (8)");
  expectMapError(request(f, MapMode::ReadOnly, std::nullopt, -8), ErrorKind::Value,
                 "offset must be non-negative");
  expectMapError(request(writeInts("empty.bin", {}), MapMode::ReadOnly), ErrorKind::Value,
                 "cannot map an empty file");
  expectMapError(request(path("missing.bin"), MapMode::ReadOnly), ErrorKind::File,
                 "No such file or directory");
  expectMapError(request(path("missing.bin"), MapMode::ReadWrite), ErrorKind::File,
                 "No such file or directory");
  EXPECT_FALSE(std::filesystem::exists(path("missing.bin")));
  std::filesystem::create_directory(path("d"));
  expectMapError(request(path("d"), MapMode::ReadOnly), ErrorKind::File, "Is a directory");
}

TEST_F(MemmapFiles, OffsetsAnywhereInAPage) {
  std::vector<int64_t> v(1000);
  for (int64_t i = 0; i < 1000; ++i) v[size_t(i)] = i;
  std::string f = writeInts("big.bin", v);
  // 4104 = one page plus one element: the mapping starts at the page.
  Array m = mapFile(request(f, MapMode::ReadOnly, Shape{3}, 4104));
  EXPECT_EQ(values(m), (std::vector<int64_t>{513, 514, 515}));
  m = mapFile(request(f, MapMode::ReadOnly, std::nullopt, 7992));
  EXPECT_EQ(values(m), (std::vector<int64_t>{999}));
}

TEST_F(MemmapFiles, NpyDataMapsInPlace) {
  Array a = iota({3, 2}).transpose(); // F-contiguous (2, 3)
  saveNpy(path("a.npy"), a);
  Array m = mapNpy(path("a.npy"), MapMode::ReadOnly);
  EXPECT_EQ(m.shape(), (Shape{2, 3}));
  EXPECT_TRUE(m.isFContiguous());
  EXPECT_FALSE(m.writeable());
  EXPECT_EQ(values(m), values(a));
  Array w = mapNpy(path("a.npy"), MapMode::ReadWrite);
  w.setAt({1, 2}, Scalar::ofInt(-7));
  w = Array();
  EXPECT_EQ(loadNpy(path("a.npy")).at({1, 2}).i, -7);
  try {
    mapNpy(path("a.npy"), MapMode::Create);
    ADD_FAILURE() << "mapNpy w+ replaced a file";
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("mmap_mode 'w+'"), std::string::npos);
  }
}
