"""Pretrained and self-learned embeddings in the text models: alignment to the
vocabulary of each fit, no leakage under cross-validation, the layout of the
embedding layer, grids over vector sets, model files."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline

from sklearn_rnn import (
    RNNTextClassifier,
    RNNTextRegressor,
    SequencePadder,
    TextVectorizer,
    load,
    save,
)
from sklearn_rnn.embeddings import Word2VecEmbeddings, WordVectors
from sklearn_rnn.embeddings._vectors import SavedWordVectors
from sklearn_rnn.exceptions import TrainingWarning
from tests._data import REVIEW_LABELS as Y
from tests._data import REVIEWS, TINY_CLASSIFIER

pytestmark = pytest.mark.usefixtures("one_torch_thread")

# 6 columns: the 4 of the toy vectors and 2 learnt ones; two epochs, so that a
# warm start shows in n_epochs_
TINY = {**TINY_CLASSIFIER, "embedding_dim": 6, "max_epochs": 2}
WORDS = ["great", "fun", "movie", "Cast", "bad", "boring", "AWFUL", "do", "n't"]


def toy_vectors(dim=4, words=WORDS, name="toy"):
    rng = np.random.RandomState(42)
    return WordVectors(words, rng.normal(size=(len(words), dim)), name=name)


def pipeline(**params):
    return make_pipeline(TextVectorizer(), SequencePadder(),
                         RNNTextClassifier(**{**TINY, **params}))


def embedding_rows(model):
    """The (vocab_size, width) embedding matrix of a fitted pipeline."""
    module = model[-1].net_.module_
    parts = [module.embedding.weight]
    if module.frozen_embedding is not None:
        parts.insert(0, module.frozen_embedding.weight)
    return np.concatenate([p.detach().numpy() for p in parts], axis=1)


def test_rows_are_the_vectors_of_this_fits_vocabulary():
    vectors = toy_vectors()
    model = pipeline(embeddings=vectors, freeze_embeddings=True).fit(REVIEWS, Y)
    rows = embedding_rows(model)
    tokens = model[0].get_feature_names_out()
    assert rows.shape == (len(tokens), 6)  # 4 pretrained + 2 random columns
    assert_array_equal(rows[0], 0)  # padding
    for word, expected in [("great", "great"), ("cast", "Cast"),
                           ("awful", "AWFUL")]:  # case variants found
        row = list(tokens).index(word)
        assert_array_equal(rows[row, :4], vectors.vectors[WORDS.index(expected)])
    assert model[-1].pretrained_dim_ == 4
    found = sum(t in {"great", "fun", "movie", "cast", "bad", "boring", "awful"}
                for t in tokens)
    assert model[-1].embedding_coverage_ == pytest.approx(found / (len(tokens) - 2))


def test_frozen_columns_stay_fixed_and_extra_columns_train():
    vectors = toy_vectors()
    unfitted = pipeline(embeddings=vectors, freeze_embeddings=True, max_epochs=3,
                        lr=0.05)
    before, _ = vectors.align(
        TextVectorizer().fit(REVIEWS).get_feature_names_out(), missing="zeros")
    model = unfitted.fit(REVIEWS, Y)
    rows = embedding_rows(model)
    found = np.array([vectors.lookup(t) is not None
                      for t in model[0].get_feature_names_out()])
    assert_array_equal(rows[found, :4], before[found])
    initial = clone(unfitted).set_params(rnntextclassifier__max_epochs=1,
                                         rnntextclassifier__lr=1e-12).fit(REVIEWS, Y)
    assert not np.allclose(embedding_rows(initial)[2:, 4:], rows[2:, 4:])
    table = model[-1].summary()
    assert f"Non-trainable params: {rows.shape[0] * 4:,}" in table


def test_fine_tuning_moves_the_pretrained_rows():
    vectors = toy_vectors()
    model = pipeline(embeddings=vectors, lr=0.05, max_epochs=3).fit(REVIEWS, Y)
    row = list(model[0].get_feature_names_out()).index("great")
    assert not np.allclose(embedding_rows(model)[row, :4],
                           vectors.vectors[WORDS.index("great")])
    assert model[-1].net_.module_.frozen_embedding is None


@pytest.mark.parametrize("dim, embedding_dim, width", [(4, 6, 6), (8, 6, 8)])
def test_width_is_the_larger_of_embedding_dim_and_the_vectors(dim, embedding_dim,
                                                              width):
    model = pipeline(embeddings=toy_vectors(dim), embedding_dim=embedding_dim)
    model.fit(REVIEWS, Y)
    assert embedding_rows(model).shape[1] == width
    assert f"(None, None, {width})" in model[-1].summary()


def test_a_word_only_in_the_held_out_fold_gets_no_row():
    texts = REVIEWS[:12] + ["a superb cast"]
    labels = Y[:12] + ["pos"]
    vectors = toy_vectors(words=[*WORDS, "superb"])
    superb = vectors.vectors[-1]
    train, test = next(KFold(len(texts)).split(texts))  # test: the first text
    train = np.setdiff1d(np.arange(len(texts)), [12])  # "superb" held out
    model = pipeline(embeddings=vectors, freeze_embeddings=True)
    model.fit([texts[i] for i in train], [labels[i] for i in train])
    assert "superb" not in model[0].vocabulary_
    rows = embedding_rows(model)[:, :4]
    assert not np.isclose(rows, superb).all(axis=1).any()
    # and in the fit that does see it, it has its vector
    full = clone(model).fit(texts, labels)
    row = full[0].vocabulary_["superb"]
    assert_array_equal(embedding_rows(full)[row, :4], superb)


def test_missing_vectors_options():
    vectors = toy_vectors()
    zeros = pipeline(embeddings=vectors, freeze_embeddings=True,
                     missing_vectors="zeros", max_epochs=1).fit(REVIEWS, Y)
    tokens = list(zeros[0].get_feature_names_out())
    row = tokens.index("wonderful")  # no vector
    assert_array_equal(embedding_rows(zeros)[row, :4], 0)
    mean = clone(zeros).set_params(
        rnntextclassifier__missing_vectors="mean").fit(REVIEWS, Y)
    found = [tokens.index(w) for w in ("great", "fun", "movie", "cast", "bad",
                                       "boring", "awful")]
    np.testing.assert_allclose(embedding_rows(mean)[row, :4],
                               embedding_rows(mean)[found, :4].mean(axis=0),
                               rtol=1e-6)


def test_grid_search_over_none_and_vectors():
    vectors = toy_vectors()
    search = GridSearchCV(pipeline(), {"rnntextclassifier__embeddings":
                                       [None, vectors]}, cv=2)
    search.fit(REVIEWS, Y)
    assert len(search.cv_results_["params"]) == 2
    assert search.cv_results_["param_rnntextclassifier__embeddings"][1] is vectors
    assert search.best_estimator_[-1].pretrained_dim_ in (0, 4)


def test_clone_shares_the_vector_table():
    vectors = toy_vectors()
    clf = RNNTextClassifier(embeddings=vectors)
    assert clone(clf).embeddings is vectors
    with pytest.raises(ValueError, match="read-only"):
        vectors.vectors[0, 0] = 1.0


def test_vectors_need_the_tokens_of_the_ids():
    X = SequencePadder().fit_transform(TextVectorizer().fit_transform(REVIEWS))
    with pytest.raises(ValueError, match="needs the token of every id"):
        RNNTextClassifier(embeddings=toy_vectors(), **{
            k: v for k, v in TINY.items()}).fit(np.asarray(X), Y)


def test_low_coverage_warns():
    vectors = toy_vectors(words=["zebra", "quagga"])
    with pytest.warns(TrainingWarning, match="Only 0% of the"):
        pipeline(embeddings=vectors, max_epochs=1).fit(REVIEWS, Y)


def test_model_file_keeps_the_rows_not_the_vector_set(tmp_path):
    rng = np.random.RandomState(0)
    words = [*WORDS, *(f"filler{i}" for i in range(20_000))]
    big = WordVectors(words, rng.normal(size=(len(words), 4)), name="big")
    model = pipeline(embeddings=big).fit(REVIEWS, Y)
    path = tmp_path / "model.safetensors"
    save(model, path)
    assert path.stat().st_size < big.vectors.nbytes / 4
    loaded = load(path)
    assert_array_equal(loaded.predict_proba(REVIEWS), model.predict_proba(REVIEWS))
    assert loaded[-1].embeddings == SavedWordVectors("big", len(words), 4)
    with pytest.raises(ValueError, match="set_params\\(embeddings=...\\)"):
        clone(loaded).fit(REVIEWS, Y)
    refit = clone(loaded).set_params(rnntextclassifier__embeddings=big)
    assert refit.fit(REVIEWS, Y)[-1].pretrained_dim_ == 4


def test_pickle_round_trip_with_vectors():
    model = pipeline(embeddings=toy_vectors()).fit(REVIEWS, Y)
    copy = pickle.loads(pickle.dumps(model))
    assert_array_equal(copy.predict_proba(REVIEWS), model.predict_proba(REVIEWS))
    assert copy[-1].embeddings == model[-1].embeddings


@pytest.mark.parametrize("Estimator", [RNNTextClassifier, RNNTextRegressor])
def test_word2vec_learns_the_rows_from_the_fit_data(Estimator):
    pytest.importorskip("gensim")
    y = Y if Estimator is RNNTextClassifier else [float(v == "pos") for v in Y]
    params = {**TINY, "embeddings": Word2VecEmbeddings(epochs=2)}
    if Estimator is RNNTextRegressor:
        params.pop("n_estimators")
    model = make_pipeline(TextVectorizer(), SequencePadder(), Estimator(**params))
    model.fit(REVIEWS, y)
    assert model[-1].pretrained_dim_ == 6
    # every word of the training texts got a learned vector
    assert model[-1].embedding_coverage_ == 1.0
    again = clone(model).fit(REVIEWS, y)
    assert_array_equal(embedding_rows(again), embedding_rows(model))


def test_word2vec_string_and_saved_spec(tmp_path):
    pytest.importorskip("gensim")
    model = pipeline(embeddings="word2vec").fit(REVIEWS, Y)
    assert model[-1].pretrained_dim_ == 6
    spec = Word2VecEmbeddings(window=3, epochs=1)
    model = pipeline(embeddings=spec).fit(REVIEWS, Y)
    save(model, tmp_path / "w2v.safetensors")
    assert load(tmp_path / "w2v.safetensors")[-1].embeddings == spec


@pytest.mark.parametrize("value, match", [
    ("glove", "Load pretrained vectors first: embeddings=load_glove_6b_50d()"),
    (42, "'embeddings' parameter"),
])
def test_bad_embeddings_values_are_named(value, match):
    with pytest.raises(ValueError, match=match):
        pipeline(embeddings=value).fit(REVIEWS, Y)


def test_bad_missing_vectors_is_named():
    with pytest.raises(ValueError, match="'missing_vectors' parameter"):
        pipeline(missing_vectors="gaussian").fit(REVIEWS, Y)


def test_extra_vocabulary_words_keep_their_vectors_and_share_the_unknown_row():
    vectors = toy_vectors(words=[*WORDS, "superb", "dreadful"])
    model = make_pipeline(
        TextVectorizer(extra_vocabulary=["superb", "zzznovector"]),
        SequencePadder(),
        RNNTextClassifier(**{**TINY, "embeddings": vectors, "lr": 0.05}))
    model.fit(REVIEWS, Y)
    vocabulary, clf = model[0].vocabulary_, model[-1]
    assert clf.vocab_size_ == model[0].n_features_  # extra ids are in range
    rows = embedding_rows(model)
    superb, no_vector = vocabulary["superb"], vocabulary["zzznovector"]
    unknown = rows[1]
    # never trained: its vector in the pretrained columns, the unknown word's
    # trained values in the others; without a vector, the unknown word's row
    assert_array_equal(rows[superb, :4], vectors.vectors[-2])
    assert_array_equal(rows[superb, 4:], unknown[4:])
    assert_array_equal(rows[no_vector], unknown)
    # a trained word keeps a row of its own
    assert not np.allclose(rows[vocabulary["great"], 4:], unknown[4:])
    assert_array_equal(model.predict_proba(["zzznovector"]),
                       model.predict_proba(["qqq"]))  # both read as unknown
    assert not np.allclose(model.predict_proba(["superb"]),
                           model.predict_proba(["qqq"]))


def test_warm_start_keeps_the_embedding_layout():
    rows = np.random.RandomState(0).normal(size=(30, 4)).astype(np.float32)
    X = SequencePadder().fit_transform(TextVectorizer().fit_transform(REVIEWS))
    X = np.asarray(X)
    params = {**TINY, "embeddings": rows, "vocab_size": 30, "embedding_dim": 6}
    clf = RNNTextClassifier(**params).fit(X, Y)
    assert clf.embedding_width_ == 6 and clf.pretrained_dim_ == 4
    clf.set_params(warm_start=True).fit(X, Y)  # same layout: continues
    assert clf.n_epochs_ == 4
    with pytest.raises(ValueError, match="freeze_embeddings=False, whose embedding"):
        clf.set_params(freeze_embeddings=True).fit(X, Y)


def test_token_id_arrays_give_plain_results_to_arithmetic():
    X = SequencePadder().fit_transform(TextVectorizer().fit_transform(REVIEWS))
    assert X.tokens is not None
    assert type(X.max()) is not type(X) and {X.max(): 1}
    assert type(X == 0) is np.ndarray and type(X.sum(axis=1)) is np.ndarray
