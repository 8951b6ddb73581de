"""The lines of CoNLL files: reading them (plain or gzip UTF-8, one line at a
time, each checked), classifying them (word, sentence break, other) and writing a
file atomically. Standard library only; every error names the file and line.
"""

import gzip
import os
import re
import sys
import zlib
from typing import NamedTuple

from sklearn_rnn.utils._files import atomic_write

__all__ = ["BREAK", "OTHER", "WORD", "Line", "check_column", "conll_lines",
           "conllu_lines", "field_spans", "group_sentences", "line_error",
           "write_text"]

_GZIP_MAGIC = b"\x1f\x8b"
_CONLLU_FIELDS = "ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC"
_WORD_ID = re.compile(r"[1-9][0-9]*")
_MULTIWORD_ID = re.compile(r"[1-9][0-9]*-[1-9][0-9]*")
_EMPTY_NODE_ID = re.compile(r"(?:0|[1-9][0-9]*)\.[1-9][0-9]*")
# Columns are separated by spaces and tabs only: str.split() would also split at
# a no-break space or a form feed inside a token.
_FIELD = re.compile(r"[^ \t]+")
# A line longer than this is refused before it is read whole: no token file has
# one, and a file without newlines would otherwise be read into memory at once.
_MAX_LINE_BYTES = 1 << 24
_DOCSTART = "-DOCSTART-"
WORD, BREAK, OTHER = "word", "break", "other"


class Line(NamedTuple):
    lineno: int  # 1-based
    body: str  # the line without its line ending
    ending: str  # "\n", "\r\n" or "" (last line of a file without a final newline)
    kind: str  # WORD, BREAK (between sentences) or OTHER (copied, never tagged)
    columns: list | None


def group_sentences(lines):
    """Group the word lines of ``lines`` into sentences (lists of Line)."""
    sentence = []
    for line in lines:
        if line.kind is WORD:
            sentence.append(line)
        elif line.kind is BREAK and sentence:
            yield sentence
            sentence = []
    if sentence:  # the last sentence of a file without a final blank line
        yield sentence


def conllu_lines(path):
    """Classify the lines of a CoNLL-U file, checking columns and IDs."""
    expected_id = 1
    for lineno, body, ending in _read_lines(path):
        columns = None
        if not body.strip():
            kind, expected_id = BREAK, 1
        elif body.startswith("#"):
            kind = OTHER
        else:
            columns = body.split("\t")
            kind = _conllu_kind(columns, expected_id, path, lineno)
            if kind is WORD:
                expected_id += 1
        yield Line(lineno, body, ending, kind, columns)


def _conllu_kind(columns, expected_id, path, lineno):
    """The kind of a CoNLL-U line that is neither blank nor a comment."""
    _check_conllu_columns(columns, path, lineno)
    word_id = columns[0]
    # IDs are compared as digit strings: int() refuses strings of over 4300 digits
    if _WORD_ID.fullmatch(word_id):
        if word_id != str(expected_id):
            raise line_error(
                path, lineno, f"word ID {word_id!r} is out of sequence, expected "
                f"'{expected_id}' (is the blank line ending a sentence missing?)."
            )
        return WORD
    if _MULTIWORD_ID.fullmatch(word_id):
        _check_multiword_id(word_id, expected_id, path, lineno)
        return OTHER
    if _EMPTY_NODE_ID.fullmatch(word_id):
        if word_id.split(".")[0] != str(expected_id - 1):
            raise line_error(
                path, lineno, f"the empty node {word_id!r} is out of place: an empty "
                f"node here must be numbered {expected_id - 1}.N, after the word it "
                "follows."
            )
        return OTHER
    raise line_error(
        path, lineno, f"invalid ID {word_id!r}: expected a word index (1, 2, ...), "
        "a multiword token range (3-4) or an empty node (8.1)."
    )


def _check_multiword_id(word_id, expected_id, path, lineno):
    start, end = word_id.split("-")
    if (len(end), end) <= (len(start), start):  # no leading zeros: numeric order
        raise line_error(
            path, lineno, f"the multiword token range {word_id!r} must end after it "
            "starts."
        )
    if start != str(expected_id):
        raise line_error(
            path, lineno, f"the multiword token {word_id!r} must start at the next "
            f"word, '{expected_id}': it comes just before the words it covers."
        )


