#!/usr/bin/python3
"""Generates train.json: the acceptance 'train' group (a whole training run on the digits data).

This is vecgrad's own reference implementation of the "train.json" section of the shared
acceptance README (/work/shared/acceptance/README.md); the shared case set has no train.json.

    /usr/bin/python3 gen_train_cases.py [DIGITS_CSV_GZ] [OUT_JSON]

Defaults: the digits copy bundled in optim/src/main/resources/io/vecgrad/train/digits.csv.gz
and train.json next to this script. Needs PyTorch 1.13 (Debian's python3-torch) and numpy.
The output is deterministic: one thread, fixed seed, no shuffling, fixed JSON formatting.

What it does, per case (SGD+momentum, Adam):
  * data: x = pixel/16, train = lines [0, 1437), test = lines [1437, 1797), file order;
  * model Linear(64,32) -> ReLU -> Linear(32,10); initial weights from nn.Linear's default
    init after torch.manual_seed(1234) (float32), written to `inputs`;
  * training in float64 from those exact float32 values (the reference, `f64`) and the same
    run in float32 (`f32`, for information): 3 epochs x 23 batches of 64 rows (the last 29),
    zero_grad, forward, mean cross-entropy, backward, step;
  * an independent numpy float64 re-implementation of forward, backward and both optimizers
    must agree with PyTorch's float64 run (asserted);
  * the f32 tolerance starts at the README's train base {rtol 1e-3, atol 1e-4} and is widened
    x3, x10, ... until PyTorch's own float32 run uses at most 10% of it.
"""
import gzip
import hashlib
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, *[".."] * 5))
DEFAULT_DATA = os.path.join(ROOT, "optim/src/main/resources/io/vecgrad/train/digits.csv.gz")

N_TRAIN = 1437
N_ROWS = 1797
BATCH = 64
EPOCHS = 3
SEED = 1234
F32_BASE = {"rtol": 1e-3, "atol": 1e-4}
F64_TOL = {"rtol": 1e-9, "atol": 1e-11}
EXPECTED_TEST_CORRECT = {"sgd_momentum": 305, "adam": 256}  # the shared README's table

CASES = [
    ("sgd_momentum", "SGD(lr=0.1, momentum=0.9)",
     {"type": "SGD", "lr": 0.1, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0,
      "nesterov": False, "maximize": False}),
    ("adam", "Adam(lr=1e-3)",
     {"type": "Adam", "lr": 0.001, "betas": [0.9, 0.999], "eps": 1e-08, "weight_decay": 0.0,
      "amsgrad": False, "maximize": False}),
]


# ----------------------------------------------------------------------------------- data

def load(path):
    gz = open(path, "rb").read()
    text = gzip.decompress(gz)
    rows = [[int(v) for v in line.split(",")] for line in text.decode("ascii").splitlines() if line.strip()]
    a = np.array(rows, dtype=np.int64)
    assert a.shape == (N_ROWS, 65), a.shape
    pix, lab = a[:, :64], a[:, 64]
    assert pix.min() >= 0 and pix.max() <= 16 and lab.min() >= 0 and lab.max() <= 9

    def counts(l):
        return [int(c) for c in np.bincount(l, minlength=10)]

    checks = {
        "rows": N_ROWS,
        "columns": 65,
        "train_rows": N_TRAIN,
        "test_rows": N_ROWS - N_TRAIN,
        "pixel_sum": {"all": int(pix.sum()), "train": int(pix[:N_TRAIN].sum()), "test": int(pix[N_TRAIN:].sum())},
        "label_counts": {"train": counts(lab[:N_TRAIN]), "test": counts(lab[N_TRAIN:])},
        "first_row": [int(v) for v in a[0]],
        "sha256_gz": hashlib.sha256(gz).hexdigest(),
        "sha256_csv": hashlib.sha256(text).hexdigest(),
    }
    return pix, lab, checks


# ---------------------------------------------------------------------------------- model

