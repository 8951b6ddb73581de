"""Behaviour tests of RNNTagger: it learns tags, reads spelling, keeps a
sentence's tags independent of its batch, checks its input, and plays with
scikit-learn (clone, pickle, cross-validation, grid search) and persistence.

Every model is tiny and single-threaded: the whole module runs in well under a
minute on two shared cores.
"""

import functools
import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import InvalidParameterError

import sklearn_rnn
from sklearn_rnn import RNNTagger
from sklearn_rnn.embeddings import WordVectors
from sklearn_rnn.metrics import entity_f1_scorer

# Tiny, deterministic, one thread; no validation split unless a test asks.
TINY = dict(units=16, embedding_dim=16, char_dim=8, char_filters=8, num_layers=1,
            dropout=0.0, lr=0.02, batch_size=8, max_epochs=15,
            validation_split=None, early_stopping=False, precision="float32",
            random_state=0, n_threads=1)

DET = ["the", "a", "every", "this"]
ADJ = ["big", "small", "red", "old", "happy"]
NOUN = ["dog", "cat", "bird", "man", "car"]
VERB = ["sees", "likes", "chases", "finds"]
# Both a noun and a verb: only the word before them tells which.
AMBIGUOUS = ["watch", "fish"]


def grammar(n_sentences, seed):
    """``DET ADJ* NOUN VERB DET ADJ* NOUN``; an ambiguous word is a NOUN right
    after DET/ADJ and a VERB right after a NOUN."""
    rng = np.random.RandomState(seed)
    X, y = [], []
    for _ in range(n_sentences):
        tokens, tags = [], []
        for part in range(2):
            tokens.append(rng.choice(DET))
            tags.append("DET")
            for _ in range(rng.randint(0, 3)):
                tokens.append(rng.choice(ADJ))
                tags.append("ADJ")
            tokens.append(rng.choice(NOUN + AMBIGUOUS))
            tags.append("NOUN")
            if part == 0:
                tokens.append(rng.choice(VERB + AMBIGUOUS))
                tags.append("VERB")
        X.append([str(token) for token in tokens])
        y.append(tags)
    return X, y


X_GRAMMAR, Y_GRAMMAR = grammar(40, seed=0)
X_GRAMMAR_TEST, Y_GRAMMAR_TEST = grammar(40, seed=1)


@functools.cache
def fitted_grammar_tagger(crf):
    """The grammar tagger, trained once per module run (tests never change it)."""
    return RNNTagger(crf=crf, **TINY).fit(X_GRAMMAR, Y_GRAMMAR)


@pytest.fixture(params=[False, True], ids=["softmax", "crf"])
def grammar_tagger(request):
    return fitted_grammar_tagger(request.param)


@pytest.fixture
def softmax_tagger():
    return fitted_grammar_tagger(False)


def token_accuracy(y_true, y_pred):
    """Share of equal tags, computed here independently of sklearn_rnn.metrics."""
    pairs = [(t, p) for true, pred in zip(y_true, y_pred, strict=True)
             for t, p in zip(true, pred, strict=True)]
    return np.mean([t == p for t, p in pairs])


def tagged_tokens(X, y):
    """(token, tag) pairs of all sentences, flattened."""
    return [pair for tokens, tags in zip(X, y, strict=True)
            for pair in zip(tokens, tags, strict=True)]


def assert_same_probabilities(first, second):
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------- learning
def test_grammar_needs_context_for_the_ambiguous_words():
    # the negative control of the next test: a word -> tag lookup fails on
    # the ambiguous words, which are frequent in the held-out sentences
    ambiguous = [(token, tag) for token, tag in tagged_tokens(X_GRAMMAR_TEST,
                                                               Y_GRAMMAR_TEST)
                 if token in AMBIGUOUS]
    assert len(ambiguous) >= 10
    assert {tag for _, tag in ambiguous} == {"NOUN", "VERB"}


