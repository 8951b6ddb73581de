"""Datasets and batch iterators for skorch, with no per-sample Python work."""

import numpy as np
import torch

from sklearn_rnn._ids import PAD_ID

__all__ = ["SequenceDataset", "BucketedBatches", "TextChunks", "ChunkBatches",
           "StreamBatches"]

# Sorting by length inside pools of this many batches keeps padding low while the
# batches of an epoch stay a random partition of the data.
BUCKET_POOL_BATCHES = 50


class SequenceDataset(torch.utils.data.Dataset):
    """Padded id sequences with optional targets and sample weights.

    Indexing with an array of indices returns a whole batch at once:
    ``({"tokens": (B, T), ["sample_weight": (B,)]}, y (B,))``.
    """

    def __init__(self, tokens, y=None, sample_weight=None):
        # torch cannot share read-only memory (memmaps, some DataFrames): copy it
        self.tokens = torch.as_tensor(np.require(tokens, requirements=["C", "W"]))
        self.y = None if y is None else torch.as_tensor(y)
        self.sample_weight = (
            None if sample_weight is None
            else torch.as_tensor(sample_weight, dtype=torch.float32)
        )
        self.lengths = (self.tokens != PAD_ID).sum(dim=1).numpy()

    def __len__(self):
        return len(self.tokens)

    def __getitem__(self, index):
        x = {"tokens": self.tokens[index]}
        if self.sample_weight is not None:
            x["sample_weight"] = self.sample_weight[index]
        y = torch.zeros(0) if self.y is None else self.y[index]
        return x, y

    def subset(self, index):
        """A new dataset holding the samples at ``index``, in that order."""
        return SequenceDataset(
            self.tokens[index],
            None if self.y is None else self.y[index],
            None if self.sample_weight is None else self.sample_weight[index],
        )

    def sorted_by_length(self):
        """A copy in order of length, so sequential batches hold similar lengths."""
        return self.subset(np.argsort(self.lengths, kind="stable"))


class BucketedBatches:
    """Iterate over a :class:`SequenceDataset` in batches (skorch ``iterator_*``).

    With ``shuffle=True``, every epoch draws a fresh random permutation, sorts
    samples by length within pools of ``BUCKET_POOL_BATCHES`` batches, cuts the
    pools into batches and shuffles the batch order. Each sample is seen exactly
    once per epoch, batches differ between epochs, and padding per batch is
    small. Randomness comes from torch's global generator, which the estimators
    seed from ``random_state``. Without shuffling, batches follow dataset order.
    """

    def __init__(self, dataset, batch_size=32, shuffle=False, bucket=True):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.bucket = bucket

    def __len__(self):
        return -(-len(self.dataset) // self.batch_size)

    def __iter__(self):
        for index in self.batch_indices():
            yield self.dataset[index]

    def batch_indices(self):
        n = len(self.dataset)
        if not self.shuffle:
            return [np.arange(s, min(s + self.batch_size, n))
                    for s in range(0, n, self.batch_size)]
        order = torch.randperm(n).numpy()
        if self.bucket:
            order = self._sort_within_pools(order)
        batches = [order[s:s + self.batch_size] for s in range(0, n, self.batch_size)]
        return [batches[i] for i in torch.randperm(len(batches)).tolist()]

    def _sort_within_pools(self, order):
        pool = self.batch_size * BUCKET_POOL_BATCHES
        lengths = self.dataset.lengths
        chunks = [order[s:s + pool] for s in range(0, len(order), pool)]
        return np.concatenate(
            [chunk[np.argsort(lengths[chunk], kind="stable")] for chunk in chunks]
        )


class TextChunks(torch.utils.data.Dataset):
    """A long sequence of character ids cut into chunks for truncated BPTT.

    Sample ``i`` is the chunk starting at ``offset + i * seq_length``: inputs are
    ``seq_length`` ids and targets the same ids shifted by one, so every position
    of a chunk is a training target.
    """

    def __init__(self, ids, seq_length, offset=0):
        self.ids = torch.as_tensor(ids, dtype=torch.long)
        self.seq_length = seq_length
        self.offset = offset

    def __len__(self):
        return max((len(self.ids) - 1 - self.offset) // self.seq_length, 0)

    def __getitem__(self, index):
        starts = self.offset + torch.as_tensor(index) * self.seq_length
        positions = starts.view(-1, 1) + torch.arange(self.seq_length)  # (B, T)
        return {"tokens": self.ids[positions]}, self.ids[positions + 1]

    def shifted(self, offset):
        """The same text cut at another offset."""
        return TextChunks(self.ids, self.seq_length, offset)


class ChunkBatches:
    """Batches of :class:`TextChunks` (skorch ``iterator_*``).

    With ``shuffle=True`` every epoch cuts the text at a random offset in
    ``[0, seq_length)``, so chunk boundaries move between epochs, and visits the
    chunks in random order. Chunks start from a zero state: state is not carried
    from one chunk to the next, which keeps batches independent and shuffleable.
    """

    def __init__(self, dataset, batch_size=32, shuffle=False):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle

    def __len__(self):
        return -(-len(self.dataset) // self.batch_size)

    def __iter__(self):
        dataset = self.dataset
        if self.shuffle:
            dataset = dataset.shifted(int(torch.randint(dataset.seq_length, ())))
        n = len(dataset)
        order = torch.randperm(n) if self.shuffle else torch.arange(n)
        for start in range(0, n, self.batch_size):
            yield dataset[order[start:start + self.batch_size]]


class StreamBatches:
    """Batches that read a :class:`TextChunks` text as parallel streams.

    The text is cut into ``n_streams`` contiguous streams of equal length (the
    rows); batch ``k`` holds characters ``[k * seq_length, (k + 1) * seq_length)``
    of every stream. Row ``i`` of a batch therefore continues row ``i`` of the
    previous batch, and a stateful net carries its recurrent state from one batch
    to the next (truncated BPTT over the whole stream). There are
    ``batch_size`` streams, fewer when that would leave a stream shorter than
    ``MIN_CHUNKS_PER_STREAM`` chunks: each stream starts from a zero state, so
    short streams would mean many predictions without context. The few
    characters that do not fill the last position of every stream are dropped.

    With ``shuffle=True`` every epoch starts the streams at a random offset in
    ``[0, seq_length)``, so chunk boundaries move between epochs; the stream
    order itself cannot be shuffled without breaking the carried state.
    """

    MIN_CHUNKS_PER_STREAM = 8

    def __init__(self, dataset, batch_size=32, shuffle=False):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle

    def _layout(self, n_ids):
        """(number of streams, characters per stream) for ``n_ids`` ids."""
        n_targets = max(n_ids - 1, 0)
        per_stream = self.MIN_CHUNKS_PER_STREAM * self.dataset.seq_length
        n_streams = max(1, min(self.batch_size, n_targets // per_stream))
        return n_streams, n_targets // n_streams

    def __len__(self):
        _, length = self._layout(len(self.dataset.ids))
        return -(-length // self.dataset.seq_length)

    def __iter__(self):
        ids, seq_length = self.dataset.ids, self.dataset.seq_length
        if self.shuffle:  # keep at least one target
            ids = ids[int(torch.randint(max(1, min(seq_length, len(ids) - 1)), ())):]
        n_streams, length = self._layout(len(ids))
        used = n_streams * length
        inputs = ids[:used].view(n_streams, length)
        targets = ids[1:used + 1].view(n_streams, length)
        for start in range(0, length, seq_length):
            window = slice(start, start + seq_length)
            yield {"tokens": inputs[:, window]}, targets[:, window]
