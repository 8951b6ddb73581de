"""Device names, checked against the devices this machine has.

torch accepts ``torch.device("cuda")`` on any machine and fails only at the
first tensor moved there (``AssertionError: Torch not compiled with CUDA
enabled``), deep inside training or loading. These checks say up front which
devices exist.
"""


import torch

from sklearn_rnn.utils._system import physical_memory

__all__ = ["DEVICE_TYPES", "available_devices", "check_device", "device_memory",
           "parse_device"]

# The kinds of device the estimators train on ('auto' picks one of them).
DEVICE_TYPES = ("cpu", "cuda", "mps")


def available_devices():
    """The devices this machine has, as strings (``'cpu'`` first)."""
    devices = ["cpu"]
    if torch.cuda.is_available():
        devices += [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    if torch.backends.mps.is_available():
        devices.append("mps")
    return devices


def parse_device(device, name="device"):
    """``device`` (a string or ``torch.device``) as a ``torch.device`` of one of
    :data:`DEVICE_TYPES`, or a ValueError naming the parameter ``name``."""
    allowed = "'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'"
    if not isinstance(device, (str, torch.device)) or isinstance(device, bool):
        raise TypeError(
            f"The {name!r} parameter must be a string ({allowed}) or a "
            f"torch.device; got {device!r} of type {type(device).__name__}."
        )
    try:
        parsed = torch.device(device)
    except (RuntimeError, ValueError):
        raise ValueError(
            f"The {name!r} parameter must be {allowed}; got {device!r}."
        ) from None
    if parsed.type not in DEVICE_TYPES:
        raise ValueError(
            f"The {name!r} parameter must be {allowed}; got {device!r} (device "
            f"type {parsed.type!r} is not supported)."
        )
    return parsed


def check_device(device, name="device"):
    """``device`` as a string when this machine has it ('auto': CUDA when
    available, else the CPU); a ValueError that lists the devices here when it
    does not."""
    if isinstance(device, str) and device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    parsed = parse_device(device, name)
    here = available_devices()
    exists = (
        parsed.type == "cpu"
        or (parsed.type == "mps" and "mps" in here)
        or (parsed.type == "cuda" and torch.cuda.is_available()
            and (parsed.index is None or parsed.index < torch.cuda.device_count()))
    )
    if parsed.type == "cpu" and parsed.index not in (None, 0):
        exists = False  # torch reads any other index as a CUDA device
    if not exists:
        reason = {"cuda": "this PyTorch has no CUDA or finds no such GPU",
                  "mps": "this machine has no Apple GPU (MPS)",
                  "cpu": "the CPU is one device, 'cpu' (or 'cpu:0')"}[parsed.type]
        raise ValueError(
            f"{name}={str(device)!r} is not available here: {reason}. The devices "
            f"here are {here}; use one of them or 'auto'."
        )
    return parsed.type if parsed.type == "cpu" else str(parsed)


def device_memory(device):
    """Bytes of memory of ``device`` (a checked device string): the GPU's own
    for CUDA, the machine's physical memory otherwise (MPS shares it); None
    where the system does not say."""
    parsed = torch.device(device)
    if parsed.type == "cuda":
        return torch.cuda.get_device_properties(parsed.index or 0).total_memory
    return physical_memory()
