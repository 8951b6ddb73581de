"""Benchmark: the default RNN pipeline against TF-IDF, NB-SVM and their stack, on
a panel of text classification datasets.

What is measured
    For each dataset, on identical folds (``compare_models``): stratified 5-fold
    cross-validation with a fixed seed (MR, SUBJ) or the given split (TREC, and
    IMDB's official 25,000 / 25,000 split), these models, all from raw text:

    rnn
        ``make_pipeline(TextVectorizer(), SequencePadder(),
        RNNTextClassifier(random_state=seed))``, the library's defaults, once per
        ``--seeds`` (default 0, 1, 2): the table gives the mean over seeds and
        the standard deviation of the seeds' accuracies (each averaged over the
        folds).
    rnn+glove, rnn+glove-vocab, rnn+word2vec (``--embeddings none glove ...``)
        The same pipeline with ``embeddings=load_glove_6b_50d()`` (the offline
        GloVe 6B 50d package), the same with
        ``TextVectorizer(extra_vocabulary=glove.words[:50_000])``, or
        ``embeddings='word2vec'`` (vectors learned from each training fold),
        one column each, same seeds and folds.
    tfidf
        ``make_tfidf_classifier()``: ``TfidfVectorizer(ngram_range=(1, 2),
        sublinear_tf=True)`` + ``LogisticRegression(C=10)``.
    nbsvm
        ``make_nbsvm()``: binary 1-2-gram counts + ``NBSVMClassifier()``.
    stack
        ``make_text_stack()``: the RNN (seed 0), NB-SVM and TF-IDF stacked by a
        logistic regression on out-of-fold decision scores (``--stack-cv``
        inner folds, so the RNN is fitted ``--stack-cv + 1`` times per fold).

    Fit times are the mean over folds, measured in this run.

How to run
    python benchmarks/bench_panel.py --panel-dir ../shared/data/panel \\
        --imdb-archive ../shared/data/aclImdb_labelled.tar.gz \\
        [--datasets MR SUBJ TREC IMDB] [--output panel.md]

    ``--set NAME=VALUE`` (repeatable) changes a parameter of the RNN rows, for
    tuning (``--set lr=0.003``); the table then states it. ``--max-folds N``
    runs only the first N folds (every model on the same ones), for tuning.
    ``--quick`` runs every row on 400 reviews of the bundled IMDB sample with a
    tiny RNN in about a minute: it checks the script, and the criteria are not
    judged.

Pass criteria (exit status 1 when one fails, among the datasets that ran)
    - rnn: mean >= tfidf on every dataset; seed standard deviation <= 0.6
      points; TREC >= 91.2% (Kim 2014's CNN, random embeddings); IMDB >= 88.5%;
    - nbsvm: MR >= 79.0%, SUBJ >= 92.5%, IMDB >= 91.0%;
    - stack: IMDB >= 91.5%; on MR, SUBJ and TREC above its best member;
    - embeddings columns: each seed std <= 0.6; the best of them >= nbsvm on MR
      and SUBJ and >= tfidf on MR, SUBJ and TREC; rnn+word2vec IMDB >= 90.0%.
"""

import argparse
import datetime
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from _settings import parse_setting  # benchmarks/ is on sys.path when run as a script
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline

import sklearn_rnn
from sklearn_rnn import RNNTextClassifier, SequencePadder, TextVectorizer
from sklearn_rnn.baselines import make_nbsvm, make_tfidf_classifier
from sklearn_rnn.datasets import fetch_imdb, load_imdb_sample
from sklearn_rnn.model_selection import compare_models, make_text_stack

PANEL_FILES = {"MR": "rt-polarity.all", "SUBJ": "subj.all",
               "TREC": ("TREC.train.all", "TREC.test.all")}
QUICK_RNN = dict(units=8, embedding_dim=8, max_epochs=2)
TARGETS = {"rnn": {"TREC": 91.2, "IMDB": 88.5},
           "rnn+word2vec": {"IMDB": 90.0},
           "nbsvm": {"MR": 79.0, "SUBJ": 92.5, "IMDB": 91.0},
           "stack": {"IMDB": 91.5}}
MAX_SEED_STD = 0.6


def read_panel_file(path):
    """Labels and sentences of a panel file: ``LABEL SENTENCE`` per line.

    Latin-1, and split on "\\n" only: ``str.splitlines`` would also break at the
    U+0085 characters inside some sentences.
    """
    labels, texts = [], []
    for line in Path(path).read_bytes().decode("latin-1").split("\n"):
        if line.strip():
            label, text = line.split(" ", 1)
            labels.append(int(label))
            texts.append(text.strip())
    return texts, np.array(labels)


