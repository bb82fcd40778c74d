// .npy reading and writing: headers byte-identical to np.save's (expected
// bytes from NumPy 1.24.2), the variants np.load accepts, and every
// malformed file rejected with a message naming it, before any allocation.
#include "runtime/Npy.h"
#include "tests/unit/runtime/RuntimeTestUtil.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

using namespace ravel;
using namespace ravel::testutil;

namespace {

class NpyFiles : public TempDirTest {
protected:
  /// A version 1.0 file with this header dict (no padding) and data.
  std::string npy(const std::string& name, const std::string& dict, const std::string& data) const {
    std::string h = std::string("\x93NUMPY\x01\x00", 8);
    h += char(dict.size() & 0xFF);
    h += char(dict.size() >> 8);
    return write(name, h + dict + data);
  }
  /// Expects loadNpy(file) to fail with `kind` and a message holding `text`.
  void expectLoadError(const std::string& file, ErrorKind kind, const std::string& text) const {
    try {
      loadNpy(file);
      ADD_FAILURE() << "loaded " << file << ", expected: " << text;
    } catch (const RuntimeError& e) {
      EXPECT_EQ(e.kind(), kind) << e.what();
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("'" + file + "'"), std::string::npos) << e.what();
    }
  }
};

std::string bytesOf(std::initializer_list<uint8_t> b) {
  return std::string(b.begin(), b.end());
}

} // namespace

TEST(NpyHeader, MatchesNumPyBytes) {
  // np.save(io.BytesIO(), np.zeros((3, 4))).getvalue()[:128]
  std::string h = encodeNpyHeader(DType::Float64, false, {3, 4});
  EXPECT_EQ(h, std::string("\x93NUMPY\x01\x00v\x00", 10) +
                   "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }" +
                   std::string(58, ' ') + "\n");
  EXPECT_EQ(h.size(), 128u);
  EXPECT_EQ(encodeNpyHeader(DType::Float64, false, {}),
            std::string("\x93NUMPY\x01\x00v\x00", 10) +
                "{'descr': '<f8', 'fortran_order': False, 'shape': (), }" + std::string(62, ' ') +
                "\n");
  EXPECT_EQ(encodeNpyHeader(DType::Int32, true, {3, 2}),
            std::string("\x93NUMPY\x01\x00v\x00", 10) +
                "{'descr': '<i4', 'fortran_order': True, 'shape': (3, 2), }" +
                std::string(59, ' ') + "\n");
  EXPECT_NE(encodeNpyHeader(DType::Bool, false, {0, 5}).find("'|b1'"), std::string::npos);
  EXPECT_NE(encodeNpyHeader(DType::Int64, false, {7}).find("'shape': (7,), }"), std::string::npos);
}

TEST(NpyHeader, SavePathAppendsSuffix) {
  EXPECT_EQ(npySavePath("a"), "a.npy");
  EXPECT_EQ(npySavePath("a.npy"), "a.npy");
  EXPECT_EQ(npySavePath("a.npz"), "a.npz.npy");
  EXPECT_EQ(npySavePath("dir/.npy"), "dir/.npy");
}

TEST(NpyHeader, ParsesVariants) {
  auto parse = [](const std::string& dict, int major = 1) {
    std::string f = std::string("\x93NUMPY", 6) + char(major) + '\0';
    f += char(dict.size() & 0xFF);
    f += char(dict.size() >> 8);
    if (major > 1) f += std::string(2, '\0');
    f += dict;
    f += std::string(1024, '\0'); // room for any data
    return parseNpyHeader(f, int64_t(f.size()), "h.npy");
  };
  NpyHeader h = parse("{'descr': 'f8', 'fortran_order': False, 'shape': (2L, 3L), }\n");
  EXPECT_EQ(h.dtype, DType::Float64);
  EXPECT_EQ(h.shape, (Shape{2, 3}));
  EXPECT_EQ(h.dataOffset, 10 + 61);
  EXPECT_EQ(h.dataBytes, 48);
  h = parse("{\"shape\":(),\"descr\":\">i4\",\"fortran_order\":True}", 2);
  EXPECT_EQ(h.majorVersion, 2);
  EXPECT_TRUE(h.bigEndian);
  EXPECT_TRUE(h.fortranOrder);
  EXPECT_EQ(h.shape, Shape{});
  EXPECT_EQ(h.dataOffset, 12 + 47);
  h = parse("{'descr': '|b1', 'fortran_order': False, 'shape': (0, 5)}", 3);
  EXPECT_EQ(h.dtype, DType::Bool);
  EXPECT_EQ(h.dataBytes, 0);
  h = parse("{'descr': '>b1', 'fortran_order': False, 'shape': (4,)}");
  EXPECT_FALSE(h.bigEndian); // one byte: no order
  h = parse("{'descr': 'float32', 'fortran_order': False, 'shape': (4,)}");
  EXPECT_EQ(h.dtype, DType::Float32);
}

