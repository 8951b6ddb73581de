"""fetch_word_vectors: the standard English vector sets from their official
archives, verified and cached."""

import logging
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.datasets import get_data_home
from sklearn.datasets._base import RemoteFileMetadata, _fetch_remote

from sklearn_rnn.embeddings._io import check_limit
from sklearn_rnn.embeddings._parse import read_vectors
from sklearn_rnn.embeddings._vectors import WordVectors
from sklearn_rnn.utils._cache import pack_strings, unpack_strings, write_npz_atomic
from sklearn_rnn.utils._validation import suggest

__all__ = ["VECTOR_SOURCES", "fetch_word_vectors"]

logger = logging.getLogger(__name__)


class VectorSource(NamedTuple):
    """Where a vector set lives: a zip ``archive`` and the ``member`` in it."""

    archive: RemoteFileMetadata
    size: int | None  # bytes of the archive; None where not pinned
    member: str
    format: str


_GLOVE = "https://nlp.stanford.edu/data/"
_FASTTEXT = "https://dl.fbaipublicfiles.com/fasttext/vectors-english/"
# Neither Stanford nor fastText publishes SHA-256 digests of these archives, so
# none is pinned (``sha256=`` pins one); the archive size is pinned where it is
# known, and zip's CRC-32 of the member is checked while it is extracted, so a
# truncated or altered download is refused either way.
_GLOVE_6B = RemoteFileMetadata("glove.6B.zip", _GLOVE + "glove.6B.zip", None)
VECTOR_SOURCES = {
    **{f"glove.6B.{d}d": VectorSource(_GLOVE_6B, 862_182_613,
                                      f"glove.6B.{d}d.txt", "glove")
       for d in (50, 100, 200, 300)},
    "glove.840B.300d": VectorSource(
        RemoteFileMetadata("glove.840B.300d.zip", _GLOVE + "glove.840B.300d.zip",
                           None),
        2_176_768_927, "glove.840B.300d.txt", "glove"),
    "fasttext.wiki-news-300d-1M": VectorSource(
        RemoteFileMetadata("wiki-news-300d-1M.vec.zip",
                           _FASTTEXT + "wiki-news-300d-1M.vec.zip", None),
        None, "wiki-news-300d-1M.vec", "fasttext"),
    "fasttext.crawl-300d-2M": VectorSource(
        RemoteFileMetadata("crawl-300d-2M.vec.zip",
                           _FASTTEXT + "crawl-300d-2M.vec.zip", None),
        None, "crawl-300d-2M.vec", "fasttext"),
}
_CACHE_VERSION = 1
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def fetch_word_vectors(name="glove.6B.50d", *, data_home=None,
                       download_if_missing=True, sha256=None, limit=None):
    """Load a standard English word-vector set, downloading it once.

    The official zip archive is downloaded to ``data_home/word_vectors`` and
    checked (its size where pinned, ``sha256`` when given, the member's CRC-32);
    the vectors are then cached there as arrays (never pickled), so later calls
    read the cache. The archive is kept, as one archive holds several GloVe 6B
    sizes; a kept archive of the wrong size (a download cut short) is
    downloaded again, and an unreadable cache rebuilt.

    Parameters
    ----------
    name : str, default='glove.6B.50d'
        One of ``'glove.6B.50d'``, ``'glove.6B.100d'``, ``'glove.6B.200d'``,
        ``'glove.6B.300d'`` (uncased, 400,000 words; 822 MB archive),
        ``'glove.840B.300d'`` (cased, 2.2 million words; 2.0 GB),
        ``'fasttext.wiki-news-300d-1M'``, ``'fasttext.crawl-300d-2M'``
        (cased). ``load_glove_6b_50d()`` gives GloVe 6B 50d without a download.
    data_home : str or path-like, default=None
        Folder of the download and cache; scikit-learn's data home by default.
    download_if_missing : bool, default=True
        If False, raise ``OSError`` when the vectors are not cached.
    sha256 : str, default=None
        Expected SHA-256 of the archive; a download that differs is deleted and
        ``OSError`` raised.
    limit : int, default=None
        Return only the first ``limit`` (most frequent) words.

    Returns
    -------
    vectors : WordVectors

    Raises
    ------
    NotADirectoryError
        When ``data_home`` or its ``word_vectors`` folder is a file.
    OSError
        When the vectors are not cached and ``download_if_missing`` is False, or
        the download fails, has the wrong size or ``sha256`` (it is deleted).
    ValueError
        When the archive or its member cannot be read (naming the member and
        the line, as :func:`load_word_vectors` does).

    Examples
    --------
    >>> from sklearn_rnn.embeddings import fetch_word_vectors
    >>> glove = fetch_word_vectors("glove.6B.300d")  # doctest: +SKIP
    """
    if not isinstance(name, str):
        raise TypeError(
            "The 'name' parameter of fetch_word_vectors must be a str among "
            f"{sorted(VECTOR_SOURCES)}. Got {name!r} instead."
        )
    if name not in VECTOR_SOURCES:
        raise ValueError(
            f"Unknown word-vector set {name!r}; known: {sorted(VECTOR_SOURCES)}."
            + suggest(name, VECTOR_SOURCES)
        )
    check_limit(limit)
    if sha256 is not None and not (isinstance(sha256, str) and _SHA256.fullmatch(
            sha256)):
        raise ValueError(
            "sha256 must be None or a SHA-256 digest: 64 hexadecimal digits. Got "
            f"{sha256!r} instead."
        )
    sha256 = None if sha256 is None else sha256.lower()  # hashlib's hexdigest form
    source = VECTOR_SOURCES[name]
    home = _vectors_home(data_home)
    cache = home / f"{name}.v{_CACHE_VERSION}.npz"
    vectors = _read_cache(cache, name)
    if vectors is None:
        if not download_if_missing:
            raise OSError(
                f"Word vectors {name!r} are not cached in {str(home)!r}; call with "
                "download_if_missing=True to download them."
            )
        vectors = _download(source, name, home, sha256)
        _write_cache(cache, vectors)
    if limit is not None:
        vectors = WordVectors(vectors.words[:limit], vectors.vectors[:limit],
                              name=name)
    return vectors


