"""Seeded generator of random ravel programs that are also Python+NumPy programs.

`generate(seed)` returns the source of one program: `random.seed(k)`, 5..25
statements drawn from weighted forms (array sources, elementwise arithmetic
with NEP 50 scalars, chains of views of lazy and computed values, in-place and
augmented assignment through aliases, reductions, attribute and aliasing
queries, `def` functions, prints at random points), then a print of every
variable.  About one program in eight ends with a statement NumPy rejects.

The generator tracks each value's shape, dtype, writability and owning
buffer ("root") so that nearly every program is valid; it does not need to be
exact, since NumPy is the oracle.  `Program.meta` says whether inexact
(transcendental) results may reach the output, in which case the runner
compares numbers with a tolerance.

Adding a form: write a method that returns a statement (or an expression and
its Val) and add it, with a weight, to the table in `Gen.statement` (or
`Gen.viewStep`, `Gen.expr`).  See tests/random/README.md.
"""

import ast
import math
import random

DTYPES = ["bool", "int32", "int64", "float32", "float64"]
RANK = {"bool": 0, "int32": 1, "int64": 2, "float32": 3, "float64": 4}
KIND = {"bool": "b", "int32": "i", "int64": "i", "float32": "f", "float64": "f"}
ITEMSIZE = {"bool": 1, "int32": 4, "int64": 8, "float32": 4, "float64": 8}
INF = float("inf")


def grownMagnitude(mag, passes):
    """A magnitude bound after `passes` more doublings and self-products:
    mag ** (passes + 1) * 2 ** passes, or INF when that leaves a float's range
    (a float ** int raises OverflowError instead of giving inf)."""
    if mag >= INF:
        return INF
    try:
        return mag ** (passes + 1) * 2 ** passes
    except OverflowError:
        return INF


def promote(a, b):
    """NumPy's promotion of two array dtypes (of the five ravel has)."""
    if a == b:
        return a
    pair = {a, b}
    if pair in ({"int32", "float32"}, {"int64", "float32"}):
        return "float64"
    return a if RANK[a] > RANK[b] else b


def promoteScalar(arr, pykind):
    """NEP 50: an array dtype combined with a Python bool/int/float."""
    if pykind == "b":
        return arr
    if pykind == "i":
        return "int64" if arr == "bool" else arr
    return arr if KIND[arr] == "f" else "float64"


def prod(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def broadcastShapes(a, b):
    """The broadcast shape, or None if the shapes do not broadcast."""
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and x != 1 and y != 1:
            return None
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


def shapeText(shape):
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(d) for d in shape) + ")"


class Val:
    """What the generator knows about a value (a variable or an expression).

    kind: 'array', 'npscalar' (a NumPy scalar, e.g. a full reduction) or 'py'
    (a Python number, pykind 'b' 'i' 'f').  root: id of the buffer the
    array's memory belongs to (views keep it).  writable: True, False
    (read-only view) or None (unknown: neither written nor used for a
    read-only error).  trick: derived from as_strided/sliding_window_view,
    whose .base ravel documents as different.  owner: a fresh C- or
    F-contiguous array owning its memory (as_strided may use it).
    inexact: may carry transcendental rounding.  mag: bound on |values|.
    """

    def __init__(self, text, kind="array", shape=(), dtype="float64", pykind=None, root=None,
                 writable=True, trick=False, owner=False, inexact=False, mag=1.0):
        self.text = text
        self.kind = kind
        self.shape = tuple(shape)
        self.dtype = dtype
        self.pykind = pykind
        self.root = root
        self.writable = writable
        self.trick = trick
        self.owner = owner
        self.inexact = inexact
        self.mag = mag

    def derive(self, text, **kw):
        v = Val(self.text)
        v.__dict__.update(self.__dict__)
        v.text = text
        v.__dict__.update(kw)
        return v

    @property
    def size(self):
        return prod(self.shape)

    @property
    def isArray(self):
        return self.kind == "array"