def initial_weights():
    torch.manual_seed(SEED)
    m = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    sd = m.state_dict()
    return {"W1": sd["0.weight"].numpy().copy(), "b1": sd["0.bias"].numpy().copy(),
            "W2": sd["2.weight"].numpy().copy(), "b2": sd["2.bias"].numpy().copy()}


def make_optimizer(spec, params):
    if spec["type"] == "SGD":
        return torch.optim.SGD(params, lr=spec["lr"], momentum=spec["momentum"], dampening=spec["dampening"],
                               weight_decay=spec["weight_decay"], nesterov=spec["nesterov"])
    if spec["type"] == "Adam":
        return torch.optim.Adam(params, lr=spec["lr"], betas=tuple(spec["betas"]), eps=spec["eps"],
                                weight_decay=spec["weight_decay"], amsgrad=spec["amsgrad"])
    raise ValueError(spec["type"])


def torch_run(dtype, w0, pix, lab, spec):
    """The run as the README describes it, in PyTorch with this dtype."""
    x = torch.tensor(pix, dtype=dtype) / 16
    y = torch.tensor(lab, dtype=torch.int64)
    xtr, ytr, xte, yte = x[:N_TRAIN], y[:N_TRAIN], x[N_TRAIN:], y[N_TRAIN:]
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)).to(dtype)
    model.load_state_dict({"0.weight": torch.tensor(w0["W1"]).to(dtype), "0.bias": torch.tensor(w0["b1"]).to(dtype),
                           "2.weight": torch.tensor(w0["W2"]).to(dtype), "2.bias": torch.tensor(w0["b2"]).to(dtype)})
    opt = make_optimizer(spec, model.parameters())
    with torch.no_grad():
        initial_test_loss = F.cross_entropy(model(xte), yte).item()
    step_loss = []
    for _ in range(EPOCHS):
        for start in range(0, N_TRAIN, BATCH):
            xb, yb = xtr[start:start + BATCH], ytr[start:start + BATCH]
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            step_loss.append(loss.item())
            loss.backward()
            opt.step()
    with torch.no_grad():
        out_te, out_tr = model(xte), model(xtr)
        top2 = torch.topk(out_te, 2, dim=1).values
        res = {
            "step_loss": step_loss,
            "initial_test_loss": initial_test_loss,
            "final_test_loss": F.cross_entropy(out_te, yte).item(),
            "final_train_loss": F.cross_entropy(out_tr, ytr).item(),
            "final_param_sums": [p.sum().item() for p in model.parameters()],
            "test_correct": int((out_te.argmax(1) == yte).sum()),
            "train_correct": int((out_tr.argmax(1) == ytr).sum()),
            "min_test_margin": (top2[:, 0] - top2[:, 1]).min().item(),
        }
    return res


