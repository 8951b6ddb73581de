"""Cost of keeping padding out of an LSTM: ours against pack_padded_sequence.

What is compared: forward + backward time per batch of an LSTM classifier
(embedding 128, LSTM 64, last real step, float32 and bfloat16 autocast) on random
batches of 128 IMDB reviews cut to 200 tokens, pre-padded as Keras does:

- ``unpacked``: plain ``nn.LSTM`` over the padded batch, reading the last column
  (what users write; wrong for post-padding, reads padding for short reviews);
- ``packed``: ``pack_padded_sequence`` (correct, the textbook fix);
- ``ours``: ``RNNTextClassifier``'s module (left-align, trim the batch to its
  longest review, gather the last real step; correct).

Run::

    python benchmarks/bench_padding.py \\
        --imdb-archive ../shared/data/aclImdb_labelled.tar.gz

A second table measures flush-to-zero: the same float32 batches of the unpacked
model, timed in a fresh thread with and without denormals flushed (each thread
gets its own PyTorch worker pool, which inherits the setting).

Pass criterion: ours is at most 1.1x the unpacked time and faster than packed, in
float32 (exit status 1 otherwise).
"""

import argparse
import statistics
import sys
import threading
import time

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from sklearn_rnn import SequencePadder, TextVectorizer
from sklearn_rnn.datasets import fetch_imdb
from sklearn_rnn.nn import RNNClassifierModule


class Unpacked(nn.Module):
    def __init__(self, packed=False):
        super().__init__()
        self.packed = packed
        self.embedding = nn.Embedding(10000, 128, padding_idx=0)
        self.lstm = nn.LSTM(128, 64, batch_first=True)
        self.head = nn.Linear(64, 2)

    def forward(self, tokens):
        x = self.embedding(tokens)
        if not self.packed:
            out, _ = self.lstm(x)
            return self.head(out[:, -1])
        # pack needs post-padding: move each row's tokens to the front first
        lengths = (tokens != 0).sum(1).clamp(min=1)
        order = torch.argsort((tokens == 0).to(torch.int8), dim=1, stable=True)
        x = x.gather(1, order.unsqueeze(-1).expand_as(x))
        packed = pack_padded_sequence(x, lengths, batch_first=True,
                                      enforce_sorted=False)
        _, (h_n, _) = self.lstm(packed)
        return self.head(h_n[-1])


def time_batches(model, batches, labels, bf16):
    times = []
    for tokens, y in zip(batches, labels, strict=True):
        start = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(tokens)
        nn.functional.cross_entropy(logits.float(), y).backward()
        times.append(time.perf_counter() - start)
    return statistics.median(times[2:])  # the first batches warm up oneDNN


def in_fresh_thread(function, *args, flush=True):
    """Run ``function`` in a new thread (and so a new PyTorch worker pool)."""
    result = []

    def target():
        torch.set_flush_denormal(flush)
        result.append(function(*args))

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return result[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imdb-archive", required=True)
    parser.add_argument("--batches", type=int, default=20)
    args = parser.parse_args(argv)
    texts = fetch_imdb("train", archive=args.imdb_archive).data
    ids = TextVectorizer(max_features=10000).fit_transform(texts)
    X = torch.as_tensor(SequencePadder(maxlen=200).fit_transform(ids), dtype=torch.long)
    rng = np.random.RandomState(0)
    batches = [X[rng.choice(len(X), 128, replace=False)] for _ in range(args.batches)]
    labels = [torch.randint(0, 2, (128,)) for _ in batches]
    models = {
        "unpacked": Unpacked(),
        "packed": Unpacked(packed=True),
        "ours": RNNClassifierModule(10000, 2, 128, "lstm", 64, pooling="last"),
    }
    print("| variant | float32 ms/batch | bfloat16 ms/batch |")
    print("|---|---|---|")
    results = {}
    for name, model in models.items():
        results[name] = [
            1000 * in_fresh_thread(time_batches, model, batches, labels, bf16)
            for bf16 in (False, True)
        ]
        print(f"| {name} | {results[name][0]:.0f} | {results[name][1]:.0f} |")
    print("\n| float32, unpacked | ms/batch |\n|---|---|")
    for flush in (False, True):
        ms = 1000 * in_fresh_thread(time_batches, models["unpacked"], batches,
                                    labels, False, flush=flush)
        print(f"| denormals {'flushed' if flush else 'kept'} | {ms:.0f} |")
    ours, unpacked, packed = (results[n][0] for n in ("ours", "unpacked", "packed"))
    print(f"\nfloat32: ours / unpacked = {ours / unpacked:.2f}, "
          f"packed / ours = {packed / ours:.2f}")
    return 0 if ours <= 1.1 * unpacked and ours < packed else 1


if __name__ == "__main__":
    sys.exit(main())
