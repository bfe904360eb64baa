"""The per-document cache of a stage's rows, and the checksummed records both caches are built on.

A cache entry is never trusted blindly: each is described by a record naming the sha256 of its
data files and checksummed itself (:func:`write_record`). An entry that is truncated, altered or
missing a file is discarded with a :class:`CacheWarning` naming the file, and its documents are
analysed again; it can neither fail later runs nor be used silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kursk_utils import tables

CACHE_SUBDIR = "cache"  # below the output folder


class CacheWarning(UserWarning):
    """A damaged cache entry was found and discarded; its documents are analysed again."""


def sha256_hex(data: bytes) -> str:
    """The hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` under a temporary name first: a reader never sees half a file."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def write_record(path: Path, payload: dict) -> None:
    """Write ``payload`` (plain JSON values) as a record that carries its own sha256."""
    body = json.dumps(payload, sort_keys=True)
    write_atomic(path, json.dumps({"payload": body, "sha256": sha256_hex(body.encode())}).encode())


class DamagedEntry(Exception):
    """A cache file failed its check; the message says which and how."""


def read_record(path: Path, fields: tuple[str, ...]) -> dict:
    """The payload :func:`write_record` wrote, holding at least ``fields``.

    Raises
    ------
    DamagedEntry
        If the file is missing, is not such a record, fails its checksum or lacks a field.
    """
    try:
        record = json.loads(path.read_bytes())
        body = record["payload"]
        checks = sha256_hex(body.encode()) == record["sha256"]
        payload = json.loads(body) if checks else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise DamagedEntry(f"{path}: unreadable ({type(err).__name__}: {err})") from None
    if not checks:
        raise DamagedEntry(f"{path}: its contents do not match their checksum")
    if not isinstance(payload, dict) or any(field not in payload for field in fields):
        raise DamagedEntry(f"{path}: not a cache record with {', '.join(fields)}")
    return payload


def read_checked(path: Path, sha256: str) -> bytes:
    """The bytes of ``path`` if they have the recorded ``sha256``.

    Raises
    ------
    DamagedEntry
        If the file is missing or its bytes differ (truncated, altered).
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DamagedEntry(f"{path}: unreadable ({type(err).__name__})") from None
    if sha256_hex(data) != sha256:
        raise DamagedEntry(f"{path}: {len(data)} bytes that do not match their checksum")
    return data


def discard(damage: DamagedEntry, record: Path, files: list[Path]) -> None:
    """Warn about a damaged entry and remove it: its record first, so nothing uses it meanwhile."""
    warnings.warn(f"cache entry discarded and recomputed: {damage}", CacheWarning, stacklevel=3)
    for path in (record, *files):
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Cache:
    """Cached per-document rows of one stage version: ``<root>/<table>/<batch>.parquet``.

    ``keys/<batch>.json`` is the batch's record (:func:`write_record`): the ``doc_key`` of each
    of its documents and the sha256 of each table file. It is written last, so an interrupted
    batch is never used.
    """

    root: Path
    table_names: tuple[str, ...]

    def _files(self, batch: str) -> list[Path]:
        return [self.root / name / f"{batch}.parquet" for name in self.table_names]

    def index(self) -> pd.DataFrame:
        """``doc_id``, ``doc_key``, ``batch`` of every cached document (empty without a cache).

        A record that fails its check is discarded (with a warning): its documents are not cached.
        """
        rows = []
        for record in sorted((self.root / "keys").glob("*.json")):
            try:
                documents = read_record(record, ("documents", "sha256"))["documents"]
            except DamagedEntry as damage:
                discard(damage, record, self._files(record.stem))
                continue
            rows += [(doc_id, key, record.stem) for doc_id, key in documents.items()]
        frame = pd.DataFrame(rows, columns=["doc_id", "doc_key", "batch"], dtype="str")
        return frame.drop_duplicates(["doc_id", "doc_key"])

    def store(self, keys: dict[str, str], rows: dict[str, pa.Table]) -> None:
        """Store the rows of a newly analysed batch of documents (per table, converted by
        :func:`kursk_utils.tables.to_arrow`), named by their keys' hash."""
        batch = hashlib.sha256("".join(sorted(keys.values())).encode()).hexdigest()[:20]
        checksums = {}
        for name, path in zip(self.table_names, self._files(batch)):
            path.parent.mkdir(parents=True, exist_ok=True)
            sink = pa.BufferOutputStream()
            pq.write_table(rows[name], sink)
            data = sink.getvalue().to_pybytes()
            write_atomic(path, data)
            checksums[name] = sha256_hex(data)
        (self.root / "keys").mkdir(parents=True, exist_ok=True)
        write_record(self.root / "keys" / f"{batch}.json", {"documents": keys, "sha256": checksums})

    def load(self, doc_ids_by_batch: dict[str, list[str]]) -> tuple[dict[str, list[pd.DataFrame]], list[str]]:
        """Rows of the given documents, checked against their batch's record.

        Returns
        -------
        (frames, damaged)
            ``frames``: per table, one frame per intact batch; ``damaged``: the documents of
            batches that failed a check (discarded with a warning), to analyse again.
        """
        frames: dict[str, list[pd.DataFrame]] = {name: [] for name in self.table_names}
        damaged: list[str] = []
        for batch, doc_ids in sorted(doc_ids_by_batch.items()):
            record = self.root / "keys" / f"{batch}.json"
            try:
                checksums = read_record(record, ("documents", "sha256"))["sha256"]
                loaded = {
                    name: tables.arrow_to_pandas(pq.read_table(
                        pa.BufferReader(read_checked(path, checksums.get(name, ""))),
                        filters=[("doc_id", "in", doc_ids)]))
                    for name, path in zip(self.table_names, self._files(batch))
                }
            except DamagedEntry as damage:
                discard(damage, record, self._files(batch))
                damaged += doc_ids
                continue
            for name, frame in loaded.items():
                frames[name].append(frame)
        return frames, damaged


def concat_by_document(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-batch frames, each sorted by ``doc_id`` first, into one sorted frame.

    A stable sort on ``doc_id`` alone keeps each document's rows in the order its batch gave.
    """
    non_empty = [frame for frame in frames if len(frame)]
    if not non_empty:
        return frames[0].iloc[0:0]
    joined = non_empty[0] if len(non_empty) == 1 else pd.concat(non_empty, ignore_index=True)
    return joined.sort_values("doc_id", kind="stable", ignore_index=True)



def cache_plan(cache_root: Path | None, names: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """``doc_id`` -> (``doc_key``, batch) of the documents cached under ``cache_root`` (None: none)."""
    if cache_root is None:
        return {}
    index = Cache(cache_root, names).index()
    return {row.doc_id: (row.doc_key, row.batch) for row in index.itertuples(index=False)}
