"""Unlabelled rows in the fit of a semi-supervised text model (one that learns
from texts alone: ``pretrain=`` or self-learned vectors): label -1, or all-NaN
regression targets; and the encoder pretraining they feed (``pretrain=``).
Without pretraining or self-learned vectors, -1 is a class and NaN a faulty
target, as in any estimator."""

import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

import sklearn_rnn
from sklearn_rnn import (
    EncoderPretrainer,
    RNNTextClassifier,
    RNNTextRegressor,
    SequencePadder,
    TextVectorizer,
)
from sklearn_rnn.embeddings import Word2VecEmbeddings
from sklearn_rnn.exceptions import TrainingWarning
from tests._data import IDS, REVIEW_LABELS, REVIEWS, TINY_CLASSIFIER, TINY_REGRESSOR

CLASSIFIER = {**TINY_CLASSIFIER, "n_threads": 1}
REGRESSOR = {**TINY_REGRESSOR, "n_threads": 1}
# one epoch on every text; its architecture comes from the text model
PRETRAINER = dict(max_epochs=1, batch_size=8, n_samples=4, validation_split=None,
                  early_stopping=False)
# what a text model shares with the pretrainer that gives it its weights
ARCHITECTURE = dict(units=4, embedding_dim=4, cell_type="lstm", num_layers=1,
                    bidirectional=True)
# IDS's classes with every fourth row (ids 3, 4, 5, 9) unlabelled
LABELS = np.array([0, 1, 0, -1] * 3)
LABELLED = LABELS != -1
STR_LABELS = [{0: "neg", 1: "pos"}.get(label, -1) for label in LABELS.tolist()]
TARGETS = np.array([0.5, 2.0, 1.0, np.nan] * 3)


@pytest.fixture(autouse=True)
def _one_thread(one_torch_thread):
    """Tiny models train fastest on one thread."""


@pytest.fixture(scope="module")
def fitted_pretrainer():
    """A pretrainer of the tiny models' architecture, fitted on IDS."""
    return EncoderPretrainer(**PRETRAINER, **ARCHITECTURE, precision="float32",
                             random_state=0, n_threads=1).fit(IDS)


def _semi(cls, params, pretrainer, **extra):
    """A semi-supervised tiny model that reuses the fitted ``pretrainer`` (no
    pretraining in fit: fast, and the same encoder in every fit)."""
    return cls(**params, **extra, pretrain=FrozenEstimator(pretrainer))


def _bincount_without_padding(X, vocab_size):
    counts = np.bincount(np.asarray(X).ravel(), minlength=vocab_size)
    counts[0] = 0
    return counts


# --- which rows are unlabelled (semi-supervised models) ----------------------------
@pytest.mark.parametrize(("y", "classes"), [
    pytest.param(LABELS.tolist(), [0, 1], id="int-list"),
    pytest.param(LABELS, [0, 1], id="int-array"),
    pytest.param(LABELS.astype(float), [0.0, 1.0], id="float-array"),
    pytest.param(STR_LABELS, ["neg", "pos"], id="str-list"),
    pytest.param(np.array(STR_LABELS, dtype=object), ["neg", "pos"],
                 id="object-array"),
    pytest.param(pd.Series(STR_LABELS, dtype=object), ["neg", "pos"],
                 id="object-series"),
])
def test_the_number_minus_one_marks_an_unlabelled_row(y, classes, fitted_pretrainer):
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)  # no warning about them
        clf = _semi(RNNTextClassifier, CLASSIFIER, fitted_pretrainer).fit(IDS, y)
    assert clf.classes_.tolist() == classes


@pytest.mark.parametrize("y", [
    pytest.param([str(label) for label in STR_LABELS], id="str-list"),
    # numpy makes the -1 among strings the string '-1'
    pytest.param(np.array(STR_LABELS), id="str-array"),
])
def test_the_string_minus_one_stays_a_class(y, fitted_pretrainer):
    clf = _semi(RNNTextClassifier, CLASSIFIER, fitted_pretrainer).fit(IDS, y)
    assert clf.classes_.tolist() == ["-1", "neg", "pos"]


def _word2vec():
    pytest.importorskip("gensim")
    return "word2vec"


def _word2vec_embeddings():
    pytest.importorskip("gensim")
    return Word2VecEmbeddings(epochs=1)


