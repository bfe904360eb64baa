"""Direct quotes and reported speech, attributed to speakers with roles.

The method is rule based and transparent: every row of the ``quotes`` table carries the document
offsets of what was quoted (``start``/``end``), of the attribution cue (``cue_start``/``cue_end``)
and of the speaker mention it was attributed to (``speaker_start``/``speaker_end``).

Direct quotes
    Text between double quotes: straight ``"..."``, curly ``“...”``, low ``„...“`` and guillemets
    ``«...»``; quotes run to the end of their paragraph when left open (the convention for quotes
    spanning paragraphs). Single quotes are not read as quotes (straight ``'`` is mostly an
    apostrophe). A quote is attributed from the clause after it (``"...," he said``, ``"...," said
    X``, ``"...", according to X``) or the clause before it (``X said: "..."``, ``X described it
    as "..."``, ``X acknowledged ..., stating, "..."``); an explicit name or noun phrase wins over
    a pronoun, and the clause after the quote wins over the one before. A quote with no
    attribution of its own that follows an attributed quote closely (``"A," he said. "B."``)
    continues it and inherits its speaker.

Scare quotes
    A quote of fewer than :data:`MIN_UNATTRIBUTED_WORDS` words that is not a full sentence and has
    no attribution in its sentence (the plan is to ``"salt the earth"``) is a term or scare quote,
    not speech, and is left out. Longer or full-sentence unattributed quotes are kept with a null
    speaker, as are quotes attributed to a pronoun that cannot be resolved.

Reported speech
    A sentence without a direct quote whose speech or cognition verb (``data/speech_verbs.txt``)
    has a speaker as its subject: a name, a pronoun, or a noun phrase with a role cue
    ("Artem candidly described the withdrawal as ...", "He believes ...", "Moscow's defense
    ministry declared ..."), or ``according to X``. The reported text runs from after the verb to
    the end of the sentence. Subjects that are not speakers ("The recent successes suggest ...")
    are rejected because they carry neither a name nor a role cue.

Pronouns
    ``he``/``she`` resolve to the most recent person before them that is a speaker or a person
    introduced with a title or role ("analyst Ruslan Leviev"), skipping persons coordinated with
    another ("Trump and Putin", a plural subject); ``they`` resolves to the most recent plural
    noun-phrase speaker ("Ukrainian officials"). Unresolved pronouns leave a direct quote without
    speaker and drop reported speech. A definite role noun ("the commander") refers back to the
    last person of that role. A single name is expanded to the full name mentioned earlier
    ("Artem" -> "Artem Kariakin").

Roles
    :func:`classify_role` uses the actor gazetteer when the speaker matches an alias, else the
    nearest role cue of ``data/speaker_roles.csv`` around the speaker (titles, "call sign",
    "platoon commander", "analyst", "military blogger", outlet names), completing "official" with
    the nearest nationality cue. Soldiers of any side get ``soldier``; use the actor tables to
    tell sides apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import pandas as pd

from kursk_utils.cue_index import fold
from kursk_utils.tables import column_rows, require_columns
from kursk_utils.text import data_lines, literal_alternation

ROLES = (
    "soldier",
    "ukrainian_official",
    "russian_official",
    "us_official",
    "analyst",
    "media",
    "other",
)
QUOTE_COLUMNS = [
    "doc_id",
    "quote_id",
    "sentence_id",
    "sentence_ids",
    "start",
    "end",
    "kind",
    "speaker",
    "role",
    "cue",
    "text",
    "sentiment",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "cue_start",
    "cue_end",
]
SENTENCE_SPEAKER_COLUMNS = ["doc_id", "sentence_id", "speaker", "role", "kind"]
MIN_UNATTRIBUTED_WORDS = 5
# An unattributed quote continues the previous attributed one when this few words separate them.
MAX_CONTINUATION_GAP_WORDS = 12
# The subject of a verb after a quote ("," a soldier of ..., who ..., told X") is this short.
MAX_AFTER_QUOTE_SUBJECT_WORDS = 20
# Role cues count only this close to the speaker mention (characters), within its clause.
ROLE_WINDOW_CHARS = 80

_OPENERS = {'"': '"”', "“": '”"', "„": '“"', "«": "»"}
_QUOTE_MARKS = sorted({mark for opener, closers in _OPENERS.items() for mark in opener + closers})
_QUOTE_MARK = re.compile("[" + re.escape("".join(_QUOTE_MARKS)) + "]")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
# Closed-class words (grammar, not lexicon): they never start or form a speaker's name.
_FUNCTION_WORD = re.compile(
    r"(?:the|a|an|this|that|these|those|it|its|there|here|one|some|many|most|all|any|each|"
    r"in|on|at|of|from|to|for|by|with|without|into|onto|over|under|after|before|since|during|"
    r"despite|as|while|when|where|though|although|but|and|or|if|even|instead|being|"
    r"firstly|secondly|however|meanwhile|also|then|thankfully|just|only|not|no|yet|so)",
    re.IGNORECASE,
)
_PREPOSITIONS = (
    "in|on|at|of|from|to|for|into|onto|over|under|near|across|toward|towards|about|"
    "against|around|through|between|within|beyond|by|via|inside|outside"
)
_PREPOSITION = re.compile(f"(?:{_PREPOSITIONS})")
# Capitalised words, with the particles and connectors of names ("Ursula von der Leyen",
# "Ministry of Defence", "Institute for the Study of War").
_NAME = re.compile(
    r"[A-Z][\w’'.-]*"
    r"(?:\s+(?:(?:de|van|von|der|al|bin|la|le|of|for|of the|for the)\s+)?[A-Z][\w’'.-]*)*"
)
_FOLLOWING_NAME = re.compile(r"\s+(" + _NAME.pattern + ")")
_CONNECTOR = re.compile(r"(?:of|for|the)")
_PRONOUN = re.compile(r"(?:he|she|they|He|She|They)")
_PERSON_PRONOUNS = {"he", "she"}
# Adverbs and auxiliaries that may stand between a subject and its verb ("he has also said").
_FILLER = re.compile(
    r"(?:\s+(?:[a-z]+ly|also|has|have|had|is|are|was|were|will|would|could|can|may|might|"
    r"did|does|do|then|later|earlier|again|once|not|never|still|too|even|already|further))+\s*$"
)
_CLAUSE_BREAK = re.compile(
    r"(?:[;:(\[\]—–]\s*|,\s+(?:which|who|as|while|whereas|though|although|but|because|so)\s+|"
    r"\b(?:that|which|who|whom|what|whereas|though|although|because|while|as|but|if|when)\s+)"
)
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*\s*$")
# Joiners and time adverbials between a verb and what it reports ("said on Monday that").
_LEADING_JOINERS = re.compile(
    r"^(?:[\s,:;]|that\b|(?:on|last|this|late|early)\s+(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|week|month|year|night|morning|evening)\b)+"
)
_TRAILING_JOINERS = re.compile(r"[\s,;:]+$")


@dataclass(frozen=True)
class _Mention:
    """A speaker mention: ``kind`` is ``name``, ``pronoun`` or ``phrase`` (noun phrase)."""

    text: str
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class _Attribution:
    cue: str
    cue_start: int
    cue_end: int
    mention: _Mention


@dataclass
class _Quote:
    start: int
    end: int
    kind: str
    attribution: _Attribution | None
    speaker: str | None = None
    role: str | None = None


@cache
def load_speech_verbs() -> pd.DataFrame:
    """Attribution verbs shipped in ``data/speech_verbs.txt``.

    Returns
    -------
    pandas.DataFrame
        Columns ``form`` (str, a verb form as written, lower case) and ``kind``
        (``speech`` or ``cognition``), one row per form, in file order.
    """
    rows = [line.split(",") for line in data_lines("speech_verbs.txt")]
    return pd.DataFrame(rows, columns=["form", "kind"])


@cache
def load_speaker_roles() -> pd.DataFrame:
    """Role cues shipped in ``data/speaker_roles.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``cue`` (str), ``kind`` (``role``, ``outlet``, ``nationality``, ``actor_group``)
        and ``role`` (one of :data:`ROLES`, or ``official`` for role cues whose nationality
        decides the role). See the comments in the file.
    """
    with resources.files("kursk_utils").joinpath("data", "speaker_roles.csv").open("rb") as f:
        return pd.read_csv(f, comment="#", dtype="str")


@cache
def _cue_pattern() -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + literal_alternation(load_speech_verbs()["form"]) + r"\b")


# Cue kinds matched case-sensitively (outlet and nationality names); the others ignore case.
_CASE_SENSITIVE_KINDS = ("outlet", "nationality")


def _role_cue_pattern(alternation: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w.])" + alternation + r"(?![\w])")


@cache
def _role_cues(kinds: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """Regex over the cues of ``kinds`` (longest first) and a lower-cased cue -> role map."""
    table = load_speaker_roles()
    table = table[table["kind"].isin(kinds)]
    kind_of = dict(zip(table["cue"], table["kind"]))
    exact = [cue for cue, kind in kind_of.items() if kind in _CASE_SENSITIVE_KINDS]
    ignore_case = [cue for cue, kind in kind_of.items() if kind not in _CASE_SENSITIVE_KINDS]
    pattern = _role_cue_pattern(literal_alternation(exact, ignore_case))
    return pattern, {cue.lower(): role for cue, role in zip(table["cue"], table["role"])}


@cache
def _folded_role_cues(kinds: tuple[str, ...]) -> re.Pattern[str] | None:
    """The pattern of :func:`_role_cues` for text folded by :func:`cue_index.fold`: the same
    matches, found without case-insensitive matching (slow over hundreds of cues). None when a
    cue of ``kinds`` is matched case-sensitively."""
    if set(kinds) & set(_CASE_SENSITIVE_KINDS):
        return None
    table = load_speaker_roles()
    return _role_cue_pattern(literal_alternation(table.loc[table["kind"].isin(kinds), "cue"].str.lower()))


def _role_matches(text: str, kinds: tuple[str, ...]) -> list[tuple[int, int, str]]:
    pattern, roles = _role_cues(kinds)
    return [(m.start(), m.end(), roles[m.group().lower()]) for m in pattern.finditer(text)]


def _gazetteer_aliases(gazetteer: pd.DataFrame) -> list[tuple[str, str]]:
    """(alias, group) pairs of a gazetteer, long (with ``alias``) or wide as ``actors.csv``."""
    if "alias" in gazetteer.columns:
        names = gazetteer["actor_name"] if "actor_name" in gazetteer.columns else gazetteer["alias"]
        pairs = list(zip(gazetteer["alias"], gazetteer["group"])) + list(
            zip(names, gazetteer["group"])
        )
    elif {"name", "aliases"} <= set(gazetteer.columns):
        pairs = [
            (alias, group)
            for name, group, aliases in zip(
                gazetteer["name"], gazetteer["group"], gazetteer["aliases"]
            )
            for alias in [name, *str(aliases).split("|")]
        ]
    else:
        raise ValueError(
            "gazetteer needs columns group and alias (kursk_utils.actors.load_gazetteer()) "
            f"or group, name and aliases (actors.csv); it has {list(gazetteer.columns)}"
        )
    return [(str(alias).strip(), str(group)) for alias, group in pairs if str(alias).strip()]


@dataclass(frozen=True)
class _GazetteerMatcher:
    """All aliases of a gazetteer in one regex (longest first), and each alias's group."""

    pattern: re.Pattern[str] | None
    groups: dict[str, str]

    @classmethod
    def build(cls, gazetteer: pd.DataFrame | None) -> _GazetteerMatcher:
        if gazetteer is None or len(gazetteer) == 0:
            return cls(None, {})
        groups = dict(sorted(_gazetteer_aliases(gazetteer)))
        return cls(re.compile(r"(?<![\w])" + literal_alternation(groups) + r"(?![\w])"), groups)

    def role(self, speaker: str) -> str | None:
        """Role of the actor whose longest alias occurs in ``speaker`` as words, or None."""
        if self.pattern is None:
            return None
        aliases = [m.group() for m in self.pattern.finditer(speaker)]
        if not aliases:
            return None
        return _group_roles().get(self.groups[max(aliases, key=len)], "other")


