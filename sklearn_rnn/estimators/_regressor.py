"""RNNTextRegressor: recurrent text regressor with scikit-learn's interface."""

import numbers

import numpy as np
import torch
from sklearn.base import RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions
from skorch import NeuralNetRegressor

from sklearn_rnn.estimators._docs import fill_doc
from sklearn_rnn.estimators._text_model import (
    SHARED_PARAMETERS,
    TEXT_MODEL_CONSTRAINTS,
    RNNTextModelBase,
    TaskTargets,
    TextTask,
)
from sklearn_rnn.estimators._training import NetMixin
from sklearn_rnn.nn import RNNRegressorModule
from sklearn_rnn.persistence._state import Array, loadable
from sklearn_rnn.utils._checks import (
    check_regression_targets,
    check_sample_weight,
    labelled_target_rows,
    standardisation,
)

__all__ = ["RNNTextRegressor"]

# Huber's threshold between the squared and the absolute loss, in standard
# deviations of the target (the network learns standardised targets).
HUBER_DELTA = 1.0
LOSSES = {"squared_error": torch.nn.MSELoss, "huber": torch.nn.HuberLoss}


class _RegressorNet(NetMixin, NeuralNetRegressor):
    """skorch regressor net with mixed precision and sample weights."""


class _Regression(TextTask):
    """Numeric targets standardised (a warm start keeps the scale the weights
    were trained on); one linear output per target; squared or Huber loss."""

    net_class = _RegressorNet
    unlabelled_mark = "targets all NaN"

    def labelled_rows(self, y):
        return labelled_target_rows(y)

    def check_targets(self, y, owner):
        return check_regression_targets(y, owner)

    def encode(self, model, X, y, sample_weight):
        owner = type(model).__name__
        y = self.check_targets(y, owner)
        y = y.reshape(len(y), -1)
        sample_weight = check_sample_weight(sample_weight, len(X), owner)
        if model.warm_start and hasattr(model, "net_"):
            if y.shape[1] != model.n_outputs_:
                raise ValueError(
                    f"warm_start=True continues a model trained on "
                    f"{model.n_outputs_} target(s), but y has {y.shape[1]}; set "
                    "warm_start=False to train a new model."
                )
            mean, scale = model.y_mean_, model.y_scale_
        else:
            mean, scale = standardisation(y, sample_weight)
        y_train = ((y - mean) / scale).astype(np.float32)
        fitted = {"n_outputs_": y.shape[1], "y_mean_": mean, "y_scale_": scale}
        return TaskTargets(fitted, y_train, sample_weight)

    def head(self, model):
        huber = {"criterion__delta": HUBER_DELTA} if model.loss == "huber" else {}
        return dict(
            module=RNNRegressorModule,
            module__n_outputs=model.n_outputs_,
            criterion=LOSSES[model.loss],
            criterion__reduction="none",
            **huber,
        )


