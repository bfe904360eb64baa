"""Read a folder of news articles into tidy tables: documents, paragraphs, sentences, manifest.

Inputs are plain-text (``.txt``, ``.md``) articles, one per file, or tabular files (``.jsonl``,
``.csv``) with one article per record. Every input file ends up in the manifest, ingested or
skipped with its reason; bad records of tabular files are skipped with their line number.
Column meanings are documented in ``docs/architecture.md``.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import math
import numbers
import os
import re
import stat
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import date
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from kursk_utils import tables
from kursk_utils.text import (
    MAX_SENTENCE_CHARS,
    CharMap,
    count_words,
    data_lines,
    import_bare,
    normalize_segment,
    sentence_spans,
    split_sentences,
)

TEXT_SUFFIXES = (".txt", ".md")
TABULAR_SUFFIXES = (".jsonl", ".csv")
TEXT_COLUMNS = ("text", "body", "content", "article")
ID_COLUMNS = ("doc_id", "id")
METADATA_COLUMNS = {
    "title": ("title", "headline"),
    "summary": ("summary", "description", "lede"),
    "outlet": ("outlet", "source", "publisher"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at"),
}
SECTIONS = ("title", "subtitle", "summary", "body")
# Headlines and subtitles are short and usually have no final full stop.
MAX_HEADLINE_CHARS = 200
MAX_SUBTITLE_CHARS = 300
NEAR_DUPLICATE_THRESHOLD = 0.7
SHINGLE_WORDS = 5
# Odd 64-bit multipliers, one per word position of a gram.
_SHINGLE_WEIGHTS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD][:SHINGLE_WORDS], dtype=np.uint64,
)
# A copy contained in a longer text (a story embedded in a page with other items): at least this
# share of the smaller text's shingles are in the other. Texts with fewer shingles than the minimum
# are too short for containment to mean syndication (a shared sentence or two).
CONTAINMENT_THRESHOLD = 0.7
MIN_CONTAINED_SHINGLES = 50
# Candidate pairs: MinHash LSH Ensemble with fixed permutations (results never depend on a seed
# drawn at run time).
MINHASH_PERMUTATIONS = 64
MINHASH_SEED = 1
LSH_PARTITIONS = 4
LSH_MAX_ROWS = 4
# The doc_id of the corpus-wide rows of actor_sentiment: no document may have it.
CORPUS_DOC_ID = "*"
# A lone surrogate (from a JSON escape such as "\ud800") is not a character UTF-8 can store.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory"),
)


_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
# ISO 8601: a date, or a date and time (the time and its zone are dropped: the date as written).
_ISO_DATE = re.compile(r"(\d{4})[-/](\d{2})[-/](\d{2})(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                       r"(?:z|[+-]\d{2}:?\d{2})?)?")  # matched in lower case
_DAY_MONTH_YEAR = re.compile(r"(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


def published_date(value: str | None) -> tuple[str | None, str | None]:
    """A ``published`` value as an ISO date (``YYYY-MM-DD``), with a warning when it is not one.

    Read: ISO dates and date-times (``2025-03-14``, ``2025/03/14``, ``2025-03-13T09:30:00Z``: the
    date as written, the time zone is not applied), ``14 March 2025`` and ``March 14, 2025``
    (English month names or their abbreviations, an optional weekday first). Anything else,
    numeric day/month orders included (``03/04/2025`` is ambiguous), gives None and a warning.

    Returns
    -------
    (date, warning)
        ``(None, None)`` for a missing or blank value.
    """
    if value is None or not value.strip():
        return None, None
    text = value.strip().lower()
    year = month = day = None
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = int(match[1]), _MONTHS.get(match[2]), int(match[3])
    elif match := _MONTH_DAY_YEAR.fullmatch(text):
        month, day, year = _MONTHS.get(match[1]), int(match[2]), int(match[3])
    if month is not None:
        try:
            return date(year, month, day).isoformat(), None
        except ValueError:
            pass
    return None, f"published {value[:80]!r} is not a date that can be read (left null)"


class CorpusError(ValueError):
    """The corpus as a whole cannot be read (missing path, no articles)."""


@dataclass
class Ingested:
    """The tables produced by :func:`ingest` (columns in ``docs/architecture.md``)."""

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    manifest: pd.DataFrame


@dataclass
class _Article:
    """An article's parts before segmentation: (section, raw text, raw offset or None).

    The offset is None for parts that are not in the raw text (a title from a metadata column).
    """

    parts: list[tuple[str, str, int | None]]
    layout: str
    raw: str
    metadata: dict[str, str | None] = field(default_factory=dict)
    # Sentence spans of the normalised text of long parts (by part index), found when checking
    # for over-long sentences, so that segmentation does not split the same long text again.
    long_part_spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


class _Skip(Exception):
    """A file or record that cannot be ingested, with the reason recorded in the manifest."""


@lru_cache(maxsize=1)
def _boilerplate_pattern() -> re.Pattern[str]:
    patterns = data_lines("boilerplate.txt")
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def decode_bytes(data: bytes) -> tuple[str, str, str | None]:
    """Decode raw article bytes.

    Tries, in order: UTF-8 with BOM, UTF-16 with BOM, UTF-8, then cp1252 (with a warning, since
    that guess can be wrong).

    Returns
    -------
    (text, encoding, warning)

    Raises
    ------
    _Skip
        For empty files, binary files (NUL bytes without a UTF-16 BOM) and bytes no candidate
        encoding decodes.
    """
    if not data.strip():
        raise _Skip("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data, "utf-8-sig"), "utf-8-sig", None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16"), "utf-16", None
    if b"\x00" in data:
        raise _Skip("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    text = _decode(data, "cp1252")
    return text, "cp1252", "not valid UTF-8; decoded as cp1252"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise _Skip(f"undecodable bytes ({encoding}: {err.reason} at byte {err.start})") from None


def _lines(raw: str) -> list[tuple[str, int]]:
    """Non-blank lines of ``raw`` with their offsets; blank lines become ``("", offset)``."""
    out = []
    offset = 0
    for line in raw.splitlines(keepends=True):
        out.append((line.rstrip("\r\n") if line.strip() else "", offset))
        offset += len(line)
    return out


def _is_headline(line: str, max_chars: int = MAX_HEADLINE_CHARS) -> bool:
    stripped = line.strip().rstrip('"\u201d\'')
    return 0 < len(stripped) <= max_chars and not stripped.endswith((".", "!", ";", ":", ","))


def _paragraph_blocks(lines: list[tuple[str, int]], raw: str) -> list[tuple[str, int]]:
    """Group lines into paragraphs, returned as (raw text, raw offset).

    Blank lines separate paragraphs. Inside a block, hard-wrapped lines (short lines that do not
    end a sentence) are joined; otherwise each line is its own paragraph, as in articles saved
    one paragraph per line.
    """
    blocks: list[list[tuple[str, int]]] = [[]]
    for line, offset in lines:
        if line:
            blocks[-1].append((line, offset))
        elif blocks[-1]:
            blocks.append([])
    paragraphs: list[tuple[str, int]] = []
    for block in blocks:
        wrapped = len(block) > 1 and all(
            len(ln.strip()) < 100 and not ln.rstrip().endswith((".", '."', "?", "!"))
            for ln, _ in block[:-1]
        )
        if wrapped:
            start, end = block[0][1], block[-1][1] + len(block[-1][0])
            paragraphs.append((raw[start:end], start))
        else:
            paragraphs.extend(block)
    return paragraphs


def parse_article(raw: str, suffix: str = ".txt") -> _Article:
    """Split a plain-text article into title, subtitle, summary and body parts.

    Layouts recognised:

    - ``summary_title_body``: a summary paragraph, then a title line (possibly repeated), an
      optional one-line subtitle, then the body;
    - ``summary_body``: a summary, then a "Read the original article here" line, then the body;
    - ``headline_body``: a short headline line without final punctuation, then the body;
    - ``body``: anything else.

    Boilerplate lines (``data/boilerplate.txt``) are removed; no other text is dropped (a repeated
    title is kept once). Markdown heading markers are stripped in ``.md`` files.
    """
    lines = _lines(raw)
    if suffix == ".md":
        lines = [_strip_markdown_heading(ln, off) for ln, off in lines]
    boilerplate = _boilerplate_pattern()
    marker_index = None
    kept: list[tuple[str, int]] = []
    for line, offset in lines:
        if line and boilerplate.fullmatch(line.strip()):
            if marker_index is None and "original" in line.lower():
                marker_index = len([ln for ln, _ in kept if ln])
            kept.append(("", offset))
            continue
        kept.append((line, offset))
    paragraphs = _paragraph_blocks(kept, raw)
    texts = [p.strip() for p, _ in paragraphs]

    title_at = _repeated_title_index(texts)
    if title_at is not None:
        parts = [("summary", *paragraphs[i]) for i in range(title_at)]
        parts.insert(0, ("title", *paragraphs[title_at]))
        rest = title_at + 1
        if rest < len(texts) and texts[rest] == texts[title_at]:
            rest += 1
        if rest + 1 < len(texts) and len(texts[rest]) <= MAX_SUBTITLE_CHARS and len(
            split_sentences(texts[rest])
        ) == 1:
            parts.insert(1, ("subtitle", *paragraphs[rest]))
            rest += 1
        parts += [("body", *p) for p in paragraphs[rest:]]
        layout = "summary_title_body" if title_at > 0 else "headline_body"
    elif marker_index is not None and 0 < marker_index < len(paragraphs):
        parts = [("summary", *p) for p in paragraphs[:marker_index]]
        parts += [("body", *p) for p in paragraphs[marker_index:]]
        layout = "summary_body"
    elif len(paragraphs) > 1 and _is_headline(texts[0]):
        parts = [("title", *paragraphs[0])] + [("body", *p) for p in paragraphs[1:]]
        layout = "headline_body"
    else:
        parts = [("body", *p) for p in paragraphs]
        layout = "body"
    order = {name: i for i, name in enumerate(SECTIONS)}
    parts.sort(key=lambda part: order[part[0]])  # stable: paragraphs keep their order
    return _Article(parts=parts, layout=layout, raw=raw)


def _strip_markdown_heading(line: str, offset: int) -> tuple[str, int]:
    match = re.match(r"\s{0,3}#{1,6}\s+", line)
    if not match:
        return line, offset
    return line[match.end() :], offset + match.end()


def _repeated_title_index(texts: list[str]) -> int | None:
    """Index of a short title line that is repeated right after itself, near the top."""
    for i in range(min(len(texts) - 1, 6)):
        if texts[i] == texts[i + 1] and _is_headline(texts[i]):
            return i
    return None


PARAGRAPH_COLUMNS = ("doc_id", "paragraph_id", "section", "start", "end", "text")
SENTENCE_COLUMNS = ("doc_id", "sentence_id", "paragraph_id", "section", "start", "end", "raw_start",
                    "raw_end", "text", "n_words")


def _segment(doc_id: str, article: _Article) -> tuple[dict, dict[str, list], dict[str, list]]:
    """Normalise an article's parts into document text, paragraph rows and sentence rows.

    The paragraph and sentence rows come as columns (:data:`PARAGRAPH_COLUMNS`,
    :data:`SENTENCE_COLUMNS`: name -> values): cheaper to cache and to make tables of than one
    dict per row.
    """
    charmap = CharMap()
    pieces: list[str] = []
    paragraphs: dict[str, list] = {name: [] for name in PARAGRAPH_COLUMNS}
    sentences: dict[str, list] = {name: [] for name in SENTENCE_COLUMNS}
    n_sentences = 0
    offset = 0
    for part_index, (section, raw_text, raw_offset) in enumerate(article.parts):
        if pieces:
            pieces.append("\n\n")
            offset += 2
        part_map = charmap if raw_offset is not None else CharMap()
        text = normalize_segment(raw_text, raw_offset or 0, offset, part_map)
        if not text:
            continue
        pieces.append(text)
        paragraph_id = len(paragraphs["text"])
        for name, value in zip(PARAGRAPH_COLUMNS,
                               (doc_id, paragraph_id, section, offset, offset + len(text), text)):
            paragraphs[name].append(value)
        spans = article.long_part_spans.get(part_index)
        for s, e in split_sentences(text) if spans is None else spans:
            raw_start, raw_end = (
                charmap.span_to_raw(offset + s, offset + e) if raw_offset is not None else (None, None)
            )
            for name, value in zip(SENTENCE_COLUMNS, (
                    doc_id, n_sentences, paragraph_id, section, offset + s, offset + e, raw_start,
                    raw_end, text[s:e], count_words(text[s:e]))):
                sentences[name].append(value)
            n_sentences += 1
        offset += len(text)
    full_text = "".join(pieces).strip("\n")
    sections, texts = paragraphs["section"], paragraphs["text"]
    first = dict(zip(reversed(sections), reversed(texts)))
    summary = " ".join(t for section, t in zip(sections, texts) if section == "summary") or None
    document = {
        "doc_id": doc_id,
        "layout": article.layout,
        "title": article.metadata.get("title") or first.get("title"),
        "subtitle": first.get("subtitle"),
        "summary": article.metadata.get("summary") or summary,
        "outlet": article.metadata.get("outlet"),
        "url": article.metadata.get("url"),
        "published": article.metadata.get("published"),
        "text": full_text,
        "n_paragraphs": len(texts),
        "n_sentences": n_sentences,
        "n_words": sum(sentences["n_words"]),
    }
    return document, paragraphs, sentences


def discover(corpus_path: str | Path) -> tuple[Path, list[Path]]:
    """Return the corpus root and every entry below it (recursively, sorted).

    Entries are everything but the folders walked: files, symbolic links (to folders too, which
    are not followed), FIFOs, sockets and devices, and folders that could not be listed, so that
    :func:`read_source` gives each one a manifest row. Nothing is opened here.

    Raises
    ------
    CorpusError
        If ``corpus_path`` does not exist.
    """
    path = Path(corpus_path)
    if not path.exists():
        raise CorpusError(f"corpus path does not exist: {path}")
    if not path.is_dir():
        return path.parent, [path]
    entries: list[Path] = []

    def unlisted(error: OSError) -> None:  # kept as an entry, so the manifest says why
        if error.filename and Path(error.filename) != path:
            entries.append(Path(error.filename))

    for folder, folders, files in os.walk(path, onerror=unlisted):
        entries += [Path(folder, name) for name in files]
        # Symbolic links to folders are entries (skipped with a reason), never walked into.
        entries += [Path(folder, name) for name in folders if os.path.islink(os.path.join(folder, name))]
    return path, sorted(entries)


def _noting_duplicates(duplicates: list[str]):
    """A ``json`` ``object_pairs_hook`` that keeps the last value of a repeated key, as ``json``
    does, and notes the key in ``duplicates``."""

    def build(pairs: list[tuple[str, object]]) -> dict:
        record: dict = {}
        for key, value in pairs:
            if key in record:
                duplicates.append(key)
            record[key] = value
        return record

    return build


# The column names read from a record, in lower case (records are matched case-insensitively).
_KNOWN_COLUMNS = frozenset(TEXT_COLUMNS + ID_COLUMNS).union(*METADATA_COLUMNS.values())


def _case_collisions(keys: list[str], what: str) -> list[str]:
    """Warnings for known column names given more than once, in any mix of case."""
    spellings: dict[str, list[str]] = {}
    for key in keys:
        spellings.setdefault(str(key).lower(), []).append(str(key))
    return [
        f"{what} {', '.join(repr(k) for k in group)} name the same column (the last was used)"
        for lowered, group in sorted(spellings.items())
        if len(group) > 1 and lowered in _KNOWN_COLUMNS
    ]


def jsonl_lines(text: str) -> Iterator[tuple[int, str]]:
    """The non-blank lines of JSON Lines text, each with its 1-based line number.

    Split at ``\\n`` only: JSON Lines ends records there, and U+2028, U+2029 or U+0085 inside a
    string are text (``str.splitlines`` would cut the record in two).
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield number, line


