// The binary AST form that ahead-of-time artefacts carry: every program of
// tests/programs reads back to the same tree (its dump, and its binary form
// again, which holds every span), and damaged bytes are an InternalError,
// never a crash.
#include "compiler/frontend/AstBinary.h"
#include "compiler/diag/Diagnostic.h"
#include "compiler/frontend/Parse.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace ravel {
namespace {

std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(AstBinary, EveryTestProgramRoundTrips) {
  int programs = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(RAVEL_SOURCE_DIR) + "/tests/programs")) {
    if (entry.path().extension() != ".rv") continue;
    const Source source(entry.path().filename().string(), readText(entry.path()), 7);
    ast::Program program;
    try {
      program = parse(source);
    } catch (const RavelError&) {
      continue; // a syntax-error program has no tree to carry
    }
    const std::string bytes = ast::toBinary(program);
    const ast::Program back = ast::fromBinary(bytes, 7);
    EXPECT_EQ(ast::dump(back), ast::dump(program)) << entry.path();
    EXPECT_EQ(ast::toBinary(back), bytes) << entry.path();
    ++programs;
  }
  EXPECT_GT(programs, 500);
}

TEST(AstBinary, SpansKeepOffsetsAndTakeTheGivenFile) {
  const Source source("s.rv", "x = 1\ny = f(x, k=2)[1:]\n", 3);
  const ast::Program back = ast::fromBinary(ast::toBinary(parse(source)), 9);
  ASSERT_EQ(back.body.size(), 2u);
  const Span s = back.body[1]->span();
  EXPECT_EQ(s.fileId, 9u);
  EXPECT_EQ(s.begin, 6u);
  const auto& assign = ast::cast<ast::AssignStmt>(*back.body[1]);
  EXPECT_EQ(assign.value->span().fileId, 9u);
  EXPECT_EQ(source.text().substr(assign.value->span().begin,
                                 assign.value->span().end - assign.value->span().begin),
            "f(x, k=2)[1:]");
}

TEST(AstBinary, DamagedBytesAreAnInternalErrorNeverACrash) {
  const Source source("d.rv",
                      "def f(a, b=2):\n    return [a * i for i in range(b) if i]\n"
                      "x = f(3) if True else -1\nprint(f\"{x!r:>4}\", x[0] @ 2, not x)\n",
                      0);
  const std::string bytes = ast::toBinary(parse(source));
  for (size_t n = 0; n < bytes.size(); ++n)
    EXPECT_THROW(ast::fromBinary(std::string_view(bytes).substr(0, n), 0), InternalError) << n;
  std::mt19937 rng(12345);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string damaged = bytes;
    damaged[rng() % damaged.size()] ^= static_cast<char>(1 + rng() % 255);
    try {
      ast::fromBinary(damaged, 0); // a flip inside a literal still reads
    } catch (const InternalError&) {
    }
  }
}

} // namespace
} // namespace ravel
