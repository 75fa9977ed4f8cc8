# Test support (cross-layer, test/python): builds garbage scenarios in a real CPython, dumps each with gcsh_agent,
# then records the truth from a real gc.collect() under DEBUG_SAVEALL (the correct bracket, notes/cpython-gc.md §5).
# Usage: python3 scenarios.py AGENT_DIR OUT_DIR truth [NAME...] | undisturbed | hostile
import ctypes
import gc
import json
import os
import random
import sys
import types
import weakref

sys.path.insert(0, sys.argv[1])
import gcsh_agent  # noqa: E402

OUT = sys.argv[2]
CALLBACK_LOG = []
KEEP = []  # reachable objects the scenarios keep on purpose (negative controls)


def settle():
    for _ in range(100):
        if gc.collect() == 0:
            break


class A(object):  # the seed's self-referencing instance
    def __init__(self):
        self.ref = self


class Node(object):
    def __init__(self, tag):
        self.tag = tag
        self.out = []

    def method(self):
        return self.tag


class Slotted(object):
    __slots__ = ("a", "b", "__weakref__")


class WithDel(object):
    def __init__(self):
        self.me = self

    def __del__(self):
        pass


class Plain(object):
    pass


def s_seed_a():
    A()


def s_dicts():
    d = {}
    d["self"] = d
    e, f = {"name": "e"}, {1: "f", (2, 3): None}
    e["f"] = f
    f["e"] = e


def s_lists():
    a = []
    a.append(a)
    b, c, d = [1], [2], [3]
    b.append(c)
    c.append(d)
    d.append(b)


def s_closure():
    def outer():
        box = []

        def inner():
            return box

        box.append(inner)
        return inner

    outer()


def s_bound_method():
    n = Node("bm")
    n.callback = n.method


def s_exception_frames():
    def fail():
        local_value = Node("in frame")
        try:
            raise ValueError("boom")
        except ValueError as e:
            err = e
        return local_value, err

    fail()


def s_locals_puzzle():
    def probe():
        tmp = Node("probe")
        try:
            raise KeyError("x")
        except KeyError as e:
            err = e
        sorted(locals())  # <= 3.12: caches a dict of locals on the frame, now part of the cycle
        del tmp

    probe()


def s_generator():
    def gen():
        me = yield 1
        yield me

    g = gen()
    next(g)
    g.send(g)


def s_generator_unstarted():
    def gen(box):
        yield box

    box = []
    box.append(gen(box))


def s_generator_held():
    """Suspended generators kept alive by another garbage cycle, paused outside and inside a try block: closing
    clears their frames differently per version (3.13's gen_close fast path keeps the function)."""
    def plain(box):
        yield box

    def guarded(box):
        try:
            yield box
        finally:
            pass

    for make in (plain, guarded):
        box = []
        g = make(box)
        next(g)
        holder = Node("holder")
        holder.out.extend([holder, g])
    plain = guarded = None


def s_throwaway_classes():
    type("K", (), {"x": 1})
    mod = types.ModuleType("numpy.ctypeslib")
    exec("import ctypes\n_ARRAY_TYPE = type(ctypes.c_long * 1)\n", mod.__dict__)
    ctypes.c_double * 3


def s_del():
    WithDel()
    x, y = WithDel(), WithDel()
    x.other, y.other = y, x


def s_weakref_callbacks():
    p = Plain()
    p.me = p
    KEEP.append(weakref.ref(p, CALLBACK_LOG.append))
    q = Plain()
    q.me = q
    q.wr = weakref.ref(q, CALLBACK_LOG.append)  # a weakref inside the garbage: cleared, callback never called
    s = Slotted()
    s.a = s
    KEEP.append(weakref.ref(s))


def s_keeps_noncyclic():
    holder = Node("holder")
    holder.out.append(holder)
    holder.payload = [[i, str(i) * 3, {"k": object()}] for i in range(40)]
    holder.data = {"numbers": list(range(100)), "text": "x" * 1000}


def s_reachable_cycle():
    n = Node("kept")
    n.out.append(n)
    KEEP.append(n)
    m = Node("garbage")
    m.out.append(m)
    m.out.append(n)  # garbage pointing into a live cycle


def s_slots():
    s = Slotted()
    s.a = s
    s.b = [s]