@pytest.mark.parametrize(("make_params", "classes"), [
    pytest.param(lambda pretrainer: {}, [-1, 0, 1], id="supervised"),
    pytest.param(lambda pretrainer: {"pretrain": EncoderPretrainer(**PRETRAINER)},
                 [0, 1], id="pretrain-unfitted"),
    pytest.param(lambda pretrainer: {"pretrain": pretrainer}, [0, 1],
                 id="pretrain-fitted"),
    pytest.param(lambda pretrainer: {"pretrain": FrozenEstimator(pretrainer)},
                 [0, 1], id="pretrain-frozen"),
    pytest.param(lambda pretrainer: {"embeddings": _word2vec()}, [0, 1],
                 id="word2vec"),
    pytest.param(lambda pretrainer: {"embeddings": _word2vec_embeddings()},
                 [0, 1], id="Word2VecEmbeddings"),
])
def test_only_a_model_that_learns_from_texts_reads_minus_one_as_unlabelled(
        make_params, classes, fitted_pretrainer):
    clf = RNNTextClassifier(**CLASSIFIER, **make_params(fitted_pretrainer))
    assert clf.fit(IDS, LABELS).classes_.tolist() == classes


@pytest.mark.parametrize("validation_split", [None, 0.34])
def test_unlabelled_rows_do_not_reach_supervised_training(validation_split,
                                                          fitted_pretrainer):
    """The same fitted pretrainer in both fits: the encoder starts alike, so
    only what supervised training sees could tell the fits apart."""
    params = {**CLASSIFIER, "validation_split": validation_split}
    with_unlabelled = _semi(RNNTextClassifier, params, fitted_pretrainer).fit(
        IDS, LABELS)
    labelled_only = _semi(RNNTextClassifier, params, fitted_pretrainer).fit(
        IDS[LABELLED], LABELS[LABELLED])
    assert with_unlabelled.pretrainer_ is labelled_only.pretrainer_
    np.testing.assert_array_equal(with_unlabelled.predict_proba(IDS),
                                  labelled_only.predict_proba(IDS))
    assert len(with_unlabelled.history_) == len(labelled_only.history_)
    if validation_split is not None:  # 3 of the 9 labelled rows held out
        assert "valid_loss" in with_unlabelled.history_[-1]


def test_unlabelled_rows_take_their_sample_weights_along(fitted_pretrainer):
    weights = np.array([1.0, 3.0, 0.5, 100.0] * 3)
    model = _semi(RNNTextClassifier, CLASSIFIER, fitted_pretrainer).fit(
        IDS, LABELS, sample_weight=weights)
    reference = _semi(RNNTextClassifier, CLASSIFIER, fitted_pretrainer).fit(
        IDS[LABELLED], LABELS[LABELLED], sample_weight=weights[LABELLED])
    np.testing.assert_array_equal(model.predict_proba(IDS),
                                  reference.predict_proba(IDS))
    # a negative control: the weights do change the model
    unweighted = _semi(RNNTextClassifier, CLASSIFIER, fitted_pretrainer).fit(
        IDS[LABELLED], LABELS[LABELLED])
    assert not np.allclose(unweighted.predict_proba(IDS), model.predict_proba(IDS))


@pytest.mark.parametrize(("cls", "params", "y", "mark"), [
    (RNNTextClassifier, CLASSIFIER, [-1] * 12, r"label -1"),
    (RNNTextRegressor, REGRESSOR, [np.nan] * 12, r"targets all NaN"),
])
def test_all_rows_unlabelled_is_an_error(cls, params, y, mark, fitted_pretrainer):
    with pytest.raises(ValueError, match=rf"y marks all 12 samples as unlabelled "
                                         rf"\({mark}\); {cls.__name__} "
                                         "needs labelled samples"):
        _semi(cls, params, fitted_pretrainer).fit(IDS, y)


def test_minus_one_and_one_labels_name_the_unlabelled_convention(fitted_pretrainer):
    clf = _semi(RNNTextClassifier, CLASSIFIER, fitted_pretrainer)
    with pytest.raises(ValueError, match=r"y marks the samples labelled -1 as "
                                         r"unlabelled .*which leaves only the "
                                         r"class \['1'\] to learn"):
        clf.fit(IDS, [-1, 1] * 6)


