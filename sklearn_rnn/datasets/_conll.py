"""Tagged sentences: read CoNLL-U and CoNLL-2003-style column files, write tags back.

The readers return sklearn-crfsuite's convention: ``X`` is a list of sentences, each a
list of token strings, and ``y`` the list of their tag lists. Files are UTF-8, plain or
gzip-compressed. Standard library only, and the library's message helper.
"""

import gzip
import numbers
import os
import re
import secrets
import stat
import sys
import zlib
from collections.abc import Iterable
from typing import NamedTuple

from sklearn_rnn.utils._validation import suggest

__all__ = ["iob1_to_iob2", "read_conll", "read_conllu", "write_tagged"]

_GZIP_MAGIC = b"\x1f\x8b"
_CONLLU_FIELDS = "ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC"
_CONLLU_TAG_INDEX = {"upos": 3, "xpos": 4}
_WORD_ID = re.compile(r"[1-9][0-9]*")
_MULTIWORD_ID = re.compile(r"[1-9][0-9]*-[1-9][0-9]*")
_EMPTY_NODE_ID = re.compile(r"(?:0|[1-9][0-9]*)\.[1-9][0-9]*")
_IOB_TAG = re.compile(r"O|[BI]-\S+")
# Columns are separated by spaces and tabs only: str.split() would also split at
# a no-break space or a form feed inside a token.
_FIELD = re.compile(r"[^ \t]+")
# A line longer than this is refused before it is read whole: no token file has
# one, and a file without newlines would otherwise be read into memory at once.
_MAX_LINE_BYTES = 1 << 24
_DOCSTART = "-DOCSTART-"
_WORD, _BREAK, _OTHER = "word", "break", "other"

_SHARED_DOC = {
    "path": """path : str or os.PathLike
        A UTF-8 text file, plain or gzip-compressed (recognised by its first bytes,
        whatever its suffix).""",
    "separator": """separator : str or None, default=None
        What separates the columns of a line: any run of spaces and tabs when None,
        else this exact string (``'\\t'`` for tab-separated files whose tokens may hold
        spaces).""",
}


def _fill_doc(function):
    function.__doc__ = function.__doc__ % _SHARED_DOC
    return function


class _Line(NamedTuple):
    lineno: int  # 1-based
    body: str  # the line without its line ending
    ending: str  # "\n", "\r\n" or "" (last line of a file without a final newline)
    kind: str  # _WORD, _BREAK (between sentences) or _OTHER (copied, never tagged)
    columns: list | None


@_fill_doc
def read_conllu(path, tag="upos"):
    r"""Read the sentences of a CoNLL-U file and one of its part-of-speech columns.

    Comment lines, multiword-token lines (ID ``3-4``) and empty nodes (ID ``8.1``)
    are skipped, so each sentence lists its syntactic words. Sentences are separated
    by blank lines.

    Parameters
    ----------
    %(path)s

    tag : {'upos', 'xpos'}, default='upos'
        The column read as tags: universal (column 4) or language-specific (column
        5) part-of-speech tags.

    Returns
    -------
    sentences : list of list of str
        The FORM column, one list of tokens per sentence.

    tags : list of list of str
        The tags, one list per sentence, as long as its sentence.

    Raises
    ------
    TypeError
        If ``path`` is not a str or path-like.
    ValueError
        Naming the file and line: a word line without 10 tab-separated columns or
        with an empty one, an invalid or out-of-sequence ID (a multiword token
        must start at the next word, an empty node follow its word), an XPOS of
        ``'_'`` when ``tag='xpos'``, bytes that are not UTF-8, a carriage return
        that ends no line, a NUL character (UTF-16 text), a line over 16 MiB; or
        a file without any sentence.

    See Also
    --------
    read_conll : Read CoNLL-2003-style column files.
    write_tagged : Write predicted tags into a copy of the file.

    Examples
    --------
    >>> from pathlib import Path
    >>> from tempfile import TemporaryDirectory
    >>> from sklearn_rnn.datasets import read_conllu
    >>> lines = ["# text = I'm here",
    ...          "1-2\tI'm\t_\t_\t_\t_\t_\t_\t_\t_",
    ...          "1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_",
    ...          "2\t'm\tbe\tAUX\tVBP\t_\t3\tcop\t_\t_",
    ...          "3\there\there\tADV\tRB\t_\t0\troot\t_\t_"]
    >>> with TemporaryDirectory() as tmp:
    ...     path = Path(tmp, "tiny.conllu")
    ...     _ = path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ...     X, y = read_conllu(path)
    ...     _, y_xpos = read_conllu(path, tag="xpos")
    >>> X
    [['I', "'m", 'here']]
    >>> y
    [['PRON', 'AUX', 'ADV']]
    >>> y_xpos
    [['PRP', 'VBP', 'RB']]
    """
    _check_path("path", path, "read_conllu")
    _check_option("tag", tag, ("upos", "xpos"), "read_conllu")
    index = _CONLLU_TAG_INDEX[tag]
    sentences, tags = [], []
    for sentence in _sentences(_conllu_lines(path)):
        sentences.append([line.columns[1] for line in sentence])
        tags.append([line.columns[index] for line in sentence])
        if tag == "xpos":
            _check_has_xpos(sentence, path)
    _check_not_empty(sentences, path)
    return sentences, tags


