// Completion rules, in the order they are tried:
//  1. Inside a string literal: file paths (the literal so far is a path).
//  2. `obj.prefix`: obj a module (np, numpy, random, linalg, np.random,
//     np.linalg) gives its functions; obj an array variable gives ndarray
//     attributes and methods.
//  3. A bare `prefix`: session variables, top-level builtins, keywords, and
//     — inside a call whose callee's signature is known — its keyword
//     arguments (`sum(x, ax` -> `axis=`).
#include "tools/Completion.h"

#include "compiler/sema/Names.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>

namespace ravel::tools {
namespace {

bool isWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

/// The start of the string literal the cursor is in, or npos. Tracks quotes
/// and backslash escapes from the line's start (the REPL completes within
/// one line).
size_t openStringStart(std::string_view text) {
  size_t start = std::string_view::npos;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '#') {
      return std::string_view::npos; // a comment
    } else if (c == '"' || c == '\'') {
      quote = c;
      start = i + 1;
    }
  }
  return quote ? start : std::string_view::npos;
}

std::vector<std::string> completePath(const std::string& typed) {
  size_t slash = typed.rfind('/');
  std::string dir = slash == std::string::npos ? "" : typed.substr(0, slash + 1);
  std::string prefix = slash == std::string::npos ? typed : typed.substr(slash + 1);
  std::string openDir = dir.empty() ? "." : dir;
  if (startsWith(openDir, "~/"))
    if (const char* home = std::getenv("HOME")) openDir = home + openDir.substr(1);
  std::vector<std::string> out;
  DIR* d = opendir(openDir.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (!startsWith(name, prefix)) continue;
    if (name[0] == '.' && prefix.empty()) continue; // hidden files only when asked for
    struct stat st;
    bool isDir = stat((openDir + "/" + name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    out.push_back(dir + name + (isDir ? "/" : ""));
  }
  closedir(d);
  return out;
}

std::string asCandidate(const sema::BuiltinDoc& d) {
  return std::string(d.name) + (d.kind == sema::BuiltinKind::Function ? "(" : "");
}

/// The dotted name called by the innermost call still open at the end of
/// `text` (`sum(x, ax` -> "sum"), or empty.
std::string openCallee(std::string_view text) {
  int depth = 0;
  for (size_t i = text.size(); i-- > 0;) {
    char c = text[i];
    if (c == ')' || c == ']' || c == '}') {
      ++depth;
    } else if (c == '[' || c == '{') {
      if (depth-- == 0) return "";
    } else if (c == '(') {
      if (depth-- > 0) continue;
      size_t end = i;
      while (end > 0 && text[end - 1] == ' ') --end;
      size_t begin = end;
      while (begin > 0 && (isWordChar(text[begin - 1]) || text[begin - 1] == '.')) --begin;
      return std::string(text.substr(begin, end - begin));
    }
  }
  return "";
}

/// Keyword arguments of a signature: "sum(a, axis=None, *, where=True)"
/// -> axis, where. Names before a `/` are positional-only.
std::vector<std::string> keywordsOf(std::string_view signature) {
  std::vector<std::string> out;
  size_t open = signature.find('(');
  if (open == std::string_view::npos) return out;
  std::string_view params = signature.substr(open + 1);
  size_t i = 0;
  while (i < params.size()) {
    while (i < params.size() && (params[i] == ' ' || params[i] == ',')) ++i;
    size_t begin = i;
    while (i < params.size() && isWordChar(params[i])) ++i;
    if (i < params.size() && params[i] == '=' && i > begin)
      out.emplace_back(params.substr(begin, i - begin));
    // Skip to the next top-level comma.
    int depth = 0;
    while (i < params.size()) {
      char c = params[i];
      if (c == '(' || c == '[') ++depth;
      if (c == ')' || c == ']') {
        if (depth == 0) return out;
        --depth;
      }
      if (c == '\'' || c == '"') {
        char q = c;
        for (++i; i < params.size() && params[i] != q; ++i) {
        }
      }
      if (c == ',' && depth == 0) break;
      ++i;
    }
  }
  return out;
}

/// The builtin entry a callee's text names: "sum", "np.sum", "random.rand",
/// "x.sum" (x an array: ndarray.sum).
std::optional<sema::BuiltinDoc> calleeDoc(const std::string& callee, const CompletionScope& scope) {
  size_t dot = callee.rfind('.');
  if (dot != std::string::npos) {
    std::string object = callee.substr(0, dot);
    std::optional<std::string> type = scope.typeOf ? scope.typeOf(object) : std::nullopt;
    if (type && (*type == "ndarray" || *type == "memmap"))
      return sema::builtinDoc("ndarray." + callee.substr(dot + 1));
  } else if (scope.typeOf && scope.typeOf(callee)) {
    return std::nullopt; // a session variable shadows the builtin
  }
  return sema::builtinDoc(callee);
}

constexpr const char* kKeywords[] = {"and", "break", "continue", "def",  "elif",   "else", "False",
                                     "for", "if",    "in",       "is",   "lambda", "None", "not",
                                     "or",  "pass",  "return",   "True", "while"};

} // namespace

std::string commonPrefix(const std::vector<std::string>& candidates) {
  if (candidates.empty()) return "";
  std::string prefix = candidates[0];
  for (const std::string& c : candidates) {
    size_t n = 0;
    while (n < prefix.size() && n < c.size() && prefix[n] == c[n]) ++n;
    prefix.resize(n);
  }
  return prefix;
}

Completions complete(std::string_view text, const CompletionScope& scope) {
  Completions result;
  std::vector<std::string>& out = result.candidates;
  if (size_t s = openStringStart(text); s != std::string_view::npos) {
    result.wordStart = s;
    out = completePath(std::string(text.substr(s)));
  } else {
    size_t begin = text.size();
    while (begin > 0 && (isWordChar(text[begin - 1]) || text[begin - 1] == '.')) --begin;
    std::string word(text.substr(begin));
    // A number (`1.5`) or an expression's attribute (`f(x).`) is not a name.
    if (!word.empty() && std::isdigit(static_cast<unsigned char>(word[0]))) return result;
    size_t dot = word.rfind('.');
    if (dot != std::string::npos) {
      std::string object = word.substr(0, dot), prefix = word.substr(dot + 1);
      result.wordStart = begin + dot + 1;
      std::optional<std::string> type = scope.typeOf ? scope.typeOf(object) : std::nullopt;
      std::vector<sema::BuiltinDoc> members;
      if (type) {
        if (*type == "ndarray" || *type == "memmap") members = sema::builtinsIn("ndarray");
      } else if (object == "np" || object == "numpy") {
        members = sema::builtinsIn("");
        std::erase_if(members, [](const sema::BuiltinDoc& d) {
          return d.name == "np" || d.name == "numpy" || d.kind == sema::BuiltinKind::Module;
        });
        out = {"linalg", "random"};
      } else {
        members = sema::builtinsIn(object); // random, linalg, np.random, ...
      }
      for (const sema::BuiltinDoc& d : members) out.push_back(asCandidate(d));
      std::erase_if(out, [&](const std::string& c) { return !startsWith(c, prefix); });
    } else {
      result.wordStart = begin;
      for (const std::string& v : scope.variables) {
        std::optional<std::string> type = scope.typeOf ? scope.typeOf(v) : std::nullopt;
        bool callable = type && (*type == "function" || *type == "builtin_function");
        out.push_back(v + (callable ? "(" : ""));
      }
      for (const sema::BuiltinDoc& d : sema::builtinsIn("")) out.push_back(asCandidate(d));
      for (const char* k : kKeywords) out.emplace_back(k);
      std::string callee = openCallee(text.substr(0, begin));
      if (!callee.empty())
        if (std::optional<sema::BuiltinDoc> doc = calleeDoc(callee, scope))
          for (const std::string& k : keywordsOf(doc->signature)) out.push_back(k + "=");
      std::erase_if(out, [&](const std::string& c) { return !startsWith(c, word); });
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return result;
}

} // namespace ravel::tools
