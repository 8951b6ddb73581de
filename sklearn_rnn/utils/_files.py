"""Files written whole or not at all, with the permissions ``open()`` gives."""

import os
import secrets
import stat

__all__ = ["atomic_write"]


def atomic_write(destination, write, *, text=False):
    """Call ``write(file)`` on a new file beside ``destination``, then rename it
    onto ``destination``.

    A reader of ``destination`` sees the old file or the new one, whole; a
    crash or an error in ``write`` leaves the old file and no temporary one. The
    new file gets mode 0o666 less the umask, as ``open()`` would give; a
    replaced file keeps its mode. A symlink is written through, as ``open()``
    does.

    Parameters
    ----------
    destination : str or path-like
    write : callable
        Called with the open file object (binary, or UTF-8 text with ``text``).
    text : bool, default=False
    """
    name = os.fspath(destination)
    target = os.path.realpath(destination)
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"Cannot write {name!r}: the directory {directory!r} does not exist."
        )
    if os.path.isdir(target):
        raise IsADirectoryError(f"Cannot write {name!r}: it is a directory; pass "
                                "a file name.")
    temporary, descriptor = _create_beside(target, name, directory)
    try:
        options = {"encoding": "utf-8", "newline": ""} if text else {}
        with open(descriptor, "w" if text else "wb", **options) as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        if os.path.exists(target):  # replacing a file keeps its permissions
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _create_beside(target, name, directory):
    """A new file next to ``target``: O_EXCL makes it ours, 0o666 lets the
    umask set its mode."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = os.path.join(
            directory, f".{os.path.basename(target)}.{secrets.token_hex(6)}.tmp")
        try:
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue
        except PermissionError as error:
            raise PermissionError(
                f"Cannot write {name!r}: no permission to create a file in "
                f"{directory!r} (the file is written next to its final name, then "
                "renamed)."
            ) from error
    raise FileExistsError(f"Could not create a temporary file next to {name!r}.")
