"""Integer parameters accept integral floats, as R (through reticulate) sends them.

R's ``64`` is a double, so reticulate passes ``64.0``; only ``64L`` is an int.
Every estimator treats ``64.0`` as ``64`` while it runs, leaves ``get_params()``
as given, and still rejects a non-integral float.
"""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_rnn import (
    CharLanguageModel,
    RNNTextClassifier,
    RNNTextRegressor,
    SequencePadder,
    TextVectorizer,
)
from sklearn_rnn.exceptions import TrainingWarning
from sklearn_rnn.utils._validation import integral, integral_params

DOCS = ["good fun film", "great fun film", "bad dull plot", "awful dull acting",
        "a good plot", "a bad film"] * 4
LABELS = ["pos", "pos", "neg", "neg", "pos", "neg"] * 4
TEXT = "To be, or not to be, that is the question.\n" * 20
SMALL_RNN = dict(embedding_dim=8, units=8, max_epochs=2, batch_size=8,
                 random_state=0, n_threads=1)
# one network (not an ensemble), so that the tests can inspect its layers
SMALL_CLF = dict(SMALL_RNN, n_estimators=1)
SMALL_LM = dict(embedding_dim=8, units=16, max_epochs=1, seq_length=16,
                batch_size=4, random_state=1, n_threads=1, validation_split=None,
                early_stopping=False)


def as_floats(params):
    """What reticulate sends for an R call with the same (double) numbers."""
    return {k: float(v) if type(v) is int else v for k, v in params.items()}


def classifier_output(params):
    model = make_pipeline(TextVectorizer(max_features=params.pop("max_features")),
                          SequencePadder(maxlen=params.pop("maxlen")),
                          RNNTextClassifier(**params))
    return model.fit(DOCS, LABELS), model.predict_proba(DOCS)


@pytest.mark.parametrize("value, expected", [
    (64.0, 64), (np.float64(3.0), 3), (np.float32(2.0), 2), (7, 7), (2.5, 2.5),
    (float("nan"), None), (float("inf"), float("inf")), (True, True), ("8", "8"),
    (None, None),
])
def test_integral_converts_only_integral_floats(value, expected):
    result = integral(value)
    if expected is None:  # nan stays nan
        assert result is value
    else:
        assert result == expected
        assert type(result) is type(expected) or type(result) is type(value)
    if isinstance(value, float) and value.is_integer():
        assert type(result) is int


def test_classifier_pipeline_with_floats_equals_ints_and_keeps_params():
    ints = dict(SMALL_CLF, max_features=50, maxlen=6)
    floats = as_floats(ints)
    _, proba_int = classifier_output(dict(ints))
    model, proba_float = classifier_output(dict(floats))
    np.testing.assert_allclose(proba_float, proba_int, rtol=1e-6)
    clf = model[-1]
    assert clf.n_epochs_ == 2
    assert clf.net_.module_.embedding.embedding_dim == 8
    assert model[1].maxlen_ == 6 and isinstance(model[1].maxlen_, int)
    # fit leaves the parameters as the user set them (scikit-learn's contract)
    for name in SMALL_CLF:
        assert type(clf.get_params()[name]) is float, name
    assert model[0].max_features == 50.0 and type(model[0].max_features) is float
    assert clone(clf).get_params()["units"] == 8.0
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(restored.predict_proba(DOCS), proba_float, rtol=1e-6)


def test_regressor_with_floats_equals_ints():
    X = np.array([[1, 2, 3], [2, 3, 1], [3, 1, 2], [1, 1, 1]] * 5)
    y = X.sum(axis=1).astype(float)
    by_int = RNNTextRegressor(**SMALL_RNN).fit(X, y)
    by_float = RNNTextRegressor(**as_floats(SMALL_RNN)).fit(X, y)
    np.testing.assert_allclose(by_float.predict(X), by_int.predict(X), rtol=1e-6)
    assert type(by_float.max_epochs) is float and by_float.n_epochs_ == 2


