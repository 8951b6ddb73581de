"""Text classification network: embedding -> recurrent encoder -> pooling -> head."""

import torch
from torch import nn

from sklearn_rnn._ids import PAD_ID, UNKNOWN_ID
from sklearn_rnn.nn._recurrent import (
    NetworkSize,
    RecurrentEncoder,
    count_parameters,
    embed,
    encoder_layer_rows,
    encoder_size,
    init_embedding,
    left_align,
    linear_size,
)

__all__ = ["POOLINGS", "RNNClassifierModule", "masked_pool", "share_unknown_row"]

POOLINGS = ("last", "max", "mean")


def masked_pool(outputs, lengths, pooling, bidirectional=False):
    """Pool encoder outputs (B, T, D) over each row's real steps only.

    ``'last'`` takes the forward direction at the last real step and, for a
    bidirectional encoder, the backward direction at the first step (where it has
    read the whole sequence), as Keras' ``Bidirectional`` does. Rows of length 0
    pool to zeros.
    """
    steps = torch.arange(outputs.shape[1], device=outputs.device)
    real = (steps < lengths.unsqueeze(1)).unsqueeze(-1)  # (B, T, 1)
    nonempty = (lengths > 0).unsqueeze(1)  # (B, 1)
    if pooling == "max":
        pooled = outputs.masked_fill(~real, float("-inf")).max(dim=1).values
    elif pooling == "mean":
        pooled = (outputs * real).sum(dim=1) / lengths.clamp(min=1).unsqueeze(1)
    else:
        last = (lengths - 1).clamp(min=0)
        pooled = outputs[torch.arange(outputs.shape[0], device=outputs.device), last]
        if bidirectional:
            half = outputs.shape[-1] // 2
            pooled = torch.cat([pooled[:, :half], outputs[:, 0, half:]], dim=-1)
    return torch.where(nonempty, pooled, torch.zeros_like(pooled))


