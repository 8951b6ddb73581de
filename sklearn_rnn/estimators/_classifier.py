"""RNNTextClassifier: recurrent text classifier with scikit-learn's interface."""

import numbers

import numpy as np
import torch
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring

from sklearn_rnn.estimators._docs import fill_doc
from sklearn_rnn.estimators._text_model import (
    SHARED_PARAMETERS,
    TEXT_MODEL_CONSTRAINTS,
    RNNTextModelBase,
    TaskTargets,
    TextTask,
)
from sklearn_rnn.estimators._training import NetMixin
from sklearn_rnn.nn import RNNClassifierEnsemble, RNNClassifierModule
from sklearn_rnn.persistence._state import Array, loadable
from sklearn_rnn.utils._checks import (
    apply_class_weight,
    check_class_labels,
    check_n_classes,
    check_sample_weight,
    labelled_class_rows,
)

__all__ = ["RNNTextClassifier"]


# n_estimators='auto': as many members as keep members x training tokens within
# this budget, at most AUTO_MAX_MEMBERS. Averaging pays on sentence datasets
# (tens of thousands of tokens), where seeds differ by a point or more; on
# corpora of millions of tokens one network is stable enough that more members
# would mostly cost time (benchmarks/RESULTS.md has the measurements).
AUTO_ENSEMBLE_TOKENS = 1_000_000
AUTO_MAX_MEMBERS = 3


class _ClassifierNet(NetMixin, NeuralNetClassifier):
    """skorch classifier net with mixed precision, sample weights and ensembles.

    An ensemble module returns every member's logits (B, members, classes) in
    training: each member gets its own loss, and probabilities are averaged.
    """

    def per_sample_loss(self, y_pred, y_true, X=None, training=False):
        if y_pred.dim() == 3:  # (B, M, C) -> cross-entropy wants (B, C, M)
            y_true = y_true.unsqueeze(1).expand(-1, y_pred.shape[1])
            y_pred = y_pred.transpose(1, 2)
        return super().per_sample_loss(y_pred, y_true, X, training)

    def predict_proba(self, X):
        proba = super().predict_proba(X)
        return proba.mean(axis=1) if proba.ndim == 3 else proba


class _Classification(TextTask):
    """Labels of any type as class indices; one cross-entropy per network of an
    ensemble; training accuracy recorded every epoch."""

    net_class = _ClassifierNet
    noun = "label"
    unlabelled_mark = "label -1"

    def labelled_rows(self, y):
        return labelled_class_rows(y)

    def check_unlabelled(self, y, owner):
        """Labels -1 and one other (a -1/1 encoding) leave a single class."""
        classes = np.unique(np.asarray(y, dtype=object).astype(str))
        if len(classes) < 2:
            raise ValueError(
                f"y marks the samples labelled -1 as unlabelled (scikit-learn's "
                f"semi-supervised convention), which leaves only the class "
                f"{classes.tolist()} to learn. If -1 is a class of yours, encode "
                "the labels otherwise, e.g. as 0 and 1 or as strings.")

    def scoring(self):
        return [("train_acc", EpochScoring(
            "accuracy", on_train=True, name="train_acc", lower_is_better=False))]

    def check_targets(self, y, owner):
        y = check_class_labels(y, owner)
        check_classification_targets(y)
        return y

    def encode(self, model, X, y, sample_weight):
        owner = type(model).__name__
        y = self.check_targets(y, owner)
        encoder = LabelEncoder().fit(y)
        check_n_classes(encoder.classes_, owner)
        warm = model.warm_start and hasattr(model, "net_")
        if warm and not np.array_equal(encoder.classes_, model.classes_):
            raise ValueError(
                f"warm_start=True continues a model trained on classes "
                f"{model.classes_.tolist()}, but y has classes "
                f"{encoder.classes_.tolist()}; set warm_start=False to train a new "
                "model."
            )
        y_encoded = encoder.transform(y)
        sample_weight = apply_class_weight(
            check_sample_weight(sample_weight, len(X), owner), model.class_weight,
            y, owner)
        members = model.n_estimators_ if warm else _n_members(model.n_estimators, X)
        fitted = {"classes_": encoder.classes_, "n_estimators_": members}
        return TaskTargets(fitted, y_encoded, sample_weight, stratify=y_encoded)

    def head(self, model):
        members = model.n_estimators_
        ensemble = {} if members == 1 else {"module__n_members": members}
        return dict(
            module=RNNClassifierEnsemble if ensemble else RNNClassifierModule,
            **ensemble,
            module__n_classes=len(model.classes_),
            criterion=torch.nn.CrossEntropyLoss,
            criterion__reduction="none",
            classes=list(range(len(model.classes_))),
        )


