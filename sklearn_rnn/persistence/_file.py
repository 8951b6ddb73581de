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

Nothing read is trusted: the JSON is parsed with a size limit (safetensors' own
header limit), a nesting limit and no repeated keys, and a tagged value decodes
only to plain data (arrays of numbers or strings, sets, tuples, dtypes), each
checked to hold exactly what the file lists.
"""

import json
import os
import re
import struct
from pathlib import Path

import numpy as np
from safetensors import SafetensorError
from safetensors.torch import load as tensors_from_bytes
from safetensors.torch import save as tensors_to_bytes

from sklearn_rnn._version import __version__
from sklearn_rnn.utils._files import atomic_write

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "MAX_DEPTH", "MAX_HEADER_BYTES",
           "ModelFileError", "from_json", "read_description", "read_model_file",
           "to_json", "write_model_file"]

FORMAT_NAME = "sklearn-rnn"
FORMAT_VERSION = 1
_METADATA_KEY = "sklearn_rnn"
_HEADER_KEYS = {"format", "format_version", "library_version", "model"}
_HEADER_SIZE = struct.Struct("<Q")  # safetensors: little-endian u64 header length
# safetensors refuses a larger header (its MAX_HEADER_SIZE): no reader, ours
# included, then parses more JSON than this.
MAX_HEADER_BYTES = 100_000_000
# A description nests about ten levels (a Pipeline's step adds three): the
# limit keeps every recursive reader of the JSON far from Python's stack limit.
MAX_DEPTH = 64
# The JSON kinds a file's arrays and dtypes may have: bool, int, uint, float,
# str and object (of JSON scalars); never bytes, dates, complex or records.
_ARRAY_KINDS = "biufUO"
_SCALARS = (str, int, float, bool, type(None))


class ModelFileError(ValueError):
    """A model file whose description or tensors fail a check; the message
    names the file and the field."""

    def __init__(self, path, field, problem):
        super().__init__(f"Invalid model file {str(path)!r}: {field}: {problem}")


# Writing ---------------------------------------------------------------------------

def write_model_file(description, tensors, path):
    """Write the model ``description`` (JSON-able) and its ``tensors`` to ``path``."""
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "model": description,
    }
    text = json.dumps(header, default=to_json)
    if _too_deep(json.loads(text)):  # what load would refuse is never written
        raise ValueError(f"Cannot save to {str(path)!r}: the model description "
                         f"nests deeper than {MAX_DEPTH} levels.")
    data = tensors_to_bytes(tensors, metadata={_METADATA_KEY: text})
    if _HEADER_SIZE.unpack_from(data)[0] > MAX_HEADER_BYTES:
        raise ValueError(f"Cannot save to {str(path)!r}: the model description "
                         f"is over the {MAX_HEADER_BYTES} bytes a safetensors "
                         "header holds (a vocabulary of millions of tokens?).")
    _atomic_write(_target(path), data)


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


def _target(path):
    """``path`` as the file to write; a folder is never replaced by a file."""
    text = os.fspath(path)
    if isinstance(text, str) and text.endswith((os.sep, os.altsep or os.sep)):
        raise IsADirectoryError(f"Cannot save to {text!r}: the path ends with a "
                                "separator, so it names a folder; name the file, "
                                "e.g. 'model.safetensors'.")
    path = Path(text)
    if path.is_dir():
        example = str(path / "model.safetensors")
        raise IsADirectoryError(f"Cannot save to {text!r}: it is a folder; name "
                                f"a file in it, e.g. {example!r}.")
    return path


def _atomic_write(path, data):
    """Write ``data`` to ``path`` whole or not at all (``atomic_write``),
    creating its folder; errors name the model's path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda file: file.write(data))
    except PermissionError as error:
        raise PermissionError(error.errno, f"Cannot save to {str(path)!r}: "
                              f"{error.strerror or error}") from None


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
    """The model description of the file at ``path`` without its tensors: only
    the header's bytes are read."""
    data = _read_bytes(path, header_only=True)
    return _check_header(_metadata(data, path), path)["model"]


