"""Few labels, many texts: pretrain the RNN's encoder on unlabelled reviews.

``--n-labels`` of the IMDB training reviews keep their labels; the others get
the label -1, scikit-learn's mark of an unlabelled sample. Their texts reach
only the language-model pretraining of ``pretrain=EncoderPretrainer()``, never
the classifier's loss, classes or early-stopping split.

1. One pipeline fitted on all the training texts: the vectorizer learns its
   vocabulary from every text, the encoder is pretrained on every text, and the
   classifier is fine-tuned on the labelled ones. NB-SVM on the labelled
   reviews is the reference.
2. A grid search over the fine-tuning settings. ``SemiSupervisedCV`` splits the
   labelled reviews into folds and puts every unlabelled review in every
   training fold; ``score`` leaves unlabelled rows out, so each candidate is
   scored on labelled reviews only. The pretrained encoder and the vectorizer
   of step 1 are reused through ``FrozenEstimator`` (``clone`` keeps them
   fitted), so the search fine-tunes without pretraining again; that encoder
   read the held-out folds' texts, never their labels. To pretrain inside every
   fold instead, pass the unfitted pipeline of step 1 (slower by the
   pretraining time per fit).

Run on IMDB (about 30 minutes on 2 CPU cores for step 1)::

    python examples/semi_supervised.py \\
        --imdb-archive ../shared/data/aclImdb_labelled.tar.gz [--n-labels 1000]

or on the bundled 1,000 + 1,000 review sample with tiny models in seconds::

    python examples/semi_supervised.py --quick
"""

import argparse

import numpy as np
import pandas as pd
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    EncoderPretrainer,
    RNNTextClassifier,
    SequencePadder,
    TextVectorizer,
)
from sklearn_rnn.baselines import make_nbsvm
from sklearn_rnn.datasets import fetch_imdb, load_imdb_sample
from sklearn_rnn.model_selection import SemiSupervisedCV

FULL = dict(max_features=20000, maxlen=400, units=128, embedding_dim=128,
            max_epochs=10, pretrain_epochs=5, time_limit=25 * 60, cv=3)
QUICK = dict(max_features=2000, maxlen=100, units=8, embedding_dim=8,
             max_epochs=2, pretrain_epochs=1, time_limit=None, cv=2)
GRID = {"rnntextclassifier__lr": [1e-3, 3e-3],
        "rnntextclassifier__dropout": [0.3, 0.5]}


def classifier(config, **params):
    return RNNTextClassifier(
        units=config["units"], embedding_dim=config["embedding_dim"],
        max_epochs=config["max_epochs"], random_state=0, **params)


def make_model(config):
    """Vectorizer -> padder -> classifier that pretrains its encoder in fit."""
    pretrainer = EncoderPretrainer(max_epochs=config["pretrain_epochs"],
                                   time_limit=config["time_limit"])
    return make_pipeline(TextVectorizer(max_features=config["max_features"]),
                         SequencePadder(maxlen=config["maxlen"]),
                         classifier(config, pretrain=pretrainer))


def semi_labels(y, n_labels):
    """``y`` with all but a stratified draw of ``n_labels`` set to -1."""
    labelled, _ = train_test_split(np.arange(len(y)), train_size=n_labels,
                                   stratify=y, random_state=0)
    semi = np.full(len(y), -1)
    semi[labelled] = y[labelled]
    return semi


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imdb-archive", help="aclImdb archive (else downloaded)")
    parser.add_argument("--n-labels", type=int, default=1000)
    parser.add_argument("--quick", action="store_true",
                        help="bundled sample, tiny models")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    config = QUICK if args.quick else FULL
    if args.quick:
        train, test = load_imdb_sample("train"), load_imdb_sample("test")
        args.n_labels = min(args.n_labels, 100)
    else:
        train = fetch_imdb("train", archive=args.imdb_archive)
        test = fetch_imdb("test", archive=args.imdb_archive)
    texts, y = list(train.data), np.asarray(train.target)
    semi = semi_labels(y, args.n_labels)
    labelled = semi != -1
    print(f"{labelled.sum()} labelled and {(~labelled).sum()} unlabelled reviews")

    # 1. Pretrain on every text, fine-tune on the labelled ones.
    model = make_model(config).fit(texts, semi)
    nbsvm = make_nbsvm().fit(list(np.asarray(texts, dtype=object)[labelled]),
                             y[labelled])
    pretrainer = model[-1].pretrainer_
    print(f"pretraining: {pretrainer.n_epochs_} epoch(s), held-out loss "
          f"{pretrainer.history_[-1].get('valid_loss', float('nan')):.3f} nats/word")
    print(f"test accuracy: pretrained RNN {model.score(test.data, test.target):.4f}, "
          f"NB-SVM {nbsvm.score(test.data, test.target):.4f}")

    # 2. Grid search over the fine-tuning, reusing the pretrained encoder.
    reuse = make_pipeline(FrozenEstimator(model[:-1]),
                          classifier(config, pretrain=FrozenEstimator(pretrainer)))
    search = GridSearchCV(reuse, GRID, cv=SemiSupervisedCV(config["cv"]))
    search.fit(texts, semi)
    table = pd.DataFrame(search.cv_results_)[
        [f"param_{name}" for name in GRID] + ["mean_test_score", "rank_test_score"]]
    print(table.sort_values("rank_test_score").to_string(index=False))
    print(f"best {search.best_params_}: test accuracy "
          f"{search.score(test.data, test.target):.4f}")


if __name__ == "__main__":
    main()
