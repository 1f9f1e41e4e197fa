#!/usr/bin/env python3
"""PyTorch twin of io.vecgrad.bench.probe.KernelProbe: the same kernels and sizes, one thread,
median µs per call over REPS batches of BATCH_MS after warm-up, spread, the median thread-CPU µs
per call and its spread (steadier on a shared machine), and the load average.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 PY bench/peers/kernel_probe.py [reps] [batch_ms] [filter]
"""
import os
import sys
import time

import torch


def load():
    return open("/proc/loadavg").read().split()[0]


def timeit(fn, reps, batch_ms):
    end = time.perf_counter() + 2.0
    i = 0
    while time.perf_counter() < end and i < 200000:
        fn()
        i += 1
    out = []
    cpu = []
    for _ in range(reps):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        stop = t0 + batch_ms / 1e3
        calls = 0
        while True:
            fn()
            calls += 1
            now = time.perf_counter()
            if now >= stop:
                break
        cpu.append((time.thread_time() - c0) * 1e6 / calls)
        out.append((now - t0) * 1e6 / calls)
    out.sort()
    cpu.sort()
    return out, cpu


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    batch_ms = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    filt = sys.argv[3] if len(sys.argv) > 3 else ""
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(42)
    cases = {}
    x = torch.randn(256, 1000, generator=g) * 10
    y = torch.empty(256, 1000)
    cases["softmax 256x1000"] = lambda: torch.softmax(x, 1, out=y)
    cases["log_softmax 256x1000"] = lambda: torch.log_softmax(x, 1, out=y)
    for n in (65536, 1048576, 16777216):
        a = torch.randn(n, generator=g)
        b = torch.randn(n, generator=g)
        c = torch.empty(n)
        s = " 64K" if n == 65536 else " 1M" if n == 1048576 else " 16M"
        if n < 16777216:  # transcendental kernels: 64K and 1M only (as KernelProbe)
            cases["exp" + s] = lambda a=a, c=c: torch.exp(a, out=c)
            cases["sigmoid" + s] = lambda a=a, c=c: torch.sigmoid(a, out=c)
            cases["tanh" + s] = lambda a=a, c=c: torch.tanh(a, out=c)
        cases["add" + s] = lambda a=a, b=b, c=c: torch.add(a, b, out=c)
        cases["mul" + s] = lambda a=a, b=b, c=c: torch.mul(a, b, out=c)
        cases["relu" + s] = lambda a=a, c=c: torch.clamp_min(a, 0, out=c)
        cases["sum" + s] = lambda a=a: torch.sum(a)
        cases["max" + s] = lambda a=a: torch.max(a)
    print("# torch %s, threads %d, load %s" % (torch.__version__, torch.get_num_threads(), load()))
    for name, fn in cases.items():
        if filt not in name:
            continue
        t, c = timeit(fn, reps, batch_ms)
        med = t[len(t) // 2]
        cmed = c[len(c) // 2]
        print("%-22s %10.2f us  spread %5.1f%%  cpu %10.2f us  spread %5.1f%%  load %s"
              % (name, med, 100 * (t[-1] - t[0]) / med, cmed, 100 * (c[-1] - c[0]) / cmed, load()))


if __name__ == "__main__":
    main()
