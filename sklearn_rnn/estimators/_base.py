"""What the classifier and the language model share: parameters, training, inference."""

import math
import numbers
import os
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    StrOptions,
)
from skorch.callbacks import (
    Checkpoint,
    EarlyStopping,
    GradientNormClipping,
    LRScheduler,
    ProgressBar,
)
from skorch.helper import predefined_split

from sklearn_rnn.estimators._batching import BucketedBatches
from sklearn_rnn.estimators._guards import (
    CHECKPOINT_NAME,
    check_checkpoint_dir,
    check_network_size,
)
from sklearn_rnn.estimators._training import (
    InterruptFlag,
    NonFiniteLossError,
    autocast_dtype,
    resolve_device,
    run_training,
    thread_count,
)
from sklearn_rnn.exceptions import TrainingDivergedError, TrainingWarning
from sklearn_rnn.nn import CELL_TYPES, load_encoder
from sklearn_rnn.persistence import save as save_to_file
from sklearn_rnn.utils._validation import (
    IntegralFloatParams,
    check_is_fitted,
    check_n_threads,
    describe,
    user_stacklevel,
    validate_params,
)

__all__ = ["OPTIMIZERS", "RNNEstimatorBase", "split_dataset", "split_indices"]

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "rmsprop": torch.optim.RMSprop,
    "sgd": torch.optim.SGD,
}
# Predictions need no gradients, so larger batches are cheap and faster.
PREDICT_BATCH_SIZE = 512
# PyTorch's patience counts the bad epochs it tolerates: 0 halves the rate after
# the first epoch without improvement (Keras' patience=1), so with the default
# early-stopping patience of 2 the model gets one epoch at the halved rate.
LR_PLATEAU_FACTOR, LR_PLATEAU_PATIENCE = 0.5, 0
COSINE_FINAL_FRACTION = 0.01  # the cosine schedule ends at 1% of lr


COMMON_CONSTRAINTS = {
    "cell_type": [StrOptions(set(CELL_TYPES))],
    "units": [Interval(numbers.Integral, 1, None, closed="left")],
    "num_layers": [Interval(numbers.Integral, 1, None, closed="left")],
    "embedding_dim": [Interval(numbers.Integral, 1, None, closed="left")],
    "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
    "optimizer": [StrOptions(set(OPTIMIZERS)), type],
    "lr": [Interval(numbers.Real, 0, None, closed="neither")],
    "weight_decay": [Interval(numbers.Real, 0, None, closed="left")],
    "clip_grad_norm": [Interval(numbers.Real, 0, None, closed="neither"), None],
    "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
    "max_epochs": [Interval(numbers.Integral, 1, None, closed="left")],
    "validation_split": [Interval(numbers.Real, 0, 1, closed="neither"), None],
    "early_stopping": ["boolean"],
    "patience": [Interval(numbers.Integral, 1, None, closed="left")],
    "reduce_lr_on_plateau": ["boolean"],
    "lr_schedule": [StrOptions({"constant", "cosine"})],
    "device": [str, torch.device],
    "precision": [StrOptions({"auto", "float32", "bfloat16"})],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
    "callbacks": [list, None],
    "warm_start": ["boolean"],
    "checkpoint_dir": [str, os.PathLike, None],
    "n_threads": [Interval(numbers.Integral, 1, None, closed="left"), None],
}


def split_indices(n_samples, validation_split, seed, stratify=None, noun="samples"):
    """Indices of the training and the validation ``noun``: a random
    ``validation_split`` of them held out (at least one), stratified on
    ``stratify`` where every class is large enough. A split that leaves either
    side empty is an error naming ``validation_split`` and the counts."""
    n_valid = math.ceil(validation_split * n_samples)
    if n_valid >= n_samples:
        raise ValueError(
            f"validation_split={validation_split} of {n_samples} {noun} leaves "
            f"{n_samples - n_valid} for training and {n_valid} for validation; "
            f"both need at least one. Use more {noun}, a smaller "
            "validation_split, or validation_split=None."
        )
    indices = np.arange(n_samples)
    try:
        train, valid = train_test_split(indices, test_size=n_valid,
                                        stratify=stratify, random_state=seed)
    except ValueError:  # a class too small to stratify: a plain random split
        train, valid = train_test_split(indices, test_size=n_valid,
                                        random_state=seed)
    return train, valid


def split_dataset(dataset, validation_split, seed, stratify=None, noun="samples"):
    """``(train, valid)`` subsets of a :class:`SequenceDataset` by
    :func:`split_indices`, the validation set sorted by length (batches of
    similar lengths); ``valid`` is None when ``validation_split`` is."""
    if validation_split is None:
        return dataset, None
    train, valid = split_indices(len(dataset), validation_split, seed, stratify,
                                 noun)
    return dataset.subset(train), dataset.subset(valid).sorted_by_length()


