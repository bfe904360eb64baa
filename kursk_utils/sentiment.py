"""VADER sentiment of sentences, aggregated per paragraph and document, and per-article arcs.

Two implementations of VADER (Hutto & Gilbert, 2014) are available, both offline:

- ``"nltk"``: NLTK's port, ``nltk.sentiment.vader.SentimentIntensityAnalyzer``, loading the
  lexicon that ships inside the ``vadersentiment`` package (never ``nltk.download``);
- ``"vadersentiment"``: the reference implementation from the ``vadersentiment`` package.

They disagree on some news sentences. The reference treats "no" before a lexicon word as a
negation of that word, while NLTK's port scores "no" as a negative word of its own and does not
negate what follows: "there was no threat of encirclement" scores -0.68 with NLTK and +0.42 with
the reference. Quoted phrases such as ``"pretty chaotic,"`` also score differently.
Measured with :func:`kursk_utils.validation.sentiment.evaluate`
on the human-rated sets shipped in ``data/validation/`` (thresholds ±0.05):

==========================================  ========  ================
measure                                      nltk      vadersentiment
==========================================  ========  ================
NYT editorials (n=5,190): Pearson r          0.490     0.503
NYT editorials: 3-class F1 (support-weighted) 0.541     0.546
NYT editorials: 3-class macro-F1             0.521     0.525
NewsMTSC devtest_rw (n=1,146), sentence
level: macro-F1                              0.508     0.512
NewsMTSC devtest_mt (n=1,476), sentence
level: macro-F1                              0.493     0.496
NewsMTSC devtest_rw, actor level
(:mod:`kursk_utils.actors`): macro-F1        0.540     0.543
NewsMTSC devtest_mt, actor level: macro-F1   0.504     0.510
==========================================  ========  ================

The reference implementation is at least as accurate on every measure, so it is the default;
the margin is small (about 0.01), so the NLTK port stays selectable for comparison with work that
used it. For reference, the VADER paper reports r = 0.492 and F1 = 0.55 on the NYT set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
from pandas.api.indexers import BaseIndexer

from kursk_utils.contracts import (
    check_choice, check_positive_int, check_threshold, require_columns,
)

IMPLEMENTATIONS = ("nltk", "vadersentiment")
DEFAULT_IMPLEMENTATION = "vadersentiment"
DEFAULT_THRESHOLD = 0.05
SCORE_COLUMNS = ["compound", "pos", "neu", "neg"]
LABELS = ("negative", "neutral", "positive")
_SENTENCE_KEY = ["doc_id", "sentence_id"]


class Analyzer(Protocol):
    """Anything with VADER's ``polarity_scores(text) -> dict`` method."""

    def polarity_scores(self, text: str) -> dict[str, float]: ...


def check_implementation(implementation: str) -> str:
    """Return ``implementation`` if it is one of :data:`IMPLEMENTATIONS`, else raise ValueError."""
    return check_choice(implementation, IMPLEMENTATIONS, "sentiment implementation")


@cache
def get_analyzer(implementation: str = DEFAULT_IMPLEMENTATION) -> Analyzer:
    """Return the VADER analyzer of ``implementation``, built once per process.

    Both read ``vader_lexicon.txt`` from the installed ``vadersentiment`` package.
    """
    check_implementation(implementation)
    if implementation == "vadersentiment":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        return SentimentIntensityAnalyzer()

    import nltk
    import vaderSentiment
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    package_dir = str(Path(vaderSentiment.__file__).parent)
    # NLTK 3.10 opens resources only under nltk.data.path, even with a "file:" URL.
    if package_dir not in nltk.data.path:
        nltk.data.path.append(package_dir)
    return SentimentIntensityAnalyzer(
        lexicon_file="file:" + str(Path(package_dir) / "vader_lexicon.txt")
    )


