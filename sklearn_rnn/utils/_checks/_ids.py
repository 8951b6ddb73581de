"""Checks of token-id arrays: 2-D, integer, in range, from the model's vocabulary."""

import numbers
import warnings

import numpy as np
from sklearn.utils.validation import check_array

from sklearn_rnn._ids import PAD_ID, UNKNOWN_ID
from sklearn_rnn.exceptions import UnseenTokenWarning
from sklearn_rnn.utils._validation import describe, plain, user_stacklevel

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
    refuse_complex(X, "X must contain integer token ids")
    X = check_array(X, dtype=None, ensure_2d=True, ensure_min_features=1,
                    input_name="X", estimator=owner)
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


def refuse_complex(data, what):
    """scikit-learn's error for complex data (its estimator checks expect it),
    saying which input holds it: check_array's message names none."""
    dtype = getattr(data, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind == "c":
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
    _refuse_sparse_or_masked(X, owner, pipeline)
    if hasattr(X, "isna") and hasattr(X, "dtypes"):
        X = _frame_ids(X)
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


def _refuse_sparse_or_masked(X, owner, pipeline):
    """A sparse matrix is more likely word counts than ids, and numpy reads a
    masked array's data whatever its mask."""
    if type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(
            f"X is a sparse matrix, such as CountVectorizer's word counts; {owner} "
            f"reads each text as a sequence of token ids. {pipeline}."
        )
    if isinstance(X, np.ma.MaskedArray) and np.ma.is_masked(X):
        raise TypeError(
            "X is a masked array with masked entries, which numpy would read as "
            "the ids under the mask; give them the padding id 0: X.filled(0)."
        )


def _frame_ids(X):
    """A pandas DataFrame of ids as numpy holds them: its nullable integer
    columns (``Int64``) as integers, not the floats numpy would make of them,
    and a missing id named by row and column."""
    missing = np.asarray(X.isna())
    if missing.any():
        row, column = np.argwhere(missing)[0]
        raise ValueError(
            f"X holds a missing value (NA) in row {row}, column {column}; every "
            "position holds a token id, 0 for padding: X.fillna(0)."
        )
    numpy_dtypes = [getattr(dtype, "numpy_dtype", dtype) for dtype in X.dtypes]
    if all(isinstance(d, np.dtype) and d.kind in "iu" for d in numpy_dtypes):
        return X.to_numpy(dtype=np.result_type(*numpy_dtypes))
    return X


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
