"""RNNTextClassifier under bad input: training data, ids and hyperparameters it
refuses with an error naming the sample, the id or the parameter and what is
allowed; a failed refit that keeps the model it had."""

import re

import numpy as np
import pytest

from sklearn_rnn import RNNTextClassifier
from tests._data import (
    FEW_REVIEW_LABELS,
    FEW_REVIEWS,
    IDS,
    IDS_CLASSES,
    TINY_CLASSIFIER,
    private_copy,
)


@pytest.fixture(scope="module")
def fitted_clf():
    return RNNTextClassifier(vocab_size=10, **TINY_CLASSIFIER).fit(IDS, IDS_CLASSES)


@pytest.mark.parametrize(
    "X, y, error, match",
    [
        pytest.param(IDS, IDS_CLASSES[:-1], ValueError,
                     r"inconsistent numbers of samples: X has 12 samples \(rows\) "
                     r"but y has 11 labels", id="X-y-length-mismatch"),
        pytest.param(IDS, np.ones(12), ValueError,
                     r"at least 2 classes in y; got only one class: 1\.0",
                     id="single-class"),
        pytest.param(IDS, np.r_[IDS_CLASSES[:2], np.nan, IDS_CLASSES[3:]], ValueError,
                     r"Input y contains NaN or None: the label of sample 2 is "
                     r"missing", id="nan-label"),
        pytest.param(IDS, np.array(["a", "b", None] * 4, dtype=object), ValueError,
                     r"the label of sample 2 is missing \(4 missing in all\)",
                     id="None-label"),
        pytest.param(IDS, np.array(["a", 1] * 6, dtype=object), TypeError,
                     r"y mixes labels of types \['number', 'str'\]",
                     id="mixed-label-types"),
        pytest.param(IDS, None, ValueError,
                     "RNNTextClassifier requires y to be passed", id="y-None"),
        pytest.param(IDS[:, :, None], IDS_CLASSES, ValueError,
                     re.escape("2-D array of token ids of shape (n_samples, "
                               "n_steps); got an array with dim 3 (shape "
                               "(12, 4, 1))"), id="3-D-X"),
        pytest.param(IDS[:, 0], IDS_CLASSES, ValueError,
                     r"got a 1-D array with shape \(12,\)\. Reshape your data",
                     id="1-D-X"),
        pytest.param(FEW_REVIEWS, FEW_REVIEW_LABELS, TypeError,
                     "X contains raw text documents; .*TextVectorizer and "
                     "SequencePadder", id="raw-documents"),
        pytest.param("a great movie", [1], TypeError,
                     "X is a single string; .*TextVectorizer", id="bare-str"),
        pytest.param([[2, 3], [4]] * 6, IDS_CLASSES, ValueError,
                     "list of sequences of different lengths .*SequencePadder",
                     id="ragged-list"),
        pytest.param(IDS + 0.5, IDS_CLASSES, TypeError,
                     "X must contain integer token ids, got dtype float64",
                     id="float-ids"),
        pytest.param(IDS - 1, IDS_CLASSES, ValueError,
                     r"token ids must be >= 0 \(0 is padding\); got -1 in row 0, "
                     r"column 0", id="negative-ids"),
        pytest.param(np.where(IDS == 0, np.nan, IDS), IDS_CLASSES, ValueError,
                     r"Input X contains NaN or infinity \(first in row 0\); token "
                     r"ids must be integers >= 0", id="nan-ids"),
    ],
)
def test_classifier_refuses_bad_training_data(X, y, error, match):
    with pytest.raises(error, match=match):
        RNNTextClassifier(**TINY_CLASSIFIER).fit(X, y)


@pytest.mark.parametrize(
    "params, match",
    [
        pytest.param({"embeddings": np.zeros(10)},
                     re.escape("embeddings must be a 2-D array of shape (vocab_size, "
                               "embedding_dim); got an array with shape (10,)"),
                     id="1-D-embeddings"),
        pytest.param({"embeddings": np.zeros((3, 4))},
                     "embeddings has 3 rows but the vocabulary has 10 ids",
                     id="embeddings-rows"),
        pytest.param({"vocab_size": 5},
                     r"X contains token id 9, outside the vocabulary \[0, 5\), in "
                     r"row 2\.", id="vocab_size-too-small"),
    ],
)
def test_classifier_refuses_inconsistent_vocabulary(params, match):
    with pytest.raises(ValueError, match=match):
        RNNTextClassifier(**{**TINY_CLASSIFIER, **params}).fit(IDS, IDS_CLASSES)


