"""Checks of what ``fit`` learns from beside ``X``: the number of targets,
class labels, regression targets, sample and class weights."""

import math
import numbers
import warnings

import numpy as np
from sklearn.exceptions import DataConversionWarning
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import _num_samples, check_array

from sklearn_rnn.utils._checks._ids import refuse_complex
from sklearn_rnn.utils._validation import describe, plain, user_stacklevel


# -------------------------------------------------------------------- targets
def check_n_samples(X, y, owner, noun):
    """Refuse a missing ``y``, one that is not a sequence of targets and one whose
    length differs from ``X``'s; ``noun`` names one entry of ``y`` in the message
    ('label', 'target')."""
    if y is None:
        raise ValueError(f"{owner} requires y to be passed, but the target y is None.")
    if isinstance(y, (str, bytes, dict, set, frozenset)) or not (
        hasattr(y, "__len__") or hasattr(y, "shape") or hasattr(y, "__array__")
    ) or getattr(y, "shape", None) == ():
        raise TypeError(
            f"y must hold one {noun} per sample of X, in order (a list, an array "
            f"or a pandas Series); got {describe(y)}."
        )
    n_X, n_y = _num_samples(X), _num_samples(y)
    if n_y != n_X:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: X has "
            f"{n_X} samples (rows) but y has {n_y} {noun}s; pass one {noun} "
            "per sample."
        )


def check_labels(y):
    """Refuse missing labels (NaN, None) and labels of mixed types, naming one.

    ``y`` has been through numpy already, which turns the ints of a list that
    also holds str into str; :func:`~sklearn_rnn.utils._validation.
    check_class_labels` reads the raw ``y`` and sees them.
    """
    check_no_missing_labels(y)
    check_label_kinds(y)


# Targets beyond this magnitude are refused: squaring their deviations from the
# mean (for the standard deviation) would overflow float64.
MAX_TARGET = 1e150


def check_regression_targets(y, owner):
    """``y`` as a float64 array of shape (n_samples,) or (n_samples, n_outputs) of
    finite numbers within +-``MAX_TARGET``; the error names the first bad
    sample."""
    refuse_complex(y, f"{owner} predicts real numbers, so y must hold them")
    y = check_array(y, ensure_2d=False, dtype=None, ensure_all_finite=False,
                    allow_nd=True, ensure_min_features=0, input_name="y",
                    estimator=owner)
    if y.ndim > 2 or (y.ndim == 2 and not y.shape[1]):
        raise ValueError(
            f"y must hold one target per sample, shape (n_samples,), or one row of "
            f"targets per sample, shape (n_samples, n_outputs) with n_outputs >= 1; "
            f"got an array of shape {y.shape}."
        )
    y = _numeric_targets(y, owner)
    rows = y.reshape(len(y), -1)
    bad_rows = ~np.isfinite(rows).all(axis=1)
    if bad_rows.any():
        sample = np.flatnonzero(bad_rows)[0]
        value = rows[sample][~np.isfinite(rows[sample])][0]
        raise ValueError(
            f"Input y contains {'NaN' if np.isnan(value) else 'infinity'}: the "
            f"target of sample {sample} is {value} ({bad_rows.sum()} sample(s) with "
            "a non-finite target in all). Targets must be finite numbers; drop or "
            "impute those samples."
        )
    huge = (np.abs(rows) > MAX_TARGET).any(axis=1)
    if huge.any():
        sample = np.flatnonzero(huge)[0]
        value = rows[sample][np.abs(rows[sample]) > MAX_TARGET][0]
        raise ValueError(
            f"The target of sample {sample} is {value:.3g}, beyond +-{MAX_TARGET:g} "
            f"({huge.sum()} sample(s) in all), too large to standardise in float64. "
            "Rescale y (divide it by a power of ten, or take logs) and map the "
            "predictions back."
        )
    return y