@loadable
@fill_doc(*SHARED_PARAMETERS)
class RNNTextRegressor(RegressorMixin, RNNTextModelBase):
    """Recurrent neural network text regressor (SimpleRNN, LSTM or GRU).

    The network of :class:`RNNTextClassifier` (embedding -> recurrent layers ->
    pooling over time -> dropout -> linear layer) with one linear output per
    target instead of one per class. ``X`` is a 2-D array of token ids where 0
    is padding, as produced by ``make_pipeline(TextVectorizer(),
    SequencePadder())``; padding never influences a prediction.

    Targets are standardised in ``fit`` (mean and standard deviation of each
    target, learned from ``y`` and stored as ``y_mean_`` and ``y_scale_``) and
    the network's outputs are mapped back in ``predict``, so ``lr`` and the
    initialisation suit targets of any scale: ratings 1-10 and prices in the
    thousands alike. Training runs on skorch, with early stopping on a random
    validation split of the data passed to ``fit`` and the best epoch's
    weights restored.

    Parameters
    ----------
    {shared_parameters}
    validation_split : float in (0, 1) or None, default=0.1
        Fraction of the training data held out (at random) to monitor early
        stopping and the learning-rate schedule. None trains on everything.
    loss : {'squared_error', 'huber'}, default='squared_error'
        Training loss on the standardised targets. ``'huber'`` is squared within
        one standard deviation of the target and absolute beyond, so a few
        outlying targets pull the model less.

    Attributes
    ----------
    n_outputs_ : int
        Number of targets (columns of a 2-D ``y``; 1 for a 1-D ``y``).
    y_mean_ : ndarray of shape (n_outputs_,)
        Mean of each target in the training data (weighted by
        ``sample_weight``), subtracted before training.
    y_scale_ : ndarray of shape (n_outputs_,)
        Standard deviation of each target (1 for a constant target), by which
        centred targets are divided before training.
    vocab_size_ : int
        Size of the embedding's id range.
    pretrained_dim_ : int
        Columns of the embedding that started from ``embeddings`` (0 without).
    embedding_coverage_ : float or None
        Share of the vocabulary's words (ids >= 2) that got a pretrained or
        self-learned vector; None without ``embeddings`` or for an array.
    net_ : skorch.NeuralNetRegressor
        The trained skorch net; ``net_.module_`` is the torch module.
    history_ : skorch.History
        Per-epoch training record (``train_loss``, ``valid_loss`` on the
        standardised targets, durations).
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
    RNNTextClassifier : The same network predicting classes.
    TextVectorizer : Raw text to token ids.
    SequencePadder : Ragged ids to a padded 2-D array.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_rnn import RNNTextRegressor, SequencePadder, TextVectorizer
    >>> texts = ["good movie", "great fun", "bad movie", "awful plot"] * 10
    >>> stars = [8, 9, 3, 1] * 10
    >>> model = make_pipeline(
    ...     TextVectorizer(), SequencePadder(maxlen=5),
    ...     RNNTextRegressor(units=8, embedding_dim=8, max_epochs=30, lr=0.01,
    ...                      validation_split=None, early_stopping=False,
    ...                      random_state=0))
    >>> model.fit(texts, stars).predict(["great fun", "awful plot"]).round()
    array([9., 1.])
    """

    _parameter_constraints = {
        **TEXT_MODEL_CONSTRAINTS,
        "loss": [StrOptions(set(LOSSES))],
    }
    _task = _Regression()
    _fitted_constraints = {
        **RNNTextModelBase._fitted_constraints,
        "n_outputs_": [Interval(numbers.Integral, 1, None, closed="left")],
        "y_mean_": [Array("f", length_of="n_outputs_")],
        "y_scale_": [Array("f", length_of="n_outputs_", positive=True)],
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
        missing_vectors="random",
        pretrain=None,
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
        loss="squared_error",
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
        self.missing_vectors = missing_vectors
        self.pretrain = pretrain
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
        self.loss = loss
        self.device = device
        self.precision = precision
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.checkpoint_dir = checkpoint_dir
        self.n_threads = n_threads

    def fit(self, X, y, sample_weight=None):
        """Train on padded id sequences ``X`` and numeric targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) of int
            Token ids, 0 for padding.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Finite numbers. When the model learns from texts alone
            (``pretrain``, or ``embeddings='word2vec'``), a sample whose
            targets are all NaN is unlabelled (-1 is a target like any other):
            its text reaches only those parts, never the loss.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the loss (and of the standardisation).

        Returns
        -------
        self : RNNTextRegressor
        """
        return self._fit(X, y, sample_weight)

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R^2 of ``predict(X)`` against ``y``
        (scikit-learn's ``r2_score``, averaged over the targets); a
        semi-supervised model (see ``fit``) scores its labelled samples only.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) of int
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        X, y, sample_weight = self._score_targets(X, y, sample_weight)
        n_outputs = y.reshape(len(y), -1).shape[1]
        if n_outputs != self.n_outputs_:
            raise ValueError(
                f"y has {n_outputs} targets per sample, but {type(self).__name__} "
                f"predicts {self.n_outputs_} (n_outputs_); score it on targets of "
                "the shape it was fitted on."
            )
        return super().score(X, y, sample_weight=sample_weight)

    def predict(self, X):
        """Predicted target values of each sequence, on the scale of ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) of int

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs_)
            1-D when the model was fitted on one target.
        """
        standardised = self._outputs(X).numpy().astype(np.float64)
        y = standardised.reshape(-1, self.n_outputs_) * self.y_scale_ + self.y_mean_
        return y[:, 0] if self.n_outputs_ == 1 else y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        # Token ids are words, not magnitudes: on sklearn's numeric regression
        # data (10 features rounded to ids 0-6, a linear target) the model reads
        # no order of size into the ids, and R^2 stays below the checks' 0.5.
        tags.regressor_tags.poor_score = True
        return tags

