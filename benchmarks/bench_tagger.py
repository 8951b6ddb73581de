"""Benchmark: RNNTagger against a CRF with hand-made word features
(sklearn-crfsuite), on the same sentences, in the same run.

What is measured
    UD English-EWT (CoNLL-U, ``--tag upos`` or ``xpos``): both models train on
    the training file and are scored on the test file:

    rnn (one row per ``--seeds``)
        ``RNNTagger(random_state=seed)`` with the library's defaults (or the
        ``--set`` changes); its own early stopping holds out 10% of the
        training sentences.
    crf
        ``sklearn_crfsuite.CRF`` (L-BFGS, c1 = c2 = 0.1, 100 iterations, all
        possible transitions) on sklearn-crfsuite's tutorial features: the
        lower-cased word, its last 2 and 3 characters, case and digit flags,
        the same for the neighbouring words, sentence start and end.

    accuracy is token accuracy on the whole test set; unseen is the accuracy
    on test tokens whose exact form never occurs in the training file. Fit and
    predict are wall-clock seconds; tokens/s is test tokens over predict time.

    ``--entities`` adds an entity task made from the same treebank: runs of
    proper nouns (UPOS PROPN) become BIO entities (``B-PROPN``, ``I-PROPN``,
    everything else ``O``), scored with conlleval's entity F1 (seqeval), for
    the RNN with softmax and with ``crf=True`` and for the CRF.

How to run
    python benchmarks/bench_tagger.py --ud-dir ../shared/data/ud_ewt \\
        [--seeds 0 1 2] [--entities] [--set NAME=VALUE ...] [--output tagger.md]

    ``--quick`` trains a tiny tagger on 300 sentences and scores 200 (about a
    minute): it checks the script; the criteria are not judged.

Pass criteria (exit status 1 when one fails; UPOS)
    - rnn mean accuracy >= 95.0% and above crf's; rnn unseen above crf's;
    - rnn fit <= 900 s; rnn predict >= 20,000 tokens/s.
"""

import argparse
import datetime
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch
from _settings import parse_setting  # benchmarks/ is on sys.path when run as a script

import sklearn_rnn
from sklearn_rnn import RNNTagger
from sklearn_rnn.datasets import read_conllu
from sklearn_rnn.metrics import entity_f1_score, token_accuracy_score

QUICK_TAGGER = dict(units=16, embedding_dim=16, char_filters=8, num_layers=1,
                    max_epochs=2)
TARGETS = {"accuracy": 95.0, "fit_s": 900.0, "tokens_per_s": 20_000.0}


def word_features(sentence, i):
    """sklearn-crfsuite tutorial's ``word2features``, without the POS-tag
    features (the tags are what is predicted here)."""
    word = sentence[i]
    features = {"bias": 1.0, "word.lower()": word.lower(), "word[-3:]": word[-3:],
                "word[-2:]": word[-2:], "word.isupper()": word.isupper(),
                "word.istitle()": word.istitle(), "word.isdigit()": word.isdigit()}
    for offset, name in ((-1, "-1"), (1, "+1")):
        j = i + offset
        if 0 <= j < len(sentence):
            other = sentence[j]
            features.update({f"{name}:word.lower()": other.lower(),
                             f"{name}:word.istitle()": other.istitle(),
                             f"{name}:word.isupper()": other.isupper()})
        else:
            features["BOS" if offset < 0 else "EOS"] = True
    return features


def sentence_features(sentence):
    return [word_features(sentence, i) for i in range(len(sentence))]


def make_crf():
    import sklearn_crfsuite

    return sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1,
                                max_iterations=100,
                                all_possible_transitions=True)


class FeatureCRF:
    """The CRF on raw sentences: features are computed inside fit and predict."""

    def __init__(self):
        self.crf = make_crf()

    def fit(self, X, y):
        self.crf.fit([sentence_features(s) for s in X], y)
        return self

    def predict(self, X):
        return self.crf.predict([sentence_features(s) for s in X])


def proper_noun_entities(tag_lists):
    """BIO tags of the runs of PROPN tokens."""
    entities = []
    for tags in tag_lists:
        bio, previous = [], None
        for tag in tags:
            if tag != "PROPN":
                bio.append("O")
            else:
                bio.append("I-PROPN" if previous == "PROPN" else "B-PROPN")
            previous = tag
        entities.append(bio)
    return entities


def measure(name, model, train, test, seen, score):
    """Fit ``model`` and score it: one result row."""
    start = time.perf_counter()
    model.fit(*train)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    predicted = model.predict(test[0])
    predict_s = time.perf_counter() - start
    n_tokens = sum(len(s) for s in test[0])
    unseen = [p == g for sentence, ps, gs in zip(test[0], predicted, test[1],
                                                 strict=True)
              for word, p, g in zip(sentence, ps, gs, strict=True) if word not in seen]
    row = {"model": name, "score": 100 * score(test[1], predicted),
           "unseen": 100 * float(np.mean(unseen)) if unseen else float("nan"),
           "n_unseen": len(unseen), "fit_s": fit_s,
           "tokens_per_s": n_tokens / predict_s,
           "epochs": getattr(model, "n_epochs_", ""),
           "best_epoch": getattr(model, "best_epoch_", "")}
    print(f"  {name}: {row['score']:.2f}% (unseen {row['unseen']:.2f}% of "
          f"{len(unseen)}), fit {fit_s:.0f} s, {row['tokens_per_s']:,.0f} tokens/s",
          flush=True)
    return row


