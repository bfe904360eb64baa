import os
import random
import re
import subprocess
import sys

import pytest
from nltk.tokenize.punkt import PunktSentenceTokenizer

from kursk_utils import text
from kursk_utils.text import (
    _SPACE_FIXES, CharMap, count_words, literal_alternation, normalize_segment, punkt_parameters,
    sentence_tokenizer, split_sentences,
)

from conftest import PROJECT_ROOT, SEEDS


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_news_abbreviations_do_not_end_a_sentence():
    text = "U.S. President Donald Trump and Mr. Putin met on Aug. 6."
    assert sentences(text) == [text]


def test_titles_months_and_numbers_are_abbreviations():
    text = "Gen. Valery Gerasimov visited No. 5 command post in Sept. 2024. Dr. Smith disagreed."
    assert sentences(text) == [
        "Gen. Valery Gerasimov visited No. 5 command post in Sept. 2024.",
        "Dr. Smith disagreed.",
    ]


def test_quote_ending_with_period_closes_the_sentence():
    text = 'He called it "pretty chaotic." Then the column moved on. "We left," he said.'
    assert sentences(text) == [
        'He called it "pretty chaotic."',
        "Then the column moved on.",
        '"We left," he said.',
    ]


def test_abbreviation_at_sentence_end_before_a_sentence_starter():
    text = "Aid comes from the U.S. The talks stalled."
    assert sentences(text) == ["Aid comes from the U.S.", "The talks stalled."]


def test_normalize_folds_quotes_and_white_space_and_maps_back():
    raw = "  \u201cWe\u2019re  holding\ton,\u201d\u200b he said.\n"
    charmap = CharMap()
    text = normalize_segment(raw, raw_offset=100, out_offset=7, charmap=charmap)
    assert text == "\"We're holding on,\" he said."
    padded = " " * 100 + raw
    # Every normalised character maps to the raw character it came from.
    for i, char in enumerate(text):
        source = padded[charmap.to_raw(7 + i)]
        if char == " ":
            assert source.isspace()
        elif char in "\"'":
            assert source in "\u201c\u201d\u2019"
        else:
            assert source == char
    start = text.index("holding")
    raw_start, raw_end = charmap.span_to_raw(7 + start, 7 + start + len("holding on"))
    assert padded[raw_start:raw_end] == "holding\ton"


def test_folded_quote_characters_are_not_ascii():
    # normalize_segment returns a printable ASCII text as it is, with nothing to fold.
    assert text._QUOTE_TRANSLATION and not any(chr(code).isascii() for code in text._QUOTE_TRANSLATION)
    assert normalize_segment("\u201cKursk\u201d isn't \u2018far\u2019", 0, 0, CharMap()) == '"Kursk" isn\'t \'far\''


def test_text_without_white_space_to_fix_takes_the_short_path():
    # normalize_segment skips its search on printable text without a double space: every
    # character the search can match, but the space, must be unprintable.
    matched = [c for c in map(chr, range(0x110000))
               if c != " " and (_SPACE_FIXES.search(c) or _SPACE_FIXES.search(c + c))]
    assert len(matched) > 30 and not [c for c in matched if c.isprintable()]
    for raw in ("a\u00a0b", "a\u200bb", "a\nb", "a  b", "a \u2009b", "\u201ca\u201d b"):
        charmap = CharMap()
        assert normalize_segment(raw, 0, 0, charmap) == {
            "a\u00a0b": "a b", "a\u200bb": "ab", "a\nb": "a b", "a  b": "a b", "a \u2009b": "a b",
            "\u201ca\u201d b": '"a" b'}[raw]
    charmap = CharMap()
    assert normalize_segment("  \u2018plain\u2019 text", 10, 3, charmap) == "'plain' text"
    assert (charmap.norm_starts, charmap.deltas) == ([3], [9])


