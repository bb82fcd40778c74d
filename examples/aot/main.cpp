// Calls functions of stats.rv compiled ahead of time into libstats (.so or
// .a): caller-owned memory in, ravel's results out, errors as codes.
#include "stats.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

ravel_array vector1d(std::vector<double>& v) {
  ravel_array a{};
  a.data = v.data();
  a.dtype = RAVEL_FLOAT64;
  a.ndim = 1;
  a.shape[0] = static_cast<int64_t>(v.size());
  a.strides[0] = sizeof(double);
  return a;
}

int failures = 0;

void check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  failures += !ok;
}

} // namespace

int main() {
  char error[1024];
  std::vector<double> x{1, 2, 3, 4, 5}, y{3, 4, 5, 6, 7};
  ravel_array xa = vector1d(x), ya = vector1d(y), result{};

  check(zscore(&xa, &result, error, sizeof error) == 0 && result.ndim == 1 &&
            result.shape[0] == 5 &&
            std::fabs(static_cast<double*>(result.data)[0] + std::sqrt(2.0)) < 1e-12,
        "zscore([1..5])[0] == -sqrt(2)");
  ravel_aot_release(&result);

  double want = 0;
  for (size_t i = 0; i < x.size(); ++i) want += std::sqrt(x[i] * x[i] + y[i] * y[i]);
  check(hypot_sum(&xa, &ya, &result, error, sizeof error) == 0 && result.ndim == 0 &&
            std::fabs(*static_cast<double*>(result.data) - want) < 1e-12,
        "hypot_sum(x, y) == sum(sqrt(x**2 + y**2))");
  ravel_aot_release(&result);

  // Every other element of x: any layout is fine.
  ravel_array every2 = xa;
  every2.shape[0] = 3;
  every2.strides[0] = 2 * sizeof(double);
  check(zscore(&every2, &result, error, sizeof error) == 0 &&
            std::fabs(static_cast<double*>(result.data)[2] - std::sqrt(1.5)) < 1e-12,
        "zscore(x[::2])[2] == sqrt(1.5)");
  ravel_aot_release(&result);

  // A 2x3 matrix: the result is m.T * k + 1, a 3x2 array.
  std::vector<double> m{1, 2, 3, 4, 5, 6};
  ravel_array ma = vector1d(m);
  ma.ndim = 2;
  ma.shape[0] = 2;
  ma.shape[1] = 3;
  ma.strides[0] = 3 * sizeof(double);
  ma.strides[1] = sizeof(double);
  bool ok = scaled(&ma, 10.0, &result, error, sizeof error) == 0 && result.ndim == 2 &&
            result.shape[0] == 3 && result.shape[1] == 2;
  if (ok) {
    auto at = [&](int i, int j) {
      return *reinterpret_cast<double*>(static_cast<char*>(result.data) + i * result.strides[0] +
                                        j * result.strides[1]);
    };
    ok = at(0, 1) == 41 && at(2, 0) == 31 && at(2, 1) == 61;
  }
  check(ok, "scaled(m, 10) == m.T * 10 + 1");
  ravel_aot_release(&result);

  // Errors come back as codes and messages, never a crash.
  std::vector<double> three{1, 2, 3};
  ravel_array short3 = vector1d(three);
  int status = hypot_sum(&xa, &short3, &result, error, sizeof error);
  check(status == 1 && std::strstr(error, "could not be broadcast") != nullptr,
        "hypot_sum of shapes (5,) and (3,) is a shape error");
  std::printf("  %s", error);
  ravel_array wrong = xa;
  wrong.dtype = RAVEL_INT64;
  status = zscore(&wrong, &result, error, sizeof error);
  check(status == 2 && std::strstr(error, "declared float64[:]") != nullptr,
        "an int64 array where float64[:] is declared is refused");
  std::printf("  %s\n", error);
  return failures == 0 ? 0 : 1;
}
