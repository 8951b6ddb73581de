"""The language-model pretraining modules: the sampled softmax, the forward and
backward next-word models over a classifier's encoder, and load_encoder."""

import pytest
import torch
from torch.nn import functional as F

from sklearn_rnn.nn import (
    EncoderLanguageModel,
    RNNClassifierEnsemble,
    RNNClassifierModule,
    _pretrain,
    load_encoder,
)
from sklearn_rnn.nn._pretrain import SampledSoftmax, noise_distribution

VOCAB = 12
COUNTS = torch.arange(VOCAB) + 1  # every id seen, padding included (for init)
# (batch, steps) of real ids (1..VOCAB-1), no padding
TOKENS = torch.tensor([[3, 5, 2, 7, 4], [9, 9, 1, 6, 11]])
NETWORK = dict(embedding_dim=4, units=3, cell_type="lstm")


@pytest.fixture(autouse=True)
def _one_thread(one_torch_thread):
    """Tiny modules run fastest on one thread."""


def _softmax(n_samples, vocab=VOCAB, counts=COUNTS, width=4):
    return SampledSoftmax(vocab, width, n_samples, counts)


def _full_loss(softmax, hidden, targets):
    logits = hidden @ softmax.weight.T + softmax.bias
    return F.cross_entropy(logits, targets, reduction="none")


# --- noise distribution and initial bias ---------------------------------------
def test_noise_distribution_is_counts_to_the_three_quarters_without_padding():
    # clamped to 1 for unseen ids: [5, 16, 1, 81] ** 0.75 = [., 8, 1, 27]
    noise = noise_distribution([5, 16, 0, 81])
    torch.testing.assert_close(noise, torch.tensor([0, 8, 1, 27]) / 36)


def test_noise_distribution_never_draws_padding():
    noise = noise_distribution([10_000, 1, 1, 1])  # padding the most frequent id
    draws = torch.multinomial(noise, 5000, replacement=True)
    assert noise[0] == 0
    assert (draws != 0).all()
    assert set(draws.tolist()) == {1, 2, 3}


def test_bias_starts_at_the_log_unigram_frequency():
    softmax = SampledSoftmax(4, 2, 2, counts=[0, 3, 1, 4])  # clamped: [1, 3, 1, 4]
    expected = torch.log(torch.tensor([1, 3, 1, 4]) / 9)
    torch.testing.assert_close(softmax.bias.detach(), expected)


# --- the exact softmax (evaluation) ----------------------------------------------
def test_eval_loss_is_the_full_cross_entropy():
    softmax = _softmax(n_samples=3).eval()
    hidden, targets = torch.randn(7, 4), torch.randint(1, VOCAB, (7,))
    torch.testing.assert_close(softmax(hidden, targets),
                               _full_loss(softmax, hidden, targets))


def test_eval_loss_in_blocks_equals_one_block(monkeypatch):
    softmax = _softmax(n_samples=3).eval()
    hidden, targets = torch.randn(10, 4), torch.randint(1, VOCAB, (10,))
    whole = softmax(hidden, targets)
    monkeypatch.setattr(_pretrain, "FULL_SOFTMAX_ROWS", 3)  # blocks of 3, 3, 3, 1
    blocks = softmax(hidden, targets)
    assert blocks.shape == (10,)
    torch.testing.assert_close(blocks, _full_loss(softmax, hidden, targets))
    torch.testing.assert_close(blocks, whole)


def test_eval_loss_of_no_rows_is_empty():
    loss = _softmax(n_samples=3).eval()(torch.zeros(0, 4), torch.zeros(0).long())
    assert loss.shape == (0,)


def test_training_with_samples_covering_the_vocabulary_uses_the_full_softmax():
    softmax = _softmax(n_samples=VOCAB).train()
    hidden, targets = torch.randn(6, 4), torch.randint(1, VOCAB, (6,))
    torch.testing.assert_close(softmax(hidden, targets),
                               _full_loss(softmax, hidden, targets))


# --- the sampled softmax (training) ----------------------------------------------
def test_a_sample_equal_to_the_target_is_masked():
    softmax = _softmax(n_samples=5).train()
    target = 4
    # every draw is the target word: nothing is left but the true logit
    softmax.noise = F.one_hot(torch.tensor(target), VOCAB).float()
    loss = softmax(torch.randn(3, 4), torch.full((3,), target))
    torch.testing.assert_close(loss, torch.zeros(3))