def _numeric_targets(y, owner):
    """``y`` as float64; a ValueError naming the first target that is no real
    number (a str that is no number, None, a complex number, a date)."""
    kind = y.dtype.kind
    if kind in "biuf":
        return y.astype(np.float64, copy=False)
    flat = y.reshape(len(y), -1)
    bad = (0, flat[0, 0] if flat.size else None)
    if kind in "OUS":  # numbers written as text, as in a CSV, are read
        try:
            return y.astype(np.float64)
        except (TypeError, ValueError):
            bad = next((i, v) for i, row in enumerate(flat) for v in row
                       if not _is_float(v))
    # else complex (whose imaginary part a cast would drop), dates, records
    sample, value = bad
    raise ValueError(
        f"{owner} predicts numbers, so y must hold numbers (real ones): the target "
        f"of sample {sample} is {describe(value)}. For categories use "
        "RNNTextClassifier."
    )


def _is_float(value):
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def standardisation(y, sample_weight=None):
    """Weighted mean and standard deviation of each column of ``y``, without
    overflow or underflow at any magnitude.

    Each column is divided by its largest magnitude first, so the deviations are
    squared in [-2, 2]; ``y`` near 1e200 or 1e-200 gets a finite, non-zero
    scale. A column that is constant up to rounding gets scale 1, as in
    scikit-learn's ``StandardScaler``.

    Parameters
    ----------
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Finite targets.
    sample_weight : ndarray of shape (n_samples,), default=None
        Non-negative weights; None (or all 0) weighs every sample the same.

    Returns
    -------
    mean, scale : ndarray of shape (n_outputs,)
        float64; ``(y - mean) / scale`` has weighted mean 0 and standard
        deviation 1 (0 for a constant column).
    """
    y = np.asarray(y, dtype=np.float64)
    y = y.reshape(len(y), -1)
    weights = None
    if sample_weight is not None:
        weights = np.asarray(sample_weight, dtype=np.float64)
        largest_weight = weights.max(initial=0.0)
        weights = weights / largest_weight if largest_weight > 0 else None
    magnitude = np.abs(y).max(axis=0, initial=0.0)
    magnitude = np.where(magnitude > 0, magnitude, 1.0)
    unit = y / magnitude  # (n_samples, n_outputs) in [-1, 1]
    mean = np.average(unit, axis=0, weights=weights)
    spread = np.sqrt(np.average((unit - mean) ** 2, axis=0, weights=weights))
    # a constant column deviates from its mean by rounding errors only
    constant = spread <= 10 * np.finfo(np.float64).eps
    return mean * magnitude, np.where(constant, 1.0, spread * magnitude)


# ------------------------------------------------------------------ class labels
def check_class_labels(y, owner):
    """Class labels ``y`` as the 1-D array ``column_or_1d`` gives, or a clear error.

    The kinds of the labels are read from ``y`` as given, before numpy converts
    it: ``np.asarray([1, "a"])`` turns the int into the str ``'1'``, so a list
    that mixes kinds would silently become str labels while the same labels in
    a pandas Series would not. The rule is the same for every container: the
    labels are all str, all numbers (int and float) or all bool. A bool mixed
    with numbers is refused too, although numpy and scikit-learn's
    ``type_of_target`` read ``True`` as 1: the two would merge into one class.
    An object array (a pandas Series) of numbers comes back as a numeric array,
    so ints stay ints.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, 1)
        Labels as passed to ``fit``: list, tuple, array or pandas Series.
    owner : str
        The estimator's class name, for messages.

    Returns
    -------
    y : ndarray of shape (n_samples,)

    Raises
    ------
    TypeError
        For a bare string or labels of mixed kinds, naming two samples.
    ValueError
        For a missing label (None, NaN, ``pd.NA``, NaT), naming the sample, and
        for a ``y`` that is not one label per sample.
    """
    if y is None:  # scikit-learn's wording, which its estimator checks expect
        raise ValueError(f"{owner} requires y to be passed, but the target y is None.")
    if isinstance(y, (str, bytes)):
        raise TypeError(
            f"y is a single string; {owner} expects one label per sample (a list, "
            "an array or a pandas Series)."
        )
    labels = _as_label_array(y, owner)
    check_no_missing_labels(labels)
    check_label_kinds(labels)
    if labels.dtype == object and len(labels) and (
        isinstance(y, (list, tuple)) or _label_kind(labels[0]) in ("number", "bool")
    ):
        # what np.asarray gives for labels of one kind: ints stay ints
        return np.asarray(labels.tolist())
    return labels


