"""Caches of downloaded data as plain arrays: strings packed into bytes, and
``.npz`` files written atomically. numpy only; never pickle."""

import numpy as np

from sklearn_rnn.utils._files import atomic_write

__all__ = ["pack_strings", "unpack_strings", "write_npz_atomic"]


def pack_strings(strings):
    """``(bytes, offsets)``: UTF-8 bytes of all ``strings`` as a uint8 array and
    the int64 offsets where each begins (one more than there are strings)."""
    encoded = [text.encode("utf-8") for text in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(text) for text in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def unpack_strings(packed, offsets):
    """The list of str that :func:`pack_strings` packed; a ValueError when the
    offsets do not describe ``packed`` (a damaged cache)."""
    raw, bounds = packed.tobytes(), offsets.tolist()
    if not bounds or bounds[0] != 0 or bounds[-1] != len(raw) or any(
            b < a for a, b in zip(bounds, bounds[1:], strict=False)):
        raise ValueError("The packed strings and their offsets do not match.")
    return [raw[a:b].decode("utf-8") for a, b in zip(bounds, bounds[1:], strict=False)]


def write_npz_atomic(path, **arrays):
    """``np.savez`` (uncompressed) to ``path``, whole or not at all (see
    :func:`~sklearn_rnn.utils._files.atomic_write`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda file: np.savez(file, **arrays))
