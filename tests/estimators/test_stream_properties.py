"""Properties of the stateful batch layout for arbitrary text lengths and sizes."""

import torch
from hypothesis import given
from hypothesis import strategies as st

from sklearn_rnn.estimators._batching import StreamBatches, TextChunks


@given(n_ids=st.integers(2, 3000), seq_length=st.integers(1, 64),
       batch_size=st.integers(1, 80), seed=st.integers(0, 2**16),
       shuffle=st.booleans())
def test_streams_read_the_text_once_in_order_with_next_characters_as_targets(
        n_ids, seq_length, batch_size, seed, shuffle):
    torch.manual_seed(seed)
    ids = torch.arange(n_ids)  # each id is its own position in the text
    batches = list(StreamBatches(TextChunks(ids, seq_length), batch_size, shuffle))
    rows = {x["tokens"].shape[0] for x, _ in batches}
    assert len(rows) == 1  # every batch continues the same streams
    n_streams = rows.pop()
    assert 1 <= n_streams <= batch_size
    assert all(1 <= x["tokens"].shape[1] <= seq_length for x, _ in batches)
    inputs = torch.cat([x["tokens"] for x, _ in batches], dim=1)
    targets = torch.cat([y for _, y in batches], dim=1)
    assert torch.equal(targets, inputs + 1)  # the next character, always
    flat = inputs.flatten()
    # the streams tile one contiguous stretch of the text, in order
    assert torch.equal(flat, torch.arange(flat[0], flat[0] + len(flat)))
    offset = int(flat[0])
    assert offset < seq_length if shuffle else offset == 0
    # at most one character per stream is left over at the end
    assert (n_ids - 1 - offset) - len(flat) < n_streams
    if n_streams > 1:  # a stream is at least 8 chunks long
        assert inputs.shape[1] >= StreamBatches.MIN_CHUNKS_PER_STREAM * seq_length