@cache
def _group_roles() -> dict[str, str]:
    """Actor gazetteer group -> speaker role, from the ``actor_group`` rows of the role cues."""
    table = load_speaker_roles()
    table = table[table["kind"] == "actor_group"]
    return dict(zip(table["cue"], table["role"]))


def _local_window(context: str, start: int, end: int) -> tuple[int, int]:
    """Span of ``context`` around a mention that can describe it: its clause, nearby."""
    left = max(0, start - ROLE_WINDOW_CHARS)
    before = context[left:start]
    cut = max(before.rfind(". "), before.rfind(";"), before.rfind('"'))
    if cut >= 0:
        left += cut + 1
    right = min(len(context), end + ROLE_WINDOW_CHARS)
    after = context[end:right]
    stop = re.search(
        r"[.;\"“”]|\s(?:was|were|is|are|has|have|had|will|would)\s|" + _cue_pattern().pattern,
        after,
    )
    if stop:
        right = end + stop.start()
    return left, right


def classify_role(speaker: str, context: str = "", gazetteer: pd.DataFrame | None = None) -> str:
    """Role of a speaker from the actor gazetteer and the cues around its mention.

    Parameters
    ----------
    speaker : str
        The speaker as named in the text ("Oleksandr Syrskyi", "the commander", "TASS").
    context : str, default ""
        Text around a mention of the speaker, usually its sentence ("Commander-in-Chief
        Oleksandr Syrskyi said ..."). Cues count only within the speaker's clause, at most
        :data:`ROLE_WINDOW_CHARS` characters away; the nearest wins.
    gazetteer : pandas.DataFrame, optional
        Actor gazetteer (``actor_id``, ``name``, ``group``, ``aliases``), e.g.
        ``kursk_utils.actors.load_gazetteer()``. A speaker containing an actor's name or alias
        takes the role of the actor's group (``us`` -> ``us_official``, ``ukraine_soldiers`` ->
        ``soldier``, ...), before any cue.

    Returns
    -------
    str
        One of :data:`ROLES`. Titles such as "President" or "spokesman" give the official role of
        the nearest nationality cue ("Ukrainian President ..." -> ``ukrainian_official``), or
        ``other`` if none is found in the context.

    Raises
    ------
    TypeError
        If ``speaker`` or ``context`` is not a string.
    """
    if not isinstance(speaker, str) or not isinstance(context, str):
        raise TypeError("speaker and context must be strings")
    return _classify(speaker, context, _GazetteerMatcher.build(gazetteer))


