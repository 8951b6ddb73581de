"""Scores for sequence tagging: token accuracy and entity-level precision, recall, F1.

``y_true`` and ``y_pred`` follow sklearn-crfsuite's convention: a list of
sentences, each a list (or 1-d array) of tag strings, the predicted sentence as
long as the gold one::

    y_true = [["B-PER", "I-PER", "O"], ["O", "B-LOC"]]

Token accuracy needs only numpy. The entity scores count whole entities (a
``B-PER I-PER`` span is right only if both tags and the span are right) with
`seqeval <https://github.com/chakki-works/seqeval>`_, an optional dependency:
``pip install "sklearn-rnn[tagging]"`` or ``pip install seqeval``. Importing this
module does not import seqeval; only the entity functions do.

Ready-made scorers for :class:`~sklearn.model_selection.GridSearchCV` and
:func:`~sklearn.model_selection.cross_val_score` (greater is better):
``token_accuracy_scorer``, ``entity_f1_scorer``, ``entity_precision_scorer`` and
``entity_recall_scorer``, also by name through :func:`get_tagging_scorer`.
"""

import copy
import numbers
import textwrap

import numpy as np
from sklearn.metrics import make_scorer

from sklearn_rnn.utils._validation import suggest

__all__ = [
    "entity_classification_report",
    "entity_f1_score",
    "entity_f1_scorer",
    "entity_precision_score",
    "entity_precision_scorer",
    "entity_recall_score",
    "entity_recall_scorer",
    "get_tagging_scorer",
    "token_accuracy_score",
    "token_accuracy_scorer",
]

_SCHEMES = ("IOB1", "IOB2", "IOE1", "IOE2", "IOBES", "BILOU")
_MODES = ("strict",)
_AVERAGES = ("micro", "macro", "weighted")
_EXPECTED = 'a list of tag lists is expected, e.g. [["B-PER", "O"], ...]'
# The prefixes of the entity tags each reading knows (None: seqeval's default,
# conlleval-like reading); 'O' is a tag of its own in every one.
_ENTITY_PREFIXES = {
    None: ("B", "E", "I", "S"),
    "IOB1": ("B", "I"),
    "IOB2": ("B", "I"),
    "IOE1": ("E", "I"),
    "IOE2": ("E", "I"),
    "IOBES": ("B", "E", "I", "S"),
    "BILOU": ("B", "I", "L", "U"),
}

_DOCS = {
    "tag_sequences": """\
y_true : list of list of str
    Gold tags: one list (or 1-d array) of tag strings per sentence, such as
    ``[["B-PER", "I-PER", "O"], ["O", "B-LOC"]]``.
y_pred : list of list of str
    Predicted tags, shaped like ``y_true``: as many sentences, each with as many
    tags as its gold sentence. Tags that occur on one side only are allowed.""",
    "entity_options": """\
scheme : {'IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU'}, default=None
    Tagging scheme whose rules ``mode='strict'`` applies; required in that mode
    and only used there.
mode : {'strict'} or None, default=None
    None reads entities as conlleval does: an ``I-`` tag after ``O`` (or after a
    tag of another type) starts an entity, so ``O I-PER I-PER`` holds one PER
    entity. ``'strict'`` keeps only the entities that are well formed in
    ``scheme``: in IOB2 an entity must start with ``B-``, so that ``I-PER I-PER``
    is no entity at all. Either way a tag must be ``'O'`` or a prefix (``B``,
    ``I``, ``E``, ``S`` by default; in strict mode those of ``scheme``), alone
    or followed by ``-TYPE``: another tag raises a ValueError naming it, where
    seqeval would score what it guessed.""",
}


def _fill_doc(func):
    """Put the shared parameter descriptions of ``_DOCS`` into ``func``'s docstring."""
    if func.__doc__:  # None under python -OO
        for key, text in _DOCS.items():
            func.__doc__ = func.__doc__.replace(
                "{" + key + "}", textwrap.indent(text, "    ").lstrip()
            )
    return func


