#!/usr/bin/env python3
# gcsh agent (outside the TS layers): snapshot a CPython heap into a .pyheap file without disturbing the process.
# Stdlib only, CPython 3.8-3.14. Format: docs/pyheap-format.md. Design and observer effects: notes/cpython-gc.md §4, §8.
"""gcsh_agent: write .pyheap heap snapshots that gcsh can explore.

API
    dump(path, *, reprs=True)        write a snapshot now (path ending in .gz is gzip-compressed)
    install_signal(signum, path)     write a snapshot whenever the signal arrives
    capture(reprs=True)              the snapshot as columns (reused by the live server)

CLI
    python3 gcsh_agent.py dump OUT [--signal SIG] [--reprs builtin|none] -- script.py args...

reprs=True calls user __repr__ methods (guarded: bounded, never raises); reprs="builtin" formats builtin types only;
reprs=False writes no reprs at all.
"""

import gc
import gzip
import json
import opcode
import os
import struct
import sys
import time
import types
import weakref
from array import array
from itertools import accumulate, chain, compress, filterfalse, repeat
from operator import attrgetter, is_, is_not, methodcaller, not_

__all__ = ["dump", "install_signal", "capture", "write_pyheap", "FORMAT_VERSION"]

FORMAT_VERSION = 1
AGENT_VERSION = "0.1.0"
MAGIC = b"\x89PYHEAP\n"
_pack_u32 = struct.Struct("<I").pack
_encode = methodcaller("encode", "utf-8", "surrogatepass")
NODE_CHUNK = 65536
REPR_LIMIT = 200
USER_REPR_BUDGET_S = 1.0  # user __repr__ calls, in total (within REPR_BUDGET_S)
REPR_BUDGET_S = 2.0  # all non-str reprs, in total: keeps a 1M-object dump near 10 s

# File-level node kinds and edge kinds (docs/pyheap-format.md).
K_OBJECT, K_STR, K_BYTES, K_NUMBER, K_LIST, K_TUPLE, K_DICT, K_SET, K_FUNCTION, K_CODE, K_FRAME, K_TYPE, \
    K_MODULE, K_CELL, K_METHOD, K_WEAKREF, K_GENERATOR, K_EXCEPTION, K_TRACEBACK, K_NONE = range(20)
E_INTERNAL, E_ELEMENT, E_ATTRIBUTE, E_DICT_VALUE, E_LOCAL, E_CLOSURE, E_MEMBER, E_WEAK = range(8)

F_TRACKED, F_FINALIZER, F_WEAKLY_REFERENCED, F_IMMORTAL, F_IN_GARBAGE, F_FROZEN, F_ROOT, F_FINALIZED, \
    F_WEAKREF, F_LEGACY_FINALIZER, F_GEN_SUSPENDED, F_GEN_CREATED, F_GEN_YIELDS_IN_TRY = \
    1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096

_V = sys.version_info[:2]
_getrefcount = sys.getrefcount
_get_referents = gc.get_referents
_get_objects = gc.get_objects
_is_tracked = gc.is_tracked
_is_finalized = getattr(gc, "is_finalized", None)
_getweakrefcount = weakref.getweakrefcount
_getsizeof = sys.getsizeof
_object_sizeof = object.__sizeof__
_is_immortal = getattr(sys, "_is_immortal", None)
_type_dict = type.__dict__["__dict__"].__get__  # mappingproxy: read only, never mutate (cpython#140496)
_type_mro = type.__dict__["__mro__"].__get__
_type_bases = type.__dict__["__bases__"].__get__
_type_base = type.__dict__["__base__"].__get__
_type_qualname = type.__dict__["__qualname__"].__get__
_type_module = type.__dict__["__module__"].__get__
_module_dict = types.ModuleType.__dict__["__dict__"].__get__
_dict_keys, _dict_values, _dict_get, _dict_len = dict.keys, dict.values, dict.get, dict.__len__
_list_len, _tuple_len, _set_len, _fset_len = list.__len__, tuple.__len__, set.__len__, frozenset.__len__
_func = types.FunctionType.__dict__
_func_code = _func["__code__"].__get__
_func_closure = _func["__closure__"].__get__
_func_qualname = _func["__qualname__"].__get__
_method = types.MethodType.__dict__
_method_func = _method["__func__"].__get__
_method_self = _method["__self__"].__get__
_exc = BaseException.__dict__
_exc_args = _exc["args"].__get__
_exc_tb = _exc["__traceback__"].__get__
_exc_context = _exc["__context__"].__get__
_exc_cause = _exc["__cause__"].__get__
_wr_call = weakref.ReferenceType.__call__
_object_getattribute = object.__getattribute__
_MISSING = object()
_YIELD_VALUE = opcode.opmap.get("YIELD_VALUE", -1)
_WEAKREF_TYPES = (weakref.ReferenceType, weakref.ProxyType, weakref.CallableProxyType)
_GEN_TYPES = (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)
_C_METHOD_TYPES = (type(object.__sizeof__), type(list.__sizeof__), type(len), type(object.__init__))
_PLAIN_CLASS_VALUES = (int, float, str, bytes, bool, type(None), tuple, frozenset)
_GENERATIONS = 3 if (3, 8) <= _V < (3, 14) else 0  # 3.14.0-3.14.4 changed get_objects(generation) semantics


def _immortal_threshold():
    # 3.12/3.13 report immortal objects with refcount 2**32-1 (sys.rst); earlier versions have none.
    return (1 << 32) - 1 if _V >= (3, 12) else None


class Snapshot(object):
    """A captured heap as plain columns (array.array) and strings; holds no reference to any heap object."""

    __slots__ = ("header", "strings", "ids", "type_names", "sizes", "refcounts", "reprs", "flags", "generations",
                 "kinds", "edge_counts", "edge_targets", "edge_kinds", "edge_names", "roots", "root_names")


class _Strings(object):
    """The snapshot's string table as one UTF-8 bytearray plus a length per string: millions of reprs held as str
    objects would cost the target far more memory. Index 0 is the empty string (not stored)."""

    __slots__ = ("lengths", "data", "count", "index")

    def __init__(self):
        self.lengths = array("I")
        self.data = bytearray()
        self.count = 1
        self.index = {"": 0}

    def intern(self, s):
        i = self.index.get(s)
        if i is None:
            i = self.index[s] = self.add(s)
        return i

    def add(self, s):
        b = s.encode("utf-8", "surrogatepass")
        self.lengths.append(len(b))
        self.data += b
        self.count += 1
        return self.count - 1

    def add_many(self, strs):
        """Append a list of strings; returns the index of the first."""
        encoded = list(map(_encode, strs))
        self.lengths.extend(map(len, encoded))
        self.data += b"".join(encoded)
        first = self.count
        self.count += len(encoded)
        return first

    def sections(self):
        """STRS payloads of at most 65536 strings: count, lengths, then the bytes."""
        position = 0
        for start in range(0, len(self.lengths), 65536):
            lengths = self.lengths[start:start + 65536]
            size = sum(lengths)
            yield _pack_u32(len(lengths)) + _le(lengths) + bytes(self.data[position:position + size])
            position += size


# ---------------------------------------------------------------------------------------------------------------
# Phase 1: the object list and refcounts. Runs in its own fresh frame that holds nothing but the list (note §4.2).

def _take_objects():
    if _GENERATIONS:
        objs = _get_objects(0)  # asked first, so the later lists are not in it
        older = [_get_objects(g) for g in range(1, _GENERATIONS)]
        per_generation = [len(objs)] + [len(o) for o in older]
        for more in older:
            objs += more
        more = older = None
    else:
        objs = _get_objects()
        per_generation = None
    # The sentinel is held only by its slot, so its count is exactly the measurement overhead.
    objs.append(object())
    counts = array("q", map(_getrefcount, objs))
    overhead = counts.pop()
    objs.pop()
    return objs, counts, overhead, per_generation


_AGENT_FILE = _take_objects.__code__.co_filename  # how this module's frames name their file


def _running_frames():
    """<= 3.10: the frames threads are running, callers included, except the agent's own. They are not tracked, so
    they are extra nodes: roots whose locals explain why their objects are alive. 3.11+ would create frame objects
    to answer (note §8.1), so there the objects simply show as held from outside."""
    if _V >= (3, 11):
        return [], []
    frames, roots, seen = [], [], set()
    threading = sys.modules.get("threading")
    # current holds this very frame (the calling thread's top): it must be dropped before returning, or this frame,
    # its f_back and their locals would form a cycle and become garbage the dump created.
    current = list(sys._current_frames().items())
    try:
        return _walk_frames(current, threading, frames, roots, seen)
    finally:
        current = None


def _walk_frames(current, threading, frames, roots, seen):
    if threading is not None:
        main = threading.main_thread().ident
    else:  # without threading imported, a single thread is the main one
        main = current[0][0] if len(current) == 1 else None
    for ident, frame in current:
        while frame is not None and frame.f_code.co_filename == _AGENT_FILE:
            frame = frame.f_back
        if frame is None:
            continue
        who = "main thread" if ident == main else "thread %d" % ident
        roots.append((id(frame), "%s: %s (%s:%d)" % (who, frame.f_code.co_name, frame.f_code.co_filename, frame.f_lineno)))
        while frame is not None and id(frame) not in seen:
            seen.add(id(frame))
            if not _is_tracked(frame):  # a running generator's frame is tracked, hence already listed
                frames.append(frame)
            frame = frame.f_back
    return frames, roots


# ---------------------------------------------------------------------------------------------------------------
# Type facts, computed once per type per capture (never cached across captures: that would keep user types alive).

def _qualified_name(t):
    try:
        qual = _type_qualname(t)
    except Exception:
        qual = "?"
    try:
        mod = _type_module(t)
    except Exception:
        mod = None
    if type(mod) is not str or mod == "builtins":
        return qual
    return mod + "." + qual


