#!/usr/bin/env python3
"""The ravel REPL driven through a pipe, as a script or an editor would.

Each case feeds a session to `ravel` (no arguments) on stdin and checks:
  - stdout exactly: echoed values use Python's repr (`x` prints
    `array([0, 1, 2])`), print() output, :vars; piped sessions keep prompts
    off stdout;
  - that stderr contains each expected piece (errors with their caret line,
    prompts);
  - the exit status (the REPL always exits 0, errors or not).

Expected values are NumPy 1.24's repr/print of the same statements.

Usage:
  repl_test.py --ravel build/tools/ravel [-k SUBSTRING]
"""

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile

TIMEOUT_S = 60

# Files a case's session can read (its working directory is a fresh
# temporary directory holding them).
FILES = {
    "run_a_script_into_the_session": {
        "helper.rv": "b = 10\ndef double(v):\n    return v * 2\nprint('from helper')\n",
        "broken.rv": "c = 2\nd = nosuch + 1\n",
    },
}

# (name, stdin, expected stdout, pieces stderr must contain)
CASES = [
    (
        "session",
        "x = arange(3)\n"
        "x\n"
        "y = x * 2.5\n"
        "y\n"
        "def f(a, b=1):\n"
        "    return a * 10 + b\n"
        "\n"
        "f(x)\n"
        "f(x, b=y)\n"
        "print(zz)\n"
        "x + 1\n"
        "print(x, y.dtype)\n"
        ":vars\n",
        "array([0, 1, 2])\n"
        "array([0. , 2.5, 5. ])\n"
        "array([ 1, 11, 21])\n"
        "array([ 0. , 12.5, 25. ])\n"
        "array([1, 2, 3])\n"
        "[0 1 2] float64\n"
        "f\n"
        "x\n"
        "y\n",
        [
            # Each input is its own numbered source; print(zz) is the 8th.
            "<stdin-8>:1:7: name error: unknown name 'zz'\n"
            "    print(zz)\n"
            "          ^^\n",
            # The def's body asks for more input.
            "... ",
            ">>> ",
        ],
    ),
    (
        "failed_assignment_keeps_old_value",
        "x = arange(3)\n"
        "x = x + ones(4)\n"
        "w = ones(2) * ones(3)\n"
        "x\n"
        ":vars\n",
        "array([0, 1, 2])\n"
        "x\n",
        [
            "<stdin-2>:1:5: shape error: operands could not be broadcast together with shapes "
            "(3,) (4,)\n"
            "    x = x + ones(4)\n"
            "        ^^^^^^^^^^^\n",
            "<stdin-3>:1:5: shape error: operands could not be broadcast together with shapes "
            "(2,) (3,)\n"
            "    w = ones(2) * ones(3)\n"
            "        ^^^^^^^^^^^^^^^^^\n",
        ],
    ),
    (
        "scalar_and_attribute_reprs",
        "1 + 2.5\n"
        "sum(arange(4))\n"
        "x = arange(3)\n"
        "x.dtype\n"
        "x.shape\n"
        "None\n"
        "x > 0\n"
        "ones((2, 2), dtype=int32)\n",
        "3.5\n"
        "6\n"
        "dtype('int64')\n"
        "(3,)\n"
        "array([False,  True,  True])\n"
        "array([[1, 1],\n"
        "       [1, 1]], dtype=int32)\n",
        [],
    ),
    (
        "open_bracket_continues",
        "z = (1 +\n"
        "  2)\n"
        "z\n"
        "m = [[1, 2],\n"
        "     [3, 4]]\n"
        "array(m) * 2\n",
        "3\n"
        "array([[2, 4],\n"
        "       [6, 8]])\n",
        ["... "],
    ),
    (
        "laziness_across_inputs",
        "x = arange(4)\n"
        "t = x ** 2\n"
        "x += 1\n"
        "t\n"
        "u = x\n"
        "u *= 2\n"
        "x\n",
        "array([0, 1, 4, 9])\n"
        "array([2, 4, 6, 8])\n",
        [],
    ),
    (
        "errors_of_every_stage_then_recovery",
        "a = arange(4.0)\n"
        "b = (a +\n"
        "1)]\n"
        "c = a.reshape(3, 3)\n"
        "d = a[7]\n"
        "e = a − 1\n"
        "a.sum()\n",
        "6.0\n",
        [
            "<stdin-2>:2:3: syntax error: unmatched ']'\n",
            "<stdin-3>:1:5: shape error: cannot reshape array of size 4 into shape (3,3)\n",
            "<stdin-4>:1:5: index error: index 7 is out of bounds for axis 0 with size 4\n"
            "    d = a[7]\n"
            "        ^^^^\n",
            "<stdin-5>:1:7: syntax error: invalid character '−' (U+2212)\n"
            "    e = a − 1\n"
            "          ^\n",
        ],
    ),
    (
        "quit_stops_reading",
        "x = 1\n"
        "x\n"
        ":quit\n"
        "print(2)\n",
        "1\n",
        [],
    ),
    (
        "underscore_is_the_last_echoed_value",
        "x = arange(3)\n"
        "x\n"
        "_ * 2\n"
        "y = 7\n"
        "_\n"
        ":vars\n",
        "array([0, 1, 2])\n"
        "array([0, 2, 4])\n"
        "array([0, 2, 4])\n"
        "x\n"
        "y\n",
        [],
    ),
    (
        "whos_table",
        "x = arange(3)\n"
        "t = x * 2.0\n"
        "n = 5\n"
        "def g(a):\n"
        "    return a\n"
        "\n"
        "%whos\n"
        "t\n"
        "%whos\n",
        "Variable  Type      DType    Shape  Bytes  Data/Info\n"
        "------------------------------------------------------------------\n"
        "g         function                         g\n"
        "n         int                              5\n"
        "t         ndarray   float64  (3,)      24  lazy (not computed yet)\n"
        "x         ndarray   int64    (3,)      24  in memory\n"
        "array([0., 2., 4.])\n"
        "Variable  Type      DType    Shape  Bytes  Data/Info\n"
        "----------------------------------------------------\n"
        "g         function                         g\n"
        "n         int                              5\n"
        "t         ndarray   float64  (3,)      24  in memory\n"
        "x         ndarray   int64    (3,)      24  in memory\n",
        [],
    ),
    (
        "help_and_question_mark",
        "help(sqrt)\n"
        "np.add?\n"
        "random.rand?\n"
        "x = ones((2, 3), dtype=float32)\n"
        "help(x)\n"
        "x.reshape?\n"
        "help(sqrtt)\n",
        "sqrt(x, /, out=None, *, where=True, casting='same_kind', dtype=None)\n"
        "    Return the non-negative square-root of an array, element-wise.\n"
        "add(x1, x2, /, out=None, *, where=True, casting='same_kind', dtype=None)\n"
        "    Add arguments element-wise.\n"
        "rand(d0, d1, ..., dn)\n"
        "    Random values in a given shape, uniform over [0, 1).\n"
        "x: ndarray, dtype float32, shape (2, 3), 24 bytes, in memory\n"
        "a.reshape(shape, order='C')\n"
        "    Returns an array containing the same data with a new shape.\n",
        ["help: no builtin or variable named 'sqrtt'; did you mean 'sqrt'?\n"],
    ),
    (
        "unknown_command",
        ":foo\n"
        ":foo bar\n"
        "1 + 1\n",
        "2\n",
        ["unknown command ':foo' (:help lists them)\n"],
    ),
    (
        "run_a_script_into_the_session",
        "a = 1\n"
        "%run helper.rv\n"
        "b + a\n"
        "double(b)\n"
        "%run missing.rv\n"
        "%run broken.rv\n"
        "c\n",
        "from helper\n"
        "11\n"
        "20\n",
        [
            "%run: cannot open 'missing.rv'\n",
            # Checked before it runs: none of broken.rv ran, so c is unbound.
            "broken.rv:2:5: name error: unknown name 'nosuch'\n",
            "<stdin-4>:1:1: name error: unknown name 'c'\n",
        ],
    ),
    (
        "time_a_statement",
        "%time s = sum(arange(10))\n"
        "s\n",
        None,  # checked below: CPU and wall times, then 45
        [],
    ),
    (
        "help",
        ":help\n",
        None,  # checked below: lists the commands
        [],
    ),
    (
        "no_trailing_newline",
        "print(arange(2))",
        "[0 1]\n",
        [],
    ),
]


