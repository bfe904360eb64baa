"""Run the analysis stages in process (``"pandas"``) or on dask.distributed (``"dask"``), incrementally.

Every stage is a pure function of a batch of documents' rows, defined in
:mod:`kursk_utils.stages` (the only place that says which analysis runs in which order): documents never influence each other's rows, so a corpus can be cut into
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
    fingerprint hashes the stage's parameters, the files they name, the source of the whole
    package and its data files (:func:`kursk_utils.engine.fingerprint.fingerprint`);
    a document's key hashes its input rows (text, sentences and, for framing, its actor mentions
    and sentence sentiment). A document whose key is cached is not analysed again: adding ten
    articles to ten thousand analyses ten. Delete ``<output_dir>/cache`` to reclaim the space of
    old versions.

Modules
    :mod:`~kursk_utils.engine.runner` (the stages over a corpus), :mod:`~.partitions` (one
    partition on a worker), :mod:`~.ingestion` (the per-file cache and ingestion), :mod:`~.cache` (the per-document
    cache), :mod:`~.results` (what a run returns), :mod:`~.fingerprint`
    (cache keys), :mod:`~.cluster` (where partitions run).
"""

from kursk_utils.engine.cache import CACHE_SUBDIR, Cache
from kursk_utils.engine.cluster import ENGINES, EngineError, check_engine, cluster_address
from kursk_utils.engine.fingerprint import document_keys, fingerprint, package_versions
from kursk_utils.engine.ingestion import run_ingest
from kursk_utils.engine.partitions import gc_paused, partition, partition_size
from kursk_utils.engine.results import StageTables
from kursk_utils.engine.runner import analyze_corpus, run_framing, run_sentiment
from kursk_utils.stages import (
    FRAMING_TABLES, SENTIMENT_TABLES, FramingSettings, SentimentSettings,
)

__all__ = [
    "CACHE_SUBDIR", "ENGINES", "FRAMING_TABLES", "SENTIMENT_TABLES",
    "Cache", "EngineError", "FramingSettings", "SentimentSettings", "StageTables", "analyze_corpus",
    "check_engine", "cluster_address", "document_keys", "fingerprint", "gc_paused",
    "package_versions", "partition", "partition_size", "run_framing", "run_ingest", "run_sentiment",
]
