"""The cue prefilter must never drop a pattern that matches: frame scores depend on it."""

from __future__ import annotations

import math
import re
from functools import partial

import pytest
import regex

from kursk_utils import framing
from kursk_utils.cue_index import (
    GATE_LENGTH, PREFIX_LENGTH, UNTIMED_LENGTHS, CueIndex, _backtracking_steps, _compatible, alternatives, fold,
    literal_prefixes, matches, may_match, required_substrings, untimed_lengths,
)


def compiled(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"halt\w*|paus\w*", {"halt", "paus"}),
        (r"cut|cuts", {"cut", "cuts"}),
        (r"(?-i:DPRK)|Pyongyang", {"dprk", "pyongya"}),  # case-sensitive parts are lower-cased too
        (r"demorali[sz]\w*", {"demoral"}),
        (r"re-?establish", {"re-esta", "reestab"}),
        (r"(?:heavy|huge) losses", {"heavy l", "huge lo"}),
        (r"[A-C]\w+", {"a", "b", "c"}),
        (r"[\d,]+ km", set("0123456789,")),  # \d is 0-9 in the texts the prefilters read
    ],
)
def test_literal_prefixes_start_every_match(pattern, expected):
    assert literal_prefixes(compiled(pattern)) == expected


@pytest.mark.parametrize("pattern", [r"\w+ing", r".*", r"[^x]ab", r"(?:a|)b?"])
def test_patterns_that_can_start_with_anything_are_not_indexed(pattern):
    assert literal_prefixes(compiled(pattern)) is None
    index = CueIndex([compiled(pattern), compiled("drones?")])
    assert index.n_unindexed == 1
    assert index.match_starts(fold("nothing here")) == {0: None}
    assert index.match_starts(fold("Drones, more drones")) == {0: None, 1: [0, 13]}


def test_patterns_must_start_at_a_word_boundary():
    with pytest.raises(ValueError, match="does not start with"):
        CueIndex([re.compile("drones?")])


def test_text_with_non_ascii_letters_gets_every_pattern():
    # Under IGNORECASE the Kelvin sign matches "k"; lower-casing the text would miss it.
    regex = compiled("kursk")
    assert regex.search("\u212aursk")
    assert fold("\u212aursk") is None
    assert CueIndex([regex]).match_starts(fold("\u212aursk")) == {0: None}
    assert may_match(fold("\u212aursk"), frozenset({"kursk"}))
    assert fold("Kursk, 2025") == "kursk, 2025"


def test_text_with_non_ascii_digits_gets_every_pattern():
    # \d matches every Unicode decimal digit; the index reads it as 0-9 only for ASCII texts.
    regex = compiled(r"\d+ km")
    assert regex.search("\u0663 km")
    assert fold("\u0663 km") is None
    assert CueIndex([regex]).match_starts(fold("\u0663 km")) == {0: None}
    assert CueIndex([regex]).match_starts(fold("3 km, or 12 km")) == {0: [0, 9]}


def test_places_start_the_text_or_follow_any_character_that_is_no_word_character():
    # The scanner finds a place by the character before it: the start of the text counts, a place
    # may follow another at once, and any character that is no word character separates.
    assert CueIndex([compiled(r"\(+km")]).match_starts(fold("((km")) == {0: [0, 1]}
    assert CueIndex([compiled(r"\(km\)")]).match_starts(fold("5 (km) and ((km)")) == {0: [2, 12]}
    index = CueIndex([compiled("drones?")])
    assert index.match_starts(fold("drones\ndrones\u2014drones_drones")) == {0: [0, 7, 14]}


