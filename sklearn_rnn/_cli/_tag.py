"""``--task tagging`` of train, predict and evaluate: an RNNTagger on CoNLL files.

The classification commands (:mod:`._classify`) read tables of texts; with
``--task tagging`` the same commands read tagged sentences instead (CoNLL-U, or
CoNLL-2003-style column files), train or load an :class:`~sklearn_rnn.RNNTagger`
and write or score one tag per token. :func:`add_tagging` adds the options to the
existing commands and routes each run to the task it names; an option of the other
task, or a model of the other kind, is a usage error naming it.
"""

import textwrap
from pathlib import Path

import numpy as np
from sklearn.metrics import classification_report

from sklearn_rnn import RNNTagger
from sklearn_rnn._cli._common import UsageError, existing_path, note, writable_path
from sklearn_rnn._cli._flags import add_estimator_flags
from sklearn_rnn._cli._models import (
    RNN,
    TASKS,
    _embeddings,
    fit_and_save,
    load_model,
)
from sklearn_rnn.datasets import read_conll, read_conllu, write_tagged
from sklearn_rnn.metrics import entity_classification_report, token_accuracy_score
from sklearn_rnn.persistence import read_description
from sklearn_rnn.utils._validation import suggest

__all__ = ["add_tagging"]

TASK = "tagging"
TAGGER = "tagger:"  # dest prefix of the RNNTagger options the classifier lacks
FORMATS = ("conllu", "conll")
CONLLU_COLUMNS = ("upos", "xpos")
# What a tagging run reads besides the RNN options and the tagging options below.
_SHARED = frozenset({"task", "data", "data_format", "model", "device", "out",
                     "verbose", "quiet", "embeddings_spec"})
_TAGGING = frozenset({"tag_column", "word_column", "scheme"})
_TASK_OF_CLASS = {"RNNTextClassifier": "classification",
                  "RNNTextRegressor": "regression", "RNNTagger": TASK}

TRAIN_EXAMPLES = """
tagging (--task tagging):
  sklearn-rnn train --task tagging --data en_ewt-ud-train.conllu \\
      --out tagger.safetensors --max-epochs 10 --random-state 0
  sklearn-rnn train --task tagging --data eng.train --scheme iob1 --crf \\
      --out ner.safetensors
"""
PREDICT_EXAMPLES = """
tagging (--task tagging):
  sklearn-rnn predict --task tagging --model tagger.safetensors \\
      --data en_ewt-ud-test.conllu --out predicted.conllu
  sklearn-rnn predict --task tagging --model ner.safetensors --data eng.testb \\
      > predicted.txt

Output of --task tagging: a copy of --data (gzip-compressed input is written
uncompressed) whose --tag-column holds the predicted tags.
"""
EVALUATE_EXAMPLES = """
tagging (--task tagging):
  sklearn-rnn evaluate --task tagging --model tagger.safetensors \\
      --data en_ewt-ud-test.conllu
  sklearn-rnn evaluate --task tagging --model ner.safetensors \\
      --data eng.testb --scheme iob1

Report of --task tagging: the token accuracy, the accuracy on words outside the
model's vocabulary, and per-tag scores; for BIO tags (every tag O, B-TYPE or
I-TYPE) entity precision, recall and F1 instead (with seqeval installed).
"""


def add_tagging(commands):
    """Give the ``train``, ``predict`` and ``evaluate`` parsers of ``commands``
    a ``--task tagging`` and its options."""
    extensions = {"train": (train, TRAIN_EXAMPLES, True),
                  "predict": (predict, PREDICT_EXAMPLES, False),
                  "evaluate": (evaluate, EVALUATE_EXAMPLES, True)}
    for name, (run, examples, labelled) in extensions.items():
        parser = commands[name]
        if name == "train":
            _extend_task(parser)
            _add_tagger_flags(parser)
        else:
            parser.add_argument(
                "--task", choices=(*TASKS, TASK), default=None,
                help="tagging: tag the tokens of a CoNLL-U or CoNLL --data with an "
                     "RNNTagger; classification or regression read a table of "
                     "texts (default: the task of --model, which must not be a "
                     "tagger)")
        _extend_data_options(parser, labelled=labelled, predict=name == "predict")
        parser.epilog += examples
        parser.description = textwrap.fill(
            " ".join(parser.description.split()) + " With --task tagging: an "
            "RNNTagger on tagged sentences (CoNLL-U or CoNLL).", 79)
        options = {action.dest: action.option_strings[0]
                   for action in parser._actions if action.option_strings}
        parser.set_defaults(run=_dispatch(run, parser.get_default("run"), options))


