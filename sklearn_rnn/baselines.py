"""Strong classical text classifiers to put side by side with the RNN.

:class:`NBSVMClassifier` is Wang and Manning's (2012) NB-SVM with a logistic
regression as the linear model; :func:`make_nbsvm` and :func:`make_tfidf_classifier`
build the raw-text pipelines the benchmarks and :func:`~sklearn_rnn.model_selection.
make_text_stack` use. Nothing here imports torch.
"""

import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.extmath import softmax
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _num_samples, check_non_negative

from sklearn_rnn.preprocessing._text import check_raw_documents
from sklearn_rnn.utils._checks import (
    apply_class_weight,
    check_class_labels,
    check_n_classes,
    check_n_samples,
    check_sample_weight,
)
from sklearn_rnn.utils._validation import check_is_fitted, validate_params

__all__ = ["NBSVMClassifier", "make_nbsvm", "make_tfidf_classifier"]


class NBSVMClassifier(ClassifierMixin, BaseEstimator):
    """Naive-Bayes-scaled linear classifier for bag-of-n-gram counts (NB-SVM).

    Wang and Manning's (2012) NB-SVM: each feature is scaled by its naive-Bayes
    log-count ratio ``r = log((p / |p|_1) / (q / |q|_1))``, where ``p`` and ``q``
    are the smoothed feature counts of the positive and the negative samples,
    and a linear model is trained on the scaled features. With more than two
    classes, one ratio and one model are learned per class against the rest.
    The linear model is an L2-regularised logistic regression, so that
    ``predict_proba`` and ``decision_function`` exist.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength of the logistic regression.
    alpha : float, default=1.0
        Additive smoothing of the feature counts (the paper's ``alpha``).
    binarize : bool, default=True
        Use ``x > 0`` instead of the counts, for both the ratio and the
        features, as the paper does.
    interpolation : float in [0, 1] or None, default=None
        The paper's ``beta``: the weights become ``(1 - beta) * mean(|w|) + beta
        * w``, a blend with naive Bayes' uniform weights. The paper uses 0.25
        with an SVM; None keeps the weights as trained.
    fit_intercept : bool, default=True
        Learn an intercept.
    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes, applied to their samples in the counts and in
        the loss, as ``sample_weight`` is.
    max_iter : int, default=1000
        Iterations of the solver.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    log_count_ratio_ : ndarray of shape (n_models, n_features)
        The ratio ``r`` of each model: one row for two classes (positive class
        ``classes_[1]``), else one per class against the rest.
    coef_ : ndarray of shape (n_models, n_features)
        Weights on the scaled features (after interpolation).
    intercept_ : ndarray of shape (n_models,)
        Intercepts.
    n_iter_ : ndarray of shape (n_models,)
        Solver iterations of each logistic regression.
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    make_nbsvm : Raw text -> binary 1-2-gram counts -> NBSVMClassifier.
    sklearn.naive_bayes.MultinomialNB : Naive Bayes alone.

    References
    ----------
    S. Wang and C. D. Manning, "Baselines and Bigrams: Simple, Good Sentiment
    and Topic Classification", ACL 2012.

    Examples
    --------
    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> from sklearn.pipeline import make_pipeline, make_union
    >>> from sklearn_rnn.baselines import NBSVMClassifier
    >>> texts = ["good fun film", "great film", "bad dull film", "awful plot"] * 5
    >>> labels = ["pos", "pos", "neg", "neg"] * 5
    >>> model = make_pipeline(CountVectorizer(binary=True), NBSVMClassifier())
    >>> model.fit(texts, labels).predict(["good fun", "dull plot"])
    array(['pos', 'neg'], dtype='<U3')
    """

    _parameter_constraints = {
        "C": [Interval(numbers.Real, 0, None, closed="neither")],
        "alpha": [Interval(numbers.Real, 0, None, closed="neither")],
        "binarize": ["boolean"],
        "interpolation": [Interval(numbers.Real, 0, 1, closed="both"), None],
        "fit_intercept": ["boolean"],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(self, *, C=1.0, alpha=1.0, binarize=True, interpolation=None,
                 fit_intercept=True, class_weight=None, max_iter=1000):
        self.C = C
        self.alpha = alpha
        self.binarize = binarize
        self.interpolation = interpolation
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None):
        """Learn the log-count ratios and the linear models.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative feature counts, e.g. from ``CountVectorizer``.
        y : array-like of shape (n_samples,)
            Labels; two or more classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the counts and in the loss.

        Returns
        -------
        self : NBSVMClassifier
        """
        validate_params(self)
        owner = type(self).__name__
        y = check_class_labels(y, owner)  # before numpy makes [1, "a"] str
        X, y = self._validate_data(X, y, reset=True)
        check_classification_targets(y)
        # Negative weights would make the smoothed counts p and q negative, and
        # their log NaN.
        sample_weight = check_sample_weight(sample_weight, X.shape[0], owner,
                                            dtype=np.float64)
        # Per sample, so that each one-vs-rest model weighs the classes
        # themselves, not its own 0/1 targets.
        sample_weight = apply_class_weight(sample_weight, self.class_weight, y, owner)
        binarizer = LabelBinarizer().fit(y)
        check_n_classes(binarizer.classes_, owner)
        self.classes_ = binarizer.classes_
        targets = binarizer.transform(y)  # (n_samples, n_models) of 0/1
        ratios, coefs, intercepts, n_iter = [], [], [], []
        for column in targets.T:
            ratio = self._log_count_ratio(X, column, sample_weight)
            coef, intercept, iterations = self._fit_linear(
                X, ratio, column, sample_weight)
            ratios.append(ratio)
            coefs.append(coef)
            intercepts.append(intercept)
            n_iter.append(iterations)
        self.log_count_ratio_ = np.vstack(ratios)
        self.coef_ = np.vstack(coefs)
        self.intercept_ = np.asarray(intercepts)
        self.n_iter_ = np.asarray(n_iter)
        return self

    def _log_count_ratio(self, X, is_positive, sample_weight):
        """``log((p / |p|_1) / (q / |q|_1))`` with ``alpha``-smoothed counts."""
        weights = sample_weight * is_positive
        with np.errstate(over="ignore"):  # an overflow is refused just below
            p = self.alpha + np.asarray(X.T @ weights).ravel()
            q = self.alpha + np.asarray(X.T @ (sample_weight - weights)).ravel()
            _refuse_overflow(p.sum() + q.sum())
        return np.log(p / p.sum()) - np.log(q / q.sum())

    def _fit_linear(self, X, ratio, is_positive, sample_weight):
        model = LogisticRegression(
            C=self.C, fit_intercept=self.fit_intercept, max_iter=self.max_iter,
            solver="liblinear",
        )
        with np.errstate(over="ignore"):  # an overflow is refused just below
            scaled = _scale(X, ratio)
            _refuse_overflow(abs(scaled).max())
        model.fit(scaled, is_positive, sample_weight=sample_weight)
        coef, intercept = model.coef_.ravel(), float(model.intercept_[0])
        if self.interpolation is not None:
            beta = self.interpolation
            coef = (1 - beta) * np.abs(coef).mean() + beta * coef
        return coef, intercept, int(np.max(model.n_iter_))

    def decision_function(self, X):
        """Signed distance to each model's boundary, in log-odds.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            With two classes, positive means ``classes_[1]``; with more, one
            column per class against the rest, in the order of ``classes_``.
        """
        check_is_fitted(self, "coef_")
        X, _ = self._validate_data(X, reset=False)
        scaled = [_scale(X, ratio) @ coef for ratio, coef in
                  zip(self.log_count_ratio_, self.coef_, strict=True)]
        scores = np.column_stack(scaled) + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``.

        With two classes, the logistic function of the decision; with more, a
        softmax over the one-vs-rest scores (as ``LogisticRegression`` does for
        multinomial models), so that rows sum to one.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            positive = 1.0 / (1.0 + np.exp(-scores))
            return np.column_stack([1.0 - positive, positive])
        return softmax(scores)

    def predict(self, X):
        """Most probable class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Accuracy of ``predict(X)`` against ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        check_is_fitted(self, "coef_")
        owner = type(self).__name__
        _refuse_raw_text(X)
        check_n_samples(X, y, owner, "label")
        y = check_class_labels(y, owner)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, _num_samples(X), owner,
                                                dtype=np.float64)
        return super().score(X, y, sample_weight=sample_weight)

    def _validate_data(self, X, y=None, *, reset):
        from sklearn.utils.validation import validate_data

        _refuse_raw_text(X)
        kwargs = dict(accept_sparse="csr", dtype=np.float64, reset=reset)
        if y is None:
            X = validate_data(self, X, **kwargs)
        else:
            X, y = validate_data(self, X, y, **kwargs)
        check_non_negative(X, "NBSVMClassifier (X must hold feature counts)")
        if self.binarize:
            X = (X > 0).astype(np.float64) if not sp.issparse(X) else _binary(X)
        return X, y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True
        return tags


def _refuse_raw_text(X):
    """Raw documents are for the pipelines below; the classifier reads counts."""
    first = X[0] if isinstance(X, (list, tuple)) and X else None
    if isinstance(X, np.ndarray) and X.ndim == 1 and X.size:
        first = X[0]
    if isinstance(X, str) or isinstance(first, str):
        raise TypeError(
            "NBSVMClassifier reads feature counts (e.g. from "
            "CountVectorizer(binary=True)), and X holds raw text; for a model "
            "from raw text use make_nbsvm()."
        )


def _refuse_overflow(value):
    if not np.isfinite(value):
        raise ValueError(
            "X holds counts too large for float64: the naive-Bayes weighting of "
            "the features overflows. Feature counts are expected (scale the "
            "values down, or use binarize=True)."
        )


def _binary(X):
    X = X.copy()
    X.data = (X.data > 0).astype(np.float64)
    X.eliminate_zeros()
    return X


def _scale(X, ratio):
    """Each column of ``X`` multiplied by its ratio, keeping sparsity."""
    if sp.issparse(X):
        return X @ sp.diags(ratio)
    return X * ratio


class _CheckedDocuments:
    """Mixin of scikit-learn's vectorizers for the pipelines below: the documents
    are checked first, so a non-str one is named by its position (scikit-learn's
    own error is ``'int' object has no attribute 'lower'``)."""

    def fit(self, raw_documents, y=None):
        return super().fit(check_raw_documents(raw_documents), y)

    def fit_transform(self, raw_documents, y=None):
        return super().fit_transform(check_raw_documents(raw_documents), y)

    def transform(self, raw_documents):
        return super().transform(check_raw_documents(raw_documents))


class _CountVectorizer(_CheckedDocuments, CountVectorizer):
    """scikit-learn's ``CountVectorizer``, its documents checked first."""