TEST(NpyHeader, RejectsMalformed) {
  auto fails = [](const std::string& dict, const std::string& text, int major = 1) {
    std::string f = std::string("\x93NUMPY", 6) + char(major) + '\0';
    f += char(dict.size() & 0xFF);
    f += char(dict.size() >> 8);
    if (major > 1) f += std::string(2, '\0');
    f += dict + std::string(64, '\0');
    try {
      parseNpyHeader(f, int64_t(f.size()), "bad.npy");
      ADD_FAILURE() << "accepted " << dict;
    } catch (const RuntimeError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Value);
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).rfind("cannot load 'bad.npy': ", 0), 0u) << e.what();
    }
  };
  fails("{'descr': '<U3', 'fortran_order': False, 'shape': (2,)}", "unsupported dtype '<U3'");
  fails("{'descr': '<f2', 'fortran_order': False, 'shape': (2,)}", "unsupported dtype '<f2'");
  fails("{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", "unsupported dtype '|O'");
  fails("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,)}",
        "unsupported dtype [('a', '<f8')]");
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2)}",
        "negative dimension in shape (-1, 2)");
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': (2.0,)}", "shape is not valid: (2.0,)");
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': (2)}", "shape is not valid: (2)");
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': [2]}", "shape is not valid: [2]");
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}",
        "dimension too large");
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 1099511627776)}",
        "is too large");
  fails("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}", "fortran_order is not a valid bool");
  fails("{'descr': '<f8', 'shape': (2,)}", "correct keys: ['descr', 'shape']");
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", "correct keys");
  fails("{'descr': '<f8', 'descr': '<f8', 'shape': (2,)}", "repeats the key 'descr'");
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)", "cannot parse the header");
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} x", "cannot parse the header");
  fails("{'descr': __import__('os'), 'fortran_order': False, 'shape': (2,)}",
        "cannot parse the header");
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': (2L,)}", "cannot parse the header", 3);
  fails("[1, 2]", "cannot parse the header");
  fails(std::string(40, '(') + std::string(40, ')'), "cannot parse the header");
  // Data: 64 bytes follow the header; (9,) float64 needs 72.
  fails("{'descr': '<f8', 'fortran_order': False, 'shape': (9,)}",
        "file truncated: expected 72 bytes of data, found 64");
}

TEST_F(NpyFiles, RoundTripsEveryDTypeAndOrder) {
  for (DType t : {DType::Bool, DType::Int32, DType::Int64, DType::Float32, DType::Float64}) {
    Array c = iota({3, 4}).astype(t);
    saveNpy(path("c.npy"), c);
    Array back = loadNpy(path("c.npy"));
    EXPECT_EQ(back.dtype(), t);
    EXPECT_EQ(back.shape(), (Shape{3, 4}));
    EXPECT_EQ(values(back), values(c));
    EXPECT_TRUE(back.isCContiguous());

    Array f = c.transpose(); // F-contiguous (4, 3)
    saveNpy(path("f.npy"), f);
    EXPECT_NE(read("f.npy").find("'fortran_order': True"), std::string::npos);
    back = loadNpy(path("f.npy"));
    EXPECT_EQ(back.shape(), (Shape{4, 3}));
    EXPECT_TRUE(back.isFContiguous());
    EXPECT_FALSE(back.isCContiguous());
    EXPECT_EQ(values(back), values(f));

    Array strided = c.sliceAxis(1, 3, -2, 2); // c[:, ::-2]
    saveNpy(path("s.npy"), strided);
    EXPECT_NE(read("s.npy").find("'fortran_order': False"), std::string::npos);
    back = loadNpy(path("s.npy"));
    EXPECT_EQ(values(back), values(strided));
  }
  Array zeroD = Array::scalar(Scalar::ofFloat(2.5));
  saveNpy(path("z.npy"), zeroD);
  EXPECT_EQ(read("z.npy").size(), 136u); // as np.save(np.float64(2.5)) writes
  EXPECT_EQ(loadNpy(path("z.npy")).item().f, 2.5);
  Array empty = Array::empty({0, 5}, DType::Int32);
  saveNpy(path("e.npy"), empty);
  EXPECT_EQ(loadNpy(path("e.npy")).shape(), (Shape{0, 5}));
}

