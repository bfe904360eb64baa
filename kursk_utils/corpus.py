"""Read a folder of news articles into tidy tables: documents, paragraphs, sentences, manifest.

Inputs are plain-text (``.txt``, ``.md``) articles, one per file, or tabular files (``.jsonl``,
``.csv``) with one article per record. Every input file ends up in the manifest, ingested or
skipped with its reason; bad records of tabular files are skipped with their line number.
Column meanings are documented in ``docs/architecture.md``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from kursk_utils import tables
from kursk_utils.text import CharMap, count_words, normalize_segment, split_sentences

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
# Shingles shared by more documents than this are boilerplate, not evidence of syndication.
MAX_SHINGLE_DOCS = 50


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


class _Skip(Exception):
    """A file or record that cannot be ingested, with the reason recorded in the manifest."""


@lru_cache(maxsize=1)
def _boilerplate_pattern() -> re.Pattern[str]:
    text = resources.files("kursk_utils").joinpath("data", "boilerplate.txt").read_text("utf-8")
    patterns = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
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


def _segment(doc_id: str, article: _Article) -> tuple[dict, list[dict], list[dict]]:
    """Normalise an article's parts into document text, paragraph rows and sentence rows."""
    charmap = CharMap()
    pieces: list[str] = []
    paragraphs: list[dict] = []
    sentences: list[dict] = []
    offset = 0
    for section, raw_text, raw_offset in article.parts:
        if pieces:
            pieces.append("\n\n")
            offset += 2
        part_map = charmap if raw_offset is not None else CharMap()
        text = normalize_segment(raw_text, raw_offset or 0, offset, part_map)
        if not text:
            continue
        pieces.append(text)
        paragraph_id = len(paragraphs)
        paragraphs.append(
            {"doc_id": doc_id, "paragraph_id": paragraph_id, "section": section,
             "start": offset, "end": offset + len(text), "text": text}
        )
        for s, e in split_sentences(text):
            raw_start, raw_end = (
                charmap.span_to_raw(offset + s, offset + e) if raw_offset is not None else (None, None)
            )
            sentences.append(
                {"doc_id": doc_id, "sentence_id": len(sentences), "paragraph_id": paragraph_id,
                 "section": section, "start": offset + s, "end": offset + e,
                 "raw_start": raw_start, "raw_end": raw_end, "text": text[s:e],
                 "n_words": count_words(text[s:e])}
            )
        offset += len(text)
    full_text = "".join(pieces).strip("\n")
    first = {p["section"]: p["text"] for p in reversed(paragraphs)}
    summary = " ".join(p["text"] for p in paragraphs if p["section"] == "summary") or None
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
        "n_paragraphs": len(paragraphs),
        "n_sentences": len(sentences),
        "n_words": sum(s["n_words"] for s in sentences),
    }
    return document, paragraphs, sentences


def discover(corpus_path: str | Path) -> tuple[Path, list[Path]]:
    """Return the corpus root and every file below it (recursively, sorted).

    Raises
    ------
    CorpusError
        If ``corpus_path`` does not exist.
    """
    path = Path(corpus_path)
    if not path.exists():
        raise CorpusError(f"corpus path does not exist: {path}")
    if path.is_file():
        return path.parent, [path]
    return path, sorted(p for p in path.rglob("*") if p.is_file())


def _tabular_records(
    text: str, suffix: str
) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """Parse JSONL/CSV text into (line, record) pairs and (line, reason) skips."""
    records: list[tuple[int, dict]] = []
    skips: list[tuple[int, str]] = []
    if suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                skips.append((number, f"malformed JSON: {err.msg} at column {err.colno}"))
                continue
            if not isinstance(record, dict):
                skips.append((number, "JSON line is not an object"))
                continue
            records.append((number, record))
        return records, skips
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise _Skip("CSV file has no readable header row") from None
    header = [h.strip() for h in header]
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
        records.append((line, dict(zip(header, row))))
    return records, skips