def _check_tag_sequences(y_true, y_pred, integers=False):
    """Validate two lists of tag sentences and return them as lists of lists of
    str (or of int, with ``integers``: token accuracy needs no tag format).

    Raises ValueError for anything but a list (tuple, array) of sentences, for
    sentence counts or lengths that differ and for input without a single tag;
    TypeError for a tag that is not a string (with ``integers``, for a tag of
    another kind than the first tag of ``y_true``: a str never equals an int,
    so mixing them would only count errors).
    """
    y_true = _check_sentences(y_true, "y_true")
    y_pred = _check_sentences(y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"y_true has {len(y_true)} sentences but y_pred has {len(y_pred)}; "
            "give one predicted tag list per gold sentence."
        )
    for i, (true, pred) in enumerate(zip(y_true, y_pred, strict=True)):
        if len(true) != len(pred):
            raise ValueError(
                f"sentence {i} has {len(true)} tags in y_true but {len(pred)} in "
                "y_pred; a predicted sentence needs one tag per gold tag."
            )
    if not any(len(tags) for tags in y_true):
        raise ValueError("y_true and y_pred contain no tags: there is nothing "
                         "to score.")
    first = next(tag for tags in y_true for tag in tags)
    integers = integers and _is_int(first)
    return ([_check_tags(tags, "y_true", i, integers) for i, tags in enumerate(y_true)],
            [_check_tags(tags, "y_pred", i, integers) for i, tags in enumerate(y_pred)])


def _check_sentences(y, name):
    if isinstance(y, str):
        raise ValueError(f"{name} is a string; {_EXPECTED}.")
    if not isinstance(y, (list, tuple, np.ndarray)) or getattr(y, "ndim", 1) == 0:
        raise ValueError(f"{name} is a {type(y).__name__}; {_EXPECTED}.")
    for i, sentence in enumerate(y):
        if isinstance(sentence, str):
            raise ValueError(f"{name} looks like a flat list of tags; {_EXPECTED}.")
        if not _is_sentence(sentence):
            raise ValueError(f"{name}[{i}] is a {type(sentence).__name__}, not a "
                             f"list of tags; {_EXPECTED}.")
    return list(y)


def _is_sentence(sentence):
    if isinstance(sentence, np.ndarray):
        return sentence.ndim == 1
    return isinstance(sentence, (list, tuple))


def _is_int(tag):
    return isinstance(tag, numbers.Integral) and not isinstance(tag, bool | np.bool_)


def _check_tags(tags, name, i, integers=False):
    """The tags of sentence ``i`` as str, or as int with ``integers``."""
    if integers:
        for j, tag in enumerate(tags):
            if not _is_int(tag):
                raise TypeError(
                    f"{name}[{i}][{j}] (sentence {i}, position {j}) is {tag!r} of type "
                    f"{type(tag).__name__}; the first tag of y_true is an int, so "
                    "every tag must be an int (or every tag a string)."
                )
        return [int(tag) for tag in tags]
    for j, tag in enumerate(tags):
        # numpy's str_ is a subclass of str, so tags read from arrays pass
        if not isinstance(tag, str):
            raise TypeError(
                f"{name}[{i}][{j}] (sentence {i}, position {j}) is {tag!r} of type "
                f"{type(tag).__name__}; tags must be strings such as 'B-PER' or 'O'."
            )
    return [str(tag) for tag in tags]


def _check_option(func_name, param, value, allowed):
    """sklearn's error for a parameter that must be None or one of ``allowed``."""
    if value is None or (isinstance(value, str) and value in allowed):
        return
    options = "{" + ", ".join(repr(a) for a in allowed) + "}"
    # suggest() compares in lower case, which misses 'iob2' for 'IOB2'
    same = [a for a in allowed if str(value).lower() == a.lower()]
    hint = f" Did you mean {same[0]!r}?" if same else suggest(value, allowed)
    raise ValueError(
        f"The {param!r} parameter of {func_name} must be a str among {options} or "
        f"None. Got {value!r} instead.{hint}"
    )


