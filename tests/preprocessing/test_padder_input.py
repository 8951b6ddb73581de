"""SequencePadder under bad input: sequences and parameters it refuses with an
error naming the item or the parameter and what is allowed; a document of a
million tokens it truncates in bounded time and memory; a failed refit that keeps
the length it had learnt."""

import re
import time
import tracemalloc

import numpy as np
import pytest

from sklearn_rnn import SequencePadder, TextVectorizer
from tests._data import IDS, private_copy


@pytest.fixture(scope="module")
def fitted_padder():
    return SequencePadder(maxlen=4).fit(IDS)


@pytest.mark.parametrize(
    "params, match",
    [
        pytest.param({"maxlen": 0},
                     r"The 'maxlen' parameter of SequencePadder must be an int in "
                     r"the range \[1, inf\), a str among \{'auto'\} or None\. Got 0",
                     id="maxlen=0"),
        pytest.param({"maxlen": -5}, r"'maxlen' parameter.*Got -5", id="maxlen<0"),
        pytest.param({"maxlen": "atuo"}, r"Got 'atuo' instead\. Did you mean "
                     r"'auto'\?", id="maxlen-typo"),
        pytest.param({"padding": "psot"},
                     r"The 'padding' parameter of SequencePadder must be a str among "
                     r"\{'p\w+', 'p\w+'\}\. Got 'psot' instead\. Did you mean "
                     r"'post'\?", id="padding-typo"),
        pytest.param({"padding": "PRE"}, r"'padding' parameter.*Did you mean 'pre'",
                     id="padding-upper-case"),
        pytest.param({"truncating": "pr"},
                     r"The 'truncating' parameter of SequencePadder .*Got 'pr' "
                     r"instead\. Did you mean 'pre'\?", id="truncating-typo"),
        pytest.param({"percentile": 0}, r"'percentile' parameter .*\(0\.0, 100\.0\]",
                     id="percentile=0"),
        pytest.param({"dtype": "banana"},
                     r"'dtype' parameter of SequencePadder must be an integer or "
                     r"float type .*got 'banana'", id="unknown-dtype"),
        pytest.param({"dtype": np.uint8, "value": -1},
                     r"'value' parameter of SequencePadder is -1, which dtype uint8 "
                     r"cannot hold", id="value-outside-dtype"),
    ],
)
def test_padder_refuses_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        SequencePadder(**params).fit(IDS)


@pytest.mark.parametrize(
    "X, error, match",
    [
        pytest.param("raw text", TypeError, "got a string; pass raw text through "
                     "TextVectorizer first", id="bare-str"),
        pytest.param(["raw text", "more"], TypeError,
                     r"item 0 is 'raw text'\. Pass raw text through TextVectorizer",
                     id="documents"),
        pytest.param([[1, 2], None], TypeError, "item 1 is None", id="None-item"),
        pytest.param([[1, 2], [3, np.nan]], ValueError,
                     "NaN or infinity in item 1", id="nan-id"),
        pytest.param([], ValueError, "X contains no sequences; cannot learn maxlen",
                     id="no-sequences"),
        pytest.param(5, TypeError, "collection of integer id sequences, got int",
                     id="not-iterable"),
        pytest.param(np.zeros((2, 3, 4)), ValueError,
                     re.escape("list of sequences or a 2-D array; got an array with "
                               "shape (2, 3, 4)"), id="3-D-array"),
    ],
)
def test_padder_refuses_bad_sequences(X, error, match):
    with pytest.raises(error, match=match):
        SequencePadder().fit(X)


def test_padder_refuses_ids_its_dtype_would_wrap_around(fitted_padder):
    # 2**40 cast to int32 is 0: the id would silently become padding
    with pytest.raises(ValueError, match=r"Sequence 1 contains the id "
                       r"1099511627776, outside the range of dtype int32"):
        fitted_padder.transform([[2, 3], [2**40]])


def test_a_million_token_document_is_truncated_without_blowing_up():
    words = "one two three four five six seven eight nine ten".split()
    long_document = " ".join(words * 100_000)  # 1,000,000 tokens, 5.9 MB of text
    start = time.perf_counter()
    vectorizer = TextVectorizer().fit(["one two", "three"])
    sequences = vectorizer.transform([long_document, "two one"])
    assert len(sequences[0]) == 1_000_000
    padder = SequencePadder(maxlen=100, truncation="always").fit(sequences)
    tracemalloc.start()
    try:
        padded = padder.transform(sequences)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - start
    assert padded.shape == (2, 100) and padded.dtype == np.int32
    # truncating="pre" keeps the end of the document; padding="pre" puts the
    # short document at the end of its row
    np.testing.assert_array_equal(padded[0], sequences[0][-100:])
    vocabulary = vectorizer.vocabulary_
    np.testing.assert_array_equal(
        padded[1], [0] * 98 + [vocabulary["two"], vocabulary["one"]])
    # The ids take 4 MB; padding 2 rows to 100 steps needs at most one copy of
    # them (the flattened input) plus small per-row arrays. Three times the input
    # leaves room for numpy temporaries but fails on anything that scales with
    # maxlen x document length or converts ids to Python objects (28+ bytes each).
    assert peak < 3 * sequences[0].nbytes
    # a few tenths of a second on a 2-core machine; 20 s only catches a
    # quadratic blow-up, not ordinary load from other jobs
    assert elapsed < 20


@pytest.mark.parametrize(
    "bad_X, error",
    [
        pytest.param([], ValueError, id="no-sequences"),
        pytest.param(["raw text"], TypeError, id="documents"),
        pytest.param([[1, np.nan]], ValueError, id="nan-id"),
    ],
)
def test_failed_refit_keeps_the_padder(fitted_padder, bad_X, error):
    padder = private_copy(fitted_padder)
    test = [[5, 6, 7, 8, 9, 10], [1]]
    before = padder.transform(test)
    with pytest.raises(error):
        padder.fit(bad_X)
    assert padder.maxlen_ == 4
    np.testing.assert_array_equal(padder.transform(test), before)
