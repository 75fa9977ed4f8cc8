# Test support (cross-layer, test/python): builds objects whose references are known, dumps them with gcsh_agent,
# and prints what each one's edges must be called, computed from the real container (its indexes, keys, attribute
# and variable names), never from the agent's code.
# Usage: python3 labels.py AGENT_DIR OUT_DIR  ->  {"path": ..., "cases": [{"name", "ref", "exact", "expect"}]}
# expect is a list of [label as gcsh shows it, target id]. An exact case lists every edge; otherwise every edge whose
# label or target is among the expected ones must be one of them (as many times as listed).
import collections
import functools
import gc
import json
import os
import sys
import types

sys.path.insert(0, sys.argv[1])
import gcsh_agent  # noqa: E402

V = sys.version_info[:2]
KEEP = []
CASES = []
LOCALS = []
LIST_AB = []
COROUTINES = []  # closed after the dump (a coroutine never awaited warns)


class First(object):
    pass


class Second(object):
    pass


class Third(object):
    pass


def case(name, obj, expect, exact=True):
    KEEP.append(obj)
    CASES.append({"name": name, "ref": hex(id(obj)), "exact": exact,
                  "expect": [[label, id(target)] for label, target in expect]})


def items(seq):
    return [("[%d]" % i, v) for i, v in enumerate(seq)]


def key_label(k):
    if type(k) is str:
        return "[%r]" % k
    if type(k) in (int, bool, float) or k is None:
        return "[%r]" % (k,)
    t = type(k)
    return "[<%s>]" % (t.__qualname__ if t.__module__ == "builtins" else t.__module__ + "." + t.__qualname__)


def dict_entries(d, with_keys):
    out = []
    for k, v in d.items():
        out.append((key_label(k), v))
        if with_keys:
            out.append(("<key>", k))
    return out


def attrs(o, *names):
    return [("." + n, getattr(o, n)) for n in names]


def closure(f):
    return [("closure %r" % name, cell) for name, cell in zip(f.__code__.co_freevars, f.__closure__)]


class ListSub(list):
    pass


class TupleSub(tuple):
    __slots__ = ()


class DequeSub(collections.deque):
    pass


class Base(object):
    __slots__ = ("p", "q")


class Derived(Base):
    __slots__ = ("r", "s")


class Attrs(object):
    def __init__(self, a, b):
        self.u = a
        self.v = b
        self.w = a
        self.x = None
        self.y = None


class Pair(object):
    def __init__(self, p, q):
        self.p = p
        self.q = q


def outer():
    first, second, third = First(), Second(), Third()

    def inner():
        return first, second, third
    return inner


def pair_closure():
    x = y = None

    def inner():
        return x, y
    return inner


def finished_frame(p, q):
    r = [p]
    LOCALS.append(r)  # r's value, known without reading f_locals (which would store a dict on the frame)
    return sys._getframe()


def partly_bound(p):
    if not p:
        q = 1
    r = [p]
    LOCALS.append(r)
    return sys._getframe()


def argument_deleted(p, q):
    del p
    r = [q]
    LOCALS.append(r)
    return sys._getframe()


def dict_first(d):
    x = [d]
    LOCALS.append(x)
    return sys._getframe()


def free_variable_frame(v):
    def inner():
        w = [v]
        LOCALS.append(w)
        return sys._getframe()
    return inner(), inner.__closure__[0]


def with_cell(p):
    c = [p]

    def inner():
        return c
    return sys._getframe(), inner


def gen_loop(items, n):
    total = 0
    for it in items:
        total += 1
        yield it


def gen_cell(items):
    acc = []

    def f():
        return acc
    for it in items:
        yield it


async def coro(x):
    return x


def slots_of(g):
    """Where a generator's or coroutine's locals are referenced from: its frame before 3.11, itself from 3.11."""
    if V >= (3, 11):
        return g
    return getattr(g, "gi_frame", None) or getattr(g, "cr_frame")


