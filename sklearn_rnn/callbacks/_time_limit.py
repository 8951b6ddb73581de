"""Stop training before a wall-clock budget runs out."""

import math
import numbers
import time

from sklearn.utils._param_validation import InvalidParameterError
from skorch.callbacks import Callback

from sklearn_rnn.utils._validation import describe

__all__ = ["TimeLimit"]


class TimeLimit(Callback):
    """Stop training when another epoch would exceed ``seconds`` of training.

    Checked at the end of every epoch, against the duration of the epoch just
    finished. Training ends the way skorch's ``EarlyStopping`` ends it; the
    estimators run this callback after their early stopping, so the weights of
    the best epoch are still restored.

    Parameters
    ----------
    seconds : float > 0
        Training-time budget, from the start of the first epoch; ``inf`` sets
        no limit.

    Examples
    --------
    >>> from sklearn_rnn import CharLanguageModel
    >>> from sklearn_rnn.callbacks import TimeLimit
    >>> lm = CharLanguageModel(callbacks=[TimeLimit(15 * 60)])
    """

    ends_training = True

    def __init__(self, seconds):
        self.seconds = seconds

    def on_train_begin(self, net, **kwargs):
        seconds = self.seconds
        if (isinstance(seconds, bool) or not isinstance(seconds, numbers.Real)
                or math.isnan(seconds) or seconds <= 0):
            raise InvalidParameterError(
                "The 'seconds' parameter of TimeLimit must be a number of seconds "
                f"> 0 (inf for no limit); got {describe(seconds)}."
            )
        self.started_ = time.monotonic()

    def on_epoch_begin(self, net, **kwargs):
        self.epoch_started_ = time.monotonic()

    def on_epoch_end(self, net, **kwargs):
        now = time.monotonic()
        if now - self.started_ + (now - self.epoch_started_) > self.seconds:
            raise KeyboardInterrupt
