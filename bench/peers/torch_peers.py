#!/usr/bin/env python3
"""PyTorch side of `./vecgrad bench peers`: the same shapes and seeds as the JMH benchmarks.

Each entry names the JMH benchmark (class.method) and params it pairs with, and reports the
median time per operation in microseconds with the 25th/75th percentiles, for 1 and 2 threads.
Kernels write into preallocated outputs (out=...), as ours do. Usage:

    /usr/bin/python3 bench/peers/torch_peers.py [--quick] [--threads 1,2] [--out FILE.json]
        [--n 65536,1048576] [--shapes 256,512,64x256x784]

`./vecgrad bench peers` runs it once per thread count (with OMP/OpenBLAS pools sized to match)
and passes --n and --shapes so that both sides measure the same sizes.
"""
import argparse
import ctypes
import json
import os
import platform
import statistics
import sys
import time

import torch


def measure(fn, budget_s, min_reps=5, ops_per_call=1):
    """Median/p25/p75 of per-call times (µs per op) within a time budget, after warm-up."""
    for _ in range(3):
        fn()
    t_end = time.perf_counter() + budget_s
    samples = []
    while len(samples) < min_reps or time.perf_counter() < t_end:
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e6 / ops_per_call)
        if len(samples) >= 20000:
            break
    samples.sort()
    q = statistics.quantiles(samples, n=4) if len(samples) >= 4 else [samples[0]] * 3
    return {"us": statistics.median(samples), "p25": q[0], "p75": q[2], "reps": len(samples)}


QUICK_N = [65536, 1048576]
FULL_N = [1000, 65536, 1048576, 16777216]
QUICK_SHAPES = ["256", "512", "1024", "64x256x784", "256x256x784", "784x256x64"]
FULL_SHAPES = ["256", "512", "1024", "2048", "64x256x784", "256x256x784", "784x256x64"]


def kernels(sizes, shapes, budget):
    out = []
    g = torch.Generator().manual_seed(42)
    for n in sizes:
        a = torch.randn(n, generator=g)
        b = torch.randn(n, generator=g)
        c = torch.empty(n)
        ops = {
            "add": lambda: torch.add(a, b, out=c),
            "mul": lambda: torch.mul(a, b, out=c),
            "exp": lambda: torch.exp(a, out=c),
            "tanh": lambda: torch.tanh(a, out=c),
            "relu": lambda: torch.clamp_min(a, 0, out=c),
            "sigmoid": lambda: torch.sigmoid(a, out=c),
        }
        for name, fn in ops.items():
            out.append({"bench": "ElementwiseBench." + name, "params": {"n": str(n)}, **measure(fn, budget)})
        out.append({"bench": "ReduceBench.sum", "params": {"n": str(n)}, **measure(lambda: torch.sum(a), budget)})
        out.append({"bench": "ReduceBench.max", "params": {"n": str(n)}, **measure(lambda: torch.max(a), budget)})
    x = torch.randn(256, 1000, generator=g) * 10
    y = torch.empty(256, 1000)
    out.append({"bench": "SoftmaxBench.softmax", "params": {"rows": "256", "cols": "1000"},
                **measure(lambda: torch.softmax(x, 1, out=y), budget)})
    out.append({"bench": "SoftmaxBench.logSoftmax", "params": {"rows": "256", "cols": "1000"},
                **measure(lambda: torch.log_softmax(x, 1, out=y), budget)})
    for sh in shapes:
        if "x" in sh:
            m, n, k = (int(v) for v in sh.split("x"))
        else:
            m = n = k = int(sh)
        A = torch.randn(m, k, generator=g)
        At = torch.randn(k, m, generator=g)
        B = torch.randn(k, n, generator=g)
        C = torch.empty(m, n)
        out.append({"bench": "GemmBench.gemm", "params": {"shape": sh},
                    **measure(lambda: torch.mm(A, B, out=C), budget)})
        out.append({"bench": "GemmBench.gemmTransA", "params": {"shape": sh},
                    **measure(lambda: torch.mm(At.t(), B, out=C), budget)})
    return out


def scalar_graph(budget):
    x = torch.tensor(0.5, requires_grad=True)
    w = torch.tensor(0.9, requires_grad=True)

    def run():
        h = x
        for _ in range(33):
            h = torch.tanh(h * w + 0.1)
        loss = h * w
        loss.backward()
        x.grad = None
        w.grad = None

    return [{"bench": "ScalarGraphBench.forwardBackward", "params": {}, **measure(run, budget, ops_per_call=100)}]


