"""SequencePadder: ragged id sequences to a 2-D array, as Keras ``pad_sequences``."""

import math
import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions

from sklearn_rnn._ids import PAD_ID
from sklearn_rnn.preprocessing._tokens import (
    TokenIdArray,
    dtype_advice,
    exact_id_range,
    holds,
    tokens_of,
)
from sklearn_rnn.utils._system import physical_memory
from sklearn_rnn.utils._validation import (
    IntegralFloatParams,
    check_is_fitted,
    human_bytes,
    validate_params,
)

__all__ = ["SequencePadder", "check_id_range", "check_sequences"]


def check_sequences(X, *, name="X"):
    """Return ``X`` as a list of 1-D numeric arrays, or raise a clear error.

    Accepts the output of :class:`TextVectorizer`, lists of lists and 2-D arrays
    (each row is one sequence).
    """
    if isinstance(X, (str, bytes)):
        raise TypeError(
            f"{name} must be a collection of integer id sequences, got a string; "
            "pass raw text through TextVectorizer first."
        )
    if sp.issparse(X):
        raise TypeError(
            f"{name} is a sparse matrix; sparse input is not supported. Pass a list "
            "of id sequences or a dense 2-D array."
        )
    if not isinstance(X, (list, tuple, np.ndarray)) and hasattr(X, "__array__"):
        X = np.asarray(X)
    if isinstance(X, np.ndarray) and X.dtype != object and X.ndim != 2:
        raise ValueError(
            f"{name} must be a list of sequences or a 2-D array; got an array "
            f"with shape {X.shape}."
        )
    if not hasattr(X, "__iter__"):
        raise TypeError(
            f"{name} must be a collection of integer id sequences, got "
            f"{type(X).__name__}."
        )
    return [_check_sequence(sequence, position, name) for position, sequence
            in enumerate(X)]


def _check_sequence(sequence, position, name):
    array = None if isinstance(sequence, str) else np.asarray(sequence)
    if array is not None and array.dtype == object and array.ndim == 1:
        array = np.asarray(array.tolist())  # e.g. rows of an object 2-D array
    if array is not None and array.ndim == 1:
        array = _exact_integers(array, sequence)
    if array is None or array.ndim != 1 or not _is_numeric(array):
        raise TypeError(
            f"{name} must contain 1-D sequences of integer ids; item {position} "
            f"is {_short_repr(sequence)}. Pass raw text through TextVectorizer "
            "first."
        )
    if np.iscomplexobj(array):
        raise ValueError(
            f"Complex data not supported: item {position} of {name} is complex."
        )
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(
            f"Input {name} contains NaN or infinity in item {position}; ids must "
            "be finite integers."
        )
    return array


def _exact_integers(array, sequence):
    """``array``, or its integers as exact Python ints in an object array; None
    for an object array of anything else.

    numpy turns integers that no single integer dtype holds (``2**64``, or
    ``2**63`` next to ``-1``) into objects or float64, which would round them;
    kept as Python ints, the range check sees the very id that was given.
    """
    if array.dtype == object:
        items = array.tolist()
    elif array.dtype.kind == "f" and isinstance(sequence, (list, tuple)):
        items = sequence
    else:
        return array
    if not len(items):
        return array
    if all(isinstance(item, numbers.Integral)
           and not isinstance(item, (bool, np.bool_)) for item in items):
        return np.array([int(item) for item in items], dtype=object)
    return None if array.dtype == object else array


def _is_numeric(array):
    # object arrays left here hold exact integers (_exact_integers)
    return (array.size == 0 or array.dtype == object
            or np.issubdtype(array.dtype, np.number))


