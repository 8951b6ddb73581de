"""The token-id convention every layer shares (Keras'): no torch, no sklearn.

Id 0 is padding (the embedding's ``padding_idx``, the value ``SequencePadder``
fills with), id 1 stands for every token (word or character) outside the
vocabulary, and the vocabulary takes the ids from 2 on.
"""

__all__ = ["FIRST_WORD_ID", "IGNORED_TAG", "PAD_ID", "UNKNOWN_ID"]

PAD_ID = 0
UNKNOWN_ID = 1
FIRST_WORD_ID = 2  # also the number of reserved ids
# The tag of a padded position in a tagger's batch (PyTorch's ignore_index).
IGNORED_TAG = -100
