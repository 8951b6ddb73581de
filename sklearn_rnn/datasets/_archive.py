"""Read the labelled reviews of an aclImdb ``.tar.gz`` archive, treated as untrusted,
or of the folder it extracts to (:func:`read_reviews` takes either).

The archive is streamed with :mod:`tarfile` and never extracted: only regular files
named ``aclImdb/{train,test}/{neg,pos}/<id>_<rating>.txt`` are read. Members that an
extraction could turn into a write outside the target folder (absolute paths, ``..``
components, links, devices) make the whole archive refused, because an archive
holding them is not a genuine aclImdb archive.
"""

import gzip
import re
import tarfile
import zlib
from typing import NamedTuple

import numpy as np

from sklearn_rnn.datasets._base import SUBSETS, TARGET_NAMES

__all__ = ["Reviews", "read_archive", "read_directory", "read_reviews"]

_REVIEW_NAME = re.compile(r"aclImdb/(train|test)/(neg|pos)/(\d+)_(\d+)\.txt")
_DRIVE = re.compile(r"[A-Za-z]:")
# What a truncated or non-gzip/tar file raises while it is being streamed.
_CORRUPT_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)


class Reviews(NamedTuple):
    """Parsed reviews, ordered by subset (train, test), class (neg, pos), then id.

    ``subset`` holds indices into ``SUBSETS`` and ``target`` indices into
    ``TARGET_NAMES``.
    """

    texts: list
    subset: np.ndarray
    target: np.ndarray
    ratings: np.ndarray
    ids: np.ndarray

    def columns(self):
        """Columns of a table, one row per review: ``text``, ``label``
        ('neg'/'pos'), ``rating`` (1-10) and ``subset`` ('train'/'test')."""
        return {
            "text": self.texts,
            "label": np.asarray(TARGET_NAMES)[self.target],
            "rating": self.ratings,
            "subset": np.asarray(SUBSETS)[self.subset],
        }


def read_reviews(path):
    """Reviews of an aclImdb ``.tar.gz`` archive or of the folder it extracts to
    (``path`` or ``path/aclImdb``); ``ValueError`` names what is wrong."""
    return read_directory(path) if path.is_dir() else read_archive(path)


def read_archive(path):
    """Parse the labelled reviews of the aclImdb archive at ``path``.

    Raises ``ValueError`` naming the archive when it holds an unsafe member, is
    truncated or corrupt, holds a review that is not UTF-8, or holds no review.
    """
    records = {}
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            for member in tar:
                _check_member(member, path)
                match = _REVIEW_NAME.fullmatch(member.name)
                if match is None or not member.isreg():
                    continue
                raw = tar.extractfile(member).read()
                records[member.name] = (*_sort_key(match), _decode(raw, member, path))
    except _CORRUPT_ERRORS as exc:
        raise ValueError(
            f"Could not read the IMDB archive {str(path)!r}: it is truncated or "
            f"corrupt, or not a gzip-compressed tar file ({exc}). Delete it and "
            "download it again."
        ) from exc
    if not records:
        raise ValueError(
            f"The archive {str(path)!r} holds no labelled reviews: expected files "
            "named aclImdb/{train,test}/{neg,pos}/<id>_<rating>.txt."
        )
    return _to_reviews(sorted(records.values()))


def read_directory(path):
    """Reviews of an extracted aclImdb folder (``path`` or ``path/aclImdb``),
    read with the archive's naming rules and in the same order."""
    top = path / "aclImdb" if (path / "aclImdb").is_dir() else path
    rows = []
    for file in top.glob("*/*/*.txt"):
        match = _REVIEW_NAME.fullmatch(f"aclImdb/{file.relative_to(top).as_posix()}")
        if match is not None and file.is_file():
            rows.append((*_sort_key(match), file.read_text(encoding="utf-8")))
    if not rows:
        raise ValueError(
            f"the directory {str(path)!r} holds no labelled reviews: expected files "
            "named {train,test}/{neg,pos}/<id>_<rating>.txt under it or under "
            "its aclImdb folder."
        )
    return _to_reviews(sorted(rows))


def _check_member(member, path):
    reason = _unsafe_reason(member)
    if reason is not None:
        raise ValueError(
            f"unsafe member {member.name!r} in archive {str(path)!r} ({reason}); "
            "refusing to read it: a genuine aclImdb archive holds only plain files "
            "and folders with relative paths."
        )


def _unsafe_reason(member):
    name = member.name
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "absolute path"
    if ".." in re.split(r"[/\\]", name):
        return "'..' path component"
    if member.issym():
        return "symbolic link"
    if member.islnk():
        return "hard link"
    if member.isdev():
        return "device or FIFO"
    return None


def _sort_key(match):
    subset, label, review_id, rating = match.groups()
    return SUBSETS.index(subset), TARGET_NAMES.index(label), int(review_id), int(rating)


def _decode(raw, member, path):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"member {member.name!r} of archive {str(path)!r} is not UTF-8 text "
            f"({exc})."
        ) from exc


def _to_reviews(rows):
    subset, target, ids, ratings, texts = zip(*rows, strict=True)
    return Reviews(
        texts=list(texts),
        subset=np.asarray(subset, dtype=np.int8),
        target=np.asarray(target, dtype=np.int8),
        ratings=np.asarray(ratings, dtype=np.int64),
        ids=np.asarray(ids, dtype=np.int64),
    )
