"""Command-line options generated from an estimator's parameters.

Each parameter becomes ``--dashed-name``: its default comes from ``get_params()``,
its parsing and validation from the class's ``_parameter_constraints`` (the same
error message as ``fit`` would give, with its "Did you mean" hint), its help from
the first sentence of the class docstring.
"""

import argparse
import inspect
import numbers
import re

from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)

from sklearn_rnn.nn._devices import check_device
from sklearn_rnn.utils._validation import suggest

__all__ = ["add_estimator_flags", "estimator_params", "add_device_option",
           "device_value"]

# Set through other options (--verbose), not expressible as one word (an
# estimator such as pretrain), or meaningless for a model trained from scratch
# (warm_start).
NOT_FLAGS = frozenset({"verbose", "callbacks", "embeddings", "warm_start",
                       "pretrain"})
_PARAMETER_LINE = re.compile(r"(\w+) : ")
_RST_MARKUP = re.compile(r":\w+:`~?([^`]+)`|``([^`]+)``|\*([^*\s][^*]*)\*")
# A command line gives a seed as a number or none, never a RandomState: its
# message names only what can be typed.
_SEED = [Interval(numbers.Integral, 0, 2**32 - 1, closed="both"), None]


def add_estimator_flags(group, estimator_class, *, prefix, names=None):
    """Add one option per parameter of ``estimator_class`` to ``group``.

    Parameters
    ----------
    group : argparse.ArgumentParser or argument group
        Where the options go.
    estimator_class : type
        Estimator with ``_parameter_constraints``.
    prefix : str
        Prefix of the options' ``dest``, read back by :func:`estimator_params`.
    names : list of str, default=None
        Parameters to expose; all the expressible ones when None.
    """
    defaults = estimator_class().get_params(deep=False)
    docs = parameter_docs(estimator_class)
    for name in names or defaults:
        constraints = estimator_class._parameter_constraints.get(name, [])
        if constraints == ["random_state"]:
            constraints = _SEED
        if name in NOT_FLAGS or not _expressible(constraints):
            continue
        help_text = f"{docs.get(name, '')} (default: {_show(defaults[name])})"
        _add_flag(group, estimator_class.__name__, name, constraints,
                  default=defaults[name], dest=prefix + name,
                  help=help_text.strip().replace("%", "%%"))


def estimator_params(args, prefix):
    """The parameters given by the options that ``prefix`` marks."""
    return {dest[len(prefix):]: value for dest, value in vars(args).items()
            if dest.startswith(prefix)}


def _add_flag(group, owner, name, constraints, **kwargs):
    option = "--" + name.replace("_", "-")
    if "boolean" in constraints:
        group.add_argument(option, action=argparse.BooleanOptionalAction, **kwargs)
    else:
        group.add_argument(option, type=ParameterValue(owner, name, constraints),
                           metavar=_metavar(constraints), **kwargs)


class ParameterValue:
    """argparse ``type`` turning a word into a valid value of one parameter."""

    def __init__(self, owner, name, constraints):
        self.owner, self.name, self.constraints = owner, name, constraints
        self.__name__ = name  # argparse names the type in its messages

    def __call__(self, text):
        value = parse_value(text, self.constraints)
        try:
            validate_parameter_constraints(
                {self.name: self.constraints}, {self.name: value}, self.owner)
        except InvalidParameterError as exc:
            hint = suggest(value, _str_options(self.constraints))
            raise argparse.ArgumentTypeError(str(exc) + hint) from None
        if self.name == "device":
            device_value(value)
        return value


def device_value(text):
    """argparse ``type`` of a device option: ``text`` where this machine has that
    device ('auto' always), so that a missing GPU is reported before any data is
    read, as a usage error naming the option."""
    try:
        check_device(text, "device")
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def add_device_option(parser, action):
    """Add ``--device`` (dest ``device``, default None) for a command that loads
    a model to ``action`` ('predict', 'generate', ...)."""
    parser.add_argument(
        "--device", type=device_value, metavar="DEVICE",
        help=f"where to {action}: cpu, cuda, cuda:N, mps or auto (CUDA when "
             "available, else the CPU) (default: the device the model was trained "
             "on where this machine has it, else the CPU)")


def parse_value(text, constraints):
    """``text`` as None, an int, a float or itself: the first that ``constraints``
    can accept (validation comes afterwards)."""
    if text.strip().lower() == "none" and None in constraints:
        return None
    for kind in _numeric_kinds(constraints):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _numeric_kinds(constraints):
    kinds = []
    if any(isinstance(c, Interval) or c in ("random_state", "verbose")
           for c in constraints):
        kinds.append(int)
    if any(isinstance(c, Interval) and c.type is numbers.Real for c in constraints):
        kinds.append(float)
    return kinds


def _expressible(constraints):
    if isinstance(constraints, str):  # "no_validation"
        return False
    return any(isinstance(c, Interval | StrOptions) or c is str
               or c in ("boolean", "random_state") for c in constraints)


def _str_options(constraints):
    return {option for c in constraints if isinstance(c, StrOptions)
            for option in c.options}


def _metavar(constraints):
    kinds = []
    for constraint in constraints:
        if isinstance(constraint, Interval):
            kinds.append("INT" if constraint.type is numbers.Integral else "FLOAT")
        elif constraint == "random_state":
            kinds.append("INT")
        elif constraint is str:
            kinds.append("STR")
    words = sorted(_str_options(constraints)) + (["none"] if None in constraints
                                                 else [])
    if len(words) > 1:
        kinds.append("{" + ",".join(words) + "}")
    else:
        kinds += words
    return "|".join(dict.fromkeys(kinds))


def _show(value):
    return "none" if value is None else str(value)


def parameter_docs(estimator_class):
    """First sentence of each parameter's description in the numpydoc docstring."""
    lines = inspect.cleandoc(estimator_class.__doc__ or "").splitlines()
    start = lines.index("Parameters") + 2 if "Parameters" in lines else len(lines)
    docs, name = {}, None
    for line in lines[start:]:
        if line and not line.startswith(" "):
            match = _PARAMETER_LINE.match(line)
            if match is None:  # the next section's title
                break
            name = match.group(1)
            docs[name] = []
        elif name is not None and line.strip():
            docs[name].append(line.strip())
    return {name: _first_sentence(" ".join(words)) for name, words in docs.items()}


def _first_sentence(text):
    text = _RST_MARKUP.sub(lambda match: next(filter(None, match.groups())), text)
    return re.split(r"(?<=\.)\s", text, maxsplit=1)[0]
