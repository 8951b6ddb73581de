"""CharLanguageModel.generate and score under careless or hostile arguments.

Every bad argument gets an error that names it; every accepted extreme value
(a temperature near 0 or near the largest float, a top_k above the vocabulary,
the largest n_chars) gives the result its limit defines.
"""

import math
import pickle
import tracemalloc
import warnings

import numpy as np
import pytest
import torch

from sklearn_rnn import CharLanguageModel
from sklearn_rnn.estimators._char_lm import MAX_GENERATED_CHARS
from sklearn_rnn.nn import CharLMModule
from sklearn_rnn.nn._char_lm import sampling_weights

TEXT = "the quick brown fox jumps over the lazy dog. " * 6
N_RESERVED = 2  # ids 0 (padding) and 1 (unknown) are never generated


@pytest.fixture(scope="module")
def lm(one_torch_thread):
    return CharLanguageModel(units=8, embedding_dim=4, num_layers=1, seq_length=16,
                             batch_size=8, max_epochs=1, validation_split=None,
                             early_stopping=False, random_state=0).fit(TEXT)


def _greedy(lm, prompt, n_chars):
    """The prompt and ``n_chars`` argmax characters, decoded step by step."""
    module = lm.net_.module_.eval()
    ids = torch.as_tensor([lm.vocabulary_[c] for c in prompt or "\n"]).view(1, -1)
    generated = []
    with torch.inference_mode():
        logits, states = module.step(ids)
        for _ in range(n_chars):
            next_id = int(logits[0, -1, N_RESERVED:].argmax()) + N_RESERVED
            generated.append(lm.chars_[next_id])
            logits, states = module.step(torch.tensor([[next_id]]), states)
    return prompt + "".join(generated)


def _copy_with_head_bias(lm, bias):
    """A copy of ``lm`` whose logits are ``bias`` whatever the input."""
    model = pickle.loads(pickle.dumps(lm))
    head = model.net_.module_.head
    with torch.no_grad():
        head.weight.zero_()
        head.bias.copy_(torch.as_tensor(bias))
    return model


# ------------------------------------------------------------ temperature
@pytest.mark.parametrize("temperature", [1e-12, 1e-40, 5e-324])
@pytest.mark.parametrize("seed", [0, 1])
def test_a_tiny_temperature_decodes_greedily(lm, temperature, seed):
    text = lm.generate("the ", n_chars=15, temperature=temperature, random_state=seed)
    assert text == _greedy(lm, "the ", 15)


@pytest.mark.parametrize("temperature", [1e30, 1e39, 1e300])
def test_a_huge_temperature_samples_known_characters(lm, temperature):
    text = lm.generate("the", n_chars=200, temperature=temperature, random_state=0)
    assert set(text) <= set(lm.vocabulary_)
    assert len(set(text[3:])) > 10  # nearly uniform: most of the 30 characters


@pytest.mark.parametrize(
    "temperature, error, match",
    [
        (0, ValueError, r"temperature must be a number > 0, got 0; .*top_k=1 for "
         r"greedy decoding"),
        (0.0, ValueError, r"temperature must be a number > 0, got 0\.0"),
        (-0.0, ValueError, r"temperature must be a number > 0, got -0\.0"),
        (-1, ValueError, r"temperature must be a number > 0, got -1"),
        (float("nan"), ValueError, r"temperature must be a number > 0, got nan"),
        (float("inf"), ValueError, r"temperature must be a finite number > 0, "
         r"got inf"),
        (10**400, ValueError, r"temperature must be a finite number > 0, got an int "
         r"near 10\*\*400"),
        (-10**400, ValueError, r"temperature must be a number > 0, got an int near "
         r"-10\*\*400"),
        (True, TypeError, r"temperature must be a number > 0, got True \(a bool\)"),
        (False, TypeError, r"temperature must be a number > 0, got False \(a bool\)"),
        ("1", TypeError, r"temperature must be a number > 0, got '1'"),
        (None, TypeError, r"temperature must be a number > 0, got None"),
    ],
)
def test_bad_temperature_is_named(lm, temperature, error, match):
    with pytest.raises(error, match=match):
        lm.generate("the", n_chars=5, temperature=temperature)


def test_numpy_temperature_is_a_number(lm):
    assert lm.generate("the", 10, temperature=np.float32(0.5), random_state=0) == (
        lm.generate("the", 10, temperature=0.5, random_state=0))