def random_graph(seed):
    def build():
        rng = random.Random(seed)
        count = rng.randint(20, 120)
        nodes = []
        for i in range(count):
            kind = rng.random()
            if kind < 0.45:
                nodes.append(Node(i))
            elif kind < 0.65:
                nodes.append([])
            elif kind < 0.8:
                nodes.append({})
            elif kind < 0.9:
                nodes.append(Slotted())
            else:
                nodes.append(types.SimpleNamespace())
        for _ in range(rng.randint(count // 2, count * 2)):
            a, b = rng.choice(nodes), rng.choice(nodes)
            if type(a) is Node:
                a.out.append(b)
            elif type(a) is list:
                a.append(b)
            elif type(a) is dict:
                a[rng.choice(["k%d" % rng.randint(0, 9), rng.randint(0, 9)])] = b
            elif type(a) is Slotted:
                setattr(a, rng.choice(["a", "b"]), b)
            else:
                setattr(a, "attr%d" % rng.randint(0, 5), b)
        for n in rng.sample(nodes, rng.randint(0, 4)):
            KEEP.append(n)
        if rng.random() < 0.5:
            KEEP.append(tuple(rng.sample(nodes, 2)))
    return build


class DelNode(Node):
    def __del__(self):
        pass


def s_zombies():
    """gc.garbage already holds objects a SAVEALL collection kept (the seed's situation); new garbage points at them."""
    z = Node("zombie")
    z.out.append(z)
    z = None
    gc.set_debug(gc.DEBUG_SAVEALL)
    gc.collect()
    gc.set_debug(0)
    g = Node("new garbage")
    g.out.extend([g, gc.garbage[-1]])


def s_frozen():
    """gc.freeze() moves everything to the permanent generation: frozen referrers keep new objects alive."""
    holder = []
    KEEP.append(holder)
    gc.freeze()
    kept = Node("held by a frozen list")
    kept.out.append(kept)
    holder.append(kept)
    g = Node("garbage")
    g.out.extend([g, holder])


def random_mixed(seed):
    """Random graphs over every kind of object the collector treats specially."""
    def build():
        rng = random.Random(seed)
        nodes = []

        def gen(box):
            yield box
            yield box

        for i in range(rng.randint(30, 150)):
            kind = rng.randrange(9)
            if kind == 0:
                nodes.append(Node(i))
            elif kind == 1:
                nodes.append([])
            elif kind == 2:
                nodes.append({})
            elif kind == 3:
                nodes.append(DelNode(i))
            elif kind == 4:
                box = []
                nodes.append(box)
                nodes.append((lambda b: lambda: b)(box))
            elif kind == 5:
                n = Node(i)
                nodes.append(n)
                nodes.append(n.method)
            elif kind == 6:
                box = []
                g = gen(box)
                if rng.random() < 0.5:
                    next(g)
                nodes.append(box)
                nodes.append(g)
            elif kind == 7:
                nodes.append(Slotted())
            else:
                nodes.append(types.SimpleNamespace())
        containers = [n for n in nodes if type(n) in (Node, DelNode, list, dict, Slotted, types.SimpleNamespace)]
        for _ in range(rng.randint(len(nodes) // 3, len(nodes))):
            a, b = rng.choice(containers), rng.choice(nodes)
            r = rng.random()
            if r < 0.1:
                b = tuple(rng.sample(nodes, 2))
            elif r < 0.15:
                b = frozenset(rng.sample([n for n in nodes if type(n) in (Node, DelNode)] or [1], 1))
            elif r < 0.22 and type(b) in (Node, DelNode, Slotted):
                b = weakref.ref(b, CALLBACK_LOG.append if rng.random() < 0.7 else None)
                if rng.random() < 0.4:
                    KEEP.append(b)  # a surviving weakref: its callback runs when the referent dies
            if type(a) in (Node, DelNode):
                a.out.append(b)
            elif type(a) is list:
                a.append(b)
            elif type(a) is dict:
                a[rng.choice(["k%d" % rng.randint(0, 9), rng.randint(0, 9), (1, 2)])] = b
            elif type(a) is Slotted:
                setattr(a, rng.choice(["a", "b"]), b)
            else:
                setattr(a, "attr%d" % rng.randint(0, 5), b)
        for n in rng.sample(nodes, rng.randint(0, 2)):
            KEEP.append(n)
    return build


SCENARIOS = {
    "seed_a": s_seed_a,
    "dicts": s_dicts,
    "lists": s_lists,
    "closure": s_closure,
    "bound_method": s_bound_method,
    "exception_frames": s_exception_frames,
    "locals_puzzle": s_locals_puzzle,
    "generator": s_generator,
    "generator_unstarted": s_generator_unstarted,
    "generator_held": s_generator_held,
    "throwaway_classes": s_throwaway_classes,
    "del": s_del,
    "weakref_callbacks": s_weakref_callbacks,
    "keeps_noncyclic": s_keeps_noncyclic,
    "reachable_cycle": s_reachable_cycle,
    "slots": s_slots,
    "zombies": s_zombies,
    "frozen": s_frozen,
}
for _seed in range(6):
    SCENARIOS["random_%d" % _seed] = random_graph(1000 + _seed)
for _seed in range(12):
    SCENARIOS["mixed_%d" % _seed] = random_mixed(2000 + _seed)


def truth(names):
    gc.disable()
    results = {}
    for name in names or list(SCENARIOS):
        settle()
        SCENARIOS[name]()
        path = os.path.join(OUT, name + ".pyheap")
        gcsh_agent.dump(path, reprs=name in ("seed_a", "throwaway_classes"))  # reprs have their own test
        start = len(gc.garbage)  # zombies saved before the dump are not part of the answer
        gc.set_debug(gc.DEBUG_SAVEALL)
        collected = gc.collect()
        ids = [id(o) for o in gc.garbage[start:]]
        gc.set_debug(0)
        del gc.garbage[:]
        if hasattr(gc, "unfreeze"):
            gc.unfreeze()
        settle()
        results[name] = {"path": path, "ids": ids, "collect": collected}
    print(json.dumps({"version": "%d.%d.%d" % sys.version_info[:3], "scenarios": results}))


def gc_state():
    return {"enabled": gc.isenabled(), "debug": gc.get_debug(), "threshold": list(gc.get_threshold()),
            "garbage": len(gc.garbage), "freeze": gc.get_freeze_count()}


def collect_summary():
    start = len(gc.garbage)  # earlier zombies stay where they are
    gc.set_debug(gc.DEBUG_SAVEALL)
    n = gc.collect()
    types_ = sorted(type(o).__name__ for o in gc.garbage[start:])
    gc.set_debug(0)
    del gc.garbage[start:]
    settle()
    return n, types_


def undisturbed():
    """The dump must leave gc state, gc.garbage, refcounts, referents and the next collection as they were."""
    settle()
    gc.enable()
    gc.set_threshold(555, 7, 9)
    s_slots()
    gc.set_debug(gc.DEBUG_SAVEALL)
    gc.collect()  # one zombie kept in gc.garbage, as the seed's user had
    gc.set_debug(0)
    gcsh_agent.dump(os.path.join(OUT, "warmup.pyheap"))  # first-use effects (caches, lazy imports) happen here
    inline = Node("inline")  # 3.11/3.12: reading __dict__ would materialise a dict
    inline.extra = [1]
    samples = [inline, inline.out, KEEP, Node, sys.modules[__name__]]
    report = {"checks": {}}
    before = {"state": gc_state(), "refcounts": [sys.getrefcount(s) for s in samples],
              "referents": [type(r).__name__ for r in gc.get_referents(inline)]}
    gc.disable()
    s_seed_a(); s_closure(); s_del(); s_weakref_callbacks()
    without_dump = collect_summary()
    s_seed_a(); s_closure(); s_del(); s_weakref_callbacks()
    tracked_before_dump = len(gc.get_objects())
    gcsh_agent.dump(os.path.join(OUT, "undisturbed.pyheap"))
    tracked_after_dump = len(gc.get_objects())
    with_dump = collect_summary()
    gc.enable()
    after = {"state": gc_state(), "refcounts": [sys.getrefcount(s) for s in samples],
             "referents": [type(r).__name__ for r in gc.get_referents(inline)]}
    before["trackedAroundDump"], after["trackedAroundDump"] = tracked_before_dump, tracked_after_dump
    report["before"], report["after"] = before, after
    report["withoutDump"], report["withDump"] = without_dump, with_dump
    gc.set_threshold(700, 10, 10)
    del gc.garbage[:]
    print(json.dumps(report))


class Hostile(object):
    def __init__(self, mode):
        self.mode = mode
        self.me = self

    def __repr__(self):
        if self.mode == "raise":
            raise RuntimeError("no repr for you")
        if self.mode == "huge":
            return "H" * 10000000
        if self.mode == "recurse":
            return repr(self)
        if self.mode == "exit":
            raise SystemExit(3)
        return 42  # not a str


def hostile():
    gc.disable()
    objs = [Hostile(m) for m in ("raise", "huge", "recurse", "exit", "type")]
    KEEP.append(objs)
    deep = []
    for _ in range(2000):
        deep = [deep]
    KEEP.append(deep)
    results = {}
    for mode, arg in (("user", True), ("builtin", "builtin"), ("none", False)):
        path = os.path.join(OUT, "hostile-%s.pyheap" % mode)
        gcsh_agent.dump(path, reprs=arg)
        results[mode] = path
    gzpath = os.path.join(OUT, "hostile.pyheap.gz")
    gcsh_agent.dump(gzpath)
    results["gzip"] = gzpath
    print(json.dumps({"paths": results, "ids": [id(o) for o in objs]}))


if __name__ == "__main__":
    mode = sys.argv[3]
    if mode == "truth":
        truth(sys.argv[4:])
    elif mode == "undisturbed":
        undisturbed()
    elif mode == "hostile":
        hostile()
