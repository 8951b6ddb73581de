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
from sklearn_rnn.persistence._state import Array
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


def _crafted(saved, name, tmp_path, edit=None, edit_tensors=None, edit_text=None,
             edit_header=None):
    """A copy of the saved model ``name`` with its model description, tensors,
    whole header or the header's JSON text edited."""
    header, tensors = _read(saved[name])
    if edit is not None:
        edit(header["model"])
    if edit_header is not None:
        edit_header(header)
    if edit_tensors is not None:
        edit_tensors(tensors)
    text = json.dumps(header)
    if edit_text is not None:
        text = edit_text(text)
    path = tmp_path / f"crafted-{name}.safetensors"
    save_file(tensors, str(path), metadata={"sklearn_rnn": text})
    return path


def _clf(model):  # the classifier's description inside the pipeline's
    return model["steps"][2][1]


def _vec(model):
    return model["steps"][0][1]


def _pad(model):
    return model["steps"][1][1]


def _nested(depth, leaf="1"):
    return "[" * depth + leaf + "]" * depth


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
     "not unique"),
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
    ("vocab_size_", 10**12, "model.2."),  # refused without allocating it
    ("vocab_size_", -5, "vocab_size_"),
    ("n_estimators_", 3, "but the file holds 11 weight tensors"),
    ("classes_", "pos", "classes_"),
    ("classes_", {"__ndarray__": ["pos"], "dtype": "<U3"}, "at least 2"),
    ("device_", "quantum", "device_"),
    ("precision_", "float8", "precision_"),
    ("history_", {"epoch": 1}, "history_"),
    ("history_", [1, 2], "history_"),
    ("embedding_coverage_", 7.0, "embedding_coverage_"),
    ("embedding_coverage_", True, "embedding_coverage_"),  # a bool is no number
    ("pretrained_dim_", False, "pretrained_dim_"),
    ("surprise_", 1, "surprise_: is not a fitted attribute of RNNTextClassifier"),
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


@pytest.mark.parametrize("size, match", [
    (1000, "header runs past the end"),
    (2**64 - 1, "header claims 18446744073709551615 bytes, over the 100000000"),
])
def test_a_file_of_another_kind(tmp_path, size, match):
    path = tmp_path / "noise.safetensors"
    path.write_bytes(size.to_bytes(8, "little") + b"{}")
    with pytest.raises(ValueError, match=match):
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



# ---------------------------------------------------------------- JSON itself
@pytest.mark.parametrize("old, new", [
    ('"lr": 0.001', f'"lr": {_nested(70)}'),  # from_json would recurse
    ('"lr": 0.001', f'"lr": {_nested(100_000)}'),  # json.loads would recurse
    ('"epoch": 1,', '"epoch": 1, "x": ' + '{"a": ' * 70 + "1" + "}" * 70 + ","),
])
def test_json_nested_too_deep(saved, tmp_path, old, new):
    path = _crafted(saved, "pipeline", tmp_path,
                    edit_text=lambda text: text.replace(old, new))
    _refused(path, "nests deeper than 64 levels")


@pytest.mark.parametrize("old, new, key", [
    ('"units": 4', '"units": 4, "units": 5', "'units'"),  # two readers, two models
    ('"format": "sklearn-rnn"', '"format": "sklearn-rnn", "format": "x"', "'format'"),
])
def test_a_key_twice_in_one_object(saved, tmp_path, old, new, key):
    path = _crafted(saved, "pipeline", tmp_path,
                    edit_text=lambda text: text.replace(old, new))
    _refused(path, f"the key {key} appears twice")


def test_safetensors_metadata_save_does_not_write(saved, tmp_path):
    header, tensors = _read(saved["regressor"])
    path = tmp_path / "extra.safetensors"
    save_file(tensors, str(path), metadata={"sklearn_rnn": json.dumps(header),
                                            "format": "pt"})
    _refused(path, "safetensors metadata 'format': save writes only 'sklearn_rnn'")


def test_a_json_integer_of_5000_digits(saved, tmp_path):
    units = '"units": ' + "9" * 5000  # Python parses ints of up to 4300 digits
    path = _crafted(saved, "pipeline", tmp_path,
                    edit_text=lambda text: text.replace('"units": 4', units))
    _refused(path, "unreadable sklearn-rnn metadata", "4300 digits")