def _class_lookup(t, name):
    for k in _type_mro(t):
        d = _type_dict(k)
        if name in d:
            return True, d[name]
    return False, None


def _node_kind(t):
    if t is str or issubclass(t, str):
        return K_STR
    if issubclass(t, (bytes, bytearray)):
        return K_BYTES
    if issubclass(t, (int, float, complex)):
        return K_NUMBER
    if t is type(None) or t is type(NotImplemented) or t is type(Ellipsis):
        return K_NONE
    if issubclass(t, list):
        return K_LIST
    if issubclass(t, tuple):
        return K_TUPLE
    if issubclass(t, dict):
        return K_DICT
    if issubclass(t, (set, frozenset)):
        return K_SET
    if t is types.FunctionType:
        return K_FUNCTION
    if t is types.CodeType:
        return K_CODE
    if t is types.FrameType:
        return K_FRAME
    if issubclass(t, type):
        return K_TYPE
    if issubclass(t, types.ModuleType):
        return K_MODULE
    if t is _CellType:
        return K_CELL
    if t is types.MethodType:
        return K_METHOD
    if issubclass(t, _WEAKREF_TYPES):
        return K_WEAKREF
    if issubclass(t, _GEN_TYPES):
        return K_GENERATOR
    if issubclass(t, BaseException):
        return K_EXCEPTION
    if t is types.TracebackType:
        return K_TRACEBACK
    return K_OBJECT


_CellType = type((lambda x: lambda: x)(0).__closure__[0])


def _has_finalizer(t):
    # tp_finalize: a __del__ in a Python class, or the C types known to have one (generators, io objects).
    found, _ = _class_lookup(t, "__del__")
    if found:
        return True
    if issubclass(t, _GEN_TYPES):
        return True
    io = sys.modules.get("_io")
    base = getattr(io, "_IOBase", None) if io is not None else None
    return base is not None and issubclass(t, base)


def _size_is_safe(t):
    # sys.getsizeof calls __sizeof__, which may be Python code; call it only when it is a C method (note §8.3).
    found, m = _class_lookup(t, "__sizeof__")
    return found and type(m) in _C_METHOD_TYPES


def _attribute_candidates(t):
    """Names an instance of t may hold as inline values (3.11+): STORE_ATTR targets of its methods, slots and
    annotations. Names whose class attribute is a descriptor are left out: reading them could run code."""
    seen, own, shadowing = set(), [], []
    for k in _type_mro(t):
        if k is object:
            continue
        d = _type_dict(k)
        names = []
        for v in list(d.values()):
            if type(v) in (staticmethod, classmethod):
                v = v.__func__
            if type(v) is types.FunctionType:
                names.extend(_func_code(v).co_names)
        ann = d.get("__annotations__")
        if type(ann) is dict:
            names.extend(k2 for k2 in _dict_keys(ann) if type(k2) is str)
        for n in names:
            if n in seen or n.startswith("__"):
                continue
            seen.add(n)
            found, cls_value = _class_lookup(t, n)
            if not found:
                own.append(n)
            elif type(cls_value) in _PLAIN_CLASS_VALUES:
                shadowing.append(n)  # a class default an instance may shadow; matched after the others
    return own + shadowing


def _plain_getattr(t):
    # getattr(o, name, default) is safe only when neither __getattribute__ nor __getattr__ is user code.
    found, ga = _class_lookup(t, "__getattribute__")
    if not found or ga is not _object_getattribute:
        return False
    found, _ = _class_lookup(t, "__getattr__")
    return not found


def _slot_descriptors(t):
    out = []
    for k in _type_mro(t):
        for name, d in list(_type_dict(k).items()):
            if type(d).__name__ == "member_descriptor" and name not in ("__weakref__", "__dict__"):
                out.append((name, d))
    return out


class _TypeInfo(object):
    __slots__ = ("name", "kind", "size_safe", "finalizer", "weakref", "candidates", "candidate_names",
                 "candidate_texts", "found", "seen", "slots", "has_dict", "flags", "labeller", "class_label",
                 "dict_label", "texts_by_name", "layout_names", "layout_kinds", "layout_length", "layout_getter",
                 "layout_ready", "weakrefable")


def _type_info(t, strings):
    info = _TypeInfo()
    info.name = strings.intern(_qualified_name(t))
    info.kind = _node_kind(t)
    info.size_safe = _size_is_safe(t)
    info.finalizer = _has_finalizer(t)
    info.weakref = issubclass(t, _WEAKREF_TYPES)
    info.flags = (F_FINALIZER if info.finalizer else 0) | (F_WEAKREF if info.weakref else 0)
    info.candidates = info.candidate_names = info.candidate_texts = ()
    info.found = set()
    info.seen = 0
    info.slots = ()
    info.has_dict = False
    info.labeller = _labeller_for(t, info.kind)
    info.class_label = strings.intern("__class__")
    info.dict_label = strings.intern("__dict__")
    info.texts_by_name = {}
    try:
        info.weakrefable = _type_weakrefoffset(t) != 0 or t is type or issubclass(t, type)
    except Exception:
        info.weakrefable = True
    info.layout_names = info.layout_kinds = info.layout_getter = None
    info.layout_length = 0
    info.layout_ready = False
    if info.kind == K_OBJECT or info.kind == K_EXCEPTION:
        try:
            info.slots = tuple((strings.intern(name), d) for name, d in _slot_descriptors(t))
            info.has_dict = _class_lookup(t, "__dict__")[0]
            if _V >= (3, 11) and _plain_getattr(t):
                info.candidates = tuple((strings.intern(name), name) for name in _attribute_candidates(t))
                info.candidate_names = tuple(c[0] for c in info.candidates)
                info.candidate_texts = tuple(c[1] for c in info.candidates)
                info.texts_by_name = dict(info.candidates)
        except Exception:
            pass
    return info


# ---------------------------------------------------------------------------------------------------------------
# Edge labels. The edges themselves always come from gc.get_referents (tp_traverse); labels are matched to them by
# identity or position and never change what is counted (note §8.4). Labellers append exactly one (kind, name) per
# referent; the caller checks that and falls back to unlabelled edges.

def _localsplus_names(code):
    """Names of a code object's locals, cells and free variables in frame (localsplus) order. On 3.11+ the
    co_varnames/co_cellvars/co_freevars getters build and cache new tuples on the code object, so they are avoided."""
    by_index = getattr(code, "_varname_from_oparg", None)
    if by_index is None or _V < (3, 11):
        return code.co_varnames + code.co_cellvars + code.co_freevars
    names = []
    for i in range(100000):
        try:
            names.append(by_index(i))
        except IndexError:
            break
    return tuple(names)


class _Labels(object):
    __slots__ = ("kinds", "names", "strings", "key_cache", "closure_names", "code_names", "common", "slot_cache", "deque_iter")

    def __init__(self, strings, kinds, names):
        self.strings = strings
        self.kinds = kinds
        self.names = names
        self.key_cache = {}
        self.closure_names = {}
        self.code_names = {}
        self.slot_cache = {}  # id(type) -> ((name index, member descriptor), ...) for subclasses of containers
        self.deque_iter = None
        self.common = dict((s, strings.intern(s)) for s in (
            "__class__", "__dict__", "<key>", "__mro__", "__bases__", "__base__", "cell_contents", "__callback__",
            "__code__", "__globals__", "__defaults__", "__kwdefaults__", "__closure__", "__func__", "__self__",
            "f_code", "f_globals", "f_builtins", "f_back", "(self)", "(function)", "tb_frame", "tb_next", "args",
            "__traceback__", "__context__", "__cause__", "gi_frame", "gi_code", "cr_frame", "cr_code", "?"))

    def localsplus(self, code):
        return _frame_slots(code, self)[0]


def _key_label(k, strings, cache):
    if type(k) is str:
        i = cache.get(k)
        if i is None:
            i = cache[k] = strings.intern(repr(k) if len(k) <= 60 else repr(k[:60]) + "…")
        return i
    t = type(k)
    if t is int:
        return strings.intern(int.__repr__(k) if k.bit_length() < 64 else "<int>")
    if t is bool or k is None or t is float:
        return strings.intern(repr(k))
    return strings.intern("<%s>" % _qualified_name(t))


def _emit_by_identity(refs, pairs, kinds, names, default_kind=E_INTERNAL):
    """pairs: (object, kind, name index), in the order tp_traverse visits them. Each ref takes the first unused pair
    naming the same object, so an object held twice (one value under two keys, a list holding itself) gets each of
    its labels once; the last pair of an object is reused for any further visit of it."""
    table = {}
    for obj, k, nm in reversed(pairs):  # each object's pairs end up last-first: pop() takes the first, in O(1)
        table.setdefault(id(obj), []).append((k, nm))
    for r in refs:
        lst = table.get(id(r))
        if lst:
            k, nm = lst.pop() if len(lst) > 1 else lst[0]
            kinds.append(k)
            names.append(nm)
        else:
            kinds.append(default_kind)
            names.append(0)