# ------------------------------------------------------------ sampling_weights
def test_sampling_weights_are_the_tempered_softmax_over_the_top_k():
    logits = torch.tensor([-math.inf, 3.0, 1.0, 2.0, 0.5])
    weights = sampling_weights(logits, temperature=0.5, top_k=2)
    expected = np.array([0, math.exp(6), 0, math.exp(4), 0])
    np.testing.assert_allclose(weights / weights.sum(), expected / expected.sum())


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("temperature", [5e-324, 1e-40, 1e-8])
def test_sampling_weights_at_a_tiny_temperature_are_one_hot(dtype, temperature):
    # large logits that logits / temperature overflows in float32 and bfloat16
    logits = torch.tensor([-math.inf, 3e4, 3.1e4, -2e4], dtype=dtype)
    weights = sampling_weights(logits, temperature)
    np.testing.assert_array_equal(weights, [0, 0, 1, 0])


def test_sampling_weights_at_a_huge_temperature_are_uniform_over_allowed_ids():
    logits = torch.tensor([-math.inf, 3e4, -3e4, 0.0, -math.inf])
    weights = sampling_weights(logits, temperature=1.7e308)
    np.testing.assert_allclose(weights, [0, 1, 1, 1, 0])


@pytest.mark.parametrize("top_k", [4, 5, 10**6])
def test_a_top_k_at_least_the_vocabulary_keeps_every_id(top_k):
    logits = torch.tensor([-math.inf, 3.0, 1.0, 2.0, 0.5])
    torch.testing.assert_close(sampling_weights(logits, 1.0, top_k),
                               sampling_weights(logits, 1.0))


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_sampling_weights_refuse_non_finite_logits(bad):
    with pytest.raises(ValueError, match=rf"logits must be finite .*got {bad}"):
        sampling_weights(torch.tensor([-math.inf, 1.0, bad]), 1.0)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_generate_names_a_model_with_non_finite_logits(lm, bad):
    broken = _copy_with_head_bias(lm, [0.0] * 5 + [bad] + [0.0] * (len(lm.chars_) - 6))
    with pytest.raises(ValueError, match="logits must be finite"):
        broken.generate("the", n_chars=3, random_state=0)


# ------------------------------------------------------------ n_chars
def test_n_chars_above_the_maximum_fails_before_sampling(lm, monkeypatch):
    def no_step(*args, **kwargs):
        raise AssertionError("sampling started")

    monkeypatch.setattr(CharLMModule, "step", no_step)
    with pytest.raises(ValueError, match=rf"n_chars must be at most "
                       rf"{MAX_GENERATED_CHARS}.*got 10000000000000"):
        lm.generate("the", n_chars=10**13)
    # an int whose repr would raise (over 4300 digits) is still named
    with pytest.raises(ValueError, match=r"n_chars must be at most .*got an int "
                       r"near 10\*\*5000"):
        lm.generate("the", n_chars=10**5000)


class _Stop(Exception):
    """Raised from the module to end a generation early."""


