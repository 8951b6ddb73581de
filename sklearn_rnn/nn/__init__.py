"""PyTorch modules (torch only: no scikit-learn or skorch imports here)."""

from sklearn_rnn.nn._char_lm import CharLMModule
from sklearn_rnn.nn._classifier import (
    POOLINGS,
    RNNClassifierModule,
    masked_pool,
    share_unknown_row,
)
from sklearn_rnn.nn._crf import LinearChainCRF
from sklearn_rnn.nn._ensemble import RNNClassifierEnsemble
from sklearn_rnn.nn._pretrain import EncoderLanguageModel, load_encoder
from sklearn_rnn.nn._recurrent import (
    CELL_TYPES,
    RecurrentEncoder,
    RecurrentLayer,
    left_align,
    reverse_within_lengths,
)
from sklearn_rnn.nn._regressor import RNNRegressorModule
from sklearn_rnn.nn._tagger import CharCNN, RNNTaggerModule

__all__ = [
    "CELL_TYPES",
    "CharCNN",
    "CharLMModule",
    "EncoderLanguageModel",
    "LinearChainCRF",
    "POOLINGS",
    "RNNClassifierEnsemble",
    "RNNClassifierModule",
    "RNNRegressorModule",
    "RNNTaggerModule",
    "RecurrentEncoder",
    "RecurrentLayer",
    "left_align",
    "load_encoder",
    "masked_pool",
    "reverse_within_lengths",
    "share_unknown_row",
]
