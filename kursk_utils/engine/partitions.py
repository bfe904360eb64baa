"""Partitions: runs of consecutive documents that a worker analyses with the stage functions."""

from __future__ import annotations

import gc
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kursk_utils import actors, stages, tables
from kursk_utils.contracts import check_positive_int
from kursk_utils.engine.cache import Cache, concat_by_document
from kursk_utils.engine.cluster import EngineError
from kursk_utils.engine.fingerprint import document_keys
from kursk_utils.stages import ACTOR_DOCUMENT_ROWS, FramingSettings, SentimentSettings

# Without a size from the user, the Dask engine cuts a stage into about PARTITIONS_PER_WORKER partitions
# per worker (so that a worker finishing early finds more work to the end), of at least
# MIN_PARTITION_DOCUMENTS documents (each partition pays a fixed cost per stage, about 60 ms of
# CPU on kursk60 besides its files) and at most MAX_PARTITION_DOCUMENTS (a worker's memory).
PARTITIONS_PER_WORKER = 4
MIN_PARTITION_DOCUMENTS = 250
MAX_PARTITION_DOCUMENTS = 1000
CSV_TABLES = {"documents": ("text",), "frames_by_document": ()}
SENTENCE_COLUMNS = ["doc_id", "sentence_id", "paragraph_id", "section", "start", "end", "text"]
# The tables (and columns; None: all) each stage reads.
STAGE_INPUTS = {
    "sentiment": {"sentences": SENTENCE_COLUMNS},
    "framing": {"sentences": SENTENCE_COLUMNS, "documents": ["doc_id", "text", "n_sentences"],
                "actor_mentions": None, "sentence_sentiment": None},
}


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


def warm_up_worker(sentiment_settings: SentimentSettings, framing_settings: FramingSettings,
                   freeze: bool = True) -> None:
    """:func:`kursk_utils.stages.warm_up`, then (``freeze``) what the process holds moved out of the
    garbage collector's sight (:func:`gc.freeze`).

    The models, codebook and patterns loaded stay for the life of the worker, but every full
    collection and the one at the process's exit traverse them: exiting a warmed-up worker took
    1.4-1.9 s, with them frozen 0.2-0.3 s (the shutdown of a 2-worker ``LocalCluster``, which the
    analysis waits for). Frozen objects are still freed when nothing refers to them; only cycles
    among them would never be collected, so a cluster the run did not start is not frozen.
    """
    stages.warm_up(sentiment_settings, framing_settings)
    if freeze:
        gc.collect()
        gc.freeze()


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

    return {name: read(name, columns) for name, columns in STAGE_INPUTS[task.stage].items()}


def _analyze(stage: str, inputs: dict[str, pd.DataFrame], settings) -> dict[str, pd.DataFrame]:
    if stage == "sentiment":
        return stages.analyze_sentiment(inputs["sentences"], settings)
    return stages.analyze_framing(inputs["documents"], inputs["sentences"], inputs["actor_mentions"],
                           inputs["sentence_sentiment"], settings)


def _select(inputs: dict[str, pd.DataFrame], doc_ids: list[str]) -> dict[str, pd.DataFrame]:
    """The rows of ``doc_ids`` in each frame.

    Looked up with pyarrow's hash set: ``Series.isin`` over the Arrow-backed ids cost ~1 ms per
    table of a 250-document partition, this a tenth of it.
    """
    wanted = pa.array(doc_ids, type=pa.large_string())

    def rows(frame: pd.DataFrame) -> np.ndarray:
        ids = pa.array(frame["doc_id"], type=pa.large_string(), from_pandas=True)
        return pc.is_in(ids, value_set=wanted).to_numpy(zero_copy_only=False)

    return {name: frame[rows(frame)].reset_index(drop=True) for name, frame in inputs.items()}


