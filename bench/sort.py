#!/usr/bin/env python3
"""np.sort against ravel's sort: 1e7 float64 (random.rand), and int64.

Times `sort(x)` with ravel's %timeit and with NumPy's timeit (best of 7
runs, the same as IPython's mean is not: both lines are printed as measured).

    bench/sort.py --ravel build/tools/ravel [--n 10000000]
"""
import argparse
import subprocess
import timeit

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ravel", default="build/tools/ravel")
    ap.add_argument("--n", type=int, default=10_000_000)
    args = ap.parse_args()
    n = args.n
    script = (f"random.seed(0)\nx = random.rand({n})\ni = (x * 1e9).astype(int64)\n"
              "%timeit sort(x)\n%timeit sort(i)\n")
    out = subprocess.run([args.ravel, "-e", script], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    np.random.seed(0)
    x = np.random.rand(n)
    i = (x * 1e9).astype(np.int64)
    for label, arr, line in (("float64", x, lines[0]), ("int64", i, lines[1])):
        t = timeit.Timer(lambda: np.sort(arr))
        loops, _ = t.autorange()
        runs = [t.timeit(loops) / loops for _ in range(7)]
        mean = sum(runs) / len(runs)
        print(f"sort {n:,} {label}: ravel {line}")
        print(f"sort {n:,} {label}: numpy {mean * 1e3:.1f} ms per loop (mean of 7 runs)")


if __name__ == "__main__":
    main()
