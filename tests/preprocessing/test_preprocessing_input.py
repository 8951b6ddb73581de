"""Hostile input to TextVectorizer and SequencePadder: dtypes that cannot hold
the ids, ids beyond every dtype, outputs larger than memory, analyzers that
return something else than tokens, and parameters changed after fit."""

import re

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_rnn.preprocessing import SequencePadder, TextVectorizer, _padding
from sklearn_rnn.preprocessing._tokens import smallest_dtype_holding

DOCS = ["a cat sat", "a dog ran", "the cat ran"]
# 300 distinct one-word documents: ids 2..301, more than int8 or uint8 holds
WORDS = [f"w{i:03d}" for i in range(300)]


# --- the dtype of the padded ids --------------------------------------------

@pytest.mark.parametrize("dtype, largest_exact", [(np.float16, 2048),
                                                  (np.float32, 2**24)])
def test_float_dtype_holds_ids_up_to_its_exact_integer_limit(dtype, largest_exact):
    padded = SequencePadder(maxlen=3, dtype=dtype).fit_transform(
        [[largest_exact - 1, largest_exact]])
    assert padded.dtype == dtype
    assert padded.tolist() == [[0, largest_exact - 1, largest_exact]]


@pytest.mark.parametrize("dtype, name, larger", [(np.float16, "float16", "float32"),
                                                 (np.float32, "float32", "float64")])
@pytest.mark.parametrize("method", ["fit", "transform"])
def test_float_dtype_refuses_an_id_it_would_round(dtype, name, larger, method):
    limit = 2048 if dtype is np.float16 else 2**24
    bad = [[2], [3, limit + 1, limit + 5]]
    padder = SequencePadder(maxlen=3, dtype=dtype)
    if method == "transform":
        padder.fit([[2, 3]])
    with pytest.raises(ValueError, match=(
            rf"Sequence 1 contains the id {limit + 1}, which dtype {name}, the "
            rf"'dtype' parameter of SequencePadder, cannot hold exactly .*"
            rf"the largest id is {limit + 5}: dtype=np\.{larger} is the smallest")):
        getattr(padder, method)(bad)


@pytest.mark.parametrize("dtype, ids, smallest", [
    (np.int8, [3, 200], "int16"),
    (np.int16, [3, 40000], "int32"),
    (np.uint8, [3, 256], "uint16"),
    (np.int64, [3, 2**63], "uint64"),
])
def test_integer_dtype_too_small_names_the_dtype_that_holds_the_ids(dtype, ids,
                                                                    smallest):
    with pytest.raises(ValueError, match=(
            rf"Sequence 0 contains the id {ids[1]}, outside the range of dtype "
            rf"{np.dtype(dtype)} .*the 'dtype' parameter of SequencePadder; the "
            rf"largest id is {ids[1]}: dtype=np\.{smallest} is the smallest")):
        SequencePadder(maxlen=2, dtype=dtype).fit([ids])


def test_unsigned_dtype_pads_ids_it_holds_and_refuses_negative_ones():
    padder = SequencePadder(maxlen=2, dtype=np.uint8).fit([[255]])
    assert padder.transform([[255], [254, 2]]).tolist() == [[0, 255], [254, 2]]
    with pytest.raises(ValueError, match=r"Sequence 1 contains the id -1, outside "
                       r"the range of dtype uint8 \[0, 255\].*the ids range from "
                       r"-1 to 3: dtype=np\.int8"):
        padder.transform([[3], [-1]])


@pytest.mark.parametrize("dtype", [bool, np.complex64, "datetime64[s]", str,
                                   object])
def test_padder_refuses_a_dtype_that_is_not_integer_or_float(dtype):
    with pytest.raises(ValueError, match=r"The 'dtype' parameter of SequencePadder "
                       r"must be an integer or float type"):
        SequencePadder(dtype=dtype).fit([[1, 2]])


@pytest.mark.parametrize("params, match", [
    ({"value": 1e300, "dtype": np.float32},
     r"'value' parameter of SequencePadder is 1e\+300, which dtype float32 "
     r"cannot hold exactly; choose a value in \[-16777216, 16777216\]"),
    ({"value": 2049, "dtype": np.float16}, r"is 2049, which dtype float16"),
    ({"value": np.nan, "dtype": np.float32}, r"'value' parameter .*Got nan"),
    ({"value": True}, r"'value' parameter .*Got True instead"),
    ({"maxlen": True}, r"'maxlen' parameter .*Got True instead"),
    ({"percentile": True}, r"'percentile' parameter .*Got True instead"),
])
def test_padder_refuses_values_its_dtype_cannot_hold_and_bools(params, match):
    with pytest.raises(ValueError, match=match):
        SequencePadder(**params).fit([[1, 2]])


