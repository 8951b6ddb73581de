"""Recurrent building blocks that keep padding out of every result.

Every batch is first *left-aligned*: each row's real tokens move to the front, in
order, and the batch is trimmed to its longest real sequence. A forward-direction
RNN then reads real steps before any padding, so its outputs at real steps never
depend on padding, whether the data was pre- or post-padded. The backward
direction reverses each sequence *within its own length* (padding stays at the
end), runs a forward RNN, and reverses the outputs back. This gives exactly the
results of ``pack_padded_sequence`` while keeping the fused, unpacked kernel,
which on CPU is about twice as fast.
"""

import functools
from typing import NamedTuple

import torch
from torch import nn
from torch.func import functional_call
from torch.nn import functional as F

from sklearn_rnn._ids import PAD_ID

__all__ = [
    "CELL_TYPES",
    "embed",
    "LockedDropout",
    "encoder_layer_rows",
    "init_embedding",
    "RecurrentLayer",
    "RecurrentEncoder",
    "NetworkSize",
    "count_parameters",
    "encoder_size",
    "left_align",
    "reverse_within_lengths",
]

CELL_TYPES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
# Weight blocks per cell: one per gate (PyTorch's gate layout).
GATES = {"rnn": 1, "gru": 3, "lstm": 4}
# One-step counterparts with the same weights and gate order, used for sampling:
# on CPU the fused sequence kernel costs ~10x more than the cell for a single step.
_STEP_CELLS = {nn.RNN: nn.RNNCell, nn.LSTM: nn.LSTMCell, nn.GRU: nn.GRUCell}


def left_align(tokens, pad_id=PAD_ID):
    """Move each row's non-padding tokens to the front and trim the batch.

    Parameters
    ----------
    tokens : LongTensor or IntTensor of shape (B, T)

    Returns
    -------
    aligned : tensor of shape (B, T')
        ``T' = max(1, longest real length)``; real tokens first, in order.
    lengths : LongTensor of shape (B,)
    """
    is_pad = tokens == pad_id
    lengths = tokens.shape[1] - is_pad.sum(dim=1)
    longest = max(int(lengths.max()), 1) if tokens.shape[0] else 1
    if not bool(is_pad.any()):
        return tokens, lengths
    # A stable sort on the padding flag keeps real tokens in their original order.
    order = torch.argsort(is_pad.to(torch.int8), dim=1, stable=True)[:, :longest]
    return tokens.gather(1, order), lengths


def reverse_within_lengths(x, lengths):
    """Reverse each row of ``x`` (B, T, ...) over its first ``lengths[b]`` steps.

    Steps past a row's length stay in place, so the operation is its own inverse.
    """
    steps = torch.arange(x.shape[1], device=x.device)
    lengths = lengths.unsqueeze(1)
    index = torch.where(steps < lengths, lengths - 1 - steps, steps)  # (B, T)
    index = index.view(*index.shape, *([1] * (x.dim() - 2))).expand_as(x)
    return x.gather(1, index)


@functools.lru_cache
def _step_template(cell_type, input_size, hidden_size):
    """A weightless (meta-device) one-step cell; ``functional_call`` supplies the
    weights of the sequence layer, so nothing is copied."""
    with torch.device("meta"):
        return _STEP_CELLS[cell_type](input_size, hidden_size)


class LockedDropout(nn.Module):
    """Dropout with one mask per sequence, shared by all its time steps.

    The variational dropout of Gal & Ghahramani that Keras applies to the inputs
    of a recurrent layer (``dropout=``): a dropped input unit stays dropped for
    the whole sequence, so the recurrence cannot average the noise away.
    """

    def __init__(self, p=0.0):
        super().__init__()
        self.p = p

    def forward(self, x):
        """Drop units of ``x`` (B, T, C) with the same mask at every step."""
        if not self.training or self.p == 0:
            return x
        mask = x.new_empty(x.shape[0], 1, x.shape[2]).bernoulli_(1 - self.p)
        return x * mask / (1 - self.p)


