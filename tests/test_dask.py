"""GridSearchCV on a real dask.distributed cluster gives the single-process result."""

import joblib
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNTextClassifier, SequencePadder, TextVectorizer
from sklearn_rnn.datasets import load_imdb_sample

distributed = pytest.importorskip("distributed")

GRID = {"rnntextclassifier__units": [4, 8],
        "rnntextclassifier__cell_type": ["gru", "lstm"]}


def _search():
    # n_threads=1 in both runs: a cluster worker and this process then do the
    # same arithmetic in the same order, so the scores agree exactly.
    pipe = make_pipeline(
        TextVectorizer(max_features=500), SequencePadder(maxlen=40),
        RNNTextClassifier(embedding_dim=8, max_epochs=2, batch_size=32,
                          validation_split=None, early_stopping=False,
                          n_threads=1, random_state=0),
    )
    return GridSearchCV(pipe, GRID, cv=StratifiedKFold(2, shuffle=True,
                                                       random_state=0))


@pytest.mark.slow
def test_grid_search_on_a_local_dask_cluster_matches_one_process():
    data = load_imdb_sample("train")
    X = np.asarray(data.data, dtype=object)[::10]
    y = data.target[::10]
    reference = _search().fit(X, y)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:
        with joblib.parallel_backend("dask"):
            on_cluster = _search().fit(X, y)
        workers = client.run(lambda: "ok")
    assert len(workers) == 2
    # the candidates score differently, so agreeing is not a coincidence
    assert len(set(reference.cv_results_["mean_test_score"])) > 1
    assert on_cluster.best_params_ == reference.best_params_
    assert_array_equal(on_cluster.cv_results_["mean_test_score"],
                       reference.cv_results_["mean_test_score"])
    assert_array_equal(on_cluster.predict(X[:20]), reference.predict(X[:20]))