def test_char_lm_fit_score_generate_with_floats_equals_ints():
    by_int = CharLanguageModel(**SMALL_LM).fit(TEXT)
    by_float = CharLanguageModel(**as_floats(SMALL_LM)).fit(TEXT)
    # score reads seq_length and n_threads after fit: they must be ints there too
    assert by_float.score(TEXT[:200]) == pytest.approx(by_int.score(TEXT[:200]))
    sample_int = by_int.generate("To", n_chars=30, top_k=5, random_state=3)
    sample_float = by_float.generate("To", n_chars=30.0, top_k=5.0, random_state=3.0)
    assert sample_float == sample_int and len(sample_float) == 32
    assert type(by_float.seq_length) is float


@pytest.mark.parametrize("estimator, name", [
    (RNNTextClassifier(units=8.5), "units"),
    (RNNTextClassifier(max_epochs=0.0), "max_epochs"),
    (SequencePadder(maxlen=3.5), "maxlen"),
    (TextVectorizer(max_features=2.0), "max_features"),  # integral but below 3
])
def test_non_integral_or_out_of_range_floats_still_fail(estimator, name):
    X = DOCS if isinstance(estimator, TextVectorizer) else np.ones((4, 3), int)
    y = [0, 1, 0, 1] if isinstance(estimator, RNNTextClassifier) else None
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        estimator.fit(X, y)


def test_float_that_is_valid_as_float_is_not_converted():
    # min_df=1.0 is a proportion (every document), as in scikit-learn, not a count
    vectorizer = TextVectorizer(min_df=1.0, max_df=8.0)
    assert integral_params(vectorizer) == {"max_df": 8}
    counted = TextVectorizer(max_df=8).fit(DOCS)  # drops tokens in over 8 docs
    assert "dull" in counted.vocabulary_ and "film" not in counted.vocabulary_
    assert TextVectorizer(max_df=8.0).fit(DOCS).vocabulary_ == counted.vocabulary_
    with pytest.raises(ValueError, match="empty vocabulary"):
        TextVectorizer(min_df=1.0).fit(DOCS)  # no token is in every document


def test_params_restored_when_fit_fails():
    clf = RNNTextClassifier(units=8.0, max_epochs=1.0)
    with pytest.raises(ValueError, match="token ids"):
        clf.fit(np.full((4, 3), -1), [0, 1, 0, 1])
    assert type(clf.units) is float and type(clf.max_epochs) is float


def test_grid_search_over_float_grid():
    # R: param_grid = list(rnntextclassifier__units = c(4, 8))
    model = make_pipeline(TextVectorizer(), SequencePadder(maxlen=6),
                          RNNTextClassifier(**dict(SMALL_CLF, max_epochs=1)))
    search = GridSearchCV(model, {"rnntextclassifier__units": [4.0, 8.0]}, cv=2)
    search.fit(DOCS, LABELS)
    assert search.best_params_["rnntextclassifier__units"] in (4.0, 8.0)
    units = {search.best_estimator_[-1].net_.module_.encoder.forward_layers[0]
             .cell.hidden_size}
    assert units <= {4, 8}


def test_subclass_defined_later_gets_the_conversion():
    class Custom(RNNTextClassifier):
        def fit(self, X, y):
            self.seen_units_ = self.units
            return super().fit(X, y)

    custom = Custom(**as_floats(dict(SMALL_CLF, max_epochs=1)))
    custom.fit(np.array([[1, 2], [2, 3], [3, 1], [1, 1]]), [0, 1, 0, 1])
    assert type(custom.seen_units_) is int and type(custom.units) is float


def test_warnings_point_at_the_caller_through_the_wrapper():
    lm = CharLanguageModel(**as_floats(dict(SMALL_LM, early_stopping=True)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lm.fit(TEXT)
        lm.generate("Zq", n_chars=2.0, random_state=0.0)
    found = {w.category: w.filename for w in caught}
    assert set(found) == {TrainingWarning, UserWarning}  # no validation; unseen 'Z'
    assert set(found.values()) == {__file__}