def _read_bytes(path, header_only=False):
    """The file's bytes (with ``header_only``, the length prefix and the
    header's bytes only)."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{str(path)!r} is a folder, not a model file.")
    if not path.is_file():
        raise FileNotFoundError(f"No model file at {str(path)!r}.")
    try:
        if not header_only:
            return path.read_bytes()
        with path.open("rb") as file:
            prefix = file.read(_HEADER_SIZE.size)
            if len(prefix) < _HEADER_SIZE.size:
                return prefix
            (size,) = _HEADER_SIZE.unpack_from(prefix)
            return prefix + file.read(min(size, MAX_HEADER_BYTES + 1))
    except OSError as error:
        raise OSError(f"Cannot read the model file {str(path)!r}: {error}") from None


def _metadata(data, path):
    """The ``__metadata__`` of a safetensors file's JSON header, from its bytes."""
    if len(data) < _HEADER_SIZE.size:
        raise _not_a_model(path, f"the file has only {len(data)} bytes")
    (size,) = _HEADER_SIZE.unpack_from(data)
    if size > MAX_HEADER_BYTES:
        raise _not_a_model(path, f"its header claims {size} bytes, over the "
                           f"{MAX_HEADER_BYTES} safetensors allows")
    if size > len(data) - _HEADER_SIZE.size:
        raise _not_a_model(path, "the header runs past the end of the file "
                           "(a truncated or foreign file)")
    try:
        header = parse_json(data[_HEADER_SIZE.size:_HEADER_SIZE.size + size])
    except ValueError as error:
        raise _not_a_model(path, f"unreadable header ({error})") from None
    metadata = header.get("__metadata__") if isinstance(header, dict) else None
    return metadata if isinstance(metadata, dict) else {}