def _classify(speaker: str, context: str, gazetteer: _GazetteerMatcher) -> str:
    from_gazetteer = gazetteer.role(speaker)
    if from_gazetteer is not None:
        return from_gazetteer
    position = context.find(speaker) if speaker else -1
    if position < 0:
        context, position = speaker, 0
    left, right = _local_window(context, position, position + len(speaker))
    window = context[left:right]
    mention = (position - left, position - left + len(speaker))

    def distance(match: tuple[int, int, str]) -> tuple[int, int]:
        start, end, _ = match
        gap = max(mention[0] - end, start - mention[1], 0)
        return gap, -(end - start)

    roles = _role_matches(window, ("role", "outlet"))
    nationalities = _role_matches(window, ("nationality",))
    if not roles:
        inside = [m for m in nationalities if distance(m)[0] == 0]
        return inside[0][2] if inside else "other"
    cue_start, cue_end, role = min(roles, key=distance)
    if role != "official":
        return role
    # The nationality qualifying a title precedes it ("Russian President"), else follows it.
    before = [m for m in nationalities if m[1] <= cue_start]
    after = [m for m in nationalities if m[0] >= cue_start]
    if before:
        return max(before, key=lambda m: m[1])[2]
    if after:
        return min(after, key=lambda m: m[0])[2]
    anywhere = _role_matches(context, ("nationality",))
    return anywhere[0][2] if anywhere else "other"


def _name_in(text: str, offset: int) -> _Mention | None:
    """First capitalised name in ``text`` used as a noun: not a modifier ("Ukrainian forces"),
    nor the object of a preposition or verb ("in Kursk", "supporting Russia")."""
    for match in _NAME.finditer(text):
        tokens = match.group().split()
        # Determiners and other function words capitalised at a sentence start are not names.
        while tokens and _FUNCTION_WORD.fullmatch(tokens[0]):
            tokens.pop(0)
        if not tokens:
            continue
        name = " ".join(tokens)
        start = match.start() + match.group().index(tokens[0])
        end = start + len(name)
        if re.search(r"['’]s$", name):
            continue
        preceding = text[:start].split()
        if preceding and not _introduces_name(text[:start], preceding[-1]):
            continue
        following = text[end:].split()
        if following:
            word = following[0].strip(",")
            is_modifier = word[:1].islower() and not (
                word.endswith("ly")
                or _PREPOSITION.fullmatch(word)
                or _FILLER.search(" " + word)
                or word in ("and", "or", "like", "who")
            )
            if is_modifier and not following[0].endswith(","):
                continue
        return _Mention(name, offset + start, offset + end, "name")
    return None


