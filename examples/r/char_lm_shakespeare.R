#!/usr/bin/env Rscript
# Character-level LSTM on Tiny Shakespeare from R through reticulate, sampled at
# three temperatures (the R keras text-generation tutorial).
#
# The tutorial cuts the text into 40-character windows and re-reads a window for
# every generated character; CharLanguageModel predicts every next character of
# longer chunks and generates by stepping its recurrent state.
#
#   Rscript examples/r/char_lm_shakespeare.R --quick   # bundled text, seconds
#   Rscript examples/r/char_lm_shakespeare.R --text ../shared/data/tinyshakespeare.txt
#
# Flags: --text FILE (default: the bundled copy), --minutes M (15, training-time
# budget), --cell-type lstm|gru|rnn, --max-epochs N (24), --random-state N (0).

library(reticulate)

parse_args <- function(args = commandArgs(trailingOnly = TRUE)) {
  opts <- list(quick = FALSE, text = NULL, minutes = 15, cell_type = "lstm",
               max_epochs = 24, random_state = 0)
  numeric <- c("minutes", "max_epochs", "random_state")
  i <- 1
  while (i <= length(args)) {
    flag <- args[i]
    name <- gsub("-", "_", sub("^--", "", flag))
    if (flag == "--quick") {
      opts$quick <- TRUE
    } else if (name %in% setdiff(names(opts), "quick") && i < length(args)) {
      opts[[name]] <- if (name %in% numeric) as.numeric(args[i + 1]) else args[i + 1]
      i <- i + 1
    } else {
      stop("unknown or incomplete flag: ", flag,
           "\nusage: char_lm_shakespeare.R [--quick] [--text FILE] [--minutes M] ",
           "[--cell-type lstm|gru|rnn] [--max-epochs N] [--random-state N]")
    }
    i <- i + 1
  }
  opts
}

opts <- parse_args()
sklearn_rnn <- import("sklearn_rnn")
callbacks <- import("sklearn_rnn.callbacks")

text <- if (is.null(opts$text)) {
  import("sklearn_rnn.datasets")$load_tiny_shakespeare()
} else {
  paste(readLines(opts$text, encoding = "UTF-8"), collapse = "\n")
}
params <- list(cell_type = opts$cell_type, max_epochs = opts$max_epochs,
               random_state = opts$random_state, verbose = 1,
               callbacks = list(callbacks$TimeLimit(opts$minutes * 60)))
if (opts$quick) {
  # two epochs of a one-layer model on the first 100,000 characters: seconds,
  # and already word-like text
  text <- substr(text, 1, 100000)
  params <- modifyList(params, list(units = 128, num_layers = 1, max_epochs = 2,
                                    lr = 0.01, batch_size = 32, seq_length = 64))
}
lm <- do.call(sklearn_rnn$CharLanguageModel, params)

elapsed <- system.time(lm$fit(text))[["elapsed"]]
valid_text <- substr(text, nchar(text) - ceiling(nchar(text) * 0.1) + 1, nchar(text))
cat(sprintf("\ntrained %d epochs in %.0f s; best epoch %d\n", lm$n_epochs_, elapsed,
            lm$best_epoch_))
cat(sprintf("validation loss on the last 10%%: %.4f nats/char = %.3f bits/char\n",
            -lm$score(valid_text), lm$bits_per_char(valid_text)))
cat("\n", lm$summary(), "\n", sep = "")

# generate() returns a string: the samples are an R character vector
temperatures <- c(0.5, 0.8, 1.0)
samples <- vapply(temperatures, function(t) {
  lm$generate("ROMEO:\n", n_chars = 400, temperature = t,
              random_state = opts$random_state)
}, character(1))
names(samples) <- sprintf("temperature %.1f", temperatures)
for (name in names(samples)) {
  cat(sprintf("\n--- %s ---\n%s\n", name, samples[[name]]))
}
