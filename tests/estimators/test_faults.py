"""Faults during training: divergence, Ctrl-C, kills, resuming, thread limits."""

import _thread
import subprocess
import sys
import textwrap
import time
import warnings

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from sklearn_rnn import CharLanguageModel, RNNTextClassifier, load
from sklearn_rnn.exceptions import TrainingDivergedError, TrainingWarning


def _data(n=200, length=12, seed=0):
    """Label = whether token 2 occurs more often than token 3."""
    rng = np.random.default_rng(seed)
    X = rng.integers(1, 6, size=(n, length))
    y = ((X == 2).sum(1) > (X == 3).sum(1)).astype(int)
    return X, y


TINY = dict(units=8, embedding_dim=8, batch_size=16, random_state=0, n_estimators=1)


class _PoisonEpoch(Callback):
    """Makes every loss of epoch ``epoch`` NaN, as a diverging run's would be,
    and records the weights the epoch started from."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_begin(self, net, **kwargs):
        if len(net.history) == self.epoch:
            self.weights = {k: v.clone() for k, v in net.module_.state_dict().items()}
            criterion = net.criterion_
            net.criterion_ = lambda *args: criterion(*args) * float("nan")


def test_divergence_stops_with_advice_and_keeps_the_last_finite_weights():
    X, y = _data()
    poison = _PoisonEpoch(3)
    clf = RNNTextClassifier(max_epochs=10, validation_split=None, callbacks=[poison],
                            early_stopping=False, **TINY)
    with pytest.raises(TrainingDivergedError,
                       match=r"epoch 3: the loss became nan.*lower lr.*clip_grad_norm"):
        clf.fit(X, y)
    for name, tensor in clf.net_.module_.state_dict().items():
        assert torch.equal(tensor, poison.weights[name]), name
    assert clf.predict(X).shape == (200,)


class _CtrlCMidEpoch(Callback):
    """Sends the main thread what Ctrl-C sends, in the middle of epoch ``epoch``
    (after a few batches), whatever the machine's speed."""

    def __init__(self, epoch, batch=5):
        self.epoch, self.batch = epoch, batch

    def on_batch_end(self, net, training=False, **kwargs):
        batches = net.history[-1]["batches"]
        if training and len(net.history) == self.epoch and len(batches) == self.batch:
            _thread.interrupt_main()


def test_ctrl_c_in_the_caller_stops_cleanly_with_the_best_weights():
    X, y = _data(2000, 30)
    clf = RNNTextClassifier(max_epochs=10_000, patience=10_000,
                            callbacks=[_CtrlCMidEpoch(4)], **TINY)
    with pytest.warns(TrainingWarning, match="Training interrupted after"):
        clf.fit(X, y)
    assert 3 <= clf.n_epochs_ <= 4
    finished = [row["valid_loss"] for row in clf.history_ if "valid_loss" in row]
    assert len(finished) == 3  # the interrupted epoch was never validated
    assert clf.best_epoch_ == int(np.argmin(finished)) + 1
    assert clf.score(X, y) > 0.5


def test_warm_start_continues_weights_and_history():
    X, y = _data()
    clf = RNNTextClassifier(max_epochs=3, validation_split=None,
                            early_stopping=False, **TINY).fit(X, y)
    losses = clf.history_[:, "train_loss"]
    clf.set_params(warm_start=True, max_epochs=2).fit(X, y)
    assert clf.n_epochs_ == 5
    assert clf.history_[:3, "train_loss"] == losses
    # continuing, not restarting: the first new epoch beats the first old one
    assert clf.history_[3, "train_loss"] < losses[0]
    with pytest.raises(ValueError, match="warm_start=True continues a model"):
        clf.fit(X, np.where(y == 1, "yes", "no"))


def test_warm_start_language_model():
    text = "abracadabra, said the magician. " * 30
    lm = CharLanguageModel(units=16, num_layers=1, seq_length=16, max_epochs=2,
                           batch_size=8, random_state=0).fit(text)
    vocabulary = dict(lm.vocabulary_)
    lm.set_params(warm_start=True, max_epochs=1)
    with pytest.warns(UserWarning, match="unknown id"):
        lm.fit(text + "xyz")
    assert lm.n_epochs_ == 3
    assert lm.vocabulary_ == vocabulary


RESUMABLE_RUN = textwrap.dedent("""
    import sys, time
    import numpy as np
    from skorch.callbacks import Callback
    from sklearn_rnn import RNNTextClassifier

    class Slow(Callback):  # gives the test time to kill between epochs
        def on_epoch_end(self, net, **kwargs):
            time.sleep(0.3)

    rng = np.random.default_rng(0)
    X = rng.integers(1, 6, size=(200, 12))
    y = ((X == 2).sum(1) > (X == 3).sum(1)).astype(int)
    RNNTextClassifier(units=8, embedding_dim=8, batch_size=16, random_state=0,
                      max_epochs=1000, patience=1000, checkpoint_dir=sys.argv[1],
                      callbacks=[Slow()]).fit(X, y)
""")


def test_a_killed_training_resumes_from_its_checkpoint(tmp_path):
    checkpoint = tmp_path / "checkpoint.safetensors"
    process = subprocess.Popen([sys.executable, "-c", RESUMABLE_RUN, str(tmp_path)])
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not checkpoint.exists():
            time.sleep(0.1)
        time.sleep(1.5)  # a few more epochs, then kill without warning
    finally:
        process.kill()
        process.wait()
    assert process.returncode != 0  # it was killed, not finished
    clf = load(checkpoint)
    saved_epochs = clf.n_epochs_
    assert saved_epochs >= 1
    saved_losses = clf.history_[:, "valid_loss"]
    X, y = _data()
    clf.set_params(warm_start=True, max_epochs=2, callbacks=None).fit(X, y)
    assert clf.n_epochs_ == saved_epochs + 2
    assert clf.history_[:saved_epochs, "valid_loss"] == saved_losses


def test_checkpoint_holds_the_best_epoch(tmp_path):
    X, y = _data()
    clf = RNNTextClassifier(max_epochs=4, checkpoint_dir=tmp_path, **TINY).fit(X, y)
    saved = load(tmp_path / "checkpoint.safetensors")
    assert saved.best_epoch_ == clf.best_epoch_
    np.testing.assert_array_equal(saved.predict_proba(X), clf.predict_proba(X))


class _RecordThreads(Callback):
    def on_epoch_begin(self, net, **kwargs):
        self.seen = torch.get_num_threads()


def test_n_threads_applies_to_training_only():
    X, y = _data(50)
    before = torch.get_num_threads()
    recorder = _RecordThreads()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TrainingWarning)
        RNNTextClassifier(n_threads=1, max_epochs=1, callbacks=[recorder],
                          validation_split=None, **TINY).fit(X, y)
    assert recorder.seen == 1
    assert torch.get_num_threads() == before