@pytest.mark.parametrize(("cls", "params", "y", "message"), [
    (RNNTextClassifier, CLASSIFIER, [0, -1, None, 1] * 3,
     r"the label of sample 2 is missing"),
    (RNNTextRegressor, REGRESSOR,
     np.array([[0.5, 1.0], [np.nan, np.nan], [1.0, np.nan], [2.0, 3.0]] * 3),
     r"the target of sample 2 is nan"),
])
def test_a_faulty_target_is_named_by_its_row_in_y(cls, params, y, message,
                                                  fitted_pretrainer):
    with pytest.raises(ValueError, match=message):
        _semi(cls, params, fitted_pretrainer).fit(IDS, y)


# --- a model that learns from labels only: -1 is a class, NaN an error ---------------
def test_without_pretraining_minus_one_is_a_class():
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)
        clf = RNNTextClassifier(**CLASSIFIER).fit(IDS, [-1, 1] * 6)
    assert clf.classes_.tolist() == [-1, 1]
    assert set(clf.predict(IDS).tolist()) <= {-1, 1}
    assert clf.predict_proba(IDS).shape == (12, 2)


def test_without_pretraining_all_minus_one_is_a_single_class():
    with pytest.raises(ValueError, match=r"needs samples of at least 2 classes in "
                                         r"y; got only one class: -1"):
        RNNTextClassifier(**CLASSIFIER).fit(IDS, [-1] * 12)


def test_without_pretraining_score_counts_minus_one_rows_as_a_class():
    clf = RNNTextClassifier(**CLASSIFIER).fit(IDS, LABELS)
    predicted = clf.predict(IDS)
    expected = accuracy_score(LABELS, predicted)
    assert clf.score(IDS, LABELS) == pytest.approx(expected)
    # a negative control: the labelled rows alone score otherwise
    assert accuracy_score(LABELS[LABELLED], predicted[LABELLED]) != pytest.approx(
        expected)


def test_without_pretraining_str_labels_and_the_number_minus_one_are_mixed_types():
    with pytest.raises(TypeError, match=r"y mixes labels of types \['number', "
                                        r"'str'\]"):
        RNNTextClassifier(**CLASSIFIER).fit(IDS, STR_LABELS)


@pytest.mark.parametrize(("y", "first", "count"), [
    pytest.param(TARGETS, 3, 3, id="some-rows"),
    pytest.param([np.nan] * 12, 0, 12, id="all-rows"),
])
def test_without_pretraining_the_regressor_refuses_nan_targets(y, first, count):
    with pytest.raises(ValueError, match=rf"Input y contains NaN: the target of "
                                         rf"sample {first} is nan \({count} "
                                         r"sample\(s\)"):
        RNNTextRegressor(**REGRESSOR).fit(IDS, y)


def test_without_pretraining_the_regressors_score_refuses_nan_targets():
    model = RNNTextRegressor(**REGRESSOR).fit(IDS, [0.5, 2.0, 1.0, 3.0] * 3)
    with pytest.raises(ValueError, match=r"Input y contains NaN: the target of "
                                         r"sample 3 is nan"):
        model.score(IDS, TARGETS)


# --- regression targets of a semi-supervised regressor ------------------------------
def test_rows_whose_targets_are_all_nan_are_unlabelled(fitted_pretrainer):
    labelled = ~np.isnan(TARGETS)
    model = _semi(RNNTextRegressor, REGRESSOR, fitted_pretrainer).fit(IDS, TARGETS)
    reference = _semi(RNNTextRegressor, REGRESSOR, fitted_pretrainer).fit(
        IDS[labelled], TARGETS[labelled])
    np.testing.assert_allclose(model.y_mean_, [7 / 6])  # mean of 0.5, 2 and 1
    np.testing.assert_array_equal(model.predict(IDS), reference.predict(IDS))


def test_minus_one_is_a_regression_target(fitted_pretrainer):
    model = _semi(RNNTextRegressor, REGRESSOR, fitted_pretrainer).fit(
        IDS, [-1.0, 1.0, 2.0, -1.0] * 3)
    np.testing.assert_allclose(model.y_mean_, [0.25])


