"""Sequence-labelling network: word and character features -> recurrent encoder
-> one score vector per token, optionally decoded by a linear-chain CRF."""

import torch
from torch import nn
from torch.nn import functional as F

from sklearn_rnn._ids import IGNORED_TAG, PAD_ID
from sklearn_rnn.nn._classifier import _embedding
from sklearn_rnn.nn._crf import LinearChainCRF
from sklearn_rnn.nn._recurrent import (
    NetworkSize,
    RecurrentEncoder,
    count_parameters,
    embed,
    encoder_layer_rows,
    encoder_size,
    linear_size,
)

__all__ = ["CharCNN", "RNNTaggerModule"]


class CharCNN(nn.Module):
    """A word's spelling as one vector: character embeddings -> convolution ->
    max over the word's characters (Ma & Hovy 2016).

    Positions past a word's last character are left out of the maximum, so a
    word's vector does not depend on how long the other words of its batch are.
    """

    def __init__(self, n_chars, char_dim, filters, width):
        super().__init__()
        self.embedding = nn.Embedding(n_chars, char_dim, padding_idx=PAD_ID)
        self.conv = nn.Conv1d(char_dim, filters, width, padding=width // 2)
        self.output_size = filters

    def forward(self, chars):
        """``chars`` (N, L) character ids, 0 after a word's end -> (N, F); a
        row of padding only gives zeros."""
        letters = chars.shape[1]
        x = embed(self.embedding, chars).transpose(1, 2)  # (N, C, L)
        features = self.conv(x)[:, :, :letters]  # even widths pad one extra step
        real = (chars != PAD_ID).unsqueeze(1)  # (N, 1, L)
        pooled = features.masked_fill(~real, float("-inf")).max(dim=2).values
        return torch.where(real.any(dim=2), pooled, torch.zeros_like(pooled))


class RNNTaggerModule(nn.Module):
    """Word embedding + :class:`CharCNN` -> dropout -> recurrent layers ->
    dropout -> linear scores per token (and a CRF over them when ``crf``).

    Inputs are post-padded (each row's real tokens first), the layout the
    recurrent encoder needs; outputs at padded positions are meaningless and
    are never read.

    Parameters
    ----------
    vocab_size : int
        Word ids ``0 .. vocab_size - 1`` (0 padding, 1 unknown word).
    n_chars : int
        Character ids ``0 .. n_chars - 1`` (0 padding, 1 unknown character).
    n_tags : int
        Number of tags.
    char_dim : int
        Width of the character embedding; 0 leaves out character features.
    crf : bool
        Score whole tag sequences with a :class:`LinearChainCRF`.
    embeddings, freeze_embeddings
        Pretrained word rows, as for :class:`RNNClassifierModule`.
    """

    def __init__(self, vocab_size, n_chars, n_tags, embedding_dim=100, char_dim=30,
                 char_filters=50, char_width=3, cell_type="lstm", units=128,
                 num_layers=1, bidirectional=True, dropout=0.0,
                 recurrent_dropout=0.0, crf=False,
                 embeddings=None, freeze_embeddings=False):
        super().__init__()
        pretrained = 0 if embeddings is None else int(embeddings.shape[1])
        self.embedding_width = max(embedding_dim, pretrained)
        self.embedding = _embedding(vocab_size, self.embedding_width, embeddings)
        self.embedding.weight.requires_grad_(not freeze_embeddings)
        self.chars = CharCNN(n_chars, char_dim, char_filters, char_width) \
            if char_dim else None
        width = self.embedding_width + (self.chars.output_size if char_dim else 0)
        self.encoder = RecurrentEncoder(cell_type, width, units, num_layers,
                                        bidirectional, dropout, recurrent_dropout)
        self.output_dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.encoder.output_size, n_tags)
        nn.init.xavier_uniform_(self.head.weight)
        nn.init.zeros_(self.head.bias)
        self.crf = LinearChainCRF(n_tags) if crf else None

    @staticmethod
    def size(vocab_size, n_chars, n_tags, embedding_dim=100, char_dim=30,
             char_filters=50, char_width=3, cell_type="lstm", units=128,
             num_layers=1, bidirectional=True, crf=False, embeddings=None,
             **options):
        """The :class:`~sklearn_rnn.nn._recurrent.NetworkSize` of the network
        these arguments (those of ``__init__``) build, without building it."""
        pretrained = 0 if embeddings is None else int(embeddings.shape[1])
        word_width = max(embedding_dim, pretrained)
        size = NetworkSize(vocab_size * word_width, 0)
        if char_dim:  # embedding, then the convolution's weights and biases
            size += NetworkSize(n_chars * char_dim
                                + char_filters * (char_dim * char_width + 1), 0)
        width = word_width + (char_filters if char_dim else 0)
        directions = 2 if bidirectional else 1
        size += encoder_size(cell_type, width, units, num_layers, bidirectional)
        size += linear_size(directions * units, n_tags)
        return size + NetworkSize(n_tags * (n_tags + 2) if crf else 0, 0)

    def forward(self, words, chars=None, spelling=None):
        """Tag scores (B, T, n_tags) for word ids (B, T), given the character
        ids of distinct tokens (..., L) and the row of each position (B, T)."""
        lengths = (words != PAD_ID).sum(dim=1)
        x = embed(self.embedding, words)
        if self.chars is not None:
            spelled = self.chars(chars.reshape(-1, chars.shape[-1]))  # (U, F)
            x = torch.cat([x, spelled[spelling].to(x.dtype)], dim=-1)
        # the encoder drops its inputs (one mask per sentence) before each layer
        outputs, _ = self.encoder(x, lengths)
        return self.head(self.output_dropout(outputs))

    def loss(self, scores, tags):
        """Per-token losses (B, T), zero where ``tags`` is ``IGNORED_TAG`` (padding).

        With a CRF, a sentence's negative log-likelihood is spread evenly over
        its tokens, so both outputs train on the same per-token scale.
        """
        mask = tags != IGNORED_TAG
        if self.crf is None:
            return F.cross_entropy(scores.float().transpose(1, 2), tags,
                                   ignore_index=IGNORED_TAG, reduction="none")
        nll = self.crf.neg_log_likelihood(scores, tags, mask)  # (B,)
        per_token = nll / mask.sum(dim=1).clamp(min=1)
        return per_token.unsqueeze(1) * mask

    def predict(self, scores, mask):
        """Best tag ids (B, T): per-token argmax, or the CRF's Viterbi path."""
        if self.crf is None:
            return scores.argmax(dim=-1)
        return self.crf.decode(scores, mask)

    def probabilities(self, scores, mask):
        """Per-token tag probabilities (B, T, n_tags): softmax, or the CRF's
        marginals."""
        if self.crf is None:
            return scores.float().softmax(dim=-1)
        return self.crf.marginals(scores, mask)

    def layer_table(self, seq_len=None):
        """Rows ``(layer, output shape, parameter count)`` in Keras' summary style."""
        steps = "None" if seq_len is None else seq_len
        rows = [("Embedding", f"(None, {steps}, {self.embedding_width})",
                 count_parameters(self.embedding))]
        if self.chars is not None:
            rows.append(("CharCNN", f"(None, {steps}, {self.chars.output_size})",
                         count_parameters(self.chars)))
        rows += encoder_layer_rows(self.encoder, steps)
        rows.append(("Linear", f"(None, {steps}, {self.head.out_features})",
                     count_parameters(self.head)))
        if self.crf is not None:
            rows.append(("CRF", f"(None, {steps})", count_parameters(self.crf)))
        return rows