def _tabular_records(
    text: str, suffix: str
) -> tuple[list[tuple[int, dict, list[str]]], list[tuple[int, str]], list[str]]:
    """Parse JSONL/CSV text into records, record skips and file warnings.

    Returns
    -------
    (records, skips, file_warnings)
        ``records`` are (line, record, warnings about the record), ``skips`` (line, reason).
        JSONL lines are split by :func:`jsonl_lines`.
    """
    records: list[tuple[int, dict, list[str]]] = []
    skips: list[tuple[int, str]] = []
    if suffix == ".jsonl":
        for number, line in jsonl_lines(text):
            duplicates: list[str] = []
            try:
                record = json.loads(line, object_pairs_hook=_noting_duplicates(duplicates))
            except json.JSONDecodeError as err:
                skips.append((number, f"malformed JSON: {err.msg} at column {err.colno}"))
                continue
            if not isinstance(record, dict):
                skips.append((number, "JSON line is not an object"))
                continue
            warnings = [f"duplicate JSON key {key!r} (the last value was used)"
                        for key in sorted(set(duplicates))]
            records.append((number, record, warnings + _case_collisions(list(record), "keys")))
        return records, skips, []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise _Skip("CSV file has no readable header row") from None
    header = [h.strip() for h in header]
    file_warnings = _case_collisions(header, "CSV headers")
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            skips.append((line, f"malformed CSV row: {err}"))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            skips.append((line, f"CSV row has {len(row)} fields, header has {len(header)}"))
            continue
        records.append((line, dict(zip(header, row)), []))
    return records, skips, file_warnings


