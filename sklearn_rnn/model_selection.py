"""Side-by-side comparison of text models on identical cross-validation folds,
and the stack of an RNN with linear text models."""

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.base import is_classifier
from sklearn.ensemble import StackingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer_names
from sklearn.model_selection import StratifiedKFold, check_cv, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.multiclass import type_of_target

from sklearn_rnn.baselines import make_nbsvm, make_tfidf_classifier
from sklearn_rnn.estimators import RNNTextClassifier
from sklearn_rnn.preprocessing import SequencePadder, TextVectorizer
from sklearn_rnn.utils._checks import (
    labelled_class_rows,
    labelled_target_rows,
    take_rows,
)
from sklearn_rnn.utils._validation import describe, suggest

__all__ = ["SemiSupervisedCV", "compare_models", "make_text_stack"]


def compare_models(models, X, y, *, cv=5, scoring="accuracy", n_jobs=None):
    """Cross-validate several models on the same folds and tabulate the scores.

    Every model sees exactly the same train/test splits, and each is refit on
    each training fold only, so nothing is selected on test data.

    Parameters
    ----------
    models : dict of str to estimator
        Models to compare, e.g. ``{"rnn": rnn_pipeline, "tfidf": tfidf_pipeline}``.
        Each should take the same raw ``X`` (typically a pipeline from text).
        Every value must be an estimator instance with ``fit`` and ``predict``;
        anything else is a TypeError naming its key, before any model is fitted.
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
    _check_models(models)
    _check_cv(cv, "compare_models")
    _check_scoring(scoring)
    if y is None:
        raise ValueError("compare_models needs y, the targets to score the models "
                         "against; got None.")
    first = next(iter(models.values()))
    # Materialise the folds once so that every model gets the very same ones.
    splitter = check_cv(cv, y, classifier=is_classifier(first))
    folds = list(splitter.split(X, y))
    # A fold that fails raises the model's own error: a NaN score in the table
    # would compare a model on fewer folds than the others.
    rows = {name: _summarise(_cross_validate(name, model, X, y, folds, scoring,
                                             n_jobs), scoring)
            for name, model in models.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def _cross_validate(name, model, X, y, folds, scoring, n_jobs):
    """``cross_validate`` that raises the error of a failing fold as it is:
    scikit-learn renames a model's parameter error as its own ("The 'C'
    parameter of cross_validate"), so the model's key is named instead."""
    try:
        return cross_validate(model, X, y, cv=folds, scoring=scoring,
                              n_jobs=n_jobs, error_score="raise")
    except InvalidParameterError as error:
        if not isinstance(error.__cause__, InvalidParameterError):
            raise
        raise InvalidParameterError(f"models[{name!r}]: {error.__cause__}") from None


def _check_models(models, what="models"):
    """Refuse ``models`` unless it maps names to estimator instances, before any
    fold is fitted: a bad last entry would otherwise fail after the others'
    cross-validation has run, with scikit-learn's message about cloning.
    ``what`` names the argument in messages."""
    if not isinstance(models, Mapping):
        hint = (f" (a list of (name, estimator) pairs: pass dict({what}))"
                if isinstance(models, (list, tuple)) else "")
        raise TypeError(
            f"{what} must be a dict of name -> estimator, e.g. {{'rnn': "
            f"rnn_pipeline}}; got {type(models).__name__}{hint}."
        )
    if not models:
        raise ValueError(f"{what} is empty: pass a dict of name -> estimator.")
    for name, model in models.items():
        if isinstance(model, type):
            raise TypeError(
                f"{what}[{name!r}] is the class {model.__name__}, not an "
                f"estimator instance; pass {model.__name__}() instead."
            )
        missing = [method for method in ("fit", "predict", "get_params")
                   if not callable(getattr(model, method, None))]
        if missing:
            text = repr(model)
            text = text if len(text) <= 60 else text[:57] + "..."
            raise TypeError(
                f"{what}[{name!r}] must be an estimator instance with fit, predict "
                "and get_params (a scikit-learn estimator or pipeline from raw "
                f"text); got {text} of type {type(model).__name__}, which lacks "
                f"{', '.join(missing)}."
            )


