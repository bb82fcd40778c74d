"""Long-lived NumPy side of tests/random/run (runs under /usr/bin/python3).

Reads one JSON request per line on stdin ({"source": TEXT}), execs the
source in fresh globals built by tests/differential.py's numpy_globals(),
and answers one JSON line on stdout: {"stdout", "exc_type", "exc_message",
"exc_mro"}.  Warnings are silenced (ravel prints none either).
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from differential import numpy_globals  # noqa: E402


def runOne(source):
    out = io.StringIO()
    exc = None
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(source, "<program>", "exec"), numpy_globals())
        except BaseException as e:  # noqa: BLE001 - every exception is a result
            exc = e
    return {
        "stdout": out.getvalue(),
        "exc_type": type(exc).__name__ if exc is not None else None,
        "exc_message": str(exc) if exc is not None else None,
        "exc_mro": [c.__name__ for c in type(exc).__mro__] if exc is not None else [],
    }


def main():
    os.chdir(tempfile.mkdtemp(prefix="ravel-random-np-"))
    reply = sys.stdout
    for line in sys.stdin:
        req = json.loads(line)
        reply.write(json.dumps(runOne(req["source"])) + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