def _field(record: dict, names: tuple[str, ...]) -> tuple[str, object] | None:
    """(key, value) of the first of ``names`` (any case) the record holds, not null or blank."""
    lowered = {str(k).lower(): (k, v) for k, v in record.items()}
    for name in names:
        key, value = lowered.get(name, (name, None))
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return str(key), value
    return None


def _json_kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float) and not math.isfinite(value):
        return f"the number {value!r}"
    return "a number"


def _pick(record: dict, names: tuple[str, ...], numbers_allowed: bool = True) -> str | None:
    """The stripped text of the first of ``names`` the record holds (see :func:`_field`).

    Raises
    ------
    _Skip
        For a value that is not text (an object, array, boolean, NaN or infinity; a number too
        unless ``numbers_allowed``, as for an id or a year): it is not turned into text.
    """
    found = _field(record, names)
    if found is None:
        return None
    key, value = found
    if isinstance(value, str):
        text = value.strip()
    elif (numbers_allowed and isinstance(value, numbers.Real) and not isinstance(value, bool)
          and math.isfinite(value)):
        text = str(value)
    else:
        raise _Skip(f"field {key!r} holds {_json_kind(value)}, not text")
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise _Skip(f"field {key!r} holds a lone surrogate ({ascii(surrogate.group())}), "
                    "which is not valid Unicode")
    return text


