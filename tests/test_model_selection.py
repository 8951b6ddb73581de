import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_validate
from sklearn.pipeline import make_pipeline

from sklearn_rnn.model_selection import compare_models

TEXTS = ["good fun", "great film", "bad plot", "awful acting", "lovely cast",
         "dull story"] * 5
LABELS = [1, 1, 0, 0, 1, 0] * 5


FITS = {}  # clone() copies parameters, so the record lives outside the estimator


class FoldRecorder(ClassifierMixin, BaseEstimator):
    """Records the training documents of every fit under its ``name``."""

    def __init__(self, name="recorder"):
        self.name = name

    def fit(self, X, y):
        FITS.setdefault(self.name, []).append(tuple(X))
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_every_model_sees_the_same_folds():
    compare_models({"a": FoldRecorder("a"), "b": FoldRecorder("b")},
                   TEXTS, LABELS, cv=KFold(3, shuffle=True, random_state=0))
    assert len(FITS["a"]) == 3
    assert FITS["a"] == FITS["b"]


def test_table_holds_mean_and_std_of_each_score_and_times():
    model = make_pipeline(TfidfVectorizer(), LogisticRegression())
    table = compare_models({"tfidf": model}, TEXTS, LABELS, cv=3,
                           scoring=["accuracy", "f1"])
    expected = cross_validate(model, TEXTS, LABELS, cv=3, scoring=["accuracy", "f1"])
    row = table.loc["tfidf"]
    assert row["accuracy_mean"] == pytest.approx(expected["test_accuracy"].mean())
    assert row["f1_std"] == pytest.approx(expected["test_f1"].std())
    assert row["fit_time_s"] > 0 and row["predict_time_s"] > 0
    assert list(table.columns) == ["accuracy_mean", "accuracy_std", "f1_mean",
                                   "f1_std", "fit_time_s", "predict_time_s"]


def test_no_models():
    with pytest.raises(ValueError, match="models is empty"):
        compare_models({}, TEXTS, LABELS)
