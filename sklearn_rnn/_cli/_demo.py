"""The ``demo`` subcommand: the library's main features on bundled data."""

import time
from pathlib import Path

from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    CharLanguageModel,
    RNNTextClassifier,
    SequencePadder,
    TextVectorizer,
)
from sklearn_rnn._cli._common import UsageError, add_command, note
from sklearn_rnn._cli._models import make_baseline
from sklearn_rnn.callbacks import TimeLimit
from sklearn_rnn.datasets import load_imdb_sample, load_tiny_shakespeare

__all__ = ["add_commands"]

PLOT_NAME = "demo_history.png"
# Full demo: the library's default classifier on the whole bundled sample, and a
# small character model within a time budget: 61 s measured on 2 shared CPU cores.
FULL = dict(n_reviews=None, vectorizer={}, padder={}, rnn={},
            lm=dict(units=128, num_layers=1, max_epochs=8), lm_chars=300_000,
            lm_seconds=45.0, n_chars=300)
# --quick: tiny models on slices of the data, a few seconds.
QUICK = dict(n_reviews=200, vectorizer=dict(max_features=2000),
             padder=dict(maxlen=100), rnn=dict(units=8, embedding_dim=16, max_epochs=2),
             lm=dict(units=32, num_layers=1, max_epochs=1, seq_length=64),
             lm_chars=20_000, lm_seconds=10.0, n_chars=80)
EXAMPLES = """\
examples:
  sklearn-rnn demo                      # about a minute on 2 CPU cores
  sklearn-rnn demo --out-dir plots --random-state 1
  sklearn-rnn demo --quick              # tiny models, a few seconds

What it runs, all on data bundled with the package (no network):
  1. the default pipeline make_pipeline(TextVectorizer(), SequencePadder(),
     RNNTextClassifier()) and a TF-IDF + LogisticRegression baseline on the
     IMDB sample (1,000 training / 1,000 test reviews), compared on the test set;
  2. the RNN's training history plotted to OUT_DIR/demo_history.png and its
     summary();
  3. a small CharLanguageModel (1 x 128 LSTM) trained on the first 300,000
     characters of Tiny Shakespeare for at most 45 s, then a generated sample.
"""


def add_commands(subparsers, parents):
    """Register the demo subcommand."""
    parser = add_command(
        subparsers, "demo", run=demo, parents=parents, epilog=EXAMPLES,
        help="train and compare models on the bundled data (no network)",
        description="Train an RNN and a TF-IDF baseline on the bundled IMDB sample, "
                    "plot the RNN's training history and generate Shakespeare.")
    parser.add_argument("--out-dir", default=".", metavar="DIR",
                        help="where to write the plot (default: current directory)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny models on slices of the data (a few seconds)")
    parser.add_argument("--random-state", type=int, default=0, metavar="INT",
                        help="seed of both neural models (default: %(default)s)")


def demo(args):
    """Run the demo; print the comparison, summary and sample on stdout."""
    settings = QUICK if args.quick else FULL
    out_dir = _out_dir(args.out_dir)
    start = time.perf_counter()
    rnn = _classification(args, settings)
    _plot(args, rnn, out_dir / PLOT_NAME)
    print(f"\n{rnn[-1].summary()}")
    _language_model(args, settings)
    print(f"\ndemo finished in {time.perf_counter() - start:.0f} s")


def _out_dir(path):
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"argument --out-dir: {str(path)!r} is not a directory")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _classification(args, settings):
    """Fit both classifiers, print the comparison table; return the RNN."""
    train, test = _imdb(settings["n_reviews"])
    rnn = make_pipeline(
        TextVectorizer(**settings["vectorizer"]), SequencePadder(**settings["padder"]),
        RNNTextClassifier(**settings["rnn"], random_state=args.random_state,
                          verbose=int(args.verbose > 0)),
    )
    print(f"IMDB sentiment, bundled sample: {len(train[0])} training and "
          f"{len(test[0])} test reviews\n")
    print("| model | test accuracy | fit time (s) |\n|---|---|---|")
    for name, model in [(_describe(rnn[-1]), rnn),
                        ("TF-IDF + LogisticRegression", make_baseline())]:
        note(args, f"training {name} ...")
        started = time.perf_counter()
        model.fit(*train)
        fit_time = time.perf_counter() - started
        print(f"| {name} | {model.score(*test):.4f} | {fit_time:.1f} |", flush=True)
    return rnn


def _imdb(n_reviews):
    """(texts, labels) of train and test, every ``step``-th review when sliced (the
    sample is sorted by class, so a stride keeps both classes)."""
    data = [load_imdb_sample(subset) for subset in ("train", "test")]
    step = 1 if n_reviews is None else max(len(data[0].data) // n_reviews, 1)
    return [(d.data[::step], d.target[::step]) for d in data]


def _describe(clf):
    direction = "bidirectional " if clf.bidirectional else ""
    return f"RNNTextClassifier ({direction}{clf.cell_type.upper()}, {clf.units} units)"


def _plot(args, model, path):
    from sklearn_rnn.plotting import plot_history

    try:
        figure = plot_history(model)
    except ImportError as exc:
        note(args, f"no training-history plot: {exc}")
        return
    figure.savefig(path, dpi=100)
    import matplotlib.pyplot as plt

    plt.close(figure)
    print(f"\ntraining history plot written to {str(path.resolve())!r}")


def _language_model(args, settings):
    text = load_tiny_shakespeare()[:settings["lm_chars"]]
    lm = CharLanguageModel(**settings["lm"], random_state=args.random_state,
                           verbose=int(args.verbose > 0),
                           callbacks=[TimeLimit(settings["lm_seconds"])])
    note(args, f"training a character language model on {len(text):,} characters "
               "of Tiny Shakespeare ...")
    started = time.perf_counter()
    lm.fit(text)
    print(f"\nCharLanguageModel ({lm.num_layers} x {lm.units} "
          f"{lm.cell_type.upper()}) on the first {len(text):,} characters of Tiny "
          f"Shakespeare: {lm.n_epochs_} epoch(s) in "
          f"{time.perf_counter() - started:.0f} s, validation loss "
          f"{lm.history_[lm.best_epoch_ - 1, 'valid_loss']:.3f} nats/char. "
          "A sample at temperature 0.8:\n")
    print(lm.generate("ROMEO:\n", n_chars=settings["n_chars"], temperature=0.8,
                      random_state=args.random_state))