def _tabular_articles(
    text: str, suffix: str, stem: str
) -> tuple[list[tuple[str, int, _Article, list[str]]], list[tuple[int, str]], list[str]]:
    """The articles of a JSONL/CSV file: (doc id asked for, line, article, warnings) each,
    with the record skips (line, reason) and the file's warnings."""
    records, skips, file_warnings = _tabular_records(text, suffix)
    if records and all(_field(rec, TEXT_COLUMNS) is None for _, rec, _ in records):
        raise _Skip(f"no text column (expected one of: {', '.join(TEXT_COLUMNS)})")
    articles = []
    for line, record, warnings in records:
        try:
            body = _pick(record, TEXT_COLUMNS, numbers_allowed=False)
            if body is None:
                raise _Skip("empty text")
            metadata = {key: _pick(record, names) for key, names in METADATA_COLUMNS.items()}
            row_id = _pick(record, ID_COLUMNS)
        except _Skip as skip:
            skips.append((line, str(skip)))
            continue
        if row_id == CORPUS_DOC_ID:
            warnings.append(_RESERVED_ID_WARNING)
            row_id = None
        metadata["published"], date_warning = published_date(metadata["published"])
        warnings += [date_warning] if date_warning else []
        parts = []
        if metadata["title"]:
            parts.append(("title", metadata["title"], None))
        body_parts = [("body", p, off) for p, off in _paragraph_blocks(_lines(body), body)]
        # Offsets of tabular records point into the record's text field.
        article = _Article(parts=parts + body_parts, layout="tabular", raw=body, metadata=metadata)
        articles.append((row_id or f"{stem}-{line}", line, article, warnings))
    return articles, skips, file_warnings


_RESERVED_ID_WARNING = (f"id {CORPUS_DOC_ID!r} marks corpus-wide rows (actor_sentiment); "
                        "the document was given another doc_id")


def _unique_doc_id(candidate: str, fallback: str, taken: set[str]) -> str:
    doc_id = candidate if candidate not in taken else fallback
    n = 2
    while doc_id in taken:
        doc_id, n = f"{fallback}~{n}", n + 1
    taken.add(doc_id)
    return doc_id


@dataclass
class FoundArticle:
    """An article read from an input file, before it has its final ``doc_id``.

    ``candidate_id`` is the id the article asks for (file stem, or the record's id column) and
    ``fallback_id`` the one it gets when the candidate is taken (the path without suffix, with
    the line for tabular records); ``line`` is the record's line (None for text files).
    """

    candidate_id: str
    fallback_id: str
    line: int | None
    sha256: str
    article: _Article


@dataclass
class SourceFile:
    """One input file read: its manifest rows (the file's row first) and the articles it holds."""

    path: str
    encoding: str | None
    manifest: list[dict]
    articles: list[FoundArticle]


def display_path(path: Path) -> str:
    """``path`` (POSIX form) as text that can be stored: bytes of a file name that are not UTF-8
    appear as ``\\xff`` escapes (``bad\\xffname.txt``)."""
    return os.fsencode(path.as_posix()).decode("utf-8", "backslashreplace")


def _check_entry(root: Path, path: Path, follow_external_symlinks: bool) -> None:
    """Raise :class:`_Skip` unless ``path`` is a regular file (or a link to one) that may be read.

    Uses ``lstat``/``stat`` only: a FIFO, socket or device is never opened (opening a FIFO blocks).
    """
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                raise _Skip("dangling symbolic link (its target does not exist)") from None
            except RuntimeError:  # Python < 3.13 reports a loop this way
                raise _Skip("symbolic link loop") from None
            except OSError as err:
                if err.errno == errno.ELOOP:
                    raise _Skip("symbolic link loop") from None
                raise
            mode = os.stat(path).st_mode
            if stat.S_ISDIR(mode):
                raise _Skip("symbolic link to a folder (not followed)")
            if not follow_external_symlinks and not target.is_relative_to(root.resolve()):
                raise _Skip("symbolic link to a file outside the corpus folder (not followed; "
                            "ingest with follow_external_symlinks=True to include it)")
    except OSError as err:
        raise _Skip(f"cannot be read ({err.strerror or err})") from None
    for is_kind, kind in _SPECIAL_FILES:
        if is_kind(mode):
            reason = "folder that could not be listed" if kind == "a directory" else f"{kind}"
            raise _Skip(f"not a regular file: {reason} (not opened)")


def _read_file(path: Path) -> bytes:
    """The bytes of the regular file ``path``; :class:`_Skip` if it cannot be read."""
    try:
        # O_NONBLOCK: should the entry have become a FIFO since it was checked, opening it
        # returns at once, and the check below refuses it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise _Skip("not a regular file (changed since it was listed)")
            return handle.read()
    except OSError as err:
        raise _Skip(f"cannot be read ({err.strerror or err})") from None


def read_entry(root: Path, path: Path, follow_external_symlinks: bool = False) -> tuple[bytes | None, str | None]:
    """The bytes of the entry ``path`` below ``root``, or None and the reason it is not read.

    A special file, a dangling or looping link, a link to a folder or (unless
    ``follow_external_symlinks``) outside the corpus is never opened; an unreadable file gives
    its error as the reason.
    """
    try:
        _check_entry(root, path, follow_external_symlinks)
        return _read_file(path), None
    except _Skip as skip:
        return None, str(skip)


