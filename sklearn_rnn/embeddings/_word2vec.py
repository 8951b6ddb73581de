"""Word2VecEmbeddings: word vectors learned from the texts a fit receives.

Trained with gensim's ``Word2Vec`` on the token-id sequences themselves (an id is
a word), so no file, no network and no vocabulary hand-off are needed, and
under cross-validation only the training fold's texts are read.
"""

import numbers
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.utils import check_random_state

from sklearn_rnn._ids import PAD_ID

__all__ = ["Word2VecEmbeddings"]


def _gensim():
    try:
        import gensim.models
    except ImportError:
        raise ImportError(
            "Training word2vec needs gensim: pip install 'sklearn-rnn[vectors]' "
            "(or pip install gensim)."
        ) from None
    return gensim.models


@dataclass(frozen=True)
class Word2VecEmbeddings:
    """Self-learned word vectors as the embedding's initialisation.

    Pass as ``embeddings=Word2VecEmbeddings(...)`` (or ``embeddings='word2vec'``
    for these defaults) to :class:`~sklearn_rnn.RNNTextClassifier` or
    :class:`~sklearn_rnn.RNNTextRegressor`: before training, gensim's
    ``Word2Vec`` learns vectors from the id sequences given to ``fit``, and they
    start the embedding layer (Dai & Le, 2015, initialise an LSTM this way).
    Needs gensim: ``pip install 'sklearn-rnn[vectors]'``.

    Parameters
    ----------
    vector_size : int, default=None
        Vector length; None uses the estimator's ``embedding_dim``.
    window : int, default=5
        Context words on each side.
    epochs : int, default=5
        Passes over the texts.
    sg : bool, default=False
        Skip-gram instead of CBOW (CBOW is several times faster).
    negative : int, default=5
        Negative samples per word.
    min_count : int, default=1
        Words seen fewer times keep a random row.
    sample : float, default=1e-3
        Down-sampling threshold of frequent words.
    workers : int, default=1
        Training threads. With one, the vectors depend only on the estimator's
        ``random_state``; gensim's multi-threaded training is not reproducible.

    Examples
    --------
    >>> from sklearn_rnn import RNNTextClassifier
    >>> from sklearn_rnn.embeddings import Word2VecEmbeddings
    >>> clf = RNNTextClassifier(embeddings=Word2VecEmbeddings(epochs=10))
    """

    vector_size: int | None = None
    window: int = 5
    epochs: int = 5
    sg: bool = False
    negative: int = 5
    min_count: int = 1
    sample: float = 1e-3
    workers: int = 1

    def __post_init__(self):
        for name, low in (("window", 1), ("epochs", 1), ("negative", 0),
                          ("min_count", 1), ("workers", 1)):
            _check_int(name, getattr(self, name), low)
        if self.vector_size is not None:
            _check_int("vector_size", self.vector_size, 1)
        if not isinstance(self.sg, bool):
            raise ValueError(f"Word2VecEmbeddings(sg=...) must be a bool; got "
                             f"{self.sg!r}.")
        if isinstance(self.sample, bool) or not isinstance(
                self.sample, numbers.Real) or not 0 <= self.sample < 1:
            raise ValueError(
                f"Word2VecEmbeddings(sample=...) must be in [0, 1); got "
                f"{self.sample!r}."
            )

    def as_dict(self):
        """The settings as a dict (what a model file keeps)."""
        return asdict(self)

    def train(self, X, vocab_size, dim, random_state=None):
        """Embedding matrix learned from the padded id rows ``X``.

        Returns
        -------
        matrix : ndarray of float32 of shape (vocab_size, dim)
            Row ``i`` is the vector of id ``i``; ids absent from ``X`` (or seen
            fewer than ``min_count`` times) get random rows of the learned
            vectors' scale, padding a row of zeros.
        found : ndarray of bool of shape (vocab_size,)
            Which rows were learned.
        """
        rng = check_random_state(random_state)
        seed = int(rng.randint(2**31 - 1))
        matrix = np.zeros((vocab_size, dim), dtype=np.float32)
        found = np.zeros(vocab_size, dtype=bool)
        counts = np.bincount(X[X != PAD_ID].ravel(), minlength=vocab_size)
        if counts.max(initial=0) >= self.min_count:  # else gensim has no words
            ids, vectors = self._learn(X, dim, seed)
            keep = ids < vocab_size
            matrix[ids[keep]] = vectors[keep]
            found[ids[keep]] = True
            found[PAD_ID] = False
        matrix[PAD_ID] = 0
        fill = ~found
        fill[PAD_ID] = False
        learned = matrix[found] if found.any() else np.zeros((1, dim), np.float32)
        matrix[fill] = rng.normal(learned.mean(axis=0), learned.std(axis=0) + 1e-3,
                                  size=(int(fill.sum()), dim))
        return matrix, found


    def _learn(self, X, dim, seed):
        """Ids gensim kept and their vectors."""
        sentences = [[str(i) for i in row[row != PAD_ID]] for row in X]
        model = _gensim().Word2Vec(
            sentences=[s for s in sentences if s], vector_size=dim,
            window=self.window, epochs=self.epochs, sg=int(self.sg),
            negative=self.negative, min_count=self.min_count, sample=self.sample,
            workers=self.workers, seed=seed,
        )
        ids = np.asarray([int(word) for word in model.wv.index_to_key], dtype=int)
        return ids, model.wv.vectors


def _check_int(name, value, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or \
            value < low:
        raise ValueError(
            f"Word2VecEmbeddings({name}=...) must be an int >= {low}; got {value!r}."
        )