def test_a_row_with_some_nan_targets_is_an_error(fitted_pretrainer):
    # rows 1 (all NaN) are unlabelled; rows 2 (one NaN) are an error
    y = np.array([[0.5, 1.0], [np.nan, np.nan], [1.0, np.nan], [2.0, 3.0]] * 3)
    with pytest.raises(ValueError, match=r"Input y contains NaN: .*3 sample\(s\) "
                                         r"with a non-finite target"):
        _semi(RNNTextRegressor, REGRESSOR, fitted_pretrainer).fit(IDS, y)


def test_score_of_a_semi_supervised_regressor_leaves_out_all_nan_rows(
        fitted_pretrainer):
    labelled = ~np.isnan(TARGETS)
    model = _semi(RNNTextRegressor, REGRESSOR, fitted_pretrainer).fit(IDS, TARGETS)
    expected = r2_score(TARGETS[labelled], model.predict(IDS[labelled]))
    assert model.score(IDS, TARGETS) == pytest.approx(expected)


# --- pretrain: an unfitted pretrainer, fitted in fit --------------------------------
@pytest.mark.parametrize(("cls", "params", "y"), [
    (RNNTextClassifier, CLASSIFIER, LABELS),
    (RNNTextRegressor, REGRESSOR, TARGETS),
])
def test_pretraining_reads_every_row_with_the_models_architecture(cls, params, y):
    architecture = dict(units=3, embedding_dim=5, cell_type="gru", num_layers=2,
                        bidirectional=False)
    pretrain = EncoderPretrainer(**PRETRAINER, units=7, bidirectional=True)
    model = cls(**{**params, **architecture}, pretrain=pretrain).fit(IDS, y)
    pretrainer = model.pretrainer_
    assert pretrainer is not pretrain
    assert not hasattr(pretrain, "net_")  # the parameter is left unfitted
    assert pretrainer.n_epochs_ == 1
    assert {name: pretrainer.get_params()[name]
            for name in architecture} == architecture
    assert pretrainer.vocab_size_ == model.vocab_size_ == 10
    # the unlabelled rows (ids 3, 4, 5 and 9) are counted too
    np.testing.assert_array_equal(pretrainer.word_counts_,
                                  _bincount_without_padding(IDS, 10))


def test_the_classifier_starts_from_the_pretrained_encoder():
    # a learning rate too small to move any weight from where it starts
    clf = RNNTextClassifier(**CLASSIFIER, lr=1e-12,
                            pretrain=EncoderPretrainer(**PRETRAINER)).fit(IDS, LABELS)
    pretrained = clf.pretrainer_.encoder_state()
    weights = clf.net_.module_.state_dict()
    assert any(key.startswith("encoder.backward_layers.") for key in pretrained)
    for key, value in pretrained.items():
        torch.testing.assert_close(weights[key], value, atol=1e-9, rtol=0, msg=key)
    # a negative control: without pretraining the encoder starts elsewhere
    fresh = RNNTextClassifier(**CLASSIFIER, lr=1e-12).fit(IDS[LABELLED],
                                                          LABELS[LABELLED])
    embedding = fresh.net_.module_.state_dict()["embedding.weight"]
    assert not torch.allclose(embedding, pretrained["embedding.weight"], atol=1e-3)


# --- pretrain: a fitted pretrainer, reused -------------------------------------------
def test_a_fitted_pretrainer_is_reused(fitted_pretrainer):
    epochs = len(fitted_pretrainer.history_)
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=fitted_pretrainer).fit(IDS, LABELS)
    assert clf.pretrainer_ is fitted_pretrainer
    assert len(fitted_pretrainer.history_) == epochs  # not trained again


def test_a_frozen_pretrainer_survives_clone(fitted_pretrainer):
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=FrozenEstimator(fitted_pretrainer))
    clf = clone(clf).fit(IDS, LABELS)
    assert clf.pretrainer_ is fitted_pretrainer
    # without FrozenEstimator, clone (as in GridSearchCV) pretrains anew
    plain = clone(RNNTextClassifier(**CLASSIFIER, pretrain=fitted_pretrainer))
    assert plain.fit(IDS, LABELS).pretrainer_ is not fitted_pretrainer


