#!/usr/bin/env python3
"""Per-iteration cost of a ravel loop against the same loop in Python+NumPy.

The loop (issue 10): `x = x * 0.5 + 1` on a 10-element float64 array,
100,000 iterations. ravel's figure is the wall time of `ravel loop.rv`
minus that of the same script with a 0-iteration loop (process start, JIT
set-up and the final print cancel out), divided by the iteration count.
NumPy's is timed in-process around the loop (time.perf_counter), under
/usr/bin/python3. The two alternate, `--repeat` times each, and the best
of each is reported, so both see the same machine load. Peak RSS of the
ravel run shows whether memory stays flat as the iteration count grows.

With --heat it also times the tour's heat-equation step function (20
explicit steps on a 1000x1000 grid, examples/tour.rv step 15): ravel by its
own %timeit, NumPy by timeit, best of the repeats.

Usage:
  loop_overhead.py --ravel build/tools/ravel [--iterations 100000] [--repeat 5] [--heat]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

NUMPY_PYTHON = os.environ.get("RAVEL_NUMPY_PYTHON", "/usr/bin/python3")

BODIES = {
    "x = x * 0.5 + 1": "x = arange(10.0)\nfor i in range({n}):\n    x = x * 0.5 + 1\nprint(x[:3])\n",
    # A loop whose test reads the array every iteration (a convergence test).
    # (the test never fails: x reaches 2.0, so the loop runs all n times).
    "while k < n and abs(x - 2).max() >= 0": (
        "x = arange(10.0)\nk = 0\nwhile k < {n} and abs(x - 2.0).max() >= 0.0:\n"
        "    x = x * 0.5 + 1\n    k += 1\nprint(x[:3])\n"
    ),
}

NUMPY_TIMER = """
import time, numpy as np
from numpy import *
src = open({path!r}).read()
code = compile(src, 'loop', 'exec')
g = {{'arange': np.arange, 'abs': np.abs, '__builtins__': __builtins__}}
t = time.perf_counter()
exec(code, g)
print('@@', time.perf_counter() - t)
"""


def run_ravel(ravel, path):
    """Wall seconds and peak RSS (KiB) of one ravel run."""
    t = time.perf_counter()
    p = subprocess.run(
        ["/usr/bin/time", "-f", "@@rss %M", ravel, path], capture_output=True, text=True
    )
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"ravel failed on {path}:\n{p.stderr}")
    rss = int(re.search(r"@@rss (\d+)", p.stderr).group(1))
    return wall, rss


def run_numpy(path):
    p = subprocess.run(
        [NUMPY_PYTHON, "-c", NUMPY_TIMER.format(path=path)], capture_output=True, text=True
    )
    if p.returncode != 0:
        sys.exit(f"numpy failed on {path}:\n{p.stderr}")
    return float(re.search(r"@@ ([0-9.e-]+)", p.stdout).group(1))


HEAT = """def heat(u, alpha, tol, max_steps):
    for step in range(max_steps):
        interior = u[1:-1, 1:-1]
        lap = u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4 * interior
        change = abs(alpha * lap).max()
        u[1:-1, 1:-1] = interior + alpha * lap
        if change < tol:
            return step + 1
    return max_steps
grid = zeros((1000, 1000))
grid[0, :] = 100.0
"""

NUMPY_HEAT = """
import timeit
from numpy import *
exec({src!r})
print('@@', min(timeit.repeat(lambda: heat(grid, 0.2, 0.0, 20), number=2, repeat={repeat})) / 2)
"""


def time_heat(ravel, repeat, tmp):
    path = os.path.join(tmp, "heat.rv")
    with open(path, "w") as f:
        f.write(HEAT + "%timeit heat(grid, 0.2, 0.0, 20)\n")
    out = subprocess.run([ravel, path], capture_output=True, text=True, check=True).stdout
    value, unit = re.search(r"([0-9.]+) (s|ms|\S*s) \u00b1", out).groups()
    scale = {"s": 1.0, "ms": 1e-3}.get(unit, 1e-6)
    ravel_s = float(value) * scale
    p = subprocess.run([NUMPY_PYTHON, "-c", NUMPY_HEAT.format(src=HEAT, repeat=repeat)],
                       capture_output=True, text=True, check=True)
    numpy_s = float(re.search(r"@@ ([0-9.e-]+)", p.stdout).group(1))
    print("heat equation, 20 steps on 1000x1000 (tour step 15):")
    print(f"  ravel  {ravel_s * 1e3:8.1f} ms (%timeit mean)")
    print(f"  numpy  {numpy_s * 1e3:8.1f} ms (timeit best)")
    print(f"  ravel is {numpy_s / ravel_s:.2f}x NumPy's speed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ravel", required=True)
    ap.add_argument("--iterations", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--heat", action="store_true")
    args = ap.parse_args()
    n = args.iterations
    with tempfile.TemporaryDirectory(prefix="ravel-loop-") as tmp:
        if args.heat:
            time_heat(args.ravel, args.repeat, tmp)
        for label, template in BODIES.items():
            paths = {}
            for count in (0, n):
                paths[count] = os.path.join(tmp, f"loop{count}.rv")
                with open(paths[count], "w") as f:
                    f.write(template.format(n=count))
            best = {"ravel": float("inf"), "base": float("inf"), "numpy": float("inf")}
            rss = {}
            for _ in range(args.repeat):
                wall, rss[n] = run_ravel(args.ravel, paths[n])
                best["ravel"] = min(best["ravel"], wall)
                wall0, rss[0] = run_ravel(args.ravel, paths[0])
                best["base"] = min(best["base"], wall0)
                best["numpy"] = min(best["numpy"], run_numpy(paths[n]))
            ravel_us = max(best["ravel"] - best["base"], 0.0) / n * 1e6
            numpy_us = best["numpy"] / n * 1e6
            print(f"{label}: {n} iterations")
            print(f"  ravel  {ravel_us:7.3f} us/iteration  (peak RSS {rss[n]} KiB; "
                  f"{rss[0]} KiB with 0 iterations)")
            print(f"  numpy  {numpy_us:7.3f} us/iteration")
            print(f"  ravel is {numpy_us / ravel_us if ravel_us else float('inf'):.2f}x "
                  f"NumPy's speed")


if __name__ == "__main__":
    main()
