"""Pieces every estimator trains with: device, precision, denormals, the skorch net.

Flushing denormals
------------------
When only the last time step of an RNN receives a gradient (a classifier's loss),
the float32 backward pass produces subnormal floats that x86 CPUs handle up to 20x
slower. Flush-to-zero is per-thread CPU state, and PyTorch's OpenMP workers copy it
only when their pool is created, so setting it in a process whose pool already
exists leaves the workers slow. On CPU we therefore train in a short-lived thread
that turns flush-to-zero on before it runs any torch operation: OpenMP gives every
new thread its own worker pool, created by that thread and inheriting its state.
The caller's threads, and the numeric state of the rest of the process, are not
touched. Gradients that small (< 1.2e-38) are far below float32's resolution of the
weights they update, so flushing them cannot change what a model learns.
"""

import contextlib
import threading
from collections.abc import Mapping

import torch
from skorch.callbacks import Callback

from sklearn_rnn.nn._devices import check_device
from sklearn_rnn.utils._validation import check_n_threads

__all__ = [
    "InterruptFlag",
    "NetMixin",
    "NonFiniteLossError",
    "autocast_dtype",
    "resolve_device",
    "run_training",
]


def resolve_device(device):
    """The device to train on, checked to exist here (see ``nn._devices``)."""
    return check_device(device, "device")


def cpu_has_native_bfloat16():
    """True when the CPU computes bfloat16 products natively (AVX512-BF16, AMX)."""
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(getattr(torch.cpu, name, lambda: False)() for name in checks)


def autocast_dtype(precision, device):
    """The autocast dtype for ``precision`` on ``device``, or None for float32.

    ``'auto'`` picks bfloat16 only where the hardware runs it natively (a CUDA GPU
    with bf16 support, or a CPU with AVX512-BF16/AMX); elsewhere bfloat16 would be
    emulated and slower than float32.
    """
    if precision == "float32":
        return None
    if precision == "bfloat16":
        return torch.bfloat16
    device_type = torch.device(device).type
    if device_type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else None
    native = device_type == "cpu" and cpu_has_native_bfloat16()
    return torch.bfloat16 if native else None


class InterruptFlag(Callback):
    """Turns a Ctrl-C received by the caller's thread into a clean stop of training.

    The caller sets :attr:`requested`; the training thread raises
    ``KeyboardInterrupt`` at the next batch end, which skorch handles by ending
    the fit normally (so early stopping still restores the best weights).
    """

    def __init__(self):
        # A plain bool: assigning it from the caller's thread is atomic in Python,
        # and unlike a threading.Event it pickles with the net.
        self.requested = False

    def on_train_begin(self, net, **kwargs):
        self.requested = False

    def on_batch_end(self, net, **kwargs):
        if self.requested:
            raise KeyboardInterrupt


def run_training(train, device, interrupt_flag, n_threads=None):
    """Call ``train()``; on CPU in a fresh thread with denormals flushed.

    ``n_threads`` (None: PyTorch's setting) applies to the training thread only.
    Exceptions from ``train`` are re-raised in the caller. Returns True when the
    user interrupted training (Ctrl-C), False otherwise.
    """
    if torch.device(device).type != "cpu":
        try:
            train()
        except KeyboardInterrupt:
            return True
        return False
    errors = []

    def target():
        torch.set_flush_denormal(True)
        try:
            with thread_count(n_threads):
                train()
        except BaseException as exc:  # re-raised in the caller below
            errors.append(exc)

    thread = threading.Thread(target=target, name="sklearn-rnn-training", daemon=True)
    thread.start()
    interrupted = False
    while thread.is_alive():
        try:
            thread.join(0.2)
        except KeyboardInterrupt:
            interrupted = True
            interrupt_flag.requested = True
    if errors:
        raise errors[0]
    return interrupted


@contextlib.contextmanager
def thread_count(n_threads, owner="the estimator"):
    """Use ``n_threads`` intra-op threads in this block (None: leave as is).

    ``n_threads`` is checked first (naming ``owner``): a value set after
    ``fit`` reaches prediction unvalidated, and OpenMP aborts the process when
    asked for more threads than it can create.

    ``torch.set_num_threads`` sets the calling thread's OpenMP team size and the
    default that threads created later start with; the default is restored on
    exit, so only work done in this block (in this thread) is affected.
    """
    check_n_threads(n_threads, owner)
    if n_threads is None:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


class NonFiniteLossError(FloatingPointError):
    """The training loss of a batch is NaN or infinite (raised before the
    optimizer step, so the weights are still the last finite ones)."""

    def __init__(self, loss):
        super().__init__(f"non-finite training loss: {loss}")
        self.loss = loss


class NetMixin:
    """skorch ``NeuralNet`` additions: mixed precision and per-sample weights.

    ``autocast_dtype`` (None or ``torch.bfloat16``) wraps every forward pass in
    ``torch.autocast``; logits are returned in float32 so the loss is computed in
    full precision. A ``sample_weight`` entry in the batch dict never reaches the
    module: it scales the per-sample losses (the criterion must use
    ``reduction='none'``).
    """

    def __init__(self, *args, autocast_dtype=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.autocast_dtype = autocast_dtype

    def autocast(self):
        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        device_type = torch.device(self.device).type
        return torch.autocast(device_type, dtype=self.autocast_dtype)

    def infer(self, x, **fit_params):
        if isinstance(x, Mapping):
            x = {k: v for k, v in x.items() if k != "sample_weight"}
        with self.autocast():
            return super().infer(x, **fit_params).float()

    def get_loss(self, y_pred, y_true, X=None, training=False):
        losses = self.per_sample_loss(y_pred, y_true, X, training)
        weights = X.get("sample_weight") if isinstance(X, Mapping) else None
        if weights is not None:
            shape = (-1,) + (1,) * (losses.dim() - 1)  # broadcast over time steps
            losses = losses * weights.to(losses.device).view(shape)
        loss = losses.mean()
        if training and not torch.isfinite(loss):
            raise NonFiniteLossError(loss.item())
        return loss

    def per_sample_loss(self, y_pred, y_true, X=None, training=False):
        return super().get_loss(y_pred, y_true, X=X, training=training)
