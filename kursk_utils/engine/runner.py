"""The stages over a whole corpus: partitions mapped on an engine, then the corpus reductions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from kursk_utils import actors, corpus, tables
from kursk_utils.engine.cache import cache_plan, concat_by_document
from kursk_utils.engine.cluster import check_engine, cluster_address, map_items
from kursk_utils.engine.fingerprint import fingerprint
from kursk_utils.engine.partitions import (
    CSV_TABLES, STAGE_INPUTS, PartitionResult, PartitionTask, gc_paused, partition, run_partition,
    stage_tables,
)
from kursk_utils.stages import (
    ACTOR_DOCUMENT_ROWS, FramingSettings, SentimentSettings,
)

DEFAULT_PARTITION_DOCUMENTS = 250
CACHE_SUBDIR = "cache"
INGEST_TABLES = ("documents", "paragraphs", "sentences")


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



def _run_stage(
    stage: str, output_dir: str | Path, settings, engine: str, scheduler_address: str | None,
    n_workers: int | None, partition_documents: int, incremental: bool,
) -> tuple[list[PartitionResult], list[str]]:
    check_engine(engine)
    names = stage_tables(stage)
    source = "documents" if stage == "framing" else "sentences"
    doc_ids = sorted(tables.read_table(output_dir, source, columns=["doc_id"])["doc_id"].unique())
    # The pandas engine analyses the corpus as one partition, in memory.
    chunks = partition(doc_ids, partition_documents if engine == "dask" else max(len(doc_ids), 1))
    cache_root = (Path(output_dir).resolve() / CACHE_SUBDIR / f"{stage}-{fingerprint(stage, settings)}"
                  if incremental else None)
    cached = cache_plan(cache_root, names)
    # Each task reads only the input files of its slice of documents.
    parts_of = {name: tables.parts_in_range(output_dir, name) for name in STAGE_INPUTS[stage]}
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
    results = map_items(run_partition, tasks, engine, scheduler_address, n_workers)
    return results, output_names


def _finish(
    stage: str, output_dir: str | Path, results: list[PartitionResult], names: list[str],
    engine: str,
) -> StageTables:
    frames: dict[str, pd.DataFrame] = {}
    if engine == "pandas":
        for name in names:
            frames[name] = concat_by_document([r.frames[name] for r in results])
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
        summaries = [s for job in map_items(_file_requests, file_jobs, engine, address, None) for s in job]
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
        signatures = map_items(
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
        map_items(_flag_partition,
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
