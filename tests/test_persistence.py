"""save/load: exact round trips, atomic writes, and files that must not load."""

import json
import os
import pickle

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal
from safetensors import safe_open
from safetensors.torch import save_file
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import sklearn_rnn.persistence._file as model_file
from sklearn_rnn import (
    CharLanguageModel,
    RNNTextClassifier,
    SequencePadder,
    TextVectorizer,
    load,
    save,
)
from sklearn_rnn.persistence._state import build, describe
from tests._data import REVIEW_LABELS as LABELS
from tests._data import REVIEWS as TEXTS
from tests._data import TINY_CLASSIFIER


@pytest.fixture(scope="module")
def pipeline():
    model = make_pipeline(TextVectorizer(max_features=50), SequencePadder(maxlen=6),
                          RNNTextClassifier(**{**TINY_CLASSIFIER, "max_epochs": 2,
                                               "validation_split": 0.25,
                                               "early_stopping": True}))
    return model.fit(TEXTS, LABELS)


@pytest.fixture(scope="module")
def language_model():
    lm = CharLanguageModel(units=8, num_layers=2, seq_length=8, max_epochs=2,
                           batch_size=4, random_state=0)
    return lm.fit("to be or not to be, that is the question. " * 10)


def _read(path):
    with safe_open(str(path), framework="pt") as file:
        header = json.loads(file.metadata()["sklearn_rnn"])
        tensors = {name: file.get_tensor(name) for name in file.keys()}
    return header, tensors


def _write(path, header, tensors):
    save_file(tensors, str(path), metadata={"sklearn_rnn": json.dumps(header)})


def test_pipeline_round_trip_predicts_identically(pipeline, tmp_path):
    path = tmp_path / "model.safetensors"
    save(pipeline, path)
    loaded = load(path)
    assert_array_equal(loaded.predict_proba(TEXTS), pipeline.predict_proba(TEXTS))
    assert_array_equal(loaded.classes_, pipeline.classes_)
    assert loaded.classes_.dtype == pipeline.classes_.dtype
    assert loaded.get_params()["rnntextclassifier__units"] == 4
    clf, original = loaded[-1], pipeline[-1]
    assert clf.best_epoch_ == original.best_epoch_
    assert clf.n_epochs_ == original.n_epochs_
    assert clf.history_[:, "valid_loss"] == original.history_[:, "valid_loss"]
    assert loaded[0].vocabulary_ == pipeline[0].vocabulary_
    assert loaded[0].stop_words_ == pipeline[0].stop_words_
    assert loaded[1].maxlen_ == 6


def test_loaded_model_refits_like_a_fresh_one(pipeline, tmp_path):
    save(pipeline, tmp_path / "m.safetensors")
    loaded = load(tmp_path / "m.safetensors")
    refit = loaded.fit(TEXTS, LABELS).predict_proba(TEXTS)
    assert_allclose(refit, pipeline.predict_proba(TEXTS), atol=1e-6)


def test_language_model_round_trip(language_model, tmp_path):
    path = tmp_path / "lm.safetensors"
    language_model.save(path)  # the estimator method writes the same format
    loaded = load(path)
    assert loaded.vocabulary_ == language_model.vocabulary_
    assert loaded.generate("to", 40, random_state=3) == language_model.generate(
        "to", 40, random_state=3)
    assert loaded.score("not to be") == language_model.score("not to be")


def test_pretrained_embeddings_and_optimizer_class_survive(tmp_path):
    X = np.array([[1, 2, 3], [3, 2, 1], [1, 1, 2], [3, 3, 1]] * 5)
    y = [0, 1, 0, 1] * 5
    rows = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    clf = RNNTextClassifier(embeddings=rows, freeze_embeddings=True,
                            optimizer=torch.optim.NAdam,
                            **TINY_CLASSIFIER).fit(X, y)
    save(clf, tmp_path / "clf.safetensors")
    loaded = load(tmp_path / "clf.safetensors")
    assert loaded.optimizer is torch.optim.NAdam
    assert_array_equal(loaded.embeddings, rows)
    assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_a_model_trained_on_gpu_loads_on_cpu(pipeline, tmp_path):
    path = tmp_path / "gpu.safetensors"
    save(pipeline, path)
    header, tensors = _read(path)
    header["model"]["steps"][2][1]["fitted"]["device_"] = "cuda:0"
    _write(path, header, tensors)
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    loaded = load(path)
    assert loaded[-1].device_ == "cpu"
    assert_array_equal(loaded.predict(TEXTS), pipeline.predict(TEXTS))


