#!/usr/bin/env python3
"""PyTorch side of the cold-start comparison: the loop `./vecgrad train` runs with its defaults.

64-128-64-10 ReLU MLP, cross-entropy, Adam (lr 1e-3), batch 32 reshuffled each epoch, 40 epochs,
on the bundled UCI digits (pixels / 16) with an 80/20 split; after every epoch the loss and
accuracy on the held-out rows (batch 32, no grad) and a checkpoint (model + optimizer state) are
written, as vecgrad's Trainer does. Prints the time from the first step to the last (with the
per-epoch evaluation and checkpoint, like vecgrad's "time:" line), epoch 1 and the median late
epoch, and the time spent importing torch. Wall time is the caller's to measure, e.g.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/time -f %e /usr/bin/python3 bench/peers/torch_train.py

(/usr/bin/python3 is Debian's PyTorch 1.13; bench/.venv/bin/python has PyTorch 2.13.)
"""
import gzip
import os
import statistics
import sys
import tempfile
import time

t_start = time.perf_counter()
import torch  # noqa: E402
t_import = time.perf_counter() - t_start

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "optim", "src", "main", "resources", "io", "vecgrad", "train", "digits.csv.gz")


def main():
    rows = []
    with gzip.open(DATA, "rt") as f:
        for line in f:
            v = line.strip().split(",")
            if v and v[0]:
                rows.append([float(x) for x in v])
    data = torch.tensor(rows, dtype=torch.float32)
    x_all, y_all = data[:, :-1] / 16.0, data[:, -1].long()
    g = torch.Generator().manual_seed(42)
    perm = torch.randperm(len(x_all), generator=g)
    n_test = round(0.2 * len(x_all))
    test_idx, train_idx = perm[:n_test], perm[n_test:]
    x_tr, y_tr, x_te, y_te = x_all[train_idx], y_all[train_idx], x_all[test_idx], y_all[test_idx]

    torch.manual_seed(42)
    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64),
                                torch.nn.ReLU(), torch.nn.Linear(64, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    ckpt = os.path.join(tempfile.mkdtemp(prefix="torch-train-"), "checkpoint.pt")
    epochs, batch = 40, 32
    epoch_s = []
    t0 = time.perf_counter()
    for epoch in range(epochs):
        e0 = time.perf_counter()
        model.train()
        order = torch.randperm(len(x_tr), generator=g)
        correct = 0
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            xb, yb = x_tr[idx], y_tr[idx]
            opt.zero_grad()
            out = model(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            opt.step()
            correct += (out.argmax(1) == yb).sum().item()
            loss.item()
        model.eval()
        test_loss, test_correct = 0.0, 0
        with torch.no_grad():
            for i in range(0, len(x_te), batch):
                out = model(x_te[i:i + batch])
                test_loss += loss_fn(out, y_te[i:i + batch]).item() * len(out)
                test_correct += (out.argmax(1) == y_te[i:i + batch]).sum().item()
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch + 1}, ckpt)
        epoch_s.append(time.perf_counter() - e0)
    train_s = time.perf_counter() - t0
    late = sorted(epoch_s[len(epoch_s) // 2:])
    print("torch %s: import %.2f s; time: %.3f s for %d epochs; epoch 1 %.1f ms, later epochs median %.1f ms; "
          "test acc %.4f; threads %d" % (torch.__version__, t_import, train_s, epochs, epoch_s[0] * 1e3,
                                         late[len(late) // 2] * 1e3, test_correct / len(x_te),
                                         torch.get_num_threads()))


if __name__ == "__main__":
    sys.exit(main())
