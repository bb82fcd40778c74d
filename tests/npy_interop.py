#!/usr/bin/python3
""".npy interoperability between ravel and NumPy, both directions.

  1. NumPy writes every header and data variant np.load accepts (versions
     1.0/2.0/3.0, big-endian, Fortran order, 'f8' without byte order,
     Python 2 '2L' dims, old 16-byte-aligned and unaligned headers, 0-d,
     zero-size, bool bytes other than 0/1, trailing bytes); one ravel program
     loads them all and must print what NumPy prints for the same loads
     (values, dtype, shape, Fortran contiguity).
  2. ravel saves every dtype x layout (C, F, non-contiguous, reversed, 0-d,
     zero-size, 1-d); NumPy loads each file and compares, and the file must
     be byte-identical to what np.save writes for the same array.
  3. Every malformed file (and memmap misuse) makes ravel exit 1 with an
     error naming the file and what is wrong, never a crash; files that an
     error concerns are left unchanged.

Usage: npy_interop.py --ravel build/tools/ravel   (run with /usr/bin/python3)
"""

import argparse
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL " + msg)


def run_ravel(ravel, code, cwd):
    p = subprocess.run([ravel, "-e", code], cwd=cwd, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def raw_npy(path, header, data, version=(1, 0), align=64):
    """A .npy file with a hand-written header dict, padded to `align` (1: no padding)."""
    prefix_len = 6 + 2 + (2 if version[0] == 1 else 4)
    body = header.encode("latin1")
    total = prefix_len + len(body) + 1
    body += b" " * ((-total) % align) + b"\n"
    fmt = "<H" if version[0] == 1 else "<I"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY" + bytes(version) + struct.pack(fmt, len(body)) + body + data)


def describe(a):
    """What both sides print for a loaded array."""
    return f"{a}\n{a.dtype.name} {a.shape} {a.flags.f_contiguous}\n"


# --------------------------------------------------------------------------
# 1. NumPy writes, ravel loads
# --------------------------------------------------------------------------

def numpy_variants(d):
    """Writes the variant files; returns their names."""
    names = []

    def save(name, arr, version=None):
        with open(os.path.join(d, name), "wb") as f:
            np.lib.format.write_array(f, arr, version=version)
        names.append(name)

    base = np.arange(12, dtype=np.float64).reshape(3, 4) / 4 - 1
    save("v1.npy", base, (1, 0))
    save("v2.npy", base, (2, 0))
    save("v3.npy", base, (3, 0))
    save("be_f4_fortran.npy", np.asfortranarray(base.astype(">f4")))
    save("be_i4.npy", (np.arange(6, dtype=">i4") - 3).reshape(2, 3))
    save("be_f8.npy", np.array([1.5, -0.0, np.inf, np.nan, 1e300], dtype=">f8"))
    save("le_i8.npy", np.array([2**62, -(2**63), 7], dtype="<i8"))
    save("i4_fortran_3d.npy", np.asfortranarray(np.arange(24, dtype=np.int32).reshape(2, 3, 4)))
    save("f4_values.npy", np.array([0.1, 3.25e-5, np.nan, -np.inf], dtype=np.float32))
    save("zero_d.npy", np.array(2.75))
    save("zero_size.npy", np.zeros((0, 5)))
    save("zero_size_fortran.npy", np.asfortranarray(np.zeros((3, 0), dtype=np.int32)))
    save("bool.npy", np.array([[True, False], [False, True]]))

    # Bool bytes 2 and 255 are True.
    save("bool_bytes.npy", np.array([True, False, True, False]))
    with open(os.path.join(d, "bool_bytes.npy"), "r+b") as f:
        data = f.read()
        f.seek(len(data) - 4)
        f.write(b"\x02\x00\xff\x00")

    raw_npy(os.path.join(d, "no_order_char.npy"),
            "{'descr': 'f8', 'fortran_order': False, 'shape': (2,), }",
            np.array([1.25, 2.5]).tobytes())
    names.append("no_order_char.npy")
    raw_npy(os.path.join(d, "py2_long_dims.npy"),
            "{'descr': '<i8', 'fortran_order': False, 'shape': (2L, 1L), }",
            np.array([5, 6]).tobytes())
    names.append("py2_long_dims.npy")
    raw_npy(os.path.join(d, "aligned16.npy"),
            "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }",
            np.array([1, 2, 3], dtype=np.int32).tobytes(), align=16)
    names.append("aligned16.npy")
    raw_npy(os.path.join(d, "unaligned.npy"),
            "{'shape': (2, 2), 'fortran_order': True, 'descr': '<f8'}",
            np.array([1.0, 2.0, 3.0, 4.0]).tobytes(), align=1)
    names.append("unaligned.npy")
    raw_npy(os.path.join(d, "trailing.npy"),
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
            np.array([0.5, 8.0], dtype=np.float32).tobytes() + b"extra bytes")
    names.append("trailing.npy")
    return names


def check_numpy_to_ravel(ravel, d):
    names = numpy_variants(d)
    expected = "".join(f"{n}\n" + describe(np.load(os.path.join(d, n))) for n in names)
    code = "\n".join(
        f'x = load("{n}")\nprint("{n}")\nprint(x)\nprint(x.dtype, x.shape, x.flags.f_contiguous)'
        for n in names)
    rc, out, err = run_ravel(ravel, code, d)
    if rc != 0:
        fail(f"ravel could not load NumPy's files (exit {rc}):\n{err}")
        return len(names)
    if out != expected:
        import difflib
        diff = "".join(difflib.unified_diff(expected.splitlines(True), out.splitlines(True),
                                            "numpy", "ravel"))
        fail("ravel loads NumPy's files differently:\n" + diff)
    return len(names)


# --------------------------------------------------------------------------
# 2. ravel saves, NumPy loads
# --------------------------------------------------------------------------

DTYPES = ["bool", "int32", "int64", "float32", "float64"]
# name -> expression over `a` (shape (2, 3, 4)), valid in ravel and NumPy.
LAYOUTS = {
    "c": "a",
    "f": "a.T",
    "strided": "a[:, ::2, 1:]",
    "reversed": "a[::-1, :, ::-1]",
    "transposed_part": "a.transpose(1, 0, 2)",
    "row": "a[1, 2]",
    "zero_d": "a[1, 2, 3]",
    "zero_size": "a[:, 3:, :]",
    "column_f": "a[0].T[:, :1]",
}


def base_array(np_mod, dtype):
    a = np_mod.arange(24).reshape(2, 3, 4)
    if dtype == "bool":
        return a % 3 == 0
    if dtype.startswith("float"):
        return (a * 1.25 - 7).astype(dtype)
    return (a * 1000003 - 12).astype(dtype)


def check_ravel_to_numpy(ravel, d):
    lines = []
    cases = []
    for dt in DTYPES:
        if dt == "bool":
            lines.append("a = (arange(24).reshape(2, 3, 4) % 3 == 0)")
        elif dt.startswith("float"):
            lines.append(f'a = (arange(24).reshape(2, 3, 4) * 1.25 - 7).astype("{dt}")')
        else:
            lines.append(f'a = (arange(24).reshape(2, 3, 4) * 1000003 - 12).astype("{dt}")')
        for name, expr in LAYOUTS.items():
            fname = f"r_{dt}_{name}"  # no suffix: save appends .npy
            lines.append(f'save("{fname}", {expr})')
            cases.append((dt, name, expr, fname + ".npy"))
    rc, out, err = run_ravel(ravel, "\n".join(lines), d)
    if rc != 0:
        fail(f"ravel save failed (exit {rc}):\n{err}")
        return len(cases)
    import io
    for dt, name, expr, fname in cases:
        a = base_array(np, dt)
        want = eval(expr, {"a": a})
        path = os.path.join(d, fname)
        if not os.path.exists(path):
            fail(f"{fname}: ravel did not write it")
            continue
        got = np.load(path)
        if got.dtype != want.dtype or got.shape != want.shape or not np.array_equal(got, want):
            fail(f"{fname}: NumPy loads {got!r}, expected {want!r}")
        buf = io.BytesIO()
        np.save(buf, want)
        with open(path, "rb") as f:
            if f.read() != buf.getvalue():
                fail(f"{fname}: bytes differ from np.save's")
        if (got.flags.f_contiguous and not got.flags.c_contiguous) != (
                want.flags.f_contiguous and not want.flags.c_contiguous):
            fail(f"{fname}: Fortran order not preserved")
    leftovers = [n for n in os.listdir(d) if ".tmp-" in n]
    if leftovers:
        fail(f"save left temporary files: {leftovers}")
    return len(cases)


# --------------------------------------------------------------------------
# 3. Malformed files and memmap misuse
# --------------------------------------------------------------------------

def malformed(d):
    """(file name, ravel statement, expected stderr text)."""
    cases = []
    good = np.lib.format.header_data_from_array_1_0(np.zeros(3))

    def bad(name, data, text, stmt=None):
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        cases.append((name, stmt or f'x = load("{name}")', text))

    def bad_header(name, header, data, text, version=(1, 0)):
        raw_npy(os.path.join(d, name), header, data, version)
        cases.append((name, f'x = load("{name}")', text))

    cases.append(("missing.npy", 'x = load("missing.npy")', "No such file or directory"))
    os.mkdir(os.path.join(d, "adir.npy"))
    cases.append(("adir.npy", 'x = load("adir.npy")', "Is a directory"))
    bad("empty.npy", b"", "not a .npy file")
    bad("pickle.npy", b"\x80\x04\x95 pickled data", "not a .npy file (bad magic)")
    bad("text.npy", b"1 2 3\n", "not a .npy file (bad magic)")
    bad("short_prefix.npy", b"\x93NUMPY\x01\x00\x46", "truncated header")
    bad("version9.npy", b"\x93NUMPY\x09\x00\x10\x00" + b" " * 16, "unsupported .npy format version 9.0")
    full = open(os.path.join(d, "v1.npy"), "rb").read()
    bad("truncated_header.npy", full[:40], "truncated header: expected 118 bytes of header")
    bad("truncated_data.npy", full[:-8], "file truncated: expected 96 bytes of data, found 88")
    bad_header("huge_shape.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (10000000000000,), }",
               b"\0" * 16, "file truncated: expected 80000000000000 bytes of data, found 16")
    bad_header("overflow.npy",
               "{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }",
               b"", "is too large")
    bad_header("negative.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2), }",
               b"\0" * 32, "negative dimension in shape (-1, 2)")
    bad_header("float_dim.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2.0,), }",
               b"\0" * 16, "shape is not valid: (2.0,)")
    bad_header("missing_key.npy", "{'descr': '<f8', 'shape': (2,), }", b"\0" * 16,
               "correct keys: ['descr', 'shape']")
    bad_header("extra_key.npy",
               "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'meta': 1}", b"\0" * 16,
               "correct keys: ['descr', 'fortran_order', 'meta', 'shape']")
    bad_header("wrong_key.npy", "{'descr': '<f8', 'fortran': False, 'shape': (2,), }", b"\0" * 16,
               "correct keys")
    bad_header("unicode.npy", "{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }",
               b"\0" * 24, "unsupported dtype '<U3'")
    bad_header("object.npy", "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }",
               b"\0" * 16, "unsupported dtype '|O'")
    bad_header("float16.npy", "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }",
               b"\0" * 4, "unsupported dtype '<f2'")
    bad_header("structured.npy",
               "{'descr': [('x', '<f8'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }",
               b"\0" * 12, "unsupported dtype [('x', '<f8'), ('y', '<i4')]")
    bad_header("eval.npy", "{'descr': __import__('os').getcwd(), 'fortran_order': False, 'shape': (1,)}",
               b"\0" * 8, "cannot parse the header")
    bad_header("not_dict.npy", "('<f8', False, (2,))", b"\0" * 16, "cannot parse the header")
    bad_header("order_int.npy", "{'descr': '<f8', 'fortran_order': 1, 'shape': (2,), }", b"\0" * 16,
               "fortran_order is not a valid bool: 1")
    bad_header("long_in_v3.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), }",
               b"\0" * 16, "cannot parse the header", version=(3, 0))
    raw_npy(os.path.join(d, "big_header.npy"),
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }" + " " * 20000,
            b"\0" * 8, (2, 0))
    cases.append(("big_header.npy", 'x = load("big_header.npy")', "larger than the limit of 10000"))

    # memmap misuse: the files must not change.
    np.arange(3, dtype=np.float64).tofile(os.path.join(d, "raw3.bin"))
    cases.append(("nofile.bin", 'm = memmap("nofile.bin", dtype="float64", mode="r")',
                  "No such file or directory"))
    cases.append(("raw3.bin", 'm = memmap("raw3.bin", dtype="float64", mode="r+", shape=(5,))',
                  "needs 40 (ravel never extends a file)"))
    cases.append(("raw3.bin", 'm = memmap("raw3.bin", dtype="float64", mode="w+", shape=(2,))',
                  "the file exists; mode 'w+' never replaces a file"))
    cases.append(("raw3.bin", 'm = memmap("raw3.bin", dtype="float64", mode="r", offset=64)',
                  "offset 64 is past the end of the file (24 bytes)"))
    cases.append(("raw3.bin", 'm = memmap("raw3.bin", mode="r")', "needs a dtype"))
    cases.append(("raw3.bin", 'm = memmap("raw3.bin", dtype="int32", mode="r", offset=2)',
                  "not a multiple of the data-type size"))
    cases.append(("raw3.bin", 'm = memmap("raw3.bin", dtype="float64", mode="r")\nm[0] = 1.0',
                  "assignment destination is read-only"))
    np.save(os.path.join(d, "be.npy"), np.arange(3, dtype=">f8"))
    cases.append(("be.npy", 'm = load("be.npy", mmap_mode="r")', "memmap requires native byte order"))
    cases.append(("raw3.bin", 'save("raw3.bin/x", arange(3))', "Not a directory"))
    return cases


