"""Training and prediction speed of sklearn-rnn against plain PyTorch and Keras.

What is compared (all in one run, each measurement in a fresh subprocess so no
framework inherits another's threads or numeric state):

1. the tutorial's recipe 2 through ``RNNTextClassifier`` (20,000 training reviews x
   200 tokens, 10,000-token vocabulary, embedding 128, LSTM 64 on the last step,
   dropout 0.2, recurrent dropout 0.2, Adam 1e-3, batch 128, 5,000 validation
   reviews): seconds per epoch (median over the epochs) and test accuracy after
   the same number of epochs, with ``precision="auto"`` (bfloat16 where native)
   and ``precision="float32"``;
2. the same model as a plain PyTorch float32 loop (``nn.LSTM`` on padded batches,
   loss on the last step), as the reference users would write;
3. the same recipe in Keras 3, when ``keras`` is importable
   (``pip install -e ".[bench]"``);
4. ``predict`` throughput on the 25,000 test reviews (ours and Keras);
5. padding waste of the length-bucketed batches (padded steps / processed steps);
6. with ``--shakespeare``: training seconds for ``CharLanguageModel`` and for the
   Keras tutorial's window scheme to reach a validation loss of 1.84 nats/char on
   the last 10% of Tiny Shakespeare (checked every few batches, the checks not
   timed; the table shows the training time between checks, which bounds how
   late a contender can be seen), and generation speed in characters per second.
   ``CharLanguageModel`` runs twice: with its defaults (2 x LSTM 512) and with the
   tutorial's model size and learning rate (LSTM 128, 0.01) at batch 32, which
   isolates the training scheme (sequence to sequence on chunks vs one target
   per 40-character window) from the model size.

Run::

    python benchmarks/bench_speed.py \
        --imdb-archive ../shared/data/aclImdb_labelled.tar.gz \
        --shakespeare ../shared/data/tinyshakespeare.txt

Nothing else heavy may run at the same time: the figures are ratios measured side
by side in this run. Pass criteria (exit status 1 when one fails; Keras criteria
only when Keras ran):

- epoch time ours / Keras <= 0.25, with test accuracy not below Keras's - 0.5 pt;
- float32 epoch time ours / Keras <= 0.5;
- predict throughput ours / Keras >= 4;
- padding waste < 10% of processed time steps;
- char LM time to 1.84, ours at Keras' model size / Keras <= 0.2 (the defaults'
  ratio is printed too); generation with the defaults >= 2,000 chars/s.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time

import numpy as np

RECIPE = dict(
    max_features=10000,
    maxlen=200,
    embedding_dim=128,
    units=64,
    dropout=0.2,
    recurrent_dropout=0.2,
    lr=1e-3,
    batch_size=128,
)


def load_ids(archive):
    """Recipe-2 preprocessing, shared by every contender: padded id arrays."""
    from sklearn_rnn import SequencePadder, TextVectorizer
    from sklearn_rnn.datasets import fetch_imdb

    train, test = (
        fetch_imdb("train", archive=archive),
        fetch_imdb("test", archive=archive),
    )
    rng = np.random.RandomState(0)
    order = rng.permutation(len(train.data))
    texts = [train.data[i] for i in order]
    vectorizer = TextVectorizer(max_features=RECIPE["max_features"])
    padder = SequencePadder(maxlen=RECIPE["maxlen"])
    X = padder.fit_transform(vectorizer.fit_transform(texts))
    X_test = padder.transform(vectorizer.transform(test.data))
    return X, train.target[order], X_test, test.target


# --------------------------------------------------------------------- workers
def run_ours(data, epochs, precision):
    from sklearn_rnn import RNNTextClassifier

    X, y, X_test, y_test = data
    clf = RNNTextClassifier(
        cell_type="lstm",
        units=RECIPE["units"],
        bidirectional=False,
        pooling="last",
        embedding_dim=RECIPE["embedding_dim"],
        dropout=RECIPE["dropout"],
        recurrent_dropout=RECIPE["recurrent_dropout"],
        lr=RECIPE["lr"],
        batch_size=RECIPE["batch_size"],
        max_epochs=epochs,
        validation_split=0.2,
        early_stopping=False,
        precision=precision,
        random_state=0,
    ).fit(X, y)
    start = time.perf_counter()
    accuracy = clf.score(X_test, y_test)
    predict_time = time.perf_counter() - start
    return dict(
        epoch_s=statistics.median(clf.history_[:, "dur"]),
        accuracy=accuracy,
        predict_per_s=len(X_test) / predict_time,
        padding_waste=padding_waste(X[: int(0.8 * len(X))]),
    )


def padding_waste(X):
    """Share of processed time steps that are padding, over one epoch of batches."""
    import torch

    from sklearn_rnn.estimators._batching import BucketedBatches, SequenceDataset

    torch.manual_seed(0)
    dataset = SequenceDataset(X)
    batches = BucketedBatches(dataset, RECIPE["batch_size"], shuffle=True)
    processed = real = 0
    for index in batches.batch_indices():
        lengths = dataset.lengths[index]
        processed += len(index) * max(lengths.max(), 1)
        real += lengths.sum()
    return 1 - real / processed


def run_plain_torch(data, epochs):
    """What a user writes by hand: float32, padded batches, last-step loss."""
    import torch
    from torch import nn

    X, y, X_test, y_test = data
    torch.manual_seed(0)
    n_train = int(0.8 * len(X))

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(
                RECIPE["max_features"], RECIPE["embedding_dim"]
            )
            self.lstm = nn.LSTM(
                RECIPE["embedding_dim"], RECIPE["units"], batch_first=True
            )
            self.head = nn.Linear(RECIPE["units"], 2)

        def forward(self, tokens):
            out, _ = self.lstm(self.embedding(tokens))
            return self.head(out[:, -1])

    model = Model()
    optimizer = torch.optim.Adam(model.parameters(), lr=RECIPE["lr"])
    Xt, yt = torch.as_tensor(X, dtype=torch.long), torch.as_tensor(y)
    durations = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        for batch in torch.randperm(n_train).split(RECIPE["batch_size"]):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(Xt[batch]), yt[batch])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            for batch in torch.arange(n_train, len(X)).split(512):
                model(Xt[batch])
        durations.append(time.perf_counter() - start)
    with torch.no_grad():
        logits = torch.cat([model(b) for b in torch.as_tensor(X_test).split(512)])
    accuracy = float((logits.argmax(1).numpy() == y_test).mean())
    return dict(epoch_s=statistics.median(durations), accuracy=accuracy)


def run_keras(data, epochs):
    import keras

    X, y, X_test, y_test = data
    keras.utils.set_random_seed(0)
    n_train = int(0.8 * len(X))
    model = keras.Sequential(
        [
            keras.layers.Embedding(RECIPE["max_features"], RECIPE["embedding_dim"]),
            keras.layers.LSTM(
                RECIPE["units"],
                dropout=RECIPE["dropout"],
                recurrent_dropout=RECIPE["recurrent_dropout"],
            ),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(RECIPE["lr"]),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    durations = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            durations.append(time.perf_counter() - self.start)

    model.fit(
        X[:n_train],
        y[:n_train],
        validation_data=(X[n_train:], y[n_train:]),
        batch_size=RECIPE["batch_size"],
        epochs=epochs,
        verbose=0,
        callbacks=[Timer()],
    )
    start = time.perf_counter()
    proba = model.predict(X_test, batch_size=512, verbose=0)[:, 0]
    predict_time = time.perf_counter() - start
    return dict(
        epoch_s=statistics.median(durations),
        accuracy=float(((proba > 0.5) == y_test).mean()),
        predict_per_s=len(X_test) / predict_time,
    )


# ------------------------------------------------------------ char LM workers
CHAR_TARGET = 1.84  # nats/char on the last 10% of Tiny Shakespeare


class TrainingClock:
    """Training seconds, excluding the pauses for validation checks."""

    def __init__(self):
        self.elapsed, self.since = 0.0, time.perf_counter()

    def pause(self):
        self.elapsed += time.perf_counter() - self.since

    def resume(self):
        self.since = time.perf_counter()


# The tutorial's model size and learning rate (LSTM 128, RMSprop 0.01), trained
# sequence to sequence: the fair like-for-like contender for the Keras scheme.
KERAS_SIZED_LM = dict(units=128, num_layers=1, lr=0.01, batch_size=32)


def run_ours_char_lm(text, max_minutes, params=None, check_every=20):
    """Training seconds until the validation loss on the last 10% first reaches the
    target, checked every ``check_every`` batches. The loss is ``score``'s: every
    character predicted from the text before it, as Keras' windows predict each
    character from the 40 before it. ``params`` override the estimator's
    defaults."""
    from skorch.callbacks import Callback

    from sklearn_rnn import CharLanguageModel
    from sklearn_rnn.callbacks import TimeLimit
    from sklearn_rnn.estimators._char_lm import mean_log_likelihood

    clock, reached, checks = TrainingClock(), {}, []

    class StopAtTarget(Callback):
        ends_training = True

        def on_batch_end(self, net, training, **kwargs):
            if not training or len(net.history[-1, "batches"]) % check_every:
                return
            clock.pause()
            valid = net.train_split.keywords["valid_ds"]
            loss = -mean_log_likelihood(net, valid.ids, valid.seq_length)
            checks.append(clock.elapsed)
            clock.resume()
            if loss <= CHAR_TARGET:
                reached.update(seconds=clock.elapsed, loss=loss)
                raise KeyboardInterrupt

    clock.resume()
    lm = CharLanguageModel(random_state=0, callbacks=[
        StopAtTarget(), TimeLimit(max_minutes * 60)], **(params or {})).fit(text)
    start = time.perf_counter()
    lm.generate("ROMEO:\n", n_chars=2000, random_state=0)
    return dict(seconds_to_target=reached.get("seconds"),
                checked_loss=reached.get("loss"),
                check_interval_s=clock.elapsed / max(len(checks), 1),
                chars_per_s=2000 / (time.perf_counter() - start))


def run_keras_char_lm(text, max_minutes, check_every=50):
    """The tutorial's scheme: 40-character windows every 3 characters, one-hot
    input, LSTM 128, one next-character target per window, RMSprop 0.01; the
    validation loss over windows of the last 10% is checked every
    ``check_every`` batches."""
    import keras

    keras.utils.set_random_seed(0)
    split = len(text) - len(text) // 10
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    ids = np.array([index[c] for c in text])

    def windows(part):
        starts = np.arange(0, len(part) - 40, 3)
        return part[starts[:, None] + np.arange(40)], part[starts + 40]

    (X, y), (X_val, y_val) = windows(ids[:split]), windows(ids[split:])
    one_hot = np.eye(len(chars), dtype=bool)  # as the tutorial: 1 byte per entry
    model = keras.Sequential([
        keras.layers.Input((40, len(chars))),
        keras.layers.LSTM(128),
        keras.layers.Dense(len(chars), activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.RMSprop(0.01),
                  loss="sparse_categorical_crossentropy")
    clock, reached, checks = TrainingClock(), {}, []
    X_val_hot = one_hot[X_val]

    class StopAtTarget(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if (batch + 1) % check_every:
                return
            clock.pause()
            loss = self.model.evaluate(X_val_hot, y_val, batch_size=2048, verbose=0)
            checks.append(clock.elapsed)
            clock.resume()
            if loss <= CHAR_TARGET:
                reached.update(seconds=clock.elapsed, loss=loss)
                self.model.stop_training = True

    X_hot = one_hot[X]
    clock.resume()
    epochs = 0
    while not reached and clock.elapsed < max_minutes * 60:
        model.fit(X_hot, y, batch_size=128, epochs=1, verbose=0,
                  callbacks=[StopAtTarget()])
        epochs += 1
    seed = one_hot[ids[:40]][None]
    start = time.perf_counter()
    for _ in range(200):  # the tutorial re-reads the whole window per character
        probs = model.predict(seed, verbose=0)[0]
        nxt = one_hot[np.argmax(probs)][None, None]
        seed = np.concatenate([seed[:, 1:], nxt], axis=1)
    return dict(seconds_to_target=reached.get("seconds"),
                checked_loss=reached.get("loss"), epochs=epochs,
                check_interval_s=clock.elapsed / max(len(checks), 1),
                chars_per_s=200 / (time.perf_counter() - start))


WORKERS = {
    "ours (auto precision)": lambda d, e: run_ours(d, e, "auto"),
    "ours (float32)": lambda d, e: run_ours(d, e, "float32"),
    "plain PyTorch float32": run_plain_torch,
    "Keras 3": run_keras,
}
OURS_DEFAULT_LM = "ours char LM (defaults, 2 x LSTM 512)"
OURS_KERAS_SIZED_LM = "ours char LM (Keras' size: LSTM 128, lr 0.01, batch 32)"
CHAR_WORKERS = {
    OURS_DEFAULT_LM: run_ours_char_lm,
    OURS_KERAS_SIZED_LM:
        lambda text, minutes: run_ours_char_lm(text, minutes, KERAS_SIZED_LM, 10),
    "Keras char LM": run_keras_char_lm,
}


# ---------------------------------------------------------------------- driver
def measure(name, args):
    """Run one worker in a fresh interpreter; return its figures or None."""
    command = [sys.executable, __file__, "--worker", name, "--epochs", str(args.epochs),
               "--char-minutes", str(args.char_minutes),
               "--imdb-archive", args.imdb_archive]
    if args.shakespeare:
        command += ["--shakespeare", args.shakespeare]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"{name}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_worker(args):
    if args.worker in WORKERS:
        return WORKERS[args.worker](load_ids(args.imdb_archive), args.epochs)
    with open(args.shakespeare, encoding="utf-8") as f:
        return CHAR_WORKERS[args.worker](f.read(), args.char_minutes)


def keras_available():
    probe = subprocess.run([sys.executable, "-c", "import keras"], capture_output=True)
    return probe.returncode == 0


def report_classifier(results):
    keras = results.get("Keras 3")
    print("| contender | s/epoch | test accuracy | predict reviews/s "
          "| epoch time / Keras |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        if r is None:
            continue
        ratio = f"{r['epoch_s'] / keras['epoch_s']:.2f}" if keras else "n/a"
        predict = f"{r['predict_per_s']:,.0f}" if "predict_per_s" in r else "-"
        print(f"| {name} | {r['epoch_s']:.1f} | {r['accuracy']:.4f} | {predict} "
              f"| {ratio} |")
    ours, fp32 = results["ours (auto precision)"], results["ours (float32)"]
    torch_ref = results["plain PyTorch float32"]
    print(f"\npadding waste of bucketed batches: {ours['padding_waste']:.1%}")
    speedup = torch_ref["epoch_s"] / fp32["epoch_s"]
    print(f"plain PyTorch / ours (float32): {speedup:.1f}x")
    checks = {"padding waste < 10%": ours["padding_waste"] < 0.10}
    if keras:
        checks.update({
            "epoch time ours/Keras <= 0.25": ours["epoch_s"] / keras["epoch_s"] <= 0.25,
            "accuracy >= Keras - 0.5 pt": ours["accuracy"] >= keras["accuracy"] - 0.005,
            "float32 ours/Keras <= 0.5": fp32["epoch_s"] / keras["epoch_s"] <= 0.5,
            "predict throughput >= 4x Keras":
                ours["predict_per_s"] / keras["predict_per_s"] >= 4,
        })
    return checks


def report_char_lm(results):
    print(f"\n| char LM | training s to valid loss {CHAR_TARGET} | loss when checked "
          "| s of training between checks | generation chars/s |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        if r is None:
            continue
        seconds = r["seconds_to_target"]
        shown = "not reached" if seconds is None else f"{seconds:.1f}"
        loss = "-" if r["checked_loss"] is None else f"{r['checked_loss']:.3f}"
        print(f"| {name} | {shown} | {loss} | {r['check_interval_s']:.1f} "
              f"| {r['chars_per_s']:,.0f} |")
    defaults, keras = results[OURS_DEFAULT_LM], results.get("Keras char LM")
    same_size = results.get(OURS_KERAS_SIZED_LM)
    checks = {"generation >= 2,000 chars/s": defaults["chars_per_s"] >= 2000}
    if not (keras and keras["seconds_to_target"]):
        return checks
    for name, r in [(OURS_DEFAULT_LM, defaults), (OURS_KERAS_SIZED_LM, same_size)]:
        if r and r["seconds_to_target"]:
            ratio = r["seconds_to_target"] / keras["seconds_to_target"]
            print(f"\ntime to {CHAR_TARGET}, {name} / Keras: {ratio:.2f}")
    if same_size and same_size["seconds_to_target"]:
        ratio = same_size["seconds_to_target"] / keras["seconds_to_target"]
        checks["char LM time ours (Keras' size) / Keras <= 0.2"] = ratio <= 0.2
    return checks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imdb-archive", required=True)
    parser.add_argument("--shakespeare", help="tinyshakespeare.txt: adds the char LM")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--char-minutes", type=float, default=6.0,
                        help="training-time cap of each char LM contender")
    parser.add_argument("--parts", nargs="+", choices=["classifier", "char"],
                        default=["classifier", "char"])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(run_worker(args)))
        return 0
    with_keras = keras_available()
    checks = {}
    if "classifier" in args.parts:
        names = [n for n in WORKERS if n != "Keras 3" or with_keras]
        checks.update(report_classifier({n: measure(n, args) for n in names}))
    if args.shakespeare and "char" in args.parts:
        names = [n for n in CHAR_WORKERS if n != "Keras char LM" or with_keras]
        checks.update(report_char_lm({name: measure(name, args) for name in names}))
    print()
    for name, passed in checks.items():
        print(f"- {'PASS' if passed else 'FAIL'}: {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
