"""Parameter validation with scikit-learn's machinery plus "did you mean" hints."""

import difflib

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
from sklearn.utils._param_validation import InvalidParameterError, StrOptions
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
