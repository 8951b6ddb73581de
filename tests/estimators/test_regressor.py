import inspect
import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    RNNTextClassifier,
    RNNTextRegressor,
    SequencePadder,
    TextVectorizer,
    load,
    save,
)
from sklearn_rnn.plotting import plot_history
from tests._data import FAST_REGRESSOR, IDS, REVIEWS, TINY_REGRESSOR, token_order_task


def order_task(n_samples, seed):
    """Target 2000 or 5000 (plus noise): does token 1 come before token 2? Both
    tokens are in every sequence, so only their order tells the targets apart."""
    X, one_first = token_order_task(n_samples, seed, n_steps=10)
    noise = np.random.RandomState(seed + 100).standard_normal(n_samples)
    return X, 2000 + 3000 * one_first + 100 * noise


X_ORDER, Y_ORDER = order_task(800, seed=0)
X_ORDER_TEST, Y_ORDER_TEST = order_task(300, seed=1)
Y = np.array([1.0, 2.0, 3.0, 4.0] * 3)  # a target for each row of IDS
STARS = [9.0, 8.0, 10.0, 2.0, 1.0, 3.0] * 8


@pytest.fixture(scope="module")
def order_model():
    return RNNTextRegressor(max_epochs=8, **FAST_REGRESSOR).fit(X_ORDER, Y_ORDER)


