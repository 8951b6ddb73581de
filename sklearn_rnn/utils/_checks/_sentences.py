"""Checks of tagged sentences (sklearn-crfsuite's convention)."""

import numbers

import numpy as np

from sklearn_rnn.utils._validation import describe


# ------------------------------------------------------------- tagged sentences
def check_sentences(X, owner, allow_empty=True):
    """``X`` as a list of lists of str, or an error naming the sentence."""
    if type(X).__name__ == "DataFrame":  # iterating one gives its column names
        raise TypeError(
            f"{owner} expects X as a list of sentences, each a list of token "
            "strings; got a pandas DataFrame. Pass a column of token lists as "
            "df[column].tolist(), or rows of tokens as df.values.tolist()."
        )
    if isinstance(X, (str, bytes)) or not _is_sequence(X):
        raise TypeError(
            f"{owner} expects X as a list of sentences, each a list of token "
            f"strings (e.g. [['The', 'cat', 'sat'], ...]); got {type(X).__name__}."
        )
    sentences = []
    for i, sentence in enumerate(X):
        if isinstance(sentence, str):
            raise TypeError(
                f"Sentence {i} of X is a string ({_preview(sentence)}); {owner} "
                "expects each sentence as a list of token strings: split it "
                "first, e.g. sentence.split()."
            )
        if not _is_sequence(sentence):
            raise TypeError(
                f"Sentence {i} of X is {describe(sentence)}; {owner} expects "
                "each sentence as a list of token strings."
            )
        tokens = list(sentence)
        for j, token in enumerate(tokens):
            if not isinstance(token, str):
                raise TypeError(
                    f"Token {j} of sentence {i} is {token!r} "
                    f"({type(token).__name__}); tokens must be strings."
                )
        if not tokens and not allow_empty:
            raise ValueError(
                f"Sentence {i} of X is empty; every training sentence needs at "
                "least one token (drop empty sentences before fit)."
            )
        sentences.append(tokens)
    if not sentences:
        raise ValueError(f"{owner} got no sentences (X is empty).")
    return sentences


def check_tag_lists(y, sentences, owner):
    """``y`` as a list of tag lists matching ``sentences`` token for token."""
    if y is None:
        raise ValueError(f"{owner} requires y: one list of tags per sentence.")
    if isinstance(y, (str, bytes)) or not _is_sequence(y):
        raise TypeError(
            f"{owner} expects y as a list of tag lists (e.g. [['DET', 'NOUN'], "
            f"...]); got {type(y).__name__}."
        )
    y = list(y)
    if len(y) != len(sentences):
        raise ValueError(
            f"X has {len(sentences)} sentences but y has {len(y)} tag lists."
        )
    tag_lists, kinds = [], set()
    for i, (tags, tokens) in enumerate(zip(y, sentences, strict=True)):
        if isinstance(tags, str) or not _is_sequence(tags):
            raise TypeError(
                f"Entry {i} of y is {_preview(tags)}; expected a list of tags, one "
                "per token of the sentence."
            )
        tags = list(tags)
        if len(tags) != len(tokens):
            raise ValueError(
                f"Sentence {i} has {len(tokens)} tokens but {len(tags)} tags; "
                "every token needs exactly one tag."
            )
        for j, tag in enumerate(tags):
            kind = _tag_kind(tag)
            if kind is None:
                raise TypeError(
                    f"Tag {j} of sentence {i} is {tag!r} ({type(tag).__name__}); "
                    "tags must be strings or integers."
                )
            kinds.add(kind)
        tag_lists.append(tags)
    if len(kinds) > 1:
        raise TypeError("y mixes string and integer tags; use one kind.")
    return tag_lists


def _tag_kind(tag):
    if isinstance(tag, str):
        return "str"
    if isinstance(tag, numbers.Integral) and not isinstance(tag, (bool, np.bool_)):
        return "int"
    return None


def _is_sequence(value):
    return isinstance(value, (list, tuple, np.ndarray)) or (
        hasattr(value, "__len__") and hasattr(value, "__iter__")
        and not isinstance(value, (dict, set, str, bytes))
    )


def _preview(value, width=40):
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."
