"""TextVectorizer: raw documents to ragged sequences of integer ids (Keras ids)."""

import numbers
import re
from collections import Counter
from collections.abc import Mapping, Set
from itertools import chain, repeat

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions

from sklearn_rnn._ids import FIRST_WORD_ID, PAD_ID, UNKNOWN_ID
from sklearn_rnn.preprocessing._tokens import (
    IdSequences,
    dtype_advice,
    exact_id_range,
    holds,
)
from sklearn_rnn.utils._validation import (
    IntegralFloatParams,
    check_is_fitted,
    validate_params,
)

__all__ = ["TextVectorizer", "PAD_TOKEN", "OOV_TOKEN"]

# A fixed vocabulary's ids size the embedding (one row per id up to the largest),
# so they must stay far below what a table of rows can hold.
MAX_FIXED_ID = 2**24

PAD_TOKEN, OOV_TOKEN = "", "[UNK]"  # the names of ids PAD_ID and UNKNOWN_ID

# IMDB reviews contain markup such as "<br /><br />"; a tag is replaced by a space so
# the words on both sides stay apart. A tag starts with a letter, "/" or "!", so
# comparisons such as "3 < 5 and 7 > 2" are left alone.
_HTML_TAG = re.compile(r"<[/!]?[A-Za-z][^<>]{0,200}>|<!--.{0,2000}?-->", re.DOTALL)
# Words with inner apostrophes stay whole ("don't" matters for sentiment); every
# other punctuation character separates tokens and is dropped.
DEFAULT_TOKEN_PATTERN = r"(?u)\w+(?:'\w+)*"


def check_raw_documents(raw_documents, *, name="X"):
    """Return ``raw_documents`` as a list of ``str`` or raise a clear error.

    A bare string is refused with scikit-learn's message, and the first item that is
    not a string is named by its position and value.
    """
    if isinstance(raw_documents, (str, bytes)):
        raise ValueError(
            "Iterable over raw text documents expected, string object received."
        )
    if hasattr(raw_documents, "ndim") and raw_documents.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D collection of raw text documents; got an array "
            f"with shape {raw_documents.shape}."
        )
    try:
        documents = list(raw_documents)
    except TypeError:
        raise TypeError(
            f"{name} must be an iterable of str documents, got "
            f"{type(raw_documents).__name__}."
        ) from None
    for position, document in enumerate(documents):
        if isinstance(document, (bytes, bytearray)):
            raise TypeError(
                f"{name} must contain only str documents; item {position} is "
                f"{_short_repr(document)} of type {type(document).__name__}. "
                "Decode bytes first, e.g. doc.decode('utf-8')."
            )
        if not isinstance(document, str):
            raise TypeError(
                f"{name} must contain only str documents; item {position} is "
                f"{document!r} of type {type(document).__name__}. Replace missing "
                "values with '' (e.g. Series.fillna('')) or convert the items to str."
            )
    return documents


