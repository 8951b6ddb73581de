"""Character language model: embedding -> recurrent layers -> next-character logits."""

from torch import nn

from sklearn_rnn.nn._recurrent import (
    RecurrentEncoder,
    count_parameters,
    embed,
    encoder_layer_rows,
)

__all__ = ["CharLMModule"]


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
