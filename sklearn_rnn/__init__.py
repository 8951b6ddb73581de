"""Recurrent neural networks for text as scikit-learn estimators."""

__version__ = "0.1.0.dev0"

from sklearn_rnn.baselines import NBSVMClassifier  # noqa: E402
from sklearn_rnn.estimators import (  # noqa: E402
    CharLanguageModel,
    RNNTextClassifier,
    RNNTextRegressor,
)
from sklearn_rnn.persistence import load, save  # noqa: E402
from sklearn_rnn.preprocessing import SequencePadder, TextVectorizer  # noqa: E402

__all__ = [
    "CharLanguageModel",
    "NBSVMClassifier",
    "RNNTextClassifier",
    "RNNTextRegressor",
    "SequencePadder",
    "TextVectorizer",
    "__version__",
    "load",
    "save",
]
