"""PyTorch peer of io.vecgrad.bench.kernels.ConvBench (impl=vecgrad, benchmark conv): one conv2d
layer's training pass in f32 on one thread at issue 11's ResNet-like shapes: forward with bias,
input gradient and weight gradient (torch.ops.aten.convolution_backward, so no autograd
bookkeeping is timed; bias gradient included as PyTorch computes it there). Prints one line per
case: shape, median microseconds per pass and the spread (min..max of the batches).

Usage: python3 bench/peers/torch_conv.py [seconds_per_case]
"""
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(7)
budget = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
CASES = [("32x3x32x32-32k3", (32, 3, 32, 32), 32, 3),
         ("32x64x16x16-64k3", (32, 64, 16, 16), 64, 3),
         ("32x256x8x8-64k1", (32, 256, 8, 8), 64, 1)]

print("torch", torch.__version__, "threads", torch.get_num_threads(), "config:",
      " ".join(l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l))
for name, dims, out, k in CASES:
    x = torch.randn(*dims)
    w = torch.randn(out, dims[1], k, k)
    b = torch.randn(out)
    pad = k // 2

    def run():
        y = F.conv2d(x, w, b, 1, pad)
        torch.ops.aten.convolution_backward(y, x, w, [out], [1, 1], [pad, pad], [1, 1], False, [0, 0], 1,
                                            [True, True, True])
    for _ in range(5):
        run()
    samples = []
    end = time.perf_counter() + budget
    while time.perf_counter() < end:
        n = 0
        t0 = time.perf_counter()
        while n < 3:
            run()
            n += 1
        samples.append((time.perf_counter() - t0) / n * 1e6)
    samples.sort()
    flops = 3 * 2 * dims[0] * out * dims[1] * k * k * dims[2] * dims[3]
    med = samples[len(samples) // 2]
    print(f"{name} median {med:.0f} us  spread {samples[0]:.0f}..{samples[-1]:.0f} us  "
          f"{flops / med / 1e3:.1f} GFLOP/s  ({len(samples)} batches)")
