"""Frame detection against independent human annotations.

Two annotated sets ship in ``kursk_utils/data/validation/`` (guidelines in
``ANNOTATION_GUIDELINES.md``; the annotator did not see the detector or its cue lexicons):

- ``frame_annotations.csv``: every sentence of the four seed articles, 0/1 per frame. Scored at
  sentence level and at document level (a document has a frame when one of its sentences has it).
- ``frame_challenge.csv``: synthetic sentences written in the styles of other outlets (Reuters,
  AP, Kyiv Independent, Ukrainska Pravda, ISW, TASS, RT), each scored as a one-sentence document.

The detector runs exactly as in the pipeline: the stage functions of :mod:`kursk_utils.stages`
(:func:`~kursk_utils.stages.analyze_sentiment`, then :func:`~kursk_utils.stages.analyze_framing`)
with the given settings, so actor mentions, sentence sentiment and quote speakers are the
pipeline's. Seed sentences come from ingesting the seed corpus when it is available (so paragraphs
and offsets are the pipeline's), else from the annotation file's text.

The frames evaluated are those of the codebook that the gold file annotates (a 0/1 column named by
the frame id); a codebook sharing no frame with the shipped files is not scored on them
(``frames`` is empty and ``note`` says why). Users score their own codebook on their own
annotations with :func:`evaluate_gold` (``kursk validate framing --gold FILE --codebook FILE``).

Metrics per frame: precision, recall, F1 (0.0 when undefined, as scikit-learn's
``zero_division=0``), ``support`` (gold positives) and ``predicted``. ``micro`` pools all frames;
``macro`` averages the frames with support > 0.

Figures measured with the shipped codebook (the annotations were read only after the detector was
designed, to measure; cues were not tuned on them):

==========================================  =========  ======  ====  ========
set                                         precision  recall  F1    items
==========================================  =========  ======  ====  ========
seed, sentence level, micro                 0.847      0.748   0.794 101
seed, sentence level, macro                 0.905      0.787   0.826 101
seed, document level, micro                 0.926      0.926   0.926 4 docs
challenge (7 outlet styles), micro          0.797      0.726   0.760 143
challenge, macro                            0.804      0.713   0.725 143
==========================================  =========  ======  ====  ========

Weakest frames on the challenge set (F1): incursion_strategic_value 0.43, us_support_distrust 0.60,
european_support 0.62, soldier_frustration 0.63 (all limited by recall). Weakest style: AP (0.55).
"""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

import pandas as pd

from kursk_utils import framing, stages
from kursk_utils.corpus import ingest

SEED_ANNOTATIONS = "frame_annotations.csv"
CHALLENGE = "frame_challenge.csv"
DEFAULT_SEED_CORPUS = Path(__file__).resolve().parents[2] / "seeds"
SUMMARY_COLUMNS = ["dataset", "level", "frame", "precision", "recall", "f1", "support", "predicted"]


def load_annotations(name: str) -> pd.DataFrame:
    """Read a shipped annotation file (check its frame columns with :func:`annotated_frames`)."""
    with resources.files("kursk_utils").joinpath("data", "validation", name).open("rb") as handle:
        return pd.read_csv(handle, dtype={"doc_id": "str", "item_id": "str"}, keep_default_na=False)


def annotated_frames(table: pd.DataFrame, codebook: framing.Codebook, name: str) -> list[str]:
    """The codebook's frames (codebook order) that ``table`` annotates, each checked to hold only 0 and 1."""
    frame_ids = [frame_id for frame_id in codebook.frame_ids if frame_id in table.columns]
    for frame_id in frame_ids:
        if not table[frame_id].isin([0, 1]).all():
            raise ValueError(f"{name}: column {frame_id} must hold only 0 and 1")
    return frame_ids


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


