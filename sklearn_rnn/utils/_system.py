"""What the machine has (no sklearn or torch here: every layer may ask)."""

import os

__all__ = ["physical_memory"]


def physical_memory():
    """Bytes of physical memory, or None where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None
