#!/usr/bin/env python3
"""Golden files that bless themselves (Cranelift style).

Each DIR/*.test file holds a command line, an input program and the exact
expected output, in one file:

    # args: explain
    # ---- input
    x = random.rand(1000)
    print(sum(sqrt(x)))
    # ---- expected
    <stdout of the run, then its stderr, then a line "[exit N]">

The input is written to `<testname>.rv` in a fresh temporary directory and
run as `RAVEL <args...> <testname>.rv` with that directory as cwd, so file
names in messages are stable.  `# args:` is split like a shell command line
(shlex) and may be omitted (then `ravel <testname>.rv`).  Lines before
`# ---- input` other than `# args:` are free comments and are kept.

A mismatch prints a unified diff (expected -> actual).  With
RAVEL_UPDATE_GOLDEN=1 the expected section is rewritten with the actual
output instead, and the test counts as passed; review the change with
`git diff` before committing it.

Usage:
  golden.py --ravel build/tools/ravel --dir tests/golden [-k SUBSTRING]
"""

import argparse
import difflib
import os
import shlex
import subprocess
import sys
import tempfile

TIMEOUT_S = 60
INPUT_MARK = "# ---- input"
EXPECTED_MARK = "# ---- expected"


class GoldenFormatError(Exception):
    pass


def parse(path):
    """Returns (header_text, args, input_text, expected_text)."""
    with open(path, encoding="utf-8", newline="") as f:
        content = f.read()
    lines = content.splitlines(keepends=True)
    try:
        i_in = next(i for i, l in enumerate(lines) if l.rstrip("\r\n") == INPUT_MARK)
    except StopIteration:
        raise GoldenFormatError(f"missing a '{INPUT_MARK}' line")
    try:
        i_exp = next(
            i for i, l in enumerate(lines) if i > i_in and l.rstrip("\r\n") == EXPECTED_MARK
        )
    except StopIteration:
        raise GoldenFormatError(f"missing a '{EXPECTED_MARK}' line after '{INPUT_MARK}'")
    header = "".join(lines[:i_in])
    args = []
    for l in lines[:i_in]:
        s = l.strip()
        if s.startswith("# args:"):
            args = shlex.split(s[len("# args:"):])
    return header, args, "".join(lines[i_in + 1:i_exp]), "".join(lines[i_exp + 1:])


def run(ravel, name, args, source):
    with tempfile.TemporaryDirectory(prefix="ravel-golden-") as tmp:
        fname = name + ".rv"
        with open(os.path.join(tmp, fname), "w", encoding="utf-8") as f:
            f.write(source)
        try:
            p = subprocess.run(
                [ravel, *args, fname], cwd=tmp, capture_output=True, timeout=TIMEOUT_S
            )
            code = p.returncode
            out, err = p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            code = "timeout"
            out, err = e.stdout or b"", e.stderr or b""
    result = out.decode("utf-8", "replace") + err.decode("utf-8", "replace")
    if result and not result.endswith("\n"):
        result += "\n"
    return result + f"[exit {code}]\n"


def write_expected(path, header, source, actual):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header + INPUT_MARK + "\n" + source + EXPECTED_MARK + "\n" + actual)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ravel", required=True, help="path to the ravel binary")
    ap.add_argument("--dir", required=True, help="directory of *.test files")
    ap.add_argument("-k", dest="filter", default="", help="only tests whose name contains this")
    args = ap.parse_args(argv)

    ravel = os.path.abspath(args.ravel)
    if not (os.path.isfile(ravel) and os.access(ravel, os.X_OK)):
        print(f"error: ravel binary not found or not executable: {args.ravel}", file=sys.stderr)
        return 2
    update = os.environ.get("RAVEL_UPDATE_GOLDEN") == "1"

    names = sorted(n for n in os.listdir(args.dir) if n.endswith(".test") and args.filter in n)
    passed = failed = updated = 0
    for n in names:
        path = os.path.join(args.dir, n)
        name = n[: -len(".test")]
        try:
            header, rargs, source, expected = parse(path)
        except (GoldenFormatError, OSError) as e:
            print(f"FAIL {n}: {e}")
            failed += 1
            continue
        if source and not source.endswith("\n"):
            source += "\n"
        actual = run(ravel, name, rargs, source)
        if actual == expected:
            print(f"PASS {n}")
            passed += 1
        elif update:
            write_expected(path, header, source, actual)
            print(f"UPDATED {n}")
            passed += 1
            updated += 1
        else:
            print(f"FAIL {n}: output differs (rerun with RAVEL_UPDATE_GOLDEN=1 to bless)")
            diff = difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{n} (expected)",
                tofile=f"{n} (actual)",
            )
            sys.stdout.write("".join(l if l.endswith("\n") else l + "\n" for l in diff))
            failed += 1
    if updated:
        print(f"({updated} updated)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
