"""Properties of CharLanguageModel.generate for arbitrary prompts and settings.

The number of examples comes from the hypothesis profile (tests/conftest.py:
``--hypothesis-profile=ci`` or ``thorough``); only the deadline is switched off,
because the first call of a fitted model is slower than the rest.
"""

import warnings

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from sklearn_rnn import CharLanguageModel

TEXT = "the quick brown fox jumps over the lazy dog. " * 6
SEEN = sorted(set(TEXT))
# the characters of TEXT, the document separator, and ids 0 (padding) and 1
# (unknown), which generate must never emit
VOCAB_SIZE = len(set(TEXT) | {"\n"}) + 2
UNKNOWN_CHAR = "\ufffd"

# Prompts mix characters seen in fit with any other Unicode character (emoji,
# CJK, right-to-left scripts, combining marks, control characters, U+FFFD).
PROMPTS = st.text(alphabet=st.one_of(st.sampled_from(SEEN), st.characters()),
                  max_size=20)


@pytest.fixture(scope="module")
def lm():
    model = CharLanguageModel(units=8, embedding_dim=4, num_layers=1, seq_length=16,
                              batch_size=8, max_epochs=1, validation_split=None,
                              early_stopping=False, random_state=0).fit(TEXT)
    assert len(model.chars_) == VOCAB_SIZE
    # Sampling runs thousands of tiny one-step operations; with a second OpenMP
    # thread each of them waits for it, which on a busy 2-core machine made this
    # module 20x slower (21 s instead of 1 s for 100 examples).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield model
    finally:
        torch.set_num_threads(threads)


def _generate(lm, prompt, **kwargs):
    """``lm.generate``, checking that exactly the prompts with characters unseen
    in fit warn."""
    if set(prompt) <= set(lm.vocabulary_):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return lm.generate(prompt, **kwargs)
    with pytest.warns(UserWarning, match="Characters not seen in fit map to the "
                      "unknown id"):
        return lm.generate(prompt, **kwargs)


@settings(deadline=None)
@given(
    prompt=PROMPTS,
    n_chars=st.integers(0, 50),
    temperature=st.floats(0.05, 5, exclude_min=True),
    top_k=st.one_of(st.none(), st.integers(1, VOCAB_SIZE)),
    seed=st.integers(0, 2**32 - 1),
)
def test_generate_continues_the_prompt_with_known_characters(
    lm, prompt, n_chars, temperature, top_k, seed
):
    kwargs = dict(n_chars=n_chars, temperature=temperature, top_k=top_k,
                  random_state=seed)
    text = _generate(lm, prompt, **kwargs)
    assert isinstance(text, str)
    assert text.startswith(prompt)
    assert len(text) == len(prompt) + n_chars
    generated = text[len(prompt):]
    assert set(generated) <= set(lm.vocabulary_)
    assert UNKNOWN_CHAR not in generated
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert lm.generate(prompt, **kwargs) == text
