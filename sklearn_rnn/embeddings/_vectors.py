"""WordVectors: pretrained word vectors, and their alignment to a vocabulary.

numpy only: no torch, no gensim (the readers in ``_io`` use gensim).
"""

import re

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["MISSING_VECTOR_INITS", "SavedWordVectors", "WordVectors"]

MISSING_VECTOR_INITS = ("random", "zeros", "mean")

# Vector sets tokenize clitics apart (GloVe and word2vec: "do" + "n't", "it" +
# "'s"), while TextVectorizer keeps "don't" whole; such a token missing from the
# vectors gets the mean of its parts' vectors.
_CLITIC = re.compile(r"(?=n't$)|(?<!n)(?='(?:s|re|ve|ll|d|m)$)", re.IGNORECASE)


class WordVectors:
    """A table of word vectors: ``words[i]`` has the vector ``vectors[i]``.

    Pass it as the ``embeddings`` parameter of :class:`~sklearn_rnn.RNNTextClassifier`
    or :class:`~sklearn_rnn.RNNTextRegressor` inside a raw-text pipeline: each fit
    aligns the vectors to the vocabulary that fit's :class:`~sklearn_rnn.TextVectorizer`
    learned, so cross-validation never sees held-out words. Load one with
    :func:`load_word_vectors`, :func:`fetch_word_vectors` or
    :func:`load_glove_6b_50d`.

    Parameters
    ----------
    words : sequence of str of length n_words
        Distinct words.
    vectors : array-like of shape (n_words, dim)
        Finite float vectors, one row per word.
    name : str, default=None
        Where the vectors come from, shown in ``repr`` and kept in model files.

    Attributes
    ----------
    words : ndarray of object (str) of shape (n_words,)
    vectors : ndarray of float32 of shape (n_words, dim)
    name : str or None

    Examples
    --------
    >>> from sklearn_rnn.embeddings import WordVectors
    >>> wv = WordVectors(["good", "bad"], [[1.0, 0.0], [0.0, 1.0]], name="toy")
    >>> wv
    WordVectors('toy', n_words=2, dim=2)
    >>> matrix, found = wv.align(["", "[UNK]", "good", "Bad", "meh"],
    ...                          missing="zeros")
    >>> matrix
    array([[0., 0.],
           [0., 0.],
           [1., 0.],
           [0., 1.],
           [0., 0.]], dtype=float32)
    >>> found
    array([False, False,  True,  True, False])
    """

    def __init__(self, words, vectors, *, name=None):
        self.words, self.vectors = _checked_table(words, vectors)
        # read-only, so one table can be shared instead of copied (see below)
        self.words.flags.writeable = self.vectors.flags.writeable = False
        self.name = name
        self._index = None

    def __deepcopy__(self, memo):
        # clone() deep-copies parameters for every fold and grid point; a
        # read-only table of millions of vectors is shared instead
        return self

    def __copy__(self):
        return self

    @property
    def dim(self):
        """Length of a vector."""
        return self.vectors.shape[1]

    def __len__(self):
        return len(self.words)

    def __contains__(self, word):
        return word in self.index

    def __repr__(self):
        return (f"WordVectors({self.name!r}, n_words={len(self)}, "
                f"dim={self.dim})")

    @property
    def index(self):
        """Dict of word to row, built on first use."""
        if self._index is None:
            self._index = {word: row for row, word in enumerate(self.words.tolist())}
        return self._index

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_index"] = None  # rebuilt on first use; not worth pickling
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.words.flags.writeable = self.vectors.flags.writeable = False

    def __eq__(self, other):
        if not isinstance(other, WordVectors):
            return NotImplemented
        return (self.name == other.name and np.array_equal(self.words, other.words)
                and np.array_equal(self.vectors, other.vectors))

    __hash__ = None

    def lookup(self, token):
        """The vector of ``token``, or None.

        Tried in order: the token itself, its lower-case, capitalised and
        upper-case forms (cased and uncased vector sets both match a lower-cased
        vocabulary), then the mean of its clitic parts ("don't" -> "do", "n't").
        """
        index = self.index
        for form in (token, token.lower(), token.capitalize(), token.upper()):
            row = index.get(form)
            if row is not None:
                return self.vectors[row]
        parts = [part for part in _CLITIC.split(token) if part]
        if len(parts) > 1:
            rows = [index.get(part, index.get(part.lower())) for part in parts]
            if all(row is not None for row in rows):
                return self.vectors[rows].mean(axis=0)
        return None

    def align(self, tokens, *, missing="random", random_state=None):
        """Embedding matrix whose row ``i`` is the vector of ``tokens[i]``.

        Parameters
        ----------
        tokens : sequence of str
            Token of every id, as ``TextVectorizer.get_feature_names_out()``
            gives it; id 0 (padding, ``''``) always gets a row of zeros.
        missing : {'random', 'zeros', 'mean'}, default='random'
            What rows of tokens without a vector (and of the unknown-word id)
            start as: drawn from a normal distribution with the per-dimension
            mean and standard deviation of the found vectors, zeros, or the mean
            found vector.
        random_state : int, RandomState instance or None, default=None
            Seed of the ``'random'`` rows.

        Returns
        -------
        matrix : ndarray of float32 of shape (len(tokens), dim)
        found : ndarray of bool of shape (len(tokens),)
            Which rows hold a pretrained vector.
        """
        if missing not in MISSING_VECTOR_INITS:
            raise ValueError(
                f"missing must be one of {MISSING_VECTOR_INITS}; got {missing!r}."
            )
        _check_tokens(tokens)
        matrix = np.zeros((len(tokens), self.dim), dtype=np.float32)
        found = np.zeros(len(tokens), dtype=bool)
        for row, token in enumerate(tokens):
            vector = self.lookup(token) if row and token else None
            if vector is not None:
                matrix[row], found[row] = vector, True
        fill = ~found
        fill[:1] = False  # padding stays zero
        reference = matrix[found] if found.any() else self.vectors
        if missing == "mean":
            matrix[fill] = reference.mean(axis=0)
        elif missing == "random":
            rng = check_random_state(random_state)
            matrix[fill] = rng.normal(reference.mean(axis=0), reference.std(axis=0),
                                      size=(int(fill.sum()), self.dim))
        return matrix, found


