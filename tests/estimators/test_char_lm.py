import math
import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV

from sklearn_rnn import CharLanguageModel
from sklearn_rnn.estimators._batching import StreamBatches, TextChunks
from sklearn_rnn.nn import CharLMModule
from tests._data import TINY_LM

PHRASE = "a quick brown fox jumps over lazy dogs. "
TEXT = PHRASE * 40
OTHER_TEXT = PHRASE[::-1] * 3  # the same characters in another order
SMALL = dict(units=48, num_layers=1, embedding_dim=16, seq_length=24, batch_size=16,
             lr=1e-2, random_state=0)


@pytest.fixture(scope="module")
def fitted_lm():
    return CharLanguageModel(max_epochs=25, validation_split=None,
                             early_stopping=False, **SMALL).fit(TEXT)


@pytest.mark.slow
def test_learns_a_repeating_text(fitted_lm):
    losses = fitted_lm.history_[:, "train_loss"]
    assert losses[-1] < 0.25 * losses[0]
    continuation = fitted_lm.generate("a quick ", n_chars=40, temperature=0.1,
                                      random_state=0)
    assert continuation == "a quick " + (PHRASE * 2)[8:48]


def test_scores_its_own_text_higher_than_unrelated_text(fitted_lm):
    own, other = fitted_lm.score(PHRASE * 3), fitted_lm.score(OTHER_TEXT)
    assert own > other
    assert own > -0.5  # nats per character


def test_perplexity_and_bits_per_char_follow_from_score(fitted_lm):
    score = fitted_lm.score(TEXT[:200])
    assert fitted_lm.perplexity(TEXT[:200]) == pytest.approx(math.exp(-score))
    assert fitted_lm.bits_per_char(TEXT[:200]) == pytest.approx(-score / math.log(2))


def test_generation_is_reproducible_and_seed_dependent(fitted_lm):
    first = fitted_lm.generate("a qu", n_chars=60, random_state=1, temperature=2.0)
    assert first == fitted_lm.generate("a qu", n_chars=60, random_state=1,
                                       temperature=2.0)
    assert first != fitted_lm.generate("a qu", n_chars=60, random_state=2,
                                       temperature=2.0)
    assert len(first) == 64 and first.startswith("a qu")


def test_top_k_one_is_greedy_whatever_the_seed(fitted_lm):
    texts = {fitted_lm.generate("a qu ", n_chars=30, top_k=1, random_state=seed)
             for seed in range(3)}
    assert len(texts) == 1


def test_generated_characters_come_from_the_training_text(fitted_lm):
    generated = fitted_lm.generate("", n_chars=300, temperature=1.5, random_state=0)
    assert set(generated) <= set(TEXT)