def _pick(record: dict, names: tuple[str, ...]) -> str | None:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        value = lowered.get(name)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _tabular_articles(
    text: str, suffix: str, stem: str
) -> tuple[list[tuple[str, int, _Article]], list[tuple[int, str]]]:
    records, skips = _tabular_records(text, suffix)
    if records and all(_pick(rec, TEXT_COLUMNS) is None for _, rec in records):
        raise _Skip(f"no text column (expected one of: {', '.join(TEXT_COLUMNS)})")
    articles = []
    for line, record in records:
        body = _pick(record, TEXT_COLUMNS)
        if body is None:
            skips.append((line, "empty text"))
            continue
        metadata = {key: _pick(record, names) for key, names in METADATA_COLUMNS.items()}
        parts = []
        if metadata["title"]:
            parts.append(("title", metadata["title"], None))
        body_parts = [("body", p, off) for p, off in _paragraph_blocks(_lines(body), body)]
        row_id = _pick(record, ID_COLUMNS) or f"{stem}-{line}"
        # Offsets of tabular records point into the record's text field.
        article = _Article(parts=parts + body_parts, layout="tabular", raw=body, metadata=metadata)
        articles.append((row_id, line, article))
    return articles, skips


def _unique_doc_id(candidate: str, fallback: str, taken: set[str]) -> str:
    doc_id = candidate if candidate not in taken else fallback
    n = 2
    while doc_id in taken:
        doc_id, n = f"{fallback}~{n}", n + 1
    taken.add(doc_id)
    return doc_id


def ingest(
    corpus_path: str | Path, near_duplicate_threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> Ingested:
    """Read every file below ``corpus_path`` into documents, paragraphs and sentences.

    Parameters
    ----------
    corpus_path : str or Path
        A folder (searched recursively) or a single file.
    near_duplicate_threshold : float
        Jaccard similarity of word 5-gram shingles above which two documents are flagged as
        near-duplicates (the same story syndicated twice).

    Returns
    -------
    Ingested
        ``documents``, ``paragraphs``, ``sentences`` and ``manifest`` tables. Duplicates are
        flagged in ``documents`` (``duplicate_of``, ``duplicate_kind``), never dropped.

    Raises
    ------
    CorpusError
        If the path does not exist or holds no article that could be ingested.
    """
    root, files = discover(corpus_path)
    documents, paragraphs, sentences, manifest = [], [], [], []
    taken: set[str] = set()
    for path in files:
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        entry = {"path": rel, "line": None, "status": "ingested", "reason": None, "warning": None,
                 "encoding": None, "sha256": hashlib.sha256(data).hexdigest(),
                 "bytes": len(data), "n_documents": 0}
        manifest.append(entry)
        suffix = path.suffix.lower()
        try:
            if path.name.startswith("."):
                raise _Skip("hidden file")
            if suffix not in TEXT_SUFFIXES + TABULAR_SUFFIXES:
                raise _Skip(f"unsupported extension '{suffix or path.name}'")
            raw, entry["encoding"], entry["warning"] = decode_bytes(data)
            stem = path.relative_to(root).with_suffix("").as_posix()
            if suffix in TEXT_SUFFIXES:
                article = parse_article(raw, suffix)
                if not article.parts:
                    raise _Skip("no article text after removing boilerplate")
                found = [(path.stem, None, article, entry["sha256"])]
            else:
                articles, skips = _tabular_articles(raw, suffix, path.stem)
                manifest.extend(
                    {"path": rel, "line": line, "status": "skipped_record", "reason": reason,
                     "warning": None, "encoding": entry["encoding"], "sha256": None,
                     "bytes": None, "n_documents": 0}
                    for line, reason in skips
                )
                if not articles:
                    raise _Skip("no records with text" if not skips else "every record was skipped")
                found = [
                    (row_id, line, art, hashlib.sha256(art.raw.encode("utf-8")).hexdigest())
                    for row_id, line, art in articles
                ]
        except _Skip as skip:
            entry.update(status="skipped", reason=str(skip))
            continue
        for candidate, line, article, digest in found:
            doc_id = _unique_doc_id(candidate, f"{stem}-{line}" if line else stem, taken)
            document, doc_paragraphs, doc_sentences = _segment(doc_id, article)
            document.update(source_path=rel, source_row=line, sha256=digest,
                            encoding=entry["encoding"])
            documents.append(document)
            paragraphs += doc_paragraphs
            sentences += doc_sentences
        entry["n_documents"] = len(found)

    manifest_df = _manifest_frame(manifest)
    if not documents:
        reasons = Counter(e["reason"] for e in manifest if e["status"] == "skipped")
        detail = "; ".join(f"{n} x {r}" for r, n in sorted(reasons.items())) or "no files"
        raise CorpusError(f"no articles could be ingested from {corpus_path} ({detail})")
    documents_df = _documents_frame(documents, near_duplicate_threshold)
    return Ingested(
        documents=documents_df,
        paragraphs=pd.DataFrame(paragraphs).sort_values(["doc_id", "paragraph_id"], ignore_index=True),
        sentences=pd.DataFrame(sentences).sort_values(["doc_id", "sentence_id"], ignore_index=True),
        manifest=manifest_df,
    )


DOCUMENT_COLUMNS = [
    "doc_id", "source_path", "source_row", "sha256", "encoding", "layout", "title", "subtitle",
    "summary", "outlet", "url", "published", "n_paragraphs", "n_sentences", "n_words",
    "duplicate_of", "duplicate_kind", "near_duplicate_similarity", "text",
]


def _documents_frame(documents: list[dict], threshold: float) -> pd.DataFrame:
    df = pd.DataFrame(documents).sort_values("doc_id", ignore_index=True)
    df["source_row"] = df["source_row"].astype("Int64")
    flags = flag_duplicates(df, threshold)
    df = df.join(flags)
    return df[DOCUMENT_COLUMNS]


def _manifest_frame(manifest: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(manifest)
    for column in ("line", "bytes"):
        df[column] = df[column].astype("Int64")
    return df.sort_values(["path", "line"], na_position="first", ignore_index=True)


def _shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    n = SHINGLE_WORDS
    grams = {" ".join(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))}
    # A stable hash keeps the result independent of PYTHONHASHSEED.
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams}


