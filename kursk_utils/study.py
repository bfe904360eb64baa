"""Comparative study tables: frames, actors and voices by group (outlet, perspective, ...) and period.

Pure functions over the pipeline's tables (``documents``, ``frames_by_document``, ``quotes``,
``actor_mentions``); nothing is read or written here.

Choices that hold for every function:

- **Unit.** An article is the unit of the frame tables: a frame is present in an article when
  ``frames_by_document`` has 1 for it. Actor sentiment counts sentences (as in
  :func:`kursk_utils.actors.actor_sentiment`), voices count quotes.
- **Duplicates.** Copies (``documents.duplicate_of`` not null, exact or near) are left out by default,
  so a syndicated story counts once, in the group of its first copy. ``include_duplicates=True``
  counts every copy (for outlet comparisons where republishing is the outlet's own choice).
  :func:`study_articles` says, per article, whether and why it is left out; :func:`exclusions`
  counts the reasons.
- **Groups.** ``group_by`` names a ``documents`` column, or is None for no grouping. Missing or blank
  values form the group ``"(unknown)"``; every table also has rows over all counted articles, group
  ``"(all articles)"``. Groups are ordered ``"(all articles)"`` first, then by name, ``"(unknown)"``
  last.
- **Intervals.** Shares carry a 95% Wilson interval (statsmodels); means a Student-t interval
  (:func:`kursk_utils.actors.mean_interval`). A share over zero items is NaN, with NaN bounds.
- **Periods.** ``published`` must start with an ISO date ``YYYY-MM-DD`` (a time may follow; the date
  is taken as written, not converted between time zones). A period is named by its first day:
  the day, the Monday of the ISO week, or the first of the month.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from kursk_utils.actors import MENTION_COLUMNS, sentence_scores, summarize_actor
from kursk_utils.contracts import check_threshold, require_columns
from kursk_utils.sentiment import DEFAULT_THRESHOLD

# statsmodels and scipy.stats are imported where a test or interval is computed: importing them
# takes about a second, and every Dask worker imports this module (through kursk_utils.stages)
# without ever computing one.

ALL_ARTICLES = "(all articles)"
UNKNOWN_GROUP = "(unknown)"
ALL_GROUPS = "(all groups)"
DEFAULT_GROUP_COLUMNS = ("perspective", "outlet")
PERIODS = ("day", "week", "month")
LEVEL = 0.95

# Why an article is left out of the study tables (the ``excluded`` column of study_articles).
DUPLICATE = "duplicate"
PUBLISHED_MISSING = "published missing"
PUBLISHED_UNPARSEABLE = "published not an ISO date"

SOLDIER_ROLES = ("soldier",)
OFFICIAL_ROLES = ("ukrainian_official", "russian_official", "us_official")
FRUSTRATION_FRAME = "soldier_frustration"
REASSURANCE_FRAME = "official_reassurance"
MIN_GROUP_ARTICLES = 5
# Cochran's rule for the chi-square approximation: no expected count below 1, at most a fifth below 5.
MIN_EXPECTED = 1.0
SMALL_EXPECTED = 5.0
MAX_SHARE_SMALL_EXPECTED = 0.2

_ISO_DATE = re.compile(r"\s*(\d{4}-\d{2}-\d{2})(?:[T ]|$)")

STUDY_ARTICLE_COLUMNS = ["doc_id", "group", "period", "excluded"]
EXCLUSION_COLUMNS = ["reason", "n_articles"]
PREVALENCE_COLUMNS = ["group_by", "group", "frame", "n_articles", "n_with_frame", "share", "ci_low",
                      "ci_high"]
TIMELINE_COLUMNS = ["period", *PREVALENCE_COLUMNS]
COOCCURRENCE_COLUMNS = ["frame_a", "frame_b", "n_articles", "n_both", "n_a", "n_b", "jaccard", "lift"]
ACTOR_GROUP_COLUMNS = [
    "group_by", "group", "actor_id", "actor_name", "actor_group", "n_mentions", "n_sentences",
    "n_articles", "mean_compound", "ci_low", "ci_high", "share_negative", "share_positive",
    "most_negative_doc_id", "most_negative_sentence_id", "most_positive_doc_id",
    "most_positive_sentence_id",
]
VOICE_COLUMNS = ["group_by", "group", "voice", "frame", "n_quotes", "n_articles", "n_with_frame",
                 "share", "ci_low", "ci_high"]
DIFFERENCE_COLUMNS = [
    "group_by", "frame", "test", "group", "n_group", "n_group_with", "share_group", "n_rest",
    "n_rest_with", "share_rest", "odds_ratio", "chi2", "dof", "p_value", "p_adjusted",
    "significant", "too_small", "reason",
]

_INT = "int64"
_FLOAT = "float64"
_STR = "str"


# --- scope: which articles count, in which group and period ---------------------------------------


def resolve_group_by(documents: pd.DataFrame, group_by: str | None = None) -> str | None:
    """The ``documents`` column to group by.

    Parameters
    ----------
    documents : DataFrame
        The ``documents`` table (any columns; a metadata sidecar may add some).
    group_by : str or None
        A column name, checked to exist; None picks the default: ``perspective`` when the column
        has a value for some article, else ``outlet`` likewise, else None (no grouping).

    Returns
    -------
    str or None
        The column name, or None for no grouping.

    Raises
    ------
    ValueError
        When ``group_by`` is not a column of ``documents`` (the message lists the columns).
    """
    require_columns(documents, [], "documents")
    if group_by is not None:
        _check_group_by(documents, group_by)
        return group_by
    for column in DEFAULT_GROUP_COLUMNS:
        if column in documents.columns and _group_labels(documents[column]).ne(UNKNOWN_GROUP).any():
            return column
    return None


def _check_group_by(documents: pd.DataFrame, group_by: str | None) -> None:
    if group_by is not None and group_by not in documents.columns:
        raise ValueError(f"group_by {group_by!r} is not a documents column; "
                         f"the columns are {list(documents.columns)}")


def _group_labels(values: pd.Series) -> pd.Series:
    """Group labels as text: missing or blank values become ``"(unknown)"``."""
    text = [None if pd.isna(v) else str(v).strip() for v in values.tolist()]
    labels = pd.Series([v if v else UNKNOWN_GROUP for v in text], index=values.index, dtype=_STR)
    if labels.eq(ALL_ARTICLES).any():
        raise ValueError(f"the group value {ALL_ARTICLES!r} is reserved for the rows over all articles")
    return labels


def check_period(period: str | None, *, allow_none: bool = True) -> None:
    """Refuse a ``period`` other than ``day``, ``week``, ``month`` (or None when ``allow_none``)."""
    if (period is not None or not allow_none) and period not in PERIODS:
        raise ValueError(f"period must be one of {list(PERIODS)}, got {period!r}")


def check_group_by_name(group_by: object) -> None:
    """Refuse a ``group_by`` that cannot name a column (whether it does is known only with data)."""
    if group_by is not None and (not isinstance(group_by, str) or not group_by.strip()):
        raise ValueError(f"group_by must be a documents column name or None, got {group_by!r}")


def _period_starts(published: pd.Series, period: str) -> tuple[pd.Series, pd.Series]:
    """(ISO start date of each article's period or null, reason when it has none or null)."""
    text = [None if pd.isna(v) or not str(v).strip() else str(v) for v in published.tolist()]
    missing = np.array([v is None for v in text], dtype=bool)
    iso = [None if v is None or not (m := _ISO_DATE.match(v)) else m.group(1) for v in text]
    dates = pd.to_datetime(pd.Series(iso, index=published.index, dtype="object"), format="%Y-%m-%d",
                           errors="coerce")
    if period == "week":
        dates = dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    elif period == "month":
        dates = dates - pd.to_timedelta(dates.dt.day - 1, unit="D")
    starts = dates.dt.strftime("%Y-%m-%d").astype("object").where(dates.notna(), None)
    reasons = pd.Series(None, index=published.index, dtype="object")
    reasons[dates.isna()] = PUBLISHED_UNPARSEABLE
    reasons[missing] = PUBLISHED_MISSING
    return starts, reasons


def study_articles(
    documents: pd.DataFrame,
    group_by: str | None = None,
    period: str | None = None,
    *,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Each article's group and period, and whether it is left out of the study tables (and why).

    Parameters
    ----------
    documents : DataFrame
        The ``documents`` table; needs ``doc_id``, ``duplicate_of`` (unless ``include_duplicates``),
        ``published`` when ``period`` is given, and the ``group_by`` column.
    group_by : str or None
        Column to group by (see :func:`resolve_group_by`); None puts every article in
        ``"(all articles)"``.
    period : {"day", "week", "month"} or None
        Period of ``published`` to assign; None assigns none and excludes nothing for dates.
    include_duplicates : bool, default False
        Count copies (``duplicate_of`` not null) too.

    Returns
    -------
    DataFrame
        ``doc_id`` (str); ``group`` (str); ``period`` (str or null: ISO date of the period's first
        day); ``excluded`` (str or null: ``"duplicate"``, ``"published missing"`` or
        ``"published not an ISO date"``; a duplicate is reported as such first). Sorted by ``doc_id``.
    """
    _check_group_by(documents, group_by)
    check_period(period)
    require_columns(documents, ["doc_id"]
                    + ([] if include_duplicates else ["duplicate_of"])
                    + ([] if period is None else ["published"]), "documents")
    docs = documents.reset_index(drop=True)
    result = pd.DataFrame({"doc_id": docs["doc_id"].astype(_STR)})
    if result["doc_id"].duplicated().any():
        raise ValueError("documents has duplicate doc_id values")
    result["group"] = (_group_labels(docs[group_by]) if group_by is not None
                       else pd.Series(ALL_ARTICLES, index=docs.index, dtype=_STR))
    excluded = pd.Series(None, index=docs.index, dtype="object")
    if period is None:
        result["period"] = pd.Series(None, index=docs.index, dtype="object")
    else:
        result["period"], reasons = _period_starts(docs["published"], period)
        excluded = reasons
    if not include_duplicates:
        excluded[docs["duplicate_of"].notna().to_numpy()] = DUPLICATE
    result["excluded"] = excluded
    result = result.astype({"period": _STR, "excluded": _STR})
    return result.sort_values("doc_id", kind="stable", ignore_index=True)


def exclusions(
    documents: pd.DataFrame, period: str | None = None, *, include_duplicates: bool = False
) -> pd.DataFrame:
    """How many articles the study tables leave out, per reason (zero counts included).

    Returns
    -------
    DataFrame
        ``reason`` (str), ``n_articles`` (int64): ``"duplicate"`` unless ``include_duplicates``,
        then, when ``period`` is given, ``"published missing"`` and ``"published not an ISO date"``.
    """
    articles = study_articles(documents, None, period, include_duplicates=include_duplicates)
    reasons = ([] if include_duplicates else [DUPLICATE]) + (
        [] if period is None else [PUBLISHED_MISSING, PUBLISHED_UNPARSEABLE])
    counts = [int(articles["excluded"].eq(reason).sum()) for reason in reasons]
    return pd.DataFrame({"reason": reasons, "n_articles": counts}, columns=EXCLUSION_COLUMNS).astype(
        {"reason": _STR, "n_articles": _INT})


def _counted(documents, group_by, period, include_duplicates) -> pd.DataFrame:
    articles = study_articles(documents, group_by, period, include_duplicates=include_duplicates)
    return articles[articles["excluded"].isna()].reset_index(drop=True)


def _group_order(groups: Sequence[str]) -> list[str]:
    """``"(all articles)"`` first, then the groups by name, ``"(unknown)"`` last."""
    return sorted(set(groups), key=lambda g: (g != ALL_ARTICLES, g == UNKNOWN_GROUP, g))


def _group_names(labels: pd.Series, group_by: str | None) -> list[str]:
    """The all-articles group, then, when grouping, each label present, in order."""
    return [ALL_ARTICLES] + (_group_order(labels) if group_by is not None else [])


def _group_masks(labels: pd.Series, group_by: str | None) -> list[tuple[str, np.ndarray]]:
    """(group, which rows are in it) for each of :func:`_group_names`."""
    values = labels.to_numpy()
    return [(group, np.ones(len(values), dtype=bool) if group == ALL_ARTICLES else values == group)
            for group in _group_names(labels, group_by)]


def _counted_with_frames(
    frames_by_document: pd.DataFrame,
    documents: pd.DataFrame,
    frame_ids: Sequence[str],
    group_by: str | None,
    period: str | None,
    include_duplicates: bool,
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """(counted articles, their 0/1 frame flags, the checked frame ids), inputs checked first."""
    frame_ids = _check_frame_ids(frame_ids)
    articles = _counted(documents, group_by, period, include_duplicates)
    _check_documents_cover(frames_by_document, documents, "frames_by_document")
    return articles, _frame_flags(frames_by_document, articles, frame_ids), frame_ids


def _frame_flags(
    frames_by_document: pd.DataFrame, articles: pd.DataFrame, frame_ids: list[str]
) -> np.ndarray:
    """0/1 frame presence of each article, aligned with ``articles``' rows."""
    require_columns(frames_by_document, ["doc_id", *frame_ids], "frames_by_document")
    frames = frames_by_document.assign(doc_id=frames_by_document["doc_id"].astype(_STR))
    if frames["doc_id"].duplicated().any():
        raise ValueError("frames_by_document has duplicate doc_id values")
    missing = sorted(set(articles["doc_id"]) - set(frames["doc_id"]))
    if missing:
        raise ValueError(f"frames_by_document has no row for {len(missing)} document(s), e.g. "
                         f"{missing[:5]}; were the tables written by the same run?")
    return (frames.set_index("doc_id").loc[articles["doc_id"], frame_ids].to_numpy() > 0).astype(_INT)


def _check_frame_ids(frame_ids: Sequence[str]) -> list[str]:
    if isinstance(frame_ids, str) or not all(isinstance(f, str) for f in frame_ids):
        raise TypeError("frame_ids must be a sequence of frame id strings (e.g. codebook.frame_ids)")
    frame_ids = list(frame_ids)
    if len(set(frame_ids)) != len(frame_ids):
        raise ValueError(f"frame_ids has repeated ids: {frame_ids}")
    return frame_ids


def _check_documents_cover(table: pd.DataFrame, documents: pd.DataFrame, name: str) -> None:
    unknown = sorted(set(table["doc_id"].astype(_STR)) - set(documents["doc_id"].astype(_STR)))
    if unknown:
        raise ValueError(f"{name} has doc_ids not in documents, e.g. {unknown[:5]}; "
                         "were the tables written by the same run?")


# --- shares with Wilson intervals -----------------------------------------------------------------


def wilson_interval(
    successes: np.ndarray, totals: np.ndarray, level: float = LEVEL
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``successes / totals``, element-wise (statsmodels).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper bounds (float64); NaN where ``totals`` is 0.
    """
    successes = np.asarray(successes, dtype=_FLOAT)
    totals = np.asarray(totals, dtype=_FLOAT)
    low = np.full(successes.shape, np.nan)
    high = np.full(successes.shape, np.nan)
    some = totals > 0
    if some.any():
        from statsmodels.stats.proportion import proportion_confint  # lazily: see the note after the imports

        low[some], high[some] = proportion_confint(successes[some], totals[some], alpha=1 - level,
                                                   method="wilson")
    # The bounds at 0/n and n/n are exactly 0 and 1; the formula leaves rounding noise (2.8e-17).
    low[some & (successes == 0)] = 0.0
    high[some & (successes == totals)] = 1.0
    return low, high


def _with_shares(rows: list[dict], columns: list[str], n_with: str, n: str) -> pd.DataFrame:
    """``rows`` as a table of ``columns``, with ``share``, ``ci_low``, ``ci_high`` of ``n_with / n``."""
    table = pd.DataFrame(rows, columns=[c for c in columns if c not in ("share", "ci_low", "ci_high")])
    counts = table[n_with].to_numpy(dtype=_FLOAT), table[n].to_numpy(dtype=_FLOAT)
    table["share"] = np.divide(*counts, out=np.full(len(table), np.nan), where=counts[1] > 0)
    table["ci_low"], table["ci_high"] = wilson_interval(*counts)
    return table[columns]


def _prevalence_rows(
    articles: pd.DataFrame, flags: np.ndarray, frame_ids: list[str], group_by: str | None
) -> list[dict]:
    counts = [(group, int(mask.sum()), flags[mask].sum(axis=0))
              for group, mask in _group_masks(articles["group"], group_by)]
    return [{"group_by": group_by, "group": group, "frame": frame, "n_articles": n,
             "n_with_frame": int(n_with[index])}
            for index, frame in enumerate(frame_ids) for group, n, n_with in counts]


def _prevalence_table(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    table = _with_shares(rows, columns, "n_with_frame", "n_articles")
    return table.astype({c: _STR for c in ("period", "group_by", "group", "frame") if c in columns}
                        | {"n_articles": _INT, "n_with_frame": _INT}
                        | {c: _FLOAT for c in ("share", "ci_low", "ci_high")})


def frame_prevalence(
    frames_by_document: pd.DataFrame,
    documents: pd.DataFrame,
    frame_ids: Sequence[str],
    group_by: str | None,
    *,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Share of articles with each frame, per group and over all articles, with a Wilson interval.

    Parameters
    ----------
    frames_by_document : DataFrame
        Needs ``doc_id`` and a 0/1 column per frame id.
    documents : DataFrame
        Needs ``doc_id``, ``duplicate_of`` and the ``group_by`` column.
    frame_ids : sequence of str
        The frames, in codebook order (``codebook.frame_ids``).
    group_by : str or None
        Column of ``documents`` to group by; None gives only the all-articles rows.
    include_duplicates : bool, default False
        Count copies too (see the module notes; :func:`exclusions` counts those left out).

    Returns
    -------
    DataFrame
        ``group_by`` (str, null without grouping), ``group`` (str), ``frame`` (str),
        ``n_articles`` (int64: counted articles of the group), ``n_with_frame`` (int64: those with
        the frame), ``share``, ``ci_low``, ``ci_high`` (float64: 95% Wilson interval). One row per
        frame and group, frames in ``frame_ids`` order, groups ``"(all articles)"`` first, then by
        name, ``"(unknown)"`` last. Empty when no article counts.
    """
    articles, flags, frame_ids = _counted_with_frames(frames_by_document, documents, frame_ids,
                                                      group_by, None, include_duplicates)
    rows = _prevalence_rows(articles, flags, frame_ids, group_by) if len(articles) else []
    return _prevalence_table(rows, PREVALENCE_COLUMNS)


def frame_timeline(
    frames_by_document: pd.DataFrame,
    documents: pd.DataFrame,
    frame_ids: Sequence[str],
    period: str,
    group_by: str | None = None,
    *,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """:func:`frame_prevalence` per period of ``published``.

    Articles whose ``published`` is null or does not start with an ISO date are left out
    (:func:`exclusions` with the same ``period`` counts them).

    Parameters
    ----------
    frames_by_document, documents, frame_ids, include_duplicates
        As in :func:`frame_prevalence`; ``documents`` also needs ``published``.
    period : {"day", "week", "month"}
        Calendar period; weeks start on Monday.
    group_by : str or None, default None
        Column of ``documents`` to group by; None gives only the all-articles rows.

    Returns
    -------
    DataFrame
        ``period`` (str: ISO date of the period's first day), then the columns of
        :func:`frame_prevalence`. Rows only for periods with counted articles, sorted by period,
        then frame (``frame_ids`` order), then group as in :func:`frame_prevalence`. Empty when
        no counted article has a usable date.
    """
    if period is None:
        raise ValueError(f"period must be one of {list(PERIODS)}, got None")
    articles, flags, frame_ids = _counted_with_frames(frames_by_document, documents, frame_ids,
                                                      group_by, period, include_duplicates)
    rows = []
    for start in sorted(set(articles["period"])):
        in_period = articles["period"].eq(start).to_numpy()
        rows += [{"period": start} | row for row in _prevalence_rows(
            articles[in_period].reset_index(drop=True), flags[in_period], frame_ids, group_by)]
    return _prevalence_table(rows, TIMELINE_COLUMNS)


def frame_cooccurrence(
    frames_by_document: pd.DataFrame,
    frame_ids: Sequence[str],
    documents: pd.DataFrame | None = None,
    *,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """How often two frames appear in the same article.

    Parameters
    ----------
    frames_by_document : DataFrame
        Needs ``doc_id`` and a 0/1 column per frame id.
    frame_ids : sequence of str
        The frames, in codebook order.
    documents : DataFrame, optional
        When given, copies are left out as in :func:`frame_prevalence`; otherwise every row of
        ``frames_by_document`` counts.

    Returns
    -------
    DataFrame
        One row per unordered pair, ``frame_a`` before ``frame_b`` in ``frame_ids`` order:
        ``frame_a``, ``frame_b`` (str), ``n_articles`` (int64: counted articles), ``n_both``,
        ``n_a``, ``n_b`` (int64: articles with both frames, with ``frame_a``, with ``frame_b``),
        ``jaccard`` (float64: ``n_both / (n_a + n_b - n_both)``, the share of articles with either
        frame that have both; NaN when neither occurs), ``lift`` (float64:
        ``n_both * n_articles / (n_a * n_b)``, 1 when the frames occur independently, above 1 when
        together more often than chance; NaN when a frame never occurs). Empty when no article
        counts or fewer than two frames.
    """
    frame_ids = _check_frame_ids(frame_ids)
    require_columns(frames_by_document, ["doc_id"], "frames_by_document")
    if documents is None:
        articles = pd.DataFrame({"doc_id": frames_by_document["doc_id"].astype(_STR)})
    else:
        _check_documents_cover(frames_by_document, documents, "frames_by_document")
        articles = _counted(documents, None, None, include_duplicates)
    flags = _frame_flags(frames_by_document, articles, frame_ids)
    n = len(articles)
    rows = []
    for a, b in itertools.combinations(range(len(frame_ids)), 2) if n else ():
        n_a, n_b = int(flags[:, a].sum()), int(flags[:, b].sum())
        n_both = int((flags[:, a] & flags[:, b]).sum())
        union = n_a + n_b - n_both
        rows.append({"frame_a": frame_ids[a], "frame_b": frame_ids[b], "n_articles": n,
                     "n_both": n_both, "n_a": n_a, "n_b": n_b,
                     "jaccard": n_both / union if union else np.nan,
                     "lift": n_both * n / (n_a * n_b) if n_a and n_b else np.nan})
    return pd.DataFrame(rows, columns=COOCCURRENCE_COLUMNS).astype(
        {"frame_a": _STR, "frame_b": _STR, "n_articles": _INT, "n_both": _INT, "n_a": _INT,
         "n_b": _INT, "jaccard": _FLOAT, "lift": _FLOAT})


# --- actors and voices -----------------------------------------------------------------------------


def actor_sentiment_by_group(
    actor_mentions: pd.DataFrame,
    documents: pd.DataFrame,
    group_by: str | None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    level: float = LEVEL,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Sentiment toward each actor per group, as :func:`kursk_utils.actors.actor_sentiment` does it.

    A sentence that mentions an actor counts once, with the mean compound of its mentions
    (:func:`kursk_utils.actors.sentence_scores`); the figures are those of
    :func:`kursk_utils.actors.summarize_actor` over the group's sentences.

    Parameters
    ----------
    actor_mentions : DataFrame
        The scored ``actor_mentions`` table (with ``compound``).
    documents : DataFrame
        Needs ``doc_id``, ``duplicate_of`` and the ``group_by`` column.
    group_by : str or None
        None gives only the all-articles rows.
    threshold : float, default 0.05
        Compound threshold for a negative/positive sentence.
    level : float, default 0.95
        Level of the Student-t interval of the mean.

    Returns
    -------
    DataFrame
        ``group_by`` (str, null without grouping), ``group`` (str), ``actor_id``, ``actor_name``,
        ``actor_group`` (str: the actor's ``group`` in the gazetteer), ``n_mentions``,
        ``n_sentences`` (the n behind the mean and shares), ``n_articles`` (int64),
        ``mean_compound``, ``ci_low``, ``ci_high`` (float64; NaN bounds for one sentence),
        ``share_negative``, ``share_positive`` (float64), ``most_negative_doc_id``,
        ``most_negative_sentence_id``, ``most_positive_doc_id``, ``most_positive_sentence_id``
        (the evidence sentence, null when none is negative/positive). One row per actor and group
        where the actor is mentioned, sorted by ``actor_id`` then group (all articles first).
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    threshold = check_threshold(threshold)
    require_columns(actor_mentions, [*MENTION_COLUMNS, "compound"], "actor_mentions")
    _check_documents_cover(actor_mentions, documents, "actor_mentions")
    articles = _counted(documents, group_by, None, include_duplicates)
    mentions = actor_mentions[actor_mentions["doc_id"].astype(_STR).isin(set(articles["doc_id"]))]
    scores = sentence_scores(mentions, threshold)
    # The mentions' own "group" is the actor's; "group" below is the article's study group.
    scores = scores.rename(columns={"group": "actor_group"})
    scores["group"] = scores["doc_id"].astype(_STR).map(dict(zip(articles["doc_id"], articles["group"])))
    # Only the columns summarised, as plain object/number columns: slicing Arrow-backed strings
    # once per (actor, group) costs more than the statistics.
    values = scores[["doc_id", "sentence_id", "compound", "label", "n_mentions", "group"]].astype(
        {"doc_id": "object", "label": "object", "group": "object"})
    rows = []
    for (actor_id, actor_name, actor_group), positions in sorted(
            scores.groupby(["actor_id", "actor_name", "actor_group"]).indices.items()):
        actor_scores = values.iloc[positions]
        for group, mask in _group_masks(actor_scores["group"], group_by):
            members = actor_scores[mask]
            if len(members):
                rows.append({"group_by": group_by, "group": group, "actor_id": actor_id,
                             "actor_name": actor_name, "actor_group": actor_group,
                             "n_mentions": int(members["n_mentions"].sum()),
                             "n_articles": members["doc_id"].nunique()}
                            | summarize_actor(members, level))
    return pd.DataFrame(rows, columns=ACTOR_GROUP_COLUMNS).astype(
        {c: _STR for c in ("group_by", "group", "actor_id", "actor_name", "actor_group",
                           "most_negative_doc_id", "most_positive_doc_id")}
        | {c: _INT for c in ("n_mentions", "n_sentences", "n_articles")}
        | {c: _FLOAT for c in ("mean_compound", "ci_low", "ci_high", "share_negative",
                               "share_positive")}
        | {"most_negative_sentence_id": "Int64", "most_positive_sentence_id": "Int64"})


def voices_by_group(
    quotes: pd.DataFrame,
    documents: pd.DataFrame,
    group_by: str | None,
    frame_ids: Sequence[str],
    *,
    frustration_frame: str = FRUSTRATION_FRAME,
    reassurance_frame: str = REASSURANCE_FRAME,
    soldier_roles: Sequence[str] = SOLDIER_ROLES,
    official_roles: Sequence[str] = OFFICIAL_ROLES,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Share of soldier quotes carrying frustration and of official quotes carrying reassurance.

    A quote carries a frame when a sentence it spans has the frame (``quotes.frames``). Quotes
    cluster in articles (one interview gives many), so they are not independent draws: the
    Wilson interval is optimistic when few articles hold many quotes; ``n_articles`` shows it.

    Parameters
    ----------
    quotes : DataFrame
        The ``quotes`` table; needs ``doc_id``, ``role`` and ``frames``.
    documents : DataFrame
        Needs ``doc_id``, ``duplicate_of`` and the ``group_by`` column.
    group_by : str or None
        None gives only the all-articles rows.
    frame_ids : sequence of str
        The codebook's frame ids; when either frame below is not among them, the result is empty.
    frustration_frame, reassurance_frame : str
        Frame counted for soldier and for official quotes.
    soldier_roles, official_roles : sequence of str
        Speaker roles of each voice.

    Returns
    -------
    DataFrame
        ``group_by`` (str, null without grouping), ``group`` (str), ``voice`` (``"soldier"`` or
        ``"official"``), ``frame`` (str), ``n_quotes`` (int64: quotes of the voice),
        ``n_articles`` (int64: articles those quotes come from), ``n_with_frame`` (int64),
        ``share``, ``ci_low``, ``ci_high`` (float64: 95% Wilson; NaN without quotes). One row per
        voice and group with counted articles (also when it has no such quote), soldier first,
        groups ordered as in :func:`frame_prevalence`. Empty when no article counts.
    """
    frame_ids = _check_frame_ids(frame_ids)
    require_columns(quotes, ["doc_id", "role", "frames"], "quotes")
    _check_documents_cover(quotes, documents, "quotes")
    articles = _counted(documents, group_by, None, include_duplicates)
    voices = [("soldier", frustration_frame, set(soldier_roles)),
              ("official", reassurance_frame, set(official_roles))]
    rows = []
    if len(articles) and {frustration_frame, reassurance_frame} <= set(frame_ids):
        group_of = dict(zip(articles["doc_id"], articles["group"]))
        counted = quotes.assign(doc_id=quotes["doc_id"].astype(_STR))
        counted = counted[counted["doc_id"].isin(group_of)]
        counted = counted.assign(group=counted["doc_id"].map(group_of),
                                 frame_set=counted["frames"].fillna("").astype(_STR).str.split())
        for voice, frame, roles in voices:
            spoken = counted[counted["role"].isin(roles)]
            has_frame = spoken["frame_set"].map(lambda frames, f=frame: f in frames).astype(bool)
            for group in _group_names(articles["group"], group_by):
                in_group = (np.ones(len(spoken), dtype=bool) if group == ALL_ARTICLES
                            else spoken["group"].eq(group).to_numpy())
                rows.append({"group_by": group_by, "group": group, "voice": voice, "frame": frame,
                             "n_quotes": int(in_group.sum()),
                             "n_articles": spoken.loc[in_group, "doc_id"].nunique(),
                             "n_with_frame": int(has_frame[in_group].sum())})
    return _with_shares(rows, VOICE_COLUMNS, "n_with_frame", "n_quotes").astype(
        {c: _STR for c in ("group_by", "group", "voice", "frame")}
        | {c: _INT for c in ("n_quotes", "n_articles", "n_with_frame")}
        | {c: _FLOAT for c in ("share", "ci_low", "ci_high")})


# --- differences between groups --------------------------------------------------------------------


def group_differences(
    frames_by_document: pd.DataFrame,
    documents: pd.DataFrame,
    frame_ids: Sequence[str],
    group_by: str | None,
    *,
    min_n: int = MIN_GROUP_ARTICLES,
    method: str = "holm",
    alpha: float = 0.05,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Does a frame's share differ between groups? Exact tests, corrected for multiple comparisons.

    Per frame: Fisher's exact test (two-sided) of each group against all other counted articles,
    from the 2x2 table (with/without the frame, group/rest); with exactly two groups only the first
    is tested, as its test is the same as the second's. With three groups or more, also a
    chi-square test of independence over the groups x (with, without) table, when Cochran's rule
    holds (no expected count below 1, at most a fifth below 5). A test is ``too_small`` (no
    p-value) when the group or the rest has fewer than ``min_n`` articles, or the frame is in no
    counted article or in all of them; ``reason`` says which. ``"(unknown)"`` is tested like any
    group (articles without the metadata may differ too). The p-values of all tests made (all
    frames, both kinds) form one family, adjusted with ``multipletests(method=method)``; Holm by
    default, as each row is read as a claim of its own and Holm controls the chance of any false
    claim without assumptions on how the tests depend on each other.

    Parameters
    ----------
    frames_by_document, documents, frame_ids, group_by, include_duplicates
        As in :func:`frame_prevalence`. Without grouping, or with fewer than two groups, the
        result is empty.
    min_n : int, default 5
        Fewest articles in a group (and in the rest) for a test.
    method : str, default "holm"
        A ``statsmodels.stats.multitest.multipletests`` method, e.g. ``"fdr_bh"``.
    alpha : float, default 0.05
        Family-wise error rate (or false discovery rate) for ``significant``.

    Returns
    -------
    DataFrame
        ``group_by`` (str), ``frame`` (str), ``test`` (``"fisher_exact"`` or ``"chi_square"``),
        ``group`` (str; ``"(all groups)"`` for chi-square), ``n_group``, ``n_group_with`` (int64:
        articles of the group, with the frame; for chi-square all counted articles), ``share_group``
        (float64), ``n_rest``, ``n_rest_with`` (Int64, null for chi-square), ``share_rest``,
        ``odds_ratio`` (float64: sample odds ratio group/rest, 0 or inf when a cell is 0; Fisher only), ``chi2`` (float64),
        ``dof`` (Int64, chi-square only), ``p_value``, ``p_adjusted`` (float64, NaN when
        ``too_small``), ``significant`` (bool: ``p_adjusted <= alpha``), ``too_small`` (bool),
        ``reason`` (str or null). Sorted by frame (``frame_ids`` order), Fisher rows by group
        (as in :func:`frame_prevalence`), then the chi-square row.
    """
    if not isinstance(min_n, int) or min_n < 1:
        raise ValueError(f"min_n must be a positive integer, got {min_n!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    from statsmodels.stats.multitest import multipletests  # lazily: see the note after the imports

    multipletests([0.5], method=method)  # unknown methods fail here, before any work
    articles, flags, frame_ids = _counted_with_frames(frames_by_document, documents, frame_ids,
                                                      group_by, None, include_duplicates)
    groups = _group_order(articles["group"]) if group_by is not None else []
    rows = []
    if len(groups) >= 2:
        labels = articles["group"].to_numpy()
        tested = groups[:1] if len(groups) == 2 else groups
        for frame_index, frame in enumerate(frame_ids):
            present = flags[:, frame_index]
            total_with = int(present.sum())
            variation = (None if 0 < total_with < len(present) else
                         "frame in no counted article" if total_with == 0 else
                         "frame in every counted article")
            for group in tested:
                rows.append({"group_by": group_by, "frame": frame}
                            | _fisher_row(group, present[labels == group], present[labels != group],
                                          min_n, variation))
            if len(groups) >= 3:
                counts = np.array([[int(present[labels == g].sum()), int((labels == g).sum())]
                                   for g in groups])
                rows.append({"group_by": group_by, "frame": frame}
                            | _chi_square_row(counts, variation))
    table = pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)
    tested_rows = ~table["too_small"].astype(bool)
    table["p_adjusted"] = np.nan
    table["significant"] = False
    if tested_rows.any():
        reject, adjusted, _, _ = multipletests(table.loc[tested_rows, "p_value"].astype(_FLOAT),
                                               alpha=alpha, method=method)
        table.loc[tested_rows, "p_adjusted"] = adjusted
        table.loc[tested_rows, "significant"] = reject
    return table.astype(
        {c: _STR for c in ("group_by", "frame", "test", "group", "reason")}
        | {c: _INT for c in ("n_group", "n_group_with")}
        | {c: "Int64" for c in ("n_rest", "n_rest_with", "dof")}
        | {c: _FLOAT for c in ("share_group", "share_rest", "odds_ratio", "chi2", "p_value",
                               "p_adjusted")}
        | {"significant": bool, "too_small": bool})


def _fisher_row(group: str, in_group: np.ndarray, rest: np.ndarray, min_n: int,
                variation: str | None) -> dict:
    n_group, n_rest = len(in_group), len(rest)
    with_group, with_rest = int(in_group.sum()), int(rest.sum())
    reason = (f"group has {n_group} article(s), fewer than {min_n}" if n_group < min_n else
              f"the other groups have {n_rest} article(s), fewer than {min_n}" if n_rest < min_n else
              variation)
    row = {"test": "fisher_exact", "group": group, "n_group": n_group, "n_group_with": with_group,
           "share_group": with_group / n_group, "n_rest": n_rest, "n_rest_with": with_rest,
           "share_rest": with_rest / n_rest, "odds_ratio": np.nan, "chi2": np.nan, "dof": None,
           "p_value": np.nan, "too_small": reason is not None, "reason": reason}
    if reason is None:
        from scipy.stats import fisher_exact  # lazily: see the note after the imports

        result = fisher_exact([[with_group, n_group - with_group], [with_rest, n_rest - with_rest]])
        row |= {"odds_ratio": float(result.statistic), "p_value": float(result.pvalue)}
    return row


def _chi_square_row(counts: np.ndarray, variation: str | None) -> dict:
    """``counts``: per group (articles with the frame, articles)."""
    n, n_with = int(counts[:, 1].sum()), int(counts[:, 0].sum())
    row = {"test": "chi_square", "group": ALL_GROUPS, "n_group": n, "n_group_with": n_with,
           "share_group": n_with / n, "n_rest": None, "n_rest_with": None, "share_rest": np.nan,
           "odds_ratio": np.nan, "chi2": np.nan, "dof": None, "p_value": np.nan,
           "too_small": True, "reason": variation}
    if variation is not None:
        return row
    table = np.column_stack([counts[:, 0], counts[:, 1] - counts[:, 0]])
    from scipy.stats import chi2_contingency  # lazily: see the note after the imports

    result = chi2_contingency(table)
    expected = result.expected_freq
    n_small = int((expected < SMALL_EXPECTED).sum())
    if expected.min() < MIN_EXPECTED or n_small > MAX_SHARE_SMALL_EXPECTED * expected.size:
        row["reason"] = (f"expected counts too small for chi-square: {n_small} of {expected.size} "
                         f"cells below {SMALL_EXPECTED:g}, smallest {expected.min():.2f}")
        return row
    return row | {"chi2": float(result.statistic), "dof": int(result.dof),
                  "p_value": float(result.pvalue), "too_small": False}