def run_case(ravel, name, stdin, want_out, want_err):
    """Returns a list of failure messages (empty when the case passes)."""
    with tempfile.TemporaryDirectory(prefix="ravel-repl-") as cwd:
        for file_name, text in FILES.get(name, {}).items():
            with open(os.path.join(cwd, file_name), "w", encoding="utf-8") as f:
                f.write(text)
        try:
            p = subprocess.run(
                [ravel],
                input=stdin.encode("utf-8"),
                capture_output=True,
                timeout=TIMEOUT_S,
                cwd=cwd,
            )
        except subprocess.TimeoutExpired:
            return [f"timed out after {TIMEOUT_S} s"]
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    problems = []
    if p.returncode != 0:
        problems.append(f"exit status {p.returncode}, want 0")
    if name == "help":
        for cmd in (":vars", ":quit", "%timeit", ":explain", "%whos", "%run", "%time ", "help("):
            if cmd not in out:
                problems.append(f"help does not mention {cmd!r}:\n{out}")
    elif name == "time_a_statement":
        if not re.fullmatch(r"CPU times: user .+, sys: .+, total: .+\nWall time: .+\n45\n", out):
            problems.append(f"%time printed:\n{out}")
    elif out != want_out:
        diff = difflib.unified_diff(
            want_out.splitlines(keepends=True),
            out.splitlines(keepends=True),
            fromfile="stdout (expected)",
            tofile="stdout (actual)",
        )
        problems.append("stdout differs:\n" + "".join(diff))
    for piece in want_err:
        if piece not in err:
            problems.append(f"stderr lacks:\n{piece}\n--- stderr was:\n{err}")
    if "internal error" in err:
        problems.append(f"internal error:\n{err}")
    return problems


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ravel", required=True, help="path to the ravel binary")
    ap.add_argument("-k", dest="filter", default="", help="only cases whose name contains this")
    args = ap.parse_args(argv)
    ravel = os.path.abspath(args.ravel)
    if not (os.path.isfile(ravel) and os.access(ravel, os.X_OK)):
        print(f"error: ravel binary not found or not executable: {args.ravel}", file=sys.stderr)
        return 2
    passed = failed = 0
    for name, stdin, want_out, want_err in CASES:
        if args.filter not in name:
            continue
        problems = run_case(ravel, name, stdin, want_out, want_err)
        if problems:
            failed += 1
            print(f"FAIL {name}")
            for msg in problems:
                print("  " + msg.replace("\n", "\n  "))
        else:
            passed += 1
            print(f"PASS {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
