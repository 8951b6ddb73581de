"""A pipeline of TextVectorizer, SequencePadder and RNNTextClassifier names the bad
document or label whichever step finds it, and reads documents in any script and
of any length."""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNTextClassifier, SequencePadder, TextVectorizer
from tests._data import FEW_REVIEW_LABELS, FEW_REVIEWS, TINY_CLASSIFIER


@pytest.mark.parametrize(
    "X, y, error, match",
    [
        pytest.param("a great movie", ["pos"], ValueError,
                     "Iterable over raw text documents expected, string object "
                     "received", id="bare-str"),
        pytest.param(["a great movie", None], ["pos", "neg"], TypeError,
                     r"item 1 is None of type NoneType", id="None-document"),
        pytest.param(["a great movie", np.nan], ["pos", "neg"], TypeError,
                     r"item 1 is nan of type float", id="nan-document"),
        pytest.param(FEW_REVIEWS, FEW_REVIEW_LABELS[:-1], ValueError,
                     "X has 12 samples .*but y has 11 labels", id="X-y-mismatch"),
        pytest.param(FEW_REVIEWS, ["pos"] * 12, ValueError, "only one class: 'pos'",
                     id="single-class"),
    ],
)
def test_pipeline_names_the_bad_input(X, y, error, match):
    pipe = make_pipeline(TextVectorizer(), SequencePadder(maxlen=6),
                         RNNTextClassifier(**TINY_CLASSIFIER))
    with pytest.raises(error, match=match):
        pipe.fit(X, y)


UNICODE_DOCS = [
    "😀 loved it 👍🏽 中文 很好看",            # emoji (with skin-tone modifier), CJK
    "مرحبا هذا فيلم رائع جدا",                   # Arabic, right to left
    "שלום סרט טוב מאוד",                          # Hebrew, right to left
    "naïve café, déjà vu — très bien",           # precomposed accents
    "ugh 😡 最悪 の 映画",                       # emoji, Japanese
    "فيلم سيئ ممل",
    "סרט רע ומשעמם",
    "👎👎 terrible, nul, à éviter",
]
UNICODE_LABELS = ["pos", "pos", "pos", "pos", "neg", "neg", "neg", "neg"]


def test_unicode_documents_through_the_whole_pipeline():
    pipe = make_pipeline(TextVectorizer(), SequencePadder(maxlen=8),
                         RNNTextClassifier(**TINY_CLASSIFIER))
    pipe.fit(UNICODE_DOCS * 2, UNICODE_LABELS * 2)
    vocabulary = pipe[0].vocabulary_
    expected = {"中文", "很好看", "مرحبا", "رائع", "שלום", "naïve", "déjà"}
    assert expected <= set(vocabulary)
    # emoji are symbols, not word characters: dropped like punctuation
    assert not any("😀" in token for token in vocabulary)
    unseen = ["新しい 映画 😀", "مرحبا שלום café", "", "🙂🙃"]
    proba = pipe.predict_proba(unseen)
    assert proba.shape == (4, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert set(pipe.predict(unseen)) <= {"pos", "neg"}
    ids = pipe[0].transform(["שלום 中文"])[0]
    assert pipe[0].inverse_transform([ids]) == [["שלום", "中文"]]


def test_a_million_token_document_through_a_fitted_pipeline():
    # truncation="always" bounds the work per text to predict; the default
    # reads all 1,000,000 steps
    pipe = make_pipeline(TextVectorizer(),
                         SequencePadder(maxlen=100, truncation="always"),
                         RNNTextClassifier(**TINY_CLASSIFIER))
    pipe.fit(FEW_REVIEWS, FEW_REVIEW_LABELS)
    long_document = " ".join(["great", "boring", "cast", "movie"] * 250_000)
    proba = pipe.predict_proba([long_document, "a great movie"])
    assert proba.shape == (2, 2) and np.isfinite(proba).all()
