"""Before fit, every method that needs a fitted model raises the library's
NotFittedError, a subclass of scikit-learn's."""

import pytest
from sklearn.exceptions import NotFittedError as SklearnNotFittedError

from sklearn_rnn import (
    CharLanguageModel,
    RNNTextClassifier,
    SequencePadder,
    TextVectorizer,
)
from sklearn_rnn.exceptions import NotFittedError
from tests._data import FEW_REVIEWS, HAMLET, IDS, IDS_CLASSES


@pytest.mark.parametrize(
    "estimator, method, args",
    [
        pytest.param(RNNTextClassifier(), "predict", (IDS,), id="clf-predict"),
        pytest.param(RNNTextClassifier(), "predict_proba", (IDS,),
                     id="clf-predict_proba"),
        pytest.param(RNNTextClassifier(), "score", (IDS, IDS_CLASSES), id="clf-score"),
        pytest.param(RNNTextClassifier(), "summary", (), id="clf-summary"),
        pytest.param(CharLanguageModel(), "generate", ("to be",), id="lm-generate"),
        pytest.param(CharLanguageModel(), "score", (HAMLET,), id="lm-score"),
        pytest.param(CharLanguageModel(), "perplexity", (HAMLET,),
                     id="lm-perplexity"),
        pytest.param(CharLanguageModel(), "summary", (), id="lm-summary"),
        pytest.param(TextVectorizer(), "transform", (FEW_REVIEWS,), id="vec-transform"),
        pytest.param(TextVectorizer(), "inverse_transform", ([[2]],),
                     id="vec-inverse_transform"),
        pytest.param(SequencePadder(), "transform", (IDS,), id="padder-transform"),
    ],
)
def test_methods_before_fit_raise_not_fitted(estimator, method, args):
    name = type(estimator).__name__
    with pytest.raises(SklearnNotFittedError,
                       match=f"This {name} instance is not fitted yet. Call 'fit'"):
        getattr(estimator, method)(*args)


@pytest.mark.parametrize(
    "estimator, method, args",
    [
        pytest.param(TextVectorizer(), "transform", (FEW_REVIEWS,), id="vectorizer"),
        pytest.param(SequencePadder(), "transform", (IDS,), id="padder"),
        pytest.param(
            RNNTextClassifier(), "predict", (IDS,), id="classifier"),
        pytest.param(CharLanguageModel(), "generate", ("to be",), id="char-lm"),
    ],
)
def test_not_fitted_error_is_the_library_subclass(estimator, method, args):
    # sklearn_rnn.exceptions documents its NotFittedError as the one raised
    # before fit; it subclasses sklearn's, so catching either works.
    with pytest.raises(NotFittedError):
        getattr(estimator, method)(*args)
