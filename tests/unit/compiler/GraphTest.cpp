// The lazy graph: interning (structural equality is pointer equality), the
// elementwise op count that caps kernel size, the --emit=graph text form,
// and verify() on good and bad graphs.
#include "compiler/graph/Graph.h"

#include <gtest/gtest.h>

namespace ravel::graph {
namespace {

class GraphTest : public ::testing::Test {
protected:
  NodeRef in(const Array& a) { return g.input(a, {}); }
  NodeRef f64(double v) { return g.constant(Scalar::ofFloat(v), {}); }
  NodeRef bin(Op op, const NodeRef& a, const NodeRef& b) {
    Shape s = a->shape.size() >= b->shape.size() ? a->shape : b->shape;
    return g.make(op, a->dtype, s, {a, b}, {});
  }
  NodeRef un(Op op, const NodeRef& a) { return g.make(op, a->dtype, a->shape, {a}, {}); }
  NodeRef sumAll(const NodeRef& a) {
    std::vector<int> axes;
    for (size_t i = 0; i < a->shape.size(); ++i) axes.push_back(int(i));
    return g.make(Op::Sum, a->dtype, {}, {a}, {}, axes);
  }

  Graph g;
  Array x = Array::zeros({4}, DType::Float64);
  Array y = Array::ones({4}, DType::Float64);
};

TEST_F(GraphTest, SameOpOnSameSourcesIsTheSameNode) {
  NodeRef a = in(x), b = in(y);
  EXPECT_EQ(in(x).get(), a.get()) << "the same array read twice is one Input node";
  EXPECT_NE(a.get(), b.get());
  NodeRef s1 = bin(Op::Add, a, b);
  NodeRef s2 = bin(Op::Add, in(x), in(y));
  EXPECT_EQ(s1.get(), s2.get());
  EXPECT_EQ(un(Op::Sqrt, s1).get(), un(Op::Sqrt, s2).get());
  // A different op, operand order, dtype or shape is a different node.
  EXPECT_NE(bin(Op::Sub, a, b).get(), s1.get());
  EXPECT_NE(bin(Op::Sub, b, a).get(), bin(Op::Sub, a, b).get());
  EXPECT_NE(g.make(Op::Add, DType::Float32, {4}, {a, b}, {}).get(), s1.get());
  EXPECT_NE(g.make(Op::Add, DType::Float64, {1, 4}, {a, b}, {}).get(), s1.get());
}

TEST_F(GraphTest, ConstantsInternByValueAndDType) {
  EXPECT_EQ(f64(2.0).get(), f64(2.0).get());
  EXPECT_NE(f64(2.0).get(), f64(3.0).get());
  // 0.0 and -0.0 compare equal as doubles but are different constants.
  EXPECT_NE(f64(0.0).get(), f64(-0.0).get());
  EXPECT_NE(g.constant(Scalar::ofInt(2), {}).get(), f64(2.0).get());
  EXPECT_NE(g.constant(Scalar::ofInt(2, DType::Int32), {}).get(),
            g.constant(Scalar::ofInt(2, DType::Int64), {}).get());
  EXPECT_EQ(g.constant(Scalar::ofBool(true), {}).get(), g.constant(Scalar::ofBool(true), {}).get());
  // Different constants make different parents.
  NodeRef a = in(x);
  EXPECT_NE(bin(Op::Mul, a, f64(2.0)).get(), bin(Op::Mul, a, f64(3.0)).get());
  EXPECT_EQ(bin(Op::Mul, a, f64(2.0)).get(), bin(Op::Mul, a, f64(2.0)).get());
}

TEST_F(GraphTest, ReductionsInternByAxes) {
  Array m = Array::zeros({2, 3}, DType::Float64);
  NodeRef a = in(m);
  NodeRef r0 = g.make(Op::Sum, DType::Float64, {3}, {a}, {}, {0});
  NodeRef r1 = g.make(Op::Sum, DType::Float64, {2}, {a}, {}, {1});
  EXPECT_EQ(g.make(Op::Sum, DType::Float64, {3}, {a}, {}, {0}).get(), r0.get());
  EXPECT_NE(r0.get(), r1.get());
  EXPECT_NE(g.make(Op::Max, DType::Float64, {3}, {a}, {}, {0}).get(), r0.get());
}

TEST_F(GraphTest, InputsAfterAnEpochBumpAreNew) {
  NodeRef before = in(x);
  g.bumpEpoch(); // x's memory was written
  NodeRef after = in(x);
  EXPECT_NE(before.get(), after.get());
  EXPECT_EQ(in(x).get(), after.get());
  // A view of x at another offset or with other strides is another input.
  Array tail = x.sliceAxis(0, 1, 1, 3);
  EXPECT_NE(in(tail).get(), after.get());
}

TEST_F(GraphTest, OpCountCountsElementwiseOpsInTheTree) {
  NodeRef a = in(x), b = in(y);
  EXPECT_EQ(a->opCount, 0);
  EXPECT_EQ(f64(1.0)->opCount, 0);
  NodeRef mag = un(Op::Sqrt, bin(Op::Add, bin(Op::Mul, a, a), bin(Op::Mul, b, b)));
  EXPECT_EQ(mag->opCount, 4);
  // A reduction adds nothing itself; what feeds it still counts.
  EXPECT_EQ(sumAll(mag)->opCount, 4);
  // The count is of the tree: a shared subexpression counts at each use.
  NodeRef sq = bin(Op::Mul, a, a);
  EXPECT_EQ(bin(Op::Add, sq, sq)->opCount, 3);
  NodeRef cast = g.make(Op::Cast, DType::Float32, {4}, {a}, {});
  EXPECT_EQ(cast->opCount, 1);
}

TEST_F(GraphTest, NodesKeepTheirFields) {
  Span span{0, 3, 9};
  NodeRef a = g.input(x, span);
  NodeRef c = g.constant(Scalar::ofFloat(2.5), span);
  NodeRef p = g.make(Op::Pow, DType::Float64, {4}, {a, c}, span);
  EXPECT_EQ(p->op, Op::Pow);
  EXPECT_EQ(p->dtype, DType::Float64);
  EXPECT_EQ(p->shape, Shape({4}));
  ASSERT_EQ(p->srcs.size(), 2u);
  EXPECT_EQ(p->srcs[0].get(), a.get());
  EXPECT_EQ(p->srcs[1].get(), c.get());
  EXPECT_EQ(p->span.begin, 3u);
  EXPECT_EQ(p->span.end, 9u);
  EXPECT_EQ(c->constant.f, 2.5);
  EXPECT_TRUE(c->shape.empty());
  EXPECT_EQ(a->input.data(), x.data());
}

TEST(GraphOps, TableMatchesNumPyNames) {
  EXPECT_STREQ(opName(Op::Add), "Add");
  EXPECT_STREQ(numpyName(Op::Sub), "subtract");
  EXPECT_STREQ(numpyName(Op::FloorDiv), "floor_divide");
  EXPECT_STREQ(numpyName(Op::Mod), "remainder");
  EXPECT_STREQ(numpyName(Op::Lt), "less");
  EXPECT_EQ(arityOf(Op::Where), 3);
  EXPECT_EQ(arityOf(Op::Sqrt), 1);
  EXPECT_EQ(arityOf(Op::Input), 0);
  EXPECT_TRUE(isElementwise(Op::Cast));
  EXPECT_TRUE(isReduce(Op::Any));
  EXPECT_FALSE(isElementwise(Op::Const));
  EXPECT_FALSE(isReduce(Op::Max) && isElementwise(Op::Max));
  EXPECT_EQ(familyOf(Op::Input), Family::Leaf);
}

TEST_F(GraphTest, DumpFormatIsStable) {
  NodeRef a = in(x), b = in(y);
  NodeRef mag = un(Op::Sqrt, bin(Op::Add, bin(Op::Mul, a, a), bin(Op::Mul, b, b)));
  EXPECT_EQ(dump({sumAll(mag)}), "%0 = Input float64(4,)\n"
                                 "%1 = Mul float64(4,) %0 %0\n"
                                 "%2 = Input float64(4,)\n"
                                 "%3 = Mul float64(4,) %2 %2\n"
                                 "%4 = Add float64(4,) %1 %3\n"
                                 "%5 = Sqrt float64(4,) %4\n"
                                 "%6 = Sum float64() %5 axes=(0)\n");
  // Several roots share one numbering; a node already printed is not repeated.
  NodeRef twice = bin(Op::Mul, a, g.constant(Scalar::ofInt(2, DType::Int32), {}));
  EXPECT_EQ(dump({twice, mag}), "%0 = Input float64(4,)\n"
                                "%1 = Const int32() 2\n"
                                "%2 = Mul float64(4,) %0 %1\n"
                                "%3 = Mul float64(4,) %0 %0\n"
                                "%4 = Input float64(4,)\n"
                                "%5 = Mul float64(4,) %4 %4\n"
                                "%6 = Add float64(4,) %3 %5\n"
                                "%7 = Sqrt float64(4,) %6\n");
  // Float constants print with 17 significant digits, so the text round-trips.
  EXPECT_EQ(dump({f64(0.1)}), "%0 = Const float64() 0.10000000000000001\n");
  EXPECT_EQ(dump({g.constant(Scalar::ofBool(false), {})}), "%0 = Const bool() False\n");
  Array m = Array::zeros({2, 3}, DType::Int32);
  EXPECT_EQ(dump({g.make(Op::Sum, DType::Int64, {2}, {in(m)}, {}, {1})}),
            "%0 = Input int32(2,3)\n"
            "%1 = Sum int64(2,) %0 axes=(1)\n");
}

TEST_F(GraphTest, DumpIsDeterministicAcrossGraphs) {
  // Same structure built in another graph over other arrays: same text.
  Graph other;
  Array x2 = Array::zeros({4}, DType::Float64);
  NodeRef a1 = in(x), a2 = other.input(x2, {});
  NodeRef c1 = f64(3.0), c2 = other.constant(Scalar::ofFloat(3.0), {});
  NodeRef r1 = g.make(Op::Maximum, DType::Float64, {4}, {a1, c1}, {});
  NodeRef r2 = other.make(Op::Maximum, DType::Float64, {4}, {a2, c2}, {});
  EXPECT_EQ(dump({r1}), dump({r2}));
}

TEST_F(GraphTest, VerifyAcceptsBuiltGraphs) {
  NodeRef a = in(x), b = in(y);
  NodeRef cond = g.make(Op::Lt, DType::Bool, {4}, {a, b}, {});
  NodeRef w = g.make(Op::Where, DType::Float64, {4}, {cond, a, f64(0.0)}, {});
  EXPECT_NO_THROW(verify(w));
  EXPECT_NO_THROW(verify(sumAll(un(Op::Exp, w))));
  Array m = Array::zeros({2, 3}, DType::Float64);
  NodeRef row = in(Array::ones({3}, DType::Float64));
  NodeRef bcast = g.make(Op::Add, DType::Float64, {2, 3}, {in(m), row}, {});
  EXPECT_NO_THROW(verify(g.make(Op::Sum, DType::Float64, {}, {bcast}, {}, {0, 1})));
}

TEST_F(GraphTest, VerifyRejectsBrokenInvariants) {
  Array m = Array::zeros({2, 3}, DType::Float64);
  NodeRef a = in(m);
  // Axes must be sorted, unique and in range.
  EXPECT_THROW(verify(g.make(Op::Sum, DType::Float64, {}, {a}, {}, {1, 0})), InternalError);
  EXPECT_THROW(verify(g.make(Op::Sum, DType::Float64, {}, {a}, {}, {0, 0})), InternalError);
  EXPECT_THROW(verify(g.make(Op::Sum, DType::Float64, {2}, {a}, {}, {2})), InternalError);
  // An elementwise node cannot have a source of higher rank.
  EXPECT_THROW(verify(g.make(Op::Neg, DType::Float64, {6}, {a}, {})), InternalError);
  // A broken node deep in the graph is still found.
  NodeRef bad = g.make(Op::Sum, DType::Float64, {3}, {a}, {}, {-1});
  EXPECT_THROW(verify(un(Op::Sqrt, bin(Op::Add, in(x), bad))), InternalError);
  // make() itself refuses the wrong number of sources.
  EXPECT_THROW(g.make(Op::Add, DType::Float64, {4}, {in(x)}, {}), InternalError);
}

} // namespace
} // namespace ravel::graph