def flag_duplicates(documents: pd.DataFrame, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> pd.DataFrame:
    """Flag exact and near-duplicate documents.

    Exact duplicates share their normalised ``text``; near-duplicates have a Jaccard similarity of
    word 5-gram shingles of at least ``threshold``. Candidate pairs come from an inverted index of
    shingles, so the cost grows with the number of shared shingles rather than with all pairs.
    Each duplicate points to the first document (in ``doc_id`` order) of its group.

    Parameters
    ----------
    documents : DataFrame
        Must have ``doc_id`` and ``text``, sorted by ``doc_id``.

    Returns
    -------
    DataFrame
        Indexed like ``documents``, with ``duplicate_of``, ``duplicate_kind`` (``exact``/``near``)
        and ``near_duplicate_similarity``; null for documents that are first of their kind.
    """
    doc_ids = documents["doc_id"].tolist()
    texts = documents["text"].tolist()
    duplicate_of: list[int | None] = [None] * len(doc_ids)
    kind: list[str | None] = [None] * len(doc_ids)
    similarity: list[float | None] = [None] * len(doc_ids)
    first_by_text: dict[str, int] = {}
    for pos, text in enumerate(texts):
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if key in first_by_text:
            duplicate_of[pos], kind[pos] = first_by_text[key], "exact"
        else:
            first_by_text[key] = pos

    originals = sorted(first_by_text.values())
    shingles = {pos: _shingles(texts[pos]) for pos in originals}
    index: dict[int, list[int]] = defaultdict(list)
    for pos in originals:
        for shingle in shingles[pos]:
            index[shingle].append(pos)
    shared: Counter[tuple[int, int]] = Counter()
    for postings in index.values():
        if 1 < len(postings) <= MAX_SHINGLE_DOCS:
            for i, a in enumerate(postings):
                for b in postings[i + 1 :]:
                    shared[(a, b)] += 1
    for (a, b), common in sorted(shared.items()):
        if kind[b] is not None:
            continue
        jaccard = common / len(shingles[a] | shingles[b])
        if jaccard >= threshold:
            duplicate_of[b] = a if duplicate_of[a] is None else duplicate_of[a]
            kind[b], similarity[b] = "near", round(jaccard, 4)
    return pd.DataFrame(
        {
            "duplicate_of": pd.Series(
                [doc_ids[d] if d is not None else None for d in duplicate_of], dtype="str"
            ),
            "duplicate_kind": pd.Series(kind, dtype="str"),
            "near_duplicate_similarity": pd.Series(similarity, dtype="float64"),
        },
    ).set_axis(documents.index)


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
