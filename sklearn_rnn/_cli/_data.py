"""Reading the commands' inputs: tables of texts and labels, plain text files.

Tables are CSV, TSV or Parquet (through pandas), or the IMDB dataset's aclImdb
layout, as a directory or as the ``.tar.gz`` archive. Every problem with an input
becomes a :class:`UsageError` naming the option and the allowed values.
"""

from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from sklearn_rnn._cli._common import CommandError, UsageError, existing_path
from sklearn_rnn.datasets._archive import read_reviews
from sklearn_rnn.datasets._base import SUBSETS
from sklearn_rnn.utils._validation import suggest

__all__ = ["add_data_options", "read_table", "text_column", "label_column",
           "read_text"]

FORMATS = ("csv", "tsv", "parquet", "imdb-dir")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet",
               ".pq": "parquet", ".tgz": "imdb-dir"}
_COMPRESSIONS = (".gz", ".bz2", ".xz", ".zip", ".zst")
_MAX_LISTED = 20  # columns named in an error message


def add_data_options(parser, *, labels, subset):
    """Add ``--data``, ``--data-format``, the column options and ``--subset``.

    ``labels`` adds ``--label-column``; ``subset`` is the default IMDB split.
    """
    group = parser.add_argument_group("data")
    group.add_argument("--data", required=True, metavar="PATH",
                       help="CSV, TSV or Parquet file (optionally compressed), or "
                            "an aclImdb directory or .tar.gz archive")
    group.add_argument("--data-format", choices=FORMATS,
                       help="format of --data (default: from its extension; a "
                            "directory or .tar.gz is imdb-dir)")
    group.add_argument("--text-column", default="text", metavar="NAME",
                       help="column holding the texts (default: %(default)s)")
    if labels:
        group.add_argument("--label-column", default="label", metavar="NAME",
                           help="column holding the labels (default: %(default)s)")
    group.add_argument("--subset", choices=(*SUBSETS, "all"), default=subset,
                       help="IMDB split read from an aclImdb directory or archive, "
                            "whose columns are text, label (neg/pos), rating and "
                            "subset (default: %(default)s)")


def read_table(args):
    """The table named by ``--data`` as a DataFrame with at least one row."""
    path = existing_path(args.data, "--data")
    data_format = args.data_format or infer_format(path)
    readers = {
        "csv": partial(_read_csv, sep=",", text_column=args.text_column),
        "tsv": partial(_read_csv, sep="\t", text_column=args.text_column),
        "parquet": _read_parquet,
        "imdb-dir": partial(_read_imdb, subset=args.subset),
    }
    frame = readers[data_format](path)
    if len(frame) == 0:
        raise UsageError(f"argument --data: {str(path)!r} holds no data rows")
    return frame


def infer_format(path):
    """The data format that ``path``'s extension (or being a directory) implies."""
    if path.is_dir() or path.name.lower().endswith(".tar.gz"):
        return "imdb-dir"
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSIONS:
        suffixes.pop()
    if suffixes and suffixes[-1] in _EXTENSIONS:
        return _EXTENSIONS[suffixes[-1]]
    raise UsageError(
        f"argument --data: cannot tell the format of {str(path)!r} from its "
        f"extension; pass --data-format {{{','.join(FORMATS)}}}"
    )


def _read_csv(path, *, sep, text_column):
    try:
        # Texts stay exactly as written: no NA conversion ("NA", "" are texts)
        # and no skipped blank lines (a blank line of a one-column file is an
        # empty text), so every row of the file is one input.
        return pd.read_csv(path, sep=sep, dtype={text_column: str},
                           keep_default_na=False, skip_blank_lines=False)
    except (ValueError, OSError) as exc:  # pandas' parser errors are ValueErrors
        kind = "CSV" if sep == "," else "TSV"
        raise UsageError(
            f"argument --data: cannot read {str(path)!r} as {kind}: {exc}"
        ) from None


def _read_parquet(path):
    try:
        return pd.read_parquet(path)
    except ImportError:
        raise CommandError("reading Parquet needs pyarrow: pip install pyarrow") \
            from None
    except (ValueError, OSError) as exc:
        raise UsageError(
            f"argument --data: cannot read {str(path)!r} as Parquet: {exc}"
        ) from None


def _read_imdb(path, *, subset):
    try:
        reviews = read_reviews(path)
    except ValueError as exc:
        raise UsageError(f"argument --data: {exc}") from None
    frame = pd.DataFrame(reviews.columns())
    if subset != "all":
        frame = frame[frame["subset"] == subset].reset_index(drop=True)
    return frame


def _column(frame, name, option):
    if name not in frame.columns:
        columns = [str(c) for c in frame.columns]
        listed = ", ".join(map(repr, columns[:_MAX_LISTED]))
        more = f" and {len(columns) - _MAX_LISTED} more" if (
            len(columns) > _MAX_LISTED) else ""
        raise UsageError(
            f"argument {option}: no column {name!r} in the data; available "
            f"columns: {listed}{more}.{suggest(name, columns)}"
        )
    return frame[name]


def text_column(frame, name):
    """Column ``name`` as a list of str; missing values (Parquet nulls) are ''."""
    column = _column(frame, name, "--text-column")
    return [text if isinstance(text, str) else "" if pd.isna(text) else str(text)
            for text in column.tolist()]


def label_column(frame, name):
    """Column ``name`` as an array; a UsageError when a row has no label."""
    column = _column(frame, name, "--label-column")
    blank = column.astype(str).str.strip() == ""
    missing = column.isna().to_numpy() | blank.to_numpy()
    if missing.any():
        raise UsageError(
            f"argument --label-column: column {name!r} has {missing.sum()} empty "
            f"value(s), the first in data row {np.argmax(missing) + 1}; every row "
            "needs a label"
        )
    return column.to_numpy()


def read_text(path, option):
    """The UTF-8 text of the file ``path``."""
    path = existing_path(path, option)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"argument {option}: cannot read {str(path)!r} as UTF-8 "
                         f"text: {exc}") from None
    if not text:
        raise UsageError(f"argument {option}: {str(path)!r} is empty")
    return text
