#!/usr/bin/env python3
"""Golden fixtures for the knobs (issue 22): the lab's loop with three changes, in numpy.

    pip install numpy
    python3 bench/knobs_numpy.py [--epochs 3] [--out tests/data/knobs.json]

The lab's loop of bench/numpy_lab.py (same data, split, scaler, shuffles, summed gradients,
batches of 64, iter = epoch + 1, seed 7, lr 0.01), written straight from the formulas of the
issue, for every init x activation x weight decay and each optimizer:

- init: each weight matrix (n_out x n_in), layer by layer in the lab's order, is
  s * randn(n_out, n_in) from the same stream, s = 1 (lab), sqrt(1/n_in) (xavier),
  sqrt(2/n_in) (he); biases zero.
- activation of the hidden layers (the output stays softmax), with a the layer's output and up
  the gradient from above: sigmoid up * (a * (1 - a)), tanh up * (1 - a**2), relu up * (a > 0).
- weight decay lambda: each weight matrix's summed batch gradient becomes g + lambda * W (W
  before the step); biases are not decayed. The loss stays the lab's cross-entropy; the
  penalty 0.5 * lambda * sum(W**2) over the matrices is recorded beside it.

Each case is trained twice: in the reference arithmetic digits-tui implements (sequential
FMA products emulated exactly, glibc exp/log/tanh through Python's math module; see
bench/numpy_lab.py) under "reference", and with numpy's own products, exp, log and tanh
(machine dependent in the last bits, LAB.md B.0) under "numpy". tests/knobs.rs compares
digits-tui with "reference" within 1e-9 relative on every epoch's loss and exactly on the
accuracies. Against "numpy" only the first epoch is compared: with the lab's unit-normal
weights, tanh and relu networks are chaotic enough that numpy's last-bit differences grow past
1e-9 by the second epoch (numpy on another CPU would differ from itself as much).

The loss is summed over the label's log only: the lab's Y * log(a) gives NaN where a
non-label probability underflowed to 0 (0 * -inf), which relu networks with the lab's weights
reach; digits-tui (run.rs, cross_entropy_terms) adds the zeros numpy gives for 0 * log(a) there.
"""
import argparse
import json
import math
import pathlib
import time

import numpy as np

from numpy_lab import KINDS, Numpy, Reference, load, step

HERE = pathlib.Path(__file__).resolve().parent
INITS = {"lab": None, "xavier": 1.0, "he": 2.0}
ACTIVATIONS = ["sigmoid", "tanh", "relu"]
DECAYS = [0.0, 0.01]
SIZES = [80, 70, 10]


def init_layers(width, init):
    layers = []
    n_in = width
    for n_out in SIZES:
        w = np.random.randn(n_out, n_in)
        if INITS[init] is not None:
            w = np.sqrt(INITS[init] / n_in) * w
        layers.append({"w": w, "b": np.zeros(n_out),
                       "state": [np.zeros_like(a) for a in (w, w, w)],
                       "bstate": [np.zeros(n_out) for _ in range(3)]})
        n_in = n_out
    return layers


TANH = {Numpy: np.tanh, Reference: np.frompyfunc(math.tanh, 1, 1)}


def hidden(z, activation, ar):
    if activation == "sigmoid":
        return 1.0 / (1.0 + ar.exp(-z).astype(np.float64))
    if activation == "tanh":
        return TANH[ar](z).astype(np.float64)
    return np.maximum(z, 0.0)


def derivative(up, a, activation):
    if activation == "sigmoid":
        return up * (a * (1 - a))
    if activation == "tanh":
        return up * (1 - a**2)
    return up * (a > 0)


def forward(layers, x, activation, ar):
    acts = [x]
    for i, l in enumerate(layers):
        z = ar.dense(acts[-1], l["w"]) + l["b"]
        if i == len(layers) - 1:
            e = ar.exp(z - z.max(axis=1, keepdims=True)).astype(np.float64)
            acts.append(e / e.sum(axis=1, keepdims=True))
        else:
            acts.append(hidden(z, activation, ar))
    return acts


