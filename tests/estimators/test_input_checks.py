"""The input checks of the text estimators, one function at a time, and through
the estimators where they are called already.

The unit tests train nothing. The end-to-end ones fit a 2-unit network for one
epoch on 8 samples, only to show that the check is the one fit runs.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import DataConversionWarning
from sklearn.utils._param_validation import InvalidParameterError
from skorch.callbacks import Callback, PrintLog

from sklearn_rnn import RNNTextClassifier, RNNTextRegressor
from sklearn_rnn.baselines import NBSVMClassifier
from sklearn_rnn.utils._checks import (
    MAX_INFERRED_VOCAB,
    MAX_TARGET,
    apply_class_weight,
    check_class_labels,
    check_class_weight,
    check_embeddings,
    check_inferred_vocab_size,
    check_n_classes,
    check_n_samples,
    check_regression_targets,
    check_sample_weight,
    check_tokens,
    standardisation,
)
from sklearn_rnn.utils._validation import check_callbacks

OWNER = "RNNTextClassifier"
TINY = dict(units=2, embedding_dim=2, max_epochs=1, batch_size=8,
            validation_split=None, early_stopping=False, precision="float32",
            random_state=0)
IDS = np.array([[0, 2, 3, 4], [2, 5, 6, 7], [0, 0, 8, 9], [3, 4, 5, 9]] * 2)
LABELS = np.array([0, 1] * 4)
TARGETS = np.array([1.0, 2.0, 3.0, 4.0] * 2)
COUNTS = np.array([[1, 0, 2], [0, 1, 1], [2, 2, 0], [1, 1, 1]] * 2)


def _classifier(**params):
    return RNNTextClassifier(**{**TINY, "n_estimators": 1, **params})


# ------------------------------------------------------------------ class labels
@pytest.mark.parametrize("y, expected", [
    pytest.param([1, 2, 2], np.array([1, 2, 2]), id="list-of-int"),
    pytest.param(("a", "b"), np.array(["a", "b"]), id="tuple-of-str"),
    pytest.param(pd.Series([1, 2], dtype=object), np.array([1, 2]),
                 id="object-series-of-int-stays-int"),
    pytest.param(pd.Series(["a", "b"]), np.array(["a", "b"], dtype=object),
                 id="series-of-str"),
    pytest.param(np.array([True, False]), np.array([True, False]), id="bools"),
    pytest.param([1, 2.5], np.array([1.0, 2.5]), id="int-and-float-are-numbers"),
])
def test_class_labels_come_back_as_numpy_makes_them(y, expected):
    labels = check_class_labels(y, OWNER)
    assert_array_equal(labels, expected)
    assert labels.dtype == expected.dtype


@pytest.mark.parametrize("y", [[[0], [1], [1]], np.array([[0], [1], [1]]),
                               pd.DataFrame({"label": [0, 1, 1]})],
                         ids=["list-of-rows", "array", "dataframe"])
def test_a_label_column_warns_as_sklearn_does_and_is_flattened(y):
    with pytest.warns(DataConversionWarning, match="A column-vector y was passed"):
        labels = check_class_labels(y, OWNER)
    assert_array_equal(labels, [0, 1, 1])


@pytest.mark.parametrize("make", [list, pd.Series, lambda y: np.array(y, dtype=object)],
                         ids=["list", "series", "object-array"])
@pytest.mark.parametrize("y, kinds, sample, shown", [
    ([1, 1, "a"], r"\['number', 'str'\]", 2, "'a'"),
    (["a", 2.5], r"\['number', 'str'\]", 1, "2.5"),
    ([True, False, 1], r"\['bool', 'number'\]", 2, "1"),
    ([b"a", "a"], r"\['bytes', 'str'\]", 1, "'a'"),
])
def test_mixed_label_kinds_are_refused_in_every_container(make, y, kinds, sample,
                                                          shown):
    with pytest.raises(TypeError, match=rf"y mixes labels of types {kinds}: sample "
                       rf"0 is .* and sample {sample} is {shown} "):
        check_class_labels(make(y), OWNER)


def test_bool_and_int_labels_say_they_would_merge():
    with pytest.raises(TypeError, match="True equals 1 and False equals 0"):
        check_class_labels([True, 0], OWNER)


@pytest.mark.parametrize("y, sample, n_missing", [
    pytest.param(["a", None, "b", None], 1, 2, id="None"),
    pytest.param([1.0, 2.0, float("nan")], 2, 1, id="nan-in-list"),
    pytest.param(np.array([0.0, np.nan]), 1, 1, id="nan-in-float-array"),
    pytest.param(pd.Series(["a", None], dtype="string"), 1, 1, id="pandas-NA"),
    pytest.param(pd.array([1, None, 2], dtype="Int64"), 1, 1, id="nullable-int"),
    pytest.param(np.array(["2020-01-01", "NaT"], dtype="datetime64[D]"), 1, 1,
                 id="NaT"),
])
def test_missing_labels_name_the_sample(y, sample, n_missing):
    with pytest.raises(ValueError, match=rf"the label of sample {sample} is missing "
                       rf"\({n_missing} missing in all\)"):
        check_class_labels(y, OWNER)


@pytest.mark.parametrize("y, error, match", [
    pytest.param(None, ValueError, "RNNTextClassifier requires y to be passed",
                 id="None"),
    pytest.param("pos", TypeError, "y is a single string", id="bare-str"),
    pytest.param(np.zeros((8, 2)), ValueError,
                 re.escape("got an array of shape (8, 2). RNNTextClassifier "
                           "predicts one class per sample"), id="two-columns"),
    pytest.param(7, ValueError, re.escape("got an array of shape ()"),
                 id="scalar"),
    pytest.param([[0], [0, 1]], TypeError,
                 r"labels of type list \(sample 0 is \[0\]\)", id="ragged-rows"),
])
def test_labels_that_are_not_one_per_sample_are_refused(y, error, match):
    with pytest.raises(error, match=match):
        check_class_labels(y, OWNER)


@pytest.mark.parametrize("classes, shown", [
    (np.array(["a"], dtype=object), "'a'"), (np.array(["a"]), "'a'"),
    (np.array([7]), "7"), (np.array([1.0]), r"1\.0"),
])
def test_one_class_is_shown_as_a_plain_value(classes, shown):
    with pytest.raises(ValueError, match=rf"at least 2 classes in y; got only one "
                       rf"class: {shown}\.$"):
        check_n_classes(classes, OWNER)
    check_n_classes(np.array(["a", "b"]), OWNER)  # two are enough


# ---------------------------------------------------------------------- weights
@pytest.mark.parametrize("sample_weight, expected", [
    (None, [1, 1, 1]), ([1, 2, 3], [1, 2, 3]), (2, [2, 2, 2]),
    ([True, False, True], [1, 0, 1]), (pd.Series([0.5, 0, 1]), [0.5, 0, 1]),
])
def test_sample_weight_as_float32(sample_weight, expected):
    weights = check_sample_weight(sample_weight, 3, OWNER)
    assert weights.dtype == np.float32 and weights.flags.c_contiguous
    assert_array_equal(weights, expected)


@pytest.mark.parametrize("sample_weight, error, match", [
    pytest.param([1, -2, 3], ValueError, r"negative weights: the weight of sample "
                 r"1 is -2\.0 \(1 such in all\)", id="negative"),
    pytest.param([1, np.nan, np.nan], ValueError, r"NaN or infinity: the weight of "
                 r"sample 1 is nan \(2 such in all\)", id="nan"),
    pytest.param(np.array([1, 2, np.inf]), ValueError, "sample 2 is inf",
                 id="inf"),
    pytest.param([1, 1e39, 1], ValueError, r"beyond the range of float32: the "
                 r"weight of sample 1 is 1e\+39", id="beyond-float32"),
    pytest.param([0, 0, 0], ValueError, "sample_weight is zero for all 3 samples",
                 id="all-zero"),
    pytest.param(-1.0, ValueError, "sample 0 is -1.0 \\(3 such in all\\)",
                 id="negative-scalar"),
    pytest.param([1, 2], ValueError, "sample_weight has 2 weights but X has 3 "
                 "samples", id="length"),
    pytest.param(np.ones((3, 1)), ValueError, r"1-D, one weight per sample of X; "
                 r"got an array of shape \(3, 1\)", id="2-D"),
    pytest.param("abc", TypeError, r"got 'abc' \(a str\)", id="str"),
    pytest.param({0: 2.0}, TypeError, "use the estimator's class_weight",
                 id="dict"),
    pytest.param([1, "a", 2], TypeError, r"the weight of sample 1 is 'a' \(a str\)",
                 id="str-item"),
    pytest.param([1, None, 2], TypeError, "the weight of sample 1 is None",
                 id="None-item"),
    pytest.param(np.array([1, 1j, 1]), TypeError, r"sample 0 is \(1\+0j\)",
                 id="complex"),
])
def test_bad_sample_weight_names_the_sample(sample_weight, error, match):
    with pytest.raises(error, match=match):
        check_sample_weight(sample_weight, 3, OWNER)


def test_sample_weight_range_is_the_requested_dtype():
    assert_array_equal(check_sample_weight([1e39, 1], 2, OWNER, dtype=np.float64),
                       [1e39, 1])


CLASSES = np.array(["neg", "pos"])


@pytest.mark.parametrize("class_weight, expected", [
    ({"neg": 1, "pos": 2.5}, [1.0, 2.5]),
    ({"pos": 3}, [1.0, 3.0]),  # a class without a key weighs 1
    ({"neg": 1, "pos": 2, "other": 5}, [1.0, 2.0]),  # a fold may lack a class
    ({np.str_("neg"): True}, [1.0, 1.0]),
])
def test_class_weight_per_class(class_weight, expected):
    assert_array_equal(check_class_weight(class_weight, CLASSES, OWNER), expected)


@pytest.mark.parametrize("class_weight, classes, error, match", [
    pytest.param({"neg": -1}, CLASSES, ValueError,
                 r"the weight of class 'neg' is -1; class weights must be finite "
                 r"numbers >= 0", id="negative"),
    pytest.param({"pos": np.nan}, CLASSES, ValueError, "class 'pos' is nan",
                 id="nan"),
    pytest.param({"pos": float("inf")}, CLASSES, ValueError, "class 'pos' is inf",
                 id="inf"),
    pytest.param({"neg": "x"}, CLASSES, TypeError,
                 r"the weight of class 'neg' is 'x' \(a str\)", id="str-value"),
    pytest.param({"neg": 1, "Pos": 2}, CLASSES, ValueError,
                 r"has the keys \['Pos'\], which are none of the classes "
                 r"\['neg', 'pos'\] of y, while the classes \['pos'\] have no "
                 "weight", id="misspelled-key"),
    pytest.param({1: 2}, np.array(["1", "2"]), ValueError,
                 r"the keys \[1\], which are none of the classes \['1', '2'\]",
                 id="int-key-for-str-classes"),
    pytest.param([1, 2], CLASSES, InvalidParameterError,
                 "must be a dict, 'balanced' or None", id="list"),
])
def test_bad_class_weight_names_the_key(class_weight, classes, error, match):
    with pytest.raises(error, match=match):
        check_class_weight(class_weight, classes, OWNER)


def test_apply_class_weight_multiplies_each_sample_by_its_class():
    y = np.array(["neg", "neg", "neg", "pos"])
    weights = np.array([1, 2, 1, 1], dtype=np.float32)
    assert_array_equal(apply_class_weight(weights, {"pos": 4}, y, OWNER),
                       [1, 2, 1, 4])
    # 'balanced': n_samples / (n_classes * count) = 4 / (2 * 3) and 4 / (2 * 1)
    assert_allclose(apply_class_weight(weights, "balanced", y, OWNER),
                    [2 / 3, 4 / 3, 2 / 3, 2], rtol=1e-6)
    assert apply_class_weight(weights, None, y, OWNER) is weights
    with pytest.raises(ValueError, match="sample_weight times class_weight is zero "
                       "for all 4 samples"):
        apply_class_weight(np.array([1, 1, 1, 0], np.float32), {"neg": 0}, y, OWNER)


# -------------------------------------------------------------------- callbacks
class _Recorder(Callback):
    pass


@pytest.mark.parametrize("callbacks", [
    None, [], [_Recorder()], [_Recorder], [("record", _Recorder())],
    [["record", _Recorder()], PrintLog()],
])
def test_callbacks_skorch_accepts_pass(callbacks):
    check_callbacks(callbacks, OWNER)


@pytest.mark.parametrize("callbacks, match", [
    pytest.param("progress", r"must be a list or None; got 'progress' \(a str\)",
                 id="str"),
    pytest.param(_Recorder(), r"must be a list or None; got .*\(a _Recorder\)\. "
                 r".*e\.g\. callbacks=\[cb\]", id="bare-callback"),
    pytest.param(["progress"], r"item 0 is 'progress' \(a str\), not a skorch "
                 "Callback", id="list-of-str"),
    pytest.param([_Recorder(), object()], r"item 1 is <object .*> \(a object\)",
                 id="not-a-callback"),
    pytest.param([(1, _Recorder())], r"item 0 is named 1 \(a int\); the name of a "
                 r"\(name, Callback\) pair must be a str", id="int-name"),
    pytest.param([("a", "b", _Recorder())], "item 0 is a tuple of 3 values",
                 id="triple"),
    pytest.param([("record", "PrintLog")], r"the callback of item 0 \('record'\) "
                 r"is 'PrintLog' \(a str\)", id="named-str"),
    pytest.param([("r", _Recorder()), ("r", PrintLog())],
                 "items 0 and 1 are both named 'r'", id="duplicate-name"),
])
def test_bad_callbacks_name_the_item(callbacks, match):
    with pytest.raises(InvalidParameterError,
                       match=r"'callbacks' parameter of RNNTextClassifier"):
        check_callbacks(callbacks, OWNER)
    with pytest.raises(InvalidParameterError, match=match):
        check_callbacks(callbacks, OWNER)


# -------------------------------------------------------------------- token ids
@pytest.mark.parametrize("X, expected", [
    pytest.param(np.array([[1, 2]], dtype=np.uint64), [[1, 2]], id="uint64"),
    pytest.param(np.array([[1, 2**63 - 1]], dtype=np.uint64), [[1, 2**63 - 1]],
                 id="uint64-at-the-int64-maximum"),
    pytest.param(np.array([[1, 2]], dtype=object), [[1, 2]], id="object-ints"),
    pytest.param(pd.DataFrame({"a": [1, 2], "b": [3, 0]}, dtype=object),
                 [[1, 3], [2, 0]], id="object-frame"),
])
def test_integer_ids_of_any_container_become_int64(X, expected):
    ids = check_tokens(X, OWNER)
    assert ids.dtype == np.int64
    assert_array_equal(ids, expected)


@pytest.mark.parametrize("X, value, row, column", [
    pytest.param(np.array([[1, 2], [3, 2**64 - 1]], dtype=np.uint64), 2**64 - 1,
                 1, 1, id="uint64-max"),
    pytest.param(np.array([[2**63, 1]], dtype=np.uint64), 2**63, 0, 0,
                 id="uint64-just-above"),
    pytest.param([[1, 2**63]], 2**63, 0, 1, id="python-int-list"),
    pytest.param(np.array([[1, 2**70]], dtype=object), 2**70, 0, 1,
                 id="python-int-object-array"),
])
def test_ids_beyond_int64_are_refused_before_the_cast(X, value, row, column):
    with pytest.raises(ValueError, match=rf"the token id {value} in row {row}, "
                       rf"column {column}, beyond the range of token ids"):
        check_tokens(X, OWNER)


def test_ids_too_large_to_size_an_embedding_from_are_refused():
    X = np.array([[0, 5], [MAX_INFERRED_VOCAB, 2]])
    with pytest.raises(ValueError, match=rf"the token id {MAX_INFERRED_VOCAB} in row "
                       r"1, column 0\. With vocab_size=None, RNNTextClassifier "
                       r"gives the embedding one row per id"):
        check_inferred_vocab_size(X, OWNER)
    check_inferred_vocab_size(np.minimum(X, MAX_INFERRED_VOCAB - 1), OWNER)


@pytest.mark.parametrize("X", [None, 5, {"a": 1}, (row for row in IDS)],
                         ids=["None", "int", "dict", "generator"])
def test_X_that_is_no_array_is_named(X):
    with pytest.raises(TypeError, match=r"X must be a 2-D array of token ids of "
                       r"shape \(n_samples, n_steps\); got .* \(a \w+\)\. Put "
                       "TextVectorizer and SequencePadder in front of it"):
        check_tokens(X, OWNER)


def test_a_very_negative_python_int_is_a_negative_id():
    with pytest.raises(ValueError, match=rf"got {-2**70} in row 0, column 1\."):
        check_tokens([[1, -2**70]], OWNER)


@pytest.mark.parametrize("X, match", [
    pytest.param(np.array([[1, 2.5]]), r"got dtype float64\. Row 0, column 1 holds "
                 r"2\.5, which is not a whole number", id="fractional-float"),
    pytest.param(np.array([[1.0, 3.0]]), r"got dtype float64\. Its values are whole "
                 r"numbers: if they are token ids, pass X\.astype\(np\.int64\)",
                 id="whole-float"),
    pytest.param(np.array([[True, False]]), r"got dtype bool\. A boolean array "
                 "holds no token ids", id="bool"),
    pytest.param([["good", "film"]], "strings such as 'good'", id="tokens"),
    pytest.param(np.array([[1, True]], dtype=object),
                 r"row 0, column 1 holds True \(a bool\)", id="object-bool"),
    pytest.param(np.array([[1, 2.0]], dtype=object),
                 r"row 0, column 1 holds 2\.0 \(a float\)", id="object-float"),
    pytest.param(np.array([[None, 2]], dtype=object),
                 r"row 0, column 0 holds None", id="object-None"),
])
def test_ids_that_are_no_integers_are_refused_with_the_reason(X, match):
    with pytest.raises(TypeError, match=r"X must contain integer token ids"):
        check_tokens(X, OWNER)
    with pytest.raises(TypeError, match=match):
        check_tokens(X, OWNER)


# ------------------------------------------------------------------- embeddings
@pytest.mark.parametrize("embeddings, error, match", [
    pytest.param(["glove", "word2vec"], TypeError,
                 r"embeddings holds strings \(such as 'glove'\); it must be None, "
                 r"'word2vec', WordVectors, Word2VecEmbeddings or a 2-D array of "
                 r"floats.*load_glove_6b_50d\(\)", id="list-of-str"),
    pytest.param(np.array([["a", "b"]] * 3), TypeError,
                 r"embeddings holds strings \(such as 'a'\)", id="2-D-str"),
    pytest.param([[0.0, 1.0], [1.0, "x"], [0, 0]], TypeError,
                 "embeddings holds strings", id="str-cell"),
    pytest.param([[0.0, 1.0], [1.0, None], [0, 0]], TypeError,
                 r"row 1, column 1 is None", id="None-cell"),
    pytest.param(np.array([[0, 0], [0, 0], [1, np.nan]]), ValueError,
                 r"embeddings row 2 \(the vector of token id 2\) holds NaN or "
                 r"infinity.*\(1 such row\(s\) in all\)", id="nan-row"),
    pytest.param(np.array([[0, 0], [1e39, 0], [0, 0]]), ValueError,
                 r"row 1 .*beyond float32's range", id="beyond-float32"),
    pytest.param(np.zeros((3, 2, 2)), ValueError,
                 re.escape("2-D array of shape (vocab_size, embedding_dim); got "
                           "an array with shape (3, 2, 2)"), id="3-D"),
    pytest.param(np.zeros((3, 0)), ValueError, r"embeddings has 0 columns",
                 id="no-columns"),
    pytest.param([[0.0, 1.0], [1.0], [0, 0]], ValueError,
                 "embeddings rows have different lengths: row 0 has 2 values, row "
                 "1 has 1", id="ragged"),
    pytest.param({"good": [1.0, 0.0]}, TypeError,
                 r"got \{'good': \[1\.0, 0\.0\]\} \(a dict\)\. For a dict of word "
                 r"-> vector use WordVectors", id="dict"),
    pytest.param(np.zeros((3, 2), dtype=complex), TypeError,
                 "embeddings must hold real numbers; got dtype complex128",
                 id="complex"),
    pytest.param(np.zeros((4, 2)), ValueError,
                 "embeddings has 4 rows but the vocabulary has 3 ids", id="rows"),
])
def test_bad_embeddings_name_embeddings_and_what_is_allowed(embeddings, error,
                                                            match):
    with pytest.raises(error, match=match):
        check_embeddings(embeddings, 3)


def test_embeddings_of_ints_or_a_frame_become_float32_rows():
    rows = check_embeddings(pd.DataFrame([[1, 2], [3, 4]]), 2)
    assert rows.dtype == np.float32 and rows.flags.c_contiguous
    assert_array_equal(rows, [[1, 2], [3, 4]])


# ---------------------------------------------------------------------- targets
@pytest.mark.parametrize("y, sample, shown", [
    pytest.param([1.0, -1e200, 1e151], 1, r"-1e\+200", id="1e200"),
    pytest.param(np.array([[1.0, 2.0], [3.0, 1e300]]), 1, r"1e\+300",
                 id="2-D"),
])
def test_targets_too_large_to_standardise_are_refused(y, sample, shown):
    with pytest.raises(ValueError, match=rf"The target of sample {sample} is "
                       rf"{shown}, beyond \+-1e\+150 .*Rescale y"):
        check_regression_targets(y, "RNNTextRegressor")
    assert check_regression_targets([MAX_TARGET, 0.0], "RNNTextRegressor")[0] == (
        MAX_TARGET)


def test_complex_ids_and_targets_get_sklearns_error_naming_the_input():
    with pytest.raises(ValueError, match="Complex data not supported: X must "
                       "contain integer token ids; got dtype complex128"):
        check_tokens(np.array([[1, 2j]]), OWNER)
    with pytest.raises(ValueError, match="Complex data not supported: "
                       "RNNTextRegressor predicts real numbers, so y must hold them"):
        check_regression_targets(np.array([1 + 1j, 2]), "RNNTextRegressor")


@pytest.mark.parametrize("y, sample, shown", [
    pytest.param(np.array([1.0, "x"], dtype=object), 1, r"'x' \(a str\)",
                 id="str-in-object"),
    pytest.param(np.array(["2020-01-01"], dtype="datetime64[D]"), 0,
                 r"datetime\.date\(2020, 1, 1\)", id="date"),
])
def test_targets_that_are_no_real_numbers_name_the_sample(y, sample, shown):
    with pytest.raises(ValueError, match=rf"so y must hold numbers \(real ones\): "
                       rf"the target of sample {sample} is {shown}"):
        check_regression_targets(y, "RNNTextRegressor")


@pytest.mark.parametrize("y", [{1, 2}, "ab", (v for v in "ab"), 5, np.array(5)],
                         ids=["set", "str", "generator", "int", "0-d-array"])
def test_y_that_is_no_sequence_of_targets_is_refused(y):
    with pytest.raises(TypeError, match=r"y must hold one label per sample of X, in "
                       r"order \(a list, an array or a pandas Series\); got "):
        check_n_samples(np.zeros((2, 3)), y, OWNER, "label")


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("y", [np.array([1.0, 2.0, 4.0, 8.0]),
                               np.array([[1.0, -3.0], [2.0, 5.0], [0.5, 5.0],
                                         [7.0, 0.0]])], ids=["1-D", "2-D"])
def test_standardisation_equals_numpy_on_ordinary_targets(y, weighted):
    weights = np.array([1.0, 3.0, 0.0, 2.0]) if weighted else None
    mean, scale = standardisation(y, weights)
    expected_mean = np.average(y, axis=0, weights=weights)
    expected_scale = np.sqrt(np.average((y - expected_mean) ** 2, axis=0,
                                        weights=weights))
    assert_allclose(mean, np.atleast_1d(expected_mean), rtol=1e-12)
    assert_allclose(scale, np.atleast_1d(expected_scale), rtol=1e-12)


@pytest.mark.parametrize("magnitude", [1e200, 1e-200])
def test_standardisation_stays_finite_at_extreme_magnitudes(magnitude):
    y = np.array([1.0, -1.0, 3.0, -3.0]) * magnitude
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or underflow warning
        mean, scale = standardisation(y, np.ones(4, dtype=np.float32))
    # mean 0, standard deviation sqrt((1 + 1 + 9 + 9) / 4) = sqrt(5)
    assert_allclose(mean, [0.0], atol=magnitude * 1e-15)
    assert_allclose(scale, [np.sqrt(5) * magnitude], rtol=1e-12)
    standardised = (y - mean) / scale
    assert_allclose(standardised.std(), 1.0, rtol=1e-12)


def test_standardisation_gives_a_constant_column_scale_one():
    mean, scale = standardisation(np.array([[5.0, 0.0, 1e200]] * 3), None)
    assert_array_equal(mean, [5.0, 0.0, 1e200])
    assert_array_equal(scale, [1.0, 1.0, 1.0])
    # huge weights are normalised, not multiplied into an overflow
    mean, scale = standardisation(np.array([1.0, 3.0]), np.array([1e308, 1e308]))
    assert_array_equal(mean, [2.0])
    assert_array_equal(scale, [1.0])


# ------------------------------------------------------- through the estimators
@pytest.mark.parametrize("param, value, shown", [
    ("units", True, r"an int in the range \[1, inf\)\. Got True"),
    ("max_epochs", True, r"an int in the range \[1, inf\)\. Got True"),
    ("lr", True, r"a float in the range \(0\.0, inf\)\. Got True"),
    ("dropout", False, r"a float in the range \[0\.0, 1\.0\)\. Got False"),
    ("n_estimators", True, r"an int in the range \[1, inf\) or a str among "
                           r"\{'auto'\}\. Got True"),
])
def test_a_bool_for_a_number_is_refused(param, value, shown):
    with pytest.raises(InvalidParameterError, match=rf"The '{param}' parameter of "
                       rf"RNNTextClassifier must be {shown} instead \(a bool is not "
                       r"a number here\)"):
        _classifier(**{param: value}).fit(IDS, LABELS)


def test_bool_parameters_and_numbers_still_pass():
    # numpy scalars too (a grid over np.arange yields them), though torch's
    # layers want Python ints
    model = _classifier(bidirectional=False, verbose=False, units=np.int64(2),
                        lr=np.float32(0.01)).fit(IDS, LABELS)
    assert model.net_.module_.encoder.output_size == 2  # one direction of 2 units
    assert type(model.units) is np.int64  # get_params() as the user set it


@pytest.mark.parametrize("callbacks, match", [
    ("progress", "must be an instance of 'list' or None. Got 'progress' instead. "
                 "Pass a list of skorch Callback"),
    (["progress"], "item 0 is 'progress'"),
    ([(1, _Recorder())], "item 0 is named 1"),
])
def test_fit_names_the_bad_callback(callbacks, match):
    with pytest.raises(InvalidParameterError, match=match):
        _classifier(callbacks=callbacks).fit(IDS, LABELS)


@pytest.mark.parametrize("X", [IDS.astype(np.uint64) + np.uint64(2**63),
                               [[1, 2**70]] * 8], ids=["uint64", "python-ints"])
def test_fit_refuses_ids_beyond_int64(X):
    with pytest.raises(ValueError, match="beyond the range of token ids"):
        _classifier().fit(X, LABELS)


def test_fit_and_predict_read_object_arrays_of_int_ids():
    model = _classifier().fit(IDS.astype(object), LABELS)
    assert_array_equal(model.predict_proba(IDS.astype(object)),
                       model.predict_proba(IDS))


@pytest.mark.parametrize("embeddings, error, match", [
    (np.array([["0.1", "0.2"]] * 10), TypeError, "embeddings holds strings"),
    (np.r_[np.zeros((9, 2)), [[np.nan, 0]]], ValueError,
     r"embeddings row 9 \(the vector of token id 9\) holds NaN"),
])
def test_fit_names_bad_embeddings(embeddings, error, match):
    with pytest.raises(error, match=match):
        _classifier(embeddings=embeddings).fit(IDS, LABELS)


def test_regressor_refuses_a_target_too_large_to_standardise():
    with pytest.raises(ValueError, match=r"The target of sample 1 is 1e\+200"):
        RNNTextRegressor(**TINY).fit(IDS, np.r_[1.0, 1e200, TARGETS[2:]])


def test_fit_refuses_a_set_of_labels():
    with pytest.raises(TypeError, match=r"got \{0, 1\} \(a set\)"):
        _classifier().fit(IDS[:2], {0, 1})


# ---------------------------------------------------------------------- NB-SVM
@pytest.mark.parametrize("params, sample_weight, error, match", [
    pytest.param({}, [-5, 1] * 4, ValueError, "the weight of sample 0 is -5.0",
                 id="negative-sample-weight"),
    pytest.param({}, "heavy", TypeError, r"got 'heavy' \(a str\)",
                 id="str-sample-weight"),
    pytest.param({"class_weight": {0: -5, 1: 1}}, None, ValueError,
                 "the weight of class 0 is -5", id="negative-class-weight"),
    pytest.param({"class_weight": {0: "x"}}, None, TypeError,
                 r"the weight of class 0 is 'x' \(a str\)", id="str-class-weight"),
    pytest.param({"class_weight": {0: 0, 1: 0}}, None, ValueError,
                 "is zero for all 8 samples", id="zero-class-weights"),
])
def test_nbsvm_refuses_bad_weights(params, sample_weight, error, match):
    with pytest.raises(error, match=match):
        NBSVMClassifier(**params).fit(COUNTS, LABELS, sample_weight=sample_weight)


def test_nbsvm_refuses_mixed_labels_from_a_list():
    with pytest.raises(TypeError, match=r"y mixes labels of types \['number', "
                       r"'str'\]"):
        NBSVMClassifier().fit(COUNTS, [1, "a"] * 4)
    assert NBSVMClassifier().fit(COUNTS, ["1", "a"] * 4).classes_.tolist() == [
        "1", "a"]


@pytest.mark.parametrize("name, taken_by", [("early_stopping", "EarlyStopping"),
                                            ("train_acc", "EpochScoring"),
                                            ("interrupt", "InterruptFlag")])
def test_a_callback_named_like_one_of_the_estimators(name, taken_by):
    from skorch.callbacks import EarlyStopping

    X = np.array([[1, 2, 3], [3, 2, 1]] * 5)
    clf = RNNTextClassifier(units=2, embedding_dim=2, max_epochs=1,
                            callbacks=[(name, EarlyStopping())])
    with pytest.raises(ValueError, match=rf"callbacks: the name '{name}' is taken "
                       rf"by the {taken_by} RNNTextClassifier adds"):
        clf.fit(X, [0, 1] * 5)
