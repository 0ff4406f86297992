#!/usr/bin/env bash
# One MNIST-sized run per optimizer in digits-tui (one core and all cores) and in PyTorch and
# JAX where installed (installs nothing; a missing framework prints "skipped"): the README's
# Benchmark contender table.
#
#     [EPOCHS=5] bench/contenders.sh IDX_DIR        # e.g. bench/make_idx.py /tmp/mnist --train 60000 --test 10000
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: bench/contenders.sh IDX_DIR}"
epochs="${EPOCHS:-5}"
cargo build --release --quiet
./target/release/digits-tui bench --data "$data" --optimizers sgd,adam --sample-epochs "$epochs" --epochs 2
echo "contenders (same data, ${epochs} timed epochs after one warm-up):"
for args in "torch --dtype float32" "torch --dtype float32 --compile" "torch --dtype float64" \
            "jax --dtype float64"; do
  # shellcheck disable=SC2086
  python3 bench/contenders.py $args --data "$data" --epochs "$epochs"
done
