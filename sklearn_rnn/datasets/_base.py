"""Helpers shared by the dataset loaders: subsets, DESCR texts, Bunch assembly."""

import os
from importlib import resources
from pathlib import Path

import numpy as np
from sklearn.datasets import get_data_home
from sklearn.utils import Bunch
from sklearn.utils._param_validation import (
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)

from sklearn_rnn.utils._validation import suggest

SUBSETS = ("train", "test")
TARGET_NAMES = ["neg", "pos"]
_DATA_PACKAGE = "sklearn_rnn.datasets"


def check_subset(subset, caller_name):
    """Raise scikit-learn's error for a ``subset`` not in {'train', 'test', 'all'}.

    The message gets a spelling hint ("Did you mean 'train'?") when one is close.
    """
    allowed = {*SUBSETS, "all"}
    try:
        validate_parameter_constraints(
            {"subset": [StrOptions(allowed)]}, {"subset": subset}, caller_name
        )
    except InvalidParameterError as exc:
        raise InvalidParameterError(str(exc) + suggest(subset, allowed)) from None


def subset_mask(subset_codes, subset):
    """Boolean mask selecting ``subset`` from per-review codes (index in SUBSETS)."""
    if subset == "all":
        return np.ones(len(subset_codes), dtype=bool)
    return np.asarray(subset_codes) == SUBSETS.index(subset)


def data_folder(data_home, name, caller):
    """``data_home/name`` (``data_home`` by default scikit-learn's), refused with
    a NotADirectoryError when it or ``data_home`` is a file: scikit-learn's
    get_data_home, and creating the folder, would fail naming neither."""
    if data_home is not None:
        _check_folder(data_home, caller)
    folder = Path(get_data_home(data_home)) / name
    _check_folder(folder, caller)
    return folder


def _check_folder(folder, caller):
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise NotADirectoryError(
            f"{str(folder)!r} is a file, not a folder: {caller} keeps its downloads "
            "and cache there. Pass another data_home."
        )


def data_file(name):
    """Return a traversable for a file bundled in ``sklearn_rnn/datasets/data``."""
    return resources.files(_DATA_PACKAGE) / "data" / name


def load_descr(name):
    """Return the text of ``sklearn_rnn/datasets/descr/<name>``."""
    return (resources.files(_DATA_PACKAGE) / "descr" / name).read_text(encoding="utf-8")


def make_review_bunch(data, target, ratings, *, descr, return_X_y):
    """Return ``(data, target)`` or the Bunch shared by the IMDB loaders."""
    target = np.asarray(target, dtype=np.int64)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=list(TARGET_NAMES),
        ratings=np.asarray(ratings, dtype=np.int64),
        DESCR=descr,
    )