def read_source(root: Path, path: Path, follow_external_symlinks: bool = False,
                entry_bytes: tuple[bytes | None, str | None] | None = None) -> SourceFile:
    """Read, decode and parse one input entry below ``root``; never raises for bad content.

    An entry that cannot be ingested (special file, dangling or looping link, link outside the
    corpus unless ``follow_external_symlinks``, unreadable, undecodable, ...) gets a ``skipped``
    manifest row with its reason and no articles; bad records of tabular files get
    ``skipped_record`` rows, and records ingested with a warning ``ingested_record`` rows.
    Reading an entry depends on nothing but the entry, so entries can be read in any order or in
    parallel. ``entry_bytes``: the entry's :func:`read_entry` when the caller has read it already.
    """
    relative = path.relative_to(root)
    rel = display_path(relative)
    entry = {"path": rel, "line": None, "status": "ingested", "reason": None, "warning": None,
             "encoding": None, "sha256": None, "bytes": None, "n_documents": 0}
    warnings = []
    if rel != relative.as_posix():
        warnings.append("file name is not valid UTF-8 (shown with \\x escapes)")
    manifest = [entry]
    suffix = path.suffix.lower()
    stem = display_path(relative.with_suffix(""))
    candidate = display_path(Path(path.stem))
    try:
        data, unread = entry_bytes or read_entry(root, path, follow_external_symlinks)
        if data is None:
            raise _Skip(unread)
        entry.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
        if path.name.startswith("."):
            raise _Skip("hidden file")
        if suffix not in TEXT_SUFFIXES + TABULAR_SUFFIXES:
            raise _Skip(f"unsupported extension '{display_path(Path(suffix or path.name))}'")
        raw, entry["encoding"], decode_warning = decode_bytes(data)
        warnings += [decode_warning] if decode_warning else []
        if suffix in TEXT_SUFFIXES:
            article = parse_article(raw, suffix)
            if not article.parts:
                raise _Skip("no article text after removing boilerplate")
            if candidate == CORPUS_DOC_ID:
                warnings.append(_RESERVED_ID_WARNING)
            warnings += _split_sentence_warnings(article)
            found = [FoundArticle(candidate, stem, None, entry["sha256"], article)]
        else:
            articles, skips, file_warnings = _tabular_articles(raw, suffix, candidate)
            warnings += file_warnings
            record_rows = [(line, "skipped_record", reason, None) for line, reason in skips]
            for _, line, article, record_warnings in articles:
                record_warnings += _split_sentence_warnings(article)
                if record_warnings:
                    record_rows.append((line, "ingested_record", None, "; ".join(record_warnings)))
            manifest.extend(
                {"path": rel, "line": line, "status": status, "reason": reason,
                 "warning": warning, "encoding": entry["encoding"], "sha256": None,
                 "bytes": None, "n_documents": 0}
                for line, status, reason, warning in sorted(record_rows)
            )
            if not articles:
                raise _Skip("no records with text" if not skips else "every record was skipped")
            found = [
                FoundArticle(row_id, f"{stem}-{line}", line,
                             hashlib.sha256(art.raw.encode("utf-8")).hexdigest(), art)
                for row_id, line, art, _ in articles
            ]
    except _Skip as skip:
        entry.update(status="skipped", reason=str(skip), warning="; ".join(warnings) or None)
        return SourceFile(rel, entry["encoding"], manifest, [])
    entry.update(n_documents=len(found), warning="; ".join(warnings) or None)
    return SourceFile(rel, entry["encoding"], manifest, found)


def _split_sentence_warnings(article: _Article) -> list[str]:
    """The manifest warning for an article with sentences longer than MAX_SENTENCE_CHARS.

    Only parts longer than the limit can hold such a sentence, so only those are normalised and
    split here, as :func:`_segment` would (the normalised text does not depend on offsets); their
    spans are kept on the article for :func:`_segment`.
    """
    n_split = 0
    for index, (_, text, _) in enumerate(article.parts):
        if len(text) > MAX_SENTENCE_CHARS:
            spans, n_long = sentence_spans(normalize_segment(text, 0, 0, CharMap()))
            article.long_part_spans[index] = spans
            n_split += n_long
    if not n_split:
        return []
    return [f"{n_split} sentence(s) longer than {MAX_SENTENCE_CHARS} characters were split "
            "into pieces of at most that length"]


def assign_doc_ids(requests: list[list[tuple[str, str]]]) -> list[list[str]]:
    """Give every article a unique ``doc_id``, first come first served.

    Parameters
    ----------
    requests : list of list of (candidate_id, fallback_id)
        Per input file, in file order, the ids each of its articles asks for.

    Returns
    -------
    list of list of str
        The ``doc_id`` of each article, shaped like ``requests``: the candidate when it is free,
        else the fallback, else the fallback with ``~2``, ``~3``, ... :data:`CORPUS_DOC_ID` is
        never free.
    """
    taken: set[str] = {CORPUS_DOC_ID}  # reserved: a document asking for it gets its fallback
    return [[_unique_doc_id(candidate, fallback, taken) for candidate, fallback in file_requests]
            for file_requests in requests]


def segment_article(found: FoundArticle, source_path: str, encoding: str | None
                    ) -> tuple[dict, dict[str, list], dict[str, list]]:
    """The document row, paragraph rows and sentence rows (as columns, see :func:`_segment`) of
    one article, with ``doc_id`` ``""``.

    The final ``doc_id`` depends on the other files of the corpus; :func:`frames_from_rows`
    puts it in. The document row has the duplicate columns still null.
    """
    document, paragraphs, sentences = _segment("", found.article)
    document.update(source_path=source_path, source_row=found.line, sha256=found.sha256,
                    encoding=encoding)
    return document, paragraphs, sentences