def parse_json(text):
    """``json.loads`` for untrusted text: a repeated key (which two readers
    could resolve differently) or nesting deeper than :data:`MAX_DEPTH` is a
    ValueError, as is any syntax error."""
    too_deep = ValueError(f"the JSON nests deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys)
    except RecursionError:  # far deeper than MAX_DEPTH
        raise too_deep from None
    if _too_deep(value):
        raise too_deep
    return value


def _unique_keys(pairs):
    value = dict(pairs)
    if len(value) < len(pairs):
        seen = set()
        repeated = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ValueError(f"the key {repeated!r} appears twice in one object")
    return value


def _too_deep(value):
    """Whether ``value``'s lists and dicts nest deeper than :data:`MAX_DEPTH`
    (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))
    return False


def _not_a_model(path, reason):
    return ValueError(
        f"{str(path)!r} is not an sklearn-rnn model file (expected a file written "
        f"by sklearn_rnn.save): {reason}"
    )


def _check_header(metadata, path):
    if not isinstance(metadata.get(_METADATA_KEY), str):
        raise ValueError(
            f"{str(path)!r} is a safetensors file but not an sklearn-rnn model "
            "(no sklearn-rnn metadata)."
        )
    try:
        header = parse_json(metadata[_METADATA_KEY])
    except ValueError as error:
        raise _not_a_model(path, f"unreadable sklearn-rnn metadata ({error})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise ValueError(f"{str(path)!r} is not an sklearn-rnn model file.")
    saved = header.get("library_version")
    major = re.match(r"(\d+)\.\d+", saved) if isinstance(saved, str) else None
    if major is None:
        raise ModelFileError(path, "library_version", "expected the version "
                             f"that wrote the file, such as '1.2.0'; got "
                             f"{_preview(saved)}")
    if major[1] != __version__.split(".")[0]:
        raise ValueError(
            f"{str(path)!r} was saved by sklearn-rnn {saved}; this is sklearn-rnn "
            f"{__version__}. Models do not load across major versions: load it "
            f"with sklearn-rnn {major[1]}.x, or retrain."
        )
    version = header.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:
        raise ValueError(
            f"{str(path)!r} uses model format {version!r}; "
            f"this sklearn-rnn ({__version__}) reads format {FORMAT_VERSION}."
        )
    if "model" not in header:
        raise ValueError(f"{str(path)!r}: the header has no model description.")
    unknown = sorted(set(header) - _HEADER_KEYS)
    if unknown:
        raise ModelFileError(path, unknown[0], "is not a field of a model file "
                             f"(the fields are {sorted(_HEADER_KEYS)})")
    unknown = sorted(set(metadata) - {_METADATA_KEY})
    if unknown:
        raise ModelFileError(path, f"safetensors metadata {unknown[0]!r}", "save "
                             f"writes only {_METADATA_KEY!r}")
    return header


def from_json(value, decoders, path, field):
    """Undo :func:`to_json` recursively, into data only (never code), checking
    every tagged value; a bad one is a :class:`ModelFileError` naming ``field``
    (extended with the keys and indices down to it).

    ``decoders`` maps further tags (``"__optimizer__"``, ...) to functions of
    the tagged value, which raise TypeError or ValueError for a bad one; a
    dict with a tag has that tag's keys only. The JSON was parsed by
    :func:`parse_json`, so the recursion is at most :data:`MAX_DEPTH` deep.
    """
    # Scalars are taken as they are, so that long vocabularies decode fast.
    if isinstance(value, list):
        return [item if isinstance(item, _SCALARS)
                else from_json(item, decoders, path, f"{field}[{i}]")
                for i, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    tag = next((key for key in value if key in _DATA_TAGS or key in decoders), None)
    if tag is None:
        return {key: item if isinstance(item, _SCALARS)
                else from_json(item, decoders, path, f"{field}.{key}")
                for key, item in value.items()}
    keys = {tag, "dtype"} if tag == "__ndarray__" else {tag}
    if set(value) != keys:
        raise ModelFileError(path, field, f"a {tag} value has the keys "
                             f"{sorted(keys)} only; got {sorted(value)}")
    try:
        if tag in decoders:
            return decoders[tag](value[tag])
        if tag == "__tuple__":
            return tuple(from_json(_list(value[tag], tag), decoders, path, field))
        return _DATA_TAGS[tag](value)
    except (TypeError, ValueError, OverflowError) as error:
        raise ModelFileError(path, field, str(error)) from None


def _list(items, tag):
    if not isinstance(items, list):
        raise TypeError(f"a {tag} value is a JSON list; got {_preview(items)}")
    return items


def _dtype(text):
    """The numpy dtype a file names, of a kind in :data:`_ARRAY_KINDS` and
    this machine's byte order (what ``dtype.str`` wrote here)."""
    if not isinstance(text, str):
        raise TypeError(f"a dtype is a string such as '<i8'; got {_preview(text)}")
    try:
        dtype = np.dtype(text)
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a numpy dtype") from None
    if dtype.kind not in _ARRAY_KINDS or dtype.byteorder not in "=|":
        raise ValueError(f"dtype {text!r} is not allowed; a model file holds "
                         "bool, int, float, str or object arrays in this "
                         "machine's byte order")
    return dtype


def _array(value):
    """An ``__ndarray__`` value: exactly the listed values, as its dtype."""
    dtype, items = _dtype(value["dtype"]), _list(value["__ndarray__"], "__ndarray__")
    if dtype.kind == "O":
        if not all(isinstance(item, _SCALARS) for item in items):
            raise ValueError("an object array is a flat list of strings or "
                             f"numbers; got {_preview(items)}")
        array = np.empty(len(items), dtype=object)
        array[:] = items
        return array
    # A str array is as wide as its longest entry, whatever width the file
    # claims: a wider one would only allocate.
    with np.errstate(over="ignore", invalid="ignore"):
        array = np.asarray(items, dtype="U" if dtype.kind == "U" else dtype)
    # Conversions numpy makes silently (1.5 -> 1, '7' -> 7, 1e300 -> inf in
    # float32, None -> nan) change the JSON the array writes back.
    if json.dumps(array.tolist()) != json.dumps(items):
        raise ValueError(f"the values {_preview(items)} are not exactly a "
                         f"{dtype} array")
    return array


def _set(value):
    items = _list(value["__set__"], "__set__")
    if not all(isinstance(item, _SCALARS) for item in items):
        raise TypeError(f"a set holds strings or numbers; got {_preview(items)}")
    return set(items)


_DATA_TAGS = {
    "__ndarray__": _array,
    "__set__": _set,
    "__tuple__": None,  # decoded in from_json: its items may hold tags too
    "__dtype__": lambda value: _dtype(value["__dtype__"]).type,
}


def _preview(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."
