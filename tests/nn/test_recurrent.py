import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence

from sklearn_rnn.nn import (
    RecurrentLayer,
    RNNClassifierModule,
    left_align,
    masked_pool,
    reverse_within_lengths,
)

SEQUENCES = [[5, 3, 9, 4, 7], [8], [2, 6, 3, 4, 9, 9, 5, 8], [7, 2, 2], []]
N_STEPS = 10


def _padded(padding):
    tokens = torch.zeros(len(SEQUENCES), N_STEPS, dtype=torch.long)
    for row, seq in enumerate(SEQUENCES):
        if seq:
            cols = slice(N_STEPS - len(seq), None) if padding == "pre" else slice(
                0, len(seq))
            tokens[row, cols] = torch.tensor(seq)
    return tokens


def test_left_align_moves_real_tokens_first_and_trims():
    tokens = torch.tensor([[0, 0, 4, 5], [6, 0, 0, 0], [0, 0, 0, 0]])
    aligned, lengths = left_align(tokens)
    assert aligned.tolist() == [[4, 5], [6, 0], [0, 0]]
    assert lengths.tolist() == [2, 1, 0]


def test_left_align_of_an_all_padding_batch_keeps_one_step():
    aligned, lengths = left_align(torch.zeros(2, 3, dtype=torch.long))
    assert aligned.shape == (2, 1)
    assert lengths.tolist() == [0, 0]


def test_reverse_within_lengths_keeps_padding_in_place():
    x = torch.tensor([[1, 2, 3, 0], [4, 5, 0, 0], [6, 0, 0, 0]])
    reversed_x = reverse_within_lengths(x, torch.tensor([3, 2, 0]))
    assert reversed_x.tolist() == [[3, 2, 1, 0], [5, 4, 0, 0], [6, 0, 0, 0]]
    assert torch.equal(reverse_within_lengths(reversed_x, torch.tensor([3, 2, 0])), x)


def test_masked_pool_uses_real_steps_only():
    outputs = torch.tensor([[[1.0, 10.0], [3.0, 20.0], [99.0, 99.0]],
                            [[-5.0, 2.0], [99.0, 99.0], [99.0, 99.0]]])
    lengths = torch.tensor([2, 1])
    assert masked_pool(outputs, lengths, "max").tolist() == [[3, 20], [-5, 2]]
    assert masked_pool(outputs, lengths, "mean").tolist() == [[2, 15], [-5, 2]]
    assert masked_pool(outputs, lengths, "last").tolist() == [[3, 20], [-5, 2]]
    # bidirectional "last": forward half at the last real step, backward half at 0
    assert masked_pool(outputs, lengths, "last", True).tolist() == [[3, 10], [-5, 2]]


def test_masked_pool_of_empty_sequence_is_zero():
    outputs = torch.ones(1, 2, 4)
    for pooling in ("last", "max", "mean"):
        assert masked_pool(outputs, torch.tensor([0]), pooling).tolist() == [[0] * 4]


