// fuzz_frontend: arbitrary bytes as ravel source through the front end:
// token dump, parse (lexer, layout, nesting limits, ANTLR parser, AST
// builder), AST dump, the static checker, the REPL's needsMoreInput, and the
// rendering of whatever diagnostic comes out. Every input must either pass
// or yield a RavelError whose span lies inside the source; nothing may
// crash, hang or overflow the stack.
#include "compiler/diag/Diagnostic.h"
#include "compiler/diag/Source.h"
#include "compiler/frontend/Ast.h"
#include "compiler/frontend/Parse.h"
#include "compiler/sema/Check.h"
#include "tests/fuzz/FuzzSupport.h"

#include <cstdint>
#include <string>

namespace {

using namespace ravel;

void checkDiagnostic(const Source& source, const RavelError& e) {
  const Diagnostic& d = e.diagnostic();
  if (d.message.empty()) fuzz::unexpected("fuzz_frontend", "a diagnostic without a message");
  if (d.span.begin > d.span.end || d.span.end > source.text().size())
    fuzz::unexpected("fuzz_frontend", ("a span outside the source: " + d.message).c_str());
  if (d.render(source).empty()) fuzz::unexpected("fuzz_frontend", "an empty rendering");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const Source source("<fuzz>", text);
  auto onError = [&](const RavelError& e) { checkDiagnostic(source, e); };
  fuzz::expectUserErrors(
      "fuzz_frontend", [&] { (void)dumpTokens(source); }, onError);
  fuzz::expectUserErrors(
      "fuzz_frontend",
      [&] {
        const ast::Program program = parse(source);
        (void)ast::dump(program);
        sema::check(program, {"x", "y"});
      },
      onError);
  // The REPL asks this of every line typed; it must never throw.
  fuzz::expectUserErrors(
      "fuzz_frontend", [&] { (void)needsMoreInput(text); },
      [](const RavelError&) { fuzz::unexpected("fuzz_frontend", "needsMoreInput threw"); });
  return 0;
}
