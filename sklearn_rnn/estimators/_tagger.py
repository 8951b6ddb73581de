"""RNNTagger: a recurrent sequence labeller (part-of-speech, named entities)."""

import numbers

import numpy as np
import torch
from sklearn.utils._param_validation import Interval, StrOptions
from skorch import NeuralNet
from skorch.callbacks import Callback

from sklearn_rnn.embeddings import Word2VecEmbeddings, WordVectors
from sklearn_rnn.embeddings._vectors import MISSING_VECTOR_INITS, SavedWordVectors
from sklearn_rnn.estimators._base import (
    COMMON_CONSTRAINTS,
    RNNEstimatorBase,
    split_indices,
)
from sklearn_rnn.estimators._docs import fill_doc
from sklearn_rnn.estimators._embeddings import (
    check_embeddings_param,
    placeholder_rows,
    pretrained_width,
)
from sklearn_rnn.estimators._guards import keeps_fitted_state
from sklearn_rnn.estimators._sentences import IGNORED_TAG, SentenceEncoder
from sklearn_rnn.estimators._training import NetMixin, NonFiniteLossError, thread_count
from sklearn_rnn.nn import RNNTaggerModule
from sklearn_rnn.persistence._state import Array, loadable
from sklearn_rnn.utils._checks import (
    check_sample_weight,
    check_sentences,
    check_tag_lists,
)
from sklearn_rnn.utils._validation import check_is_fitted

__all__ = ["RNNTagger"]

# Sentences per batch in prediction and validation. Unlike a classifier's few
# long texts, a tagger's batch is many short sequences: past a few hundred
# sentences the recurrent layers' per-step activations outgrow the CPU caches
# and inference slows down instead of speeding up.
PREDICT_SENTENCES = 128


class _TaggerNet(NetMixin, NeuralNet):
    """skorch net whose loss is the mean over real tokens (never padding),
    with per-sentence sample weights."""

    def get_loss(self, y_pred, y_true, X=None, training=False):
        y_true = y_true.to(y_pred.device)
        losses = self.module_.loss(y_pred, y_true)  # (B, T), 0 at padding
        weights = X.get("sample_weight") if isinstance(X, dict) else None
        if weights is not None:
            losses = losses * weights.to(losses.device).unsqueeze(1)
        loss = losses.sum() / (y_true != IGNORED_TAG).sum().clamp(min=1)
        if training and not torch.isfinite(loss):
            raise NonFiniteLossError(loss.item())
        return loss


class _ValidTokenAccuracy(Callback):
    """Records ``valid_acc``, the token accuracy on the validation sentences,
    from the scores the validation pass computes anyway."""

    def on_epoch_begin(self, net, **kwargs):
        self.correct, self.total = 0, 0

    def on_batch_end(self, net, batch=None, training=None, y_pred=None, **kwargs):
        if training or y_pred is None:
            return
        tags = batch[1].to(y_pred.device)
        mask = tags != IGNORED_TAG
        predicted = net.module_.predict(y_pred, mask)
        self.correct += int(((predicted == tags) & mask).sum())
        self.total += int(mask.sum())

    def on_epoch_end(self, net, **kwargs):
        if not self.total:
            return
        accuracy = self.correct / self.total
        earlier = [e["valid_acc"] for e in net.history[:-1] if "valid_acc" in e]
        net.history.record("valid_acc", accuracy)
        net.history.record("valid_acc_best", accuracy > max(earlier, default=-1.0))


_TAGGER_DOC_PARAMETERS = (
    "cell_type", "units", "num_layers", "bidirectional", "embedding_dim",
    "freeze_embeddings", "missing_vectors", "dropout", "recurrent_dropout",
    "optimizer", "lr", "lr_schedule", "weight_decay", "clip_grad_norm",
    "max_epochs", "device",
    "precision", "random_state", "verbose", "callbacks", "warm_start",
    "checkpoint_dir", "n_threads",
)


