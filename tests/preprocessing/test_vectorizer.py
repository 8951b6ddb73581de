"""Tests of TextVectorizer: raw text to Keras-style id sequences.

Expected ids are computed by hand from ``CORPUS``. Token counts (lowercased):
``the`` 3; ``a``, ``cat``, ``dog``, ``sat`` 2 each; ``mat``, ``on`` 1 each. Ties are
broken alphabetically (not by first appearance: ``cat`` appears before ``a`` and
``on`` before ``mat``), after the reserved ids 0 (padding) and 1 (out of vocabulary).
"""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError, SkipTestWarning
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_checks, get_tags
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import estimator_checks_generator

from sklearn_rnn.preprocessing import SequencePadder, TextVectorizer

CORPUS = ["The cat sat on the mat.", "The dog sat.", "A cat, a dog!"]
VOCABULARY = {"the": 2, "a": 3, "cat": 4, "dog": 5, "sat": 6, "mat": 7, "on": 8}
CORPUS_IDS = [[2, 4, 6, 8, 2, 7], [2, 5, 6], [3, 4, 3, 5]]
# Document frequencies: the, cat, dog, sat in 2 documents; a, mat, on in 1.
FREQUENT_VOCABULARY = {"the": 2, "cat": 3, "dog": 4, "sat": 5}  # df >= 2
RARE_VOCABULARY = {"a": 2, "mat": 3, "on": 4}  # df <= 1


def _as_lists(sequences):
    return [sequence.tolist() for sequence in sequences]


# --- vocabulary and ids ------------------------------------------


def test_vocabulary_ranks_by_count_then_alphabetically():
    vectorizer = TextVectorizer().fit(CORPUS)
    assert vectorizer.vocabulary_ == VOCABULARY
    assert vectorizer.n_features_ == 9
    assert vectorizer.token_counts_ == {
        "the": 3, "a": 2, "cat": 2, "dog": 2, "sat": 2, "mat": 1, "on": 1,
    }
    assert vectorizer.stop_words_ == set()
    assert _as_lists(vectorizer.transform(CORPUS)) == CORPUS_IDS


def test_max_features_counts_the_two_reserved_ids():
    vectorizer = TextVectorizer(max_features=4).fit(CORPUS)
    # 4 ids = padding, OOV and the two most frequent tokens; "a" wins the 4-way
    # tie at count 2 alphabetically.
    assert vectorizer.vocabulary_ == {"the": 2, "a": 3}
    assert vectorizer.n_features_ == 4
    assert vectorizer.stop_words_ == {"cat", "dog", "sat", "mat", "on"}
    assert _as_lists(vectorizer.transform(CORPUS)) == [
        [2, 1, 1, 1, 2, 1], [2, 1, 1], [3, 1, 3, 1],
    ]


def test_max_features_none_keeps_every_token():
    vectorizer = TextVectorizer(max_features=None).fit(CORPUS)
    assert vectorizer.vocabulary_ == VOCABULARY


def test_unseen_tokens_get_id_1():
    vectorizer = TextVectorizer().fit(CORPUS)
    assert _as_lists(vectorizer.transform(["the zebra sat", "Zebras!"])) == [
        [2, 1, 6], [1],
    ]


def test_tie_break_uses_code_point_order_without_lowercasing():
    vectorizer = TextVectorizer(lowercase=False).fit(["b B a The the"])
    assert vectorizer.vocabulary_ == {"B": 2, "The": 3, "a": 4, "b": 5, "the": 6}


# --- standardization and tokenization ----------------------------


def test_html_tags_are_stripped_and_punctuation_dropped():
    doc = "I don't<br />like it...<br /><br />Really?! (No.)"
    vectorizer = TextVectorizer().fit([doc])
    tokens = vectorizer.inverse_transform(vectorizer.transform([doc]))
    # the tag separates "don't" and "like"; "don't" stays one token
    assert tokens == [["i", "don't", "like", "it", "really", "no"]]


def test_strip_html_false_keeps_tag_text_as_tokens():
    vectorizer = TextVectorizer(strip_html=False).fit(["good<br />film"])
    assert set(vectorizer.vocabulary_) == {"good", "br", "film"}


def test_less_than_and_greater_than_signs_are_not_html_tags():
    # A tag starts with a letter, "/" or "!" right after "<" (HTML spec); a comparison
    # between words must not delete the words in between.
    doc = "rated 3 < 5 and 7 > 2"
    vectorizer = TextVectorizer().fit([doc])
    assert vectorizer.inverse_transform(vectorizer.transform([doc])) == [
        ["rated", "3", "5", "and", "7", "2"]
    ]


