"""Caches of downloaded data as plain arrays: strings packed into bytes, and
``.npz`` files written atomically. numpy only; never pickle."""

import os
import tempfile

import numpy as np

__all__ = ["pack_strings", "unpack_strings", "write_npz_atomic"]


def pack_strings(strings):
    """``(bytes, offsets)``: UTF-8 bytes of all ``strings`` as a uint8 array and
    the int64 offsets where each begins (one more than there are strings)."""
    encoded = [text.encode("utf-8") for text in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(text) for text in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def unpack_strings(packed, offsets):
    """The list of str that :func:`pack_strings` packed."""
    raw, bounds = packed.tobytes(), offsets.tolist()
    return [raw[a:b].decode("utf-8") for a, b in zip(bounds, bounds[1:], strict=False)]


def write_npz_atomic(path, **arrays):
    """``np.savez`` (uncompressed) to a temporary file beside ``path``, renamed
    when complete: a reader never sees a partial file, and an interrupted write
    leaves nothing behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name + ".part_",
                                      delete=False)
    try:
        with tmp:
            np.savez(tmp, **arrays)
        os.replace(tmp.name, path)
    except (Exception, KeyboardInterrupt):
        os.unlink(tmp.name)
        raise
