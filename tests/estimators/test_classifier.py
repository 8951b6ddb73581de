import pickle
import threading
import warnings

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.ensemble import StackingClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, cross_validate
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNTextClassifier, SequencePadder, TextVectorizer
from sklearn_rnn.estimators._classifier import _n_members
from sklearn_rnn.estimators._training import InterruptFlag, run_training
from sklearn_rnn.exceptions import TrainingWarning, UnseenTokenWarning
from tests._data import FAST_CLASSIFIER, REVIEW_LABELS, REVIEWS, token_order_task


def order_task(n_samples, seed):
    """Does token 1 appear before token 2? Needs order, not just presence."""
    X, one_first = token_order_task(n_samples, seed, n_steps=12)
    return X, one_first.astype(np.int64)


def to_post_padding(X):
    post = np.zeros_like(X)
    for i, row in enumerate(X):
        real = row[row != 0]
        post[i, :len(real)] = real
    return post


X_ORDER, Y_ORDER = order_task(1200, seed=0)
X_ORDER_TEST, Y_ORDER_TEST = order_task(400, seed=1)


@pytest.mark.slow
@pytest.mark.parametrize("cell_type", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_learns_a_task_that_needs_word_order(cell_type, bidirectional):
    clf = RNNTextClassifier(cell_type=cell_type, bidirectional=bidirectional,
                            pooling="last", max_epochs=12, **FAST_CLASSIFIER)
    clf.fit(X_ORDER, Y_ORDER)
    assert clf.score(X_ORDER_TEST, Y_ORDER_TEST) >= 0.9
    losses = clf.history_[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]


def test_pre_and_post_padded_data_give_the_same_predictions():
    clf = RNNTextClassifier(max_epochs=3, **FAST_CLASSIFIER).fit(X_ORDER, Y_ORDER)
    np.testing.assert_allclose(
        clf.predict_proba(X_ORDER_TEST),
        clf.predict_proba(to_post_padding(X_ORDER_TEST)), atol=1e-5,
    )


def test_same_seed_same_predictions_and_caller_rng_untouched():
    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    params = dict(FAST_CLASSIFIER, max_epochs=2, recurrent_dropout=0.2)
    first = RNNTextClassifier(**params).fit(X_ORDER, Y_ORDER)
    assert torch.equal(torch.rand(1), expected_next)
    second = RNNTextClassifier(**params).fit(X_ORDER, Y_ORDER)
    other = RNNTextClassifier(**{**params, "random_state": 1}).fit(X_ORDER, Y_ORDER)
    proba = first.predict_proba(X_ORDER_TEST)
    np.testing.assert_array_equal(proba, second.predict_proba(X_ORDER_TEST))
    assert not np.allclose(proba, other.predict_proba(X_ORDER_TEST))


def test_early_stopping_stops_at_patience_plus_one_and_restores_best():
    # A learning rate this small leaves every weight unchanged in float32, so the
    # validation loss never improves after the first epoch.
    clf = RNNTextClassifier(optimizer="sgd", patience=3, max_epochs=20,
                            **{**FAST_CLASSIFIER, "lr": 1e-30}).fit(X_ORDER, Y_ORDER)
    assert clf.n_epochs_ == 4
    assert clf.best_epoch_ == 1


def test_best_epoch_is_the_epoch_with_lowest_validation_loss():
    clf = RNNTextClassifier(max_epochs=15, patience=2,
                            **{**FAST_CLASSIFIER, "lr": 0.05})
    clf.fit(X_ORDER[:300], Y_ORDER[:300])
    valid_losses = clf.history_[:, "valid_loss"]
    assert clf.best_epoch_ == int(np.argmin(valid_losses)) + 1
    assert clf.n_epochs_ <= clf.best_epoch_ + 2


def test_no_validation_split_trains_all_epochs_with_a_warning():
    clf = RNNTextClassifier(validation_split=None, max_epochs=3, **FAST_CLASSIFIER)
    with pytest.warns(TrainingWarning, match="validation_split is None"):
        clf.fit(X_ORDER[:200], Y_ORDER[:200])
    assert clf.n_epochs_ == 3
    assert "valid_loss" not in clf.history_[-1]


@pytest.mark.parametrize("labels", [np.array(["neg", "pos"]), np.array([False, True]),
                                    np.array([-1, 7])])
def test_predict_returns_original_labels(labels):
    # -1 is a class unless the model is semi-supervised (test_semi_supervised.py)
    y = labels[Y_ORDER]
    clf = RNNTextClassifier(max_epochs=8, **FAST_CLASSIFIER).fit(X_ORDER, y)
    np.testing.assert_array_equal(clf.classes_, np.sort(labels))
    predictions = clf.predict(X_ORDER_TEST)
    assert predictions.dtype == y.dtype
    assert np.mean(predictions == labels[Y_ORDER_TEST]) >= 0.8


def test_multiclass():
    # The class is which of the tokens 1, 2, 3 comes first.
    rng = np.random.RandomState(0)
    X = rng.randint(4, 15, size=(900, 8))
    y = rng.randint(0, 3, size=900)
    for row, label in zip(X, y, strict=True):
        positions = rng.choice(8, 3, replace=False)
        positions.sort()
        row[positions] = np.roll([1, 2, 3], -label)
    clf = RNNTextClassifier(max_epochs=15, **FAST_CLASSIFIER).fit(X[:700], y[:700])
    proba = clf.predict_proba(X[700:])
    assert proba.shape == (200, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert clf.score(X[700:], y[700:]) >= 0.8
    scores = clf.decision_function(X[700:])
    np.testing.assert_allclose(scores, np.log(proba), rtol=1e-4, atol=1e-4)
    np.testing.assert_array_equal(np.argmax(scores, axis=1), clf.predict(X[700:]))


def test_binary_decision_function_is_the_log_odds_of_the_second_class():
    clf = RNNTextClassifier(max_epochs=2, **FAST_CLASSIFIER).fit(X_ORDER, Y_ORDER)
    proba = clf.predict_proba(X_ORDER_TEST)
    scores = clf.decision_function(X_ORDER_TEST)
    assert scores.shape == (len(X_ORDER_TEST),)
    np.testing.assert_allclose(scores, np.log(proba[:, 1] / proba[:, 0]),
                               rtol=1e-4, atol=1e-4)
    np.testing.assert_array_equal(clf.classes_[(scores > 0).astype(int)],
                                  clf.predict(X_ORDER_TEST))


def test_stacking_on_decision_functions_learns_from_the_rnn():
    # The stack must put a positive weight on the RNN's log-odds: a useless
    # member would get a weight near zero.
    stack = StackingClassifier(
        [("rnn", RNNTextClassifier(max_epochs=6, **FAST_CLASSIFIER))],
        final_estimator=LogisticRegression(), stack_method="decision_function", cv=2,
    ).fit(X_ORDER, Y_ORDER)
    assert stack.final_estimator_.coef_[0, 0] > 0.5
    assert stack.score(X_ORDER_TEST, Y_ORDER_TEST) >= 0.8


def test_zero_sample_weights_ignore_mislabelled_samples():
    flipped = np.r_[Y_ORDER[:600], 1 - Y_ORDER[600:]]
    weights = np.r_[np.ones(600), np.zeros(600)]
    params = dict(FAST_CLASSIFIER, max_epochs=12, validation_split=None,
                  early_stopping=False)
    weighted = RNNTextClassifier(**params).fit(X_ORDER, flipped, sample_weight=weights)
    assert weighted.score(X_ORDER_TEST, Y_ORDER_TEST) >= 0.85


def test_class_weight_equals_the_matching_sample_weight():
    params = dict(FAST_CLASSIFIER, max_epochs=2)
    by_class = RNNTextClassifier(class_weight={0: 3.0, 1: 1.0}, **params)
    by_sample = RNNTextClassifier(**params)
    by_class.fit(X_ORDER, Y_ORDER)
    by_sample.fit(X_ORDER, Y_ORDER, sample_weight=np.where(Y_ORDER == 0, 3.0, 1.0))
    np.testing.assert_allclose(by_class.predict_proba(X_ORDER_TEST),
                               by_sample.predict_proba(X_ORDER_TEST), rtol=1e-6)


def test_pickle_and_clone_round_trips():
    clf = RNNTextClassifier(max_epochs=2, **FAST_CLASSIFIER).fit(X_ORDER, Y_ORDER)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X_ORDER_TEST),
                                  clf.predict_proba(X_ORDER_TEST))
    fresh = clone(clf)
    assert fresh.get_params() == clf.get_params()
    assert not hasattr(fresh, "net_")


