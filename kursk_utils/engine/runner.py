"""The stages over a whole corpus: partitions mapped on an engine, then the corpus reductions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd

from kursk_utils import actors, corpus, tables
from kursk_utils.engine.cache import CACHE_SUBDIR, cache_plan, concat_by_document
from kursk_utils.engine.cluster import check_engine, cluster_address, map_items, worker_count
from kursk_utils.engine.fingerprint import fingerprint
from kursk_utils.engine.ingestion import run_ingest
from kursk_utils.engine.partitions import (
    CSV_TABLES, STAGE_INPUTS, PartitionResult, PartitionTask, partition, partition_size,
    run_partition, stage_tables, warm_up_worker,
)
from kursk_utils.engine.results import StageTables
from kursk_utils.stages import ACTOR_DOCUMENT_ROWS, FramingSettings, SentimentSettings


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
    n_workers: int | None, partition_documents: int | None, incremental: bool,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[PartitionResult], list[str]]:
    check_engine(engine)
    names = stage_tables(stage)
    source = "documents" if stage == "framing" else "sentences"
    doc_ids = sorted(tables.read_table(output_dir, source, columns=["doc_id"])["doc_id"].unique())
    # The pandas engine analyses the corpus as one partition, in memory.
    size = (partition_size(len(doc_ids), worker_count(scheduler_address, n_workers), partition_documents)
            if engine == "dask" else max(len(doc_ids), 1))
    chunks = partition(doc_ids, size)
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
    results = map_items(run_partition, tasks, engine, scheduler_address, n_workers, meanwhile)
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
    partition_documents: int | None = None,
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
    partition_documents : int, optional
        Documents per partition (engine ``"dask"``); default: about four partitions per worker,
        of 250 to 1,000 documents (:func:`kursk_utils.engine.partitions.partition_size`).
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
    partition_documents: int | None = None,
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
    partition_documents: int | None = None,
    incremental: bool = True,
    follow_external_symlinks: bool = False,
) -> dict[str, StageTables]:
    """Ingest ``corpus_path`` and run the sentiment and framing stages, on one cluster.

    What the notebooks 01–03 compute, without the notebooks: for scripts and benchmarks.
    ``follow_external_symlinks`` as in :func:`kursk_utils.engine.run_ingest`.
    Returns the :class:`StageTables` of ``ingest``, ``sentiment`` and ``framing``.
    """
    check_engine(engine)
    options = {"engine": engine, "n_workers": n_workers, "partition_documents": partition_documents}
    if engine == "pandas":
        return _all_stages(corpus_path, output_dir, sentiment_settings, framing_settings,
                           near_duplicate_threshold, incremental, follow_external_symlinks,
                           scheduler_address=None, **options)
    with cluster_address(scheduler_address, n_workers) as address:
        return _all_stages(corpus_path, output_dir, sentiment_settings, framing_settings,
                           near_duplicate_threshold, incremental, follow_external_symlinks,
                           scheduler_address=address, own_cluster=scheduler_address is None,
                           **options)


def _all_stages(corpus_path, output_dir, sentiment_settings, framing_settings,
                near_duplicate_threshold, incremental, follow_external_symlinks,
                own_cluster: bool = False, **options) -> dict[str, StageTables]:
    # The workers load the stages' models and codebook while the driver flags duplicates.
    warm_up = partial(warm_up_worker, sentiment_settings, framing_settings, freeze=own_cluster)
    done = {"ingest": run_ingest(corpus_path, output_dir, near_duplicate_threshold=near_duplicate_threshold,
                                 incremental=incremental, follow_external_symlinks=follow_external_symlinks,
                                 warm_up=warm_up, **options)}
    sentiment = _run_stage("sentiment", output_dir, sentiment_settings, incremental=incremental, **options)

    def finish_sentiment() -> None:
        done["sentiment"] = _finish("sentiment", output_dir, *sentiment, options["engine"])

    # On Dask the partitions wrote their tables; what is left is the corpus rows of actor_sentiment
    # (which framing does not read), computed while the framing partitions run. In process,
    # finishing writes the tables framing reads, so it comes first.
    on_dask = options["engine"] == "dask"
    if not on_dask:
        finish_sentiment()
    framing = _run_stage("framing", output_dir, framing_settings, incremental=incremental,
                         meanwhile=finish_sentiment if on_dask else None, **options)
    done["framing"] = _finish("framing", output_dir, *framing, options["engine"])
    return done
