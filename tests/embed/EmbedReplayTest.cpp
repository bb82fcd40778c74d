// Replayed calls of compiled functions (compiler/exec/CallPlan.h): a call
// whose signature was seen before runs the recorded kernels on the new
// memory. Each test checks the replay happened (or did not) and that its
// result is what evaluating the body gives.
#include <ravel/ravel.h>

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace {

using ravel::Array;

TEST(EmbedReplay, RepeatedCallsReplayAndSeeHostWrites) {
  ravel::Engine engine;
  ravel::Function f = engine.compile("def f(x, y):\n    t = x * x\n    return np.sqrt(t + y**2)\n");
  std::vector<double> x = {3, 5, 8}, y = {4, 12, 15}, out(3);
  Array ax = Array::wrap(x), ay = Array::wrap(y), aout = Array::wrap(out);
  f.into(aout, ax, ay);
  EXPECT_EQ(engine.callsReplayed(), 0);
  const int64_t compiled = engine.kernelsCompiled();
  for (int call = 1; call <= 5; ++call) {
    x[0] = 3.0 * call, y[0] = 4.0 * call;
    f.into(aout, ax, ay);
    EXPECT_DOUBLE_EQ(out[0], 5.0 * call);
    EXPECT_DOUBLE_EQ(out[2], 17.0);
  }
  EXPECT_EQ(engine.callsReplayed(), 5);
  // Returning a new array replays too, into fresh memory each call.
  Array r1 = f(ax, ay).array();
  Array r2 = f(ax, ay).array();
  EXPECT_NE(r1.data<double>(), r2.data<double>());
  EXPECT_DOUBLE_EQ(r2.at<double>({1}), 13.0);
  EXPECT_EQ(engine.callsReplayed(), 6);
  EXPECT_EQ(engine.kernelsCompiled(), compiled);
}

TEST(EmbedReplay, NewShapesStridesAndScalarsRecordAgain) {
  ravel::Engine engine;
  ravel::Function f = engine.compile("def f(x, k):\n    return x * k + 1\n");
  std::vector<double> x = {1, 2, 3, 4, 5, 6};
  EXPECT_DOUBLE_EQ(f(Array::wrap(x), 2.0).array().at<double>({5}), 13.0);
  EXPECT_DOUBLE_EQ(f(Array::wrap(x), 2.0).array().at<double>({5}), 13.0);
  EXPECT_EQ(engine.callsReplayed(), 1);
  // Another scalar value, another length, a strided view: no stale replay.
  EXPECT_DOUBLE_EQ(f(Array::wrap(x), 3.0).array().at<double>({5}), 19.0);
  EXPECT_DOUBLE_EQ(f(Array::wrap(x.data(), {4}), 2.0).array().at<double>({3}), 9.0);
  Array everyOther = Array::wrap(x.data(), {3}, {2 * int64_t(sizeof(double))});
  Array r = f(everyOther, 2.0).array();
  EXPECT_DOUBLE_EQ(r.at<double>({1}), 7.0);
  EXPECT_DOUBLE_EQ(r.at<double>({2}), 11.0);
  // A Python int is not a float: NumPy 2 keeps an int array's dtype.
  std::vector<int64_t> n = {1, 2, 3};
  EXPECT_EQ(f(Array::wrap(n), 2).array().dtype(), ravel::DType::Int64);
  EXPECT_EQ(f(Array::wrap(n), 2.0).array().dtype(), ravel::DType::Float64);
  EXPECT_EQ(engine.callsReplayed(), 1);
}

TEST(EmbedReplay, ArgumentsSharingMemoryAreNotConfused) {
  ravel::Engine engine;
  ravel::Function f = engine.compile("def f(a, b):\n    return a - b\n");
  std::vector<double> x = {1, 2, 3}, y = {10, 20, 30};
  Array ax = Array::wrap(x), ay = Array::wrap(y);
  // Recorded with one array passed twice: one graph leaf.
  EXPECT_DOUBLE_EQ(f(ax, ax).array().at<double>({2}), 0.0);
  // The same shapes with two arrays must not replay that plan.
  EXPECT_DOUBLE_EQ(f(ax, ay).array().at<double>({2}), -27.0);
  EXPECT_DOUBLE_EQ(f(ax, ay).array().at<double>({0}), -9.0);
  EXPECT_DOUBLE_EQ(f(ay, ay).array().at<double>({1}), 0.0);
  EXPECT_EQ(engine.callsReplayed(), 2);
}

TEST(EmbedReplay, OutputOverlappingAnInputIsComputedAsNumPyDoes) {
  ravel::Engine engine;
  ravel::Function f = engine.compile("def f(a, b):\n    return a + b\n");
  std::vector<double> x = {1, 2, 3, 4}, y = {10, 20, 30, 40};
  Array ax = Array::wrap(x), ay = Array::wrap(y);
  for (int i = 0; i < 3; ++i) f.into(ax, ax, ay); // x += y, three times
  EXPECT_DOUBLE_EQ(x[3], 124.0);
  // The output shifted by one element over the input: `x[1:] = x[:-1] + y[:-1]`.
  std::vector<double> z = {1, 2, 3, 4};
  Array head = Array::wrap(z.data(), {3}), tail = Array::wrap(z.data() + 1, {3});
  Array yHead = Array::wrap(y.data(), {3});
  f.into(tail, head, yHead);
  EXPECT_EQ(z, (std::vector<double>{1, 11, 22, 33}));
}

TEST(EmbedReplay, GlobalsTheBodyReadsAreCheckedEachCall) {
  ravel::Engine engine;
  engine.run("scale = 2.0\n");
  ravel::Function f = engine.compile("def f(x):\n    return sqrt(x) * scale\n");
  std::vector<double> x = {4, 9};
  Array ax = Array::wrap(x);
  EXPECT_DOUBLE_EQ(f(ax).array().at<double>({1}), 6.0);
  EXPECT_DOUBLE_EQ(f(ax).array().at<double>({1}), 6.0);
  EXPECT_EQ(engine.callsReplayed(), 1);
  engine.run("scale = 10.0\n");
  EXPECT_DOUBLE_EQ(f(ax).array().at<double>({1}), 30.0);
  // A user function shadowing the builtin: evaluated, never a stale replay.
  engine.run("def sqrt(v):\n    return v + 1\n");
  EXPECT_DOUBLE_EQ(f(ax).array().at<double>({1}), 100.0);
  EXPECT_DOUBLE_EQ(f(ax).array().at<double>({1}), 100.0);
  // A global array is read from its current binding (no replay).
  engine.run("scale = np.array([1.0, -1.0])\n");
  EXPECT_DOUBLE_EQ(f(ax).array().at<double>({1}), -10.0);
}

TEST(EmbedReplay, ReductionsReplayWithFreshResults) {
  ravel::Engine engine;
  ravel::Function norm = engine.compile("def norm(x):\n    return x / x.sum(axis=0)\n");
  ravel::Function total = engine.compile("def total(x):\n    return np.sum(x * 2)\n");
  std::vector<double> m = {1, 2, 3, 4}; // 2 x 2
  Array am = Array::wrap(m.data(), {2, 2});
  for (int call = 0; call < 3; ++call) {
    m[0] = call;
    Array r = norm(am).array();
    EXPECT_DOUBLE_EQ(r.at<double>({0, 0}), call / (call + 3.0));
    EXPECT_DOUBLE_EQ(r.at<double>({1, 1}), 4.0 / 6.0);
    ravel::Value t = total(am);
    EXPECT_DOUBLE_EQ(t.toDouble(), 2.0 * (call + 9.0));
  }
  EXPECT_EQ(engine.callsReplayed(), 4);
}

TEST(EmbedReplay, BodiesWithEffectsAreEvaluatedEveryCall) {
  ravel::Engine engine;
  std::ostringstream printed;
  engine.setOutput(printed);
  ravel::Function f = engine.compile("def f(x):\n    print(x.sum())\n    return x * 2\n");
  ravel::Function g = engine.compile("def g(x):\n    return x @ x\n");
  std::vector<double> x = {1, 2};
  Array ax = Array::wrap(x);
  f(ax);
  x[1] = 5;
  f(ax);
  EXPECT_EQ(printed.str(), "3.0\n6.0\n");
  EXPECT_DOUBLE_EQ(g(ax).toDouble(), 26.0);
  EXPECT_DOUBLE_EQ(g(ax).toDouble(), 26.0);
  EXPECT_EQ(engine.callsReplayed(), 0);
}

TEST(EmbedReplay, ErrorsInAReplayPointAtTheOperation) {
  ravel::Engine engine;
  ravel::Function f = engine.compile("def f(x, y):\n    return x ** y\n", "pow.rv");
  std::vector<int64_t> x = {2, 3}, y = {1, 2};
  Array ax = Array::wrap(x), ay = Array::wrap(y);
  EXPECT_EQ(f(ax, ay).array().at<int64_t>({1}), 9);
  EXPECT_EQ(f(ax, ay).array().at<int64_t>({1}), 9);
  EXPECT_EQ(engine.callsReplayed(), 1);
  y[1] = -1;
  try {
    f(ax, ay);
    FAIL() << "expected an error";
  } catch (const ravel::Error& e) {
    EXPECT_NE(std::string(e.what()).find("Integers to negative integer powers are not allowed"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("pow.rv:2"), std::string::npos) << e.what();
  }
  y[1] = 3;
  EXPECT_EQ(f(ax, ay).array().at<int64_t>({1}), 27); // usable after the error
}

TEST(EmbedReplay, RedefinedFunctionIsNotReplayed) {
  ravel::Engine engine;
  engine.run("def f(x):\n    return x + 1\n");
  std::vector<double> x = {1};
  Array ax = Array::wrap(x);
  EXPECT_DOUBLE_EQ(engine.function("f")(ax).array().at<double>({0}), 2.0);
  EXPECT_DOUBLE_EQ(engine.function("f")(ax).array().at<double>({0}), 2.0);
  engine.run("def f(x):\n    return x + 2\n");
  EXPECT_DOUBLE_EQ(engine.function("f")(ax).array().at<double>({0}), 3.0);
  EXPECT_DOUBLE_EQ(engine.function("f")(ax).array().at<double>({0}), 3.0);
  EXPECT_EQ(engine.callsReplayed(), 2);
}

} // namespace
