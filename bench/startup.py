#!/usr/bin/env python3
"""Start-up of a small script: kernels compiled, read from the cache, or
compiled ahead of time.

Runs a three-kernel script with the persistent kernel cache off (every run
compiles), then with a warm cache (every run links the stored objects), then
as an executable from `ravel compile`, and prints the median wall time of
each, the JIT's own time per kernel from `ravel --stats`, and the same script
under NumPy for scale. Then the speed of the kernels themselves:
`%timeit sqrt(x**2 + y**2)` on 10^7 float64 (warm buffers) from a fresh JIT
compile, from the cache and from the executable.

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


KERNEL_SCRIPT = """\
x = random.rand(10**7)
y = random.rand(10**7)
r = empty(10**7)
%timeit sqrt(x**2 + y**2, out=r)
"""


def timeit_ms(text):
    m = re.search(r"([\d.]+) (ns|us|µs|ms|s) ± ", text)
    scale = {"ns": 1e-6, "us": 1e-3, "µs": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]
    return float(m.group(1)) * scale


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
        exe = os.path.join(tmp, "three")
        subprocess.run([args.ravel, "compile", script, "-o", exe], env=env, check=True)
        aot_walls = [timed([exe], env)[0] * 1e3 for _ in range(args.runs)]
        kscript = os.path.join(tmp, "kernel.rv")
        with open(kscript, "w") as f:
            f.write(KERNEL_SCRIPT)
        kexe = os.path.join(tmp, "kernel")
        subprocess.run([args.ravel, "compile", kscript, "-o", kexe], env=env, check=True)
        speeds = [("fresh JIT compile", timeit_ms(timed([args.ravel, "--no-cache", kscript], env)[1].stdout)),
                  ("kernel cache", timeit_ms(timed([args.ravel, kscript], env)[1].stdout)),
                  ("ahead of time", timeit_ms(timed([kexe], env)[1].stdout))]
        numpy_script = "import numpy as np\nfrom numpy import *\n" + SCRIPT
        numpy_walls = [timed(["/usr/bin/python3", "-c", numpy_script], env)[0] * 1e3
                       for _ in range(args.runs)]
    print(f"{'':24} {'wall ms':>9} {'JIT ms':>8} {'per kernel':>11}  (median of {args.runs})")
    for label, wall, jit, kernels in rows:
        print(f"{label:24} {wall:9.1f} {jit:8.2f} {jit / kernels:9.2f} ms  ({kernels} kernels)")
    print(f"{'ahead of time':24} {statistics.median(aot_walls):9.1f}")
    print(f"{'NumPy (python3 -c)':24} {statistics.median(numpy_walls):9.1f}")
    print("\nsqrt(x**2 + y**2, out=r), 10^7 float64, warm buffers (%timeit):")
    for label, ms in speeds:
        print(f"  {label:22} {ms:7.2f} ms  {3 * 8e7 / ms / 1e6:5.1f} GB/s")


if __name__ == "__main__":
    main()
