"""What a careless or hostile caller gets from every public method: a clear error
naming the parameter, item or sample before anything is allocated or trained,
and a previously fitted model that a failed fit leaves as it was."""

import math
import os
import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from sklearn.dummy import DummyClassifier
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import InvalidParameterError
from skorch.callbacks import Callback

from sklearn_rnn import (
    CharLanguageModel,
    RNNTagger,
    RNNTextClassifier,
    RNNTextRegressor,
)
from sklearn_rnn.baselines import NBSVMClassifier, make_nbsvm, make_tfidf_classifier
from sklearn_rnn.callbacks import TimeLimit
from sklearn_rnn.estimators import _guards
from sklearn_rnn.exceptions import NotFittedError
from sklearn_rnn.model_selection import compare_models, make_text_stack
from sklearn_rnn.nn import (
    CharLMModule,
    RNNClassifierEnsemble,
    RNNClassifierModule,
    RNNRegressorModule,
    RNNTaggerModule,
)
from sklearn_rnn.plotting import plot_history
from sklearn_rnn.utils._validation import count_text, human_bytes, max_threads
from tests._data import HAMLET, IDS, private_copy

pytestmark = pytest.mark.usefixtures("one_torch_thread")

TINY = dict(units=2, embedding_dim=2, max_epochs=1, batch_size=4,
            validation_split=None, early_stopping=False, precision="float32",
            random_state=0)
LABELS = np.array([0, 1, 0, 1] * 3)
TARGETS = LABELS.astype(float)
SENTENCES = [["the", "dog", "runs"], ["a", "cat", "sleeps"]] * 4
TAGS = [["DET", "NOUN", "VERB"]] * 8
TEXTS = ["good fun film", "great film", "bad dull film", "awful plot"] * 5
TEXT_LABELS = [1, 1, 0, 0] * 5


def classifier(**params):
    return RNNTextClassifier(**{**TINY, "n_estimators": 1, **params})


def regressor(**params):
    return RNNTextRegressor(**{**TINY, **params})


def tagger(**params):
    return RNNTagger(**{**TINY, "char_dim": 2, "char_filters": 2, **params})


def language_model(**params):
    return CharLanguageModel(**{**TINY, "num_layers": 1, "seq_length": 8, **params})


# (factory, fit arguments) of every neural estimator
FITS = {
    "classifier": (classifier, (IDS, LABELS)),
    "regressor": (regressor, (IDS, TARGETS)),
    "tagger": (tagger, (SENTENCES, TAGS)),
    "language-model": (language_model, (HAMLET,)),
}


@pytest.fixture(scope="module")
def fitted():
    """One fitted model of each estimator (copy before changing one)."""
    return {name: make().fit(*args) for name, (make, args) in FITS.items()}


def fitted_attributes(model):
    return {k: v for k, v in vars(model).items() if k.endswith("_")}


class _Boom(Callback):
    """Fails training after its first epoch, as a full disk or a bug would."""

    def on_epoch_end(self, net, **kwargs):
        raise RuntimeError("boom")


# ------------------------------------------------------------ network sizes
@pytest.mark.parametrize("make, args, params, culprit", [
    (classifier, (IDS, LABELS), {"units": 10**9}, "units=1000000000"),
    (classifier, (IDS, LABELS), {"embedding_dim": 10**9}, "embedding_dim=1000000000"),
    (classifier, (IDS, LABELS), {"num_layers": 10**6}, "num_layers=1000000"),
    (classifier, (IDS, LABELS), {"n_estimators": 10**6}, "n_estimators=1000000"),
    (classifier, (IDS, LABELS), {"vocab_size": 10**12},
     r"the vocabulary of 1000000000000 token ids \(vocab_size\)"),
    (regressor, (IDS, TARGETS), {"units": 10**7}, "units=10000000"),
    (tagger, (SENTENCES, TAGS), {"char_width": 10**9}, "char_width=1000000000"),
    (tagger, (SENTENCES, TAGS), {"char_filters": 10**9}, "char_filters=1000000000"),
    (language_model, (HAMLET,), {"num_layers": 10**7}, "num_layers=10000000"),
    (language_model, (HAMLET,), {"units": 10**30}, r"units=about 10\*\*30"),
], ids=["units", "embedding_dim", "num_layers", "n_estimators", "vocab_size",
        "regressor-units", "char_width", "char_filters", "lm-num_layers",
        "lm-units-huge"])
