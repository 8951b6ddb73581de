"""The version of sklearn-rnn (read by pyproject.toml and the model files)."""

__version__ = "0.1.0.dev0"
