"""Damaged cache entries (kursk_utils.engine.cache, .ingestion): detected, named in a warning,
recomputed, never used and never failing later runs."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal

from kursk_utils.engine import CACHE_SUBDIR, analyze_corpus, run_ingest, run_sentiment
from kursk_utils.engine.cache import CacheWarning

from conftest import SEEDS


@pytest.fixture(scope="module")
def truth(tmp_path_factory) -> dict:
    """The tables of the seeds computed without any cache."""
    out = tmp_path_factory.mktemp("truth")
    stages = analyze_corpus(SEEDS, out, incremental=False)
    return {name: stages[stage][name] for stage in ("ingest", "sentiment")
            for name in ("documents", "sentences", "sentence_sentiment")
            if name in stages[stage].names}


@pytest.fixture
def cached_run(tmp_path) -> Path:
    """An output folder whose caches hold every seed article."""
    analyze_corpus(SEEDS, tmp_path)
    return tmp_path


def only(paths) -> Path:
    found = list(paths)
    assert len(found) == 1, found
    return found[0]


def rerun(out: Path, stage: str):
    """Run ``stage`` again, returning its tables and the cache warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_ingest(SEEDS, out) if stage == "ingest" else run_sentiment(out)
    return result, [str(w.message) for w in caught if issubclass(w.category, CacheWarning)]


def sentiment_cache_file(out: Path, table: str) -> Path:
    return only((out / CACHE_SUBDIR).glob(f"sentiment-*/{table}/*.parquet"))


def check_recovers(out: Path, stage: str, damaged: Path, truth: dict) -> None:
    """The damaged entry is named, everything is recomputed right, and the next run is clean."""
    result, warned = rerun(out, stage)
    assert len(warned) == 1 and str(damaged) in warned[0], warned
    assert warned[0].startswith("cache entry discarded and recomputed: ")
    n_documents = len(truth["documents"])
    assert result.n_analysed == n_documents  # all seeds were in the damaged entry
    for name in result.names:
        if name in truth:
            assert_frame_equal(result[name], truth[name], check_exact=True)
    again, warned = rerun(out, stage)
    assert warned == [] and again.n_analysed == 0


def test_a_truncated_document_cache_file_is_recomputed_with_a_warning(cached_run, truth):
    damaged = sentiment_cache_file(cached_run, "sentence_sentiment")
    damaged.write_bytes(damaged.read_bytes()[:100])
    check_recovers(cached_run, "sentiment", damaged, truth)


def test_altered_cached_values_are_not_used(cached_run, truth):
    damaged = sentiment_cache_file(cached_run, "sentence_sentiment")
    altered = pd.read_parquet(damaged)
    altered["compound"] = 0.99  # a valid Parquet file with wrong scores
    pq.write_table(pq.read_table(damaged).set_column(
        list(altered.columns).index("compound"), "compound", [altered["compound"].to_numpy()]), damaged)
    check_recovers(cached_run, "sentiment", damaged, truth)


def test_an_altered_document_cache_record_is_discarded(cached_run, truth):
    record = only((cached_run / CACHE_SUBDIR).glob("sentiment-*/keys/*.json"))
    text = json.loads(record.read_text())
    payload = json.loads(text["payload"])
    payload["documents"] = dict(list(payload["documents"].items())[:1])  # claims one document only
    record.write_text(json.dumps({"payload": json.dumps(payload), "sha256": text["sha256"]}))
    check_recovers(cached_run, "sentiment", record, truth)


def test_a_truncated_ingest_cache_entry_is_ingested_again_with_a_warning(cached_run, truth):
    damaged = only((cached_run / CACHE_SUBDIR).glob("ingest-*/entries/*.npz"))
    damaged.write_bytes(damaged.read_bytes()[:-1000])
    check_recovers(cached_run, "ingest", damaged, truth)


def test_an_altered_ingest_cache_entry_is_not_used(cached_run, truth):
    damaged = only((cached_run / CACHE_SUBDIR).glob("ingest-*/entries/*.npz"))
    with np.load(damaged) as data:
        arrays = {name: data[name] for name in data.files}
    rows = arrays["rows"].tobytes().replace(b"Kursk", b"Paris")  # the same length, other words
    assert rows != arrays["rows"].tobytes()
    arrays["rows"] = np.frombuffer(rows, dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    damaged.write_bytes(buffer.getvalue())
    check_recovers(cached_run, "ingest", damaged, truth)


def test_a_truncated_ingest_cache_record_is_discarded(cached_run, truth):
    record = only((cached_run / CACHE_SUBDIR).glob("ingest-*/index/*.json"))
    record.write_bytes(record.read_bytes()[:20])
    check_recovers(cached_run, "ingest", record, truth)
