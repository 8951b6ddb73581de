"""Datasets for text models: IMDB reviews (downloaded or bundled sample) and Tiny
Shakespeare (bundled). numpy and scikit-learn only, never torch."""

from sklearn_rnn.datasets._bundled import load_imdb_sample, load_tiny_shakespeare
from sklearn_rnn.datasets._imdb import fetch_imdb

__all__ = ["fetch_imdb", "load_imdb_sample", "load_tiny_shakespeare"]