def _label_dict(o, t, info, refs, L):
    """Values by their key, keys as <key>. A subclass (defaultdict, OrderedDict, Counter, user classes) first visits
    its own references (slots, __dict__, class, default_factory, an OrderedDict's keys), then the dict's entries."""
    kinds, names, strings, cache = L.kinds, L.names, L.strings, L.key_cache
    n = len(refs)
    keys = list(_dict_keys(o))
    values = list(_dict_values(o))
    m = len(keys)
    h = n - m  # how many references a subclass makes before the entries (none for a dict)
    if (h == 0 or h > 0 and t is not dict) and all(map(is_, refs[h:], values)):  # str-keyed tables visit values only, in order
        if h:
            _emit_by_identity(refs[:h], _container_header(o, t, L, keys), kinds, names)
        kinds.frombytes(bytes([E_DICT_VALUE]) * m)
        names.extend([_key_label(k, strings, cache) for k in keys])
        if h:
            _label_instance_dict_of(t, refs, L)
        return
    key_name = L.common["<key>"]
    h = n - 2 * m
    if (h == 0 or h > 0 and t is not dict) and all(map(is_, refs[h::2], values)) and all(map(is_, refs[h + 1::2], keys)):
        if h:
            _emit_by_identity(refs[:h], _container_header(o, t, L, keys), kinds, names)
        kinds.frombytes(bytes([E_DICT_VALUE, E_INTERNAL]) * m)
        for k in keys:
            names.append(_key_label(k, strings, cache))
            names.append(key_name)
        if h:
            _label_instance_dict_of(t, refs, L)
        return
    # Entries visited in another order (3.11+ split tables follow their keys, not the insertion order) or changed:
    # by identity, each entry's value then its key, as a combined table visits them.
    pairs = _container_header(o, t, L, keys) if t is not dict else []
    for k, v in zip(keys, values):
        pairs.append((v, E_DICT_VALUE, _key_label(k, strings, cache)))
        pairs.append((k, E_INTERNAL, key_name))
    _emit_by_identity(refs, pairs, kinds, names)
    if t is not dict:
        _label_instance_dict_of(t, refs, L)


def _container_header(o, t, L, keys=()):
    """The references a subclass of a builtin container visits before its items: slot values (defaultdict's
    default_factory is one), the class, and an OrderedDict's keys (its linked list)."""
    slots = L.slot_cache.get(id(t))
    if slots is None:
        try:
            slots = tuple((L.strings.intern(name), d) for name, d in _slot_descriptors(t))
        except Exception:
            slots = ()
        L.slot_cache[id(t)] = slots
    pairs = []
    for name, d in slots:
        try:
            pairs.append((d.__get__(o, t), E_ATTRIBUTE, name))
        except Exception:
            pass
    pairs.append((t, E_INTERNAL, L.common["__class__"]))
    if keys:
        key_name = L.common["<key>"]
        pairs.extend((k, E_INTERNAL, key_name) for k in keys)
    return pairs


def _label_instance_dict_of(t, refs, L):
    """A subclass instance's __dict__ is the first exact dict left unlabelled (reading o.__dict__ could create it)."""
    if t is dict or t is list or t is tuple:
        return
    first = len(L.names) - len(refs)
    for j, r in enumerate(refs):
        if type(r) is dict and L.names[first + j] == 0:
            L.names[first + j] = L.common["__dict__"]
            return


_ALL = slice(None)


def _label_sequence(o, t, info, refs, L):
    """Lists and tuples that need labels from the agent: subclasses (their slots, __dict__ and class come first), and
    every list and tuple where items are not visited from the end (the reader numbers unlabelled ones from there)."""
    items = list.copy(o) if info.kind == K_LIST else tuple.__getitem__(o, _ALL)
    _label_items(o, t, refs, items, _ITEMS_REVERSED, L)


def _label_deque(o, t, info, refs, L):
    """collections.deque visits its items from the first (after its class on 3.12+, where it is a heap type)."""
    if L.deque_iter is None:
        L.deque_iter = _type_dict(_deque_type())["__iter__"]  # the C iterator, whatever a subclass overrides
    try:
        items = list(L.deque_iter(o))
    except Exception:  # mutated by another thread meanwhile
        items = []
    _label_items(o, t, refs, items, False, L)


def _label_items(o, t, refs, items, reverse, L):
    """Items by index, matched by identity against the container: the last len(items) referents are the items in
    the traversal order, the ones before them the container's own references. Duplicates (an object at several
    indexes, a list holding itself) take their indexes positionally, so each edge names its real index."""
    n = len(items)
    h = len(refs) - n
    if h >= 0:
        tail = refs[h:]
        order = None
        if reverse and all(map(is_, tail, reversed(items))):
            order = range(n - 1, -1, -1)
        elif all(map(is_, tail, items)):
            order = range(n)
        elif all(map(is_, tail, reversed(items))):
            order = range(n - 1, -1, -1)
        if order is not None:
            if h:
                _emit_by_identity(refs[:h], _container_header(o, t, L), L.kinds, L.names)
            L.kinds.frombytes(bytes([E_ELEMENT]) * n)
            L.names.extend(order)
            _label_instance_dict_of(t, refs, L)
            return
    # The container changed since its referents were read: whatever still matches, by identity.
    pairs = _container_header(o, t, L)
    indexes = range(n - 1, -1, -1) if reverse else range(n)
    pairs.extend((items[i], E_ELEMENT, i) for i in indexes)
    _emit_by_identity(refs, pairs, L.kinds, L.names)
    _label_instance_dict_of(t, refs, L)


_ATTRIBUTE_OR_INTERNAL = (E_INTERNAL, E_ATTRIBUTE)


def _label_by_layout(o, t, info, refs, L):
    """Fast path once a type's layout is learned: the referents are exactly the learned attributes in order, then
    the class (3.11+ inline values), or the instance dict then the class (<= 3.10). Verified by identity; False when
    this instance differs, and the general path labels it."""
    if len(refs) != info.layout_length or refs[-1] is not t:
        return False
    getter = info.layout_getter
    if getter is not None:
        try:
            values = getter(o)
        except Exception:
            return False
        if not all(map(is_, refs, values)):
            return False
    elif info.layout_length == 2 and type(refs[0]) is not dict:
        return False
    L.kinds.frombytes(info.layout_kinds)
    L.names.extend(info.layout_names)
    return True


def _learn_layout(t, info, refs, L, first):
    """Record the labels of an instance whose referents were all named; after 256 instances with the same layout the
    fast path takes over. Any instance with another shape ends the learning for good."""
    names = L.names[first:]
    kinds = L.kinds[first:].tobytes()
    if len(refs) < 1 or refs[-1] is not t or 0 in names or info.slots:
        info.layout_length = -1
        return
    if info.layout_names is None:
        info.layout_names, info.layout_kinds, info.layout_length = names, kinds, len(refs)
    elif info.layout_names != names or info.layout_kinds != kinds:
        info.layout_length = -1
        return
    if info.seen == 256:
        attrs = [info.texts_by_name[n] for n, k in zip(names, kinds) if k == E_ATTRIBUTE]
        if len(attrs) == len(refs) - 1:
            info.layout_getter = attrgetter(*attrs) if len(attrs) > 1 else (lambda o, _g=attrgetter(*attrs): (_g(o),)) if attrs else None
            info.layout_ready = True
        elif len(refs) == 2 and names[0] == info.dict_label:
            info.layout_getter = None
            info.layout_ready = True
        else:
            info.layout_length = -1


def _label_instance_dict(t, info, refs, L):
    if not info.has_dict:
        return
    first = len(L.names) - len(refs)
    for j, r in enumerate(refs):
        if L.names[first + j] == 0 and type(r) is dict:
            # The instance dict is the exact dict no slot names. Reading __dict__ would create one on 3.8-3.12.
            L.names[first + j] = info.dict_label
            return


def _label_instance(o, t, info, refs, L):
    """Attributes by identity: slot values and (3.11+) inline values read with getattr over likely names, matched to
    the referents; the class and the instance dict by type."""
    if info.layout_ready and _label_by_layout(o, t, info, refs, L):
        return
    first = len(L.names)
    table = {}
    info.seen += 1
    values = names_read = ()
    if info.candidates:
        # Inline values (3.11+): no dict exists, so attribute names are found by identity among likely names.
        values = list(map(getattr, repeat(o), info.candidate_texts, repeat(_MISSING)))
        names_read = info.candidate_names
        # The first candidate naming an object wins: the instance's own names come before class defaults it may shadow.
        table.update(zip(map(id, reversed(values)), reversed(names_read)))
        if info.seen <= 256:
            info.found.update(compress(info.candidate_names, map(is_not, values, repeat(_MISSING))))
            if info.seen == 256:  # names no instance used so far are dropped: labels are best effort, speed is not
                keep = [c for c in info.candidates if c[0] in info.found]
                info.candidates = tuple(keep)
                info.candidate_names = tuple(c[0] for c in keep)
                info.candidate_texts = tuple(c[1] for c in keep)
    slot_values = []
    for name, d in info.slots:
        try:
            slot_values.append((d.__get__(o, t), E_ATTRIBUTE, name))
        except Exception:
            pass
    if slot_values:
        table.update((id(v), name) for v, _, name in slot_values)
    table.pop(id(_MISSING), None)
    table.pop(id(t), None)  # the class is labelled below, whatever attribute also holds it
    has_class = bool(refs) and refs[-1] is t  # subtype_traverse visits the class after slots and values
    if len(set(map(id, refs))) != len(refs):
        # One object under several attributes (often None): each of its edges takes one of the names.
        pairs = slot_values
        pairs.extend(compress(zip(values, repeat(E_ATTRIBUTE), names_read), map(is_not, values, repeat(_MISSING))))
        _emit_by_identity(refs[:-1] if has_class else refs, pairs, L.kinds, L.names)
        if has_class:
            L.kinds.append(E_INTERNAL)
            L.names.append(info.class_label)
        names = L.names[first:]
    else:
        names = list(map(table.get, map(id, refs), repeat(0)))
        kinds = bytearray(map(_ATTRIBUTE_OR_INTERNAL.__getitem__, map(bool, names)))
        if has_class:
            names[-1] = info.class_label
        L.kinds.frombytes(kinds)
        L.names.extend(names)
    values = slot_values = None
    if 0 in names:
        _label_instance_dict(t, info, refs, L)
    if info.layout_length >= 0 and not info.layout_ready and info.kind == K_OBJECT:
        # Duplicates are named in candidate order, which may not be their traversal order: harmless, as the fast path
        # checks every position by identity, and two edges to one object may swap names.
        _learn_layout(t, info, refs, L, first)
    if info.kind == K_EXCEPTION:
        _relabel_exception(o, refs, L, len(L.kinds) - len(refs))