class RNNClassifierModule(nn.Module):
    """Embedding (``padding_idx=0``) -> RNN layers -> pooling -> dropout -> linear.

    Parameters
    ----------
    vocab_size : int
        Size of the id range (ids ``0 .. vocab_size - 1``; 0 is padding).
    n_classes : int
        Number of output logits.
    embedding_dim, cell_type, units, num_layers, bidirectional, dropout,
    recurrent_dropout
        See :class:`RecurrentEncoder`.
    pooling : {'last', 'max', 'mean'}
        How the outputs over time become one vector; padding never counts.
    embeddings : Tensor of shape (vocab_size, d), optional
        Pretrained embedding rows, aligned with the vectorizer's ids. They fill
        the first ``d`` columns; when ``d < embedding_dim`` the other
        ``embedding_dim - d`` columns start random (Keras-style) and train.
    freeze_embeddings : bool
        Keep the pretrained columns fixed during training (all columns when
        there are no pretrained ones).
    """

    def __init__(self, vocab_size, n_classes, embedding_dim=128, cell_type="lstm",
                 units=64, num_layers=1, bidirectional=False, pooling="last",
                 dropout=0.0, recurrent_dropout=0.0, embeddings=None,
                 freeze_embeddings=False):
        super().__init__()
        self.pooling, self.bidirectional = pooling, bidirectional
        pretrained = 0 if embeddings is None else int(embeddings.shape[1])
        width = self.embedding_width = max(embedding_dim, pretrained)
        self.frozen_embedding = None
        if freeze_embeddings and 0 < pretrained < width:
            # the frozen pretrained columns and the trainable rest are two tables,
            # so no optimizer (weight decay included) can move the frozen ones
            self.frozen_embedding = _embedding(vocab_size, pretrained, embeddings)
            self.frozen_embedding.weight.requires_grad_(False)
            self.embedding = _embedding(vocab_size, width - pretrained)
        else:
            self.embedding = _embedding(vocab_size, width, embeddings)
            self.embedding.weight.requires_grad_(not freeze_embeddings)
        self.encoder = RecurrentEncoder(
            cell_type, width, units, num_layers, bidirectional,
            dropout, recurrent_dropout,
        )
        self.head_dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.encoder.output_size, n_classes)
        nn.init.xavier_uniform_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    @staticmethod
    def size(vocab_size, n_classes, embedding_dim=128, cell_type="lstm", units=64,
             num_layers=1, bidirectional=False, embeddings=None, **options):
        """The :class:`~sklearn_rnn.nn._recurrent.NetworkSize` of the network
        these arguments (those of ``__init__``) build, without building it."""
        pretrained = 0 if embeddings is None else int(embeddings.shape[1])
        width = max(embedding_dim, pretrained)
        directions = 2 if bidirectional else 1
        return (NetworkSize(vocab_size * width, 0)
                + encoder_size(cell_type, width, units, num_layers, bidirectional)
                + linear_size(directions * units, n_classes))

    def forward(self, tokens):
        """Return class logits (B, n_classes) for padded token ids (B, T)."""
        tokens, lengths = left_align(tokens)  # (B, T'), (B,)
        x = self.embed_tokens(tokens)  # (B, T', E)
        outputs, _ = self.encoder(x, lengths)  # (B, T', D * units)
        pooled = masked_pool(outputs, lengths, self.pooling, self.bidirectional)
        return self.head(self.head_dropout(pooled))  # (B, n_classes)

    def embed_tokens(self, tokens):
        """Embedding rows (B, T, embedding_width) of ids (B, T): the frozen
        pretrained columns (if split off) first, then the trainable ones."""
        x = embed(self.embedding, tokens)
        if self.frozen_embedding is not None:
            x = torch.cat([embed(self.frozen_embedding, tokens), x], dim=-1)
        return x

    def layer_table(self, seq_len=None):
        """Rows ``(layer, output shape, parameter count)`` in Keras' summary style."""
        steps = "None" if seq_len is None else seq_len
        size = self.encoder.output_size
        return [
            ("Embedding", f"(None, {steps}, {self.embedding_width})",
             count_parameters(self.embedding)
             + count_parameters(self.frozen_embedding or nn.Identity())),
            *encoder_layer_rows(self.encoder, steps),
            (f"Pooling({self.pooling})", f"(None, {size})", 0),
            ("Linear", f"(None, {self.head.out_features})",
             count_parameters(self.head)),
        ]


def _embedding(vocab_size, width, pretrained=None):
    """An embedding table: Keras-style random, its first columns ``pretrained``."""
    embedding = nn.Embedding(vocab_size, width, padding_idx=PAD_ID)
    init_embedding(embedding)
    if pretrained is not None:
        with torch.no_grad():
            columns = min(width, pretrained.shape[1])
            embedding.weight[:, :columns] = torch.as_tensor(pretrained)[:, :columns]
            embedding.weight[PAD_ID] = 0  # padding_idx's contract
    return embedding


@torch.no_grad()
def share_unknown_row(module, ids, first_column=0):
    """Give the embedding rows ``ids`` the unknown-word row's columns from
    ``first_column`` on, in every :class:`RNNClassifierModule` of ``module``.

    Rows that training never reached mean nothing of their own: read from the
    trained unknown-word row, an id the training data lacked behaves as an
    unknown word, except in the pretrained columns before ``first_column``.
    """
    ids = torch.as_tensor(ids, dtype=torch.long)
    for network in module.modules():
        if not isinstance(network, RNNClassifierModule) or not len(ids):
            continue
        tables = [network.frozen_embedding, network.embedding]
        offset = 0
        for table in (t for t in tables if t is not None):
            width = table.embedding_dim
            start = max(first_column - offset, 0)
            if start < width:
                table.weight[ids, start:] = table.weight[UNKNOWN_ID, start:].clone()
            offset += width