@_fill_doc
def read_conll(path, *, word_column=0, tag_column=-1, scheme=None, separator=None):
    """Read the sentences and tags of a CoNLL-2003-style column file.

    One token a line, its fields in columns, blank lines between sentences.
    ``-DOCSTART-`` lines (and the blank line after them) are skipped.

    Parameters
    ----------
    %(path)s

    word_column : int, default=0
        Index of the token column; negative indices count from the end.

    tag_column : int, default=-1
        Index of the tag column: -1 is the last one (the named-entity tags of
        CoNLL-2003), 1 its part-of-speech tags and 2 its chunk tags.

    scheme : {'iob1', 'iob2'} or None, default=None
        None returns the tags as they are in the file. ``'iob2'`` checks that every
        tag is ``O``, ``B-TYPE`` or ``I-TYPE`` and that every entity starts with
        ``B-``; ``'iob1'`` checks the tags' form only and converts them to IOB2
        (see :func:`iob1_to_iob2`), the scheme that seqeval and most taggers
        expect. The original CoNLL-2003 files use IOB1.

    %(separator)s

    Returns
    -------
    sentences : list of list of str
        The tokens, one list per sentence.

    tags : list of list of str
        The tags, one list per sentence, as long as its sentence.

    Raises
    ------
    TypeError
        If ``path`` is not a str or path-like.
    ValueError
        Naming the file and line: a line with too few columns for ``word_column``
        or ``tag_column``, or an empty token or tag there, a line with other
        columns than the sentence's first line, a tag not in IOB form (or, for
        ``'iob2'``, an entity starting with ``I-``) when a ``scheme`` is given,
        bytes that are not UTF-8, a carriage return that ends no line, a NUL
        character (UTF-16 text), a line over 16 MiB; or a file without any
        sentence.

    See Also
    --------
    read_conllu : Read CoNLL-U files.
    write_tagged : Write predicted tags into a copy of the file.

    Examples
    --------
    >>> from pathlib import Path
    >>> from tempfile import TemporaryDirectory
    >>> from sklearn_rnn.datasets import read_conll
    >>> text = '''-DOCSTART- -X- -X- O
    ...
    ... EU NNP B-NP I-ORG
    ... rejects VBZ B-VP O
    ... German JJ B-NP I-MISC
    ...
    ... Peter NNP B-NP I-PER
    ... Blackburn NNP I-NP I-PER
    ... '''
    >>> with TemporaryDirectory() as tmp:
    ...     path = Path(tmp, "tiny.txt")
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     X, y = read_conll(path, scheme="iob1")
    ...     _, chunks = read_conll(path, tag_column=2)
    >>> X
    [['EU', 'rejects', 'German'], ['Peter', 'Blackburn']]
    >>> y
    [['B-ORG', 'O', 'B-MISC'], ['B-PER', 'I-PER']]
    >>> chunks
    [['B-NP', 'B-VP', 'B-NP'], ['B-NP', 'I-NP']]
    """
    _check_path("path", path, "read_conll")
    _check_int("word_column", word_column, "read_conll")
    _check_int("tag_column", tag_column, "read_conll")
    _check_option("scheme", scheme, ("iob1", "iob2", None), "read_conll")
    _check_separator(separator, "read_conll")
    sentences, tags = [], []
    for sentence in _sentences(_conll_lines(path, separator, word_column)):
        for line in sentence:
            _check_field(line, word_column, "word_column", path)
            _check_field(line, tag_column, "tag_column", path)
        _check_same_width(sentence, path)
        sentences.append([line.columns[word_column] for line in sentence])
        sentence_tags = [line.columns[tag_column] for line in sentence]
        if scheme is not None:
            _check_iob(sentence, sentence_tags, scheme, path)
        if scheme == "iob1":
            sentence_tags = iob1_to_iob2(sentence_tags)
        tags.append(sentence_tags)
    _check_not_empty(sentences, path)
    return sentences, tags


