"""Safe persistence: weights as safetensors, everything else as JSON, never pickle.

A model file is one safetensors file. Its tensors are the network weights (and
pretrained ``embeddings`` passed as a parameter); its metadata holds one JSON
document with the hyperparameters, the fitted vocabulary, classes and training
history, and the versions that wrote it. Loading parses JSON and reads raw
tensors only, checks every field against the class's own constraints and the
network's shapes, and builds nothing but the library's own classes, so a crafted
file can neither run code nor load as a model it does not describe.
(``pickle``/``joblib`` also work on every estimator, but only load those from
sources you trust.)

The package is one layer: ``_file`` reads and writes the bytes, ``_state``
turns estimators into descriptions and back. The estimators register
themselves with ``loadable``; the preprocessing classes, which know nothing of
persistence, are registered here.
"""

from sklearn_rnn.persistence._file import (
    read_description,
    read_model_file,
    write_model_file,
)
from sklearn_rnn.persistence._state import build, describe, loadable
from sklearn_rnn.preprocessing import SequencePadder, TextVectorizer

__all__ = ["load", "read_description", "save"]

loadable(TextVectorizer)
loadable(SequencePadder)


def save(model, path):
    """Save a fitted model to ``path`` without pickle.

    Parameters
    ----------
    model : estimator or Pipeline
        A fitted :class:`TextVectorizer`, :class:`SequencePadder`,
        :class:`RNNTextClassifier`, :class:`RNNTextRegressor`,
        :class:`RNNTagger`, :class:`CharLanguageModel`, or a
        :class:`~sklearn.pipeline.Pipeline` of them.
    path : str or path-like
        File to write (conventionally ``*.safetensors``). It is written to a
        temporary file first and moved into place, so a crash never leaves a
        broken or half-written file at ``path``, and a reader of ``path`` sees
        the old model or the new one. A new file gets the permissions
        ``open()`` would give it (0o666 less the umask); a replaced file keeps
        its own.

    Raises
    ------
    ValueError
        A fitted attribute was deleted or replaced since ``fit`` (the message
        names it), or the description is too large for a model file.
    IsADirectoryError
        ``path`` is a folder or ends with a path separator.

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
    write_model_file(describe(model, tensors), tensors, path)


def load(path, device=None):
    """Load a model written by :func:`save`.

    Parameters
    ----------
    path : str or path-like
        File written by :func:`save`.
    device : str or None, default=None
        Device for the network weights ('cpu', 'cuda', 'cuda:N', 'mps'; it
        must exist here). None keeps the device the model was trained on when
        this machine has it, else the CPU (a CUDA model loads on the CPU of a
        machine without GPU).

    Returns
    -------
    model : estimator or Pipeline
        The fitted model, ready to ``predict``, ``generate`` or refit.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    IsADirectoryError
        ``path`` is a folder.
    ValueError
        The file is not an sklearn-rnn model file, comes from another major
        version, or holds a field that fails its check (the message names the
        file and the field); or ``device`` does not exist here.
    """
    description, tensors = read_model_file(path)
    return build(description, tensors, device, path)
