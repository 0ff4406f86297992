#!/usr/bin/env python3
"""Writes an MNIST-shaped IDX data set of synthetic handwritten-looking digits.

Deterministic (same arguments, same bytes) and standard library only. Each image is one digit
drawn as pen strokes (a fixed skeleton per class) with a random slant, scale, offset, pen width
and wobble, anti-aliased into 28x28 greys 0..255 like MNIST's (0 = paper, 255 = ink), so a
network has something real to learn and the loader something real to read.

    python3 bench/make_idx.py OUT_DIR --train 60000 --test 10000 [--seed 0] [--gzip] [--side 28]

writes OUT_DIR/train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
t10k-labels-idx1-ubyte (each with .gz appended under --gzip).
"""
import argparse
import gzip
import math
import pathlib
import random
import struct


def arc(cx, cy, rx, ry, start, end, steps=10):
    """Points along an ellipse from angle `start` to `end` (degrees, 0 = right, 90 = down)."""
    return [(cx + rx * math.cos(math.radians(start + (end - start) * i / steps)),
             cy + ry * math.sin(math.radians(start + (end - start) * i / steps)))
            for i in range(steps + 1)]


# Each digit: polylines in a unit box, y pointing down.
SKELETONS = {
    0: [arc(0.5, 0.5, 0.28, 0.4, 0, 360, 16)],
    1: [[(0.38, 0.25), (0.55, 0.1), (0.55, 0.9)]],
    2: [arc(0.5, 0.32, 0.26, 0.22, 190, 380) + [(0.24, 0.9), (0.78, 0.9)]],
    3: [arc(0.48, 0.3, 0.24, 0.2, 200, 450), arc(0.48, 0.7, 0.27, 0.2, 270, 520)],
    4: [[(0.6, 0.1), (0.2, 0.62), (0.82, 0.62)], [(0.62, 0.3), (0.62, 0.92)]],
    5: [[(0.75, 0.1), (0.32, 0.1), (0.28, 0.45)], arc(0.5, 0.66, 0.26, 0.24, 220, 500)],
    6: [[(0.68, 0.1), (0.4, 0.35), (0.26, 0.64)], arc(0.5, 0.68, 0.24, 0.22, 180, 540)],
    7: [[(0.22, 0.12), (0.8, 0.12), (0.42, 0.92)]],
    8: [arc(0.5, 0.3, 0.21, 0.19, 0, 360, 14), arc(0.5, 0.7, 0.26, 0.21, 0, 360, 14)],
    9: [arc(0.5, 0.32, 0.24, 0.21, 0, 360, 14), [(0.74, 0.32), (0.62, 0.92)]],
}


def draw(label, rng, side):
    """One image as `side * side` bytes, row-major."""
    img = [0.0] * (side * side)
    slant = rng.uniform(-0.35, 0.35)
    sx, sy = rng.uniform(0.55, 0.75) * side, rng.uniform(0.65, 0.78) * side
    ox = rng.uniform(0.42, 0.58) * side
    oy = rng.uniform(0.45, 0.55) * side
    pen = rng.uniform(0.7, 1.5) * side / 28
    wobble = 0.03

    def place(x, y):
        x += rng.uniform(-wobble, wobble)
        y += rng.uniform(-wobble, wobble)
        return ox + (x - 0.5 + slant * (0.5 - y)) * sx, oy + (y - 0.5) * sy

    for line in SKELETONS[label]:
        points = [place(x, y) for x, y in line]
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            stroke(img, side, ax, ay, bx, by, pen)
    return bytes(min(255, int(v * 255.0 + 0.5)) for v in img)


def stroke(img, side, ax, ay, bx, by, pen):
    """Anti-aliased segment: ink fades over one pixel beyond the pen's radius."""
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy or 1e-12
    reach = pen + 1.0
    x0, x1 = max(0, int(min(ax, bx) - reach)), min(side - 1, int(max(ax, bx) + reach) + 1)
    y0, y1 = max(0, int(min(ay, by) - reach)), min(side - 1, int(max(ay, by) + reach) + 1)
    for y in range(y0, y1 + 1):
        py = y + 0.5
        for x in range(x0, x1 + 1):
            px = x + 0.5
            t = ((px - ax) * dx + (py - ay) * dy) / length2
            t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
            ex, ey = ax + t * dx - px, ay + t * dy - py
            ink = pen + 0.5 - math.sqrt(ex * ex + ey * ey)
            if ink > 0.0:
                i = y * side + x
                img[i] = max(img[i], ink if ink < 1.0 else 1.0)


def make(count, rng, side):
    """`count` images with labels cycling through a shuffled, balanced order."""
    labels = [i % 10 for i in range(count)]
    rng.shuffle(labels)
    return b"".join(draw(label, rng, side) for label in labels), bytes(labels)


def write(path, header, body, compress):
    data = header + body
    if compress:
        # mtime=0 and no file name in the header: the same input gives the same bytes.
        data = gzip.compress(data, compresslevel=6, mtime=0)
        path = path.with_name(path.name + ".gz")
    path.write_bytes(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("--train", type=int, default=60000)
    ap.add_argument("--test", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--side", type=int, default=28)
    ap.add_argument("--gzip", action="store_true")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    for prefix, count in (("train", args.train), ("t10k", args.test)):
        images, labels = make(count, rng, args.side)
        write(args.out / f"{prefix}-images-idx3-ubyte",
              struct.pack(">IIII", 0x803, count, args.side, args.side), images, args.gzip)
        write(args.out / f"{prefix}-labels-idx1-ubyte",
              struct.pack(">II", 0x801, count), labels, args.gzip)


if __name__ == "__main__":
    main()
