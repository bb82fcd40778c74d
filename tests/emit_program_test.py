#!/usr/bin/env python3
"""--emit=llvm|asm|obj of a script with several kernels: one module each.

The IR must be accepted by llc, the assembly by as, and the object must be an
ELF relocatable that defines each distinct kernel --emit=kernels lists once,
even when the same kernel is launched twice and two kernels use the same
vector math helper (sin in both).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

SCRIPT = """\
x = arange(1000.0)
print(sum(sin(x)))
y = sin(x * 2) + 1
print(y[:3])
for i in range(3):
    x = x + i * exp(-x / 100)
print(mean(x))
a = arange(12.0).reshape(3, 4)
print(sum(a, axis=0))
print(sum(a, axis=0))
w = arange(10) * 3
print(w)
"""

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, timeout=300, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ravel", required=True)
    ap.add_argument("--llc", default="/usr/lib/llvm-19/bin/llc")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "multi.rv")
        with open(script, "w") as f:
            f.write(SCRIPT)
        kernels = run([args.ravel, "--emit=kernels", script], text=True)
        check(kernels.returncode == 0, f"--emit=kernels: {kernels.stderr}")
        names = sorted(set(re.findall(r"^(k\d+):", kernels.stdout, re.M)))
        check(len(names) >= 4, f"expected several kernels, got {names}")

        llvm = run([args.ravel, "--emit=llvm", script], text=True)
        check(llvm.returncode == 0, f"--emit=llvm: {llvm.stderr}")
        check(llvm.stdout.count("; ModuleID") == 1, "--emit=llvm is not one module")
        defined = sorted(re.findall(r"^define [^@]*@(k\d+)\(", llvm.stdout, re.M))
        # A kernel's code does not depend on its sizes: the sum launched twice
        # and y computed for y[:3] and then whole are each defined once.
        check(set(defined) <= set(names) and 4 <= len(defined) < len(names),
              f"--emit=llvm defines {defined}, kernels are {names}")
        ll = os.path.join(tmp, "multi.ll")
        with open(ll, "w") as f:
            f.write(llvm.stdout)
        p = run([args.llc, "-O2", "-filetype=obj", ll, "-o", os.path.join(tmp, "llc.o")], text=True)
        check(p.returncode == 0, f"llc rejects --emit=llvm: {p.stderr[:2000]}")

        asm = run([args.ravel, "--emit=asm", script], text=True)
        check(asm.returncode == 0, f"--emit=asm: {asm.stderr}")
        s = os.path.join(tmp, "multi.s")
        with open(s, "w") as f:
            f.write(asm.stdout)
        p = run(["as", s, "-o", os.path.join(tmp, "as.o")], text=True)
        check(p.returncode == 0, f"as rejects --emit=asm: {p.stderr[:2000]}")

        obj = run([args.ravel, "--emit=obj", script])
        check(obj.returncode == 0, f"--emit=obj: {obj.stderr!r}")
        check(obj.stdout[:4] == b"\x7fELF", "--emit=obj is not an ELF file")
        o = os.path.join(tmp, "multi.o")
        with open(o, "wb") as f:
            f.write(obj.stdout)
        p = run(["nm", "--defined-only", o], text=True)
        check(p.returncode == 0, f"nm: {p.stderr}")
        exported = sorted(re.findall(r" T (k\d+)$", p.stdout, re.M))
        check(exported == defined, f"--emit=obj exports {exported}, the IR defines {defined}")
        # ld -r accepts it as a relocatable object.
        p = run(["ld", "-r", o, "-o", os.path.join(tmp, "relinked.o")], text=True)
        check(p.returncode == 0, f"ld -r rejects --emit=obj: {p.stderr}")

        bad = run([args.ravel, "--emit=object", script], text=True)
        check(bad.returncode != 0 and "unknown stage" in bad.stderr,
              f"--emit=object should be a usage error: {bad.stderr}")
    if failures:
        print(f"{len(failures)} failures")
        return 1
    print(f"ok: {len(names)} launches, {len(defined)} kernels in one module as IR, assembly and object")
    return 0


if __name__ == "__main__":
    sys.exit(main())
