#!/usr/bin/env python3
"""Ahead-of-time executables against the JIT: every tests/programs/*.rv.

For each program (sorted by name), in fresh empty working directories:
  1. `RAVEL FILE`: stdout, stderr, exit status;
  2. `RAVEL compile FILE -o prog` (its compile-time run has a directory of
     its own, so files it saves are not there when prog runs), then `prog`:
     stdout, stderr, exit status.
They must be identical, byte for byte. A program that `ravel` rejects before
running it (a syntax or name error) must fail `ravel compile` with the same
message instead. Programs the differential test skips
(`# skip:`) are skipped here too; programs using %timeit print timings, so
only their exit status and the lines without timings are compared.

With --any-layout the executables run every kernel through its any-layout
variant (RAVEL_AOT_ANY_LAYOUT=1), which tests those variants on every
program.

Usage: compare.py --ravel build/tools/ravel --programs tests/programs [-k SUB]
                  [--any-layout] [--jobs N]
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from differential import Program  # noqa: E402  (the header rules: # skip:)

TIMEOUT_S = 120
TIMING = re.compile(r"per loop|\d+(\.\d+)? (ns|us|µs|ms|s) ")


def run(cmd, cwd, env=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=TIMEOUT_S,
                           env=env)
    except subprocess.TimeoutExpired:
        return None, b"", b"timed out"
    return p.returncode, p.stdout, p.stderr


def without_timings(b):
    return [l for l in b.decode("utf-8", "replace").splitlines() if not TIMING.search(l)]


def check(ravel, path, any_layout):
    prog = Program(path)
    name, timeit = prog.name, prog.timeit
    if prog.skip:
        return None, f"SKIP {name}: {prog.skip}"
    env = dict(os.environ)
    env.pop("RAVEL_AOT_ANY_LAYOUT", None)
    with tempfile.TemporaryDirectory(prefix="ravel-aot-") as tmp:
        jit_cwd, compile_cwd, run_cwd = (os.path.join(tmp, d) for d in ("jit", "compile", "run"))
        for d in (jit_cwd, compile_cwd, run_cwd):
            os.mkdir(d)
        want = run([ravel, path], jit_cwd, env)
        exe = os.path.join(tmp, "prog")
        rc, out, err = run([ravel, "compile", path, "-o", exe], compile_cwd, env)
        if rc == 1 and want[0] == 1 and not want[1] and err == want[2]:
            # An error found before the program runs (syntax, names) is
            # reported by `ravel compile`, as `ravel` reports it.
            return True, f"ok {name} (compile-time error)"
        if rc != 0:
            return False, f"FAIL {name}: ravel compile exited {rc}:\n{err.decode('utf-8', 'replace')}"
        if any_layout:
            env["RAVEL_AOT_ANY_LAYOUT"] = "1"
        got = run([exe], run_cwd, env)
    problems = []
    if want[0] != got[0]:
        problems.append(f"exit status {got[0]}, the JIT's {want[0]}")
    for what, a, b in (("stdout", want[1], got[1]), ("stderr", want[2], got[2])):
        same = without_timings(a) == without_timings(b) if timeit else a == b
        if not same:
            problems.append(f"{what} differs:\n--- JIT\n{a.decode('utf-8', 'replace')[-3000:]}\n"
                            f"--- executable\n{b.decode('utf-8', 'replace')[-3000:]}")
    if problems:
        return False, f"FAIL {name}: " + "\n".join(problems)
    return True, f"ok {name}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ravel", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("-k", default="")
    ap.add_argument("--any-layout", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    ravel = os.path.abspath(args.ravel)
    paths = sorted(os.path.join(os.path.abspath(args.programs), f)
                   for f in os.listdir(args.programs) if f.endswith(".rv") and args.k in f)
    passed = failed = skipped = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for ok, message in pool.map(lambda p: check(ravel, p, args.any_layout), paths):
            if ok is None:
                skipped += 1
            elif ok:
                passed += 1
            else:
                failed += 1
                print(message, flush=True)
    print(f"aot: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
