"""Predict IMDB star ratings (1-10) from review text: an RNN regressor against
TF-IDF + ridge regression, and both stacked.

1. The library's default regressor pipeline,
   ``make_pipeline(TextVectorizer(), SequencePadder(), RNNTextRegressor())``,
   and the classic baseline ``TfidfVectorizer(ngram_range=(1, 2), min_df=2,
   sublinear_tf=True)`` -> ``RidgeCV`` (its alpha chosen by 3-fold CV on the
   training reviews: leave-one-out GCV would build a dense n_samples^2 Gram
   matrix for 25,000 reviews).
2. A ``StackingRegressor`` fits a linear regression on the two models'
   out-of-fold predictions (``--stack-cv`` folds of the training reviews), then
   refits both models on all training reviews. The two models are scored as
   those refitted members, so each is trained once on the whole training set.

Everything is fitted on the official training split and scored once on the
official test split: MAE, RMSE, R^2 and Spearman's rank correlation. The IMDB
reviews are polarised (ratings 1-4 and 7-10 only). A box plot of predicted
against true rating is written to ``--plot``.

Full data (25,000 + 25,000 reviews; the RNN is trained ``--stack-cv + 1`` times)::

    python examples/imdb_rating_regression.py \\
        --imdb-archive ../shared/data/aclImdb_labelled.tar.gz

The bundled 1,000 + 1,000 review sample with a tiny RNN, in seconds::

    python examples/imdb_rating_regression.py --quick
"""

import argparse
import platform
import time
from datetime import date

import numpy as np
from scipy.stats import spearmanr
from sklearn.ensemble import StackingRegressor
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LinearRegression, RidgeCV
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNTextRegressor, SequencePadder, TextVectorizer
from sklearn_rnn.datasets import fetch_imdb, load_imdb_sample

RIDGE_ALPHAS = (0.1, 0.3, 1.0, 3.0, 10.0)
QUICK_RNN = dict(units=8, embedding_dim=16, max_epochs=2)
QUICK_PREPROCESSING = dict(max_features=2000, maxlen=100)
NAMES = {"rnn": "RNNTextRegressor (default pipeline)",
         "ridge": "TF-IDF (1-2-grams) + RidgeCV",
         "stack": "StackingRegressor(RNN, Ridge)"}


def make_rnn(args):
    if args.quick:
        return make_pipeline(
            TextVectorizer(max_features=QUICK_PREPROCESSING["max_features"]),
            SequencePadder(maxlen=QUICK_PREPROCESSING["maxlen"]),
            RNNTextRegressor(random_state=args.random_state, verbose=args.verbose,
                             **QUICK_RNN))
    return make_pipeline(TextVectorizer(), SequencePadder(),
                         RNNTextRegressor(random_state=args.random_state,
                                          verbose=args.verbose))


def make_ridge():
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        RidgeCV(alphas=RIDGE_ALPHAS, cv=3),
    )


def make_stack(args):
    return StackingRegressor(
        [("rnn", make_rnn(args)), ("ridge", make_ridge())],
        final_estimator=LinearRegression(),
        cv=KFold(args.stack_cv, shuffle=True, random_state=args.random_state),
    )


def load(args):
    if args.quick:
        return load_imdb_sample("train"), load_imdb_sample("test")
    return (fetch_imdb("train", archive=args.imdb_archive),
            fetch_imdb("test", archive=args.imdb_archive))


def scores(y_true, y_pred):
    return {
        "MAE": mean_absolute_error(y_true, y_pred),
        "RMSE": np.sqrt(mean_squared_error(y_true, y_pred)),
        "R2": r2_score(y_true, y_pred),
        "Spearman": spearmanr(y_true, y_pred).statistic,
    }


def print_table(rows, n_test):
    print(f"\nofficial test split, {n_test} reviews:\n")
    print("| model | MAE | RMSE | R² | Spearman |")
    print("|---|---|---|---|---|")
    for name, row in rows.items():
        print(f"| {NAMES[name]} | {row['MAE']:.4f} | {row['RMSE']:.4f} | "
              f"{row['R2']:.4f} | {row['Spearman']:.4f} |")


def plot(path, y_true, predictions):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ratings = np.unique(y_true)
    figure, axes = plt.subplots(1, len(predictions), sharey=True,
                                figsize=(4.5 * len(predictions), 4))
    for ax, (name, y_pred) in zip(np.atleast_1d(axes), predictions.items(),
                                  strict=True):
        ax.boxplot([y_pred[y_true == r] for r in ratings], positions=ratings,
                   showfliers=False)
        ax.plot([1, 10], [1, 10], ":", color="gray", label="perfect")
        ax.set_title(NAMES[name], fontsize=9)
        ax.set_xlabel("true rating")
        ax.set_xlim(0.5, 10.5)
    np.atleast_1d(axes)[0].set_ylabel("predicted rating")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imdb-archive", help="local aclImdb tar.gz (else download)")
    parser.add_argument("--quick", action="store_true",
                        help="bundled 1,000-review sample, tiny RNN, 2 folds")
    parser.add_argument("--stack-cv", type=int, default=3,
                        help="internal folds of the StackingRegressor")
    parser.add_argument("--plot", default="imdb_rating_regression.png",
                        help="PNG file for the per-rating box plot")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--verbose", type=int, default=0,
                        help="RNNTextRegressor's verbose: 1 prints every epoch")
    args = parser.parse_args(argv)
    if args.quick:
        args.stack_cv = 2
    return args


def main(argv=None):
    args = parse_args(argv)
    train, test = load(args)
    print(f"{len(train.data)} training and {len(test.data)} test reviews; "
          f"{date.today()}, {platform.machine()}, {platform.processor() or '?'}",
          flush=True)
    stack = make_stack(args)
    start = time.perf_counter()
    stack.fit(train.data, train.ratings.astype(float))
    print(f"stack fitted in {time.perf_counter() - start:.0f} s "
          f"({args.stack_cv} folds + refit of both models)", flush=True)
    members = stack.named_estimators_  # refitted on all training reviews
    rnn = members["rnn"][-1]
    print(f"RNN (refitted on all training reviews): {rnn.n_epochs_} epochs, best "
          f"epoch {rnn.best_epoch_}; ridge alpha {members['ridge'][-1].alpha_}")
    predictions = {name: members[name].predict(test.data) for name in ("rnn",
                                                                       "ridge")}
    predictions["stack"] = stack.predict(test.data)
    rows = {name: scores(test.ratings, y_pred)
            for name, y_pred in predictions.items()}
    print_table(rows, len(test.data))
    weights = ", ".join(f"{w:.3f}" for w in stack.final_estimator_.coef_)
    print(f"\nstack: rating = {stack.final_estimator_.intercept_:.3f} + "
          f"({weights}) . (RNN, Ridge)")
    plot(args.plot, test.ratings, predictions)
    print(f"box plot of predicted against true rating written to {args.plot}")
    return rows


if __name__ == "__main__":
    main()
