"""The per-document cache of a stage's rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from kursk_utils import tables

CACHE_SUBDIR = "cache"  # below the output folder


@dataclass(frozen=True)
class Cache:
    """Cached per-document rows of one stage version: ``<root>/<table>/<batch>.parquet``.

    ``keys/<batch>.parquet`` lists the (``doc_id``, ``doc_key``) of each batch; it is written
    last, so an interrupted batch is never used.
    """

    root: Path
    table_names: tuple[str, ...]

    def index(self) -> pd.DataFrame:
        """``doc_id``, ``doc_key``, ``batch`` of every cached document (empty without a cache)."""
        files = sorted((self.root / "keys").glob("*.parquet"))
        frames = [pd.read_parquet(f).assign(batch=f.stem) for f in files]
        if not frames:
            return pd.DataFrame({"doc_id": [], "doc_key": [], "batch": []}, dtype="str")
        return pd.concat(frames, ignore_index=True).drop_duplicates(["doc_id", "doc_key"])

    def store(self, keys: dict[str, str], rows: dict[str, pd.DataFrame]) -> None:
        """Store the rows of a newly analysed batch of documents, named by their keys' hash."""
        batch = hashlib.sha256("".join(sorted(keys.values())).encode()).hexdigest()[:20]
        for name in self.table_names:
            folder = self.root / name
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(tables.to_arrow(rows[name]), folder / f"{batch}.parquet")
        (self.root / "keys").mkdir(parents=True, exist_ok=True)
        key_frame = pd.DataFrame({"doc_id": list(keys), "doc_key": list(keys.values())}, dtype="str")
        pq.write_table(tables.to_arrow(key_frame), self.root / "keys" / f"{batch}.parquet")

    def load(self, name: str, doc_ids_by_batch: dict[str, list[str]]) -> list[pd.DataFrame]:
        """Rows of table ``name`` of the given documents, one frame per batch."""
        return [
            tables.arrow_to_pandas(
                pq.read_table(self.root / name / f"{batch}.parquet",
                              filters=[("doc_id", "in", doc_ids)])
            )
            for batch, doc_ids in sorted(doc_ids_by_batch.items())
        ]


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

