"""Parameter documentation written once and shared by the estimators' docstrings."""

import textwrap

__all__ = ["fill_doc"]

_PARAMETERS = {
    "cell_type": """\
cell_type : {'rnn', 'lstm', 'gru'}, default=%(cell_type)r
    Recurrent cell: ``'rnn'`` is Keras' SimpleRNN (tanh), ``'lstm'`` and
    ``'gru'`` PyTorch's LSTM and GRU.""",
    "units": """\
units : int, default=%(units)r
    Hidden units of each recurrent layer (per direction).""",
    "num_layers": """\
num_layers : int, default=%(num_layers)r
    Number of stacked recurrent layers; every layer but the last returns its
    full sequence to the next (Keras' ``return_sequences=True``) for you.""",
    "embedding_dim": """\
embedding_dim : int, default=%(embedding_dim)r
    Size of the token embeddings (at least the width of pretrained
    ``embeddings``).""",
    "dropout": """\
dropout : float in [0, 1), default=%(dropout)r
    Dropout rate on the inputs of every recurrent layer and before the output
    layer.""",
    "bidirectional": """\
bidirectional : bool, default=%(bidirectional)r
    Read each sequence in both directions (Keras' ``bidirectional()``).""",
    "pooling": """\
pooling : {'last', 'max', 'mean'}, default=%(pooling)r
    How the recurrent outputs over time become one vector: the last real step
    (Keras' default), or the maximum or mean over real steps.""",
    "recurrent_dropout": """\
recurrent_dropout : float in [0, 1), default=%(recurrent_dropout)r
    Dropout on the recurrent (hidden-to-hidden) connections: entries of the
    recurrent weight matrix are dropped with one mask per batch, identical at
    every time step (DropConnect, as in AWD-LSTM), which keeps PyTorch's fused
    RNN kernel.""",
    "embeddings": """\
embeddings : None, 'word2vec', WordVectors, Word2VecEmbeddings or array-like, \
default=None
    What the embedding layer starts as. None: random. A
    :class:`~sklearn_rnn.embeddings.WordVectors` (e.g.
    ``load_glove_6b_50d()``): pretrained vectors, aligned in every fit to the
    vocabulary that fit's ``TextVectorizer`` learned (``X`` from
    ``make_pipeline(TextVectorizer(), SequencePadder(), ...)`` carries its
    tokens), so cross-validation never sees held-out words; words without a
    vector start as ``missing_vectors`` says. ``'word2vec'`` or a
    :class:`~sklearn_rnn.embeddings.Word2VecEmbeddings`: vectors that gensim's
    word2vec learns from the texts given to ``fit``, no file needed. An array
    of shape (vocab_size, d): rows already aligned with the ids. Vectors of
    ``d < embedding_dim`` dimensions fill the first ``d`` columns and the
    other ``embedding_dim - d`` start random; wider vectors set the width. A
    model file keeps the aligned rows in its weights, never the vector set.""",
    "pretrain": """\
pretrain : None, EncoderPretrainer or FrozenEstimator, default=None
    Start the embedding and the recurrent layers from language models
    trained on texts (see :class:`~sklearn_rnn.EncoderPretrainer`), then
    fine-tune the whole network on the labelled samples. An unfitted
    pretrainer is fitted in every ``fit`` on all the texts of ``X``, the
    unlabelled ones included (``y`` = -1, see ``fit``), with this model's architecture
    and device; a fitted one is reused as it is (the same vectorizer, cell
    type, units, layers, direction and embedding width). Wrap a fitted one in
    ``sklearn.frozen.FrozenEstimator`` so that ``clone`` and
    ``GridSearchCV`` keep it fitted. A warm start continues the fitted
    network instead. The fitted pretrainer is ``pretrainer_``; a model file
    keeps the fine-tuned network and the pretrainer's parameters, not its
    weights (save ``pretrainer_`` on its own to reuse it).""",
    "freeze_embeddings": """\
freeze_embeddings : bool, default=%(freeze_embeddings)r
    Keep the pretrained (or self-learned) columns of the embedding fixed
    during training; the extra random columns still train. Without
    ``embeddings``, the whole random embedding stays fixed.""",
    "missing_vectors": """\
missing_vectors : {'random', 'zeros', 'mean'}, default=%(missing_vectors)r
    What the rows of words without a pretrained vector (and of the
    unknown-word id) start as: drawn from a normal distribution with the
    per-dimension mean and spread of the found vectors, zeros, or the mean
    found vector. Words are looked up as they are, then lower-cased,
    capitalised and upper-cased, then as the mean of their clitic parts
    (``"don't"`` as ``"do"`` and ``"n't"``).""",
    "vocab_size": """\
vocab_size : int, default=%(vocab_size)r
    Size of the token id range. None infers ``X.max() + 1`` at fit; larger
    ids met at predict time are then words the model never saw in training
    and are read as the unknown-word id 1 (as ``TextVectorizer`` reads
    unknown words): in a cross-validated pipeline the vectorizer can know
    more words than survive padding in the training fold. That happens
    silently while such ids are few; an ``UnseenTokenWarning`` (one per call,
    with counts) says when more than 5%% of a call's non-padding ids (and at
    least 10) are unseen or an id is at least twice the fitted range, and a
    ValueError when most ids are unseen: ids from another vocabulary. When
    set, ids must be below it, at fit and at predict.""",
    "optimizer": """\
optimizer : {'adam', 'adamw', 'rmsprop', 'sgd'} or torch optimizer class, \
default=%(optimizer)r
    Optimizer used for training.""",
    "lr": """\
lr : float, default=%(lr)r
    Learning rate.""",
    "weight_decay": """\
weight_decay : float, default=%(weight_decay)r
    L2 penalty passed to the optimizer (Keras' ``regularizer_l2``).""",
    "clip_grad_norm": """\
clip_grad_norm : float or None, default=%(clip_grad_norm)r
    Clip the gradient norm to this value (skorch ``GradientNormClipping``).""",
    "batch_size": """\
batch_size : int, default=%(batch_size)r
    Training batch size.""",
    "max_epochs": """\
max_epochs : int, default=%(max_epochs)r
    Maximum number of passes over the training data.""",
    "early_stopping": """\
early_stopping : bool, default=%(early_stopping)r
    Stop when the validation loss has not improved for ``patience`` epochs and
    restore the weights of the best epoch (Keras' ``restore_best_weights``).
    Needs ``validation_split``.""",
    "patience": """\
patience : int, default=%(patience)r
    Epochs without improvement of the validation loss before stopping.""",
    "lr_schedule": """\
lr_schedule : {'constant', 'cosine'}, default=%(lr_schedule)r
    ``'cosine'`` anneals the learning rate from ``lr`` to 1%% of it over
    ``max_epochs`` (skorch ``LRScheduler`` with ``CosineAnnealingLR``), which
    usually gains most in the last epochs of a fixed budget.""",
    "reduce_lr_on_plateau": """\
reduce_lr_on_plateau : bool, default=%(reduce_lr_on_plateau)r
    Halve the learning rate after every epoch without improvement of the
    monitored loss (skorch ``LRScheduler`` with ``ReduceLROnPlateau``).""",
    "device": """\
device : {'auto', 'cpu', 'cuda'} or str, default=%(device)r
    Where to train; ``'auto'`` picks CUDA when available, else CPU.""",
    "precision": """\
precision : {'auto', 'float32', 'bfloat16'}, default=%(precision)r
    Arithmetic for training and prediction. ``'bfloat16'`` runs the forward pass
    under ``torch.autocast`` (weights and optimizer state stay float32);
    ``'auto'`` chooses it only where the hardware computes bfloat16 natively (CPUs
    with AVX512-BF16 or AMX, recent GPUs), float32 elsewhere.""",
    "random_state": """\
random_state : int, RandomState instance or None, default=%(random_state)r
    Seeds weight initialisation, dropout, batch order and the validation split.
    An int gives identical results for identical data. The global torch random
    state of the caller is left as it was.""",
    "verbose": """\
verbose : int, default=%(verbose)r
    0 prints nothing, 1 skorch's table of epochs, 2 also a progress bar over
    the batches of each epoch (and over long generated texts).""",
    "callbacks": """\
callbacks : list of skorch callbacks or (name, callback) tuples, default=None
    Extra skorch callbacks, e.g. ``skorch.callbacks.Checkpoint``.""",
    "warm_start": """\
warm_start : bool, default=%(warm_start)r
    When fitted already, ``fit`` continues training the current weights for up
    to ``max_epochs`` more epochs and extends ``history_``, instead of starting
    afresh. Use it to resume from a checkpoint (see ``checkpoint_dir``). The
    data must have the same classes and vocabulary as before.""",
    "checkpoint_dir": """\
checkpoint_dir : str, path or None, default=%(checkpoint_dir)r
    Directory where the best model so far is saved after every epoch that
    improves the monitored loss, as ``checkpoint.safetensors`` in the safe format
    of :func:`sklearn_rnn.save` (written atomically, so a crash never leaves a
    broken file). ``sklearn_rnn.load`` it and fit with ``warm_start=True`` to
    resume an interrupted training.""",
    "n_threads": """\
n_threads : int or None, default=%(n_threads)r
    CPU threads for training and prediction. None keeps PyTorch's setting, which
    inside a joblib worker (``GridSearchCV(n_jobs=k)`` with the default loky
    backend) is already the machine's cores divided by ``k``. The caller's own
    thread settings are never changed.""",
}


def fill_doc(*names):
    """Decorator: replace ``{shared_parameters}`` in a class docstring.

    The entries named in ``names`` are formatted with the class's own defaults, so
    the documented defaults cannot drift from the signature.
    """

    def decorate(cls):
        import inspect

        defaults = {
            name: p.default for name, p in inspect.signature(cls).parameters.items()
        }
        text = "\n".join(_PARAMETERS[name] % defaults for name in names)
        cls.__doc__ = cls.__doc__.replace(
            "{shared_parameters}", textwrap.indent(text, "    ").lstrip()
        )
        return cls

    return decorate