def _check_cv(cv, owner):
    """Refuse a bool ``cv``, which scikit-learn reads as 1 or 0 folds."""
    if isinstance(cv, (bool, np.bool_)):
        raise InvalidParameterError(
            f"The 'cv' parameter of {owner} must be a number of folds >= 2, a "
            f"cross-validation splitter or an iterable of splits; got {cv!r} (a "
            "bool)."
        )


def _check_scoring(scoring):
    """A scorer name scikit-learn does not know, with the closest name."""
    if isinstance(scoring, str) and scoring not in get_scorer_names():
        raise InvalidParameterError(
            "The 'scoring' parameter of compare_models must be the name of a "
            "scikit-learn scorer (sklearn.metrics.get_scorer_names()), a callable, "
            f"a list or a dict; got {scoring!r}.{suggest(scoring, get_scorer_names())}"
        )


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


def make_text_stack(estimators=None, *, final_estimator=None, cv=3, random_state=0,
                    n_jobs=None):
    """Stack text models that read raw text into one classifier.

    A :class:`~sklearn.ensemble.StackingClassifier` whose members each turn raw
    text into scores: their out-of-fold ``decision_function`` outputs (log-odds,
    so that a logistic final estimator combines them on one scale) are the
    features of the final estimator, which is then refit on the whole
    training set along with every member. It is an ordinary classifier:
    ``cross_validate``, ``compare_models`` and ``GridSearchCV`` take it as it is.

    Parameters
    ----------
    estimators : dict of str to estimator or list of (str, estimator), default=None
        Members, each a pipeline from raw text with a ``decision_function``.
        None stacks the default RNN pipeline
        (``TextVectorizer -> SequencePadder -> RNNTextClassifier``), the
        :func:`~sklearn_rnn.baselines.make_nbsvm` pipeline and the
        :func:`~sklearn_rnn.baselines.make_tfidf_classifier` pipeline.
    final_estimator : estimator, default=None
        Combines the members' scores; None uses ``LogisticRegression()``.
    cv : int or cross-validation generator, default=3
        Folds of the out-of-fold member predictions; an int gives stratified,
        shuffled folds seeded by ``random_state``. Each member is fitted
        ``cv + 1`` times.
    random_state : int, RandomState instance or None, default=0
        Seeds the folds and the default RNN member.
    n_jobs : int, default=None
        Members fitted in parallel.

    Returns
    -------
    stack : sklearn.ensemble.StackingClassifier

    See Also
    --------
    compare_models : Put the stack and its members side by side.

    Examples
    --------
    >>> from sklearn_rnn.baselines import make_nbsvm, make_tfidf_classifier
    >>> from sklearn_rnn.model_selection import make_text_stack
    >>> texts = ["good fun film", "great film", "bad dull film", "awful plot"] * 6
    >>> labels = ["pos", "pos", "neg", "neg"] * 6
    >>> stack = make_text_stack({"nbsvm": make_nbsvm(),
    ...                          "tfidf": make_tfidf_classifier()})
    >>> stack.fit(texts, labels).predict(["great fun", "dull plot"])
    array(['pos', 'neg'], dtype='<U3')
    """
    if estimators is None:
        estimators = {
            "rnn": make_pipeline(TextVectorizer(), SequencePadder(),
                                 RNNTextClassifier(random_state=random_state)),
            "nbsvm": make_nbsvm(),
            "tfidf": make_tfidf_classifier(),
        }
    estimators = _stack_members(estimators)
    _check_cv(cv, "make_text_stack")
    if final_estimator is None:
        final_estimator = LogisticRegression()
    elif isinstance(final_estimator, type):
        raise TypeError(
            f"final_estimator is the class {final_estimator.__name__}, not an "
            f"estimator instance; pass {final_estimator.__name__}() instead."
        )
    if isinstance(cv, int):
        cv = StratifiedKFold(cv, shuffle=True, random_state=random_state)
    return StackingClassifier(
        estimators=estimators,
        final_estimator=final_estimator,
        cv=cv, stack_method="decision_function", n_jobs=n_jobs,
    )


