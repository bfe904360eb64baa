"""Which of many word-bounded regular expressions can match a text, without running them all.

Frame detection runs every cue of the codebook over every sentence, and nearly all of those
searches fail. :class:`CueIndex` derives from each compiled pattern the short lower-case strings
that every match must start with (``"halt\\w*|paus\\w*"`` -> ``{"halt", "paus"}``) and keeps the
patterns under those strings. For a text it looks up the strings found at the places a match can
start, and returns the patterns that may match there, with those places; the others cannot
match, and :func:`matches` tries a pattern only at its places, so the caller's results are the same
as when it runs every pattern over the whole text. A place is kept only where the text goes on as
one of the pattern's longer literal prefixes (up to :data:`GATE_LENGTH` characters) does, and,
for a pattern with a top-level alternative whose matches need more than their start
(``[\\d,.]+ km``, ``lost (?:\\w+ ){0,3}ground``), only where such an alternative holds one of the
substrings it needs from there on (:func:`alternatives`): the codebook's searches are timed, and a
timed search costs microseconds even when it fails at once.

A pattern whose matches can start with anything (``\\w+ing``) is always a candidate, as is
every pattern for a text holding a non-ASCII letter or digit (under ``re.IGNORECASE`` some of
them, such as the Kelvin sign, match ASCII letters, which lower-casing would miss); in the
texts that are read, ``\\d`` can only match 0-9.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache, partial
from types import MappingProxyType

from kursk_utils.text import literal_alternation

try:  # the standard library's regex parser; private, so every failure means "cannot tell"
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - another Python implementation
    _sre = _sre_parse = None

# The strings the scanner looks for at each place (and the prefilters' substrings) have up to this
# many characters: with 7 rather than 5, a place's string tells more ("could n", not "could"), so
# fewer patterns are tried there (candidate pairs per 1,000 generated articles 314,000 -> 180,000)
# for about 0.15 s more index building per process.
PREFIX_LENGTH = 7
# Longer literal prefixes, checked at each place the index finds for a pattern, so that a timed
# search is not started where the pattern's first words are not there ("war" in "warning").
GATE_LENGTH = 12
# Beyond this many prefixes or class members, a pattern's prefix stops growing (stays sound).
_MAX_STATES = 512
_MAX_CLASS_SIZE = 32
# Text lengths at which a pattern's backtracking is bounded (untimed_lengths); sentences have at
# most 2,000 characters (text.MAX_SENTENCE_CHARS).
UNTIMED_LENGTHS = (100, 200, 400, 800, 1600, 2000)
_NOT_A_REPEAT = re.compile(r"\{(?![\d,])")
_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")


@lru_cache(maxsize=1024)
def _parsed(pattern: str, flags: int) -> tuple:
    """The parse tree of a pattern, a tuple of (op, value) items: parsed once per process for
    the prefixes, the gates, the substrings and the backtracking bound (which only read it)."""
    return tuple(_sre_parse.parse(pattern, flags))


def literal_prefixes(pattern: re.Pattern, length: int = PREFIX_LENGTH) -> frozenset[str] | None:
    """Lower-case strings of 1 to ``length`` characters, one of which starts every match.

    Returns None when no such set can be derived (a match may start with any character, or the
    pattern uses a construct this function does not read).
    """
    if _sre_parse is None:
        return None
    try:
        parsed = _parsed(pattern.pattern, pattern.flags)
        states = _extend(parsed, {("", True)}, length)
    except Exception:  # noqa: BLE001 - an unreadable pattern is simply never filtered
        return None
    prefixes = frozenset(prefix[:length] for prefix, _ in states)
    return None if not prefixes or "" in prefixes else prefixes


def required_substrings(pattern: re.Pattern) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` contains (None: cannot tell).

    For each item that every match goes through (the pattern's top-level sequence, with groups
    opened), the prefixes of the rest of the pattern from there are such strings; the most
    selective set (longest shortest string, then fewest strings) is returned. A text whose
    lower-cased form contains none of them cannot match, with the caveat of :func:`fold` about
    non-ASCII letters.
    """
    if _sre_parse is None:
        return None
    try:
        return _best_substrings(_parsed(pattern.pattern, pattern.flags), branches=True)
    except Exception:  # noqa: BLE001 - an unreadable pattern is simply never filtered
        return None


