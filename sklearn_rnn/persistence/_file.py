"""The model file: safetensors tensors plus one JSON document, never pickle.

This module knows the bytes on disk (the header, the JSON encoding of
hyperparameters and fitted attributes, the atomic write) but no estimator.

A file is read in one ``read`` of the whole file and parsed from memory: a save
to the same path replaces the file by a rename, so a reader sees the old model or
the new one, whole, never the header of one and the tensors of the other. A file
is written to a temporary name in the same folder and renamed into place, so a
crash never leaves a half-written file at the path; the temporary file is
created with mode 0o666 and the umask, as ``open()`` would, and an overwritten
file keeps its mode.
"""

import json
import os
import secrets
import stat
import struct
from pathlib import Path

import numpy as np
from safetensors import SafetensorError
from safetensors.torch import load as tensors_from_bytes
from safetensors.torch import save as tensors_to_bytes

from sklearn_rnn._version import __version__

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "read_model_file", "write_model_file",
           "read_description", "from_json", "to_json"]

FORMAT_NAME = "sklearn-rnn"
FORMAT_VERSION = 1
_METADATA_KEY = "sklearn_rnn"
_HEADER_SIZE = struct.Struct("<Q")  # safetensors: little-endian u64 header length


# Writing ---------------------------------------------------------------------------

def write_model_file(description, tensors, path):
    """Write the model ``description`` (JSON-able) and its ``tensors`` to ``path``."""
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "model": description,
    }
    metadata = {_METADATA_KEY: json.dumps(header, default=to_json)}
    _atomic_write(Path(path), tensors_to_bytes(tensors, metadata=metadata))


def to_json(value):
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


def _atomic_write(path, data):
    """Write ``data`` to a new file beside ``path``, then rename it onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    # O_EXCL: a fresh file of ours; 0o666 is masked by the umask, as open() does.
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# Reading ---------------------------------------------------------------------------

def read_model_file(path):
    """``(model description, tensors)`` of the file at ``path``, or a ValueError
    naming the file. Nothing in the file is trusted yet: the description is
    checked where it is used (``_state.build``)."""
    data = _read_bytes(path)
    header = _check_header(_metadata(data, path), path)
    try:
        tensors = tensors_from_bytes(data)
    except (SafetensorError, ValueError, RuntimeError) as error:
        raise _not_a_model(path, error) from None
    return header["model"], tensors


def read_description(path):
    """The model description of the file at ``path`` without its tensors."""
    data = _read_bytes(path)
    return _check_header(_metadata(data, path), path)["model"]


def _read_bytes(path):
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No model file at {str(path)!r}.")
    try:
        return path.read_bytes()
    except OSError as error:
        raise OSError(f"Cannot read the model file {str(path)!r}: {error}") from None


def _metadata(data, path):
    """The ``__metadata__`` of a safetensors file's JSON header, from its bytes."""
    if len(data) < _HEADER_SIZE.size:
        raise _not_a_model(path, f"the file has only {len(data)} bytes")
    (size,) = _HEADER_SIZE.unpack_from(data)
    if size > len(data) - _HEADER_SIZE.size:
        raise _not_a_model(path, "the header runs past the end of the file "
                           "(a truncated or foreign file)")
    try:
        header = json.loads(data[_HEADER_SIZE.size:_HEADER_SIZE.size + size])
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _not_a_model(path, f"unreadable header ({error})") from None
    metadata = header.get("__metadata__") if isinstance(header, dict) else None
    return metadata if isinstance(metadata, dict) else {}


def _not_a_model(path, reason):
    return ValueError(
        f"{str(path)!r} is not an sklearn-rnn model file (expected a file written "
        f"by sklearn_rnn.save): {reason}"
    )


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
    if "model" not in header:
        raise ValueError(f"{str(path)!r}: the header has no model description.")
    return header


def from_json(value, tensors, decoders):
    """Undo :func:`to_json` recursively (only data types, never code).

    ``decoders`` maps further tags (``"__optimizer__"``, ...) to functions of
    the tagged value; a tag not listed is read as a plain dict key.
    """
    if isinstance(value, list):
        return [from_json(item, tensors, decoders) for item in value]
    if not isinstance(value, dict):
        return value
    if "__ndarray__" in value:
        dtype = np.dtype(value["dtype"])
        if dtype.kind == "O":
            return np.array(value["__ndarray__"] + [None], dtype=object)[:-1]
        return np.asarray(value["__ndarray__"], dtype=dtype)
    if "__set__" in value:
        return set(from_json(value["__set__"], tensors, decoders))
    if "__tuple__" in value:
        return tuple(from_json(value["__tuple__"], tensors, decoders))
    if "__dtype__" in value:
        return np.dtype(value["__dtype__"]).type
    if "__tensor__" in value:
        return tensors[value["__tensor__"]].numpy()
    for tag, decode in decoders.items():
        if tag in value:
            return decode(value[tag])
    return {key: from_json(item, tensors, decoders) for key, item in value.items()}

