"""The R examples (examples/r/*.R) run through reticulate and print what they claim.

They need R with the reticulate package (Debian: r-base-core, r-cran-reticulate).
Without them these tests skip, except in CI (CI=true), where .ci/run installs R
and a missing R is a failure. reticulate uses the Python that runs pytest.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "r"
COMMON_WORDS = {"the", "and", "to", "you", "my", "of", "i", "a", "me", "that", "in",
                "is", "not", "with", "for", "be", "he", "his", "your", "it"}

pytestmark = pytest.mark.slow


def _missing_r():
    """Why the R examples cannot run here, or None."""
    if shutil.which("Rscript") is None:
        return "Rscript not found (install r-base-core and r-cran-reticulate)"
    probe = subprocess.run(["Rscript", "-e", "library(reticulate)"],
                           capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        return f"the R package reticulate is missing: {probe.stderr.strip()[-300:]}"
    return None


@pytest.fixture(scope="module")
def rscript():
    reason = _missing_r()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the R examples, but {reason}.")
        pytest.skip(reason)
    return shutil.which("Rscript")


def run_example(rscript, name, cwd):
    env = {**os.environ, "RETICULATE_PYTHON": sys.executable}
    result = subprocess.run([rscript, str(EXAMPLES / name), "--quick"], cwd=cwd,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (
        f"{name} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def table_rows(output, heading):
    """The rows (lists of fields) of the R data.frame printed after ``heading``."""
    block = output.split(heading, 1)[1].split("\n\n", 1)[0]
    lines = [line.split() for line in block.strip().splitlines()[1:]]
    return [line for line in lines if line]


def test_imdb_lstm_from_r(rscript, tmp_path):
    out = run_example(rscript, "imdb_lstm.R", tmp_path)

    accuracy = float(re.search(r"LSTM test accuracy: ([\d.]+)", out).group(1))
    assert 0.6 <= accuracy <= 1.0, out  # chance is 0.5 on the balanced sample
    predicted = re.search(r"predicted: (.*)", out).group(1).split()
    assert len(predicted) == 6 and set(predicted) <= {"neg", "pos"}
    assert "LSTM" in out and "Total params:" in out  # summary()

    history = re.findall(r"^ +(\d+) +([\d.]+) +([\d.]+) +([\d.]+)$",
                         out.split("history plot:")[0], flags=re.MULTILINE)
    assert [int(row[0]) for row in history] == [1, 2, 3]
    assert float(history[-1][1]) < float(history[0][1])  # training loss falls
    plot = tmp_path / "imdb_lstm_history.png"
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    grid = table_rows(out, "GridSearchCV over units and cell type")[1:]
    assert sorted((int(r[0]), r[1]) for r in grid) == [
        (8, "gru"), (8, "lstm"), (16, "gru"), (16, "lstm")]
    assert all(0 <= float(r[2]) <= 1 for r in grid)
    assert sorted(int(r[3]) for r in grid)[0] == 1

    compared = {row[0]: row[1:] for row in table_rows(out, "compare_models")[1:]}
    assert set(compared) == {"lstm", "tfidf"}
    assert float(compared["tfidf"][0]) > 0.6  # accuracy_mean of the baseline
    assert 0 <= float(compared["lstm"][0]) <= 1


def test_char_lm_shakespeare_from_r(rscript, tmp_path):
    out = run_example(rscript, "char_lm_shakespeare.R", tmp_path)

    loss = float(re.search(r"last 10%: ([\d.]+) nats/char", out).group(1))
    assert loss < 2.5  # a uniform guess over ~60 characters costs ln(60) = 4.1
    samples = re.split(r"\n--- temperature (\d\.\d) ---\n", out)[1:]
    temperatures, texts = samples[0::2], samples[1::2]
    assert temperatures == ["0.5", "0.8", "1.0"]
    assert len(set(texts)) == 3
    for text in texts:
        assert text.startswith("ROMEO:\n") and len(text.strip()) > 300
        words = set(re.findall(r"[a-z]+", text.lower()))
        assert len(words & COMMON_WORDS) >= 3, text  # word-like, not noise
