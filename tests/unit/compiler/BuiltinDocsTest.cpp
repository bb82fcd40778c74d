// The builtin table (compiler/sema/Names.cpp) documents every name it lists:
// help() and `name?` in the REPL show the signature and summary, so an
// entry without them would print an empty help.
#include "compiler/sema/Names.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace ravel::sema {
namespace {

TEST(BuiltinDocs, EveryEntryHasASignatureAndADocLine) {
  std::vector<BuiltinDoc> docs = allBuiltinDocs();
  ASSERT_GT(docs.size(), 150u);
  for (const BuiltinDoc& d : docs) {
    SCOPED_TRACE(std::string(d.name));
    EXPECT_FALSE(d.signature.empty());
    EXPECT_FALSE(d.doc.empty());
    EXPECT_EQ(d.doc.find('\n'), std::string_view::npos) << "one line";
    // The signature names the entry (`a.sum(...)` for methods).
    EXPECT_NE(d.signature.find(d.name), std::string_view::npos) << d.signature;
    if (d.kind == BuiltinKind::Function) EXPECT_NE(d.signature.find('('), std::string_view::npos);
  }
}

TEST(BuiltinDocs, LookupByQualifiedName) {
  ASSERT_TRUE(builtinDoc("sqrt"));
  EXPECT_EQ(builtinDoc("sqrt")->signature,
            "sqrt(x, /, out=None, *, where=True, casting='same_kind', dtype=None)");
  EXPECT_TRUE(builtinDoc("np.sqrt"));
  EXPECT_TRUE(builtinDoc("random.rand"));
  EXPECT_TRUE(builtinDoc("np.random.randn"));
  EXPECT_TRUE(builtinDoc("linalg.inv"));
  EXPECT_TRUE(builtinDoc("ndarray.reshape"));
  EXPECT_FALSE(builtinDoc("rand")); // numpy.random's, not the top level's
  EXPECT_FALSE(builtinDoc("nosuchname"));
  EXPECT_FALSE(builtinDoc("x.sum"));
}

TEST(BuiltinDocs, NamespacesStaySeparate) {
  EXPECT_TRUE(lookupBuiltin("sum"));
  EXPECT_FALSE(lookupBuiltin("randn"));
  EXPECT_FALSE(lookupBuiltin("inv"));
  EXPECT_FALSE(lookupBuiltin("T"));
  EXPECT_TRUE(isRandomFunction("randn"));
  EXPECT_TRUE(isLinalgFunction("inv"));
  EXPECT_TRUE(isArrayMethod("reshape"));
  EXPECT_FALSE(isArrayMethod("shape")); // an attribute
  const std::vector<std::string> names = builtinNames();
  std::set<std::string> top(names.begin(), names.end());
  EXPECT_TRUE(top.count("sqrt"));
  EXPECT_FALSE(top.count("seed"));
}

} // namespace
} // namespace ravel::sema

TEST(BuiltinDocs, NumpyNamesRavelLacksAreKnownAsNumpys) {
  using namespace ravel::sema;
  EXPECT_TRUE(isNumpyName("numpy", "fft"));
  EXPECT_TRUE(isNumpyName("numpy", "searchsorted"));
  EXPECT_TRUE(isNumpyName("numpy.random", "default_rng"));
  EXPECT_TRUE(isNumpyName("numpy.linalg", "tensorsolve"));
  EXPECT_TRUE(isNumpyName("ndarray", "tolist"));
  EXPECT_FALSE(isNumpyName("numpy", "searchsortd"));
  EXPECT_FALSE(isNumpyName("ndarray", "frobnicate"));
  EXPECT_FALSE(isNumpyName("numpy", "default_rng")); // scopes stay apart
  EXPECT_EQ(notInRavelYet("ndarray", "tolist"), "numpy.ndarray.tolist is not in ravel yet");
  EXPECT_EQ(notInRavelYet("numpy.random", "default_rng"),
            "numpy.random.default_rng is not in ravel yet");
  // Every top-level function ravel has is NumPy's, a Python builtin or from
  // numpy.lib.stride_tricks: the generated table and ravel's registry agree
  // on spelling.
  const std::set<std::string_view> notNumpys = {"sliding_window_view",
                                                "as_strided",
                                                "print",
                                                "len",
                                                "repr",
                                                "str",
                                                "float",
                                                "int",
                                                "bool",
                                                "range",
                                                "zip",
                                                "enumerate",
                                                "list",
                                                "tuple",
                                                "slice"};
  for (const BuiltinDoc& d : builtinsIn(""))
    if (d.kind == BuiltinKind::Function && !isNumpyName("numpy", d.name))
      EXPECT_TRUE(notNumpys.count(d.name)) << d.name << " is not a NumPy name";
}
