"""Word-vector files and tables as a hostile user makes them: every malformed
file is refused naming the file and line (or word), never read in part, and no
header sizes an allocation before the file has shown it holds that much."""

import bz2
import gzip
import hashlib
import io
import lzma
import re
import tracemalloc
import zipfile

import numpy as np
import pytest
from sklearn.datasets._base import RemoteFileMetadata

from sklearn_rnn.embeddings import (
    WordVectors,
    _fetch,
    _io,
    _parse,
    fetch_word_vectors,
    load_word_vectors,
)

GLOVE = "good 0.5 1.0 -2.0\nbad -0.5 -1.0 0.25\n"
WORDS = ["good", "bad"]
VECTORS = np.array([[0.5, 1.0, -2.0], [-0.5, -1.0, 0.25]], dtype=np.float32)


def write(tmp_path, content, name="vectors.txt"):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def named(path, line=None):
    """The pattern of the start of an error about ``path`` (and its line)."""
    where = re.escape(repr(str(path)))
    return where if line is None else rf"{where}, line {line}: "


def binary(words=WORDS, vectors=VECTORS, header=None, newline=b"\n"):
    """The C tool's binary format: a text header, then each word, a space and
    its float32 values, little-endian."""
    n, dim = np.shape(vectors)
    out = (header or f"{n} {dim}").encode() + b"\n"
    for word, vector in zip(words, vectors, strict=True):
        out += word.encode() + b" " + np.asarray(vector, "<f4").tobytes() + newline
    return out


def peak_bytes(call):
    """The peak of memory traced while ``call()`` runs (it is expected to raise)."""
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as info:
            call()
        return tracemalloc.get_traced_memory()[1], str(info.value)
    finally:
        tracemalloc.stop()


# -- headers that lie --------------------------------------------------------------


@pytest.mark.parametrize("header, match", [
    (f"{10**12} 3", r"announces 1000000000000 words, but the file ends after 2"),
    (f"{10**7} 300", r"line 2: 3 values where the header \(line 1\) announces 300"),
    (f"2 {10**9}", r"line 2: 3 values where the header \(line 1\) announces "
                   r"1000000000"),
])
def test_text_header_never_sizes_an_allocation(tmp_path, header, match):
    path = write(tmp_path, f"{header}\n{GLOVE}", "lies.vec")

    peak, message = peak_bytes(lambda: load_word_vectors(path))

    assert peak < 1 << 24
    assert re.search(match, message), message
    assert message.startswith(repr(str(path)))


@pytest.mark.parametrize("header, match", [
    (f"{10**12} 3", r"announces 1000000000000 words, but the file ends after 2"),
    (f"2 {10**9}", r"word 1 \('good'\) is cut short"),
])
def test_binary_header_never_sizes_an_allocation(tmp_path, header, match):
    path = write(tmp_path, binary(header=header), "lies.bin")

    peak, message = peak_bytes(lambda: load_word_vectors(path))

    assert peak < 1 << 24
    assert re.search(match, message), message


def test_header_announcing_fewer_words_than_the_file_holds(tmp_path):
    path = write(tmp_path, f"1 3\n{GLOVE}", "short-header.vec")

    with pytest.raises(ValueError, match=rf"{named(path, 3)}the file holds more "
                                         r"lines than the 1 words its header"):
        load_word_vectors(path)


def test_header_announcing_more_words_is_a_cut_file(tmp_path):
    path = write(tmp_path, f"5 3\n{GLOVE}", "cut.vec")

    with pytest.raises(ValueError, match=rf"{named(path)}: the header announces 5 "
                                         r"words, but the file ends after 2.*cut "
                                         "short"):
        load_word_vectors(path)
    # reading only the first words never reaches the end
    assert load_word_vectors(path, limit=2).words.tolist() == WORDS
    with pytest.raises(ValueError, match=r"ends after 2"):
        load_word_vectors(path, limit=3)


@pytest.mark.parametrize("header, match", [
    ("9" * 5000 + " 3", r"line 1: the header '9999.*' holds implausible counts"),
    ("2 0", r"line 1: the header announces vectors of 0 values"),
    ("0 3", r"holds no word vectors"),
    ("2 3 4", r"line 1: read as format 'word2vec', the first line must be a header "
              r"'n_words dim'"),
])
def test_malformed_headers(tmp_path, header, match):
    path = write(tmp_path, f"{header}\n", "h.vec")

    with pytest.raises(ValueError, match=rf"{named(path)}.*{match}"):
        load_word_vectors(path, format="word2vec")


