"""Internal helpers shared by every layer (no torch imports here)."""
