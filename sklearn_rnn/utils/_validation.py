"""Parameter validation with scikit-learn's machinery plus "did you mean" hints
(the checks of the data itself are in ``_checks``).

No torch or skorch import here: the preprocessing layer imports this module.
"""

import difflib
import functools
import inspect
import math
import numbers
import os
import sys
from contextlib import contextmanager

import numpy as np
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    StrOptions,
    make_constraint,
)
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


def max_threads():
    """The most threads ``n_threads`` may ask for: four per CPU, at least 64
    (a model fitted on a larger machine still runs here)."""
    return max(4 * (os.cpu_count() or 1), 64)


def check_n_threads(n_threads, owner):
    """Refuse an ``n_threads`` that is no int in [1, :func:`max_threads`] (or
    None): OpenMP aborts the whole process when it cannot create the threads it
    is asked for. Checked wherever it is used, so that a value set after
    ``fit`` is checked too.

    Parameters
    ----------
    n_threads : int or None
        The estimator's parameter.
    owner : str
        The estimator's class name, for the message.
    """
    if n_threads is None:
        return
    limit = max_threads()
    if (isinstance(n_threads, (bool, np.bool_))
            or not isinstance(n_threads, numbers.Integral)
            or not 1 <= n_threads <= limit):
        raise InvalidParameterError(
            f"The 'n_threads' parameter of {owner} must be None or an int in "
            f"[1, {limit}] (this machine has {os.cpu_count()} CPUs; more threads "
            f"only wait for each other). Got {describe(n_threads)} instead."
        )


def count_text(n, grouped=True):
    """An int as messages show it: with thousands separators (unless not
    ``grouped``), or as a power of ten beyond 10**18 (Python refuses to write
    an int of thousands of digits)."""
    if abs(n) < 10**18:
        return f"{n:,}" if grouped else str(n)
    return f"about {'-' * (n < 0)}10**{round(math.log10(abs(n)))}"


def human_bytes(n_bytes):
    """``n_bytes`` (an int of any size) as people read it: ``'512 bytes'``,
    ``'1.5 GiB'``, ``'10**21 bytes'`` (rounded to a power of ten)."""
    if n_bytes < 1024:
        return f"{n_bytes} bytes"
    for power, unit in enumerate(("KiB", "MiB", "GiB", "TiB", "PiB"), start=1):
        if n_bytes < 1024 ** (power + 1):
            return f"{n_bytes / 1024**power:.1f} {unit}"
    return f"10**{round(math.log10(n_bytes))} bytes"


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
