#!/usr/bin/env python3
"""Golden fixture for the baseline's activations: scikit-learn's MLPClassifier itself.

    pip install scikit-learn numpy
    python3 bench/baseline_sklearn.py [--out tests/data/baseline_knobs.json]

The lab's data, split and scaler (bench/numpy_lab.py), then for each activation scikit-learn
takes (logistic, tanh, relu; digits-tui's sigmoid is logistic) and a few random states the
lab's baseline call, LAB.md part C:

    MLPClassifier(hidden_layer_sizes=(80, 70), activation=a, solver='sgd', alpha=0.01,
                  learning_rate_init=0.01, max_iter=1000, random_state=s)

fitted on the scaled training set. Recorded per fit: n_iter_, loss_curve_ (every epoch) and
the predictions on the scaled test set (one digit per image, as a string). tests/baseline.rs
compares digits-tui's baseline with them: same n_iter_, same predictions, loss curve within
the tolerance it uses for the logistic case of vectors.json. scikit-learn's initial bound
depends on the activation (factor 2 for logistic, 6 otherwise), which is what this catches.
"""
import argparse
import json
import pathlib
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from numpy_lab import load

HERE = pathlib.Path(__file__).resolve().parent
# (activation, random state), tanh and relu first: logistic is vectors.json's case already.
# The file is rewritten after every fit, so a slow machine still leaves a usable fixture.
FITS = [("tanh", 0), ("relu", 0), ("tanh", 1), ("relu", 1), ("logistic", 0), ("tanh", 2),
        ("relu", 2)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE.parent / "tests" / "data" / "baseline_knobs.json"))
    args = parser.parse_args()
    xs_tr, _, y_tr, xs_te, _, _, _ = load(None)
    fits = []
    for activation, state in FITS:
        model = MLPClassifier(hidden_layer_sizes=(80, 70), activation=activation,
                              solver="sgd", alpha=0.01, learning_rate_init=0.01,
                              max_iter=1000, random_state=state)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(xs_tr, y_tr)
        predictions = "".join(str(int(p)) for p in model.predict(xs_te))
        fits.append({"activation": activation, "random_state": state,
                     "n_iter_": int(model.n_iter_),
                     "loss_curve_": [float(x) for x in model.loss_curve_],
                     "test_predictions": predictions})
        print(f"{activation} {state}: n_iter_ {model.n_iter_}, "
              f"final loss {model.loss_curve_[-1]:.6g}", flush=True)
        write(args.out, fits)


def write(out, fits):
    doc = {"params": "MLPClassifier(hidden_layer_sizes=(80,70), activation=a, solver='sgd', "
                     "alpha=0.01, learning_rate_init=0.01, max_iter=1000, random_state=s) on "
                     "the lab's scaled split",
           "versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
           "fits": fits}
    pathlib.Path(out).write_text(json.dumps(doc, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