def test_float_dtype_keeps_a_fractional_padding_value():
    padded = SequencePadder(maxlen=2, value=-0.5, dtype=np.float16).fit_transform(
        [[3]])
    assert padded.tolist() == [[-0.5, 3.0]]


# --- ids checked in their own dtype, before any cast ------------------------

BIG = 2**63  # beyond int64, held by uint64


@pytest.mark.parametrize("X", [
    pytest.param([np.array([1, 2]), np.array([5, BIG + 1], dtype=np.uint64)],
                 id="uint64-next-to-int64"),  # numpy would promote to float64
    pytest.param(np.array([[1, 2], [5, BIG + 1]], dtype=np.uint64), id="2-D"),
    pytest.param([[1, 2], [5, BIG + 1]], id="python-ints"),
    pytest.param([[1, 2], [BIG + 1, -1]], id="python-ints-next-to-negative"),
])
def test_ids_beyond_int64_are_named_exactly_not_wrapped(X):
    # np.asarray([2**63 + 1, -1]) is float64 2**63: the message shows the id given
    padder = SequencePadder(maxlen=2, dtype=np.int64).fit([[1, 2]])
    with pytest.raises(ValueError, match=rf"Sequence 1 contains the id {BIG + 1}, "
                       r"outside the range of dtype int64"):
        padder.transform(X)


def test_uint64_dtype_keeps_ids_beyond_int64_exactly():
    X = [np.array([1]), np.array([BIG + 1], dtype=np.uint64), [BIG + 3]]
    padded = SequencePadder(maxlen=1, dtype=np.uint64).fit_transform(X)
    assert padded.dtype == np.uint64
    assert padded.tolist() == [[1], [BIG + 1], [BIG + 3]]


def test_an_id_beyond_every_dtype_says_none_holds_it():
    with pytest.raises(ValueError, match=r"Sequence 0 contains the id "
                       rf"{2**70}, .*no dtype holds them"):
        SequencePadder(maxlen=2).fit([[2**70, 3]])


def test_a_truncated_id_is_checked_too():
    # the id is in the data given, whether or not this maxlen keeps it
    with pytest.raises(ValueError, match=r"Sequence 0 contains the id 200"):
        SequencePadder(maxlen=1, dtype=np.int8, truncating="pre").fit_transform(
            [[200, 3]])


@pytest.mark.parametrize("low, high, like, expected", [
    (0, 127, np.int32, "int8"), (0, 128, np.int32, "int16"),
    (0, 255, np.uint32, "uint8"), (-1, 255, np.uint32, "int16"),
    (0, 2049, np.float16, "float32"), (0, 2**53 + 1, np.float32, "int64"),
    (0, 2**63, np.int64, "uint64"), (0, 2**64, np.int64, None),
])
def test_smallest_dtype_holding(low, high, like, expected):
    dtype = smallest_dtype_holding(low, high, like)
    assert (dtype.name if dtype is not None else None) == expected


# --- outputs larger than memory ---------------------------------------------

def test_huge_maxlen_is_refused_before_allocating():
    padder = SequencePadder(maxlen=10**15).fit([[1, 2]])
    with pytest.raises(MemoryError, match=(
            r"Padding 2 sequences to 1000000000000000 columns \(maxlen_="
            r"1000000000000000, from the 'maxlen' parameter 1000000000000000\) "
            r"needs an array of 2 x 1000000000000000 int32 = 8000000000000000 "
            r"bytes \(7.1 PiB\), more than this machine's .* of memory")):
        padder.transform([[1], [2]])


def test_size_limit_is_the_machine_memory(monkeypatch):
    monkeypatch.setattr(_padding, "physical_memory", lambda: 1000)
    # 2 x 125 int32 = 1000 bytes fit exactly; one more column does not
    assert SequencePadder(maxlen=125).fit_transform([[1], [2]]).shape == (2, 125)
    with pytest.raises(MemoryError, match=r"2 x 126 int32 = 1008 bytes"):
        SequencePadder(maxlen=126).fit_transform([[1], [2]])


def test_size_error_where_the_memory_size_is_unknown(monkeypatch):
    def fail(*args, **kwargs):
        raise MemoryError("Unable to allocate")

    monkeypatch.setattr(_padding, "physical_memory", lambda: None)
    monkeypatch.setattr(_padding, "pad_sequences", fail)
    with pytest.raises(MemoryError, match=r"Padding 1 sequences to 7 columns .* "
                       r"more than this machine's memory\. Lower maxlen"):
        SequencePadder(maxlen=7).fit_transform([[1]])


