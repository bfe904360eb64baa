"""Frame detection: the codebook, explainable sentence-level rules and document aggregation.

The codebook (``kursk_utils/data/codebook.toml`` by default, or the user's own: any number of frames
with any ids, see ``docs/codebook_guide.md``) is the single source of the frame list and its order.
Each frame has weighted cues (regular expressions over general vocabulary of the frame), optional
requirements (referents such as a soldier voice, the US, Europe or the operation), negation
handling and, for some frames, a bonus when the sentence is negative according to VADER. Its
optional ``[topic]`` says what the corpus should be about (:func:`topic_check`). :func:`detect_frames` scores every sentence
and keeps, for each frame found, the evidence that produced the score, with document offsets, so a
user can always see why a sentence was flagged (:func:`explain`).

Score of a frame in a sentence: the sum of the weights of the distinct cues that count (each cue at
most once: its first match that is not negated), plus the frame's ``negative_sentiment_bonus`` when
the sentence compound is <= -0.05 and at least one cue counted. The frame is present when the score
reaches the frame's ``threshold`` and every required referent holds. Only present frames are written.

Sides (the codebook's ``[agents]`` names): a referent with a ``side`` ignores words qualified by
another side ("Russian conscripts") and speakers of another side; a cue with a ``side`` ignores
matches about another side's actors (its subject's, or with ``side_of = "object"`` the one the event
is done to); a cue with a ``voice`` counts only in a sentence that side voices; a frame with a
``voice_side`` ignores sentences voiced only by another side (from the speaker's description, the
quotes table's ``side`` or ``role``, or an attribution in the text).

Patterns may use the codebook's ``[classes]``, named word groups written once (``{name}``); a frame
with ``realised_only`` ignores cues naming an attempted, intended or hypothetical event.
"""

from __future__ import annotations

import itertools
import json
import operator
import re
import tomllib
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd
import regex

from kursk_utils.cue_index import CueIndex, fold, matches, required_substrings, untimed_lengths
from kursk_utils.contracts import require_columns
from kursk_utils.frame_model import Feature, FrameModel, sentence_features
from kursk_utils.tables import column_rows
from kursk_utils.text import literal_alternation

DEFAULT_CODEBOOK_PATH = Path(__file__).parent / "data" / "codebook.toml"
NEGATIVE_COMPOUND = -0.05
NEGATION_KINDS = frozenset({"negator", "denial", "post", "mention"})
# Not a negation: an attempted, intended or hypothetical event, ignored by ``realised_only`` frames.
UNREALISED = "unrealised"
# Sides a speaker's role implies when the quotes table has no ``side`` column (or a null side).
ROLE_SIDES = {"ukrainian_official": "ukraine", "russian_official": "russia", "us_official": "us"}
# Speaker sides that name a party; "other" and null say nothing about whose voice it is.
KNOWN_SIDES = frozenset({"ukraine", "russia", "us", "europe"})
# A prisoner speaks as the captors let it: what captured Ukrainian soldiers say on Russian media is a
# Russian claim (and the reverse), so a captive speaker voices the side holding it.
CAPTORS = {"ukraine": "russia", "russia": "ukraine"}
_CAPTIVE = re.compile(r"(?<!\w)(?:captured|captive|imprisoned|detained|prisoners?|surrendered|(?-i:POWs?))(?!\w)", re.IGNORECASE)
# How many words may separate a side's name from the referent it qualifies ("Russian contract
# soldiers", "Russia's newly mobilised reservists").
SIDE_MODIFIER_WORDS = 2
# Whose side a cue with a ``side`` is about: its subject, or the object of the event it names.
SIDE_OF = ("subject", "object")
# How many words may separate such a cue from its object ("encircled a group of AFU militants").
SIDE_OBJECT_WORDS = 4
# Words an object phrase does not cross: the agent of a passive ("surrounded by Russian forces") and
# the verbs of the next predicate ("encircled in Kursk were a Russian psychological operation").
_NOT_OBJECT = frozenset({"by", "is", "are", "was", "were", "be", "been", "has", "have", "had", "said", "says"})
FRAMES_BY_SENTENCE_COLUMNS = ["doc_id", "sentence_id", "frame", "score", "evidence"]
TOPIC_CHECK_COLUMNS = ["doc_id", "n_sentences", "topic_sentences", "topic_terms", "on_topic"]
# "Most articles": below this share of articles mentioning the topic, the codebook may not fit.
TOPIC_MIN_SHARE = 0.5
# Sections a codebook may leave out: the shipped codebook's are used instead.
FALLBACK_SECTIONS = ("negation", "referents", "agents", "voice")
# [classes] (named word groups for patterns) extends the shipped classes instead of replacing them.
CLASSES_SECTION = "classes"
# Frame ids become column names of frames_by_document (<id>, <id>_score, <id>_sentences).
_FRAME_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# A reference to a word class of the codebook's [classes] in a pattern: {name}.
_CLASS_REFERENCE = re.compile(r"(?<!\\)\{([A-Za-z][A-Za-z0-9_]*)\}")
_RESERVED_SUFFIXES = ("_score", "_sentences")
# Seconds one search of a codebook pattern may take: a pattern that backtracks catastrophically
# (``(a|aa)+$``) is then skipped for that sentence with a CueTimeoutWarning instead of hanging.
CUE_MATCH_TIMEOUT = 1.0
# Backtracking steps a codebook search may provably take and run without the timeout: even at
# 100 ns a step (a step is a character test or a node entered; the engine does tens of millions a
# second) that is 0.2 s, a fifth of the timeout.
UNTIMED_STEPS = 2e6
# The flags the standard library's parser knows (cue_index reads patterns with it); ``regex``
# adds its own (e.g. its version flag), the shared ones have the same values.
_RE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.UNICODE | re.ASCII

