// The JIT around codegen: the kernel cache, eviction, --emit=llvm/asm, the
// kernel verifier, vectorization of hot kernels, and verifyModule over every
// op x dtype the verifier accepts.
#include "JitTestSupport.h"

#include "compiler/fusion/KernelVerify.h"
#include "runtime/Error.h"

#include <cstring>
#include <regex>

namespace ravel::jittest {
namespace {

Kernel hypotKernel(const std::string& name) {
  KB kb(name);
  DType f = DType::Float64;
  int x = kb.input(f), y = kb.input(f);
  return kb.out(
      kb.op(KOp::Sqrt, f, kb.op(KOp::Add, f, kb.op(KOp::Mul, f, x, x), kb.op(KOp::Mul, f, y, y))));
}

TEST(JitCache, IdenticalKernelCompilesOnce) {
  auto jit = jit::KernelJit::create();
  InnerLoopFn a = jit->compile(hypotKernel("k0"));
  InnerLoopFn b = jit->compile(hypotKernel("k7")); // the name is not part of the key
  EXPECT_EQ(a, b);
  EXPECT_EQ(jit->stats().compiled, 1);
  EXPECT_EQ(jit->stats().cacheHits, 1);
  EXPECT_GT(jit->stats().compileMillis, 0.0);
  Kernel strided = hypotKernel("k0");
  strided.layouts[1] = InnerLayout::Strided; // a layout is part of the key
  EXPECT_NE(jit->compile(strided), a);
  EXPECT_EQ(jit->stats().compiled, 2);
  std::printf("compile time per kernel: %.2f ms\n", jit->stats().compileMillis / 2);
}

TEST(JitCache, KeysSeparateConstantsDtypesAndReductions) {
  auto withConst = [](double c) {
    KB kb;
    int x = kb.input(DType::Float64);
    return kb.out(kb.op(KOp::Add, DType::Float64, x, kb.constF(DType::Float64, c))).cacheKey();
  };
  EXPECT_NE(withConst(0.0), withConst(-0.0));
  EXPECT_EQ(withConst(1.5), withConst(1.5));
  KB a, b;
  int x = a.input(DType::Float64);
  int y = b.input(DType::Float64);
  EXPECT_NE(a.reduce(x, ReduceKind::Sum, DType::Float64).cacheKey(),
            b.reduce(y, ReduceKind::Max, DType::Float64).cacheKey());
}

TEST(JitCache, EvictionFreesAndRecompiles) {
  auto jit = jit::KernelJit::create();
  jit->setCacheCapacity(2);
  auto addConst = [](double c) {
    KB kb;
    int x = kb.input(DType::Float64);
    return kb.out(kb.op(KOp::Add, DType::Float64, x, kb.constF(DType::Float64, c)));
  };
  for (double c : {1.0, 2.0, 3.0}) jit->compile(addConst(c));
  EXPECT_EQ(jit->cachedKernels(), 2u);
  EXPECT_EQ(jit->stats().evicted, 1);
  InnerLoopFn fn = jit->compile(addConst(1.0)); // evicted: compiled again, still correct
  EXPECT_EQ(jit->stats().compiled, 4);
  double in[3] = {1, 2, 3}, out[3] = {};
  char* ptrs[] = {reinterpret_cast<char*>(in), reinterpret_cast<char*>(out)};
  int64_t strides[] = {8, 8};
  fn(3, ptrs, strides, nullptr);
  EXPECT_EQ(out[2], 4.0);
}

bool hostHasAvx2() {
  return __builtin_cpu_supports("avx2");
}

TEST(JitEmit, HypotAsmIsPackedSqrtAndMul) {
  if (!hostHasAvx2()) GTEST_SKIP() << "host lacks AVX2: packed ymm/zmm code is not expected";
  std::string s = sharedJit().emitAsm(hypotKernel("k0"));
  EXPECT_TRUE(std::regex_search(s, std::regex(R"(vsqrtpd\s+%[yz]mm)"))) << s;
  EXPECT_TRUE(std::regex_search(s, std::regex(R"(vmulpd\s+%[yz]mm)"))) << s;
  EXPECT_EQ(s.find("vfmadd"), std::string::npos) << "no contraction into FMA";
}

TEST(JitEmit, LLVMTextIsNamedAfterTheKernel) {
  std::string ir = sharedJit().emitLLVM(hypotKernel("k3"));
  EXPECT_NE(ir.find("define void @k3("), std::string::npos) << ir;
  EXPECT_NE(ir.find("llvm.sqrt.v"), std::string::npos) << "vectorized sqrt expected:\n" << ir;
  EXPECT_EQ(sharedJit().emitLLVM(hypotKernel("k3")), ir) << "deterministic output";
}

TEST(JitEmit, ExpCallsSleefVectorVariant) {
  if (!hostHasAvx2() || sharedJit().targetDescription().ends_with("/scalar"))
    GTEST_SKIP() << "no AVX2+FMA vector math (" << sharedJit().targetDescription() << ")";
  KB kb;
  int x = kb.input(DType::Float64);
  std::string ir = sharedJit().emitLLVM(kb.out(kb.op(KOp::Exp, DType::Float64, x)));
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(call <\d+ x double> @Sleef_expd\d_u10avx)")))
      << ir;
  EXPECT_NE(ir.find("@Sleef_expd1_u10purecfma"), std::string::npos) << "scalar tail" << ir;
}

TEST(JitEmit, FloatSumIsVectorizedWithoutFastMath) {
  // NumPy's 8 pairwise accumulators are the lanes of one <8 x double>: the
  // order of every add is fixed, so no fast-math flag at all.
  KB kb;
  int x = kb.input(DType::Float64);
  std::string ir = sharedJit().emitLLVM(kb.reduce(x, ReduceKind::Sum, DType::Float64));
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(fadd <8 x double>)"))) << ir;
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(load <8 x double>)"))) << ir;
  EXPECT_EQ(ir.find("reassoc"), std::string::npos);
  EXPECT_EQ(ir.find("fast"), std::string::npos);
  EXPECT_EQ(ir.find("contract"), std::string::npos);
}

TEST(JitVerify, RejectsMalformedKernels) {
  auto expectBad = [](Kernel k, const char* what) {
    EXPECT_THROW(fusion::verify(k), InternalError) << what;
    EXPECT_THROW(sharedJit().compile(k), InternalError) << what;
  };
  {
    KB kb;
    int x = kb.input(DType::Float64);
    Kernel k = kb.out(kb.op(KOp::Add, DType::Float64, x, x));
    k.body[1].args[1] = 5; // forward reference
    expectBad(k, "forward reference");
  }
  {
    KB kb;
    int x = kb.input(DType::Int64);
    expectBad(kb.out(kb.op(KOp::Sqrt, DType::Int64, x)), "sqrt of int");
  }
  {
    KB kb;
    int x = kb.input(DType::Float64), y = kb.input(DType::Float32);
    expectBad(kb.out(kb.op(KOp::Add, DType::Float64, x, y)), "mixed operand dtypes");
  }
  {
    KB kb;
    int x = kb.input(DType::Float64);
    Kernel k = kb.out(kb.op(KOp::Neg, DType::Float64, x));
    k.layouts.pop_back();
    expectBad(k, "missing output layout");
  }
  {
    KB kb;
    int x = kb.input(DType::Float64);
    expectBad(kb.out(kb.op(KOp::Lt, DType::Float64, x, x)), "comparison must yield bool");
  }
  {
    KB kb;
    int x = kb.input(DType::Bool);
    expectBad(kb.out(kb.op(KOp::Sub, DType::Bool, x, x)), "bool subtract");
  }
  {
    KB kb;
    int x = kb.input(DType::Int32);
    expectBad(kb.reduce(x, ReduceKind::Sum, DType::Int32), "int32 sum must accumulate in int64");
  }
}

/// Every op over every dtype the verifier accepts compiles (verifyModule runs
/// inside compile()) and runs on a short buffer without crashing.
TEST(JitVerify, EveryValidOpAndDtypeCompiles) {
  const DType dtypes[] = {DType::Bool, DType::Int32, DType::Int64, DType::Float32, DType::Float64};
  int compiled = 0;
  for (int o = static_cast<int>(KOp::Cast); o <= static_cast<int>(KOp::FMax); ++o) {
    KOp op = static_cast<KOp>(o);
    for (DType t : dtypes) {
      for (DType r : dtypes) {
        KB kb;
        int a = kb.input(t), b = kb.input(t);
        int c = kb.input(DType::Bool);
        int arity = fusion::kopArity(op);
        int instr = op == KOp::Where ? kb.op(op, r, c, a, b)
                    : arity == 1     ? kb.op(op, r, a)
                                     : kb.op(op, r, a, b);
        if (op == KOp::Where && r != t) continue;
        Kernel k = kb.out(instr);
        try {
          fusion::verify(k);
        } catch (const InternalError&) {
          continue; // not a valid combination
        }
        std::vector<uint8_t> bytes(8 * 16, 1), out(8 * 16);
        char* ptrs[] = {reinterpret_cast<char*>(bytes.data()),
                        reinterpret_cast<char*>(bytes.data()),
                        reinterpret_cast<char*>(bytes.data()), reinterpret_cast<char*>(out.data())};
        int64_t strides[] = {itemSize(t), itemSize(t), 1, itemSize(r)};
        KernelState st{};
        ASSERT_NO_THROW(sharedJit().compile(k)(16, ptrs, strides, &st)) << kopName(op);
        ++compiled;
      }
    }
  }
  EXPECT_GT(compiled, 150);
  std::printf("%d op/dtype kernels compiled and verified\n", compiled);
}

TEST(StreamingStores, SameValuesAtEveryAlignmentAndLength) {
  // x * 3 + y with a strided y: the streaming kernel peels to the output's
  // 64-byte boundary (all of it when the output is not even item-aligned),
  // then stores the rest non-temporally. Every start offset and length
  // around the boundaries must give the plain kernel's values and touch
  // nothing outside [0, n).
  for (DType t : {DType::Float64, DType::Float32, DType::Int32, DType::Int64}) {
    KB kb;
    int x = kb.input(t), y = kb.input(t, InnerLayout::Strided);
    const int three = isFloat(t) ? kb.constF(t, 3.0) : kb.constI(t, 3);
    Kernel plain = kb.out(kb.op(KOp::Add, t, kb.op(KOp::Mul, t, x, three), y));
    Kernel streaming = plain;
    streaming.streamingStores = true;
    ASSERT_NE(plain.cacheKey(), streaming.cacheKey());
    InnerLoopFn slow = sharedJit().compile(plain), fast = sharedJit().compile(streaming);
    const int64_t size = itemSize(t);
    std::vector<char> a(4096 * 8), b(2 * 4096 * 8);
    for (size_t i = 0; i < a.size(); ++i) a[i] = char(i * 7 + 1);
    for (size_t i = 0; i < b.size(); ++i) b[i] = char(i * 13 + 5);
    for (int64_t offset : {int64_t(0), size, 3 * size, 64 - size, int64_t(1)}) {
      for (int64_t n : {int64_t(0), int64_t(1), int64_t(5), int64_t(8), int64_t(63), int64_t(64),
                        int64_t(1000), int64_t(3000)}) {
        alignas(64) static char outSlow[4096 * 8 + 256], outFast[4096 * 8 + 256];
        std::memset(outSlow, 0x5A, sizeof outSlow);
        std::memset(outFast, 0x5A, sizeof outFast);
        char* ptrsSlow[] = {a.data(), b.data(), outSlow + 64 + offset};
        char* ptrsFast[] = {a.data(), b.data(), outFast + 64 + offset};
        int64_t strides[] = {size, 2 * size, size};
        KernelState st{};
        slow(n, ptrsSlow, strides, &st);
        fast(n, ptrsFast, strides, &st);
        ASSERT_EQ(std::memcmp(outSlow, outFast, sizeof outSlow), 0)
            << dtypeName(t) << " offset " << offset << " n " << n;
      }
    }
  }
}

} // namespace
} // namespace ravel::jittest