# -- GloVe text --------------------------------------------------------------------


def test_words_with_spaces_are_read_as_glove_840b_writes_them(tmp_path):
    path = write(tmp_path, GLOVE + ". . . 1 2 3\nat name@domain.com 4 5 6\n")

    wv = load_word_vectors(path)

    assert wv.words.tolist() == WORDS + [". . .", "at name@domain.com"]
    np.testing.assert_array_equal(wv.vectors[2:], [[1, 2, 3], [4, 5, 6]])


@pytest.mark.parametrize("line, match", [
    ("ugly 1 2 3 4", r"4 values where line 1 has 3"),
    ("ugly 1 2", r"2 values where line 1 has 3"),
    ("ugly", r"0 values where line 1 has 3"),
    ("ugly 1 2 x", r"'x' is not a number"),
    ("ugly 1 2 1e39", r"the vector of word 'ugly' \(row 2\) holds NaN or infinity "
                      r"\(or a value beyond the float32 range\)"),
    ("ugly 1 nan 2", r"the vector of word 'ugly' \(row 2\) holds NaN"),
    ("ugly 1 -inf 2", r"the vector of word 'ugly' \(row 2\) holds NaN"),
    (" 1 2 3", r"the word is empty"),
    ("ugly  1 2 3", r"the word 'ugly ' starts or ends with a space"),
    ("ug\tly 1 2 3", r"the word 'ug\\tly' holds a tab"),
    ("good 3 2 1", r"repeated word 'good' \(first on line 1\)"),
    ("", r"the line is blank"),
])
def test_malformed_glove_line_names_the_line(tmp_path, line, match):
    path = write(tmp_path, f"{GLOVE}{line}\nlast 0 0 0\n")

    with pytest.raises(ValueError, match=rf"^{named(path, 3)}{match}"):
        load_word_vectors(path)


def test_a_row_of_equal_values_is_a_vector_like_any_other(tmp_path):
    path = write(tmp_path, GLOVE + "same 0.5 0.5 0.5\nzero 0 0 0\n")

    np.testing.assert_array_equal(load_word_vectors(path).vectors[2:],
                                  [[0.5] * 3, [0] * 3])


def test_first_line_without_values(tmp_path):
    path = write(tmp_path, "good\tbad\n")

    with pytest.raises(ValueError, match=rf"{named(path, 1)}the line holds a word "
                                         r"and no values"):
        load_word_vectors(path)


def test_last_line_without_newline_is_a_cut_file(tmp_path):
    # the value 3.25 cut to 3.2 would load unnoticed
    path = write(tmp_path, GLOVE + "ugly 1 2 3.2")

    with pytest.raises(ValueError, match=rf"{named(path, 3)}the last line does not "
                                         r"end with a newline: the file is cut short"):
        load_word_vectors(path)


def test_glove_file_with_a_header(tmp_path):
    path = write(tmp_path, f"2 3\n{GLOVE}")

    with pytest.raises(ValueError, match=rf"{named(path, 2)}3 values where line 1 "
                                         r"has 1; read as format 'glove', line 1 looks "
                                         r"like a header 'n_words dim': pass "
                                         r"format='word2vec'"):
        load_word_vectors(path, format="glove")


def test_word2vec_format_without_header(tmp_path):
    path = write(tmp_path, GLOVE)

    with pytest.raises(ValueError, match=rf"{named(path, 1)}read as format "
                                         r"'word2vec', the first line must be a header "
                                         r"'n_words dim'; got 'good 0.5 1.0 -2.0'.*"
                                         r"format='glove'"):
        load_word_vectors(path, format="word2vec")


@pytest.mark.parametrize("text", [
    "\ufeff" + GLOVE,  # byte order mark
    GLOVE.replace("\n", "\r\n"),
    GLOVE.replace("\n", " \n"),  # fastText ends each line with a space
])
def test_text_variants_that_read_alike(tmp_path, text):
    wv = load_word_vectors(write(tmp_path, text))

    assert wv.words.tolist() == WORDS
    np.testing.assert_array_equal(wv.vectors, VECTORS)


def test_huge_line_is_refused_before_it_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(_parse, "_MAX_LINE_BYTES", 32)
    path = write(tmp_path, GLOVE + "ugly " + "1 " * 40 + "\n")

    with pytest.raises(ValueError, match=rf"{named(path, 3)}longer than 32 bytes"):
        load_word_vectors(path)


