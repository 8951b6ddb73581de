"""Tagged-sentence files: the CoNLL-U and CoNLL-2003 readers and write_tagged."""

import gzip
import os
import re
import stat

import pytest

from sklearn_rnn.datasets import iob1_to_iob2, read_conll, read_conllu, write_tagged


def named(path):
    """The pattern matching ``path`` as the error messages quote it."""
    return re.escape(repr(str(path)))


def conllu_line(*columns):
    return "\t".join(columns)


# Two sentences with a comment, a multiword token, an empty node, two blank lines
# between them, and no blank line after the last one.
CONLLU = "\n".join([
    "# sent_id = 1",
    "# text = Don't go.",
    conllu_line("1-2", "Don't", "_", "_", "_", "_", "_", "_", "_", "_"),
    conllu_line("1", "Do", "do", "AUX", "VBP", "_", "3", "aux", "_", "_"),
    conllu_line("2", "n't", "not", "PART", "RB", "_", "3", "advmod", "_", "_"),
    conllu_line("3", "go", "go", "VERB", "VB", "_", "0", "root", "_", "SpaceAfter=No"),
    conllu_line("4", ".", ".", "PUNCT", ".", "_", "3", "punct", "_", "_"),
    "",
    "",
    "# sent_id = 2",
    conllu_line("1", "Sue", "Sue", "PROPN", "NNP", "_", "2", "nsubj", "_", "_"),
    conllu_line("2", "left", "leave", "VERB", "VBD", "_", "0", "root", "_", "_"),
    conllu_line("2.1", "left", "leave", "VERB", "VBD", "_", "_", "_", "0:root", "_"),
    conllu_line("3", "early", "early", "ADV", "RB", "_", "2", "advmod", "_", "_"),
])
CONLLU_X = [["Do", "n't", "go", "."], ["Sue", "left", "early"]]
CONLLU_UPOS = [["AUX", "PART", "VERB", "PUNCT"], ["PROPN", "VERB", "ADV"]]
CONLLU_XPOS = [["VBP", "RB", "VB", "."], ["NNP", "VBD", "RB"]]
WORD_LINE = conllu_line("1", "Hi", "hi", "INTJ", "UH", "_", "0", "root", "_", "_")

# CoNLL-2003 in its original IOB1 tags, with -DOCSTART- lines.
CONLL = """\
-DOCSTART- -X- -X- O

EU NNP B-NP I-ORG
rejects VBZ B-VP O
German JJ B-NP I-MISC
call NN I-NP O

Peter NNP B-NP I-PER
Blackburn NNP I-NP I-PER

-DOCSTART- -X- -X- O

Paris NNP B-NP I-LOC
"""
CONLL_X = [["EU", "rejects", "German", "call"], ["Peter", "Blackburn"], ["Paris"]]
CONLL_IOB1 = [["I-ORG", "O", "I-MISC", "O"], ["I-PER", "I-PER"], ["I-LOC"]]
CONLL_IOB2 = [["B-ORG", "O", "B-MISC", "O"], ["B-PER", "I-PER"], ["B-LOC"]]
CONLL_CHUNKS = [["B-NP", "B-VP", "B-NP", "I-NP"], ["B-NP", "I-NP"], ["B-NP"]]


@pytest.fixture(params=["plain", "gzip"])
def compression(request):
    return request.param


@pytest.fixture
def write_file(tmp_path, compression):
    """Write text to a file in tmp_path, gzip-compressed for the 'gzip' runs."""

    def write(text, name="data.txt", data=None):
        path = tmp_path / name
        raw = text.encode("utf-8") if data is None else data
        path.write_bytes(gzip.compress(raw) if compression == "gzip" else raw)
        return path

    return write


@pytest.mark.parametrize(
    "tag, expected", [("upos", CONLLU_UPOS), ("xpos", CONLLU_XPOS)]
)
def test_read_conllu_skips_comments_multiwords_and_empty_nodes(
    write_file, tag, expected
):
    sentences, tags = read_conllu(write_file(CONLLU, "a.conllu"), tag=tag)

    assert sentences == CONLLU_X
    assert tags == expected


