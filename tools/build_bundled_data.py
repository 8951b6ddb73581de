"""Build the two data files bundled in ``sklearn_rnn/datasets/data``.

- ``tinyshakespeare.txt.gz``: the Tiny Shakespeare text, gzip-compressed as is.
- ``imdb_sample.jsonl.gz``: 500 negative and 500 positive reviews from each of the
  train and test splits of an aclImdb archive, one JSON object per line
  (``subset``, ``label``, ``id``, ``rating``, ``text``), ordered by subset (train,
  test), label (neg, pos) and id. The reviews are drawn with
  ``numpy.random.RandomState(0)``, for each (subset, label) in that order, among the
  reviews sorted by id (optionally only those of at most ``--max-chars``
  characters).

Both files are reproducible byte for byte (fixed seed, gzip timestamp 0). The
script fails when the sample exceeds 1.5 MB; rerun it with ``--max-chars`` and
document the cap in ``sklearn_rnn/datasets/descr/imdb.rst``.

Run from the repository root::

    python tools/build_bundled_data.py \\
        --imdb-archive ../shared/data/aclImdb_labelled.tar.gz \\
        --shakespeare ../shared/data/tinyshakespeare.txt
"""

import argparse
import gzip
import json
import sys
from pathlib import Path

import numpy as np

from sklearn_rnn.datasets._archive import read_archive
from sklearn_rnn.datasets._base import SUBSETS, TARGET_NAMES

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "sklearn_rnn" / "datasets" / "data"
MAX_SAMPLE_BYTES = 1_500_000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--imdb-archive",
        type=Path,
        default=REPO_ROOT.parent / "shared" / "data" / "aclImdb_labelled.tar.gz",
    )
    parser.add_argument(
        "--shakespeare",
        type=Path,
        default=REPO_ROOT.parent / "shared" / "data" / "tinyshakespeare.txt",
    )
    parser.add_argument("--output-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--n-per-class", type=int, default=500)
    parser.add_argument(
        "--max-chars",
        type=int,
        default=None,
        help="only sample reviews of at most this many characters",
    )
    return parser.parse_args(argv)


def write_gzip(path, data):
    """Write ``data`` gzip-compressed with no timestamp or name, for reproducibility."""
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0
        ) as f,
    ):
        f.write(data)
    return path.stat().st_size


def sample_records(reviews, n_per_class, max_chars=None):
    """Yield the sampled reviews as JSON-ready dicts, in the bundled file's order."""
    rng = np.random.RandomState(0)
    lengths = np.array([len(text) for text in reviews.texts])
    short_enough = lengths <= max_chars if max_chars else np.ones(len(lengths), bool)
    for subset_code, subset in enumerate(SUBSETS):
        for label_code, label in enumerate(TARGET_NAMES):
            candidates = np.flatnonzero(
                (reviews.subset == subset_code)
                & (reviews.target == label_code)
                & short_enough
            )
            chosen = np.sort(rng.choice(candidates, n_per_class, replace=False))
            for i in chosen:
                yield {
                    "subset": subset,
                    "label": label,
                    "id": int(reviews.ids[i]),
                    "rating": int(reviews.ratings[i]),
                    "text": reviews.texts[i],
                }


def main(argv=None):
    args = parse_args(argv)
    args.output_dir.mkdir(parents=True, exist_ok=True)

    text = args.shakespeare.read_text(encoding="utf-8")
    size = write_gzip(args.output_dir / "tinyshakespeare.txt.gz", text.encode("utf-8"))
    print(f"tinyshakespeare.txt.gz: {len(text):,} characters, {size:,} bytes")

    reviews = read_archive(args.imdb_archive)
    records = sample_records(reviews, args.n_per_class, args.max_chars)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    size = write_gzip(args.output_dir / "imdb_sample.jsonl.gz", lines.encode("utf-8"))
    n_reviews = lines.count("\n")
    print(f"imdb_sample.jsonl.gz: {n_reviews:,} reviews, {size:,} bytes")
    if size > MAX_SAMPLE_BYTES:
        print(
            f"error: the IMDB sample is over {MAX_SAMPLE_BYTES:,} bytes; rerun with "
            "--max-chars and document the cap in descr/imdb.rst",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
