"""Tagged sentences as the tagger reads them: the word and character
vocabularies, and a dataset that builds padded batches (the input checks are in
``sklearn_rnn.utils._checks``).

The data convention is sklearn-crfsuite's: ``X`` is a list of sentences, each a
list of token strings, and ``y`` a list of tag lists of the same lengths.
"""

from collections import Counter

import numpy as np
import torch

from sklearn_rnn._ids import FIRST_WORD_ID, IGNORED_TAG, PAD_ID, UNKNOWN_ID

__all__ = ["IGNORED_TAG", "SentenceEncoder", "TaggedSentences"]

# Every spelling starts and ends with a marker, so that a character filter
# can tell a suffix ("ed" before the end) from the same letters inside a word.
WORD_START_ID, WORD_END_ID = FIRST_WORD_ID, FIRST_WORD_ID + 1
# Longer tokens (URLs, e-mail addresses) keep their first and last characters:
# affixes are what tags depend on, and the cap bounds the character tensor.
MAX_WORD_CHARS = 24


class SentenceEncoder:
    """Word and character vocabularies learned from training sentences.

    Word ids follow the library's convention (0 padding, 1 unknown, the
    vocabulary from 2 on, most frequent first); so do character ids, after the
    word-start and word-end markers (ids 2 and 3).
    """

    def __init__(self, words, chars, lowercase):
        self.words = list(words)
        self.chars = list(chars)
        self.lowercase = lowercase
        self._word_ids = {w: i for i, w in enumerate(self.words) if i >= FIRST_WORD_ID}
        self._char_ids = {c: i for i, c in enumerate(self.chars) if i > WORD_END_ID}

    @classmethod
    def learn(cls, sentences, lowercase):
        words = Counter(_form(t, lowercase) for s in sentences for t in s)
        chars = Counter(c for s in sentences for t in s for c in t)
        reserved = ["", ""]  # padding and unknown
        markers = ["<w>", "</w>"]
        return cls(reserved + _by_frequency(words),
                   reserved + markers + _by_frequency(chars), lowercase)

    def word_counts(self, sentences):
        """How often each word id occurs in ``sentences``."""
        ids = [self._word_ids.get(_form(t, self.lowercase), UNKNOWN_ID)
               for s in sentences for t in s]
        return np.bincount(np.asarray(ids, dtype=np.int64), minlength=len(self.words))

    def encode(self, sentences, tag_ids=None, sample_weight=None, drop_rates=None):
        """A :class:`TaggedSentences` of ``sentences`` (unknown words and
        characters get id 1), with flat ``tag_ids``, per-sentence weights and
        per-word-id rates of word dropout."""
        flat = [t for s in sentences for t in s]
        word_ids = np.fromiter(
            (self._word_ids.get(_form(t, self.lowercase), UNKNOWN_ID) for t in flat),
            dtype=np.int64, count=len(flat))
        # Each distinct token is spelled once; type 0 is the padding token.
        types = {}
        token_types = np.fromiter((types.setdefault(t, len(types) + 1) for t in flat),
                                  dtype=np.int64, count=len(flat))
        spellings = np.zeros((len(types) + 1, MAX_WORD_CHARS + 2), dtype=np.int32)
        for token, row in types.items():
            ids = self._spell(token)
            spellings[row, :len(ids)] = ids
        lengths = np.fromiter((len(s) for s in sentences), dtype=np.int64,
                              count=len(sentences))
        return TaggedSentences(word_ids, token_types, spellings, lengths, tag_ids,
                               sample_weight,
                               None if drop_rates is None else drop_rates[word_ids])

    def _spell(self, token):
        if len(token) > MAX_WORD_CHARS:
            half = MAX_WORD_CHARS // 2
            token = token[:half] + token[-(MAX_WORD_CHARS - half):]
        return [WORD_START_ID, *(self._char_ids.get(c, UNKNOWN_ID) for c in token),
                WORD_END_ID]


def _form(token, lowercase):
    return token.lower() if lowercase else token


