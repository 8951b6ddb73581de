"""Language-model pretraining of a text network's embedding and encoder.

The forward layers of the encoder learn to predict the next word, the backward
layers (of a bidirectional encoder) the previous one, as in ELMo and ULMFiT;
the classifier is then fine-tuned from these weights. A full softmax over a
20,000-word vocabulary costs more than the LSTM on a CPU, so training uses a
sampled softmax (Jean et al. 2015): the target word against ``n_samples`` words
drawn for the whole batch from the unigram distribution raised to 0.75, each
logit corrected by the log of its expected count. Evaluation (held-out loss)
uses the full softmax, so it is the exact cross-entropy.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

from sklearn_rnn._ids import PAD_ID
from sklearn_rnn.nn._classifier import RNNClassifierModule
from sklearn_rnn.nn._recurrent import left_align, linear_size, reverse_within_lengths

__all__ = ["EncoderLanguageModel", "SampledSoftmax", "load_encoder",
           "noise_distribution"]

NOISE_POWER = 0.75  # word2vec's smoothing of the unigram distribution
FULL_SOFTMAX_ROWS = 1024  # rows per block of the exact (evaluation) softmax


def noise_distribution(counts):
    """Sampling probabilities ``counts ** 0.75``, normalised; padding never drawn.

    ``counts`` (vocab_size,) are word counts; words never seen get the weight of
    one occurrence, so every word can be drawn.
    """
    counts = torch.as_tensor(counts, dtype=torch.float64).clamp(min=1)
    weights = counts ** NOISE_POWER
    weights[PAD_ID] = 0
    return (weights / weights.sum()).float()


class SampledSoftmax(nn.Module):
    """Output layer ``hidden @ weight.T + bias`` over the vocabulary, trained on
    sampled logits and evaluated on all of them.

    Parameters
    ----------
    vocab_size, input_size : int
    n_samples : int
        Words drawn (with replacement) per batch; a drawn word equal to a
        row's target is masked out of that row.
    counts : array-like of shape (vocab_size,)
        Word counts, for the noise distribution and the initial bias (the log
        unigram frequency, so training starts at the unigram model).
    """

    def __init__(self, vocab_size, input_size, n_samples, counts):
        super().__init__()
        self.n_samples = n_samples
        self.weight = nn.Parameter(torch.empty(vocab_size, input_size))
        nn.init.normal_(self.weight, std=1 / math.sqrt(input_size))
        counts = torch.as_tensor(counts, dtype=torch.float64).clamp(min=1)
        unigram = (counts / counts.sum()).log().float()
        self.bias = nn.Parameter(unigram.clone())
        noise = noise_distribution(counts)
        self.register_buffer("noise", noise, persistent=False)
        self.register_buffer("log_expected", (noise * n_samples).log(),
                             persistent=False)

    def forward(self, hidden, targets):
        """Per-row loss (N,) of ``hidden`` (N, D) predicting ``targets`` (N,)."""
        hidden = hidden.float()
        if not self.training or self.n_samples >= self.weight.shape[0]:
            # in blocks: the logits of a whole batch over the vocabulary can
            # take gigabytes
            return torch.cat([
                F.cross_entropy(rows @ self.weight.T + self.bias, row_targets,
                                reduction="none")
                for rows, row_targets in zip(hidden.split(FULL_SOFTMAX_ROWS),
                                             targets.split(FULL_SOFTMAX_ROWS),
                                             strict=True)
            ]) if len(hidden) else hidden.new_zeros(0)
        samples = torch.multinomial(self.noise, self.n_samples, replacement=True)
        true_logit = ((hidden * self.weight[targets]).sum(-1) + self.bias[targets]
                      - self.log_expected[targets])
        sampled = (hidden @ self.weight[samples].T + self.bias[samples]
                   - self.log_expected[samples])  # (N, S)
        sampled = sampled.masked_fill(samples == targets.unsqueeze(1), -math.inf)
        logits = torch.cat([true_logit.unsqueeze(1), sampled], dim=1)
        return torch.logsumexp(logits, dim=1) - true_logit


class EncoderLanguageModel(nn.Module):
    """Next-word models on the embedding and encoder of an
    :class:`RNNClassifierModule` built from ``network_params``.

    Parameters
    ----------
    vocab_size : int
    counts : array-like of shape (vocab_size,)
        Word counts of the pretraining texts (see :class:`SampledSoftmax`).
    n_samples : int
        See :class:`SampledSoftmax`.
    **network_params
        ``embedding_dim``, ``cell_type``, ``units``, ``num_layers``,
        ``bidirectional``, ``dropout``, ``recurrent_dropout``, ``embeddings``
        of the network (its output layer is not built: only the embedding and
        the encoder are pretrained).
    """

    def __init__(self, vocab_size, counts, n_samples=256, **network_params):
        super().__init__()
        self.network = RNNClassifierModule(vocab_size, 1, **network_params)
        # only the embedding and the encoder are pretrained
        self.network.head = self.network.head_dropout = nn.Identity()
        encoder = self.network.encoder
        directions = 2 if encoder.bidirectional else 1
        self.outputs = nn.ModuleList(
            SampledSoftmax(vocab_size, encoder.units, n_samples, counts)
            for _ in range(directions)
        )
        self.output_dropout = nn.Dropout(encoder.dropout.p)

    @staticmethod
    def size(vocab_size, counts, n_samples=256, units=64, bidirectional=False,
             **network_params):
        """The :class:`NetworkSize` of the module these arguments build."""
        directions = 2 if bidirectional else 1
        return (RNNClassifierModule.size(vocab_size, 1, units=units,
                                         bidirectional=bidirectional,
                                         **network_params)
                + linear_size(units, vocab_size) * directions)

    def forward(self, tokens):
        """Mean next-word loss per sequence (B,) of padded ids ``tokens`` (B, T).

        Padding (id 0) is neither read as a word nor predicted.
        """
        tokens, lengths = left_align(tokens)
        x = self.network.embed_tokens(tokens)
        losses = []
        for backward, output in enumerate(self.outputs):
            if backward:
                x = reverse_within_lengths(x, lengths)
                tokens = reverse_within_lengths(tokens, lengths)
            hidden = self.network.encoder.one_direction(x[:, :-1], bool(backward))
            targets = tokens[:, 1:]
            real = targets != PAD_ID
            loss = output(self.output_dropout(hidden[real]), targets[real])
            losses.append(_per_row(loss, real))
        return torch.stack(losses).mean(dim=0)

    def encoder_state(self):
        """The embedding's and the encoder's weights, keyed as in
        :class:`RNNClassifierModule` (what :func:`load_encoder` takes)."""
        return {key: value.detach().clone()
                for key, value in self.network.state_dict().items()}


def load_encoder(module, state):
    """Copy ``state`` (from :meth:`EncoderLanguageModel.encoder_state`) into the
    embedding and encoder of every :class:`RNNClassifierModule` in ``module``;
    their output layers keep their own initialisation."""
    networks = [m for m in module.modules() if isinstance(m, RNNClassifierModule)]
    for network in networks:
        own = {key: value for key, value in network.state_dict().items()
               if not key.startswith("head.")}
        missing = sorted(set(own) - set(state))
        unexpected = sorted(set(state) - set(own))
        shapes = [key for key in own if key in state
                  and tuple(own[key].shape) != tuple(state[key].shape)]
        if missing or unexpected or shapes:
            raise ValueError(
                "the pretrained encoder does not fit this network: missing "
                f"{missing}, unexpected {unexpected}, other shapes {shapes}")
    for network in networks:
        network.load_state_dict(state, strict=False)


def _per_row(token_losses, real):
    """Mean of each row's token losses (rows without a target give 0)."""
    per_token = torch.zeros(real.shape, dtype=token_losses.dtype,
                            device=token_losses.device)
    per_token[real] = token_losses
    return per_token.sum(dim=1) / real.sum(dim=1).clamp(min=1)
