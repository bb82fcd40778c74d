#!/usr/bin/env python3
"""Side-by-side timings of ravel, NumPy and numexpr on the same expressions.

Run with /usr/bin/python3 (Debian's NumPy and numexpr):
    /usr/bin/python3 bench/compare_numpy.py --ravel build/tools/ravel

ravel is timed by its own %timeit (compilation excluded); NumPy and numexpr
by timeit with the same repeat/loop policy. GB/s counts the bytes each
expression must read and write at least once (inputs + output).
"""
import argparse
import os
import re
import subprocess
import sys
import timeit

import numpy as np

N = 10_000_000
CASES = [
    # name, expression, arrays read, bytes written per element
    ("sqrt(x**2 + y**2)", "sqrt(x**2 + y**2)", 2, 8),
    ("sum(x)", "sum(x)", 1, 0),
    ("sum(sqrt(x**2 + y**2))", "sum(sqrt(x**2 + y**2))", 2, 0),
    ("exp(-x**2/2) * sin(y)", "exp(-x**2/2) * sin(y)", 2, 8),
]


# Indexing, views and joins (issue 3): statements run after ARRAY_SETUP on
# both sides; bytes are what each must read and write at least once.
ARRAY_SETUP = f"""random.seed(0)
x = random.rand({N})
y = random.rand({N})
z = x.copy()
i = arange(0, {N}, 3)
s = random.rand(1_000_000)
r = random.rand(1_000_000, 16)
t = random.rand(2000, 4000)
"""
ARRAY_CASES = [
    ("x[x > 0.5]", "b = x[x > 0.5]", N * (8 + 4)),
    ("z[z > 0.5] = 0.5", "z[z > 0.5] = 0.5", N * 16),
    ("x[i], i = arange(0, N, 3)", "g = x[i]", N * 8 + N // 3 * 16),
    ("sliding_window_view(s,16).mean(1)", "m = sliding_window_view(s, 16).mean(axis=1)", 16_000_000),
    ("sliding_window_view(s,16).sum(1)", "m = sliding_window_view(s, 16).sum(axis=1)", 16_000_000),
    ("sum(r, axis=1), r (1e6, 16)", "q = sum(r, axis=1)", 136_000_000),
    ("sum(r, axis=0), r (1e6, 16)", "q = sum(r, axis=0)", 128_000_000),
    # Issue 9's acceptance: statistics over either axis at memory speed.
    ("std(r, axis=0), r (1e6, 16)", "q = std(r, axis=0)", 128_000_000),
    ("argmax(r, axis=1), r (1e6, 16)", "q = argmax(r, axis=1)", 136_000_000),
    # Issue 13: transposing copies (cache-blocked tiles) and the MT19937 stream.
    ("t.T.reshape(-1), t (2000, 4000)", "u = t.T.reshape(-1)", 2000 * 4000 * 16),
    ("ascontiguousarray(t.T)", "u = ascontiguousarray(t.T)", 2000 * 4000 * 16),
    ("random.rand(N)", f"v = random.rand({N})", N * 8),
    ("Monte Carlo pi, N points", f"p = sum(random.rand({N})**2 + random.rand({N})**2 < 1.0) * 4 / {N}",
     N * 16),
    ("concatenate([x, y])", "c = concatenate([x, y])", N * 32),
    ("concatenate([x + 1, sqrt(y)])", "c = concatenate([x + 1, sqrt(y)])", N * 32),
]


# Matrix products (issue 8): float64, GFLOP/s = 2*m*n*k per product / time
# (machine peak ~106 GFLOP/s per core). Set RAVEL_NUM_THREADS and
# OPENBLAS_NUM_THREADS to the same count so both sides use as many threads.
MATMUL_SETUP = """random.seed(0)
a = random.rand(1000, 1000)
b = random.rand(1000, 1000)
X = random.rand(4096, 1024)
W1 = random.rand(1024, 1024) - 0.5
b1 = random.rand(1024)
W2 = random.rand(1024, 256)
b2 = random.rand(256)
s8a = random.rand(10000, 8, 8)
s8b = random.rand(10000, 8, 8)
s64a = random.rand(100, 64, 64)
s64b = random.rand(100, 64, 64)
ia = (random.rand(500, 500) * 100).astype(int64)
ib = (random.rand(500, 500) * 100).astype(int64)
ja = (random.rand(500, 500) * 100).astype(int32)
jb = (random.rand(500, 500) * 100).astype(int32)
fa = random.rand(1000, 1000).astype(float32)
fb = random.rand(1000, 1000).astype(float32)
def softmax(z):
    e = exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
"""
LAYER_FLOPS = 2 * 4096 * 1024 * 1024
FORWARD_FLOPS = 2 * 4096 * 1024 * 1024 + 2 * 4096 * 1024 * 256
MATMUL_CASES = [
    ("a @ b, 1000x1000", "c = a @ b", 2e9),
    ("a @ b.T, 1000x1000", "c = a @ b.T", 2e9),
    ("maximum(0, X@W1 + b1) @ W2 + b2", "y = maximum(0, X @ W1 + b1) @ W2 + b2", FORWARD_FLOPS),
    # The softmax's row maxima, row sums and division run on the product's
    # row panels (a row-panel group); the row above is the product alone.
    ("X @ W1 + b1, 4096x1024 @ 1024x1024", "z = X @ W1 + b1", LAYER_FLOPS),
    ("softmax(X @ W1 + b1)", "p = softmax(X @ W1 + b1)", LAYER_FLOPS),
    ("fa @ fb, 1000x1000 float32", "c = fa @ fb", 2e9),
    ("10000 x (8x8 @ 8x8)", "c = s8a @ s8b", 2 * 10000 * 8**3),
    ("100 x (64x64 @ 64x64)", "c = s64a @ s64b", 2 * 100 * 64**3),
    ("ia @ ib, 500x500 int64", "c = ia @ ib", 2 * 500**3),
    ("ja @ jb, 500x500 int32", "c = ja @ jb", 2 * 500**3),
]


# Axis reductions (issue 13): a reduced axis that is not the inner memory axis
# streams the input in memory order into a vector of accumulators. Each case
# sets up its own arrays (10^4 x 10^4 float64 is 800 MB); GB/s counts the
# input read once. ravel runs with 1 and 2 threads (RAVEL_NUM_THREADS).
AXIS_CASES = [
    # name, setup, statement, bytes read
    ("a.sum(axis=0), 10^4x10^4 f64", "a = random.rand(10000, 10000)", "s = a.sum(axis=0)", 8e8),
    ("a.max(axis=0), 10^4x10^4 f64", "a = random.rand(10000, 10000)", "s = a.max(axis=0)", 8e8),
    ("a.sum(axis=1), 10^4x10^4 f64", "a = random.rand(10000, 10000)", "s = a.sum(axis=1)", 8e8),
    ("a.sum(axis=0), 4000x4000 f64", "a = random.rand(4000, 4000)", "s = a.sum(axis=0)", 1.28e8),
    ("a.min(axis=0), 4000x4000 f64", "a = random.rand(4000, 4000)", "s = a.min(axis=0)", 1.28e8),
    ("a.sum(axis=0), 4000x4000 f32", "a = random.rand(4000, 4000).astype(float32)",
     "s = a.sum(axis=0)", 6.4e7),
    ("a.sum(axis=0), 10^4x10^4 f32", "a = random.rand(10000, 10000).astype(float32)",
     "s = a.sum(axis=0)", 4e8),
    ("(a*b+1).sum(axis=0), 4000x4000", "a = random.rand(4000, 4000)\nb = random.rand(4000, 4000)",
     "s = (a*b+1).sum(axis=0)", 2.56e8),
    ("abs(a).max(axis=0), 4000x4000", "a = random.rand(4000, 4000) - 0.5", "s = abs(a).max(axis=0)",
     1.28e8),
    ("c.sum(axis=1), c (200,1000,500)", "c = random.rand(200, 1000, 500)", "s = c.sum(axis=1)", 8e8),
    ("i.sum(axis=0), 4000x4000 int32", "i = (random.rand(4000, 4000) * 100).astype(int32)",
     "s = i.sum(axis=0)", 6.4e7),
    ("a.T.sum(axis=1), 4000x4000 f64", "a = random.rand(4000, 4000)", "s = a.T.sum(axis=1)", 1.28e8),
]


def compare_axis(args):
    print(f"{'axis reductions':34} {'ravel 1 thread':>19} {'ravel 2 threads':>19} {'numpy':>19}")
    for name, setup, stmt, nbytes in AXIS_CASES:
        setup = "random.seed(0)\n" + setup + "\n"
        env = {}
        exec("from numpy import *", env)
        env.update(np=np, random=np.random)
        exec(setup, env)
        cols = []
        for threads in ("1", "2"):
            old = os.environ.get("RAVEL_NUM_THREADS")
            os.environ["RAVEL_NUM_THREADS"] = threads
            try:
                cols.append(ravel_time(args.ravel, stmt, setup))
            finally:
                if old is None:
                    del os.environ["RAVEL_NUM_THREADS"]
                else:
                    os.environ["RAVEL_NUM_THREADS"] = old
        cols.append(best_of(stmt, env))
        del env
        cells = [f"{t*1e3:7.2f} ms {nbytes/t/1e9:5.1f} GB/s" for t in cols]
        print(f"{name:34} " + " ".join(f"{c:>19}" for c in cells), flush=True)


def numpy_env():
    """NumPy's names as a ravel program sees them."""
    from numpy.lib.stride_tricks import sliding_window_view

    env = {}
    exec("from numpy import *", env)
    env.update(np=np, random=np.random, sum=np.sum, sliding_window_view=sliding_window_view)
    exec(ARRAY_SETUP, env)
    return env


def best_of(stmt, env):
    t = timeit.Timer(stmt, globals=env)
    loops, _ = t.autorange()
    runs = t.repeat(repeat=7, number=loops)
    return min(runs) / loops


def ravel_time(ravel, expr, setup=None):
    if setup is None:
        setup = f"random.seed(0)\nx = random.rand({N})\ny = random.rand({N})\n"
    prog = f"{setup}%timeit {expr}\n"
    out = subprocess.run([ravel, "-"], input=prog, capture_output=True, text=True, check=True).stdout
    m = re.match(r"([\d.]+) (s|ms|µs|ns) ± ([\d.]+) (s|ms|µs|ns)", out.strip())
    scale = {"s": 1, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}
    return float(m.group(1)) * scale[m.group(2)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ravel", default="build/tools/ravel")
    ap.add_argument("--matmul-only", action="store_true", help="only the matrix products")
    ap.add_argument("--axis-only", action="store_true", help="only the axis reductions")
    ap.add_argument("--arrays-only", action="store_true",
                    help="only indexing, views, joins, windows, transposes, random")
    args = ap.parse_args()
    if args.matmul_only:
        return compare_matmul(args)
    if args.axis_only:
        return compare_axis(args)
    if args.arrays_only:
        return compare_arrays(args)
    env = {"np": np, "x": np.random.rand(N), "y": np.random.rand(N)}
    env.update({k: getattr(np, k) for k in ("sqrt", "sum", "exp", "sin")})
    try:
        import numexpr as ne
        env["ne"] = ne
    except ImportError:
        ne = None
    print(f"N = {N:,} float64; GB/s = minimum bytes moved / time")
    print(f"{'expression':28} {'ravel':>16} {'numpy':>16} {'numexpr':>16}")
    for name, expr, reads, writes in CASES:
        nbytes = N * (8 * reads + writes)
        cols = []
        t_r = ravel_time(args.ravel, expr)
        cols.append(t_r)
        cols.append(best_of(expr, env))
        if ne is not None:
            # numexpr takes the same text; a reduction must be outermost, as here.
            cols.append(best_of(f"ne.evaluate('{expr}')", env))
        cells = [f"{t*1e3:7.2f} ms {nbytes/t/1e9:5.1f} GB/s" for t in cols]
        print(f"{name:28} " + " ".join(f"{c:>16}" for c in cells))
    print()
    compare_arrays(args)
    print()
    compare_axis(args)
    print()
    compare_matmul(args)


def compare_arrays(args):
    print(f"{'indexing, views, joins, windows':36} {'ravel':>16} {'numpy':>16}")
    env = numpy_env()
    for name, stmt, nbytes in ARRAY_CASES:
        cols = [ravel_time(args.ravel, stmt, ARRAY_SETUP), best_of(stmt, env)]
        cells = [f"{t*1e3:7.2f} ms {nbytes/t/1e9:5.1f} GB/s" for t in cols]
        print(f"{name:36} " + " ".join(f"{c:>16}" for c in cells))


def compare_matmul(args):
    threads = os.environ.get("RAVEL_NUM_THREADS", "all"), os.environ.get("OPENBLAS_NUM_THREADS", "all")
    print(f"{'matrix products (threads ravel/numpy: %s/%s)' % threads:44} {'ravel':>19} {'numpy':>19}")
    env = {}
    exec("from numpy import *", env)
    env.update(np=np, random=np.random)
    exec(MATMUL_SETUP, env)
    for name, stmt, flops in MATMUL_CASES:
        cols = [ravel_time(args.ravel, stmt, MATMUL_SETUP), best_of(stmt, env)]
        cells = [f"{t*1e3:7.2f} ms {flops/t/1e9:5.1f} GFLOP/s" for t in cols]
        print(f"{name:44} " + " ".join(f"{c:>19}" for c in cells))


if __name__ == "__main__":
    sys.exit(main())
