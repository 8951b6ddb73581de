"""One million short documents through the whole pipeline in one process.

What is measured: wall time of each step and the process's peak resident memory
for ``TextVectorizer`` -> ``SequencePadder`` -> ``RNNTextClassifier`` (one epoch)
fitted on ``--n-docs`` synthetic documents, then ``predict_proba`` on all of them.
The documents imitate short user texts: lengths log-normal (median 24 words, a
long tail to a few hundred), words drawn from a Zipf law over a 50,000-word
vocabulary, labels from the presence of a handful of marker words, so the model
has something to learn.

Run::

    python benchmarks/bench_scale.py                 # 1,000,000 documents
    python benchmarks/bench_scale.py --n-docs 100000

Pass criterion: the run completes with peak memory under ``--max-rss-gb``
(default 8 GiB, a third of this machine), and the model beats the majority class.
"""

import argparse
import resource
import sys
import time

import numpy as np

from sklearn_rnn import RNNTextClassifier, SequencePadder, TextVectorizer

MARKERS_POSITIVE = ["w7", "w11", "w13"]
MARKERS_NEGATIVE = ["w17", "w19", "w23"]


def synthetic_documents(n_docs, seed=0, vocabulary=50_000):
    rng = np.random.default_rng(seed)
    lengths = np.clip(rng.lognormal(np.log(24), 0.7, n_docs).astype(int), 1, 400)
    words = np.array([f"w{i}" for i in range(vocabulary)])
    ranks = np.minimum(rng.zipf(1.2, lengths.sum()), vocabulary) - 1
    tokens = words[ranks]
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    labels = rng.integers(0, 2, n_docs)
    documents = []
    for i in range(n_docs):
        doc = tokens[bounds[i]:bounds[i + 1]].tolist()
        markers = MARKERS_POSITIVE if labels[i] else MARKERS_NEGATIVE
        doc.insert(int(rng.integers(len(doc) + 1)), markers[i % 3])
        documents.append(" ".join(doc))
    return documents, labels


def peak_rss_gib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux


def step(label, function):
    start = time.perf_counter()
    result = function()
    print(f"| {label} | {time.perf_counter() - start:.1f} | {peak_rss_gib():.2f} |",
          flush=True)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-docs", type=int, default=1_000_000)
    parser.add_argument("--max-rss-gb", type=float, default=8.0)
    args = parser.parse_args(argv)
    print(f"{args.n_docs:,} documents\n\n| step | seconds | peak RSS (GiB) |\n"
          "|---|---|---|")
    documents, y = step("generate documents",
                        lambda: synthetic_documents(args.n_docs))
    vectorizer = TextVectorizer(max_features=20000)
    ids = step("TextVectorizer.fit_transform",
               lambda: vectorizer.fit_transform(documents))
    padder = SequencePadder()
    X = step("SequencePadder.fit_transform", lambda: padder.fit_transform(ids))
    clf = RNNTextClassifier(units=32, embedding_dim=32, batch_size=256,
                            max_epochs=1, random_state=0)
    step("RNNTextClassifier.fit (1 epoch)", lambda: clf.fit(X, y))
    proba = step("predict_proba", lambda: clf.predict_proba(X))
    accuracy = float(np.mean(proba.argmax(1) == y))
    print(f"\nmaxlen_ = {padder.maxlen_}, X {X.shape} {X.dtype} "
          f"({X.nbytes / 2**20:.0f} MiB); training accuracy {accuracy:.4f}")
    ok = peak_rss_gib() < args.max_rss_gb and accuracy > 0.6
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