def test_sampled_loss_corrects_every_logit_by_its_log_expected_count():
    softmax = _softmax(n_samples=4).train()
    hidden, targets = torch.randn(3, 4), torch.tensor([2, 5, 9])
    torch.manual_seed(7)
    samples = torch.multinomial(softmax.noise, 4, replacement=True)
    torch.manual_seed(7)
    loss = softmax(hidden, targets)
    logits = hidden @ softmax.weight.T + softmax.bias
    log_expected = torch.log(noise_distribution(COUNTS) * 4)
    expected = []
    for row, target in enumerate(targets.tolist()):
        true = logits[row, target] - log_expected[target]
        others = [logits[row, s] - log_expected[s] for s in samples.tolist()
                  if s != target]
        expected.append(torch.logsumexp(torch.stack([true, *others]), 0) - true)
    torch.testing.assert_close(loss, torch.stack(expected))
    # a negative control: the uncorrected, full softmax is another number
    assert not torch.allclose(loss, _full_loss(softmax, hidden, targets))


# --- the next-word models ----------------------------------------------------------
def _embedded(network, tokens):
    return network.embed_tokens(tokens)


@pytest.mark.parametrize(("bidirectional", "backward"),
                         [(False, False), (True, False), (True, True)])
def test_one_direction_does_not_see_later_steps(bidirectional, backward):
    network = RNNClassifierModule(VOCAB, 2, num_layers=2, bidirectional=bidirectional,
                                  **NETWORK).eval()
    changed = TOKENS.clone()
    changed[:, -1] = torch.tensor([8, 10])
    with torch.no_grad():
        one = network.encoder.one_direction(_embedded(network, TOKENS), backward)
        two = network.encoder.one_direction(_embedded(network, changed), backward)
    assert one.shape == (2, 5, 3)
    torch.testing.assert_close(one[:, :-1], two[:, :-1])
    assert not torch.allclose(one[:, -1], two[:, -1])


def test_the_full_bidirectional_encoder_does_see_later_steps():
    """The negative control of the test above: the classifier's own encoder reads
    the whole text, so a next-word model on it would see the word it predicts."""
    network = RNNClassifierModule(VOCAB, 2, num_layers=2, bidirectional=True,
                                  **NETWORK).eval()
    changed = TOKENS.clone()
    changed[:, -1] = torch.tensor([8, 10])
    lengths = torch.full((2,), 5)
    with torch.no_grad():
        one, _ = network.encoder(_embedded(network, TOKENS), lengths)
        two, _ = network.encoder(_embedded(network, changed), lengths)
    # at the first step: the backward half reads the changed word, and so does
    # the forward half of layer 2, which reads layer 1's backward half
    assert not torch.allclose(one[:, 0, 3:], two[:, 0, 3:])
    assert not torch.allclose(one[:, 0, :3], two[:, 0, :3])


def _direction_loss(lm, output, row, backward):
    """Mean next-word loss of one unpadded ``row`` (list of ids) in one direction,
    each prediction made from the prefix alone (a separate run per prefix)."""
    network = lm.network
    ids = row[::-1] if backward else row
    losses = []
    for t in range(1, len(ids)):
        prefix = torch.tensor([ids[:t]])
        hidden = network.encoder.one_direction(network.embed_tokens(prefix),
                                               backward)[:, -1]
        logits = hidden @ output.weight.T + output.bias
        losses.append(F.cross_entropy(logits, torch.tensor([ids[t]])))
    return torch.stack(losses).mean()


@pytest.mark.parametrize("bidirectional", [False, True])
def test_language_model_loss_is_the_prefix_only_next_word_loss(bidirectional):
    lm = EncoderLanguageModel(VOCAB, COUNTS, n_samples=4, num_layers=2,
                              bidirectional=bidirectional, **NETWORK).eval()
    rows = [[3, 5, 2, 7, 4], [9, 1, 6]]
    tokens = torch.tensor([rows[0], [0, 0, *rows[1]]])
    with torch.no_grad():
        loss = lm(tokens)
        expected = [
            torch.stack([_direction_loss(lm, output, row, bool(backward))
                         for backward, output in enumerate(lm.outputs)]).mean()
            for row in rows
        ]
    assert len(lm.outputs) == (2 if bidirectional else 1)
    torch.testing.assert_close(loss, torch.stack(expected))


