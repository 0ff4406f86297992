#!/usr/bin/env bash
# Runs digits-tui's benchmark and the numpy lab on this machine and prints the ratio of the
# full-comparison wall times. Needs: cargo, python3 with numpy (pip install numpy).
# OPENBLAS_NUM_THREADS=1 keeps numpy from oversubscribing a small VM (see LAB.md part C).
#
#     [SAMPLE_EPOCHS=N] bench/compare.sh [EPOCHS] [IDX_DIR]
#
# With IDX_DIR (e.g. one written by bench/make_idx.py) both train on that MNIST-format data
# instead of the lab's 8x8 digits.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs="${1:-1000}"
data=()
if [[ -n "${2:-}" ]]; then data=(--data "$2"); fi
cargo build --release --quiet
rust_out=$(./target/release/digits-tui bench --epochs "$epochs" --sample-epochs "${SAMPLE_EPOCHS:-100}" "${data[@]}")
echo "$rust_out"
numpy_out=$(OPENBLAS_NUM_THREADS=1 python3 bench/numpy_lab.py --epochs "$epochs" "${data[@]}")
echo "$numpy_out"
rust_s=$(sed -n 's/^full comparison:.*: \([0-9.]*\) s wall.*$/\1/p' <<<"$rust_out")
numpy_s=$(sed -n 's/^numpy full comparison:.*: \([0-9.]*\) s wall$/\1/p' <<<"$numpy_out")
python3 -c "print(f'digits-tui is {float($numpy_s) / float($rust_s):.1f}x faster than the numpy lab ({float($rust_s):.2f} s vs {float($numpy_s):.2f} s)')"
