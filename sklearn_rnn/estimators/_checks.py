"""Input checks of the text estimators: token-id arrays, targets, embeddings.

scikit-learn's own checks (``check_array``, ``column_or_1d``,
``check_classification_targets``, ``_check_sample_weight``) do the work wherever
their messages say what went wrong. The helpers here cover what they cannot say
for this kind of input: that raw text needs a ``TextVectorizer`` first, that a
ragged list needs a ``SequencePadder``, which row holds a bad id, which sample
lacks a target. ``owner`` is the estimator's class name, used in messages.
"""

import numbers
import warnings

import numpy as np
from sklearn.utils.validation import _num_samples, check_array

from sklearn_rnn._ids import PAD_ID, UNKNOWN_ID
from sklearn_rnn.exceptions import UnseenTokenWarning
from sklearn_rnn.utils._validation import user_stacklevel

__all__ = [
    "check_embeddings",
    "check_ids_below",
    "check_labels",
    "check_n_samples",
    "check_regression_targets",
    "check_tokens",
    "unseen_ids_as_unknown",
]


# ------------------------------------------------------------------ token ids
def check_tokens(X, owner):
    """``X`` as a 2-D int64 array of token ids >= 0, or a clear error."""
    X = _check_2d_ids(X, owner)
    X = check_array(X, dtype=None, ensure_2d=True, ensure_min_features=1,
                    input_name="X")
    if not np.issubdtype(X.dtype, np.integer):
        raise TypeError(
            f"X must contain integer token ids, got dtype {X.dtype}. Turn raw "
            "text into ids with TextVectorizer and SequencePadder."
        )
    if X.size and X.min() < 0:
        row, column = np.unravel_index(np.argmin(X), X.shape)
        raise ValueError(
            f"Negative values in data passed to {owner}: token ids must be >= 0 "
            f"(0 is padding); got {X.min()} in row {row}, column {column}."
        )
    return X.astype(np.int64, copy=False)


# Token ids at or above the range seen in fit (``vocab_size_``) are words the
# model never saw. A few are normal in a cross-validated pipeline: the vectorizer
# knows the rare words that padding cut from the training fold, and as ids go by
# frequency these are the highest. Many of them, or ids far above the range
# (which would need the rarer half of the vocabulary to be missing from
# training), mean the ids come from another vocabulary. A handful of unseen ids
# in one short text says little, whatever its share.
UNSEEN_WARN_SHARE = 0.05  # of the non-padding ids of one call
UNSEEN_ERROR_SHARE = 0.5
UNSEEN_MIN_COUNT = 10
UNSEEN_FAR_FACTOR = 2  # an id >= 2 * vocab_size_ is far outside the range


def unseen_ids_as_unknown(X, vocab_size, owner):
    """Ids the model never saw in training read as the unknown-word id: silently
    when they are few or a small share and near the range, with an
    ``UnseenTokenWarning`` (one per call, with counts) when they are many or far
    above it, and a ``ValueError`` when most ids are unseen."""
    if not X.size or X.max() < vocab_size:
        return X
    unseen = X >= vocab_size
    n_unseen, n_tokens = int(unseen.sum()), int((X != PAD_ID).sum())
    share, largest = n_unseen / n_tokens, int(X.max())
    counts = (f"{n_unseen} of the {n_tokens} non-padding token ids in X "
              f"({share:.1%}) are >= vocab_size_={vocab_size}, the id range "
              f"{owner} saw in fit (the largest is {largest})")
    far = largest >= UNSEEN_FAR_FACTOR * vocab_size
    if share > UNSEEN_ERROR_SHARE and (far or n_unseen >= UNSEEN_MIN_COUNT):
        raise ValueError(
            f"{counts}: these ids do not come from the vocabulary the model was "
            "trained on. Turn the texts into ids with the vectorizer fitted with "
            "the model (predict with the whole pipeline), or refit."
        )
    if far or (share > UNSEEN_WARN_SHARE and n_unseen >= UNSEEN_MIN_COUNT):
        warnings.warn(
            f"{counts}; they are read as the unknown-word id {UNKNOWN_ID}. A few "
            "ids just above the range are normal (rare words that padding cut "
            "from the training data); these suggest ids from another vocabulary "
            "than the model's. Check that the same fitted vectorizer makes the "
            "training and the prediction ids.",
            UnseenTokenWarning, stacklevel=user_stacklevel(),
        )
    return np.where(unseen, UNKNOWN_ID, X)


def check_ids_below(X, vocab_size):
    """Refuse ids outside ``[0, vocab_size)``, naming the row."""
    if X.size and X.max() >= vocab_size:
        row = np.unravel_index(np.argmax(X), X.shape)[0]
        raise ValueError(
            f"X contains token id {X.max()}, outside the vocabulary [0, "
            f"{vocab_size}), in row {row}. Set vocab_size (e.g. to the vectorizer's "
            "max_features) or refit on data covering every id."
        )