def check_malformed(ravel, d):
    cases = malformed(d)
    for name, stmt, text in cases:
        path = os.path.join(d, name)
        before = open(path, "rb").read() if os.path.isfile(path) else None
        rc, out, err = run_ravel(ravel, stmt, d)
        what = f"{name} ({stmt!r})"
        if rc != 1:
            fail(f"{what}: exit {rc}, expected 1\n{err}")
        elif text not in err:
            fail(f"{what}: stderr lacks {text!r}:\n{err}")
        elif "needs a dtype" not in text and "read-only" not in text and f"'{name}" not in err:
            fail(f"{what}: the error does not name the file:\n{err}")
        after = open(path, "rb").read() if os.path.isfile(path) else None
        if before != after:
            fail(f"{what}: the file changed")
        if not os.path.exists(path) and name != "missing.npy" and name != "nofile.bin":
            fail(f"{what}: the file disappeared")
    if os.path.exists(os.path.join(d, "nofile.bin")) or os.path.exists(os.path.join(d, "missing.npy")):
        fail("an error created a file")
    return len(cases)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ravel", required=True)
    args = ap.parse_args()
    ravel = os.path.abspath(args.ravel)
    counts = []
    with tempfile.TemporaryDirectory(prefix="ravel-npy-") as d:
        counts.append(("NumPy -> ravel files", check_numpy_to_ravel(ravel, d)))
        counts.append(("ravel -> NumPy files", check_ravel_to_numpy(ravel, d)))
        counts.append(("malformed / misuse cases", check_malformed(ravel, d)))
    for what, n in counts:
        print(f"{n} {what}")
    print(f"{len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
