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
import os
import struct
import sys
import time
import types
import weakref
from array import array
from itertools import filterfalse
from operator import is_

__all__ = ["dump", "install_signal", "capture", "write_pyheap", "FORMAT_VERSION"]

FORMAT_VERSION = 1
AGENT_VERSION = "0.1.0"
MAGIC = b"\x89PYHEAP\n"
NODE_CHUNK = 65536
REPR_LIMIT = 200
USER_REPR_BUDGET_S = 3.0

# File-level node kinds and edge kinds (docs/pyheap-format.md).
K_OBJECT, K_STR, K_BYTES, K_NUMBER, K_LIST, K_TUPLE, K_DICT, K_SET, K_FUNCTION, K_CODE, K_FRAME, K_TYPE, \
    K_MODULE, K_CELL, K_METHOD, K_WEAKREF, K_GENERATOR, K_EXCEPTION, K_TRACEBACK, K_NONE = range(20)
E_INTERNAL, E_ELEMENT, E_ATTRIBUTE, E_DICT_VALUE, E_LOCAL, E_CLOSURE, E_MEMBER, E_WEAK = range(8)

F_TRACKED, F_FINALIZER, F_WEAKLY_REFERENCED, F_IMMORTAL, F_IN_GARBAGE, F_FROZEN, F_ROOT, F_FINALIZED, \
    F_WEAKREF, F_LEGACY_FINALIZER, F_GEN_SUSPENDED, F_GEN_CREATED = 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048

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
_func_globals = _func["__globals__"].__get__
_func_defaults = _func["__defaults__"].__get__
_func_kwdefaults = _func["__kwdefaults__"].__get__
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
    """The snapshot's string table: index 0 is the empty string."""

    __slots__ = ("items", "index")

    def __init__(self):
        self.items = [""]
        self.index = {"": 0}

    def intern(self, s):
        i = self.index.get(s)
        if i is None:
            i = self.index[s] = len(self.items)
            self.items.append(s)
        return i

    def add(self, s):
        self.items.append(s)
        return len(self.items) - 1


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
    __slots__ = ("name", "kind", "size_safe", "finalizer", "weakref", "candidates", "plain_getattr", "slots",
                 "has_dict")


def _type_info(t, strings):
    info = _TypeInfo()
    info.name = strings.intern(_qualified_name(t))
    info.kind = _node_kind(t)
    info.size_safe = _size_is_safe(t)
    info.finalizer = _has_finalizer(t)
    info.weakref = issubclass(t, _WEAKREF_TYPES)
    info.candidates = None
    info.plain_getattr = False
    info.slots = ()
    info.has_dict = False
    if info.kind == K_OBJECT or info.kind == K_EXCEPTION:
        try:
            info.slots = _slot_descriptors(t)
            info.has_dict = _class_lookup(t, "__dict__")[0]
            if _V >= (3, 11):
                info.plain_getattr = _plain_getattr(t)
                info.candidates = _attribute_candidates(t) if info.plain_getattr else ()
        except Exception:
            pass
    return info


# ---------------------------------------------------------------------------------------------------------------
# Edge labels. The edges themselves always come from gc.get_referents (tp_traverse); labels are matched to them by
# identity or position and never change what is counted (note §8.4).

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
    __slots__ = ("kinds", "names", "strings", "key_cache", "closure_names", "code_names")

    def __init__(self, strings, kinds, names):
        self.strings = strings
        self.kinds = kinds
        self.names = names
        self.key_cache = {}
        self.closure_names = {}
        self.code_names = {}

    def localsplus(self, code):
        names = self.code_names.get(id(code))
        if names is None:
            names = self.code_names[id(code)] = _localsplus_names(code)
        return names


def _key_label(k, strings, cache):
    if type(k) is str:
        i = cache.get(k)
        if i is None:
            i = cache[k] = strings.intern(repr(k[:60]) if len(k) <= 60 else repr(k[:60]) + "…")
        return i
    t = type(k)
    if t is int:
        return strings.intern(int.__repr__(k) if k.bit_length() < 64 else "<int>")
    if t is bool or k is None or t is float:
        return strings.intern(repr(k))
    return strings.intern("<%s>" % _qualified_name(t))


