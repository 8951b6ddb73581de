"""CharLanguageModel: character-level recurrent language model with sampling."""

import math
import numbers
import warnings
from array import array
from itertools import repeat

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, InvalidParameterError
from skorch import NeuralNet
from skorch.utils import to_tensor
from tqdm.auto import trange

from sklearn_rnn._ids import FIRST_WORD_ID, UNKNOWN_ID
from sklearn_rnn.estimators._base import COMMON_CONSTRAINTS, RNNEstimatorBase
from sklearn_rnn.estimators._batching import ChunkBatches, StreamBatches, TextChunks
from sklearn_rnn.estimators._docs import fill_doc
from sklearn_rnn.estimators._guards import keeps_fitted_state
from sklearn_rnn.estimators._training import NetMixin, thread_count
from sklearn_rnn.nn import CharLMModule
from sklearn_rnn.nn._char_lm import sampling_weights
from sklearn_rnn.persistence._state import Array, loadable
from sklearn_rnn.utils._validation import (
    check_is_fitted,
    integral,
    user_stacklevel,
)

__all__ = ["CharLanguageModel"]

FIRST_CHAR_ID = FIRST_WORD_ID  # characters take the ids words take; 0 stays unused
IGNORE = -100  # cross-entropy target that counts nothing
DOCUMENT_SEPARATOR = "\n"
# A sanity bound that turns a mistyped n_chars into an error, not a hang.
MAX_GENERATED_CHARS = 10**9


