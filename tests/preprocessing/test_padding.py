"""Tests of SequencePadder: Keras ``pad_sequences`` with a length learned in fit."""

import math
import pickle
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_rnn.preprocessing import SequencePadder, TextVectorizer

# One sequence longer than maxlen=3, one shorter, one empty, one exactly 3 long.
SEQUENCES = [[1, 2, 3, 4, 5], [6, 7], [], [8, 9, 10]]
PADDED = {  # (padding, truncating) -> expected output for maxlen=3
    ("pre", "pre"): [[3, 4, 5], [0, 6, 7], [0, 0, 0], [8, 9, 10]],
    ("pre", "post"): [[1, 2, 3], [0, 6, 7], [0, 0, 0], [8, 9, 10]],
    ("post", "pre"): [[3, 4, 5], [6, 7, 0], [0, 0, 0], [8, 9, 10]],
    ("post", "post"): [[1, 2, 3], [6, 7, 0], [0, 0, 0], [8, 9, 10]],
}


def keras_pad_sequences(sequences, maxlen, padding, truncating, value):
    """Pure-Python reference: the algorithm of ``keras.utils.pad_sequences``."""
    rows = []
    for sequence in sequences:
        sequence = list(sequence)
        if len(sequence) > maxlen:
            sequence = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        filler = [value] * (maxlen - len(sequence))
        rows.append(filler + sequence if padding == "pre" else sequence + filler)
    return rows


# --- padding and truncation --------------------------------------


@pytest.mark.parametrize("padding, truncating", list(PADDED))
def test_padding_and_truncating_sides(padding, truncating):
    padder = SequencePadder(maxlen=3, padding=padding, truncating=truncating)
    out = padder.fit_transform(SEQUENCES)
    assert out.dtype == np.int32 and out.shape == (4, 3)
    np.testing.assert_array_equal(out, PADDED[padding, truncating])


def test_defaults_are_pre_padding_and_pre_truncating():
    out = SequencePadder(maxlen=3).fit_transform(SEQUENCES)
    np.testing.assert_array_equal(out, PADDED["pre", "pre"])


@pytest.mark.parametrize(
    "padding, expected",
    [("pre", [[0, 0, 0, 1], [0, 0, 2, 3], [0, 0, 0, 0]]),
     ("post", [[1, 0, 0, 0], [2, 3, 0, 0], [0, 0, 0, 0]])],
)
def test_maxlen_longer_than_every_sequence(padding, expected):
    out = SequencePadder(maxlen=4, padding=padding).fit_transform([[1], [2, 3], []])
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize(
    "truncating, expected",
    [("pre", [[2, 3], [6, 7], [9, 10]]), ("post", [[1, 2], [4, 5], [8, 9]])],
)
def test_every_sequence_truncated(truncating, expected):
    sequences = [[1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]
    out = SequencePadder(maxlen=2, truncating=truncating).fit_transform(sequences)
    np.testing.assert_array_equal(out, expected)


def test_maxlen_none_uses_longest_training_sequence():
    padder = SequencePadder(maxlen=None, truncation="always").fit(
        [[1, 2], [3, 4, 5], []])
    assert padder.maxlen_ == 3
    # longer test data is truncated to the training length, shorter is padded
    np.testing.assert_array_equal(
        padder.transform([[1, 2, 3, 4, 5, 6], [7]]), [[4, 5, 6], [0, 0, 7]]
    )


def test_maxlen_none_with_only_empty_sequences_gives_one_column():
    padder = SequencePadder(maxlen=None, truncation="always").fit([[], []])
    assert padder.maxlen_ == 1
    np.testing.assert_array_equal(padder.transform([[], [5, 6]]), [[0], [6]])


# lengths 1..10: np.percentile interpolates linearly between the sorted lengths
@pytest.mark.parametrize(
    "percentile, expected_maxlen",
    [(90, 10),   # 9.1 -> 10
     (50, 6),    # 5.5 -> 6
     (25, 4),    # 3.25 -> 4
     (10, 2),    # 1.9 -> 2
     (100, 10),
     (0.5, 2)],  # 1.045 -> 2
)
def test_maxlen_auto_is_ceil_of_length_percentile(percentile, expected_maxlen):
    sequences = [list(range(1, n + 1)) for n in range(1, 11)]
    assert math.ceil(np.percentile(np.arange(1, 11), percentile)) == expected_maxlen
    padder = SequencePadder(maxlen="auto", percentile=percentile,
                            truncation="always").fit(sequences)
    assert padder.maxlen_ == expected_maxlen
    out = padder.transform(sequences)
    assert out.shape == (10, expected_maxlen)
    # the longest sequence keeps its last tokens ("pre" truncation)
    np.testing.assert_array_equal(out[-1], np.arange(11 - expected_maxlen, 11))


def test_default_maxlen_is_auto_with_99th_percentile():
    sequences = [[1] * n for n in [2] * 99 + [200]]
    # 99th percentile of 99 2s and one 200: 2 + 0.01 * 198 = 3.98 -> 4
    assert SequencePadder().fit(sequences).maxlen_ == 4


def test_maxlen_auto_exact_percentile_is_not_rounded_up():
    assert SequencePadder(maxlen="auto").fit([[1, 2]] * 4).maxlen_ == 2


def test_maxlen_auto_with_only_empty_sequences_gives_one_column():
    assert SequencePadder(maxlen="auto").fit([[], [], []]).maxlen_ == 1


def test_value_and_dtype():
    padder = SequencePadder(maxlen=3, value=-1, dtype=np.int64)
    out = padder.fit_transform([[1, 2], [3], [4, 5, 6, 7]])
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out, [[-1, 1, 2], [-1, -1, 3], [5, 6, 7]])


