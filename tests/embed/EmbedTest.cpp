// The embedding API as a host sees it: only <ravel/ravel.h> is included and
// only ravel::ravel is linked.
#include <ravel/ravel.h>

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <thread>
#include <vector>

namespace {

TEST(Embed, WrappedHostMemoryIsBoundWithoutACopy) {
  ravel::Engine engine;
  std::vector<double> x = {1, 2, 3, 4};
  engine.set("x", ravel::Array::wrap(x));
  ravel::Value got = engine.get("x");
  ASSERT_TRUE(got.isArray());
  EXPECT_EQ(got.array().data<double>(), x.data());
  EXPECT_TRUE(got.array().isView());
  engine.run("r = x * 2 + 1");
  ravel::Array r = engine.get("r").array();
  EXPECT_EQ(r.shape(), std::vector<int64_t>{4});
  EXPECT_FALSE(r.isView());
  EXPECT_EQ(r.at<double>({3}), 9.0);
  // Host writes are seen by the next run.
  x[3] = 10;
  engine.run("r = x * 2 + 1");
  EXPECT_EQ(engine.get("r").array().at<double>({-1}), 21.0);
}

TEST(Embed, ByteStridesAndTwoDimensions) {
  ravel::Engine engine;
  std::vector<int64_t> m = {1, 2, 3, 4, 5, 6}; // 2 x 3, row-major
  // The second column, a strided view of the host matrix.
  engine.set("col", ravel::Array::wrap(m.data() + 1, {2}, {3 * int64_t(sizeof(int64_t))}));
  engine.set("m", ravel::Array::wrap(m.data(), {2, 3}));
  EXPECT_EQ(engine.eval("col.sum()").toInt(), 2 + 5);
  EXPECT_EQ(engine.eval("m.T.shape").items().at(0).toInt(), 3);
  // Negative strides: the column read bottom to top.
  engine.set("rev", ravel::Array::wrap(m.data() + 4, {2}, {-3 * int64_t(sizeof(int64_t))}));
  ravel::Array rev = engine.eval("rev * 10").array();
  EXPECT_EQ(rev.at<int64_t>({0}), 50);
  EXPECT_EQ(rev.at<int64_t>({1}), 20);
}

TEST(Embed, ValuesOfEveryKind) {
  ravel::Engine engine;
  EXPECT_TRUE(engine.eval("None").isNone());
  EXPECT_EQ(engine.eval("2 ** 10").toInt(), 1024);
  EXPECT_DOUBLE_EQ(engine.eval("1 / 4").toDouble(), 0.25);
  EXPECT_TRUE(engine.eval("3 > 2").toBool());
  ravel::Value t = engine.eval("(1, 2.5, np.arange(3))");
  ASSERT_TRUE(t.isTuple());
  ASSERT_EQ(t.items().size(), 3u);
  EXPECT_EQ(t.items()[2].array().dtype(), ravel::DType::Int64);
  engine.set("k", ravel::Value(int64_t(7)));
  EXPECT_EQ(engine.eval("k * 6").toInt(), 42);
  EXPECT_THROW(engine.eval("1.5").toInt(), ravel::Error);
}

TEST(Embed, CompiledFunctionReusesItsKernels) {
  ravel::Engine engine;
  ravel::Function f = engine.compile("def f(x, y):\n    return np.sqrt(x**2 + y**2)\n");
  EXPECT_EQ(f.name(), "f");
  std::vector<double> x(1000), y(1000), out(1000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = double(i), y[i] = double(i) + 1;
  ravel::Array ax = ravel::Array::wrap(x), ay = ravel::Array::wrap(y),
               aout = ravel::Array::wrap(out);
  f.into(aout, ax, ay);
  const int64_t compiled = engine.kernelsCompiled();
  EXPECT_GT(compiled, 0);
  for (int call = 0; call < 3; ++call) {
    x[5] = call; // host writes between calls are seen
    f.into(aout, ax, ay);
    EXPECT_DOUBLE_EQ(out[5], std::sqrt(double(call * call) + 36.0));
  }
  EXPECT_DOUBLE_EQ(out[999], std::hypot(999.0, 1000.0));
  EXPECT_EQ(engine.kernelsCompiled(), compiled);
  ravel::Value r = f(ax, ay);
  EXPECT_DOUBLE_EQ(r.array().data<double>()[999], std::hypot(999.0, 1000.0));
  EXPECT_EQ(engine.kernelsCompiled(), compiled);
  // A new dtype compiles a new kernel.
  std::vector<float> xf(4, 3.0f), yf(4, 4.0f);
  EXPECT_FLOAT_EQ(f(ravel::Array::wrap(xf), ravel::Array::wrap(yf)).array().at<float>({0}), 5.0f);
  EXPECT_GT(engine.kernelsCompiled(), compiled);
}

TEST(Embed, FunctionDefinedByRunAndScalarsArguments) {
  ravel::Engine engine;
  engine.run("def scale(a, k=2):\n    return a * k\n", "lib.rv");
  ravel::Function scale = engine.function("scale");
  std::vector<int32_t> v = {1, 2, 3};
  ravel::Array r = scale(ravel::Array::wrap(v), 3).array();
  EXPECT_EQ(r.dtype(), ravel::DType::Int32); // NumPy 2: int32 * Python int is int32
  EXPECT_EQ(r.at<int32_t>({2}), 9);
  EXPECT_THROW(engine.function("nope"), ravel::Error);
}

TEST(Embed, ErrorsAreRenderedAndTheEngineStaysUsable) {
  ravel::Engine engine;
  engine.set("a", ravel::Array::zeros({3}, ravel::DType::Float64));
  engine.set("b", ravel::Array::zeros({4}, ravel::DType::Float64));
  try {
    engine.run("ok = 1\nc = a + b\n", "prog.rv");
    FAIL() << "no error";
  } catch (const ravel::Error& e) {
    EXPECT_EQ(e.kind(), ravel::ErrorKind::Shape);
    EXPECT_EQ(e.span().file, "prog.rv");
    EXPECT_EQ(e.span().line, 2);
    EXPECT_EQ(e.span().column, 5);
    const std::string what = e.what();
    EXPECT_NE(what.find("prog.rv:2:5"), std::string::npos) << what;
    EXPECT_NE(what.find("^"), std::string::npos) << what;
  }
  try {
    engine.run("d = (", "bad.rv");
    FAIL() << "no error";
  } catch (const ravel::Error& e) {
    EXPECT_EQ(e.kind(), ravel::ErrorKind::Syntax);
  }
  EXPECT_THROW(engine.get("undefined_name"), ravel::Error);
  // A read-only wrap cannot be written by ravel code.
  const std::vector<double> frozen = {1, 2};
  engine.set("frozen", ravel::Array::wrap(frozen));
  EXPECT_THROW(engine.run("frozen[0] = 5"), ravel::Error);
  EXPECT_EQ(frozen[0], 1.0);
  // A wrong dtype for data<T>() is an Error, not undefined behaviour.
  EXPECT_THROW(engine.get("a").array().data<float>(), ravel::Error);
  // Wrong arity of a compiled function.
  ravel::Function f = engine.compile("def f(x):\n    return x + 1\n");
  EXPECT_THROW(f(1, 2), ravel::Error);
  // Still usable.
  engine.run("c = a + 1");
  EXPECT_EQ(engine.get("c").array().at<double>({0}), 1.0);
  EXPECT_EQ(f(41).toInt(), 42);
}

TEST(Embed, PrintGoesToTheEngineOutput) {
  ravel::Engine engine;
  std::ostringstream out;
  engine.setOutput(out);
  engine.run("print(np.arange(3) * 2)");
  EXPECT_EQ(out.str(), "[0 2 4]\n");
}

// The thread model: an Engine per thread, engines running at the same time.
TEST(Embed, EnginesOnSeparateThreads) {
  constexpr int kThreads = 2;
  std::vector<double> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([t, &results] {
      ravel::Engine engine;
      ravel::Function f = engine.compile("def f(x):\n    return (x * x).sum()\n");
      std::vector<double> x(100, double(t + 1));
      double sum = 0;
      for (int i = 0; i < 20; ++i) sum += f(ravel::Array::wrap(x)).toDouble();
      results[size_t(t)] = sum;
    });
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t)
    EXPECT_DOUBLE_EQ(results[size_t(t)], 20 * 100.0 * (t + 1) * (t + 1));
}

} // namespace
