"""fetch_imdb: the Large Movie Review Dataset (Maas et al., 2011), cached locally."""

import hashlib
import logging
import os
import warnings
import zipfile
from pathlib import Path

import numpy as np
from sklearn.datasets._base import RemoteFileMetadata, _fetch_remote
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import validate_params

from sklearn_rnn.datasets._archive import Reviews, read_archive
from sklearn_rnn.datasets._base import (
    SUBSETS,
    TARGET_NAMES,
    check_subset,
    data_folder,
    load_descr,
    make_review_bunch,
    subset_mask,
)
from sklearn_rnn.utils._cache import pack_strings, unpack_strings, write_npz_atomic

__all__ = ["fetch_imdb"]

logger = logging.getLogger(__name__)

# SHA-256 and size (84,125,825 bytes) of the archive as published by Stanford; the
# same values are pinned by Hugging Face `datasets`, TensorFlow/Keras tutorials and
# other loaders.
ARCHIVE = RemoteFileMetadata(
    filename="aclImdb_v1.tar.gz",
    url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
    checksum="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
)
ARCHIVE_ENV = "SKLEARN_RNN_IMDB_ARCHIVE"
# Reviews per subset (train, test) and class (neg, pos) of the archives whose
# content is known, by SHA-256. The checksum proves the bytes are whole; the counts
# prove the parse of those bytes missed no review.
_REVIEW_COUNTS = {ARCHIVE.checksum: ((12_500, 12_500), (12_500, 12_500))}
# Bump when the cache layout changes, or when an older reader may have cached a
# wrong result, so that old caches are ignored, not misread.
_CACHE_VERSION = 2
_CACHE_ERRORS = (OSError, ValueError, KeyError, zipfile.BadZipFile)


