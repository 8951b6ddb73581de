"""Tagged-sentence files as a hostile user writes them: every malformed file is
refused naming the file and line, never read in part or as something else."""

import gzip
import os
import re

import pytest

from sklearn_rnn.datasets import (
    _conll_io,
    fetch_imdb,
    iob1_to_iob2,
    read_conll,
    read_conllu,
    write_tagged,
)
from sklearn_rnn.utils import _files


def named(path):
    return re.escape(repr(str(path)))


def word_line(word_id, form="w", upos="X", xpos="XX"):
    return "\t".join([word_id, form, form, upos, xpos, "_", "0", "root", "_", "_"])


def write(tmp_path, content, name="data.txt"):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# -- what a path may be ------------------------------------------------------------


@pytest.mark.parametrize("reader", [read_conllu, read_conll])
@pytest.mark.parametrize("path", [None, 0, 3.5, ["a.txt"]])
def test_path_that_is_no_path_is_a_type_error(reader, path):
    # an int would be opened as a file descriptor (0 reads standard input)
    with pytest.raises(TypeError, match=rf"The 'path' parameter of {reader.__name__} "
                                        rf"must be a str or path-like.*Got "
                                        rf"{re.escape(repr(path))}"):
        reader(path)


@pytest.mark.parametrize("reader", [read_conllu, read_conll])
def test_directory_is_named(tmp_path, reader):
    with pytest.raises(IsADirectoryError, match=rf"{named(tmp_path)} is a directory"):
        reader(tmp_path)


# -- line endings and characters ---------------------------------------------------


@pytest.mark.parametrize("reader, text", [
    (read_conll, "a O\rb O\r"),  # old Mac line endings: one line of 4 fields
    (read_conll, "a O\nb\r O\n"),
    (read_conllu, f"{word_line('1')}\r{word_line('2')}\r"),
])
def test_carriage_return_inside_a_line_is_refused(tmp_path, reader, text):
    path = write(tmp_path, text)

    with pytest.raises(ValueError, match=rf"{named(path)}, line \d: .*carriage "
                                         r"return"):
        reader(path)


def test_crlf_and_bom_are_read(tmp_path):
    path = write(tmp_path, "\ufeffa B-X\r\nb O\r\n\r\nc O\r\n")

    assert read_conll(path) == ([["a", "b"], ["c"]], [["B-X", "O"], ["O"]])


def test_non_ascii_whitespace_stays_inside_a_token(tmp_path):
    # a no-break space is part of the token "100 000", not a column separator
    path = write(tmp_path, "100\xa0000 CD O\nkm NN O\n")

    assert read_conll(path, tag_column=1) == ([["100\xa0000", "km"]], [["CD", "NN"]])


def test_latin1_bytes_name_the_line(tmp_path):
    path = write(tmp_path, b"a O\ncaf\xe9 O\n")

    with pytest.raises(ValueError, match=rf"{named(path)}, line 2: not valid UTF-8"):
        read_conll(path)


def test_huge_line_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(_conll_io, "_MAX_LINE_BYTES", 64)
    path = write(tmp_path, "a O\n" + "x" * 200 + " O\n")

    with pytest.raises(ValueError, match=rf"{named(path)}, line 2: longer than 64 "
                                         "bytes"):
        read_conll(path)


def test_line_of_exactly_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(_conll_io, "_MAX_LINE_BYTES", 7)
    path = write(tmp_path, "abcd O\n" + "ab O")  # 7 bytes with its newline, then 4

    assert read_conll(path) == ([["abcd", "ab"]], [["O", "O"]])


# -- gzip --------------------------------------------------------------------------


@pytest.mark.parametrize("cut", [3, 20, -9, -1])
def test_gzip_cut_anywhere_is_refused(tmp_path, cut):
    text = "".join(f"w{i} O\n" + "\n" * (i % 3 == 0) for i in range(400))
    path = write(tmp_path, gzip.compress(text.encode())[:cut], "cut.txt.gz")

    with pytest.raises(ValueError, match=rf"Could not read {named(path)}.*truncated"):
        read_conll(path)


def test_gzip_suffix_on_a_plain_file_is_read_as_plain(tmp_path):
    path = write(tmp_path, "a O\n", "plain.txt.gz")

    assert read_conll(path) == ([["a"]], [["O"]])


# -- column files ------------------------------------------------------------------


@pytest.mark.parametrize("text, column, line", [
    ("a\tO\nb\t\n", "tag_column=-1", 2),
    ("a\tO\n\tO\n", "word_column=0", 2),
])
def test_empty_word_or_tag_field_is_refused(tmp_path, text, column, line):
    path = write(tmp_path, text)

    with pytest.raises(ValueError, match=rf"{named(path)}, line {line}: the field of "
                                         rf"{column} is empty"):
        read_conll(path, separator="\t")


