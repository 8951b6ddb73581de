import itertools

import pytest
import torch

from sklearn_rnn.nn._crf import LinearChainCRF

N_TAGS = 3
LENGTHS = [3, 1, 4, 2]  # a batch of mixed lengths
N_STEPS = 5  # one more than the longest, so every row has padding


def _random_crf():
    crf = LinearChainCRF(N_TAGS)
    with torch.no_grad():
        for param in crf.parameters():
            param.copy_(torch.randn_like(param))
    return crf


def _mask(lengths, steps=N_STEPS):
    return torch.arange(steps)[None, :] < torch.tensor(lengths)[:, None]


def _path_score(crf, emissions, path):
    """Score of one tag path over one unbatched sequence, written out directly."""
    score = crf.start_transitions[path[0]] + crf.end_transitions[path[-1]]
    score = score + sum(emissions[t, tag] for t, tag in enumerate(path))
    return score + sum(crf.transitions[a, b] for a, b in itertools.pairwise(path))


def _brute_force(crf, emissions):
    """All paths of one sequence (T, K) and their log-probabilities."""
    paths = list(itertools.product(range(N_TAGS), repeat=emissions.shape[0]))
    scores = torch.stack([_path_score(crf, emissions, path) for path in paths])
    return paths, torch.log_softmax(scores, dim=0)


@pytest.mark.parametrize("length", [1, 2, 3, 4])
def test_matches_brute_force_enumeration(length):
    crf = _random_crf()
    emissions = torch.randn(1, length, N_TAGS)
    mask = torch.ones(1, length, dtype=torch.bool)
    paths, log_probs = _brute_force(crf, emissions[0])
    with torch.no_grad():
        for path, log_prob in zip(paths, log_probs, strict=True):
            nll = crf.neg_log_likelihood(emissions, torch.tensor([path]), mask)
            torch.testing.assert_close(nll, -log_prob[None])
        best = paths[int(log_probs.argmax())]
        assert crf.decode(emissions, mask).tolist() == [list(best)]
        expected = torch.zeros(length, N_TAGS)
        for path, log_prob in zip(paths, log_probs, strict=True):
            expected[torch.arange(length), list(path)] += log_prob.exp()
        torch.testing.assert_close(crf.marginals(emissions, mask)[0], expected)


def _all_outputs(crf, emissions, tags, mask):
    with torch.no_grad():
        return (crf.neg_log_likelihood(emissions, tags, mask),
                crf.decode(emissions, mask), crf.marginals(emissions, mask))


def test_batch_rows_equal_rows_computed_alone():
    crf = _random_crf()
    emissions = torch.randn(len(LENGTHS), N_STEPS, N_TAGS)
    tags = torch.randint(N_TAGS, (len(LENGTHS), N_STEPS))
    nll, path, marginals = _all_outputs(crf, emissions, tags, _mask(LENGTHS))
    for row, length in enumerate(LENGTHS):
        alone = _all_outputs(crf, emissions[row:row + 1, :length],
                             tags[row:row + 1, :length], _mask([length], length))
        torch.testing.assert_close(nll[row:row + 1], alone[0])
        assert path[row, :length].tolist() == alone[1][0].tolist()
        assert path[row, length:].tolist() == [0] * (N_STEPS - length)
        torch.testing.assert_close(marginals[row:row + 1, :length], alone[2])
        assert marginals[row, length:].eq(0).all()
    torch.testing.assert_close(marginals.sum(dim=2), _mask(LENGTHS).float())


@pytest.mark.parametrize("garbage", [-100.0, float("inf"), float("nan"), "random"])
def test_values_at_masked_positions_change_nothing(garbage):
    crf = _random_crf()
    mask = _mask(LENGTHS)
    emissions = torch.randn(len(LENGTHS), N_STEPS, N_TAGS, requires_grad=True)
    tags = torch.randint(N_TAGS, (len(LENGTHS), N_STEPS))
    fill = torch.randn(emissions.shape) * 100 if garbage == "random" else garbage
    dirty_emissions = torch.where(mask[..., None], emissions, fill)
    dirty_tags = tags.masked_fill(~mask, -100)
    clean = _all_outputs(crf, emissions, tags.masked_fill(~mask, 0), mask)
    dirty = _all_outputs(crf, dirty_emissions, dirty_tags, mask)
    for expected, actual in zip(clean, dirty, strict=True):
        torch.testing.assert_close(actual, expected)
    crf.neg_log_likelihood(dirty_emissions, dirty_tags, mask).sum().backward()
    assert torch.isfinite(emissions.grad).all()
    assert emissions.grad[~mask].eq(0).all()


def test_length_zero_row_gives_empty_results():
    crf = _random_crf()
    emissions = torch.randn(2, 3, N_TAGS)
    mask = _mask([0, 2], 3)
    tags = torch.zeros(2, 3, dtype=torch.long)
    nll, path, marginals = _all_outputs(crf, emissions, tags, mask)
    assert nll[0] == 0
    assert path[0].tolist() == [0, 0, 0]
    assert marginals[0].eq(0).all()


def test_training_lowers_nll_and_decode_learns_the_tags():
    # the right tag depends on the previous one (always "previous + 1"), so
    # only the transitions can learn it: the emissions are uninformative
    crf = LinearChainCRF(N_TAGS)
    starts = torch.tensor([0, 1, 2, 0])
    tags = (starts[:, None] + torch.arange(N_STEPS)) % N_TAGS
    emissions = torch.zeros(len(starts), N_STEPS, N_TAGS)
    emissions[torch.arange(len(starts)), 0, starts] = 1.0  # gives away the start
    mask = _mask(LENGTHS)
    optimizer = torch.optim.Adam(crf.parameters(), lr=0.1)
    first = crf.neg_log_likelihood(emissions, tags, mask).mean()
    for _ in range(50):
        optimizer.zero_grad()
        loss = crf.neg_log_likelihood(emissions, tags, mask).mean()
        loss.backward()
        assert all(torch.isfinite(p.grad).all() for p in crf.parameters())
        optimizer.step()
    assert loss < 0.2 * first
    with torch.no_grad():
        assert torch.equal(crf.decode(emissions, mask), tags.masked_fill(~mask, 0))


def test_bfloat16_emissions_are_close_to_float32():
    crf = _random_crf()
    emissions = torch.randn(len(LENGTHS), N_STEPS, N_TAGS)
    tags = torch.randint(N_TAGS, (len(LENGTHS), N_STEPS))
    mask = _mask(LENGTHS)
    full = _all_outputs(crf, emissions, tags, mask)
    half = _all_outputs(crf, emissions.bfloat16(), tags, mask)
    assert half[0].dtype == half[2].dtype == torch.float32
    # bfloat16 keeps 8 bits of mantissa: the inputs themselves move by ~0.4 %
    torch.testing.assert_close(half[0], full[0], rtol=0.02, atol=0.05)
    assert torch.equal(half[1], full[1])
    torch.testing.assert_close(half[2], full[2], rtol=0, atol=0.02)