def check_id_range(sequences, dtype, *, owner="SequencePadder"):
    """Raise ValueError if ``dtype`` cannot hold every id of ``sequences`` exactly.

    The range is checked in each sequence's own dtype, before any cast: a cast
    (or numpy's promotion of int64 next to uint64 to float64) would wrap or
    round an id into another one.
    """
    by_dtype = {}
    for sequence in sequences:
        if sequence.size:
            by_dtype.setdefault(sequence.dtype, []).append(sequence)
    # an integer dtype that the output dtype holds whole needs no scan
    unsure = [group for source, group in by_dtype.items()
              if source.kind not in "iu" or not holds(dtype, *exact_id_range(source))]
    if not unsure or holds(dtype, *_bounds(unsure)):
        return
    low, high = _bounds(by_dtype.values())
    position, bad = next(
        (position, item) for position, sequence in enumerate(sequences)
        for item in sequence.tolist() if not holds(dtype, item, item)
    )
    dtype = np.dtype(dtype)
    dtype_low, dtype_high = exact_id_range(dtype)
    parameter = f"the 'dtype' parameter of {owner}"
    if dtype.kind == "f":
        reason = (f"which dtype {dtype}, {parameter}, cannot hold exactly (it "
                  f"rounds integers outside [{dtype_low}, {dtype_high}])")
    else:
        reason = (f"outside the range of dtype {dtype} [{dtype_low}, {dtype_high}], "
                  f"{parameter}")
    extent = f"the largest id is {_format_id(high)}"
    if low < 0:
        extent = f"the ids range from {_format_id(low)} to {_format_id(high)}"
    raise ValueError(
        f"Sequence {position} contains the id {_format_id(bad)}, {reason}; "
        f"{extent}: {dtype_advice(low, high, dtype)}."
    )


def _bounds(groups):
    """Smallest and largest id of groups of same-dtype sequences, as exact
    Python numbers."""
    extremes = [_python_number(function(np.concatenate(group)))
                for group in groups for function in (np.min, np.max)]
    return min(extremes), max(extremes)


def _python_number(value):
    return value.item() if isinstance(value, np.generic) else value


def _format_id(value):
    """An integral float id as an int (3000, not 3000.0)."""
    if isinstance(value, numbers.Integral) or float(value).is_integer():
        return int(value)
    return value