@pytest.mark.parametrize(
    "text",
    [
        f"{WORD_LINE}",
        f"{WORD_LINE}\n",
        f"\n\n{WORD_LINE}\n\n\n",
        f"# only a comment\n\n{WORD_LINE}\r\n\r\n",
        f"\ufeff{WORD_LINE}\n",  # byte order mark
    ],
)
def test_read_conllu_blank_line_variants(write_file, text):
    assert read_conllu(write_file(text)) == ([["Hi"]], [["INTJ"]])


def test_gzip_is_recognised_by_content_not_suffix(tmp_path):
    compressed, plain = tmp_path / "plain.conllu", tmp_path / "not-really.gz"
    compressed.write_bytes(gzip.compress(CONLLU.encode()))
    plain.write_text(CONLLU, encoding="utf-8")

    assert read_conllu(compressed) == read_conllu(str(plain)) == (CONLLU_X, CONLLU_UPOS)


def test_read_conllu_keeps_unicode_forms(write_file):
    line = conllu_line("1", "Ça", "cela", "PRON", "_", "_", "0", "root", "_", "_")

    assert read_conllu(write_file(line + "\n")) == ([["Ça"]], [["PRON"]])


@pytest.mark.parametrize(
    "text, match",
    [
        (f"{WORD_LINE}\n2\tx\tx\tX\n",
         r"line 2: expected 10 tab-separated columns .* found 4"),
        ("1 Hi hi INTJ UH _ 0 root _ _\n", r"line 1: .*found 1 \(columns must be "
         r"separated by tabs; read space-separated column files with read_conll\)"),
        (f"# c\n{WORD_LINE.replace('UH', '_')}\n",
         r"line 2: the XPOS column is '_': the file has no XPOS tags.*tag='upos'"),
        (f"{WORD_LINE}\n{WORD_LINE.replace('1', 'one', 1)}\n",
         r"line 2: invalid ID 'one': expected a word index"),
        (f"{WORD_LINE}\n{WORD_LINE.replace('1', '3', 1)}\n",
         r"line 2: word ID '3' is out of sequence, expected '2'"),
        (f"{WORD_LINE}\n{WORD_LINE}\n",
         r"line 2: .*out of sequence.*blank line ending a sentence missing"),
    ],
)
def test_read_conllu_errors_name_file_and_line(write_file, text, match):
    path = write_file(text, "bad.conllu")

    with pytest.raises(ValueError, match=rf"{named(path)}, {match}"):
        read_conllu(path, tag="xpos")


@pytest.mark.parametrize(
    "reader, text",
    [
        (read_conllu, ""),
        (read_conllu, "\n\n"),
        (read_conllu, "# just a comment\n\n"),
        (read_conll, ""),
        (read_conll, "\n \n"),
        (read_conll, "-DOCSTART- -X- -X- O\n\n"),
    ],
)
def test_file_without_sentence_is_an_error(write_file, reader, text):
    path = write_file(text, "empty.txt")

    with pytest.raises(ValueError, match=rf"{named(path)} holds no sentence"):
        reader(path)


def test_invalid_utf8_names_file_and_line(write_file):
    path = write_file("", "latin1.conllu", data=f"{WORD_LINE}\n".encode() + b"\xe9\n")

    with pytest.raises(ValueError, match=rf"{named(path)}, line 2: not valid UTF-8"):
        read_conllu(path)
    with pytest.raises(ValueError, match=rf"{named(path)}, line 2: not valid UTF-8"):
        read_conll(path)


def test_corrupt_gzip_names_file(tmp_path):
    path = tmp_path / "cut.conllu.gz"
    path.write_bytes(gzip.compress(CONLLU.encode())[:-12])

    with pytest.raises(ValueError, match=rf"Could not read {named(path)}.*truncated"):
        read_conllu(path)


