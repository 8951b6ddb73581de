"""Command-line interface: ``sklearn-rnn <command> [options]``.

A thin layer over the public API: ``demo``, ``train``, ``predict``, ``evaluate``,
``compare``, ``fit-lm`` and ``generate`` (``--task tagging`` makes train, predict
and evaluate tag the tokens of CoNLL files). Problems with the command line or its
inputs are reported on one line of stderr with exit status 2, never a traceback.
"""

import argparse
import difflib
import os
import sys
import warnings

from sklearn_rnn import __version__
from sklearn_rnn._cli import _classify, _demo, _lm, _tag
from sklearn_rnn._cli._common import (
    PROG,
    CommandError,
    Parser,
    UsageError,
    common_options,
    given_dests,
    one_line,
)

__all__ = ["main"]

EXAMPLES = """\
examples:
  sklearn-rnn demo
  sklearn-rnn train --data reviews.csv --text-column review \\
      --label-column sentiment --out model.safetensors --cell-type gru --units 32
  sklearn-rnn train --task regression --data reviews.csv --text-column review \\
      --label-column stars --out stars.safetensors
  sklearn-rnn train --task tagging --data en_ewt-ud-train.conllu \\
      --out tagger.safetensors --crf
  sklearn-rnn predict --model model.safetensors --data new.csv --text-column review
  sklearn-rnn evaluate --model model.safetensors --data test.csv \\
      --text-column review --label-column sentiment
  sklearn-rnn evaluate --task tagging --model tagger.safetensors \\
      --data en_ewt-ud-test.conllu
  sklearn-rnn compare --data reviews.csv --text-column review \\
      --label-column sentiment --cv 5
  sklearn-rnn fit-lm --text tinyshakespeare.txt --out lm.safetensors
  sklearn-rnn generate --model lm.safetensors --prompt "ROMEO:" --seed 0

'sklearn-rnn COMMAND --help' lists a command's options.
Exit status: 0 on success, 2 for a usage error (bad option or value, missing
file or column, unreadable data), 1 for other failures.
"""
USAGE_ERRORS = (UsageError, ValueError, TypeError, OSError)


def build_parser():
    """The argument parser of every subcommand."""
    parser = Parser(
        prog=PROG, epilog=EXAMPLES,
        description="Recurrent neural networks for text, as scikit-learn "
                    "estimators, from the command line.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND",
                                       required=True)
    parents = [common_options()]
    for module in (_demo, _classify, _lm):
        module.add_commands(subparsers, parents)
    parser.subcommands = subparsers.choices
    _tag.add_tagging(parser.subcommands)
    return parser


def main(argv=None):
    """Run the command line ``argv`` (default: ``sys.argv[1:]``).

    Parameters
    ----------
    argv : list of str, default=None
        Arguments after the program name.

    Returns
    -------
    status : int
        0 on success, 2 for a usage error, 1 for another failure.
    """
    args = None
    try:
        args = _parse(build_parser(), argv)
        with warnings.catch_warnings():
            _report_warnings(quiet=args.quiet)
            args.run(args)
        return 0
    except SystemExit as exc:  # --help and --version
        return exc.code or 0
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:  # e.g. `sklearn-rnn predict ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if args is not None and args.verbose > 1:
            raise
        return _report_error(exc)


def _parse(parser, argv):
    """Parse ``argv``; an unknown option is reported with its command's help and
    the closest option of that command."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        command = parser.subcommands[args.command]
        options = [o for action in command._actions for o in action.option_strings]
        close = difflib.get_close_matches(unknown[0].split("=")[0], options, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise UsageError(f"unrecognized arguments: {' '.join(unknown)}.{hint} (see "
                         f"'{command.prog} --help')")
    args.given = given_dests(parser, argv)
    return args


def _report_error(exc):
    if isinstance(exc, USAGE_ERRORS):
        _error(exc)
        return 2
    if isinstance(exc, CommandError):
        _error(exc)
    else:
        _error(f"{type(exc).__name__}: {exc} (run with -vv for the traceback)")
    return 1


def _error(message):
    print(f"{PROG}: error: {one_line(message)}", file=sys.stderr)


def _report_warnings(quiet):
    """Show warnings as one line each (none with --quiet)."""
    if quiet:
        warnings.simplefilter("ignore")
        return

    def show(message, category, filename, lineno, file=None, line=None):
        print(f"{PROG}: warning: {one_line(message)}", file=sys.stderr)

    warnings.showwarning = show
