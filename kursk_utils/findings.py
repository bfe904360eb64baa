"""What the notebooks, figures and report say about a corpus, computed in one place.

The analysis stages (:mod:`kursk_utils.stages`) write the tables; this module reads them to say
who speaks in each sentence, which frames an article has and in what share of its sentences,
which passages voice distrust of US support and who voices them, and the run's headline findings.
Figures (:mod:`kursk_utils.viz`), the report (:mod:`kursk_utils.report`) and the notebooks call
these functions instead of repeating them.

Conventions decided here
    - Text outside any quote is the narrator's: :data:`NARRATOR`. A quote whose speaker (or role)
      was not found is :data:`UNATTRIBUTED`.
    - Frames are in codebook order: the order of the frame columns that
      :func:`kursk_utils.framing.frames_by_document` writes (:func:`frame_ids`).
    - A frame's share of an article is the share of its sentences with the frame, as
      ``frames_by_document`` stores it in ``<frame>_score`` (:func:`frame_shares`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from kursk_utils.contracts import require_columns
from kursk_utils.quotes import sentence_speakers
from kursk_utils.study import ALL_ARTICLES, DUPLICATE, MIN_GROUP_ARTICLES, wilson_interval

NARRATOR = "narrator (no attributed speaker)"
UNATTRIBUTED = "unattributed"
SOLDIER_ROLE = "soldier"
VOICE_SEPARATOR = "; "
# ingest_manifest statuses of inputs left out (a whole file, or one record or sidecar row)
SKIPPED_STATUSES = ("skipped", "skipped_record")
_KEY = ["doc_id", "sentence_id"]


def frame_ids(frames_by_document: pd.DataFrame) -> list[str]:
    """The frame ids of ``frames_by_document`` (columns ``f`` that have ``f_score``), in codebook order."""
    columns = set(frames_by_document.columns)
    return [c for c in frames_by_document.columns if f"{c}_score" in columns]


def require_frames(frames: Iterable[str], known: Iterable[str]) -> None:
    """Raise a ValueError naming the frames in the data if any of ``frames`` is not ``known``."""
    known = list(known)
    unknown = sorted(set(frames) - set(known))
    if unknown:
        raise ValueError(f"unknown frame id(s) {unknown}; frames in the data: {known}")


def frame_shares(frames_by_document: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentences with each frame per article, and their share of the article's sentences.

    Parameters
    ----------
    frames_by_document : pandas.DataFrame
        ``doc_id``, ``<frame>_sentences`` and ``<frame>_score`` per frame id.

    Returns
    -------
    (counts, shares) : pandas.DataFrame
        Indexed by ``doc_id`` (sorted), one column per frame id in codebook order: the number of
        sentences with the frame (int64) and their share of the article's sentences (float64, 0
        for an article without sentences).
    """
    frames = frame_ids(frames_by_document)
    require_columns(frames_by_document, ["doc_id", *(f"{f}_sentences" for f in frames)],
                    "frames_by_document")
    table = frames_by_document.set_index("doc_id").sort_index()
    counts = table[[f"{f}_sentences" for f in frames]].set_axis(frames, axis=1)
    shares = table[[f"{f}_score" for f in frames]].set_axis(frames, axis=1)
    return counts, shares


def quotes_with_frame(quotes: pd.DataFrame, frame: str) -> pd.Series:
    """Boolean mask of the ``quotes`` whose space-separated ``frames`` include ``frame``."""
    # bool even when empty: an empty object Series would index columns, not rows
    return quotes["frames"].fillna("").str.split(" ").map(lambda frames: frame in frames).astype(bool)


def sentence_voices(quotes: pd.DataFrame) -> pd.DataFrame:
    """Who speaks in each sentence covered by a quote: one row per sentence.

    Parameters
    ----------
    quotes : pandas.DataFrame
        The ``quotes`` table (``doc_id``, ``sentence_ids``, ``speaker``, ``role``, ``kind``).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``sentence_id`` and the distinct ``speaker`` and ``role`` values of the
        sentence's rows of :func:`kursk_utils.quotes.sentence_speakers` joined by
        :data:`VOICE_SEPARATOR` (:data:`UNATTRIBUTED` for a quote without speaker or role),
        sorted by key. Sentences not in the table are the narrator's (:data:`NARRATOR`).
    """
    per_speaker = sentence_speakers(quotes).fillna({"speaker": UNATTRIBUTED, "role": UNATTRIBUTED})
    voices = per_speaker[_KEY].drop_duplicates().reset_index(drop=True)
    for column in ("speaker", "role"):
        # distinct values in order of appearance; only the few sentences with several are joined
        distinct = per_speaker[[*_KEY, column]].drop_duplicates()
        several = distinct.duplicated(_KEY, keep=False)
        joined = distinct[several].groupby(_KEY, sort=False)[column].agg(VOICE_SEPARATOR.join).reset_index()
        voices = voices.merge(pd.concat([distinct[~several], joined]), on=_KEY, how="left", validate="1:1")
    return voices.sort_values(_KEY).reset_index(drop=True)


