"""The examples run in --quick mode on bundled data, so they cannot rot."""

import importlib.util
import re
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load_example(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_imdb_lstm_quick(capsys):
    load_example("imdb_lstm").main(["--quick", "--models", "lstm", "gru"])
    out = capsys.readouterr().out
    rows = re.findall(r"^\| (lstm|gru) \| (0\.\d+) \| (\d+) \|", out, re.MULTILINE)
    assert [row[0] for row in rows] == ["lstm", "gru"]
    assert all(0.4 <= float(row[1]) <= 1.0 and int(row[2]) == 2 for row in rows)
    assert "Total params" in out


@pytest.mark.slow
def test_char_lm_quick(capsys):
    load_example("char_lm_shakespeare").main(["--quick"])
    out = capsys.readouterr().out
    assert "state carried through the text" in out
    samples = re.findall(r"--- temperature (0\.5|0\.8|1\.0)", out)
    assert samples == ["0.5", "0.8", "1.0"]
    assert out.count("ROMEO:") >= 3
