"""Frame detection against independent human annotations, with intervals and agreement.

Gold sets (``kursk_utils/data/validation/``; guidelines in ``ANNOTATION_GUIDELINES.md``; no annotator
saw the detector or its cue lexicons):

- ``seed``: ``frame_annotations.csv``, every sentence of the four seed articles, 0/1 per frame.
  Scored per sentence and per document (a document has a frame when one of its sentences has it).
- ``challenge``: ``frame_challenge.csv``, synthetic sentences in the styles of seven outlets, each
  scored as a one-sentence document.
- ``blind_dev``: ``challenge_blind/dev_sentences.csv`` (sentence level) and
  ``challenge_blind/dev_documents.jsonl`` (document level, the annotator's document labels), written
  blind for issue 14; ``blind_dev2`` to ``blind_dev5`` and ``blind_dev8`` to ``blind_dev18`` (``dev2_*`` ...) further
  development parts by other annotators. ``blind_heldout`` to ``blind_heldout10``
  (``heldout*_*``, same format) are reported when the files are present, and, when there are
  several, also pooled as one set (``blind_heldout_pooled``).
- any user gold file (:func:`load_gold`; format in ``docs/validation.md``).

The detector runs exactly as in the pipeline: :func:`detect_as_pipeline` calls the stage functions of
:mod:`kursk_utils.stages` with the given settings. Seed sentences come from ingesting the seed corpus
when it is available (so paragraphs and offsets are the pipeline's), else from the annotation text;
gold documents (JSONL) are ingested by the pipeline's reader; gold sentences of a CSV are used as
given, joined by spaces into their document.

Metrics for each dataset, level and frame: ``precision``, ``recall``, ``f1`` (0.0 when undefined, as
scikit-learn's ``zero_division=0``), each with a 95% percentile bootstrap interval over the units
(sentences or documents, resampled with replacement, seeded: :func:`bootstrap_interval`), and
Krippendorff's ``alpha`` (nominal, the ``krippendorff`` package; null when undefined because both
coders give one value only) between the detector and the gold. ``micro`` pools every frame's
decisions (also for alpha); ``macro`` averages the frames with gold positives (alpha: the frames
where it is defined). The frames evaluated are those of the codebook that the gold file has.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import BinaryIO

import krippendorff
import numpy as np
import pandas as pd

from kursk_utils import framing, stages
from kursk_utils.contracts import check_positive_int
from kursk_utils.corpus import CorpusError, ingest
from kursk_utils.validation import GoldError, read_jsonl

SEED_ANNOTATIONS = "frame_annotations.csv"
CHALLENGE = "frame_challenge.csv"
BLIND_DIR = "challenge_blind"
BLIND_PARTS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev8", "dev9", "dev10", "dev11", "dev12", "dev13", "dev14",
               "dev15", "dev16", "dev17", "dev18", "heldout", "heldout2", "heldout3", "heldout4", "heldout5",
               "heldout6", "heldout7", "heldout8", "heldout9", "heldout10")
# The held-out parts scored as one set (more units, narrower intervals): the headline honest estimate.
POOLED_HELDOUT = "blind_heldout_pooled"
DEFAULT_SEED_CORPUS = Path(__file__).resolve().parents[2] / "seeds"
RATES = ("precision", "recall", "f1")
SUMMARY_COLUMNS = [
    "dataset", "level", "frame", "n", "support", "predicted",
    "precision", "precision_low", "precision_high", "recall", "recall_low", "recall_high",
    "f1", "f1_low", "f1_high", "alpha",
]
RESULT_FILE = "framing.json"
SUMMARY_FILE = "framing_summary.csv"
N_RESAMPLES = 2000
CONFIDENCE_LEVEL = 0.95
BOOTSTRAP_SEED = 14
BATCH = 250  # resamples drawn at once: bounds memory to BATCH x units x frames


@dataclass
class GoldFile:
    """One gold file, ready to score.

    ``sentences`` (one row per gold sentence: ``doc_id``, ``sentence_id``, ``text``, 0/1 frame
    columns) is set for sentence-labelled files, ``document_labels`` (``doc_id`` + 0/1 frame
    columns) for document-labelled ones; ``documents`` and ``pipeline_sentences`` are the tables the
    detector reads. ``document_level`` says whether a sentence-labelled file also has
    multi-sentence documents to score; ``sentences_from`` says where the detector's sentences
    come from.
    """

    source: str
    frames: list[str]
    documents: pd.DataFrame
    pipeline_sentences: pd.DataFrame
    sentences_from: str
    sentences: pd.DataFrame | None = None
    document_labels: pd.DataFrame | None = None
    document_level: bool = False


def _shipped(*parts: str) -> Traversable:
    return resources.files("kursk_utils").joinpath("data", "validation", *parts)


def _frame_columns(columns: list[str], codebook: framing.Codebook, where: str) -> list[str]:
    """The codebook's frames (in codebook order) that ``columns`` label; an error when none."""
    frames = [frame_id for frame_id in codebook.frame_ids if frame_id in columns]
    if not frames:
        raise GoldError(
            f"{where}: no frame column of the codebook ({', '.join(codebook.frame_ids)}); "
            "label columns must be named by frame id"
        )
    return frames