def test_grid_search_on_raw_text_pipeline():
    pipe = make_pipeline(
        TextVectorizer(), SequencePadder(maxlen=6),
        RNNTextClassifier(max_epochs=15, validation_split=None, early_stopping=False,
                          **FAST_CLASSIFIER),
    )
    grid = GridSearchCV(pipe, {"rnntextclassifier__units": [4, 8],
                               "rnntextclassifier__dropout": [0.0, 0.2],
                               "rnntextclassifier__cell_type": ["lstm", "gru"]}, cv=2)
    grid.fit(REVIEWS, REVIEW_LABELS)
    assert len(grid.cv_results_["params"]) == 8
    assert grid.best_score_ >= 0.9
    assert list(grid.predict(["great fun cast", "awful dull movie"])) == ["pos", "neg"]


def test_randomized_search_samples_flat_hyperparameters():
    pipe = make_pipeline(TextVectorizer(), SequencePadder(maxlen=6),
                         RNNTextClassifier(max_epochs=15, validation_split=None,
                                           early_stopping=False, **FAST_CLASSIFIER))
    search = RandomizedSearchCV(
        pipe, {"rnntextclassifier__units": [4, 8, 16],
               "rnntextclassifier__pooling": ["last", "max", "mean"],
               "rnntextclassifier__bidirectional": [False, True]},
        n_iter=3, cv=2, random_state=0,
    ).fit(REVIEWS, REVIEW_LABELS)
    assert len(search.cv_results_["params"]) == 3
    assert search.best_score_ >= 0.8


