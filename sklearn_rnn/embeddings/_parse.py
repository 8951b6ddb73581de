"""Parsers of word-vector files, which are untrusted input.

GloVe text (a word and its values on each line), word2vec and fastText text (the
same after a header line ``n_words dim``) and the word2vec C tool's binary format
(the header, then each word, a space and ``dim`` little-endian float32 values).
numpy and the standard library only.

Every line (or binary word) is checked as it is read; a malformed one is a
ValueError naming the file and the line (or word): a wrong number of values, a
value that is no number or beyond float32, an empty or repeated word, a last line
without its newline (a cut download), a header that the body does not match. No
count read from a file sizes an allocation: vectors are stored in blocks as they
are read, so memory follows what the file holds, not what its header claims.
"""

import bz2
import gzip
import itertools
import lzma
import re
import zipfile
import zlib

import numpy as np

__all__ = ["open_vectors", "read_vectors"]

_COMPRESSED = ((b"\x1f\x8b", gzip.open), (b"BZh", bz2.open),
               (b"\xfd7zXZ\x00", lzma.open))
_ZIP = b"PK\x03\x04"
# What a cut or corrupt stream raises while it is read (BadGzipFile is an OSError).
_STREAM_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile)
_HEADER = re.compile(r"([0-9]+)[ \t]+([0-9]+)")
_MAX_COUNT_DIGITS = 18  # larger counts fit no int64, and no file
# Longer lines (or binary words) are refused before they are read whole: no
# vector file has them, and a file without newlines would be read at once.
_MAX_LINE_BYTES = 1 << 24
_MAX_WORD_BYTES = 1 << 16
_CHUNK_BYTES = 1 << 20
_BLOCK_BYTES = 1 << 22
_TEXT_BYTES = frozenset(b"0123456789.-+eE \n")
_NON_BLANK = re.compile(rb"\S")
_BINARY_HINT = "; a binary word2vec file? Pass format='word2vec-binary'"


def open_vectors(path, source):
    """``path`` opened for reading bytes, decompressed as its first bytes say
    (gzip, bz2, xz), whatever its suffix; ``source`` names it in messages."""
    with open(path, "rb") as file:
        magic = file.read(6)
    if magic.startswith(_ZIP):
        raise ValueError(
            f"{source} is a zip archive: extract the vector file from it, or load a "
            "published set with fetch_word_vectors."
        )
    for prefix, opener in _COMPRESSED:
        if magic.startswith(prefix):
            return opener(path, "rb")
    return open(path, "rb")


def read_vectors(file, source, format, limit):
    """``(words, vectors)`` read from the binary stream ``file``.

    Parameters
    ----------
    file : binary file object
    source : str
        Names the file in messages, e.g. ``"'glove.txt'"``.
    format : {'auto', 'glove', 'word2vec', 'fasttext', 'word2vec-binary'}
        ``'auto'`` reads text, with a header if the first line is one.
    limit : int or None
        Read only the first ``limit`` words.

    Returns
    -------
    words : list of str
    vectors : ndarray of float32 of shape (len(words), dim)
        Finite values.
    """
    try:
        if format == "word2vec-binary":
            return _read_binary(_ByteReader(file), source, limit)
        return _read_text(file, source, format, limit)
    except _STREAM_ERRORS as exc:
        raise ValueError(
            f"Could not read {source}: it is truncated or corrupt ({exc}); a cut "
            "download must be fetched again."
        ) from None


