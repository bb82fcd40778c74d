#!/usr/bin/env python3
"""The persistent kernel cache through the ravel command.

A script run twice compiles its kernels once and reads them back the second
time with the same output; `ravel cache --info/--clear` report and empty it;
damaged entries, an unusable directory, a zero cap, --no-cache and several
processes at once all still give the right output.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

SCRIPT = """\
x = linspace(0.0, 1.0, 1001)
y = sin(x) * 2 + x
print(sum(y * y))
z = sqrt(abs(y - 1.5))
print(max(z), z[::100])
"""

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def run(ravel, script, env, *flags):
    p = subprocess.run([ravel, "--stats", *flags, script], env=env, capture_output=True,
                       text=True, timeout=300)
    m = re.search(r"kernels: (\d+) compiled and (\d+) read from the kernel cache", p.stderr)
    if p.returncode != 0 or not m:
        failures.append(f"ravel {' '.join(flags)} exited {p.returncode}: {p.stderr}")
        return p.stdout, -1, -1
    return p.stdout, int(m.group(1)), int(m.group(2))


def entries(cache_dir):
    d = os.path.join(cache_dir, "kernels-v1")
    return sorted(f for f in os.listdir(d) if f.endswith(".rko")) if os.path.isdir(d) else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ravel", required=True)
    ravel = ap.parse_args().ravel
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "three.rv")
        with open(script, "w") as f:
            f.write(SCRIPT)
        cache = os.path.join(tmp, "cache")
        env = dict(os.environ, RAVEL_CACHE_DIR=cache)
        env.pop("RAVEL_NO_CACHE", None)
        env.pop("RAVEL_CACHE_MAX_MB", None)

        expected, compiled, read = run(ravel, script, env)
        check(compiled >= 3 and read == 0, f"first run: {compiled} compiled, {read} read")
        kernels = compiled
        check(len(entries(cache)) == kernels, f"{len(entries(cache))} entries for {kernels}")

        out, compiled, read = run(ravel, script, env)
        check(out == expected, "second run's output differs")
        check(compiled == 0 and read == kernels, f"second run: {compiled} compiled, {read} read")

        info = subprocess.run([ravel, "cache", "--info"], env=env, capture_output=True, text=True)
        check(info.returncode == 0 and f"kernels: {kernels}," in info.stdout
              and os.path.join(cache, "kernels-v1") in info.stdout, f"cache --info: {info.stdout}")

        # Damaged entries of every kind: each is a miss, compiled and rewritten.
        for i, name in enumerate(entries(cache)):
            path = os.path.join(cache, "kernels-v1", name)
            data = open(path, "rb").read()
            damaged = [b"", data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 1])][i % 3]
            open(path, "wb").write(damaged)
        out, compiled, read = run(ravel, script, env)
        check(out == expected, "output differs after the entries were damaged")
        check(compiled == kernels and read == 0, f"damaged: {compiled} compiled, {read} read")
        out, compiled, read = run(ravel, script, env)
        check(out == expected and read == kernels, f"repaired: {compiled} compiled, {read} read")

        clear = subprocess.run([ravel, "cache", "--clear"], env=env, capture_output=True, text=True)
        check(clear.returncode == 0 and f"removed {kernels} kernels" in clear.stdout,
              f"cache --clear: {clear.stdout}")
        check(entries(cache) == [], "entries left after --clear")

        out, compiled, read = run(ravel, script, env, "--no-cache")
        check(out == expected and compiled == kernels, "--no-cache output or count")
        check(entries(cache) == [], "--no-cache wrote entries")
        off = dict(env, RAVEL_NO_CACHE="1")
        out, compiled, read = run(ravel, script, off)
        check(out == expected and entries(cache) == [], "RAVEL_NO_CACHE=1 wrote entries")

        # A cap of 0 MiB keeps nothing, and still runs.
        out, compiled, read = run(ravel, script, dict(env, RAVEL_CACHE_MAX_MB="0"))
        check(out == expected and entries(cache) == [], "a zero cap kept entries")

        # An unusable directory: the cache is off, the program unaffected.
        blocker = os.path.join(tmp, "a-file")
        open(blocker, "w").write("not a directory")
        out, compiled, read = run(ravel, script, dict(env, RAVEL_CACHE_DIR=blocker))
        check(out == expected and compiled == kernels, "an unusable cache directory")
        bad = subprocess.run([ravel, "cache", "--info"], env=dict(env, RAVEL_CACHE_DIR=blocker),
                             capture_output=True, text=True)
        check(bad.returncode == 1 and "cannot be created" in bad.stderr, "cache --info on a file")
        usage = subprocess.run([ravel, "cache"], env=env, capture_output=True, text=True)
        check(usage.returncode == 2, "cache with no option is a usage error")

        # Four processes at once on an empty cache: every output right, every
        # entry whole (the next run reads them all).
        procs = [subprocess.Popen([ravel, script], env=env, stdout=subprocess.PIPE, text=True)
                 for _ in range(4)]
        outs = [p.communicate(timeout=300)[0] for p in procs]
        check(all(o == expected for o in outs), "concurrent runs' outputs")
        out, compiled, read = run(ravel, script, env)
        check(out == expected and read == kernels, f"after concurrent runs: {read} read")

    if failures:
        print(f"{len(failures)} failures")
        return 1
    print(f"kernel cache: {kernels} kernels, every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