class _Silent:
    """A skorch ``sink`` that prints nothing (for verbose=0)."""

    def __call__(self, *args, **kwargs):
        pass


def _check_callback_names(user, callbacks, owner):
    """A user callback named like one the estimator adds would make skorch
    refuse both as duplicates; say which name is taken and by what."""
    ours = {item[0]: item[1] for item in callbacks
            if isinstance(item, tuple) and item not in user}
    for item in user:
        if isinstance(item, tuple) and item[0] in ours:
            raise ValueError(
                f"callbacks: the name {item[0]!r} is taken by the "
                f"{type(ours[item[0]]).__name__} {owner} adds from its own "
                f"parameters (taken names: {sorted(ours)}); give your callback "
                "another name."
            )


def _unnamed(callback):
    """The callback itself, whether given bare or as a (name, callback) tuple."""
    return callback[1] if isinstance(callback, tuple) else callback


class RNNEstimatorBase(IntegralFloatParams, BaseEstimator):
    """Training and inference shared by :class:`RNNTextClassifier` and
    :class:`CharLanguageModel`. Subclasses build the skorch net and datasets."""

    # What early stopping, the plateau schedule and checkpoints watch on the
    # validation data: (history key, lower is better).
    _validation_monitor = ("valid_loss", True)

    # Parameters that shape the weights: a warm start cannot change them.
    _architecture = ("cell_type", "units", "num_layers")

    def _validate(self):
        """Check the parameters; return the resolved ``(device, precision)``."""
        owner = type(self).__name__
        self._check_optimizer_instance()
        validate_params(self)
        if isinstance(self.optimizer, type) and not issubclass(
            self.optimizer, torch.optim.Optimizer
        ):
            raise InvalidParameterError(
                f"The 'optimizer' parameter of {owner} must be one of "
                f"{sorted(OPTIMIZERS)} or a torch.optim.Optimizer subclass; got "
                f"{self.optimizer!r}."
            )
        if self.reduce_lr_on_plateau and self.lr_schedule != "constant":
            raise ValueError(
                "reduce_lr_on_plateau=True and lr_schedule="
                f"{self.lr_schedule!r} both set the learning rate; use one of them."
            )
        check_n_threads(self.n_threads, owner)
        check_checkpoint_dir(self.checkpoint_dir, owner)
        if self.warm_start and hasattr(self, "net_"):
            self._check_warm_architecture()
        device = resolve_device(self.device)
        dtype = autocast_dtype(self.precision, device)
        return device, "float32" if dtype is None else "bfloat16"

    def _check_optimizer_instance(self):
        """An optimizer instance holds the parameters of another network: the
        estimator builds its own from the class."""
        if isinstance(self.optimizer, torch.optim.Optimizer):
            name = type(self.optimizer).__name__
            raise InvalidParameterError(
                f"The 'optimizer' parameter of {type(self).__name__} must be a name "
                f"among {sorted(OPTIMIZERS)} or an optimizer class, not an "
                f"instance: got an instance of {name}, which is bound to the "
                "parameters of another network. Pass the class, optimizer="
                f"{type(self.optimizer).__module__}.{name}, and set lr and "
                "weight_decay on the estimator."
            )

    def _fitted_architecture(self):
        """The value of each of ``_architecture`` the fitted network was built
        with (the net keeps its ``module__*`` arguments; a net that lacks one
        cannot be checked for it)."""
        return {name: getattr(self.net_, f"module__{name}", getattr(self, name))
                for name in self._architecture}

    def _check_warm_architecture(self):
        """A warm start loads the fitted weights into a network built from the
        current parameters: they must give the fitted network's shape."""
        for name, fitted in self._fitted_architecture().items():
            value = getattr(self, name)
            if value != fitted:
                raise ValueError(
                    f"warm_start=True continues a model trained with {name}="
                    f"{fitted!r}, but {name} is now {value!r}, which builds a "
                    f"network of another shape; set {name}={fitted!r} again, or "
                    "warm_start=False to train a new model."
                )

    def _new_net(self, net_class, **kwargs):
        """``net_class(**kwargs)``, once the network it builds is known to fit
        in the memory of the device."""
        module_params = {name[len("module__"):]: value
                         for name, value in kwargs.items()
                         if name.startswith("module__")}
        check_network_size(kwargs["module"], module_params, type(self).__name__,
                           kwargs["device"])
        return net_class(**kwargs)

    def _seed(self):
        return int(check_random_state(self.random_state).randint(2**31 - 1))

    def _net_kwargs(self, valid_dataset, iterator=BucketedBatches):
        """Keyword arguments of the skorch net common to every estimator."""
        optimizer = OPTIMIZERS.get(self.optimizer, self.optimizer)
        return dict(
            optimizer=optimizer,
            lr=self.lr,
            optimizer__weight_decay=self.weight_decay,
            batch_size=self.batch_size,
            max_epochs=self.max_epochs,
            train_split=None if valid_dataset is None else predefined_split(
                valid_dataset
            ),
            iterator_train=iterator,
            iterator_train__shuffle=True,
            iterator_valid=iterator,
            iterator_valid__batch_size=max(self.batch_size, PREDICT_BATCH_SIZE),
            device=self.device_,
            verbose=int(self.verbose > 0),
            autocast_dtype=None if self.precision_ == "float32" else torch.bfloat16,
        )

    def _callbacks(self, has_validation, scoring=()):
        """skorch callbacks from the flat parameters, plus the user's own.

        Early stopping ends training by raising inside ``on_epoch_end``, so it
        comes after every callback that records something for that epoch; user
        callbacks that end training the same way (``ends_training = True``, such
        as :class:`~sklearn_rnn.callbacks.TimeLimit`) come after it.
        """
        monitor, lower_is_better = "train_loss", True
        if has_validation:
            monitor, lower_is_better = self._validation_monitor
        user = list(self.callbacks or [])
        enders = [cb for cb in user if getattr(_unnamed(cb), "ends_training", False)]
        user = [cb for cb in user if cb not in enders]
        callbacks = [*scoring, *user, ("interrupt", InterruptFlag())]
        if self.lr_schedule == "cosine":
            # last_epoch=-1: a warm start anneals afresh over its own max_epochs
            callbacks.append(("lr_cosine", LRScheduler(
                policy="CosineAnnealingLR", T_max=self.max_epochs,
                eta_min=self.lr * COSINE_FINAL_FRACTION, last_epoch=-1,
            )))
        if self.reduce_lr_on_plateau:
            callbacks.append(("lr_plateau", LRScheduler(
                policy="ReduceLROnPlateau", monitor=monitor,
                mode="min" if lower_is_better else "max",
                factor=LR_PLATEAU_FACTOR, patience=LR_PLATEAU_PATIENCE,
            )))
        if self.clip_grad_norm is not None:
            callbacks.append(("clip_grad_norm", GradientNormClipping(
                gradient_clip_value=self.clip_grad_norm,
            )))
        if self.verbose and self.verbose > 1:
            callbacks.append(("progress_bar", ProgressBar()))
        if self.early_stopping and has_validation:
            callbacks.append(("early_stopping", EarlyStopping(
                monitor=monitor, lower_is_better=lower_is_better,
                patience=self.patience, load_best=True,
                sink=print if self.verbose else _Silent(),
            )))
        if self.checkpoint_dir is not None:
            callbacks.append(("checkpoint", _ModelCheckpoint(
                self, monitor, os.fspath(self.checkpoint_dir))))
        _check_callback_names(user + enders, callbacks, type(self).__name__)
        return callbacks + enders

    def _warm_net(self, net):
        """With ``warm_start`` and a fitted model, ``net`` continues from it."""
        if not (self.warm_start and hasattr(self, "net_")):
            return False
        net.initialize()
        net.module_.load_state_dict(self.net_.module_.state_dict())
        net.history_ = type(self.net_.history)(
            [dict(epoch) for epoch in self.net_.history]
        )
        return True

    def _train(self, net, train_dataset, has_validation, initial_state=None):
        """Fit ``net`` reproducibly and record the fitted attributes.

        ``initial_state`` (pretrained embedding and encoder weights) is loaded
        into the freshly initialised network before training, unless a warm
        start continues the fitted one.
        """
        if self.early_stopping and not has_validation:
            warnings.warn(
                "early_stopping=True needs validation data, but validation_split is "
                f"None; training runs for all max_epochs={self.max_epochs} epochs.",
                TrainingWarning, stacklevel=user_stacklevel(),
            )
        interrupt_flag = next(
            item[1] for item in net.callbacks
            if isinstance(item, tuple) and item[0] == "interrupt"
        )
        devices = [torch.device(self.device_)] if self.device_ != "cpu" else []
        try:
            with torch.random.fork_rng(devices=devices):
                torch.manual_seed(self._seed())
                started = self._warm_net(net) or _start_from(net, initial_state)
                fit = net.partial_fit if started else net.fit
                interrupted = run_training(
                    lambda: fit(train_dataset, y=None), self.device_,
                    interrupt_flag, self.n_threads,
                )
        except NonFiniteLossError as error:
            self._record_fit(net)
            raise TrainingDivergedError(
                f"Training diverged in epoch {len(net.history)}: the loss became "
                f"{error.loss}. The estimator keeps the last finite weights. Try a "
                f"lower lr (now {self.lr}) or gradient clipping (clip_grad_norm="
                f"{self.clip_grad_norm}; e.g. 1.0)."
            ) from None
        self._record_fit(net)
        if interrupted:
            warnings.warn(
                f"Training interrupted after {self.n_epochs_} epoch(s); the estimator "
                f"holds the weights of epoch {self.best_epoch_}.",
                TrainingWarning, stacklevel=user_stacklevel(),
            )

    def _record_fit(self, net):
        self.net_ = net
        self.history_ = net.history
        self.n_epochs_ = len(net.history)
        self.best_epoch_ = self._best_epoch(net)

    def __setstate__(self, state):
        super().__setstate__(state)
        # Unpickled where the training device does not exist (a CUDA model on a
        # CPU-only machine), skorch moves the weights to the CPU; follow it.
        if "net_" in self.__dict__:
            self.device_ = str(self.net_.device)

    @staticmethod
    def _best_epoch(net):
        early_stopping = dict(net.callbacks_).get("early_stopping")
        if early_stopping is not None and getattr(early_stopping, "best_epoch_", 0):
            return int(early_stopping.best_epoch_)
        return len(net.history)

    def save(self, path):
        """Save the fitted estimator to ``path`` in the safe format of
        :func:`sklearn_rnn.save` (safetensors weights + JSON, never pickle)."""
        save_to_file(self, path)

    # The fitted attributes a model file keeps besides the weights and the
    # history, with what loading checks them against; subclasses add theirs.
    _fitted_constraints = {
        "device_": [str],
        "precision_": [StrOptions({"float32", "bfloat16"})],
        "n_epochs_": [Interval(numbers.Integral, 0, None, closed="left")],
        "best_epoch_": [Interval(numbers.Integral, 0, None, closed="left")],
    }

    def _rebuild_net(self):
        """The untrained skorch net of the fitted attributes (for loading)."""
        raise NotImplementedError

    def _forward(self, dataset):
        """Logits for every sample of ``dataset``, batched by length, in order."""
        module = self.net_.module_
        module.eval()
        order = np.argsort(dataset.lengths, kind="stable")
        outputs = []
        with torch.inference_mode(), self.net_.autocast(), thread_count(
            self.n_threads, type(self).__name__
        ):
            for start in range(0, len(order), PREDICT_BATCH_SIZE):
                index = order[start:start + PREDICT_BATCH_SIZE]
                tokens = dataset.tokens[index].to(self.device_)
                outputs.append(module(tokens).float().cpu())
        logits = torch.cat(outputs) if outputs else torch.zeros(0)
        return logits[torch.as_tensor(np.argsort(order, kind="stable"))]

    def summary(self, print_fn=None):
        """Keras-style table of layers, output shapes and parameter counts.

        Parameters
        ----------
        print_fn : callable, default=None
            Called with the table; when None the table is returned instead.

        Returns
        -------
        table : str or None
        """
        check_is_fitted(self, "net_")
        if print_fn is not None and not callable(print_fn):
            raise TypeError(
                f"print_fn must be None or a callable that takes the table, such "
                f"as print; got {describe(print_fn)}."
            )
        module = self.net_.module_
        rows = module.layer_table()
        total = sum(p.numel() for p in module.parameters())
        trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
        widths = [max(len(str(r[i])) for r in rows + [self._HEADER]) for i in range(3)]
        line = "  ".join(f"{{:<{w}}}" for w in widths[:2]) + f"  {{:>{widths[2]}}}"
        rule = "-" * (sum(widths) + 4)
        body = [line.format(*self._HEADER), rule]
        body += [line.format(name, shape, f"{n:,}") for name, shape, n in rows]
        body += [rule, f"Total params: {total:,}", f"Trainable params: {trainable:,}",
                 f"Non-trainable params: {total - trainable:,}"]
        table = "\n".join(body)
        if print_fn is None:
            return table
        print_fn(table)
        return None

    _HEADER = ("Layer (type)", "Output Shape", "Param #")


def _start_from(net, initial_state):
    """Initialise ``net`` and load ``initial_state`` into its encoders; False
    (nothing done) without a state."""
    if initial_state is None:
        return False
    net.initialize()
    load_encoder(net.module_, initial_state)
    return True


class _ModelCheckpoint(Checkpoint):
    """skorch's ``Checkpoint`` writing the whole estimator as one model file
    (:func:`sklearn_rnn.save`) after every epoch that improves the monitored
    score, so a crash or a kill loses at most the epochs since; the file loads
    with :func:`sklearn_rnn.load` like any saved model."""

    def __init__(self, estimator, monitor, dirname):
        super().__init__(monitor=f"{monitor}_best", f_params=None,
                         f_optimizer=None, f_criterion=None, f_history=None,
                         dirname=dirname, event_name=None)
        self.estimator = estimator

    def save_model(self, net):
        self.estimator._record_fit(net)
        save_to_file(self.estimator, Path(self.dirname) / CHECKPOINT_NAME)
