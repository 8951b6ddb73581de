"""Text preprocessing: raw documents to padded integer id sequences (no torch)."""

from sklearn_rnn.preprocessing._padding import SequencePadder
from sklearn_rnn.preprocessing._text import TextVectorizer

__all__ = ["SequencePadder", "TextVectorizer"]