def test_cross_validate_on_raw_text_pipeline():
    pipe = make_pipeline(TextVectorizer(), SequencePadder(maxlen=6),
                         RNNTextClassifier(max_epochs=15, **FAST_CLASSIFIER))
    scores = cross_validate(pipe, REVIEWS, REVIEW_LABELS, cv=3)
    assert scores["test_score"].mean() >= 0.8


def test_summary_counts_match_the_tutorial_models():
    X = np.random.RandomState(0).randint(1, 10000, size=(64, 20))
    X[0, 0] = 9999  # the vocabulary size is inferred as the largest id + 1
    y = np.arange(64) % 2
    simple = RNNTextClassifier(cell_type="rnn", units=32, embedding_dim=32,
                               bidirectional=False, pooling="last", max_epochs=1,
                               n_estimators=1, random_state=0).fit(X, y)
    table = simple.summary()
    assert "320,000" in table  # Embedding(10000, 32)
    # SimpleRNN(32) on 32 inputs: 32 * (32 + 32) weights + 2 * 32 biases
    assert "2,112" in table
    assert "Total params: 322,178" in table  # + Linear(32 -> 2) = 66
    lstm = clone(simple).set_params(cell_type="lstm", units=64, embedding_dim=128)
    table = lstm.fit(X, y).summary()
    assert "49,664" in table  # 4 * (64 * (128 + 64) + 2 * 64)
    assert "Total params: 1,329,794" in table


def test_frozen_pretrained_embeddings_stay_fixed():
    rng = np.random.RandomState(0)
    embeddings = rng.normal(size=(20, 5)).astype(np.float32)
    clf = RNNTextClassifier(embeddings=embeddings, freeze_embeddings=True,
                            vocab_size=20, max_epochs=2,
                            **{**FAST_CLASSIFIER, "embedding_dim": 5})
    clf.fit(X_ORDER, Y_ORDER)
    weight = clf.net_.module_.embedding.weight.detach().numpy()
    np.testing.assert_array_equal(weight[1:], embeddings[1:])
    np.testing.assert_array_equal(weight[0], 0)  # the padding row
    assert "Non-trainable params: 100" in clf.summary()