def _best_substrings(items: Sequence, past_start: bool = False, branches: bool = False) -> frozenset[str] | None:
    """The most selective :func:`required_substrings` of a parsed sequence, from its mandatory
    items (groups opened; None: none can be told); ``past_start``: only from those after an item
    that is no literal character (the strings from inside a literal start tell no more than it);
    ``branches``: an alternation among them also gives the strings of each of its alternatives,
    together (every match goes through one: "the (?:reported|alleged)|(?:no|not) evidence")."""
    items = _mandatory_items(items)
    best, best_rank = None, None
    for start in range(len(items)):
        if items[start][0] in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT) or (
                past_start and (start == 0 or items[start - 1][0] is _sre.LITERAL)):
            continue
        candidates = [frozenset(prefix for prefix, _ in _extend(items[start:], {("", True)}, PREFIX_LENGTH))]
        if branches and items[start][0] is _sre.BRANCH:
            each = [_best_substrings(list(branch), branches=True) for branch in items[start][1][1]]
            candidates.append(None if None in each else frozenset().union(*each))
        for strings in candidates:
            if not strings or "" in strings:
                continue
            rank = (min(len(string) for string in strings), -len(strings))
            if best_rank is None or rank > best_rank:
                best, best_rank = strings, rank
    return best


def _alternatives(items: Sequence) -> list[list]:
    """The top-level alternatives of a parsed pattern, without the zero-width items around them:
    every match of the pattern is a match of one of them (a single one when it has no top-level
    alternation)."""
    body = list(items)
    while body and body[0][0] in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        body = body[1:]
    while body and body[-1][0] in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        body = body[:-1]
    while len(body) == 1 and body[0][0] is _sre.SUBPATTERN:
        body = list(body[0][1][-1])
    if len(body) == 1 and body[0][0] is _sre.BRANCH:
        return [list(branch) for branch in body[0][1][1]]
    return [body]


# An alternative of a pattern: its literal prefixes (PREFIX_LENGTH, then GATE_LENGTH characters)
# and the strings one of which its matches contain beyond what those prefixes tell (None: none).
_Alternative = tuple[frozenset[str], frozenset[str], frozenset[str] | None]


def alternatives(pattern: re.Pattern) -> list[_Alternative] | None:
    """Per top-level alternative of ``pattern`` (:func:`_alternatives`), its literal prefixes of
    :data:`PREFIX_LENGTH` and :data:`GATE_LENGTH` characters and the substrings one of which its
    matches contain past its literal start (as :func:`required_substrings` finds them), these only
    when some longer prefix holds none of them (else they tell nothing a place's prefix does not).
    A match at a place of the text is a match of an alternative starting there, so the text from
    there goes on as one of its prefixes and holds one of its substrings. None: cannot tell."""
    if _sre_parse is None:
        return None
    try:
        found = []
        for items in _alternatives(_parsed(pattern.pattern, pattern.flags)):
            needed = _best_substrings(items, past_start=True)
            long = frozenset(prefix for prefix, _ in _extend(items, {("", True)}, GATE_LENGTH))
            if not long or "" in long:
                return None
            if needed is not None and all(any(string in prefix for string in needed) for prefix in long):
                needed = None
            found.append((frozenset(prefix[:PREFIX_LENGTH] for prefix in long), long, needed))
    except Exception:  # noqa: BLE001 - an unreadable pattern is simply never filtered
        return None
    return found