def _introduces_name(before: str, word: str) -> bool:
    """Whether ``word`` (ending ``before``) can precede a subject name: not a preposition or
    another lower-case word that makes the name its object ("supporting Russia")."""
    if _PREPOSITION.fullmatch(word):
        return False
    if word[:1].isupper() or _FUNCTION_WORD.fullmatch(word) or word in ("like", "including"):
        return True
    return any(
        end == len(before.rstrip()) for _, end, _ in _role_matches(before.rstrip(), ("role",))
    )


@lru_cache(maxsize=8192)  # names recur within and across documents
def _strip_titles(name: str) -> str:
    """``name`` without leading titles and nationalities ("Ukrainian President Volodymyr
    Zelenskyy" -> "Volodymyr Zelenskyy"); organisations ("Russian Defence Ministry") are kept."""
    tokens = name.split()
    if any(end == len(name) for _, end, _ in _role_matches(name, ("role", "outlet"))):
        return name
    popped_connector = False
    while len(tokens) > 1:
        cue = _role_matches(tokens[0], ("role", "nationality"))
        if cue and cue[0][1] == len(tokens[0]):
            tokens.pop(0)
        elif _CONNECTOR.fullmatch(tokens[0]):
            tokens.pop(0)
            popped_connector = True
        else:
            break
    # "Ministry of Defence (of the Russian Federation)" is an organisation, not a titled person.
    if (popped_connector and len(tokens) < 2) or any(_CONNECTOR.fullmatch(t) for t in tokens):
        return name
    return " ".join(tokens)


def _speaker_in(segment: str, offset: int, adjacent_only: bool = False) -> _Mention | None:
    """The speaker a clause segment ending just before a verb names, or None."""
    trimmed = _FILLER.sub("", segment.rstrip())
    chunks = []
    position = 0
    for piece in trimmed.split(","):
        chunks.append((position, piece))
        position += len(piece) + 1
    if adjacent_only or not segment.rstrip().endswith(","):
        # Earlier chunks are reachable only through an appositive closed by a comma
        # ("Serhiy, a Belarusian volunteer, said"), not across an introductory phrase.
        chunks = [c for c in chunks if c[1].strip()][-1:]
    for chunk_start, chunk in reversed(chunks):
        stripped = chunk.strip()
        if not stripped:
            continue
        start = offset + chunk_start + chunk.index(stripped)
        if chunk_start + len(chunk) == len(trimmed) and _PRONOUN.fullmatch(stripped):
            return _Mention(stripped, start, start + len(stripped), "pronoun")
        name = _name_in(chunk, offset + chunk_start)
        if name is not None:
            return name
        stripped = re.split(r"\s+(?:who|which|that)\s+", stripped)[0]
        words = stripped.split()
        # A noun phrase: short, with a role cue, and no verb of its own ("officials pushed back").
        has_verb = any(re.fullmatch(r"[a-z]+(?:ed|ing)", w) for w in words)
        # A speaker never spans a quotation mark (it would take in the end of another quote).
        spans_quote = any(mark in stripped for mark in '"\u201c\u201d')
        if (len(words) <= 10 and not has_verb and not spans_quote
                and _role_matches(stripped, ("role", "outlet"))):
            phrase = re.sub(r"^(?:with|from|by|and|as)\s+", "", stripped)
            start = offset + chunk_start + chunk.index(phrase)
            return _Mention(phrase, start, start + len(phrase), "phrase")
    return None


_NOT_A_VERB_BEFORE = re.compile(
    rf"\b(?:the|a|an|this|that|these|those|its|their|his|her|our|my|your|such|{_PREPOSITIONS})\s+$",
    re.IGNORECASE,
)


def _subject_of(text: str, clause_start: int, cue_start: int, participle: bool) -> _Mention | None:
    """Subject of the verb at ``cue_start``, looked for back to ``clause_start``."""
    segment = text[clause_start:cue_start]
    if _NOT_A_VERB_BEFORE.search(segment):
        return None  # "the perceived value", "on claims that": not a verb of speech
    breaks = list(_CLAUSE_BREAK.finditer(segment))
    begin = breaks[-1].end() if breaks else 0
    subject_segment = segment[begin:]
    if participle:
        # "with spokesman Dmitry Peskov stating ..." names its own subject; otherwise the
        # participle belongs to the main clause's subject ("X acknowledged ..., stating").
        if subject_segment.strip() and not subject_segment.rstrip().endswith(","):
            own = _speaker_in(subject_segment, clause_start + begin, adjacent_only=True)
            if own is not None:
                return own
        earlier = [m for m in _cue_pattern().finditer(text, clause_start, cue_start)]
        for match in reversed(earlier):
            if not match.group().endswith("ing"):
                return _subject_of(text, clause_start, match.start(), participle=False)
        return None
    return _speaker_in(subject_segment, clause_start + begin)


def _attribution_before(text: str, window_start: int, window_end: int) -> _Attribution | None:
    """Attribution in the clause introducing a quote (``X said: "``, ``..., stating, "``)."""
    according = list(_ACCORDING_TO.finditer(text, window_start, window_end))
    if according:
        return _according_to(text, according[-1], window_end)
    cues = list(_cue_pattern().finditer(text, window_start, window_end))
    for match in reversed(cues):
        mention = _subject_of(text, window_start, match.start(), match.group().endswith("ing"))
        if mention is not None:
            return _Attribution(match.group(), match.start(), match.end(), mention)
    return None


