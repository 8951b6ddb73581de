"""Shared test configuration: seeding and hypothesis profiles.

The hypothesis profile is ``ci`` (200 examples per property) unless the
``HYPOTHESIS_PROFILE`` environment variable or ``pytest --hypothesis-profile=NAME``
picks another: ``thorough`` runs 1000.
"""

import os
import random
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=200, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _seed_everything():
    """Seed every random number generator so each test is reproducible."""
    random.seed(0)
    # the legacy global generator is what unseeded third-party code draws from
    np.random.seed(0)  # noqa: NPY002
    # torch is seeded only when a test module already imported it: importing it
    # here would slow down the torch-free test modules.
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(0)


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny models train fastest on one thread, and the machine is shared."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
