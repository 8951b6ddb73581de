"""Small datasets shipped with the package: no download, usable in doctests."""

import gzip
import json

from sklearn.utils import Bunch
from sklearn.utils._param_validation import validate_params

from sklearn_rnn.datasets._base import (
    TARGET_NAMES,
    check_subset,
    data_file,
    load_descr,
    make_review_bunch,
)

__all__ = ["load_imdb_sample", "load_tiny_shakespeare"]

SHAKESPEARE_FILE = "tinyshakespeare.txt.gz"
IMDB_SAMPLE_FILE = "imdb_sample.jsonl.gz"


@validate_params({"return_bunch": ["boolean"]}, prefer_skip_nested_validation=True)
def load_tiny_shakespeare(*, return_bunch=False):
    """Load Tiny Shakespeare, 1,115,394 characters of plays for character models.

    The text is Andrej Karpathy's ``tinyshakespeare/input.txt`` (char-rnn), bundled
    with the package, so no download is needed.

    Parameters
    ----------
    return_bunch : bool, default=False
        If True, return a Bunch with the text as ``data`` and its description as
        ``DESCR`` instead of the bare text.

    Returns
    -------
    text : str
        The whole corpus, lines separated by ``'\\n'``.

    dataset : :class:`~sklearn.utils.Bunch`
        Returned instead when ``return_bunch`` is True, with attributes ``data``
        (the text) and ``DESCR`` (its description).

    See Also
    --------
    load_imdb_sample : A bundled sample of IMDB movie reviews.

    Examples
    --------
    >>> from sklearn_rnn.datasets import load_tiny_shakespeare
    >>> text = load_tiny_shakespeare()
    >>> len(text)
    1115394
    >>> print(text[:25])
    First Citizen:
    Before we
    """
    text = gzip.decompress(data_file(SHAKESPEARE_FILE).read_bytes()).decode("utf-8")
    if return_bunch:
        return Bunch(data=text, DESCR=load_descr("tiny_shakespeare.rst"))
    return text


@validate_params(
    {"subset": [str], "return_X_y": ["boolean"]}, prefer_skip_nested_validation=True
)
def load_imdb_sample(subset="train", *, return_X_y=False):
    """Load a bundled, balanced sample of 2,000 IMDB movie reviews.

    1,000 reviews from the official training split and 1,000 from the test split,
    each with 500 negative and 500 positive reviews, drawn once with a fixed seed by
    ``tools/build_bundled_data.py``. The structure matches :func:`fetch_imdb`, so
    code can be tried on the sample before downloading the full dataset.

    Parameters
    ----------
    subset : {'train', 'test', 'all'}, default='train'
        Which split to load; ``'all'`` concatenates train then test.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str of length n_samples
            The review texts, negative before positive, then by review id.
        target : ndarray of shape (n_samples,)
            0 for a negative review, 1 for a positive one.
        target_names : list of str
            ``['neg', 'pos']``.
        ratings : ndarray of shape (n_samples,)
            The reviewer's rating, 1 to 10.
        DESCR : str
            Description of the dataset and of the sample.

    (data, target) : tuple
        Returned instead of the Bunch when ``return_X_y`` is True.

    See Also
    --------
    fetch_imdb : The full 50,000-review dataset.

    Examples
    --------
    >>> from sklearn_rnn.datasets import load_imdb_sample
    >>> sample = load_imdb_sample("train")
    >>> len(sample.data), sample.target_names
    (1000, ['neg', 'pos'])
    >>> int(sample.target.sum())
    500
    """
    check_subset(subset, "load_imdb_sample")
    data, target, ratings = [], [], []
    with gzip.open(data_file(IMDB_SAMPLE_FILE).open("rb"), "rt", encoding="utf-8") as f:
        for line in f:
            review = json.loads(line)
            if subset != "all" and review["subset"] != subset:
                continue
            data.append(review["text"])
            target.append(TARGET_NAMES.index(review["label"]))
            ratings.append(review["rating"])
    return make_review_bunch(
        data, target, ratings, descr=load_descr("imdb.rst"), return_X_y=return_X_y
    )