def _attribution_after(text: str, window_start: int, window_end: int) -> _Attribution | None:
    """Attribution in the clause following a quote (``," he said``, ``," said X``)."""
    lead = re.match(r"[\s,\"”'’]*", text[window_start:window_end])
    begin = window_start + (lead.end() if lead else 0)
    according = _ACCORDING_TO.match(text, begin, window_end)
    if according:
        return _according_to(text, according, window_end)
    cue = _cue_pattern().search(text, begin, window_end)
    if cue is None or len(text[begin : cue.start()].split()) > MAX_AFTER_QUOTE_SUBJECT_WORDS:
        return None
    if cue.start() == begin:
        if cue.group().endswith("ing"):
            return None
        # Inverted order: "said Dmitry Peskov, the Kremlin spokesman."
        rest = text[cue.end() : window_end]
        head = re.match(r"\s*([^,;:]+?)\.?\s*(?:[,;:]|$)", rest)
        if head is None:
            return None
        offset = cue.end() + head.start(1)
        mention = _speaker_in(head.group(1), offset)
        return (
            None if mention is None else _Attribution(cue.group(), cue.start(), cue.end(), mention)
        )
    if text[begin : cue.start()].rstrip().endswith((".", "!", "?")):
        return None
    mention = _speaker_in(text[begin : cue.start()], begin)
    return None if mention is None else _Attribution(cue.group(), cue.start(), cue.end(), mention)


def _according_to(text: str, match: re.Match[str], limit: int) -> _Attribution | None:
    phrase = re.match(r"[^,.;:\"”]+", text[match.end() : limit])
    if phrase is None:
        return None
    mention = _speaker_in(phrase.group(), match.end())
    if mention is None:
        return None
    cue = match.group().strip()
    return _Attribution(cue, match.start(), match.start() + len(cue), mention)


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the content of double-quoted passages in ``text``.

    Returns
    -------
    list of (start, end)
        Spans inside the quote marks, without surrounding white space and without a trailing
        comma, semicolon or colon (``"...," he said``); ``.``, ``!`` and ``?`` are kept. A quote
        still open at the end of its paragraph (line) ends there.
    """
    spans: list[tuple[int, int]] = []
    paragraph_start = 0
    for line in text.split("\n"):
        opener: str | None = None
        open_at = 0
        for mark in _QUOTE_MARK.finditer(line):  # the other characters never change state
            char, index = mark.group(), mark.start()
            if opener is None and char in _OPENERS:
                opener, open_at = char, index
            elif opener is not None and char in _OPENERS[opener]:
                spans.append((paragraph_start + open_at + 1, paragraph_start + index))
                opener = None
        if opener is not None:
            spans.append((paragraph_start + open_at + 1, paragraph_start + len(line)))
        paragraph_start += len(line) + 1
    trimmed = []
    for start, end in spans:
        content = text[start:end]
        stripped = _TRAILING_JOINERS.sub("", content.rstrip())
        lead = len(content) - len(content.lstrip())
        if _WORD.search(stripped):
            trimmed.append((start + lead, start + len(stripped)))
    return trimmed


def _check_inputs(documents: pd.DataFrame, sentences: pd.DataFrame) -> None:
    require_columns(documents, ["doc_id", "text"], "documents")
    require_columns(sentences, ["doc_id", "sentence_id", "start", "end"], "sentences")
    if documents["text"].isna().any():
        raise ValueError("documents table has a null text; every document needs its text")
    if documents["doc_id"].duplicated().any():
        repeated = documents.loc[documents["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ValueError(f"documents table repeats doc_id {repeated!r}")
    unknown = set(sentences["doc_id"]) - set(documents["doc_id"])
    if unknown:
        raise ValueError(f"sentences refer to doc_id(s) not in documents: {sorted(unknown)[:5]}")


class _Document:
    """One document's text and its sentence spans, with lookups from offsets to sentences."""

    def __init__(self, text: str, sentence_spans: list[tuple[int, int, int]]):
        self.text = text
        self.sentence_spans = sentence_spans  # (start, end, sentence_id), sorted by start
        self.starts = [s for s, _, _ in sentence_spans]

    def sentence_index(self, position: int) -> int | None:
        index = bisect_right(self.starts, position) - 1
        if index < 0 or position >= self.sentence_spans[index][1]:
            return None
        return index

    def sentence_ids(self, start: int, end: int) -> list[int]:
        return [sid for s, e, sid in self.sentence_spans if s < end and e > start]

    def sentence_at(self, position: int) -> tuple[int, int]:
        index = self.sentence_index(position)
        if index is None:
            # Between sentences (a quote mark outside the segmenter's spans): the paragraph.
            left = self.text.rfind("\n", 0, position) + 1
            right = self.text.find("\n", position)
            return left, len(self.text) if right < 0 else right
        start, end, _ = self.sentence_spans[index]
        return start, end


def _direct_quotes(doc: _Document) -> list[_Quote]:
    text = doc.text
    spans = find_quote_spans(text)
    quotes: list[_Quote] = []
    previous_end = 0
    for index, (start, end) in enumerate(spans):
        open_mark = start - 1
        sentence_start, _ = doc.sentence_at(open_mark if open_mark >= 0 else start)
        window_start = max(sentence_start, previous_end)
        before_text = text[window_start:open_mark].strip()
        if not before_text and doc.sentence_index(open_mark) is not None:
            # A quote opening its sentence may be introduced by the previous one ending in ":".
            idx = doc.sentence_index(open_mark)
            if idx and text[: doc.sentence_spans[idx][0]].rstrip().endswith(":"):
                window_start = max(doc.sentence_spans[idx - 1][0], previous_end)
        before = _attribution_before(text, window_start, max(window_start, open_mark))
        close_mark = end
        while close_mark < len(text) and text[close_mark] in ",;: ":
            close_mark += 1
        _, sentence_end = doc.sentence_at(max(end - 1, start))
        next_open = spans[index + 1][0] - 1 if index + 1 < len(spans) else len(text)
        after = _attribution_after(
            text, close_mark + 1, max(close_mark + 1, min(sentence_end, next_open))
        )
        candidates = [a for a in (after, before) if a is not None]
        explicit = [a for a in candidates if a.mention.kind != "pronoun"]
        attribution = (explicit or candidates or [None])[0]
        quotes.append(_Quote(start, end, "direct", attribution))
        previous_end = end + 1
    return quotes