def test_no_codebook_pattern_match_is_ever_filtered_out(validation_texts):
    codebook = framing.load_codebook()
    patterns = [cue.regex for _, _, cue in codebook.indexed_cues]
    patterns += [r.regex for r in codebook.referents.values() if r.regex is not None]
    # The [voice] patterns come last; _document_voice and _is_commentary read their places.
    patterns += [codebook.commentary if side is None else codebook.voice_lexicon[side] for side in codebook.voice_positions]
    assert len(patterns) == len(codebook.indexed_cues) + len(codebook.referents) + 2  # lexicon (russia), commentary
    voiced = ["Opinion: the offensive failed.", "Op-ed | Kursk", "I'm a columnist.", "I am the defence analyst here",
              "Kyiv’s regime sent AFU formations", "The Kiev regime"]
    assert all(codebook.commentary.search(text) for text in voiced[:4])
    assert all(codebook.voice_lexicon["russia"].search(text) for text in voiced[4:])
    texts = voiced + list(validation_texts)
    texts += [text.upper() for text in texts[:2000]] + [text.replace(" ", "\n") for text in texts[:500]]
    index = codebook.pattern_index
    skipped = 0
    for text in texts:
        starts = index.match_starts(fold(text))
        for position, pattern in enumerate(patterns):
            if position not in starts:
                skipped += 1
                assert pattern.search(text) is None, (pattern.pattern, text)
            else:
                found = [m.span() for m in matches(pattern, text, starts[position])]
                assert found == [m.span() for m in pattern.finditer(text)], (pattern.pattern, text)
    # The prefilter earns its place: most patterns are ruled out for most sentences.
    assert skipped / (len(texts) * len(patterns)) > 0.9


def test_required_substrings_come_from_the_most_selective_mandatory_part():
    pattern = compiled(r"(?-i:[A-Z][a-z]+)'s (?:\w+ ){0,2}(?:unit|brigade)")
    assert required_substrings(pattern) == {"unit", "brigade"}
    assert not may_match(fold("Artem's old platoon"), required_substrings(pattern))
    assert may_match(fold("ARTEM'S UNIT"), required_substrings(pattern))
    assert required_substrings(compiled(r"\w+|x")) is None


def test_required_substrings_of_an_alternation_may_be_those_of_each_alternative():
    # Each alternative's own most selective part, together: fewer strings than their starts.
    pattern = compiled(r"(?:rumours|claims) of an attack|no evidence")
    assert required_substrings(pattern) == {" of an ", "no evid"}
    assert not may_match(fold("Claims that troops fled"), required_substrings(pattern))
    assert pattern.search("Claims that troops fled") is None
    assert may_match(fold("CLAIMS OF AN ATTACK"), required_substrings(pattern))
    # The shipped negation scopes searched before and after every cue are all prefiltered.
    negation = framing.load_codebook().negation
    assert all(negation.gates[name] is not None for name in ("denials", "post", "mentions", "unsupported", "unrealised"))


def test_no_name_pattern_that_matches_is_ever_skipped(validation_texts):
    referents = framing.load_codebook().referents.values()
    texts = list(validation_texts)
    texts += [text.upper() for text in texts[:2000]]
    checked = 0
    for referent in referents:
        for pattern, substrings in zip(referent.name_patterns, referent.name_substrings):
            assert substrings is not None  # every shipped name pattern can be prefiltered
            for text in texts:
                if not may_match(fold(text), substrings):
                    checked += 1
                    assert pattern.search(text) is None, (pattern.pattern, text)
        # The referent's gate passes every folded text one of its name patterns may match, and each
        # pattern's own gate (the one detection reads) says what may_match says.
        for folded in filter(None, map(fold, texts) if referent.name_patterns else ()):
            if not referent.name_gate.search(folded):
                assert not any(may_match(folded, s) for s in referent.name_substrings), folded
            assert [gate.search(folded) is not None for gate in referent.name_gates] == [
                may_match(folded, s) for s in referent.name_substrings], folded
    assert checked > len(texts)


def test_no_negation_scope_that_matches_is_ever_skipped(validation_texts):
    # _negation_kind searches a scope's pattern in a part of a sentence only where its gate finds
    # one of the pattern's required substrings in the same part of the folded sentence.
    negation = framing.load_codebook().negation
    checked = 0
    for text in validation_texts[::3]:
        folded = fold(text)
        if folded is None:
            continue
        third = len(text) // 3
        for low, high in ((0, len(text)), (third, len(text)), (0, 2 * third), (third, 2 * third)):
            for name, gate in negation.gates.items():
                if not gate.search(folded, low, high):
                    checked += 1
                    assert getattr(negation, name).search(text[low:high]) is None, (name, text[low:high])
    assert checked > len(validation_texts)