def test_padding_is_neither_read_nor_predicted():
    lm = EncoderLanguageModel(VOCAB, COUNTS, n_samples=4, bidirectional=True,
                              **NETWORK).eval()
    row = [3, 5, 2, 7]
    pre = torch.tensor([[0, 0, 0, *row]])
    post = torch.tensor([[*row, 0, 0, 0]])
    bare = torch.tensor([row])
    with torch.no_grad():
        losses = [lm(tokens) for tokens in (pre, post, bare)]
        # a fully padded row and a single word have no next word: loss 0,
        # and they do not change the other rows' losses
        batch = lm(torch.tensor([[0, 0, 0, 0, 0, 0, 0], [*row, 0, 0, 0],
                                 [0, 0, 0, 0, 0, 0, 9]]))
    torch.testing.assert_close(losses[0], losses[2])
    torch.testing.assert_close(losses[1], losses[2])
    torch.testing.assert_close(batch, torch.stack([torch.tensor(0.0),
                                                   losses[2][0],
                                                   torch.tensor(0.0)]))
    assert losses[2].item() > 0


def test_training_lowers_the_loss_on_a_repetitive_text():
    cycle = [2, 3, 4, 5, 6]
    tokens = torch.tensor([(cycle * 4)[shift:shift + 12] for shift in range(5)])
    counts = torch.bincount(tokens.ravel(), minlength=VOCAB)
    lm = EncoderLanguageModel(VOCAB, counts, n_samples=4, bidirectional=True,
                              embedding_dim=8, units=8)
    optimizer = torch.optim.Adam(lm.parameters(), lr=0.05)

    def exact_loss():
        lm.eval()
        with torch.no_grad():
            return lm(tokens).mean().item()

    before = exact_loss()
    lm.train()
    for _ in range(40):
        optimizer.zero_grad()
        lm(tokens).mean().backward()  # the sampled softmax: 4 of 12 words
        optimizer.step()
    after = exact_loss()
    # the bias starts at the unigram model, about log(5) nats; each next word
    # of the cycle is certain, so a trained model is far below that
    assert before > 1.5
    assert after < 0.5


# --- load_encoder ----------------------------------------------------------------
def _pretrained_state(**network):
    lm = EncoderLanguageModel(VOCAB, COUNTS, n_samples=4, **{**NETWORK, **network})
    with torch.no_grad():
        for parameter in lm.network.parameters():
            parameter.uniform_(-1, 1)  # far from any fresh initialisation
    return lm.encoder_state()


def test_encoder_state_holds_the_embedding_and_encoder_only():
    state = _pretrained_state(bidirectional=True)
    assert "embedding.weight" in state
    assert any(key.startswith("encoder.backward_layers.") for key in state)
    assert not any(key.startswith("head") for key in state)


def test_load_encoder_fills_every_member_and_keeps_the_heads():
    state = _pretrained_state(bidirectional=True)
    ensemble = RNNClassifierEnsemble(2, vocab_size=VOCAB, n_classes=3,
                                     bidirectional=True, **NETWORK)
    heads = [member.head.weight.detach().clone() for member in ensemble.members]
    load_encoder(ensemble, state)
    for member, head in zip(ensemble.members, heads, strict=True):
        weights = member.state_dict()
        for key, value in state.items():
            torch.testing.assert_close(weights[key], value, msg=key)
        torch.testing.assert_close(member.head.weight, head)


def test_load_encoder_refuses_a_state_of_another_architecture():
    state = _pretrained_state(num_layers=1)
    network = RNNClassifierModule(VOCAB, 2, num_layers=2, **NETWORK)
    with pytest.raises(ValueError, match=r"does not fit this network: missing "
                                         r"\['encoder\.forward_layers\.1\."):
        load_encoder(network, state)


def test_load_encoder_refuses_extra_weights():
    state = _pretrained_state(bidirectional=True)
    network = RNNClassifierModule(VOCAB, 2, bidirectional=False, **NETWORK)
    with pytest.raises(ValueError, match=r"unexpected \['encoder\.backward_layers"):
        load_encoder(network, state)


def test_load_encoder_refuses_weights_of_another_shape_with_a_value_error():
    state = _pretrained_state(units=5)
    network = RNNClassifierModule(VOCAB, 2, **NETWORK)
    with pytest.raises(ValueError, match="does not fit this network"):
        load_encoder(network, state)