def with_voices(rows: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (with ``doc_id``, ``sentence_id``) with the ``speaker`` and ``role`` of each
    sentence (:func:`sentence_voices`; :data:`NARRATOR` for both outside quotes), sorted by key."""
    quotes = quotes[quotes["doc_id"].isin(rows["doc_id"].unique())]  # only these articles' voices
    voiced = rows.merge(sentence_voices(quotes), on=_KEY, how="left").sort_values(_KEY)
    return voiced.fillna({"speaker": NARRATOR, "role": NARRATOR}).reset_index(drop=True)


def voice_counts(voiced: pd.DataFrame) -> pd.Series:
    """Sentences per role in ``voiced`` (from :func:`with_voices`); a sentence with several roles
    counts for each. Most frequent first, ties by role name."""
    counts = voiced["role"].str.split(VOICE_SEPARATOR).explode().value_counts()
    return counts.sort_index().sort_values(ascending=False, kind="stable")


def frame_and_role_counts(
    documents: pd.DataFrame,
    frames_by_sentence: pd.DataFrame,
    quotes: pd.DataFrame,
    frames: Sequence[str],
    roles: Sequence[str],
) -> pd.DataFrame:
    """Per article: sentences with each of ``frames`` and quotes by each of ``roles``.

    Returns
    -------
    pandas.DataFrame
        ``doc_id`` (in ``documents`` order), ``<frame>_sentences`` per frame and
        ``<role>_quotes`` per role (int64).
    """
    doc_ids = documents["doc_id"]
    columns = {
        f"{frame}_sentences": frames_by_sentence[frames_by_sentence["frame"] == frame]
        .groupby("doc_id").size().reindex(doc_ids, fill_value=0)
        for frame in frames
    } | {
        f"{role}_quotes": quotes[quotes["role"] == role].groupby("doc_id").size()
        .reindex(doc_ids, fill_value=0)
        for role in roles
    }
    return pd.DataFrame(columns).reset_index()


def distrust_passages(
    tables: Mapping[str, pd.DataFrame], frame: str, us_group: str = "us"
) -> pd.DataFrame:
    """The sentences with ``frame`` (e.g. distrust of US support), who voices them and their tone.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        ``frames_by_sentence``, ``quotes``, ``actor_mentions``, ``sentence_sentiment`` and
        ``sentences`` (see docs/architecture.md).
    frame : str
        The frame id.
    us_group : str
        The actor group whose mentions are the US.

    Returns
    -------
    pandas.DataFrame
        One row per sentence with the frame, sorted by key: ``doc_id``, ``sentence_id``,
        ``speaker``, ``role`` (:func:`with_voices`), ``us_mentions`` (aliases, ``", "``-joined,
        null without a mention), ``compound_toward_us`` (mean compound of those mentions),
        ``compound`` (the sentence's) and ``text``.
    """
    fbs = tables["frames_by_sentence"]
    passages = with_voices(fbs[fbs["frame"] == frame][_KEY].drop_duplicates(), tables["quotes"])
    mentions = tables["actor_mentions"]
    toward_us = (mentions[mentions["group"] == us_group].groupby(_KEY)
                 .agg(us_mentions=("alias", ", ".join), compound_toward_us=("compound", "mean"))
                 .reset_index())
    passages = (passages.merge(toward_us, on=_KEY, how="left")
                .merge(tables["sentence_sentiment"][[*_KEY, "compound"]], on=_KEY, how="left")
                .merge(tables["sentences"][[*_KEY, "text"]], on=_KEY, how="left"))
    return passages[[*_KEY, "speaker", "role", "us_mentions", "compound_toward_us", "compound",
                     "text"]]


def passages_by_role(passages: pd.DataFrame) -> pd.DataFrame:
    """Per role of :func:`distrust_passages`: ``n_passages``, ``mean_compound_toward_us``,
    ``mean_sentence_compound``."""
    return passages.groupby("role").agg(
        n_passages=("sentence_id", "size"),
        mean_compound_toward_us=("compound_toward_us", "mean"),
        mean_sentence_compound=("compound", "mean"),
    ).reset_index()


def skipped_frame(parameter: str) -> str:
    """What a section says when its frame parameter is None (the codebook has no such frame)."""
    return f"skipped: no frame chosen ({parameter} is None; the codebook has no such frame)"


def headline_findings(
    tables: Mapping[str, pd.DataFrame], frustration_frame: str | None, distrust_frame: str | None
) -> pd.DataFrame:
    """Summarise the run in three findings, each with the ids of the rows behind it.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        ``documents``, ``frames_by_document``, ``frames_by_sentence`` and ``quotes`` (see
        docs/architecture.md), e.g. from :func:`kursk_utils.viz.load_tables`.
    frustration_frame, distrust_frame : str or None
        Codebook frame ids standing for frustration and for distrust of US support; None skips
        that finding (its ``value`` says so, :func:`skipped_frame`).

    Returns
    -------
    DataFrame
        Columns ``finding`` (``frames per article``, ``soldier frustration``,
        ``distrust of US support``), ``value`` (one-line statement), ``detail`` (per-article
        breakdown, ``"; "``-separated) and ``evidence`` (space-separated keys:
        ``doc_id`` for frames, ``doc_id#quote_id`` for quotes, ``doc_id#sentence_id`` for
        sentences).
    """
    missing = sorted({"documents", "frames_by_document", "frames_by_sentence", "quotes"} - set(tables))
    if missing:
        raise ValueError(f"headline findings need the table(s) {missing}")
    documents = tables["documents"].sort_values("doc_id")
    by_document = tables["frames_by_document"].sort_values("doc_id")
    frames = frame_ids(by_document)
    require_frames([f for f in (frustration_frame, distrust_frame) if f is not None], frames)
    n_docs = len(documents)

    present = by_document.set_index("doc_id")[frames].astype(bool)
    per_article = present.sum(axis=1)
    frames_row = {
        "finding": "frames per article",
        "value": (
            f"{per_article.mean():.1f} of {len(frames)} frames per article on average "
            f"(range {per_article.min()}–{per_article.max()}, {n_docs} articles)"
            if n_docs else "no articles"
        ),
        "detail": "; ".join(  # rows as numpy: a label lookup per cell is slow at 10,000 articles
            f"{doc_id}: {', '.join(f for f, has in zip(frames, row, strict=True) if has) or 'none'}"
            for doc_id, row in zip(present.index, present.to_numpy(), strict=True)
        ),
        "evidence": " ".join(present.index),
    }

    quotes = tables["quotes"].sort_values(["doc_id", "quote_id"])
    skipped = {"detail": "", "evidence": ""}
    if frustration_frame is None:
        frustration_row = {"finding": "soldier frustration", "value": skipped_frame("frustration_frame"), **skipped}
    else:
        frustration_row = _frustration_row(quotes, frustration_frame, n_docs)
    if distrust_frame is None:
        distrust_row = {"finding": "distrust of US support", "value": skipped_frame("distrust_frame"), **skipped}
    else:
        distrust_row = _distrust_row(tables["frames_by_sentence"], quotes, distrust_frame, n_docs)
    return pd.DataFrame([frames_row, frustration_row, distrust_row], dtype="str")


def _frustration_row(quotes: pd.DataFrame, frustration_frame: str, n_docs: int) -> dict[str, str]:
    soldier = quotes[quotes["role"] == SOLDIER_ROLE]
    frustrated = soldier[quotes_with_frame(soldier, frustration_frame)]
    return {
        "finding": "soldier frustration",
        "value": (
            f"{len(frustrated)} of {len(soldier)} soldier quotes carry '{frustration_frame}'"
            f"{f' ({len(frustrated) / len(soldier):.0%})' if len(soldier) else ''}, "
            f"in {frustrated['doc_id'].nunique()} of {n_docs} articles"
        ),
        "detail": "; ".join(f"{d}: {n}" for d, n in frustrated.groupby("doc_id").size().items()),
        "evidence": " ".join(
            f"{d}#{q}" for d, q in zip(frustrated["doc_id"], frustrated["quote_id"], strict=True)
        ),
    }


def _distrust_row(fbs: pd.DataFrame, quotes: pd.DataFrame, distrust_frame: str, n_docs: int) -> dict[str, str]:
    distrust = with_voices(fbs[fbs["frame"] == distrust_frame][_KEY].drop_duplicates(), quotes)
    voices = voice_counts(distrust)
    return {
        "finding": "distrust of US support",
        "value": (
            f"'{distrust_frame}' in {distrust['doc_id'].nunique()} of {n_docs} articles "
            f"({len(distrust)} sentences); voiced by "
            + (", ".join(f"{role} {n}" for role, n in voices.items()) or "nobody")
        ),
        "detail": "; ".join(f"{d}: {n}" for d, n in distrust.groupby("doc_id").size().items()),
        "evidence": " ".join(
            f"{d}#{s}" for d, s in zip(distrust["doc_id"], distrust["sentence_id"], strict=True)
        ),
    }


# --- what a reader is told: article labels, evidence, and "what this shows" sentences -------------


def article_labels(documents: pd.DataFrame) -> pd.Series:
    """How a reader is shown each article: its title, else its source file name (never its id).

    Parameters
    ----------
    documents : pandas.DataFrame
        ``doc_id``, ``title``, ``source_path`` and optionally ``source_row`` (tabular inputs).

    Returns
    -------
    pandas.Series
        Indexed by ``doc_id``: the stripped title when it has text, else the file name of
        ``source_path`` (with ``", row N"`` for a record of a tabular file).
    """
    require_columns(documents, ["doc_id", "title", "source_path"], "documents")
    rows = documents.get("source_row", pd.Series(pd.NA, index=documents.index))
    labels = []
    for title, path, row in zip(documents["title"], documents["source_path"], rows, strict=True):
        title = "" if pd.isna(title) else str(title).strip()
        name = str(path).rsplit("/", 1)[-1]
        labels.append(title or (name if pd.isna(row) else f"{name}, row {row}"))
    return pd.Series(labels, index=documents["doc_id"].to_numpy(), dtype="str", name="article")


EVIDENCE_COLUMNS = ["doc_id", "sentence_id", "score", "n_frame_sentences", "text", "speaker", "role",
                    "article", "outlet", "published", "url"]


def _counted_frame_rows(frames_by_sentence: pd.DataFrame, documents: pd.DataFrame, frame: str
                        ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows of ``frame`` in articles that are not copies, those articles of ``documents``)."""
    require_columns(frames_by_sentence, [*_KEY, "frame", "score"], "frames_by_sentence")
    originals = documents
    if "duplicate_of" in documents.columns:
        originals = documents[documents["duplicate_of"].isna()]
    rows = frames_by_sentence[(frames_by_sentence["frame"] == frame)
                              & frames_by_sentence["doc_id"].isin(originals["doc_id"])]
    return rows, originals


def frame_reach(frames_by_sentence: pd.DataFrame, documents: pd.DataFrame, frame: str) -> tuple[int, int]:
    """(sentences, articles) with ``frame``, copies (``duplicate_of`` not null) left out."""
    rows, _ = _counted_frame_rows(frames_by_sentence, documents, frame)
    return len(rows), rows["doc_id"].nunique()


def strongest_evidence(
    frames_by_sentence: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    quotes: pd.DataFrame,
    frame: str,
) -> pd.DataFrame:
    """The strongest sentences with ``frame``, each text once and each article once, with who says
    it and where.

    Distinct texts from distinct articles, so a reader sees the frame across articles rather than
    one long article or one sentence that many articles repeat (a wire quote); copies
    (``duplicate_of`` not null) are left out, as in the study tables.

    Parameters
    ----------
    frames_by_sentence, sentences, documents, quotes : pandas.DataFrame
        The pipeline's tables (docs/architecture.md); ``documents`` may lack ``outlet``,
        ``published``, ``url`` and ``duplicate_of``.
    frame : str
        The frame id.

    Returns
    -------
    pandas.DataFrame
        :data:`EVIDENCE_COLUMNS`: ``doc_id``, ``sentence_id``, ``score`` (the frame's score of the
        sentence), ``n_frame_sentences`` (the article's sentences with the frame), ``text`` (the
        sentence in full), ``speaker`` and ``role`` (:func:`with_voices`), ``article``
        (:func:`article_labels`), ``outlet``, ``published``, ``url`` (null when absent). Sorted by
        score (highest first), then ``doc_id``, ``sentence_id``; a text is kept at its first row
        in that order, then an article at its first remaining row.
    """
    rows, originals = _counted_frame_rows(frames_by_sentence, documents, frame)
    per_article = rows.groupby("doc_id").size().rename("n_frame_sentences")
    order = ["score", *_KEY]
    best = (rows[[*_KEY, "score"]].merge(sentences[[*_KEY, "text"]], on=_KEY, how="left")
            .sort_values(order, ascending=[False, True, True], kind="stable")
            .drop_duplicates("text").drop_duplicates("doc_id"))
    best = with_voices(best, quotes).merge(per_article, on="doc_id")
    meta = pd.DataFrame({"doc_id": originals["doc_id"].to_numpy(),
                         "article": article_labels(originals).to_numpy()})
    for column in ("outlet", "published", "url"):
        meta[column] = (originals[column].to_numpy() if column in originals.columns
                        else pd.Series(None, index=meta.index, dtype="object"))
    best = best.merge(meta, on="doc_id", how="left")
    best = best.sort_values(order, ascending=[False, True, True], kind="stable")
    return best[EVIDENCE_COLUMNS].reset_index(drop=True)


def _plural(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def _share(n: int, total: int) -> str:
    return f"{n / total:.0%}" if total else "no"


def corpus_summary(documents: pd.DataFrame, ingest_manifest: pd.DataFrame | None = None) -> list[str]:
    """What the corpus is, in a few sentences: articles, outlets, dates, skipped inputs, copies.

    Parameters
    ----------
    documents : pandas.DataFrame
        ``doc_id``; ``outlet``, ``published``, ``duplicate_kind`` are used when present.
    ingest_manifest : pandas.DataFrame, optional
        ``status`` and ``reason`` per input file (and skipped record).

    Returns
    -------
    list of str
        Sentences, in reading order.
    """
    n_docs = len(documents)
    lines = []
    outlets = (documents["outlet"].dropna().astype(str).str.strip().replace("", pd.NA).dropna()
               if "outlet" in documents.columns else pd.Series(dtype="str"))
    outlet_text = (f"from {_plural(outlets.nunique(), 'outlet')}"
                   + (f" ({n_docs - len(outlets):,} without an outlet)" if 0 < len(outlets) < n_docs else "")
                   if len(outlets) else "with no outlet recorded")
    lines.append(f"{_plural(n_docs, 'article')} {outlet_text}.")
    dates = (documents["published"].dropna().astype(str).str.extract(r"^\s*(\d{4}-\d{2}-\d{2})")[0].dropna()
             if "published" in documents.columns else pd.Series(dtype="str"))
    if len(dates):
        lines.append(f"Published from {dates.min()} to {dates.max()}"
                     + (f" ({n_docs - len(dates):,} without a date)." if len(dates) < n_docs else "."))
    else:
        lines.append("No publication dates recorded: no timeline.")
    if ingest_manifest is not None and len(ingest_manifest):
        # not skipped: records ingested with a warning and the metadata sidecar's own row
        skipped = ingest_manifest[ingest_manifest["status"].isin(SKIPPED_STATUSES)]
        if len(skipped):
            reasons = skipped["reason"].fillna("no reason recorded").value_counts()
            reasons = reasons.sort_index().sort_values(ascending=False, kind="stable")
            shown = "; ".join(f"{reason} ({n:,})" for reason, n in reasons.head(3).items())
            more = f"; {len(reasons) - 3:,} other reasons" if len(reasons) > 3 else ""
            lines.append(f"{_plural(len(skipped), 'input')} skipped: {shown}{more}.")
        else:
            n_read = int((ingest_manifest["status"] == "ingested").sum())
            lines.append(f"All {_plural(n_read, 'input file')} read; none skipped.")
    if "duplicate_kind" in documents.columns:
        kinds = documents["duplicate_kind"].value_counts()
        n_copies = int(kinds.sum())
        if n_copies:
            named = {"exact": "exact", "near": "near", "contained": "inside a longer article"}
            how = ", ".join(f"{int(kinds[kind]):,} {name}" for kind, name in named.items() if kinds.get(kind, 0))
            lines.append(f"{_plural(n_copies, 'article')} {'is a copy' if n_copies == 1 else 'are copies'} "
                         f"of another ({how}): counted once in the comparisons.")
        else:
            lines.append("No duplicate articles.")
    return lines


def sentiment_summary(document_sentiment: pd.DataFrame, actor_sentiment: pd.DataFrame) -> list[str]:
    """What the sentiment tables show, in a few sentences: tone of the articles, most and least
    favourably treated actors (with the sentences behind them).

    Parameters
    ----------
    document_sentiment : pandas.DataFrame
        ``doc_id``, ``n_sentences``, ``mean_compound``.
    actor_sentiment : pandas.DataFrame
        ``actor_name``, ``doc_id`` (``"*"`` for the corpus rows), ``n_sentences``, ``mean_compound``.

    Returns
    -------
    list of str
    """
    lines = []
    n_docs = len(document_sentiment)
    if n_docs:
        negative = int((document_sentiment["mean_compound"] <= -0.05).sum())
        positive = int((document_sentiment["mean_compound"] >= 0.05).sum())
        lines.append(
            f"Of {_plural(n_docs, 'article')}, {negative:,} ({_share(negative, n_docs)}) are negative on "
            f"average and {positive:,} ({_share(positive, n_docs)}) positive (mean sentence compound "
            f"beyond ±0.05; {int(document_sentiment['n_sentences'].sum()):,} sentences).")
    corpus = actor_sentiment[actor_sentiment["doc_id"] == "*"]
    if corpus.empty:
        lines.append("No actor of the gazetteer is mentioned, so there is no sentiment toward actors.")
        return lines
    # Only actors with enough sentences to say anything, so one stray sentence does not lead.
    solid = corpus[corpus["n_sentences"] >= 3].sort_values(["mean_compound", "actor_name"])
    lines.append(f"{_plural(len(corpus), 'actor')} mentioned; {len(solid):,} in 3 sentences or more.")
    if len(solid) >= 2:
        low, high = solid.iloc[0], solid.iloc[-1]
        lines.append(f"Most negative context: {low['actor_name']} (mean {low['mean_compound']:+.2f} over "
                     f"{int(low['n_sentences']):,} sentences); most positive: {high['actor_name']} (mean "
                     f"{high['mean_compound']:+.2f} over {int(high['n_sentences']):,} sentences).")
    return lines


def framing_summary(
    frames_by_document: pd.DataFrame, labels: Mapping[str, str], focus: Sequence[str] = ()
) -> list[str]:
    """What the frame tables show, before the study stage: :func:`prevalence_sentences` over every
    article of ``frames_by_document`` (copies included), then how many articles have no frame.

    Parameters
    ----------
    frames_by_document : pandas.DataFrame
        ``doc_id`` and a 0/1 column per frame id (with ``<frame>_score``).
    labels : mapping of str to str
        Frame id to its codebook label.
    focus : sequence of str
        Frame ids the study is about (e.g. soldier frustration, distrust of US support).

    Returns
    -------
    list of str
    """
    frames = frame_ids(frames_by_document)
    present = frames_by_document[frames].to_numpy() > 0
    n_docs = len(present)
    # The all-articles rows of a frame_prevalence table, with the same Wilson intervals.
    n_with = present.sum(axis=0)
    low, high = wilson_interval(n_with, np.full(len(frames), n_docs))
    overall = pd.DataFrame({"group": ALL_ARTICLES, "frame": frames, "n_articles": n_docs,
                            "n_with_frame": n_with, "share": n_with / n_docs if n_docs else np.nan,
                            "ci_low": low, "ci_high": high})
    lines = prevalence_sentences(overall, labels, focus)
    if n_docs:
        none = int((~present.any(axis=1)).sum())
        lines.append(f"{none:,} of the {_plural(n_docs, 'article')} {'has' if none == 1 else 'have'} no frame."
                     if none else "Every article has at least one frame.")
    return lines


# The annotated sets a validity statement reads, most honest first: the blind held-out sentences
# (never used to develop the detector; all parts pooled, else the newest and largest part), else the blind
# development sets, else the older synthetic challenge set; beside the seed articles' sentences.
OTHER_STYLE_DATASETS = ("blind_heldout_pooled", "blind_heldout10", "blind_heldout9", "blind_heldout8",
                        "blind_heldout7", "blind_heldout6", "blind_heldout5", "blind_heldout4", "blind_heldout3",
                        "blind_heldout2", "blind_heldout", "blind_dev18", "blind_dev17", "blind_dev16",
                        "blind_dev15", "blind_dev14", "blind_dev13", "blind_dev12", "blind_dev11", "blind_dev10",
                        "blind_dev9", "blind_dev8", "blind_dev5", "blind_dev4", "blind_dev3", "blind_dev2", "blind_dev",
                        "challenge")


def _other_styles(framing_result: Mapping) -> str | None:
    figures = framing_result.get("figures", {})
    return next((name for name in OTHER_STYLE_DATASETS if "sentence" in figures.get(name, {})), None)


def validation_rows(framing_result: Mapping, frames: Sequence[str]) -> pd.DataFrame:
    """Each frame's measured precision and recall from a ``kursk validate framing --json`` result.

    Parameters
    ----------
    framing_result : mapping
        :func:`kursk_utils.validation.framing.evaluate`'s result (as ``05_validate`` writes it to
        ``output_dir/validation/framing.json``): ``figures[dataset][level][frame][metric]``.
    frames : sequence of str
        The frame ids to report, in this order (frames the result lacks are left out).

    Returns
    -------
    pandas.DataFrame
        ``frame``; ``seed_precision``, ``seed_recall``, ``seed_support`` (annotated sentences of
        the seed articles), ``seed_predicted``; the same with ``challenge_`` for sentences in other
        outlets' styles (the first of :data:`OTHER_STYLE_DATASETS` in the result), and
        ``challenge_dataset`` naming it.
    """
    figures = framing_result.get("figures", {})
    other = _other_styles(framing_result)
    rows = []
    for frame in frames:
        row = {"frame": frame, "challenge_dataset": other}
        for prefix, dataset in (("seed", "seed"), ("challenge", other)):
            values = figures.get(dataset, {}).get("sentence", {}).get(frame)
            if values is None:
                break
            row |= {f"{prefix}_{k}": values[k] for k in ("precision", "recall", "support", "predicted")}
        else:
            rows.append(row)
    columns = ["frame"] + [f"{d}_{k}" for d in ("seed", "challenge")
                           for k in ("precision", "recall", "support", "predicted")] + ["challenge_dataset"]
    return pd.DataFrame(rows, columns=columns)


def validity_sentences(row: Mapping, label: str) -> list[str]:
    """Plain-language reading of one row of :func:`validation_rows`: one sentence."""
    return [
        f"{label}: of the sentences the detector marks, {row['seed_precision']:.0%} on the four "
        f"annotated seed articles ({_plural(int(row['seed_predicted']), 'sentence')}) and "
        f"{row['challenge_precision']:.0%} on sentences in other outlets' styles "
        f"({_plural(int(row['challenge_predicted']), 'sentence')}) were marked so by a person too "
        f"(precision); of the sentences the person marked "
        f"({int(row['seed_support']):,} and {int(row['challenge_support']):,}), it finds "
        f"{row['seed_recall']:.0%} and {row['challenge_recall']:.0%} (recall)."
    ]


def frame_labels(codebook) -> dict[str, str]:
    """Frame id to its label, in codebook order (``codebook``: :class:`kursk_utils.framing.Codebook`)."""
    return {frame.id: frame.label for frame in codebook.frames}


def validation_summary(framing_result: Mapping, labels: Mapping[str, str], weakest: int = 3) -> list[str]:
    """What the frame validation shows: pooled precision and recall, and the weakest frames.

    Parameters
    ----------
    framing_result : mapping
        :func:`kursk_utils.validation.framing.evaluate`'s result.
    labels : mapping of str to str
        Frame id to its codebook label.
    weakest : int
        How many frames with the lowest F1 on the other outlets' styles to name.

    Returns
    -------
    list of str
    """
    figures = framing_result.get("figures", {})
    other = _other_styles(framing_result)
    lines = []
    for dataset, where in (("seed", "the annotated seed sentences"),
                           (other, f"sentences in other outlets' styles ({other})")):
        block = figures.get(dataset, {}).get("sentence")
        if block is None:
            continue
        micro = block["micro"]
        lines.append(f"On {where} ({micro['n']:,} sentences), {micro['precision']:.0%} of the "
                     f"frames the detector marks are right (precision) and it finds {micro['recall']:.0%} "
                     f"of those a person marked (recall), pooled over frames.")
    per_frame = {frame: values for frame, values in figures.get(other, {}).get("sentence", {}).items()
                 if frame not in ("micro", "macro")}
    ranked = sorted((values["f1"], frame) for frame, values in per_frame.items()
                    if values["support"] and values["f1"] is not None)
    if ranked:
        lines.append("Weakest on other styles (F1): " + ", ".join(
            f"{labels.get(frame, frame)} {f1:.2f}" for f1, frame in ranked[:weakest])
            + ". Shares of these frames are likely too low; read their evidence sentences.")
    return lines


def format_share(share: float) -> str:
    """A share as a percentage: whole percent, one decimal below 10% so small shares do not read 0%."""
    if pd.isna(share):
        return "n/a"
    return f"{share:.1%}" if 0 < share < 0.1 else f"{share:.0%}"


def share_text(n_with: int, n: int, share: float, low: float, high: float, unit: str) -> str:
    """A count with its share and the share's 95% interval, e.g. ``"3 of 12 articles (25%; 95%
    interval 8.9%–53%)"``; ``"no <unit>"`` when ``n`` is 0."""
    if n == 0:
        return f"no {unit}"
    return (f"{n_with:,} of {n:,} {unit} ({format_share(share)}; 95% interval "
            f"{format_share(low)}–{format_share(high)})")


def prevalence_sentences(prevalence: pd.DataFrame, labels: Mapping[str, str], focus: Sequence[str] = (),
                         top: int = 3) -> list[str]:
    """How often the frames appear, from the all-articles rows of a ``frame_prevalence`` table:
    the frames per article on average, the ``top`` most common frames, those in no article (or
    else the least common), and each ``focus`` frame; shares with n and 95% interval.

    The one builder of these sentences: ``04_visualize`` (:func:`study_summary`), the front page's
    "In brief" and ``03_framing`` (:func:`framing_summary`) all say them through it.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        :func:`kursk_utils.study.frame_prevalence` (``group``, ``frame``, ``n_articles``,
        ``n_with_frame``, ``share``, ``ci_low``, ``ci_high``; frames in codebook order).
    labels : mapping of str to str
        Frame id to its codebook label (ids stand in for missing labels).
    focus : sequence of str
        Frame ids the study is about, stated each on its own.
    top : int
        How many of the most common frames to name.

    Returns
    -------
    list of str
        Plain text (not markup).
    """
    overall = prevalence[prevalence["group"] == ALL_ARTICLES]
    n = int(overall["n_articles"].iat[0]) if len(overall) else 0
    if not n:
        return ["No article counts, so no frame is measured."]

    def found(row: Any) -> str:
        return share_text(row.n_with_frame, row.n_articles, row.share, row.ci_low, row.ci_high, "articles")

    lines = [f"On average an article has {overall['n_with_frame'].sum() / n:.1f} of the "
             f"{len(overall)} frames."]
    # Most common first; ties keep the codebook order.
    ranked = overall[overall["n_with_frame"] > 0].sort_values("n_with_frame", ascending=False, kind="stable")
    if ranked.empty:
        lines.append(f"No frame is found in any of the {_plural(n, 'article')}.")
    else:
        lines.append("Most common: " + "; ".join(f"{labels.get(r.frame, r.frame)}, in {found(r)}"
                                                 for r in ranked.head(top).itertuples()) + ".")
        absent = overall.loc[overall["n_with_frame"] == 0, "frame"]
        if len(absent):
            lines.append(f"In no article: {', '.join(labels.get(f, f) for f in absent)}.")
        elif len(ranked) > top:
            least = ranked.iloc[-1]
            lines.append(f"Least common: {labels.get(least.frame, least.frame)}, in {found(least)}.")
    by_frame = {row.frame: row for row in overall.itertuples()}
    lines += [f"{labels.get(frame, frame)}: in {found(by_frame[frame])}." for frame in focus if frame in by_frame]
    return lines


def _p_text(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.2g}"


def difference_sentences(prevalence: pd.DataFrame, differences: pd.DataFrame, labels: Mapping[str, str],
                         limit: int = 5) -> list[str]:
    """Whether the articles are compared by group, and the differences between groups that hold
    after correction (Fisher's exact test of each group against the others, Holm), each with the
    group's n and 95% interval from ``prevalence``.

    The one builder of these sentences, for ``04_visualize`` (:func:`study_summary`) and the front
    page.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        :func:`kursk_utils.study.frame_prevalence` (``group_by``, ``group``, ``frame``,
        ``ci_low``, ``ci_high``).
    differences : pandas.DataFrame
        :func:`kursk_utils.study.group_differences` of the same articles.
    labels : mapping of str to str
        Frame id to its codebook label.
    limit : int
        Most differences to state (smallest adjusted p first); the rest are counted.

    Returns
    -------
    list of str
        Empty when no article counts.
    """
    if prevalence.empty:
        return []
    group_by = prevalence["group_by"].dropna()
    groups = list(dict.fromkeys(prevalence.loc[prevalence["group"] != ALL_ARTICLES, "group"]))
    if group_by.empty:
        return ["Articles are not compared by group: they have no perspective or outlet (add a "
                "metadata file, or set the group_by parameter)."]
    group_by = str(group_by.iat[0])
    if len(groups) < 2:
        return [f"Articles are not compared by group: all are in one group of {group_by}, "
                f"{', '.join(groups)}."]
    tested = differences[~differences["too_small"]]
    method = (f"Fisher's exact test of each group against the others, Holm correction for "
              f"{_plural(len(tested), 'test')}")
    held = tested[tested["significant"]].sort_values(["p_adjusted", "frame", "group"], kind="stable")
    fisher = held[held["test"] == "fisher_exact"]
    # A chi-square over all groups that holds while no single group stands out is a difference too.
    overall_only = held[(held["test"] == "chi_square") & ~held["frame"].isin(fisher["frame"])]
    n_held = len(fisher) + len(overall_only)
    if tested.empty:
        lines = [f"No difference between the {len(groups)} groups of {group_by} could be tested (too few "
                 "articles, or each frame in all or none of them)."]
    elif not n_held:
        lines = [f"No frame's share differs between the {len(groups)} groups of {group_by} "
                 f"beyond chance ({method})."]
    else:
        lines = [f"{_plural(n_held, 'difference')} between the {len(groups)} groups of {group_by} "
                 f"{'holds' if n_held == 1 else 'hold'} after correction ({method}):"]
        intervals = prevalence.set_index(["frame", "group"])
        for row in [*fisher.itertuples(), *overall_only.itertuples()][:limit]:
            label = labels.get(row.frame, row.frame)
            if row.test == "chi_square":
                lines.append(f"{label}: its share differs across the groups taken together, though no "
                             f"single group stands out (chi-square, adjusted p {_p_text(row.p_adjusted)}).")
                continue
            cell = intervals.loc[(row.frame, row.group)]
            others = "the other groups" if len(groups) > 2 else next(g for g in groups if g != row.group)
            found = share_text(row.n_group_with, row.n_group, row.share_group, cell.ci_low, cell.ci_high,
                               f"articles of {row.group}")
            # int(): read back from disk, the counts are floats (the chi-square rows hold none)
            lines.append(f"{label}: in {found}, against {int(row.n_rest_with):,} of {int(row.n_rest):,} articles of "
                         f"{others} ({format_share(row.share_rest)}); adjusted p {_p_text(row.p_adjusted)}.")
        if n_held > limit:
            lines.append(f"… and {n_held - limit:,} more in the table group_differences.")
    small = differences.loc[(differences["test"] == "fisher_exact")
                            & differences["reason"].fillna("").str.startswith("group has"), "group"].nunique()
    if small:
        lines.append(f"{_plural(small, 'group')} {'has' if small == 1 else 'have'} too few articles to "
                     f"test (fewer than {MIN_GROUP_ARTICLES}).")
    return lines


def frame_findings(prevalence: pd.DataFrame, differences: pd.DataFrame | None, labels: Mapping[str, str],
                   focus: Sequence[str] = ()) -> list[str]:
    """What the study finds about frames: :func:`prevalence_sentences` then
    :func:`difference_sentences` (none without a ``group_differences`` table). The front page's
    "In brief" and ``04_visualize``'s :func:`study_summary` both say exactly these sentences."""
    lines = prevalence_sentences(prevalence, labels, focus)
    return lines + ([] if differences is None else difference_sentences(prevalence, differences, labels))


def study_summary(study_tables: Mapping[str, pd.DataFrame], labels: Mapping[str, str] | None = None,
                  focus: Sequence[str] = ()) -> list[str]:
    """What the study tables show, in a few plain sentences computed from them.

    Parameters
    ----------
    study_tables : mapping of str to DataFrame
        ``frame_prevalence``, ``frame_timeline``, ``voices_by_group``, ``group_differences`` and
        ``study_exclusions`` of :func:`kursk_utils.stages.compare`.
    labels : mapping of str to str, optional
        Frame id to its codebook label (:func:`frame_labels`); ids otherwise.
    focus : sequence of str
        Frame ids the study is about (the front page's: frustration and distrust frames).

    Returns
    -------
    list of str
        The counted articles; :func:`frame_findings` (what the front page's "In brief" says);
        the timeline's span; the soldier and official voices (n and 95% interval). Plain text
        (not markup): group names come from metadata.
    """
    labels = labels or {}
    prevalence = study_tables["frame_prevalence"]
    excluded = study_tables["study_exclusions"]
    # Copies are left out of every table; articles without a usable date only of the timeline.
    counts = dict(zip(excluded["reason"], excluded["n_articles"], strict=True))
    n_copies = int(counts.get(DUPLICATE, 0))
    left_out = f"; {_plural(n_copies, 'copy', 'copies')} of other articles left out" if n_copies else ""
    undated = sum(n for reason, n in counts.items() if reason != DUPLICATE)
    overall = prevalence[prevalence["group"] == ALL_ARTICLES]
    if overall.empty:
        return [f"No article counts, so there is nothing to compare{left_out}."]
    lines = [f"{_plural(int(overall['n_articles'].iat[0]), 'article')} counted{left_out}."]
    lines += frame_findings(prevalence, study_tables["group_differences"], labels, focus)
    periods = sorted(study_tables["frame_timeline"]["period"].unique())
    lines.append((f"Dated articles span {_plural(len(periods), 'period')}, from {periods[0]} to {periods[-1]}"
                  if periods else "No article has a usable publication date, so there is no timeline")
                 + (f" ({_plural(undated, 'article')} without one)." if undated and periods else "."))
    voices = study_tables["voices_by_group"]
    for row in voices[voices["group"] == ALL_ARTICLES].itertuples():
        label = labels.get(row.frame, row.frame)
        lines.append(f"Of the {row.voice} quotes, "
                     + (f"{share_text(row.n_with_frame, row.n_quotes, row.share, row.ci_low, row.ci_high, 'quotes')}"
                        f" carry {label}; they come from {_plural(row.n_articles, 'article')}."
                        if row.n_quotes else f"none was found, so none carries {label}."))
    return lines