def test_lines_of_one_sentence_must_have_the_same_columns(tmp_path):
    # the second line lacks its part-of-speech column: its "tag" in column 1
    # would be a chunk tag
    path = write(tmp_path, "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\n"
                           "rejects B-VP O\n")

    with pytest.raises(ValueError, match=rf"{named(path)}, line 4: the line has 3 "
                                         r"columns but line 3 of its sentence has 4"):
        read_conll(path, tag_column=1)
    with pytest.raises(ValueError, match=r"line 4: the line has 3 columns"):
        write_tagged(path, [["X", "Y"]], tmp_path / "o.txt", format="conll")


def test_sentences_may_differ_in_their_columns(tmp_path):
    # CoNLL-2012 files have one argument column per predicate of the sentence
    path = write(tmp_path, "a X O\nb Y O\n\nc X Z O\n")

    assert read_conll(path) == ([["a", "b"], ["c"]], [["O", "O"], ["O"]])


@pytest.mark.parametrize("tags, previous", [
    ("O I-PER", "'O'"),
    ("B-LOC I-PER", "'B-LOC'"),
    ("I-PER O", None),  # the sentence's first tag
])
def test_iob2_refuses_an_entity_that_starts_with_i(tmp_path, tags, previous):
    words = [f"w{i} {tag}" for i, tag in enumerate(tags.split())]
    path = write(tmp_path, "\n".join(words) + "\n")
    where = f"follows {previous}" if previous else "starts the sentence"
    line = 1 if previous is None else 2

    with pytest.raises(ValueError, match=rf"{named(path)}, line {line}: the tag "
                                         rf"'I-PER' {where}.*scheme='iob1'"):
        read_conll(path, scheme="iob2")
    assert read_conll(path, scheme="iob1")[1] == [
        [tag.replace("I-", "B-", 1) if i == line - 1 else tag
         for i, tag in enumerate(tags.split())]]


@pytest.mark.parametrize("tag", ["B-", "I-", "X-PER", "i-per", "-PER", "O-PER", "BPER"])
def test_iob1_refuses_malformed_tags(tmp_path, tag):
    path = write(tmp_path, f"a O\nb {tag}\n")

    with pytest.raises(ValueError, match=rf"line 2: the tag {re.escape(repr(tag))} "
                                         "is not an IOB tag"):
        read_conll(path, scheme="iob1")


@pytest.mark.parametrize("tags", [None, 5, 3.5])
def test_iob1_to_iob2_refuses_what_is_no_tag_list(tags):
    with pytest.raises(TypeError, match=r"tags must be the list of one sentence's "
                                        rf"tags, got {tags!r}"):
        iob1_to_iob2(tags)


# -- CoNLL-U -----------------------------------------------------------------------


@pytest.mark.parametrize("n_columns", [9, 11])
def test_conllu_with_9_or_11_columns(tmp_path, n_columns):
    columns = word_line("1").split("\t")
    line = "\t".join((columns + ["_"])[:n_columns])
    path = write(tmp_path, line + "\n")

    with pytest.raises(ValueError, match=rf"{named(path)}, line 1: expected 10 "
                                         rf"tab-separated columns .*found {n_columns}"):
        read_conllu(path)


@pytest.mark.parametrize("field, index", [("FORM", 1), ("UPOS", 3), ("MISC", 9)])
def test_conllu_empty_field_is_refused(tmp_path, field, index):
    columns = word_line("2").split("\t")
    columns[index] = ""
    path = write(tmp_path, f"{word_line('1')}\n" + "\t".join(columns) + "\n")

    with pytest.raises(ValueError, match=rf"{named(path)}, line 2: the {field} "
                                         r"column is empty \(CoNLL-U writes '_'"):
        read_conllu(path)


@pytest.mark.parametrize("token_id, message", [
    ("3-1", r"the multiword token range '3-1' must end after it starts"),
    ("2-3", r"the multiword token '2-3' must start at the next word, '1'"),
    ("1.1", r"the empty node '1.1' is out of place: an empty node here must be "
            r"numbered 0\.N"),
])
def test_conllu_misplaced_multiword_token_or_empty_node(tmp_path, token_id, message):
    other = "\t".join([token_id] + ["_"] * 9)
    path = write(tmp_path, f"# sent\n{other}\n{word_line('1')}\n{word_line('2')}\n")

    with pytest.raises(ValueError, match=rf"{named(path)}, line 2: {message}"):
        read_conllu(path)


def test_conllu_valid_multiword_token_and_empty_nodes(tmp_path):
    lines = ["\t".join(["0.1"] + ["_"] * 9), "\t".join(["1-2"] + ["_"] * 9),
             word_line("1", "a"), word_line("2", "b"),
             "\t".join(["2.1"] + ["_"] * 9), "\t".join(["2.2"] + ["_"] * 9),
             word_line("3", "c")]
    path = write(tmp_path, "\n".join(lines) + "\n")

    assert read_conllu(path)[0] == [["a", "b", "c"]]


