"""SemiSupervisedCV: folds of the labelled rows, with every unlabelled row (label
-1, all-NaN regression targets) in every training fold and in no test fold."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import accuracy_score
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    KFold,
    LeaveOneOut,
    StratifiedKFold,
)
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_rnn import EncoderPretrainer, RNNTextClassifier
from sklearn_rnn.model_selection import SemiSupervisedCV
from tests._data import IDS, TINY_CLASSIFIER

# 24 labelled rows sorted by class (12 of class 0, 6 of 1, 6 of 2), so that
# unstratified folds would not keep the proportions, and 6 unlabelled rows
LABELS = np.insert(np.array([0] * 12 + [1] * 6 + [2] * 6), [0, 4, 8, 12, 16, 20], -1)
UNLABELLED = np.flatnonzero(LABELS == -1)
LABELLED = np.flatnonzero(LABELS != -1)
X = np.arange(len(LABELS)).reshape(-1, 1)
STR_LABELS = [{0: "a", 1: "b", 2: "c"}.get(label, -1) for label in LABELS.tolist()]


def _folds(cv, y, X=X, groups=None):
    return list(SemiSupervisedCV(cv=cv).split(X, y, groups))


def _check_folds(folds, labelled, unlabelled):
    """Every test fold holds labelled rows only and they partition the labelled
    rows; every training fold is all unlabelled rows plus the other labelled
    ones, sorted."""
    tests = [test for _, test in folds]
    assert all(np.isin(test, labelled).all() for test in tests)
    np.testing.assert_array_equal(np.sort(np.concatenate(tests)), labelled)
    for train, test in folds:
        expected = np.union1d(unlabelled, np.setdiff1d(labelled, test))
        np.testing.assert_array_equal(train, expected)


# --- class labels ------------------------------------------------------------------
@pytest.mark.parametrize("y", [
    pytest.param(LABELS, id="int-array"),
    pytest.param(LABELS.tolist(), id="int-list"),
    pytest.param(LABELS.astype(float), id="float-array"),
    pytest.param(pd.Series(LABELS), id="int-series"),
    pytest.param(STR_LABELS, id="str-list"),
    pytest.param(np.array(STR_LABELS, dtype=object), id="object-array"),
])
@pytest.mark.parametrize("cv", [3, 4])
def test_test_folds_partition_the_labelled_rows_and_training_folds_add_the_rest(
        y, cv):
    folds = _folds(cv, y)
    assert len(folds) == cv
    _check_folds(folds, LABELLED, UNLABELLED)


@pytest.mark.parametrize("y", [
    pytest.param(LABELS, id="int-array"),
    pytest.param(STR_LABELS, id="str-list-with-int-minus-one"),
])
def test_an_int_cv_stratifies_class_labels(y):
    folds = _folds(3, y)
    labels = np.asarray(y, dtype=object)
    for _, test in folds:  # 12, 6 and 6 of each class over 3 folds
        assert sorted(Counter(labels[test].tolist()).values()) == [2, 2, 4]
    # a negative control: unstratified folds of the sorted labels would not
    for _, test in KFold(3).split(LABELLED):
        assert sorted(Counter(labels[LABELLED[test]].tolist()).values()) != [2, 2, 4]


def test_a_splitter_is_applied_to_the_labelled_rows():
    splitter = StratifiedKFold(3, shuffle=True, random_state=0)
    folds = _folds(splitter, LABELS)
    expected = [LABELLED[test] for _, test in
                splitter.split(LABELLED, LABELS[LABELLED])]
    for (_, test), wanted in zip(folds, expected, strict=True):
        np.testing.assert_array_equal(test, wanted)
    _check_folds(folds, LABELLED, UNLABELLED)


def test_the_string_minus_one_is_a_label():
    # numpy makes the -1 among strings the string '-1': labelled rows
    y = np.array(STR_LABELS)
    folds = _folds(3, y)
    _check_folds(folds, np.arange(len(y)), np.array([], dtype=int))
    assert all("-1" in y[test] for _, test in folds)  # stratified as a class


def test_groups_are_split_with_their_labelled_rows():
    groups = np.arange(len(LABELS)) // 3  # 10 groups of 3 rows
    folds = _folds(GroupKFold(2), LABELS, groups=groups)
    _check_folds(folds, LABELLED, UNLABELLED)
    for train, test in folds:
        labelled_train = np.intersect1d(train, LABELLED)
        assert not set(groups[test]) & set(groups[labelled_train])


# --- regression targets --------------------------------------------------------------
TARGETS = np.array([0.3, np.nan, 1.7, 2.9, -1.0, np.nan, 0.4, 5.5, 3.1, 2.2,
                    np.nan, 0.8, 1.4, 4.6])
TARGET_ROWS = np.flatnonzero(~np.isnan(TARGETS))


def test_regression_targets_with_nan_rows_are_split_by_kfold():
    folds = _folds(3, TARGETS)
    _check_folds(folds, TARGET_ROWS, np.flatnonzero(np.isnan(TARGETS)))
    # KFold: consecutive labelled rows, -1.0 (row 4) a target like any other
    expected = [TARGET_ROWS[test] for _, test in KFold(3).split(TARGET_ROWS)]
    for (_, test), wanted in zip(folds, expected, strict=True):
        np.testing.assert_array_equal(test, wanted)
    assert 4 in folds[0][1]


def test_rows_of_several_targets_are_unlabelled_when_all_nan():
    y = np.column_stack([TARGETS, np.where(np.isnan(TARGETS), np.nan, 1.0)])
    folds = _folds(2, y)
    _check_folds(folds, TARGET_ROWS, np.flatnonzero(np.isnan(TARGETS)))


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast")
def test_a_list_of_regression_targets_with_nan_rows():
    folds = _folds(3, TARGETS.tolist())
    _check_folds(folds, TARGET_ROWS, np.flatnonzero(np.isnan(TARGETS)))


def test_minus_one_is_a_regression_target_without_nan_rows():
    y = np.array([0.3, -1.0, 1.7, 2.9, -1.0, 0.4, 5.5, 3.1, 2.2])
    folds = _folds(3, y)
    _check_folds(folds, np.arange(len(y)), np.array([], dtype=int))


def test_rows_of_several_targets_without_nan_rows():
    y = np.column_stack([np.arange(9.0) / 3, np.arange(9.0) ** 0.5])
    folds = _folds(3, y)
    _check_folds(folds, np.arange(9), np.array([], dtype=int))


def test_whole_number_regression_targets_with_nan_rows_are_split_by_kfold():
    y = np.array([1.0, 2.0, 3.0, np.nan, 4.0, 5.0, 6.0, np.nan])
    rows = np.flatnonzero(~np.isnan(y))
    folds = _folds(3, y)
    expected = [rows[test] for _, test in KFold(3).split(rows)]
    for (_, test), wanted in zip(folds, expected, strict=True):
        np.testing.assert_array_equal(test, wanted)


# --- get_n_splits and refused arguments -------------------------------------------
@pytest.mark.parametrize(("cv", "n_splits"), [
    (2, 2), (4, 4), (KFold(3), 3), (StratifiedKFold(6), 6),
])
def test_get_n_splits_counts_the_folds_split_yields(cv, n_splits):
    splitter = SemiSupervisedCV(cv=cv)
    assert splitter.get_n_splits() == n_splits
    assert splitter.get_n_splits(X, LABELS) == n_splits
    assert len(list(splitter.split(X, LABELS))) == n_splits


def test_five_folds_by_default():
    splitter = SemiSupervisedCV()
    assert splitter.cv == 5
    assert splitter.get_n_splits() == 5
    assert len(list(splitter.split(X, LABELS))) == 5


def test_get_n_splits_of_a_splitter_that_counts_rows():
    splitter = SemiSupervisedCV(cv=LeaveOneOut())
    assert len(list(splitter.split(X, LABELS))) == len(LABELLED)
    assert splitter.get_n_splits(X, LABELS) == len(LABELLED)


def test_split_needs_y():
    with pytest.raises(ValueError, match="SemiSupervisedCV.split needs y to tell "
                                         "the labelled samples"):
        next(SemiSupervisedCV(cv=2).split(X, None))


@pytest.mark.parametrize("cv", [True, np.True_, False])
def test_a_bool_cv_is_refused(cv):
    with pytest.raises(InvalidParameterError, match=r"The 'cv' parameter of "
                                                    r"SemiSupervisedCV must be a "
                                                    r"number of folds >= 2.*a bool"):
        next(SemiSupervisedCV(cv=cv).split(X, LABELS))


def test_get_n_splits_refuses_a_bool_cv():
    with pytest.raises(InvalidParameterError, match=r"The 'cv' parameter of "
                                                    r"SemiSupervisedCV"):
        SemiSupervisedCV(cv=True).get_n_splits()


# --- model selection ---------------------------------------------------------------
CLASSIFIER = {**TINY_CLASSIFIER, "n_threads": 1}
# IDS's classes with every fourth row unlabelled: 6 of class 0, 3 of class 1
IDS_LABELS = np.array([0, 1, 0, -1] * 3)


@pytest.fixture(scope="module")
def fitted_pretrainer():
    """A pretrainer of the tiny classifier's architecture, fitted on IDS."""
    return EncoderPretrainer(max_epochs=1, batch_size=8, n_samples=4,
                             validation_split=None, early_stopping=False,
                             units=4, embedding_dim=4, precision="float32",
                             random_state=0, n_threads=1).fit(IDS)


def test_grid_search_scores_the_labelled_rows_of_each_test_fold(fitted_pretrainer,
                                                                one_torch_thread):
    model = RNNTextClassifier(**CLASSIFIER, pretrain=FrozenEstimator(fitted_pretrainer))
    cv = SemiSupervisedCV(cv=3)
    search = GridSearchCV(model, {"lr": [1e-3, 3e-2]}, cv=cv).fit(IDS, IDS_LABELS)
    assert search.best_estimator_.classes_.tolist() == [0, 1]
    assert search.n_splits_ == 3
    fold_scores = []
    for train, test in cv.split(IDS, IDS_LABELS):
        assert (IDS_LABELS[test] != -1).all()
        assert (IDS_LABELS[train] == -1).sum() == 3
        fold = clone(model).set_params(**search.best_params_).fit(
            IDS[train], IDS_LABELS[train])
        assert fold.pretrainer_ is fitted_pretrainer
        fold_scores.append(accuracy_score(IDS_LABELS[test], fold.predict(IDS[test])))
    assert search.best_score_ == pytest.approx(np.mean(fold_scores))
    index = search.best_index_
    for k, score in enumerate(fold_scores):
        assert search.cv_results_[f"split{k}_test_score"][index] == pytest.approx(score)
