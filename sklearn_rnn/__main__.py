"""``python -m sklearn_rnn``: the ``sklearn-rnn`` command line."""

import sys

from sklearn_rnn.cli import main

if __name__ == "__main__":
    sys.exit(main())