def _relabel_exception(o, refs, L, first):
    c = L.common
    for getter, label in ((_exc_args, "args"), (_exc_tb, "__traceback__"), (_exc_context, "__context__"),
                          (_exc_cause, "__cause__")):
        try:
            v = getter(o)
        except Exception:
            continue
        for j, r in enumerate(refs):
            if r is v and L.names[first + j] == 0:
                L.names[first + j] = c[label]
                break


# C-level getters of function attributes that exist without being created; __dict__ and __annotations__ are left
# out because reading them creates a dict on the function (note §8.1).
_FUNCTION_GETTERS = tuple((name, _func[name].__get__) for name in (
    "__code__", "__globals__", "__defaults__", "__kwdefaults__", "__closure__", "__name__", "__qualname__",
    "__module__", "__doc__", "__builtins__", "__type_params__") if name in _func)


def _label_function(o, t, info, refs, L):
    strings = L.strings
    pairs = []
    for label, getter in _FUNCTION_GETTERS:
        try:
            v = getter(o)
        except Exception:
            continue
        if v is not None or label == "__doc__":  # other getters answer None for an empty field, never visited
            pairs.append((v, E_INTERNAL, strings.intern(label)))
    _emit_by_identity(refs, pairs, L.kinds, L.names)
    if 0 in L.names:
        _label_function_dicts(o, refs, L)


def _label_function_dicts(o, refs, L):
    """__dict__ and __annotations__ cannot be read without creating them. func_traverse visits them between
    __name__ and __qualname__: the dict before __closure__, the annotations after it. Alone and without a closure,
    a dict whose keys are all parameter names (or 'return') is the annotations; an empty one stays unnamed."""
    names, strings = L.names, L.strings
    first = len(names) - len(refs)
    name, qualname = strings.intern("__name__"), strings.intern("__qualname__")
    a = next((p for p in range(first, len(names)) if names[p] == name), None)
    b = next((p for p in range(a + 1, len(names)) if names[p] == qualname), None) if a is not None else None
    if b is None:
        return
    closure = L.common["__closure__"]
    unnamed = [p for p in range(a + 1, b) if names[p] == 0]
    at_closure = next((p for p in range(a + 1, b) if names[p] == closure), None)
    dict_name, annotations_name = L.common["__dict__"], strings.intern("__annotations__")
    if at_closure is not None or len(unnamed) == 2:
        split = at_closure if at_closure is not None else unnamed[1]
        for p in unnamed:
            names[p] = dict_name if p < split else annotations_name
    elif len(unnamed) == 1:
        v = refs[unnamed[0] - first]
        if type(v) is tuple:  # 3.10+: annotations kept as a tuple of strings until first read
            names[unnamed[0]] = annotations_name
        elif type(v) is dict and len(v):
            code = _func_code(o)
            params = set(_frame_slots(code, L)[0][:code.co_argcount + code.co_kwonlyargcount +
                                                   bool(code.co_flags & 4) + bool(code.co_flags & 8)])
            params.add("return")
            keys = dict.keys(v)
            names[unnamed[0]] = annotations_name if all(type(k) is str and k in params for k in keys) else dict_name


def _label_closure(o, refs, L):
    """A function's __closure__ tuple: its cells are named after the free variables, matched by identity (a tuple is
    visited from its last item; the same cell may fill several slots)."""
    free = L.closure_names.get(id(o))
    if free is not None and len(free) == _tuple_len(o):
        intern = L.strings.intern
        cells = tuple.__getitem__(o, _ALL)
        pairs = [(cells[i], E_CLOSURE, intern(free[i])) for i in range(len(free) - 1, -1, -1)]
        _emit_by_identity(refs, pairs, L.kinds, L.names)


def _label_type(o, t, info, refs, L):
    c = L.common
    pairs = [(_type_mro(o), E_INTERNAL, c["__mro__"]), (_type_bases(o), E_INTERNAL, c["__bases__"]),
             (t, E_INTERNAL, c["__class__"])]
    base = _type_base(o)
    if base is not None:
        pairs.append((base, E_INTERNAL, c["__base__"]))
    for r in refs:
        if type(r) is dict:  # tp_dict is the first exact dict visited; cls.__dict__ is only a proxy of it
            pairs.append((r, E_INTERNAL, c["__dict__"]))
            break
    _emit_by_identity(refs, pairs, L.kinds, L.names)


_CO_SUSPENDABLE = 0x20 | 0x80 | 0x100 | 0x200  # generator, coroutine, iterable coroutine, async generator
_DELETE_FAST = opcode.opmap.get("DELETE_FAST", -1)


def _frame_slots(code, L):
    """(names, sure, plain), cached per code object: the localsplus names; how many leading slots are surely bound
    (the arguments, up to one a cell replaces (<= 3.10 clears its plain slot) or one the code may delete); how many
    are plain locals (the slots after them hold cells and free variables, bound from the frame's start)."""
    facts = L.code_names.get(id(code))
    if facts is None:
        names = _localsplus_names(code)
        plain = code.co_nlocals
        flags = code.co_flags
        sure = min(plain, code.co_argcount + code.co_kwonlyargcount + bool(flags & 4) + bool(flags & 8))
        try:
            if _V < (3, 11):
                cells = code.co_cellvars  # a plain attribute before 3.11
                sure = next((i for i in range(sure) if names[i] in cells), sure)
            # DELETE_FAST i may unbind slot i (on 3.11+ the bytes read may include inline caches: too cautious at worst)
            raw = code.co_code if _V < (3, 11) else code._co_code_adaptive  # co_code would be cached on 3.11+
            ops, args = raw[0::2], raw[1::2]
            at = ops.find(_DELETE_FAST) if _DELETE_FAST >= 0 else -1
            while at >= 0 and sure:
                sure = min(sure, args[at])
                at = ops.find(_DELETE_FAST, at + 1)
        except Exception:
            sure = 0
        facts = L.code_names[id(code)] = (names, sure, plain)
    return facts


def _label_slots(rest, code, suspended, L, known=None):
    """Labels for a frame's slots as tp_traverse visits them: the bound locals in localsplus order (unbound ones are
    skipped), then, in a suspended generator or coroutine, its value stack. A name is given only where the counts make
    it certain: arguments lead, cells and free variables (always bound) follow the plain locals, and when as many
    values as plain locals remain, all are bound. known: id(value) -> name (3.13's f_locals) for the rest."""
    names, sure, plain = _frame_slots(code, L)
    intern, kinds, out = L.strings.intern, L.kinds, L.names
    n, r = len(names), len(rest)
    if not suspended and r == n:
        kinds.frombytes(bytes([E_LOCAL]) * r)
        out.extend([intern(v) for v in names])
        return
    k = min(sure, r)
    cells = n - plain
    j = -1  # where the run of cells starts among the values, when it can be placed
    if cells and not suspended:
        j = r - cells if r - cells >= k and all(type(v) is _CellType for v in rest[r - cells:]) else -1
    elif cells:
        fits = [x for x in range(k, min(plain, r - cells) + 1)
                if all(type(v) is _CellType for v in rest[x:x + cells])]
        j = fits[0] if len(fits) == 1 else -1
    end = j if j >= 0 else r  # the plain locals after the arguments (and, if suspended, maybe the stack) end here
    middle_exact = end - k == plain - k and (j >= 0 or not suspended)
    maybe_stack = suspended and j < 0
    unknown = intern("(local or stack)") if maybe_stack else L.common["?"]
    for i in range(r):
        if i < k or (k <= i < end and middle_exact):
            kinds.append(E_LOCAL)
            out.append(intern(names[i]))
        elif k <= i < end:
            found = known.get(id(rest[i])) if known else None
            name = (found.pop() if len(found) > 1 else found[0]) if found else None
            kinds.append(E_INTERNAL if name is None and maybe_stack else E_LOCAL)
            out.append(intern(name) if name is not None else unknown)
        elif j >= 0 and i < j + cells:
            kinds.append(E_LOCAL)
            out.append(intern(names[plain + i - j]))
        else:
            kinds.append(E_INTERNAL)
            out.append(intern("(stack)"))


def _label_frame(o, t, info, refs, L):
    """A frame's own references by position, then its slots (_label_slots). <= 3.10: f_back, f_code, f_builtins,
    f_globals, f_locals, f_trace, slots; 3.11+: f_back, f_trace and, once the frame has finished and owns its data,
    f_locals, the function, f_code, slots (a running or suspended one's slots are visited by its owner)."""
    c = L.common
    code = o.f_code
    kinds, names = L.kinds, L.names
    at = 0
    if _V < (3, 11):
        back = o.f_back  # a plain pointer before 3.11; 3.11+ would create frame objects (note §8.1)
        expected = ((back, "f_back"), (code, "f_code"), (o.f_builtins, "f_builtins"), (o.f_globals, "f_globals"))
        for value, label in expected:
            if value is None:
                continue
            if at >= len(refs) or refs[at] is not value:
                return _label_frame_by_identity(o, code, refs, L)
            kinds.append(E_INTERNAL)
            names.append(c[label])
            at += 1
        cached = _cached_locals(o, code, refs, at)
        if cached is not None:
            kinds.append(E_INTERNAL)
            names.append(L.strings.intern("f_locals (cached by locals())" if code.co_flags & 1 else "f_locals"))
            at += 1
        start = at
    else:
        start = -1
        for j in range(len(refs) - 1):
            if type(refs[j]) is types.FunctionType and refs[j + 1] is code and _func_code(refs[j]) is code:
                start = j + 2
                break
        head = refs[:start - 2] if start >= 0 else refs
        pairs = [(o, E_INTERNAL, c["(self)"])]
        if head and type(head[0]) is types.FrameType and head[0] is not o:
            pairs.append((head[0], E_INTERNAL, c["f_back"]))
        if o.f_trace is not None:
            pairs.append((o.f_trace, E_INTERNAL, L.strings.intern("f_trace")))
        cached = _cached_locals(o, code, head, len(head))
        if cached is not None:
            pairs.append((cached, E_INTERNAL, L.strings.intern("f_locals (cached by locals())")))
        _emit_by_identity(head, pairs, kinds, names)
        if start < 0:
            return
        kinds.append(E_INTERNAL)
        names.append(c["(function)"])
        kinds.append(E_INTERNAL)
        names.append(c["f_code"])
    trace = o.f_trace
    if trace is not None and start < len(refs) and refs[start] is trace and _V < (3, 11):
        kinds.append(E_INTERNAL)
        names.append(L.strings.intern("f_trace"))
        start += 1
    known = None
    if _V >= (3, 13):
        # PEP 667: f_locals is a write-through proxy that caches nothing, so it may be read. Never on <= 3.12,
        # where it stores a snapshot dict on the frame (note §12.3).
        try:
            proxy = o.f_locals
            items = list(dict.items(proxy)) if type(proxy) is dict else list(proxy.items())
            known = {}
            for k, v in reversed(items):
                if type(k) is str:
                    known.setdefault(id(v), []).append(k)
        except Exception:
            pass
        proxy = items = None
    # <= 3.10 a suspended generator's frame also holds its value stack (none before it starts, f_lasti -1).
    suspended = _V < (3, 11) and bool(code.co_flags & _CO_SUSPENDABLE) and o.f_lasti != -1
    _label_slots(refs[start:], code, suspended, L, known)


