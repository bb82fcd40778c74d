"""NumPy's per-call time for bench/BenchEmbed.cpp's work: sqrt(x**2 + y**2)
of 8 float64 elements into an existing array (run with /usr/bin/python3)."""
import timeit

import numpy as np

x = np.full(8, 3.0)
y = np.full(8, 4.0)
out = np.empty(8)
for name, stmt in [("into out", "np.sqrt(x**2 + y**2, out=out)"),
                   ("new result", "np.sqrt(x**2 + y**2)")]:
    timer = timeit.Timer(stmt, globals=globals())
    n, _ = timer.autorange()
    best = min(timer.repeat(repeat=7, number=n)) / n
    print(f"numpy {name}: {best * 1e9:.0f} ns per call (best of 7 x {n})")