def _extend_task(parser):
    task = _action(parser, "task")
    task.choices = (*task.choices, TASK)
    task.help = ("classification: a class per text (RNNTextClassifier); "
                 "regression: a number per text (RNNTextRegressor; --label-column "
                 "holds numbers); tagging: a tag per token (RNNTagger; --data holds "
                 "tagged sentences) (default: %(default)s)")


def _add_tagger_flags(parser):
    """Options for the RNNTagger parameters that no other option sets; the
    description lists the shared options whose tagger default differs."""
    tagger = RNNTagger().get_params()
    dests = {action.dest for action in parser._actions}
    different = [f"--{name.replace('_', '-')} {value}" for name, value in
                 tagger.items() if RNN + name in dests
                 and _action(parser, RNN + name).default != value]
    group = parser.add_argument_group(
        "RNNTagger hyperparameters (--task tagging)", textwrap.fill(
            "--task tagging also takes the RNN options above that RNNTagger has, "
            "with RNNTagger's defaults where they differ: " + ", ".join(different)
            + ".", 77))
    add_estimator_flags(group, RNNTagger, prefix=TAGGER, names=[
        name for name in tagger if RNN + name not in dests])


def _extend_data_options(parser, *, labelled, predict):
    data, data_format = _action(parser, "data"), _action(parser, "data_format")
    data.help += ("; with --task tagging, a CoNLL-U or CoNLL-2003-style column "
                  "file (optionally .gz)")
    data_format.choices = (*data_format.choices, *FORMATS)
    data_format.help = data_format.help[:-1] + (
        "; with --task tagging: conllu for .conllu and .conllu.gz, else conll)")
    if predict:
        out = _action(parser, "out")
        out.help = out.help[:-1] + ("; with --task tagging, the copy of --data "
                                    "with the predicted tags, '-' for standard "
                                    "output)")
    group = parser.add_argument_group("tagged data (--task tagging)")
    role = "the column to write the predicted tags into" if predict else \
        "the column holding the tags"
    group.add_argument(
        "--tag-column", metavar="upos|xpos|INT",
        help=f"{role}: upos or xpos in CoNLL-U, a column number in a column file "
             "(0 the first, -1 the last) (default: upos, or -1)")
    group.add_argument("--word-column", type=int, default=0, metavar="INT",
                       help="the column holding the tokens in a column file "
                            "(default: %(default)s)")
    if labelled:
        group.add_argument(
            "--scheme", choices=("iob1", "iob2"),
            help="check that the tags of a column file are BIO tags: iob2 as "
                 "they are, iob1 (the original CoNLL-2003 files) converted to "
                 "iob2 (default: the tags as they are)")


def _action(parser, dest):
    return next(action for action in parser._actions if action.dest == dest)


def _dispatch(tagging, other, options):
    """The ``run`` of a command: ``tagging`` for --task tagging, else ``other``,
    once the options given belong to that task."""

    def run(args):
        given = args.given - {"command"}
        model = getattr(args, "model", None)
        if args.task is None and model and _TASK_OF_CLASS.get(
                _saved_class(model)) == TASK:
            args.task = TASK  # a tagger model says the task itself
        if args.task == TASK:
            params = RNNTagger().get_params()
            _reject(given - _SHARED - _TAGGING - {prefix + name for name in params
                                                  for prefix in (RNN, TAGGER)},
                    options, "not an option of --task tagging (RNNTagger)")
            tagging(args)
            return
        what = (f"not an option of --task {args.task}" if args.task
                else "only an option of --task tagging")
        _reject({dest for dest in given if dest in _TAGGING
                 or dest.startswith(TAGGER)}, options, what)
        _check_not_tagging(args)
        other(args)

    return run