def iob1_to_iob2(tags):
    """Convert one sentence's tags from IOB1 to IOB2.

    In IOB1 an entity starts with ``I-TYPE`` and ``B-TYPE`` only separates two
    adjacent entities of the same type; in IOB2 every entity starts with
    ``B-TYPE``. So an ``I-TYPE`` that starts the sentence or follows ``O`` or a tag
    of another type becomes ``B-TYPE``; every other tag is kept.

    Parameters
    ----------
    tags : list of str
        The tags of one sentence, each ``O``, ``B-TYPE`` or ``I-TYPE``.

    Returns
    -------
    list of str
        The IOB2 tags, a new list.

    Raises
    ------
    ValueError
        If a tag is not ``O``, ``B-TYPE`` or ``I-TYPE``.

    Examples
    --------
    >>> from sklearn_rnn.datasets import iob1_to_iob2
    >>> iob1_to_iob2(["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"])
    ['B-PER', 'I-PER', 'O', 'B-LOC', 'B-LOC', 'B-ORG']
    """
    if isinstance(tags, str | bytes) or not isinstance(tags, Iterable):
        what = "the str " if isinstance(tags, str) else ""
        raise TypeError(
            f"tags must be the list of one sentence's tags, got {what}{tags!r}."
        )
    converted, previous_type = [], None
    for i, tag in enumerate(tags):
        if not isinstance(tag, str) or not _IOB_TAG.fullmatch(tag):
            raise ValueError(f"tags[{i}] = {tag!r} {_NOT_IOB}")
        if tag.startswith("I-") and tag[2:] != previous_type:
            tag = "B-" + tag[2:]
        converted.append(tag)
        previous_type = None if tag == "O" else tag[2:]
    return converted


@_fill_doc
def write_tagged(source, tags, destination, *, format, column=None, separator=None):
    r"""Copy a CoNLL-U or column file, putting new tags in its tag column.

    Every word line of ``source`` is copied with its tag column replaced by the
    next tag of ``tags``, sentence by sentence; every other line (comments,
    multiword tokens, empty nodes, ``-DOCSTART-``, blank lines) and every other
    column is copied unchanged, line endings included. The file is written in
    full to a temporary file next to ``destination``, then renamed, so a failure
    never leaves it half-written.

    Parameters
    ----------
    source : str or os.PathLike
        The file the tags were predicted for, plain or gzip-compressed, as read
        by :func:`read_conllu` (``format='conllu'``) or :func:`read_conll`
        (``format='conll'``).

    tags : list of list of str
        One list of tags per sentence of ``source``, each as long as its sentence:
        ``y`` as the readers return it, or a tagger's predictions.

    destination : str or os.PathLike
        The plain-text file to write (replaced if it exists, keeping its
        permissions; a new file gets ``0o666`` less the umask, as with
        :func:`open`), or ``'-'`` for standard output.

    format : {'conllu', 'conll'}
        ``'conllu'`` for CoNLL-U files, ``'conll'`` for CoNLL-2003-style column
        files. ``-DOCSTART-`` is recognised in the first column.

    column : {'upos', 'xpos'} or int, default=None
        The column replaced: ``'upos'`` (the default) or ``'xpos'`` for CoNLL-U, a
        column index for column files (default -1, the last one).

    %(separator)s
        Only for ``format='conll'``; the separators of a line are kept as they are.

    Raises
    ------
    TypeError
        If ``source`` or ``destination`` is not a str or path-like, or ``tags``
        not a list of lists.
    ValueError
        Before anything is written: if ``tags`` does not have one list per sentence
        of ``source``, a list's length differs from its sentence's, a tag is empty
        or holds whitespace or the separator, or ``source`` is malformed (as the
        readers report it).
    IsADirectoryError, PermissionError
        If ``destination`` is a directory, or its directory does not let a file
        be created in it.

    See Also
    --------
    read_conllu, read_conll : Read the sentences to tag.

    Examples
    --------
    >>> from pathlib import Path
    >>> from tempfile import TemporaryDirectory
    >>> from sklearn_rnn.datasets import read_conll, write_tagged
    >>> with TemporaryDirectory() as tmp:
    ...     source, output = Path(tmp, "test.txt"), Path(tmp, "predicted.txt")
    ...     _ = source.write_text("EU NNP O\nrejects VBZ O\n\nYes UH O\n")
    ...     write_tagged(source, [["B-ORG", "O"], ["O"]], output, format="conll")
    ...     print(output.read_text(), end="")
    EU NNP B-ORG
    rejects VBZ O
    <BLANKLINE>
    Yes UH O
    """
    _check_path("source", source, "write_tagged")
    _check_path("destination", destination, "write_tagged")
    _check_option("format", format, ("conllu", "conll"), "write_tagged")
    if format == "conllu":
        column = "upos" if column is None else column
        _check_option("column", column, ("upos", "xpos"), "write_tagged")
        index = _CONLLU_TAG_INDEX[column]

        def lines():
            return _conllu_lines(source)

        def retag(line, tag):
            columns = list(line.columns)
            columns[index] = tag
            return "\t".join(columns)
    else:
        column = -1 if column is None else column
        _check_int("column", column, "write_tagged")
        _check_separator(separator, "write_tagged")

        def lines():
            for line in _conll_lines(source, separator, 0):
                if line.kind is _WORD:
                    _check_column(line, column, "column", source)
                yield line

        def retag(line, tag):
            start, end = _field_spans(line.body, separator)[column]
            return line.body[:start] + tag + line.body[end:]

    lengths = []
    for sentence in _sentences(lines()):
        if format == "conll":
            _check_same_width(sentence, source)
        lengths.append(len(sentence))
    tags = _check_tags(tags, lengths, source, separator)
    _write_text(destination, _retagged(lines(), tags, retag))