def test_learns_a_toy_grammar(grammar_tagger):
    assert list(grammar_tagger.classes_) == ["ADJ", "DET", "NOUN", "VERB"]
    predicted = grammar_tagger.predict(X_GRAMMAR_TEST)
    assert token_accuracy(Y_GRAMMAR_TEST, predicted) >= 0.95
    assert grammar_tagger.score(X_GRAMMAR_TEST, Y_GRAMMAR_TEST) >= 0.95
    # the ambiguous words are tagged from context, not by a word lookup
    hits = [p == t for (token, t), (_, p) in zip(
        tagged_tokens(X_GRAMMAR_TEST, Y_GRAMMAR_TEST),
        tagged_tokens(X_GRAMMAR_TEST, predicted), strict=True) if token in AMBIGUOUS]
    assert np.mean(hits) >= 0.9
    losses = grammar_tagger.history_[:, "train_loss"]
    assert len(losses) == TINY["max_epochs"] == grammar_tagger.n_epochs_
    assert losses[-1] < 0.1 * losses[0]


def test_crf_attribute_follows_the_parameter(grammar_tagger):
    crf = grammar_tagger.net_.module_.crf
    assert (crf is not None) == grammar_tagger.crf


def test_valid_acc_is_the_token_accuracy_of_the_validation_sentences():
    params = dict(TINY, validation_split=0.25, max_epochs=8)
    tagger = RNNTagger(**params).fit(X_GRAMMAR, Y_GRAMMAR)
    accuracies = tagger.history_[:, "valid_acc"]
    assert len(accuracies) == 8
    assert all(0 <= acc <= 1 for acc in accuracies)
    # reproduce the split the tagger made: 10 of 40 sentences, seeded from
    # random_state as RNNTagger._seed does
    seed = int(check_random_state(0).randint(2**31 - 1))
    _, valid = train_test_split(np.arange(40), test_size=10, random_state=seed)
    X_valid = [X_GRAMMAR[i] for i in valid]
    y_valid = [Y_GRAMMAR[i] for i in valid]
    # without early stopping the model holds the last epoch's weights
    assert accuracies[-1] == pytest.approx(tagger.score(X_valid, y_valid))


def test_early_stopping_keeps_the_epoch_of_best_validation_accuracy(tmp_path):
    params = dict(TINY, validation_split=0.25, max_epochs=12, early_stopping=True,
                  patience=2, lr=0.05, lr_schedule="constant",
                  reduce_lr_on_plateau=True, checkpoint_dir=tmp_path)
    tagger = RNNTagger(**params).fit(X_GRAMMAR, Y_GRAMMAR)
    accuracies = tagger.history_[:, "valid_acc"]
    best = int(np.argmax(accuracies)) + 1  # the first epoch of the best accuracy
    assert tagger.best_epoch_ == best
    assert tagger.history_[:, "valid_acc_best"] == [
        acc > max(accuracies[:i], default=-1) for i, acc in enumerate(accuracies)]
    # the checkpoint holds that epoch's model too
    saved = sklearn_rnn.load(tmp_path / "checkpoint.safetensors")
    assert saved.best_epoch_ == best


def suffix_task(n_sentences, seed, n_stems=12):
    """Sentences of nouns ('-tion') and verbs ('-ize') in random order: only
    the spelling, never the context, tells a word's tag."""
    rng = np.random.RandomState(seed)
    consonants, vowels = "bdfgklmnprstv", "aeiou"
    stems = ["".join(rng.choice(list(consonants)) + rng.choice(list(vowels))
                     for _ in range(2)) for _ in range(2 * n_stems)]
    nouns = [stem + "tion" for stem in stems[:n_stems]]
    verbs = [stem + "ize" for stem in stems[n_stems:]]
    X, y = [], []
    for _ in range(n_sentences):
        is_noun = rng.rand(rng.randint(3, 7)) < 0.5
        X.append([str(rng.choice(nouns if n else verbs)) for n in is_noun])
        y.append(["NOUN" if n else "VERB" for n in is_noun])
    return X, y, set(nouns + verbs)


def test_unseen_words_are_tagged_from_their_spelling():
    X, y, train_words = suffix_task(40, seed=0)
    X_test, y_test, test_words = suffix_task(30, seed=1)
    assert not train_words & test_words  # every test word is new
    params = dict(TINY, word_dropout=0.3, max_epochs=20)
    with_chars = RNNTagger(**params).fit(X, y).score(X_test, y_test)
    without_chars = RNNTagger(**{**params, "char_dim": 0}).fit(X, y).score(
        X_test, y_test)
    assert with_chars >= 0.9
    # without characters every test word is the unknown word: chance level
    assert without_chars <= 0.7
    assert with_chars > without_chars + 0.25


