"""``sklearn-rnn train --task regression`` and the regressor in predict/evaluate."""

import io

import numpy as np
import pandas as pd
import pytest

from sklearn_rnn import RNNTextRegressor, load
from sklearn_rnn.cli import main
from tests._data import CLI_REVIEWS as TEXTS

STARS = [9.0, 2.0] * 20
LEARN = ["--units", "4", "--embedding-dim", "4", "--batch-size", "8", "--maxlen", "8",
         "--random-state", "0", "--max-epochs", "20", "--lr", "0.05",
         "--validation-split", "none", "--no-early-stopping"]


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "reviews.csv"
    pd.DataFrame({"review": TEXTS, "stars": STARS,
                  "sentiment": ["pos", "neg"] * 20}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def model_path(data):
    path = data.parent / "regressor.safetensors"
    assert main(["train", "--task", "regression", "--loss", "huber", "--data",
                 str(data), "--text-column", "review", "--label-column", "stars",
                 "--out", str(path), "-q", *LEARN]) == 0
    return path


def run(capsys, *argv):
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_train_regression_saves_a_regressor_that_learns(model_path):
    model = load(model_path)
    assert isinstance(model[-1], RNNTextRegressor)
    assert model[-1].loss == "huber" and model[-1].n_epochs_ == 20
    assert model.score(TEXTS, STARS) >= 0.9


def test_predict_writes_the_number(model_path, data, capsys):
    status, out, err = run(capsys, "predict", "--model", model_path, "--data", data,
                           "--text-column", "review")
    assert status == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns) == ["prediction"]
    np.testing.assert_allclose(table["prediction"], load(model_path).predict(TEXTS),
                               rtol=1e-5)


def test_evaluate_reports_regression_errors(model_path, data, capsys):
    status, out, _ = run(capsys, "evaluate", "--model", model_path, "--data", data,
                         "--text-column", "review", "--label-column", "stars")
    r2 = load(model_path).score(TEXTS, STARS)
    assert status == 0
    assert out.startswith("MAE:  ") and "(40 texts)" in out
    assert f"R^2:  {r2:.4f}" in out


@pytest.mark.parametrize("argv, message", [
    (["--task", "regression", "--label-column", "sentiment"],
     "--task regression needs numbers, but column 'sentiment' holds 'pos' in data "
     "row 1"),
    (["--task", "regression", "--label-column", "stars", "--class-weight",
      "balanced"], "argument --class-weight: not an option of --task regression"),
    (["--label-column", "sentiment", "--loss", "huber"],
     "argument --loss: not an option of --task classification"),
    (["--task", "regresion", "--label-column", "stars"], "invalid choice"),
])
def test_task_usage_errors(data, capsys, tmp_path, argv, message):
    status, _, err = run(capsys, "train", "--data", data, "--text-column", "review",
                         "--out", tmp_path / "m.safetensors", *argv, *LEARN)
    assert status == 2
    assert message in err and len(err.strip().splitlines()) == 1