@pytest.mark.parametrize("cell_type", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("pooling", ["last", "max", "mean"])
def test_pre_and_post_padding_give_identical_logits(cell_type, bidirectional, pooling):
    module = RNNClassifierModule(
        10, 3, embedding_dim=6, cell_type=cell_type, units=5, num_layers=2,
        bidirectional=bidirectional, pooling=pooling, dropout=0.3,
        recurrent_dropout=0.3,
    ).eval()
    pre, post = module(_padded("pre")), module(_padded("post"))
    torch.testing.assert_close(pre, post, rtol=0, atol=1e-6)


@pytest.mark.parametrize("pooling", ["last", "max"])
def test_bidirectional_encoder_matches_packed_sequence_reference(pooling):
    module = RNNClassifierModule(10, 2, embedding_dim=6, units=5, bidirectional=True,
                                 pooling=pooling).eval()
    tokens, lengths = _padded("post")[:4], torch.tensor([5, 1, 8, 3])
    reference = torch.nn.LSTM(6, 5, batch_first=True, bidirectional=True)
    state = dict(module.encoder.forward_layers[0].cell.state_dict())
    for name, value in module.encoder.backward_layers[0].cell.state_dict().items():
        state[name + "_reverse"] = value
    reference.load_state_dict(state)
    packed = pack_padded_sequence(module.embedding(tokens), lengths, batch_first=True,
                                  enforce_sorted=False)
    outputs, (h_n, _) = reference(packed)
    if pooling == "last":
        expected = torch.cat([h_n[0], h_n[1]], dim=-1)
    else:
        padded, _ = torch.nn.utils.rnn.pad_packed_sequence(
            outputs, batch_first=True, padding_value=float("-inf"))
        expected = padded.max(dim=1).values
    aligned, lengths = left_align(tokens)
    ours, _ = module.encoder(module.embedding(aligned), lengths)
    torch.testing.assert_close(masked_pool(ours, lengths, pooling, True), expected)


def test_recurrent_dropout_changes_training_outputs_only():
    layer = RecurrentLayer("lstm", 4, 6, recurrent_dropout=0.5)
    x = torch.randn(3, 7, 4)
    weight_before = layer.cell.weight_hh_l0.detach().clone()
    first, _ = layer.train()(x)
    second, _ = layer(x)
    assert not torch.allclose(first, second)
    eval_first, _ = layer.eval()(x)
    eval_second, _ = layer(x)
    torch.testing.assert_close(eval_first, eval_second, rtol=0, atol=0)
    torch.testing.assert_close(eval_first, layer.cell(x)[0])
    assert torch.equal(layer.cell.weight_hh_l0, weight_before)


def test_recurrent_dropout_trains_the_recurrent_weights():
    layer = RecurrentLayer("gru", 4, 6, recurrent_dropout=0.5).train()
    out, _ = layer(torch.randn(3, 7, 4))
    out.sum().backward()
    grad = layer.cell.weight_hh_l0.grad
    assert grad is not None and grad.abs().sum() > 0
    # dropped entries receive no gradient, so some entries are exactly zero
    assert (grad == 0).any()


def test_empty_document_gives_the_head_bias():
    module = RNNClassifierModule(10, 2, embedding_dim=4, units=3).eval()
    logits = module(torch.zeros(1, 5, dtype=torch.long))
    torch.testing.assert_close(logits[0], module.head.bias)


@pytest.mark.parametrize(
    "cell_type, per_layer",
    [
        # PyTorch keeps two bias vectors (b_ih and b_hh) per gate; Keras keeps one.
        ("rnn", lambda i, u: u * (i + u) + 2 * u),
        ("lstm", lambda i, u: 4 * (u * (i + u) + 2 * u)),
        ("gru", lambda i, u: 3 * (u * (i + u) + 2 * u)),
    ],
)
def test_layer_table_counts_parameters(cell_type, per_layer):
    module = RNNClassifierModule(10000, 2, embedding_dim=128, cell_type=cell_type,
                                 units=64, num_layers=2, bidirectional=True)
    rows = module.layer_table()
    assert [r[0] for r in rows][1] == f"Bidirectional({cell_type.upper()})"
    assert rows[0][2] == 10000 * 128
    assert rows[1][2] == 2 * per_layer(128, 64)
    assert rows[2][2] == 2 * per_layer(128, 64)  # second layer reads 2 x 64 inputs
    assert rows[-1][2] == 128 * 2 + 2
    assert sum(r[2] for r in rows) == sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize("cell_type", ["rnn", "lstm", "gru"])
def test_stepping_one_character_at_a_time_equals_the_whole_sequence(cell_type):
    from sklearn_rnn.nn import CharLMModule

    module = CharLMModule(12, embedding_dim=5, cell_type=cell_type, units=7,
                          num_layers=2).eval()
    tokens = torch.randint(0, 12, (3, 9))
    with torch.inference_mode():
        whole, _ = module.step(tokens)
        prompt_logits, states = module.step(tokens[:, :4])
        stepped = [prompt_logits]
        for t in range(4, 9):
            logits, states = module.step(tokens[:, t:t + 1], states)
            stepped.append(logits)
    torch.testing.assert_close(torch.cat(stepped, dim=1), whole)
    assert sum(p.numel() for p in module.parameters()) == sum(
        p.numel() for p in module.state_dict().values())