def test_matches_at_starts_are_those_finditer_gives():
    pattern = compiled(r"a b|b c|c")
    text = "a b c, xc c"
    # Offset 2 lies inside the first match; at 8 the lookbehind sees the "x" before it.
    assert [m.group() for m in matches(pattern, text, [0, 2, 4, 8, 10])] == ["a b", "c", "c"]
    assert [m.span() for m in matches(pattern, text, None)] == [
        m.span() for m in pattern.finditer(text)
    ]


def test_places_where_the_longer_literal_start_is_missing_are_dropped():
    # The index finds "suppl" in both texts; only the first goes on as the pattern's first words do.
    index = CueIndex([compiled(r"(?<!\w)supply lines? (?:were )?cut")])
    assert index.match_starts(fold("Supply lines were cut, supply trucks too")) == {0: [0]}
    assert index.match_starts(fold("Supply trucks were cut off")) == {}


def test_places_where_an_alternative_misses_its_later_words_are_dropped():
    # "5", "2024" and "lost" start places of these patterns only where their later words follow
    # somewhere in the rest of the text.
    index = CueIndex([compiled(r"[\d,.]+ (?:km|miles) inside|gained"), compiled(r"lost (?:\w+ ){0,3}ground|gave up")])
    assert index.match_starts(fold("5 km inside, in 2024 and 12 km away")) == {0: [0]}
    assert index.match_starts(fold("In 2024, 12 km away; 5 km inside")) == {0: [3, 9, 21]}
    assert index.match_starts(fold("lost time, 5 km away, gave up, gained")) == {0: [31], 1: [22]}
    assert index.match_starts(fold("They lost much ground")) == {1: [5]}


def test_places_are_where_a_short_and_a_long_literal_start_both_are(validation_texts):
    # The definition of a place, checked naively: a word start where the text goes on as one of
    # the pattern's literal prefixes and, when it has longer ones, as one of those; and, for a
    # pattern one of whose alternatives needs substrings past its start, where an alternative
    # that goes on as one of its own literal prefixes (and longer ones, for one needing
    # substrings) holds, when it needs them, one of them from there on.
    codebook = framing.load_codebook()
    patterns = [cue.regex for _, _, cue in codebook.indexed_cues]
    short = [literal_prefixes(pattern) for pattern in patterns]
    long = [literal_prefixes(pattern, GATE_LENGTH) for pattern in patterns]
    parts = [alternatives(pattern) for pattern in patterns]
    assert sum(any(needed for _, _, needed in found) for found in parts) > 40  # most cues have one
    index = CueIndex(patterns)

    def starts_as(folded: str, offset: int, prefixes: frozenset[str]) -> bool:
        return any(folded.startswith(prefix, offset) for prefix in prefixes)

    for text in validation_texts[::20]:
        folded = fold(text)
        if folded is None:
            continue
        starts = index.match_starts(folded)
        word_starts = [m.start() for m in re.finditer(r"(?<!\w)", folded)]
        for position in range(len(patterns)):
            expected = [offset for offset in word_starts
                        if starts_as(folded, offset, short[position])
                        and (max(map(len, long[position])) <= PREFIX_LENGTH or starts_as(folded, offset, long[position]))]
            if any(needed for _, _, needed in parts[position]):
                expected = [offset for offset in expected if any(
                    starts_as(folded, offset, prefixes) and (needed is None or any(s in folded[offset:] for s in needed))
                    for _, prefixes, needed in parts[position])]
            assert starts.get(position, []) == expected, (patterns[position].pattern, text)


# --- which searches may run without a timeout ------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "length", "expected"),
    [  # (paths, steps) by hand from the model of _backtracking_steps
        (r"ab", 10, (1, 2)),  # two characters tested, one way through
        (r"a|bc", 10, (2, 4)),  # entering the branch, then 1 + 2 characters
        (r"a*", 3, (5, 10)),  # 0 to 4 repetitions on 3 characters (capped at length + 1), each a test and a step
        (r"a*b", 3, (5, 15)),  # "b" tried after each of the 5 ways of a*
        (r"(?<!\w)x", 10, (1, 3)),  # a lookbehind: entered once and its one test, never backtracked into
        (r"(a)\1", 10, (math.inf, math.inf)),  # a back-reference: no bound
    ],
)
def test_backtracking_steps_follow_the_model(pattern, length, expected):
    from re import _parser

    assert _backtracking_steps(list(_parser.parse(pattern, 0)), length) == expected