TEST_F(NpyFiles, SaveIsByteIdenticalAndAtomic) {
  Array a = iota({2, 3}, DType::Int64);
  saveNpy(path("a.npy"), a);
  std::string bytes = read("a.npy");
  ASSERT_EQ(bytes.size(), 128u + 48u);
  EXPECT_EQ(bytes.substr(0, 128), encodeNpyHeader(DType::Int64, false, {2, 3}));
  EXPECT_EQ(bytes.substr(128 + 8, 8), bytesOf({1, 0, 0, 0, 0, 0, 0, 0}));
  // Replacing keeps no temporary behind.
  saveNpy(path("a.npy"), Array::scalar(Scalar::ofInt(7)));
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) files += e.exists();
  EXPECT_EQ(files, 1);
  // A failed save leaves the old file and no temporary.
  EXPECT_THROW(saveNpy(path("missing-dir/b.npy"), a), RuntimeError);
  std::filesystem::create_directory(path("d.npy"));
  try {
    saveNpy(path("d.npy"), a);
    ADD_FAILURE() << "saved over a directory";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::File);
    EXPECT_NE(std::string(e.what()).find("Is a directory"), std::string::npos) << e.what();
  }
  files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) files += e.exists();
  EXPECT_EQ(files, 2);
}

TEST_F(NpyFiles, LoadsBigEndianBoolAndTrailingBytes) {
  // '>i4' (2,): 1, -2; then trailing bytes that np.load ignores.
  std::string f = npy("be.npy", "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }",
                      bytesOf({0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE, 9, 9, 9}));
  EXPECT_EQ(values(loadNpy(f)), (std::vector<int64_t>{1, -2}));
  // '>f8' 1.5 in Fortran order (1, 1).
  f = npy("bef.npy", "{'descr': '>f8', 'fortran_order': True, 'shape': (1, 1), }",
          bytesOf({0x3F, 0xF8, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(loadNpy(f).item().f, 1.5);
  // Bool byte 2 is True and is stored as 1.
  f = npy("b.npy", "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", bytesOf({0, 2, 1}));
  Array b = loadNpy(f);
  EXPECT_EQ(values(b), (std::vector<int64_t>{0, 1, 1}));
  EXPECT_EQ(uint8_t(b.data()[1]), 1);
}

TEST_F(NpyFiles, FileLevelErrors) {
  expectLoadError(path("nope.npy"), ErrorKind::File, "No such file or directory");
  std::filesystem::create_directory(path("dir.npy"));
  expectLoadError(path("dir.npy"), ErrorKind::File, "Is a directory");
  expectLoadError(write("empty.npy", ""), ErrorKind::Value, "not a .npy file (the file is empty)");
  expectLoadError(write("text.npy", "hello world"), ErrorKind::Value,
                  "not a .npy file (bad magic)");
  expectLoadError(write("short.npy", std::string("\x93NUMPY\x01", 7)), ErrorKind::Value,
                  "truncated header");
  expectLoadError(write("ver.npy", std::string("\x93NUMPY\x04\x00\x10\x00", 10)), ErrorKind::Value,
                  "unsupported .npy format version 4.0");
  // The header says 118 bytes; 30 follow.
  expectLoadError(
      write("th.npy", std::string("\x93NUMPY\x01\x00\x76\x00", 10) + std::string(30, ' ')),
      ErrorKind::Value, "truncated header: expected 118 bytes of header at offset 10");
  // A 60000-byte header (version 2.0) is over the limit.
  std::string big = std::string("\x93NUMPY\x02\x00", 8) + bytesOf({0x60, 0xEA, 0, 0}) +
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}" +
                    std::string(60000 - 55, ' ') + std::string(8, '\0');
  expectLoadError(write("big.npy", big), ErrorKind::Value, "larger than the limit of 10000");
  // A terabyte shape in a small file fails on the size check, not in malloc.
  expectLoadError(
      npy("huge.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (10**12,)}", ""),
      ErrorKind::Value, "cannot parse the header");
  const int64_t before = allocatedBytes();
  expectLoadError(
      npy("huge2.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,)}", ""),
      ErrorKind::Value, "file truncated: expected 8000000000000 bytes of data, found 0");
  EXPECT_EQ(allocatedBytes(), before);
  expectLoadError(npy("trunc.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (3, 4)}",
                      std::string(88, '\0')),
                  ErrorKind::Value, "file truncated: expected 96 bytes of data, found 88");
}