def test_a_network_larger_than_memory_is_refused_before_allocating(
        make, args, params, culprit):
    model = make(**params)
    with pytest.raises(MemoryError, match=rf"Most of it comes from {culprit}: lower"):
        model.fit(*args)
    assert not fitted_attributes(model)


def test_the_size_check_counts_16_bytes_per_parameter_and_a_bound_per_layer(
        monkeypatch):
    # embedding 10 ids x 2 + 2 directions x 4 gates x 2 units x (2 + 2 + 2)
    # + linear 2 x (4 + 1) = 126 parameters; 126 x 16 + 2 x 2**17 = 264160 bytes
    monkeypatch.setattr(_guards, "device_memory", lambda device: 264159)
    with pytest.raises(MemoryError, match=(
            r"network of 126 parameters in 2 recurrent layers, whose training "
            r"needs about 258\.0 KiB .*than the 258\.0 KiB of memory of device "
            r"'cpu'\. Most of it comes from units=2")):
        classifier().fit(IDS, LABELS)
    monkeypatch.setattr(_guards, "device_memory", lambda device: 264160)
    classifier().fit(IDS, LABELS)
    monkeypatch.setattr(_guards, "device_memory", lambda device: None)
    classifier().fit(IDS, LABELS)  # where the system does not say, no check


NET_ARGS = dict(embedding_dim=5, units=4)