@validate_params(
    {
        "subset": [str],
        "data_home": [str, os.PathLike, None],
        "archive": [str, os.PathLike, None],
        "download_if_missing": ["boolean"],
        "return_X_y": ["boolean"],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def fetch_imdb(
    subset="train",
    *,
    data_home=None,
    archive=None,
    download_if_missing=True,
    return_X_y=False,
    shuffle=False,
    random_state=None,
):
    """Load the IMDB Large Movie Review dataset (binary sentiment classification).

    50,000 labelled movie reviews, 25,000 for training and 25,000 for testing, each
    half negative (rating <= 4 out of 10) and half positive (rating >= 7). The
    official archive (84 MB) is downloaded once and checked against a pinned SHA-256;
    the parsed reviews are then cached under ``data_home`` (about 65 MB) and the
    archive is deleted. Later calls read the cache.

    Read more in the dataset description (``DESCR``).

    Parameters
    ----------
    subset : {'train', 'test', 'all'}, default='train'
        Which split to load; ``'all'`` concatenates train then test.

    data_home : str or path-like, default=None
        Folder for the downloaded archive and the cache (subfolder ``imdb``). By
        default scikit-learn's data home, ``~/scikit_learn_data``.

    archive : str or path-like, default=None
        Path to a local ``.tar.gz`` archive with the layout of the official one
        (``aclImdb/{train,test}/{neg,pos}/<id>_<rating>.txt``), read instead of
        downloading. When None, the environment variable
        ``SKLEARN_RNN_IMDB_ARCHIVE`` is used if set. The cache of a local archive is
        keyed by its SHA-256, so a changed archive is parsed again.

    download_if_missing : bool, default=True
        If False, raise an ``OSError`` instead of downloading when the data is
        neither cached nor given as a local archive.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    shuffle : bool, default=False
        Whether to shuffle the reviews (data, target and ratings alike). Without
        shuffling the order is deterministic: train before test, negative before
        positive, then by increasing review id.

    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle. Pass an int for reproducible output.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str of length n_samples
            The review texts (they contain HTML line breaks ``<br />``).
        target : ndarray of shape (n_samples,)
            0 for a negative review, 1 for a positive one.
        target_names : list of str
            ``['neg', 'pos']``.
        ratings : ndarray of shape (n_samples,)
            The reviewer's rating, 1 to 10.
        DESCR : str
            Description of the dataset.

    (data, target) : tuple
        Returned instead of the Bunch when ``return_X_y`` is True.

    Raises
    ------
    NotADirectoryError
        When ``data_home`` or its ``imdb`` folder is a file.
    OSError
        When the data is not cached and ``download_if_missing`` is False, or when the
        download fails or its SHA-256 differs from the pinned one (no file is kept).
    ValueError
        When the archive is truncated or corrupt (its gzip or tar stream is not
        whole), holds unsafe members (absolute paths, ``..`` components, links or
        devices), a review that is not UTF-8 or a review file whose name has a
        rating outside 1-10 or an id too large for an int64, or holds no labelled
        review; also when the official archive gives other than 12,500 reviews per
        subset and class. Nothing is cached then.

    See Also
    --------
    load_imdb_sample : A bundled 2,000-review sample that needs no download.

    Examples
    --------
    >>> from sklearn_rnn.datasets import fetch_imdb
    >>> train = fetch_imdb("train")  # doctest: +SKIP
    >>> len(train.data), train.target_names  # doctest: +SKIP
    (25000, ['neg', 'pos'])
    """
    check_subset(subset, "fetch_imdb")
    reviews = _load_reviews(data_home, archive, download_if_missing)
    mask = subset_mask(reviews.subset, subset)
    indices = np.flatnonzero(mask)
    if shuffle:
        indices = check_random_state(random_state).permutation(indices)
    return make_review_bunch(
        [reviews.texts[i] for i in indices],
        reviews.target[indices],
        reviews.ratings[indices],
        descr=load_descr("imdb.rst"),
        return_X_y=return_X_y,
    )


def _load_reviews(data_home, archive, download_if_missing):
    imdb_home = data_folder(data_home, "imdb", "fetch_imdb")
    if archive is not None:
        return _reviews_from_local(Path(archive), imdb_home, "archive parameter")
    if os.environ.get(ARCHIVE_ENV):
        source = f"{ARCHIVE_ENV} environment variable"
        return _reviews_from_local(Path(os.environ[ARCHIVE_ENV]), imdb_home, source)
    return _reviews_from_download(imdb_home, download_if_missing)


def _reviews_from_local(archive, imdb_home, source):
    if not archive.is_file():
        raise FileNotFoundError(
            f"IMDB archive {str(archive)!r} (from the {source}) not found or not a "
            "file; pass the path of an aclImdb .tar.gz archive."
        )
    checksum = _sha256(archive)
    cache_path = _cache_path(imdb_home, checksum)
    reviews = _read_cache(cache_path, checksum)
    if reviews is None:
        reviews = read_archive(archive)
        _check_counts(reviews, checksum, archive)
        _write_cache(cache_path, reviews, checksum)
    return reviews


def _reviews_from_download(imdb_home, download_if_missing):
    cache_path = _cache_path(imdb_home, ARCHIVE.checksum)
    reviews = _read_cache(cache_path, ARCHIVE.checksum)
    if reviews is not None:
        return reviews
    if not download_if_missing:
        raise OSError(
            f"IMDB dataset not found in {str(imdb_home)!r}. Call fetch_imdb with "
            "download_if_missing=True to download it, or pass archive=<path of "
            "aclImdb_v1.tar.gz>."
        )
    imdb_home.mkdir(parents=True, exist_ok=True)
    logger.info("Downloading IMDB reviews from %s to %s", ARCHIVE.url, imdb_home)
    # _fetch_remote downloads to a temporary file and removes it when the download
    # fails or its SHA-256 differs, so only a verified archive reaches this point.
    archive = _fetch_remote(ARCHIVE, dirname=imdb_home)
    try:
        reviews = read_archive(archive)
        _check_counts(reviews, ARCHIVE.checksum, archive)
    except ValueError:
        archive.unlink(missing_ok=True)
        raise
    _write_cache(cache_path, reviews, ARCHIVE.checksum)
    archive.unlink()
    return reviews


def _count_mismatch(reviews, checksum):
    """Describe how the review counts differ from those known for ``checksum``;
    None when they match or none are known."""
    expected = _REVIEW_COUNTS.get(checksum)
    if expected is None:
        return None
    found = np.zeros((len(SUBSETS), len(TARGET_NAMES)), dtype=np.int64)
    np.add.at(found, (reviews.subset, reviews.target), 1)
    if np.array_equal(found, expected):
        return None
    return ", ".join(
        f"{found[i, j]} {subset}/{label} reviews instead of {expected[i][j]}"
        for i, subset in enumerate(SUBSETS)
        for j, label in enumerate(TARGET_NAMES)
        if found[i, j] != expected[i][j]
    )


def _check_counts(reviews, checksum, archive):
    mismatch = _count_mismatch(reviews, checksum)
    if mismatch is not None:
        raise ValueError(
            f"The IMDB archive {str(archive)!r} has the SHA-256 of the official "
            f"archive but gave {mismatch}; the archive is whole, so this is a bug "
            "in the reader: please report it."
        )


def _sha256(path, chunk_size=1 << 20):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def _cache_path(imdb_home, checksum):
    return imdb_home / f"reviews_v{_CACHE_VERSION}_{checksum}.npz"


def _write_cache(path, reviews, checksum):
    """Store ``reviews`` as plain arrays (never pickled), atomically."""
    text, offsets = pack_strings(reviews.texts)
    # Uncompressed: larger on disk, but read several times faster.
    write_npz_atomic(path, text=text, offsets=offsets, subset=reviews.subset,
                     target=reviews.target, ratings=reviews.ratings,
                     ids=reviews.ids, checksum=np.asarray(checksum))


def _read_cache(path, checksum):
    """Return the cached reviews, or None when there is no usable cache."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as cache:
            built_from = cache["checksum"].item()
            reviews = _reviews_from_cache(cache) if built_from == checksum else None
    except _CACHE_ERRORS as exc:
        _warn_unusable_cache(path, str(exc))
        return None
    if reviews is None:
        _warn_unusable_cache(path, f"built from the archive {built_from}")
        return None
    mismatch = _count_mismatch(reviews, checksum)
    if mismatch is not None:
        _warn_unusable_cache(path, f"it holds {mismatch}")
        return None
    return reviews


def _reviews_from_cache(cache):
    texts = unpack_strings(cache["text"], cache["offsets"])
    return Reviews(
        texts, cache["subset"], cache["target"], cache["ratings"], cache["ids"]
    )


def _warn_unusable_cache(path, reason):
    warnings.warn(
        f"Ignoring the unreadable IMDB cache {str(path)!r} ({reason}); it will be "
        "rebuilt from the archive.",
        UserWarning,
        stacklevel=7,  # the caller of fetch_imdb, through validate_params
    )
