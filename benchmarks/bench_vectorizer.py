"""Benchmark: TextVectorizer against scikit-learn's CountVectorizer on IMDB.

What is compared
    Wall-clock time of ``fit_transform`` on the 25,000 IMDB training reviews for
    ``TextVectorizer(max_features=20000)`` (id sequences, Keras convention) and
    ``sklearn.feature_extraction.text.CountVectorizer(max_features=20000)`` (sparse
    bag of words). Both lowercase, tokenize with a regular expression, count tokens
    over the corpus, keep the 20,000 most frequent and encode every document, so
    CountVectorizer is the reference for "how fast can this be done in Python".
    TextVectorizer also strips HTML tags. Within each repeat the two methods run
    one after the other, the order alternating between repeats; medians are
    reported.

How to run
    python benchmarks/bench_vectorizer.py \\
        --imdb-archive ../shared/data/aclImdb_labelled.tar.gz [--repeats 3]

    ``--data-home`` sets where ``fetch_imdb`` caches the parsed reviews (default: a
    temporary folder removed at exit). ``--sample`` uses the bundled 2,000-review
    sample instead (no archive; checks the script, not the criterion's figures).

Pass criterion
    median time of TextVectorizer / median time of CountVectorizer <= 1.0. The
    script prints a markdown table (method, median s, ratio) and exits with status 1
    when the criterion fails.
"""

import argparse
import gc
import statistics
import sys
import tempfile
import time

from sklearn.feature_extraction.text import CountVectorizer

from sklearn_rnn.preprocessing import TextVectorizer

MAX_RATIO = 1.0
METHODS = {
    "TextVectorizer": lambda n: TextVectorizer(max_features=n),
    "CountVectorizer": lambda n: CountVectorizer(max_features=n),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--imdb-archive", help="local aclImdb .tar.gz archive")
    source.add_argument("--sample", action="store_true",
                        help="use the bundled IMDB sample (quick check)")
    parser.add_argument("--data-home", default=None,
                        help="fetch_imdb cache folder (default: temporary)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-features", type=int, default=20000)
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats must be >= 1, got {args.repeats}.")
    return args


def load_documents(args):
    """Return the training reviews as a list of str."""
    if args.sample:
        from sklearn_rnn.datasets import load_imdb_sample

        return list(load_imdb_sample().data)
    from sklearn_rnn.datasets import fetch_imdb

    if args.data_home is not None:
        return list(fetch_imdb("train", archive=args.imdb_archive,
                               data_home=args.data_home).data)
    with tempfile.TemporaryDirectory(prefix="bench_imdb_") as data_home:
        return list(fetch_imdb("train", archive=args.imdb_archive,
                               data_home=data_home).data)


def time_once(make_vectorizer, documents):
    """Seconds taken by one ``fit_transform`` of a fresh vectorizer."""
    vectorizer = make_vectorizer()
    gc.collect()
    start = time.perf_counter()
    vectorizer.fit_transform(documents)
    return time.perf_counter() - start


def run(documents, repeats, max_features):
    """Return ``{method: [seconds per repeat]}``, alternating the order per repeat."""
    times = {name: [] for name in METHODS}
    names = list(METHODS)
    for repeat in range(repeats):
        for name in names if repeat % 2 == 0 else names[::-1]:
            seconds = time_once(lambda n=name: METHODS[n](max_features), documents)
            times[name].append(seconds)
            print(f"repeat {repeat + 1}/{repeats}: {name:<16} {seconds:8.3f} s",
                  file=sys.stderr)
    return times


def report(times):
    """Print the markdown table; return the ratio ours / CountVectorizer."""
    medians = {name: statistics.median(values) for name, values in times.items()}
    reference = medians["CountVectorizer"]
    print("| method | median s | ratio |")
    print("|---|---:|---:|")
    for name, median in medians.items():
        print(f"| {name} | {median:.3f} | {median / reference:.2f} |")
    return medians["TextVectorizer"] / reference


def main(argv=None):
    args = parse_args(argv)
    documents = load_documents(args)
    n_chars = sum(map(len, documents))
    print(f"{len(documents)} documents, {n_chars / 1e6:.1f} M characters, "
          f"max_features={args.max_features}, repeats={args.repeats}\n")
    ratio = report(run(documents, args.repeats, args.max_features))
    passed = ratio <= MAX_RATIO
    print(f"\nratio TextVectorizer / CountVectorizer = {ratio:.2f} "
          f"(criterion <= {MAX_RATIO:.1f}): {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
