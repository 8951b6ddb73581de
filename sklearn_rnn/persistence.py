"""Safe persistence: weights as safetensors, everything else as JSON, never pickle.

A model file is one safetensors file. Its tensors are the network weights (and
pretrained ``embeddings`` passed as a parameter); its metadata holds one JSON
document with the hyperparameters, the fitted vocabulary, classes and training
history, and the versions that wrote it. Loading parses JSON and reads raw
tensors only, and builds nothing but the classes listed in ``_CLASSES``, so a
crafted file cannot run code. (``pickle``/``joblib`` also work on every estimator,
but only load those from sources you trust.)
"""

import json
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file
from sklearn.pipeline import Pipeline
from skorch.history import History

from sklearn_rnn import __version__
from sklearn_rnn.estimators import (
    CharLanguageModel,
    RNNTextClassifier,
    RNNTextRegressor,
)
from sklearn_rnn.preprocessing import SequencePadder, TextVectorizer
from sklearn_rnn.utils._validation import check_is_fitted

__all__ = ["load", "save"]

FORMAT_NAME = "sklearn-rnn"
FORMAT_VERSION = 1
_METADATA_KEY = "sklearn_rnn"
_CLASSES = {cls.__name__: cls for cls in (
    TextVectorizer, SequencePadder, RNNTextClassifier, RNNTextRegressor,
    CharLanguageModel,
)}
_NETWORK_CLASSES = (RNNTextClassifier, RNNTextRegressor, CharLanguageModel)
_NETWORK_ATTRIBUTES = ("device_", "precision_", "n_epochs_", "best_epoch_",
                       "classes_", "vocab_size_", "chars_", "n_outputs_",
                       "y_mean_", "y_scale_", "n_estimators_")


def save(model, path):
    """Save a fitted model to ``path`` without pickle.

    Parameters
    ----------
    model : estimator or Pipeline
        A fitted :class:`TextVectorizer`, :class:`SequencePadder`,
        :class:`RNNTextClassifier`, :class:`RNNTextRegressor`,
        :class:`CharLanguageModel`, or a
        :class:`~sklearn.pipeline.Pipeline` of them.
    path : str or path-like
        File to write (conventionally ``*.safetensors``). It is written to a
        temporary file first and moved into place, so a crash never leaves a
        broken or half-written file at ``path``.

    Examples
    --------
    >>> import tempfile, os
    >>> from sklearn_rnn import SequencePadder, load, save
    >>> padder = SequencePadder(maxlen=3).fit([[1, 2], [3]])
    >>> path = os.path.join(tempfile.mkdtemp(), "padder.safetensors")
    >>> save(padder, path)
    >>> load(path).transform([[5, 6, 7, 8]])
    array([[6, 7, 8]], dtype=int32)
    """
    tensors = {}
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "model": _describe(model, tensors, prefix="model"),
    }
    metadata = {_METADATA_KEY: json.dumps(header, default=_to_json)}
    _atomic_write(Path(path), lambda tmp: save_file(tensors, tmp, metadata=metadata))