def _emit_by_identity(refs, pairs, kinds, names, default_kind=E_INTERNAL):
    """pairs: (object, kind, name index). Each ref takes the first unused pair naming the same object."""
    table = {}
    for obj, k, nm in pairs:
        table.setdefault(id(obj), []).append((k, nm))
    for r in refs:
        lst = table.get(id(r))
        if lst:
            k, nm = lst.pop(0) if len(lst) > 1 else lst[0]
            kinds.append(k)
            names.append(nm)
        else:
            kinds.append(default_kind)
            names.append(0)


def _label_dict(o, refs, L):
    kinds, names, strings, cache = L.kinds, L.names, L.strings, L.key_cache
    n = len(refs)
    keys = list(_dict_keys(o))
    values = list(_dict_values(o))
    m = len(keys)
    if n == m and all(map(is_, refs, values)):  # str-keyed tables visit values only, in order
        kinds.frombytes(bytes([E_DICT_VALUE]) * n)
        names.extend([_key_label(k, strings, cache) for k in keys])
        return
    if n == 2 * m and all(map(is_, refs[0::2], values)) and all(map(is_, refs[1::2], keys)):
        kinds.frombytes(bytes([E_DICT_VALUE, E_INTERNAL]) * m)
        key_name = strings.intern("<key>")
        for k in keys:
            names.append(_key_label(k, strings, cache))
            names.append(key_name)
        return
    key_name = strings.intern("<key>")
    pairs = [(v, E_DICT_VALUE, _key_label(k, strings, cache)) for k, v in zip(keys, values)]
    pairs.extend((k, E_INTERNAL, key_name) for k in keys)
    _emit_by_identity(refs, pairs, kinds, names)


def _label_instance(o, t, info, refs, L):
    strings = L.strings
    pairs = [(t, E_INTERNAL, strings.intern("__class__"))]
    for name, d in info.slots:
        try:
            pairs.append((d.__get__(o, t), E_ATTRIBUTE, strings.intern(name)))
        except Exception:
            pass
    if info.candidates:
        for name in info.candidates:
            try:
                v = getattr(o, name, _MISSING)
            except Exception:
                continue
            if v is not _MISSING:
                pairs.append((v, E_ATTRIBUTE, strings.intern(name)))
    if info.has_dict:
        # The instance dict, when it exists, is the exact dict among the referents that no slot names. Reading
        # __dict__ would create one on 3.8-3.12 (note §8.1), so it is never read.
        named = set(id(p[0]) for p in pairs)
        for r in refs:
            if type(r) is dict and id(r) not in named:
                pairs.append((r, E_INTERNAL, strings.intern("__dict__")))
                break
    if info.kind == K_EXCEPTION:
        for getter, label in ((_exc_args, "args"), (_exc_tb, "__traceback__"), (_exc_context, "__context__"),
                              (_exc_cause, "__cause__")):
            try:
                pairs.append((getter(o), E_INTERNAL, strings.intern(label)))
            except Exception:
                pass
    _emit_by_identity(refs, pairs, L.kinds, L.names)


def _label_function(o, refs, L):
    s = L.strings
    pairs = []
    for getter, label in ((_func_code, "__code__"), (_func_globals, "__globals__"), (_func_defaults, "__defaults__"),
                          (_func_kwdefaults, "__kwdefaults__"), (_func_closure, "__closure__")):
        v = getter(o)
        if v is not None:
            pairs.append((v, E_INTERNAL, s.intern(label)))
    _emit_by_identity(refs, pairs, L.kinds, L.names)


def _label_tuple(o, refs, L):
    n = len(refs)
    free = L.closure_names.get(id(o))
    if free is not None and len(free) == n:
        L.kinds.frombytes(bytes([E_CLOSURE]) * n)
        L.names.extend([L.strings.intern(v) for v in free])
        return
    L.kinds.frombytes(bytes([E_ELEMENT]) * n)
    L.names.extend(range(n))


