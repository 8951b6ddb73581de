"""Building blocks of the ``sklearn-rnn`` command line (see :mod:`sklearn_rnn.cli`).

Private: the command line itself is the interface, these modules are not.
"""
