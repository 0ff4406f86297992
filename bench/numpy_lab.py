#!/usr/bin/env python3
"""The OPT_dist lab's training loop in numpy, timed: the baseline digits-tui is compared with.

Same data, split, scaler, network, optimizers and loop as LAB.md part B (summed gradients,
batch 64 + remainder, iter = epoch + 1). Prints the wall time of every optimizer's run and of
the whole comparison, run one optimizer after another as the lab did.

    pip install numpy
    python3 bench/numpy_lab.py [--epochs 1000] [--seed 7] [--data DIR]
    python3 bench/numpy_lab.py --data tests/data/idx-small --epochs 3 --trace OUT.json

--data DIR reads an MNIST-format IDX directory (as `digits-tui --data DIR` does: raw or .gz,
also under raw/ or MNIST/raw/) and uses its own test set; without it, the lab's digits.csv with
the lab's 80/20 split. The split (RandomState(101).permutation, LAB.md A.7) and StandardScaler
(A.8) are written out in numpy; they give scikit-learn's values bit for bit.

--trace writes the per-epoch losses and accuracies and final weights of all five optimizers,
twice: with numpy's own products and exp/log (machine dependent, LAB.md B.0) and in the
reference arithmetic digits-tui implements (every matrix product a sequential fused
multiply-add, glibc exp/log), here emulated exactly with error-free transformations. The
reference trace is what tests/golden_idx.rs checks bit for bit.
"""
import argparse
import gzip
import json
import math
import pathlib
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
KINDS = ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
IDX_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


# ---------------------------------------------------------------------------------------------
# Data

def load_lab():
    raw = np.loadtxt(HERE.parent / "data" / "digits.csv", delimiter=",")
    x, y = raw[:, :64], raw[:, 64].astype(int)
    n_test = math.ceil(0.2 * len(x))
    perm = np.random.RandomState(101).permutation(len(x))
    test, train = perm[:n_test], perm[n_test:]
    return x[train], y[train], x[test], y[test]


def idx_read(path):
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def idx_find(home, name):
    dotted = name.replace("-idx", ".idx", 1)
    for n in (name, name + ".gz", dotted, dotted + ".gz"):
        if (home / n).is_file():
            return home / n
    return None


def load_idx(root):
    homes = [root / sub for sub in ("", "raw", "MNIST/raw", "FashionMNIST/raw", "KMNIST/raw")]
    home = next(h for h in homes if any(idx_find(h, n) for n in IDX_FILES))
    arrays = []
    for name in IDX_FILES:
        data = idx_read(idx_find(home, name))
        if "images" in name:
            n, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
            arrays.append(np.frombuffer(data, np.uint8, offset=16).reshape(n, rows * cols)
                          .astype(np.float64))
        else:
            arrays.append(np.frombuffer(data, np.uint8, offset=8).astype(int))
    return tuple(arrays)


def standardise(x_tr, x_te):
    """StandardScaler().fit(x_tr).transform(both), LAB.md A.8 (axis-0 sums are sequential)."""
    n = float(len(x_tr))
    mean = x_tr.sum(axis=0) / n
    t = x_tr - mean
    c, q = t.sum(axis=0), (t * t).sum(axis=0)
    var = (q - (c * c) / n) / n
    eps = np.finfo(np.float64).eps
    upper = (n * eps) * var + ((n * mean) * eps) ** 2
    scale = np.where(var <= upper, 1.0, np.sqrt(var))
    return (x_tr - mean) / scale, (x_te - mean) / scale, mean, scale


def load(data_dir):
    x_tr, y_tr, x_te, y_te = load_idx(data_dir) if data_dir else load_lab()
    xs_tr, xs_te, mean, scale = standardise(x_tr, x_te)
    return xs_tr, np.eye(10)[y_tr], y_tr, xs_te, y_te, mean, scale


# ---------------------------------------------------------------------------------------------
# Arithmetic: numpy's own, or the reference (sequential FMA products, glibc exp/log)

class Numpy:
    name = "numpy"
    exp = staticmethod(np.exp)
    log = staticmethod(np.log)

    @staticmethod
    def dense(a, w):
        return (w @ a.T).T

    @staticmethod
    def grad(delta, a):
        return delta.T @ a

    @staticmethod
    def back(delta, w):
        return delta @ w


def _split(a):
    """Veltkamp: a = hi + lo exactly, each half fitting 26 bits."""
    c = 134217729.0 * a
    hi = c - (c - a)
    return hi, a - hi


def _two_sum(a, b, s):
    """The rounding error of s = a + b (Knuth), exact."""
    bb = s - a
    return (a - (s - bb)) + (b - bb)


