"""Ingestion over a corpus: each input file ingested once (and cached), then the corpus reductions.

Both engines run the same steps:

1. file batches are mapped to :func:`ingest_batch`, which runs :func:`kursk_utils.stages.ingest_file`
   on every file that is not in the per-file cache and sends back compact summaries (manifest
   rows, the ids the articles ask for, duplicate signatures);
2. this process gives the articles their ``doc_id`` (:func:`kursk_utils.stages.doc_id_plan`),
   flags duplicates from the signatures and matches the metadata sidecar to the articles
   (:func:`kursk_utils.stages.corpus_metadata`: after the cache, so a changed sidecar needs no
   file read again);
3. runs of consecutive ``doc_id`` values are mapped to :func:`assemble_partition`, which reads the
   files' rows back from the cache (in process, the files just ingested are still at hand), puts
   in the ids and flags
   (:func:`kursk_utils.stages.ingested_tables`) and writes them (Dask) or returns them (pandas,
   one partition).

The cache key of a file hashes its path below the corpus root (ids and manifest rows depend on
it) and its bytes, under a folder named by the ingestion fingerprint
(:func:`kursk_utils.engine.fingerprint.fingerprint`): adding ten files to a thousand ingests ten.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kursk_utils import corpus, sidecar, stages, tables
from kursk_utils.engine.cache import (
    CACHE_SUBDIR, DamagedEntry, discard, read_checked, read_record, sha256_hex, write_atomic,
    write_record,
)
from kursk_utils.engine.cluster import (
    check_engine, cluster_address, map_items, start_on_workers, worker_count,
)
from kursk_utils.engine.fingerprint import fingerprint
from kursk_utils.engine.partitions import CSV_TABLES, gc_paused, partition_size
from kursk_utils.engine.results import StageTables

INGEST_TABLES = ("documents", "paragraphs", "sentences")
ARTICLE_ROWS = ("document", "paragraphs", "sentences")  # what assembling needs of an article
ENTRY_ARRAYS = ("summaries", "shingles", "shingle_ends", "rows", "row_ends")


@dataclass(frozen=True)
class IngestSettings:
    """Nothing shapes a file's rows but the file and the code: the per-file fingerprint's settings.

    (The near-duplicate threshold is applied over the corpus, after the cache.)
    """


@dataclass
class FileSummary:
    """What the corpus reductions need of one ingested file (a few kB, unlike its rows).

    ``entry`` names the file's entry in the :class:`FileCache`; ``minhashes`` holds the
    :func:`kursk_utils.corpus.minhash_values` of its articles' shingles (set by :func:`ingest_batch`);
    ``articles`` the article rows of a file just ingested, when the batch keeps them
    (:attr:`FileBatch.keep_articles`).
    """

    key: str
    entry: str
    manifest: list[dict]
    requests: list[tuple[str, str]]
    signatures: list[tuple[str, np.ndarray]]
    minhashes: np.ndarray | None = None
    articles: list[dict] | None = None


@dataclass(frozen=True)
class FileCache:
    """Ingested input files, one entry per batch of newly ingested files.

    An entry is ``entries/<entry>.npz`` (NumPy, no pickles) holding ``summaries`` (JSON: per
    file its key, manifest rows, requested ids and text hashes), ``shingles`` with
    ``shingle_ends`` (every article's shingles, end to end), and ``rows`` with ``row_ends`` (per
    file one line of JSON: its articles' document row and paragraph and sentence rows, those as
    columns), so that a
    partition parses only the rows of its own files. Its record ``index/<entry>.json``
    (:func:`kursk_utils.engine.cache.write_record`), written last, lists the entry's file keys
    and the sha256 of the ``.npz``: an entry that fails a check is discarded with a warning and
    its files are ingested again. One entry per batch keeps a first run to one write per batch
    and a warm run to one read per batch, rather than two small files per input file.
    """

    root: Path

    @staticmethod
    def key(relative_path: str, data: bytes) -> str:
        """The cache key of a file: hash of its path below the corpus root and of its bytes."""
        digest = hashlib.sha256(relative_path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()[:32]

    def _paths(self, entry: str) -> tuple[Path, Path]:
        return self.root / "index" / f"{entry}.json", self.root / "entries" / f"{entry}.npz"

    def index(self) -> dict[str, str]:
        """File key -> entry of every cached file (a damaged record is discarded with a warning)."""
        entries = {}
        for record in sorted((self.root / "index").glob("*.json")):
            try:
                keys = read_record(record, ("keys", "sha256"))["keys"]
            except DamagedEntry as damage:
                discard(damage, record, [self._paths(record.stem)[1]])
                continue
            entries |= dict.fromkeys(keys, record.stem)
        return entries

    def _arrays(self, entry: str) -> dict[str, np.ndarray]:
        """The arrays of an entry, checked against its record.

        Raises
        ------
        DamagedEntry
            After discarding the entry, if it fails a check.
        """
        record, data_path = self._paths(entry)
        try:
            checksum = read_record(record, ("keys", "sha256"))["sha256"]
            with np.load(io.BytesIO(read_checked(data_path, checksum)), allow_pickle=False) as data:
                return {name: data[name] for name in ENTRY_ARRAYS}
        except DamagedEntry as damage:
            discard(damage, record, [data_path])
            raise
        except (OSError, ValueError, KeyError) as err:  # checksum right, contents not an entry
            damage = DamagedEntry(f"{data_path}: not a cache entry ({type(err).__name__}: {err})")
            discard(damage, record, [data_path])
            raise damage from None

    def summaries(self, entry: str) -> dict[str, FileSummary]:
        """The summaries of an entry's files, by key.

        Raises
        ------
        DamagedEntry
            After discarding the entry, if it fails a check.
        """
        arrays = self._arrays(entry)
        shingles = np.split(arrays["shingles"], arrays["shingle_ends"][:-1])
        summaries, position = {}, 0
        for key, manifest, requests, digests in json.loads(arrays["summaries"].tobytes()):
            signatures = list(zip(digests, shingles[position : position + len(digests)]))
            position += len(digests)
            summaries[key] = FileSummary(key, entry, manifest, [tuple(r) for r in requests], signatures)
        return summaries

    def articles(self, entry: str, keys: set[str]) -> dict[str, list[dict]]:
        """The article rows (``document``, ``paragraphs``, ``sentences``) of the files ``keys``.

        Raises
        ------
        DamagedEntry
            After discarding the entry, if it fails a check.
        """
        arrays = self._arrays(entry)
        rows, ends = arrays["rows"].tobytes(), arrays["row_ends"]
        found = {}
        for start, end in zip([0, *ends[:-1].tolist()], ends.tolist()):
            key, articles = json.loads(rows[start:end])
            if key in keys:
                found[key] = articles
        return found

    def put(self, files: list[tuple[str, stages.IngestedFile]]) -> list[FileSummary]:
        """Store newly ingested files (key, ingested) as one entry; return their summaries."""
        keys = [key for key, _ in files]
        entry = hashlib.sha256("".join(sorted(keys)).encode()).hexdigest()[:20]
        articles = [article for _, ingested in files for article in ingested.articles]
        summaries = [[key, ingested.manifest, ingested.requests(),
                      [article["text_sha256"] for article in ingested.articles]]
                     for key, ingested in files]
        rows = [json.dumps([key, article_rows(ingested)]).encode() for key, ingested in files]
        shingles = [np.asarray(article["shingles"], dtype=np.uint64) for article in articles]
        buffer = io.BytesIO()
        np.savez(
            buffer,
            summaries=np.frombuffer(json.dumps(summaries).encode(), dtype=np.uint8),
            shingles=np.concatenate(shingles) if shingles else np.zeros(0, dtype=np.uint64),
            shingle_ends=np.cumsum([len(s) for s in shingles], dtype=np.int64),
            rows=np.frombuffer(b"".join(rows), dtype=np.uint8),
            row_ends=np.cumsum([len(r) for r in rows], dtype=np.int64),
        )
        record, data_path = self._paths(entry)
        for folder in (record.parent, data_path.parent):
            folder.mkdir(parents=True, exist_ok=True)
        data = buffer.getvalue()
        write_atomic(data_path, data)
        write_record(record, {"keys": keys, "sha256": sha256_hex(data)})
        return [FileSummary(key, entry, ingested.manifest, ingested.requests(),
                            [stages.signature(article) for article in ingested.articles])
                for key, ingested in files]


def article_rows(ingested: stages.IngestedFile) -> list[dict]:
    """What assembling needs of each article of a file (:data:`ARTICLE_ROWS`), as the cache keeps it."""
    return [{part: article[part] for part in ARTICLE_ROWS} for article in ingested.articles]


@dataclass
class FileBatch:
    """Input files for one task to ingest (or find in the cache).

    ``keep_articles``: send back the rows of the files ingested (in their summaries), for an
    assembly in the same process, which then does not read them back from the cache.
    """

    root: str
    paths: list[str]
    cache_root: str
    follow_external_symlinks: bool = False
    keep_articles: bool = False


def ingest_batch(batch: FileBatch) -> tuple[list[FileSummary], int]:
    """Ingest the files of ``batch`` that are not cached; summaries in file order, articles ingested.

    The newly ingested files are stored as one cache entry. A cached file whose entry turns out
    damaged is ingested again (with a warning).
    """
    cache, root = FileCache(Path(batch.cache_root)), Path(batch.root)
    paths = [Path(name) for name in batch.paths]
    # Each entry is read once, safely (a FIFO is never opened); one that is not read is keyed by why.
    entries = [corpus.read_entry(root, path, batch.follow_external_symlinks) for path in paths]
    keys = [FileCache.key(path.relative_to(root).as_posix(),
                          data if data is not None else unread.encode("utf-8"))
            for path, (data, unread) in zip(paths, entries)]
    entry_of = cache.index()
    found: dict[str, FileSummary] = {}
    for entry in sorted({entry_of[key] for key in keys if key in entry_of}):
        try:
            found |= cache.summaries(entry)
        except DamagedEntry:
            pass  # discarded with a warning: its files are ingested below
    fresh = []
    for path, key, entry_bytes in zip(paths, keys, entries):
        if key not in found:
            with gc_paused():
                fresh.append((key, stages.ingest_file(root, path, batch.follow_external_symlinks,
                                                      entry_bytes)))
    if fresh:
        found |= {summary.key: summary for summary in cache.put(fresh)}
        if batch.keep_articles:
            for key, ingested in fresh:
                found[key].articles = article_rows(ingested)
    n_ingested = sum(len(ingested.articles) for _, ingested in fresh)
    summaries = [found[key] for key in keys]
    # The MinHash values for duplicate detection, here in parallel rather than all on the driver.
    values = corpus.minhash_values([shingles for s in summaries for _, shingles in s.signatures])
    ends = np.cumsum([len(s.signatures) for s in summaries])
    for summary, start, end in zip(summaries, [0, *ends[:-1].tolist()], ends.tolist()):
        summary.minhashes = values[start:end]
    return summaries, n_ingested


@dataclass
class AssembleTask:
    """A run of consecutive documents to assemble: (doc_id, file key, article position) each."""

    part: int
    output_dir: str
    cache_root: str
    items: list[tuple[str, str, int]]
    entries: dict[str, str]  # file key -> its cache entry
    flags: pd.DataFrame
    metadata: pd.DataFrame
    write_part: bool
    articles: dict[str, list[dict]] = field(default_factory=dict)  # file key -> rows at hand


def assemble_partition(task: AssembleTask) -> tuple[dict[str, pd.DataFrame] | None, list[tuple[int, str]]]:
    """The ingestion tables of a partition, written as its part (Dask) or returned (pandas), and
    the values the metadata sidecar replaced (:func:`kursk_utils.stages.ingested_tables`)."""
    cache = FileCache(Path(task.cache_root))
    keys_by_entry: dict[str, set[str]] = {}
    for _, key, _ in task.items:
        if key not in task.articles:
            keys_by_entry.setdefault(task.entries[key], set()).add(key)
    files = dict(task.articles)
    for entry, keys in sorted(keys_by_entry.items()):
        try:
            files |= cache.articles(entry, keys)
        except DamagedEntry as damage:  # it passed its check moments ago, in ingest_batch
            raise corpus.CorpusError(f"the ingestion cache changed during the run ({damage}); run again") from None
    articles = [(doc_id, files[key][position]) for doc_id, key, position in task.items]
    *tables_, overrides = stages.ingested_tables(articles, task.flags, task.metadata)
    frames = dict(zip(INGEST_TABLES, tables_, strict=True))
    if not task.write_part:
        return frames, overrides
    for name, frame in frames.items():
        tables.write_partition(frame, task.output_dir, name, task.part, csv=name in CSV_TABLES,
                               csv_exclude=CSV_TABLES.get(name, ()))
    return None, overrides


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
    partition_documents: int | None = None,
    incremental: bool = True,
    follow_external_symlinks: bool = False,
    warm_up: Callable[[], object] | None = None,
) -> StageTables:
    """Ingest ``corpus_path`` (see :func:`kursk_utils.corpus.ingest`) and write its four tables.

    Parameters
    ----------
    incremental : bool
        Reuse and fill the per-file cache in ``<output_dir>/cache``.
    follow_external_symlinks : bool
        Read symbolic links to files outside the corpus folder (skipped with a reason by default:
        their text would appear in a shareable report).
    warm_up : callable, optional
        With the Dask engine, started on every worker once the files are read, to run while this
        process assigns ids and flags duplicates (:func:`kursk_utils.stages.warm_up` when the
        next stages run on the same cluster).
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
    corpus.check_near_duplicate_threshold(near_duplicate_threshold)
    names = (*INGEST_TABLES, "ingest_manifest")
    root, files = corpus.discover(corpus_path)
    found, files = sidecar.split_sidecar(corpus_path, root, files)
    output = Path(output_dir).resolve()
    with _file_cache_root(output, incremental) as cache_root, \
            _cluster(engine, scheduler_address, n_workers) as address:
        workers = 0 if address is None else worker_count(address, n_workers)
        batch_size = (partition_size(len(files), workers, partition_documents) if engine == "dask"
                      else max(len(files), 1))
        # In process, the files just ingested are assembled from memory, not read back.
        batches = [FileBatch(str(root), [str(p) for p in files[i : i + batch_size]], str(cache_root),
                             follow_external_symlinks, keep_articles=engine == "pandas")
                   for i in range(0, len(files), batch_size)]
        results = map_items(ingest_batch, batches, engine, address, None)
        summaries = [summary for batch_summaries, _ in results for summary in batch_summaries]
        manifest = [row for summary in summaries for row in summary.manifest]
        plan = stages.doc_id_plan([summary.requests for summary in summaries])
        if not plan:
            raise corpus.no_articles_error(corpus_path, manifest)
        if warm_up is not None and address is not None:
            start_on_workers(warm_up, address)
        signatures = [summaries[f].signatures[a] for _, f, a in plan]
        flags = corpus.flag_duplicates_from_signatures(
            [doc_id for doc_id, _, _ in plan], [digest for digest, _ in signatures],
            [shingles for _, shingles in signatures], near_duplicate_threshold,
            np.array([summaries[f].minhashes[a] for _, f, a in plan]).reshape(len(plan), -1),
        )
        metadata, source_paths = stages.corpus_metadata(found, plan, [s.manifest for s in summaries])
        items = [(doc_id, summaries[f].key, a) for doc_id, f, a in plan]
        entries = {summary.key: summary.entry for summary in summaries}
        size = partition_size(len(items), workers, partition_documents) if engine == "dask" else len(items)
        if engine == "dask":
            for name in names:
                tables.clear_table(output_dir, name)
        at_hand = {summary.key: summary.articles for summary in summaries
                   if summary.articles is not None}
        tasks = [AssembleTask(part, str(output), str(cache_root), items[i : i + size],
                              {key: entries[key] for _, key, _ in items[i : i + size]},
                              flags.iloc[i : i + size].reset_index(drop=True),
                              metadata.iloc[i : i + size].reset_index(drop=True), engine == "dask",
                              {key: at_hand[key] for _, key, _ in items[i : i + size] if key in at_hand})
                 for part, i in enumerate(range(0, len(items), size))]
        assembled = map_items(assemble_partition, tasks, engine, address, None)
    frames: dict[str, pd.DataFrame] = {}
    overrides = [override for _, part_overrides in assembled for override in part_overrides]
    manifest = sidecar.manifest_rows(found, manifest, metadata, source_paths, overrides)
    if engine == "pandas":
        frames = assembled[0][0]
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
