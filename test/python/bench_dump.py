# Benchmark support (test/python): build a ~1M-object heap (stdlib modules plus application-like data), dump it with
# gcsh_agent and print time, extra memory in the target (peak RSS growth and tracemalloc peak) and file size as JSON.
# Usage: python3 bench_dump.py AGENT_DIR OUT.pyheap [tracked-target] [reprs: user|builtin|none]
import gc
import json
import os
import resource
import sys
import time

sys.path.insert(0, sys.argv[1])
import gcsh_agent  # noqa: E402

OUT = sys.argv[2]
TARGET = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
REPRS = {"user": True, "builtin": "builtin", "none": False}[sys.argv[4] if len(sys.argv) > 4 else "user"]

import argparse, asyncio, collections, csv, dataclasses, datetime, decimal, email.parser, fractions, http.client  # noqa
import inspect, ipaddress, logging, pathlib, pickle, random, sqlite3, statistics, typing, unittest, urllib.request  # noqa
import xml.etree.ElementTree as ET  # noqa: E402


class Customer(object):
    def __init__(self, i):
        self.id = i
        self.name = "customer-%d" % i
        self.tags = ["t%d" % (i % 7), "vip" if i % 11 == 0 else "std"]
        self.address = {"city": "City %d" % (i % 500), "zip": "%05d" % i}
        self.orders = []


@dataclasses.dataclass
class Order(object):
    id: int
    amount: float
    customer: object
    items: list


def build(target):
    rng = random.Random(7)
    customers, orders = [], []
    while len(gc.get_objects()) < target:
        for _ in range(2000):
            c = Customer(len(customers))
            customers.append(c)
            for k in range(rng.randint(0, 3)):
                o = Order(len(orders), rng.random() * 100, c, [("sku%d" % rng.randint(0, 999), k)])
                c.orders.append(o)
                orders.append(o)
            if rng.random() < 0.05:
                c.self_ref = c  # some cycles, reachable
    for i in range(0, len(customers), 97):  # some cyclic garbage
        g = Customer(-i)
        g.me = g
    return customers, orders


def rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


data = build(TARGET)
if os.environ.get("GCSH_BENCH_TRUTH"):
    gc.disable()  # no automatic collection between the dump and the real one that checks it
tracked = len(gc.get_objects())
peak_before = rss_kb()
started = time.perf_counter()
cpu_started = time.process_time()
header = gcsh_agent.dump(OUT, reprs=REPRS)
elapsed = time.perf_counter() - started
cpu = time.process_time() - cpu_started
peak_after = rss_kb()
truth = None
if os.environ.get("GCSH_BENCH_TRUTH"):  # also record what a real collection frees, to check the prediction at scale
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    gc.collect()
    truth = [id(o) for o in gc.garbage]
    gc.set_debug(0)
    del gc.garbage[:]
print(json.dumps({"truth": truth,
    "python": sys.version.split()[0], "tracked": tracked, "nodes": header["nodeCount"], "edges": header["edgeCount"],
    "captureSeconds": header["captureSeconds"], "dumpSeconds": round(elapsed, 2), "dumpCpuSeconds": round(cpu, 2),
    "loadAverage": os.getloadavg()[0], "phaseSeconds": header.get("phaseSeconds"),
    "peakRssGrowthMB": round((peak_after - peak_before) / 1024, 1), "rssBeforeMB": round(peak_before / 1024, 1),
    "fileMB": round(os.path.getsize(OUT) / 1e6, 1), "reprs": header["reprs"],
}))
