"""Id sequences that remember the token of every id.

A pipeline's steps only pass data to each other. Pretrained word vectors must be
aligned to the vocabulary the vectorizer learned in *this* fit (under
cross-validation, the training fold's), so the vectorizer's output carries the
token of every id (``tokens``), the padder passes it on, and the model reads it
in ``fit``. The carriers behave as the plain list and array they extend.

Both transformers also share here which dtypes hold their ids exactly.
"""

import math

import numpy as np

__all__ = [
    "IdSequences", "TokenIdArray", "dtype_advice",
    "exact_id_range", "holds", "smallest_dtype_holding", "tokens_of",
]


class IdSequences(list):
    """A list of 1-D id arrays with ``tokens``: index ``i`` is the token of id ``i``."""

    def __init__(self, sequences, tokens):
        super().__init__(sequences)
        self.tokens = tokens

    def __reduce__(self):
        return type(self), (list(self), self.tokens)


class TokenIdArray(np.ndarray):
    """A 2-D id array with ``tokens``: index ``i`` is the token of id ``i``.

    Slices and copies keep ``tokens`` (the ids mean the same words).
    """

    def __new__(cls, array, tokens):
        obj = np.asarray(array).view(cls)
        obj.tokens = tokens
        return obj

    def __array_finalize__(self, obj):
        self.tokens = getattr(obj, "tokens", None)

    def __array_wrap__(self, array, context=None, return_scalar=False):
        # arithmetic and reductions give plain arrays and scalars: only the
        # ids themselves (slices, copies) mean the tokens
        array = np.asarray(array).view(np.ndarray)
        return array[()] if return_scalar else array

    def __reduce__(self):
        return TokenIdArray, (np.asarray(self), self.tokens)


def tokens_of(X):
    """The ``tokens`` that ``X`` carries, or None."""
    return getattr(X, "tokens", None)


# --- the dtypes of id arrays -------------------------------------------------
# Candidates suggested when a dtype cannot hold the ids, smallest first.
_SIGNED = tuple(map(np.dtype, (np.int8, np.int16, np.int32, np.int64)))
_UNSIGNED = tuple(map(np.dtype, (np.uint8, np.uint16, np.uint32, np.uint64)))
_FLOATS = tuple(map(np.dtype, (np.float16, np.float32, np.float64)))


def exact_id_range(dtype):
    """The range ``(low, high)`` in which ``dtype`` holds every integer exactly.

    For an integer dtype that is its whole range; a float dtype with an ``m``-bit
    mantissa holds every integer only up to ``2**(m + 1)`` in magnitude (2048 for
    float16, ``2**24`` for float32): beyond, neighbouring ids round to one value.
    """
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return int(info.min), int(info.max)
    limit = 2 ** (np.finfo(dtype).nmant + 1)
    return -limit, limit


def holds(dtype, low, high):
    """True if ``dtype`` holds every id in ``[low, high]`` exactly.

    Fractional ids are truncated by an integer dtype (as in Keras), so only
    their integer part must fit.
    """
    dtype_low, dtype_high = exact_id_range(dtype)
    if np.dtype(dtype).kind in "iu":
        low, high = math.trunc(low), math.trunc(high)
    return dtype_low <= low and high <= dtype_high


def smallest_dtype_holding(low, high, like):
    """The smallest dtype that holds ``[low, high]``, or None; of the kind of
    ``like`` if one does.

    Floats come first for a float ``like``, unsigned integers for an unsigned
    one; signed integers before unsigned ones otherwise (the models read
    signed ids), which hold the largest ids.
    """
    kind = np.dtype(like).kind
    candidates = {"f": _FLOATS + _SIGNED + _UNSIGNED, "u": _UNSIGNED + _SIGNED}.get(
        kind, _SIGNED + _UNSIGNED)
    return next((dtype for dtype in candidates if holds(dtype, low, high)), None)


def dtype_advice(low, high, like):
    """``"dtype=np.int16 is the smallest integer dtype that holds them"``, or why
    no dtype can, for ids in ``[low, high]``."""
    dtype = smallest_dtype_holding(low, high, like)
    if dtype is None:
        return ("no dtype holds them; ids index a vocabulary, so they are small "
                "non-negative integers")
    return f"dtype=np.{dtype.name} is the smallest {_kind_name(dtype)} that holds them"


def _kind_name(dtype):
    return {"i": "integer dtype", "u": "unsigned dtype", "f": "float dtype"}[
        dtype.kind]
