#!/usr/bin/env python3
"""Differential tests: every tests/programs/*.rv under ravel and under NumPy.

The rule under test (docs: shared/DESIGN.md, "The language"): a ravel program
that also runs under Python with NumPy names in scope must print the same
thing.  NumPy is the oracle, so there is nothing stored to bless or update.

For each program, sorted by name:

  1. NumPy side: /usr/bin/python3 runs this file with `--run-numpy FILE`,
     which execs the source in a globals dict holding NumPy's names (see
     numpy_globals()) with NEP 50 ('weak') promotion on.  It captures stdout
     and, if the program raises, the exception's type and message.
  2. ravel side: `RAVEL FILE`, 60 s timeout (--timeout); stdout, stderr,
     exit code.
  3. Compare:
     - NumPy succeeded -> ravel exits 0 and stdout is byte-identical (or equal
       within `# tolerance:` for numbers).  A mismatch prints a unified diff.
     - NumPy raised    -> ravel exits 1 (exit >= 128 or < 0 is a crash), its
       stdout is a prefix of NumPy's (ravel checks the whole program before
       running, so it may stop earlier), its stderr contains the program's
       `# expect-error:` text and a caret line (`^^^`), and the kind word of
       its diagnostic (`index error`) matches NumPy's exception class
       (RAVEL_KINDS: IndexError -> index, ValueError -> value or shape, ...).
  Each side runs in a fresh empty working directory of its own, so a
  program may create, save and load files by relative path.

Header comments (anywhere in the leading comment block of a program):
  # expect-error: TEXT   required for programs that raise under NumPy;
                         substring of ravel's stderr (ravel's wording);
                         may be repeated, then every one must appear
  # tolerance: 1e-12     compare numbers with this relative (and absolute)
                         tolerance instead of byte-for-byte
  # skip: REASON         do not run the program (keep it, say why)
  # compare-stderr       also compare the warnings on stderr: NumPy's
                         RuntimeWarnings as Python prints them
                         (`file:LINE: RuntimeWarning: MESSAGE`) against
                         ravel's (`file:LINE:COL: RuntimeWarning: MESSAGE`),
                         and seterr 'print' lines (`Warning: MESSAGE`) on
                         both sides: the same (line, message) sequence.
                         Other stderr text (source lines, carets) is ignored.
                         A NumPy warning raised inside numpy's own Python
                         code (`sum` -> fromnumeric.py) matches any line.

Usage:
  differential.py --ravel build/tools/ravel --programs tests/programs [-k SUB]
  differential.py --numpy-only --programs tests/programs [-k SUB]

The driver itself needs only the standard library; the NumPy side always
runs under NUMPY_PYTHON (/usr/bin/python3, which has NumPy 1.24.2).
"""

import argparse
import concurrent.futures
import difflib
import json
import math
import os
import re
import subprocess
import sys
import tempfile

NUMPY_PYTHON = os.environ.get("RAVEL_NUMPY_PYTHON", "/usr/bin/python3")
TIMEOUT_S = 60
WORKERS = 2
CARET_LINE = re.compile(r"^\s*\^+\s*$", re.MULTILINE)
# Marks the line on the child's stderr that carries the exception as JSON.
EXC_MARKER = "@@ravel-differential-exception@@ "


# --------------------------------------------------------------------------
# NumPy side (runs inside /usr/bin/python3)
# --------------------------------------------------------------------------

def numpy_globals():
    """The names a ravel program sees, as a Python globals dict."""
    import numpy as np
    from numpy.lib.stride_tricks import as_strided, sliding_window_view

    np._set_promotion_state("weak")  # NEP 50, as ravel implements it
    g = {"__name__": "__main__", "__builtins__": __builtins__}
    exec("from numpy import *", g)
    g.update(
        np=np,
        random=np.random,
        linalg=np.linalg,
        sliding_window_view=sliding_window_view,
        as_strided=as_strided,
        # NumPy's, not Python's builtins.
        max=np.max,
        min=np.min,
        abs=np.abs,
        round=np.round,
        sum=np.sum,
        all=np.all,
        any=np.any,
    )
    return g