def test_unknown_prompt_characters_warn(fitted_lm):
    with pytest.warns(UserWarning, match="unknown id"):
        fitted_lm.generate("a qu Ω", n_chars=5, random_state=0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"temperature": 0}, "temperature must be a number > 0"),
        ({"temperature": -1.0}, "temperature must be a number > 0"),
        ({"n_chars": -1}, "n_chars must be an int >= 0"),
        ({"top_k": 0}, "top_k must be None or an int >= 1"),
    ],
)
def test_bad_generation_arguments(fitted_lm, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fitted_lm.generate("a qu", **kwargs)


def test_validation_is_the_last_contiguous_part_of_the_text():
    text = "ab" * 450 + "xy" * 50  # the last 10% is exactly the "xy" part
    lm = CharLanguageModel(max_epochs=1, validation_split=0.1, **SMALL).fit(text)
    valid = lm.net_.train_split.keywords["valid_ds"]
    valid_chars = set(lm.chars_[valid.ids.numpy()])
    assert valid_chars == {"x", "y"}
    assert "valid_loss" in lm.history_[-1]


def test_documents_are_joined_with_newlines():
    lm = CharLanguageModel(max_epochs=1, validation_split=None, early_stopping=False,
                           **SMALL).fit(["abc " * 20, "xyz " * 20])
    assert set(lm.vocabulary_) == set("abcxyz \n")
    assert lm.net_.train_split is None


def test_pickle_and_clone(fitted_lm):
    restored = pickle.loads(pickle.dumps(fitted_lm))
    assert restored.generate("a qu", 30, random_state=0) == fitted_lm.generate(
        "a qu", 30, random_state=0)
    assert clone(fitted_lm).get_params() == fitted_lm.get_params()


def test_grid_search_selects_on_log_likelihood():
    documents = [PHRASE * 6] * 8
    search = GridSearchCV(
        CharLanguageModel(max_epochs=6, validation_split=None, early_stopping=False,
                          **{**SMALL, "units": 4}),
        {"units": [2, 48]}, cv=2,
    ).fit(documents)
    assert search.best_params_ == {"units": 48}
    assert np.all(search.cv_results_["mean_test_score"] < 0)


def test_summary_counts(fitted_lm):
    table = fitted_lm.summary()
    vocab = len(fitted_lm.chars_)
    lstm = 4 * (48 * (16 + 48) + 2 * 48)
    assert f"{lstm:,}" in table
    total = vocab * 16 + lstm + 48 * vocab + vocab
    assert f"Total params: {total:,}" in table


@pytest.mark.parametrize(
    "X, error, match",
    [
        ("", ValueError, "X is empty"),
        ([], ValueError, "X is empty"),
        ("short text", ValueError, "too short for chunks of seq_length=24"),
        (["fine", None], TypeError, "item 1 is None"),
        (42, TypeError, "str or an iterable of str"),
    ],
)
def test_bad_corpus(X, error, match):
    with pytest.raises(error, match=match):
        CharLanguageModel(max_epochs=1, **SMALL).fit(X)


def test_bad_hyperparameter_is_named():
    with pytest.raises(ValueError, match="Did you mean 'gru'"):
        CharLanguageModel(cell_type="gruu").fit(TEXT)


def test_generate_before_fit():
    with pytest.raises(NotFittedError):
        CharLanguageModel().generate("the")


def test_score_is_the_exact_log_likelihood_given_all_previous_text(fitted_lm):
    text = PHRASE * 3  # shorter than 8 chunks: one segment, exact
    ids = torch.as_tensor([fitted_lm.vocabulary_[c] for c in text])
    module, total, states = fitted_lm.net_.module_.eval(), 0.0, None
    with torch.inference_mode(), fitted_lm.net_.autocast():
        for position in range(len(ids) - 1):
            logits, states = module.step(ids[position].view(1, 1), states)
            log_probs = torch.log_softmax(logits[0, 0].float(), dim=0)
            total += log_probs[ids[position + 1]].item()
    assert fitted_lm.score(text) == pytest.approx(total / (len(ids) - 1), abs=2e-3)


def test_long_texts_are_scored_in_parallel_segments_covering_every_character():
    from sklearn_rnn.estimators._char_lm import IGNORE, _parallel_segments

    ids = np.arange(2, 2 + 1000)
    inputs, targets = _parallel_segments(torch.as_tensor(ids), seq_length=10)
    assert inputs.shape[0] == 12  # 999 targets // (8 * 10)
    kept = targets[targets != IGNORE]
    np.testing.assert_array_equal(np.sort(kept.numpy()), ids[1:])
    # within a row, each target is the character after its input
    real = targets != IGNORE
    np.testing.assert_array_equal(targets[real].numpy(), inputs[real].numpy() + 1)



def test_a_failed_refit_leaves_the_fitted_model_usable(fitted_lm):
    model = pickle.loads(pickle.dumps(fitted_lm))
    before = model.generate("a qu", 20, random_state=0)
    with pytest.raises(ValueError, match="too short"):
        model.fit("xyz")
    assert model.generate("a qu", 20, random_state=0) == before


def test_long_generation_shows_progress_only_when_verbose(capsys):
    lm = CharLanguageModel(**TINY_LM).fit("abc def " * 50)
    lm.generate("a", 1500, random_state=0)
    assert "generate" not in capsys.readouterr().err
    lm.set_params(verbose=2).generate("a", 1500, random_state=0)
    assert "generate:" in capsys.readouterr().err


def test_stream_batches_continue_each_row_from_the_previous_batch():
    ids = torch.arange(1000)
    batches = list(StreamBatches(TextChunks(ids, seq_length=10), batch_size=4))
    inputs = torch.cat([x["tokens"] for x, _ in batches], dim=1)
    targets = torch.cat([y for _, y in batches], dim=1)
    # 4 streams of 249 characters: row i is ids[249 i : 249 (i + 1)], read in order
    assert inputs.shape == (4, 249)
    assert torch.equal(inputs, torch.arange(996).view(4, 249))
    assert torch.equal(targets, inputs + 1)
    assert [x["tokens"].shape[1] for x, _ in batches] == [10] * 24 + [9]


def test_stream_batches_keep_streams_long_and_move_boundaries_between_epochs():
    chunks = TextChunks(torch.arange(1000), seq_length=10)
    # 999 targets allow 12 streams of at least 8 chunks of 10, not 64
    (x, _), *_ = StreamBatches(chunks, batch_size=64)
    assert x["tokens"].shape[0] == 12
    torch.manual_seed(0)
    starts = {int(next(iter(StreamBatches(chunks, 4, shuffle=True)))[0]["tokens"][0, 0])
              for _ in range(20)}
    assert len(starts) > 1 and all(0 <= s < 10 for s in starts)


def test_stateful_training_carries_state_across_batches_and_resets_each_epoch(
        monkeypatch):
    calls = []
    original = CharLMModule.step

    def recording_step(module, tokens, states=None):
        calls.append(None if states is None else states[0][0].clone())
        return original(module, tokens, states)

    monkeypatch.setattr(CharLMModule, "step", recording_step)
    lm = CharLanguageModel(stateful=True, max_epochs=2, validation_split=None,
                           early_stopping=False,
                           **{**SMALL, "seq_length": 10, "batch_size": 2})
    lm.fit(PHRASE * 20)  # 799 targets: 2 streams of 399, 40 batches per epoch
    assert len(calls) == 80
    assert calls[0] is None and calls[40] is None  # each epoch starts from zero
    carried = [c for c in calls[1:40] + calls[41:] if c is not None]
    assert len(carried) == 78
    assert all(c.abs().sum() > 0 for c in carried)


def test_chunked_training_starts_every_batch_from_zero_state(monkeypatch):
    calls = []
    original = CharLMModule.step

    def recording_step(module, tokens, states=None):
        calls.append(states)
        return original(module, tokens, states)

    monkeypatch.setattr(CharLMModule, "step", recording_step)
    CharLanguageModel(stateful=False, max_epochs=1, validation_split=None,
                      early_stopping=False, **SMALL).fit(TEXT)
    assert calls and all(states is None for states in calls)
