#!/usr/bin/env python3
"""Grid test of the elementwise ufuncs (numexpr's style): every ufunc x
every dtype (every dtype pair for binary ones) x operand position (array op
array, array op Python scalar, Python scalar op array) x special values
(+-0, +-inf, nan, halves, int extremes), under ravel and under NumPy 1.24
with NEP 50 ('weak') promotion.

1. For each case, NumPy computes the result first (warnings ignored). A case
   NumPy rejects, or answers with float16/int8 (dtypes ravel does not have),
   must be a TypeError in ravel: each such case is a tiny program of its own
   that must exit 1 with "type error".
2. All other cases go into one ravel program (inside errstate(all='ignore'))
   that prints, per case, its dtype and every element as a NumPy scalar (17
   significant digits). The same lines are printed from NumPy's results.
3. Lines are compared exactly, except for the SLEEF-backed transcendentals,
   where 2 ulp of relative difference is allowed (float64 4.5e-16, float32
   2.4e-7; see docs/language.md for each function's bound).

Usage: ufunc_grid.py --ravel build/tools/ravel [--keep DIR] [-j 2]
"""

import argparse
import concurrent.futures
import math
import os
import re
import subprocess
import sys
import tempfile
import warnings

import numpy as np

np._set_promotion_state("weak")

UNARY = ["floor", "ceil", "trunc", "rint", "sign", "isnan", "isinf", "isfinite", "log10",
         "log2", "log1p", "expm1", "exp2", "arcsin", "arccos", "arctan", "sinh", "cosh", "tan",
         "square", "reciprocal", "logical_not", "around", "cbrt", "arcsinh", "arccosh",
         "arctanh", "fabs", "positive", "signbit", "spacing", "deg2rad", "radians", "rad2deg",
         "degrees", "modf[0]", "modf[1]", "frexp[0]", "frexp[1]"]
BINARY = ["arctan2", "hypot", "copysign", "heaviside", "fmod", "fmax", "fmin", "logical_and",
          "logical_or", "logical_xor", "left_shift", "right_shift", "gcd", "lcm", "nextafter",
          "ldexp", "logaddexp", "logaddexp2", "divmod[0]", "divmod[1]", "float_power"]
APPROX = {"log10", "log2", "log1p", "expm1", "exp2", "arcsin", "arccos", "arctan", "sinh",
          "cosh", "tan", "arctan2", "cbrt", "arcsinh", "arccosh", "arctanh", "logaddexp",
          "logaddexp2"}

DTYPES = ["bool", "int32", "int64", "float32", "float64"]
VALUES = {
    "bool": "[True, False]",
    "int32": "[-2147483648, -7, -1, 0, 1, 2, 7, 31, 2147483647]",
    "int64": "[-9223372036854775808, -7, -1, 0, 1, 2, 7, 63, 9223372036854775807]",
    "float32": "[-inf, -2.5, -1.0, -0.5, -0.0, 0.0, 1e-40, 0.5, 1.0, 1.5, 2.5, 3e38, inf, nan]",
    "float64": "[-inf, -1e300, -2.5, -1.0, -0.5, -0.0, 0.0, 5e-324, 0.5, 1.0, 1.5, 2.5, 1e300, "
               "inf, nan]",
}
# Small vectors for the binary pairs (their outer product is the grid).
PAIR_VALUES = {
    "bool": "[True, False]",
    "int32": "[-2147483648, -7, 0, 3, 2147483647]",
    "int64": "[-9223372036854775808, -7, -1, 0, 3, 64]",
    "float32": "[-inf, -2.5, -0.0, 0.0, 1.5, inf, nan]",
    "float64": "[-inf, -1e300, -2.5, -0.0, 0.0, 1.5, inf, nan]",
}
SCALARS = ["2", "-1", "0", "2.5", "-0.0", "True"]


def call(f, args):
    """The call of ufunc f: "modf[1]" is modf's second output."""
    name, bracket, rest = f.partition("[")
    return f"{name}({args})" + (bracket + rest if bracket else "")


def cases():
    """(name, ufunc, expression) with arrays a (dtype d1) and b (dtype d2)."""
    out = []
    for f in UNARY:
        for d in DTYPES:
            arr = f"array({VALUES[d]}, dtype={d})"
            out.append((f"{f}({d})", f, call(f, arr)))
            if d in ("float32", "float64") and f == "around":
                for dec in (1, 2, -1):
                    out.append((f"around({d},{dec})", f, f"around({arr}, {dec})"))
        for s in SCALARS:
            out.append((f"{f}({s})", f, call(f, s)))
    for f in BINARY:
        for d1 in DTYPES:
            a = f"array({PAIR_VALUES[d1]}, dtype={d1})"
            for d2 in DTYPES:
                b = f"array({PAIR_VALUES[d2]}, dtype={d2})"
                out.append((f"{f}({d1},{d2})", f, call(f, f"{a}[:, None], {b}")))
            for s in SCALARS:
                out.append((f"{f}({d1},{s})", f, call(f, f"{a}, {s}")))
                out.append((f"{f}({s},{d1})", f, call(f, f"{s}, {a}")))
    return out