@pytest.mark.parametrize("edit, fragment", [
    (lambda h: h.pop("library_version"), "library_version: expected the version"),
    (lambda h: h.update(library_version=0), "library_version: expected the version"),
    (lambda h: h.update(library_version="0"), "got '0'"),
    (lambda h: h.update(library_version="0.evil"), "got '0.evil'"),
    (lambda h: h.update(format_version="1"), "uses model format '1'"),
    (lambda h: h.update(format_version=True), "uses model format True"),
    (lambda h: h.update(format_version=1.0), "uses model format 1.0"),
    (lambda h: h.update(extra=1), "extra: is not a field of a model file"),
    (lambda h: h.update(model=None), "model: expected a model description"),
])
def test_header_fields(saved, tmp_path, edit, fragment):
    _refused(_crafted(saved, "pipeline", tmp_path, edit_header=edit), fragment)


# ---------------------------------------------------------------- tagged values
@pytest.mark.parametrize("value, fragment", [
    ({"__ndarray__": [[1, 2], [3]], "dtype": "<i8"}, "inhomogeneous"),
    ({"__ndarray__": [["a"], {"b": 1}], "dtype": "|O"}, "flat list of strings"),
    ({"__ndarray__": ["neg", "pos"]}, "the keys ['__ndarray__', 'dtype'] only"),
    ({"__ndarray__": ["neg", "pos"], "dtype": "<U3", "x": 1}, "keys"),
    ({"__ndarray__": "neg", "dtype": "<U3"}, "a __ndarray__ value is a JSON list"),
    ({"__ndarray__": [1, 2], "dtype": 123}, "a dtype is a string"),
    ({"__ndarray__": [1, 2], "dtype": "zz"}, "'zz' is not a numpy dtype"),
    *[({"__ndarray__": [1, 2], "dtype": dtype}, f"dtype {dtype!r} is not allowed")
      for dtype in ["|V8", "<M8[s]", "<c16", "|S3", ">i8", "(2,)<i8", "<i8,<i8"]],
    # what numpy converts silently: truncation, parsing, overflow, None to NaN
    ({"__ndarray__": [1.5, 2.0], "dtype": "<i8"}, "not exactly a int64 array"),
    ({"__ndarray__": ["1", "2"], "dtype": "<i8"}, "not exactly a int64 array"),
    ({"__ndarray__": [1e300, 2.0], "dtype": "<f4"}, "not exactly a float32 array"),
    ({"__ndarray__": [None, 2.0], "dtype": "<f8"}, "not exactly a float64 array"),
    ({"__ndarray__": [1, "pos"], "dtype": "<U3"}, "not exactly a <U3 array"),
    ({"__ndarray__": [2**70, 1], "dtype": "<i8"}, "too large"),
])
def test_arrays_hold_exactly_what_the_file_lists(saved, tmp_path, value, fragment):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: _clf(m)["fitted"].update(classes_=value))
    _refused(path, "model.2.fitted.classes_: ", fragment)


def test_a_str_array_is_as_wide_as_its_entries(saved, tmp_path):
    """A width far beyond the entries would allocate gigabytes for nothing."""
    path = _crafted(saved, "pipeline", tmp_path, lambda m: _clf(m)["fitted"].update(
        classes_={"__ndarray__": ["neg", "pos"], "dtype": "<U100000000"}))
    assert load(path)[-1].classes_.dtype == np.dtype("<U3")


@pytest.mark.parametrize("value, fragment", [
    ({"__set__": [["a"], ["b"]]}, "a set holds strings or numbers"),
    ({"__set__": "ab"}, "a __set__ value is a JSON list"),
    ({"__tuple__": {"a": 1}}, "a __tuple__ value is a JSON list"),
    ({"__set__": ["a"], "__tuple__": ["a"]}, "has the keys ['__set__'] only"),
])
def test_sets_and_tuples(saved, tmp_path, value, fragment):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: _vec(m)["fitted"].update(stop_words_=value))
    _refused(path, "model.0.fitted.stop_words_: ", fragment)