def _retagged(lines, tags, retag):
    """Yield the text of ``lines`` with ``tags`` put into the word lines."""
    i = j = 0
    for line in lines:
        if line.kind is _WORD:
            yield retag(line, tags[i][j]) + line.ending
            j += 1
            continue
        if line.kind is _BREAK and j:  # the same grouping as _sentences
            i, j = i + 1, 0
        yield line.body + line.ending


def _sentences(lines):
    """Group the word lines of ``lines`` into sentences (lists of _Line)."""
    sentence = []
    for line in lines:
        if line.kind is _WORD:
            sentence.append(line)
        elif line.kind is _BREAK and sentence:
            yield sentence
            sentence = []
    if sentence:  # the last sentence of a file without a final blank line
        yield sentence


def _conllu_lines(path):
    """Classify the lines of a CoNLL-U file, checking columns and IDs."""
    expected_id = 1
    for lineno, body, ending in _read_lines(path):
        columns = None
        if not body.strip():
            kind, expected_id = _BREAK, 1
        elif body.startswith("#"):
            kind = _OTHER
        else:
            columns = body.split("\t")
            kind = _conllu_kind(columns, expected_id, path, lineno)
            if kind is _WORD:
                expected_id += 1
        yield _Line(lineno, body, ending, kind, columns)


def _conllu_kind(columns, expected_id, path, lineno):
    """The kind of a CoNLL-U line that is neither blank nor a comment."""
    _check_conllu_columns(columns, path, lineno)
    word_id = columns[0]
    # IDs are compared as digit strings: int() refuses strings of over 4300 digits
    if _WORD_ID.fullmatch(word_id):
        if word_id != str(expected_id):
            raise _line_error(
                path, lineno, f"word ID {word_id!r} is out of sequence, expected "
                f"'{expected_id}' (is the blank line ending a sentence missing?)."
            )
        return _WORD
    if _MULTIWORD_ID.fullmatch(word_id):
        _check_multiword_id(word_id, expected_id, path, lineno)
        return _OTHER
    if _EMPTY_NODE_ID.fullmatch(word_id):
        if word_id.split(".")[0] != str(expected_id - 1):
            raise _line_error(
                path, lineno, f"the empty node {word_id!r} is out of place: an empty "
                f"node here must be numbered {expected_id - 1}.N, after the word it "
                "follows."
            )
        return _OTHER
    raise _line_error(
        path, lineno, f"invalid ID {word_id!r}: expected a word index (1, 2, ...), "
        "a multiword token range (3-4) or an empty node (8.1)."
    )


def _check_multiword_id(word_id, expected_id, path, lineno):
    start, end = word_id.split("-")
    if (len(end), end) <= (len(start), start):  # no leading zeros: numeric order
        raise _line_error(
            path, lineno, f"the multiword token range {word_id!r} must end after it "
            "starts."
        )
    if start != str(expected_id):
        raise _line_error(
            path, lineno, f"the multiword token {word_id!r} must start at the next "
            f"word, '{expected_id}': it comes just before the words it covers."
        )