def _check_labels(table: pd.DataFrame, frames: list[str], where: str) -> pd.DataFrame:
    """``table`` with its frame columns as int64 0/1; an error naming the first bad cell otherwise."""
    for frame_id in frames:
        values = pd.to_numeric(table[frame_id], errors="coerce")
        bad = ~values.isin([0, 1])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            place = f"line {table['line'].iloc[row]}" if "line" in table else f"row {row + 1}"
            value = table[frame_id].iloc[row]
            # CSV cells are text (shown quoted); JSON labels are shown as JSON (NumPy scalars unwrapped).
            shown = repr(value) if isinstance(value, str) else json.dumps(getattr(value, "item", lambda: value)())
            raise GoldError(f"{where}: {frame_id} must be 0 or 1; {place} has {shown}")
        table[frame_id] = values.astype("int64")
    return table


def read_gold_sentences(handle: BinaryIO, where: str, codebook: framing.Codebook
                        ) -> tuple[pd.DataFrame, list[str], bool]:
    """Read a gold CSV of sentences into ``doc_id``, ``sentence_id``, ``text`` and frame columns.

    Parameters
    ----------
    handle : binary file object
        The CSV: a ``text`` column, one 0/1 column per frame id; optional ``doc_id`` (sentences of
        one document, in ``sentence_id`` order or else file order), ``sentence_id``, ``item_id``
        (the id of a one-sentence item). Other columns (``style``, ``notes``...) are kept.
    where : str
        The file's name for messages.
    codebook : Codebook
        Decides the frame columns.

    Returns
    -------
    (DataFrame, list of str, bool)
        The sentences sorted by ``doc_id`` and ``sentence_id``; the frames; whether the file groups
        sentences into documents (a ``doc_id`` column).
    """
    try:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise GoldError(f"{where}: not a readable CSV ({err})") from None
    if "text" not in table.columns:
        raise GoldError(f"{where}: no 'text' column; columns are {list(table.columns)}")
    frames = _frame_columns(list(table.columns), codebook, where)
    if table.empty:
        raise GoldError(f"{where}: no rows")
    empty = table["text"].str.strip() == ""
    if empty.any():
        raise GoldError(f"{where}: row {int(np.flatnonzero(empty.to_numpy())[0]) + 1} has empty text")
    table = _check_labels(table, frames, where)
    grouped = "doc_id" in table.columns
    if not grouped:
        ids = table["item_id"] if "item_id" in table.columns else pd.Series(
            [f"row{i + 1:05d}" for i in range(len(table))])
        table = table.assign(doc_id=ids.to_numpy(), sentence_id=0)
    elif "sentence_id" in table.columns:
        ids = pd.to_numeric(table["sentence_id"], errors="coerce")
        if ids.isna().any() or (ids % 1 != 0).any():
            raise GoldError(f"{where}: sentence_id must hold whole numbers")
        table["sentence_id"] = ids.astype("int64")
    else:
        table["sentence_id"] = table.groupby("doc_id", sort=False).cumcount()
    duplicated = table.duplicated(["doc_id", "sentence_id"])
    if duplicated.any():
        row = table[duplicated].iloc[0]
        key = "item_id" if not grouped else "doc_id and sentence_id"
        raise GoldError(f"{where}: duplicate {key} ({row['doc_id']}, {row['sentence_id']})")
    table = table.sort_values(["doc_id", "sentence_id"], kind="stable").reset_index(drop=True)
    return table, frames, grouped