class TextVectorizer(
    IntegralFloatParams, TransformerMixin, BaseEstimator,
    auto_wrap_output_keys=None,
):
    """Turn raw text documents into sequences of integer token ids.

    Ids follow the Keras convention: ``0`` is padding, ``1`` stands for
    out-of-vocabulary tokens, and the vocabulary takes ids ``2, 3, ...`` in order of
    descending corpus frequency (total number of occurrences), ties broken
    alphabetically. The output feeds :class:`SequencePadder` and then an embedding
    layer whose input size is ``max_features``.

    Parameters
    ----------
    max_features : int or None, default=20000
        Size of the id range, *including* the two reserved ids 0 and 1, so that it
        equals the embedding's input size (Keras' ``input_dim = max_features``).
        ``None`` keeps every token. Must be at least 3.
    analyzer : {'word', 'char'} or callable, default='word'
        ``'word'`` splits standardized text with ``token_pattern``; ``'char'`` makes
        every character of the standardized text a token; a callable receives the
        raw document and returns its list of tokens (no standardization applied).
    lowercase : bool, default=True
        Convert text to lower case before tokenizing.
    strip_html : bool, default=True
        Replace HTML tags such as ``<br />`` by a space before tokenizing.
    token_pattern : str, default=r"(?u)\\w+(?:'\\w+)*"
        Regular expression of a token for ``analyzer='word'``, matching at least
        one character. The default keeps words with inner apostrophes and drops
        punctuation.
    min_df : float in [0.0, 1.0] or int, default=1
        Ignore tokens whose document frequency is lower; a float is a proportion
        of documents, an int an absolute count (as in ``CountVectorizer``).
    max_df : float in [0.0, 1.0] or int, default=1.0
        Ignore tokens whose document frequency is higher (corpus-specific stop
        words).
    vocabulary : Mapping or iterable of str, default=None
        A fixed vocabulary. An iterable of tokens gets ids ``2, 3, ...`` in its
        order; a mapping must map tokens to distinct ids ``>= 2``. Frequencies and
        ``max_features``/``min_df``/``max_df`` are then not used.
    dtype : dtype, default=np.int32
        Integer type of the returned id arrays.
    extra_vocabulary : iterable of str, default=None
        Tokens given ids after the learned (or fixed) vocabulary, whether or not
        the training texts contain them, so that words first met at predict
        time are not all read as unknown. With pretrained vectors, e.g.
        ``extra_vocabulary=glove.words[:50_000]``: their rows start as their
        vectors, so a word unseen in training is still read by its meaning.
        They come from the parameter, never from the data, so they leak nothing
        under cross-validation. Not counted by ``max_features``.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Token to id, without the reserved ids.
    n_features_ : int
        Size of the id range actually used (largest id + 1); pass it to an
        embedding layer.
    token_counts_ : dict of str to int
        Corpus frequency of every kept token (empty for a fixed vocabulary).
    stop_words_ : set of str
        Tokens dropped by ``max_features``, ``min_df`` or ``max_df``.

    See Also
    --------
    SequencePadder : Pads the ragged output to a 2-D array.
    sklearn.feature_extraction.text.CountVectorizer : Bag-of-words counterpart.

    Examples
    --------
    >>> from sklearn_rnn.preprocessing import TextVectorizer
    >>> docs = ["The movie was great!", "The plot was<br />not great."]
    >>> vectorizer = TextVectorizer().fit(docs)
    >>> vectorizer.transform(["great movie, bad plot"])
    [array([2, 5, 1, 7], dtype=int32)]
    >>> vectorizer.inverse_transform([[2, 5, 1, 7]])
    [['great', 'movie', '[UNK]', 'plot']]
    """

    _parameter_constraints = {
        "max_features": [Interval(numbers.Integral, 3, None, closed="left"), None],
        "analyzer": [StrOptions({"word", "char"}), callable],
        "lowercase": ["boolean"],
        "strip_html": ["boolean"],
        "token_pattern": [str],
        "min_df": [
            Interval(numbers.Real, 0, 1, closed="both"),
            Interval(numbers.Integral, 1, None, closed="left"),
        ],
        "max_df": [
            Interval(numbers.Real, 0, 1, closed="both"),
            Interval(numbers.Integral, 1, None, closed="left"),
        ],
        "vocabulary": [Mapping, "array-like", list, tuple, set, frozenset, None],
        "dtype": "no_validation",
        "extra_vocabulary": ["array-like", list, tuple, None],
    }
    # What a model file keeps and checks (sklearn_rnn.save/load). Ids from
    # 2**24 up are refused there, as the models refuse to size an embedding
    # from them, and get_feature_names_out holds one entry per id.
    _fitted_constraints = {
        "vocabulary_": [dict],
        "n_features_": [Interval(numbers.Integral, FIRST_WORD_ID + 1, 2**24,
                                 closed="both")],
        "token_counts_": [dict],
        "stop_words_": [set],
    }

    def __init__(
        self,
        *,
        max_features=20000,
        analyzer="word",
        lowercase=True,
        strip_html=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        min_df=1,
        max_df=1.0,
        vocabulary=None,
        dtype=np.int32,
        extra_vocabulary=None,
    ):
        self.max_features = max_features
        self.analyzer = analyzer
        self.lowercase = lowercase
        self.strip_html = strip_html
        self.token_pattern = token_pattern
        self.min_df = min_df
        self.max_df = max_df
        self.vocabulary = vocabulary
        self.dtype = dtype
        self.extra_vocabulary = extra_vocabulary

    def fit(self, X, y=None):
        """Learn the vocabulary of the documents in ``X``.

        Parameters
        ----------
        X : iterable of str
            Raw text documents (list, 1-D array or pandas Series).
        y : None
            Ignored.

        Returns
        -------
        self : TextVectorizer
        """
        self._fit_tokens(X)
        return self

    def fit_transform(self, X, y=None):
        """Learn the vocabulary and return the id sequences (tokenizes once).

        Returns
        -------
        sequences : list of ndarray of shape (n_tokens_i,)
            One 1-D array of ids per document, in document order.
        """
        return self._to_ids(self._fit_tokens(X))

    def transform(self, X):
        """Map each document to a 1-D array of token ids.

        Parameters
        ----------
        X : iterable of str
            Raw text documents.

        Returns
        -------
        sequences : list of ndarray of shape (n_tokens_i,)
            One array of ids (``dtype``) per document, in document order; an empty
            document gives an empty array; unknown tokens give id 1. The list's
            ``tokens`` attribute is ``get_feature_names_out()``, which
            :class:`SequencePadder` passes on so that a model can align
            pretrained word vectors to this vocabulary.
        """
        check_is_fitted(self, "vocabulary_")
        # parameters set after fit (set_params) shape this output too
        dtype = self._check_params()
        _check_dtype_holds_ids(dtype, self.n_features_, len(self.vocabulary_))
        return self._to_ids(self._tokenize(check_raw_documents(X)))

    def inverse_transform(self, X):
        """Map id sequences back to tokens, dropping padding.

        Parameters
        ----------
        X : iterable of sequences of int, or 2-D array
            Id sequences, e.g. the output of ``transform`` or of
            :class:`SequencePadder`.

        Returns
        -------
        tokens : list of list of str
            Tokens per sequence; out-of-vocabulary ids become ``'[UNK]'``.
        """
        check_is_fitted(self, "vocabulary_")
        if isinstance(X, (str, bytes)) or not hasattr(X, "__iter__"):
            raise TypeError(
                "X must be an iterable of id sequences (e.g. the output of "
                f"transform), got {type(X).__name__}."
            )
        names = self.get_feature_names_out()
        result = []
        for position, sequence in enumerate(X):
            ids = np.asarray(sequence)
            if not ids.size:
                result.append([])
                continue
            if (
                not np.issubdtype(ids.dtype, np.integer)
                or ids.min() < 0
                or ids.max() >= len(names)
            ):
                raise ValueError(
                    f"Sequence {position} contains ids outside [0, {len(names)}) or "
                    "non-integer ids; inverse_transform expects ids produced by "
                    "this vectorizer."
                )
            result.append(names[ids[ids != PAD_ID]].tolist())
        return result

    def get_feature_names_out(self, input_features=None):
        """Token of every id: index ``i`` holds the token of id ``i``.

        Returns
        -------
        feature_names_out : ndarray of str of shape (n_features_,)
            ``''`` for padding (id 0), ``'[UNK]'`` for id 1, then the vocabulary;
            ids a fixed vocabulary leaves unused are ``'[UNK]'`` as well.
        """
        check_is_fitted(self, "vocabulary_")
        names = np.full(self.n_features_, OOV_TOKEN, dtype=object)
        names[PAD_ID] = PAD_TOKEN
        for token, index in self.vocabulary_.items():
            names[index] = token
        return names

    def _fit_tokens(self, X):
        dtype = self._check_params()
        documents = check_raw_documents(X)
        if not documents:
            raise ValueError("X contains no documents; cannot learn a vocabulary.")
        tokenized = self._tokenize(documents)
        if self.vocabulary is not None:
            vocabulary, counts, stop_words = self._check_fixed_vocabulary(), {}, set()
        else:
            vocabulary, counts, stop_words = self._learn_vocabulary(tokenized)
        vocabulary = self._extend_vocabulary(vocabulary)
        n_features = max(vocabulary.values(), default=UNKNOWN_ID) + 1
        _check_dtype_holds_ids(dtype, n_features, len(vocabulary))
        # fitted state is set only once every check has passed
        self.vocabulary_, self.token_counts_ = vocabulary, counts
        self.stop_words_, self.n_features_ = stop_words, n_features
        return tokenized

    def _check_params(self):
        """Validate the parameters; return the resolved ``dtype``."""
        validate_params(self)
        return check_integer_dtype(self.dtype, type(self).__name__)

    def _tokenize(self, documents):
        """The token list of every document, a callable analyzer's checked with
        the document's position for the error message."""
        if callable(self.analyzer):
            return [_check_tokens(self.analyzer(doc), doc, position)
                    for position, doc in enumerate(documents)]
        analyze = self._build_analyzer()
        return [analyze(doc) for doc in documents]

    def _extend_vocabulary(self, vocabulary):
        if self.extra_vocabulary is None:
            return vocabulary
        vocabulary = dict(vocabulary)
        next_id = max(vocabulary.values(), default=UNKNOWN_ID) + 1
        for token in self.extra_vocabulary:
            if not isinstance(token, str):
                raise TypeError(
                    "The 'extra_vocabulary' parameter of TextVectorizer must "
                    f"hold str tokens; got {token!r} of type {type(token).__name__}."
                )
            if token not in vocabulary:
                vocabulary[token] = next_id
                next_id += 1
        return vocabulary

    def _learn_vocabulary(self, tokenized):
        """Return the learned vocabulary, the counts of its tokens and the
        tokens dropped."""
        counts = Counter(chain.from_iterable(tokenized))
        kept = self._filter_by_document_frequency(counts, tokenized)
        if not kept:
            raise ValueError(
                "empty vocabulary; perhaps the documents are empty, contain only "
                "punctuation or markup, or min_df/max_df remove every token."
            )
        ranked = sorted(kept, key=lambda token: (-counts[token], token))
        if self.max_features is not None:
            ranked = ranked[: self.max_features - FIRST_WORD_ID]
        vocabulary = {token: i + FIRST_WORD_ID for i, token in enumerate(ranked)}
        return (vocabulary, {token: counts[token] for token in ranked},
                set(counts) - set(ranked))

    def _filter_by_document_frequency(self, counts, tokenized):
        n_docs = len(tokenized)
        min_df = self.min_df if _is_count(self.min_df) else self.min_df * n_docs
        max_df = self.max_df if _is_count(self.max_df) else self.max_df * n_docs
        if min_df > max_df:
            raise ValueError(
                f"max_df={self.max_df!r} corresponds to fewer documents than "
                f"min_df={self.min_df!r}."
            )
        if min_df <= 1 and max_df >= n_docs:
            return list(counts)  # nothing to filter: skip the document counts
        doc_freq = Counter(chain.from_iterable(set(tokens) for tokens in tokenized))
        return [t for t, df in doc_freq.items() if min_df <= df <= max_df]

    def _check_fixed_vocabulary(self):
        if isinstance(self.vocabulary, Mapping):
            vocabulary = dict(self.vocabulary)
            _check_vocabulary_tokens(vocabulary)
        else:
            # a set has no order of its own: sort it so ids do not depend on hashing
            vocabulary = self.vocabulary
            is_set = isinstance(vocabulary, (set, frozenset))
            tokens = list(vocabulary)
            _check_vocabulary_tokens(tokens)
            tokens = sorted(tokens) if is_set else tokens
            vocabulary = {token: i + FIRST_WORD_ID for i, token in enumerate(tokens)}
            if len(vocabulary) != len(tokens):
                repeated = next(t for t, n in Counter(tokens).items() if n > 1)
                raise ValueError(
                    "The vocabulary parameter contains repeated tokens, e.g. "
                    f"{repeated!r}; each token gets one id, so list it once."
                )
        ids = list(vocabulary.values())
        bad = [i for i in ids
               if not isinstance(i, numbers.Integral) or isinstance(i, bool)
               or i < FIRST_WORD_ID]
        if bad or len(set(ids)) != len(ids):
            raise ValueError(
                "The vocabulary parameter must map tokens to distinct integer ids "
                f">= {FIRST_WORD_ID} ({PAD_ID} is padding, {UNKNOWN_ID} is "
                f"out-of-vocabulary); got "
                f"{bad[:3] or 'repeated ids'}."
            )
        if not vocabulary:
            raise ValueError("The vocabulary parameter is empty.")
        if max(ids) >= MAX_FIXED_ID:
            raise ValueError(
                f"The vocabulary parameter maps a token to id {max(ids)}; ids must be "
                f"below {MAX_FIXED_ID} (2**24), as every id up to the largest is a "
                "row of the model's embedding. Number the tokens from "
                f"{FIRST_WORD_ID} up."
            )
        return {str(token): int(i) for token, i in vocabulary.items()}

    def build_analyzer(self):
        """Return a function that splits one raw document into its tokens.

        These are the tokens ``fit`` counts and ``transform`` looks up, after
        HTML stripping and lowercasing as configured, so word vectors trained on
        them line up with the vocabulary. No fit needed.

        Returns
        -------
        analyzer : callable
            Takes a ``str`` document and returns its list of ``str`` tokens.

        Examples
        --------
        >>> from sklearn_rnn.preprocessing import TextVectorizer
        >>> analyze = TextVectorizer().build_analyzer()
        >>> analyze("Don't stop<br />the MUSIC!")
        ["don't", 'stop', 'the', 'music']
        >>> TextVectorizer(analyzer="char").build_analyzer()("Hi!")
        ['h', 'i', '!']
        """
        analyze = (_checked_analyzer(self.analyzer) if callable(self.analyzer)
                   else self._build_analyzer())
        return lambda doc: analyze(_check_document(doc))

    def _build_analyzer(self):
        """The 'word' or 'char' analyzer, for documents already checked."""
        standardize = self._build_standardizer()
        if self.analyzer == "char":
            return lambda doc: list(standardize(doc))
        findall = _compile_token_pattern(self.token_pattern).findall
        return lambda doc: findall(standardize(doc))

    def _build_standardizer(self):
        lower = str.lower if self.lowercase else str
        if not self.strip_html:
            return lower
        strip = _HTML_TAG.sub
        # most of the cost is the regex: skip it for documents without markup
        return lambda doc: lower(strip(" ", doc) if "<" in doc else doc)

    def _to_ids(self, tokenized):
        # One C-level map over the whole corpus, then one array cut into documents:
        # per-document numpy calls would cost more than the lookups themselves.
        flat = map(self.vocabulary_.get, chain.from_iterable(tokenized),
                   repeat(UNKNOWN_ID))
        ids = np.fromiter(flat, self.dtype)
        ends = np.cumsum([len(tokens) for tokens in tokenized])
        # the tokens of the ids travel with them, for pretrained word vectors
        return IdSequences(np.split(ids, ends[:-1]) if len(tokenized) else [],
                           self.get_feature_names_out())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags


