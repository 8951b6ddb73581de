"""Character language model: embedding -> recurrent layers -> next-character logits."""

import math

import torch
from torch import nn

from sklearn_rnn.nn._recurrent import (
    NetworkSize,
    RecurrentEncoder,
    count_parameters,
    embed,
    encoder_layer_rows,
    encoder_size,
    linear_size,
)

__all__ = ["CharLMModule", "sampling_weights"]


class CharLMModule(nn.Module):
    """Predicts the next character at every step of a chunk of character ids.

    Parameters
    ----------
    vocab_size : int
        Number of character ids.
    embedding_dim, cell_type, units, num_layers, dropout, recurrent_dropout
        See :class:`RecurrentEncoder` (unidirectional: a language model must not
        read the future).
    """

    def __init__(self, vocab_size, embedding_dim=64, cell_type="lstm", units=512,
                 num_layers=2, dropout=0.0, recurrent_dropout=0.0):
        super().__init__()
        # PyTorch's N(0, 1) embedding, not the classifier's Keras-style
        # uniform(-0.05, 0.05): a character embedding plays the role of a one-hot
        # input of norm 1, and tiny inputs made the first epochs crawl.
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.encoder = RecurrentEncoder(cell_type, embedding_dim, units, num_layers,
                                        False, dropout, recurrent_dropout)
        self.head_dropout = nn.Dropout(dropout)
        self.head = nn.Linear(units, vocab_size)

    @staticmethod
    def size(vocab_size, embedding_dim=64, cell_type="lstm", units=512,
             num_layers=2, **options):
        """The :class:`~sklearn_rnn.nn._recurrent.NetworkSize` of the network
        these arguments (those of ``__init__``) build, without building it."""
        return (NetworkSize(vocab_size * embedding_dim, 0)
                + encoder_size(cell_type, embedding_dim, units, num_layers)
                + linear_size(units, vocab_size))

    def forward(self, tokens):
        """Next-character logits (B, T, vocab_size) for ids (B, T), from zero state."""
        logits, _ = self.step(tokens)
        return logits

    def step(self, tokens, states=None):
        """Run ``tokens`` (B, T) from ``states``; return (logits, new states)."""
        x = embed(self.embedding, tokens)  # (B, T, E)
        outputs, states = self.encoder(x, lengths=None, states=states)  # (B, T, H)
        return self.head(self.head_dropout(outputs)), states  # (B, T, V)

    def layer_table(self, seq_len=None):
        """Rows ``(layer, output shape, parameter count)`` in Keras' summary style."""
        steps = "None" if seq_len is None else seq_len
        return [
            ("Embedding", f"(None, {steps}, {self.embedding.embedding_dim})",
             count_parameters(self.embedding)),
            *encoder_layer_rows(self.encoder, steps),
            ("Linear", f"(None, {steps}, {self.head.out_features})",
             count_parameters(self.head)),
        ]


def sampling_weights(logits, temperature=1.0, top_k=None):
    """Unnormalised probabilities of ``softmax(logits / temperature)`` over the top k.

    The weights are computed in log space, shifted so that the largest logit
    weighs exactly 1: no temperature overflows them or turns them to NaN, and
    as the temperature tends to 0 they tend to a one-hot vector on the argmax
    (uniform over ties), as towards infinity they tend to uniform weights.

    Parameters
    ----------
    logits : Tensor of shape (V,)
        Scores of the ids, in any floating dtype; ``-inf`` marks an id that
        must never be drawn.
    temperature : float, default=1.0
        Divisor of the logits, a finite number > 0.
    top_k : int >= 1 or None, default=None
        Keep only the ``top_k`` largest logits (with any that tie the k-th, as
        nanoGPT does); a ``top_k`` of at least ``V`` keeps them all.

    Returns
    -------
    weights : Tensor of shape (V,), float64
        Non-negative, with maximum 1: ready for ``torch.multinomial``.
    """
    # float64 holds (logits - max) / temperature for every finite temperature
    # a Python float can be; float32 would turn 1e-46 into 0 and 1e39 into inf.
    logits = logits.double()
    best = logits.max()
    if not torch.isfinite(best):
        raise ValueError(
            f"The logits must be finite to sample from, got {best.item()} as the "
            "largest; the model's weights are probably nan or inf (refit it, "
            "e.g. with a smaller lr)."
        )
    if top_k is not None and top_k < len(logits):
        cutoff = torch.topk(logits, top_k).values[-1]
        logits = logits.masked_fill(logits < cutoff, -math.inf)
    # every shifted score is <= 0 and the best is 0, so exp gives weights in
    # [0, 1] with at least one 1: their sum can neither overflow nor vanish
    return torch.exp((logits - best) / temperature)
