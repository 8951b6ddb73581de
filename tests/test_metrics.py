"""Tagging metrics: every expected score is counted by hand from tiny tag lists."""

import ast
import sys
from collections import Counter, defaultdict
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score

from sklearn_rnn import metrics
from sklearn_rnn.metrics import (
    entity_classification_report,
    entity_f1_score,
    entity_precision_score,
    entity_recall_score,
    get_tagging_scorer,
    token_accuracy_score,
)

needs_seqeval = pytest.mark.skipif(find_spec("seqeval") is None,
                                   reason="seqeval (the 'tagging' extra) is absent")

ENTITY_FUNCTIONS = [entity_precision_score, entity_recall_score, entity_f1_score,
                    entity_classification_report]
ALL_FUNCTIONS = [token_accuracy_score, *ENTITY_FUNCTIONS]

# gold PER(0-1) and LOC(3); the prediction gets PER right and calls LOC an ORG
TRUE = [["B-PER", "I-PER", "O", "B-LOC"]]
PRED = [["B-PER", "I-PER", "O", "B-ORG"]]

# two sentences: PER(0-1) predicted as PER(0) (wrong span), LOC and the second
# PER right. PER: 2 gold, 2 predicted, 1 right; LOC: 1, 1, 1.
TRUE_2 = [["B-PER", "I-PER", "O", "B-LOC"], ["B-PER", "O"]]
PRED_2 = [["B-PER", "O", "O", "B-LOC"], ["B-PER", "O"]]

# The cross-validation corpus: KFold(2) without shuffling tests on each half
# with a tagger that memorised the other half. "Jordan" is a place in the first
# half and a person in the second.
FIRST_HALF = (
    [(["John", "Smith", "visited", "Jordan"], ["B-PER", "I-PER", "O", "B-LOC"])] * 5
    + [(["Anna", "lives", "in", "Paris"], ["B-PER", "O", "O", "B-LOC"])] * 5
)
SECOND_HALF = (
    [(["Jordan", "Smith", "visited", "Paris"], ["B-PER", "I-PER", "O", "B-LOC"])] * 5
    + [(["Anna", "met", "John"], ["B-PER", "O", "B-PER"])] * 5
)
WORDS = [list(words) for words, _ in FIRST_HALF + SECOND_HALF]
TAGS = [list(tags) for _, tags in FIRST_HALF + SECOND_HALF]

# Fold 0 tests the first half, learnt from the second: "Jordan" -> B-PER, and
# the unseen "lives", "in" -> O (right). Tokens: 5*3 + 5*4 = 35 of 40 right.
# Entities: 20 gold, 20 predicted, 5*1 + 5*2 = 15 right.
# Fold 1 tests the second half, learnt from the first: "Jordan" -> B-LOC, so
# "B-LOC I-PER" reads (conlleval) as LOC(0) and PER(1), neither right; "met" is
# unseen -> O. Tokens: 5*3 + 5*3 = 30 of 35. Entities: 20 gold, 5*3 + 5*2 = 25
# predicted, 5*1 + 5*2 = 15 right: P = 0.6, R = 0.75, F1 = 2/3.
FOLD_SCORES = {
    "token_accuracy": [35 / 40, 30 / 35],
    "entity_precision": [15 / 20, 15 / 25],
    "entity_recall": [15 / 20, 15 / 20],
    "entity_f1": [0.75, 2 / 3],
}


class MostFrequentTagger(BaseEstimator):
    """Tags each word with its most frequent training tag, unknown words with
    ``unknown_tag``."""

    def __init__(self, unknown_tag="O"):
        self.unknown_tag = unknown_tag

    def fit(self, X, y):
        counts = defaultdict(Counter)
        for words, tags in zip(X, y, strict=True):
            for word, tag in zip(words, tags, strict=True):
                counts[word][tag] += 1
        self.tags_ = {word: c.most_common(1)[0][0] for word, c in counts.items()}
        return self

    def predict(self, X):
        return [[self.tags_.get(word, self.unknown_tag) for word in words]
                for words in X]


# ---- token accuracy ----------------------------------------------------------