class RecurrentLayer(nn.Module):
    """One unidirectional recurrent layer with DropConnect recurrent dropout.

    ``recurrent_dropout`` zeroes entries of the hidden-to-hidden weight matrix with
    one mask per forward call (a batch), as in AWD-LSTM (Merity et al. 2017): the
    same dropped connections are used at every time step, the regularisation
    Gal & Ghahramani's variational dropout aims for, while the whole sequence
    still runs in PyTorch's fused RNN kernel.
    """

    def __init__(self, cell_type, input_size, hidden_size, recurrent_dropout=0.0):
        super().__init__()
        self.cell = CELL_TYPES[cell_type](input_size, hidden_size, batch_first=True)
        self.recurrent_dropout = recurrent_dropout
        self.reset_parameters()

    def reset_parameters(self):
        """Initialise as Keras does, so tutorial recipes train the same way.

        Glorot-uniform input weights and orthogonal recurrent weights per gate,
        zero biases, and an LSTM forget-gate bias of 1 (Keras'
        ``unit_forget_bias``), which helps gradients flow early in training.
        """
        hidden = self.cell.hidden_size
        for name, weight in self.cell.named_parameters():
            if name.startswith("bias"):
                nn.init.zeros_(weight)
            for gate in weight.detach().split(hidden):  # one block per gate
                if name.startswith("weight_ih"):
                    nn.init.xavier_uniform_(gate)
                elif name.startswith("weight_hh"):
                    nn.init.orthogonal_(gate)
        if isinstance(self.cell, nn.LSTM):
            with torch.no_grad():  # gates are ordered input, forget, cell, output
                self.cell.bias_ih_l0[hidden:2 * hidden].fill_(1.0)

    def forward(self, x, state=None):
        """Run over ``x`` (B, T, input_size); return (outputs (B, T, H), state)."""
        if not (self.training and self.recurrent_dropout > 0):
            return self.cell(x, state)
        dropped = F.dropout(self.cell.weight_hh_l0, self.recurrent_dropout, True)
        return functional_call(self.cell, {"weight_hh_l0": dropped}, (x, state))

    def step(self, x, state=None):
        """Advance one time step at inference: ``x`` (B, input_size).

        Same result and state format as ``forward`` on a length-1 sequence.
        """
        cell = self.cell
        weights = {name: getattr(cell, f"{name}_l0")
                   for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
        if state is not None:  # (1, B, H) per tensor -> (B, H)
            state = tuple(t[0] for t in state) if isinstance(state, tuple) else state[0]
        template = _step_template(type(cell), cell.input_size, cell.hidden_size)
        new_state = functional_call(template, weights, (x, state))
        if isinstance(new_state, tuple):
            output, new_state = new_state[0], tuple(t[None] for t in new_state)
        else:
            output, new_state = new_state, new_state[None]
        return output.unsqueeze(1), new_state


class RecurrentEncoder(nn.Module):
    """Stack of recurrent layers over left-aligned inputs, maybe bidirectional.

    Locked (variational) dropout is applied to the inputs of every layer. Inputs
    must be left-aligned (see :func:`left_align`); the outputs at steps
    ``t >= lengths[b]`` are meaningless and must be masked by the caller.
    """

    def __init__(self, cell_type, input_size, units, num_layers=1,
                 bidirectional=False, dropout=0.0, recurrent_dropout=0.0):
        super().__init__()
        n_directions = 2 if bidirectional else 1
        self.units, self.bidirectional = units, bidirectional
        self.output_size = units * n_directions
        sizes = [input_size] + [self.output_size] * (num_layers - 1)
        self.forward_layers = nn.ModuleList(
            RecurrentLayer(cell_type, size, units, recurrent_dropout) for size in sizes
        )
        self.backward_layers = nn.ModuleList(
            RecurrentLayer(cell_type, size, units, recurrent_dropout) for size in sizes
        ) if bidirectional else None
        self.dropout = LockedDropout(dropout)

    def forward(self, x, lengths, states=None):
        """Encode ``x`` (B, T, input_size).

        ``states`` (one per layer, forward direction only) lets a language model
        carry state across calls. Returns ``(outputs (B, T, output_size),
        new_states)``; ``new_states`` holds the forward layers' final states.
        """
        states = states or [None] * len(self.forward_layers)
        new_states = []
        single_step = x.shape[1] == 1 and not self.training and not self.bidirectional
        for depth, forward_layer in enumerate(self.forward_layers):
            x = self.dropout(x)
            run = forward_layer.step if single_step else forward_layer
            out, state = run(x[:, 0] if single_step else x, states[depth])
            new_states.append(state)
            if self.bidirectional:
                backward_layer = self.backward_layers[depth]
                reversed_out, _ = backward_layer(reverse_within_lengths(x, lengths))
                backward_out = reverse_within_lengths(reversed_out, lengths)
                out = torch.cat([out, backward_out], dim=-1)
            x = out
        return x, new_states

    def one_direction(self, x, backward=False):
        """Run only the forward (or only the backward) layers over ``x``
        (B, T, input_size), for language-model pretraining.

        A backward run reads ``x`` as given: the caller reverses the sequences.
        The layers above the first of a bidirectional encoder take both
        directions' outputs; the other direction's half is zeros here, so a
        next-word model cannot see the words it predicts. Returns (B, T, units).
        """
        layers = self.backward_layers if backward else self.forward_layers
        for depth, layer in enumerate(layers):
            x = self.dropout(x)
            if depth and self.bidirectional:
                other = torch.zeros_like(x)
                x = torch.cat([other, x] if backward else [x, other], dim=-1)
            x, _ = layer(x)
        return x


def embed(embedding, tokens):
    """``embedding(tokens)``, computed in the autocast dtype when autocast is on.

    Autocast leaves embeddings in float32, and the recurrent layer would then
    copy the whole (B, T, E) activation to bfloat16; casting the (much smaller)
    weight first halves the lookup's memory traffic and removes that copy.
    """
    device_type = tokens.device.type
    if not torch.is_autocast_enabled(device_type):
        return embedding(tokens)
    weight = embedding.weight.to(torch.get_autocast_dtype(device_type))
    return F.embedding(tokens, weight, embedding.padding_idx)


def init_embedding(embedding):
    """Keras' embedding initialisation, uniform(-0.05, 0.05), instead of N(0, 1)."""
    with torch.no_grad():
        nn.init.uniform_(embedding.weight, -0.05, 0.05)
        if embedding.padding_idx is not None:
            embedding.weight[embedding.padding_idx] = 0


def encoder_layer_rows(encoder, steps):
    """Summary rows ``(layer, output shape, parameter count)`` of each layer."""
    cell_name = type(encoder.forward_layers[0].cell).__name__
    rows = []
    for depth, layer in enumerate(encoder.forward_layers):
        n_params = count_parameters(layer)
        name = cell_name
        if encoder.bidirectional:
            n_params += count_parameters(encoder.backward_layers[depth])
            name = f"Bidirectional({cell_name})"
        rows.append((name, f"(None, {steps}, {encoder.output_size})", n_params))
    return rows


class NetworkSize(NamedTuple):
    """How large a network is, computed from its arguments before building it:
    the number of parameters and of unidirectional recurrent layers."""

    parameters: int
    layers: int

    def __add__(self, other):
        return NetworkSize(self.parameters + other.parameters,
                           self.layers + other.layers)

    def __mul__(self, count):
        return NetworkSize(self.parameters * count, self.layers * count)


def encoder_size(cell_type, input_size, units, num_layers=1, bidirectional=False):
    """The :class:`NetworkSize` of a :class:`RecurrentEncoder` with these
    arguments, in Python ints (no overflow, nothing allocated)."""
    directions = 2 if bidirectional else 1
    per_input = GATES[cell_type] * units  # rows of each weight matrix
    first = per_input * (input_size + units + 2)  # weight_ih, weight_hh, 2 biases
    later = per_input * (directions * units + units + 2)
    return NetworkSize(directions * (first + (num_layers - 1) * later),
                       directions * num_layers)


def linear_size(in_features, out_features):
    """The :class:`NetworkSize` of ``nn.Linear(in_features, out_features)``."""
    return NetworkSize(out_features * (in_features + 1), 0)


def count_parameters(module):
    return sum(p.numel() for p in module.parameters())
