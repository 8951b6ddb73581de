"""Checks of pretrained embedding rows given as an array."""

import numbers

import numpy as np

from sklearn_rnn.utils._validation import describe, plain

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
