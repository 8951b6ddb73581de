"""CharLanguageModel under bad input: corpora and hyperparameters it refuses with
an error naming the item or the parameter and what is allowed; text in any script
it learns; a failed refit that keeps the model it had. Bad arguments to generate
and score are in test_generate_input.py."""

import warnings

import numpy as np
import pytest

from sklearn_rnn import CharLanguageModel
from tests._data import HAMLET, TINY_LM, private_copy


@pytest.fixture(scope="module")
def fitted_lm():
    return CharLanguageModel(**TINY_LM).fit(HAMLET)


@pytest.mark.parametrize(
    "X, error, match",
    [
        pytest.param("", ValueError, "X is empty: a language model needs some text",
                     id="empty-str"),
        pytest.param([], ValueError, "X is empty", id="no-documents"),
        pytest.param("to be", ValueError,
                     r"The text has 5 characters: too short for one chunk of "
                     r"seq_length=8 \(\+1\)\. Use more text or a smaller "
                     r"seq_length\.$",
                     id="shorter-than-one-chunk"),
        pytest.param([HAMLET, None], TypeError,
                     r"only str documents; item 1 is None of type NoneType",
                     id="None-document"),
        pytest.param(HAMLET.encode(), TypeError,
                     r"a str or an iterable of str, got bytes; decode it first",
                     id="bytes"),
        pytest.param(42, TypeError, "a str or an iterable of str, got int",
                     id="not-iterable"),
    ],
)
def test_char_lm_refuses_bad_corpus(X, error, match):
    with pytest.raises(error, match=match):
        CharLanguageModel(**TINY_LM).fit(X)


def test_char_lm_validation_tail_shorter_than_one_chunk():
    with pytest.raises(ValueError, match=r"too short .*validation_split=0\.1\)"):
        CharLanguageModel(**{**TINY_LM, "validation_split": 0.1}).fit("abcdefgh" * 5)


@pytest.mark.parametrize(
    "params, match",
    [
        pytest.param({"cell_type": "gruu"}, r"Got 'gruu' instead\. Did you mean "
                     r"'gru'\?", id="cell_type-typo"),
        pytest.param({"optimizer": "sdg"}, r"Did you mean 'sgd'\?",
                     id="optimizer-typo"),
        pytest.param({"seq_length": 0}, r"'seq_length' parameter of "
                     r"CharLanguageModel must be an int in the range \[1, inf\)",
                     id="seq_length=0"),
        pytest.param({"units": 0}, r"'units' parameter of CharLanguageModel",
                     id="units=0"),
        pytest.param({"recurrent_dropout": 1.0}, r"'recurrent_dropout' parameter",
                     id="recurrent_dropout=1"),
    ],
)
def test_char_lm_refuses_bad_hyperparameters(params, match):
    with pytest.raises(ValueError, match=match):
        CharLanguageModel(**{**TINY_LM, **params}).fit(HAMLET)


UNICODE_CORPUS = ("😀 中文字 مرحبا שלום cafe\u0301 नमस्ते 👍🏽\n" * 6)


def test_char_lm_on_unicode_text():
    lm = CharLanguageModel(**TINY_LM).fit(UNICODE_CORPUS)
    assert {"😀", "中", "م", "ש", "\u0301", "्", "🏽"} <= set(lm.vocabulary_)
    prompt = "مرحبا 中"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every prompt character was seen in fit
        text = lm.generate(prompt, n_chars=30, random_state=0)
    assert text.startswith(prompt) and len(text) == len(prompt) + 30
    assert set(text[len(prompt):]) <= set(lm.vocabulary_)
    assert np.isfinite(lm.score(UNICODE_CORPUS[:40]))


@pytest.mark.parametrize(
    "bad_X, params, error",
    [
        pytest.param("", {}, ValueError, id="empty"),
        pytest.param("xyz", {}, ValueError, id="shorter-than-one-chunk"),
        pytest.param(["new text " * 5, None], {}, TypeError, id="None-document"),
        pytest.param("brand new characters! " * 5, {"cell_type": "gruu"},
                     ValueError, id="bad-hyperparameter"),
    ],
)
def test_failed_refit_keeps_the_char_lm(fitted_lm, bad_X, params, error):
    lm = private_copy(fitted_lm)
    before = lm.generate("to be", n_chars=20, random_state=0)
    vocabulary = dict(lm.vocabulary_)
    with pytest.raises(error):
        lm.set_params(**params).fit(bad_X)
    assert lm.vocabulary_ == vocabulary
    assert lm.generate("to be", n_chars=20, random_state=0) == before