def numpy_run(w0, pix, lab, spec):
    """Independent float64 re-implementation: forward, backward, SGD/Adam update by hand."""
    x = pix.astype(np.float64) / 16
    p = {k: v.astype(np.float64) for k, v in w0.items()}
    names = ["W1", "b1", "W2", "b2"]
    state = {k: {"buf": None, "m": np.zeros_like(p[k]), "v": np.zeros_like(p[k])} for k in names}

    def forward(xb):
        h = xb @ p["W1"].T + p["b1"]
        r = np.maximum(h, 0)
        return h, r, r @ p["W2"].T + p["b2"]

    def ce(z, yb):
        zmax = z.max(axis=1, keepdims=True)
        lse = zmax[:, 0] + np.log(np.exp(z - zmax).sum(axis=1))
        return float(np.mean(lse - z[np.arange(len(yb)), yb]))

    test_loss0 = ce(forward(x[N_TRAIN:])[2], lab[N_TRAIN:])
    losses = []
    t = 0
    for _ in range(EPOCHS):
        for s in range(0, N_TRAIN, BATCH):
            e = min(s + BATCH, N_TRAIN)
            xb, yb = x[s:e], lab[s:e]
            h, r, z = forward(xb)
            losses.append(ce(z, yb))
            e = np.exp(z - z.max(axis=1, keepdims=True))
            dz = e / e.sum(axis=1, keepdims=True)
            dz[np.arange(len(yb)), yb] -= 1
            dz /= len(yb)
            g = {"W2": dz.T @ r, "b2": dz.sum(0)}
            dh = (dz @ p["W2"]) * (h > 0)
            g["W1"], g["b1"] = dh.T @ xb, dh.sum(0)
            t += 1
            for k in names:
                st = state[k]
                if spec["type"] == "SGD":
                    st["buf"] = g[k].copy() if st["buf"] is None else spec["momentum"] * st["buf"] + g[k]
                    p[k] = p[k] - spec["lr"] * st["buf"]
                else:
                    b1, b2 = spec["betas"]
                    st["m"] = b1 * st["m"] + (1 - b1) * g[k]
                    st["v"] = b2 * st["v"] + (1 - b2) * g[k] ** 2
                    denom = np.sqrt(st["v"]) / np.sqrt(1 - b2 ** t) + spec["eps"]
                    p[k] = p[k] - (spec["lr"] / (1 - b1 ** t)) * st["m"] / denom
    zte = forward(x[N_TRAIN:])[2]
    return {"step_loss": losses, "initial_test_loss": test_loss0, "final_test_loss": ce(zte, lab[N_TRAIN:]),
            "final_train_loss": ce(forward(x[:N_TRAIN])[2], lab[:N_TRAIN]),
            "final_param_sums": [float(p[k].sum()) for k in names],
            "test_correct": int((zte.argmax(1) == lab[N_TRAIN:]).sum())}


# ------------------------------------------------------------------------------ tolerance

def used_fraction(got, want, tol):
    """Largest |got-want| / (rtol*|want| + atol*max(1, max|want|)) over a tensor."""
    got, want = np.atleast_1d(np.asarray(got, np.float64)), np.atleast_1d(np.asarray(want, np.float64))
    bound = tol["rtol"] * np.abs(want) + tol["atol"] * max(1.0, float(np.abs(want).max()))
    return float((np.abs(got - want) / bound).max())


FLOAT_KEYS = ["step_loss", "initial_test_loss", "final_test_loss", "final_train_loss", "final_param_sums"]


def f32_tolerance(r64, r32):
    factors = [1, 3, 10, 30, 100, 300, 1000]
    for f in factors:
        tol = {"rtol": F32_BASE["rtol"] * f, "atol": F32_BASE["atol"] * f}
        if all(used_fraction(r32[k], r64[k], tol) <= 0.1 for k in FLOAT_KEYS):
            return tol
    raise AssertionError("float32 run too far from float64 even at x1000")


# ------------------------------------------------------------------------------------ json

def f32(v):
    """Shortest decimal that round-trips to the float32 value (numpy's repr)."""
    return float(repr(np.float32(v)))


def tensor(r64, r32, key):
    v64, v32 = r64[key], r32[key]
    if isinstance(v64, list):
        return {"shape": [len(v64)], "f64": [float(v) for v in v64], "f32": [f32(v) for v in v32]}
    return {"shape": [], "f64": [float(v64)], "f32": [f32(v32)]}