def test_lowercase_false_keeps_case_distinct():
    vectorizer = TextVectorizer(lowercase=False).fit(["The the THE the"])
    assert vectorizer.vocabulary_ == {"the": 2, "THE": 3, "The": 4}
    assert _as_lists(vectorizer.transform(["the The Thé"])) == [[2, 4, 1]]


def test_char_analyzer_uses_every_standardized_character():
    vectorizer = TextVectorizer(analyzer="char").fit(["Ab<br />a"])
    # standardized text is "ab a": a x2, then " " < "b" by code point
    assert vectorizer.vocabulary_ == {"a": 2, " ": 3, "b": 4}
    assert _as_lists(vectorizer.transform(["ba!"])) == [[4, 2, 1]]


def test_callable_analyzer_gets_the_raw_document():
    vectorizer = TextVectorizer(analyzer=str.split).fit(
        ["The cat<br />", "the cat the"]
    )
    # no lowercasing and no HTML stripping for a callable analyzer; "the" (2) first,
    # then the count-1 tokens by code point ("/" < "T" < "c")
    assert vectorizer.vocabulary_ == {
        "the": 2, "/>": 3, "The": 4, "cat": 5, "cat<br": 6,
    }
    assert _as_lists(vectorizer.transform(["cat the dog"])) == [[5, 2, 1]]


# --- document frequency filters ----------------------------------


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"min_df": 2}, FREQUENT_VOCABULARY),
        ({"min_df": 0.5}, FREQUENT_VOCABULARY),  # 0.5 * 3 docs = 1.5 documents
        ({"max_df": 1}, RARE_VOCABULARY),
        ({"max_df": 0.5}, RARE_VOCABULARY),
        ({"min_df": 2, "max_df": 2}, FREQUENT_VOCABULARY),
        ({"min_df": 1, "max_df": 1.0}, VOCABULARY),
    ],
)
def test_min_df_and_max_df(params, expected):
    vectorizer = TextVectorizer(**params).fit(CORPUS)
    assert vectorizer.vocabulary_ == expected
    assert vectorizer.stop_words_ == set(VOCABULARY) - set(expected)


def test_float_min_df_is_a_proportion_not_a_count():
    # min_df=1.0 means "in every document"; no token of CORPUS is
    with pytest.raises(ValueError, match="empty vocabulary"):
        TextVectorizer(min_df=1.0).fit(CORPUS)


def test_min_df_above_max_df_is_refused():
    with pytest.raises(ValueError, match="max_df=1 corresponds to fewer documents"):
        TextVectorizer(min_df=2, max_df=1).fit(CORPUS)


# --- fixed vocabulary --------------------------------------------


@pytest.mark.parametrize("vocabulary", [["cat", "dog"], ("cat", "dog"),
                                        np.array(["cat", "dog"])])
def test_fixed_vocabulary_sequence_gets_ids_in_order(vocabulary):
    vectorizer = TextVectorizer(vocabulary=vocabulary).fit(CORPUS)
    assert vectorizer.vocabulary_ == {"cat": 2, "dog": 3}
    assert vectorizer.n_features_ == 4
    assert vectorizer.token_counts_ == {}
    assert _as_lists(vectorizer.transform(["the dog cat"])) == [[1, 3, 2]]


def test_fixed_vocabulary_mapping_keeps_its_ids():
    vectorizer = TextVectorizer(vocabulary={"cat": 5, "dog": 2}).fit(CORPUS)
    assert vectorizer.n_features_ == 6
    assert vectorizer.get_feature_names_out().tolist() == [
        "", "[UNK]", "dog", "[UNK]", "[UNK]", "cat",
    ]
    assert _as_lists(vectorizer.transform(["dog cat the"])) == [[2, 5, 1]]


def test_fixed_vocabulary_ignores_max_features():
    vocabulary = ["a", "b", "c", "d"]
    vectorizer = TextVectorizer(vocabulary=vocabulary, max_features=3).fit(["a"])
    assert vectorizer.n_features_ == 6


