"""Parameter validation with scikit-learn's machinery plus "did you mean" hints,
and the checks of what ``fit`` receives beside ``X`` (class labels, sample and
class weights) that torch-free estimators share with the networks.

No torch or skorch import here: the preprocessing layer imports this module.
"""

import difflib
import functools
import inspect
import math
import numbers
import sys
import warnings
from contextlib import contextmanager

import numpy as np
from sklearn.exceptions import DataConversionWarning
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    StrOptions,
    make_constraint,
)
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import check_is_fitted as _sklearn_check_is_fitted

from sklearn_rnn.exceptions import NotFittedError


def suggest(value, allowed):
    """Return ``" Did you mean 'x'?"`` for the closest allowed string, or ``""``."""
    if not isinstance(value, str):
        return ""
    matches = difflib.get_close_matches(value.lower(), sorted(allowed), n=1, cutoff=0.5)
    return f" Did you mean {matches[0]!r}?" if matches else ""


def validate_params(estimator):
    """Validate ``estimator``'s parameters against its ``_parameter_constraints``.

    Same errors as scikit-learn's ``fit``, with a spelling suggestion appended when a
    string parameter is close to one of its allowed values. Two more checks than
    scikit-learn's: a bool is refused where only a numeric range accepts it, and
    the items of a ``callbacks`` list must be skorch callbacks.
    """
    try:
        estimator._validate_params()
    except InvalidParameterError as exc:
        raise InvalidParameterError(str(exc) + _hint(estimator, str(exc))) from None
    _refuse_bools_as_numbers(estimator)
    if "callbacks" in estimator._parameter_constraints:
        check_callbacks(getattr(estimator, "callbacks", None),
                        type(estimator).__name__)


def _hint(estimator, message):
    params = estimator.get_params(deep=False)
    for name, constraints in estimator._parameter_constraints.items():
        if f"'{name}' parameter" not in message:
            continue
        if name == "callbacks":
            return f" {CALLBACKS_ALLOWED}, e.g. callbacks=[cb]."
        allowed = set()
        for constraint in constraints:
            if isinstance(constraint, StrOptions):
                allowed |= set(constraint.options)
        return suggest(params.get(name), allowed)
    return ""


def _refuse_bools_as_numbers(estimator):
    """scikit-learn's ``Interval`` takes ``True`` for the number 1 (a bool is an
    ``Integral``), so ``units=True`` would train one unit and ``dropout=False``
    mean no dropout. A bool is refused wherever only a numeric range accepts it;
    parameters that also accept bools (``"boolean"``, ``"verbose"``) keep them."""
    params = estimator.get_params(deep=False)
    for name, constraints in estimator._parameter_constraints.items():
        value = params.get(name)
        if not isinstance(value, bool) or not isinstance(constraints, list):
            continue
        constraints = [make_constraint(c) for c in constraints]
        accepting = [c for c in constraints if c.is_satisfied_by(value)]
        if accepting and all(isinstance(c, Interval) for c in accepting):
            shown = [str(c) for c in constraints if not c.hidden]
            allowed = (shown[0] if len(shown) == 1
                       else f"{', '.join(shown[:-1])} or {shown[-1]}")
            raise InvalidParameterError(
                f"The {name!r} parameter of {type(estimator).__name__} must be "
                f"{allowed}. Got {value!r} instead (a bool is not a number here)."
            )


CALLBACKS_ALLOWED = ("Pass a list of skorch Callback instances (or classes) or "
                     "(name, Callback) tuples with a str name")


def check_callbacks(callbacks, owner):
    """Refuse a ``callbacks`` value skorch would fail on deep inside ``fit``.

    Parameters
    ----------
    callbacks : list or None
        The estimator's ``callbacks`` parameter.
    owner : str
        The estimator's class name, for the message.

    Raises
    ------
    InvalidParameterError
        Naming the item that is neither a skorch ``Callback`` (instance or
        subclass) nor a ``(str, Callback)`` pair, or a name used twice.
    """
    if callbacks is None:
        return
    prefix = f"The 'callbacks' parameter of {owner}"
    if not isinstance(callbacks, list):
        raise InvalidParameterError(
            f"{prefix} must be a list or None; got {describe(callbacks)}. "
            f"{CALLBACKS_ALLOWED}, e.g. callbacks=[cb]."
        )
    names = {}
    for index, item in enumerate(callbacks):
        where, callback = f"item {index}", item
        if isinstance(item, (tuple, list)):
            name, callback = _named_callback(item, index, prefix)
            if name in names:
                raise InvalidParameterError(
                    f"{prefix}: items {names[name]} and {index} are both named "
                    f"{name!r}; give each callback its own name."
                )
            names[name] = index
            where = f"the callback of item {index} ({name!r})"
        if not _is_skorch_callback(callback):
            raise InvalidParameterError(
                f"{prefix}: {where} is {describe(callback)}, not a skorch Callback. "
                f"{CALLBACKS_ALLOWED}."
            )


def _named_callback(item, index, prefix):
    """``(name, callback)`` of a named item, with a str name."""
    if len(item) != 2:
        raise InvalidParameterError(
            f"{prefix}: item {index} is a {type(item).__name__} of {len(item)} "
            f"values; a named callback is a (name, Callback) pair. "
            f"{CALLBACKS_ALLOWED}."
        )
    name, callback = item
    if not isinstance(name, str):
        raise InvalidParameterError(
            f"{prefix}: item {index} is named {describe(name)}; the name of a "
            f"(name, Callback) pair must be a str. {CALLBACKS_ALLOWED}."
        )
    return name, callback