_GEN_PREFIX = {types.GeneratorType: "gi", types.CoroutineType: "cr", types.AsyncGeneratorType: "ag"}


def _label_generator(o, t, refs, L):
    """<= 3.10: gi_frame (which holds the locals), gi_code, __name__, __qualname__. 3.11+ embeds the frame: gi_code
    (3.11), __name__, __qualname__, a frame object if one was made, the function, the code, then the slots: locals
    and, when suspended, the value stack; then the exception being handled."""
    c = L.common
    prefix = _GEN_PREFIX[t]
    d = _type_dict(t)
    code = d[prefix + "_code"].__get__(o, t)
    pairs = [(code, E_INTERNAL, L.strings.intern(prefix + "_code")),
             (d["__name__"].__get__(o, t), E_INTERNAL, L.strings.intern("__name__")),
             (d["__qualname__"].__get__(o, t), E_INTERNAL, L.strings.intern("__qualname__"))]
    if _V < (3, 11):
        pairs.append((d[prefix + "_frame"].__get__(o, t), E_INTERNAL, L.strings.intern(prefix + "_frame")))
        return _emit_by_identity(refs, pairs, L.kinds, L.names)
    start = -1
    for j in range(len(refs) - 1):
        if type(refs[j]) is types.FunctionType and refs[j + 1] is code and _func_code(refs[j]) is code:
            start = j + 2
            break
    if start < 0:  # finished: the frame is cleared (3.13's close() keeps the function while clearing the locals)
        for r in refs:
            if type(r) is types.FunctionType and _func_code(r) is code:
                pairs.append((r, E_INTERNAL, c["(function)"]))
        return _emit_by_identity(refs, pairs, L.kinds, L.names)
    head = refs[:start - 2]
    for r in head:
        if type(r) is types.FrameType:
            pairs.append((r, E_INTERNAL, L.strings.intern(prefix + "_frame")))
    _emit_by_identity(head, pairs, L.kinds, L.names)
    L.kinds.append(E_INTERNAL)
    L.names.append(c["(function)"])
    L.kinds.append(E_INTERNAL)
    L.names.append(c["f_code"])
    suspended = d.get(prefix + "_suspended")
    running = d.get(prefix + "_running")
    # Created but not started: no value stack yet (async generators before 3.13 cannot tell, so stay cautious).
    suspended = suspended is None or running is None or suspended.__get__(o, t) or running.__get__(o, t)
    _label_slots(refs[start:], code, suspended, L)


def _label_frame_by_identity(o, code, refs, L):
    """A frame whose references are not in the expected order: its own ones by identity, the rest unnamed."""
    c = L.common
    del L.kinds[:], L.names[:]  # the scratch arrays hold this object's labels only: nothing partial stays
    pairs = [(code, E_INTERNAL, c["f_code"]), (o.f_globals, E_INTERNAL, c["f_globals"]),
             (o.f_builtins, E_INTERNAL, c["f_builtins"]), (o, E_INTERNAL, c["(self)"])]
    _emit_by_identity(refs, pairs, L.kinds, L.names)


def _cached_locals(frame, code, refs, at):
    """<= 3.12: the dict locals() cached on a function's frame (note §12.3), or a module or class body's namespace:
    the exact dict at refs[at] on <= 3.10 (right after f_globals), among refs (before the function) on 3.11+. A first
    local holding a dict is told apart by its keys: the cache's are all names of the frame's variables. Reading
    f_locals would refresh it."""
    if _V >= (3, 13):
        return None
    globals_, builtins_ = frame.f_globals, frame.f_builtins
    if _V < (3, 11):
        d = refs[at] if at < len(refs) else None
        if type(d) is not dict:
            return None
        if not code.co_flags & 1:
            return d  # not CO_OPTIMIZED: f_locals is the namespace itself (the module's globals for a module)
        if d is globals_ or d is builtins_:
            return None
        names = _localsplus_names(code)
        if len(d) == 0:  # an empty cache, or a first local holding {}: a local if the counts say all are bound
            return None if len(refs) - at == len(names) else d
        return d if all(type(k) is str and k in names for k in dict.keys(d)) else None
    for r in refs:
        if type(r) is dict and r is not globals_ and r is not builtins_:
            return r
    return None


def _label_pairs(o, t, info, refs, L):
    c = L.common
    pairs = []
    if t is types.MethodType:
        pairs = [(_method_func(o), E_INTERNAL, c["__func__"]), (_method_self(o), E_INTERNAL, c["__self__"])]
    elif issubclass(t, types.ModuleType):
        pairs = [(_module_dict(o), E_INTERNAL, c["__dict__"])]
    elif t is _CellType:
        L.kinds.frombytes(bytes([E_INTERNAL]) * len(refs))
        L.names.extend([c["cell_contents"]] * len(refs))
        return
    elif t is types.TracebackType:
        pairs = [(o.tb_frame, E_INTERNAL, c["tb_frame"]), (o.tb_next, E_INTERNAL, c["tb_next"])]
    elif t is types.GeneratorType or t is types.CoroutineType or t is types.AsyncGeneratorType:
        return _label_generator(o, t, refs, L)
    elif issubclass(t, _WEAKREF_TYPES):
        L.kinds.frombytes(bytes([E_INTERNAL]) * len(refs))
        L.names.extend([c["__callback__"]] * len(refs))
        return
    _emit_by_identity(refs, pairs, L.kinds, L.names)


_LABELLERS = {
    # Lists, tuples and sets have none: the reader numbers their unlabelled edges (docs/pyheap-format.md).
    K_DICT: _label_dict, K_OBJECT: _label_instance,
    K_EXCEPTION: _label_instance, K_FUNCTION: _label_function, K_TYPE: _label_type, K_FRAME: _label_frame,
    K_METHOD: _label_pairs, K_MODULE: _label_pairs, K_CELL: _label_pairs, K_TRACEBACK: _label_pairs,
    K_GENERATOR: _label_pairs, K_WEAKREF: _label_pairs,
}


def _items_reversed():
    """Whether list and tuple traversals visit items from the last to the first, as list_traverse and tupletraverse
    do on CPython 3.8-3.14; checked once by identity, so an interpreter that does otherwise gets explicit labels."""
    a, b = object(), object()
    return all(map(is_, _get_referents([a, b]), (b, a))) and all(map(is_, _get_referents((a, b)), (b, a)))


_ITEMS_REVERSED = _items_reversed()


def _deque_type():
    # From the loaded _collections module: importing it here would change the process.
    deque = _dict_get(_module_dict(sys.modules["_collections"]), "deque") if "_collections" in sys.modules else None
    return deque if type(deque) is type else None


def _labeller_for(t, kind):
    if kind == K_LIST or kind == K_TUPLE:
        return _label_sequence if not _ITEMS_REVERSED or (t is not list and t is not tuple) else None
    if kind == K_OBJECT:
        try:
            deque = _deque_type()
            if deque is not None and any(map(is_, _type_mro(t), repeat(deque))):
                return _label_deque
        except Exception:
            pass
    return _LABELLERS.get(kind)


# ---------------------------------------------------------------------------------------------------------------
# Safe reprs: bounded, never raise, and run user code only when asked (reprs=True) and only for types that define
# their own __repr__. One formatter is chosen per type; None means "the default repr", which the file leaves out
# (repr index 0) because a reader rebuilds it from the type name and id.

def _short(s, limit=REPR_LIMIT):
    return s if len(s) <= limit else s[:limit - 1] + "…"


def _address(o):
    return "%#x" % id(o)


def _repr_str(o):
    return repr(o) if len(o) <= REPR_LIMIT else repr(o[:REPR_LIMIT]) + "…"


def _repr_int(o):
    return int.__repr__(o) if o.bit_length() < 200 else "<int of %d bits>" % o.bit_length()


def _item(v):
    """An element inside a container repr: builtin scalars in full (bounded), everything else by type and address."""
    t = type(v)
    if t is str:
        return repr(v) if len(v) <= 40 else repr(v[:40]) + "…"
    if t is int:
        return _repr_int(v)
    if t is float or t is bool or v is None:
        return repr(v)
    if t is list or t is tuple or t is dict or t is set:
        return "%s[%d]" % (t.__name__, len(v))
    if issubclass(t, type):
        return "<class '%s'>" % _qualified_name(v)
    return "<%s object at %s>" % (_qualified_name(t), _address(v))


def _items(values, n, limit=6):
    body = ", ".join(map(_item, values[:limit]))
    return body + (", … %d more" % (n - limit) if n > limit else "")


def _repr_list(o):
    return _short("[" + _items(list.__getitem__(o, slice(0, 6)), list.__len__(o)) + "]")


