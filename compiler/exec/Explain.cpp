// The text of `explain`: which kernels ran (or would run), what each fused,
// read and wrote, what NumPy would have allocated instead, which variables
// were never materialized, and which operations were views or copies.
#include "compiler/exec/Interpreter.h"

#include <cstdio>
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

} // namespace

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
