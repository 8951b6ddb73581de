"""Datasets for text models: tagged sentences (CoNLL-U and CoNLL-2003 files), IMDB
reviews (downloaded or bundled sample) and Tiny Shakespeare (bundled). numpy and
scikit-learn only, never torch."""

from sklearn_rnn.datasets._bundled import load_imdb_sample, load_tiny_shakespeare
from sklearn_rnn.datasets._conll import (
    iob1_to_iob2,
    read_conll,
    read_conllu,
    write_tagged,
)
from sklearn_rnn.datasets._imdb import fetch_imdb

__all__ = [
    "fetch_imdb",
    "iob1_to_iob2",
    "load_imdb_sample",
    "load_tiny_shakespeare",
    "read_conll",
    "read_conllu",
    "write_tagged",
]