def test_a_fitted_pretrainers_vocabulary_is_taken():
    pretrainer = EncoderPretrainer(**PRETRAINER, **ARCHITECTURE, vocab_size=15,
                                   precision="float32", random_state=0).fit(IDS)
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=pretrainer).fit(IDS, LABELS)
    assert clf.vocab_size_ == 15


@pytest.mark.parametrize(("name", "value"), [
    ("units", 8), ("embedding_dim", 8), ("cell_type", "gru"), ("num_layers", 2),
    ("bidirectional", False),
])
def test_a_fitted_pretrainer_of_another_architecture_is_refused(name, value):
    pretrainer = EncoderPretrainer(**PRETRAINER, **{**ARCHITECTURE, name: value},
                                   precision="float32", random_state=0).fit(IDS)
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=pretrainer)
    with pytest.raises(ValueError, match=rf"pretrain: the fitted EncoderPretrainer "
                                         rf"has {name}={value!r}, but "
                                         rf"RNNTextClassifier has {name}="):
        clf.fit(IDS, LABELS)


def test_a_fitted_pretrainer_of_fewer_ids_is_refused(fitted_pretrainer):
    more_ids = np.where(IDS == 9, 12, IDS)
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=fitted_pretrainer)
    with pytest.raises(ValueError, match=r"has vocab_size_=10, but "
                                         r"RNNTextClassifier has 13 ids"):
        clf.fit(more_ids, LABELS)


# --- pretrain: refused values --------------------------------------------------------
def test_a_frozen_unfitted_pretrainer_is_refused():
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=FrozenEstimator(
        EncoderPretrainer(**PRETRAINER)))
    with pytest.raises(ValueError, match="inside the FrozenEstimator is not fitted"):
        clf.fit(IDS, LABELS)


def test_pretrain_with_frozen_embeddings_is_refused():
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=EncoderPretrainer(),
                            freeze_embeddings=True)
    with pytest.raises(ValueError, match="pretrain trains the embedding layer, "
                                         "which freeze_embeddings=True keeps fixed"):
        clf.fit(IDS, LABELS)


@pytest.mark.parametrize("value", [LogisticRegression(), "yes"])
def test_pretrain_must_be_a_pretrainer(value):
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=value)
    with pytest.raises(InvalidParameterError,
                       match=r"The 'pretrain' parameter of RNNTextClassifier must "
                             r"be None, an EncoderPretrainer"):
        clf.fit(IDS, LABELS)


# --- pipelines, model files and model selection ------------------------------------
TEXTS = REVIEWS[:24]
# every third review unlabelled
TEXT_LABELS = [-1 if i % 3 == 0 else label
               for i, label in enumerate(REVIEW_LABELS[:24])]


def test_a_pipeline_with_pretraining_saves_and_loads(tmp_path):
    pretrain = EncoderPretrainer(**PRETRAINER, lr=0.01)
    pipe = make_pipeline(TextVectorizer(), SequencePadder(maxlen=6),
                         RNNTextClassifier(**CLASSIFIER, pretrain=pretrain))
    pipe.fit(TEXTS, TEXT_LABELS)
    sklearn_rnn.save(pipe, tmp_path / "pipe.model")
    loaded = sklearn_rnn.load(tmp_path / "pipe.model")
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS),
                                  pipe.predict_proba(TEXTS))
    assert loaded[-1].classes_.tolist() == ["neg", "pos"]
    kept = loaded[-1].pretrain
    assert isinstance(kept, EncoderPretrainer) and not hasattr(kept, "net_")
    assert kept.get_params() == pretrain.get_params()


def test_a_frozen_pretrainer_is_saved_as_its_parameters(tmp_path, fitted_pretrainer):
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=FrozenEstimator(fitted_pretrainer))
    clf.fit(IDS, LABELS)
    sklearn_rnn.save(clf, tmp_path / "clf.model")
    loaded = sklearn_rnn.load(tmp_path / "clf.model")
    np.testing.assert_array_equal(loaded.predict_proba(IDS), clf.predict_proba(IDS))
    assert type(loaded.pretrain) is EncoderPretrainer
    assert loaded.pretrain.get_params() == fitted_pretrainer.get_params()