@pytest.mark.parametrize(
    "X, error, match",
    [
        pytest.param(IDS.astype(float), TypeError,
                     "integer token ids, got dtype float64", id="float-ids"),
        pytest.param(-IDS, ValueError, r"Negative values in data passed to "
                     r"RNNTextClassifier: .*got -9 in row 2, column 3",
                     id="negative-ids"),
        pytest.param(IDS + 10, ValueError,
                     r"token id 19, outside the vocabulary \[0, 10\), in row 2\. "
                     "Set vocab_size", id="out-of-vocabulary-ids"),
        pytest.param(IDS[:, :, None], ValueError, "got an array with dim 3",
                     id="3-D"),
        pytest.param(IDS[0], ValueError, "Reshape your data", id="1-D"),
        pytest.param(["a great movie"], TypeError, "raw text documents",
                     id="raw-documents"),
    ],
)
@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_classifier_refuses_bad_ids_at_predict(fitted_clf, method, X, error, match):
    with pytest.raises(error, match=match):
        getattr(fitted_clf, method)(X)


CLASSIFIER_BAD_PARAMS = [
    pytest.param({"cell_type": "lstn"},
                 r"The 'cell_type' parameter of RNNTextClassifier must be a str "
                 r"among \{.*\}\. Got 'lstn' instead\. Did you mean 'lstm'\?",
                 id="cell_type-typo"),
    pytest.param({"cell_type": "GRU"}, r"Did you mean 'gru'\?",
                 id="cell_type-upper-case"),
    pytest.param({"pooling": "maks"},
                 r"The 'pooling' parameter .*Got 'maks' instead\. Did you mean "
                 r"'max'\?", id="pooling-typo"),
    pytest.param({"optimizer": "adma"},
                 r"The 'optimizer' parameter .*Got 'adma' instead\. Did you mean "
                 r"'adam'\?", id="optimizer-typo"),
    pytest.param({"optimizer": "rmsprp"}, r"Did you mean 'rmsprop'\?",
                 id="optimizer-typo-2"),
    pytest.param({"units": 0}, r"The 'units' parameter of RNNTextClassifier must be "
                 r"an int in the range \[1, inf\)\. Got 0 instead", id="units=0"),
    pytest.param({"units": -4}, r"'units' parameter.*Got -4", id="units<0"),
    pytest.param({"num_layers": 0}, r"'num_layers' parameter.*\[1, inf\)\. Got 0",
                 id="num_layers=0"),
    pytest.param({"batch_size": 0}, r"'batch_size' parameter.*\[1, inf\)\. Got 0",
                 id="batch_size=0"),
    pytest.param({"dropout": 1.0}, r"The 'dropout' parameter .*must be a float in "
                 r"the range \[0\.0, 1\.0\)\. Got 1\.0", id="dropout=1"),
    pytest.param({"dropout": -0.1}, r"'dropout' parameter.*Got -0\.1",
                 id="dropout<0"),
    pytest.param({"recurrent_dropout": 1.0},
                 r"The 'recurrent_dropout' parameter .*\[0\.0, 1\.0\)\. Got 1\.0",
                 id="recurrent_dropout=1"),
    pytest.param({"recurrent_dropout": 1.5}, r"'recurrent_dropout' parameter.*1\.5",
                 id="recurrent_dropout>1"),
]


@pytest.mark.parametrize("params, match", CLASSIFIER_BAD_PARAMS)
def test_classifier_refuses_bad_hyperparameters(params, match):
    with pytest.raises(ValueError, match=match):
        RNNTextClassifier(**{**TINY_CLASSIFIER, **params}).fit(IDS, IDS_CLASSES)


@pytest.mark.parametrize(
    "bad_X, bad_y, params, error",
    [
        pytest.param(IDS, np.ones(12), {}, ValueError, id="single-class"),
        pytest.param(IDS, np.r_[np.nan, IDS_CLASSES[1:]], {}, ValueError,
                     id="nan-label"),
        pytest.param(IDS[:, :, None], IDS_CLASSES, {}, ValueError, id="3-D-X"),
        pytest.param(IDS - 1, IDS_CLASSES, {}, ValueError, id="negative-ids"),
        pytest.param(IDS + 50, np.array(["x", "y", "z"] * 4), {"vocab_size": 10},
                     ValueError, id="out-of-vocabulary-new-classes"),
        pytest.param(IDS, IDS_CLASSES, {"cell_type": "lstn"}, ValueError,
                     id="bad-hyperparameter"),
    ],
)
def test_failed_refit_keeps_the_classifier(fitted_clf, bad_X, bad_y, params, error):
    clf = private_copy(fitted_clf)
    before = clf.predict_proba(IDS)
    with pytest.raises(error):
        clf.set_params(**params).fit(bad_X, bad_y)
    np.testing.assert_array_equal(clf.classes_, [0, 1])
    assert clf.vocab_size_ == 10
    np.testing.assert_array_equal(clf.predict_proba(IDS), before)
    np.testing.assert_array_equal(clf.predict(IDS), fitted_clf.predict(IDS))