def _as_label_array(y, owner):
    """``y`` as a 1-D array that keeps each label's own type (object for lists)."""
    try:
        labels = np.asarray(y, dtype=object if isinstance(y, (list, tuple)) else None)
    except ValueError:  # rows of different lengths in a nested list
        raise ValueError(
            f"y must hold one label per sample; got nested sequences of different "
            f"lengths. {owner} predicts one class per sample."
        ) from None
    if labels.ndim == 2 and labels.shape[1] == 1:
        # scikit-learn's column_or_1d(warn=True), which its estimator checks expect
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. Please "
            "change the shape of y to (n_samples, ), for example using ravel().",
            DataConversionWarning, stacklevel=user_stacklevel(),
        )
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise ValueError(
            f"y must hold one label per sample, a 1-D array of shape (n_samples,); "
            f"got an array of shape {labels.shape}. {owner} predicts one class per "
            "sample (no multi-output or multilabel y)."
        )
    return labels


def check_no_missing_labels(labels):
    """Refuse a 1-D label array holding None, NaN, ``pd.NA`` or NaT, naming the
    first such sample."""
    if labels.dtype.kind == "f":
        missing = np.flatnonzero(np.isnan(labels))
    elif labels.dtype.kind in "mM":
        missing = np.flatnonzero(np.isnat(labels))
    elif labels.dtype == object:
        missing = [i for i, label in enumerate(labels) if _is_missing(label)]
    else:
        return
    if len(missing):
        raise ValueError(
            f"Input y contains NaN or None: the label of sample {missing[0]} is "
            f"missing ({len(missing)} missing in all). Every sample needs a label; "
            "drop the unlabeled samples or give them a class."
        )


def _is_missing(label):
    if label is None:
        return True
    if isinstance(label, (float, np.floating)):
        return label != label
    if isinstance(label, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(label))
    # pandas' missing values, recognised without importing pandas
    return type(label).__name__ in ("NAType", "NaTType")


def check_label_kinds(labels):
    """Refuse an object array of labels that mixes str, numbers, bools or other
    types, naming the first sample of another kind than the first one."""
    if labels.dtype != object or not len(labels):
        return
    kinds = [_label_kind(label) for label in labels]
    distinct = set(kinds)
    if len(distinct) < 2:
        if distinct - {"str", "number", "bool", "bytes"}:
            _refuse_label_type(labels[0], distinct.pop())
        return
    other = next(i for i, kind in enumerate(kinds) if kind != kinds[0])
    merge = (" True equals 1 and False equals 0, so they would merge into one "
             "class." if distinct == {"bool", "number"} else "")
    raise TypeError(
        f"y mixes labels of types {sorted(distinct)}: sample 0 is "
        f"{plain(labels[0])!r} ({kinds[0]}) and sample {other} is "
        f"{plain(labels[other])!r} ({kinds[other]}).{merge} The labels must be all "
        "str, all numbers or all bool; convert them, e.g. with y.astype(str)."
    )


def _label_kind(label):
    if isinstance(label, str):
        return "str"
    if isinstance(label, (bool, np.bool_)):
        return "bool"
    if isinstance(label, numbers.Number):
        return "number"
    return "bytes" if isinstance(label, bytes) else type(label).__name__


def _refuse_label_type(label, kind):
    raise TypeError(
        f"y holds labels of type {kind} (sample 0 is {plain(label)!r}); class labels "
        "must be str, numbers or bool. Convert them, e.g. with y.astype(str)."
    )


def check_n_classes(classes, owner):
    """Refuse fewer than two classes, showing the one class as the user wrote it
    (``'a'``, ``7``, ``1.0``; numpy scalars as plain values)."""
    if len(classes) < 2:
        raise ValueError(
            f"{owner} needs samples of at least 2 classes in y; got only one class: "
            f"{plain(classes[0])!r}."
        )


# ---------------------------------------------------------------------- weights
WEIGHTS_ALLOWED = "finite numbers >= 0"


