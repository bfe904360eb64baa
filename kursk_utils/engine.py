"""Run the analysis stages in process (``"pandas"``) or on dask.distributed (``"dask"``), incrementally.

Every stage is a pure function of a batch of documents' rows (:func:`analyze_sentiment`,
:func:`analyze_framing`): documents never influence each other's rows, so a corpus can be cut into
partitions of consecutive ``doc_id`` values and each partition analysed anywhere. The only
corpus-wide steps are reductions over compact per-document results:

- ingestion assigns unique ``doc_id`` values from the ids each file asks for, and flags duplicates
  from per-document signatures (text hash and 5-gram shingle hashes,
  :func:`kursk_utils.corpus.duplicate_signature`);
- ``actor_sentiment`` adds corpus rows (``doc_id == "*"``) from per-(actor, sentence) scores.

Engines
    ``"pandas"`` runs the partitions one after the other in this process and writes each table
    as one Parquet file. ``"dask"`` runs them on a dask.distributed cluster (a ``LocalCluster``
    with one single-threaded worker process per core, or the cluster at ``scheduler_address``):
    workers read their slice of the input tables and write their slice of the output tables as
    ``<name>.parquet/part-NNNNN.parquet`` (:mod:`kursk_utils.tables` reads both layouts the same),
    and only the compact results above travel back to this process. Both engines give the same
    rows in the same order. Workers of a remote cluster need ``kursk_utils`` installed and must
    see ``output_dir`` and the corpus at the same paths.

Incremental runs
    Per-document results are cached in ``<output_dir>/cache/<stage>-<fingerprint>/``. The
    fingerprint hashes the stage's parameters, the data files and the analysis modules' source;
    a document's key hashes its input rows (text, sentences and, for framing, its actor mentions
    and sentence sentiment). A document whose key is cached is not analysed again: adding ten
    articles to ten thousand analyses ten. Delete ``<output_dir>/cache`` to reclaim the space of
    old versions.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import kursk_utils
from kursk_utils import actors, corpus, framing, quotes, sentiment, tables

ENGINES = ("pandas", "dask")
DEFAULT_PARTITION_DOCUMENTS = 250
CACHE_SUBDIR = "cache"
SENTIMENT_TABLES = (
    "sentence_sentiment", "paragraph_sentiment", "document_sentiment", "sentiment_arc",
    "actor_mentions",
)
FRAMING_TABLES = ("quotes", "frames_by_sentence", "frames_by_document")
INGEST_TABLES = ("documents", "paragraphs", "sentences")
# Per-document rows that are cached but written only after the corpus reduction.
ACTOR_DOCUMENT_ROWS = "actor_sentiment_by_document"
CSV_TABLES = {"documents": ("text",), "frames_by_document": ()}
SENTENCE_COLUMNS = ["doc_id", "sentence_id", "paragraph_id", "section", "start", "end", "text"]
# The tables (and columns; None: all) each stage reads.
_STAGE_INPUTS = {
    "sentiment": {"sentences": SENTENCE_COLUMNS},
    "framing": {"sentences": SENTENCE_COLUMNS, "documents": ["doc_id", "text", "n_sentences"],
                "actor_mentions": None, "sentence_sentiment": None},
}
# Files whose content shapes the results, beside the parameters (their bytes go in the fingerprint).
_ANALYSIS_SOURCES = (
    "sentiment.py", "actors.py", "quotes.py", "framing.py", "cue_index.py", "text.py", "engine.py",
)
_FINGERPRINT_PACKAGES = ("vadersentiment", "nltk", "pandas", "pyarrow")


class EngineError(ValueError):
    """A bad engine setting (unknown engine, Dask not installed, bad partition size)."""


def check_engine(engine: str) -> str:
    """Return ``engine`` if it is one of :data:`ENGINES`; else raise :class:`EngineError`."""
    if engine not in ENGINES:
        raise EngineError(
            f"unknown engine {engine!r}: choose one of " + ", ".join(repr(e) for e in ENGINES)
        )
    if engine == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise EngineError(
                "engine 'dask' needs the dask extra: pip install -e '.[dask]'"
            ) from None
    return engine


# --- settings and fingerprints ---------------------------------------------------------------


@dataclass(frozen=True)
class SentimentSettings:
    """Parameters of the sentiment stage (see notebook ``02_sentiment``)."""

    implementation: str = sentiment.DEFAULT_IMPLEMENTATION
    threshold: float = sentiment.DEFAULT_THRESHOLD
    arc_window: int = 3
    actors_path: str | None = None

    def __post_init__(self) -> None:
        sentiment.check_implementation(self.implementation)
        sentiment.check_threshold(self.threshold)
        if isinstance(self.arc_window, bool) or not isinstance(self.arc_window, int) \
                or self.arc_window < 1:
            raise ValueError(f"arc_window must be a positive integer, got {self.arc_window!r}")


@dataclass(frozen=True)
class FramingSettings:
    """Parameters of the framing stage (see notebook ``03_framing``)."""

    codebook_path: str | None = None
    implementation: str = sentiment.DEFAULT_IMPLEMENTATION
    actors_path: str | None = None

    def __post_init__(self) -> None:
        sentiment.check_implementation(self.implementation)


def package_versions(names: Iterable[str]) -> dict[str, str | None]:
    """Installed version of each named distribution (None when it is not installed)."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _file_digest(path: str | Path | None) -> str | None:
    return None if path is None else hashlib.sha256(Path(path).read_bytes()).hexdigest()


