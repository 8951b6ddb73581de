"""scikit-learn estimators trained with skorch."""

from sklearn_rnn.estimators._classifier import RNNTextClassifier

__all__ = ["RNNTextClassifier"]
