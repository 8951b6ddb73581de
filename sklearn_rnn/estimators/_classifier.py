"""RNNTextClassifier: recurrent text classifier with scikit-learn's interface."""

import numbers

import numpy as np
import torch
from sklearn.base import ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    column_or_1d,
)
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring

from sklearn_rnn.estimators._base import COMMON_CONSTRAINTS, RNNEstimatorBase
from sklearn_rnn.estimators._batching import SequenceDataset
from sklearn_rnn.estimators._docs import fill_doc
from sklearn_rnn.estimators._training import NetMixin
from sklearn_rnn.nn import POOLINGS, RNNClassifierModule
from sklearn_rnn.utils._validation import check_is_fitted

__all__ = ["RNNTextClassifier"]

UNKNOWN_ID = 1  # TextVectorizer's id for out-of-vocabulary words


class _ClassifierNet(NetMixin, NeuralNetClassifier):
    """skorch classifier net with mixed precision and sample weights."""


@fill_doc(
    "cell_type", "units", "num_layers", "embedding_dim", "dropout", "optimizer", "lr",
    "weight_decay", "clip_grad_norm", "batch_size", "max_epochs", "early_stopping",
    "patience", "lr_schedule", "reduce_lr_on_plateau", "device", "precision",
    "random_state", "verbose", "callbacks", "warm_start", "checkpoint_dir",
    "n_threads",
)
class RNNTextClassifier(ClassifierMixin, RNNEstimatorBase):
    """Recurrent neural network text classifier (SimpleRNN, LSTM or GRU).

    The network is embedding -> ``num_layers`` recurrent layers (optionally
    bidirectional) -> pooling over time -> dropout -> linear layer. ``X`` is a 2-D
    array of token ids where 0 is padding, as produced by
    ``make_pipeline(TextVectorizer(), SequencePadder())``. Padding never influences
    a prediction: pre- and post-padded versions of the same data give the same
    predictions, in both directions of a bidirectional model.

    Training runs on skorch: early stopping on a stratified validation split of
    the data passed to ``fit`` (so it composes with an outer cross-validation
    without leakage), with the best epoch's weights restored.

    Parameters
    ----------
    {shared_parameters}
    bidirectional : bool, default=True
        Read each sequence in both directions (Keras' ``bidirectional()``).
    pooling : {'last', 'max', 'mean'}, default='max'
        How the recurrent outputs over time become one vector: the last real step
        (Keras' default), or the maximum or mean over real steps.
    recurrent_dropout : float in [0, 1), default=0.0
        Dropout on the recurrent (hidden-to-hidden) connections: entries of the
        recurrent weight matrix are dropped with one mask per batch, identical at
        every time step (DropConnect, as in AWD-LSTM), which keeps PyTorch's fused
        RNN kernel.
    embeddings : array-like of shape (vocab_size, embedding_dim), default=None
        Pretrained embedding rows (e.g. GloVe) aligned with the vectorizer's ids;
        ``embedding_dim`` is then taken from its second dimension.
    freeze_embeddings : bool, default=False
        Keep ``embeddings`` fixed during training.
    vocab_size : int, default=None
        Size of the token id range. None infers ``X.max() + 1`` at fit; larger
        ids met at predict time are then words the model never saw in training
        and are read as the unknown-word id 1 (as ``TextVectorizer`` reads
        unknown words): in a cross-validated pipeline the vectorizer can know
        more words than survive padding in the training fold. When set, ids
        must be below it, at fit and at predict.
    validation_split : float in (0, 1) or None, default=0.1
        Fraction of the training data held out (stratified) to monitor early
        stopping and the learning-rate schedule. None trains on everything.
    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes in the loss, as in scikit-learn's classifiers.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    vocab_size_ : int
        Size of the embedding's id range.
    net_ : skorch.NeuralNetClassifier
        The trained skorch net; ``net_.module_`` is the torch module.
    history_ : skorch.History
        Per-epoch training record (``train_loss``, ``valid_loss``, ``train_acc``,
        ``valid_acc``, durations).
    n_epochs_ : int
        Epochs run.
    best_epoch_ : int
        Epoch whose weights the model holds (1-based).
    device_ : str
        Device trained on.
    precision_ : {'float32', 'bfloat16'}
        Arithmetic used.

    See Also
    --------
    TextVectorizer : Raw text to token ids.
    SequencePadder : Ragged ids to a padded 2-D array.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_rnn import RNNTextClassifier, SequencePadder, TextVectorizer
    >>> texts = ["good movie", "great fun", "bad movie", "awful plot"] * 10
    >>> labels = ["pos", "pos", "neg", "neg"] * 10
    >>> model = make_pipeline(
    ...     TextVectorizer(), SequencePadder(maxlen=5),
    ...     RNNTextClassifier(units=8, embedding_dim=8, max_epochs=30, lr=0.01,
    ...                       validation_split=None, early_stopping=False,
    ...                       random_state=0))
    >>> model.fit(texts, labels).predict(["great movie", "awful movie"])
    array(['pos', 'neg'], dtype='<U3')
    """

    _parameter_constraints = {
        **COMMON_CONSTRAINTS,
        "bidirectional": ["boolean"],
        "pooling": [StrOptions(set(POOLINGS))],
        "recurrent_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "embeddings": ["array-like", None],
        "freeze_embeddings": ["boolean"],
        "vocab_size": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        *,
        cell_type="lstm",
        units=64,
        num_layers=1,
        bidirectional=True,
        embedding_dim=128,
        embeddings=None,
        freeze_embeddings=False,
        vocab_size=None,
        pooling="max",
        dropout=0.5,
        recurrent_dropout=0.0,
        optimizer="adam",
        lr=1e-3,
        lr_schedule="constant",
        weight_decay=0.0,
        clip_grad_norm=None,
        batch_size=64,
        max_epochs=10,
        validation_split=0.1,
        early_stopping=True,
        patience=2,
        reduce_lr_on_plateau=False,
        class_weight=None,
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
        self.bidirectional = bidirectional
        self.embedding_dim = embedding_dim
        self.embeddings = embeddings
        self.freeze_embeddings = freeze_embeddings
        self.vocab_size = vocab_size
        self.pooling = pooling
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
        self.class_weight = class_weight
        self.device = device
        self.precision = precision
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.checkpoint_dir = checkpoint_dir
        self.n_threads = n_threads

    def fit(self, X, y, sample_weight=None):
        """Train on padded id sequences ``X`` and labels ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) of int
            Token ids, 0 for padding.
        y : array-like of shape (n_samples,)
            Labels of any type (str, int, bool); two or more classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the loss.

        Returns
        -------
        self : RNNTextClassifier
        """
        device, precision = self._validate()
        X = self._check_tokens(X)
        warm = self.warm_start and hasattr(self, "net_")
        if warm:
            vocab_size = self.vocab_size_
        else:
            vocab_size = self.vocab_size or max(int(X.max(initial=0)) + 1, 2)
        _check_ids_below(X, vocab_size)
        classes, y_encoded, sample_weight = self._check_targets(X, y, sample_weight)
        if warm and not np.array_equal(classes, self.classes_):
            raise ValueError(
                f"warm_start=True continues a model trained on classes "
                f"{self.classes_.tolist()}, but y has classes {classes.tolist()}; "
                "set warm_start=False to train a new model."
            )
        embeddings = self._check_embeddings(vocab_size)
        # Fitted state changes only once the input is known to be valid, so a
        # failed refit leaves a fitted model usable.
        self.device_, self.precision_ = device, precision
        self.classes_, self.vocab_size_ = classes, vocab_size
        dataset = SequenceDataset(X, y_encoded, sample_weight)
        train, valid = self._split(dataset, y_encoded)
        net = self._build_net(valid, embeddings)
        self._train(net, train, has_validation=valid is not None)
        return self

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) of int

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return torch.softmax(self._logits(X), dim=1).numpy()

    def decision_function(self, X):
        """Confidence scores in log-odds, as linear classifiers give them.

        ``StackingClassifier(stack_method="decision_function")`` combines these
        scores linearly, which suits a logistic final estimator better than
        probabilities squashed into [0, 1].

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) of int

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            With two classes, ``log(p(classes_[1]) / p(classes_[0]))``: positive
            means ``classes_[1]``. With more, the log-probability of each class,
            columns in the order of ``classes_``.
        """
        log_proba = torch.log_softmax(self._logits(X), dim=1).numpy()
        if log_proba.shape[1] == 2:
            return log_proba[:, 1] - log_proba[:, 0]
        return log_proba

    def _logits(self, X):
        check_is_fitted(self, "net_")
        X = self._check_tokens(X)
        if self.vocab_size is None:
            X = _unseen_ids_as_unknown(X, self.vocab_size_)
        _check_ids_below(X, self.vocab_size_)
        return self._forward(SequenceDataset(X))

    def predict(self, X):
        """Most probable class label of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) of int

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    @staticmethod
    def _check_tokens(X):
        X = _check_2d_ids(X)
        X = check_array(X, dtype=None, ensure_2d=True, ensure_min_features=1,
                        input_name="X")
        if not np.issubdtype(X.dtype, np.integer):
            raise TypeError(
                f"X must contain integer token ids, got dtype {X.dtype}. Turn raw "
                "text into ids with TextVectorizer and SequencePadder."
            )
        if X.size and X.min() < 0:
            row, column = np.unravel_index(np.argmin(X), X.shape)
            raise ValueError(
                "Negative values in data passed to RNNTextClassifier: token ids "
                f"must be >= 0 (0 is padding); got {X.min()} in row {row}, column "
                f"{column}."
            )
        return X.astype(np.int64, copy=False)

    def _check_targets(self, X, y, sample_weight):
        if y is None:
            raise ValueError(
                "RNNTextClassifier requires y to be passed, but the target y is None."
            )
        y = column_or_1d(y, warn=True)
        if len(y) != len(X):
            raise ValueError(
                "Found input variables with inconsistent numbers of samples: X has "
                f"{len(X)} samples (rows) but y has {len(y)} labels; pass one label "
                "per sample."
            )
        _check_labels(y)
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y)
        if len(encoder.classes_) < 2:
            raise ValueError(
                "RNNTextClassifier needs samples of at least 2 classes in y; got "
                f"only one class: {encoder.classes_[0].item()!r}."
            )
        y_encoded = encoder.transform(y)
        sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float32)
        if self.class_weight is not None:
            sample_weight = sample_weight * compute_sample_weight(self.class_weight, y)
        return encoder.classes_, y_encoded, sample_weight

    def _check_embeddings(self, vocab_size):
        if self.embeddings is None:
            return None
        shape = np.shape(self.embeddings)
        if len(shape) != 2:
            raise ValueError(
                "embeddings must be a 2-D array of shape (vocab_size, embedding_dim); "
                f"got an array with shape {shape}."
            )
        embeddings = check_array(self.embeddings, dtype=np.float32,
                                 input_name="embeddings")
        if embeddings.shape[0] != vocab_size:
            raise ValueError(
                f"embeddings has {embeddings.shape[0]} rows but the vocabulary has "
                f"{vocab_size} ids; pass one row per id (row 0 for padding) and "
                "set vocab_size to match."
            )
        return embeddings

    def _split(self, dataset, y):
        if self.validation_split is None:
            return dataset, None
        indices = np.arange(len(dataset))
        seed = self._seed()
        try:
            train, valid = train_test_split(
                indices, test_size=self.validation_split, stratify=y, random_state=seed
            )
        except ValueError:  # a class too small to stratify: plain random split
            train, valid = train_test_split(
                indices, test_size=self.validation_split, random_state=seed
            )
        return dataset.subset(train), dataset.subset(valid).sorted_by_length()

    def _build_net(self, valid, embeddings=None):
        return _ClassifierNet(
            module=RNNClassifierModule,
            module__vocab_size=self.vocab_size_,
            module__n_classes=len(self.classes_),
            module__embedding_dim=(
                self.embedding_dim if embeddings is None else embeddings.shape[1]
            ),
            module__cell_type=self.cell_type,
            module__units=self.units,
            module__num_layers=self.num_layers,
            module__bidirectional=self.bidirectional,
            module__pooling=self.pooling,
            module__dropout=self.dropout,
            module__recurrent_dropout=self.recurrent_dropout,
            module__embeddings=embeddings,
            module__freeze_embeddings=self.freeze_embeddings,
            criterion=torch.nn.CrossEntropyLoss,
            criterion__reduction="none",
            classes=list(range(len(self.classes_))),
            callbacks=self._callbacks(valid is not None, scoring=[
                ("train_acc", EpochScoring(
                    "accuracy", on_train=True, name="train_acc",
                    lower_is_better=False,
                )),
            ]),
            **self._net_kwargs(valid),
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.categorical = True  # token ids are category codes
        tags.input_tags.positive_only = True
        tags.classifier_tags.multi_class = True
        return tags


def _unseen_ids_as_unknown(X, vocab_size):
    if X.size and X.max() >= vocab_size:
        X = np.where(X >= vocab_size, UNKNOWN_ID, X)
    return X


def _check_ids_below(X, vocab_size):
    if X.size and X.max() >= vocab_size:
        row = np.unravel_index(np.argmax(X), X.shape)[0]
        raise ValueError(
            f"X contains token id {X.max()}, outside the vocabulary [0, "
            f"{vocab_size}), in row {row}. Set vocab_size (e.g. to the vectorizer's "
            "max_features) or refit on data covering every id."
        )


def _check_2d_ids(X):
    """Refuse raw text, ragged lists and arrays that are not 2-D with a message
    that says how to get a 2-D array of token ids."""
    if isinstance(X, (str, bytes)):
        raise TypeError(
            "X is a single string; RNNTextClassifier expects a 2-D array of token "
            "ids. Put TextVectorizer and SequencePadder in front of it "
            "(make_pipeline(TextVectorizer(), SequencePadder(), RNNTextClassifier()))."
        )
    if isinstance(X, (list, tuple)):
        try:
            X = np.asarray(X)
        except ValueError:
            raise ValueError(
                "X is a list of sequences of different lengths (or of items that are "
                "not sequences); RNNTextClassifier expects a 2-D array of token ids. "
                "Pad the sequences with SequencePadder first."
            ) from None
    shape = getattr(X, "shape", None)
    if shape is None:
        return X
    if len(shape) == 2:
        _check_finite(X)
        return X
    if len(shape) == 1 and getattr(X, "dtype", None) is not None and (
        X.dtype.kind in "USO" and any(isinstance(item, str) for item in X[:1])
    ):
        raise TypeError(
            "X contains raw text documents; RNNTextClassifier expects a 2-D array "
            "of token ids. Put TextVectorizer and SequencePadder in front of it "
            "(make_pipeline(TextVectorizer(), SequencePadder(), RNNTextClassifier()))."
        )
    if len(shape) == 1:
        raise ValueError(
            "X must be a 2-D array of token ids of shape (n_samples, n_steps); got a "
            f"1-D array with shape {shape}. Reshape your data with X.reshape(1, -1) "
            "if it is a single sequence, or pad a list of sequences with "
            "SequencePadder."
        )
    raise ValueError(
        "X must be a 2-D array of token ids of shape (n_samples, n_steps); got an "
        f"array with dim {len(shape)} (shape {shape})."
    )


def _check_finite(X):
    if isinstance(X, np.ndarray) and X.dtype.kind == "f" and not np.isfinite(X).all():
        row = np.flatnonzero(~np.isfinite(X).all(axis=1))[0]
        raise ValueError(
            f"Input X contains NaN or infinity (first in row {row}); token ids must "
            "be integers >= 0, with 0 for padding."
        )


def _check_labels(y):
    """Refuse missing labels (NaN, None) and labels of mixed types, naming one."""
    if y.dtype.kind == "f":
        missing = np.flatnonzero(np.isnan(y))
    elif y.dtype == object:
        missing = [i for i, label in enumerate(y)
                   if label is None or (isinstance(label, float) and label != label)]
    else:
        return
    if len(missing):
        raise ValueError(
            f"Input y contains NaN or None: the label of sample {missing[0]} is "
            f"missing ({len(missing)} missing in all). Every sample needs a label; "
            "drop the unlabeled samples or give them a class."
        )
    kinds = {_label_kind(label) for label in y} if y.dtype == object else ()
    if len(kinds) > 1:
        raise TypeError(
            f"y mixes labels of types {sorted(kinds)}; the labels must be all str "
            "or all numbers. Convert them, e.g. with y.astype(str)."
        )


def _label_kind(label):
    if isinstance(label, str):
        return "str"
    return "number" if isinstance(label, numbers.Number) else type(label).__name__