def test_token_accuracy_counts_tokens_not_sentences():
    y_true = [["B-PER", "I-PER", "O", "O"], ["B-LOC"]]
    y_pred = [["B-PER", "O", "O", "O"], ["O"]]
    # 3 of 5 tokens; the per-sentence mean would be (3/4 + 0) / 2
    assert token_accuracy_score(y_true, y_pred) == pytest.approx(3 / 5)


def test_token_accuracy_sample_weight_is_per_sentence():
    y_true = [["B-PER", "I-PER", "O", "O"], ["B-LOC"], []]
    y_pred = [["B-PER", "O", "O", "O"], ["O"], []]
    # sentence 0: 4 tokens weighing 1, 3 right; sentence 1: 1 token weighing 6,
    # wrong; the empty sentence adds nothing: 3 / (4 + 6)
    score = token_accuracy_score(y_true, y_pred, sample_weight=[1, 6, 100])
    assert score == pytest.approx(0.3)
    assert token_accuracy_score(y_true, y_pred, sample_weight=[1, 0, 0]) == 0.75


def test_token_accuracy_takes_arrays_and_numpy_strings():
    y_true = np.array([["B-PER", "O"], ["O", "O"]])
    y_pred = [np.array(["B-PER", "B-LOC"]), ("O", "O")]
    assert token_accuracy_score(y_true, y_pred) == 0.75
    assert type(token_accuracy_score(y_true, y_pred)) is float


def test_tags_seen_on_one_side_only_count_as_wrong():
    assert token_accuracy_score([["O", "B-PER"]], [["X-NEW", "B-PER"]]) == 0.5


@pytest.mark.parametrize(("sample_weight", "match"), [
    ([1.0], r"sample_weight has shape \(1,\) but there are 2 sentences"),
    ([[1.0, 2.0]], r"shape \(1, 2\)"),
    ([1.0, -1.0], "finite and non-negative"),
    ([1.0, np.nan], "finite and non-negative"),
    ([0.0, 0.0], "total weight of 0"),
])
def test_token_accuracy_bad_sample_weight(sample_weight, match):
    with pytest.raises(ValueError, match=match):
        token_accuracy_score([["O"], ["O"]], [["O"], ["O"]],
                             sample_weight=sample_weight)


# ---- entity scores -----------------------------------------------------------

@needs_seqeval
@pytest.mark.parametrize("func", ENTITY_FUNCTIONS[:3])
def test_entity_scores_by_hand(func):
    # 2 gold and 2 predicted entities, 1 right (PER): P = R = F1 = 1/2
    assert func(TRUE, PRED) == 0.5


@needs_seqeval
@pytest.mark.parametrize(("average", "expected"), [
    ("micro", 2 / 3),  # 3 gold, 3 predicted, 2 right
    ("macro", 0.75),  # PER 1/2, LOC 1
    ("weighted", 2 / 3),  # (1/2 * 2 gold PER + 1 * 1 gold LOC) / 3
])
def test_entity_f1_averages(average, expected):
    assert entity_f1_score(TRUE_2, PRED_2, average=average) == pytest.approx(expected)


@needs_seqeval
def test_entity_scores_per_type_in_sorted_order():
    # types LOC, PER
    np.testing.assert_allclose(
        entity_precision_score(TRUE_2, PRED_2, average=None), [1.0, 0.5])


@needs_seqeval
def test_an_i_tag_after_o_starts_an_entity_as_in_conlleval():
    y_true = [["O", "B-PER", "I-PER", "O"]]
    y_pred = [["O", "I-PER", "I-PER", "O"]]
    assert entity_f1_score(y_true, y_pred) == 1.0
    # and an I- tag of another type starts a new entity: PER(1) and LOC(2)
    y_pred = [["O", "B-PER", "I-LOC", "O"]]
    assert entity_precision_score(y_true, y_pred) == 0.0
    report = entity_classification_report(y_pred, y_pred, output_dict=True)
    assert (report["PER"]["support"], report["LOC"]["support"]) == (1, 1)


@needs_seqeval
def test_strict_iob2_drops_an_entity_that_starts_with_i():
    y_pred = [["I-PER", "I-PER", "O", "B-LOC"]]
    assert entity_f1_score(TRUE, y_pred) == 1.0
    # strict IOB2 predicts LOC only: P = 1/1, R = 1/2
    kwargs = {"mode": "strict", "scheme": "IOB2"}
    assert entity_precision_score(TRUE, y_pred, **kwargs) == 1.0
    assert entity_recall_score(TRUE, y_pred, **kwargs) == 0.5
    assert entity_f1_score(TRUE, y_pred, **kwargs) == pytest.approx(2 / 3)


