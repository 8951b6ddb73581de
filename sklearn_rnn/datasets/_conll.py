"""Tagged sentences: read CoNLL-U and CoNLL-2003-style column files, write tags back.

The readers return sklearn-crfsuite's convention: ``X`` is a list of sentences, each a
list of token strings, and ``y`` the list of their tag lists. Files are UTF-8, plain or
gzip-compressed. Standard library only, and the library's message helper.
"""

import numbers
import os
import re
from collections.abc import Iterable

from sklearn_rnn.datasets._conll_io import (
    BREAK,
    WORD,
    check_column,
    conll_lines,
    conllu_lines,
    field_spans,
    group_sentences,
    line_error,
    write_text,
)
from sklearn_rnn.utils._validation import suggest

__all__ = ["iob1_to_iob2", "read_conll", "read_conllu", "write_tagged"]

_CONLLU_TAG_INDEX = {"upos": 3, "xpos": 4}
_IOB_TAG = re.compile(r"O|[BI]-\S+")

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
    for sentence in group_sentences(conllu_lines(path)):
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
    for sentence in group_sentences(conll_lines(path, separator, word_column)):
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
            return conllu_lines(source)

        def retag(line, tag):
            columns = list(line.columns)
            columns[index] = tag
            return "\t".join(columns)
    else:
        column = -1 if column is None else column
        _check_int("column", column, "write_tagged")
        _check_separator(separator, "write_tagged")

        def lines():
            for line in conll_lines(source, separator, 0):
                if line.kind is WORD:
                    check_column(line, column, "column", source)
                yield line

        def retag(line, tag):
            start, end = field_spans(line.body, separator)[column]
            return line.body[:start] + tag + line.body[end:]

    lengths = []
    for sentence in group_sentences(lines()):
        if format == "conll":
            _check_same_width(sentence, source)
        lengths.append(len(sentence))
    tags = _check_tags(tags, lengths, source, separator)
    write_text(destination, _retagged(lines(), tags, retag))


def _retagged(lines, tags, retag):
    """Yield the text of ``lines`` with ``tags`` put into the word lines."""
    i = j = 0
    for line in lines:
        if line.kind is WORD:
            yield retag(line, tags[i][j]) + line.ending
            j += 1
            continue
        if line.kind is BREAK and j:  # the same grouping as group_sentences
            i, j = i + 1, 0
        yield line.body + line.ending


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
            raise line_error(
                path, line.lineno, f"the tag {tag!r} {_NOT_IOB}, as scheme={scheme!r} "
                f"requires{hint}."
            )
        if scheme == "iob2" and tag.startswith("I-") and (
                previous is None or previous[2:] != tag[2:]):
            where = "starts the sentence" if previous is None else (
                f"follows {previous!r}")
            raise line_error(
                path, line.lineno, f"the tag {tag!r} {where}, so it starts an "
                f"entity, which IOB2 starts with 'B-{tag[2:]}'. The file seems to use "
                "IOB1 tags: read it with scheme='iob1'."
            )
        previous = tag


def _check_has_xpos(lines, path):
    for line in lines:
        if line.columns[4] == "_":
            raise line_error(
                path, line.lineno, "the XPOS column is '_': the file has no XPOS "
                "tags. Read its universal tags with tag='upos'."
            )


def _check_same_width(sentence, path):
    """Refuse a word line with other columns than its sentence's first: a
    missing column would shift the one read as the tag."""
    first = sentence[0]
    for line in sentence[1:]:
        if len(line.columns) != len(first.columns):
            raise line_error(
                path, line.lineno, f"the line has {len(line.columns)} columns but "
                f"line {first.lineno} of its sentence has {len(first.columns)}; "
                "every token of a sentence needs the same columns."
            )


def _check_field(line, index, name, path):
    check_column(line, index, name, path)
    if not line.columns[index]:
        raise line_error(
            path, line.lineno, f"the field of {name}={index} is empty (are two "
            "separators adjacent?)."
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

