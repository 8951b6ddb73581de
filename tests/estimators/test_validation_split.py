"""The validation split every estimator holds out of ``fit``'s data."""

import numpy as np
import pytest

from sklearn_rnn import RNNTagger, RNNTextClassifier, RNNTextRegressor
from sklearn_rnn.estimators._base import split_indices

X = np.array([[1, 2, 3], [3, 2, 1]] * 5)
TINY = dict(units=2, embedding_dim=2, max_epochs=1, batch_size=4, random_state=0)


@pytest.mark.parametrize("split", [0.95, 0.99, 0.999999])
@pytest.mark.parametrize("make", [
    lambda split: RNNTextClassifier(validation_split=split, **TINY).fit(X, [0, 1] * 5),
    lambda split: RNNTextRegressor(validation_split=split, **TINY).fit(X, [0., 1.] * 5),
])
def test_a_split_that_leaves_no_training_sample(make, split):
    with pytest.raises(ValueError, match=rf"validation_split={split} of 10 samples "
                       r"leaves 0 for training and 10 for validation"):
        make(split)


def test_a_split_that_leaves_no_training_sentence():
    with pytest.raises(ValueError, match=r"validation_split=0.9 of 3 sentences "
                       "leaves 0 for training and 3 for validation"):
        RNNTagger(validation_split=0.9, **TINY).fit([["a"], ["b"], ["c"]],
                                                    [["X"], ["Y"], ["X"]])


def test_the_split_is_stratified_where_it_can_be():
    labels = np.array([0] * 80 + [1] * 20)
    train, valid = split_indices(100, 0.1, seed=0, stratify=labels)
    assert len(valid) == 10 and labels[valid].sum() == 2  # 10% of each class
    assert sorted(np.concatenate([train, valid])) == list(range(100))


def test_a_class_too_small_to_stratify_falls_back_to_a_random_split():
    labels = np.array([0] * 9 + [1])
    train, valid = split_indices(10, 0.2, seed=0, stratify=labels)
    assert len(valid) == 2 and len(train) == 8
    assert not set(train) & set(valid)


def test_at_least_one_validation_sample():
    train, valid = split_indices(10, 1e-9, seed=0)
    assert len(valid) == 1 and len(train) == 9