def load_dataset(name, args):
    """``(texts, labels, folds)`` with folds as a list of (train, test) indices."""
    if name == "IMDB":
        train = fetch_imdb("train", archive=args.imdb_archive, return_X_y=True)
        test = fetch_imdb("test", archive=args.imdb_archive, return_X_y=True)
        return given_split(train, test)
    files = PANEL_FILES[name]
    if isinstance(files, tuple):
        return given_split(*(read_panel_file(args.panel_dir / f) for f in files))
    texts, labels = read_panel_file(args.panel_dir / files)
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=0)
    return texts, labels, list(folds.split(texts, labels))


def given_split(train, test):
    texts = list(train[0]) + list(test[0])
    labels = np.concatenate([train[1], test[1]])
    n_train = len(train[0])
    return texts, labels, [(np.arange(n_train), np.arange(n_train, len(texts)))]


def quick_dataset():
    texts, labels = load_imdb_sample(return_X_y=True)
    keep = np.random.RandomState(0).permutation(len(texts))[:400]
    texts, labels = [texts[i] for i in keep], np.asarray(labels)[keep]
    return texts, labels, list(StratifiedKFold(2, shuffle=True,
                                               random_state=0).split(texts, labels))


EXTRA_VOCABULARY = 50_000  # glove-vocab: GloVe's most frequent words get ids


def embedding_options(names):
    """``{column: (TextVectorizer params, embeddings)}`` of the ``--embeddings``
    names."""
    options = {}
    for name in names:
        if name == "none":
            options["rnn"] = ({}, None)
        elif name == "word2vec":
            options["rnn+word2vec"] = ({}, "word2vec")
        else:
            from sklearn_rnn.embeddings import load_glove_6b_50d

            glove = load_glove_6b_50d()
            vocabulary = ({"extra_vocabulary": glove.words[:EXTRA_VOCABULARY]}
                          if name == "glove-vocab" else {})
            options[f"rnn+{name}"] = (vocabulary, glove)
    return options


def rnn_pipeline(seed, settings, option=({}, None)):
    vectorizer, embeddings = option
    extra = {} if embeddings is None else {"embeddings": embeddings}
    return make_pipeline(TextVectorizer(**vectorizer), SequencePadder(),
                         RNNTextClassifier(random_state=seed, **settings, **extra))


def models_for(args, settings):
    models = {f"{column} seed {seed}": rnn_pipeline(seed, settings, option)
              for column, option in args.options.items() for seed in args.seeds}
    models["tfidf"] = make_tfidf_classifier()
    models["nbsvm"] = make_nbsvm()
    if not args.no_stack:
        first = next(iter(args.options.values()))
        models["stack"] = make_text_stack(
            {"rnn": rnn_pipeline(0, settings, first), "nbsvm": make_nbsvm(),
             "tfidf": make_tfidf_classifier()}, cv=args.stack_cv)
    return models


def summarise(name, table, seeds, columns):
    """One row per dataset: accuracy in % of every model family, seed std and
    per-seed accuracies of each RNN column, fit times."""
    row = {"dataset": name}
    for column in columns:
        rnn = table.loc[[f"{column} seed {s}" for s in seeds]]
        row[column] = 100 * rnn["accuracy_mean"].mean()
        row[f"{column}_seed_std"] = 100 * rnn["accuracy_mean"].std(ddof=0)
        row[f"{column}_seeds"] = "/".join(f"{100 * a:.2f}"
                                          for a in rnn["accuracy_mean"])
        row[f"{column}_fit_s"] = rnn["fit_time_s"].mean()
    for model in ("tfidf", "nbsvm", "stack"):
        if model in table.index:
            row[model] = 100 * table.loc[model, "accuracy_mean"]
            row[f"{model}_fit_s"] = table.loc[model, "fit_time_s"]
    return row


def check(row, columns):
    """Failed criteria of one summary row, as sentences."""
    name, failed = row["dataset"], []
    for column in columns:
        failed += _check_rnn(row, column)
    for model, targets in TARGETS.items():
        if name in targets and model in row and row[model] < targets[name]:
            failed.append(f"{model} {row[model]:.2f} < {targets[name]}")
    options = [c for c in columns if c != "rnn"]
    if options and name != "IMDB":
        best = max(options, key=lambda c: row[c])
        rivals = ("tfidf", "nbsvm") if name in ("MR", "SUBJ") else ("tfidf",)
        failed += [f"best option {best} {row[best]:.2f} < {rival} {row[rival]:.2f}"
                   for rival in rivals if row[best] < row[rival]]
    if "stack" in row and name != "IMDB":
        best = max(row[columns[0]], row["tfidf"], row["nbsvm"])
        if row["stack"] <= best:
            failed.append(f"stack {row['stack']:.2f} <= best member {best:.2f}")
    return [f"{name}: {text}" for text in failed]


