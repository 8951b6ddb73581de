"""Input checks of the text estimators: token-id arrays, targets, embeddings.

scikit-learn's own checks (``check_array``, ``check_classification_targets``) do
the work wherever their messages say what went wrong. The helpers here cover
what they cannot say for this kind of input: that raw text needs a
``TextVectorizer`` first, that a ragged list needs a ``SequencePadder``, which
row holds a bad id, which sample lacks a target. Class labels and sample or
class weights, which the torch-free baselines check too, are checked in
``sklearn_rnn.utils._validation``. ``owner`` is the estimator's class name, used
in messages.
"""

import numbers
import warnings

import numpy as np
from sklearn.utils.validation import _num_samples, check_array

from sklearn_rnn._ids import PAD_ID, UNKNOWN_ID
from sklearn_rnn.exceptions import UnseenTokenWarning
from sklearn_rnn.utils._validation import (
    check_label_kinds,
    check_no_missing_labels,
    describe,
    plain,
    user_stacklevel,
)

__all__ = [
    "check_embeddings",
    "check_ids_below",
    "check_inferred_vocab_size",
    "check_labels",
    "check_n_samples",
    "check_regression_targets",
    "check_tokens",
    "standardisation",
    "unseen_ids_as_unknown",
]


# ------------------------------------------------------------------ token ids
INT64_MAX = np.iinfo(np.int64).max


def check_tokens(X, owner):
    """``X`` as a 2-D int64 array of token ids >= 0, or a clear error.

    The range is checked in ``X``'s own dtype before the cast to int64, where a
    uint64 id above the int64 range would wrap to a negative one. Floats are
    refused even when whole (``3.0``): token ids come as integers from
    ``SequencePadder``, and a float matrix is more likely features than ids; the
    message says how to convert one that does hold ids.
    """
    X = _check_2d_ids(X, owner)
    _refuse_complex(X, "X must contain integer token ids")
    X = check_array(X, dtype=None, ensure_2d=True, ensure_min_features=1,
                    input_name="X")
    X = _integer_ids(X, owner)
    if X.size and X.min() < 0:
        row, column = np.unravel_index(np.argmin(X), X.shape)
        _refuse_negative(X.min(), row, column, owner)
    return X.astype(np.int64, copy=False)


def _integer_ids(X, owner):
    """An integer array with every id in the int64 range, or a TypeError that
    says what the dtype of ``X`` is and how to get ids."""
    kind = X.dtype.kind
    if kind == "u" and X.dtype.itemsize == 8 and X.size and X.max() > INT64_MAX:
        row, column = np.unravel_index(np.argmax(X), X.shape)
        _refuse_too_large(X.max(), row, column)
    if kind in "iu":
        return X
    if kind == "O":
        return _object_ids(X, owner)
    detail = ""
    if kind == "f":
        fractional = X != np.round(X)
        if fractional.any():
            row, column = np.argwhere(fractional)[0]
            detail = (f" Row {row}, column {column} holds {X[row, column].item()!r}, "
                      "which is not a whole number.")
        else:
            detail = (" Its values are whole numbers: if they are token ids, pass "
                      "X.astype(np.int64).")
    elif kind == "b":
        detail = " A boolean array holds no token ids."
    elif kind in "US" and X.size:
        detail = f" It holds strings such as {X.flat[0].item()!r}."
    raise TypeError(
        f"X must contain integer token ids, got dtype {X.dtype}.{detail} Turn raw "
        "text into ids with TextVectorizer and SequencePadder."
    )


def _object_ids(X, owner):
    """An object array (a list of Python ints, a pandas frame of objects) as
    int64 ids, each checked as a Python int first."""
    for (row, column), value in np.ndenumerate(X):
        if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, numbers.Integral
        ):
            raise TypeError(
                f"X must contain integer token ids; row {row}, column {column} "
                f"holds {plain(value)!r} (a {type(plain(value)).__name__}). Turn raw "
                "text into ids with TextVectorizer and SequencePadder."
            )
    if not X.size:
        return X.astype(np.int64)
    flat = X.ravel()
    largest, smallest = int(np.argmax(flat)), int(np.argmin(flat))
    if flat[largest] > INT64_MAX:
        _refuse_too_large(flat[largest], *np.unravel_index(largest, X.shape))
    if flat[smallest] < 0:
        _refuse_negative(flat[smallest], *np.unravel_index(smallest, X.shape), owner)
    return X.astype(np.int64)


