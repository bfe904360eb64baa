"""Actors: a gazetteer shipped as a data file, their mentions, and sentiment toward each actor.

Mentions are exact alias matches (case-sensitive, whole words, longest alias first), so every
figure can be traced to the matched text and its character offsets.

Sentiment toward an actor is "target-dependent", measured by one of two methods
(:data:`TARGET_METHODS`, chosen by ``SentimentSettings.target_method``):

- ``"model"`` (default): the target-sentiment model of :mod:`kursk_utils.target_sentiment`, trained
  on NewsMTSC's train split, reads the mention's sentence with the mention marked and gives class
  probabilities; the mention's ``compound`` is ``P(positive) - P(negative)`` and its ``label`` the
  most probable class. Macro-F1 (95% bootstrap interval) against VADER's actor-level method below:
  NewsMTSC devtest_rw 0.674 (0.646-0.701) vs 0.543; devtest_mt 0.659 (0.633-0.686) vs 0.511; the
  226 blind-labelled Kursk-style targets
  (:mod:`kursk_utils.validation.sentiment`, ``domain``) 0.451 (0.382-0.516) vs 0.339 (0.278-0.398).
- ``"vader"``: VADER on the mention's sentence after removing quoted speech (three words or more
  between quotation marks) that does not contain the mention, because a quote reports another
  speaker's view, not the writer's stance toward the actor. Shorter quoted phrases (scare quotes
  such as ``"absurd"``) stay. Variants compared on the
NewsMTSC training split, by 3-class macro-F1 (thresholds ±0.05, reference implementation; 8,739
targets, first 3,000 and the remaining 5,739):

====================================================  ============  =============
variant                                                train[:3000]  train[3000:]
====================================================  ============  =============
whole sentence (baseline)                              0.506         0.525
clause around the mention                              0.521         0.539
window of ±5 words                                     0.492         0.513
drop others' quotes (used)                             0.524         0.540
drop others' quotes, then clause                       0.525         0.540
drop others' quotes; negative word just before target  0.525         0.542
====================================================  ============  =============

Dropping quotes is the simplest rule that helps on both slices; the clause and verb rules add at
most 0.002 on top, within noise, so they are not used. On the test splits (see
:mod:`kursk_utils.validation.sentiment`) the rule raises macro-F1 from 0.512 to 0.543
(``devtest_rw``) and from 0.496 to 0.510 (``devtest_mt``): better than the sentence, but far from
fine-tuned models (0.831). Either way actor figures are indicative and shown with their evidence.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import BinaryIO, TextIO

import numpy as np
import pandas as pd

from kursk_utils.sentiment import (
    DEFAULT_IMPLEMENTATION,
    DEFAULT_THRESHOLD,
    LABELS,
    compound_labels,
    group_means,
    label_compound,
    score_texts,
)
from kursk_utils.contracts import check_choice, check_positive_int, check_threshold, require_columns
from kursk_utils.target_sentiment import TargetSentimentModel, load_model
from kursk_utils.tables import column_rows
from kursk_utils.text import literal_alternation

GAZETTEER_COLUMNS = ["actor_id", "name", "group", "aliases"]
MENTION_COLUMNS = ["doc_id", "sentence_id", "actor_id", "actor_name", "group", "alias", "start", "end"]
_MENTION_DTYPES = (dict.fromkeys(MENTION_COLUMNS, "str")
                   | dict.fromkeys(["sentence_id", "start", "end"], "int64"))
# How sentiment toward a mention is measured (see the module docstring and score_mentions).
TARGET_METHODS = ("model", "vader")
DEFAULT_TARGET_METHOD = "model"
# The model's class probabilities in a scored mention, in LABELS order.
PROBABILITY_COLUMNS = ["p_negative", "p_neutral", "p_positive"]
# Quoted passages of at least this many words count as speech; shorter ones are phrases the writer
# uses (scare quotes) and are kept when scoring an actor.
MIN_QUOTE_WORDS = 3
# Quotes of one sentence that get their own scoring context (see _MentionContexts).
MAX_QUOTE_CONTEXTS = 20
_QUOTED = re.compile(r"[\"\u201c\u201d]([^\"\u201c\u201d]*)[\"\u201c\u201d]")
_WORD = re.compile(r"\w+")
_ACTOR_KEY = ["actor_id", "actor_name", "group"]
_ACTOR_SENTIMENT_DTYPES = (
    dict.fromkeys([*_ACTOR_KEY, "doc_id"], "str")
    | {"n_sentences": "int64"}
    | dict.fromkeys(["mean_compound", "ci_low", "ci_high", "share_negative", "share_positive"],
                    "float64")
    | dict.fromkeys(["most_negative_sentence_id", "most_positive_sentence_id"], "Int64")
    | dict.fromkeys(["most_negative_doc_id", "most_positive_doc_id"], "str")
)
ACTOR_SENTIMENT_COLUMNS = list(_ACTOR_SENTIMENT_DTYPES)


def _read_gazetteer_file(source: TextIO | BinaryIO, label: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(source, dtype="str", keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read actor gazetteer {label}: {error}") from None
    require_columns(table, GAZETTEER_COLUMNS, f"actor gazetteer {label}")
    table = table[GAZETTEER_COLUMNS].map(str.strip)
    empty = table.eq("").any(axis=1)
    if empty.any():
        line = int(empty.to_numpy().nonzero()[0][0]) + 2  # header is line 1
        raise ValueError(f"actor gazetteer {label}: line {line} has an empty field")
    duplicated = table["actor_id"].duplicated()
    if duplicated.any():
        raise ValueError(
            f"actor gazetteer {label}: actor_id {table['actor_id'][duplicated].iloc[0]!r} "
            "appears more than once"
        )
    return table


def load_gazetteer(extra_path: str | Path | None = None) -> pd.DataFrame:
    """Load the shipped actor gazetteer (``data/actors.csv``), optionally extended by a user file.

    Parameters
    ----------
    extra_path : str or Path, optional
        A CSV with the columns ``actor_id, name, group, aliases`` (aliases ``|``-separated).
        Its actors are added; a row whose ``actor_id`` is already shipped replaces that actor.

    Returns
    -------
    pandas.DataFrame
        One row per (actor, alias), sorted by ``actor_id`` then ``alias``: ``actor_id``,
        ``actor_name``, ``group``, ``alias``.

    Raises
    ------
    ValueError
        If a file lacks a column, has an empty field or a repeated ``actor_id``, or if one alias
        names two actors.
    """
    extra = None
    if extra_path is not None:
        path = Path(extra_path)
        if not path.is_file():
            raise ValueError(f"actor gazetteer file not found: {path}")
        try:
            extra = (path.read_bytes(), path.name)
        except OSError as error:
            raise ValueError(f"cannot read actor gazetteer {path.name}: {error}") from None
    return _gazetteer(extra).copy()


@lru_cache(maxsize=8)
def _gazetteer(extra: tuple[bytes, str] | None) -> pd.DataFrame:
    """:func:`load_gazetteer` of the user file with these (bytes, name), if any; parsed once per
    process and content, since both stages ask for it in every partition (about 5 ms each)."""
    shipped = resources.files("kursk_utils") / "data" / "actors.csv"
    with shipped.open("r", encoding="utf-8") as handle:
        table = _read_gazetteer_file(handle, "data/actors.csv")
    if extra is not None:
        data, name = extra
        user = _read_gazetteer_file(io.BytesIO(data), name)
        table = pd.concat([table[~table["actor_id"].isin(user["actor_id"])], user])
    long = table.rename(columns={"name": "actor_name"})
    long = long.assign(alias=long.pop("aliases").str.split("|")).explode("alias")
    long["alias"] = long["alias"].str.strip()
    long = long[long["alias"] != ""].drop_duplicates(["actor_id", "alias"])
    clash = long[long.duplicated("alias", keep=False)]
    if not clash.empty:
        alias = clash["alias"].iloc[0]
        owners = sorted(clash.loc[clash["alias"] == alias, "actor_id"])
        raise ValueError(f"alias {alias!r} names more than one actor: {owners}")
    return long[["actor_id", "actor_name", "group", "alias"]].sort_values(
        ["actor_id", "alias"], ignore_index=True
    )


@lru_cache(maxsize=8)
def _alias_pattern(aliases: tuple[str, ...]) -> re.Pattern[str]:
    # Longest alias first, so "Russian forces" wins over "Russia" and "North Korean troops" over
    # "troops". Lookarounds instead of \b because aliases such as "U.S." end in punctuation.
    return re.compile(r"(?<!\w)" + literal_alternation(aliases) + r"(?!\w)")


def find_mentions(sentences: pd.DataFrame, gazetteer: pd.DataFrame) -> pd.DataFrame:
    """Find every alias of every actor in the sentences.

    Matching is case-sensitive ("US" is not "us"), except that an alias written in lower case
    also matches with a capital first letter at the start of a sentence ("Soldiers said").
    Generic aliases (``soldiers``, ``troops``) are attributed to Ukrainian soldiers unless a
    longer alias (``Russian troops``, ``North Korean troops``) covers them.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table; needs ``doc_id``, ``sentence_id``, ``start`` and ``text``.
    gazetteer : pandas.DataFrame
        Output of :func:`load_gazetteer`.

    Returns
    -------
    pandas.DataFrame
        The ``actor_mentions`` table, sorted by (``doc_id``, ``sentence_id``, ``start``):
        ``doc_id``, ``sentence_id``, ``actor_id``, ``actor_name``, ``group``, ``alias`` (the
        matched text), ``start``, ``end`` (offsets into ``documents.text``, end exclusive).
    """
    require_columns(sentences, ["doc_id", "sentence_id", "start", "text"], "sentences")
    require_columns(gazetteer, ["actor_id", "actor_name", "group", "alias"], "gazetteer")
    actor_by_alias = {
        row.alias: (row.actor_id, row.actor_name, row.group)
        for row in gazetteer.itertuples(index=False)
    }
    for alias in list(actor_by_alias):
        if alias[:1].islower():
            actor_by_alias.setdefault(alias[:1].upper() + alias[1:], actor_by_alias[alias])
    pattern = _alias_pattern(tuple(actor_by_alias))
    rows = []
    for doc_id, sentence_id, start, text in column_rows(sentences, ("doc_id", "sentence_id", "start", "text")):
        for match in pattern.finditer(text):
            alias = match.group(0)
            rows.append(
                (doc_id, sentence_id, *actor_by_alias[alias], alias, start + match.start(), start + match.end())
            )
    # Sorted in Python (stable, as sort_values on several columns) and each column built once
    # with its dtype: DataFrame(rows).astype(...).sort_values(...) cost about 2 ms per call.
    rows.sort(key=lambda row: (row[0], row[1], row[6]))
    return pd.DataFrame({
        column: pd.array([row[position] for row in rows], dtype=_MENTION_DTYPES[column])
        for position, column in enumerate(MENTION_COLUMNS)
    })


def target_context(text: str, start: int, end: int) -> str:
    """Return the text scored for the target at ``text[start:end]``: quoted speech of others removed.

    Quoted passages of at least :data:`MIN_QUOTE_WORDS` words that do not contain the target are
    replaced by one space; everything else is kept as written.

    A quoted passage here is a pair of marks within the sentence, not
    :func:`kursk_utils.quotes.find_quote_spans`: that function reads a paragraph, where a quote
    may span sentences; run on one sentence, it takes the closing mark of a quote that began in
    an earlier sentence for an opening one and would drop the attribution after it
    (``...by Friday," military blogger X wrote.``). The document-level quote spans come from the
    framing stage, which runs after this one and needs the actor mentions, so they cannot be used.

    Examples
    --------
    >>> target_context('"We are losing ground fast," the analyst said of Russia.', 49, 55)
    '  the analyst said of Russia.'
    """
    return _MentionContexts(text, 0).of(start, end)


class MentionCapWarning(UserWarning):
    """Mentions beyond :data:`MAX_QUOTE_CONTEXTS` quotes of one sentence were scored without their quote."""


class _MentionContexts:
    """The :func:`target_context` of each mention of one sentence, computed once per quote.

    A mention's context is the sentence without the long quotes that do not contain it, so it
    is the same for every mention outside such quotes (the sentence without all of them), and
    for every mention inside one quote. Only the first :data:`MAX_QUOTE_CONTEXTS` quotes holding
    a mention get their own context: each costs a scoring of the whole sentence, and a run-on
    sentence of thousands of short quotes would otherwise cost time quadratic in its length.
    Mentions in later quotes take the shared context (``n_capped`` counts them).
    """

    def __init__(self, text: str, start: int) -> None:
        self.text, self.start, self.n_capped = text, start, 0
        self.quotes = [m.span() for m in _QUOTED.finditer(text)
                       if len(_WORD.findall(m.group(1))) >= MIN_QUOTE_WORDS]
        self.quote_starts = [q_start for q_start, _ in self.quotes]
        self.by_quote: dict[int | None, str] = {}
        self.n_quote_contexts = 0

    def of(self, start: int, end: int) -> str:
        """The context of the mention at document offsets ``[start, end)``."""
        start, end = start - self.start, end - self.start
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"target span [{start}, {end}) is outside a text of length {len(self.text)}")
        k = bisect_right(self.quote_starts, start) - 1
        inside = k if k >= 0 and end <= self.quotes[k][1] else None
        if inside is not None and inside not in self.by_quote:
            if self.n_quote_contexts == MAX_QUOTE_CONTEXTS:
                self.n_capped += 1
                inside = None
            else:
                self.n_quote_contexts += 1
        if inside not in self.by_quote:
            self.by_quote[inside] = _without_quotes(self.text, self.quotes, inside)
        return self.by_quote[inside]


def _without_quotes(text: str, quotes: list[tuple[int, int]], kept: int | None) -> str:
    """``text`` with each quote span replaced by one space, but for quote number ``kept``."""
    pieces, kept_until = [], 0
    for index, (start, end) in enumerate(quotes):
        if index == kept:
            continue
        pieces += [text[kept_until:start], " "]
        kept_until = end
    if not pieces:
        return text  # the same object: a sentence's mentions share one string, not copies
    pieces.append(text[kept_until:])
    return "".join(pieces)


def check_target_method(method: str) -> str:
    """Return ``method`` if it is one of :data:`TARGET_METHODS`; else raise ValueError."""
    return check_choice(method, TARGET_METHODS, "target sentiment method")


@cache
def target_model() -> TargetSentimentModel:
    """The shipped target-sentiment model, loaded (and its checksum checked) once per process."""
    return load_model()


def score_mentions(
    actor_mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    implementation: str = DEFAULT_IMPLEMENTATION,
    threshold: float = DEFAULT_THRESHOLD,
    sentence_sentiment: pd.DataFrame | None = None,
    method: str = DEFAULT_TARGET_METHOD,
    skipped: list[dict] | None = None,
) -> pd.DataFrame:
    """Add the sentiment toward each mention, by the target-sentiment model or by VADER.

    Parameters
    ----------
    actor_mentions : pandas.DataFrame
        Output of :func:`find_mentions`.
    sentences : pandas.DataFrame
        The ``sentences`` table (``doc_id``, ``sentence_id``, ``start``, ``text``).
    implementation : {"nltk", "vadersentiment"}, default
        :data:`kursk_utils.sentiment.DEFAULT_IMPLEMENTATION`; the VADER used by ``"vader"`` (and
        by the model's lexicon features, which always use the reference lexicon).
    threshold : float, default 0.05
        With ``"vader"``: compound at or beyond which a mention counts as negative or positive.
    sentence_sentiment : pandas.DataFrame, optional
        With ``"vader"``: the sentences' scores from
        :func:`kursk_utils.sentiment.score_sentences` with the same ``implementation``; a
        mention whose context is its whole sentence takes the sentence's compound instead of
        being scored again (same value, less work).
    method : {"model", "vader"}, default "model"
        ``"model"``: the shipped target-sentiment model (:func:`target_model`) reads the mention's
        sentence with the mention marked. ``"vader"``: the VADER compound of
        :func:`target_context` (the sentence without other speakers' quotes).
    skipped : list, optional
        With ``"vader"``: receives a row for each sentence whose mentions in quotes past the first
        :data:`MAX_QUOTE_CONTEXTS` were scored without their quote (also a
        :class:`MentionCapWarning`): ``doc_id``, ``sentence_id``, ``kind`` (``"mention_cap"``),
        ``detail``.

    Returns
    -------
    pandas.DataFrame
        ``actor_mentions`` with five more columns: ``compound`` (float64 in [-1, 1]: model
        ``p_positive - p_negative``; VADER the compound), ``label`` (model: the most probable
        class, ties to the first of negative, neutral, positive; VADER: ``compound`` against
        ``threshold``), ``p_negative``, ``p_neutral``, ``p_positive`` (float64, the model's class
        probabilities, summing to 1; NaN with ``"vader"``).
    """
    check_target_method(method)
    require_columns(actor_mentions, MENTION_COLUMNS, "actor_mentions")
    require_columns(sentences, ["doc_id", "sentence_id", "start", "text"], "sentences")
    check_threshold(threshold)
    # One string per sentence, looked up by key: no per-mention copies of a sentence's text.
    sentence_of = {(doc_id, sentence_id): (text, start) for doc_id, sentence_id, text, start
                   in column_rows(sentences, ("doc_id", "sentence_id", "text", "start"))}
    for doc_id, sentence_id in column_rows(actor_mentions, ("doc_id", "sentence_id")):
        if (doc_id, sentence_id) not in sentence_of:
            raise ValueError(
                f"actor_mentions refers to sentence ({doc_id}, {sentence_id}) "
                "that is not in the sentences table"
            )
    # The table built once from its columns: five column assignments cost about 1 ms per call.
    scored = {column: actor_mentions[column].array for column in actor_mentions.columns}
    if method == "model":
        probabilities = _model_probabilities(actor_mentions, sentence_of)
        compound = np.asarray(TargetSentimentModel.expected_score(probabilities), dtype="float64")
        labels = np.asarray(LABELS)[probabilities.argmax(axis=1)]
    else:
        probabilities = np.full((len(actor_mentions), len(LABELS)), np.nan)
        compound = np.asarray(
            _vader_compounds(actor_mentions, sentence_of, implementation, sentence_sentiment, skipped),
            dtype="float64",
        )
        labels = compound_labels(compound, threshold)
    scored["compound"] = compound
    scored["label"] = pd.array(labels, dtype="str")
    for column, values in zip(PROBABILITY_COLUMNS, probabilities.T):
        scored[column] = np.asarray(values, dtype="float64")
    return pd.DataFrame(scored)


def _model_probabilities(
    actor_mentions: pd.DataFrame, sentence_of: dict[tuple[str, int], tuple[str, int]]
) -> np.ndarray:
    """Class probabilities of each mention, one model call for the whole batch, shape (n, 3)."""
    # Each distinct (sentence text, span) once: duplicate articles repeat whole sentences.
    row_of: dict[tuple[str, int, int], int] = {}
    rows = []
    for doc_id, sentence_id, start, end in column_rows(
        actor_mentions, ("doc_id", "sentence_id", "start", "end")
    ):
        text, offset = sentence_of[(doc_id, sentence_id)]
        rows.append(row_of.setdefault((text, start - offset, end - offset), len(row_of)))
    targets = list(row_of)
    probabilities = target_model().predict_proba(
        [text for text, _, _ in targets], [(start, end) for _, start, end in targets]
    )
    return probabilities[np.asarray(rows, dtype="int64")] if rows else probabilities


def _vader_compounds(
    actor_mentions: pd.DataFrame,
    sentence_of: dict[tuple[str, int], tuple[str, int]],
    implementation: str,
    sentence_sentiment: pd.DataFrame | None,
    skipped: list[dict] | None = None,
) -> list[float]:
    """VADER compound of each mention's :func:`target_context`, each distinct context scored once;
    the sentences where mentions were scored without their quote go to ``skipped``."""
    known: dict[tuple[str, int, str], float] = {}
    if sentence_sentiment is not None:
        require_columns(sentence_sentiment, ["doc_id", "sentence_id", "compound"], "sentence_sentiment")
        compound_of = {(doc_id, sentence_id): compound for doc_id, sentence_id, compound
                       in column_rows(sentence_sentiment, ("doc_id", "sentence_id", "compound"))}
    # A sentence's mentions often share their context: each (sentence, context) is scored once.
    contexts: dict[tuple[str, int], _MentionContexts] = {}
    keys = []
    for doc_id, sentence_id, start, end in column_rows(
        actor_mentions, ("doc_id", "sentence_id", "start", "end")
    ):
        if (doc_id, sentence_id) not in contexts:
            contexts[(doc_id, sentence_id)] = _MentionContexts(*sentence_of[(doc_id, sentence_id)])
        text = contexts[(doc_id, sentence_id)].text
        context = contexts[(doc_id, sentence_id)].of(start, end)
        key = (doc_id, sentence_id, context)
        if context is text and sentence_sentiment is not None:
            known.setdefault(key, compound_of.get((doc_id, sentence_id)))
        keys.append(key)
    capped = sum(c.n_capped for c in contexts.values())
    if skipped is not None:
        skipped += [{"doc_id": doc_id, "sentence_id": sentence_id, "kind": "mention_cap",
                     "detail": f"{c.n_capped} actor mention(s) in quotes past the first {MAX_QUOTE_CONTEXTS} "
                               "quotes naming an actor were scored on the sentence without its quotes"}
                    for (doc_id, sentence_id), c in contexts.items() if c.n_capped]
    if capped:
        warnings.warn(
            f"{capped} actor mention(s) inside quotes of sentences with more than "
            f"{MAX_QUOTE_CONTEXTS} quotes naming an actor were scored without their quote",
            MentionCapWarning, stacklevel=3,
        )
    pending = sorted({key for key in keys if known.get(key) is None})
    known.update(zip(pending, score_texts([c for _, _, c in pending], implementation)["compound"]))
    return [known[key] for key in keys]


def _t_central_mass(t: float, nu: int) -> float:
    """P(|T| <= t) for Student's t with integer ``nu`` degrees of freedom, in closed form.

    Abramowitz & Stegun 26.7.3-4: with theta = atan(t / sqrt(nu)), a finite series in cos(theta).
    """
    theta = math.atan(t / math.sqrt(nu))
    sin, cos = math.sin(theta), math.cos(theta)
    if nu % 2:
        term, series = cos, 0.0
        for j in range((nu - 1) // 2):  # terms cos^1 .. cos^(nu-2); none for nu == 1
            series += term
            term *= cos * cos * (2 * j + 2) / (2 * j + 3)
        return 2 / math.pi * (theta + sin * series)
    term, series = 1.0, 0.0
    for j in range(nu // 2):  # terms cos^0 .. cos^(nu-2)
        series += term
        term *= cos * cos * (2 * j + 1) / (2 * j + 2)
    return sin * series


@cache
def t_quantile(probability: float, degrees_of_freedom: int) -> float:
    """Quantile of Student's t distribution for ``probability`` in [0.5, 1), by bisection.

    Uses the closed-form CDF for integer degrees of freedom (no SciPy dependency); exact to
    floating-point precision, e.g. ``t_quantile(0.975, 1) == 12.7062...``.
    """
    if not 0.5 <= probability < 1 or degrees_of_freedom < 1:
        raise ValueError("need 0.5 <= probability < 1 and degrees_of_freedom >= 1")
    target = 2 * probability - 1
    low, high = 0.0, 1.0
    while _t_central_mass(high, degrees_of_freedom) < target:
        low, high = high, high * 2
    for _ in range(100):
        middle = (low + high) / 2
        if _t_central_mass(middle, degrees_of_freedom) < target:
            if middle == low:  # (low, high) is a fixed point: the remaining steps change nothing
                break
            low = middle
        else:
            if middle == high:
                break
            high = middle
    return (low + high) / 2


def mean_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float]:
    """Student-t confidence interval of the mean of compound scores; (nan, nan) for fewer than 2.

    The interval is clipped to [-1, 1], the range of a compound score: with two or three
    sentences the t interval is wider than any mean could be.
    """
    values = np.asarray(values, dtype="float64")
    n = len(values)
    if n < 2:
        return math.nan, math.nan
    half_width = t_quantile(0.5 + level / 2, n - 1) * values.std(ddof=1) / math.sqrt(n)
    mean = values.mean()
    return max(mean - half_width, -1.0), min(mean + half_width, 1.0)


def sentence_scores(
    scored_mentions: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Collapse scored mentions to one score per (actor, sentence): the mean over its mentions.

    Parameters
    ----------
    scored_mentions : pandas.DataFrame
        Output of :func:`score_mentions`.
    threshold : float, default 0.05
        Threshold for the ``label`` of the sentence's mean compound when the mentions have no
        class probabilities (scored with ``"vader"``).

    Returns
    -------
    pandas.DataFrame
        ``actor_id``, ``actor_name``, ``group``, ``doc_id``, ``sentence_id``, ``n_mentions``,
        ``compound`` (mean of the mentions'), ``p_negative``, ``p_neutral``, ``p_positive`` (mean
        of the mentions' probabilities; NaN without them), ``label`` (the most probable class of
        the mean probabilities, as for one mention; without probabilities ``compound`` against
        ``threshold``), sorted by actor then (``doc_id``, ``sentence_id``).
    """
    require_columns(scored_mentions, [*MENTION_COLUMNS, "compound"], "scored actor_mentions")
    # Grouped and ordered in Python, the means by pandas on group numbers (group_means), the
    # table built once from arrays: the groupby on five key columns, reset_index, sort_values and
    # column assignments cost about 5 ms per call on a small batch. Groups numbered in order of
    # first row, as groupby(sort=False) numbers them, then stably sorted by actor, document,
    # sentence, as sort_values would order them.
    key_columns = [*_ACTOR_KEY, "doc_id", "sentence_id"]
    group_of: dict[tuple, int] = {}
    groups = np.fromiter((group_of.setdefault(key, len(group_of))
                          for key in column_rows(scored_mentions, key_columns)),
                         dtype="int64", count=len(scored_mentions))
    keys = list(group_of)
    order = sorted(range(len(keys)),
                   key=lambda group: (keys[group][0], keys[group][3], keys[group][4]))
    n_rows = len(scored_mentions)
    values = np.column_stack([
        scored_mentions[column].to_numpy(dtype="float64") if column in scored_mentions
        else np.full(n_rows, np.nan)  # scored before the model's probabilities existed
        for column in ["compound", *PROBABILITY_COLUMNS]
    ])
    means = group_means(values, groups)[order]
    lengths = np.bincount(groups, minlength=len(keys))[order].astype("int64")
    probabilities = means[:, 1:]
    by_model = ~np.isnan(probabilities).any(axis=1)
    labels = compound_labels(means[:, 0], threshold).astype("object")
    labels[by_model] = np.asarray(LABELS)[probabilities[by_model].argmax(axis=1)]
    columns = {column: pd.array([keys[group][position] for group in order],
                                dtype=scored_mentions[column].dtype)
               for position, column in enumerate(key_columns)}
    columns |= {"n_mentions": lengths, "compound": means[:, 0]}
    columns |= {column: probabilities[:, position]
                for position, column in enumerate(PROBABILITY_COLUMNS)}
    columns["label"] = pd.array(labels, dtype="str")
    return pd.DataFrame(columns)


# Columns of sentence_scores that _summary reads, in its argument order.
_SUMMARY_INPUTS = ("compound", "label", "doc_id", "sentence_id")


def summarize_actor(scores: pd.DataFrame, level: float) -> dict[str, object]:
    """Summary of one actor's sentence scores: the figures of one ``actor_sentiment`` row.

    ``scores`` holds one actor's rows of :func:`sentence_scores`, sorted by (doc_id, sentence_id),
    so the most negative/positive sentence is the first in reading order on ties. Returns
    ``n_sentences``, ``mean_compound``, ``ci_low``, ``ci_high``, ``share_negative``,
    ``share_positive`` and the evidence ids (null where the actor has no negative/positive sentence).
    """
    return _summary(*(scores[c].to_numpy() for c in _SUMMARY_INPUTS), level)


def _summary(
    compound: np.ndarray, label: np.ndarray, doc_id: np.ndarray, sentence_id: np.ndarray,
    level: float,
) -> dict[str, object]:
    # NumPy on the column arrays, not pandas: this runs once per (actor, document).
    ci_low, ci_high = mean_interval(compound, level)
    negative = label == "negative"
    positive = label == "positive"
    most_negative = int(compound.argmin()) if negative.any() else None
    most_positive = int(compound.argmax()) if positive.any() else None
    return {
        "n_sentences": len(compound),
        "mean_compound": compound.mean(),
        "ci_low": ci_low,
        "ci_high": ci_high,
        "share_negative": negative.mean(),
        "share_positive": positive.mean(),
        "most_negative_sentence_id": None if most_negative is None else sentence_id[most_negative],
        "most_positive_sentence_id": None if most_positive is None else sentence_id[most_positive],
        "most_negative_doc_id": None if most_negative is None else doc_id[most_negative],
        "most_positive_doc_id": None if most_positive is None else doc_id[most_positive],
    }


def _summary_of_one(compound: float, label: str, doc_id: str, sentence_id: int) -> dict[str, object]:
    """:func:`_summary` of a single sentence (the same values), without NumPy."""
    negative, positive = label == "negative", label == "positive"
    return {
        "n_sentences": 1,
        "mean_compound": compound,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "share_negative": float(negative),
        "share_positive": float(positive),
        "most_negative_sentence_id": sentence_id if negative else None,
        "most_positive_sentence_id": sentence_id if positive else None,
        "most_negative_doc_id": doc_id if negative else None,
        "most_positive_doc_id": doc_id if positive else None,
    }


def actor_sentiment(
    scored_mentions: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD, level: float = 0.95,
    scores: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sentiment toward each actor, per document and over the whole corpus.

    Each sentence that mentions an actor counts once, with the mean compound of its mentions
    (see :func:`sentence_scores`).

    Parameters
    ----------
    scored_mentions : pandas.DataFrame
        Output of :func:`score_mentions`.
    threshold : float, default 0.05
        Threshold for counting a sentence as negative or positive toward the actor.
    level : float, default 0.95
        Confidence level of the interval around the mean.
    scores : pandas.DataFrame, optional
        ``sentence_scores(scored_mentions, threshold)``, when the caller has it already.

    Returns
    -------
    pandas.DataFrame
        The ``actor_sentiment`` table, sorted by (``actor_id``, ``doc_id``), ``doc_id`` ``"*"``
        (the corpus row) first: ``actor_id``, ``actor_name``, ``group``, ``doc_id``,
        ``n_sentences`` (sentences behind the row's figures), ``mean_compound``, ``ci_low``,
        ``ci_high`` (Student-t interval of the mean; NaN for a single sentence),
        ``share_negative``, ``share_positive``, ``most_negative_sentence_id``,
        ``most_positive_sentence_id`` (Int64; the lowest/highest scoring sentence, null when no
        sentence is negative/positive), ``most_negative_doc_id``, ``most_positive_doc_id``
        (the document of that sentence).
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    if scores is None:
        scores = sentence_scores(scored_mentions, threshold)
    columns = [scores[c].to_numpy() for c in _SUMMARY_INPUTS]
    doc_ids = columns[_SUMMARY_INPUTS.index("doc_id")]
    # Each actor's rows by a dict, not groupby(...).indices (about 2 ms per call on a small batch).
    rows_of: dict[tuple, list[int]] = {}
    for row, key in enumerate(column_rows(scores, _ACTOR_KEY)):
        rows_of.setdefault(key, []).append(row)
    rows = []
    for (actor_id, actor_name, group), actor_rows in sorted(rows_of.items()):
        positions = np.asarray(actor_rows, dtype="int64")
        actor = {"actor_id": actor_id, "actor_name": actor_name, "group": group}
        rows.append(actor | {"doc_id": "*"} | _summary(*(c[positions] for c in columns), level))
        # Stable sort by document: each document's sentences stay in reading order.
        positions = positions[np.argsort(doc_ids[positions], kind="stable")]
        breaks = np.flatnonzero(doc_ids[positions][1:] != doc_ids[positions][:-1]) + 1
        for document in np.split(positions, breaks):
            # Most (actor, document) rows stand on one sentence: no arrays to build for those.
            summary = (_summary(*(c[document] for c in columns), level) if len(document) > 1
                       else _summary_of_one(*(c[document[0]] for c in columns)))
            rows.append(actor | {"doc_id": doc_ids[document[0]]} | summary)
    # Each column built once with its dtype: DataFrame(rows).astype(...) took about 2 ms per call.
    return pd.DataFrame({column: pd.array([row[column] for row in rows], dtype=dtype)
                         for column, dtype in _ACTOR_SENTIMENT_DTYPES.items()})


def actor_evidence(
    scored_mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    n: int = 2,
    threshold: float = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """The most negative and most positive sentences toward each actor, with their text.

    Parameters
    ----------
    scored_mentions : pandas.DataFrame
        Output of :func:`score_mentions`.
    sentences : pandas.DataFrame
        The ``sentences`` table (``doc_id``, ``sentence_id``, ``text``).
    n : int, default 2
        Sentences to show per actor and polarity.
    threshold : float, default 0.05
        Only sentences labelled negative (positive) with this threshold are shown as negative
        (positive) evidence, so an actor without negative sentences has no negative evidence.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``actor_id``, ``polarity`` (``negative`` first), ``rank``: ``actor_id``,
        ``actor_name``, ``group``, ``polarity``, ``rank`` (1 = most extreme), ``doc_id``,
        ``sentence_id``, ``compound`` (toward the actor), ``text`` (the whole sentence, as
        written: escape it when rendering outside a DataFrame).
    """
    check_positive_int(n, "n")
    require_columns(sentences, ["doc_id", "sentence_id", "text"], "sentences")
    scores = sentence_scores(scored_mentions, threshold)
    parts = []
    for polarity, ascending in (("negative", True), ("positive", False)):
        chosen = scores[scores["label"] == polarity].sort_values(
            ["actor_id", "compound", "doc_id", "sentence_id"],
            ascending=[True, ascending, True, True],
            ignore_index=True,
        )
        chosen = chosen.groupby("actor_id", sort=False).head(n)
        chosen = chosen.assign(
            polarity=polarity, rank=chosen.groupby("actor_id").cumcount().astype("int64") + 1
        )
        parts.append(chosen)
    evidence = pd.concat(parts, ignore_index=True).merge(
        sentences[["doc_id", "sentence_id", "text"]], on=["doc_id", "sentence_id"], how="left"
    )
    columns = [*_ACTOR_KEY, "polarity", "rank", "doc_id", "sentence_id", "compound", "text"]
    return evidence[columns].sort_values(["actor_id", "polarity", "rank"], ignore_index=True)