def _repr_tuple(o):
    n = tuple.__len__(o)
    return _short("(" + _items(tuple.__getitem__(o, slice(0, 6)), n) + ("," if n == 1 else "") + ")")


def _repr_set(o):
    n = len(o)
    return _short("%s({%s})" % (type(o).__name__, _items(list(o)[:6], n)) if n else "%s()" % type(o).__name__)


def _repr_dict(o):
    n = _dict_len(o)
    keys = list(_dict_keys(o))[:6]
    values = list(_dict_values(o))[:6]
    body = ", ".join("%s: %s" % (_item(k), _item(v)) for k, v in zip(keys, values))
    return _short("{" + body + (", … %d more" % (n - 6) if n > 6 else "") + "}")


def _repr_function(o):
    c = _func_code(o)
    return "<function %s at %s (%s:%d)>" % (_func_qualname(o), _address(o), c.co_filename, c.co_firstlineno)


def _repr_module(o):
    name = _dict_get(_module_dict(o), "__name__")
    return "<module %r>" % (name if type(name) is str else "?")


def _repr_code(o):
    return "<code %s %s:%d>" % (o.co_name, o.co_filename, o.co_firstlineno)


def _repr_frame(o):
    c = o.f_code
    return "<frame %s %s:%d>" % (c.co_name, c.co_filename, o.f_lineno or 0)


def _repr_cell(o):
    try:
        return "<cell: %s>" % _item(o.cell_contents)
    except ValueError:
        return "<cell: empty>"


def _repr_method(o):
    f = _method_func(o)
    name = _func_qualname(f) if type(f) is types.FunctionType else _qualified_name(type(f))
    return "<bound method %s of %s>" % (name, _item(_method_self(o)))


def _repr_type(o):
    return "<class '%s'>" % _qualified_name(o)


def _repr_weakref(o):
    target = _wr_call(o)
    return "<weakref at %s; %s>" % (_address(o), "dead" if target is None else "to " + _item(target))


def _repr_traceback(o):
    c = o.tb_frame.f_code
    return "<traceback %s %s:%d>" % (c.co_name, c.co_filename, o.tb_lineno)


def _repr_exception(o):
    return _short("%s%s" % (_qualified_name(type(o)), _repr_tuple(_exc_args(o))))


def _repr_plain(o):
    return repr(o)


class _UserRepr(object):
    """Calls a user __repr__ within a global time budget; anything it raises becomes part of the text."""

    __slots__ = ("deadline",)

    def __init__(self, budget):
        self.deadline = time.perf_counter() + budget

    def __call__(self, o):
        if time.perf_counter() > self.deadline:
            return None
        try:
            r = repr(o)
        except KeyboardInterrupt:
            raise
        except BaseException as e:  # a hostile __repr__ may raise anything, SystemExit and RecursionError included
            return "<%s at %s: repr raised %s>" % (_qualified_name(type(o)), _address(o), _qualified_name(type(e)))
        return _short(r) if type(r) is str else None


_EXACT_FORMATTERS = {
    str: _repr_str, int: _repr_int, float: _repr_plain, bool: _repr_plain, complex: _repr_plain,
    type(None): _repr_plain, type(Ellipsis): _repr_plain, type(NotImplemented): _repr_plain,
    bytes: _repr_str, list: _repr_list, tuple: _repr_tuple, dict: _repr_dict, set: _repr_set, frozenset: _repr_set,
    types.FunctionType: _repr_function, types.ModuleType: _repr_module, types.CodeType: _repr_code,
    types.FrameType: _repr_frame, _CellType: _repr_cell, types.MethodType: _repr_method,
    weakref.ReferenceType: _repr_weakref, types.TracebackType: _repr_traceback,
}
_BASE_REPRS = {list.__repr__: _repr_list, tuple.__repr__: _repr_tuple, dict.__repr__: _repr_dict,
               set.__repr__: _repr_set, frozenset.__repr__: _repr_set, str.__repr__: _repr_str}


def _formatter(t, mode, user):
    """The repr function for instances of t, or None for the default repr."""
    f = _EXACT_FORMATTERS.get(t)
    if f is not None:
        return f
    if issubclass(t, type):
        return _repr_type
    found, m = _class_lookup(t, "__repr__")
    if not found or m is object.__dict__["__repr__"]:
        return None
    if m is BaseException.__dict__["__repr__"]:
        return _repr_exception
    for base_repr, fmt in _BASE_REPRS.items():  # by identity: m may be any object, even one with a hostile __hash__
        if m is base_repr:
            return fmt
    return user if mode is True else None


# ---------------------------------------------------------------------------------------------------------------
# Phase 2: per-object columns, edges, labels and leaves. Whole-heap work goes through C-level map/chain/compress;
# the Python-level loop only handles labels, which need per-container knowledge.

def capture(reprs=True):
    """Capture the heap as a Snapshot. Disables automatic collection for the pass and restores it; never collects,
    never sets debug flags, keeps no reference to a heap object after it returns."""
    was_enabled = gc.isenabled()
    gc.disable()  # an automatic collection mid-pass would change what is being measured
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e6)  # other threads would mutate the graph mid-snapshot
    try:
        return _capture(reprs, was_enabled)
    finally:
        sys.setswitchinterval(old_interval)
        if was_enabled:
            gc.enable()


class _Columns(object):
    """Node columns under construction (tracked objects first, then leaves)."""

    __slots__ = ("ids", "type_names", "kinds", "sizes", "flags", "refcounts", "generations", "reprs")

    def __init__(self):
        self.ids, self.type_names, self.kinds, self.sizes = array("d"), array("I"), array("B"), array("d")
        self.flags, self.refcounts, self.generations, self.reprs = array("H"), array("d"), array("b"), array("I")


def _type_table(objs, strings, tinfo):
    """Per-object type facts as columns, with _TypeInfo computed once per type. Types are keyed by id: hashing a
    class could run its metaclass's __hash__."""
    type_list = list(map(type, objs))
    type_ids = array("Q", map(id, type_list))  # not a list: a million int objects would bloat the target
    for tid, t in dict(zip(type_ids, type_list)).items():
        if tid not in tinfo:
            tinfo[tid] = _type_info(t, strings)
    return type_list, type_ids


_get_name, _get_kind, _get_flags = attrgetter("name"), attrgetter("kind"), attrgetter("flags")
_get_weakrefable = attrgetter("weakrefable")
_type_weakrefoffset = type.__dict__["__weakrefoffset__"].__get__


def _add_type_columns(cols, objs, type_ids, tinfo, strings):
    infos = list(map(tinfo.__getitem__, type_ids))
    cols.type_names.extend(map(_get_name, infos))
    cols.kinds.extend(map(_get_kind, infos))
    if all(i.size_safe for i in tinfo.values()):
        sizes = map(_getsizeof, objs)
    else:
        sizes = [_getsizeof(o) if i.size_safe else _object_sizeof(o) for o, i in zip(objs, infos)]
    try:
        cols.sizes.extend(sizes)
    except Exception:  # a __sizeof__ that raises: measure one by one
        for o, i in zip(objs, infos):
            try:
                cols.sizes.append(_getsizeof(o) if i.size_safe else _object_sizeof(o))
            except Exception:
                cols.sizes.append(0)
    return infos


def _flag_column(objs, infos, base, counts, immortal_at):
    flags = array("H", map(_get_flags, infos))
    if base:
        flags = array("H", map(base.__or__, flags))
    n = len(objs)
    # Only instances of types with a weakref slot can be weakly referenced (str, int, list, dict... cannot).
    for i in compress(range(n), map(_get_weakrefable, infos)):
        if _getweakrefcount(objs[i]):
            flags[i] |= F_WEAKLY_REFERENCED
    if _is_immortal is not None:
        for i in compress(range(n), map(_is_immortal, objs)):
            flags[i] |= F_IMMORTAL
    elif immortal_at is not None and counts is not None:
        for i in compress(range(n), map(immortal_at.__le__, counts)):
            flags[i] |= F_IMMORTAL
    return flags


class _Phases(object):
    """Seconds per capture phase, reported in the header (the benchmark reads them)."""

    __slots__ = ("seconds", "last")

    def __init__(self):
        self.seconds = {}
        self.last = time.perf_counter()

    def mark(self, name):
        now = time.perf_counter()
        self.seconds[name] = round(self.seconds.get(name, 0) + now - self.last, 3)
        self.last = now