def test_verbose_controls_output(capsys):
    RNNTextClassifier(max_epochs=2, verbose=0, **FAST_CLASSIFIER).fit(X_ORDER[:100],
                                                           Y_ORDER[:100])
    assert capsys.readouterr().out == ""
    RNNTextClassifier(max_epochs=2, verbose=1, **FAST_CLASSIFIER).fit(X_ORDER[:100],
                                                           Y_ORDER[:100])
    out = capsys.readouterr().out
    assert "train_loss" in out and "valid_loss" in out


def test_training_thread_flushes_denormals_without_touching_the_caller():
    tiny = torch.full((1_000_000,), 1e-39)  # subnormal in float32
    seen = {}

    def train():
        seen["zeros"] = float(((tiny * 1.5).numpy() == 0).mean())
        seen["thread"] = threading.current_thread().name

    interrupted = run_training(train, "cpu", InterruptFlag())
    assert not interrupted
    assert seen["thread"] == "sklearn-rnn-training"
    # every intra-op worker of the training thread flushed its share to zero
    assert seen["zeros"] == 1.0
    assert float(((tiny * 1.5).numpy() == 0).mean()) == 0.0


def test_training_errors_reach_the_caller():
    def train():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        run_training(train, "cpu", InterruptFlag())


def test_interrupt_keeps_the_best_weights_with_a_warning():
    class InterruptAtEpoch3(InterruptFlag):
        def on_epoch_end(self, net, **kwargs):
            if len(net.history) == 3:
                raise KeyboardInterrupt

    clf = RNNTextClassifier(max_epochs=10, callbacks=[InterruptAtEpoch3()],
                            **FAST_CLASSIFIER)
    with warnings.catch_warnings(record=True):
        clf.fit(X_ORDER, Y_ORDER)
    assert clf.n_epochs_ == 3
    assert clf.predict(X_ORDER_TEST).shape == (400,)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"cell_type": "lstn"}, "Did you mean 'lstm'"),
        ({"pooling": "maxx"}, "Did you mean 'max'"),
        ({"optimizer": "adamm"}, "Did you mean 'adam'"),
        ({"optimizer": dict}, "torch.optim.Optimizer subclass"),
        ({"units": 0}, "'units' parameter"),
        ({"num_layers": 0}, "'num_layers' parameter"),
        ({"batch_size": 0}, "'batch_size' parameter"),
        ({"dropout": 1.0}, "'dropout' parameter"),
        ({"recurrent_dropout": -0.1}, "'recurrent_dropout' parameter"),
        ({"validation_split": 1.5}, "'validation_split' parameter"),
        ({"device": "gpu"}, "'device' parameter"),
        ({"precision": "fp16"}, "'precision' parameter"),
    ],
)
def test_bad_hyperparameters_are_named(params, match):
    with pytest.raises(ValueError, match=match):
        RNNTextClassifier(**params).fit(X_ORDER[:50], Y_ORDER[:50])


@pytest.mark.parametrize(
    "X, y, error, match",
    [
        (X_ORDER[:50].astype(float), Y_ORDER[:50], TypeError, "integer token ids"),
        (-X_ORDER[:50], Y_ORDER[:50], ValueError, "Negative values in data"),
        (X_ORDER[:50, :, None], Y_ORDER[:50], ValueError, "dim 3"),
        (X_ORDER[:50], np.zeros(50), ValueError, "at least 2 classes"),
        (X_ORDER[:50], Y_ORDER[:40], ValueError, "inconsistent numbers of samples"),
        (X_ORDER[:50], np.r_[np.nan, Y_ORDER[1:50]], ValueError, "NaN"),
    ],
)
def test_bad_training_data_is_named(X, y, error, match):
    with pytest.raises(error, match=match):
        RNNTextClassifier(max_epochs=1, **FAST_CLASSIFIER).fit(X, y)


