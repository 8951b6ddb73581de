"""Grid search over an RNN's units, dropout and cell type, from raw IMDB text.

The whole pipeline -- TextVectorizer -> SequencePadder -> RNNTextClassifier -- is
the estimator, so every cross-validation fold learns its own vocabulary and the
RNN's early stopping holds out part of that fold's training reviews only. The
candidates are ranked on the cross-validation folds of the training reviews;
the test set is used once, to score the refitted best candidate.

The results table (one row per candidate: parameters, mean and standard
deviation of the fold accuracies, mean fit seconds, rank) is a pandas DataFrame
built from ``GridSearchCV.cv_results_``.

Run on a stratified subsample of the IMDB training reviews (``--n-train``,
default 5,000; 8 candidates x 3 folds = 24 fits, then one refit) and the full
25,000-review test set::

    python examples/grid_search.py \\
        --imdb-archive ../shared/data/aclImdb_labelled.tar.gz [--n-train 5000]

or on the bundled 1,000 + 1,000 review sample with tiny models in a few seconds::

    python examples/grid_search.py --quick
"""

import argparse
import time

import pandas as pd
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNTextClassifier, SequencePadder, TextVectorizer
from sklearn_rnn.datasets import fetch_imdb, load_imdb_sample

# Fixed parts of the pipeline: a 10,000-token vocabulary and the last 200 tokens
# of each review keep the 24 fits of the full run to minutes on a CPU.
FULL = dict(max_features=10000, maxlen=200, embedding_dim=64, max_epochs=5, cv=3,
            units=[32, 64], n_train=5000)
QUICK = dict(max_features=2000, maxlen=100, embedding_dim=16, max_epochs=1, cv=2,
             units=[8, 16], n_train=1000)
PREFIX = "rnntextclassifier__"


def make_model(config, random_state):
    return make_pipeline(
        TextVectorizer(max_features=config["max_features"]),
        SequencePadder(maxlen=config["maxlen"]),
        RNNTextClassifier(embedding_dim=config["embedding_dim"],
                          max_epochs=config["max_epochs"], random_state=random_state),
    )


def load(args, n_train):
    if args.quick:
        train, test = load_imdb_sample("train"), load_imdb_sample("test")
    else:
        train = fetch_imdb("train", archive=args.imdb_archive)
        test = fetch_imdb("test", archive=args.imdb_archive)
    if n_train < len(train.data):
        keep, _ = train_test_split(range(len(train.data)), train_size=n_train,
                                   stratify=train.target, random_state=0)
        train.data = [train.data[i] for i in keep]
        train.target = train.target[keep]
    return train, test


def results_table(search, grid):
    """The candidates as a DataFrame, best first."""
    results = pd.DataFrame(search.cv_results_)
    table = results[[f"param_{PREFIX}{name}" for name in grid]].copy()
    table.columns = list(grid)
    table["mean_accuracy"] = results["mean_test_score"]
    table["std_accuracy"] = results["std_test_score"]
    table["mean_fit_s"] = results["mean_fit_time"]
    table["rank"] = results["rank_test_score"]
    return table.sort_values(["rank", *grid]).reset_index(drop=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imdb-archive", help="local aclImdb tar.gz (else download)")
    parser.add_argument("--quick", action="store_true",
                        help="bundled 1,000-review sample, tiny models, 1 epoch")
    parser.add_argument("--n-train", type=int,
                        help="training reviews drawn (stratified) from the 25,000 "
                             f"(default {FULL['n_train']}; all of the sample's "
                             "with --quick)")
    parser.add_argument("--cv", type=int, help="cross-validation folds (default "
                        f"{FULL['cv']}, {QUICK['cv']} with --quick)")
    parser.add_argument("--units", type=int, nargs="+",
                        help=f"default {FULL['units']}, {QUICK['units']} with --quick")
    parser.add_argument("--dropout", type=float, nargs="+", default=[0.0, 0.3])
    parser.add_argument("--cell-types", nargs="+", choices=["rnn", "lstm", "gru"],
                        default=["lstm", "gru"])
    parser.add_argument("--max-epochs", type=int, help="default "
                        f"{FULL['max_epochs']}, {QUICK['max_epochs']} with --quick")
    parser.add_argument("--n-jobs", type=int, default=None,
                        help="candidates fitted in parallel (GridSearchCV n_jobs)")
    parser.add_argument("--random-state", type=int, default=0)
    return parser.parse_args(argv)


def resolve_config(args):
    """The mode's defaults, overridden by the options given."""
    given = {name: getattr(args, name)
             for name in ("n_train", "cv", "units", "max_epochs")}
    return {**(QUICK if args.quick else FULL),
            **{name: value for name, value in given.items() if value is not None}}


def report(search, grid, n_train, elapsed):
    n_candidates = len(search.cv_results_["params"])
    print(f"{n_candidates} candidates x {search.n_splits_} folds on {n_train} "
          f"training reviews, {elapsed:.0f} s in all (refit included):\n")
    table = results_table(search, grid)
    print(table.to_string(index=False, formatters={
        "mean_accuracy": "{:.4f}".format, "std_accuracy": "{:.4f}".format,
        "mean_fit_s": "{:.1f}".format}))
    best = {name.removeprefix(PREFIX): v for name, v in search.best_params_.items()}
    print(f"\nbest parameters: {best}")
    print(f"best cross-validation accuracy: {search.best_score_:.4f}")


def main(argv=None):
    args = parse_args(argv)
    config = resolve_config(args)
    train, test = load(args, config["n_train"])
    grid = {"units": config["units"], "dropout": args.dropout,
            "cell_type": args.cell_types}
    folds = StratifiedKFold(config["cv"], shuffle=True, random_state=args.random_state)
    search = GridSearchCV(
        make_model(config, args.random_state),
        {PREFIX + name: values for name, values in grid.items()},
        scoring="accuracy", cv=folds, n_jobs=args.n_jobs,
    )
    start = time.perf_counter()
    search.fit(train.data, train.target)
    report(search, grid, len(train.data), time.perf_counter() - start)
    # The test set is touched once, by the candidate the folds selected.
    test_accuracy = search.score(test.data, test.target)
    print(f"test accuracy of the best model, refitted on all {len(train.data)} "
          f"training reviews: {test_accuracy:.4f}")


if __name__ == "__main__":
    main()
