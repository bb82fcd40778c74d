// The text of `explain`: which kernels ran (or would run), what each fused,
// read and wrote, what NumPy would have allocated instead, which variables
// were never materialized, and which operations were views or copies; and
// the same as a Graphviz digraph (`explain --dot`): one cluster per kernel,
// arrays as boxes (dashed when a view of another array's memory), bytes on
// the edges, the views-and-copies notes in a note node.
#include "compiler/exec/Interpreter.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

namespace ravel::exec {
namespace {

std::string formatBytes(int64_t n) {
  char buf[32];
  if (n < 1024)
    std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(n));
  else if (n < 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f KiB", double(n) / 1024);
  else if (n < (int64_t(1) << 30))
    std::snprintf(buf, sizeof buf, "%.1f MiB", double(n) / (1024 * 1024));
  else
    std::snprintf(buf, sizeof buf, "%.2f GiB", double(n) / double(int64_t(1) << 30));
  return buf;
}

std::string joinNames(const std::vector<std::string>& names) {
  if (names.empty()) return "(none)";
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

/// A Graphviz double-quoted string's contents.
std::string dotEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

} // namespace

std::string Interpreter::describeDot(const std::string& title, size_t firstLaunch,
                                     size_t firstNote) const {
  std::ostringstream os;
  os << "digraph \"" << dotEscape(title) << "\" {\n"
     << "  rankdir=LR;\n"
     << "  node [fontname=\"Helvetica\", fontsize=10];\n"
     << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  // Which globals hold a launch's result (a std::map: sorted, deterministic).
  auto holders = [&](const LaunchRecord& r) {
    std::vector<std::string> names;
    for (const auto& [g, v] : globals_)
      if (r.outData && v.isArray() && v.array->materialized() &&
          v.array->data.data() == r.outData && g != "_")
        names.push_back(g);
    return names;
  };
  std::vector<std::string> declared; // input nodes already written
  std::map<std::string, std::string>
      producedBy; // global -> the out node of the kernel that wrote it
  for (size_t i = firstLaunch; i < launches_.size(); ++i) {
    const LaunchRecord& r = launches_[i];
    const std::string k = "k" + std::to_string(i - firstLaunch);
    std::string body = r.kernel.body.empty()
                           ? std::string("no elementwise loop")
                           : "fuses " + std::to_string(r.elementwiseOps) + " operation" +
                                 (r.elementwiseOps == 1 ? "" : "s");
    if (!r.routine.empty()) body += "\nproduct: " + r.routine;
    if (r.span.end > r.span.begin && lineOf_) body += "\nline " + std::to_string(lineOf_(r.span));
    os << "  subgraph cluster_" << i - firstLaunch << " {\n"
       << "    label=\"" << dotEscape(r.text.substr(0, r.text.find('\n'))) << "\";\n"
       << "    style=rounded;\n"
       << "    " << k << " [shape=ellipse, label=\"" << dotEscape(body) << "\"];\n"
       << "  }\n";
    for (size_t in = 0; in < r.inputNames.size(); ++in) {
      const int from = in < r.inputFromRecord.size() ? r.inputFromRecord[in] : -1;
      const bool view = in < r.inputIsView.size() && r.inputIsView[in];
      const int64_t bytes = in < r.inputBytes.size() ? r.inputBytes[in] : 0;
      std::string source;
      if (from >= int(firstLaunch)) {
        source = "out" + std::to_string(size_t(from) - firstLaunch);
      } else if (auto p = producedBy.find(r.inputNames[in]); p != producedBy.end()) {
        source = p->second; // a variable an earlier kernel computed
      } else {
        // A named array is one node however many kernels read it; an
        // unnamed one (a temporary, a constant array) is its kernel's own.
        const std::string& name = r.inputNames[in];
        bool named = name.rfind("in", 0) != 0 ||
                     name.find_first_not_of("0123456789", 2) != std::string::npos;
        source = named ? "\"" + dotEscape(name) + "\"" : k + "_" + name;
        std::string key = source;
        if (std::find(declared.begin(), declared.end(), key) == declared.end()) {
          declared.push_back(key);
          const std::string viewOf = in < r.inputViewOf.size() ? r.inputViewOf[in] : "";
          std::string label = !view            ? name
                              : viewOf.empty() ? name + "\n(a view)"
                                               : name + "\n(a view of " + viewOf + ")";
          os << "  " << source << " [shape=box" << (view ? ", style=dashed" : "") << ", label=\""
             << dotEscape(label) << "\"];\n";
        }
      }
      // The product's panels are never in memory as a whole: no bytes.
      const bool panels = from < 0 && bytes == 0 && r.inputNames[in].rfind("the product", 0) == 0;
      os << "  " << source << " -> " << k << " [label=\"" << (panels ? "" : formatBytes(bytes))
         << "\"" << (view ? ", style=dashed" : "") << "];\n";
    }
    std::vector<std::string> names = holders(r);
    for (const std::string& n : names) producedBy[n] = "out" + std::to_string(i - firstLaunch);
    std::string outLabel = names.empty() ? std::string("result") : joinNames(names);
    os << "  out" << i - firstLaunch << " [shape=box, style=bold, label=\""
       << dotEscape(outLabel + "\n" + r.outType) << "\"];\n"
       << "  " << k << " -> out" << i - firstLaunch << " [label=\"" << formatBytes(r.bytesWritten)
       << "\"];\n";
  }
  std::vector<std::string> lazy = lazyGlobals();
  std::erase(lazy, "_");
  if (!lazy.empty())
    os << "  never_materialized [shape=plaintext, label=\"never materialized: "
       << dotEscape(joinNames(lazy)) << "\"];\n";
  if (notes_.size() > firstNote) {
    std::string text = "views and copies:";
    for (size_t i = firstNote; i < notes_.size(); ++i) {
      text += "\n";
      if (lineOf_) text += "line " + std::to_string(lineOf_(notes_[i].span)) + ": ";
      text += notes_[i].text;
    }
    os << "  notes [shape=note, label=\"" << dotEscape(text) << "\"];\n";
  }
  os << "}\n";
  return os.str();
}

std::string Interpreter::describe(size_t firstLaunch, size_t firstNote, bool wholeProgram,
                                  const std::vector<std::string>& bound) const {
  std::ostringstream os;
  size_t count = launches_.size() - firstLaunch;
  os << count << (count == 1 ? " kernel" : " kernels") << "\n";
  int64_t allocated = 0, numpyTemps = 0, moved = 0;
  for (size_t i = firstLaunch; i < launches_.size(); ++i) {
    const LaunchRecord& r = launches_[i];
    os << "\n" << r.text.substr(0, r.text.find('\n'));
    if (r.span.end > r.span.begin && lineOf_)
      os << "   [line " << lineOf_(r.span) << "]";
    else if (wholeProgram)
      os << "   [program result]";
    os << "\n  reads " << joinNames(r.inputNames) << " (" << formatBytes(r.bytesRead)
       << "), writes " << formatBytes(r.bytesWritten) << "\n";
    if (!r.routine.empty()) os << "  product: " << r.routine << "\n";
    if (r.kernel.body.empty()) // a product launch alone: no loop of ravel's own
      os << "  no elementwise loop";
    else
      os << "  fuses " << r.elementwiseOps << " operation" << (r.elementwiseOps == 1 ? "" : "s")
         << " into one loop";
    if (r.numpyTemporaryBytes > 0)
      os << "; NumPy would allocate " << formatBytes(r.numpyTemporaryBytes) << " of temporaries";
    os << "\n";
    allocated += r.bytesAllocated;
    numpyTemps += r.numpyTemporaryBytes;
    moved += r.bytesRead + r.bytesWritten;
  }
  if (wholeProgram) {
    os << "\nnever materialized: " << joinNames(lazyGlobals()) << "\n";
    os << "in memory: " << joinNames(materializedGlobals()) << "\n";
  } else {
    for (const std::string& name : bound) {
      auto it = globals_.find(name);
      if (it == globals_.end() || !it->second.isArray() || it->second.array->materialized())
        continue;
      int ops = it->second.array->node->opCount;
      os << name << " is lazy: a graph of " << ops << " operation" << (ops == 1 ? "" : "s")
         << ", computed only when something needs its memory\n";
    }
  }
  if (notes_.size() > firstNote) {
    os << "\nviews and copies:\n";
    for (size_t i = firstNote; i < notes_.size(); ++i) {
      os << "  ";
      if (lineOf_) os << "line " << lineOf_(notes_[i].span) << ": ";
      os << notes_[i].text << "\n";
    }
  }
  if (count > 0 || wholeProgram)
    os << "\nkernel memory: allocates " << formatBytes(allocated) << ", moves "
       << formatBytes(moved) << "; NumPy temporaries avoided: " << formatBytes(numpyTemps) << "\n";
  return os.str();
}

} // namespace ravel::exec