def _is_skorch_callback(obj):
    # Looked up among the loaded modules rather than imported: this module must
    # stay torch-free, and a skorch callback can only exist once skorch is loaded.
    base = getattr(sys.modules.get("skorch.callbacks"), "Callback", None)
    if base is None:
        return False
    return isinstance(obj, base) or (isinstance(obj, type) and issubclass(obj, base))


def describe(value):
    """``'abc' (a str)``: a value with its type, for messages."""
    value = plain(value)
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"{text} (a {type(value).__name__})"


def plain(value):
    """A numpy scalar as the Python value it holds (``np.int64(7)`` -> ``7``), so
    that messages show values as the user wrote them; anything else unchanged."""
    return value.item() if isinstance(value, np.generic) else value


def check_is_fitted(estimator, attributes=None):
    """scikit-learn's ``check_is_fitted`` raising :class:`~sklearn_rnn.exceptions.
    NotFittedError`, the subclass of scikit-learn's that this library documents."""
    try:
        _sklearn_check_is_fitted(estimator, attributes)
    except _SklearnNotFittedError as exc:
        raise NotFittedError(str(exc)) from None


def integral(value):
    """``value`` as an int when it is an integral float (``64.0``), else unchanged.

    R passes every number as a double (``64`` arrives as ``64.0``; ``64L`` is an
    int), and so do JSON configs; method arguments such as ``n_chars`` use this.
    """
    if (
        isinstance(value, numbers.Real)
        and not isinstance(value, (numbers.Integral, bool))
        and math.isfinite(value)
        and float(value).is_integer()
    ):
        return int(value)
    return value


def integral_params(estimator):
    """The parameters an integral float was given for where only an int is valid,
    mapped to that int (``{'units': 64}`` for ``units=64.0``), and those given as
    numpy scalars, mapped to the Python value (``{'units': 64}`` for
    ``np.int64(64)``, which a grid over ``np.arange`` yields and torch's layers
    refuse).

    A float that the constraints accept as it is stays a float: ``min_df=1.0`` is a
    proportion of documents, as in scikit-learn, not a count.
    """
    params = estimator.get_params(deep=False)
    resolved = {}
    for name, constraints in estimator._parameter_constraints.items():
        value = params.get(name)
        python = plain(value)
        candidate, as_int = python, integral(python)
        if as_int is not python and isinstance(constraints, list):
            constraints = [make_constraint(c) for c in constraints]
            if not any(c.is_satisfied_by(python) for c in constraints) and any(
                c.is_satisfied_by(as_int) for c in constraints
            ):
                candidate = as_int
        if candidate is not value:
            resolved[name] = candidate
    return resolved


@contextmanager
def integral_params_as_ints(estimator):
    """Within the block, the estimator's integral-float parameters are ints and
    its numpy-scalar parameters Python scalars.

    They are restored on exit, even after an error, so ``fit`` leaves
    ``get_params()`` as the user set it (scikit-learn's contract) while the code
    inside reads ints that torch and range() accept.
    """
    resolved = integral_params(estimator)
    originals = {name: getattr(estimator, name) for name in resolved}
    for name, value in resolved.items():
        setattr(estimator, name, value)
    try:
        yield
    finally:
        for name, value in originals.items():
            setattr(estimator, name, value)


class IntegralFloatParams:
    """Mixin: integer parameters also accept integral floats such as ``64.0``.

    R users reach this library through reticulate, which passes ``64`` as a
    float; scikit-learn's validation rejects it for an int parameter. Rather than
    convert in every method, the public methods of each subclass are wrapped once,
    here, so estimators added later get the same behaviour. A non-integral float
    (``64.5``) still fails validation with scikit-learn's message.
    """

    _INT_PARAM_METHODS = (
        "fit", "partial_fit", "fit_transform", "transform", "predict",
        "predict_proba", "decision_function", "score", "generate",
    )

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls._INT_PARAM_METHODS:
            method = cls.__dict__.get(name)
            if inspect.isfunction(method):
                setattr(cls, name, _with_int_params(method))


def _with_int_params(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with integral_params_as_ints(self):
            return method(self, *args, **kwargs)

    return wrapper


def user_stacklevel():
    """The ``stacklevel`` for ``warnings.warn`` that points at the first caller
    outside this package, whatever the depth of wrappers (the one above, private
    helpers) in between; Python 3.12's ``skip_file_prefixes`` does the same."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith(
        "sklearn_rnn."
    ):
        frame, level = frame.f_back, level + 1
    return level


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


def check_sample_weight(sample_weight, n_samples, owner, *, dtype=np.float32):
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
    weights = _weight_array(sample_weight, n_samples, owner)
    cast = _cast(weights, dtype)
    _check_weight_values(weights, cast, "sample_weight", "the weight of sample {}")
    return np.ascontiguousarray(cast)


def _weight_array(sample_weight, n_samples, owner):
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
            f"samples; pass one weight per sample to {owner}."
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
            "count in training; give the samples to learn from a weight > 0."
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