@needs_seqeval
def test_strict_iobes_reads_single_and_end_tags():
    y_true = [["S-PER", "O", "B-LOC", "E-LOC"]]
    y_pred = [["S-PER", "O", "B-LOC", "I-LOC"]]  # the LOC never ends
    assert entity_recall_score(y_true, y_pred, mode="strict", scheme="IOBES") == 0.5


@needs_seqeval
def test_classification_report_dict():
    report = entity_classification_report(TRUE_2, PRED_2, output_dict=True)
    assert set(report) == {"LOC", "PER", "micro avg", "macro avg", "weighted avg"}
    for row in report.values():
        assert list(row) == ["precision", "recall", "f1-score", "support"]
        assert type(row["precision"]) is float and type(row["support"]) is int
    assert report["PER"] == {"precision": 0.5, "recall": 0.5, "f1-score": 0.5,
                             "support": 2}
    assert report["micro avg"]["support"] == 3


@needs_seqeval
def test_classification_report_text():
    text = entity_classification_report(TRUE_2, PRED_2, digits=3)
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()
            if line.strip() and "precision" not in line}
    assert rows["PER"] == ["0.500", "0.500", "0.500", "2"]
    assert rows["LOC"] == ["1.000", "1.000", "1.000", "1"]


@pytest.mark.parametrize("func", ENTITY_FUNCTIONS)
@pytest.mark.parametrize(("kwargs", "match"), [
    ({"mode": "strct"}, r"'mode' parameter of entity_\w+ must be a str among "
                        r"\{'strict'\} or None\. Got 'strct' instead\. "
                        r"Did you mean 'strict'\?"),
    ({"mode": "strict", "scheme": "IOB3"}, r"'scheme' parameter .* Got 'IOB3'"),
    ({"mode": "strict", "scheme": "iob2"}, r"Got 'iob2' instead\. Did you mean "
                                           r"'IOB2'\?"),
    ({"mode": "strict"}, r"mode='strict' needs the tagging scheme"),
    ({"scheme": "IOB2"}, r"scheme='IOB2' is only used with mode='strict'"),
])
def test_bad_entity_options(func, kwargs, match):
    with pytest.raises(ValueError, match=match):
        func(TRUE, PRED, **kwargs)


@pytest.mark.parametrize("func", ENTITY_FUNCTIONS[:3])
def test_bad_average(func):
    with pytest.raises(ValueError, match=r"'average' parameter .* Got 'binary'"):
        func(TRUE, PRED, average="binary")


@pytest.mark.parametrize("digits", [-1, 2.5, "2"])
def test_bad_digits(digits):
    with pytest.raises(ValueError, match=r"'digits' parameter .* must be an int"):
        entity_classification_report(TRUE, PRED, digits=digits)


@pytest.mark.parametrize("func", ENTITY_FUNCTIONS)
def test_missing_seqeval_says_how_to_install_it(func, monkeypatch):
    for name in ("seqeval", "seqeval.metrics", "seqeval.scheme"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r'pip install "sklearn-rnn\[tagging\]" '
                                          r"or pip install seqeval"):
        func(TRUE, PRED)


def test_importing_the_module_does_not_import_seqeval():
    """seqeval is imported inside functions only, never at module level."""
    tree = ast.parse(Path(metrics.__file__).read_text(encoding="utf-8"))
    top_level = [node for node in tree.body
                 if isinstance(node, (ast.Import, ast.ImportFrom))]
    names = {alias.name for node in top_level if isinstance(node, ast.Import)
             for alias in node.names}
    names |= {node.module for node in top_level if isinstance(node, ast.ImportFrom)}
    assert "numpy" in names  # the check sees the imports
    assert not {name for name in names if name.split(".")[0] == "seqeval"}


# ---- input validation (shared by every metric) -------------------------------

