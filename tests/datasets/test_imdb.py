"""fetch_imdb on tiny archives built in tmp_path: parsing, caching, safety, download."""

import hashlib
import io
import re
import tarfile
import warnings

import numpy as np
import pytest
import sklearn.datasets._base as sklearn_base
from sklearn.datasets._base import RemoteFileMetadata

from sklearn_rnn.datasets import _imdb, fetch_imdb
from sklearn_rnn.datasets._archive import read_reviews

# Labelled reviews, deliberately not in id order: ids must sort as integers (2 < 10).
REVIEWS = {
    "aclImdb/train/pos/12_10.txt": "Loved it \u2014 tr\u00e8s bien \u263a",
    "aclImdb/train/neg/10_2.txt": "Awful film.",
    "aclImdb/test/pos/7_7.txt": "Fine.",
    "aclImdb/train/neg/2_1.txt": "Boring<br /><br />and long.",
    "aclImdb/test/neg/5_4.txt": "Meh.",
    "aclImdb/train/pos/3_9.txt": "Great acting.",
    "aclImdb/test/pos/1_8.txt": "Nice.",
}
# Files of the official archive that are not labelled reviews.
IGNORED = {
    "aclImdb/README": "Large Movie Review Dataset v1.0",
    "aclImdb/imdb.vocab": "the\nand\n",
    "aclImdb/train/unsup/0_0.txt": "Unlabelled review.",
    "aclImdb/train/urls_pos.txt": "http://www.imdb.com/title/tt0453418/usercomments",
    "aclImdb/train/pos/notes.txt": "not a review",
}
FOLDERS = ["aclImdb", "aclImdb/train", "aclImdb/train/neg", "aclImdb/train/pos"]
TRAIN = (
    [
        "Boring<br /><br />and long.",
        "Awful film.",
        "Great acting.",
        REVIEWS["aclImdb/train/pos/12_10.txt"],
    ],
    [0, 0, 1, 1],
    [1, 2, 9, 10],
)
TEST = (["Meh.", "Nice.", "Fine."], [0, 1, 1], [4, 8, 7])
EXPECTED = {
    "train": TRAIN,
    "test": TEST,
    "all": tuple(a + b for a, b in zip(TRAIN, TEST, strict=True)),
}


