"""Read the labelled reviews of an aclImdb ``.tar.gz`` archive, treated as untrusted,
or of the folder it extracts to (:func:`read_reviews` takes either).

The archive is streamed with :mod:`tarfile` and never extracted: only regular files
named ``aclImdb/{train,test}/{neg,pos}/<id>_<rating>.txt`` are read. Members that an
extraction could turn into a write outside the target folder (absolute paths, ``..``
components, links, devices) make the whole archive refused, because an archive
holding them is not a genuine aclImdb archive.

An archive without a manifest is complete when both of its layers are whole: the
gzip stream ends with its trailer and the trailer's CRC-32 and length match the
data, and the tar stream reaches its end-of-archive block after headers that are
all valid. Anything else (a cut download, a flipped byte) is refused as a whole,
never read in part.
"""

import gzip
import os
import re
import tarfile
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

from sklearn_rnn.datasets._base import SUBSETS, TARGET_NAMES

__all__ = ["Reviews", "read_archive", "read_directory", "read_reviews"]

# ASCII digits only: ``\d`` would also accept other scripts' digits.
_REVIEW_NAME = re.compile(r"aclImdb/(train|test)/(neg|pos)/([0-9]+)_([0-9]+)\.txt")
_DRIVE = re.compile(r"[A-Za-z]:")
# Review ids are stored as int64; 18 significant digits always fit.
_MAX_ID_DIGITS = 18
_RATINGS = range(1, 11)
# What a truncated, corrupt or non-gzip/tar file raises while it is being streamed.
_CORRUPT_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)


class _IncompleteTarError(tarfile.ReadError):
    """A tar stream that stops, or is damaged, before its end-of-archive block."""


class _StrictTarInfo(tarfile.TarInfo):
    """Member header that refuses to end the archive anywhere but at the
    end-of-archive block.

    tarfile's own iteration takes a missing, cut or invalid header after
    the first one as the end of the archive, which turns a truncated or damaged
    archive into a silent subset of its members.
    """

    @classmethod
    def fromtarfile(cls, tarfile_):
        offset = tarfile_.offset
        try:
            return super().fromtarfile(tarfile_)
        except tarfile.EOFHeaderError:
            raise  # a block of zeros: the end-of-archive marker
        except tarfile.HeaderError as exc:
            # Not a HeaderError, so that tarfile propagates it instead of stopping.
            raise _IncompleteTarError(
                f"the tar data has no valid member header and no end-of-archive "
                f"block at byte {offset} ({exc})"
            ) from None


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
    """Reviews of an aclImdb ``.tar.gz`` archive or of the folder it extracts to.

    Parameters
    ----------
    path : str or path-like
        The archive, the folder it extracts to, or that folder's ``aclImdb``
        subfolder.

    Returns
    -------
    reviews : Reviews
        The labelled reviews, in the order described by :class:`Reviews`.

    Raises
    ------
    TypeError
        When ``path`` is not a str or path-like.
    ValueError
        Naming the archive, member or file: see :func:`read_archive` and
        :func:`read_directory`.
    """
    path = _as_path(path)
    return read_directory(path) if path.is_dir() else read_archive(path)


def read_archive(path):
    """Parse the labelled reviews of the aclImdb archive at ``path``.

    Raises ``ValueError`` naming the archive when it holds an unsafe member, is
    truncated or corrupt (its gzip or tar stream is not whole), holds a review that
    is not UTF-8 or whose name has a rating outside 1-10 or an id too large for
    int64, or holds no review.
    """
    records = {}
    try:
        with gzip.open(path, "rb") as stream:
            _read_members(stream, path, records)
            # The gzip trailer (CRC-32 and length) is checked only at the end of the
            # stream, past the tar's end-of-archive block.
            while stream.read(1 << 20):
                pass
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


def _read_members(stream, path, records):
    with tarfile.open(fileobj=stream, mode="r|", tarinfo=_StrictTarInfo) as tar:
        for member in tar:
            _check_member(member, path)
            match = _REVIEW_NAME.fullmatch(member.name)
            if match is None or not member.isreg():
                continue
            culprit = f"member {member.name!r} of archive {str(path)!r}"
            key = _sort_key(match, culprit)
            raw = tar.extractfile(member).read()
            records[member.name] = (*key, _decode(raw, culprit))


def read_directory(path):
    """Reviews of an extracted aclImdb folder (``path`` or ``path/aclImdb``),
    read with the archive's naming rules and in the same order."""
    path = Path(path)
    top = path / "aclImdb" if (path / "aclImdb").is_dir() else path
    rows = []
    for file in top.glob("*/*/*.txt"):
        match = _REVIEW_NAME.fullmatch(f"aclImdb/{file.relative_to(top).as_posix()}")
        if match is not None and file.is_file():
            culprit = f"file {str(file)!r}"
            key = _sort_key(match, culprit)
            rows.append((*key, _decode(file.read_bytes(), culprit)))
    if not rows:
        raise ValueError(
            f"the directory {str(path)!r} holds no labelled reviews: expected files "
            "named {train,test}/{neg,pos}/<id>_<rating>.txt under it or under "
            "its aclImdb folder."
        )
    return _to_reviews(sorted(rows))


def _as_path(path):
    if not isinstance(path, str | os.PathLike):
        raise TypeError(
            "The 'path' parameter of read_reviews must be a str or path-like "
            f"(an aclImdb .tar.gz archive or folder). Got {path!r} instead."
        )
    return Path(path)


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


def _sort_key(match, culprit):
    """(subset, label, id, rating) codes of a review file name; ``culprit`` names
    the file in the error raised for an id or rating that no review can have."""
    subset, label, review_id, rating = match.groups()
    # Digit strings are bounded before int() reads them: Python refuses to parse
    # very long ones with a ValueError of its own.
    review_id, rating = review_id.lstrip("0") or "0", rating.lstrip("0") or "0"
    if len(review_id) > _MAX_ID_DIGITS:
        raise ValueError(
            f"{culprit} has the review id {review_id!r} in its name, too large for "
            "an IMDB review id; expected a name <id>_<rating>.txt with an id of at "
            f"most {_MAX_ID_DIGITS} digits."
        )
    if len(rating) > 2 or int(rating) not in _RATINGS:
        raise ValueError(
            f"{culprit} has the rating {rating!r} in its name; expected a name "
            "<id>_<rating>.txt with a rating from 1 to 10."
        )
    return SUBSETS.index(subset), TARGET_NAMES.index(label), int(review_id), int(rating)


def _decode(raw, culprit):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{culprit} is not UTF-8 text ({exc}).") from exc


def _to_reviews(rows):
    subset, target, ids, ratings, texts = zip(*rows, strict=True)
    return Reviews(
        texts=list(texts),
        subset=np.asarray(subset, dtype=np.int8),
        target=np.asarray(target, dtype=np.int8),
        ratings=np.asarray(ratings, dtype=np.int64),
        ids=np.asarray(ids, dtype=np.int64),
    )