@pytest.mark.parametrize("reader", [read_conllu, read_conll])
def test_missing_file_is_named(tmp_path, reader):
    path = tmp_path / "missing.conllu"

    with pytest.raises(FileNotFoundError, match="missing.conllu"):
        reader(path)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda p: read_conllu(p, tag="UPOS"), ValueError,
         r"The 'tag' parameter of read_conllu must be a str among "
         r"\{'upos', 'xpos'\}. Got 'UPOS' instead. Did you mean 'upos'\?"),
        (lambda p: read_conllu(p, tag=3), ValueError, r"'tag' parameter.*Got 3"),
        (lambda p: read_conll(p, scheme="bio"), ValueError,
         r"'scheme' parameter of read_conll must be a str among "
         r"\{'iob1', 'iob2'\} or None. Got 'bio' instead."),
        (lambda p: read_conll(p, tag_column="3"), TypeError,
         r"'tag_column' parameter of read_conll must be an int. Got '3'"),
        (lambda p: read_conll(p, word_column=True), TypeError, r"'word_column'"),
        (lambda p: read_conll(p, separator=""), ValueError,
         r"'separator' parameter of read_conll must be a non-empty str or None"),
        (lambda p: write_tagged(p, [], p, format="conlu"), ValueError,
         r"'format' parameter of write_tagged.*Did you mean 'conllu'\?"),
        (lambda p: write_tagged(p, [], p, format="conllu", column=3), ValueError,
         r"'column' parameter of write_tagged must be a str among"),
        (lambda p: write_tagged(p, [], p, format="conll", column="upos"), TypeError,
         r"'column' parameter of write_tagged must be an int"),
    ],
)
def test_invalid_parameters_are_named(tmp_path, call, error, match):
    path = tmp_path / "a.conllu"
    path.write_text(CONLLU, encoding="utf-8")

    with pytest.raises(error, match=match):
        call(path)


def test_read_conll_skips_docstart_and_reads_columns(write_file):
    path = write_file(CONLL, "train.txt")

    assert read_conll(path) == (CONLL_X, CONLL_IOB1)
    assert read_conll(path, tag_column=2) == (CONLL_X, CONLL_CHUNKS)
    assert read_conll(path, scheme="iob1") == (CONLL_X, CONLL_IOB2)


def test_read_conll_word_column_also_finds_docstart(write_file):
    path = write_file("0 -DOCSTART- O\n\n1 EU I-ORG\n2 rejects O\n\n1 Yes O\n")

    assert read_conll(path, word_column=1, tag_column=2) == (
        [["EU", "rejects"], ["Yes"]], [["I-ORG", "O"], ["O"]]
    )
    # -DOCSTART- is looked for in the word column only.
    assert read_conll(path)[0] == [["0"], ["1", "2"], ["1"]]


def test_read_conll_separator_keeps_spaces_in_tokens(write_file):
    path = write_file("New York\tB-LOC\nis\tO\n\n\n-DOCSTART-\tO\n\nYes\tO", "t.tsv")

    assert read_conll(path, separator="\t") == (
        [["New York", "is"], ["Yes"]], [["B-LOC", "O"], ["O"]]
    )


def test_read_conll_iob2_keeps_valid_tags(write_file):
    path = write_file("Sue B-PER\nLee I-PER\nsaw O\nBo B-PER\nKi B-PER\n")

    assert read_conll(path, scheme="iob2")[1] == [
        ["B-PER", "I-PER", "O", "B-PER", "B-PER"]
    ]


@pytest.mark.parametrize("scheme", ["iob1", "iob2"])
@pytest.mark.parametrize(
    "tag, hint", [("PER", ""), ("B-", ""), ("S-PER", "IOBES or BILOU tags")]
)
def test_read_conll_rejects_tags_outside_the_scheme(write_file, scheme, tag, hint):
    path = write_file(f"-DOCSTART- O\n\nSue O\nLee {tag}\n")

    with pytest.raises(
        ValueError,
        match=rf"{named(path)}, line 4: the tag '{tag}' is not an IOB tag: expected "
        rf"'O', 'B-TYPE' or 'I-TYPE', as scheme='{scheme}' requires.*{hint}",
    ):
        read_conll(path, scheme=scheme)


@pytest.mark.parametrize(
    "options, match",
    [
        ({"tag_column": 3}, r"line 4: the line has 2 columns, too few for "
         r"tag_column=3 \(which needs at least 4\)"),
        ({"tag_column": -3}, r"line 4: .*too few for tag_column=-3 \(.* least 3\)"),
        ({"word_column": 2}, r"line 1: the line has 1 column, too few for "
         r"word_column=2"),
    ],
)
def test_read_conll_too_few_columns(write_file, options, match):
    path = write_file("-DOCSTART-\n\nEU NNP B-NP I-ORG\nrejects O\n", "short.txt")

    with pytest.raises(ValueError, match=rf"{named(path)}, {match}"):
        read_conll(path, **options)


