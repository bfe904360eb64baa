"""Quote extraction and speaker attribution against blind human annotations.

The gold set ships in ``kursk_utils/data/validation/quotes/`` (``SOURCE.md``): passages of news
copy in eight styles, written and annotated by someone who never saw the extractor.

Gold format (also what ``kursk validate quotes --gold FILE`` reads)
    ``FILE`` is the quotes file; the passages file sits next to it as ``passages.jsonl``. Both
    are JSON lines:

    - ``passages.jsonl``: ``passage_id`` (str), ``style`` (str, a group to report on),
      ``text`` (str, the passage; paragraphs separated by blank lines), optionally
      ``not_quotes`` (list of str: quoted strings that are not speech, for the record only).
    - ``quotes.jsonl``: ``passage_id``, ``quote_id`` (str), ``kind`` (``direct`` or
      ``reported``), ``text`` (the exact quoted content: between the marks for direct quotes,
      the content clause for reported speech; it must occur in the passage, the first
      occurrence is used), ``speaker`` (the fullest name the passage gives, or a short
      description of an unnamed source), ``role`` (a role of :data:`kursk_utils.quotes.ROLES`)
      and optionally ``side`` (``ukraine``, ``russia``, ``us``, ``europe``, ``other`` or
      ``unknown``).

How passages are run
    Each passage is one plain-text article run through the pipeline's own stage functions
    (:func:`predict`: ingestion, then the sentiment and framing stages with default settings),
    so the figures measure what ``kursk run`` extracts.

Matching
    A predicted quote and a gold quote of the same passage *overlap* when their character spans
    share at least :data:`MIN_OVERLAP` of the shorter span. Pairs are matched one-to-one,
    greedily by decreasing overlap share (ties: earlier gold, then earlier prediction). The kind
    (direct/reported) is not required to agree. Unmatched predictions are false positives,
    unmatched gold quotes false negatives. This is lenient on span boundaries (a fragment
    matches the clause holding it), so a strict figure is reported too: the overlap must cover
    :data:`MIN_STRICT_OVERLAP` of the *longer* span.

Speaker
    On matched pairs. Names are normalised: case and accents folded, possessive ``'s`` and
    punctuation dropped, a leading "the" dropped, a country name read as its adjective
    ("Russia's Defence Ministry" = "Russian Defence Ministry", :data:`_COUNTRY_ADJECTIVES`).
    A note in brackets in the gold speaker is dropped ("Veltra spokeswoman (unnamed)"; "(unnamed)"
    marks an unnamed source like a lower-case start). The prediction is correct when its words
    equal the gold's, are the gold's trailing words
    (a last-name form: "Syrskyi" for "Oleksandr Syrskyi"), or contain the gold's words as a
    contiguous run (a full form with a title: "President Volodymyr Zelensky"). For an unnamed
    source (the gold starts in lower case: "a Ukrainian sergeant who fought in Kursk") the
    prediction may be a shorter description: its words, but for articles and "one", occur in
    the gold in the same order ("A Ukrainian sergeant", "a brigade commander"). A null predicted
    speaker is wrong. Role and side accuracy: exact equality on matched pairs (gold side
    ``unknown`` equals a null predicted side).

Intervals
    Each figure has a 95% percentile bootstrap interval over passages (:data:`N_RESAMPLES`
    resamples of the passages with replacement, seeded: :data:`SEED`); counts are pooled over the
    resampled passages.

Figures on the shipped dev set (31 passages, 196 quotes: 86 direct, 110 reported), with 95%
bootstrap intervals. The extractor was developed on this set (the baseline is the extractor
before that work), so the final figures are optimistic; a held-out part of the same set, never
seen during development, gives the honest estimate.

========================  ======================  ======================
figure                    baseline                final
========================  ======================  ======================
quote F1 (P / R)          0.883 (0.947 / 0.827)   0.980 (0.980 / 0.980)
  interval                0.840-0.918             0.966-0.990
strict span F1            0.643                   0.934
speaker accuracy          0.704 (0.630-0.773)     0.948 (0.913-0.979)
role accuracy             0.648                   0.875
side accuracy             (no side column)        0.583
========================  ======================  ======================

Per style (final F1 / speaker accuracy): broadcast 0.94/0.92, feature 0.96/1.00, interview
0.95/1.00, live blog 1.00/0.92, non-war 0.97/0.95, Russian state 1.00/0.96, Ukrainian outlets
1.00/0.96, wire 1.00/0.89 (this annotator writes "Ukraine's General Staff", the later ones, and
the extractor, its full name). Side accuracy is low here by convention: this set's annotator gives
non-war speakers their country's side, where the later annotators (and the extractor) give
``other``. Like this annotator's (and dev3's), the extractor's transcripts quote an
interviewee's answers but neither an interviewer's questions nor a presenter's turns; dev2's
annotator lists every labelled turn.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from kursk_utils import stages
from kursk_utils.text import CharMap, normalize_segment
from kursk_utils.validation import GoldError, read_jsonl

MIN_OVERLAP = 0.5
# The strict span figure: the overlap covers this share of the longer span (near-exact spans).
MIN_STRICT_OVERLAP = 0.8
N_RESAMPLES = 2000
SEED = 20250312
GOLD_DIR = ("data", "validation", "quotes")
# The parts of the blind set, each written by its own annotator: the dev parts (``dev`` is the top
# folder) were looked at while the extractor was developed; the held-out parts never were, so their
# figures are the honest estimate.
DEV_PARTS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11")
HELDOUT_PARTS = ("heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7",
                 "heldout8", "heldout9")
PARTS = DEV_PARTS + HELDOUT_PARTS
# The held-out parts scored as one set (``evaluate`` of their paths together): the headline estimate.
POOLED_HELDOUT = "heldout_pooled"


def shipped_gold_path(part: str = "dev") -> Path:
    """The shipped gold quotes file of ``part`` (one of :data:`PARTS`; ``passages.jsonl`` beside it)."""
    if part not in PARTS:
        raise ValueError(f"no gold part {part!r}; the parts are {', '.join(PARTS)}")
    folder = () if part == "dev" else (part,)
    return Path(str(resources.files("kursk_utils").joinpath(*GOLD_DIR, *folder, "quotes.jsonl")))


SUMMARY_COLUMNS = [
    "group", "n_passages", "n_gold", "n_predicted", "precision", "recall", "f1", "n_matched",
    "speaker_accuracy", "role_accuracy", "side_accuracy", "f1_low", "f1_high",
    "speaker_low", "speaker_high",
]
_COUNTRY_ADJECTIVES = {
    "russia": "russian", "ukraine": "ukrainian", "america": "american", "britain": "british",
    "france": "french", "germany": "german", "poland": "polish", "china": "chinese",
}
_DESCRIPTION_FILLERS = frozenset(("a", "an", "one", "some", "but", "and"))
_PASSAGE_FIELDS = ("passage_id", "style", "text")
_QUOTE_FIELDS = ("passage_id", "quote_id", "kind", "text", "speaker", "role")


GoldPaths = str | Path | Sequence[str | Path]


def _several(gold_path: GoldPaths | None) -> bool:
    """Whether ``gold_path`` names several gold files (a sequence of paths, not one path)."""
    return isinstance(gold_path, Sequence) and not isinstance(gold_path, str)


def load_gold(quotes_path: GoldPaths | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a gold quote file and its ``passages.jsonl`` (format in the module docstring).

    Parameters
    ----------
    quotes_path : str or Path, or a sequence of them, optional
        The quotes file; the shipped dev set by default. Several files are read as one set (their
        passage ids must differ).

    Returns
    -------
    (passages, quotes) : pandas.DataFrame
        ``passages``: ``passage_id``, ``style``, ``text``, sorted by ``passage_id``.
        ``quotes``: ``passage_id``, ``quote_id``, ``kind``, ``text``, ``speaker``, ``role``,
        ``side`` (str, ``unknown`` when absent), ``start``, ``end`` (offsets of ``text`` in the
        passage), sorted by ``passage_id``, ``start``.

    Raises
    ------
    GoldError
        If a file is missing or malformed, a quote names an unknown passage, a quote's text
        does not occur in its passage, or several files share a passage id.
    """
    if _several(quotes_path):
        tables = [load_gold(path) for path in quotes_path]
        passage_table = pd.concat([t[0] for t in tables], ignore_index=True)
        repeated = passage_table["passage_id"][passage_table["passage_id"].duplicated()].tolist()
        if repeated:
            raise GoldError(f"the gold files share passage ids: {', '.join(sorted(set(repeated)))}")
        return (passage_table.sort_values("passage_id", ignore_index=True),
                pd.concat([t[1] for t in tables], ignore_index=True).sort_values(["passage_id", "start"],
                                                                                 ignore_index=True))
    if quotes_path is None:
        quotes_path = shipped_gold_path("dev")
    quotes_path = Path(quotes_path)
    passages = [record for _, record in
                read_jsonl(quotes_path.with_name("passages.jsonl"), dict.fromkeys(_PASSAGE_FIELDS, str))]
    texts = {p["passage_id"]: p["text"] for p in passages}
    if len(texts) != len(passages):
        raise GoldError("passages.jsonl repeats a passage_id")
    quotes = []
    for _, record in read_jsonl(quotes_path, dict.fromkeys(_QUOTE_FIELDS, str)):
        passage = texts.get(record["passage_id"])
        if passage is None:
            raise GoldError(f"quote {record['quote_id']} names unknown passage {record['passage_id']}")
        start = passage.find(record["text"])
        if start < 0 or not record["text"]:
            raise GoldError(
                f"quote {record['passage_id']}/{record['quote_id']}: its text is not in the passage"
            )
        quotes.append({**{f: record[f] for f in _QUOTE_FIELDS},
                       "side": record.get("side") or "unknown",
                       "start": start, "end": start + len(record["text"])})
    passage_table = pd.DataFrame(
        [{f: p[f] for f in _PASSAGE_FIELDS} for p in passages], columns=list(_PASSAGE_FIELDS)
    ).sort_values("passage_id", ignore_index=True)
    quote_table = pd.DataFrame(
        quotes, columns=[*_QUOTE_FIELDS, "side", "start", "end"]
    ).sort_values(["passage_id", "start"], ignore_index=True)
    return passage_table, quote_table