def _refuse_complex(data, what):
    """scikit-learn's error for complex data (its estimator checks expect it),
    saying which input holds it: check_array's message names none."""
    dtype = getattr(data, "dtype", None)
    if dtype is not None and dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {what}; got dtype {dtype}.")


def _refuse_negative(value, row, column, owner):
    raise ValueError(
        f"Negative values in data passed to {owner}: token ids must be >= 0 "
        f"(0 is padding); got {plain(value)} in row {row}, column {column}."
    )


def _refuse_too_large(value, row, column):
    raise ValueError(
        f"X contains the token id {plain(value)} in row {row}, column {column}, "
        f"beyond the range of token ids (at most {INT64_MAX}, the int64 range). "
        "Token ids index a vocabulary: make them with TextVectorizer and "
        "SequencePadder."
    )


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


# With vocab_size=None the embedding gets one row per id up to the largest one
# in X. Real vocabularies stay far below this (the largest pretrained vector
# sets hold a few million words); an id above it would ask torch for a table
# that cannot be allocated, or that fills the memory before training starts.
MAX_INFERRED_VOCAB = 2**24


def check_inferred_vocab_size(X, owner):
    """Refuse ids too large to size the embedding from (``vocab_size=None``),
    naming the largest id and where it is; ``X`` is checked by
    :func:`check_tokens`."""
    if X.size and X.max() >= MAX_INFERRED_VOCAB:
        row, column = np.unravel_index(np.argmax(X), X.shape)
        raise ValueError(
            f"X contains the token id {X.max()} in row {row}, column {column}. "
            f"With vocab_size=None, {owner} gives the embedding one row per id up "
            f"to the largest, and ids from {MAX_INFERRED_VOCAB} up are no "
            "vocabulary's: number the tokens with TextVectorizer, or set "
            "vocab_size if the ids are meant."
        )


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
    if X is None or isinstance(X, (dict, set, frozenset, numbers.Number)) or not (
        hasattr(X, "__len__") or hasattr(X, "shape") or hasattr(X, "__array__")
    ):
        raise TypeError(
            f"X must be a 2-D array of token ids of shape (n_samples, n_steps); got "
            f"{describe(X)}. {pipeline}."
        )
    if isinstance(X, (list, tuple)):
        try:
            X = _list_as_array(X)
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


def _list_as_array(X):
    """A list of id rows as numpy makes it, except that Python ints too large for
    int64 stay Python ints (numpy would turn them into inexact floats)."""
    array = np.asarray(X)
    if array.dtype.kind in "fO":
        objects = np.asarray(X, dtype=object)
        if objects.shape == array.shape and all(
            isinstance(value, numbers.Integral) and not isinstance(value, bool)
            for value in objects.flat
        ):
            return objects
    return array


def _check_finite(X):
    if isinstance(X, np.ndarray) and X.dtype.kind == "f" and not np.isfinite(X).all():
        row = np.flatnonzero(~np.isfinite(X).all(axis=1))[0]
        raise ValueError(
            f"Input X contains NaN or infinity (first in row {row}); token ids must "
            "be integers >= 0, with 0 for padding."
        )


# -------------------------------------------------------------------- targets
def check_n_samples(X, y, owner, noun):
    """Refuse a missing ``y``, one that is not a sequence of targets and one whose
    length differs from ``X``'s; ``noun`` names one entry of ``y`` in the message
    ('label', 'target')."""
    if y is None:
        raise ValueError(f"{owner} requires y to be passed, but the target y is None.")
    if isinstance(y, (str, bytes, dict, set, frozenset)) or not (
        hasattr(y, "__len__") or hasattr(y, "shape") or hasattr(y, "__array__")
    ) or getattr(y, "shape", None) == ():
        raise TypeError(
            f"y must hold one {noun} per sample of X, in order (a list, an array "
            f"or a pandas Series); got {describe(y)}."
        )
    n_y = _num_samples(y)
    if n_y != len(X):
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: X has "
            f"{len(X)} samples (rows) but y has {n_y} {noun}s; pass one {noun} "
            "per sample."
        )


