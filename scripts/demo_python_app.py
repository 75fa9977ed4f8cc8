"""The seed user's scenario as a small app, dumped twice by gcsh_agent.py for `gcsh --demo`.

Usage: python3 scripts/demo_python_app.py PATH/TO/gcsh_agent.py OUT_DIR
Writes OUT_DIR/python-app-1.pyheap.gz and python-app-2.pyheap.gz: a self-referencing `A` instance that became
garbage, throw-away ctypes array types (the numpy.ctypeslib puzzle), and an order cache that grows between dumps.
"""
import ctypes
import gc
import gzip
import importlib.util
import os
import shutil
import sys

agent_path, out_dir = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("gcsh_agent", agent_path)
agent = importlib.util.module_from_spec(spec)
spec.loader.exec_module(agent)


class A(object):
    """The seed's example: an instance that refers to itself."""

    def __init__(self):
        self.ref = self


class Order(object):
    def __init__(self, number):
        self.number = number
        self.lines = ["item-%d-%d" % (number, i) for i in range(3)]


class OrderCache(object):
    """The leak: every order is remembered forever."""

    def __init__(self):
        self.orders = {}

    def remember(self, order):
        self.orders[order.number] = order


def throwaway_array_type():
    # What numpy.ctypeslib did on import: build a ctypes array type and drop it. A class is always in a cycle
    # (its __mro__ tuple and __dict__ descriptors refer back to it), so only the cycle collector frees it.
    return ctypes.c_long * 1


cache = OrderCache()
gc.disable()  # keep the garbage in place until the dump, as if no collection had run yet
for number in range(200):
    cache.remember(Order(number))
A()
throwaway_array_type()


def dump(name):
    plain = os.path.join(out_dir, name)
    agent.dump(plain)
    with open(plain, "rb") as source, gzip.open(plain + ".gz", "wb", compresslevel=9) as target:
        shutil.copyfileobj(source, target)
    os.remove(plain)


dump("python-app-1.pyheap")
for number in range(200, 400):
    cache.remember(Order(number))
dump("python-app-2.pyheap")
gc.enable()
