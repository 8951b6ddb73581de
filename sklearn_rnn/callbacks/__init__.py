"""skorch callbacks that skorch itself lacks."""

from sklearn_rnn.callbacks._time_limit import TimeLimit

__all__ = ["TimeLimit"]