class Program:
    def __init__(self, seed, lines, meta):
        self.seed = seed
        self.lines = lines
        self.meta = meta

    @property
    def source(self):
        return "\n".join(self.lines) + "\n"


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.r = random.Random(seed)
        # Matrix products draw from their own stream, so adding them left
        # every program without one exactly as it was.
        self.rMatmul = random.Random(seed * 7919 + 1)
        # Seeded random sources (randint, uniform, default_rng, ...) replace
        # some sources' text from a stream of their own, keeping the shape
        # and dtype, so every other draw of a program is as it was.
        self.rStream = random.Random(seed * 104729 + 3)
        # So do ufunc keywords and methods (stUfunc).
        self.rUfunc = random.Random(seed * 104729 + 7)
        # And mgrid/ogrid grids and block (stGridBlock).
        self.rGrid = random.Random(seed * 104729 + 11)
        # And the array functions of stFunctions (append, insert, delete, cross, ...).
        self.rFuncs = random.Random(seed * 104729 + 13)
        # And the row-wise work over a matrix product (stRowPanels).
        self.rPanels = random.Random(seed * 104729 + 17)
        self.nextVar = 0
        self.nextRoot = 0
        self.nextFunc = 0
        self.inexactOut = False
        self.lines = []

    # ---------------------------------------------------------------- helpers
    def pick(self, table):
        """table: list of (weight, value); returns a value."""
        total = sum(w for w, _ in table)
        x = self.r.uniform(0, total)
        for w, v in table:
            x -= w
            if x <= 0:
                return v
        return table[-1][1]

    def newRoot(self):
        self.nextRoot += 1
        return self.nextRoot

    def newName(self, prefix="v"):
        self.nextVar += 1
        return f"{prefix}{self.nextVar}"

    def randShape(self, maxRank=3):
        rank = self.pick([(1, 0), (4, 1), (5, 2), (3, 3)][: maxRank + 1])
        if rank == 2 and self.r.random() < 0.04:
            # Now and then a matrix big enough for cache-blocked tiles and the
            # register-block transposes (at least 64 x 64, ragged edges).
            return (self.r.randint(64, 75), self.r.randint(64, 75))
        shape = []
        for _ in range(rank):
            shape.append(self.pick([(1, 0), (3, 1), (6, 2), (6, 3), (4, 4), (2, 5), (1, 6)]))
        if 0 in shape and self.r.random() < 0.6:
            shape = [d if d else self.r.randint(1, 4) for d in shape]
        return tuple(shape)

    def arrays(self, env, pred=lambda v: True):
        return [v for v in env.values() if v.isArray and pred(v)]

    def pyScalar(self, pykind=None, small=False):
        pykind = pykind or self.pick([(2, "i"), (3, "f"), (1, "b")])
        if pykind == "b":
            return Val(self.r.choice(["True", "False"]), kind="py", pykind="b", mag=1)
        if pykind == "i":
            n = self.r.choice([0, 1, 2, 3]) if small else self.r.choice([-3, -1, 0, 1, 2, 3, 5, 7, 10])
            return Val(str(n), kind="py", pykind="i", mag=abs(n))
        x = self.r.choice([0.5, 1.5, 2.0, -0.25, 0.1, -1.0, 3.0, 0.0, 2.5])
        return Val(repr(x), kind="py", pykind="f", mag=abs(x))

    # ---------------------------------------------------------------- sources
    def source(self):
        shape = self.randShape()
        dt = self.pick([(2, "bool"), (3, "int32"), (3, "int64"), (3, "float32"), (5, "float64")])
        st = shapeText(shape)
        r = self.newRoot()
        mag = 1.0
        form = self.pick([(5, "rand"), (2, "randn"), (3, "arange"), (3, "literal"), (2, "const")])
        if form in ("rand", "randn") and shape:
            args = ", ".join(str(d) for d in shape)
            base = f"random.{form}({args})"
            mag = 1.0 if form == "rand" else 6.0
            if dt == "bool":
                text = f"{base} > 0.5"
            elif KIND[dt] == "i":
                k = self.r.choice([3, 10, 100])
                text = f"({base} * {k}).astype({dt})" if form == "rand" else f"({base} * {k} - {k // 2}).astype({dt})"
                mag = 6.0 * k
            elif dt == "float32":
                text = f"{base}.astype(float32)"
            else:
                text = base
        elif form == "arange" or (form in ("rand", "randn") and not shape):
            n = prod(shape)
            if dt == "bool":
                text = f"(arange({n}) % 2 == 0).reshape({st})"
            else:
                dkw = "" if dt == "int64" else f", dtype={dt}"
                start = self.r.choice([0, 0, -2, 1])
                text = f"arange({start}, {start + n}{dkw}).reshape({st})"
                mag = abs(start) + n
        elif form == "literal" and 0 not in shape:
            text, mag = self.literal(shape, dt)
        else:
            fill = {"bool": "True", "int32": "3", "int64": "-2", "float32": "1.5", "float64": "0.25"}[dt]
            fn = self.pick([(1, "zeros"), (1, "ones"), (2, "full")])
            if fn == "full":
                text = f"full({st}, {fill}, dtype={dt})"
                mag = 3.0
            else:
                text = f"{fn}({st}, dtype={dt})"
        if shape and self.rStream.random() < 0.15:
            text, mag = self.streamSource(shape, dt)
        return Val(text, shape=shape, dtype=dt, root=r, owner=True, mag=mag)

    def streamSource(self, shape, dt):
        """A seeded random source of `shape` and `dt`: NumPy's legacy
        RandomState functions (after the program's random.seed) or a
        default_rng(k) Generator; every value is NumPy's exactly."""
        r = self.rStream
        st = shapeText(shape)
        n = prod(shape)
        k = r.choice([0, 1, 7, 42, 12345, 2**33 + 1])
        if dt == "bool":
            return r.choice([
                f"random.randint(0, 2, size={st}, dtype=bool)",
                f"random.default_rng({k}).integers(0, 1, size={st}, endpoint=True, dtype=bool)",
            ]), 1.0
        if KIND[dt] == "i":
            lo, hi = r.choice([(0, 10), (-5, 5), (0, 100), (-3, 1)])
            form = r.choice(["randint", "integers", "choice", "permutation", "rngperm", "rngchoice",
                             "binomial", "rngbinomial", "binomialarr", "poissonarr", "rngpoissonarr"])
            bcast = "" if dt == "int64" else f".astype({dt})"
            if form == "binomial":
                return f"random.binomial(20, 0.3, size={st}){bcast}", 20.0
            if form == "rngbinomial":
                return f"random.default_rng({k}).binomial(1000, 0.6, {st}){bcast}", 1000.0
            if form == "binomialarr":
                return f"random.binomial(arange({n}).reshape({st}) % 7 + 40, 0.75){bcast}", 50.0
            if form == "poissonarr":  # lam per element: multiplication below 10, PTRS above
                return f"random.poisson(arange({n}).reshape({st}) % 4 * 6.0 + 0.5){bcast}", 60.0
            if form == "rngpoissonarr":
                return f"random.default_rng({k}).poisson(arange({n}).reshape({st}) % 3 * 9.0){bcast}", 60.0
            if form == "randint":
                return f"random.randint({lo}, {hi}, size={st}, dtype={dt})", 100.0
            if form == "integers":
                return f"random.default_rng({k}).integers({lo}, {hi}, size={st}, dtype={dt})", 100.0
            cast = "" if dt == "int64" else f".astype({dt})"
            if form == "choice":
                return f"random.choice({hi - lo}, size={st}){cast}", 100.0
            if form == "rngchoice":
                return f"random.default_rng({k}).choice({hi - lo}, size={st}, replace=False){cast}" if n <= hi - lo else f"random.default_rng({k}).choice({hi - lo}, size={st}){cast}", 100.0
            if form == "permutation":
                return f"random.permutation({n}).reshape({st}){cast}", float(n)
            return f"random.default_rng({k}).permutation({n}).reshape({st}){cast}", float(n)
        form = r.choice(["uniform", "normal", "exponential", "standard_normal", "rngrandom", "rnguniform",
                         "rngnormal", "rngstdnormal", "rngexponential", "rngstdexp", "rngnormalarr",
                         "randomstate", "normalarr", "uniformarr", "exponentialarr", "rnguniformarr",
                         "legacyshape", "rnggamma"])
        cast = ".astype(float32)" if dt == "float32" else ""
        if form == "randomstate":  # a RandomState's own stream, beside the global one
            fn = r.choice([f"rand({', '.join(map(str, shape))})" if shape else "rand()",
                           f"normal(0.5, 2.0, {st})", f"uniform(-1, 1, {st})"])
            if not shape and fn.startswith("rand"):
                return f"array(random.RandomState({k % 2**32}).rand()){cast}", 20.0
            return f"random.RandomState({k % 2**32}).{fn}{cast}", 20.0
        if form == "rngnormal":
            return f"random.default_rng({k}).normal(1.5, 2.0, size={st}){cast}", 20.0
        if form == "rngstdnormal":
            ndt = ", dtype=float32" if dt == "float32" else ""
            return f"random.default_rng({k}).standard_normal({st}{ndt})", 10.0
        if form == "rngexponential":
            return f"random.default_rng({k}).exponential(0.5, {st}){cast}", 20.0
        if form == "rngstdexp":
            edt = ", dtype=float32" if dt == "float32" else ""
            return f"random.default_rng({k}).standard_exponential({st}{edt})", 40.0
        if form == "rnggamma":  # the Generator's gamma family over its ziggurats
            fn = r.choice(["gamma(0.6, 2.0, {})", "gamma(4.5, 1.0, {})", "chisquare(3.0, {})",
                           "standard_t(5.0, {})", "lognormal(0.0, 0.5, {})"])
            return f"random.default_rng({k}).{fn.format(st)}{cast}", 30.0
        if form == "rngnormalarr":
            return f"random.default_rng({k}).normal(arange({n}).reshape({st}) % 5 - 2.0, 0.5){cast}", 10.0
        if form == "legacyshape":  # the legacy formulas over the MT19937 stream
            fn, mag = r.choice([("lognormal(0.0, 0.5, {})", 30.0), ("laplace(1.0, 0.5, {})", 20.0),
                                ("gumbel(0.0, 1.0, {})", 20.0), ("logistic(2.0, 1.0, {})", 30.0),
                                ("weibull(1.5, {})", 10.0), ("pareto(3.0, {})", 30.0),
                                ("power(2.0, {})", 1.0), ("gamma(0.6, 2.0, {})", 30.0),
                                ("gamma(4.5, 1.0, {})", 30.0), ("chisquare(3.0, {})", 30.0),
                                ("standard_t(5.0, {})", 30.0), ("beta(0.5, 0.7, {})", 1.0),
                                ("beta(2.0, 3.0, {})", 1.0)])
            return f"random.{fn.format(st)}{cast}", mag
        if form == "normalarr":  # array parameters: one draw per element, each its own
            return f"random.normal(arange({n}).reshape({st}) % 5 - 2.0, 0.5){cast}", 10.0
        if form == "uniformarr":
            return f"random.uniform(-1.0, arange({n}).reshape({st}) % 3 + 1.0){cast}", 4.0
        if form == "exponentialarr":
            return f"random.exponential(arange({n}).reshape({st}) % 4 * 0.5){cast}", 20.0
        if form == "rnguniformarr":
            return f"random.default_rng({k}).uniform(arange({n}).reshape({st}) % 2 - 1.0, 2.0){cast}", 2.0
        if form == "uniform":
            return f"random.uniform(-2, 3, {st}){cast}", 3.0
        if form == "normal":
            return f"random.normal(1.5, 2.0, size={st}){cast}", 20.0
        if form == "exponential":
            return f"random.exponential(0.5, {st}){cast}", 20.0
        if form == "standard_normal":
            return f"random.standard_normal({st}){cast}", 10.0
        if form == "rngrandom":
            rdt = ", dtype=float32" if dt == "float32" else ""
            return f"random.default_rng({k}).random({st}{rdt})", 1.0
        return f"random.default_rng({k}).uniform(-1, 4, {st}){cast}", 4.0

    def literal(self, shape, dt):
        def elem():
            if dt == "bool":
                return self.r.choice(["True", "False"])
            if KIND[dt] == "i":
                return str(self.r.randint(-5, 9))
            return repr(self.r.choice([0.5, -1.25, 2.0, 3.0, -0.75, 1.0, 0.0, 4.5]))

        def build(s):
            if not s:
                return elem()
            return "[" + ", ".join(build(s[1:]) for _ in range(s[0])) + "]"

        body = build(shape)
        if dt in ("int32", "float32") or (dt != "bool" and 0 in shape) or (dt == "float64" and "." not in body):
            return f"array({body}, dtype={dt})", 9.0
        return f"array({body})", 9.0

    # ---------------------------------------------------------------- views
    def sliceAxis(self, n):
        """A random basic index for an axis of length n: (text, new length or None for int)."""
        form = self.pick([(3, "full"), (3, "range"), (3, "rev"), (2, "step"), (2, "int")])
        if form == "int" and n > 0:
            i = self.r.randint(-n, n - 1)
            return str(i), None
        if form == "full" or n == 0 and form == "int":
            return ":", n
        if form == "rev":
            text = "::-1"
            sl = slice(None, None, -1)
        elif form == "range":
            a = self.r.randint(-n - 1, n)
            b = self.r.randint(-n - 1, n + 1)
            text = f"{a}:{b}" if self.r.random() < 0.7 else self.r.choice([f"{a}:", f":{b}"])
            parts = text.split(":")
            sl = slice(int(parts[0]) if parts[0] else None, int(parts[1]) if parts[1] else None)
        else:
            k = self.r.choice([2, 3, -2, -1])
            a = self.r.choice(["", str(self.r.randint(-n, n))]) if n else ""
            text = f"{a}::{k}"
            sl = slice(int(a) if a else None, None, k)
        return text, len(range(*sl.indices(n)))

    def subscript(self, v):
        """A basic subscript of v: (text, resulting shape, isScalar).

        Indexes k leading axes, then optionally `...` and m trailing axes,
        with `None` sprinkled in."""
        shape = list(v.shape)
        nd = len(shape)
        useEllipsis = self.r.random() < 0.3
        k = self.r.randint(1, nd) if nd else 0
        m = self.r.randint(0, nd - k) if useEllipsis else 0
        if useEllipsis and self.r.random() < 0.3:
            k, m = m, k
        items, out = [], []

        def index(ax):
            if self.r.random() < 0.12:
                items.append("None")
                out.append(1)
            t, n = self.sliceAxis(shape[ax])
            items.append(t)
            if n is not None:
                out.append(n)

        for ax in range(k):
            index(ax)
        if useEllipsis:
            items.append("...")
            out += shape[k:nd - m]
            for ax in range(nd - m, nd):
                index(ax)
        if self.r.random() < 0.12:
            items.append("None")
            out.append(1)
        if not useEllipsis:
            out += shape[k:]  # the unindexed axes come after every item
        if not items:
            items = ["..."]
        isScalar = (not useEllipsis and "None" not in items and k == nd
                    and all(":" not in i and i != "..." for i in items))
        return ", ".join(items), tuple(out), isScalar

    def viewStep(self, v):
        """One view (or reshape/ravel) of v: a Val or None."""
        r = self.r
        nd = len(v.shape)
        t = self.paren(v)
        forms = [(6, "slice"), (2, "T"), (1, "transpose"), (1, "swapaxes"), (1, "moveaxis"),
                 (2, "reshape"), (1, "ravel"), (1, "broadcast_to"), (1, "swv"), (1, "as_strided"),
                 (2, "flip"), (1, "expand_dims"), (1, "squeeze"), (1, "newaxis"), (1, "rot90")]
        form = self.pick(forms)
        kw = {}
        if form == "slice" and nd:
            sub, shape, isScalar = self.subscript(v)
            if isScalar:
                return None
            return v.derive(f"{t}[{sub}]", shape=shape, owner=False)
        if form == "newaxis":
            x = r.random()
            if x < 0.4:
                return v.derive(f"{t}[None]", shape=(1,) + v.shape, owner=False)
            if x < 0.7 or not nd:
                return v.derive(f"{t}[..., newaxis]", shape=v.shape + (1,), owner=False)
            return v.derive(f"{t}[:, np.newaxis]", shape=v.shape[:1] + (1,) + v.shape[1:], owner=False)
        if form == "T":
            return v.derive(f"{t}.T", shape=tuple(reversed(v.shape)), owner=False)
        if form == "transpose" and nd:
            axes = list(range(nd))
            r.shuffle(axes)
            if r.random() < 0.5:
                return v.derive(f"transpose({v.text}, {tuple(axes)!r})" if nd > 1 else f"transpose({v.text})",
                                shape=tuple(v.shape[a] for a in axes) if nd > 1 else v.shape, owner=False)
            return v.derive(f"{t}.transpose({', '.join(map(str, axes))})",
                            shape=tuple(v.shape[a] for a in axes), owner=False)
        if form == "swapaxes" and nd:
            i, j = r.randint(-nd, nd - 1), r.randint(-nd, nd - 1)
            s = list(v.shape)
            s[i], s[j] = s[j], s[i]
            return v.derive(f"swapaxes({v.text}, {i}, {j})", shape=tuple(s), owner=False)
        if form == "moveaxis" and nd:
            i, j = r.randint(-nd, nd - 1), r.randint(-nd, nd - 1)
            s = list(v.shape)
            d = s.pop(i % nd)
            s.insert(j % nd, d)
            return v.derive(f"moveaxis({v.text}, {i}, {j})", shape=tuple(s), owner=False)
        if form == "reshape":
            shape = self.reshapeTarget(v.shape)
            txt = ", ".join(str(d) for d in shape) if shape else "()"
            if shape and r.random() < 0.3:
                k = r.randrange(len(shape))
                txt = ", ".join("-1" if i == k else str(d) for i, d in enumerate(shape))
                if v.size == 0:
                    return None
            # A reshape is a view or a copy; either is writable if v is.
            w = True if v.writable is True else None
            return v.derive(f"{t}.reshape({txt})" if r.random() < 0.7 else f"reshape({v.text}, {shapeText(shape)})",
                            shape=shape, owner=False, writable=w)
        if form == "ravel":
            w = True if v.writable is True else None
            return v.derive(f"{t}.ravel()" if r.random() < 0.5 else f"ravel({v.text})", shape=(v.size,),
                            owner=False, writable=w)
        if form == "broadcast_to":
            pre = tuple(r.randint(0, 3) for _ in range(r.randint(0, 2 if nd < 3 else 1)))
            shape = pre + tuple(d if d != 1 else r.choice([1, 2, 3]) for d in v.shape)
            return v.derive(f"broadcast_to({v.text}, {shapeText(shape)})", shape=shape, writable=False,
                            owner=False)
        if form == "swv" and nd:
            ax = r.randrange(nd)
            if v.shape[ax] == 0:
                return None
            w = r.randint(1, v.shape[ax])
            shape = list(v.shape)
            shape[ax] = v.shape[ax] - w + 1
            shape.append(w)
            axTxt = "" if nd == 1 and r.random() < 0.5 else f", axis={ax - nd if r.random() < 0.3 else ax}"
            return v.derive(f"sliding_window_view({v.text}, {w}{axTxt})", shape=tuple(shape), writable=False,
                            trick=True, owner=False)
        if form == "as_strided" and v.owner and v.size > 0:
            return self.asStrided(v)
        if form == "flip" and nd:
            if r.random() < 0.4:
                return v.derive(f"flip({v.text})", owner=False)
            ax = r.randint(-nd, nd - 1)
            return v.derive(f"flip({v.text}, {ax})" if r.random() < 0.5 else f"flip({v.text}, axis={ax})",
                            owner=False)
        if form == "rot90" and nd >= 2:
            i = r.randrange(nd)
            j = r.choice([d for d in range(nd) if d != i])
            k = r.randint(-2, 5)
            s = list(v.shape)
            if k % 2:
                s[i], s[j] = s[j], s[i]
            if (i, j) == (0, 1) and r.random() < 0.4:
                return v.derive(f"rot90({v.text}, {k})", shape=tuple(s), owner=False)
            return v.derive(f"rot90({v.text}, {k}, axes=({i - nd if r.random() < 0.3 else i}, {j}))",
                            shape=tuple(s), owner=False)
        if form == "expand_dims":
            ax = r.randint(-nd - 1, nd)
            s = list(v.shape)
            s.insert(ax % (nd + 1), 1)
            return v.derive(f"expand_dims({v.text}, {ax})", shape=tuple(s), owner=False)
        if form == "squeeze":
            ones = [i for i, d in enumerate(v.shape) if d == 1]
            if ones and r.random() < 0.5:
                ax = r.choice(ones)
                s = list(v.shape)
                s.pop(ax)
                return v.derive(f"squeeze({v.text}, axis={ax})", shape=tuple(s), owner=False)
            return v.derive(f"squeeze({v.text})" if r.random() < 0.5 else f"{t}.squeeze()",
                            shape=tuple(d for d in v.shape if d != 1), owner=False)
        return None

    def reshapeTarget(self, shape):
        n = prod(shape)
        if n == 0:
            return self.r.choice([(0,), (0, 2), (2, 0, 1)])
        divs = [d for d in range(1, n + 1) if n % d == 0]
        rank = self.r.choice([1, 2, 2, 3])
        out = []
        rem = n
        for _ in range(rank - 1):
            d = self.r.choice([d for d in divs if rem % d == 0])
            out.append(d)
            rem //= d
        out.append(rem)
        return tuple(out)

    def asStrided(self, v):
        n = v.size
        item = ITEMSIZE[v.dtype]
        for _ in range(20):
            rank = self.r.choice([1, 2])
            shape = tuple(self.r.randint(1, 4) for _ in range(rank))
            strides = tuple(self.r.choice([1, 2, 3, -1, 4]) for _ in range(rank))
            if any(s < 0 for s in strides):
                continue
            offs = [0]
            for d, s in zip(shape, strides):
                offs = [o + i * s for o in offs for i in range(d)]
            if max(offs) < n and len(set(offs)) == len(offs):
                bst = tuple(s * item for s in strides)
                return v.derive(f"as_strided({v.text}, shape={shapeText(shape)}, strides={shapeText(bst)})",
                                shape=shape, trick=True, owner=False)
        return None

    def view(self, env, v=None):
        """A chain of 1..3 views of an array variable."""
        if v is None:
            cands = self.arrays(env)
            if not cands:
                return None
            v = self.r.choice(cands)
        for _ in range(self.r.choice([1, 1, 2, 3])):
            w = None
            for _ in range(4):
                w = self.viewStep(v)
                if w is not None:
                    break
            if w is None:
                break
            w.kind = "array"
            v = w
        return v

    # ---------------------------------------------------------------- expressions
    def operand(self, env, shapeHint=None, depth=0):
        """An array operand: a variable, a view of one, or a nested expression."""
        cands = self.arrays(env)
        if shapeHint is not None:
            good = [v for v in cands if broadcastShapes(v.shape, shapeHint) == shapeHint]
            cands = good or cands
        if not cands:
            return None
        v = self.r.choice(cands)
        x = self.r.random()
        if x < 0.25:
            w = self.view(env, v)
            if w is not None and (shapeHint is None or broadcastShapes(w.shape, shapeHint) is not None):
                v = w
        elif x < 0.4 and depth < 2:
            e = self.expr(env, depth + 1, v)
            if e is not None and (shapeHint is None or broadcastShapes(e.shape, shapeHint) is not None):
                v = e
        return v

    def binary(self, env, a, depth):
        if self.rMatmul.random() < 0.08:
            e = self.matmul(a)
            if e is not None:
                return e
        r = self.r
        op = self.pick([(5, "+"), (4, "-"), (5, "*"), (3, "/"), (1, "//"), (1, "%"), (2, "**"),
                        (3, "cmp"), (2, "bit"), (2, "minmax"), (2, "ufunc2"), (1, "shift")])
        scalars = [v for v in env.values() if v.kind == "npscalar"]
        if scalars and r.random() < 0.12:
            b = r.choice(scalars)  # a NumPy scalar: strongly typed under NEP 50
        elif r.random() < 0.45:
            b = self.pyScalar()
        else:
            b = self.operand(env, a.shape, depth + 1)
            if b is None or broadcastShapes(a.shape, b.shape) is None:
                b = self.pyScalar()
        if b.kind == "py":
            dt = promoteScalar(a.dtype, b.pykind)
            shape = a.shape
        else:
            dt = promote(a.dtype, b.dtype)
            shape = broadcastShapes(a.shape, b.shape)
        swap = r.random() < 0.4
        inexact = a.inexact or b.inexact
        mag = max(a.mag, b.mag)
        if op == "cmp":
            if inexact:
                return None
            sym = r.choice(["<", ">", "<=", ">=", "==", "!="])
            return self.binText(a, b, sym, swap, "bool", shape, False, 1.0)
        if op == "bit":
            if KIND[dt] == "f" or (b.kind == "py" and b.pykind == "f"):
                return None
            sym = r.choice(["&", "|", "^"])
            return self.binText(a, b, sym, swap, dt, shape, False, max(mag, 16) * 2)
        if op == "minmax":
            fn = r.choice(["minimum", "maximum"])
            x, y = (b, a) if swap else (a, b)
            return Val(f"{fn}({x.text}, {y.text})", shape=shape, dtype=dt, inexact=inexact, mag=mag, owner=True,
                       root=self.newRoot())
        if op == "ufunc2":
            fn = r.choice(["fmax", "fmin", "copysign", "fmod", "arctan2", "hypot", "logical_and",
                           "logical_or", "logical_xor", "heaviside", "logaddexp", "gcd", "lcm",
                           "nextafter", "divmod", "ldexp"])
            x, y = (b, a) if swap else (a, b)
            text = f"{fn}({x.text}, {y.text})"
            if fn in ("gcd", "lcm"):  # integer loops only; lcm wraps like NumPy's
                if KIND[dt] != "i" or inexact or KIND[x.dtype] == "b" or KIND[y.dtype] == "b":
                    return None
                return Val(text, shape=shape, dtype=dt, mag=mag if fn == "gcd" else mag * mag,
                           owner=True, root=self.newRoot())
            if fn == "divmod":  # either output: floor_divide's or remainder's
                if dt == "bool" or inexact:
                    return None
                return Val(f"{text}[{r.randint(0, 1)}]", shape=shape, dtype=dt,
                           mag=mag if KIND[dt] == "i" else INF, owner=True, root=self.newRoot())
            if fn == "nextafter":
                if dt == "bool" or KIND[x.dtype] == "b" and x.kind == "py":
                    return None
                rdt = dt if KIND[dt] == "f" else "float64"
                return Val(text, shape=shape, dtype=rdt, inexact=inexact, mag=mag, owner=True,
                           root=self.newRoot())
            if fn == "ldexp":  # a float (or int) array times 2**k for a small Python int k
                if KIND[a.dtype] == "b" or a.kind == "py":
                    return None
                k = r.randint(-3, 3)
                rdt = a.dtype if KIND[a.dtype] == "f" else "float64"
                return Val(f"ldexp({a.text}, {k})", shape=a.shape, dtype=rdt, inexact=a.inexact,
                           mag=a.mag * 8, owner=True, root=self.newRoot())
            if fn in ("heaviside", "logaddexp"):
                if dt == "bool" or inexact or KIND[x.dtype] == "b" or x.kind == "py":
                    return None
                rdt = dt if KIND[dt] == "f" else "float64"
                return Val(text, shape=shape, dtype=rdt, inexact=fn == "logaddexp",
                           mag=mag + 1 if fn == "logaddexp" else mag, owner=True, root=self.newRoot())
            if fn.startswith("logical"):
                if inexact:
                    return None
                return Val(text, shape=shape, dtype="bool", mag=1.0, owner=True, root=self.newRoot())
            if fn in ("fmax", "fmin"):
                return Val(text, shape=shape, dtype=dt, inexact=inexact, mag=mag, owner=True,
                           root=self.newRoot())
            if dt == "bool":  # float16 (copysign, arctan2, hypot) or int8 (fmod) in NumPy
                return None
            if fn == "fmod":
                if inexact:
                    return None
                return Val(text, shape=shape, dtype=dt, mag=mag if KIND[dt] == "i" else INF, owner=True,
                           root=self.newRoot())
            rdt = dt if KIND[dt] == "f" else "float64"
            return Val(text, shape=shape, dtype=rdt, inexact=inexact or fn == "arctan2",
                       mag=4.0 if fn == "arctan2" else mag * 2, owner=True, root=self.newRoot())
        if op == "shift":
            if KIND[a.dtype] != "i" or inexact:
                return None
            sym = r.choice(["<<", ">>"])
            count = Val(str(r.randint(0, 70)), kind="py", pykind="i", mag=70)
            return self.binText(a, count, sym, False, a.dtype, a.shape, False, INF)
        if op in ("-",) and dt == "bool":
            return None
        if op == "/":
            rdt = dt if KIND[dt] == "f" else "float64"
            return self.binText(a, b, "/", swap, rdt, shape, inexact, INF)
        if op in ("//", "%"):
            if dt == "bool" or inexact:
                return None
            return self.binText(a, b, op, swap, dt, shape, False, mag if KIND[dt] == "i" else INF)
        if op == "**":
            if dt == "bool":
                return None
            if KIND[dt] == "i" or b.kind != "py" or r.random() < 0.5:
                e = self.pyScalar("i", small=True) if KIND[dt] == "i" else Val(
                    r.choice(["2", "0.5", "1", "-1", "0", "2.0", "3", "1.5"]), kind="py",
                    pykind="f", mag=3)
                if e.text in ("-1", "0.5", "1.5", "3") and KIND[a.dtype] != "f":
                    return None
                # NumPy squares a bool array into int8 (ravel refuses: no int8).
                if a.dtype == "bool" and e.text in ("2", "2.0"):
                    return None
                rdt = promoteScalar(a.dtype, "i" if "." not in e.text else "f")
                if rdt == "bool":
                    return None
                ex = inexact or e.text in ("3", "1.5")
                m = INF if e.text in ("-1", "1.5") or a.mag > 1e3 else a.mag ** 3 + 1
                return Val(f"{self.paren(a)} ** {e.text}", shape=a.shape, dtype=rdt, inexact=ex, mag=m,
                           owner=True, root=self.newRoot())
            return None
        sym = op
        m = a.mag + b.mag if op in "+-" else a.mag * b.mag
        return self.binText(a, b, sym, swap, dt, shape, inexact, m)

    def matmul(self, a):
        """A product of an operand with its own transpose (shapes always fit):
        `a @ a.T`, `a.T @ a`, or `v @ v` for a vector. Float products are
        BLAS's and may differ from NumPy's in the last bits (inexact);
        integer products wrap identically."""
        p = self.paren(a)
        if len(a.shape) == 2:
            m, k = a.shape
            if self.rMatmul.random() < 0.5:
                text, shape, inner = f"{p} @ {p}.T", (m, m), k
            else:
                text, shape, inner = f"{p}.T @ {p}", (k, k), m
        elif len(a.shape) == 1:
            text, shape, inner = f"{p} @ {p}", (), a.shape[0]
        else:
            return None
        return Val(text, shape=shape, dtype=a.dtype, inexact=a.inexact or KIND[a.dtype] == "f",
                   mag=a.mag * a.mag * max(inner, 1), owner=True, root=self.newRoot())

    @staticmethod
    def paren(v):
        """v's text, parenthesised unless it is a primary (name, call, subscript,
        attribute, non-negative number) that binds tighter than any operator."""
        node = ast.parse(v.text, mode="eval").body
        if isinstance(node, (ast.Name, ast.Call, ast.Subscript, ast.Attribute)):
            return v.text
        if isinstance(node, ast.Constant) and not v.text.startswith("-"):
            return v.text
        return f"({v.text})"

    def binText(self, a, b, sym, swap, dt, shape, inexact, mag):
        x, y = (b, a) if swap else (a, b)
        return Val(f"{self.paren(x)} {sym} {self.paren(y)}", shape=shape, dtype=dt, inexact=inexact, mag=mag,
                   owner=True, root=self.newRoot())

    def unary(self, env, a):
        r = self.r
        fn = self.pick([(2, "-"), (1, "~"), (3, "abs"), (2, "sqrt"), (1, "exp"), (1, "log"), (1, "sin"),
                        (1, "cos"), (1, "tanh"), (2, "where"), (2, "clip"), (1, "astype"),
                        (3, "round"), (3, "ufunc1"), (1, "pred")])
        if fn == "-":
            if a.dtype == "bool":
                return None
            return Val(f"-{self.paren(a)}", shape=a.shape, dtype=a.dtype, inexact=a.inexact, mag=a.mag,
                       owner=True, root=self.newRoot())
        if fn == "~":
            if KIND[a.dtype] == "f":
                return None
            return Val(f"~{self.paren(a)}", shape=a.shape, dtype=a.dtype, mag=a.mag + 1, owner=True,
                       root=self.newRoot())
        if fn == "abs":
            return Val(f"abs({a.text})", shape=a.shape, dtype=a.dtype, inexact=a.inexact, mag=a.mag,
                       owner=True, root=self.newRoot())
        if fn in ("sqrt", "exp", "log", "sin", "cos", "tanh"):
            if a.dtype == "bool":
                return None
            if fn == "exp" and a.mag > 50 or fn in ("sin", "cos") and a.mag > 1e4:
                return None
            dt = a.dtype if KIND[a.dtype] == "f" else "float64"
            mag = {"sqrt": math.sqrt(a.mag) if a.mag < INF else INF, "exp": INF, "log": INF}.get(fn, 1.0)
            return Val(f"{fn}({a.text})", shape=a.shape, dtype=dt, inexact=a.inexact or fn != "sqrt", mag=mag,
                       owner=True, root=self.newRoot())
        if fn == "round":
            if a.dtype == "bool":
                return None
            f = r.choice(["floor", "ceil", "trunc", "rint", "sign", "square", "around"])
            if f == "sign":
                dt = a.dtype
            elif f == "square":
                dt, mag = a.dtype, (a.mag * a.mag if a.mag < 1e150 else INF)
            else:
                dt = a.dtype if KIND[a.dtype] == "f" or f == "around" else "float64"
            text = f"{f}({a.text})"
            if f == "around" and r.random() < 0.5:
                k = r.choice([1, 2, -1])
                # around's method form, a.round(k), half the time.
                text = f"around({a.text}, {k})" if r.random() < 0.5 else f"{self.paren(a)}.round({k})"
                if KIND[a.dtype] != "f":
                    return None
            return Val(text, shape=a.shape, dtype=dt, inexact=a.inexact, mag=mag if f == "square" else a.mag + 1,
                       owner=True, root=self.newRoot())
        if fn == "ufunc1":
            if a.dtype == "bool":
                return None
            f = r.choice(["log10", "log2", "log1p", "expm1", "exp2", "arcsin", "arccos", "arctan", "sinh",
                          "cosh", "tan", "cbrt", "arcsinh", "arccosh", "arctanh", "fabs", "deg2rad",
                          "radians", "rad2deg", "degrees", "fix", "nan_to_num", "spacing", "modf",
                          "frexp"])
            if f in ("spacing", "modf", "frexp"):  # exact: bits of the operand
                if f == "spacing" and a.inexact:  # one ulp of an approximate value
                    return None
                k = r.randint(0, 1)
                text = f"{f}({a.text})" if f == "spacing" else f"{f}({a.text})[{k}]"
                dt = a.dtype if KIND[a.dtype] == "f" else "float64"
                if f == "frexp" and k == 1:
                    return Val(text, shape=a.shape, dtype="int32", mag=1100.0, owner=True,
                               root=self.newRoot())
                if f == "frexp" and a.inexact:  # the mantissa of an approximate value
                    return None
                return Val(text, shape=a.shape, dtype=dt, inexact=a.inexact,
                           mag=1.0 if f != "modf" or k == 0 else a.mag, owner=True,
                           root=self.newRoot())
            if f in ("deg2rad", "radians", "rad2deg", "degrees", "fix", "nan_to_num"):
                # exact (no transcendental): the value carries its operand's rounding only
                dt = a.dtype if KIND[a.dtype] == "f" or f == "nan_to_num" else "float64"
                mag = a.mag * 60 if f in ("rad2deg", "degrees") else a.mag + 1
                return Val(f"{f}({a.text})", shape=a.shape, dtype=dt, inexact=a.inexact, mag=mag, owner=True,
                           root=self.newRoot())
            if f in ("expm1", "exp2", "sinh", "cosh") and a.mag > 50 or f == "tan" and a.mag > 1e4:
                return None
            dt = a.dtype if KIND[a.dtype] == "f" else "float64"
            mag = 4.0 if f in ("arcsin", "arccos", "arctan") else INF
            return Val(f"{f}({a.text})", shape=a.shape, dtype=dt, inexact=True, mag=mag, owner=True,
                       root=self.newRoot())
        if fn == "pred":
            f = r.choice(["isnan", "isinf", "isfinite", "logical_not", "signbit"])
            if a.inexact:
                return None
            return Val(f"{f}({a.text})", shape=a.shape, dtype="bool", mag=1.0, owner=True, root=self.newRoot())
        if fn == "where":
            if a.inexact:
                return None
            c = f"{self.paren(a)} > {self.r.choice(['0', '1', '0.5'])}" if a.dtype != "bool" else a.text
            x = self.operand(env, a.shape)
            y = self.operand(env, a.shape)
            if x is None or y is None:
                return None
            s1 = broadcastShapes(a.shape, x.shape)
            s = s1 and broadcastShapes(s1, y.shape)
            if s is None:
                return None
            return Val(f"where({c}, {x.text}, {y.text})", shape=s, dtype=promote(x.dtype, y.dtype),
                       inexact=x.inexact or y.inexact, mag=max(x.mag, y.mag), owner=True, root=self.newRoot())
        if fn == "clip":
            if a.dtype == "bool":
                return None
            lo, hi = sorted([self.r.randint(-2, 5), self.r.randint(-2, 5)])
            if KIND[a.dtype] == "f":
                lo, hi = lo / 2, hi / 2
            return Val(f"clip({a.text}, {lo}, {hi})", shape=a.shape, dtype=a.dtype, inexact=a.inexact,
                       mag=max(abs(lo), abs(hi)), owner=True, root=self.newRoot())
        if fn == "astype":
            dt = self.r.choice(DTYPES)
            if KIND[dt] == "i" and KIND[a.dtype] == "f" and (a.inexact or a.mag > (2e9 if dt == "int32" else 1e15)):
                return None
            mag = 1.0 if dt == "bool" else a.mag
            return Val(f"{self.paren(a)}.astype({dt})", shape=a.shape, dtype=dt, inexact=a.inexact, mag=mag,
                       owner=True, root=self.newRoot())
        return None

    def expr(self, env, depth=0, a=None):
        """An elementwise expression over the environment's arrays."""
        if a is None:
            a = self.operand(env, None, depth + 1)
            if a is None:
                return None
        for _ in range(6):
            e = self.binary(env, a, depth) if self.r.random() < 0.65 else self.unary(env, a)
            if e is not None:
                # A ufunc of 0-d operands returns a NumPy scalar, not an array;
                # where() returns a 0-d array and astype keeps what it had.
                if e.shape == () and not e.text.startswith("where("):
                    e.kind = a.kind if e.text.endswith(".astype(" + e.dtype + ")") else "npscalar"
                return e
        return None

    # ---------------------------------------------------------------- reductions
    def reduction(self, env, a=None):
        r = self.r
        if a is None:
            cands = self.arrays(env)
            if not cands:
                return None
            a = r.choice(cands)
            if r.random() < 0.3:
                a = self.view(env, a) or a
            elif r.random() < 0.3:
                a = self.expr(env, 1, a) or a
        fn = self.pick([(4, "sum"), (2, "prod"), (2, "min"), (2, "max"), (3, "mean"), (1, "any"), (1, "all")])
        nd = len(a.shape)
        axes = None
        axTxt = ""
        form = r.random()
        if nd and form < 0.45:
            ax = r.randrange(nd)
            axes = (ax,)
            axTxt = f", axis={ax - nd if r.random() < 0.4 else ax}"
        elif nd >= 2 and form < 0.7:
            k = r.randint(1, nd)
            axes = tuple(sorted(r.sample(range(nd), k)))
            shown = tuple(x - nd if r.random() < 0.3 else x for x in axes)
            axTxt = f", axis={shapeText(shown) if len(shown) == 1 else repr(shown)}"
        reduced = axes if axes is not None else tuple(range(nd))
        if fn in ("min", "max") and any(a.shape[i] == 0 for i in reduced):
            return None
        if fn in ("sum", "prod"):
            dt = "int64" if KIND[a.dtype] in "bi" else a.dtype
        elif fn == "mean":
            dt = "float64" if KIND[a.dtype] in "bi" else a.dtype
        elif fn in ("any", "all"):
            dt = "bool"
        else:
            dt = a.dtype
        shape = tuple(d for i, d in enumerate(a.shape) if i not in reduced)
        full = axes is None or len(reduced) == nd
        # keepdims=True: the reduced axes stay with length 1, and the result
        # is always an array (owning its memory).
        if r.random() < 0.15:
            axTxt += ", keepdims=True"
            shape = tuple(1 if i in reduced else d for i, d in enumerate(a.shape))
            full = False
        n = prod(a.shape[i] for i in reduced)
        mag = {"sum": a.mag * max(n, 1), "prod": INF if a.mag > 1 else 1.0, "mean": a.mag}.get(fn, a.mag)
        if fn in ("any", "all"):
            mag = 1.0
        method = fn in ("sum", "mean", "min", "max") and r.random() < 0.35 and not a.text[0].isdigit()
        if method:
            text = f"{self.paren(a)}.{fn}({axTxt[2:]})"
        else:
            text = f"{r.choice(['', 'np.'])}{fn}({a.text}{axTxt})"
        if fn in ("min", "max") and KIND[dt] == "f":
            # NumPy's SIMD min/max pick the sign of a zero result by lane order
            # (max of [0., -0.] can be -0.); adding 0.0 makes -0. +0.
            text = f"({text} + 0.0)"
        return Val(text, kind="npscalar" if full else "array", shape=shape, dtype=dt, inexact=a.inexact,
                   mag=mag, owner=True, root=self.newRoot())

    # ---------------------------------------------------------------- statements
    def statement(self, env, inFunc=False):
        """One statement (list of lines) that keeps env up to date, or None."""
        table = [(5, self.stAssignSource), (7, self.stAssignExpr), (8, self.stAssignView),
                 (8, self.stAugAssign), (3, self.stOverlap), (5, self.stSetItem), (2, self.stFillCopyto),
                 (4, self.stReduce), (3, self.stStats), (2, self.stShaping), (2, self.stBinning),
                 (6, self.stPrint), (2, self.stAlias),
                 (0 if inFunc else 3, self.stCall), (0 if inFunc else 3, self.stLoop)]
        if not self.arrays(env):
            table = [(1, self.stAssignSource)]
        # Each of these draws from its own stream: programs without one
        # stay as they were.
        elif self.rUfunc.random() < 0.12:
            return self.drawnFrom(self.rUfunc, self.stUfunc, env)
        elif self.rGrid.random() < 0.08:
            return self.drawnFrom(self.rGrid, lambda e: self.stBindNew(e, self.gridOrBlock, "b"), env)
        elif self.rFuncs.random() < 0.1:
            return self.drawnFrom(self.rFuncs, self.stFunctions, env)
        elif self.rPanels.random() < 0.03:
            return self.drawnFrom(self.rPanels, self.stRowPanels, env)
        return self.pick(table)(env)

    def drawnFrom(self, stream, make, env):
        """make(env) with self.r set to `stream` meanwhile."""
        saved, self.r = self.r, stream
        try:
            return make(env)
        finally:
            self.r = saved

    def stRowPanels(self, env):
        """Row-wise work over a matrix product: row reductions with
        keepdims=True and an elementwise value that reads them (a softmax,
        centring, scaling, a log-sum-exp of shape (m, 1)), which ravel runs
        row panel by row panel with the product. The product is a named
        value (so it is also stored whole) or written out inline (only the
        panels exist); a softmax's exponentials are named or written twice."""
        r = self.r
        cands = self.arrays(env, lambda v: len(v.shape) == 2 and KIND[v.dtype] == "f" and
                            min(v.shape) >= 2)
        if not cands:
            return None
        a = r.choice(cands)
        p = self.paren(a)
        m, k = a.shape
        if r.random() < 0.5:
            text, n, inner = f"{p} @ {p}.T", m, k
        else:
            text, n, inner = f"{p}.T @ {p}", k, m
        mag = a.mag * a.mag * inner
        if r.random() < 0.5:
            biases = self.arrays(env, lambda v: v.shape in ((n,), (1, n)) and KIND[v.dtype] == "f")
            bias = r.choice(biases).text if biases and r.random() < 0.7 else r.choice(["0.5", "-1.25"])
            text = f"{text} + {bias}"
            mag += 2.0
        shape = (n, n)
        lines = []
        if r.random() < 0.5:
            z = self.newName("z")
            lines.append(f"{z} = {text}")
            env[z] = Val(z, shape=shape, dtype=a.dtype, inexact=True, mag=mag, owner=True,
                         root=self.newRoot())
            P = z
        else:
            P = f"({text})"
        kd = "axis=1, keepdims=True"
        form = self.pick([(3, "softmax"), (2, "center"), (2, "scale"), (1, "logsumexp")])
        outShape, outMag = shape, 1.0
        if form == "softmax":
            E = f"exp({P} - {P}.max({kd}))"
            if r.random() < 0.5:
                e = self.newName("e")
                lines.append(f"{e} = {E}")
                env[e] = Val(e, shape=shape, dtype=a.dtype, inexact=True, mag=1.0, owner=True,
                             root=self.newRoot())
                E = e
            out = f"{E} / {E}.sum({kd})"
        elif form == "center":
            out, outMag = f"{P} - {P}.mean({kd})", 2 * mag
        elif form == "scale":
            out = f"{P} / (abs({P}).max({kd}) + 1)"
        else:
            out = f"log(exp({P} - {P}.max({kd})).sum({kd})) + {P}.max({kd})"
            outShape, outMag = (n, 1), mag + n
        w = self.newName("w")
        lines.append(f"{w} = {out}")
        env[w] = Val(w, shape=outShape, dtype=a.dtype, inexact=True, mag=outMag, owner=True,
                     root=self.newRoot())
        self.inexactOut = True
        return lines

    def gridOrBlock(self, env):
        """mgrid/ogrid of random slices (int, float and imaginary `Nj` or
        `N * 1j` steps, negative steps, one slice or several; ogrid's k-th open grid)
        or block (or array() of a list) of an array, a view or an expression
        with partners of its shape, scalars and rows."""
        r = self.r
        np_ = r.choice(["", "np."])
        if r.random() < 0.45:
            return self.grid(np_)
        cands = self.arrays(env, lambda v: len(v.shape) <= 2)
        if not cands:
            return self.grid(np_)
        a = r.choice(cands)
        if r.random() < 0.3:
            a = self.view(env, a) or a
            if len(a.shape) > 2:
                return None
        elif r.random() < 0.3:
            a = self.expr(env, 1, a) or a
            if len(a.shape) > 2:
                return None
        nd = len(a.shape)
        if a.dtype == "bool":
            other, odt, omag = f"~{self.paren(a)}", "bool", 1.0
        else:
            other, odt, omag = r.choice([(f"{self.paren(a)} * 2", a.dtype, a.mag * 2),
                                         (f"{self.paren(a)} + 1", a.dtype, a.mag + 1),
                                         (f"{a.text}[...]", a.dtype, a.mag)])
        dt = a.dtype
        if r.random() < 0.3:
            # NumPy's array coercion of a list holding arrays: stacked.
            if nd == 0:
                text, shape = f"{np_}array([{a.text}, {other}, 7])", (3,)
                dt = promote(a.dtype, "int64")
            else:
                text, shape = f"{np_}array([{a.text}, {other}])", (2,) + tuple(a.shape)
            return Val(text, shape=shape, dtype=dt, inexact=a.inexact, mag=max(a.mag, omag, 7.0),
                       owner=True, root=self.newRoot())
        if nd == 0:
            # Scalars and 0-d blocks: a 1-d result.
            text, shape = f"{np_}block([{a.text}, {other}, 7])", (3,)
            dt = promote(a.dtype, "int64")
        elif nd == 1:
            n = a.shape[0]
            form = r.choice(["flat", "scalar", "rows"])
            if form == "flat":
                text, shape = f"{np_}block([{a.text}, {other}])", (2 * n,)
            elif form == "scalar":
                text, shape = f"{np_}block([{a.text}, 3, {other}])", (2 * n + 1,)
                dt = promote(a.dtype, "int64")
            else:
                text, shape = f"{np_}block([[{a.text}], [{other}]])", (2, n)
        else:
            m, n = a.shape
            if r.random() < 0.5:
                text, shape = f"{np_}block([[{a.text}, {other}], [{other}, {a.text}]])", (2 * m, 2 * n)
            else:
                col = shapeText((m, 1))
                text, shape = f"{np_}block([[{a.text}, zeros({col}, dtype={a.dtype})]])", (m, n + 1)
        return Val(text, shape=shape, dtype=dt, inexact=a.inexact, mag=max(a.mag, omag, 7.0),
                   owner=True, root=self.newRoot())

    def grid(self, np_):
        """mgrid[...] or ogrid[...][k] with NumPy's point counts and dtypes."""
        r = self.r
        items, sizes, anyFloat = [], [], False
        for _ in range(r.choice([1, 1, 2, 2, 3])):
            start = r.choice([0, 0, 1, -2, 0.5, -1.5])
            form = r.choice(["int", "int", "float", "points", "down"])
            if form == "points":
                n = r.randint(0, 5)
                stop = start + r.choice([1, 2, 3.5])
                nTxt = r.choice([f"{n}j", f"{n}j", f"{n} * 1j", f"1j * {n}"])
                items.append(f"{start}:{stop}:{r.choice(['', '-'])}{nTxt}")
                sizes.append(n)
                anyFloat = True
                continue
            if form == "float":
                step = r.choice([0.5, 0.25, 1.5])
                stop = start + step * r.randint(0, 5) + r.choice([0, 0.1])
            elif form == "down":
                step = r.choice([-1, -2])
                stop = start - r.randint(0, 6)
            else:
                step = r.choice([None, 1, 2, 3])
                stop = start + r.randint(0, 6)
            sizes.append(max(0, math.ceil((stop - start) / (step or 1))))
            anyFloat |= any(isinstance(x, float) for x in (start, stop, step))
            startTxt = "" if start == 0 and r.random() < 0.3 else str(start)
            items.append(f"{startTxt}:{stop}" + ("" if step is None else f":{step}"))
        dt = "float64" if anyFloat else "int64"
        mag = 12.0
        if len(items) == 1:
            # One slice is arange; an imaginary step is float even alone.
            return Val(f"{np_}{r.choice(['mgrid', 'ogrid'])}[{items[0]}]", shape=(sizes[0],),
                       dtype=dt, mag=mag, owner=True, root=self.newRoot())
        key = ", ".join(items)
        if r.random() < 0.5:
            return Val(f"{np_}mgrid[{key}]", shape=(len(items),) + tuple(sizes), dtype=dt, mag=mag,
                       owner=True, root=self.newRoot())
        k = r.randrange(len(items))
        shape = tuple(sizes[i] if i == k else 1 for i in range(len(items)))
        return Val(f"{np_}ogrid[{key}][{k}]", shape=shape, dtype=dt, mag=mag, owner=False,
                   root=self.newRoot())

    def stFunctions(self, env):
        """print(...) of append, insert, delete, cross, convolve, correlate,
        cov, corrcoef, gradient, polyval, polyder/polyint/polymul (of the
        array flattened), i0, unwrap or triu/tril_indices_from over an
        array of the program (a view or an expression of it at times).
        Arguments are drawn in range, so an error is one both sides raise
        (a boolean cross or gradient, an empty convolve)."""
        r = self.r
        cands = self.arrays(env)
        if not cands:
            return None
        a = r.choice(cands)
        if r.random() < 0.3:
            a = self.view(env, a) or a
        elif r.random() < 0.2:
            a = self.expr(env, 1, a) or a
        src, nd = a.text, len(a.shape)
        flt = KIND[a.dtype] == "f"
        fn = self.pick([(3, "append"), (3, "insert"), (3, "delete"), (2, "cross"), (2, "convolve"),
                        (1, "correlate"), (2, "cov"), (1, "corrcoef"), (2, "gradient"),
                        (1, "polyval"), (1, "polycalc"), (1, "triu"), (1, "i0"),
                        (2, "unwrap")])
        ax = r.randrange(nd) if nd else None
        if fn in ("insert", "delete") and (a.kind != "array" or nd == 0):
            # A NumPy scalar's result is its first element, garbage when empty
            # (a 0-d value may be one: an argmin, seed 96002).
            return None
        if fn == "append":
            if nd and r.random() < 0.5:
                return [f"print(append({src}, {src}, axis={ax - (nd if r.random() < 0.3 else 0)}))"]
            return [f"print(append({src}, {self.pyScalar().text}))"]
        if fn == "insert":
            if nd and r.random() < 0.6:
                n = a.shape[ax]
                i = r.randint(-n, n)
                obj = r.choice([str(i), f"[{i}]", f"[{r.randint(-n, n)}, {i}]", "slice(0, None, 2)"])
                return [f"print(insert({src}, {obj}, {self.pyScalar().text}, axis={ax}))"]
            n = max(a.size, 0)
            return [f"print(insert({src}, {r.randint(-n, n)}, {self.pyScalar().text}))"]
        if fn == "delete":
            if nd and a.shape[ax] and r.random() < 0.6:
                n = a.shape[ax]
                i = r.randint(-n, n - 1)
                obj = r.choice([str(i), f"[{i}, {r.randint(0, n - 1)}]", "slice(None, None, 2)",
                                "slice(1, -1)", "[]"])
                return [f"print(delete({src}, {obj}, axis={ax}))"]
            if a.size == 0:
                return None
            return [f"print(delete({src}, {r.randint(-a.size, a.size - 1)}))"]
        if fn == "cross":
            if not nd or a.shape[-1] not in (2, 3):
                return None
            other = r.choice([f"{src}[..., ::-1]", "[1, -2, 3]", "[2.5, 0.5]"])
            return [f"print(cross({src}, {other}))"]
        if fn in ("convolve", "correlate"):
            v = r.choice(["[1, 2, 3]", "[0.5, -1.0]", "[2]", "[1, 0, -1, 0, 1, 2, 3]"])
            mode = r.choice(["", ", 'same'", ", 'valid'", ", mode='full'"])
            if flt or "." in v:
                self.inexactOut = True  # BLAS dot products may add in another order
            return [f"print({fn}(ravel({src}), {v}{mode}))"]
        if fn in ("cov", "corrcoef"):
            if nd > 2:
                return None
            extra = r.choice(["", ", rowvar=False", ", bias=True", ", ddof=0"] if fn == "cov" else
                             ["", ", rowvar=False"])
            self.inexactOut = True
            return [f"print({fn}({src}{extra}) + 0.0)"]
        if fn == "gradient":
            if not nd:
                return None
            edge = r.choice(["", ", edge_order=2"])
            spacing = r.choice(["", ", 2.0", ", 0.5"]) if r.random() < 0.5 else ""
            if a.inexact:
                self.inexactOut = True
            return [f"print(gradient({src}{spacing}, axis={ax}{edge}))"]
        if fn == "polyval":
            p = r.choice(["[1, 2]", "[0.5, -1.0, 2.0]", "[3]"])
            self.inexactOut = True
            return [f"print(polyval({p}, {src}))"]
        if fn == "polycalc":
            form = r.choice(["polyder", "polyint", "polymul"])
            if form == "polyder":
                m = r.choice(["", ", 2", ", m=0", ", 5"])
                return [f"print(polyder(ravel({src}){m}))"]
            if form == "polyint":
                k = r.choice(["", ", k=1.5", ", 2, [1, -1]", ", 3, 2", ", m=0"])
                return [f"print(polyint(ravel({src}){k}))"]
            q = r.choice(["[1, 2]", "[0, 0.5, -1.0]", "[3]", "[]", "[0, 0]"])
            if flt or "." in q:
                self.inexactOut = True  # convolve: BLAS dot products may add in another order
            return [f"print(polymul(ravel({src}), {q}))"]
        if fn == "i0":
            self.inexactOut = True  # exp is SLEEF's, within an ULP of NumPy's
            return [f"print(i0({src}))"]
        if fn == "unwrap":
            if not nd:
                return None
            extra = r.choice(["", ", discont=4.0", ", period=6", ", period=5", ", period=2.5",
                              ", discont=1, period=4"])
            if a.inexact:
                self.inexactOut = True
            return [f"print(unwrap({src}, axis={ax - (nd if r.random() < 0.3 else 0)}{extra}))"]
        if nd != 2:
            return None
        k = r.choice(["", ", 1", ", -1", ", k=2"])
        return [f"print({src}[{r.choice(['triu', 'tril'])}_indices_from({src}{k})])"]

    def stUfunc(self, env):
        """A ufunc keyword or method: `add(x, y, out=t)` (often t's own memory
        on the input side, and where= with out=), `add.reduce(a, axis)`,
        `maximum.accumulate(a, axis)`, `subtract.outer(a, b)`, `add.at(t,
        [0, 0, 2], v)` (repeated indices accumulate), `sum(t, axis=0,
        out=t[0])` (a reduction into its own input's row, or a new array)."""
        r = self.r
        form = self.pick([(4, "out"), (3, "reduce"), (2, "accumulate"), (1, "outer"), (2, "at"),
                          (2, "reduceOut")])
        if form == "reduceOut":
            # A reduction along axis 0 written into the first row of its own
            # input (NumPy reads the input as it was) or into a fresh array.
            cands = self.arrays(env, lambda v: v.writable is True and len(v.shape) >= 2
                                and v.shape[0] > 0 and KIND[v.dtype] != "b")
            if not cands:
                return None
            t = r.choice(cands)
            fn = r.choice(["add.reduce", "maximum.reduce", "minimum.reduce", "sum", "max", "prod"])
            n = t.shape[0]
            if r.random() < 0.6:
                mag = {"add.reduce": t.mag * n, "sum": t.mag * n,
                       "prod": INF if t.mag > 1 else 1.0}.get(fn, t.mag)
                self.taint(env, t, False, mag)
                return [f"{fn}({t.text}, axis=0, out={t.text}[0])"]
            name = self.newName("o")
            dt = t.dtype if fn not in ("add.reduce", "sum", "prod") or KIND[t.dtype] == "f" else "int64"
            env[name] = Val(name, shape=t.shape[1:], dtype=dt, inexact=t.inexact,
                            mag=INF if fn == "prod" else t.mag * n, owner=True, root=self.newRoot())
            return [f"{name} = zeros({shapeText(t.shape[1:])}, dtype={dt})",
                    f"{fn}({t.text}, axis=0, out={name})"]
        if form == "out":
            t = self.target(env)
            if t is None or KIND[t.dtype] == "b":
                return None
            fn = r.choice(["add", "subtract", "multiply", "maximum", "minimum", "heaviside"])
            if fn == "heaviside" and KIND[t.dtype] != "f":  # a float result only
                return None
            base = [v for v in self.arrays(env) if v.root == t.root]
            x = t if r.random() < 0.5 else self.operand(env, t.shape)
            if base and r.random() < 0.5:
                y = self.view(env, r.choice(base)) or r.choice(base)
            elif r.random() < 0.4:
                y = self.pyScalar()
            else:
                y = self.operand(env, t.shape)
            if x is None or y is None:
                return None
            for v in (x, y):
                if v.kind != "py" and broadcastShapes(v.shape, t.shape) != t.shape:
                    return None
            xd = x.dtype if x.kind != "py" else None
            yd = y.dtype if y.kind != "py" else None
            if xd is None:
                return None
            rd = promote(xd, yd) if yd else promoteScalar(xd, y.pykind)
            if rd == "bool" and fn in ("subtract", "heaviside"):  # float16 for heaviside
                return None
            if "bif".index(KIND[rd]) > "bif".index(KIND[t.dtype]):
                return None
            kw = f"out={t.text}" if r.random() < 0.7 else f"out=({t.text},)"
            if r.random() < 0.25 and t.shape:
                kw += f", where={t.text} > 0" if not t.inexact else ", where=True"
            mag = INF if fn == "multiply" else (x.mag + y.mag)
            if fn == "heaviside":
                if x.inexact or y.inexact:  # a near-zero x1 could flip its step
                    return None
                mag = max(1.0, y.mag)
            self.taint(env, t, x.inexact or y.inexact, mag)
            return [f"{fn}({x.text}, {y.text}, {kw})"]
        if form == "at":
            cands = self.arrays(env, lambda v: v.writable is True and v.shape and v.shape[0] > 0
                                and KIND[v.dtype] != "b")
            if not cands:
                return None
            t = r.choice(cands)
            n = t.shape[0]
            idx = [r.randint(-n, n - 1) for _ in range(r.randint(1, 4))]
            fn = r.choice(["add", "subtract", "maximum", "minimum"])
            val = self.pyScalar("i" if KIND[t.dtype] == "i" else None, small=True)
            self.taint(env, t, False, t.mag + len(idx) * val.mag)
            return [f"{fn}.at({t.text}, {idx!r}, {val.text})"]
        cands = self.arrays(env, lambda v: v.shape)
        if not cands:
            return None
        a = r.choice(cands)
        if r.random() < 0.3:
            a = self.view(env, a) or a
        nd = len(a.shape)
        if not a.shape:
            return None
        if form == "outer":
            others = self.arrays(env, lambda v: 0 < len(v.shape) and prod(v.shape) <= 12)
            if not others or prod(a.shape) > 12 or nd > 2:
                return None
            b = r.choice(others)
            fn = r.choice(["add", "subtract", "multiply", "maximum", "greater", "minimum"])
            dt = "bool" if fn == "greater" else promote(a.dtype, b.dtype)
            if dt == "bool" and fn == "subtract":
                return None
            v = Val(f"{fn}.outer({a.text}, {b.text})", shape=a.shape + b.shape, dtype=dt,
                    inexact=a.inexact or b.inexact, mag=INF if fn == "multiply" else a.mag + b.mag,
                    owner=True, root=self.newRoot())
            name = self.bind(env, v, "u")
            return [f"{name} = {v.text}"]
        ax = r.randrange(nd)
        axTxt = "" if ax == 0 and r.random() < 0.5 else f", axis={ax - nd if r.random() < 0.3 else ax}"
        n = a.shape[ax]
        if form == "reduce":
            fn = r.choice(["add", "multiply", "maximum", "minimum", "logical_and", "logical_or",
                           "subtract", "bitwise_or"])
            if fn == "bitwise_or" and KIND[a.dtype] == "f" or fn == "subtract" and a.dtype == "bool":
                return None
            if fn in ("maximum", "minimum", "subtract") and n == 0:
                return None
            if fn == "subtract" and (KIND[a.dtype] == "f" and a.inexact):
                return None
            dt = {"add": "int64" if KIND[a.dtype] in "bi" else a.dtype,
                  "multiply": "int64" if KIND[a.dtype] in "bi" else a.dtype,
                  "logical_and": "bool", "logical_or": "bool"}.get(fn, a.dtype)
            shape = tuple(d for i, d in enumerate(a.shape) if i != ax)
            text = f"{fn}.reduce({a.text}{axTxt})"
            if fn in ("maximum", "minimum") and KIND[dt] == "f":
                text = f"({text} + 0.0)"
            mag = {"add": a.mag * max(n, 1), "subtract": a.mag * max(n, 1),
                   "multiply": INF if a.mag > 1 else 1.0}.get(fn, a.mag)
            v = Val(text, kind="array" if shape else "npscalar", shape=shape, dtype=dt,
                    inexact=a.inexact, mag=mag, owner=True, root=self.newRoot())
            name = self.bind(env, v, "u")
            return [f"{name} = {v.text}"]
        fn = r.choice(["add", "multiply", "maximum", "minimum", "subtract"])
        if fn == "subtract" and (a.dtype == "bool" or a.inexact):
            return None
        dt = "int64" if fn in ("add", "multiply") and KIND[a.dtype] in "bi" else a.dtype
        mag = {"add": a.mag * max(n, 1), "subtract": a.mag * max(n, 1),
               "multiply": INF if a.mag > 1 else 1.0}.get(fn, a.mag)
        v = Val(f"{fn}.accumulate({a.text}{axTxt})", shape=a.shape, dtype=dt, inexact=a.inexact,
                mag=mag, owner=True, root=self.newRoot())
        name = self.bind(env, v, "u")
        return [f"{name} = {v.text}"]

    def bind(self, env, v, prefix="v"):
        name = self.newName(prefix)
        env[name] = v.derive(name)
        return name

    def stAssignSource(self, env):
        v = self.source()
        name = self.bind(env, v)
        return [f"{name} = {v.text}"]

    def stAssignExpr(self, env):
        e = self.expr(env)
        if e is None:
            return None
        name = self.bind(env, e)
        return [f"{name} = {e.text}"]

    def stAssignView(self, env):
        cands = self.arrays(env)
        if not cands:
            return None
        v = self.r.choice(cands)
        if self.r.random() < 0.2:
            v = self.expr(env, 1, v) or v
        w = self.view(env, v)
        if w is None or w.text == v.text:
            return None
        name = self.bind(env, w)
        return [f"{name} = {w.text}"]

    def stAlias(self, env):
        cands = self.arrays(env)
        if not cands:
            return None
        v = self.r.choice(cands)
        name = self.bind(env, v)
        return [f"{name} = {v.text}"]

    def castOk(self, target, value):
        """Whether `target op= value` casts with same_kind, as NumPy requires."""
        if value.kind == "py":
            k = value.pykind
        else:
            k = KIND[value.dtype]
        order = "bif"
        return order.index(k) <= order.index(KIND[target.dtype])

    def target(self, env):
        """A writable array to write into: a variable or a basic view of one."""
        cands = self.arrays(env, lambda v: v.writable is True)
        if not cands:
            return None
        v = self.r.choice(cands)
        x = self.r.random()
        if x < 0.4 and v.shape:
            sub, shape, isScalar = self.subscript(v)
            if not isScalar:
                return v.derive(f"{v.text}[{sub}]", shape=shape)
        elif x < 0.5:
            return v.derive(f"{v.text}[...]")
        return v

    def stAugAssign(self, env):
        t = self.target(env)
        if t is None:
            return None
        r = self.r
        k = KIND[t.dtype]
        ops = {"b": ["&=", "|=", "^="], "i": ["+=", "-=", "*=", "//=", "%=", "&=", "|=", "^=", "**="],
               "f": ["+=", "-=", "*=", "/=", "+=", "*=", "-=", "**="]}[k]
        op = r.choice(ops)
        if op == "**=":
            val = Val(r.choice(["2", "1", "0"]), kind="py", pykind="i", mag=2)
        elif r.random() < 0.4:
            val = self.pyScalar("b" if k == "b" else None)
        else:
            # Often the same memory on both sides: the target's own variable or a view of it.
            base = [v for v in self.arrays(env) if v.root == t.root]
            if base and r.random() < 0.6:
                val = self.view(env, r.choice(base)) if r.random() < 0.7 else r.choice(base)
            else:
                val = self.operand(env, t.shape)
            if val is None or broadcastShapes(val.shape, t.shape) != t.shape:
                val = self.pyScalar("b" if k == "b" else None)
        if not self.castOk(t, val):
            return None
        if op in ("&=", "|=", "^=") and (val.kind == "py" and val.pykind == "f" or val.kind != "py"
                                          and KIND[val.dtype] == "f"):
            return None
        if op in ("//=", "%=") and (val.inexact or t.inexact):
            return None
        if k == "b" and op not in ("&=", "|=", "^="):
            return None
        self.taint(env, t, val.inexact, INF if op in ("/=", "**=", "*=") else t.mag + val.mag)
        return [f"{t.text} {op} {val.text}"]

    def stOverlap(self, env):
        """An update whose two sides overlap in memory: `a[1:] += a[:-1]`,
        `a -= a[::-1]`, `a[...] = a.T`, `a[:, 1:] = a[:, :-1]`."""
        r = self.r
        cands = self.arrays(env, lambda v: v.writable is True and v.shape and KIND[v.dtype] != "b")
        if not cands:
            return None
        v = r.choice(cands)
        nd = len(v.shape)
        ax = r.randrange(nd)
        n = v.shape[ax]
        pre = ":, " * ax
        form = r.choice(["shift", "shift", "rev", "T"])
        op = r.choice(["+=", "-=", "*=", "="] if KIND[v.dtype] == "f" else ["+=", "-=", "=", "|="])
        if form == "shift" and n >= 2:
            k = r.randint(1, n - 1)
            if r.random() < 0.5:
                line = f"{v.text}[{pre}{k}:] {op} {v.text}[{pre}:-{k}]"
            else:
                line = f"{v.text}[{pre}:-{k}] {op} {v.text}[{pre}{k}:]"
        elif form == "T" and len(set(v.shape)) == 1:
            line = f"{v.text}[...] {op} {v.text}.T" if op == "=" else f"{v.text} {op} {v.text}.T"
        else:
            line = f"{v.text}[{pre}::-1] {op} {v.text}" if op == "=" else f"{v.text} {op} {v.text}[{pre}::-1]"
        self.taint(env, v, False, INF if op == "*=" else v.mag * 2)
        return [line]

    def stLoop(self, env):
        """A loop (control flow, issue 10): in-place updates through views
        repeated k times, a running update along an axis by index
        (`a[i] += a[i - 1]`), or a rebinding that chains lazily across
        iterations (`w = w * 0.5 + 1`), sometimes with an early break."""
        r = self.r
        form = self.pick([(3, "repeat"), (3, "scan"), (2, "rebind")])
        if form == "repeat":
            k = r.randint(1, 3)
            body = []
            for _ in range(r.randint(1, 2)):
                st = self.stOverlap(env) if r.random() < 0.5 else self.stAugAssign(env)
                if st is None:
                    return None
                body += st
            # Each pass can double magnitudes again: no integer may overflow.
            for v in env.values():
                if v.isArray and any(v.root == w.root for w in env.values() if w.isArray):
                    v.mag = grownMagnitude(v.mag, k)
            return [f"for it in range({k}):"] + ["    " + line for line in body]
        if form == "scan":
            cands = self.arrays(env, lambda v: v.writable is True and v.shape and v.shape[0] >= 2
                                and KIND[v.dtype] != "b")
            if not cands:
                return None
            v = r.choice(cands)
            n = v.shape[0]
            op = r.choice(["+=", "-="] if KIND[v.dtype] == "i" else ["+=", "-=", "*="])
            if r.random() < 0.5:
                lines = [f"for i in range(1, {n}):", f"    {v.text}[i] {op} {v.text}[i - 1]"]
            else:
                lines = [f"for i in range({n - 2}, -1, -1):", f"    {v.text}[i] {op} {v.text}[i + 1]"]
            self.taint(env, v, False, INF if op == "*=" or v.mag * n > 1e15 else v.mag * n)
            return lines
        cands = self.arrays(env, lambda v: KIND[v.dtype] == "f" and v.kind == "array")
        if not cands:
            return None
        v = r.choice(cands)
        name = self.newName("w")
        k = r.randint(1, 40)
        a, b = r.choice(["0.5", "0.25", "-0.5"]), r.choice(["1", "2.5", "-1"])
        lines = [f"{name} = {v.text} + 0", f"for it in range({k}):", f"    {name} = {name} * {a} + {b}"]
        if r.random() < 0.4:
            lines += [f"    if abs({name}).max() > {r.choice(['3', '10', '100'])}:", "        break"]
        env[name] = v.derive(name, root=self.newRoot(), writable=True, owner=False, trick=False,
                             mag=max(v.mag, 10.0) if v.mag < INF else INF)
        return lines

    def taint(self, env, t, inexact, mag):
        """A write into t's root: every alias may now hold such values."""
        for name, v in env.items():
            if v.isArray and v.root == t.root:
                v.inexact = v.inexact or inexact
                v.mag = max(v.mag, mag)

    def stSetItem(self, env):
        r = self.r
        cands = self.arrays(env, lambda v: v.writable is True)
        if not cands:
            return None
        v = r.choice(cands)
        form = self.pick([(4, "slice"), (3, "mask"), (2, "fancy"), (1, "ellipsis")])
        if form == "mask":
            if v.inexact:
                return None
            if v.dtype == "bool":
                m = v.text
            else:
                m = f"{v.text} {r.choice(['>', '<', '=='])} {r.choice(['0', '1', '0.5', '2'])}"
            val = self.setValue(v, ())
            if val is None:
                return None
            self.taint(env, v, False, val.mag)
            return [f"{v.text}[{m}] = {val.text}"]
        if form == "fancy":
            if not v.shape or v.shape[0] == 0:
                return None
            n = v.shape[0]
            idx = [r.randint(-n, n - 1) for _ in range(r.randint(1, 3))]
            shape = (len(idx),) + v.shape[1:]
            val = self.setValue(v, shape, allowAlias=False)
            if val is None:
                return None
            self.taint(env, v, val.inexact, val.mag)
            return [f"{v.text}[{idx!r}] = {val.text}"]
        if form == "ellipsis":
            sub, shape = "...", v.shape
        else:
            if not v.shape:
                return None
            sub, shape, isScalar = self.subscript(v)
        val = self.setValue(v, shape)
        if val is None:
            return None
        self.taint(env, v, val.inexact, val.mag)
        return [f"{v.text}[{sub}] = {val.text}"]

    def setValue(self, v, shape, allowAlias=True):
        """A value to store into an array of v's dtype with the given shape."""
        r = self.r
        if r.random() < 0.45 or not shape:
            if KIND[v.dtype] == "b":
                return self.pyScalar("b")
            if KIND[v.dtype] == "i":
                return self.pyScalar("i")
            return self.pyScalar()
        for _ in range(4):
            val = self.operand(self.curEnv, shape)
            if val is None:
                return None
            if broadcastShapes(val.shape, shape) != shape:
                continue
            if not allowAlias and val.root == v.root:
                continue
            if KIND[v.dtype] == "i" and KIND[val.dtype] == "f" and (val.inexact or val.mag > 1e9):
                continue
            return val
        return None

    def stFillCopyto(self, env):
        r = self.r
        cands = self.arrays(env, lambda v: v.writable is True)
        if not cands:
            return None
        v = r.choice(cands)
        if r.random() < 0.4:
            s = self.pyScalar({"b": "b", "i": "i", "f": None}[KIND[v.dtype]])
            self.taint(env, v, False, s.mag)
            return [f"{v.text}.fill({s.text})"]
        src = self.operand(env, v.shape)
        if src is None or broadcastShapes(src.shape, v.shape) != v.shape or not self.castOk(v, src):
            return None
        self.taint(env, v, src.inexact, src.mag)
        return [f"copyto({v.text}, {src.text})"]

    def stBindNew(self, env, make, prefix):
        """`name = value` for a value make(env) draws, bound to a new name."""
        v = make(env)
        if v is None:
            return None
        name = self.bind(env, v, prefix)
        return [f"{name} = {v.text}"]

    def stReduce(self, env):
        return self.stBindNew(env, self.reduction, "s")

    def stStats(self, env):
        return self.stBindNew(env, self.statistic, "q")

    def stShaping(self, env):
        return self.stBindNew(env, self.shaping, "g")

    def shaping(self, env):
        """A new array from creation and shaping functions: tril/triu, pad,
        take_along_axis (with a stable argsort), take (with an axis or flat,
        mode raise/wrap/clip, indices out of range for wrap and clip),
        column_stack/dstack and meshgrid, of an array, a view or an
        expression."""
        r = self.r
        cands = self.arrays(env)
        if not cands:
            return None
        a = r.choice(cands)
        if r.random() < 0.3:
            a = self.view(env, a) or a
        elif r.random() < 0.3:
            a = self.expr(env, 1, a) or a
        nd = len(a.shape)
        fn = self.pick([(2, "tril"), (2, "triu"), (4, "pad"), (2, "take_along_axis"),
                        (1, "column_stack"), (1, "dstack"), (1, "meshgrid"), (1, "select"),
                        (1, "resize"), (2, "take")])
        np_ = r.choice(["", "np."])
        shape = a.shape
        if fn in ("tril", "triu"):
            if nd == 0:
                return None
            k = r.randint(-2, 2)
            kTxt = "" if k == 0 and r.random() < 0.5 else (f", {k}" if r.random() < 0.5 else f", k={k}")
            if nd == 1:
                shape = (a.shape[0], a.shape[0])
            text = f"{np_}{fn}({a.text}{kTxt})"
        elif fn == "pad":
            mode = r.choice(["constant", "constant", "edge", "reflect", "symmetric", "wrap"])
            if mode != "constant" and 0 in a.shape:
                return None
            x = r.random()
            if x < 0.3 or nd == 0:
                w = r.randint(0, 3)
                pairs = [(w, w)] * nd
                wTxt = str(w)
            elif x < 0.6:
                b, c = r.randint(0, 3), r.randint(0, 3)
                pairs = [(b, c)] * nd
                wTxt = f"({b}, {c})"
            else:
                pairs = [(r.randint(0, 3), r.randint(0, 3)) for _ in range(nd)]
                wTxt = "(" + ", ".join(f"({b}, {c})" for b, c in pairs) + ("," if nd == 1 else "") + ")"
            shape = tuple(d + b + c for d, (b, c) in zip(a.shape, pairs))
            mTxt = "" if mode == "constant" and r.random() < 0.5 else (f", '{mode}'" if r.random() < 0.5 else f", mode='{mode}'")
            if mode == "constant" and r.random() < 0.4:
                cv = r.choice([0, 1, 2]) if a.dtype != "bool" else r.choice([0, 1])
                mTxt += f", constant_values={cv}"
            text = f"{np_}pad({a.text}, {wTxt}{mTxt})"
        elif fn == "take_along_axis":
            if nd == 0:
                return None
            ax = r.randrange(nd)
            src = a.text
            if KIND[a.dtype] == "f":
                src = f"{self.paren(a)} + 0.0"
            text = f"{np_}take_along_axis({a.text}, argsort({src}, axis={ax}, kind='stable'), {ax if r.random() < 0.5 else 'axis=' + str(ax - nd)})"
        elif fn == "take":
            flat = nd == 0 or r.random() < 0.3
            n = 1
            for d in a.shape:
                n *= d
            ax = None if flat else r.randrange(nd)
            size = n if flat else a.shape[ax]
            if size == 0:
                return None
            mode = r.choice(["raise", "wrap", "clip", None])
            span = size if mode in ("raise", None) else 3 * size
            idx = [r.randrange(-span, span) for _ in range(r.randint(0, 4))]
            axTxt = "" if flat else (f", {ax}" if r.random() < 0.3 else f", axis={ax - nd if r.random() < 0.3 else ax}")
            mTxt = "" if mode is None else f", mode='{mode}'"
            if flat and axTxt == "" and mTxt and r.random() < 0.3:
                axTxt = ", None"
            if r.random() < 0.3:
                text = f"{self.paren(a)}.take({idx}{axTxt}{mTxt})"
            else:
                text = f"{np_}take({a.text}, {idx}{axTxt}{mTxt})"
            shape = (len(idx),) if flat else a.shape[:ax] + (len(idx),) + a.shape[ax + 1:]
        elif fn in ("column_stack", "dstack"):
            if nd > (2 if fn == "column_stack" else 3):
                return None
            if fn == "column_stack":
                s0 = (1, 1) if nd == 0 else ((a.shape[0], 1) if nd == 1 else a.shape)
                shape = (s0[0], s0[1] * 2)
            else:
                s0 = (1, 1, 1) if nd == 0 else ((1, a.shape[0], 1) if nd == 1 else (a.shape + (1,) if nd == 2 else a.shape))
                shape = (s0[0], s0[1], s0[2] * 2)
            other = self.paren(a) + r.choice([" * 2", " + 1", "[...]"]) if a.dtype != "bool" else a.text
            text = f"{np_}{fn}(({a.text}, {other}))"
        elif fn == "select":
            if a.dtype == "bool" or nd == 0:
                return None
            lo = r.randint(-1, 2)
            d = r.choice([0, 2, 5])
            text = (f"{np_}select([{self.paren(a)} > {lo}, {self.paren(a)} < {lo}], "
                    f"[{a.text}, {self.paren(a)} * 2], {d})")
            dt = "int64" if KIND[a.dtype] in "bi" else ("float64" if a.dtype == "float32" else a.dtype)
            dt = a.dtype if a.dtype in ("int64", "float64") else dt
            return Val(text, shape=a.shape, dtype=dt, inexact=a.inexact, mag=a.mag * 2 + 5, owner=True,
                       root=self.newRoot())
        elif fn == "resize":
            shape = self.randShape(2)
            text = f"{np_}resize({a.text}, {shapeText(shape)})"
        else:  # meshgrid
            if nd != 1:
                return None
            b = r.choice(self.arrays(env, lambda v: len(v.shape) == 1) or [a])
            ij = r.random() < 0.5
            k = r.randint(0, 1)
            sh = (a.shape[0], b.shape[0]) if ij else (b.shape[0], a.shape[0])
            idx = "" if not ij else ", indexing='ij'"
            if r.random() < 0.3:
                idx += ", sparse=True"
                sh = tuple(d if (i == (k if ij else 1 - k)) else 1 for i, d in enumerate(sh))
            text = f"{np_}meshgrid({a.text}, {b.text}{idx})[{k}]"
            dt = a.dtype if k == 0 else b.dtype
            return Val(text, shape=sh, dtype=dt, inexact=(a if k == 0 else b).inexact,
                       mag=(a if k == 0 else b).mag, owner=True, root=self.newRoot())
        return Val(text, shape=shape, dtype=a.dtype, inexact=a.inexact, mag=a.mag, owner=True,
                   root=self.newRoot())

    def statistic(self, env):
        """argmax/argmin, cumsum/cumprod, std/var, sort, argsort (stable) and
        diff of an array, a view or an expression, along None or one axis."""
        r = self.r
        cands = self.arrays(env)
        if not cands:
            return None
        a = r.choice(cands)
        if r.random() < 0.3:
            a = self.view(env, a) or a
        elif r.random() < 0.3:
            a = self.expr(env, 1, a) or a
        fn = self.pick([(2, "argmax"), (2, "argmin"), (2, "cumsum"), (1, "cumprod"), (2, "std"),
                        (2, "var"), (3, "sort"), (1, "argsort"), (2, "diff"), (1, "ptp"), (1, "median"),
                        (1, "nansum"), (1, "nanmax"), (1, "nanmin"), (1, "nanstd"), (1, "nanvar"),
                        (1, "nanprod"), (1, "nancumsum"), (1, "nanmedian"), (1, "ediff1d")])
        if fn in ("ptp", "ediff1d") and a.dtype == "bool":
            return None
        nd = len(a.shape)
        if nd == 0 and fn in ("sort", "argsort", "diff"):
            return None
        ax = None
        if nd and fn != "ediff1d" and (fn in ("sort", "diff", "argsort") or r.random() < 0.6):
            ax = r.randrange(nd)
            if r.random() < 0.4:
                ax -= nd
        axTxt = "" if ax is None else f", axis={ax}"
        if ax is None and fn in ("sort", "argsort") and r.random() < 0.5:
            axTxt = ", axis=None"
        if fn in ("sort", "argsort", "diff") and ax is None and axTxt == "":
            ax = -1  # their default axis
        reduced = tuple(range(nd)) if ax is None else (ax % nd,)
        n = prod(a.shape[i] for i in reduced)
        rest = tuple(d for i, d in enumerate(a.shape) if i not in reduced)
        src = a.text
        if fn in ("sort",) and KIND[a.dtype] == "f":
            src = f"{self.paren(a)} + 0.0"  # -0. and 0. compare equal: their order is unspecified
        dt, shape, inexact, mag, kind = a.dtype, a.shape, a.inexact, a.mag, "array"
        if fn in ("argmax", "argmin"):
            if n == 0:
                return None
            dt, shape, mag = "int64", rest if ax is not None else (), max(a.size, 1)
            kind = "array" if ax is not None else "npscalar"
        elif fn in ("cumsum", "cumprod", "nancumsum"):
            dt = "int64" if KIND[a.dtype] in "bi" else a.dtype
            shape = a.shape if ax is not None else (a.size,)
            mag = a.mag * max(n, 1) if fn != "cumprod" else (INF if a.mag > 1 else 1.0)
        elif fn == "nanprod":
            dt = "int64" if KIND[a.dtype] in "bi" else a.dtype
            shape, kind = (rest, "array") if ax is not None else ((), "npscalar")
            mag = INF if a.mag > 1 else 1.0
        elif fn in ("std", "var", "nanstd", "nanvar"):
            dt = "float64" if KIND[a.dtype] in "bi" else a.dtype
            shape, inexact, mag = rest if ax is not None else (), True, a.mag * a.mag + 1
            kind = "array" if ax is not None else "npscalar"
        elif fn in ("ptp", "nanmax", "nanmin"):
            if n == 0:
                return None
            shape, kind = (rest, "array") if ax is not None else ((), "npscalar")
            mag = a.mag * 2
        elif fn == "nansum":
            dt = "int64" if KIND[a.dtype] in "bi" else a.dtype
            shape, kind = (rest, "array") if ax is not None else ((), "npscalar")
            mag = a.mag * max(n, 1)
        elif fn in ("median", "nanmedian"):
            dt = "float32" if a.dtype == "float32" else "float64"
            shape, kind = (rest, "array") if ax is not None else ((), "npscalar")
        elif fn == "argsort":
            dt, mag = "int64", max(a.size, 1)
            shape = a.shape if "None" not in axTxt else (a.size,)
            axTxt += ", kind='stable'"
        elif fn == "sort":
            shape = a.shape if "None" not in axTxt else (a.size,)
        elif fn == "diff":
            if a.dtype == "bool":
                dt = "bool"
            k = r.choice([1, 1, 2])
            axTxt += f", n={k}" if k != 1 else ""
            shape = tuple(max(d - k, 0) if i == ax % nd else d for i, d in enumerate(a.shape))
            mag = a.mag * 2 ** k
        elif fn == "ediff1d":
            shape, mag = (max(a.size - 1, 0),), a.mag * 2
        method = (fn not in ("diff", "median", "ediff1d") and not fn.startswith("nan") and r.random() < 0.3
                  and not a.text[0].isdigit())
        if method and fn != "sort" and src == a.text:
            text = f"{self.paren(a)}.{fn}({axTxt[2:]})"
        else:
            text = f"{r.choice(['', 'np.'])}{fn}({src}{axTxt})"
        if fn in ("nanmax", "nanmin", "ptp", "median", "nanmedian") and KIND[dt] == "f":
            text = f"({text} + 0.0)"  # the sign of a zero result depends on lane order
        return Val(text, kind=kind, shape=shape, dtype=dt, inexact=inexact, mag=mag, owner=True,
                   root=self.newRoot())

    def stBinning(self, env):
        """print(...) of a set or binning function of an exact array: isin,
        unique along an axis, digitize, histogram (float data with range=,
        so NaN and inf fall outside), interp, lexsort, unravel_index and
        ravel_multi_index. Their results' shapes depend
        on the values, so they are printed, not bound."""
        r = self.r
        cands = self.arrays(env, lambda v: not v.inexact)
        if not cands:
            return None
        a = r.choice(cands)
        src = a.text
        flt = KIND[a.dtype] == "f"
        if flt:
            src = f"{self.paren(a)} + 0.0"  # -0. and 0. are equal: which one prints is unspecified
        nd = len(a.shape)
        fn = self.pick([(3, "isin"), (2, "unique"), (2, "digitize"), (3, "histogram"), (2, "interp"),
                        (1, "lexsort"), (1, "unravel")])
        if fn == "lexsort":
            return [f"print(lexsort((ravel({src}), ravel({src})[::-1])))"]
        if fn == "unravel":
            if nd == 0 or 0 in a.shape:
                return None
            shp = repr(tuple(a.shape))
            return [f"print(unravel_index(argmax({src}), {shp}), "
                    f"ravel_multi_index(unravel_index(argmin({src}), {shp}), {shp}))"]
        if fn == "isin":
            b = r.choice(cands)
            test = b.text if r.random() < 0.6 else r.choice(["[0, 1, 2]", "[0.5, -1.0, 3]", "[True]"])
            flags = r.choice(["", ", invert=True", ", assume_unique=True", ", kind='sort'"])
            return [f"print({r.choice(['isin', 'np.isin'])}({src}, {test}{flags}))"]
        if fn == "unique":
            if nd == 0:
                return None
            ax = r.randrange(nd) - (nd if r.random() < 0.3 else 0)
            extra = r.choice(["", ", return_index=True", ", return_counts=True",
                              ", return_inverse=True, return_counts=True"])
            return [f"print(unique({src}, axis={ax}{extra}))"]
        if fn == "digitize":
            bins = r.choice(["[-2, 0, 0.5, 3]", "[4.0, 1.0, 1.0, -1.5]", "[0, 1]", "[1.5]",
                             "array([-3, 0, 2], dtype=int32)"])
            right = r.choice(["", ", right=True"])
            return [f"print(digitize({src}, {bins}{right}))"]
        if fn == "histogram":
            bins = r.choice(["", ", bins=3", ", bins=1", ", 7", ", bins=[-1, 0, 0.5, 2.5]",
                             ", bins=[0, 1, 2]"])
            # NumPy's own bin arithmetic overflows for ints spanning more than
            # int32 (an IndexError from inside np.histogram, seed 94012).
            if not flt and a.mag >= 2 ** 30 and "[" not in bins:
                return None
            rng = ""
            if flt or r.random() < 0.3:
                if flt and "[" not in bins:
                    rng = r.choice([", range=(-1, 2)", ", range=(0.5, 0.75)", ", range=(-3.0, 3.0)"])
            opts = r.choice(["", ", density=True", f", weights=ones({a.shape}, dtype=int32)"])
            if "density" in opts:
                self.inexactOut = True
            return [f"print(histogram({src}{bins}{rng}{opts}))"]
        xp = r.choice(["[-1.0, 0.0, 2.0]", "[0, 1, 1, 3]", "[0.5]"])
        fp = {"[-1.0, 0.0, 2.0]": "[1.0, -2.0, 4.0]", "[0, 1, 1, 3]": "[0, 2, 3, 5]",
              "[0.5]": "[7.5]"}[xp]
        lr = r.choice(["", ", left=-9.0", ", right=9"] + ([", period=2.5"] if xp[1] == "-" else []))
        self.inexactOut = True
        return [f"print(interp({src}, {xp}, {fp}{lr}))"]

    def note(self, v):
        if v.inexact:
            self.inexactOut = True

    def stPrint(self, env):
        r = self.r
        cands = [v for v in env.values() if v.kind != "py"]
        if not cands:
            return None
        v = r.choice(cands)
        form = self.pick([(5, "value"), (2, "view"), (3, "reduce"), (2, "attrs"), (2, "alias"),
                          (1, "pynum"), (1, "item"), (1, "asarray")])
        if form == "asarray" and v.isArray:
            # array()/asarray() keywords: no copy unless asked or needed; ndmin views.
            order = r.choice(["'C'", "'F'", "'K'", "'A'"])
            q = [f"shares_memory(array({v.text}, copy=False), {v.text})",
                 f"array({v.text}, ndmin={r.randint(0, 4)}).shape",
                 f"array({v.text}, order={order}).flags.c_contiguous",
                 f"asarray({v.text}, order={order}).flags.f_contiguous",
                 f"shares_memory(asarray({v.text}, order={order}), {v.text})"]
            return ["print(" + ", ".join(r.sample(q, r.randint(1, 3))) + ")"]
        if form == "item" and v.isArray and v.size > 0:
            # a.item(): one flat index (any sign), one per axis, or a tuple of them.
            shape = v.shape
            how = r.choice(["flat", "axes", "tuple"]) if shape else "none"
            if how == "none" or v.size == 1 and r.random() < 0.3:
                args = "" if v.size == 1 else str(r.randrange(v.size))
            elif how == "flat":
                args = str(r.randrange(-v.size, v.size))
            else:
                idx = ", ".join(str(r.randrange(-n, n)) for n in shape)
                args = idx if how == "axes" or len(shape) == 1 else f"({idx})"
            self.note(v)
            return [f"print({v.text}.item({args}))"]
        if form in ("value", "item") or not v.isArray and form in ("view", "attrs", "alias"):
            self.note(v)
            return [f"print({v.text})"]
        if form == "view":
            w = self.view(env, v)
            if w is None:
                return None
            self.note(w)
            return [f"print({w.text})"]
        if form == "reduce":
            red = self.reduction(env, v if r.random() < 0.5 else None)
            if red is None:
                return None
            self.note(red)
            return [f"print({red.text})"]
        if form == "attrs":
            attrs = r.sample([".shape", ".strides", ".dtype", ".flags.owndata", ".flags.writeable", ".ndim",
                              ".size"], r.randint(1, 3))
            return ["print(" + ", ".join(v.text + a for a in attrs) + ")"]
        if form == "alias":
            others = self.arrays(env, lambda w: w is not v)
            if not others:
                return None
            w = r.choice(others)
            q = [f"shares_memory({v.text}, {w.text})", f"may_share_memory({w.text}, {v.text})"]
            if not v.trick and not w.trick:
                q.append(f"{v.text}.base is {w.text}")
                q.append(f"{v.text}.base is None")
            return ["print(" + ", ".join(r.sample(q, r.randint(1, len(q)))) + ")"]
        fn = r.choice(["sum", "prod", "mean", "max", "min"])
        s = self.pyScalar()
        return [f"print({fn}({s.text}))"]

    def stCall(self, env):
        """Define a function over some of the current arrays and call it."""
        r = self.r
        cands = self.arrays(env)
        if not cands:
            return None
        args = r.sample(cands, min(len(cands), r.randint(1, 2)))
        fname = f"f{self.nextFunc}"
        self.nextFunc += 1
        local = {}
        params = []
        for i, a in enumerate(args):
            p = f"p{i}"
            local[p] = a.derive(p)
            params.append(p)
        body = []
        saved = self.curEnv
        self.curEnv = local
        for _ in range(r.randint(1, 4)):
            st = None
            for _ in range(5):
                st = self.statement(local, inFunc=True)
                if st is not None:
                    break
            if st:
                body += st
        arrs = self.arrays(local)
        ret = r.choice(arrs)
        if r.random() < 0.6:
            ret = self.view(local, ret) or ret
        self.curEnv = saved
        lines = [f"def {fname}({', '.join(params)}):"] + ["    " + b for b in body] + [f"    return {ret.text}"]
        # Writes inside the body reached the arguments' roots; carry the taint out.
        for p, a in zip(params, args):
            lv = local[p]
            self.taint(env, a, lv.inexact, lv.mag)
        name = self.bind(env, ret)
        lines.append(f"{name} = {fname}({', '.join(a.text for a in args)})")
        if r.random() < 0.3:
            lines.append(f"print({name})")
            self.note(ret)
        return lines

    # ---------------------------------------------------------------- errors
    def errorStatement(self, env):
        """A statement NumPy rejects (placed last), or None."""
        r = self.r
        arrs = self.arrays(env)
        if not arrs:
            return None
        v = r.choice(arrs)
        form = self.pick([(2, "broadcast"), (2, "axis"), (2, "index"), (2, "readonly"), (2, "cast"),
                          (1, "intpow"), (1, "reshape"), (1, "minempty")])
        if form == "broadcast":
            others = [w for w in arrs if broadcastShapes(w.shape, v.shape) is None]
            if not others:
                return None
            return f"print({self.paren(v)} + {self.paren(r.choice(others))})"
        if form == "axis":
            nd = len(v.shape)
            ax = r.choice([nd, -nd - 1, nd + 1])
            if nd == 0:
                return None
            fn = r.choice(["sum", "mean", "max", "any"])
            return f"print({fn}({v.text}, axis={ax}))"
        if form == "index":
            if not v.shape:
                return None
            n = v.shape[0]
            return f"print({v.text}[{r.choice([n, -n - 1, n + 2])}])"
        if form == "readonly":
            ro = self.arrays(env, lambda w: w.writable is False)
            if not ro:
                return None
            w = r.choice(ro)
            return r.choice([f"{w.text}[...] = 1", f"{w.text} += 1"])
        if form == "cast":
            ints = self.arrays(env, lambda w: KIND[w.dtype] in "bi" and w.writable is True)
            if not ints:
                return None
            w = r.choice(ints)
            return r.choice([f"{w.text} += 1.5", f"{w.text} /= 2", f"{w.text} *= {w.text} / 3"])
        if form == "intpow":
            ints = self.arrays(env, lambda w: KIND[w.dtype] == "i" and w.size > 0)
            if not ints:
                return None
            return f"print({self.paren(r.choice(ints))} ** -1)"
        if form == "reshape":
            if v.size < 2:
                return None
            return f"print({self.paren(v)}.reshape({v.size + 1}))"
        if form == "minempty":
            return f"print(max({v.text}[0:0]))" if v.shape else None
        return None

    # ---------------------------------------------------------------- program
    def program(self):
        env = {}
        self.curEnv = env
        lines = [f"random.seed({self.seed % 2**32})"]
        n = self.r.randint(5, 25)
        count = 0
        tries = 0
        while count < n and tries < 200:
            tries += 1
            st = self.statement(env)
            if st is None:
                continue
            lines += st
            count += 1
        for name, v in env.items():
            lines.append(f"print({name})")
            self.note(v)
        isError = False
        if self.r.random() < 0.12:
            for _ in range(10):
                e = self.errorStatement(env)
                if e is not None:
                    lines.append(e)
                    isError = True
                    break
        return Program(self.seed, lines, {"inexact": self.inexactOut, "error": isError})


def generate(seed):
    """The program for one seed (deterministic)."""
    return Gen(seed).program()


if __name__ == "__main__":
    import sys

    print(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 0).source, end="")