class _Table:
    """Words and vectors as they are read, the vectors in blocks of about 4 MiB."""

    def __init__(self, dim):
        self.dim = dim
        self.block_rows = max(1, _BLOCK_BYTES // (4 * dim))
        self.words, self.index, self.blocks = [], {}, []

    def add(self, word, values):
        """Append ``word`` with ``values`` (``dim`` numbers, or strings of them)."""
        row = len(self.words)
        if row % self.block_rows == 0:
            self.blocks.append(np.empty((self.block_rows, self.dim), np.float32))
        with np.errstate(over="ignore"):  # beyond float32: inf, refused in finish()
            self.blocks[-1][row % self.block_rows] = values
        self.index[word] = row
        self.words.append(word)

    def finish(self):
        """``(words, vectors, bad)``: ``bad`` is the first row holding NaN or
        infinity, or None."""
        used = len(self.words) - (len(self.blocks) - 1) * self.block_rows
        self.blocks[-1] = self.blocks[-1][:used]
        bad = None
        for i, block in enumerate(self.blocks):
            rows = np.flatnonzero(~np.isfinite(block).all(axis=1))
            if len(rows):
                bad = i * self.block_rows + int(rows[0])
                break
        vectors = np.concatenate(self.blocks)
        self.blocks = []
        return self.words, vectors, bad


# -- text ------------------------------------------------------------------------


def _read_text(file, source, format, limit):
    lines = _raw_lines(file, source)
    first = next(lines, None)
    if first is None:
        raise ValueError(f"{source} is empty: it holds no word vectors.")
    text = _line_text(*first, source, "")
    has_header = format in ("word2vec", "fasttext") or (
        format == "auto" and _HEADER.fullmatch(text))
    if has_header:
        n_words, dim = _parse_header(text, source, format)
        return _read_body(lines, source, limit, dim, n_words, format)
    return _read_body(itertools.chain([first], lines), source, limit, None, None,
                      format, header_like=bool(_HEADER.fullmatch(text)))


def _read_body(lines, source, limit, dim, n_words, format, header_like=False):
    """The vector lines after the header (``n_words`` and ``dim`` from it) or, for
    GloVe, all lines (``dim`` from the first)."""
    table, first_line = None, 1 if n_words is None else 2
    hint = "" if n_words is None else _BINARY_HINT
    for lineno, raw in lines:
        if table is not None and len(table.words) == limit:
            break
        text = _line_text(lineno, raw, source, hint)
        if table is None:
            dim = dim or _first_width(text, source)
            table, rule = _Table(dim), _width_rule(n_words, dim, format, header_like)
        if n_words is not None and len(table.words) == n_words:
            raise _error(source, f"line {lineno}", f"the file holds more lines than "
                         f"the {n_words} words its header (line 1) announces "
                         f"(limit={n_words} reads only those).")
        word, values = _split(text, dim, lineno, source, rule)
        _check_new_word(word, table, source, f"line {lineno}",
                        lambda row: f"first on line {row + first_line}")
        _add_text_values(table, word, values, source, lineno)
    if table is None:
        raise ValueError(f"{source} holds no word vectors.")
    if n_words is not None and len(table.words) < min(n_words, limit or n_words):
        raise _cut_short(source, n_words, len(table.words))
    return _finished(table, source, lambda row: f"line {row + first_line}")


def _raw_lines(file, source):
    lineno = 0
    while raw := file.readline(_MAX_LINE_BYTES + 1):
        lineno += 1
        if len(raw) > _MAX_LINE_BYTES:
            raise _error(source, f"line {lineno}", f"longer than {_MAX_LINE_BYTES} "
                         f"bytes, which no vector file's lines are{_BINARY_HINT}.")
        yield lineno, raw


def _line_text(lineno, raw, source, hint):
    """The decoded line without its ending and trailing spaces (fastText ends
    each line with one)."""
    try:
        text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise _error(source, f"line {lineno}", f"not valid UTF-8 ({exc.reason} at "
                     f"byte {exc.start} of the line){hint}.") from None
    if not raw.endswith(b"\n"):
        raise _error(source, f"line {lineno}", "the last line does not end with a "
                     "newline: the file is cut short (a vector file ends every line "
                     "with one). Fetch it again.")
    if "\x00" in text:
        raise _error(source, f"line {lineno}", "the line holds a NUL character: is "
                     f"the file UTF-16? Re-encode it as UTF-8{hint}.")
    text = text.rstrip()
    if not text:
        raise _error(source, f"line {lineno}", "the line is blank; a vector file "
                     "holds one word and its values on every line.")
    return text


def _parse_header(text, source, format):
    match = _HEADER.fullmatch(text)
    if match is None:
        raise _error(source, "line 1", f"read as format {format!r}, the first line "
                     f"must be a header 'n_words dim'; got {_shorten(text)!r}. A file "
                     "without a header is format='glove'.")
    if max(len(count) for count in match.groups()) > _MAX_COUNT_DIGITS:
        raise _error(source, "line 1", f"the header {_shorten(text)!r} holds "
                     "implausible counts; is this a word-vector file?")
    n_words, dim = (int(count) for count in match.groups())
    if dim == 0:
        raise _error(source, "line 1", "the header announces vectors of 0 values.")
    return n_words, dim


def _first_width(text, source):
    """GloVe's vector length: the values after the first line's word (which,
    alone among the words, cannot hold a space)."""
    dim = len(text.split(" ")) - 1
    if dim == 0:
        raise _error(source, "line 1", "the line holds a word and no values (the "
                     "fields of a vector file are separated by single spaces).")
    return dim


def _width_rule(n_words, dim, format, header_like):
    """How many values a line must hold, for messages."""
    if n_words is not None:
        return f"the header (line 1) announces {dim}"
    rule = f"line 1 has {dim}"
    if header_like:
        rule += (f"; read as format {format!r}, line 1 looks like a header "
                 "'n_words dim': pass format='word2vec'")
    return rule


def _split(text, dim, lineno, source, rule):
    """A line's word and its ``dim`` value strings. The word is what precedes
    the last ``dim`` fields, so it may hold spaces (GloVe 840B has such words),
    unless its last part is a number: then the line has too many values."""
    word, *values = text.rsplit(" ", dim)
    n_values = len(values)
    if " " in word and _is_number(word.rsplit(" ", 1)[1]):
        n_values = len(text.split(" ")) - 1
    if n_values != dim:
        raise _error(source, f"line {lineno}", f"{n_values} values where {rule}.")
    if not word:
        raise _error(source, f"line {lineno}", "the word is empty (does the line "
                     "start with a space?).")
    if word != word.strip(" "):
        raise _error(source, f"line {lineno}", f"the word {word!r} starts or ends "
                     "with a space; are two fields separated by two spaces?")
    if "\t" in word:
        raise _error(source, f"line {lineno}", f"the word {word!r} holds a tab; the "
                     "fields of a vector file are separated by single spaces.")
    return word, values


def _add_text_values(table, word, values, source, lineno):
    try:
        table.add(word, values)
    except ValueError:
        bad = next((value for value in values if not _is_number(value)), values[0])
        raise _error(source, f"line {lineno}", f"{bad!r} is not a number.") from None


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


# -- binary ------------------------------------------------------------------------


class _ByteReader:
    """A binary stream read in chunks of 1 MiB, so that a length read from the
    file never sizes a read larger than what the file holds."""

    def __init__(self, file):
        self.file, self.data, self.start, self.offset = file, b"", 0, 0

    def pending(self):
        return len(self.data) - self.start

    def _more(self):
        chunk = self.file.read(_CHUNK_BYTES)
        if chunk:
            self.data, self.start = self.data[self.start:] + chunk, 0
        return bool(chunk)

    def _consume(self, n):
        piece = self.data[self.start:self.start + n]
        self.start += n
        self.offset += n
        return piece

    def until(self, delimiter, limit):
        """The bytes before the next ``delimiter`` (consumed with it), or None
        when the stream ends or ``limit`` bytes pass first."""
        while (end := self.data.find(delimiter, self.start,
                                     self.start + limit + 1)) < 0:
            if self.pending() > limit or not self._more():
                return None
        piece = self._consume(end - self.start)
        self._consume(1)
        return piece

    def take(self, n):
        """The next ``n`` bytes, or None when the stream ends first."""
        if self.pending() < n:
            pieces, have = [self.data[self.start:]], self.pending()
            while have < n and (chunk := self.file.read(_CHUNK_BYTES)):
                pieces.append(chunk)
                have += len(chunk)
            self.data, self.start = b"".join(pieces), 0
            if have < n:
                return None
        return self._consume(n)

    def at_end(self):
        """Whether nothing but whitespace is left (which stays unread)."""
        while _NON_BLANK.search(self.data, self.start) is None:
            if not self._more():
                return True
        return False


def _read_binary(reader, source, limit):
    line = reader.until(b"\n", 256)
    if line is None:
        raise _error(source, "line 1", "the file ends, or 256 bytes pass, before "
                     "the header 'n_words dim' does: it is cut short or no binary "
                     "word2vec file.")
    text = line.decode("ascii", errors="replace").strip()
    n_words, dim = _parse_header(text, source, "word2vec-binary")
    table = _Table(dim)
    for k in range(1, min(n_words, limit or n_words) + 1):
        if reader.at_end():
            raise _cut_short(source, n_words, k - 1)
        word = _binary_word(reader, source, k, table)
        values = reader.take(4 * dim)
        if values is None:
            raise _error(source, f"word {k} ({word!r}) is cut short", f"the file ends "
                         f"before its {dim} values; fetch it again.")
        if k == 1 and set(values) <= _TEXT_BYTES:
            raise _error(source, f"word 1 ({word!r})", "its values look like text: a "
                         "text file? Pass format='word2vec'.")
        table.add(word, np.frombuffer(values, dtype="<f4"))
    if not table.words:
        raise ValueError(f"{source} holds no word vectors.")
    if len(table.words) == n_words and not reader.at_end():
        raise _error(source, f"byte {reader.offset}", f"the file holds more data "
                     f"after the {n_words} words its header announces.")
    return _finished(table, source, lambda row: f"word {row + 1}")


def _binary_word(reader, source, k, table):
    offset = reader.offset
    raw = reader.until(b" ", _MAX_WORD_BYTES)
    where = f"word {k} (byte {offset})"
    if raw is None:
        if reader.pending() > _MAX_WORD_BYTES:
            raise _error(source, where, f"no space within {_MAX_WORD_BYTES} bytes: "
                         "no binary word2vec file.")
        raise _error(source, where, "the file ends inside the word: it is cut "
                     "short; fetch it again.")
    try:
        word = raw.lstrip(b"\n").decode("utf-8")  # the C tool ends vectors with \n
    except UnicodeDecodeError as exc:
        raise _error(source, where, f"the word is not valid UTF-8 ({exc.reason}).") \
            from None
    if not word:
        raise _error(source, where, "the word is empty.")
    _check_new_word(word, table, source, f"word {k} ({word!r})",
                    lambda row: f"first: word {row + 1}")
    return word


# -- shared checks ------------------------------------------------------------------


def _check_new_word(word, table, source, where, first):
    row = table.index.get(word)
    if row is not None:
        raise _error(source, where, f"repeated word {word!r} ({first(row)}); a "
                     "vector file lists each word once.")


def _finished(table, source, where):
    words, vectors, bad = table.finish()
    if bad is not None:
        raise _error(source, where(bad), f"the vector of word {words[bad]!r} (row "
                     f"{bad}) holds NaN or infinity (or a value beyond the float32 "
                     "range).")
    return words, vectors


def _cut_short(source, n_words, n_read):
    return ValueError(
        f"{source}: the header announces {n_words} words, but the file ends after "
        f"{n_read}: it is cut short; fetch it again. (If its header is wrong, "
        f"limit={n_read} reads the words it holds.)"
    )


def _shorten(text, width=40):
    return text if len(text) <= width else text[:width - 3] + "..."


def _error(source, where, message):
    return ValueError(f"{source}, {where}: {message}")
