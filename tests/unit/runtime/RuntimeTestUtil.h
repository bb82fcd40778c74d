// Helpers shared by the runtime unit tests.
#pragma once

#include "runtime/Array.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <stdlib.h>
#include <string>
#include <vector>

namespace ravel::testutil {

/// A fresh directory per test, removed afterwards, with file helpers.
class TempDirTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ravel-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path(name), std::ios::binary) << bytes;
    return path(name);
  }
  std::string read(const std::string& name) const {
    std::ifstream f(path(name), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }

  std::filesystem::path dir_;
};

/// An owning int64 array holding 0, 1, 2, ... in C order.
inline Array iota(const Shape& shape, DType dtype = DType::Int64) {
  Array a = Array::empty(shape, dtype);
  for (int64_t i = 0; i < a.size(); ++i) {
    std::vector<int64_t> idx(shape.size());
    int64_t rem = i;
    for (size_t k = shape.size(); k-- > 0;) {
      idx[k] = rem % shape[k];
      rem /= shape[k];
    }
    a.setAt(idx, Scalar::ofInt(i));
  }
  return a;
}

inline std::vector<int64_t> values(const Array& a) {
  std::vector<int64_t> out;
  Array c = a.astype(DType::Int64);
  const int64_t* p = reinterpret_cast<const int64_t*>(c.data());
  out.assign(p, p + c.size());
  return out;
}

/// Runs f, expecting a RuntimeError of `kind` whose message is exactly `msg`.
inline void expectError(const std::function<void()>& f, ErrorKind kind, const std::string& msg) {
  try {
    f();
    ADD_FAILURE() << "expected error: " << msg;
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    EXPECT_EQ(std::string(e.what()), msg);
  }
}

inline bool sameOwner(const Array& base, const Array& owner) {
  return base.valid() && base.buffer() == owner.buffer() && base.shape() == owner.shape() &&
         base.strides() == owner.strides() && base.offset() == owner.offset() && !base.isView();
}

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

} // namespace ravel::testutil