def reference_product(a, b):
    """C = A·B with every c_ij = fma(a_ik, b_kj, acc) over k ascending from +0.0 (LAB.md B.0).

    numpy has no fma; each step is emulated exactly (Boldo & Melquiond, "Emulation of FMA and
    correctly rounded sums: proved algorithms using rounding to odd", 2008): the product as
    p + e exactly (Dekker), p + acc as s + t exactly, v = t + e rounded to odd, fma = s + v.
    Exact barring overflow and underflow, which the lab's values never approach.
    """
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    (ah, al), (bh, bl) = _split(a), _split(b)
    acc = np.zeros((a.shape[0], b.shape[1]))
    for k in range(a.shape[1]):
        x, xh, xl = a[:, k:k + 1], ah[:, k:k + 1], al[:, k:k + 1]
        y, yh, yl = b[k:k + 1, :], bh[k:k + 1, :], bl[k:k + 1, :]
        p = x * y
        e = ((xh * yh - p) + xh * yl + xl * yh) + xl * yl
        s = p + acc
        t = _two_sum(p, acc, s)
        v = t + e
        r = _two_sum(t, e, v)
        even = (v.view(np.int64) & 1) == 0
        v = np.where((r != 0) & even, np.nextafter(v, np.where(r > 0, np.inf, -np.inf)), v)
        acc = s + v
    return acc


def _glibc_exp(x):
    """math.exp is glibc's exp, except that it raises where glibc returns infinity."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _glibc_log(x):
    """math.log is glibc's log, except that it raises where glibc returns -infinity."""
    return -math.inf if x == 0.0 else math.log(x)


class Reference:
    name = "reference"
    exp = staticmethod(np.frompyfunc(_glibc_exp, 1, 1))
    log = staticmethod(np.frompyfunc(_glibc_log, 1, 1))

    @staticmethod
    def dense(a, w):
        return reference_product(a, w.T)

    @staticmethod
    def grad(delta, a):
        return reference_product(delta.T, a)

    @staticmethod
    def back(delta, w):
        return reference_product(delta, w)


# ---------------------------------------------------------------------------------------------
# The lab

class Layer:
    def __init__(self, n_in, n_out):
        self.w = np.random.randn(n_out, n_in)
        self.b = np.zeros(n_out)
        self.wd, self.bd = np.zeros_like(self.w), np.zeros_like(self.b)
        self.wm, self.bm = np.zeros_like(self.w), np.zeros_like(self.b)
        self.wv, self.bv = np.zeros_like(self.w), np.zeros_like(self.b)


def step(kind, p, g, d, m, v, lr, it, eps=1e-8):
    if kind == "sgd":
        p -= lr * g
    elif kind == "momentum":
        d[...] = 0.9 * d + lr * g
        p -= d
    elif kind == "adagrad":
        v += g * g
        p -= (lr * g) / np.sqrt(v + eps)
    elif kind == "rmsprop":
        v[...] = 0.9 * v + (1 - 0.9) * (g * g)
        p -= (lr * g) / np.sqrt(v + eps)
    else:
        m[...] = 0.9 * m + (1 - 0.9) * g
        v[...] = 0.99 * v + (1 - 0.99) * (g * g)
        mc = m / (1 - 0.9**it)
        vc = v / (1 - 0.99**it)
        p -= (lr * mc) / (np.sqrt(vc) + eps)


def forward(layers, x, ar):
    acts = [x]
    for i, l in enumerate(layers):
        z = ar.dense(acts[-1], l.w) + l.b
        if i == len(layers) - 1:
            e = ar.exp(z - z.max(axis=1, keepdims=True)).astype(np.float64)
            acts.append(e / e.sum(axis=1, keepdims=True))
        else:
            with np.errstate(over="ignore"):  # exp overflows to inf, the sigmoid to 0, as in C
                acts.append(1.0 / (1.0 + ar.exp(-z).astype(np.float64)))
    return acts