def test_ids_outside_the_vocabulary_at_predict_time():
    clf = RNNTextClassifier(max_epochs=1, **FAST_CLASSIFIER).fit(X_ORDER, Y_ORDER)
    assert clf.vocab_size_ == 20
    unseen, unknown = X_ORDER_TEST.copy(), X_ORDER_TEST.copy()
    unseen[:5, -1], unknown[:5, -1] = [20, 25, 99, 20, 1000], 1
    # an id the model never saw in fit is an unknown word (id 1); ids far above
    # the fitted range (99, 1000) say so (tests/estimators/test_unseen_ids.py)
    with pytest.warns(UnseenTokenWarning, match="5 of the"):
        proba = clf.predict_proba(unseen)
    np.testing.assert_array_equal(proba, clf.predict_proba(unknown))
    declared = RNNTextClassifier(max_epochs=1, vocab_size=20, **FAST_CLASSIFIER)
    declared.fit(X_ORDER, Y_ORDER)
    with pytest.raises(ValueError, match=r"token id 1000, outside the vocabulary"):
        declared.predict(unseen)


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        RNNTextClassifier().predict(X_ORDER)


def test_a_failed_refit_leaves_the_fitted_model_usable():
    clf = RNNTextClassifier(max_epochs=1, **FAST_CLASSIFIER).fit(X_ORDER, Y_ORDER)
    before = clf.predict_proba(X_ORDER_TEST)
    with pytest.raises(ValueError, match="only one class: 1"):
        clf.fit(X_ORDER, np.ones(len(X_ORDER), dtype=int))
    np.testing.assert_array_equal(clf.classes_, [0, 1])
    np.testing.assert_array_equal(clf.predict_proba(X_ORDER_TEST), before)


def test_read_only_input_is_accepted_without_warnings():
    X = X_ORDER.copy()
    X.flags.writeable = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        RNNTextClassifier(max_epochs=1, **FAST_CLASSIFIER).fit(X, Y_ORDER).predict(X)


def test_cosine_schedule_anneals_the_learning_rate():
    clf = RNNTextClassifier(lr_schedule="cosine", max_epochs=4, **FAST_CLASSIFIER)
    lrs = clf.fit(X_ORDER[:200], Y_ORDER[:200]).history_[:, "event_lr"]
    assert lrs[0] == pytest.approx(FAST_CLASSIFIER["lr"])
    assert np.all(np.diff(lrs) < 0)


def test_plateau_halves_the_learning_rate_after_each_epoch_without_improvement():
    # SGD at lr=1e-6 moves the validation loss by far less than the 1e-4
    # relative change that counts as an improvement. (A smaller lr, as above,
    # would be below the scheduler's own smallest decay step.)
    clf = RNNTextClassifier(optimizer="sgd", reduce_lr_on_plateau=True,
                            early_stopping=False, max_epochs=4,
                            **{**FAST_CLASSIFIER, "lr": 1e-6})
    clf.fit(X_ORDER[:200], Y_ORDER[:200])
    lrs = clf.history_[:, "event_lr"]
    np.testing.assert_allclose(lrs, [1e-6, 1e-6, 5e-7, 2.5e-7])


def test_plateau_leaves_one_epoch_at_the_halved_rate_before_early_stopping():
    clf = RNNTextClassifier(optimizer="sgd", reduce_lr_on_plateau=True, patience=2,
                            max_epochs=10, **{**FAST_CLASSIFIER, "lr": 1e-6})
    lrs = clf.fit(X_ORDER[:200], Y_ORDER[:200]).history_[:, "event_lr"]
    np.testing.assert_allclose(lrs, [1e-6, 1e-6, 5e-7])


def test_two_learning_rate_schedules_are_refused():
    clf = RNNTextClassifier(lr_schedule="cosine", reduce_lr_on_plateau=True)
    with pytest.raises(ValueError, match="use one of them"):
        clf.fit(X_ORDER[:50], Y_ORDER[:50])