def _reported_speech(doc: _Document, covered: list[tuple[int, int]]) -> list[_Quote]:
    text = doc.text
    reported = []
    for sentence_start, sentence_end, _ in doc.sentence_spans:
        if any(s < sentence_end and e > sentence_start for s, e in covered):
            continue
        attribution = None
        content_start = content_end = None
        according = _ACCORDING_TO.search(text, sentence_start, sentence_end)
        if according:
            attribution = _according_to(text, according, sentence_end)
            if attribution is not None:
                phrase_end = attribution.mention.end
                if text[sentence_start : according.start()].strip(" ,"):
                    content_start, content_end = sentence_start, according.start()
                else:
                    content_start, content_end = phrase_end, sentence_end
        if attribution is None:
            for cue in _cue_pattern().finditer(text, sentence_start, sentence_end):
                mention = _subject_of(
                    text, sentence_start, cue.start(), cue.group().endswith("ing")
                )
                if mention is not None:
                    attribution = _Attribution(cue.group(), cue.start(), cue.end(), mention)
                    content_start, content_end = cue.end(), sentence_end
                    break
        if attribution is None:
            continue
        content = text[content_start:content_end]
        lead = _LEADING_JOINERS.match(content)
        content_start += lead.end() if lead else 0
        trailing = re.search(r"[\s,;:.!?]+$", text[content_start:content_end])
        if trailing:
            content_end = content_start + trailing.start()
        if content_end > content_start and _WORD.search(text[content_start:content_end]):
            reported.append(_Quote(content_start, content_end, "reported", attribution))
    return reported


def _person_candidates(doc: _Document) -> list[_Mention]:
    """Persons introduced with a title or role ("analyst Ruslan Leviev"), not coordinated."""
    text = doc.text
    persons = []
    folded, folded_pattern = fold(text), _folded_role_cues(("role",))
    if folded is None or folded_pattern is None:
        cues = _role_cues(("role",))[0].finditer(text)
    else:
        cues = folded_pattern.finditer(folded)  # same offsets: folding keeps every character
    for cue in cues:
        follow = _FOLLOWING_NAME.match(text, cue.end())
        if follow is None:
            continue
        name, start, end = follow.group(1), follow.start(1), follow.end(1)
        coordinated = re.match(r"\s+and\s+[A-Z]", text[end:]) or re.search(
            r"[A-Z][\w’'.-]*\s+and\s+(?:\w+\s+){0,3}$",
            text[max(0, cue.start() - 40) : cue.start()],
        )
        if not coordinated and not _role_matches(name, ("nationality", "outlet")):
            persons.append(_Mention(name, start, end, "name"))
    return persons


def _full_name(name: str, known: Iterable[str]) -> str:
    """The longest earlier-known name containing all of ``name``'s words, else ``name``."""
    words = set(name.split())
    longer = [k for k in known if len(k.split()) > len(words) and words <= set(k.split())]
    return max(longer, key=len) if longer else name


def _is_person(mention: _Mention) -> bool:
    return mention.kind == "name" and not _role_matches(
        mention.text, ("nationality", "outlet", "role")
    )


