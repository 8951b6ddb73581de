"""What a model file keeps of an estimator, and the checks before one is rebuilt.

Every loadable class lists its fitted attributes in ``_fitted_constraints``
(public ``name_`` attributes, checked at registration). A model file keeps an
estimator's hyperparameters and exactly those attributes; an estimator with a
network (it has ``_rebuild_net``) also keeps its training history and its
network's ``state_dict``, and rebuilds the (untrained) skorch net from its
attributes with ``_rebuild_net()``.

A file is untrusted until checked: before anything is built, the
hyperparameters must pass the class's own parameter checks, the fitted
attributes must be exactly those of ``_fitted_constraints`` and satisfy them,
and every weight tensor must have the name, shape and dtype the rebuilt
network expects (compared on torch's ``meta`` device, which allocates nothing,
so a file claiming a vocabulary of 10**12 words costs no memory; building it
stops once it has more parameters than the file could fill) and hold finite
numbers. Every tensor of the file must belong to the model. Only the classes
registered with :func:`loadable` are ever built, and from data only: a file
cannot run code. ``save`` checks a model's fitted attributes the same way, so
it never writes a file ``load`` refuses.
"""

import re
import threading
import warnings
from contextlib import contextmanager
from itertools import pairwise

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import Interval, _Constraint, make_constraint
from skorch.history import History
from torch.nn.modules.module import register_module_parameter_registration_hook

from sklearn_rnn._ids import FIRST_WORD_ID
from sklearn_rnn.embeddings import Word2VecEmbeddings, WordVectors
from sklearn_rnn.embeddings._vectors import SavedWordVectors
from sklearn_rnn.nn._devices import check_device, parse_device
from sklearn_rnn.persistence._file import ModelFileError, from_json
from sklearn_rnn.utils._validation import (
    check_is_fitted,
    user_stacklevel,
    validate_params,
)

__all__ = ["LOADABLE", "Array", "ModelFileError", "build", "describe", "loadable"]

LOADABLE = {}  # class name -> class: the only classes a model file may build
PASSTHROUGH = (None, "passthrough")  # Pipeline steps that are not estimators
_FITTED_NAME = re.compile(r"[a-z][a-z0-9_]*_")
_NOT_SAVED = ("callbacks",)  # save writes None: a file never holds code


def loadable(cls):
    """Class decorator: model files may name ``cls`` and be built as one.

    ``cls._fitted_constraints`` lists the fitted attributes a file sets: each
    a public ``name_`` the class itself does not define (no method, property
    or dunder), so that no file can set anything else.
    """
    for name in getattr(cls, "_fitted_constraints", None) or [""]:
        if not _FITTED_NAME.fullmatch(name) or hasattr(cls, name):
            raise TypeError(f"{cls.__name__}._fitted_constraints must list the "
                            f"fitted attributes (public 'name_'); got {name!r}")
    LOADABLE[cls.__name__] = cls
    return cls


# Describing ------------------------------------------------------------------------

def describe(model, tensors, prefix="model"):
    """JSON-able description of a fitted ``model`` (a loadable estimator or a
    Pipeline of them); its tensors go to ``tensors`` under ``prefix``."""
    if isinstance(model, Pipeline):
        return {"class": "Pipeline", "steps": [
            [name, step if step in PASSTHROUGH
             else describe(step, tensors, f"{prefix}.{i}")]
            for i, (name, step) in enumerate(model.steps)
        ]}
    name = type(model).__name__
    if LOADABLE.get(name) is not type(model):
        raise TypeError(
            f"save supports {sorted(LOADABLE)} and Pipelines of them; got {name}, "
            "which a model file cannot rebuild. Use joblib for other objects "
            "(and load those from trusted sources only)."
        )
    check_is_fitted(model, "net_" if _has_network(type(model)) else None)
    fitted = {key: getattr(model, key) for key in model._fitted_constraints
              if hasattr(model, key)}
    _check_savable(model, fitted)
    description = {"class": name, "params": _describe_params(model, tensors, prefix)}
    if _has_network(type(model)):
        fitted["history_"] = list(model.net_.history)
        for key, tensor in model.net_.module_.state_dict().items():
            tensors[f"{prefix}.module.{key}"] = tensor.detach().cpu().contiguous()
    description["fitted"] = fitted
    return description