# ------------------------------------------------- batches, padding, outputs
LONG_OTHERS = [
    ["the", "extraordinarilylongunseenwordthatgetscut", "dog"],
    ["a"],
    ["every", "big", "red", "old", "happy", "cat", "sees", "the", "small", "bird",
     "and", "then", "a", "man", "finds", "this", "car"],
    ["zzzzzzzzzzzzz", "fish", "watch"],
    ["the", "dog", "sees", "a", "cat"],
]


def test_a_sentence_gets_the_same_probabilities_whatever_its_batch(grammar_tagger):
    tagger = grammar_tagger  # trained with precision="float32" (TINY)
    assert tagger.precision_ == "float32"
    sentence = ["this", "happy", "man", "watch", "a", "fish"]
    alone = tagger.predict_proba([sentence])[0]
    crowd = LONG_OTHERS[:2] + [sentence] + LONG_OTHERS[2:] + [sentence[:3]]
    among = tagger.predict_proba(crowd)
    np.testing.assert_allclose(among[2], alone, atol=1e-5)
    # a prefix is a sentence of its own, not a slice of a longer one's output
    prefix_alone = tagger.predict_proba([sentence[:3]])[0]
    np.testing.assert_allclose(among[-1], prefix_alone, atol=1e-5)
    for tokens, proba in zip(LONG_OTHERS, among[:2] + among[3:-1], strict=True):
        np.testing.assert_allclose(tagger.predict_proba([tokens])[0], proba,
                                   atol=1e-5)


def test_probabilities_have_one_row_per_token_summing_to_one(grammar_tagger):
    X = X_GRAMMAR_TEST[:5] + LONG_OTHERS
    proba = grammar_tagger.predict_proba(X)
    assert len(proba) == len(X)
    for tokens, rows in zip(X, proba, strict=True):
        assert rows.shape == (len(tokens), len(grammar_tagger.classes_))
        assert (rows >= 0).all()
        np.testing.assert_allclose(rows.sum(axis=1), 1.0, atol=1e-6)


def test_softmax_predict_is_the_argmax_of_predict_proba(softmax_tagger):
    # (with a CRF, Viterbi's best path need not follow the marginals' argmax)
    X = X_GRAMMAR_TEST + LONG_OTHERS
    expected = [softmax_tagger.classes_[p.argmax(axis=1)].tolist()
                for p in softmax_tagger.predict_proba(X)]
    assert softmax_tagger.predict(X) == expected


def test_empty_sentence_gets_an_empty_tag_list(grammar_tagger):
    predicted = grammar_tagger.predict([["the", "dog"], [], ["a", "cat"]])
    assert predicted[1] == []
    assert [len(tags) for tags in predicted] == [2, 0, 2]
    proba = grammar_tagger.predict_proba([[], ["the"]])
    assert proba[0].shape == (0, 4)


def test_only_empty_sentences_get_empty_tag_lists(grammar_tagger):
    assert grammar_tagger.predict([[], []]) == [[], []]


def test_empty_sentence_in_fit_names_its_index():
    with pytest.raises(ValueError, match=r"Sentence 1 of X is empty"):
        RNNTagger(**TINY).fit([["the", "dog"], [], ["a", "cat"]],
                              [["DET", "NOUN"], [], ["DET", "NOUN"]])


# --------------------------------------------------------------- bad input
X_SMALL = [["the", "dog", "runs"], ["a", "cat", "sleeps"]]
Y_SMALL = [["DET", "NOUN", "VERB"], ["DET", "NOUN", "VERB"]]


@pytest.mark.parametrize("X, y, error, match", [
    (X_SMALL, [["DET", "NOUN", "VERB"], ["DET", "NOUN"]], ValueError,
     r"Sentence 1 has 3 tokens but 2 tags"),
    (["the dog runs"], [["DET", "NOUN", "VERB"]], TypeError,
     r"Sentence 0 of X is a string .*sentence\.split\(\)"),
    ("the dog runs", [["DET", "NOUN", "VERB"]], TypeError,
     r"expects X as a list of sentences.*got str"),
    ([["the", 3, "runs"]], [["DET", "NUM", "VERB"]], TypeError,
     r"Token 1 of sentence 0 is 3 \(int\); tokens must be strings"),
    (X_SMALL, Y_SMALL[:1], ValueError, r"X has 2 sentences but y has 1 tag lists"),
    (X_SMALL, [["DET", "NOUN", "VERB"], [0, 1, 2]], TypeError,
     r"y mixes string and integer tags"),
    (X_SMALL, [["DET", "NOUN", "VERB"], ["DET", None, "VERB"]], TypeError,
     r"Tag 1 of sentence 1 is None"),
    (X_SMALL, ["DET NOUN VERB", "DET NOUN VERB"], TypeError, r"Entry 0 of y is"),
    (X_SMALL, None, ValueError, r"requires y"),
    ([], [], ValueError, r"got no sentences"),
], ids=["tag-count", "sentence-string", "X-string", "int-token", "y-length",
        "mixed-tags", "none-tag", "y-strings", "y-none", "no-sentences"])
