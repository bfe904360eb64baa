"""A metadata sidecar: ``metadata.csv`` or ``metadata.jsonl`` in the corpus folder's root.

It adds title, summary, outlet, url, published and any other columns (``perspective``,
``country``, ...) to ``documents``. It is read like a tabular input file (the same CSV/JSONL
reader, the same column names in any case, ``headline`` for ``title`` and so on), is never
ingested as an article, and is joined after the per-file ingest cache, over the whole corpus, so
a changed sidecar takes effect without reading any article again.

Rules (also in ``docs/architecture.md``):

- the key column is ``file`` (path below the corpus root, POSIX) or ``doc_id``, not both. A
  ``file`` row applies to every article of that file (all records of a JSONL/CSV input);
- a non-blank sidecar value fills the document's value or overrides it (a manifest warning on the
  sidecar's row names each value it replaced by a different one); a blank value leaves it;
- ``published`` becomes an ISO date (:func:`kursk_utils.corpus.published_date`), else null with
  a warning on the sidecar's row;
- other columns are carried through verbatim as text (JSON numbers as their text), after the
  fixed columns of ``documents`` in sorted order; a column named like another fixed column of
  ``documents`` (``text``, ``n_words``, ...) is refused;
- reported in the manifest: the sidecar's own row (status ``metadata``), a ``skipped_record`` row
  for each row that matches no ingested article or could not be read, and a warning on each
  plain-text input file that has no row (records of JSONL/CSV inputs carry their own metadata
  columns and are not reported);
- a sidecar that cannot be used as a whole (unreadable, not parseable, no key column, both key
  columns, a refused column, two rows with the same key, both ``metadata.csv`` and
  ``metadata.jsonl``) is a :class:`kursk_utils.corpus.CorpusError` before any file is ingested
  (:mod:`kursk_utils.parameters` checks it before the first notebook runs).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kursk_utils import corpus

SIDECAR_NAMES = ("metadata.csv", "metadata.jsonl")
KEY_COLUMNS = ("file", "doc_id")
# Set by ingestion, never by a sidecar (the metadata fields of corpus.METADATA_COLUMNS may be).
_COMPUTED_COLUMNS = frozenset(corpus.DOCUMENT_COLUMNS) - set(corpus.METADATA_COLUMNS)
# The column of the per-document metadata frame holding the sidecar line that applies.
LINE = "sidecar_line"


@dataclass(frozen=True)
class Sidecar:
    """A read sidecar.

    ``rows`` maps a key (a file path or a ``doc_id``) to (line, values), ``values`` holding every
    column of ``columns`` (None where blank); ``extra_columns`` are the columns beyond the
    metadata fields, sorted; ``manifest`` its manifest rows so far (its file row first).
    """

    path: str
    key: str
    rows: dict[str, tuple[int, dict[str, str | None]]]
    extra_columns: tuple[str, ...]
    manifest: list[dict]

    @property
    def columns(self) -> tuple[str, ...]:
        """The ``documents`` columns the sidecar may set: metadata fields, then extra columns."""
        return (*corpus.METADATA_COLUMNS, *self.extra_columns)


def split_sidecar(corpus_path: str | Path, root: Path, entries: list[Path]
                  ) -> tuple[Sidecar | None, list[Path]]:
    """The sidecar of a corpus folder (None without one) and the entries left to ingest.

    Raises
    ------
    kursk_utils.corpus.CorpusError
        For a sidecar that cannot be used (see the module docstring).
    """
    if not Path(corpus_path).is_dir():
        return None, entries
    found = [path for path in entries if path.parent == root and path.name in SIDECAR_NAMES]
    if len(found) > 1:
        raise corpus.CorpusError(f"{root} has both {' and '.join(p.name for p in found)}: "
                                 "keep one metadata sidecar")
    if not found:
        return None, entries
    return read_sidecar(found[0]), [path for path in entries if path != found[0]]


def read_sidecar(path: Path) -> Sidecar:
    """Read and check the sidecar file ``path`` (see the module docstring)."""
    name = path.name

    def refuse(problem: str) -> corpus.CorpusError:
        return corpus.CorpusError(f"metadata sidecar {path}: {problem}")

    # Read like any corpus entry: no FIFO opened, no link out of the corpus followed.
    data, unread = corpus.read_entry(path.parent, path)
    if data is None:
        raise refuse(unread)
    try:
        text, encoding, _ = corpus.decode_bytes(data)
        records, skips, _ = corpus._tabular_records(text, path.suffix.lower())
    except corpus._Skip as skip:
        raise refuse(str(skip)) from None
    if not records:
        raise refuse("no rows could be read" + (f" ({skips[0][1]}, line {skips[0][0]})" if skips else ""))
    columns = list(dict.fromkeys(str(column).strip() for _, record, _ in records for column in record))
    lowered = {column.lower() for column in columns}
    keys = [key for key in KEY_COLUMNS if key in lowered]
    if len(keys) != 1:
        raise refuse(f"needs exactly one key column, {' or '.join(KEY_COLUMNS)}; "
                     f"found {', '.join(keys) or 'neither'}")
    key = keys[0]
    aliases = {alias for names in corpus.METADATA_COLUMNS.values() for alias in names}
    extra = sorted(column for column in columns if column.lower() not in aliases | {key})
    refused = [column for column in extra if column.lower() in _COMPUTED_COLUMNS or not column]
    if refused:
        raise refuse(f"column(s) {', '.join(repr(c) for c in refused)} cannot be set by a sidecar "
                     f"(set by ingestion); it may set {', '.join(corpus.METADATA_COLUMNS)} and "
                     "columns of other names")
    rows: dict[str, tuple[int, dict[str, str | None]]] = {}
    notes = [(line, "skipped_record", reason, None) for line, reason in skips]
    for line, record, warnings in records:
        record = {str(column).strip(): value for column, value in record.items()}
        try:
            row_key = corpus._pick(record, (key,))
            values = {field: corpus._pick(record, names)
                      for field, names in corpus.METADATA_COLUMNS.items()}
            values.update({column: corpus._pick(record, (column.lower(),)) for column in extra})
        except corpus._Skip as skip:
            notes.append((line, "skipped_record", str(skip), None))
            continue
        if row_key is None:
            notes.append((line, "skipped_record", f"no {key}", None))
            continue
        if key == "file":
            row_key = row_key.replace("\\", "/").removeprefix("./")
        if row_key in rows:
            raise refuse(f"{key} {row_key!r} has two rows (lines {rows[row_key][0]} and {line})")
        values["published"], date_warning = corpus.published_date(values["published"])
        warnings = warnings + ([date_warning] if date_warning else [])
        if warnings:
            notes.append((line, "ingested_record", None, "; ".join(warnings)))
        rows[row_key] = (line, values)
    entry = {"path": name, "line": None, "status": "metadata", "reason": None, "warning": None,
             "encoding": encoding, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
             "n_documents": 0}
    manifest = [entry] + [
        {"path": name, "line": line, "status": status, "reason": reason, "warning": warning,
         "encoding": encoding, "sha256": None, "bytes": None, "n_documents": 0}
        for line, status, reason, warning in notes
    ]
    return Sidecar(name, key, rows, tuple(extra), manifest)


def document_metadata(sidecar: Sidecar | None, doc_ids: list[str], source_paths: list[str]
                      ) -> pd.DataFrame:
    """The sidecar values for each document (RangeIndex, in ``doc_ids`` order).

    Columns: :data:`LINE` (Int64, the sidecar line that applies, null without one) and
    :attr:`Sidecar.columns` (None where the sidecar gives no value).
    """
    columns = sidecar.columns if sidecar else ()
    lines, values = [], {column: [] for column in columns}
    for doc_id, source_path in zip(doc_ids, source_paths):
        line, row = (None, {})
        if sidecar:
            line, row = sidecar.rows.get(source_path if sidecar.key == "file" else doc_id, (None, {}))
        lines.append(line)
        for column in columns:
            values[column].append(row.get(column))
    frame = pd.DataFrame({LINE: pd.array(lines, dtype="Int64")})
    for column in columns:
        frame[column] = pd.Series(values[column], dtype="str")
    return frame


def join_metadata(documents: pd.DataFrame, metadata: pd.DataFrame
                  ) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """``documents`` with the sidecar values of :func:`document_metadata` (same row order) put in.

    Returns
    -------
    (documents, overrides)
        The documents with :data:`kursk_utils.corpus.DOCUMENT_COLUMNS` and the extra columns
        (sorted) after them; ``overrides`` (sidecar line, warning) for each value the sidecar
        replaced by a different one.
    """
    documents = documents.copy()
    overrides = []
    metadata = metadata.set_axis(documents.index)
    for column in metadata.columns.drop(LINE):
        given = metadata[column]
        if column in documents:
            before = documents[column]
            replaced = given.notna() & before.notna() & (given != before)
            overrides += [
                (int(line), f"{column} of {doc_id}: {old[:80]!r} replaced")
                for line, doc_id, old in zip(metadata.loc[replaced, LINE],
                                             documents.loc[replaced, "doc_id"], before[replaced])
            ]
            documents[column] = given.where(given.notna(), before)
        else:
            documents[column] = given
    return documents, overrides


def manifest_rows(sidecar: Sidecar | None, manifest: list[dict], metadata: pd.DataFrame,
                  source_paths: list[str], overrides: list[tuple[int, str]]) -> list[dict]:
    """The ingest manifest rows with the sidecar's: its rows, rows matching no article, files
    without a row (a warning on their row) and the values it replaced (see the module docstring).

    ``metadata`` and ``source_paths`` are those of every document (:func:`document_metadata`).
    """
    if sidecar is None:
        return manifest
    used = set(metadata[LINE].dropna().astype(int))
    entry, *notes = sidecar.manifest
    notes = [dict(row) for row in notes]
    notes += [{**entry, "line": line, "status": "skipped_record", "sha256": None, "bytes": None,
               "reason": f"matches no ingested article ({sidecar.key} {key!r})"}
              for key, (line, _) in sidecar.rows.items() if line not in used]
    by_line: dict[int, list[str]] = {}
    for line, warning in overrides:
        by_line.setdefault(line, []).append(warning)
    for line, warnings in sorted(by_line.items()):
        row = next((r for r in notes if r["line"] == line and r["status"] == "ingested_record"), None)
        if row is None:
            notes.append(row := {**entry, "line": line, "status": "ingested_record", "sha256": None,
                                 "bytes": None})
        row["warning"] = "; ".join(filter(None, [row["warning"], *warnings]))
    without_row = {path for path, line in zip(source_paths, metadata[LINE]) if pd.isna(line)
                   and path.lower().endswith(corpus.TEXT_SUFFIXES)}
    rows = [{**row, "warning": "; ".join(filter(None, [row["warning"], f"no row in {sidecar.path}"]))}
            if row["line"] is None and row["path"] in without_row else row for row in manifest]
    unmatched = sum(row["status"] == "skipped_record" for row in notes)
    summary = (f"{len(used)} of {len(sidecar.rows)} rows matched; {unmatched} row(s) matched no "
               f"article or could not be read; {len(without_row)} text file(s) without a row")
    rows.append({**entry, "n_documents": int(metadata[LINE].notna().sum()), "warning": summary})
    return rows + notes