def frames_from_rows(
    articles: list[tuple[str, dict, dict[str, list], dict[str, list]]],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The documents, paragraphs and sentences tables of articles given their final ``doc_id``.

    Parameters
    ----------
    articles : list of (doc_id, document, paragraphs, sentences)
        Rows from :func:`segment_article` (the paragraph and sentence rows as columns); ``doc_id``
        replaces theirs.

    Returns
    -------
    (documents, paragraphs, sentences)
        Sorted by key. ``documents`` has every column of the contract, with the duplicate
        columns still null: flag them over the whole corpus
        (:func:`flag_duplicates_from_signatures`).
    """
    documents = pd.DataFrame([{**document, "doc_id": doc_id} for doc_id, document, _, _ in articles])
    documents = documents.sort_values("doc_id", ignore_index=True)
    documents["source_row"] = documents["source_row"].astype("Int64")
    no_flags = _duplicate_frame([None] * len(documents), [None] * len(documents), [None] * len(documents))
    documents = documents.join(no_flags)[DOCUMENT_COLUMNS]

    def table(position: int, names: tuple[str, ...]) -> pd.DataFrame:
        # Column by column: the same table as from one dict per row, built several times faster.
        columns = {name: [] for name in names}
        for article in articles:
            doc_id, rows = article[0], article[position]
            columns["doc_id"] += [doc_id] * len(rows["doc_id"])
            for name in names[1:]:
                columns[name] += rows[name]
        return pd.DataFrame(columns)

    return (
        documents,
        table(2, PARAGRAPH_COLUMNS).sort_values(["doc_id", "paragraph_id"], ignore_index=True),
        table(3, SENTENCE_COLUMNS).sort_values(["doc_id", "sentence_id"], ignore_index=True),
    )


def no_articles_error(corpus_path: str | Path, manifest: list[dict]) -> CorpusError:
    """The error for a corpus in which no file gave an article, with the reasons counted."""
    reasons = Counter(e["reason"] for e in manifest if e["status"] == "skipped")
    detail = "; ".join(f"{n} x {r}" for r, n in sorted(reasons.items())) or "no files"
    return CorpusError(f"no articles could be ingested from {corpus_path} ({detail})")


def check_near_duplicate_threshold(threshold: object) -> float:
    """Return ``threshold`` as a float if it is a number in (0, 1], else raise a clear error.

    Call it before any work starts (the ingest functions call it too).

    Raises
    ------
    ValueError
        For a value that is not a real number (text, a boolean, None) or not in (0, 1]: 0 would
        flag every pair of documents as near-duplicates, above 1 none could be.
    """
    if not isinstance(threshold, numbers.Real) or isinstance(threshold, bool):
        raise ValueError(f"near_duplicate_threshold must be a number in (0, 1], got {threshold!r}")
    if not 0 < threshold <= 1:  # also refuses NaN
        raise ValueError(
            f"near_duplicate_threshold must be in (0, 1] (a Jaccard similarity), got {threshold!r}"
        )
    return float(threshold)


def ingest(
    corpus_path: str | Path,
    near_duplicate_threshold: float = NEAR_DUPLICATE_THRESHOLD,
    follow_external_symlinks: bool = False,
) -> Ingested:
    """Read every file below ``corpus_path`` into documents, paragraphs and sentences.

    Parameters
    ----------
    corpus_path : str or Path
        A folder (searched recursively) or a single file.
    near_duplicate_threshold : float
        Jaccard similarity of word 5-gram shingles above which two documents are flagged as
        near-duplicates (the same story syndicated twice); in (0, 1].
    follow_external_symlinks : bool, default False
        Read files that symbolic links inside the corpus point to outside it. By default they are
        skipped (with the reason in the manifest), so no text from elsewhere reaches the outputs.

    Returns
    -------
    Ingested
        ``documents``, ``paragraphs``, ``sentences`` and ``manifest`` tables. Duplicates are
        flagged in ``documents`` (``duplicate_of``, ``duplicate_kind``), never dropped.

    Raises
    ------
    CorpusError
        If the path does not exist or holds no article that could be ingested.
    ValueError
        If ``near_duplicate_threshold`` is not a number in (0, 1].
    """
    # The stages module builds on this one; imported here so that ingestion is wired only there.
    from kursk_utils import stages

    return stages.ingest_corpus(corpus_path, near_duplicate_threshold, follow_external_symlinks)


DOCUMENT_COLUMNS = [
    "doc_id", "source_path", "source_row", "sha256", "encoding", "layout", "title", "subtitle",
    "summary", "outlet", "url", "published", "n_paragraphs", "n_sentences", "n_words",
    "duplicate_of", "duplicate_kind", "duplicate_similarity", "text",
]


def manifest_frame(manifest: list[dict]) -> pd.DataFrame:
    """The ``ingest_manifest`` table from the manifest rows of :func:`read_source`, sorted."""
    df = pd.DataFrame(manifest)
    for column in ("line", "bytes"):
        df[column] = df[column].astype("Int64")
    return df.sort_values(["path", "line"], na_position="first", ignore_index=True)


class _WordSpaces(dict):
    """A ``str.translate`` table that turns every character ``\\w`` does not match into a space, filled
    as characters are met: in a ``str`` pattern ``\\w`` matches ``"_"`` and the characters
    ``str.isalnum`` accepts (``re``'s definition; tested on every code point)."""

    def __missing__(self, code: int) -> int:
        self[code] = kept = code if code == 95 or chr(code).isalnum() else 32
        return kept


_WORD_SPACES = _WordSpaces()


def _shingle_words(text: str) -> list[bytes]:
    """The UTF-8 bytes of the words of ``text`` lower-cased: ``re.findall(r"\\w+", text.lower())``.

    Every other character becomes a space and the rest is split at spaces, several times faster
    than the pattern's matches encoded one by one (word characters are never white space, and a
    non-ASCII character's UTF-8 bytes never ASCII white space).
    """
    return text.lower().translate(_WORD_SPACES).encode().split()


def _shingles(text: str) -> np.ndarray:
    """Sorted distinct 64-bit hashes of the word 5-grams of ``text`` (one gram if shorter)."""
    words = _shingle_words(text) or [b""]
    # Stable word hashes (independent of PYTHONHASHSEED, so equal on every worker), crc32 << 32 |
    # adler32, combined per gram as a weighted sum modulo 2**64 with NumPy instead of hashing each
    # gram's string.
    hashes = np.fromiter(map(zlib.crc32, words), np.uint64, len(words)) << np.uint64(32)
    hashes |= np.fromiter(map(zlib.adler32, words), np.uint64, len(words))
    n_grams = max(len(hashes) - SHINGLE_WORDS + 1, 1)
    grams = np.zeros(n_grams, dtype=np.uint64)
    for k, weight in enumerate(_SHINGLE_WEIGHTS[: len(hashes)]):
        grams += hashes[k : k + n_grams] * weight
    # np.unique's result, several times faster on arrays of this size (it hashes before sorting).
    grams.sort()
    distinct = np.empty(n_grams, dtype=bool)
    distinct[0] = True
    np.not_equal(grams[1:], grams[:-1], out=distinct[1:])
    return grams[distinct]


def duplicate_signature(text: str) -> tuple[str, np.ndarray]:
    """What duplicate detection needs to know about one document's normalised ``text``.

    Returns
    -------
    (text_sha256, shingles)
        The hex digest of the text (equal texts are exact duplicates) and the sorted, distinct
        64-bit hashes of its word 5-grams as a ``uint64`` array (about 8 bytes per word), so
        duplicates of a large corpus can be found from signatures computed in parallel.
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return digest, _shingles(text)


def flag_duplicates(documents: pd.DataFrame, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> pd.DataFrame:
    """Flag exact, near and contained duplicate documents.

    Exact duplicates share their normalised ``text``; near-duplicates have a Jaccard similarity of
    word 5-gram shingles of at least ``threshold``; a contained duplicate shares at least
    :data:`CONTAINMENT_THRESHOLD` of the smaller text's shingles (of at least
    :data:`MIN_CONTAINED_SHINGLES`) with the other text (a syndicated story embedded in a longer
    page, or trimmed and given a new first paragraph). Of a pair, the later document in
    ``doc_id`` order is flagged, pointing to the first document of its group, whichever text is
    longer.

    Parameters
    ----------
    documents : DataFrame
        Must have ``doc_id`` and ``text``, sorted by ``doc_id``.

    Returns
    -------
    DataFrame
        Indexed like ``documents``, with ``duplicate_of``, ``duplicate_kind`` (``exact``,
        ``near``, ``contained``) and ``duplicate_similarity`` (1.0 for ``exact``, the Jaccard
        similarity for ``near``, the containment for ``contained``); null for documents that are
        first of their kind.
    """
    signatures = [duplicate_signature(text) for text in documents["text"]]
    flags = flag_duplicates_from_signatures(
        documents["doc_id"].tolist(), [digest for digest, _ in signatures],
        [shingles for _, shingles in signatures], threshold,
    )
    return flags.set_axis(documents.index)


def flag_duplicates_from_signatures(
    doc_ids: list[str],
    text_digests: list[str],
    shingles: list[np.ndarray],
    threshold: float = NEAR_DUPLICATE_THRESHOLD,
    minhashes: np.ndarray | None = None,
) -> pd.DataFrame:
    """:func:`flag_duplicates` from the documents' :func:`duplicate_signature` values.

    Candidate pairs come from a MinHash LSH Ensemble (``datasketch``) over the documents' shingle
    sets, so the cost grows about linearly with the corpus; every candidate is then confirmed
    from the exact shingle sets. The MinHash permutations are fixed (:data:`MINHASH_SEED`) and
    the index is built in ``doc_ids`` order, so the flags depend only on the signatures.

    Parameters
    ----------
    doc_ids : list of str
        Sorted; ``text_digests`` and ``shingles`` follow the same order.
    minhashes : numpy.ndarray, optional
        :func:`minhash_values` of ``shingles`` (same order), when computed elsewhere (the Dask
        engine computes them in the workers); computed here otherwise.

    Returns
    -------
    DataFrame
        One row per document (RangeIndex, in ``doc_ids`` order): ``duplicate_of``,
        ``duplicate_kind``, ``duplicate_similarity``.
    """
    threshold = check_near_duplicate_threshold(threshold)
    duplicate_of: list[int | None] = [None] * len(doc_ids)
    kind: list[str | None] = [None] * len(doc_ids)
    similarity: list[float | None] = [None] * len(doc_ids)
    first_by_text: dict[str, int] = {}
    for pos, key in enumerate(text_digests):
        if key in first_by_text:
            duplicate_of[pos], kind[pos], similarity[pos] = first_by_text[key], "exact", 1.0
        else:
            first_by_text[key] = pos

    originals = sorted(first_by_text.values())
    for a, b in _candidate_pairs(originals, shingles, min(threshold, CONTAINMENT_THRESHOLD), minhashes):
        if kind[b] is not None:
            continue
        found = _duplicate_kind(shingles[a], shingles[b], threshold)
        if found is not None:
            duplicate_of[b] = a if duplicate_of[a] is None else duplicate_of[a]
            kind[b], similarity[b] = found
    return _duplicate_frame(
        [doc_ids[d] if d is not None else None for d in duplicate_of], kind, similarity
    )


def _duplicate_kind(a: np.ndarray, b: np.ndarray, threshold: float) -> tuple[str, float] | None:
    """(``near``, Jaccard) or (``contained``, containment of the smaller set) of two shingle sets,
    or None when they are neither."""
    overlap = np.intersect1d(a, b, assume_unique=True).size
    jaccard = overlap / (len(a) + len(b) - overlap)
    if jaccard >= threshold:
        return "near", round(jaccard, 4)
    smaller = min(len(a), len(b))
    containment = overlap / smaller
    if smaller >= MIN_CONTAINED_SHINGLES and containment >= CONTAINMENT_THRESHOLD:
        return "contained", round(containment, 4)
    return None


# The MurmurHash3 64-bit finalizer with which datasketch's "affine64" MinHash pre-mixes each value.
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
# Shingles per NumPy block: its (permutations, shingles) products stay within the CPU caches
# (about 1 MB); blocks of 100,000 shingles took several times as long, and a block's memory is
# bounded whatever the size of a document.
_MINHASH_BLOCK = 2048


@lru_cache(maxsize=1)
def _minhash_permutations() -> tuple[np.ndarray, np.ndarray]:
    """The ``permutations`` (a, b) of datasketch's ``MinHash(num_perm=MINHASH_PERMUTATIONS,
    seed=MINHASH_SEED, scheme="affine64")``, drawn as its ``_init_permutations`` draws them (tested
    equal): an odd ``a`` and any ``b`` per permutation. Drawn here because importing datasketch
    imports ``scipy.integrate`` (about 0.5 s in every worker that ingests).
    """
    generator = np.random.RandomState(MINHASH_SEED)
    a = generator.randint(0, 1 << 63, MINHASH_PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = generator.randint(0, 1 << 64, MINHASH_PERMUTATIONS, dtype=np.uint64)
    return a, b


def _mixed(hashes: np.ndarray) -> np.ndarray:
    shift, first, second = _FMIX64
    hashes = (hashes ^ (hashes >> shift)) * first
    hashes = (hashes ^ (hashes >> shift)) * second
    return hashes ^ (hashes >> shift)


def minhash_values(shingles: list[np.ndarray]) -> np.ndarray:
    """The MinHash values of each shingle set: a (documents, :data:`MINHASH_PERMUTATIONS`)
    ``uint64`` array, row i equal to the ``hashvalues`` of datasketch's ``MinHash(seed=MINHASH_SEED,
    scheme="affine64", hashfunc=int)`` updated with ``shingles[i]`` (the shingles are 64-bit
    hashes already, so they are not hashed again).

    datasketch's ``update_batch`` turns each value into a Python int and back; its formula (fmix64
    pre-mix, then ``a * h + b`` modulo 2**64 per permutation, minimum per permutation) is applied
    here to a document's shingles at once, a large document in blocks (tested equal to
    datasketch). The products are laid out one permutation per row, so that each minimum runs
    along contiguous memory (one shingle per row, reduced over blocks of documents with
    ``np.minimum.reduceat``, took 20-40% longer).
    """
    a, b = _minhash_permutations()
    a, b = a[:, None], b[:, None]
    values = np.full((len(shingles), MINHASH_PERMUTATIONS), np.iinfo(np.uint64).max, dtype=np.uint64)
    for row, hashes in zip(values, shingles):  # an empty set keeps the initial values
        for offset in range(0, len(hashes), _MINHASH_BLOCK):
            block = hashes[offset : offset + _MINHASH_BLOCK].astype(np.uint64, copy=False)
            permuted = np.multiply(a, _mixed(block))
            permuted += b
            np.minimum(row, permuted.min(axis=1), out=row)
    return values


def _ensemble_params(containment: float) -> tuple[np.ndarray, np.ndarray]:
    """The query-size ratios ``xqs`` and the (bands, rows) of each that datasketch's MinHash LSH
    Ensemble tunes for ``containment`` when it is built (its ``xqs`` and ``params``).

    At the shipped threshold they are read from ``data/lsh_ensemble_params.json`` (tested equal
    to datasketch's): tuning imports ``scipy.integrate`` (about 0.5 s of every run) and
    integrates numerically for each (b, r). Another threshold builds the ensemble.
    """
    shipped = _shipped_ensemble_params()
    if (containment, MINHASH_PERMUTATIONS, LSH_MAX_ROWS) == (shipped["threshold"], shipped["num_perm"], shipped["m"]):
        return np.array(shipped["xqs"], dtype=np.float64), np.array(shipped["params"], dtype=int)
    from datasketch import MinHashLSHEnsemble  # imports scipy.integrate

    ensemble = MinHashLSHEnsemble(threshold=containment, num_perm=MINHASH_PERMUTATIONS,
                                  num_part=LSH_PARTITIONS, m=LSH_MAX_ROWS)
    return ensemble.xqs, ensemble.params


@lru_cache(maxsize=1)
def _shipped_ensemble_params() -> dict:
    return json.loads(resources.files("kursk_utils").joinpath("data", "lsh_ensemble_params.json")
                      .read_text(encoding="utf-8"))


def _candidate_pairs(
    originals: list[int], shingles: list[np.ndarray], containment: float,
    minhashes: np.ndarray | None = None,
) -> list[tuple[int, int]]:
    """Sorted pairs (a, b), a < b, of ``originals`` whose smaller shingle set may be contained in
    the other at ``containment`` or more: the pairs datasketch's MinHash LSH Ensemble finds when
    every document is indexed and then queried (tested equal to it).

    A Jaccard similarity J implies a containment of the smaller set of at least J, so one index at
    the lower of the two thresholds finds the candidates of both kinds.

    The ensemble's own index inserts every document into up to 133 hash tables one band at a time
    in Python (about 0.5 ms per document); the same lookups are done here band by band in NumPy.
    The ensemble cuts the documents into :data:`LSH_PARTITIONS` partitions by set size; a query of
    size q looks into each partition (upper size u) with the band count b and rows per band r
    tuned for u / q, and finds the partition's documents that agree with it on all r MinHash
    values of one of the first b bands. ``minhashes``: :func:`minhash_values` of all ``shingles``
    when the caller has them.
    """
    if len(originals) < 2:
        return []
    n = len(originals)
    sizes = np.array([len(shingles[pos]) for pos in originals], dtype=np.int64)
    values = (minhash_values([shingles[pos] for pos in originals]) if minhashes is None
              else minhashes[originals])
    xqs, params_of_xq = _ensemble_params(containment)
    # Its partitioning alone (NumPy only), without datasketch's package __init__.
    optimal_partitions = import_bare("datasketch.lshensemble_partition").optimal_partitions
    # The partitions as MinHashLSHEnsemble.index makes them: bounds from the size distribution,
    # then the documents in size order, moving on one partition when a size exceeds the bound.
    distinct, counts = np.unique(sizes, return_counts=True)
    uppers = [int(upper) for _, upper in optimal_partitions(distinct, counts, LSH_PARTITIONS)]
    part_of_size, current = {}, 0
    for size in distinct.tolist():
        if size > uppers[current]:
            current += 1
        part_of_size[size] = current
    part = np.array([part_of_size[size] for size in sizes.tolist()], dtype=np.int64)
    members = [np.flatnonzero(part == p) for p in range(len(uppers))]
    # (b, r) of every query in every partition (MinHashLSHEnsemble._get_optimal_param).
    params = []
    for upper in uppers:
        row = np.minimum(np.searchsorted(xqs, upper / sizes.astype(np.float64), side="left"),
                         len(params_of_xq) - 1)
        params.append((params_of_xq[row, 0], params_of_xq[row, 1]))
    found = []
    for rows in sorted({int(r) for _, r_of in params for r in np.unique(r_of)}):
        for band in range(MINHASH_PERMUTATIONS // rows):
            codes = None
            for p, (b_of, r_of) in enumerate(params):
                queries = np.flatnonzero((r_of == rows) & (b_of > band))
                if not len(queries) or not len(members[p]):
                    continue
                if codes is None:  # equal codes: equal values on all rows of the band
                    codes = np.unique(values[:, band * rows : (band + 1) * rows], axis=0,
                                      return_inverse=True)[1].reshape(-1)
                keys = members[p][np.argsort(codes[members[p]], kind="stable")]
                key_codes = codes[keys]
                low = np.searchsorted(key_codes, codes[queries], side="left")
                high = np.searchsorted(key_codes, codes[queries], side="right")
                hits = high - low
                if not hits.any():
                    continue
                first = np.repeat(queries, hits)
                ends = np.cumsum(hits)
                second = keys[np.arange(ends[-1]) - np.repeat(ends - hits - low, hits)]
                other = first != second
                first, second = first[other], second[other]
                found.append(np.minimum(first, second) * n + np.maximum(first, second))
        if found:
            found = [np.unique(np.concatenate(found))]
    if not found:
        return []
    pairs = np.unique(np.concatenate(found))
    positions = np.asarray(originals, dtype=np.int64)
    return list(zip(positions[pairs // n].tolist(), positions[pairs % n].tolist()))


def _duplicate_frame(
    duplicate_of: list[str | None], kind: list[str | None], similarity: list[float | None]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "duplicate_of": pd.Series(duplicate_of, dtype="str"),
            "duplicate_kind": pd.Series(kind, dtype="str"),
            "duplicate_similarity": pd.Series(similarity, dtype="float64"),
        }
    )


def check_offsets(ingested: Ingested) -> int:
    """Check that every sentence's offsets slice its text out of its document's text.

    Returns the number of sentences checked; raises ``AssertionError`` naming the first sentence
    whose offsets do not match.
    """
    texts = dict(zip(ingested.documents["doc_id"], ingested.documents["text"]))
    for row in ingested.sentences.itertuples():
        if texts[row.doc_id][row.start : row.end] != row.text:
            raise AssertionError(f"offsets of sentence {row.sentence_id} of {row.doc_id} are wrong")
    return len(ingested.sentences)


def write_ingested(ingested: Ingested, output_dir: str | Path) -> list[Path]:
    """Write the four ingestion tables to ``<output_dir>/data/`` (``documents`` also as CSV)."""
    return [
        tables.write_table(ingested.documents, output_dir, "documents", csv=True,
                           csv_exclude=("text",)),
        tables.write_table(ingested.paragraphs, output_dir, "paragraphs"),
        tables.write_table(ingested.sentences, output_dir, "sentences"),
        tables.write_table(ingested.manifest, output_dir, "ingest_manifest"),
    ]
