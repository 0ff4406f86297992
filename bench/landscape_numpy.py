#!/usr/bin/env python3
"""The numpy reference for `digits-tui landscape`: writes tests/data/landscape.json.

A straightforward numpy implementation of the four functions (each formula and gradient as
issue 21 states them, evaluated left to right in float64) and of the lab's five update rules
(LAB.md B.2: the constants 0.9, 0.99, eps 1e-8, the coefficients written 1 - beta, Adam's
bias corrections with Python's float ** int, i.e. libm pow), Adam's t counting steps 1, 2, ...
A path stops at the first step whose f is not finite. Every case of every function x
optimizer, from several starts and at several rates (some diverging), is recorded with each
point's x, y and f as the 16 hex digits of their IEEE bits, so the Rust test compares bits.

Run once (needs numpy; CI does not): python3 bench/landscape_numpy.py
"""

import json
import math
import os
import struct

import numpy as np

EPS = 1e-8


def f_and_grad(name, p):
    x, y = p[0], p[1]
    if name == "bowl":
        return x * x / 20 + y * y, np.array([x / 10, 2 * y])
    if name == "rosenbrock":
        d = y - x * x
        return (1 - x) * (1 - x) + 100 * d * d, np.array([-2 * (1 - x) - 400 * x * d, 200 * d])
    if name == "himmelblau":
        a = x * x + y - 11
        b = x + y * y - 7
        return a * a + b * b, np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])
    if name == "saddle":
        return x * x - y * y, np.array([2 * x, -2 * y])
    raise ValueError(name)


def walk(name, kind, lr, start, steps):
    p = np.array(start, dtype=np.float64)
    d = np.zeros(2)
    m = np.zeros(2)
    v = np.zeros(2)
    f, g = f_and_grad(name, p)
    points = [(p[0], p[1], f)]
    t = 0
    while t < steps and math.isfinite(f):
        t += 1
        if kind == "sgd":
            p = p - lr * g
        elif kind == "momentum":
            d = 0.9 * d + lr * g
            p = p - d
        elif kind == "adagrad":
            v = v + g * g
            p = p - (lr * g) / np.sqrt(v + EPS)
        elif kind == "rmsprop":
            v = 0.9 * v + (1 - 0.9) * (g * g)
            p = p - (lr * g) / np.sqrt(v + EPS)
        elif kind == "adam":
            m = 0.9 * m + (1 - 0.9) * g
            v = 0.99 * v + (1 - 0.99) * (g * g)
            mc = m / (1 - 0.9 ** t)
            vc = v / (1 - 0.99 ** t)
            p = p - (lr * mc) / (np.sqrt(vc) + EPS)
        f, g = f_and_grad(name, p)
        points.append((p[0], p[1], f))
    return points, not math.isfinite(f)


def bits(v):
    return struct.pack(">d", float(v)).hex()


# The dashboard's defaults (src/landscape/function.rs), and other starts.
DEFAULTS = {
    "bowl": ((-7.0, 2.0), 100, {"sgd": 0.95, "momentum": 0.1, "adagrad": 1.5, "rmsprop": 0.2, "adam": 0.3}),
    "rosenbrock": ((-1.2, 1.0), 1000, {"sgd": 0.002, "momentum": 0.001, "adagrad": 1.0, "rmsprop": 0.003, "adam": 0.1}),
    "himmelblau": ((-0.3, -0.9), 200, {"sgd": 0.01, "momentum": 0.002, "adagrad": 0.5, "rmsprop": 0.02, "adam": 0.1}),
    "saddle": ((-1.0, 0.001), 50, {"sgd": 0.1, "momentum": 0.01, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1}),
}
OTHER_STARTS = {
    "bowl": [(3.0, -4.0), (9.5, 0.5)],
    "rosenbrock": [(0.0, 0.0), (1.5, 2.5)],
    "himmelblau": [(0.0, 0.0), (-4.0, 4.0)],
    "saddle": [(1.5, -0.5), (0.5, 0.0)],
}
# Rates at which a path diverges, one rule per function (with 400 steps to do it in).
DIVERGING = {"bowl": ("sgd", 10.0), "rosenbrock": ("sgd", 0.01), "himmelblau": ("momentum", 0.05), "saddle": ("sgd", 5.0)}
OPTIMIZERS = ["sgd", "momentum", "adagrad", "rmsprop", "adam"]


def main():
    cases = []

    def case(name, kind, lr, start, steps):
        points, diverged = walk(name, kind, lr, start, steps)
        cases.append({
            "function": name, "optimizer": kind, "start": list(start), "lr": lr, "steps": steps,
            "diverged": diverged, "points": [" ".join(bits(c) for c in pt) for pt in points],
        })
        return diverged

    with np.errstate(all="ignore"):
        for name, (start, steps, rates) in DEFAULTS.items():
            for kind in OPTIMIZERS:
                # The defaults in full (Rosenbrock's first 300 steps), then other starts and
                # rates for 40 steps.
                case(name, kind, rates[kind], start, min(steps, 300))
                for other in [start] + OTHER_STARTS[name]:
                    for lr in (rates[kind] / 3, rates[kind] * 3):
                        case(name, kind, lr, other, 40)
            kind, lr = DIVERGING[name]
            assert case(name, kind, lr, start, 400), f"{name}: {kind} at {lr} should diverge"
    out = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "landscape.json")
    doc = {
        "about": "bench/landscape_numpy.py: numpy " + np.__version__ + "; points are 'x y f' as IEEE bits in hex",
        "cases": cases,
    }
    with open(out, "w") as fh:
        json.dump(doc, fh, indent=0)
        fh.write("\n")
    print(f"{len(cases)} cases, {sum(c['diverged'] for c in cases)} diverged, {sum(len(c['points']) for c in cases)} points")


if __name__ == "__main__":
    main()
