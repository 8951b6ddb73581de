#!/usr/bin/env Rscript
# IMDB sentiment with the R keras tutorial's LSTM recipe, from R through reticulate.
#
# The tutorial: dataset_imdb(num_words = 10000), pad_sequences(maxlen = 200),
# layer_embedding(128) -> layer_lstm(64) -> layer_dense(1), fit(), plot(history).
# Here one scikit-learn pipeline does the same from raw review text, and the
# results come back as R objects: numbers, character vectors and data.frames.
#
#   Rscript examples/r/imdb_lstm.R --quick      # bundled 1,000 + 1,000 reviews
#   Rscript examples/r/imdb_lstm.R --imdb-archive ../shared/data/aclImdb_labelled.tar.gz
#
# Flags: --max-epochs N (20), --random-state N (0), --n-train N (reviews drawn for
# the grid search and the comparison: 5,000, or 400 with --quick), --plot FILE
# (imdb_lstm_history.png). reticulate uses the Python named by RETICULATE_PYTHON
# (or its default); that Python needs sklearn-rnn: pip install sklearn-rnn.

library(reticulate)

parse_args <- function(args = commandArgs(trailingOnly = TRUE)) {
  opts <- list(quick = FALSE, imdb_archive = NULL, max_epochs = 20,
               random_state = 0, n_train = NULL, plot = "imdb_lstm_history.png")
  i <- 1
  while (i <= length(args)) {
    flag <- args[i]
    if (flag == "--quick") {
      opts$quick <- TRUE
    } else if (flag %in% c("--imdb-archive", "--max-epochs", "--random-state",
                           "--n-train", "--plot") && i < length(args)) {
      value <- args[i + 1]
      name <- gsub("-", "_", sub("^--", "", flag))
      opts[[name]] <- if (name %in% c("max_epochs", "random_state", "n_train")) {
        as.numeric(value)
      } else {
        value
      }
      i <- i + 1
    } else {
      stop("unknown or incomplete flag: ", flag,
           "\nusage: imdb_lstm.R [--quick] [--imdb-archive PATH] ",
           "[--max-epochs N] [--random-state N] [--n-train N] [--plot FILE]")
    }
    i <- i + 1
  }
  opts
}

opts <- parse_args()
set.seed(opts$random_state)

sklearn_rnn <- import("sklearn_rnn")
datasets <- import("sklearn_rnn.datasets")
rnn_selection <- import("sklearn_rnn.model_selection")
pipeline <- import("sklearn.pipeline")
model_selection <- import("sklearn.model_selection")
text <- import("sklearn.feature_extraction.text")
linear_model <- import("sklearn.linear_model")

# Python results as R objects. reticulate >= 1.36 converts NumPy arrays and pandas
# data frames by itself; Debian 12's 1.28 cannot with NumPy 2, so go through lists.
as_r <- function(x) {
  if (inherits(x, "pandas.DataFrame")) {
    out <- as.data.frame(x$to_dict("list"), stringsAsFactors = FALSE)
    rownames(out) <- as.character(x$index$tolist())
    return(out)
  }
  if (inherits(x, "numpy.ndarray") || inherits(x, "numpy.generic")) return(x$tolist())
  if (inherits(x, "python.builtin.object")) return(py_to_r(x))
  x
}

# --- Data: character vectors of reviews, factors of labels -------------------
load_split <- function(subset) {
  data <- if (opts$quick) {
    datasets$load_imdb_sample(subset)
  } else {
    datasets$fetch_imdb(subset, archive = opts$imdb_archive)
  }
  names <- as_r(data$target_names)
  list(x = as.character(as_r(data$data)),
       y = factor(names[as.integer(as_r(data$target)) + 1], levels = names))
}
train <- load_split("train")
test <- load_split("test")
cat(sprintf("%d training and %d test reviews; labels: %s\n", length(train$x),
            length(test$x), paste(levels(train$y), collapse = ", ")))

# --- The tutorial's recipe: vocabulary 10,000, last 200 tokens, LSTM 64 ------
# Plain R numbers (64, not 64L) are fine: integer parameters accept 64.0.
recipe <- list(max_features = 10000, maxlen = 200, embedding_dim = 128,
               units = 64, lr = 1e-3, batch_size = 128, patience = 3,
               max_epochs = opts$max_epochs)
if (opts$quick) {
  # seconds instead of minutes on the 1,000-review sample
  recipe <- modifyList(recipe, list(max_features = 3000, maxlen = 100,
                                    embedding_dim = 32, units = 16, lr = 5e-3,
                                    batch_size = 32, patience = 2, max_epochs = 3))
}