def test_memory_grows_with_the_text_produced_not_with_n_chars(lm, monkeypatch):
    steps, original = [], CharLMModule.step

    def step_three_times(module, tokens, states=None):
        steps.append(tokens.shape)
        if len(steps) > 3:
            raise _Stop
        return original(module, tokens, states)

    monkeypatch.setattr(CharLMModule, "step", step_three_times)
    tracemalloc.start()
    try:
        with pytest.raises(_Stop):
            lm.generate("the", n_chars=MAX_GENERATED_CHARS, random_state=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20  # a buffer for n_chars ids would be 8 GB


@pytest.mark.parametrize(
    "n_chars, error, match",
    [
        (-1, ValueError, r"n_chars must be an int >= 0, got -1"),
        (True, TypeError, r"n_chars must be an int >= 0, got True \(a bool\)"),
        (False, TypeError, r"n_chars must be an int >= 0, got False \(a bool\)"),
        (2.5, TypeError, r"n_chars must be an int >= 0, got 2\.5"),
        (float("inf"), TypeError, r"n_chars must be an int >= 0, got inf"),
        (float("nan"), TypeError, r"n_chars must be an int >= 0, got nan"),
        ("10", TypeError, r"n_chars must be an int >= 0, got '10'"),
        (None, TypeError, r"n_chars must be an int >= 0, got None"),
    ],
)
def test_bad_n_chars_is_named(lm, n_chars, error, match):
    with pytest.raises(error, match=match):
        lm.generate("the", n_chars=n_chars)


@pytest.mark.parametrize("n_chars", [np.int64(7), np.uint8(7), 7.0])
def test_integer_like_n_chars_count_as_ints(lm, n_chars):
    assert lm.generate("the", n_chars=n_chars, random_state=0) == lm.generate(
        "the", n_chars=7, random_state=0)


# ------------------------------------------------------------ top_k
@pytest.mark.parametrize(
    "top_k, error, match",
    [
        (0, ValueError, r"top_k must be None or an int >= 1, got 0"),
        (-3, ValueError, r"top_k must be None or an int >= 1, got -3"),
        (True, TypeError, r"top_k must be None or an int >= 1, got True \(a bool\)"),
        (False, TypeError, r"top_k must be None or an int >= 1, got False"),
        (2.5, TypeError, r"top_k must be None or an int >= 1, got 2\.5"),
        ("3", TypeError, r"top_k must be None or an int >= 1, got '3'"),
    ],
)
def test_bad_top_k_is_named(lm, top_k, error, match):
    with pytest.raises(error, match=match):
        lm.generate("the", n_chars=5, top_k=top_k)


def test_a_top_k_above_the_vocabulary_samples_among_all_characters(lm):
    n_characters = len(lm.chars_) - N_RESERVED
    unrestricted = lm.generate("the", n_chars=40, random_state=0)
    for top_k in (n_characters, n_characters + 1, 10**9):
        assert lm.generate("the", n_chars=40, top_k=top_k, random_state=0) == (
            unrestricted)


@pytest.mark.parametrize("top_k", [1, np.int64(1), 1.0])
def test_top_k_one_decodes_greedily(lm, top_k):
    assert lm.generate("the ", n_chars=15, top_k=top_k, temperature=3.0,
                       random_state=0) == _greedy(lm, "the ", 15)


# ------------------------------------------------------------ random_state
@pytest.mark.parametrize(
    "random_state, error, match",
    [
        (True, TypeError, r"random_state must be None, an int in \[0, 2\*\*32 - 1\] "
         r"or a numpy RandomState, got True \(a bool\)"),
        (-1, ValueError, r"random_state must be None, an int .*got -1"),
        (2**32, ValueError, r"random_state must be None, an int .*got 4294967296"),
        (1.5, TypeError, r"random_state must be None, an int .*got 1\.5"),
        ("0", TypeError, r"random_state must be None, an int .*got '0'"),
        (np.random.default_rng(0), TypeError,
         r"random_state must be None, an int .*got Generator"),
    ],
)
def test_bad_random_state_is_named(lm, random_state, error, match):
    with pytest.raises(error, match=match):
        lm.generate("the", n_chars=5, random_state=random_state)


def test_random_state_accepts_the_full_seed_range_and_a_random_state(lm):
    for seed in (0, 2**32 - 1, np.uint32(7)):
        assert len(lm.generate("the", n_chars=5, random_state=seed)) == 8
    assert lm.generate("the", 20, random_state=np.random.RandomState(3)) == (
        lm.generate("the", 20, random_state=3))


# ------------------------------------------------------------ prompt
@pytest.mark.parametrize(
    "prompt, match",
    [
        (b"the", r"prompt must be a str, got bytes; decode it first"),
        (bytearray(b"the"), r"prompt must be a str, got bytearray; decode it first"),
        (None, r"prompt must be a str, got NoneType; use '' to start from nothing"),
        (3, r"prompt must be a str, got int"),
        (["the", "a"], r"prompt must be a str, got list; generate from one "
         r"prompt per call"),
    ],
)
def test_bad_prompt_is_named(lm, prompt, match):
    with pytest.raises(TypeError, match=match):
        lm.generate(prompt, n_chars=5)


def test_an_empty_prompt_continues_as_after_a_newline(lm):
    after_newline = lm.generate("\n", n_chars=30, random_state=4)
    assert lm.generate("", n_chars=30, random_state=4) == after_newline[1:]


def test_a_prompt_of_unseen_characters_warns_and_is_continued(lm):
    with pytest.warns(UserWarning, match=r"not seen in fit .*'Ω', '日'"):
        text = lm.generate("日Ω", n_chars=10, random_state=0)
    assert text.startswith("日Ω") and len(text) == 12
    assert set(text[2:]) <= set(lm.vocabulary_)


def test_a_str_subclass_prompt_gives_a_str(lm):
    text = lm.generate(np.str_("the"), n_chars=5, random_state=0)
    assert type(text) is str
    assert text == lm.generate("the", n_chars=5, random_state=0)


# ------------------------------------------------------------ score
@pytest.mark.parametrize("method", ["score", "perplexity", "bits_per_char"])
@pytest.mark.parametrize(
    "X, error, match",
    [
        ("", ValueError, r"X is empty"),
        ([], ValueError, r"X is empty"),
        ([""], ValueError, r"X is empty"),
        ("t", ValueError, r"X has 1 character: .*at least 2 characters to be scored"),
        (["", ""], ValueError, r"X has 1 character"),  # one newline
        ("Ω", ValueError, r"X has 1 character"),  # refused before the unseen warning
        (None, TypeError, r"X must be a str or an iterable of str, got NoneType"),
        (5, TypeError, r"X must be a str or an iterable of str, got int"),
        (b"the", TypeError, r"got bytes; decode it first"),
        (["the", 3], TypeError, r"item 1 is 3 of type int"),
    ],
)
def test_unscorable_text_is_named(lm, method, X, error, match):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error, match=match):
            getattr(lm, method)(X)