@pytest.mark.parametrize(
    "vocabulary, match",
    [
        ({"cat": 1}, re.escape("distinct integer ids >= 2") + ".*got \\[1\\]"),
        ({"cat": 0, "dog": 2}, "got \\[0\\]"),
        ({"cat": 2, "dog": 2}, "repeated ids"),
        ({"cat": "2"}, "distinct integer ids"),
        (["cat", "dog", "cat"], "repeated tokens"),
        ([], "vocabulary parameter is empty"),
    ],
)
def test_invalid_fixed_vocabulary(vocabulary, match):
    with pytest.raises(ValueError, match=match):
        TextVectorizer(vocabulary=vocabulary).fit(CORPUS)


def test_set_vocabulary_gets_reproducible_ids():
    # A set has no order; scikit-learn's CountVectorizer sorts it. Ids that depend
    # on the string hash seed would change between interpreter runs.
    # (eight tokens: iteration order matching sorted order by chance is ~1/40,000)
    tokens = ["ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen"]
    vectorizer = TextVectorizer(vocabulary=set(tokens)).fit(["x"])
    assert vectorizer.vocabulary_ == {t: i for i, t in enumerate(tokens, start=2)}


# --- output format -----------------------------------------------


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.int16, "uint16"])
def test_dtype_of_every_output_array(dtype):
    sequences = TextVectorizer(dtype=dtype).fit_transform(CORPUS)
    assert [sequence.dtype for sequence in sequences] == [np.dtype(dtype)] * 3
    assert _as_lists(sequences) == CORPUS_IDS


def test_empty_documents_give_empty_arrays_in_place():
    vectorizer = TextVectorizer().fit(["", "cat", "...", "<br />"])
    sequences = vectorizer.transform(["", "cat cat", "!!!", "<br /><br />", "dog"])
    assert [s.shape for s in sequences] == [(0,), (2,), (0,), (0,), (1,)]
    assert _as_lists(sequences) == [[], [2, 2], [], [], [1]]
    assert all(s.dtype == np.int32 for s in sequences)


def test_fit_transform_equals_fit_then_transform():
    documents = [*CORPUS, "", "unknown words only"]
    expected = _as_lists(TextVectorizer(max_features=5).fit(documents)
                         .transform(documents))
    assert _as_lists(TextVectorizer(max_features=5).fit_transform(documents)) == (
        expected
    )


def test_feature_names_out_index_is_the_id():
    vectorizer = TextVectorizer().fit(CORPUS)
    names = vectorizer.get_feature_names_out()
    assert names.tolist() == ["", "[UNK]", "the", "a", "cat", "dog", "sat", "mat", "on"]
    for token, index in vectorizer.vocabulary_.items():
        assert names[index] == token


# --- inverse_transform -------------------------------------------


def test_inverse_transform_round_trip_on_vocabulary_text():
    vectorizer = TextVectorizer().fit(CORPUS)
    assert vectorizer.inverse_transform(vectorizer.transform(CORPUS)) == [
        ["the", "cat", "sat", "on", "the", "mat"],
        ["the", "dog", "sat"],
        ["a", "cat", "a", "dog"],
    ]


def test_inverse_transform_drops_padding_and_shows_oov():
    vectorizer = TextVectorizer().fit(CORPUS)
    padded = np.array([[0, 0, 2, 1, 5], [4, 0, 0, 0, 0]])
    assert vectorizer.inverse_transform(padded) == [
        ["the", "[UNK]", "dog"], ["cat"],
    ]
    assert vectorizer.inverse_transform([[0, 0], np.array([], dtype=int)]) == [[], []]


def test_inverse_transform_of_empty_python_list():
    # np.asarray([]) is a float array; an empty sequence holds no foreign id
    vectorizer = TextVectorizer().fit(CORPUS)
    assert vectorizer.inverse_transform([[2, 4], [], [5]]) == [
        ["the", "cat"], [], ["dog"],
    ]


@pytest.mark.parametrize(
    "sequences, position",
    [([[2, 3], [9]], 1), ([[-1]], 0), ([[2], [3], [2, 100]], 2), ([[2.0, 3.0]], 0)],
)
def test_inverse_transform_refuses_foreign_ids(sequences, position):
    vectorizer = TextVectorizer().fit(CORPUS)  # ids 0..8
    with pytest.raises(ValueError, match=rf"Sequence {position} .*outside \[0, 9\)"):
        vectorizer.inverse_transform(sequences)


# --- input containers --------------------------------------------


@pytest.mark.parametrize(
    "container",
    [list, tuple, np.array, lambda docs: np.array(docs, dtype=object),
     pd.Series, lambda docs: pd.Series(docs, index=[10, 5, 7]), iter],
    ids=["list", "tuple", "str-array", "object-array", "series",
         "series-index", "iterator"],
)
def test_input_containers(container):
    vectorizer = TextVectorizer().fit(container(CORPUS))
    assert vectorizer.vocabulary_ == VOCABULARY
    assert _as_lists(vectorizer.transform(container(CORPUS))) == CORPUS_IDS