def _short_repr(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class SequencePadder(
    IntegralFloatParams, TransformerMixin, BaseEstimator
):
    """Pad or truncate id sequences to a common length (Keras ``pad_sequences``).

    With ``truncation='always'`` the output equals ``keras.utils.pad_sequences``
    with the same ``maxlen``, ``padding``, ``truncating``, ``value`` and
    ``dtype``, except that the length is learned in ``fit`` so training and test
    data get the same shape.

    By default (``truncation='train'``) only the training data is truncated:
    ``fit_transform``, which a :class:`~sklearn.pipeline.Pipeline` calls on the
    data the next step trains on, cuts sequences to ``maxlen_`` to keep batches
    short, while ``transform``, called on the texts to predict, keeps every
    token and pads to ``maxlen_`` or to the longest sequence, whichever is
    longer. A model trained on short texts then still reads all the words of a
    longer text. The models of this library accept any row width.

    Parameters
    ----------
    maxlen : int, 'auto' or None, default='auto'
        Length of the output rows. ``None`` uses the longest sequence seen in
        ``fit``; ``'auto'`` uses the ``percentile``-th percentile of the training
        lengths (rounded up), so that a few very long documents do not blow up
        every batch. Rows are exactly this long, so an output that would not
        fit in the machine's memory is refused with a MemoryError before it is
        allocated.
    padding : {'pre', 'post'}, default='pre'
        Pad at the start (``'pre'``) or the end of each sequence.
    truncating : {'pre', 'post'}, default='pre'
        Remove tokens from the start (``'pre'``, keeping the end of long
        documents) or from the end of sequences longer than ``maxlen_``.
    value : int or float, default=0
        Padding value, a finite number that ``dtype`` holds exactly; 0 is the
        padding id every model of this library expects.
    dtype : dtype, default=np.int32
        Type of the output array: an integer type, or a float type for ids it
        holds exactly (float16 every integer up to 2048, float32 up to
        ``2**24``). An id outside that range, in ``fit`` or ``transform``, is
        an error naming the smallest dtype that holds it, never a wrapped or
        rounded id. Fractional values are truncated by an integer type and kept
        by a float type, as in Keras.
    percentile : float in (0, 100], default=99
        Percentile of training lengths used when ``maxlen='auto'``. Truncating
        sentences cuts words that decide their class (a question's first word
        with ``truncating='pre'``), so only the longest 1% of training texts
        are cut by default, which keeps outliers from widening the array.
    truncation : {'train', 'always'}, default='train'
        When sequences longer than ``maxlen_`` are cut: only in
        ``fit_transform`` (``'train'``), or also in ``transform`` (``'always'``,
        Keras' fixed shape, for models that need one, or to bound the time
        spent on pathologically long texts to predict).

    Attributes
    ----------
    maxlen_ : int
        Length of the output rows.

    See Also
    --------
    TextVectorizer : Produces the ragged sequences this transformer pads.

    Examples
    --------
    >>> from sklearn_rnn.preprocessing import SequencePadder
    >>> SequencePadder(maxlen=3).fit_transform([[1, 2], [3, 4, 5, 6], []])
    array([[0, 1, 2],
           [4, 5, 6],
           [0, 0, 0]], dtype=int32)
    >>> SequencePadder(maxlen=3, padding="post", truncating="post").fit_transform(
    ...     [[1, 2], [3, 4, 5, 6]])
    array([[1, 2, 0],
           [3, 4, 5]], dtype=int32)

    Texts to predict keep all their tokens unless ``truncation='always'``:

    >>> padder = SequencePadder(maxlen=3).fit([[1, 2], [3, 4, 5]])
    >>> padder.transform([[1], [2, 3, 4, 5]])
    array([[0, 0, 0, 1],
           [2, 3, 4, 5]], dtype=int32)
    >>> padder.set_params(truncation="always").transform([[1], [2, 3, 4, 5]])
    array([[0, 0, 1],
           [3, 4, 5]], dtype=int32)
    """

    _parameter_constraints = {
        "maxlen": [Interval(numbers.Integral, 1, None, closed="left"),
                   StrOptions({"auto"}), None],
        "padding": [StrOptions({"pre", "post"})],
        "truncating": [StrOptions({"pre", "post"})],
        # an Interval, not a type, so that validate_params refuses value=True
        "value": [Interval(numbers.Real, None, None, closed="neither")],
        "dtype": "no_validation",
        "percentile": [Interval(numbers.Real, 0, 100, closed="right")],
        "truncation": [StrOptions({"train", "always"})],
    }
    # What a model file keeps and checks (sklearn_rnn.save/load).
    _fitted_constraints = {
        "maxlen_": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        maxlen="auto",
        padding="pre",
        truncating="pre",
        value=PAD_ID,
        dtype=np.int32,
        percentile=99,
        truncation="train",
    ):
        self.maxlen = maxlen
        self.padding = padding
        self.truncating = truncating
        self.value = value
        self.dtype = dtype
        self.percentile = percentile
        self.truncation = truncation

    def fit(self, X, y=None):
        """Learn ``maxlen_`` from the training sequences.

        Parameters
        ----------
        X : list of 1-D array-like of int, or 2-D array
            Id sequences, e.g. the output of :class:`TextVectorizer`.
        y : None
            Ignored.

        Returns
        -------
        self : SequencePadder
        """
        self._fit(X)
        return self

    def _fit(self, X):
        """Validate, learn ``maxlen_`` and return the checked sequences."""
        dtype = self._check_params()
        sequences = check_sequences(X)
        if not sequences:
            raise ValueError("X contains no sequences; cannot learn maxlen.")
        check_id_range(sequences, dtype)
        lengths = np.fromiter(map(len, sequences), np.int64, len(sequences))
        if isinstance(self.maxlen, numbers.Integral):
            self.maxlen_ = int(self.maxlen)
        elif self.maxlen is None:
            self.maxlen_ = max(int(lengths.max()), 1)
        else:
            self.maxlen_ = max(math.ceil(np.percentile(lengths, self.percentile)), 1)
        return sequences

    def fit_transform(self, X, y=None):
        """Learn ``maxlen_`` and pad and truncate the training sequences to it.

        Parameters
        ----------
        X : list of 1-D array-like of int, or 2-D array
            Id sequences, e.g. the output of :class:`TextVectorizer`.
        y : None
            Ignored.

        Returns
        -------
        padded : ndarray of shape (n_sequences, maxlen_)
        """
        sequences = self._fit(X)
        return _with_tokens_of(X, self._pad(sequences, truncate=True))

    def transform(self, X):
        """Pad every sequence; truncate to ``maxlen_`` only if
        ``truncation='always'``.

        Parameters
        ----------
        X : list of 1-D array-like of int, or 2-D array
            Id sequences.

        Returns
        -------
        padded : ndarray of shape (n_sequences, n_steps)
            ``n_steps`` is ``maxlen_``, or with ``truncation='train'`` the
            length of the longest sequence of ``X`` if that is longer.
        """
        check_is_fitted(self, "maxlen_")
        # parameters set after fit (set_params) shape this output too
        dtype = self._check_params()
        sequences = check_sequences(X)
        check_id_range(sequences, dtype)
        padded = self._pad(sequences, truncate=self.truncation == "always")
        return _with_tokens_of(X, padded)

    def _pad(self, sequences, truncate):
        maxlen = self.maxlen_
        if not truncate and sequences:
            maxlen = max(maxlen, max(map(len, sequences)))
        memory = physical_memory()
        needed = len(sequences) * maxlen * np.dtype(self.dtype).itemsize
        if memory is not None and needed > memory:
            raise self._size_error(len(sequences), maxlen, needed, memory)
        try:
            return pad_sequences(
                sequences, maxlen, padding=self.padding,
                truncating=self.truncating, value=self.value, dtype=self.dtype,
            )
        except MemoryError:  # where the system does not say its memory size
            raise self._size_error(len(sequences), maxlen, needed, None) from None

    def _size_error(self, n_sequences, width, needed, memory):
        """The error for an output larger than memory, raised before allocating:
        rows are exactly ``maxlen_`` wide (as Keras pads), so a huge ``maxlen``
        would otherwise reach numpy's allocation error, or the system's
        out-of-memory killer once the padding value is written."""
        available = ("this machine's memory" if memory is None
                     else f"this machine's {human_bytes(memory)} of memory")
        return MemoryError(
            f"Padding {n_sequences} sequences to {width} columns (maxlen_="
            f"{self.maxlen_}, from the 'maxlen' parameter {self.maxlen!r}) needs "
            f"an array of {n_sequences} x {width} {np.dtype(self.dtype)} = "
            f"{needed} bytes ({human_bytes(needed)}), more than {available}. "
            "Lower maxlen, use maxlen='auto', or transform fewer sequences at a "
            "time."
        )

    def _check_params(self):
        """Validate the parameters; return the resolved ``dtype``."""
        validate_params(self)
        try:
            dtype = np.dtype(self.dtype)
        except TypeError:
            dtype = None
        if dtype is None or not np.issubdtype(dtype, np.number) or dtype.kind == "c":
            raise ValueError(
                "The 'dtype' parameter of SequencePadder must be an integer or float "
                f"type such as np.int32; got {self.dtype!r}."
            )
        if not _fits(self.value, dtype):
            raise ValueError(
                f"The 'value' parameter of SequencePadder is {self.value!r}, which "
                f"dtype {dtype} cannot hold exactly; choose a value in "
                f"{list(exact_id_range(dtype))} (0 is the padding id of every "
                "model of this library)."
            )
        return dtype

    def __sklearn_tags__(self):
        # 2-D arrays are valid input (one sequence per row), ragged lists too.
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        return tags


def _with_tokens_of(X, padded):
    """``padded``, carrying the token of every id when ``X`` does
    (:class:`TextVectorizer`'s output), for pretrained word vectors."""
    tokens = tokens_of(X)
    return padded if tokens is None else TokenIdArray(padded, tokens)


def pad_sequences(sequences, maxlen, *, padding="pre", truncating="pre", value=PAD_ID,
                  dtype=np.int32):
    """Vectorized Keras ``pad_sequences`` for a list of 1-D numeric arrays.

    Raises ValueError when a kept id is outside the range of an integer ``dtype``.
    """
    lengths = np.fromiter(map(len, sequences), np.int64, len(sequences))
    kept = np.minimum(lengths, maxlen)
    out = np.full((len(sequences), maxlen), value, dtype=dtype)
    if not kept.sum():
        return out
    # check_id_range has made sure every id fits: one cast, exact, whatever
    # mix of dtypes the sequences have (int64 next to uint64 promotes to float64)
    flat = np.concatenate([np.asarray(s).ravel() for s in sequences],
                          dtype=out.dtype, casting="unsafe")
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    if truncating == "pre":
        starts += lengths - kept
    first_column = maxlen - kept if padding == "pre" else np.zeros_like(kept)
    rows = np.repeat(np.arange(len(sequences)), kept)
    # position of every kept token within its own sequence: 0, 1, ..., kept_i - 1
    offsets = np.arange(kept.sum()) - np.repeat(np.cumsum(kept) - kept, kept)
    values = flat[np.repeat(starts, kept) + offsets]
    out[rows, np.repeat(first_column, kept) + offsets] = values
    return out


def _fits(value, dtype):
    """True if ``dtype`` holds the finite padding ``value`` exactly: an integer
    dtype an integer in its range, a float dtype also fractions, but not values
    it would round or overflow."""
    if np.dtype(dtype).kind in "iu" and not float(value).is_integer():
        return False
    return holds(dtype, value, value)


