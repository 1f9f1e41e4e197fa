"""PyTorch peer of io.vecgrad.bench.layers.LstmBench: one LSTM layer (torch.lstm through
nn.LSTM's flat weights), batch 32, sequence 35, input 128, hidden 256, f32, forward + backward
with an upstream gradient of ones. Prints the median and minimum time per iteration in ms.

usage: python3 torch_lstm.py [--threads N] [--iters N]
"""
import argparse
import statistics
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--iters", type=int, default=50)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(11)
T, B, I, H = 35, 32, 128, 256
lstm = torch.nn.LSTM(I, H)
x = torch.randn(T, B, I, requires_grad=True)
h0 = (0.1 * torch.randn(1, B, H)).requires_grad_()
c0 = (0.1 * torch.randn(1, B, H)).requires_grad_()
ones = torch.ones(T, B, H)


def step():
    y, _ = lstm(x, (h0, c0))
    y.backward(ones)
    for t in [x, h0, c0, *lstm.parameters()]:
        t.grad = None


for _ in range(10):
    step()
times = []
for _ in range(a.iters):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1e3)
print(f"torch {torch.__version__} threads={a.threads} lstm T={T} B={B} {I}->{H} fwd+bwd: "
      f"median {statistics.median(times):.3f} ms, min {min(times):.3f} ms over {a.iters}")
