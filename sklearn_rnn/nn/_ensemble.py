"""Several independently initialised classifier networks trained side by side."""

import torch
from torch import nn

from sklearn_rnn.nn._classifier import RNNClassifierModule

__all__ = ["RNNClassifierEnsemble"]


class RNNClassifierEnsemble(nn.Module):
    """``n_members`` :class:`RNNClassifierModule` networks whose predicted
    probabilities are averaged.

    Each member has its own weights and initialisation and sees the same
    batches. In training mode the forward pass returns every member's logits
    (B, n_members, n_classes), so that each member is trained on its own loss,
    as in an ensemble of separately trained networks; in evaluation mode it
    returns the log of the members' mean probability (B, n_classes), which a
    softmax or a cross-entropy loss reads as the ensemble's prediction.

    Parameters
    ----------
    n_members : int
        Number of member networks.
    **member_params
        Parameters of every :class:`RNNClassifierModule`.
    """

    def __init__(self, n_members, **member_params):
        super().__init__()
        self.members = nn.ModuleList(
            RNNClassifierModule(**member_params) for _ in range(n_members)
        )

    @staticmethod
    def size(n_members, **member_params):
        """The size of all members (see :meth:`RNNClassifierModule.size`)."""
        return RNNClassifierModule.size(**member_params) * n_members

    def forward(self, tokens):
        logits = torch.stack([member(tokens) for member in self.members], dim=1)
        if self.training:
            return logits  # (B, n_members, n_classes)
        # log of the mean probability, computed stably in float32
        log_proba = torch.log_softmax(logits.float(), dim=-1)  # (B, M, C)
        return torch.logsumexp(log_proba, dim=1) - torch.log(
            torch.tensor(float(len(self.members)), device=logits.device))

    def layer_table(self, seq_len=None):
        """The first member's rows, each marked with the number of members; the
        parameter counts cover all members."""
        count = len(self.members)
        return [(f"{count} x {layer}", shape, params * count)
                for layer, shape, params in self.members[0].layer_table(seq_len)]
