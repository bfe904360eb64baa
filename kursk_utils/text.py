"""Text normalisation with a character map back to the raw text, and sentence segmentation.

Sentence splitting uses NLTK's Punkt algorithm with parameters that ship with this package
(``data/abbreviations.txt``, ``data/sentence_starters.txt``) instead of a trained model from a
user's ``nltk_data``: nothing is downloaded, and the same text always splits the same way.

NLTK 3.10 wraps every regular expression of Punkt in ``nltk.redos.TimedPattern``, a wall-clock
timeout meant for patterns callers supply. Punkt's own patterns are fixed, so the tokenizer here
calls the same patterns, compiled by the same ``regex`` engine, without the wrapper: the same
sentences, segmented about twice as fast.

Only NLTK's Punkt module is imported (:func:`import_bare`): ``import nltk`` runs NLTK's package
``__init__``, which imports nearly all of NLTK and with it ``scipy.stats`` and scikit-learn (1.2 s
of every Dask worker's start-up), none of which Punkt uses.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import types
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import regex


def import_bare(module: str) -> types.ModuleType:
    """``module`` (``"nltk.tokenize.punkt"``), imported without running the ``__init__`` of its
    parent packages when its top-level package is not imported yet.

    Bare package modules stand in for the parents while the module and the modules of its package
    it imports load; then every module of that package leaves ``sys.modules`` again, so a later
    ``import nltk`` (NLTK's VADER, a notebook) imports the whole package as usual. The module keeps
    its own references to the modules it imported. The same code runs either way (tested against
    NLTK's tokenizer imported as usual).
    """
    top = module.split(".")[0]
    if top in sys.modules:
        return importlib.import_module(module)
    location = importlib.util.find_spec(top).submodule_search_locations[0]
    before = set(sys.modules)
    parents = module.split(".")[:-1]
    for depth in range(1, len(parents) + 1):
        package = types.ModuleType(".".join(parents[:depth]))
        package.__path__ = ["/".join([location, *parents[1:depth]])]
        sys.modules[package.__name__] = package
    try:
        return importlib.import_module(module)
    finally:
        for name in set(sys.modules) - before | {top}:
            if name == top or name.startswith(f"{top}."):
                del sys.modules[name]


punkt = import_bare("nltk.tokenize.punkt")
PunktLanguageVars, PunktParameters = punkt.PunktLanguageVars, punkt.PunktParameters
PunktSentenceTokenizer, PunktToken = punkt.PunktSentenceTokenizer, punkt.PunktToken

# Quote characters folded to ASCII so that quote detection sees one form; all are one character,
# so folding keeps offsets.
_QUOTE_TRANSLATION = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    }
)
# Invisible characters are dropped; any run of white space (or a lone non-space white space
# character such as a tab or no-break space) becomes one space.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACE_FIXES = re.compile(rf"[{_INVISIBLE}]+|\s{{2,}}|[^\S ]")
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
# count_words' table of ASCII bytes: a word character (what _WORD's \w matches) -> "a", an
# apostrophe or hyphen -> "-", anything else -> a space.
_WORD_MARKS = bytes(
    ord("a") if chr(code).isalnum() or code == ord("_") else ord("-") if chr(code) in "'-" else ord(" ")
    for code in range(128)
) + bytes(128)
# A longer "sentence" (a text without full stops, a run-on list) is split into pieces of at most
# this many characters: the stages that score a sentence once per mention or cue cost time
# proportional to the sentence's length, so a bounded sentence keeps them linear in the article's.
MAX_SENTENCE_CHARS = 2000


@dataclass
class CharMap:
    """Piecewise map from offsets in normalised text to offsets in the raw text.

    Each segment ``k`` covers normalised offsets from ``norm_starts[k]`` up to the next start,
    where ``raw = norm + deltas[k]``.
    """

    norm_starts: list[int] = field(default_factory=list)
    deltas: list[int] = field(default_factory=list)

    def add(self, norm_start: int, raw_start: int) -> None:
        delta = raw_start - norm_start
        if self.norm_starts and self.norm_starts[-1] == norm_start:
            # A later fix at the same offset supersedes the earlier one (e.g. a removed character).
            self.norm_starts.pop()
            self.deltas.pop()
        if self.deltas and self.deltas[-1] == delta:
            return
        self.norm_starts.append(norm_start)
        self.deltas.append(delta)

    def to_raw(self, norm_offset: int) -> int:
        """Raw offset of the character at ``norm_offset``."""
        k = bisect_right(self.norm_starts, norm_offset) - 1
        return norm_offset + self.deltas[max(k, 0)]

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw span of the normalised span ``[start, end)`` (``end`` exclusive, ``end > start``)."""
        return self.to_raw(start), self.to_raw(end - 1) + 1


def normalize_segment(raw: str, raw_offset: int, out_offset: int, charmap: CharMap) -> str:
    """Normalise one stretch of raw text and record its offsets in ``charmap``.

    Quote characters are folded to ``"`` and ``'``, invisible characters removed and white space
    collapsed to single spaces; leading and trailing white space is stripped.

    Parameters
    ----------
    raw : str
        The raw text of the segment.
    raw_offset : int
        Offset of ``raw[0]`` in the whole raw document.
    out_offset : int
        Offset at which the returned text will start in the normalised document.
    charmap : CharMap
        Map to extend.

    Returns
    -------
    str
        The normalised segment (possibly empty).
    """
    stripped = raw.strip()
    if not stripped:
        return ""
    lead = len(raw) - len(raw.lstrip())
    raw_pos = raw_offset + lead
    pieces: list[str] = []
    out_pos = out_offset
    last = 0
    charmap.add(out_pos, raw_pos)
    # Every character _SPACE_FIXES matches but the space is unprintable (white space, format
    # characters; tested on every code point), so most paragraphs skip its search (the slowest
    # step here: the pattern has no literal to look for).
    if stripped.isprintable() and "  " not in stripped:
        # The quote characters folded are none of them ASCII: an ASCII text keeps its own.
        return stripped if stripped.isascii() else stripped.translate(_QUOTE_TRANSLATION)
    for match in _SPACE_FIXES.finditer(stripped):
        kept = stripped[last : match.start()]
        pieces.append(kept)
        out_pos += len(kept)
        if match.group().strip(_INVISIBLE):
            charmap.add(out_pos, raw_pos + match.start())
            pieces.append(" ")
            out_pos += 1
        last = match.end()
        charmap.add(out_pos, raw_pos + last)
    pieces.append(stripped[last:])
    return "".join(pieces).translate(_QUOTE_TRANSLATION)


def data_lines(name: str) -> list[str]:
    """The stripped, non-blank lines of the shipped data file ``name``, without ``#`` comments."""
    text = resources.files("kursk_utils").joinpath("data", name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _untimed(pattern):
    """The pattern behind an NLTK ``TimedPattern``, compiled by its engine; others unchanged."""
    if isinstance(pattern, (re.Pattern, regex.Pattern)):
        return pattern
    return regex.compile(pattern.pattern, pattern.flags)


class _UntimedLanguageVars(PunktLanguageVars):
    """NLTK's English language variables, with the patterns called directly."""

    __slots__ = ()
    re_boundary_realignment = _untimed(PunktLanguageVars.re_boundary_realignment)

    def __init__(self) -> None:
        super().__init__()
        # The base class compiles these on first use and keeps them in these slots.
        self._re_word_tokenizer = _untimed(super()._word_tokenizer_re())
        self._re_period_context = _untimed(super().period_context_re())


_NON_PUNCT = _untimed(punkt._re_non_punct)


class _UntimedToken(PunktToken):
    """NLTK's Punkt token, with the patterns called directly."""

    __slots__ = ()
    _RE_ELLIPSIS = _untimed(PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = _untimed(PunktToken._RE_NUMERIC)
    _RE_INITIAL = _untimed(PunktToken._RE_INITIAL)
    _RE_ALPHA = _untimed(PunktToken._RE_ALPHA)

    @property
    def is_non_punct(self):
        return _NON_PUNCT.search(self.type)


# The commonest contexts Punkt asks about (nine in ten on generated articles and on kursk60):
# - a word of two or more ASCII letters, or of letters with inner full stops ("U.S"), a full stop,
#   then a space and a word of ASCII letters ("Kursk. The"), the word followed by a comma that ends
#   the context, an apostrophe and letters ("Russia's") or a full stop; or then a quote mark,
#   alone or after a space and followed by letters ('said."', 'Kursk. "The');
# - ASCII letters (or none), a question or exclamation mark, then a space and ASCII letters or a
#   quote mark ("Why? The").
_PLAIN_CONTEXT = re.compile(
    r"[A-Za-z]*[?!](?: [A-Za-z]+|\")"
    r"|(?P<word>[A-Za-z]{2,}|[A-Za-z]+(?:\.[A-Za-z]+)+)\."
    r"(?: (?P<next>[A-Za-z]+)(?:,|'[A-Za-z]*|(?P<stop>\.))?|\"| \"[A-Za-z]*)"
)


class _SentenceTokenizer(PunktSentenceTokenizer):
    """NLTK's Punkt sentence tokenizer, deciding its commonest cases without building tokens.

    For each possible sentence end, Punkt tokenizes the context (the word before, the end, what
    follows) and runs both annotation passes over its tokens; the context holds a break when a
    token follows one marked as a break. On the contexts of :data:`_PLAIN_CONTEXT`, with parameters
    that hold no collocations and no orthographic context (as :func:`punkt_parameters` ships them),
    those passes reduce to rules on the word before and the next word:

    - NLTK's word tokenizer makes "?" and "!" tokens of their own, and the first pass marks them
      as breaks; a token follows: a break;
    - the first pass marks "word." a break unless "word" is a known abbreviation (a word of two or
      more letters, or with an inner full stop, is never an initial, a number or an ellipsis). The
      second pass may then mark an abbreviation a break only before a token that starts a sentence:
      without orthographic context its orthographic heuristic never says so, so only the frequent
      sentence starter rule can, for a capitalised next word whose type is a sentence starter. The
      next token is the next word's letters (the tokenizer ends a word before a comma that ends
      it, before an apostrophe and before a quote mark, which is a token of its own and never
      capitalised); a next word ending in a full stop is one token, whose type keeps the stop
      when the first pass finds it an abbreviation; nothing after the next token is ever a break.

    Every other context goes to NLTK's code. The same decisions as NLTK's tokenizer (tested on
    every shape of context above, and the spans on the seeds, the test fixtures, validation
    sentences and random strings).
    """

    def __init__(self, params: PunktParameters, **kwargs) -> None:
        super().__init__(params, **kwargs)
        # The reduction holds only without collocations and orthographic statistics.
        self._plain_rule = not params.collocations and not any(params.ortho_context.values())

    def text_contains_sentbreak(self, text: str) -> bool:
        plain = _PLAIN_CONTEXT.fullmatch(text) if self._plain_rule else None
        if plain is None:
            return super().text_contains_sentbreak(text)
        word, following, stop = plain.group("word", "next", "stop")
        abbreviations = self._params.abbrev_types
        if word is None or word.lower() not in abbreviations:
            return True
        if following is None or not following[0].isupper():
            return False
        typ = following.lower()
        if stop is not None and typ in abbreviations:
            typ += "."
        return typ in self._params.sent_starters


def punkt_parameters() -> PunktParameters:
    """Punkt parameters from the shipped abbreviation and sentence-starter lists."""
    params = PunktParameters()
    params.abbrev_types = set(data_lines("abbreviations.txt"))
    params.sent_starters = set(data_lines("sentence_starters.txt"))
    return params


@lru_cache(maxsize=1)
def sentence_tokenizer() -> PunktSentenceTokenizer:
    """Punkt tokenizer with the shipped parameters (:func:`punkt_parameters`), see above."""
    return _SentenceTokenizer(
        punkt_parameters(), lang_vars=_UntimedLanguageVars(), token_cls=_UntimedToken
    )


def split_sentences(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Split ``text`` into sentences of at most ``max_chars`` characters.

    A longer sentence is cut into pieces at white space (see :data:`MAX_SENTENCE_CHARS`);
    :func:`sentence_spans` also counts the sentences that were cut.

    Returns
    -------
    list of (start, end)
        Character spans of the sentences in ``text`` (``end`` exclusive), in order, without
        surrounding white space. ``"U.S. President Donald Trump and Mr. Putin met on Aug. 6."``
        is one sentence; a quotation ending in ``."`` closes its sentence.
    """
    return sentence_spans(text, max_chars)[0]


def sentence_spans(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> tuple[list[tuple[int, int]], int]:
    """:func:`split_sentences` of ``text``, and how many of its sentences were over ``max_chars``
    long (each is cut into pieces), for the ingest manifest."""
    spans: list[tuple[int, int]] = []
    n_split = 0
    for start, end in sentence_tokenizer().span_tokenize(text):
        if text[start:end].strip():
            n_split += end - start > max_chars
            spans.extend(_bounded_spans(text, start, end, max_chars))
    return spans, n_split


def _bounded_spans(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` cut into stripped pieces of at most ``max_chars`` characters.

    Each cut is at the last white space within the limit (mid-word only when there is none).
    """
    while end - start > max_chars:
        cut = text.rfind(" ", start + 1, start + max_chars + 1)
        if cut <= start:
            cut = start + max_chars
        piece_end = cut
        while text[piece_end - 1].isspace():
            piece_end -= 1
        yield start, piece_end
        start = cut
        while text[start].isspace():
            start += 1
    yield start, end


def count_words(text: str) -> int:
    """Number of word tokens (letters/digits, with inner apostrophes and hyphens) in ``text``: the
    matches of :data:`_WORD`.

    An ASCII text is counted without building the matches: each match is a run of word characters
    joined to the next by a single apostrophe or hyphen, so the matches are the runs less the
    joins. With word characters read as ``a``, apostrophes and hyphens as ``-`` and anything else
    as a space, a run starts at the text's start or after a space or a ``-``, and a ``-a`` is a
    join unless a space or another ``-`` or nothing comes before it; none of the counted strings
    can overlap itself (tested against the pattern on every ASCII character and random strings).
    """
    if not text.isascii():
        return len(_WORD.findall(text))
    marks = text.encode().translate(_WORD_MARKS)
    return (marks.count(b" a") + marks.count(b" -a") + marks.count(b"--a")
            + marks.startswith(b"a") + marks.startswith(b"-a"))


def literal_alternation(exact: Iterable[str] = (), ignore_case: Iterable[str] = ()) -> str:
    """A regex group matching any of the literals; where several match, the longest.

    The same matches as ``(?:a|b|...)`` over the escaped literals sorted longest first, also
    when a lookaround follows the group (the longest literal for which it holds wins), but built
    as a trie: the regex engine follows one branch per character instead of trying each literal
    in turn, several times faster for hundreds of literals. ``exact`` literals match
    case-sensitively, ``ignore_case`` literals case-insensitively; those must be ASCII (Unicode
    case folding does not fit a trie), else the plain sorted alternation is returned.
    """
    exact, ignore_case = set(exact) - {""}, set(ignore_case) - {""}
    if not all(literal.isascii() for literal in ignore_case):
        alternatives = [(re.escape(literal), len(literal)) for literal in exact] + [
            (f"(?i:{re.escape(literal)})", len(literal)) for literal in ignore_case
        ]
        ordered = sorted(alternatives, key=lambda item: (-item[1], item[0]))
        return "(?:" + "|".join(pattern for pattern, _ in ordered) + ")"
    folded = bool(ignore_case)
    root: dict = {}
    for literal, sensitive in [(lit, True) for lit in exact] + [(lit, False) for lit in ignore_case]:
        node = root
        for character in literal.lower() if folded else literal:
            node = node.setdefault(character, {})
        # A case-insensitive trie ends an exact literal with a check of its exact spelling.
        node.setdefault("", set()).add(re.escape(literal) if sensitive and folded else None)

    def emit(node: dict) -> str:
        branches = [re.escape(character) + emit(child)
                    for character, child in sorted(node.items()) if character]
        ends = node.get("", set())
        if not ends:
            end = None
        elif None in ends or not folded:
            end = ""
        else:
            end = "(?:" + "|".join(f"(?<=(?-i:{spelling}))" for spelling in sorted(ends)) + ")"
        if end is not None:
            branches.append(end)  # last: the longer literals are tried first
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    body = emit(root) if root else "(?!)"
    return f"(?i:{body})" if folded else f"(?:{body})"