def _label_type(o, refs, L):
    s = L.strings
    pairs = [(_type_mro(o), E_INTERNAL, s.intern("__mro__")), (_type_bases(o), E_INTERNAL, s.intern("__bases__")),
             (type(o), E_INTERNAL, s.intern("__class__"))]
    base = _type_base(o)
    if base is not None:
        pairs.append((base, E_INTERNAL, s.intern("__base__")))
    for r in refs:
        if type(r) is dict:  # tp_dict is the first exact dict visited; cls.__dict__ is only a proxy of it
            pairs.append((r, E_INTERNAL, s.intern("__dict__")))
            break
    _emit_by_identity(refs, pairs, L.kinds, L.names)


def _label_frame(o, refs, L):
    s = L.strings
    code = o.f_code
    pairs = [(code, E_INTERNAL, s.intern("f_code")), (o.f_globals, E_INTERNAL, s.intern("f_globals")),
             (o.f_builtins, E_INTERNAL, s.intern("f_builtins")), (o, E_INTERNAL, s.intern("(self)"))]
    if _V < (3, 11):
        back = o.f_back  # a plain pointer before 3.11; 3.11+ would create frame objects (note §8.1)
        if back is not None:
            pairs.append((back, E_INTERNAL, s.intern("f_back")))
    elif refs and type(refs[0]) is types.FrameType and refs[0] is not o:
        pairs.append((refs[0], E_INTERNAL, s.intern("f_back")))
    for r in refs:
        if type(r) is types.FunctionType and _func_code(r) is code:
            pairs.append((r, E_INTERNAL, s.intern("(function)")))
    header = set(id(p[0]) for p in pairs)
    rest = [r for r in refs if id(r) not in header]
    local_names = L.localsplus(code)
    if len(rest) <= len(local_names):
        # Locals are visited in localsplus order, skipping unbound ones; names are exact when none is unbound.
        exact = len(rest) == len(local_names)
        for i, r in enumerate(rest):
            pairs.append((r, E_LOCAL, s.intern(local_names[i] if exact else "?")))
    # Never read f_locals: on <= 3.12 it caches a snapshot dict on the frame (note §12.3).
    _emit_by_identity(refs, pairs, L.kinds, L.names)


def _label_pairs(o, t, refs, L):
    s = L.strings
    pairs = []
    if t is types.MethodType:
        pairs = [(_method_func(o), E_INTERNAL, s.intern("__func__")), (_method_self(o), E_INTERNAL, s.intern("__self__"))]
    elif t is types.ModuleType or issubclass(t, types.ModuleType):
        pairs = [(_module_dict(o), E_INTERNAL, s.intern("__dict__"))]
    elif t is _CellType:
        L.kinds.frombytes(bytes([E_INTERNAL]) * len(refs))
        L.names.extend([s.intern("cell_contents")] * len(refs))
        return
    elif t is types.TracebackType:
        pairs = [(o.tb_frame, E_INTERNAL, s.intern("tb_frame")), (o.tb_next, E_INTERNAL, s.intern("tb_next"))]
    elif t is types.GeneratorType and _V < (3, 11):
        pairs = [(o.gi_frame, E_INTERNAL, s.intern("gi_frame")), (o.gi_code, E_INTERNAL, s.intern("gi_code"))]
    elif t is types.CoroutineType and _V < (3, 11):
        pairs = [(o.cr_frame, E_INTERNAL, s.intern("cr_frame")), (o.cr_code, E_INTERNAL, s.intern("cr_code"))]
    elif issubclass(t, _WEAKREF_TYPES):
        L.kinds.frombytes(bytes([E_INTERNAL]) * len(refs))
        L.names.extend([s.intern("__callback__")] * len(refs))
        return
    _emit_by_identity(refs, pairs, L.kinds, L.names)


# ---------------------------------------------------------------------------------------------------------------
# Safe reprs: bounded, never raise, and call user code only when asked (reprs=True) and only for user types.