def check_sample_weight(sample_weight, n_samples, owner, *, dtype=np.float32,
                        noun="samples"):
    """``sample_weight`` as a 1-D array of ``n_samples`` weights, or a clear error.

    scikit-learn's ``_check_sample_weight`` refuses negative weights only when
    asked to (``ensure_non_negative``), and its messages name neither the sample
    nor the value. Bools count as 0 and 1, as numpy reads them (a mask of the
    samples to keep is a valid weighting).

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,), number or None
        As passed to ``fit``; None weighs every sample 1, a number weighs every
        sample the same.
    n_samples : int
        Number of samples of ``X``.
    owner : str
        The estimator's class name, for messages.
    dtype : numpy dtype, default=np.float32
        Of the result; a weight beyond its range is refused.
    noun : str, default="samples"
        What one row of ``X`` is, in messages ("sentences" for a tagger).

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,)
        C-contiguous, of ``dtype``.

    Raises
    ------
    TypeError
        For weights that are not numbers, naming the first such sample.
    ValueError
        For a wrong shape or length, NaN, infinity, negative weights (naming the
        first sample) and weights that are all 0.
    """
    if sample_weight is None:
        return np.ones(n_samples, dtype=dtype)
    weights = _weight_array(sample_weight, n_samples, owner, noun)
    cast = _cast(weights, dtype)
    _check_weight_values(weights, cast, "sample_weight", "the weight of sample {}")
    return np.ascontiguousarray(cast)


def _weight_array(sample_weight, n_samples, owner, noun="samples"):
    """float64 weights of shape (n_samples,), checked for type, shape and length."""
    allowed = (f"sample_weight must be None, a number or an array-like of "
               f"{n_samples} numbers, one per sample of X")
    if isinstance(sample_weight, (str, bytes, dict, set, frozenset)) or not (
        hasattr(sample_weight, "__len__") or hasattr(sample_weight, "__array__")
        or isinstance(sample_weight, numbers.Number)
    ) or type(sample_weight).__module__.startswith("scipy.sparse"):
        hint = (" (for weights by class, use the estimator's class_weight)"
                if isinstance(sample_weight, dict) else "")
        raise TypeError(f"{allowed}; got {describe(sample_weight)}{hint}.")
    try:
        weights = np.asarray(sample_weight, dtype=object
                             if isinstance(sample_weight, (list, tuple)) else None)
    except ValueError:  # nested lists of different lengths
        raise ValueError(
            f"{allowed}; got nested sequences of different lengths."
        ) from None
    if weights.ndim == 0:
        weights = np.full(n_samples, weights[()], dtype=weights.dtype)
    if weights.ndim != 1:
        raise ValueError(
            f"sample_weight must be 1-D, one weight per sample of X; got an array "
            f"of shape {weights.shape}. Flatten it with np.ravel(sample_weight) if "
            "it holds one weight per sample."
        )
    if len(weights) != n_samples:
        raise ValueError(
            f"sample_weight has {len(weights)} weights but X has {n_samples} "
            f"{noun}; pass one weight per {noun[:-1]} to {owner}."
        )
    return _numbers_as_float(weights, "sample_weight", "the weight of sample {}")


def _numbers_as_float(values, name, item):
    """``values`` as float64 where every one is a real number (bools count as 0
    and 1); a TypeError naming the first one that is not."""
    if values.dtype.kind in "biuf":
        return values.astype(np.float64)
    if values.dtype == object:
        bad = next((i for i, v in enumerate(values) if not _is_real(v)), None)
    else:  # str, bytes, complex, dates, records
        bad = 0
    if bad is not None:
        raise TypeError(
            f"{name} must hold real numbers: {item.format(bad)} is "
            f"{describe(values[bad])}. Weights are {WEIGHTS_ALLOWED}."
        )
    return values.astype(np.float64)


def _is_real(value):
    return isinstance(value, (numbers.Real, np.bool_)) and not isinstance(
        value, np.datetime64 | np.timedelta64)


def _cast(weights, dtype):
    with np.errstate(over="ignore"):  # beyond the dtype's range: inf, refused after
        return weights.astype(dtype)


def _check_weight_values(weights, cast, name, item):
    """Refuse NaN, infinity, negative weights (naming the first one in float64
    ``weights``), weights beyond the range of ``cast``'s dtype and all-0 ones."""
    problems = (
        (~np.isfinite(weights), "NaN or infinity"),
        (weights < 0, "negative weights"),
        (~np.isfinite(cast), f"weights beyond the range of {cast.dtype}"),
    )
    for bad, what in problems:
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            fix = (" Rescale the weights." if what.startswith("weights beyond")
                   else f" Weights must be {WEIGHTS_ALLOWED} (0 leaves a sample "
                   "out).")
            raise ValueError(
                f"{name} contains {what}: {item.format(first)} is "
                f"{weights[first].item()!r} "
                f"({int(bad.sum())} such in all).{fix}"
            )
    if not cast.any():
        raise ValueError(
            f"{name} is zero for all {len(weights)} samples, so no sample would "
            "count (in training or in a score); give the samples that should count "
            "a weight > 0."
        )