def test_utf16_text_is_refused(tmp_path):
    path = write(tmp_path, GLOVE.encode("utf-16-le"))

    with pytest.raises(ValueError, match=rf"{named(path, 1)}the line holds a NUL "
                                         r"character.*UTF-16"):
        load_word_vectors(path)


def test_binary_file_read_as_text(tmp_path):
    path = write(tmp_path, binary(), "vectors.vec")

    with pytest.raises(ValueError, match=rf"{named(path, 2)}not valid UTF-8.*a "
                                         r"binary word2vec file\? Pass "
                                         r"format='word2vec-binary'"):
        load_word_vectors(path)


# -- compression, by content -------------------------------------------------------


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
@pytest.mark.parametrize("name", ["v.txt", "v.txt.gz"])
def test_compression_is_recognised_by_content(tmp_path, compress, name):
    wv = load_word_vectors(write(tmp_path, compress(GLOVE.encode()), name))

    assert wv.words.tolist() == WORDS


def test_plain_file_named_gz(tmp_path):
    assert load_word_vectors(write(tmp_path, GLOVE, "v.txt.gz")).words.tolist() == WORDS


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
@pytest.mark.parametrize("cut", [10, -3])
def test_cut_compressed_file(tmp_path, compress, cut):
    text = "".join(f"w{i} 1 2 3\n" for i in range(200))
    path = write(tmp_path, compress(text.encode())[:cut])

    with pytest.raises(ValueError, match=rf"Could not read {named(path)}: it is "
                                         r"truncated or corrupt"):
        load_word_vectors(path)


