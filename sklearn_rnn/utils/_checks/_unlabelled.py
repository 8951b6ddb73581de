"""Which rows of ``y`` are unlabelled, by scikit-learn's semi-supervised
convention (``sklearn.semi_supervised``).

Class labels: the number -1 marks an unlabelled row, also among str labels
(pass them as a list, an object array or a pandas Series, as scikit-learn asks;
the string ``'-1'`` stays a label). Regression targets: -1 is a value like any
other, so a row whose targets are all NaN is the unlabelled one.
"""

import numbers

import numpy as np

__all__ = ["UNLABELLED", "fill_rows", "labelled_class_rows", "labelled_target_rows",
           "take_rows"]

UNLABELLED = -1


def labelled_class_rows(y):
    """Boolean mask (n_samples,) of the rows of class labels ``y`` that carry a
    label, or None when ``y`` is not one label per row (the label checks then
    say what is wrong)."""
    try:
        labels = np.asarray(y, dtype=object if isinstance(y, (list, tuple)) else None)
    except ValueError:
        return None
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1:
        return None
    if labels.dtype.kind in "iuf":
        return labels != UNLABELLED
    if labels.dtype != object:
        return np.ones(len(labels), dtype=bool)
    return np.array([not _is_marker(label) for label in labels], dtype=bool)


def _is_marker(label):
    return (isinstance(label, numbers.Real) and not isinstance(label, (bool, np.bool_))
            and label == UNLABELLED)


def labelled_target_rows(y):
    """Boolean mask (n_samples,) of the rows of regression targets ``y`` with at
    least one target that is not NaN, or None when ``y`` is not numeric (the
    target checks then say what is wrong)."""
    try:
        values = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if values.ndim not in (1, 2) or values.ndim == 2 and not values.shape[1]:
        return None
    return ~np.isnan(values.reshape(len(values), -1)).all(axis=1)


def take_rows(y, rows):
    """The rows ``rows`` (a boolean mask) of ``y``: a list, tuple, array or
    pandas object, each label keeping its own type."""
    if hasattr(y, "iloc"):
        return y.iloc[np.flatnonzero(rows)]
    if isinstance(y, (list, tuple)):
        return [label for label, keep in zip(y, rows, strict=True) if keep]
    return np.asarray(y)[rows]


def fill_rows(y, rows, source):
    """A copy of ``y`` whose rows ``rows`` (a boolean mask) hold row ``source``'s
    value: the unlabelled rows filled with a label, so that ``y`` can be
    checked in place and a message names each sample by its row."""
    if hasattr(y, "iloc"):
        filled = y.copy()
        filled.iloc[np.flatnonzero(rows)] = [y.iloc[source]] * int(rows.sum())
        return filled
    if isinstance(y, (list, tuple)):
        return [y[source] if fill else value
                for value, fill in zip(y, rows, strict=True)]
    filled = np.array(y, copy=True)
    filled[rows] = filled[source]
    return filled