def _check_rnn(row, column):
    failed = []
    if column == "rnn" and row["rnn"] < row["tfidf"]:
        failed.append(f"rnn {row['rnn']:.2f} < tfidf {row['tfidf']:.2f}")
    if row[f"{column}_seed_std"] > MAX_SEED_STD:
        failed.append(f"{column} seed std {row[f'{column}_seed_std']:.2f} > "
                      f"{MAX_SEED_STD}")
    return failed


def markdown(rows, columns):
    frame = pd.DataFrame(rows)
    header = ["dataset", *(f"{c} (mean ± seed std) | {c} seeds" for c in columns),
              "TF-IDF + LR", "NB-SVM", "stack",
              *(f"{c} fit s" for c in columns), "stack fit s"]
    n_columns = 2 * len(columns) + 4 + len(columns) + 1
    lines = ["| " + " | ".join(header) + " |", "|---" * n_columns + "|"]
    for _, r in frame.iterrows():
        cells = [r["dataset"]]
        cells += [f"{r[c]:.2f} ± {r[f'{c}_seed_std']:.2f} | {r[f'{c}_seeds']}"
                  for c in columns]
        cells += [f"{r['tfidf']:.2f}", f"{r['nbsvm']:.2f}", _cell(r, "stack", 2)]
        cells += [f"{r[f'{c}_fit_s']:.0f}" for c in columns]
        cells.append(_cell(r, "stack_fit_s", 0))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(row, key, decimals):
    value = row.get(key)
    return "–" if value is None or pd.isna(value) else f"{value:.{decimals}f}"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panel-dir", type=Path)
    parser.add_argument("--imdb-archive", type=Path)
    parser.add_argument("--datasets", nargs="+", default=["MR", "SUBJ", "TREC", "IMDB"],
                        choices=["MR", "SUBJ", "TREC", "IMDB"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--stack-cv", type=int, default=3)
    parser.add_argument("--no-stack", action="store_true")
    parser.add_argument("--embeddings", nargs="+", default=["none"],
                        choices=["none", "glove", "glove-vocab", "word2vec"],
                        help="RNN columns: random embeddings (the default), "
                             "GloVe 6B 50d from the offline package (glove-vocab: "
                             "its 50,000 most frequent words join the vocabulary), "
                             "word2vec learned from each training fold; the "
                             "stack uses the first")
    parser.add_argument("--max-folds", type=int,
                        help="run only the first N folds (for tuning)")
    parser.add_argument("--set", type=parse_setting, action="append", default=[],
                        metavar="NAME=VALUE", help="an RNNTextClassifier parameter")
    parser.add_argument("--output", type=Path, help="also write the table here")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if not args.quick:
        needs = {"panel_dir": {"MR", "SUBJ", "TREC"}, "imdb_archive": {"IMDB"}}
        for option, names in needs.items():
            if names & set(args.datasets) and getattr(args, option) is None:
                parser.error(f"--{option.replace('_', '-')} is needed for "
                             f"{', '.join(sorted(names & set(args.datasets)))}")
    return args


def main(argv=None):
    args = parse_args(argv)
    args.options = embedding_options(args.embeddings)
    columns = list(args.options)
    settings = dict(args.set)
    if args.quick:
        settings = {**QUICK_RNN, **settings}
        args.stack_cv = 2
    print(f"sklearn-rnn {sklearn_rnn.__version__}, torch {torch.__version__}, "
          f"{platform.processor() or platform.machine()}, "
          f"{datetime.date.today().isoformat()}; "
          f"RNN settings: {settings or 'defaults'}")
    rows = []
    for name in ["quick"] if args.quick else args.datasets:
        start = time.perf_counter()
        texts, labels, folds = (quick_dataset() if args.quick
                                else load_dataset(name, args))
        folds = folds[:args.max_folds]
        table = compare_models(models_for(args, settings), texts, labels, cv=folds)
        print(f"\n{name} ({len(folds)} fold(s), {time.perf_counter() - start:.0f} s)")
        print(table.round(4).to_string())
        rows.append(summarise(name, table, args.seeds, columns))
    text = markdown(rows, columns)
    print("\n" + text)
    if args.output:
        args.output.write_text(text + "\n")
    if args.quick:
        return 0
    failed = [line for row in rows for line in check(row, columns)]
    print("\n" + ("\n".join(f"FAIL {line}" for line in failed) or "PASS"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
