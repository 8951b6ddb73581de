"""The model-file protocol for estimators whose fitted state is plain data."""

__all__ = ["DataStateMixin"]


class DataStateMixin:
    """``_export_state``/``_import_state`` (see ``sklearn_rnn._model_file``) for
    an estimator without weights: its fitted state is its public ``_``
    attributes (dicts, arrays, numbers), and it has no tensors."""

    def _export_state(self):
        fitted = {key: value for key, value in vars(self).items()
                  if key.endswith("_") and not key.startswith("_")}
        return fitted, {}

    def _import_state(self, fitted, weights, device=None):
        for key, value in fitted.items():
            setattr(self, key, value)
        return self
