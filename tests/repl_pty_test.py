#!/usr/bin/env python3
"""The ravel REPL on a real pseudo-terminal, as a person uses it.

Drives `ravel` (no arguments) through a pty with HOME set to a fresh temporary
directory, and checks line editing (Up recalls history and the recalled line
can be edited), Tab completion (`a.su` -> `a.sum(`), `_`, %whos, help(),
`name?`, an unknown `:cmd`, Ctrl-C at the prompt (drops the line), Ctrl-C
during a long kernel and during a `while` loop (back to the prompt within a
few seconds, earlier variables intact, the session still works), and that the
history persists to ~/.ravel_history across two sessions.

Every wait reads with select() up to a generous deadline, so a loaded machine
makes the test slower, not flaky.

Usage:
  repl_pty_test.py --ravel build/tools/ravel
"""

import argparse
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

WAIT_S = 90  # per expected piece of output (a cold JIT on a busy machine)
INTERRUPT_S = 10  # Ctrl-C to KeyboardInterrupt
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\x07")


class Session:
    def __init__(self, ravel, home):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["HOME"] = home
            os.environ["TERM"] = "xterm"
            os.environ.pop("EDITRC", None)
            os.execv(ravel, [ravel])
        self.raw = b""
        self.seen = 0  # offset in text() after the last match

    def text(self, start=0):
        return ANSI.sub(b"", self.raw[start:]).decode("utf-8", "replace").replace("\r", "")

    def read_some(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        self.raw += data
        return bool(data)

    def expect(self, pattern, timeout=WAIT_S):
        """Waits for `pattern` (a regex) in the output after the last match."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            # The whole output is cleaned each time (an escape sequence may
            # arrive split across reads); positions before the last match
            # stay put.
            cleaned = self.text()
            m = rx.search(cleaned, self.seen)
            if m:
                self.seen = m.end()
                return m
            cleaned = cleaned[self.seen:]
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"timed out after {timeout} s waiting for {pattern!r}; output since "
                    f"the last match:\n{cleaned[-2000:]}"
                )
            if not self.read_some(min(left, 0.5)) and not self.alive():
                self.read_some(0.1)
                raise AssertionError(f"ravel exited while waiting for {pattern!r}:\n{cleaned}")

    def send(self, s):
        os.write(self.fd, s.encode("utf-8"))

    def run(self, line, pattern):
        """Sends a line and waits for `pattern` and then the next prompt."""
        self.send(line + "\r")
        m = self.expect(pattern)
        self.expect(r">>> $|>>> ")
        return m

    def alive(self):
        try:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            return pid == 0
        except ChildProcessError:
            return False

    def finish(self):
        """Ctrl-D, then waits for the exit status."""
        # Between two lines the terminal is briefly back in cooked mode; a
        # Ctrl-D typed ahead in that window is the line discipline's, and
        # libedit never sees it as end of file. A person reads the prompt
        # first: so does this test.
        time.sleep(0.5)
        self.send("\x04")
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            self.read_some(0.2)
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return 0
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        stacks = ""
        if shutil.which("gdb"):  # where it hangs, for whoever reads the failure
            stacks = subprocess.run(
                ["gdb", "-batch", "-p", str(self.pid), "-ex", "thread apply all bt 12"],
                capture_output=True, text=True, timeout=120,
            ).stdout
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError(f"ravel did not exit on Ctrl-D; output:\n{self.text()[-1500:]}\n{stacks}")


def first_session(ravel, home, log):
    s = Session(ravel, home)
    s.expect(r">>> ")

    log("history recall and editing")
    s.run("x = 41", r"x = 41")
    s.send("\x1b[A")  # Up: "x = 41" again
    s.expect(r"x = 41")
    s.send("\x7f2\r")  # Backspace, then 2: "x = 42"
    s.expect(r">>> ")
    s.run("x", r"\n42\n")

    log("Tab completion")
    s.run("a = arange(5)", r"a = arange\(5\)")
    s.send("a.su\t")
    s.expect(r"a\.sum\(")
    s.run(")", r"\n10\n")
    s.send("np.sqr\t")
    s.expect(r"np\.sqrt\(")
    s.run("4)", r"\n2\.0\n")
    s.send("sum(a, ax\t")
    s.expect(r"axis=")
    s.run("0)", r"\n10\n")

    log("_ is the last echoed value")
    s.run("_ + 1", r"\n11\n")

    log("%whos, help(), name?, :foo")
    m = s.run("%whos", r"Variable +Type +DType +Shape +Bytes.*\n-+\n(?:.*\n)*?a +ndarray +int64 +\(5,\) +40 ")
    s.run("help(sqrt)", r"sqrt\(x, /, out=None, \*, where=True, casting='same_kind', dtype=None\)\n +Return the non-negative square-root")
    s.run("linalg.inv?", r"inv\(a\)\n +Compute the \(multiplicative\) inverse")
    s.run("help(a)", r"a: ndarray, dtype int64, shape \(5,\), 40 bytes")
    s.run(":foo", r"unknown command ':foo' \(:help lists them\)")

    log("Ctrl-C at the prompt drops the line")
    s.send("abc")
    s.expect(r"abc")
    s.send("\x03")
    s.expect(r">>> ")
    s.run("x", r"\n42\n")

    log("Ctrl-C during a long kernel")
    s.run("big = ones(100_000_000)", r"big = ones")
    # One fused kernel: 3e9 sines over 800 MB, about 20 s of work on two idle
    # cores (a broadcast like ones(n) * ones((m, 1)) would be materialized
    # first). Compiling it takes ~0.5 s; deeper nesting compiles
    # superlinearly (60 sines: ~3 s idle, over 13 s on a loaded CI machine,
    # and a Ctrl-C during compilation only lands once the kernel starts).
    nested = "sin(" * 30 + "big" + ")" * 30
    # float() needs the value now (a plain `s = sum(...)` would stay lazy).
    s.send(f"s = float(sum({nested}))\r")
    s.expect(r"s = float\(sum\(sin.*\)\n")
    time.sleep(3)  # well inside the kernel (compiling takes well under this)
    assert s.alive(), "ravel died during the computation"
    t0 = time.monotonic()
    s.send("\x03")
    s.expect(r"KeyboardInterrupt", timeout=INTERRUPT_S)
    took = time.monotonic() - t0
    s.expect(r">>> ")
    log(f"  KeyboardInterrupt {took * 1000:.0f} ms after Ctrl-C")
    s.run("x", r"\n42\n")
    s.run("s", r"name error: unknown name 's'")
    s.run("sum(big[:4] * 2)", r"\n8\.0\n")

    log("Ctrl-C during a while loop")
    s.run("i = 0", r"i = 0")
    s.send("while True:\r")
    s.expect(r"\.\.\. ")
    s.send("    i += 1\r")
    s.expect(r"\.\.\. ")
    s.send("\r")
    time.sleep(2)
    s.send("\x03")
    s.expect(r"KeyboardInterrupt", timeout=INTERRUPT_S)
    s.expect(r">>> ")
    s.run("i > 0", r"\nTrue\n")

    log("a multi-line entry, then the entry the next session recalls")
    s.send("def triple(v):\r")
    s.expect(r"\.\.\. ")
    s.send("    return v * 3\r")
    s.expect(r"\.\.\. ")
    s.send("\r")
    s.expect(r">>> ")
    s.run("print(6 * 7)", r"\n42\n")
    status = s.finish()
    assert status == 0, f"exit status {status}; output after the last match:\n{s.text()[s.seen:][-3000:]}"


def second_session(ravel, home, log):
    path = os.path.join(home, ".ravel_history")
    assert os.path.isfile(path), "no ~/.ravel_history after the first session"
    s = Session(ravel, home)
    s.expect(r">>> ")
    log("history persists across sessions")
    s.send("\x1b[A")
    s.expect(r"print\(6 \* 7\)")
    s.send("\r")
    s.expect(r"\n42\n")
    s.expect(r">>> ")
    log("a multi-line entry is recalled as one entry")
    s.send("\x1b[A\x1b[A")  # print(...), then the def as a whole
    s.expect(r"return v \* 3")
    s.send("\r")
    s.expect(r">>> ")
    s.run("triple(14)", r"\n42\n")
    status = s.finish()
    assert status == 0, f"exit status {status}; output after the last match:\n{s.text()[s.seen:][-3000:]}"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ravel", required=True, help="path to the ravel binary")
    args = ap.parse_args(argv)
    ravel = os.path.abspath(args.ravel)
    if not (os.path.isfile(ravel) and os.access(ravel, os.X_OK)):
        print(f"error: ravel binary not found or not executable: {args.ravel}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ravel-pty-") as home:
        for step in (first_session, second_session):
            try:
                step(ravel, home, lambda msg: print(msg, flush=True))
            except AssertionError as e:
                print(f"FAIL {step.__name__}: {e}")
                return 1
        print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