def _check_conllu_columns(columns, path, lineno):
    if len(columns) != 10:
        hint = ""
        if len(columns) == 1:
            hint = " (columns must be separated by tabs; read space-separated column "
            hint += "files with read_conll)"
        raise _line_error(
            path, lineno, f"expected 10 tab-separated columns ({_CONLLU_FIELDS}), "
            f"found {len(columns)}{hint}."
        )
    if "" in columns:
        field = _CONLLU_FIELDS.split()[columns.index("")]
        raise _line_error(
            path, lineno, f"the {field} column is empty (CoNLL-U writes '_' for a "
            "missing value); is a tab doubled?"
        )


def _conll_lines(path, separator, word_column):
    """Classify the lines of a column file; -DOCSTART- lines separate sentences."""
    for lineno, body, ending in _read_lines(path):
        if not body.strip(" \t"):
            yield _Line(lineno, body, ending, _BREAK, None)
            continue
        columns = _FIELD.findall(body) if separator is None else body.split(separator)
        line = _Line(lineno, body, ending, _WORD, columns)
        _check_column(line, word_column, "word_column", path)
        if line.columns[word_column] == _DOCSTART:
            line = line._replace(kind=_BREAK)
        yield line


def _field_spans(body, separator):
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
            raise _line_error(
                path, lineno, f"longer than {_MAX_LINE_BYTES} bytes: this is no file "
                "of tagged tokens, one a line."
            )
        try:
            text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise _line_error(
                path, lineno, f"not valid UTF-8 ({exc.reason} at byte {exc.start} of "
                "the line); re-encode the file as UTF-8."
            ) from None
        body = text.rstrip("\r\n")
        if "\x00" in body:
            raise _line_error(
                path, lineno, "the line holds a NUL character: is the file UTF-16 "
                "(or binary)? Re-encode it as UTF-8."
            )
        if "\r" in body:
            raise _line_error(
                path, lineno, "the line holds a carriage return ('\\r') that ends no "
                "line; convert the file's line endings to '\\n' (or '\\r\\n')."
            )
        yield lineno, body, text[len(body):]