def _stack_members(estimators):
    """``estimators`` as a list of (name, estimator) pairs, each checked as
    :func:`compare_models` checks its models, with a ``decision_function``."""
    if isinstance(estimators, (list, tuple)):
        bad = next((item for item in estimators
                    if not (isinstance(item, tuple) and len(item) == 2)), None)
        if bad is not None:
            raise TypeError(
                "estimators must be a dict of name -> estimator or a list of "
                f"(name, estimator) pairs; it holds {describe(bad)}."
            )
        names = [name for name, _ in estimators]
        repeated = sorted({n for n in names if names.count(n) > 1}, key=str)
        if repeated:
            raise ValueError(f"estimators names {repeated} more than once; give "
                             "each member its own name.")
        estimators = dict(estimators)
    _check_models(estimators, "estimators")
    for name, model in estimators.items():
        if not hasattr(model, "decision_function"):
            raise TypeError(
                f"estimators[{name!r}] ({type(model).__name__}) has no "
                "decision_function, which the stack combines; use a classifier "
                "that has one (a linear model, NBSVMClassifier, "
                "RNNTextClassifier)."
            )
    return list(estimators.items())


class SemiSupervisedCV:
    """Cross-validation folds of the labelled samples, with every unlabelled
    sample in every training fold.

    ``y`` marks an unlabelled sample with -1 (NaN for regression targets), as
    ``RNNTextClassifier.fit`` reads it. The labelled samples are split by
    ``cv``; the unlabelled ones join each training fold, where pretraining and
    self-learned vectors learn from their texts, and never a test fold, so
    every score is computed on labelled samples only.

    Parameters
    ----------
    cv : int or cross-validation splitter, default=5
        How the labelled samples are split, as ``GridSearchCV``'s ``cv``: an
        int is a ``StratifiedKFold`` for class labels (``KFold`` for numbers
        of a regression).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn.model_selection import SemiSupervisedCV
    >>> y = np.array([0, 1, -1, 0, 1, -1, 0, 1])
    >>> for train, test in SemiSupervisedCV(cv=2).split(np.zeros((8, 1)), y):
    ...     print(train, test)
    [2 4 5 6 7] [0 1 3]
    [0 1 2 3 5] [4 6 7]
    """

    def __init__(self, cv=5):
        self.cv = cv

    def split(self, X, y, groups=None):
        """Yield ``(train, test)`` index arrays; ``y`` is required."""
        rows, others, folds, y_labelled = self._folds(y)
        sub_groups = None if groups is None else np.asarray(groups)[rows]
        for train, test in folds.split(rows, y_labelled, sub_groups):
            yield np.sort(np.concatenate([rows[train], others])), rows[test]

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of folds (of the labelled samples, when ``y`` is given)."""
        _check_cv(self.cv, "SemiSupervisedCV")
        if y is None:
            return check_cv(self.cv).get_n_splits(X, y, groups)
        rows, _, folds, y_labelled = self._folds(y)
        sub_groups = None if groups is None else np.asarray(groups)[rows]
        return folds.get_n_splits(rows, y_labelled, sub_groups)

    def _folds(self, y):
        """The labelled and unlabelled row indices, the splitter of the
        labelled ones and their ``y``."""
        if y is None:
            raise ValueError("SemiSupervisedCV.split needs y to tell the "
                             "labelled samples from the unlabelled ones.")
        _check_cv(self.cv, "SemiSupervisedCV")
        labelled, classes = _labelled_rows(y)
        if labelled is None:
            raise ValueError("SemiSupervisedCV.split: y must hold one label or "
                             "target per sample.")
        if not labelled.any():
            raise ValueError(f"SemiSupervisedCV.split: y marks all {len(labelled)} "
                             "samples as unlabelled; there is nothing to score.")
        rows, others = np.flatnonzero(labelled), np.flatnonzero(~labelled)
        y_labelled = np.asarray(take_rows(y, labelled))
        folds = check_cv(self.cv, y_labelled, classifier=classes)
        return rows, others, folds, y_labelled


def _labelled_rows(y):
    """``(labelled mask, whether y holds class labels)``. Regression targets
    -- 2-D, with an all-NaN row, or continuous -- mark unlabelled rows with
    NaN (-1.0 is a target); class labels with -1."""
    try:
        values = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):  # str labels
        return labelled_class_rows(y), True
    rows = labelled_target_rows(values)
    if rows is None:
        return None, False
    if values.ndim == 2 and values.shape[1] > 1 or not rows.all() or (
            type_of_target(values) in ("continuous", "continuous-multioutput")):
        return rows, False
    return labelled_class_rows(y), True