def run_partition(task: PartitionTask) -> PartitionResult:
    """Analyse one partition: reuse cached documents, analyse the others, assemble its tables.

    Runs on a worker (Dask engine) or in process (pandas engine).
    """
    inputs = _stage_inputs(task)
    key_source = inputs["documents"] if task.stage == "framing" else inputs["sentences"]
    doc_ids = sorted(key_source["doc_id"].unique().tolist())
    keys = document_keys(doc_ids, [inputs[name] for name in sorted(inputs)])
    names = stage_tables(task.stage)
    from_cache: dict[str, list[str]] = {}
    to_analyse = []
    for doc_id in doc_ids:
        cached = task.cached.get(doc_id)
        if cached is not None and cached[0] == keys[doc_id]:
            from_cache.setdefault(cached[1], []).append(doc_id)
        else:
            to_analyse.append(doc_id)
    pieces: dict[str, list[pd.DataFrame]] = {name: [] for name in names}
    if from_cache:  # first: the documents of a damaged cache entry are analysed below
        pieces, damaged = Cache(Path(task.cache_root), names).load(from_cache)
        to_analyse = sorted(to_analyse + damaged)
    # Tables already converted to Arrow that hold exactly the partition's rows: converted once,
    # for the cache and for the part.
    arrow: dict[str, pa.Table] = {}
    if to_analyse:
        with gc_paused():
            fresh = _analyze(task.stage, _select(inputs, to_analyse), task.settings)
        if task.cache_root is not None:
            converted = {name: tables.to_arrow(fresh[name]) for name in names}
            Cache(Path(task.cache_root), names).store(
                {doc_id: keys[doc_id] for doc_id in to_analyse}, converted
            )
            if not any(pieces.values()):  # nothing came from the cache
                arrow = converted
        for name in names:
            pieces[name].append(fresh[name])
    assembled = {name: concat_by_document(frames) for name, frames in pieces.items()}
    result = PartitionResult(task.part, len(doc_ids), len(to_analyse))
    if task.stage == "sentiment":
        # The stage's own scores when it analysed the whole partition (the same rows).
        analysed_all = bool(to_analyse) and len(to_analyse) == len(doc_ids)
        result.actor_scores = (fresh[stages.ACTOR_SENTENCE_SCORES] if analysed_all
                               else actors.sentence_scores(assembled["actor_mentions"],
                                                           task.settings.threshold))
        result.actor_rows = assembled.pop(ACTOR_DOCUMENT_ROWS)
    if task.write_part:
        for name, frame in assembled.items():
            tables.write_partition(frame, task.output_dir, name, task.part, csv=name in CSV_TABLES,
                                   csv_exclude=CSV_TABLES.get(name, ()), arrow=arrow.get(name))
    else:
        result.frames = assembled
    return result


def stage_tables(stage: str) -> tuple[str, ...]:
    """The tables a stage's partitions produce (and cache)."""
    return ((*stages.SENTIMENT_TABLES, ACTOR_DOCUMENT_ROWS) if stage == "sentiment"
            else stages.FRAMING_TABLES)


def partition_size(n_documents: int, n_workers: int, requested: int | None = None) -> int:
    """Documents per partition of the Dask engine for a stage over ``n_documents`` on ``n_workers``.

    ``requested`` (the user's ``partition_documents``) when given, else about
    :data:`PARTITIONS_PER_WORKER` partitions per worker, each of between
    :data:`MIN_PARTITION_DOCUMENTS` and :data:`MAX_PARTITION_DOCUMENTS` documents, yet never fewer
    partitions than workers. On two workers: 50 documents for 100, 250 for 1,000, 1,000 from 8,000 on.

    Raises
    ------
    EngineError
        If ``requested`` is not a positive integer.
    """
    if requested is not None:
        return check_positive_int(requested, "partition size", EngineError)
    n_workers = max(n_workers, 1)
    smallest = min(MIN_PARTITION_DOCUMENTS, math.ceil(n_documents / n_workers))
    size = max(smallest, math.ceil(n_documents / (PARTITIONS_PER_WORKER * n_workers)))
    return max(1, min(MAX_PARTITION_DOCUMENTS, size))


def partition(doc_ids: list[str], size: int) -> list[list[str]]:
    """Cut sorted, distinct ``doc_ids`` into runs of at most ``size`` consecutive documents."""
    check_positive_int(size, "partition size", EngineError)
    return [doc_ids[i : i + size] for i in range(0, len(doc_ids), size)]