def run_numpy_child(path):
    """Entry point of the child process: exec one program, report any error."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    g = numpy_globals()
    try:
        code = compile(source, path, "exec")
        exec(code, g)
    except BaseException as e:  # noqa: BLE001 - we report whatever it is
        sys.stdout.flush()
        import traceback

        traceback.print_exc()
        report = {
            "type": type(e).__name__,
            "message": str(e),
            "mro": [c.__name__ for c in type(e).__mro__],
        }
        sys.stderr.write(EXC_MARKER + json.dumps(report) + "\n")
        sys.stderr.flush()
        return 3
    sys.stdout.flush()
    return 0


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

class Program:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        with open(path, encoding="utf-8", errors="replace") as f:
            self.source = f.read()
        self.expect_errors = []  # every one must be a substring of stderr
        self.tolerance = None
        self.skip = None
        self.timeit = False
        self.compare_stderr = False
        in_header = True
        for line in self.source.splitlines():
            s = line.strip()
            if s.startswith("%timeit"):
                self.timeit = True
            if s and not s.startswith("#"):
                in_header = False
            if in_header and re.match(r"#\s*compare-stderr\s*$", s):
                self.compare_stderr = True
                continue
            m = re.match(r"#\s*([a-z-]+)\s*:\s*(.*?)\s*$", s)
            if not (in_header and m):
                continue
            key, val = m.group(1), m.group(2)
            if key == "expect-error" and val:
                self.expect_errors.append(val)
            elif key == "tolerance":
                self.tolerance = float(val)
            elif key == "skip":
                self.skip = val or "no reason given"


class NumpyResult:
    def __init__(self, stdout, exc_type, exc_message, stderr, timed_out=False, exc_mro=()):
        self.stdout = stdout
        self.exc_mro = list(exc_mro)
        self.exc_type = exc_type
        self.exc_message = exc_message
        self.stderr = stderr
        self.timed_out = timed_out

    @property
    def raised(self):
        return self.exc_type is not None


def run_numpy(prog, cwd):
    try:
        p = subprocess.run(
            [NUMPY_PYTHON, os.path.abspath(__file__), "--run-numpy", os.path.abspath(prog.path)],
            capture_output=True,
            cwd=cwd,
            timeout=TIMEOUT_S,
            env=dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1"),
        )
    except subprocess.TimeoutExpired:
        return NumpyResult(b"", "Timeout", f"NumPy side exceeded {TIMEOUT_S} s", b"", True)
    stderr = p.stderr.decode("utf-8", "replace")
    exc_type = exc_msg = None
    exc_mro = []
    for line in stderr.splitlines():
        if line.startswith(EXC_MARKER):
            rep = json.loads(line[len(EXC_MARKER):])
            exc_type, exc_msg = rep["type"], rep["message"]
            exc_mro = rep.get("mro", [exc_type])
    if p.returncode != 0 and exc_type is None:
        exc_type, exc_msg = "ChildFailure", f"python exited {p.returncode}: {stderr[-2000:]}"
    return NumpyResult(p.stdout, exc_type, exc_msg, p.stderr, exc_mro=exc_mro)


def run_ravel(ravel, prog, cwd):
    try:
        p = subprocess.run(
            [os.path.abspath(ravel), os.path.abspath(prog.path)],
            capture_output=True,
            timeout=TIMEOUT_S,
            cwd=cwd,
        )
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b"", e.stderr or b""
    return p.returncode, p.stdout, p.stderr


def text(b):
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else b


def unified(expected, actual, a_name, b_name):
    lines = difflib.unified_diff(
        text(expected).splitlines(keepends=True),
        text(actual).splitlines(keepends=True),
        fromfile=a_name,
        tofile=b_name,
    )
    out = "".join(l if l.endswith("\n") else l + "\n\\ No newline at end of file\n" for l in lines)
    return out


NUMBER = re.compile(
    r"[-+]?(?:(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|inf|nan)"
)


def close_enough(expected, actual, tol):
    """Numbers within `tol` (relative, or absolute near zero); the text
    between numbers equal ignoring whitespace (a digit more or less changes
    NumPy's column padding)."""
    e, a = text(expected), text(actual)
    e_nums, a_nums = NUMBER.findall(e), NUMBER.findall(a)
    squash = lambda s: re.sub(r"\s+", "", NUMBER.sub("#", s))
    if squash(e) != squash(a) or len(e_nums) != len(a_nums):
        return False
    for x, y in zip(e_nums, a_nums):
        fx, fy = float(x), float(y)
        if math.isnan(fx) or math.isnan(fy):
            if not (math.isnan(fx) and math.isnan(fy)):
                return False
        elif fx != fy and not math.isclose(fx, fy, rel_tol=tol, abs_tol=tol):
            return False
    return True


def prefix_close_enough(expected, actual, tol):
    """Whether `actual` is, within `tol`, the output of NumPy's first lines:
    the program stopped at an error NumPy raised later. Compared by whole
    lines of NumPy's output, ignoring where lines break (a float32 printed
    with one digit more than NumPy's fits fewer numbers on a line)."""
    lines = text(expected).splitlines(keepends=True)
    return any(close_enough("".join(lines[:k]), actual, tol) for k in range(len(lines) + 1))


def crashed(code):
    return code is not None and (code < 0 or code >= 128)


def describe_exit(code):
    if code is None:
        return f"timed out after {TIMEOUT_S} s"
    if code < 0:
        return f"killed by signal {-code}"
    if code >= 128:
        return f"exit {code} (signal {code - 128}?)"
    return f"exit {code}"


# The kind word of ravel's diagnostic (`file:1:2: index error: ...`) that
# each Python exception class may map to.  A NumPy exception matches when
# any class in its MRO allows ravel's kind (AxisError is both a ValueError
# and an IndexError).
RAVEL_KINDS = {
    "SyntaxError": {"syntax"},
    "NameError": {"name"},
    "AttributeError": {"name"},
    "KeyError": {"name"},
    "TypeError": {"type"},
    "IndexError": {"index"},
    "ValueError": {"value", "shape"},
    "OverflowError": {"value"},
    "ZeroDivisionError": {"value"},
    "MemoryError": {"memory"},
    "OSError": {"file"},
    "LinAlgError": {"linalg"},
    "FloatingPointError": {"floating-point"},
}
RAVEL_KIND = re.compile(r":\d+:\d+: ([\w-]+) error: ")

# Warning lines on stderr (compare-stderr): Python's warnings module prints
# `file:LINE: CATEGORY: MESSAGE`, ravel `file:LINE:COL: RuntimeWarning: ...`;
# seterr(..='print') prints `Warning: MESSAGE` on both sides.
NUMPY_WARNING = re.compile(r"^(.+?):(\d+): (\w*Warning): (.*)$")
RAVEL_WARNING = re.compile(r"^(.+?):(\d+):\d+: (\w*Warning): (.*)$")
PRINTED_WARNING = re.compile(r"^Warning: (.*)$")


def warning_lines(stderr, pattern, program):
    """The warnings on stderr as 'LINE: CATEGORY: MESSAGE' strings, in order;
    LINE is '*' for a warning located in another file than the program."""
    out = []
    for line in text(stderr).splitlines():
        m = pattern.match(line)
        if m:
            where = m.group(2) if os.path.basename(m.group(1)) == program else "*"
            out.append(f"{where}: {m.group(3)}: {m.group(4)}")
        elif PRINTED_WARNING.match(line):
            out.append(line)
    return out


def kind_problem(np_res, err_s):
    """A message when ravel's error kind does not match NumPy's exception."""
    allowed = set()
    for name in np_res.exc_mro:
        allowed |= RAVEL_KINDS.get(name, set())
    if not allowed:
        return None  # an exception class with no ravel counterpart
    m = RAVEL_KIND.search(err_s)
    if not m:
        return "stderr has no 'file:line:col: KIND error:' line"
    if m.group(1) not in allowed:
        return (
            f"ravel reported a {m.group(1)} error; NumPy raised {np_res.exc_type} "
            f"(expected one of: {', '.join(sorted(allowed))})"
        )
    return None


def check(prog, ravel):
    """Returns (passed, report text)."""
    # Each program runs under NumPy and under ravel in fresh empty working
    # directories of their own, so programs that write files (and the two
    # sides of one program) cannot see each other's files.
    with tempfile.TemporaryDirectory(prefix="ravel-diff-np-") as np_cwd:
        with tempfile.TemporaryDirectory(prefix="ravel-diff-rv-") as rv_cwd:
            return check_in(prog, ravel, np_cwd, rv_cwd)


def written_files_problems(np_cwd, rv_cwd):
    """The files a program wrote (savetxt, save, tofile) must be NumPy's,
    byte for byte."""
    def files(root):
        out = {}
        for d, _, names in os.walk(root):
            for n in names:
                path = os.path.join(d, n)
                with open(path, "rb") as fh:
                    out[os.path.relpath(path, root)] = fh.read()
        return out

    want, got = files(np_cwd), files(rv_cwd)
    problems = []
    if sorted(want) != sorted(got):
        problems.append(f"written files differ: NumPy wrote {sorted(want)}, ravel {sorted(got)}")
    for name in sorted(set(want) & set(got)):
        if want[name] != got[name]:
            problems.append(f"file {name} differs from NumPy's:\n"
                            + unified(want[name].decode("latin-1"), got[name].decode("latin-1"),
                                      "numpy", "ravel"))
    return problems


def check_in(prog, ravel, np_cwd, rv_cwd):
    if prog.skip:
        return None, f"SKIP {prog.name}: {prog.skip}"
    if prog.timeit:
        return False, f"FAIL {prog.name}: %timeit lines are not deterministic; not allowed here"
    np_res = run_numpy(prog, np_cwd)
    if np_res.timed_out:
        return False, f"FAIL {prog.name}: NumPy side timed out"
    if np_res.raised and not prog.expect_errors:
        return False, (
            f"FAIL {prog.name}: NumPy raised {np_res.exc_type}: {np_res.exc_message}\n"
            "  but the program has no '# expect-error:' header"
        )
    if not np_res.raised and prog.expect_errors:
        return False, (
            f"FAIL {prog.name}: has '# expect-error: {prog.expect_errors[0]}' "
            "but NumPy ran it without error"
        )

    code, out, err = run_ravel(ravel, prog, rv_cwd)
    problems = []
    if code is None:
        problems.append(f"ravel {describe_exit(code)}")
    elif crashed(code):
        problems.append(f"ravel CRASHED: {describe_exit(code)}")

    if not problems and prog.compare_stderr:
        want = warning_lines(np_res.stderr, NUMPY_WARNING, prog.name)
        got = warning_lines(err, RAVEL_WARNING, prog.name)
        same = len(want) == len(got) and all(
            w == g or (w.startswith("*: ") and w[3:] == g.split(": ", 1)[1])
            for w, g in zip(want, got)
        )
        if not same:
            problems.append(
                "warnings on stderr differ from NumPy's:\n"
                + unified("\n".join(want) + "\n", "\n".join(got) + "\n", "numpy", "ravel")
            )

    if not problems and not np_res.raised:
        if code != 0:
            problems.append(f"ravel {describe_exit(code)}, NumPy ran without error")
        if prog.tolerance is not None:
            same = close_enough(np_res.stdout, out, prog.tolerance)
        else:
            same = out == np_res.stdout
        if not same:
            how = f" (tolerance {prog.tolerance:g})" if prog.tolerance is not None else ""
            problems.append(
                f"stdout differs from NumPy's{how}:\n"
                + unified(np_res.stdout, out, "numpy", "ravel")
            )
        problems += written_files_problems(np_cwd, rv_cwd)
    elif not problems:
        if code != 1:
            problems.append(
                f"ravel {describe_exit(code)}, expected exit 1 "
                f"(NumPy raised {np_res.exc_type}: {np_res.exc_message})"
            )
        if prog.tolerance is not None:
            prefix = prefix_close_enough(np_res.stdout, out, prog.tolerance)
        else:
            prefix = np_res.stdout.startswith(out)
        if not prefix:
            problems.append(
                "ravel's stdout is not a prefix of NumPy's:\n"
                + unified(np_res.stdout, out, "numpy", "ravel")
            )
        err_s = text(err)
        for want in prog.expect_errors:
            if want not in err_s:
                problems.append(f"stderr lacks the expected error text {want!r}")
        if not CARET_LINE.search(err_s):
            problems.append("stderr has no caret line (^^^) pointing at the source")
        kind = kind_problem(np_res, err_s)
        if kind:
            problems.append(kind)

    if not problems:
        return True, f"PASS {prog.name}"
    rep = [f"FAIL {prog.name}"]
    rep += ["  " + p.replace("\n", "\n  ").rstrip() for p in problems]
    if np_res.raised:
        rep.append(f"  NumPy raised {np_res.exc_type}: {np_res.exc_message}")
    if err:
        rep.append("  ravel stderr:\n    " + text(err)[-3000:].rstrip().replace("\n", "\n    "))
    return False, "\n".join(rep)


def numpy_only(prog):
    """Run the NumPy side alone; report its output and header consistency."""
    if prog.skip:
        return None, f"==== {prog.name}: SKIP ({prog.skip})"
    with tempfile.TemporaryDirectory(prefix="ravel-numpy-") as cwd:
        res = run_numpy(prog, cwd)
    lines = [f"==== {prog.name}"]
    if res.stdout:
        lines.append(text(res.stdout).rstrip("\n"))
    ok = True
    if res.raised:
        lines.append(f"---- raised {res.exc_type}: {res.exc_message}")
        if not prog.expect_errors:
            ok = False
            lines.append("!!!! raises but has no '# expect-error:' header")
        for want in prog.expect_errors:
            lines.append(f"---- expect-error: {want}")
    elif prog.expect_errors:
        ok = False
        lines.append("!!!! has '# expect-error:' but NumPy ran it without error")
    if prog.timeit:
        ok = False
        lines.append("!!!! %timeit lines are not allowed in differential programs")
    return ok, "\n".join(lines)


def main(argv):
    global TIMEOUT_S
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ravel", help="path to the ravel binary")
    ap.add_argument("--programs", help="directory of *.rv programs")
    ap.add_argument("-k", dest="filter", default="", help="only programs whose name contains this")
    ap.add_argument("--numpy-only", action="store_true",
                    help="run only the NumPy side and print each program's output")
    ap.add_argument("--update-none", action="store_true",
                    help="accepted and ignored: NumPy is the oracle, nothing is stored to update")
    ap.add_argument("-j", "--jobs", type=int, default=WORKERS, help="parallel workers (default 2)")
    ap.add_argument("--timeout", type=int, default=TIMEOUT_S,
                    help="seconds a ravel run may take (default 60; a sanitizer build runs slower)")
    ap.add_argument("--run-numpy", metavar="FILE", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    TIMEOUT_S = args.timeout

    if args.run_numpy:
        return run_numpy_child(args.run_numpy)
    if not args.programs:
        ap.error("--programs is required")
    if not args.numpy_only:
        if not args.ravel:
            ap.error("--ravel is required (or use --numpy-only)")
        if not (os.path.isfile(args.ravel) and os.access(args.ravel, os.X_OK)):
            print(f"error: ravel binary not found or not executable: {args.ravel}", file=sys.stderr)
            return 2
        args.ravel = os.path.abspath(args.ravel)
    if not os.path.exists(NUMPY_PYTHON):
        print(f"error: {NUMPY_PYTHON} not found (it runs the NumPy side)", file=sys.stderr)
        return 2

    names = sorted(n for n in os.listdir(args.programs) if n.endswith(".rv") and args.filter in n)
    progs = [Program(os.path.join(args.programs, n)) for n in names]
    if not progs:
        print(f"no programs matched in {args.programs}", file=sys.stderr)
        return 2

    job = numpy_only if args.numpy_only else (lambda p: check(p, args.ravel))
    passed = failed = skipped = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        # map() keeps the sorted order in the report.
        for ok, report in pool.map(job, progs):
            print(report, flush=True)
            if ok is None:
                skipped += 1
            elif ok:
                passed += 1
            else:
                failed += 1
    if skipped:
        print(f"({skipped} skipped)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
