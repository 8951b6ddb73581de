"""Id sequences that remember the token of every id.

A pipeline's steps only pass data to each other. Pretrained word vectors must be
aligned to the vocabulary the vectorizer learned in *this* fit (under
cross-validation, the training fold's), so the vectorizer's output carries the
token of every id (``tokens``), the padder passes it on, and the model reads it
in ``fit``. The carriers behave as the plain list and array they extend.
"""

import numpy as np

__all__ = ["IdSequences", "TokenIdArray", "tokens_of"]


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