def fingerprint(stage: str, settings: SentimentSettings | FramingSettings) -> str:
    """Hash of everything but the documents that shapes a stage's rows.

    Covers the settings, the content of user files they name (gazetteer, codebook), every data
    file shipped in ``kursk_utils/data`` (except validation sets), the source of the analysis
    modules and the versions of the packages that score text. Returns 16 hex digits.
    """
    package_dir = Path(kursk_utils.__file__).parent
    data_files = sorted(
        p for p in (package_dir / "data").rglob("*")
        if p.is_file() and "validation" not in p.relative_to(package_dir / "data").parts
    )
    parts = {
        "stage": stage,
        "settings": asdict(settings),
        "user_files": {key: _file_digest(value) for key, value in asdict(settings).items()
                       if key.endswith("_path")},
        "data": {p.relative_to(package_dir).as_posix(): _file_digest(p) for p in data_files},
        "code": {name: _file_digest(package_dir / name) for name in _ANALYSIS_SOURCES},
        "packages": package_versions(_FINGERPRINT_PACKAGES),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def document_keys(doc_ids: list[str], frames: list[pd.DataFrame]) -> dict[str, str]:
    """Hash each document's rows in ``frames`` (all sorted by ``doc_id``) into one key per document.

    Row hashes come from :func:`pandas.util.hash_pandas_object` (stable across processes), so
    two documents get the same key only when all their input rows are equal.
    """
    slices = []
    for frame in frames:
        hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        ids = frame["doc_id"].to_numpy()
        starts = np.searchsorted(ids, doc_ids, side="left")
        ends = np.searchsorted(ids, doc_ids, side="right")
        slices.append((hashes, starts, ends))
    keys = {}
    for position, doc_id in enumerate(doc_ids):
        digest = hashlib.sha256(doc_id.encode())
        for hashes, starts, ends in slices:
            digest.update(b"|")
            digest.update(hashes[starts[position] : ends[position]].tobytes())
        keys[doc_id] = digest.hexdigest()[:32]
    return keys


# --- per-document analysis (pure functions of a batch of documents) ----------------------------


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch of documents is analysed.

    The analysis allocates millions of short-lived objects that reference counting frees; the
    collector's full passes over the heap meanwhile cost about 5% of the time (measured on 1,000
    articles). The collector is enabled again, if it was, when the last of the concurrent or
    nested pauses ends (a Dask worker may run several tasks in threads).
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def analyze_sentiment(sentences: pd.DataFrame, settings: SentimentSettings) -> dict[str, pd.DataFrame]:
    """Sentiment and actor rows of a batch of documents.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` rows of the documents (columns of the contract).
    settings : SentimentSettings

    Returns
    -------
    dict of str to pandas.DataFrame
        ``sentence_sentiment``, ``paragraph_sentiment``, ``document_sentiment``,
        ``sentiment_arc``, ``actor_mentions`` (as in ``docs/architecture.md``) and
        ``actor_sentiment_by_document`` (the rows of ``actor_sentiment`` with a real ``doc_id``),
        each sorted as in the contract. The rows of a document do not depend on the other
        documents of the batch.
    """
    implementation, threshold = settings.implementation, settings.threshold
    sentence_sentiment = sentiment.score_sentences(sentences, implementation, threshold)
    mentions = actors.score_mentions(
        actors.find_mentions(sentences, actors.load_gazetteer(settings.actors_path)),
        sentences, implementation, threshold, sentence_sentiment=sentence_sentiment,
    )
    by_actor = actors.actor_sentiment(mentions, threshold)
    return {
        "sentence_sentiment": sentence_sentiment,
        "paragraph_sentiment": sentiment.aggregate(
            sentence_sentiment, sentences, by=("doc_id", "paragraph_id")
        ),
        "document_sentiment": sentiment.aggregate(sentence_sentiment, sentences),
        "sentiment_arc": sentiment.sentiment_arc(sentence_sentiment, sentences, settings.arc_window),
        "actor_mentions": mentions,
        ACTOR_DOCUMENT_ROWS: by_actor[by_actor["doc_id"] != "*"].reset_index(drop=True),
    }