# --- errors ------------------------------------------------------


@pytest.mark.parametrize("method", ["fit", "fit_transform"])
@pytest.mark.parametrize("document", ["a bare string", b"bare bytes"])
def test_bare_string_is_refused(method, document):
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        getattr(TextVectorizer(), method)(document)


def test_bare_string_is_refused_in_transform():
    vectorizer = TextVectorizer().fit(CORPUS)
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        vectorizer.transform("the cat")


@pytest.mark.parametrize(
    "bad_item, type_name",
    [(None, "NoneType"), (float("nan"), "float"), (b"dog", "bytes"), (3, "int"),
     (["the"], "list")],
)
def test_non_str_items_are_named_by_position(bad_item, type_name):
    documents = ["the cat", "a dog", bad_item, "sat"]
    with pytest.raises(TypeError, match=f"item 2 is .* of type {type_name}"):
        TextVectorizer().fit(documents)
    vectorizer = TextVectorizer().fit(CORPUS)
    with pytest.raises(TypeError, match="item 2 is"):
        vectorizer.transform(documents)


def test_missing_value_in_series_is_named_by_position():
    series = pd.Series(["the cat", None, "a dog"], index=[7, 8, 9])
    with pytest.raises(TypeError, match="item 1 is .*fillna"):
        TextVectorizer().fit(series)


def test_non_iterable_and_2d_inputs_are_refused():
    with pytest.raises(TypeError, match="iterable of str documents, got int"):
        TextVectorizer().fit(5)
    with pytest.raises(ValueError, match=re.escape("shape (1, 3)")):
        TextVectorizer().fit(np.array([CORPUS]))


@pytest.mark.parametrize(
    "documents", [["", "   "], ["...", "<br /><br />", "!?"]],
)
def test_empty_vocabulary_is_refused(documents):
    with pytest.raises(ValueError, match="empty vocabulary"):
        TextVectorizer().fit(documents)


