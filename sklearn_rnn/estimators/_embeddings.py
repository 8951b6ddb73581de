"""The ``embeddings`` parameter of the text models, turned into the rows that
start the embedding layer in one fit.

Pretrained vectors are aligned to the tokens that the fit's ``X`` carries
(``TextVectorizer`` -> ``SequencePadder`` pass them on), self-learned ones are
trained on ``X`` itself: either way only the data given to this fit is read.
"""

import warnings

import torch

from sklearn_rnn._ids import FIRST_WORD_ID
from sklearn_rnn.embeddings import Word2VecEmbeddings, WordVectors
from sklearn_rnn.embeddings._vectors import SavedWordVectors
from sklearn_rnn.exceptions import TrainingWarning
from sklearn_rnn.preprocessing._tokens import tokens_of
from sklearn_rnn.utils._checks import (
    EMBEDDINGS_ALLOWED,
    LOAD_VECTORS,
    check_embeddings,
)
from sklearn_rnn.utils._validation import user_stacklevel

__all__ = [
    "EMBEDDING_OPTIONS",
    "check_embeddings_param",
    "initial_embeddings",
    "placeholder_rows",
    "pretrained_width",
]

EMBEDDING_OPTIONS = ("word2vec",)
# Below this share of the vocabulary with a pretrained vector, the vectors and
# the vectorizer most likely disagree on case or tokenization.
LOW_COVERAGE = 0.3


def check_embeddings_param(spec, owner):
    """A string other than 'word2vec' is most likely the name of a vector set:
    say how to load one."""
    if isinstance(spec, str) and spec not in EMBEDDING_OPTIONS:
        raise ValueError(
            f"The 'embeddings' parameter of {owner} must be {EMBEDDINGS_ALLOWED}; "
            f"got {spec!r}. {LOAD_VECTORS}"
        )


def initial_embeddings(estimator, X, raw_X, vocab_size):
    """``(rows, found, coverage)``: float32 rows (vocab_size, d) or None, which
    rows got a pretrained or learned vector, and the share of word ids (>= 2)
    that did (None without vectors)."""
    spec = estimator.embeddings
    owner = type(estimator).__name__
    if spec is None:
        return None, None, None
    if isinstance(spec, SavedWordVectors):
        raise ValueError(
            f"{owner} was loaded from a model file and trained with the word "
            f"vectors {spec!r}, which a model file does not keep; pass them again "
            "with set_params(embeddings=...) before fitting."
        )
    if isinstance(spec, str):
        spec = Word2VecEmbeddings()
    if isinstance(spec, Word2VecEmbeddings):
        dim = spec.vector_size or estimator.embedding_dim
        rows, found = spec.train(X, vocab_size, dim, estimator._seed())
    elif isinstance(spec, WordVectors):
        rows, found = _aligned(spec, tokens_of(raw_X), vocab_size, estimator, owner)
    else:
        return check_embeddings(spec, vocab_size), None, None
    return rows, found, _coverage(found, spec, owner)


def _aligned(vectors, tokens, vocab_size, estimator, owner):
    if tokens is None:
        raise ValueError(
            f"{owner}(embeddings={vectors!r}) needs the token of every id to align "
            "the vectors, and X does not carry them: fit a pipeline "
            "make_pipeline(TextVectorizer(), SequencePadder(), ...) on raw text "
            "(a step in between that converts X, such as np.asarray, drops them), "
            "or pass rows=vectors.align(tokens)[0] for the vectorizer's tokens = "
            "get_feature_names_out() as embeddings=rows with "
            "vocab_size=len(tokens)."
        )
    tokens = list(tokens[:vocab_size])
    tokens += [""] * (vocab_size - len(tokens))  # ids no token has: random rows
    return vectors.align(tokens, missing=estimator.missing_vectors,
                         random_state=estimator._seed())


def _coverage(found, spec, owner):
    words = found[FIRST_WORD_ID:]
    coverage = float(words.mean()) if words.size else 0.0
    if isinstance(spec, WordVectors) and coverage < LOW_COVERAGE:
        warnings.warn(
            f"Only {coverage:.0%} of the {words.size} words of the vocabulary have a "
            f"vector in {spec!r}. Check that TextVectorizer's lowercase and "
            "token_pattern match how the vectors were tokenized.",
            TrainingWarning, stacklevel=user_stacklevel(),
        )
    return coverage


def pretrained_width(rows):
    return 0 if rows is None else int(rows.shape[1])


def placeholder_rows(vocab_size, width):
    """Rows of the right shape for rebuilding a fitted network (the weights
    are loaded over them): one zero seen through every row, so that building
    the network allocates its embedding only, once."""
    if not width:
        return None
    return torch.zeros(()).expand(vocab_size, width)