def analyze_framing(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    actor_mentions: pd.DataFrame,
    sentence_sentiment: pd.DataFrame,
    settings: FramingSettings,
) -> dict[str, pd.DataFrame]:
    """Quotes and frames of a batch of documents.

    Parameters
    ----------
    documents, sentences, actor_mentions, sentence_sentiment : pandas.DataFrame
        The rows of those tables for the documents of the batch.
    settings : FramingSettings

    Returns
    -------
    dict of str to pandas.DataFrame
        ``quotes`` (with ``frames``), ``frames_by_sentence`` and ``frames_by_document``, as in
        ``docs/architecture.md``.
    """
    codebook = framing.load_codebook(settings.codebook_path)
    quote_table = quotes.extract_quotes(
        documents, sentences, actor_mentions=actor_mentions,
        gazetteer=actors.load_gazetteer(settings.actors_path),
        implementation=settings.implementation,
    )
    frames_by_sentence = framing.detect_frames(
        sentences, codebook, speakers=quotes.sentence_speakers(quote_table),
        actor_mentions=actor_mentions, sentence_sentiment=sentence_sentiment,
    )
    return {
        "quotes": framing.attach_frames(quote_table, frames_by_sentence),
        "frames_by_sentence": frames_by_sentence,
        "frames_by_document": framing.frames_by_document(frames_by_sentence, documents, codebook),
    }


# --- the per-document cache ----------------------------------------------------------------------


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