class _TfidfVectorizer(_CheckedDocuments, TfidfVectorizer):
    """scikit-learn's ``TfidfVectorizer``, its documents checked first."""


def _named(estimators):
    """``(name, estimator)`` pairs as ``make_pipeline`` names them (lower-cased
    class name, numbered when repeated), without the leading underscore of
    the checked vectorizers."""
    names = [type(e).__name__.lstrip("_").lower() for e in estimators]
    repeated = {n for n in names if names.count(n) > 1}
    seen = {}
    for i, name in enumerate(names):
        if name in repeated:
            seen[name] = seen.get(name, 0) + 1
            names[i] = f"{name}-{seen[name]}"
    return list(zip(names, estimators, strict=True))


def make_nbsvm(*, ngram_range=(1, 2), C=1.0, min_df=1, char_ngram_range=None,
               **kwargs):
    """Raw text -> binary n-gram counts -> :class:`NBSVMClassifier`.

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 2)
        Word n-gram range of the ``CountVectorizer``; the paper's best models use
        unigrams and bigrams.
    C : float, default=1.0
        Inverse regularisation strength of the logistic regression.
    min_df : int or float, default=1
        Minimum document frequency of an n-gram.
    char_ngram_range : tuple of int, default=None
        If given, binary character n-grams in this range (within word
        boundaries, ``analyzer="char_wb"``) join the word n-grams, in a
        ``FeatureUnion``. They help on short sentences: on MR and SUBJ,
        ``make_nbsvm(char_ngram_range=(2, 5), C=0.3, alpha=0.5)`` is about 0.5
        points above the word-only model (``benchmarks/RESULTS.md``), for four
        times the fit time; on long reviews (IMDB) it is slightly worse and seven
        times slower.
    **kwargs
        Further parameters of :class:`NBSVMClassifier`.

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline

    Examples
    --------
    >>> from sklearn_rnn.baselines import make_nbsvm
    >>> texts = ["good fun film", "great film", "bad dull film", "awful plot"] * 5
    >>> make_nbsvm().fit(texts, [1, 1, 0, 0] * 5).predict(["great fun"])
    array([1])
    >>> make_nbsvm(char_ngram_range=(2, 4)).fit(texts, [1, 1, 0, 0] * 5).predict(
    ...     ["greatest fun"])
    array([1])
    """
    features = _CountVectorizer(ngram_range=ngram_range, binary=True, min_df=min_df,
                                token_pattern=r"(?u)\b\w+\b|[^\w\s]")
    if char_ngram_range is not None:
        chars = _CountVectorizer(analyzer="char_wb", ngram_range=char_ngram_range,
                                 binary=True, min_df=min_df)
        features = FeatureUnion(_named([features, chars]))
    return Pipeline(_named([features, NBSVMClassifier(C=C, **kwargs)]))


def make_tfidf_classifier(*, ngram_range=(1, 2), C=10.0, **kwargs):
    """Raw text -> TF-IDF of n-grams (sublinear tf) -> logistic regression.

    The two-line baseline every text model should be compared with.

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 2)
        N-gram range of the ``TfidfVectorizer``.
    C : float, default=10.0
        Inverse regularisation strength of the logistic regression.
    **kwargs
        Further parameters of ``LogisticRegression``.

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline

    Examples
    --------
    >>> from sklearn_rnn.baselines import make_tfidf_classifier
    >>> texts = ["good fun film", "great film", "bad dull film", "awful plot"] * 5
    >>> make_tfidf_classifier().fit(texts, [1, 1, 0, 0] * 5).predict(["great fun"])
    array([1])
    """
    # a max_iter of the caller's replaces the default rather than clashing
    logistic = LogisticRegression(**{"C": C, "max_iter": 1000, **kwargs})
    return Pipeline(_named([
        _TfidfVectorizer(ngram_range=ngram_range, sublinear_tf=True), logistic]))