# ---------------------------------------------------------------- parameters
@pytest.mark.parametrize("value, fragment", [
    ({"__optimizer__": "Optimizer"}, "unknown optimizer 'Optimizer'"),  # abstract
    ({"__optimizer__": "lr_scheduler"}, "unknown optimizer 'lr_scheduler'"),
    ({"__optimizer__": ["Adam"]}, "unknown optimizer ['Adam']"),
    ({"__optimizer__": "SparseAdam"}, "SparseAdam.__init__() got an unexpected"),
])
def test_optimizers_that_fit_could_not_have_used(saved, tmp_path, value, fragment):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: _clf(m)["params"].update(optimizer=value))
    _refused(path, "model.2.params", fragment)


@pytest.mark.parametrize("value, fragment", [
    ({"__word2vec__": [1, 2]}, "expected Word2VecEmbeddings settings"),
    ({"__word2vec__": {"bogus": 1}}, "unexpected keyword argument 'bogus'"),
    ({"__word2vec__": {"vector_size": -5}}, "must be an int >= 1; got -5"),
    ({"__word_vectors__": {"name": "glove"}}, "n_words and dim"),
    ({"__word_vectors__": {"name": 5, "n_words": 1, "dim": 1}}, "name (str)"),
    ({"__word_vectors__": {"name": "g", "n_words": -1, "dim": 3}}, "ints >= 1"),
    ({"__word_vectors__": {"name": "g", "n_words": 9, "dim": 3, "x": 1}}, "got {"),
    ({"__tensor__": "model.2.param.nothing"}, "names no tensor of the file"),
    ({"__tensor__": ["model.2.param.embeddings"]}, "names no tensor of the file"),
])
def test_embeddings_parameters(saved, tmp_path, value, fragment):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: _clf(m)["params"].update(embeddings=value))
    _refused(path, "model.2.params.embeddings: ", fragment)


@pytest.mark.parametrize("tensor", [
    torch.ones(18, 4, dtype=torch.int64), torch.ones(18), torch.ones(18, 0),
    torch.full((18, 4), float("nan")),
])
def test_an_embeddings_tensor_that_fit_could_not_have_used(saved, tmp_path, tensor):
    def add(tensors):
        tensors["model.2.param.embeddings"] = tensor

    path = _crafted(saved, "pipeline", tmp_path, lambda m: _clf(m)["params"].update(
        embeddings={"__tensor__": "model.2.param.embeddings"}), add)
    _refused(path, "model.2.params.embeddings: ", "2-D float32 array of finite")


def test_an_embeddings_tensor_as_save_writes_it_loads(saved, tmp_path):
    rows = torch.arange(72, dtype=torch.float32).reshape(18, 4)
    path = _crafted(saved, "pipeline", tmp_path, lambda m: _clf(m)["params"].update(
        embeddings={"__tensor__": "model.2.param.embeddings"}),
        lambda tensors: tensors.update({"model.2.param.embeddings": rows}))
    np.testing.assert_array_equal(load(path)[-1].embeddings, rows.numpy())


@pytest.mark.parametrize("param, value, fragment", [
    ("callbacks", [1, 2], "callbacks: save never writes it"),
    ("callbacks", "evil", "callbacks: save never writes it"),
    ("units", True, "'units' parameter"),  # a bool is no number
])
def test_parameters_save_never_writes(saved, tmp_path, param, value, fragment):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: _clf(m)["params"].update({param: value}))
    _refused(path, "model.2.params", fragment)


def _wide_vocabulary(m):  # ids up to 200, beyond int8
    _vec(m)["fitted"]["vocabulary_"]["zz"] = 200
    _vec(m)["fitted"]["n_features_"] = 201
    _vec(m)["params"]["dtype"] = {"__dtype__": "|i1"}