def test_bad_data_is_rejected_with_a_clear_message(X, y, error, match):
    with pytest.raises(error, match=match):
        RNNTagger(**TINY).fit(X, y)


@pytest.mark.parametrize("weights, match", [
    ([1.0], r"sample_weight has 1 weights but X has 2 sentences"),
    ([1.0, -1.0], r"negative weights: the weight of sample 1 is -1.0"),
    ([1.0, np.nan], r"NaN or infinity: the weight of sample 1 is nan"),
])
def test_bad_sample_weight_is_rejected(weights, match):
    with pytest.raises(ValueError, match=match):
        RNNTagger(**TINY).fit(X_SMALL, Y_SMALL, sample_weight=weights)


@pytest.mark.parametrize("param, value, match", [
    ("char_dim", -1, r"'char_dim' parameter of RNNTagger must be an int in the "
                     r"range \[0, inf\)\. Got -1 instead"),
    ("word_dropout", -0.5, r"'word_dropout' parameter of RNNTagger must be a float "
                           r"in the range \[0\.0, inf\)\. Got -0\.5 instead"),
    ("char_filters", 0, r"'char_filters' parameter"),
    ("crf", "yes", r"'crf' parameter"),
    ("embeddings", 3, r"'embeddings' parameter of RNNTagger must be"),
])
def test_bad_parameters_raise_sklearns_error_at_fit(param, value, match):
    tagger = RNNTagger(**{**TINY, param: value})  # __init__ does not validate
    with pytest.raises(InvalidParameterError, match=match):
        tagger.fit(X_SMALL, Y_SMALL)


def test_a_vector_set_name_as_embeddings_says_how_to_load_it():
    with pytest.raises(ValueError, match=r"got 'glove'\. Load pretrained vectors "
                                         r"first: embeddings=load_glove_6b_50d\(\)"):
        RNNTagger(**{**TINY, "embeddings": "glove"}).fit(X_SMALL, Y_SMALL)


def test_validation_split_that_leaves_nothing_to_train_on():
    X, y = [["a"], ["b"], ["c"]], [["X"], ["Y"], ["X"]]
    with pytest.raises(ValueError, match=(
            r"validation_split=0\.99 of 3 sentences leaves 0 for training and 3 "
            r"for validation")):
        RNNTagger(**{**TINY, "validation_split": 0.99}).fit(X, y)