def untimed_lengths(pattern: re.Pattern, budget: float) -> tuple[int, int]:
    """The longest texts, of :data:`UNTIMED_LENGTHS` (characters), on which one search and one
    match of ``pattern`` provably take at most ``budget`` backtracking steps (0: none).

    A backtracking matcher tries, from each start, the ways the pattern's items can consume the
    text one after the other; :func:`_backtracking_steps` bounds the steps of trying them all
    (every path failing, the worst case) from the parse tree alone, for a text of a given length;
    a search tries every start. A pattern with a nested or ambiguous repetition (``(a|aa)+``,
    ``\\w*\\w*``) gets a bound that grows fast with the length, so it is proven safe only on short
    texts, if at all.
    """
    # ``regex`` reads a brace that opens no repetition as a fuzzy-matching constraint
    # (``(?:kursk){e<=1}``), the standard parser as literal characters: never proven safe.
    if _sre_parse is None or _NOT_A_REPEAT.search(pattern.pattern):
        return 0, 0
    try:
        items = _parsed(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unreadable pattern is never proven safe
        return 0, 0
    search = match = 0
    for length in UNTIMED_LENGTHS:  # the bound grows with the length: stop at the first too long
        steps = _backtracking_steps(items, length)[1]
        if steps > budget:
            break
        match = length
        if steps * (length + 1) <= budget:
            search = length
    return search, match


def _backtracking_steps(items: Sequence, length: int) -> tuple[float, float]:
    """(paths, steps) of a parsed sequence on a text of ``length`` characters: an upper bound on
    the ways it can match from one position (each a place for what follows to be tried) and on
    the steps of trying them all. Items in sequence multiply their paths; each path of the items
    before an item tries that item again. Unknown constructs (back-references) are unbounded."""
    paths, steps = 1.0, 0.0
    for op, value in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN, _sre.AT, _sre.CATEGORY):
            item_paths, item_steps = 1.0, 1.0
        elif op is _sre.BRANCH:
            branches = [_backtracking_steps(list(branch), length) for branch in value[1]]
            item_paths = sum(p for p, _ in branches)
            item_steps = 1 + sum(s for _, s in branches)
        elif op is _sre.SUBPATTERN:
            item_paths, item_steps = _backtracking_steps(list(value[-1]), length)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):  # tried once, never backtracked into
            item_paths, item_steps = 1.0, 1 + _backtracking_steps(list(value[1]), length)[1]
        elif op is _sre.ATOMIC_GROUP:
            item_paths, item_steps = 1.0, 1 + _backtracking_steps(list(value), length)[1]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            _, high, body = value
            high = min(high, length + 1)  # each repetition consumes a character, or stops the loop
            body_paths, body_steps = _backtracking_steps(list(body), length)
            if body_paths == 1:
                ways = high + 1.0
            elif (high + 1) * math.log(body_paths) > 700:  # beyond floats, and any budget
                return math.inf, math.inf
            else:
                ways = (body_paths ** (high + 1) - 1) / (body_paths - 1)
            item_paths = 1.0 if op is _sre.POSSESSIVE_REPEAT else ways
            item_steps = ways * (body_steps + 1)
        else:
            return math.inf, math.inf
        steps += paths * item_steps
        paths *= item_paths
    return paths, steps


def fold(text: str) -> str | None:
    """``text`` lower-cased, as the prefilters read it; None when they cannot rule anything out.

    That is when ``text`` holds a non-ASCII letter or digit or lower-casing changes its length.
    Fold a text once and pass the result to the substring gates and :meth:`CueIndex.match_starts`.
    """
    if not text.isascii() and _NON_ASCII_WORD.search(text):
        return None
    lowered = text.lower()
    return None if len(lowered) != len(text) else lowered


def may_match(folded: str | None, substrings: frozenset[str] | None) -> bool:
    """False only when the text folded into ``folded`` (:func:`fold`) cannot match a pattern whose
    :func:`required_substrings` these are. The definition of a substring gate: detection searches
    the same substrings with one compiled pattern (``framing.Referent.name_gates``), tested to
    agree with this."""
    return folded is None or substrings is None or any(string in folded for string in substrings)


def _mandatory_items(items: Sequence) -> list:
    """The parsed sequence with its groups opened: each item is passed by every match."""
    opened = []
    for op, value in items:
        if op is _sre.SUBPATTERN:
            opened.extend(_mandatory_items(list(value[-1])))
        else:
            opened.append((op, value))
    return opened


def _class_members(items: list) -> set[str] | None:
    """Lower-cased members of a character class ``[...]``; None if negated, a category other than
    ``\\d`` or large. ``\\d`` is read as ``0-9``: the prefilters read only texts whose letters and
    digits are all ASCII (:func:`fold`)."""
    members: set[str] = set()
    for op, value in items:
        if op is _sre.LITERAL:
            members.add(chr(value))
        elif op is _sre.CATEGORY and value is _sre.CATEGORY_DIGIT:
            members.update("0123456789")
        elif op is _sre.RANGE and value[1] - value[0] < _MAX_CLASS_SIZE:
            members.update(chr(code) for code in range(value[0], value[1] + 1))
        else:
            return None
    lowered = {member.lower() for member in members}
    if len(lowered) > _MAX_CLASS_SIZE or any(len(member) != 1 for member in lowered):
        return None
    return lowered


