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

from kursk_utils.actors import target_context
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


def macro_f1_interval(truth: Sequence[str], predicted: Sequence[str], level: float = 0.95,
                      n_resamples: int = BOOTSTRAP_RESAMPLES) -> tuple[float, float]:
    """Percentile bootstrap interval of the macro-F1 (items resampled in pairs; fixed seed)."""
    truth, predicted = np.asarray(truth), np.asarray(predicted)
    interval = bootstrap(
        (np.arange(truth.size),),
        lambda rows: classification_scores(truth[rows], predicted[rows])["f1_macro"],
        vectorized=False, n_resamples=n_resamples, confidence_level=level, method="percentile",
        rng=np.random.default_rng(BOOTSTRAP_SEED),
    ).confidence_interval
    return float(interval.low), float(interval.high)


def _model_scores(model: TargetSentimentModel, targets: pd.DataFrame) -> dict:
    predicted = model.predict(targets["sentence"].tolist(), list(zip(targets["start"], targets["end"])))
    scores = classification_scores(targets["polarity"], predicted)
    return {
        "macro_f1": scores["f1_macro"],
        "macro_f1_ci95": list(macro_f1_interval(targets["polarity"], predicted)),
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
                        macro_f1_interval(targets["polarity"], predicted)
                    )
        splits[split] = result
    return {"splits": splits, "reference": REFERENCE["newsmtsc"]}


def evaluate(implementation: str | None = None, threshold: float = DEFAULT_THRESHOLD) -> dict:
    """Measure VADER and the actor-level method on the shipped human-rated data.

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
        :mod:`kursk_utils.target_sentiment`, the same three figures), and ``reference``).
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
    }


def summary_frame(result: dict) -> pd.DataFrame:
    """Tabulate :func:`evaluate`'s result for display, one row per figure.

    Returns
    -------
    pandas.DataFrame
        ``dataset``, ``split``, ``method``, ``implementation``, ``metric``, ``value``,
        ``published`` (the reference figure to compare with, NaN where none), ``published_by``,
        ``n_items``. The target model's rows have method ``target_model`` and an empty
        ``implementation``. Values are rounded to 4 decimals so displays are stable.
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
    frame = pd.DataFrame(
        rows,
        columns=["dataset", "split", "method", "implementation", "metric", "value", "published",
                 "published_by", "n_items"],
    )
    frame["value"] = frame["value"].round(4)
    return frame
