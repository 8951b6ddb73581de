"""Linear-chain conditional random field: an output layer for sequence tagging."""

import torch
from torch import nn

__all__ = ["LinearChainCRF"]


class LinearChainCRF(nn.Module):
    """Linear-chain CRF over per-token emission scores.

    A path's score is ``start[y_0] + sum_t emissions[t, y_t]
    + sum_t transitions[y_{t-1}, y_t] + end[y_last]``; the model is the softmax
    over all paths, computed in O(T * n_tags**2) by dynamic programming in log
    space. Inputs are batch-first, and ``mask`` marks each row's real steps as a
    prefix (left-aligned sequences). Everything runs in float32, even for
    bfloat16 emissions, because sums of many log-scores lose precision in
    half precision.

    Parameters
    ----------
    n_tags : int
        Number of tags.

    Attributes
    ----------
    transitions : nn.Parameter of shape (n_tags, n_tags)
        ``transitions[i, j]`` scores tag ``i`` followed by tag ``j``.
    start_transitions, end_transitions : nn.Parameter of shape (n_tags,)
        Scores of a sequence starting / ending with each tag.

    Examples
    --------
    >>> import torch
    >>> from sklearn_rnn.nn._crf import LinearChainCRF
    >>> crf = LinearChainCRF(3)
    >>> emissions = torch.tensor([[[5.0, 0, 0], [0, 0, 5], [9, 9, 9]]])
    >>> mask = torch.tensor([[True, True, False]])
    >>> crf.decode(emissions, mask)
    tensor([[0, 2, 0]])
    """

    def __init__(self, n_tags):
        super().__init__()
        self.n_tags = n_tags
        self.transitions = nn.Parameter(torch.empty(n_tags, n_tags))
        self.start_transitions = nn.Parameter(torch.empty(n_tags))
        self.end_transitions = nn.Parameter(torch.empty(n_tags))
        self.reset_parameters()

    def reset_parameters(self):
        # small, not zero: breaks ties between tags before any training
        for param in (self.transitions, self.start_transitions, self.end_transitions):
            nn.init.uniform_(param, -0.1, 0.1)

    def _prepare(self, emissions, mask):
        """float32 emissions with padding zeroed, so that garbage there (even
        inf/nan) can reach neither the result nor the gradients."""
        mask = mask.bool()
        return emissions.float().masked_fill(~mask[..., None], 0.0), mask

    def _alphas(self, emissions, mask):
        """Forward log-scores (B, T, K) of all path prefixes ending in each tag;
        past a row's end the last real step's values are carried along."""
        trans = self.transitions.float()
        alpha = self.start_transitions.float() + emissions[:, 0]  # (B, K)
        alphas = [alpha]
        for t in range(1, emissions.shape[1]):
            # (B, K, 1) + (K, K) + (B, 1, K), summed over the previous tag
            step = torch.logsumexp(
                alpha[:, :, None] + trans + emissions[:, t, None, :], dim=1)
            alpha = torch.where(mask[:, t, None], step, alpha)
            alphas.append(alpha)
        return torch.stack(alphas, dim=1)

    def _log_partition(self, alphas):
        return torch.logsumexp(alphas[:, -1] + self.end_transitions.float(), dim=1)

    def neg_log_likelihood(self, emissions, tags, mask):
        """Per-sequence negative log-likelihood (B,): log partition minus gold score.

        Tags at masked positions (e.g. ``-100``) are ignored. A row of length 0
        gets 0.
        """
        emissions, mask = self._prepare(emissions, mask)
        tags = tags.masked_fill(~mask, 0)  # makes ignore-index values safe to index
        lengths = mask.sum(dim=1)
        last = tags.gather(1, (lengths - 1).clamp(min=0)[:, None]).squeeze(1)
        gold = (emissions.gather(2, tags[..., None]).squeeze(2) * mask).sum(dim=1)
        pair = self.transitions.float()[tags[:, :-1], tags[:, 1:]]  # (B, T - 1)
        gold = gold + (pair * mask[:, 1:]).sum(dim=1)
        gold = (gold + self.start_transitions.float()[tags[:, 0]]
                + self.end_transitions.float()[last])
        nll = self._log_partition(self._alphas(emissions, mask)) - gold
        return torch.where(lengths > 0, nll, torch.zeros_like(nll))

    def decode(self, emissions, mask):
        """Viterbi best path (B, T) as a LongTensor, 0 past each row's end."""
        emissions, mask = self._prepare(emissions, mask)
        batch, steps, n_tags = emissions.shape
        trans = self.transitions.float()
        score = self.start_transitions.float() + emissions[:, 0]  # (B, K)
        # at padding the back-pointer is the identity, so backtracking from the
        # final step passes through it unchanged to the row's last real tag
        identity = torch.arange(n_tags, device=emissions.device).expand(batch, -1)
        pointers = []
        for t in range(1, steps):
            best, argbest = (score[:, :, None] + trans
                             + emissions[:, t, None, :]).max(dim=1)
            score = torch.where(mask[:, t, None], best, score)
            pointers.append(torch.where(mask[:, t, None], argbest, identity))
        tag = (score + self.end_transitions.float()).argmax(dim=1)  # (B,)
        path = [tag]
        for pointer in reversed(pointers):
            tag = pointer.gather(1, tag[:, None]).squeeze(1)
            path.append(tag)
        path = torch.stack(path[::-1], dim=1)
        return path.masked_fill(~mask, 0)

    def marginals(self, emissions, mask):
        """Posterior probability (B, T, K) of each tag at each step, by
        forward-backward; rows sum to 1 at real steps and are 0 past the end."""
        emissions, mask = self._prepare(emissions, mask)
        trans = self.transitions.float()
        end = self.end_transitions.float().expand_as(emissions[:, 0])  # (B, K)
        alphas = self._alphas(emissions, mask)
        beta = end
        betas = [beta]
        for t in range(emissions.shape[1] - 2, -1, -1):
            # (K, K) + (B, 1, K) summed over the next tag; the step before a
            # row's end (or in its padding) gets the end scores
            step = torch.logsumexp(
                trans + (emissions[:, t + 1] + beta)[:, None, :], dim=2)
            beta = torch.where(mask[:, t + 1, None], step, end)
            betas.append(beta)
        betas = torch.stack(betas[::-1], dim=1)  # (B, T, K)
        log_z = self._log_partition(alphas)[:, None, None]
        probs = torch.exp(alphas + betas - log_z)
        # exact in theory; renormalising removes float32 rounding (~1e-5)
        probs = probs / probs.sum(dim=2, keepdim=True).clamp(min=1e-30)
        return probs.masked_fill(~mask[..., None], 0.0)
