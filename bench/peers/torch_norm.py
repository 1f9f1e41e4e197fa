"""PyTorch peer of io.vecgrad.bench.layers.NormBench (impl=autograd): batch_norm (training,
running stats updated) and layer_norm, forward + backward of sum(y * g), f32, one thread, same shapes and
normalized dims. Prints one line per case: op shape microseconds-per-call (median of runs).

Usage: python3 bench/peers/torch_norm.py [seconds_per_case]
"""
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(5)
budget = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0


def case(op, dims):
    x = torch.randn(*dims, requires_grad=True)
    g = torch.randn(*dims)
    k = 2 if len(dims) == 4 else 1
    ns = dims[-k:]
    if op == "batch_norm":
        c = dims[1]
        w = torch.randn(c, requires_grad=True)
        b = torch.randn(c, requires_grad=True)
        rm = torch.zeros(c)
        rv = torch.zeros(c)

        def run():
            x.grad = None
            w.grad = None
            b.grad = None
            (F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5) * g).sum().backward()
    else:
        w = torch.randn(*ns, requires_grad=True)
        b = torch.randn(*ns, requires_grad=True)

        def run():
            x.grad = None
            w.grad = None
            b.grad = None
            (F.layer_norm(x, ns, w, b, eps=1e-5) * g).sum().backward()
    for _ in range(5):
        run()
    samples = []
    end = time.perf_counter() + budget
    while time.perf_counter() < end:
        n = 0
        t0 = time.perf_counter()
        while n < 5:
            run()
            n += 1
        samples.append((time.perf_counter() - t0) / n * 1e6)
    samples.sort()
    return samples[len(samples) // 2]


for shape in ["32x64x16x16", "32x128x768"]:
    dims = [int(s) for s in shape.split("x")]
    for op in ["batch_norm", "layer_norm"]:
        print(f"{op} {shape} {case(op, dims):.1f}", flush=True)
print("torch", torch.__version__, "threads", torch.get_num_threads())