@pytest.mark.parametrize("truncation, kept", [("train", True), ("always", False)])
def test_pipeline_fitted_on_short_texts_reads_all_of_a_longer_text(truncation, kept):
    # The decisive word opens a text longer than any training text; "pre"
    # truncation to the training length would cut it off.
    texts = ["good", "great", "bad", "awful", "good film", "bad film"] * 10
    labels = ["pos", "pos", "neg", "neg", "pos", "neg"] * 10
    model = make_pipeline(
        TextVectorizer(), SequencePadder(truncation=truncation),
        RNNTextClassifier(max_epochs=40, validation_split=None,
                          early_stopping=False, **FAST_CLASSIFIER),
    ).fit(texts, labels)
    assert model[1].maxlen_ == 2
    long_texts = ["good film film film film", "bad film film film film"]
    predicted = model.predict(long_texts)
    if kept:
        assert predicted.tolist() == ["pos", "neg"]
    else:  # both read as "film film": the same prediction for both
        assert predicted[0] == predicted[1]


def test_auto_ensemble_size_follows_the_token_count():
    # 1,000,000 // tokens members, between 1 and 3
    assert _n_members("auto", np.ones((10, 10))) == 3
    assert _n_members("auto", np.ones((1000, 400))) == 2  # 400,000 tokens
    assert _n_members("auto", np.ones((1000, 600))) == 1
    padded = np.zeros((1000, 2000))
    padded[:, -400:] = 5  # padding does not count
    assert _n_members("auto", padded) == 2
    assert _n_members(5, padded) == 5


def test_ensemble_averages_its_members_probabilities():
    clf = RNNTextClassifier(**{**FAST_CLASSIFIER, "n_estimators": 3}, max_epochs=2).fit(
        X_ORDER, Y_ORDER)
    module = clf.net_.module_
    assert clf.n_estimators_ == 3 and len(module.members) == 3
    # members start from different weights and stay different
    first, second = (m.head.weight for m in module.members[:2])
    assert not torch.equal(first, second)
    module.eval()
    tokens = torch.as_tensor(X_ORDER_TEST[:50])
    with torch.inference_mode():
        member_proba = torch.stack(
            [torch.softmax(m(tokens).float(), dim=1) for m in module.members])
    np.testing.assert_allclose(clf.predict_proba(X_ORDER_TEST[:50]),
                               member_proba.mean(0).numpy(), atol=1e-5)
    np.testing.assert_allclose(clf.decision_function(X_ORDER_TEST[:50]),
                               np.log(member_proba[:, :, 1].mean(0).numpy()
                                      / member_proba[:, :, 0].mean(0).numpy()),
                               atol=1e-4)


def test_each_member_is_trained_on_its_own_loss():
    clf = RNNTextClassifier(**{**FAST_CLASSIFIER, "n_estimators": 2}, max_epochs=6,
                            validation_split=None, early_stopping=False)
    clf.fit(X_ORDER, Y_ORDER)
    members = clf.net_.module_.members
    # every member alone has learned the task, not just their combination
    for member in members:
        member.eval()
        with torch.inference_mode():
            logits = member(torch.as_tensor(X_ORDER_TEST)).float()
        assert (logits.argmax(1).numpy() == Y_ORDER_TEST).mean() >= 0.8
    losses = clf.history_[:, "train_loss"]
    assert losses[-1] < 0.6 * losses[0]
    assert "3 x" not in clf.summary() and "2 x Embedding" in clf.summary()


def test_ensemble_round_trips_through_save_and_load(tmp_path):
    from sklearn_rnn import load

    clf = RNNTextClassifier(**{**FAST_CLASSIFIER, "n_estimators": 2}, max_epochs=1).fit(
        X_ORDER[:200], Y_ORDER[:200])
    clf.save(tmp_path / "model.safetensors")
    restored = load(tmp_path / "model.safetensors")
    assert restored.n_estimators_ == 2
    np.testing.assert_allclose(restored.predict_proba(X_ORDER_TEST),
                               clf.predict_proba(X_ORDER_TEST), atol=1e-6)