def test_conllu_last_sentence_without_blank_line(tmp_path):
    path = write(tmp_path, f"{word_line('1', 'a')}\n\n{word_line('1', 'b')}")

    assert read_conllu(path) == ([["a"], ["b"]], [["X"], ["X"]])


@pytest.mark.parametrize("text", ["", "# only\n# comments\n", "\n\n\n"])
def test_conllu_without_words(tmp_path, text):
    path = write(tmp_path, text)

    with pytest.raises(ValueError, match=rf"{named(path)} holds no sentence"):
        read_conllu(path)


# -- write_tagged ------------------------------------------------------------------


@pytest.fixture
def source(tmp_path):
    return write(tmp_path, "a O\nb O\n\nc O\n", "source.txt")


@pytest.mark.parametrize("tags, error, match", [
    (None, TypeError, r"tags must be a list of tag lists, one per sentence; got "
                      r"None"),
    (5, TypeError, r"tags must be a list of tag lists.*got 5"),
    ([["O", "O"], None], TypeError, r"tags\[1\] must be the list of sentence 1's "
                                    r"tags; got None"),
    ([["O", "O"], 7], TypeError, r"tags\[1\] must be the list .*got 7"),
    ([["O", "O"]], ValueError, r"tags has 1 sentences, but .*source.txt' has 2"),
    ([["O"], ["O"]], ValueError, r"tags\[0\] has 1 tags, but sentence 0"),
])
def test_write_tagged_bad_tags_write_nothing(tmp_path, source, tags, error, match):
    with pytest.raises(error, match=match):
        write_tagged(source, tags, tmp_path / "out.txt", format="conll")

    assert os.listdir(tmp_path) == ["source.txt"]


def test_write_tagged_refuses_a_tag_holding_the_separator(tmp_path):
    source = write(tmp_path, "a|O\n", "s.txt")

    with pytest.raises(ValueError, match=r"tags\[0\]\[0\] = 'X\|Y' cannot be written"
                                         r".*separator '\|'"):
        write_tagged(source, [["X|Y"]], tmp_path / "o.txt", format="conll",
                     separator="|")


@pytest.mark.parametrize("name", ["source", "destination"])
@pytest.mark.parametrize("value", [None, 3])
def test_write_tagged_paths_must_be_paths(source, tmp_path, name, value):
    paths = {"source": source, "destination": tmp_path / "o.txt", name: value}

    with pytest.raises(TypeError, match=rf"The {name!r} parameter of write_tagged "
                                        rf"must be a str or path-like.*Got {value!r}"):
        write_tagged(paths["source"], [["O", "O"], ["O"]], paths["destination"],
                     format="conll")


def test_write_tagged_destination_that_is_a_directory(tmp_path, source):
    folder = tmp_path / "folder"
    folder.mkdir()

    with pytest.raises(IsADirectoryError, match=rf"Cannot write {named(folder)}: it "
                                                "is a directory"):
        write_tagged(source, [["O", "O"], ["O"]], folder, format="conll")
    assert sorted(os.listdir(tmp_path)) == ["folder", "source.txt"]
    assert os.listdir(folder) == []


def test_write_tagged_read_only_directory_names_the_destination(
        tmp_path, source, monkeypatch):
    destination = tmp_path / "o.txt"

    real_open = _files.os.open

    def refuse(path, *args):  # what os.open raises in a folder without write access
        if str(path).endswith(".tmp"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args)

    monkeypatch.setattr(_files.os, "open", refuse)

    with pytest.raises(PermissionError, match=rf"Cannot write {named(destination)}: "
                                              r"no permission to create a file in "):
        write_tagged(source, [["O", "O"], ["O"]], destination, format="conll")


# -- fetch_imdb's folders ---------------------------------------------------------


@pytest.mark.parametrize("where", ["data_home", "imdb"])
def test_fetch_imdb_folder_that_is_a_file(tmp_path, where):
    data_home = tmp_path / "data"
    blocker = data_home if where == "data_home" else data_home / "imdb"
    blocker.parent.mkdir(exist_ok=True)
    blocker.write_text("not a folder")

    with pytest.raises(NotADirectoryError, match=rf"{named(blocker)} is a file, not a "
                                                 "folder: fetch_imdb keeps"):
        fetch_imdb(data_home=data_home, download_if_missing=False)
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("reader", [read_conll, read_conllu])
def test_utf16_without_byte_order_mark_is_refused(tmp_path, reader):
    # ASCII text in UTF-16 is valid UTF-8 with a NUL after every character
    path = write(tmp_path, f"{word_line('1')}\n".encode("utf-16-le"))

    with pytest.raises(ValueError, match=rf"{named(path)}, line 1: the line holds a "
                                         r"NUL character.*UTF-16"):
        reader(path)
