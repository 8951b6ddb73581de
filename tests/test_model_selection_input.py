"""compare_models refuses what is not a dict of estimator instances before it
fits anything, naming the entry."""

import re

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sklearn_rnn.model_selection import compare_models

TEXTS = ["good fun", "great film", "bad plot", "awful acting"] * 3
LABELS = [1, 1, 0, 0] * 3


class CountsFits(ClassifierMixin, BaseEstimator):
    """Counts every fit of any instance, so a test can see that none ran."""

    fits = 0

    def fit(self, X, y):
        type(self).fits += 1
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


class FitOnly:
    def fit(self, X, y):
        return self

    def get_params(self, deep=True):
        return {}


@pytest.mark.parametrize("bad, match", [
    pytest.param("tfidf", r"models\['bad'\] must be an estimator instance with "
                 "fit, predict and get_params .*got 'tfidf' of type str, which "
                 "lacks fit, predict, get_params", id="str"),
    pytest.param(LogisticRegression, r"models\['bad'\] is the class "
                 r"LogisticRegression, not an estimator instance; pass "
                 r"LogisticRegression\(\) instead", id="class"),
    pytest.param(FitOnly(), r"got <.*FitOnly object at .* of type FitOnly, "
                 r"which lacks predict\.$", id="no-predict"),
    pytest.param({"C": 1.0}, r"got \{'C': 1\.0\} of type dict, which lacks fit",
                 id="dict-value"),
    pytest.param(None, "got None of type NoneType", id="None"),
])
def test_a_non_estimator_is_refused_before_any_fit(bad, match):
    CountsFits.fits = 0
    models = {"good": CountsFits(), "bad": bad}
    with pytest.raises(TypeError, match=match):
        compare_models(models, TEXTS, LABELS, cv=2)
    assert CountsFits.fits == 0


@pytest.mark.parametrize("models, match", [
    pytest.param([("tfidf", CountsFits())], re.escape(
        "models must be a dict of name -> estimator, e.g. {'rnn': rnn_pipeline}; "
        "got list (a list of (name, estimator) pairs: pass dict(models))"),
        id="list-of-pairs"),
    pytest.param(CountsFits(), "models must be a dict .*got CountsFits\\.$",
                 id="one-estimator"),
    pytest.param(None, "models must be a dict .*got NoneType\\.$", id="None"),
])
def test_models_must_be_a_dict(models, match):
    with pytest.raises(TypeError, match=match):
        compare_models(models, TEXTS, LABELS, cv=2)


def test_non_str_keys_are_named_as_given():
    with pytest.raises(TypeError, match=r"models\[3\] must be an estimator"):
        compare_models({3: "tfidf"}, TEXTS, LABELS, cv=2)


def test_estimator_instances_are_accepted():
    table = compare_models(
        {"tfidf": make_pipeline(TfidfVectorizer(), LogisticRegression()),
         "first": CountsFits()}, TEXTS, LABELS, cv=2)
    assert list(table.index) == ["tfidf", "first"]
    assert table.loc["first", "accuracy_mean"] == pytest.approx(0.5)
