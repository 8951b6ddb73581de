"""EncoderPretrainer: the embedding and recurrent encoder of a text model,
trained as forward (and backward) word-level language models on unlabelled text."""

import numbers

import numpy as np
import torch
from sklearn.utils._param_validation import Interval
from skorch import NeuralNet

from sklearn_rnn._ids import PAD_ID
from sklearn_rnn.callbacks import TimeLimit
from sklearn_rnn.estimators._base import (
    COMMON_CONSTRAINTS,
    RNNEstimatorBase,
    split_dataset,
)
from sklearn_rnn.estimators._batching import SequenceDataset
from sklearn_rnn.estimators._docs import fill_doc
from sklearn_rnn.estimators._guards import keeps_fitted_state
from sklearn_rnn.estimators._training import NetMixin
from sklearn_rnn.nn import EncoderLanguageModel
from sklearn_rnn.persistence._state import Array, loadable
from sklearn_rnn.utils._checks import (
    check_ids_below,
    check_inferred_vocab_size,
    check_tokens,
)
from sklearn_rnn.utils._validation import check_is_fitted

__all__ = ["ENCODER_ARCHITECTURE", "EncoderPretrainer"]

# What a classifier or regressor must share with a pretrainer to take its weights.
ENCODER_ARCHITECTURE = ("cell_type", "units", "num_layers", "bidirectional")


class _PretrainNet(NetMixin, NeuralNet):
    """skorch net whose module returns the loss of each sequence itself."""

    def per_sample_loss(self, y_pred, y_true, X=None, training=False):
        return y_pred


