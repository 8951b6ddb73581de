"""Subcommands for text classification and regression: train, predict, evaluate,
compare."""

import sys
import textwrap

import numpy as np
import pandas as pd
from sklearn.base import is_regressor
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
)

from sklearn_rnn._cli._common import (
    UsageError,
    add_command,
    note,
    number,
    writable_path,
)
from sklearn_rnn._cli._data import (
    add_data_options,
    label_column,
    read_table,
    text_column,
)
from sklearn_rnn._cli._flags import add_device_option
from sklearn_rnn._cli._models import (
    TASKS,
    add_classifier_flags,
    describe_step,
    fit_and_save,
    load_model,
    make_classifier,
    make_model,
)
from sklearn_rnn.baselines import make_tfidf_classifier
from sklearn_rnn.model_selection import compare_models

__all__ = ["add_commands"]

TRAIN_EXAMPLES = """\
examples:
  sklearn-rnn train --data reviews.csv --text-column review \\
      --label-column sentiment --out model.safetensors
  sklearn-rnn train --data reviews.tsv --out gru.safetensors --cell-type gru \\
      --units 32 --max-epochs 5 --maxlen 200 --random-state 0
  sklearn-rnn train --data aclImdb_v1.tar.gz --subset train --out imdb.safetensors
  sklearn-rnn train --task regression --data aclImdb_v1.tar.gz \\
      --label-column rating --out ratings.safetensors
"""
PREDICT_EXAMPLES = """\
examples:
  sklearn-rnn predict --model model.safetensors --data new.csv \\
      --text-column review > predictions.csv
  sklearn-rnn predict --model model.safetensors --data new.csv --out predictions.csv

Output: one CSV row per input row, in order: the predicted class ("prediction")
and one probability column per class ("proba_<class>"); for a regression model,
the predicted number ("prediction", or "prediction_<i>" per target).
"""
EVALUATE_EXAMPLES = """\
examples:
  sklearn-rnn evaluate --model model.safetensors --data test.csv \\
      --text-column review --label-column sentiment
  sklearn-rnn evaluate --model imdb.safetensors --data aclImdb_v1.tar.gz
"""
COMPARE_EXAMPLES = """\
examples:
  sklearn-rnn compare --data reviews.csv --text-column review \\
      --label-column sentiment --cv 5
  sklearn-rnn compare --data reviews.csv --cv 3 --units 32 --max-epochs 3

"""


def add_commands(subparsers, parents):
    """Register the classification subcommands."""
    for add in (_add_train, _add_predict, _add_evaluate, _add_compare):
        add(subparsers, parents)


def _add_train(subparsers, parents):
    parser = add_command(
        subparsers, "train", run=train, parents=parents, epilog=TRAIN_EXAMPLES,
        help="train an RNN text classifier (or regressor) on a table of texts and "
             "labels (or numbers)",
        description="Train TextVectorizer -> SequencePadder -> RNNTextClassifier "
                    "(--task regression: RNNTextRegressor) on raw texts and labels "
                    "(numbers), print the model summary and save it.")
    parser.add_argument("--task", choices=tuple(TASKS), default="classification",
                        help="predict a class (RNNTextClassifier) or a number "
                             "(RNNTextRegressor; --label-column holds numbers) "
                             "(default: %(default)s)")
    add_data_options(parser, labels=True, subset="train")
    parser.add_argument("--out", required=True, metavar="MODEL",
                        help="file to save the trained model to")
    add_classifier_flags(parser)


def _add_predict(subparsers, parents):
    parser = add_command(
        subparsers, "predict", run=predict, parents=parents,
        epilog=PREDICT_EXAMPLES,
        help="predict classes and probabilities (or numbers) as CSV",
        description="Predict the class of every text with a trained model.")
    parser.add_argument("--model", required=True, help="model saved by train")
    add_device_option(parser, "predict")
    add_data_options(parser, labels=False, subset="test")
    parser.add_argument("--out", metavar="FILE",
                        help="CSV file to write (default: standard output)")


def _add_evaluate(subparsers, parents):
    parser = add_command(
        subparsers, "evaluate", run=evaluate, parents=parents,
        epilog=EVALUATE_EXAMPLES,
        help="accuracy and per-class report (or MAE, RMSE, R^2) on labelled data",
        description="Score a trained model: accuracy and scikit-learn's "
                    "classification report; MAE, RMSE and R^2 for a regressor.")
    parser.add_argument("--model", required=True, help="model saved by train")
    add_device_option(parser, "predict")
    add_data_options(parser, labels=True, subset="test")


def _add_compare(subparsers, parents):
    steps = " -> ".join(map(describe_step, make_tfidf_classifier().named_steps
                            .values()))
    baseline = textwrap.fill(
        "Both models are cross-validated on the very same stratified folds: the "
        "RNN with the hyperparameters given, and the TF-IDF baseline "
        f"sklearn_rnn.baselines.make_tfidf_classifier(), which is {steps}.", 79)
    parser = add_command(
        subparsers, "compare", run=compare, parents=parents,
        epilog=COMPARE_EXAMPLES + baseline + "\n",
        help="cross-validate the RNN against TF-IDF",
        description="Cross-validate an RNN pipeline and a TF-IDF + logistic "
                    "regression baseline on identical folds.")
    add_data_options(parser, labels=True, subset="train")
    parser.add_argument("--cv", type=number(int, 2), default=5, metavar="K",
                        help="number of stratified folds (default: %(default)s)")
    add_classifier_flags(parser)


