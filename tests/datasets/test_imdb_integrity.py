"""IMDB archives that are cut short, damaged or oddly named fail as a whole: never a
silent subset of the reviews, never a raw OverflowError or AttributeError."""

import gzip
import io
import re
import tarfile

import numpy as np
import pytest

from sklearn_rnn.datasets import _imdb, fetch_imdb
from sklearn_rnn.datasets._archive import Reviews, read_reviews

# Distinct texts of several lengths, so that members span one or more tar blocks.
N_REVIEWS = 24
NAMES = [
    f"aclImdb/{subset}/{label}/{i}_{rating}.txt"
    for i in range(N_REVIEWS // 4)
    for subset in ("train", "test")
    for label, rating in (("neg", 1 + i % 4), ("pos", 7 + i % 4))
]
TEXTS = {
    name: f"review {k}: " + " ".join(f"word{k * j % 97}" for j in range(20 + 60 * k))
    for k, name in enumerate(NAMES)
}
CORRUPT = r"truncated or corrupt.*Delete it and download it again"


def tar_bytes(files):
    """An uncompressed tar holding ``files`` ({name: text}), as bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, text in files.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def write_gz(path, data):
    # mtime=0: the same bytes in every run, so each damaged offset is the same too.
    path.write_bytes(gzip.compress(data, mtime=0))
    return path


def members(data):
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
        return tar.getmembers()


def files_under(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def archive(tmp_path):
    return write_gz(tmp_path / "aclImdb_v1.tar.gz", tar_bytes(TEXTS))


def test_whole_archive_loads_every_review(archive, data_home):
    result = fetch_imdb("all", data_home=data_home, archive=archive)

    assert len(result.data) == N_REVIEWS
    assert sorted(result.data) == sorted(TEXTS.values())
    assert result.target.sum() == N_REVIEWS // 2


# Cuts of the .gz file itself: (case, bytes kept as a function of the file size).
GZIP_CUTS = {
    "in the gzip header": lambda size: 5,
    "in the compressed data": lambda size: size // 2,
    "the whole trailer missing": lambda size: size - 8,
    "in the trailer": lambda size: size - 3,
    "last byte missing": lambda size: size - 1,
}


@pytest.mark.parametrize("case", list(GZIP_CUTS))
def test_truncated_gzip_stream_raises_naming_the_archive(case, archive, data_home):
    data = archive.read_bytes()
    archive.write_bytes(data[: GZIP_CUTS[case](len(data))])

    with pytest.raises(ValueError, match=rf"'.*aclImdb_v1\.tar\.gz'.*{CORRUPT}"):
        fetch_imdb(data_home=data_home, archive=archive)
    assert files_under(data_home) == []


# Cuts of the tar inside a whole gzip stream: (case, bytes kept given the members).
TAR_CUTS = {
    "at a member header, a block boundary": lambda m: m[5].offset,
    "inside a member header": lambda m: m[5].offset + 100,
    "inside a member's data": lambda m: m[5].offset_data + 10,
    "after the last member, no end-of-archive block": (
        lambda m: m[-1].offset_data + -(-m[-1].size // 512) * 512
    ),
}


@pytest.mark.parametrize("case", list(TAR_CUTS))
def test_truncated_tar_stream_raises_naming_the_archive(case, archive, data_home):
    data = tar_bytes(TEXTS)
    write_gz(archive, data[: TAR_CUTS[case](members(data))])

    with pytest.raises(ValueError, match=rf"'.*aclImdb_v1\.tar\.gz'.*{CORRUPT}"):
        fetch_imdb(data_home=data_home, archive=archive)
    assert files_under(data_home) == []


def test_tar_ending_at_its_first_end_of_archive_block_is_whole(archive):
    # The writer emits zero blocks only after its last member: one of them is
    # enough to know that no member is missing.
    data = tar_bytes(TEXTS)
    last = members(data)[-1]
    end = last.offset_data + -(-last.size // 512) * 512
    write_gz(archive, data[: end + 512])

    assert sorted(read_reviews(archive).texts) == sorted(TEXTS.values())


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.75])
def test_corrupted_compressed_byte_raises(fraction, archive, data_home):
    data = bytearray(archive.read_bytes())
    data[int(len(data) * fraction)] ^= 0xFF
    archive.write_bytes(bytes(data))

    with pytest.raises(ValueError, match=rf"aclImdb_v1\.tar\.gz.*{CORRUPT}"):
        fetch_imdb(data_home=data_home, archive=archive)
    assert files_under(data_home) == []


def test_wrong_gzip_checksum_raises(archive):
    data = bytearray(archive.read_bytes())
    data[-8] ^= 0x01  # the CRC-32 of the trailer: every member decompresses fine
    archive.write_bytes(bytes(data))

    with pytest.raises(ValueError, match=r"corrupt.*\(CRC check failed .*\)\. Delete"):
        read_reviews(archive)


def test_damaged_member_header_in_a_whole_gzip_raises(archive):
    data = bytearray(tar_bytes(TEXTS))
    offset = members(bytes(data))[5].offset
    data[offset] ^= 0x01  # the member's name: its header checksum no longer matches
    write_gz(archive, bytes(data))

    with pytest.raises(
        ValueError,
        match=rf"corrupt.*\(the tar data has no valid member header and no "
        rf"end-of-archive block at byte {offset} \(bad checksum\)\)\. Delete it",
    ):
        read_reviews(archive)


def test_cache_written_by_the_previous_reader_is_not_reused(archive, data_home):
    """A cache of a truncated archive that the lenient reader wrote (cache version
    1) must not hide the truncation."""
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    partial = Reviews(["Part."], np.array([0], np.int8), np.array([1], np.int8),
                      np.array([9]), np.array([0]))
    checksum = _imdb._sha256(archive)
    old = data_home / "imdb" / f"reviews_v1_{checksum}.npz"
    old.parent.mkdir(parents=True)
    _imdb._write_cache(old, partial, checksum)

    with pytest.raises(ValueError, match=CORRUPT):
        fetch_imdb(data_home=data_home, archive=archive)


# Counts per subset (train, test) and class (neg, pos) of TEXTS.
COUNTS = ((6, 6), (6, 6))


def test_known_archive_with_missing_reviews_raises(archive, data_home, monkeypatch):
    checksum = _imdb._sha256(archive)
    monkeypatch.setitem(_imdb._REVIEW_COUNTS, checksum, ((6, 6), (6, 7)))

    with pytest.raises(
        ValueError,
        match=r"aclImdb_v1\.tar\.gz.* gave 6 test/pos reviews instead of 7; .*bug",
    ):
        fetch_imdb(data_home=data_home, archive=archive)
    assert files_under(data_home) == []


def test_known_archive_counts_are_checked_on_the_cache(archive, data_home,
                                                       monkeypatch):
    checksum = _imdb._sha256(archive)
    monkeypatch.setitem(_imdb._REVIEW_COUNTS, checksum, COUNTS)
    assert len(fetch_imdb("all", data_home=data_home, archive=archive).data) == 24
    monkeypatch.setitem(_imdb._REVIEW_COUNTS, checksum, ((6, 6), (5, 6)))

    with pytest.warns(UserWarning, match="holds 6 test/neg reviews instead of 5"):
        with pytest.raises(ValueError, match="instead of 5"):
            fetch_imdb(data_home=data_home, archive=archive)


# case: (review file name, culprit named in the error)
BAD_NAMES = {
    "overflowing rating": ("0_99999999999999999999999.txt", "rating"),
    "rating 0": ("0_0.txt", "rating"),
    "rating 11": ("0_11.txt", "rating"),
    "rating longer than int() parses": ("0_" + "9" * 5000 + ".txt", "rating"),
    "padded rating": ("0_" + "0" * 5000 + "11.txt", "rating"),
    "overflowing id": ("99999999999999999999_7.txt", "review id"),
}


@pytest.mark.parametrize("case", list(BAD_NAMES))
def test_impossible_number_in_member_name_raises(case, archive):
    filename, what = BAD_NAMES[case]
    name = f"aclImdb/train/pos/{filename}"
    write_gz(archive, tar_bytes({**TEXTS, name: "x"}))

    with pytest.raises(
        ValueError,
        match=rf"^member {re.escape(repr(name))} of archive .*aclImdb_v1\.tar\.gz.* "
        rf"has the {what} ",
    ):
        read_reviews(archive)


def test_impossible_rating_in_folder_file_name_raises(tmp_path):
    review = tmp_path / "aclImdb" / "test" / "neg" / "3_99999999999999999999.txt"
    review.parent.mkdir(parents=True)
    review.write_text("x", encoding="utf-8")

    with pytest.raises(
        ValueError, match=r"^file '.*3_99999999999999999999\.txt' has the rating"
    ):
        read_reviews(tmp_path)


def test_leading_zeros_and_non_ascii_digits(archive):
    extra = {
        "aclImdb/train/pos/0000000000000000000000042_010.txt": "Padded.",
        # An Arabic-Indic digit is not a review id: the file is not a review.
        "aclImdb/train/pos/\u0663_9.txt": "Not a review.",
    }
    write_gz(archive, tar_bytes({**TEXTS, **extra}))

    reviews = read_reviews(archive)

    assert len(reviews.texts) == N_REVIEWS + 1
    i = reviews.texts.index("Padded.")
    assert (reviews.ids[i], reviews.ratings[i]) == (42, 10)


def test_read_reviews_takes_str_and_path(archive, tmp_path):
    folder = tmp_path / "tree"
    for name, text in TEXTS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")

    for path in (archive, folder):
        from_path, from_str = read_reviews(path), read_reviews(str(path))
        assert from_str.texts == from_path.texts
        assert len(from_str.texts) == N_REVIEWS
        for field in ("subset", "target", "ratings", "ids"):
            np.testing.assert_array_equal(getattr(from_str, field),
                                          getattr(from_path, field))


@pytest.mark.parametrize("path", [3, b"aclImdb_v1.tar.gz", None])
def test_read_reviews_rejects_other_path_types(path):
    with pytest.raises(TypeError, match=r"'path' parameter of read_reviews must be "
                       r"a str or path-like.*Got .* instead"):
        read_reviews(path)