class SavedWordVectors:
    """Stands for the :class:`WordVectors` a loaded model was trained with.

    A model file keeps the aligned embedding rows (in the weights), not the
    vector set; refitting needs the vectors again (``set_params(embeddings=...)``).
    """

    def __init__(self, name, n_words, dim):
        self.name, self.n_words, self.dim = name, n_words, dim

    def __len__(self):
        return self.n_words

    def __repr__(self):
        return (f"SavedWordVectors({self.name!r}, n_words={self.n_words}, "
                f"dim={self.dim})")

    def __eq__(self, other):
        return isinstance(other, SavedWordVectors) and vars(self) == vars(other)

    __hash__ = None


def _check_tokens(tokens):
    if isinstance(tokens, str | bytes) or not hasattr(tokens, "__len__"):
        what = "not a str" if isinstance(tokens, str) else f"got {tokens!r}"
        raise TypeError(f"tokens must be a sequence of str, {what}.")
    for i, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(
                f"tokens[{i}] is {token!r} of type {type(token).__name__}; tokens must "
                "be str, as TextVectorizer.get_feature_names_out() gives them."
            )


def _checked_table(words, vectors):
    """``words`` as a str array and ``vectors`` as finite float32, or a clear error."""
    if isinstance(words, str | bytes):
        # a str is a sequence of one-letter words
        raise TypeError(f"words must be a sequence of str, not a str; got {words!r}.")
    words = np.asarray(list(words), dtype=object)
    if len(words) == 0:
        raise ValueError("WordVectors needs at least one word; got none.")
    if not all(isinstance(word, str) for word in words):
        bad = next(w for w in words if not isinstance(w, str))
        raise TypeError(f"words must be str; got {bad!r} of type {type(bad).__name__}.")
    vectors = np.asarray(vectors)
    if vectors.ndim != 2 or not np.issubdtype(vectors.dtype, np.number):
        raise ValueError(
            "vectors must be a 2-D numeric array of shape (n_words, dim); got shape "
            f"{vectors.shape} and dtype {vectors.dtype}."
        )
    if np.issubdtype(vectors.dtype, np.complexfloating):
        raise ValueError(
            f"vectors must be real numbers; got dtype {vectors.dtype}."
        )
    if vectors.shape[0] != len(words) or vectors.shape[1] < 1:
        raise ValueError(
            f"vectors has shape {vectors.shape} but there are {len(words)} words; "
            "expected one row per word and at least one column."
        )
    with np.errstate(over="ignore"):  # beyond float32: inf, refused below
        vectors = np.array(vectors, dtype=np.float32)  # our own (read-only) copy
    if not np.isfinite(vectors).all():
        row = int(np.flatnonzero(~np.isfinite(vectors).all(axis=1))[0])
        raise ValueError(
            f"vectors must be finite; the vector of word {words[row]!r} (row {row}) "
            "holds NaN or infinity (or a value beyond the float32 range)."
        )
    if len(set(words.tolist())) != len(words):
        seen, repeated = set(), None
        for word in words.tolist():
            if word in seen:
                repeated = word
                break
            seen.add(word)
        raise ValueError(f"words must be distinct; {repeated!r} appears twice.")
    return words, vectors
