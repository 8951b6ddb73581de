"""Small synthetic data shared by several test modules."""

import numpy as np

POSITIVE = ["good", "great", "fun", "lovely", "superb"]
NEGATIVE = ["bad", "awful", "dull", "boring", "poor"]
# 40 reviews whose sentiment is given by their two sentiment words
CLI_REVIEWS = [f"a {words[i % 5]} film with {words[(i + 2) % 5]} acting"
               for i in range(20) for words in (POSITIVE, NEGATIVE)]
# 48 short reviews, three positive then three negative, repeated
REVIEWS = ["a great and fun movie", "loved it, great cast", "wonderful, fun story",
           "a bad and boring movie", "hated it, awful cast", "terrible, dull story"] * 8


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