def _extend(items: Sequence, states: set[tuple[str, bool]], length: int) -> set[tuple[str, bool]]:
    """Follow a parsed sequence from ``states``, pairs of (prefix so far, can still grow).

    Invariant: every match starts with the prefix of some state, and for a state that can still
    grow, the rest of the match is matched by the items not yet followed. A state stops growing
    at its full length or at an item whose first character is unknown; it stays a valid prefix.
    """
    for op, value in items:
        growing = {prefix for prefix, grows in states if grows}
        if not growing:
            break
        stopped = {(prefix, False) for prefix, grows in states if not grows}
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero width: consumes nothing
            continue
        if op is _sre.LITERAL:
            lowered = chr(value).lower()
            new = ({_grow(prefix, lowered, length) for prefix in growing} if len(lowered) == 1
                   else _stop(growing))
        elif op is _sre.IN:
            members = _class_members(value)
            new = (_stop(growing) if members is None
                   else {_grow(prefix, member, length) for prefix in growing for member in members})
        elif op is _sre.SUBPATTERN:
            new = _extend(list(value[-1]), _restart(growing), length)
        elif op is _sre.BRANCH:
            new = set().union(*(_extend(list(branch), _restart(growing), length) for branch in value[1]))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            low, high, item = value
            # After one repetition more may follow, so states stop there (unless at most one is
            # allowed); with a minimum of 0 the item may be skipped and the following items
            # continue the prefix.
            new = _extend(list(item), _restart(growing), length)
            if high != 1:
                new = _stop(prefix for prefix, _ in new)
            if low == 0:
                new |= _restart(growing)
        else:
            new = _stop(growing)
        states = stopped | new
        if len(states) > _MAX_STATES:
            states = {(prefix, False) for prefix, _ in states}
    return states


def _grow(prefix: str, character: str, length: int) -> tuple[str, bool]:
    grown = prefix + character
    return grown, len(grown) < length


def _stop(prefixes: Iterable[str]) -> set[tuple[str, bool]]:
    return {(prefix, False) for prefix in prefixes}


def _restart(prefixes: Iterable[str]) -> set[tuple[str, bool]]:
    return {(prefix, True) for prefix in prefixes}


# Where the scanner found a prefix, whether a pattern's longer prefixes go on there: None (always),
# the prefixes that can (``str.startswith``), a matcher of them when they are many, or _NEVER.
_Gate = tuple[str, ...] | Callable[[str, int], object] | None
_NEVER = object()
# Up to this many prefixes, ``str.startswith`` (nothing to compile) is as fast as a compiled alternation.
_STARTSWITH_PREFIXES = 16


class _Needs(tuple):
    """The gate of one alternative that needs substrings: (its longer prefixes that can follow
    here, or None for any; a search for its substrings), tested in :meth:`CueIndex.match_starts`
    without a Python call, as the other gates are."""


def _by_head(longer: frozenset[str]) -> dict[str, list[str]]:
    """The prefixes of ``longer`` by their first 1 to PREFIX_LENGTH characters."""
    heads: dict[str, list[str]] = {}
    for prefix in sorted(longer):
        for length in range(1, min(len(prefix), PREFIX_LENGTH) + 1):
            heads.setdefault(prefix[:length], []).append(prefix)
    return heads


def _gate(found: str, longer: frozenset[str] | None, heads: dict[str, list[str]] | None) -> _Gate | object:
    """The test, at a place where the text goes on as ``found`` (a prefix the scanner found), of
    whether it goes on as one of a pattern's ``longer`` prefixes (None: the pattern has no gate).

    Only the prefixes that start with ``found`` or that ``found`` starts with can: with one of the
    latter the test always passes, with none at all it never does."""
    if longer is None or any(found[:length] in longer for length in range(1, len(found) + 1)):
        return None
    possible = heads.get(found, [])
    if not possible:
        return _NEVER
    if len(possible) <= _STARTSWITH_PREFIXES:
        return tuple(possible)
    return re.compile(literal_alternation(possible)).match


# An alternative that needs substrings, as the gates read it: its short prefixes, its longer ones
# (None: none beyond PREFIX_LENGTH) and a search for its substrings.
_Gating = tuple[frozenset[str], frozenset[str] | None, Callable[[str, int], object]]


def _longer(long: frozenset[str]) -> frozenset[str] | None:
    return long if max(map(len, long), default=0) > PREFIX_LENGTH else None


