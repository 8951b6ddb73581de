import warnings

import matplotlib
import numpy as np
import pytest

from sklearn_rnn import CharLanguageModel, RNNTextClassifier
from sklearn_rnn.plotting import plot_history
from tests._data import FIRST_ID_X as X
from tests._data import FIRST_ID_Y as Y

matplotlib.use("Agg")


def test_classifier_history_plot_is_readable_and_written(tmp_path):
    clf = RNNTextClassifier(units=8, max_epochs=4, random_state=0).fit(X, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure = plot_history(clf)
        path = tmp_path / "history.png"
        figure.savefig(path)
    assert path.stat().st_size > 10_000
    loss, accuracy = figure.axes
    assert loss.get_title() == "Loss per epoch" and loss.get_xlabel() == "epoch"
    labels = [line.get_label() for line in accuracy.get_lines()]
    assert labels == ["training", "validation", f"restored epoch ({clf.best_epoch_})"]
    np.testing.assert_allclose(loss.get_lines()[1].get_ydata(),
                               clf.history_[:, "valid_loss"])
    assert loss.get_lines()[2].get_xdata()[0] == clf.best_epoch_


def test_language_model_has_no_accuracy_panel():
    lm = CharLanguageModel(units=8, num_layers=1, seq_length=8, max_epochs=2,
                           random_state=0).fit("to be or not to be " * 20)
    figure = plot_history(lm)
    assert [a.get_title() for a in figure.axes] == ["Loss per epoch"]


def test_draws_on_given_axes_and_accepts_a_pipeline():
    import matplotlib.pyplot as plt
    from sklearn.pipeline import make_pipeline

    from sklearn_rnn import SequencePadder, TextVectorizer

    pipe = make_pipeline(TextVectorizer(), SequencePadder(maxlen=4),
                         RNNTextClassifier(units=4, max_epochs=2, random_state=0))
    pipe.fit(["good", "bad", "great fun", "awful"] * 10, [1, 0, 1, 0] * 10)
    figure, ax = plt.subplots()
    assert plot_history(pipe, metrics=("loss",), ax=ax) is figure
    assert ax.get_title() == "Loss per epoch"


def test_unknown_metrics_and_unfitted_models_are_refused():
    clf = RNNTextClassifier(units=4, max_epochs=1, random_state=0).fit(X, Y)
    with pytest.raises(ValueError, match="None of metrics"):
        plot_history(clf, metrics=("f1",))
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        plot_history(RNNTextClassifier())