def predict(passages: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Run the pipeline on each passage as a plain-text article and return its quotes.

    Each passage is written as ``<passage_id>.txt`` into a temporary corpus folder, ingested by
    :func:`kursk_utils.stages.ingest_corpus` and analysed by :func:`kursk_utils.stages.analyze_sentiment`
    and :func:`kursk_utils.stages.analyze_framing` with the default settings: the same calls, in the
    same order, as ``kursk run``.

    Returns
    -------
    (quotes, texts)
        The ``quotes`` table (``doc_id`` = ``passage_id``) and each document's text after
        ingestion (the offsets of ``quotes`` refer to it).
    """
    with tempfile.TemporaryDirectory(prefix="kursk-quotes-") as folder:
        for pid, text in zip(passages["passage_id"], passages["text"]):
            (Path(folder) / f"{pid}.txt").write_text(text, encoding="utf-8")
        ingested = stages.ingest_corpus(folder)
    documents, sentences = ingested.documents, ingested.sentences
    analysed = stages.analyze_sentiment(sentences, stages.SentimentSettings())
    framed = stages.analyze_framing(documents, sentences, analysed["actor_mentions"],
                                    analysed["sentence_sentiment"], stages.FramingSettings())
    return framed["quotes"], dict(zip(documents["doc_id"], documents["text"]))


def _fold(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’]s\b", "", text)
    words = re.findall(r"[a-z0-9]+", text)
    if words[:1] == ["the"]:
        words = words[1:]
    return [_COUNTRY_ADJECTIVES.get(w, w) for w in words]


def speaker_matches(predicted: str | None, gold: str) -> bool:
    """Whether a predicted speaker names the gold speaker (rules in the module docstring)."""
    if not isinstance(predicted, str) or not predicted.strip():
        return False
    # A note in brackets is the annotator's, not the name ("Veltra spokeswoman (unnamed)",
    # "National Intelligence Service (South Korea)"); "(unnamed)" marks a description.
    unnamed = gold[:1].islower() or bool(re.search(r"\(unnamed\)", gold, re.IGNORECASE))
    gold = re.sub(r"\s*\([^)]*\)", "", gold).strip() or gold
    guess, truth = _fold(predicted), _fold(gold)
    if not guess or not truth:
        return False
    if guess == truth or truth[-len(guess):] == guess:
        return True
    if any(guess[i : i + len(truth)] == truth for i in range(len(guess) - len(truth) + 1)):
        return True
    if unnamed:  # an unnamed source's description: the prediction names its head
        content = [w for w in guess if w not in _DESCRIPTION_FILLERS]
        rest = iter(truth)
        return bool(content) and all(word in rest for word in content)
    return False


@dataclass
class _PassageCounts:
    passage_id: str
    style: str
    gold: int
    predicted: int
    matched: int
    speaker: int
    role: int
    side: int
    # kind -> (gold, predicted, matched gold, matched predictions, speaker right) of that kind
    by_kind: dict[str, tuple[int, int, int, int, int]]
    strict_matched: int  # pairs under the strict span rule


def _relocate(text: str, quoted: str) -> tuple[int, int]:
    """Span of a gold quote's text in the ingested document, normalised as ingestion does
    (quote characters folded, white space collapsed)."""
    normalised = normalize_segment(quoted, 0, 0, CharMap())
    found = text.find(normalised)
    if found < 0:
        raise GoldError(f"quoted text {quoted[:40]!r} not found in the ingested passage")
    return found, found + len(normalised)


def match(gold: pd.DataFrame, predicted: pd.DataFrame, strict: bool = False) -> list[tuple[int, int]]:
    """One-to-one (gold row, predicted row) position pairs of one passage (rules above); with
    ``strict``, the overlap must cover :data:`MIN_STRICT_OVERLAP` of the longer span."""
    pairs = []
    for g, (gs, ge) in enumerate(zip(gold["start"], gold["end"])):
        for p, (ps, pe) in enumerate(zip(predicted["start"], predicted["end"])):
            overlap = min(ge, pe) - max(gs, ps)
            base = max(ge - gs, pe - ps) if strict else min(ge - gs, pe - ps)
            if overlap > 0 and base > 0 and overlap / base >= (MIN_STRICT_OVERLAP if strict else MIN_OVERLAP):
                pairs.append((-overlap / base, g, p))
    used_gold, used_pred, matched = set(), set(), []
    for _, g, p in sorted(pairs):
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            matched.append((g, p))
    return sorted(matched)


def _count(passages: pd.DataFrame, gold: pd.DataFrame, predicted: pd.DataFrame,
           texts: dict[str, str]) -> tuple[list[_PassageCounts], pd.DataFrame]:
    counts, rows = [], []
    for pid, style, passage in zip(passages["passage_id"], passages["style"], passages["text"]):
        g = gold[gold["passage_id"] == pid].reset_index(drop=True)
        p = predicted[predicted["doc_id"] == pid].reset_index(drop=True)
        text = texts.get(pid, passage)
        if len(g):
            spans = [_relocate(text, quoted) for quoted in g["text"]]
            g = g.assign(start=[s for s, _ in spans], end=[e for _, e in spans])
        pairs = match(g, p)
        by_kind = {}
        speaker = role = side = 0
        hits = {}
        for gi, pi in pairs:
            ok_speaker = speaker_matches(p.at[pi, "speaker"], g.at[gi, "speaker"])
            predicted_side = p.at[pi, "side"] if "side" in p.columns else None
            ok_side = (predicted_side if isinstance(predicted_side, str) else "unknown") == g.at[gi, "side"]
            speaker += ok_speaker
            role += p.at[pi, "role"] == g.at[gi, "role"]
            side += ok_side
            hits[gi] = (pi, ok_speaker)
        for kind in ("direct", "reported"):
            kind_gold = g.index[g["kind"] == kind]
            kind_predicted = set(p.index[p["kind"] == kind])
            by_kind[kind] = (
                len(kind_gold), len(kind_predicted),
                sum(1 for gi in kind_gold if gi in hits),
                sum(1 for _, pi in pairs if pi in kind_predicted),
                sum(1 for gi in kind_gold if gi in hits and hits[gi][1]),
            )
        counts.append(_PassageCounts(str(pid), style, len(g), len(p), len(pairs), speaker, role, side, by_kind,
                                     len(match(g, p, strict=True))))
        for gi in g.index:
            pi, ok = hits.get(gi, (None, False))
            rows.append({"passage_id": pid, "quote_id": g.at[gi, "quote_id"], "kind": g.at[gi, "kind"],
                         "gold_text": g.at[gi, "text"], "gold_speaker": g.at[gi, "speaker"],
                         "gold_role": g.at[gi, "role"],
                         "predicted_text": None if pi is None else p.at[pi, "text"],
                         "predicted_speaker": None if pi is None else p.at[pi, "speaker"],
                         "predicted_role": None if pi is None else p.at[pi, "role"],
                         "speaker_ok": ok})
        matched_predictions = {pi for _, pi in pairs}
        for pi in p.index:
            if pi not in matched_predictions:
                rows.append({"passage_id": pid, "quote_id": None, "kind": p.at[pi, "kind"],
                             "gold_text": None, "gold_speaker": None, "gold_role": None,
                             "predicted_text": p.at[pi, "text"],
                             "predicted_speaker": p.at[pi, "speaker"],
                             "predicted_role": p.at[pi, "role"], "speaker_ok": False})
    return counts, pd.DataFrame(rows)


def _figures(totals: np.ndarray) -> np.ndarray:
    """precision, recall, F1, speaker, role, side accuracy from summed counts (gold, predicted,
    matched gold, matched predictions, speaker, role, side right); NaN when undefined."""
    gold, predicted, matched_gold, matched_predicted, speaker, role, side = totals
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, matched_predicted / predicted, np.nan)
        recall = np.where(gold > 0, matched_gold / gold, np.nan)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
        f1 = np.where(np.isnan(precision) | np.isnan(recall), np.nan, f1)
        accuracies = [np.where(matched_gold > 0, x / matched_gold, np.nan) for x in (speaker, role, side)]
    return np.array([precision, recall, f1, *accuracies])


def _summarise(counts: np.ndarray, rng: np.random.Generator) -> dict:
    """Figures and bootstrap intervals for per-passage count rows (n_passages x 7, as
    :func:`_figures` reads them)."""
    point = _figures(counts.sum(axis=0))
    draws = rng.integers(0, len(counts), size=(N_RESAMPLES, len(counts)))
    resampled = _figures(counts[draws].sum(axis=1).T)
    names = ["precision", "recall", "f1", "speaker_accuracy", "role_accuracy", "side_accuracy"]
    result = {
        "n_passages": len(counts), "n_gold": int(counts[:, 0].sum()),
        "n_predicted": int(counts[:, 1].sum()), "n_matched": int(counts[:, 2].sum()),
    }
    for name, value, samples in zip(names, point, resampled):
        low, high = np.nanpercentile(samples, [2.5, 97.5]) if np.isfinite(samples).any() else (np.nan, np.nan)
        result[name] = None if np.isnan(value) else round(float(value), 4)
        result[f"{name}_ci"] = [None if np.isnan(low) else round(float(low), 4),
                                None if np.isnan(high) else round(float(high), 4)]
    return result


def evaluate(gold_path: GoldPaths | None = None) -> dict:
    """Score the quote extractor against a gold file (the shipped dev set by default), or against
    several scored as one set (e.g. every held-out part: :data:`POOLED_HELDOUT`).

    Returns
    -------
    dict
        JSON-serialisable: ``gold`` (file name), ``overall``, ``strict_spans`` (precision,
        recall, F1 and intervals when spans must overlap by :data:`MIN_STRICT_OVERLAP` of the
        longer one), ``by_style`` (style -> figures) and
        ``by_kind`` (``direct``/``reported`` -> figures; precision counts predictions of that kind,
        speaker/role/side on the gold quotes of that kind). Each figures block has ``n_passages``,
        ``n_gold``, ``n_predicted``, ``n_matched``, ``precision``, ``recall``, ``f1``,
        ``speaker_accuracy``, ``role_accuracy``, ``side_accuracy`` (null when undefined) and, for
        each, ``<name>_ci`` = [low, high] (95% bootstrap over passages).
    """
    return _result(_gold_name(gold_path), _passage_counts(gold_path))


def evaluate_shipped() -> dict[str, dict]:
    """:func:`evaluate` of every shipped part (:data:`PARTS`) and of the held-out parts pooled
    (:data:`POOLED_HELDOUT`), running the extractor once per part.

    The pooled result scores the held-out parts' passages together, in passage-id order as
    :func:`load_gold` orders several files (the bootstrap resamples by position): the same as
    :func:`evaluate` of their paths together.
    """
    counts = {part: _passage_counts(shipped_gold_path(part)) for part in PARTS}
    results = {part: _result(_gold_name(shipped_gold_path(part)), counts[part]) for part in PARTS}
    pooled_name = _gold_name([shipped_gold_path(part) for part in HELDOUT_PARTS])
    pooled = sorted((c for part in HELDOUT_PARTS for c in counts[part]), key=lambda c: c.passage_id)
    results[POOLED_HELDOUT] = _result(pooled_name, pooled)
    return results


def _passage_counts(gold_path: GoldPaths | None) -> list[_PassageCounts]:
    """Per passage of the gold set, the extractor's counts against it."""
    passages, gold = load_gold(gold_path)
    predicted, texts = predict(passages)
    return _count(passages, gold, predicted, texts)[0]


def _result(gold_name: str, counts: list[_PassageCounts]) -> dict:
    """:func:`evaluate`'s result from the per-passage counts of a gold set named ``gold_name``."""
    rng = np.random.default_rng(SEED)
    table = np.array(
        [[c.gold, c.predicted, c.matched, c.matched, c.speaker, c.role, c.side] for c in counts]
    )
    styles = np.array([c.style for c in counts])
    by_kind = {}
    for kind in ("direct", "reported"):
        kind_rows = np.array([[*c.by_kind[kind], 0, 0] for c in counts])
        figures = _summarise(kind_rows, rng)
        for name in ("role_accuracy", "side_accuracy"):  # not counted per kind
            figures.pop(name), figures.pop(f"{name}_ci")
        by_kind[kind] = figures
    strict_rows = np.array([[c.gold, c.predicted, c.strict_matched, c.strict_matched, 0, 0, 0]
                            for c in counts])
    strict = _summarise(strict_rows, rng)
    return {
        "gold": gold_name,
        "overall": _summarise(table, rng),
        "strict_spans": {k: strict[k] for k in ("n_passages", "n_gold", "n_predicted", "n_matched", "precision",
                                                "precision_ci", "recall", "recall_ci", "f1", "f1_ci")},
        "by_style": {style: _summarise(table[styles == style], rng) for style in sorted(set(styles))},
        "by_kind": by_kind,
    }


def _gold_name(gold_path: GoldPaths | None) -> str:
    """The gold set's name in a result: the file's folder and name, joined by "+" for several."""
    if gold_path is None:
        return "shipped dev set"
    if _several(gold_path):
        return " + ".join(_gold_name(path) for path in gold_path)
    path = Path(gold_path)
    return f"{path.parent.name}/{path.name}"


def errors(gold_path: GoldPaths | None = None) -> pd.DataFrame:
    """Every gold quote with the prediction matched to it, then every unmatched prediction.

    Returns
    -------
    pandas.DataFrame
        ``passage_id``, ``quote_id`` (null for an unmatched prediction), ``kind``, ``gold_text``,
        ``gold_speaker``, ``gold_role``, ``predicted_text``, ``predicted_speaker``,
        ``predicted_role``, ``speaker_ok`` (bool).
    """
    passages, gold = load_gold(gold_path)
    predicted, texts = predict(passages)
    return _count(passages, gold, predicted, texts)[1]


def summary_frame(result: dict) -> pd.DataFrame:
    """One row per group (``overall``, ``overall:strict_spans``, ``style:<name>``,
    ``kind:<name>``) of :func:`evaluate`'s result.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS`: counts, the figures, and the 95% interval of F1 and of
        speaker accuracy.
    """
    groups = [("overall", result["overall"]), ("overall:strict_spans", result["strict_spans"])]
    groups += [(f"style:{s}", f) for s, f in result["by_style"].items()]
    groups += [(f"kind:{k}", f) for k, f in result["by_kind"].items()]
    rows = []
    for name, figures in groups:
        rows.append({
            "group": name, **{c: figures.get(c) for c in SUMMARY_COLUMNS[1:11]},
            "f1_low": figures["f1_ci"][0], "f1_high": figures["f1_ci"][1],
            "speaker_low": figures.get("speaker_accuracy_ci", [None, None])[0],
            "speaker_high": figures.get("speaker_accuracy_ci", [None, None])[1],
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