def _check_entity_tags(y, name, scheme):
    """Refuse a tag that is neither 'O' nor a prefix of ``scheme`` (None: the
    default reading), alone or followed by '-TYPE': seqeval would only warn,
    or fail with a KeyError, and score what it guessed."""
    prefixes = _ENTITY_PREFIXES[scheme]
    for i, tags in enumerate(y):
        for j, tag in enumerate(tags):
            if not _is_entity_tag(tag, prefixes):
                raise ValueError(
                    f"{name}[{i}][{j}] (sentence {i}, position {j}) is {tag!r}, "
                    f"{_entity_tag_rule(scheme)}{_entity_tag_hint(tag, scheme)}"
                )


def _is_entity_tag(tag, prefixes):
    if tag == "O":
        return True
    return tag[:1] in prefixes and (len(tag) == 1 or tag[1] == "-" and len(tag) > 2)


def _entity_tag_rule(scheme):
    what = "an entity tag" if scheme is None else f"a tag of scheme={scheme!r}"
    prefixes = ", ".join(repr(p) for p in _ENTITY_PREFIXES[scheme])
    example = _ENTITY_PREFIXES[scheme][0] + "-PER"
    return (f"not {what}: expected 'O' or one of the prefixes {prefixes} (alone, or "
            f"followed by '-TYPE', as in {example!r}).")


def _entity_tag_hint(tag, scheme):
    capitalised = tag[:1].upper() + tag[1:]
    if capitalised != tag and _is_entity_tag(capitalised, _ENTITY_PREFIXES[scheme]):
        return f" Tags are case-sensitive: did you mean {capitalised!r}?"
    if scheme is None and tag[:1] in {"L", "U"} and tag[1:2] in {"", "-"}:
        return " BILOU tags are read with mode='strict', scheme='BILOU'."
    return ""


def _check_entity_options(func_name, scheme, mode):
    _check_option(func_name, "mode", mode, _MODES)
    _check_option(func_name, "scheme", scheme, _SCHEMES)
    if mode == "strict" and scheme is None:
        # seqeval would silently fall back to its default mode
        raise ValueError(
            "mode='strict' needs the tagging scheme whose rules it applies: pass "
            f"scheme= one of {', '.join(repr(s) for s in _SCHEMES)}, e.g. "
            "scheme='IOB2'."
        )
    if mode is None and scheme is not None:
        raise ValueError(
            f"scheme={scheme!r} is only used with mode='strict' (the default, "
            "conlleval-like mode ignores it): pass mode='strict' as well, or "
            "drop scheme."
        )


def _import_seqeval(scheme):
    """seqeval's metrics module and the scheme class named ``scheme`` (or None)."""
    try:
        from seqeval import metrics
        from seqeval import scheme as schemes
    except ImportError as exc:
        raise ImportError(
            "The entity-level scores need seqeval, an optional dependency: "
            'pip install "sklearn-rnn[tagging]" or pip install seqeval.'
        ) from exc
    return metrics, (None if scheme is None else getattr(schemes, scheme))


def _check_entity_sequences(y_true, y_pred, scheme):
    y_true, y_pred = _check_tag_sequences(y_true, y_pred)
    _check_entity_tags(y_true, "y_true", scheme)
    _check_entity_tags(y_pred, "y_pred", scheme)
    return y_true, y_pred


def _entity_score(func_name, metric, y_true, y_pred, scheme, mode, average):
    _check_entity_options(func_name, scheme, mode)
    _check_option(func_name, "average", average, _AVERAGES)
    y_true, y_pred = _check_entity_sequences(y_true, y_pred, scheme)
    metrics, scheme_class = _import_seqeval(scheme)
    score = getattr(metrics, metric)(y_true, y_pred, average=average, mode=mode,
                                     scheme=scheme_class)
    return score if average is None else float(score)