def load(path, device=None):
    """Load a model written by :func:`save`.

    Parameters
    ----------
    path : str or path-like
        File written by :func:`save`.
    device : str or None, default=None
        Device for the network weights. None keeps the device the model was
        trained on when it exists here (a CUDA model loads on the CPU of a
        machine without GPU).

    Returns
    -------
    model : estimator or Pipeline
        The fitted model, ready to ``predict``, ``generate`` or refit.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No model file at {str(path)!r}.")
    try:
        with safe_open(str(path), framework="pt", device="cpu") as file:
            metadata = file.metadata() or {}
            tensors = {name: file.get_tensor(name) for name in file.keys()}
    except (SafetensorError, OSError, ValueError) as error:
        raise ValueError(
            f"{str(path)!r} is not an sklearn-rnn model file (expected a file "
            f"written by sklearn_rnn.save): {error}"
        ) from None
    header = _check_header(metadata, path)
    return _build(header["model"], tensors, device, prefix="model")


def _check_header(metadata, path):
    try:
        header = json.loads(metadata[_METADATA_KEY])
    except (KeyError, TypeError, json.JSONDecodeError):
        raise ValueError(
            f"{str(path)!r} is a safetensors file but not an sklearn-rnn model "
            "(no sklearn-rnn metadata)."
        ) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise ValueError(f"{str(path)!r} is not an sklearn-rnn model file.")
    saved = str(header.get("library_version", "?"))
    if saved.split(".")[0] != __version__.split(".")[0]:
        raise ValueError(
            f"{str(path)!r} was saved by sklearn-rnn {saved}; this is sklearn-rnn "
            f"{__version__}. Models do not load across major versions: load it "
            f"with sklearn-rnn {saved.split('.')[0]}.x, or retrain."
        )
    if header.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{str(path)!r} uses model format {header.get('format_version')!r}; "
            f"this sklearn-rnn ({__version__}) reads format {FORMAT_VERSION}."
        )
    return header


# Describing a model as JSON + tensors --------------------------------------------

def _describe(model, tensors, prefix):
    if isinstance(model, Pipeline):
        return {
            "class": "Pipeline",
            "steps": [
                [name, _describe(step, tensors, f"{prefix}.{i}")
                 if step not in (None, "passthrough") else step]
                for i, (name, step) in enumerate(model.steps)
            ],
        }
    name = type(model).__name__
    if _CLASSES.get(name) is not type(model):
        raise TypeError(
            f"save supports {sorted(_CLASSES)} and Pipelines of them; got "
            f"{name}. Use joblib for other scikit-learn objects (trusted files only)."
        )
    check_is_fitted(model)
    spec = {"class": name, "params": _params(model, tensors, prefix)}
    if isinstance(model, _NETWORK_CLASSES):
        spec["fitted"] = _network_state(model, tensors, prefix)
    else:
        spec["fitted"] = {key: value for key, value in vars(model).items()
                          if key.endswith("_") and not key.startswith("_")}
    return spec


def _params(model, tensors, prefix):
    params = model.get_params(deep=False)
    for name, value in params.items():
        if name == "callbacks" and value:
            warnings.warn(
                "Callbacks are not saved; the loaded model has callbacks=None.",
                UserWarning, stacklevel=4,
            )
            params[name] = None
        elif name == "embeddings" and value is not None:
            tensors[f"{prefix}.param.embeddings"] = torch.as_tensor(
                np.asarray(value, dtype=np.float32)).contiguous()
            params[name] = {"__tensor__": f"{prefix}.param.embeddings"}
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


def _optimizer_name(optimizer):
    if getattr(torch.optim, optimizer.__name__, None) is not optimizer:
        raise TypeError(
            f"Only torch.optim optimizers can be saved; got {optimizer!r}."
        )
    return {"__optimizer__": optimizer.__name__}


def _network_state(model, tensors, prefix):
    state = model.net_.module_.state_dict()
    for key, tensor in state.items():
        tensors[f"{prefix}.module.{key}"] = tensor.detach().cpu().contiguous()
    fitted = {key: getattr(model, key) for key in _NETWORK_ATTRIBUTES
              if hasattr(model, key)}
    fitted["history_"] = list(model.history_)
    return fitted


def _to_json(value):
    """``json.dumps`` hook: tagged forms for what JSON lacks."""
    if isinstance(value, np.ndarray):
        return {"__ndarray__": value.tolist(), "dtype": value.dtype.str}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (set, frozenset)):
        return {"__set__": sorted(value, key=repr)}
    if isinstance(value, tuple):
        return {"__tuple__": list(value)}
    if isinstance(value, type) and issubclass(value, np.generic):
        return {"__dtype__": np.dtype(value).str}
    if isinstance(value, np.dtype):
        return {"__dtype__": value.str}
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"Cannot save a value of type {type(value).__name__}: {value!r}")


# Building a model from JSON + tensors ---------------------------------------------

def _from_json(value, tensors):
    """Undo :func:`_to_json` recursively (only data types, never code)."""
    if isinstance(value, list):
        return [_from_json(item, tensors) for item in value]
    if not isinstance(value, dict):
        return value
    if "__ndarray__" in value:
        dtype = np.dtype(value["dtype"])
        if dtype.kind == "O":
            return np.array(value["__ndarray__"] + [None], dtype=object)[:-1]
        return np.asarray(value["__ndarray__"], dtype=dtype)
    if "__set__" in value:
        return set(_from_json(value["__set__"], tensors))
    if "__tuple__" in value:
        return tuple(_from_json(value["__tuple__"], tensors))
    if "__dtype__" in value:
        return np.dtype(value["__dtype__"]).type
    if "__optimizer__" in value:
        return _optimizer_class(value["__optimizer__"])
    if "__tensor__" in value:
        return tensors[value["__tensor__"]].numpy()
    return {key: _from_json(item, tensors) for key, item in value.items()}


def _optimizer_class(name):
    optimizer = getattr(torch.optim, str(name), None)
    is_optimizer = isinstance(optimizer, type) and issubclass(
        optimizer, torch.optim.Optimizer)
    if not is_optimizer:
        raise ValueError(f"Unknown optimizer in model file: {name!r}.")
    return optimizer


def _build(spec, tensors, device, prefix):
    if not isinstance(spec, dict) or "class" not in spec:
        raise ValueError("Malformed sklearn-rnn model file: no model description.")
    if spec["class"] == "Pipeline":
        return Pipeline([
            (name, step if step in (None, "passthrough")
             else _build(step, tensors, device, f"{prefix}.{i}"))
            for i, (name, step) in enumerate(spec["steps"])
        ])
    cls = _CLASSES.get(spec["class"])
    if cls is None:
        raise ValueError(
            f"Unknown class {spec['class']!r} in model file; sklearn-rnn loads only "
            f"{sorted(_CLASSES)} and Pipelines of them."
        )
    model = cls(**_from_json(spec["params"], tensors))
    fitted = _from_json(spec["fitted"], tensors)
    if isinstance(model, _NETWORK_CLASSES):
        _restore_network(model, fitted, tensors, device, f"{prefix}.module.")
    else:
        for key, value in fitted.items():
            setattr(model, key, value)
    return model


def _restore_network(model, fitted, tensors, device, prefix):
    history = fitted.pop("history_")
    for key, value in fitted.items():
        setattr(model, key, value)
    model.device_ = _usable_device(device or model.device_)
    if isinstance(model, CharLanguageModel):
        model.vocabulary_ = {char: i for i, char in enumerate(model.chars_) if i >= 2}
        net = model._build_net(None)
    else:
        net = model._build_net(None, model._check_embeddings(model.vocab_size_))
    net.initialize()
    state = {key[len(prefix):]: tensor for key, tensor in tensors.items()
             if key.startswith(prefix)}
    try:
        net.module_.load_state_dict(state)
    except RuntimeError as error:
        raise ValueError(
            f"The weights in the model file do not fit {type(model).__name__}'s "
            f"hyperparameters: {str(error).splitlines()[0]}"
        ) from None
    net.history_ = History(history)
    model.net_, model.history_ = net, net.history_


def _usable_device(device):
    if torch.device(device).type == "cuda" and not torch.cuda.is_available():
        return "cpu"
    return str(device)


def _atomic_write(path, write):
    """Run ``write(temporary_path)``, then move the result onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
    os.close(handle)
    try:
        write(temporary)
        with open(temporary, "rb") as file:
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
