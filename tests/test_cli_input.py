"""Hostile inputs to the sklearn-rnn command line: each is one line on stderr
naming the option (and the file, column, row or value), with exit status 2.

Most cases fail before any training; the few that need a model share one tiny
classifier, trained once.
"""

import io

import pandas as pd
import pytest
import torch

from sklearn_rnn import load
from sklearn_rnn.cli import main
from tests._data import CLI_REVIEWS as TEXTS

LABELS = ["pos", "neg"] * 20
TINY = ["--units", "4", "--embedding-dim", "4", "--batch-size", "8", "--maxlen", "8",
        "--max-epochs", "1", "--random-state", "0"]
NO_CUDA = pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA exists here")
NO_MPS = pytest.mark.skipif(torch.backends.mps.is_available(),
                            reason="MPS exists here")

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def write_csv(path, labels):
    pd.DataFrame({"text": TEXTS[:len(labels)], "label": labels}).to_csv(
        path, index=False)
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Input files, named by what is wrong with them."""
    folder = tmp_path_factory.mktemp("inputs")
    write_csv(folder / "reviews.csv", LABELS)
    write_csv(folder / "one_label.csv", ["pos"] * 10)
    # 1 and 'neg': pandas reads the column as text, '1' among words
    write_csv(folder / "mixed.csv", [1, "neg"] * 10)
    write_csv(folder / "unbalanced.csv", ["pos"] * 8 + ["neg"] * 2)
    (folder / "empty.csv").write_bytes(b"")
    (folder / "header_only.csv").write_text("text,label\n", encoding="utf-8")
    (folder / "notes.safetensors").write_text("just some notes\n", encoding="utf-8")
    (folder / "play.txt").write_text("to be or not to be " * 20, encoding="utf-8")
    (folder / "pos.conllu").write_text(
        "1\tthe\t_\tDET\t_\t_\t_\t_\t_\t_\n2\tdog\t_\tNOUN\t_\t_\t_\t_\t_\t_\n\n",
        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def model(data):
    path = data / "model.safetensors"
    assert main(["train", "-q", "--data", str(data / "reviews.csv"), "--out",
                 str(path), *TINY]) == 0
    return path


def run(capsys, *argv):
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_usage_error(capsys, argv, *pieces):
    """``argv`` exits with 2 and one error line holding every piece."""
    status, out, err = run(capsys, *argv)
    assert status == 2, err
    assert out == "" and "Traceback" not in err
    assert err.count("sklearn-rnn: error:") == 1 and err.endswith("\n")
    error = err.splitlines()[-1]  # notes ("training on ...") may come first
    assert error.startswith("sklearn-rnn: error: ")
    for piece in pieces:
        assert piece in error, error


# --- model files ---------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["predict", "--data", "{d}/reviews.csv"],
    ["evaluate", "--data", "{d}/reviews.csv"],
    ["generate"],
    ["predict", "--task", "tagging", "--data", "{d}/pos.conllu"],
])
def test_a_text_file_as_model_is_a_usage_error(data, capsys, argv):
    argv = [arg.format(d=data) for arg in argv]
    assert_usage_error(capsys, [*argv, "--model", data / "notes.safetensors"],
                       "argument --model: cannot load", "notes.safetensors",
                       "is not an sklearn-rnn model file")


# --- data files ----------------------------------------------------------------

@pytest.mark.parametrize("argv, option", [
    (["train", "--out", "{d}/m.safetensors", "--data"], "--data"),
    (["train", "--task", "tagging", "--out", "{d}/m.safetensors", "--data"],
     "--data"),
    (["compare", "--data"], "--data"),
    (["predict", "--model", "{m}", "--data"], "--data"),
    (["fit-lm", "--out", "{d}/lm.safetensors", "--text"], "--text"),
], ids=lambda value: " ".join(value[:3]) if isinstance(value, list) else value)
def test_a_missing_data_file_is_named(data, model, capsys, argv, option):
    argv = [arg.format(d=data, m=model) for arg in argv]
    assert_usage_error(capsys, [*argv, data / "absent.csv"],
                       f"argument {option}: no such file or directory",
                       "absent.csv")


@pytest.mark.parametrize("name, message", [
    ("empty.csv", "cannot read"),
    ("header_only.csv", "holds no data rows"),
])
@pytest.mark.parametrize("command", ["train", "predict"])
def test_an_empty_csv_is_a_usage_error(data, model, capsys, command, name, message):
    extra = ["--out", data / "m.safetensors"] if command == "train" else [
        "--model", model]
    assert_usage_error(capsys, [command, "--data", data / name, *extra],
                       "argument --data:", name, message)


# --- label columns -------------------------------------------------------------

@pytest.mark.parametrize("command", ["train", "compare"])
def test_one_label_only_cannot_train_a_classifier(data, capsys, tmp_path, command):
    extra = ["--out", tmp_path / "m.safetensors"] if command == "train" else []
    assert_usage_error(capsys, [command, "--data", data / "one_label.csv", *extra],
                       "argument --label-column: every row of column 'label' has "
                       "the label 'pos'; a classifier needs at least two classes")
    assert not (tmp_path / "m.safetensors").exists()


def test_one_label_only_can_be_evaluated(data, model, capsys):
    """A test set of one class is a valid test set (only training needs two)."""
    status, out, err = run(capsys, "evaluate", "--model", model, "--data",
                           data / "one_label.csv")
    accuracy = (load(model).predict(TEXTS[:10]) == "pos").mean()
    assert status == 0, err
    assert out.startswith(f"accuracy: {accuracy:.4f} (10 texts)")


@pytest.mark.parametrize("command", ["train", "evaluate", "compare"])
def test_labels_mixing_numbers_and_text_are_refused(data, model, capsys, tmp_path,
                                                    command):
    extra = {"train": ["--out", tmp_path / "m.safetensors"],
             "evaluate": ["--model", model], "compare": []}[command]
    assert_usage_error(capsys, [command, "--data", data / "mixed.csv", *extra],
                       "argument --label-column: column 'label' mixes numbers and "
                       "text: '1' in data row 1, 'neg' in data row 2")


def test_mixed_labels_for_regression_name_the_text(data, capsys, tmp_path):
    assert_usage_error(capsys, ["train", "--task", "regression", "--data",
                                data / "mixed.csv", "--out", tmp_path / "m"],
                       "--task regression needs numbers, but column 'label' holds "
                       "'neg' in data row 2")


def test_more_folds_than_texts_of_a_class(data, capsys):
    assert_usage_error(capsys, ["compare", "--data", data / "unbalanced.csv",
                                "--cv", "3"],
                       "argument --cv: 3 stratified folds need at least 3 texts of "
                       "every class, but class 'neg' of column 'label' has 2")


# --- numbers -------------------------------------------------------------------

@pytest.mark.parametrize("value, shown", [
    ("0", "0"), ("-3", "-3"), ("abc", "'abc'"), ("1.5", "'1.5'")])
@pytest.mark.parametrize("argv", [
    ["train", "--data", "{d}/reviews.csv", "--out", "{d}/m"],
    ["train", "--task", "tagging", "--data", "{d}/pos.conllu", "--out", "{d}/m"],
    ["fit-lm", "--text", "{d}/play.txt", "--out", "{d}/m"],
], ids=lambda argv: " ".join(argv[:3]))
def test_max_epochs_must_be_a_positive_int(data, capsys, argv, value, shown):
    argv = [arg.format(d=data) for arg in argv]
    assert_usage_error(capsys, [*argv, "--max-epochs", value],
                       "argument --max-epochs: The 'max_epochs' parameter of ",
                       f"must be an int in the range [1, inf). Got {shown} instead")


def test_a_seed_is_a_number_or_none(data, capsys):
    assert_usage_error(capsys, ["train", "--data", data / "reviews.csv", "--out",
                                data / "m", "--random-state", "abc"],
                       "argument --random-state:",
                       "must be an int in the range [0, 4294967295] or None. Got "
                       "'abc' instead")


# --- devices -------------------------------------------------------------------

TRAINING = [
    ["train", "--data", "{d}/reviews.csv", "--out", "{d}/m"],
    ["train", "--task", "tagging", "--data", "{d}/pos.conllu", "--out", "{d}/m"],
    ["fit-lm", "--text", "{d}/play.txt", "--out", "{d}/m"],
]
# The model files do not exist: the device is checked first.
LOADING = [
    ["predict", "--model", "{d}/absent", "--data", "{d}/reviews.csv"],
    ["evaluate", "--model", "{d}/absent", "--data", "{d}/reviews.csv"],
    ["predict", "--task", "tagging", "--model", "{d}/absent", "--data",
     "{d}/pos.conllu"],
    ["generate", "--model", "{d}/absent"],
]


@pytest.mark.parametrize("device, reason", [
    pytest.param("cuda", "this PyTorch has no CUDA or finds no such GPU",
                 marks=NO_CUDA),
    pytest.param("cuda:0", "this PyTorch has no CUDA or finds no such GPU",
                 marks=NO_CUDA),
    pytest.param("mps", "this machine has no Apple GPU (MPS)", marks=NO_MPS),
])
@pytest.mark.parametrize("argv", TRAINING + LOADING,
                         ids=lambda argv: " ".join(argv[:3]))
def test_a_device_this_machine_lacks_is_a_usage_error(data, capsys, argv, device,
                                                      reason):
    argv = [arg.format(d=data) for arg in argv]
    assert_usage_error(capsys, [*argv, "--device", device],
                       f"argument --device: device={device!r} is not available "
                       f"here: {reason}. The devices here are ['cpu'")


@pytest.mark.parametrize("argv", TRAINING[:1] + LOADING[:1],
                         ids=lambda argv: argv[0])
def test_an_unknown_device_is_a_usage_error(data, capsys, argv):
    argv = [arg.format(d=data) for arg in argv]
    assert_usage_error(capsys, [*argv, "--device", "tpu"],
                       "argument --device: The 'device' parameter must be 'auto', "
                       "'cpu', 'cuda', 'cuda:N' or 'mps'; got 'tpu'")


@pytest.mark.parametrize("device", ["cpu", "auto"])
def test_predict_on_a_device_gives_the_models_predictions(data, model, capsys,
                                                          device):
    status, out, err = run(capsys, "predict", "--model", model, "--data",
                           data / "reviews.csv", "--device", device)
    assert status == 0, err
    predicted = pd.read_csv(io.StringIO(out))["prediction"]
    assert predicted.tolist() == load(model).predict(TEXTS).tolist()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_train_and_predict_on_cuda(data, capsys, tmp_path):
    path = tmp_path / "gpu.safetensors"
    status, _, err = run(capsys, "train", "-q", "--data", data / "reviews.csv",
                         "--out", path, *TINY, "--device", "cuda")
    assert status == 0, err
    status, out, err = run(capsys, "predict", "--model", path, "--data",
                           data / "reviews.csv", "--device", "cuda")
    assert status == 0, err
    predicted = pd.read_csv(io.StringIO(out))["prediction"]
    assert predicted.tolist() == load(path, device="cuda").predict(TEXTS).tolist()
