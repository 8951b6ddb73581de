"""Small synthetic data, estimator settings and helpers shared by several test
modules."""

import pickle

import numpy as np

# --- estimator settings ------------------------------------------------------
# The smallest models that still train: 4 units, one epoch, no validation split
# and no early stopping, for tests that need a fitted model or fit's error, not
# learning. float32: bfloat16's first forward pass compiles kernels for a second
# or two, and its rounding differs between machines. The regressor takes the
# settings every estimator shares; the others add theirs.
TINY_REGRESSOR = dict(units=4, embedding_dim=4, max_epochs=1, batch_size=8,
                      validation_split=None, early_stopping=False,
                      precision="float32", random_state=0)
# one network, not an ensemble, so that a test can inspect its layers
TINY_CLASSIFIER = {**TINY_REGRESSOR, "n_estimators": 1}
TINY_TAGGER = {**TINY_REGRESSOR, "char_dim": 4, "char_filters": 4}
TINY_LM = {**TINY_REGRESSOR, "num_layers": 1, "seq_length": 8}
# Enough capacity and learning rate to learn token order in a few epochs; each
# test says how many (and whether to validate).
FAST_REGRESSOR = dict(units=16, embedding_dim=8, batch_size=32, lr=5e-3,
                      precision="float32", random_state=0)
FAST_CLASSIFIER = {**FAST_REGRESSOR, "n_estimators": 1}

# --- corpora -------------------------------------------------------------------
POSITIVE = ["good", "great", "fun", "lovely", "superb"]
NEGATIVE = ["bad", "awful", "dull", "boring", "poor"]
# 40 reviews whose sentiment is given by their two sentiment words
CLI_REVIEWS = [f"a {words[i % 5]} film with {words[(i + 2) % 5]} acting"
               for i in range(20) for words in (POSITIVE, NEGATIVE)]
# 48 short reviews, three positive then three negative, repeated
REVIEWS = ["a great and fun movie", "loved it, great cast", "wonderful, fun story",
           "a bad and boring movie", "hated it, awful cast", "terrible, dull story"] * 8
REVIEW_LABELS = ["pos", "pos", "pos", "neg", "neg", "neg"] * 8
# the first 12 of them, for tests that fit (or fail to fit) a single epoch
FEW_REVIEWS, FEW_REVIEW_LABELS = REVIEWS[:12], REVIEW_LABELS[:12]
# 168 characters: 20 chunks of TINY_LM's seq_length
HAMLET = "to be or not to be, that is the question. " * 4

# --- token ids -----------------------------------------------------------------
# 12 pre-padded sequences over ids 2..9 (0 is padding) and a class for each
IDS = np.array([[0, 2, 3, 4], [2, 5, 6, 7], [0, 0, 8, 9], [3, 4, 5, 9]] * 3)
IDS_CLASSES = np.array([0, 1, 0, 1] * 3)
# 200 rows of 8 random ids in [1, 20) whose class is whether the first id is
# above 10: learnt within a few epochs, so a history has something to show
FIRST_ID_X = np.random.RandomState(0).randint(1, 20, size=(200, 8))
FIRST_ID_Y = (FIRST_ID_X[:, 0] > 10).astype(int)


def token_order_task(n_samples, seed, n_steps, vocab_size=20):
    """Pre-padded id sequences that all hold tokens 1 and 2 once, and whether 1
    comes first: only word order tells the two groups apart."""
    rng = np.random.RandomState(seed)
    X = np.zeros((n_samples, n_steps), dtype=np.int64)
    one_first = np.zeros(n_samples, dtype=bool)
    for i in range(n_samples):
        length = rng.randint(4, n_steps + 1)
        row = rng.randint(3, vocab_size, size=length)
        first, second = rng.choice(length, 2, replace=False)
        row[first], row[second] = 1, 2
        X[i, n_steps - length:] = row
        one_first[i] = first < second
    return X, one_first


def private_copy(estimator):
    """A copy of a fitted estimator, so that a test that fails to keep the model
    intact cannot spoil a module fixture for the others."""
    return pickle.loads(pickle.dumps(estimator))
