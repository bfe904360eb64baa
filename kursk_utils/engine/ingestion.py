"""Ingestion over a corpus: each input file ingested once (and cached), then the corpus reductions.

Both engines run the same steps:

1. file batches are mapped to :func:`ingest_batch`, which runs :func:`kursk_utils.stages.ingest_file`
   on every file that is not in the per-file cache and sends back compact summaries (manifest
   rows, the ids the articles ask for, duplicate signatures);
2. this process gives the articles their ``doc_id`` (:func:`kursk_utils.stages.doc_id_plan`) and
   flags duplicates from the signatures;
3. runs of consecutive ``doc_id`` values are mapped to :func:`assemble_partition`, which reads the
   files' rows back from the cache, puts in the ids and flags
   (:func:`kursk_utils.stages.ingested_tables`) and writes them (Dask) or returns them (pandas,
   one partition).

The cache key of a file hashes its path below the corpus root (ids and manifest rows depend on
it) and its bytes, under a folder named by the ingestion fingerprint
(:func:`kursk_utils.engine.fingerprint.fingerprint`): adding ten files to a thousand ingests ten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kursk_utils import corpus, stages, tables
from kursk_utils.engine.cache import CACHE_SUBDIR
from kursk_utils.engine.cluster import check_engine, cluster_address, map_items
from kursk_utils.engine.fingerprint import fingerprint
from kursk_utils.engine.partitions import CSV_TABLES, DEFAULT_PARTITION_DOCUMENTS, gc_paused
from kursk_utils.engine.results import StageTables

INGEST_TABLES = ("documents", "paragraphs", "sentences")


@dataclass(frozen=True)
class IngestSettings:
    """Nothing shapes a file's rows but the file and the code: the per-file fingerprint's settings.

    (The near-duplicate threshold is applied over the corpus, after the cache.)
    """


@dataclass
class FileSummary:
    """What the corpus reductions need of one ingested file (a few kB, unlike its rows)."""

    key: str
    manifest: list[dict]
    requests: list[tuple[str, str]]
    signatures: list[tuple[str, np.ndarray]]

    @classmethod
    def of(cls, key: str, ingested: stages.IngestedFile) -> FileSummary:
        """The summary of an ingested file."""
        return cls(key, ingested.manifest, ingested.requests(),
                   [stages.signature(article) for article in ingested.articles])


@dataclass(frozen=True)
class FileCache:
    """Ingested input files: ``<root>/<key>.json`` holds the rows
    (:meth:`kursk_utils.stages.IngestedFile.to_json`), ``<key>.summary.json`` the
    :class:`FileSummary`, written last so that a partial entry is never used."""

    root: Path

    @staticmethod
    def key(relative_path: str, data: bytes) -> str:
        """The cache key of a file: hash of its path below the corpus root and of its bytes."""
        digest = hashlib.sha256(relative_path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()[:32]

    def rows(self, key: str) -> stages.IngestedFile:
        """The rows of a cached file."""
        return stages.IngestedFile.from_json((self.root / f"{key}.json").read_text("utf-8"))

    def summary(self, key: str) -> FileSummary | None:
        """The summary of a cached file, or None when the file is not cached."""
        path = self.root / f"{key}.summary.json"
        if not path.is_file():
            return None
        manifest, requests, signatures = json.loads(path.read_text("utf-8"))
        return FileSummary(key, manifest, [tuple(r) for r in requests],
                           [(digest, np.array(shingles, dtype=np.uint64))
                            for digest, shingles in signatures])

    def put(self, key: str, ingested: stages.IngestedFile) -> FileSummary:
        """Store a newly ingested file; return its summary."""
        summary = FileSummary.of(key, ingested)
        self.root.mkdir(parents=True, exist_ok=True)
        self._write(f"{key}.json", ingested.to_json())
        self._write(f"{key}.summary.json", json.dumps(
            [summary.manifest, summary.requests,
             [(digest, shingles.tolist()) for digest, shingles in summary.signatures]]))
        return summary

    def _write(self, name: str, text: str) -> None:
        # Under a temporary name first: a reader never sees half a file.
        partial = self.root / f"{name}.{os.getpid()}.partial"
        partial.write_text(text, encoding="utf-8")
        partial.replace(self.root / name)


@dataclass
class FileBatch:
    """Input files for one task to ingest (or find in the cache)."""

    root: str
    paths: list[str]
    cache_root: str


def ingest_batch(batch: FileBatch) -> tuple[list[FileSummary], int]:
    """Ingest the files of ``batch`` that are not cached; summaries in file order, articles ingested."""
    cache, root = FileCache(Path(batch.cache_root)), Path(batch.root)
    summaries, n_ingested = [], 0
    for name in batch.paths:
        path = Path(name)
        key = FileCache.key(path.relative_to(root).as_posix(), path.read_bytes())
        summary = cache.summary(key)
        if summary is None:
            with gc_paused():
                ingested = stages.ingest_file(root, path)
            summary = cache.put(key, ingested)
            n_ingested += len(ingested.articles)
        summaries.append(summary)
    return summaries, n_ingested


@dataclass
class AssembleTask:
    """A run of consecutive documents to assemble: (doc_id, file key, article position) each."""

    part: int
    output_dir: str
    cache_root: str
    items: list[tuple[str, str, int]]
    flags: pd.DataFrame
    write_part: bool


def assemble_partition(task: AssembleTask) -> dict[str, pd.DataFrame] | None:
    """The ingestion tables of a partition, written as its part (Dask) or returned (pandas)."""
    cache = FileCache(Path(task.cache_root))
    files = {key: cache.rows(key) for key in dict.fromkeys(key for _, key, _ in task.items)}
    articles = [(doc_id, files[key].articles[position]) for doc_id, key, position in task.items]
    frames = dict(zip(INGEST_TABLES, stages.ingested_tables(articles, task.flags)))
    if not task.write_part:
        return frames
    for name, frame in frames.items():
        tables.write_partition(frame, task.output_dir, name, task.part, csv=name in CSV_TABLES,
                               csv_exclude=CSV_TABLES.get(name, ()))
    return None


@contextmanager
def _file_cache_root(output_dir: Path, incremental: bool) -> Iterator[Path]:
    """The per-file cache folder; without ``incremental``, a scratch folder removed afterwards."""
    cache_dir = output_dir / CACHE_SUBDIR
    if incremental:
        yield cache_dir / f"ingest-{fingerprint('ingest', IngestSettings())}"
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ingest-scratch-", dir=cache_dir) as scratch:
        yield Path(scratch)


def run_ingest(
    corpus_path: str | Path,
    output_dir: str | Path,
    *,
    near_duplicate_threshold: float = corpus.NEAR_DUPLICATE_THRESHOLD,
    engine: str = "pandas",
    scheduler_address: str | None = None,
    n_workers: int | None = None,
    partition_documents: int = DEFAULT_PARTITION_DOCUMENTS,
    incremental: bool = True,
) -> StageTables:
    """Ingest ``corpus_path`` (see :func:`kursk_utils.corpus.ingest`) and write its four tables.

    Parameters
    ----------
    incremental : bool
        Reuse and fill the per-file cache in ``<output_dir>/cache``.
    Other parameters as in :func:`kursk_utils.engine.run_sentiment`.

    Returns
    -------
    StageTables
        ``documents``, ``paragraphs``, ``sentences``, ``ingest_manifest``; ``n_analysed`` counts
        the articles of files that were not in the cache.

    Raises
    ------
    kursk_utils.corpus.CorpusError
        If the path does not exist or holds no article that could be ingested.
    """
    check_engine(engine)
    names = (*INGEST_TABLES, "ingest_manifest")
    root, files = corpus.discover(corpus_path)
    output = Path(output_dir).resolve()
    batch_size = partition_documents if engine == "dask" else max(len(files), 1)
    with _file_cache_root(output, incremental) as cache_root, \
            _cluster(engine, scheduler_address, n_workers) as address:
        batches = [FileBatch(str(root), [str(p) for p in files[i : i + batch_size]], str(cache_root))
                   for i in range(0, len(files), batch_size)]
        results = map_items(ingest_batch, batches, engine, address, None)
        summaries = [summary for batch_summaries, _ in results for summary in batch_summaries]
        manifest = [row for summary in summaries for row in summary.manifest]
        plan = stages.doc_id_plan([summary.requests for summary in summaries])
        if not plan:
            raise corpus.no_articles_error(corpus_path, manifest)
        signatures = [summaries[f].signatures[a] for _, f, a in plan]
        flags = corpus.flag_duplicates_from_signatures(
            [doc_id for doc_id, _, _ in plan], [digest for digest, _ in signatures],
            [shingles for _, shingles in signatures], near_duplicate_threshold,
        )
        items = [(doc_id, summaries[f].key, a) for doc_id, f, a in plan]
        size = partition_documents if engine == "dask" else len(items)
        if engine == "dask":
            for name in names:
                tables.clear_table(output_dir, name)
        tasks = [AssembleTask(part, str(output), str(cache_root), items[i : i + size],
                              flags.iloc[i : i + size].reset_index(drop=True), engine == "dask")
                 for part, i in enumerate(range(0, len(items), size))]
        assembled = map_items(assemble_partition, tasks, engine, address, None)
    frames: dict[str, pd.DataFrame] = {}
    if engine == "pandas":
        frames = assembled[0]
        for name, frame in frames.items():
            tables.write_table(frame, output_dir, name, csv=name in CSV_TABLES,
                               csv_exclude=CSV_TABLES.get(name, ()))
    else:
        tables.combine_csv_parts(output_dir, "documents")
    frames["ingest_manifest"] = corpus.manifest_frame(manifest)  # one row per file: small
    tables.write_table(frames["ingest_manifest"], output_dir, "ingest_manifest")
    return StageTables(output_dir, names, frames, n_analysed=sum(n for _, n in results),
                       n_documents=len(items))


@contextmanager
def _cluster(engine: str, scheduler_address: str | None, n_workers: int | None) -> Iterator[str | None]:
    """One cluster for both mapping steps of the Dask engine; nothing for the pandas engine."""
    if engine == "pandas":
        yield None
        return
    with cluster_address(scheduler_address, n_workers) as address:
        yield address