def _vectors_home(data_home):
    """``data_home/word_vectors``, refused when it or ``data_home`` is a file
    (scikit-learn's get_data_home would fail creating it, naming neither)."""
    if data_home is not None and not isinstance(data_home, str | os.PathLike):
        raise TypeError(
            "The 'data_home' parameter of fetch_word_vectors must be a str, a "
            f"path-like or None. Got {data_home!r} instead."
        )
    if data_home is not None:
        _check_folder(data_home)
    home = Path(get_data_home(data_home)) / "word_vectors"
    _check_folder(home)
    return home


def _check_folder(folder):
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise NotADirectoryError(
            f"{str(folder)!r} is a file, not a folder: fetch_word_vectors keeps its "
            "downloads and cache there. Pass another data_home."
        )


def _download(source, name, home, sha256):
    home.mkdir(parents=True, exist_ok=True)
    remote = source.archive._replace(checksum=sha256)
    kept = (home / remote.filename).is_file()
    logger.info("Downloading %s from %s", name, remote.url)
    # _fetch_remote writes to a temporary file and removes it when the download
    # fails or its SHA-256 differs; an existing archive is reused.
    archive = _fetch_remote(remote, dirname=home)
    if kept and not _has_pinned_size(archive, source):
        logger.warning("The kept archive %s has the wrong size; downloading it "
                       "again", archive)
        archive.unlink()
        archive = _fetch_remote(remote, dirname=home)
    if not _has_pinned_size(archive, source):
        size = archive.stat().st_size
        archive.unlink()
        raise OSError(
            f"The download of {remote.url} has {size} bytes, expected "
            f"{source.size}; it was deleted. Try again."
        )
    return _read_member(archive, source, name)


def _has_pinned_size(archive, source):
    return source.size is None or archive.stat().st_size == source.size


def _read_member(archive, source, name):
    """Parse the member straight from the archive; zip checks its CRC-32 when
    the member is read to its end."""
    where = f"{source.member!r} from the archive {str(archive)!r}"
    try:
        with zipfile.ZipFile(archive) as zf, zf.open(source.member) as member:
            words, vectors = read_vectors(member, where, source.format, None)
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, zlib.error) as exc:
        raise ValueError(
            f"Could not read {where}: {exc}. Delete the archive and fetch again."
        ) from None
    return WordVectors(words, vectors, name=name)


def _write_cache(path, vectors):
    words, offsets = pack_strings(vectors.words.tolist())
    write_npz_atomic(path, vectors=vectors.vectors, words=words, offsets=offsets)


def _read_cache(path, name):
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as cache:
            words = unpack_strings(cache["words"], cache["offsets"])
            return WordVectors(words, cache["vectors"], name=name)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        logger.warning("Ignoring the unreadable cache %s (%s)", path, exc)
        return None