def test_no_documents_is_refused_with_a_message_about_the_data():
    # With no documents the message must not blame min_df/max_df, which the user
    # left at their defaults.
    with pytest.raises(ValueError, match="empty vocabulary|no documents"):
        TextVectorizer().fit([])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"max_features": 2}, r"'max_features' parameter .* range \[3, inf\)"),
        ({"max_features": 0}, r"'max_features' parameter .*Got 0 instead"),
        ({"analyzer": "wrod"}, "Got 'wrod' instead. Did you mean 'word'\\?"),
        ({"analyzer": "Char"}, "Did you mean 'char'\\?"),
        ({"min_df": -1}, "'min_df' parameter"),
        ({"max_df": 1.5}, "'max_df' parameter"),
        ({"lowercase": "yes"}, "'lowercase' parameter"),
        ({"vocabulary": "cat dog"}, "'vocabulary' parameter"),
    ],
)
def test_invalid_parameters(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        TextVectorizer(**params).fit(CORPUS)


def test_unrelated_analyzer_value_gets_no_suggestion():
    with pytest.raises(InvalidParameterError, match="Got 'xyz' instead.$"):
        TextVectorizer(analyzer="xyz").fit(CORPUS)


@pytest.mark.parametrize("method", ["transform", "inverse_transform",
                                    "get_feature_names_out"])
def test_methods_before_fit_raise_not_fitted(method):
    args = {"transform": (CORPUS,), "inverse_transform": ([[2]],)}.get(method, ())
    with pytest.raises(NotFittedError, match="TextVectorizer instance is not fitted"):
        getattr(TextVectorizer(), method)(*args)


# --- contract ----------------------------------------------------


def test_pickle_round_trip_gives_identical_output():
    vectorizer = TextVectorizer(max_features=5).fit(CORPUS)
    restored = pickle.loads(pickle.dumps(vectorizer))
    new = ["the zebra sat on a cat", ""]
    assert restored.vocabulary_ == vectorizer.vocabulary_
    assert _as_lists(restored.transform(new)) == _as_lists(vectorizer.transform(new))


def test_clone_is_unfitted_with_same_params():
    vectorizer = TextVectorizer(max_features=5, min_df=2).fit(CORPUS)
    cloned = clone(vectorizer)
    assert cloned.get_params() == vectorizer.get_params()
    assert not hasattr(cloned, "vocabulary_")
    assert _as_lists(cloned.fit_transform(CORPUS)) == _as_lists(
        vectorizer.transform(CORPUS)
    )


def test_refit_forgets_the_previous_vocabulary():
    vectorizer = TextVectorizer().fit(CORPUS)
    vectorizer.fit(["zebra zebra lion"])
    assert vectorizer.vocabulary_ == {"zebra": 2, "lion": 3}
    assert vectorizer.stop_words_ == set()
    assert vectorizer.n_features_ == 4


def test_pipeline_with_padder_gives_expected_matrix():
    pipeline = make_pipeline(TextVectorizer(), SequencePadder(maxlen=5))
    expected = np.array([
        [4, 6, 8, 2, 7],  # 6 tokens: the first "the" is truncated ("pre")
        [0, 0, 2, 5, 6],
        [0, 3, 4, 3, 5],
    ])
    np.testing.assert_array_equal(pipeline.fit_transform(CORPUS), expected)
    # texts to predict keep every token: the first row gets its "the" back
    padded = pipeline.transform(CORPUS)
    assert padded.shape == (3, 6)
    np.testing.assert_array_equal(padded[:, 1:], expected)
    assert padded[0, 0] == pipeline[0].vocabulary_["the"]
    assert (padded[1:, 0] == 0).all()
    np.testing.assert_array_equal(
        pipeline.transform(["zebra cat", ""]), [[0, 0, 0, 1, 4], [0, 0, 0, 0, 0]]
    )


def test_global_pandas_output_does_not_break_ragged_output():
    # Ragged id sequences cannot be a DataFrame: the vectorizer must not let
    # set_config(transform_output="pandas") wrap (and break) its output.
    with sklearn.config_context(transform_output="pandas"):
        sequences = TextVectorizer().fit_transform(CORPUS)
    assert _as_lists(sequences) == CORPUS_IDS


def test_fit_twice_is_idempotent_and_leaves_the_input_unchanged():
    documents = list(CORPUS)
    vectorizer = TextVectorizer()
    first = _as_lists(vectorizer.fit(documents).transform(documents))
    second = _as_lists(vectorizer.fit(documents).transform(documents))
    assert first == second == CORPUS_IDS
    assert documents == CORPUS


@pytest.mark.parametrize("params", [{}, {"analyzer": "char"}, {"lowercase": False},
                                    {"strip_html": False}])
def test_build_analyzer_gives_the_tokens_transform_looks_up(params):
    """The public analyzer splits as fit and transform do: its tokens, looked up
    in vocabulary_, are transform's ids (for word vectors on the same tokens)."""
    documents = ["The <b>Cat</b> sat.", "a DOG, the cat!"]
    vectorizer = TextVectorizer(**params).fit(documents)
    analyze = vectorizer.build_analyzer()
    for document, ids in zip(documents, vectorizer.transform(documents),
                             strict=True):
        assert [vectorizer.vocabulary_[token] for token in analyze(document)] == (
            ids.tolist())


def test_build_analyzer_checks_a_callable_analyzer_and_needs_no_fit():
    assert TextVectorizer(analyzer=str.split).build_analyzer()("a b") == ["a", "b"]
    with pytest.raises(TypeError, match="must return a list of str tokens"):
        TextVectorizer(analyzer=len).build_analyzer()("a b")


def test_sklearn_runs_only_the_cloneable_check_on_text_input():
    """scikit-learn skips its common checks (they feed numbers) for an estimator
    whose ``two_d_array`` input tag is False, as for ``CountVectorizer``; the
    checks that apply to text input are called directly below."""
    tags = get_tags(TextVectorizer())
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    with pytest.warns(SkipTestWarning, match="Can't test estimator TextVectorizer"):
        checks = [check for _, check in estimator_checks_generator(TextVectorizer())]
    assert len(checks) == 1  # check_estimator_cloneable


@pytest.mark.parametrize("check", [
    getattr(estimator_checks, name) for name in (
        "check_do_not_raise_errors_in_init_or_set_params",
        "check_estimator_cloneable",
        "check_estimator_repr",
        "check_estimator_tags_renamed",
        "check_estimators_unfitted",
        "check_get_params_invariance",
        "check_mixin_order",
        "check_no_attributes_set_in_init",
        "check_parameters_default_constructible",
        "check_set_params",
        "check_transformer_n_iter",
        "check_transformers_unfitted",
        "check_valid_tag_types",
    )
], ids=lambda check: check.__name__)
def test_sklearn_checks_that_apply_to_text(check):
    """sklearn's checks that need no data (API hygiene: ``__init__``,
    ``get_params``/``set_params``, clone, repr, tags, unfitted errors), called
    directly. The others feed numeric arrays, which a text transformer refuses;
    what they test is tested on text in this file (pickle and clone round
    trips, refit, fit twice, input not modified, Pipeline, dtypes, empty
    data)."""
    check("TextVectorizer", TextVectorizer())


# --- properties --------------------------------------------------

# Mixed scripts on purpose: emoji, CJK, Arabic (RTL), combining marks, markup.
UNICODE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list("😀👍🏽中文字日本語עבריתالعربيةe\u0301\u200d<>/' .!")),
    ),
    max_size=40,
)


