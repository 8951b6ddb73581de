"""Errors and warnings raised by sklearn-rnn."""

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

__all__ = ["NotFittedError", "TrainingDivergedError", "TrainingWarning",
           "UnseenTokenWarning"]


class NotFittedError(_SklearnNotFittedError):
    """Raised when a method that needs a fitted estimator is called before ``fit``.

    Subclasses scikit-learn's ``NotFittedError`` so ``except`` clauses written for
    scikit-learn keep working.
    """


class TrainingWarning(UserWarning):
    """Something about a fit that the user should know, e.g. early stopping was
    requested but there is no validation data to monitor."""


class TrainingDivergedError(FloatingPointError):
    """Raised when the training loss becomes NaN or infinite. The estimator keeps
    the last finite weights; a lower learning rate or gradient clipping usually
    helps."""


class UnseenTokenWarning(UserWarning):
    """Many token ids given to ``predict`` lie above the id range the model saw
    in ``fit``, or far above it: they are read as the unknown word, and the ids
    probably come from another vocabulary than the one the model learned."""