@fill_doc(
    "cell_type", "units", "num_layers", "bidirectional", "embedding_dim",
    "recurrent_dropout", "optimizer", "weight_decay", "batch_size",
    "early_stopping", "lr_schedule", "reduce_lr_on_plateau", "device",
    "precision", "random_state", "callbacks", "warm_start", "checkpoint_dir",
    "n_threads",
)
@loadable
class EncoderPretrainer(RNNEstimatorBase):
    """Pretrain a text model's embedding and recurrent encoder on unlabelled text.

    The forward recurrent layers learn to predict each next word and, for a
    bidirectional encoder, the backward layers each previous word (as in ELMo
    and ULMFiT). :class:`RNNTextClassifier` and :class:`RNNTextRegressor`
    start from these weights when given the pretrainer as ``pretrain``: an
    unfitted one is fitted in their ``fit`` on every text it receives, labelled
    or not (label -1 marks an unlabelled text); a fitted one is reused as it
    is, so one pretraining serves several models. Wrap a fitted pretrainer in
    ``sklearn.frozen.FrozenEstimator`` to keep it fitted through ``clone`` and
    so through ``GridSearchCV``.

    A full softmax over the vocabulary costs more than the recurrent layers on
    a CPU, so training uses a sampled softmax: each batch scores the target
    word against ``n_samples`` words drawn from the smoothed unigram
    distribution. The validation loss (``valid_loss`` in ``history_``, watched
    by early stopping) is the exact cross-entropy over the whole vocabulary, in
    nats per word, averaged over the held-out texts.

    Parameters
    ----------
    {shared_parameters}
    vocab_size : int or None, default=None
        Size of the id range; None takes the largest id in ``X`` plus one.
        Models that take the weights must have the same.
    n_samples : int, default=256
        Words drawn per batch for the sampled softmax (a vocabulary no larger
        uses the full softmax).
    dropout : float in [0, 1), default=0.1
        Dropout on the inputs of every recurrent layer and on the outputs the
        next word is predicted from.
    lr : float, default=0.002
        Learning rate.
    clip_grad_norm : float or None, default=1.0
        Largest norm of the gradient (None: no clipping).
    max_epochs : int, default=5
        Passes over the texts.
    validation_split : float in (0, 1) or None, default=0.02
        Fraction of the texts held out for the validation loss.
    patience : int, default=1
        Epochs without a lower validation loss before early stopping.
    time_limit : float or None, default=None
        Seconds of training after which no new epoch starts (see
        :class:`~sklearn_rnn.callbacks.TimeLimit`); None sets no limit.
    verbose : int, default=0
        1 prints a line per epoch, 2 adds skorch's progress bar per batch.

    Attributes
    ----------
    vocab_size_ : int
        Size of the id range.
    word_counts_ : ndarray of shape (vocab_size_,)
        How often each id occurs in the training texts (padding counts 0).
    embedding_width_ : int
        Width of the embedding.
    net_ : skorch.NeuralNet
        The trained net; ``net_.module_.network`` holds the embedding and the
        encoder a text model takes.
    history_ : skorch.History
        Per-epoch ``train_loss`` (sampled) and ``valid_loss`` (exact).
    n_epochs_, best_epoch_ : int
        Epochs run; the epoch whose weights the pretrainer holds (1-based).
    device_ : str
        Device trained on.
    precision_ : {'float32', 'bfloat16'}
        Arithmetic used.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_rnn import (EncoderPretrainer, RNNTextClassifier,
    ...                          SequencePadder, TextVectorizer)
    >>> texts = ["a fine film", "a dull film", "fine acting", "dull plot"] * 10
    >>> ids = make_pipeline(TextVectorizer(), SequencePadder(maxlen=5))
    >>> ids = ids.fit_transform(texts)
    >>> pretrainer = EncoderPretrainer(units=8, embedding_dim=8, max_epochs=2,
    ...                                validation_split=None, early_stopping=False,
    ...                                random_state=0)
    >>> pretrainer = pretrainer.fit(ids)
    >>> pretrainer.n_epochs_
    2
    >>> clf = RNNTextClassifier(units=8, embedding_dim=8, max_epochs=2,
    ...                         validation_split=None, early_stopping=False,
    ...                         pretrain=pretrainer, random_state=0)
    >>> clf = clf.fit(ids, [1, 0, 1, 0] * 10)
    >>> clf.pretrainer_ is pretrainer
    True
    """

    _parameter_constraints = {
        **COMMON_CONSTRAINTS,
        "bidirectional": ["boolean"],
        "vocab_size": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "n_samples": [Interval(numbers.Integral, 1, None, closed="left")],
        "recurrent_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "time_limit": [Interval(numbers.Real, 0, None, closed="neither"), None],
    }
    _fitted_constraints = {
        **RNNEstimatorBase._fitted_constraints,
        "vocab_size_": [Interval(numbers.Integral, 2, None, closed="left")],
        "embedding_width_": [Interval(numbers.Integral, 1, None, closed="left")],
        "word_counts_": [Array("iu", length_of="vocab_size_")],
    }
    _architecture = (*ENCODER_ARCHITECTURE, "embedding_dim")

    def __init__(
        self,
        *,
        cell_type="lstm",
        units=64,
        num_layers=1,
        bidirectional=True,
        embedding_dim=128,
        vocab_size=None,
        n_samples=256,
        dropout=0.1,
        recurrent_dropout=0.0,
        optimizer="adam",
        lr=2e-3,
        lr_schedule="constant",
        weight_decay=0.0,
        clip_grad_norm=1.0,
        batch_size=64,
        max_epochs=5,
        validation_split=0.02,
        early_stopping=True,
        patience=1,
        reduce_lr_on_plateau=False,
        time_limit=None,
        device="auto",
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
        self.bidirectional = bidirectional
        self.embedding_dim = embedding_dim
        self.vocab_size = vocab_size
        self.n_samples = n_samples
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
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
        self.time_limit = time_limit
        self.device = device
        self.precision = precision
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.checkpoint_dir = checkpoint_dir
        self.n_threads = n_threads

    @keeps_fitted_state
    def fit(self, X, y=None, embeddings=None):
        """Train the language models on the texts ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, seq_len)
            Padded token ids (``SequencePadder`` output); each row is one text.
        y : None
            Ignored (texts need no labels).
        embeddings : ndarray of shape (vocab_size, d), default=None
            Initial embedding rows (pretrained word vectors aligned with the
            ids), as the text models pass them; the first ``d`` columns start
            from them.

        Returns
        -------
        self : EncoderPretrainer
        """
        owner = type(self).__name__
        device, precision = self._validate()
        X = check_tokens(X, owner)
        warm = self.warm_start and hasattr(self, "net_")
        if warm:
            vocab_size = self.vocab_size_
        elif self.vocab_size is None:
            check_inferred_vocab_size(X, owner)
            vocab_size = max(int(X.max(initial=0)) + 1, 2)
        else:
            vocab_size = self.vocab_size
        check_ids_below(X, vocab_size)
        if len(X) == 0:
            raise ValueError(f"{owner}.fit needs at least one text; got 0 rows.")
        train, valid = split_dataset(SequenceDataset(X), self.validation_split,
                                     self._seed(), noun="texts")
        if not (train.lengths >= 2).any():
            raise ValueError(
                f"{owner}.fit needs texts of at least two words to predict a next "
                "word from; every training text here is shorter.")
        width = max(self.embedding_dim,
                    0 if embeddings is None else int(np.shape(embeddings)[1]))
        self.device_, self.precision_ = device, precision
        if not warm:
            self.vocab_size_, self.embedding_width_ = vocab_size, width
            counts = np.bincount(train.tokens.numpy().ravel(), minlength=vocab_size)
            counts[PAD_ID] = 0
            self.word_counts_ = counts.astype(np.int64)
        net = self._make_net(valid, embeddings)
        self._train(net, train, has_validation=valid is not None)
        return self

    def _make_net(self, valid, embeddings=None):
        callbacks = self._callbacks(valid is not None)
        if self.time_limit is not None:
            callbacks.append(("time_limit", TimeLimit(self.time_limit)))
        return self._new_net(
            _PretrainNet,
            module=EncoderLanguageModel,
            module__vocab_size=self.vocab_size_,
            module__counts=self.word_counts_,
            module__n_samples=self.n_samples,
            module__embedding_dim=self.embedding_width_,
            module__cell_type=self.cell_type,
            module__units=self.units,
            module__num_layers=self.num_layers,
            module__bidirectional=self.bidirectional,
            module__dropout=self.dropout,
            module__recurrent_dropout=self.recurrent_dropout,
            module__embeddings=None if embeddings is None
            else torch.as_tensor(np.asarray(embeddings, dtype=np.float32)),
            criterion=torch.nn.Identity,
            callbacks=callbacks,
            **self._net_kwargs(valid),
        )

    def _rebuild_net(self):
        return self._make_net(None)

    def encoder_state(self):
        """The pretrained weights a text model takes: the embedding and the
        encoder (a dict of tensors, keyed as in ``RNNClassifierModule``)."""
        check_is_fitted(self, "net_")
        return self.net_.module_.encoder_state()