def _gating(alternatives: list[_Alternative]) -> tuple[frozenset[str], frozenset[str] | None, dict, list[_Gating]]:
    """The short and longer prefixes (with their heads) of the alternatives that need no
    substring, and the others as gated."""
    short: set[str] = set()
    long: set[str] = set()
    gating = []
    for alternative_short, alternative_long, needed in alternatives:
        if needed is None:
            short |= alternative_short
            long |= alternative_long
        else:
            gating.append((alternative_short, _longer(alternative_long), re.compile(literal_alternation(needed)).search))
    longer = _longer(frozenset(long))
    return frozenset(short), longer, {} if longer is None else _by_head(longer), gating


def _compatible(found: str, short: frozenset[str]) -> bool:
    """Whether a text going on as ``found`` (not empty) may go on as one of the prefixes ``short``:
    one of them starts ``found`` or starts with it. Asked for every pair of a string the scanner
    looks for and an alternative that needs substrings, so by look-ups rather than a loop over
    ``short``."""
    return found in _starts(short) or any(found[:length] in short for length in range(1, len(found) + 1))


@lru_cache(maxsize=4096)
def _starts(prefixes: frozenset[str]) -> frozenset[str]:
    """Every non-empty start of the strings in ``prefixes``, themselves included."""
    return frozenset(prefix[:length] for prefix in prefixes for length in range(1, len(prefix) + 1))


def _alternative_gate(found: str, gating: tuple[frozenset[str], frozenset[str] | None, dict, list[_Gating]]) -> _Gate | object:
    """The gate (as :func:`_gate`) of a pattern some of whose :func:`alternatives` need a
    substring past their start, at a place where the text goes on as ``found``: whether one of
    the alternatives that can start there goes on as one of its longer prefixes and, if it needs
    substrings, holds one of them from there on (those needing none are taken together)."""
    short, longer, heads, needing = gating
    tests = []
    if _compatible(found, short):
        gate = _gate(found, longer, heads)
        if gate is None:
            return None
        if gate is not _NEVER:
            tests.append((gate, None))
    for needing_short, needing_longer, needed in needing:
        if not _compatible(found, needing_short):
            continue
        if needing_longer is None or any(found[:length] in needing_longer for length in range(1, len(found) + 1)):
            tests.append((None, needed))  # as _gate's first case
        elif possible := tuple(sorted(prefix for prefix in needing_longer if prefix.startswith(found))):
            tests.append((possible, needed))
    if len(tests) == 1:
        gate, needed = tests[0]
        return gate if needed is None else _Needs((gate, needed))
    return partial(_passes, tuple(tests)) if tests else _NEVER


def _passes(tests: tuple[tuple[_Gate, Callable[[str, int], object] | None], ...], folded: str, offset: int) -> bool:
    for gate, needed in tests:
        if ((gate is None or (folded.startswith(gate, offset) if type(gate) is tuple else gate(folded, offset)))
                and (needed is None or needed(folded, offset))):
            return True
    return False


