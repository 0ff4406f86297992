#!/usr/bin/env python3
"""Times the lab's loop in PyTorch or JAX: ms per optimizer-epoch, evaluation included.

The same work as one digits-tui run (README, Benchmark): the lab's network (sigmoid hidden
layers 80, 70, softmax output), summed cross-entropy gradients, batches of 64, SGD or Adam (β 0.9, 0.99) in a shuffled
order, lr 0.01, then the loss and accuracy over every training row and the accuracy over every
test row each epoch. Installs nothing: a framework that is not installed is reported as skipped
(exit code 0), so bench/contenders.sh runs anywhere.

    python3 bench/contenders.py torch|jax --data IDX_DIR [--optimizers sgd,adam] [--epochs 5]
                                [--dtype float32|float64] [--compile] [--threads N]

Prints one line per optimizer: median and best epoch of `--epochs` (after one warm-up epoch).
"""
import argparse
import importlib.util
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from numpy_lab import load  # noqa: E402  (the lab's standardisation, shared with numpy_lab.py)


def report(name, kind, times):
    times = sorted(times)
    print(f"  {name:<34} {kind:<5} {times[len(times) // 2] * 1e3:8.1f} ms/epoch median,"
          f" {times[0] * 1e3:8.1f} best", flush=True)


def run_torch(data, args):
    import torch
    if args.threads:
        torch.set_num_threads(args.threads)
    dtype = getattr(torch, args.dtype)
    x_tr, y_tr, labels_tr, x_te, y_te = (torch.from_numpy(np.asarray(a)) for a in data[:5])
    x_tr, y_tr, x_te = x_tr.to(dtype), y_tr.to(dtype), x_te.to(dtype)
    labels_tr, y_te = labels_tr.long(), y_te.long()
    n, width = x_tr.shape

    def forward(ws, x):
        a = torch.sigmoid(x @ ws[0].T + ws[1])
        a = torch.sigmoid(a @ ws[2].T + ws[3])
        return torch.softmax(a @ ws[4].T + ws[5], dim=1)

    def loss_fn(ws, x, y):
        return -(y * torch.log(forward(ws, x))).sum()

    for kind in args.optimizers:
        gen = torch.Generator().manual_seed(7)
        ws = []
        for n_in, n_out in [(width, 80), (80, 70), (70, 10)]:
            ws += [torch.randn(n_out, n_in, generator=gen, dtype=dtype), torch.zeros(n_out, dtype=dtype)]
        ws = [w.requires_grad_() for w in ws]
        opt = (torch.optim.SGD(ws, lr=0.01) if kind == "sgd"
               else torch.optim.Adam(ws, lr=0.01, betas=(0.9, 0.99)))
        step_loss = torch.compile(loss_fn) if args.compile else loss_fn
        times = []
        for epoch in range(args.epochs + 1):
            started = time.perf_counter()
            order = torch.randperm(n, generator=gen)
            for start in range(0, n, 64):
                idx = order[start:start + 64]
                opt.zero_grad(set_to_none=True)
                step_loss(ws, x_tr[idx], y_tr[idx]).backward()
                opt.step()
            with torch.no_grad():
                out = forward(ws, x_tr)
                float(-(y_tr * torch.log(out)).sum() / n)
                float((out.argmax(1) == labels_tr).double().mean())
                float((forward(ws, x_te).argmax(1) == y_te).double().mean())
            if epoch > 0:
                times.append(time.perf_counter() - started)
        mode = "torch.compile" if args.compile else "eager"
        report(f"PyTorch {mode}, {args.dtype}, {torch.get_num_threads()} threads", kind, times)


def run_jax(data, args):
    import jax
    if args.dtype == "float64":
        jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    dtype = jnp.dtype(args.dtype)
    x_tr, y_tr, labels_tr, x_te, y_te = (jnp.asarray(a) for a in data[:5])
    x_tr, y_tr, x_te = x_tr.astype(dtype), y_tr.astype(dtype), x_te.astype(dtype)
    n, width = x_tr.shape
    batches = n // 64  # whole batches in the jitted scan; the remainder as one more step
    tail = n - batches * 64

    def forward(ws, x):
        a = jax.nn.sigmoid(x @ ws[0].T + ws[1])
        a = jax.nn.sigmoid(a @ ws[2].T + ws[3])
        return jax.nn.softmax(a @ ws[4].T + ws[5], axis=1)

    def loss_fn(ws, x, y):
        return -(y * jnp.log(forward(ws, x))).sum()

    grad = jax.grad(loss_fn)

    def make_step(kind):
        def step(state, xy):
            ws, m, v, t = state
            g = grad(ws, *xy)
            if kind == "sgd":
                return ([w - 0.01 * gi for w, gi in zip(ws, g)], m, v, t), None
            t = t + 1
            m = [0.9 * mi + 0.1 * gi for mi, gi in zip(m, g)]
            v = [0.99 * vi + 0.01 * gi * gi for vi, gi in zip(v, g)]
            ws = [w - 0.01 * (mi / (1 - 0.9 ** t)) / (jnp.sqrt(vi / (1 - 0.99 ** t)) + 1e-8)
                  for w, mi, vi in zip(ws, m, v)]
            return (ws, m, v, t), None
        return step

    for kind in args.optimizers:
        step = make_step(kind)

        @jax.jit
        def epoch_fn(state, key):
            order = jax.random.permutation(key, n)
            xs = x_tr[order[:batches * 64]].reshape(batches, 64, width)
            ys = y_tr[order[:batches * 64]].reshape(batches, 64, 10)
            state, _ = jax.lax.scan(step, state, (xs, ys))
            if tail:
                state, _ = step(state, (x_tr[order[batches * 64:]], y_tr[order[batches * 64:]]))
            out = forward(state[0], x_tr)
            loss = -(y_tr * jnp.log(out)).sum() / n
            acc_tr = (out.argmax(1) == labels_tr).mean()
            acc_te = (forward(state[0], x_te).argmax(1) == y_te).mean()
            return state, (loss, acc_tr, acc_te)

        key = jax.random.PRNGKey(7)
        ws = []
        for n_in, n_out in [(width, 80), (80, 70), (70, 10)]:
            key, sub = jax.random.split(key)
            ws += [jax.random.normal(sub, (n_out, n_in), dtype), jnp.zeros(n_out, dtype)]
        zeros = [jnp.zeros_like(w) for w in ws]
        state = (ws, zeros, zeros, jnp.asarray(0, dtype))
        times = []
        for epoch in range(args.epochs + 1):
            key, sub = jax.random.split(key)
            started = time.perf_counter()
            state, figures = epoch_fn(state, sub)
            jax.block_until_ready(figures)
            if epoch > 0:
                times.append(time.perf_counter() - started)
        report(f"JAX jitted epoch, {args.dtype}, {jax.device_count()} device", kind, times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("framework", choices=["torch", "jax"])
    ap.add_argument("--data", type=pathlib.Path, required=True, help="an MNIST-format IDX directory")
    ap.add_argument("--optimizers", default="sgd,adam")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    ap.add_argument("--compile", action="store_true", help="torch.compile the loss (PyTorch)")
    ap.add_argument("--threads", type=int, default=0, help="PyTorch's threads (default: its own)")
    args = ap.parse_args()
    args.optimizers = args.optimizers.split(",")
    if importlib.util.find_spec(args.framework) is None:
        print(f"  {args.framework}: skipped (not installed; `pip install {args.framework}` to time it)")
        return
    data = load(args.data)
    {"torch": run_torch, "jax": run_jax}[args.framework](data, args)


if __name__ == "__main__":
    main()