def _check_conllu_columns(columns, path, lineno):
    if len(columns) != 10:
        hint = ""
        if len(columns) == 1:
            hint = " (columns must be separated by tabs; read space-separated column "
            hint += "files with read_conll)"
        raise line_error(
            path, lineno, f"expected 10 tab-separated columns ({_CONLLU_FIELDS}), "
            f"found {len(columns)}{hint}."
        )
    if "" in columns:
        field = _CONLLU_FIELDS.split()[columns.index("")]
        raise line_error(
            path, lineno, f"the {field} column is empty (CoNLL-U writes '_' for a "
            "missing value); is a tab doubled?"
        )


def conll_lines(path, separator, word_column):
    """Classify the lines of a column file; -DOCSTART- lines separate sentences."""
    for lineno, body, ending in _read_lines(path):
        if not body.strip(" \t"):
            yield Line(lineno, body, ending, BREAK, None)
            continue
        columns = _FIELD.findall(body) if separator is None else body.split(separator)
        line = Line(lineno, body, ending, WORD, columns)
        check_column(line, word_column, "word_column", path)
        if line.columns[word_column] == _DOCSTART:
            line = line._replace(kind=BREAK)
        yield line


def field_spans(body, separator):
    """The (start, end) of each field of ``body.split(separator)`` in ``body``."""
    if separator is None:
        return [match.span() for match in _FIELD.finditer(body)]
    spans, start = [], 0
    for field in body.split(separator):
        spans.append((start, start + len(field)))
        start += len(field) + len(separator)
    return spans


def _read_lines(path):
    """Yield ``(lineno, body, ending)`` for each line of a plain or gzip UTF-8 file."""
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"{os.fspath(path)!r} is a directory; pass the file to read."
        )
    with open(path, "rb") as file:
        compressed = file.read(2) == _GZIP_MAGIC
    if not compressed:
        with open(path, "rb") as file:
            yield from _decoded(file, path)
        return
    try:
        with gzip.open(path, "rb") as file:
            yield from _decoded(file, path)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ValueError(
            f"Could not read {os.fspath(path)!r}: the gzip-compressed file is "
            f"truncated or corrupt ({exc})."
        ) from exc


def _decoded(file, path):
    lineno = 0
    while raw := file.readline(_MAX_LINE_BYTES + 1):
        lineno += 1
        if len(raw) > _MAX_LINE_BYTES:
            raise line_error(
                path, lineno, f"longer than {_MAX_LINE_BYTES} bytes: this is no file "
                "of tagged tokens, one a line."
            )
        try:
            text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise line_error(
                path, lineno, f"not valid UTF-8 ({exc.reason} at byte {exc.start} of "
                "the line); re-encode the file as UTF-8."
            ) from None
        body = text.rstrip("\r\n")
        if "\x00" in body:
            raise line_error(
                path, lineno, "the line holds a NUL character: is the file UTF-16 "
                "(or binary)? Re-encode it as UTF-8."
            )
        if "\r" in body:
            raise line_error(
                path, lineno, "the line holds a carriage return ('\\r') that ends no "
                "line; convert the file's line endings to '\\n' (or '\\r\\n')."
            )
        yield lineno, body, text[len(body):]


def check_column(line, index, name, path):
    n_columns = len(line.columns)
    if -n_columns <= index < n_columns:
        return
    needed = index + 1 if index >= 0 else -index
    raise line_error(
        path, line.lineno, f"the line has {n_columns} column{'s' * (n_columns != 1)}, "
        f"too few for {name}={index} (which needs at least {needed})."
    )


def line_error(path, lineno, message):
    return ValueError(f"{os.fspath(path)!r}, line {lineno}: {message}")


def write_text(destination, pieces):
    """Write ``pieces`` to ``destination`` ('-': stdout), whole or not at all."""
    if isinstance(destination, str) and destination == "-":
        sys.stdout.writelines(pieces)
        return
    atomic_write(destination, lambda file: file.writelines(pieces), text=True)
