"""A model file is untrusted until checked: every crafted field, truncated file
and non-finite weight is refused with one error naming the file and the field;
files keep the permissions ``open()`` would give; a reader racing a writer sees
one whole model."""

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file
from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    CharLanguageModel,
    RNNTagger,
    RNNTextClassifier,
    RNNTextRegressor,
    SequencePadder,
    TextVectorizer,
    load,
    save,
)
from tests._data import (
    FEW_REVIEW_LABELS,
    FEW_REVIEWS,
    HAMLET,
    TINY_CLASSIFIER,
    TINY_LM,
    TINY_REGRESSOR,
    TINY_TAGGER,
)

CUDA = torch.cuda.is_available()


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Paths of a saved classifier pipeline, regressor, tagger and char LM."""
    folder = tmp_path_factory.mktemp("models")
    X = SequencePadder(maxlen=6).fit_transform(
        TextVectorizer().fit_transform(FEW_REVIEWS))
    models = {
        "pipeline": make_pipeline(
            TextVectorizer(), SequencePadder(maxlen=6),
            RNNTextClassifier(**TINY_CLASSIFIER)).fit(FEW_REVIEWS, FEW_REVIEW_LABELS),
        "regressor": RNNTextRegressor(**TINY_REGRESSOR).fit(X, np.c_[np.arange(12.0),
                                                                     np.ones(12)]),
        "tagger": RNNTagger(**TINY_TAGGER).fit(
            [["a", "dog"], ["the", "cat", "ran"]] * 4,
            [["D", "N"], ["D", "N", "V"]] * 4),
        "lm": CharLanguageModel(**TINY_LM).fit(HAMLET),
    }
    paths = {}
    for name, model in models.items():
        paths[name] = folder / f"{name}.safetensors"
        save(model, paths[name])
    return paths


def _read(path):
    with safe_open(str(path), framework="pt") as file:
        header = json.loads(file.metadata()["sklearn_rnn"])
        tensors = {name: file.get_tensor(name) for name in file.keys()}
    return header, tensors


def _crafted(saved, name, tmp_path, edit=None, edit_tensors=None):
    """A copy of the saved model ``name`` with its header or tensors edited."""
    header, tensors = _read(saved[name])
    if edit is not None:
        edit(header["model"])
    if edit_tensors is not None:
        edit_tensors(tensors)
    path = tmp_path / f"crafted-{name}.safetensors"
    save_file(tensors, str(path), metadata={"sklearn_rnn": json.dumps(header)})
    return path


def _clf(model):  # the classifier's description inside the pipeline's
    return model["steps"][2][1]


def _refused(path, *fragments):
    with pytest.raises(ValueError) as error:
        load(path)
    message = str(error.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.mark.parametrize("key", ["vocab_size_", "classes_", "n_estimators_",
                                 "best_epoch_", "history_", "pretrained_dim_"])
def test_a_missing_fitted_attribute(saved, tmp_path, key):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: _clf(m)["fitted"].pop(key))
    _refused(path, key)


@pytest.mark.parametrize("edit, field", [
    (lambda m: m.pop("steps"), "model.steps"),
    (lambda m: m.update(steps=[]), "model.steps"),
    (lambda m: m.update(steps="vectorizer"), "model.steps"),
    (lambda m: m["steps"].__setitem__(0, ["only a name"]), "model.steps[0]"),
    (lambda m: m["steps"].__setitem__(1, ["textvectorizer", m["steps"][1][1]]),
     "step names repeat"),
    (lambda m: m["steps"][0][1].pop("fitted"), "model.0.fitted"),
    (lambda m: m["steps"][0][1].update(params=[1, 2]), "model.0.params"),
])
def test_a_malformed_pipeline(saved, tmp_path, edit, field):
    _refused(_crafted(saved, "pipeline", tmp_path, edit), field)


@pytest.mark.parametrize("param, value, fragment", [
    ("units", -3, "'units' parameter"),
    ("units", 0, "'units' parameter"),
    ("cell_type", "transformer", "'cell_type' parameter"),
    ("pooling", "median", "'pooling' parameter"),
    ("device", "tpu", "device"),
    ("device", 7, "'device' parameter"),
    ("dropout", 3.0, "'dropout' parameter"),
    ("no_such_option", 1, "no parameter 'no_such_option'"),
])
def test_hyperparameters_outside_their_constraints(saved, tmp_path, param, value,
                                                   fragment):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: _clf(m)["params"].update({param: value}))
    _refused(path, "model.2.params", fragment)


@pytest.mark.parametrize("key, value, fragment", [
    ("vocab_size_", 10**12, "embedding"),  # meets the tensors, allocates nothing
    ("vocab_size_", -5, "vocab_size_"),
    ("n_estimators_", 3, "is missing"),
    ("classes_", "pos", "classes_"),
    ("classes_", {"__ndarray__": ["pos"], "dtype": "<U3"}, "at least 2"),
    ("device_", "quantum", "device_"),
    ("precision_", "float8", "precision_"),
    ("history_", {"epoch": 1}, "history_"),
    ("history_", [1, 2], "history_"),
    ("embedding_coverage_", 7.0, "embedding_coverage_"),
    ("surprise_", 1, "no fitted attribute 'surprise_'"),
])
def test_fitted_attributes_that_do_not_hold(saved, tmp_path, key, value, fragment):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: _clf(m)["fitted"].update({key: value}))
    started = time.perf_counter()
    _refused(path, fragment)
    assert time.perf_counter() - started < 30  # no attempt at a huge allocation


@pytest.mark.parametrize("key, value, fragment", [
    ("y_mean_", {"__ndarray__": [1.0], "dtype": "<f8"},
     "has 1 entries, but n_outputs_ is 2"),
    ("y_scale_", {"__ndarray__": [1.0, 0.0], "dtype": "<f8"}, "y_scale_"),
    ("y_scale_", {"__ndarray__": [1.0, float("nan")], "dtype": "<f8"}, "y_scale_"),
    ("n_outputs_", 3, "n_outputs_"),
])
def test_regression_scale_must_match_the_outputs(saved, tmp_path, key, value,
                                                 fragment):
    path = _crafted(saved, "regressor", tmp_path,
                    lambda m: m["fitted"].update({key: value}))
    _refused(path, fragment)


@pytest.mark.parametrize("name, key", [("tagger", "vocabulary_"),
                                       ("tagger", "characters_"),
                                       ("lm", "chars_")])
def test_vocabularies_must_be_strings(saved, tmp_path, name, key):
    path = _crafted(saved, name, tmp_path,
                    lambda m: m["fitted"].update({key: [1, 2, 3, 4, 5]}))
    _refused(path, key)


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_weights_that_are_not_finite(saved, tmp_path, value):
    def poison(tensors):
        name = next(n for n in tensors if n.endswith("head.weight")
                    or n.endswith("output.weight") or "weight" in n)
        tensors[name] = tensors[name].clone()
        tensors[name].view(-1)[0] = value

    _refused(_crafted(saved, "pipeline", tmp_path, edit_tensors=poison),
             "NaN or infinite")


def test_a_weight_too_many_or_too_few(saved, tmp_path):
    def extra(tensors):
        tensors["model.2.module.backdoor"] = torch.zeros(2)

    _refused(_crafted(saved, "pipeline", tmp_path, edit_tensors=extra),
             "backdoor", "is not a weight of this network")

    def drop(tensors):
        tensors.pop(next(n for n in tensors if n.startswith("model.2.module.")))

    _refused(_crafted(saved, "pipeline", tmp_path, edit_tensors=drop), "is missing")


@pytest.mark.parametrize("fraction", [0.0, 0.001, 0.3, 0.6, 0.999])
def test_a_truncated_file(saved, tmp_path, fraction):
    data = saved["pipeline"].read_bytes()
    path = tmp_path / "cut.safetensors"
    path.write_bytes(data[:int(len(data) * fraction)])
    with pytest.raises(ValueError, match="not an sklearn-rnn model file"):
        load(path)


def test_a_file_of_another_kind(tmp_path):
    path = tmp_path / "noise.safetensors"
    path.write_bytes(b"\xff" * 8 + b"{}")
    with pytest.raises(ValueError, match="header runs past the end"):
        load(path)


def test_every_saved_kind_still_loads(saved):
    for name, path in saved.items():
        model = load(path)
        assert model is not None, name


# ---------------------------------------------------------------- permissions
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600),
                                         (0o002, 0o664)])
def test_a_new_file_honours_the_umask(saved, tmp_path, umask, mode):
    model = load(saved["regressor"])
    previous = os.umask(umask)
    try:
        save(model, tmp_path / "m.safetensors")
        with open(tmp_path / "plain.txt", "w"):
            pass
    finally:
        os.umask(previous)
    assert (tmp_path / "m.safetensors").stat().st_mode & 0o777 == mode
    assert (tmp_path / "plain.txt").stat().st_mode & 0o777 == mode  # as open()


def test_an_overwritten_file_keeps_its_mode(saved, tmp_path):
    model, path = load(saved["regressor"]), tmp_path / "shared.safetensors"
    save(model, path)
    os.chmod(path, 0o640)
    previous = os.umask(0o077)
    try:
        save(model, path)
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(tmp_path)) == ["shared.safetensors"]


# ---------------------------------------------------------------- concurrency
_WRITER = """
import sys, time
from sklearn_rnn import load, save
a, b = load(sys.argv[1]), load(sys.argv[2])
target, seconds = sys.argv[3], float(sys.argv[4])
end = time.time() + seconds
while time.time() < end:
    save(a, target)
    save(b, target)
