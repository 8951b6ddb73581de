"""What a model file keeps of an estimator, and the checks before one is rebuilt.

An estimator with a network (it has ``net_``) keeps its hyperparameters, the
fitted attributes its class lists in ``_fitted_constraints``, its training
history and its network's ``state_dict``; it rebuilds the (untrained) skorch
net from those attributes with ``_rebuild_net()``. An estimator without one
(``TextVectorizer``, ``SequencePadder``) keeps its public ``_`` attributes.

A file is untrusted until checked: before anything is built, the
hyperparameters must satisfy the class's ``_parameter_constraints``, the fitted
attributes its ``_fitted_constraints``, and every weight tensor must have the
name and shape the rebuilt network expects (compared on torch's ``meta`` device,
which allocates nothing, so a file claiming a vocabulary of 10**12 words costs
no memory) and hold finite numbers. Only the classes registered with
:func:`loadable` are ever built, and from data only: a file cannot run code.
"""

import warnings

import numpy as np
import torch
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import (
    InvalidParameterError,
    _Constraint,
    make_constraint,
)
from skorch.history import History

from sklearn_rnn.embeddings import Word2VecEmbeddings, WordVectors
from sklearn_rnn.embeddings._vectors import SavedWordVectors
from sklearn_rnn.nn._devices import check_device, parse_device
from sklearn_rnn.persistence._file import from_json
from sklearn_rnn.utils._validation import check_is_fitted, user_stacklevel

__all__ = ["LOADABLE", "Array", "ModelFileError", "build", "describe", "loadable"]

LOADABLE = {}  # class name -> class: the only classes a model file may build
PASSTHROUGH = (None, "passthrough")  # Pipeline steps that are not estimators


def loadable(cls):
    """Class decorator: model files may name ``cls`` and be built as one."""
    LOADABLE[cls.__name__] = cls
    return cls


class ModelFileError(ValueError):
    """A model file whose description or tensors fail a check; the message
    names the file and the field."""

    def __init__(self, path, field, problem):
        super().__init__(f"Invalid model file {str(path)!r}: {field}: {problem}")


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
    check_is_fitted(model)
    description = {"class": name, "params": _describe_params(model, tensors, prefix)}
    if _has_network(type(model)):
        fitted = {key: getattr(model, key) for key in model._fitted_constraints}
        fitted["history_"] = list(model.history_)
        for key, tensor in model.net_.module_.state_dict().items():
            tensors[f"{prefix}.module.{key}"] = tensor.detach().cpu().contiguous()
    else:
        fitted = {key: value for key, value in vars(model).items()
                  if key.endswith("_") and not key.startswith("_")}
    description["fitted"] = fitted
    return description


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
    tensors[f"{prefix}.param.embeddings"] = torch.as_tensor(
        np.asarray(value, dtype=np.float32)).contiguous()
    return {"__tensor__": f"{prefix}.param.embeddings"}


def _optimizer_name(optimizer):
    if getattr(torch.optim, optimizer.__name__, None) is not optimizer:
        raise TypeError(f"Only torch.optim optimizers can be saved; got {optimizer!r}.")
    return {"__optimizer__": optimizer.__name__}


# Building --------------------------------------------------------------------------

def build(description, tensors, device, path, prefix="model"):
    """The fitted model a :func:`describe` description stands for, on
    ``device`` (None: the saved device where this machine has it, else the CPU),
    after checking every field; a :class:`ModelFileError` names the first bad one."""
    field = prefix
    if not isinstance(description, dict) or not isinstance(
            description.get("class"), str):
        raise ModelFileError(path, field, "expected a model description (a JSON "
                             "object with a 'class'); got "
                             f"{_preview(description)}")
    if description["class"] == "Pipeline":
        return Pipeline(_build_steps(description, tensors, device, path, prefix))
    cls = LOADABLE.get(description["class"])
    if cls is None:
        raise ModelFileError(
            path, f"{field}.class", f"unknown class {description['class']!r}; "
            f"sklearn-rnn loads only {sorted(LOADABLE)} and Pipelines of them")
    model = _build_unfitted(cls, description, tensors, path, prefix)
    fitted = _decoded(description, "fitted", tensors, path, prefix)
    if _has_network(cls):
        return _fit_network_state(model, fitted, tensors, device, path, prefix)
    _check_constraints(getattr(cls, "_fitted_constraints", {}), fitted, cls,
                       path, f"{prefix}.fitted", required=True)
    for key, value in fitted.items():
        setattr(model, key, value)
    return model


def _build_steps(description, tensors, device, path, prefix):
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
                      else build(spec, tensors, device, path, f"{prefix}.{i}")))
    if len({name for name, _ in built}) < len(built):
        raise ModelFileError(path, f"{prefix}.steps", "step names repeat")
    return built


def _build_unfitted(cls, description, tensors, path, prefix):
    """``cls`` with the file's hyperparameters, checked as ``fit`` checks them."""
    params = _decoded(description, "params", tensors, path, prefix)
    allowed = cls().get_params(deep=False)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ModelFileError(path, f"{prefix}.params", f"{cls.__name__} has no "
                             f"parameter {unknown[0]!r}")
    model = cls(**params)
    try:
        model._validate_params()
    except InvalidParameterError as error:
        raise ModelFileError(path, f"{prefix}.params", str(error)) from None
    if "device" in params and params["device"] != "auto":
        _checked(parse_device, params["device"], path, f"{prefix}.params.device")
    return model


