// fusion::fuse on hand-built graphs: how many launches a graph becomes, what
// each launch reads, where reductions and casts go, and the exact text of
// dumpLaunch. Every plan is also checked by verify(plan), and every kernel by
// verify(kernel) once its layouts are filled in as the interpreter would.
#include "compiler/fusion/Fuse.h"
#include "compiler/fusion/KernelVerify.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ravel::fusion {
namespace {

using graph::Graph;
using graph::NodeRef;
using graph::Op;

int countOp(const Kernel& k, KOp op) {
  return int(
      std::count_if(k.body.begin(), k.body.end(), [&](const KInstr& in) { return in.op == op; }));
}

/// verify(plan), then verify each kernel with contiguous layouts filled in.
void verifyAll(const KernelPlan& plan) {
  verify(plan);
  for (const KernelLaunch& l : plan.launches) {
    Kernel k = l.kernel;
    size_t operands = k.inputs.size() + (k.reduce == ReduceKind::None ? 1 : 0);
    k.layouts.assign(operands, InnerLayout::Contiguous);
    EXPECT_NO_THROW(verify(k)) << dumpLaunch(l);
  }
}

class FuseTest : public ::testing::Test {
protected:
  NodeRef in(const Array& a) { return g.input(a, {}); }
  NodeRef bin(Op op, const NodeRef& a, const NodeRef& b) {
    Shape s = a->shape.size() >= b->shape.size() ? a->shape : b->shape;
    return g.make(op, a->dtype, s, {a, b}, {});
  }
  NodeRef un(Op op, const NodeRef& a) { return g.make(op, a->dtype, a->shape, {a}, {}); }
  NodeRef sumAll(const NodeRef& a, DType t) {
    std::vector<int> axes;
    for (size_t i = 0; i < a->shape.size(); ++i) axes.push_back(int(i));
    return g.make(Op::Sum, t, {}, {a}, {}, axes);
  }
  NodeRef magnitude() {
    NodeRef a = in(x), b = in(y);
    return un(Op::Sqrt, bin(Op::Add, bin(Op::Mul, a, a), bin(Op::Mul, b, b)));
  }