def _texts_and_labels(args, task):
    """The texts and the labels of ``--data``: numbers for ``task``
    'regression', class labels of one kind (all numbers or all text) for
    'classification'."""
    frame = read_table(args)
    X, y = (text_column(frame, args.text_column),
            label_column(frame, args.label_column))
    if task == "regression":
        return X, _numbers(y, args.label_column)
    _check_one_kind(y, args.label_column)
    return X, y


def _check_one_kind(y, column):
    """A UsageError when some labels read as numbers and others as text.

    A CSV cell has no type: pandas makes a column of numbers ints or floats,
    but one text cell among them (a typo, 'n/a') turns the whole column into
    text, and 1 and '1' would then be different classes from those of a clean
    file. The library refuses mixed kinds in ``fit`` for the same reason.
    """
    is_number = pd.to_numeric(pd.Series(y), errors="coerce").notna().to_numpy()
    if is_number.any() and not is_number.all():
        number, text = int(np.argmax(is_number)), int(np.argmin(is_number))
        raise UsageError(
            f"argument --label-column: column {column!r} mixes numbers and text: "
            f"{y[number]!r} in data row {number + 1}, {y[text]!r} in data row "
            f"{text + 1}; the class labels of a column are all numbers or all text"
        )


def _check_classes(y, column, cv=None):
    """A UsageError unless ``y`` holds two classes or more, each with at least
    ``cv`` texts (one per stratified fold) when ``cv`` is given."""
    classes, counts = np.unique(y.astype(str) if y.dtype == object else y,
                                return_counts=True)
    if len(classes) < 2:
        raise UsageError(
            f"argument --label-column: every row of column {column!r} has the label "
            f"{y[0]!r}; a classifier needs at least two classes"
        )
    if cv is not None and counts.min() < cv:
        smallest = classes[np.argmin(counts)]
        raise UsageError(
            f"argument --cv: {cv} stratified folds need at least {cv} texts of "
            f"every class, but class {smallest.item()!r} of column {column!r} has "
            f"{counts.min()}; use a smaller --cv"
        )


def _numbers(y, column):
    """Regression targets as floats; a UsageError naming the first non-number."""
    values = pd.to_numeric(pd.Series(y), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        row = int(np.argmax(bad))
        raise UsageError(
            f"argument --label-column: --task regression needs numbers, but column "
            f"{column!r} holds {y[row]!r} in data row {row + 1}"
        )
    return values


def train(args):
    """Fit the pipeline, print its summary, save it."""
    out = writable_path(args.out, "--out")
    X, y = _texts_and_labels(args, args.task)
    if args.task == "classification":
        _check_classes(y, args.label_column)
    model = make_model(args, args.task)
    note(args, f"training on {len(X)} texts ...")
    fit_and_save(args, model, X, y, out)


def predict(args):
    """Write one CSV row of prediction and class probabilities per text."""
    out = writable_path(args.out, "--out") if args.out else None
    model = load_model(args.model, "text model", args.device)
    X = text_column(read_table(args), args.text_column)
    if is_regressor(model):
        table = _numeric_predictions(model.predict(X))
    else:
        table = _class_predictions(model, X)
    table.to_csv(sys.stdout if out is None else out, index=False, float_format="%.6g")
    if out is not None:
        note(args, f"wrote {len(table)} predictions to {str(out)!r}")


def _numeric_predictions(y_pred):
    if y_pred.ndim == 1:
        return pd.DataFrame({"prediction": y_pred})
    return pd.DataFrame({f"prediction_{i}": column
                         for i, column in enumerate(y_pred.T)})


def _class_predictions(model, X):
    proba = model.predict_proba(X)
    table = pd.DataFrame({"prediction": model.classes_[np.argmax(proba, axis=1)]})
    for i, label in enumerate(model.classes_):
        table[f"proba_{label}"] = proba[:, i]
    return table


def evaluate(args):
    """Print the accuracy and the classification report (a regressor's errors)."""
    model = load_model(args.model, "text model", args.device)
    regressor = is_regressor(model)
    X, y = _texts_and_labels(args, "regression" if regressor else "classification")
    if regressor:
        y_pred = model.predict(X)
        print(f"MAE:  {mean_absolute_error(y, y_pred):.4f} ({len(y)} texts)")
        print(f"RMSE: {np.sqrt(mean_squared_error(y, y_pred)):.4f}")
        print(f"R^2:  {r2_score(y, y_pred):.4f}")
        return
    _check_known_labels(y, model.classes_, args.label_column)
    y_pred = model.predict(X)
    print(f"accuracy: {accuracy_score(y, y_pred):.4f} ({len(y)} texts)\n")
    print(classification_report(y, y_pred, digits=4, zero_division=0))


def _check_known_labels(y, classes, column):
    if not np.isin(y, classes).any():
        raise UsageError(
            f"argument --label-column: no label of column {column!r} "
            f"({', '.join(map(repr, pd.unique(y)[:5].tolist()))}, ...) is a class "
            f"of the model ({', '.join(map(repr, classes.tolist()))})"
        )


def compare(args):
    """Cross-validate the RNN and the TF-IDF baseline; print the table."""
    X, y = _texts_and_labels(args, "classification")
    _check_classes(y, args.label_column, cv=args.cv)
    models = {"rnn": make_classifier(args), "tfidf": make_tfidf_classifier()}
    note(args, f"cross-validating {len(models)} models on {args.cv} folds of "
               f"{len(X)} texts ...")
    table = compare_models(models, X, y, cv=args.cv)
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(table.to_string(float_format=lambda value: f"{value:.4f}"))