def _resolve(doc: _Document, quotes: list[_Quote], gazetteer: _GazetteerMatcher) -> None:
    """Fill ``speaker`` and ``role`` of each quote, in text order, resolving pronouns."""
    text = doc.text
    # Full names in the document: titled persons and capitalised two-word names.
    titled = _person_candidates(doc)
    known_names = [m.text for m in titled]
    for match in re.finditer(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+\b", text):
        if not any(_FUNCTION_WORD.fullmatch(word) for word in match.group().split()):
            known_names.append(_strip_titles(match.group()))
    persons: list[tuple[int, str, str]] = [
        (m.start, _full_name(m.text, known_names), "") for m in titled
    ]
    groups: list[tuple[int, str, str]] = []
    roles: dict[str, str] = {}

    def role_of(name: str, mention: _Mention) -> str:
        if name not in roles:
            contexts = [doc.sentence_at(m.start()) for m in re.finditer(re.escape(name), text)]
            contexts.append(doc.sentence_at(mention.start))
            role = "other"
            for s, e in contexts:
                role = _classify(name if name in text[s:e] else mention.text, text[s:e], gazetteer)
                if role != "other":
                    break
            roles[name] = role
        return roles[name]

    for quote in sorted(
        quotes, key=lambda q: (q.attribution.mention.start if q.attribution else q.start)
    ):
        if quote.attribution is None:
            continue
        mention = quote.attribution.mention
        if mention.kind == "pronoun":
            pool = persons if mention.text.lower() in _PERSON_PRONOUNS else groups
            earlier = [p for p in pool if p[0] < mention.start]
            if earlier:
                _, quote.speaker, quote.role = max(earlier)
                quote.role = quote.role or role_of(quote.speaker, mention)
            continue
        if mention.kind == "phrase":
            sentence_start, sentence_end = doc.sentence_at(mention.start)
            quote.speaker = mention.text
            quote.role = _classify(mention.text, text[sentence_start:sentence_end], gazetteer)
            if re.fullmatch(r"the \w+", mention.text, re.IGNORECASE):
                # "the commander" refers back to the last person of that role, when there is one.
                same_role = [p for p in persons if p[0] < mention.start and p[2] == quote.role]
                if same_role:
                    _, quote.speaker, quote.role = max(same_role)
                continue
            if re.search(r"s\b", mention.text.split()[-1]):
                groups.append((mention.start, quote.speaker, quote.role))
            continue
        quote.speaker = _full_name(_strip_titles(mention.text), known_names)
        quote.role = role_of(quote.speaker, mention)
        if _is_person(mention):
            persons.append((mention.start, quote.speaker, quote.role))


def _inherit_continuations(doc: _Document, quotes: list[_Quote]) -> None:
    """Give an unattributed direct quote the speaker of the quote it continues.

    A quote continues the attributed quote just before it (``"A," he said. "B."``); a quote
    separated from the next by nothing but a paragraph break is the first part of a quote
    spanning paragraphs, attributed at its end.
    """
    direct = sorted((q for q in quotes if q.kind == "direct"), key=lambda q: q.start)
    for previous, quote in zip(direct, direct[1:]):
        gap = doc.text[previous.end : quote.start]
        sentence_start, _ = doc.sentence_at(quote.start)
        opens_sentence = not doc.text[sentence_start : quote.start - 1].strip()
        if (
            quote.attribution is None
            and previous.speaker is not None
            and opens_sentence
            and not _is_scare_quote(doc, quote)
            and len(_WORD.findall(gap)) <= MAX_CONTINUATION_GAP_WORDS
        ):
            quote.attribution = previous.attribution
            quote.speaker, quote.role = previous.speaker, previous.role
    for quote, following in reversed(list(zip(direct, direct[1:]))):
        gap = doc.text[quote.end : following.start]
        if (
            quote.speaker is None
            and following.speaker is not None
            and "\n" in gap
            and not _WORD.search(gap)
        ):
            quote.attribution = following.attribution
            quote.speaker, quote.role = following.speaker, following.role


def _is_scare_quote(doc: _Document, quote: _Quote) -> bool:
    content = doc.text[quote.start : quote.end]
    full_sentence = bool(_SENTENCE_END.search(content)) and content[:1].isupper()
    return (
        quote.attribution is None
        and not full_sentence
        and len(_WORD.findall(content)) < MIN_UNATTRIBUTED_WORDS
    )


def extract_quotes(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    actor_mentions: pd.DataFrame | None = None,
    gazetteer: pd.DataFrame | None = None,
    implementation: str | None = None,
) -> pd.DataFrame:
    """Direct quotes and reported speech of each document, with speaker, role and sentiment.

    Parameters
    ----------
    documents : pandas.DataFrame
        The ``documents`` table; uses ``doc_id`` and ``text``.
    sentences : pandas.DataFrame
        The ``sentences`` table; uses ``doc_id``, ``sentence_id``, ``start``, ``end``
        (offsets into ``documents.text``).
    actor_mentions : pandas.DataFrame, optional
        The ``actor_mentions`` table. A speaker mention overlapping an actor mention takes the
        role of the actor's group, before the gazetteer and the cues.
    gazetteer : pandas.DataFrame, optional
        Actor gazetteer (``actor_id``, ``name``, ``group``, ``aliases``); see :func:`classify_role`.
    implementation : {"nltk", "vadersentiment"}, optional
        VADER implementation scoring ``sentiment``; default that of
        :func:`kursk_utils.sentiment.score_texts`.

    Returns
    -------
    pandas.DataFrame
        One row per quote, sorted by ``doc_id`` then ``start`` (``quote_id`` is the 0-based
        position in the document), with columns:

        - ``doc_id`` (str), ``quote_id`` (int64)
        - ``sentence_id`` (int64): first sentence of the quoted text; ``sentence_ids`` (str):
          space-separated ids of every sentence it overlaps
        - ``start``, ``end`` (int64): offsets of the quoted text in ``documents.text``, without
          quote marks; ``text`` (str) equals ``documents.text[start:end]``
        - ``kind`` (str): ``direct`` (in quote marks) or ``reported`` (reported speech)
        - ``speaker`` (str or null): the speaker's name or noun phrase, pronouns resolved
        - ``role`` (str or null): one of :data:`ROLES`; null when the speaker is
        - ``cue`` (str or null): the attribution verb or phrase as written ("said",
          "according to")
        - ``sentiment`` (float64): VADER compound of ``text``
        - ``speaker_mention`` (str or null), ``speaker_start``, ``speaker_end`` (Int64): the
          words the speaker was found in ("he") and their offsets
        - ``cue_start``, ``cue_end`` (Int64): offsets of ``cue``

    Raises
    ------
    TypeError, ValueError
        If a table is not a DataFrame, lacks a needed column, or ``sentences`` refers to a
        document not in ``documents``.
    """
    _check_inputs(documents, sentences)
    matcher = _GazetteerMatcher.build(gazetteer)
    if actor_mentions is not None:
        missing = [
            c for c in ("doc_id", "group", "start", "end") if c not in actor_mentions.columns
        ]
        if missing:
            raise ValueError(f"actor_mentions table is missing column(s) {missing}")
    ordered = sentences.sort_values(["doc_id", "start"])
    spans_by_doc: dict[str, list[tuple[int, int, int]]] = {}
    for doc_id, start, end, sentence_id in column_rows(ordered, ("doc_id", "start", "end", "sentence_id")):
        spans_by_doc.setdefault(doc_id, []).append((int(start), int(end), int(sentence_id)))
    mentions_by_doc: dict[str, list[tuple[int, int, str]]] = {}
    if actor_mentions is not None:
        for doc_id, start, end, group in column_rows(actor_mentions, ("doc_id", "start", "end", "group")):
            mentions_by_doc.setdefault(doc_id, []).append((int(start), int(end), group))
    rows = []
    for doc_id, text in sorted(column_rows(documents, ("doc_id", "text"))):
        doc = _Document(text, spans_by_doc.get(doc_id, []))
        if not doc.sentence_spans:
            continue
        direct = _direct_quotes(doc)
        reported = _reported_speech(
            doc, [(doc.sentence_at(q.start)[0], doc.sentence_at(q.end - 1)[1]) for q in direct]
        )
        quotes = direct + reported
        _resolve(doc, quotes, matcher)
        _apply_actor_mentions(quotes, mentions_by_doc.get(doc_id))
        _inherit_continuations(doc, quotes)
        kept = [q for q in quotes if not (q.kind == "direct" and _is_scare_quote(doc, q))]
        kept = [q for q in kept if q.kind == "direct" or q.speaker is not None]
        for quote_id, quote in enumerate(sorted(kept, key=lambda q: (q.start, q.end))):
            ids = doc.sentence_ids(quote.start, quote.end)
            attribution = quote.attribution
            # The cue and mention stay visible when a pronoun could not be resolved.
            rows.append(
                {
                    "doc_id": doc_id,
                    "quote_id": quote_id,
                    "sentence_id": ids[0],
                    "sentence_ids": " ".join(map(str, ids)),
                    "start": quote.start,
                    "end": quote.end,
                    "kind": quote.kind,
                    "speaker": quote.speaker,
                    "role": quote.role,
                    "cue": attribution.cue if attribution is not None else None,
                    "text": text[quote.start : quote.end],
                    "speaker_mention": (
                        attribution.mention.text if attribution is not None else None
                    ),
                    "speaker_start": attribution.mention.start if attribution is not None else None,
                    "speaker_end": attribution.mention.end if attribution is not None else None,
                    "cue_start": attribution.cue_start if attribution is not None else None,
                    "cue_end": attribution.cue_end if attribution is not None else None,
                }
            )
    table = pd.DataFrame(rows, columns=[c for c in QUOTE_COLUMNS if c != "sentiment"])
    table["sentiment"] = _score(table["text"].tolist(), implementation)
    table = table.astype(
        {
            "doc_id": "str",
            "quote_id": "int64",
            "sentence_id": "int64",
            "sentence_ids": "str",
            "start": "int64",
            "end": "int64",
            "kind": "str",
            "speaker": "str",
            "role": "str",
            "cue": "str",
            "text": "str",
            "speaker_mention": "str",
            "speaker_start": "Int64",
            "speaker_end": "Int64",
            "cue_start": "Int64",
            "cue_end": "Int64",
            "sentiment": "float64",
        }
    )
    return table[QUOTE_COLUMNS].reset_index(drop=True)


def _score(texts: list[str], implementation: str | None) -> list[float]:
    from kursk_utils import sentiment  # imported here: quotes does not need VADER to load

    if not texts:
        return []
    if implementation is None:
        return sentiment.score_texts(texts)["compound"].tolist()
    return sentiment.score_texts(texts, implementation)["compound"].tolist()


def _apply_actor_mentions(
    quotes: list[_Quote], mentions: list[tuple[int, int, str]] | None
) -> None:
    """Role from the actor mention overlapping each explicit speaker mention, when there is one.

    ``mentions`` are the document's (start, end, group) in table order; of several overlapping
    mentions the longest wins, then the first to start, then the first in table order.
    """
    if not mentions:
        return
    # Mentions by start, so each speaker looks only at those that can overlap it (linear, not
    # quotes x mentions): a mention overlapping [start, end) starts before ``end`` and less
    # than the longest mention's length before ``start``.
    by_start = sorted(range(len(mentions)), key=lambda i: mentions[i][0])
    starts = [mentions[i][0] for i in by_start]
    longest = max(end - start for start, end, _ in mentions)
    for quote in quotes:
        if quote.speaker is None or quote.attribution.mention.kind == "pronoun":
            continue
        mention = quote.attribution.mention
        near = by_start[bisect_left(starts, mention.start - longest + 1) : bisect_left(starts, mention.end)]
        overlapping = [mentions[i] for i in sorted(near)  # table order, for ties
                       if mentions[i][0] < mention.end and mentions[i][1] > mention.start]
        if overlapping:
            _, _, group = min(overlapping, key=lambda m: (m[0] - m[1], m[0]))
            quote.role = _group_roles().get(group, "other")


def sentence_speakers(quotes: pd.DataFrame) -> pd.DataFrame:
    """Who speaks in each sentence covered by a quote or reported speech.

    Parameters
    ----------
    quotes : pandas.DataFrame
        The table returned by :func:`extract_quotes` (uses ``doc_id``, ``sentence_ids``,
        ``speaker``, ``role``, ``kind``).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id`` (str), ``sentence_id`` (int64), ``speaker`` (str or null), ``role``
        (str or null), ``kind`` (``direct``/``reported``); one row per sentence and distinct
        (speaker, role, kind), sorted by ``doc_id``, ``sentence_id``, ``kind``, ``speaker``.
        A sentence holding a quote and the clause attributing it appears once per quote speaker.
    """
    require_columns(quotes, ["doc_id", "sentence_ids", "speaker", "role", "kind"], "quotes")
    exploded = quotes.assign(sentence_id=quotes["sentence_ids"].str.split(" ")).explode(
        "sentence_id"
    )
    table = exploded[SENTENCE_SPEAKER_COLUMNS].astype({"sentence_id": "int64"})
    table = table.drop_duplicates().sort_values(
        ["doc_id", "sentence_id", "kind", "speaker"], na_position="last"
    )
    return table.reset_index(drop=True)
