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

import pandas as pd

from kursk_utils.contracts import require_columns
from kursk_utils.quotes import sentence_speakers

NARRATOR = "narrator (no attributed speaker)"
UNATTRIBUTED = "unattributed"
SOLDIER_ROLE = "soldier"
VOICE_SEPARATOR = "; "
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
    return quotes["frames"].fillna("").str.split(" ").map(lambda frames: frame in frames)


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
    joined = per_speaker.groupby(_KEY, sort=True).agg(
        speaker=("speaker", lambda s: VOICE_SEPARATOR.join(dict.fromkeys(s))),
        role=("role", lambda s: VOICE_SEPARATOR.join(dict.fromkeys(s))),
    )
    return joined.reset_index()


def with_voices(rows: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (with ``doc_id``, ``sentence_id``) with the ``speaker`` and ``role`` of each
    sentence (:func:`sentence_voices`; :data:`NARRATOR` for both outside quotes), sorted by key."""
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
        "detail": "; ".join(
            f"{doc_id}: {', '.join(f for f in frames if present.at[doc_id, f]) or 'none'}"
            for doc_id in present.index
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