def _file_member(name, text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, io.BytesIO(data)


def _special_member(name, kind, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info, None


def write_archive(path, files=None, extra=()):
    """Write a gzip tar holding folders, ``files`` ({name: text}) then ``extra``."""
    files = {**REVIEWS, **IGNORED} if files is None else files
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for folder in FOLDERS:
            tar.addfile(_special_member(folder, tarfile.DIRTYPE)[0])
        for name, text in files.items():
            tar.addfile(*_file_member(name, text))
        for info, fileobj in extra:
            tar.addfile(info, fileobj)
    path.write_bytes(buffer.getvalue())
    return path


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_under(folder):
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
    )


def assert_reviews(result, subset):
    data, target, ratings = EXPECTED[subset]
    assert result.data == data
    np.testing.assert_array_equal(result.target, target)
    np.testing.assert_array_equal(result.ratings, ratings)


@pytest.fixture
def archive(tmp_path):
    return write_archive(tmp_path / "aclImdb.tar.gz")


@pytest.fixture
def remote(monkeypatch, archive):
    """Serve ``archive`` as the official download, through a file:// URL."""
    metadata = RemoteFileMetadata(
        filename="aclImdb_v1.tar.gz", url=archive.as_uri(), checksum=sha256(archive)
    )
    monkeypatch.setattr(_imdb, "ARCHIVE", metadata)
    return metadata


@pytest.mark.parametrize("subset", ["train", "test", "all"])
def test_fetch_imdb_reads_labelled_reviews_in_order(archive, data_home, subset):
    result = fetch_imdb(subset, data_home=data_home, archive=archive)

    assert_reviews(result, subset)
    assert result.target.dtype.kind == result.ratings.dtype.kind == "i"
    assert result.target_names == ["neg", "pos"]
    assert "IMDB Large Movie Review dataset" in result.DESCR


def test_fetch_imdb_return_X_y(archive, data_home):
    data, target = fetch_imdb(
        "test", data_home=data_home, archive=archive, return_X_y=True
    )

    assert data == TEST[0]
    np.testing.assert_array_equal(target, TEST[1])


def test_fetch_imdb_shuffle_is_reproducible_and_consistent(archive, data_home):
    kwargs = dict(data_home=data_home, archive=archive, shuffle=True)
    first = fetch_imdb("all", random_state=0, **kwargs)
    again = fetch_imdb("all", random_state=np.random.RandomState(0), **kwargs)
    ordered = fetch_imdb("all", data_home=data_home, archive=archive)

    assert first.data == again.data
    assert first.data != ordered.data
    shuffled_rows = zip(first.data, first.target, first.ratings, strict=True)
    ordered_rows = zip(ordered.data, ordered.target, ordered.ratings, strict=True)
    assert sorted(shuffled_rows) == sorted(ordered_rows)


def test_second_call_is_served_from_the_archive_keyed_cache(
    archive, data_home, monkeypatch
):
    first = fetch_imdb("all", data_home=data_home, archive=archive)
    cache = f"imdb/reviews_v2_{sha256(archive)}.npz"
    assert files_under(data_home) == [cache]
    # The cache holds plain arrays: it loads without unpickling anything.
    with np.load(data_home / cache, allow_pickle=False) as arrays:
        assert all(arrays[key].dtype != object for key in arrays.files)

    def fail(path):
        raise AssertionError("the archive was parsed again")

    monkeypatch.setattr(_imdb, "read_archive", fail)
    second = fetch_imdb("all", data_home=data_home, archive=archive)

    assert second.data == first.data
    np.testing.assert_array_equal(second.ratings, first.ratings)


def test_changed_archive_is_never_served_a_stale_cache(archive, data_home):
    fetch_imdb("test", data_home=data_home, archive=archive)
    write_archive(archive, {**REVIEWS, "aclImdb/test/neg/5_4.txt": "Changed."})

    result = fetch_imdb("test", data_home=data_home, archive=archive)

    assert result.data == ["Changed.", "Nice.", "Fine."]
    assert len(files_under(data_home)) == 2


def test_unreadable_cache_is_rebuilt_with_a_warning(archive, data_home):
    fetch_imdb("train", data_home=data_home, archive=archive)
    (cache,) = (data_home / "imdb").iterdir()
    cache.write_bytes(b"not a zip file")

    with pytest.warns(UserWarning, match="Ignoring the unreadable IMDB cache"):
        result = fetch_imdb("train", data_home=data_home, archive=archive)
    assert_reviews(result, "train")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_reviews(
            fetch_imdb("train", data_home=data_home, archive=archive), "train"
        )


def test_environment_variable_names_the_archive(archive, data_home, monkeypatch):
    monkeypatch.setenv(_imdb.ARCHIVE_ENV, str(archive))

    assert_reviews(fetch_imdb("train", data_home=data_home), "train")


def test_archive_argument_wins_over_environment_variable(
    archive, data_home, monkeypatch, tmp_path
):
    monkeypatch.setenv(_imdb.ARCHIVE_ENV, str(tmp_path / "missing.tar.gz"))

    assert_reviews(fetch_imdb("test", data_home=data_home, archive=archive), "test")
    with pytest.raises(FileNotFoundError, match="SKLEARN_RNN_IMDB_ARCHIVE"):
        fetch_imdb("test", data_home=data_home)


def test_missing_archive_raises(data_home, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"missing\.tar\.gz.* not found"):
        fetch_imdb(data_home=data_home, archive=tmp_path / "missing.tar.gz")


# case: (member name, member type, link target, reason in the error message)
UNSAFE_MEMBERS = {
    "parent": ("../evil.txt", tarfile.REGTYPE, "", "'..' path component"),
    "nested parent": (
        "aclImdb/train/../../evil.txt",
        tarfile.REGTYPE,
        "",
        "'..' path component",
    ),
    "backslash parent": ("..\\evil.txt", tarfile.REGTYPE, "", "'..' path component"),
    "absolute": ("/tmp/evil.txt", tarfile.REGTYPE, "", "absolute path"),
    "drive": ("C:/evil.txt", tarfile.REGTYPE, "", "absolute path"),
    "symlink": (
        "aclImdb/train/pos/20_10.txt",
        tarfile.SYMTYPE,
        "/etc/passwd",
        "symbolic link",
    ),
    "symlinked folder": (
        "aclImdb/train/unsup",
        tarfile.SYMTYPE,
        "../..",
        "symbolic link",
    ),
    "hardlink": (
        "aclImdb/x",
        tarfile.LNKTYPE,
        "aclImdb/train/pos/3_9.txt",
        "hard link",
    ),
    "device": ("aclImdb/dev", tarfile.CHRTYPE, "", "device or FIFO"),
    "fifo": ("aclImdb/fifo", tarfile.FIFOTYPE, "", "device or FIFO"),
}


@pytest.mark.parametrize("case", list(UNSAFE_MEMBERS))
def test_unsafe_member_rejects_the_archive(case, tmp_path, data_home):
    name, kind, linkname, reason = UNSAFE_MEMBERS[case]
    if kind == tarfile.REGTYPE:
        member = _file_member(name, "x")
    else:
        member = _special_member(name, kind, linkname)
    # After the valid reviews: the whole archive is refused, not just the member.
    path = write_archive(tmp_path / "evil.tar.gz", extra=[member])
    quoted = re.escape(repr(name))

    with pytest.raises(
        ValueError,
        match=rf"unsafe member {quoted} in archive .*evil\.tar\.gz.*{reason}",
    ):
        fetch_imdb(data_home=data_home, archive=path)
    assert files_under(data_home) == []
    assert not (tmp_path.parent / "evil.txt").exists()
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize(
    "corrupt",
    [lambda data: data[: len(data) // 2], lambda data: b"\x00" * 64],
    ids=["truncated", "not gzip"],
)
def test_corrupt_archive_raises_and_leaves_no_cache(
    corrupt, archive, data_home, tmp_path
):
    path = tmp_path / "broken.tar.gz"
    path.write_bytes(corrupt(archive.read_bytes()))

    with pytest.raises(ValueError, match=r"'.*broken\.tar\.gz'.*truncated or corrupt"):
        fetch_imdb(data_home=data_home, archive=path)
    assert files_under(data_home) == []


def test_archive_without_reviews_raises(tmp_path, data_home):
    path = write_archive(tmp_path / "empty.tar.gz", IGNORED)

    with pytest.raises(ValueError, match="holds no labelled reviews"):
        fetch_imdb(data_home=data_home, archive=path)


def test_review_that_is_not_utf8_raises(tmp_path, data_home):
    files = {**REVIEWS, "aclImdb/test/neg/9_1.txt": b"caf\xe9"}
    path = write_archive(tmp_path / "latin1.tar.gz", files)

    with pytest.raises(ValueError, match=r"'aclImdb/test/neg/9_1\.txt'.*not UTF-8"):
        fetch_imdb(data_home=data_home, archive=path)


def test_download_verifies_caches_then_deletes_the_archive(
    remote, data_home, monkeypatch
):
    result = fetch_imdb("all", data_home=data_home)

    assert_reviews(result, "all")
    assert files_under(data_home) == [f"imdb/reviews_v2_{remote.checksum}.npz"]
    # Served from the cache keyed by the pinned checksum: nothing to download.
    monkeypatch.setattr(_imdb, "ARCHIVE", remote._replace(url="file:///missing"))
    cached = fetch_imdb("test", data_home=data_home, download_if_missing=False)
    assert_reviews(cached, "test")


def test_download_with_wrong_checksum_leaves_nothing(remote, data_home, monkeypatch):
    monkeypatch.setattr(_imdb, "ARCHIVE", remote._replace(checksum="0" * 64))

    with pytest.raises(OSError, match=rf"\({remote.checksum}\) differs from expected"):
        fetch_imdb(data_home=data_home)
    assert files_under(data_home) == []


def test_interrupted_download_leaves_nothing(remote, data_home, monkeypatch):
    def partial_download(url, filename):
        with open(filename, "wb") as f:
            f.write(b"\x1f\x8b partial")
        raise ConnectionResetError("connection reset by peer")

    monkeypatch.setattr(sklearn_base, "urlretrieve", partial_download)

    with pytest.raises(ConnectionResetError, match="reset by peer"):
        fetch_imdb(data_home=data_home)
    assert files_under(data_home) == []


def test_downloaded_corrupt_archive_is_deleted(remote, data_home, monkeypatch, archive):
    archive.write_bytes(archive.read_bytes()[:100])
    monkeypatch.setattr(_imdb, "ARCHIVE", remote._replace(checksum=sha256(archive)))

    with pytest.raises(ValueError, match="truncated or corrupt"):
        fetch_imdb(data_home=data_home)
    assert files_under(data_home) == []


def test_download_if_missing_false_without_cache_raises(remote, data_home):
    with pytest.raises(OSError, match="IMDB dataset not found"):
        fetch_imdb(data_home=data_home, download_if_missing=False)
    assert files_under(data_home) == []


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (
            {"subset": "trian"},
            r"The 'subset' parameter of fetch_imdb must be a str among "
            r"\{.*\}\. Got 'trian' instead\. Did you mean 'train'\?",
        ),
        ({"subset": 1}, r"The 'subset' parameter of fetch_imdb must be"),
        ({"shuffle": "yes"}, r"The 'shuffle' parameter of fetch_imdb must be"),
    ],
)
def test_invalid_parameters_raise(kwargs, match, archive, data_home):
    with pytest.raises(ValueError, match=match):
        fetch_imdb(data_home=data_home, archive=archive, **kwargs)


def _extract(files, root):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8") if isinstance(text, str) else text
        path.write_bytes(data)
    return root


@pytest.mark.parametrize("inner", [False, True])
def test_read_reviews_reads_a_folder_as_its_archive(tmp_path, inner):
    """The extracted folder (or its aclImdb subfolder) gives the archive's reviews
    in the archive's order, ignoring the files that are not labelled reviews."""
    archive = write_archive(tmp_path / "imdb.tar.gz")
    folder = _extract({**REVIEWS, **IGNORED}, tmp_path / "tree")

    from_archive = read_reviews(archive)
    from_folder = read_reviews(folder / "aclImdb" if inner else folder)

    assert from_folder.texts == from_archive.texts == EXPECTED["all"][0]
    for field in ("subset", "target", "ratings", "ids"):
        np.testing.assert_array_equal(getattr(from_folder, field),
                                      getattr(from_archive, field))


def test_reviews_columns_name_labels_and_subsets(tmp_path):
    columns = read_reviews(write_archive(tmp_path / "imdb.tar.gz")).columns()

    assert columns["text"] == EXPECTED["all"][0]
    assert columns["label"].tolist() == ["neg", "neg", "pos", "pos", "neg", "pos",
                                         "pos"]
    assert columns["subset"].tolist() == ["train"] * 4 + ["test"] * 3
    np.testing.assert_array_equal(columns["rating"], EXPECTED["all"][2])


def test_read_reviews_of_a_folder_without_reviews_raises(tmp_path):
    folder = _extract(IGNORED, tmp_path / "tree")

    with pytest.raises(ValueError, match="holds no labelled reviews"):
        read_reviews(folder)