@_fill_doc
def token_accuracy_score(y_true, y_pred, *, sample_weight=None):
    """Share of tokens whose predicted tag equals the gold tag.

    Counted over all the tokens of all sentences together (a long sentence
    weighs more than a short one), not averaged per sentence.

    Parameters
    ----------
    {tag_sequences}
    sample_weight : array-like of shape (n_sentences,), default=None
        One weight per sentence, given to each of its tokens. None weighs every
        token alike.

    Returns
    -------
    score : float
        Weighted share of correctly tagged tokens, in [0, 1].

    See Also
    --------
    entity_f1_score : Score whole entities rather than single tags.

    Examples
    --------
    >>> from sklearn_rnn.metrics import token_accuracy_score
    >>> y_true = [["B-PER", "I-PER", "O"], ["B-LOC"]]
    >>> y_pred = [["B-PER", "O", "O"], ["B-LOC"]]
    >>> token_accuracy_score(y_true, y_pred)
    0.75
    >>> token_accuracy_score(y_true, y_pred, sample_weight=[1, 3])
    0.8333...
    """
    y_true, y_pred = _check_tag_sequences(y_true, y_pred, integers=True)
    lengths = [len(tags) for tags in y_true]
    correct = np.array([t == p for true, pred in zip(y_true, y_pred, strict=True)
                        for t, p in zip(true, pred, strict=True)], dtype=float)
    if sample_weight is None:
        return float(correct.mean())
    weights = np.repeat(_check_sentence_weight(sample_weight, len(y_true)), lengths)
    if weights.max() > 0:
        weights /= weights.max()  # weights near the float64 maximum would sum to inf
    if weights.sum() == 0:
        raise ValueError("sample_weight gives the tokens a total weight of 0; "
                         "at least one non-empty sentence needs a positive weight.")
    return float(np.average(correct, weights=weights))


def _check_sentence_weight(sample_weight, n_sentences):
    """One finite, non-negative float64 weight per sentence, or an error naming
    the first bad one (bools count as 0 and 1)."""
    if isinstance(sample_weight, str | bytes | dict | set | frozenset):
        raise TypeError(
            f"sample_weight must be an array-like of {n_sentences} numbers, one per "
            f"sentence; got a {type(sample_weight).__name__}."
        )
    try:
        weights = np.asarray(sample_weight, dtype=object if isinstance(
            sample_weight, list | tuple) else None)
    except ValueError:  # nested lists of different lengths
        raise ValueError("sample_weight holds nested sequences of different "
                         "lengths; give one weight per sentence.") from None
    if weights.ndim != 1 or len(weights) != n_sentences:
        raise ValueError(
            f"sample_weight has shape {weights.shape} but there are {n_sentences} "
            "sentences; give one weight per sentence."
        )
    values = weights.tolist()
    for i, value in enumerate(values):
        if not isinstance(value, numbers.Real):
            raise TypeError(
                f"sample_weight[{i}] (the weight of sentence {i}) is {value!r}; "
                "weights must be real numbers."
            )
    try:
        weights = np.asarray(values, dtype=np.float64)
    except OverflowError:  # a Python int beyond float64
        raise ValueError("sample_weight holds a number beyond the range of float64; "
                         "rescale the weights.") from None
    bad = ~np.isfinite(weights) | (weights < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"sample_weight must be finite and non-negative; sample_weight[{i}] (the "
            f"weight of sentence {i}) is {weights[i].item()!r}."
        )
    return weights


