"""Sentiment figures against human-rated news text, beside the published reference figures.

Two data sets ship in ``kursk_utils/data/validation/`` (see the ``SOURCE.md`` in each folder):

- **NYT editorial snippets** (Hutto & Gilbert, 2014): 5,190 sentences, each rated by 20 people on
  -4..+4; the mean rating divided by 4 is compared with VADER's compound score by Pearson r and,
  labelled with thresholds ±0.05, by 3-class F1. The paper's F1 weights the classes by support
  (``f1_weighted``); ``f1_macro`` is reported too.
- **NewsMTSC** (Hamborg & Donnay, 2021), splits ``devtest_rw`` and ``devtest_mt``: sentences with
  marked targets labelled negative/neutral/positive toward the target. The target-sentiment model
  of :mod:`kursk_utils.target_sentiment` (trained on NewsMTSC's train split), the actor-level
  method of :mod:`kursk_utils.actors` (:func:`~kursk_utils.actors.target_context`) and a plain
  sentence-level VADER baseline are scored by macro-F1 and accuracy; the model and the
  actor-level method also by a 95% bootstrap interval of the macro-F1.
- **Kursk-style targets** (``actor_sentiment``, written for this project, labelled blind): 116 actor
  mentions the pipeline finds in the four seed articles and 110 written sentences with a marked
  target. Both methods of the pipeline (``SentimentSettings.target_method``), run through
  :func:`kursk_utils.actors.score_mentions`, are scored by macro-F1 and accuracy with 95% bootstrap
  intervals, per set and together (``domain`` in the result).

Figures measured with this module (threshold 0.05):

=====================================  ======  ==============
figure                                 nltk    vadersentiment
=====================================  ======  ==============
NYT Pearson r                          0.4903  0.5029
NYT F1 (weighted)                      0.5411  0.5458
NYT F1 (macro)                         0.5212  0.5253
NewsMTSC devtest_rw actor-level F1m    0.5405  0.5428
NewsMTSC devtest_rw sentence F1m       0.5082  0.5122
NewsMTSC devtest_mt actor-level F1m    0.5043  0.5105
NewsMTSC devtest_mt sentence F1m       0.4928  0.4959
=====================================  ======  ==============

The target-sentiment model (independent of the VADER implementation): macro-F1 0.6742 on
``devtest_rw`` (95% interval 0.646-0.701) and 0.6594 on ``devtest_mt`` (0.633-0.686); see
``docs/target_sentiment.md``.

On the Kursk-style targets (macro-F1, 95% bootstrap interval; VADER = actor-level, reference
implementation; NLTK's port within 0.01):

=================  =====  ===================  ===================
set                n      model                VADER
=================  =====  ===================  ===================
seed mentions      116    0.314 (0.219-0.398)  0.197 (0.130-0.270)
written            110    0.562 (0.463-0.651)  0.473 (0.374-0.560)
all                226    0.451 (0.382-0.516)  0.339 (0.278-0.398)
=================  =====  ===================  ===================

The model is ahead on each set (paired bootstrap interval of the difference on all 226 items:
+0.112, 0.053 to 0.172), but both are weak on the seed mentions, 80% of which the
annotator labelled neutral: the model calls 37% of them right, VADER 21%; both see sentiment
toward actors in sentences about a retreat where the annotator sees reports.

VADER and the model are both far from the fine-tuned models on NewsMTSC (best published macro-F1 0.831 on
the test part of ``rw``): read actor-level figures in the notebooks as indicative, with their
evidence sentences, not as measurements of stance.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from importlib import resources

import numpy as np
import pandas as pd

from scipy.stats import bootstrap

from kursk_utils.actors import MENTION_COLUMNS, score_mentions, target_context
from kursk_utils.sentiment import (
    DEFAULT_IMPLEMENTATION,
    DEFAULT_THRESHOLD,
    IMPLEMENTATIONS,
    LABELS,
    check_implementation,
    label_compound,
    score_texts,
)
from kursk_utils.target_sentiment import TargetSentimentModel, load_model

NEWSMTSC_SPLITS = ("devtest_rw", "devtest_mt")
NEWSMTSC_TRAIN_SPLIT = "train"
NYT_FILE = "nytEditorialSnippets_GroundTruth.txt"
NYT_RATING_SCALE = 4.0  # ratings are means on -4..+4
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 0
_POLARITY_LABELS = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
# The blind-labelled Kursk-style sets in data/validation/actor_sentiment (see its SOURCE.md), and
# "all" for both together.
DOMAIN_SETS = ("seed_mentions", "written")

REFERENCE = {
    "nyt_editorials": {
        "source": "Hutto & Gilbert (2014), VADER, ICWSM, Table 3 (NYT opinion news editorials)",
        "vader_paper": {"pearson_r": 0.492, "f1": 0.55},
        "individual_humans": {"pearson_r": 0.745, "f1": 0.65},
    },
    "newsmtsc": {
        "source": "Hamborg & Donnay (2021), NewsMTSC, EACL: best model, fine-tuned RoBERTa",
        "split": "test-rw (the test part of devtest_rw)",
        "macro_f1": 0.831,
    },
}


def _validation_file(*parts: str):
    return resources.files("kursk_utils").joinpath("data", "validation", *parts)


def load_nyt_editorials() -> pd.DataFrame:
    """Load the NYT editorial snippets: ``item_id``, ``rating`` (mean of 20 humans, -4..4), ``text``."""
    with _validation_file("vader_nyt_editorials", NYT_FILE).open("r", encoding="utf-8") as handle:
        rows = [line.rstrip("\r\n").split("\t") for line in handle if line.strip()]
    if any(len(row) != 3 for row in rows):
        raise ValueError(f"{NYT_FILE}: every line must have 3 tab-separated fields")
    table = pd.DataFrame(rows, columns=["item_id", "rating", "text"])
    table["rating"] = table["rating"].astype("float64")
    return table


def load_newsmtsc(split: str) -> pd.DataFrame:
    """Load a NewsMTSC split as one row per target.

    ``split`` is one of :data:`NEWSMTSC_SPLITS` (``"train"``, the training split, is read by
    :func:`load_newsmtsc_train`). Returns ``target_id``, ``sentence``, ``start``, ``end``
    (character span of the target's main mention, end exclusive), ``mention`` and ``polarity``
    (``negative``/``neutral``/``positive``).
    """
    if split not in NEWSMTSC_SPLITS:
        raise ValueError(f"unknown NewsMTSC split {split!r}: choose one of {NEWSMTSC_SPLITS}")
    return _read_newsmtsc(split)


def load_newsmtsc_train() -> pd.DataFrame:
    """Load NewsMTSC's training split (8,739 targets), the same columns as :func:`load_newsmtsc`.

    Only :mod:`kursk_utils.target_sentiment` trains on it; no figure is measured on it.
    """
    return _read_newsmtsc(NEWSMTSC_TRAIN_SPLIT)


def _read_newsmtsc(split: str) -> pd.DataFrame:
    rows = []
    with _validation_file("newsmtsc", f"{split}.jsonl").open("r", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            sentence = record["sentence_normalized"]
            for target in record["targets"]:
                rows.append(
                    (target["Input.gid"], sentence, target["from"], target["to"],
                     target["mention"], _POLARITY_LABELS[target["polarity"]])
                )
    return pd.DataFrame(rows, columns=["target_id", "sentence", "start", "end", "mention", "polarity"])


def classification_scores(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """3-class scores of ``predicted`` against ``truth`` (labels from :data:`LABELS`).

    Returns ``f1_macro`` (unweighted mean of per-class F1), ``f1_weighted`` (weighted by each
    class's support in ``truth``) and ``accuracy``. A class never predicted nor present has F1 0.
    """
    truth, predicted = np.asarray(truth), np.asarray(predicted)
    if truth.shape != predicted.shape or truth.size == 0:
        raise ValueError("truth and predicted must be non-empty and of equal length")
    f1s, supports = [], []
    for label in LABELS:
        true_positive = np.sum((predicted == label) & (truth == label))
        predicted_count, actual_count = np.sum(predicted == label), np.sum(truth == label)
        denominator = predicted_count + actual_count
        f1s.append(2 * true_positive / denominator if denominator else 0.0)
        supports.append(actual_count)
    return {
        "f1_macro": float(np.mean(f1s)),
        "f1_weighted": float(np.average(f1s, weights=supports)),
        "accuracy": float(np.mean(truth == predicted)),
    }


def _evaluate_nyt(implementations: Sequence[str], threshold: float) -> dict:
    nyt = load_nyt_editorials()
    truth = label_compound(nyt["rating"] / NYT_RATING_SCALE, threshold)
    scores = {}
    for implementation in implementations:
        compound = score_texts(nyt["text"], implementation)["compound"]
        scores[implementation] = {
            "pearson_r": float(np.corrcoef(compound, nyt["rating"])[0, 1]),
            **classification_scores(truth, label_compound(compound, threshold)),
        }
    return {"n_items": len(nyt), "scores": scores, "reference": REFERENCE["nyt_editorials"]}


def _bootstrap_interval(statistic, n_items: int, level: float, n_resamples: int) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic(rows)`` over resampled item rows (fixed seed)."""
    interval = bootstrap(
        (np.arange(n_items),), statistic, vectorized=False, n_resamples=n_resamples,
        confidence_level=level, method="percentile", rng=np.random.default_rng(BOOTSTRAP_SEED),
    ).confidence_interval
    return float(interval.low), float(interval.high)


def score_interval(truth: Sequence[str], predicted: Sequence[str], metric: str = "f1_macro",
                   level: float = 0.95, n_resamples: int = BOOTSTRAP_RESAMPLES) -> tuple[float, float]:
    """Percentile bootstrap interval of a :func:`classification_scores` ``metric``.

    Items are resampled in pairs (truth, prediction), with the fixed seed :data:`BOOTSTRAP_SEED`.
    """
    truth, predicted = np.asarray(truth), np.asarray(predicted)
    return _bootstrap_interval(
        lambda rows: classification_scores(truth[rows], predicted[rows])[metric],
        truth.size, level, n_resamples,
    )


def difference_interval(truth: Sequence[str], first: Sequence[str], second: Sequence[str],
                        metric: str = "f1_macro", level: float = 0.95,
                        n_resamples: int = BOOTSTRAP_RESAMPLES) -> tuple[float, float]:
    """Paired bootstrap interval of ``metric(first) - metric(second)`` on the same items.

    Both methods are scored on the same resampled items, so the interval of the difference is
    narrower than the two methods' own intervals suggest; one excluding 0 says which is better.
    """
    truth, first, second = np.asarray(truth), np.asarray(first), np.asarray(second)
    return _bootstrap_interval(
        lambda rows: (classification_scores(truth[rows], first[rows])[metric]
                      - classification_scores(truth[rows], second[rows])[metric]),
        truth.size, level, n_resamples,
    )


def _model_scores(model: TargetSentimentModel, targets: pd.DataFrame) -> dict:
    predicted = model.predict(targets["sentence"].tolist(), list(zip(targets["start"], targets["end"])))
    scores = classification_scores(targets["polarity"], predicted)
    return {
        "macro_f1": scores["f1_macro"],
        "macro_f1_ci95": list(score_interval(targets["polarity"], predicted)),
        "accuracy": scores["accuracy"],
    }


def _evaluate_newsmtsc(implementations: Sequence[str], threshold: float) -> dict:
    model = load_model()
    splits = {}
    for split in NEWSMTSC_SPLITS:
        targets = load_newsmtsc(split)
        contexts = [
            target_context(row.sentence, row.start, row.end)
            for row in targets.itertuples(index=False)
        ]
        result = {
            "n_items": len(targets),
            "n_sentences": int(targets["sentence"].nunique()),
            "actor_level": {},
            "sentence_level": {},
            "target_model": _model_scores(model, targets),
        }
        for implementation in implementations:
            for method, texts in (("actor_level", contexts), ("sentence_level", targets["sentence"])):
                predicted = label_compound(score_texts(texts, implementation)["compound"], threshold)
                scores = classification_scores(targets["polarity"], predicted)
                result[method][implementation] = {
                    "macro_f1": scores["f1_macro"], "accuracy": scores["accuracy"]
                }
                if method == "actor_level":
                    result[method][implementation]["macro_f1_ci95"] = list(
                        score_interval(targets["polarity"], predicted)
                    )
        splits[split] = result
    return {"splits": splits, "reference": REFERENCE["newsmtsc"]}


def load_actor_sentiment_domain() -> pd.DataFrame:
    """The blind-labelled Kursk-style targets (``data/validation/actor_sentiment``), one row each.

    Returns ``set`` (one of :data:`DOMAIN_SETS`), ``item_id``, ``sentence``, ``start``, ``end``
    (character span of the target in ``sentence``, end exclusive), ``target`` and ``polarity``
    (``negative``/``neutral``/``positive`` toward the target), seed mentions first.

    Raises
    ------
    ValueError
        If a label has no mention (or a mention no label), or a span does not hold its target.
    """
    def read(name: str) -> list[dict]:
        with _validation_file("actor_sentiment", name).open("r", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    mentions = {row["item_id"]: row for row in read("seed_mentions.jsonl")}
    seed_labels = read("seed_labels.jsonl")
    if sorted(mentions) != sorted(row["item_id"] for row in seed_labels):
        raise ValueError("seed_labels.jsonl and seed_mentions.jsonl do not hold the same item_ids")
    rows = [("seed_mentions", label["item_id"], mentions[label["item_id"]], label["label"])
            for label in seed_labels]
    rows += [("written", row["item_id"], row, row["label"]) for row in read("written_labels.jsonl")]
    table = pd.DataFrame(
        [(kind, item_id, item["sentence"], item["target_start"], item["target_end"], item["target"],
          label) for kind, item_id, item, label in rows],
        columns=["set", "item_id", "sentence", "start", "end", "target", "polarity"],
    )
    wrong = [row.item_id for row in table.itertuples() if row.sentence[row.start:row.end] != row.target]
    if wrong or not table["polarity"].isin(LABELS).all():
        raise ValueError(f"actor_sentiment validation items with a bad span or label: {wrong}")
    return table


def score_targets(targets: pd.DataFrame, method: str,
                  implementation: str = DEFAULT_IMPLEMENTATION,
                  threshold: float = DEFAULT_THRESHOLD) -> pd.Series:
    """Labels toward each target as the pipeline gives them (:func:`kursk_utils.actors.score_mentions`).

    ``targets`` needs ``sentence``, ``start`` and ``end``; each row becomes a one-sentence
    document with one mention, scored by ``method`` (``"model"`` or ``"vader"``).
    """
    n = len(targets)
    doc_ids = [f"item{i}" for i in range(n)]
    sentences = pd.DataFrame({"doc_id": doc_ids, "sentence_id": 0, "start": 0,
                              "text": targets["sentence"].tolist()})
    mentions = pd.DataFrame({
        "doc_id": doc_ids, "sentence_id": 0, "actor_id": "target", "actor_name": "target",
        "group": "target", "alias": [row.sentence[row.start:row.end] for row in targets.itertuples()],
        "start": targets["start"].tolist(), "end": targets["end"].tolist(),
    })[MENTION_COLUMNS]
    scored = score_mentions(mentions, sentences, implementation, threshold, method=method)
    return scored["label"].set_axis(targets.index)


def _scores_with_intervals(truth: pd.Series, predicted: pd.Series) -> dict:
    scores = classification_scores(truth, predicted)
    return {
        "macro_f1": scores["f1_macro"],
        "macro_f1_ci95": list(score_interval(truth, predicted, "f1_macro")),
        "accuracy": scores["accuracy"],
        "accuracy_ci95": list(score_interval(truth, predicted, "accuracy")),
    }


def _evaluate_domain(implementations: Sequence[str], threshold: float) -> dict:
    targets = load_actor_sentiment_domain()
    predicted = {"target_model": score_targets(targets, "model", threshold=threshold)}
    for implementation in implementations:
        predicted[implementation] = score_targets(targets, "vader", implementation, threshold)
    sets = {}
    for name in (*DOMAIN_SETS, "all"):
        rows = targets.index if name == "all" else targets.index[targets["set"] == name]
        truth = targets.loc[rows, "polarity"]
        model = predicted["target_model"][rows]
        sets[name] = {
            "n_items": len(rows),
            "labels": {label: int((truth == label).sum()) for label in LABELS},
            "target_model": _scores_with_intervals(truth, model),
            "actor_level": {implementation: _scores_with_intervals(truth, predicted[implementation][rows])
                            for implementation in implementations},
            "model_minus_actor_level": {
                implementation: {
                    "macro_f1": classification_scores(truth, model)["f1_macro"]
                    - classification_scores(truth, predicted[implementation][rows])["f1_macro"],
                    "macro_f1_ci95": list(difference_interval(
                        truth, model, predicted[implementation][rows])),
                } for implementation in implementations
            },
        }
    return {"sets": sets, "source": "data/validation/actor_sentiment/SOURCE.md"}


def evaluate(implementation: str | None = None, threshold: float = DEFAULT_THRESHOLD) -> dict:
    """Measure VADER, the actor-level method and the target model on the shipped human-rated data.

    Parameters
    ----------
    implementation : {"nltk", "vadersentiment"}, optional
        Measure only this implementation; both by default.
    threshold : float, default 0.05
        Compound threshold for the negative/positive labels (also applied to the NYT ratings / 4).

    Returns
    -------
    dict
        JSON-serialisable: ``default_implementation``, ``threshold``, ``implementations``,
        ``nyt_editorials`` (``n_items``, ``scores[impl]`` with ``pearson_r``, ``f1_weighted``,
        ``f1_macro``, ``accuracy``, and ``reference``), ``newsmtsc`` (``splits[split]`` with
        ``n_items`` (targets), ``n_sentences``, ``actor_level[impl]`` and
        ``sentence_level[impl]`` each with ``macro_f1`` and ``accuracy`` (``actor_level`` also with
        ``macro_f1_ci95``, a 95% bootstrap interval), ``target_model`` (the shipped model of
        :mod:`kursk_utils.target_sentiment`, the same three figures), and ``reference``), and
        ``domain``: the blind-labelled Kursk-style targets (:func:`load_actor_sentiment_domain`),
        ``sets[name]`` for ``seed_mentions``, ``written`` and ``all`` with ``n_items``,
        ``labels`` (count per class), ``target_model`` (the pipeline's ``"model"`` method) and
        ``actor_level[impl]`` (its ``"vader"`` method), each with ``macro_f1``, ``accuracy`` and
        their 95% bootstrap intervals ``macro_f1_ci95``, ``accuracy_ci95``, and
        ``model_minus_actor_level[impl]``: the model's macro-F1 minus VADER's (``macro_f1``) with
        its paired bootstrap interval (``macro_f1_ci95``).
    """
    implementations = (
        list(IMPLEMENTATIONS) if implementation is None else [check_implementation(implementation)]
    )
    return {
        "default_implementation": DEFAULT_IMPLEMENTATION,
        "threshold": threshold,
        "implementations": implementations,
        "nyt_editorials": _evaluate_nyt(implementations, threshold),
        "newsmtsc": _evaluate_newsmtsc(implementations, threshold),
        "domain": _evaluate_domain(implementations, threshold),
    }


def summary_frame(result: dict) -> pd.DataFrame:
    """Tabulate :func:`evaluate`'s result for display, one row per figure.

    Returns
    -------
    pandas.DataFrame
        ``dataset``, ``split``, ``method``, ``implementation``, ``metric``, ``value``,
        ``published`` (the reference figure to compare with, NaN where none), ``published_by``,
        ``n_items``. The target model's rows have method ``target_model`` and an empty
        ``implementation``; the blind-labelled Kursk-style targets have dataset ``kursk_domain``
        and split ``seed_mentions``, ``written`` or ``all``. Values are rounded to 4 decimals so
        displays are stable.
    """
    nyt, news = result["nyt_editorials"], result["newsmtsc"]
    nyt_reference = nyt["reference"]["vader_paper"]
    published = {"pearson_r": nyt_reference["pearson_r"], "f1_weighted": nyt_reference["f1"]}
    rows = []
    for implementation, scores in nyt["scores"].items():
        for metric in ("pearson_r", "f1_weighted", "f1_macro", "accuracy"):
            rows.append(
                ("nyt_editorials", "all", "sentence_level", implementation, metric,
                 scores[metric], published.get(metric, math.nan),
                 "VADER paper" if metric in published else "", nyt["n_items"])
            )
    for split, split_result in news["splits"].items():
        by_method = [
            (method, implementation, scores)
            for method in ("actor_level", "sentence_level")
            for implementation, scores in split_result[method].items()
        ] + [("target_model", "", split_result["target_model"])]
        for method, implementation, scores in by_method:
            for metric in ("macro_f1", "accuracy"):
                is_reference = split == "devtest_rw" and metric == "macro_f1"
                rows.append(
                    ("newsmtsc", split, method, implementation, metric, scores[metric],
                     news["reference"]["macro_f1"] if is_reference else math.nan,
                     "best fine-tuned model (test-rw)" if is_reference else "",
                     split_result["n_items"])
                )
    for name, set_result in result["domain"]["sets"].items():
        by_method = [("target_model", "", set_result["target_model"])] + [
            ("actor_level", implementation, scores)
            for implementation, scores in set_result["actor_level"].items()
        ]
        for method, implementation, scores in by_method:
            for metric in ("macro_f1", "accuracy"):
                rows.append(("kursk_domain", name, method, implementation, metric, scores[metric],
                             math.nan, "", set_result["n_items"]))
    frame = pd.DataFrame(
        rows,
        columns=["dataset", "split", "method", "implementation", "metric", "value", "published",
                 "published_by", "n_items"],
    )
    frame["value"] = frame["value"].round(4)
    return frame