class _LanguageModelNet(NetMixin, NeuralNet):
    """skorch net whose loss is the cross-entropy of every next character.

    With ``stateful=True`` (batches from :class:`StreamBatches`), each batch
    starts from the recurrent state the previous batch ended in, detached from
    its graph; every epoch and every validation pass starts from a zero state.
    """

    def __init__(self, *args, stateful=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.stateful = stateful
        self.stream_states_ = None

    def run_single_epoch(self, *args, **kwargs):
        self.stream_states_ = [] if self.stateful else None
        try:
            return super().run_single_epoch(*args, **kwargs)
        finally:
            self.stream_states_ = None

    def infer(self, x, **fit_params):
        if self.stream_states_ is None:
            return super().infer(x, **fit_params)
        tokens = to_tensor(x["tokens"], device=self.device)
        with self.autocast():
            logits, states = self.module_.step(tokens, self.stream_states_ or None)
        self.stream_states_ = [_detached(state) for state in states]
        return logits.float()

    def per_sample_loss(self, y_pred, y_true, X=None, training=False):
        y_true = to_tensor(y_true, device=self.device)
        return self.criterion_(y_pred.reshape(-1, y_pred.shape[-1]), y_true.reshape(-1))


@fill_doc(
    "cell_type", "units", "num_layers", "embedding_dim", "dropout", "optimizer", "lr",
    "weight_decay", "clip_grad_norm", "batch_size", "max_epochs", "early_stopping",
    "patience", "lr_schedule", "reduce_lr_on_plateau", "device", "precision",
    "random_state", "verbose", "callbacks", "warm_start", "checkpoint_dir",
    "n_threads",
)
@loadable
class CharLanguageModel(RNNEstimatorBase):
    """Character-level recurrent language model that generates text.

    Training is sequence to sequence with truncated backpropagation through time
    (TBPTT): the model predicts every next character of chunks of ``seq_length``
    characters, and gradients flow back at most ``seq_length`` steps.

    By default (``stateful=False``) every chunk starts from a zero state: each
    epoch cuts the text at a new random offset and visits the chunks in random
    order, so batches are independent. With ``stateful=True`` the text is read as
    ``batch_size`` contiguous streams side by side, one per batch row, and each
    batch starts from the state the previous batch ended in (as char-rnn and
    AWD-LSTM train); each epoch starts the streams from a zero state at a new
    random offset. Stateful training fits the training text faster, but on Tiny
    Shakespeare it generalised slightly worse than independent chunks
    (``examples/char_lm_shakespeare.py``; benchmarks/RESULTS.md has the
    figures). Either way, :meth:`score` and :meth:`generate` carry the state
    through the whole text.

    The validation data is the *last* ``validation_split`` of the text, one
    contiguous block, as in nanoGPT: no validation character ever appears in a
    training chunk. It is read the way training reads text: in chunks from a
    zero state (nanoGPT's estimate) or, with ``stateful=True``, as a few long
    streams, which gives a ``valid_loss`` close to :meth:`score`.

    Parameters
    ----------
    {shared_parameters}
    recurrent_dropout : float in [0, 1), default=0.0
        DropConnect on the recurrent weights, one mask per batch (AWD-LSTM).
    seq_length : int, default=128
        Characters per training chunk (the truncated-BPTT horizon).
    stateful : bool, default=False
        Carry the recurrent state from each chunk to the next one of its stream
        during training; False starts every chunk from a zero state.
    validation_split : float in (0, 1) or None, default=0.1
        Fraction of the text, taken from its end, used as validation data.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Character to id; id 1 stands for unknown characters.
    chars_ : ndarray of str
        ``chars_[i]`` is the character of id ``i``.
    net_ : skorch.NeuralNet
        The trained skorch net; ``net_.module_`` is the torch module.
    history_ : skorch.History
        Per-epoch ``train_loss`` and ``valid_loss`` in nats per character.
    n_epochs_ : int
        Epochs run.
    best_epoch_ : int
        Epoch whose weights the model holds (1-based).
    device_ : str
        Device trained on.
    precision_ : {'float32', 'bfloat16'}
        Arithmetic used.

    Examples
    --------
    >>> from sklearn_rnn import CharLanguageModel
    >>> lm = CharLanguageModel(units=32, num_layers=1, seq_length=16, max_epochs=3,
    ...                        validation_split=None, early_stopping=False,
    ...                        random_state=0)
    >>> lm = lm.fit("to be or not to be, that is the question. " * 20)
    >>> text = lm.generate("to be", n_chars=20, temperature=0.5, random_state=0)
    >>> len(text)
    25
    >>> round(lm.bits_per_char("to be or not to be"), 1) < 4.5
    True
    """

    _parameter_constraints = {
        **COMMON_CONSTRAINTS,
        "recurrent_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "seq_length": [Interval(numbers.Integral, 1, None, closed="left")],
        "stateful": ["boolean"],
    }
    _fitted_constraints = {**RNNEstimatorBase._fitted_constraints,
                           "chars_": [Array("O", min_length=3)]}
    _architecture = (*RNNEstimatorBase._architecture, "embedding_dim")

    def __init__(
        self,
        *,
        cell_type="lstm",
        units=512,
        num_layers=2,
        embedding_dim=64,
        dropout=0.25,
        recurrent_dropout=0.0,
        seq_length=128,
        stateful=False,
        optimizer="adam",
        lr=2e-3,
        lr_schedule="cosine",
        weight_decay=0.0,
        clip_grad_norm=1.0,
        batch_size=64,
        max_epochs=20,
        validation_split=0.1,
        early_stopping=True,
        patience=3,
        reduce_lr_on_plateau=False,
        device="cpu",
        precision="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        warm_start=False,
        checkpoint_dir=None,
        n_threads=None,
    ):
        self.cell_type = cell_type
        self.units = units
        self.num_layers = num_layers
        self.embedding_dim = embedding_dim
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.seq_length = seq_length
        self.stateful = stateful
        self.optimizer = optimizer
        self.lr = lr
        self.lr_schedule = lr_schedule
        self.weight_decay = weight_decay
        self.clip_grad_norm = clip_grad_norm
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.patience = patience
        self.reduce_lr_on_plateau = reduce_lr_on_plateau
        self.device = device
        self.precision = precision
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.checkpoint_dir = checkpoint_dir
        self.n_threads = n_threads

    @keeps_fitted_state
    def fit(self, X, y=None):
        """Learn the character vocabulary and train on the text.

        Parameters
        ----------
        X : str or iterable of str
            One text, or documents joined with newlines.
        y : None
            Ignored.

        Returns
        -------
        self : CharLanguageModel
        """
        device, precision = self._validate()
        text = _join_documents(X)
        if self.warm_start and hasattr(self, "net_"):
            chars, vocabulary = self.chars_, self.vocabulary_
            ids = self._encode(text)
        else:
            # The separator is always known: generation from an empty prompt
            # starts as after one.
            chars = sorted(set(text) | {DOCUMENT_SEPARATOR})
            chars = np.array(["", "\ufffd", *chars], dtype=object)
            vocabulary = _char_vocabulary(chars)
            ids = _to_ids(text, vocabulary)
        train, valid = self._split(ids)
        # Fitted state changes only once the corpus is known to be usable.
        self.device_, self.precision_ = device, precision
        self.chars_, self.vocabulary_ = chars, vocabulary
        net = self._build_net(valid)
        self._train(net, train, has_validation=valid is not None)
        return self

    def _rebuild_net(self):
        self.vocabulary_ = _char_vocabulary(self.chars_)
        return self._build_net(None)

    def _build_net(self, valid):
        return self._new_net(
            _LanguageModelNet,
            module=CharLMModule,
            module__vocab_size=len(self.chars_),
            module__embedding_dim=self.embedding_dim,
            module__cell_type=self.cell_type,
            module__units=self.units,
            module__num_layers=self.num_layers,
            module__dropout=self.dropout,
            module__recurrent_dropout=self.recurrent_dropout,
            criterion=torch.nn.CrossEntropyLoss,
            criterion__reduction="none",
            callbacks=self._callbacks(valid is not None),
            stateful=self.stateful,
            **self._net_kwargs(
                valid, iterator=StreamBatches if self.stateful else ChunkBatches),
        )

    def _split(self, ids):
        chunk = self.seq_length + 1
        n_valid = 0 if self.validation_split is None else math.ceil(
            len(ids) * self.validation_split)
        if n_valid == 0 and len(ids) < chunk:
            raise ValueError(
                f"The text has {len(ids)} characters: too short for one chunk of "
                f"seq_length={self.seq_length} (+1). Use more text or a smaller "
                "seq_length."
            )
        if len(ids) - n_valid < chunk or 0 < n_valid < chunk:
            raise ValueError(
                f"The text has {len(ids)} characters: too short for chunks of "
                f"seq_length={self.seq_length} (+1) in both the training part and "
                f"the validation part (validation_split={self.validation_split}). "
                "Use more text, a smaller seq_length or validation_split=None."
            )
        split = len(ids) - n_valid
        train = TextChunks(ids[:split], self.seq_length)
        return train, TextChunks(ids[split:], self.seq_length) if n_valid else None

    def _encode(self, text):
        ids = _to_ids(text, self.vocabulary_)
        if (ids == UNKNOWN_ID).any():
            unknown = sorted({c for c in text if c not in self.vocabulary_})
            warnings.warn(
                f"Characters not seen in fit map to the unknown id: {unknown[:10]!r}",
                UserWarning, stacklevel=user_stacklevel(),
            )
        return ids

    def score(self, X, y=None):
        """Mean log-likelihood per character of ``X`` (nats; higher is better).

        Each character is predicted from *all* the text before it: the recurrent
        state is carried through the text, as when generating. For speed, a long
        text is read as up to 64 contiguous segments in parallel, each starting
        from a zero state. (With ``stateful=False``, the ``valid_loss`` in
        ``history_`` reads chunks of ``seq_length`` characters, each from a zero
        state, like nanoGPT's estimate; it is higher because a chunk's first
        characters lack context.)

        Parameters
        ----------
        X : str or iterable of str
            Text to score, at least 2 characters (documents are joined with
            newlines); the first character is only context.
        y : None
            Ignored.

        Returns
        -------
        score : float
        """
        check_is_fitted(self, "net_")
        text = _join_documents(X)
        # checked before encoding, so that a refused text does not also warn
        # about its unseen characters
        if len(text) < 2:
            raise ValueError(
                f"X has {len(text)} character: each character after the first is "
                "predicted from the ones before it, so X must contain at least 2 "
                "characters to be scored."
            )
        ids = torch.as_tensor(self._encode(text))
        with thread_count(self.n_threads, type(self).__name__):
            return mean_log_likelihood(self.net_, ids, self.seq_length)

    def perplexity(self, X):
        """Perplexity per character of ``X``: ``exp(-score(X))``.

        ``inf`` when the text is too unlikely for a float (more than about 709
        nats per character).
        """
        with np.errstate(over="ignore"):
            return float(np.exp(-self.score(X)))

    def bits_per_char(self, X):
        """Cross-entropy of ``X`` in bits per character: ``-score(X) / ln 2``."""
        return -self.score(X) / math.log(2)

    def generate(self, prompt="", n_chars=200, temperature=1.0, top_k=None,
                 random_state=None):
        """Sample ``n_chars`` characters after ``prompt``.

        The prompt is read once; then the recurrent state advances one sampled
        character at a time. Memory grows with the text produced.

        Parameters
        ----------
        prompt : str, default=''
            Text to continue; an empty prompt starts as after a newline.
            Characters not seen in ``fit`` map to the unknown id, with a warning.
        n_chars : int in [0, 10**9], default=200
            Number of characters to sample.
        temperature : float > 0, default=1.0
            Divides the logits: below 1 is more conservative, above 1 more
            surprising. Any finite positive value works: a tiny one samples
            greedily (its limit), a huge one nearly uniformly. 0 is refused, as
            in nanoGPT and Hugging Face; ``top_k=1`` decodes greedily.
        top_k : int >= 1, default=None
            Sample only among the ``top_k`` most likely characters (and any that
            tie the last of them); a ``top_k`` of at least the number of
            characters, or None, samples among all of them.
        random_state : int in [0, 2**32 - 1], RandomState instance or None, \
default=None
            Seed of the sampling; the same seed gives the same text.

        Returns
        -------
        text : str
            ``prompt`` followed by the sampled characters.
        """
        check_is_fitted(self, "net_")
        prompt, n_chars, temperature, top_k, rng = self._check_generate_args(
            prompt, n_chars, temperature, top_k, random_state)
        ids = self._encode(prompt or DOCUMENT_SEPARATOR)
        generator = torch.Generator().manual_seed(int(rng.randint(2**31 - 1)))
        with thread_count(self.n_threads, type(self).__name__):
            sampled = self._sample(torch.as_tensor(ids), n_chars, temperature, top_k,
                                   generator)
        return prompt + "".join(self.chars_[sampled])

    def _sample(self, ids, n_chars, temperature, top_k, generator):
        module = self.net_.module_.eval()
        # grown one id at a time rather than allocated for n_chars up front, so
        # a generation that stops early never held more than it produced
        sampled = array("q")
        with torch.inference_mode():
            logits, states = module.step(ids.view(1, -1).to(self.device_))
            for _ in trange(n_chars, disable=self.verbose < 2 or n_chars < 1000,
                            desc="generate", unit="char", leave=False):
                scores = logits[0, -1].cpu().double()  # a copy: safe to mask
                scores[:FIRST_CHAR_ID] = -math.inf  # never emit padding or unknown
                weights = sampling_weights(scores, temperature, top_k)
                next_id = torch.multinomial(weights, 1, generator=generator)
                sampled.append(next_id.item())
                logits, states = module.step(next_id.view(1, 1).to(self.device_),
                                             states)
        return np.frombuffer(sampled, dtype=np.int64)

    @staticmethod
    def _check_generate_args(prompt, n_chars, temperature, top_k, random_state):
        """The arguments of :meth:`generate` checked and normalised, the seed as a
        RandomState."""
        n_chars = _count("n_chars", n_chars, "an int >= 0", low=0)
        if n_chars > MAX_GENERATED_CHARS:
            raise InvalidParameterError(
                f"n_chars must be at most {MAX_GENERATED_CHARS} (the characters one "
                f"call generates), got {_shown(n_chars)}."
            )
        if top_k is not None:
            top_k = _count("top_k", top_k, "None or an int >= 1", low=1)
        return (_check_prompt(prompt), n_chars, _check_temperature(temperature),
                top_k, _check_random_state(random_state))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.target_tags.required = False
        return tags


def _check_prompt(prompt):
    if isinstance(prompt, str):
        return str(prompt)  # a str subclass such as numpy's str_ gives a str
    if isinstance(prompt, (bytes, bytearray)):
        hint = "; decode it first, e.g. prompt.decode('utf-8')"
    elif prompt is None:
        hint = "; use '' to start from nothing"
    elif isinstance(prompt, (list, tuple, np.ndarray)):
        hint = "; generate from one prompt per call"
    else:
        hint = ""
    raise TypeError(f"prompt must be a str, got {type(prompt).__name__}{hint}.")


def _check_temperature(temperature):
    if isinstance(temperature, (bool, np.bool_)) or not isinstance(
            temperature, numbers.Real):
        raise InvalidParameterError(
            f"temperature must be a number > 0, got {_shown(temperature)}.")
    try:
        value = float(temperature)
    except OverflowError:  # an int (or Fraction) beyond the largest float
        value = math.inf if temperature > 0 else -math.inf
    if not value > 0:  # also NaN
        raise InvalidParameterError(
            f"temperature must be a number > 0, got {_shown(temperature)}; use a "
            "small value such as 0.1 for nearly greedy sampling, or top_k=1 for "
            "greedy decoding."
        )
    if value == math.inf:
        raise InvalidParameterError(
            f"temperature must be a finite number > 0, got {_shown(temperature)}; "
            "a large value such as 100 samples nearly uniformly."
        )
    return value


def _check_random_state(random_state):
    random_state = integral(random_state)
    if random_state is None or isinstance(random_state, np.random.RandomState):
        return check_random_state(random_state)
    if (isinstance(random_state, numbers.Integral)
            and not isinstance(random_state, bool) and 0 <= random_state < 2**32):
        return check_random_state(int(random_state))
    raise InvalidParameterError(
        "random_state must be None, an int in [0, 2**32 - 1] or a numpy "
        f"RandomState, got {_shown(random_state)}."
    )


def _count(name, value, allowed, low):
    """``value`` as an int >= ``low``: an integral float counts, a bool does not
    (True would silently be 1); ``allowed`` describes the valid values."""
    value = integral(value)
    if (isinstance(value, bool) or not isinstance(value, numbers.Integral)
            or value < low):
        raise InvalidParameterError(f"{name} must be {allowed}, got {_shown(value)}.")
    return int(value)


def _shown(value):
    """``value`` as an error message shows it: a bool says so, and a huge int is
    abbreviated (the repr of one over 4300 digits raises)."""
    if isinstance(value, (bool, np.bool_)):
        return f"{value!r} (a bool)"
    if isinstance(value, numbers.Integral) and abs(value) >= 10**50:
        sign = "-" if value < 0 else ""
        return f"an int near {sign}10**{round(math.log10(abs(value)))}"
    return repr(value)


def _detached(state):
    """A layer's state (a tensor, or an LSTM's (h, c)) cut from its graph."""
    if isinstance(state, tuple):
        return tuple(t.detach() for t in state)
    return state.detach()


def _char_vocabulary(chars):
    """Character to id for the id-ordered ``chars`` (reserved ids excluded)."""
    return {char: i for i, char in enumerate(chars) if i >= FIRST_CHAR_ID}


def _to_ids(text, vocabulary):
    return np.fromiter(map(vocabulary.get, text, repeat(UNKNOWN_ID)), np.int64,
                       len(text))


def _join_documents(X):
    if isinstance(X, str):
        text = X
    elif isinstance(X, (bytes, bytearray)):
        raise TypeError(
            f"X must be a str or an iterable of str, got {type(X).__name__}; decode "
            "it first, e.g. X.decode('utf-8')."
        )
    elif isinstance(X, (dict, set, frozenset)):
        # a set has no order to join its documents in; a dict iterates its keys
        raise TypeError(
            f"X must be a str or an ordered iterable of str (a list, a tuple, an "
            f"array or a pandas Series), got a {type(X).__name__}."
        )
    else:
        try:
            documents = list(X)
        except TypeError:
            raise TypeError(
                f"X must be a str or an iterable of str, got {type(X).__name__}."
            ) from None
        for position, document in enumerate(documents):
            if not isinstance(document, str):
                raise TypeError(
                    f"X must contain only str documents; item {position} is "
                    f"{document!r} of type {type(document).__name__}."
                )
        text = DOCUMENT_SEPARATOR.join(documents)
    if not text:
        raise ValueError("X is empty: a language model needs some text.")
    return text


def mean_log_likelihood(net, ids, seq_length):
    """Mean log-likelihood per character of ``ids`` under ``net``'s module, each
    character predicted from the text before it (state carried through)."""
    inputs, targets = _parallel_segments(ids, seq_length)
    module, total, states = net.module_, 0.0, None
    was_training = module.training
    module.eval()
    with torch.inference_mode(), net.autocast():
        for start in range(0, inputs.shape[1], seq_length):
            window = slice(start, start + seq_length)
            logits, states = module.step(inputs[:, window].to(net.device), states)
            total += torch.nn.functional.cross_entropy(
                logits.float().flatten(0, 1),
                targets[:, window].to(net.device).flatten(),
                ignore_index=IGNORE, reduction="sum",
            ).item()
    module.train(was_training)
    return -total / (len(ids) - 1)


def _parallel_segments(ids, seq_length, max_segments=64):
    """Rows of (inputs, targets) that are contiguous segments of the text.

    Every character after the first is the target of exactly one position;
    positions past the end of the text have the target ``IGNORE``. Texts shorter
    than 8 chunks are one segment, scored exactly from a single zero state.
    """
    n_targets = len(ids) - 1
    n_segments = max(1, min(max_segments, n_targets // (8 * seq_length)))
    length = -(-n_targets // n_segments)
    inputs = torch.zeros(n_segments * length, dtype=torch.long)
    targets = torch.full((n_segments * length,), IGNORE, dtype=torch.long)
    inputs[:n_targets], targets[:n_targets] = ids[:-1], ids[1:]
    return inputs.view(n_segments, length), targets.view(n_segments, length)