@settings(deadline=None)
@given(
    train=st.lists(UNICODE_TEXT, max_size=8),
    test=st.lists(UNICODE_TEXT, max_size=8),
    max_features=st.integers(3, 12),
    analyzer=st.sampled_from(["word", "char"]),
)
def test_arbitrary_unicode_gives_ids_in_range(train, test, max_features, analyzer):
    vectorizer = TextVectorizer(max_features=max_features, analyzer=analyzer)
    try:
        train_ids = vectorizer.fit_transform(train)
    except ValueError as exc:  # no token at all in ``train``
        assert "empty vocabulary" in str(exc) or not train
        return
    assert vectorizer.n_features_ <= max_features
    test_ids = vectorizer.transform(test)
    assert len(train_ids) == len(train) and len(test_ids) == len(test)
    for ids in [*train_ids, *test_ids]:
        assert ids.ndim == 1 and ids.dtype == np.int32
        assert ((ids >= 1) & (ids < vectorizer.n_features_)).all()
    # every training token is either kept with its own id or mapped to OOV
    tokens = vectorizer.inverse_transform(train_ids)
    assert [len(t) for t in tokens] == [len(ids) for ids in train_ids]


WORD = st.from_regex(r"[a-z]{1,8}", fullmatch=True)


@settings(deadline=None)
@given(st.lists(st.lists(WORD, max_size=10), min_size=1, max_size=8).filter(
    lambda docs: any(docs)))
def test_in_vocabulary_round_trip(tokenized):
    documents = [" ".join(tokens) for tokens in tokenized]
    vectorizer = TextVectorizer(max_features=None).fit(documents)
    assert vectorizer.inverse_transform(vectorizer.transform(documents)) == tokenized
    # ids follow descending count, ties alphabetical
    ranked = sorted(vectorizer.token_counts_.items(), key=lambda kv: (-kv[1], kv[0]))
    assert [vectorizer.vocabulary_[t] for t, _ in ranked] == list(
        range(2, len(ranked) + 2)
    )


def test_extra_vocabulary_follows_the_learned_one():
    vectorizer = TextVectorizer(extra_vocabulary=["zebra", "good", "yak"])
    vectorizer.fit(["good movie", "bad film"])
    assert vectorizer.vocabulary_ == {"bad": 2, "film": 3, "good": 4, "movie": 5,
                                      "zebra": 6, "yak": 7}
    assert vectorizer.n_features_ == 8
    assert vectorizer.transform(["yak good cat"])[0].tolist() == [7, 4, 1]
    assert vectorizer.get_feature_names_out()[6] == "zebra"


@pytest.mark.parametrize("extra, error, match", [
    ("zebra", ValueError, "'extra_vocabulary' parameter of TextVectorizer must"),
    (["zebra", 3], TypeError, "got 3 of type int"),
])
def test_bad_extra_vocabulary_is_named(extra, error, match):
    with pytest.raises(error, match=match):
        TextVectorizer(extra_vocabulary=extra).fit(["good movie"])


def test_outputs_carry_the_token_of_every_id():
    vectorizer = TextVectorizer().fit(["good movie", "bad film"])
    ids = vectorizer.transform(["good film"])
    assert ids.tokens.tolist() == ["", "[UNK]", "bad", "film", "good", "movie"]
    padded = SequencePadder(maxlen=3).fit_transform(ids)
    assert padded.tokens is ids.tokens
    assert padded[:1].tokens is ids.tokens  # slices keep them
    assert np.asarray(padded).tolist() == [[0, 4, 3]]
    assert pickle.loads(pickle.dumps(padded)).tokens.tolist() == ids.tokens.tolist()
