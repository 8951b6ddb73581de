"""The model file format: safetensors weights plus one JSON document, never pickle.

This module knows the file (its header, the JSON encoding of hyperparameters
and fitted attributes, the atomic write) but no estimator class: an estimator
takes part through two methods, ``_export_state()``, which returns its fitted
attributes and its weight tensors, and ``_import_state(fitted, weights,
device)``, which makes an unfitted instance fitted again. ``estimators`` use it
for ``save`` and checkpoints; :mod:`sklearn_rnn.persistence` adds Pipelines and
the list of classes a file may build.
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

from sklearn_rnn._version import __version__
from sklearn_rnn.embeddings import Word2VecEmbeddings, WordVectors
from sklearn_rnn.embeddings._vectors import SavedWordVectors
from sklearn_rnn.utils._validation import check_is_fitted, user_stacklevel

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "build_estimator", "describe_estimator",
    "read_model_file", "save_estimator", "usable_device", "write_model_file",
]

FORMAT_NAME = "sklearn-rnn"
FORMAT_VERSION = 1
_METADATA_KEY = "sklearn_rnn"


# Writing ---------------------------------------------------------------------------

def write_model_file(spec, tensors, path):
    """Write the model description ``spec`` and its ``tensors`` to ``path``."""
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "model": spec,
    }
    metadata = {_METADATA_KEY: json.dumps(header, default=_to_json)}
    _atomic_write(Path(path), lambda tmp: save_file(tensors, tmp, metadata=metadata))


def save_estimator(model, path):
    """Write one fitted estimator of this library to ``path``."""
    if not type(model).__module__.startswith("sklearn_rnn."):
        raise TypeError(
            f"save supports the estimators of sklearn-rnn; got "
            f"{type(model).__name__}, which a model file cannot rebuild. Use joblib "
            "for other classes (trusted files only)."
        )
    tensors = {}
    write_model_file(describe_estimator(model, tensors, "model"), tensors, path)


def describe_estimator(model, tensors, prefix):
    """JSON-able description of one fitted estimator; its weights go to
    ``tensors`` under ``{prefix}.module.``."""
    check_is_fitted(model)
    spec = {"class": type(model).__name__,
            "params": _params(model, tensors, prefix)}
    fitted, weights = model._export_state()
    for key, tensor in weights.items():
        tensors[f"{prefix}.module.{key}"] = tensor.detach().cpu().contiguous()
    spec["fitted"] = fitted
    return spec


def _params(model, tensors, prefix):
    params = model.get_params(deep=False)
    for name, value in params.items():
        if name == "callbacks" and value:
            warnings.warn(
                "Callbacks are not saved; the loaded model has callbacks=None.",
                UserWarning, stacklevel=user_stacklevel(),
            )
            params[name] = None
        elif name == "embeddings" and value is not None:
            params[name] = _embeddings_param(value, tensors, prefix)
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


def _embeddings_param(value, tensors, prefix):
    """A vector set is described, never stored: the aligned rows are in the
    weights. An array of rows is stored as it is the parameter."""
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
        raise TypeError(
            f"Only torch.optim optimizers can be saved; got {optimizer!r}."
        )
    return {"__optimizer__": optimizer.__name__}


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


# Reading ---------------------------------------------------------------------------

def read_model_file(path):
    """``(model description, tensors)`` of the file at ``path``, or a clear error."""
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
    return _check_header(metadata, path)["model"], tensors


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


def build_estimator(cls, spec, tensors, device, prefix):
    """A fitted ``cls`` from its description (see :func:`describe_estimator`)."""
    model = cls(**_from_json(spec["params"], tensors))
    fitted = _from_json(spec["fitted"], tensors)
    start = f"{prefix}.module."
    weights = {key[len(start):]: tensor for key, tensor in tensors.items()
               if key.startswith(start)}
    model._import_state(fitted, weights, device)
    return model


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
    if "__word2vec__" in value:
        return Word2VecEmbeddings(**value["__word2vec__"])
    if "__word_vectors__" in value:
        return SavedWordVectors(**value["__word_vectors__"])
    return {key: _from_json(item, tensors) for key, item in value.items()}


def _optimizer_class(name):
    optimizer = getattr(torch.optim, str(name), None)
    is_optimizer = isinstance(optimizer, type) and issubclass(
        optimizer, torch.optim.Optimizer)
    if not is_optimizer:
        raise ValueError(f"Unknown optimizer in model file: {name!r}.")
    return optimizer


def usable_device(device):
    """``device``, or the CPU where it is a GPU this machine lacks."""
    if torch.device(device).type == "cuda" and not torch.cuda.is_available():
        return "cpu"
    return str(device)