def _capture(reprs, was_enabled):
    started = time.perf_counter()
    phases = _Phases()
    # Nothing tracked may be created before the object list is taken: it would show up as an agent-held root.
    objs, counts, overhead, per_generation = _take_objects()
    tracked_count = len(objs)
    running, frame_roots = _running_frames()
    if running:
        objs.extend(running)  # untracked nodes: their counts never enter the collector's arithmetic
        counts.extend(map(overhead.__add__, repeat(0, len(running))))
    running = None
    gc_state = {"enabled": was_enabled, "debug": gc.get_debug(), "threshold": list(gc.get_threshold()),
                "count": list(gc.get_count()), "garbageCount": len(gc.garbage),
                "freezeCount": gc.get_freeze_count() if hasattr(gc, "get_freeze_count") else 0}
    n = len(objs)
    strings = _Strings()
    cols = _Columns()
    edge_counts, edge_targets, edge_kinds, edge_names = array("I"), array("d"), array("B"), array("I")
    L = _Labels(strings, array("B"), array("I"))  # scratch arrays: one object's labels at a time
    tinfo = {}
    immortal_at = _immortal_threshold()

    phases.mark("objects")
    type_list, type_ids = _type_table(objs, strings, tinfo)
    infos = _add_type_columns(cols, objs, type_ids, tinfo, strings)
    flags = _flag_column(objs, infos, F_TRACKED, counts, immortal_at)
    cols.ids.extend(map(id, objs))
    garbage_ids = set(map(id, gc.garbage))
    if garbage_ids:
        for i in compress(range(n), map(garbage_ids.__contains__, cols.ids)):
            flags[i] |= F_IN_GARBAGE
    if _is_finalized is not None:
        for i in compress(range(n), [i.finalizer for i in infos]):
            if _is_finalized(objs[i]):
                flags[i] |= F_FINALIZED

    # Closure tuples get the free variable names of their function (a tuple does not know it is a closure).
    for i in compress(range(n), map(is_, type_list, repeat(types.FunctionType))):
        c = _func_closure(objs[i])
        if c is not None and _tuple_len(c):
            L.closure_names[id(c)] = L.localsplus(_func_code(objs[i]))[-_tuple_len(c):]
    c = None

    phases.mark("columns")
    frozen = gc_state["freezeCount"] > 0
    tracked_ids = set(map(id, objs)) if frozen else None
    leaves = {}
    weak_targets = []  # (node index, referent) for weakrefs, whose referent is not a tp_traverse edge
    needs_label = [i.labeller is not None for i in infos]
    closures = L.closure_names
    batch_kinds, batch_names = L.kinds, L.names
    for start in range(0, n, 16384):
        batch = objs[start:start + 16384]
        try:
            refs_list = list(map(_get_referents, batch))
        except Exception:
            refs_list = [_referents_or_none(o) for o in batch]
        lengths = list(map(len, refs_list))
        edge_counts.extend(lengths)
        offsets = [len(edge_kinds)]
        offsets.extend(map(offsets[0].__add__, accumulate(lengths)))
        flat = list(chain.from_iterable(refs_list))
        flat_ids = list(map(id, flat))
        edge_targets.extend(flat_ids)
        if frozen:
            # Objects in the permanent generation (gc.freeze(), and immortal ones on 3.12+) are tracked but not in
            # the list: everything outside it becomes a leaf.
            untracked = list(compress(flat, map(not_, map(tracked_ids.__contains__, flat_ids))))
        else:
            untracked = list(filterfalse(_is_tracked, flat))
        leaves.update(zip(map(id, untracked), untracked))
        # Unlabelled by default (kind 0, name 0); labellers overwrite their object's slice.
        edge_kinds.frombytes(bytes(len(flat)))
        edge_names.frombytes(bytes(4 * len(flat)))
        flat = untracked = flat_ids = None
        todo = list(compress(range(len(batch)), needs_label[start:start + 16384]))
        if closures:
            todo.extend(compress(range(len(batch)), map(closures.__contains__, map(id, batch))))
        for j in todo:
            i = start + j
            info = infos[i]
            refs = refs_list[j]
            o = batch[j]
            del batch_kinds[:], batch_names[:]
            try:
                if info.kind == K_TUPLE and id(o) in closures:
                    _label_closure(o, refs, L)
                else:
                    info.labeller(o, type_list[i], info, refs, L)
            except Exception:
                pass
            if len(batch_kinds) == len(refs) and len(batch_names) == len(refs):
                edge_kinds[offsets[j]:offsets[j + 1]] = batch_kinds
                edge_names[offsets[j]:offsets[j + 1]] = batch_names
            if info.kind == K_GENERATOR:
                flags[i] |= _generator_state(o, type_list[i], refs)
            elif info.kind == K_WEAKREF and issubclass(type_list[i], weakref.ReferenceType):
                target = _wr_call(o)
                if target is not None:
                    weak_targets.append((i, target))
                target = None
        batch = refs_list = refs = o = None
    phases.mark("referents")
    for i in range(tracked_count, n):
        flags[i] &= ~F_TRACKED
        leaves.pop(cols.ids[i], None)  # a running frame is a node already, even where tracked objects refer to it
    cols.flags = flags
    cols.generations = _generation_column(per_generation, n)
    cols.refcounts = array("d", map(overhead.__rsub__, counts))
    counts = None

    # Weak edges (weakref -> referent) go after each weakref's tp_traverse edges, marked E_WEAK.
    weak_extra = {}
    for i, target in weak_targets:
        weak_extra[i] = id(target)
        if not (id(target) in tracked_ids if frozen else _is_tracked(target)):
            leaves[id(target)] = target
    weak_targets = target = None

    phases.mark("weakrefs")
    roots, root_names = _named_roots(strings)
    for frame_id, label in frame_roots:
        roots.append(frame_id)
        root_names.append(strings.intern(label))

    # Leaves: untracked objects that tracked ones refer to (str, int, untracked dicts and tuples, static types...).
    leaf_list = list(leaves.values())
    leaves = None
    leaf_list.append(object())
    leaf_counts = array("q", map(_getrefcount, leaf_list))
    leaf_overhead = leaf_counts.pop()
    leaf_list.pop()
    leaf_types, leaf_type_ids = _type_table(leaf_list, strings, tinfo)
    leaf_infos = _add_type_columns(cols, leaf_list, leaf_type_ids, tinfo, strings)
    leaf_flags = _flag_column(leaf_list, leaf_infos, 0, leaf_counts, immortal_at)
    if frozen:
        for i in compress(range(len(leaf_list)), map(_is_tracked, leaf_list)):
            if not leaf_flags[i] & F_IMMORTAL:  # 3.12+ parks immortal objects there too; they are not "frozen"
                leaf_flags[i] |= F_FROZEN
    cols.flags.extend(leaf_flags)
    cols.ids.extend(map(id, leaf_list))
    cols.refcounts.extend(map(leaf_overhead.__rsub__, leaf_counts))
    cols.generations.frombytes(b"\xff" * len(leaf_list))
    edge_counts.frombytes(bytes(4 * len(leaf_list)))

    phases.mark("leaves")
    # Reprs last: user __repr__ may run arbitrary code, and by now everything structural has been read.
    if reprs is not False and reprs is not None:
        mode = True if reprs is True else "builtin"
        user = _UserRepr(USER_REPR_BUDGET_S)
        formatters = {tid: _formatter(t, mode, user) for tid, t in _types_by_id(type_list, leaf_types).items()}
        deadline = time.perf_counter() + REPR_BUDGET_S
        for group, group_type_ids in ((objs, type_ids), (leaf_list, leaf_type_ids)):
            for start in range(0, len(group), 65536):  # in chunks: a million temporary strs would bloat the target
                _add_reprs(cols.reprs, strings, group[start:start + 65536],
                           map(formatters.__getitem__, group_type_ids[start:start + 65536]), deadline)
        group = None
        formatters = user = None
    else:
        cols.reprs.frombytes(bytes(4 * (n + len(leaf_list))))
    phases.mark("reprs")
    leaf_count = len(leaf_list)
    objs = leaf_list = type_list = leaf_types = infos = leaf_infos = tinfo = None  # no heap object is held now

    if weak_extra:
        _splice_weak_edges(weak_extra, edge_counts, edge_targets, edge_kinds, edge_names)
    phases.mark("splice")
    snap = Snapshot()
    snap.strings = strings
    snap.ids, snap.type_names, snap.sizes, snap.refcounts = cols.ids, cols.type_names, cols.sizes, cols.refcounts
    snap.reprs, snap.flags, snap.generations, snap.kinds = cols.reprs, cols.flags, cols.generations, cols.kinds
    snap.edge_counts, snap.edge_targets, snap.edge_kinds, snap.edge_names = edge_counts, edge_targets, edge_kinds, edge_names
    snap.roots, snap.root_names = roots, root_names
    snap.header = _header(gc_state, overhead, per_generation, tracked_count, n - tracked_count + leaf_count, len(edge_targets), len(roots),
                          strings.count, reprs, started, phases)
    return snap


def _referents_or_none(o):
    try:
        return _get_referents(o)
    except Exception:
        return []  # no edges known: its referents simply stay "external"


def _types_by_id(*type_lists):
    out = {}
    for tl in type_lists:
        out.update(zip(map(id, tl), tl))
    return out


def _add_reprs(column, strings, objs, formatters, deadline):
    """Append one repr string index per object (0 = default repr). Exact strs go through C-level repr in bulk;
    everything else is formatted one by one until the deadline, after which the rest keep the default."""
    fmts = list(formatters)
    out = [None] * len(objs)
    plain = list(compress(range(len(objs)), map(is_, fmts, repeat(_repr_str))))
    if plain:
        values = list(map(objs.__getitem__, plain))
        long_ = list(compress(range(len(values)), map(REPR_LIMIT.__lt__, map(len, values))))
        for k in long_:
            values[k] = values[k][:REPR_LIMIT]
        texts = list(map(repr, values))
        for k in long_:
            texts[k] += "…"
        list(map(out.__setitem__, plain, texts))
        values = texts = None
    if time.perf_counter() > deadline:  # budget spent: later chunks only get the bulk string reprs
        rest = ()
    else:
        rest = [i for i, f in enumerate(fmts) if f is not None and f is not _repr_str]
    for n, i in enumerate(rest):
        if n & 255 == 0 and time.perf_counter() > deadline:
            break
        o = objs[i]
        try:
            out[i] = fmts[i](o)
        except Exception as e:
            out[i] = "<%s: repr failed (%s)>" % (_qualified_name(type(o)), type(e).__name__)
    o = None
    if None not in out:  # every object got a repr: number them in one go
        first = strings.add_many(out)
        column.extend(range(first, first + len(out)))
        return
    present = [r for r in out if r is not None]
    numbers = iter(range(strings.add_many(present), strings.count))
    column.extend([0 if r is None else next(numbers) for r in out])


def _generation_column(per_generation, n):
    generations = array("b")
    if per_generation is not None:
        for g, count in enumerate(per_generation):
            generations.frombytes(bytes([g]) * count)
    generations.frombytes(b"\xff" * (n - len(generations)))  # running frames, or no per-generation listing
    return generations