@pytest.mark.parametrize("edit, field, fragment", [
    (lambda m: _vec(m)["params"].update(dtype={"__dtype__": "|O"}), "model.0",
     "'dtype' parameter of TextVectorizer must be an integer type"),
    (lambda m: _vec(m)["params"].update(dtype={"__dtype__": "<f8"}), "model.0",
     "'dtype' parameter of TextVectorizer must be an integer type"),
    (_wide_vocabulary, "model.0", "int8, which holds ids only up to 127"),
    (lambda m: _vec(m)["params"].update(token_pattern="("), "model.0",
     "not a valid regular expression"),
    (lambda m: _vec(m)["params"].update(token_pattern="a*"), "model.0",
     "matches the empty string"),
    (lambda m: _pad(m)["params"].update(dtype={"__dtype__": "<U3"}), "model.1",
     "'dtype' parameter of SequencePadder must be an integer or float type"),
    (lambda m: _pad(m)["params"].update(value=1e300), "model.1",
     "'value' parameter of SequencePadder is 1e+300"),
])
def test_transformer_parameters_checked_where_they_are_used(saved, tmp_path, edit,
                                                            field, fragment):
    """What the transformers check only when they transform is checked at load
    by transforming nothing."""
    _refused(_crafted(saved, "pipeline", tmp_path, edit), f"{field}: ", fragment)


# ---------------------------------------------------------------- fitted state
@pytest.mark.parametrize("step, key, value, fragment", [
    (0, "vocabulary_", ["a", "b"], "must be an instance of 'dict'"),
    (0, "vocabulary_", {}, "is empty"),
    (0, "vocabulary_", {"a": "x"}, "must map str to int >= 0; got 'a': 'x'"),
    (0, "vocabulary_", {"a": 2.5}, "must map str to int >= 0"),
    (0, "vocabulary_", {"a": True}, "must map str to int >= 0"),
    (0, "vocabulary_", {"a": {"b": 2}}, "must map str to int >= 0"),
    (0, "vocabulary_", {"a": -1}, "must map str to int >= 0"),
    (0, "vocabulary_", {"a": 2, "b": 1}, "holds the id 1; token ids start at 2"),
    (0, "vocabulary_", {"a": 2, "b": 3, "c": 3}, "gives the id 3 to two tokens"),
    (0, "vocabulary_", {"a": 2**40}, "n_features_: is 18, but the largest id"),
    (0, "vocabulary_", {"a": 2, "b": 18}, "n_features_: is 18, but the largest id"),
    (0, "n_features_", 5, "is 5, but the largest id of vocabulary_ is 17"),
    (0, "n_features_", 10**6, "is 1000000, but the largest id"),
    (0, "n_features_", 10**12, "must be an int in the range [3, 16777216]"),
    (0, "n_features_", "18", "must be an int in the range"),
    (0, "n_features_", True, "must be an int in the range"),
    (0, "token_counts_", [1], "must be an instance of 'dict'"),
    (0, "token_counts_", {"a": "x"}, "must map str to int >= 0"),
    (0, "stop_words_", ["a"], "must be an instance of 'set'"),
    (0, "stop_words_", {"__set__": [1, 2]}, "must hold str only; got 1"),
    (1, "maxlen_", -1, "must be an int in the range [1, inf)"),
    (1, "maxlen_", 0, "must be an int in the range [1, inf)"),
    (1, "maxlen_", "6", "must be an int in the range [1, inf)"),
    (1, "maxlen_", 6.0, "must be an int in the range [1, inf)"),
    (1, "maxlen_", True, "must be an int in the range [1, inf)"),
])
def test_transformer_fitted_state(saved, tmp_path, step, key, value, fragment):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: m["steps"][step][1]["fitted"].update({key: value}))
    _refused(path, f"model.{step}.fitted.", fragment)


@pytest.mark.parametrize("step, key", [(0, "vocabulary_"), (0, "n_features_"),
                                       (0, "stop_words_"), (1, "maxlen_")])
def test_a_transformer_attribute_missing(saved, tmp_path, step, key):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: m["steps"][step][1]["fitted"].pop(key))
    _refused(path, f"model.{step}.fitted.{key}: is missing")


@pytest.mark.parametrize("step", [0, 1, 2])
@pytest.mark.parametrize("key", ["__class__", "__dict__", "fit", "transform",
                                 "vocabulary", "_private_", "a b_", "evil_"])
