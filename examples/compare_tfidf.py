"""An RNN against TF-IDF + logistic regression and NB-SVM on IMDB, then all stacked.

1. ``compare_models`` cross-validates the RNN pipeline (TextVectorizer ->
   SequencePadder -> RNNTextClassifier, raw text in), the classic baseline
   ``TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)`` ->
   ``LogisticRegression`` and NB-SVM (``make_nbsvm``) on the very same folds of
   the training reviews.
2. ``make_text_stack`` combines them: a logistic regression learns from the
   models' out-of-fold log-odds (``stack_method='decision_function'``, its own
   internal ``--stack-cv`` folds of the training reviews), then every model is
   refitted on all training reviews. It is fitted on the training set only and
   scored once on the test set, next to the models it combines (its refitted
   members, so they are scored without training them again).

Nothing is selected on test data. Cost: the RNN is trained ``--cv`` times in
step 1 and ``--stack-cv + 1`` times in step 2.

The RNN's configuration is the library's default unless given (``--units``,
``--max-epochs``, ...). Run on the full dataset (25,000 train / 25,000 test)::

    python examples/compare_tfidf.py \\
        --imdb-archive ../shared/data/aclImdb_labelled.tar.gz

or on the bundled 1,000 + 1,000 review sample with a tiny RNN in a few seconds::

    python examples/compare_tfidf.py --quick
"""

import argparse
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNTextClassifier, SequencePadder, TextVectorizer
from sklearn_rnn.baselines import make_nbsvm, make_tfidf_classifier
from sklearn_rnn.datasets import fetch_imdb, load_imdb_sample
from sklearn_rnn.model_selection import compare_models, make_text_stack

RNN_DEFAULTS = RNNTextClassifier().get_params()
QUICK = dict(units=8, embedding_dim=16, max_epochs=2, max_features=2000, maxlen=100,
             cv=2, stack_cv=2)


def make_rnn(args):
    return make_pipeline(
        TextVectorizer(max_features=args.max_features),
        SequencePadder(maxlen=args.maxlen),
        RNNTextClassifier(
            cell_type=args.cell_type, units=args.units, num_layers=args.num_layers,
            bidirectional=args.bidirectional, pooling=args.pooling,
            embedding_dim=args.embedding_dim, dropout=args.dropout,
            max_epochs=args.max_epochs, patience=args.patience,
            random_state=args.random_state,
        ),
    )


def load(args):
    if args.quick:
        return load_imdb_sample("train"), load_imdb_sample("test")
    return (fetch_imdb("train", archive=args.imdb_archive),
            fetch_imdb("test", archive=args.imdb_archive))


def maxlen(value):
    return value if value == "auto" else int(value)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imdb-archive", help="local aclImdb tar.gz (else download)")
    parser.add_argument("--quick", action="store_true",
                        help="bundled 1,000-review sample, tiny RNN, 2 folds")
    parser.add_argument("--cv", type=int, default=3,
                        help="folds of the side-by-side comparison")
    parser.add_argument("--stack-cv", type=int, default=3,
                        help="internal folds of the StackingClassifier")
    rnn = parser.add_argument_group("RNN configuration (default: library defaults)")
    rnn.add_argument("--cell-type", choices=["rnn", "lstm", "gru"],
                     default=RNN_DEFAULTS["cell_type"])
    for name in ("units", "num_layers", "embedding_dim", "max_epochs", "patience"):
        rnn.add_argument("--" + name.replace("_", "-"), type=int,
                         default=RNN_DEFAULTS[name])
    rnn.add_argument("--dropout", type=float, default=RNN_DEFAULTS["dropout"])
    rnn.add_argument("--bidirectional", action=argparse.BooleanOptionalAction,
                     default=RNN_DEFAULTS["bidirectional"])
    rnn.add_argument("--pooling", choices=["last", "max", "mean"],
                     default=RNN_DEFAULTS["pooling"])
    rnn.add_argument("--max-features", type=int, default=20000,
                     help="TextVectorizer vocabulary size")
    rnn.add_argument("--maxlen", type=maxlen, default="auto",
                     help="SequencePadder length: an int or 'auto'")
    parser.add_argument("--tfidf-c", type=float, default=100.0,
                        help="inverse regularisation C of the logistic regression "
                             "(100 was best in 3-fold CV on the IMDB training "
                             "reviews, among 1, 3, 10, 30, 100)")
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args(argv)
    if args.quick:
        vars(args).update(QUICK)
    return args


def members(args):
    return {"rnn": make_rnn(args), "tfidf": make_tfidf_classifier(C=args.tfidf_c),
            "nbsvm": make_nbsvm()}


def cross_validate(args, train):
    folds = StratifiedKFold(args.cv, shuffle=True, random_state=args.random_state)
    table = compare_models(members(args), train.data, train.target, cv=folds)
    print(f"cross-validation on the {len(train.data)} training reviews "
          f"({args.cv} folds, identical for every model):\n")
    print(table.to_string(float_format="{:.4f}".format))


def stack(args, train, test):
    stacking = make_text_stack(members(args), cv=args.stack_cv,
                               random_state=args.random_state)
    start = time.perf_counter()
    stacking.fit(train.data, train.target)
    elapsed = time.perf_counter() - start
    refitted = stacking.named_estimators_  # refitted on all training reviews
    predictions = {name: model.predict(test.data) for name, model in refitted.items()}
    predictions["stacking"] = stacking.predict(test.data)
    names = {"rnn": "RNN", "tfidf": "TF-IDF (1-2-grams) + LogisticRegression",
             "nbsvm": "NB-SVM (1-2-grams)",
             "stacking": "make_text_stack(RNN, TF-IDF, NB-SVM)"}
    print(f"\ntest set, {len(test.data)} reviews "
          f"(stacking fitted in {elapsed:.0f} s):\n")
    print("| model | test accuracy |")
    print("|---|---|")
    for name, predicted in predictions.items():
        print(f"| {names[name]} | {np.mean(predicted == test.target):.4f} |")
    disagree = np.mean(predictions["rnn"] != predictions["tfidf"])
    weights = ", ".join(f"{w:.2f} ({name})" for name, w in
                        zip(refitted, stacking.final_estimator_.coef_[0], strict=True))
    print(f"\nRNN and TF-IDF disagree on {disagree:.1%} of the test reviews; the "
          f"stacker weighs the members' log-odds by {weights}.")


def main(argv=None):
    args = parse_args(argv)
    train, test = load(args)
    cross_validate(args, train)
    stack(args, train, test)


if __name__ == "__main__":
    main()