@pytest.mark.parametrize("func", ALL_FUNCTIONS)
@pytest.mark.parametrize(("y_true", "y_pred", "error", "match"), [
    ("B-PER O", [["B-PER", "O"]], ValueError,
     r'y_true is a string; a list of tag lists is expected, e\.g\. '
     r'\[\["B-PER", "O"\], \.\.\.\]'),
    ([["B-PER", "O"]], ["B-PER", "O"], ValueError,
     r"y_pred looks like a flat list of tags; a list of tag lists is expected"),
    ([["B-PER", "O"]], np.array(["B-PER", "O"]), ValueError,
     r"y_pred looks like a flat list of tags"),
    ([["B-PER", "O"]], [None], ValueError,
     r"y_pred\[0\] is a NoneType, not a list of tags"),
    ({"a": ["O"]}, [["O"]], ValueError, r"y_true is a dict; a list of tag lists"),
    ([["O"], ["O"], ["O"]], [["O"], ["O"]], ValueError,
     r"y_true has 3 sentences but y_pred has 2"),
    ([["O"], ["O", "O", "B-LOC"]], [["O"], ["O", "O"]], ValueError,
     r"sentence 1 has 3 tags in y_true but 2 in y_pred"),
    ([["O"], ["O", 3]], [["O"], ["O", "O"]], TypeError,
     r"y_true\[1\]\[1\] \(sentence 1, position 1\) is 3 of type int; tags must "
     r"be strings"),
    ([["O"], ["O", "O"]], [["O"], ["O", b"O"]], TypeError,
     r"y_pred\[1\]\[1\] \(sentence 1, position 1\) is b'O' of type bytes"),
    ([], [], ValueError, r"contain no tags: there is nothing to score"),
    ([[], []], [[], []], ValueError, r"contain no tags"),
])
def test_bad_tag_sequences(func, y_true, y_pred, error, match):
    with pytest.raises(error, match=match):
        func(y_true, y_pred)


# ---- scorers in model selection ----------------------------------------------

@pytest.mark.parametrize("name", [
    "token_accuracy",
    pytest.param("entity_f1", marks=needs_seqeval),
    pytest.param("entity_precision", marks=needs_seqeval),
    pytest.param("entity_recall", marks=needs_seqeval),
])
def test_scorer_in_cross_val_score_equals_the_hand_count(name):
    scores = cross_val_score(MostFrequentTagger(), WORDS, TAGS, cv=KFold(2),
                             scoring=get_tagging_scorer(name))
    np.testing.assert_allclose(scores, FOLD_SCORES[name])
    # the same numbers as the module's ready-made scorer object
    scorer = getattr(metrics, f"{name}_scorer")
    tagger = MostFrequentTagger().fit(WORDS[10:], TAGS[10:])
    assert scorer(tagger, WORDS[:10], TAGS[:10]) == pytest.approx(scores[0])


def test_scorer_in_grid_search_picks_the_better_tagger():
    # unknown words tagged B-PER: fold 0 loses "lives", "in" (25/40), fold 1
    # loses "met" (25/35)
    search = GridSearchCV(MostFrequentTagger(), {"unknown_tag": ["B-PER", "O"]},
                          cv=KFold(2), scoring=metrics.token_accuracy_scorer)
    search.fit(WORDS, TAGS)
    assert search.best_params_ == {"unknown_tag": "O"}
    np.testing.assert_allclose(search.cv_results_["mean_test_score"],
                               [(25 / 40 + 25 / 35) / 2, (35 / 40 + 30 / 35) / 2])


def test_get_tagging_scorer_returns_a_copy():
    scorer = get_tagging_scorer("token_accuracy")
    assert scorer is not metrics.token_accuracy_scorer
    assert repr(scorer) == repr(metrics.token_accuracy_scorer)


@pytest.mark.parametrize(("name", "match"), [
    ("entity_f2", r"'entity_f2' is not a tagging scorer; the names are "
                  r"'token_accuracy', 'entity_f1', 'entity_precision', "
                  r"'entity_recall'\. Did you mean 'entity_f1'\?"),
    ("accuracy", r"'accuracy' is not a tagging scorer"),
    (None, r"None is not a tagging scorer"),
])
def test_get_tagging_scorer_unknown_name(name, match):
    with pytest.raises(ValueError, match=match):
        get_tagging_scorer(name)