def test_sentences_split_as_nltk_punkt_does(validation_texts):
    # Our tokenizer calls Punkt's patterns without NLTK's timeout wrapper; it must split alike.
    stock = PunktSentenceTokenizer(punkt_parameters())
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "tests/fixtures/hostile").iterdir()]
    # Runs of validation sentences make paragraphs with boundaries to decide.
    texts += [" ".join(validation_texts[i : i + 5]) for i in range(0, len(validation_texts), 5)]
    # Random strings of the characters Punkt's decisions turn on, with Unicode marks, superscript
    # digits and the controls where regular expression engines disagree on \w, \d and \s.
    alphabet = list("aZ. .!?\"')(,;:-1\n") + ["Mr.", "U.S.", "e\u0301", "\u00b2", "\u2460", "\x1c",
                                               "\u201d", "\u00bb", "...", "Dr. ", "No. 5"]
    generator = random.Random(3)
    texts += ["".join(generator.choices(alphabet, k=generator.randint(1, 80))) for _ in range(5000)]
    for text in texts:
        assert list(sentence_tokenizer().span_tokenize(text)) == list(stock.span_tokenize(text)), text


@pytest.mark.parametrize("starters_abbreviated", [False, True])
def test_plain_contexts_are_decided_as_nltk_decides_them(starters_abbreviated):
    # The shortcut for "word. Next" and the other shapes of _PLAIN_CONTEXT: every outcome (a plain
    # word, an abbreviation before a sentence starter, capitalised or not, before a name, a next
    # word that is an abbreviation or ends in a full stop), against NLTK's two passes; also with
    # sentence starters that are abbreviations too (none of the shipped ones is).
    params = punkt_parameters()
    if starters_abbreviated:
        params.abbrev_types |= {"the", "however", "but"}
    stock = PunktSentenceTokenizer(params)
    ours = text._SentenceTokenizer(params, lang_vars=text._UntimedLanguageVars(), token_cls=text._UntimedToken)
    words = ["Kursk", "kursk", "Mr", "mr", "Gen", "Jan", "St", "etc", "US", "Co", "pp", "ok", "U.S",
             "u.s", "U.K", "a.m", "e.g", "No", "A", "x", ""]
    following = ["The", "the", "It", "it", "Putin", "putin", "A", "a", "THE", "Moscow", "x", "But",
                 "However", "Mr", "Gen", "US", "No", "Jan", "St"]
    shapes = ["{w}. {n}", "{w}. {n},", "{w}. {n}'s", "{w}. {n}'", "{w}. {n}.", '{w}."', '{w}. "{n}',
              '{w}. "', "{w}? {n}", "{w}! {n}", '{w}?"', '{w}!"']
    contexts = sorted({shape.format(w=word, n=after) for shape in shapes for word in words
                       for after in following})
    decided = [ours.text_contains_sentbreak(context) for context in contexts]
    assert decided == [stock.text_contains_sentbreak(context) for context in contexts]
    shortcut = [context for context in contexts if text._PLAIN_CONTEXT.fullmatch(context)]
    assert len(shortcut) > 0.8 * len(contexts)
    assert {decided[contexts.index(c)] for c in shortcut} == {True, False}
    assert not decided[contexts.index("Mr. the")] and not decided[contexts.index('Gen. "The')]
    assert not decided[contexts.index("Mr. Putin")] and decided[contexts.index("Kursk. putin")]
    assert decided[contexts.index("Mr. The")] and decided[contexts.index("U.S. However,")]
    assert decided[contexts.index("Mr. The.")] != starters_abbreviated


def test_count_words_keeps_contractions_and_hyphenated_words_whole():
    assert count_words("Kremlin-affiliated bloggers didn't say 30 things.") == 6


def test_count_words_counts_the_word_pattern_matches():
    # The count without matches (ASCII texts) against the pattern's matches, on every ASCII
    # character and on random strings of word characters, joins and separators.
    generator = random.Random(7)
    alphabet = "aZ9_ -'\u2019.,\t\n\x1c\x00\u00e9\u0416\u0301"
    texts = [chr(code) * n for code in range(128) for n in (1, 2)]
    texts += ["".join(generator.choices(alphabet, k=generator.randint(0, 24))) for _ in range(50000)]
    texts += ["".join(generator.choices(alphabet[:9], k=generator.randint(0, 24))) for _ in range(50000)]
    texts += ["x-y-z", "a--b", "-x", "x-", "x - y", "x'-y", "don't stop", "'", "-a-", "9-11 '90s"]
    for text in texts:
        assert count_words(text) == len(re.findall(r"\w+(?:['\u2019-]\w+)*", text)), repr(text)


