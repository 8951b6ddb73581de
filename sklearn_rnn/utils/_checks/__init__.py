"""The checks of what ``fit``, ``predict`` and ``score`` receive: token-id
arrays, class labels, regression targets, sample and class weights, pretrained
rows, tagged sentences.

scikit-learn's own checks (``check_array``, ``check_classification_targets``) do
the work wherever their messages say what went wrong. The helpers here cover
what they cannot say for this kind of input: that raw text needs a
``TextVectorizer`` first, that a ragged list needs a ``SequencePadder``, which
row holds a bad id, which sample lacks a target or has a negative weight.
``owner`` is the estimator's class name, used in messages. Parameters are
checked in ``_validation``. No torch here: the torch-free baselines use these
checks too.
"""

from sklearn_rnn.utils._checks._embeddings import (
    EMBEDDINGS_ALLOWED,
    LOAD_VECTORS,
    check_embeddings,
)
from sklearn_rnn.utils._checks._ids import (
    MAX_INFERRED_VOCAB,
    check_ids_below,
    check_inferred_vocab_size,
    check_tokens,
    unseen_ids_as_unknown,
)
from sklearn_rnn.utils._checks._sentences import check_sentences, check_tag_lists
from sklearn_rnn.utils._checks._targets import (
    MAX_TARGET,
    apply_class_weight,
    check_class_labels,
    check_class_weight,
    check_label_kinds,
    check_labels,
    check_n_classes,
    check_n_samples,
    check_no_missing_labels,
    check_regression_targets,
    check_sample_weight,
    standardisation,
)
from sklearn_rnn.utils._checks._unlabelled import (
    UNLABELLED,
    fill_rows,
    labelled_class_rows,
    labelled_target_rows,
    take_rows,
)

__all__ = [
    "UNLABELLED",
    "fill_rows",
    "labelled_class_rows",
    "labelled_target_rows",
    "take_rows",
    "EMBEDDINGS_ALLOWED",
    "LOAD_VECTORS",
    "MAX_INFERRED_VOCAB",
    "MAX_TARGET",
    "apply_class_weight",
    "check_class_labels",
    "check_class_weight",
    "check_embeddings",
    "check_ids_below",
    "check_inferred_vocab_size",
    "check_label_kinds",
    "check_labels",
    "check_n_classes",
    "check_n_samples",
    "check_no_missing_labels",
    "check_regression_targets",
    "check_sample_weight",
    "check_sentences",
    "check_tag_lists",
    "check_tokens",
    "standardisation",
    "unseen_ids_as_unknown",
]