def numpy_env():
    env = {
        f.partition("[")[0]: getattr(np, f.partition("[")[0]) for f in UNARY + BINARY}
    env.update(array=np.array, inf=np.inf, nan=np.nan, bool=np.bool_, int32=np.int32,
               int64=np.int64, float32=np.float32, float64=np.float64)
    return env


def scalar_text(x):
    return str(x)  # NumPy scalars print their shortest repr, as ravel does


def numpy_line(tag, r):
    r = np.asarray(r)
    return f"{tag} {r.dtype} " + " ".join(scalar_text(v) for v in r.ravel())


def ravel_print(tag, expr, size):
    items = ", ".join(f"r.ravel()[{k}]" for k in range(size))
    sep = ", " if items else ""
    return f"    r = {expr}\n    print('{tag}', r.dtype{sep}{items})\n"


NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)")


def close(expected, actual, tol):
    e, a = expected.split(), actual.split()
    if len(e) != len(a):
        return False
    for x, y in zip(e, a):
        if x == y:
            continue
        if not (NUMBER.fullmatch(x) and NUMBER.fullmatch(y)):
            return False
        fx, fy = float(x), float(y)
        if math.isnan(fx) or math.isnan(fy) or math.isinf(fx) or math.isinf(fy):
            return False
        if not math.isclose(fx, fy, rel_tol=tol, abs_tol=0.0):
            return False
    return True


def run_ravel(ravel, path):
    return subprocess.run([ravel, path], capture_output=True, text=True, timeout=300)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ravel", required=True)
    ap.add_argument("--keep", help="write the generated programs here")
    ap.add_argument("-j", type=int, default=2)
    args = ap.parse_args()
    env = numpy_env()
    good, bad = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for tag, f, expr in cases():
            try:
                r = eval(expr, dict(env))
            except TypeError:
                bad.append((tag, expr))
                continue
            # A two-output ufunc is refused when either output is.
            whole = eval(expr[:expr.rindex("[")], dict(env)) if "[" in f else (r,)
            if any(np.asarray(x).dtype.name in ("float16", "int8") for x in whole):
                bad.append((tag, expr))
                continue
            good.append((tag, f, expr, numpy_line(tag, r), np.asarray(r).size))
    workdir = args.keep or tempfile.mkdtemp(prefix="ufunc_grid_")
    os.makedirs(workdir, exist_ok=True)
    program = "with errstate(all='ignore'):\n" + "".join(
        ravel_print(tag, expr, size) for tag, _, expr, _, size in good)
    path = os.path.join(workdir, "grid.rv")
    with open(path, "w") as fh:
        fh.write(program)
    failures = 0
    res = run_ravel(args.ravel, path)
    if res.returncode != 0:
        print(f"FAIL {path}: ravel exited {res.returncode}\n{res.stderr[-3000:]}")
        return 1
    got = res.stdout.splitlines()
    if len(got) != len(good):
        print(f"FAIL: {len(got)} lines from ravel, {len(good)} expected")
        failures += 1
    for (tag, f, expr, want, _), line in zip(good, got):
        if line == want:
            continue
        tol = 0.0
        if f in APPROX:
            tol = 2.4e-7 if "float32" in want.split()[1] else 4.5e-16
        if tol and close(want, line, tol):
            continue
        failures += 1
        if failures <= 30:
            print(f"FAIL {tag}: {expr}\n  numpy: {want}\n  ravel: {line}")

    def check_error(item):
        i, (tag, expr) = item
        p = os.path.join(workdir, f"err{i}.rv")
        with open(p, "w") as fh:
            fh.write(f"print({expr})\n")
        r = run_ravel(args.ravel, p)
        ok = r.returncode == 1 and "type error" in r.stderr and "^" in r.stderr
        return tag, expr, ok, r

    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        for tag, expr, ok, r in pool.map(check_error, enumerate(bad)):
            if not ok:
                failures += 1
                print(f"FAIL {tag}: NumPy rejects it (or float16/int8), ravel: exit "
                      f"{r.returncode}\n  {expr}\n  {r.stdout[:200]}{r.stderr[:300]}")
    print(f"ufunc grid: {len(good)} cases in one program ({sum(g[4] for g in good)} values), "
          f"{len(bad)} TypeError cases; {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
