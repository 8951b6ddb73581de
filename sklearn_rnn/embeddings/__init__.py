"""Word vectors for the embedding layer: pretrained sets (files, downloads, an
offline GloVe package) and word2vec trained on the fit's own texts.

numpy and, for reading files and training word2vec, gensim; never torch.
"""

from sklearn_rnn.embeddings._fetch import fetch_word_vectors
from sklearn_rnn.embeddings._io import load_glove_6b_50d, load_word_vectors
from sklearn_rnn.embeddings._vectors import WordVectors
from sklearn_rnn.embeddings._word2vec import Word2VecEmbeddings

__all__ = [
    "Word2VecEmbeddings",
    "WordVectors",
    "fetch_word_vectors",
    "load_glove_6b_50d",
    "load_word_vectors",
]