def train(kind, data, epochs, seed, ar=Numpy, lr=0.01, batch=64, on_epoch=None):
    x_tr, y_tr, labels_tr, x_te, y_te = data[:5]
    width = x_tr.shape[1]
    np.random.seed(seed)
    layers = [Layer(width, 80), Layer(80, 70), Layer(70, 10)]
    n = len(x_tr)
    loss = train_acc = acc = None
    for epoch in range(epochs):
        stacked = np.hstack((x_tr, y_tr))
        np.random.shuffle(stacked)
        for start in range(0, n, batch):
            xb = stacked[start:start + batch, :width]
            yb = stacked[start:start + batch, width:]
            acts = forward(layers, xb, ar)
            delta = acts[-1] - yb
            grads = []
            for i in range(len(layers) - 1, -1, -1):
                grads.append((ar.grad(delta, acts[i]), delta.sum(axis=0)))
                if i > 0:
                    delta = ar.back(delta, layers[i].w) * (acts[i] * (1 - acts[i]))
            for l, (gw, gb) in zip(layers, reversed(grads)):
                step(kind, l.w, gw, l.wd, l.wm, l.wv, lr, epoch + 1)
                step(kind, l.b, gb, l.bd, l.bm, l.bv, lr, epoch + 1)
        out = forward(layers, x_tr, ar)[-1]
        loss = -np.sum(y_tr * ar.log(out).astype(np.float64)) / n
        train_acc = np.mean(out.argmax(axis=1) == labels_tr)
        acc = np.mean(forward(layers, x_te, ar)[-1].argmax(axis=1) == y_te)
        if on_epoch:
            on_epoch(epoch, layers, loss, train_acc, acc)
    return loss, train_acc, acc


# ---------------------------------------------------------------------------------------------
# Trace

def checksums(w):
    """Plain and position-weighted sequential sums of a row-major matrix: any changed or moved
    value changes them, and digits-tui recomputes them in the same order."""
    total = weighted = 0.0
    for i, x in enumerate(w.ravel().tolist()):
        total += x
        weighted += float(i + 1) * x
    return total, weighted


def trace(data, epochs, seed, source):
    out = {
        "meta": {
            "what": "3-epoch traces of the lab's loop (LAB.md B.3) on an IDX data set",
            "data": source,
            "seed": seed, "lr": 0.01, "batch": 64, "hidden": [80, 70],
            "numpy": np.__version__,
            "made_by": "python3 bench/numpy_lab.py --data DIR --epochs 3 --trace OUT.json",
        },
        "n_train": len(data[0]), "n_test": len(data[3]),
        "scaler_mean": data[5].tolist(), "scaler_scale": data[6].tolist(),
        "results": {},
    }
    for kind in KINDS:
        result = {}
        for ar in (Reference, Numpy):
            epochs_out = []

            def on_epoch(epoch, layers, loss, train_acc, acc, rows=epochs_out, ar=ar):
                row = {"loss": float(loss), "train_accuracy": float(train_acc),
                       "test_accuracy": float(acc)}
                if ar is Reference:
                    row["W1_first5"] = layers[0].w.ravel()[:5].tolist()
                    row["b1_first5"] = layers[0].b[:5].tolist()
                    row["W3_first5"] = layers[2].w.ravel()[:5].tolist()
                    row["b3"] = layers[2].b.tolist()
                rows.append(row)
                if ar is Reference and epoch == epochs - 1:
                    s, ws = checksums(layers[0].w)
                    result["reference_final_params"] = {
                        "W1_row0": layers[0].w[0].tolist(),
                        "W1_last_row": layers[0].w[-1].tolist(),
                        "W1_sum": s, "W1_weighted_sum": ws,
                        "b1": layers[0].b.tolist(),
                        "W2": layers[1].w.ravel().tolist(), "b2": layers[1].b.tolist(),
                        "W3": layers[2].w.ravel().tolist(), "b3": layers[2].b.tolist(),
                    }

            t = time.perf_counter()
            train(kind, data, epochs, seed, ar=ar, on_epoch=on_epoch)
            result[ar.name] = epochs_out
            print(f"{kind:<9} {ar.name:<9} {time.perf_counter() - t:6.1f} s  "
                  f"loss {epochs_out[-1]['loss']!r}")
        out["results"][kind] = result
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data", type=pathlib.Path, help="an MNIST-format IDX directory")
    ap.add_argument("--trace", type=pathlib.Path, help="write traces to this JSON file")
    args = ap.parse_args()
    data = load(args.data)
    if args.trace:
        source = args.data.as_posix() if args.data else "data/digits.csv"
        args.trace.write_text(json.dumps(trace(data, args.epochs, args.seed, source)) + "\n")
        return
    total = time.perf_counter()
    for kind in KINDS:
        t = time.perf_counter()
        loss, train_acc, acc = train(kind, data, args.epochs, args.seed)
        secs = time.perf_counter() - t
        print(f"{kind:<9} {secs * 1e3 / args.epochs:8.3f} ms/epoch  loss {loss:.3e}  test acc {acc:.4f}")
    print(f"numpy full comparison: 5 optimizers x {args.epochs} epochs: "
          f"{time.perf_counter() - total:.2f} s wall")


if __name__ == "__main__":
    main()
