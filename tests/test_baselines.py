"""NB-SVM, the TF-IDF baseline and the text stack (sklearn_rnn.baselines,
sklearn_rnn.model_selection.make_text_stack).

The log-count ratios are compared with numbers worked out by hand on a 4-document,
3-feature corpus; the decision function with the formula of the paper recomputed
from the fitted attributes; learning with a synthetic sentiment corpus and a
shuffled-label negative control; the estimator contract with sklearn's own checks.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.ensemble import StackingClassifier
from sklearn.model_selection import cross_validate, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_rnn.baselines import NBSVMClassifier, make_nbsvm, make_tfidf_classifier
from sklearn_rnn.estimators import RNNTextClassifier
from sklearn_rnn.model_selection import make_text_stack
from sklearn_rnn.preprocessing import SequencePadder, TextVectorizer

# ------------------------------------------------------------------ tiny corpus
# 4 documents over 3 features (counts).
X_TINY = np.array([
    [2, 1, 0],
    [1, 0, 0],
    [0, 1, 3],
    [0, 0, 1],
], dtype=float)
Y_BINARY = np.array([1, 1, 0, 0])  # positive class: 1 (classes_[1])
Y_THREE = np.array(["a", "b", "c", "c"])

# binarize=True, alpha=1. Binarized rows: [1,1,0] [1,0,0] | [0,1,1] [0,0,1]
#   p = 1 + [2, 1, 0] = [3, 2, 1], |p|_1 = 6 -> [1/2, 1/3, 1/6]
#   q = 1 + [0, 1, 2] = [1, 2, 3], |q|_1 = 6 -> [1/6, 1/3, 1/2]
#   r = log(p_hat / q_hat) = [log 3, log 1, log(1/3)]
R_BINARY_BINARIZED = np.log([[3.0, 1.0, 1 / 3]])
# binarize=False, alpha=1. Raw counts.
#   p = 1 + [3, 1, 0] = [4, 2, 1], |p|_1 = 7 -> [4/7, 2/7, 1/7]
#   q = 1 + [0, 1, 4] = [1, 2, 5], |q|_1 = 8 -> [1/8, 2/8, 5/8]
#   r = [log((4/7)/(1/8)), log((2/7)/(2/8)), log((1/7)/(5/8))]
#     = [log(32/7), log(8/7), log(8/35)]
R_BINARY_COUNTS = np.log([[32 / 7, 8 / 7, 8 / 35]])
# Three classes, binarize=True, alpha=1, one row per class against the rest.
# Binarized rows: d0=[1,1,0] (a), d1=[1,0,0] (b), d2=[0,1,1] (c), d3=[0,0,1] (c).
#   a: p = 1 + d0 = [2, 2, 1] (sum 5); q = 1 + d1+d2+d3 = [2, 2, 3] (sum 7)
#      r = [log((2/5)/(2/7)), log((2/5)/(2/7)), log((1/5)/(3/7))]
#        = [log(7/5), log(7/5), log(7/15)]
#   b: p = 1 + d1 = [2, 1, 1] (sum 4); q = 1 + d0+d2+d3 = [2, 3, 3] (sum 8)
#      r = [log((2/4)/(2/8)), log((1/4)/(3/8)), log((1/4)/(3/8))]
#        = [log 2, log(2/3), log(2/3)]
#   c: p = 1 + d2+d3 = [1, 2, 3] (sum 6); q = 1 + d0+d1 = [3, 2, 1] (sum 6)
#      r = [log(1/3), log 1, log 3]
R_THREE_BINARIZED = np.log([
    [7 / 5, 7 / 5, 7 / 15],
    [2.0, 2 / 3, 2 / 3],
    [1 / 3, 1.0, 3.0],
])

# A larger random count matrix for the checks on the fitted model.
_rng = np.random.RandomState(0)
X_COUNTS = _rng.poisson(0.7, size=(60, 12)).astype(float)
# Labels that depend on the features, so the models are not degenerate.
Y_COUNTS_BINARY = np.where(X_COUNTS[:, 0] + X_COUNTS[:, 1] > X_COUNTS[:, 2],
                           "pos", "neg")
Y_COUNTS_THREE = np.array(["x", "y", "z"])[np.argmax(X_COUNTS[:, :3]
                                                     + 0.1 * np.arange(3), axis=1)]


@pytest.mark.parametrize("y, binarize, expected", [
    pytest.param(Y_BINARY, True, R_BINARY_BINARIZED, id="binary-binarized"),
    pytest.param(Y_BINARY, False, R_BINARY_COUNTS, id="binary-counts"),
    pytest.param(Y_THREE, True, R_THREE_BINARIZED, id="three-binarized"),
])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_log_count_ratio_equals_hand_computed(y, binarize, expected, sparse):
    X = sp.csr_matrix(X_TINY) if sparse else X_TINY
    clf = NBSVMClassifier(alpha=1.0, binarize=binarize).fit(X, y)
    assert clf.log_count_ratio_.shape == expected.shape
    assert_allclose(clf.log_count_ratio_, expected, rtol=1e-12)
    assert_array_equal(clf.classes_, np.unique(y))
    assert clf.coef_.shape == expected.shape
    assert clf.intercept_.shape == (expected.shape[0],)
    assert clf.n_features_in_ == 3


def test_alpha_smooths_the_counts():
    # binarize=True, alpha=2: p = 2 + [2, 1, 0] = [4, 3, 2] (sum 9),
    # q = 2 + [0, 1, 2] = [2, 3, 4] (sum 9) -> r = [log 2, 0, log(1/2)]
    clf = NBSVMClassifier(alpha=2.0).fit(X_TINY, Y_BINARY)
    assert_allclose(clf.log_count_ratio_, np.log([[2.0, 1.0, 0.5]]), rtol=1e-12)


# ----------------------------------------------------------- decision function
def _features(X, binarize):
    return (X > 0).astype(float) if binarize else X


BOTH_TASKS = pytest.mark.parametrize("y", [Y_COUNTS_BINARY, Y_COUNTS_THREE],
                                     ids=["binary", "three"])


@BOTH_TASKS
@pytest.mark.parametrize("binarize", [True, False])
def test_decision_function_is_scaled_linear_model(y, binarize):
    clf = NBSVMClassifier(binarize=binarize).fit(X_COUNTS, y)
    features = _features(X_COUNTS, binarize)
    expected = np.column_stack([
        (features * ratio) @ coef + intercept
        for ratio, coef, intercept in zip(clf.log_count_ratio_, clf.coef_,
                                          clf.intercept_, strict=True)
    ])
    scores = clf.decision_function(X_COUNTS)
    proba = clf.predict_proba(X_COUNTS)
    predicted = clf.predict(X_COUNTS)
    n_classes = len(np.unique(y))
    assert proba.shape == (len(X_COUNTS), n_classes)
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert_array_equal(clf.classes_[proba.argmax(axis=1)], predicted)
    if n_classes == 2:
        assert scores.shape == (len(X_COUNTS),)  # 1-D, positive = classes_[1]
        assert_allclose(scores, expected.ravel(), rtol=1e-10, atol=1e-12)
        assert_array_equal(predicted, clf.classes_[(scores > 0).astype(int)])
        # the logistic function of the decision
        assert_allclose(proba[:, 1], 1 / (1 + np.exp(-scores)), rtol=1e-12)
    else:
        assert scores.shape == (len(X_COUNTS), n_classes)
        assert_allclose(scores, expected, rtol=1e-10, atol=1e-12)
        assert_array_equal(predicted, clf.classes_[scores.argmax(axis=1)])
    # The model actually fits the (learnable) labels.
    assert np.mean(predicted == y) > 0.8


@BOTH_TASKS
@pytest.mark.parametrize("beta", [0.0, 0.25, 1.0])
def test_interpolation_blends_weights_with_their_mean_magnitude(y, beta):
    plain = NBSVMClassifier().fit(X_COUNTS, y)
    blended = NBSVMClassifier(interpolation=beta).fit(X_COUNTS, y)
    w = plain.coef_
    expected = (1 - beta) * np.abs(w).mean(axis=1, keepdims=True) + beta * w
    assert_allclose(blended.coef_, expected, rtol=1e-10, atol=1e-12)
    assert_allclose(blended.intercept_, plain.intercept_, rtol=1e-10)
    assert_allclose(blended.log_count_ratio_, plain.log_count_ratio_, rtol=1e-12)
    if beta == 0.0:  # all weights equal: naive Bayes' uniform weights
        assert_allclose(blended.coef_, blended.coef_[:, :1] * np.ones_like(w))


# --------------------------------------------------------------- sample_weight
@BOTH_TASKS
@pytest.mark.parametrize("binarize", [True, False])
def test_integer_sample_weight_equals_repeated_rows(y, binarize):
    weights = np.random.RandomState(1).randint(0, 4, size=len(X_COUNTS))
    weights[:3] = [0, 1, 3]
    weighted = NBSVMClassifier(binarize=binarize).fit(X_COUNTS, y,
                                                      sample_weight=weights)
    repeated = NBSVMClassifier(binarize=binarize).fit(
        np.repeat(X_COUNTS, weights, axis=0), np.repeat(y, weights))
    assert_allclose(weighted.log_count_ratio_, repeated.log_count_ratio_, rtol=1e-12)
    # The logistic regressions agree up to liblinear's stopping tolerance.
    assert_allclose(weighted.coef_, repeated.coef_, rtol=0, atol=1e-2)
    assert_allclose(weighted.decision_function(X_COUNTS),
                    repeated.decision_function(X_COUNTS), rtol=0, atol=1e-2)
    assert np.mean(weighted.predict(X_COUNTS) == repeated.predict(X_COUNTS)) >= 0.95


def test_sample_weight_changes_the_ratio():
    """Negative control for the test above: the weights are not ignored."""
    weights = np.array([1.0, 3.0, 1.0, 1.0])
    clf = NBSVMClassifier().fit(X_TINY, Y_BINARY, sample_weight=weights)
    # binarize=True, alpha=1: p = 1 + [1,1,0] + 3*[1,0,0] = [5, 2, 1] (sum 8),
    # q = [1, 2, 3] (sum 6)
    # -> r = [log((5/8)/(1/6)), log((2/8)/(2/6)), log((1/8)/(3/6))]
    assert_allclose(clf.log_count_ratio_, np.log([[15 / 4, 3 / 4, 1 / 4]]), rtol=1e-12)


# ---------------------------------------------------------------- class_weight
def test_class_weight_balanced_is_accepted_and_reweights():
    y = np.array(["pos"] * 4 + ["neg"] * 56)
    plain = NBSVMClassifier().fit(X_COUNTS, y)
    balanced = NBSVMClassifier(class_weight="balanced").fit(X_COUNTS, y)
    # the rare class gets the larger weight (in the counts and in the loss), so
    # its scores rise on average and it is predicted more often
    assert (balanced.decision_function(X_COUNTS).mean()
            > plain.decision_function(X_COUNTS).mean())
    assert (np.mean(balanced.predict(X_COUNTS) == "pos")
            > np.mean(plain.predict(X_COUNTS) == "pos"))


def test_class_weight_dict_with_string_labels():
    heavy_pos = NBSVMClassifier(class_weight={"neg": 1, "pos": 100})
    heavy_neg = NBSVMClassifier(class_weight={"neg": 100, "pos": 1})
    share_pos = [np.mean(clf.fit(X_COUNTS, Y_COUNTS_BINARY).predict(X_COUNTS) == "pos")
                 for clf in (heavy_neg, NBSVMClassifier(), heavy_pos)]
    assert share_pos[0] < share_pos[1] < share_pos[2]


# Classes 0 and 1 are the minority ones (5 and 18 of 60 samples); favouring 2, the
# majority, passes by accident (all weights tiny -> every model predicts its prior).
@pytest.mark.parametrize("favoured", [0, 1])
def test_class_weight_dict_with_three_integer_classes(favoured):
    y = np.searchsorted(["x", "y", "z"], Y_COUNTS_THREE)  # 0, 1, 2
    class_weight = {label: 1e-3 for label in range(3)} | {favoured: 1e3}
    predicted = NBSVMClassifier(class_weight=class_weight).fit(X_COUNTS, y).predict(
        X_COUNTS)
    assert np.mean(predicted == favoured) > 0.9


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_negative_counts_are_refused(sparse):
    X = X_TINY.copy()
    X[2, 1] = -1
    X = sp.csr_matrix(X) if sparse else X
    with pytest.raises(ValueError, match="Negative values .*NBSVMClassifier"):
        NBSVMClassifier().fit(X, Y_BINARY)
    fitted = NBSVMClassifier().fit(X_TINY, Y_BINARY)
    with pytest.raises(ValueError, match="NBSVMClassifier"):
        fitted.predict(X)


@pytest.mark.parametrize("label, shown", [("a", "'a'"), (7, "7")])
def test_one_class_is_refused(label, shown):
    message = f"at least 2 classes in y; got only one class: {shown}\\."
    with pytest.raises(ValueError, match=message):
        NBSVMClassifier().fit(X_TINY, [label] * 4)


@pytest.mark.parametrize("params, name", [
    ({"C": 0}, "C"), ({"C": -1.0}, "C"), ({"C": "1"}, "C"),
    ({"alpha": 0}, "alpha"), ({"interpolation": 1.5}, "interpolation"),
    ({"max_iter": 0}, "max_iter"), ({"class_weight": "balance"}, "class_weight"),
])
def test_invalid_parameters_are_refused(params, name):
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        NBSVMClassifier(**params).fit(X_TINY, Y_BINARY)


def test_class_weight_balanced_did_you_mean():
    with pytest.raises(InvalidParameterError, match="Did you mean 'balanced'"):
        NBSVMClassifier(class_weight="balance").fit(X_TINY, Y_BINARY)


def test_predict_before_fit_raises():
    with pytest.raises(ValueError, match="not fitted"):
        NBSVMClassifier().predict(X_TINY)


def test_predict_with_another_number_of_features_raises():
    clf = NBSVMClassifier().fit(X_TINY, Y_BINARY)
    with pytest.raises(ValueError, match="3 features"):
        clf.predict(X_TINY[:, :2])


# -------------------------------------------------------------------- learning
POSITIVE_WORDS = ["good", "great", "excellent", "wonderful", "loved", "superb"]
NEGATIVE_WORDS = ["bad", "awful", "terrible", "boring", "hated", "dull"]
NOISE_WORDS = ("the film movie plot actor scene story director music camera ending "
               "cast script it was a and of this that with some very quite").split()


def _sentiment_corpus(n, seed, n_classes=2):
    """Short texts: 1-2 words of their class among 4-7 noise words.

    With three classes, the third ("neutral") gets words of its own.
    """
    rng = np.random.RandomState(seed)
    vocabularies = [NEGATIVE_WORDS, POSITIVE_WORDS,
                    ["fine", "okay", "average", "mixed", "decent", "so-so"]][:n_classes]
    texts, labels = [], []
    for i in range(n):
        label = i % n_classes
        words = list(rng.choice(vocabularies[label], size=rng.randint(1, 3)))
        words += list(rng.choice(NOISE_WORDS, size=rng.randint(4, 8)))
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return np.array(texts, dtype=object), np.array(labels)


TEXTS, LABELS = _sentiment_corpus(200, seed=0)


@pytest.mark.parametrize("make", [make_nbsvm, make_tfidf_classifier])
def test_learns_sentiment_and_not_shuffled_labels(make):
    X_train, X_test, y_train, y_test = train_test_split(
        TEXTS, LABELS, test_size=0.3, random_state=0, stratify=LABELS)
    assert make().fit(X_train, y_train).score(X_test, y_test) >= 0.9
    shuffled = np.random.RandomState(0).permutation(y_train)
    assert make().fit(X_train, shuffled).score(X_test, y_test) < 0.7


def test_make_nbsvm_passes_its_parameters():
    model = make_nbsvm(ngram_range=(1, 1), C=0.5, min_df=2, alpha=0.5,
                       interpolation=0.25)
    vectorizer, clf = model[0], model[-1]
    assert vectorizer.ngram_range == (1, 1)
    assert vectorizer.min_df == 2
    assert vectorizer.binary
    assert isinstance(clf, NBSVMClassifier)
    assert (clf.C, clf.alpha, clf.interpolation) == (0.5, 0.5, 0.25)
    model.fit(TEXTS, LABELS)
    assert all(" " not in term for term in vectorizer.vocabulary_)  # unigrams only


def test_make_nbsvm_with_character_ngrams_joins_both_feature_sets():
    model = make_nbsvm(ngram_range=(1, 1), char_ngram_range=(2, 3), C=0.3).fit(
        TEXTS, LABELS)
    (_, words), (_, chars) = model[0].transformer_list
    assert words.analyzer == "word" and chars.analyzer == "char_wb"
    assert chars.ngram_range == (2, 3) and chars.binary
    n_features = len(words.vocabulary_) + len(chars.vocabulary_)
    assert model[-1].n_features_in_ == n_features
    assert model[-1].log_count_ratio_.shape[-1] == n_features
    # words never seen in training, read through the character n-grams they
    # share with seen ones; the word-only model has no feature for them
    unseen = ["the greatest film", "a boringly awfully made film"]
    assert model.predict(unseen).tolist() == [1, 0]
    word_only = make_nbsvm(ngram_range=(1, 1)).fit(TEXTS, LABELS)
    assert word_only[0].transform(["greatest boringly awfully"]).nnz == 0


@BOTH_TASKS
@pytest.mark.parametrize("binarize", [True, False])
def test_sparse_and_dense_inputs_give_the_same_model(y, binarize):
    dense = NBSVMClassifier(binarize=binarize).fit(X_COUNTS, y)
    sparse = NBSVMClassifier(binarize=binarize).fit(sp.csr_matrix(X_COUNTS), y)
    assert_allclose(sparse.log_count_ratio_, dense.log_count_ratio_, rtol=1e-12)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-6, atol=1e-8)
    for X in (X_COUNTS, sp.csr_matrix(X_COUNTS), sp.csc_matrix(X_COUNTS)):
        assert_array_equal(sparse.predict(X), dense.predict(X_COUNTS))
        assert_allclose(sparse.decision_function(X), dense.decision_function(X_COUNTS),
                        rtol=1e-6, atol=1e-8)


def test_fit_does_not_modify_sparse_input():
    X = sp.csr_matrix(X_COUNTS)
    data = X.data.copy()
    NBSVMClassifier().fit(X, Y_COUNTS_BINARY).predict(X)
    assert_array_equal(X.data, data)


# ------------------------------------------------------------ sklearn's checks
EXPECTED_FAILED_CHECKS = {
    "check_classifiers_train": "Feeds continuous make_blobs features shifted to be "
    "non-negative; binarize=True (the paper's default) keeps only x > 0, which is "
    "1 almost everywhere, so nothing is left to learn. Passes with binarize=False.",
    "check_class_weight_classifiers": "Feeds make_blobs X with negative values "
    "without applying the positive_only tag; counts cannot be negative "
    "(ValueError from check_non_negative, tested in test_negative_counts_are_refused).",
    "check_decision_proba_consistency": "Feeds make_blobs X with negative values "
    "without applying the positive_only tag (ValueError); the logistic link between "
    "decision_function and predict_proba is tested in "
    "test_decision_function_is_scaled_linear_model.",
}


@parametrize_with_checks([NBSVMClassifier()],
                         expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS,
                         xfail_strict=True)
def test_sklearn_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("check_name", ["check_classifiers_train"])
def test_classifiers_train_passes_with_counts(check_name):
    """The reason given for check_classifiers_train: it passes without binarize."""
    from sklearn.utils import estimator_checks

    getattr(estimator_checks, check_name)("NBSVMClassifier",
                                          NBSVMClassifier(binarize=False))


# -------------------------------------------------------------------- stacking
def _tiny_rnn():
    return make_pipeline(
        TextVectorizer(), SequencePadder(),
        RNNTextClassifier(units=8, embedding_dim=8, max_epochs=3, random_state=0))


def _members():
    return {"nbsvm": make_nbsvm(), "tfidf": make_tfidf_classifier(), "rnn": _tiny_rnn()}


@pytest.mark.parametrize("n_classes", [2, 3])
def test_text_stack_on_raw_text(n_classes):
    texts, labels = _sentiment_corpus(60 * n_classes, seed=1, n_classes=n_classes)
    texts = list(texts)
    stack = make_text_stack(_members(), cv=2)
    results = cross_validate(stack, texts, labels, cv=2, return_estimator=True)
    assert np.min(results["test_score"]) >= 0.85
    fitted = results["estimator"][0]
    n_columns = 1 if n_classes == 2 else n_classes  # per member
    assert fitted.transform(texts[:7]).shape == (7, 3 * n_columns)
    assert fitted.final_estimator_.n_features_in_ == 3 * n_columns
    assert list(fitted.named_estimators_) == ["nbsvm", "tfidf", "rnn"]
    assert fitted.stack_method_ == ["decision_function"] * 3
    proba = fitted.predict_proba(texts[:7])
    assert proba.shape == (7, n_classes)
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-10)


def test_make_text_stack_defaults_and_clone():
    stack = make_text_stack()
    assert isinstance(stack, StackingClassifier)
    assert [name for name, _ in stack.estimators] == ["rnn", "nbsvm", "tfidf"]
    assert stack.stack_method == "decision_function"
    assert stack.cv.get_n_splits() == 3
    assert stack.cv.shuffle and stack.cv.random_state == 0
    assert stack.named_estimators.rnn[-1].random_state == 0
    assert isinstance(stack.named_estimators.nbsvm[-1], NBSVMClassifier)
    cloned = clone(stack)
    assert [name for name, _ in cloned.estimators] == ["rnn", "nbsvm", "tfidf"]
    assert cloned.estimators[0][1] is not stack.estimators[0][1]
    assert make_text_stack(random_state=5).named_estimators.rnn[-1].random_state == 5