def load_annotations(name: str, codebook: framing.Codebook | None = None) -> pd.DataFrame:
    """A shipped gold CSV of sentences (``name`` below ``data/validation/``), read and checked as
    :func:`read_gold_sentences` does (with the shipped codebook by default)."""
    with _shipped(name).open("rb") as handle:
        return read_gold_sentences(handle, name, codebook or framing.load_codebook())[0]


def _sentence_file(handle: BinaryIO, where: str, codebook: framing.Codebook,
                   seed_corpus: Path | None = None) -> GoldFile:
    """A gold CSV of sentences; the seed annotations are matched to the ingested ``seed_corpus``."""
    gold, frames, grouped = read_gold_sentences(handle, where, codebook)
    if seed_corpus is not None and seed_corpus.is_dir():
        documents, sentences = _ingested_seed_tables(gold, seed_corpus)
        sentences_from = "ingested seed corpus"
    else:
        # The detector numbers a document's sentences from 0 in the gold file's order.
        gold["sentence_id"] = gold.groupby("doc_id").cumcount()
        documents, sentences = _tables_from_texts(list(gold["doc_id"]), list(gold["text"]))
        sentences_from = "gold file text"
    multi = grouped and bool((gold.groupby("doc_id").size() > 1).any())
    return GoldFile(where, frames, documents, sentences, sentences_from, sentences=gold,
                    document_level=multi)


def _document_file(path: Path, where: str, codebook: framing.Codebook) -> GoldFile:
    """A JSONL file of gold documents, ingested by the pipeline's reader (title + text)."""
    records = []
    for line, record in read_jsonl(path, {"text": str, "labels": dict}, where):
        if not record["text"].strip():
            raise GoldError(f"{where} line {line}: 'text' is blank")
        records.append({"line": line, **record["labels"]})
    if not records:
        raise GoldError(f"{where}: no documents")
    labels = pd.DataFrame(records)
    frames = _frame_columns(list(labels.columns), codebook, where)
    missing = labels[frames].isna()
    if missing.any().any():
        row, column = np.argwhere(missing.to_numpy())[0]
        raise GoldError(f"{where} line {labels['line'].iloc[row]}: lacks the label {frames[column]}")
    labels = _check_labels(labels, frames, where)
    try:
        ingested = ingest(path)
    except CorpusError as err:
        raise GoldError(f"{where}: {err}") from None
    line_to_doc = ingested.documents.set_index("source_row")["doc_id"]
    skipped = sorted(set(labels["line"]) - set(line_to_doc.index))
    if skipped:
        reasons = ingested.manifest.dropna(subset=["line"]).set_index("line")["reason"]
        raise GoldError(f"{where} line {skipped[0]}: could not be ingested "
                        f"({reasons.get(skipped[0]) or 'no article'})")
    labels["doc_id"] = line_to_doc.loc[labels["line"]].to_numpy()
    labels = labels.sort_values("doc_id").reset_index(drop=True)
    return GoldFile(where, frames, ingested.documents, ingested.sentences, "ingested gold documents",
                    document_labels=labels[["doc_id", *frames]])