def _seed_tables(gold: pd.DataFrame, corpus_path: Path) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Seed documents and sentences aligned with the annotation rows; the last item names the source."""
    if corpus_path.is_dir():
        ingested = ingest(corpus_path)
        sentences = ingested.sentences
        aligned = gold.merge(sentences[["doc_id", "sentence_id", "text"]], on=["doc_id", "sentence_id", "text"])
        if len(aligned) != len(gold) or len(sentences) != len(gold):
            raise ValueError(
                f"the seed segmentation no longer matches {SEED_ANNOTATIONS}: {len(aligned)} of "
                f"{len(gold)} annotated sentences found among {len(sentences)} ingested; "
                "re-align the annotations (match rows on doc_id and text)"
            )
        return ingested.documents, sentences, "ingested seed corpus"
    documents, sentences = _tables_from_texts(list(gold["doc_id"]), list(gold["text"]))
    return documents, sentences, "annotation text"


def _scores(gold: pd.DataFrame, predicted: pd.DataFrame, frame_ids: list[str]) -> dict:
    """Per-frame and averaged figures for aligned 0/1 tables with a column per frame of ``frame_ids``."""
    per_frame = {}
    total_tp = total_fp = total_fn = 0
    for frame_id in frame_ids:
        truth, guess = gold[frame_id].astype(bool), predicted[frame_id].astype(bool)
        tp, fp, fn = int((truth & guess).sum()), int((~truth & guess).sum()), int((truth & ~guess).sum())
        per_frame[frame_id] = _prf(tp, fp, fn)
        total_tp, total_fp, total_fn = total_tp + tp, total_fp + fp, total_fn + fn
    supported = [figures for figures in per_frame.values() if figures["support"] > 0]
    macro = {
        metric: round(sum(f[metric] for f in supported) / len(supported), 4) if supported else 0.0
        for metric in ("precision", "recall", "f1")
    }
    return {
        "n_items": len(gold),
        "per_frame": per_frame,
        "micro": _prf(total_tp, total_fp, total_fn),
        "macro": {**macro, "n_frames": len(supported)},
    }


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "support": tp + fn, "predicted": tp + fp, "tp": tp,
    }


def _presence(frames_by_sentence: pd.DataFrame, keys: pd.DataFrame, frame_ids: list[str]) -> pd.DataFrame:
    """0/1 table aligned with ``keys`` (doc_id, sentence_id), one column per frame of ``frame_ids``."""
    found = set(zip(frames_by_sentence["doc_id"], frames_by_sentence["sentence_id"], frames_by_sentence["frame"]))
    pairs = list(zip(keys["doc_id"], keys["sentence_id"]))
    return pd.DataFrame(
        {frame_id: [int((d, s, frame_id) in found) for d, s in pairs] for frame_id in frame_ids},
        columns=frame_ids, dtype="int64",
    )


def _settings(
    codebook_path: str | Path | None,
    sentiment_settings: stages.SentimentSettings | None,
    framing_settings: stages.FramingSettings | None,
) -> tuple[stages.SentimentSettings, stages.FramingSettings, framing.Codebook]:
    framing_settings = framing_settings or stages.FramingSettings()
    if codebook_path is not None:
        framing_settings = replace(framing_settings, codebook_path=str(codebook_path))
    return (sentiment_settings or stages.SentimentSettings(), framing_settings,
            framing.load_codebook(framing_settings.codebook_path))


def _sentence_and_document_scores(
    gold: pd.DataFrame, documents: pd.DataFrame, detected: pd.DataFrame, codebook: framing.Codebook,
    frame_ids: list[str],
) -> dict:
    """Sentence-level and document-level figures of ``detected`` against ``gold`` (one row per sentence)."""
    predicted = _presence(detected, gold[["doc_id", "sentence_id"]], frame_ids)
    gold_docs = gold.groupby("doc_id")[frame_ids].max().sort_index()
    predicted_docs = (
        framing.frames_by_document(detected, documents, codebook).set_index("doc_id").loc[gold_docs.index, frame_ids]
    )
    return {
        "sentence": _scores(gold[frame_ids].reset_index(drop=True), predicted, frame_ids),
        "document": _scores(gold_docs.reset_index(drop=True), predicted_docs.reset_index(drop=True), frame_ids),
    }


def evaluate(
    codebook_path: str | Path | None = None,
    corpus_path: str | Path | None = None,
    sentiment_settings: stages.SentimentSettings | None = None,
    framing_settings: stages.FramingSettings | None = None,
) -> dict:
    """Score the frame detector against the shipped annotations.

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

    Returns
    -------
    dict
        JSON-serialisable: ``codebook`` (file name), ``frames`` (the codebook's frames both files
        annotate, codebook order), ``frames_not_annotated`` (the codebook's other frames),
        ``seed`` with ``sentence`` and ``document`` figures and ``sentences_from``,
        ``challenge`` with ``sentence`` figures and ``by_style`` (micro figures per outlet
        style). Each figures block has ``n_items``, ``per_frame`` (frame -> precision, recall,
        f1, support, predicted, tp), ``micro`` and ``macro``. When the codebook shares no frame
        with the annotations, ``seed`` and ``challenge`` are None and ``note`` says why.
    """
    sentiment_settings, framing_settings, codebook = _settings(codebook_path, sentiment_settings, framing_settings)
    gold = load_annotations(SEED_ANNOTATIONS).sort_values(["doc_id", "sentence_id"]).reset_index(drop=True)
    challenge = load_annotations(CHALLENGE).sort_values("item_id").reset_index(drop=True)
    seed_frames = annotated_frames(gold, codebook, SEED_ANNOTATIONS)
    frame_ids = [f for f in seed_frames if f in annotated_frames(challenge, codebook, CHALLENGE)]
    result = {"codebook": codebook.source, "frames": frame_ids,
              "frames_not_annotated": [f for f in codebook.frame_ids if f not in frame_ids]}
    if not frame_ids:
        return result | {"seed": None, "challenge": None, "note": (
            f"the shipped annotations label none of the frames of {codebook.source}: score the "
            "codebook on your own annotations (kursk validate framing --gold FILE --codebook FILE)")}

    seed_corpus = DEFAULT_SEED_CORPUS if corpus_path is None else Path(corpus_path)
    documents, sentences, source = _seed_tables(gold, seed_corpus)
    detected = detect_as_pipeline(documents, sentences, sentiment_settings, framing_settings)

    c_documents, c_sentences = _tables_from_texts(list(challenge["item_id"]), list(challenge["text"]))
    c_detected = detect_as_pipeline(c_documents, c_sentences, sentiment_settings, framing_settings)
    c_predicted = _presence(c_detected, c_sentences[["doc_id", "sentence_id"]], frame_ids)
    by_style = {
        style: _scores(challenge.loc[rows, frame_ids], c_predicted.loc[rows], frame_ids)["micro"]
        for style, rows in sorted(challenge.groupby("style").groups.items())
    }
    return result | {
        "seed": {"sentences_from": source,
                 **_sentence_and_document_scores(gold, documents, detected, codebook, frame_ids)},
        "challenge": {"sentence": _scores(challenge[frame_ids], c_predicted, frame_ids), "by_style": by_style},
    }


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read a user's annotation CSV: one row per sentence, in document order.

    Columns: ``doc_id``, ``text`` (one sentence) and a 0/1 column per annotated frame, named by
    its frame id; other columns (e.g. ``notes``) are ignored. ``sentence_id`` is numbered here
    (0, 1, ... within each document, in file order).
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"gold file not found: {path}")
    gold = pd.read_csv(path, dtype={"doc_id": "str", "text": "str"}, keep_default_na=False)
    missing = [column for column in ("doc_id", "text") if column not in gold.columns]
    if missing:
        raise ValueError(f"gold file {path.name} lacks the column(s) {missing} (doc_id, text, one 0/1 column per frame)")
    if gold.empty:
        raise ValueError(f"gold file {path.name} has no rows")
    return gold.assign(sentence_id=gold.groupby("doc_id", sort=False).cumcount())


def evaluate_gold(
    gold_path: str | Path,
    codebook_path: str | Path | None = None,
    sentiment_settings: stages.SentimentSettings | None = None,
    framing_settings: stages.FramingSettings | None = None,
) -> dict:
    """Score a codebook against a user's own annotations (see :func:`read_gold`).

    Each document's sentences are joined by single spaces and detected as the pipeline does
    (:func:`detect_as_pipeline`); the frames scored are the codebook's frames the file annotates.

    Returns
    -------
    dict
        JSON-serialisable: ``codebook``, ``gold`` (file name), ``frames``,
        ``frames_not_annotated`` and ``annotations`` with ``sentence`` and ``document`` figures
        (as in :func:`evaluate`).

    Raises
    ------
    ValueError
        If the file is missing or malformed, or annotates none of the codebook's frames.
    """
    sentiment_settings, framing_settings, codebook = _settings(codebook_path, sentiment_settings, framing_settings)
    gold = read_gold(gold_path)
    name = Path(gold_path).name
    frame_ids = annotated_frames(gold, codebook, name)
    if not frame_ids:
        raise ValueError(f"gold file {name} annotates none of the frames of {codebook.source}: "
                         f"add a 0/1 column named by a frame id ({', '.join(codebook.frame_ids)})")
    documents, sentences = _tables_from_texts(list(gold["doc_id"]), list(gold["text"]))
    gold = gold.sort_values(["doc_id", "sentence_id"], kind="stable").reset_index(drop=True)
    detected = detect_as_pipeline(documents, sentences, sentiment_settings, framing_settings)
    return {
        "codebook": codebook.source, "gold": name, "frames": frame_ids,
        "frames_not_annotated": [f for f in codebook.frame_ids if f not in frame_ids],
        "annotations": _sentence_and_document_scores(gold, documents, detected, codebook, frame_ids),
    }


def summary_frame(result: dict) -> pd.DataFrame:
    """Flatten :func:`evaluate`'s or :func:`evaluate_gold`'s result: one row per dataset, level and
    frame (plus averages).

    Returns
    -------
    DataFrame
        ``dataset`` (``seed``/``challenge``, or ``annotations``), ``level``
        (``sentence``/``document``), ``frame`` (a frame id, ``micro`` or ``macro``),
        ``precision``, ``recall``, ``f1``, ``support`` (null for ``macro``), ``predicted`` (null
        for ``macro``). No rows when no frame was scored.
    """
    rows = []
    for dataset in ("seed", "challenge", "annotations"):
        for level in ("sentence", "document"):
            figures = (result.get(dataset) or {}).get(level)
            if figures is None:
                continue
            for frame_id, values in figures["per_frame"].items():
                rows.append({"dataset": dataset, "level": level, "frame": frame_id, **values})
            rows.append({"dataset": dataset, "level": level, "frame": "micro", **figures["micro"]})
            rows.append({"dataset": dataset, "level": level, "frame": "macro", **figures["macro"]})
    table = pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS, "tp", "n_frames"])
    table = table.astype({"support": "Int64", "predicted": "Int64"})
    return table[SUMMARY_COLUMNS]
