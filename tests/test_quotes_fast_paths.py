"""Issue 15 (speed): each fast path of quote extraction gives what the plain code it replaces
gives, on the kursk60 articles and on random texts built to hit its edges (white space and
line breaks at the end, words cut short, mixed case, non-ASCII letters)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest

from kursk_utils import quotes as q
from kursk_utils.cue_index import _NON_ASCII_WORD, fold
from kursk_utils.sentiment import score_texts
from kursk_utils.text import literal_alternation, split_sentences

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def articles() -> list[str]:
    paths = sorted((FIXTURES / "kursk60").glob("*.txt")) + sorted((FIXTURES / "hostile").glob("*.txt"))
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths]


@pytest.fixture(scope="module")
def segments(articles: list[str]) -> list[str]:
    """Clause segments as the speaker search sees them: each sentence cut before each of its
    words (the text before a verb), with and without its trailing white space."""
    found = []
    for text in articles[:20]:
        for start, end in split_sentences(text):
            sentence = text[start:end]
            for word in re.finditer(r"\S+", sentence):
                found.append(sentence[: word.start()])
                found.append(sentence[: word.end()])
    return found


def span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return None if match is None else match.span()


def random_texts(alphabet: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(count)]


EDGE_PIECES = [" ", "  ", "\n", "\t", "\u00a0", ",", ".", "the", "The", "THE", "of", "ofx", "xof",
               "towards", "Towards", "as", "has", "was", "also", "quickly", "ly", "and", "then",
               "Monday", "on Monday", "last week", "night", "day", "Ⅿonday", "ſuch", "said", "x"]


def test_not_a_verb_before_searched_from_the_last_word(segments: list[str]) -> None:
    # (and only after a letter: a clause ending in a quote mark or a comma is never searched; the
    # letters matched in any case include the Kelvin sign, a dotted capital I and a dotless i)
    pieces = EDGE_PIECES + ['"', "”", ",\"", "1", "-", "\u212a", "İn", "ın", "oF", "by\u212a", "tO"]
    for segment in segments + random_texts(pieces, 20000, 1):
        assert q._ends_before_noun(segment) == bool(q._NOT_A_VERB_BEFORE.search(segment)), segment


def test_trailing_adverbs_removed_as_by_both_patterns(segments: list[str]) -> None:
    for segment in segments + random_texts(EDGE_PIECES, 20000, 2):
        expected = q._FILLER.sub("", q._TRAILING_TIME.sub("", segment.rstrip()))
        assert q._without_trailing_adverbs(segment) == expected, segment


def test_quoted_as_only_matches_a_segment_ending_in_as(segments: list[str]) -> None:
    for segment in segments + random_texts(EDGE_PIECES + ["quoted", "cited", "by TASS"], 20000, 3):
        if q._QUOTED_AS.search(segment):
            assert segment.rstrip().endswith("as"), segment


def test_and_then_said_only_matches_a_clause_ending_in_its_words(segments: list[str]) -> None:
    pattern = re.compile(r"\band(?:\s+(?:then|later|also|finally))?\s*$")
    for segment in segments + random_texts(EDGE_PIECES + ["later", "finally", "band"], 20000, 4):
        if pattern.search(segment):
            assert segment.rstrip().endswith(("and", "then", "later", "also", "finally")), segment


def test_name_pattern_with_atomic_checks_finds_the_same_names(articles: list[str]) -> None:
    # The reference: the checks before a space as a plain group (backtracking into each one).
    plain = re.compile(q._NAME.pattern.replace("(?:(?>", "(?:(?:", 1))
    assert plain.pattern != q._NAME.pattern
    pieces = ["Gen.", "Gen", "Mr.", "a.", "Kyiv", "Ivan", " ", "\n", "of the", "de", "x", "U.S."]
    for text in articles + random_texts(pieces, 5000, 5):
        assert [m.span() for m in q._NAME.finditer(text)] == [m.span() for m in plain.finditer(text)]
        for at in range(0, len(text), 7):
            assert span(q._NAME.match(text, at)) == span(plain.match(text, at))


def test_capitalised_pair_opening_with_its_capital_finds_the_same_pairs(articles: list[str]) -> None:
    lower = q._LOWER
    plain = re.compile(rf"\b[A-Z][{lower}]+\s+[A-Z][{lower}]+(?:-[A-Z][{lower}]+)?(?![\w-])")
    pieces = ["Emma", "Novak", "-Hill", "xEmma", "_Emma", "é", "Lucía", " ", "\n", "Vidal"]
    for text in articles + random_texts(pieces, 5000, 6):
        for start in (0, 1, len(text) // 2):  # (found from a start: the body after the headline)
            assert ([m.span() for m in q._CAPITALISED_PAIR.finditer(text, start)]
                    == [m.span() for m in plain.finditer(text, start)])


def test_sentence_lead_with_possessive_repeats_matches_the_same(articles: list[str]) -> None:
    plain = re.compile(q._SENTENCE_LEAD.pattern.replace("*+", "*"))
    assert plain.pattern != q._SENTENCE_LEAD.pattern
    pieces = ["KYIV", " ", "(Reuters)", "(AP", ")", "(", " - ", "—", "Kyiv, ", "x", "12:05 ", "Ukraine's"]
    texts = articles + random_texts(pieces, 5000, 7)
    for text in texts:
        for start, end in split_sentences(text) or [(0, len(text))]:
            assert span(q._SENTENCE_LEAD.match(text, start, end)) == span(plain.match(text, start, end))


def test_document_sentence_lead_is_the_pattern_match(articles: list[str]) -> None:
    for text in articles:
        spans = [(s, e, i) for i, (s, e) in enumerate(split_sentences(text))]
        doc = q._Document(text, spans)
        for _ in range(2):  # (the second time from the memo)
            for start, end, _ in spans:
                assert span(doc.sentence_lead(start, end)) == span(q._SENTENCE_LEAD.match(text, start, end))


def test_word_count_stops_at_its_limit() -> None:
    pieces = ["word", " ", "it's", "U.S.", "-", "_", "—", "\n", "3.5", "é"]
    for text in random_texts(pieces, 5000, 8) + [" ".join(["w"] * 100)]:
        for limit in (0, 1, 5, 41):
            assert q._word_count(text, limit) == min(len(q._WORD.findall(text)), limit)


def test_role_matches_are_those_of_the_cue_pattern(articles: list[str]) -> None:
    kinds_list = [("role",), ("nationality",), ("role", "outlet"), ("role", "nationality", "outlet", "place")]
    for text in articles[:10]:
        for start, end in split_sentences(text):
            for kinds in kinds_list:
                pattern, roles = q._role_cues(kinds)
                expected = [(m.start(), m.end(), roles[m.group().lower()])
                            for m in pattern.finditer(text[start:end])]
                assert list(q._role_matches(text[start:end], kinds)) == expected


def test_memoised_helpers_give_the_plain_answers(articles: list[str]) -> None:
    not_a_name = (q._FUNCTION_WORD, q._PRONOUN, q._POSSESSIVE, q._QUESTION_OR_PREPOSITION,
                  q._OPENING_ADVERB)
    for text in articles[:20]:
        for word in set(text.split()):
            assert q._not_a_name(word) == any(p.fullmatch(word) for p in not_a_name)
        for match in q._CAPITALISED_PAIR.finditer(text):
            pair = match.group()
            plain = (None if any(q._FUNCTION_WORD.fullmatch(w) for w in pair.split())
                     or q._QUESTION_OPENER.fullmatch(pair.split()[0]) else q._strip_titles(pair))
            assert q._pair_name(pair) == plain


def test_classify_memo_answers_as_a_fresh_matcher(articles: list[str]) -> None:
    from kursk_utils.actors import load_gazetteer

    shared = q._GazetteerMatcher.build(load_gazetteer())
    for text in articles[:10]:
        for start, end in split_sentences(text)[:15]:
            sentence = text[start:end]
            for name in set(q._NAME.findall(sentence)):
                fresh = q._GazetteerMatcher.build(load_gazetteer())
                assert q._classify(name, sentence, shared) == q._classified(name, sentence, fresh, "")
                assert shared.group(name) == fresh.group(name)


def test_fold_of_ascii_text_is_its_lower_case() -> None:
    for text in random_texts(["A", "b", " ", "'", "É", "é", "ß", "İ", "1"], 3000, 9):
        expected = (None if _NON_ASCII_WORD.search(text) or len(text.lower()) != len(text)
                    else text.lower())
        assert fold(text) == expected


def test_recurring_quote_texts_get_the_scores_of_scoring_each() -> None:
    texts = ["We will hold.", "They ran.", "We will hold.", "", "Terrible losses.", "They ran."]
    assert q._score(texts, None) == score_texts(texts)["compound"].tolist()
    assert q._score(texts[:2], None) == score_texts(texts[:2])["compound"].tolist()


def test_war_cue_pattern_opening_with_first_characters_matches_the_plain_one(articles: list[str]) -> None:
    table = q.load_speaker_roles()
    war = table[table["kind"].isin(("nationality", "place"))
                & (table["side"].isin(("ukraine", "russia"))
                   | table["role"].isin(("ukrainian_official", "russian_official")))]
    plain = q._role_cue_pattern(literal_alternation(war["cue"]))
    assert plain.pattern != q._war_cue_pattern().pattern
    pieces = ["Kyiv", "Kyiv's", "Kiev", "Russia", "Russian", "n", "Kremlin", "K", ".", "-", "_", "x",
              " ", "\n", "'s", "Saint Petersburg", "Saint", "é", "Ukraine"]
    for text in articles + random_texts(pieces, 5000, 10):
        assert ([m.span() for m in q._war_cue_pattern().finditer(text)]
                == [m.span() for m in plain.finditer(text)])
        for at in range(0, len(text), 5):
            assert span(q._war_cue_pattern().match(text, at)) == span(plain.match(text, at))


def test_cues_outside_quotes_are_the_cues_found_there_by_a_search_of_the_whole_sentence(
        articles: list[str]) -> None:
    assert all(re.fullmatch("[a-z]+", form) for form in q.load_speech_verbs()["form"])
    pieces = ['"', "“", "”", "«", "»", " ", "\n", ",", "said", "says", "told", "x", "think tank",
              "think", " tanks", "-said", "said-", ":", "We"]
    for text in articles + random_texts(pieces, 5000, 11):
        spans = q.find_quote_spans(text)
        for start, end in split_sentences(text) or [(0, len(text))]:
            expected = [m.span() for m in q._cue_pattern().finditer(text, start, end)
                        if not any(s <= m.start() < e for s, e in spans)]
            assert [m.span() for m in q._cues_outside(text, start, end, spans)] == expected, text


def test_subject_of_memo_gives_the_plain_search_and_holds_one_document(
        articles: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    memoised = q._subject_of
    asked = []  # (text, clause start, verb start, participle) of every verb of every sentence
    for text in articles:
        for start, end in split_sentences(text):
            asked += [(text, start, m.start(), m.group().endswith("ing"))
                      for m in q._cue_pattern().finditer(text, start, end)]
    assert len(asked) > 400  # (530 verbs; fewer than the memo holds, so "again" is all hits)
    memoised.cache_clear()
    first = [memoised(*key) for key in asked]
    again = [memoised(*key) for key in asked]  # (answered from the memo)
    monkeypatch.setattr(q, "_subject_of", memoised.__wrapped__)  # (its recursion unmemoised too)
    assert first == again == [q._subject_of(*key) for key in asked]
    monkeypatch.undo()

    # extract_quotes empties it per document: after two documents it holds the second's answers only.
    alone = _memo_size_after(memoised, [articles[1]])
    assert alone > 0 and _memo_size_after(memoised, [articles[0], articles[1]]) == alone


def test_name_sign_and_relatives_prefiltered_by_their_words(segments: list[str]) -> None:
    pieces = EDGE_PIECES + ['"', "“", "«", "»", "”", "writes", "posts", "goes", "known", "as", "by",
                            "under", "the name", "Rybar", "Old Harbour", "call sign", "first name",
                            "who", "which", "whose", ", who", "Who", "whom", "whoever", "whichever",
                            'writes as "Rybar"', "known as «Lis»", 'goes by the name “Old Harbour”',
                            'posts under "Kit', 'call sign "Dyak"', "first name, Ivan"]
    for segment in segments + random_texts(pieces, 20000, 12):
        for after in (0, len(segment) // 2):
            # The plain search: every pattern of _name_sign wherever its literal words are.
            plain = None
            for pattern, words in ((q._CALL_SIGN, "call"), (q._FIRST_NAME_GIVEN, "first"),
                                   (q._PEN_NAME, '"')):
                if words in segment or pattern is q._PEN_NAME and ("“" in segment or "«" in segment):
                    plain = plain or next((m for m in pattern.finditer(segment) if m.end() > after), None)
            assert span(q._name_sign(segment, after)) == span(plain), segment
        if q._RELATIVE.search(segment):
            assert "who" in segment or "which" in segment, segment


def test_coordinated_name_after_a_title_matched_in_place_as_in_the_rest_of_the_text(
        articles: list[str]) -> None:
    # _person_candidates matches at a name's end in the whole text instead of in a copy of the
    # text after it (the pattern opens with white space: nothing before its start is looked at).
    plain = re.compile(r"\s+and\s+[A-Z]")
    for text in articles + random_texts([" ", "\n", "and", "And", "Tove", "x", ",", "  and "], 3000, 13):
        for at in range(len(text) + 1):
            assert span(q._AND_NAME_AFTER.match(text, at)) == (
                None if (m := plain.match(text[at:])) is None else (at + m.start(), at + m.end())), text


def test_name_described_by_a_body_word_found_only_where_its_apposition_is(articles: list[str]) -> None:
    # _resolve scans for "Rybar, an influential Telegram channel" only where the part from the
    # comma on matches before the mention: the same names as scanning every text (the articles,
    # some cut at a sentence end as before a mention, and random texts built from the pattern's
    # pieces, in any case, with non-ASCII letters matched case-blind).
    rng = random.Random(7)

    def apposed() -> str:
        choices = [["Rybar", "rybar", "ÉLan", "Mr. Dvor", "The Dvor", "İ", "x", ""], [",", ", ", ",\n", "", " "],
                   ["", " ", "  ", "\n"], ["a", "an", "The", "AN", "x"], ["", " ", "\n"],
                   ["", "big ", "x-y ", "big old ", "a b c ", "a b c d "],
                   ["channel", "Channel", "channels", "chan\u212ael", "group", ""], ["", ".", "s", " x", ","]]
        return "".join(rng.choice(choice) for choice in choices)

    texts = articles + [text[:end] for text in articles[:15] for _, end in split_sentences(text)[::4]]
    texts += [" ".join(apposed() for _ in range(rng.randint(1, 3))) for _ in range(20000)]
    checked = 0
    for word in ("channel", "group", "ministry", "company", "institute"):
        described, apposition = q._described_by(word)
        for text in texts:
            found = [m.span(1) for m in described.finditer(text)]
            assert (found if apposition.search(text) else []) == found, (word, text)
            checked += bool(found)
    assert checked > 500, checked  # (the texts do hold such names)


def _quote_spans_line_by_line(text: str) -> list[tuple[int, int]]:
    """find_quote_spans as it was written before its one scan: each line (paragraph) read on its
    own, the trailing joiners taken off by a pattern."""
    spans: list[tuple[int, int]] = []
    paragraph_start = 0
    for line in text.split("\n"):
        opener, open_at = None, 0
        for mark in q._QUOTE_MARK.finditer(line):
            char, index = mark.group(), mark.start()
            if opener is None and char in q._OPENERS:
                opener, open_at = char, index
            elif opener is not None and char in q._OPENERS[opener]:
                spans.append((paragraph_start + open_at + 1, paragraph_start + index))
                opener = None
        if opener is not None:
            spans.append((paragraph_start + open_at + 1, paragraph_start + len(line)))
        paragraph_start += len(line) + 1
    trimmed = []
    for start, end in spans:
        content = text[start:end]
        stripped = re.sub(r"[\s,;:]+$", "", content.rstrip())
        lead = len(content) - len(content.lstrip())
        if q._WORD.search(stripped):
            trimmed.append((start + lead, start + len(stripped)))
    return trimmed


def test_quote_spans_found_in_one_scan_as_line_by_line(articles: list[str]) -> None:
    # (white space of every kind before the joiners, "\u2028" and "\x1c" among them, which
    # str.split("\n") does not split at)
    pieces = ['"', "“", "”", "„", "«", "»", "\n", "\n\n", " ", "\u00a0", "\u2028", "\x1c", "\t", ",", ";",
              ":", ", ", ":\u00a0", ".", "?", "word", "W", "_"]
    texts = articles + random_texts(pieces, 30000, 19)
    assert sum(bool(q.find_quote_spans(text)) for text in texts) > 2000
    for text in texts:
        assert q.find_quote_spans(text) == _quote_spans_line_by_line(text), text


def test_each_transcript_label_holds_its_own_colon_and_space(articles: list[str]) -> None:
    # _transcript_turns gives nothing to a text with fewer than MIN_TRANSCRIPT_TURNS ": ": each
    # labelled line holds one up to the end of its label's match.
    pieces = ["DANA PIERCE", "Hrim", "Kyiv Independent", "SEN. ELLEN", "WALTZ", ", HOST", " (D-DE)",
              "(PRESENTER)", ":", ": ", ":  ", ":\u00a0", ":\t", " ", "x", "Q", "?", "\u2028"]
    lines = [line for text in articles for line in text.split("\n")] + random_texts(pieces, 20000, 23)
    labelled = 0
    for line in lines:
        label = q._TURN_LABEL.match(line)
        if label is not None:
            labelled += 1
            assert ": " in line[: label.end()], line
    assert labelled > 500, labelled
    text = "DANA PIERCE, HOST: Welcome.\nINGRID SOLBERG: Thank you.\nDANA PIERCE: Why?\nINGRID SOLBERG: Because."
    doc = q._Document(text, [(0, len(text), 0)])
    assert len(q._transcript_turns(doc)) == 2  # (four labels: a transcript)
    doc = q._Document(text.replace("INGRID SOLBERG: ", "INGRID SOLBERG:"), [(0, len(text) - 2, 0)])
    assert q._transcript_turns(doc) == []  # (two labels left)


def test_full_body_name_patterns_need_the_literals_looked_for_first() -> None:
    pieces = ["Washington", "Washington-based ", "U.S.-based\u00a0", "-based", "-Based", " ", "\u00a0",
              "Institute", "the", "The", "Russia", "'s",
              "’s", "'S", "`s", "s", "’", "'", "defence ministry", "x"]
    texts = random_texts(pieces, 30000, 29)
    based = sum(bool(q._BASED_PREFIX.match(text)) for text in texts)
    placed = sum(bool(q._PLACED_BODY.fullmatch(text)) for text in texts)
    assert based > 500 and placed > 50, (based, placed)
    for text in texts:
        assert q._BASED_PREFIX.sub("", text) == text or "-based" in text, text
        assert q._PLACED_BODY.fullmatch(text) is None or "'s" in text or "’s" in text, text


def test_local_window_memo_gives_the_plain_window_and_holds_one_document(articles: list[str]) -> None:
    memoised = q._local_window
    asked = [(text[s:e], at - s, at - s + len(word.group()))
             for text in articles[:20] for s, e in split_sentences(text)
             for word in re.finditer(r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*", text[s:e]) for at in [s + word.start()]]
    assert len(asked) > 500
    memoised.cache_clear()
    assert [memoised(*key) for key in asked] == [memoised.__wrapped__(*key) for key in asked]

    # extract_quotes empties it per document: after two documents it holds the second's windows only.
    alone = _memo_size_after(memoised, [articles[1]])
    assert alone > 0 and _memo_size_after(memoised, [articles[0], articles[1]]) == alone


def _memo_size_after(memoised, texts: list[str]) -> int:
    """The entries a per-document memo of quotes.py holds after extract_quotes on ``texts``."""
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    sentences = pd.DataFrame(
        [(f"d{i}", n, s, e) for i, t in enumerate(texts) for n, (s, e) in enumerate(split_sentences(t))],
        columns=["doc_id", "sentence_id", "start", "end"])
    memoised.cache_clear()
    q.extract_quotes(documents, sentences)
    return memoised.cache_info().currsize
