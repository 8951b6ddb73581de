"""Files written whole or not at all (model files, caches, tagged output)."""

import os

import numpy as np
import pytest

from sklearn_rnn.utils._cache import pack_strings, unpack_strings, write_npz_atomic
from sklearn_rnn.utils._files import atomic_write


def _with_umask(umask, function):
    previous = os.umask(umask)
    try:
        return function()
    finally:
        os.umask(previous)


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600),
                                         (0o002, 0o664)])
def test_a_new_file_gets_the_mode_open_gives(tmp_path, umask, mode):
    _with_umask(umask, lambda: atomic_write(tmp_path / "a", lambda f: f.write(b"x")))
    _with_umask(umask, lambda: write_npz_atomic(tmp_path / "b.npz", x=np.ones(2)))
    assert (tmp_path / "a").stat().st_mode & 0o777 == mode
    assert (tmp_path / "b.npz").stat().st_mode & 0o777 == mode


def test_a_replaced_file_keeps_its_mode_and_gets_the_new_content(tmp_path):
    path = tmp_path / "shared.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    _with_umask(0o077, lambda: atomic_write(path, lambda f: f.write("new"),
                                            text=True))
    assert path.read_text() == "new" and path.stat().st_mode & 0o777 == 0o640


def test_an_error_while_writing_keeps_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"old")

    def fail(file):
        file.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, fail)
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["model.bin"]


def test_a_symlink_is_written_through(tmp_path):
    (tmp_path / "real").write_bytes(b"old")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    atomic_write(tmp_path / "link", lambda f: f.write(b"new"))
    assert (tmp_path / "link").is_symlink()
    assert (tmp_path / "real").read_bytes() == b"new"


@pytest.mark.parametrize("destination, error, match", [
    ("missing/file", FileNotFoundError, "the directory .* does not exist"),
    (".", IsADirectoryError, "it is a directory"),
])
def test_where_a_file_cannot_go(tmp_path, destination, error, match):
    with pytest.raises(error, match=match):
        atomic_write(tmp_path / destination, lambda f: f.write(b"x"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_folder_without_write_permission(tmp_path):
    os.chmod(tmp_path, 0o500)
    try:
        with pytest.raises(PermissionError, match="no permission to create a file"):
            atomic_write(tmp_path / "f", lambda f: f.write(b"x"))
    finally:
        os.chmod(tmp_path, 0o700)


def test_packed_strings_round_trip():
    words = ["", "naïve", "a b", "日本"]
    assert unpack_strings(*pack_strings(words)) == words


@pytest.mark.parametrize("offsets", [[1, 3], [0, 5, 2], [0, 99], []])
def test_damaged_offsets_are_refused(offsets):
    packed, _ = pack_strings(["abc"])
    with pytest.raises(ValueError, match="do not match"):
        unpack_strings(packed, np.asarray(offsets, dtype=np.int64))