def check_class_weight(class_weight, classes, owner):
    """The weight of each of ``classes`` under a ``class_weight`` dict.

    A key matches a class by Python equality (``{1: 2.0}`` weighs the class
    ``1``, ``{"1": 2.0}`` the class ``'1'``); a class without a key weighs 1.
    Keys that are no class are allowed only when every class has a weight, as in
    scikit-learn (a fold of a cross-validation may lack a class).

    Parameters
    ----------
    class_weight : dict, 'balanced' or None
        The estimator's parameter.
    classes : ndarray of shape (n_classes,)
        The sorted classes of ``y``.
    owner : str
        The estimator's class name, for messages.

    Returns
    -------
    weights : ndarray of shape (n_classes,) or None
        float64 weights in the order of ``classes``; None for None and
        'balanced', which depend on ``y`` itself.

    Raises
    ------
    TypeError
        For a weight that is not a number, naming its key.
    ValueError
        For NaN, infinite or negative weights, naming the key, and for keys that
        are no class while a class has no weight.
    """
    if class_weight is None or (isinstance(class_weight, str)
                                and class_weight == "balanced"):
        return None
    prefix = f"The 'class_weight' parameter of {owner}"
    if not isinstance(class_weight, dict):
        raise InvalidParameterError(
            f"{prefix} must be a dict, 'balanced' or None; got "
            f"{describe(class_weight)}."
        )
    for key, value in class_weight.items():
        if not _is_real(value):
            raise TypeError(
                f"{prefix}: the weight of class {plain(key)!r} is "
                f"{describe(value)}; class weights must be {WEIGHTS_ALLOWED}."
            )
        if not math.isfinite(value) or value < 0:
            raise ValueError(
                f"{prefix}: the weight of class {plain(key)!r} is "
                f"{plain(value)!r}; class weights must be {WEIGHTS_ALLOWED}."
            )
    labels = [plain(c) for c in classes]
    unweighted = [c for c in labels if c not in class_weight]
    unknown = [plain(key) for key in class_weight if key not in labels]
    if unknown and unweighted:
        raise ValueError(
            f"{prefix} has the keys {unknown}, which are none of the classes "
            f"{labels} of y, while the classes {unweighted} have no weight. The "
            "keys must be class labels of the same type as y's (classes without a "
            "key weigh 1)."
        )
    return np.array([float(class_weight.get(c, 1.0)) for c in labels])


def apply_class_weight(sample_weight, class_weight, y, owner):
    """``sample_weight`` times the weight of each sample's class.

    Parameters
    ----------
    sample_weight : ndarray of shape (n_samples,)
        Checked weights (:func:`check_sample_weight`).
    class_weight : dict, 'balanced' or None
        The estimator's parameter, checked with :func:`check_class_weight`;
        'balanced' weighs each class by ``n_samples / (n_classes * count)``.
    y : ndarray of shape (n_samples,)
        Checked labels (:func:`check_class_labels`).
    owner : str
        The estimator's class name, for messages.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,)
        Of ``sample_weight``'s dtype.

    Raises
    ------
    ValueError
        When a weight leaves the dtype's range, or no sample keeps a weight > 0
        (the classes of all weighted samples weigh 0).
    """
    if class_weight is None:
        return sample_weight
    classes, index = np.unique(y, return_inverse=True)
    per_class = check_class_weight(class_weight, classes, owner)
    if per_class is None:  # 'balanced'
        factors = compute_sample_weight("balanced", y)
    else:
        factors = per_class[index.reshape(-1)]
    weights = sample_weight.astype(np.float64) * factors
    cast = _cast(weights, sample_weight.dtype)
    _check_weight_values(weights, cast, "sample_weight times class_weight",
                         "the weight of sample {}")
    return cast