  Graph g;
  Array x = Array::zeros({8}, DType::Float64);
  Array y = Array::ones({8}, DType::Float64);
};

TEST_F(FuseTest, ElementwiseChainIsOneLaunch) {
  KernelPlan plan = fuse(magnitude());
  ASSERT_EQ(plan.launches.size(), 1u);
  const KernelLaunch& l = plan.launches[0];
  EXPECT_EQ(l.inputs.size(), 2u);
  EXPECT_EQ(l.inputs[0].node->input.data(), x.data());
  EXPECT_EQ(l.inputs[1].node->input.data(), y.data());
  EXPECT_EQ(l.inputs[0].fromLaunch, -1);
  EXPECT_EQ(l.kernel.reduce, ReduceKind::None);
  EXPECT_EQ(l.kernel.resultDType, DType::Float64);
  EXPECT_EQ(l.iterShape, Shape({8}));
  EXPECT_FALSE(l.intoTarget);
  EXPECT_EQ(countOp(l.kernel, KOp::Load), 2);
  EXPECT_EQ(countOp(l.kernel, KOp::Cast), 0);
  EXPECT_EQ(l.kernel.body[l.kernel.result].op, KOp::Sqrt);
  verifyAll(plan);
}

TEST_F(FuseTest, ReductionFusesWithItsProducer) {
  NodeRef s = sumAll(magnitude(), DType::Float64);
  KernelPlan plan = fuse(s);
  ASSERT_EQ(plan.launches.size(), 1u);
  const KernelLaunch& l = plan.launches[0];
  EXPECT_EQ(l.kernel.reduce, ReduceKind::Sum);
  EXPECT_EQ(l.kernel.accumDType, DType::Float64);
  EXPECT_EQ(l.iterShape, Shape({8}));
  EXPECT_EQ(l.reduceAxes, std::vector<int>({0}));
  EXPECT_EQ(l.inputs.size(), 2u);
  EXPECT_EQ(l.root.get(), s.get());
  EXPECT_FALSE(l.emptyIsError);
  // The reduced value is the elementwise result, not a copy of it.
  EXPECT_EQ(l.kernel.body[l.kernel.result].op, KOp::Sqrt);
  verifyAll(plan);
}

TEST_F(FuseTest, ReductionKinds) {
  NodeRef a = in(x);
  struct Case {
    Op op;
    DType dtype;
    ReduceKind kind;
    bool emptyIsError;
  };
  const Case cases[] = {{Op::Sum, DType::Float64, ReduceKind::Sum, false},
                        {Op::Prod, DType::Float64, ReduceKind::Prod, false},
                        {Op::Min, DType::Float64, ReduceKind::Min, true},
                        {Op::Max, DType::Float64, ReduceKind::Max, true}};
  for (const Case& c : cases) {
    KernelPlan plan = fuse(g.make(c.op, c.dtype, {}, {un(Op::Neg, a)}, {}, {0}));
    ASSERT_EQ(plan.launches.size(), 1u);
    EXPECT_EQ(plan.launches[0].kernel.reduce, c.kind) << graph::opName(c.op);
    EXPECT_EQ(plan.launches[0].emptyIsError, c.emptyIsError) << graph::opName(c.op);
  }
  // any/all are max/min over bool and have an identity (False/True).
  NodeRef pos = g.make(Op::Gt, DType::Bool, {8}, {a, g.constant(Scalar::ofFloat(0.5), {})}, {});
  KernelPlan any = fuse(g.make(Op::Any, DType::Bool, {}, {pos}, {}, {0}));
  EXPECT_EQ(any.launches[0].kernel.reduce, ReduceKind::Max);
  EXPECT_FALSE(any.launches[0].emptyIsError);
  KernelPlan all = fuse(g.make(Op::All, DType::Bool, {}, {pos}, {}, {0}));
  EXPECT_EQ(all.launches[0].kernel.reduce, ReduceKind::Min);
  EXPECT_FALSE(all.launches[0].emptyIsError);
  verifyAll(any);
  verifyAll(all);
}

TEST_F(FuseTest, ElementwiseReadingAReductionIsTwoLaunches) {
  // x - sum(x) / 8: the reduction must finish before any element of the
  // difference can be computed, so it is its own launch.
  NodeRef a = in(x);
  NodeRef total = sumAll(a, DType::Float64);
  NodeRef mean = bin(Op::Div, total, g.constant(Scalar::ofFloat(8.0), {}));
  NodeRef centered = g.make(Op::Sub, DType::Float64, {8}, {a, mean}, {});
  KernelPlan plan = fuse(centered);
  ASSERT_EQ(plan.launches.size(), 2u);
  const KernelLaunch& first = plan.launches[0];
  const KernelLaunch& second = plan.launches[1];
  EXPECT_EQ(first.kernel.reduce, ReduceKind::Sum);
  EXPECT_EQ(first.root.get(), total.get());
  EXPECT_EQ(first.kernel.name, "k0");
  EXPECT_EQ(second.kernel.reduce, ReduceKind::None);
  EXPECT_EQ(second.root.get(), centered.get());
  EXPECT_EQ(second.kernel.name, "k1");
  ASSERT_EQ(second.inputs.size(), 2u);
  EXPECT_EQ(second.inputs[0].fromLaunch, -1);
  EXPECT_EQ(second.inputs[0].node.get(), a.get());
  EXPECT_EQ(second.inputs[1].fromLaunch, 0);
  EXPECT_EQ(second.inputs[1].node.get(), total.get());
  verifyAll(plan);
}

TEST_F(FuseTest, AReductionUsedTwiceIsPlannedOnce) {
  NodeRef a = in(x);
  NodeRef total = sumAll(a, DType::Float64);
  NodeRef r = bin(Op::Mul, bin(Op::Sub, a, total), bin(Op::Add, a, total));
  KernelPlan plan = fuse(r);
  ASSERT_EQ(plan.launches.size(), 2u);
  const KernelLaunch& last = plan.launches[1];
  EXPECT_EQ(last.inputs.size(), 2u) << dumpLaunch(last);
  EXPECT_EQ(countOp(last.kernel, KOp::Load), 2);
  verifyAll(plan);
}

TEST_F(FuseTest, NestedReductionsRunInDependencyOrder) {
  // sum(x - sum(x)): inner sum, then the outer sum reading it.
  NodeRef a = in(x);
  NodeRef inner = sumAll(a, DType::Float64);
  NodeRef outer = sumAll(bin(Op::Sub, a, inner), DType::Float64);
  KernelPlan plan = fuse(outer);
  ASSERT_EQ(plan.launches.size(), 2u);
  EXPECT_EQ(plan.launches[0].root.get(), inner.get());
  EXPECT_EQ(plan.launches[1].root.get(), outer.get());
  EXPECT_EQ(plan.launches[1].kernel.reduce, ReduceKind::Sum);
  EXPECT_EQ(plan.launches[1].inputs[1].fromLaunch, 0);
  verifyAll(plan);
}

TEST_F(FuseTest, CommonSubexpressionsAreComputedOnce) {
  // x*x + x*x, each product built separately: interning makes them one node.
  NodeRef p1 = bin(Op::Mul, in(x), in(x));
  NodeRef p2 = bin(Op::Mul, in(x), in(x));
  KernelPlan plan = fuse(bin(Op::Add, p1, p2));
  ASSERT_EQ(plan.launches.size(), 1u);
  const Kernel& k = plan.launches[0].kernel;
  EXPECT_EQ(plan.launches[0].inputs.size(), 1u);
  EXPECT_EQ(countOp(k, KOp::Load), 1);
  EXPECT_EQ(countOp(k, KOp::Mul), 1);
  EXPECT_EQ(countOp(k, KOp::Add), 1);
  EXPECT_EQ(k.body.size(), 3u);
  // A constant used twice is emitted once too.
  NodeRef two = g.constant(Scalar::ofFloat(2.0), {});
  KernelPlan c = fuse(bin(Op::Add, bin(Op::Mul, in(x), two), bin(Op::Mul, in(y), two)));
  EXPECT_EQ(countOp(c.launches[0].kernel, KOp::Const), 1);
  verifyAll(plan);
  verifyAll(c);
}

TEST_F(FuseTest, StoringIntoATargetCastsToItsDType) {
  // x += ... into a float32 array: the float64 result is cast on store.
  KernelPlan plan = fuse(magnitude(), DType::Float32);
  ASSERT_EQ(plan.launches.size(), 1u);
  const KernelLaunch& l = plan.launches[0];
  EXPECT_TRUE(l.intoTarget);
  EXPECT_EQ(l.kernel.resultDType, DType::Float32);
  const KInstr& last = l.kernel.body[l.kernel.result];
  EXPECT_EQ(last.op, KOp::Cast);
  EXPECT_EQ(last.dtype, DType::Float32);
  EXPECT_EQ(l.kernel.body[last.args[0]].op, KOp::Sqrt);
  verifyAll(plan);
  // Same dtype: no cast.
  KernelPlan same = fuse(magnitude(), DType::Float64);
  EXPECT_TRUE(same.launches[0].intoTarget);
  EXPECT_EQ(countOp(same.launches[0].kernel, KOp::Cast), 0);
}

TEST_F(FuseTest, IntegerSumsAccumulateInInt64) {
  // sum of an int32 array: NumPy's int64 accumulator; the loaded values are
  // cast before they are added up.
  Array ints = Array::zeros({8}, DType::Int32);
  NodeRef s = sumAll(in(ints), DType::Int64);
  KernelPlan plan = fuse(s);
  ASSERT_EQ(plan.launches.size(), 1u);
  const Kernel& k = plan.launches[0].kernel;
  EXPECT_EQ(k.accumDType, DType::Int64);
  EXPECT_EQ(k.resultDType, DType::Int64);
  EXPECT_EQ(k.body[k.result].op, KOp::Cast);
  EXPECT_EQ(k.body[k.body[k.result].args[0]].dtype, DType::Int32);
  verifyAll(plan);
  // Cast nodes of the graph stay explicit in the kernel.
  NodeRef mixed = g.make(Op::Add, DType::Float64, {8},
                         {g.make(Op::Cast, DType::Float64, {8}, {in(ints)}, {}), in(x)}, {});
  KernelPlan m = fuse(mixed);
  EXPECT_EQ(countOp(m.launches[0].kernel, KOp::Cast), 1);
  EXPECT_EQ(m.launches[0].kernel.inputs, std::vector<DType>({DType::Int32, DType::Float64}));
  verifyAll(m);
}

TEST_F(FuseTest, PartialReductionKeepsItsAxes) {
  Array m = Array::zeros({3, 4}, DType::Float64);
  NodeRef r = g.make(Op::Max, DType::Float64, {3}, {un(Op::Abs, in(m))}, {}, {1});
  KernelPlan plan = fuse(r);
  ASSERT_EQ(plan.launches.size(), 1u);
  EXPECT_EQ(plan.launches[0].iterShape, Shape({3, 4}));
  EXPECT_EQ(plan.launches[0].reduceAxes, std::vector<int>({1}));
  EXPECT_EQ(dumpLaunch(plan.launches[0]), "k0: max float64 over (3,4) axes=(1)\n"
                                          "  in0: float64(3,4)\n"
                                          "  %0 = load.float64 in0\n"
                                          "  %1 = absolute.float64 %0\n");
  verifyAll(plan);
}

TEST_F(FuseTest, DumpLaunchText) {
  NodeRef a = in(x);
  NodeRef half = g.constant(Scalar::ofFloat(0.5), {});
  NodeRef e = g.make(Op::Where, DType::Float64, {8},
                     {g.make(Op::Lt, DType::Bool, {8}, {a, half}, {}), un(Op::Exp, a), half}, {});
  KernelPlan plan = fuse(e);
  ASSERT_EQ(plan.launches.size(), 1u);
  EXPECT_EQ(dumpLaunch(plan.launches[0]), "k0: elementwise float64(8,) -> new array\n"
                                          "  in0: float64(8,)\n"
                                          "  %0 = load.float64 in0\n"
                                          "  %1 = const.float64 0.5\n"
                                          "  %2 = less.bool %0 %1\n"
                                          "  %3 = exp.float64 %0\n"
                                          "  %4 = where.float64 %2 %3 %1\n");
  // The sum of x - sum(x): two launches, the second names where its input comes from.
  NodeRef total = sumAll(a, DType::Float64);
  KernelPlan two = fuse(sumAll(bin(Op::Sub, a, total), DType::Float64));
  ASSERT_EQ(two.launches.size(), 2u);
  EXPECT_EQ(dumpLaunch(two.launches[0]), "k0: sum float64 over (8,)\n"
                                         "  in0: float64(8,)\n"
                                         "  %0 = load.float64 in0\n");
  EXPECT_EQ(dumpLaunch(two.launches[1]), "k1: sum float64 over (8,)\n"
                                         "  in0: float64(8,)\n"
                                         "  in1: float64() from k0\n"
                                         "  %0 = load.float64 in0\n"
                                         "  %1 = load.float64 in1\n"
                                         "  %2 = subtract.float64 %0 %1\n");
  // Assigned into an existing int32 array (setitem casts unsafely), with layouts known.
  KernelLaunch l = fuse(bin(Op::Add, a, half), DType::Int32).launches[0];
  l.kernel.layouts = {InnerLayout::Strided, InnerLayout::Contiguous};
  EXPECT_EQ(dumpLaunch(l), "k0: elementwise int32(8,) -> existing array\n"
                           "  in0: float64(8,) strided\n"
                           "  %0 = load.float64 in0\n"
                           "  %1 = const.float64 0.5\n"
                           "  %2 = add.float64 %0 %1\n"
                           "  %3 = cast.int32 %2\n");
}

TEST_F(FuseTest, FusingAMaterializedInputIsABug) {
  EXPECT_THROW(fuse(in(x)), InternalError);
}

} // namespace
} // namespace ravel::fusion

namespace ravel::fusion {
namespace {

// Kernel cache keys spell each instruction by kopName: two ops with one
// name would share compiled code (divmod's quotient and remainder did).
TEST(KernelOpNames, AreUnique) {
  std::vector<std::string> names;
  for (int i = 0; i <= int(kLastKOp); ++i) names.push_back(kopName(KOp(i)));
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end())
      << "a kernel op name is used twice";
}

} // namespace
} // namespace ravel::fusion