def load(args):
    files = {part: args.ud_dir / f"en_ewt-ud-{part}.conllu.gz"
             for part in ("train", "test")}
    train = read_conllu(files["train"], tag=args.tag)
    test = read_conllu(files["test"], tag=args.tag)
    if args.quick:
        train, test = (train[0][:300], train[1][:300]), (test[0][:200], test[1][:200])
    return train, test


def run_task(task, train, test, args, settings):
    score = token_accuracy_score if task == "tags" else entity_f1_score
    seen = {word for sentence in train[0] for word in sentence}
    rows = []
    variants = [("rnn", {})] if task == "tags" else [("rnn", {}),
                                                     ("rnn crf", {"crf": True})]
    for label, extra in variants:
        for seed in args.seeds:
            model = RNNTagger(random_state=seed, **{**settings, **extra})
            rows.append(measure(f"{label} seed {seed}", model, train, test, seen,
                                score))
    rows.append(measure("crf", FeatureCRF(), train, test, seen, score))
    return rows


def markdown(title, metric, rows):
    lines = [f"| {title}: model | {metric} | unseen-word accuracy % | fit s | "
             "predict tokens/s | epochs (best) |", "|---|---|---|---|---|---|"]
    for r in rows:
        epochs = f"{r['epochs']} ({r['best_epoch']})" if r["epochs"] != "" else ""
        lines.append(f"| {r['model']} | {r['score']:.2f} | {r['unseen']:.2f} | "
                     f"{r['fit_s']:.0f} | {r['tokens_per_s']:,.0f} | {epochs} |")
    return "\n".join(lines)


def check(rows):
    """Failed criteria of the tag task, as sentences."""
    rnn = [r for r in rows if r["model"].startswith("rnn seed")]
    crf = next(r for r in rows if r["model"] == "crf")
    accuracy = np.mean([r["score"] for r in rnn])
    unseen = np.mean([r["unseen"] for r in rnn])
    failed = []
    if accuracy < TARGETS["accuracy"]:
        failed.append(f"rnn accuracy {accuracy:.2f} < {TARGETS['accuracy']}")
    if accuracy <= crf["score"]:
        failed.append(f"rnn accuracy {accuracy:.2f} <= crf {crf['score']:.2f}")
    if unseen <= crf["unseen"]:
        failed.append(f"rnn unseen {unseen:.2f} <= crf {crf['unseen']:.2f}")
    for r in rnn:
        if r["fit_s"] > TARGETS["fit_s"]:
            failed.append(f"{r['model']} fit {r['fit_s']:.0f} s > 900 s")
        if r["tokens_per_s"] < TARGETS["tokens_per_s"]:
            failed.append(f"{r['model']} {r['tokens_per_s']:,.0f} tokens/s < 20,000")
    return failed


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ud-dir", type=Path, default=Path("../shared/data/ud_ewt"))
    parser.add_argument("--tag", choices=("upos", "xpos"), default="upos")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--entities", action="store_true",
                        help="also the proper-noun entity task")
    parser.add_argument("--no-tags", action="store_true",
                        help="skip the tag task (with --entities)")
    parser.add_argument("--set", type=parse_setting, action="append", default=[],
                        metavar="NAME=VALUE", help="an RNNTagger parameter")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", type=Path)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.entities and args.tag != "upos":
        sys.exit("--entities reads proper nouns from UPOS tags: use --tag upos")
    settings = dict(args.set)
    if args.quick:
        settings = {**QUICK_TAGGER, **settings}
    print(f"sklearn-rnn {sklearn_rnn.__version__}, torch {torch.__version__}, "
          f"{platform.processor() or platform.machine()}, "
          f"{datetime.date.today().isoformat()}, {torch.get_num_threads()} threads; "
          f"tagger settings: {settings or 'defaults'}", flush=True)
    train, test = load(args)
    print(f"{len(train[0])} training sentences, {len(test[0])} test sentences "
          f"({sum(map(len, test[0]))} tokens)", flush=True)
    tables, failed = [], []
    if not args.no_tags:
        print(f"{args.tag.upper()} tags:")
        rows = run_task("tags", train, test, args, settings)
        tables.append(markdown(args.tag.upper(), "accuracy %", rows))
        failed = [] if args.quick else check(rows)
    if args.entities:
        print("proper-noun entities:")
        entity_train = (train[0], proper_noun_entities(train[1]))
        entity_test = (test[0], proper_noun_entities(test[1]))
        rows = run_task("entities", entity_train, entity_test, args, settings)
        tables.append(markdown("PROPN entities", "entity F1 %", rows))
    text = "\n\n".join(tables)
    print("\n" + text)
    if args.output:
        args.output.write_text(text + "\n")
    if args.quick or args.no_tags:  # the criteria are the tag task's
        return 0
    print("\n" + ("\n".join(f"FAIL {line}" for line in failed) or "PASS"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
