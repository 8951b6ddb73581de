"""``sklearn-rnn train/predict/evaluate --task tagging``: an RNNTagger on CoNLL files.

The taggers are tiny (8 units, a few epochs on 24 three-word sentences) and
trained once per module, one on CoNLL-U part-of-speech tags, one on CoNLL-2003
entity tags in IOB1.
"""

import contextlib
import io
import itertools
import sys

import pandas as pd
import pytest

from sklearn_rnn import RNNTagger, RNNTextClassifier, load
from sklearn_rnn.cli import build_parser, main
from sklearn_rnn.datasets import read_conll, read_conllu
from sklearn_rnn.metrics import entity_f1_score, token_accuracy_score

TINY = ["--units", "8", "--embedding-dim", "8", "--char-dim", "4", "--char-filters",
        "4", "--n-threads", "1", "--random-state", "0"]
# --num-layers 1 is the classifier's default but not the tagger's (2): given, it
# must reach the tagger all the same.
LEARN = [*TINY, "--num-layers", "1", "--max-epochs", "15", "--lr", "0.05",
         "--no-early-stopping"]

DETERMINERS, NOUNS, VERBS = ["the", "a"], ["dog", "cat", "bird"], ["runs", "eats"]
POS_SENTENCES = [[DETERMINERS[i % 2], NOUNS[i % 3], VERBS[i % 2]] for i in range(24)]
NAMES, PLACES = ["Peter", "Anna", "Jim"], ["Paris", "Rome"]
NER_SENTENCES = [[NAMES[i % 3], "visits", PLACES[i % 2]] for i in range(24)]
NER_IOB1 = [["I-PER", "O", "I-LOC"]] * 24
NER_IOB2 = [["B-PER", "O", "B-LOC"]] * 24

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def conllu_text(sentences):
    lines = []
    for i, words in enumerate(sentences):
        lines.append(f"# sent_id = {i}")
        for j, word in enumerate(words):
            tag = "DET" if word in DETERMINERS else "VERB" if word in VERBS \
                else "NOUN"
            lines.append("\t".join([str(j + 1), word, word.lower(), tag, "_", "_",
                                    "0", "root", "_", "_"]))
        lines.append("")
    return "\n".join(lines) + "\n"


def conll_text(sentences, tags):
    lines = ["-DOCSTART- -X- O", ""]
    for words, sentence_tags in zip(sentences, tags, strict=True):
        lines += [f"{word} NNP {tag}" for word, tag in zip(words, sentence_tags,
                                                           strict=True)]
        lines.append("")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tagged")
    (folder / "pos.conllu").write_text(conllu_text(POS_SENTENCES), encoding="utf-8")
    (folder / "ner.txt").write_text(conll_text(NER_SENTENCES, NER_IOB1),
                                    encoding="utf-8")
    (folder / "words.txt").write_text("Peter\nvisits\nRome\n", encoding="utf-8")
    (folder / "broken.conllu").write_text("1\tHi\thi\tINTJ\n", encoding="utf-8")
    pd.DataFrame({"text": ["a dog", "a cat"]}).to_csv(folder / "texts.csv",
                                                      index=False)
    return folder


def run(capsys, *argv):
    """(exit status, stdout, stderr) of ``sklearn-rnn argv``."""
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def trained(data):
    """The POS tagger's path and the stdout and stderr of its training."""
    path = data / "pos.safetensors"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["train", "--task", "tagging", "--data",
                       str(data / "pos.conllu"), "--out", str(path),
                       "--validation-split", "0.2", *LEARN])
    assert status == 0, err.getvalue()
    return path, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def pos_model(trained):
    return trained[0]


@pytest.fixture(scope="module")
def ner_model(data):
    path = data / "ner.safetensors"
    assert main(["train", "-q", "--task", "tagging", "--data", str(data / "ner.txt"),
                 "--scheme", "iob1", "--crf", "--validation-split", "none",
                 "--out", str(path), *LEARN]) == 0
    return path