def sorted_alternation(exact: list[str], ignore_case: list[str]) -> str:
    """The plain form literal_alternation must agree with: longest literal first."""
    alternatives = [(re.escape(x), len(x)) for x in set(exact)]
    alternatives += [(f"(?i:{re.escape(x)})", len(x)) for x in set(ignore_case)]
    return "(?:" + "|".join(p for p, _ in sorted(alternatives, key=lambda a: -a[1])) + ")"


def test_literal_alternation_prefers_the_longest_literal():
    pattern = re.compile(r"(?<!\w)" + literal_alternation(["Russia", "Russian forces", "Russian"]) + r"(?!\w)")
    assert pattern.findall("Russian forces left Russia; Russians stayed.") == ["Russian forces", "Russia"]


def test_literal_alternation_keeps_case_rules_per_literal():
    pattern = re.compile(literal_alternation(exact=["AP"], ignore_case=["ap news", "analyst"]))
    assert pattern.findall("ap AP Ap News ANALYST") == ["AP", "Ap News", "ANALYST"]


@pytest.mark.parametrize("context", ["{}", r"(?<!\w){}(?!\w)", r"{}\b"])
def test_literal_alternation_matches_like_the_sorted_alternation(context):
    generator = random.Random(7)
    alphabet = "aAbB c.-"
    for _ in range(1500):
        literals = {"".join(generator.choice(alphabet) for _ in range(generator.randint(1, 4)))
                    for _ in range(generator.randint(1, 6))}
        exact = [x for x in literals if generator.random() < 0.5]
        ignore_case = [x for x in literals if x not in exact]
        expected = re.compile(context.format(sorted_alternation(exact, ignore_case)))
        actual = re.compile(context.format(literal_alternation(exact, ignore_case)))
        for _ in range(10):
            text = "".join(generator.choice(alphabet) for _ in range(12))
            assert [m.span() for m in actual.finditer(text)] == \
                [m.span() for m in expected.finditer(text)], (exact, ignore_case, text)


def test_literal_alternation_falls_back_for_non_ascii_case_folding():
    pattern = literal_alternation(ignore_case=["straße"])
    assert re.fullmatch(pattern, "STRASSE") is None and re.fullmatch(pattern, "STRAẞE")


def test_punkt_is_imported_without_the_rest_of_nltk():
    # In a fresh interpreter: the package's modules a Dask worker runs import neither NLTK's
    # package (which imports scipy.stats and scikit-learn) nor datasketch or statsmodels; the
    # Punkt loaded on its own splits as NLTK's, and `import nltk` afterwards is the whole of NLTK.
    script = """
import sys
from pathlib import Path
import kursk_utils.engine, kursk_utils.stages, kursk_utils.framing, kursk_utils.quotes
from kursk_utils.text import punkt_parameters, sentence_tokenizer
heavy = sorted(m for m in sys.modules
               if m.split(".")[0] in ("nltk", "sklearn", "datasketch", "statsmodels")
               or m.startswith(("scipy.stats", "scipy.integrate")))
assert not heavy, heavy
import nltk
from nltk.tokenize.punkt import PunktSentenceTokenizer
from nltk.sentiment.vader import SentimentIntensityAnalyzer
assert callable(nltk.tokenize.word_tokenize) and callable(nltk.classify.NaiveBayesClassifier.train)
base = sentence_tokenizer().__class__.__bases__[0]
assert base.__module__ == "nltk.tokenize.punkt" and base.__name__ == "PunktSentenceTokenizer"
assert base is not PunktSentenceTokenizer  # Punkt's own copy
stock = PunktSentenceTokenizer(punkt_parameters())
texts = [p.read_text(encoding="utf-8") for folder in sys.argv[1:] for p in sorted(Path(folder).iterdir())]
assert len(texts) > 4
for text in texts:
    assert list(sentence_tokenizer().span_tokenize(text)) == list(stock.span_tokenize(text))
"""
    subprocess.run([sys.executable, "-c", script, str(SEEDS), str(PROJECT_ROOT / "tests/fixtures/hostile")],
                   check=True, cwd=PROJECT_ROOT, env=os.environ | {"PYTHONPATH": str(PROJECT_ROOT)})