def _check_savable(model, fitted):
    """What :func:`build` checks of a model's own state, checked before saving
    (a parameter or attribute may have changed since fit), so that save never
    writes a file load refuses."""
    name = type(model).__name__
    problem = _fitted_problem(type(model), fitted)
    if problem:
        raise ValueError(f"Cannot save this {name}: its fitted attribute "
                         f"{problem[0]!r} {problem[1]}.")
    try:
        validate_params(model)
        if not _has_network(type(model)):
            model.transform([])  # as build checks a transformer
    except (TypeError, ValueError) as error:
        error.args = (f"Cannot save this {name}: {error}",)
        raise
    weights = model.net_.module_.state_dict() if _has_network(type(model)) else {}
    for key, weight in weights.items():
        if weight.is_floating_point() and not torch.isfinite(weight).all():
            raise ValueError(f"Cannot save this {name}: its weight {key!r} holds "
                             "NaN or infinite values.")


def _has_network(cls):
    return hasattr(cls, "_rebuild_net")


def _describe_params(model, tensors, prefix):
    params = model.get_params(deep=False)
    for name, value in params.items():
        if name == "callbacks" and value:
            warnings.warn(
                "Callbacks are not saved; the loaded model has callbacks=None.",
                UserWarning, stacklevel=user_stacklevel(),
            )
            params[name] = None
        elif name == "embeddings" and value is not None:
            params[name] = _describe_embeddings(value, tensors, prefix)
        elif isinstance(value, BaseEstimator):  # a text model's pretrain
            params[name] = _describe_estimator_param(value, tensors,
                                                     f"{prefix}.param.{name}")
        elif name == "random_state" and isinstance(value, np.random.RandomState):
            params[name] = None  # a generator's state is not a hyperparameter
        elif isinstance(value, type) and issubclass(value, torch.optim.Optimizer):
            params[name] = _optimizer_name(value)
        elif callable(value) and not isinstance(value, type):
            raise TypeError(
                f"Cannot save {type(model).__name__} with a callable {name}="
                f"{value!r}: code is never stored in a model file. Use a built-in "
                "option, or joblib for trusted files."
            )
    return params


def _describe_estimator_param(value, tensors, prefix):
    """An estimator given as a parameter, by its class and parameters only:
    what it learned went into the model's own weights. A FrozenEstimator is
    described by the estimator it wraps."""
    inner = value.estimator if isinstance(value, FrozenEstimator) else value
    name = type(inner).__name__
    if LOADABLE.get(name) is not type(inner):
        raise TypeError(f"Cannot save a parameter holding a {name}: a model file "
                        f"rebuilds only {sorted(LOADABLE)}.")
    return {"__estimator__": {"class": name,
                              "params": _describe_params(inner, tensors, prefix)}}


def _describe_embeddings(value, tensors, prefix):
    """A vector set is described, never stored: the aligned rows are in the
    weights. An array of rows is stored, as it is the parameter itself."""
    if isinstance(value, str):
        return value
    if isinstance(value, Word2VecEmbeddings):
        return {"__word2vec__": value.as_dict()}
    if isinstance(value, (WordVectors, SavedWordVectors)):
        return {"__word_vectors__": {"name": value.name, "n_words": len(value),
                                     "dim": value.dim}}
    tensor = torch.as_tensor(np.asarray(value, dtype=np.float32)).contiguous()
    problem = _embeddings_problem(tensor)
    if problem:
        raise ValueError(f"Cannot save with this embeddings parameter: it {problem}.")
    tensors[f"{prefix}.param.embeddings"] = tensor
    return {"__tensor__": f"{prefix}.param.embeddings"}


def _optimizer_name(optimizer):
    if _optimizer_class(optimizer.__name__) is not optimizer:
        raise TypeError(f"Only torch.optim optimizers can be saved; got {optimizer!r}.")
    return {"__optimizer__": optimizer.__name__}


# Building --------------------------------------------------------------------------

def build(description, tensors, device, path):
    """The fitted model a :func:`describe` description stands for, on
    ``device`` (None: the saved device where this machine has it, else the CPU),
    after checking every field; a :class:`ModelFileError` names the first bad
    one. ``tensors`` is consumed: a tensor no part of the model takes is an
    error."""
    model = _build(description, tensors, device, path, "model")
    if tensors:
        raise ModelFileError(path, f"tensor {sorted(tensors)[0]}", "belongs to "
                             "no part of the model")
    return model