def test_only_the_fitted_attributes_can_be_set(saved, tmp_path, step, key):
    """No file can set a method, a dunder or a parameter: only the attributes a
    class lists."""
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: m["steps"][step][1]["fitted"].update({key: 1}))
    _refused(path, f"model.{step}.fitted.{key}: is not a fitted attribute of")


@pytest.mark.parametrize("edit, fragment", [
    (lambda f: f.update(history_=[]), "history_: has 0 epochs, but n_epochs_ is 1"),
    (lambda f: f.update(n_epochs_=0), "history_: has 1 epochs, but n_epochs_ is 0"),
    (lambda f: f["history_"].append(dict(f["history_"][0])), "has 2 epochs"),
    (lambda f: f["history_"][0].pop("epoch"), "history_[0].epoch: expected 1"),
    (lambda f: f["history_"][0].update(epoch="1"), "history_[0].epoch: expected 1"),
    (lambda f: f["history_"][0].update(epoch=True), "history_[0].epoch: expected"),
    (lambda f: f.update(best_epoch_=2), "best_epoch_: is 2, after the last epoch"),
])
def test_a_history_that_does_not_match_the_epochs(saved, tmp_path, edit, fragment):
    path = _crafted(saved, "pipeline", tmp_path, lambda m: edit(_clf(m)["fitted"]))
    _refused(path, "model.2.fitted.", fragment)


# ---------------------------------------------------------------- structure
@pytest.mark.parametrize("edit, fragment", [
    (lambda m: _clf(m).update(evil=1), "model.2.evil: is not a field of a model "
     "description"),
    (lambda m: m.update(memory="/tmp"), "model.memory: is not a field"),
    (lambda m: m["steps"][0].__setitem__(0, "a__b"), "must not contain __"),
    (lambda m: m["steps"][0].__setitem__(0, "steps"), "conflict with constructor"),
    (lambda m: m["steps"].append(["last", None]), "All intermediate steps should "
     "be transformers"),
])
def test_a_pipeline_scikit_learn_would_not_fit(saved, tmp_path, edit, fragment):
    _refused(_crafted(saved, "pipeline", tmp_path, edit), fragment)


def test_a_nested_pipeline_loads(saved, tmp_path):
    def nest(m):
        m["steps"] = [["inner", {"class": "Pipeline", "steps": m["steps"][:2]}],
                      ["clf", m["steps"][2][1]]]

    def rename(tensors):
        for name in list(tensors):
            tensors[name.replace("model.2.", "model.1.")] = tensors.pop(name)

    loaded = load(_crafted(saved, "pipeline", tmp_path, nest, rename))
    assert loaded.predict(FEW_REVIEWS).tolist() == load(saved["pipeline"]).predict(
        FEW_REVIEWS).tolist()


@pytest.mark.parametrize("name", ["evil", "model.9.module.x", "model.0.module.x",
                                  "model.2.param.embeddings", "model.2.module"])
def test_a_tensor_no_part_of_the_model_takes(saved, tmp_path, name):
    path = _crafted(saved, "pipeline", tmp_path,
                    edit_tensors=lambda tensors: tensors.update({name: torch.ones(2)}))
    _refused(path, f"tensor {name}: belongs to no part of the model")


@pytest.mark.parametrize("name, edit", [
    ("pipeline", lambda m: _clf(m)["params"].update(num_layers=20_000)),
    ("pipeline", lambda m: _clf(m)["fitted"].update(n_estimators_=20_000)),
    ("lm", lambda m: m["params"].update(num_layers=20_000)),
    ("tagger", lambda m: m["params"].update(num_layers=20_000)),
])
def test_a_network_far_larger_than_the_file_is_not_built(saved, tmp_path, name, edit):
    """A few bytes claiming 20,000 layers (small enough to fit in memory, two
    minutes to build) are refused in the time of a few layers."""
    path = _crafted(saved, name, tmp_path, edit)
    started = time.perf_counter()
    _refused(path, "describe a network of over", "weight tensors for it")
    assert time.perf_counter() - started < 10


def test_a_network_too_large_even_for_the_meta_device(saved, tmp_path):
    path = _crafted(saved, "pipeline", tmp_path,
                    lambda m: _clf(m)["params"].update(units=10**9))
    _refused(path, "model.2.")  # not torch's RuntimeError


