"""Parallel hyperparameter search without oversubscribing the cores.

What is compared: the same ``GridSearchCV`` (4 candidates x 2 folds = 8 fits of a
raw-text RNN pipeline; ``refit=False``, as the final refit is one fit that no
``n_jobs`` can spread, the same in every run) run with ``n_jobs=1`` and ``n_jobs=2``
(joblib's default loky backend), and with ``n_jobs=2`` on the threading backend
with and without ``n_threads=1``. With loky, joblib starts each worker with
``OMP_NUM_THREADS = cores // n_jobs``, which PyTorch reads when it starts: the
workers share the cores instead of each taking all of them. Threads of one
process share PyTorch's defaults, so under the threading backend the estimator's
``n_threads`` parameter does that job.

Run::

    python benchmarks/bench_parallel.py                      # bundled IMDB sample
    python benchmarks/bench_parallel.py \\
        --imdb-archive ../shared/data/aclImdb_labelled.tar.gz --n-train 16000 \\
        --epochs 3

Pass criterion: ``n_jobs=2`` (loky) is at least 1.6x faster than ``n_jobs=1`` and
selects the same parameters (exit status 1 otherwise). Scores differ slightly
(up to 0.0074 measured): one thread and two threads sum in different orders, so
candidates closer than that may swap. Small fits (a few thousand reviews)
amortise the workers' start-up less and miss 1.6x.
"""

import argparse
import os
import sys
import time

import joblib
import numpy as np
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNTextClassifier, SequencePadder, TextVectorizer
from sklearn_rnn.datasets import fetch_imdb, load_imdb_sample

GRID = {"rnntextclassifier__units": [32, 64],
        "rnntextclassifier__cell_type": ["gru", "lstm"]}


def search(n_jobs, n_threads=None, epochs=2):
    pipe = make_pipeline(
        TextVectorizer(max_features=10000), SequencePadder(maxlen=200),
        RNNTextClassifier(embedding_dim=64, max_epochs=epochs, validation_split=None,
                          early_stopping=False, n_threads=n_threads,
                          random_state=0),
    )
    folds = StratifiedKFold(2, shuffle=True, random_state=0)
    return GridSearchCV(pipe, GRID, cv=folds, n_jobs=n_jobs, refit=False)


def timed(label, make, X, y, backend="loky"):
    with joblib.parallel_backend(backend):
        start = time.perf_counter()
        fitted = make().fit(X, y)
        seconds = time.perf_counter() - start
    print(f"| {label} | {seconds:.1f} |", flush=True)
    return fitted, seconds


def load(args):
    if args.imdb_archive is None:
        data = load_imdb_sample("train")
        return np.asarray(data.data, dtype=object), data.target
    data = fetch_imdb("train", archive=args.imdb_archive, shuffle=True,
                      random_state=0)
    return (np.asarray(data.data, dtype=object)[:args.n_train],
            data.target[:args.n_train])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--imdb-archive", default=None)
    parser.add_argument("--n-train", type=int, default=4000)
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args(argv)
    X, y = load(args)
    print(f"{len(X)} reviews, {os.cpu_count()} cores; 4 candidates x 2 folds\n")
    print("| run | seconds |\n|---|---|")
    serial, t1 = timed("n_jobs=1", lambda: search(1, epochs=args.epochs), X, y)
    loky, t2 = timed("n_jobs=2, loky", lambda: search(2, epochs=args.epochs), X, y)
    _, t3 = timed("n_jobs=2, threading", lambda: search(2, epochs=args.epochs),
                  X, y, backend="threading")
    _, t4 = timed("n_jobs=2, threading, n_threads=1",
                  lambda: search(2, n_threads=1, epochs=args.epochs), X, y,
                  backend="threading")
    same = serial.best_params_ == loky.best_params_
    gap = np.abs(serial.cv_results_["mean_test_score"]
                 - loky.cv_results_["mean_test_score"]).max()
    print(f"\nspeed-up n_jobs=2 (loky) / n_jobs=1: {t1 / t2:.2f}x (target >= 1.6x)")
    print(f"threading without / with n_threads=1: {t3:.1f} s / {t4:.1f} s")
    print(f"same best parameters: {same}; largest score difference: {gap:.4f}")
    return 0 if t1 / t2 >= 1.6 and same else 1


if __name__ == "__main__":
    sys.exit(main())