def test_failed_fit_leaves_a_fitted_tagger_unchanged(grammar_tagger):
    tagger = pickle.loads(pickle.dumps(grammar_tagger))
    before = tagger.predict_proba(X_GRAMMAR_TEST[:3])
    with pytest.raises(ValueError, match="Sentence 0 has 3 tokens"):
        tagger.fit([["the", "dog", "runs"]], [["DET"]])
    assert list(tagger.classes_) == list(grammar_tagger.classes_)
    for a, b in zip(before, tagger.predict_proba(X_GRAMMAR_TEST[:3]), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_unfitted_tagger_raises_not_fitted(method):
    with pytest.raises(NotFittedError, match="RNNTagger"):
        getattr(RNNTagger(**TINY), method)(X_SMALL)


def test_predict_checks_its_input_too(grammar_tagger):
    with pytest.raises(TypeError, match="Sentence 0 of X is a string"):
        grammar_tagger.predict(["the dog"])
    with pytest.raises(TypeError, match="Token 0 of sentence 1 is 7"):
        grammar_tagger.predict_proba([["the"], [7]])


# ------------------------------------------------------------------ score
def test_score_counts_unseen_tags_as_errors(softmax_tagger):
    grammar_tagger = softmax_tagger
    X = [["the", "dog", "sees", "a", "cat"], ["a", "big", "bird", "likes", "the",
                                              "car"]]
    y = [["DET", "NOUN", "VERB", "DET", "NOUN"],
         ["DET", "ADJ", "NOUN", "VERB", "DET", "NOUN"]]
    assert grammar_tagger.predict(X) == y  # the model gets all 11 right
    assert grammar_tagger.score(X, y) == 1.0
    # two tags the model never saw: 9 of 11 tokens right
    y_unseen = [["DET", "NOUN", "VERB", "DET", "PROPN"],
                ["DET", "ADJ", "NOUN", "AUX", "DET", "NOUN"]]
    assert grammar_tagger.score(X, y_unseen) == pytest.approx(9 / 11)
    # per-sentence weights: (1 * 4 + 3 * 5) / (1 * 5 + 3 * 6)
    assert grammar_tagger.score(X, y_unseen, sample_weight=[1, 3]) == pytest.approx(
        19 / 23)


INT_TAGS = [[{"DET": 0, "ADJ": 1, "NOUN": 2, "VERB": 3}[t] for t in tags]
            for tags in Y_GRAMMAR]


def test_integer_tags_are_learned_and_predicted_as_integers():
    tagger = RNNTagger(**{**TINY, "max_epochs": 10}).fit(X_GRAMMAR, INT_TAGS)
    assert list(tagger.classes_) == [0, 1, 2, 3]
    predicted = tagger.predict(X_GRAMMAR[:3])
    assert all(isinstance(tag, int) for tags in predicted for tag in tags)
    assert token_accuracy(INT_TAGS, tagger.predict(X_GRAMMAR)) >= 0.9


def test_score_works_with_integer_tags():
    tagger = RNNTagger(**{**TINY, "max_epochs": 2}).fit(X_GRAMMAR, INT_TAGS)
    assert 0 <= tagger.score(X_GRAMMAR, INT_TAGS) <= 1


# ------------------------------------------------------ sklearn integration
def test_clone_and_get_params_round_trip(grammar_tagger):
    params = grammar_tagger.get_params()
    assert RNNTagger(**params).get_params() == params
    copy = clone(grammar_tagger)
    assert copy.get_params() == params
    assert not hasattr(copy, "net_") and not hasattr(copy, "classes_")


def test_pickle_round_trip_gives_identical_probabilities(grammar_tagger):
    restored = pickle.loads(pickle.dumps(grammar_tagger))
    X = X_GRAMMAR_TEST[:10] + LONG_OTHERS
    assert_same_probabilities(grammar_tagger.predict_proba(X),
                              restored.predict_proba(X))
    assert restored.predict(X) == grammar_tagger.predict(X)


def test_cross_val_score_splits_sentences():
    scores = cross_val_score(RNNTagger(**{**TINY, "max_epochs": 8}), X_GRAMMAR,
                             Y_GRAMMAR, cv=2)
    assert scores.shape == (2,)
    assert np.isfinite(scores).all()
    assert ((scores >= 0) & (scores <= 1)).all()
    assert scores.min() >= 0.8  # the grammar is learnable from 20 sentences


FIRST = ["John", "Mary", "Anna", "Peter", "Laura", "Omar"]
LAST = ["Smith", "Jones", "Brown", "Garcia", "Lee"]
FILLER = ["yesterday", "we", "met", "and", "talked", "with", "today", "saw",
          "called", "then"]


def name_task(n_sentences, seed):
    """BIO person tags: one- or two-token names among lower-case filler."""
    rng = np.random.RandomState(seed)
    X, y = [], []
    for _ in range(n_sentences):
        tokens, tags = [], []
        for _ in range(rng.randint(1, 3)):
            for _ in range(rng.randint(1, 3)):
                tokens.append(str(rng.choice(FILLER)))
                tags.append("O")
            tokens.append(str(rng.choice(FIRST)))
            tags.append("B-PER")
            if rng.rand() < 0.5:
                tokens.append(str(rng.choice(LAST)))
                tags.append("I-PER")
        X.append(tokens)
        y.append(tags)
    return X, y


def test_grid_search_over_crf_with_the_entity_f1_scorer():
    X, y = name_task(40, seed=0)
    search = GridSearchCV(RNNTagger(**{**TINY, "max_epochs": 10}),
                          {"crf": [False, True]}, scoring=entity_f1_scorer, cv=2)
    search.fit(X, y)
    assert search.best_params_["crf"] in (False, True)
    assert search.cv_results_["mean_test_score"].shape == (2,)
    assert search.best_score_ > 0.5
    X_test, y_test = name_task(10, seed=1)
    assert entity_f1_scorer(search.best_estimator_, X_test, y_test) > 0.5


# ------------------------------------------------------------ persistence
def test_save_and_load_give_identical_probabilities(grammar_tagger, tmp_path):
    path = tmp_path / "t.safetensors"
    sklearn_rnn.save(grammar_tagger, path)
    loaded = sklearn_rnn.load(path)
    assert isinstance(loaded, RNNTagger)
    assert loaded.get_params() == grammar_tagger.get_params()
    assert list(loaded.classes_) == list(grammar_tagger.classes_)
    assert list(loaded.vocabulary_) == list(grammar_tagger.vocabulary_)
    assert list(loaded.characters_) == list(grammar_tagger.characters_)
    assert loaded.n_epochs_ == grammar_tagger.n_epochs_
    assert (loaded.net_.module_.crf is None) == (not grammar_tagger.crf)
    X = X_GRAMMAR_TEST[:10] + LONG_OTHERS
    assert_same_probabilities(grammar_tagger.predict_proba(X),
                              loaded.predict_proba(X))
    # a loaded tagger can be refitted, here on another tag set
    X_names, y_names = name_task(20, seed=0)
    loaded.set_params(max_epochs=2).fit(X_names, y_names)
    assert list(loaded.classes_) == ["B-PER", "I-PER", "O"]
    assert len(loaded.history_) == 2


# --------------------------------------------------- seeds and warm starts
def test_same_random_state_gives_identical_probabilities():
    # dropout and word dropout make training draw random numbers
    params = dict(TINY, dropout=0.2, word_dropout=0.2, max_epochs=3,
                  validation_split=0.2)
    X = X_GRAMMAR_TEST[:10]
    first = RNNTagger(**params).fit(X_GRAMMAR, Y_GRAMMAR).predict_proba(X)
    second = RNNTagger(**params).fit(X_GRAMMAR, Y_GRAMMAR).predict_proba(X)
    other = RNNTagger(**{**params, "random_state": 1}).fit(
        X_GRAMMAR, Y_GRAMMAR).predict_proba(X)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not all(np.allclose(a, b) for a, b in zip(first, other, strict=True))


def test_fit_leaves_the_global_torch_generator_alone():
    torch.manual_seed(123)
    expected = torch.rand(1)
    torch.manual_seed(123)
    RNNTagger(**{**TINY, "max_epochs": 1}).fit(X_SMALL, Y_SMALL)
    assert torch.equal(torch.rand(1), expected)


def test_warm_start_continues_training_and_refuses_new_tags():
    tagger = RNNTagger(**{**TINY, "max_epochs": 3, "warm_start": True})
    tagger.fit(X_GRAMMAR, Y_GRAMMAR)
    first_losses = list(tagger.history_[:, "train_loss"])
    assert len(tagger.history_) == tagger.n_epochs_ == 3
    tagger.fit(X_GRAMMAR, Y_GRAMMAR)
    assert len(tagger.history_) == tagger.n_epochs_ == 6
    losses = tagger.history_[:, "train_loss"]
    assert losses[:3] == first_losses  # the first fit's epochs are kept
    assert losses[3] < first_losses[0]  # and training goes on from there
    with pytest.raises(ValueError, match=r"warm_start=True continues a model "
                                         r"trained on the tags .*ADV"):
        tagger.fit([["the", "dog", "quickly"]], [["DET", "NOUN", "ADV"]])
    assert list(tagger.classes_) == ["ADJ", "DET", "NOUN", "VERB"]
    assert tagger.n_epochs_ == 6


def test_cold_refit_starts_afresh():
    tagger = RNNTagger(**{**TINY, "max_epochs": 2}).fit(X_GRAMMAR, Y_GRAMMAR)
    tagger.fit(X_SMALL, Y_SMALL)
    assert tagger.n_epochs_ == 2
    assert list(tagger.classes_) == ["DET", "NOUN", "VERB"]
    assert "chases" not in set(tagger.vocabulary_)


def test_warm_start_error_lists_plain_tags():
    tagger = RNNTagger(**{**TINY, "max_epochs": 1, "warm_start": True})
    tagger.fit(X_SMALL, Y_SMALL)
    with pytest.raises(ValueError) as info:
        tagger.fit([["the"]], [["ADV"]])
    assert "['DET', 'NOUN', 'VERB']" in str(info.value)
    assert "np.str_" not in str(info.value)


# ---------------------------------------------------------- sample weights
def test_zero_weight_sentences_are_not_learned():
    # the same sentence with two contradicting tag lists, ten times each
    X = [["time", "flies"]] * 20
    y = [["NOUN", "VERB"]] * 10 + [["VERB", "NOUN"]] * 10
    params = dict(TINY, max_epochs=20, word_dropout=0.0)

    def noun_probability(weights):
        tagger = RNNTagger(**params).fit(X, y, sample_weight=weights)
        assert list(tagger.classes_) == ["NOUN", "VERB"]
        return tagger.predict_proba([["time", "flies"]])[0][:, 0], tagger

    first_only, tagger = noun_probability([1] * 10 + [0] * 10)
    assert tagger.predict([["time", "flies"]]) == [["NOUN", "VERB"]]
    assert first_only[0] > 0.9 and first_only[1] < 0.1
    second_only, tagger = noun_probability([0] * 10 + [1] * 10)
    assert tagger.predict([["time", "flies"]]) == [["VERB", "NOUN"]]
    assert second_only[0] < 0.1 and second_only[1] > 0.9
    # control: equal weights leave both readings equally likely
    both, _ = noun_probability([1] * 20)
    assert ((both > 0.3) & (both < 0.7)).all()


# ---------------------------------------------------------------- summary
def test_summary_lists_the_layers(grammar_tagger):
    table = grammar_tagger.summary()
    assert "Embedding" in table
    assert "CharCNN" in table
    assert "Bidirectional(LSTM)" in table
    assert ("CRF" in table) == grammar_tagger.crf
    n_params = sum(p.numel() for p in grammar_tagger.net_.module_.parameters())
    assert f"Total params: {n_params:,}" in table


def test_summary_without_characters_has_no_charcnn():
    tagger = RNNTagger(**{**TINY, "char_dim": 0, "max_epochs": 1,
                          "bidirectional": False}).fit(X_SMALL, Y_SMALL)
    table = tagger.summary()
    assert "CharCNN" not in table
    assert "Bidirectional" not in table and "LSTM" in table


# ------------------------------------------------------------- embeddings
def test_word2vec_embeddings_train_and_cover_the_vocabulary():
    pytest.importorskip("gensim")
    tagger = RNNTagger(**{**TINY, "embeddings": "word2vec", "max_epochs": 5})
    tagger.fit(X_GRAMMAR, Y_GRAMMAR)
    assert isinstance(tagger.embedding_coverage_, float)
    assert 0 < tagger.embedding_coverage_ <= 1
    assert tagger.score(X_GRAMMAR, Y_GRAMMAR) >= 0.5


def test_pretrained_vectors_fill_the_rows_of_their_words():
    rng = np.random.RandomState(0)
    vectors = rng.normal(size=(3, 6)).astype(np.float32)
    wv = WordVectors(["dog", "cat", "unicorn"], vectors, name="toy")
    # 6 pretrained columns, 16 wide: the vectors fill the first 6 columns
    tagger = RNNTagger(**{**TINY, "embeddings": wv, "freeze_embeddings": True,
                          "max_epochs": 3}).fit(X_GRAMMAR, Y_GRAMMAR)
    vocabulary = list(tagger.vocabulary_)
    weight = tagger.net_.module_.embedding.weight.detach().numpy()
    assert weight.shape == (len(vocabulary), 16)
    np.testing.assert_allclose(weight[vocabulary.index("dog"), :6], vectors[0])
    np.testing.assert_allclose(weight[vocabulary.index("cat"), :6], vectors[1])
    assert "unicorn" not in vocabulary
    # two of the real words (ids 0 and 1 are padding and unknown) have vectors
    assert tagger.embedding_coverage_ == pytest.approx(2 / (len(vocabulary) - 2))
    np.testing.assert_array_equal(weight[0], 0)  # padding row stays zero
    assert tagger.score(X_GRAMMAR, Y_GRAMMAR) >= 0.5