def test_score_needs_two_characters(lm):
    with pytest.raises(ValueError, match="at least 2 characters to be scored"):
        lm.score("t")


def test_two_characters_score_the_second_given_the_first(lm):
    module = lm.net_.module_.eval()
    with torch.inference_mode():
        logits, _ = module.step(torch.tensor([[lm.vocabulary_["t"]]]))
    expected = torch.log_softmax(logits[0, 0], 0)[lm.vocabulary_["h"]].item()
    assert lm.score("th") == pytest.approx(expected, abs=1e-5)


def test_perplexity_of_an_impossible_text_is_infinite(lm):
    # every logit 0 but that of 'z', 10,000 nats more likely than each other one
    bias = [0.0] * len(lm.chars_)
    bias[lm.vocabulary_["z"]] = 1e4
    sure_of_z = _copy_with_head_bias(lm, bias)
    assert sure_of_z.score("the fox") == pytest.approx(-1e4)
    assert sure_of_z.perplexity("the fox") == math.inf
    assert sure_of_z.bits_per_char("the fox") == pytest.approx(1e4 / math.log(2))


# ------------------------------------------------------------ every argument by keyword
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        pytest.param({"prompt": b"to be"}, TypeError, "prompt must be a str, got "
                     "bytes", id="bytes-prompt"),
        pytest.param({"prompt": None}, TypeError, "prompt must be a str, got "
                     "NoneType", id="None-prompt"),
        pytest.param({"prompt": ["to", "be"]}, TypeError,
                     "prompt must be a str, got list", id="list-prompt"),
        pytest.param({"temperature": 0}, ValueError,
                     "temperature must be a number > 0, got 0; use a small value",
                     id="temperature=0"),
        pytest.param({"temperature": -0.5}, ValueError,
                     "temperature must be a number > 0, got -0.5",
                     id="temperature<0"),
        pytest.param({"temperature": "hot"}, ValueError,
                     "temperature must be a number > 0, got 'hot'",
                     id="temperature-str"),
        pytest.param({"temperature": None}, ValueError,
                     "temperature must be a number > 0, got None",
                     id="temperature-None"),
        pytest.param({"temperature": float("nan")}, ValueError,
                     "temperature must be a number > 0, got nan",
                     id="temperature-nan"),
        pytest.param({"n_chars": -1}, ValueError,
                     "n_chars must be an int >= 0, got -1", id="n_chars<0"),
        pytest.param({"n_chars": 2.5}, ValueError,
                     "n_chars must be an int >= 0, got 2.5", id="n_chars-float"),
        pytest.param({"n_chars": "10"}, ValueError,
                     "n_chars must be an int >= 0, got '10'", id="n_chars-str"),
        pytest.param({"top_k": 0}, ValueError,
                     "top_k must be None or an int >= 1, got 0", id="top_k=0"),
        pytest.param({"top_k": 2.5}, ValueError,
                     "top_k must be None or an int >= 1, got 2.5", id="top_k-float"),
    ],
)
def test_generate_refuses_bad_arguments(lm, kwargs, error, match):
    with pytest.raises(error, match=match):
        lm.generate(**{"prompt": "to be", "n_chars": 5, **kwargs})

