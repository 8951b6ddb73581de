"""Fixtures of the dataset tests."""

import pytest

from sklearn_rnn.datasets import _imdb


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    # Never read a developer's archive or write to ~/scikit_learn_data.
    monkeypatch.delenv(_imdb.ARCHIVE_ENV, raising=False)
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "default_home"))


@pytest.fixture
def data_home(tmp_path):
    return tmp_path / "data_home"
