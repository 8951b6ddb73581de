"""Command-line helpers shared by the benchmark scripts."""

import argparse
import ast


def parse_setting(text):
    """``NAME=VALUE`` of a ``--set`` option: VALUE a Python literal, else a string."""
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name, value
