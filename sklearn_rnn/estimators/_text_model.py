"""What the text classifier and the text regressor share: the network on padded
token ids, input checks, the fit procedure and batched prediction.

``fit`` reads top to bottom in :meth:`RNNTextModelBase._fit`. What differs
between classification and regression is one small object, the estimator's
``_task`` (see :class:`TextTask`): how ``y`` becomes training targets and which
head, loss and skorch net class the network gets.
"""

import numbers
from typing import NamedTuple

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from sklearn_rnn._ids import FIRST_WORD_ID
from sklearn_rnn.embeddings import Word2VecEmbeddings, WordVectors
from sklearn_rnn.embeddings._vectors import MISSING_VECTOR_INITS, SavedWordVectors
from sklearn_rnn.estimators._base import (
    COMMON_CONSTRAINTS,
    RNNEstimatorBase,
    split_dataset,
)
from sklearn_rnn.estimators._batching import SequenceDataset
from sklearn_rnn.estimators._embeddings import (
    EMBEDDING_OPTIONS,
    check_embeddings_param,
    initial_embeddings,
    placeholder_rows,
    pretrained_width,
)
from sklearn_rnn.estimators._guards import keeps_fitted_state
from sklearn_rnn.estimators._semi_supervised import (
    check_pretrain_param,
    fitted_pretrainer,
    labelled_rows,
    learns_from_texts,
)
from sklearn_rnn.nn import POOLINGS, share_unknown_row
from sklearn_rnn.preprocessing._tokens import tokens_of
from sklearn_rnn.utils._checks import (
    check_ids_below,
    check_inferred_vocab_size,
    check_n_samples,
    check_sample_weight,
    check_tokens,
    take_rows,
    unseen_ids_as_unknown,
)
from sklearn_rnn.utils._validation import check_is_fitted

__all__ = ["RNNTextModelBase", "SHARED_PARAMETERS", "TEXT_MODEL_CONSTRAINTS",
           "TaskTargets", "TextTask"]

# Parameters documented once (``_docs.py``), in the order of the signatures.
SHARED_PARAMETERS = (
    "cell_type", "units", "num_layers", "bidirectional", "embedding_dim",
    "embeddings", "freeze_embeddings", "missing_vectors", "pretrain", "vocab_size",
    "pooling", "dropout",
    "recurrent_dropout", "optimizer", "lr", "lr_schedule", "weight_decay",
    "clip_grad_norm", "batch_size", "max_epochs", "early_stopping", "patience",
    "reduce_lr_on_plateau", "device", "precision", "random_state", "verbose",
    "callbacks", "warm_start", "checkpoint_dir", "n_threads",
)

TEXT_MODEL_CONSTRAINTS = {
    **COMMON_CONSTRAINTS,
    "bidirectional": ["boolean"],
    "pooling": [StrOptions(set(POOLINGS))],
    "recurrent_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
    "embeddings": [None, StrOptions(set(EMBEDDING_OPTIONS)), WordVectors,
                   Word2VecEmbeddings, SavedWordVectors, "array-like"],
    "freeze_embeddings": ["boolean"],
    "missing_vectors": [StrOptions(set(MISSING_VECTOR_INITS))],
    "vocab_size": [Interval(numbers.Integral, 2, None, closed="left"), None],
    # which estimator it is: check_pretrain_param
    "pretrain": [None, HasMethods(["fit", "get_params"])],
}


class TaskTargets(NamedTuple):
    """What a task makes of ``y``: the fitted attributes it defines
    (``classes_``, ``y_mean_``, ...), the training targets, the per-sample
    weights, and the labels to stratify the validation split on (or None)."""

    fitted: dict
    y: np.ndarray
    sample_weight: np.ndarray
    stratify: np.ndarray = None


class TextTask:
    """The part of a text model that depends on its task.

    ``labelled_rows(y)`` tells the labelled rows from the unlabelled ones.
    ``encode(model, X, y, sample_weight)`` checks ``y`` (labelled rows only) and returns
    :class:`TaskTargets` (``check_targets(y, owner)`` only checks it); when
    ``model`` is fitted and warm-starting it must keep (or check against) the
    fitted targets. ``head(model)`` returns the
    skorch net's keyword arguments of the output layer and loss (``module``,
    ``module__*``, ``criterion*``), ``scoring()`` new callbacks of the extra
    per-epoch scores. ``net_class`` is the skorch net, ``noun`` one entry of
    ``y`` in messages.
    """

    net_class = None
    noun = "target"
    unlabelled_mark = ""  # what marks an unlabelled row, for messages

    def labelled_rows(self, y):
        """Boolean mask of the rows of ``y`` that carry a target (None when
        ``y`` is malformed: ``encode`` then says how)."""
        raise NotImplementedError

    def check_unlabelled(self, y, owner):
        """Check the labelled rows ``y`` left once unlabelled ones are out."""

    def scoring(self):
        return []

    def check_targets(self, y, owner):
        """``y`` checked as ``encode`` checks it, for ``score``."""
        raise NotImplementedError

    def encode(self, model, X, y, sample_weight):
        raise NotImplementedError

    def head(self, model):
        raise NotImplementedError


