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
    a pronoun, and the clause after the quote wins over the one before; a headline names its
    quote's speaker (``Syrskyi on the withdrawal: "..."``). A quote with no
    attribution of its own that follows an attributed quote closely (``"A," he said. "B."``),
    is the second piece of a split quote (``"A," he added, "b."``) or follows narration that
    refers to the speaker by pronoun only, naming no one else, continues it and inherits its
    speaker. In a transcript or Q&A, an interviewee's or guest's labelled answer
    (``SOLBERG: ...``) is that speaker's direct speech, and an "I" reporting inside it is that
    speaker; a presenter's, host's, correspondent's or interviewer's turns (``HOST: ...``,
    ``Q: ...``, an outlet's name) are not quotations; speech quoted or reported inside any turn
    is extracted as usual (:func:`_transcript_turns`).

Scare quotes and names
    A quote of fewer than :data:`MIN_UNATTRIBUTED_WORDS` words that is not a full sentence and has
    no attribution in its sentence (the plan is to ``"salt the earth"``) is a term or scare quote,
    not speech, and is left out; so is a quoted name or call sign (``"Kit"``: at most
    :data:`MAX_QUOTED_NAME_WORDS` capitalised words). Longer or full-sentence unattributed
    quotes are kept with a null speaker, as are quotes attributed to a pronoun that cannot be
    resolved.

Reported speech
    Every speech or cognition verb (``data/speech_verbs.txt``) whose subject is a speaker: a
    name, a pronoun, a noun phrase with a role cue ("Moscow's defense ministry declared ..."),
    or, for verbs of saying, any short noun phrase right before the verb ("forecasters warned",
    "the union said"); a subject's relative clause is skipped ("BBC Verify, which analysed
    ..., said") and a call sign or a first name given in it names the speaker ("who gave only his
    first name, Taras, told her"). The reported clause follows the verb, past its object ("told
    AFP", "told reporters at the White House"), time and place adverbials and "that" ("said on
    Telegram that ...", "reported to Putin that ..."); when
    nothing but adverbials follows the verb, it is the clause before the comma preceding the
    subject ("Water levels rose, officials said on Friday"). ``according to X`` reports the
    rest of its sentence, unless a speech verb before it has a subject (then X only relays:
    "Peskov said ..., according to TASS"). A clause the speaker did not say is cut off: ``, as
    ...`` (unless about the speaker's own subject: ", as their focus ..."), ``, amid ...``,
    a participle clause (``, speaking on condition ...``, ``, noting ...``: another report),
    ``, a day after ...``, ``, a figure ...``, ``, while acknowledging ...``, ``, TASS reported``;
    "A and that B", "A but that B" and a second verb of the subject ("conceded A but insisted B")
    are two reports, and a joined clause with a speaker of its own (", while X said B") ends the
    report. A participle of saying after a main clause with another verb ("X issued a response,
    saying ...") and a turn-taking verb before "to say" ("Okafor interrupted to say ...") report
    for that clause's subject. Content of fewer
    than :data:`MIN_REPORTED_WORDS` words ("confirmed the loss") or a request ("asked not to
    be named") is no report. Verbs inside a direct quote or inside another report (nested
    speech) are skipped.

Direct quotes inside reported speech
    A short quote inside a reported clause (``said its forces faced a "difficult" situation``)
    belongs to the clause: one reported entry. A reported clause that is mostly a direct quote,
    runs into one, holds a full quoted sentence or one attributed on its own, or follows a
    naming verb (``called the visit "a PR stunt"``) gives way to the direct quote.

Speakers and pronouns
    A name follows a speaker's description after the verb (``said union leader Maria Lopez``)
    or before it ("Crane operator Tom Reyes said", "Head of the regional military administration
    Volodymyr Artiukh said"); an appositive after the subject describes it ("Steve Witkoff,
    President Trump's special envoy, told", "Valerii Zaluzhnyi, now ambassador in London, argue",
    "Analysts at the Institute for the Study of War, a Washington-based think tank, said"); a named
    subject keeps its name over the call sign of its relative clause ("Hrytsenko, who goes by the
    call sign "Lis", said"); "There are soldiers who say" has "soldiers" speak; a verb of saying
    opens no subject ("said in a video posted online") and a participle's object is none ("calling
    the Russian reports "fabrications""); titles are stripped ("Ukrainian President
    Volodymyr Zelenskyy" -> "Volodymyr Zelenskyy"); a dateline or a live blog's time stamp is never
    the subject ("KYIV (Reuters) - ...", "11:10 GMT The UK defence ministry"). A headline's name
    before a colon ('Alaudinov: Kursk operation "has ended ..."'), a name and a colon before a
    quote in a list of key events ('- Zelensky: "..."') and a headline quote's described speaker
    ('"...": a drone commander on the last weeks in Kursk', the story's first person of that role)
    name the quote's speaker; a place before a colon does not. ``he``/``she`` resolve, among
    persons of a compatible gender (from a
    gendered noun before the name, "her brother, Pavel", else the first he/she outside quotes
    in the rest of the sentence of a mention of the name or the next one, never the he/she being
    resolved), to a person named as a sentence subject in the sentence before the quote or its
    attribution ("Serhiy shrugged. "...," he said"), else to the last person named as a subject
    since the previous quote (the story moved on to them), else to the speaker of the previous
    quote, else to the last person named, one known to be of the pronoun's gender first (a
    possessive mention, "Sampaio's campaign manager ... she", tells no gender); bodies and
    outlets are never he or she. ``they`` resolves to the
    most recent plural noun phrase opening a sentence or speaking ("Ukrainian officials").
    Unresolved pronouns leave a direct quote without speaker and drop reported speech. A bare
    title or description ("the President", "the Russian leader", "the head of state",
    "the commander") refers back to the last person introduced with the same title word
    (heads of state and government count as one title; with a prepositional phrase, "the head
    of the General Staff", the most title words in common), else the last person of the same
    role (a person introduced by a call sign counts, with the title of its clause: "a major with
    the call sign "Dyak"" ... "the major said"); a description with a role cue ("the alliance
    chief") names the subject of its sentence or the one before; "the ministry" refers back to the
    last body named with "ministry", never another country's ("the UK defence ministry" after
    "Russia's defence ministry") (a phrase is a body only when an organisation word ends its head:
    "the Kremlin aide" is a person; "the league" is a body). A description no title matches ("the
    diplomat emphasised", "The 52-year-old, a former teacher, said", "the former Estonian prime
    minister told") right after a named person spoke is that person, unless someone else was
    just described with its noun; one subject's second report keeps the first one's speaker ("The
    general admitted ..., but said ..."); a headline's description ("Russia's top diplomat
    says") is the story's first person of its official role. An unnamed person described opening a sentence
    ("A company commander ... put it differently. He told me") is a referent of he/she; "Its
    press service" is the press service of the body named last. A full quoted sentence without
    attribution right after a sentence whose subject is a named person is theirs, and a clause
    ending in a colon introduces its subject's quote. A single name is expanded
    to the full name mentioned earlier ("Artem" -> "Artem Kariakin", "Emma" -> "Emma Novak-Hill",
    "Vidal" -> "Lucía Vidal"; a title-case headline's capitalised pairs, "Reformist Vidal wins",
    are no names). With no body named with its word, a lower-case body description ("The company
    denied ...") is the body that spoke in the sentence before; ``it`` refers to a body that
    spoke, also one named without an organisation word whose own report called it "it"
    ("Meridian said in a statement that its offer was ...").

Roles
    A noun phrase is classified by its head, before a prepositional phrase or a passive participle
    ("soldiers interviewed by the Kyiv Independent" -> soldier, "analysts at Bernstein" ->
    analyst), but a source by the whole phrase ("sources in the General Staff"); an outlet that
    quotes or cites the speaker, and the dateline, are no cue. A title takes the place right next
    to it ("Kursk Governor", "Mayor of Kharkiv"), else a nationality inside the speaker's phrase
    ("the Defence Ministry in Moscow"), else the nearest, else the last of its paragraph's two
    previous sentences. :func:`classify_role` uses the actor gazetteer when the speaker matches an alias, else the
    nearest role cue of ``data/speaker_roles.csv`` around the speaker (titles, "call sign",
    "platoon commander", "analyst", "military blogger", outlet names) or in a predicate
    describing it ("X is a combat medic"), completing "official" with the nearest nationality
    cue. A speaker going by a call sign is a soldier. Outlets and their journalists are
    ``media``; military bloggers ``other`` (their side tells whom they support); think tanks,
    monitoring groups (ISW, DeepState), experts and historians ``analyst``. Soldiers of any side get ``soldier``; the ``side`` column tells the
    sides apart.

Sides
    ``side`` is where the speaker belongs (:data:`SIDES`): the actor group of the speaker (an
    actor mention or gazetteer alias: ``ukraine_soldiers`` -> ``ukraine``), else its official
    role, else an outlet named in the speaker ("soldiers interviewed by the Kyiv Independent"),
    else the nationality cue nearest to a mention of the speaker (for a soldier only one qualifying
    his description, a soldier's role word close after it: "Russian contract soldiers", not "hit by Russian
    drones" nor "when Washington paused"), else (not for a soldier) the first nationality cue of a
    sentence naming it; null when nothing tells. The sides of cues are the ``side`` column
    of ``data/speaker_roles.csv``. In a text naming neither side of the war (no Ukrainian or
    Russian nationality or place cue, no gazetteer actor of theirs) every speaker's side is
    ``other``.

Measured on a blind annotated set: :mod:`kursk_utils.validation.quotes`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from itertools import chain, islice
from importlib import resources

import numpy as np
import pandas as pd

from kursk_utils.cue_index import fold
from kursk_utils.contracts import require_columns
from kursk_utils.tables import column_rows
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
# Sides a speaker belongs to (the quotes table's ``side``; null when unknown).
SIDES = ("ukraine", "russia", "us", "europe", "other")
_ROLE_SIDES = {"ukrainian_official": "ukraine", "russian_official": "russia", "us_official": "us"}
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
    "side",
    "cue",
    "text",
    "sentiment",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "cue_start",
    "cue_end",
]
# The dtype of each column of QUOTE_COLUMNS.
QUOTE_DTYPES = {
    "doc_id": "str", "quote_id": "int64", "sentence_id": "int64", "sentence_ids": "str", "start": "int64",
    "end": "int64", "kind": "str", "speaker": "str", "role": "str", "side": "str", "cue": "str", "text": "str",
    "sentiment": "float64", "speaker_mention": "str", "speaker_start": "Int64", "speaker_end": "Int64",
    "cue_start": "Int64", "cue_end": "Int64",
}
SENTENCE_SPEAKER_COLUMNS = ["doc_id", "sentence_id", "speaker", "role", "kind"]
MIN_UNATTRIBUTED_WORDS = 5
# A quote of this many capitalised words at most is a name or call sign ("Kit"), not speech.
MAX_QUOTED_NAME_WORDS = 4
# An unattributed quote continues the previous attributed one when this few words separate them.
MAX_CONTINUATION_GAP_WORDS = 12
# ... or when up to this many words of narration refer to its speaker by pronoun only.
MAX_NARRATED_GAP_WORDS = 40
# A two-word capitalised name ("Vladimir Putin"): narration naming one is about someone else.
_TWO_WORD_NAME = re.compile(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+\b")
# The subject of a verb after a quote ("," a soldier of ..., who ..., told X") is this short.
MAX_AFTER_QUOTE_SUBJECT_WORDS = 20
# Role cues count only this close to the speaker mention (characters), within its clause.
ROLE_WINDOW_CHARS = 80

_OPENERS = {'"': '"”', "“": '”"', "„": '“"', "«": "»"}
_QUOTE_MARKS = sorted({mark for opener, closers in _OPENERS.items() for mark in opener + closers})
_QUOTE_MARK_CHARS = re.escape("".join(_QUOTE_MARKS))
_QUOTE_MARK = re.compile(f"[{_QUOTE_MARK_CHARS}]")
_QUOTE_MARK_OR_LINE_END = re.compile(f"[{_QUOTE_MARK_CHARS}\n]")
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
    "amid|among|in|on|at|of|from|to|for|into|onto|over|under|near|across|toward|towards|about|"
    "against|around|through|between|within|beyond|by|via|inside|outside"
)
_PREPOSITION = re.compile(f"(?:{_PREPOSITIONS})")
_PREPOSITION_NEXT = re.compile(rf"\s+(?:{_PREPOSITIONS})\s")
_DETERMINER = re.compile(r"(?:the|a|an|this|that|these|those)", re.IGNORECASE)
# Text ending with a preposition, maybe and a determiner: a name after it is its object.
_OBJECT_OF_PREPOSITION = re.compile(
    rf"\b(?:{_PREPOSITIONS})(?:\s+(?:the|a|an|this|that|these|those))?(?:\s+\d+\w*)?\s*$",
    re.IGNORECASE,
)
# Capitalised words, with the particles and connectors of names ("Ursula von der Leyen",
# "Ministry of Defence", "Institute for the Study of War"). A name never runs across a line
# break or past a full stop after a word, unless the word is an abbreviation ("Gen.", "Capt.",
# from ``data/abbreviations.txt``) or an initial: "... said spokesman Andrii Kovalov.\n\nForeign
# Minister Andrii Sybiha said" names two people.
_AFTER_ABBREVIATION = "".join(
    rf"|(?<=\b{re.escape(a.capitalize())}\.)" for a in data_lines("abbreviations.txt") if a.isalpha()
)
# (The checks before the space are one atomic group: they are all zero-width at one place, so
# once one holds, the others cannot lead anywhere else; backtracking into them tried each
# abbreviation at the end of every name.)
_NAME = re.compile(
    r"[A-Z][\w’'.-]*"
    rf"(?:(?>(?<![a-z]\.){_AFTER_ABBREVIATION})[^\S\n]+(?:(?:de|van|von|der|al|bin|la|le|of|for|of the|for the)[^\S\n]+)?"
    r"[A-Z][\w’'.-]*)*"
)
_FOLLOWING_NAME = re.compile(r"\s+(" + _NAME.pattern + ")")
# A lower-case prepositional phrase after a capitalised word: a title's ("Head of the regional ...").
_TITLE_OF = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?[a-z]")
_CONNECTOR = re.compile(r"(?:of|for|the)")
# (First person: "I" and "we" are a transcript turn's speaker, else the writer, who is not quoted.)
_PRONOUN = re.compile(r"(?:he|she|they|it|He|She|They|It|I|we|We)")
_CONTRACTED_PRONOUN = re.compile(r"(he|she|they|it|He|She|They|It|we|We)['’](?:s|d|ve)")
_FIRST_PERSON = frozenset(("i", "we"))
_FIRST_PERSON_WORD = re.compile(r"(?:I|We)(?:['’](?:ll|ve|d|m|re))?")
_PERSON_PRONOUNS = {"he", "she"}
# Adverbs and auxiliaries that may stand between a subject and its verb ("he has also said").
_FILLER_WORD = re.compile(
    r"[a-z]+ly|also|has|have|had|is|are|was|were|will|would|could|can|may|might|"
    r"did|does|do|then|later|earlier|again|once|not|never|still|too|even|already|further"
)
_FILLER = re.compile(rf"(?:\s+(?:{_FILLER_WORD.pattern}))+\s*$")
_CLAUSE_BREAK = re.compile(
    r"(?:[;:(\[\]—–]\s*|,\s+(?:which|who|as|while|whereas|though|although|but|because|so)\s+|"
    r"\b(?:that|which|who|whom|what|whereas|though|although|because|while|as|but|if|when)\s+)"
)
_ACCORDING_TO = re.compile(r"\b(?:[Aa]ccording to\s+|[Ii]n\s+(?=(?:his|her|their)\s+(?:own\s+)?words\b))")
# The pronoun a source phrase names its speaker by ("according to him", "in her words").
_SOURCE_PRONOUN = re.compile(r"(him|her|them)\b(?!\s+[a-z])|(his|her|their)\s+(?:own\s+)?words\b")
# Object and possessive pronouns as the subject pronoun they stand for.
_SUBJECT_CASE = {"him": "he", "his": "he", "her": "she", "them": "they", "their": "they"}


def _subject_pronoun(pronoun: str) -> str:
    """``pronoun`` lower-cased, in the subject case ("Him" -> "he", "their" -> "they")."""
    return _SUBJECT_CASE.get(pronoun.lower(), pronoun.lower())
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*\s*$")
# Joiners and time adverbials between a verb and what it reports ("said on Monday that").
_LEADING_JOINERS = re.compile(
    r"^(?:[\s,:;]|that\b|(?:(?:on|last|this|late|early)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday)\b|(?:on|last|this|late|early)\s+(?:week|month|year|night|morning|"
    r"evening)\b)+"
)


@dataclass(frozen=True)
class _Mention:
    """A speaker mention: ``kind`` is ``name``, ``pronoun``, ``phrase`` (noun phrase) or ``label``
    (a transcript's speaker label)."""

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
    side: str | None = None


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
        Columns ``cue`` (str), ``kind`` (``role``, ``outlet``, ``nationality``, ``actor_group``),
        ``role`` (one of :data:`ROLES`, or ``official`` for role cues whose nationality
        decides the role) and ``side`` (one of :data:`SIDES` for nationality, outlet and
        actor_group rows, else null). See the comments in the file.
    """
    with resources.files("kursk_utils").joinpath("data", "speaker_roles.csv").open("rb") as f:
        return pd.read_csv(f, comment="#", dtype="str")


@cache
def _speaker_names() -> dict[str, list[tuple[str, str | None]]]:
    """Folded variant -> [(full name, required role or None)], from ``data/speaker_names.csv``."""
    with resources.files("kursk_utils").joinpath("data", "speaker_names.csv").open("rb") as f:
        table = pd.read_csv(f, comment="#", dtype="str", keep_default_na=False)
    names: dict[str, list[tuple[str, str | None]]] = {}
    for variant, name, role in table[["variant", "name", "role"]].itertuples(index=False):
        names.setdefault(variant.replace("’", "'"), []).append((name, role or None))
    return names


# Words an acronym skips ("International Committee of the Red Cross" -> ICRC).
_ACRONYM_SKIPS = frozenset(("of", "the", "for", "and", "on", "in"))
_ACRONYM = re.compile(r"[A-Z]{2,6}")


_BASED_PREFIX = re.compile(r"^[A-Z][\w.’'-]*-based\s+(?=[A-Z])")
_THE_PREFIX = re.compile(r"^the\s+")
_PLACED_BODY = re.compile(r"(?:[Tt]he\s+)?(\w+)['’]s\s+(.+)")


def _full_body_name(speaker: str, role: str | None, text: str) -> str:
    """A body's full name for a short form: an acronym spelled out in the article ("ICRC" after
    "the International Committee of the Red Cross"), else the row of ``data/speaker_names.csv``
    ("Ukraine's General Staff"), else ``speaker``; where it is based is no part of the name
    ("the Washington-based Institute for the Study of War")."""
    if "-based" in speaker:  # (its literal, looked for first: most speakers are persons' names)
        speaker = _BASED_PREFIX.sub("", speaker)
    if _ACRONYM.fullmatch(speaker):
        # Spelled out where it is defined: "The World Anti-Doping Agency (WADA)", "The Catalan
        # Water Agency (Agència Catalana de l'Aigua, or ACA)".
        # (the shortest end of the capitalised run naming a body: "Professor Kenji Mori of the
        # Japan Aerospace Exploration Agency (JAXA)" defines the agency, not the professor)
        # (looked for only before a bracket closing on the acronym: a search from every capital
        # of the article would cost a fifth of the extraction)
        close = text.find(f"{speaker})")
        defined = None if close < 0 else re.search(
            _BODY_WORDS + rf"\s*\((?:[^()]*?,\s*or\s+)?{speaker}\)$", text[max(0, close - 200) : close + len(speaker) + 1])
        if defined is not None:
            run = defined.group(1)
            ends = [run[m.end():] for m in re.finditer(r"\s(?:of|for|at|on)\s+(?:the\s+)?", run)]
            named = [end for end in reversed(ends) if _ORGANISATION.search(end)]
            if named or _ORGANISATION.search(run):
                return re.sub(r"^The\s+", "", named[0] if named else run)
        # (its connectors may be "and": "the Health and Safety Executive ... The HSE")
        for pattern in (_NAME, _BODY_NAME):
            for match in pattern.finditer(text):
                words = match.group().split()
                initials = "".join(w[0] for w in words if w.lower() not in _ACRONYM_SKIPS)
                if initials == speaker and len(words) > 1:
                    return re.sub(r"^The\s+", "", match.group())
        # Else a body named with the acronym first ("The FSB Public Relations Center said ... the
        # FSB said"): as any short form, below.
    folded = _THE_PREFIX.sub("", speaker.lower().replace("’", "'"))
    for name, required in _speaker_names().get(folded, ()):
        if required is None or required == role:
            return name
    # A state's body named by its capital ("Moscow's defence ministry") is the nation's, as the
    # capital alone is its government (data/speaker_names.csv). (The state's own possessive,
    # "Russia's defence ministry", is kept as written: its demonym shares its first letters.)
    placed = _PLACED_BODY.fullmatch(speaker) if "'s" in speaker or "’s" in speaker else None
    if placed is not None and _ORGANISATION.search(placed.group(2)):
        nation = [name.removesuffix(" government") for name, required in _speaker_names().get(placed.group(1).lower(), ())
                  if name.endswith(" government") and (required is None or required == role)]
        if nation and not nation[0].lower().startswith(placed.group(1).lower()[:4]):
            return f"{nation[0]} {placed.group(2)}"
    # (a role cue that is a body's word names no person: "Coordination Headquarters")
    if speaker[:1].isupper() and not any(not _ORGANISATION.fullmatch(speaker[start:end])
                                         for start, end, _ in _role_matches(speaker, ("role",))):
        # A short form of a body the article names in full ("Prairie Central" after "Prairie
        # Central Railway", "the Kansas Department of Health and Environment"): the fullest.
        # (a name without a body word before "of" is a person's, and what follows their
        # affiliation: "Kenji Mori of the Japan Aerospace Exploration Agency")
        person = not _ORGANISATION.search(speaker)
        longer = [text[at : rest.end()] for at in _occurrences(text, speaker)
                  if (rest := _BODY_REST.match(text, at + len(speaker))) is not None
                  and not (person and re.match(r"\s+of\s", rest.group()))]
        # (not a title after the body: "Pentagon Press Secretary")
        longer = [name for name in longer if (_ORGANISATION.search(name) or _BODY_SUFFIX.search(name))
                  and not any(end == len(name) for _, end, _ in _role_matches(name, ("role",)))]
        if longer:
            return max(longer, key=len)
    return speaker


# Capitalised words naming a body, with its connectors ("Agency for the Treatment of Prisoners").
_BODY_WORDS = r"([A-Z][\w’'-]*(?:\s+(?:(?:of|for|and|at|on)\s+(?:the\s+)?)?[A-Z][\w’'-]*)*)"
# The rest of a body's full name after its short form: more capitalised words, connectors between.
_BODY_REST = re.compile(r"(?:\s+(?:(?:of|for|and|at|on)\s+(?:the\s+)?)?[A-Z][\w’'-]*)+")
_BODY_NAME = re.compile(_BODY_WORDS)
# A last word that makes a name a body's though no organisation word ("Harlow Town FC", "Prairie
# Central Railway", "Nimbus Data Corp").
_BODY_SUFFIX = re.compile(r"\s(?:A?FC|Railways?|Airways|Airlines|Inc|Corp|Ltd|plc|LLC)\.?$")


@cache
def _cue_pattern() -> re.Pattern[str]:
    # ("a think tank" is a noun, not a verb of thinking)
    return re.compile(r"(?<![\w-])(?!think\s+tanks?\b)" + literal_alternation(load_speech_verbs()["form"]) + r"\b")


# Cue kinds matched case-sensitively (outlet and nationality names); the others ignore case.
_CASE_SENSITIVE_KINDS = ("outlet", "nationality", "place")


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


@lru_cache(maxsize=16384)  # a name, title or sentence is looked up again for each of its uses
def _role_matches(text: str, kinds: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """(start, end, role) of each role cue of ``kinds`` in ``text``, in text order."""
    pattern, roles = _role_cues(kinds)
    return tuple((m.start(), m.end(), roles[m.group().lower()]) for m in pattern.finditer(text))


def _gazetteer_aliases(gazetteer: pd.DataFrame) -> list[tuple[str, str]]:
    """(alias, group) pairs of a gazetteer, long (with ``alias``) or wide as ``actors.csv``."""
    # (columns as lists: iterating an Arrow-backed string column is slow)
    if "alias" in gazetteer.columns:
        names = gazetteer["actor_name"] if "actor_name" in gazetteer.columns else gazetteer["alias"]
        groups = gazetteer["group"].tolist()
        pairs = list(zip(gazetteer["alias"].tolist(), groups)) + list(zip(names.tolist(), groups))
    elif {"name", "aliases"} <= set(gazetteer.columns):
        pairs = [
            (alias, group)
            for name, group, aliases in column_rows(gazetteer, ["name", "group", "aliases"])
            for alias in [name, *str(aliases).split("|")]
        ]
    else:
        raise ValueError(
            "gazetteer needs columns group and alias (kursk_utils.actors.load_gazetteer()) "
            f"or group, name and aliases (actors.csv); it has {list(gazetteer.columns)}"
        )
    return [(str(alias).strip(), str(group)) for alias, group in pairs if str(alias).strip()]


@lru_cache(maxsize=8)
def _alias_pattern(aliases: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """All ``aliases`` ((alias, group) pairs) in one regex, longest first, and each alias's group.

    Built once per process and gazetteer: every :func:`extract_quotes` call (one per partition)
    asks for the same, and the alternation over ~1,000 aliases takes ~1 ms. The group map is shared:
    read it, never change it.
    """
    groups = dict(sorted(aliases))
    return re.compile(r"(?<![\w])" + literal_alternation(groups) + r"(?![\w])"), groups


@dataclass(frozen=True)
class _GazetteerMatcher:
    """All aliases of a gazetteer in one regex (longest first), and each alias's group."""

    pattern: re.Pattern[str] | None
    groups: dict[str, str]
    # (speaker, context, lead_in) -> role (:func:`_classify`), for one document at a time (in
    # which a name, a phrase and a sentence recur; extract_quotes empties it per document).
    roles: dict[tuple[str, str, str], str] = field(default_factory=dict, compare=False, repr=False)
    # speaker -> group (:meth:`group`), for the matcher's life (one extract_quotes call).
    speaker_groups: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, gazetteer: pd.DataFrame | None) -> _GazetteerMatcher:
        if gazetteer is None or len(gazetteer) == 0:
            return cls(None, {})
        return cls(*_alias_pattern(tuple(_gazetteer_aliases(gazetteer))))

    def group(self, speaker: str) -> str | None:
        """Group of the actor whose longest alias occurs in ``speaker`` as words, or None."""
        if self.pattern is None:
            return None
        if speaker not in self.speaker_groups:
            aliases = [m.group() for m in self.pattern.finditer(speaker)]
            self.speaker_groups[speaker] = self.groups[max(aliases, key=len)] if aliases else None
        return self.speaker_groups[speaker]

    def role(self, speaker: str) -> str | None:
        """Role of the actor whose longest alias occurs in ``speaker`` as words, or None."""
        group = self.group(speaker)
        return None if group is None else _group_roles().get(group, "other")


@cache
def _common_nouns() -> frozenset[str]:
    """Role cues written in lower case ("analysts", "officials"): common nouns, never a name."""
    table = load_speaker_roles()
    cues = table.loc[table["kind"] == "role", "cue"]
    return frozenset(cue for cue in cues if cue == cue.lower())


@cache
def _group_roles() -> dict[str, str]:
    """Actor gazetteer group -> speaker role, from the ``actor_group`` rows of the role cues."""
    table = load_speaker_roles()
    table = table[table["kind"] == "actor_group"]
    return dict(zip(table["cue"], table["role"]))


@cache
def _cue_sides() -> dict[tuple[str, str], str]:
    """(kind, lower-cased cue) -> side, for the role cues that have one."""
    table = load_speaker_roles().dropna(subset=["side"])
    rows = zip(table["cue"], table["kind"], table["side"])
    return {(kind, cue.lower()): side for cue, kind, side in rows}


# A nationality naming a place ("spent five months in Russia's Kursk region") tells where the
# speaker was, not whose side the speaker is on.
_PLACE_AFTER = re.compile(r"(?:['’]s)?\s+(?:[A-Z][\w-]*\s+)?(?:region|regions|territory|oblast|soil|border|borders|town|city|village|villages|land)\b")
_ACCORDING_TO_BEFORE = re.compile(r"\baccording to\s+$", re.IGNORECASE)


def _source_end(context: str, position: int, speaker: str, end: int) -> int:
    """Where what tells the speaker's side ends (at most ``end``): "According to <source>, <the
    claim>": the comma after the source, since the claim names the sides it is about."""
    if not _ACCORDING_TO_BEFORE.search(context, 0, position):
        return end
    comma = context.find(",", position + len(speaker), end)
    return end if comma < 0 else comma


# A nationality qualifies a soldier when a soldier's role word follows it within three words
# ("Russian contract soldiers", "Ukraine's 47th brigade"), not when it names what the soldier
# crossed into or was hit by ("crossed into Russia", "hit by Russian drones", "when Washington paused").
_QUALIFIED_GAP = re.compile(r"(?:['’]s)?(?:\s+[\w'’-]+){0,3}?\s+$")


def _qualifies_soldier(window: str, end: int) -> bool:
    """Whether a soldier's role word follows the nationality ending at ``end`` closely."""
    following = window[end:end + ROLE_WINDOW_CHARS]
    return any(role == "soldier" and _QUALIFIED_GAP.fullmatch(following[:start])
               for start, _, role in _role_matches(following, ("role",)))


def _side(
    speaker: str, role: str | None, contexts: Callable[[], list[str]], gazetteer: _GazetteerMatcher
) -> str | None:
    """Side of a speaker: its actor group in the gazetteer, else its official role, else an
    outlet named in it ("soldiers interviewed by the Kyiv Independent"), else the nationality cue
    nearest to a mention of it (within its clause, as for roles; for a soldier one qualifying his
    description), else (not for a soldier) the
    first nationality cue of a sentence naming it; None when nothing tells. ``contexts`` gives
    the sentences naming it, made only when the speaker alone does not tell."""
    sides = _cue_sides()
    group = gazetteer.group(speaker)
    if group is not None:
        return sides.get(("actor_group", group.lower()))
    if role in _ROLE_SIDES:
        return _ROLE_SIDES[role]
    outlets = _role_matches(speaker, ("outlet",))
    if outlets:
        return sides.get(("outlet", speaker[outlets[0][0] : outlets[0][1]].lower()))
    for context in contexts():
        position = context.find(speaker)
        if position < 0:
            continue
        left, right = _local_window(context, position, position + len(speaker))
        window = context[left:_source_end(context, position, speaker, right)]
        at = position - left
        nationalities = [m for m in _role_matches(window, ("nationality",)) if not _PLACE_AFTER.match(context, left + m[1])]
        if role == "soldier":  # only a nationality qualifying a soldier's description tells his army
            nationalities = [m for m in nationalities if _qualifies_soldier(window, m[1])]
        if nationalities:
            start, end, _ = min(
                nationalities, key=lambda m: max(at - m[1], m[0] - at - len(speaker), 0)
            )
            return sides.get(("nationality", window[start:end].lower()))
    if role == "soldier":
        # What a soldier talks about ("broken not by Russian glide bombs") is no sign of the army
        # the soldier serves in: only a nationality qualifying the soldier tells (above).
        return None
    for context in contexts():  # else the first nationality in a sentence naming the speaker
        position = context.find(speaker)
        if position >= 0:
            context = context[:_source_end(context, position, speaker, len(context))]
        nationalities = _role_matches(context, ("nationality",))
        if nationalities:
            start, end, _ = nationalities[0]
            return sides.get(("nationality", context[start:end].lower()))
    return None


# A predicate describing a speaker ("X is 24 and has been a combat medic", "X, 41, is an analyst").
_PREDICATE = re.compile(
    r"(?:,\s*\d+,)?[^.;\"“”]{0,30}?\b(?:is|was|has been|had been|works as|serves as)\s+"
    r"(?:an?|the)\s+[^.;,\"“”]{0,50}"
)


@cache
def _window_stop() -> re.Pattern[str]:
    """Where a speaker's clause ends after it: a stop, a quote mark, a verb. Compiled once:
    passed to ``re.search`` as a string it was recompiled whenever other patterns pushed it out
    of ``re``'s cache."""
    return re.compile(
        r"[.;\"“”]|\s(?:was|were|is|are|has|have|had|will|would)\s|" + _cue_pattern().pattern
    )


@lru_cache(maxsize=1024)  # the role and the side of a speaker ask for the same window
def _local_window(context: str, start: int, end: int) -> tuple[int, int]:
    """Span of ``context`` around a mention that can describe it: its clause, nearby, not the
    dateline ("KYIV (Reuters) - "). Memoised for one document at a time (extract_quotes empties
    the memo at each)."""
    lead = _SENTENCE_LEAD.match(context, 0, start)
    left = max(lead.end() if lead else 0, start - ROLE_WINDOW_CHARS)
    before = context[left:start]
    cut = max(before.rfind(". "), before.rfind(";"), before.rfind('"'))
    if cut >= 0:
        left += cut + 1
    right = min(len(context), end + ROLE_WINDOW_CHARS)
    after = context[end:right]
    stop = _window_stop().search(after)
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


# Where the head of a noun phrase ends: a prepositional phrase or a passive participle follows
# ("soldiers interviewed by the Kyiv Independent", "analysts at Bernstein", "a resident of Kursk").
_HEAD_END = re.compile(
    r"\s+(?:(?:at|of|from|in|with|for|near|on|who|which|whose|familiar)\b|[a-z]+ed\s+by\b)"
)


_SOURCE_HEAD = re.compile(r"\bsources?$", re.IGNORECASE)


@lru_cache(maxsize=8192)  # a speaker's phrase is asked for its head again and again
def _head(phrase: str) -> str:
    """The head of a noun phrase: the words before a prepositional phrase or a passive
    participle. A source's is the whole phrase: where it is tells who it is ("sources in the
    General Staff")."""
    end = _HEAD_END.search(phrase)
    if end is None or end.start() == 0 or _SOURCE_HEAD.search(phrase, 0, end.start()):
        return phrase
    return phrase[: end.start()]


_PLACE_BEFORE_TITLE = re.compile(r"(?:['’]s)?\s+(?:(?:regional|region|oblast|city|district)\s+)*")
_PLACE_AFTER_TITLE = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?")


def _classify(speaker: str, context: str, gazetteer: _GazetteerMatcher, lead_in: str = "") -> str:
    """:func:`classify_role`; ``lead_in`` is the text just before ``context`` (its paragraph's
    previous sentences), whose last nationality completes a title that has none in ``context``
    ("Ukraine's military has not confirmed the loss. [...] General Staff spokesman Dmytro
    Lykhovyi told national television"). Each question is answered once per matcher."""
    key = (speaker, context, lead_in)
    if key not in gazetteer.roles:
        gazetteer.roles[key] = _classified(speaker, context, gazetteer, lead_in)
    return gazetteer.roles[key]


def _classified(speaker: str, context: str, gazetteer: _GazetteerMatcher, lead_in: str) -> str:
    """:func:`_classify`, worked out."""
    # A noun phrase is what its head is: the words after it only tell where or whose.
    head = _head(speaker)
    # "Washington-based Institute ...": where a body is based is not who it is.
    from_gazetteer = gazetteer.role(re.sub(r"\b[\w.]+-based\b", "", head) if "-based" in head else head)
    if from_gazetteer is None and (head == speaker or not _role_matches(head, ("role", "outlet"))):
        from_gazetteer = gazetteer.role(speaker)
    if from_gazetteer is not None:
        return from_gazetteer
    position = context.find(speaker) if speaker else -1
    if position < 0:
        context, position = speaker, 0
    if any(sign.group(1) == speaker for sign in _CALL_SIGN.finditer(context)):
        return "soldier"  # only soldiers go by a call sign
    left, right = _local_window(context, position, position + len(speaker))
    predicate = _PREDICATE.match(context, position + len(speaker))
    if predicate and not _role_matches(context[left:right], ("role", "outlet")):
        # "Lastivka is 24 and has been a combat medic": the predicate describes the speaker.
        right = predicate.end()
    window = context[left:right]
    mention = (position - left, position - left + len(speaker))
    tail = mention[0] + len(head)

    def distance(match: tuple[int, int, str]) -> tuple[int, bool, int]:
        start, end, _ = match
        gap = max(mention[0] - end, start - mention[1], 0)
        return gap, start >= tail, -(end - start)

    # An outlet quoting or citing the speaker only relays ("RIA Novosti quoted ... X as saying").
    roles = [m for m in _role_matches(window, ("role", "outlet"))
             if not re.match(r"\s+(?:quoted|cited)\b", window[m[1]:])]
    nationalities = _role_matches(window, ("nationality",))
    if not roles:
        inside = [m for m in nationalities if distance(m)[0] == 0]
        return inside[0][2] if inside else "other"
    cue_start, cue_end, role = min(roles, key=distance)
    if role != "official":
        return role
    # A place right next to the title is whose official it is ("Kursk Governor", "Mayor of Kharkiv",
    # "Sumy regional governor").
    for place_start, place_end, place_role in _role_matches(window, ("place",)):
        if (_PLACE_BEFORE_TITLE.fullmatch(window[place_end:cue_start])
                or _PLACE_AFTER_TITLE.fullmatch(window[cue_end:place_start])):
            return place_role
    # The nationality qualifying a title is in the speaker's phrase ("the Defense Ministry in
    # Moscow"), else precedes it ("Russian President"), else follows it.
    inside = [m for m in nationalities if m[0] >= mention[0] and m[1] <= mention[1]]
    before = [m for m in nationalities if m[1] <= cue_start]
    after = [m for m in nationalities if m[0] >= cue_start]
    if inside:
        return min(inside, key=lambda m: abs(m[0] - cue_start))[2]
    if before:
        return max(before, key=lambda m: m[1])[2]
    if after:
        return min(after, key=lambda m: m[0])[2]
    anywhere = _role_matches(context, ("nationality",))
    if anywhere:
        return anywhere[0][2]
    earlier = _role_matches(lead_in, ("nationality",))
    return earlier[-1][2] if earlier else "other"


# Patterns of the per-word checks below, compiled once (they run for every candidate subject).
_POSSESSIVE_NAME = re.compile(r"['’]s$")
_LOWER_WORD = re.compile(r"[a-z]{3,}")
_RELATIVE_WORD = re.compile(r"\s+(?:who|which|that)\s+")
_ING_WORD = re.compile(r"[a-z]+ing")
_ED_ING_WORD = re.compile(r"[a-z]+(?:ed|ing)")
# A comma or a verb after a name opening a sentence: the name is its subject.
_VERB_AFTER_NAME = re.compile(r",|\s+(?:[a-z]*[a-rt-z]s|[a-z]+ed|is|was|has|had|says|said)\b")
# A plural noun capitalised at a clause's start ("Passengers at the station said").
_CAPITALISED_PLURAL = re.compile(r"[A-Z][a-z]+s")


def _name_in(text: str, offset: int) -> _Mention | None:
    """First capitalised name in ``text`` used as a noun: not a modifier ("Ukrainian forces"),
    nor the object of a preposition or verb ("in Kursk", "supporting Russia")."""
    for match in _NAME.finditer(text):
        tokens = match.group().split()
        # Determiners and other words capitalised at a sentence start are not names ("Another").
        while tokens and (_FUNCTION_WORD.fullmatch(tokens[0]) or _OPENING_ADVERB.fullmatch(tokens[0])):
            tokens.pop(0)
        if not tokens or _FIRST_PERSON_WORD.fullmatch(tokens[0]):
            continue  # "I", "I'll", "We": the first person is no name
        name = " ".join(tokens)
        start = match.start() + match.group().index(tokens[0])
        end = start + len(name)
        if _POSSESSIVE_NAME.search(name) or name.lower() in _common_nouns():
            continue  # a possessive, or a noun capitalised at a sentence start ("Analysts at")
        if (len(tokens) == 1 and _TITLE_OF.match(text, end)
                and any(later.start() > end for later in _NAME.finditer(text, end))):
            continue  # a title opening its own phrase before the name ("Head of the regional ... X")
        if (start == len(text) - len(text.lstrip()) and _CAPITALISED_PLURAL.fullmatch(name)
                and _PREPOSITION_NEXT.match(text, end)
                and not _role_matches(name, ("nationality", "outlet", "place"))):
            continue  # a plural noun opening the clause ("Passengers at the station said")
        preceding = text[:start].split()
        # (A name ending the subject right before its verb, after a lower-case noun, has it as
        # its title: "Met Office meteorologist Claire Dunmore said".)
        titled = (not text[end:].strip() and _LOWER_WORD.fullmatch(preceding[-1] if preceding else "")
                  and not _FUNCTION_WORD.fullmatch(preceding[-1]) and not _PAST_VERB.fullmatch(preceding[-1])
                  and not preceding[-1].endswith("ing"))
        if preceding and not titled and not _introduces_name(text[:start], preceding[-1]):
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
    """Whether ``word`` (ending ``before``) can precede a subject name: not a preposition (also
    across a determiner: "interviewed by The Guardian", "In the Kremlin") or another lower-case
    word that makes the name its object ("supporting Russia")."""
    if _PREPOSITION.fullmatch(word.lower()):
        return False
    if word.endswith(('"', "”")):
        return True  # right after a quotation: '"...," Trump posted
    if _DETERMINER.fullmatch(word):
        earlier = before.split()[-2:-1]
        return not (earlier and _PREPOSITION.fullmatch(earlier[0].lower()))
    if word[:1].isupper() or _FUNCTION_WORD.fullmatch(word) or word in ("like", "including"):
        return True
    return any(
        end == len(before.rstrip()) for _, end, _ in _role_matches(before.rstrip(), ("role",))
    )


def _title_end(name: str, end: int) -> int:
    """Where a title matched up to ``end`` ends: past a hyphenated second part
    ("Secretary-General", "Governor-General")."""
    hyphenated = re.match(r"-[\w’']+", name[end:])
    return end + hyphenated.end() if hyphenated else end


# A courtesy title or abbreviated rank before a name ("Mr Shorrock", "Dr Albert Miró", "Maj. Gen.
# Pat Ryder"): not part of the name, which then expands to the fullest form the article gives.
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?|(?:Gen|Lt|Col|Maj|Sgt|Capt|Adm|Gov|Sen|Rep|Cmdr|Brig)\.")


@lru_cache(maxsize=8192)  # names recur within and across documents
def _strip_titles(name: str) -> str:
    """``name`` without leading titles, courtesy titles and nationalities ("Ukrainian President
    Volodymyr Zelenskyy" -> "Volodymyr Zelenskyy", "Mr Shorrock" -> "Shorrock"); organisations
    ("Russian Defence Ministry") are kept."""
    # A person of a body ("Professor Kenji Mori of the Japan Aerospace Exploration Agency"): the
    # person, whose body is their affiliation, not their name.
    affiliated = re.match(r"(.+?)\s+of\s+(?:the\s+)?(.+)$", name)
    if (affiliated is not None and _ORGANISATION.search(affiliated.group(2))
            and not _ORGANISATION.search(affiliated.group(1))):
        person = _strip_titles(affiliated.group(1))
        if len(person.split()) >= 2 and not _role_matches(person, ("role", "nationality", "outlet", "place")):
            return person
    tokens = name.split()
    while len(tokens) > 1 and _HONORIFIC.fullmatch(tokens[0]) and tokens[1][:1].isupper():
        tokens.pop(0)
    name = " ".join(tokens)
    if any(end == len(name) for _, end, _ in _role_matches(name, ("role", "outlet"))):
        return name
    # A title naming its body before the name ("Official representative of the Russian Foreign
    # Ministry Maria Zakharova"): the name is what follows the body.
    bodies = list(_ORGANISATION.finditer(name))
    after = name[bodies[-1].end() :].split() if bodies else []
    if (2 <= len(after) <= 3 and all(t[:1].isupper() for t in after)
            and not _ORGANISATION.search(" ".join(after))
            and not _role_matches(" ".join(after), ("role", "nationality", "outlet", "place"))):
        return " ".join(after)
    popped_connector = False
    while len(tokens) > 1:
        rest = " ".join(tokens)
        # The longest title opening the rest, over whole words ("Prime Minister Donald Tusk").
        ends = [_title_end(rest, end) for start, end, _ in _role_matches(rest, ("role", "nationality", "place"))
                if start == 0 and rest[_title_end(rest, end) : _title_end(rest, end) + 1] == " "]
        if ends:
            tokens = rest[max(ends) + 1 :].split()
        elif _CONNECTOR.fullmatch(tokens[0]):
            tokens.pop(0)
            popped_connector = True
        else:
            break
    # A title after words qualifying it ("Foreign Minister Radoslaw Sikorski", "General Staff
    # spokesman Andrii Kovalov"): the name is what follows the last title.
    rest = " ".join(tokens)
    ends = [_title_end(rest, end) for _, end, _ in _role_matches(rest, ("role",))
            if rest[_title_end(rest, end) : _title_end(rest, end) + 1] == " "]
    if ends and all(t[:1].isupper() for t in rest[max(ends) + 1 :].split()):
        tokens = rest[max(ends) + 1 :].split()
    # "Ministry of Defence (of the Russian Federation)" is an organisation, not a titled person.
    if (popped_connector and len(tokens) < 2) or any(_CONNECTOR.fullmatch(t) for t in tokens):
        return name
    return " ".join(tokens)


# A joiner or an opening conjunction before a noun phrase, and a name ending the phrase (its
# title before it): :func:`_speaker_in` asks both of most phrases it accepts.
_OPENING_JOINER = re.compile(
    r"^(?:with|from|by|and|as|but|so|yet|then|after|before|since|when|while|until|once|"
    r"although|though|because)\s+", re.IGNORECASE)
_TRAILING_NAME = re.compile(r"\s((?:[A-Z][\w’'-]+\s+)+[A-Z][\w’'-]+)$")
# A phrase set off by commas between a subject and its verb ("in a conversation with RIA Novosti",
# "speaking on state television"): never the subject.
_INSERTED_PHRASE = re.compile(
    r"(?:in|on|at|with|during|after|before|from|via|through|under|speaking|writing|talking)\s")


def _speaker_in(
    segment: str, offset: int, adjacent_only: bool = False, plain_phrase: bool = False
) -> _Mention | None:
    """The speaker a clause segment ending just before a verb names, or None.

    With ``plain_phrase`` (the verb is a verb of saying), a short noun phrase right before the
    verb is a speaker even without a role cue ("forecasters warned", "the union said")."""
    sign = _name_sign(segment, named=True)
    if sign is not None:
        # "a drone operator with the call sign "Kit" told Reuters": the speaker is Kit.
        return _Mention(sign.group(1), offset + sign.start(1), offset + sign.end(1), "name")
    lead = _SENTENCE_LEAD.match(segment)
    if lead and lead.end():  # a dateline is not part of the subject
        segment, offset = segment[lead.end():], offset + lead.end()
    # (_QUOTED_AS ends with "as": searched only where it can match)
    quoted = _QUOTED_AS.search(segment) if segment.rstrip().endswith("as") else None
    if quoted is not None and quoted.group("object"):
        # "TASS quoted Governor Alexander Khinshtein as saying": the speaker is the object.
        return _speaker_in(quoted.group("object"), offset + quoted.start("object"), True, True)
    if quoted is not None:  # "the governor was quoted by RIA Novosti as saying"
        segment = segment[: quoted.start()]
    # An age right before the verb belongs to the subject ("Local historian Peter Grant, 68, said").
    segment = _TRAILING_AGE.sub("", segment)
    # (an age may come before an adverb too: "Myronovych, 38, also told")
    trimmed = _without_trailing_adverbs(segment)
    if _TRAILING_AGE.search(trimmed):
        segment = trimmed = _TRAILING_AGE.sub("", trimmed)
    chunks = []
    position = 0
    for piece in trimmed.split(","):
        chunks.append((position, piece))
        position += len(piece) + 1
    if adjacent_only or not segment.rstrip().endswith(","):
        # Earlier chunks are reachable only through an appositive closed by a comma
        # ("Serhiy, a Belarusian volunteer, said") or by its relative clause ("Dr Marcus Feld, an
        # astrobiologist who was not involved, said"), not across an introductory phrase.
        filled = [c for c in chunks if c[1].strip()]
        # (a description: "North Korea's Foreign Minister Choe Son Hui" is a name of its own)
        appositive = adjacent_only and len(filled) > 1 and re.match(
            r"(?:a|an|the|one|another)\s+[a-z0-9]", filled[-1][1].strip()) is not None
        chunks = filled[-2:] if appositive else filled[-1:]
    for index in range(len(chunks) - 1, -1, -1):
        chunk_start, chunk = chunks[index]
        stripped = chunk.strip()
        if not stripped:
            continue
        start = offset + chunk_start + chunk.index(stripped)
        if index and _APPOSITIVE.match(stripped):
            # "Lawmaker Maryana Bezuhla, a frequent critic of ..., wrote": the name it describes.
            earlier = [c for c in chunks[:index] if not re.fullmatch(r"\s*\d{1,3}\s*", c[1])]
            if earlier:
                named = _name_in(earlier[-1][1], offset + earlier[-1][0])
                # (an acronym in brackets may close the name: "Kenji Mori of the Japan Aerospace
                # Exploration Agency (JAXA), the mission's principal investigator, told")
                if named is not None and not re.sub(
                        r"^\s*\([^)]*\)", "", earlier[-1][1][named.end - offset - earlier[-1][0]:]).strip():
                    return named
                # "South Korea's spy agency, the National Intelligence Service, told": a body's
                # name after its description is the speaker.
                body = _APPOSED_BODY.fullmatch(stripped)
                if named is None and body is not None and _ORGANISATION.search(body.group(1)):
                    at = start + body.start(1)
                    return _Mention(body.group(1), at, at + len(body.group(1)), "name")
                # "The 52-year-old, a former teacher from Poltava, said": the description it
                # describes, which refers back to the person (see _resolve).
                described = earlier[-1][1].strip()
                if re.fullmatch(r"(?:The|the)\s+[\w’'-]+(?:\s+[\w’'-]+){0,2}", described):
                    at = offset + earlier[-1][0] + earlier[-1][1].index(described)
                    return _Mention(described, at, at + len(described), "phrase")
                # "Analysts at the Institute for the Study of War, a Washington-based think tank,
                # said": the noun phrase it describes, when that is a speaker's naming a body (a
                # description of a description is not more specific: "Another soldier, a medic").
                described_phrase = _speaker_in(earlier[-1][1], offset + earlier[-1][0], True, plain_phrase)
                if (described_phrase is not None and described_phrase.kind == "phrase"
                        and re.search(r"\s[A-Z]", described_phrase.text)):
                    return described_phrase
        if index and _INSERTED_PHRASE.match(stripped):
            continue  # "Vasily Dandykin, in a conversation with RIA Novosti, said": the name before
        contracted = _CONTRACTED_PRONOUN.fullmatch(stripped)
        if contracted is not None and chunk_start + len(chunk) == len(trimmed):
            stripped = contracted.group(1)  # "He's said", "She'd told": the pronoun
        if chunk_start + len(chunk) == len(trimmed) and _PRONOUN.fullmatch(stripped):
            return _Mention(stripped, start, start + len(stripped), "pronoun")
        last = stripped.rsplit(None, 1)[-1]
        if (chunk_start + len(chunk) == len(trimmed) and last in ("he", "she", "they", "I", "we")
                and stripped != last):
            # "the troops he described as": a relative clause's own subject, right before the verb.
            at = start + len(stripped) - len(last)
            return _Mention(last, at, at + len(last), "pronoun")
        name = _name_in(chunk, offset + chunk_start)
        if name is not None:
            return name
        stripped = _RELATIVE_WORD.split(stripped, 1)[0]
        # "There are soldiers who say": the subject is what there is.
        if stripped[:5] in ("There", "there", "Here ", "here "):
            stripped = _THERE_IS.sub("", stripped)
        words = stripped.split()
        if not words or words[0] in _speech_forms():
            continue  # "said in a video posted online": a verb of saying opens no subject
        # A participle after a described person modifies it ("A Ukrainian officer fighting near
        # the border"): the description is the words before it.
        participle = next((i for i, w in enumerate(words) if i >= 2 and _ING_WORD.fullmatch(w)), None)
        if participle is not None and _role_matches(" ".join(words[:participle]), ("role",)):
            words = words[:participle]
            stripped = " ".join(words)
        # A noun phrase: short, with a role cue, and no verb of its own ("officials pushed back").
        # (A passive participle modifying the head, "soldiers interviewed by ...", is none.)
        # (each test only where the ones before it hold: most segments are long clauses)
        if len(words) > 10 or any(_ED_ING_WORD.fullmatch(w) and words[i + 1 : i + 2] != ["by"]
                                  for i, w in enumerate(words)):
            continue
        # A speaker never spans a quotation mark (it would take in the end of another quote).
        if any(mark in stripped for mark in '"\u201c\u201d'):
            continue
        adjacent = chunk_start + len(chunk) == len(trimmed)
        of_a_group = len(words) == 1 and words[0].lower() in _OF_A_GROUP
        plain = (plain_phrase and adjacent and _PLAIN_SUBJECT.fullmatch(stripped) is not None
                 and (of_a_group or not _FUNCTION_WORD.fullmatch(words[-1]))
                 and not _PREPOSITION.fullmatch(words[-1])
                 and (len(words) > 1 or words[0].endswith("s") or of_a_group))
        if plain or _role_matches(stripped, ("role", "outlet")):
            # (a joiner or an opening conjunction is no part of it: "When the mayor said ...")
            phrase = _OPENING_JOINER.sub("", stripped)
            start = offset + chunk_start + chunk.index(phrase)
            named = _TRAILING_NAME.search(phrase)
            if (named and re.search(r"\b[a-z]", phrase[: named.start()])
                    and not _OBJECT_OF_PREPOSITION.search(phrase[: named.start()])
                    and not _role_matches(named.group(1), ("role", "outlet"))):
                # "Union leader Tom Moss", "Crane operator Tom Reyes": the name is the speaker.
                at = start + named.start(1)
                return _Mention(named.group(1), at, at + len(named.group(1)), "name")
            if named and _ORGANISATION.search(named.group(1)):
                # "Official representative of the Russian Foreign Ministry Maria Zakharova": the
                # name after the body.
                person = _strip_titles(named.group(1))
                if person != named.group(1) and len(person.split()) >= 2 and named.group(1).endswith(person):
                    at = start + named.end(1) - len(person)
                    return _Mention(person, at, at + len(person), "name")
            return _Mention(phrase, start, start + len(phrase), "phrase")
    return None


# A short noun phrase that can say something: an optional determiner or number, then up to four
# content words ("forecasters", "the Unite union", "two residents", "local authorities").
_PLAIN_SUBJECT = re.compile(
    r"(?:(?:the|a|an|one|another|two|three|four|five|several|some|many|most|other|local|its|their|his|her)\s+)?"
    # (nor an auxiliary verb, a plural noun's look-alike: "the old guard was finished, adding")
    r"(?!(?:it|this|that|these|those|there|which|who|what|was|is|has|does|were|are|had|did)\b)"
    # (an age is a noun too: "the 61-year-old")
    r"(?:[A-Za-z]|\d+-[a-z])[\w’'-]*(?:\s+[A-Za-z][\w’'-]*){0,3}"
    # and where or whose it is ("passengers at Buchanan bus station", "analysts at Bernstein")
    r"(?:\s+(?:at|of|from|in|near|for)\s+[\w’'-]+(?:\s+[\w’'-]+){0,3})?",
    re.IGNORECASE,
)
# Pronouns for members of a group just described ("Another said ...", "Several said ..."): a
# subject on their own.
_OF_A_GROUP = frozenset(("one", "another", "several", "some", "many", "most", "both", "few"))
# An indefinite description opening a sentence: its words up to a role cue name an unnamed person.
_DESCRIBED_SUBJECT = re.compile(r"(?:A|An|One|Another)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}")
# An appositive describing the name before it: "a frequent critic of ...", "the Kremlin spokesman".
_APPOSITIVE = re.compile(
    r"(?:a|an|the|one|another|now|formerly|his|her|their|its|of|from|(?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w’'-]*['’]s|"
    r"(?:best\s+|widely\s+)?(?:known|[a-z]+ed)\s+(?:for|as|by)|(?:[a-z]+|Head|Chief)\s+(?:of|at|for))\s"
)
# Who is quoted before "as saying": the object of "quoted"/"cited", else the passive subject.
_QUOTED_AS = re.compile(
    r"(?:\s+(?:was|were|is|are|has been|have been|had been|being)\s+(?:quoted|cited)"
    r"(?:\s+by\s+[^,]{1,60}?)?|\s+(?:quoted|cited)\s+(?P<object>.{1,80}?))\s+as\s*$"
)
# An age closing a subject ("Peter Grant, 68, said").
_TRAILING_AGE = re.compile(r",\s*\d{1,3}\s*,\s*$")
# A time adverbial between a subject and its verb ("the General Staff on Sunday acknowledged").
_TRAILING_TIME = re.compile(
    r"\s+(?:(?:(?:on|last|this|late|early)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)|(?:on|last|this|late|early)\s+(?:week|night|morning|evening))$"
)
# The last words _TRAILING_TIME can match.
_TIME_ENDINGS = ("day", "week", "night", "morning", "evening")


def _without_trailing_adverbs(segment: str) -> str:
    """``segment`` right-stripped, without a time adverbial (:data:`_TRAILING_TIME`), then the
    adverbs and auxiliaries (:data:`_FILLER`) closing it. Both patterns end at the end of the
    text: each is run only when the last word is one it can end with (a search tries every
    position of the clause)."""
    trimmed = segment.rstrip()
    if trimmed.endswith(_TIME_ENDINGS):
        trimmed = _TRAILING_TIME.sub("", trimmed)
    # A _FILLER match ends with a whole word after white space, the last one, then white space.
    stripped = trimmed.rstrip()
    last = stripped.rsplit(None, 1)[-1] if stripped else ""
    if len(last) < len(stripped) and _FILLER_WORD.fullmatch(last):
        trimmed = _FILLER.sub("", trimmed)
    return trimmed


# "... with the call sign "Sneg"": the call sign names the speaker.
_CALL_SIGN = re.compile(r"call[ -]sign,?\s+(?:as\s+|is\s+)?[\"“«]?([A-Z][\w’'-]+)")
# A first name given instead of the full name names the speaker as a call sign does ("One drone
# operator, who gave only his first name, Taras, told her"). (Two patterns, each searched fast
# from its literal start.)
# A full name (two or more capitalised words) in commas right after a word ('Kit, Dmytro Shevchuk,').
_APPOSED_FULL_NAME = re.compile(r"[\"”»]?,\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)+),")
_FIRST_NAME_GIVEN = re.compile(r"first[ -]name,?\s+(?:as\s+|is\s+)?[\"“«]?([A-Z][\w’'-]+)")

# A body's name in apposition: "the", then capitalised words and their connectors.
_APPOSED_BODY = re.compile(r"the\s+((?:[A-Z][\w’'-]*\s+)(?:(?:of|for|the|and)\s+|[A-Z][\w’'-]*\s+)*[A-Z][\w’'-]*)")
# A pen name in quotation marks ("the blogger who writes as "Rybar"", "known as "Lis""): it names
# the speaker as a call sign does.
_PEN_NAME_VERBS = ("writes", "posts", "goes", "known")
_PEN_NAME_VERB = re.compile("|".join(_PEN_NAME_VERBS))  # (searched by first letter: its prefilter)
_PEN_NAME = re.compile(rf"\b(?:{'|'.join(_PEN_NAME_VERBS)})\s+(?:as|by|under)\s+(?:the\s+(?:name|pseudonym|handle)\s+)?"
                       r"[\"“«]([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})[\"”»]")


# A described person's name ("A retired engineer named Viktor said"): the name is the speaker.
_NAMED_PERSON = re.compile(r"\b(?:[Aa]n?|[Oo]ne)\s+(?:[\w-]+\s+){0,3}?named\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)")


def _name_sign(segment: str, after: int = 0, named: bool = False) -> re.Match[str] | None:
    """The first of a call sign, a first name given (:data:`_FIRST_NAME_GIVEN`), with ``named`` a
    described person's name (:data:`_NAMED_PERSON`), and a pen name in ``segment`` that ends after
    ``after``: each names the speaker instead of the words around it (group 1). Each is searched
    only where its literal words are (this runs for every verb candidate)."""
    if "call" in segment and (found := _ending_after(_CALL_SIGN, segment, after)):
        return found
    if "first" in segment and (found := _ending_after(_FIRST_NAME_GIVEN, segment, after)):
        return found
    if named and "named " in segment and (found := _ending_after(_NAMED_PERSON, segment, after)):
        return found
    # (a segment holding a quote always has a quote mark: its verbs are looked for too, as a
    # search of the pattern, opening with \b, tries every position)
    if ('"' in segment or "“" in segment or "«" in segment) and _PEN_NAME_VERB.search(segment) and (
            found := _ending_after(_PEN_NAME, segment, after)):
        return found
    return None


def _ending_after(pattern: re.Pattern[str], segment: str, after: int) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``segment`` ending after ``after``."""
    return next((m for m in pattern.finditer(segment) if m.end() > after), None)

# The object of a preposition closing a clause ("opposition from Estonia's government").
_RELATIVE_ANTECEDENT = re.compile(rf"\s(?:{_PREPOSITIONS}|by|with)\s+([^,;:]{{1,60}})$")
# A relative clause after a subject ("BBC Verify, which analysed ..., said").
_RELATIVE = re.compile(r"(?:,\s+|\s+)(?:who|which|whose)\b")


@cache
def _speech_forms() -> frozenset[str]:
    table = load_speech_verbs()
    return frozenset(table.loc[table["kind"] == "speech", "form"])


# A verb of taking one's turn before an infinitive of saying ("interrupted to say", "went on to add").
_TURN_TAKING = re.compile(
    r"\b(?:interrupted|intervened|went on|paused|stopped|hastened|stepped in|rose|stood up|"
    r"returned|came back|wrote back|took the floor)\s+to\s+$"
)
_NOT_A_VERB_BEFORE = re.compile(
    rf"\b(?:the|a|an|this|that|these|those|its|their|his|her|our|my|your|such|been|being|{_PREPOSITIONS})\s+$",
    re.IGNORECASE,
)
# No word of _NOT_A_VERB_BEFORE is longer (an upper bound: every run of letters in its pattern).
_NOT_A_VERB_WORD_CHARS = max(len(word) for word in re.findall(r"[a-z]+", _NOT_A_VERB_BEFORE.pattern))


def _ends_before_noun(segment: str) -> bool:
    """Whether ``_NOT_A_VERB_BEFORE`` matches ``segment`` (a determiner or preposition, then white
    space, ends it), searched only from where a match can start: its word ends where the trailing
    white space begins (a search from the start would try every position of the clause)."""
    tail = segment.rstrip()
    # (the word ends where the white space begins: a letter, in any case)
    if not segment[-1:].isspace() or not tail[-1:].isalpha():
        return False
    start = max(0, len(tail) - _NOT_A_VERB_WORD_CHARS)
    return _NOT_A_VERB_BEFORE.search(segment, start) is not None


# A comma and "and"/"but" ending the words before a verb: a second predicate.
_SECOND_VERB_JOINER = re.compile(r",[\"”’]?\s+(?:and|but)(?:\s+(?:then|later|also))?\s*$")
_THERE_IS = re.compile(r"^(?:[Tt]here|[Hh]ere)\s+(?:are|is|were|was)\s+(?=\w)")
_OBJECT_DETERMINERS = frozenset(("the", "a", "an", "its", "their", "these", "those"))


def _after_participles_object(segment: str) -> bool:
    """Whether ``segment`` ends in a participle's object, the word after it being a noun too
    ("calling the Russian reports", "denying the latest claims"): a participle, a determiner and
    at most two more words (the last few words only: this runs for every verb candidate)."""
    tail = segment[-80:]
    if "ing " not in tail:
        return False
    words = tail.split()[-5:]
    return any(words[i].endswith("ing") and words[i].isalpha() and words[i].islower()
               and words[i + 1] in _OBJECT_DETERMINERS and len(words) - i - 2 <= 2
               for i in range(max(0, len(words) - 4), len(words) - 1))


# (a pure function of its arguments, asked twice for many verbs of a document: the clause before
# a direct quote is searched from its sentence's start, as reported speech searches it again; on
# 1,000 generated articles 700 of 9,014 calls. extract_quotes empties the memo per document, so no
# text of one document serves another. Called with positional arguments only: the memo keys
# keyword arguments apart.)
@lru_cache(maxsize=4096)
def _subject_of(text: str, clause_start: int, cue_start: int, participle: bool) -> _Mention | None:
    """Subject of the verb at ``cue_start``, looked for back to ``clause_start``."""
    lead = _SENTENCE_LEAD.match(text, clause_start, cue_start)
    if lead is not None:  # a dateline is not the subject ("SAN JOSE, Calif. (Reuters) - X said")
        clause_start = lead.end()
    segment = text[clause_start:cue_start]
    tail = segment.rstrip()  # _TURN_TAKING and _QUOTED_AS end with "to" or "as": most segments do not
    turn = _TURN_TAKING.search(segment) if tail.endswith("to") else None
    if turn is not None:  # "Okafor interrupted to say ...": the subject of the turn-taking verb
        return _subject_of(text, clause_start, clause_start + turn.start(), False)
    if _ends_before_noun(segment) or _after_participles_object(segment):
        # "the perceived value", "on claims that", "calling the Russian reports": not a verb of speech
        return None
    # Its "as" opens no clause ("quoted X as saying").
    quoted = _QUOTED_AS.search(segment) if tail.endswith("as") else None
    breaks = list(_CLAUSE_BREAK.finditer(segment, 0, quoted.start() if quoted else len(segment)))
    # A short note in brackets inside the subject opens no clause ("Kenji Mori of the Japan
    # Aerospace Exploration Agency (JAXA), the mission's principal investigator, told", "Military
    # intelligence (HUR) spokesman Andrii Yusov said"); one ending it is the subject's short name
    # ("The Australian Institute of Marine Science (AIMS) said").
    breaks = [b for b in breaks if not (b.group().startswith("(") and re.match(
        r"[^()]{1,40}\)[\s,]*\w", segment[b.end():]))]
    begin = breaks[-1].end() if breaks else 0
    subject_segment = segment[begin:]
    if participle:
        # "with spokesman Dmitry Peskov stating ..." names its own subject; otherwise the
        # participle belongs to the main clause's subject ("X acknowledged ..., stating").
        if subject_segment.strip() and not subject_segment.rstrip().endswith(","):
            # "My deputy kept saying", "Several of them are describing": the subject of the verb
            # or auxiliary the participle goes on from.
            kept = re.search(r"\s(\S+)\s*$", subject_segment)
            if kept is not None and _PAST_VERB.fullmatch(kept.group(1)):
                own = _speaker_in(subject_segment[: kept.start()], clause_start + begin, True, True)
                if own is not None:
                    return own
            if kept is not None and kept.group(1) in ("is", "are", "was", "were", "been"):
                # (the subject right before the auxiliary, not an introductory phrase: "Seven
                # months later, with the town lost, the same voices are saying")
                own = _speaker_in(subject_segment[: kept.start()], clause_start + begin, plain_phrase=True)
                if own is not None:
                    return own
            own = _speaker_in(subject_segment, clause_start + begin, adjacent_only=True)
            if own is not None:
                return own
        earlier = [m for m in _cue_pattern().finditer(text, clause_start, cue_start)]
        for match in reversed(earlier):
            if not match.group().endswith("ing"):
                return _subject_of(text, clause_start, match.start(), False)
        # Or a main clause with another verb ("Michael Kofman made the same point, arguing that",
        # "Ukraine's General Staff issued a response, saying"): that clause's subject.
        verb = _PAST_VERB.search(text, clause_start, cue_start)
        if verb is not None and text[:cue_start].rstrip().endswith(","):
            return _speaker_in(text[clause_start : verb.start()], clause_start, adjacent_only=True,
                               plain_phrase=True)
        return None
    verb = _cue_pattern().match(text, cue_start)
    plain = verb is not None and verb.group().lower() in _speech_forms()
    # (the sign may open a clause of its own: "who gave his call sign as "Bear", told me")
    sign = _name_sign(segment, after=begin)
    # (searched only where its words are: the pattern opens with white space, tried everywhere)
    relatives = list(_RELATIVE.finditer(segment)) if "who" in segment or "which" in segment else []
    if sign is not None:
        # "a soldier, who gave only his call sign "Sneg", told AFP": the speaker is Sneg; but a
        # named subject keeps its name ("Hrytsenko, who goes by the call sign "Lis", said").
        if relatives and relatives[-1].start() < sign.start():
            head = segment[: relatives[-1].start()]
            clause_breaks = list(_CLAUSE_BREAK.finditer(head))
            head_begin = clause_breaks[-1].end() if clause_breaks else 0
            chunk = head[head_begin:].rsplit(",", 1)[-1].strip()
            named = _speaker_in(head[head_begin:], clause_start + head_begin, True)
            # (the chunk is the name, or the name after capitalised titles: "Major Andriy Hrytsenko")
            if (named is not None and named.kind == "name" and _is_person(named) and not _is_bare_title(named)
                    and re.fullmatch(r"(?:[A-Z][\w’'.-]*\s+)*" + re.escape(named.text), chunk)):
                return named
        at = clause_start + sign.start(1)
        return _Mention(sign.group(1), at, at + len(sign.group(1)), "name")
    # "which he finds", "in which Putin said": a relative clause with its own subject owns the verb.
    own_subject = relatives and re.match(
        r"\s+(?:(?:he|she|they|it|we|I|you|the|a|an|his|her|their|its)\b|[A-Z])", segment[relatives[-1].end():]
    )
    after_break = not breaks or relatives and relatives[-1].start() <= breaks[-1].start() + 2
    if relatives and not own_subject and after_break:
        # The subject precedes its relative clause ("BBC Verify, which analysed ..., said").
        # (an age closes the subject before its relative clause: "Danny Pryce, 44, who has ...")
        head = re.sub(r",\s*\d{1,3}\s*$", "", segment[: relatives[-1].start()])
        clause_breaks = list(_CLAUSE_BREAK.finditer(head))
        head_begin = clause_breaks[-1].end() if clause_breaks else 0
        own = _speaker_in(head[head_begin:], clause_start + head_begin, True, plain)
        if own is None and relatives[-1].end() == len(segment.rstrip()):
            # "faced opposition from Estonia's government, which argued": the relative's antecedent
            # is the object right before it.
            object_ = _RELATIVE_ANTECEDENT.search(head, head_begin)
            if object_ is not None:
                own = _speaker_in(object_.group(1), clause_start + object_.start(1), True, True)
        if own is not None:
            return own
    # A verb after a content clause, a comma and "and"/"but" ("X added that the amounts were
    # small, and said ..."): a second predicate of the verb of saying the clause depends on, so
    # its subject. (Without the comma the clause may run on: 'wrote that A "..." and warned its
    # readers' is left to the loop below.)
    content = breaks[-1] if breaks and breaks[-1].group().startswith("that") else None
    if content is not None and _SECOND_VERB_JOINER.search(subject_segment):
        said = list(_cue_pattern().finditer(text, clause_start, clause_start + content.start()))
        if said and not _LEADING_JOINERS.sub("", text[said[-1].end() : clause_start + content.start()]).strip():
            return _subject_of(text, clause_start, said[-1].start(), False)
    mention = _speaker_in(subject_segment, clause_start + begin, plain_phrase=plain)
    if (mention is None and subject_segment.rstrip().endswith(("and", "then", "later", "also", "finally"))
            and re.search(r"\band(?:\s+(?:then|later|also|finally))?\s*$", subject_segment)):
        # A second predicate shares the first one's subject ("Zelensky thanked Macron and said"):
        # the nearest one's ("When I asked, he looked at the window and then said"), but not one
        # inside what a verb of saying reports ("X told jurors the trial was expected to last six
        # weeks and warned them"): that verb's.
        verbs = list(_PAST_VERB.finditer(subject_segment))
        said = _cue_pattern().search(subject_segment)
        if said is not None and "," not in subject_segment[said.end():]:  # (not "When I asked, he")
            verbs = [verb for verb in verbs if verb.start() < said.start()] + [said]
        for verb in reversed(verbs):
            mention = _speaker_in(subject_segment[: verb.start()], clause_start + begin,
                                  plain_phrase=True)
            if mention is not None:
                break
    elif mention is None and not subject_segment.strip() and re.search(r",?\s+but\s+$", segment):
        # So does one after "but" ("The general admitted that ..., but said ...", "He said both
        # sides had agreed but warned ...": the first verb's, a verb of saying in any tense too).
        verbs = sorted([*_PAST_VERB.finditer(segment), *_cue_pattern().finditer(segment)],
                       key=lambda verb: verb.start())
        for verb in verbs:
            mention = _speaker_in(segment[: verb.start()], clause_start, plain_phrase=True)
            if mention is not None:
                break
    return mention


# The rest of a parenthetical attribution after its subject (", he added, ...").
_PARENTHETICAL = re.compile(r"\s+(?:[a-z]+ly\s+)?[a-z]+,")
# A verb in the past tense: regular, or a common irregular one.
_PAST_VERB = re.compile(
    r"(?<![\w’'-])(?:[a-z]+ed|met|spoke|held|took|gave|made|went|came|sent|led|left|won|lost|saw|"
    r"sat|stood|began|set|put|hit|ran|fought|flew|drove|chose|broke|became|found|got|knew|paid|"
    r"shook|sold|spent|threw|understood|wore|rose|fell|sought|brought|kept|struck)(?![\w’'-])"
)


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


# What opens the clause after a quote before its words: spaces, commas and closing quote marks.
_AFTER_QUOTE_LEAD = re.compile(r"[\s,\"”'’]*")


def _attribution_after(text: str, window_start: int, window_end: int) -> _Attribution | None:
    """Attribution in the clause following a quote (``," he said``, ``," said X``)."""
    begin = _AFTER_QUOTE_LEAD.match(text, window_start, window_end).end()
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
        # "said union leader Maria Lopez", "said crane operator Tom Reyes": lower-case words
        # describing the person, then the name.
        described = re.match(r"(?:[a-z][\w-]*\s+){1,4}(" + _NAME.pattern + r")$", head.group(1))
        if described and not _FUNCTION_WORD.fullmatch(head.group(1).split()[0]):
            at = offset + described.start(1)
            mention = _Mention(described.group(1), at, at + len(described.group(1)), "name")
        else:
            mention = _speaker_in(head.group(1), offset, plain_phrase=True)
        if mention is not None and mention.kind == "phrase":
            # "said the union's president, Denise Carrow, standing ...", "said one of them, Brenda
            # MacLeod, 58": the name in apposition to the description is the speaker.
            mention = _apposed_name(text, cue.end() + head.end(1), window_end) or mention
        return (
            None if mention is None else _Attribution(cue.group(), cue.start(), cue.end(), mention)
        )
    if text[begin : cue.start()].rstrip().endswith((".", "!", "?")) or _SUBORDINATE.search(
            text, begin, cue.start()):
        return None  # the verb belongs to another clause ('a "difficult" situation, as X said')
    mention = _speaker_in(
        text[begin : cue.start()], begin, plain_phrase=cue.group().lower() in _speech_forms()
    )
    if mention is not None and mention.kind == "phrase" and _PREPOSITION.fullmatch(mention.text.split()[0]):
        # The quote's own sentence going on ('he was "grateful" to the soldiers, adding that'):
        # a prepositional phrase names no speaker.
        return None
    return None if mention is None else _Attribution(cue.group(), cue.start(), cue.end(), mention)


# A name in apposition after a description, closed by a comma, an age or the sentence's end
# (", Denise Carrow, standing", ", Brenda MacLeod, 58,", ", Oleh Hryhorov.").
_APPOSED_NAME = re.compile(r",\s+(" + _NAME.pattern + r")(?=,|\.(?:\s|$)|$)")


def _apposed_name(text: str, at: int, limit: int) -> _Mention | None:
    """The person named in apposition right at ``at`` (a comma, then the name), else None."""
    named = _APPOSED_NAME.match(text, at, limit)
    if named is None:
        return None
    name = named.group(1)
    if name.endswith(".") and len(name.rsplit(None, 1)[-1]) > 2:
        name = name[:-1]  # the sentence's full stop (", Samir Haddad."), not an initial's ("J.")
    if not _is_person(_Mention(name, 0, 0, "name")) or _role_matches(name, ("place",)):
        return None
    return _Mention(name, named.start(1), named.start(1) + len(name), "name")


# A comma and a conjunction opening a clause of its own.
_SUBORDINATE = re.compile(r",\s+(?:as|while|whereas|although|though|but|because|and|after|before|when)\s")


def _according_to(text: str, match: re.Match[str], limit: int) -> _Attribution | None:
    pronoun = _SOURCE_PRONOUN.match(text, match.end(), limit)
    if pronoun is not None:  # "According to him, ...", "In her words, ...": resolved as "he"/"she"
        group = 1 if pronoun.group(1) else 2
        mention = _Mention(pronoun.group(group), pronoun.start(group), pronoun.end(group), "pronoun")
        return _Attribution(text[match.start() : pronoun.end()], match.start(), pronoun.end(), mention)
    if not match.group().lower().startswith("according"):
        return None
    phrase = re.match(r"[^,.;:\"”]+", text[match.end() : limit])
    if phrase is None:
        return None
    mention = _speaker_in(phrase.group(), match.end())
    # "According to the regional governor, Oleh Hryhorov, ...": the name in apposition.
    mention = _apposed_name(text, match.end() + phrase.end(), limit) or mention
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
    opener: str | None = None
    open_at = 0
    # (one scan of the whole text for the quote marks and line ends: the other characters never
    # change state, and a line end closes the quote still open in its paragraph)
    for mark in _QUOTE_MARK_OR_LINE_END.finditer(text):
        char, index = mark.group(), mark.start()
        if char == "\n":
            if opener is not None:
                spans.append((open_at + 1, index))
                opener = None
        elif opener is None:
            if char in _OPENERS:
                opener, open_at = char, index
        elif char in _OPENERS[opener]:
            spans.append((open_at + 1, index))
            opener = None
    if opener is not None:
        spans.append((open_at + 1, len(text)))
    trimmed = []
    for start, end in spans:
        content = text[start:end]
        # (trailing white space, commas, semicolons and colons, as ``[\s,;:]+$`` would take them:
        # ``\s`` matches exactly the characters ``str.isspace`` holds)
        stripped = content.rstrip()
        while stripped.endswith((",", ";", ":")):
            stripped = stripped[:-1].rstrip()
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
    unknown = set(sentences["doc_id"].unique()) - set(documents["doc_id"])  # (unique: fast)
    if unknown:
        raise ValueError(f"sentences refer to doc_id(s) not in documents: {sorted(unknown)[:5]}")


class _Document:
    """One document's text and its sentence spans, with lookups from offsets to sentences."""

    def __init__(self, text: str, sentence_spans: list[tuple[int, int, int]]):
        self.text = text
        self.sentence_spans = sentence_spans  # (start, end, sentence_id), sorted by start
        self.starts = [s for s, _, _ in sentence_spans]
        self._leads: dict[tuple[int, int], re.Match[str] | None] = {}

    def sentence_lead(self, start: int, end: int) -> re.Match[str] | None:
        """``_SENTENCE_LEAD.match(text, start, end)`` for a sentence's span, matched once (several
        passes over the sentences ask for it)."""
        if (start, end) not in self._leads:
            self._leads[start, end] = _SENTENCE_LEAD.match(self.text, start, end)
        return self._leads[start, end]

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


def _is_quoted_name(text: str) -> bool:
    """A quoted name, call sign or title ("Kit", "Friends of Hollins Road"), not speech: at most
    :data:`MAX_QUOTED_NAME_WORDS` words, each capitalised but for connectors, no final stop."""
    # (one word more than a name may have tells a quote is none: a long one is not read through)
    words = [word.group() for word in islice(_WORD.finditer(text), MAX_QUOTED_NAME_WORDS + 1)]
    return (
        0 < len(words) <= MAX_QUOTED_NAME_WORDS
        and words[0][:1].isupper()
        and all(w[:1].isupper() or _CONNECTOR.fullmatch(w) for w in words)
        and not _SENTENCE_END.search(text)
    )


# A headline giving a speaker and a topic before a quote: 'Syrskyi on the Kursk withdrawal: "'.
_HEADLINE_SPEAKER = re.compile(
    r"([A-Z][\w’'-]*(?:[ ][A-Z][\w’'-]*){0,2})[ ](?:on|about|over)[ ][^:\n\"“”]{1,80}:\s*"
)


# An outlet's label opening the line of a quote ('Quote from Syrskyi: "...', 'Quote: "...'): the
# person it names, else the one just reported (not a speaker named "Quote").
_QUOTE_LABEL = re.compile(r"Quote(?:[ ](?:from|by)[ ]([A-Z][\w’'-]*(?:[ ][A-Z][\w’'-]*){0,2}))?:[ ]*")


# A headline opening with its speaker's name and a colon ('Alaudinov: Kursk operation "has ended"').
_HEADLINE_LABEL = re.compile(r"([A-Z][\w’'-]*(?:[ ][A-Z][\w’'-]*){0,2}):[ ][^\n]*")
# A name and a colon right before a quote, opening its line or an item of a list ('- Zelensky: "').
_LISTED_SPEAKER = re.compile(r"(?:^|(?<=[-–—|;•][ ]))([A-Z][\w’'-]*(?:[ ][A-Z][\w’'-]*){0,2}):[ ]*$",
                             re.MULTILINE)


# A headline quote's speaker described after it ('"...": a drone commander on the last weeks').
_HEADLINE_DESCRIPTION = re.compile(
    # (a nationality may open it: "a Ukrainian battalion commander on Kursk")
    r"[\"”»]?:[ ]+((?:a|an)[ ][A-Za-z][\w-]*(?:[ ][a-z][\w-]*){0,3}?)(?=[ ]+(?:on|in|about|at|from|of|who)\b|[ ]*$)",
    re.MULTILINE,
)


# "as X put it": X said the quote it stands by.
_AS_PUT_IT = re.compile(r"\b[Aa]s\s+([^,;:\"“”]{1,60}?)\s+(put|phrased|described|framed)\s+it\b")
# A participle of speech closing the words before a quote (", adding:", ", saying").
_TRAILING_PARTICIPLE = re.compile(r",\s+[a-z]+ing[,:]?\s*$")


def _direct_quotes(doc: _Document) -> list[_Quote]:
    text = doc.text
    spans = [(s, e) for s, e in find_quote_spans(text) if not _is_quoted_name(text[s:e])]
    quotes: list[_Quote] = []
    previous_end = 0
    headline_end = text.find("\n") % (len(text) + 1)  # (the whole text when it is one line)
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
        close_mark = end
        while close_mark < len(text) and text[close_mark] in ",;: ":
            close_mark += 1
        _, sentence_end = doc.sentence_at(max(end - 1, start))
        following = doc.sentence_index(sentence_end + 1) if sentence_end < len(text) else None
        if following is not None and not text[close_mark + 1 : sentence_end].strip(" \"”»"):
            # A segmenter's break after '?"' cut off the attribution ('"... fixed?" he asked.',
            # '"... fixed?" Ms Okoro asked.': a short sentence of a name and a verb of saying).
            next_start, next_end = doc.sentence_spans[following][:2]
            cue = _cue_pattern().search(text, next_start, next_end)
            if text[next_start:next_end][:1].islower() or (
                    cue is not None and text[start:end].rstrip().endswith(("?", "!"))
                    and len(text[next_start:next_end].split()) <= 6
                    and re.fullmatch(r"(?:[A-Z][\w.’'-]*\s+){1,3}", text[next_start : cue.start()])):
                sentence_end = next_end
        next_open = spans[index + 1][0] - 1 if index + 1 < len(spans) else len(text)
        after = _attribution_after(
            text, close_mark + 1, max(close_mark + 1, min(sentence_end, next_open))
        )
        before: _Attribution | None = None
        if after is None or after.mention.kind == "pronoun":
            # (the clause before is read only where the one after names no one: a name there is
            # the attribution whatever the clause before holds)
            before = _attribution_before(text, window_start, max(window_start, open_mark))
            if before is None and window_start > sentence_start and _TRAILING_PARTICIPLE.search(
                    text, window_start, max(window_start, open_mark)):
                # '... wrote that the incursion showed Russia's "red lines" were a myth, adding: "...':
                # the participle's subject precedes the earlier quote of the sentence.
                before = _attribution_before(text, sentence_start, open_mark)
            if before is None and text[window_start:open_mark].rstrip().endswith(":"):
                # A clause ending in a colon introduces the quote ('A source in the Office of the
                # President put it more bluntly: "..."'): its subject, before its verb, speaks.
                verb = _PAST_VERB.search(text, window_start, open_mark)
                subject = verb and _speaker_in(text[window_start : verb.start()], window_start,
                                               adjacent_only=True)
                if subject:
                    before = _Attribution(verb.group(), verb.start(), verb.end(), subject)
            if before is None:
                # A headline's speaker: 'Syrskyi on the Kursk withdrawal: "..."', 'Alaudinov: Kursk
                # operation "has ended ..."'; a name and a colon right before the quote in a list of
                # key events ('- Zelensky: "..."').
                line_start = text.rfind("\n", 0, max(open_mark, 0)) + 1
                label = _QUOTE_LABEL.fullmatch(text, line_start, max(open_mark, line_start))
                headline = None if label else _HEADLINE_SPEAKER.fullmatch(text, line_start, max(open_mark, line_start))
                if label is not None and label.group(1):
                    mention = _Mention(label.group(1), label.start(1), label.end(1), "name")
                    before = _Attribution(":", label.end(1), label.end(1) + 1, mention)
                if headline is None and line_start == 0 and label is None:
                    headline = _HEADLINE_LABEL.match(text, 0, max(open_mark, 0))
                if (headline is None and label is None
                        and text[line_start : max(open_mark, line_start)].rstrip().endswith(":")):
                    headline = _LISTED_SPEAKER.search(text, line_start, max(open_mark, line_start))
                if (headline is not None and not _FUNCTION_WORD.fullmatch(headline.group(1).split()[0])
                        and not _role_matches(headline.group(1), ("nationality", "place", "outlet"))):
                    mention = _Mention(headline.group(1), headline.start(1), headline.end(1), "name")
                    before = _Attribution(":", headline.end(1), headline.end(1) + 1, mention)
        if after is None and before is None and start < headline_end:
            # A headline's quote and its speaker's description ('"We left at night": a drone
            # commander on the last weeks in Kursk'): the description refers to the story's person.
            described = _HEADLINE_DESCRIPTION.match(text, end)
            if described is not None:
                mention = _Mention(described.group(1), described.start(1), described.end(1), "phrase")
                after = _Attribution(":", described.start(1) - 2, described.start(1) - 1, mention)
        if after is None and before is None:
            # "the Kremlin's line, as Peskov phrased it, that "..."", '"...", as she put it.'
            sentence_start, sentence_end = doc.sentence_at(start)
            phrased = (_AS_PUT_IT.search(text, window_start, max(window_start, open_mark))
                       or _AS_PUT_IT.search(text, end, max(end, min(sentence_end, next_open))))
            mention = phrased and _speaker_in(phrased.group(1), phrased.start(1), adjacent_only=True,
                                              plain_phrase=True)
            if mention:
                after = _Attribution(phrased.group(2), phrased.start(2), phrased.end(2), mention)
        candidates = [a for a in (after, before) if a is not None]
        explicit = [a for a in candidates if a.mention.kind != "pronoun"]
        attribution = (explicit or candidates or [None])[0]
        quotes.append(_Quote(start, end, "direct", attribution))
        previous_end = end + 1
    return quotes


# A transcript's speaker label opening a paragraph: a name in capitals ("DANA PIERCE, HOST:",
# "SEN. ELLEN MARSH (D-DE):", "WALTZ:") or in title case ("Hrim:", "Kyiv Independent:"), maybe
# with a title after a comma or a note in brackets ("CLARE HOLLAND (PRESENTER):"), then the turn.
_TURN_LABEL = re.compile(
    r"(?P<label>[A-Z][A-Z.’'-]*(?:[ ][A-Z][A-Z.’'-]*){0,3}|[A-Z][a-z’'-]+(?:[ ][A-Z][a-z’'-]+){0,2})"
    r"(?:,[ ](?P<title>[^:\n]{1,60}?)|[ ]?\((?P<note>[^)\n]{1,20})\))?:[ ]+(?=\S)"
)
# A transcript has at least this many labelled paragraphs, by at least two labels (or one label,
# the interviewee's, when the questions are unlabelled paragraphs between its turns).
MIN_TRANSCRIPT_TURNS = 3
# Whoever presents, asks or reports: their own turns are not quotations (the speech quoted or
# reported inside them is extracted as usual). A label, its title, or a word just before the
# name elsewhere ("Our correspondent James Waters") says so.
_PRESENTER_LABEL = re.compile(
    r"\b(?:host|presenter|anchor|moderator|interviewer|correspondent|reporter|journalist|byline)s?\b|"
    r"\bvoice-over\b",
    re.IGNORECASE,
)
_QUESTION_LABEL = re.compile(r"Q|QUESTION|Question")
_ANSWER_LABEL = re.compile(r"A|ANSWER|Answer")


def _transcript_turns(doc: _Document) -> list[_Quote]:
    """The answers of a transcript or Q&A interview ("INGRID SOLBERG: ...", "Hrim: ..."), each the
    labelled speaker's direct speech, whole. The turns of a presenter, host, moderator,
    interviewer, correspondent or reporter, of an outlet or "Q" asking, and of a label whose
    turns are mostly questions or hand-overs naming the next turn's speaker, are not quotations. An unlabelled paragraph right after a turn
    continues it (an answer over two paragraphs), unless no asker is labelled and it is a
    question or comes right before a labelled turn (the interviewer's). Speech quoted or
    reported inside any turn is extracted as usual. A text is a transcript when it has at least
    :data:`MIN_TRANSCRIPT_TURNS` labelled paragraphs, by two labels or more or by one label (in
    capitals, or used that many times) with unlabelled questions; a title-case label counts only
    when used twice
    ("Transcript:" once is none)."""
    text = doc.text
    if text.count(": ") < MIN_TRANSCRIPT_TURNS:
        return []  # (each label is followed by its own ": ": too few for a transcript)
    found = []
    paragraph_start = 0
    for line in text.split("\n"):
        label = _TURN_LABEL.match(line)
        if label is not None:
            found.append((paragraph_start, label))
        elif line.strip():
            found.append((paragraph_start, None))
        paragraph_start += len(line) + 1
    names = [m.group("label") for _, m in found if m is not None]
    counts = {name: names.count(name) for name in names}
    labels = [(at, m) for at, m in found if m is not None
              and (m.group("label").isupper() or counts[m.group("label")] >= 2)]
    if len(labels) < MIN_TRANSCRIPT_TURNS:
        return []  # (too few turns: the unlabelled questions need not be counted)
    distinct = {m.group("label") for _, m in labels}

    def line_end(at: int) -> int:
        end = text.find("\n", at)
        return len(text) if end < 0 else end

    unlabelled_questions = sum(1 for at, m in found if m is None and text[at : line_end(at)].rstrip().endswith("?"))
    # (a label in capitals, or a surname labelling at least as many turns: "Varga: ...")
    single_label = (len(distinct) == 1 and (next(iter(distinct)).isupper()
                                            or len(labels) >= MIN_TRANSCRIPT_TURNS)
                    and unlabelled_questions >= MIN_TRANSCRIPT_TURNS - 1)
    if len(labels) < MIN_TRANSCRIPT_TURNS or (len(distinct) < 2 and not single_label):
        return []
    valid = {at for at, _ in labels}
    # A label whose turns mostly ask questions ("NOVYI FRONT: Why did you ...?") or hand over to
    # the next turn's speaker, naming them ("Joining us now, ... Kurt Volker." before "KURT
    # VOLKER:", "Ambassador Volker, last word."), is the one asking.
    questions: dict[str, list[bool]] = {}
    for (at, label), following in zip(labels, [*labels[1:], None]):
        turn = text[at + label.end() : line_end(at)].rstrip()
        next_name = following[1].group("label").split()[-1].capitalize() if following else ""
        hands_over = (len(next_name) > 2 and next_name != label.group("label").split()[-1].capitalize()
                      and re.search(rf"\b{re.escape(next_name)}\b", turn) is not None)
        questions.setdefault(label.group("label"), []).append(turn.endswith("?") or hands_over)
    asks = {name for name, marks in questions.items() if 2 * sum(marks) > len(marks)}
    full_names: dict[str, str] = {}
    presenters: set[str] = set()  # "BRANDT:" after "TOM BRANDT, HOST:"
    turns: list[_Quote] = []
    attribution: _Attribution | None = None
    for index, (at, label) in enumerate(found):
        end = line_end(at)
        if label is not None and at not in valid:
            attribution = None
            continue
        if label is None:
            following = found[index + 1][1] if index + 1 < len(found) else None
            if single_label and (text[at:end].rstrip().endswith("?") or following is not None):
                attribution = None  # an unlabelled question between the answers
            if attribution is not None:
                turns.append(_Quote(at, at + len(text[at:end].rstrip()), "direct", attribution))
            continue
        name = label.group("label")
        title = " ".join(filter(None, (label.group("title"), label.group("note"))))
        if name.isupper():
            name = " ".join(w if len(w) <= 2 else w.capitalize() for w in name.split())
        if len(name.split()) > 1:
            full_names.setdefault(name.split()[-1], name)
        name = full_names.get(name, name)
        if _ANSWER_LABEL.fullmatch(label.group("label")):
            # "A:" answers for the person the introduction names whose surname recurs most
            # ("Olena Marchenko is a surgeon ... Marchenko says ...").
            named = [m.group() for m in _TWO_WORD_NAME.finditer(text, 0, labels[0][0])
                     if _is_person(_Mention(m.group(), 0, 0, "name")) and not _ORGANISATION.search(m.group())
                     and not _FUNCTION_WORD.fullmatch(m.group().split()[0])]
            name = max(named, key=lambda n: len(_occurrences(text, n.split()[-1])), default="")
        presenter = (
            name in presenters or _PRESENTER_LABEL.search(name) or _PRESENTER_LABEL.search(title)
            or _QUESTION_LABEL.fullmatch(label.group("label")) or label.group("label") in asks
            or _role_matches(name, ("outlet",)) or len(name) < 2
            # (the words before the name in its own line, after any label: "HOST: Putin" is not
            # the word before "Putin")
            or any(_PRESENTER_LABEL.search(re.split(r"[:\n]", text[max(0, s - 30) : s])[-1])
                   for s in _occurrences(text, name.split()[-1])))
        if presenter:
            presenters.add(name)
        written = label.group().rstrip(": ")
        attribution = None if presenter else _Attribution(
            written, at + label.start(), at + label.start() + len(written),
            _Mention(name, at + label.start(), at + label.end("label"), "label"))
        if attribution is not None:
            start = at + label.end()
            turns.append(_Quote(start, start + len(text[start:end].rstrip()), "direct", attribution))
    return turns


# A trailing clause the speaker did not say (", as rivers rose", ", amid reports", ", a day after
# ...", ", after talks ...", ", speaking on condition of anonymity", ", a figure Reuters could
# not verify", ", TASS reported": the outlet relaying the report). An "as" clause about the
# speaker's own subject (", as their focus has been ...") is their reasoning.
_TRAILING_CLAUSE = re.compile(
    r",[\"”]?\s+(?:as(?!\s+(?:their|its|his|her|they|it|he|she|we|our|I)\b)|amid|after|"
    r"(?!including|during|nothing|something|anything|everything)[a-z]+ing|"
    r"(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Za-z][\w.’'-]*){0,4}\s+(?:reported|said|wrote|quoted|cited)"
    r"(?=[^,;\"“”]{0,40}$)|"
    r"but\s+(?:also\s+)?(?:said|insisted|added|stressed|warned|noted|argued|claimed|denied)\b|"
    r"while\s+[a-z]+ing\b|"
    r"according to|a day after|"
    r"a week after|days after|hours after|a figure|a claim|a number|an assertion|"
    r"[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*\s+(?:has|have)\s+learned)\b"
)
# A clause joined to a report that may have a speaker of its own (", while X said ...").
# (", but that B" is the same verb's second report: "said A, but that past events suggested B")
_JOINED_CLAUSE = re.compile(r",\s+(?:while|whereas|and|but)\s+(?!that\s)(?=\S)")
# A second verb of saying of the same subject ("... and warned them that", "... but insisted").
_SECOND_PREDICATE = re.compile(
    r",?\s+(?:and|but)\s+(?:also\s+)?(?:said|insisted|added|stressed|warned|noted|argued|claimed|"
    r"denied|admitted|acknowledged|told|wrote|urged)\b"
)
# Adverbials between a verb and what it reports, or after it when it reports nothing
# ("said on Tuesday", "wrote on Telegram", "said in a statement", "reported from the scene").
_TIME_WORDS = (
    r"(?:(?:(?:this|last|late|early|on)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)|(?:this|last|late|early|on)\s+(?:week|month|year|night|morning|afternoon|evening)|"
    r"earlier|later|afterwards?|separately|again|"
    r"also|today|yesterday|overnight|publicly|previously|repeatedly)\b"
)
_ADVERBIAL_START = re.compile(rf"(?:{_TIME_WORDS}|(?:on|in|at|from|during|after|before)\b)")
_ADVERBIAL = re.compile(
    rf"(?:\s*(?:{_TIME_WORDS}|(?:on|in|at|from|during|after|before)\b[^,.;:!?\"“”]{{0,60}}?))*\s*"
)
# What a form of "tell" reports follows its object: "told AFP", "told reporters at the White House".
# A medium's description right before a name: the name is the outlet's ("the state news agency
# Tass", "Polish broadcaster TVN24"), no person a "he" or "she" can be.
_OUTLET_NOUNS = ("agency|outlet|broadcaster|newspaper|daily|tabloid|magazine|channel|network|station|"
                 "website|radio|television")
_OUTLET_BEFORE = re.compile(rf"\b(?:{_OUTLET_NOUNS})\s+$")
_TELL_OBJECT = re.compile(
    r"\s+(?:(?:the|a|an|his|her|their|its)\s+)?"
    # (an outlet's description before its name: "the state news agency Tass", "the Kyiv daily Den")
    rf"(?:(?:[A-Z]?[a-z-]+\s+){{0,3}}(?:{_OUTLET_NOUNS})\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*|"
    rf"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*|(?:[a-z]+\s+(?!(?:{_PREPOSITIONS}|that)\b))?[a-z]+)"
    r"(?:\s+(?:by phone|separately|today|yesterday|(?:at|in|on|from)\s+(?:the\s+)?[A-Z][\w.’'-]*"
    r"(?:\s+[A-Z][\w.’'-]*)*))*"
    r"(?=\s+(?:the|a|an|his|her|their|its|it|he|she|they|we|I|that|after|before|during|at|in|on)\b"
    r"|\s+[A-Z\"“]|[,.;:]|$)"
)
# A clause inserted between a verb and its "that" ("said on Tuesday, as rivers rose, that ...").
_INSERTED_CLAUSE = re.compile(r"[^,]{0,60}?,\s+(?:as|while|when|after|before)\b[^,]*,\s+that\s+")
# Verbs that name or describe (an object and a complement), not report a clause: a direct quote
# in what follows them is the speech ("called the visit "a PR stunt"").
_NAMING_VERBS = frozenset(
    "call calls called calling describe describes described describing dub dubs dubbed branded "
    "brands labelled labeled termed accuse accuses accused accusing characterized characterised "
    "characterizes characterises characterizing characterising".split()
)
_REQUEST_VERBS = frozenset(("ask", "asks", "asked", "asking"))
# Content that is a request, not a report: an infinitive, maybe after an object.
_REQUEST = re.compile(r"(?:\w+\s+)?(?:not\s+)?to\s+\w")
# Reported content is a clause: at least this many words ("confirmed the loss" reports none).
MIN_REPORTED_WORDS = 3


# (compiled once: :func:`_reported_content` runs for every reported clause)
_TELL_VERB = re.compile(r"t[oe]ll(?:s|ing)?|told|(?:warn|assur|inform|remind)(?:e?s|ed|ing)?", re.IGNORECASE)
_THAT_AHEAD = re.compile(r"[^,.;:!?\"“”]{0,80}?\bthat\s+")
_TO_ADDRESSEE = re.compile(r"^\s*to\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*")


def _reported_content(text: str, cue: re.Match[str], sentence_end: int) -> tuple[int, int]:
    """Span of what a speech verb reports after it (possibly empty): past its object ("told
    AFP"), adverbials and "that", up to a trailing clause the speaker did not say."""
    start = cue.end()
    tell = _TELL_VERB.fullmatch(cue.group())
    if tell:
        obj = _TELL_OBJECT.match(text, start, sentence_end)
        if obj and not re.match(r"\s+(?:that|he|she|they|it|we|I)\b", text[start:obj.end()]):
            start = obj.end()
    inserted = _INSERTED_CLAUSE.match(text, start, sentence_end)
    if inserted and _ADVERBIAL.fullmatch(text[start : inserted.start() + inserted.group().index(",")]):
        start = inserted.end()
    that = _THAT_AHEAD.match(text[start:sentence_end])
    prefix = that.group()[: that.group().rfind("that")] if that else ""
    prefix = _TO_ADDRESSEE.sub("", prefix)  # "reported to Putin"
    # (after "told X", a "that" further on belongs to another clause: "told jurors the trial
    # would last six weeks and warned them that ...")
    if that and (_ADVERBIAL.fullmatch(prefix) or tell and len(prefix.split()) <= 3
                 and not re.search(r"\b(?:and|but|or|was|were|is|are|had|has|would|will)\b", prefix)):
        start += that.end()
    else:
        lead = _LEADING_JOINERS.match(text[start:sentence_end])
        start += lead.end() if lead else 0
    trailing = _TRAILING_CLAUSE.search(text, inserted.end() if inserted else cue.end(), sentence_end)
    end = trailing.start() if trailing else sentence_end
    # A second verb of the same subject reports on its own ("conceded that A but insisted B").
    second = _SECOND_PREDICATE.search(text, start, end)
    end = second.start() if second else end
    # (a headline without a full stop may share a sentence with the next paragraph)
    paragraph_end = text.find("\n", start, end)
    end = paragraph_end if paragraph_end >= 0 else end
    return start, max(start, end)


# A clause of time or circumstance ("as rivers rose", "while it reviews the data"); "as follows"
# and "as much" point at a report.
_CIRCUMSTANCE = re.compile(r"(?:as|while|when)\s+(?!(?:follows|much|well)\b)")


def _reports_nothing(text: str, start: int, end: int) -> bool:
    """Whether a verb's content is only adverbials, maybe followed by a participle or a place
    (the report came before: "X, officials said on Tuesday", "... said in a statement,
    publishing a map"), or only a clause of time or circumstance ("..., the authority said, as
    it works through a backlog"; one followed by a clause of its own is reported: "said when
    the war ends, he will go home")."""
    content = text[start:end].strip(" .;:!?")
    if _CIRCUMSTANCE.match(content) and not re.search(r",\s|\bthat\b", content):
        return True
    first, _, rest = content.partition(",")
    first = first.strip(" .;:!?")
    if first and not (_ADVERBIAL.fullmatch(" " + first) and _ADVERBIAL_START.match(first)):
        return False
    rest = rest.strip(" .;:!?")
    return not rest or bool(re.match(r"[a-z]+ing\b|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*$", rest))


# Punctuation and white space closing a reported clause (not part of it).
_TRAILING_PUNCTUATION = re.compile(r"[\s,;:.!?]+$")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    lead = _LEADING_JOINERS.match(text[start:end])
    start += lead.end() if lead else 0
    trailing = _TRAILING_PUNCTUATION.search(text[start:end])
    if trailing:
        end = start + trailing.start()
    return start, end


# "As <source> <verb>[ earlier]," introduces another clause's report ("As TASS reported, ...").
_AS_RELAY = re.compile(r"\b[Aa]s\s+$")
_RELAY_END = re.compile(r"(?:\s+(?:earlier|previously|before|on\s+\w+|yesterday|last\s+\w+))?\s*,")


# A sentence opening with a subordinate clause, maybe after a span of time ("When ", "Nearly a
# week after "); not a conjunction later in the subject ("The minister who resigned after ...").
_SUBORDINATE_OPENING = re.compile(
    r"(?:(?:nearly|almost|just|only|barely)\s+)?(?:(?:a|an|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|\d+|several|a\s+few)\s+(?:minute|hour|day|week|month|year)s?\s+)?"
    r"(?:after|before|since|when|while|until|once|although|though|because)\s+",
    re.IGNORECASE,
)
# A negation right before a verb of saying ("has not yet confirmed", "never said").
_NEGATED = re.compile(r"(?:\bnot|\bnever|n['’]t)\s+(?:yet\s+|[a-z]+ly\s+)?$")


def _cues_outside(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """``_cue_pattern().finditer(text, start, end)`` without the cues starting inside ``spans``
    (direct quotes' contents, sorted and disjoint), whose words are not even searched: a cue is a
    word of letters, and no word crosses a quote's edge (its content starts after a quote mark or
    white space, and ends before a quote mark, white space, a comma, semicolon or colon)."""
    pattern = _cue_pattern()
    for span_start, span_end in spans:
        if span_end <= start:
            continue
        if span_start >= end:
            break
        if span_start > start:
            yield from pattern.finditer(text, start, span_start)
        start = span_end
    if start < end:
        yield from pattern.finditer(text, start, end)


# "and that" joining two reports of one verb ("told reporters that A and that B").
_AND_THAT = re.compile(r",?\s+(?:and|but)\s+(?:also\s+)?that\s+")


def _reported_speech(doc: _Document, direct: list[tuple[int, int]]) -> list[_Quote]:
    """Reported speech of each sentence: every speech verb with a speaker as subject reports the
    clause after it ("X said on Telegram that ..."), or, when nothing but adverbials follows
    it, the clause before the comma that precedes its subject ("..., officials said on
    Tuesday"); ``according to X`` reports the rest of its sentence. Verbs inside a direct quote
    (nested speech) or inside another report are skipped."""
    text = doc.text
    reported = []

    def inside(position: int, spans: list[tuple[int, int]]) -> bool:
        for s, e in spans:
            if s <= position < e:
                return True
        return False

    # (looked for sentence by sentence only in a document with its words)
    according_words = "ccording to" in text or " words" in text
    for sentence_start, sentence_end, _ in doc.sentence_spans:
        taken: list[tuple[int, int]] = []
        according = (_ACCORDING_TO.search(text, sentence_start, sentence_end)
                     if according_words and (text.find("ccording to", sentence_start, sentence_end) >= 0
                                             or text.find(" words", sentence_start, sentence_end) >= 0)
                     else None)
        if according and any(  # "Putin said ..., according to the Kremlin": a relay
            _subject_of(text, sentence_start, c.start(), c.group().endswith("ing"))
            for c in _cue_pattern().finditer(text, sentence_start, according.start())
        ):
            according = None
        relayed = (re.compile(r"[^,.;:\"”]+,\s*").match(text, according.end(), sentence_end)
                   if according and not text[sentence_start : according.start()].strip(" ,") else None)
        # "According to Tass, Lavrov told ... that ...": the outlet relays the named subject.
        subjects = [] if relayed is None else [
            _subject_of(text, relayed.end(), c.start(), c.group().endswith("ing"))
            for c in _cue_pattern().finditer(text, relayed.end(), sentence_end)]
        relayed_subject = next((m for m in subjects if m is not None and m.kind == "name"), None)
        if according and not inside(according.start(), direct):
            attribution = _according_to(text, according, sentence_end)
            if attribution is not None and relayed_subject is not None:
                attribution = _Attribution(attribution.cue, attribution.cue_start, attribution.cue_end,
                                           relayed_subject)
            if attribution is not None:
                if text[sentence_start : according.start()].strip(" ,"):
                    span = (sentence_start, according.start())
                else:
                    span = (max(attribution.mention.end, attribution.cue_end), sentence_end)
                span = _trimmed(text, *span)
                if span[1] > span[0]:
                    reported.append(_Quote(*span, "reported", attribution))
                    taken.append((sentence_start, sentence_end))
        for cue in _cues_outside(text, sentence_start, sentence_end, direct):
            if inside(cue.start(), taken):
                continue
            if (text.startswith(("writes ", "posts ", "goes ", "known "), cue.start())
                    and _PEN_NAME.match(text, cue.start())):
                continue  # 'who writes as "Old Harbour"' reports nothing
            if _NEGATED.search(text, max(sentence_start, cue.start() - 20), cue.start()):
                continue  # "Ukraine has not yet confirmed the loss": nothing was said
            mention = _subject_of(text, sentence_start, cue.start(), cue.group().endswith("ing"))
            if mention is None:
                continue
            if (_AS_RELAY.search(text, max(sentence_start, mention.start - 4), mention.start)
                    and _RELAY_END.match(text, cue.end())):
                continue  # "As Ukrinform reported earlier, Zelensky said ...": a relay, no clause of its own
            start, end = _reported_content(text, cue, sentence_end)
            opening = (_SUBORDINATE_OPENING.match(text, sentence_start, cue.start())
                       if text.find(",", sentence_start, cue.start()) < 0 else None)
            if opening is not None:
                # "Nearly a week after the General Staff acknowledged the loss, soldiers ...": the
                # clause the verb stands in ends at its comma; the main clause is not its report.
                comma = text.find(", ", start, end)
                end = comma if comma >= 0 else end
            if _reports_nothing(text, start, end):
                before = text[sentence_start : mention.start]
                comma = before.rstrip().rfind(",")
                if comma < 0 or len(_WORD.findall(before[:comma])) < 3:
                    continue
                start, end = sentence_start, sentence_start + comma
                if any(s < end and e > start for s, e in taken) or any(
                        _subject_of(text, sentence_start, c.start(), c.group().endswith("ing"))
                        for c in _cue_pattern().finditer(text, start, end)):
                    continue  # "X said ..., TASS reported": the outlet only relays X's report
            for joint in _JOINED_CLAUSE.finditer(text, start, end):
                # "reported that A, while the observer Mykola Bielieskov said B": B is another
                # speaker's report, not part of A.
                if any(_subject_of(text, joint.end(), c.start(), c.group().endswith("ing"))
                       for c in _cue_pattern().finditer(text, joint.end(), end)
                       if not c.group().endswith("ing")):
                    end = joint.start()
                    break
            start, end = _trimmed(text, start, end)
            if len(_WORD.findall(text[start:end])) < MIN_REPORTED_WORDS or inside(start, taken):
                continue
            if _REQUEST.match(text, start, end) or cue.group().lower() in _REQUEST_VERBS:
                continue  # "asked not to be named", "asked us to use his call sign": no report
            if (cue.group().lower() in _NAMING_VERBS and not re.search(r"\bas\b", text[start:end])
                    and not _QUOTE_MARK.search(text, start, end)):
                continue  # "described the withdrawal in detail": an object, not a report
            if (cue.group().endswith("ing") and cue.group().lower() not in ("adding", "saying")
                    and re.match(r"(?:the|a|an)\s", text[start:end])
                    and not re.search(r"\bthat\s*$", text[cue.end() : start])):
                continue  # "emphasizing the relentless attack they faced": an object, no clause
            attribution = _Attribution(cue.group(), cue.start(), cue.end(), mention)
            # "told reporters that A and that B": two reports.
            pieces = [start, *(m for b in _AND_THAT.finditer(text[start:end])
                               for m in (start + b.start(), start + b.end())), end]
            for piece_start, piece_end in zip(pieces[::2], pieces[1::2]):
                reported.append(_Quote(piece_start, piece_end, "reported", attribution))
            taken.append((min(start, mention.start), end))
    return reported


def _merge_partial_quotes(
    doc: _Document, direct: list[_Quote], reported: list[_Quote]
) -> list[_Quote]:
    """Reconcile direct quotes with reported clauses: a reported clause that is mostly a direct
    quote (``X said: "..."``), runs into one, or names something with one (``called the visit
    "a PR stunt"``) is dropped for it; a short direct quote inside a reported clause
    (``said its forces faced a "difficult" situation``) is part of the clause, not an entry."""
    kept_reported = []
    for quote in reported:
        overlapping = [d for d in direct if d.start < quote.end and d.end > quote.start]
        covered = sum(min(d.end, quote.end) - max(d.start, quote.start) for d in overlapping)
        # A quote with its own attribution ('..., "...," he recounted') is not part of the clause.
        # (A quote attributed by a verb inside the clause is nested in it: 'said he had asked ...
        # troops he described as "completely surrounded"'.)
        # ("X reported that the village had been "liberated," according to a video": the
        # "according to" after it relays X's report, it attributes no quote of its own.)
        straddles = any(
            d.start < quote.start or d.end > quote.end + 1
            or (d.attribution is not None and d.attribution.cue_start != quote.attribution.cue_start
                and not quote.start <= d.attribution.cue_start < quote.end
                and not d.attribution.cue.lower().startswith("according"))
            for d in overlapping
        )
        # "described X as "..."": the quote is what was said; the object is no report.
        naming = quote.attribution.cue.lower() in _NAMING_VERBS and (overlapping or any(
            d.attribution is not None and d.attribution.cue_start == quote.attribution.cue_start
            for d in direct))
        # A full quotation ('...: "The area was lost," he said') is never a partial quote.
        full = any(_is_full_sentence(doc.text[d.start : d.end])
                   or doc.text[: d.start - 1].rstrip().endswith(":") for d in overlapping)
        if naming or overlapping and (straddles or full
                                      or covered >= 0.6 * (quote.end - quote.start)):
            if not naming and not straddles and not full:
                # The quotation is the clause's words ('and that the "goals of the strike have
                # been achieved"'): it is said by the clause's speaker when nothing else
                # attributes it.
                for d in overlapping:
                    if d.attribution is None:
                        d.attribution = quote.attribution
            continue
        kept_reported.append(quote)
    absorbed = {
        id(d) for d in direct for q in kept_reported if d.start >= q.start and d.end <= q.end + 1
    }
    return [d for d in direct if id(d) not in absorbed] + kept_reported


_FINAL_STOP = re.compile(r"[a-z]\.$")
# Another name coordinated with a titled one, after it or before its title ("Mayor Lie and X").
_AND_NAME_AFTER = re.compile(r"\s+and\s+[A-Z]")
_NAME_AND_BEFORE = re.compile(r"[A-Z][\w’'.-]*\s+and\s+(?:\w+\s+){0,3}$")


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
        if _FINAL_STOP.search(name):  # the sentence's full stop ("Mayor Tove Lie.")
            name, end = name[:-1], end - 1
        coordinated = _AND_NAME_AFTER.match(text, end) or _NAME_AND_BEFORE.search(
            text[max(0, cue.start() - 40) : cue.start()])
        if not coordinated and not _role_matches(name, ("nationality", "outlet")):
            persons.append(_Mention(name, start, end, "name"))
    return persons


# Two capitalised words: a full name if no function word ("Emma Novak-Hill", "Lucía Vidal").
_LOWER = "a-zß-öø-ÿ"
# (the capital first, then the word boundary before it, as a look-behind: a pattern opening with a
# capital is searched for its first letter, much faster than one opening with ``\b``)
_CAPITALISED_PAIR = re.compile(rf"[A-Z](?<!\w[A-Z])[{_LOWER}]+\s+[A-Z][{_LOWER}]+(?:-[A-Z][{_LOWER}]+)?(?![\w-])")


# Three capitalised words in a row, for names with a middle name ("Galina Petrovna Sorokina").
_CAPITALISED_TRIPLE = re.compile(rf"[A-Z](?<!\w[A-Z])[{_LOWER}]+\s+[A-Z][{_LOWER}]+\s+[A-Z][{_LOWER}]+(?![\w-])")


# A word opening a question or a "whether" clause before a name ("Is Ukraine winning?", "Whether
# Moscow will agree"): no first name. (Not "Will" or "May": first names too.)
_QUESTION_OPENER = re.compile(
    r"Whether|Is|Are|Was|Were|Does|Did|Has|Have|Had|Can|Could|Would|Should|Shall|Might|Must|"
    r"How|What|Why|Who|Whom|Which")


@lru_cache(maxsize=8192)  # the same pairs recur within and across documents
def _pair_name(pair: str) -> str | None:
    """The full name a capitalised pair (:data:`_CAPITALISED_PAIR`) gives, titles stripped; None
    when one of its words is a function word ("The Kremlin")."""
    words = pair.split()
    if any(_FUNCTION_WORD.fullmatch(word) for word in words) or _QUESTION_OPENER.fullmatch(words[0]):
        return None
    return _strip_titles(pair)


def _known(names: Iterable[str]) -> list[tuple[str, int, frozenset[str]]]:
    """Known full names for :func:`_full_name`, each once, in order of first mention, with their
    word count and words (split once per document, not once per look-up)."""
    return [(name, len(name.split()), frozenset(name.split())) for name in dict.fromkeys(names)]


def _full_name(name: str, known: list[tuple[str, int, frozenset[str]]]) -> str:
    """The longest earlier-known name (:func:`_known`) containing all of ``name``'s words, else
    ``name``."""
    words = set(name.split())
    longer = [k for k, count, k_words in known if count > len(words) and words <= k_words]
    return max(longer, key=len) if longer else name


_OF_OR_FOR = re.compile(r"\s(?:of|for)\s")


def _person_name(mention: str, known: list[tuple[str, int, frozenset[str]]]) -> str:
    """The full name a mention gives (:func:`_full_name` of it without titles); a title
    :func:`_strip_titles` cannot take apart ("Acting Governor of the Kursk Region Alexei Smirnov")
    leaves the known full name that ends it."""
    name = _strip_titles(mention)
    head = _OF_OR_FOR.split(name, maxsplit=1)[0]
    # (not a name before its "of" phrase: "Helena Faro of the University of Porto Ceres")
    if (name == mention and len(name.split()) > 2 and not _ORGANISATION.search(name.split()[-1])
            and head != name and not any(count >= 2 and k in head and not _role_matches(k, ("role",))
                                         for k, count, _ in known)):
        tails = [k for k, count, _ in known if count >= 2 and name.endswith(" " + k)
                 and not _ORGANISATION.search(k) and not _role_matches(k, ("role", "nationality", "place"))]
        if tails:
            name = max(tails, key=len)
    return _full_name(name, known)


def _is_person(mention: _Mention) -> bool:
    return mention.kind == "name" and not _role_matches(
        mention.text, ("nationality", "outlet", "role")
    )


@dataclass
class _Person:
    """A person (or body) the document names: where, the resolved name, role and how it was
    introduced (the words around its first mention, for titles that refer back to it)."""

    start: int
    name: str
    # The role, or how to find it out: worked out only when first asked (most persons' roles
    # never are: only a referent's is)
    role_source: str | Callable[[], str]
    intro: str
    # "m", "f" or None, or how to find it out: looked for only when first asked (most persons'
    # genders never are, in a text whose speakers are all named)
    gender_source: str | None | Callable[[], str | None]
    subject: bool  # named as the subject at the start of a sentence
    speaker: bool = False

    @property
    def role(self) -> str:
        if callable(self.role_source):
            self.role_source = self.role_source()
        return self.role_source

    @property
    def gender(self) -> str | None:
        if callable(self.gender_source):
            self.gender_source = self.gender_source()
        return self.gender_source


# A time stamp, dateline or time phrase opening a sentence ("09:12 GMT –", "KYIV, March 12
# (Reuters) -", "Hours later").
_SENTENCE_LEAD = re.compile(
    r"\s*(?:[-–—•*]\s+|"  # (a list item's bullet: "- Ukraine's General Staff said")
    # (a live blog's time stamp, with its label or date: "14:05", "Posted at 20:05", "Updated 9.30
    # GMT", "13 Mar 2025 10.05 GMT", "April 26, 2025 14:12", "14.30 GMT:")
    r"(?:(?:Posted|Updated|Published|Last updated)(?:\s+at)?\s+)?"
    r"(?:(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?)\s+\d{4},?\s+)?"
    r"\d{1,2}[:.]\d{2}(?:(?:\s*[A-Z]{2,4})?\s*[-–—:]\s*|(?:\s+(?:GMT|UTC|MSK|[A-Z]{1,3}T))?\s+(?=[A-Z]))|"
    r"[A-Z][A-Z/ ,.]+[^-–—\n]{0,40}?[-–—]\s+|"
    # (possessive: a "(" or ")" never follows a character they gave back)
    r"(?:[A-Z][\w/ ,.]*+)?\([A-Z][\w .]*+\)\s*[-–—]\s+|"
    # and a time phrase ("Hours later Putin said", "Two days later, the mayor said")
    r"(?:(?:[A-Z][a-z]+\s+)?(?:[Mm]inutes|[Hh]ours|[Dd]ays|[Ww]eeks|[Mm]onths|[Yy]ears|[Mm]oments)|"
    r"Shortly|Soon)\s+(?:later|earlier|afterwards),?\s+)?"
)
# Words naming an organisation, not a person: a title with one refers back to a body.
# (a trie: searched in every name and phrase, it fails at a word's first letter)
_ORGANISATION = re.compile(
    r"\b" + literal_alternation(ignore_case=(
        "ministry", "staff", "service", "office", "government", "council", "committee", "agency",
        "union", "company", "group", "institute", "channel", "newspaper", "television", "press",
        "kremlin", "army", "force", "forces", "military", "command", "headquarters", "department",
        "administration", "authorities", "police", "court", "parliament", "party", "board",
        "authority", "commission", "bureau", "association", "federation", "center", "centre", "club",
        "regulator", "corporation", "navy", "fleet", "league", "network", "foundation", "coalition",
        "utility", "firm", "charity", "airline", "campaign", "organization", "organisation", "pentagon",
        "white house", "bank", "embassy", "senate", "congress", "cabinet", "mission", "university",
        "college", "thinktank", "watchdog", "forecaster", "retailer", "insurer", "lender", "trust")) + r"\b",
    re.IGNORECASE,
)
# A noun phrase's head ending in a plural noun, maybe before "here"/"there" ("the soldiers here").
_PLURAL_HEAD = re.compile(r"\b[a-z]*[a-hj-rtv-z]s(?:\s+(?:here|there))?$")
# A plural subject opening a sentence, before its verb ("Ukrainian officials dismissed ...").
_PLURAL_SUBJECT = re.compile(r"\s*((?:[A-Z][\w’'-]*\s+){0,3}[a-z]+s)\s+[a-z]+(?:ed|s)\b")
# A body opening a sentence, before its verb: words naming it, its organisation word, and an "of"
# phrase ("Ukraine's general staff", "The Washington-based Institute for the Study of War").
_BODY_SUBJECT = re.compile(
    r"((?:[Tt]he\s+)?(?:[A-Z][\w’'.-]*(?:['’]s)?\s+)*(?:[a-z][\w-]*\s+){0,2}?(?i:" + _ORGANISATION.pattern + ")"
    + r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:of\s+|for\s+|the\s+)*[A-Z][\w’'-]*)*)?)"
    r"(?:\s+[a-z]+ly)?\s+(?:[a-z]+s\b|" + _PAST_VERB.pattern + ")"
)
# A subject noun phrase with a name in apposition, opening a sentence.
# (up to eight words: "The head of the city military administration, Vadym Hetman, estimates")
# (a full name may have its own title: "Her opponent, two-term incumbent Ricardo Sampaio, conceded";
# not a relative clause's: "the incursion, which began last August, was ...")
_NAME_PARTICLE = r"(?:(?:de|van|von|der|den|da|di|du|al|bin|la|le)\s+)?"  # "Ruud van Dijkhuizen"
_APPOSITIVE_SUBJECT = re.compile(
    rf"(?:[\w’'-]+\s+){{1,7}}?[a-z][\w’'-]*,\s+(?:((?:[A-Z][\w’'-]+\s+{_NAME_PARTICLE})*[A-Z][\w’'-]+)|"
    r"(?:(?!(?:which|who|whose|that|where|when)\b)[a-z0-9][\w’'-]*\s+){1,3}"
    rf"((?:[A-Z][\w’'-]+\s+{_NAME_PARTICLE})+[A-Z][\w’'-]+)),\s+[a-z0-9]"
)
_POSSESSIVE_END = re.compile(r"['’]s?\b")
_POSSESSIVE = re.compile(r"(?:his|her|their|its|our|my|your)", re.IGNORECASE)
# Subject pronouns tell a person's gender; "his"/"her"/"him" are as often about someone else
# ("Major Hrytsenko praised her unit").
_GENDERED = re.compile(r"\b(?:(he|himself)|(she|herself))\b", re.IGNORECASE)
# A person's pronoun within three words after a name: the name is no body's ("Kari Holm has closed
# her cafe"); further on it is as often about someone else ("Police said a man ... his car").
_PERSON_WORD_SOON = re.compile(r"(?:\s+[\w’'-]+){0,3}?\s+(?:he|she|his|her|him|himself|herself)\b")
# How far after a person's mention a pronoun tells their gender (characters).
GENDER_WINDOW_CHARS = 160


# Gendered nouns and titles introducing a person ("her brother, Pavel", "Mrs Hale").
_GENDERED_NOUN = re.compile(
    r"\b(?:(brother|son|father|husband|man|grandfather|uncle|nephew|boy|Mr\.?)|"
    r"(sister|daughter|mother|wife|woman|grandmother|aunt|niece|girl|widow|Mrs\.?|Ms\.?))\W{1,3}$"
)


@cache
def _first_name_genders() -> dict[str, str]:
    """First name -> "m" or "f", from ``data/first_names.txt``."""
    return dict(line.split(",") for line in data_lines("first_names.txt"))


def _gender_of(doc: _Document, start: int, end: int, quoted: list[tuple[int, int]]) -> str | None:
    """"m" or "f" from a gendered noun right before a person's name, else from a known first
    name opening it ("Maria Lopez"), else from the first gendered pronoun soon after it
    (:func:`_gender_after`), which may be about someone else."""
    noun = _GENDERED_NOUN.search(doc.text, max(0, start - 20), start)
    if noun is not None:
        return "m" if noun.group(1) else "f"
    first = doc.text[start:end].split(maxsplit=1)
    known = _first_name_genders().get(first[0]) if first else None
    return known or _gender_after(doc, end, quoted)


def _gender_after(doc: _Document, end: int, quoted: list[tuple[int, int]]) -> str | None:
    """"m" or "f" from the first he/she outside quotes (a pronoun inside a quote is the
    speaker's, about someone else) in the rest of the person's sentence or the next one, at
    most :data:`GENDER_WINDOW_CHARS` away, else None. Further on, a he/she is as likely to be
    about the next person named, and so is one in a next sentence opening with a full name
    ('"...," Ortega said. Councilmember Rachel Finnegan said she ...'). A he/she right after "told
    <Name>" may be about the one told, and is passed over."""
    limit = min(len(doc.text), end + GENDER_WINDOW_CHARS)
    index = doc.sentence_index(end)
    if index is not None and index + 1 < len(doc.sentence_spans):
        next_start, next_end, _ = doc.sentence_spans[index + 1]
        named = _NAME.match(doc.text, next_start, next_end)
        other = (named is not None and len(named.group().split()) >= 2
                 and not _FUNCTION_WORD.fullmatch(named.group().split()[0]))
        limit = min(limit, doc.sentence_spans[index][1] if other else next_end)
    for found in _GENDERED.finditer(doc.text, end, limit):
        if _TOLD_NAME_BEFORE.search(doc.text, max(0, found.start() - 60), found.start()):
            continue  # "Judge Amanda Rhys told Pickering he had ...": "he" may be either
        if not any(s <= found.start() < e for s, e in quoted):
            return "m" if found.group(1) else "f"
    return None


# A verb of telling and the person told, right before a pronoun.
_TOLD_NAME_BEFORE = re.compile(r"\b(?:told|tells|telling|warned|assured|informed|reminded)\s+"
                               r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*\s+$")


# Question words and prepositions opening a sentence ("How does that feel?", "Within hours ...").
_QUESTION_OR_PREPOSITION = re.compile(rf"(?:how|what|why|who|whom|which|where|when|{_PREPOSITIONS})",
                                      re.IGNORECASE)


def _lower_case_word_in(text: str, word: str) -> bool:
    """Whether ``word`` occurs in lower case as a whole word in ``text``."""
    lower = word.lower()
    return lower != word and any(
        not text[at - 1 : at].isalnum() and not text[at + len(lower) : at + len(lower) + 1].isalnum()
        for at in _each_occurrence(text, lower))


# Time and place adverbials opening a sentence before its subject ("In February, ", "On his last
# run, on the night of 11 March, ").
_OPENING_ADVERBIAL = re.compile(
    r"(?:On|In|At|After|Before|During|By|Since|Until|Later|Earlier|Last|That|Today|Yesterday|Once)\b"
    r"[^,.;:\"“”\n]{0,60},\s+(?:(?:on|in|at|after|before|during|by|since)\b[^,.;:\"“”\n]{0,40},\s+)*"
)


# Adverbs, quantifiers and conjunctions opening a sentence before its subject ("Later, in the
# corridor, she said", "Another said", "Several of them wrote", "Nor does she use"): never a name.
_OPENING_ADVERB = re.compile(r"(?:Later|Earlier|Afterwards|Now|Today|Yesterday|Still|Another|Other|"
                             r"Several|Both|Either|Neither|Nor|Every|Few|Such|Whether|"
                             # (an adverb from an adjective: "Economically, Russia is ...")
                             r"[A-Z][a-z]+(?:al|ic|ful|ous|ive|ent|ant|ate|ear|ible|able|ish|ual)ly)")


# A subject after its verb, one of a group just mentioned ("Among them was", "Among those
# waiting were").
_INVERTED_SUBJECT = re.compile(r"Among\s+(?:them|those|the\s+[a-z]+)(?:\s+[a-z]+){0,3}\s+(?:was|were)\s+(?=[A-Z])")


@lru_cache(maxsize=4096)  # the same first words open sentence after sentence
def _not_a_name(word: str) -> bool:
    """Whether a capitalised word opening a sentence is never the start of its subject's name: a
    function word, pronoun, possessive, question word, preposition or opening adverb."""
    return any(p.fullmatch(word) for p in (_FUNCTION_WORD, _PRONOUN, _POSSESSIVE,
                                           _QUESTION_OR_PREPOSITION, _OPENING_ADVERB))


# An adverb between a subject and its verb ("Judge Helena Marsh twice warned", "Orlov later said").
_ADVERB_BEFORE_VERB = re.compile(r"\s+(?:[a-z]+ly|twice|also|again|later|then|once|still)(?=\s)")


def _subject_names(doc: _Document) -> list[_Mention]:
    """Names opening a sentence as its subject ("Serhiy, a former teacher, drove ...", "Nina
    Ivanovna is 78"): a capitalised name followed by a comma or a lower-case verb."""
    found = []
    common: dict[str, bool] = {}  # word -> whether it occurs in lower case (a common noun)
    for start, end, _ in doc.sentence_spans:
        lead = doc.sentence_lead(start, end)
        at = lead.end() if lead else start
        inverted = _INVERTED_SUBJECT.match(doc.text, at, end) if doc.text.startswith("Among", at) else None
        if inverted is not None:  # "Among them was Raj Mehta, who ...": the name after the verb
            at = inverted.end()
        # (its comma is searched for first: most sentences open with no appositive)
        appositive = (_APPOSITIVE_SUBJECT.match(doc.text, at, end)
                      if doc.text.find(",", at, end) >= 0 else None)
        match = appositive if appositive is not None else _NAME.match(doc.text, at, end)
        if match is None:
            continue
        if appositive is not None:  # "The company's chief executive, Peter Hale, rejected ..."
            group = 1 if appositive.group(1) else 2
            found.append(_Mention(appositive.group(group), appositive.start(group), appositive.end(group), "name"))
            continue
        name = match.group()
        first = name.split()[0]
        if _not_a_name(first) or _POSSESSIVE_NAME.search(name):
            # The subject may follow an opening adverbial ("On his last run, on the night of 11
            # March, Volodymyr carried").
            adverbial = _OPENING_ADVERBIAL.match(doc.text, at, end)
            match = adverbial and _NAME.match(doc.text, adverbial.end(), end)
            if not match:
                continue
            name = match.group()
            first = name.split()[0]
            if _not_a_name(first) or _POSSESSIVE_NAME.search(name):
                continue
        adverb = _ADVERB_BEFORE_VERB.match(doc.text, match.end(), end)
        rest = adverb.end() if adverb is not None else match.end()  # (where the verb may start)
        if _VERB_AFTER_NAME.match(doc.text, rest, end) or _PAST_VERB.match(doc.text, rest + 1, end):
            if name == first:
                if first not in common:
                    common[first] = _lower_case_word_in(doc.text, first)
                if common[first]:
                    continue  # a common noun capitalised at the sentence start ("Trade, she said, was ...")
            stripped = _strip_titles(name)
            at = match.end() - len(stripped) if name.endswith(stripped) else match.start()
            found.append(_Mention(stripped, at, at + len(stripped), "name"))
    # A full name opening a coordinated clause is its subject too ("The bus leaves at 7 a.m., and
    # Valentyna Hordiienko has been at the stop since six").
    for joint in _COORDINATED_SUBJECT.finditer(doc.text):
        match = _NAME.match(doc.text, joint.end())
        if match is None or len(match.group().split()) < 2 or _not_a_name(match.group().split()[0]):
            continue
        if _VERB_AFTER_NAME.match(doc.text, match.end()) and not _POSSESSIVE_NAME.search(match.group()):
            stripped = _strip_titles(match.group())
            at = match.end() - len(stripped)
            found.append(_Mention(stripped, at, at + len(stripped), "name"))
    return sorted(found, key=lambda m: m.start)


_COORDINATED_SUBJECT = re.compile(r"(?:,|;)\s+(?:and|but|while|whereas)\s+")


# Titles of a head of state or government are one title for reference ("the Russian leader",
# "the head of state" -> "President Vladimir Putin").
_LEADER_WORDS = frozenset(("leader", "president", "premier", "prime", "chancellor"))


_HEAD_OF_STATE = re.compile(r"\bhead of (?:state|government)\b")
_HEAD_OF_REGION = re.compile(r"\bhead of (?:the |this |that )?(?:region|province|oblast)\b")
_TITLE_WORD = re.compile(r"[a-z]{2,}")


def _title_words(phrase: str) -> set[str]:
    # "head" alone is any head ("the head of the General Staff"); "head of state" is a leader;
    # the head of a region is its governor.
    phrase = _HEAD_OF_STATE.sub("leader", phrase.lower())
    phrase = _HEAD_OF_REGION.sub("governor", phrase)
    words = _TITLE_WORD.findall(phrase)
    return {"leader" if w in _LEADER_WORDS else w for w in words
            if w not in ("the", "a", "an", "of", "in", "chief", "top", "state", "head")}


_DETERMINER_START = re.compile(r"^(?:the|this|that)\s+", re.IGNORECASE)


def _is_bare_title(mention: _Mention) -> bool:
    """A mention that is only a title, a description or a nationality ("President", "Russian
    President", "the commander-in-chief", "the Russian leader"), naming nobody."""
    return _is_bare_title_text(mention.text, mention.kind)


@lru_cache(maxsize=8192)  # the same titles and names are asked about mention after mention
def _is_bare_title_text(text: str, kind: str) -> bool:
    """:func:`_is_bare_title` of a mention's text and kind (all it depends on)."""
    mention = _Mention(text, 0, 0, kind)
    if mention.kind == "phrase":  # "the commander", "the head of the General Staff"
        head = _head(mention.text)
        if _PLURAL_HEAD.search(head) and not _body_head(head):
            return False  # a group ("the soldiers here") titles no individual
        # A country's title is as bare as "the President" ("Ukraine's president", "Russia's leader").
        # (A country's body is named, not referred back to: "Ukraine's General Staff".)
        country = not _body_head(head) and any(
            start == 0 and re.match(r"['’]s\s", head[end - 2 if head[end - 2 : end] in ("'s", "’s") else end :])
            for start, end, _ in _role_matches(head, ("nationality",)))
        # (four words after the determiner: "the former Estonian prime minister")
        return (bool(re.match(r"(?:the|this|that)\s", mention.text, re.IGNORECASE)) or country) and len(
            _DETERMINER_START.sub("", head).split()) <= 4 and len(mention.text.split()) <= 8
    if mention.kind != "name" or _ORGANISATION.search(mention.text):
        return False
    rest = mention.text
    for start, end, _ in sorted(_role_matches(rest, ("role", "nationality")), reverse=True):
        rest = rest[:start] + rest[end:]
    return not re.sub(r"['’]s\b|\b(?:of|the|for)\b", "", rest).strip()


def _is_demonym(mention: _Mention, text: str) -> bool:
    """A nationality used as a noun for a person ("the Italian said", "the Spaniard added"), not
    a country or capital ("Kyiv insists", "the US said", "the Netherlands")."""
    word = mention.text
    return (mention.kind == "name" and re.fullmatch(r"[A-Z][a-z]+[^s\W]", word) is not None
            and re.search(r"\b[Tt]he\s+$", text[max(0, mention.start - 4) : mention.start]) is not None
            and any(start == 0 and end == len(word) for start, end, _ in _role_matches(word, ("nationality",))))


def _occurrences(text: str, needle: str) -> list[int]:
    """Starts of the non-overlapping occurrences of ``needle`` in ``text`` (as
    ``re.finditer(re.escape(needle), text)``, without compiling a pattern per name)."""
    return list(_each_occurrence(text, needle))


def _each_occurrence(text: str, needle: str) -> Iterator[int]:
    """:func:`_occurrences` one by one, found as they are asked for (a search stopping at the
    first that tells reads no further)."""
    at = text.find(needle)
    while needle and at >= 0:
        yield at
        at = text.find(needle, at + len(needle))


def _names_body(phrase: str) -> bool:
    """Whether ``phrase`` names an organisation; one inside a person's title does not ("A company
    commander", "union leader"), unless it ends the phrase ("Russian state television")."""
    words = phrase.split()
    if words and _ORGANISATION.fullmatch(words[-1]):
        return True
    for start, end, _ in sorted(_role_matches(phrase, ("role",)), reverse=True):
        phrase = phrase[:start] + " " + phrase[end:]
    return bool(_ORGANISATION.search(phrase))


def _is_individual(person: _Person) -> bool:
    """Whether ``he``/``she`` can refer to a person entry: not a body or an outlet."""
    return _is_individual_name(person.name)


@lru_cache(maxsize=8192)  # each person is asked about again for every pronoun and title after it
def _is_individual_name(name: str) -> bool:
    """:func:`_is_individual` of a person entry's name (all it depends on)."""
    return not _names_body(name) and not _role_matches(name, ("outlet",))


def _described_by(word: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A name described by an organisation ``word`` in apposition ("Rybar, an influential Telegram
    channel"; group 1 the name), and its part from the comma on. Every match of the first holds a
    match of the second ending where it ends, so a text without the second holds no first: the
    first, its name matched case-blind, is tried at every position, the second only at commas."""
    apposition = rf",\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?{word}\b"
    return re.compile(rf"({_NAME.pattern}){apposition}", re.IGNORECASE), re.compile(apposition, re.IGNORECASE)


def _body_head(head: str) -> re.Match[str] | None:
    """The organisation word ending a noun phrase's head ("the ministry", "the General Staff"),
    else None: "the Kremlin aide" is a person."""
    words = head.split()
    if not words:
        return None
    # (a compound written open is the closed one: "the think tank" as "the thinktank")
    return _ORGANISATION.fullmatch(words[-1]) or _ORGANISATION.fullmatch("".join(words[-2:]))


def _nations(phrase: str) -> set[str]:
    """The countries a phrase's nationality cues name: their official role ("Russia's", "Russian"
    -> russian_official), else the cue itself ("UK")."""
    return {role if role != "other" else phrase[start:end].lower()
            for start, end, role in _role_matches(phrase, ("nationality",))}


def _refers_back(mention: _Mention, role: str, persons: list[_Person],
                 bodies: Iterable[tuple[int, str, str]] = ()) -> _Person | None:
    """The earlier person a bare title refers to: the last introduced with the same title word
    ("the President" -> "President Volodymyr Zelensky"), else the last of the same official
    role or nationality ("the Russian leader" -> "Russian President Vladimir Putin")."""
    earlier = [p for p in persons if p.start < mention.start and p.name != mention.text]
    head = _head(mention.text)
    body = _body_head(head)
    if body is not None:  # "the ministry" -> the last body named with "ministry" (or opening a sentence)
        same = [p for p in earlier if re.search(rf"\b{body.group()}\b", p.name, re.IGNORECASE)]
        same += [_Person(start, name, body_role, "", None, True) for start, name, body_role in bodies
                 if start < mention.start and name.lower() != mention.text.lower()
                 and re.search(rf"\b{body.group()}\b", name, re.IGNORECASE)]
        # A country's body is no other country's ("the UK defence ministry" after "Russia's").
        nations = _nations(mention.text)
        if nations:
            same = [p for p in same if not _nations(p.name) or _nations(p.name) & nations]
        return max(same, key=lambda p: p.start) if same else None
    earlier = [p for p in earlier if not _ORGANISATION.search(p.name)]
    # A title with a nationality ("the Russian leader") refers to someone of that nationality: an
    # official of its country, or one introduced with it. Never another country's head of state.
    nationalities = _role_matches(mention.text, ("nationality",))
    if nationalities:
        roles = {role for _, _, role in nationalities} - {"other"}
        cues = {mention.text[s:e] for s, e, _ in nationalities}
        earlier = [p for p in earlier
                   if p.role in roles or any(cue in p.intro for cue in cues)]
    # The head's title word must be shared ("the governor of ..."), unless the head has none
    # ("the head of the General Staff"); more words in common, then the latest, win.
    words, required = _title_words(mention.text), _title_words(head)
    shared = [(len(words & _title_words(p.intro)), p.start, p) for p in earlier
              if (required or words) & _title_words(p.intro)]
    if shared:
        return max(shared, key=lambda entry: entry[:2])[2]
    same = [p for p in earlier if p.role == role and role != "other" and head == mention.text]
    return same[-1] if same else None


def _may_be_body(quote: _Quote, quotes: list[_Quote], text: str, persons: list[_Person]) -> bool:
    """Whether a quote's speaker, named without an organisation word, is a body "it" and "the
    company" refer to: a name one of whose reports so far speaks of it as "it" ("Meridian said in
    a statement that its offer was ..."), with no known first name and no gender from a he/she."""
    words = quote.speaker.split() if quote.speaker else []
    return (bool(words) and words[0] not in _first_name_genders()
            and any(q.speaker == quote.speaker and q.kind == "reported" and q.start <= quote.start
                    and q.attribution is not None and q.attribution.mention.kind == "name"
                    and _ITS.match(text, q.start) is not None for q in quotes)
            and not any(p.name == quote.speaker and p.gender is not None for p in persons))


def _last_opaque_body(quotes: list[_Quote], quote: _Quote, before: int,
                      persons: list[_Person], text: str) -> _Quote | None:
    """The latest quote before ``before`` whose speaker, named as such, is a body under an opaque
    name: no organisation word, nationality, place or role in it (those are found by their word
    or are a nation's), no known first name or he/she, not a title. None if there is none."""
    for earlier in sorted((q for q in quotes if q is not quote and q.speaker and q.start < before
                           and q.attribution is not None and q.attribution.mention.start < before
                           and q.attribution.mention.kind == "name"),
                          key=lambda q: q.attribution.mention.start, reverse=True):
        words = earlier.speaker.split()
        if (words[0] in _first_name_genders() or _ORGANISATION.search(earlier.speaker)
                or _role_matches(earlier.speaker, ("nationality", "place", "role", "outlet"))
                or _is_bare_title_text(earlier.speaker, "name") or not earlier.speaker[:1].isupper()
                or any(p.name == earlier.speaker and p.gender is not None for p in persons)
                or not _reads_as_body(earlier.speaker, text)):
            continue
        return earlier
    return None


def _reads_as_body(name: str, text: str) -> bool:
    """Whether the text treats a name as a body's: a company suffix ("Nimbus Data Corp"), "it"
    or "which" after it ("Ofwat said on Monday its ...", "Rybar, which ..."), or an apposition
    with an organisation word ("Crumb & Co, the high-street bakery company")."""
    if _BODY_SUFFIX.search(" " + name):
        return True
    escaped = re.escape(name)
    return re.search(
        rf"\b{escaped}(?:\s+[a-z]+(?:\s+(?:on|in|at|last|this)\s+[A-Z]?[a-z]+)?\s+(?:that\s+)?(?:it|its)\b|"
        rf",\s+which\b|,\s+(?:the|a|an)\s+[^,.;]{{0,40}}?(?i:{_ORGANISATION.pattern}))", text) is not None


_ITS = re.compile(r"(?:it|its)\b")
# A capital "The" and lower-case words only: a description opening a sentence, named nobody.
_DESCRIPTION_OPENING = re.compile(r"The(?:\s+[a-z][\w-]*){1,2}")
# A capitalised name in the possessive ("Ukraine's", "the United States'"): a country's, when a
# nationality cue.
_COUNTRY_POSSESSIVE = re.compile(r"\b([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)(?:['’]s\b|(?<=s)['’])")


def _resolve(doc: _Document, quotes: list[_Quote], gazetteer: _GazetteerMatcher) -> None:
    """Fill ``speaker`` and ``role`` of each quote, in text order, resolving pronouns and bare
    titles.

    ``he``/``she`` prefer a person named as the subject of the pronoun's sentence or the one
    before, then the speaker of the previous quote, then the last person named, always of a
    compatible gender (from the first gendered pronoun after the person is named).
    """
    text = doc.text
    # Full names in the document: titled persons and capitalised two-word names.
    titled = _person_candidates(doc)
    known_names = [_strip_titles(m.text) for m in titled]
    # (a double-barrelled surname is one word: "Emma Novak-Hill", not "Emma Novak"; accented
    # letters are letters: "Lucía Vidal"). A headline's capitals are its style, not names
    # ("Reformist Vidal wins ..."): only the body's pairs count.
    headline = text.find("\n")
    body_start = headline if headline > 0 and not _SENTENCE_END.search(text[:headline]) else 0
    pairs = set()
    for match in _CAPITALISED_PAIR.finditer(text, body_start):
        name = _pair_name(match.group())
        if name is not None:
            known_names.append(name)
            pairs.add(name)
    # A name with a middle name or patronymic ("Galina Petrovna Sorokina") is the fullest form of
    # the pair of its outer words the article also gives ("Galina Sorokina").
    for match in _CAPITALISED_TRIPLE.finditer(text, body_start) if pairs else ():
        first, middle, last = match.group().split()
        if f"{first} {last}" in pairs and _pair_name(f"{first} {middle}") == f"{first} {middle}":
            known_names.append(match.group())
    known_names = _known(known_names)
    roles: dict[str, str] = {}
    # name -> the mention its role was first asked for with (a person entry asks on creation, and
    # is answered when its role is first read): that mention's sentence is the last one tried.
    asked: dict[str, _Mention] = {}

    def role_of(name: str, mention: _Mention) -> str:
        if name not in roles:
            mention = asked.setdefault(name, mention)
            # (each mention's sentence found only until one tells the role)
            contexts = (doc.sentence_at(at) for at in chain(_each_occurrence(text, name), [mention.start]))
            role = "other"
            for s, e in contexts:
                context = text[s:e]
                role = _classify(name if name in context else mention.text, context, gazetteer,
                                 preceding(s))
                if role != "other":
                    break
            roles[name] = role
        return roles[name]

    @cache  # (asked for the same sentence name after name)
    def preceding(start: int) -> str:
        """The two sentences before ``start`` within its paragraph."""
        index = doc.sentence_index(start)
        first = doc.sentence_spans[max(0, index - 2)][0] if index is not None else start
        return text[max(first, text.rfind("\n", 0, start) + 1) : start]

    def intro(mention: _Mention) -> str:
        # (within the sentence: "Berg told reporters. Kyiv insists" introduces Berg as no Kyiv official)
        sentence_start, sentence_end = doc.sentence_at(mention.start)
        return text[max(sentence_start, mention.start - 60) : min(sentence_end, mention.end + 40)]

    genders: dict[str, str | None] = {}

    def gender(name: str, mention: _Mention) -> str | None:
        """From this mention, else from any mention of the name's last word ("Serhiy remained
        vigilant, though he acknowledges ...")."""
        found = _gender_of(doc, mention.start, mention.end, quoted)
        if found is None and name.split():
            last = name.split()[-1]
            if last not in genders:
                # (not a possessive's: "Sampaio's campaign manager ... she" is about another)
                genders[last] = next(filter(None, (
                    _gender_of(doc, at, at + len(last), quoted) for at in _each_occurrence(text, last)
                    if not text[at + len(last) : at + len(last) + 1].isalnum()
                    and not _POSSESSIVE_END.match(text, at + len(last)))), None)
            found = genders[last]
        return found

    def person(mention: _Mention, subject: bool, speaker: bool = False) -> _Person:
        name = _person_name(mention.text, known_names)
        asked.setdefault(name, mention)
        return _Person(mention.start, name, partial(role_of, name, mention), intro(mention),
                       partial(gender, name, mention), subject, speaker)

    quoted = [(q.start, q.end) for q in quotes if q.kind == "direct"]
    # A "he said"/"she said" being resolved is no evidence of who is which gender: it would give
    # its own gender to whoever was named just before. Treated like a pronoun inside a quote.
    quoted += [(q.attribution.mention.start, q.attribution.mention.end) for q in quotes
               if q.attribution is not None and q.attribution.mention.kind == "pronoun"]
    # A person named inside a direct quote, or only in the possessive ("President Trump's call"),
    # is talked about, not introduced: no title or pronoun refers back to them; nor is a word
    # opening a sentence inside a quote a subject ('"... bad. What has she fixed?" he asked').
    direct_spans = [(q.start, q.end) for q in quotes if q.kind == "direct"]
    subjects = [m for m in _subject_names(doc) if not any(s <= m.start < e for s, e in direct_spans)]
    subject_starts = {m.start for m in subjects}
    titled = [m for m in titled if not _POSSESSIVE_NAME.search(m.text)
              and not any(s <= m.start < e for s, e in direct_spans)]
    def opens_sentence(m: _Mention) -> bool:
        """A titled name as its sentence's subject ("Former police chief Karl Brandt, 63, shot")."""
        sentence_start, sentence_end = doc.sentence_at(m.start)
        lead = _SENTENCE_LEAD.match(text, sentence_start, m.start)
        title = text[lead.end() if lead else sentence_start : m.start]
        return (len(title.split()) <= 4 and not re.search(r"[,;:\"“”]", title)
                and not _OBJECT_OF_PREPOSITION.search(title)
                and bool(re.match(r",|\s+(?:[a-z]+s|[a-z]+ed|is|was|has|had)\b", text[m.end : sentence_end])
                         or _PAST_VERB.match(text, m.end + 1)))

    persons = [person(m, m.start in subject_starts or opens_sentence(m)) for m in titled]
    titled_starts = {p.start for p in persons}
    persons += [person(m, True) for m in subjects
                if m.start not in titled_starts and _is_person(m) and not _is_bare_title(m)]
    # A person introduced by a call sign ("His commander, a major with the call sign "Dyak"") is
    # one a title refers back to ("the major said"); the title is in the words of its clause.
    # (Only titles: a "he" in the clause is as often about someone the sign's holder talks about.)
    signs: list[_Person] = []
    for sign in _CALL_SIGN.finditer(text):
        if not any(s <= sign.start() < e for s, e in direct_spans):
            mention = _Mention(sign.group(1), sign.start(1), sign.end(1), "name")
            # A full name in apposition after the sign is the person's fullest name ("a drone
            # unit commander with the call sign Kit, Dmytro Shevchuk, described ...").
            apposed = _APPOSED_FULL_NAME.match(text, sign.end(1))
            if apposed is not None and _role_matches(apposed.group(1), ("role", "nationality", "place", "outlet")):
                apposed = None
            name = apposed.group(1) if apposed is not None else mention.text
            sentence_start, _ = doc.sentence_at(sign.start())
            clause = max(sentence_start, sign.start() - 60, text.rfind(",", 0, sign.start()) + 1)
            signs.append(_Person(mention.start, name, "soldier", text[clause : mention.end],
                                 partial(gender, mention.text, mention), False))
            closing = re.compile(r"[\"”»]?,\s+|\s+").match(text, apposed.end()) if apposed else re.match(
                r"[\"”»]?,\s+", text[sign.end(1):])
            verb_at = (closing.end() if apposed else sign.end(1) + closing.end()) if closing is not None else -1
            named = any(p.subject and sentence_start <= p.start < sign.start() for p in persons)
            if (closing is not None and not named
                    and (re.match(r"(?:[a-z]+s|is|was|has|had)\b", text[verb_at:])
                         or _PAST_VERB.match(text, verb_at))):
                # The sign closes the sentence's subject ("One of them, a sergeant with the call
                # sign Hutsul, has been in Sudzha since ... He says", "..., who gives his call sign
                # as Bard, spent the spring ..."): a person "he" refers to, unless the subject is
                # named ("Andriy Holub, who goes by the call sign Lys, spent").
                persons.append(_Person(mention.start, name, "soldier", text[clause : mention.end],
                                       partial(gender, mention.text, mention), True))
                persons.sort(key=lambda p: p.start)
    # (start, phrase, role) of the groups and bodies opening a sentence, for "they" and "it" (and
    # titles of bodies): found when first asked for, as most texts have none of those to resolve.
    @cache
    def sentence_openers() -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]:
        """The groups and the bodies, in text order (then those named as speakers, as found)."""
        groups: list[tuple[int, str, str]] = []
        bodies: list[tuple[int, str, str]] = []
        for start, end, _ in doc.sentence_spans:
            # Plural subjects opening a sentence ("Ukrainian officials dismissed ...") for "they".
            plural = _PLURAL_SUBJECT.match(text, start, end)
            if plural and _role_matches(plural.group(1), ("role",)):
                phrase = plural.group(1)
                role = _classify(phrase, text[start:end], gazetteer)
                groups.append((plural.start(1), phrase, role))
            # Bodies opening a sentence ("Ukraine's general staff rejected ...") for "it".
            lead = doc.sentence_lead(start, end)
            body = _BODY_SUBJECT.match(text, lead.end() if lead else start, end)
            if body:
                role = _classify(body.group(1), text[start:end], gazetteer)
                bodies.append((body.start(1), body.group(1), role))
        return groups, bodies

    def _opening_body(index: int, before: int) -> tuple[int, str, str] | None:
        """The last body opening the sentence ``index`` (before ``before``) or the one before it,
        in the same paragraph, its name without "The" or where it is based. A name with no
        organisation word opening the sentence is a body's too when nothing makes it a person's:
        no known first name, title, label's capitals, pronoun soon after or nationality, and not
        inside what is reported ("Network Rail has cancelled ...")."""
        first = doc.sentence_spans[max(0, index - 1)][0]
        first = max(first, text.rfind("\n", 0, before) + 1)
        found = [b for b in sentence_openers()[1] if first <= b[0] < before]
        found += [(p.start, p.name, p.role) for p in persons if p.subject and first <= p.start < before
                  and p.start not in titled_starts and not p.name.isupper()
                  and not any(q.start <= p.start < q.end for q in quotes)
                  and p.name.split()[0] not in _first_name_genders() and p.gender is None
                  and (named := _NAME.match(text, p.start)) is not None
                  and not _PERSON_WORD_SOON.match(text, named.end())
                  and not _role_matches(named.group(), ("nationality", "place", "role", "outlet"))]
        found.sort()
        if not found:
            return None
        start, phrase, role = found[-1]
        name = re.sub(r"^(?:[Tt]he\s+)?(?:[\w.’'-]+-based\s+)?", "", phrase)
        return (start, name, role) if name[:1].isupper() else None

    for start, end, _ in doc.sentence_spans:
        lead = doc.sentence_lead(start, end)
        # An unnamed person described opening a sentence ("A company commander in the same
        # brigade put it differently. He told me ...") for "he"/"she": the words up to the role.
        described = _DESCRIBED_SUBJECT.match(text, lead.end() if lead else start, end)
        if described:
            cues = [e for _, e, _ in _role_matches(described.group(), ("role",))]
            phrase = described.group()[: max(cues)] if cues else ""
            sign = _CALL_SIGN.search(text, described.end(), end) or _NAMED_PERSON.match(text, described.start(), end)
            if sign is not None:  # "A platoon commander ..., who goes by the call sign Vyshnia", "named Viktor"
                phrase = ""
            if phrase and not _names_body(phrase) and not re.search(r"s$", phrase):
                at = described.start()
                persons.append(_Person(at, phrase, partial(_classify, phrase, text[start:end], gazetteer),
                                       text[at : at + len(phrase) + 40], None, True))
    persons.sort(key=lambda p: p.start)

    def pronoun_referent(mention: _Mention, quote: _Quote, previous: _Quote | None) -> _Person | None:
        gender = "m" if _subject_pronoun(mention.text) == "he" else "f"
        # A "he"/"she" after what was said is no one named in it ("Western capitals bear the
        # blame, she stressed"); a "his"/"her" may be ("Lund met the crews, his office said").
        before = min(mention.start, quote.start) if mention.text.lower() in ("he", "she") else mention.start
        if _PARENTHETICAL.match(text, mention.end) and text[: mention.start].rstrip().endswith(","):
            # "Putin, he added, had been briefed": what precedes the inserted "he added" is what
            # was said, so no one named there is the speaker.
            before = doc.sentence_at(mention.start)[0]
        pool = [p for p in persons if p.start < before and p.gender in (None, gender)
                and _is_individual(p) and not _OUTLET_BEFORE.search(text, max(0, p.start - 30), p.start)]
        if not pool:
            return None
        # Of persons equally placed, one known to be of the pronoun's gender comes first.
        known = [p for p in pool if p.gender == gender]
        index = doc.sentence_index(min(mention.start, quote.start))
        if index is not None:
            # The sentence before the quote (and its attribution) begins counts too.
            window_start = doc.sentence_spans[max(0, index - 1)][0]
            subjects = [p for p in pool if p.subject and p.start >= window_start]
            if subjects:
                return ([p for p in subjects if p.gender == gender] or subjects)[-1]
            # Else a person met before, named again in these sentences before the quote, not as
            # a subject ('Here is more from Ushakov, who was speaking to ... "...," he said').
            head = text[window_start : min(mention.start, quote.start)]
            named_here = []
            for p in pool:
                last = p.name.split()[-1]
                if _FUNCTION_WORD.fullmatch(last) or not last[:1].isupper():
                    continue
                at = head.rfind(last)
                if (at >= 0 and not head[at + len(last) : at + len(last) + 1].isalnum()
                        and not head[at - 1 : at].isalnum() and not _POSSESSIVE_END.match(head, at + len(last))):
                    named_here.append((at, p.start, p))
            if named_here:
                return max(named_here, key=lambda entry: entry[:2])[2]
        if previous is not None and previous.speaker is not None:
            # (unless another person has since been named as a subject: the story moved on to them)
            since = max(previous.end, previous.attribution.mention.end if previous.attribution else 0)
            topics = [p for p in pool if p.subject and p.start > since and p.name != previous.speaker]
            if topics:
                return ([p for p in topics if p.gender == gender] or topics)[-1]
            for p in reversed(pool):
                if p.speaker and p.name == previous.speaker:
                    return p
        return (known or pool)[-1]

    def told_between(start: int, end: int) -> int:
        """Sentences from the one at ``start`` to the one at ``end``, less those wholly inside a
        direct quote: a speaker's quotation running on over sentences moves the story nowhere."""
        first, last = doc.sentence_index(start), doc.sentence_index(end)
        return sum(1 for s, e, _ in doc.sentence_spans[first + 1 : last + 1]
                   if not any(qs <= s and e <= qe + 1 for qs, qe in direct_spans))

    def window_subject(mention: _Mention, quote: _Quote) -> _Person | None:
        """The last individual named, outside quotes and before ``mention``, as the subject of
        the sentence where the quote or its attribution begins or of the one before: the person
        the story is about there."""
        index = doc.sentence_index(min(mention.start, quote.start))
        if index is None:
            return None
        window_start = doc.sentence_spans[max(0, index - 1)][0]
        subjects = [p for p in persons if p.subject and _is_individual(p) and p.name != mention.text
                    and window_start <= p.start < mention.start
                    and not any(s <= p.start < e for s, e in direct_spans)]
        return subjects[-1] if subjects else None

    def _described_subject(mention: _Mention, quote: _Quote) -> _Person | None:
        """The :func:`window_subject` that a person's description ("the Russian leader", "the
        ombudsman", "the 38-year-old", "the Belgian") refers back to: the story stays with its
        subject. Not a body's description ("the ministry"), nor one of another nation than the
        subject's, nor a title another person was introduced with."""
        if _body_head(_head(mention.text)):
            return None
        subject = window_subject(mention, quote)
        if subject is None:
            return None
        # A title another person was introduced with, and the subject not, is theirs ("Acting
        # Governor Pavel Dorn ... Chief of the General Staff Ivo Stark said ... the head of the
        # region wrote"): left to _refers_back.
        nations = {mention.text[s:e].lower() for s, e, _ in _role_matches(mention.text, ("nationality",))}
        words = _title_words(mention.text) - nations
        if words and not words & _title_words(subject.intro) and any(
                words & _title_words(re.split(r"[,.;:\"“”()\n]", text[max(0, p.start - 60) : p.start])[-1])
                for p in persons if p.start < mention.start and p.name != subject.name and _is_individual(p)):
            return None
        nationalities = _role_matches(mention.text, ("nationality",))
        if nationalities:
            roles = {role for _, _, role in nationalities} - {"other"}
            cues = {mention.text[s:e] for s, e, _ in nationalities}
            if not (subject.role in roles or any(cue in subject.intro for cue in cues)
                    or (not roles and subject.role == "other")):
                return None
        return subject

    previous: _Quote | None = None
    label_roles: dict[str, str] = {}
    turns = [q for q in quotes if q.attribution is not None and q.attribution.mention.kind == "label"]
    for quote in sorted(
        quotes, key=lambda q: (q.attribution.mention.start if q.attribution else q.start)
    ):
        if quote.attribution is None:
            continue
        mention = quote.attribution.mention
        if mention.kind == "name" and _DESCRIPTION_OPENING.fullmatch(mention.text):
            # "The thinktank said" opening a sentence: a description, as "the thinktank" would be.
            mention = _Mention(mention.text, mention.start, mention.end, "phrase")
        if mention.kind == "label":
            # A transcript label ("MIKE WALTZ, NATIONAL SECURITY ADVISER", "Hrim"): its own
            # title tells the role, else the name's other mentions.
            quote.speaker = _full_name(mention.text, known_names)
            title = quote.attribution.cue.partition(",")[2].strip().lower()
            if title and _role_matches(title, ("role",)):
                quote.role = _classify(mention.text, f"{mention.text}, {title}", gazetteer)
                label_roles[quote.speaker] = quote.role  # "PIERCE:" after "DANA PIERCE, HOST:"
            else:
                quote.role = label_roles.get(quote.speaker) or role_of(quote.speaker, mention)
            previous = quote
            continue
        if mention.kind == "pronoun":
            pronoun = _subject_pronoun(mention.text)
            if pronoun in _FIRST_PERSON:
                # "I told my brigade commander ..." inside an answer: the answering speaker.
                turn = next((t for t in turns if t.start <= mention.start < t.end), None)
                if turn is not None:
                    quote.speaker, quote.role = turn.speaker, turn.role
            elif pronoun in _PERSON_PRONOUNS:
                referent = pronoun_referent(mention, quote, previous)
                if referent is not None:
                    quote.speaker, quote.role = referent.name, referent.role
            elif pronoun == "it":
                # "it said": the body that spoke last or opened this sentence or one of the two before.
                index = doc.sentence_index(mention.start)
                window_start = doc.sentence_spans[max(0, (index or 0) - 2)][0]
                earlier = [b for b in sentence_openers()[1] if window_start <= b[0] < mention.start]
                if (previous is not None and previous.speaker is not None and previous.attribution
                        and previous.attribution.mention.start >= window_start
                        and (_ORGANISATION.search(previous.speaker) or _may_be_body(previous, quotes, text, persons))):
                    earlier.append((previous.attribution.mention.start, previous.speaker, previous.role))
                if earlier:
                    _, quote.speaker, quote.role = max(earlier)
            else:
                earlier = [g for g in sentence_openers()[0] if g[0] < mention.start]
                if earlier:
                    _, quote.speaker, quote.role = max(earlier)
            previous = quote
            continue
        if (previous is not None and previous.attribution is not None
                and previous.attribution.mention == mention):
            # One subject's second report ("The general admitted ..., but said ..."): the same
            # speaker, not a description of the first report's speaker.
            quote.speaker, quote.role = previous.speaker, previous.role
            previous = quote
            continue
        sentence_start, sentence_end = doc.sentence_at(mention.start)
        if mention.kind == "phrase":
            quote.speaker = mention.text
            quote.role = _classify(mention.text, text[sentence_start:sentence_end], gazetteer,
                                   preceding(sentence_start))
            whose = re.match(r"(?:its|their)\s+(?=[a-z])", mention.text, re.IGNORECASE)
            if whose is not None:
                # "Its press service said" after "... sent questions to the General Staff.": the
                # press service of the last body named in this sentence or the one before.
                index = doc.sentence_index(mention.start)
                window_start = doc.sentence_spans[max(0, (index or 0) - 1)][0]
                named = [m.group() for m in _NAME.finditer(text, window_start, mention.start)
                         if _ORGANISATION.search(m.group()) and not _FUNCTION_WORD.fullmatch(m.group())]
                if named:
                    body = re.sub(r"^(?:The|the)\s+", "", named[-1]).rstrip(".")
                    quote.speaker = f"{body}'s {mention.text[whose.end():]}"
                    quote.role = _classify(body, text[window_start:sentence_end], gazetteer)
            country = re.match(r"the\s+country['’]s\s+(?=[a-z])", mention.text, re.IGNORECASE)
            if country is not None:
                # "..., the country's air force said" after "... at Ukraine's energy facilities":
                # the body of the last country named in the possessive in this sentence or the one
                # before, as "its" is the last body's.
                index = doc.sentence_index(mention.start)
                window_start = doc.sentence_spans[max(0, (index or 0) - 1)][0]
                owners = [m.group(1) for m in _COUNTRY_POSSESSIVE.finditer(text, window_start, mention.start)
                          if any(s == 0 and e == len(m.group(1))
                                 for s, e, _ in _role_matches(m.group(1), ("nationality",)))]
                if owners:
                    quote.speaker = f"{owners[-1]}'s {mention.text[country.end():]}"
                    quote.role = _classify(quote.speaker, text[sentence_start:sentence_end], gazetteer)
            his = re.match(r"(his|her)\s+(?=[a-z])", mention.text, re.IGNORECASE)
            owner = pronoun_referent(_Mention(his.group(1), mention.start, mention.start + len(his.group(1)),
                                              "pronoun"), quote, previous) if his else None
            if owner is not None:
                # "his office said", "Her spokesman said": the office or spokesman of the person
                # "his"/"her" refers to, as "he"/"she" would ("Teresa Bryce's spokesman").
                quote.speaker = f"{_strip_titles(owner.name)}'s {mention.text[his.end():]}"
            mine = re.match(r"(?:my|our)\s+(?=[a-z])", mention.text, re.IGNORECASE)
            turn = next((t for t in turns if t.start <= mention.start < t.end), None) if mine else None
            if turn is not None and turn.attribution is not None:
                # "My commander told me ..." inside an answer: the commander of the answering
                # speaker, named as the label names them ("TYKHYI:" -> "Tykhyi's commander").
                label = turn.attribution.mention.text
                owner = label.title() if label.isupper() else label
                quote.speaker = f"{owner}'s {mention.text[mine.end():]}"
        else:
            quote.speaker = _person_name(mention.text, known_names)
            quote.role = role_of(quote.speaker, mention)
        if (mention.kind == "phrase" and quote.attribution.cue == ":" and "\n" not in text[: mention.start]
                and re.match(r"(?:a|an)\s", mention.text)):
            # A headline's description of its quote's speaker: the story's first person of its
            # role, else its first person.
            later = [p for p in persons if p.start > mention.end and _is_individual(p)]
            referent = next((p for p in later if p.role == quote.role), later[0] if later else None)
            if referent is not None:
                quote.speaker, quote.role = referent.name, referent.role
        elif _is_bare_title(mention) and not (mention.kind == "phrase" and quote.speaker != mention.text):
            # (a phrase resolved above, "the country's air force" -> "Ukraine's air force", is no
            # bare title any more)
            # "the President", "the Russian leader" refer back to the person they title: the
            # person just named as a subject when of its nation, else the last so titled.
            referent = _described_subject(mention, quote) or _refers_back(
                mention, quote.role, sorted(persons + signs, key=lambda p: p.start) if signs else persons,
                sentence_openers()[1])
            head = _head(mention.text)
            body = _body_head(head) if referent is None and mention.kind == "phrase" else None
            if body is not None and head == mention.text and not _nations(mention.text):
                # "the institute wrote" after "Analysts at the Institute for the Study of War":
                # the last body named with its word anywhere before, outside quotes; or named
                # right after the word as its title ("the group wrote" after "The monitoring group
                # FrontMap ... says", "the channel" after "Telegram channel Dvor").
                word = re.compile(rf"\b{body.group()}\b", re.IGNORECASE)
                named = [(m.start(), m.group()) for m in _NAME.finditer(text, 0, mention.start)
                         if word.search(m.group()) and m.group()[:1].isupper()
                         and not _FUNCTION_WORD.fullmatch(m.group())
                         and not any(s <= m.start() < e for s, e in direct_spans)]
                titled_by = re.compile(rf"\b{body.group()}\s+({_NAME.pattern})")
                named += [(m.start(1), m.group(1)) for m in titled_by.finditer(text, 0, mention.start)
                          if not _FUNCTION_WORD.fullmatch(m.group(1).split()[0])
                          and not any(s <= m.start() < e for s, e in direct_spans)]
                # or described with the word in apposition ("Rybar, an influential Telegram
                # channel run by ...": "the channel wrote").
                described, apposition = _described_by(body.group())
                if apposition.search(text, 0, mention.start):  # (rarely: most documents skip the scan)
                    named += [(m.start(1), m.group(1)) for m in described.finditer(text, 0, mention.start)
                              if m.group(1)[:1].isupper() and not _FUNCTION_WORD.fullmatch(m.group(1).split()[0])
                              and not any(s <= m.start() < e for s, e in direct_spans)]
                if named:
                    at, found = max(named)
                    name = re.sub(r"^(?:The|the)\s+", "", found).rstrip(".")
                    referent = _Person(at, name, _classify(name, text[slice(*doc.sentence_at(at))], gazetteer),
                                       "", None, True)
            if (referent is None and mention.kind == "phrase" and not _body_head(head)
                    and _role_matches(head, ("role",))):
                # "the alliance chief said" after "NATO Secretary General Mark Rutte said ...":
                # a person's description with a role, naming the subject nearby even where
                # _described_subject's title and nation checks found none.
                referent = window_subject(mention, quote)
            index = doc.sentence_index(mention.start)
            if (referent is None and index is not None and not _body_head(head)
                    and _role_matches(head, ("role",))
                    and not any(p.start < mention.start and _is_individual(p) for p in persons)):
                # A lead's title before anyone is named ("Ukraine's top commander said ... "...,"
                # Commander-in-Chief Oleksandr Syrskyi wrote"): the next person of that title.
                window_end = doc.sentence_spans[min(len(doc.sentence_spans) - 1, index + 2)][1]
                words = _title_words(head)
                later = [p for p in persons if mention.end <= p.start < window_end
                         and words & _title_words(p.intro)]
                referent = later[0] if later else None
            if (referent is None and "\n" not in text[: mention.start] and quote.role != "other"
                    and not _names_body(head)):
                # A headline's description ("Ukraine's top general says ...") is the first person
                # of the same official role the story names.
                later = [p for p in persons if p.start > mention.end and _is_individual(p)
                         and p.role == quote.role]
                referent = later[0] if later else None
            # A lower-case description whose head is a body's word, naming no nation ("the company",
            # "the forecaster"; not a body's name: "the General Staff"): which body it means is
            # looked for three ways below.
            describes_body = (mention.kind == "phrase" and head == mention.text and _body_head(head) is not None
                              and not _nations(mention.text) and mention.text.split(None, 1)[-1].islower())
            if referent is not None:
                quote.speaker, quote.role = referent.name, referent.role
                if _is_individual(referent) and mention.start > referent.start:
                    # The description is a mention of the person too: a later title refers back
                    # through it ("the Russian leader said ... the head of state emphasized").
                    persons.append(_Person(mention.start, referent.name, referent.role, intro(mention),
                                           referent.gender, False, True))
                    persons.sort(key=lambda p: p.start)
            elif (describes_body and index is not None and previous is not None
                  and previous.attribution is not None and previous.speaker is not None
                  and doc.sentence_index(previous.attribution.mention.start) is not None
                  and index - doc.sentence_index(previous.attribution.mention.start) <= 1
                  # (a body whose name is a role cue too: "Institute for the Study of War")
                  and (_names_body(previous.speaker) or _may_be_body(previous, quotes, text, persons)
                       or _ORGANISATION.search(_OF_OR_FOR.split(previous.speaker, maxsplit=1)[0]))):
                # "The company denied ..." right after "Western Ridge Power, the local utility,
                # said ...", no body named with "company": the body that just spoke.
                quote.speaker, quote.role = previous.speaker, previous.role
            elif (describes_body and index is not None
                  and (opener := _opening_body(index, mention.start)) is not None):
                # "the forecaster said" after "The Met Office issued an amber warning ...": the
                # body the sentence before (or this one) opens with, in the same paragraph.
                quote.speaker, quote.role = opener[1], opener[2]
            elif (describes_body
                  and (spoken := _last_opaque_body(quotes, quote, mention.start, persons, text)) is not None):
                # "The company said ..." after "Southmoor Water said ...", with a person's quote
                # between: the last body that spoke under a name with no organisation word in it
                # ("Nimbus Data Corp", "Ukrenergo", "Ofwat") -- the one such a description can mean.
                quote.speaker, quote.role = spoken.speaker, spoken.role
            elif ((mention.kind == "phrase" or _is_demonym(mention, text)) and head == mention.text
                  and not _body_head(head)
                  and index is not None
                  and previous is not None and previous.speaker is not None
                  and previous.attribution is not None
                  and previous.attribution.mention.kind not in ("phrase", "label")  # (nor a turn's label)
                  and _is_individual(_Person(0, previous.speaker, "", "", None, False))
                  and doc.sentence_index(previous.attribution.mention.start) is not None
                  and told_between(previous.attribution.mention.start, mention.start) <= 2
                  and not re.search(rf"\b{re.escape(head.split()[-1])}\b",
                                    text[previous.attribution.mention.end : mention.start], re.IGNORECASE)
                  and not (previous.role in _ROLE_SIDES and any(
                      r != previous.role for _, _, r in _role_matches(head, ("nationality",))))):
                # A description no title matches ("the diplomat emphasised", "the 52-year-old
                # said", "the Italian added") right after a named person spoke: that person,
                # described anew (unless someone else was just described so: "His commander, a
                # major, ... the major said", or it is of another nation than the official).
                # "The governor of X" names itself.
                quote.speaker, quote.role = previous.speaker, previous.role
        elif mention.kind == "phrase" and re.search(
                r"s\b", _head(mention.text).split()[-1]):
            sentence_openers()[0].append((mention.start, quote.speaker, quote.role))  # "soldiers interviewed by"
        elif mention.kind == "phrase" or _is_person(
                _Mention(quote.speaker, mention.start, mention.end, mention.kind)):
            # (a titled name is a person: "Chief of the General Staff Valery Gerasimov")
            subject = mention.start - sentence_start < 60
            persons.append(_Person(mention.start, quote.speaker, quote.role, intro(mention),
                                   partial(gender, quote.speaker, mention), subject, True))
            persons.sort(key=lambda p: p.start)
        previous = quote
    for quote in quotes:
        # A lead's description of its speaker, the title of the person named next, within two
        # sentences ("A federal judge on Thursday sentenced ..., calling ... "...". U.S. District
        # Judge Margaret Ellison said"): that person, once every speaker is known.
        mention = quote.attribution.mention if quote.attribution is not None else None
        index = doc.sentence_index(mention.start) if mention is not None else None
        if (index is None or mention.kind != "phrase" or quote.speaker != mention.text
                or not re.match(r"(?:A|An)\s[a-z]", mention.text) or text.count("\n\n", 0, mention.start) > 1
                or any(p.start < mention.start and _is_individual(p) for p in persons)):
            continue
        noun = re.compile(rf"\b{re.escape(mention.text.split()[-1])}\b", re.IGNORECASE)
        window_end = doc.sentence_spans[min(len(doc.sentence_spans) - 1, index + 2)][1]
        later = [p for p in persons if mention.end <= p.start < window_end and p.name != mention.text
                 and _is_individual(p) and noun.search(text, max(0, p.start - 30), p.start + len(p.name))]
        if later:
            quote.speaker, quote.role = later[0].name, later[0].role
    for quote in quotes:
        # A paragraph that is only a quotation, after a paragraph quoting no one that introduces
        # one person only ('I met one of them, ... who asked that only his first name, Artyom, be
        # used. He was captured ...'), is that person's.
        if quote.kind != "direct" or quote.attribution is not None or quote.speaker is not None:
            continue
        paragraph_start = text.rfind("\n", 0, quote.start) + 1
        paragraph_end = text.find("\n", quote.end)
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        if (text[paragraph_start : quote.start].strip(" \"“„«") or text[quote.end : paragraph_end].strip(" \"”»")
                or not _is_full_sentence(text[quote.start : quote.end])):
            continue
        before_end = len(text[:paragraph_start].rstrip())
        before_start = text.rfind("\n", 0, before_end) + 1
        if before_end <= before_start or any(before_start <= q.start < before_end for q in quotes):
            continue
        names = {p.name: p for p in persons + signs if before_start <= p.start < before_end and _is_individual(p)}
        for pattern in (_FIRST_NAME_GIVEN, _NAMED_PERSON):
            for given in pattern.finditer(text, before_start, before_end):
                names.setdefault(given.group(1), _Person(given.start(1), given.group(1), "other", "", None, True))
        if len(names) == 1:
            [(name, person)] = names.items()
            quote.speaker, quote.role = name, person.role
    for quote in quotes:
        # A full quoted sentence without attribution opening the sentence right after one whose
        # subject is a named person, in the same paragraph and quoting no one, is that person's
        # ('Zelensky accused his counterpart of stalling. "Putin is lying."').
        if quote.kind != "direct" or quote.attribution is not None or quote.speaker is not None:
            continue
        index = doc.sentence_index(quote.start)
        if not index or not _is_full_sentence(text[quote.start : quote.end]):
            continue
        before_start, before_end, _ = doc.sentence_spans[index - 1]
        if (text[doc.sentence_spans[index][0] : quote.start].strip(" \"“„«")
                or "\n" in text[before_start : quote.start]
                or any(before_start <= q.start < before_end for q in quotes if q.kind == "direct")):
            continue
        lead = doc.sentence_lead(before_start, before_end)
        opening = lead.end() if lead else before_start
        # (a full name: one capitalised word opening a sentence may be an adverb, "Personally")
        subjects = [p for p in persons if p.subject and _is_individual(p) and len(p.name.split()) > 1
                    and opening <= p.start < opening + 60 and p.start < before_end]
        if subjects:
            quote.speaker, quote.role = subjects[0].name, subjects[0].role


@cache
def _war_cue_pattern() -> re.Pattern[str]:
    """Nationality and place cues of the war's two sides ("Ukrainian", "Kremlin", "Kursk"), as
    :func:`_role_cue_pattern` matches them. Searched for in every whole document, so built with
    each cue's first character before the look-behind: a pattern opening with a set of (here
    capital) letters is searched for them, several times faster than one opening with a
    look-behind, tried at every position."""
    table = load_speaker_roles()
    war = table[table["kind"].isin(("nationality", "place"))
                & (table["side"].isin(("ukraine", "russia"))
                   | table["role"].isin(("ukrainian_official", "russian_official")))]
    rests: dict[str, set[str]] = {}
    for cue in war["cue"]:
        rests.setdefault(cue[0], set()).add(cue[1:])
    branches = []
    for first, rest in sorted(rests.items()):
        # (longest first, as literal_alternation: a cue that is its first character alone last)
        tail = literal_alternation(rest - {""}) if rest - {""} else ""
        tail = f"(?:{tail}|)" if tail and "" in rest else tail
        branches.append(re.escape(first) + rf"(?<![\w.]{re.escape(first)})" + tail)
    return re.compile("(?:" + "|".join(branches) + r")(?![\w])")


def _names_war_actor(text: str, gazetteer: _GazetteerMatcher) -> bool:
    """Whether ``text`` names an actor of the gazetteer on either side of the war ("Gerasimov")."""
    if gazetteer.pattern is None:
        return False
    sides = _cue_sides()
    return any(sides.get(("actor_group", gazetteer.groups[m.group()].lower())) in ("ukraine", "russia")
               for m in gazetteer.pattern.finditer(text))


def _assign_sides(doc: _Document, quotes: list[_Quote], gazetteer: _GazetteerMatcher) -> None:
    """Fill ``side`` of each quote with a speaker and no side yet (see :func:`_side`), from the
    sentences naming the speaker and the one of its attribution. A soldier's are read without the
    quoted words: what a soldier says of others ("furious that the pause on US intelligence came
    late", "Russian drones hunt every car") does not tell which army the soldier serves in. In a
    text that names neither side of the war (no Ukrainian or Russian nationality or place cue, no
    actor of theirs in the gazetteer), every speaker's side is ``other``: a flood, a strike or an
    election has no side in the war."""
    if _war_cue_pattern().search(doc.text) is None and not _names_war_actor(doc.text, gazetteer):
        for quote in quotes:
            if quote.speaker is not None:
                quote.side = "other"
        return
    sides: dict[tuple[str, str | None], str | None] = {}

    @cache
    def unquoted() -> str:
        """The text without its quotes, made when a soldier's side first needs it."""
        spoken = list(doc.text)
        for other in quotes:
            spoken[other.start:other.end] = " " * (other.end - other.start)
        return "".join(spoken)

    def sentences_naming(quote: _Quote) -> Callable[[], list[str]]:
        """The sentences naming ``quote``'s speaker and the one of its attribution, made when
        first asked for (a speaker's name often tells its side alone)."""

        @cache
        def contexts() -> list[str]:
            starts = _occurrences(doc.text, quote.speaker)
            if quote.attribution is not None:
                starts.append(quote.attribution.mention.start)
            text = unquoted() if quote.role == "soldier" else doc.text
            return [text[slice(*doc.sentence_at(start))] for start in starts]

        return contexts

    for quote in quotes:
        if quote.speaker is None or quote.side is not None:
            continue
        key = (quote.speaker, quote.role)
        if key not in sides:
            contexts = sentences_naming(quote)
            mention = quote.attribution.mention.text if quote.attribution is not None else ""
            sides[key] = _side(quote.speaker, quote.role, contexts, gazetteer) or (
                _side(mention, quote.role, contexts, gazetteer) if mention else None)
        quote.side = sides[key]


def _inherit_continuations(doc: _Document, quotes: list[_Quote]) -> None:
    """Give an unattributed direct quote the speaker of the quote it continues.

    A quote continues the attributed quote just before it (``"A," he said. "B."``); a quote
    separated from the next by nothing but a paragraph break is the first part of a quote
    spanning paragraphs, attributed at its end.
    """
    direct = sorted((q for q in quotes if q.kind == "direct"), key=lambda q: q.start)
    # A full quoted sentence opening the sentence right after a reported quote of the same
    # paragraph goes on with its speaker ('Viktor said he had lost his house. "Nobody has
    # explained anything to us."').
    for quote in direct:
        if quote.speaker is not None or quote.attribution is not None:
            continue
        index = doc.sentence_index(quote.start)
        # (or after a bare label: 'Quote: "..."')
        line_start = doc.text.rfind("\n", 0, quote.start) + 1
        label = _QUOTE_LABEL.match(doc.text, line_start, quote.start)
        sentence_start = doc.sentence_spans[index][0] if index else 0
        if label is not None and not label.group(1) and sentence_start <= line_start:
            sentence_start = label.end()
        if not index or doc.text[sentence_start : quote.start].strip(" \"“„«"):
            continue
        before_start, before_end, _ = doc.sentence_spans[index - 1]
        reported = [q for q in quotes if q.kind == "reported" and q.speaker is not None
                    and before_start <= q.start < before_end]
        # (or one opening the next paragraph: 'He says the glide bombs are not the worst of it.
        # ¶ "The worst is the old women ..."')
        opening = doc.text[label.end() if label and not label.group(1) else line_start : quote.start]
        if (reported and ("\n" not in doc.text[before_start : quote.start] or (
                    "\n" not in doc.text[before_start:before_end] and not opening.strip(" \"“„«")
                    and not doc.text[before_end : line_start].strip()))
                and not any(before_start <= q.start < quote.start for q in direct)
                and _is_full_sentence(doc.text[quote.start : quote.end])):
            source = max(reported, key=lambda q: q.start)
            quote.attribution = source.attribution
            quote.speaker, quote.role = source.speaker, source.role
    for previous, quote in zip(direct, direct[1:]):
        if quote.attribution is not None or quote.speaker is not None or previous.speaker is None:
            continue  # (nothing to inherit: the gap is looked at only for a quote that may)
        gap = doc.text[previous.end : quote.start]
        sentence_start, _ = doc.sentence_at(quote.start)
        opens_sentence = not doc.text[sentence_start : quote.start - 1].strip()
        words = _word_count(gap, _GAP_WORDS_COUNTED)
        # The second piece of a split quote ('"The bigger risk," he added, "is what ..."').
        split = (previous.attribution is not None and words <= MAX_CONTINUATION_GAP_WORDS
                 and previous.end <= previous.attribution.cue_start < quote.start)
        # Or narration about the speaker, by pronoun, naming no one else ('"...," she told me.
        # We were sitting in a café, and she kept turning her phone face down. "..."').
        mention = previous.attribution.mention if previous.attribution is not None else None
        narration = (doc.text[mention.end : quote.start]
                     if mention is not None and previous.end <= mention.start < quote.start else gap)
        narrated = (words <= MAX_NARRATED_GAP_WORDS and _GENDERED.search(narration) is not None
                    and _TWO_WORD_NAME.search(narration) is None)
        # Or it opens the sentence right after the one ending with the previous quote's
        # attribution ('"A," said Raj Mehta, whose shop was flooded. "B."').
        attributed_after = (mention is not None and previous.end <= mention.start < quote.start
                            and doc.sentence_index(quote.start) is not None
                            and doc.sentence_index(mention.start) is not None
                            and doc.sentence_index(quote.start) == doc.sentence_index(mention.start) + 1)
        if (
            quote.attribution is None
            and quote.speaker is None
            and previous.speaker is not None
            and (opens_sentence or split)
            and not _is_scare_quote(doc, quote)
            and (words <= MAX_CONTINUATION_GAP_WORDS or split or narrated or attributed_after)
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


# A gap between quotes is counted up to one word more than the longest gap that joins them.
_GAP_WORDS_COUNTED = max(MAX_CONTINUATION_GAP_WORDS, MAX_NARRATED_GAP_WORDS) + 1


def _word_count(text: str, limit: int) -> int:
    """The number of words (:data:`_WORD`) in ``text``, at most ``limit``: where only a few
    words matter, a long text is not counted through."""
    return len(list(islice(_WORD.finditer(text), limit)))


def _is_full_sentence(content: str) -> bool:
    return bool(_SENTENCE_END.search(content)) and content[:1].isupper()


def _is_scare_quote(doc: _Document, quote: _Quote) -> bool:
    content = doc.text[quote.start : quote.end]
    full_sentence = _is_full_sentence(content)
    return (
        quote.attribution is None
        and not full_sentence
        and _word_count(content, MIN_UNATTRIBUTED_WORDS) < MIN_UNATTRIBUTED_WORDS
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
        - ``side`` (str or null): one of :data:`SIDES`, the side the speaker belongs to: the
          actor group of the speaker (actor mentions, gazetteer), else its official role
          (``ukrainian_official`` -> ``ukraine``), else an outlet in its name, else the
          nearest nationality cue to a mention of it; null when none tells; ``other`` for
          every speaker of a text naming neither side of the war
        - ``cue`` (str or null): the attribution verb or phrase as written ("said",
          "according to"), or a transcript's speaker label ("MIKE WALTZ, NATIONAL SECURITY ADVISER")
        - ``sentiment`` (float64): VADER compound of ``text``: the tone of the quote, not
          sentiment toward a target (a quote has none defined; actors get theirs in ``actor_mentions``)
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
        matcher.roles.clear()  # (its keys hold the document's sentences: kept for one document)
        _subject_of.cache_clear()  # (keyed by the document's text: kept for one document too)
        _local_window.cache_clear()  # (keyed by its sentences: likewise)
        direct = _direct_quotes(doc)
        reported = _reported_speech(doc, [(q.start, q.end) for q in direct])
        # An answer's turn is a quotation holding the speech quoted or reported inside it.
        quotes = _merge_partial_quotes(doc, direct, reported) + _transcript_turns(doc)
        _resolve(doc, quotes, matcher)
        # "the Washington-based Institute": where a body is based is not whose it is.
        _apply_actor_mentions(quotes, [m for m in mentions_by_doc.get(doc_id, ())
                                       if not text.startswith("-based", m[1])])
        _inherit_continuations(doc, quotes)
        full_names: dict[tuple[str, str | None], str] = {}  # (a speaker speaks quote after quote)
        for quote in quotes:
            if quote.speaker is not None:
                key = (quote.speaker, quote.role)
                if key not in full_names:
                    full_names[key] = _full_body_name(quote.speaker, quote.role, text)
                quote.speaker = full_names[key]
        _assign_sides(doc, quotes, matcher)
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
                    "side": quote.side,
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
    # Each column made with its dtype at once: a frame of objects cast column by column costs
    # ~2 ms per call whatever the partition's size.
    values = {column: [row[column] for row in rows] for column in QUOTE_COLUMNS if column != "sentiment"}
    values["sentiment"] = _score(values["text"], implementation)
    return pd.DataFrame({column: pd.array(values[column], dtype=QUOTE_DTYPES[column]) for column in QUOTE_COLUMNS})


def _score(texts: list[str], implementation: str | None) -> list[float]:
    from kursk_utils import sentiment  # imported here: quotes does not need VADER to load

    if not texts:
        return []
    # Each distinct text is scored once: the same quote recurs (syndicated and updated stories).
    distinct = list(dict.fromkeys(texts))
    if implementation is None:
        scores = sentiment.score_texts(distinct)["compound"].tolist()
    else:
        scores = sentiment.score_texts(distinct, implementation)["compound"].tolist()
    if len(distinct) == len(texts):
        return scores
    by_text = dict(zip(distinct, scores))
    return [by_text[text] for text in texts]


def _apply_actor_mentions(
    quotes: list[_Quote], mentions: list[tuple[int, int, str]] | None
) -> None:
    """Role from the actor mention overlapping each explicit speaker mention, when there is one.

    ``mentions`` are the document's (start, end, group) in table order; of several overlapping
    mentions one ending with the speaker mention wins (the head of the phrase), then the longest,
    then the first to start, then the first in table order.
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
        if (quote.speaker is None or quote.attribution is None
                or quote.attribution.mention.kind in ("pronoun", "label")):
            continue
        mention = quote.attribution.mention
        if mention.text not in quote.speaker and quote.speaker not in mention.text:
            continue  # a title resolved to the person it refers to ("the head of the General Staff")
        # Only the head of the speaker's phrase counts ("General Staff of the Armed Forces of
        # Ukraine", "soldiers interviewed by the Kyiv Independent").
        at = mention.text.rfind(quote.speaker)
        head_start = mention.start + max(at, 0)
        end = head_start + len(_head(quote.speaker)) if at >= 0 else mention.end
        near = by_start[bisect_left(starts, mention.start - longest + 1) : bisect_left(starts, end)]
        overlapping = [mentions[i] for i in sorted(near)  # table order, for ties
                       if mentions[i][0] < end and mentions[i][1] > mention.start]
        if overlapping:
            # The head of a noun phrase comes last ("Chief of the General Staff Valery Gerasimov").
            _, _, group = min(overlapping, key=lambda m: (m[1] != end, m[0] - m[1], m[0]))
            quote.role = _group_roles().get(group, "other")
            quote.side = _cue_sides().get(("actor_group", group.lower()))


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
        (str or null), ``kind`` (``direct``/``reported``), and ``side`` (str or null) when
        ``quotes`` has it; one row per sentence and distinct (speaker, role, kind), sorted by
        ``doc_id``, ``sentence_id``, ``kind``, ``speaker``.
        A sentence holding a quote and the clause attributing it appears once per quote speaker.
    """
    require_columns(quotes, ["doc_id", "sentence_ids", "speaker", "role", "kind"], "quotes")
    columns = SENTENCE_SPEAKER_COLUMNS + (["side"] if "side" in quotes.columns else [])
    quoted = [column for column in columns if column != "sentence_id"]
    # The rows are chosen and ordered in Python, then taken from ``quotes`` at once: an
    # explode, drop_duplicates and sort cost ~4 ms per call on a partition's few quotes.
    first_of: dict[tuple, tuple[int, int]] = {}  # distinct row -> (its first quote, its sentence)
    for position, (sentence_ids, *values) in enumerate(column_rows(quotes, ["sentence_ids", *quoted])):
        row = tuple(None if pd.isna(value) else value for value in values)
        for sentence_id in map(int, sentence_ids.split(" ")):
            first_of.setdefault((sentence_id, *row), (position, sentence_id))
    at = {column: index for index, column in enumerate(quoted, start=1)}

    def order(key: tuple) -> tuple:  # doc_id, sentence_id, kind, then speaker (missing last)
        speaker = key[at["speaker"]]
        return key[at["doc_id"]], key[0], key[at["kind"]], speaker is None, speaker or ""

    chosen = [first_of[key] for key in sorted(first_of, key=order)]
    table = quotes[quoted].take([position for position, _ in chosen]).reset_index(drop=True)
    table.insert(columns.index("sentence_id"), "sentence_id", np.array([sentence_id for _, sentence_id in chosen], dtype="int64"))
    return table