@pytest.mark.parametrize("cell_type", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("num_layers, bidirectional", [(1, False), (3, True)])
@pytest.mark.parametrize("module, params", [
    (RNNClassifierModule, dict(vocab_size=11, n_classes=3)),
    (RNNClassifierModule, dict(vocab_size=11, n_classes=3,
                               embeddings=torch.zeros(11, 7))),
    (RNNClassifierModule, dict(vocab_size=11, n_classes=3, freeze_embeddings=True,
                               embeddings=torch.zeros(11, 2))),
    (RNNClassifierEnsemble, dict(n_members=3, vocab_size=11, n_classes=2)),
    (RNNRegressorModule, dict(vocab_size=11, n_outputs=2)),
    (RNNTaggerModule, dict(vocab_size=11, n_chars=9, n_tags=4, char_dim=0)),
    (RNNTaggerModule, dict(vocab_size=11, n_chars=9, n_tags=4, char_dim=3,
                           char_filters=6, char_width=2, crf=True)),
    (CharLMModule, dict(vocab_size=11)),
], ids=["classifier", "wide-vectors", "frozen-split", "ensemble", "regressor",
        "tagger", "tagger-chars-crf", "char-lm"])
def test_size_counts_the_parameters_the_module_builds(module, params, cell_type,
                                                      num_layers, bidirectional):
    params = {**NET_ARGS, **params, "cell_type": cell_type, "num_layers": num_layers}
    if module is not CharLMModule:
        params["bidirectional"] = bidirectional
    built = module(**params)
    assert module.size(**params).parameters == sum(
        p.numel() for p in built.parameters())
    n_layers = sum(isinstance(m, torch.nn.RNNBase) for m in built.modules())
    assert module.size(**params).layers == n_layers


@pytest.mark.parametrize("n_bytes, shown", [
    (0, "0 bytes"), (1023, "1023 bytes"), (1536, "1.5 KiB"), (3 * 2**30, "3.0 GiB"),
    (5 * 2**50, "5.0 PiB"), (10**30, "10**30 bytes"),
])
def test_human_bytes(n_bytes, shown):
    assert human_bytes(n_bytes) == shown


def test_human_bytes_of_an_int_python_cannot_write():
    assert human_bytes(10**5000) == "10**5000 bytes"


def test_count_text_abbreviates_ints_python_cannot_write():
    assert count_text(1234567) == "1,234,567"
    assert count_text(1234567, grouped=False) == "1234567"
    assert count_text(-(10**5000)) == "about -10**5000"


# ------------------------------------------------------- failed refits
@pytest.mark.parametrize("name, new_args", [
    ("classifier", (IDS + 3, np.arange(12) % 3)),
    ("regressor", (IDS, np.c_[TARGETS, TARGETS])),
    ("tagger", ([["x", "y"]] * 8, [["A", "B"]] * 8)),
    ("language-model", ("abcdefghijk" * 20,)),
])
def test_a_fit_failing_in_training_leaves_the_fitted_model_as_it_was(
        fitted, name, new_args):
    model = private_copy(fitted[name])
    before = fitted_attributes(model)
    model.set_params(callbacks=[_Boom()])
    with pytest.raises(RuntimeError, match="boom"):
        model.fit(*new_args)
    after = fitted_attributes(model)
    assert after.keys() == before.keys()
    assert all(after[key] is before[key] for key in before)


@pytest.mark.parametrize("name", list(FITS))
def test_a_first_fit_failing_in_training_leaves_the_model_unfitted(name):
    make, args = FITS[name]
    model = make(callbacks=[_Boom()])
    with pytest.raises(RuntimeError, match="boom"):
        model.fit(*args)
    assert not fitted_attributes(model)
    with pytest.raises(NotFittedError, match=type(model).__name__):
        model.summary()


# --------------------------------------------------------------- warm start
@pytest.mark.parametrize("name, param, value, fitted_value", [
    ("classifier", "units", 3, 2),
    ("classifier", "cell_type", "gru", "'lstm'"),
    ("classifier", "bidirectional", False, True),
    ("classifier", "num_layers", 2, 1),
    ("classifier", "embedding_dim", 3, 2),
    ("classifier", "n_estimators", 2, 1),
    ("classifier", "vocab_size", 50, 10),
    ("regressor", "units", 3, 2),
    ("tagger", "char_dim", 0, 2),
    ("tagger", "crf", True, False),
    ("tagger", "char_width", 5, 3),
    ("language-model", "embedding_dim", 3, 2),
])
def test_warm_start_refuses_parameters_that_change_the_network(
        fitted, name, param, value, fitted_value):
    model = private_copy(fitted[name]).set_params(warm_start=True)
    before = fitted_attributes(model)
    model.set_params(**{param: value})
    with pytest.raises(ValueError, match=(
            rf"warm_start=True continues a model trained with {param}="
            rf"{fitted_value}, but {param} is now {value!r}")):
        model.fit(*FITS[name][1])
    assert fitted_attributes(model).keys() == before.keys()


def test_warm_start_keeps_settings_that_do_not_change_the_network(fitted):
    model = private_copy(fitted["classifier"]).set_params(
        warm_start=True, pooling="last", dropout=0.1, n_estimators="auto")
    assert model.fit(IDS, LABELS).n_epochs_ == 2


# ------------------------------------------------------------- parameters
@pytest.mark.parametrize("checkpoint_dir, match", [
    ("", r"is ''; it must be a non-empty str"),
    ("run\0s", r"is 'run\\x00s'; it must be a non-empty str or path without NUL"),
    ("{file}", r"is '.*file': it is a file, not a directory"),
    ("{file}/sub", r"is '.*file/sub': it is under '.*file', which is a file"),
])
def test_a_checkpoint_dir_that_cannot_be_written_is_refused_before_training(
        tmp_path, checkpoint_dir, match):
    (tmp_path / "file").write_text("x")
    model = classifier(checkpoint_dir=checkpoint_dir.format(file=tmp_path / "file"))
    prefix = "The 'checkpoint_dir' parameter of RNNTextClassifier"
    with pytest.raises(InvalidParameterError, match=rf"{prefix} {match}"):
        model.fit(IDS, LABELS)
    assert not fitted_attributes(model)


def test_a_read_only_checkpoint_dir_is_refused(tmp_path):
    tmp_path.chmod(0o500)
    try:
        if os.access(tmp_path, os.W_OK):
            pytest.skip("permissions are not enforced for this user (root)")
        with pytest.raises(InvalidParameterError, match="cannot be written to"):
            classifier(checkpoint_dir=tmp_path / "runs").fit(IDS, LABELS)
    finally:
        tmp_path.chmod(0o700)


def test_a_checkpoint_dir_to_be_created_is_accepted(tmp_path):
    classifier(checkpoint_dir=tmp_path / "new" / "runs").fit(IDS, LABELS)


@pytest.mark.parametrize("n_threads, match", [
    (10**6, rf"must be None or an int in \[1, {max_threads()}\] .*Got 1000000"),
    (0, r"must be an int in the range \[1, inf\) or None\. Got 0"),
    (True, r"must be .*Got True instead \(a bool is not a number here\)"),
    ("2", r"must be .*Got '2' instead"),
])
def test_n_threads_is_checked_in_fit(n_threads, match):
    prefix = "The 'n_threads' parameter of RNNTextClassifier"
    with pytest.raises(InvalidParameterError, match=rf"{prefix} {match}"):
        classifier(n_threads=n_threads).fit(IDS, LABELS)


def test_max_threads_allows_four_per_cpu_and_at_least_64():
    assert max_threads() == max(4 * os.cpu_count(), 64)


@pytest.mark.parametrize("name, method, args", [
    ("classifier", "predict", (IDS,)),
    ("regressor", "predict", (IDS,)),
    ("tagger", "predict_proba", (SENTENCES,)),
    ("language-model", "score", (HAMLET,)),
    ("language-model", "generate", ("to",)),
])
def test_n_threads_set_after_fit_is_checked_before_use(fitted, name, method, args):
    # OpenMP aborts the whole process when it cannot create the threads
    model = private_copy(fitted[name]).set_params(n_threads=10**6)
    with pytest.raises(InvalidParameterError, match=(
            rf"'n_threads' parameter of {type(model).__name__} .*Got 1000000")):
        getattr(model, method)(*args)


def test_an_optimizer_instance_is_refused_with_the_class_to_pass():
    instance = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(InvalidParameterError, match=(
            r"'optimizer' parameter of RNNTextClassifier .*not an instance: got an "
            r"instance of SGD.*optimizer=torch\.optim\.sgd\.SGD")):
        classifier(optimizer=instance).fit(IDS, LABELS)


def test_a_class_that_is_no_optimizer_is_refused_naming_the_estimator():
    with pytest.raises(InvalidParameterError, match=(
            r"'optimizer' parameter of RNNTagger must be one of .*got <class 'dict'>")):
        tagger(optimizer=dict).fit(SENTENCES, TAGS)


@pytest.mark.parametrize("device", ["cpu:1", "cpu:5"])
def test_a_cpu_index_other_than_0_is_refused(device):
    with pytest.raises(ValueError, match=(
            rf"device='{device}' is not available here: the CPU is one device")):
        classifier(device=device).fit(IDS, LABELS)


def test_cpu_0_is_the_cpu():
    assert classifier(device="cpu:0").fit(IDS, LABELS).device_ == "cpu"


@pytest.mark.parametrize("seconds", ["60", None, math.nan, True, 0, -1.0])
def test_time_limit_refuses_what_is_no_positive_number_of_seconds(seconds):
    model = classifier(max_epochs=2, callbacks=[TimeLimit(seconds)])
    with pytest.raises(InvalidParameterError, match=(
            r"The 'seconds' parameter of TimeLimit must be a number of seconds > 0 "
            rf"\(inf for no limit\); got {seconds!r}")):
        model.fit(IDS, LABELS)


def test_time_limit_of_inf_sets_no_limit():
    model = classifier(max_epochs=2, callbacks=[TimeLimit(math.inf)])
    assert model.fit(IDS, LABELS).n_epochs_ == 2


# ------------------------------------------------------------------ data
@pytest.mark.parametrize("X, error, match", [
    (pd.DataFrame(IDS).astype("Int64").mask(IDS == 9), ValueError,
     r"X holds a missing value \(NA\) in row 2, column 3; .*X\.fillna\(0\)"),
    (np.ma.masked_array(IDS, mask=IDS == 0), TypeError,
     r"X is a masked array with masked entries.*X\.filled\(0\)"),
    (sp.csr_matrix(IDS), TypeError,
     r"X is a sparse matrix, such as CountVectorizer's word counts; "
     r"RNNTextClassifier reads each text as a sequence of token ids"),
], ids=["NA-in-frame", "masked", "sparse"])
def test_ids_whose_values_numpy_would_misread_are_refused(fitted, X, error, match):
    with pytest.raises(error, match=match):
        fitted["classifier"].predict(X)
    with pytest.raises(error, match=match):
        classifier().fit(X, LABELS)


@pytest.mark.parametrize("X", [
    pd.DataFrame(IDS).astype("Int64"), pd.DataFrame(IDS).astype({0: "UInt8"}),
    np.ma.masked_array(IDS), torch.as_tensor(IDS),
], ids=["Int64-frame", "UInt8-column", "masked-nothing", "tensor"])
def test_ids_in_other_containers_give_the_arrays_predictions(fitted, X):
    model = fitted["classifier"]
    np.testing.assert_array_equal(model.predict_proba(X), model.predict_proba(IDS))


@pytest.mark.parametrize("y", [np.zeros((12, 0)), np.zeros((12, 2, 2))],
                         ids=["no-column", "3-D"])
def test_regression_targets_of_another_shape_are_named(y):
    with pytest.raises(ValueError, match=(
            rf"y must hold one target per sample, .*got an array of shape "
            rf"{re.escape(str(y.shape))}")):
        regressor().fit(IDS, y)


# --------------------------------------------------------------- methods
def test_summary_refuses_a_print_fn_that_is_not_callable(fitted):
    with pytest.raises(TypeError, match=r"print_fn must be None or a callable .*"
                       r"got 'table' \(a str\)"):
        fitted["classifier"].summary(print_fn="table")


@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function"])
def test_empty_X_names_the_estimator(fitted, method):
    with pytest.raises(ValueError, match=(
            r"Found array with 0 sample\(s\) \(shape=\(0, 4\)\) while a minimum of 1 "
            "is required by RNNTextClassifier")):
        getattr(fitted["classifier"], method)(IDS[:0])


@pytest.mark.parametrize("name", ["classifier", "regressor"])
@pytest.mark.parametrize("y, sample_weight, error, match", [
    (None, None, ValueError, r"{owner} requires y to be passed"),
    (TARGETS[:3], None, ValueError, r"X has 12 samples \(rows\) but y has 3"),
    (TARGETS, [1.0], ValueError, r"sample_weight has 1 weights but X has 12 samples"),
    (TARGETS, -np.ones(12), ValueError, r"negative weights: the weight of sample 0"),
    (TARGETS, ["a"] * 12, TypeError, r"the weight of sample 0 is 'a'"),
    (TARGETS, np.zeros(12), ValueError, r"zero for all 12 samples"),
])
def test_score_checks_y_and_sample_weight_as_fit_does(fitted, name, y, sample_weight,
                                                      error, match):
    model = fitted[name]
    with pytest.raises(error, match=match.format(owner=type(model).__name__)):
        model.score(IDS, y, sample_weight=sample_weight)


def test_score_with_weights_equals_the_weighted_accuracy(fitted):
    model = fitted["classifier"]
    weights = np.arange(12, dtype=float)
    correct = model.predict(IDS) == LABELS
    assert model.score(IDS, LABELS, sample_weight=weights) == pytest.approx(
        weights[correct].sum() / weights.sum())


@pytest.mark.parametrize("y, error, match", [
    (np.full(12, np.nan), ValueError, r"Input y contains NaN: the target of sample 0"),
    (["a"] * 12, ValueError, r"the target of sample 0 is 'a' \(a str\)"),
    (np.c_[TARGETS, TARGETS], ValueError,
     r"y has 2 targets per sample, but RNNTextRegressor predicts 1 \(n_outputs_\)"),
])
def test_regressor_score_refuses_targets_fit_would_refuse(fitted, y, error, match):
    with pytest.raises(error, match=match):
        fitted["regressor"].score(IDS, y)


def test_classifier_score_refuses_mixed_labels(fitted):
    with pytest.raises(TypeError, match=r"y mixes labels of types \['number', 'str'\]"):
        fitted["classifier"].score(IDS, [1, "a"] * 6)


@pytest.mark.parametrize("X, match", [
    (pd.DataFrame([["the", "dog"]]), r"got a pandas DataFrame\. Pass a column of "
     r"token lists as df\[column\]\.tolist\(\)"),
    ([5], r"Sentence 0 of X is 5 \(a int\); RNNTagger expects each sentence"),
])
def test_tagger_names_what_is_no_list_of_sentences(fitted, X, match):
    with pytest.raises(TypeError, match=match):
        fitted["tagger"].predict(X)


@pytest.mark.parametrize("X", [{"to be": 1, "or not": 2}, {"to be", "or not"},
                               frozenset({"to be"})], ids=["dict", "set", "frozenset"])
def test_char_lm_refuses_unordered_collections_of_documents(fitted, X):
    with pytest.raises(TypeError, match=(
            rf"an ordered iterable of str .*got a {type(X).__name__}")):
        fitted["language-model"].score(X)
    with pytest.raises(TypeError, match="ordered iterable"):
        language_model().fit(X)


# ---------------------------------------------------------------- plotting
@pytest.mark.parametrize("metrics, ax, error, match", [
    (("los",), None, ValueError,
     r"None of metrics=\('los',\) is a metric plot_history draws; it draws "
     r"\['loss', 'accuracy'\]\. Did you mean 'loss'\?"),
    (("loss", "acc"), None, ValueError, r"None of metrics=\('acc',\)"),
    (None, None, TypeError, r"metrics must be one of \['loss', 'accuracy'\]"),
    ((), None, ValueError, r"metrics is empty"),
    (("loss", "accuracy"), "one", TypeError, r"ax must be a matplotlib Axes"),
    (("loss", "accuracy"), "single", ValueError,
     r"ax has 1 Axes but 2 panels are drawn"),
])
def test_plot_history_names_bad_metrics_and_axes(fitted, metrics, ax, error, match):
    import matplotlib.pyplot as plt

    if ax == "single":
        ax = plt.subplots()[1]
    try:
        with pytest.raises(error, match=match):
            plot_history(fitted["classifier"], metrics=metrics, ax=ax)
    finally:
        plt.close("all")


def test_plot_history_takes_a_single_metric_name(fitted):
    import matplotlib.pyplot as plt

    figure = plot_history(fitted["classifier"], metrics="loss")
    assert [a.get_title() for a in figure.axes] == ["Loss per epoch"]
    plt.close(figure)


@pytest.mark.parametrize("estimator", [
    NBSVMClassifier().fit(np.eye(4), [0, 1, 0, 1]), Pipeline([]), None, "model",
], ids=["nbsvm", "empty-pipeline", "None", "str"])
def test_plot_history_refuses_what_has_no_training_history(estimator):
    with pytest.raises(TypeError, match=(
            r"plot_history draws the training history of an RNNTextClassifier")):
        plot_history(estimator)


# -------------------------------------------------- comparisons and stacks
MODELS = {"nbsvm": make_nbsvm(), "tfidf": make_tfidf_classifier()}


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(cv=True), InvalidParameterError,
     r"'cv' parameter of compare_models .*got True \(a bool\)"),
    (dict(scoring="acuracy"), InvalidParameterError,
     r"scikit-learn scorer .*got 'acuracy'\. Did you mean 'accuracy'\?"),
    (dict(y=None), ValueError, r"compare_models needs y"),
    (dict(models={"good": make_nbsvm(), "bad": make_nbsvm(C=-1)}),
     InvalidParameterError,
     r"models\['bad'\]: The 'C' parameter of NBSVMClassifier must be"),
    (dict(y=[1] * 20), ValueError,
     r"NBSVMClassifier needs samples of at least 2 classes"),
])
def test_compare_models_raises_instead_of_tabulating_failures(kwargs, error, match):
    arguments = {**dict(models=MODELS, X=TEXTS, y=TEXT_LABELS, cv=2), **kwargs}
    with pytest.raises(error, match=match):
        compare_models(**arguments)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(estimators=["nbsvm"]), TypeError,
     r"a list of \(name, estimator\) pairs; it holds 'nbsvm' \(a str\)"),
    (dict(estimators=[("a", make_nbsvm()), ("a", make_tfidf_classifier())]),
     ValueError, r"estimators names \['a'\] more than once"),
    (dict(estimators={"a": NBSVMClassifier}), TypeError,
     r"estimators\['a'\] is the class NBSVMClassifier"),
    (dict(estimators={}), ValueError, r"estimators is empty"),
    (dict(estimators=MODELS, final_estimator=NBSVMClassifier), TypeError,
     r"final_estimator is the class NBSVMClassifier"),
    (dict(estimators={"dummy": Pipeline([("dummy", DummyClassifier())])}),
     TypeError, r"estimators\['dummy'\] \(Pipeline\) has no decision_function"),
    (dict(estimators=MODELS, cv=True), InvalidParameterError,
     r"'cv' parameter of make_text_stack"),
])
def test_make_text_stack_checks_its_members_when_made(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_text_stack(**kwargs)


# --------------------------------------------------------------- baselines
@pytest.mark.parametrize("make", [make_nbsvm, make_tfidf_classifier])
@pytest.mark.parametrize("documents, position, shown", [
    (["good", 5, "bad", "awful"], 1, "5 of type int"),
    ([None, "good", "bad", "awful"], 0, "None of type NoneType"),
])
def test_text_baselines_name_a_document_that_is_no_str(make, documents, position,
                                                       shown):
    with pytest.raises(TypeError, match=(
            rf"X must contain only str documents; item {position} is {shown}")):
        make().fit(documents, [1, 0, 1, 0])
    model = make().fit(TEXTS, TEXT_LABELS)
    with pytest.raises(TypeError, match=rf"item {position} is {shown}"):
        model.predict(documents)


def test_text_baselines_keep_make_pipelines_step_names():
    assert list(make_nbsvm().named_steps) == ["countvectorizer", "nbsvmclassifier"]
    union = make_nbsvm(char_ngram_range=(2, 3))[0]
    assert [name for name, _ in union.transformer_list] == [
        "countvectorizer-1", "countvectorizer-2"]
    assert list(make_tfidf_classifier().named_steps) == [
        "tfidfvectorizer", "logisticregression"]


def test_make_tfidf_classifier_takes_max_iter():
    assert make_tfidf_classifier(max_iter=5)[-1].max_iter == 5
    assert make_tfidf_classifier()[-1].max_iter == 1000


def test_nbsvm_given_raw_text_points_to_make_nbsvm():
    with pytest.raises(TypeError, match=r"X holds raw text; .*use make_nbsvm\(\)"):
        NBSVMClassifier().fit(TEXTS, TEXT_LABELS)


def test_nbsvm_refuses_counts_whose_weighting_overflows():
    with pytest.raises(ValueError, match=r"X holds counts too large for float64"):
        NBSVMClassifier(binarize=False).fit(np.eye(4) * 1e308, [0, 1, 0, 1])


@pytest.mark.parametrize("sample_weight, match", [
    ([1.0], r"sample_weight has 1 weights but X has 4 samples"),
    ([-1.0] * 4, r"negative weights"),
])
def test_nbsvm_score_checks_sample_weight(sample_weight, match):
    model = NBSVMClassifier().fit(np.eye(4), [0, 1, 0, 1])
    with pytest.raises(ValueError, match=match):
        model.score(np.eye(4), [0, 1, 0, 1], sample_weight=sample_weight)