@pytest.mark.parametrize(
    "iob1, iob2",
    [
        (["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"],
         ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "B-ORG"]),
        (["I-PER", "I-LOC", "I-LOC", "B-LOC", "I-LOC"],
         ["B-PER", "B-LOC", "I-LOC", "B-LOC", "I-LOC"]),
        (["O", "B-MISC", "I-MISC", "O", "O", "I-MISC"],
         ["O", "B-MISC", "I-MISC", "O", "O", "B-MISC"]),
        (["I-A-B", "I-A-B", "I-A"], ["B-A-B", "I-A-B", "B-A"]),
        (["O", "O"], ["O", "O"]),
        ([], []),
    ],
)
def test_iob1_to_iob2(iob1, iob2):
    original = list(iob1)

    assert iob1_to_iob2(iob1) == iob2
    assert iob1 == original  # a new list
    assert iob1_to_iob2(iob2) == iob2  # IOB2 is valid IOB1, left as it is


def test_iob1_to_iob2_rejects_non_iob_tags():
    with pytest.raises(ValueError, match=r"tags\[1\] = 'E-PER' is not an IOB tag"):
        iob1_to_iob2(["I-PER", "E-PER"])
    with pytest.raises(TypeError, match="list of one sentence's tags, got the str"):
        iob1_to_iob2("O")


def replace_column(lines, index, tags):
    """The expected output of write_tagged, built by hand from the source lines."""
    flat = iter(tag for sentence in tags for tag in sentence)
    out = []
    for line in lines:
        columns = line.split("\t")
        if len(columns) == 10 and columns[0].isdigit():
            columns[index] = next(flat)
        out.append("\t".join(columns))
    return out


@pytest.mark.parametrize("column, index", [("upos", 3), ("xpos", 4)])
def test_write_tagged_conllu_round_trip(write_file, tmp_path, column, index):
    source = write_file(CONLLU, "test.conllu")
    new_tags = [["T1", "T2", "T3", "T4"], ["T5", "T6", "T7"]]
    output = tmp_path / "predicted.conllu"

    write_tagged(source, new_tags, output, format="conllu", column=column)

    expected = replace_column(CONLLU.split("\n"), index, new_tags)
    assert output.read_text(encoding="utf-8") == "\n".join(expected)
    assert read_conllu(output, tag=column) == (CONLLU_X, new_tags)
    other = "xpos" if column == "upos" else "upos"
    assert read_conllu(output, tag=other)[1] == read_conllu(source, tag=other)[1]


def test_write_tagged_conll_hand_written_output(write_file, tmp_path):
    source = write_file(CONLL.replace("Paris NNP", "Paris\tNNP"), "test.txt")
    output = tmp_path / "out.txt"

    write_tagged(source, CONLL_IOB2, output, format="conll")

    assert output.read_text(encoding="utf-8") == """\
-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER

-DOCSTART- -X- -X- O

Paris\tNNP B-NP B-LOC
"""
    assert read_conll(output) == (CONLL_X, CONLL_IOB2)
    assert read_conll(output, tag_column=2) == (CONLL_X, CONLL_CHUNKS)


def test_write_tagged_conll_column_and_separator(tmp_path):
    source = tmp_path / "t.tsv"
    source.write_bytes(b"New York\tNNP\tO\r\nis\tVBZ\tO\r\n\r\nok\tJJ\tO")
    output = tmp_path / "out.tsv"

    write_tagged(source, [["X", "Y"], ["Z"]], output, format="conll", column=1,
                 separator="\t")

    assert output.read_bytes() == b"New York\tX\tO\r\nis\tY\tO\r\n\r\nok\tZ\tO"


def test_write_tagged_replaces_source_in_place(tmp_path):
    path = tmp_path / "a.conllu"
    path.write_text(CONLLU, encoding="utf-8")

    write_tagged(path, CONLLU_XPOS, path, format="conllu")

    assert read_conllu(path) == (CONLLU_X, CONLLU_XPOS)
    assert os.listdir(tmp_path) == ["a.conllu"]