def _fit_network_state(model, fitted, tensors, device, path, prefix):
    """Make ``model`` the fitted estimator ``fitted`` and the weights describe."""
    cls = type(model)
    history = fitted.pop("history_", None)
    if not (isinstance(history, list) and all(isinstance(e, dict) for e in history)):
        raise ModelFileError(path, f"{prefix}.fitted.history_", "expected a list "
                             "of epoch records (JSON objects); got "
                             f"{_preview(history)}")
    _check_constraints(cls._fitted_constraints, fitted, cls, path,
                       f"{prefix}.fitted", required=True)
    for key, value in fitted.items():
        setattr(model, key, value)
    saved = _checked(parse_device, model.device_, path, f"{prefix}.fitted.device_")
    if device is None:  # a CUDA model on a machine without one runs on the CPU
        model.device_ = str(saved) if _exists(saved) else "cpu"
    else:
        model.device_ = check_device(device, "device")
    start = f"{prefix}.module."
    weights = {key[len(start):]: tensor for key, tensor in tensors.items()
               if key.startswith(start)}
    net = _checked(lambda _: model._rebuild_net(), None, path, f"{prefix}.fitted")
    _check_weights(net, weights, path, start)
    net.initialize()
    net.module_.load_state_dict(weights)
    net.history_ = History(history)
    model.net_, model.history_ = net, net.history_
    return model


def _exists(device):
    try:
        check_device(device)
    except ValueError:
        return False
    return True


def _check_weights(net, weights, path, prefix):
    """The tensors the rebuilt network expects, by name and shape, all finite;
    the network is built on the meta device, which allocates nothing."""
    with torch.device("meta"):
        expected = net.module(**net.get_params_for("module")).state_dict()
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


def _check_constraints(constraints, fitted, cls, path, field, required):
    if not isinstance(fitted, dict):
        raise ModelFileError(path, field, f"expected a JSON object; got "
                             f"{_preview(fitted)}")
    missing = sorted(set(constraints) - set(fitted)) if required else []
    if missing:
        raise ModelFileError(path, field, f"{cls.__name__} needs the fitted "
                             f"attribute {missing[0]!r}, which the file lacks")
    unknown = sorted(key for key in fitted
                     if constraints and key not in constraints)
    if unknown:
        raise ModelFileError(path, field, f"{cls.__name__} has no fitted "
                             f"attribute {unknown[0]!r}")
    for key, options in constraints.items():
        if key not in fitted:
            continue
        options = [option if isinstance(option, Array) else make_constraint(option)
                   for option in options]
        if not any(option.is_satisfied_by(fitted[key]) for option in options):
            allowed = " or ".join(str(option) for option in options)
            raise ModelFileError(path, f"{field}.{key}", f"must be {allowed}; got "
                                 f"{_preview(fitted[key])}")
    for key, options in constraints.items():
        for option in options:
            other = getattr(option, "length_of", None)
            if other is not None and len(fitted[key]) != fitted[other]:
                raise ModelFileError(path, f"{field}.{key}", f"has "
                                     f"{len(fitted[key])} entries, but {other} is "
                                     f"{fitted[other]}")


def _decoded(description, key, tensors, path, prefix):
    """``description[key]`` decoded from JSON, as a dict."""
    value = description.get(key)
    if not isinstance(value, dict):
        raise ModelFileError(path, f"{prefix}.{key}", "expected a JSON object; got "
                             f"{_preview(value)}")
    decoders = {"__optimizer__": _optimizer_class,
                "__word2vec__": lambda kwargs: Word2VecEmbeddings(**kwargs),
                "__word_vectors__": lambda kwargs: SavedWordVectors(**kwargs)}
    return _checked(lambda v: from_json(v, tensors, decoders), value, path,
                    f"{prefix}.{key}")


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
    optimizer = getattr(torch.optim, str(name), None)
    if not (isinstance(optimizer, type)
            and issubclass(optimizer, torch.optim.Optimizer)):
        raise ValueError(f"unknown optimizer {name!r}")
    return optimizer


class Array(_Constraint):
    """A fitted-attribute constraint: a numpy array of ``ndim`` dimensions
    whose dtype kind is one of ``kinds`` (numpy's letters; ``'O'`` holding
    only ``str``), at least ``min_length`` long, finite where it is float (and
    > 0 with ``positive``). ``length_of`` names a fitted int attribute the
    array's length must equal (checked by :func:`build`)."""

    def __init__(self, kinds, ndim=1, min_length=0, length_of=None,
                 positive=False):
        super().__init__()
        self.kinds, self.ndim, self.min_length = kinds, ndim, min_length
        self.length_of, self.positive = length_of, positive

    def is_satisfied_by(self, val):
        if not (isinstance(val, np.ndarray) and val.ndim == self.ndim
                and val.dtype.kind in self.kinds and len(val) >= self.min_length):
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
                f"{self.min_length} entries")


def _preview(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."