def _build(description, tensors, device, path, prefix):
    field = prefix
    if not isinstance(description, dict) or not isinstance(
            description.get("class"), str):
        raise ModelFileError(path, field, "expected a model description (a JSON "
                             "object with a 'class'); got "
                             f"{_preview(description)}")
    if description["class"] == "Pipeline":
        _check_keys(description, {"class", "steps"}, path, prefix)
        return _build_pipeline(description, tensors, device, path, prefix)
    cls = LOADABLE.get(description["class"])
    if cls is None:
        raise ModelFileError(
            path, f"{field}.class", f"unknown class {description['class']!r}; "
            f"sklearn-rnn loads only {sorted(LOADABLE)} and Pipelines of them")
    _check_keys(description, {"class", "params", "fitted"}, path, prefix)
    model = _build_unfitted(cls, description, tensors, path, prefix)
    fitted = _decoded(description, "fitted", {}, path, prefix)
    history = fitted.pop("history_", None) if _has_network(cls) else None
    problem = _fitted_problem(cls, fitted)
    if problem:
        raise ModelFileError(path, f"{prefix}.fitted.{problem[0]}", problem[1])
    for key, value in fitted.items():
        setattr(model, key, value)
    if _has_network(cls):
        _fit_network_state(model, history, tensors, device, path, prefix)
    else:
        # A transformer checks what fit does not (its dtype, its token
        # pattern, its fitted state against them) when it transforms: an empty
        # input runs those checks, so a model that loads also transforms.
        _checked(model.transform, [], path, prefix)
    return model


def _check_keys(description, keys, path, prefix):
    unknown = sorted(set(description) - keys)
    if unknown:
        raise ModelFileError(path, f"{prefix}.{unknown[0]}", "is not a field of "
                             f"a model description (those are {sorted(keys)})")


def _build_pipeline(description, tensors, device, path, prefix):
    steps = description.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ModelFileError(path, f"{prefix}.steps", "a Pipeline needs a non-empty "
                             f"list of [name, step] pairs; got {_preview(steps)}")
    built = []
    for i, step in enumerate(steps):
        if not (isinstance(step, list) and len(step) == 2
                and isinstance(step[0], str)):
            raise ModelFileError(path, f"{prefix}.steps[{i}]", "expected a [name, "
                                 f"step] pair; got {_preview(step)}")
        name, spec = step
        built.append((name, spec if spec in PASSTHROUGH
                      else _build(spec, tensors, device, path, f"{prefix}.{i}")))
    pipeline = Pipeline(built)
    # scikit-learn's own check before a fit: names unique, without '__', and
    # every step but the last a transformer
    _checked(lambda _: pipeline._validate_steps(), None, path, f"{prefix}.steps")
    return pipeline


def _build_unfitted(cls, description, tensors, path, prefix):
    """``cls`` with the file's hyperparameters, checked as ``fit`` checks them."""
    decoders = {"__optimizer__": _decode_optimizer,
                "__word2vec__": _word2vec,
                "__word_vectors__": _saved_word_vectors,
                "__tensor__": lambda name: _parameter_array(tensors, name),
                "__estimator__": lambda nested: _estimator_param(
                    nested, tensors, path, f"{prefix}.params")}
    params = _decoded(description, "params", decoders, path, prefix)
    allowed = cls().get_params(deep=False)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ModelFileError(path, f"{prefix}.params", f"{cls.__name__} has no "
                             f"parameter {unknown[0]!r}")
    for name in _NOT_SAVED:
        if params.get(name) is not None:
            raise ModelFileError(path, f"{prefix}.params.{name}", "save never "
                                 f"writes it; got {_preview(params[name])}")
    model = cls(**params)
    # The check every fit starts with (an estimator's _validate would also
    # resolve its device, which a GPU model loaded on a CPU-only machine lacks).
    _checked(validate_params, model, path, f"{prefix}.params")
    if "device" in params and params["device"] != "auto":
        _checked(parse_device, params["device"], path, f"{prefix}.params.device")
    return model