@pytest.mark.parametrize("pattern", [r"(a|aa)+$", r"(\w|\w\w)+$", r"(a+)+$", r"(x+x+)+y", r"(a)\1+x",
                                     r"(?:kursk){e<=1}", r"\{"])  # fuzzy matching (to re: literals)
def test_patterns_that_can_backtrack_catastrophically_are_always_timed(pattern):
    assert untimed_lengths(re.compile(pattern, re.IGNORECASE), framing.UNTIMED_STEPS) == (0, 0)
    timed = framing.TimedPattern(regex.compile(pattern, regex.IGNORECASE))
    assert (timed._untimed_search, timed._untimed_match) == (0, 0)


def test_a_word_list_cue_runs_untimed_on_sentences_and_finds_the_same_matches():
    pattern = framing._compile(r"frustrat\w*|fed up|sick (?:and tired )?of", "test")
    search, match = pattern._untimed_search, pattern._untimed_match
    assert 0 < search <= match == max(UNTIMED_LENGTHS)  # a search tries every start: bounded on less
    text = "They were frustrated, fed up and sick and tired of waiting. " * 3
    assert len(text) <= search
    timed = list(pattern.compiled.finditer(text, timeout=framing.CUE_MATCH_TIMEOUT))
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in timed]
    assert len(timed) == 9


def test_a_pattern_proven_safe_on_no_text_is_still_searched_with_the_timeout(monkeypatch):
    pattern = framing._compile(r"(a|aa)+$", "test")
    monkeypatch.setattr(framing, "CUE_MATCH_TIMEOUT", 0.05)
    with pytest.raises(TimeoutError):
        pattern.search("a" * 40 + "!")


def test_compatible_prefixes_are_found_by_look_ups_as_by_comparing_each():
    # _compatible answers by set look-ups what comparing ``found`` with each prefix answers, for
    # every string the shipped index looks for and every alternative's prefixes.
    codebook = framing.load_codebook()
    patterns = [cue.regex for _, _, cue in codebook.indexed_cues] + [r.regex for r in codebook.referents.values() if r.regex]
    shorts = {short for pattern in patterns for short, _, _ in alternatives(pattern) or ()}
    found = sorted(set().union(*(literal_prefixes(pattern) or () for pattern in patterns)))[::5]  # every fifth: fast
    checked = 0
    for short in shorts:
        for string in found:
            naive = any(string.startswith(prefix) or prefix.startswith(string) for prefix in short)
            assert _compatible(string, short) == naive, (string, sorted(short))
            checked += naive
    assert checked > 200


def _comparable(entry: tuple) -> tuple:
    """A candidates entry with each gate that is a ``partial`` (compared by identity) as its parts."""
    return tuple((position, (gate.func, gate.args) if isinstance(gate, partial) else gate) for position, gate in entry)


def test_candidates_built_on_first_look_up_do_not_depend_on_what_was_looked_up_before(validation_texts):
    # The index builds a scanner string's (pattern, gate) entry when a text first holds it: the
    # entries of an index that scanned texts (some built then, the others after) equal those of a
    # fresh index asked for every string in another order.
    codebook = framing.load_codebook()
    patterns = [cue.regex for _, _, cue in codebook.indexed_cues]
    scanned = CueIndex(patterns)
    for text in validation_texts[::10]:
        scanned.match_starts(fold(text))
    assert 0 < len(scanned._candidates) < len(scanned._by_prefix)
    fresh = CueIndex(patterns)
    every = sorted(scanned._by_prefix, reverse=True)
    assert ([_comparable(fresh._candidates_of(prefix)) for prefix in every]
            == [_comparable(scanned._candidates.get(prefix) or scanned._candidates_of(prefix)) for prefix in every])
    assert sorted(fresh._candidates) == sorted(every)  # each stored on first look-up
    with pytest.raises(KeyError):
        fresh._candidates_of("no such string")
