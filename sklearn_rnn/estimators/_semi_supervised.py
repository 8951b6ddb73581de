"""Unlabelled rows in a text model's ``fit`` and the encoder pretraining they feed.

A text model with something that learns from texts alone -- the language-model
pretraining of ``pretrain``, self-learned word vectors (``embeddings=
'word2vec'``) -- is a semi-supervised estimator: as in ``sklearn.semi_supervised``
its ``y`` marks unlabelled rows (label -1, or all-NaN regression targets; see
``utils._checks._unlabelled``), whose texts reach only those parts. The
supervised loss, the classes, the early-stopping split and ``score`` see the
labelled rows only.
"""

import numpy as np
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_rnn.embeddings import Word2VecEmbeddings
from sklearn_rnn.estimators._pretrainer import ENCODER_ARCHITECTURE, EncoderPretrainer
from sklearn_rnn.utils._checks import fill_rows, take_rows
from sklearn_rnn.utils._validation import describe

__all__ = ["LabelledRows", "check_pretrain_param", "fitted_pretrainer",
           "labelled_rows", "learns_from_texts"]


class LabelledRows:
    """The rows of ``fit``'s input that carry a target (``mask``), and those
    rows of ``X``, ``y`` and ``sample_weight``; ``unlabelled`` holds the ids of
    the other rows."""

    def __init__(self, X, y, sample_weight, mask):
        self.mask = mask
        self.X, self.y = X[mask], take_rows(y, mask)
        self.sample_weight = (None if sample_weight is None
                              else take_rows(sample_weight, mask))
        self.unlabelled = X[~mask]


def learns_from_texts(model):
    """Whether ``model`` is semi-supervised: ``pretrain`` or self-learned
    vectors learn from texts alone. Only then does ``y`` mark unlabelled rows;
    otherwise -1 is a class and NaN a faulty target, as in any estimator (and
    scikit-learn's estimator checks, which fit labels -1 and 1)."""
    return model.pretrain is not None or _self_learned_vectors(model)


def labelled_rows(model, X, y, sample_weight):
    """Split ``fit``'s input into labelled and unlabelled rows (see the module
    docstring); every row is labelled unless ``learns_from_texts(model)``."""
    mask = model._task.labelled_rows(y) if learns_from_texts(model) else None
    if mask is None or len(mask) != len(X):
        mask = np.ones(len(X), dtype=bool)  # the target checks name the problem
    rows = LabelledRows(X, y, sample_weight, mask)
    n_unlabelled = int((~mask).sum())
    owner = type(model).__name__
    if n_unlabelled == len(X):
        raise ValueError(
            f"y marks all {len(X)} samples as unlabelled "
            f"({model._task.unlabelled_mark}); {owner} needs labelled samples to "
            "learn from.")
    if n_unlabelled:
        # checked in place, so that a message names the sample by its row in y
        model._task.check_targets(fill_rows(y, ~mask, np.flatnonzero(mask)[0]), owner)
        model._task.check_unlabelled(rows.y, owner)
    return rows


def _self_learned_vectors(model):
    embeddings = model.embeddings
    return (isinstance(embeddings, str) and embeddings == "word2vec"
            or isinstance(embeddings, Word2VecEmbeddings))


def check_pretrain_param(model):
    """The :class:`EncoderPretrainer` of ``model.pretrain`` (unwrapped from a
    ``FrozenEstimator``), or None; anything else is refused."""
    pretrain = model.pretrain
    if isinstance(pretrain, FrozenEstimator):
        pretrain = pretrain.estimator
        if isinstance(pretrain, EncoderPretrainer) and not hasattr(pretrain, "net_"):
            raise ValueError(
                "pretrain: the EncoderPretrainer inside the FrozenEstimator is "
                "not fitted, and a FrozenEstimator is never fitted; fit it first, "
                "or pass the EncoderPretrainer itself to pretrain in fit.")
    if pretrain is None or isinstance(pretrain, EncoderPretrainer):
        if pretrain is not None and model.freeze_embeddings:
            raise ValueError(
                "pretrain trains the embedding layer, which freeze_embeddings=True "
                "keeps fixed; use one of them.")
        return pretrain
    raise InvalidParameterError(
        f"The 'pretrain' parameter of {type(model).__name__} must be None, an "
        "EncoderPretrainer or a FrozenEstimator of a fitted one; got "
        f"{describe(model.pretrain)}.")


def fitted_pretrainer(model, pretrainer, texts, vocab_size, rows, seed):
    """``pretrainer`` itself when fitted (checked to fit ``model``), else a
    clone with ``model``'s architecture fitted on ``texts`` (every row of
    ``fit``'s ``X``), starting from the embedding ``rows``."""
    if hasattr(pretrainer, "net_"):
        _check_reusable(model, pretrainer, vocab_size)
        return pretrainer
    fresh = clone(pretrainer).set_params(
        **{name: getattr(model, name) for name in ENCODER_ARCHITECTURE},
        embedding_dim=model.embedding_width_, vocab_size=vocab_size,
        device=model.device_, precision=model.precision_, n_threads=model.n_threads,
    )
    if fresh.random_state is None:
        fresh.set_params(random_state=seed)
    if fresh.verbose == 0:
        fresh.set_params(verbose=model.verbose)
    return fresh.fit(texts, embeddings=rows)


def _check_reusable(model, pretrainer, vocab_size):
    """A fitted pretrainer's weights must have the shapes of ``model``'s."""
    owner = type(model).__name__
    wanted = {name: getattr(model, name) for name in ENCODER_ARCHITECTURE}
    wanted["embedding_dim"] = model.embedding_width_
    got = {name: getattr(pretrainer, name) for name in ENCODER_ARCHITECTURE}
    got["embedding_dim"] = pretrainer.embedding_width_
    for name, value in wanted.items():
        if got[name] != value:
            raise ValueError(
                f"pretrain: the fitted EncoderPretrainer has {name}="
                f"{got[name]!r}, but {owner} has {name}={value!r}; the encoder "
                "weights must have the same shapes. Set them alike, or pass an "
                "unfitted EncoderPretrainer to pretrain in fit.")
    if pretrainer.vocab_size_ != vocab_size:
        raise ValueError(
            f"pretrain: the fitted EncoderPretrainer has vocab_size_="
            f"{pretrainer.vocab_size_}, but {owner} has {vocab_size} ids. Both "
            "need the same TextVectorizer (fit it once, e.g. on all texts, and "
            "freeze it with sklearn.frozen.FrozenEstimator in a pipeline).")
