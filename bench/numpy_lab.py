#!/usr/bin/env python3
"""The OPT_dist lab's training loop in numpy, timed: the baseline digits-tui is compared with.

Same data file, split, scaler, network, optimizers and loop as LAB.md part B (summed gradients,
batch 64 + remainder, iter = epoch + 1). Prints the wall time of every optimizer's run and of
the whole comparison, run one optimizer after another as the lab did.

    pip install numpy scikit-learn
    python3 bench/numpy_lab.py [--epochs 1000] [--seed 7]
"""
import argparse
import pathlib
import time

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

HERE = pathlib.Path(__file__).resolve().parent


def load():
    raw = np.loadtxt(HERE.parent / "data" / "digits.csv", delimiter=",")
    x, y = raw[:, :64], raw[:, 64].astype(int)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.20, random_state=101)
    scaler = StandardScaler().fit(x_tr)
    onehot = np.eye(10)[y_tr]
    return scaler.transform(x_tr), onehot, y_tr, scaler.transform(x_te), y_te


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


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


def forward(layers, x):
    acts = [x]
    for i, l in enumerate(layers):
        z = (l.w @ acts[-1].T).T + l.b
        acts.append(softmax(z) if i == len(layers) - 1 else sigmoid(z))
    return acts


def train(kind, data, epochs, seed, lr=0.01, batch=64):
    x_tr, y_tr, labels_tr, x_te, y_te = data
    np.random.seed(seed)
    layers = [Layer(64, 80), Layer(80, 70), Layer(70, 10)]
    n = len(x_tr)
    loss = acc = None
    for epoch in range(epochs):
        stacked = np.hstack((x_tr, y_tr))
        np.random.shuffle(stacked)
        for start in range(0, n, batch):
            xb, yb = stacked[start:start + batch, :64], stacked[start:start + batch, 64:]
            acts = forward(layers, xb)
            delta = acts[-1] - yb
            grads = []
            for i in range(len(layers) - 1, -1, -1):
                grads.append((delta.T @ acts[i], delta.sum(axis=0)))
                if i > 0:
                    delta = (delta @ layers[i].w) * (acts[i] * (1 - acts[i]))
            for l, (gw, gb) in zip(layers, reversed(grads)):
                step(kind, l.w, gw, l.wd, l.wm, l.wv, lr, epoch + 1)
                step(kind, l.b, gb, l.bd, l.bm, l.bv, lr, epoch + 1)
        out = forward(layers, x_tr)[-1]
        loss = -np.sum(y_tr * np.log(out)) / n
        train_acc = np.mean(out.argmax(axis=1) == labels_tr)
        acc = np.mean(forward(layers, x_te)[-1].argmax(axis=1) == y_te)
    return loss, train_acc, acc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    data = load()
    total = time.perf_counter()
    for kind in ["sgd", "momentum", "adagrad", "rmsprop", "adam"]:
        t = time.perf_counter()
        loss, train_acc, acc = train(kind, data, args.epochs, args.seed)
        secs = time.perf_counter() - t
        print(f"{kind:<9} {secs * 1e3 / args.epochs:8.3f} ms/epoch  loss {loss:.3e}  test acc {acc:.4f}")
    print(f"numpy full comparison: 5 optimizers x {args.epochs} epochs: "
          f"{time.perf_counter() - total:.2f} s wall")


if __name__ == "__main__":
    main()