@_fill_doc
def entity_precision_score(y_true, y_pred, *, scheme=None, mode=None,
                           average="micro"):
    """Share of predicted entities that are gold entities (type and span), via seqeval.

    Entities are read from BIO/IOB-style tags as conlleval reads them, unless
    ``mode='strict'``.

    Parameters
    ----------
    {tag_sequences}
    {entity_options}
    average : {'micro', 'macro', 'weighted'} or None, default='micro'
        'micro' pools the entities of all types; 'macro' averages the per-type
        scores; 'weighted' weighs them by the number of gold entities; None
        returns the per-type scores, types in sorted order.

    Returns
    -------
    precision : float or ndarray of shape (n_types,)
        0 where no entity is predicted (seqeval warns then).

    See Also
    --------
    entity_recall_score, entity_f1_score, entity_classification_report

    Examples
    --------
    >>> from sklearn_rnn.metrics import entity_precision_score
    >>> y_true = [["B-PER", "I-PER", "O", "B-LOC"]]
    >>> y_pred = [["B-PER", "I-PER", "O", "B-ORG"]]
    >>> entity_precision_score(y_true, y_pred)
    0.5
    """
    return _entity_score("entity_precision_score", "precision_score", y_true, y_pred,
                         scheme, mode, average)


@_fill_doc
def entity_recall_score(y_true, y_pred, *, scheme=None, mode=None, average="micro"):
    """Share of gold entities that are predicted (type and span), via seqeval.

    Entities are read from BIO/IOB-style tags as conlleval reads them, unless
    ``mode='strict'``.

    Parameters
    ----------
    {tag_sequences}
    {entity_options}
    average : {'micro', 'macro', 'weighted'} or None, default='micro'
        As in :func:`entity_precision_score`.

    Returns
    -------
    recall : float or ndarray of shape (n_types,)
        0 where there is no gold entity (seqeval warns then).

    See Also
    --------
    entity_precision_score, entity_f1_score, entity_classification_report

    Examples
    --------
    >>> from sklearn_rnn.metrics import entity_recall_score
    >>> y_true = [["B-PER", "I-PER", "O", "B-LOC"]]
    >>> y_pred = [["B-PER", "O", "O", "B-LOC"]]
    >>> entity_recall_score(y_true, y_pred)
    0.5
    """
    return _entity_score("entity_recall_score", "recall_score", y_true, y_pred,
                         scheme, mode, average)


@_fill_doc
def entity_f1_score(y_true, y_pred, *, scheme=None, mode=None, average="micro"):
    """Harmonic mean of entity precision and recall (conlleval's F1), via seqeval.

    Entities are read from BIO/IOB-style tags as conlleval reads them, unless
    ``mode='strict'``. This is the usual score of named-entity recognition
    (CoNLL-2003).

    Parameters
    ----------
    {tag_sequences}
    {entity_options}
    average : {'micro', 'macro', 'weighted'} or None, default='micro'
        As in :func:`entity_precision_score`.

    Returns
    -------
    f1 : float or ndarray of shape (n_types,)

    See Also
    --------
    entity_precision_score, entity_recall_score, entity_classification_report
    token_accuracy_score : Score single tags rather than entities.

    Examples
    --------
    >>> from sklearn_rnn.metrics import entity_f1_score
    >>> y_true = [["B-PER", "I-PER", "O", "B-LOC"]]
    >>> y_pred = [["B-PER", "I-PER", "O", "B-ORG"]]
    >>> entity_f1_score(y_true, y_pred)
    0.5

    conlleval starts an entity at an ``I-`` tag after ``O``; strict IOB2 does not:

    >>> y_pred = [["I-PER", "I-PER", "O", "B-LOC"]]
    >>> entity_f1_score(y_true, y_pred)
    1.0
    >>> entity_f1_score(y_true, y_pred, mode="strict", scheme="IOB2")
    0.6666...
    """
    return _entity_score("entity_f1_score", "f1_score", y_true, y_pred,
                         scheme, mode, average)