def test_learns_targets_in_the_thousands_that_need_word_order(order_model):
    losses = order_model.history_[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert order_model.score(X_ORDER_TEST, Y_ORDER_TEST) >= 0.8
    assert order_model.y_mean_ == pytest.approx([Y_ORDER.mean()])


def test_standardisation_is_learned_in_fit_and_inverted_in_predict(order_model):
    np.testing.assert_allclose(order_model.y_mean_, [Y_ORDER.mean()])
    np.testing.assert_allclose(order_model.y_scale_, [Y_ORDER.std()])
    module = order_model.net_.module_.eval()
    with torch.no_grad():
        raw = module(torch.as_tensor(X_ORDER_TEST[:5])).numpy()[:, 0]
    expected = raw * Y_ORDER.std() + Y_ORDER.mean()
    np.testing.assert_allclose(order_model.predict(X_ORDER_TEST[:5]), expected,
                               rtol=1e-5)


def test_the_scale_of_the_targets_does_not_matter():
    """Targets standardised in fit: y and 1000 * y + 5 train the same network."""
    params = dict(FAST_REGRESSOR, max_epochs=2)
    small = RNNTextRegressor(**params).fit(X_ORDER[:200], Y_ORDER[:200] / 1000)
    large = RNNTextRegressor(**params).fit(X_ORDER[:200], Y_ORDER[:200] + 5)
    np.testing.assert_allclose(
        (large.predict(X_ORDER_TEST) - 5) / 1000, small.predict(X_ORDER_TEST),
        rtol=1e-4,
    )
    np.testing.assert_array_equal(large.history_[:, "train_loss"],
                                  small.history_[:, "train_loss"])


def test_weighted_standardisation_and_constant_targets():
    weights = np.array([1.0, 0.0, 3.0, 0.0] * 3)
    model = RNNTextRegressor(**TINY_REGRESSOR).fit(IDS, Y, sample_weight=weights)
    assert model.y_mean_ == pytest.approx([2.5])  # (1 * 1 + 3 * 3) / 4
    assert model.y_scale_ == pytest.approx([np.sqrt((1.5**2 + 3 * 0.5**2) / 4)])
    constant = RNNTextRegressor(**TINY_REGRESSOR).fit(IDS, np.full(12, 7.0))
    assert constant.y_mean_ == pytest.approx([7.0])
    assert constant.y_scale_ == pytest.approx([1.0])


def test_zero_sample_weights_ignore_corrupted_targets():
    rng = np.random.RandomState(0)
    y = Y_ORDER.copy()
    corrupted = rng.rand(len(y)) < 0.4
    y[corrupted] = rng.uniform(0, 7000, size=corrupted.sum())
    weights = (~corrupted).astype(float)
    params = dict(FAST_REGRESSOR, max_epochs=8)
    weighted = RNNTextRegressor(**params).fit(X_ORDER, y, sample_weight=weights)
    unweighted = RNNTextRegressor(**params).fit(X_ORDER, y)
    weighted_r2 = weighted.score(X_ORDER_TEST, Y_ORDER_TEST)
    assert weighted_r2 >= 0.7
    assert weighted_r2 > unweighted.score(X_ORDER_TEST, Y_ORDER_TEST) + 0.05


def test_several_outputs():
    y = np.column_stack([Y_ORDER, -Y_ORDER / 1000])
    model = RNNTextRegressor(max_epochs=8, **FAST_REGRESSOR).fit(X_ORDER, y)
    assert model.n_outputs_ == 2
    predicted = model.predict(X_ORDER_TEST)
    assert predicted.shape == (len(X_ORDER_TEST), 2)
    expected = np.column_stack([Y_ORDER_TEST, -Y_ORDER_TEST / 1000])
    assert r2_score(expected, predicted, multioutput="raw_values").min() >= 0.8
    column = RNNTextRegressor(**TINY_REGRESSOR).fit(IDS, Y[:, None])
    assert column.predict(IDS).shape == (12,)  # one target: 1-D, as MLPRegressor


def test_huber_loss_is_used_and_learns():
    model = RNNTextRegressor(loss="huber", max_epochs=8, **FAST_REGRESSOR)
    model.fit(X_ORDER, Y_ORDER)
    assert isinstance(model.net_.criterion_, torch.nn.HuberLoss)
    assert model.score(X_ORDER_TEST, Y_ORDER_TEST) >= 0.8


@pytest.mark.parametrize("loss, expected", [
    ("squared_error", (0.5**2 + 3.0**2) / 2),
    ("huber", (0.5 * 0.5**2 + (3.0 - 0.5)) / 2),  # delta = one standard deviation
])
def test_loss_on_standardised_errors(loss, expected):
    net = RNNTextRegressor(**{**TINY_REGRESSOR, "loss": loss}).fit(IDS, Y).net_
    y_pred, y_true = torch.tensor([[0.5], [3.0]]), torch.zeros(2, 1)
    assert net.get_loss(y_pred, y_true).item() == pytest.approx(expected)
    weights = {"sample_weight": torch.tensor([2.0, 0.0])}
    per_sample = expected * 2 - (3.0**2 if loss == "squared_error" else 2.5)
    assert net.get_loss(y_pred, y_true, X=weights).item() == pytest.approx(
        2.0 * per_sample / 2)


def test_score_is_r2_with_sample_weight(order_model):
    weights = np.linspace(0.1, 2, len(X_ORDER_TEST))
    predicted = order_model.predict(X_ORDER_TEST)
    assert order_model.score(X_ORDER_TEST, Y_ORDER_TEST, sample_weight=weights) == \
        pytest.approx(r2_score(Y_ORDER_TEST, predicted, sample_weight=weights))


def test_early_stopping_stops_at_patience_plus_one_and_restores_best():
    model = RNNTextRegressor(optimizer="sgd", patience=2, max_epochs=20,
                             **{**FAST_REGRESSOR, "lr": 1e-30}).fit(X_ORDER[:200],
                                                          Y_ORDER[:200])
    assert model.n_epochs_ == 3
    assert model.best_epoch_ == 1
    assert "valid_loss" in model.history_[-1]


def test_pre_and_post_padded_data_give_the_same_predictions(order_model):
    post = np.zeros_like(X_ORDER_TEST)
    for i, row in enumerate(X_ORDER_TEST):
        real = row[row != 0]
        post[i, :len(real)] = real
    np.testing.assert_allclose(order_model.predict(post),
                               order_model.predict(X_ORDER_TEST), rtol=1e-5)


def test_warm_start_continues_with_the_same_standardisation():
    model = RNNTextRegressor(warm_start=True, **{**TINY_REGRESSOR, "max_epochs": 2})
    model.fit(IDS, Y)
    mean, scale = model.y_mean_, model.y_scale_
    model.fit(IDS, Y * 10)
    assert model.n_epochs_ == 4
    np.testing.assert_array_equal(model.y_mean_, mean)
    np.testing.assert_array_equal(model.y_scale_, scale)
    with pytest.raises(ValueError, match="trained on 1 target.*but y has 2"):
        model.fit(IDS, np.column_stack([Y, Y]))
    assert model.n_outputs_ == 1


def test_pickle_clone_and_safe_save_round_trip(order_model, tmp_path):
    predicted = order_model.predict(X_ORDER_TEST)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(order_model)).predict(X_ORDER_TEST), predicted)
    assert clone(order_model).get_params() == order_model.get_params()
    assert not hasattr(clone(order_model), "y_mean_")
    save(order_model, tmp_path / "model.safetensors")
    loaded = load(tmp_path / "model.safetensors")
    assert isinstance(loaded, RNNTextRegressor)
    np.testing.assert_allclose(loaded.predict(X_ORDER_TEST), predicted, rtol=1e-6)
    np.testing.assert_array_equal(loaded.y_scale_, order_model.y_scale_)