# --- parameters changed after fit, other hostile sequences ------------------

@pytest.mark.parametrize("params, match", [
    ({"padding": "middle"}, r"'padding' parameter of SequencePadder .*Got "
                            r"'middle'"),
    ({"dtype": np.float16}, r"Sequence 0 contains the id 3000, which dtype "
                            r"float16"),
    ({"dtype": "banana"}, r"'dtype' parameter of SequencePadder must be"),
])
def test_padder_transform_checks_parameters_set_after_fit(params, match):
    padder = SequencePadder(maxlen=2).fit([[3000, 2]])
    with pytest.raises(ValueError, match=match):
        padder.set_params(**params).transform([[3000, 2]])


def test_padder_takes_a_generator_of_sequences():
    padded = SequencePadder(maxlen=2).fit_transform(s for s in [[1], [2, 3, 4]])
    assert padded.tolist() == [[0, 1], [3, 4]]


@pytest.mark.parametrize("X, match", [
    ([[1], [None, 2]], r"item 1 is \[None, 2\]"),
    ([[1], [2**70, "a"]], r"item 1 is \[1180591620717411303424, 'a'\]"),
    ([[1], [b"ab"]], r"item 1 is \[b'ab'\]"),
])
def test_padder_refuses_items_that_are_not_ids(X, match):
    with pytest.raises(TypeError, match=match):
        SequencePadder().fit(X)


# --- TextVectorizer: the dtype of the ids -------------------------------------

@pytest.mark.parametrize("dtype, name, largest, smallest", [
    (np.int8, "int8", 127, "int16"), (np.uint8, "uint8", 255, "uint16"),
])
def test_vectorizer_dtype_too_small_for_the_vocabulary(dtype, name, largest,
                                                       smallest):
    with pytest.raises(ValueError, match=(
            rf"The 'dtype' parameter of TextVectorizer is {name}, which holds ids "
            rf"only up to {largest}, but the vocabulary of 300 tokens \(after the "
            rf"2 reserved ids\) has ids up to 301: dtype=np\.{smallest} is the "
            r"smallest")):
        TextVectorizer(dtype=dtype, max_features=None).fit(WORDS)


def test_vectorizer_unsigned_dtype_holds_a_vocabulary_that_fits():
    vectorizer = TextVectorizer(dtype=np.uint8, max_features=None).fit(WORDS[:254])
    assert vectorizer.n_features_ == 256
    ids = vectorizer.transform([WORDS[253], "unknown"])
    assert [a.tolist() for a in ids] == [[255], [1]] and ids[0].dtype == np.uint8


def test_vectorizer_refuses_a_failed_refit_without_half_fitted_state():
    vectorizer = TextVectorizer(max_features=None).fit(DOCS)
    before = dict(vectorizer.vocabulary_)
    with pytest.raises(ValueError, match="'dtype' parameter"):
        vectorizer.set_params(dtype=np.int8).fit(WORDS)
    assert vectorizer.vocabulary_ == before


def test_vectorizer_transform_checks_a_dtype_set_after_fit():
    vectorizer = TextVectorizer(max_features=None).fit(WORDS)
    with pytest.raises(ValueError, match="is int8, which holds ids only up to 127"):
        vectorizer.set_params(dtype=np.int8).transform(["w001"])


@pytest.mark.parametrize("dtype", [bool, np.float32, np.complex64])
def test_vectorizer_refuses_a_dtype_that_is_not_integer(dtype):
    with pytest.raises(ValueError, match=r"The 'dtype' parameter of TextVectorizer "
                       r"must be an integer type"):
        TextVectorizer(dtype=dtype).fit(DOCS)


def test_vectorizer_fixed_vocabulary_id_beyond_the_dtype():
    with pytest.raises(ValueError, match=r"has ids up to 40000: dtype=np\.int32"):
        TextVectorizer(vocabulary={"cat": 40000}, dtype=np.int16).fit(DOCS)


# --- TextVectorizer: what a callable analyzer returns -------------------------

@pytest.mark.parametrize("analyzer, token, kind", [
    pytest.param(lambda doc: [doc.split()], r"\['a', 'cat', 'sat'\]", "list",
                 id="list"),
    pytest.param(lambda doc: [{"word": doc}], r"\{'word': 'a cat sat'\}", "dict",
                 id="dict"),
    pytest.param(lambda doc: list(range(len(doc.split()))), "0", "int", id="int"),
    pytest.param(lambda doc: [tuple(doc.split()[:2])], r"\('a', 'cat'\)", "tuple",
                 id="tuple"),
])
def test_analyzer_tokens_must_be_str(analyzer, token, kind):
    with pytest.raises(TypeError, match=(
            r"The 'analyzer' callable must return str tokens; for document 0 "
            rf"\('a cat sat'\) token 0 is {token} of type {kind}\.")):
        TextVectorizer(analyzer=analyzer).fit(DOCS)