def test_float_dtype_keeps_float_values():
    padder = SequencePadder(maxlen=3, padding="post", value=-0.5, dtype=np.float32)
    out = padder.fit_transform([[0.25, 1.5], [2.0]])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[0.25, 1.5, -0.5], [2.0, -0.5, -0.5]])


# --- input containers --------------------------------------------

RAGGED = [[1, 2, 3, 4], [5], [6, 7]]
RAGGED_PADDED = [[2, 3, 4], [0, 0, 5], [0, 6, 7]]


@pytest.mark.parametrize(
    "container",
    [
        lambda seqs: seqs,
        lambda seqs: [np.array(s, dtype=np.int32) for s in seqs],
        lambda seqs: tuple(tuple(s) for s in seqs),
        lambda seqs: pd.Series(seqs, index=[3, 1, 2]),
        lambda seqs: np.array([np.array(s) for s in seqs], dtype=object),
        lambda seqs: (np.array(s, dtype=np.uint16) for s in seqs),
    ],
    ids=["list-of-lists", "list-of-arrays", "tuples", "series", "object-array",
         "generator"],
)
def test_ragged_input_containers(container):
    padder = SequencePadder(maxlen=3, truncation="always").fit(container(RAGGED))
    np.testing.assert_array_equal(padder.transform(container(RAGGED)), RAGGED_PADDED)


