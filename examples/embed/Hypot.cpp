// Embedding ravel: sqrt(x**2 + y**2) of two host vectors of 10^7 doubles,
// written into a host output vector; ravel reads and writes the vectors'
// own memory (no copies).
#include <ravel/ravel.h>

#include <cmath>
#include <cstdio>
#include <vector>

int main() {
  try {
    ravel::Engine engine;
    ravel::Function hypot = engine.compile("def hypot(x, y):\n"
                                           "    return np.sqrt(x**2 + y**2)\n");
    const size_t n = 10'000'000;
    std::vector<double> x(n), y(n), r(n);
    for (size_t i = 0; i < n; ++i) x[i] = double(i % 1000), y[i] = 1.0;
    hypot.into(ravel::Array::wrap(r), ravel::Array::wrap(x), ravel::Array::wrap(y));
    for (size_t i : {size_t(0), size_t(7), n - 1})
      if (r[i] != std::sqrt(x[i] * x[i] + 1.0)) {
        std::printf("wrong result at %zu: %g\n", i, r[i]);
        return 1;
      }
    // Errors carry the rendered diagnostic.
    try {
      engine.run("bad = np.zeros(3) + np.zeros(4)", "bad.rv");
    } catch (const ravel::Error& e) {
      std::printf("expected error:\n%s", e.what());
    }
    std::printf("hypot of %zu elements: ok (r[7] = %g)\n", n, r[7]);
    return 0;
  } catch (const ravel::Error& e) {
    std::fprintf(stderr, "%s", e.what());
    return 1;
  }
}