def test_write_tagged_to_stdout(tmp_path, capsys):
    source = tmp_path / "s.txt"
    source.write_text("a O\nb O\n", encoding="utf-8")

    write_tagged(source, [["B-X", "I-X"]], "-", format="conll")

    assert capsys.readouterr().out == "a B-X\nb I-X\n"


@pytest.mark.parametrize(
    "tags, error, match",
    [
        ([["A"] * 4], ValueError,
         r"tags has 1 sentences, but '.*test.conllu' has 2\."),
        ([["A"] * 4, ["A"] * 3, ["A"]], ValueError, r"tags has 3 sentences"),
        ([["A"] * 4, ["A"] * 2], ValueError,
         r"tags\[1\] has 2 tags, but sentence 1 of '.*test.conllu' has 3 tokens\."),
        ([["A"] * 4, ["A", "B C", "A"]], ValueError,
         r"tags\[1\]\[1\] = 'B C' cannot be written: a tag must be a non-empty str"),
        ([["A"] * 4, ["A", "", "A"]], ValueError, r"tags\[1\]\[1\] = ''"),
        ([["A"] * 4, ["A", 3, "A"]], ValueError, r"tags\[1\]\[1\] = 3"),
        (["AAAA", "AAA"], TypeError, "tags must be a list of tag lists"),
    ],
)
def test_write_tagged_mismatch_writes_nothing(tmp_path, tags, error, match):
    source, output = tmp_path / "test.conllu", tmp_path / "out.conllu"
    source.write_text(CONLLU, encoding="utf-8")

    with pytest.raises(error, match=match):
        write_tagged(source, tags, output, format="conllu")

    assert os.listdir(tmp_path) == ["test.conllu"]


def test_write_tagged_mismatch_keeps_existing_destination(tmp_path):
    source, output = tmp_path / "test.txt", tmp_path / "out.txt"
    source.write_text(CONLL, encoding="utf-8")
    output.write_text("previous results\n", encoding="utf-8")

    with pytest.raises(ValueError, match=r"tags\[2\] has 2 tags, but sentence 2"):
        write_tagged(source, CONLL_IOB2[:2] + [["O", "O"]], output, format="conll")

    assert output.read_text(encoding="utf-8") == "previous results\n"
    assert sorted(os.listdir(tmp_path)) == ["out.txt", "test.txt"]


def test_write_tagged_reports_malformed_source(tmp_path):
    source = tmp_path / "s.txt"
    source.write_text("EU B-ORG\nrejects\n", encoding="utf-8")

    match = rf"{named(source)}, line 2: .*too few for column=1"
    with pytest.raises(ValueError, match=match):
        write_tagged(source, [["O", "O"]], tmp_path / "o.txt", format="conll", column=1)
    assert os.listdir(tmp_path) == ["s.txt"]


def test_write_tagged_missing_directory(tmp_path):
    source = tmp_path / "s.txt"
    source.write_text("a O\n", encoding="utf-8")

    with pytest.raises(FileNotFoundError, match="the directory .*nowhere.* not exist"):
        write_tagged(source, [["O"]], tmp_path / "nowhere" / "o.txt", format="conll")


@pytest.fixture
def umask():
    """Set a umask for one test and restore the previous one."""
    previous = os.umask(0o022)
    yield os.umask
    os.umask(previous)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_write_tagged_new_file_mode_follows_umask(tmp_path, umask, mask, mode):
    source, output = tmp_path / "s.txt", tmp_path / "o.txt"
    source.write_text("a O\n", encoding="utf-8")
    umask(mask)

    write_tagged(source, [["O"]], output, format="conll")

    assert stat.S_IMODE(output.stat().st_mode) == mode


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_write_tagged_keeps_mode_of_replaced_file(tmp_path, umask):
    source, output = tmp_path / "s.txt", tmp_path / "o.txt"
    source.write_text("a O\n", encoding="utf-8")
    output.write_text("old\n", encoding="utf-8")
    output.chmod(0o640)

    write_tagged(source, [["B-X"]], output, format="conll")

    assert output.read_text(encoding="utf-8") == "a B-X\n"
    assert stat.S_IMODE(output.stat().st_mode) == 0o640
