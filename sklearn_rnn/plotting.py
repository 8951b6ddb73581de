"""Training curves of a fitted estimator (Keras' ``plot(history)``)."""

from sklearn_rnn.utils._validation import check_is_fitted, describe, suggest

__all__ = ["plot_history"]

METRICS = ("loss", "accuracy")


def plot_history(estimator, metrics=("loss", "accuracy"), ax=None):
    """Plot training and validation curves per epoch, marking the restored epoch.

    Parameters
    ----------
    estimator : estimator or Pipeline
        A fitted RNNTextClassifier, RNNTextRegressor or CharLanguageModel (or a
        Pipeline ending in one), with a ``history_``.
    metrics : {'loss', 'accuracy'} or sequence of them, default=('loss', 'accuracy')
        One panel per metric; metrics the history lacks (accuracy for a language
        model or a regressor) are skipped.
    ax : matplotlib Axes or sequence of Axes, default=None
        Where to draw, one Axes per plotted metric; new figure when None.

    Returns
    -------
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn import RNNTextClassifier
    >>> from sklearn_rnn.plotting import plot_history
    >>> X = np.random.RandomState(0).randint(1, 20, size=(100, 6))
    >>> clf = RNNTextClassifier(units=4, max_epochs=3, random_state=0)
    >>> fig = plot_history(clf.fit(X, X[:, 0] > 10))
    >>> [a.get_title() for a in fig.axes]
    ['Loss per epoch', 'Accuracy per epoch']
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "plot_history needs matplotlib: pip install 'sklearn-rnn[plot]'"
        ) from None
    estimator = _history_owner(estimator)
    metrics = _check_metrics(metrics)
    history = estimator.history_
    panels = [m for m in metrics if _has_metric(history, m)]
    if not panels:
        raise ValueError(
            f"None of metrics={tuple(metrics)!r} was recorded; the history has "
            f"{sorted(history[-1])!r}."
        )
    if ax is None:
        figure, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.6),
                                    squeeze=False, layout="constrained")
        axes = axes[0]
    else:
        axes = _check_axes(ax, panels)
        figure = axes[0].figure
    for axis, metric in zip(axes, panels, strict=True):
        _draw(axis, history, metric, estimator.best_epoch_)
    return figure


def _history_owner(estimator):
    """The fitted estimator of this library that ``estimator`` is or ends in."""
    from sklearn_rnn.estimators._base import RNNEstimatorBase

    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps:
        estimator = steps[-1][1]
    if not isinstance(estimator, RNNEstimatorBase):
        raise TypeError(
            "plot_history draws the training history of an RNNTextClassifier, "
            "RNNTextRegressor, RNNTagger or CharLanguageModel (or of a Pipeline "
            f"ending in one); got {describe(estimator)}."
        )
    check_is_fitted(estimator, "history_")
    if not len(estimator.history_):
        raise ValueError(
            f"The history of {type(estimator).__name__} holds no epoch: there is "
            "nothing to plot."
        )
    return estimator


def _check_metrics(metrics):
    """``metrics`` as a list of known metric names (a single name allowed)."""
    if isinstance(metrics, str):
        metrics = [metrics]
    if not isinstance(metrics, (list, tuple)):
        raise TypeError(
            f"metrics must be one of {list(METRICS)} or a list or tuple of them; "
            f"got {describe(metrics)}."
        )
    if not metrics:
        raise ValueError(f"metrics is empty; name at least one of {list(METRICS)}.")
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise ValueError(
            f"None of metrics={tuple(unknown)!r} is a metric plot_history draws; "
            f"it draws {list(METRICS)}.{suggest(unknown[0], METRICS)}"
        )
    return list(metrics)


def _check_axes(ax, panels):
    """``ax`` as a list of one matplotlib Axes per panel."""
    axes = [ax] if hasattr(ax, "plot") else ax
    if isinstance(axes, str) or not hasattr(axes, "__iter__"):
        raise TypeError(f"ax must be a matplotlib Axes or a sequence of them; got "
                        f"{describe(ax)}.")
    axes = list(getattr(axes, "flat", axes))
    bad = next((a for a in axes if not hasattr(a, "plot")), None)
    if bad is not None:
        raise TypeError(f"ax must hold matplotlib Axes; it holds {describe(bad)}.")
    if len(axes) != len(panels):
        raise ValueError(
            f"ax has {len(axes)} Axes but {len(panels)} panels are drawn "
            f"({panels}); pass one Axes per panel, or set metrics."
        )
    return axes


def _keys(metric):
    short = "acc" if metric == "accuracy" else metric
    return f"train_{short}", f"valid_{short}"


def _has_metric(history, metric):
    return any(key in history[0] for key in _keys(metric))


def _draw(axis, history, metric, best_epoch):
    epochs = history[:, "epoch"]
    for key, label, style in zip(_keys(metric), ("training", "validation"),
                                 ("o-", "s-"), strict=True):
        if key in history[0]:
            values = [row.get(key, float("nan")) for row in history]
            axis.plot(epochs, values, style, label=label, markersize=4)
    axis.axvline(best_epoch, color="grey", linestyle="--",
                 label=f"restored epoch ({best_epoch})")
    axis.set_title(f"{metric.capitalize()} per epoch")
    axis.set_xlabel("epoch")
    axis.set_ylabel(metric)
    axis.set_xticks(epochs if len(epochs) <= 20 else epochs[:: len(epochs) // 10])
    axis.legend()