def test_checkpoint_summary_and_history_plot(tmp_path):
    model = RNNTextRegressor(checkpoint_dir=tmp_path,
                             **{**FAST_REGRESSOR, "max_epochs": 2})
    model.fit(X_ORDER[:200], Y_ORDER[:200])
    resumed = load(tmp_path / "checkpoint.safetensors")
    np.testing.assert_allclose(resumed.predict(IDS), model.predict(IDS), rtol=1e-6)
    table = model.summary()
    assert "Linear" in table and "(None, 1)" in table
    figure = plot_history(model)
    assert [axes.get_title() for axes in figure.axes] == ["Loss per epoch"]


def test_raw_text_pipeline_and_grid_search():
    pipe = make_pipeline(TextVectorizer(), SequencePadder(maxlen=6),
                         RNNTextRegressor(**{**TINY_REGRESSOR, "max_epochs": 2}))
    search = GridSearchCV(pipe, {"rnntextregressor__units": [2, 4]}, cv=2,
                          scoring="neg_mean_absolute_error")
    search.fit(REVIEWS, STARS)
    assert search.best_params_["rnntextregressor__units"] in (2, 4)
    assert search.predict(["a fun movie"]).shape == (1,)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_shares_the_classifier_hyperparameters_and_defaults():
    """The same flat hyperparameters, with the same defaults; only the loss (and
    the classifier's class_weight) differ."""
    classifier = inspect.signature(RNNTextClassifier).parameters
    regressor = inspect.signature(RNNTextRegressor).parameters
    assert set(classifier) - set(regressor) == {"class_weight", "n_estimators"}
    assert set(regressor) - set(classifier) == {"loss"}
    for name in set(classifier) & set(regressor):
        assert regressor[name].default == classifier[name].default, name


@pytest.mark.parametrize(
    "y, match",
    [
        pytest.param(np.r_[Y[:3], np.nan, Y[4:]],
                     r"Input y contains NaN: the target of sample 3 is nan",
                     id="nan"),
        pytest.param(np.r_[Y[:5], -np.inf, Y[6:]],
                     r"Input y contains infinity: the target of sample 5 is -inf",
                     id="inf"),
        pytest.param(np.array([1.0, None] * 6, dtype=object),
                     r"the target of sample 1 is nan", id="None"),
        pytest.param(np.array(["a", "b"] * 6),
                     r"RNNTextRegressor predicts numbers, so y must hold numbers.*"
                     r"RNNTextClassifier", id="strings"),
        pytest.param(Y[:-1], r"X has 12 samples \(rows\) but y has 11 targets",
                     id="length"),
        pytest.param(None, "RNNTextRegressor requires y to be passed", id="None-y"),
        pytest.param(np.zeros((12, 2, 2)), r"y must hold one target per sample, "
                     r".*got an array of shape \(12, 2, 2\)", id="3-D"),
    ],
)
def test_bad_targets_are_named(y, match):
    with pytest.raises(ValueError, match=match):
        RNNTextRegressor(**TINY_REGRESSOR).fit(IDS, y)


@pytest.mark.parametrize(
    "X, error, match",
    [
        pytest.param(["a great movie"] * 12, TypeError,
                     r"X contains raw text documents; RNNTextRegressor expects.*"
                     r"RNNTextRegressor\(\)\)", id="raw-text"),
        pytest.param(IDS - 1, ValueError,
                     r"Negative values in data passed to RNNTextRegressor",
                     id="negative-ids"),
        pytest.param(IDS + 0.5, TypeError, "integer token ids", id="float-ids"),
    ],
)
def test_bad_ids_are_named(X, error, match):
    with pytest.raises(error, match=match):
        RNNTextRegressor(**TINY_REGRESSOR).fit(X, Y)


def test_bad_loss_is_named_with_a_suggestion():
    with pytest.raises(ValueError, match=r"The 'loss' parameter of RNNTextRegressor "
                       r"must be a str among .*Got 'hubber' instead\. Did you mean "
                       r"'huber'\?"):
        RNNTextRegressor(**TINY_REGRESSOR, loss="hubber").fit(IDS, Y)


def test_a_failed_refit_leaves_the_fitted_model_usable():
    model = RNNTextRegressor(**TINY_REGRESSOR).fit(IDS, Y)
    before = model.predict(IDS)
    with pytest.raises(ValueError):
        model.fit(IDS, np.full(12, np.nan))
    np.testing.assert_array_equal(model.predict(IDS), before)
    assert model.y_mean_ == pytest.approx([2.5])