@pytest.fixture(scope="module")
def classifier_model(data):
    path = data / "classifier.safetensors"
    assert main(["train", "-q", "--data", str(data / "texts.csv"), "--label-column",
                 "text", "--out", str(path), "--units", "4", "--embedding-dim", "4",
                 "--max-epochs", "1", "--validation-split", "none",
                 "--n-threads", "1"]) == 0
    return path


# --- train, predict, evaluate -----------------------------------------------------

def test_train_saves_a_tagger_with_the_options_given_and_its_own_defaults(trained):
    path, out, err = trained
    tagger = load(path)
    assert isinstance(tagger, RNNTagger)
    assert (tagger.units, tagger.char_filters, tagger.num_layers) == (8, 4, 1)
    # options not given take RNNTagger's defaults, not the classifier's
    assert (tagger.dropout, tagger.patience) == (RNNTagger().dropout,
                                                 RNNTagger().patience)
    assert tagger.patience != RNNTextClassifier().patience
    assert tagger.n_epochs_ == 15
    assert "Bidirectional(LSTM)" in out and "Total params" in out
    valid = tagger.history_[tagger.best_epoch_ - 1]["valid_acc"]
    assert "training on 24 sentences (72 tokens, 3 tags)" in err
    assert f"(validation accuracy {valid:.4f})" in err


def test_predict_writes_the_conllu_file_with_the_predicted_tags(pos_model, data,
                                                                capsys, tmp_path):
    out = tmp_path / "predicted.conllu"
    status, stdout, err = run(capsys, "predict", "--task", "tagging", "--model",
                              pos_model, "--data", data / "pos.conllu", "--out", out)
    assert status == 0, err
    assert stdout == "" and "wrote the tags of 24 sentences" in err
    X, tags = read_conllu(out)
    assert X == POS_SENTENCES
    assert [len(t) for t in tags] == [3] * 24
    assert tags == load(pos_model).predict(POS_SENTENCES)
    # every other column and line is copied
    source = (data / "pos.conllu").read_text().splitlines()
    written = out.read_text().splitlines()
    assert [line.split("\t")[:3] + line.split("\t")[4:] for line in written] == \
        [line.split("\t")[:3] + line.split("\t")[4:] for line in source]


@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_a_tagger_model_needs_no_task_option(command, pos_model, data, capsys):
    status, out, err = run(capsys, command, "--model", pos_model,
                           "--data", data / "pos.conllu")
    assert status == 0, err
    with_task = run(capsys, command, "--task", "tagging", "--model", pos_model,
                    "--data", data / "pos.conllu")
    assert with_task[0] == 0 and with_task[1] == out
    assert ("token accuracy" if command == "evaluate" else "\tDET\t") in out


def test_predict_into_xpos_and_to_standard_output(pos_model, data, capsys):
    status, stdout, err = run(capsys, "predict", "--task", "tagging", "--model",
                              pos_model, "--data", data / "pos.conllu",
                              "--tag-column", "xpos", "--out", "-")
    assert status == 0, err
    predicted = load(pos_model).predict(POS_SENTENCES)
    word_lines = [line.split("\t") for line in stdout.splitlines()
                  if line and not line.startswith("#")]
    assert [cols[4] for cols in word_lines] == [t for tags in predicted for t in tags]
    assert {cols[3] for cols in word_lines} == {"DET", "NOUN", "VERB"}  # kept


def test_evaluate_prints_the_models_token_accuracy(pos_model, data, capsys):
    status, out, err = run(capsys, "evaluate", "--task", "tagging", "--model",
                           pos_model, "--data", data / "pos.conllu")
    assert status == 0, err
    X, y = read_conllu(data / "pos.conllu")
    accuracy = load(pos_model).score(X, y)
    assert accuracy > 0.5  # it learned something: a third is chance
    assert out.startswith(f"token accuracy: {accuracy:.4f} (72 tokens in 24 "
                          "sentences)\n")
    assert "unknown words:  none" in out
    assert "NOUN" in out and "f1-score" in out  # the per-tag report


