"""Recurrent neural networks for text as scikit-learn estimators."""

from sklearn_rnn._version import __version__
from sklearn_rnn.baselines import NBSVMClassifier
from sklearn_rnn.estimators import (
    CharLanguageModel,
    EncoderPretrainer,
    RNNTagger,
    RNNTextClassifier,
    RNNTextRegressor,
)
from sklearn_rnn.persistence import load, save
from sklearn_rnn.preprocessing import SequencePadder, TextVectorizer

__all__ = [
    "CharLanguageModel",
    "EncoderPretrainer",
    "NBSVMClassifier",
    "RNNTagger",
    "RNNTextClassifier",
    "RNNTextRegressor",
    "SequencePadder",
    "TextVectorizer",
    "__version__",
    "load",
    "save",
]