def _short(s, limit=REPR_LIMIT):
    return s if len(s) <= limit else s[:limit - 1] + "…"


def _address(o):
    return "%#x" % id(o)


def _builtin_repr(o, t, depth):
    """A repr for builtin types built from C-level reads only; None when t is not one of them."""
    if t is str:
        return repr(o[:REPR_LIMIT]) + ("…" if len(o) > REPR_LIMIT else "")
    if t is int:
        return int.__repr__(o) if o.bit_length() < 200 else "<int of %d bits>" % o.bit_length()
    if t is float or t is bool or t is complex or o is None or o is Ellipsis or o is NotImplemented:
        return repr(o)
    if t is bytes:
        return repr(o[:REPR_LIMIT]) + ("…" if len(o) > REPR_LIMIT else "")
    if t is list or t is tuple or t is set or t is frozenset or t is dict:
        if depth > 1:
            n = len(o)
            return "%s[%d]" % (t.__name__, n)
        if t is dict:
            parts, n = [], _dict_len(o)
            for k, v in zip(list(_dict_keys(o))[:6], list(_dict_values(o))[:6]):
                parts.append("%s: %s" % (_nested_repr(k, depth), _nested_repr(v, depth)))
            body = ", ".join(parts) + (", … %d more" % (n - 6) if n > 6 else "")
            return _short("{" + body + "}")
        items = list(o)[:8]
        n = len(o)
        body = ", ".join(_nested_repr(v, depth) for v in items) + (", … %d more" % (n - 8) if n > 8 else "")
        if t is list:
            return _short("[" + body + "]")
        if t is tuple:
            return _short("(" + body + ("," if n == 1 else "") + ")")
        return _short("%s({%s})" % (t.__name__, body) if n else "%s()" % t.__name__)
    if t is types.FunctionType:
        c = _func_code(o)
        return "<function %s at %s (%s:%d)>" % (_func_qualname(o), _address(o), c.co_filename, c.co_firstlineno)
    if t is types.ModuleType:
        name = _dict_get(_module_dict(o), "__name__")
        return "<module %r>" % (name if type(name) is str else "?")
    if t is types.CodeType:
        return "<code %s %s:%d>" % (o.co_name, o.co_filename, o.co_firstlineno)
    if t is types.FrameType:
        c = o.f_code
        return "<frame %s %s:%d>" % (c.co_name, c.co_filename, o.f_lineno or 0)
    if t is _CellType:
        try:
            return "<cell: %s>" % _nested_repr(o.cell_contents, depth)
        except ValueError:
            return "<cell: empty>"
    if t is types.MethodType:
        f, s = _method_func(o), _method_self(o)
        fn = _func_qualname(f) if type(f) is types.FunctionType else _qualified_name(type(f))
        return "<bound method %s of %s>" % (fn, _nested_repr(s, depth))
    if issubclass(t, type):
        return "<class '%s'>" % _qualified_name(o)
    if t is weakref.ReferenceType:
        target = _wr_call(o)
        return "<weakref at %s; %s>" % (_address(o), "dead" if target is None else "to " + _default_repr(target))
    if t is types.TracebackType:
        c = o.tb_frame.f_code
        return "<traceback %s %s:%d>" % (c.co_name, c.co_filename, o.tb_lineno)
    if issubclass(t, BaseException) and _class_lookup(t, "__repr__")[1] is BaseException.__dict__["__repr__"]:
        return _short("%s%s" % (_type_qualname(t), _nested_repr(_exc_args(o), depth)))
    return None


def _default_repr(o):
    return "<%s object at %s>" % (_qualified_name(type(o)), _address(o))


def _nested_repr(o, depth):
    t = type(o)
    try:
        r = _builtin_repr(o, t, depth + 1)
    except Exception:
        r = None
    return r if r is not None else _default_repr(o)


class _ReprState(object):
    __slots__ = ("mode", "deadline")