def _by_frequency(counts):
    """Keys by decreasing count, ties in first-seen order (deterministic)."""
    return [key for key, _ in sorted(counts.items(), key=lambda kv: -kv[1])]


class TaggedSentences(torch.utils.data.Dataset):
    """Sentences stored flat (one row per token); indexing with an array of
    sentence indices returns one padded batch::

        ({"words": (B, T), "chars": (B, K, L), "spelling": (B, T)
          [, "sample_weight": (B,)]}, tags (B, T))

    ``chars``, read as ``B * K`` rows of L character ids, spells the distinct
    tokens of the batch (one row of padding for padded positions), and
    ``spelling`` points every position at its row, so
    the character features of a token are computed once per batch; tags are
    ``IGNORED_TAG`` at padded positions. ``lengths`` lets
    :class:`BucketedBatches` group sentences of similar length.
    """

    def __init__(self, word_ids, token_types, spellings, lengths, tag_ids=None,
                 sample_weight=None, drop_rates=None):
        # One padding token after the last sentence: padded positions read it,
        # so even a batch of empty sentences indexes something.
        self.word_ids = _with_padding_token(word_ids)
        self.token_types = _with_padding_token(token_types)
        self.spellings = torch.as_tensor(spellings)
        self.spelling_lengths = (self.spellings != PAD_ID).sum(dim=1)
        self.lengths = np.asarray(lengths)
        self.starts = torch.as_tensor(np.concatenate([[0], np.cumsum(lengths)[:-1]]))
        self.tag_ids = None if tag_ids is None else _with_padding_token(tag_ids)
        self.sample_weight = None if sample_weight is None else torch.as_tensor(
            sample_weight, dtype=torch.float32)
        self.drop_rates = None if drop_rates is None else torch.cat(
            [torch.as_tensor(drop_rates, dtype=torch.float32), torch.zeros(1)])

    def __len__(self):
        return len(self.lengths)

    def __getitem__(self, index):
        return self.batch(index, word_dropout=True)

    def batch(self, index, word_dropout=False):
        """The batch of the sentences at ``index``; with ``word_dropout`` and
        ``drop_rates``, words read as unknown at their rates (torch's global
        generator, which the estimator seeds)."""
        index = np.asarray(index).reshape(-1)
        steps = max(int(self.lengths[index].max(initial=0)), 1)
        lengths = torch.as_tensor(self.lengths[index])
        index = torch.as_tensor(index)
        offsets = torch.arange(steps)
        real = offsets < lengths.unsqueeze(1)  # (B, T)
        rows = torch.where(real, self.starts[index].unsqueeze(1) + offsets, 0)
        types = torch.where(real, self.token_types[rows], 0)
        distinct, spelling = torch.unique(types, return_inverse=True)
        letters = max(int(self.spelling_lengths[distinct].max()), 1)
        # skorch wants B rows in every entry of a batch: the U spellings are
        # laid out as (B, ceil(U / B), L), the last rows padding.
        per_row = -(-len(distinct) // len(index)) if len(index) else 1
        chars = torch.zeros(len(index) * per_row, letters, dtype=torch.long)
        chars[:len(distinct)] = self.spellings[distinct, :letters]
        words = torch.where(real, self.word_ids[rows], PAD_ID)
        if word_dropout and self.drop_rates is not None:
            dropped = torch.rand(words.shape) < self.drop_rates[rows]
            words = words.masked_fill(dropped & real, UNKNOWN_ID)
        x = {"words": words,
             "chars": chars.view(len(index), per_row, letters),
             "spelling": spelling}
        if self.sample_weight is not None:
            x["sample_weight"] = self.sample_weight[index]
        if self.tag_ids is None:
            return x, torch.zeros(0)
        return x, torch.where(real, self.tag_ids[rows], IGNORED_TAG)

    def padded_words(self):
        """Word ids as one post-padded (n_sentences, longest) array."""
        x, _ = self.batch(np.arange(len(self)))
        return x["words"].numpy()


def _with_padding_token(values):
    values = torch.as_tensor(np.asarray(values, dtype=np.int64))
    return torch.cat([values, torch.zeros(1, dtype=values.dtype)])