def test_zip_archive_given_as_a_vector_file(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("v.txt", GLOVE)
    path = write(tmp_path, buffer.getvalue(), "glove.zip")

    with pytest.raises(ValueError, match=rf"{named(path)} is a zip archive"):
        load_word_vectors(path)


# -- word2vec binary ---------------------------------------------------------------


@pytest.mark.parametrize("newline", [b"\n", b""])
def test_binary_read_with_and_without_newlines(tmp_path, newline):
    wv = load_word_vectors(write(tmp_path, binary(newline=newline), "v.bin"))

    assert wv.words.tolist() == WORDS
    np.testing.assert_array_equal(wv.vectors, VECTORS)


@pytest.mark.parametrize("data, match", [
    (binary() + b"extra", r"holds more data after the 2 words its header announces"),
    (binary(vectors=[[1, np.nan, 0], [0, 0, 0]]),
     r"word 1: the vector of word 'good' \(row 0\) holds NaN"),
    (binary(words=["good", "good"]), r"word 2 \('good'\): repeated word 'good' "
                                     r"\(first: word 1\)"),
    (binary(words=["good", ""]), r"word 2 \(byte \d+\): the word is empty"),
    (binary()[:-5], r"word 2 \('bad'\) is cut short"),
    (b"2 3\n" + GLOVE.encode(), r"word 1 \('good'\): its values look like text: "
                                r"a text file\? Pass format='word2vec'"),
    (b"2 3 x\n", r"line 1: read as format 'word2vec-binary', the first line must be "
                 r"a header"),
])
def test_malformed_binary(tmp_path, data, match):
    path = write(tmp_path, data, "v.bin")

    with pytest.raises(ValueError, match=rf"{named(path)}.*{match}"):
        load_word_vectors(path)


def test_binary_word_without_its_space(tmp_path, monkeypatch):
    monkeypatch.setattr(_parse, "_MAX_WORD_BYTES", 8)
    path = write(tmp_path, b"1 3\n" + b"x" * 40, "v.bin")

    with pytest.raises(ValueError, match=rf"{named(path)}, word 1 \(byte 4\): no "
                                         r"space within 8 bytes"):
        load_word_vectors(path)


# -- parameters --------------------------------------------------------------------


@pytest.mark.parametrize("path", [None, 3, ["v.txt"]])
def test_path_that_is_no_path(path):
    with pytest.raises(TypeError, match=r"The 'path' parameter of load_word_vectors "
                                        r"must be a str or path-like"):
        load_word_vectors(path)


def test_name_must_be_a_str(tmp_path):
    with pytest.raises(TypeError, match=r"The 'name' parameter of load_word_vectors "
                                        r"must be a str or None\. Got 3 instead"):
        load_word_vectors(write(tmp_path, GLOVE), name=3)


# -- WordVectors -------------------------------------------------------------------


@pytest.mark.parametrize("words, vectors, error, match", [
    ("ab", [[1.0], [2.0]], TypeError, r"words must be a sequence of str, not a str"),
    ([], np.zeros((0, 3)), ValueError, r"at least one word"),
    (["a"], [[1 + 2j]], ValueError, r"vectors must be real numbers; got dtype "
                                    r"complex128"),
    (["a"], [[True]], ValueError, r"2-D numeric array"),
    (["a"], [[1e39]], ValueError, r"beyond the float32 range"),
])
def test_word_vectors_refuse_hostile_tables(words, vectors, error, match):
    with pytest.raises(error, match=match):
        WordVectors(words, vectors)


@pytest.mark.parametrize("tokens, error, match", [
    ("ab", TypeError, r"tokens must be a sequence of str, not a str"),
    (["", 5], TypeError, r"tokens\[1\] is 5 of type int; tokens must be str"),
    (None, TypeError, r"tokens must be a sequence of str.*got None"),
])
def test_align_refuses_tokens_that_are_no_strings(tokens, error, match):
    with pytest.raises(error, match=match):
        WordVectors(["a"], [[1.0]]).align(tokens)


# -- the GloVe package's files -----------------------------------------------------


@pytest.fixture
def package(tmp_path):
    """Write a tiny package (matrix, index) and read it back as the loader does."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")

    def read(matrix, words, matrix_bytes=None):
        matrix_path, index_path = tmp_path / "m.npy", tmp_path / "i.parquet"
        if matrix_bytes is not None:
            matrix_path.write_bytes(matrix_bytes)
        else:
            np.save(matrix_path, matrix, allow_pickle=True)
        frame = pd.DataFrame({"word": words}) if words is not None else \
            pd.DataFrame(index=range(3))
        frame.to_parquet(index_path)
        return _io.read_glove_package(matrix_path, index_path, shape=(3, 2)), (
            matrix_path, index_path)

    return read


MATRIX = np.arange(6, dtype=np.float32).reshape(3, 2)


def test_package_reads_its_files(package):
    wv, _ = package(MATRIX, ["a", "b", "c"])

    assert wv.words.tolist() == ["a", "b", "c"]
    np.testing.assert_array_equal(wv.vectors, MATRIX)


@pytest.mark.parametrize("matrix, match", [
    (np.zeros((3, 2), dtype=object), r"Object arrays cannot be loaded|Python "
                                     r"objects"),
    (np.zeros((3, 2), dtype="<U3"), r"dtype <U3; expected floats"),
    (np.zeros((3, 2), dtype=np.int64), r"dtype int64; expected floats"),
    (np.zeros((3, 2), dtype=complex), r"dtype complex128; expected floats"),
    (np.zeros(6, dtype=np.float32), r"shape \(6,\); expected \(3, 2\)"),
    (np.zeros((3, 2, 1), dtype=np.float32), r"shape \(3, 2, 1\)"),
    (np.zeros((4, 2), dtype=np.float32), r"shape \(4, 2\)"),
])
def test_package_matrix_of_the_wrong_kind(package, matrix, match):
    with pytest.raises(ValueError, match=r"GloVe package.*m\.npy.*" + match):
        package(matrix, ["a", "b", "c"])


def test_package_matrix_is_never_unpickled(package, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("pickle.load", lambda *a, **k: calls.append(a))

    with pytest.raises(ValueError, match=r"m\.npy"):
        package(np.array([[{"a": 1}, None]] * 3, dtype=object), ["a", "b", "c"])
    assert calls == []


def test_package_cut_matrix(package):
    raw = io.BytesIO()
    np.save(raw, MATRIX)

    with pytest.raises(ValueError, match=r"m\.npy"):
        package(None, ["a", "b", "c"], matrix_bytes=raw.getvalue()[:-3])


@pytest.mark.parametrize("words, match", [
    (["a", None, "c"], r"i\.parquet.*row 1 holds no word \(a missing value\); "
                       r"expected a str"),
    ([1, 2, 3], r"i\.parquet.*row 0 is 1; expected a str"),
    (["a", "a", "c"], r"i\.parquet.*'a' appears twice"),
    (["a", "b"], r"i\.parquet.*holds 2 words; expected 3"),
    (None, r"i\.parquet.*has no column"),
])
def test_package_index_that_does_not_match(package, words, match):
    with pytest.raises(ValueError, match=match):
        package(MATRIX, words)


# -- fetch_word_vectors ------------------------------------------------------------


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, text in members.items():
            zf.writestr(member, text)
    return buffer.getvalue()


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """One vector set 'tiny' in a zip archive served by a file:// URL."""
    source = tmp_path / "server" / "tiny.zip"
    source.parent.mkdir()

    def publish(members, *, size="exact"):
        raw = zip_bytes(members)
        source.write_bytes(raw)
        archive = RemoteFileMetadata("tiny.zip", source.as_uri(), None)
        pinned = len(raw) if size == "exact" else size
        monkeypatch.setattr(_fetch, "VECTOR_SOURCES", {
            "tiny": _fetch.VectorSource(archive, pinned, "tiny.txt", "glove")})
        return source

    return publish


@pytest.mark.parametrize("where", ["data_home", "word_vectors"])
def test_fetch_cache_folder_that_is_a_file(tmp_path, registry, where):
    registry({"tiny.txt": GLOVE})
    data_home = tmp_path / "data"
    blocker = data_home if where == "data_home" else data_home / "word_vectors"
    blocker.parent.mkdir(exist_ok=True)
    blocker.write_text("not a folder")

    with pytest.raises(NotADirectoryError, match=rf"{re.escape(repr(str(blocker)))} "
                                                 r"is a file, not a folder"):
        fetch_word_vectors("tiny", data_home=data_home)
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("name, error, match", [
    (["tiny"], TypeError, r"The 'name' parameter of fetch_word_vectors must be a str"
                          r".*Got \['tiny'\]"),
    (None, TypeError, r"must be a str.*Got None"),
])
def test_fetch_name_that_is_no_str(tmp_path, registry, name, error, match):
    registry({"tiny.txt": GLOVE})

    with pytest.raises(error, match=match):
        fetch_word_vectors(name, data_home=tmp_path / "data")


@pytest.mark.parametrize("sha256", ["abc", "g" * 64, 123, "0" * 63])
def test_fetch_sha256_that_is_no_digest_is_refused_before_downloading(
        tmp_path, registry, sha256):
    registry({"tiny.txt": GLOVE})

    with pytest.raises(ValueError, match=r"sha256 must be None or a SHA-256 digest: "
                                         r"64 hexadecimal digits"):
        fetch_word_vectors("tiny", data_home=tmp_path / "data", sha256=sha256)
    assert not (tmp_path / "data" / "word_vectors").exists()


def test_fetch_sha256_in_capitals_is_the_same_digest(tmp_path, registry):
    source = registry({"tiny.txt": GLOVE})
    digest = hashlib.sha256(source.read_bytes()).hexdigest().upper()

    wv = fetch_word_vectors("tiny", data_home=tmp_path / "data", sha256=digest)

    assert wv.words.tolist() == WORDS


def test_fetch_member_error_names_member_archive_and_line(tmp_path, registry):
    registry({"tiny.txt": GLOVE + "ugly 1 2\n"})
    archive = tmp_path / "data" / "word_vectors" / "tiny.zip"

    with pytest.raises(ValueError, match=rf"^'tiny.txt' from the archive "
                                         rf"{re.escape(repr(str(archive)))}, line 3: "
                                         r"2 values where line 1 has 3"):
        fetch_word_vectors("tiny", data_home=tmp_path / "data")


def test_fetch_replaces_a_kept_archive_of_the_wrong_size(tmp_path, registry):
    registry({"tiny.txt": GLOVE})
    data_home = tmp_path / "data"
    home = data_home / "word_vectors"
    home.mkdir(parents=True)
    (home / "tiny.zip").write_bytes(b"PK\x03\x04 a download cut short")

    wv = fetch_word_vectors("tiny", data_home=data_home)

    assert wv.words.tolist() == WORDS
    assert (home / "tiny.zip").stat().st_size == len(zip_bytes({"tiny.txt": GLOVE}))


def test_fetch_rebuilds_a_corrupt_cache(tmp_path, registry, caplog):
    registry({"tiny.txt": GLOVE})
    data_home = tmp_path / "data"
    first = fetch_word_vectors("tiny", data_home=data_home)
    (cache,) = (data_home / "word_vectors").glob("tiny*.npz")
    cache.write_bytes(cache.read_bytes()[:100])

    again = fetch_word_vectors("tiny", data_home=data_home)

    assert again == first
    assert "Ignoring the unreadable cache" in caplog.text