def score_texts(
    texts: Iterable[str], implementation: str = DEFAULT_IMPLEMENTATION
) -> pd.DataFrame:
    """Score each text with VADER.

    Parameters
    ----------
    texts : iterable of str
        Texts to score (sentences, quotes, clauses).
    implementation : {"nltk", "vadersentiment"}, default :data:`DEFAULT_IMPLEMENTATION`
        Which VADER implementation to use.

    Returns
    -------
    pandas.DataFrame
        One row per text, in input order (RangeIndex), with float columns ``compound``
        (normalised sum of valences, in [-1, 1]), ``pos``, ``neu``, ``neg`` (shares of the text's
        valence that is positive, neutral, negative; they sum to about 1).

    Raises
    ------
    ValueError
        If ``implementation`` is unknown.
    TypeError
        If an item of ``texts`` is not a string.
    """
    return pd.DataFrame(text_scores(texts, implementation), columns=SCORE_COLUMNS)


def text_scores(texts: Iterable[str], implementation: str = DEFAULT_IMPLEMENTATION) -> np.ndarray:
    """The values of :func:`score_texts` as a float64 array (texts, :data:`SCORE_COLUMNS`)."""
    analyzer = get_analyzer(check_implementation(implementation))
    if isinstance(texts, pd.Series):
        texts = texts.tolist()  # iterating an Arrow-backed Series value by value is slow
    rows = []
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text at position {position} is {type(text).__name__}, not str")
        scores = analyzer.polarity_scores(text)
        rows.append([scores[column] for column in SCORE_COLUMNS])
    return np.array(rows, dtype="float64").reshape(len(rows), len(SCORE_COLUMNS))


def label_compound(compound: pd.Series, threshold: float = DEFAULT_THRESHOLD) -> pd.Series:
    """Label compound scores ``negative`` (<= -threshold), ``positive`` (>= threshold) or ``neutral``.

    The inclusive thresholds follow VADER's documentation (±0.05 by default).
    """
    labels = compound_labels(compound.to_numpy(dtype="float64"), threshold)
    return pd.Series(labels, index=compound.index, name="label", dtype="str")


