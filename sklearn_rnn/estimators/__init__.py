"""scikit-learn estimators trained with skorch."""

from sklearn_rnn.estimators._char_lm import CharLanguageModel
from sklearn_rnn.estimators._classifier import RNNTextClassifier
from sklearn_rnn.estimators._pretrainer import EncoderPretrainer
from sklearn_rnn.estimators._regressor import RNNTextRegressor
from sklearn_rnn.estimators._tagger import RNNTagger

__all__ = ["CharLanguageModel", "EncoderPretrainer", "RNNTagger", "RNNTextClassifier",
           "RNNTextRegressor"]