make_rnn <- function(cell_type = "lstm", units = recipe$units) {
  pipeline$make_pipeline(
    sklearn_rnn$TextVectorizer(max_features = recipe$max_features),
    sklearn_rnn$SequencePadder(maxlen = recipe$maxlen),
    sklearn_rnn$RNNTextClassifier(
      cell_type = cell_type, units = units, num_layers = 1, bidirectional = FALSE,
      pooling = "max", embedding_dim = recipe$embedding_dim, optimizer = "adam",
      dropout = 0.2, recurrent_dropout = 0.2, lr = recipe$lr,
      batch_size = recipe$batch_size, max_epochs = recipe$max_epochs,
      validation_split = 0.2, early_stopping = TRUE, patience = recipe$patience,
      random_state = opts$random_state, verbose = 0
    )
  )
}

model <- make_rnn()
elapsed <- system.time(model$fit(train$x, train$y))[["elapsed"]]
clf <- model$steps[[3]][[2]]
accuracy <- model$score(test$x, test$y)
cat(sprintf("\nLSTM test accuracy: %.4f (%d epochs, best %d, %.0f s)\n",
            accuracy, clf$n_epochs_, clf$best_epoch_, elapsed))
some <- sample(length(test$x), 6)  # set.seed() above makes the draw repeatable
cat("predicted:", as_r(model$predict(test$x[some])), "\n")
cat("true:     ", as.character(test$y[some]), "\n")
cat("\n", clf$summary(), "\n", sep = "")

# --- History as a data.frame, plotted as plot(history) does ------------------
history <- do.call(rbind, lapply(clf$history_$to_list(), function(epoch) {
  epoch <- lapply(epoch, as_r)
  data.frame(epoch = epoch$epoch, loss = epoch$train_loss,
             val_loss = epoch$valid_loss, val_accuracy = epoch$valid_acc)
}))
print(history, digits = 4, row.names = FALSE)
png(opts$plot, width = 900, height = 400)
par(mfrow = c(1, 2))
matplot(history$epoch, history[, c("loss", "val_loss")], type = "b", pch = 1:2,
        lty = 1, col = c("steelblue", "darkorange"), xlab = "epoch", ylab = "loss",
        main = "Loss per epoch")
legend("topright", c("training", "validation"), col = c("steelblue", "darkorange"),
       lty = 1, pch = 1:2)
plot(history$epoch, history$val_accuracy, type = "b", col = "darkorange",
     xlab = "epoch", ylab = "accuracy", main = "Validation accuracy per epoch")
invisible(dev.off())
cat("history plot:", normalizePath(opts$plot), "\n")

# --- Grid search over units and cell type, on a random subset ---------------
n_train <- min(length(train$x), if (is.null(opts$n_train)) {
  if (opts$quick) 400 else 5000
} else opts$n_train)
subset <- sample(length(train$x), n_train)
# A vector of length 1 reaches Python as a scalar, so wrap grid values in list().
grid_units <- if (opts$quick) list(8, 16) else list(32, 64)
search <- model_selection$GridSearchCV(
  make_rnn(),
  param_grid = list(rnntextclassifier__units = grid_units,
                    rnntextclassifier__cell_type = list("lstm", "gru")),
  cv = 2L  # scikit-learn's own arguments want R integers (2L)
)
invisible(search$fit(train$x[subset], train$y[subset]))
results <- lapply(search$cv_results_, as_r)
grid <- data.frame(
  units = unlist(results$param_rnntextclassifier__units),
  cell_type = unlist(results$param_rnntextclassifier__cell_type),
  mean_accuracy = unlist(results$mean_test_score),
  rank = unlist(results$rank_test_score)
)
cat(sprintf("\nGridSearchCV over units and cell type (%d reviews, 2 folds):\n",
            n_train))
print(grid[order(grid$rank), ], digits = 3, row.names = FALSE)

# --- Against TF-IDF + logistic regression, on the same folds -----------------
tfidf <- pipeline$make_pipeline(
  text$TfidfVectorizer(ngram_range = tuple(1L, 2L), min_df = 2L, sublinear_tf = TRUE),
  linear_model$LogisticRegression(C = 10, max_iter = 1000L)
)
table <- as_r(rnn_selection$compare_models(
  list(lstm = make_rnn(), tfidf = tfidf),
  train$x[subset], train$y[subset], cv = 3L
))
table <- cbind(model = rownames(table), table)
cat(sprintf("\ncompare_models (%d reviews, 3-fold cross-validation):\n", n_train))
print(table, digits = 3, row.names = FALSE)
