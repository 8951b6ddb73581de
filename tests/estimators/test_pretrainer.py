"""EncoderPretrainer: word-level language-model pretraining of a text model's
embedding and encoder."""

import numpy as np
import pytest
import torch
from sklearn.utils._param_validation import InvalidParameterError

import sklearn_rnn
from sklearn_rnn import EncoderPretrainer

# The smallest pretrainer: one epoch on every text, the full softmax where the
# vocabulary is no larger than n_samples.
TINY_PRETRAINER = dict(units=4, embedding_dim=4, max_epochs=1, batch_size=8,
                       validation_split=None, early_stopping=False,
                       precision="float32", random_state=0, n_threads=1)
# 24 texts cycling through ids 2..7, so every next word is certain; a few are
# pre-padded
CYCLE = np.array([2, 3, 4, 5, 6, 7])
CYCLE_IDS = np.array([np.roll(np.tile(CYCLE, 2), -shift)[:8]
                      for shift in range(6)] * 4)
CYCLE_IDS[:3, :2] = 0


@pytest.fixture(autouse=True)
def _one_thread(one_torch_thread):
    """Tiny models train fastest on one thread."""


def _same_state(one, other):
    return one.keys() == other.keys() and all(
        torch.equal(one[key], other[key]) for key in one)


def test_validation_loss_falls_on_a_repetitive_corpus():
    pretrainer = EncoderPretrainer(**{**TINY_PRETRAINER, "units": 8,
                                      "embedding_dim": 8, "batch_size": 4,
                                      "validation_split": 0.25, "max_epochs": 3,
                                      "lr": 0.05, "n_samples": 3})
    pretrainer.fit(CYCLE_IDS)
    losses = pretrainer.history_[:, "valid_loss"]
    assert pretrainer.n_epochs_ == 3
    assert losses[0] > losses[1] > losses[2]
    assert losses[2] < 0.8 * losses[0]


def test_word_counts_are_the_ids_of_the_training_texts():
    pretrainer = EncoderPretrainer(**TINY_PRETRAINER).fit(CYCLE_IDS)
    expected = np.bincount(CYCLE_IDS.ravel(), minlength=8)
    expected[0] = 0  # padding is no word
    assert pretrainer.vocab_size_ == 8
    np.testing.assert_array_equal(pretrainer.word_counts_, expected)
    assert pretrainer.word_counts_[0] == 0 and pretrainer.word_counts_[2] > 0


def test_word_counts_leave_out_the_held_out_texts():
    pretrainer = EncoderPretrainer(**{**TINY_PRETRAINER,
                                      "validation_split": 0.25}).fit(CYCLE_IDS)
    assert pretrainer.word_counts_.sum() < np.count_nonzero(CYCLE_IDS)


def test_vocab_size_widens_the_id_range():
    pretrainer = EncoderPretrainer(**TINY_PRETRAINER, vocab_size=11).fit(CYCLE_IDS)
    assert pretrainer.vocab_size_ == 11
    assert pretrainer.word_counts_.tolist()[8:] == [0, 0, 0]
    assert pretrainer.encoder_state()["embedding.weight"].shape == (11, 4)


def test_time_limit_stops_after_the_first_epoch():
    pretrainer = EncoderPretrainer(**{**TINY_PRETRAINER, "max_epochs": 3},
                                   time_limit=1e-9).fit(CYCLE_IDS)
    assert pretrainer.n_epochs_ == 1
    unlimited = EncoderPretrainer(**{**TINY_PRETRAINER, "max_epochs": 3})
    assert unlimited.fit(CYCLE_IDS).n_epochs_ == 3


def test_embeddings_set_the_initial_rows_and_the_width():
    rows = np.random.RandomState(0).uniform(-1, 1, size=(8, 6)).astype(np.float32)
    pretrainer = EncoderPretrainer(**TINY_PRETRAINER, lr=1e-12)
    pretrainer.fit(CYCLE_IDS, embeddings=rows)
    assert pretrainer.embedding_width_ == 6  # wider than embedding_dim=4
    embedding = pretrainer.encoder_state()["embedding.weight"].numpy()
    np.testing.assert_allclose(embedding[1:], rows[1:], atol=1e-6)


def test_save_and_load_keep_the_encoder(tmp_path):
    pretrainer = EncoderPretrainer(**TINY_PRETRAINER, bidirectional=True)
    pretrainer.fit(CYCLE_IDS)
    sklearn_rnn.save(pretrainer, tmp_path / "pretrainer.model")
    loaded = sklearn_rnn.load(tmp_path / "pretrainer.model")
    assert isinstance(loaded, EncoderPretrainer)
    assert loaded.get_params() == pretrainer.get_params()
    assert _same_state(loaded.encoder_state(), pretrainer.encoder_state())
    np.testing.assert_array_equal(loaded.word_counts_, pretrainer.word_counts_)
    assert loaded.n_epochs_ == pretrainer.n_epochs_


def test_the_same_random_state_gives_the_same_encoder():
    states = [EncoderPretrainer(**{**TINY_PRETRAINER, "random_state": seed},
                                n_samples=3).fit(CYCLE_IDS).encoder_state()
              for seed in (0, 0, 1)]
    assert _same_state(states[0], states[1])
    assert not _same_state(states[0], states[2])


@pytest.mark.parametrize(("name", "value", "allowed"), [
    ("n_samples", 0, r"an int in the range \[1, inf\)"),
    ("time_limit", 0, r"a float in the range \(0.0, inf\) or None"),
    ("vocab_size", 1, r"an int in the range \[2, inf\) or None"),
])
def test_bad_parameters_are_named(name, value, allowed):
    pretrainer = EncoderPretrainer(**TINY_PRETRAINER, **{name: value})
    with pytest.raises(InvalidParameterError,
                       match=rf"The '{name}' parameter of EncoderPretrainer must "
                             rf"be {allowed}. Got {value} instead"):
        pretrainer.fit(CYCLE_IDS)


def test_texts_without_a_next_word_are_refused():
    ids = np.array([[0, 0, 3], [0, 0, 4], [0, 0, 0]])
    with pytest.raises(ValueError, match="texts of at least two words"):
        EncoderPretrainer(**TINY_PRETRAINER).fit(ids)


def test_encoder_state_needs_a_fitted_pretrainer():
    with pytest.raises(sklearn_rnn.exceptions.NotFittedError,
                       match="EncoderPretrainer"):
        EncoderPretrainer(**TINY_PRETRAINER).encoder_state()