def compound_labels(compound: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> np.ndarray:
    """:func:`label_compound` of an array of compound scores, as an array of str."""
    threshold = check_threshold(threshold)
    return np.where(
        compound >= threshold, "positive", np.where(compound <= -threshold, "negative", "neutral")
    )


def score_sentences(
    sentences: pd.DataFrame,
    implementation: str = DEFAULT_IMPLEMENTATION,
    threshold: float = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """Score every sentence of the ``sentences`` table.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table; needs ``doc_id``, ``sentence_id`` and ``text``.
    implementation : {"nltk", "vadersentiment"}, default :data:`DEFAULT_IMPLEMENTATION`
    threshold : float, default 0.05
        Compound score at or beyond which a sentence is labelled positive or negative.

    Returns
    -------
    pandas.DataFrame
        The ``sentence_sentiment`` table, sorted by (``doc_id``, ``sentence_id``): ``doc_id``,
        ``sentence_id``, ``compound``, ``pos``, ``neu``, ``neg``, ``label``
        (``negative``/``neutral``/``positive``).
    """
    require_columns(sentences, [*_SENTENCE_KEY, "text"], "sentences")
    check_threshold(threshold)
    # Sorted sentences (the usual input) are not sorted again, and the table is built once from
    # its columns: sort_values, concat and a column assignment cost about 1.5 ms per call.
    keys = [sentences[column].to_numpy() for column in _SENTENCE_KEY]
    ordered = (sentences if strictly_increasing(keys)
               else sentences.sort_values(_SENTENCE_KEY, ignore_index=True))
    scores = text_scores(ordered["text"], implementation)
    columns = {column: ordered[column].array for column in _SENTENCE_KEY}
    columns |= {column: scores[:, position] for position, column in enumerate(SCORE_COLUMNS)}
    columns["label"] = pd.array(compound_labels(scores[:, 0], threshold), dtype="str")
    return pd.DataFrame(columns)


def run_starts(keys: Sequence[np.ndarray]) -> np.ndarray:
    """The first row of each run of consecutive rows with equal values in all of ``keys`` (one
    array per key column, all of one length), as int64 positions (empty for no rows)."""
    n_rows = len(keys[0])
    if n_rows == 0:
        return np.zeros(0, dtype="int64")
    changes = np.zeros(n_rows - 1, dtype=bool)
    for key in keys:
        changes |= key[1:] != key[:-1]
    return np.concatenate(([0], np.flatnonzero(changes) + 1)).astype("int64")


def strictly_increasing(keys: Sequence[np.ndarray]) -> bool:
    """Whether the rows of ``keys`` (one array per key column) increase strictly, comparing the
    columns in order: the rows are then sorted by the key and no two share one."""
    increasing = np.zeros(max(len(keys[0]) - 1, 0), dtype=bool)
    try:
        for key in reversed(keys):  # a later column decides only where the earlier ones are equal
            increasing = (key[1:] > key[:-1]) | ((key[1:] == key[:-1]) & increasing)
    except TypeError:  # a missing value among strings: not sorted as a key
        return False
    return bool(increasing.all())


def sorted_runs(keys: Sequence[np.ndarray]) -> np.ndarray | None:
    """:func:`run_starts` of rows grouped and sorted by ``keys``: each key's rows one run, the
    runs in increasing order (so a sorted groupby finds the same groups in the same order); None
    for other rows."""
    starts = run_starts(keys)
    return starts if strictly_increasing([key[starts] for key in keys]) else None


def group_means(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The mean of each column of ``values`` (rows, columns) over the rows of each group, NaN
    skipped, one row per group: ``groups`` numbers each row's group 0, 1, ... in order of first row.

    Computed by pandas' grouped mean, so the figures are those of a ``groupby(..., sort=False)
    .mean()`` over the same rows to the last bit (which depend on how the groups' rows interleave:
    pass the rows in the groupby's order). Grouped by number, one call costs about 0.1 ms, where a
    groupby on string key columns costs milliseconds on a small batch.
    """
    return pd.DataFrame(values).groupby(groups, sort=False).mean().to_numpy()


def summarize_labels(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Count sentences and average ``compound`` and label shares per group of ``by``.

    ``frame`` needs the ``by`` columns, ``compound`` and ``label``. Returns ``by`` columns, then
    ``n_sentences``, ``mean_compound``, ``share_negative``, ``share_neutral``, ``share_positive``,
    sorted by ``by``.
    """
    by = list(by)
    starts = sorted_runs([frame[column].to_numpy() for column in by])
    if starts is not None:
        # A groupby on the key columns would find these groups, in this order, at about 4 ms per
        # call on a small batch.
        return _summarize_runs(frame, by, starts)
    return _summarize_grouped(frame, by)


def _summarize_grouped(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """:func:`summarize_labels` of any rows, by a groupby on the ``by`` columns."""
    indicators = frame[by + ["compound"]].copy()
    for label in LABELS:
        indicators[f"share_{label}"] = (frame["label"] == label).astype("float64")
    grouped = indicators.groupby(by, sort=True)
    result = grouped[[f"share_{label}" for label in LABELS]].mean()
    result.insert(0, "mean_compound", grouped["compound"].mean())
    result.insert(0, "n_sentences", grouped.size().astype("int64"))
    return result.reset_index()


def _summarize_runs(
    frame: pd.DataFrame | dict[str, pd.Series], by: list[str], starts: np.ndarray
) -> pd.DataFrame:
    """:func:`summarize_labels` of rows (a table or its columns) whose groups are the runs
    beginning at ``starts`` (:func:`sorted_runs`)."""
    labels = frame["label"].to_numpy()
    values = np.column_stack([frame["compound"].to_numpy(dtype="float64")]
                             + [(labels == label).astype("float64") for label in LABELS])
    lengths = np.diff(starts, append=len(labels)).astype("int64")
    means = group_means(values, np.repeat(np.arange(len(starts)), lengths))
    columns = {column: frame[column].take(starts).reset_index(drop=True) for column in by}
    columns["n_sentences"] = lengths
    columns["mean_compound"] = means[:, 0]
    for position, label in enumerate(LABELS, start=1):
        columns[f"share_{label}"] = means[:, position]
    return pd.DataFrame(columns)


def same_sentences(sentence_sentiment: pd.DataFrame, sentences: pd.DataFrame) -> bool:
    """Whether both tables hold the same sentences in the same order, sorted by (``doc_id``,
    ``sentence_id``) without repeats: then a one-to-one merge on that key pairs row i with row i
    and keeps that order (the usual case: :func:`score_sentences` of sorted sentences)."""
    if len(sentence_sentiment) != len(sentences):
        return False
    keys = [sentence_sentiment[column].to_numpy() for column in _SENTENCE_KEY]
    return (all(np.array_equal(key, sentences[column].to_numpy())
                for key, column in zip(keys, _SENTENCE_KEY))
            and strictly_increasing(keys))


def aggregate(
    sentence_sentiment: pd.DataFrame,
    sentences: pd.DataFrame,
    by: Sequence[str] = ("doc_id",),
    sections: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Aggregate sentence sentiment per document, paragraph or any grouping of sentence columns.

    Parameters
    ----------
    sentence_sentiment : pandas.DataFrame
        Output of :func:`score_sentences`.
    sentences : pandas.DataFrame
        The ``sentences`` table; supplies the ``by`` columns (e.g. ``paragraph_id``) and
        ``section``.
    by : sequence of str, default ("doc_id",)
        Grouping columns: ``("doc_id",)`` gives ``document_sentiment``,
        ``("doc_id", "paragraph_id")`` gives ``paragraph_sentiment``.
    sections : sequence of str, optional
        Only count sentences of these sections (e.g. ``("body",)`` to leave out title and
        summary). All sentences by default.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, then ``n_sentences``, ``mean_compound`` (mean sentence compound),
        ``share_negative``, ``share_neutral``, ``share_positive`` (shares of sentences with
        each label), sorted by ``by``. Groups without any counted sentence are absent.
    """
    by = list(by)
    require_columns(sentence_sentiment, [*_SENTENCE_KEY, "compound", "label"], "sentence_sentiment")
    extra = [column for column in by if column not in _SENTENCE_KEY]
    if sections is not None:
        extra.append("section")
    require_columns(sentences, [*_SENTENCE_KEY, *extra], "sentences")
    if sections is None and same_sentences(sentence_sentiment, sentences):
        # Row i of one table is row i of the other: the merge would pair them in that order.
        columns = {column: sentence_sentiment[column]
                   for column in [*_SENTENCE_KEY, "compound", "label"]}
        columns |= {column: sentences[column] for column in extra}
        starts = sorted_runs([columns[column].to_numpy() for column in by])
        if starts is not None:
            return _summarize_runs(columns, by, starts)
    merged = sentence_sentiment.merge(
        sentences[_SENTENCE_KEY + list(dict.fromkeys(extra))], on=_SENTENCE_KEY, how="inner",
        validate="one_to_one",
    )
    if sections is not None:
        merged = merged[merged["section"].isin(list(sections))]
    return summarize_labels(merged, by)


def sentiment_arc(
    sentence_sentiment: pd.DataFrame, sentences: pd.DataFrame, window: int = 3
) -> pd.DataFrame:
    """Sentiment along each article: sentence compound and a centred rolling mean.

    Parameters
    ----------
    sentence_sentiment : pandas.DataFrame
        Output of :func:`score_sentences`.
    sentences : pandas.DataFrame
        The ``sentences`` table; supplies ``section`` and ``text``.
    window : int, default 3
        Number of sentences in the centred rolling mean (odd numbers keep it symmetric); at the
        ends of an article the mean is over the sentences available.

    Returns
    -------
    pandas.DataFrame
        One row per sentence, sorted by (``doc_id``, ``sentence_id``): ``doc_id``,
        ``sentence_id``, ``section``, ``position`` (rank of the sentence in its article divided
        by (n - 1), 0 for one-sentence articles: comparable across articles of different
        length), ``compound``,
        ``rolling_compound`` (rounded to 6 decimals), ``label``, ``text``.
    """
    check_positive_int(window, "window")
    require_columns(sentence_sentiment, [*_SENTENCE_KEY, "compound", "label"], "sentence_sentiment")
    require_columns(sentences, [*_SENTENCE_KEY, "section", "text"], "sentences")
    if same_sentences(sentence_sentiment, sentences):
        # Row i of one table is row i of the other, in order: the merge, sort and groupby below
        # cost about 4 ms per call on a small batch.
        return _arc_of_sorted(sentence_sentiment, sentences, window)
    arc = sentence_sentiment[[*_SENTENCE_KEY, "compound", "label"]].merge(
        sentences[[*_SENTENCE_KEY, "section", "text"]], on=_SENTENCE_KEY, validate="one_to_one"
    )
    arc = arc.sort_values(_SENTENCE_KEY, ignore_index=True)
    by_doc = arc.groupby("doc_id", sort=False)
    last = by_doc["sentence_id"].transform("count") - 1
    arc["position"] = (by_doc.cumcount() / last.where(last > 0, 1)).astype("float64")
    # Rounded so that floating-point noise (1e-17 for a window summing to 0) does not show.
    rolling = by_doc["compound"].rolling(window, center=True, min_periods=1).mean()
    arc["rolling_compound"] = rolling.reset_index(level=0, drop=True).round(6)
    return arc[
        ["doc_id", "sentence_id", "section", "position", "compound", "rolling_compound", "label", "text"]
    ]


class _WindowBounds(BaseIndexer):
    """Rolling windows given as arrays of first and past-the-end rows (``start``, ``end``)."""

    def get_window_bounds(self, num_values: int = 0, min_periods: int | None = None,
                          center: bool | None = None, closed: str | None = None,
                          step: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        return self.start, self.end


def _arc_of_sorted(
    sentence_sentiment: pd.DataFrame, sentences: pd.DataFrame, window: int
) -> pd.DataFrame:
    """:func:`sentiment_arc` of tables that are :func:`same_sentences`."""
    n_rows = len(sentences)
    starts = run_starts([sentences["doc_id"].to_numpy()])
    lengths = np.diff(starts, append=n_rows)
    first = np.repeat(starts, lengths)  # each row's document's first row
    rank = np.arange(n_rows, dtype="int64") - first
    last = np.repeat(lengths, lengths) - 1
    # The centred windows of a rolling mean by document (pandas' FixedWindowIndexer with center,
    # within each document), so that pandas computes the same sums in the same order.
    end = np.minimum(rank + 1 + (window - 1) // 2, last + 1)
    start = np.maximum(rank + 1 + (window - 1) // 2 - window, 0)
    compound = sentence_sentiment["compound"].reset_index(drop=True)
    windows = _WindowBounds(start=first + start, end=first + end)
    rolling = compound.rolling(windows, min_periods=1).mean()
    return pd.DataFrame({
        "doc_id": sentence_sentiment["doc_id"].reset_index(drop=True),
        "sentence_id": sentence_sentiment["sentence_id"].reset_index(drop=True),
        "section": sentences["section"].reset_index(drop=True),
        "position": rank / np.where(last > 0, last, 1),
        "compound": compound,
        "rolling_compound": rolling.round(6),
        "label": sentence_sentiment["label"].reset_index(drop=True),
        "text": sentences["text"].reset_index(drop=True),
    })