def _reject(dests, options, what):
    if dests:
        dest = min(dests, key=list(options).index)  # the first in --help
        raise UsageError(f"argument {options[dest]}: {what}")


def _check_not_tagging(args):
    """Catch the tagging inputs the other tasks would misread."""
    if args.data_format in FORMATS:
        raise UsageError(f"argument --data-format: {args.data_format!r} is only "
                         "for --task tagging")
    if args.data_format is None and _data_format(Path(args.data)) == "conllu":
        raise UsageError(f"argument --data: {args.data!r} is a CoNLL-U file; pass "
                         "--task tagging to tag its tokens")
    model = getattr(args, "model", None)
    saved = _TASK_OF_CLASS.get(_saved_class(model)) if model else None
    if args.task is not None and saved is not None and saved != args.task:
        raise UsageError(f"argument --task: {model!r} holds a model for --task "
                         f"{saved}, not {args.task}")


def _saved_class(path):
    """The estimator class named in the model file ``path`` (a Pipeline's last
    step's), read from its header alone; None when the file cannot tell, which
    loading the model then reports."""
    try:
        spec = read_description(path)
        while spec["class"] == "Pipeline":
            spec = spec["steps"][-1][1]
        return spec["class"]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


# --- reading and writing tagged sentences ----------------------------------------

def _data_format(path):
    name = path.name.lower()
    return "conllu" if name.endswith((".conllu", ".conllu.gz")) else "conll"


def _source(args):
    """``(path, format, column)`` of ``--data`` from the tagging options."""
    path = existing_path(args.data, "--data")
    data_format = args.data_format or _data_format(path)
    if data_format not in FORMATS:
        raise UsageError(f"argument --data-format: --task tagging reads "
                         f"{' or '.join(FORMATS)}, not {data_format!r}")
    if data_format == "conllu":
        for dest, option in (("word_column", "--word-column"),
                             ("scheme", "--scheme")):
            if dest in args.given:
                raise UsageError(f"argument {option}: only for column files "
                                 "(--data-format conll), not CoNLL-U")
    return path, data_format, _tag_column(args.tag_column, data_format)


def _tag_column(text, data_format):
    if data_format == "conllu":
        if text is None or text.lower() in CONLLU_COLUMNS:
            return "upos" if text is None else text.lower()
        raise UsageError(f"argument --tag-column: the tag column of a CoNLL-U file "
                         f"is upos or xpos, got {text!r}."
                         + suggest(text, CONLLU_COLUMNS))
    try:
        return -1 if text is None else int(text)
    except ValueError:
        raise UsageError(f"argument --tag-column: the tag column of a column file "
                         f"is a number (0 the first, -1 the last), got {text!r}; "
                         "upos and xpos are CoNLL-U columns (--data-format conllu)"
                         ) from None


def read_tagged(args, source=None, *, tags=True):
    """``(sentences, tags)`` of ``--data`` (its ``source``, if known);
    ``tags=False`` for a file about to be tagged, whose tag column may be a
    placeholder (even CoNLL-U's '_' for no XPOS)."""
    path, data_format, column = source or _source(args)
    try:
        if data_format == "conllu":
            return read_conllu(path, tag=column if tags else "upos")
        return read_conll(path, word_column=args.word_column, tag_column=column,
                          scheme=getattr(args, "scheme", None) if tags else None)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"argument --data: {exc}") from None


# --- the commands ----------------------------------------------------------------

def make_tagger(args):
    """The RNNTagger of the options given: RNNTagger's own default for any
    option left out (the shared options' defaults are the classifier's)."""
    accepted = RNNTagger().get_params()
    params = {dest.split(":", 1)[1]: getattr(args, dest) for dest in args.given
              if dest.startswith((RNN, TAGGER))}
    params = {name: value for name, value in params.items() if name in accepted}
    return RNNTagger(**params, embeddings=_embeddings(args.embeddings_spec),
                     verbose=int(args.verbose > 0))


