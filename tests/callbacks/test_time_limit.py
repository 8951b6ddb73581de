import time

from skorch.callbacks import Callback

from sklearn_rnn import RNNTextClassifier
from sklearn_rnn.callbacks import TimeLimit
from tests._data import FIRST_ID_X as X
from tests._data import FIRST_ID_Y as Y


class SlowEpochs(Callback):
    """Makes every epoch last at least 0.2 s."""

    def on_epoch_end(self, net, **kwargs):
        time.sleep(0.2)


def test_stops_before_the_budget_and_keeps_complete_history():
    clf = RNNTextClassifier(units=4, embedding_dim=4, max_epochs=50, random_state=0,
                            callbacks=[SlowEpochs(), TimeLimit(0.9)])
    clf.fit(X, Y)
    # epochs take >= 0.2 s: a 0.9 s budget leaves room for at most 4 of them
    assert 1 <= clf.n_epochs_ <= 4
    # the last epoch was recorded by every callback, early stopping included
    assert "valid_loss_best" in clf.history_[-1]
    assert "train_acc" in clf.history_[-1]


def test_time_limit_runs_after_early_stopping():
    callbacks = RNNTextClassifier(callbacks=[TimeLimit(60)])._callbacks(True)
    kinds = [type(cb[1] if isinstance(cb, tuple) else cb).__name__ for cb in callbacks]
    assert kinds.index("EarlyStopping") < kinds.index("TimeLimit")