def _estimator_param(nested, tensors, path, prefix):
    """The unfitted estimator :func:`_describe_estimator_param` describes."""
    if not (isinstance(nested, dict) and set(nested) == {"class", "params"}):
        raise ValueError("an estimator parameter has the keys ['class', "
                         f"'params'] only; got {_preview(nested)}")
    cls = LOADABLE.get(nested["class"]) if isinstance(nested["class"], str) else None
    if cls is None:
        raise ValueError(f"unknown class {_preview(nested['class'])}; sklearn-rnn "
                         f"loads only {sorted(LOADABLE)}")
    return _build_unfitted(cls, nested, tensors, path, prefix)


def _fit_network_state(model, history, tensors, device, path, prefix):
    """Give ``model`` (its fitted attributes set) the network and ``history``
    the file describes, taking its weights from ``tensors``."""
    _check_history(history, model, path, f"{prefix}.fitted")
    saved = _checked(parse_device, model.device_, path, f"{prefix}.fitted.device_")
    if device is None:  # a CUDA model on a machine without one runs on the CPU
        model.device_ = str(saved) if _exists(saved) else "cpu"
    else:
        model.device_ = check_device(device, "device")
    start = f"{prefix}.module."
    weights = {key[len(start):]: tensors.pop(key)
               for key in [key for key in tensors if key.startswith(start)]}
    net = _checked(lambda _: model._rebuild_net(), None, path, f"{prefix}.fitted")
    _check_weights(net, weights, path, start)
    _checked(lambda _: net.initialize(), None, path, f"{prefix}.params")
    net.module_.load_state_dict(weights)
    net.history_ = History(history)
    model.net_, model.history_ = net, net.history_
    return model


def _check_history(history, model, path, field):
    """One record per epoch (``n_epochs_``), numbered from 1, as skorch keeps them."""
    if not (isinstance(history, list) and all(isinstance(e, dict) for e in history)):
        raise ModelFileError(path, f"{field}.history_", "expected a list of epoch "
                             f"records (JSON objects); got {_preview(history)}")
    if len(history) != model.n_epochs_:
        raise ModelFileError(path, f"{field}.history_", f"has {len(history)} "
                             f"epochs, but n_epochs_ is {model.n_epochs_}")
    for i, epoch in enumerate(history):
        if epoch.get("epoch") != i + 1 or isinstance(epoch["epoch"], bool):
            raise ModelFileError(path, f"{field}.history_[{i}].epoch", "expected "
                                 f"{i + 1}; got {_preview(epoch.get('epoch'))}")
    if model.best_epoch_ > model.n_epochs_:
        raise ModelFileError(path, f"{field}.best_epoch_", f"is {model.best_epoch_},"
                             f" after the last epoch (n_epochs_={model.n_epochs_})")


def _exists(device):
    try:
        check_device(device)
    except ValueError:
        return False
    return True


class _TooManyParameters(Exception):
    pass


@contextmanager
def _at_most_parameters(limit):
    """Stop building modules in this thread once they register more than
    ``limit`` parameters: a file of a few tensors that claims 10**5 layers is
    refused in the time of a few, not of all."""
    thread, count = threading.get_ident(), 0

    def count_one(module, name, parameter):
        nonlocal count
        if threading.get_ident() == thread:
            count += 1
            if count > limit:
                raise _TooManyParameters

    handle = register_module_parameter_registration_hook(count_one)
    try:
        yield
    finally:
        handle.remove()