"""


def test_a_load_racing_a_save_sees_one_whole_model(saved, tmp_path):
    """A writer process saves two different models to one path in turn; every
    load meanwhile gives one of them, whole."""
    X = SequencePadder(maxlen=6).fit_transform(
        TextVectorizer().fit_transform(FEW_REVIEWS))
    first = load(saved["regressor"])
    second = RNNTextRegressor(**{**TINY_REGRESSOR, "random_state": 1}).fit(
        X, np.c_[np.arange(12.0), np.ones(12)])
    second_path = tmp_path / "second.safetensors"
    save(second, second_path)
    target = tmp_path / "target.safetensors"
    save(first, target)
    expected = [first.predict(X), second.predict(X)]
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(saved["regressor"]),
                               str(second_path), str(target), "8"])
    try:
        for _ in range(60):
            prediction = load(target).predict(X)
            assert sum(np.allclose(prediction, e) for e in expected) == 1
    finally:
        writer.kill()
        writer.wait()


# ---------------------------------------------------------------- devices
@pytest.mark.skipif(CUDA, reason="this machine has CUDA")
@pytest.mark.parametrize("device", ["cuda", "cuda:0", "mps"])
def test_load_on_a_device_this_machine_lacks(saved, device):
    if device == "mps" and torch.backends.mps.is_available():
        pytest.skip("this machine has MPS")
    with pytest.raises(ValueError, match=r"not available here.*\['cpu'"):
        load(saved["regressor"], device=device)


def test_a_model_saved_on_a_missing_gpu_loads_on_the_cpu(saved, tmp_path):
    if CUDA:
        pytest.skip("this machine has CUDA")
    path = _crafted(saved, "regressor", tmp_path,
                    lambda m: m["fitted"].update(device_="cuda:3"))
    assert load(path).device_ == "cpu"


@pytest.mark.skipif(CUDA, reason="this machine has CUDA")
@pytest.mark.parametrize("device", ["cuda", "cuda:1", "mps"])
def test_fit_on_a_device_this_machine_lacks(device):
    if device == "mps" and torch.backends.mps.is_available():
        pytest.skip("this machine has MPS")
    X = np.array([[1, 2], [2, 1]] * 4)
    clf = RNNTextClassifier(device=device, **TINY_CLASSIFIER)
    with pytest.raises(ValueError, match=rf"device='{device}' is not available "
                       r"here.*The devices here are \['cpu'"):
        clf.fit(X, [0, 1] * 4)
    assert not hasattr(clf, "net_")


@pytest.mark.parametrize("device", ["tpu", "cuda:x", "", 3, True])
def test_a_device_that_is_no_device(device):
    X = np.array([[1, 2], [2, 1]] * 4)
    with pytest.raises((ValueError, TypeError), match="device"):
        RNNTextClassifier(device=device, **TINY_CLASSIFIER).fit(X, [0, 1] * 4)

