"""What the text classifier and the text regressor share: the network on padded
token ids, input checks, the fit procedure and batched prediction.

A subclass supplies what differs: the skorch net class and loss (``_net_class``,
``_criterion``), how targets become training targets (``_fit_targets``), and
what a warm start must keep (``_check_warm_targets``).
"""

import numbers

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils._param_validation import Interval, StrOptions

from sklearn_rnn._ids import FIRST_WORD_ID
from sklearn_rnn.embeddings import Word2VecEmbeddings, WordVectors
from sklearn_rnn.embeddings._vectors import MISSING_VECTOR_INITS, SavedWordVectors
from sklearn_rnn.estimators._base import COMMON_CONSTRAINTS, RNNEstimatorBase
from sklearn_rnn.estimators._batching import SequenceDataset
from sklearn_rnn.estimators._checks import (
    check_embeddings,
    check_ids_below,
    check_n_samples,
    check_tokens,
    unseen_ids_as_unknown,
)
from sklearn_rnn.estimators._embeddings import (
    EMBEDDING_OPTIONS,
    check_embeddings_param,
    initial_embeddings,
    placeholder_rows,
    pretrained_width,
)
from sklearn_rnn.nn import POOLINGS, share_unknown_row
from sklearn_rnn.preprocessing._tokens import tokens_of
from sklearn_rnn.utils._validation import check_is_fitted

__all__ = ["RNNTextModelBase", "SHARED_PARAMETERS", "TEXT_MODEL_CONSTRAINTS"]

# Parameters documented once (``_docs.py``), in the order of the signatures.
SHARED_PARAMETERS = (
    "cell_type", "units", "num_layers", "bidirectional", "embedding_dim",
    "embeddings", "freeze_embeddings", "missing_vectors", "vocab_size", "pooling",
    "dropout",
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
}


class RNNTextModelBase(RNNEstimatorBase):
    """Embedding -> recurrent encoder -> pooling -> linear head, on padded ids."""

    _target_noun = "target"  # one entry of y, in error messages
    _saved_attributes = (*RNNEstimatorBase._saved_attributes, "vocab_size_",
                         "pretrained_dim_", "embedding_width_",
                         "embedding_coverage_")

    def _fit(self, X, y, sample_weight):
        check_embeddings_param(self.embeddings, type(self).__name__)
        device, precision = self._validate()
        raw_X, X = X, self._check_tokens(X)
        warm = self.warm_start and hasattr(self, "net_")
        if warm:
            vocab_size = self.vocab_size_
        else:
            vocab_size = self.vocab_size or self._infer_vocab_size(X, raw_X)
        check_ids_below(X, vocab_size)
        check_n_samples(X, y, type(self).__name__, self._target_noun)
        fitted, y_train, sample_weight, stratify = self._fit_targets(
            X, y, sample_weight, warm)
        if warm:
            self._check_warm_targets(fitted)
            self._check_warm_embedding_layout()
        train, valid = self._split(SequenceDataset(X, y_train, sample_weight),
                                   stratify)
        if warm:  # the rows come from the fitted network
            rows, found, coverage = self._rebuild_rows(), None, self.embedding_coverage_
        else:  # self-learned vectors read the training split only
            rows, found, coverage = initial_embeddings(
                self, train.tokens.numpy(), raw_X, vocab_size)
        # Fitted state changes only once the input is known to be valid, so a
        # failed refit leaves a fitted model usable.
        self.device_, self.precision_ = device, precision
        self.vocab_size_ = vocab_size
        if not warm:
            self.pretrained_dim_ = pretrained_width(rows)
            self.embedding_width_ = max(self.embedding_dim, self.pretrained_dim_)
            self.embedding_coverage_ = coverage
        for name, value in fitted.items():
            setattr(self, name, value)
        net = self._build_net(valid, rows)
        self._train(net, train, has_validation=valid is not None)
        if found is not None and isinstance(self.embeddings, WordVectors):
            self._share_unknown_row(train.tokens.numpy(), found)
        return self

    def _check_warm_embedding_layout(self):
        """A warm start keeps the embedding's tables: freezing cannot change
        between the fits when it splits them."""
        self._complete_legacy_attributes()
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

    def _infer_vocab_size(self, X, raw_X):
        """Ids up to the largest one in ``X``; with pretrained vectors, every id
        of the vectorizer's vocabulary, so that words the training texts lack
        (``TextVectorizer(extra_vocabulary=...)``) keep their vectors."""
        tokens = tokens_of(raw_X)
        largest = int(X.max(initial=0)) + 1
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

    def _rebuild_net(self):
        return self._build_net(None, self._rebuild_rows())

    def _rebuild_rows(self):
        """Rows of the fitted network's pretrained width (its weights replace
        them)."""
        self._complete_legacy_attributes()
        return placeholder_rows(self.vocab_size_, self.pretrained_dim_)

    def _complete_legacy_attributes(self):
        """A model saved before ``pretrained_dim_`` took its whole embedding
        width from an ``embeddings`` array, if it had one."""
        if hasattr(self, "pretrained_dim_") and hasattr(self, "embedding_width_"):
            return
        rows = check_embeddings(self.embeddings, self.vocab_size_)
        self.pretrained_dim_ = pretrained_width(rows)
        self.embedding_width_ = self.pretrained_dim_ or self.embedding_dim
        self.embedding_coverage_ = None

    def _check_tokens(self, X):
        return check_tokens(X, type(self).__name__)

    def _outputs(self, X):
        """Network outputs (float32 tensor, one row per sequence of ``X``)."""
        check_is_fitted(self, "net_")
        X = self._check_tokens(X)
        if self.vocab_size is None:
            X = unseen_ids_as_unknown(X, self.vocab_size_, type(self).__name__)
        check_ids_below(X, self.vocab_size_)
        return self._forward(SequenceDataset(X))

    def _split(self, dataset, stratify=None):
        """Training and validation datasets; stratified on ``stratify`` when
        every class is large enough, else a plain random split."""
        if self.validation_split is None:
            return dataset, None
        indices = np.arange(len(dataset))
        seed = self._seed()
        try:
            train, valid = train_test_split(
                indices, test_size=self.validation_split, stratify=stratify,
                random_state=seed,
            )
        except ValueError:  # a class too small to stratify: plain random split
            train, valid = train_test_split(
                indices, test_size=self.validation_split, random_state=seed
            )
        return dataset.subset(train), dataset.subset(valid).sorted_by_length()

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