def test_score_leaves_out_unlabelled_rows(fitted_pretrainer):
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=fitted_pretrainer).fit(IDS, LABELS)
    expected = accuracy_score(LABELS[LABELLED], clf.predict(IDS[LABELLED]))
    assert clf.score(IDS, LABELS) == pytest.approx(expected)
    # counted as errors, the unlabelled rows would lower the accuracy
    assert accuracy_score(LABELS, clf.predict(IDS)) < expected


def test_score_takes_the_sample_weights_of_the_labelled_rows(fitted_pretrainer):
    clf = _semi(RNNTextClassifier, CLASSIFIER, fitted_pretrainer).fit(IDS, LABELS)
    # the labelled rows of class 1 weigh most, so that the weights matter
    weights = np.array([1.0, 5.0, 2.0, 7.0] * 3)
    expected = accuracy_score(LABELS[LABELLED], clf.predict(IDS[LABELLED]),
                              sample_weight=weights[LABELLED])
    assert clf.score(IDS, LABELS, sample_weight=weights) == pytest.approx(expected)
    assert clf.score(IDS, LABELS) != pytest.approx(expected)


def test_score_of_all_unlabelled_rows_is_an_error(fitted_pretrainer):
    clf = _semi(RNNTextClassifier, CLASSIFIER, fitted_pretrainer).fit(IDS, LABELS)
    with pytest.raises(ValueError, match=r"y marks all 12 samples as unlabelled "
                                         r"\(label -1\); score needs labelled ones"):
        clf.score(IDS, [-1] * 12)


def test_grid_search_pretrains_on_every_training_fold_and_scores_labelled_rows():
    """Unlabelled rows go in every training fold, where pretraining reads them,
    and the score (the classifier's own ``score``) counts labelled rows only:
    plain ``GridSearchCV(cv=2)`` does both, since its stratified folds treat -1
    as one more class to spread over the folds."""
    X = make_pipeline(TextVectorizer(), SequencePadder(maxlen=6)).fit_transform(
        REVIEWS)
    y = np.array([1 if label == "pos" else 0 for label in REVIEW_LABELS])
    y[::4] = -1
    model = RNNTextClassifier(**CLASSIFIER, pretrain=EncoderPretrainer(**PRETRAINER))
    search = GridSearchCV(model, {"lr": [1e-3, 1e-2]}, cv=2).fit(X, y)
    assert search.best_estimator_.classes_.tolist() == [0, 1]
    fold_scores = []
    for train, test in StratifiedKFold(2).split(X, y):
        assert (y[train] == -1).sum() == 6
        fold = clone(model).set_params(**search.best_params_).fit(X[train], y[train])
        labelled = y[test] != -1
        fold_scores.append(accuracy_score(y[test][labelled],
                                          fold.predict(X[test][labelled])))
        # a negative control: the rows with -1 would count as errors
        assert accuracy_score(y[test], fold.predict(X[test])) < fold_scores[-1]
    assert search.best_score_ == pytest.approx(np.mean(fold_scores))


def test_self_learned_vectors_read_the_unlabelled_texts():
    pytest.importorskip("gensim")
    # ids 8 and 9 occur in unlabelled rows only (rows 2 and 3 of IDS)
    X = np.array([[2, 3, 4, 5], [2, 3, 6, 7], [8, 9, 8, 9], [9, 8, 9, 8]] * 3)
    y = np.array([0, 1, -1, -1] * 3)
    params = dict(CLASSIFIER, embeddings="word2vec", vocab_size=10)
    semi = RNNTextClassifier(**params).fit(X, y)
    labelled = RNNTextClassifier(**params).fit(X[y != -1], y[y != -1])
    assert semi.classes_.tolist() == labelled.classes_.tolist() == [0, 1]
    # word ids 2..9: 6 of 8 seen by the labelled rows, all 8 with the unlabelled
    assert labelled.embedding_coverage_ == pytest.approx(6 / 8)
    assert semi.embedding_coverage_ == pytest.approx(8 / 8)


def test_a_refit_without_pretraining_drops_the_earlier_pretrainer(fitted_pretrainer):
    clf = RNNTextClassifier(**CLASSIFIER, pretrain=fitted_pretrainer).fit(IDS, LABELS)
    assert clf.pretrainer_ is fitted_pretrainer
    clf.set_params(pretrain=None).fit(IDS, [0, 1] * 6)
    assert not hasattr(clf, "pretrainer_")