def check_labels(y):
    """Refuse missing labels (NaN, None) and labels of mixed types, naming one.

    ``y`` has been through numpy already, which turns the ints of a list that
    also holds str into str; :func:`~sklearn_rnn.utils._validation.
    check_class_labels` reads the raw ``y`` and sees them.
    """
    check_no_missing_labels(y)
    check_label_kinds(y)


# Targets beyond this magnitude are refused: squaring their deviations from the
# mean (for the standard deviation) would overflow float64.
MAX_TARGET = 1e150


def check_regression_targets(y, owner):
    """``y`` as a float64 array of shape (n_samples,) or (n_samples, n_outputs) of
    finite numbers within +-``MAX_TARGET``; the error names the first bad
    sample."""
    _refuse_complex(y, f"{owner} predicts real numbers, so y must hold them")
    y = check_array(y, ensure_2d=False, dtype=None, ensure_all_finite=False,
                    input_name="y")
    y = _numeric_targets(y, owner)
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
    huge = (np.abs(rows) > MAX_TARGET).any(axis=1)
    if huge.any():
        sample = np.flatnonzero(huge)[0]
        value = rows[sample][np.abs(rows[sample]) > MAX_TARGET][0]
        raise ValueError(
            f"The target of sample {sample} is {value:.3g}, beyond +-{MAX_TARGET:g} "
            f"({huge.sum()} sample(s) in all), too large to standardise in float64. "
            "Rescale y (divide it by a power of ten, or take logs) and map the "
            "predictions back."
        )
    return y


def _numeric_targets(y, owner):
    """``y`` as float64; a ValueError naming the first target that is no real
    number (a str that is no number, None, a complex number, a date)."""
    kind = y.dtype.kind
    if kind in "biuf":
        return y.astype(np.float64, copy=False)
    flat = y.reshape(len(y), -1)
    bad = (0, flat[0, 0] if flat.size else None)
    if kind in "OUS":  # numbers written as text, as in a CSV, are read
        try:
            return y.astype(np.float64)
        except (TypeError, ValueError):
            bad = next((i, v) for i, row in enumerate(flat) for v in row
                       if not _is_float(v))
    # else complex (whose imaginary part a cast would drop), dates, records
    sample, value = bad
    raise ValueError(
        f"{owner} predicts numbers, so y must hold numbers (real ones): the target "
        f"of sample {sample} is {describe(value)}. For categories use "
        "RNNTextClassifier."
    )


def _is_float(value):
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def standardisation(y, sample_weight=None):
    """Weighted mean and standard deviation of each column of ``y``, without
    overflow or underflow at any magnitude.

    Each column is divided by its largest magnitude first, so the deviations are
    squared in [-2, 2]; ``y`` near 1e200 or 1e-200 gets a finite, non-zero
    scale. A column that is constant up to rounding gets scale 1, as in
    scikit-learn's ``StandardScaler``.

    Parameters
    ----------
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Finite targets.
    sample_weight : ndarray of shape (n_samples,), default=None
        Non-negative weights; None (or all 0) weighs every sample the same.

    Returns
    -------
    mean, scale : ndarray of shape (n_outputs,)
        float64; ``(y - mean) / scale`` has weighted mean 0 and standard
        deviation 1 (0 for a constant column).
    """
    y = np.asarray(y, dtype=np.float64)
    y = y.reshape(len(y), -1)
    weights = None
    if sample_weight is not None:
        weights = np.asarray(sample_weight, dtype=np.float64)
        largest_weight = weights.max(initial=0.0)
        weights = weights / largest_weight if largest_weight > 0 else None
    magnitude = np.abs(y).max(axis=0, initial=0.0)
    magnitude = np.where(magnitude > 0, magnitude, 1.0)
    unit = y / magnitude  # (n_samples, n_outputs) in [-1, 1]
    mean = np.average(unit, axis=0, weights=weights)
    spread = np.sqrt(np.average((unit - mean) ** 2, axis=0, weights=weights))
    # a constant column deviates from its mean by rounding errors only
    constant = spread <= 10 * np.finfo(np.float64).eps
    return mean * magnitude, np.where(constant, 1.0, spread * magnitude)