def test_evaluate_scores_unknown_words_apart(pos_model, capsys, tmp_path):
    sentences = [["the", "dog", "runs"], ["a", "zebra", "eats"]]
    path = tmp_path / "new.conllu"
    path.write_text(conllu_text(sentences), encoding="utf-8")
    status, out, _ = run(capsys, "evaluate", "--task", "tagging", "--model",
                         pos_model, "--data", path)
    assert status == 0
    correct = load(pos_model).predict(sentences)[1][1] == "NOUN"
    assert f"unknown words:  {float(correct):.4f} (1 token not in the model's " \
        "vocabulary)" in out


def test_bio_tags_get_the_entity_report(ner_model, data, capsys):
    status, out, err = run(capsys, "evaluate", "--task", "tagging", "--model",
                           ner_model, "--data", data / "ner.txt", "--scheme", "iob1")
    assert status == 0, err
    predicted = load(ner_model).predict(NER_SENTENCES)
    f1 = entity_f1_score(NER_IOB2, predicted)
    accuracy = token_accuracy_score(NER_IOB2, predicted)
    assert f1 > 0.5
    assert out.startswith(f"token accuracy: {accuracy:.4f} (72 tokens")
    assert f"entity F1: {f1:.4f} (precision " in out and "48 entities)" in out
    assert "PER" in out and "LOC" in out and "micro avg" in out


def test_entity_report_without_seqeval_is_a_note(ner_model, data, capsys,
                                                 monkeypatch):
    monkeypatch.setitem(sys.modules, "seqeval", None)  # import seqeval fails
    status, out, err = run(capsys, "evaluate", "--task", "tagging", "--model",
                           ner_model, "--data", data / "ner.txt", "--scheme", "iob1")
    assert status == 0
    assert out.startswith("token accuracy: ") and "entity F1" not in out
    assert "need seqeval: pip install seqeval" in err


def test_predict_a_column_file_writes_the_last_column(ner_model, data, capsys,
                                                      tmp_path):
    out = tmp_path / "ner.out"
    status, _, err = run(capsys, "predict", "--task", "tagging", "--model",
                         ner_model, "--data", data / "ner.txt", "--out", out)
    assert status == 0, err
    X, tags = read_conll(out)
    assert X == NER_SENTENCES and tags == load(ner_model).predict(NER_SENTENCES)
    assert out.read_text().startswith("-DOCSTART- -X- O\n\nPeter NNP ")


# --- errors -----------------------------------------------------------------------