@fill_doc(*_TAGGER_DOC_PARAMETERS)
@loadable
class RNNTagger(RNNEstimatorBase):
    """Recurrent sequence tagger: one tag per token (part of speech, entities).

    The network reads every token twice: a word embedding, and a character
    convolution over its spelling, so that words never seen in training are
    tagged from their prefixes, suffixes and capitals (Ma & Hovy 2016).
    Both feed bidirectional recurrent layers whose output at each token
    scores the tags, either independently (softmax) or jointly with a
    linear-chain CRF (``crf=True``), which learns which tag may follow which —
    the usual choice for BIO entity tags.

    The data follow sklearn-crfsuite's convention: ``X`` is a list of
    sentences, each a list of token strings, and ``y`` a list of tag lists of
    the same lengths. Early stopping watches a validation split of the
    sentences given to ``fit``; the word and character vocabularies come from
    the training part only, so validation sentences meet unseen words as test
    sentences do. Padding never changes a tag: a sentence gets the same tags
    whatever other sentences share its batch.

    Parameters
    ----------
    {shared_parameters}
    embeddings : None, 'word2vec', WordVectors or Word2VecEmbeddings, \
default=None
        Start of the word embedding: random (None), pretrained vectors
        (:class:`~sklearn_rnn.embeddings.WordVectors`, aligned in every fit
        to that fit's vocabulary), or vectors gensim's word2vec learns from
        the training sentences (``'word2vec'``).
    lowercase : bool, default=True
        Look words up lower-cased; capitals still reach the network through
        the character features.
    char_dim : int, default=30
        Width of the character embedding; 0 turns character features off.
    char_filters : int, default=64
        Number of character convolution filters (the width of a word's
        spelling vector).
    char_width : int, default=3
        Characters each filter reads at once.
    word_dropout : float >= 0, default=0.25
        Word dropout by rarity (Kiperwasser & Goldberg 2016): in training, a
        token whose word occurs ``c`` times in the training sentences reads as
        an unknown word with probability ``word_dropout / (word_dropout + c)``,
        so the network learns to tag rare and new words from their spelling.
        0 turns it off.
    crf : bool, default=False
        Decode with a linear-chain CRF instead of per-token softmax.
    batch_size : int, default=32
        Sentences per batch.
    validation_split : float in (0, 1) or None, default=0.1
        Share of the sentences held out for early stopping. None trains on all.
    early_stopping : bool, default=True
        Stop when the token accuracy on the validation sentences has not
        improved for ``patience`` epochs, and restore the weights of the best
        epoch. Needs ``validation_split``.
    patience : int, default=5
        Epochs without a better validation accuracy before stopping. The
        cosine schedule's last, low-rate epochs often bring the best accuracy
        after a few flat ones, so the tagger waits longer than the classifier.
    reduce_lr_on_plateau : bool, default=False
        Halve the learning rate after an epoch without a better validation
        accuracy (with ``lr_schedule='constant'``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_tags,)
        The tag set, sorted.
    vocabulary_ : ndarray of str
        Word of every word id (0 padding and 1 unknown are ``''``).
    characters_ : ndarray of str
        Character of every character id.
    embedding_coverage_ : float or None
        Share of the vocabulary that got a pretrained or self-learned vector.
    net_ : skorch.NeuralNet
        The trained net; ``net_.module_`` is the torch module.
    history_ : skorch.History
        Per-epoch record (``train_loss``, ``valid_loss``, ``valid_acc``).
    n_epochs_, best_epoch_ : int
        Epochs run; epoch whose weights the model holds (1-based).
    device_, precision_ : str
        Device and arithmetic used.

    See Also
    --------
    sklearn_rnn.datasets.read_conllu : Read tagged sentences (CoNLL-U).
    sklearn_rnn.metrics.entity_f1_score : Entity-level F1 for BIO tags.

    Examples
    --------
    >>> from sklearn_rnn import RNNTagger
    >>> X = [["the", "dog", "runs"], ["a", "cat", "sleeps"]] * 20
    >>> y = [["DET", "NOUN", "VERB"]] * 40
    >>> tagger = RNNTagger(units=16, embedding_dim=16, char_filters=8,
    ...                    max_epochs=20, lr=0.01, validation_split=None,
    ...                    early_stopping=False,
    ...                    random_state=0).fit(X, y)
    >>> tagger.predict([["the", "cat", "runs"]])
    [['DET', 'NOUN', 'VERB']]
    """

    _parameter_constraints = {
        **COMMON_CONSTRAINTS,
        "bidirectional": ["boolean"],
        "recurrent_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "embeddings": [None, StrOptions({"word2vec"}), WordVectors,
                       Word2VecEmbeddings, SavedWordVectors],
        "freeze_embeddings": ["boolean"],
        "missing_vectors": [StrOptions(set(MISSING_VECTOR_INITS))],
        "lowercase": ["boolean"],
        "char_dim": [Interval(numbers.Integral, 0, None, closed="left")],
        "char_filters": [Interval(numbers.Integral, 1, None, closed="left")],
        "char_width": [Interval(numbers.Integral, 1, None, closed="left")],
        "word_dropout": [Interval(numbers.Real, 0, None, closed="left")],
        "crf": ["boolean"],
    }
    # Token accuracy, what a tagger is for: with a cosine schedule it keeps
    # rising through the last, low-rate epochs while the loss can turn up as
    # the network grows confident.
    _validation_monitor = ("valid_acc", False)
    _architecture = (*RNNEstimatorBase._architecture, "bidirectional",
                     "embedding_dim", "char_dim", "char_filters", "char_width",
                     "crf")
    _fitted_constraints = {
        **RNNEstimatorBase._fitted_constraints,
        "classes_": [Array("iuUO", min_length=1, distinct=True)],
        "vocabulary_": [Array("O", min_length=2)],
        "characters_": [Array("O", min_length=4)],
        "pretrained_dim_": [Interval(numbers.Integral, 0, None, closed="left")],
        "embedding_coverage_": [Interval(numbers.Real, 0, 1, closed="both"), None],
    }

    def __init__(
        self,
        *,
        cell_type="lstm",
        units=128,
        num_layers=2,
        bidirectional=True,
        embedding_dim=100,
        embeddings=None,
        freeze_embeddings=False,
        missing_vectors="random",
        lowercase=True,
        char_dim=30,
        char_filters=64,
        char_width=3,
        word_dropout=0.25,
        crf=False,
        dropout=0.33,
        recurrent_dropout=0.0,
        optimizer="adam",
        lr=2e-3,
        lr_schedule="cosine",
        weight_decay=0.0,
        clip_grad_norm=5.0,
        batch_size=32,
        max_epochs=15,
        validation_split=0.1,
        early_stopping=True,
        patience=5,
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
        self.bidirectional = bidirectional
        self.embedding_dim = embedding_dim
        self.embeddings = embeddings
        self.freeze_embeddings = freeze_embeddings
        self.missing_vectors = missing_vectors
        self.lowercase = lowercase
        self.char_dim = char_dim
        self.char_filters = char_filters
        self.char_width = char_width
        self.word_dropout = word_dropout
        self.crf = crf
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
        self.device = device
        self.precision = precision
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.checkpoint_dir = checkpoint_dir
        self.n_threads = n_threads

    # ----------------------------------------------------------------- fitting
    @keeps_fitted_state
    def fit(self, X, y, sample_weight=None):
        """Train on tagged sentences.

        Parameters
        ----------
        X : list of list of str
            Sentences, each a list of tokens.
        y : list of list of str or int
            The tag of every token, sentence by sentence.
        sample_weight : array-like of shape (n_sentences,), default=None
            Weight of each sentence in the loss (all its tokens).

        Returns
        -------
        self : RNNTagger
        """
        owner = type(self).__name__
        check_embeddings_param(self.embeddings, owner)
        device, precision = self._validate()
        sentences = check_sentences(X, owner, allow_empty=False)
        tag_lists = check_tag_lists(y, sentences, owner)
        weights = None if sample_weight is None else check_sample_weight(
            sample_weight, len(sentences), owner, noun="sentences")
        warm = self.warm_start and hasattr(self, "net_")
        classes = self.classes_ if warm else np.unique(
            np.array([t for tags in tag_lists for t in tags]))
        tag_ids = self._encode_tags(tag_lists, classes)
        train, valid = self._split(len(sentences))
        train_sentences = [sentences[i] for i in train]
        if warm:
            encoder = self._encoder()
        else:
            encoder = SentenceEncoder.learn(train_sentences, self.lowercase)
        counts = encoder.word_counts(train_sentences)
        rates = self.word_dropout / np.maximum(self.word_dropout + counts, 1e-12)
        datasets = [self._dataset(encoder, sentences, tag_ids, weights, train, rates),
                    self._dataset(encoder, sentences, tag_ids, weights, valid)]
        rows, coverage = self._initial_rows(encoder, datasets[0], warm)
        # Fitted state changes only once the input is known to be valid.
        self.device_, self.precision_ = device, precision
        self.classes_ = classes
        self.vocabulary_ = np.array(encoder.words, dtype=object)
        self.characters_ = np.array(encoder.chars, dtype=object)
        if not warm:
            self.pretrained_dim_ = pretrained_width(rows)
            self.embedding_coverage_ = coverage
        net = self._build_net(datasets[1], rows)
        self._train(net, datasets[0], has_validation=datasets[1] is not None)
        return self

    def _encode_tags(self, tag_lists, classes):
        flat = np.array([t for tags in tag_lists for t in tags])
        ids = np.searchsorted(classes, flat)
        ids = np.minimum(ids, len(classes) - 1)
        unknown = classes[ids] != flat
        if unknown.any():
            raise ValueError(
                f"warm_start=True continues a model trained on the tags "
                f"{classes.tolist()}, but y has others "
                f"({sorted(set(flat[unknown].tolist()))}); "
                "set warm_start=False to train a new model."
            )
        return ids

    def _split(self, n_sentences):
        """Indices of the training and validation sentences (None: no split)."""
        if self.validation_split is None:
            return np.arange(n_sentences), None
        train, valid = split_indices(n_sentences, self.validation_split,
                                     self._seed(), noun="sentences")
        return np.sort(train), np.sort(valid)

    @staticmethod
    def _dataset(encoder, sentences, tag_ids, weights, part, drop_rates=None):
        """The sentences at ``part`` (None: no dataset), with their tags."""
        if part is None:
            return None
        starts = np.concatenate([[0], np.cumsum([len(s) for s in sentences])])
        tokens = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in part])
        return encoder.encode([sentences[i] for i in part], tag_ids[tokens],
                              None if weights is None else weights[part],
                              drop_rates)

    def _initial_rows(self, encoder, train, warm):
        """``(rows, coverage)``: pretrained or self-learned word rows, or None."""
        spec = self.embeddings
        if warm:  # the rows come from the fitted network
            return self._placeholder_rows(), self.embedding_coverage_
        if spec is None:
            return None, None
        if isinstance(spec, SavedWordVectors):
            raise ValueError(
                f"{type(self).__name__} was loaded from a model file and trained "
                f"with the word vectors {spec!r}, which a model file does not keep; "
                "pass them again with set_params(embeddings=...) before fitting."
            )
        seed = self._seed()
        if isinstance(spec, WordVectors):
            rows, found = spec.align(encoder.words, missing=self.missing_vectors,
                                     random_state=seed)
        else:
            word2vec = Word2VecEmbeddings() if spec == "word2vec" else spec
            rows, found = word2vec.train(train.padded_words(), len(encoder.words),
                                         self.embedding_dim, random_state=seed)
        return rows, float(found[2:].mean()) if len(found) > 2 else 0.0

    def _encoder(self):
        return SentenceEncoder(self.vocabulary_, self.characters_, self.lowercase)

    def _build_net(self, valid, embeddings=None):
        return self._new_net(
            _TaggerNet,
            module=RNNTaggerModule,
            module__vocab_size=len(self.vocabulary_),
            module__n_chars=len(self.characters_),
            module__n_tags=len(self.classes_),
            module__embedding_dim=self.embedding_dim,
            module__char_dim=self.char_dim,
            module__char_filters=self.char_filters,
            module__char_width=self.char_width,
            module__cell_type=self.cell_type,
            module__units=self.units,
            module__num_layers=self.num_layers,
            module__bidirectional=self.bidirectional,
            module__dropout=self.dropout,
            module__recurrent_dropout=self.recurrent_dropout,
            module__crf=self.crf,
            module__embeddings=None if embeddings is None else torch.as_tensor(
                embeddings),
            module__freeze_embeddings=self.freeze_embeddings,
            criterion=torch.nn.CrossEntropyLoss,  # unused: get_loss asks the module
            callbacks=self._callbacks(
                valid is not None, scoring=[("valid_acc", _ValidTokenAccuracy())]),
            **{**self._net_kwargs(valid),
               "iterator_valid__batch_size": PREDICT_SENTENCES},
        )

    def _rebuild_net(self):
        return self._build_net(None, self._placeholder_rows())

    def _placeholder_rows(self):
        return placeholder_rows(len(self.vocabulary_), self.pretrained_dim_)

    # -------------------------------------------------------------- prediction
    def predict(self, X):
        """Tags of every token.

        Parameters
        ----------
        X : list of list of str
            Sentences; an empty sentence gets an empty tag list.

        Returns
        -------
        y : list of list
            One list of tags per sentence.
        """
        ids = self._run(X, probabilities=False)
        return [self.classes_[row].tolist() for row in ids]

    def predict_proba(self, X):
        """Tag probabilities of every token (softmax, or the CRF's marginals).

        Parameters
        ----------
        X : list of list of str

        Returns
        -------
        proba : list of ndarray of shape (n_tokens, n_tags)
            One array per sentence; columns follow ``classes_``.
        """
        return self._run(X, probabilities=True)

    def score(self, X, y, sample_weight=None):
        """Token accuracy of ``predict(X)`` against ``y`` (tags not in
        ``classes_`` count as errors).

        Parameters
        ----------
        X : list of list of str
        y : list of list
        sample_weight : array-like of shape (n_sentences,), default=None

        Returns
        -------
        score : float
        """
        from sklearn_rnn.metrics import token_accuracy_score

        sentences = check_sentences(X, type(self).__name__)
        y = check_tag_lists(y, sentences, type(self).__name__)
        return token_accuracy_score(y, self.predict(sentences),
                                    sample_weight=sample_weight)

    def _run(self, X, probabilities):
        """Per-sentence arrays of tag ids or probabilities, in input order."""
        check_is_fitted(self, "net_")
        sentences = check_sentences(X, type(self).__name__)
        dataset = self._encoder().encode(sentences)
        module = self.net_.module_
        module.eval()
        order = np.argsort(dataset.lengths, kind="stable")
        results = [None] * len(sentences)
        with torch.inference_mode(), self.net_.autocast(), thread_count(
                self.n_threads, type(self).__name__):
            for start in range(0, len(order), PREDICT_SENTENCES):
                index = order[start:start + PREDICT_SENTENCES]
                x, _ = dataset.batch(index)
                x = {key: value.to(self.device_) for key, value in x.items()}
                scores = module(**x).float()
                words = x["words"]
                mask = words != 0
                out = module.probabilities(scores, mask) if probabilities \
                    else module.predict(scores, mask)
                out = out.cpu().numpy()
                for row, i in enumerate(index):
                    results[i] = out[row, :dataset.lengths[i]]
        return results

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.required = True
        return tags