class RNNTextModelBase(RNNEstimatorBase):
    """Embedding -> recurrent encoder -> pooling -> linear head, on padded ids."""

    _task = TextTask()
    _fitted_constraints = {
        **RNNEstimatorBase._fitted_constraints,
        "vocab_size_": [Interval(numbers.Integral, 2, None, closed="left")],
        "pretrained_dim_": [Interval(numbers.Integral, 0, None, closed="left")],
        "embedding_width_": [Interval(numbers.Integral, 1, None, closed="left")],
        "embedding_coverage_": [Interval(numbers.Real, 0, 1, closed="both"), None],
    }

    _architecture = (*RNNEstimatorBase._architecture, "bidirectional")

    @keeps_fitted_state
    def _fit(self, X, y, sample_weight):
        """validate -> data -> the task's targets -> pretraining -> network ->
        train -> record.

        Fitted state changes only once all input is known to be valid, and a
        failure after that puts it back, so a failed refit leaves a fitted
        model usable. Unlabelled rows (``_semi_supervised``) reach only the
        pretraining and self-learned vectors.
        """
        owner, task = type(self).__name__, self._task
        # Validate the parameters and the input.
        check_embeddings_param(self.embeddings, owner)
        pretrainer = check_pretrain_param(self)
        device, precision = self._validate()
        raw_X, X = X, check_tokens(X, owner)
        warm = self.warm_start and hasattr(self, "net_")
        if warm:
            vocab_size = self.vocab_size_
        elif self.vocab_size is None:
            check_inferred_vocab_size(X, owner)
            vocab_size = self._infer_vocab_size(X, raw_X, pretrainer)
        else:
            vocab_size = self.vocab_size
        check_ids_below(X, vocab_size)
        check_n_samples(X, y, owner, task.noun)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, len(X), owner)
        rows = labelled_rows(self, X, y, sample_weight)
        targets = task.encode(self, rows.X, rows.y, rows.sample_weight)
        if warm:
            self._check_warm_embedding_layout()
        # The data: training and validation sets, the embedding's first rows.
        train, valid = split_dataset(
            SequenceDataset(rows.X, targets.y, targets.sample_weight),
            self.validation_split, self._seed(), targets.stratify)
        if warm:  # the rows come from the fitted network
            initial, found = self._placeholder_rows(), None
            coverage = self.embedding_coverage_
        else:  # self-learned vectors read the training split and unlabelled rows
            texts = np.concatenate([train.tokens.numpy(), rows.unlabelled])
            initial, found, coverage = initial_embeddings(
                self, texts, raw_X, vocab_size)
        # Record what the network is built from.
        self.device_, self.precision_ = device, precision
        self.vocab_size_ = vocab_size
        if not warm:
            self.pretrained_dim_ = pretrained_width(initial)
            self.embedding_width_ = max(self.embedding_dim, self.pretrained_dim_)
            self.embedding_coverage_ = coverage
        for name, value in targets.fitted.items():
            setattr(self, name, value)
        # Pretrain the encoder on every text (labelled or not), unless warm.
        encoder = None
        if pretrainer is not None and not warm:
            self.pretrainer_ = fitted_pretrainer(
                self, pretrainer, X, vocab_size, initial, self._seed())
            encoder = self.pretrainer_.encoder_state()
        elif pretrainer is None:
            self.__dict__.pop("pretrainer_", None)  # from an earlier fit
        # Build the network, train it, record the result.
        net = self._make_net(valid, initial)
        self._train(net, train, has_validation=valid is not None,
                    initial_state=encoder)
        if found is not None and isinstance(self.embeddings, WordVectors):
            # words only the pretraining read have trained rows of their own
            seen = X if encoder is not None else train.tokens.numpy()
            self._share_unknown_row(seen, found)
        return self

    def _fitted_architecture(self):
        """Besides the base's: the embedding's width (``embedding_dim`` or the
        pretrained vectors' width) and a set ``vocab_size``."""
        fitted = super()._fitted_architecture()
        if max(self.embedding_dim, self.pretrained_dim_) != self.embedding_width_:
            fitted["embedding_dim"] = self.embedding_width_
        if self.vocab_size is not None:
            fitted["vocab_size"] = self.vocab_size_
        return fitted

    def _make_net(self, valid, rows):
        """The skorch net: the shared encoder, the task's head and loss."""
        task = self._task
        return self._new_net(
            task.net_class,
            **self._module_params(rows),
            **task.head(self),
            callbacks=self._callbacks(valid is not None, scoring=task.scoring()),
            **self._net_kwargs(valid),
        )

    def _rebuild_net(self):
        return self._make_net(None, self._placeholder_rows())

    def _placeholder_rows(self):
        """Rows of the fitted network's pretrained width (its weights replace
        them)."""
        return placeholder_rows(self.vocab_size_, self.pretrained_dim_)

    def _check_warm_embedding_layout(self):
        """A warm start keeps the embedding's tables: freezing cannot change
        between the fits when it splits them."""
        pretrained, width = self.pretrained_dim_, self.embedding_width_
        split_now = self.freeze_embeddings and 0 < pretrained < width
        split_before = any(getattr(network, "frozen_embedding", None) is not None
                           for network in self.net_.module_.modules())
        if split_now != split_before:
            raise ValueError(
                f"warm_start=True continues a model trained with "
                f"freeze_embeddings={not self.freeze_embeddings}, whose embedding "
                "layer has another layout; set freeze_embeddings back or "
                "warm_start=False to train a new model."
            )

    def _infer_vocab_size(self, X, raw_X, pretrainer=None):
        """Ids up to the largest one in ``X``; with pretrained vectors, every id
        of the vectorizer's vocabulary, so that words the training texts lack
        (``TextVectorizer(extra_vocabulary=...)``) keep their vectors; with a
        fitted pretrainer, its ids (the texts it read may hold more words)."""
        tokens = tokens_of(raw_X)
        largest = int(X.max(initial=0)) + 1
        if hasattr(pretrainer, "net_") and largest <= pretrainer.vocab_size_:
            return pretrainer.vocab_size_
        if isinstance(self.embeddings, WordVectors) and tokens is not None:
            largest = max(largest, len(tokens))
        return max(largest, 2)

    def _share_unknown_row(self, trained_tokens, found):
        """Ids absent from the training data read as the unknown word: all of
        their row without a pretrained vector, its trainable columns with one."""
        unseen = np.bincount(trained_tokens.ravel(), minlength=self.vocab_size_) == 0
        unseen[:FIRST_WORD_ID] = False
        module = self.net_.module_
        share_unknown_row(module, np.flatnonzero(unseen & ~found))
        share_unknown_row(module, np.flatnonzero(unseen & found),
                          first_column=self.pretrained_dim_)

    def _score_targets(self, X, y, sample_weight):
        """``(X, y, sample_weight)`` of the labelled rows for ``score``, checked
        as ``fit`` checks them (the metric's own messages name neither).
        A semi-supervised model leaves unlabelled rows out as ``fit`` leaves
        them out of training, so that ``GridSearchCV`` scores labelled rows
        only."""
        check_is_fitted(self, "net_")
        owner = type(self).__name__
        X = check_tokens(X, owner)
        check_n_samples(X, y, owner, self._task.noun)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, len(X), owner,
                                                dtype=np.float64)
        labelled = self._task.labelled_rows(y) if learns_from_texts(self) else None
        if labelled is not None and len(labelled) == len(X) and not labelled.all():
            if not labelled.any():
                raise ValueError(
                    f"y marks all {len(X)} samples as unlabelled "
                    f"({self._task.unlabelled_mark}); score needs labelled ones.")
            X, y = X[labelled], take_rows(y, labelled)
            if sample_weight is not None:
                sample_weight = sample_weight[labelled]
        y = self._task.check_targets(y, owner)
        return X, y, sample_weight

    def _outputs(self, X):
        """Network outputs (float32 tensor, one row per sequence of ``X``)."""
        check_is_fitted(self, "net_")
        X = check_tokens(X, type(self).__name__)
        if self.vocab_size is None:
            X = unseen_ids_as_unknown(X, self.vocab_size_, type(self).__name__)
        check_ids_below(X, self.vocab_size_)
        return self._forward(SequenceDataset(X))

    def _module_params(self, embeddings):
        """``module__*`` arguments of the skorch net but the number of outputs."""
        return dict(
            module__vocab_size=self.vocab_size_,
            module__embedding_dim=self.embedding_width_,
            module__cell_type=self.cell_type,
            module__units=self.units,
            module__num_layers=self.num_layers,
            module__bidirectional=self.bidirectional,
            module__pooling=self.pooling,
            module__dropout=self.dropout,
            module__recurrent_dropout=self.recurrent_dropout,
            module__embeddings=embeddings,
            module__freeze_embeddings=self.freeze_embeddings,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.categorical = True  # token ids are category codes
        tags.input_tags.positive_only = True
        return tags
