"""benchmarks/bench_tagger.py on treebank files the tests write."""

import gzip
import re

import pytest

from tests.test_examples import load_benchmark

WORDS = {"DET": ["the", "a"], "NOUN": ["dog", "cat", "Paris"], "VERB": ["runs", "sees"],
         "PROPN": ["Anna", "Berlin", "Smith"]}


def write_treebank(directory, n_train=40, n_test=12):
    patterns = [["DET", "NOUN", "VERB"], ["PROPN", "PROPN", "VERB", "DET", "NOUN"],
                ["PROPN", "VERB"]]
    for part, n in (("train", n_train), ("test", n_test)):
        lines = []
        for i in range(n):
            tags = patterns[i % len(patterns)]
            lines.append(f"# sent_id = {part}-{i}")
            for j, tag in enumerate(tags, start=1):
                # the test part has one word of each tag that training lacks
                extra = ["Unseen" + tag.lower()] if part == "test" else []
                words = WORDS[tag] + extra
                word = words[(i + j) % len(words)]
                lines.append(f"{j}\t{word}\t{word}\t{tag}\tX\t_\t0\tdep\t_\t_")
            lines.append("")
        path = directory / f"en_ewt-ud-{part}.conllu.gz"
        path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))


def test_proper_noun_runs_become_bio_entities():
    bench = load_benchmark("bench_tagger")
    tags = [["PROPN", "PROPN", "VERB", "PROPN"], ["NOUN", "PROPN"]]
    assert bench.proper_noun_entities(tags) == [
        ["B-PROPN", "I-PROPN", "O", "B-PROPN"], ["O", "B-PROPN"]]


def test_crf_features_follow_the_tutorial():
    bench = load_benchmark("bench_tagger")
    first, middle = bench.sentence_features(["The", "IBM", "sat"])[:2]
    assert first["BOS"] and "-1:word.lower()" not in first
    assert middle["word.lower()"] == "ibm" and middle["word.isupper()"]
    assert middle["-1:word.lower()"] == "the" and middle["+1:word.lower()"] == "sat"
    assert middle["word[-3:]"] == "IBM" and middle["word[-2:]"] == "BM"


def test_criteria():
    bench = load_benchmark("bench_tagger")
    crf = dict(model="crf", score=94.2, unseen=76.4)
    good = dict(model="rnn seed 0", score=95.3, unseen=80.0, fit_s=700.0,
                tokens_per_s=25_000.0)
    assert bench.check([good, crf]) == []
    bad = dict(good, score=94.0, unseen=75.0, fit_s=950.0, tokens_per_s=15_000.0)
    assert bench.check([bad, crf]) == [
        "rnn accuracy 94.00 < 95.0", "rnn accuracy 94.00 <= crf 94.20",
        "rnn unseen 75.00 <= crf 76.40", "rnn seed 0 fit 950 s > 900 s",
        "rnn seed 0 15,000 tokens/s < 20,000"]


@pytest.mark.slow
def test_quick_run_reports_every_model(tmp_path, capsys):
    pytest.importorskip("sklearn_crfsuite")
    pytest.importorskip("seqeval")
    write_treebank(tmp_path)
    bench = load_benchmark("bench_tagger")
    output = tmp_path / "tagger.md"
    assert bench.main(["--ud-dir", str(tmp_path), "--quick", "--entities",
                       "--set", "n_threads=1", "--output", str(output)]) == 0
    text = output.read_text()
    number = r"(\d+\.\d\d)"
    rows = re.findall(rf"^\| (rnn seed 0|rnn crf seed 0|crf) \| {number} \| {number} "
                      rf"\|", text, re.MULTILINE)
    assert [row[0] for row in rows] == ["rnn seed 0", "crf",
                                        "rnn seed 0", "rnn crf seed 0", "crf"]
    for _, score, unseen in rows:
        assert 0.0 <= float(score) <= 100.0 and 0.0 <= float(unseen) <= 100.0
    # the CRF learns this tiny grammar: far above a third of the tokens
    assert float(rows[1][1]) > 60.0