def train(args):
    """Fit the tagger, print its summary, save it."""
    out = writable_path(args.out, "--out")
    X, y = read_tagged(args)
    tagger = make_tagger(args)
    n_tags = len({tag for tags in y for tag in tags})
    note(args, f"training on {len(X)} sentences ({sum(map(len, X))} tokens, "
               f"{n_tags} tags) ...")
    fit_and_save(args, tagger, X, y, out)


def predict(args):
    """Write a copy of ``--data`` with the predicted tags in its tag column."""
    out = "-" if args.out in (None, "-") else writable_path(args.out, "--out")
    tagger = load_model(args.model, "tagger", args.device)
    source = path, data_format, column = _source(args)
    X, placeholders = read_tagged(args, source, tags=False)
    if data_format == "conll" and X == placeholders:
        raise UsageError(
            f"argument --tag-column: in {str(path)!r} the tag column {column} is "
            f"the word column; give each line a tag column to write into (e.g. "
            "'O'), or a --tag-column other than --word-column")
    tags = tagger.predict(X)
    try:
        write_tagged(path, tags, out, format=data_format, column=column)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"argument --data: {exc}") from None
    if out != "-":
        note(args, f"wrote the tags of {len(X)} sentences to {str(out)!r}")


def evaluate(args):
    """Print the token accuracy and the per-tag (or per-entity) report."""
    tagger = load_model(args.model, "tagger", args.device)
    X, y = read_tagged(args)
    _check_known_tags(y, tagger.classes_)
    y_pred = tagger.predict(X)
    n_tokens = sum(map(len, y))
    print(f"token accuracy: {token_accuracy_score(y, y_pred):.4f} ({n_tokens} "
          f"tokens in {len(y)} sentences)")
    print(_unknown_word_accuracy(tagger, X, y, y_pred) + "\n")
    true = [tag for tags in y for tag in tags]
    if _is_bio(true):
        _print_entity_report(args, y, y_pred)
    else:
        pred = [tag for tags in y_pred for tag in tags]
        print(classification_report(true, pred, digits=4, zero_division=0))


def _check_known_tags(y, classes):
    tags = list(dict.fromkeys(tag for sentence in y for tag in sentence))
    if not np.isin(tags, classes).any():
        raise UsageError(
            f"argument --tag-column: no tag of --data ({', '.join(map(repr, tags[:5]))}"
            f"{', ...' if len(tags) > 5 else ''}) is a tag of the model "
            f"({', '.join(map(repr, classes[:5].tolist()))}"
            f"{', ...' if len(classes) > 5 else ''})")


def _unknown_word_accuracy(tagger, X, y, y_pred):
    """Accuracy on the tokens that the tagger looks up as unknown words."""
    # The tagger looks words up lower-cased when lowercase=True; its vocabulary
    # holds the words of its training sentences (not the validation split).
    vocabulary = set(tagger.vocabulary_.tolist())
    hits = [t == p for words, true, pred in zip(X, y, y_pred, strict=True)
            for word, t, p in zip(words, true, pred, strict=True)
            if (word.lower() if tagger.lowercase else word) not in vocabulary]
    if not hits:
        return "unknown words:  none (every token is in the model's vocabulary)"
    return (f"unknown words:  {np.mean(hits):.4f} ({len(hits)} "
            f"token{'s' * (len(hits) != 1)} not in the model's vocabulary)")


def _is_bio(tags):
    return any(tag != "O" for tag in tags) and all(
        tag == "O" or tag.startswith(("B-", "I-")) for tag in tags)


def _print_entity_report(args, y, y_pred):
    try:
        report = entity_classification_report(y, y_pred, digits=4)
    except ImportError:
        note(args, "note: the tags are BIO tags, but entity precision, recall and "
                   "F1 need seqeval: pip install seqeval")
        return
    micro = entity_classification_report(y, y_pred, output_dict=True)["micro avg"]
    print(f"entity F1: {micro['f1-score']:.4f} (precision {micro['precision']:.4f}, "
          f"recall {micro['recall']:.4f}, {micro['support']} entities)\n")
    print(report)