def _check_2d_ids(X, owner):
    """Refuse raw text, ragged lists and arrays that are not 2-D with a message
    that says how to get a 2-D array of token ids."""
    pipeline = (f"Put TextVectorizer and SequencePadder in front of it "
                f"(make_pipeline(TextVectorizer(), SequencePadder(), {owner}()))")
    if isinstance(X, (str, bytes)):
        raise TypeError(
            f"X is a single string; {owner} expects a 2-D array of token ids. "
            f"{pipeline}."
        )
    if isinstance(X, (list, tuple)):
        try:
            X = np.asarray(X)
        except ValueError:
            raise ValueError(
                "X is a list of sequences of different lengths (or of items that are "
                f"not sequences); {owner} expects a 2-D array of token ids. Pad the "
                "sequences with SequencePadder first."
            ) from None
    shape = getattr(X, "shape", None)
    if shape is None:
        return X
    if len(shape) == 2:
        _check_finite(X)
        return X
    if len(shape) == 1 and getattr(X, "dtype", None) is not None and (
        X.dtype.kind in "USO" and any(isinstance(item, str) for item in X[:1])
    ):
        raise TypeError(
            f"X contains raw text documents; {owner} expects a 2-D array of token "
            f"ids. {pipeline}."
        )
    if len(shape) == 1:
        raise ValueError(
            "X must be a 2-D array of token ids of shape (n_samples, n_steps); got a "
            f"1-D array with shape {shape}. Reshape your data with X.reshape(1, -1) "
            "if it is a single sequence, or pad a list of sequences with "
            "SequencePadder."
        )
    raise ValueError(
        "X must be a 2-D array of token ids of shape (n_samples, n_steps); got an "
        f"array with dim {len(shape)} (shape {shape})."
    )


def _check_finite(X):
    if isinstance(X, np.ndarray) and X.dtype.kind == "f" and not np.isfinite(X).all():
        row = np.flatnonzero(~np.isfinite(X).all(axis=1))[0]
        raise ValueError(
            f"Input X contains NaN or infinity (first in row {row}); token ids must "
            "be integers >= 0, with 0 for padding."
        )


# -------------------------------------------------------------------- targets
def check_n_samples(X, y, owner, noun):
    """Refuse a missing ``y`` and one whose length differs from ``X``'s; ``noun``
    names one entry of ``y`` in the message ('label', 'target')."""
    if y is None:
        raise ValueError(f"{owner} requires y to be passed, but the target y is None.")
    n_y = _num_samples(y)
    if n_y != len(X):
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: X has "
            f"{len(X)} samples (rows) but y has {n_y} {noun}s; pass one {noun} "
            "per sample."
        )


def check_labels(y):
    """Refuse missing labels (NaN, None) and labels of mixed types, naming one."""
    if y.dtype.kind == "f":
        missing = np.flatnonzero(np.isnan(y))
    elif y.dtype == object:
        missing = [i for i, label in enumerate(y)
                   if label is None or (isinstance(label, float) and label != label)]
    else:
        return
    if len(missing):
        raise ValueError(
            f"Input y contains NaN or None: the label of sample {missing[0]} is "
            f"missing ({len(missing)} missing in all). Every sample needs a label; "
            "drop the unlabeled samples or give them a class."
        )
    kinds = {_label_kind(label) for label in y} if y.dtype == object else ()
    if len(kinds) > 1:
        raise TypeError(
            f"y mixes labels of types {sorted(kinds)}; the labels must be all str "
            "or all numbers. Convert them, e.g. with y.astype(str)."
        )


def _label_kind(label):
    if isinstance(label, str):
        return "str"
    return "number" if isinstance(label, numbers.Number) else type(label).__name__


def check_regression_targets(y, owner):
    """``y`` as a float64 array of shape (n_samples,) or (n_samples, n_outputs) of
    finite numbers; the error names the first bad sample."""
    y = check_array(y, ensure_2d=False, dtype=None, ensure_all_finite=False,
                    input_name="y")
    if y.dtype.kind not in "biuf":
        try:
            y = y.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{owner} predicts numbers, so y must hold numbers: {exc}. For "
                "categories use RNNTextClassifier."
            ) from None
    y = y.astype(np.float64, copy=False)
    rows = y.reshape(len(y), -1)
    bad_rows = ~np.isfinite(rows).all(axis=1)
    if bad_rows.any():
        sample = np.flatnonzero(bad_rows)[0]
        value = rows[sample][~np.isfinite(rows[sample])][0]
        raise ValueError(
            f"Input y contains {'NaN' if np.isnan(value) else 'infinity'}: the "
            f"target of sample {sample} is {value} ({bad_rows.sum()} sample(s) with "
            "a non-finite target in all). Targets must be finite numbers; drop or "
            "impute those samples."
        )
    return y


# ----------------------------------------------------------------- parameters
def check_embeddings(embeddings, vocab_size):
    """Pretrained ``embeddings`` as float32 with one row per id, or None."""
    if embeddings is None:
        return None
    shape = np.shape(embeddings)
    if len(shape) != 2:
        raise ValueError(
            "embeddings must be a 2-D array of shape (vocab_size, embedding_dim); "
            f"got an array with shape {shape}."
        )
    embeddings = check_array(embeddings, dtype=np.float32, input_name="embeddings")
    if embeddings.shape[0] != vocab_size:
        raise ValueError(
            f"embeddings has {embeddings.shape[0]} rows but the vocabulary has "
            f"{vocab_size} ids; pass one row per id (row 0 for padding) and "
            "set vocab_size to match."
        )
    return embeddings
