#!/usr/bin/env python3
"""`ravel compile` beyond the program comparison (compare.py):

- --cpu=native|x86-64-v2|x86-64-v3|x86-64-v4 executables print what the JIT
  prints; v2 code has no AVX registers, v4 code uses zmm;
- an executable refuses to start on a CPU without its extensions
  (simulated with RAVEL_AOT_PRETEND_MISSING), and an unknown --cpu is a
  command-line error;
- no LLVM or ANTLR in `ldd` of an executable;
- two --export objects link into one program (symbols unique per artefact);
- an input file missing when compiling: a warning, then a clear run-time
  error (not a crash), and a working program once compiled with the file;
- bad --export declarations and outputs are refused with a message.

Usage: targets_test.py --ravel build/tools/ravel
"""
import argparse
import os
import subprocess
import sys
import tempfile

SCRIPT = """\
x = linspace(0.0, 3.0, 1001)
print(sum(sin(x) * exp(-x)), mean(sqrt(x + 1)), (x ** 2).max())
print(tanh(x[::100]))
"""

LIB_A = "def scale(x, k):\n    return x * k\n"
LIB_B = "def shift(x):\n    return x + 1.0\n"

MAIN = r"""
#include "a.h"
#include "b.h"
#include <stdio.h>
int main(void) {
  double v[3] = {1, 2, 3};
  ravel_array x = {0};
  x.data = v; x.dtype = RAVEL_FLOAT64; x.ndim = 1; x.shape[0] = 3; x.strides[0] = 8;
  ravel_array r = {0}, s = {0};
  char err[512];
  if (scale(&x, 2.0, &r, err, sizeof err) || shift(&r, &s, err, sizeof err)) {
    printf("error: %s\n", err);
    return 1;
  }
  for (int i = 0; i < 3; ++i) printf("%g\n", ((double*)s.data)[i]);
  ravel_aot_release(&r);
  ravel_aot_release(&s);
  return 0;
}
"""

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ravel", required=True)
    args = ap.parse_args()
    ravel = os.path.abspath(args.ravel)
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        with open("m.rv", "w") as f:
            f.write(SCRIPT)
        want = run([ravel, "m.rv"]).stdout
        for cpu in ("native", "x86-64-v2", "x86-64-v3", "x86-64-v4"):
            exe = "m_" + cpu
            c = run([ravel, "compile", "m.rv", "-o", exe, "--cpu=" + cpu])
            check(c.returncode == 0, f"compile --cpu={cpu}: {c.stderr.strip()}")
            if c.returncode != 0:
                continue
            got = run(["./" + exe])
            if got.returncode == 1 and "which this CPU lacks" in got.stderr:
                print(f"note {cpu}: this machine cannot run it (refused at start-up, as it should)")
            else:
                check(got.returncode == 0 and got.stdout == want,
                      f"--cpu={cpu} prints what the JIT prints")
            asm = run(["objdump", "-d", exe]).stdout
            if cpu == "x86-64-v2":
                check("ymm" not in asm and "zmm" not in asm, "x86-64-v2 code uses no AVX registers")
            if cpu == "x86-64-v4":
                check("zmm" in asm, "x86-64-v4 code uses zmm registers")
        refused = run(["./m_x86-64-v3"], env=dict(os.environ, RAVEL_AOT_PRETEND_MISSING="avx2,fma"))
        check(refused.returncode == 1 and "compiled for x86-64-v3 and needs avx2, fma" in refused.stderr
              and not refused.stdout, "a v3 executable refuses a CPU without AVX2 and FMA")
        ran = run(["./m_x86-64-v2"], env=dict(os.environ, RAVEL_AOT_PRETEND_MISSING="avx2,fma"))
        check(ran.returncode == 0 and ran.stdout == want, "a v2 executable runs there")
        bad = run([ravel, "compile", "m.rv", "-o", "q", "--cpu=pentium"])
        check(bad.returncode == 2 and "unknown --cpu 'pentium'" in bad.stderr, "unknown --cpu refused")
        ldd = run(["ldd", "m_native"]).stdout
        check("libravel_aot" in ldd and "LLVM" not in ldd and "antlr" not in ldd.lower(),
              "ldd of an executable: libravel_aot, no LLVM, no ANTLR")

        # An input file missing at compile time: a warning then, a clear
        # error at run time, and a working program once compiled with it.
        with open("ld.rv", "w") as f:
            f.write('x = load("in.npy")\nprint(x.sum() * 2)\n')
        c = run([ravel, "compile", "ld.rv", "-o", "ld"])
        check(c.returncode == 0 and "warning: running ld.rv" in c.stderr and "cannot load" in c.stderr,
              "compiling without the input file warns")
        run([ravel, "-e", 'save("in.npy", arange(5.0))'])
        r = run(["./ld"])
        check(r.returncode == 1 and "the run that compiled it did not get here" in r.stderr
              and "ld.rv:2:" in r.stderr, "the executable then stops with a clear error")
        c = run([ravel, "compile", "ld.rv", "-o", "ld"])
        r = run(["./ld"])
        check(c.returncode == 0 and not c.stderr and r.stdout == "20.0\n",
              "compiled with the input file present, it runs")

        with open("a.rv", "w") as f:
            f.write(LIB_A)
        with open("b.rv", "w") as f:
            f.write(LIB_B)
        ca = run([ravel, "compile", "a.rv", "--export", "scale(float64[:], float64)", "-o", "a.o"])
        cb = run([ravel, "compile", "b.rv", "--export", "shift(float64[:])", "-o", "b.o"])
        check(ca.returncode == 0 and cb.returncode == 0, "two --export objects: " + ca.stderr + cb.stderr)
        libdir = None
        v = run([ravel, "compile", "m.rv", "-o", "m_v", "--verbose"]).stderr
        for word in v.split():
            if word.startswith("-L"):
                libdir = word[2:]
        with open("main.c", "w") as f:
            f.write(MAIN)
        link = run(["cc", "-I.", "main.c", "a.o", "b.o", "-L" + libdir, "-lravel_aot", "-lsleef", "-lm",
                    "-Wl,-rpath," + libdir, "-o", "two"])
        check(link.returncode == 0, "both objects link into one C program: " + link.stderr.strip())
        if link.returncode == 0:
            out = run(["./two"])
            check(out.stdout.split() == ["3", "5", "7"], "scale then shift: " + out.stdout + out.stderr)

        for decl, text in (("scale(float64[:]", "expected ',' or ')'"),
                           ("scale(complex128[:], float64)", "unknown dtype 'complex128'"),
                           ("nothere(float64[:])", "defines no function 'nothere'"),
                           ("scale(float64[:])", "takes 2 arguments")):
            r = run([ravel, "compile", "a.rv", "--export", decl, "-o", "x.so"])
            check(r.returncode == 2 and text in r.stderr, f"--export {decl!r} refused: {r.stderr.strip()}")
        r = run([ravel, "compile", "a.rv", "--export", "scale(float64[:], float64)", "-o", "prog"])
        check(r.returncode == 2 and "builds a library" in r.stderr, "--export with an executable output refused")
        r = run([ravel, "compile", "m.rv", "-o", "libm.so"])
        check(r.returncode == 2 and "needs at least one --export" in r.stderr, "a library without exports refused")
    print(f"targets: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