def _concat_by_document(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-batch frames, each sorted by ``doc_id`` first, into one sorted frame.

    A stable sort on ``doc_id`` alone keeps each document's rows in the order its batch gave.
    """
    non_empty = [frame for frame in frames if len(frame)]
    if not non_empty:
        return frames[0].iloc[0:0]
    joined = non_empty[0] if len(non_empty) == 1 else pd.concat(non_empty, ignore_index=True)
    return joined.sort_values("doc_id", kind="stable", ignore_index=True)


# --- partitions ------------------------------------------------------------------------------


@dataclass
class PartitionTask:
    """One slice of consecutive documents for a stage to analyse (everything a worker needs)."""

    stage: str
    part: int
    output_dir: str
    doc_id_range: tuple[str, str]
    settings: SentimentSettings | FramingSettings
    cache_root: str | None
    cached: dict[str, tuple[str, str]] = field(default_factory=dict)  # doc_id -> (key, batch)
    write_part: bool = False
    input_parts: dict[str, list[str]] | None = None  # table -> its files holding the slice


@dataclass
class PartitionResult:
    """What a partition sends back: compact results for the corpus reductions and counters."""

    part: int
    n_documents: int
    n_analysed: int
    actor_scores: pd.DataFrame | None = None
    actor_rows: pd.DataFrame | None = None
    frames: dict[str, pd.DataFrame] | None = None  # only when the task does not write its part


def _stage_inputs(task: PartitionTask) -> dict[str, pd.DataFrame]:
    def read(name: str, columns: list[str] | None = None) -> pd.DataFrame:
        parts = None if task.input_parts is None else [Path(p) for p in task.input_parts[name]]
        return tables.read_table(task.output_dir, name, columns=columns,
                                 doc_id_range=task.doc_id_range, parts=parts)

    return {name: read(name, columns) for name, columns in _STAGE_INPUTS[task.stage].items()}


def _analyze(stage: str, inputs: dict[str, pd.DataFrame], settings) -> dict[str, pd.DataFrame]:
    if stage == "sentiment":
        return analyze_sentiment(inputs["sentences"], settings)
    return analyze_framing(inputs["documents"], inputs["sentences"], inputs["actor_mentions"],
                           inputs["sentence_sentiment"], settings)


def _select(inputs: dict[str, pd.DataFrame], doc_ids: list[str]) -> dict[str, pd.DataFrame]:
    wanted = set(doc_ids)
    return {name: frame[frame["doc_id"].isin(wanted)].reset_index(drop=True)
            for name, frame in inputs.items()}


def run_partition(task: PartitionTask) -> PartitionResult:
    """Analyse one partition: reuse cached documents, analyse the others, assemble its tables.

    Runs on a worker (Dask engine) or in process (pandas engine).
    """
    inputs = _stage_inputs(task)
    key_source = inputs["documents"] if task.stage == "framing" else inputs["sentences"]
    doc_ids = sorted(key_source["doc_id"].unique().tolist())
    keys = document_keys(doc_ids, [inputs[name] for name in sorted(inputs)])
    names = _stage_tables(task.stage)
    from_cache: dict[str, list[str]] = {}
    to_analyse = []
    for doc_id in doc_ids:
        cached = task.cached.get(doc_id)
        if cached is not None and cached[0] == keys[doc_id]:
            from_cache.setdefault(cached[1], []).append(doc_id)
        else:
            to_analyse.append(doc_id)
    pieces: dict[str, list[pd.DataFrame]] = {name: [] for name in names}
    if to_analyse:
        with gc_paused():
            fresh = _analyze(task.stage, _select(inputs, to_analyse), task.settings)
        if task.cache_root is not None:
            Cache(Path(task.cache_root), names).store(
                {doc_id: keys[doc_id] for doc_id in to_analyse}, fresh
            )
        for name in names:
            pieces[name].append(fresh[name])
    if from_cache:
        cache = Cache(Path(task.cache_root), names)
        for name in names:
            pieces[name].extend(cache.load(name, from_cache))
    assembled = {name: _concat_by_document(frames) for name, frames in pieces.items()}
    result = PartitionResult(task.part, len(doc_ids), len(to_analyse))
    if task.stage == "sentiment":
        result.actor_scores = actors.sentence_scores(assembled["actor_mentions"])
        result.actor_rows = assembled.pop(ACTOR_DOCUMENT_ROWS)
    if task.write_part:
        for name, frame in assembled.items():
            tables.write_partition(frame, task.output_dir, name, task.part,
                                   csv=name in CSV_TABLES, csv_exclude=CSV_TABLES.get(name, ()))
    else:
        result.frames = assembled
    return result


def _stage_tables(stage: str) -> tuple[str, ...]:
    return (*SENTIMENT_TABLES, ACTOR_DOCUMENT_ROWS) if stage == "sentiment" else FRAMING_TABLES


def partition(doc_ids: list[str], size: int) -> list[list[str]]:
    """Cut sorted, distinct ``doc_ids`` into runs of at most ``size`` consecutive documents."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise EngineError(f"partition size must be a positive integer, got {size!r}")
    return [doc_ids[i : i + size] for i in range(0, len(doc_ids), size)]


# --- clusters ---------------------------------------------------------------------------------


@contextmanager
def cluster_address(scheduler_address: str | None = None, n_workers: int | None = None) -> Iterator[str]:
    """The address of the Dask scheduler to use: ``scheduler_address``, or a new ``LocalCluster``'s.

    The local cluster has ``n_workers`` single-threaded worker processes (default: one per core),
    since the analysis is pure Python and threads would share one interpreter lock; it is shut
    down when the block ends, so several steps can share it.
    """
    check_engine("dask")
    if scheduler_address is not None:
        yield scheduler_address
        return
    import dask
    from distributed import LocalCluster

    # The workers' statistical profiler samples the analysis thread's stack every 10 ms; off, the
    # analysis runs about 5% faster (measured on 10,000 articles). The event-loop tick (a check
    # for blocked loops) and the system monitor feed the dashboard, which is off; memory is still
    # checked every second. Less polling leaves the cores to the analysis (the driver's CPU time
    # on a stage halves).
    quiet = {
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": "1s",
        "distributed.admin.system-monitor.interval": "2s",
        "distributed.worker.memory.monitor-interval": "1s",
    }
    with dask.config.set(quiet), LocalCluster(
        n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
        dashboard_address=None,
    ) as cluster:
        yield cluster.scheduler_address


def _map(
    function: Callable[[Any], Any], items: list[Any], engine: str,
    scheduler_address: str | None, n_workers: int | None,
) -> list[Any]:
    """Apply ``function`` to each item in process or on the cluster; results in item order."""
    if engine == "pandas" or not items:
        return [function(item) for item in items]
    from distributed import Client

    with cluster_address(scheduler_address, n_workers) as address, Client(address) as client:
        return client.gather(client.map(function, items, pure=False))


# --- stage results ---------------------------------------------------------------------------


class StageTables(Mapping):
    """The tables a stage wrote: kept in memory (pandas engine) or read from disk when asked for.

    A mapping from table name to DataFrame; ``n_analysed`` counts the documents that were
    analysed rather than taken from the cache.
    """

    def __init__(self, output_dir: str | Path, names: tuple[str, ...],
                 frames: dict[str, pd.DataFrame] | None = None, n_analysed: int = 0,
                 n_documents: int = 0):
        self.output_dir = Path(output_dir)
        self.names = names
        self._frames = dict(frames or {})
        self.n_analysed = n_analysed
        self.n_documents = n_documents

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.names:
            raise KeyError(f"no table {name!r} in this stage's output; it has {list(self.names)}")
        if name not in self._frames:
            self._frames[name] = tables.read_table(self.output_dir, name)
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _corpus_actor_sentiment(results: list[PartitionResult], level: float = 0.95) -> pd.DataFrame:
    """``actor_sentiment``: per-document rows from the partitions, corpus rows reduced here.

    The corpus rows need every (actor, sentence) score of an actor, so the reduction holds the
    compact ``actors.sentence_scores`` rows (a few per document), never the documents.
    """
    document_rows = pd.concat([r.actor_rows for r in results], ignore_index=True)
    scores = pd.concat([r.actor_scores for r in results], ignore_index=True)
    scores = scores.sort_values(["actor_id", "doc_id", "sentence_id"], ignore_index=True)
    corpus_rows = [
        {"actor_id": actor_id, "actor_name": name, "group": group, "doc_id": "*"}
        | actors.summarize_actor(actor_scores.reset_index(drop=True), level)
        for (actor_id, name, group), actor_scores in scores.groupby(
            ["actor_id", "actor_name", "group"], sort=True)
    ]
    corpus_frame = pd.DataFrame(corpus_rows, columns=actors.ACTOR_SENTIMENT_COLUMNS)
    combined = pd.concat(
        [frame.astype(document_rows.dtypes.to_dict()) for frame in (corpus_frame, document_rows)
         if len(frame)] or [document_rows], ignore_index=True,
    )
    order = combined.assign(_document_row=combined["doc_id"] != "*").sort_values(
        ["actor_id", "_document_row", "doc_id"], kind="stable"
    )
    return combined.loc[order.index].reset_index(drop=True)


def _cache_plan(cache_root: Path | None, names: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    if cache_root is None:
        return {}
    index = Cache(cache_root, names).index()
    return {row.doc_id: (row.doc_key, row.batch) for row in index.itertuples(index=False)}


def _run_stage(
    stage: str, output_dir: str | Path, settings, engine: str, scheduler_address: str | None,
    n_workers: int | None, partition_documents: int, incremental: bool,
) -> tuple[list[PartitionResult], list[str]]:
    check_engine(engine)
    names = _stage_tables(stage)
    source = "documents" if stage == "framing" else "sentences"
    doc_ids = sorted(tables.read_table(output_dir, source, columns=["doc_id"])["doc_id"].unique())
    # The pandas engine analyses the corpus as one partition, in memory.
    chunks = partition(doc_ids, partition_documents if engine == "dask" else max(len(doc_ids), 1))
    cache_root = (Path(output_dir).resolve() / CACHE_SUBDIR / f"{stage}-{fingerprint(stage, settings)}"
                  if incremental else None)
    cached = _cache_plan(cache_root, names)
    # Each task reads only the input files of its slice of documents.
    parts_of = {name: tables.parts_in_range(output_dir, name) for name in _STAGE_INPUTS[stage]}
    tasks = [
        PartitionTask(
            stage, part, str(Path(output_dir).resolve()), (chunk[0], chunk[-1]), settings,
            None if cache_root is None else str(cache_root),
            {doc_id: cached[doc_id] for doc_id in chunk if doc_id in cached},
            write_part=engine == "dask",
            input_parts={name: [str(p) for p in parts(chunk[0], chunk[-1])]
                         for name, parts in parts_of.items()},
        )
        for part, chunk in enumerate(chunks)
    ]
    output_names = [name for name in names if name != ACTOR_DOCUMENT_ROWS]
    if engine == "dask":
        for name in output_names:
            tables.clear_table(output_dir, name)
    results = _map(run_partition, tasks, engine, scheduler_address, n_workers)
    return results, output_names


def _finish(
    stage: str, output_dir: str | Path, results: list[PartitionResult], names: list[str],
    engine: str,
) -> StageTables:
    frames: dict[str, pd.DataFrame] = {}
    if engine == "pandas":
        for name in names:
            frames[name] = _concat_by_document([r.frames[name] for r in results])
            tables.write_table(frames[name], output_dir, name, csv=name in CSV_TABLES,
                               csv_exclude=CSV_TABLES.get(name, ()))
    else:
        for name in names:
            if name in CSV_TABLES:
                tables.combine_csv_parts(output_dir, name)
    if stage == "sentiment":
        frames["actor_sentiment"] = _corpus_actor_sentiment(results)
        tables.write_table(frames["actor_sentiment"], output_dir, "actor_sentiment")
        names = [*names, "actor_sentiment"]
    return StageTables(output_dir, tuple(names), frames,
                       n_analysed=sum(r.n_analysed for r in results),
                       n_documents=sum(r.n_documents for r in results))


def run_sentiment(
    output_dir: str | Path,
    settings: SentimentSettings = SentimentSettings(),
    *,
    engine: str = "pandas",
    scheduler_address: str | None = None,
    n_workers: int | None = None,
    partition_documents: int = DEFAULT_PARTITION_DOCUMENTS,
    incremental: bool = True,
) -> StageTables:
    """Run the sentiment stage on the tables of ``output_dir`` and write its tables there.

    Parameters
    ----------
    output_dir : str or Path
        Holds ``data/sentences`` (from ingestion); receives ``sentence_sentiment``,
        ``paragraph_sentiment``, ``document_sentiment``, ``sentiment_arc``, ``actor_mentions``
        and ``actor_sentiment``.
    settings : SentimentSettings
    engine : {"pandas", "dask"}
    scheduler_address : str, optional
        Dask scheduler to use instead of a new ``LocalCluster`` (engine ``"dask"`` only).
    n_workers : int, optional
        Workers of the ``LocalCluster`` (default: one per core).
    partition_documents : int
        Documents per partition (engine ``"dask"``).
    incremental : bool
        Reuse and fill the per-document cache in ``<output_dir>/cache``.

    Returns
    -------
    StageTables
        The tables by name.
    """
    results, names = _run_stage("sentiment", output_dir, settings, engine, scheduler_address,
                                n_workers, partition_documents, incremental)
    return _finish("sentiment", output_dir, results, names, engine)


def run_framing(
    output_dir: str | Path,
    settings: FramingSettings = FramingSettings(),
    *,
    engine: str = "pandas",
    scheduler_address: str | None = None,
    n_workers: int | None = None,
    partition_documents: int = DEFAULT_PARTITION_DOCUMENTS,
    incremental: bool = True,
) -> StageTables:
    """Run the framing stage (quotes and frames) and write ``quotes``, ``frames_by_sentence`` and
    ``frames_by_document`` (also as CSV) to ``output_dir``.

    Needs ``documents``, ``sentences``, ``actor_mentions`` and ``sentence_sentiment``; other
    parameters as in :func:`run_sentiment`.
    """
    results, names = _run_stage("framing", output_dir, settings, engine, scheduler_address,
                                n_workers, partition_documents, incremental)
    return _finish("framing", output_dir, results, names, engine)


# --- ingestion -------------------------------------------------------------------------------


def _file_requests(job: tuple[str, list[str]]) -> list[tuple[list[dict], list[tuple[str, str]]]]:
    """Per file: its manifest rows and the (candidate, fallback) ids its articles ask for."""
    root, paths = job
    summaries = []
    for path in paths:
        source = corpus.read_source(Path(root), Path(path))
        summaries.append((source.manifest, [(a.candidate_id, a.fallback_id) for a in source.articles]))
    return summaries


@dataclass
class _IngestTask:
    part: int
    root: str
    output_dir: str
    items: list[tuple[str, str, int]]  # (doc_id, file path, index of the article in the file)


def _ingest_partition(task: _IngestTask) -> tuple[list[str], list[str], list[np.ndarray]]:
    """Segment one partition's articles, write its tables, return its duplicate signatures."""
    sources: dict[str, corpus.SourceFile] = {}
    for _, path, _ in task.items:
        if path not in sources:
            sources[path] = corpus.read_source(Path(task.root), Path(path))
    articles = [
        (doc_id, sources[path].articles[index], sources[path].path, sources[path].encoding)
        for doc_id, path, index in task.items
    ]
    with gc_paused():
        documents, paragraphs, sentences = corpus.segment_articles(articles)
        signatures = [corpus.duplicate_signature(text) for text in documents["text"]]
    for name, frame in (("documents", documents), ("paragraphs", paragraphs),
                        ("sentences", sentences)):
        tables.write_partition(frame, task.output_dir, name, task.part)
    return (documents["doc_id"].tolist(), [digest for digest, _ in signatures],
            [shingles for _, shingles in signatures])


def _flag_partition(job: tuple[str, int, pd.DataFrame]) -> None:
    """Write the duplicate flags into part ``part`` of ``documents`` (and its CSV part)."""
    output_dir, part, flags = job
    path = tables.table_path(output_dir, "documents") / f"part-{part:05d}.parquet"
    documents = tables.arrow_to_pandas(pq.read_table(path))
    documents = documents.drop(columns=list(flags.columns)).join(flags)[corpus.DOCUMENT_COLUMNS]
    documents = documents.astype({"source_row": "Int64"})
    tables.write_partition(documents, output_dir, "documents", part, csv=True,
                           csv_exclude=CSV_TABLES["documents"])


def run_ingest(
    corpus_path: str | Path,
    output_dir: str | Path,
    *,
    near_duplicate_threshold: float = corpus.NEAR_DUPLICATE_THRESHOLD,
    engine: str = "pandas",
    scheduler_address: str | None = None,
    n_workers: int | None = None,
    partition_documents: int = DEFAULT_PARTITION_DOCUMENTS,
) -> StageTables:
    """Ingest ``corpus_path`` (see :func:`kursk_utils.corpus.ingest`) and write its four tables.

    With engine ``"dask"``, workers read and parse the files, then segment partitions of
    consecutive ``doc_id`` values and write them; this process only assigns the ids (from the
    ids the files ask for) and flags duplicates from per-document signatures.

    Returns
    -------
    StageTables
        ``documents``, ``paragraphs``, ``sentences``, ``ingest_manifest``.

    Raises
    ------
    kursk_utils.corpus.CorpusError
        If the path does not exist or holds no article that could be ingested.
    """
    check_engine(engine)
    names = (*INGEST_TABLES, "ingest_manifest")
    if engine == "pandas":
        with gc_paused():
            ingested = corpus.ingest(corpus_path, near_duplicate_threshold=near_duplicate_threshold)
        corpus.write_ingested(ingested, output_dir)
        frames = {"documents": ingested.documents, "paragraphs": ingested.paragraphs,
                  "sentences": ingested.sentences, "ingest_manifest": ingested.manifest}
        return StageTables(output_dir, names, frames, n_analysed=len(ingested.documents),
                           n_documents=len(ingested.documents))

    root, files = corpus.discover(corpus_path)
    output = str(Path(output_dir).resolve())
    file_jobs = [(str(root), [str(p) for p in files[i : i + partition_documents]])
                 for i in range(0, len(files), partition_documents)]
    with cluster_address(scheduler_address, n_workers) as address:
        summaries = [s for job in _map(_file_requests, file_jobs, engine, address, None) for s in job]
        manifest = [row for rows, _ in summaries for row in rows]
        doc_ids = corpus.assign_doc_ids([requests for _, requests in summaries])
        items = sorted(
            (doc_id, str(path), index)
            for path, file_ids in zip(files, doc_ids)
            for index, doc_id in enumerate(file_ids)
        )
        if not items:
            raise corpus.no_articles_error(corpus_path, manifest)
        for name in names:
            tables.clear_table(output_dir, name)
        chunks = [items[i : i + partition_documents] for i in range(0, len(items), partition_documents)]
        signatures = _map(
            _ingest_partition,
            [_IngestTask(part, str(root), output, chunk) for part, chunk in enumerate(chunks)],
            engine, address, None,
        )
        flags = corpus.flag_duplicates_from_signatures(
            [d for ids, _, _ in signatures for d in ids],
            [d for _, digests, _ in signatures for d in digests],
            [s for _, _, shingles in signatures for s in shingles],
            near_duplicate_threshold,
        )
        bounds = np.cumsum([0] + [len(chunk) for chunk in chunks])
        _map(_flag_partition,
             [(output, part, flags.iloc[bounds[part] : bounds[part + 1]].reset_index(drop=True))
              for part in range(len(chunks))],
             engine, address, None)
    tables.combine_csv_parts(output_dir, "documents")
    manifest_table = corpus.manifest_frame(manifest)  # one row per file: small
    tables.write_table(manifest_table, output_dir, "ingest_manifest")
    return StageTables(output_dir, names, {"ingest_manifest": manifest_table},
                       n_analysed=len(items), n_documents=len(items))


def analyze_corpus(
    corpus_path: str | Path,
    output_dir: str | Path,
    sentiment_settings: SentimentSettings = SentimentSettings(),
    framing_settings: FramingSettings = FramingSettings(),
    *,
    near_duplicate_threshold: float = corpus.NEAR_DUPLICATE_THRESHOLD,
    engine: str = "pandas",
    scheduler_address: str | None = None,
    n_workers: int | None = None,
    partition_documents: int = DEFAULT_PARTITION_DOCUMENTS,
    incremental: bool = True,
) -> dict[str, StageTables]:
    """Ingest ``corpus_path`` and run the sentiment and framing stages, on one cluster.

    What the notebooks 01–03 compute, without the notebooks: for scripts and benchmarks.
    Returns the :class:`StageTables` of ``ingest``, ``sentiment`` and ``framing``.
    """
    check_engine(engine)
    options = {"engine": engine, "n_workers": n_workers, "partition_documents": partition_documents}
    if engine == "pandas":
        return _all_stages(corpus_path, output_dir, sentiment_settings, framing_settings,
                           near_duplicate_threshold, incremental, scheduler_address=None, **options)
    with cluster_address(scheduler_address, n_workers) as address:
        return _all_stages(corpus_path, output_dir, sentiment_settings, framing_settings,
                           near_duplicate_threshold, incremental, scheduler_address=address,
                           **options)


def _all_stages(corpus_path, output_dir, sentiment_settings, framing_settings,
                near_duplicate_threshold, incremental, **options) -> dict[str, StageTables]:
    return {
        "ingest": run_ingest(corpus_path, output_dir,
                             near_duplicate_threshold=near_duplicate_threshold, **options),
        "sentiment": run_sentiment(output_dir, sentiment_settings, incremental=incremental,
                                   **options),
        "framing": run_framing(output_dir, framing_settings, incremental=incremental, **options),
    }
