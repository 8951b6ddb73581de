"""Side-by-side comparison of text models on identical cross-validation folds."""

import numpy as np
import pandas as pd
from sklearn.base import is_classifier
from sklearn.model_selection import check_cv, cross_validate

__all__ = ["compare_models"]


def compare_models(models, X, y, *, cv=5, scoring="accuracy", n_jobs=None):
    """Cross-validate several models on the same folds and tabulate the scores.

    Every model sees exactly the same train/test splits, and each is refit on
    each training fold only, so nothing is selected on test data.

    Parameters
    ----------
    models : dict of str to estimator
        Models to compare, e.g. ``{"rnn": rnn_pipeline, "tfidf": tfidf_pipeline}``.
        Each should take the same raw ``X`` (typically a pipeline from text).
    X : list of str or array-like
        Input data.
    y : array-like of shape (n_samples,)
        Targets.
    cv : int, cross-validation generator or iterable, default=5
        As in :func:`sklearn.model_selection.cross_validate`; an int gives
        stratified folds for classifiers. Shuffling splitters need a fixed
        ``random_state`` for the folds to be identical across models.
    scoring : str, callable, list or dict, default='accuracy'
        As in :func:`sklearn.model_selection.cross_validate`.
    n_jobs : int, default=None
        Folds fitted in parallel for each model.

    Returns
    -------
    table : pandas.DataFrame
        One row per model: mean and standard deviation of every score over the
        folds, mean fit time and mean predict (score) time in seconds.

    Examples
    --------
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn_rnn.model_selection import compare_models
    >>> texts = ["good fun", "great film", "bad plot", "awful acting"] * 5
    >>> labels = [1, 1, 0, 0] * 5
    >>> table = compare_models(
    ...     {"tfidf": make_pipeline(TfidfVectorizer(), LogisticRegression()),
    ...      "dummy": make_pipeline(TfidfVectorizer(), DummyClassifier())},
    ...     texts, labels, cv=5)
    >>> table["accuracy_mean"].round(2).to_dict()
    {'tfidf': 1.0, 'dummy': 0.5}
    """
    if not models:
        raise ValueError("models is empty: pass a dict of name -> estimator.")
    first = next(iter(models.values()))
    # Materialise the folds once so that every model gets the very same ones.
    splitter = check_cv(cv, y, classifier=is_classifier(first))
    folds = list(splitter.split(X, y))
    rows = {name: _summarise(cross_validate(model, X, y, cv=folds, scoring=scoring,
                                            n_jobs=n_jobs), scoring)
            for name, model in models.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def _summarise(results, scoring):
    row = {}
    for key, values in results.items():
        if key.startswith("test_"):
            name = key[len("test_"):]
            if name == "score" and isinstance(scoring, str):
                name = scoring
            row[f"{name}_mean"] = float(np.mean(values))
            row[f"{name}_std"] = float(np.std(values))
    row["fit_time_s"] = float(np.mean(results["fit_time"]))
    row["predict_time_s"] = float(np.mean(results["score_time"]))
    return row