def check_integer_dtype(dtype, owner):
    """Return ``np.dtype(dtype)`` if it is an integer type, else raise a clear error."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None or not np.issubdtype(resolved, np.integer):
        raise ValueError(
            f"The 'dtype' parameter of {owner} must be an integer type such as "
            f"np.int32; got {dtype!r}."
        )
    return resolved


def _compile_token_pattern(pattern):
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(
            f"The 'token_pattern' parameter of TextVectorizer is not a valid regular "
            f"expression ({exc}); got {pattern!r}."
        ) from None
    if compiled.groups > 1:
        # findall would return tuples of groups instead of tokens
        raise ValueError(
            f"The 'token_pattern' parameter of TextVectorizer has {compiled.groups} "
            "capturing groups; at most one is allowed (it selects the token). Use "
            f"non-capturing groups (?:...) instead. Got {pattern!r}."
        )
    if compiled.match("") is not None:
        # findall would return an empty token between every two tokens
        raise ValueError(
            "The 'token_pattern' parameter of TextVectorizer matches the empty "
            "string, so every document would get empty tokens; make it match at "
            f"least one character (e.g. \\w+ instead of \\w*). Got {pattern!r}."
        )
    return compiled


def _checked_analyzer(analyzer):
    """``analyzer`` with its output checked: a list of str tokens per document."""
    return lambda doc: _check_tokens(analyzer(doc), doc)


def _check_tokens(tokens, doc, position=None):
    """``tokens``, what a callable analyzer returned for ``doc``, as a list of
    str; else a TypeError naming the document (by ``position`` when given).

    A str would be read character by character, a set or dict loses the order
    of the words, and a token that is not a str cannot be looked up (a list is
    not even hashable) nor matched with pretrained word vectors.
    """
    where = f"the document {_short_repr(doc)}"
    if position is not None:
        where = f"document {position} ({_short_repr(doc)})"
    if (isinstance(tokens, (str, bytes, Set, Mapping))
            or not hasattr(tokens, "__iter__")):
        raise TypeError(
            "The 'analyzer' callable must return a list of str tokens; for "
            f"{where} it returned {_short_repr(tokens)} of type "
            f"{type(tokens).__name__}. Return the tokens in document order, e.g. "
            "doc.split(), or use analyzer='char' for characters."
        )
    tokens = tokens if isinstance(tokens, list) else list(tokens)
    # map(type) runs in C: the check costs little next to the analyzer itself
    if not all(issubclass(kind, str) for kind in set(map(type, tokens))):
        index, token = next((i, t) for i, t in enumerate(tokens)
                            if not isinstance(t, str))
        raise TypeError(
            "The 'analyzer' callable must return str tokens; for "
            f"{where} token {index} is {_short_repr(token)} of type "
            f"{type(token).__name__}. Join the parts of a compound token into "
            "one str, e.g. ' '.join(ngram)."
        )
    return tokens


def _check_document(doc):
    if not isinstance(doc, str):
        raise TypeError(
            "The analyzer takes one str document; got "
            f"{_short_repr(doc)} of type {type(doc).__name__}."
        )
    return doc


def _check_vocabulary_tokens(tokens):
    """Refuse a token of the vocabulary parameter that is not a str: the
    analyzer's tokens are, so it would never match (and ``1`` and ``'1'``
    would collide once converted)."""
    for token in tokens:
        if not isinstance(token, str):
            raise TypeError(
                "The 'vocabulary' parameter of TextVectorizer must hold str tokens; "
                f"got {_short_repr(token)} of type {type(token).__name__}."
            )


def _check_dtype_holds_ids(dtype, n_features, n_tokens):
    """Refuse an integer ``dtype`` too small for the vocabulary's ids, which
    numpy would otherwise report as an overflow of some Python integer."""
    largest = n_features - 1
    if holds(dtype, 0, largest):
        return
    raise ValueError(
        f"The 'dtype' parameter of TextVectorizer is {dtype}, which holds ids "
        f"only up to {exact_id_range(dtype)[1]}, but the vocabulary of {n_tokens} "
        f"token{'s' * (n_tokens != 1)} (after the {FIRST_WORD_ID} reserved ids) "
        f"has ids up to {largest}: "
        f"{dtype_advice(0, largest, dtype)}."
    )


def _short_repr(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_count(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)