# Tokens for the negator window: words with inner apostrophes ("don't") and hyphens kept whole.
_TOKEN = re.compile(r"[\w'’-]+")
# A side's name qualifying a noun ends within this many characters before it.
_MODIFIER_CHARS = 60
# The subject of an attribution verb ("a Russian lawmaker said") ends this many words before it.
_SUBJECT_WORDS = 6
# A passive auxiliary right before a cue, with at most one adverb between ("were quickly pushed").
_PASSIVE_BEFORE = re.compile(r"(?<!\w)(?:is|are|was|were|be|been|being|get|gets|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
# A cue opening with an -ing form: after "are", "were", "been" it is progressive (active), not passive.
_PROGRESSIVE = re.compile(r"\w+ing\b", re.IGNORECASE)
# The same before a cue about its object, also with a reflexive or an adverb of degree or time
# ("were themselves cut off", "found themselves surrounded", "were completely encircled").
_PASSIVE_OBJECT = re.compile(
    r"(?<!\w)(?:is|are|was|were|be|been|being|get|gets|got|getting|become|became|remains?|remained|"
    r"(?:found|find|finds) themselves)\s+(?:(?:\w+ly|themselves|itself|already|still|also|now|almost|nearly)\s+){0,2}$",
    re.IGNORECASE,
)
# The subject of an attribution verb is a pronoun right before it ("..., they say"), and a side's
# name governed by a preposition is no subject ("angry at the Russians", "told Russian media").
_PRONOUN_SUBJECT = re.compile(r"(?<!\w)(?:he|she|they|we|i|it)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(
    r"(?<!\w)(?:at|to|from|against|with|for|of|on|about|over|toward|towards|into)\s+(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)
# Passive agent after a cue: "was recaptured by Russian forces".
# A preposition whose object is no actor of the cue after it ("in an interview with Russian
# correspondents, said his commanders had fled"); "of" and "from" stay ("units of the Russian army
# fled"), and so does a possessive ("preparing for Russia's attempt to carve out a buffer zone").
_CUE_PREPOSITION = re.compile(
    r"(?<!\w)(?:at|to|with|for|against|about|into|toward|towards)\s+(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?\b")
_BY_AGENT = re.compile(r"(?:\W+\w+){0,3}?\W+by\s+(?:the\s+)?", re.IGNORECASE)


class CueTimeoutWarning(UserWarning):
    """A codebook pattern took longer than :data:`CUE_MATCH_TIMEOUT` on a sentence and was skipped there."""


class TimedPattern:
    """A codebook pattern compiled by the ``regex`` engine (its ``re``-compatible version 0) whose
    every search raises ``TimeoutError`` after :data:`CUE_MATCH_TIMEOUT` seconds: codebooks are
    user input. Offers the ``re.Pattern`` methods the detector and :mod:`kursk_utils.cue_index` use.

    A timed search costs 3-4 µs more than an untimed one (``regex`` reads the process CPU clock), so
    a search on a text short enough for the pattern's backtracking to be bounded by
    :data:`UNTIMED_STEPS` steps (:func:`kursk_utils.cue_index.untimed_lengths`, from its parse tree)
    runs untimed: it cannot come near the timeout, so it gives what the timed search gives."""

    __slots__ = ("compiled", "_untimed_search", "_untimed_match")

    def __init__(self, compiled: regex.Pattern) -> None:
        self.compiled = compiled
        self._untimed_search, self._untimed_match = untimed_lengths(self, UNTIMED_STEPS)

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    @property
    def flags(self) -> int:
        return self.compiled.flags & _RE_FLAGS

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> regex.Match | None:
        if len(string) <= self._untimed_search:
            return self.compiled.search(string, pos, endpos)
        return self.compiled.search(string, pos, endpos, timeout=CUE_MATCH_TIMEOUT)

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> regex.Match | None:
        if len(string) <= self._untimed_match:
            return self.compiled.match(string, pos, endpos)
        return self.compiled.match(string, pos, endpos, timeout=CUE_MATCH_TIMEOUT)

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None):
        if len(string) <= self._untimed_search:  # the searches of one iteration start ever later
            return self.compiled.finditer(string, pos, endpos)
        return self.compiled.finditer(string, pos, endpos, timeout=CUE_MATCH_TIMEOUT)


# A pattern skipped in a sentence: (doc_id, sentence_id, what, sentence text).
_Timeout = tuple[str, int, str, str]


def _report_timeouts(timeouts: list[_Timeout], skipped: list[dict] | None) -> None:
    """Warn of each skipped pattern (:class:`CueTimeoutWarning`) and, given ``skipped``, add its
    row there (``doc_id``, ``sentence_id``, ``kind`` ``"cue_timeout"``, ``detail``: what and why)."""
    for doc_id, sentence_id, what, text in timeouts:
        warnings.warn(
            f"codebook {what} took longer than {CUE_MATCH_TIMEOUT} s on sentence {sentence_id} of "
            f"{doc_id} ({text[:60]!r}...) and was skipped for that sentence",
            CueTimeoutWarning, stacklevel=3,
        )
        if skipped is not None:
            skipped.append({"doc_id": doc_id, "sentence_id": sentence_id, "kind": "cue_timeout",
                            "detail": f"codebook {what} took longer than {CUE_MATCH_TIMEOUT} s and was "
                                      "skipped for this sentence"})


class CodebookError(ValueError):
    """The codebook file is missing or malformed, or a frame, pattern or reference in it is invalid."""


@dataclass(frozen=True)
class Cue:
    """One weighted pattern of a frame. ``agent`` restricts it to sentences where that actor acts;
    ``side`` drops it when the actor it is about belongs to another side; ``side_of`` says who that
    is: the ``"subject"`` (named inside the cue or before it) or, for an event done to someone
    ("encircled AFU units"), the ``"object"`` named right after it when there is one. ``voice``
    counts it only in a sentence voiced by that side (a Russian claim of the enemy's surrender);
    ``not_voice`` drops it in a sentence voiced by that side (a Ukrainian report of "enemy losses").
    ``not_aimed_at`` drops it when the side it is aimed at, named right after it, is that side
    (blame of the enemy: "nobody is to blame except Russia")."""

    pattern: str
    regex: TimedPattern
    weight: float
    agent: str | None
    side: str | None = None
    side_of: str = "subject"
    voice: str | None = None
    not_aimed_at: str | None = None
    not_voice: str | None = None


@dataclass(frozen=True)
class Frame:
    """A codebook frame: definition texts and the rules that detect it."""

    id: str
    label: str
    definition: str
    include: str
    exclude: str
    threshold: float
    negatable: bool
    requires: tuple[str, ...]
    feeds: str | None
    feed_on: frozenset[str]
    negative_sentiment_bonus: float
    cues: tuple[Cue, ...]
    voice_side: str | None = None
    realised_only: bool = False
    model_threshold: float | None = None  # the frame model's add threshold for this frame; None: the model's own
    excluded_voices: TimedPattern | None = None  # speakers whose words do not count for it (see _excluded_voice)
    not_with: frozenset[str] = frozenset()  # frames in whose sentence it does not count (cited to be rejected)
    model_contrary: TimedPattern | None = None  # words saying the opposite: the model does not add the frame there


@dataclass(frozen=True)
class Referent:
    """Who or what a frame needs in the sentence (see the codebook header for how it is resolved)."""

    name: str
    regex: TimedPattern | None
    speaker_roles: frozenset[str]
    actor_groups: frozenset[str]
    carry_if: TimedPattern | None
    name_patterns: tuple[TimedPattern, ...]
    side: str | None = None
    carry_scope: str = "paragraph"
    # (side, pattern of the referent's words that are of that side when no side is named before them)
    unqualified_sides: tuple[tuple[str, TimedPattern], ...] = ()
    # Referent words that, named with a side, tell whose referent (whose soldiers) a document is about.
    document_side_words: TimedPattern | None = None

    @cached_property
    def name_substrings(self) -> tuple[frozenset[str] | None, ...]:
        """For each name pattern, strings one of which a sentence must contain to match it."""
        return tuple(required_substrings(pattern) for pattern in self.name_patterns)

    @cached_property
    def name_gates(self) -> tuple[re.Pattern | None, ...]:
        """For each name pattern, the :func:`_substring_gate` of its :attr:`name_substrings`: one
        compiled search of a folded sentence instead of a test per substring."""
        return tuple(_substring_gate(substrings) for substrings in self.name_substrings)

    @cached_property
    def name_gate(self) -> re.Pattern | None:
        """Finds any of the :attr:`name_substrings` in a folded sentence: without one, no name
        pattern can match (None: no name patterns, or one that cannot be prefiltered)."""
        if not self.name_patterns or None in self.name_substrings:
            return None
        return _substring_gate(frozenset().union(*self.name_substrings))


def _substring_gate(substrings: frozenset[str] | None) -> re.Pattern | None:
    """Finds any of ``substrings`` (:func:`cue_index.required_substrings`) in a folded text: where
    it finds none, their pattern cannot match (None: no prefilter)."""
    return None if substrings is None else re.compile(literal_alternation(substrings))


@dataclass(frozen=True)
class Negation:
    """Negation scopes: short negators before a cue (not across ``window_breaks``: "no food coming
    in, only what we carried"), denials opening a clause, post-negation, mentions (the cue names a
    reported claim as a topic: "rumours that troops were trapped", or the rest of its clause calls
    the claim unsupported: "without offering evidence") and unrealised events (attempted, intended
    or hypothetical: "tried to advance", "would otherwise have been trapped"), which only frames
    with ``realised_only`` ignore."""

    negators: TimedPattern
    window_tokens: int
    denials: TimedPattern
    post: TimedPattern
    clause_breaks: TimedPattern
    mentions: TimedPattern | None = None
    unsupported: TimedPattern | None = None
    window_breaks: TimedPattern | None = None
    unrealised: TimedPattern | None = None

    @cached_property
    def gates(self) -> dict[str, re.Pattern | None]:
        """Per scope searched in a part of a sentence, the :func:`_substring_gate` of its pattern."""
        return {name: None if getattr(self, name) is None else
                _substring_gate(required_substrings(getattr(self, name)))
                for name in ("denials", "post", "mentions", "unsupported", "unrealised")}


@dataclass(frozen=True)
class Codebook:
    """A loaded, validated codebook. ``frames`` are in the file's order (the codebook order).

    ``topic`` matches the words that say an article is about the codebook's topic: the patterns
    of its ``[topic]`` section, else those of the referents the file itself defines (None: neither,
    the topic is not checked). ``fallbacks`` names the sections taken from the shipped codebook.
    """

    frames: tuple[Frame, ...]
    referents: dict[str, Referent]
    agents: dict[str, TimedPattern]
    negation: Negation
    source: str
    attribution: TimedPattern | None = None
    side_names: dict[str, TimedPattern] | None = None
    topic: TimedPattern | None = None
    fallbacks: tuple[str, ...] = ()
    voice_lexicon: dict[str, TimedPattern] | None = None  # side -> the words only its voice uses
    commentary: TimedPattern | None = None  # marks a document as its author's commentary ([voice] commentary)

    @property
    def frame_ids(self) -> tuple[str, ...]:
        return tuple(frame.id for frame in self.frames)

    @cached_property
    def indexed_cues(self) -> tuple[tuple[Frame, int, Cue], ...]:
        """(frame, cue index in the frame, cue) of every cue, frame by frame: the first patterns of
        :attr:`pattern_index`, at these positions."""
        return tuple((frame, index, cue) for frame in self.frames for index, cue in enumerate(frame.cues))

    @cached_property
    def referent_positions(self) -> dict[str, int | None]:
        """For each referent, the position of its pattern in :attr:`pattern_index` (None: no pattern)."""
        position = len(self.indexed_cues)
        positions: dict[str, int | None] = {}
        for name, referent in self.referents.items():
            positions[name] = None if referent.regex is None else position
            position += referent.regex is not None
        return positions

    @cached_property
    def voice_positions(self) -> dict[str | None, int]:
        """The position in :attr:`pattern_index` of each side's ``[voice] lexicon`` pattern (by side)
        and of the ``commentary`` pattern (key None), after the referents': the scan that finds the
        places of the cues tells, in the same pass, which sentences may use a side's words or mark
        a commentary (most do neither)."""
        first = len(self.indexed_cues) + sum(r.regex is not None for r in self.referents.values())
        sides = list(self.voice_lexicon or {}) + ([None] if self.commentary is not None else [])
        return {side: first + offset for offset, side in enumerate(sides)}

    @cached_property
    def pattern_index(self) -> CueIndex:
        """Which cue, referent and voice patterns may match a sentence (positions: :attr:`indexed_cues`,
        then :attr:`referent_positions`, then :attr:`voice_positions`)."""
        referent_patterns = [r.regex for r in self.referents.values() if r.regex is not None]
        voice_patterns = [self.commentary if side is None else self.voice_lexicon[side] for side in self.voice_positions]
        return CueIndex([cue.regex for _, _, cue in self.indexed_cues] + referent_patterns + voice_patterns)

    @cached_property
    def topic_index(self) -> CueIndex | None:
        """Where :attr:`topic` may match a sentence (its only position is 0; None: no topic).
        Most sentences of a corpus hold none of its words' prefixes and are not searched."""
        return None if self.topic is None else CueIndex([self.topic])

    @cached_property
    def _possible(self) -> dict[frozenset[str], frozenset[str]]:
        return {}

    def possible_frames(self, missing: frozenset[str]) -> frozenset[str]:
        """Ids of the frames that require none of the referents in ``missing`` (found once per
        set of missing referents: detection asks for every sentence)."""
        if missing not in self._possible:
            self._possible[missing] = frozenset(frame.id for frame in self.frames
                                                if missing.isdisjoint(frame.requires))
        return self._possible[missing]

    def table(self) -> pd.DataFrame:
        """The codebook as a DataFrame: ``id``, ``label``, ``include``, ``exclude``, ``n_cues``."""
        return pd.DataFrame(
            {
                "id": [f.id for f in self.frames],
                "label": [f.label for f in self.frames],
                "include": [f.include for f in self.frames],
                "exclude": [f.exclude for f in self.frames],
                "n_cues": [len(f.cues) for f in self.frames],
            }
        )


def _compile(pattern: object, where: str, classes: Mapping[str, str] | None = None) -> TimedPattern:
    """Compile a codebook pattern as a case-insensitive whole-word regex, with a clear error;
    ``{name}`` references to ``classes`` (:func:`_expand`) are replaced first."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise CodebookError(f"{where}: pattern must be a non-empty string")
    return _compile_plain(rf"(?<!\w)(?:{_expand(pattern, classes or {}, where)})(?!\w)", where, shown=pattern)


def _expand(pattern: str, classes: Mapping[str, str], where: str) -> str:
    """``pattern`` with each ``{name}`` of a word class replaced by ``(?:<its pattern>)``.

    Regex quantifiers (``{2}``, ``{0,3}``) start with a digit, so they never look like a class;
    ``\\{`` keeps a literal brace. An unknown name is an error, not a literal that never matches.
    """

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in classes:
            known = ", ".join(sorted(classes)) or "none"
            raise CodebookError(f"{where}: unknown word class {{{name}}} (classes: {known})")
        return f"(?:{classes[name]})"

    return _CLASS_REFERENCE.sub(replace, pattern)


def _load_classes(table: dict, base: Mapping[str, str], where: str = "classes") -> dict[str, str]:
    """The ``[classes]`` table over ``base``: name -> expanded pattern; a class may use the classes
    of ``base`` and those defined above it in the table."""
    classes = dict(base)
    for name, pattern in table.items():
        if not _FRAME_ID.fullmatch(name):
            raise CodebookError(f"{where}.{name}: a class name must be a letter then letters, digits or '_'")
        if not isinstance(pattern, str) or not pattern.strip():
            raise CodebookError(f"{where}.{name}: pattern must be a non-empty string")
        classes[name] = _expand(pattern, classes, f"{where}.{name}")
        _compile_plain(classes[name], f"{where}.{name}", shown=pattern)
    return classes


def _compile_plain(pattern: str, where: str, shown: str | None = None) -> TimedPattern:
    """Compile a codebook pattern as written (case-insensitive), with a clear error."""
    try:
        return TimedPattern(regex.compile(pattern, regex.IGNORECASE))
    except regex.error as error:
        shown = pattern if shown is None else shown
        raise CodebookError(f"{where}: invalid regular expression ({error}): {shown!r}") from None


def _get(table: dict, key: str, kind: type, where: str, default: object = ...) -> object:
    if key not in table:
        if default is ...:
            raise CodebookError(f"{where}: missing key '{key}'")
        return default
    value = table[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind):
        raise CodebookError(f"{where}: '{key}' must be {kind.__name__}, got {value!r}")
    return value


def _load_frame(frame_id: str, table: object, frame_ids: list[str], referents: dict, agents: dict,
                classes: Mapping[str, str]) -> Frame:
    where = f"frames.{frame_id}"
    if not _FRAME_ID.fullmatch(frame_id) or frame_id == "doc_id" or frame_id.endswith(_RESERVED_SUFFIXES):
        raise CodebookError(
            f"{where}: a frame id must be a letter then letters, digits or '_' (it names table "
            f"columns), not 'doc_id' nor ending in {' or '.join(_RESERVED_SUFFIXES)}"
        )
    if not isinstance(table, dict):
        raise CodebookError(f"{where}: must be a table ([frames.{frame_id}]) with label, definition, include, threshold and cues")
    requires = tuple(_get(table, "requires", list, where, []))
    for name in requires:
        if name not in referents:
            raise CodebookError(f"{where}: requires unknown referent '{name}' (known: {sorted(referents)})")
    feeds = _get(table, "feeds", str, where, None)
    if feeds is not None and feeds not in frame_ids:
        raise CodebookError(f"{where}: feeds unknown frame '{feeds}' (frames: {frame_ids})")
    feed_on = frozenset(_get(table, "feed_on", list, where, []))
    not_with = frozenset(_get(table, "not_with", list, where, []))
    if not not_with <= set(frame_ids) - {frame_id}:
        raise CodebookError(f"{where}: not_with must name other frames (frames: {frame_ids})")
    if not feed_on <= NEGATION_KINDS:
        raise CodebookError(f"{where}: feed_on must be among {sorted(NEGATION_KINDS)}")
    cues = []
    for index, cue in enumerate(_get(table, "cues", list, where)):
        cue_where = f"{where}.cues[{index}]"
        if not isinstance(cue, dict):
            raise CodebookError(f"{cue_where}: must be a table with 'pattern' and 'weight'")
        weight = _get(cue, "weight", float, cue_where)
        if weight <= 0:
            raise CodebookError(f"{cue_where}: weight must be positive")
        agent = _get(cue, "agent", str, cue_where, None)
        if agent is not None and agent not in agents:
            raise CodebookError(f"{cue_where}: unknown agent '{agent}' (known: {sorted(agents)})")
        side = _side(cue, cue_where, agents)
        side_of = _get(cue, "side_of", str, cue_where, "subject")
        if side_of not in SIDE_OF:
            raise CodebookError(f"{cue_where}: side_of must be one of {list(SIDE_OF)}, got {side_of!r}")
        voice = _side(cue, cue_where, agents, "voice")
        not_aimed_at = _side(cue, cue_where, agents, "not_aimed_at")
        not_voice = _side(cue, cue_where, agents, "not_voice")
        pattern = _get(cue, "pattern", str, cue_where)
        cues.append(Cue(pattern, _compile(pattern, cue_where, classes), weight, agent, side, side_of, voice,
                        not_aimed_at, not_voice))
    if not cues:
        raise CodebookError(f"{where}: needs at least one cue")
    return Frame(
        id=frame_id,
        label=_get(table, "label", str, where),
        definition=_get(table, "definition", str, where),
        include=_get(table, "include", str, where),
        exclude=_get(table, "exclude", str, where, ""),
        threshold=_get(table, "threshold", float, where),
        negatable=_get(table, "negatable", bool, where, False),
        requires=requires,
        feeds=feeds,
        feed_on=feed_on,
        negative_sentiment_bonus=_get(table, "negative_sentiment_bonus", float, where, 0.0),
        cues=tuple(cues),
        voice_side=_side(table, where, agents, "voice_side"),
        realised_only=_get(table, "realised_only", bool, where, False),
        model_threshold=_probability(table, where, "model_threshold"),
        excluded_voices=_optional_pattern(table, "excluded_voices", where, classes),
        not_with=not_with,
        model_contrary=_optional_pattern(table, "model_contrary", where, classes),
    )


def _probability(table: dict, where: str, key: str) -> float | None:
    """The optional probability ``key`` of a codebook table, in (0, 1)."""
    value = _get(table, key, float, where, None)
    if value is not None and not 0.0 < value < 1.0:
        raise CodebookError(f"{where}: '{key}' must be a probability between 0 and 1, got {value!r}")
    return value


def _side(table: dict, where: str, agents: dict, key: str = "side") -> str | None:
    """The optional ``side`` (or ``key``) of a codebook table: the name of one of the [agents]."""
    side = _get(table, key, str, where, None)
    if side is not None and side not in agents:
        raise CodebookError(f"{where}: unknown side '{side}' (known: the agents {sorted(agents)})")
    return side


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate a codebook TOML file.

    Parameters
    ----------
    path : str or Path, optional
        Codebook file; ``None`` loads the shipped ``kursk_utils/data/codebook.toml``.

    Returns
    -------
    Codebook
        Frames in the file's order with compiled cue patterns; the sections of
        :data:`FALLBACK_SECTIONS` that the file leaves out come from the shipped codebook.

    Raises
    ------
    CodebookError
        If the file is missing or not valid TOML, if it defines no frame, if a frame id cannot
        name a column, or if a pattern, weight or reference is invalid.
    """
    path = DEFAULT_CODEBOOK_PATH if path is None else Path(path)
    if not path.is_file():
        raise CodebookError(f"codebook file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CodebookError(f"codebook {path.name} is not valid TOML: {error}") from None
    return _parse_codebook(text, path.name)


def _toml(text: str, name: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CodebookError(f"codebook {name} is not valid TOML: {error}") from None


@lru_cache(maxsize=1)
def _shipped_sections() -> dict:
    """The shipped codebook's :data:`FALLBACK_SECTIONS`."""
    data = _toml(DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8"), DEFAULT_CODEBOOK_PATH.name)
    return {section: data[section] for section in FALLBACK_SECTIONS} | {CLASSES_SECTION: data.get(CLASSES_SECTION, {})}


def _load_negation(negation_table: dict, classes: Mapping[str, str]) -> Negation:
    def required(key: str) -> TimedPattern:
        return _compile(_get(negation_table, key, str, "negation"), f"negation.{key}", classes)

    return Negation(
        negators=required("negators"),
        window_tokens=_get(negation_table, "window_tokens", int, "negation"),
        denials=required("denials"),
        post=required("post"),
        clause_breaks=_compile_plain(_expand(_get(negation_table, "clause_breaks", str, "negation"), classes,
                                             "negation.clause_breaks"), "negation.clause_breaks"),
        mentions=_optional_pattern(negation_table, "mentions", "negation", classes, suffix=r"\W*$"),
        unsupported=_optional_pattern(negation_table, "unsupported", "negation", classes),
        window_breaks=_optional_plain(negation_table, "window_breaks", "negation", classes),
        unrealised=_optional_pattern(negation_table, "unrealised", "negation", classes, suffix=r"\W*$"),
    )


def _load_agents(
    agents_table: dict, classes: Mapping[str, str]
) -> tuple[dict[str, TimedPattern], dict[str, TimedPattern]]:
    """The agents (who acts) and the same names as sides (whose: "Russian troops", no exclusions)."""
    not_followed_by = _get(agents_table, "not_followed_by", str, "agents", "(?!)")
    agents, side_names = {}, {}
    for name, pattern in agents_table.items():
        if name != "not_followed_by":
            if not isinstance(pattern, str):
                raise CodebookError(f"agents.{name}: pattern must be a non-empty string")
            agents[name] = _compile(rf"(?:{pattern})(?!\w)(?!{not_followed_by})", f"agents.{name}", classes)
            side_names[name] = _compile(pattern, f"agents.{name}", classes)
    return agents, side_names


def _load_referents(referents_table: dict, agents: dict, classes: Mapping[str, str]) -> dict[str, Referent]:
    referents = {}
    for name, table in referents_table.items():
        where = f"referents.{name}"
        if not isinstance(table, dict):
            raise CodebookError(f"{where}: must be a table ([referents.{name}])")
        pattern = _get(table, "pattern", str, where, None)
        carry_if = _get(table, "carry_if", str, where, None)
        referents[name] = Referent(
            name=name,
            regex=None if pattern is None else _compile(pattern, where, classes),
            speaker_roles=frozenset(_get(table, "speaker_roles", list, where, [])),
            actor_groups=frozenset(_get(table, "actor_groups", list, where, [])),
            carry_if=None if carry_if is None else _compile(carry_if, f"{where}.carry_if", classes),
            name_patterns=tuple(
                _compile(p, f"{where}.name_patterns", classes) for p in _get(table, "name_patterns", list, where, [])
            ),
            side=_side(table, where, agents),
            carry_scope=_get(table, "carry_scope", str, where, "paragraph"),
            unqualified_sides=_unqualified_sides(table, where, agents, classes),
            document_side_words=_optional_pattern(table, "document_side_words", where, classes),
        )
        if referents[name].carry_scope not in ("paragraph", "document"):
            raise CodebookError(f"{where}: carry_scope must be 'paragraph' or 'document'")
    return referents


def _unqualified_sides(table: dict, where: str, agents: dict,
                       classes: Mapping[str, str]) -> tuple[tuple[str, TimedPattern], ...]:
    """A referent's ``unqualified_sides`` (side -> pattern of its words of that side when no side
    qualifies them), each side checked against the agents."""
    sides = _get(table, "unqualified_sides", dict, where, {})
    found = []
    for side, pattern in sorted(sides.items()):
        if side not in agents:
            raise CodebookError(f"{where}.unqualified_sides: unknown side {side!r} (not an agent)")
        if not isinstance(pattern, str) or not pattern:
            raise CodebookError(f"{where}.unqualified_sides.{side}: pattern must be a non-empty string")
        found.append((side, _compile(rf"(?:{pattern})$", f"{where}.unqualified_sides.{side}", classes)))
    return tuple(found)


def _topic_pattern(data: dict, name: str, classes: Mapping[str, str]) -> TimedPattern | None:
    """The ``[topic]`` patterns as one regex; without ``[topic]``, the file's own referent patterns
    (not the shipped ones it falls back to); None when it has neither."""
    if "topic" in data:
        patterns = _get(_get(data, "topic", dict, name), "patterns", list, "topic")
        if not patterns:
            raise CodebookError("topic: 'patterns' needs at least one pattern")
        for index, pattern in enumerate(patterns):
            _compile(pattern, f"topic.patterns[{index}]", classes)
    else:
        referents = data.get("referents", {}).values()
        patterns = [table["pattern"] for table in referents if isinstance(table.get("pattern"), str)]
    return _compile("|".join(f"(?:{p})" for p in patterns), "topic", classes) if patterns else None


@lru_cache(maxsize=8)
def _parse_codebook(text: str, name: str) -> Codebook:
    """The codebook in ``text`` (file ``name``); cached, since every partition of a run loads it."""
    data = _toml(text, name)
    frames_table = _get(data, "frames", dict, name)
    if not frames_table:
        raise CodebookError(f"codebook {name} defines no frame: add at least one [frames.<id>] table")
    fallbacks = tuple(section for section in FALLBACK_SECTIONS if section not in data)
    shipped = _shipped_sections()
    sections = {section: data[section] if section in data else shipped[section] for section in FALLBACK_SECTIONS}
    # Sections taken from the shipped codebook use its classes; the file's own, its classes over those.
    shipped_classes = _load_classes(shipped[CLASSES_SECTION], {})
    own_classes = _load_classes(_get(data, CLASSES_SECTION, dict, name, {}), shipped_classes)

    def classes(section: str) -> dict[str, str]:
        return shipped_classes if section in fallbacks else own_classes

    negation = _load_negation(_get(sections, "negation", dict, name), classes("negation"))
    agents, side_names = _load_agents(_get(sections, "agents", dict, name), classes("agents"))
    referents = _load_referents(_get(sections, "referents", dict, name), agents, classes("referents"))
    frame_ids = list(frames_table)
    frames = tuple(_load_frame(frame_id, frames_table[frame_id], frame_ids, referents, agents, own_classes)
                   for frame_id in frame_ids)
    voice = _get(sections, "voice", dict, name)
    attribution = _optional_pattern(voice, "attribution", "voice", classes("voice"))
    return Codebook(frames, referents, agents, negation, name, attribution, side_names,
                    topic=_topic_pattern(data, name, own_classes), fallbacks=fallbacks,
                    voice_lexicon=_voice_lexicon(voice, agents, classes("voice")),
                    commentary=_optional_pattern(voice, "commentary", "voice", classes("voice")))


def _voice_lexicon(voice: dict, agents: dict, classes: Mapping[str, str]) -> dict[str, TimedPattern]:
    """``[voice] lexicon``: side (one of the [agents]) -> the words that only that side's voice uses."""
    lexicon = _get(voice, "lexicon", dict, "voice", {})
    for side in lexicon:
        if side not in agents:
            raise CodebookError(f"voice.lexicon: '{side}' is not one of the [agents] ({', '.join(agents)})")
    return {side: _compile(_get(lexicon, side, str, "voice.lexicon"), f"voice.lexicon.{side}", classes)
            for side in lexicon}


def _optional_plain(table: dict, key: str, where: str, classes: Mapping[str, str]) -> TimedPattern | None:
    """An optional pattern of the codebook compiled as written (no whole-word boundaries added)."""
    pattern = _get(table, key, str, where, None)
    return None if pattern is None else _compile_plain(_expand(pattern, classes, f"{where}.{key}"), f"{where}.{key}")


def _optional_pattern(table: dict, key: str, where: str, classes: Mapping[str, str],
                      suffix: str = "") -> TimedPattern | None:
    """An optional pattern of the codebook (``suffix`` "$": it must end where the text ends)."""
    pattern = _get(table, key, str, where, None)
    if pattern is None:
        return None
    return _compile(pattern + suffix if suffix else pattern, f"{where}.{key}", classes)


# --- sentence-level detection -------------------------------------------------------------------


def _item(cue: str, kind: str, start: int, end: int, weight: float = 0.0) -> dict:
    return {"cue": cue, "kind": kind, "start": int(start), "end": int(end), "weight": weight}


# A clause break that turns against what came before: a claim's support is judged past it.
_CONTRAST = regex.compile(r",? but |, however|, yet ", regex.IGNORECASE)


def _negation_kind(text: str, start: int, end: int, negation: Negation, unrealised: bool = False,
                   folded: str | None = None) -> str | None:
    """Return which negation scope covers ``text[start:end]`` ("denial", "negator", "post",
    "mention") or None; with ``unrealised``, :data:`UNREALISED` for an attempted, intended or
    hypothetical event that no negation covers. ``folded``: :func:`cue_index.fold` of ``text``, to
    skip the searches that cannot match (each timed search costs microseconds even when it finds
    nothing)."""
    clause_start = 0
    clause_end = len(text)
    claim_end = len(text)  # the cue's clause and a contrasting one after it ("..., but ISW has seen no evidence")
    breaks = iter(negation.clause_breaks.finditer(text))
    for match in breaks:
        if match.end() <= start:
            clause_start = match.end()
        elif match.start() >= end:
            clause_end = claim_end = match.start()
            if _CONTRAST.fullmatch(match.group()):
                claim_end = next((later.start() for later in breaks), len(text))
            break
    gates = negation.gates

    def found(name: str, low: int, high: int) -> bool:
        pattern, gate = getattr(negation, name), gates[name]
        if pattern is None or (folded is not None and gate is not None and not gate.search(folded, low, high)):
            return False
        return bool(pattern.search(text[low:high]))

    if found("denials", clause_start, start):
        return "denial"
    before = text[clause_start:start]
    tokens = list(_TOKEN.finditer(before))[-negation.window_tokens :]
    window_start = tokens[0].start() if tokens else len(before)
    if negation.window_breaks is not None:  # the window ends at the last break inside it
        for match in negation.window_breaks.finditer(before, window_start):
            window_start = match.end()
    window = " ".join(token.group() for token in tokens if token.start() >= window_start)
    if negation.negators.search(window):
        return "negator"
    if found("post", end, clause_end):
        return "post"
    if found("mentions", clause_start, start) or found("unsupported", end, claim_end):
        return "mention"
    if unrealised and found("unrealised", clause_start, start):
        return UNREALISED
    return None


def _agent_evidence(text: str, start: int, end: int, agent: str, agents: dict, offset: int) -> dict | None:
    """Evidence that ``agent`` acts in the cue at ``text[start:end]``, else None.

    The agent is named inside the cue ("intensified Russian offensive"), or is the nearest actor
    named before the cue, or the one after "by" in a passive.
    """
    inside = agents[agent].search(text, start, end)
    if inside:
        return _item(inside.group(), "agent", offset + inside.start(), offset + inside.end())
    passive = _BY_AGENT.match(text, end)
    by_actor = None if passive is None else next(
        (name for name, regex in agents.items() if regex.match(text, passive.end())), None)
    if by_actor is not None and by_actor != agent:
        return None  # "North Korean soldiers captured by Ukraine": the actor before is the patient
    # In a passive ("Russian units ... were pushed back") the actor named before is the patient.
    # "were advancing", "have been pushing" are progressive, not passive: no passive participle ends in -ing.
    passive_before = _PASSIVE_BEFORE.search(text, 0, start) and not _PROGRESSIVE.match(text, start, end)
    nearest = None if passive_before else _nearest_actor(text, start, agents)
    if nearest is not None and nearest[0] == agent:
        match = nearest[1]
        return _item(match.group(), "agent", offset + match.start(), offset + match.end())
    passive = _BY_AGENT.match(text, end)
    if passive:
        match = agents[agent].match(text, passive.end())
        if match:
            return _item(match.group(), "agent", offset + match.start(), offset + match.end())
    return None


def _nearest_actor(text: str, start: int, agents: dict, stop: int = 0) -> tuple[str, re.Match] | None:
    """The agent (name, match) named last in ``text[stop:start]``, or None."""
    nearest = None
    for name, regex in agents.items():
        for match in regex.finditer(text, stop, start):
            if nearest is None or match.end() > nearest[1].end():
                nearest = (name, match)
    return nearest


def _cue_side(text: str, start: int, end: int, cue: Cue, codebook: Codebook) -> str | None:
    """Whose action or state a cue at ``text[start:end]`` describes: the agent named inside it,
    else the one named last before it in the sentence ("North Korean troops are running away").

    A cue about its object (``side_of = "object"``: "encircled", "destroyed") is about the side
    named at most :data:`SIDE_OBJECT_WORDS` words after it, unless after "by" or a verb
    (:data:`_NOT_OBJECT`): "encircled a group of AFU militants"; else, in a passive, about the one
    named before it ("Russian units were themselves cut off"); else about nobody named (in
    "Russian drones destroyed a convoy" the actor before acts, the cue is not about it)."""
    agents = codebook.agents
    for name, regex in agents.items():
        if regex.search(text, start, end):
            return name
    if cue.side_of == "object":
        named = _object_side(text, end, codebook)
        if named is not None:
            return named
        if not _PASSIVE_OBJECT.search(text, 0, start):
            return None
    nearest = _nearest_actor(text, start, agents)
    while (nearest is not None and _CUE_PREPOSITION.search(text, 0, nearest[1].start())
           and not _POSSESSIVE.match(text, nearest[1].end())):
        nearest = _nearest_actor(text, nearest[1].start(), agents)
    return None if nearest is None else nearest[0]


def _object_side(text: str, end: int, codebook: Codebook) -> str | None:
    """The side named as the object of a cue ending at ``end``: at most :data:`SIDE_OBJECT_WORDS`
    words after it, not after "by" or a verb (:data:`_NOT_OBJECT`): "encircled a group of AFU
    militants", "blamed on Russian jamming"; None when no side is named there."""
    window_end = min(len(text), end + _MODIFIER_CHARS)
    named = [(m.start(), name) for name, regex in (codebook.side_names or {}).items()
             if (m := regex.search(text, end, window_end))]
    if not named:
        return None
    position, name = min(named)
    between = [token.lower() for token in _TOKEN.findall(text[end:position])]
    return name if len(between) <= SIDE_OBJECT_WORDS and not _NOT_OBJECT.intersection(between) else None


_CLAUSE_PUNCTUATION = re.compile(r"[,;:.!?()\u2014\u2013]")


def _modifier_side(text: str, start: int, agents: dict) -> str | None:
    """The side qualifying a noun that starts at ``start``: an agent at most
    :data:`SIDE_MODIFIER_WORDS` words before it ("Russian conscripts", "Russia's reservists")."""
    nearest = _nearest_actor(text, start, agents, stop=max(0, start - _MODIFIER_CHARS))
    if nearest is None:
        return None
    gap = text[nearest[1].end():start]
    if _CLAUSE_PUNCTUATION.search(gap):
        return None  # "into Russian territory, soldiers share ...": the name qualifies another noun
    return nearest[0] if len(_TOKEN.findall(gap)) <= SIDE_MODIFIER_WORDS else None


def _speaker_side(speaker: str, role: str | None, side: object, agents: dict) -> str | None:
    """A speaker's side: the side named first in the speaker's own words ("Russian contract
    soldiers in Kursk", "a 19-year-old Russian conscript"), else the quotes table's ``side`` when
    known, else the side the role implies; a captive speaker ("a Ukrainian prisoner") voices its
    captors' side (:data:`CAPTORS`), unless the quotes table already gave it as an official's
    ("one of the prisoners", role russian_official: the captors' voice)."""
    named = [(match.start(), name) for name, regex in agents.items() if (match := regex.search(speaker))]
    if named:
        found = min(named)[1]
    elif isinstance(side, str) and side in KNOWN_SIDES:
        found = side
    else:
        found = ROLE_SIDES.get(role)
    if found is None or not _CAPTIVE.search(speaker) or (not named and role in ROLE_SIDES):
        return found  # a side the quotes table gives with an official's role is already the voice's
    return CAPTORS.get(found, found)


def _held_captive(text: str, speaker: str, codebook: Codebook) -> bool:
    """Whether the sentence calls its speaker a captive around the speaker's name, within its
    clause: "captured Ukrainian serviceman Denys K. says", "Ukrainian servicemen who surrendered
    near Sudzha said" (a captive word in the speaker's own words is :func:`_speaker_side`'s)."""
    start = text.find(speaker) if speaker else -1
    if start < 0 or not _CAPTIVE.search(text):
        return False
    end = start + len(speaker)
    before = max([0, start - _MODIFIER_CHARS] + [m.end() for m in _CLAUSE_PUNCTUATION.finditer(text, max(0, start - _MODIFIER_CHARS), start)])
    verb = codebook.attribution.search(text, end, end + _MODIFIER_CHARS) if codebook.attribution is not None else None
    return bool(_CAPTIVE.search(text, before, start) or (verb is not None and _CAPTIVE.search(text, end, verb.start())))


def _voice_sides(text: str, context: "_SentenceContext", codebook: Codebook,
                 narrator: frozenset[str] = frozenset()) -> set[str]:
    """The sides whose voice a sentence carries: its speakers' sides, the sides whose own words it
    uses (``[voice] lexicon``), and the sides named in an
    attribution in the text ("..., a Russian lawmaker said", "according to the Russian General
    Staff"): the agent named last before the attribution within the clause, or after "according to".
    A pronoun right before the verb is its subject ("angry at the Russians, they say"), and a name
    after a preposition is no subject ("told Russian media"): neither voices the sentence.
    ``narrator``: the sides of a sentence that nothing above gives a side (the document's own words,
    :func:`_document_voice`, when they are one side's: a TASS report's unattributed claims)."""
    sides = {CAPTORS.get(side, side) if _held_captive(text, speaker, codebook) else side
             for speaker, _, side in context.speakers if side is not None}
    # Words only one side uses ("the Kiev regime", "Ukrainian militants") voice the sentence as
    # that side's, whoever the speaker ("a source in the security services"): a speaker of no known
    # role then has no side of its own (its side was read from the sides the claim names).
    lexical = {side for side, regex in (codebook.voice_lexicon or {}).items() if regex.search(text)}
    if lexical:
        sides = lexical | {side for _, role, side in context.speakers if side is not None and role not in (None, "other")}
    if codebook.attribution is None:
        return sides or set(narrator)
    for match in codebook.attribution.finditer(text):
        clause_start = 0
        for brk in codebook.negation.clause_breaks.finditer(text, 0, match.start()):
            clause_start = brk.end()
        before = _nearest_actor(text, match.start(), codebook.side_names, stop=clause_start)
        if (
            before is not None
            and len(_TOKEN.findall(text[before[1].end():match.start()])) <= _SUBJECT_WORDS
            and not _PRONOUN_SUBJECT.search(text, 0, match.start())
            and not _PREPOSITION_BEFORE.search(text, 0, before[1].start())
        ):
            subject_start = max(clause_start, before[1].start() - _MODIFIER_CHARS)
            captive = _CAPTIVE.search(text, subject_start, match.start())
            sides.add(CAPTORS.get(before[0], before[0]) if captive else before[0])
        elif match.group().lower().startswith("according"):
            window_end = min(len(text), match.end() + _MODIFIER_CHARS)
            # The source named after "according to" ends at the comma: what follows is the claim
            # ("According to a source in the security services, the remaining Ukrainian ...").
            comma = text.find(",", match.end(), window_end)
            window_end = window_end if comma < 0 else comma
            named = [(m.start(), name) for name, regex in codebook.side_names.items()
                     if (m := regex.search(text, match.end(), window_end))]
            if named:
                sides.add(min(named)[1])
    return sides or set(narrator)


def _document_voice(rows: list[dict], codebook: Codebook) -> frozenset[str]:
    """The sides whose own words (``[voice] lexicon``: "the Kiev regime") a document uses: the
    document is theirs (a TASS report), and so are the soldiers it does not qualify. Each side's
    pattern is searched only in the sentences whose ``starts`` hold its place."""
    if not any(referent.document_side_words is not None for referent in codebook.referents.values()):
        return frozenset()  # nothing reads it
    positions = codebook.voice_positions
    return frozenset(side for side, regex in (codebook.voice_lexicon or {}).items()
                     if any(positions[side] in row["starts"] and regex.search(row["text"]) for row in rows))


def _is_commentary(rows: list[dict], codebook: Codebook, timeouts: list[_Timeout]) -> bool:
    """Whether a sentence of the document marks it as its author's commentary (``[voice]
    commentary``: "Opinion: ...", "I am a columnist"), searched only in the sentences whose
    ``starts`` hold its place (:attr:`Codebook.voice_positions`); a sentence where the pattern
    takes too long marks nothing and is added to ``timeouts``."""
    if codebook.commentary is None:
        return False
    position = codebook.voice_positions[None]
    for row in rows:
        if position not in row["starts"]:  # the pattern cannot match there (most sentences)
            continue
        try:
            if codebook.commentary.search(row["text"]):
                return True
        except TimeoutError:
            timeouts.append((row["doc_id"], row["sentence_id"], "voice commentary pattern", row["text"]))
    return False


def _speakers_take_side(contexts: list["_SentenceContext"], side: str) -> None:
    """Give the named speakers of no known side the ``side`` of the document's own words
    (:func:`_document_voice`): the general a state outlet quotes on the enemy's "abandoned" units
    speaks for that side in every sentence, also "According to him, ..." (rule R1)."""
    for context in contexts:
        context.speakers = [(speaker, role, side if known is None and speaker else known)
                            for speaker, role, known in context.speakers]


# The subject of a sentence that opens with its speaker (after a live blog's time stamp): "13:15 —
# Opposition MP X calls on ...", "Lawmaker X accused ...".
_OPENING_SPEAKER = re.compile(
    r"\s*(?:\d{1,2}[:.]\d{2}\s*[—–-]+\s*)?(?P<subject>(?:[\w'’.-]+,? ){1,10}?)(?:said|says|told|tells|wrote|writes|"
    r"accus\w*|criticis\w*|criticiz\w*|calls?|called|demand\w*|urg\w*|slam\w*|blam\w*|question\w*|asked|asks|"
    r"complain\w*|lash\w*|attack\w*|condemn\w*|insist\w*|argu\w*)\b"
)


def _excluded_voice(text: str, context: "_SentenceContext", pattern: TimedPattern,
                    own: tuple[TimedPattern, ...] = ()) -> bool:
    """Whether the sentence is voiced by a speaker of ``pattern`` (a frame's ``excluded_voices``)
    and by no soldier: a speaker of the quotes table, or the subject the sentence opens with,
    unless that subject also names one of ``own`` (soldiers: "Ukrainian servicemen and
    milbloggers have criticised ...")."""
    # A speaker the quotes table files as a soldier whose own description is excluded ("a former
    # officer who now runs a Telegram channel") is no serving soldier.
    if any(role == "soldier" and not pattern.search(speaker) for speaker, role, _ in context.speakers):
        return False
    if any(speaker and pattern.search(speaker) for speaker, _, _ in context.speakers):
        return True
    opening = _OPENING_SPEAKER.match(text)
    if opening is None or pattern.search(opening.group("subject")) is None:
        return False
    return not any(regex.search(opening.group("subject")) for regex in own)


@dataclass
class _SentenceContext:
    """Per-sentence inputs from the optional tables."""

    speakers: list[tuple[str, str | None, str | None]]  # (speaker, role, side); "" = speaker not found
    actors: list[tuple[str, str, int, int]]  # (group, alias, start, end)
    compound: float | None

    @cached_property
    def groups(self) -> frozenset[str]:
        """The actor groups of :attr:`actors`."""
        return frozenset(group for group, _, _, _ in self.actors)


def _resolve_referent(
    rows: list[dict],
    contexts: list[_SentenceContext],
    referent: Referent,
    position: int | None,
    agents: dict[str, TimedPattern],
    timeouts: list[_Timeout],
    document_voice: frozenset[str] = frozenset(),
) -> list[dict | None]:
    """For each sentence of one document (in order), the evidence that the referent holds, or None.

    ``position`` is the referent pattern's position in the codebook's ``pattern_index``: the
    pattern is searched only in the sentences whose ``starts`` hold it, and each name
    pattern only in those whose ``folded`` text may hold a match (:attr:`Referent.name_gates`).
    With a ``side``, a speaker of another side and a pattern match qualified by another side's
    name ("Russian conscripts") do not count. A quote whose speaker the quotes table could not
    name ("..., she said") is voiced by the last person introduced with the referent's role
    (a name pattern or a speaker), unless a person of another role spoke since. Once the document
    has qualified the referent's ``document_side_words`` by another side only ("Meduza spoke with
    three Russian servicemen"), a hit not itself of the referent's side ("a contract soldier
    complained") is that side's and does not count; so it is from the start in a document in one
    side's own words (``document_voice``, :func:`_document_voice`). A sentence where a pattern takes
    too long holds no hit; it is added to ``timeouts``.
    """

    def other_side(side: str | None) -> bool:
        return referent.side is not None and side is not None and side != referent.side

    names: set[str] = set()
    ordered: list[str] = []  # the names, sorted (re-sorted when one is added: the set only grows)
    introduced: dict | None = None  # the last person introduced with the referent's role (evidence)
    word_sides: dict[str, str] = {}  # a referent word qualified earlier in the document -> its side
    hits: list[dict | None] = []
    # the sides that qualified the document_side_words so far (or whose words the document uses)
    document_sides: set[str] = set(document_voice) if referent.document_side_words is not None else set()
    tracking = referent.document_side_words is not None and referent.side is not None
    searched = 0  # the sentences before this one were searched for the referent's own side
    gate = referent.name_gate
    # Without speaker roles or name patterns, a speaker neither voices the referent nor follows a
    # person introduced with it (none ever is): the speakers change nothing.
    speakers_count = bool(referent.speaker_roles or referent.name_patterns)
    for index, row in enumerate(rows):
        try:
            text, offset, context = row["text"], row["start"], contexts[index]
            folded = row["folded"]
            named = bool(referent.name_patterns) and (gate is None or folded is None or gate.search(folded) is not None)
            if (not named and position not in row["starts"] and not (speakers_count and context.speakers)
                    and (not context.actors or referent.actor_groups.isdisjoint(context.groups))):
                # A quiet sentence: no name pattern, speaker, actor or place of the pattern of the
                # referent's, so nothing later sentences read changes (but where the search for the
                # referent's own side has got to). It holds a hit only by naming a person named
                # before or by carrying the hit before it.
                if tracking and document_sides and referent.side not in document_sides:
                    searched = index + 1  # (the loop below would find nothing in this sentence)
                if not names and (referent.carry_if is None or index == 0 or hits[index - 1] is None):
                    hits.append(None)
                    continue
                foreign = bool(document_sides) and referent.side not in document_sides
                hit, hit_side = None, None
            else:
                if tracking and referent.side not in document_sides:
                    if position in row["starts"]:
                        document_sides |= _other_sides(text, referent, agents)
                    if document_sides:  # another side's soldiers: has the document named its own, up to here?
                        # Up to the sentence naming the other side's, any of the referent's words names its
                        # own ("Russian soldiers crawled ... to surprise Ukrainian units"); after it, only
                        # words for individual soldiers: "Ukrainian troops" is how the other side's story
                        # names the enemy ("Russia began pushing Ukrainian troops out ...").
                        if any(position in earlier["starts"] and _names_own_side(earlier["text"], referent, agents,
                                                                                individual=searched > 0)
                               for earlier in rows[searched:index + 1]):
                            document_sides.add(referent.side)
                        searched = index + 1
                foreign = bool(document_sides) and referent.side not in document_sides  # the hit's own side decides
                if named:
                    for regex, pattern_gate in zip(referent.name_patterns, referent.name_gates):
                        if folded is None or pattern_gate is None or pattern_gate.search(folded):
                            for m in regex.finditer(text):
                                if m.group("name"):
                                    names.add(m.group("name"))
                                    introduced = _item(m.group("name"), "carried_referent",
                                                       offset + m.start("name"), offset + m.end("name"))
                for speaker, role, side in context.speakers:
                    if not speaker:  # a quote without a named speaker
                        continue
                    tokens = speaker.split()
                    if role not in referent.speaker_roles or other_side(side):
                        introduced = None  # someone else spoke since
                        continue
                    introduced = _item(speaker, "carried_referent", offset, offset + len(text))
                    # Only personal names ("Artem Kariakin"), not descriptions ("Ukrainian soldiers").
                    if all(t[:1].isupper() for t in tokens):
                        names.update(token for token in tokens if len(token) > 2)
                hit, hit_side = None, None
                for speaker, role, side in context.speakers:
                    if speaker and role in referent.speaker_roles and not other_side(side):
                        hit = _item(speaker, "speaker", offset, offset + len(text))
                        # only a side the speaker's own words name: the quotes table's side of "a
                        # soldier" may be the gazetteer's default
                        hit_side = next((name for name, regex in agents.items() if regex.search(speaker)), None) if foreign else None
                        break
                if hit is None and introduced is not None and any(not speaker for speaker, _, _ in context.speakers):
                    hit = dict(introduced)
                if hit is None:
                    for group, alias, start, end in context.actors:
                        # a bare alias qualified by another side ("Russian servicemen") is not the referent
                        if group not in referent.actor_groups:
                            continue
                        side = _modifier_side(text, start - offset, agents)
                        if not other_side(side):
                            hit, hit_side = _item(alias, "actor", start, end), side
                            break
                if hit is None and position in row["starts"]:
                    match = _referent_match(text, referent, row["starts"][position], agents, word_sides)
                    if match:
                        hit = _item(match.group(), "referent", offset + match.start(), offset + match.end())
                        hit_side = _modifier_side(text, match.start(), agents) if foreign else None
            if hit is None and names:
                if len(ordered) != len(names):
                    ordered = sorted(names)
                for name in ordered:
                    # As written, or in capitals as transcripts label speakers ("DMYTRO: ...").
                    if name not in text and name.upper() not in text:  # a cheap prefilter
                        continue
                    match = re.search(rf"(?<!\w)(?:{re.escape(name)}|{re.escape(name.upper())})(?!\w)", text)
                    if match:
                        hit = _item(name, "named_referent", offset + match.start(), offset + match.end())
                        break
            if (
                hit is None
                and index > 0
                and referent.carry_if is not None
                and hits[index - 1] is not None
                and (referent.carry_scope == "document" or rows[index - 1]["paragraph_id"] == row["paragraph_id"])
                and (_carries(text, referent.carry_if, context.speakers, referent.speaker_roles) if referent.speaker_roles
                     else referent.carry_if.search(text))
            ):
                previous = hits[index - 1]
                hit = _item(previous["cue"], "carried_referent", previous["start"], previous["end"])
            if hit is not None and foreign and hit_side != referent.side:
                hit = None  # the document's soldiers are the other side's
        except TimeoutError:
            timeouts.append((row["doc_id"], row["sentence_id"], f"referent {referent.name!r}", row["text"]))
            hit = None
        hits.append(hit)
    return hits


_FIRST_PERSON = re.compile(r"(?:i|me|my|mine|we|us|our|ours)", re.IGNORECASE)


def _carries(text: str, carry_if: TimedPattern, speakers: list[tuple[str, str | None, str | None]],
             roles: frozenset[str]) -> bool:
    """Whether ``text`` carries a referent from the sentence before (its ``carry_if`` matches),
    where "we", "our", "I" ... quoted from a named speaker of another role than the referent's are
    that speaker's ("'We no longer trust them,' said one organiser"), not the referent's."""
    if not any(speaker and role not in roles for speaker, role, _ in speakers):
        return carry_if.search(text) is not None
    return any(not _FIRST_PERSON.fullmatch(match.group()) for match in carry_if.finditer(text))


def _other_sides(text: str, referent: Referent, agents: dict[str, TimedPattern]) -> set[str]:
    """The sides other than the referent's named right before its ``document_side_words`` in
    ``text`` ("Russian servicemen")."""
    return {side for match in referent.document_side_words.finditer(text)
            if (side := _modifier_side(text, match.start(), agents)) not in (None, referent.side)}


def _names_own_side(text: str, referent: Referent, agents: dict[str, TimedPattern], individual: bool = False) -> bool:
    """Whether ``text`` names the referent's own side before one of its words ("Ukrainian units";
    ``individual``: one of its ``document_side_words``, "Ukrainian soldiers"): a document naming
    both sides' soldiers keeps its unqualified ones the referent's."""
    regex = referent.document_side_words if individual else referent.regex
    return any(_modifier_side(text, match.start(), agents) == referent.side for match in regex.finditer(text))


def _referent_match(
    text: str,
    referent: Referent,
    starts: list[int] | None,
    side_names: dict[str, TimedPattern],
    word_sides: dict[str, str],
) -> re.Match | None:
    """The first match of the referent's pattern in ``text`` that may be of its side.

    Without a side: the first match. With one, each match's side is the side named just before it
    ("Russian conscripts"), else the side that qualified the same word earlier in the document
    (``word_sides``, updated here: "Russian conscripts ... Several conscripts complained"). The
    first match of the referent's side is returned; else the first unqualified match before any
    match of another side (after one, "Russian soldiers ... their commanders", they may be its).
    """
    found = list(matches(referent.regex, text, starts))
    if referent.side is None or not found:
        return found[0] if found else None
    sides = []
    for match in found:
        word = match.group().lower()
        side = _modifier_side(text, match.start(), side_names)
        if side is not None:
            word_sides[word] = side
        if side is None:
            side = word_sides.get(word) or next(
                (name for name, regex in referent.unqualified_sides if regex.match(match.group())), None)
        sides.append(side)
    if referent.side in sides:
        return found[sides.index(referent.side)]
    return found[0] if sides[0] is None else None


def _score_sentence(
    text: str,
    offset: int,
    compound: float | None,
    referent_hits: dict[str, dict | None],
    codebook: Codebook,
    starts: Mapping[int, list[int] | None],
    voices: Callable[[], set[str]] | None = None,
    timed_out: list[str] | None = None,
    folded: str | None = None,
    model_flags: Mapping[str, list[dict]] | None = None,
) -> dict[str, tuple[float, list[dict]]]:
    """Score every frame in one sentence; return {frame_id: (score, evidence)} for present frames.

    ``starts`` (from ``codebook.pattern_index.match_starts``) holds the positions of the patterns
    that may match ``text`` and where their matches may start; the other cues cannot match, so
    skipping them leaves every score as it was. ``voices`` gives the sides whose voice the sentence
    carries (:func:`_voice_sides`, called only when needed); a frame with a ``voice_side`` is
    dropped when they include another side and not its own. A cue that takes too long is skipped
    and named in ``timed_out``. ``folded`` (:func:`cue_index.fold` of ``text``) lets the negation
    check skip searches that cannot match. ``model_flags`` (:meth:`frame_model.FrameModel.added`)
    are the frames the learned scorer adds, with its evidence: one whose cues fall short is present
    at its threshold with that evidence when its requirements and voice side hold, as for cues.
    """
    counted: dict[str, dict[int | tuple, dict]] = {}
    extra: dict[str, list[dict]] = {}
    denied: set[str] = set()  # frames with a negated cue ("he does not blame his commanders")
    cues = codebook.indexed_cues
    found: list[set[str]] = []  # the voices, found once when a cue or a frame first asks

    def voice_sides() -> set[str]:
        if not found:
            found.append(set() if voices is None else voices())
        return found[0]

    positions = sorted(starts)
    if (not positions or positions[0] >= len(cues)) and not model_flags:
        return {}  # no cue may match and the model adds nothing: nothing counts
    # Frames whose required referents hold here; the cues of the others cannot change the result
    # (unless they feed a frame that may be present).
    possible = codebook.possible_frames(frozenset(name for name, hit in referent_hits.items() if hit is None))
    for position in positions:  # frame by frame, cue by cue, as in the codebook
        if position >= len(cues):
            break
        frame, cue_index, cue = cues[position]
        if frame.id not in possible and frame.feeds not in possible:
            continue
        try:
            for match in matches(cue.regex, text, starts[position]):
                start, end = match.span()
                if cue.side is not None and _cue_side(text, start, end, cue, codebook) not in (None, cue.side):
                    continue  # about another side's actors ("North Korean troops are running away")
                if cue.not_aimed_at is not None and _object_side(text, end, codebook) == cue.not_aimed_at:
                    continue  # blame of the enemy is no complaint about one's own side
                if cue.voice is not None and cue.voice not in voice_sides():
                    break  # not a claim of that side's
                if cue.not_voice is not None and cue.not_voice in voice_sides():
                    break  # that side's words: "enemy losses" in a Ukrainian report are Russia's
                negation = (_negation_kind(text, start, end, codebook.negation,
                                            frame.realised_only, folded)
                            if frame.negatable or frame.realised_only else None)  # else it changes nothing
                if negation == UNREALISED:
                    continue  # "tried to advance": no success (only realised_only frames ask)
                if negation is not None and frame.negatable:
                    denied.add(frame.id)
                    if frame.feeds and negation in frame.feed_on:
                        counted.setdefault(frame.feeds, {}).setdefault(
                            (frame.id, cue_index),
                            _item(match.group(), "negated_cue", offset + start, offset + end, cue.weight),
                        )
                    continue
                if cue.agent is not None:
                    agent = _agent_evidence(text, start, end, cue.agent, codebook.agents, offset)
                    if agent is None:
                        continue
                    extra.setdefault(frame.id, []).append(agent)
                counted.setdefault(frame.id, {})[cue_index] = _item(
                    match.group(), "cue", offset + start, offset + end, cue.weight
                )
                break  # each cue counts once: its first match that is not negated
        except TimeoutError:  # skip this cue for this sentence, also what it counted so far
            counted.get(frame.feeds, {}).pop((frame.id, cue_index), None)
            counted.get(frame.id, {}).pop(cue_index, None)
            if timed_out is not None:
                timed_out.append(f"cue {cue.pattern!r} of frame {frame.id}")
    model_flags = model_flags or {}
    if not counted and not model_flags:
        return {}

    present = {}
    for frame in codebook.frames:
        items = list(counted.get(frame.id, {}).values())
        if not items and frame.id not in model_flags:
            continue
        score = sum(item["weight"] for item in items)
        if frame.negative_sentiment_bonus and compound is not None and compound <= NEGATIVE_COMPOUND and items:
            score += frame.negative_sentiment_bonus
            items.append(
                _item(f"compound={compound:.4f}", "sentiment", offset, offset + len(text),
                      frame.negative_sentiment_bonus)
            )
        by_model = score < frame.threshold
        if by_model and (frame.id not in model_flags or (frame.model_threshold is not None and frame.id in denied)):
            # At a frame's own (lower) model threshold, a cue of the frame negated in the sentence
            # vetoes the model: "he does not blame his commanders" is no complaint.
            continue
        if by_model and frame.model_contrary is not None:
            # The sentence says the opposite in words ("we left in order, in our own vehicles"): the
            # model's words of the frame ("left", "vehicles", "road") are no evidence of it there.
            try:
                if frame.model_contrary.search(text) is not None:
                    continue
            except TimeoutError:  # no veto: the model's flag stands, the search is named
                if timed_out is not None:
                    timed_out.append(f"model_contrary of frame {frame.id}")
        if by_model:  # present at its threshold on the model's evidence; the cues that fell short are not shown
            score, items = frame.threshold, list(model_flags[frame.id])
        requirements = [referent_hits[name] for name in frame.requires]
        if any(hit is None for hit in requirements):
            continue
        if frame.voice_side is not None and voices is not None:
            sides = voice_sides()
            if sides and frame.voice_side not in sides:
                continue  # voiced by another side only (a Russian claim about Ukrainian soldiers)
        unique = {(i["start"], i["end"], i["kind"], i["cue"]): i for i in items + ([] if by_model else extra.get(frame.id, [])) + requirements}
        evidence = [unique[key] for key in sorted(unique)]
        present[frame.id] = (round(score, 6), evidence)
    return present


def _missing_last(value: object) -> tuple[bool, object]:
    """A sort key putting missing values (None, NaN) last, as pandas' ``na_position="last"``."""
    return (True, "") if pd.isna(value) else (False, value)


def _contexts_by_sentence(
    speakers: pd.DataFrame | None,
    actor_mentions: pd.DataFrame | None,
    sentence_sentiment: pd.DataFrame | None,
    side_names: dict[str, TimedPattern],
) -> tuple[dict, dict, dict]:
    # Each sentence's speakers and mentions come in a stable order of their own keys (speaker and
    # role, missing last; start and end): sorted in Python, since the rows only matter per
    # sentence and a pandas sort costs ~0.5 ms per call on a partition's few rows.
    speaker_map: dict[tuple, list] = {}
    if speakers is not None:
        require_columns(speakers, ["doc_id", "sentence_id", "speaker", "role"], "speakers")
        # (quotes tables before the side column have none)
        sides = speakers["side"].tolist() if "side" in speakers.columns else [None] * len(speakers)
        rows = zip(*(speakers[column].tolist() for column in ["doc_id", "sentence_id", "speaker", "role"]), sides)
        for doc_id, sentence_id, speaker, role, side in sorted(
            rows, key=lambda row: (_missing_last(row[2]), _missing_last(row[3]))
        ):
            key = (str(doc_id), int(sentence_id))
            if isinstance(speaker, str) and isinstance(role, str):
                side = _speaker_side(speaker, role, side, side_names)
                speaker_map.setdefault(key, []).append((speaker, role, side))
            elif not isinstance(speaker, str):  # a quote whose speaker was not found
                speaker_map.setdefault(key, []).append(("", None, None))
    actor_map: dict[tuple, list] = {}
    if actor_mentions is not None:
        columns = ["doc_id", "sentence_id", "group", "alias", "start", "end"]
        require_columns(actor_mentions, columns, "actor_mentions")
        for doc_id, sentence_id, group, alias, start, end in sorted(
            column_rows(actor_mentions, columns), key=operator.itemgetter(4, 5)
        ):
            actor_map.setdefault((str(doc_id), int(sentence_id)), []).append((group, alias, int(start), int(end)))
    compound_map: dict[tuple, float] = {}
    if sentence_sentiment is not None:
        require_columns(sentence_sentiment, ["doc_id", "sentence_id", "compound"], "sentence_sentiment")
        for doc_id, sentence_id, compound in column_rows(sentence_sentiment, ["doc_id", "sentence_id", "compound"]):
            compound_map[(str(doc_id), int(sentence_id))] = float(compound)
    return speaker_map, actor_map, compound_map


def detect_frames(
    sentences: pd.DataFrame,
    codebook: Codebook,
    speakers: pd.DataFrame | None = None,
    actor_mentions: pd.DataFrame | None = None,
    sentence_sentiment: pd.DataFrame | None = None,
    skipped: list[dict] | None = None,
    frame_model: FrameModel | None = None,
) -> pd.DataFrame:
    """Detect the codebook's frames in every sentence, with the evidence behind each score.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table. Required columns: ``doc_id``, ``sentence_id``, ``text``. Optional:
        ``start`` (document offset of the sentence; 0 when absent, so offsets are then relative to
        the sentence) and ``paragraph_id`` (a referent is carried to the next sentence only within
        a paragraph; the whole document counts as one paragraph when absent).
    codebook : Codebook
        From :func:`load_codebook`.
    speakers : DataFrame, optional
        ``doc_id``, ``sentence_id``, ``speaker``, ``role`` and optionally ``side`` (ukraine,
        russia, us, europe, other or null; e.g. ``quotes.sentence_speakers``): a sentence voiced by
        a speaker with a referent's role (and not of another side) satisfies that referent (a
        soldier for ``soldier_frustration``), and the speaker's name marks later sentences naming
        them. A side named in the speaker's own description ("Russian contract soldiers") comes
        first, then ``side``, then the side the role implies.
    actor_mentions : DataFrame, optional
        ``doc_id``, ``sentence_id``, ``group``, ``alias``, ``start``, ``end`` (``actors.find_mentions``):
        a mention of a referent's actor group satisfies it (``us`` for ``us_support_distrust``).
    sentence_sentiment : DataFrame, optional
        ``doc_id``, ``sentence_id``, ``compound``: enables the frames' negative-sentiment bonus.
    skipped : list, optional
        Receives a row for each pattern skipped in a sentence because it took longer than
        :data:`CUE_MATCH_TIMEOUT` (each also a :class:`CueTimeoutWarning`): ``doc_id``,
        ``sentence_id``, ``kind`` (``"cue_timeout"``), ``detail``.
    frame_model : FrameModel, optional
        The learned scorer (:func:`kursk_utils.frame_model.load_model`; the ``hybrid`` frame
        scorer): it adds the frames it is confident of, among those it was trained on
        (:meth:`~kursk_utils.frame_model.FrameModel.applicable_frames`), when their requirements
        hold; their evidence has kinds ``model`` and ``model_feature``. None: cue rules only.

    Returns
    -------
    DataFrame
        ``frames_by_sentence``: ``doc_id`` (str), ``sentence_id`` (int64), ``frame`` (str),
        ``score`` (float64, >= the frame's threshold), ``evidence`` (JSON list of
        ``{"cue", "kind", "start", "end", "weight"}`` sorted by offsets; kinds: ``cue``,
        ``negated_cue`` (a negated cue of another frame that counts here), ``sentiment``,
        ``agent``, and for requirements ``referent``, ``named_referent``, ``carried_referent``
        (offsets in an earlier sentence), ``speaker`` and ``actor``). One row per present frame,
        sorted by ``doc_id``, ``sentence_id``, ``frame``.
    """
    require_columns(sentences, ["doc_id", "sentence_id", "text"], "sentences")
    if not isinstance(codebook, Codebook):
        raise TypeError("codebook must be a Codebook from kursk_utils.framing.load_codebook()")
    if sentences.duplicated(["doc_id", "sentence_id"]).any():
        raise ValueError("sentences has duplicate (doc_id, sentence_id) keys")
    if sentences["text"].isna().any():
        raise ValueError("sentences has missing text")
    speaker_map, actor_map, compound_map = _contexts_by_sentence(
        speakers, actor_mentions, sentence_sentiment, codebook.side_names
    )

    # The sentences in (doc_id, sentence_id) order, sorted in Python (stable, as pandas' sort
    # was): a pandas sort costs ~1 ms per call whatever the partition's size.
    absent = [0] * len(sentences)
    ordered_sentences = sorted(zip(
        sentences["doc_id"].astype(str).tolist(), sentences["sentence_id"].tolist(), sentences["text"].tolist(),
        *(sentences[column].tolist() if column in sentences.columns else absent for column in ["start", "paragraph_id"]),
    ), key=operator.itemgetter(0, 1))

    index = codebook.pattern_index
    modelled = frame_model.applicable_frames(codebook) if frame_model is not None else ()
    thresholds = {frame.id: frame.model_threshold for frame in codebook.frames if frame.model_threshold is not None}
    excluded_voices = {frame.id: frame.excluded_voices for frame in codebook.frames}
    # Soldiers named in an excluded speaker's phrase voice the frame after all: its referents' words
    # for individual soldiers (not "commander-in-chief Zaluzhnyi's allies in parliament").
    voiced_by = {frame.id: tuple(referent.document_side_words for name in frame.requires
                                 if (referent := codebook.referents[name]).document_side_words is not None)
                 for frame in codebook.frames}
    n_cues = len(codebook.indexed_cues)  # the positions of the index's cue patterns come first
    not_with = {frame.id: frame.not_with for frame in codebook.frames}
    all_rows = []
    for doc_id, sentence_id, text, start, paragraph_id in ordered_sentences:
        folded = fold(str(text))
        all_rows.append(
            {"doc_id": doc_id, "sentence_id": int(sentence_id), "text": str(text), "start": int(start),
             "paragraph_id": paragraph_id, "folded": folded, "starts": index.match_starts(folded)}
        )
    # The sentences the model may add a frame to (most are ruled out without their voices), in
    # all_rows' order: screened all at once (FrameModel.may_add's batches span documents).
    may_add = iter(frame_model.may_add(
        ((row["text"], row["start"], _actor_spans(actor_map.get(key, [])), _roles(speaker_map.get(key, [])))
         for row in all_rows for key in [(row["doc_id"], row["sentence_id"])]),
        modelled, thresholds) if modelled else itertools.repeat(False))
    records = []
    timeouts: list[_Timeout] = []
    for doc_id, document_rows in itertools.groupby(all_rows, key=operator.itemgetter("doc_id")):
        rows = list(document_rows)
        contexts = [
            _SentenceContext(
                speaker_map.get((doc_id, row["sentence_id"]), []),
                actor_map.get((doc_id, row["sentence_id"]), []),
                compound_map.get((doc_id, row["sentence_id"])),
            )
            for row in rows
        ]
        document_voice = _document_voice(rows, codebook)
        # A commentary's sentences without a speaker are its author's: a columnist's own words.
        commentary = _is_commentary(rows, codebook, timeouts)
        # A document in one side's own words (a TASS report): so are its speakers and its narrator.
        narrator = document_voice if len(document_voice) == 1 else frozenset()
        if narrator:
            _speakers_take_side(contexts, next(iter(narrator)))
        hits = {
            name: _resolve_referent(rows, contexts, referent, codebook.referent_positions[name], codebook.side_names,
                                    timeouts, document_voice)
            for name, referent in codebook.referents.items()
        }
        for index_in_document, row in enumerate(rows):
            model_may_add = next(may_add)
            no_cue = min(row["starts"], default=n_cues) >= n_cues  # no cue may match (as _score_sentence finds)
            if no_cue and not model_may_add:
                continue  # most sentences: no cue, and the model adds nothing
            timed_out: list[str] = []
            context = contexts[index_in_document]
            try:
                voices = partial(_voice_sides, row["text"], context, codebook, narrator)
                model_flags = None
                if model_may_add:  # the model reads the voices too: find them once
                    sides = voices()
                    voices = partial(set, sides)
                    model_flags = frame_model.added(_features(row, context, codebook, sides), modelled, thresholds)
                if no_cue and not model_flags:
                    present = {}  # the model added nothing after all
                else:
                    present = _score_sentence(
                        row["text"],
                        row["start"],
                        context.compound,
                        {name: hits[name][index_in_document] for name in hits},
                        codebook,
                        row["starts"],
                        voices,
                        timed_out,
                        row["folded"],
                        model_flags,
                    )
                for frame_id in [f for f in present if excluded_voices.get(f) is not None]:
                    if (commentary and not context.speakers) or _excluded_voice(
                            row["text"], context, excluded_voices[frame_id], voiced_by[frame_id]):
                        del present[frame_id]  # an MP's criticism of the command is no soldier's frustration
                for frame_id in [f for f in present if not_with[f] & present.keys()]:
                    del present[frame_id]  # "they keep saying on TV it's under control", a soldier scoffs: no reassurance
            except TimeoutError:  # a voice, side or excluded-voice pattern outside the per-cue guard
                timed_out.append("side or attribution pattern")
                present = {}
            timeouts += [(doc_id, row["sentence_id"], what, row["text"]) for what in timed_out]
            for frame_id, (score, evidence) in present.items():
                records.append((doc_id, row["sentence_id"], frame_id, score, json.dumps(evidence, ensure_ascii=False)))

    _report_timeouts(timeouts, skipped)
    records.sort(key=operator.itemgetter(0, 1, 2))  # (stable, in Python: cheaper than pandas on few rows)
    result = pd.DataFrame.from_records(records, columns=FRAMES_BY_SENTENCE_COLUMNS)
    return result.astype({"doc_id": "str", "sentence_id": "int64", "frame": "str", "score": "float64", "evidence": "str"})


# Evidence kinds that scored a frame (the others say what the frame required).
_SCORING_KINDS = ("cue", "negated_cue", "model", "model_feature")


def _features(row: dict, context: _SentenceContext, codebook: Codebook,
              sides: set[str] | None = None) -> list[Feature]:
    """The learned scorer's features of a sentence: its words, its actors' groups, its voice
    (``sides``: :func:`_voice_sides` of the sentence, when already found)."""
    return sentence_features(
        row["text"], row["start"], _actor_spans(context.actors), _roles(context.speakers),
        _voice_sides(row["text"], context, codebook) if sides is None else sides,
    )


def _actor_spans(actors: list[tuple[str, str, int, int]]) -> list[tuple[str, int, int]]:
    """A sentence's actor mentions (:attr:`_SentenceContext.actors`) as the frame model reads them:
    (group, start, end)."""
    return [(group, start, end) for group, _, start, end in actors]


def _roles(speakers: list[tuple[str, str | None, str | None]]) -> list[str]:
    """The roles of a sentence's speakers (:attr:`_SentenceContext.speakers`), as the frame model reads them."""
    return [role for _, role, _ in speakers if role]


def model_features(
    sentences: pd.DataFrame, codebook: Codebook, speakers: pd.DataFrame | None = None,
    actor_mentions: pd.DataFrame | None = None,
) -> dict[tuple[str, int], list[Feature]]:
    """(doc_id, sentence_id) -> the learned scorer's features of each sentence, built from the same
    inputs as :func:`detect_frames` (used to train it: ``kursk train-frames``)."""
    speaker_map, actor_map, _ = _contexts_by_sentence(speakers, actor_mentions, None, codebook.side_names)
    result = {}
    for doc_id, sentence_id, text, start in column_rows(
        sentences.assign(start=sentences["start"] if "start" in sentences.columns else 0),
        ["doc_id", "sentence_id", "text", "start"],
    ):
        key = (str(doc_id), int(sentence_id))
        context = _SentenceContext(speaker_map.get(key, []), actor_map.get(key, []), None)
        result[key] = _features({"text": str(text), "start": int(start)}, context, codebook)
    return result


# --- document level, quotes, explanations --------------------------------------------------------


def frames_by_document(
    frames_by_sentence: pd.DataFrame, documents: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """Aggregate sentence frames to documents: presence and intensity of each frame.

    Parameters
    ----------
    frames_by_sentence : DataFrame
        Output of :func:`detect_frames`.
    documents : DataFrame
        ``documents`` table; needs ``doc_id`` and ``n_sentences``. Every document gets a row, also
        those with no frame.
    codebook : Codebook
        Gives the frame ids and their column order.

    Returns
    -------
    DataFrame
        ``doc_id``; one 0/1 int64 column per frame id (1 when at least one sentence has the frame);
        then per frame ``<id>_score`` (float64: share of the document's sentences with the frame)
        and ``<id>_sentences`` (int64: number of such sentences). Sorted by ``doc_id``.
    """
    require_columns(frames_by_sentence, FRAMES_BY_SENTENCE_COLUMNS, "frames_by_sentence")
    require_columns(documents, ["doc_id", "n_sentences"], "documents")
    unknown = sorted(set(frames_by_sentence["frame"]) - set(codebook.frame_ids))
    if unknown:
        raise ValueError(f"frames_by_sentence has frames not in the codebook: {unknown}")
    doc_ids = documents["doc_id"].astype(str)
    if doc_ids.duplicated().any():
        raise ValueError("documents has duplicate doc_id values")
    unknown_docs = sorted(set(frames_by_sentence["doc_id"]) - set(doc_ids))
    if unknown_docs:
        raise ValueError(f"frames_by_sentence has doc_ids not in documents: {unknown_docs[:5]}")

    # Counted in Python and built as one frame: a groupby/unstack and a column insert per frame
    # cost ~5 ms per call whatever the batch's size (the Dask engine calls this per partition).
    row_of = {doc_id: row for row, doc_id in enumerate(doc_ids.tolist())}
    frame_ids = list(codebook.frame_ids)
    counts = np.zeros((len(frame_ids), len(row_of)), dtype="int64")
    column_of = {frame_id: column for column, frame_id in enumerate(frame_ids)}
    for doc_id, frame_id in column_rows(frames_by_sentence, ["doc_id", "frame"]):
        counts[column_of[frame_id], row_of[doc_id]] += 1
    n_sentences = documents["n_sentences"].to_numpy(dtype="float64")
    columns: dict[str, object] = {"doc_id": doc_ids.to_numpy()}
    columns |= {frame_id: (count > 0).astype("int64") for frame_id, count in zip(frame_ids, counts)}
    for frame_id, count in zip(frame_ids, counts):
        share = np.divide(count, n_sentences, out=np.zeros(len(count)), where=n_sentences > 0)
        columns[f"{frame_id}_score"] = share.round(6)
        columns[f"{frame_id}_sentences"] = count
    return pd.DataFrame(columns).sort_values("doc_id", kind="stable").reset_index(drop=True)


def attach_frames(
    quotes: pd.DataFrame, frames_by_sentence: pd.DataFrame, frame_order: Sequence[str]
) -> pd.DataFrame:
    """Fill the ``frames`` column of ``quotes`` with the frames of the sentences each quote spans.

    Parameters
    ----------
    quotes : DataFrame
        ``quotes`` table; needs ``doc_id`` and ``sentence_ids`` (space-separated) or ``sentence_id``.
    frames_by_sentence : DataFrame
        Output of :func:`detect_frames`.
    frame_order : sequence of str
        The codebook's frame ids (``Codebook.frame_ids``), in codebook order.

    Returns
    -------
    DataFrame
        A copy of ``quotes`` with ``frames``: space-separated frame ids in ``frame_order``,
        ``""`` when none.
    """
    require_columns(frames_by_sentence, ["doc_id", "sentence_id", "frame"], "frames_by_sentence")
    require_columns(quotes, ["doc_id"], "quotes")
    if "sentence_ids" not in quotes.columns and "sentence_id" not in quotes.columns:
        raise ValueError("quotes needs a 'sentence_ids' or 'sentence_id' column")
    frames_of: dict[tuple[str, int], set[str]] = {}
    for doc_id, sentence_id, frame in column_rows(frames_by_sentence, ["doc_id", "sentence_id", "frame"]):
        frames_of.setdefault((str(doc_id), int(sentence_id)), set()).add(frame)
    order = {frame_id: rank for rank, frame_id in enumerate(frame_order)}

    def frames_for(doc_id: object, sentence_ids: object, sentence_id: object) -> str:
        if isinstance(sentence_ids, str) and sentence_ids.strip():
            ids = [int(token) for token in sentence_ids.split()]
        else:
            ids = [int(sentence_id)]
        found = set().union(*(frames_of.get((str(doc_id), i), set()) for i in ids))
        return " ".join(sorted(found, key=lambda f: (order.get(f, len(order)), f)))

    missing = [None] * len(quotes)
    columns = [quotes[c].tolist() if c in quotes.columns else missing
               for c in ("doc_id", "sentence_ids", "sentence_id")]
    # (made a string array at once: astype on the table would copy every column, ~1 ms per call)
    return quotes.assign(frames=pd.array([frames_for(*row) for row in zip(*columns)], dtype="str"))


def explain(frames_by_sentence: pd.DataFrame, sentences: pd.DataFrame, doc_id: str, sentence_id: int) -> pd.DataFrame:
    """Show why a sentence was flagged: one row per piece of evidence of each frame found.

    Returns
    -------
    DataFrame
        ``frame``, ``score``, ``kind``, ``cue``, ``weight``, ``start``, ``end``, ``context`` (the
        sentence holding the evidence, with the cue wrapped in ``[[ ]]``). Empty when the sentence
        has no frame. Raises ``KeyError`` when the sentence does not exist.
    """
    require_columns(sentences, ["doc_id", "sentence_id", "text"], "sentences")
    document = sentences[sentences["doc_id"].astype(str) == str(doc_id)]
    if not (document["sentence_id"] == sentence_id).any():
        raise KeyError(f"no sentence ({doc_id!r}, {sentence_id}) in sentences")
    starts = document["start"] if "start" in document.columns else pd.Series(0, index=document.index)
    spans = list(zip(starts, starts + document["text"].str.len(), document["text"], document["sentence_id"]))

    def context(start: int, end: int) -> str:
        if "start" not in document.columns:  # offsets are relative to this sentence
            text = document.loc[document["sentence_id"] == sentence_id, "text"].iloc[0]
            return f"{text[:start]}[[{text[start:end]}]]{text[end:]}"
        for s_start, s_end, text, _ in spans:
            if s_start <= start < s_end:
                a, b = start - s_start, end - s_start
                return f"{text[:a]}[[{text[a:b]}]]{text[b:]}"
        return ""

    selected = frames_by_sentence[
        (frames_by_sentence["doc_id"] == str(doc_id)) & (frames_by_sentence["sentence_id"] == sentence_id)
    ]
    rows = [
        {"frame": frame, "score": score, **item, "context": context(item["start"], item["end"])}
        for frame, score, evidence in selected[["frame", "score", "evidence"]].itertuples(index=False)
        for item in json.loads(evidence)
    ]
    columns = ["frame", "score", "kind", "cue", "weight", "start", "end", "context"]
    return pd.DataFrame(rows, columns=columns)


def evidence_table(frames_by_sentence: pd.DataFrame, sentences: pd.DataFrame, frame: str | None = None) -> pd.DataFrame:
    """Join frame rows to their sentence text, listing the scoring cues, for reading evidence.

    Returns
    -------
    DataFrame
        ``doc_id``, ``sentence_id``, ``frame``, ``score``, ``cues`` (the matched cue texts joined by
        ``"; "``; for a frame added by the frame model, its probability and top features:
        ``"p=0.9123; w:pause; b:can vanish"``), ``text``; restricted to ``frame`` when given; sorted by key.
    """
    require_columns(sentences, ["doc_id", "sentence_id", "text"], "sentences")
    selected = frames_by_sentence if frame is None else frames_by_sentence[frames_by_sentence["frame"] == frame]
    cues = [
        "; ".join(item["cue"] for item in json.loads(evidence) if item["kind"] in _SCORING_KINDS)
        for evidence in selected["evidence"]
    ]
    joined = selected.assign(cues=cues).merge(
        sentences[["doc_id", "sentence_id", "text"]], on=["doc_id", "sentence_id"], how="left"
    )
    return joined[["doc_id", "sentence_id", "frame", "score", "cues", "text"]].sort_values(
        ["doc_id", "sentence_id", "frame"], kind="stable"
    ).reset_index(drop=True)


def corpus_profile(frames_by_document: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Corpus-level frame profile from :func:`frames_by_document`.

    Returns
    -------
    DataFrame
        ``frame``, ``label``, ``n_documents`` (documents with the frame), ``share_documents``,
        ``n_sentences`` (sentences with the frame), in codebook order.
    """
    n_documents = len(frames_by_document)
    rows = []
    for frame in codebook.frames:
        present = int(frames_by_document[frame.id].sum())
        rows.append(
            {
                "frame": frame.id,
                "label": frame.label,
                "n_documents": present,
                "share_documents": round(present / n_documents, 6) if n_documents else 0.0,
                "n_sentences": int(frames_by_document[f"{frame.id}_sentences"].sum()),
            }
        )
    return pd.DataFrame(rows)


# --- does the codebook fit the corpus? ------------------------------------------------------------


def topic_check(documents: pd.DataFrame, sentences: pd.DataFrame, codebook: Codebook,
                skipped: list[dict] | None = None) -> pd.DataFrame:
    """Which articles mention the codebook's topic (its ``[topic]`` patterns, else its referents).

    Parameters
    ----------
    documents : DataFrame
        ``doc_id``, ``n_sentences``; every document gets a row.
    sentences : DataFrame
        ``doc_id``, ``sentence_id``, ``text``.
    codebook : Codebook
    skipped : list, optional
        As in :func:`detect_frames`: a sentence where the topic pattern takes too long counts as
        off topic, with a warning and a row here.

    Returns
    -------
    DataFrame
        ``topic_check``: ``doc_id`` (str), ``n_sentences`` (int64), ``topic_sentences`` (int64:
        sentences with a topic match), ``topic_terms`` (str: the distinct matched words,
        lower-cased, sorted, ``"; "``-joined; ``""`` when none), ``on_topic`` (nullable
        boolean: at least one topic sentence; null when the codebook defines no topic).
        Sorted by ``doc_id``.
    """
    require_columns(documents, ["doc_id", "n_sentences"], "documents")
    require_columns(sentences, ["doc_id", "sentence_id", "text"], "sentences")
    doc_ids = documents["doc_id"].astype(str).tolist()
    terms: dict[str, set[str]] = {doc_id: set() for doc_id in doc_ids}
    counts = dict.fromkeys(doc_ids, 0)
    timeouts: list[_Timeout] = []
    if codebook.topic is not None:
        index = codebook.topic_index
        for doc_id, sentence_id, text in column_rows(sentences, ["doc_id", "sentence_id", "text"]):
            starts = index.match_starts(fold(str(text)))
            try:
                found = ({match.group().lower() for match in matches(codebook.topic, str(text), starts[0])}
                         if 0 in starts else set())
            except TimeoutError:
                timeouts.append((str(doc_id), int(sentence_id), "topic pattern", str(text)))
                continue
            if found and str(doc_id) in counts:
                counts[str(doc_id)] += 1
                terms[str(doc_id)] |= found
    _report_timeouts(timeouts, skipped)
    checked = codebook.topic is not None
    # Sorted by doc_id (stable) in Python and built with the final dtypes: a pandas sort and
    # astype cost ~1 ms per call whatever the partition's size.
    order = sorted(range(len(doc_ids)), key=doc_ids.__getitem__)
    ordered = [doc_ids[row] for row in order]
    return pd.DataFrame({
        "doc_id": pd.array(ordered, dtype="str"),
        "n_sentences": documents["n_sentences"].astype("int64").to_numpy()[order],
        "topic_sentences": np.array([counts[d] for d in ordered], dtype="int64"),
        "topic_terms": pd.array(["; ".join(sorted(terms[d])) for d in ordered], dtype="str"),
        "on_topic": pd.array([counts[d] > 0 if checked else None for d in ordered], dtype="boolean"),
    }, columns=TOPIC_CHECK_COLUMNS)


def topic_fit(topic_check_table: pd.DataFrame, min_share: float = TOPIC_MIN_SHARE) -> dict:
    """Whether the codebook fits the corpus: do at least ``min_share`` of the articles mention its topic?

    Parameters
    ----------
    topic_check_table : DataFrame
        From :func:`topic_check`.
    min_share : float
        Below this share of on-topic articles, the codebook may not fit (default: most articles).

    Returns
    -------
    dict
        JSON-serialisable: ``n_documents``, ``n_on_topic``, ``share_on_topic`` (None when not
        checked or no article), ``min_share``, ``fits`` (bool; None when the codebook defines no
        topic or there is no article) and ``message`` (one sentence for the log and the report).
    """
    require_columns(topic_check_table, ["doc_id", "on_topic"], "topic_check")
    n_documents = len(topic_check_table)
    checked = topic_check_table["on_topic"].notna()
    record = {"n_documents": n_documents, "n_on_topic": None, "share_on_topic": None,
              "min_share": min_share, "fits": None}
    if n_documents == 0:
        return record | {"message": "topic check: no article to check"}
    if not checked.all():
        return record | {"message": "topic check: not done, the codebook defines no [topic] and no referents"}
    n_on_topic = int(topic_check_table["on_topic"].astype(bool).sum())
    share = round(n_on_topic / n_documents, 6)
    fits = share >= min_share
    said = f"{n_on_topic} of {n_documents} articles ({share:.0%}) mention the codebook's topic"
    message = (f"topic check: {said}" if fits else
               f"topic check: only {said} (fewer than {min_share:.0%}): the codebook may not fit this "
               "corpus; its frames may be found in unrelated text (see the topic_check table)")
    return record | {"n_on_topic": n_on_topic, "share_on_topic": share, "fits": fits, "message": message}

