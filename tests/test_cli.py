"""The sklearn-rnn command line, run in-process through ``main``.

Models are tiny (4 units, a few epochs on 40 short texts) and trained once per
module; every error case checks the exit status 2 and the one-line message.
"""

import csv
import io
import itertools
import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sklearn_rnn import RNNTextClassifier, load
from sklearn_rnn.baselines import make_tfidf_classifier
from sklearn_rnn.cli import _parse, build_parser, main
from tests._data import CLI_REVIEWS as TEXTS
from tests._data import NEGATIVE, POSITIVE

LABELS = ["pos", "neg"] * 20
TINY = ["--units", "4", "--embedding-dim", "4", "--batch-size", "8", "--maxlen", "8",
        "--random-state", "0"]
LEARN = [*TINY, "--max-epochs", "20", "--lr", "0.05", "--validation-split", "none",
         "--no-early-stopping"]
SHAKESPEARE = "to be or not to be, that is the question. " * 40
TINY_LM = ["--units", "8", "--num-layers", "1", "--embedding-dim", "8",
           "--seq-length", "16", "--max-epochs", "2", "--random-state", "0"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Generated options that the command line deliberately lacks
NOT_OPTIONS = {"verbose", "callbacks", "embeddings", "warm_start", "pretrain"}


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    frame = pd.DataFrame({"review": TEXTS, "sentiment": LABELS})
    frame.to_csv(folder / "reviews.csv", index=False)
    frame.to_csv(folder / "reviews.tsv", sep="\t", index=False)
    (folder / "play.txt").write_text(SHAKESPEARE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def model_path(data):
    path = data / "model.safetensors"
    assert main(["train", "--data", str(data / "reviews.csv"), "--text-column",
                 "review", "--label-column", "sentiment", "--out", str(path),
                 *LEARN]) == 0
    return path


@pytest.fixture(scope="module")
def lm_path(data):
    path = data / "lm.safetensors"
    assert main(["fit-lm", "--text", str(data / "play.txt"), "--out", str(path),
                 *TINY_LM]) == 0
    return path


def run(capsys, *argv):
    """(exit status, stdout, stderr) of ``sklearn-rnn argv``."""
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def predictions(capsys, model_path, csv_path, *extra):
    status, out, err = run(capsys, "predict", "--model", model_path, "--data",
                           csv_path, "--text-column", "review", *extra)
    assert status == 0, err
    return pd.read_csv(io.StringIO(out))


# --- train, predict, evaluate, compare ---------------------------------------

def test_train_prints_summary_and_saves_a_loadable_pipeline(data, capsys, tmp_path):
    out = tmp_path / "gru.safetensors"
    status, stdout, stderr = run(
        capsys, "train", "--data", data / "reviews.tsv", "--text-column", "review",
        "--label-column", "sentiment", "--out", out, *TINY, "--max-epochs", "1",
        "--cell-type", "gru", "--no-bidirectional", "--max-features", "30")
    assert status == 0, stderr
    assert "Total params" in stdout and "GRU" in stdout
    assert f"saved the model to {str(out)!r}" in stderr
    model = load(out)
    assert model[-1].get_params()["cell_type"] == "gru"
    assert model[-1].bidirectional is False
    assert model[0].max_features == 30 and model[1].maxlen == 8


def test_train_embeddings_from_a_vector_file(data, capsys, tmp_path):
    vectors = tmp_path / "tiny.glove.txt"
    vectors.write_text("".join(f"{word} {i} {-i} 0.5\n" for i, word in
                               enumerate(["good", "bad", "film", "acting"], 1)))
    out = tmp_path / "glove.safetensors"
    status, _, stderr = run(
        capsys, "train", "--data", data / "reviews.csv", "--text-column", "review",
        "--label-column", "sentiment", "--out", out, *TINY, "--max-epochs", "1",
        "--embeddings", vectors, "--freeze-embeddings", "--missing-vectors",
        "zeros")
    assert status == 0, stderr
    clf = load(out)[-1]
    assert clf.pretrained_dim_ == 3 and clf.freeze_embeddings
    assert clf.missing_vectors == "zeros"
    assert clf.embeddings.name == "tiny.glove.txt"


@pytest.mark.parametrize("spec, message", [
    ("no/such/vectors.txt", "'no/such/vectors.txt' is neither a file nor one of"),
    ("glove.6B.50", "Did you mean 'glove.6B.50d'?"),
])
def test_train_bad_embeddings_is_a_usage_error(data, capsys, spec, message):
    status, _, stderr = run(
        capsys, "train", "--data", data / "reviews.csv", "--text-column", "review",
        "--label-column", "sentiment", "--out", "unused.safetensors",
        "--embeddings", spec)
    assert status == 2 and message in stderr


def test_train_flags_reach_the_model_and_it_learns(model_path):
    model = load(model_path)
    clf = model[-1]
    assert (clf.units, clf.lr, clf.validation_split, clf.early_stopping) == (
        4, 0.05, None, False)
    assert clf.n_epochs_ == 20
    assert model.score(TEXTS, LABELS) >= 0.9


def test_predict_matches_the_loaded_model(model_path, data, capsys):
    table = predictions(capsys, model_path, data / "reviews.csv")
    model = load(model_path)
    assert list(table.columns) == ["prediction", "proba_neg", "proba_pos"]
    assert len(table) == len(TEXTS)
    assert table["prediction"].tolist() == model.predict(TEXTS).tolist()
    proba = table[["proba_neg", "proba_pos"]].to_numpy()
    np.testing.assert_allclose(proba, model.predict_proba(TEXTS), atol=1e-5)
    np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-5)


def test_predict_writes_out_file_and_nothing_on_stdout(model_path, data, capsys,
                                                       tmp_path):
    out = tmp_path / "pred.csv"
    status, stdout, stderr = run(capsys, "predict", "--model", model_path, "--data",
                                 data / "reviews.csv", "--text-column", "review",
                                 "--out", out)
    assert status == 0 and stdout == ""
    assert f"wrote {len(TEXTS)} predictions" in stderr
    assert len(pd.read_csv(out)) == len(TEXTS)


def test_quiet_prints_only_results(model_path, data, capsys, tmp_path):
    status, stdout, stderr = run(
        capsys, "train", "-q", "--data", data / "reviews.csv", "--text-column",
        "review", "--label-column", "sentiment", "--out", tmp_path / "m.safetensors",
        *TINY, "--max-epochs", "1")
    assert (status, stdout, stderr) == (0, "", "")


def test_warnings_are_one_line(data, capsys, tmp_path):
    # early stopping without validation data warns (TrainingWarning)
    status, _, stderr = run(
        capsys, "train", "--data", data / "reviews.csv", "--text-column", "review",
        "--label-column", "sentiment", "--out", tmp_path / "m.safetensors", *TINY,
        "--max-epochs", "1", "--validation-split", "none")
    assert status == 0
    warning_lines = [line for line in stderr.splitlines() if "warning:" in line]
    assert warning_lines == [
        "sklearn-rnn: warning: early_stopping=True needs validation data, but "
        "validation_split is None; training runs for all max_epochs=1 epochs."]


def test_evaluate_reports_the_models_accuracy(model_path, data, capsys):
    status, out, _ = run(capsys, "evaluate", "--model", model_path, "--data",
                         data / "reviews.csv", "--text-column", "review",
                         "--label-column", "sentiment")
    accuracy = load(model_path).score(TEXTS, LABELS)
    assert status == 0
    assert out.startswith(f"accuracy: {accuracy:.4f} (40 texts)")
    assert "precision" in out and "recall" in out and "macro avg" in out


def test_compare_tabulates_both_models(data, capsys):
    status, out, err = run(capsys, "compare", "--data", data / "reviews.csv",
                           "--text-column", "review", "--label-column", "sentiment",
                           "--cv", "2", *TINY, "--max-epochs", "1")
    assert status == 0
    assert "warning" not in err.lower()
    lines = out.splitlines()
    assert lines[0].split() == ["accuracy_mean", "accuracy_std", "fit_time_s",
                                "predict_time_s"]
    assert [line.split()[0] for line in lines[1:]] == ["rnn", "tfidf"]
    assert float(lines[2].split()[1]) == 1.0  # the words give the label away


def test_compare_help_states_the_library_baseline(capsys):
    """The help names the settings of make_tfidf_classifier(), which compare
    runs, not settings of its own."""
    _, out, _ = run(capsys, "compare", "--help")
    text = " ".join(out.split())
    vectorizer, logistic = make_tfidf_classifier().named_steps.values()
    assert "sklearn_rnn.baselines.make_tfidf_classifier()" in text
    assert (f"TfidfVectorizer(ngram_range={vectorizer.ngram_range!r}, "
            "sublinear_tf=True)") in text
    assert (f"-> LogisticRegression(C={logistic.C!r}, "
            f"max_iter={logistic.max_iter!r})") in text
    assert "LogisticRegressionCV" not in text


def write_imdb_tree(root):
    """An aclImdb layout with 2 reviews per class and split, plus a stray file."""
    for subset in ("train", "test"):
        for label, words in (("neg", NEGATIVE), ("pos", POSITIVE)):
            folder = root / "aclImdb" / subset / label
            folder.mkdir(parents=True)
            for review_id in range(2):
                rating = 2 if label == "neg" else 9
                (folder / f"{review_id}_{rating}.txt").write_text(
                    f"a {words[review_id]} film", encoding="utf-8")
    (root / "aclImdb" / "README").write_text("not a review", encoding="utf-8")


def test_imdb_directory_and_archive_give_the_same_predictions(model_path, capsys,
                                                               tmp_path):
    write_imdb_tree(tmp_path / "tree")
    archive = tmp_path / "imdb.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "tree" / "aclImdb", arcname="aclImdb")
    outputs = []
    for path in (tmp_path / "tree", tmp_path / "tree" / "aclImdb", archive):
        status, out, err = run(capsys, "predict", "--model", model_path, "--data",
                               path, "--subset", "all")
        assert status == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(pd.read_csv(io.StringIO(outputs[0]))) == 8
    status, out, _ = run(capsys, "evaluate", "--model", model_path, "--data", archive)
    assert status == 0 and "(4 texts)" in out  # the test split by default


def test_parquet_input(model_path, data, capsys, tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "reviews.parquet"
    pd.read_csv(data / "reviews.csv").to_parquet(path)
    table = predictions(capsys, model_path, path)
    assert len(table) == len(TEXTS)


# --- language model -----------------------------------------------------------

def test_generate_is_reproducible_with_a_seed(lm_path, capsys):
    texts = [run(capsys, "generate", "--model", lm_path, "--prompt", "to be",
                 "--n-chars", "60", "--seed", seed) for seed in (3, 3, 4)]
    assert all(status == 0 for status, _, _ in texts)
    (_, first, _), (_, again, _), (_, other, _) = texts
    assert first == again and first.startswith("to be")
    assert len(first) == len("to be") + 60 + 1  # and print's newline
    assert other != first


def test_fit_lm_prints_summary_and_saves(lm_path, data, capsys, tmp_path):
    status, out, err = run(capsys, "fit-lm", "--text", data / "play.txt", "--out",
                           tmp_path / "lm.safetensors", *TINY_LM, "--time-limit",
                           "60")
    assert status == 0
    assert "LSTM" in out and "Total params" in out
    assert "nats/char" in err
    assert load(tmp_path / "lm.safetensors").units == 8


# --- demo ---------------------------------------------------------------------

def test_demo_quick_writes_plots_and_compares_without_warnings(capsys, tmp_path):
    status, out, err = run(capsys, "demo", "--quick", "--out-dir", tmp_path / "plots")
    assert status == 0, err
    for name in ("demo_history.png", "demo_comparison.png"):
        assert (tmp_path / "plots" / name).read_bytes().startswith(PNG_SIGNATURE)
        assert name in out
    # every model of the demo is set up so that it has no warning to show
    assert "warning" not in (out + err).lower()
    rows = [line for line in out.splitlines() if line.startswith("| ")][1:]
    assert [row.split(" | ")[0] for row in rows] == [
        "| RNNTextClassifier (bidirectional LSTM, 8 units)",
        "| NB-SVM (make_nbsvm)",
        f"| TF-IDF + LogisticRegression C={make_tfidf_classifier()[-1].C:g} "
        "(make_tfidf_classifier)",
        "| stack of the three (make_text_stack, cv=2)"]
    assert all(0 <= float(row.split(" | ")[1].rstrip(" |")) <= 1 for row in rows)
    # the settings that differ from the default pipeline are stated
    assert "SequencePadder(maxlen=100, truncation='always')" in out
    assert "Total params" in out and "ROMEO:" in out


# --- errors -------------------------------------------------------------------

def bad_csv(folder):
    path = folder / "broken.csv"
    path.write_bytes(b'review,sentiment\n"unterminated,pos\nok,neg\n' + PNG_SIGNATURE)
    return path


ERRORS = {
    "missing file": (
        lambda d, m: ["predict", "--model", m, "--data", d / "nope.csv"],
        ["argument --data: no such file or directory", "nope.csv"]),
    "missing column": (
        lambda d, m: ["predict", "--model", m, "--data", d / "reviews.csv",
                      "--text-column", "reveiw"],
        ["argument --text-column: no column 'reveiw'",
         "available columns: 'review', 'sentiment'", "Did you mean 'review'?"]),
    "missing label column": (
        lambda d, m: ["evaluate", "--model", m, "--data", d / "reviews.csv",
                      "--text-column", "review"],
        ["argument --label-column: no column 'label'"]),
    "unreadable csv": (
        lambda d, m: ["predict", "--model", m, "--data", bad_csv(d),
                      "--text-column", "review"],
        ["argument --data: cannot read", "broken.csv", "as CSV"]),
    "unknown format": (
        lambda d, m: ["predict", "--model", m, "--data", d / "play.txt"],
        ["cannot tell the format", "--data-format {csv,tsv,parquet,imdb-dir}"]),
    "unknown option": (
        lambda d, m: ["train", "--data", d / "reviews.csv", "--out", d / "x",
                      "--unitz", "4"],
        ["unrecognized arguments: --unitz 4. Did you mean '--units'?",
         "sklearn-rnn train --help"]),
    "unknown command": (
        lambda d, m: ["trian"],
        ["invalid choice: 'trian'", "'train'"]),
    "bad cell type": (
        lambda d, m: ["train", "--data", d / "reviews.csv", "--out", d / "x",
                      "--cell-type", "lstmm"],
        ["argument --cell-type: The 'cell_type' parameter of RNNTextClassifier",
         "'gru'", "Got 'lstmm' instead. Did you mean 'lstm'?"]),
    "bad int": (
        lambda d, m: ["train", "--data", d / "reviews.csv", "--out", d / "x",
                      "--units", "0"],
        ["argument --units:", "must be an int in the range [1, inf). Got 0"]),
    "conflicting hyperparameters": (  # only fit can tell: the library's message
        lambda d, m: ["train", "--data", d / "reviews.csv", "--text-column",
                      "review", "--label-column", "sentiment", "--out",
                      d / "x.safetensors", "--lr-schedule", "cosine",
                      "--reduce-lr-on-plateau"],
        ["reduce_lr_on_plateau=True and lr_schedule='cosine'"]),
    "missing out folder": (
        lambda d, m: ["train", "--data", d / "reviews.csv", "--out",
                      d / "no" / "m.safetensors"],
        ["argument --out: directory", "does not exist"]),
    "not a model file": (
        lambda d, m: ["predict", "--model", d / "reviews.csv", "--data",
                      d / "reviews.csv"],
        ["argument --model: cannot load", "not an sklearn-rnn model file"]),
    "classifier given to generate": (
        lambda d, m: ["generate", "--model", m],
        ["argument --model:", "holds a Pipeline", "needs a CharLanguageModel"]),
    "bad temperature": (
        lambda d, m: ["generate", "--model", m, "--temperature", "0"],
        ["argument --temperature: expected a number > 0, got '0'"]),
    "bad folds": (
        lambda d, m: ["compare", "--data", d / "reviews.csv", "--cv", "1"],
        ["argument --cv: expected an int >= 2, got '1'"]),
}


@pytest.mark.parametrize("case", ERRORS)
def test_usage_errors_are_one_line_with_status_2(case, data, model_path, capsys):
    make_argv, expected = ERRORS[case]
    status, out, err = run(capsys, *make_argv(data, model_path))
    assert status == 2
    assert out == "" and "Traceback" not in err
    # notes may come first ("training on 40 texts ..."), the error is one line
    error = err.splitlines()[-1]
    assert err.endswith("\n") and err.count("sklearn-rnn: error:") == 1
    assert error.startswith("sklearn-rnn: error: ")
    for piece in expected:
        assert piece in error


def test_missing_labels_are_reported_by_row(data, model_path, capsys, tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("review,sentiment\ngood,pos\nbad,\n", encoding="utf-8")
    status, _, err = run(capsys, "evaluate", "--model", model_path, "--data", path,
                         "--text-column", "review", "--label-column", "sentiment")
    assert status == 2
    assert "column 'sentiment' has 1 empty value(s), the first in data row 2" in err


def test_every_command_has_help_with_examples(capsys):
    for command in ("demo", "train", "predict", "evaluate", "compare", "fit-lm",
                    "generate"):
        status, out, _ = run(capsys, command, "--help")
        assert status == 0
        assert f"usage: sklearn-rnn {command}" in out and "examples:" in out


def help_texts():
    """{'sklearn-rnn': the main help, 'sklearn-rnn train': train's, ...}."""
    parser = build_parser()
    return {parser.prog: parser.format_help(),
            **{command.prog: command.format_help()
               for command in parser.subcommands.values()}}


def help_examples(text):
    """The example commands of a help text, each as its list of lines."""
    examples, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("  sklearn-rnn "):
            example = [line]
            while example[-1].endswith("\\") and i + len(example) < len(lines):
                example.append(lines[i + len(example)])
            examples.append(example)
    return examples


def test_help_examples_paste_into_a_shell():
    """Every example of every help text is one shell command: its lines joined
    by the shell's line continuation (backslash, newline) split into the words
    of a single sklearn-rnn call that the parser accepts."""
    texts = help_texts()
    assert set(texts) >= {f"sklearn-rnn {c}" for c in (
        "demo", "train", "predict", "evaluate", "compare", "fit-lm", "generate")}
    for prog, text in texts.items():
        examples = help_examples(text)
        assert examples, prog
        continued = set()
        for example in examples:
            for line, following in itertools.pairwise(example):
                assert line.endswith(" \\") and following.startswith("      "), (
                    prog, example)
                continued.add(following)
            for line in example:
                # a lost line break leaves the next line's indent in this one
                assert not re.search(r"\S {3,}[^ #]", line), (prog, line)
            words = shlex.split("\n".join(example).replace("\\\n", ""),
                                comments=True)
            assert words.count("sklearn-rnn") == 1 and words[0] == "sklearn-rnn"
            argv = words[1:words.index(">")] if ">" in words else words[1:]
            _parse(build_parser(), argv)  # a UsageError names a wrong option
        # an option line that no backslash continues would run as its own command
        for line in text.splitlines():
            if re.match(r" {6}(--|>)", line):
                assert line in continued, (prog, line)


def test_every_classifier_hyperparameter_is_an_option(capsys):
    _, out, _ = run(capsys, "train", "--help")
    for name in set(RNNTextClassifier().get_params()) - NOT_OPTIONS:
        assert f"--{name.replace('_', '-')}" in out
    assert "--max-features" in out and "--maxlen" in out


def test_module_runs_as_a_program():
    result = subprocess.run([sys.executable, "-m", "sklearn_rnn", "--help"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: sklearn-rnn")
    assert "fit-lm" in result.stdout


# --- properties of the input parsing ------------------------------------------

# deadline=None: the machine is shared, so timings vary
@settings(deadline=None)
@given(texts=st.lists(st.text(), min_size=1, max_size=6))
def test_any_text_round_trips_through_predict(model_path, texts):
    model = load(model_path)
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "in.csv", Path(folder) / "out.csv"
        # quoting every field keeps a lone "\r" a character of a text (pandas
        # would write it unquoted, and any CSV reader takes it as a line end)
        pd.DataFrame({"id": range(len(texts)), "review": texts}).to_csv(
            source, index=False, quoting=csv.QUOTE_ALL)
        assert main(["predict", "-q", "--model", str(model_path), "--data",
                     str(source), "--text-column", "review", "--out", str(out)]) == 0
        table = pd.read_csv(out)
    assert len(table) == len(texts)
    # what predict read is exactly what was written
    np.testing.assert_allclose(table[["proba_neg", "proba_pos"]],
                               model.predict_proba(texts), atol=1e-5)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=200))
def test_any_file_content_gives_a_result_or_a_usage_error(model_path, capsys,
                                                          content):
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.csv"
        source.write_bytes(content)
        status, _, err = run(capsys, "predict", "--model", model_path, "--data",
                             source, "--text-column", "review")
    assert status in (0, 2)
    if status == 2:
        assert err.count("\n") == 1 and err.startswith("sklearn-rnn: error: ")