def make_case(name, title, spec, w0, pix, lab, checks):
    r64 = torch_run(torch.float64, w0, pix, lab, spec)
    r32 = torch_run(torch.float32, w0, pix, lab, spec)
    ref = numpy_run(w0, pix, lab, spec)
    for k in FLOAT_KEYS:
        frac = used_fraction(ref[k], r64[k], {"rtol": 1e-12, "atol": 1e-14})
        assert frac <= 1, f"{name}: numpy and PyTorch float64 disagree on {k} ({frac:.3g} of 1e-12)"
    assert ref["test_correct"] == r64["test_correct"], (name, ref["test_correct"], r64["test_correct"])
    want = EXPECTED_TEST_CORRECT[name]
    assert r64["test_correct"] == want, f"{name}: test_correct {r64['test_correct']}, shared README says {want}"
    n_test = N_ROWS - N_TRAIN
    case = {
        "id": "train/digits_" + name,
        "title": f"digits MLP 64-32-10, {title}, batch {BATCH}, {EPOCHS} epochs, no shuffling",
        "inputs": [{"name": k, "shape": list(v.shape), "data": [float(e) for e in v.reshape(-1)]}
                   for k, v in w0.items()],
        "data": {
            "file": "digits.csv.gz",
            "format": "gzip CSV, no header, 65 integer columns: 64 pixels (0..16, 8x8 row-major), then the label (0..9)",
            "features": "pixel / 16",
            "train": [0, N_TRAIN],
            "test": [N_TRAIN, N_ROWS],
            "checks": checks,
        },
        "model": {"layers": ["Linear(64, 32)", "ReLU", "Linear(32, 10)"],
                  "params": {"W1": "0.weight", "b1": "0.bias", "W2": "2.weight", "b2": "2.bias"},
                  "layout": "PyTorch: weight [out, in], y = x W^T + b"},
        "loss": {"type": "cross_entropy", "reduction": "mean"},
        "optimizer": spec,
        "epochs": EPOCHS,
        "batch_size": BATCH,
        "shuffle": False,
        "steps": len(r64["step_loss"]),
        "expected": {k: tensor(r64, r32, k) for k in FLOAT_KEYS},
        "expected_accuracy": {
            "test_total": n_test,
            "train_total": N_TRAIN,
            "test_correct": {"f64": r64["test_correct"], "f32": r32["test_correct"]},
            "train_correct": {"f64": r64["train_correct"], "f32": r32["train_correct"]},
            "min_test_margin": {"f64": r64["min_test_margin"], "f32": f32(r32["min_test_margin"])},
            "check": {"test_correct_within": 2},
        },
        "tol": {"f32": f32_tolerance(r64, r32), "f64": dict(F64_TOL)},
    }
    return case


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DATA
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "train.json")
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    pix, lab, checks = load(data)
    w0 = initial_weights()
    cases = [make_case(n, t, s, w0, pix, lab, checks) for n, t, s in CASES]
    head = {
        "schema_version": 1,
        "group": "train",
        "generator": "examples/src/test/resources/acceptance/gen_train_cases.py",
        "reference": "generated by vecgrad (not part of the shared case set) following the shared acceptance "
                     "README's train.json section, with PyTorch " + torch.__version__ + " (CPU, 1 thread); "
                     "references computed in float64 from the float32 initial weights, checked against an "
                     "independent numpy float64 re-implementation; f32 = the same run by PyTorch in float32",
        "tolerance_rule": "|got - want| <= rtol*|want| + atol*max(1, max_j |want_j|) per expected tensor; "
                          "test_correct within +-2 of expected_accuracy.test_correct.f64",
        "description": "A whole training run on the digits data. x = pixel/16; train = lines [0, 1437), test = "
                       "lines [1437, 1797) in file order; verify what was read against data.checks. Model "
                       "Linear(64,32) -> ReLU -> Linear(32,10) with the initial W1, b1, W2, b2 of 'inputs' "
                       "(PyTorch layout). Loss: mean cross-entropy. Batches: rows [64k, min(64k+64, 1437)), "
                       "k = 0..22, no shuffling; 3 epochs = 69 steps of zero_grad, forward, loss, backward, "
                       "optimizer step. expected.step_loss[k] = the batch loss of step k before its update; "
                       "initial_test_loss before training; final_test_loss and final_train_loss = mean over "
                       "the whole split at the final params; final_param_sums = element sums of W1, b1, W2, b2.",
        "count": len(cases),
    }
    lines = [json.dumps(head)[:-1] + ', "cases": [']
    lines += [json.dumps(c) + ("," if i + 1 < len(cases) else "") for i, c in enumerate(cases)]
    lines.append("]}")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    for c in cases:
        a = c["expected_accuracy"]
        print(c["id"], "test_correct f64/f32:", a["test_correct"]["f64"], a["test_correct"]["f32"],
              "final_test_loss:", c["expected"]["final_test_loss"]["f64"][0], "tol f32:", c["tol"]["f32"])


if __name__ == "__main__":
    main()
