"""Guards of ``fit``: a network too large for the device's memory and a
checkpoint directory that cannot be written are refused before training, and a
fit that fails puts the fitted state back as it was."""

import functools
import numbers
import os
from pathlib import Path

from sklearn.utils._param_validation import InvalidParameterError

from sklearn_rnn.exceptions import TrainingDivergedError
from sklearn_rnn.nn._devices import device_memory
from sklearn_rnn.utils._validation import count_text, human_bytes

__all__ = ["CHECKPOINT_NAME", "check_checkpoint_dir", "check_network_size",
           "keeps_fitted_state"]

CHECKPOINT_NAME = "checkpoint.safetensors"
# What training holds per parameter: the float32 weight, its gradient and
# Adam's two moments.
BYTES_PER_PARAMETER = 16
# A bound on what one recurrent layer costs beyond its weights: its modules,
# its optimizer-state entries and its nodes of the autograd graph.
BYTES_PER_LAYER = 2**17
# Sizes of a network that come from the data rather than from a parameter.
DATA_SIZES = {"n_classes": "classes in y", "n_outputs": "targets in y",
              "n_tags": "tags in y", "n_chars": "characters"}


def keeps_fitted_state(fit):
    """Decorator of ``fit``: when it fails, the estimator's fitted attributes are
    put back as they were, so a model fitted before stays usable (a refit on
    three classes that fails in training must not leave ``classes_`` with three
    next to a network with two outputs). A diverged training is the exception:
    it keeps its last finite weights, as :class:`TrainingDivergedError` says."""

    @functools.wraps(fit)
    def wrapper(self, *args, **kwargs):
        saved = _fitted_state(self)
        try:
            return fit(self, *args, **kwargs)
        except TrainingDivergedError:
            raise
        except BaseException:
            for name in _fitted_state(self).keys() - saved.keys():
                delattr(self, name)
            vars(self).update(saved)
            raise

    return wrapper


def _fitted_state(estimator):
    return {name: value for name, value in vars(estimator).items()
            if name.endswith("_") and not name.startswith("_")}


def check_network_size(module, module_params, owner, device):
    """Refuse, before anything is allocated, a network whose training would not
    fit in the memory of ``device``, naming the size that contributes most.

    Parameters
    ----------
    module : type
        The torch module class, with a ``size`` method taking the arguments of
        its ``__init__``.
    module_params : dict
        The ``module__*`` arguments of the net, without the prefix.
    owner : str
        The estimator's class name, for the message.
    device : str
        The checked device to train on.

    Raises
    ------
    MemoryError
        As the padder raises it for an output larger than memory.
    """
    size = module.size(**module_params)
    needed = size.parameters * BYTES_PER_PARAMETER + size.layers * BYTES_PER_LAYER
    memory = device_memory(device)
    if memory is None or needed <= memory:
        return
    raise MemoryError(
        f"{owner} would build a network of {count_text(size.parameters)} "
        f"parameters in {size.layers} recurrent layer{'s' * (size.layers != 1)}, "
        "whose training needs about "
        f"{human_bytes(needed)} ({BYTES_PER_PARAMETER} bytes per parameter for "
        "the weight, its gradient and the optimizer's state), more than the "
        f"{human_bytes(memory)} of memory of device {device!r}. Most of it comes "
        f"from {_largest_size(module, module_params)}: lower it."
    )


def _largest_size(module, module_params):
    """The size among ``module_params`` whose reduction to 1 would shrink the
    network most, as the message names it."""
    sizes = {name: value for name, value in module_params.items()
             if isinstance(value, numbers.Integral) and not isinstance(value, bool)
             and value > 1}

    def reduced(name):
        size = module.size(**{**module_params, name: 1})
        return size.parameters * BYTES_PER_PARAMETER + size.layers * BYTES_PER_LAYER

    name = min(sizes, key=reduced)
    value = count_text(sizes[name], grouped=False)
    if name in DATA_SIZES:
        return f"the {value} {DATA_SIZES[name]}"
    if name == "n_members":
        return f"n_estimators={value}"
    if name == "vocab_size":
        return f"the vocabulary of {value} token ids (vocab_size)"
    return f"{name}={value}"


def check_checkpoint_dir(checkpoint_dir, owner):
    """Refuse a ``checkpoint_dir`` that the first checkpoint, written after an
    epoch of training, could not be written into: an empty or NUL-holding path,
    a file, a path under a file, a directory that cannot be written."""
    if checkpoint_dir is None:
        return
    path = os.fspath(checkpoint_dir)
    prefix = f"The 'checkpoint_dir' parameter of {owner} is {path!r}"
    if not isinstance(path, str) or not path or "\0" in path:
        raise InvalidParameterError(
            f"{prefix}; it must be a non-empty str or path without NUL "
            f"characters, the directory where {CHECKPOINT_NAME} is written."
        )
    existing = Path(path)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        where = ("is" if existing == Path(path)
                 else f"is under {str(existing)!r}, which is")
        raise InvalidParameterError(
            f"{prefix}: it {where} a file, not a directory; checkpoints are "
            f"written into a directory as {CHECKPOINT_NAME}. Pass a directory."
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InvalidParameterError(
            f"{prefix}: {str(existing)!r} cannot be written to, so no checkpoint "
            "could be saved. Pass a directory you can write to."
        )