def _check_weights(net, weights, path, prefix):
    """The tensors the rebuilt network expects, by name and shape, all finite;
    the network is built on the meta device, which allocates nothing."""
    # Every parameter is a tensor of the file; twice as many is spare room.
    limit = 2 * len(weights)
    try:
        with torch.device("meta"), _at_most_parameters(limit):
            expected = _checked(lambda _: net.module(**net.get_params_for(
                "module")).state_dict(), None, path, prefix.rstrip("."))
    except _TooManyParameters:
        raise ModelFileError(path, prefix.rstrip("."), "the hyperparameters and "
                             "fitted attributes describe a network of over "
                             f"{limit} parameters, but the file holds "
                             f"{len(weights)} weight tensors for it "
                             f"({prefix}*)") from None
    missing = sorted(set(expected) - set(weights))
    unexpected = sorted(set(weights) - set(expected))
    if missing or unexpected:
        name, problem = ((missing[0], "is missing") if missing
                         else (unexpected[0], "is not a weight of this network"))
        raise ModelFileError(path, f"tensor {prefix}{name}", f"{problem} (the "
                             "weights do not fit the hyperparameters and fitted "
                             "attributes)")
    for name in expected:  # in the network's order: the first layer first
        tensor = weights[name]
        if tuple(tensor.shape) != tuple(expected[name].shape):
            raise ModelFileError(
                path, f"tensor {prefix}{name}", f"has shape {tuple(tensor.shape)}, "
                f"but the hyperparameters and fitted attributes give "
                f"{tuple(expected[name].shape)}")
        if tensor.dtype != expected[name].dtype:
            raise ModelFileError(path, f"tensor {prefix}{name}", f"has dtype "
                                 f"{tensor.dtype}; expected {expected[name].dtype}")
        if tensor.is_floating_point() and not torch.isfinite(tensor).all():
            raise ModelFileError(path, f"tensor {prefix}{name}",
                                 "holds NaN or infinite values")


def _fitted_problem(cls, fitted):
    """``(attribute, problem)`` for the first fitted attribute that is missing,
    unknown or fails ``cls._fitted_constraints`` (or its rules below), else None."""
    constraints = cls._fitted_constraints
    missing = sorted(set(constraints) - set(fitted))
    if missing:
        return missing[0], "is missing"
    unknown = sorted(set(fitted) - set(constraints))
    if unknown:
        return unknown[0], f"is not a fitted attribute of {cls.__name__}"
    for key, options in constraints.items():
        value = fitted[key]
        options = [option if isinstance(option, Array) else make_constraint(option)
                   for option in options]
        # a bool is no number (as validate_params rules for parameters)
        if not any(option.is_satisfied_by(value) for option in options
                   if not (isinstance(value, bool) and isinstance(option, Interval))):
            allowed = " or ".join(str(option) for option in options)
            return key, f"must be {allowed}; got {_preview(value)}"
        problem = _container_problem(value)
        if problem:
            return key, problem
    for key, options in constraints.items():
        for option in options:
            other = getattr(option, "length_of", None)
            if other is not None and len(fitted[key]) != fitted[other]:
                return key, (f"has {len(fitted[key])} entries, but {other} is "
                             f"{fitted[other]}")
    return _vocabulary_problem(fitted)


def _container_problem(value):
    """The library's fitted mappings (vocabularies, counts) map str to a
    Python int >= 0, and its fitted sets hold str."""
    if isinstance(value, dict):
        bad = next((key for key, item in value.items() if not isinstance(key, str)
                    or not isinstance(item, int) or isinstance(item, bool)
                    or item < 0), None)
        if bad is not None:
            return f"must map str to int >= 0; got {bad!r}: {_preview(value[bad])}"
    if isinstance(value, (set, frozenset)):
        bad = next((item for item in value if not isinstance(item, str)), None)
        if bad is not None:
            return f"must hold str only; got {_preview(bad)}"
    return None


def _vocabulary_problem(fitted):
    """A ``vocabulary_`` mapping with ``n_features_`` (a token-id vectorizer's):
    distinct ids from FIRST_WORD_ID (0 pads, 1 is unknown) below n_features_,
    which is the largest + 1, so every id names one token."""
    vocabulary, n_features = fitted.get("vocabulary_"), fitted.get("n_features_")
    if not isinstance(vocabulary, dict) or n_features is None:
        return None
    if not vocabulary:
        return "vocabulary_", "is empty"
    ids = sorted(vocabulary.values())
    if ids[0] < FIRST_WORD_ID:
        return "vocabulary_", (f"holds the id {ids[0]}; token ids start at "
                               f"{FIRST_WORD_ID} (0 pads, 1 is unknown)")
    repeated = next((a for a, b in pairwise(ids) if a == b), None)
    if repeated is not None:
        return "vocabulary_", f"gives the id {repeated} to two tokens"
    if n_features != ids[-1] + 1:
        return "n_features_", (f"is {n_features}, but the largest id of "
                               f"vocabulary_ is {ids[-1]}")
    return None


