"""Errors and output conventions shared by the subcommands.

Results (tables, predictions, generated text) go to stdout; notes about what
happened go to stderr, so that ``sklearn-rnn predict ... > out.csv`` stays clean.
"""

import argparse
import re
import sys
import textwrap
from pathlib import Path

PROG = "sklearn-rnn"


class UsageError(Exception):
    """A problem with the command line or its inputs: exit status 2."""


class CommandError(Exception):
    """The command could not run for another reason (e.g. a missing extra)."""


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line, raised instead of printed."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def one_line(message):
    """``message`` with its line breaks folded, for a one-line error report."""
    return re.sub(r"\s*\n\s*", " ", str(message)).strip()


def note(args, message):
    """Print a progress note on stderr unless ``--quiet``."""
    if not args.quiet:
        print(message, file=sys.stderr, flush=True)


def existing_path(path, option):
    """``path`` as a Path; a UsageError naming ``option`` when it does not exist."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"argument {option}: no such file or directory: {str(path)!r}")
    return path


def writable_path(path, option):
    """``path`` as a Path, checked before a long training run writes to it."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"argument {option}: {str(path)!r} is a directory; give a "
                         "file name")
    if not path.parent.is_dir():
        raise UsageError(f"argument {option}: directory {str(path.parent)!r} does "
                         "not exist")
    return path


def number(kind, minimum, *, strict=False):
    """argparse ``type``: a ``kind`` (int or float) >= ``minimum`` (> if strict)."""
    bound = f"{'>' if strict else '>='} {minimum}"

    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not (value > minimum or (value == minimum and not strict)):
            raise argparse.ArgumentTypeError(
                f"expected {'an int' if kind is int else 'a number'} {bound}, got "
                f"{text!r}")
        return value

    parse.__name__ = kind.__name__
    return parse


def common_options():
    """Parent parser with ``--verbose`` and ``--quiet``, shared by every command."""
    parent = argparse.ArgumentParser(add_help=False)
    exclusive = parent.add_mutually_exclusive_group()
    exclusive.add_argument(
        "-v", "--verbose", action="count", default=0,
        help="show the per-epoch training table; twice (-vv): also the traceback "
             "of an error")
    exclusive.add_argument(
        "-q", "--quiet", action="store_true",
        help="print only the results: no notes, summaries or warnings")
    return parent


def given_dests(parser, argv):
    """The ``dest`` of every option that ``argv`` sets itself, not by default.

    A default and a given value can be equal (``--units 64`` where 64 is the
    default), so ``argv`` is parsed again with every default suppressed, which
    leaves on the namespace only what the command line set. ``parser`` has
    already parsed ``argv`` without error; ``parser.subcommands`` are its
    subcommands' parsers.
    """
    parsers = [parser, *getattr(parser, "subcommands", {}).values()]
    actions = {id(action): action for p in parsers for action in p._actions}
    defaults = {key: action.default for key, action in actions.items()}
    try:
        for action in actions.values():
            action.default = argparse.SUPPRESS
        given, _ = parser.parse_known_args(argv)
    finally:
        for key, action in actions.items():
            action.default = defaults[key]
    dests = {action.dest for action in actions.values()}
    return frozenset(dest for dest in vars(given) if dest in dests)


def add_command(subparsers, name, *, run, help, description, epilog, parents):
    """Register subcommand ``name`` whose function is ``run(args)``."""
    parser = subparsers.add_parser(
        name, help=help, description=textwrap.fill(description, 79), epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter, parents=parents,
    )
    parser.set_defaults(run=run)
    return parser