def _named_roots(strings):
    """Roots the agent can name: modules and gc.garbage. The reader adds objects with unexplained refcounts."""
    roots, names = array("d"), array("I")
    for name, m in list(sys.modules.items()):
        if issubclass(type(m), types.ModuleType):  # isinstance could run a lazy module's __class__
            roots.append(id(m))
            names.append(strings.intern("sys.modules[%r]" % name))
    roots.append(id(gc.garbage))
    names.append(strings.intern("gc.garbage"))
    return roots, names


def _header(gc_state, overhead, per_generation, tracked, leaves, edges, roots, string_count, reprs, started, phases):
    free_threaded = False
    try:
        import sysconfig  # imported at dump time only: nothing else needs it
        free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    except Exception:
        pass
    return {
        "format": "pyheap", "version": FORMAT_VERSION, "agent": AGENT_VERSION,
        "python": {"version": "%d.%d.%d" % sys.version_info[:3], "full": sys.version,
                   "hexversion": sys.hexversion, "implementation": sys.implementation.name,
                   "freeThreaded": free_threaded, "platform": sys.platform},
        "pid": _getpid(), "time": time.time(), "argv": list(sys.argv)[:20],
        "gc": gc_state, "refcountOverhead": overhead, "generations": per_generation,
        "trackedCount": tracked, "leafCount": leaves, "nodeCount": tracked + leaves, "edgeCount": edges,
        "rootCount": roots, "stringCount": string_count,
        "reprs": "user" if reprs is True else ("builtin" if reprs else "none"),
        "captureSeconds": round(time.perf_counter() - started, 3), "phaseSeconds": phases.seconds,
    }


def _generator_state(o, t, refs):
    """F_GEN_SUSPENDED (started, paused at a yield) or F_GEN_CREATED (never started): their finalizer closes them,
    which clears the frame. Never reads gi_frame on 3.11+, where that creates a frame object (note §8.1)."""
    prefix = "gi_" if issubclass(t, types.GeneratorType) else "cr_" if issubclass(t, types.CoroutineType) else None
    if prefix is None:
        return 0  # async generators finalize through the event loop's hooks: not modelled
    try:
        if getattr(o, prefix + "running"):
            return 0
        if _V >= (3, 11):
            if getattr(o, prefix + "suspended"):
                if _V >= (3, 13) and _yields_in_try(getattr(o, prefix + "code")):
                    return F_GEN_SUSPENDED | F_GEN_YIELDS_IN_TRY
                return F_GEN_SUSPENDED
            # Created and completed differ in the referents: a completed frame was cleared (code at most remains).
            return F_GEN_CREATED if any(type(r) is not types.CodeType for r in refs) else 0
        frame = getattr(o, prefix + "frame")
        if frame is None:
            return 0
        return F_GEN_CREATED if frame.f_lasti == -1 else F_GEN_SUSPENDED
    except Exception:
        return 0


def _varint(it):
    b = next(it)
    value = b & 63
    while b & 64:
        value <<= 6
        b = next(it)
        value |= b & 63
    return value


def _yields_in_try(code):
    """3.13+: whether every yield of this generator code lies inside a try/with block. close() then runs the frame
    to its end and clears it entirely; a generator paused outside any block only has its locals cleared (gen_close's
    fast path), keeping its function. Which yield it is paused at cannot be read without creating a frame object,
    so only the all-inside case is reported. co_code is read only for code with explicit handlers."""
    entries = []
    it = iter(code.co_exceptiontable)
    try:
        while True:
            start, length, target, _ = _varint(it), _varint(it), _varint(it), _varint(it)
            entries.append((start * 2, (start + length) * 2, target))
    except StopIteration:
        pass
    if not entries:
        return False
    implicit = max(e[2] for e in entries)  # the StopIteration wrapper is the last handler of a generator
    blocks = [(a, b) for a, b, target in entries if target != implicit]
    if not blocks:
        return False
    raw = code.co_code
    yields = [i for i in range(0, len(raw), 2) if raw[i] == _YIELD_VALUE]
    return bool(yields) and all(any(a <= y < b for a, b in blocks) for y in yields)


def _getpid():
    try:
        return os.getpid()
    except Exception:
        return 0


def _splice_weak_edges(extra, edge_counts, targets, kinds, names):
    """Insert each weakref's E_WEAK edge after its tp_traverse edges; copies run between weakrefs in C."""
    new_t, new_k, new_n = array("d"), array("B"), array("I")
    node = position = 0
    for i in sorted(extra):
        end = position + sum(edge_counts[node:i + 1])
        new_t.extend(targets[position:end])
        new_k.extend(kinds[position:end])
        new_n.extend(names[position:end])
        new_t.append(extra[i])
        new_k.append(E_WEAK)
        new_n.append(0)
        edge_counts[i] += 1
        node, position = i + 1, end
    new_t.extend(targets[position:])
    new_k.extend(kinds[position:])
    new_n.extend(names[position:])
    targets[:] = new_t
    kinds[:] = new_k
    names[:] = new_n


# ---------------------------------------------------------------------------------------------------------------
# Writing.

def _le(a):
    if sys.byteorder == "big":
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _section(out, tag, payload):
    out.write(tag)
    out.write(struct.pack("<I", len(payload)))
    out.write(payload)


def write_pyheap(snap, out):
    """Write a Snapshot to a binary file object (docs/pyheap-format.md)."""
    out.write(MAGIC)
    out.write(struct.pack("<I", FORMAT_VERSION))
    _section(out, b"HEAD", json.dumps(snap.header, default=str).encode("utf-8"))
    for payload in snap.strings.sections():
        _section(out, b"STRS", payload)
    n = len(snap.ids)
    e = 0
    for start in range(0, n, NODE_CHUNK):
        end = min(n, start + NODE_CHUNK)
        counts = snap.edge_counts[start:end]
        payload = b"".join([struct.pack("<I", end - start), _le(snap.ids[start:end]), _le(snap.sizes[start:end]),
                            _le(snap.refcounts[start:end]), _le(snap.type_names[start:end]),
                            _le(snap.reprs[start:end]), _le(counts), _le(snap.flags[start:end]),
                            snap.generations[start:end].tobytes(), snap.kinds[start:end].tobytes()])
        _section(out, b"NODE", payload)
        m = sum(counts)
        for es in range(e, e + m, 1 << 20):
            ee = min(e + m, es + (1 << 20))
            _section(out, b"EDGE", b"".join([struct.pack("<I", ee - es), _le(snap.edge_targets[es:ee]),
                                             _le(snap.edge_names[es:ee]), snap.edge_kinds[es:ee].tobytes()]))
        e += m
    _section(out, b"ROOT", struct.pack("<I", len(snap.roots)) + _le(snap.roots) + _le(snap.root_names))
    _section(out, b"END ", struct.pack("<dd", float(n), float(e)))


def dump(path, *, reprs=True):
    """Write a .pyheap snapshot of this process to path (gzip when it ends in .gz). Returns the header dict."""
    snap = capture(reprs)
    tmp = "%s.tmp-%d" % (path, _getpid())
    if str(path).endswith(".gz"):
        f = gzip.open(tmp, "wb", compresslevel=1)
    else:
        f = open(tmp, "wb", buffering=1 << 20)
    try:
        with f:
            write_pyheap(snap, f)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except Exception:
            pass
        raise
    return snap.header


def install_signal(signum, path, *, reprs=True):
    """Dump to path whenever signum arrives (like Node's --heapsnapshot-signal). "{pid}" and "{n}" in path are
    replaced by the process id and a counter. Returns the previous handler."""
    import signal
    state = {"n": 0}

    def _on_signal(sig, frame):
        frame = None  # the interrupted frame must not appear as an agent reference
        state["n"] += 1
        target = str(path).replace("{pid}", str(_getpid())).replace("{n}", str(state["n"]))
        try:
            dump(target, reprs=reprs)
            sys.stderr.write("gcsh_agent: wrote %s\n" % target)
        except Exception as e:
            sys.stderr.write("gcsh_agent: dump failed: %s\n" % e)

    return signal.signal(signum, _on_signal)


# ---------------------------------------------------------------------------------------------------------------
# CLI: python3 gcsh_agent.py dump OUT [--signal SIG] [--reprs user|builtin|none] -- script.py args...

_USAGE = "usage: gcsh_agent.py dump OUT [--signal SIG] [--reprs user|builtin|none] -- script.py [args...]\n"


def _run_script(out, script, args, reprs):
    # Run as a script, this module is __main__; it takes its real name so the user's script can be __main__.
    agent = sys.modules[__name__]
    _module_dict(agent)["__name__"] = "gcsh_agent"
    sys.modules["gcsh_agent"] = agent
    with open(script, "rb") as f:
        source = f.read()
    code = compile(source, script, "exec")
    main = types.ModuleType("__main__")
    main.__file__ = script
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    sys.argv = [script] + list(args)
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    status = 0
    try:
        exec(code, _module_dict(main))
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        import traceback
        traceback.print_exc()
        status = 1
    finally:
        code = source = None
        dump(out, reprs=reprs)
        sys.stderr.write("gcsh_agent: wrote %s\n" % out)
    return status


def main(argv):
    if len(argv) < 2 or argv[0] != "dump" or "--" not in argv:
        sys.stderr.write(_USAGE)
        return 2
    split = argv.index("--")
    opts, rest = argv[1:split], argv[split + 1:]
    if not opts or not rest:
        sys.stderr.write(_USAGE)
        return 2
    out, opts = opts[0], opts[1:]
    reprs, sig = True, None
    while opts:
        o = opts.pop(0)
        if o == "--reprs" and opts:
            v = opts.pop(0)
            reprs = {"user": True, "builtin": "builtin", "none": False}.get(v, True)
        elif o == "--signal" and opts:
            import signal
            v = opts.pop(0)
            sig = int(v) if v.isdigit() else getattr(signal, v if v.startswith("SIG") else "SIG" + v)
        else:
            sys.stderr.write(_USAGE)
            return 2
    if sig is not None:
        install_signal(sig, out, reprs=reprs)
    return _run_script(out, rest[0], rest[1:], reprs)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
