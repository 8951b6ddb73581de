"""Parameter validation with scikit-learn's machinery plus "did you mean" hints."""

import difflib
import functools
import inspect
import math
import numbers
import sys
from contextlib import contextmanager

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
from sklearn.utils._param_validation import (
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
    string parameter is close to one of its allowed values.
    """
    try:
        estimator._validate_params()
    except InvalidParameterError as exc:
        raise InvalidParameterError(str(exc) + _hint(estimator, str(exc))) from None


def _hint(estimator, message):
    params = estimator.get_params(deep=False)
    for name, constraints in estimator._parameter_constraints.items():
        if f"'{name}' parameter" not in message:
            continue
        allowed = set()
        for constraint in constraints:
            if isinstance(constraint, StrOptions):
                allowed |= set(constraint.options)
        return suggest(params.get(name), allowed)
    return ""


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
    mapped to that int (``{'units': 64}`` for ``units=64.0``).

    A float that the constraints accept as it is stays a float: ``min_df=1.0`` is a
    proportion of documents, as in scikit-learn, not a count.
    """
    params = estimator.get_params(deep=False)
    resolved = {}
    for name, constraints in estimator._parameter_constraints.items():
        value = params.get(name)
        as_int = integral(value)
        if as_int is value or not isinstance(constraints, list):
            continue
        constraints = [make_constraint(c) for c in constraints]
        if not any(c.is_satisfied_by(value) for c in constraints) and any(
            c.is_satisfied_by(as_int) for c in constraints
        ):
            resolved[name] = as_int
    return resolved


@contextmanager
def integral_params_as_ints(estimator):
    """Within the block, the estimator's integral-float parameters are ints.

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