def frame_cases(a, b, c):
    # A frame with an unbound local: only what the counts make certain is named, the rest is local '?' (3.13 reads
    # the names through its f_locals proxy).
    fr = partly_bound(a)
    r = LOCALS[-1]
    case("frame with an unbound local", fr, [("local 'p'", a), ("local 'r'" if V >= (3, 13) else "local '?'", r)], exact=False)
    fr = argument_deleted(a, b)
    r = LOCALS[-1]
    expect = [("local 'q'", b), ("local 'r'", r)] if V >= (3, 13) else [("local '?'", b), ("local '?'", r)]
    case("frame whose argument was deleted", fr, expect, exact=False)
    empty = {}
    fr = dict_first(empty)
    case("frame whose first local is an empty dict", fr, [("local 'd'", empty), ("local 'x'", LOCALS[-1])], exact=False)
    KEEP.append(empty)
    fr, cell = free_variable_frame(a)
    case("frame with a free variable", fr, [("local 'w'", LOCALS[-1]), ("local 'v'", cell)], exact=False)
    fr, inner = with_cell(c)
    case("frame with a cell", fr, [("local 'p'", c), ("local 'c'", inner.__closure__[0]), ("local 'inner'", inner)], exact=False)
    KEEP.append(inner)
    # Generators: not started (no value stack yet), then suspended in a loop (the iterator is on the value stack).
    g0 = gen_loop(LIST_AB[0], c)
    case("generator not started", slots_of(g0), [("local 'items'", LIST_AB[0]), ("local 'n'", c)], exact=False)
    g1 = gen_loop(LIST_AB[0], c)
    next(g1)
    case("generator suspended in a loop", slots_of(g1), [("local 'items'", LIST_AB[0]), ("local 'n'", c)], exact=False)
    g2 = gen_cell(LIST_AB[0])
    next(g2)
    acc_cell = None
    for r in gc.get_referents(slots_of(g2)):
        if type(r).__name__ == "cell":
            acc_cell = r
    case("generator with a cell, suspended", slots_of(g2), [("local 'items'", LIST_AB[0]), ("local 'acc'", acc_cell), ("local 'it'", a)], exact=False)
    co = coro(b)
    COROUTINES.append(co)
    case("coroutine not started", slots_of(co), [("local 'x'", b)], exact=False)
    KEEP.extend([g0, g1, g2])


