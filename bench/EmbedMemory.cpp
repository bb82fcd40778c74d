// Resident memory of a host that embeds ravel: wraps two std::vector<double>
// of 10^7 into f = sqrt(x**2 + y**2) written into a wrapped output (no copy
// of inputs or output: RSS grows by far less than one 80 MB array), then
// RSS over many compiled-function calls and many engine.run calls.
//   ravel_embed_memory [calls] [runs]
#include <ravel/ravel.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

long residentKiB() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(1 << 16, '\n');
  }
  return -1;
}

} // namespace

int main(int argc, char** argv) {
  const long calls = argc > 1 ? std::atol(argv[1]) : 1000000;
  const long runs = argc > 2 ? std::atol(argv[2]) : 100000;
  ravel::Engine engine;
  ravel::Function f = engine.compile("def f(x, y):\n    return np.sqrt(x**2 + y**2)\n");

  // Compile the kernel and start the worker pool first (a large call runs on
  // it), so the figure below is the call's own memory.
  {
    std::vector<double> a(1 << 16, 3.0), b(1 << 16, 4.0), r(1 << 16);
    f.into(ravel::Array::wrap(r), ravel::Array::wrap(a), ravel::Array::wrap(b));
  }
  constexpr size_t kBig = 10'000'000;
  std::vector<double> x(kBig, 3.0), y(kBig, 4.0), out(kBig, 0.0);
  const long before = residentKiB();
  f.into(ravel::Array::wrap(out), ravel::Array::wrap(x), ravel::Array::wrap(y));
  const long after = residentKiB();
  bool ok = out[0] == 5.0 && out[kBig - 1] == 5.0;
  std::printf("1e7 wrap: RSS %ld KiB -> %ld KiB (+%ld KiB; one array is %zu KiB), result %s\n",
              before, after, after - before, kBig * sizeof(double) / 1024, ok ? "ok" : "WRONG");
  x.clear(), x.shrink_to_fit(), y.clear(), y.shrink_to_fit(), out.clear(), out.shrink_to_fit();

  std::vector<double> a(8, 3.0), b(8, 4.0), r(8);
  ravel::Array wa = ravel::Array::wrap(a), wb = ravel::Array::wrap(b), wr = ravel::Array::wrap(r);
  for (int i = 0; i < 1000; ++i) f.into(wr, wa, wb); // warm up
  long start = residentKiB();
  for (long i = 0; i < calls; ++i) f.into(wr, wa, wb);
  long end = residentKiB();
  std::printf("%ld compiled calls: RSS %ld KiB -> %ld KiB (%+.1f bytes per call)\n", calls, start,
              end, double(end - start) * 1024 / double(calls));

  engine.set("x", wa);
  engine.set("y", wb);
  for (int i = 0; i < 1000; ++i) engine.run("r = np.sqrt(x**2 + y**2)");
  start = residentKiB();
  for (long i = 0; i < runs; ++i) engine.run("r = np.sqrt(x**2 + y**2)");
  end = residentKiB();
  std::printf("%ld engine.run calls: RSS %ld KiB -> %ld KiB (%+.1f bytes per run)\n", runs, start,
              end, double(end - start) * 1024 / double(runs));
  ok = ok && engine.get("r").array().at<double>({7}) == 5.0;
  return ok ? 0 : 1;
}
