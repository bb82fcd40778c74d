// The REPL's Tab completion (tools/Completion.cpp): names, module members,
// array attributes and methods, keyword arguments and file paths. It reads
// only the builtin table, so it is tested with the compiler's unit tests.
#include "tools/Completion.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace ravel::tools {
namespace {

CompletionScope session() {
  CompletionScope scope;
  scope.variables = {"x", "xs", "f", "n"};
  scope.typeOf = [](const std::string& name) -> std::optional<std::string> {
    if (name == "x" || name == "xs") return "ndarray";
    if (name == "f") return "function";
    if (name == "n") return "int";
    return std::nullopt;
  };
  return scope;
}

bool has(const Completions& c, const std::string& s) {
  return std::find(c.candidates.begin(), c.candidates.end(), s) != c.candidates.end();
}

TEST(Completion, ArrayMethodsAndAttributes) {
  Completions c = complete("y = x.su", session());
  EXPECT_EQ(c.wordStart, 6u);
  EXPECT_EQ(c.candidates, std::vector<std::string>{"sum("});
  c = complete("x.", session());
  EXPECT_TRUE(has(c, "shape"));
  EXPECT_TRUE(has(c, "T"));
  EXPECT_TRUE(has(c, "reshape("));
  EXPECT_FALSE(has(c, "sqrt("));
  EXPECT_TRUE(complete("n.", session()).candidates.empty()); // an int: nothing known
}

TEST(Completion, ModulesAndNames) {
  EXPECT_EQ(complete("np.sqr", session()).candidates, std::vector<std::string>{"sqrt("});
  EXPECT_EQ(complete("random.ra", session()).candidates,
            (std::vector<std::string>{"rand(", "randint(", "randn(", "random(", "random_sample("}));
  EXPECT_EQ(complete("np.linalg.in", session()).candidates, std::vector<std::string>{"inv("});
  EXPECT_TRUE(has(complete("np.", session()), "linalg"));
  Completions c = complete("print(x", session());
  EXPECT_EQ(c.wordStart, 6u);
  EXPECT_TRUE(has(c, "x"));
  EXPECT_TRUE(has(c, "xs"));
  EXPECT_FALSE(has(c, "x("));
  EXPECT_TRUE(has(complete("f", session()), "f("));       // a user function
  EXPECT_TRUE(has(complete("fl", session()), "float64")); // a dtype, mostly dtype=...
  EXPECT_TRUE(has(complete("wh", session()), "while"));
  EXPECT_TRUE(complete("1.5", session()).candidates.empty());
}

TEST(Completion, KeywordArguments) {
  Completions c = complete("s = sum(x, ax", session());
  EXPECT_EQ(c.candidates, std::vector<std::string>{"axis="});
  EXPECT_TRUE(has(complete("x.reshape(3, or", session()), "order="));
  EXPECT_TRUE(has(complete("linspace(0, 1, num=5, end", session()), "endpoint="));
  EXPECT_FALSE(has(complete("sqrt(", session()), "x="));            // positional-only
  EXPECT_FALSE(has(complete("sum(x, (1, ax", session()), "axis=")); // inside a tuple
}

TEST(Completion, PathsInStrings) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "ravel_completion_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "data");
  std::ofstream(dir / "data.npy") << "x";
  std::string base = dir.string();
  Completions c = complete("a = load(\"" + base + "/da", session());
  EXPECT_EQ(c.wordStart, 10u);
  EXPECT_EQ(c.candidates, (std::vector<std::string>{base + "/data.npy", base + "/data/"}));
  EXPECT_TRUE(complete("load('" + base + "/nothing/x", session()).candidates.empty());
  // A closed string is code again.
  EXPECT_TRUE(has(complete("print('a', x", session()), "xs"));
  fs::remove_all(dir);
}

TEST(Completion, CommonPrefix) {
  EXPECT_EQ(commonPrefix({"rand(", "randn(", "random("}), "rand");
  EXPECT_EQ(commonPrefix({}), "");
}

TEST(Completion, OddInputDoesNotCrash) {
  for (const char* text : {"", "(", ")))", "x.", ".", "..", "'", "\"\\", "f(((x", "]x.", "#x.s"})
    complete(text, session());
}

} // namespace
} // namespace ravel::tools