def _n_members(n_estimators, X):
    if n_estimators != "auto":
        return int(n_estimators)
    tokens = max(int(np.count_nonzero(X)), 1)
    return int(np.clip(AUTO_ENSEMBLE_TOKENS // tokens, 1, AUTO_MAX_MEMBERS))


@loadable
@fill_doc(*SHARED_PARAMETERS)
class RNNTextClassifier(ClassifierMixin, RNNTextModelBase):
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
    validation_split : float in (0, 1) or None, default=0.1
        Fraction of the training data held out (stratified) to monitor early
        stopping and the learning-rate schedule. None trains on everything.
    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes in the loss, as in scikit-learn's classifiers.
    n_estimators : int or 'auto', default='auto'
        Number of networks trained side by side and averaged (their predicted
        probabilities). Each has its own initialisation and its own loss, and
        all see the same batches; early stopping watches the average. Averaging
        cuts the variance between seeds that small training sets show, at the
        cost of one network's time per member. ``'auto'`` uses
        ``min(3, 1_000_000 // n_tokens)`` members, at least one, where
        ``n_tokens`` counts the non-padding ids of ``X``: three for sentence
        datasets of up to about 330,000 tokens, one for IMDB-sized corpora.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    vocab_size_ : int
        Size of the embedding's id range.
    pretrained_dim_ : int
        Columns of the embedding that started from ``embeddings`` (0 without).
    embedding_coverage_ : float or None
        Share of the vocabulary's words (ids >= 2) that got a pretrained or
        self-learned vector; None without ``embeddings`` or for an array.
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
    n_estimators_ : int
        Number of networks averaged.

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
        **TEXT_MODEL_CONSTRAINTS,
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left"),
                         StrOptions({"auto"})],
    }
    _task = _Classification()
    _fitted_constraints = {
        **RNNTextModelBase._fitted_constraints,
        "classes_": [Array("biufUO", min_length=2, distinct=True)],
        "n_estimators_": [Interval(numbers.Integral, 1, None, closed="left")],
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
        class_weight=None,
        n_estimators="auto",
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
        self.class_weight = class_weight
        self.n_estimators = n_estimators
        self.device = device
        self.precision = precision
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.checkpoint_dir = checkpoint_dir
        self.n_threads = n_threads

    def _fitted_architecture(self):
        fitted = super()._fitted_architecture()
        if self.n_estimators != "auto":  # 'auto' keeps the fitted members
            fitted["n_estimators"] = self.n_estimators_
        return fitted

    def fit(self, X, y, sample_weight=None):
        """Train on padded id sequences ``X`` and labels ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) of int
            Token ids, 0 for padding.
        y : array-like of shape (n_samples,)
            Labels of any type (str, int, bool); two or more classes. When
            the model learns from texts alone (``pretrain``, or
            ``embeddings='word2vec'``) it is semi-supervised and the number -1
            marks an unlabelled sample, as in ``sklearn.semi_supervised`` (also
            among str labels given as a list, an object array or a Series):
            its text reaches only those parts, never the loss, the classes or
            the validation split. Otherwise -1 is a class like any other.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the loss.

        Returns
        -------
        self : RNNTextClassifier
        """
        return self._fit(X, y, sample_weight)

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) of int

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return torch.softmax(self._outputs(X), dim=1).numpy()

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
        log_proba = torch.log_softmax(self._outputs(X), dim=1).numpy()
        if log_proba.shape[1] == 2:
            return log_proba[:, 1] - log_proba[:, 0]
        return log_proba

    def score(self, X, y, sample_weight=None):
        """Accuracy of ``predict(X)`` against ``y`` (labels not in ``classes_``
        count as errors); a semi-supervised model (see ``fit``) scores its
        labelled samples only.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) of int
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        X, y, sample_weight = self._score_targets(X, y, sample_weight)
        return super().score(X, y, sample_weight=sample_weight)

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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        return tags
