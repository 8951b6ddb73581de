"""The datasets bundled with the package: Tiny Shakespeare and the IMDB sample."""

import numpy as np
import pytest

from sklearn_rnn.datasets import load_imdb_sample, load_tiny_shakespeare


def test_tiny_shakespeare_is_the_full_text():
    text = load_tiny_shakespeare()

    assert isinstance(text, str)
    assert len(text) == 1_115_394
    assert text.startswith("First Citizen:\nBefore we proceed any further")
    assert text.count("\n") == 40_000


def test_tiny_shakespeare_bunch_has_description():
    bunch = load_tiny_shakespeare(return_bunch=True)

    assert bunch.data == load_tiny_shakespeare()
    assert "Tiny Shakespeare" in bunch.DESCR


@pytest.mark.parametrize(
    "subset, n_per_class", [("train", 500), ("test", 500), ("all", 1000)]
)
def test_imdb_sample_is_balanced_and_well_formed(subset, n_per_class):
    sample = load_imdb_sample(subset)

    assert len(sample.data) == len(sample.target) == len(sample.ratings)
    np.testing.assert_array_equal(np.bincount(sample.target), [n_per_class] * 2)
    assert all(isinstance(text, str) and text.strip() for text in sample.data)
    assert sample.target_names == ["neg", "pos"]
    # Negative reviews were rated 1-4 and positive ones 7-10 out of 10.
    negative = sample.ratings[sample.target == 0]
    positive = sample.ratings[sample.target == 1]
    assert negative.min() >= 1 and negative.max() <= 4
    assert positive.min() >= 7 and positive.max() <= 10
    assert "RandomState(0)" in sample.DESCR


def test_imdb_sample_is_deterministic_and_ordered():
    train, test = load_imdb_sample("train"), load_imdb_sample("test")
    both = load_imdb_sample("all")

    assert load_imdb_sample("train").data == train.data
    assert both.data == train.data + test.data
    np.testing.assert_array_equal(both.target, np.r_[train.target, test.target])
    # Negative before positive, as fetch_imdb orders the full dataset.
    np.testing.assert_array_equal(train.target, np.repeat([0, 1], 500))
    # The reviews are drawn without replacement (IMDB itself repeats a few texts
    # under different ids, hence not an exact count).
    assert len(set(train.data) | set(test.data)) > 1990


def test_imdb_sample_return_X_y():
    data, target = load_imdb_sample("test", return_X_y=True)

    assert data == load_imdb_sample("test").data
    assert target.shape == (1000,)


def test_imdb_sample_rejects_unknown_subset():
    with pytest.raises(
        ValueError,
        match=r"'subset' parameter of load_imdb_sample .* Got 'tset' instead\. "
        r"Did you mean 'test'\?",
    ):
        load_imdb_sample("tset")