def test_2d_array_rows_are_sequences():
    X = np.array([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(
        SequencePadder(maxlen=2).fit_transform(X), [[2, 3], [5, 6]]
    )
    padder = SequencePadder(maxlen=None).fit(X)
    assert padder.maxlen_ == 3
    np.testing.assert_array_equal(padder.transform(X), X)


def test_object_array_of_equal_length_sequences():
    # np.array(..., dtype=object) of equal-length id lists is 2-D with object items
    # (the ragged case is a 1-D array of arrays); both hold integer ids.
    X = np.array([[1, 2], [3, 4]], dtype=object)
    np.testing.assert_array_equal(
        SequencePadder(maxlen=3).fit_transform(X), [[0, 1, 2], [0, 3, 4]]
    )


def test_vectorizer_output():
    documents = ["good film", "a bad bad film, really bad", ""]
    sequences = TextVectorizer().fit_transform(documents)
    # ids: bad 2 (3x), film 3 (2x), then a 4, good 5, really 6
    out = SequencePadder(maxlen=4).fit_transform(sequences)
    np.testing.assert_array_equal(out, [[0, 0, 5, 3], [2, 3, 6, 2], [0, 0, 0, 0]])


# --- errors ------------------------------------------------------


@pytest.mark.parametrize("X", ["1 2 3", b"1 2 3"])
def test_string_input_is_refused(X):
    with pytest.raises(TypeError, match="got a string; pass raw text through"):
        SequencePadder().fit(X)


@pytest.mark.parametrize(
    "X, match",
    [
        ([[1, 2], [[3, 4]]], r"item 1 is \[\[3, 4\]\]"),
        ([[1, 2], [3], ["a", "b"]], r"item 2 is \['a', 'b'\]"),
        ([[1, 2], "ab"], "item 1 is 'ab'"),
        ([[1], 7], "item 1 is 7"),
        ([[1], [True, False]], r"item 1 is \[True, False\]"),
        ([[1], [None]], r"item 1 is \[None\]"),
    ],
)
def test_items_that_are_not_1d_numeric_sequences(X, match):
    with pytest.raises(TypeError, match=match + ".*TextVectorizer first"):
        SequencePadder().fit(X)
    padder = SequencePadder().fit([[1, 2]])
    with pytest.raises(TypeError, match=match):
        padder.transform(X)


@pytest.mark.parametrize(
    "X, shape",
    [(np.zeros((2, 2, 2)), "(2, 2, 2)"), (np.arange(3), "(3,)")],
)
def test_numeric_arrays_that_are_not_2d(X, shape):
    with pytest.raises(ValueError, match=re.escape(f"got an array with shape {shape}")):
        SequencePadder().fit(X)


@pytest.mark.parametrize("X", [[], np.empty((0, 3)), iter([])])
def test_fit_without_sequences(X):
    with pytest.raises(ValueError, match="no sequences; cannot learn maxlen"):
        SequencePadder().fit(X)


def test_transform_of_no_sequences_gives_empty_matrix():
    out = SequencePadder(maxlen=3).fit([[1]]).transform([])
    assert out.shape == (0, 3) and out.dtype == np.int32


@pytest.mark.parametrize(
    "params, match",
    [
        ({"maxlen": 0}, r"'maxlen' parameter .* range \[1, inf\).*Got 0 instead"),
        ({"maxlen": -3}, "'maxlen' parameter"),
        ({"maxlen": 2.5}, "'maxlen' parameter"),
        ({"maxlen": "longest"}, "'maxlen' parameter"),
        ({"percentile": 0}, r"'percentile' parameter .* range \(0.0, 100.0\]"),
        ({"percentile": 101}, "'percentile' parameter"),
        ({"value": "x"}, "'value' parameter"),
        ({"padding": "pst"}, "Got 'pst' instead. Did you mean 'post'\\?"),
        ({"truncating": "Pre"}, "Did you mean 'pre'\\?"),
    ],
)
def test_invalid_parameters(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        SequencePadder(**params).fit([[1, 2]])


def test_invalid_parameter_error_is_a_value_error():
    with pytest.raises(ValueError, match="'maxlen' parameter"):
        SequencePadder(maxlen=0).fit([[1, 2]])


def test_no_suggestion_when_nothing_is_close():
    # "middle" resembles neither 'pre' nor 'post': no misleading "Did you mean"
    with pytest.raises(InvalidParameterError,
                       match=r"must be a str among \{'p[a-z]+', 'p[a-z]+'\}\. "
                             r"Got 'middle' instead\.$"):
        SequencePadder(padding="middle").fit([[1, 2]])


def test_transform_before_fit():
    with pytest.raises(NotFittedError, match="SequencePadder instance is not fitted"):
        SequencePadder(maxlen=3).transform([[1, 2]])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 1 + 2j])
def test_values_that_are_not_integer_ids_are_refused(bad):
    # With the default integer dtype, NaN/inf would silently become -2**31 and a
    # complex id would lose its imaginary part: an embedding lookup fails far away.
    padder = SequencePadder(maxlen=3).fit([[1, 2]])
    with pytest.raises((ValueError, TypeError), match="item 1"):
        padder.transform([[1, 2], [3, bad]])


# --- contract ----------------------------------------------------


@pytest.mark.parametrize("maxlen", [4, None, "auto"])
def test_pickle_and_clone_round_trips(maxlen):
    padder = SequencePadder(maxlen=maxlen, padding="post", value=-1,
                            truncation="always").fit(SEQUENCES)
    restored = pickle.loads(pickle.dumps(padder))
    assert restored.maxlen_ == padder.maxlen_
    np.testing.assert_array_equal(restored.transform(SEQUENCES),
                                  padder.transform(SEQUENCES))
    cloned = clone(padder)
    assert cloned.get_params() == padder.get_params()
    assert not hasattr(cloned, "maxlen_")
    np.testing.assert_array_equal(cloned.fit_transform(SEQUENCES),
                                  padder.transform(SEQUENCES))


def test_refit_learns_a_new_length():
    padder = SequencePadder(maxlen=None).fit([[1, 2, 3, 4]])
    assert padder.fit([[1]]).maxlen_ == 1


def test_input_is_not_modified():
    sequences = [np.array([1, 2, 3, 4]), np.array([5])]
    SequencePadder(maxlen=2, truncating="post").fit_transform(sequences)
    np.testing.assert_array_equal(sequences[0], [1, 2, 3, 4])
    np.testing.assert_array_equal(sequences[1], [5])


PADDER_EXPECTED_FAILED_CHECKS = {
    "check_n_features_in_after_fitting": "sequences are ragged: there is no number "
    "of input features, so no n_features_in_ (CountVectorizer has none either)",
    "check_n_features_in": "sequences are ragged: there is no number of input "
    "features, so no n_features_in_",
    "check_transformer_general": "expects an error when transform gets rows of "
    "another length than fit; padding such rows to maxlen_ is the purpose",
    "check_transformer_preserve_dtypes": "the output dtype is the dtype parameter "
    "(int32 ids for an embedding), as in Keras pad_sequences, not the input dtype",
    "check_estimators_empty_data_messages": "expects an error for shape (12, 0); "
    "that is 12 empty sequences (empty documents), valid input padded to zeros",
    "check_dtype_object": "an object array holding a dict is refused with a "
    "TypeError naming the item and what is allowed, not numpy's 'argument must "
    "be a string or a number'",
    "check_fit2d_predict1d": "a 1-D array is refused with a ValueError naming the "
    "shape and the accepted inputs; the check only wants the words 'Reshape your "
    "data'",
}


@parametrize_with_checks(
    [SequencePadder()],
    expected_failed_checks=lambda estimator: PADDER_EXPECTED_FAILED_CHECKS,
    xfail_strict=True,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# --- properties --------------------------------------------------

SEQUENCE_LISTS = st.lists(
    st.lists(st.integers(1, 2**31 - 1), max_size=12), min_size=1, max_size=10
)


@settings(deadline=None)
@given(
    train=SEQUENCE_LISTS,
    test=SEQUENCE_LISTS,
    maxlen=st.one_of(st.integers(1, 15), st.none()),
    padding=st.sampled_from(["pre", "post"]),
    truncating=st.sampled_from(["pre", "post"]),
    value=st.sampled_from([0, -1]),
)
def test_padding_matches_keras_reference(train, test, maxlen, padding, truncating,
                                         value):
    padder = SequencePadder(maxlen=maxlen, padding=padding, truncating=truncating,
                            value=value, truncation="always").fit(train)
    expected_maxlen = maxlen or max(1, max(map(len, train)))
    assert padder.maxlen_ == expected_maxlen
    out = padder.transform(test)
    assert out.shape == (len(test), expected_maxlen) and out.dtype == np.int32
    for row, sequence in zip(out, test, strict=True):
        kept = (sequence[-expected_maxlen:] if truncating == "pre"
                else sequence[:expected_maxlen])
        assert row[row != value].tolist() == kept
    assert out.tolist() == keras_pad_sequences(
        test, expected_maxlen, padding, truncating, value
    )


@settings(deadline=None)
@given(
    lengths=st.lists(st.integers(0, 30), min_size=1, max_size=20),
    percentile=st.floats(0.1, 100),
)
def test_auto_maxlen_covers_the_percentile(lengths, percentile):
    padder = SequencePadder(maxlen="auto", percentile=percentile)
    padder.fit([[1] * n for n in lengths])
    assert padder.maxlen_ == max(1, math.ceil(np.percentile(lengths, percentile)))
    assert 1 <= padder.maxlen_ <= max(1, max(lengths))


@pytest.mark.parametrize("maxlen", [2, "auto"])
@pytest.mark.parametrize("padding", ["pre", "post"])
def test_default_truncates_only_the_training_data(maxlen, padding):
    train = [[1, 2], [3, 4], [5, 6, 7]]
    padder = SequencePadder(maxlen=maxlen, padding=padding, percentile=50)
    # fit_transform (what a Pipeline trains on) is cut to maxlen_ = 2
    assert padder.fit_transform(train).shape == (3, 2)
    out = padder.transform([[8], [9, 10, 11, 12, 13]])
    expected = {"pre": [[0, 0, 0, 0, 8], [9, 10, 11, 12, 13]],
                "post": [[8, 0, 0, 0, 0], [9, 10, 11, 12, 13]]}[padding]
    np.testing.assert_array_equal(out, expected)
    # texts no longer than maxlen_ keep the training width
    np.testing.assert_array_equal(padder.transform([[8]]).shape, (1, 2))


def test_truncation_always_cuts_texts_to_predict_as_keras_does():
    padder = SequencePadder(maxlen=2, truncation="always").fit([[1, 2], [3, 4]])
    np.testing.assert_array_equal(padder.transform([[9, 10, 11]]), [[10, 11]])


def test_pipeline_fitted_on_short_texts_keeps_every_word_of_a_longer_text():
    from sklearn.pipeline import make_pipeline

    from sklearn_rnn import TextVectorizer

    pipeline = make_pipeline(TextVectorizer(), SequencePadder()).fit(
        ["good film", "bad plot", "great good fun", "awful"])
    long_text = "good " * 8 + "bad"
    ids = pipeline.transform([long_text])
    assert ids.shape == (1, 9)
    assert (ids != 0).sum() == 9