def _write_text(destination, pieces):
    """Write ``pieces`` to ``destination`` ('-': stdout) through a renamed temp file."""
    if isinstance(destination, str) and destination == "-":
        sys.stdout.writelines(pieces)
        return
    target = os.path.realpath(destination)  # writes through a symlink, as open() does
    directory = os.path.dirname(target)
    name = os.fspath(destination)
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"Cannot write {name!r}: the directory {directory!r} does not exist."
        )
    if os.path.isdir(target):
        raise IsADirectoryError(
            f"Cannot write {name!r}: it is a directory; pass a file name."
        )
    try:
        temporary, descriptor = _create_temporary(target)
    except PermissionError as exc:
        raise PermissionError(
            f"Cannot write {name!r}: no permission to create a file in {directory!r} "
            "(the file is written next to its final name, then renamed)."
        ) from exc
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as file:
            file.writelines(pieces)
        if os.path.exists(target):  # replacing a file keeps its permissions
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _create_temporary(target):
    """Create a new file next to ``target``; 0o666 lets the umask set its mode."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = f"{target}.{secrets.token_hex(4)}.tmp"
        try:
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"Could not create a temporary file next to {target!r}.")


_TAG = re.compile(r"\S+")
_NOT_IOB = "is not an IOB tag: expected 'O', 'B-TYPE' or 'I-TYPE'"


def _check_iob(lines, tags, scheme, path):
    previous = None
    for line, tag in zip(lines, tags, strict=True):
        if not _IOB_TAG.fullmatch(tag):
            hint = ""
            if tag[:2] in {"E-", "S-", "L-", "U-"}:
                hint = " (the file seems to use IOBES or BILOU tags; read it with "
                hint += "scheme=None)"
            raise _line_error(
                path, line.lineno, f"the tag {tag!r} {_NOT_IOB}, as scheme={scheme!r} "
                f"requires{hint}."
            )
        if scheme == "iob2" and tag.startswith("I-") and (
                previous is None or previous[2:] != tag[2:]):
            where = "starts the sentence" if previous is None else (
                f"follows {previous!r}")
            raise _line_error(
                path, line.lineno, f"the tag {tag!r} {where}, so it starts an "
                f"entity, which IOB2 starts with 'B-{tag[2:]}'. The file seems to use "
                "IOB1 tags: read it with scheme='iob1'."
            )
        previous = tag


def _check_has_xpos(lines, path):
    for line in lines:
        if line.columns[4] == "_":
            raise _line_error(
                path, line.lineno, "the XPOS column is '_': the file has no XPOS "
                "tags. Read its universal tags with tag='upos'."
            )


def _check_same_width(sentence, path):
    """Refuse a word line with other columns than its sentence's first: a
    missing column would shift the one read as the tag."""
    first = sentence[0]
    for line in sentence[1:]:
        if len(line.columns) != len(first.columns):
            raise _line_error(
                path, line.lineno, f"the line has {len(line.columns)} columns but "
                f"line {first.lineno} of its sentence has {len(first.columns)}; "
                "every token of a sentence needs the same columns."
            )


def _check_field(line, index, name, path):
    _check_column(line, index, name, path)
    if not line.columns[index]:
        raise _line_error(
            path, line.lineno, f"the field of {name}={index} is empty (are two "
            "separators adjacent?)."
        )


def _check_column(line, index, name, path):
    n_columns = len(line.columns)
    if -n_columns <= index < n_columns:
        return
    needed = index + 1 if index >= 0 else -index
    raise _line_error(
        path, line.lineno, f"the line has {n_columns} column{'s' * (n_columns != 1)}, "
        f"too few for {name}={index} (which needs at least {needed})."
    )


def _check_tags(tags, lengths, source, separator=None):
    """Return ``tags`` as lists, checked against the sentence lengths of ``source``."""
    if isinstance(tags, str | bytes) or not isinstance(tags, Iterable):
        raise TypeError(
            f"tags must be a list of tag lists, one per sentence; got {tags!r}."
        )
    tags = list(tags)
    for i, sentence in enumerate(tags):
        if isinstance(sentence, str | bytes) or not isinstance(sentence, Iterable):
            raise TypeError(
                f"tags must be a list of tag lists, one per sentence: tags[{i}] must "
                f"be the list of sentence {i}'s tags; got {sentence!r}."
            )
    tags = [list(sentence) for sentence in tags]
    name = os.fspath(source)
    if len(tags) != len(lengths):
        raise ValueError(
            f"tags has {len(tags)} sentences, but {name!r} has {len(lengths)}."
        )
    for i, (sentence, length) in enumerate(zip(tags, lengths, strict=True)):
        if len(sentence) != length:
            raise ValueError(
                f"tags[{i}] has {len(sentence)} tags, but sentence {i} of {name!r} "
                f"has {length} tokens."
            )
        for j, tag in enumerate(sentence):
            if not isinstance(tag, str) or _TAG.fullmatch(tag) is None or (
                    separator is not None and separator in tag):
                also = "" if separator is None else f" or the separator {separator!r}"
                raise ValueError(
                    f"tags[{i}][{j}] = {tag!r} cannot be written: a tag must be a "
                    f"non-empty str without whitespace{also}."
                )
    return tags


def _check_not_empty(sentences, path):
    if not sentences:
        raise ValueError(
            f"{os.fspath(path)!r} holds no sentence: expected word lines, with blank "
            "lines between sentences."
        )


def _check_option(name, value, options, caller):
    if (value is None or isinstance(value, str)) and value in options:
        return
    strings = sorted(option for option in options if option is not None)
    allowed = "{" + ", ".join(map(repr, strings)) + "}"
    allowed += " or None" if None in options else ""
    raise ValueError(
        f"The {name!r} parameter of {caller} must be a str among {allowed}. "
        f"Got {value!r} instead.{suggest(value, strings)}"
    )


def _check_int(name, value, caller):
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(
            f"The {name!r} parameter of {caller} must be an int. Got {value!r} instead."
        )


def _check_separator(separator, caller):
    if separator is not None and (not isinstance(separator, str) or not separator):
        raise ValueError(
            f"The 'separator' parameter of {caller} must be a non-empty str or None. "
            f"Got {separator!r} instead."
        )


def _check_path(name, path, caller):
    # an int would be opened as a file descriptor (0: standard input) and closed
    if not isinstance(path, str | os.PathLike):
        raise TypeError(
            f"The {name!r} parameter of {caller} must be a str or path-like (a file "
            f"name). Got {path!r} instead."
        )


def _line_error(path, lineno, message):
    return ValueError(f"{os.fspath(path)!r}, line {lineno}: {message}")