def build():
    a, b, c = First(), Second(), Third()
    KEEP.extend([a, b, c])
    # Lists and tuples: CPython visits their items from the last; the same object at several indexes; a list holding
    # itself; untracked items (None, ints, strs) are edges too.
    three = [a, b, c]
    case("list of three", three, items(three))
    dups = [a, a, b, None, None, 7, "s", a]
    case("list with duplicates", dups, items(dups))
    me = [a]
    me.append(me)
    me.append(b)
    me.append(me)
    case("list holding itself", me, items(me))
    case("empty list", [], [])
    t = (a, b, c, a, None)
    case("tuple", t, items(t))
    nested = ((a, b), [c], (a,))
    case("tuple of containers", nested, items(nested))
    ls = ListSub([a, b, a])
    ls.extra = c
    case("list subclass", ls, items(ls) + [("__class__", ListSub)], exact=False)
    Point = collections.namedtuple("Point", "x y z")
    KEEP.append(Point)
    pt = Point(a, b, a)
    case("namedtuple", pt, items(pt) + [("__class__", Point)], exact=False)
    ts = TupleSub((c, b))
    case("tuple subclass", ts, items(ts) + [("__class__", TupleSub)], exact=False)
    # Dicts: str-keyed tables visit values only; others each value then its key.
    d1 = {"x": a, "y": b, "z": a, "n": None}
    case("dict with str keys", d1, dict_entries(d1, False))
    d2 = {1: a, (2, 3): b, a: c, None: c, "s": b}
    case("dict with other keys", d2, dict_entries(d2, True))
    d3 = {a: a, b: a}
    case("dict whose key is its value", d3, dict_entries(d3, True))
    d4 = {}
    d4["self"] = d4
    d4["again"] = d4
    case("dict holding itself", d4, dict_entries(d4, False))
    # A split (shared-key) instance dict filled in another order than its keys: values follow the keys' order.
    class Split(object):
        pass
    s1, s2 = Split(), Split()
    s1.k1, s1.k2 = a, b
    s2.k2, s2.k1 = c, a
    KEEP.extend([s1, s2])
    if V <= (3, 10):
        case("split dict", s2.__dict__, dict_entries(s2.__dict__, False))
    # Sets: members, no index.
    st = {a, b, 5}
    case("set", st, [("member", m) for m in st])
    fs = frozenset([c, a])
    case("frozenset", fs, [("member", m) for m in fs])
    # collections: deque (items from the first), OrderedDict (its keys in its linked list, then its entries),
    # defaultdict (default_factory, then its entries).
    dq = collections.deque([a, b, a, None])
    case("deque", dq, items(dq), exact=False)
    dqs = DequeSub([c, a])
    dqs.tag = "tagged"
    case("deque subclass", dqs, items(dqs) + [("__class__", DequeSub)], exact=False)
    od = collections.OrderedDict([(a, b), ("k", c)])
    case("OrderedDict", od, [("<key>", k) for k in od] + dict_entries(od, True), exact=False)
    dd = collections.defaultdict(list, {"k": a, "j": b})
    case("defaultdict", dd, [(".default_factory", list)] + dict_entries(dd, False), exact=False)
    # Closures: cells named after the free variables, also when one cell fills two slots.
    f = outer()
    case("closure tuple", f.__closure__, closure(f))
    case("function", f, [("__closure__", f.__closure__), ("__code__", f.__code__), ("__globals__", f.__globals__)], exact=False)

    def annotated(x: int, *, y: str = "") -> First:
        return x

    @functools.wraps(annotated)
    def wrapper(*args, **kwargs):
        return annotated(*args, **kwargs)
    KEEP.extend([annotated, wrapper])
    case("annotated function", annotated, [("__annotations__", annotated.__annotations__), ("__kwdefaults__", annotated.__kwdefaults__), ("__doc__", None)], exact=False)
    case("decorated function", wrapper, [("__dict__", wrapper.__dict__), ("__annotations__", wrapper.__annotations__), ("__closure__", wrapper.__closure__)], exact=False)
    def only_dict():
        pass
    only_dict.tag = a
    KEEP.append(only_dict)
    case("function with attributes", only_dict, [("__dict__", only_dict.__dict__)], exact=False)
    g = pair_closure()
    cell = g.__closure__[0]
    shared = types.FunctionType(g.__code__, g.__globals__, "shared", None, (cell, cell))
    KEEP.append(shared)
    case("closure with one cell twice", shared.__closure__, closure(shared))
    case("cell", cell, [("cell_contents", cell.cell_contents)])
    # Instances: inline values (3.11+) or the instance dict; one object under several attributes; slots in a class
    # and its base.
    o = Attrs(a, b)
    if V >= (3, 11):
        case("instance", o, attrs(o, "u", "v", "w", "x", "y") + [("__class__", Attrs)], exact=False)
    else:
        case("instance", o, [("__dict__", o.__dict__), ("__class__", Attrs)], exact=False)
        case("instance dict", o.__dict__, dict_entries(o.__dict__, False))
    many = [Attrs(First(), i) for i in range(300)] + [Pair(First(), i) for i in range(300)]
    KEEP.append(many)  # enough instances for the agent to learn their layouts (one with duplicates, one without)
    late, pair = Attrs(None, a), Pair(b, b)
    KEEP.extend([late, pair])
    if V >= (3, 11):
        case("instance after the layout is learnt", late, attrs(late, "u", "v", "w", "x", "y"), exact=False)
        case("one object twice after the layout is learnt", pair, attrs(pair, "p", "q"), exact=False)
    sl = Derived()
    sl.p, sl.q, sl.r, sl.s = a, b, a, None
    case("slots in a class and its base", sl, attrs(sl, "p", "q", "r", "s") + [("__class__", Derived)])
    m = o.__init__
    case("bound method", m, [("__func__", m.__func__), ("__self__", m.__self__)])
    # Frames: locals by name (a finished frame keeps them).
    fr = finished_frame(a, b)
    case("frame", fr, [("local 'p'", a), ("local 'q'", b), ("local 'r'", LOCALS[-1]), ("f_code", fr.f_code)], exact=False)
    LIST_AB.append([a, b])
    frame_cases(a, b, c)
    # Exceptions and tracebacks.
    try:
        try:
            raise KeyError(a)
        except KeyError as inner_exc:
            raise ValueError(b, c) from inner_exc
    except ValueError as exc:
        e = exc
    case("exception", e, [("args", e.args), ("__traceback__", e.__traceback__), ("__cause__", e.__cause__), ("__context__", e.__context__)], exact=False)
    tb = e.__traceback__
    case("traceback", tb, [("tb_frame", tb.tb_frame)], exact=False)
    p = functools.partial(finished_frame, a, q=b)
    case("partial", p, [(".func", p.func), (".args", p.args), (".keywords", p.keywords)], exact=False)
    case("class", Derived, [("__mro__", Derived.__mro__), ("__bases__", Derived.__bases__), ("__base__", Base)], exact=False)
    case("module", types, [("__dict__", types.__dict__)], exact=False)
    return fr


def main():
    out = sys.argv[2]
    fr = build()
    KEEP.append(fr)
    path = os.path.join(out, "labels.pyheap")
    gcsh_agent.dump(path)
    for co in COROUTINES:
        co.close()
    print(json.dumps({"path": path, "version": "%d.%d" % V, "cases": CASES}))


main()
