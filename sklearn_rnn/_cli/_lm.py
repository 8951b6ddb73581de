"""Subcommands for character language models: fit-lm and generate."""

import time

from sklearn_rnn import CharLanguageModel
from sklearn_rnn._cli._common import add_command, note, number, writable_path
from sklearn_rnn._cli._data import read_text
from sklearn_rnn._cli._flags import (
    add_device_option,
    add_estimator_flags,
    estimator_params,
)
from sklearn_rnn._cli._models import load_model, save_model
from sklearn_rnn.callbacks import TimeLimit

__all__ = ["add_commands"]

LM = "lm:"
FIT_EXAMPLES = """\
examples:
  sklearn-rnn fit-lm --text tinyshakespeare.txt --out shakespeare.safetensors
  sklearn-rnn fit-lm --text poems.txt --out poems.safetensors --units 128 \\
      --num-layers 1 --max-epochs 5 --time-limit 300 --random-state 0
"""
GENERATE_EXAMPLES = """\
examples:
  sklearn-rnn generate --model shakespeare.safetensors --prompt "ROMEO:" \\
      --n-chars 300 --temperature 0.8
  sklearn-rnn generate --model shakespeare.safetensors --prompt "To be" --seed 0

The same --seed gives the same text.
"""


def add_commands(subparsers, parents):
    """Register fit-lm and generate."""
    _add_fit_lm(subparsers, parents)
    _add_generate(subparsers, parents)


def _add_fit_lm(subparsers, parents):
    parser = add_command(
        subparsers, "fit-lm", run=fit_lm, parents=parents, epilog=FIT_EXAMPLES,
        help="train a character-level language model on a text file",
        description="Train a CharLanguageModel on a UTF-8 text file (the last 10% "
                    "is validation data by default), print its summary, save it.")
    parser.add_argument("--text", required=True, metavar="FILE",
                        help="UTF-8 text file to learn from")
    parser.add_argument("--out", required=True, metavar="MODEL",
                        help="file to save the trained model to")
    parser.add_argument("--time-limit", type=number(float, 0, strict=True),
                        metavar="SECONDS",
                        help="stop training before this many seconds (the best "
                             "epoch's weights are kept)")
    add_estimator_flags(parser.add_argument_group("CharLanguageModel hyperparameters"),
                        CharLanguageModel, prefix=LM)


def _add_generate(subparsers, parents):
    parser = add_command(
        subparsers, "generate", run=generate, parents=parents,
        epilog=GENERATE_EXAMPLES, help="sample text from a trained language model",
        description="Continue a prompt with characters sampled from a "
                    "CharLanguageModel.")
    parser.add_argument("--model", required=True, help="model saved by fit-lm")
    add_device_option(parser, "generate")
    parser.add_argument("--prompt", default="",
                        help="text to continue (default: empty, as after a newline)")
    parser.add_argument("--n-chars", type=number(int, 0), default=200, metavar="N",
                        help="characters to sample (default: %(default)s)")
    parser.add_argument("--temperature", type=number(float, 0, strict=True),
                        default=1.0, metavar="T",
                        help="below 1 more conservative, above 1 more surprising "
                             "(default: %(default)s)")
    parser.add_argument("--top-k", type=number(int, 1), metavar="K",
                        help="sample only among the K most likely characters")
    parser.add_argument("--seed", type=number(int, 0), metavar="S",
                        help="seed of the sampling; the same seed gives the same text")


def fit_lm(args):
    """Train the language model on the text file, print its summary, save it."""
    out = writable_path(args.out, "--out")
    text = read_text(args.text, "--text")
    callbacks = None if args.time_limit is None else [TimeLimit(args.time_limit)]
    lm = CharLanguageModel(**estimator_params(args, LM), callbacks=callbacks,
                           verbose=int(args.verbose > 0))
    note(args, f"training on {len(text):,} characters ...")
    start = time.perf_counter()
    lm.fit(text)
    valid = lm.history_[lm.best_epoch_ - 1].get("valid_loss")
    note(args, f"trained {lm.n_epochs_} epoch(s) in {time.perf_counter() - start:.1f}"
               f" s; the model holds the weights of epoch {lm.best_epoch_}"
               + ("" if valid is None else f" (validation loss {valid:.4f} nats/char)"))
    save_model(lm, out)
    if not args.quiet:
        print(lm.summary())
    note(args, f"saved the model to {str(out)!r}")


def generate(args):
    """Print the prompt followed by the sampled characters."""
    lm = load_model(args.model, "language model", args.device)
    print(lm.generate(args.prompt, n_chars=args.n_chars, temperature=args.temperature,
                      top_k=args.top_k, random_state=args.seed))