# ----------------------------------------------------------------- parameters
EMBEDDINGS_ALLOWED = ("None, 'word2vec', WordVectors, Word2VecEmbeddings or a 2-D "
                      "array of floats of shape (vocab_size, embedding_dim)")
LOAD_VECTORS = ("Load pretrained vectors first: embeddings=load_glove_6b_50d(), "
                "fetch_word_vectors(name) or load_word_vectors(path) from "
                "sklearn_rnn.embeddings.")


def check_embeddings(embeddings, vocab_size):
    """Pretrained ``embeddings`` as float32 with one row per id, or None."""
    if embeddings is None:
        return None
    rows = _embedding_rows(embeddings)
    if rows.shape[0] != vocab_size:
        raise ValueError(
            f"embeddings has {rows.shape[0]} rows but the vocabulary has "
            f"{vocab_size} ids; pass one row per id (row 0 for padding) and "
            "set vocab_size to match."
        )
    return rows


def _embedding_rows(embeddings):
    """An array-like ``embeddings`` as a 2-D float32 array of finite numbers; the
    error names the row, the column or the type that is wrong."""
    array = _embedding_array(embeddings)
    if array.dtype.kind in "US" or (
        array.dtype == object and any(isinstance(v, (str, bytes)) for v in array.flat)
    ):
        first = next(v for v in array.flat if isinstance(v, (str, bytes)))
        raise TypeError(
            f"embeddings holds strings (such as {plain(first)!r}); it must be "
            f"{EMBEDDINGS_ALLOWED}. {LOAD_VECTORS}"
        )
    if array.ndim != 2:
        raise ValueError(
            "embeddings must be a 2-D array of shape (vocab_size, embedding_dim); "
            f"got an array with shape {array.shape}."
        )
    if array.shape[1] == 0:
        raise ValueError(
            f"embeddings has 0 columns (shape {array.shape}); each row must hold "
            "the vector of its token id, embedding_dim >= 1 numbers."
        )
    if array.dtype == object:
        for (row, column), value in np.ndenumerate(array):
            if not isinstance(value, (numbers.Real, np.bool_)):
                raise TypeError(
                    f"embeddings must hold numbers; row {row}, column {column} is "
                    f"{describe(value)}."
                )
    elif array.dtype.kind not in "biuf":
        raise TypeError(
            f"embeddings must hold real numbers; got dtype {array.dtype}."
        )
    with np.errstate(over="ignore"):  # beyond float32's range: inf, refused below
        rows = np.ascontiguousarray(array, dtype=np.float32)
    bad = ~np.isfinite(rows).all(axis=1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"embeddings row {row} (the vector of token id {row}) holds NaN or "
            f"infinity, or a value beyond float32's range ({int(bad.sum())} such "
            "row(s) in all). Every vector must be finite: give ids without a "
            "vector zeros or small random values."
        )
    return rows


def _embedding_array(embeddings):
    """``embeddings`` as a numpy array (object for lists, keeping each value's
    type), refusing what is no array of rows."""
    if isinstance(embeddings, (str, bytes, dict, set, frozenset)) or not (
        hasattr(embeddings, "__len__") or hasattr(embeddings, "__array__")
    ) or type(embeddings).__module__.startswith("scipy.sparse"):
        hint = ""
        if isinstance(embeddings, dict):
            hint = (" For a dict of word -> vector use WordVectors(list(d), "
                    "list(d.values())).")
        elif type(embeddings).__module__.startswith("scipy.sparse"):
            hint = " Pass embeddings.toarray()."
        raise TypeError(
            f"embeddings must be {EMBEDDINGS_ALLOWED}; got {describe(embeddings)}."
            f"{hint}"
        )
    as_list = isinstance(embeddings, (list, tuple))
    array = np.asarray(embeddings, dtype=object if as_list else None)
    if array.dtype == object and array.ndim == 1 and any(
        isinstance(row, (list, tuple, np.ndarray)) for row in array
    ):
        lengths = [len(row) if hasattr(row, "__len__") else 0 for row in array]
        other = next((i for i, n in enumerate(lengths) if n != lengths[0]), 0)
        raise ValueError(
            f"embeddings rows have different lengths: row 0 has {lengths[0]} "
            f"values, row {other} has {lengths[other]}. Every row is the vector of "
            "one token id, embedding_dim numbers."
        )
    return array