# ---------------------------------------------------------------- saving
def _fitted_copy(saved):
    return load(saved["pipeline"])


@pytest.mark.parametrize("step, tamper, fragment", [
    (2, lambda model: delattr(model, "classes_"), "'classes_' is missing"),
    (2, lambda model: setattr(model, "classes_", ["neg", "pos"]), "'classes_' must"),
    (0, lambda model: model.vocabulary_.update(a=1), "'vocabulary_' holds the id 1"),
    (1, lambda model: setattr(model, "maxlen_", 0), "'maxlen_' must be an int"),
    (2, lambda model: model.set_params(units=-1), "'units' parameter"),
    (0, lambda model: model.set_params(token_pattern="("), "token_pattern"),
    (2, lambda model: model.net_.module_.head.bias.data.fill_(float("nan")),
     "weight 'head.bias' holds NaN"),
    (2, lambda model: model.set_params(embeddings=np.full((18, 4), np.nan)),
     "embeddings parameter: it must be a 2-D float32 array of finite numbers"),
    (2, lambda model: model.set_params(optimizer=torch.optim.Optimizer),
     "Only torch.optim optimizers can be saved"),
])
def test_save_of_a_tampered_model(saved, tmp_path, step, tamper, fragment):
    """What was changed since fit is named, and no file is written."""
    model = _fitted_copy(saved)
    tamper(model[step])
    with pytest.raises((ValueError, TypeError), match="Cannot save|Only") as error:
        save(model, tmp_path / "m.safetensors")
    assert fragment in str(error.value)
    assert not (tmp_path / "m.safetensors").exists()


def test_save_to_a_folder(saved, tmp_path):
    model = _fitted_copy(saved)
    with pytest.raises(IsADirectoryError, match="it is a folder; name a file in it"):
        save(model, tmp_path)
    with pytest.raises(IsADirectoryError, match="ends with a separator"):
        save(model, f"{tmp_path / 'new'}{os.sep}")
    assert os.listdir(tmp_path) == []
    with pytest.raises(IsADirectoryError, match="is a folder, not a model file"):
        load(tmp_path)


def test_save_into_a_read_only_folder(saved, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # root: permissions are not enforced
            pytest.skip("this user may write into read-only folders")
        target = folder / "m.safetensors"
        with pytest.raises(PermissionError, match=f"Cannot save to '{target}'"):
            save(_fitted_copy(saved), target)
    finally:
        folder.chmod(0o700)


def test_save_never_writes_a_file_load_refuses(saved, tmp_path, monkeypatch):
    from sklearn_rnn.persistence import _file

    with pytest.raises(ValueError, match="nests deeper than 64 levels"):
        _file.write_model_file({"a": json.loads(_nested(70))}, {}, tmp_path / "m")
    model = _fitted_copy(saved)
    monkeypatch.setattr(_file, "MAX_HEADER_BYTES", 1000)
    with pytest.raises(ValueError, match="over the 1000 bytes a safetensors header"):
        save(model, tmp_path / "m.safetensors")
    with pytest.raises(ValueError, match="over the 1000 safetensors allows"):
        load(saved["pipeline"])
    assert os.listdir(tmp_path) == []


def test_an_array_constraint_of_distinct_entries():
    labels = Array("U", min_length=2, distinct=True)
    assert labels.is_satisfied_by(np.array(["neg", "pos"]))
    assert not labels.is_satisfied_by(np.array(["neg", "neg"]))
    assert str(labels) == "a 1-D array of str with at least 2 distinct entries"


@pytest.mark.parametrize("name, key, value", [
    ("pipeline", "classes_", {"__ndarray__": ["neg", "neg"], "dtype": "<U3"}),
    ("tagger", "classes_", {"__ndarray__": ["D", "D", "V"], "dtype": "<U1"}),
])
def test_classes_that_repeat(saved, tmp_path, name, key, value):
    def edit(model):
        target = _clf(model) if name == "pipeline" else model
        target["fitted"][key] = value

    _refused(_crafted(saved, name, tmp_path, edit), key, "distinct")