def _safe_repr(o, state):
    """Never raises. User __repr__ only in mode True, only for classes that define one, within a time budget."""
    t = type(o)
    try:
        r = _builtin_repr(o, t, 0)
        if r is not None:
            return _short(r)
    except Exception as e:
        return "<%s: repr failed (%s)>" % (_qualified_name(t), type(e).__name__)
    if state.mode is not True or time.perf_counter() > state.deadline:
        return _default_repr(o)
    try:
        found, m = _class_lookup(t, "__repr__")
        if not found or m is object.__dict__["__repr__"]:
            return _default_repr(o)
        r = repr(o)
        if type(r) is not str:
            return _default_repr(o)
        return _short(r)
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # a hostile __repr__ may raise anything, SystemExit and RecursionError included
        try:
            return "<%s at %s: repr raised %s>" % (_qualified_name(t), _address(o), _qualified_name(type(e)))
        except Exception:
            return "<repr failed>"


# ---------------------------------------------------------------------------------------------------------------
# Phase 2: edges, labels, flags, leaves.

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


def _capture(reprs, was_enabled):
    started = time.perf_counter()
    # Nothing tracked may be created before the object list is taken: it would show up as an agent-held root.
    objs, counts, overhead, per_generation = _take_objects()
    gc_state = {"enabled": was_enabled, "debug": gc.get_debug(), "threshold": list(gc.get_threshold()),
                "count": list(gc.get_count()), "garbageCount": len(gc.garbage),
                "freezeCount": gc.get_freeze_count() if hasattr(gc, "get_freeze_count") else 0}
    n = len(objs)
    strings = _Strings()
    snap = Snapshot()
    type_names, kinds_col, flags, sizes = array("I"), array("B"), array("H"), array("d")
    edge_counts, edge_targets = array("I"), array("d")
    edge_kinds, edge_names = array("B"), array("I")
    L = _Labels(strings, edge_kinds, edge_names)
    tinfo = {}
    leaves = {}
    weak_targets = []  # (index of weakref node, referent id)
    immortal_at = _immortal_threshold()
    garbage_ids = set(map(id, gc.garbage))

    # Closure tuples get the free variable names of their function (a tuple does not know it is a closure).
    closure_names = L.closure_names
    for o in objs:
        if type(o) is types.FunctionType:
            c = _func_closure(o)
            if c is not None:
                # Free variables are the last names of localsplus, one per closure cell.
                closure_names[id(c)] = L.localsplus(_func_code(o))[-_tuple_len(c):] if _tuple_len(c) else ()
    o = None

    frozen = gc_state["freezeCount"] > 0
    tracked_ids = set(map(id, objs)) if frozen else None
    for i in range(n):
        o = objs[i]
        t = type(o)
        info = tinfo.get(t)
        if info is None:
            info = tinfo[t] = _type_info(t, strings)
        type_names.append(info.name)
        kinds_col.append(info.kind)
        try:
            sizes.append(_getsizeof(o) if info.size_safe else _object_sizeof(o))
        except Exception:
            sizes.append(0)
        f = F_TRACKED
        if info.finalizer:
            f |= F_FINALIZER
            if _is_finalized is not None and _is_finalized(o):
                f |= F_FINALIZED
        if _getweakrefcount(o):
            f |= F_WEAKLY_REFERENCED
        if immortal_at is not None and counts[i] >= immortal_at or _is_immortal is not None and _is_immortal(o):
            f |= F_IMMORTAL
        if id(o) in garbage_ids:
            f |= F_IN_GARBAGE
        if info.weakref:
            f |= F_WEAKREF
            if t is weakref.ReferenceType or issubclass(t, weakref.ReferenceType):
                target = _wr_call(o)
                if target is not None:
                    weak_targets.append((i, target))
                del target
        try:
            refs = _get_referents(o)
        except Exception:
            refs = []  # no edges known: its referents simply stay "external"
        if info.kind == K_GENERATOR:
            f |= _generator_state(o, t, refs)
        flags.append(f)
        edge_targets.extend(map(id, refs))
        if frozen:
            untracked = [r for r in refs if id(r) not in tracked_ids]
        else:
            untracked = list(filterfalse(_is_tracked, refs))
        if untracked:
            leaves.update(zip(map(id, untracked), untracked))
        k = info.kind
        before = len(edge_kinds)
        try:
            if k == K_DICT:
                _label_dict(o, refs, L)
            elif k == K_LIST:
                edge_kinds.frombytes(bytes([E_ELEMENT]) * len(refs))
                edge_names.extend(range(len(refs)))
            elif k == K_TUPLE:
                _label_tuple(o, refs, L)
            elif k == K_SET:
                edge_kinds.frombytes(bytes([E_MEMBER]) * len(refs))
                edge_names.frombytes(bytes(4 * len(refs)))
            elif k == K_OBJECT or k == K_EXCEPTION:
                _label_instance(o, t, info, refs, L)
            elif k == K_FUNCTION:
                _label_function(o, refs, L)
            elif k == K_TYPE:
                _label_type(o, refs, L)
            elif k == K_FRAME:
                _label_frame(o, refs, L)
            else:
                _label_pairs(o, t, refs, L)
        except Exception:
            del edge_kinds[before:], edge_names[before:]
        if len(edge_kinds) != before + len(refs):  # a labeller bug must never shift later edges
            del edge_kinds[before:], edge_names[before:]
            edge_kinds.frombytes(bytes(len(refs)))
            edge_names.frombytes(bytes(4 * len(refs)))
        edge_counts.append(len(refs))
    o = refs = untracked = None

    # Weak edges (weakref -> referent) are not tp_traverse edges; they go last in each weakref's edge list, so they
    # are appended in a second pass that rebuilds nothing: the reader marks them by kind E_WEAK.
    weak_extra = {}
    for i, target in weak_targets:
        weak_extra[i] = id(target)
        if not (tracked_ids is not None and id(target) in tracked_ids or tracked_ids is None and _is_tracked(target)):
            leaves[id(target)] = target
    weak_targets = target = None

    # Roots the agent can name: modules and gc.garbage. The reader adds objects with unexplained refcounts.
    roots, root_names = array("d"), array("I")
    for name, m in list(sys.modules.items()):
        if issubclass(type(m), types.ModuleType):  # isinstance could run a lazy module's __class__
            roots.append(id(m))
            root_names.append(strings.intern("sys.modules[%r]" % name))
    roots.append(id(gc.garbage))
    root_names.append(strings.intern("gc.garbage"))
    name = m = None

    # Leaves: untracked objects that tracked ones refer to (str, int, untracked dicts and tuples, static types...).
    leaf_list = list(leaves.values())
    leaves = None
    leaf_list.append(object())
    leaf_counts = array("q", map(_getrefcount, leaf_list))
    leaf_overhead = leaf_counts.pop()
    leaf_list.pop()
    for o in leaf_list:
        t = type(o)
        info = tinfo.get(t)
        if info is None:
            info = tinfo[t] = _type_info(t, strings)
        type_names.append(info.name)
        kinds_col.append(info.kind)
        try:
            sizes.append(_getsizeof(o) if info.size_safe else _object_sizeof(o))
        except Exception:
            sizes.append(0)
        f = F_FROZEN if frozen and _is_tracked(o) else 0
        if immortal_at is not None and _getrefcount(o) >= immortal_at or _is_immortal is not None and _is_immortal(o):
            f |= F_IMMORTAL
        if _getweakrefcount(o):
            f |= F_WEAKLY_REFERENCED
        flags.append(f)
        edge_counts.append(0)
    o = None

    # Reprs last: user __repr__ may run arbitrary code, and by now everything structural has been read.
    repr_col = array("I")
    if reprs is not False and reprs is not None:
        state = _ReprState()
        state.mode = True if reprs is True else "builtin"
        state.deadline = time.perf_counter() + USER_REPR_BUDGET_S
        add = strings.add
        for o in objs:
            repr_col.append(add(_safe_repr(o, state)))
        for o in leaf_list:
            repr_col.append(add(_safe_repr(o, state)))
        o = None
    else:
        repr_col.frombytes(bytes(4 * (n + len(leaf_list))))

    ids = array("d", map(id, objs))
    ids.extend(map(id, leaf_list))
    refcounts = array("d", [c - overhead for c in counts])
    refcounts.extend([c - leaf_overhead for c in leaf_counts])
    generations = array("b")
    if per_generation is not None:
        for g, count in enumerate(per_generation):
            generations.frombytes(bytes([g]) * count)
    else:
        generations.frombytes(b"\xff" * n)
    generations.frombytes(b"\xff" * len(leaf_list))
    leaf_count = len(leaf_list)
    objs = leaf_list = None  # from here on the snapshot holds no heap object

    # Splice the weak edges in after each weakref's tp_traverse edges.
    if weak_extra:
        _splice_weak_edges(weak_extra, edge_counts, edge_targets, edge_kinds, edge_names)

    snap.strings = strings.items
    snap.ids, snap.type_names, snap.sizes, snap.refcounts = ids, type_names, sizes, refcounts
    snap.reprs, snap.flags, snap.generations, snap.kinds = repr_col, flags, generations, kinds_col
    snap.edge_counts, snap.edge_targets, snap.edge_kinds, snap.edge_names = edge_counts, edge_targets, edge_kinds, edge_names
    snap.roots, snap.root_names = roots, root_names
    free_threaded = False
    try:
        import sysconfig  # imported at dump time only: it is not needed otherwise
        free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    except Exception:
        pass
    snap.header = {
        "format": "pyheap", "version": FORMAT_VERSION, "agent": AGENT_VERSION,
        "python": {"version": "%d.%d.%d" % sys.version_info[:3], "full": sys.version,
                   "hexversion": sys.hexversion, "implementation": sys.implementation.name,
                   "freeThreaded": free_threaded, "platform": sys.platform},
        "pid": _getpid(), "time": time.time(), "argv": list(sys.argv)[:20],
        "gc": gc_state, "refcountOverhead": overhead, "generations": per_generation,
        "trackedCount": n, "leafCount": leaf_count, "nodeCount": n + leaf_count, "edgeCount": len(edge_targets),
        "rootCount": len(roots), "stringCount": len(strings.items),
        "reprs": "user" if reprs is True else ("builtin" if reprs else "none"),
        "captureSeconds": round(time.perf_counter() - started, 3),
    }
    return snap


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
                return F_GEN_SUSPENDED
            # Created and completed differ in the referents: a completed frame was cleared (code at most remains).
            return F_GEN_CREATED if any(type(r) is not types.CodeType for r in refs) else 0
        frame = getattr(o, prefix + "frame")
        if frame is None:
            return 0
        return F_GEN_CREATED if frame.f_lasti == -1 else F_GEN_SUSPENDED
    except Exception:
        return 0


def _getpid():
    try:
        return os.getpid()
    except Exception:
        return 0


def _splice_weak_edges(extra, edge_counts, targets, kinds, names):
    new_t, new_k, new_n = array("d"), array("B"), array("I")
    pos = 0
    for i in range(len(edge_counts)):
        c = edge_counts[i]
        if c:
            new_t.extend(targets[pos:pos + c])
            new_k.extend(kinds[pos:pos + c])
            new_n.extend(names[pos:pos + c])
            pos += c
        w = extra.get(i)
        if w is not None:
            new_t.append(w)
            new_k.append(E_WEAK)
            new_n.append(0)
            edge_counts[i] = c + 1
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
    items = snap.strings
    for start in range(1, len(items), 65536):
        chunk = items[start:start + 65536]
        parts = [struct.pack("<I", len(chunk))]
        for s in chunk:
            b = s.encode("utf-8", "surrogatepass")
            parts.append(struct.pack("<I", len(b)))
            parts.append(b)
        _section(out, b"STRS", b"".join(parts))
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
    sys.modules.setdefault("gcsh_agent", sys.modules[__name__])
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