ERRORS = {
    "classifier given to --task tagging": (
        lambda d, tagger, clf: ["predict", "--task", "tagging", "--model", clf,
                                "--data", d / "pos.conllu"],
        ["argument --model:", "holds a Pipeline; this command needs an RNNTagger"]),
    "classifier given with the wrong task": (
        lambda d, tagger, clf: ["evaluate", "--task", "regression", "--model", clf,
                                "--data", d / "texts.csv"],
        ["argument --task:", "holds a model for --task classification, not "
         "regression"]),
    "conllu file without --task tagging": (
        lambda d, tagger, clf: ["predict", "--model", clf, "--data",
                                d / "pos.conllu"],
        ["argument --data:", "is a CoNLL-U file; pass --task tagging"]),
    "conll format without --task tagging": (
        lambda d, tagger, clf: ["predict", "--model", clf, "--data", d / "ner.txt",
                                "--data-format", "conll"],
        ["argument --data-format: 'conll' is only for --task tagging"]),
    "malformed CoNLL-U file": (
        lambda d, tagger, clf: ["evaluate", "--task", "tagging", "--model", tagger,
                                "--data", d / "broken.conllu"],
        ["argument --data:", "broken.conllu', line 1: expected 10 tab-separated "
         "columns"]),
    "tags that are not IOB": (
        lambda d, tagger, clf: ["train", "--task", "tagging", "--data",
                                d / "ner.txt", "--tag-column", "1", "--scheme",
                                "iob2", "--out", d / "x.safetensors"],
        ["argument --data:", "the tag 'NNP' is not an IOB tag"]),
    "no tag of the model": (
        lambda d, tagger, clf: ["evaluate", "--task", "tagging", "--model", tagger,
                                "--data", d / "ner.txt"],
        ["argument --tag-column: no tag of --data ('I-PER', 'O', 'I-LOC') is a tag "
         "of the model ('DET', 'NOUN', 'VERB')"]),
    "tagger option without --task tagging": (
        lambda d, tagger, clf: ["train", "--data", d / "texts.csv", "--out",
                                d / "x.safetensors", "--crf"],
        ["argument --crf: not an option of --task classification"]),
    "tagging option without --task tagging": (
        lambda d, tagger, clf: ["predict", "--model", clf, "--data",
                                d / "texts.csv", "--tag-column", "xpos"],
        ["argument --tag-column: only an option of --task tagging"]),
    "text option with --task tagging": (
        lambda d, tagger, clf: ["train", "--task", "tagging", "--data",
                                d / "pos.conllu", "--out", d / "x.safetensors",
                                "--maxlen", "8"],
        ["argument --maxlen: not an option of --task tagging (RNNTagger)"]),
    "column number for CoNLL-U": (
        lambda d, tagger, clf: ["evaluate", "--task", "tagging", "--model", tagger,
                                "--data", d / "pos.conllu", "--tag-column", "4"],
        ["argument --tag-column: the tag column of a CoNLL-U file is upos or xpos, "
         "got '4'"]),
    "misspelled CoNLL-U column": (
        lambda d, tagger, clf: ["evaluate", "--task", "tagging", "--model", tagger,
                                "--data", d / "pos.conllu", "--tag-column", "upso"],
        ["got 'upso'. Did you mean 'upos'?"]),
    "CoNLL-U column for a column file": (
        lambda d, tagger, clf: ["evaluate", "--task", "tagging", "--model", tagger,
                                "--data", d / "ner.txt", "--tag-column", "upos"],
        ["argument --tag-column: the tag column of a column file is a number"]),
    "scheme for CoNLL-U": (
        lambda d, tagger, clf: ["evaluate", "--task", "tagging", "--model", tagger,
                                "--data", d / "pos.conllu", "--scheme", "iob2"],
        ["argument --scheme: only for column files"]),
    "table format with --task tagging": (
        lambda d, tagger, clf: ["evaluate", "--task", "tagging", "--model", tagger,
                                "--data", d / "pos.conllu", "--data-format", "csv"],
        ["argument --data-format: --task tagging reads conllu or conll, not 'csv'"]),
    "predicting into the word column": (
        lambda d, tagger, clf: ["predict", "--task", "tagging", "--model", tagger,
                                "--data", d / "words.txt"],
        ["argument --tag-column:", "the tag column -1 is the word column"]),
}


@pytest.mark.parametrize("case", ERRORS)
def test_usage_errors_are_one_line_with_status_2(case, data, pos_model,
                                                 classifier_model, capsys):
    make_argv, expected = ERRORS[case]
    status, out, err = run(capsys, *make_argv(data, pos_model, classifier_model))
    assert status == 2, err
    assert out == "" and "Traceback" not in err
    error = err.splitlines()[-1]
    assert err.count("sklearn-rnn: error:") == 1
    assert error.startswith("sklearn-rnn: error: ")
    for piece in expected:
        assert piece in error


# --- help -------------------------------------------------------------------------

def tagging_examples(text):
    return text.split("tagging (--task tagging):\n", 1)[1]


@pytest.mark.parametrize("command", ["train", "predict", "evaluate"])
def test_help_shows_tagging_options_and_examples(command, capsys):
    status, out, _ = run(capsys, command, "--help")
    assert status == 0
    assert "--tag-column" in out and "tagging" in out
    examples = tagging_examples(out)
    assert f"sklearn-rnn {command} --task tagging" in examples
    if command == "train":
        assert "--crf, --no-crf" in out and "--char-dim" in out
        assert "--units 128" in out  # the tagger's default, listed


def test_examples_continue_their_lines():
    """Every example line that ends in a backslash goes on, indented, and no
    example holds two commands joined by a lost line break."""
    parser = build_parser()
    texts = [parser.epilog] + [tagging_examples(parser.subcommands[c].epilog)
                               for c in ("train", "predict", "evaluate")]
    for text in texts:
        lines = text.splitlines()
        for line, following in itertools.pairwise(lines):
            assert "   --" not in line.strip(), line
            if line.endswith("\\"):
                assert line.endswith(" \\") and following.startswith("      "), line