@_fill_doc
def entity_classification_report(y_true, y_pred, *, digits=2, output_dict=False,
                                 scheme=None, mode=None):
    """Entity precision, recall, F1 and support per entity type, via seqeval.

    Like :func:`sklearn.metrics.classification_report`, with one row per entity
    type and the micro, macro and weighted averages.

    Parameters
    ----------
    {tag_sequences}
    digits : int, default=2
        Decimals of the text report; ignored when ``output_dict=True``.
    output_dict : bool, default=False
        Return a dict instead of a text table.
    {entity_options}

    Returns
    -------
    report : str or dict
        The text table, or a dict from each entity type and ``'micro avg'``,
        ``'macro avg'``, ``'weighted avg'`` to a dict with the keys
        ``'precision'``, ``'recall'``, ``'f1-score'`` (floats) and ``'support'``
        (number of gold entities, an int).

    See Also
    --------
    entity_f1_score

    Examples
    --------
    >>> from sklearn_rnn.metrics import entity_classification_report
    >>> y_true = [["B-PER", "I-PER", "O", "B-LOC"]]
    >>> y_pred = [["B-PER", "O", "O", "B-LOC"]]
    >>> print(entity_classification_report(y_true, y_pred))
                  precision    recall  f1-score   support
    <BLANKLINE>
             LOC       1.00      1.00      1.00         1
             PER       0.00      0.00      0.00         1
    <BLANKLINE>
       micro avg       0.50      0.50      0.50         2
       macro avg       0.50      0.50      0.50         2
    weighted avg       0.50      0.50      0.50         2
    <BLANKLINE>
    >>> entity_classification_report(y_true, y_pred, output_dict=True)["LOC"]
    {'precision': 1.0, 'recall': 1.0, 'f1-score': 1.0, 'support': 1}
    """
    func_name = "entity_classification_report"
    _check_entity_options(func_name, scheme, mode)
    if not _is_int(digits) or digits < 0:
        raise ValueError(f"The 'digits' parameter of {func_name} must be an int "
                         f">= 0. Got {digits!r} instead.")
    y_true, y_pred = _check_entity_sequences(y_true, y_pred, scheme)
    metrics, scheme_class = _import_seqeval(scheme)
    report = metrics.classification_report(
        y_true, y_pred, digits=int(digits), output_dict=bool(output_dict),
        mode=mode, scheme=scheme_class,
    )
    if not output_dict:
        return report
    # plain Python numbers, as sklearn's classification_report gives
    return {name: {key: int(value) if key == "support" else float(value)
                   for key, value in row.items()}
            for name, row in report.items()}


# make_scorer only stores the functions: seqeval is imported when they first run.
token_accuracy_scorer = make_scorer(token_accuracy_score, response_method="predict")
entity_f1_scorer = make_scorer(entity_f1_score, response_method="predict")
entity_precision_scorer = make_scorer(entity_precision_score,
                                      response_method="predict")
entity_recall_scorer = make_scorer(entity_recall_score, response_method="predict")

_SCORERS = {
    "token_accuracy": token_accuracy_scorer,
    "entity_f1": entity_f1_scorer,
    "entity_precision": entity_precision_scorer,
    "entity_recall": entity_recall_scorer,
}


def get_tagging_scorer(name):
    """Return the tagging scorer called ``name``, for ``scoring=`` in model selection.

    Parameters
    ----------
    name : {'token_accuracy', 'entity_f1', 'entity_precision', 'entity_recall'}
        The metric: :func:`token_accuracy_score`, :func:`entity_f1_score`,
        :func:`entity_precision_score` or :func:`entity_recall_score`, each with
        its defaults. For other options build your own, e.g.
        ``make_scorer(entity_f1_score, mode="strict", scheme="IOB2")``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)`` scores ``estimator.predict(X)`` against the
        tag lists ``y``; greater is better. A copy, as
        :func:`sklearn.metrics.get_scorer` returns.

    Examples
    --------
    >>> from sklearn_rnn.metrics import get_tagging_scorer
    >>> get_tagging_scorer("entity_f1")
    make_scorer(entity_f1_score, response_method='predict')
    """
    if not isinstance(name, str) or name not in _SCORERS:
        allowed = ", ".join(repr(n) for n in _SCORERS)
        raise ValueError(f"{name!r} is not a tagging scorer; the names are "
                         f"{allowed}.{suggest(name, _SCORERS)}")
    # a copy, so that setting metadata requests on it leaves ours alone
    return copy.deepcopy(_SCORERS[name])
