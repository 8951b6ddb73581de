"""Token ids above the range seen in fit (``vocab_size=None``): a few rare words
lost to truncation pass silently as the unknown id; many unseen ids, or ids far
above the range, warn once per call with counts; mostly unseen ids are refused."""

import warnings

import numpy as np
import pytest
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    RNNTextClassifier,
    RNNTextRegressor,
    SequencePadder,
    TextVectorizer,
)
from sklearn_rnn.estimators import _text_model
from sklearn_rnn.exceptions import UnseenTokenWarning
from sklearn_rnn.utils._checks import unseen_ids_as_unknown
from tests._data import TINY_CLASSIFIER, TINY_REGRESSOR

ESTIMATORS = {
    "classifier": lambda: RNNTextClassifier(**TINY_CLASSIFIER),
    "regressor": lambda: RNNTextRegressor(**TINY_REGRESSOR),
}

COMMON = ("good", "bad", "plot", "film", "great", "awful", "acting", "music",
          "story", "fun", "dull", "cast")
# Rare words (two occurrences each) open long documents, so the padder cuts
# them from training data (truncating='pre' keeps the end): the vectorizer knows
# them, with the highest ids, and the network never sees them. In a
# cross-validation fold, one occurrence is cut in training, the other is read
# in the test fold.
RARE = ("aardvark", "bassoon", "cobbler", "dirigible")
X_IDS = np.array([[0, 0, 2, 3, 4], [0, 5, 6, 7, 8], [2, 4, 6, 8, 9],
                  [3, 5, 7, 9, 9]] * 4)


def _documents(n, rng):
    docs, y = [], []
    for i in range(n):
        words = list(rng.choice(COMMON, size=rng.integers(3, 7)))
        if i < 2 * len(RARE):
            words = [RARE[i % len(RARE)], *words, *rng.choice(COMMON, size=8)]
        docs.append(" ".join(words))
        y.append(i % 2)
    order = rng.permutation(n)  # the two occurrences of a rare word in any fold
    return [docs[i] for i in order], np.array(y)[order]


def _fit(name, X=X_IDS):
    y = np.arange(len(X)) % 2
    return ESTIMATORS[name]().fit(X, y)


@pytest.fixture(autouse=True)
def _unseen_warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnseenTokenWarning)
        yield


@pytest.mark.parametrize("name", ESTIMATORS)
def test_rare_words_cut_by_padding_pass_silently(name):
    docs, y = _documents(40, np.random.default_rng(0))
    pipe = make_pipeline(TextVectorizer(), SequencePadder(maxlen=6),
                         ESTIMATORS[name]()).fit(docs, y)
    vectorizer, _, model = pipe.named_steps.values()
    test = [f"{word} good plot great fun acting story music" for word in RARE]
    ids = np.concatenate(vectorizer.transform(test))
    assert model.vocab_size_ < vectorizer.n_features_  # the case is exercised
    assert (ids >= model.vocab_size_).sum() == len(RARE)

    pipe.predict(test + docs)  # no UnseenTokenWarning (an error here)
    pipe.predict(test[:1])  # one short text, one unseen id in seven


@pytest.mark.parametrize("maxlen", ["auto", 6])  # 6 cuts the rare words
@pytest.mark.parametrize("name", ESTIMATORS)
def test_cross_validated_pipeline_does_not_warn(name, maxlen, monkeypatch):
    unseen = []

    def counting(X, vocab_size, owner):
        unseen.append(int((X >= vocab_size).sum()))
        return unseen_ids_as_unknown(X, vocab_size, owner)

    monkeypatch.setattr(_text_model, "unseen_ids_as_unknown", counting)
    docs, y = _documents(60, np.random.default_rng(1))
    pipe = make_pipeline(TextVectorizer(), SequencePadder(maxlen=maxlen),
                         ESTIMATORS[name]())
    scores = cross_validate(pipe, docs, y, cv=3, error_score="raise")
    assert np.isfinite(scores["test_score"]).all()
    assert len(unseen) == 3
    if maxlen == 6:
        assert all(unseen)  # every test fold held ids above its model's range


@pytest.mark.parametrize("name", ESTIMATORS)
def test_unseen_ids_read_as_unknown_with_one_warning_and_counts(name):
    model = _fit(name)  # vocab_size_ == 10
    X = X_IDS.copy()
    X[:, -1] = 10 + np.arange(len(X)) % 8  # 16 of 68 ids, all below 2 * 10
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        predicted = model.predict(X)
    assert [w.category for w in caught] == [UnseenTokenWarning]
    message = str(caught[0].message)
    assert "16 of the 68 non-padding token ids in X (23.5%)" in message
    assert "vocab_size_=10" in message and "the largest is 17" in message
    assert caught[0].filename == __file__
    np.testing.assert_array_equal(predicted,
                                  model.predict(np.where(X >= 10, 1, X)))


@pytest.mark.parametrize("name", ESTIMATORS)
def test_an_id_far_above_the_range_warns_even_alone(name):
    model = _fit(name)
    X = X_IDS.copy()
    X[0, -1] = 20  # twice vocab_size_
    with pytest.warns(UnseenTokenWarning, match="1 of the 68 non-padding"):
        model.predict(X)


@pytest.mark.parametrize("name", ESTIMATORS)
def test_mostly_unseen_ids_are_refused(name):
    model = _fit(name)
    with pytest.raises(ValueError, match=r"68 of the 68 non-padding token ids in X "
                       r"\(100\.0%\) are >= vocab_size_=10.*do not come from the "
                       "vocabulary"):
        model.predict(X_IDS + 10**6 * (X_IDS > 0))
    with pytest.raises(ValueError, match="do not come from the vocabulary"):
        model.predict(X_IDS + 10 * (X_IDS > 0))  # near the range, all unseen


@pytest.mark.parametrize("name", ESTIMATORS)
def test_a_few_unseen_ids_near_the_range_are_silent(name):
    model = _fit(name)
    X = X_IDS.copy()
    X[:3, -1] = [10, 12, 14]  # 3 of 68, below twice the range
    np.testing.assert_array_equal(model.predict(X),
                                  model.predict(np.where(X >= 10, 1, X)))