def test_a_crash_mid_save_keeps_the_previous_file(pipeline, tmp_path, monkeypatch):
    path = tmp_path / "model.safetensors"
    save(pipeline, path)
    before = path.read_bytes()

    def crash(descriptor):  # the new bytes are written but not yet on disk
        raise OSError("disk full")

    monkeypatch.setattr(model_file.os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        save(pipeline, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.safetensors"]  # no temporary left


class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickle_disguised_as_a_model_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.safetensors"
    path.write_bytes(pickle.dumps(_Exploit(str(marker))))
    with pytest.raises(ValueError, match="not an sklearn-rnn model file"):
        load(path)
    assert not marker.exists()


@pytest.mark.parametrize("edit, match", [
    (lambda h: h["model"].update({"class": "os.system"}), "unknown class 'os.system'"),
    (lambda h: h["model"]["steps"][2][1]["params"].update(
        {"optimizer": {"__optimizer__": "os"}}), "unknown optimizer"),
    (lambda h: h.update({"library_version": "7.0.0"}), "across major versions"),
    (lambda h: h.update({"format_version": 99}), "reads format 1"),
    (lambda h: h.update({"format": "keras"}), "not an sklearn-rnn model file"),
])
def test_crafted_headers_are_refused(pipeline, tmp_path, edit, match):
    path = tmp_path / "model.safetensors"
    save(pipeline, path)
    header, tensors = _read(path)
    edit(header)
    _write(path, header, tensors)
    with pytest.raises(ValueError, match=match):
        load(path)


def test_weights_that_do_not_fit_the_hyperparameters(pipeline, tmp_path):
    path = tmp_path / "model.safetensors"
    save(pipeline, path)
    header, tensors = _read(path)
    header["model"]["steps"][2][1]["params"]["units"] = 5
    _write(path, header, tensors)
    with pytest.raises(ValueError, match=r"weight_ih_l0: has shape \(16, 4\), but "
                       r"the hyperparameters and fitted attributes give \(20, 4\)"):
        load(path)


def test_safetensors_without_our_metadata(tmp_path):
    path = tmp_path / "other.safetensors"
    save_file({"w": torch.zeros(2)}, str(path))
    with pytest.raises(ValueError, match="no sklearn-rnn metadata"):
        load(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No model file"):
        load(tmp_path / "nothing.safetensors")


def test_what_cannot_be_saved(tmp_path):
    with pytest.raises(NotFittedError):
        save(RNNTextClassifier(), tmp_path / "m.safetensors")
    with pytest.raises(TypeError, match="save supports"):
        save(LogisticRegression().fit([[0], [1]], [0, 1]), tmp_path / "m.safetensors")
    vectorizer = TextVectorizer(analyzer=str.split).fit(TEXTS)
    with pytest.raises(TypeError, match="callable analyzer"):
        save(vectorizer, tmp_path / "m.safetensors")
    assert not (tmp_path / "m.safetensors").exists()


def test_estimator_save_method_writes_what_load_reads(pipeline, tmp_path):
    """``estimator.save`` writes what ``load`` reads; a subclass the file
    cannot rebuild is refused."""
    clf = pipeline[-1]
    clf.save(tmp_path / "clf.safetensors")
    loaded = load(tmp_path / "clf.safetensors")
    X = pipeline[:-1].transform(TEXTS)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))

    class MyClassifier(RNNTextClassifier):
        pass

    mine = MyClassifier(**TINY_CLASSIFIER)
    mine.fit(X, LABELS)
    with pytest.raises(TypeError, match="got MyClassifier, which a model file "
                       "cannot rebuild"):
        mine.save(tmp_path / "mine.safetensors")
    with pytest.raises(TypeError, match="save supports"):
        save(mine, tmp_path / "mine.safetensors")
    assert not (tmp_path / "mine.safetensors").exists()


def test_describe_and_build_round_trip(pipeline, language_model):
    """The description persistence builds on, without a file in between."""
    for model in (*pipeline, language_model):
        assert sorted(vars(copy_of(model))) == sorted(vars(model))
    X = pipeline[:-1].transform(TEXTS)
    np.testing.assert_array_equal(copy_of(pipeline[-1]).predict_proba(X),
                                  pipeline[-1].predict_proba(X))


def copy_of(model):
    tensors = {}
    return build(describe(model, tensors), tensors, None, "<memory>")


def test_callbacks_are_dropped_with_a_warning(tmp_path):
    from sklearn_rnn.callbacks import TimeLimit

    X, y = np.array([[1, 2], [2, 1]] * 4), [0, 1] * 4
    clf = RNNTextClassifier(callbacks=[TimeLimit(60)], **TINY_CLASSIFIER).fit(X, y)
    with pytest.warns(UserWarning, match="Callbacks are not saved"):
        save(clf, tmp_path / "m.safetensors")
    assert load(tmp_path / "m.safetensors").callbacks is None


def test_a_pickled_gpu_model_predicts_on_cpu(pipeline):
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    from skorch.exceptions import DeviceWarning

    clf = pickle.loads(pickle.dumps(pipeline[-1]))
    clf.net_.device, clf.device_ = "cuda", "cuda"  # as if trained on a GPU
    with pytest.warns(DeviceWarning):
        restored = pickle.loads(pickle.dumps(clf))
    assert restored.device_ == "cpu"
    X = pipeline[:-1].transform(TEXTS)
    assert_array_equal(restored.predict(X), pipeline[-1].predict(X))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_trained_on_gpu_predicts_on_cpu_after_load(tmp_path):
    X = np.array([[1, 2, 3], [3, 2, 1], [1, 1, 2], [3, 3, 1]] * 25)
    y = [0, 1, 0, 1] * 25
    clf = RNNTextClassifier(device="auto",
                            **{**TINY_CLASSIFIER, "max_epochs": 20}).fit(X, y)
    assert clf.device_.startswith("cuda")
    save(clf, tmp_path / "gpu.safetensors")
    on_cpu = load(tmp_path / "gpu.safetensors", device="cpu")
    assert on_cpu.device_ == "cpu"
    assert_allclose(on_cpu.predict_proba(X), clf.predict_proba(X), atol=1e-4)