def train(kind, data, epochs, seed, init, activation, decay, ar, lr=0.01, batch=64):
    x_tr, y_tr, labels_tr, x_te, y_te = data[:5]
    width = x_tr.shape[1]
    np.random.seed(seed)
    layers = init_layers(width, init)
    n = len(x_tr)
    rows = []
    for epoch in range(epochs):
        stacked = np.hstack((x_tr, y_tr))
        np.random.shuffle(stacked)
        with np.errstate(all="ignore"):
            for start in range(0, n, batch):
                xb = stacked[start:start + batch, :width]
                yb = stacked[start:start + batch, width:]
                acts = forward(layers, xb, activation, ar)
                delta = acts[-1] - yb
                grads = []
                for i in range(len(layers) - 1, -1, -1):
                    gw = ar.grad(delta, acts[i])
                    if decay > 0:
                        gw = gw + decay * layers[i]["w"]
                    grads.append((gw, delta.sum(axis=0)))
                    if i > 0:
                        delta = derivative(ar.back(delta, layers[i]["w"]), acts[i], activation)
                for l, (gw, gb) in zip(layers, reversed(grads)):
                    d, m, v = l["state"]
                    step(kind, l["w"], gw, d, m, v, lr, epoch + 1)
                    d, m, v = l["bstate"]
                    step(kind, l["b"], gb, d, m, v, lr, epoch + 1)
            out = forward(layers, x_tr, activation, ar)[-1]
            # The label's log only: the lab's Y * log(a) would turn an underflowed 0 * log 0
            # into NaN; digits-tui, like numpy's own 0 * log(a) for a > 0, adds zeros there.
            terms = np.where(y_tr == 1, ar.log(out).astype(np.float64), -0.0)
            loss = -np.sum(terms) / n
        weights_finite = all(np.isfinite(l["w"]).all() and np.isfinite(l["b"]).all()
                             for l in layers)
        if not (np.isfinite(loss) and weights_finite):
            rows.append({"diverged": True})
            break
        row = {
            "loss": float(loss),
            "train_accuracy": float(np.mean(out.argmax(axis=1) == labels_tr)),
            "test_accuracy": float(np.mean(
                forward(layers, x_te, activation, ar)[-1].argmax(axis=1) == y_te)),
        }
        if decay > 0:
            row["penalty"] = float(0.5 * decay * sum(np.sum(l["w"]**2) for l in layers))
        rows.append(row)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=pathlib.Path, default=HERE.parent / "tests/data/knobs.json")
    args = ap.parse_args()
    data = load(None)
    cases = []
    for init in INITS:
        for activation in ACTIVATIONS:
            for decay in DECAYS:
                for kind in KINDS:
                    case = {"init": init, "activation": activation, "weight_decay": decay,
                            "optimizer": kind}
                    for ar in (Reference, Numpy):
                        t = time.perf_counter()
                        epochs = train(kind, data, args.epochs, args.seed, init, activation,
                                       decay, ar)
                        case[ar.name] = epochs
                        last = epochs[-1]
                        print(f"{init:<6} {activation:<7} {decay:<5} {kind:<8} {ar.name:<9} "
                              f"{time.perf_counter() - t:5.1f} s "
                              f"{last.get('loss', 'diverged')} {last.get('test_accuracy', '')}",
                              flush=True)
                    cases.append(case)
    doc = {
        "meta": {
            "what": "3 epochs of the lab's loop with --init, --activation, --weight-decay",
            "seed": args.seed, "lr": 0.01, "batch": 64, "hidden": SIZES[:2],
            "numpy": np.__version__,
            "made_by": "python3 bench/knobs_numpy.py",
        },
        "cases": cases,
    }
    args.out.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
