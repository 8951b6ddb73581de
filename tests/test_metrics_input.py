"""Tagging metrics on hostile input: tags of mixed kinds, entity tags no scheme
knows, sample weights that are no numbers, overflow or have the wrong length."""

import re

import numpy as np
import pytest

from sklearn_rnn.metrics import (
    entity_classification_report,
    entity_f1_score,
    token_accuracy_score,
)
from tests.test_metrics import ENTITY_FUNCTIONS, needs_seqeval

# -- token accuracy: one kind of tag -----------------------------------------------


@pytest.mark.parametrize("y_true, y_pred, culprit, value", [
    ([["O", "O"]], [[0, 1]], r"y_pred\[0\]\[0\]", "0"),  # strings against ints
    ([[0, 1]], [["O", "O"]], r"y_pred\[0\]\[0\]", "'O'"),
    ([[0], ["O"]], [[0], ["O"]], r"y_true\[1\]\[0\]", "'O'"),  # across sentences
])
def test_token_accuracy_refuses_tags_of_mixed_kinds(y_true, y_pred, culprit, value):
    with pytest.raises(TypeError, match=rf"{culprit} \(sentence \d, position \d\) "
                                        rf"is {value} of type"):
        token_accuracy_score(y_true, y_pred)


def test_token_accuracy_of_int_tags_by_hand():
    assert token_accuracy_score([[0, 1, 2], [3]], [[0, 2, 2], [1]]) == 0.5
    assert token_accuracy_score([[0, 1]], [[0, np.int8(1)]]) == 1.0


# -- sample_weight -----------------------------------------------------------------

Y = [["O", "B-PER"], ["O"]]
Y_PRED = [["O", "O"], ["O"]]  # sentence 0: 1 of 2 right, sentence 1: 1 of 1


@pytest.mark.parametrize("sample_weight, error, match", [
    ("ab", TypeError, r"sample_weight must be an array-like of 2 numbers, one per "
                      r"sentence; got a str"),
    ({0: 1.0, 1: 2.0}, TypeError, r"got a dict"),
    ([1.0, None], TypeError, r"sample_weight\[1\] \(the weight of sentence 1\) is "
                             r"None; weights must be real numbers"),
    (["1", "2"], TypeError, r"sample_weight\[0\] .* is '1'"),
    (np.array(["1", "2"]), TypeError, r"sample_weight\[0\] .* is '1'"),
    ([1.0, 1j], TypeError, r"sample_weight\[1\] .* is 1j"),
    ([1.0, -2.0], ValueError, r"finite and non-negative; sample_weight\[1\] \(the "
                              r"weight of sentence 1\) is -2.0"),
    ([np.inf, 1.0], ValueError, r"sample_weight\[0\] .* is inf"),
    ([10**400, 1], ValueError, r"beyond the range of float64"),
    ([[1.0], [2.0]], ValueError, r"shape \(2, 1\) but there are 2 sentences"),
    ([1.0, 2.0, 3.0], ValueError, r"shape \(3,\) but there are 2 sentences"),
    ([[1.0, 2.0], [3.0]], TypeError, r"sample_weight\[0\] .* is \[1.0, 2.0\]"),
])
def test_token_accuracy_bad_sample_weight_is_named(sample_weight, error, match):
    with pytest.raises(error, match=match):
        token_accuracy_score(Y, Y_PRED, sample_weight=sample_weight)


def test_token_accuracy_huge_weights_do_not_overflow():
    # each token of sentence 0 weighs 1e308, the one of sentence 1 as much:
    # (1 + 1) of 3 equal weights; summing the weights would overflow to inf
    score = token_accuracy_score(Y, Y_PRED, sample_weight=[1e308, 1e308])

    assert score == pytest.approx(2 / 3)


def test_token_accuracy_bool_weights_select_sentences():
    assert token_accuracy_score(Y, Y_PRED, sample_weight=[False, True]) == 1.0


# -- entity tags -------------------------------------------------------------------


@needs_seqeval
@pytest.mark.parametrize("func", ENTITY_FUNCTIONS)
@pytest.mark.parametrize("tag, hint", [
    ("PER", ""),
    ("X-PER", ""),
    ("B-", ""),
    ("", ""),
    ("O-PER", ""),
    ("b-per", r" Tags are case-sensitive: did you mean 'B-per'\?"),
    ("U-PER", r" BILOU tags are read with mode='strict', scheme='BILOU'\."),
])
def test_entity_scores_refuse_tags_outside_the_scheme(func, tag, hint):
    y_pred = [["B-PER", "O"], ["O", tag]]

    with pytest.raises(ValueError, match=(
            rf"y_pred\[1\]\[1\] \(sentence 1, position 1\) is {re.escape(repr(tag))}, "
            r"not an entity tag: expected 'O' or one of the prefixes 'B', 'E', 'I', "
            rf"'S' \(alone, or followed by '-TYPE', as in 'B-PER'\)\.{hint}")):
        func([["B-PER", "O"], ["O", "O"]], y_pred)


@needs_seqeval
@pytest.mark.parametrize("scheme, tag, prefixes, example", [
    ("IOB2", "E-PER", "'B', 'I'", "B-PER"),
    ("IOB2", "S-PER", "'B', 'I'", "B-PER"),
    ("IOE2", "B-PER", "'E', 'I'", "E-PER"),
    ("BILOU", "E-PER", "'B', 'I', 'L', 'U'", "B-PER"),
    ("BILOU", "X-PER", "'B', 'I', 'L', 'U'", "B-PER"),
    ("IOBES", "L-PER", "'B', 'E', 'I', 'S'", "B-PER"),
])
def test_strict_mode_refuses_prefixes_its_scheme_lacks(scheme, tag, prefixes, example):
    with pytest.raises(ValueError, match=rf"y_true\[0\]\[1\] .* is '{tag}', not "
                                         rf"a tag of scheme='{scheme}': expected "
                                         rf"'O' or one of the prefixes {prefixes} "
                                         rf"\(alone, or followed by '-TYPE', as in "
                                         rf"'{example}'\)\.$"):
        entity_f1_score([["O", tag]], [["O", "O"]], mode="strict", scheme=scheme)


@needs_seqeval
def test_strict_bilou_reads_its_own_tags():
    y = [["B-PER", "L-PER", "O", "U-LOC"]]

    assert entity_f1_score(y, y, mode="strict", scheme="BILOU") == 1.0


@needs_seqeval
def test_untyped_prefixes_are_entities_as_seqeval_reads_them():
    # chunks without type: B I counts as one entity, as conlleval reads it
    assert entity_f1_score([["B", "I", "O", "B"]], [["B", "I", "O", "O"]]) == \
        pytest.approx(2 / 3)


@pytest.mark.parametrize("digits", [True, False])
def test_report_digits_refuses_bools(digits):
    with pytest.raises(ValueError, match=r"'digits' parameter of entity_classif"
                                         r"ication_report must be an int >= 0\. "
                                         rf"Got {digits}"):
        entity_classification_report([["B-PER"]], [["B-PER"]], digits=digits)
