"""Safe persistence: weights as safetensors, everything else as JSON, never pickle.

A model file is one safetensors file. Its tensors are the network weights (and
pretrained ``embeddings`` passed as a parameter); its metadata holds one JSON
document with the hyperparameters, the fitted vocabulary, classes and training
history, and the versions that wrote it. Loading parses JSON and reads raw
tensors only, and builds nothing but the classes listed in ``_CLASSES``, so a
crafted file cannot run code. (``pickle``/``joblib`` also work on every estimator,
but only load those from sources you trust.)
"""

from sklearn.pipeline import Pipeline

from sklearn_rnn._model_file import (
    build_estimator,
    describe_estimator,
    read_model_file,
    write_model_file,
)
from sklearn_rnn.estimators import (
    CharLanguageModel,
    RNNTagger,
    RNNTextClassifier,
    RNNTextRegressor,
)
from sklearn_rnn.preprocessing import SequencePadder, TextVectorizer

__all__ = ["load", "save"]

_CLASSES = {cls.__name__: cls for cls in (
    TextVectorizer, SequencePadder, RNNTextClassifier, RNNTextRegressor,
    CharLanguageModel, RNNTagger,
)}


def save(model, path):
    """Save a fitted model to ``path`` without pickle.

    Parameters
    ----------
    model : estimator or Pipeline
        A fitted :class:`TextVectorizer`, :class:`SequencePadder`,
        :class:`RNNTextClassifier`, :class:`RNNTextRegressor`,
        :class:`CharLanguageModel`, or a
        :class:`~sklearn.pipeline.Pipeline` of them.
    path : str or path-like
        File to write (conventionally ``*.safetensors``). It is written to a
        temporary file first and moved into place, so a crash never leaves a
        broken or half-written file at ``path``.

    Examples
    --------
    >>> import tempfile, os
    >>> from sklearn_rnn import SequencePadder, load, save
    >>> padder = SequencePadder(maxlen=3, truncation="always").fit([[1, 2], [3]])
    >>> path = os.path.join(tempfile.mkdtemp(), "padder.safetensors")
    >>> save(padder, path)
    >>> load(path).transform([[5, 6, 7, 8]])
    array([[6, 7, 8]], dtype=int32)
    """
    tensors = {}
    write_model_file(_describe(model, tensors, prefix="model"), tensors, path)


def load(path, device=None):
    """Load a model written by :func:`save`.

    Parameters
    ----------
    path : str or path-like
        File written by :func:`save`.
    device : str or None, default=None
        Device for the network weights. None keeps the device the model was
        trained on when it exists here (a CUDA model loads on the CPU of a
        machine without GPU).

    Returns
    -------
    model : estimator or Pipeline
        The fitted model, ready to ``predict``, ``generate`` or refit.
    """
    spec, tensors = read_model_file(path)
    return _build(spec, tensors, device, prefix="model")


# Describing a model as JSON + tensors --------------------------------------------

def _describe(model, tensors, prefix):
    if isinstance(model, Pipeline):
        return {
            "class": "Pipeline",
            "steps": [
                [name, _describe(step, tensors, f"{prefix}.{i}")
                 if step not in (None, "passthrough") else step]
                for i, (name, step) in enumerate(model.steps)
            ],
        }
    name = type(model).__name__
    if _CLASSES.get(name) is not type(model):
        raise TypeError(
            f"save supports {sorted(_CLASSES)} and Pipelines of them; got "
            f"{name}. Use joblib for other scikit-learn objects (trusted files only)."
        )
    return describe_estimator(model, tensors, prefix)


# Building a model from JSON + tensors ---------------------------------------------

def _build(spec, tensors, device, prefix):
    if not isinstance(spec, dict) or "class" not in spec:
        raise ValueError("Malformed sklearn-rnn model file: no model description.")
    if spec["class"] == "Pipeline":
        return Pipeline([
            (name, step if step in (None, "passthrough")
             else _build(step, tensors, device, f"{prefix}.{i}"))
            for i, (name, step) in enumerate(spec["steps"])
        ])
    cls = _CLASSES.get(spec["class"])
    if cls is None:
        raise ValueError(
            f"Unknown class {spec['class']!r} in model file; sklearn-rnn loads only "
            f"{sorted(_CLASSES)} and Pipelines of them."
        )
    return build_estimator(cls, spec, tensors, device, prefix)
