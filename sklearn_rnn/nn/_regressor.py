"""Text regression network: the classifier's network with one output per target."""

from sklearn_rnn.nn._classifier import RNNClassifierModule

__all__ = ["RNNRegressorModule"]


class RNNRegressorModule(RNNClassifierModule):
    """Embedding (``padding_idx=0``) -> RNN layers -> pooling -> dropout -> linear.

    The same network as :class:`RNNClassifierModule`; its ``n_outputs`` linear
    outputs are read as (standardised) target values instead of class logits.

    Parameters
    ----------
    vocab_size : int
        Size of the id range (ids ``0 .. vocab_size - 1``; 0 is padding).
    n_outputs : int
        Number of predicted values per sequence.
    **kwargs
        The other arguments of :class:`RNNClassifierModule`.
    """

    def __init__(self, vocab_size, n_outputs, **kwargs):
        super().__init__(vocab_size, n_outputs, **kwargs)

    @staticmethod
    def size(vocab_size, n_outputs, **kwargs):
        """The network's size, as :meth:`RNNClassifierModule.size` gives it."""
        return RNNClassifierModule.size(vocab_size, n_outputs, **kwargs)
