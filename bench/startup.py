#!/usr/bin/env python3
"""Start-up of a small script: every kernel compiled vs read from the cache.

Runs a three-kernel script with the persistent kernel cache off (every run
compiles), then with a warm cache (every run links the stored objects), and
prints the median wall time of each, the JIT's own time per kernel from
`ravel --stats`, and the same script under NumPy for scale.

    bench/startup.py --ravel build/tools/ravel [--runs 15]
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

SCRIPT = """\
x = linspace(0.0, 1.0, 100001)
y = sin(x) * 2 + x
print(sum(y * y))
z = sqrt(abs(y - 1.5))
print(z[::25000])
print(mean(exp(-x)))
"""


def timed(cmd, env):
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ravel", default="build/tools/ravel")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "three.rv")
        with open(script, "w") as f:
            f.write(SCRIPT)
        env = dict(os.environ, RAVEL_CACHE_DIR=os.path.join(tmp, "cache"))
        env.pop("RAVEL_NO_CACHE", None)
        rows = []
        for label, extra in (("compiled every run", ["--no-cache"]), ("warm kernel cache", [])):
            if not extra:
                timed([args.ravel, script], env)  # fills the cache
            walls, jit_ms, kernels = [], [], 0
            for _ in range(args.runs):
                wall, p = timed([args.ravel, "--stats", *extra, script], env)
                m = re.search(r"(\d+) compiled and (\d+) read from the kernel cache in ([\d.]+) ms",
                              p.stderr)
                kernels = int(m.group(1)) + int(m.group(2))
                walls.append(wall * 1e3)
                jit_ms.append(float(m.group(3)))
            rows.append((label, statistics.median(walls), statistics.median(jit_ms), kernels))
        numpy_script = "import numpy as np\nfrom numpy import *\n" + SCRIPT
        numpy_walls = [timed(["/usr/bin/python3", "-c", numpy_script], env)[0] * 1e3
                       for _ in range(args.runs)]
    print(f"{'':24} {'wall ms':>9} {'JIT ms':>8} {'per kernel':>11}  (median of {args.runs})")
    for label, wall, jit, kernels in rows:
        print(f"{label:24} {wall:9.1f} {jit:8.2f} {jit / kernels:9.2f} ms  ({kernels} kernels)")
    print(f"{'NumPy (python3 -c)':24} {statistics.median(numpy_walls):9.1f}")


if __name__ == "__main__":
    main()