def load_gold(path: str | Path, codebook: framing.Codebook) -> GoldFile:
    """Read a user's gold file: a CSV of sentences or a JSONL of documents (``docs/validation.md``).

    Raises
    ------
    GoldError
        If the file is missing, has another extension, or is not in the documented format.
    """
    path = Path(path)
    if not path.is_file():
        raise GoldError(f"gold file not found: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("rb") as handle:
            return _sentence_file(handle, path.name, codebook)
    if suffix == ".jsonl":
        return _document_file(path, path.name, codebook)
    raise GoldError(f"{path.name}: a gold file must be .csv (sentences) or .jsonl (documents)")


def _shares_shipped_frames(codebook: framing.Codebook) -> bool:
    """Whether the shipped annotations label any of the codebook's frames (their header says)."""
    with _shipped(SEED_ANNOTATIONS).open("rb") as handle:
        columns = pd.read_csv(handle, nrows=0).columns
    return any(frame_id in columns for frame_id in codebook.frame_ids)


def shipped_gold(codebook: framing.Codebook, corpus_path: Path = DEFAULT_SEED_CORPUS,
                 blind_dir: Path | None = None) -> dict[str, list[GoldFile]]:
    """The shipped gold sets by dataset: seed, challenge, blind_dev and (when present) blind_heldout.

    ``blind_dir`` replaces the shipped ``challenge_blind/`` folder; a ``<part>_sentences.csv`` or
    ``<part>_documents.jsonl`` there (part: one of :data:`BLIND_PARTS`) makes the dataset
    ``blind_<part>``.
    """
    with _shipped(SEED_ANNOTATIONS).open("rb") as handle:
        sets = {"seed": [_sentence_file(handle, SEED_ANNOTATIONS, codebook, seed_corpus=corpus_path)]}
    with _shipped(CHALLENGE).open("rb") as handle:
        sets["challenge"] = [_sentence_file(handle, CHALLENGE, codebook)]
    with resources.as_file(_shipped(BLIND_DIR)) as shipped_blind:
        folder = Path(blind_dir) if blind_dir is not None else shipped_blind
        for part in BLIND_PARTS:
            files = []
            sentences, documents = folder / f"{part}_sentences.csv", folder / f"{part}_documents.jsonl"
            if sentences.is_file():
                with sentences.open("rb") as handle:
                    files.append(_sentence_file(handle, f"{BLIND_DIR}/{sentences.name}", codebook))
            if documents.is_file():
                files.append(_document_file(documents, f"{BLIND_DIR}/{documents.name}", codebook))
            if files:
                sets[f"blind_{part}"] = files
    return sets


def detect_as_pipeline(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    sentiment_settings: stages.SentimentSettings,
    framing_settings: stages.FramingSettings,
) -> pd.DataFrame:
    """``frames_by_sentence`` of the documents, computed by the pipeline's stage functions."""
    analysed = stages.analyze_sentiment(sentences, sentiment_settings)
    return stages.analyze_framing(
        documents, sentences, analysed["actor_mentions"], analysed["sentence_sentiment"],
        framing_settings,
    )["frames_by_sentence"]


def _tables_from_texts(doc_ids: list[str], texts: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents and sentences tables from sentences given in order (joined by single spaces)."""
    rows, documents = [], {}
    for doc_id, text in zip(doc_ids, texts):
        parts = documents.setdefault(doc_id, [])
        start = sum(len(p) + 1 for p in parts)
        rows.append(
            {"doc_id": doc_id, "sentence_id": len(parts), "paragraph_id": 0, "section": "body",
             "start": start, "end": start + len(text), "text": text}
        )
        parts.append(text)
    sentences = pd.DataFrame(rows)
    docs = pd.DataFrame(
        {"doc_id": list(documents), "text": [" ".join(p) for p in documents.values()],
         "n_sentences": [len(p) for p in documents.values()]}
    )
    return docs, sentences


def _ingested_seed_tables(gold: pd.DataFrame, corpus_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seed documents and sentences as ingested, checked to match the annotation rows one to one."""
    ingested = ingest(corpus_path)
    sentences = ingested.sentences
    aligned = gold.merge(sentences[["doc_id", "sentence_id", "text"]], on=["doc_id", "sentence_id", "text"])
    if len(aligned) != len(gold) or len(sentences) != len(gold):
        raise ValueError(
            f"the seed segmentation no longer matches {SEED_ANNOTATIONS}: {len(aligned)} of "
            f"{len(gold)} annotated sentences found among {len(sentences)} ingested; "
            "re-align the annotations (match rows on doc_id and text)"
        )
    return ingested.documents, sentences


def _presence(frames_by_sentence: pd.DataFrame, keys: pd.DataFrame, frames: list[str]) -> pd.DataFrame:
    """0/1 table aligned with ``keys`` (doc_id, sentence_id) from detected frame rows."""
    wide = (
        frames_by_sentence.assign(value=1)
        .pivot_table(index=["doc_id", "sentence_id"], columns="frame", values="value", aggfunc="max")
        .reindex(columns=frames)
    )
    aligned = keys.merge(wide, left_on=["doc_id", "sentence_id"], right_index=True, how="left")
    return aligned[frames].fillna(0).astype("int64").reset_index(drop=True)


def _rates(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    """Precision, recall and F1 (stacked on a new first axis) of count arrays; NaN where undefined.

    F1 is 2tp / (2tp + fp + fn): the harmonic mean of precision and recall when both are defined,
    0 when either is 0, undefined only without any positive.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.stack([tp / (tp + fp), tp / (tp + fn), 2 * tp / (2 * tp + fp + fn)]).astype(float)


def _statistic(gold: np.ndarray, predicted: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Per frame precision, recall and F1 (frame by frame), then micro and macro, over ``units``.

    ``gold``/``predicted`` are (units x frames) booleans; ``units`` indexes their rows, with a
    leading axis for resamples. Returns (3 * (frames + 2), ...) values, NaN where undefined. The
    macro average is over the frames with gold positives among ``units``, undefined values counted
    as 0 (scikit-learn's ``zero_division=0``).
    """
    truth, guess = gold[units], predicted[units]  # (..., n, frames)
    tp = (truth & guess).sum(axis=-2)
    fp = (~truth & guess).sum(axis=-2)
    fn = (truth & ~guess).sum(axis=-2)
    per_frame = _rates(tp, fp, fn)  # (3, ..., frames)
    micro = _rates(tp.sum(-1), fp.sum(-1), fn.sum(-1))  # (3, ...)
    supported = (tp + fn) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        macro = (np.nan_to_num(per_frame) * supported).sum(-1) / supported.sum(-1)
    per_frame = np.moveaxis(per_frame, -1, 0).reshape(-1, *micro.shape[1:])  # frame by frame: P, R, F1
    return np.concatenate([per_frame, micro, macro])


def bootstrap_interval(gold: np.ndarray, predicted: np.ndarray, n_resamples: int, seed: int,
                       confidence_level: float = CONFIDENCE_LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap bounds of :func:`_statistic`'s values, resampling units with replacement.

    Not :func:`scipy.stats.bootstrap`: a frame can be undefined in a resample (no positives drawn),
    and its percentile interval would then be NaN; here such resamples are left out of that value's
    interval (bounds NaN only when the value is undefined in every resample). Same seed, same bounds.
    """
    rng = np.random.default_rng(seed)
    n_units = len(gold)
    draws = [
        _statistic(gold, predicted, rng.integers(0, n_units, size=(min(BATCH, n_resamples - start), n_units)))
        for start in range(0, n_resamples, BATCH)
    ]
    values = np.concatenate(draws, axis=1)
    tail = (1 - confidence_level) / 2 * 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: undefined in every resample
        low, high = np.nanpercentile(values, [tail, 100 - tail], axis=1)
    return low, high


def _alpha(gold: np.ndarray, predicted: np.ndarray) -> float | None:
    """Krippendorff's nominal alpha of two coders over the same units (None when undefined)."""
    data = np.vstack([gold.ravel(), predicted.ravel()]).astype(float)
    if len(np.unique(data)) < 2:
        return None  # one value only: no expected disagreement
    return round(float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")), 4)


def _rounded(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 4)


def score(gold: pd.DataFrame, predicted: pd.DataFrame, frames: list[str],
          n_resamples: int = N_RESAMPLES, seed: int = BOOTSTRAP_SEED,
          confidence_level: float = CONFIDENCE_LEVEL) -> dict:
    """Figures of the detector's 0/1 decisions against the gold's, unit by unit.

    Parameters
    ----------
    gold, predicted : DataFrame
        Aligned rows (one per unit: sentence or document) with a 0/1 column per frame of ``frames``.
    frames : list of str
        The frames to score, in report order.
    n_resamples, seed, confidence_level
        The bootstrap of the intervals (:func:`bootstrap_interval`).

    Returns
    -------
    dict
        Frame id, ``micro`` and ``macro`` -> metric -> value: ``n`` (units), ``support`` (gold
        positives), ``predicted``, ``tp`` (these three null for macro), ``precision``, ``recall``,
        ``f1`` (0.0 when undefined) with their ``_low``/``_high`` bounds (null when undefined in
        every resample), ``alpha`` (null when undefined); ``macro`` also has ``n_frames`` (the
        frames with gold positives, those averaged).
    """
    truth = gold[frames].to_numpy(dtype=bool)
    guess = predicted[frames].to_numpy(dtype=bool)
    point = np.nan_to_num(_statistic(truth, guess, np.arange(len(truth))))
    low, high = bootstrap_interval(truth, guess, n_resamples, seed, confidence_level)
    counts = {frame_id: (truth[:, i], guess[:, i]) for i, frame_id in enumerate(frames)}
    counts["micro"] = (truth, guess)
    figures = {}
    for position, name in enumerate([*frames, "micro", "macro"]):
        values: dict = {"n": len(truth)}
        if name in counts:
            t, g = counts[name]
            values.update(support=int(t.sum()), predicted=int(g.sum()), tp=int((t & g).sum()))
        else:
            values.update(support=None, predicted=None, tp=None)
        for offset, metric in enumerate(RATES):
            row = 3 * position + offset
            values.update({metric: round(float(point[row]), 4), f"{metric}_low": _rounded(low[row]),
                           f"{metric}_high": _rounded(high[row])})
        values["alpha"] = _alpha(*counts[name]) if name in counts else None
        figures[name] = values
    alphas = [figures[frame_id]["alpha"] for frame_id in frames if figures[frame_id]["alpha"] is not None]
    figures["macro"].update(alpha=round(sum(alphas) / len(alphas), 4) if alphas else None,
                            n_frames=int(truth.any(axis=0).sum()))
    return figures


def _decisions(gold_set: GoldFile, detected: pd.DataFrame,
               codebook: framing.Codebook) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Aligned gold and predicted 0/1 tables (rows: units) of one gold file, by level."""
    frames = gold_set.frames
    predicted_docs = framing.frames_by_document(detected, gold_set.documents, codebook).set_index("doc_id")
    levels = {}
    if gold_set.sentences is not None:
        gold = gold_set.sentences
        levels["sentence"] = (gold, _presence(detected, gold[["doc_id", "sentence_id"]], frames))
        if gold_set.document_level:
            gold_docs = gold.groupby("doc_id")[frames].max().sort_index()
            levels["document"] = (gold_docs, predicted_docs.loc[gold_docs.index])
    if gold_set.document_labels is not None:
        gold_docs = gold_set.document_labels.set_index("doc_id")
        levels["document"] = (gold_docs, predicted_docs.loc[gold_docs.index])
    return levels


def _pooled(decisions: list[tuple[str, GoldFile, dict]], bootstrap: dict) -> tuple[dict, dict]:
    """Sources and figures of the units of several gold files scored as one set, by level.

    ``decisions``: (dataset, gold file, :func:`_decisions` of it). The files must evaluate the same
    frames; units keep their own decisions, so this equals scoring the files concatenated.
    """
    frames = decisions[0][1].frames
    sources, figures = {}, {}
    for level in ("sentence", "document"):
        parts = [(name, gold_file, levels[level]) for name, gold_file, levels in decisions if level in levels]
        if not parts:
            continue
        gold = pd.concat([pair[0][frames] for _, _, pair in parts], ignore_index=True)
        predicted = pd.concat([pair[1][frames] for _, _, pair in parts], ignore_index=True)
        sources[level] = {"file": " + ".join(gold_file.source for _, gold_file, _ in parts),
                          "frames": frames, "sentences_from": f"pooled: {', '.join(n for n, _, _ in parts)}"}
        figures[level] = score(gold, predicted, frames, **bootstrap)
    return sources, figures


def evaluate(
    codebook_path: str | Path | None = None,
    corpus_path: str | Path | None = None,
    sentiment_settings: stages.SentimentSettings | None = None,
    framing_settings: stages.FramingSettings | None = None,
    gold_paths: list[str | Path] | None = None,
    n_resamples: int = N_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> dict:
    """Score the frame detector against gold sets: the shipped ones, or the user's ``gold_paths``.

    Parameters
    ----------
    codebook_path : str or Path, optional
        Codebook to evaluate; the shipped one by default. Overrides ``framing_settings``'
        ``codebook_path`` when given.
    corpus_path : str or Path, optional
        Seed corpus to ingest; defaults to the project's ``seeds/``. When it does not exist the
        seed sentences are taken from the annotation file.
    sentiment_settings, framing_settings : optional
        The pipeline's stage settings (defaults: the notebooks' defaults); frames are detected
        by :func:`detect_as_pipeline` with them.
    gold_paths : list of str or Path, optional
        Gold files to score instead of the shipped sets (each a dataset named by its file stem).
    n_resamples : int
        Bootstrap resamples for the intervals.
    seed : int
        Seed of the bootstrap (same seed, same intervals).

    Returns
    -------
    dict
        JSON-serialisable: ``codebook`` (file name), ``frame_scorer`` (``rules`` or ``hybrid``, as
        the frames were detected), ``bootstrap`` (method, n_resamples, seed,
        confidence_level), ``datasets`` (dataset -> level -> ``file``, ``frames`` evaluated,
        ``sentences_from``) and ``figures``: dataset -> level (``sentence``/``document``)
        -> frame (a frame id, ``micro``, ``macro``) -> metric (see :func:`score`). Without
        ``gold_paths``, a codebook none of whose frames the shipped annotations label gets empty
        ``datasets`` and ``figures``, ``bootstrap`` None and a ``note`` saying so.

    Raises
    ------
    GoldError
        If a gold file is missing or malformed (checked before any detection runs).
    """
    check_positive_int(n_resamples, "n_resamples")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    sentiment_settings = sentiment_settings or stages.SentimentSettings()
    framing_settings = framing_settings or stages.FramingSettings()
    if codebook_path is not None:
        framing_settings = replace(framing_settings, codebook_path=str(codebook_path))
    codebook = framing.load_codebook(framing_settings.codebook_path)
    if gold_paths:
        names = [Path(p).stem for p in gold_paths]
        if len(set(names)) < len(names):
            raise GoldError(f"gold files need distinct names, got {names}")
        gold_sets = {name: [load_gold(path, codebook)] for name, path in zip(names, gold_paths)}
    elif not _shares_shipped_frames(codebook):
        # A codebook of other frames (docs/codebook_guide.md): nothing here to score it on.
        return {"codebook": codebook.source, "frame_scorer": framing_settings.frame_scorer,
                "bootstrap": None, "datasets": {}, "figures": {},
                "note": f"the shipped annotations label none of the frames of {codebook.source}: score it "
                        "on your own (kursk validate framing --gold FILE --codebook FILE)"}
    else:
        seed_corpus = DEFAULT_SEED_CORPUS if corpus_path is None else Path(corpus_path)
        gold_sets = shipped_gold(codebook, seed_corpus)

    bootstrap = {"n_resamples": n_resamples, "seed": seed, "confidence_level": CONFIDENCE_LEVEL}
    datasets, figures = {}, {}
    held_out = []
    for name, gold_files in gold_sets.items():
        levels, sources = {}, {}
        for gold_file in gold_files:
            detected = detect_as_pipeline(gold_file.documents, gold_file.pipeline_sentences,
                                          sentiment_settings, framing_settings)
            decisions = _decisions(gold_file, detected, codebook)
            levels.update({level: score(gold, predicted, gold_file.frames, **bootstrap)
                           for level, (gold, predicted) in decisions.items()})
            sources.update({level: {"file": gold_file.source, "frames": gold_file.frames,
                                    "sentences_from": gold_file.sentences_from} for level in decisions})
            if name.startswith("blind_heldout") and not gold_paths:
                held_out.append((name, gold_file, decisions))
        datasets[name] = sources
        figures[name] = levels
    if len({name for name, _, _ in held_out}) > 1 and len({tuple(f.frames) for _, f, _ in held_out}) == 1:
        datasets[POOLED_HELDOUT], figures[POOLED_HELDOUT] = _pooled(held_out, bootstrap)
    return {
        "codebook": codebook.source,
        "frame_scorer": framing_settings.frame_scorer,
        "bootstrap": {"method": "percentile bootstrap over units", **bootstrap},
        "datasets": datasets,
        "figures": figures,
    }


def summary_frame(result: dict) -> pd.DataFrame:
    """Flatten :func:`evaluate`'s ``figures`` into one row per dataset, level and frame.

    Returns
    -------
    DataFrame
        :data:`SUMMARY_COLUMNS`: ``dataset``, ``level``, ``frame`` (a frame id, ``micro`` or
        ``macro``), ``n`` (units: sentences or documents), ``support`` (gold positives; null for
        macro), ``predicted`` (null for macro), ``precision``/``recall``/``f1`` with their
        ``_low``/``_high`` 95% bootstrap bounds, ``alpha`` (Krippendorff, nominal; null when
        undefined). Rows in result order: datasets, levels, then frames in codebook order,
        ``micro``, ``macro``.
    """
    rows = [
        {"dataset": dataset, "level": level, "frame": frame, **values}
        for dataset, levels in result["figures"].items()
        for level, frames in levels.items()
        for frame, values in frames.items()
    ]
    table = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return table.astype({"n": "int64", "support": "Int64", "predicted": "Int64", "alpha": "Float64"})


def write_results(result: dict, validation_dir: str | Path) -> pd.DataFrame:
    """Write :func:`evaluate`'s result to ``validation_dir`` and return its summary table.

    Files: :data:`RESULT_FILE` (``framing.json``, the whole result) and :data:`SUMMARY_FILE`
    (``framing_summary.csv``, :func:`summary_frame`: one row per dataset, level and frame with
    :data:`SUMMARY_COLUMNS`; empty cells for nulls). The report reads the CSV; keep both names.
    """
    validation_dir = Path(validation_dir)
    validation_dir.mkdir(parents=True, exist_ok=True)
    (validation_dir / RESULT_FILE).write_text(json.dumps(result, indent=2, sort_keys=True) + "\n",
                                              encoding="utf-8")
    summary = summary_frame(result)
    summary.to_csv(validation_dir / SUMMARY_FILE, index=False, lineterminator="\n")
    return summary


def with_intervals(summary: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`summary_frame` for reading: each rate as ``value [low, high]`` (3 decimals).

    Returns
    -------
    DataFrame
        ``dataset``, ``level``, ``frame``, ``n``, ``support``, ``predicted``, ``precision``,
        ``recall``, ``f1`` (text), ``alpha`` (rounded to 3 decimals; null when undefined).
    """
    def cell(row: pd.Series, metric: str) -> str:
        low, high = row[f"{metric}_low"], row[f"{metric}_high"]
        bounds = "[undefined]" if pd.isna(low) else f"[{low:.3f}, {high:.3f}]"
        return f"{row[metric]:.3f} {bounds}"

    table = summary[["dataset", "level", "frame", "n", "support", "predicted"]].copy()
    for metric in RATES:
        table[metric] = [cell(row, metric) for _, row in summary.iterrows()]
    table["alpha"] = summary["alpha"].round(3)
    return table