def test_analyzer_error_names_the_document_index():
    def analyzer(doc):
        return None if doc.startswith("the") else doc.split()

    with pytest.raises(TypeError, match=r"for document 2 \('the cat ran'\) it "
                       r"returned None of type NoneType"):
        TextVectorizer(analyzer=analyzer).fit(DOCS)
    vectorizer = TextVectorizer(analyzer=analyzer).fit(DOCS[:2])
    with pytest.raises(TypeError, match=r"for document 1 \('the cat ran'\)"):
        vectorizer.transform(["a cat", "the cat ran"])


@pytest.mark.parametrize("returned, shown", [
    (lambda doc: doc, r"'a cat sat' of type str"),
    (lambda doc: set(doc.split()), r"\{.*\} of type set"),
    (lambda doc: dict.fromkeys(doc.split()), r"\{.*\} of type dict"),
    (lambda doc: 3, r"3 of type int"),
])
def test_analyzer_must_return_an_ordered_collection_of_tokens(returned, shown):
    # a str would be read character by character; a set or dict loses word order
    with pytest.raises(TypeError, match=r"must return a list of str tokens; for "
                       rf"document 0 .*returned {shown}\. Return the tokens in "
                       "document order"):
        TextVectorizer(analyzer=returned).fit(DOCS)


def test_analyzer_may_return_any_sequence_of_str():
    vectorizer = TextVectorizer(analyzer=lambda doc: tuple(doc.split())).fit(DOCS)
    expected = TextVectorizer(analyzer=str.split).fit(DOCS)
    assert vectorizer.vocabulary_ == expected.vocabulary_


def test_public_analyzer_refuses_a_document_that_is_not_str():
    with pytest.raises(TypeError, match="The analyzer takes one str document; got "
                       "None of type NoneType"):
        TextVectorizer().build_analyzer()(None)


# --- TextVectorizer: hostile documents and vocabularies ----------------------

def test_vectorizer_takes_generators_of_documents():
    vectorizer = TextVectorizer().fit(doc for doc in DOCS)
    ids = vectorizer.transform(doc for doc in ["cat ran", "zebra"])
    assert [a.tolist() for a in ids] == [[vectorizer.vocabulary_["cat"],
                                          vectorizer.vocabulary_["ran"]], [1]]


@pytest.mark.parametrize("X, match", [
    ([b"a cat"], r"item 0 is b'a cat' of type bytes\. Decode bytes first"),
    (["a cat", None], r"item 1 is None of type NoneType"),
])
def test_vectorizer_refuses_documents_that_are_not_str(X, match):
    with pytest.raises(TypeError, match=match):
        TextVectorizer().fit(X)


@pytest.mark.parametrize("vocabulary, error, match", [
    (["cat", "dog", "cat"], ValueError, "repeated tokens, e.g. 'cat'"),
    ({1: 2, "1": 3}, TypeError, re.escape("'vocabulary' parameter of "
                                          "TextVectorizer must hold str tokens; "
                                          "got 1 of type int")),
    (["cat", 7], TypeError, "got 7 of type int"),
    ({"cat": True}, ValueError, r"distinct integer ids >= 2 .*got \[True\]"),
])
def test_vectorizer_refuses_bad_vocabularies(vocabulary, error, match):
    with pytest.raises(error, match=match):
        TextVectorizer(vocabulary=vocabulary).fit(DOCS)


@pytest.mark.parametrize("params", [{"min_df": True}, {"max_df": False}])
def test_vectorizer_refuses_bools_for_document_frequencies(params):
    (name, value), = params.items()
    with pytest.raises(InvalidParameterError,
                       match=rf"'{name}' parameter .*Got {value} instead"):
        TextVectorizer(**params).fit(DOCS)


@pytest.mark.parametrize("pattern", [r"\w*", "", "(?:a|)"])
def test_vectorizer_refuses_a_token_pattern_that_matches_the_empty_string(pattern):
    # findall would put an empty token between every two words
    with pytest.raises(ValueError, match=r"The 'token_pattern' parameter of "
                       r"TextVectorizer matches the empty string"):
        TextVectorizer(token_pattern=pattern).fit(DOCS)