def _decoded(description, key, decoders, path, prefix):
    """``description[key]`` decoded from JSON, as a dict."""
    value = description.get(key)
    if not isinstance(value, dict):
        raise ModelFileError(path, f"{prefix}.{key}", "expected a JSON object; got "
                             f"{_preview(value)}")
    return from_json(value, decoders, path, f"{prefix}.{key}")


def _checked(function, value, path, field):
    """``function(value)``; an error it raises names the file and ``field``."""
    try:
        return function(value)
    except ModelFileError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, IndexError,
            OverflowError, MemoryError, RuntimeError) as error:
        raise ModelFileError(path, field, f"{type(error).__name__}: {error}") from None


def _optimizer_class(name):
    """The torch.optim optimizer class ``name`` (not the abstract base), or None."""
    optimizer = getattr(torch.optim, name, None) if isinstance(name, str) else None
    if (isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer)
            and optimizer is not torch.optim.Optimizer):
        return optimizer
    return None


def _decode_optimizer(name):
    optimizer = _optimizer_class(name)
    if optimizer is None:
        raise ValueError(f"unknown optimizer {name!r}")
    return optimizer


def _word2vec(settings):
    if not isinstance(settings, dict):
        raise TypeError(f"expected Word2VecEmbeddings settings (a JSON object); "
                        f"got {_preview(settings)}")
    return Word2VecEmbeddings(**settings)  # which checks them


def _saved_word_vectors(fields):
    """What :func:`_describe_embeddings` writes of a vector set."""
    if not (isinstance(fields, dict) and set(fields) == {"name", "n_words", "dim"}
            and isinstance(fields["name"], str)
            and all(_is_positive_int(fields[key]) for key in ("n_words", "dim"))):
        raise ValueError("expected the word vectors' name (str), n_words and dim "
                         f"(ints >= 1); got {_preview(fields)}")
    return SavedWordVectors(**fields)


def _is_positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _parameter_array(tensors, name):
    """The array parameter (``embeddings``) saved as the tensor ``name``: 2-D,
    float32 and finite, as :func:`_describe_embeddings` writes it."""
    if not isinstance(name, str) or name not in tensors:
        raise ValueError(f"names no tensor of the file: {_preview(name)}")
    tensor = tensors.pop(name)
    problem = _embeddings_problem(tensor)
    if problem:
        raise ValueError(f"the tensor {name!r} {problem}")
    return tensor.numpy()


def _embeddings_problem(tensor):
    if (tensor.dtype != torch.float32 or tensor.ndim != 2 or not tensor.shape[1]
            or not torch.isfinite(tensor).all()):
        return (f"must be a 2-D float32 array of finite numbers; got "
                f"{tensor.dtype} of shape {tuple(tensor.shape)}")
    return None


class Array(_Constraint):
    """A fitted-attribute constraint: a numpy array of ``ndim`` dimensions
    whose dtype kind is one of ``kinds`` (numpy's letters; ``'O'`` holding
    only ``str``), at least ``min_length`` long, finite where it is float (and
    > 0 with ``positive``), its entries all different with ``distinct``
    (labels, vocabularies). ``length_of`` names a fitted int attribute the
    array's length must equal (checked by :func:`build`)."""

    def __init__(self, kinds, ndim=1, min_length=0, length_of=None,
                 positive=False, distinct=False):
        super().__init__()
        self.kinds, self.ndim, self.min_length = kinds, ndim, min_length
        self.length_of, self.positive = length_of, positive
        self.distinct = distinct

    def is_satisfied_by(self, val):
        if not (isinstance(val, np.ndarray) and val.ndim == self.ndim
                and val.dtype.kind in self.kinds and len(val) >= self.min_length):
            return False
        if self.distinct and len(set(val.ravel().tolist())) < val.size:
            return False
        if val.dtype.kind == "f":
            return bool(np.isfinite(val).all() and (not self.positive
                                                   or (val > 0).all()))
        if val.dtype.kind == "O":
            return all(isinstance(item, str) for item in val.ravel())
        return True

    def __str__(self):
        kinds = {"U": "str", "O": "str", "i": "int", "u": "int", "b": "bool",
                 "f": "positive float" if self.positive else "finite float"}
        names = sorted({kinds.get(kind, kind) for kind in self.kinds})
        return (f"a {self.ndim}-D array of {' or '.join(names)} with at least "
                f"{self.min_length}{' distinct' if self.distinct else ''} entries")


def _preview(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."

