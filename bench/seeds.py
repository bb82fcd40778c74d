#!/usr/bin/env python3
"""The seed workloads (issue 13's table), same run: ravel at 1 and 2 threads,
NumPy, and hand-written C++ (bench/SeedsHand.cpp).

Run from the repository root with Debian's Python (NumPy 1.24):
    /usr/bin/python3 bench/seeds.py --ravel build/tools/ravel \
        --hand build/bench/ravel_seeds_hand

ravel is timed by its own %timeit (mean of the runs, compilation excluded);
NumPy by timeit (best of 7); the C++ loops by their best run. Every side
works on warm buffers except where a workload allocates by nature (NumPy's
Minesweeper pads into fresh memory on each call, as its program does). GB/s
counts the bytes each workload must read and write at least once; the
"read bandwidth" line is the hand-written sum over 800 MB, the machine's
streaming read rate in this run.
"""
import argparse
import os
import re
import subprocess
import sys
import timeit

import numpy as np

MINES = """random.seed(1)
board = random.rand(4000, 4000) < 0.2
def neighbours(b):
    p = zeros((b.shape[0] + 2, b.shape[1] + 2), int32)
    p[1:-1, 1:-1] = b
    return (p[:-2, :-2] + p[:-2, 1:-1] + p[:-2, 2:] + p[1:-1, :-2] + p[1:-1, 2:]
            + p[2:, :-2] + p[2:, 1:-1] + p[2:, 2:])
"""
N7 = 10_000_000
VECTORS = f"""random.seed(0)
a = random.rand({N7})
b = random.rand({N7})
c = random.rand({N7})
af = a.astype(float32)
bf = b.astype(float32)
cf = c.astype(float32)
af.strides, bf.strides, cf.strides
"""
# (`.strides` computes a lazy value in ravel: the float32 rows then read
# float32 arrays in memory, as NumPy's do, not the float64 sources.)

# key (hand loop name or None), name, setup, statement, bytes moved
ROWS = [
    ("colsum", "a.sum(axis=0), 10^4 x 10^4 f64", "random.seed(0)\na = random.rand(10000, 10000)",
     "s = a.sum(axis=0)", 8e8),
    ("colmean", "a.mean(axis=0), 10^4 x 10^4 f64", "random.seed(0)\na = random.rand(10000, 10000)",
     "m = a.mean(axis=0)", 8e8),
    ("window", "sliding_window_view(x, 16).mean(axis=1), 10^7",
     f"random.seed(0)\nx = random.rand({N7})", "m = sliding_window_view(x, 16).mean(axis=1)", 1.6e8),
    ("mines", "Minesweeper neighbours, 4000 x 4000", MINES, "n = neighbours(board)", 4000 * 4000 * 5),
    ("transpose", "a.T.reshape(-1), 4000 x 8000", "random.seed(0)\na = random.rand(4000, 8000)",
     "u = a.T.reshape(-1)", 4000 * 8000 * 16),
    ("pi", "Monte Carlo pi, 10^7 points", "random.seed(0)",
     f"p = sum(random.rand({N7})**2 + random.rand({N7})**2 < 1.0) * 4 / {N7}", 1.6e8),
    (None, "c = a + b, 5 elements", "a = arange(5.0)\nb = arange(5.0)", "c = a + b", 120),
    ("sum", "sum(x), 10^8", "random.seed(0)\nx = random.rand(100000000)", "s = sum(x)", 8e8),
    ("hypot6", "sqrt(x**2 + y**2), 10^6 (in cache)",
     "random.seed(0)\nx = random.rand(1000000)\ny = random.rand(1000000)", "r = sqrt(x**2 + y**2)",
     2.4e7),
    ("hypot7", "sqrt(a**2 + b**2), 10^7", VECTORS, "r = sqrt(a**2 + b**2)", 2.4e8),
    ("axpb64", "a*b + c, 10^7 f64", VECTORS, "r = a*b + c", 3.2e8),
    ("axpb32", "a*b + c, 10^7 f32", VECTORS, "r = af*bf + cf", 1.6e8),
    ("norm64", "sqrt(sum(a**2)), 10^7 f64", VECTORS, "r = sqrt(sum(a**2))", 8e7),
    ("norm32", "sqrt(sum(a**2)), 10^7 f32", VECTORS, "r = sqrt(sum(af**2))", 4e7),
    ("expsin64", "exp(-x**2/2)*sin(x), 10^7 f64", VECTORS, "r = exp(-a**2/2)*sin(a)", 1.6e8),
    ("expsin32", "exp(-x**2/2)*sin(x), 10^7 f32", VECTORS, "r = exp(-af**2/2)*sin(af)", 8e7),
    (None, "x = zeros((10000, 20000))", "", "x = zeros((10000, 20000))", 0),
]


def ravel_time(ravel, setup, stmt, threads):
    prog = f"{setup}\n%timeit {stmt}\n"
    env = dict(os.environ, RAVEL_NUM_THREADS=str(threads))
    run = subprocess.run([ravel, "-"], input=prog, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        sys.exit(f"ravel failed on {stmt!r} (exit {run.returncode}):\n{run.stderr}")
    out = run.stdout
    m = re.search(r"([\d.]+) (s|ms|µs|ns) ± ", out)
    scale = {"s": 1, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}
    return float(m.group(1)) * scale[m.group(2)]


def numpy_time(setup, stmt):
    from numpy.lib.stride_tricks import sliding_window_view

    env = {}
    exec("from numpy import *", env)
    env.update(np=np, random=np.random, sum=np.sum, sliding_window_view=sliding_window_view)
    exec(setup, env)
    t = timeit.Timer(stmt, globals=env)
    loops, _ = t.autorange()
    return min(t.repeat(repeat=7, number=loops)) / loops


def hand_times(hand):
    out = subprocess.run([hand], capture_output=True, text=True, check=True).stdout
    return {name: float(s) for name, s in (line.split() for line in out.splitlines())}


def cell(t, nbytes):
    if t is None:
        return "-"
    text = f"{t * 1e3:.3f} ms" if t < 1e-3 else f"{t * 1e3:.1f} ms"
    if t < 1e-5:
        text = f"{t * 1e9:.0f} ns"
    if nbytes > 1000:
        text += f" {nbytes / t / 1e9:.1f} GB/s"
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ravel", default="build/tools/ravel")
    ap.add_argument("--hand", default="build/bench/ravel_seeds_hand")
    ap.add_argument("-k", default="", help="only rows whose name contains this text")
    args = ap.parse_args()
    hand = hand_times(args.hand)
    print(f"read bandwidth (hand-written sum of 800 MB): {8e8 / hand['sum'] / 1e9:.1f} GB/s")
    header = ["workload", "ravel 1T", "ravel 2T", "NumPy", "hand C++", "NumPy/ravel", "ravel/hand"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for key, name, setup, stmt, nbytes in ROWS:
        if args.k not in name:
            continue
        r1 = ravel_time(args.ravel, setup, stmt, 1)
        r2 = ravel_time(args.ravel, setup, stmt, 2)
        npt = numpy_time(setup, stmt)
        h = hand.get(key) if key else None
        ratios = [f"{npt / r1:.2f}x", f"{r1 / h:.2f}x" if h else "-"]
        cells = [name, cell(r1, nbytes), cell(r2, nbytes), cell(npt, nbytes), cell(h, nbytes)]
        print("| " + " | ".join(cells + ratios) + " |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