class CueIndex:
    """Index of patterns that all start with ``(?<!\\w)``, by the strings their matches start with.

    Parameters
    ----------
    patterns : sequence of re.Pattern
        Compiled patterns; each must begin with the lookbehind ``(?<!\\w)`` (a match starts at
        the start of the text or after a character that is not a word character), as the
        codebook's cues do. Matches of other patterns could be missed.
    """

    def __init__(self, patterns: Sequence[re.Pattern]) -> None:
        by_prefix: dict[str, set[int]] = {}
        always: set[int] = set()
        for position, pattern in enumerate(patterns):
            if not pattern.pattern.startswith(r"(?<!\w)"):
                raise ValueError(f"pattern does not start with (?<!\\w): {pattern.pattern!r}")
            prefixes = literal_prefixes(pattern)
            if prefixes is None:
                always.add(position)
            else:
                for prefix in prefixes:
                    by_prefix.setdefault(prefix, set()).add(position)
        self._always = frozenset(always)
        # A pattern with an alternative whose matches need more than their start ("[\d,.]+ km",
        # "lost (?:\w+ ){0,3}ground"): at a place it may start, one of its substrings must follow.
        needing = {position: _gating(found) for position, pattern in enumerate(patterns)
                   if position not in always and (found := alternatives(pattern)) is not None
                   and any(needed is not None for _, _, needed in found)}
        # Per other pattern whose literal prefixes go on beyond PREFIX_LENGTH: those prefixes.
        longer_of = {}
        for position, pattern in enumerate(patterns):
            longer = None if position in always or position in needing else literal_prefixes(pattern, GATE_LENGTH)
            if longer is not None and max(map(len, longer)) > PREFIX_LENGTH:
                longer_of[position] = longer
        self._anywhere = MappingProxyType(dict.fromkeys(range(len(patterns))))
        # The scanner finds, at each place a match can start, the longest prefix found there;
        # the shorter prefixes found there are its own prefixes, so each prefix's entry holds
        # their patterns too, each with the gate of its longer prefixes at such a place.
        # Per string the scanner looks for, the (position, gate) of each pattern that may match
        # where the text goes on as it (patterns that never can left out): built on first
        # look-up (_candidates_of), since a process scans text holding a third to a half of the
        # thousands of strings (950 of 4,760 on kursk60, 1,480 on 200 generated articles).
        self._by_prefix, self._needing, self._longer_of = by_prefix, needing, longer_of
        self._heads = {position: _by_head(longer) for position, longer in longer_of.items()}
        self._candidates: dict[str, tuple[tuple[int, _Gate], ...]] = {}
        # Finds each place a match can start (at the start of the text or after a character that
        # is not a word character) by the character before it, in a text read with a space before
        # it: that lets the regex engine skip the word characters between places, where
        # ``(?<!\w)`` makes it try every one (a third of the scanner's time). In that text each match
        # starts at the offset of its place in the folded text.
        self._scanner = re.compile(
            r"[^\w](?=(" + literal_alternation(by_prefix) + "))", re.DOTALL
        ) if by_prefix else None

    def _candidates_of(self, prefix: str) -> tuple[tuple[int, _Gate], ...]:
        """The entry of ``prefix`` in ``_candidates``, built and stored (KeyError: not a string
        the scanner looks for)."""
        by_prefix, needing = self._by_prefix, self._needing
        if prefix not in by_prefix:
            raise KeyError(prefix)
        positions = frozenset().union(*(by_prefix.get(prefix[:length], ())
                                        for length in range(1, len(prefix) + 1)))
        gated = ((position, _alternative_gate(prefix, needing[position]) if position in needing
                  else _gate(prefix, self._longer_of.get(position), self._heads.get(position)))
                 for position in positions)
        entry = self._candidates[prefix] = tuple((position, gate) for position, gate in gated
                                                 if gate is not _NEVER)
        return entry

    @property
    def n_unindexed(self) -> int:
        """Number of patterns that are candidates for every text."""
        return len(self._always)

    def match_starts(self, folded: str | None) -> Mapping[int, list[int] | None]:
        """Which patterns may match the text folded into ``folded`` (:func:`fold`), and where.

        Returns a read-only mapping from the position (in ``patterns``) of each pattern that may
        match to the offsets, in order, at which its matches may start, or to None when they may
        start anywhere. The other patterns cannot match. See :func:`matches`.
        """
        if folded is None:
            return self._anywhere
        starts: dict[int, list[int] | None] = dict.fromkeys(self._always)
        if self._scanner is not None:
            for found in self._scanner.finditer(" " + folded):
                offset = found.start()
                try:  # a plain dict's look-up: the scanner finds ~100 strings per article
                    candidates = self._candidates[found.group(1)]
                except KeyError:
                    candidates = self._candidates_of(found.group(1))
                for position, gate in candidates:
                    kind = type(gate)
                    if kind is tuple:
                        passed = folded.startswith(gate, offset)
                    elif kind is _Needs:
                        passed = (gate[0] is None or folded.startswith(gate[0], offset)) and gate[1](folded, offset)
                    else:
                        passed = gate is None or gate(folded, offset)
                    if passed:
                        starts.setdefault(position, []).append(offset)
        return starts


def matches(pattern: re.Pattern, text: str, starts: list[int] | None) -> Iterator[re.Match]:
    """The matches ``pattern.finditer(text)`` gives, trying only at ``starts`` (None: everywhere).

    ``starts`` are offsets from :meth:`CueIndex.match_starts`, at which every match of
    ``pattern`` starts: matching there alone finds the same matches, without scanning the text.
    """
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for start in starts:
        if start < end:  # inside the previous match: finditer does not look there either
            continue
        match = pattern.match(text, start)
        if match is not None:
            end = match.end()
            yield match
