// DType names, parsing and promotion, checked against NumPy 1.24.2
// (np.result_type; NEP 50 via np._set_promotion_state('weak'); np.can_cast).
#include "runtime/DType.h"
#include "runtime/Error.h"

#include <gtest/gtest.h>

using namespace ravel;

namespace {
constexpr DType B = DType::Bool, I4 = DType::Int32, I8 = DType::Int64, F4 = DType::Float32,
                F8 = DType::Float64;
const DType kAll[] = {B, I4, I8, F4, F8};
} // namespace

TEST(DType, NamesAndSizes) {
  EXPECT_EQ(dtypeName(B), "bool");
  EXPECT_EQ(dtypeName(I4), "int32");
  EXPECT_EQ(dtypeName(I8), "int64");
  EXPECT_EQ(dtypeName(F4), "float32");
  EXPECT_EQ(dtypeName(F8), "float64");
  EXPECT_EQ(itemSize(B), 1);
  EXPECT_EQ(itemSize(I4), 4);
  EXPECT_EQ(itemSize(F8), 8);
}

TEST(DType, Parse) {
  struct Case {
    const char* name;
    DType t;
  } cases[] = {
      {"bool", B}, {"bool_", B},    {"?", B},        {"int32", I4},      {"int64", I8},
      {"int", I8}, {"float32", F4}, {"float64", F8}, {"float", F8},      {"f8", F8},
      {"f4", F4},  {"i8", I8},      {"i4", I4},      {"np.float32", F4}, {"numpy.int32", I4},
      {"<f8", F8}};
  for (const Case& c : cases) {
    auto t = parseDType(c.name);
    ASSERT_TRUE(t.has_value()) << c.name;
    EXPECT_EQ(*t, c.t) << c.name;
  }
  for (const char* bad : {"", "float16", "complex128", "object", "np.", "int8", "U3", "f"})
    EXPECT_FALSE(parseDType(bad).has_value()) << bad;
  for (DType t : kAll) EXPECT_EQ(parseDType(dtypeName(t)), t);
}

TEST(DType, PromotionMatchesResultType) {
  // for a in ts: [np.result_type(a, b).name for b in ts]
  const DType expected[5][5] = {
      {B, I4, I8, F4, F8},  {I4, I4, I8, F8, F8}, {I8, I8, I8, F8, F8},
      {F4, F8, F8, F4, F8}, {F8, F8, F8, F8, F8},
  };
  for (int a = 0; a < 5; ++a)
    for (int b = 0; b < 5; ++b)
      EXPECT_EQ(promote(kAll[a], kAll[b]), expected[a][b])
          << dtypeName(kAll[a]) << " + " << dtypeName(kAll[b]);
}

TEST(DType, WeakScalarsNep50) {
  // (x + True).dtype, (x + 1).dtype, (x + 1.0).dtype under the weak state.
  const DType expected[5][3] = {
      {B, I8, F8}, {I4, I4, F8}, {I8, I8, F8}, {F4, F4, F4}, {F8, F8, F8}};
  const ScalarKind kinds[] = {ScalarKind::Bool, ScalarKind::Int, ScalarKind::Float};
  for (int a = 0; a < 5; ++a)
    for (int k = 0; k < 3; ++k)
      EXPECT_EQ(promoteWeak(kAll[a], kinds[k]), expected[a][k]) << dtypeName(kAll[a]) << " " << k;
  EXPECT_EQ(defaultDType(ScalarKind::Bool), B);
  EXPECT_EQ(defaultDType(ScalarKind::Int), I8);
  EXPECT_EQ(defaultDType(ScalarKind::Float), F8);
}

TEST(DType, SameKindCasting) {
  // [np.can_cast(a, b, 'same_kind') for b in ts]
  const bool expected[5][5] = {
      {true, true, true, true, true},    {false, true, true, true, true},
      {false, true, true, true, true},   {false, false, false, true, true},
      {false, false, false, true, true},
  };
  for (int a = 0; a < 5; ++a)
    for (int b = 0; b < 5; ++b)
      EXPECT_EQ(canCastSameKind(kAll[a], kAll[b]), expected[a][b])
          << dtypeName(kAll[a]) << " -> " << dtypeName(kAll[b]);
}

TEST(Error, KindNamesAndChecks) {
  EXPECT_STREQ(errorKindName(ErrorKind::Syntax), "syntax");
  EXPECT_STREQ(errorKindName(ErrorKind::Name), "name");
  EXPECT_STREQ(errorKindName(ErrorKind::Type), "type");
  EXPECT_STREQ(errorKindName(ErrorKind::Shape), "shape");
  EXPECT_STREQ(errorKindName(ErrorKind::Value), "value");
  EXPECT_STREQ(errorKindName(ErrorKind::Index), "index");
  EXPECT_STREQ(errorKindName(ErrorKind::Memory), "memory");
  EXPECT_STREQ(errorKindName(ErrorKind::Runtime), "runtime");
  try {
    RAVEL_CHECK(1 + 1 == 3, "arithmetic");
    FAIL() << "no throw";
  } catch (const InternalError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("DTypeTest.cpp:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1 + 1 == 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("arithmetic"), std::string::npos) << msg;
  }
  EXPECT_NO_THROW(RAVEL_CHECK(true, "fine"));
}