def train_steps(budget):
    out = []
    # batch 256 is what the two-thread step (TrainStep2ThreadsBench) runs, so quick keeps it too
    models = ["mlp784-b64-sgd", "mlp784-b64-adam", "mlp784-b256-sgd", "mlp784-b256-adam", "tiny-b32-sgd",
              "digits-b32-adam"]
    for name in models:
        kind, b, opt = name.split("-")
        batch = int(b[1:])
        torch.manual_seed(1)
        nn = torch.nn
        if kind == "mlp784":
            net, din = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                                     nn.Linear(256, 10)), 784
        elif kind == "tiny":
            net, din = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(),
                                     nn.Linear(16, 1)), 2
        else:
            net, din = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                                     nn.Linear(64, 10)), 64
        x = torch.rand(batch, din)
        if kind == "tiny":
            y = torch.randn(batch, 1)
            loss_fn = nn.MSELoss()
        else:
            y = torch.randint(0, 10, (batch,))
            loss_fn = nn.CrossEntropyLoss()
        if opt == "adam":
            o = torch.optim.Adam(net.parameters(), lr=1e-3)
        else:
            o = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0 if kind == "tiny" else 0.9)

        def step():
            o.zero_grad()
            loss = loss_fn(net(x), y)
            loss.backward()
            o.step()

        out.append({"bench": "TrainStepBench.step", "params": {"model": name}, **measure(step, budget)})
    p = torch.randn(1000000, requires_grad=True)
    p.grad = torch.randn(1000000)
    adam = torch.optim.Adam([p], lr=1e-3)
    out.append({"bench": "OptimizerStepBench.step", "params": {"n": "1000000", "optimizer": "adam"},
                **measure(adam.step, budget)})
    sgd = torch.optim.SGD([p], lr=1e-3, momentum=0.9)
    out.append({"bench": "OptimizerStepBench.step", "params": {"n": "1000000", "optimizer": "sgd_momentum"},
                **measure(sgd.step, budget)})
    return out


def blas_backend():
    """Which BLAS this torch runs on, read from the process itself (not from the build config):
    the OpenBLAS core that its dynamic dispatch picked (openblas_get_corename of the loaded
    libopenblas), else torch's CPU capability (the MKL/oneDNN paths follow it). Also says whether
    OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE were set in this process (they must not be for a peer)."""
    info = {}
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "openblas" in line and ".so" in line.split()[-1]})
    except OSError:
        libs = []
    for lib in libs:
        try:
            h = ctypes.CDLL(lib)
            h.openblas_get_corename.restype = ctypes.c_char_p
            h.openblas_get_config.restype = ctypes.c_char_p
            info["openblas_core"] = h.openblas_get_corename().decode()
            info["openblas_config"] = h.openblas_get_config().decode().strip()
            info["openblas_lib"] = lib
            break
        except (OSError, AttributeError):
            continue
    try:
        info["cpu_capability"] = torch.backends.cpu.get_cpu_capability()
    except AttributeError:
        pass
    info["mkl"] = bool(torch.backends.mkl.is_available())
    info["env"] = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    return info


def label(version):
    """Peer name in the table: pytorch MAJOR.MINOR (the versions are told apart by it)."""
    mm = ".".join(version.split("+")[0].split(".")[:2])
    return "pytorch " + mm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default="-")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--n", default=None, help="vector lengths, comma-separated")
    ap.add_argument("--shapes", default=None, help="GEMM shapes (N or MxNxK), comma-separated")
    args = ap.parse_args()
    budget = 0.3 if args.quick else 1.0
    sizes = [int(v) for v in args.n.split(",")] if args.n else (QUICK_N if args.quick else FULL_N)
    shapes = args.shapes.split(",") if args.shapes else (QUICK_SHAPES if args.quick else FULL_SHAPES)
    results = []
    for t in (int(v) for v in args.threads.split(",")):
        torch.set_num_threads(t)
        print(f"torch peers: {t} thread(s)...", file=sys.stderr)
        for r in kernels(sizes, shapes, budget) + scalar_graph(budget) + train_steps(budget):
            r["threads"] = t
            results.append(r)
    backend = blas_backend()
    print("torch peers: torch %s, BLAS: %s" % (torch.__version__, backend), file=sys.stderr)
    doc = {"peer": "pytorch", "label": label(torch.__version__), "version": torch.__version__,
           "python": platform.python_version(), "backend": backend,
           "config": torch.__config__.parallel_info().splitlines()[:3], "results": results}
    text = json.dumps(doc, indent=1)
    if args.out == "-":
        print(text)
    else:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
